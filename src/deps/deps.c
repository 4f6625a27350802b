/* deps.c - dependency lists, file formats, reading files, and the helpers
 * the readers share (deps.h, internal.h). */
#include "deps/deps.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/text.h"
#include "deps/constraint.h"
#include "deps/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * Lists
 * ------------------------------------------------------------------------ */

void ll_deplist_init(LLDepList *l)
{
    memset(l, 0, sizeof *l);
}

static void dep_free(LLDep *d)
{
    free(d->name);
    ll_verset_free(&d->versions);
    free(d->file);
    free(d->text);
    free(d->marker);
    free(d->group);
}

void ll_deps__truncate(LLDepList *l, size_t n)
{
    while (l->deps.len > n)
        dep_free(&l->deps.items[--l->deps.len]);
}

void ll_deplist_free(LLDepList *l)
{
    for (size_t i = 0; i < l->deps.len; i++)
        dep_free(&l->deps.items[i]);
    for (size_t i = 0; i < l->diags.len; i++) {
        free(l->diags.items[i].file);
        free(l->diags.items[i].msg);
    }
    LL_VEC_FREE(&l->deps);
    LL_VEC_FREE(&l->diags);
}

size_t ll_deplist_count_diags(const LLDepList *l, LLSeverity min)
{
    size_t n = 0;
    for (size_t i = 0; i < l->diags.len; i++)
        n += l->diags.items[i].severity >= min;
    return n;
}

bool ll_deplist_valid(const LLDepList *l, LLBuf *why)
{
    for (size_t i = 0; i < l->deps.len; i++) {
        const LLDep *d = &l->deps.items[i];
        const char *bad = NULL;
        size_t n = d->name ? strlen(d->name) : 0;
        if (!n || d->name[0] == '-' || d->name[n - 1] == '-' || strstr(d->name, "--"))
            bad = "a name that is not normalised";
        for (size_t k = 0; !bad && k < n; k++) {
            char c = d->name[k];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                bad = "a name that is not normalised";
        }
        if (!bad && (!d->file || !d->file[0] || !d->text))
            bad = "no file or text";
        if (!bad && d->line == 0 && d->format != LL_DEPFMT_METADATA)
            bad = "no line";
        if (!bad && !ll_verset_valid(&d->versions))
            bad = "an invalid version set";
        if (!bad && !d->known && !ll_verset_is_all(&d->versions))
            bad = "a statement without a version that does not allow every version";
        if (bad) {
            if (why)
                ll_buf_printf(why, "statement %zu (%s, %s:%u:%u): %s", i, d->name ? d->name : "?",
                              d->file ? d->file : "?", d->line, d->col, bad);
            return false;
        }
    }
    for (size_t i = 0; i < l->diags.len; i++) {
        const LLDepDiag *d = &l->diags.items[i];
        if (!d->file || !d->msg || !d->msg[0] || (int)d->severity < LL_SEV_NOTE ||
            (int)d->severity > LL_SEV_ERROR || d->status == LL_OK) {
            if (why)
                ll_buf_printf(why, "diagnostic %zu is incomplete", i);
            return false;
        }
    }
    return true;
}

int ll_depdiag_cmp(const void *a, const void *b)
{
    const LLDepDiag *x = a, *y = b;
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if ((c = strcmp(x->msg ? x->msg : "", y->msg ? y->msg : "")) != 0)
        return c;
    return (int)x->severity - (int)y->severity;
}

void ll_depdiag_format(const LLDepDiag *d, LLBuf *out)
{
    ll_buf_puts(out, d->file ? d->file : "");
    if (d->line) {
        ll_buf_printf(out, ":%u", d->line);
        if (d->col)
            ll_buf_printf(out, ":%u", d->col);
    }
    ll_buf_printf(out, ": %s: %s", ll_severity_name(d->severity), d->msg);
}

void ll_deps__diag(LLDepList *l, const char *file, unsigned line, unsigned col, LLSeverity sev,
                   LLStatus st, const char *fmt, ...)
{
    if (l->diags.len > LL_DEPS_MAX_DIAGS_PER_FILE)
        return;
    LLBuf b;
    ll_buf_init(&b);
    if (l->diags.len == LL_DEPS_MAX_DIAGS_PER_FILE) {
        ll_buf_printf(&b, "more problems are not listed (LL_DEPS_MAX_DIAGS_PER_FILE: %u)",
                      LL_DEPS_MAX_DIAGS_PER_FILE);
        sev = LL_SEV_WARNING;
        st = LL_ERR_LIMIT;
    } else {
        va_list ap;
        va_start(ap, fmt);
        ll_buf_vprintf(&b, fmt, ap);
        va_end(ap);
    }
    /* quoted input may hold control characters: a message stays on one line */
    LLBuf e;
    ll_buf_init(&e);
    ll_escape_controls(&e, b.data, b.len);
    ll_buf_release(&b);
    LLDepDiag d = {ll_xstrdup(file ? file : ""), line, col, sev, st, ll_buf_detach(&e)};
    LL_VEC_PUSH(&l->diags, d);
}

