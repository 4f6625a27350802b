#include "config/config.h"

#include "base/limits.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tree_sitter/api.h>
#include <unistd.h>

const TSLanguage *tree_sitter_toml(void);

/* ------------------------------------------------------------------------
 * Lists and paths
 * ------------------------------------------------------------------------ */

static void strlist_push(LLStrList *l, const char *s, size_t n)
{
    l->items = ll_xrealloc(l->items, (l->len + 1) * sizeof *l->items);
    l->items[l->len++] = ll_xstrndup(s, n);
}

static void strlist_free(LLStrList *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = 0;
}

static void strlist_append(LLStrList *dst, const LLStrList *src)
{
    for (size_t i = 0; i < src->len; i++)
        strlist_push(dst, src->items[i], strlen(src->items[i]));
}

void ll_config_split_list(LLStrList *l, const char *value)
{
    const char *p = value;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *s = p;
        while (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n)
            strlist_push(l, s, n);
        if (!e)
            break;
        p = e + 1;
    }
}

static char *clean_pattern(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    return ll_xstrndup(p, n);
}

void ll_config_add_glob(LLGlobList *l, const char *pattern, const char *base)
{
    LLGlob g = {clean_pattern(pattern), base ? ll_xstrdup(base) : NULL};
    LL_VEC_PUSH(l, g);
}

static void globs_free(LLGlobList *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->items[i].pattern);
        free(l->items[i].base);
    }
    LL_VEC_FREE(l);
}

/* Copies src into dst; a NULL base becomes `base`. */
static void globs_append(LLGlobList *dst, const LLGlobList *src, const char *base)
{
    for (size_t i = 0; i < src->len; i++) {
        LLGlob g = {ll_xstrdup(src->items[i].pattern),
                    ll_xstrdup(src->items[i].base ? src->items[i].base : base)};
        LL_VEC_PUSH(dst, g);
    }
}

static void pfi_free(LLPerFileIgnores *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->items[i].glob.pattern);
        free(l->items[i].glob.base);
        strlist_free(&l->items[i].codes);
    }
    LL_VEC_FREE(l);
}

static void pfi_append(LLPerFileIgnores *dst, const LLPerFileIgnores *src, const char *base)
{
    for (size_t i = 0; i < src->len; i++) {
        const LLPerFileIgnore *s = &src->items[i];
        LLPerFileIgnore d = {{ll_xstrdup(s->glob.pattern),
                              ll_xstrdup(s->glob.base ? s->glob.base : base)},
                             {NULL, 0}};
        strlist_append(&d.codes, &s->codes);
        LL_VEC_PUSH(dst, d);
    }
}

char *ll_config_abspath(const char *cwd, const char *path)
{
    LLBuf in, out;
    ll_buf_init(&in);
    ll_buf_init(&out);
    if (path[0] != '/')
        ll_buf_printf(&in, "%s/", cwd);
    ll_buf_puts(&in, path);
    /* component by component; ".." drops the last one kept */
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
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (out.len && out.data[out.len - 1] != '/')
                out.len--;
            if (out.len)
                out.len--; /* the '/' */
            out.data[out.len] = '\0';
        } else {
            ll_buf_putc(&out, '/');
            ll_buf_append(&out, p, n);
        }
        p = e;
    }
    if (!out.len)
        ll_buf_putc(&out, '/');
    ll_buf_release(&in);
    return ll_buf_detach(&out);
}

char *ll_config_dirname(const char *abs)
{
    const char *slash = strrchr(abs, '/');
    if (!slash || slash == abs)
        return ll_xstrdup("/");
    return ll_xstrndup(abs, (size_t)(slash - abs));
}

const char *ll_config_path_below(const char *abs, const char *base)
{
    size_t n = strlen(base);
    if (n == 1 && base[0] == '/')
        return abs + 1;
    if (strncmp(abs, base, n) != 0)
        return NULL;
    if (abs[n] == '\0')
        return abs + n;
    if (abs[n] == '/')
        return abs + n + 1;
    return NULL;
}

static char *join_path(const char *dir, const char *name)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return ll_buf_detach(&b);
}

/* ------------------------------------------------------------------------
 * Globs
 * ------------------------------------------------------------------------ */

/* Whether pat matches `path` or one of its leading directory prefixes. */
static bool match_path_or_parent(const char *pat, const char *path, LLBuf *tmp)
{
    for (const char *p = path;; p++) {
        if (*p == '/' || *p == '\0') {
            ll_buf_reset(tmp);
            ll_buf_append(tmp, path, (size_t)(p - path));
            if (tmp->len && ll_glob_match(pat, tmp->data))
                return true;
        }
        if (!*p)
            return false;
    }
}

bool ll_config_glob_matches(const LLGlob *g, const char *abs)
{
    const char *pat = g->pattern;
    if (!*pat)
        return false;
    LLBuf tmp;
    ll_buf_init(&tmp);
    bool hit = false;
    if (pat[0] == '/') {
        hit = match_path_or_parent(pat + 1, abs + 1, &tmp);
    } else {
        const char *rel = g->base ? ll_config_path_below(abs, g->base) : NULL;
        if (strchr(pat, '/')) {
            hit = rel && *rel && match_path_or_parent(pat, rel, &tmp);
        } else if (rel) {
            /* any one component below the base */
            const char *p = rel;
            while (*p && !hit) {
                const char *e = strchr(p, '/');
                size_t n = e ? (size_t)(e - p) : strlen(p);
                ll_buf_reset(&tmp);
                ll_buf_append(&tmp, p, n);
                hit = ll_glob_match(pat, tmp.data);
                p += n;
                if (*p == '/')
                    p++;
            }
        } else {
            const char *slash = strrchr(abs, '/');
            hit = ll_glob_match(pat, slash ? slash + 1 : abs);
        }
    }
    ll_buf_release(&tmp);
    return hit;
}

/* ------------------------------------------------------------------------
 * Rule selection
 * ------------------------------------------------------------------------ */

/* Specificity of the most specific entry of l that selects code: its length
 * (ALL: 0), or -1 when none does. */
static long best_match(const char *code, const LLStrList *l)
{
    long best = -1;
    for (size_t i = 0; i < l->len; i++) {
        const char *p = l->items[i];
        long spec;
        if (strcmp(p, "ALL") == 0)
            spec = 0;
        else if (strncmp(code, p, strlen(p)) == 0)
            spec = (long)strlen(p);
        else
            continue;
        if (spec > best)
            best = spec;
    }
    return best;
}

bool ll_settings_selects(const LLSettings *s, const char *code)
{
    long sel = s->select_set ? best_match(code, &s->select) : 0;
    long more = best_match(code, &s->extend_select);
    if (more > sel)
        sel = more;
    long ign = best_match(code, &s->ignore);
    more = best_match(code, &s->extend_ignore);
    if (more > ign)
        ign = more;
    return sel >= 0 && sel > ign;
}

