/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "rules/ruleset.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "rules/builtin.h"
#include "rules/fixspec.h"
#include "rules/jsonloc.h"
#include "rules/jsonrd.h"
#include "deps/constraint.h"
#include "deps/pep440.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static LLStatus get_name_list(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                              const char *key, LLStrList *out, bool dotted)
{
    LL_JSON_TRY(ll_json_get_string_list(c, obj, ptr, key, false, true, out));
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    for (size_t i = 0; i < out->len; i++) {
        ll_json_ptr_index(q, sizeof q, p, (int)i);
        bool ok = dotted ? ll_json_is_dotted_name(out->items[i])
                         : ll_json_is_identifier(out->items[i]);
        if (!ok) {
            LLStatus st = ll_json_fail(c, q, "\"%s\" is not a %s", out->items[i],
                                       dotted ? "canonical dotted name (a.b.c)"
                                              : "Python identifier");
            ll_strlist_free(out);
            return st;
        }
    }
    return LL_OK;
}

static pcre2_code *compile_re(LLJsonCtx *c, const char *ptr, const char *pattern,
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
        *st = ll_json_fail(c, ptr, "invalid regular expression at offset %zu: %s",
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

static LLStatus parse_argspec(LLJsonCtx *c, const cJSON *v, const char *p,
                              LLArgSpec *out)
{
    static const char *const keys[] = {"position", "keyword", NULL};
    char q[520];
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "an argument spec must be an object with \"position\" and/or \"keyword\"");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    out->position = -1;
    out->keyword = NULL;
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(v, "position");
    const cJSON *kw = cJSON_GetObjectItemCaseSensitive(v, "keyword");
    if (!pos && !kw)
        return ll_json_fail(c, p, "an argument spec needs \"position\" or \"keyword\"");
    if (pos) {
        ll_json_ptr(q, sizeof q, p, "position");
        if (!cJSON_IsNumber(pos) || pos->valuedouble < 0 ||
            pos->valuedouble > 255 || pos->valuedouble != (int)pos->valuedouble)
            return ll_json_fail(c, q, "must be an integer from 0 to 255");
        out->position = pos->valueint;
    }
    if (kw) {
        ll_json_ptr(q, sizeof q, p, "keyword");
        if (!cJSON_IsString(kw) || !ll_json_is_dotted_name(kw->valuestring) ||
            strchr(kw->valuestring, '.'))
            return ll_json_fail(c, q, "must be a Python identifier");
        out->keyword = ll_xstrdup(kw->valuestring);
    }
    return LL_OK;
}

static LLStatus parse_literal(LLJsonCtx *c, const cJSON *v, const char *p,
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
        return ll_json_fail(c, p, "must be a string, number, boolean or null");
    }
    return LL_OK;
}

static LLStatus parse_predicates(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                                 const char *key, bool structural, LLPredicate **out, size_t *n);

/* "in_except_of": {"call": [NAMES], "where": [PREDICATES]} (ruleset.h). */
static LLStatus parse_in_except_of(LLJsonCtx *c, const cJSON *v, const char *p, LLPredicate *out)
{
    static const char *const keys[] = {"call", "where", NULL};
    out->test = LL_TEST_IN_EXCEPT_OF;
    out->arg.position = -1;
    out->arg.keyword = NULL;
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "must be an object with \"call\" (the calls of the `try` block) and optionally \"where\"");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    LLStrList l = {0};
    LL_JSON_TRY(get_name_list(c, v, p, "call", &l, true));
    if (!l.len) {
        ll_strlist_free(&l);
        return ll_json_fail(c, p, "needs \"call\": a non-empty array of canonical names");
    }
    out->names = l.items;
    out->nnames = l.len;
    /* argument predicates only: no structural test (nor a recursion) inside */
    return parse_predicates(c, v, p, "where", false, &out->inner, &out->ninner);
}

