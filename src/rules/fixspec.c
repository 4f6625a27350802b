#include "rules/fixspec.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
    [LL_FIXK_SET_KEYWORD] = "set-keyword",
    [LL_FIXK_DROP_KEYWORD] = "drop-keyword",
    [LL_FIXK_RENAME_CALLEE] = "rename-callee",
    [LL_FIXK_REPLACE_VALUE] = "replace-value",
};

const char *ll_fixspec_kind_name(LLFixKind k)
{
    return (size_t)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "?";
}

/* A canonical dotted name without call parts: "yaml.SafeLoader". */
static bool is_plain_dotted(const char *s)
{
    return ll_json_is_dotted_name(s) && !strchr(s, '(');
}

/* Length of the parent of a dotted name ("yaml" in "yaml.load"); 0 when it
 * has no dot. */
static size_t parent_len(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot ? (size_t)(dot - s) : 0;
}

/* ---- pieces ----------------------------------------------------------------- */

static LLStatus parse_argspec(LLJsonCtx *c, const cJSON *v, const char *p, LLArgSpec *out)
{
    static const char *const keys[] = {"position", "keyword", NULL};
    char q[520];
    out->position = -1;
    out->keyword = NULL;
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "an argument spec must be an object with \"position\" and/or \"keyword\"");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(v, "position");
    const cJSON *kw = cJSON_GetObjectItemCaseSensitive(v, "keyword");
    if (!pos && !kw)
        return ll_json_fail(c, p, "an argument spec needs \"position\" or \"keyword\"");
    if (pos) {
        ll_json_ptr(q, sizeof q, p, "position");
        if (!cJSON_IsNumber(pos) || pos->valuedouble < 0 || pos->valuedouble > 255 ||
            pos->valuedouble != (int)pos->valuedouble)
            return ll_json_fail(c, q, "must be an integer from 0 to 255");
        out->position = pos->valueint;
    }
    if (kw) {
        ll_json_ptr(q, sizeof q, p, "keyword");
        if (!cJSON_IsString(kw) || !ll_json_is_identifier(kw->valuestring))
            return ll_json_fail(c, q, "must be a Python identifier");
        out->keyword = ll_xstrdup(kw->valuestring);
    }
    return LL_OK;
}

static LLStatus get_names(LLJsonCtx *c, const cJSON *obj, const char *ptr, const char *key,
                          bool dotted, LLStrList *out)
{
    LL_JSON_TRY(ll_json_get_string_list(c, obj, ptr, key, false, true, out));
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    for (size_t i = 0; i < out->len; i++) {
        ll_json_ptr_index(q, sizeof q, p, (int)i);
        bool ok = dotted ? is_plain_dotted(out->items[i]) : ll_json_is_identifier(out->items[i]);
        if (!ok)
            return ll_json_fail(c, q, "\"%s\" is not a %s", out->items[i],
                                dotted ? "canonical dotted name (a.b.c)" : "Python identifier");
    }
    return LL_OK;
}

static void free_cond(LLFixCond *k)
{
    free((char *)k->pred.arg.keyword);
    for (size_t i = 0; i < k->pred.nnames; i++)
        free(k->pred.names[i]);
    free(k->pred.names);
    pcre2_code_free(k->pred.re);
    ll_strlist_free(&k->names);
    ll_strlist_free(&k->methods);
}

static const struct {
    const char *name;
    LLTest test;
} is_values[] = {
    {"present", LL_TEST_PRESENT}, {"absent", LL_TEST_ABSENT}, {"true", LL_TEST_TRUE},
    {"false", LL_TEST_FALSE},     {"none", LL_TEST_NONE},     {"truthy", LL_TEST_TRUTHY},
    {"falsy", LL_TEST_FALSY},
};

