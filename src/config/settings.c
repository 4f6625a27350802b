#include "config/settings.h"

#include "base/mem.h"
#include "base/path.h"
#include "base/text.h"
#include "rules/ruleset.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ll_settings_default_test_paths[] = {LL_SETTINGS_DEFAULT_TEST_PATHS, NULL};
const char *const ll_settings_default_example_paths[] = {LL_SETTINGS_DEFAULT_EXAMPLE_PATHS, NULL};

/* ------------------------------------------------------------------------
 * The key table, from LL_SETTINGS_KEYS
 * ------------------------------------------------------------------------ */

typedef enum Type {
    T_CODES,
    T_GLOBS,
    T_PER_FILE,
    T_DIRS,
    T_GLOBALS,
    T_VERSIONS,
    T_SEVERITY,
    T_FAIL_ON,
    T_TEST_SEVERITY,
    T_BOOL,
    T_PATH,
} Type;

typedef enum CommandLine { CL_REPLACE, CL_EXTEND, CL_DISABLE, CL_NONE } CommandLine;

#define NO_FIELD SIZE_MAX

/* One key: what LLSettingsKey shows, and where its fields are. */
typedef struct Key {
    LLSettingsKey pub;
    Type type;
    CommandLine cl;
    size_t cfg, cfg_has; /* in LLConfig */
    size_t ov, ov_has;   /* in LLOverrides, or NO_FIELD */
    size_t set;          /* in LLSettings */
    int def_int;                 /* BOOL and the enums */
    const char *const *def_list; /* lists: NULL-terminated; NULL: empty */
} Key;

#define TYPE_TEXT_CODES "array of rule codes"
#define TYPE_TEXT_GLOBS "array of globs"
#define TYPE_TEXT_PER_FILE "table: glob = array of codes"
#define TYPE_TEXT_DIRS "array of directories"
#define TYPE_TEXT_GLOBALS "array of \"module.name\" or \"module.*\""
#define TYPE_TEXT_VERSIONS "table: package = \"version\""
#define TYPE_TEXT_SEVERITY "\"note\", \"warning\" or \"error\""
#define TYPE_TEXT_FAIL_ON "\"note\", \"warning\", \"error\" or \"never\""
#define TYPE_TEXT_TEST_SEVERITY "\"keep\", \"lower\", \"note\" or \"ignore\""
#define TYPE_TEXT_BOOL "boolean"
#define TYPE_TEXT_PATH "string (a directory)"

#define CL_TEXT_REPLACE "replaces"
#define CL_TEXT_EXTEND "extends"
#define CL_TEXT_DISABLE "turns off"
#define CL_TEXT_NONE NULL

#define OV_OFF_REPLACE(f) offsetof(LLOverrides, f)
#define OV_HAS_REPLACE(f) offsetof(LLOverrides, has_##f)
#define OV_OFF_EXTEND(f) offsetof(LLOverrides, f)
#define OV_HAS_EXTEND(f) NO_FIELD
#define OV_OFF_DISABLE(f) offsetof(LLOverrides, no_##f)
#define OV_HAS_DISABLE(f) NO_FIELD
#define OV_OFF_NONE(f) NO_FIELD
#define OV_HAS_NONE(f) NO_FIELD