bool ll_settings_enables(const LLSettings *s, const char *code, const char *abs_path)
{
    if (!ll_settings_selects(s, code))
        return false;
    if (!abs_path)
        return true;
    for (size_t i = 0; i < s->per_file_ignores.len; i++) {
        const LLPerFileIgnore *p = &s->per_file_ignores.items[i];
        if (ll_rule_code_matches(code, &p->codes) && ll_config_glob_matches(&p->glob, abs_path))
            return false;
    }
    return true;
}

const LLGlob *ll_settings_excluded(const LLSettings *s, const char *abs_path)
{
    for (size_t i = 0; i < s->exclude.len; i++)
        if (ll_config_glob_matches(&s->exclude.items[i], abs_path))
            return &s->exclude.items[i];
    for (size_t i = 0; i < s->extend_exclude.len; i++)
        if (ll_config_glob_matches(&s->extend_exclude.items[i], abs_path))
            return &s->extend_exclude.items[i];
    return NULL;
}

/* ------------------------------------------------------------------------
 * TOML: tree-sitter-toml's tree to configuration values
 * ------------------------------------------------------------------------ */

typedef enum Kind {
    K_OTHER,
    K_ERROR,
    K_COMMENT,
    K_PAIR,
    K_TABLE,
    K_TABLE_ARRAY,
    K_BARE_KEY,
    K_QUOTED_KEY,
    K_DOTTED_KEY,
    K_STRING,
    K_INTEGER,
    K_FLOAT,
    K_BOOLEAN,
    K_DATETIME,
    K_ARRAY,
    K_INLINE_TABLE,
} Kind;

static Kind kind_of(TSNode n)
{
    static const struct {
        const char *name;
        Kind kind;
    } kinds[] = {
        {"ERROR", K_ERROR},
        {"comment", K_COMMENT},
        {"pair", K_PAIR},
        {"table", K_TABLE},
        {"table_array_element", K_TABLE_ARRAY},
        {"bare_key", K_BARE_KEY},
        {"quoted_key", K_QUOTED_KEY},
        {"dotted_key", K_DOTTED_KEY},
        {"string", K_STRING},
        {"integer", K_INTEGER},
        {"float", K_FLOAT},
        {"boolean", K_BOOLEAN},
        {"offset_date_time", K_DATETIME},
        {"local_date_time", K_DATETIME},
        {"local_date", K_DATETIME},
        {"local_time", K_DATETIME},
        {"array", K_ARRAY},
        {"inline_table", K_INLINE_TABLE},
    };
    const char *t = ts_node_type(n);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(t, kinds[i].name) == 0)
            return kinds[i].kind;
    return K_OTHER;
}

static const char *kind_phrase(Kind k)
{
    switch (k) {
    case K_STRING: return "a string";
    case K_INTEGER: return "an integer";
    case K_FLOAT: return "a float";
    case K_BOOLEAN: return "a boolean";
    case K_DATETIME: return "a date or time";
    case K_ARRAY: return "an array";
    case K_INLINE_TABLE: return "a table";
    default: return "a value";
    }
}

/* The i-th named child that is not a comment. */
static bool nth_child(TSNode n, uint32_t want, TSNode *out)
{
    uint32_t count = ts_node_named_child_count(n), seen = 0;
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (kind_of(c) == K_COMMENT)
            continue;
        if (seen++ == want) {
            *out = c;
            return true;
        }
    }
    return false;
}

/* A dotted key, one decoded string and its node per component. */
typedef struct Key {
    char *parts[LL_MAX_CONFIG_KEY_PARTS];
    TSNode nodes[LL_MAX_CONFIG_KEY_PARTS];
    size_t n;
} Key;

static void key_free(Key *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->parts[i]);
    k->n = 0;
}

typedef struct Parser {
    const char *path, *dir;
    const char *text; /* the file as read (for positions) */
    size_t len;
    LLError *err;
    LLConfig *cfg;
    const char *const *prefix; /* the table holding loadlint's keys */
    size_t nprefix;
    bool found;
    bool main_table, pfi_table, pfi_inline; /* tables defined so far */
    LLStrList seen;                          /* keys set, for duplicates */
} Parser;

