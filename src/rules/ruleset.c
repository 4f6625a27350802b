#include "rules/ruleset.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "rules/builtin.h"
#include "rules/jsonloc.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- validation context ------------------------------------------------ */

typedef struct Ctx {
    const char *origin;
    const char *text;
    size_t len;
    LLError *err;
} Ctx;

static LLStatus fail(Ctx *c, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static LLStatus fail(Ctx *c, const char *pointer, const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX - 300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t off = ll_jsonloc_find(c->text, c->len, pointer);
    unsigned line, col;
    ll_jsonloc_linecol(c->text, c->len, off, &line, &col);
    return ll_error_set(c->err, LL_ERR_RULE, c->origin, line, col, "%s: %s",
                        pointer[0] ? pointer : "/", msg);
}

#define TRY(expr)                                                              \
    do {                                                                       \
        LLStatus st_ = (expr);                                                 \
        if (st_ != LL_OK)                                                      \
            return st_;                                                        \
    } while (0)

/* out = base + "/" + key, cut to outsz - 1 bytes (pointers are only used
 * to locate and name errors, so a cut pointer is still useful). */
static void join_ptr(char *out, size_t outsz, const char *base, const char *key)
{
    size_t n = 0;
    for (const char *parts[3] = {base, "/", key}, **p = parts; p < parts + 3; p++)
        for (const char *c = *p; *c && n + 1 < outsz; c++)
            out[n++] = *c;
    out[n] = '\0';
}

static void join_idx(char *out, size_t outsz, const char *base, int i)
{
    char num[16];
    size_t k = sizeof num - 1;
    num[k] = '\0';
    unsigned v = i < 0 ? 0u : (unsigned)i;
    do {
        num[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v && k);
    join_ptr(out, outsz, base, num + k);
}

/* Rejects keys not in `allowed` (NULL-terminated) and duplicate keys. */
static LLStatus check_keys(Ctx *c, const cJSON *obj, const char *ptr,
                           const char *const *allowed)
{
    char p[512];
    for (const cJSON *it = obj->child; it; it = it->next) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok |= strcmp(*a, it->string) == 0;
        join_ptr(p, sizeof p, ptr, it->string);
        if (!ok) {
            LLBuf b;
            ll_buf_init(&b);
            for (const char *const *a = allowed; *a; a++)
                ll_buf_printf(&b, "%s%s", a == allowed ? "" : ", ", *a);
            LLStatus st = fail(c, p, "unknown key \"%s\" (expected one of: %s)",
                               it->string, b.data);
            ll_buf_release(&b);
            return st;
        }
        for (const cJSON *o = obj->child; o != it; o = o->next) {
            if (strcmp(o->string, it->string) == 0) {
                size_t index = 0;
                for (const cJSON *k = obj->child; k != it; k = k->next)
                    index++;
                unsigned line, col;
                ll_jsonloc_linecol(c->text, c->len,
                                   ll_jsonloc_find_member(c->text, c->len, ptr, index),
                                   &line, &col);
                return ll_error_set(c->err, LL_ERR_RULE, c->origin, line, col,
                                    "%s: duplicate key \"%s\"", p, it->string);
            }
        }
    }
    return LL_OK;
}

static LLStatus get_string(Ctx *c, const cJSON *obj, const char *ptr,
                           const char *key, bool required, char **out)
{
    char p[512];
    join_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            return fail(c, ptr, "missing required key \"%s\"", key);
        return LL_OK;
    }
    if (!cJSON_IsString(v))
        return fail(c, p, "must be a string");
    if (!v->valuestring[0])
        return fail(c, p, "must not be empty");
    *out = ll_xstrdup(v->valuestring);
    return LL_OK;
}

static void free_list(LLStrList *l);

static LLStatus get_string_list(Ctx *c, const cJSON *obj, const char *ptr,
                                const char *key, bool required, bool nonempty,
                                LLStrList *out)
{
    char p[512], q[520];
    join_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    memset(out, 0, sizeof *out);
    if (!v) {
        if (required)
            return fail(c, ptr, "missing required key \"%s\"", key);
        return LL_OK;
    }
    if (!cJSON_IsArray(v))
        return fail(c, p, "must be an array of strings");
    int n = cJSON_GetArraySize(v);
    if (nonempty && n == 0)
        return fail(c, p, "must not be empty");
    out->items = ll_xcalloc((size_t)n, sizeof *out->items);
    int i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        join_idx(q, sizeof q, p, i);
        if (!cJSON_IsString(it) || !it->valuestring[0]) {
            free_list(out);
            return fail(c, q, "must be a non-empty string");
        }
        out->items[out->len++] = ll_xstrdup(it->valuestring);
    }
    return LL_OK;
}

