/* setupcfg.c - setup.cfg (deps.h): [options] install_requires and the
 * keys of [options.extras_require], read with a minimal INI reader in the
 * way configparser reads them (sections, `key = value` or `key: value`,
 * values continued on lines indented more than their key, full-line
 * comments starting with '#' or ';', keys case-insensitive) and split as
 * setuptools splits them: one requirement per line, or a one-line value
 * split at ';'. `file: a.txt, b.txt` reads requirements files relative to
 * setup.cfg. A '#' after white space ends a requirement (setuptools would
 * fail on it; the requirement is kept). A line that is neither a section,
 * an option, a continuation nor a comment, an option before any section
 * and a section or option defined twice are errors (configparser's
 * strict mode refuses them). */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"
#include "base/vec.h"

#include <stdlib.h>
#include <string.h>

typedef struct Piece {
    const char *s;
    size_t n;
    unsigned line, col;
} Piece;

typedef struct Ctx {
    LLDepList *out;
    const char *path;
    const LLDepsReader *rd;
    char *section;      /* current section, NULL before the first */
    char *key;          /* current option (lower case), NULL when none */
    unsigned key_line, key_indent;
    LL_VEC(Piece) value; /* the option's value: first line, then continuations */
    LLStrMap seen;      /* "section" and "section\nkey" -> line (keys owned by `names`) */
    LL_VEC(char *) names;
} Ctx;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool starts_with_marker(const char *s, size_t n)
{
    static const char *const vars[] = {"python_version", "python_full_version", "sys_platform",
                                       "platform_",      "os_name",             "implementation_",
                                       "extra",          NULL};
    for (int i = 0; vars[i]; i++) {
        size_t k = strlen(vars[i]);
        if (n >= k && memcmp(s, vars[i], k) == 0)
            return true;
    }
    return false;
}

/* Defined twice? Remembers `name` at `line` otherwise. */
static unsigned seen_before(Ctx *c, const char *name, unsigned line)
{
    intptr_t v;
    if (ll_strmap_get(&c->seen, name, strlen(name), &v))
        return (unsigned)v;
    char *copy = ll_xstrdup(name);
    LL_VEC_PUSH(&c->names, copy);
    ll_strmap_put(&c->seen, copy, strlen(copy), (intptr_t)line);
    return 0;
}

static void requirement(Ctx *c, const Piece *p, const char *group)
{
    const char *s = p->s;
    size_t n = p->n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '#' && (i == 0 || is_space(s[i - 1]))) {
            n = i;
            break;
        }
    size_t b = 0;
    while (b < n && is_space(s[b]))
        b++;
    while (n > b && is_space(s[n - 1]))
        n--;
    if (b == n)
        return;
    unsigned col = p->col + (unsigned)ll_utf8_count(s, b);
    ll_deps__add_pep508(c->out, c->path, p->line, col, s + b, n - b, LL_DEPFMT_SETUPCFG, group);
}

/* The finished value of a requirements option. */
static void requirements_value(Ctx *c, const char *group)
{
    size_t total = 0;
    for (size_t i = 0; i < c->value.len; i++)
        total += c->value.items[i].n != 0;
    const Piece *first = c->value.len ? &c->value.items[0] : NULL;
    if (first && first->n >= 5 && memcmp(first->s, "file:", 5) == 0) {
        /* file: a.txt, b.txt (one line) */
        const char *s = first->s + 5;
        size_t n = first->n - 5;
        size_t i = 0;
        while (i < n) {
            size_t b = i;
            while (i < n && s[i] != ',')
                i++;
            size_t e = i++;
            while (b < e && is_space(s[b]))
                b++;
            while (e > b && is_space(s[e - 1]))
                e--;
            if (b == e)
                continue;
            char *rel = ll_xstrndup(s + b, e - b);
            char *file = ll_deps__resolve(c->path, rel);
            LLDepList sub;
            ll_deplist_init(&sub);
            LLStatus st = ll_deps_parse_file(&sub, file, LL_DEPFMT_REQUIREMENTS, c->rd);
            if (st != LL_OK && st != LL_ERR_CONFIG) {
                /* the file could not be read: say where it was named */
                ll_deps__diag(c->out, c->path, first->line, first->col + 5u + (unsigned)b, LL_SEV_ERROR, st,
                              "cannot read %s named by file:", file);
            }
            for (size_t k = 0; k < sub.deps.len; k++) {
                LL_VEC_PUSH(&c->out->deps, sub.deps.items[k]);
                LLDep *d = &c->out->deps.items[c->out->deps.len - 1];
                if (group && !d->group)
                    d->group = ll_xstrdup(group);
            }
            for (size_t k = 0; k < sub.diags.len; k++)
                LL_VEC_PUSH(&c->out->diags, sub.diags.items[k]);
            LL_VEC_FREE(&sub.deps);
            LL_VEC_FREE(&sub.diags);
            free(rel);
            free(file);
        }
        return;
    }
    if (total == 1 && first && first->n) {
        /* one line: setuptools splits it at ';' */
        size_t i = 0;
        while (i <= first->n) {
            size_t b = i;
            while (i < first->n && first->s[i] != ';')
                i++;
            Piece part = {first->s + b, i - b, first->line, first->col + (unsigned)ll_utf8_count(first->s, b)};
            size_t k = 0;
            while (k < part.n && is_space(part.s[k]))
                k++;
            if (b > 0 && starts_with_marker(part.s + k, part.n - k)) {
                ll_deps__diag(c->out, c->path, part.line, part.col + (unsigned)k, LL_SEV_WARNING,
                              LL_ERR_CONFIG,
                              "setuptools splits a one-line value at ';': this environment marker is "
                              "read as a requirement of its own (put each requirement on a line)");
            } else {
                requirement(c, &part, group);
            }
            i++;
        }
        return;
    }
    for (size_t i = 0; i < c->value.len; i++)
        requirement(c, &c->value.items[i], group);
}