static void position(const Parser *p, uint32_t byte, unsigned *line, unsigned *col)
{
    unsigned l = 1;
    size_t start = 0;
    for (size_t i = 0; i < byte && i < p->len; i++) {
        if (p->text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (unsigned)ll_utf8_count(p->text + start, byte - start) + 1;
}

static LLStatus fail_at_byte(Parser *p, uint32_t byte, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static LLStatus fail_at_byte(Parser *p, uint32_t byte, const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line, col;
    position(p, byte, &line, &col);
    return ll_error_set(p->err, LL_ERR_CONFIG, p->path, line, col, "%s", msg);
}

#define FAIL_AT(p, node, ...) fail_at_byte((p), ts_node_start_byte(node), __VA_ARGS__)

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void put_utf8(LLBuf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    ll_buf_append(b, s, n);
}

/* Decodes the string (or quoted key) at text[start..end) into out: basic
 * and literal strings, single-line or multi-line. */
static LLStatus decode_string(Parser *p, uint32_t start, uint32_t end, LLBuf *out)
{
    const char *s = p->text + start;
    size_t n = end - start;
    bool multi = n >= 6 && (strncmp(s, "\"\"\"", 3) == 0 || strncmp(s, "'''", 3) == 0);
    bool basic = s[0] == '"';
    size_t q = multi ? 3 : 1;
    if (n < 2 * q)
        return fail_at_byte(p, start, "malformed string");
    size_t i = q, stop = n - q;
    if (multi) { /* a newline right after the opening quotes is dropped */
        if (i < stop && s[i] == '\n')
            i++;
        else if (i + 1 < stop && s[i] == '\r' && s[i + 1] == '\n')
            i += 2;
    }
    while (i < stop) {
        char c = s[i];
        if (c == '\r' && multi && i + 1 < stop && s[i + 1] == '\n') {
            i++; /* CRLF reads as LF */
            continue;
        }
        if (c != '\\' || !basic) {
            ll_buf_putc(out, c);
            i++;
            continue;
        }
        uint32_t at = start + (uint32_t)i;
        char e = i + 1 < stop ? s[i + 1] : '\0';
        i += 2;
        switch (e) {
        case 'b': ll_buf_putc(out, '\b'); break;
        case 't': ll_buf_putc(out, '\t'); break;
        case 'n': ll_buf_putc(out, '\n'); break;
        case 'f': ll_buf_putc(out, '\f'); break;
        case 'r': ll_buf_putc(out, '\r'); break;
        case 'e': ll_buf_putc(out, '\x1b'); break;
        case '"': ll_buf_putc(out, '"'); break;
        case '\\': ll_buf_putc(out, '\\'); break;
        case 'u':
        case 'U': {
            size_t digits = e == 'u' ? 4 : 8;
            uint32_t cp = 0;
            for (size_t k = 0; k < digits; k++) {
                if (i + k >= stop || !is_hex(s[i + k]))
                    return fail_at_byte(p, at, "invalid \\%c escape: needs %zu hex digits", e, digits);
                char h = s[i + k];
                cp = cp * 16 + (uint32_t)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return fail_at_byte(p, at, "\\%c escape U+%04X is not a Unicode scalar value", e, (unsigned)cp);
            put_utf8(out, cp);
            i += digits;
            break;
        }
        default: {
            /* line-ending backslash: drops the newline and the whitespace
             * (newlines included) up to the next other character */
            size_t k = i - 1;
            while (multi && k < stop && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (multi && k < stop && (s[k] == '\n' || (s[k] == '\r' && k + 1 < stop && s[k + 1] == '\n'))) {
                while (k < stop && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
                    k++;
                i = k;
                break;
            }
            return fail_at_byte(p, at, "invalid escape sequence in a string");
        }
        }
    }
    return LL_OK;
}

/* One component of a key: bare or quoted. */
static LLStatus simple_key(Parser *p, TSNode k, char **out)
{
    uint32_t a = ts_node_start_byte(k), b = ts_node_end_byte(k);
    if (kind_of(k) == K_BARE_KEY) {
        *out = ll_xstrndup(p->text + a, b - a);
        return LL_OK;
    }
    if (kind_of(k) != K_QUOTED_KEY)
        return FAIL_AT(p, k, "invalid key");
    LLBuf buf;
    ll_buf_init(&buf);
    if (decode_string(p, a, b, &buf) != LL_OK) {
        ll_buf_release(&buf);
        return LL_ERR_CONFIG;
    }
    *out = ll_buf_detach(&buf);
    return LL_OK;
}

/* Appends the components of key node k (bare, quoted or dotted) to key.
 * tree-sitter-toml nests dotted keys to the left: ((a . b) . c); they are
 * unwound with a loop. */
static LLStatus read_key(Parser *p, TSNode k, Key *key)
{
    TSNode right[LL_MAX_CONFIG_KEY_PARTS];
    size_t nright = 0;
    TSNode cur = k;
    while (kind_of(cur) == K_DOTTED_KEY) {
        TSNode left, last;
        if (!nth_child(cur, 0, &left) || !nth_child(cur, 1, &last))
            return FAIL_AT(p, cur, "invalid dotted key");
        if (key->n + nright + 2 > LL_MAX_CONFIG_KEY_PARTS)
            return FAIL_AT(p, k, "key has more than %u dotted parts", LL_MAX_CONFIG_KEY_PARTS);
        right[nright++] = last;
        cur = left;
    }
    if (key->n + nright + 1 > LL_MAX_CONFIG_KEY_PARTS)
        return FAIL_AT(p, k, "key has more than %u dotted parts", LL_MAX_CONFIG_KEY_PARTS);
    if (simple_key(p, cur, &key->parts[key->n]) != LL_OK)
        return LL_ERR_CONFIG;
    key->nodes[key->n++] = cur;
    while (nright) {
        TSNode c = right[--nright];
        if (simple_key(p, c, &key->parts[key->n]) != LL_OK)
            return LL_ERR_CONFIG;
        key->nodes[key->n++] = c;
    }
    return LL_OK;
}

static const char *table_name(const Parser *p)
{
    return p->nprefix ? "[tool.loadlint]" : "the configuration";
}

static const char *in_table(const Parser *p)
{
    return p->nprefix ? " in [tool.loadlint]" : "";
}

static LLStatus expect_kind(Parser *p, TSNode v, Kind want, const char *key, const char *what)
{
    Kind k = kind_of(v);
    if (k == want)
        return LL_OK;
    return FAIL_AT(p, v, "\"%s\" must be %s, not %s", key, what, kind_phrase(k));
}

typedef enum ItemCheck { ITEM_CODE, ITEM_GLOB, ITEM_PATH } ItemCheck;

static LLStatus string_value(Parser *p, TSNode v, char **out)
{
    LLBuf buf;
    ll_buf_init(&buf);
    if (decode_string(p, ts_node_start_byte(v), ts_node_end_byte(v), &buf) != LL_OK) {
        ll_buf_release(&buf);
        return LL_ERR_CONFIG;
    }
    *out = ll_buf_detach(&buf);
    return LL_OK;
}

/* An array of strings into l, each item checked. */
static LLStatus string_list(Parser *p, TSNode v, const char *key, ItemCheck check, LLStrList *l)
{
    if (expect_kind(p, v, K_ARRAY, key, "an array of strings") != LL_OK)
        return LL_ERR_CONFIG;
    uint32_t count = ts_node_named_child_count(v);
    for (uint32_t i = 0; i < count; i++) {
        TSNode item = ts_node_named_child(v, i);
        Kind k = kind_of(item);
        if (k == K_COMMENT)
            continue;
        if (k != K_STRING)
            return FAIL_AT(p, item, "\"%s\" must be an array of strings, but this item is %s",
                           key, kind_phrase(k));
        char *s;
        if (string_value(p, item, &s) != LL_OK)
            return LL_ERR_CONFIG;
        bool ok = *s != '\0';
        if (ok && check == ITEM_CODE)
            for (const char *c = s; *c; c++)
                if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
                    ok = false;
        if (!ok) {
            LLStatus st = check == ITEM_CODE
                              ? FAIL_AT(p, item, "\"%s\": \"%s\" is not a rule code or prefix (like \"LL101\", \"LL1\" or \"ALL\")", key, s)
                              : FAIL_AT(p, item, "\"%s\": an empty string is not a %s", key,
                                        check == ITEM_GLOB ? "glob" : "directory");
            free(s);
            return st;
        }
        l->items = ll_xrealloc(l->items, (l->len + 1) * sizeof *l->items);
        l->items[l->len++] = s;
    }
    return LL_OK;
}

/* Marks `name` as set; false when it was set before. */
static bool first_time(Parser *p, const char *name)
{
    for (size_t i = 0; i < p->seen.len; i++)
        if (strcmp(p->seen.items[i], name) == 0)
            return false;
    strlist_push(&p->seen, name, strlen(name));
    return true;
}

static LLStatus add_pfi(Parser *p, const char *glob, TSNode key_node, TSNode v)
{
    LLBuf name;
    ll_buf_init(&name);
    ll_buf_printf(&name, "per-file-ignores\x1f%s", glob);
    bool fresh = first_time(p, name.data);
    ll_buf_release(&name);
    if (!fresh)
        return FAIL_AT(p, key_node, "duplicate key \"%s\" in per-file-ignores", glob);
    if (!*glob)
        return FAIL_AT(p, key_node, "per-file-ignores: an empty string is not a glob");
    LLPerFileIgnore e = {{clean_pattern(glob), ll_xstrdup(p->dir)}, {NULL, 0}};
    if (string_list(p, v, "per-file-ignores", ITEM_CODE, &e.codes) != LL_OK) {
        free(e.glob.pattern);
        free(e.glob.base);
        strlist_free(&e.codes);
        return LL_ERR_CONFIG;
    }
    p->cfg->has_per_file_ignores = true;
    LL_VEC_PUSH(&p->cfg->per_file_ignores, e);
    return LL_OK;
}

static const char *const known_keys =
    "select, ignore, extend-select, extend-ignore, exclude, extend-exclude, "
    "per-file-ignores, min-severity, rules, respect-gitignore, honor-noqa";

/* One key of loadlint's table: sub[0..n) is the path below that table
 * (n >= 1), v its value. */
static LLStatus set_key(Parser *p, char *const *sub, const TSNode *nodes, size_t n, TSNode v)
{
    const char *name = sub[0];
    LLConfig *c = p->cfg;
    if (strcmp(name, "per-file-ignores") == 0) {
        if (n == 1) {
            if (p->pfi_inline || p->pfi_table)
                return FAIL_AT(p, nodes[0], "duplicate key \"per-file-ignores\"");
            p->pfi_inline = true;
            if (expect_kind(p, v, K_INLINE_TABLE, name, "a table of glob = [codes]") != LL_OK)
                return LL_ERR_CONFIG;
            c->has_per_file_ignores = true;
            uint32_t count = ts_node_named_child_count(v);
            for (uint32_t i = 0; i < count; i++) {
                TSNode pair = ts_node_named_child(v, i), kn, vn;
                if (kind_of(pair) != K_PAIR)
                    continue;
                if (!nth_child(pair, 0, &kn) || !nth_child(pair, 1, &vn))
                    return FAIL_AT(p, pair, "invalid key/value pair");
                Key k = {0};
                LLStatus st = read_key(p, kn, &k);
                if (st == LL_OK && k.n != 1)
                    st = FAIL_AT(p, kn, "a per-file-ignores key is one glob: quote it (\"%s.%s\" = [...])",
                                 k.parts[0], k.parts[1]);
                if (st == LL_OK)
                    st = add_pfi(p, k.parts[0], kn, vn);
                key_free(&k);
                if (st != LL_OK)
                    return st;
            }
            return LL_OK;
        }
        if (n == 2) {
            if (p->pfi_inline)
                return FAIL_AT(p, nodes[1], "per-file-ignores is already defined as an inline table");
            return add_pfi(p, sub[1], nodes[1], v);
        }
        return FAIL_AT(p, nodes[2], "per-file-ignores maps a glob to an array of codes; \"%s\" is not a glob key",
                       sub[2]);
    }

    static const char *const list_keys[] = {"select", "ignore", "extend-select", "extend-ignore",
                                            "exclude", "extend-exclude", "rules"};
    static const char *const scalar_keys[] = {"min-severity", "respect-gitignore", "honor-noqa"};
    bool known = false;
    for (size_t i = 0; i < sizeof list_keys / sizeof *list_keys; i++)
        known |= strcmp(name, list_keys[i]) == 0;
    for (size_t i = 0; i < sizeof scalar_keys / sizeof *scalar_keys; i++)
        known |= strcmp(name, scalar_keys[i]) == 0;
    if (!known)
        return FAIL_AT(p, nodes[0], "unknown key \"%s\"%s (known keys: %s)", name,
                       in_table(p), known_keys);
    if (n > 1)
        return FAIL_AT(p, nodes[1], "\"%s\" is not a table: \"%s.%s\" is not a key", name, name, sub[1]);
    if (!first_time(p, name))
        return FAIL_AT(p, nodes[0], "duplicate key \"%s\"", name);

    if (strcmp(name, "select") == 0) {
        c->has_select = true;
        return string_list(p, v, name, ITEM_CODE, &c->select);
    }
    if (strcmp(name, "ignore") == 0) {
        c->has_ignore = true;
        return string_list(p, v, name, ITEM_CODE, &c->ignore);
    }
    if (strcmp(name, "extend-select") == 0)
        return string_list(p, v, name, ITEM_CODE, &c->extend_select);
    if (strcmp(name, "extend-ignore") == 0)
        return string_list(p, v, name, ITEM_CODE, &c->extend_ignore);
    if (strcmp(name, "exclude") == 0 || strcmp(name, "extend-exclude") == 0) {
        LLStrList l = {NULL, 0};
        LLStatus st = string_list(p, v, name, ITEM_GLOB, &l);
        LLGlobList *dst = strcmp(name, "exclude") == 0 ? &c->exclude : &c->extend_exclude;
        for (size_t i = 0; st == LL_OK && i < l.len; i++)
            ll_config_add_glob(dst, l.items[i], p->dir);
        strlist_free(&l);
        if (dst == &c->exclude)
            c->has_exclude = true;
        return st;
    }
    if (strcmp(name, "rules") == 0) {
        LLStrList l = {NULL, 0};
        LLStatus st = string_list(p, v, name, ITEM_PATH, &l);
        for (size_t i = 0; st == LL_OK && i < l.len; i++) {
            char *abs = ll_config_abspath(p->dir, l.items[i]);
            strlist_push(&c->rules, abs, strlen(abs));
            free(abs);
        }
        strlist_free(&l);
        return st;
    }
    if (strcmp(name, "min-severity") == 0) {
        if (expect_kind(p, v, K_STRING, name, "\"note\", \"warning\" or \"error\"") != LL_OK)
            return LL_ERR_CONFIG;
        char *s;
        if (string_value(p, v, &s) != LL_OK)
            return LL_ERR_CONFIG;
        bool ok = ll_severity_parse(s, &c->min_severity);
        LLStatus st = ok ? LL_OK
                         : FAIL_AT(p, v, "\"min-severity\" must be \"note\", \"warning\" or \"error\", not \"%s\"", s);
        free(s);
        c->has_min_severity = ok;
        return st;
    }
    /* respect-gitignore, honor-noqa */
    if (expect_kind(p, v, K_BOOLEAN, name, "true or false") != LL_OK)
        return LL_ERR_CONFIG;
    bool b = p->text[ts_node_start_byte(v)] == 't';
    if (strcmp(name, "respect-gitignore") == 0) {
        c->has_respect_gitignore = true;
        c->respect_gitignore = b;
    } else {
        c->has_honor_noqa = true;
        c->honor_noqa = b;
    }
    return LL_OK;
}

/* How a key path relates to loadlint's table. */
typedef enum Place { P_OUTSIDE, P_ABOVE, P_INSIDE } Place;

static Place place_of(const Parser *p, char *const *parts, size_t n)
{
    size_t m = n < p->nprefix ? n : p->nprefix;
    for (size_t i = 0; i < m; i++)
        if (strcmp(parts[i], p->prefix[i]) != 0)
            return P_OUTSIDE;
    return n < p->nprefix ? P_ABOVE : P_INSIDE;
}

/* Pending key/value pairs: `pair` with the key path base[0..nbase) before
 * its own key. Inline tables above loadlint's table (tool = {loadlint =
 * {...}}) push their pairs here, so nothing recurses. */
typedef struct Pending {
    TSNode pair;
    size_t nbase; /* the base is p->prefix[0..nbase) or the header key */
    bool from_header;
} Pending;

/* The pairs among container's named children from index `from` on, under
 * the table `header` (NULL: the top level). */
static LLStatus handle_pairs(Parser *p, const Key *header, TSNode container, uint32_t from)
{
    LL_VEC(Pending) todo = {0};
    uint32_t count = ts_node_named_child_count(container);
    /* pushed in reverse so that they pop in document order */
    for (uint32_t i = count; i-- > from;) {
        TSNode c = ts_node_named_child(container, i);
        if (kind_of(c) == K_PAIR) {
            Pending e = {c, header ? header->n : 0, header != NULL};
            LL_VEC_PUSH(&todo, e);
        }
    }
    LLStatus st = LL_OK;
    while (st == LL_OK && todo.len) {
        Pending cur = todo.items[--todo.len];
        TSNode kn, vn;
        if (!nth_child(cur.pair, 0, &kn) || !nth_child(cur.pair, 1, &vn)) {
            st = FAIL_AT(p, cur.pair, "invalid key/value pair");
            break;
        }
        Key k = {0};
        for (size_t i = 0; i < cur.nbase; i++) {
            k.parts[i] = ll_xstrdup(cur.from_header ? header->parts[i] : p->prefix[i]);
            k.nodes[i] = cur.from_header ? header->nodes[i] : kn;
            k.n++;
        }
        st = read_key(p, kn, &k);
        if (st == LL_OK) {
            Place where = place_of(p, k.parts, k.n);
            if (where == P_INSIDE && k.n > p->nprefix) {
                p->found = true;
                st = set_key(p, k.parts + p->nprefix, k.nodes + p->nprefix, k.n - p->nprefix, vn);
            } else if (where != P_OUTSIDE && kind_of(vn) == K_INLINE_TABLE) {
                /* above or at loadlint's table: look inside the inline table */
                if (where == P_INSIDE) {
                    if (p->main_table)
                        st = FAIL_AT(p, kn, "%s is defined twice", table_name(p));
                    p->main_table = p->found = true;
                }
                uint32_t nkids = ts_node_named_child_count(vn);
                for (uint32_t i = nkids; st == LL_OK && i-- > 0;) {
                    TSNode c = ts_node_named_child(vn, i);
                    if (kind_of(c) == K_PAIR) {
                        Pending e = {c, k.n, false};
                        LL_VEC_PUSH(&todo, e);
                    }
                }
            } else if (where == P_INSIDE) {
                st = FAIL_AT(p, vn, "%s must be a table, not %s", table_name(p), kind_phrase(kind_of(vn)));
            }
        }
        key_free(&k);
    }
    LL_VEC_FREE(&todo);
    return st;
}

static LLStatus handle_table(Parser *p, TSNode table, bool array)
{
    TSNode kn;
    if (!nth_child(table, 0, &kn))
        return FAIL_AT(p, table, "table header without a name");
    Key k = {0};
    LLStatus st = read_key(p, kn, &k);
    if (st != LL_OK) {
        key_free(&k);
        return st;
    }
    Place where = place_of(p, k.parts, k.n);
    if (where == P_INSIDE) {
        p->found = true;
        size_t depth = k.n - p->nprefix;
        if (array) {
            st = FAIL_AT(p, kn, "[[...]] (an array of tables) is not allowed here; use [%s]",
                         depth ? k.parts[p->nprefix] : "tool.loadlint");
        } else if (depth == 0) {
            if (p->main_table)
                st = FAIL_AT(p, kn, "table [tool.loadlint] is defined twice");
            p->main_table = true;
        } else if (strcmp(k.parts[p->nprefix], "per-file-ignores") != 0) {
            st = FAIL_AT(p, k.nodes[p->nprefix], "unknown key \"%s\"%s (known keys: %s)",
                         k.parts[p->nprefix], in_table(p), known_keys);
        } else if (depth > 1) {
            st = FAIL_AT(p, k.nodes[p->nprefix + 1],
                         "per-file-ignores maps a glob to an array of codes; [...] tables below it are not allowed");
        } else if (p->pfi_table || p->pfi_inline) {
            st = FAIL_AT(p, kn, "per-file-ignores is defined twice");
        } else {
            p->pfi_table = true;
            p->cfg->has_per_file_ignores = true;
        }
    }
    /* pairs of other tables, or of an array-of-tables element, are never ours */
    if (st == LL_OK && where != P_OUTSIDE && !array) {
        uint32_t count = ts_node_named_child_count(table);
        uint32_t from = 0;
        while (from < count && !ts_node_eq(ts_node_named_child(table, from), kn))
            from++;
        st = handle_pairs(p, &k, table, from + 1);
    }
    key_free(&k);
    return st;
}

/* The first node below `top` (or top itself) in document order that is
 * MISSING, or an ERROR (`leaf_only`: an ERROR without children, a token the
 * parser could not use). Only subtrees holding an error are entered. */
static bool find_error(TSNode top, bool leaf_only, TSNode *out)
{
    TSTreeCursor c = ts_tree_cursor_new(top);
    bool found = false;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_is_missing(n) ||
            (kind_of(n) == K_ERROR && (!leaf_only || ts_node_child_count(n) == 0))) {
            *out = n;
            found = true;
            break;
        }
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c))
            continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c))
                break;
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&c);
    return found;
}