static void free_list(LLStrList *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static bool is_kebab(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (; *s; s++) {
        bool ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
                  (*s == '-' && s[1] && s[1] != '-');
        if (!ok)
            return false;
    }
    return true;
}

static bool is_code(const char *s)
{
    size_t letters = 0, digits = 0;
    while (*s >= 'A' && *s <= 'Z') {
        s++;
        letters++;
    }
    while (*s >= '0' && *s <= '9') {
        s++;
        digits++;
    }
    return !*s && letters >= 2 && letters <= 4 && digits >= 3 && digits <= 4;
}

static bool is_dotted_name(const char *s)
{
    /* identifier ("." identifier | "()")* */
    bool need_ident = true;
    for (; *s; s++) {
        char ch = *s;
        bool ident = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     ch == '_' || (!need_ident && ch >= '0' && ch <= '9');
        if (ident) {
            need_ident = false;
        } else if (ch == '.' && !need_ident) {
            need_ident = true;
        } else if (ch == '(' && s[1] == ')' && !need_ident) {
            s++;
        } else {
            return false;
        }
    }
    return !need_ident;
}

static LLStatus get_name_list(Ctx *c, const cJSON *obj, const char *ptr,
                              const char *key, LLStrList *out, bool dotted)
{
    TRY(get_string_list(c, obj, ptr, key, false, true, out));
    char p[512], q[520];
    join_ptr(p, sizeof p, ptr, key);
    for (size_t i = 0; i < out->len; i++) {
        join_idx(q, sizeof q, p, (int)i);
        bool ok = dotted ? is_dotted_name(out->items[i])
                         : is_dotted_name(out->items[i]) &&
                               !strchr(out->items[i], '.');
        if (!ok) {
            LLStatus st = fail(c, q, "\"%s\" is not a %s", out->items[i],
                               dotted ? "canonical dotted name (a.b.c)"
                                      : "Python identifier");
            free_list(out);
            return st;
        }
    }
    return LL_OK;
}

static pcre2_code *compile_re(Ctx *c, const char *ptr, const char *pattern,
                              bool anchored, LLStatus *st)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | (anchored ? PCRE2_ANCHORED | PCRE2_ENDANCHORED : 0),
                      &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        *st = fail(c, ptr, "invalid regular expression at offset %zu: %s",
                   (size_t)erroff, (const char *)msg);
        return NULL;
    }
    *st = LL_OK;
    return re;
}

/* ---- predicates ---------------------------------------------------------- */

static const char *const test_names[] = {
    [LL_TEST_PRESENT] = "present", [LL_TEST_ABSENT] = "absent",
    [LL_TEST_TRUE] = "true",       [LL_TEST_FALSE] = "false",
    [LL_TEST_NONE] = "none",       [LL_TEST_TRUTHY] = "truthy",
    [LL_TEST_FALSY] = "falsy",     [LL_TEST_CONSTANT] = "constant",
};

static LLStatus parse_argspec(Ctx *c, const cJSON *v, const char *p,
                              LLArgSpec *out)
{
    static const char *const keys[] = {"position", "keyword", NULL};
    char q[520];
    if (!cJSON_IsObject(v))
        return fail(c, p, "an argument spec must be an object with \"position\" and/or \"keyword\"");
    TRY(check_keys(c, v, p, keys));
    out->position = -1;
    out->keyword = NULL;
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(v, "position");
    const cJSON *kw = cJSON_GetObjectItemCaseSensitive(v, "keyword");
    if (!pos && !kw)
        return fail(c, p, "an argument spec needs \"position\" or \"keyword\"");
    if (pos) {
        join_ptr(q, sizeof q, p, "position");
        if (!cJSON_IsNumber(pos) || pos->valuedouble < 0 ||
            pos->valuedouble > 255 || pos->valuedouble != (int)pos->valuedouble)
            return fail(c, q, "must be an integer from 0 to 255");
        out->position = pos->valueint;
    }
    if (kw) {
        join_ptr(q, sizeof q, p, "keyword");
        if (!cJSON_IsString(kw) || !is_dotted_name(kw->valuestring) ||
            strchr(kw->valuestring, '.'))
            return fail(c, q, "must be a Python identifier");
        out->keyword = ll_xstrdup(kw->valuestring);
    }
    return LL_OK;
}

