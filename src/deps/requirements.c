/* requirements.c - pip requirements files (deps.h).
 *
 * As pip reads them: physical lines ending in '\' are joined with the next
 * (a comment line ends the joining, the joined line is at the first line's
 * number); a comment is '#' at the start or after white space (a '#' inside
 * a URL stays); option lines (`-r`/`--requirement`, `-c`/`--constraint`,
 * `-e`/`--editable`, `-i`/`--index-url`, `--extra-index-url`, `-f`, ...,
 * in `-r f`, `-rf`, `--requirement=f` and `--requirement f` forms);
 * requirement lines: a PEP 508 requirement, or a URL or path, followed by
 * per-requirement options (`--hash`, `--config-settings`,
 * `--global-option`). A wheel URL or path names its package and exact
 * version (torch-2.4.0+cu121-cp311-...whl); other URLs and paths name a
 * package only by `#egg=name` and never a version.
 *
 * Includes are relative to the including file. They are followed with an
 * explicit stack (no recursion): a file already on the way in is a cycle
 * (an error at the -r line), and nesting and the number of files read are
 * bounded (LL_DEPS_MAX_INCLUDE_DEPTH, LL_DEPS_MAX_INCLUDED_FILES). A
 * requirement from a -c file is marked `constraint`; a -r inside a -c
 * file reads requirements again, as pip does. */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a piece of a logical line comes from. */
typedef struct Seg {
    size_t loff;      /* its offset in the logical line */
    unsigned line;    /* physical line */
    unsigned col;     /* column of its first byte */
    const char *phys; /* its first byte */
} Seg;

typedef struct Frame {
    char *path;             /* owned */
    char *text;             /* owned; NULL when borrowed */
    const char *t;
    size_t len, pos;
    unsigned lineno;        /* physical lines read */
    bool constraint;
    const LLDepsLine *lines; /* a list of lines instead of a text */
    size_t nlines, next_line;
} Frame;

typedef struct Ctx {
    LLDepList *out;
    const LLDepsReader *rd;
    LLDepFormat fmt;
    Frame stack[LL_DEPS_MAX_INCLUDE_DEPTH + 1];
    size_t depth;   /* frames in stack */
    size_t nfiles;  /* files read through includes */
    LLBuf line;     /* the current logical line */
    LL_VEC(Seg) segs;
} Ctx;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Position of byte `off` of the logical line. */
static void pos_of(const Ctx *c, size_t off, unsigned *line, unsigned *col)
{
    size_t k = 0;
    while (k + 1 < c->segs.len && c->segs.items[k + 1].loff <= off)
        k++;
    const Seg *s = &c->segs.items[k];
    *line = s->line;
    *col = s->col + (unsigned)ll_utf8_count(s->phys, off - s->loff);
}

static void add_seg(Ctx *c, unsigned line, unsigned col, const char *phys, size_t n)
{
    Seg s = {c->line.len, line, col, phys};
    LL_VEC_PUSH(&c->segs, s);
    ll_buf_append(&c->line, phys, n);
}

/* The next logical line of a text frame into c->line; false at its end. */
static bool next_text_line(Ctx *c, Frame *f)
{
    ll_buf_reset(&c->line);
    c->segs.len = 0;
    bool joining = false;
    while (f->pos < f->len) {
        const char *b = f->t + f->pos;
        size_t n = 0;
        while (f->pos + n < f->len && b[n] != '\n' && b[n] != '\r')
            n++;
        f->pos += n;
        if (f->pos < f->len && f->t[f->pos] == '\r')
            f->pos += (f->pos + 1 < f->len && f->t[f->pos + 1] == '\n') ? 2 : 1;
        else if (f->pos < f->len)
            f->pos++; /* '\n' */
        f->lineno++;
        size_t k = 0;
        while (k < n && is_space(b[k]))
            k++;
        bool comment = k < n && b[k] == '#';
        if (n && b[n - 1] == '\\' && !comment) {
            size_t m = n;
            while (m && b[m - 1] == '\\')
                m--;
            add_seg(c, f->lineno, 1, b, m);
            joining = true;
            continue;
        }
        if (comment && joining) /* pip puts a space before it: still a comment */
            ll_buf_putc(&c->line, ' ');
        add_seg(c, f->lineno, 1, b, n);
        return true;
    }
    return joining; /* a last line ending in '\' */
}