/* The first syntax error: an ERROR or MISSING node, or inside an ERROR that
 * wraps what it skipped, the first token it could not use. */
static bool first_error(TSNode root, TSNode *out)
{
    if (!find_error(root, false, out))
        return false;
    TSNode inner;
    if (kind_of(*out) == K_ERROR && ts_node_child_count(*out) > 0 && find_error(*out, true, &inner))
        *out = inner;
    return true;
}

static LLStatus syntax_error(Parser *p, TSNode n)
{
    if (ts_node_is_missing(n)) {
        const char *t = ts_node_type(n);
        if (ts_node_is_named(n) || strstr(t, "token"))
            return FAIL_AT(p, n, "invalid TOML: a value is missing here");
        return FAIL_AT(p, n, "invalid TOML: missing '%s'", t);
    }
    bool leaf = ts_node_child_count(n) == 0;
    /* show the start of the offending text, on one line */
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    size_t len = 0;
    while (a + len < b && len < 20 && p->text[a + len] != '\n' && p->text[a + len] != '\r')
        len++;
    if (!len)
        return FAIL_AT(p, n, "invalid TOML: unexpected end of line");
    LLBuf snip;
    ll_buf_init(&snip);
    ll_escape_controls(&snip, p->text + a, len);
    LLStatus st = FAIL_AT(p, n, leaf ? "invalid TOML: unexpected '%s'" : "invalid TOML near '%s'", snip.data);
    ll_buf_release(&snip);
    return st;
}