static LLStatus parse_literal(Ctx *c, const cJSON *v, const char *p,
                              LLLiteral *out)
{
    memset(out, 0, sizeof *out);
    if (cJSON_IsString(v)) {
        out->kind = LL_LIT_STRING;
        out->str = ll_xstrdup(v->valuestring);
        out->len = strlen(v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        out->kind = LL_LIT_NUMBER;
        out->num = v->valuedouble;
    } else if (cJSON_IsBool(v)) {
        out->kind = LL_LIT_BOOL;
        out->num = cJSON_IsTrue(v) ? 1 : 0;
    } else if (cJSON_IsNull(v)) {
        out->kind = LL_LIT_NONE;
    } else {
        return fail(c, p, "must be a string, number, boolean or null");
    }
    return LL_OK;
}

static LLStatus parse_predicate(Ctx *c, const cJSON *v, const char *p,
                                LLPredicate *out)
{
    static const char *const keys[] = {"arg", "is", "equals", "resolves_to",
                                       "matches", NULL};
    char q[520];
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(v))
        return fail(c, p, "a predicate must be an object");
    TRY(check_keys(c, v, p, keys));
    const cJSON *arg = cJSON_GetObjectItemCaseSensitive(v, "arg");
    if (!arg)
        return fail(c, p, "a predicate needs \"arg\"");
    join_ptr(q, sizeof q, p, "arg");
    TRY(parse_argspec(c, arg, q, &out->arg));
    int tests = 0;
    for (const cJSON *it = v->child; it; it = it->next)
        tests += strcmp(it->string, "arg") != 0;
    if (tests != 1)
        return fail(c, p, "a predicate needs exactly one of \"is\", \"equals\", \"resolves_to\", \"matches\"");
    const cJSON *t;
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "is"))) {
        join_ptr(q, sizeof q, p, "is");
        if (!cJSON_IsString(t))
            return fail(c, q, "must be a string");
        for (size_t i = 0; i < sizeof test_names / sizeof *test_names; i++) {
            if (strcmp(t->valuestring, test_names[i]) == 0) {
                out->test = (LLTest)i;
                return LL_OK;
            }
        }
        return fail(c, q, "unknown value \"%s\" (expected one of: present, absent, true, false, none, truthy, falsy, constant)",
                    t->valuestring);
    }
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "equals"))) {
        join_ptr(q, sizeof q, p, "equals");
        out->test = LL_TEST_EQUALS;
        if (cJSON_IsArray(t)) {
            int n = cJSON_GetArraySize(t);
            if (n == 0)
                return fail(c, q, "must not be empty");
            out->values = ll_xcalloc((size_t)n, sizeof *out->values);
            char r[530];
            for (const cJSON *it = t->child; it; it = it->next) {
                join_idx(r, sizeof r, q, (int)out->nvalues);
                TRY(parse_literal(c, it, r, &out->values[out->nvalues]));
                out->nvalues++;
            }
        } else {
            out->values = ll_xcalloc(1, sizeof *out->values);
            TRY(parse_literal(c, t, q, &out->values[0]));
            out->nvalues = 1;
        }
        return LL_OK;
    }
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "resolves_to"))) {
        out->test = LL_TEST_RESOLVES_TO;
        LLStrList l;
        TRY(get_name_list(c, v, p, "resolves_to", &l, true));
        if (!l.len)
            return fail(c, p, "\"resolves_to\" must be a non-empty array");
        out->names = l.items;
        out->nnames = l.len;
        return LL_OK;
    }
    t = cJSON_GetObjectItemCaseSensitive(v, "matches");
    join_ptr(q, sizeof q, p, "matches");
    if (!cJSON_IsString(t))
        return fail(c, q, "must be a string (a PCRE2 pattern)");
    out->test = LL_TEST_MATCHES;
    LLStatus st;
    out->re = compile_re(c, q, t->valuestring, false, &st);
    return st;
}

static void free_predicate(LLPredicate *p)
{
    free((char *)p->arg.keyword);
    for (size_t i = 0; i < p->nvalues; i++)
        free((char *)p->values[i].str);
    free(p->values);
    for (size_t i = 0; i < p->nnames; i++)
        free(p->names[i]);
    free(p->names);
    pcre2_code_free(p->re);
}

static LLStatus parse_predicates(Ctx *c, const cJSON *obj, const char *ptr,
                                 const char *key, LLPredicate **out, size_t *n)
{
    char p[512], q[520];
    join_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return LL_OK;
    if (!cJSON_IsArray(v))
        return fail(c, p, "must be an array of predicates");
    *out = ll_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof **out);
    for (const cJSON *it = v->child; it; it = it->next) {
        join_idx(q, sizeof q, p, (int)*n);
        LLStatus st = parse_predicate(c, it, q, &(*out)[*n]);
        if (st != LL_OK) {
            free_predicate(&(*out)[*n]); /* what it had parsed before failing */
            return st;
        }
        (*n)++;
    }
    return LL_OK;
}