LLDep *ll_deps__add(LLDepList *l, const char *name, size_t name_len, LLVerSet *versions, bool known,
                    LLDepSource src, LLDepFormat fmt, const char *file, unsigned line, unsigned col,
                    const char *text, const char *marker, const char *group)
{
    LLDep d;
    memset(&d, 0, sizeof d);
    d.name = ll_pkg_name_dup(name, name_len);
    if (versions) {
        d.versions = *versions;
        memset(versions, 0, sizeof *versions);
    }
    if (!known || !versions)
        ll_verset_all(&d.versions);
    d.known = known;
    d.source = src;
    d.format = fmt;
    d.file = ll_xstrdup(file);
    d.line = line;
    d.col = col;
    d.text = ll_xstrdup(text ? text : "");
    d.marker = marker ? ll_xstrdup(marker) : NULL;
    d.group = group ? ll_xstrdup(group) : NULL;
    LL_VEC_PUSH(&l->deps, d);
    return &l->deps.items[l->deps.len - 1];
}

unsigned ll_deps__col(const char *s, size_t n)
{
    return 1u + (unsigned)ll_utf8_count(s, n);
}

void ll_deps__linecol(const char *text, size_t len, size_t off, unsigned *line, unsigned *col)
{
    if (off > len)
        off = len;
    unsigned ln = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            ln++;
            start = i + 1;
        }
    }
    *line = ln;
    *col = ll_deps__col(text + start, off - start);
}

/* ------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------ */

static LLStatus fs_read(void *ctx, const char *path, size_t max_bytes, char **text, size_t *len,
                        LLError *err)
{
    (void)ctx;
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "not a regular file");
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        close(fd);
        return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0, "file larger than %zu bytes", max_bytes);
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = ll_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max_bytes) { /* it grew while being read */
                free(buf);
                close(fd);
                return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0, "file larger than %zu bytes",
                                    max_bytes);
            }
            cap *= 2;
            buf = ll_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return LL_OK;
}

static const LLDepsReader fs_reader = {fs_read, NULL};

const LLDepsReader *ll_deps_fs_reader(void)
{
    return &fs_reader;
}