static LLStatus check_utf8(Parser *p)
{
    if (ll_utf8_valid(p->text, p->len))
        return LL_OK;
    size_t line_start = 0;
    for (size_t i = 0; i <= p->len; i++) {
        if (i < p->len && p->text[i] != '\n')
            continue;
        if (!ll_utf8_valid(p->text + line_start, i - line_start)) {
            size_t k = line_start;
            while (k < i && ll_utf8_valid(p->text + line_start, k + 1 - line_start))
                k++;
            return fail_at_byte(p, (uint32_t)k, "invalid TOML: not valid UTF-8");
        }
        line_start = i + 1;
    }
    return fail_at_byte(p, 0, "invalid TOML: not valid UTF-8");
}

void ll_config_release(LLConfig *cfg)
{
    free(cfg->path);
    free(cfg->dir);
    strlist_free(&cfg->select);
    strlist_free(&cfg->ignore);
    strlist_free(&cfg->extend_select);
    strlist_free(&cfg->extend_ignore);
    globs_free(&cfg->exclude);
    globs_free(&cfg->extend_exclude);
    pfi_free(&cfg->per_file_ignores);
    strlist_free(&cfg->rules);
    memset(cfg, 0, sizeof *cfg);
}

LLStatus ll_config_parse(LLConfig *cfg, LLConfigKind kind, const char *path,
                         const char *dir, const char *text, size_t len,
                         bool *found, LLError *err)
{
    static const char *const pyproject_prefix[] = {"tool", "loadlint"};
    memset(cfg, 0, sizeof *cfg);
    cfg->path = ll_xstrdup(path);
    cfg->dir = ll_xstrdup(dir);
    cfg->respect_gitignore = cfg->honor_noqa = true;
    *found = false;
    if (len > LL_MAX_CONFIG_FILE_BYTES) {
        ll_config_release(cfg);
        return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0,
                            "configuration file is larger than %u bytes", LL_MAX_CONFIG_FILE_BYTES);
    }
    Parser p = {0};
    p.path = path;
    p.dir = dir;
    p.text = text;
    p.len = len;
    p.err = err;
    p.cfg = cfg;
    p.prefix = kind == LL_CONFIG_PYPROJECT ? pyproject_prefix : NULL;
    p.nprefix = kind == LL_CONFIG_PYPROJECT ? 2 : 0;

    LLStatus st = check_utf8(&p);
    TSParser *parser = NULL;
    TSTree *tree = NULL;
    char *copy = NULL;
    if (st == LL_OK) {
        /* a byte-order mark reads as blanks */
        copy = ll_xmalloc(len + 1);
        memcpy(copy, text, len + 1);
        if (len >= 3 && memcmp(copy, "\xEF\xBB\xBF", 3) == 0)
            memset(copy, ' ', 3);
        parser = ts_parser_new();
        if (!ts_parser_set_language(parser, tree_sitter_toml()))
            st = ll_error_set(err, LL_ERR_CONFIG, path, 0, 0,
                              "internal error: the TOML grammar does not load");
    }
    if (st == LL_OK) {
        tree = ts_parser_parse_string(parser, NULL, copy, (uint32_t)len);
        if (!tree)
            st = ll_error_set(err, LL_ERR_CONFIG, path, 0, 0, "internal error: TOML parse failed");
    }
    if (st == LL_OK) {
        TSNode root = ts_tree_root_node(tree), bad;
        if (ts_node_has_error(root) && first_error(root, &bad)) {
            st = syntax_error(&p, bad);
        } else {
            uint32_t count = ts_node_named_child_count(root);
            /* top-level pairs first (they precede every table), then tables */
            st = handle_pairs(&p, NULL, root, 0);
            for (uint32_t i = 0; st == LL_OK && i < count; i++) {
                TSNode c = ts_node_named_child(root, i);
                Kind k = kind_of(c);
                if (k == K_TABLE || k == K_TABLE_ARRAY)
                    st = handle_table(&p, c, k == K_TABLE_ARRAY);
            }
        }
    }
    if (tree)
        ts_tree_delete(tree);
    if (parser)
        ts_parser_delete(parser);
    free(copy);
    strlist_free(&p.seen);
    if (st != LL_OK) {
        ll_config_release(cfg);
        return st;
    }
    *found = kind == LL_CONFIG_LOADLINT || p.found;
    return LL_OK;
}