/* ---- rules --------------------------------------------------------------- */

static LLStatus get_severity(Ctx *c, const cJSON *obj, const char *ptr,
                             const char *key, bool required, LLSeverity *out)
{
    char *s;
    char p[512];
    join_ptr(p, sizeof p, ptr, key);
    TRY(get_string(c, obj, ptr, key, required, &s));
    if (!s)
        return LL_OK;
    bool ok = ll_severity_parse(s, out);
    free(s);
    if (!ok)
        return fail(c, p, "must be one of: error, warning, note");
    return LL_OK;
}

static void free_rule(LLRule *r)
{
    free(r->origin);
    free(r->code);
    free(r->name);
    free(r->summary);
    free(r->message);
    free(r->precision);
    free(r->security_severity);
    free_list(&r->cwe);
    free_list(&r->tags);
    free_list(&r->calls);
    free_list(&r->methods);
    free(r->call_regex);
    pcre2_code_free(r->call_re);
    for (size_t i = 0; i < r->nwhere; i++)
        free_predicate(&r->where[i]);
    free(r->where);
    for (size_t i = 0; i < r->nunless; i++)
        free_predicate(&r->unless[i]);
    free(r->unless);
    free_list(&r->class_defines);
    for (size_t i = 0; i < r->ninputs; i++)
        free((char *)r->inputs[i].keyword);
    free(r->inputs);
    free(r->doc_what);
    free(r->doc_why);
    free(r->doc_example);
    free(r->doc_use_instead);
    free_list(&r->references);
    free_list(&r->peers);
}

static bool keyword_known(const LLRule *r, const char *kw, size_t len)
{
    const LLPredicate *sets[2] = {r->where, r->unless};
    size_t ns[2] = {r->nwhere, r->nunless};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < ns[s]; i++)
            if (sets[s][i].arg.keyword && strlen(sets[s][i].arg.keyword) == len &&
                memcmp(sets[s][i].arg.keyword, kw, len) == 0)
                return true;
    for (size_t i = 0; i < r->ninputs; i++)
        if (r->inputs[i].keyword && strlen(r->inputs[i].keyword) == len &&
            memcmp(r->inputs[i].keyword, kw, len) == 0)
            return true;
    return false;
}

static LLStatus check_message(Ctx *c, const LLRule *r)
{
    const char *m = r->message;
    bool is_class = r->class_defines.len > 0;
    for (const char *s = strchr(m, '{'); s; s = strchr(s + 1, '{')) {
        const char *e = strchr(s, '}');
        if (!e)
            return fail(c, "/message", "unterminated placeholder");
        size_t n = (size_t)(e - s - 1);
        const char *name = s + 1;
        bool ok;
        if (n == 6 && memcmp(name, "callee", 6) == 0)
            ok = !is_class;
        else if ((n == 5 && memcmp(name, "class", 5) == 0) ||
                 (n == 6 && memcmp(name, "method", 6) == 0))
            ok = is_class;
        else if (n > 4 && memcmp(name, "arg:", 4) == 0)
            ok = !is_class && keyword_known(r, name + 4, n - 4);
        else
            ok = false;
        if (!ok)
            return fail(c, "/message",
                        "unknown placeholder {%.*s} (use {callee}, {arg:KEYWORD} "
                        "for a keyword of the rule's argument specs, or {class} "
                        "and {method} in class rules)",
                        (int)n, name);
    }
    return LL_OK;
}

static bool is_abs_url(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == '"' || *s == '<' || *s == '>' ||
            *s == '\\' || *s == '^' || *s == '`' || *s == '{' || *s == '|' ||
            *s == '}')
            return false;
    return true;
}