static bool next_line(Ctx *c, Frame *f)
{
    if (f->lines) {
        if (f->next_line >= f->nlines)
            return false;
        const LLDepsLine *l = &f->lines[f->next_line++];
        ll_buf_reset(&c->line);
        c->segs.len = 0;
        add_seg(c, l->line, l->col, l->text, l->len);
        return true;
    }
    return next_text_line(c, f);
}

static void diag_at(Ctx *c, const Frame *f, size_t off, LLSeverity sev, LLStatus st, const char *fmt,
                    ...) __attribute__((format(printf, 6, 7)));
static void diag_at(Ctx *c, const Frame *f, size_t off, LLSeverity sev, LLStatus st, const char *fmt,
                    ...)
{
    unsigned line, col;
    pos_of(c, off, &line, &col);
    LLBuf msg;
    ll_buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    ll_deps__diag(c->out, f->path, line, col, sev, st, "%s", msg.data);
    ll_buf_release(&msg);
}

static void pop_frame(Ctx *c)
{
    Frame *f = &c->stack[--c->depth];
    free(f->path);
    free(f->text);
    memset(f, 0, sizeof *f);
}

/* -r / -c FILE at offset `off` of the current line of frame f. */
static void include(Ctx *c, Frame *f, size_t off, const char *name, bool constraint)
{
    if (strstr(name, "://")) {
        diag_at(c, f, off, LL_SEV_NOTE, LL_ERR_IO, "%s: a remote requirements file is not read", name);
        return;
    }
    char *path = ll_deps__resolve(f->path, name);
    for (size_t i = 0; i < c->depth; i++) {
        if (strcmp(c->stack[i].path, path) == 0) {
            LLBuf chain;
            ll_buf_init(&chain);
            for (size_t k = i; k < c->depth; k++)
                ll_buf_printf(&chain, "%s -> ", c->stack[k].path);
            ll_buf_puts(&chain, path);
            diag_at(c, f, off, LL_SEV_ERROR, LL_ERR_CONFIG, "include cycle: %s", chain.data);
            ll_buf_release(&chain);
            free(path);
            return;
        }
    }
    if (c->depth > LL_DEPS_MAX_INCLUDE_DEPTH) {
        diag_at(c, f, off, LL_SEV_ERROR, LL_ERR_LIMIT,
                "includes nested deeper than LL_DEPS_MAX_INCLUDE_DEPTH (%u): %s is not read",
                LL_DEPS_MAX_INCLUDE_DEPTH, path);
        free(path);
        return;
    }
    if (c->nfiles >= LL_DEPS_MAX_INCLUDED_FILES) {
        diag_at(c, f, off, LL_SEV_ERROR, LL_ERR_LIMIT,
                "more included files than LL_DEPS_MAX_INCLUDED_FILES (%u): %s is not read",
                LL_DEPS_MAX_INCLUDED_FILES, path);
        free(path);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = c->rd->read(c->rd->ctx, path, LL_DEPS_MAX_FILE_BYTES, &text, &len, &err);
    if (st != LL_OK) {
        diag_at(c, f, off, LL_SEV_ERROR, st, "cannot read the included file: %s: %s", path, err.msg);
        free(path);
        return;
    }
    c->nfiles++;
    Frame *n = &c->stack[c->depth++];
    memset(n, 0, sizeof *n);
    n->path = path;
    n->text = text;
    n->t = text;
    n->len = len;
    n->constraint = constraint;
}

/* A token of the logical line: [*b, *e) from *p, split at white space. */
static bool token(const char *s, size_t len, size_t *p, size_t *b, size_t *e)
{
    while (*p < len && is_space(s[*p]))
        (*p)++;
    if (*p >= len)
        return false;
    *b = *p;
    while (*p < len && !is_space(s[*p]))
        (*p)++;
    *e = *p;
    return true;
}

typedef enum OptKind {
    OPT_FLAG,     /* no value */
    OPT_VALUE,    /* takes a value, ignored */
    OPT_REQ,      /* -r */
    OPT_CONS,     /* -c */
    OPT_EDITABLE, /* -e */
} OptKind;

typedef struct OptDef {
    const char *shrt; /* "-r" or NULL */
    const char *lng;  /* "--requirement" */
    OptKind kind;
    bool per_req; /* allowed after a requirement */
} OptDef;

static const OptDef opts[] = {
    {"-r", "--requirement", OPT_REQ, false},
    {"-c", "--constraint", OPT_CONS, false},
    {"-e", "--editable", OPT_EDITABLE, false},
    {"-i", "--index-url", OPT_VALUE, false},
    {NULL, "--extra-index-url", OPT_VALUE, false},
    {NULL, "--no-index", OPT_FLAG, false},
    {"-f", "--find-links", OPT_VALUE, false},
    {NULL, "--no-binary", OPT_VALUE, false},
    {NULL, "--only-binary", OPT_VALUE, false},
    {NULL, "--prefer-binary", OPT_FLAG, false},
    {NULL, "--require-hashes", OPT_FLAG, false},
    {NULL, "--pre", OPT_FLAG, false},
    {NULL, "--trusted-host", OPT_VALUE, false},
    {NULL, "--use-feature", OPT_VALUE, false},
    {NULL, "--hash", OPT_VALUE, true},
    {NULL, "--global-option", OPT_VALUE, true},
    {NULL, "--config-settings", OPT_VALUE, true},
    {NULL, "--install-option", OPT_VALUE, true},
    {NULL, NULL, OPT_FLAG, false},
};

/* Reads the options of s[p..len); a -r/-c/-e is acted on. `after_req`:
 * they follow a requirement (only per-requirement ones are allowed). */
static void options(Ctx *c, Frame *f, const char *s, size_t len, size_t p, bool after_req)
{
    size_t b, e;
    while (token(s, len, &p, &b, &e)) {
        const OptDef *d = NULL;
        size_t vb = e, ve = e;
        bool inline_value = false;
        for (const OptDef *o = opts; o->lng; o++) {
            size_t ln = strlen(o->lng);
            if (e - b >= ln && memcmp(s + b, o->lng, ln) == 0 &&
                (e - b == ln || s[b + ln] == '=')) {
                d = o;
                if (e - b > ln) {
                    vb = b + ln + 1;
                    inline_value = true;
                }
                break;
            }
            if (o->shrt && e - b >= 2 && memcmp(s + b, o->shrt, 2) == 0 &&
                (e - b == 2 || o->kind != OPT_FLAG)) {
                d = o;
                if (e - b > 2) {
                    vb = b + 2;
                    inline_value = true;
                }
                break;
            }
        }
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(e - b), s + b);
        if (!d) {
            diag_at(c, f, b, LL_SEV_ERROR, LL_ERR_CONFIG, "unknown option %s", name);
            return; /* its value, if any, cannot be told from the next option */
        }
        if (after_req && !d->per_req) {
            diag_at(c, f, b, LL_SEV_ERROR, LL_ERR_CONFIG,
                    "option %s cannot follow a requirement on its line", name);
            return;
        }
        if (d->kind == OPT_FLAG)
            continue;
        if (!inline_value) {
            if (!token(s, len, &p, &vb, &ve)) {
                diag_at(c, f, b, LL_SEV_ERROR, LL_ERR_CONFIG, "option %s needs a value", name);
                return;
            }
        }
        if (vb == ve) {
            diag_at(c, f, b, LL_SEV_ERROR, LL_ERR_CONFIG, "option %s needs a value", name);
            return;
        }
        char *val = ll_xstrndup(s + vb, ve - vb);
        if (d->kind == OPT_REQ || d->kind == OPT_CONS) {
            include(c, f, vb, val, d->kind == OPT_CONS);
            free(val);
            return; /* the rest of the line: pip reads one file per option line */
        }
        if (d->kind == OPT_EDITABLE) {
            /* name from #egg=, never a version */
            const char *egg = strstr(val, "#egg=");
            if (!egg)
                egg = strstr(val, "&egg=");
            unsigned line, col;
            pos_of(c, vb, &line, &col);
            if (egg) {
                const char *nb = egg + 5;
                size_t nn = strcspn(nb, "&[#");
                if (ll_pkg_name_valid(nb, nn)) {
                    ll_deps__add(c->out, nb, nn, NULL, false, LL_DEPSRC_DECLARED, c->fmt, f->path, line,
                                 col, val, NULL, NULL)
                        ->constraint = f->constraint;
                    free(val);
                    continue;
                }
            }
            diag_at(c, f, vb, LL_SEV_NOTE, LL_ERR_CONFIG,
                    "editable requirement %s names no package (no #egg=): its package and version are unknown",
                    val);
        }
        free(val);
    }
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* A URL or a path rather than a PEP 508 name. */
static bool looks_like_link(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
            return true;
        if (ch == '/' || ch == '\\')
            return true;
        if (strchr("[=<>!~;@ (", ch) || ch == '\0')
            break;
    }
    if (n >= 5 && memcmp(s, "file:", 5) == 0)
        return true;
    if (n && (s[0] == '.' || s[0] == '~'))
        return true;
    return ends_with(s, n, ".whl") || ends_with(s, n, ".zip") || ends_with(s, n, ".tar.gz");
}