static LLStatus parse_cond(LLJsonCtx *c, const cJSON *v, const char *p, LLFixCond *out)
{
    static const char *const keys[] = {"arg", "is", "resolves_to", "matches", "callee",
                                       "argument_of", NULL};
    char q[520];
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "a condition must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    const cJSON *arg = cJSON_GetObjectItemCaseSensitive(v, "arg");
    const cJSON *callee = cJSON_GetObjectItemCaseSensitive(v, "callee");
    const cJSON *of = cJSON_GetObjectItemCaseSensitive(v, "argument_of");
    if ((arg != NULL) + (callee != NULL) + (of != NULL) != 1)
        return ll_json_fail(c, p, "a condition needs exactly one of \"arg\" (with a test), \"callee\", \"argument_of\"");
    if (callee) {
        if (cJSON_GetArraySize(v) != 1)
            return ll_json_fail(c, p, "\"callee\" takes no other key");
        out->kind = LL_FIXC_CALLEE;
        return get_names(c, v, p, "callee", true, &out->names);
    }
    if (of) {
        static const char *const of_keys[] = {"call", "method", NULL};
        ll_json_ptr(q, sizeof q, p, "argument_of");
        if (cJSON_GetArraySize(v) != 1)
            return ll_json_fail(c, p, "\"argument_of\" takes no other key");
        if (!cJSON_IsObject(of))
            return ll_json_fail(c, q, "must be an object with \"call\" and/or \"method\"");
        LL_JSON_TRY(ll_json_check_keys(c, of, q, of_keys));
        out->kind = LL_FIXC_ARGUMENT_OF;
        LL_JSON_TRY(get_names(c, of, q, "call", true, &out->names));
        LL_JSON_TRY(get_names(c, of, q, "method", false, &out->methods));
        if (!out->names.len && !out->methods.len)
            return ll_json_fail(c, q, "needs \"call\" (canonical names) and/or \"method\" (method names)");
        return LL_OK;
    }
    out->kind = LL_FIXC_ARG;
    ll_json_ptr(q, sizeof q, p, "arg");
    LL_JSON_TRY(parse_argspec(c, arg, q, &out->pred.arg));
    if (cJSON_GetArraySize(v) != 2)
        return ll_json_fail(c, p, "an argument condition needs exactly one of \"is\", \"resolves_to\", \"matches\"");
    const cJSON *t;
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "is"))) {
        ll_json_ptr(q, sizeof q, p, "is");
        if (!cJSON_IsString(t))
            return ll_json_fail(c, q, "must be a string");
        for (size_t i = 0; i < sizeof is_values / sizeof *is_values; i++) {
            if (strcmp(t->valuestring, is_values[i].name) == 0) {
                out->pred.test = is_values[i].test;
                return LL_OK;
            }
        }
        return ll_json_fail(c, q, "unknown value \"%s\" (expected one of: present, absent, true, false, none, truthy, falsy; "
                                  "\"constant\" and \"equals\" are not available in fixes)",
                            t->valuestring);
    }
    if ((t = cJSON_GetObjectItemCaseSensitive(v, "resolves_to"))) {
        LLStrList l;
        LLStatus st = get_names(c, v, p, "resolves_to", true, &l);
        out->pred.test = LL_TEST_RESOLVES_TO;
        out->pred.names = l.items;
        out->pred.nnames = l.len;
        LL_JSON_TRY(st);
        if (!l.len)
            return ll_json_fail(c, p, "\"resolves_to\" must be a non-empty array");
        return LL_OK;
    }
    t = cJSON_GetObjectItemCaseSensitive(v, "matches");
    ll_json_ptr(q, sizeof q, p, "matches");
    if (!t || !cJSON_IsString(t))
        return ll_json_fail(c, q, "must be a string (a PCRE2 pattern)");
    out->pred.test = LL_TEST_MATCHES;
    int errcode;
    PCRE2_SIZE erroff;
    out->pred.re = pcre2_compile((PCRE2_SPTR)t->valuestring, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                 &errcode, &erroff, NULL);
    if (!out->pred.re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        return ll_json_fail(c, q, "invalid regular expression at offset %zu: %s", (size_t)erroff,
                            (const char *)msg);
    }
    return LL_OK;
}

static LLStatus parse_conds(LLJsonCtx *c, const cJSON *obj, const char *ptr, const char *key,
                            LLFixCond **out, size_t *n)
{
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return LL_OK;
    if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
        return ll_json_fail(c, p, "must be a non-empty array of conditions");
    if ((size_t)cJSON_GetArraySize(v) > LL_MAX_FIX_CONDS)
        return ll_json_fail(c, p, "at most %u conditions", LL_MAX_FIX_CONDS);
    *out = ll_xcalloc((size_t)cJSON_GetArraySize(v), sizeof **out);
    for (const cJSON *it = v->child; it; it = it->next) {
        ll_json_ptr_index(q, sizeof q, p, (int)*n);
        (*n)++; /* counted before parsing: a partial entry is freed too */
        LL_JSON_TRY(parse_cond(c, it, q, &(*out)[*n - 1]));
    }
    return LL_OK;
}

/* A JSON literal as Python source: true -> True, null -> None, 3 -> 3,
 * "cpu" -> "cpu" (printable ASCII without quotes or backslashes). */