static LLStatus parse_match(Ctx *c, const cJSON *m, LLRule *r)
{
    static const char *const keys[] = {"call", "call_regex", "method", "where",
                                       "unless", "class_defines", NULL};
    if (!m)
        return fail(c, "", "missing required key \"match\"");
    if (!cJSON_IsObject(m))
        return fail(c, "/match", "must be an object");
    TRY(check_keys(c, m, "/match", keys));
    TRY(get_name_list(c, m, "/match", "call", &r->calls, true));
    TRY(get_name_list(c, m, "/match", "method", &r->methods, false));
    TRY(get_name_list(c, m, "/match", "class_defines", &r->class_defines, false));
    TRY(get_string(c, m, "/match", "call_regex", false, &r->call_regex));
    if (r->call_regex) {
        LLStatus st;
        r->call_re = compile_re(c, "/match/call_regex", r->call_regex, true, &st);
        TRY(st);
    }
    TRY(parse_predicates(c, m, "/match", "where", &r->where, &r->nwhere));
    TRY(parse_predicates(c, m, "/match", "unless", &r->unless, &r->nunless));
    bool call_form = r->calls.len || r->methods.len || r->call_regex;
    bool class_form = r->class_defines.len > 0;
    if (call_form && class_form)
        return fail(c, "/match", "use either the call form (call, call_regex, method) or the class form (class_defines), not both");
    if (!call_form && !class_form)
        return fail(c, "/match", "needs \"call\", \"call_regex\", \"method\" or \"class_defines\"");
    if (class_form && (r->nwhere || r->nunless))
        return fail(c, "/match", "\"where\" and \"unless\" apply to calls only");
    return LL_OK;
}

static LLStatus parse_rule(Ctx *c, const cJSON *root, LLRule *r)
{
    static const char *const keys[] = {
        "code", "name", "severity", "summary", "message", "precision",
        "security_severity", "cwe", "tags", "match", "inputs", "provenance",
        "docs", "peers", NULL};
    static const char *const doc_keys[] = {"what", "why", "example",
                                           "use_instead", "references", NULL};
    static const char *const prov_keys[] = {"untrusted", "unknown", "constant",
                                            NULL};
    if (!cJSON_IsObject(root))
        return fail(c, "", "a rule file must hold one JSON object");
    TRY(check_keys(c, root, "", keys));
    TRY(get_string(c, root, "", "code", true, &r->code));
    if (!is_code(r->code))
        return fail(c, "/code", "\"%s\" is not a rule code (2-4 capital letters and 3-4 digits, e.g. LL101)", r->code);
    TRY(get_string(c, root, "", "name", true, &r->name));
    if (!is_kebab(r->name))
        return fail(c, "/name", "\"%s\" is not kebab-case", r->name);
    TRY(get_severity(c, root, "", "severity", true, &r->severity));
    TRY(get_string(c, root, "", "summary", true, &r->summary));
    if (strlen(r->summary) > 1024 || strchr(r->summary, '\n'))
        return fail(c, "/summary", "must be one line of at most 1024 characters");
    TRY(get_string(c, root, "", "message", true, &r->message));
    if (strchr(r->message, '\n'))
        return fail(c, "/message", "must be one line");
    TRY(get_string(c, root, "", "precision", true, &r->precision));
    if (strcmp(r->precision, "very-high") && strcmp(r->precision, "high") &&
        strcmp(r->precision, "medium") && strcmp(r->precision, "low"))
        return fail(c, "/precision", "must be one of: very-high, high, medium, low");
    TRY(get_string(c, root, "", "security_severity", true, &r->security_severity));
    {
        char *end;
        double d = strtod(r->security_severity, &end);
        if (*end || end == r->security_severity || !(d > 0.0 && d <= 10.0))
            return fail(c, "/security_severity", "must be a number in (0, 10] written as a string, e.g. \"9.8\"");
    }
    TRY(get_string_list(c, root, "", "cwe", true, true, &r->cwe));
    for (size_t i = 0; i < r->cwe.len; i++) {
        const char *s = r->cwe.items[i];
        char p[64];
        snprintf(p, sizeof p, "/cwe/%zu", i);
        if (strncmp(s, "CWE-", 4) != 0 || !s[4] ||
            strspn(s + 4, "0123456789") != strlen(s + 4))
            return fail(c, p, "\"%s\" is not of the form CWE-<number>", s);
    }
    TRY(get_string_list(c, root, "", "tags", true, false, &r->tags));
    TRY(parse_match(c, cJSON_GetObjectItemCaseSensitive(root, "match"), r));

    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    if (inputs) {
        if (!cJSON_IsArray(inputs) || !cJSON_GetArraySize(inputs))
            return fail(c, "/inputs", "must be a non-empty array of argument specs");
        if (r->class_defines.len)
            return fail(c, "/inputs", "applies to calls only");
        r->inputs = ll_xcalloc((size_t)cJSON_GetArraySize(inputs), sizeof *r->inputs);
        for (const cJSON *it = inputs->child; it; it = it->next) {
            char p[64];
            snprintf(p, sizeof p, "/inputs/%zu", r->ninputs);
            TRY(parse_argspec(c, it, p, &r->inputs[r->ninputs]));
            r->ninputs++;
        }
    }
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(root, "provenance");
    if (prov) {
        if (!cJSON_IsObject(prov))
            return fail(c, "/provenance", "must be an object");
        if (!r->ninputs)
            return fail(c, "/provenance", "needs \"inputs\": the arguments whose provenance grades the finding");
        TRY(check_keys(c, prov, "/provenance", prov_keys));
        r->has_provenance = true;
        TRY(get_severity(c, prov, "/provenance", "untrusted", true, &r->provenance[LL_PROV_UNTRUSTED]));
        TRY(get_severity(c, prov, "/provenance", "unknown", true, &r->provenance[LL_PROV_UNKNOWN]));
        TRY(get_severity(c, prov, "/provenance", "constant", true, &r->provenance[LL_PROV_CONSTANT]));
    }
    TRY(check_message(c, r));

    const cJSON *docs = cJSON_GetObjectItemCaseSensitive(root, "docs");
    if (!docs)
        return fail(c, "", "missing required key \"docs\"");
    if (!cJSON_IsObject(docs))
        return fail(c, "/docs", "must be an object");
    TRY(check_keys(c, docs, "/docs", doc_keys));
    TRY(get_string(c, docs, "/docs", "what", true, &r->doc_what));
    TRY(get_string(c, docs, "/docs", "why", true, &r->doc_why));
    TRY(get_string(c, docs, "/docs", "example", true, &r->doc_example));
    TRY(get_string(c, docs, "/docs", "use_instead", true, &r->doc_use_instead));
    TRY(get_string_list(c, docs, "/docs", "references", true, true, &r->references));
    for (size_t i = 0; i < r->references.len; i++) {
        char p[64];
        snprintf(p, sizeof p, "/docs/references/%zu", i);
        if (!is_abs_url(r->references.items[i]))
            return fail(c, p, "\"%s\" is not an absolute http(s) URL", r->references.items[i]);
    }
    const cJSON *peers = cJSON_GetObjectItemCaseSensitive(root, "peers");
    if (peers) {
        if (!cJSON_IsObject(peers))
            return fail(c, "/peers", "must be an object of tool name -> array of rule ids");
        int n = cJSON_GetArraySize(peers);
        r->peers.items = ll_xcalloc((size_t)n, sizeof *r->peers.items);
        for (const cJSON *it = peers->child; it; it = it->next) {
            char p[512];
            join_ptr(p, sizeof p, "/peers", it->string);
            LLStrList ids;
            TRY(get_string_list(c, peers, "/peers", it->string, true, true, &ids));
            LLBuf b;
            ll_buf_init(&b);
            ll_buf_printf(&b, "%s: ", it->string);
            for (size_t i = 0; i < ids.len; i++)
                ll_buf_printf(&b, "%s%s", i ? ", " : "", ids.items[i]);
            free_list(&ids);
            r->peers.items[r->peers.len++] = ll_buf_detach(&b);
            ll_buf_release(&b);
        }
    }
    return LL_OK;
}

