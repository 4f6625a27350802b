/* pyproject.c - pyproject.toml (deps.h): [project] dependencies and
 * optional-dependencies, [dependency-groups] (PEP 735), [tool.uv]
 * dev-dependencies (PEP 508 strings); [tool.poetry] dependencies,
 * dev-dependencies and group.<name>.dependencies (Poetry constraints,
 * tables {version = ..., extras, markers, python, optional} and lists of
 * them for different environments; git/path/url/file sources name no
 * version). A wrong type is an error at the value; the rest of the file is
 * still read. */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct Ctx {
    LLDepList *out;
    const char *path;
    const char *text;
    size_t len;
    LLTomlDoc *doc;
} Ctx;

/* Byte offset of line:col (col in code points) in the text. */
static size_t offset_of(const Ctx *c, unsigned line, unsigned col)
{
    size_t i = 0;
    unsigned l = 1;
    while (i < c->len && l < line) {
        if (c->text[i] == '\n' || (c->text[i] == '\r' && (i + 1 >= c->len || c->text[i + 1] != '\n')))
            l++;
        i++;
    }
    for (unsigned k = 1; k < col && i < c->len; k++) {
        i++;
        while (i < c->len && ((unsigned char)c->text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* Where the content of string value v starts (after its quotes). */
static void content_pos(const Ctx *c, const LLTomlValue *v, unsigned *line, unsigned *col)
{
    *line = ll_toml_line(v);
    *col = ll_toml_col(v);
    size_t off = offset_of(c, *line, *col);
    const char *s = c->text + off;
    size_t left = c->len - off;
    if (left >= 3 && (memcmp(s, "\"\"\"", 3) == 0 || memcmp(s, "'''", 3) == 0)) {
        if (left > 3 && (s[3] == '\n' || s[3] == '\r')) { /* a newline right after is dropped */
            (*line)++;
            *col = 1;
        } else {
            *col += 3;
        }
    } else if (left && (s[0] == '"' || s[0] == '\'')) {
        *col += 1;
    }
}

static void type_error(Ctx *c, const LLTomlValue *v, LLTomlType want)
{
    LLError err;
    memset(&err, 0, sizeof err);
    (void)ll_toml_want(c->doc, v, want, &err);
    ll_deps__toml_diag(c->out, &err, LL_SEV_ERROR);
}

/* An array of PEP 508 strings (tables with include-group allowed when
 * `groups`). */
static void pep508_array(Ctx *c, const LLTomlValue *arr, const char *group, bool groups)
{
    if (ll_toml_type(arr) != LL_TOML_ARRAY) {
        type_error(c, arr, LL_TOML_ARRAY);
        return;
    }
    for (size_t i = 0; i < ll_toml_len(arr); i++) {
        const LLTomlValue *it = ll_toml_at(arr, i);
        if (groups && ll_toml_type(it) == LL_TOML_TABLE && ll_toml_find(it, "include-group", 13))
            continue; /* that group is read on its own */
        if (ll_toml_type(it) != LL_TOML_STRING) {
            type_error(c, it, LL_TOML_STRING);
            continue;
        }
        size_t n;
        const char *s = ll_toml_str(it, &n);
        unsigned line, col;
        content_pos(c, it, &line, &col);
        ll_deps__add_pep508(c->out, c->path, line, col, s, n, LL_DEPFMT_PYPROJECT, group);
    }
}

/* A table of group name -> array of PEP 508 strings. */
static void pep508_groups(Ctx *c, const LLTomlValue *t, bool groups)
{
    if (ll_toml_type(t) != LL_TOML_TABLE) {
        type_error(c, t, LL_TOML_TABLE);
        return;
    }
    for (size_t i = 0; i < ll_toml_len(t); i++) {
        const LLTomlValue *g = ll_toml_at(t, i);
        pep508_array(c, g, ll_toml_key(g, NULL), groups);
    }
}

/* A Poetry constraint string at v: its set, or an error diagnostic. */
static bool poetry_set(Ctx *c, const LLTomlValue *v, LLVerSet *out)
{
    size_t n;
    const char *s = ll_toml_str(v, &n);
    LLVerError verr;
    memset(&verr, 0, sizeof verr);
    LLStatus st = ll_poetry_parse(s, n, out, &verr);
    if (st == LL_OK)
        return true;
    unsigned line, col;
    content_pos(c, v, &line, &col);
    ll_deps__diag(c->out, c->path, line, col + (unsigned)ll_utf8_count(s, verr.offset < n ? verr.offset : n),
                  LL_SEV_ERROR, st, "%s in Poetry constraint \"%.*s\"", verr.msg,
                  (int)(n > 200 ? 200 : n), s);
    return false;
}

/* The marker text of a Poetry table: markers and python. */
static void poetry_marker(const LLTomlValue *t, LLBuf *out)
{
    const LLTomlValue *m = ll_toml_find(t, "markers", 7);
    const LLTomlValue *py = ll_toml_find(t, "python", 6);
    if (m && ll_toml_type(m) == LL_TOML_STRING)
        ll_buf_puts(out, ll_toml_str(m, NULL));
    if (py && ll_toml_type(py) == LL_TOML_STRING)
        ll_buf_printf(out, "%spython %s", out->len ? "; " : "", ll_toml_str(py, NULL));
}

/* One alternative of a Poetry dependency (a string or a table): *known,
 * the set, the text and the marker. False after an error. */
static bool poetry_alt(Ctx *c, const LLTomlValue *v, LLVerSet *set, bool *known, LLBuf *text,
                       LLBuf *marker)
{
    if (ll_toml_type(v) == LL_TOML_STRING) {
        ll_buf_puts(text, ll_toml_str(v, NULL));
        *known = true;
        return poetry_set(c, v, set);
    }
    if (ll_toml_type(v) != LL_TOML_TABLE) {
        type_error(c, v, LL_TOML_STRING);
        return false;
    }
    poetry_marker(v, marker);
    static const char *const sources[] = {"git", "path", "url", "file", NULL};
    for (int i = 0; sources[i]; i++) {
        const LLTomlValue *src = ll_toml_find(v, sources[i], strlen(sources[i]));
        if (src) {
            ll_buf_printf(text, "%s = %s", sources[i],
                          ll_toml_type(src) == LL_TOML_STRING ? ll_toml_str(src, NULL) : "?");
            *known = false;
            ll_verset_all(set);
            return true;
        }
    }
    const LLTomlValue *ver = ll_toml_find(v, "version", 7);
    if (!ver) {
        LLError err;
        memset(&err, 0, sizeof err);
        ll_toml_error(c->doc, v, false, &err, "a dependency table needs \"version\" (or git, path, url, file)");
        ll_deps__toml_diag(c->out, &err, LL_SEV_ERROR);
        return false;
    }
    if (ll_toml_type(ver) != LL_TOML_STRING) {
        type_error(c, ver, LL_TOML_STRING);
        return false;
    }
    ll_buf_puts(text, ll_toml_str(ver, NULL));
    *known = true;
    return poetry_set(c, ver, set);
}

/* A table of Poetry dependencies. */
static void poetry_deps(Ctx *c, const LLTomlValue *t, const char *group)
{
    if (ll_toml_type(t) != LL_TOML_TABLE) {
        type_error(c, t, LL_TOML_TABLE);
        return;
    }
    for (size_t i = 0; i < ll_toml_len(t); i++) {
        const LLTomlValue *v = ll_toml_at(t, i);
        size_t nlen;
        const char *name = ll_toml_key(v, &nlen);
        if (nlen == 6 && memcmp(name, "python", 6) == 0)
            continue; /* the interpreter, not a package */
        if (!ll_pkg_name_valid(name, nlen)) {
            LLError err;
            memset(&err, 0, sizeof err);
            ll_toml_error(c->doc, v, true, &err, "\"%s\" is not a package name", name);
            ll_deps__toml_diag(c->out, &err, LL_SEV_ERROR);
            continue;
        }
        LLVerSet acc = {0}, one = {0};
        LLBuf text, marker, mk1;
        ll_buf_init(&text);
        ll_buf_init(&marker);
        ll_buf_init(&mk1);
        bool any_known = false, ok = true;
        if (ll_toml_type(v) == LL_TOML_ARRAY) {
            /* one constraint per environment: any of them may apply */
            for (size_t k = 0; k < ll_toml_len(v); k++) {
                bool known = false;
                ll_buf_reset(&mk1);
                if (text.len)
                    ll_buf_puts(&text, " || ");
                if (!poetry_alt(c, ll_toml_at(v, k), &one, &known, &text, &mk1)) {
                    ok = false;
                    break;
                }
                if (mk1.len)
                    ll_buf_printf(&marker, "%s(%s)", marker.len ? " or " : "", mk1.data);
                if (known) {
                    ll_verset_union(&acc, &acc, &one);
                    any_known = true;
                }
            }
            if (!ll_toml_len(v)) {
                type_error(c, v, LL_TOML_STRING);
                ok = false;
            }
        } else {
            ok = poetry_alt(c, v, &acc, &any_known, &text, &marker);
        }
        if (ok)
            ll_deps__add(c->out, name, nlen, any_known ? &acc : NULL, any_known, LL_DEPSRC_DECLARED,
                         LL_DEPFMT_PYPROJECT, c->path, ll_toml_key_line(v), ll_toml_key_col(v), text.data,
                         marker.len ? marker.data : NULL, group);
        ll_verset_free(&acc);
        ll_verset_free(&one);
        ll_buf_release(&text);
        ll_buf_release(&marker);
        ll_buf_release(&mk1);
    }
}

LLStatus ll_deps_parse_pyproject(LLDepList *out, const char *path, const char *text, size_t len)
{
    LLStatus st;
    Ctx c = {out, path, text, len, NULL};
    c.doc = ll_deps__toml(out, path, text, len, &st);
    if (!c.doc)
        return st;
    const LLTomlValue *root = ll_toml_root(c.doc);
    const LLTomlValue *project = ll_toml_find(root, "project", 7);
    if (project) {
        if (ll_toml_type(project) != LL_TOML_TABLE) {
            type_error(&c, project, LL_TOML_TABLE);
        } else {
            const LLTomlValue *d = ll_toml_find(project, "dependencies", 12);
            if (d)
                pep508_array(&c, d, NULL, false);
            const LLTomlValue *o = ll_toml_find(project, "optional-dependencies", 21);
            if (o)
                pep508_groups(&c, o, false);
        }
    }
    const LLTomlValue *groups = ll_toml_find(root, "dependency-groups", 17);
    if (groups)
        pep508_groups(&c, groups, true);
    const LLTomlValue *uvdev = ll_toml_get(c.doc, "tool.uv.dev-dependencies");
    if (uvdev)
        pep508_array(&c, uvdev, "dev", false);
    const LLTomlValue *poetry = ll_toml_get(c.doc, "tool.poetry");
    if (poetry && ll_toml_type(poetry) == LL_TOML_TABLE) {
        const LLTomlValue *d = ll_toml_find(poetry, "dependencies", 12);
        if (d)
            poetry_deps(&c, d, NULL);
        d = ll_toml_find(poetry, "dev-dependencies", 16);
        if (d)
            poetry_deps(&c, d, "dev");
        const LLTomlValue *g = ll_toml_find(poetry, "group", 5);
        if (g && ll_toml_type(g) == LL_TOML_TABLE) {
            for (size_t i = 0; i < ll_toml_len(g); i++) {
                const LLTomlValue *grp = ll_toml_at(g, i);
                const LLTomlValue *gd = ll_toml_type(grp) == LL_TOML_TABLE
                                            ? ll_toml_find(grp, "dependencies", 12)
                                            : NULL;
                if (gd)
                    poetry_deps(&c, gd, ll_toml_key(grp, NULL));
            }
        }
    }
    ll_toml_free(c.doc);
    return LL_OK;
}