#define KEY_(f_, sf_, key_, ty_, cl_, def_, help_)                                              \
    {.pub = {key_, TYPE_TEXT_##ty_, CL_TEXT_##cl_, help_},                                     \
     .type = T_##ty_,                                                                          \
     .cl = CL_##cl_,                                                                           \
     .cfg = offsetof(LLConfig, f_),                                                            \
     .cfg_has = offsetof(LLConfig, has_##f_),                                                  \
     .ov = OV_OFF_##cl_(f_),                                                                   \
     .ov_has = OV_HAS_##cl_(f_),                                                               \
     .set = offsetof(LLSettings, sf_),                                                         \
     def_},

static const Key keys[] = {LL_SETTINGS_KEYS(KEY_)};
#define NKEYS (sizeof keys / sizeof *keys)

size_t ll_settings_key_count(void)
{
    return NKEYS;
}

const LLSettingsKey *ll_settings_key(size_t i)
{
    return i < NKEYS ? &keys[i].pub : NULL;
}

#define FIELD(base, off) ((void *)((char *)(base) + (off)))
#define CFIELD(base, off) ((const void *)((const char *)(base) + (off)))

/* ------------------------------------------------------------------------
 * Enums: their words
 * ------------------------------------------------------------------------ */

static const char *const severity_words[] = {"note", "warning", "error", NULL};
static const char *const fail_on_words[] = {"note", "warning", "error", "never", NULL};
static const char *const test_severity_words[] = {"keep", "lower", "note", "ignore", NULL};

static const char *const *words_of(Type t)
{
    return t == T_SEVERITY ? severity_words : t == T_FAIL_ON ? fail_on_words : test_severity_words;
}

static int enum_get(Type t, const void *f)
{
    switch (t) {
    case T_SEVERITY: return (int)*(const LLSeverity *)f;
    case T_FAIL_ON: return (int)*(const LLFailOn *)f;
    case T_TEST_SEVERITY: return (int)*(const LLTestSeverity *)f;
    default: return 0;
    }
}

static void enum_set(Type t, void *f, int v)
{
    switch (t) {
    case T_SEVERITY: *(LLSeverity *)f = (LLSeverity)v; break;
    case T_FAIL_ON: *(LLFailOn *)f = (LLFailOn)v; break;
    case T_TEST_SEVERITY: *(LLTestSeverity *)f = (LLTestSeverity)v; break;
    default: break;
    }
}

/* The index of s among the words, or -1. */
static int word_index(const char *const *words, const char *s)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(words[i], s) == 0)
            return i;
    return -1;
}

static const char *word_name(const char *const *words, int v)
{
    int n = 0;
    while (words[n])
        n++;
    return v >= 0 && v < n ? words[v] : "?";
}

const char *ll_settings_fail_on_name(LLFailOn v)
{
    return word_name(fail_on_words, (int)v);
}

bool ll_settings_fail_on_parse(const char *s, LLFailOn *out)
{
    int i = word_index(fail_on_words, s);
    if (i >= 0)
        *out = (LLFailOn)i;
    return i >= 0;
}

const char *ll_settings_test_severity_name(LLTestSeverity v)
{
    return word_name(test_severity_words, (int)v);
}

bool ll_settings_test_severity_parse(const char *s, LLTestSeverity *out)
{
    int i = word_index(test_severity_words, s);
    if (i >= 0)
        *out = (LLTestSeverity)i;
    return i >= 0;
}

/* ------------------------------------------------------------------------
 * Lists, globs, name/value tables
 * ------------------------------------------------------------------------ */

static void strlist_push_n(LLStrList *l, const char *s, size_t n)
{
    l->items = ll_xrealloc(l->items, (l->len + 1) * sizeof *l->items);
    l->items[l->len++] = ll_xstrndup(s, n);
}

static void strlist_append(LLStrList *dst, const LLStrList *src)
{
    for (size_t i = 0; i < src->len; i++)
        strlist_push_n(dst, src->items[i], strlen(src->items[i]));
}

void ll_settings_split_list(LLStrList *l, const char *value)
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
            strlist_push_n(l, s, n);
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

void ll_settings_add_glob(LLGlobList *l, const char *pattern, const char *base)
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
        ll_strlist_free(&l->items[i].codes);
    }
    LL_VEC_FREE(l);
}

static void pfi_append(LLPerFileIgnores *dst, const LLPerFileIgnores *src, const char *base)
{
    for (size_t i = 0; i < src->len; i++) {
        const LLPerFileIgnore *s = &src->items[i];
        LLPerFileIgnore d = {{ll_xstrdup(s->glob.pattern), ll_xstrdup(s->glob.base ? s->glob.base : base)},
                             {NULL, 0}};
        strlist_append(&d.codes, &s->codes);
        LL_VEC_PUSH(dst, d);
    }
}

static void versions_free(LLNameValues *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->items[i].name);
        free(l->items[i].value);
    }
    LL_VEC_FREE(l);
}

/* Package names as PEP 503 compares them: case folded, and each run of
 * '-', '_', '.' one separator. */
static bool package_eq(const char *a, const char *b)
{
    for (;;) {
        bool sa = *a == '-' || *a == '_' || *a == '.', sb = *b == '-' || *b == '_' || *b == '.';
        if (sa != sb)
            return false;
        if (sa) {
            while (*a == '-' || *a == '_' || *a == '.')
                a++;
            while (*b == '-' || *b == '_' || *b == '.')
                b++;
            continue;
        }
        char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a | 0x20) : *a;
        char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b | 0x20) : *b;
        if (ca != cb)
            return false;
        if (!ca)
            return true;
        a++;
        b++;
    }
}