static void finish_option(Ctx *c)
{
    if (!c->key)
        return;
    if (c->section && strcmp(c->section, "options") == 0 &&
        (strcmp(c->key, "install_requires") == 0 || strcmp(c->key, "install-requires") == 0))
        requirements_value(c, NULL);
    else if (c->section && strcmp(c->section, "options.extras_require") == 0)
        requirements_value(c, c->key);
    free(c->key);
    c->key = NULL;
    c->value.len = 0;
}

LLStatus ll_deps_parse_setupcfg(LLDepList *out, const char *path, const char *text, size_t len,
                                const LLDepsReader *rd)
{
    Ctx c;
    memset(&c, 0, sizeof c);
    c.out = out;
    c.path = path;
    c.rd = rd;
    ll_strmap_init(&c.seen);
    size_t pos = 0;
    unsigned lineno = 0;
    LLBuf name;
    ll_buf_init(&name);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
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
        unsigned indent = 0;
        size_t k = 0;
        while (k < n && is_space(b[k])) {
            k++;
            indent++;
        }
        size_t e = n;
        while (e > k && is_space(b[e - 1]))
            e--;
        if (k == e)
            continue; /* blank */
        if (b[k] == '#' || b[k] == ';')
            continue; /* comment */
        if (memchr(b + k, '\0', e - k)) {
            ll_deps__diag(out, path, lineno, 1, LL_SEV_ERROR, LL_ERR_CONFIG, "line contains a NUL byte");
            continue;
        }
        unsigned col = 1 + (unsigned)ll_utf8_count(b, k);
        if (c.key && indent > c.key_indent) {
            Piece p = {b + k, e - k, lineno, col};
            LL_VEC_PUSH(&c.value, p);
            continue;
        }
        finish_option(&c);
        if (b[k] == '[') {
            if (b[e - 1] != ']') {
                ll_deps__diag(out, path, lineno, col, LL_SEV_ERROR, LL_ERR_CONFIG,
                              "a section header ends with ']'");
                free(c.section);
                c.section = NULL;
                continue;
            }
            free(c.section);
            c.section = ll_xstrndup(b + k + 1, e - k - 2);
            unsigned first = seen_before(&c, c.section, lineno);
            if (first)
                ll_deps__diag(out, path, lineno, col, LL_SEV_ERROR, LL_ERR_CONFIG,
                              "section [%s] is already defined at line %u", c.section, first);
            continue;
        }
        size_t d = k;
        while (d < e && b[d] != '=' && b[d] != ':')
            d++;
        if (d == e) {
            ll_deps__diag(out, path, lineno, col, LL_SEV_ERROR, LL_ERR_CONFIG,
                          "expected a [section], a key = value line, an indented continuation or a comment");
            continue;
        }
        if (!c.section) {
            ll_deps__diag(out, path, lineno, col, LL_SEV_ERROR, LL_ERR_CONFIG,
                          "an option before any [section]");
            continue;
        }
        size_t ke = d;
        while (ke > k && is_space(b[ke - 1]))
            ke--;
        c.key = ll_xstrndup(b + k, ke - k);
        for (char *p = c.key; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        c.key_line = lineno;
        c.key_indent = indent;
        ll_buf_reset(&name);
        ll_buf_printf(&name, "%s\n%s", c.section, c.key);
        unsigned first = seen_before(&c, name.data, lineno);
        if (first)
            ll_deps__diag(out, path, lineno, col, LL_SEV_ERROR, LL_ERR_CONFIG,
                          "option %s in [%s] is already defined at line %u", c.key, c.section, first);
        size_t vb = d + 1;
        while (vb < e && is_space(b[vb]))
            vb++;
        Piece p = {b + vb, e - vb, lineno, 1 + (unsigned)ll_utf8_count(b, vb)};
        LL_VEC_PUSH(&c.value, p);
    }
    finish_option(&c);
    free(c.section);
    LL_VEC_FREE(&c.value);
    for (size_t i = 0; i < c.names.len; i++)
        free(c.names.items[i]);
    LL_VEC_FREE(&c.names);
    ll_strmap_release(&c.seen);
    ll_buf_release(&name);
    return LL_OK;
}