static LLStatus python_literal(LLJsonCtx *c, const cJSON *v, const char *p, char **out)
{
    char buf[LL_MAX_FIX_VALUE + 4];
    if (cJSON_IsTrue(v)) {
        snprintf(buf, sizeof buf, "True");
    } else if (cJSON_IsFalse(v)) {
        snprintf(buf, sizeof buf, "False");
    } else if (cJSON_IsNull(v)) {
        snprintf(buf, sizeof buf, "None");
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d != (double)(long long)d || d > 1e15 || d < -1e15)
            return ll_json_fail(c, p, "a number value must be an integer");
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    } else if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        if (strlen(s) > LL_MAX_FIX_VALUE)
            return ll_json_fail(c, p, "a string value must have at most %u characters", LL_MAX_FIX_VALUE);
        for (const char *ch = s; *ch; ch++)
            if (*ch < ' ' || *ch > '~' || *ch == '"' || *ch == '\\')
                return ll_json_fail(c, p, "a string value must be printable ASCII without quotes or backslashes");
        snprintf(buf, sizeof buf, "\"%s\"", s);
    } else {
        return ll_json_fail(c, p, "must be true, false, null, an integer or a string");
    }
    *out = ll_xstrdup(buf);
    return LL_OK;
}

static bool rule_matches_name(const LLRule *r, const char *name)
{
    return r->call_regex != NULL || ll_strlist_has(&r->calls, name);
}

static LLStatus parse_requires(LLJsonCtx *c, const cJSON *v, const char *p, LLFixSpec *s)
{
    static const char *const keys[] = {"package", "versions", NULL};
    char q[520];
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "must be an object with \"package\" and \"versions\"");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    LL_JSON_TRY(ll_json_get_string(c, v, p, "package", true, &s->req_package));
    LL_JSON_TRY(ll_json_get_string(c, v, p, "versions", true, &s->req_versions));
    ll_json_ptr(q, sizeof q, p, "package");
    for (const char *ch = s->req_package; *ch; ch++)
        if (!((*ch >= 'a' && *ch <= 'z') || (*ch >= 'A' && *ch <= 'Z') ||
              (*ch >= '0' && *ch <= '9') || *ch == '-' || *ch == '_' || *ch == '.'))
            return ll_json_fail(c, q, "\"%s\" is not a package name", s->req_package);
    /* clause ("," clause)*, clause = op version: the shape only; the
     * version reader (deps) interprets it */
    ll_json_ptr(q, sizeof q, p, "versions");
    const char *t = s->req_versions;
    for (;;) {
        while (*t == ' ')
            t++;
        static const char *const ops[] = {"===", "==", "!=", "~=", ">=", "<=", ">", "<", NULL};
        size_t ol = 0;
        for (const char *const *o = ops; *o && !ol; o++)
            if (strncmp(t, *o, strlen(*o)) == 0)
                ol = strlen(*o);
        if (!ol)
            return ll_json_fail(c, q, "\"%s\" is not a version specifier set (e.g. \">=1.13\")", s->req_versions);
        t += ol;
        while (*t == ' ')
            t++;
        if (!(*t >= '0' && *t <= '9'))
            return ll_json_fail(c, q, "\"%s\" is not a version specifier set (e.g. \">=1.13\")", s->req_versions);
        while ((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'z') || *t == '.' || *t == '*' ||
               *t == '+' || *t == '!' || *t == '-')
            t++;
        while (*t == ' ')
            t++;
        if (!*t)
            return LL_OK;
        if (*t != ',')
            return ll_json_fail(c, q, "\"%s\" is not a version specifier set (e.g. \">=1.13\")", s->req_versions);
        t++;
    }
}