/* Adds or replaces (same package) each entry of src. */
static void versions_merge(LLNameValues *dst, const LLNameValues *src)
{
    for (size_t i = 0; i < src->len; i++) {
        size_t k = 0;
        while (k < dst->len && !package_eq(dst->items[k].name, src->items[i].name))
            k++;
        if (k < dst->len) {
            free(dst->items[k].value);
            dst->items[k].value = ll_xstrdup(src->items[i].value);
        } else {
            LLNameValue e = {ll_xstrdup(src->items[i].name), ll_xstrdup(src->items[i].value)};
            LL_VEC_PUSH(dst, e);
        }
    }
}

/* ------------------------------------------------------------------------
 * Fields by type: default, release, copy
 * ------------------------------------------------------------------------ */

static void field_default(const Key *k, void *f, const char *root)
{
    switch (k->type) {
    case T_CODES:
    case T_DIRS:
    case T_GLOBALS:
        for (size_t i = 0; k->def_list && k->def_list[i]; i++)
            strlist_push_n(f, k->def_list[i], strlen(k->def_list[i]));
        break;
    case T_GLOBS:
        for (size_t i = 0; k->def_list && k->def_list[i]; i++)
            ll_settings_add_glob(f, k->def_list[i], root);
        break;
    case T_PER_FILE:
    case T_VERSIONS: break;
    case T_SEVERITY:
    case T_FAIL_ON:
    case T_TEST_SEVERITY: enum_set(k->type, f, k->def_int); break;
    case T_BOOL: *(bool *)f = k->def_int != 0; break;
    case T_PATH: *(char **)f = NULL; break;
    }
}

static void field_release(const Key *k, void *f)
{
    switch (k->type) {
    case T_CODES:
    case T_DIRS:
    case T_GLOBALS: ll_strlist_free(f); break;
    case T_GLOBS: globs_free(f); break;
    case T_PER_FILE: pfi_free(f); break;
    case T_VERSIONS: versions_free(f); break;
    case T_PATH:
        free(*(char **)f);
        *(char **)f = NULL;
        break;
    default: break;
    }
}

/* Appends (lists) or sets (scalars) src into dst. `base` is what a NULL
 * glob base and a relative path are taken from. */
static void field_copy(const Key *k, void *dst, const void *src, const char *base)
{
    switch (k->type) {
    case T_CODES:
    case T_DIRS:
    case T_GLOBALS: strlist_append(dst, src); break;
    case T_GLOBS: globs_append(dst, src, base); break;
    case T_PER_FILE: pfi_append(dst, src, base); break;
    case T_VERSIONS: versions_merge(dst, src); break;
    case T_SEVERITY:
    case T_FAIL_ON:
    case T_TEST_SEVERITY: enum_set(k->type, dst, enum_get(k->type, src)); break;
    case T_BOOL: *(bool *)dst = *(const bool *)src; break;
    case T_PATH: {
        const char *p = *(char *const *)src;
        free(*(char **)dst);
        *(char **)dst = p ? ll_path_abs(base, p) : NULL;
        break;
    }
    }
}

/* Zero for the list types (an empty list), the default for the others. */
static void field_init(const Key *k, void *f)
{
    switch (k->type) {
    case T_CODES:
    case T_DIRS:
    case T_GLOBALS: *(LLStrList *)f = (LLStrList){NULL, 0}; break;
    case T_GLOBS: memset(f, 0, sizeof(LLGlobList)); break;
    case T_PER_FILE: memset(f, 0, sizeof(LLPerFileIgnores)); break;
    case T_VERSIONS: memset(f, 0, sizeof(LLNameValues)); break;
    default: field_default(k, f, NULL); break;
    }
}

void ll_settings_config_init(LLConfig *cfg)
{
    for (size_t i = 0; i < NKEYS; i++) {
        *(bool *)FIELD(cfg, keys[i].cfg_has) = false;
        field_init(&keys[i], FIELD(cfg, keys[i].cfg));
    }
}

void ll_settings_config_release(LLConfig *cfg)
{
    free(cfg->path);
    free(cfg->dir);
    for (size_t i = 0; i < NKEYS; i++)
        field_release(&keys[i], FIELD(cfg, keys[i].cfg));
    memset(cfg, 0, sizeof *cfg);
}