bool ll_deps_format_of(const char *base, LLDepFormat *out)
{
    static const struct {
        const char *name;
        LLDepFormat f;
    } names[] = {{"pyproject.toml", LL_DEPFMT_PYPROJECT},   {"setup.cfg", LL_DEPFMT_SETUPCFG},
                 {"poetry.lock", LL_DEPFMT_POETRY_LOCK},    {"uv.lock", LL_DEPFMT_UV_LOCK},
                 {"Pipfile.lock", LL_DEPFMT_PIPFILE_LOCK},  {"environment.yml", LL_DEPFMT_CONDA},
                 {"environment.yaml", LL_DEPFMT_CONDA},     {"conda.yml", LL_DEPFMT_CONDA},
                 {"conda.yaml", LL_DEPFMT_CONDA}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(base, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    }
    size_t n = strlen(base);
    if (n >= 16 && strncmp(base, "requirements", 12) == 0 && strcmp(base + n - 4, ".txt") == 0) {
        *out = LL_DEPFMT_REQUIREMENTS;
        return true;
    }
    return false;
}

const char *ll_deps_format_name(LLDepFormat f)
{
    switch (f) {
    case LL_DEPFMT_REQUIREMENTS: return "requirements";
    case LL_DEPFMT_PYPROJECT: return "pyproject.toml";
    case LL_DEPFMT_SETUPCFG: return "setup.cfg";
    case LL_DEPFMT_POETRY_LOCK: return "poetry.lock";
    case LL_DEPFMT_UV_LOCK: return "uv.lock";
    case LL_DEPFMT_PIPFILE_LOCK: return "Pipfile.lock";
    case LL_DEPFMT_CONDA: return "conda environment";
    case LL_DEPFMT_METADATA: return "installed METADATA";
    case LL_DEPFMT_CONFIG: return "assume-versions";
    }
    return "?";
}

const char *ll_deps_source_name(LLDepSource s)
{
    switch (s) {
    case LL_DEPSRC_DECLARED: return "declared";
    case LL_DEPSRC_LOCKED: return "locked";
    case LL_DEPSRC_INSTALLED: return "installed";
    case LL_DEPSRC_ASSUMED: return "assumed";
    case LL_DEPSRC_IMPLIED: return "implied";
    }
    return "?";
}

LLStatus ll_deps_parse_file(LLDepList *out, const char *path, LLDepFormat f, const LLDepsReader *rd)
{
    if (!rd)
        rd = ll_deps_fs_reader();
    char *text = NULL;
    size_t len = 0;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = rd->read(rd->ctx, path, LL_DEPS_MAX_FILE_BYTES, &text, &len, &err);
    if (st != LL_OK) {
        ll_deps__diag(out, path, 0, 0, LL_SEV_ERROR, st, "%s%s", err.msg,
                      st == LL_ERR_LIMIT ? " (LL_DEPS_MAX_FILE_BYTES)" : "");
        return st;
    }
    switch (f) {
    case LL_DEPFMT_REQUIREMENTS: st = ll_deps_parse_requirements(out, path, text, len, rd); break;
    case LL_DEPFMT_PYPROJECT: st = ll_deps_parse_pyproject(out, path, text, len); break;
    case LL_DEPFMT_SETUPCFG: st = ll_deps_parse_setupcfg(out, path, text, len, rd); break;
    case LL_DEPFMT_POETRY_LOCK: st = ll_deps_parse_poetry_lock(out, path, text, len); break;
    case LL_DEPFMT_UV_LOCK: st = ll_deps_parse_uv_lock(out, path, text, len); break;
    case LL_DEPFMT_PIPFILE_LOCK: st = ll_deps_parse_pipfile_lock(out, path, text, len); break;
    case LL_DEPFMT_CONDA: st = ll_deps_parse_conda_env(out, path, text, len, rd); break;
    case LL_DEPFMT_METADATA: st = ll_deps_parse_metadata(out, path, text, len); break;
    case LL_DEPFMT_CONFIG:
        ll_deps__diag(out, path, 0, 0, LL_SEV_ERROR, LL_ERR_USAGE,
                      "internal: assume-versions is not a file format");
        st = LL_ERR_USAGE;
        break;
    }
    free(text);
    return st;
}

/* ------------------------------------------------------------------------
 * Helpers of the readers
 * ------------------------------------------------------------------------ */

LLTomlDoc *ll_deps__toml(LLDepList *out, const char *path, const char *text, size_t len,
                         LLStatus *st)
{
    LLTomlDoc *doc = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    LLTomlOptions opt = {LL_DEPS_MAX_FILE_BYTES, LL_ERR_CONFIG};
    *st = ll_toml_parse(&doc, path, text, len, &opt, &err);
    if (*st != LL_OK) {
        ll_deps__diag(out, path, err.line, err.col, LL_SEV_ERROR, *st, "%s", err.msg);
        return NULL;
    }
    return doc;
}

void ll_deps__toml_diag(LLDepList *out, const LLError *err, LLSeverity sev)
{
    ll_deps__diag(out, err->file, err->line, err->col, sev, LL_ERR_CONFIG, "%s", err->msg);
}

void ll_deps__add_pep508(LLDepList *out, const char *file, unsigned line, unsigned col,
                         const char *s, size_t len, LLDepFormat fmt, const char *group)
{
    LLReq r;
    memset(&r, 0, sizeof r);
    LLVerError verr;
    memset(&verr, 0, sizeof verr);
    LLStatus st = ll_req_parse(s, len, &r, &verr);
    if (st != LL_OK) {
        ll_deps__diag(out, file, line, col + (unsigned)ll_utf8_count(s, verr.offset < len ? verr.offset : len),
                      LL_SEV_ERROR, st, "%s in \"%.*s\"", verr.msg, (int)(len > 200 ? 200 : len), s);
        return;
    }
    bool known = r.url == NULL;
    ll_deps__add(out, r.name, strlen(r.name), &r.versions, known, LL_DEPSRC_DECLARED, fmt, file, line,
                 col, r.url ? r.url : r.spec, r.marker, group);
    ll_req_free(&r);
}

char *ll_deps__resolve(const char *path, const char *rel)
{
    LLBuf in, out;
    ll_buf_init(&in);
    ll_buf_init(&out);
    if (rel[0] != '/') {
        const char *slash = strrchr(path, '/');
        if (slash)
            ll_buf_append(&in, path, (size_t)(slash - path) + 1);
    }
    ll_buf_puts(&in, rel);
    bool abs = in.data[0] == '/';
    size_t keep_min = 0; /* leading "../" of a relative path stay */
    const char *p = in.data;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && abs && out.len == 0) {
            /* ".." above "/" stays at "/" */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && out.len > keep_min) {
            while (out.len > keep_min && out.data[out.len - 1] != '/')
                out.len--;
            if (out.len > keep_min)
                out.len--;
            out.data[out.len] = '\0';
        } else {
            if (out.len || abs)
                ll_buf_putc(&out, '/');
            ll_buf_append(&out, p, n);
            if (n == 2 && p[0] == '.' && p[1] == '.')
                keep_min = out.len;
        }
        p = e;
    }
    if (!out.len)
        ll_buf_puts(&out, abs ? "/" : ".");
    ll_buf_release(&in);
    return ll_buf_detach(&out);
}