static LLStatus read_file(const char *path, const char *display, LLBuf *out, LLError *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return ll_error_set(err, LL_ERR_IO, display, 0, 0, "cannot read the configuration file: %s",
                            strerror(errno));
    struct stat sb;
    LLStatus st = LL_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = ll_error_set(err, LL_ERR_IO, display, 0, 0, "not a regular file");
    } else if ((uint64_t)sb.st_size > LL_MAX_CONFIG_FILE_BYTES) {
        st = ll_error_set(err, LL_ERR_LIMIT, display, 0, 0,
                          "configuration file is larger than %u bytes", LL_MAX_CONFIG_FILE_BYTES);
    } else {
        char chunk[8192];
        for (;;) {
            ssize_t n = read(fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                st = ll_error_set(err, LL_ERR_IO, display, 0, 0,
                                  "cannot read the configuration file: %s", strerror(errno));
                break;
            }
            if (n == 0)
                break;
            ll_buf_append(out, chunk, (size_t)n);
            if (out->len > LL_MAX_CONFIG_FILE_BYTES) {
                st = ll_error_set(err, LL_ERR_LIMIT, display, 0, 0,
                                  "configuration file is larger than %u bytes", LL_MAX_CONFIG_FILE_BYTES);
                break;
            }
        }
    }
    close(fd);
    return st;
}