void ll_settings_overrides_init(LLOverrides *ov)
{
    memset(ov, 0, sizeof *ov);
    for (size_t i = 0; i < NKEYS; i++) {
        const Key *k = &keys[i];
        if (k->cl == CL_REPLACE || k->cl == CL_EXTEND)
            field_init(k, FIELD(ov, k->ov));
    }
}

void ll_settings_overrides_release(LLOverrides *ov)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].cl == CL_REPLACE || keys[i].cl == CL_EXTEND)
            field_release(&keys[i], FIELD(ov, keys[i].ov));
    memset(ov, 0, sizeof *ov);
}

/* ------------------------------------------------------------------------
 * Reading a TOML table
 * ------------------------------------------------------------------------ */

typedef struct Reader {
    const LLTomlDoc *doc;
    LLConfig *cfg;
    LLError *err;
} Reader;

static LLStatus fail(Reader *r, const LLTomlValue *v, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static LLStatus fail(Reader *r, const LLTomlValue *v, bool at_key, const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ll_toml_error(r->doc, v, at_key, r->err, "%s", msg);
}

static const char *key_of(const LLTomlValue *v)
{
    const char *k = ll_toml_key(v, NULL);
    return k ? k : "";
}

/* A key whose value is `what` and not a table got something else. A table
 * made by a dotted key (select.x = ...) or a header is named where its key
 * is written. */
static LLStatus wrong_type(Reader *r, const char *name, const LLTomlValue *v, const char *what)
{
    if (ll_toml_type(v) == LL_TOML_TABLE && ll_toml_origin(v) == LL_TOML_DOTTED && ll_toml_len(v)) {
        const LLTomlValue *first = ll_toml_at(v, 0);
        return fail(r, first, true, "\"%s\" is not a table: \"%s.%s\" is not a key", name, name,
                    key_of(first));
    }
    bool header = ll_toml_type(v) == LL_TOML_TABLE && ll_toml_origin(v) != LL_TOML_LITERAL;
    return fail(r, v, header, "\"%s\" must be %s, not %s", name, what, ll_toml_describe(v));
}

/* The string v holds, which must not contain a NUL (every value here ends
 * up as a C string). */
static LLStatus text_of(Reader *r, const char *name, const LLTomlValue *v, const char **out)
{
    size_t len;
    *out = ll_toml_str(v, &len);
    if (strlen(*out) != len)
        return fail(r, v, false, "\"%s\": a string with a NUL character (\\u0000) is not allowed here",
                    name);
    return LL_OK;
}

static bool code_valid(const char *s)
{
    if (!*s)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '-'))
            return false;
    return true;
}

static bool ident_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (unsigned char)c >= 0x80 || (!first && c >= '0' && c <= '9');
}

bool ll_settings_global_valid(const char *s)
{
    size_t parts = 0;
    const char *p = s;
    for (;;) {
        if (p[0] == '*' && p[1] == '\0' && parts >= 1)
            return true; /* "module.*" */
        if (!ident_char(*p, true))
            return false;
        while (ident_char(*p, false))
            p++;
        parts++;
        if (*p == '\0')
            return parts >= 2;
        if (*p != '.')
            return false;
        p++;
    }
}

typedef enum ItemCheck { ITEM_CODE, ITEM_GLOB, ITEM_DIR, ITEM_GLOBAL } ItemCheck;

/* An array of strings into out, each item checked. */
static LLStatus read_strings(Reader *r, const char *name, const LLTomlValue *v, ItemCheck check,
                             LLStrList *out)
{
    if (ll_toml_type(v) != LL_TOML_ARRAY || ll_toml_is_table_array(v))
        return wrong_type(r, name, v, "an array of strings");
    for (size_t i = 0; i < ll_toml_len(v); i++) {
        const LLTomlValue *item = ll_toml_at(v, i);
        if (ll_toml_type(item) != LL_TOML_STRING)
            return fail(r, item, false, "\"%s\" must be an array of strings, but this item is %s", name,
                        ll_toml_describe(item));
        const char *s;
        LLStatus st = text_of(r, name, item, &s);
        if (st != LL_OK)
            return st;
        switch (check) {
        case ITEM_CODE:
            if (!code_valid(s))
                return fail(r, item, false,
                            "\"%s\": \"%s\" is not a rule code or prefix (like \"LL101\", \"LL1\" or \"ALL\")",
                            name, s);
            break;
        case ITEM_GLOB:
        case ITEM_DIR:
            if (!*s)
                return fail(r, item, false, "\"%s\": an empty string is not a %s", name,
                            check == ITEM_GLOB ? "glob" : "directory");
            break;
        case ITEM_GLOBAL:
            if (!ll_settings_global_valid(s))
                return fail(r, item, false,
                            "\"%s\": \"%s\" is not a global name (\"module.name\" or \"module.*\")", name, s);
            break;
        }
        strlist_push_n(out, s, strlen(s));
    }
    return LL_OK;
}

