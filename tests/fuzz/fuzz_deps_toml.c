/* fuzz_deps_toml.c - bytes -> the structured dependency readers
 * (src/deps/): pyproject.toml, poetry.lock, uv.lock (through
 * config/toml.h) and Pipfile.lock (through rules/jsonrd.h).
 *
 * The input is read by each of the four. Checked: each returns; every
 * statement and diagnostic is complete and valid (ll_deplist_valid); a
 * file that does not parse gives exactly one error, with a position for
 * TOML syntax and JSON syntax errors, and no statement; a lock file's
 * statements are locked and exact (one version and its local versions at
 * most). Seeds: tests/fuzz/seeds/fuzz_deps_toml. */
#include "fuzz_common.h"

#include "base/buf.h"
#include "deps/deps.h"

#include <string.h>

typedef LLStatus (*Reader)(LLDepList *, const char *, const char *, size_t);

static void run(Reader fn, const char *path, const char *text, size_t size, bool lock)
{
    LLDepList l;
    ll_deplist_init(&l);
    LLStatus st = fn(&l, path, text, size);
    LLBuf why;
    ll_buf_init(&why);
    bool ok = ll_deplist_valid(&l, &why);
    LL_FUZZ_CHECK(ok, "%s: %s", path, why.data);
    ll_buf_release(&why);
    if (st != LL_OK) {
        LL_FUZZ_CHECK(l.deps.len == 0, "%s: a rejected file gave statements", path);
        LL_FUZZ_CHECK(l.diags.len == 1 && l.diags.items[0].severity == LL_SEV_ERROR,
                      "%s: a rejected file without one error (%zu)", path, l.diags.len);
        LL_FUZZ_CHECK(st == LL_ERR_LIMIT || l.diags.items[0].line >= 1, "%s: an error without a line: %s", path,
                      l.diags.items[0].msg);
    }
    for (size_t i = 0; lock && i < l.deps.len; i++) {
        const LLDep *d = &l.deps.items[i];
        LL_FUZZ_CHECK(d->source == LL_DEPSRC_LOCKED, "%s: a lock statement that is not locked", path);
        if (d->known && strcmp(path, "Pipfile.lock") != 0)
            LL_FUZZ_CHECK(d->versions.len == 1, "%s: a locked version that is a range", path);
    }
    ll_deplist_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    char *text = ll_fuzz_text(data, size);
    run(ll_deps_parse_pyproject, "pyproject.toml", text, size, false);
    run(ll_deps_parse_poetry_lock, "poetry.lock", text, size, true);
    run(ll_deps_parse_uv_lock, "uv.lock", text, size, true);
    run(ll_deps_parse_pipfile_lock, "Pipfile.lock", text, size, true);
    free(text);
    return 0;
}