static LLStatus parse_predicate(LLJsonCtx *c, const cJSON *v, const char *p, bool structural,
                                LLPredicate *out)
{
    static const char *const keys[] = {"arg", "is", "equals", "resolves_to",
                                       "matches", "in_except_of", NULL};
    char q[520];
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "a predicate must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    const cJSON *exc = cJSON_GetObjectItemCaseSensitive(v, "in_except_of");
    if (exc) {
        if (!structural)
            return ll_json_fail(c, p, "\"in_except_of\" cannot be nested: the conditions of the `try` block's call are argument predicates");
        if (cJSON_GetArraySize(v) != 1)
            return ll_json_fail(c, p, "\"in_except_of\" is a predicate of its own: no \"arg\" or other test beside it");
        ll_json_ptr(q, sizeof q, p, "in_except_of");
        return parse_in_except_of(c, exc, q, out);
    }
    const cJSON *arg = cJSON_GetObjectItemCaseSensitive(v, "arg");
    if (!arg)
        return ll_json_fail(c, p, "a predicate needs \"arg\" (or is \"in_except_of\")");
    ll_json_ptr(q, sizeof q, p, "arg");
    LL_JSON_TRY(parse_argspec(c, arg, q, &out->arg));
    int tests = 0;
    for (const cJSON *it = v->child; it; it = it->next)
        tests += strcmp(it->string, "arg") != 0;
    if (tests != 1)
        return ll_json_fail(c, p, "a predicate needs exactly one of \"is\", \"equals\", \"resolves_to\", \"matches\"");
    const cJSON *t;
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "is"))) {
        ll_json_ptr(q, sizeof q, p, "is");
        /* one test, or a list of them: any one holding is enough */
        bool list = cJSON_IsArray(t);
        if (!list && !cJSON_IsString(t))
            return ll_json_fail(c, q, "must be a string or an array of strings");
        if (list && !cJSON_GetArraySize(t))
            return ll_json_fail(c, q, "must not be empty");
        int k = 0;
        for (const cJSON *e = list ? t->child : t; e; e = list ? e->next : NULL, k++) {
            char r[530];
            if (list)
                ll_json_ptr_index(r, sizeof r, q, k);
            else
                snprintf(r, sizeof r, "%s", q);
            if (!cJSON_IsString(e))
                return ll_json_fail(c, r, "must be a string");
            size_t i = 0;
            while (i < sizeof test_names / sizeof *test_names &&
                   !(test_names[i] && strcmp(e->valuestring, test_names[i]) == 0))
                i++;
            if (i == sizeof test_names / sizeof *test_names)
                return ll_json_fail(c, r, "unknown value \"%s\" (expected one of: present, absent, true, false, none, truthy, falsy, constant)",
                                    e->valuestring);
            out->test = (LLTest)i;
            out->any_of |= 1u << i;
        }
        if (!list)
            out->any_of = 0;
        return LL_OK;
    }
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "equals"))) {
        ll_json_ptr(q, sizeof q, p, "equals");
        out->test = LL_TEST_EQUALS;
        if (cJSON_IsArray(t)) {
            int n = cJSON_GetArraySize(t);
            if (n == 0)
                return ll_json_fail(c, q, "must not be empty");
            out->values = ll_xcalloc((size_t)n, sizeof *out->values);
            char r[530];
            for (const cJSON *it = t->child; it; it = it->next) {
                ll_json_ptr_index(r, sizeof r, q, (int)out->nvalues);
                LL_JSON_TRY(parse_literal(c, it, r, &out->values[out->nvalues]));
                out->nvalues++;
            }
        } else {
            out->values = ll_xcalloc(1, sizeof *out->values);
            LL_JSON_TRY(parse_literal(c, t, q, &out->values[0]));
            out->nvalues = 1;
        }
        return LL_OK;
    }
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "resolves_to"))) {
        out->test = LL_TEST_RESOLVES_TO;
        LLStrList l;
        LL_JSON_TRY(get_name_list(c, v, p, "resolves_to", &l, true));
        if (!l.len)
            return ll_json_fail(c, p, "\"resolves_to\" must be a non-empty array");
        out->names = l.items;
        out->nnames = l.len;
        return LL_OK;
    }
    t = cJSON_GetObjectItemCaseSensitive(v, "matches");
    ll_json_ptr(q, sizeof q, p, "matches");
    if (!cJSON_IsString(t))
        return ll_json_fail(c, q, "must be a string (a PCRE2 pattern)");
    out->test = LL_TEST_MATCHES;
    LLStatus st;
    out->re = compile_re(c, q, t->valuestring, false, &st);
    return st;
}

static void free_predicate_fields(LLPredicate *p)
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

/* A predicate and its inner ones (one level: parse_in_except_of refuses more). */
static void free_predicate(LLPredicate *p)
{
    for (size_t i = 0; i < p->ninner; i++)
        free_predicate_fields(&p->inner[i]);
    free(p->inner);
    free_predicate_fields(p);
}

static LLStatus parse_predicates(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                                 const char *key, bool structural, LLPredicate **out, size_t *n)
{
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return LL_OK;
    if (!cJSON_IsArray(v))
        return ll_json_fail(c, p, "must be an array of predicates");
    *out = ll_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof **out);
    for (const cJSON *it = v->child; it; it = it->next) {
        ll_json_ptr_index(q, sizeof q, p, (int)*n);
        LLStatus st = parse_predicate(c, it, q, structural, &(*out)[*n]);
        if (st != LL_OK) {
            free_predicate(&(*out)[*n]); /* what it had parsed before failing */
            return st;
        }
        (*n)++;
    }
    return LL_OK;
}

/* ---- rules --------------------------------------------------------------- */

static LLStatus get_severity(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                             const char *key, bool required, LLSeverity *out)
{
    char *s;
    char p[512];
    ll_json_ptr(p, sizeof p, ptr, key);
    LL_JSON_TRY(ll_json_get_string(c, obj, ptr, key, required, &s));
    if (!s)
        return LL_OK;
    bool ok = ll_severity_parse(s, out);
    free(s);
    if (!ok)
        return ll_json_fail(c, p, "must be one of: error, warning, note");
    return LL_OK;
}

static void free_versions(LLRuleVersions *v);