/* An entry of a table that maps keys to values (per-file-ignores,
 * assume-versions) that is itself a table not written inline: a dotted key
 * (a.py = ...) or a [header] below the table. */
static LLStatus nested_entry(Reader *r, const char *name, const LLTomlValue *e, const char *one,
                             const char *maps, const char *example)
{
    if (ll_toml_origin(e) == LL_TOML_DOTTED && ll_toml_len(e)) {
        const char *vowels = "aeiou";
        return fail(r, e, true, "%s %s key is one %s: quote it (\"%s.%s\" = %s)",
                    strchr(vowels, name[0]) ? "an" : "a", name, one, key_of(e),
                    key_of(ll_toml_at(e, 0)), example);
    }
    return fail(r, e, true, "%s maps %s; [...] tables below it are not allowed", name, maps);
}

static LLStatus read_per_file(Reader *r, const char *name, const LLTomlValue *v, LLPerFileIgnores *out)
{
    if (ll_toml_type(v) != LL_TOML_TABLE)
        return fail(r, v, false, "\"%s\" must be a table of glob = [codes], not %s", name,
                    ll_toml_describe(v));
    for (size_t i = 0; i < ll_toml_len(v); i++) {
        const LLTomlValue *e = ll_toml_at(v, i);
        size_t klen;
        const char *glob = ll_toml_key(e, &klen);
        if (!klen)
            return fail(r, e, true, "%s: an empty string is not a glob", name);
        if (strlen(glob) != klen)
            return fail(r, e, true, "%s: a glob with a NUL character (\\u0000) is not allowed", name);
        if (ll_toml_type(e) == LL_TOML_TABLE && ll_toml_origin(e) != LL_TOML_LITERAL)
            return nested_entry(r, name, e, "glob", "a glob to an array of codes", "[...]");
        LLPerFileIgnore p = {{clean_pattern(glob), ll_xstrdup(r->cfg->dir)}, {NULL, 0}};
        LLStatus st = read_strings(r, name, e, ITEM_CODE, &p.codes);
        LL_VEC_PUSH(out, p);
        if (st != LL_OK)
            return st;
    }
    return LL_OK;
}

static bool package_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !((c == '-' || c == '_' || c == '.') && i > 0 && i + 1 < n))
            return false;
    }
    return true;
}

static bool version_valid(const char *s)
{
    if (!*s)
        return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c <= ' ' || *c == 0x7F)
            return false;
    return true;
}

static LLStatus read_versions(Reader *r, const char *name, const LLTomlValue *v, LLNameValues *out)
{
    if (ll_toml_type(v) != LL_TOML_TABLE)
        return fail(r, v, false, "\"%s\" must be a table of package = \"version\", not %s", name,
                    ll_toml_describe(v));
    for (size_t i = 0; i < ll_toml_len(v); i++) {
        const LLTomlValue *e = ll_toml_at(v, i);
        size_t klen;
        const char *pkg = ll_toml_key(e, &klen);
        if (strlen(pkg) != klen || !package_name_valid(pkg)) {
            LLBuf q;
            ll_buf_init(&q);
            ll_toml_write_string(&q, pkg, klen);
            LLStatus st = fail(r, e, true, "\"%s\": %s is not a package name", name, q.data);
            ll_buf_release(&q);
            return st;
        }
        if (ll_toml_type(e) == LL_TOML_TABLE && ll_toml_origin(e) != LL_TOML_LITERAL)
            return nested_entry(r, name, e, "package name", "a package name to a version", "\"...\"");
        if (ll_toml_type(e) != LL_TOML_STRING)
            return fail(r, e, false, "\"%s\": the version of \"%s\" must be a string (like \"2.4.0\"), not %s",
                        name, pkg, ll_toml_describe(e));
        const char *ver;
        LLStatus st = text_of(r, name, e, &ver);
        if (st != LL_OK)
            return st;
        if (!version_valid(ver))
            return fail(r, e, false, "\"%s\": \"%s\" is not a version (of \"%s\")", name, ver, pkg);
        LLNameValue nv = {ll_xstrdup(pkg), ll_xstrdup(ver)};
        LL_VEC_PUSH(out, nv);
    }
    return LL_OK;
}

