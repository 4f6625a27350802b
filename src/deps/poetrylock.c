/* poetrylock.c - poetry.lock (deps.h): every [[package]] with its name and
 * exact version (a locked statement). A package without a name or a
 * version, or with a version that is not PEP 440, is an error at it. */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"

#include <string.h>

void ll_deps__lock_packages(LLDepList *out, const char *path, LLTomlDoc *doc, LLDepFormat fmt,
                            bool version_optional)
{
    const LLTomlValue *pkgs = ll_toml_find(ll_toml_root(doc), "package", 7);
    if (!pkgs)
        return; /* a lock of no package */
    LLError err;
    memset(&err, 0, sizeof err);
    if (ll_toml_want(doc, pkgs, LL_TOML_ARRAY, &err) != LL_OK) {
        ll_deps__toml_diag(out, &err, LL_SEV_ERROR);
        return;
    }
    for (size_t i = 0; i < ll_toml_len(pkgs); i++) {
        const LLTomlValue *p = ll_toml_at(pkgs, i);
        const LLTomlValue *name = NULL, *ver = NULL;
        if (ll_toml_want(doc, p, LL_TOML_TABLE, &err) != LL_OK ||
            ll_toml_want_key(doc, p, "name", LL_TOML_STRING, &name, &err) != LL_OK) {
            ll_deps__toml_diag(out, &err, LL_SEV_ERROR);
            continue;
        }
        size_t nlen;
        const char *n = ll_toml_str(name, &nlen);
        if (!ll_pkg_name_valid(n, nlen)) {
            ll_toml_error(doc, name, false, &err, "\"%s\" is not a package name", n);
            ll_deps__toml_diag(out, &err, LL_SEV_ERROR);
            continue;
        }
        ver = ll_toml_find(p, "version", 7);
        if (!ver && version_optional) {
            ll_deps__add(out, n, nlen, NULL, false, LL_DEPSRC_LOCKED, fmt, path, ll_toml_line(name),
                         ll_toml_col(name), "", NULL, NULL);
            continue;
        }
        if (ll_toml_want_key(doc, p, "version", LL_TOML_STRING, &ver, &err) != LL_OK) {
            ll_deps__toml_diag(out, &err, LL_SEV_ERROR);
            continue;
        }
        size_t vlen;
        const char *vs = ll_toml_str(ver, &vlen);
        LLVersion v;
        LLVerError verr;
        LLStatus st = ll_version_parse(vs, vlen, &v, &verr);
        if (st != LL_OK) {
            ll_toml_error(doc, ver, false, &err, "version \"%s\" of %s: %s", vs, n, verr.msg);
            ll_deps__diag(out, err.file, err.line, err.col, LL_SEV_ERROR, st, "%s", err.msg);
            continue;
        }
        LLVerSet set = {0};
        ll_verset_exact(&set, &v);
        LLBuf t;
        ll_buf_init(&t);
        ll_buf_puts(&t, "==");
        ll_buf_append(&t, vs, vlen);
        ll_deps__add(out, n, nlen, &set, true, LL_DEPSRC_LOCKED, fmt, path, ll_toml_line(name),
                     ll_toml_col(name), t.data, NULL, NULL);
        ll_buf_release(&t);
    }
}

LLStatus ll_deps_parse_poetry_lock(LLDepList *out, const char *path, const char *text, size_t len)
{
    LLStatus st;
    LLTomlDoc *doc = ll_deps__toml(out, path, text, len, &st);
    if (!doc)
        return st;
    ll_deps__lock_packages(out, path, doc, LL_DEPFMT_POETRY_LOCK, false);
    ll_toml_free(doc);
    return LL_OK;
}