static LLStatus parse_entry(LLJsonCtx *c, const cJSON *v, const char *p, const LLRule *rule,
                            LLFixSpec *s)
{
    static const char *const keys[] = {"kind", "keyword", "position", "value", "arg", "name",
                                       "to", "when", "safe", "safe_when", "unsafe_reason",
                                       "requires", NULL};
    char q[520];
    s->arg.position = -1;
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "a fix must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    char *kind;
    LL_JSON_TRY(ll_json_get_string(c, v, p, "kind", true, &kind));
    size_t k = 0;
    while (k < sizeof kind_names / sizeof *kind_names && strcmp(kind_names[k], kind) != 0)
        k++;
    ll_json_ptr(q, sizeof q, p, "kind");
    if (k == sizeof kind_names / sizeof *kind_names) {
        LLStatus st = ll_json_fail(c, q, "unknown kind \"%s\" (expected one of: set-keyword, drop-keyword, rename-callee, replace-value)", kind);
        free(kind);
        return st;
    }
    free(kind);
    s->kind = (LLFixKind)k;

    /* which parameters each kind takes */
    static const char *const own[][4] = {
        [LL_FIXK_SET_KEYWORD] = {"keyword", "position", "value", NULL},
        [LL_FIXK_DROP_KEYWORD] = {"keyword", NULL},
        [LL_FIXK_RENAME_CALLEE] = {"to", NULL},
        [LL_FIXK_REPLACE_VALUE] = {"arg", "name", NULL},
    };
    static const char *const params[] = {"keyword", "position", "value", "arg", "name", "to", NULL};
    for (const char *const *pk = params; *pk; pk++) {
        bool mine = false;
        for (const char *const *o = own[k]; *o; o++)
            mine |= strcmp(*o, *pk) == 0;
        bool given = cJSON_GetObjectItemCaseSensitive(v, *pk) != NULL;
        ll_json_ptr(q, sizeof q, p, *pk);
        if (given && !mine)
            return ll_json_fail(c, q, "\"%s\" does not take \"%s\"", kind_names[k], *pk);
        if (!given && mine && strcmp(*pk, "position") != 0)
            return ll_json_fail(c, p, "\"%s\" needs \"%s\"", kind_names[k], *pk);
    }

    bool call_form = rule->calls.len || rule->methods.len || rule->call_regex;
    if (!call_form)
        return ll_json_fail(c, p, "fixes apply to call rules only (\"call\", \"call_regex\" or \"method\")");

    switch (s->kind) {
    case LL_FIXK_SET_KEYWORD:
    case LL_FIXK_DROP_KEYWORD: {
        char *kw;
        LL_JSON_TRY(ll_json_get_string(c, v, p, "keyword", true, &kw));
        s->arg.keyword = kw;
        ll_json_ptr(q, sizeof q, p, "keyword");
        if (!ll_json_is_identifier(kw))
            return ll_json_fail(c, q, "must be a Python identifier");
        const cJSON *pos = cJSON_GetObjectItemCaseSensitive(v, "position");
        if (pos) {
            ll_json_ptr(q, sizeof q, p, "position");
            if (!cJSON_IsNumber(pos) || pos->valuedouble < 0 || pos->valuedouble > 255 ||
                pos->valuedouble != (int)pos->valuedouble)
                return ll_json_fail(c, q, "must be an integer from 0 to 255");
            s->arg.position = pos->valueint;
        }
        if (s->kind == LL_FIXK_SET_KEYWORD) {
            ll_json_ptr(q, sizeof q, p, "value");
            LL_JSON_TRY(python_literal(c, cJSON_GetObjectItemCaseSensitive(v, "value"), q, &s->value));
        }
        break;
    }
    case LL_FIXK_RENAME_CALLEE: {
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(v, "to");
        ll_json_ptr(q, sizeof q, p, "to");
        if (!rule->calls.len && !rule->call_regex)
            return ll_json_fail(c, q, "rename-callee needs a rule that matches by \"call\" or \"call_regex\"");
        if (!cJSON_IsObject(to) || !cJSON_GetArraySize(to))
            return ll_json_fail(c, q, "must be a non-empty object: matched name -> name to call instead");
        for (const cJSON *it = to->child; it; it = it->next) {
            char r[600];
            ll_json_ptr(r, sizeof r, q, it->string);
            ll_strlist_push(&s->from, it->string);
            if (!cJSON_IsString(it)) {
                ll_strlist_push(&s->to, "");
                return ll_json_fail(c, r, "must be a string (a canonical name)");
            }
            ll_strlist_push(&s->to, it->valuestring);
            if (!is_plain_dotted(it->string) || !parent_len(it->string))
                return ll_json_fail(c, r, "\"%s\" is not a canonical dotted name with a module (a.b)", it->string);
            if (!rule_matches_name(rule, it->string))
                return ll_json_fail(c, r, "\"%s\" is not a name the rule matches (its \"call\" list)", it->string);
            if (!is_plain_dotted(it->valuestring))
                return ll_json_fail(c, r, "\"%s\" is not a canonical dotted name", it->valuestring);
            size_t pl = parent_len(it->string);
            if (parent_len(it->valuestring) != pl || strncmp(it->string, it->valuestring, pl) != 0)
                return ll_json_fail(c, r, "\"%s\" -> \"%s\": rename-callee stays in the same module", it->string,
                                    it->valuestring);
            if (strcmp(it->string, it->valuestring) == 0)
                return ll_json_fail(c, r, "\"%s\" is renamed to itself", it->string);
            for (size_t i = 0; i + 1 < s->from.len; i++)
                if (strcmp(s->from.items[i], it->string) == 0)
                    return ll_json_fail(c, r, "\"%s\" is given twice", it->string);
        }
        break;
    }
    case LL_FIXK_REPLACE_VALUE: {
        ll_json_ptr(q, sizeof q, p, "arg");
        LL_JSON_TRY(parse_argspec(c, cJSON_GetObjectItemCaseSensitive(v, "arg"), q, &s->arg));
        LL_JSON_TRY(ll_json_get_string(c, v, p, "name", true, &s->name));
        ll_json_ptr(q, sizeof q, p, "name");
        if (!is_plain_dotted(s->name) || !parent_len(s->name))
            return ll_json_fail(c, q, "\"%s\" is not a canonical dotted name with a module (a.b)", s->name);
        break;
    }
    }

    LL_JSON_TRY(parse_conds(c, v, p, "when", &s->when, &s->nwhen));
    const cJSON *safe = cJSON_GetObjectItemCaseSensitive(v, "safe");
    if (!safe)
        return ll_json_fail(c, p, "missing required key \"safe\" (true: keeps behaviour on the data the call is meant for; false: may break loading legitimate files)");
    LL_JSON_TRY(ll_json_get_bool(c, v, p, "safe", &s->safe));
    LL_JSON_TRY(parse_conds(c, v, p, "safe_when", &s->safe_when, &s->nsafe_when));
    LL_JSON_TRY(ll_json_get_string(c, v, p, "unsafe_reason", false, &s->unsafe_reason));
    if (s->safe && s->nsafe_when) {
        ll_json_ptr(q, sizeof q, p, "safe_when");
        return ll_json_fail(c, q, "only for \"safe\": false (the conditions that make it safe at a call)");
    }
    if (s->safe && s->unsafe_reason) {
        ll_json_ptr(q, sizeof q, p, "unsafe_reason");
        return ll_json_fail(c, q, "only for \"safe\": false");
    }
    if (!s->safe && !s->unsafe_reason)
        return ll_json_fail(c, p, "an unsafe fix needs \"unsafe_reason\" (what legitimate use it may break)");
    if (s->unsafe_reason && strchr(s->unsafe_reason, '\n')) {
        ll_json_ptr(q, sizeof q, p, "unsafe_reason");
        return ll_json_fail(c, q, "must be one line");
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(v, "requires");
    if (req) {
        ll_json_ptr(q, sizeof q, p, "requires");
        LL_JSON_TRY(parse_requires(c, req, q, s));
    }
    return LL_OK;
}

LLStatus ll_fixspec_parse(LLJsonCtx *c, const cJSON *fixes, const LLRule *rule,
                          LLFixSpec **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!fixes)
        return LL_OK;
    if (!cJSON_IsArray(fixes) || !cJSON_GetArraySize(fixes))
        return ll_json_fail(c, "/fixes", "must be a non-empty array of fixes");
    if ((size_t)cJSON_GetArraySize(fixes) > LL_MAX_FIX_SPECS)
        return ll_json_fail(c, "/fixes", "at most %u fixes per rule", LL_MAX_FIX_SPECS);
    *out = ll_xcalloc((size_t)cJSON_GetArraySize(fixes), sizeof **out);
    for (const cJSON *it = fixes->child; it; it = it->next) {
        char p[64];
        snprintf(p, sizeof p, "/fixes/%zu", *n);
        (*n)++; /* counted before parsing: a partial entry is freed too */
        LL_JSON_TRY(parse_entry(c, it, p, rule, &(*out)[*n - 1]));
    }
    return LL_OK;
}

void ll_fixspec_free(LLFixSpec *specs, size_t n)
{
    if (!specs)
        return;
    for (size_t i = 0; i < n; i++) {
        LLFixSpec *s = &specs[i];
        free((char *)s->arg.keyword);
        free(s->value);
        free(s->name);
        ll_strlist_free(&s->from);
        ll_strlist_free(&s->to);
        for (size_t k = 0; k < s->nwhen; k++)
            free_cond(&s->when[k]);
        free(s->when);
        for (size_t k = 0; k < s->nsafe_when; k++)
            free_cond(&s->safe_when[k]);
        free(s->safe_when);
        free(s->unsafe_reason);
        free(s->req_package);
        free(s->req_versions);
    }
    free(specs);
}