/* `"note", "warning" or "error"` */
static void words_phrase(const char *const *words, LLBuf *out)
{
    size_t n = 0;
    while (words[n])
        n++;
    for (size_t i = 0; i < n; i++) {
        if (i)
            ll_buf_puts(out, i + 1 == n ? " or " : ", ");
        ll_buf_printf(out, "\"%s\"", words[i]);
    }
}

static LLStatus read_enum(Reader *r, const Key *k, const LLTomlValue *v, void *f)
{
    const char *const *words = words_of(k->type);
    LLBuf what;
    ll_buf_init(&what);
    words_phrase(words, &what);
    LLStatus st = LL_OK;
    if (ll_toml_type(v) != LL_TOML_STRING) {
        st = wrong_type(r, k->pub.name, v, what.data);
    } else {
        const char *s;
        st = text_of(r, k->pub.name, v, &s);
        int i = st == LL_OK ? word_index(words, s) : 0;
        if (i < 0)
            st = fail(r, v, false, "\"%s\" must be %s, not \"%s\"", k->pub.name, what.data, s);
        else if (st == LL_OK)
            enum_set(k->type, f, i);
    }
    ll_buf_release(&what);
    return st;
}

static LLStatus read_key(Reader *r, const Key *k, const LLTomlValue *v)
{
    void *f = FIELD(r->cfg, k->cfg);
    const char *name = k->pub.name;
    const char *dir = r->cfg->dir;
    LLStatus st = LL_OK;
    switch (k->type) {
    case T_CODES: st = read_strings(r, name, v, ITEM_CODE, f); break;
    case T_GLOBALS: st = read_strings(r, name, v, ITEM_GLOBAL, f); break;
    case T_GLOBS:
    case T_DIRS: {
        LLStrList l = {NULL, 0};
        st = read_strings(r, name, v, k->type == T_GLOBS ? ITEM_GLOB : ITEM_DIR, &l);
        for (size_t i = 0; st == LL_OK && i < l.len; i++) {
            if (k->type == T_GLOBS) {
                ll_settings_add_glob(f, l.items[i], dir);
            } else {
                LLStrList *dirs = f;
                dirs->items = ll_xrealloc(dirs->items, (dirs->len + 1) * sizeof *dirs->items);
                dirs->items[dirs->len++] = ll_path_abs(dir, l.items[i]);
            }
        }
        ll_strlist_free(&l);
        break;
    }
    case T_PER_FILE: st = read_per_file(r, name, v, f); break;
    case T_VERSIONS: st = read_versions(r, name, v, f); break;
    case T_SEVERITY:
    case T_FAIL_ON:
    case T_TEST_SEVERITY: st = read_enum(r, k, v, f); break;
    case T_BOOL:
        if (ll_toml_type(v) != LL_TOML_BOOLEAN)
            st = wrong_type(r, name, v, "true or false");
        else
            *(bool *)f = ll_toml_bool(v);
        break;
    case T_PATH: {
        const char *s = NULL;
        if (ll_toml_type(v) != LL_TOML_STRING)
            st = wrong_type(r, name, v, "a string (a directory)");
        else
            st = text_of(r, name, v, &s);
        if (st == LL_OK && !*s)
            st = fail(r, v, false, "\"%s\": an empty string is not a directory", name);
        if (st == LL_OK) {
            free(*(char **)f);
            *(char **)f = ll_path_abs(dir, s);
        }
        break;
    }
    }
    if (st == LL_OK)
        *(bool *)FIELD(r->cfg, k->cfg_has) = true;
    return st;
}