LLStatus ll_config_load(LLConfig *cfg, const char *path, const char *display,
                        const char *dir, bool *found, LLError *err)
{
    memset(cfg, 0, sizeof *cfg);
    *found = false;
    LLBuf text;
    ll_buf_init(&text);
    LLStatus st = read_file(path, display, &text, err);
    if (st == LL_OK) {
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        LLConfigKind kind = strcmp(base, "pyproject.toml") == 0 ? LL_CONFIG_PYPROJECT : LL_CONFIG_LOADLINT;
        st = ll_config_parse(cfg, kind, display, dir, text.data, text.len, found, err);
    }
    ll_buf_release(&text);
    return st;
}

/* ------------------------------------------------------------------------
 * Overrides and settings
 * ------------------------------------------------------------------------ */

void ll_config_overrides_init(LLOverrides *o)
{
    memset(o, 0, sizeof *o);
    o->honor_noqa = true;
}

void ll_config_overrides_release(LLOverrides *o)
{
    strlist_free(&o->select);
    strlist_free(&o->ignore);
    strlist_free(&o->extend_select);
    strlist_free(&o->extend_ignore);
    globs_free(&o->exclude);
    globs_free(&o->extend_exclude);
    pfi_free(&o->per_file_ignores);
    memset(o, 0, sizeof *o);
}

static void settings_free(LLSettings *s)
{
    strlist_free(&s->select);
    strlist_free(&s->ignore);
    strlist_free(&s->extend_select);
    strlist_free(&s->extend_ignore);
    globs_free(&s->exclude);
    globs_free(&s->extend_exclude);
    pfi_free(&s->per_file_ignores);
    strlist_free(&s->rule_dirs);
    free(s);
}

void ll_config_toml_string(LLBuf *out, const char *s)
{
    ll_buf_putc(out, '"');
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            ll_buf_printf(out, "\\%c", *c);
        else if (*c == '\n')
            ll_buf_puts(out, "\\n");
        else if (*c == '\t')
            ll_buf_puts(out, "\\t");
        else if (*c < 0x20 || *c == 0x7F)
            ll_buf_printf(out, "\\u%04x", *c);
        else
            ll_buf_putc(out, (char)*c);
    }
    ll_buf_putc(out, '"');
}

static void print_list(LLBuf *out, const char *key, const LLStrList *l)
{
    ll_buf_printf(out, "%s = [", key);
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            ll_buf_puts(out, ", ");
        ll_config_toml_string(out, l->items[i]);
    }
    ll_buf_puts(out, "]\n");
}

/* A glob as it reads from the settings' root: patterns with a '/' from
 * another base are shown absolute. */
static void print_glob(LLBuf *out, const LLSettings *s, const LLGlob *g)
{
    if (g->pattern[0] != '/' && strchr(g->pattern, '/') && strcmp(g->base, s->root) != 0) {
        char *abs = join_path(g->base, g->pattern);
        ll_config_toml_string(out, abs);
        free(abs);
    } else {
        ll_config_toml_string(out, g->pattern);
    }
}

static void print_globs(LLBuf *out, const char *key, const LLSettings *s, const LLGlobList *l)
{
    ll_buf_printf(out, "%s = [", key);
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            ll_buf_puts(out, ", ");
        print_glob(out, s, &l->items[i]);
    }
    ll_buf_puts(out, "]\n");
}

void ll_settings_print(const LLSettings *s, LLBuf *out)
{
    ll_buf_puts(out, "config-file = ");
    ll_config_toml_string(out, s->config_path ? s->config_path : "");
    ll_buf_puts(out, s->config_path ? "\n" : "  # none: defaults and the command line\n");
    ll_buf_puts(out, "root = ");
    ll_config_toml_string(out, s->root);
    ll_buf_putc(out, '\n');
    if (s->select_set) {
        print_list(out, "select", &s->select);
    } else {
        ll_buf_puts(out, "select = [\"ALL\"]  # default\n");
    }
    print_list(out, "ignore", &s->ignore);
    print_list(out, "extend-select", &s->extend_select);
    print_list(out, "extend-ignore", &s->extend_ignore);
    print_globs(out, "exclude", s, &s->exclude);
    print_globs(out, "extend-exclude", s, &s->extend_exclude);
    ll_buf_puts(out, "per-file-ignores = {");
    for (size_t i = 0; i < s->per_file_ignores.len; i++) {
        const LLPerFileIgnore *p = &s->per_file_ignores.items[i];
        ll_buf_puts(out, i ? ", " : " ");
        print_glob(out, s, &p->glob);
        ll_buf_puts(out, " = [");
        for (size_t j = 0; j < p->codes.len; j++) {
            if (j)
                ll_buf_puts(out, ", ");
            ll_config_toml_string(out, p->codes.items[j]);
        }
        ll_buf_puts(out, "]");
    }
    ll_buf_puts(out, s->per_file_ignores.len ? " }\n" : "}\n");
    ll_buf_printf(out, "min-severity = \"%s\"\n", ll_severity_name(s->min_severity));
    print_list(out, "rules", &s->rule_dirs);
    ll_buf_printf(out, "respect-gitignore = %s\n", s->respect_gitignore ? "true" : "false");
    ll_buf_printf(out, "honor-noqa = %s\n", s->honor_noqa ? "true" : "false");
    ll_buf_printf(out, "force-exclude = %s\n", s->force_exclude ? "true" : "false");
}

/* ------------------------------------------------------------------------
 * The cache: directory -> settings
 * ------------------------------------------------------------------------ */

struct LLConfigCache {
    const LLOverrides *ov;
    char *cwd;
    LL_VEC(LLConfig *) configs;
    LL_VEC(LLSettings *) settings;
    LLSettings *defaults; /* no configuration file; made when first needed */
    LLSettings *fixed;    /* --config or --isolated: for every directory */
    LLStrMap dirs;        /* absolute directory -> LLSettings * */
    LL_VEC(char *) keys;  /* owns the map's keys */
};

