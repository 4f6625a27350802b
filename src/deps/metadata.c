/* metadata.c - installed distributions (deps.h): the Name and Version
 * headers of each *.dist-info/METADATA (and *.egg-info/PKG-INFO, or an
 * .egg-info file) of a site-packages directory, as exact, installed
 * statements. Headers end at the first empty line; a header continued on
 * lines starting with white space is one header. A distribution without
 * METADATA is read from its directory name (name-version.dist-info), with
 * a warning. Directory entries are read in byte order, so that the result
 * does not depend on the file system. */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool header_is(const char *b, size_t n, const char *name, size_t *vstart)
{
    size_t k = strlen(name);
    if (n <= k || b[k] != ':')
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = b[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    size_t v = k + 1;
    while (v < n && (b[v] == ' ' || b[v] == '\t'))
        v++;
    *vstart = v;
    return true;
}

LLStatus ll_deps_parse_metadata(LLDepList *out, const char *path, const char *text, size_t len)
{
    size_t pos = 0;
    unsigned lineno = 0;
    const char *name = NULL, *ver = NULL;
    size_t nlen = 0, vlen = 0;
    unsigned nline = 0, vline = 0, vcol = 0;
    while (pos < len) {
        const char *b = text + pos;
        size_t n = 0;
        while (pos + n < len && b[n] != '\n' && b[n] != '\r')
            n++;
        pos += n;
        if (pos < len && text[pos] == '\r')
            pos += (pos + 1 < len && text[pos + 1] == '\n') ? 2 : 1;
        else if (pos < len)
            pos++; /* '\n' */
        lineno++;
        if (n == 0)
            break; /* the body */
        size_t v;
        size_t e = n;
        while (e && (b[e - 1] == ' ' || b[e - 1] == '\t'))
            e--;
        if (!name && header_is(b, e, "name", &v)) {
            name = b + v;
            nlen = e - v;
            nline = lineno;
        } else if (!ver && header_is(b, e, "version", &v)) {
            ver = b + v;
            vlen = e - v;
            vline = lineno;
            vcol = ll_deps__col(b, v);
        }
    }
    if (!name || !ll_pkg_name_valid(name, nlen)) {
        ll_deps__diag(out, path, name ? nline : 0, 0, LL_SEV_ERROR, LL_ERR_CONFIG,
                      name ? "the Name: header is not a package name" : "no Name: header");
        return LL_ERR_CONFIG;
    }
    if (!ver) {
        ll_deps__diag(out, path, 0, 0, LL_SEV_ERROR, LL_ERR_CONFIG, "no Version: header");
        return LL_ERR_CONFIG;
    }
    LLVersion v;
    LLVerError verr;
    LLStatus st = ll_version_parse(ver, vlen, &v, &verr);
    if (st != LL_OK) {
        ll_deps__diag(out, path, vline, vcol + (unsigned)verr.offset, LL_SEV_ERROR, st, "Version: %s",
                      verr.msg);
        return st;
    }
    LLVerSet set = {0};
    ll_verset_exact(&set, &v);
    LLBuf t;
    ll_buf_init(&t);
    ll_buf_puts(&t, "==");
    ll_buf_append(&t, ver, vlen);
    ll_deps__add(out, name, nlen, &set, true, LL_DEPSRC_INSTALLED, LL_DEPFMT_METADATA, path, vline, vcol,
                 t.data, NULL, NULL);
    ll_buf_release(&t);
    return LL_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n > k && strcmp(s + n - k, suf) == 0;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The *.dist-info / *.egg-info names of a directory, sorted; -1 when it
 * cannot be read. */
static long list_dists(const char *dir, char ***out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t n = 0, cap = 0;
    char **names = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!has_suffix(e->d_name, ".dist-info") && !has_suffix(e->d_name, ".egg-info"))
            continue;
        if (n == cap) {
            cap = ll_grow_cap(cap, n + 1);
            names = ll_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = ll_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    *out = names;
    return (long)n;
}

/* name-version from a dist-info / egg-info directory name. */
static void from_dir_name(LLDepList *out, const char *dist, const char *entry)
{
    size_t n = strlen(entry) - (has_suffix(entry, ".dist-info") ? 10 : 9);
    const char *dash = memchr(entry, '-', n);
    LLVersion v;
    LLVerError verr;
    if (!dash || !ll_pkg_name_valid(entry, (size_t)(dash - entry)) ||
        ll_version_parse(dash + 1, n - (size_t)(dash + 1 - entry), &v, &verr) != LL_OK) {
        ll_deps__diag(out, dist, 0, 0, LL_SEV_WARNING, LL_ERR_CONFIG,
                      "no metadata, and the directory name is not name-version: not read");
        return;
    }
    LLVerSet set = {0};
    ll_verset_exact(&set, &v);
    LLBuf t;
    ll_buf_init(&t);
    ll_buf_puts(&t, "==");
    ll_version_format(&v, &t);
    ll_deps__add(out, entry, (size_t)(dash - entry), &set, true, LL_DEPSRC_INSTALLED, LL_DEPFMT_METADATA,
                 dist, 0, 0, t.data, NULL, NULL);
    ll_buf_release(&t);
    ll_deps__diag(out, dist, 0, 0, LL_SEV_WARNING, LL_ERR_IO,
                  "no metadata file: name and version taken from the directory name");
}

static void read_site(LLDepList *out, const char *site, char **names, size_t n, const LLDepsReader *rd)
{
    LLBuf p;
    ll_buf_init(&p);
    for (size_t i = 0; i < n; i++) {
        if (i == LL_DEPS_MAX_INSTALLED) {
            ll_deps__diag(out, site, 0, 0, LL_SEV_ERROR, LL_ERR_LIMIT,
                          "more than LL_DEPS_MAX_INSTALLED (%u) distributions: the rest are not read",
                          LL_DEPS_MAX_INSTALLED);
            break;
        }
        ll_buf_reset(&p);
        ll_buf_printf(&p, "%s/%s", site, names[i]);
        char *dist = ll_xstrdup(p.data);
        if (is_dir(dist))
            ll_buf_puts(&p, has_suffix(names[i], ".dist-info") ? "/METADATA" : "/PKG-INFO");
        char *text = NULL;
        size_t len = 0;
        LLError err;
        memset(&err, 0, sizeof err);
        LLStatus st = rd->read(rd->ctx, p.data, LL_DEPS_MAX_FILE_BYTES, &text, &len, &err);
        if (st == LL_ERR_IO)
            from_dir_name(out, dist, names[i]);
        else if (st != LL_OK)
            ll_deps__diag(out, p.data, 0, 0, LL_SEV_ERROR, st, "%s", err.msg);
        else
            (void)ll_deps_parse_metadata(out, p.data, text, len);
        free(text);
        free(dist);
    }
    ll_buf_release(&p);
}

LLStatus ll_deps_read_installed(LLDepList *out, const char *dir, const LLDepsReader *rd)
{
    if (!rd)
        rd = ll_deps_fs_reader();
    char **names = NULL;
    long n = list_dists(dir, &names);
    if (n < 0) {
        ll_deps__diag(out, dir, 0, 0, LL_SEV_ERROR, LL_ERR_IO, "cannot read the directory: %s",
                      strerror(errno));
        return LL_ERR_IO;
    }
    if (n > 0) {
        read_site(out, dir, names, (size_t)n, rd);
        for (long i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return LL_OK;
    }
    free(names);
    /* a virtual environment: lib/pythonX.Y/site-packages, lib64/..., Lib/site-packages */
    LLBuf p;
    ll_buf_init(&p);
    bool found = false;
    static const char *const libs[] = {"lib", "lib64", NULL};
    for (int k = 0; libs[k]; k++) {
        ll_buf_reset(&p);
        ll_buf_printf(&p, "%s/%s", dir, libs[k]);
        DIR *d = opendir(p.data);
        if (!d)
            continue;
        char **pys = NULL;
        size_t npy = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strncmp(e->d_name, "python", 6) != 0)
                continue;
            if (npy == cap) {
                cap = ll_grow_cap(cap, npy + 1);
                pys = ll_xrealloc(pys, cap * sizeof *pys);
            }
            pys[npy++] = ll_xstrdup(e->d_name);
        }
        closedir(d);
        if (npy)
            qsort(pys, npy, sizeof *pys, cmp_str);
        for (size_t i = 0; i < npy; i++) {
            LLBuf site;
            ll_buf_init(&site);
            ll_buf_printf(&site, "%s/%s/site-packages", p.data, pys[i]);
            long m = list_dists(site.data, &names);
            if (m >= 0) {
                found = true;
                read_site(out, site.data, names, (size_t)m, rd);
                for (long j = 0; j < m; j++)
                    free(names[j]);
                free(names);
            }
            ll_buf_release(&site);
            free(pys[i]);
        }
        free(pys);
    }
    ll_buf_reset(&p);
    ll_buf_printf(&p, "%s/Lib/site-packages", dir);
    long m = list_dists(p.data, &names);
    if (m >= 0) {
        found = true;
        read_site(out, p.data, names, (size_t)m, rd);
        for (long j = 0; j < m; j++)
            free(names[j]);
        free(names);
    }
    ll_buf_release(&p);
    if (!found) {
        ll_deps__diag(out, dir, 0, 0, LL_SEV_ERROR, LL_ERR_IO,
                      "no installed distribution: neither a site-packages directory (*.dist-info) nor a "
                      "virtual environment (lib/pythonX.Y/site-packages)");
        return LL_ERR_IO;
    }
    return LL_OK;
}