/* ---- ruleset ------------------------------------------------------------- */

LLRuleset *ll_ruleset_new(void)
{
    LLRuleset *rs = ll_xcalloc(1, sizeof *rs);
    ll_strmap_init(&rs->by_call);
    ll_strmap_init(&rs->by_method);
    ll_strmap_init(&rs->known_names);
    ll_nameset_init(&rs->prefilter);
    return rs;
}

static void free_ids_map(LLStrMap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].hash) {
            LLRuleIds *ids = (LLRuleIds *)m->slots[i].value;
            free(ids->ids);
            free(ids);
        }
    }
    ll_strmap_release(m);
}

void ll_ruleset_free(LLRuleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nrules; i++)
        free_rule(&rs->rules[i]);
    free(rs->rules);
    free_ids_map(&rs->by_call);
    free_ids_map(&rs->by_method);
    ll_strmap_release(&rs->known_names);
    ll_nameset_release(&rs->prefilter);
    free(rs->regex_rules.ids);
    free(rs->class_rules.ids);
    free(rs);
}

const LLRule *ll_ruleset_find(const LLRuleset *rs, const char *code)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (strcmp(rs->rules[i].code, code) == 0)
            return &rs->rules[i];
    return NULL;
}

LLStatus ll_ruleset_add_json(LLRuleset *rs, const char *origin,
                             const char *text, size_t len, LLError *err)
{
    Ctx c = {origin, text, len, err};
    if (rs->finished)
        return ll_error_set(err, LL_ERR_RULE, origin, 0, 0, "ruleset already finished");
    if (len > LL_MAX_RULE_FILE_BYTES)
        return ll_error_set(err, LL_ERR_LIMIT, origin, 0, 0,
                            "rule file is larger than %u bytes", LL_MAX_RULE_FILE_BYTES);
    if (rs->nrules >= LL_MAX_RULES)
        return ll_error_set(err, LL_ERR_LIMIT, origin, 0, 0,
                            "more than %u rules", LL_MAX_RULES);
    const char *end = NULL;
    /* cJSON's "require NUL-terminated" check looks at text[len]: callers
     * keep a NUL there (documented in ruleset.h), so parse len + 1 bytes. */
    if (text[len] != '\0')
        return ll_error_set(err, LL_ERR_RULE, origin, 0, 0, "internal: rule text is not NUL-terminated");
    if (memchr(text, '\0', len))
        return ll_error_set(err, LL_ERR_RULE, origin, 0, 0, "rule file contains a NUL byte");
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, true);
    if (!root) {
        size_t off = end ? (size_t)(end - text) : 0;
        unsigned line, col;
        ll_jsonloc_linecol(text, len, off, &line, &col);
        return ll_error_set(err, LL_ERR_RULE, origin, line, col,
                            "invalid JSON (syntax error near here)");
    }
    LLRule r;
    memset(&r, 0, sizeof r);
    LLStatus st = parse_rule(&c, root, &r);
    if (st == LL_OK) {
        for (size_t i = 0; i < rs->nrules; i++) {
            if (strcmp(rs->rules[i].code, r.code) == 0) {
                st = fail(&c, "/code", "rule code %s is already defined in %s",
                          r.code, rs->rules[i].origin);
                break;
            }
        }
    }
    cJSON_Delete(root);
    if (st != LL_OK) {
        free_rule(&r);
        return st;
    }
    r.origin = ll_xstrdup(origin);
    r.enabled = true;
    if (rs->nrules == rs->cap) {
        rs->cap = ll_grow_cap(rs->cap, rs->nrules + 1);
        rs->rules = ll_xrealloc(rs->rules, rs->cap * sizeof *rs->rules);
    }
    rs->rules[rs->nrules++] = r;
    return LL_OK;
}