static LLSettings *settings_new(LLConfigCache *c, const LLConfig *cfg)
{
    const LLOverrides *ov = c->ov;
    LLSettings *s = ll_xcalloc(1, sizeof *s);
    s->id = c->settings.len;
    s->config_path = cfg ? cfg->path : NULL;
    s->root = cfg ? cfg->dir : c->cwd;
    if (ov->has_select) {
        s->select_set = true;
        strlist_append(&s->select, &ov->select);
    } else if (cfg && cfg->has_select) {
        s->select_set = true;
        strlist_append(&s->select, &cfg->select);
    }
    strlist_append(&s->ignore, ov->has_ignore || !cfg ? &ov->ignore : &cfg->ignore);
    if (cfg)
        strlist_append(&s->extend_select, &cfg->extend_select);
    strlist_append(&s->extend_select, &ov->extend_select);
    if (cfg)
        strlist_append(&s->extend_ignore, &cfg->extend_ignore);
    strlist_append(&s->extend_ignore, &ov->extend_ignore);
    if (ov->has_exclude || !cfg)
        globs_append(&s->exclude, &ov->exclude, c->cwd);
    else
        globs_append(&s->exclude, &cfg->exclude, cfg->dir);
    if (cfg)
        globs_append(&s->extend_exclude, &cfg->extend_exclude, cfg->dir);
    globs_append(&s->extend_exclude, &ov->extend_exclude, c->cwd);
    if (ov->has_per_file_ignores || !cfg)
        pfi_append(&s->per_file_ignores, &ov->per_file_ignores, c->cwd);
    else
        pfi_append(&s->per_file_ignores, &cfg->per_file_ignores, cfg->dir);
    s->min_severity = ov->has_min_severity ? ov->min_severity
                      : cfg && cfg->has_min_severity ? cfg->min_severity
                                                     : LL_SEV_NOTE;
    if (cfg)
        strlist_append(&s->rule_dirs, &cfg->rules);
    s->respect_gitignore = ov->no_respect_gitignore ? false
                           : cfg && cfg->has_respect_gitignore ? cfg->respect_gitignore
                                                               : true;
    s->honor_noqa = ov->has_honor_noqa ? ov->honor_noqa
                    : cfg && cfg->has_honor_noqa ? cfg->honor_noqa
                                                 : true;
    s->force_exclude = ov->force_exclude;
    LL_VEC_PUSH(&c->settings, s);
    return s;
}

static LLSettings *defaults(LLConfigCache *c)
{
    if (!c->defaults)
        c->defaults = settings_new(c, NULL);
    return c->defaults;
}

/* How a configuration file is named in messages: relative to the working
 * directory when it is below it. */
static char *display_name(const LLConfigCache *c, const char *abs)
{
    const char *rel = ll_config_path_below(abs, c->cwd);
    return ll_xstrdup(rel && *rel ? rel : abs);
}

/* Loads the configuration at `path` into a new LLSettings; *out NULL when
 * it is a pyproject.toml without [tool.loadlint] and `need` is false. */
static LLStatus load_settings(LLConfigCache *c, const char *abs, const char *display,
                              bool need, LLSettings **out, LLError *err)
{
    *out = NULL;
    LLConfig *cfg = ll_xcalloc(1, sizeof *cfg);
    char *dir = ll_config_dirname(abs);
    bool found;
    LLStatus st = ll_config_load(cfg, abs, display, dir, &found, err);
    free(dir);
    if (st != LL_OK || (!found && !need)) {
        if (st == LL_OK)
            ll_config_release(cfg);
        free(cfg);
        return st;
    }
    LL_VEC_PUSH(&c->configs, cfg);
    *out = settings_new(c, cfg);
    return LL_OK;
}

LLStatus ll_config_cache_new(LLConfigCache **out, const LLOverrides *ov, LLError *err)
{
    *out = NULL;
    LLConfigCache *c = ll_xcalloc(1, sizeof *c);
    c->ov = ov;
    ll_strmap_init(&c->dirs);
    char *cwd = getcwd(NULL, 0);
    if (!cwd) {
        LLStatus st = ll_error_set(err, LL_ERR_IO, NULL, 0, 0,
                                   "cannot get the working directory: %s", strerror(errno));
        ll_config_cache_free(c);
        return st;
    }
    c->cwd = ll_config_abspath("/", cwd);
    free(cwd);
    if (ov->config_file && !ov->isolated) {
        char *abs = ll_config_abspath(c->cwd, ov->config_file);
        LLStatus st = load_settings(c, abs, ov->config_file, true, &c->fixed, err);
        free(abs);
        if (st != LL_OK) {
            ll_config_cache_free(c);
            return st;
        }
    } else if (ov->isolated) {
        c->fixed = defaults(c);
    }
    *out = c;
    return LL_OK;
}

void ll_config_cache_free(LLConfigCache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->settings.len; i++)
        settings_free(c->settings.items[i]);
    LL_VEC_FREE(&c->settings);
    for (size_t i = 0; i < c->configs.len; i++) {
        ll_config_release(c->configs.items[i]);
        free(c->configs.items[i]);
    }
    LL_VEC_FREE(&c->configs);
    for (size_t i = 0; i < c->keys.len; i++)
        free(c->keys.items[i]);
    LL_VEC_FREE(&c->keys);
    ll_strmap_release(&c->dirs);
    free(c->cwd);
    free(c);
}

const char *ll_config_cache_cwd(const LLConfigCache *c)
{
    return c->cwd;
}

size_t ll_config_cache_count(const LLConfigCache *c)
{
    return c->settings.len;
}

const LLSettings *ll_config_cache_get(const LLConfigCache *c, size_t id)
{
    return id < c->settings.len ? c->settings.items[id] : NULL;
}

static void remember(LLConfigCache *c, char *dir, LLSettings *s)
{
    LL_VEC_PUSH(&c->keys, dir);
    ll_strmap_put(&c->dirs, dir, strlen(dir), (intptr_t)s);
}

/* Looks for a configuration file in `dir`; *out NULL when there is none. */
static LLStatus try_dir(LLConfigCache *c, const char *dir, LLSettings **out, LLError *err)
{
    static const char *const names[] = {".loadlint.toml", "loadlint.toml", "pyproject.toml"};
    *out = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *path = join_path(dir, names[i]);
        struct stat sb;
        LLStatus st = LL_OK;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            char *display = display_name(c, path);
            st = load_settings(c, path, display, false, out, err);
            free(display);
        }
        free(path);
        if (st != LL_OK || *out)
            return st;
    }
    return LL_OK;
}

LLStatus ll_config_for_dir(LLConfigCache *c, const char *absdir, const LLSettings **out, LLError *err)
{
    if (c->fixed) {
        *out = c->fixed;
        return LL_OK;
    }
    LL_VEC(char *) chain = {0}; /* directories without a configuration file */
    char *cur = ll_xstrdup(absdir);
    LLSettings *result = NULL;
    LLStatus st = LL_OK;
    for (;;) {
        intptr_t v;
        if (ll_strmap_get(&c->dirs, cur, strlen(cur), &v)) {
            result = (LLSettings *)v;
            free(cur);
            break;
        }
        st = try_dir(c, cur, &result, err);
        if (st != LL_OK) {
            free(cur);
            break;
        }
        if (result) {
            remember(c, cur, result);
            break;
        }
        LL_VEC_PUSH(&chain, cur);
        if (strcmp(cur, "/") == 0) {
            result = defaults(c);
            break;
        }
        cur = ll_config_dirname(cur);
    }
    for (size_t i = 0; i < chain.len; i++) {
        if (st == LL_OK)
            remember(c, chain.items[i], result);
        else
            free(chain.items[i]);
    }
    LL_VEC_FREE(&chain);
    *out = result;
    return st;
}