/* A requirement given as a URL or path s[b..e) (marker after it). */
static void link_requirement(Ctx *c, Frame *f, const char *s, size_t b, size_t e)
{
    size_t le = b;
    while (le < e && !is_space(s[le]) && s[le] != ';')
        le++;
    const char *marker = NULL;
    char *mk = NULL;
    size_t m = le;
    while (m < e && is_space(s[m]))
        m++;
    if (m < e && s[m] == ';') {
        size_t mb = m + 1, me = e;
        while (mb < me && is_space(s[mb]))
            mb++;
        while (me > mb && is_space(s[me - 1]))
            me--;
        mk = ll_xstrndup(s + mb, me - mb);
        marker = mk;
    }
    char *link = ll_xstrndup(s + b, le - b);
    unsigned line, col;
    pos_of(c, b, &line, &col);
    /* the file name: last component, no query or fragment */
    size_t ln = strcspn(link, "?#");
    size_t fb = ln;
    while (fb > 0 && link[fb - 1] != '/' && link[fb - 1] != '\\')
        fb--;
    const char *fname = link + fb;
    size_t fn = ln - fb;
    if (ends_with(fname, fn, ".whl")) {
        /* {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl */
        const char *d1 = memchr(fname, '-', fn);
        const char *d2 = d1 ? memchr(d1 + 1, '-', fn - (size_t)(d1 + 1 - fname)) : NULL;
        LLVersion v;
        LLVerError verr;
        if (d1 && d2 && ll_pkg_name_valid(fname, (size_t)(d1 - fname)) &&
            ll_version_parse(d1 + 1, (size_t)(d2 - d1 - 1), &v, &verr) == LL_OK) {
            LLVerSet set = {0};
            ll_verset_exact(&set, &v);
            LLBuf t;
            ll_buf_init(&t);
            ll_buf_puts(&t, "==");
            ll_version_format(&v, &t);
            ll_deps__add(c->out, fname, (size_t)(d1 - fname), &set, true, LL_DEPSRC_DECLARED, c->fmt,
                         f->path, line, col, t.data, marker, NULL)
                ->constraint = f->constraint;
            ll_buf_release(&t);
            goto done;
        }
        diag_at(c, f, b, LL_SEV_WARNING, LL_ERR_CONFIG,
                "wheel file name %s does not follow name-version-...whl", link);
    }
    const char *egg = strstr(link, "#egg=");
    if (!egg)
        egg = strstr(link, "&egg=");
    if (egg) {
        const char *nb = egg + 5;
        size_t nn = strcspn(nb, "&[#");
        if (ll_pkg_name_valid(nb, nn)) {
            ll_deps__add(c->out, nb, nn, NULL, false, LL_DEPSRC_DECLARED, c->fmt, f->path, line, col,
                         link, marker, NULL)
                ->constraint = f->constraint;
            goto done;
        }
    }
    diag_at(c, f, b, LL_SEV_NOTE, LL_ERR_CONFIG,
            "requirement %s names no package (no #egg=): its package and version are unknown", link);
done:
    free(link);
    free(mk);
}