LLStatus ll_ruleset_add_builtin(LLRuleset *rs, LLError *err)
{
    for (unsigned i = 0; i < ll_builtin_rule_file_count; i++) {
        const LLBuiltinRuleFile *f = &ll_builtin_rule_files[i];
        LLStatus st = ll_ruleset_add_json(rs, f->path, f->text, f->len, err);
        if (st != LL_OK)
            return st;
    }
    return LL_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

LLStatus ll_ruleset_add_dir(LLRuleset *rs, const char *dir, LLError *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ll_error_set(err, LL_ERR_IO, dir, 0, 0,
                            "cannot open rule directory: %s", strerror(errno));
    LLStrList names = {0};
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        if (names.len == cap) {
            cap = ll_grow_cap(cap, names.len + 1);
            names.items = ll_xrealloc(names.items, cap * sizeof *names.items);
        }
        names.items[names.len++] = ll_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names.items, names.len, sizeof *names.items, cmp_str);
    LLStatus st = LL_OK;
    for (size_t i = 0; i < names.len && st == LL_OK; i++) {
        LLBuf path;
        ll_buf_init(&path);
        ll_buf_printf(&path, "%s%s%s", dir,
                      dir[strlen(dir) - 1] == '/' ? "" : "/", names.items[i]);
        /* O_NONBLOCK: a FIFO among the rule files must not block the run */
        int fd = open(path.data, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        struct stat sb;
        FILE *f = NULL;
        bool irregular = false;
        if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
            f = fdopen(fd, "rb");
            if (!f)
                close(fd);
        } else if (fd >= 0) {
            close(fd);
            irregular = true;
        }
        if (!f) {
            st = ll_error_set(err, LL_ERR_IO, path.data, 0, 0,
                              "cannot read rule file: %s",
                              irregular ? "not a regular file" : strerror(errno));
        } else if ((size_t)sb.st_size > LL_MAX_RULE_FILE_BYTES) {
            st = ll_error_set(err, LL_ERR_LIMIT, path.data, 0, 0,
                              "rule file is larger than %u bytes", LL_MAX_RULE_FILE_BYTES);
        } else {
            char *text = ll_xmalloc((size_t)sb.st_size + 1);
            size_t n = fread(text, 1, (size_t)sb.st_size, f);
            text[n] = '\0';
            st = ll_ruleset_add_json(rs, path.data, text, n, err);
            free(text);
        }
        if (f)
            fclose(f);
        ll_buf_release(&path);
    }
    free_list(&names);
    return st;
}