static void free_rule(LLRule *r)
{
    ll_strlist_free(&r->artifacts);
    free(r->origin);
    free(r->code);
    free(r->name);
    free(r->summary);
    free(r->message);
    free(r->precision);
    free(r->security_severity);
    ll_strlist_free(&r->cwe);
    ll_strlist_free(&r->tags);
    ll_strlist_free(&r->calls);
    ll_strlist_free(&r->methods);
    free(r->call_regex);
    pcre2_code_free(r->call_re);
    for (size_t i = 0; i < r->nwhere; i++)
        free_predicate(&r->where[i]);
    free(r->where);
    for (size_t i = 0; i < r->nunless; i++)
        free_predicate(&r->unless[i]);
    free(r->unless);
    ll_strlist_free(&r->class_defines);
    for (size_t i = 0; i < r->ninputs; i++)
        free((char *)r->inputs[i].keyword);
    free(r->inputs);
    free(r->doc_what);
    free(r->doc_why);
    free(r->doc_example);
    free(r->doc_use_instead);
    free(r->url);
    ll_strlist_free(&r->references);
    ll_strlist_free(&r->peers);
    ll_fixspec_free(r->fixes, r->nfixes);
    free_versions(r->versions);
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

/* Whether the rule's `where` has an "in_except_of" (its call is {related}). */
static bool has_in_except_of(const LLRule *r)
{
    for (size_t i = 0; i < r->nwhere; i++)
        if (r->where[i].test == LL_TEST_IN_EXCEPT_OF)
            return true;
    return false;
}

static LLStatus check_message(LLJsonCtx *c, const LLRule *r)
{
    const char *m = r->message;
    bool is_class = r->class_defines.len > 0;
    bool is_artifact = r->artifacts.len > 0;
    for (const char *s = strchr(m, '{'); s; s = strchr(s + 1, '{')) {
        const char *e = strchr(s, '}');
        if (!e)
            return ll_json_fail(c, "/message", "unterminated placeholder");
        size_t n = (size_t)(e - s - 1);
        const char *name = s + 1;
        bool ok;
        if (n == 6 && memcmp(name, "callee", 6) == 0)
            ok = !is_class && !is_artifact;
        else if ((n == 5 && memcmp(name, "class", 5) == 0) ||
                 (n == 6 && memcmp(name, "method", 6) == 0))
            ok = is_class;
        else if (n > 4 && memcmp(name, "arg:", 4) == 0)
            ok = !is_class && !is_artifact && keyword_known(r, name + 4, n - 4);
        else if (n == 7 && memcmp(name, "related", 7) == 0)
            ok = has_in_except_of(r);
        else if ((n == 7 && memcmp(name, "subject", 7) == 0) ||
                 (n == 6 && memcmp(name, "detail", 6) == 0) ||
                 (n == 6 && memcmp(name, "format", 6) == 0))
            ok = is_artifact;
        else
            ok = false;
        if (!ok)
            return ll_json_fail(c, "/message",
                        "unknown placeholder {%.*s} (use {callee}, {arg:KEYWORD} "
                        "for a keyword of the rule's argument specs, {related} "
                        "with an \"in_except_of\" in \"where\", {class} "
                        "and {method} in class rules, {subject}, {detail} and "
                        "{format} in model-file rules)",
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

static LLStatus parse_match(LLJsonCtx *c, const cJSON *m, LLRule *r)
{
    static const char *const keys[] = {"call", "call_regex", "method", "where",
                                       "unless", "class_defines", "artifact", NULL};
    if (!m)
        return ll_json_fail(c, "", "missing required key \"match\"");
    if (!cJSON_IsObject(m))
        return ll_json_fail(c, "/match", "must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, m, "/match", keys));
    LL_JSON_TRY(get_name_list(c, m, "/match", "call", &r->calls, true));
    LL_JSON_TRY(get_name_list(c, m, "/match", "method", &r->methods, false));
    LL_JSON_TRY(get_name_list(c, m, "/match", "class_defines", &r->class_defines, false));
    LL_JSON_TRY(ll_json_get_string(c, m, "/match", "call_regex", false, &r->call_regex));
    if (r->call_regex) {
        LLStatus st;
        r->call_re = compile_re(c, "/match/call_regex", r->call_regex, true, &st);
        LL_JSON_TRY(st);
    }
    LL_JSON_TRY(parse_predicates(c, m, "/match", "where", true, &r->where, &r->nwhere));
    LL_JSON_TRY(parse_predicates(c, m, "/match", "unless", true, &r->unless, &r->nunless));
    LL_JSON_TRY(ll_json_get_string_list(c, m, "/match", "artifact", false, true, &r->artifacts));
    for (size_t i = 0; i < r->artifacts.len; i++) {
        char q[64];
        snprintf(q, sizeof q, "/match/artifact/%zu", i);
        for (const char *ch = r->artifacts.items[i]; *ch; ch++)
            if (!((*ch >= 'a' && *ch <= 'z') || (*ch >= '0' && *ch <= '9') || *ch == '-'))
                return ll_json_fail(c, q, "\"%s\" is not a check name (lower-case words joined by '-', as the model-file readers report them)",
                                    r->artifacts.items[i]);
    }
    bool call_form = r->calls.len || r->methods.len || r->call_regex;
    bool class_form = r->class_defines.len > 0;
    bool artifact_form = r->artifacts.len > 0;
    if (call_form + class_form + artifact_form > 1)
        return ll_json_fail(c, "/match", "use one form: calls (call, call_regex, method), classes (class_defines) or model files (artifact)");
    if (!call_form && !class_form && !artifact_form)
        return ll_json_fail(c, "/match", "needs \"call\", \"call_regex\", \"method\", \"class_defines\" or \"artifact\"");
    if ((class_form || artifact_form) && (r->nwhere || r->nunless))
        return ll_json_fail(c, "/match", "\"where\" and \"unless\" apply to calls only");
    return LL_OK;
}

/* Every required key that is absent, reported at once: the top-level ones
 * (and those of "docs", as "docs/KEY") at the root, or only the "docs" ones
 * at /docs. Nothing missing: LL_OK. */
static LLStatus check_required(LLJsonCtx *c, const cJSON *root)
{
    static const char *const required[] = {
        "code", "name", "severity", "summary", "message", "precision",
        "security_severity", "cwe", "tags", "match", "docs", NULL};
    static const char *const doc_required[] = {"what", "why", "example", "use_instead",
                                               "references", NULL};
    LL_VEC(const char *) top = {0};
    LL_VEC(const char *) doc = {0};
    for (const char *const *k = required; *k; k++)
        if (!cJSON_GetObjectItemCaseSensitive(root, *k))
            LL_VEC_PUSH(&top, *k);
    const cJSON *docs = cJSON_GetObjectItemCaseSensitive(root, "docs");
    for (const char *const *k = doc_required; cJSON_IsObject(docs) && *k; k++)
        if (!cJSON_GetObjectItemCaseSensitive(docs, *k))
            LL_VEC_PUSH(&doc, *k);
    LLStatus st = LL_OK;
    if (top.len + doc.len) {
        LLBuf b;
        ll_buf_init(&b);
        size_t n = top.len + doc.len;
        for (size_t i = 0; i < n; i++) {
            if (i)
                ll_buf_puts(&b, i + 1 == n ? " and " : ", ");
            if (i < top.len)
                ll_buf_printf(&b, "\"%s\"", top.items[i]);
            else
                ll_buf_printf(&b, "\"%s%s\"", top.len ? "docs/" : "", doc.items[i - top.len]);
        }
        st = ll_json_fail(c, top.len ? "" : "/docs", "missing required key%s %s", n > 1 ? "s" : "",
                          b.data);
        ll_buf_release(&b);
    }
    LL_VEC_FREE(&top);
    LL_VEC_FREE(&doc);
    return st;
}

/* ---- versions --------------------------------------------------------------- */

static void free_versions(LLRuleVersions *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nranges; i++) {
        LLVersionRange *g = &v->ranges[i];
        free(g->package);
        free(g->affected);
        ll_verset_free(&g->affected_set);
        free(g->fixed_in);
        free(g->advisory);
        free(g->says);
    }
    free(v->ranges);
    free(v);
}

/* An advisory id: CVE-2025-32434, GHSA-53q9-r3pm-6pq6, PYSEC-2024-110... */
static bool is_advisory(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (n < 2 || s[n] != '-' || !s[n + 1])
        return false;
    for (const char *q = s + n + 1; *q; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
              (*q == '-' && q[1] && q[1] != '-')))
            return false;
    return true;
}

static LLStatus parse_range(LLJsonCtx *c, const cJSON *v, const char *p, LLVersionRange *g)
{
    static const char *const keys[] = {"package", "affected", "fixed_in", "advisory", "says",
                                       "grade", NULL};
    static const char *const grade_keys[] = {"all", "some", NULL};
    char q[560];
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "a version range must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    char *pkg = NULL;
    LL_JSON_TRY(ll_json_get_string(c, v, p, "package", true, &pkg));
    if (!ll_pkg_name_valid(pkg, strlen(pkg))) {
        ll_json_ptr(q, sizeof q, p, "package");
        LLStatus st = ll_json_fail(c, q, "\"%s\" is not a package name (PEP 508: letters, digits, '.', '-', '_')", pkg);
        free(pkg);
        return st;
    }
    g->package = ll_pkg_name_dup(pkg, strlen(pkg));
    free(pkg);
    LL_JSON_TRY(ll_json_get_string(c, v, p, "affected", true, &g->affected));
    LLVerError verr;
    memset(&verr, 0, sizeof verr);
    ll_json_ptr(q, sizeof q, p, "affected");
    if (ll_verset_parse(&g->affected_set, g->affected, strlen(g->affected), &verr) != LL_OK)
        return ll_json_fail(c, q, "\"%s\" is not a PEP 440 specifier set: %s (at offset %zu)", g->affected,
                            verr.msg, verr.offset);
    if (ll_verset_is_empty(&g->affected_set))
        return ll_json_fail(c, q, "\"%s\" allows no version", g->affected);
    char *fixed = NULL;
    LL_JSON_TRY(ll_json_get_string(c, v, p, "fixed_in", false, &fixed));
    if (fixed) {
        ll_json_ptr(q, sizeof q, p, "fixed_in");
        LLVersion fv;
        LLStatus st = ll_version_parse(fixed, strlen(fixed), &fv, &verr);
        if (st != LL_OK) {
            st = ll_json_fail(c, q, "\"%s\" is not a PEP 440 version: %s", fixed, verr.msg);
            free(fixed);
            return st;
        }
        if (ll_verset_contains(&g->affected_set, &fv)) {
            st = ll_json_fail(c, q, "%s is itself affected (\"%s\")", fixed, g->affected);
            free(fixed);
            return st;
        }
        LLBuf b;
        ll_buf_init(&b);
        ll_version_format(&fv, &b);
        g->fixed_in = ll_buf_detach(&b);
        free(fixed);
    }
    LL_JSON_TRY(ll_json_get_string(c, v, p, "advisory", true, &g->advisory));
    if (!is_advisory(g->advisory)) {
        ll_json_ptr(q, sizeof q, p, "advisory");
        return ll_json_fail(c, q, "\"%s\" is not an advisory id (CVE-2025-32434, GHSA-53q9-r3pm-6pq6, PYSEC-2024-110)",
                            g->advisory);
    }
    LL_JSON_TRY(ll_json_get_string(c, v, p, "says", true, &g->says));
    if (strchr(g->says, '\n') || strlen(g->says) > 512) {
        ll_json_ptr(q, sizeof q, p, "says");
        return ll_json_fail(c, q, "must be one line of at most 512 characters");
    }
    const cJSON *grade = cJSON_GetObjectItemCaseSensitive(v, "grade");
    ll_json_ptr(q, sizeof q, p, "grade");
    if (!grade)
        return ll_json_fail(c, p, "missing required key \"grade\" ({\"all\": SEVERITY, \"some\": SEVERITY})");
    if (!cJSON_IsObject(grade))
        return ll_json_fail(c, q, "must be an object: {\"all\": SEVERITY, \"some\": SEVERITY}");
    LL_JSON_TRY(ll_json_check_keys(c, grade, q, grade_keys));
    LL_JSON_TRY(get_severity(c, grade, q, "all", true, &g->grade_all));
    LL_JSON_TRY(get_severity(c, grade, q, "some", true, &g->grade_some));
    if (g->grade_some > g->grade_all) {
        char r[580];
        ll_json_ptr(r, sizeof r, q, "some");
        return ll_json_fail(c, r, "is above \"all\": a range that only some allowed versions meet cannot be graded higher than one they all meet");
    }
    return LL_OK;
}

static LLStatus parse_versions(LLJsonCtx *c, const cJSON *v, LLRule *r)
{
    static const char *const keys[] = {"ranges", "when_unknown", NULL};
    if (!v)
        return LL_OK;
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, "/versions", "must be an object: {\"ranges\": [...], \"when_unknown\": ...}");
    if (r->class_defines.len || r->artifacts.len)
        return ll_json_fail(c, "/versions", "applies to calls only");
    LL_JSON_TRY(ll_json_check_keys(c, v, "/versions", keys));
    r->versions = ll_xcalloc(1, sizeof *r->versions);
    const cJSON *ranges = cJSON_GetObjectItemCaseSensitive(v, "ranges");
    if (!ranges)
        return ll_json_fail(c, "/versions", "missing required key \"ranges\"");
    if (!cJSON_IsArray(ranges) || !cJSON_GetArraySize(ranges))
        return ll_json_fail(c, "/versions/ranges", "must be a non-empty array of version ranges");
    r->versions->ranges = ll_xcalloc((size_t)cJSON_GetArraySize(ranges), sizeof *r->versions->ranges);
    for (const cJSON *it = ranges->child; it; it = it->next) {
        char p[64];
        snprintf(p, sizeof p, "/versions/ranges/%zu", r->versions->nranges);
        LLVersionRange *g = &r->versions->ranges[r->versions->nranges++];
        LL_JSON_TRY(parse_range(c, it, p, g));
    }
    char *wu = NULL;
    LL_JSON_TRY(ll_json_get_string(c, v, "/versions", "when_unknown", true, &wu));
    LLStatus st = LL_OK;
    if (strcmp(wu, "no-finding") == 0)
        r->versions->when_unknown = LL_VUNKNOWN_NO_FINDING;
    else if (strcmp(wu, "as-is") == 0)
        r->versions->when_unknown = LL_VUNKNOWN_AS_IS;
    else if (ll_severity_parse(wu, &r->versions->unknown_cap))
        r->versions->when_unknown = LL_VUNKNOWN_CAP;
    else
        st = ll_json_fail(c, "/versions/when_unknown",
                          "unknown value \"%s\" (expected one of: no-finding, as-is, note, warning, error)", wu);
    free(wu);
    return st;
}

static LLStatus parse_rule(LLJsonCtx *c, const cJSON *root, LLRule *r)
{
    static const char *const keys[] = {
        "code", "name", "severity", "summary", "message", "precision",
        "security_severity", "cwe", "tags", "match", "inputs", "provenance",
        "docs", "peers", "url", "fixes", "versions", NULL};
    static const char *const doc_keys[] = {"what", "why", "example",
                                           "use_instead", "references", NULL};
    static const char *const prov_keys[] = {"untrusted", "unknown", "constant",
                                            NULL};
    if (!cJSON_IsObject(root))
        return ll_json_fail(c, "", "a rule file must hold one JSON object");
    LL_JSON_TRY(ll_json_check_keys(c, root, "", keys));
    LL_JSON_TRY(check_required(c, root));
    LL_JSON_TRY(ll_json_get_string(c, root, "", "code", true, &r->code));
    if (!is_code(r->code))
        return ll_json_fail(c, "/code", "\"%s\" is not a rule code (2-4 capital letters and 3-4 digits, e.g. LL101)", r->code);
    LL_JSON_TRY(ll_json_get_string(c, root, "", "name", true, &r->name));
    if (!is_kebab(r->name))
        return ll_json_fail(c, "/name", "\"%s\" is not kebab-case", r->name);
    LL_JSON_TRY(get_severity(c, root, "", "severity", true, &r->severity));
    LL_JSON_TRY(ll_json_get_string(c, root, "", "summary", true, &r->summary));
    if (strlen(r->summary) > 1024 || strchr(r->summary, '\n'))
        return ll_json_fail(c, "/summary", "must be one line of at most 1024 characters");
    LL_JSON_TRY(ll_json_get_string(c, root, "", "message", true, &r->message));
    if (strchr(r->message, '\n'))
        return ll_json_fail(c, "/message", "must be one line");
    LL_JSON_TRY(ll_json_get_string(c, root, "", "precision", true, &r->precision));
    if (strcmp(r->precision, "very-high") && strcmp(r->precision, "high") &&
        strcmp(r->precision, "medium") && strcmp(r->precision, "low"))
        return ll_json_fail(c, "/precision", "must be one of: very-high, high, medium, low");
    LL_JSON_TRY(ll_json_get_string(c, root, "", "security_severity", true, &r->security_severity));
    {
        char *end;
        double d = strtod(r->security_severity, &end);
        if (*end || end == r->security_severity || !(d > 0.0 && d <= 10.0))
            return ll_json_fail(c, "/security_severity", "must be a number in (0, 10] written as a string, e.g. \"9.8\"");
    }
    LL_JSON_TRY(ll_json_get_string_list(c, root, "", "cwe", true, true, &r->cwe));
    for (size_t i = 0; i < r->cwe.len; i++) {
        const char *s = r->cwe.items[i];
        char p[64];
        snprintf(p, sizeof p, "/cwe/%zu", i);
        if (strncmp(s, "CWE-", 4) != 0 || !s[4] ||
            strspn(s + 4, "0123456789") != strlen(s + 4))
            return ll_json_fail(c, p, "\"%s\" is not of the form CWE-<number>", s);
    }
    LL_JSON_TRY(ll_json_get_string_list(c, root, "", "tags", true, false, &r->tags));
    LL_JSON_TRY(parse_match(c, cJSON_GetObjectItemCaseSensitive(root, "match"), r));

    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    if (inputs) {
        if (!cJSON_IsArray(inputs) || !cJSON_GetArraySize(inputs))
            return ll_json_fail(c, "/inputs", "must be a non-empty array of argument specs");
        if (r->class_defines.len || r->artifacts.len)
            return ll_json_fail(c, "/inputs", "applies to calls only");
        r->inputs = ll_xcalloc((size_t)cJSON_GetArraySize(inputs), sizeof *r->inputs);
        for (const cJSON *it = inputs->child; it; it = it->next) {
            char p[64];
            snprintf(p, sizeof p, "/inputs/%zu", r->ninputs);
            LL_JSON_TRY(parse_argspec(c, it, p, &r->inputs[r->ninputs]));
            r->ninputs++;
        }
    }
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(root, "provenance");
    if (prov) {
        if (!cJSON_IsObject(prov))
            return ll_json_fail(c, "/provenance", "must be an object");
        if (!r->ninputs)
            return ll_json_fail(c, "/provenance", "needs \"inputs\": the arguments whose provenance grades the finding");
        LL_JSON_TRY(ll_json_check_keys(c, prov, "/provenance", prov_keys));
        r->has_provenance = true;
        LL_JSON_TRY(get_severity(c, prov, "/provenance", "untrusted", true, &r->provenance[LL_PROV_UNTRUSTED]));
        LL_JSON_TRY(get_severity(c, prov, "/provenance", "unknown", true, &r->provenance[LL_PROV_UNKNOWN]));
        LL_JSON_TRY(get_severity(c, prov, "/provenance", "constant", true, &r->provenance[LL_PROV_CONSTANT]));
    }
    LL_JSON_TRY(ll_fixspec_parse(c, cJSON_GetObjectItemCaseSensitive(root, "fixes"), r, &r->fixes,
                                 &r->nfixes));
    LL_JSON_TRY(parse_versions(c, cJSON_GetObjectItemCaseSensitive(root, "versions"), r));
    LL_JSON_TRY(check_message(c, r));

    const cJSON *docs = cJSON_GetObjectItemCaseSensitive(root, "docs");
    if (!docs)
        return ll_json_fail(c, "", "missing required key \"docs\"");
    if (!cJSON_IsObject(docs))
        return ll_json_fail(c, "/docs", "must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, docs, "/docs", doc_keys));
    LL_JSON_TRY(ll_json_get_string(c, docs, "/docs", "what", true, &r->doc_what));
    LL_JSON_TRY(ll_json_get_string(c, docs, "/docs", "why", true, &r->doc_why));
    LL_JSON_TRY(ll_json_get_string(c, docs, "/docs", "example", true, &r->doc_example));
    LL_JSON_TRY(ll_json_get_string(c, docs, "/docs", "use_instead", true, &r->doc_use_instead));
    LL_JSON_TRY(ll_json_get_string_list(c, docs, "/docs", "references", true, true, &r->references));
    for (size_t i = 0; i < r->references.len; i++) {
        char p[64];
        snprintf(p, sizeof p, "/docs/references/%zu", i);
        if (!is_abs_url(r->references.items[i]))
            return ll_json_fail(c, p, "\"%s\" is not an absolute http(s) URL", r->references.items[i]);
    }
    LL_JSON_TRY(ll_json_get_string(c, root, "", "url", false, &r->url));
    if (r->url && !is_abs_url(r->url))
        return ll_json_fail(c, "/url", "\"%s\" is not an absolute http(s) URL", r->url);
    const cJSON *peers = cJSON_GetObjectItemCaseSensitive(root, "peers");
    if (peers) {
        if (!cJSON_IsObject(peers))
            return ll_json_fail(c, "/peers", "must be an object of tool name -> array of rule ids");
        int n = cJSON_GetArraySize(peers);
        r->peers.items = ll_xcalloc((size_t)n, sizeof *r->peers.items);
        for (const cJSON *it = peers->child; it; it = it->next) {
            char p[512];
            ll_json_ptr(p, sizeof p, "/peers", it->string);
            LLStrList ids;
            LL_JSON_TRY(ll_json_get_string_list(c, peers, "/peers", it->string, true, true, &ids));
            LLBuf b;
            ll_buf_init(&b);
            ll_buf_printf(&b, "%s: ", it->string);
            for (size_t i = 0; i < ids.len; i++)
                ll_buf_printf(&b, "%s%s", i ? ", " : "", ids.items[i]);
            ll_strlist_free(&ids);
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
    ll_strmap_init(&rs->by_artifact);
    ll_strmap_init(&rs->known_names);
    ll_nameset_init(&rs->prefilter);
    ll_srcmodel_init(&rs->sources);
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
    free_ids_map(&rs->by_artifact);
    ll_strmap_release(&rs->known_names);
    ll_nameset_release(&rs->prefilter);
    free(rs->regex_rules.ids);
    free(rs->class_rules.ids);
    ll_srcmodel_free(&rs->sources);
    for (size_t i = 0; i < rs->scoped_sources.len; i++)
        ll_srcmodel_free(&rs->scoped_sources.items[i].model);
    LL_VEC_FREE(&rs->scoped_sources);
    for (size_t i = 0; i < rs->scopes.len; i++)
        free(rs->scopes.items[i]);
    LL_VEC_FREE(&rs->scopes);
    free(rs);
}

const LLRule *ll_ruleset_find(const LLRuleset *rs, const char *code)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (strcmp(rs->rules[i].code, code) == 0)
            return &rs->rules[i];
    return NULL;
}

/* Adds one data file; `scope` as LLRule.scope. */
static LLStatus add_json(LLRuleset *rs, const char *origin, const char *text, size_t len,
                         int scope, LLError *err)
{
    LLJsonCtx c = {origin, text, len, err, LL_ERR_RULE};
    if (rs->finished)
        return ll_error_set(err, LL_ERR_RULE, origin, 0, 0, "ruleset already finished");
    if (rs->nrules >= LL_MAX_RULES)
        return ll_error_set(err, LL_ERR_LIMIT, origin, 0, 0,
                            "more than %u rules", LL_MAX_RULES);
    cJSON *root;
    LL_JSON_TRY(ll_json_parse(&c, LL_MAX_RULE_FILE_BYTES, &root));
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    LLStatus st = LL_OK;
    bool sources = kind && cJSON_IsString(kind) && strcmp(kind->valuestring, "sources") == 0;
    bool reexports = kind && cJSON_IsString(kind) && strcmp(kind->valuestring, "reexports") == 0;
    if (kind && !sources && !reexports &&
        (!cJSON_IsString(kind) || strcmp(kind->valuestring, "rule") != 0))
        st = ll_json_fail(&c, "/kind", "must be \"rule\" (the default), \"sources\" or \"reexports\"");
    if (st == LL_OK && (sources || reexports)) {
        if (scope < 0) {
            st = sources ? ll_srcmodel_add(&rs->sources, &c, root)
                         : ll_srcmodel_add_reexports(&rs->sources, &c, root);
        } else {
            LLSourceFragment fr = {.scope = scope};
            ll_srcmodel_init(&fr.model);
            st = sources ? ll_srcmodel_add(&fr.model, &c, root)
                         : ll_srcmodel_add_reexports(&fr.model, &c, root);
            if (st == LL_OK)
                LL_VEC_PUSH(&rs->scoped_sources, fr);
            else
                ll_srcmodel_free(&fr.model);
        }
        cJSON_Delete(root);
        return st;
    }
    LLRule r;
    memset(&r, 0, sizeof r);
    if (st == LL_OK)
        st = parse_rule(&c, root, &r);
    if (st == LL_OK) {
        for (size_t i = 0; i < rs->nrules; i++) {
            if (strcmp(rs->rules[i].code, r.code) == 0) {
                st = ll_json_fail(&c, "/code", "rule code %s is already defined in %s",
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
    r.scope = scope;
    if (rs->nrules == rs->cap) {
        rs->cap = ll_grow_cap(rs->cap, rs->nrules + 1);
        rs->rules = ll_xrealloc(rs->rules, rs->cap * sizeof *rs->rules);
    }
    rs->rules[rs->nrules++] = r;
    return LL_OK;
}

LLStatus ll_ruleset_add_json(LLRuleset *rs, const char *origin,
                             const char *text, size_t len, LLError *err)
{
    return add_json(rs, origin, text, len, -1, err);
}

static bool is_builtin_source_file(const LLBuiltinRuleFile *f)
{
    return strncmp(f->path, "rules/sources/", 14) == 0;
}

LLStatus ll_ruleset_add_builtin_sources(LLRuleset *rs, LLError *err)
{
    for (unsigned i = 0; i < ll_builtin_rule_file_count; i++) {
        const LLBuiltinRuleFile *f = &ll_builtin_rule_files[i];
        if (!is_builtin_source_file(f))
            continue;
        LLStatus st = ll_ruleset_add_json(rs, f->path, f->text, f->len, err);
        if (st != LL_OK)
            return st;
    }
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

static LLStatus add_dir(LLRuleset *rs, const char *dir, int scope, LLError *err)
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
    if (names.len > 1) /* (qsort wants a non-null array, even of 0 items) */
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
            st = add_json(rs, path.data, text, n, scope, err);
            free(text);
        }
        if (f)
            fclose(f);
        ll_buf_release(&path);
    }
    ll_strlist_free(&names);
    return st;
}

LLStatus ll_ruleset_add_dir(LLRuleset *rs, const char *dir, LLError *err)
{
    return add_dir(rs, dir, -1, err);
}

LLStatus ll_ruleset_add_dir_scoped(LLRuleset *rs, const char *dir, int *scope, LLError *err)
{
    char *real = realpath(dir, NULL);
    if (!real)
        return ll_error_set(err, LL_ERR_IO, dir, 0, 0, "cannot open rule directory: %s",
                            strerror(errno));
    for (size_t i = 0; i < rs->scopes.len; i++) {
        if (strcmp(rs->scopes.items[i], real) == 0) {
            free(real);
            *scope = (int)i;
            return LL_OK;
        }
    }
    LL_VEC_PUSH(&rs->scopes, real);
    *scope = (int)(rs->scopes.len - 1);
    return add_dir(rs, dir, *scope, err);
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

/* The keywords a rule's `where` needs written at the call (a keyword-only
 * argument whose test holds only for a given value: trust_remote_code
 * truthy, safe_mode False), as ".kw1.kw2" in buf: a file without those
 * identifiers cannot produce the rule's finding (a `**{"kw": ...}` literal
 * spells the name too; `**kwargs` from elsewhere never satisfies such a
 * test). Empty when there are none. */
static void required_keywords(const LLRule *r, char *buf, size_t bufsz)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->nwhere; k++) {
        const LLPredicate *p = &r->where[k];
        if (!p->arg.keyword || p->arg.position >= 0)
            continue;
        uint32_t tests = p->any_of ? p->any_of : 1u << p->test;
        if (tests & (1u << LL_TEST_ABSENT))
            continue; /* holds when it is not written */
        int w = snprintf(buf + n, bufsz - n, ".%s", p->arg.keyword);
        if (w < 0 || (size_t)w >= bufsz - n) {
            buf[n] = '\0'; /* too long to add: require nothing more */
            return;
        }
        n += (size_t)w;
    }
}

static void prefilter_add(LLRuleset *rs, const char *name, const char *extra)
{
    if (!*extra) {
        ll_nameset_add(&rs->prefilter, name);
        return;
    }
    char buf[LL_MAX_QUALNAME * 2];
    snprintf(buf, sizeof buf, "%s%s", name, extra);
    ll_nameset_add(&rs->prefilter, buf);
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
            for (size_t i2 = 0; i2 < p->ninner; i2++)
                for (size_t j = 0; j < p->inner[i2].nnames; j++)
                    ll_strmap_put(&rs->known_names, p->inner[i2].names[j],
                                  strlen(p->inner[i2].names[j]), 1);
        }
        if (!r->enabled)
            continue;
        char kws[LL_MAX_QUALNAME];
        required_keywords(r, kws, sizeof kws);
        for (size_t k = 0; k < r->calls.len; k++)
            prefilter_add(rs, r->calls.items[k], kws);
        for (size_t k = 0; k < r->methods.len; k++)
            prefilter_add(rs, r->methods.items[k], kws);
        for (size_t k = 0; k < r->class_defines.len; k++)
            ll_nameset_add(&rs->prefilter, r->class_defines.items[k]);
        if (r->call_re)
            rs->prefilter_exact = false;
        for (size_t k = 0; k < r->calls.len; k++)
            map_add(&rs->by_call, r->calls.items[k], id);
        for (size_t k = 0; k < r->methods.len; k++)
            map_add(&rs->by_method, r->methods.items[k], id);
        for (size_t k = 0; k < r->artifacts.len; k++)
            map_add(&rs->by_artifact, r->artifacts.items[k], id);
        if (r->call_re)
            ids_push(&rs->regex_rules, id);
        if (r->class_defines.len)
            ids_push(&rs->class_rules, id);
    }
}

int ll_provenance_rank(LLProvenance p)
{
    switch (p) {
    case LL_PROV_SELF:
        return 0;
    case LL_PROV_CONSTANT:
        return 1;
    case LL_PROV_UNKNOWN:
        return 2;
    case LL_PROV_UNTRUSTED:
        return 3;
    }
    return 2;
}

const char *ll_provenance_name(LLProvenance p)
{
    switch (p) {
    case LL_PROV_SELF:
        return "self-produced";
    case LL_PROV_CONSTANT:
        return "constant";
    case LL_PROV_UNKNOWN:
        return "unknown";
    case LL_PROV_UNTRUSTED:
        return "untrusted";
    }
    return "unknown";
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
        } else if (n == 7 && memcmp(s + 1, "related", 7) == 0 && arg_text) {
            ll_buf_puts(&b, arg_text(ctx, NULL));
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

char *ll_rule_format_artifact_message(const LLRule *rule, const char *subject,
                                      const char *detail, const char *format)
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
        if (n == 7 && memcmp(s + 1, "subject", 7) == 0)
            ll_buf_puts(&b, subject ? subject : "?");
        else if (n == 6 && memcmp(s + 1, "detail", 6) == 0)
            ll_buf_puts(&b, detail ? detail : "");
        else if (n == 6 && memcmp(s + 1, "format", 6) == 0)
            ll_buf_puts(&b, format ? format : "model file");
        else
            ll_buf_append(&b, s, n + 2);
        m = e + 1;
    }
    return ll_buf_detach(&b);
}

bool ll_ruleset_uses_versions(const LLRuleset *rs)
{
    for (size_t i = 0; i < rs->nrules; i++) {
        const LLRule *r = &rs->rules[i];
        if (!r->enabled)
            continue;
        if (r->versions)
            return true;
        for (size_t k = 0; k < r->nfixes; k++)
            if (r->fixes[k].req_package)
                return true;
    }
    return false;
}

static const char *unknown_words(const LLRuleVersions *v)
{
    switch (v->when_unknown) {
    case LL_VUNKNOWN_NO_FINDING:
        return "no finding: the call is left alone, as without this rule";
    case LL_VUNKNOWN_AS_IS:
        return "reported as if every version were affected";
    case LL_VUNKNOWN_CAP:
        break;
    }
    return NULL;
}

void ll_rule_versions_markdown(const LLRule *rule, LLBuf *out)
{
    const LLRuleVersions *v = rule->versions;
    if (!v)
        return;
    ll_buf_puts(out, "## Versions\n\n"
                     "This rule applies where the project allows an affected version of a package, as "
                     "the dependency files nearest to the scanned file say (`assume-versions`, then a lock "
                     "file: `poetry.lock`, `uv.lock`, `Pipfile.lock`, then `requirements*.txt`, "
                     "`pyproject.toml`, `setup.cfg`, `environment.yml`, up to the repository root):\n\n"
                     "| Package | Affected | Fixed in | Advisory | Grade when every allowed version is affected | "
                     "when only some are |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < v->nranges; i++) {
        const LLVersionRange *g = &v->ranges[i];
        ll_buf_printf(out, "| `%s` | `%s` | %s | %s: %s | %s | %s |\n", g->package, g->affected,
                      g->fixed_in ? g->fixed_in : "not fixed", g->advisory, g->says,
                      ll_severity_name(g->grade_all), ll_severity_name(g->grade_some));
    }
    ll_buf_puts(out, "\nA finding's severity is the lower of its grade by where the input comes from and the "
                     "grade of the range that applies (the highest, when several do). Where the project allows "
                     "no affected version, the call is not reported. The finding names the advisory, the "
                     "versions allowed and the dependency line that allows them, and what to raise; the "
                     "dependency line itself gets a finding too (its related locations are the calls), but "
                     "only when the code calls the API.\n\n");
    const LLVersionRange *g0 = &v->ranges[0];
    const char *words = unknown_words(v);
    if (words)
        ll_buf_printf(out, "**When the versions are unknown** (nothing states `%s`): %s.", g0->package, words);
    else
        ll_buf_printf(out, "**When the versions are unknown** (nothing states `%s`): reported, at most as a %s.",
                      g0->package, ll_severity_name(v->unknown_cap));
    ll_buf_printf(out, " To have the call judged, state the version: pin it in a dependency file "
                       "(`%s>=%s` in `requirements.txt` or `pyproject.toml`, or lock it), or tell loadlint "
                       "which version runs: `assume-versions = {%s = \"VERSION\"}` in the configuration, or "
                       "`--assume-version %s==VERSION`.\n\n",
                  g0->package, g0->fixed_in ? g0->fixed_in : "VERSION", g0->package, g0->package);
}