/* One logical line of frame f (already joined). */
static void process_line(Ctx *c, Frame *f)
{
    const char *s = c->line.data;
    size_t len = c->line.len;
    /* comment: '#' at the start or after white space, to the end */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '#' && (i == 0 || is_space(s[i - 1]))) {
            len = i;
            break;
        }
    }
    size_t b = 0;
    while (b < len && is_space(s[b]))
        b++;
    while (len > b && is_space(s[len - 1]))
        len--;
    if (b == len)
        return;
    if (memchr(s + b, '\0', len - b)) {
        diag_at(c, f, b, LL_SEV_ERROR, LL_ERR_CONFIG, "line contains a NUL byte");
        return;
    }
    if (s[b] == '-') {
        options(c, f, s, len, b, false);
        return;
    }
    /* the requirement ends where the first option starts (pip splits on ' ') */
    size_t re = b;
    for (size_t i = b; i < len; i++) {
        if (s[i] == '-' && i > b && s[i - 1] == ' ')
            break;
        re = i + 1;
    }
    size_t rend = re;
    while (rend > b && is_space(s[rend - 1]))
        rend--;
    if (looks_like_link(s + b, rend - b)) {
        link_requirement(c, f, s, b, rend);
    } else {
        LLReq r;
        memset(&r, 0, sizeof r);
        LLVerError verr;
        memset(&verr, 0, sizeof verr);
        LLStatus st = ll_req_parse(s + b, rend - b, &r, &verr);
        if (st != LL_OK) {
            char shown[240];
            snprintf(shown, sizeof shown, "%.*s", (int)(rend - b > 200 ? 200 : rend - b), s + b);
            diag_at(c, f, b + verr.offset, LL_SEV_ERROR, st, "%s in \"%s\"", verr.msg, shown);
        } else {
            unsigned line, col;
            pos_of(c, b, &line, &col);
            ll_deps__add(c->out, r.name, strlen(r.name), &r.versions, r.url == NULL, LL_DEPSRC_DECLARED,
                         c->fmt, f->path, line, col, r.url ? r.url : r.spec, r.marker, NULL)
                ->constraint = f->constraint;
        }
        ll_req_free(&r);
    }
    if (re < len)
        options(c, f, s, len, re, true);
}