bool ll_rule_code_matches(const char *code, const LLStrList *prefixes)
{
    for (size_t i = 0; i < prefixes->len; i++) {
        const char *p = prefixes->items[i];
        if (strcmp(p, "ALL") == 0 || strncmp(code, p, strlen(p)) == 0)
            return true;
    }
    return false;
}

static void ids_push(LLRuleIds *ids, uint32_t id)
{
    if (ids->len && ids->ids[ids->len - 1] == id)
        return;
    ids->ids = ll_xrealloc(ids->ids, (ids->len + 1) * sizeof *ids->ids);
    ids->ids[ids->len++] = id;
}

static void map_add(LLStrMap *m, const char *key, uint32_t id)
{
    LLStrMapSlot *s = ll_strmap_slot(m, key, strlen(key), 0);
    if (!s->value)
        s->value = (intptr_t)ll_xcalloc(1, sizeof(LLRuleIds));
    ids_push((LLRuleIds *)s->value, id);
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const LLRule *)a)->code, ((const LLRule *)b)->code);
}

void ll_ruleset_finish(LLRuleset *rs)
{
    if (rs->finished)
        return;
    rs->finished = true;
    rs->prefilter_exact = true;
    if (rs->nrules > 1)
        qsort(rs->rules, rs->nrules, sizeof *rs->rules, cmp_rule);
    for (size_t i = 0; i < rs->nrules; i++) {
        const LLRule *r = &rs->rules[i];
        uint32_t id = (uint32_t)i;
        for (size_t k = 0; k < r->calls.len; k++)
            ll_strmap_put(&rs->known_names, r->calls.items[k],
                          strlen(r->calls.items[k]), 1);
        for (size_t k = 0; k < r->nwhere + r->nunless; k++) {
            const LLPredicate *p = k < r->nwhere ? &r->where[k] : &r->unless[k - r->nwhere];
            for (size_t j = 0; j < p->nnames; j++)
                ll_strmap_put(&rs->known_names, p->names[j], strlen(p->names[j]), 1);
        }
        if (!r->enabled)
            continue;
        for (size_t k = 0; k < r->calls.len; k++)
            ll_nameset_add(&rs->prefilter, r->calls.items[k]);
        for (size_t k = 0; k < r->methods.len; k++)
            ll_nameset_add(&rs->prefilter, r->methods.items[k]);
        for (size_t k = 0; k < r->class_defines.len; k++)
            ll_nameset_add(&rs->prefilter, r->class_defines.items[k]);
        if (r->call_re)
            rs->prefilter_exact = false;
        for (size_t k = 0; k < r->calls.len; k++)
            map_add(&rs->by_call, r->calls.items[k], id);
        for (size_t k = 0; k < r->methods.len; k++)
            map_add(&rs->by_method, r->methods.items[k], id);
        if (r->call_re)
            ids_push(&rs->regex_rules, id);
        if (r->class_defines.len)
            ids_push(&rs->class_rules, id);
    }
}

char *ll_rule_format_message(const LLRule *rule, const char *callee,
                             const char *class_name, const char *method,
                             LLArgTextFn arg_text, void *ctx)
{
    LLBuf b;
    ll_buf_init(&b);
    const char *m = rule->message;
    while (*m) {
        const char *s = strchr(m, '{');
        const char *e = s ? strchr(s, '}') : NULL;
        if (!s || !e) {
            ll_buf_puts(&b, m);
            break;
        }
        ll_buf_append(&b, m, (size_t)(s - m));
        size_t n = (size_t)(e - s - 1);
        if (n == 6 && memcmp(s + 1, "callee", 6) == 0) {
            ll_buf_puts(&b, callee ? callee : "?");
        } else if (n == 5 && memcmp(s + 1, "class", 5) == 0) {
            ll_buf_puts(&b, class_name ? class_name : "?");
        } else if (n == 6 && memcmp(s + 1, "method", 6) == 0) {
            ll_buf_puts(&b, method ? method : "?");
        } else if (n > 4 && memcmp(s + 1, "arg:", 4) == 0 && arg_text) {
            char kw[128];
            snprintf(kw, sizeof kw, "%.*s", (int)(n - 4), s + 5);
            ll_buf_puts(&b, arg_text(ctx, kw));
        } else {
            ll_buf_append(&b, s, n + 2);
        }
        m = e + 1;
    }
    return ll_buf_detach(&b);
}