LLStatus ll_settings_read(LLConfig *cfg, const LLTomlDoc *doc, const LLTomlValue *table,
                          const char *where, LLError *err)
{
    Reader r = {doc, cfg, err};
    for (size_t i = 0; i < ll_toml_len(table); i++) {
        const LLTomlValue *e = ll_toml_at(table, i);
        size_t klen;
        const char *name = ll_toml_key(e, &klen);
        const Key *k = NULL;
        for (size_t j = 0; !k && j < NKEYS; j++)
            if (strlen(keys[j].pub.name) == klen && memcmp(keys[j].pub.name, name, klen) == 0)
                k = &keys[j];
        if (!k) {
            LLBuf q, known;
            ll_buf_init(&q);
            ll_buf_init(&known);
            ll_toml_write_string(&q, name, klen);
            for (size_t j = 0; j < NKEYS; j++)
                ll_buf_printf(&known, "%s%s", j ? ", " : "", keys[j].pub.name);
            LLStatus st = fail(&r, e, true, "unknown key %s%s (known keys: %s)", q.data, where, known.data);
            ll_buf_release(&q);
            ll_buf_release(&known);
            return st;
        }
        LLStatus st = read_key(&r, k, e);
        if (st != LL_OK)
            return st;
    }
    return LL_OK;
}

/* ------------------------------------------------------------------------
 * Merging: command line, else the file, else the default
 * ------------------------------------------------------------------------ */

LLSettings *ll_settings_new(const LLConfig *cfg, const LLOverrides *ov, const char *cwd, size_t id)
{
    LLSettings *s = ll_xcalloc(1, sizeof *s);
    s->id = id;
    s->config_path = cfg ? ll_xstrdup(cfg->path) : NULL;
    s->root = ll_xstrdup(cfg ? cfg->dir : cwd);
    for (size_t i = 0; i < NKEYS; i++) {
        const Key *k = &keys[i];
        void *dst = FIELD(s, k->set);
        bool chas = cfg && *(const bool *)CFIELD(cfg, k->cfg_has);
        const void *cv = cfg ? CFIELD(cfg, k->cfg) : NULL;
        const void *ovv = k->ov != NO_FIELD ? CFIELD(ov, k->ov) : NULL;
        bool ohas = k->ov_has != NO_FIELD && *(const bool *)CFIELD(ov, k->ov_has);
        if (k->cl == CL_REPLACE && ohas) {
            field_copy(k, dst, ovv, cwd);
        } else if (k->cl == CL_DISABLE && *(const bool *)ovv) {
            *(bool *)dst = false;
        } else if (chas) {
            field_copy(k, dst, cv, cfg->dir);
        } else {
            field_default(k, dst, s->root);
        }
        if (k->cl == CL_EXTEND)
            field_copy(k, dst, ovv, cwd);
        if (k->set == offsetof(LLSettings, select))
            s->select_set = ohas || chas; /* else ALL */
    }
    s->force_exclude = ov->force_exclude;
    return s;
}

void ll_settings_free(LLSettings *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < NKEYS; i++)
        field_release(&keys[i], FIELD(s, keys[i].set));
    free((char *)s->config_path);
    free((char *)s->root);
    free(s);
}

/* ------------------------------------------------------------------------
 * Globs and queries
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

bool ll_settings_glob_matches(const LLGlob *g, const char *abs)
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
        const char *rel = g->base ? ll_path_below(abs, g->base) : NULL;
        if (strchr(pat, '/')) {
            if (rel)
                hit = *rel && match_path_or_parent(pat, rel, &tmp);
            else if (strncmp(pat, "**/", 3) == 0)
                /* "at any depth" holds outside the base too: a directory
                 * scanned from elsewhere with no configuration of its own
                 * still has its test files recognised */
                hit = match_path_or_parent(pat, abs + 1, &tmp);
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
        if (ll_rule_code_matches(code, &p->codes) && ll_settings_glob_matches(&p->glob, abs_path))
            return false;
    }
    return true;
}

static const LLGlob *first_match(const LLGlobList *l, const char *abs_path)
{
    for (size_t i = 0; i < l->len; i++)
        if (ll_settings_glob_matches(&l->items[i], abs_path))
            return &l->items[i];
    return NULL;
}

const LLGlob *ll_settings_excluded(const LLSettings *s, const char *abs_path)
{
    const LLGlob *g = first_match(&s->exclude, abs_path);
    return g ? g : first_match(&s->extend_exclude, abs_path);
}

const LLGlob *ll_settings_test_path(const LLSettings *s, const char *abs_path)
{
    return first_match(&s->test_paths, abs_path);
}