static void run(Ctx *c)
{
    while (c->depth) {
        Frame *f = &c->stack[c->depth - 1];
        if (!next_line(c, f)) {
            pop_frame(c);
            continue;
        }
        process_line(c, f);
    }
    ll_buf_release(&c->line);
    LL_VEC_FREE(&c->segs);
}

static Ctx *ctx_new(LLDepList *out, const LLDepsReader *rd, LLDepFormat fmt)
{
    Ctx *c = ll_xcalloc(1, sizeof *c);
    c->out = out;
    c->rd = rd ? rd : ll_deps_fs_reader();
    c->fmt = fmt;
    ll_buf_init(&c->line);
    return c;
}

LLStatus ll_deps_parse_requirements(LLDepList *out, const char *path, const char *text, size_t len,
                                    const LLDepsReader *rd)
{
    Ctx *c = ctx_new(out, rd, LL_DEPFMT_REQUIREMENTS);
    Frame *f = &c->stack[c->depth++];
    f->path = ll_xstrdup(path);
    f->t = text;
    f->len = len;
    run(c);
    free(c);
    return LL_OK;
}

void ll_deps__requirement_lines(LLDepList *out, const char *path, const LLDepsLine *lines, size_t n,
                                LLDepFormat fmt, const LLDepsReader *rd)
{
    Ctx *c = ctx_new(out, rd, fmt);
    Frame *f = &c->stack[c->depth++];
    f->path = ll_xstrdup(path);
    f->lines = lines;
    f->nlines = n;
    run(c);
    free(c);
}