const LLGlob *ll_settings_example_path(const LLSettings *s, const char *abs_path)
{
    return first_match(&s->example_paths, abs_path);
}

const char *ll_settings_assumed_version(const LLSettings *s, const char *package)
{
    for (size_t i = 0; i < s->assume_versions.len; i++)
        if (package_eq(s->assume_versions.items[i].name, package))
            return s->assume_versions.items[i].value;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Printing (--show-settings)
 * ------------------------------------------------------------------------ */

static void put_string(LLBuf *out, const char *s)
{
    ll_toml_write_string(out, s, strlen(s));
}

static void print_list(LLBuf *out, const LLStrList *l)
{
    ll_buf_putc(out, '[');
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            ll_buf_puts(out, ", ");
        put_string(out, l->items[i]);
    }
    ll_buf_putc(out, ']');
}

/* A glob as it reads from the settings' root: patterns with a '/' from
 * another base are shown absolute. */
static void print_glob(LLBuf *out, const LLSettings *s, const LLGlob *g)
{
    if (g->pattern[0] != '/' && strchr(g->pattern, '/') && g->base && strcmp(g->base, s->root) != 0) {
        char *abs = ll_path_join(g->base, g->pattern);
        put_string(out, abs);
        free(abs);
    } else {
        put_string(out, g->pattern);
    }
}

static void print_value(LLBuf *out, const LLSettings *s, const Key *k)
{
    const void *f = CFIELD(s, k->set);
    switch (k->type) {
    case T_CODES:
    case T_DIRS:
    case T_GLOBALS: print_list(out, f); break;
    case T_GLOBS: {
        const LLGlobList *l = f;
        ll_buf_putc(out, '[');
        for (size_t i = 0; i < l->len; i++) {
            if (i)
                ll_buf_puts(out, ", ");
            print_glob(out, s, &l->items[i]);
        }
        ll_buf_putc(out, ']');
        break;
    }
    case T_PER_FILE: {
        const LLPerFileIgnores *l = f;
        ll_buf_putc(out, '{');
        for (size_t i = 0; i < l->len; i++) {
            ll_buf_puts(out, i ? ", " : " ");
            print_glob(out, s, &l->items[i].glob);
            ll_buf_puts(out, " = ");
            print_list(out, &l->items[i].codes);
        }
        ll_buf_puts(out, l->len ? " }" : "}");
        break;
    }
    case T_VERSIONS: {
        const LLNameValues *l = f;
        ll_buf_putc(out, '{');
        for (size_t i = 0; i < l->len; i++) {
            ll_buf_puts(out, i ? ", " : " ");
            ll_toml_write_key(out, l->items[i].name, strlen(l->items[i].name));
            ll_buf_puts(out, " = ");
            put_string(out, l->items[i].value);
        }
        ll_buf_puts(out, l->len ? " }" : "}");
        break;
    }
    case T_SEVERITY:
    case T_FAIL_ON:
    case T_TEST_SEVERITY:
        ll_buf_printf(out, "\"%s\"", word_name(words_of(k->type), enum_get(k->type, f)));
        break;
    case T_BOOL: ll_buf_puts(out, *(const bool *)f ? "true" : "false"); break;
    case T_PATH: {
        const char *p = *(char *const *)f;
        put_string(out, p ? p : "");
        if (!p)
            ll_buf_puts(out, "  # not set");
        break;
    }
    }
}

void ll_settings_print(const LLSettings *s, LLBuf *out)
{
    ll_buf_puts(out, "config-file = ");
    put_string(out, s->config_path ? s->config_path : "");
    ll_buf_puts(out, s->config_path ? "\n" : "  # none: defaults and the command line\n");
    ll_buf_puts(out, "root = ");
    put_string(out, s->root);
    ll_buf_putc(out, '\n');
    for (size_t i = 0; i < NKEYS; i++) {
        const Key *k = &keys[i];
        if (k->set == offsetof(LLSettings, select) && !s->select_set) {
            ll_buf_printf(out, "%s = [\"ALL\"]  # default\n", k->pub.name);
            continue;
        }
        ll_buf_printf(out, "%s = ", k->pub.name);
        print_value(out, s, k);
        ll_buf_putc(out, '\n');
    }
    ll_buf_printf(out, "force-exclude = %s\n", s->force_exclude ? "true" : "false");
}
