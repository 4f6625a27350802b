#include "rules/srcmodel.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ll_srcmodel_init(LLSourceModel *m)
{
    memset(m, 0, sizeof *m);
    ll_strmap_init(&m->reexports);
    ll_identset_init(&m->reexport_prefixes);
}

static void param_free(LLParamSource *p)
{
    free(p->what);
    ll_strlist_free(&p->decorators);
    ll_strlist_free(&p->class_decorators);
    ll_strlist_free(&p->class_bases);
    ll_strlist_free(&p->module_imports);
    ll_strlist_free(&p->functions);
    ll_strlist_free(&p->annotations);
    ll_strlist_free(&p->params);
}

static void self_free(LLSelfSource *s)
{
    free(s->what);
    ll_strlist_free(&s->class_bases);
    ll_strlist_free(&s->attributes);
}

static void argcheck_free(LLArgCheck *a)
{
    ll_strlist_free(&a->calls);
    free(a->keyword);
    free(a->regex);
    pcre2_code_free(a->re);
    free(a->says);
}

static void lists_free(LLStrList *const *lists, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ll_strlist_free(lists[i]);
}

/* The lists of round trips and checks, for free and merge. */
#define CHECK_LISTS(m)                                                                         \
    {&(m)->producers, &(m)->private_names, &(m)->private_writers, &(m)->digests,               \
     &(m)->digest_methods, &(m)->digest_comparators, &(m)->signature_methods, &(m)->same_bytes,     \
     &(m)->loader_apis, &(m)->shared_locations, &(m)->movers}
#define CHECK_NLISTS 11u

void ll_srcmodel_free(LLSourceModel *m)
{
    LLStrList *const lists[CHECK_NLISTS] = CHECK_LISTS(m);
    lists_free(lists, CHECK_NLISTS);
    for (size_t i = 0; i < m->private_params.len; i++)
        param_free(&m->private_params.items[i]);
    LL_VEC_FREE(&m->private_params);
    for (size_t i = 0; i < m->private_selfs.len; i++)
        self_free(&m->private_selfs.items[i]);
    LL_VEC_FREE(&m->private_selfs);
    for (size_t i = 0; i < m->remote_inputs.len; i++)
        argcheck_free(&m->remote_inputs.items[i]);
    LL_VEC_FREE(&m->remote_inputs);
    for (size_t i = 0; i < m->pins.len; i++)
        argcheck_free(&m->pins.items[i]);
    LL_VEC_FREE(&m->pins);
    ll_strlist_free(&m->names);
    for (size_t i = 0; i < m->params.len; i++)
        param_free(&m->params.items[i]);
    LL_VEC_FREE(&m->params);
    for (size_t i = 0; i < m->selfs.len; i++)
        self_free(&m->selfs.items[i]);
    LL_VEC_FREE(&m->selfs);
    ll_strlist_free(&m->propagators);
    ll_strlist_free(&m->propagating_methods);
    ll_strlist_free(&m->write_methods);
    ll_strlist_free(&m->fillers);
    ll_strlist_free(&m->module_loaders);
    ll_strlist_free(&m->reexport_from);
    ll_strlist_free(&m->reexport_to);
    ll_strmap_release(&m->reexports);
    ll_identset_release(&m->reexport_prefixes);
    ll_strlist_free(&m->files);
}

static void reexport_put(LLSourceModel *m, const char *from, const char *to)
{
    intptr_t v;
    if (ll_strmap_get(&m->reexports, from, strlen(from), &v)) {
        free(m->reexport_to.items[v - 1]);
        m->reexport_to.items[v - 1] = ll_xstrdup(to);
        return;
    }
    ll_strlist_push(&m->reexport_from, from);
    ll_strlist_push(&m->reexport_to, to);
    /* keys point into the list's strings, which never move */
    const char *key = m->reexport_from.items[m->reexport_from.len - 1];
    ll_strmap_put(&m->reexports, key, strlen(key), (intptr_t)m->reexport_from.len);
    ll_identset_add_prefixes(&m->reexport_prefixes, key);
}

LLStatus ll_srcmodel_add_reexports(LLSourceModel *m, LLJsonCtx *c, const cJSON *root)
{
    static const char *const keys[] = {"kind", "name", "description", "modules", NULL};
    LL_JSON_TRY(ll_json_check_keys(c, root, "", keys));
    char *name = NULL, *desc = NULL;
    LLStatus st = ll_json_get_string(c, root, "", "name", true, &name);
    if (st == LL_OK)
        st = ll_json_get_string(c, root, "", "description", true, &desc);
    free(name);
    free(desc);
    LL_JSON_TRY(st);
    const cJSON *mods = cJSON_GetObjectItemCaseSensitive(root, "modules");
    if (!mods)
        return ll_json_fail(c, "", "missing required key \"modules\"");
    if (!cJSON_IsObject(mods) || !mods->child)
        return ll_json_fail(c, "/modules", "must be a non-empty object of module -> module it re-exports");
    for (const cJSON *it = mods->child; it; it = it->next) {
        char p[512];
        ll_json_ptr(p, sizeof p, "/modules", it->string);
        if (!ll_json_is_dotted_name(it->string) || strchr(it->string, '('))
            return ll_json_fail(c, p, "\"%s\" is not a dotted module name", it->string);
        if (!cJSON_IsString(it) || !ll_json_is_dotted_name(it->valuestring) ||
            strchr(it->valuestring, '('))
            return ll_json_fail(c, p, "must be a dotted module name");
        for (const cJSON *o = mods->child; o != it; o = o->next)
            if (strcmp(o->string, it->string) == 0)
                return ll_json_fail(c, p, "duplicate key \"%s\"", it->string);
    }
    for (const cJSON *it = mods->child; it; it = it->next)
        reexport_put(m, it->string, it->valuestring);
    ll_strlist_push(&m->files, c->origin);
    return LL_OK;
}

bool ll_srcmodel_reexport(const LLSourceModel *m, const char *name, char *buf, size_t bufsz)
{
    if (!m->reexports.count)
        return false;
    size_t k;
    intptr_t v;
    if (!ll_dotted_longest_key(&m->reexports, &m->reexport_prefixes, name, &k, &v))
        return false;
    int n = snprintf(buf, bufsz, "%s%s", m->reexport_to.items[v - 1], name + k);
    return n > 0 && (size_t)n < bufsz;
}

/* ---- globs ------------------------------------------------------------------ */

bool ll_srcmodel_glob(const char *p, const char *s)
{
    /* iterative: on a mismatch, let the last '*' take one more character */
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}

bool ll_srcmodel_glob_any(const LLStrList *patterns, const char *name)
{
    for (size_t i = 0; i < patterns->len; i++)
        if (ll_srcmodel_glob(patterns->items[i], name))
            return true;
    return false;
}

static bool glob_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '(' || c == ')' || c == '*';
}

/* Expands the {a,b} groups of one pattern into `out` (at most
 * LL_MAX_GLOB_EXPANSIONS patterns). Returns an error message or NULL. */
static const char *expand(const char *pat, LLStrList *out)
{
    LLStrList cur = {0};
    ll_strlist_push(&cur, "");
    const char *p = pat;
    const char *err = NULL;
    while (*p && !err) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close) {
                err = "a '{' without its '}'";
                break;
            }
            LLStrList next = {0};
            for (size_t i = 0; i < cur.len && !err; i++) {
                const char *a = p + 1;
                for (;;) {
                    const char *e = a;
                    while (e < close && *e != ',')
                        e++;
                    if (e == a) {
                        err = "an empty alternative in {...}";
                        break;
                    }
                    for (const char *q = a; q < e; q++)
                        if (*q == '{' || !glob_char(*q))
                            err = "only name characters and '*' may appear in {...}";
                    LLBuf b;
                    ll_buf_init(&b);
                    ll_buf_puts(&b, cur.items[i]);
                    ll_buf_append(&b, a, (size_t)(e - a));
                    ll_strlist_push(&next, b.data);
                    ll_buf_release(&b);
                    if (next.len > LL_MAX_GLOB_EXPANSIONS)
                        err = "too many alternatives (more than " LL_STR(LL_MAX_GLOB_EXPANSIONS) ")";
                    if (e == close || err)
                        break;
                    a = e + 1;
                }
            }
            ll_strlist_free(&cur);
            cur = next;
            p = close + 1;
        } else if (glob_char(*p)) {
            const char *e = p;
            while (*e && *e != '{')
                e++;
            for (const char *q = p; q < e; q++)
                if (!glob_char(*q))
                    err = *q == '}' ? "a '}' without its '{'" : "only name characters, '*' and {a,b} may appear";
            for (size_t i = 0; i < cur.len && !err; i++) {
                LLBuf b;
                ll_buf_init(&b);
                ll_buf_puts(&b, cur.items[i]);
                ll_buf_append(&b, p, (size_t)(e - p));
                free(cur.items[i]);
                cur.items[i] = ll_buf_detach(&b);
            }
            p = e;
        } else {
            err = *p == '}' ? "a '}' without its '{'" : "only name characters, '*' and {a,b} may appear";
        }
    }
    if (!err)
        for (size_t i = 0; i < cur.len; i++)
            if (!cur.items[i][0])
                err = "an empty pattern";
    if (!err)
        for (size_t i = 0; i < cur.len; i++)
            ll_strlist_push(out, cur.items[i]);
    ll_strlist_free(&cur);
    return err;
}

/* A list of name globs under `key`, expanded. */
static LLStatus get_globs(LLJsonCtx *c, const cJSON *obj, const char *ptr, const char *key,
                          LLStrList *out)
{
    LLStrList raw;
    LL_JSON_TRY(ll_json_get_string_list(c, obj, ptr, key, false, true, &raw));
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < raw.len; i++) {
        const char *err = expand(raw.items[i], out);
        if (err) {
            ll_json_ptr_index(q, sizeof q, p, (int)i);
            LLStatus st = ll_json_fail(c, q, "\"%s\" is not a name pattern: %s", raw.items[i], err);
            ll_strlist_free(&raw);
            ll_strlist_free(out);
            return st;
        }
    }
    ll_strlist_free(&raw);
    return LL_OK;
}

/* A source name: a canonical dotted name, where "[]" may follow a call
 * ("socket.socket().accept()[]": an element of what it returns). */
static bool is_source_name(const char *s)
{
    char buf[LL_MAX_QUALNAME];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (p[0] == '[' && p[1] == ']' && p > s && p[-1] == ')') {
            p++;
            continue;
        }
        if (n + 1 >= sizeof buf)
            return false;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return ll_json_is_dotted_name(buf);
}

static LLStatus get_names(LLJsonCtx *c, const cJSON *obj, const char *ptr, const char *key,
                          bool identifiers, LLStrList *out)
{
    LL_JSON_TRY(ll_json_get_string_list(c, obj, ptr, key, false, true, out));
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    for (size_t i = 0; i < out->len; i++) {
        const char *s = out->items[i];
        bool ok = identifiers ? ll_json_is_identifier(s) : is_source_name(s);
        if (!ok) {
            ll_json_ptr_index(q, sizeof q, p, (int)i);
            LLStatus st = ll_json_fail(c, q, "\"%s\" is not a %s", s,
                                       identifiers ? "Python identifier"
                                                   : "canonical dotted name (a.b.c, a.B().c)");
            ll_strlist_free(out);
            return st;
        }
    }
    return LL_OK;
}

static void append_all(LLStrList *dst, LLStrList *src)
{
    for (size_t i = 0; i < src->len; i++)
        ll_strlist_push(dst, src->items[i]);
    ll_strlist_free(src);
}

/* One entry of "parameters". */
static LLStatus parse_param(LLJsonCtx *c, const cJSON *v, const char *p, LLParamSource *out)
{
    static const char *const keys[] = {"what", "decorator", "class_decorator", "class_base",
                                       "module_imports", "function", "annotation", "param",
                                       "index", "scope", NULL};
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "a parameter source must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    LL_JSON_TRY(ll_json_get_string(c, v, p, "what", true, &out->what));
    LL_JSON_TRY(get_globs(c, v, p, "decorator", &out->decorators));
    LL_JSON_TRY(get_globs(c, v, p, "class_decorator", &out->class_decorators));
    LL_JSON_TRY(get_globs(c, v, p, "class_base", &out->class_bases));
    LL_JSON_TRY(get_globs(c, v, p, "module_imports", &out->module_imports));
    LL_JSON_TRY(get_globs(c, v, p, "function", &out->functions));
    LL_JSON_TRY(get_globs(c, v, p, "annotation", &out->annotations));
    LL_JSON_TRY(get_names(c, v, p, "param", true, &out->params));
    char q[520];
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(v, "index");
    if (idx) {
        ll_json_ptr(q, sizeof q, p, "index");
        if (!cJSON_IsArray(idx) || !cJSON_GetArraySize(idx) ||
            cJSON_GetArraySize(idx) > (int)LL_MAX_PARAM_INDEXES)
            return ll_json_fail(c, q, "must be an array of 1 to %u parameter positions",
                                LL_MAX_PARAM_INDEXES);
        for (const cJSON *it = idx->child; it; it = it->next) {
            if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > 255 ||
                it->valuedouble != (int)it->valuedouble) {
                char r[530];
                ll_json_ptr_index(r, sizeof r, q, (int)out->nindexes);
                return ll_json_fail(c, r, "must be an integer from 0 to 255");
            }
            out->indexes[out->nindexes++] = it->valueint;
        }
    }
    char *scope = NULL;
    LL_JSON_TRY(ll_json_get_string(c, v, p, "scope", false, &scope));
    if (scope) {
        bool ok = true;
        if (strcmp(scope, "function") == 0)
            out->scope = LL_PARAM_FUNCTION;
        else if (strcmp(scope, "method") == 0)
            out->scope = LL_PARAM_METHOD;
        else if (strcmp(scope, "any") != 0)
            ok = false;
        free(scope);
        if (!ok) {
            ll_json_ptr(q, sizeof q, p, "scope");
            return ll_json_fail(c, q, "must be \"function\", \"method\" or \"any\"");
        }
    }
    if (!out->decorators.len && !out->class_decorators.len && !out->class_bases.len &&
        !out->module_imports.len && !out->functions.len && !out->annotations.len &&
        !out->params.len)
        return ll_json_fail(c, p, "needs at least one of decorator, class_decorator, class_base, "
                                  "module_imports, function, annotation, param (otherwise every "
                                  "parameter would be a source)");
    return LL_OK;
}

static LLStatus parse_self(LLJsonCtx *c, const cJSON *v, const char *p, LLSelfSource *out)
{
    static const char *const keys[] = {"what", "class_base", "attributes", NULL};
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "a self attribute source must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    LL_JSON_TRY(ll_json_get_string(c, v, p, "what", true, &out->what));
    LL_JSON_TRY(get_globs(c, v, p, "class_base", &out->class_bases));
    LL_JSON_TRY(get_names(c, v, p, "attributes", true, &out->attributes));
    if (!out->class_bases.len || !out->attributes.len)
        return ll_json_fail(c, p, "needs \"class_base\" and \"attributes\"");
    return LL_OK;
}

/* An array of parameter sources under `key` (absent: nothing). */
static LLStatus parse_params(LLJsonCtx *c, const cJSON *root, const char *key,
                             void *vec_ptr)
{
    LL_VEC(LLParamSource) *vec = vec_ptr;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!arr)
        return LL_OK;
    char base[64];
    ll_json_ptr(base, sizeof base, "", key);
    if (!cJSON_IsArray(arr))
        return ll_json_fail(c, base, "must be an array of parameter sources");
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char p[96];
        ll_json_ptr_index(p, sizeof p, base, i);
        LLParamSource ps;
        LLStatus st = parse_param(c, it, p, &ps);
        if (st != LL_OK) {
            param_free(&ps);
            return st;
        }
        LL_VEC_PUSH(vec, ps);
    }
    return LL_OK;
}

static LLStatus parse_selfs(LLJsonCtx *c, const cJSON *root, const char *key, void *vec_ptr)
{
    LL_VEC(LLSelfSource) *vec = vec_ptr;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!arr)
        return LL_OK;
    char base[64];
    ll_json_ptr(base, sizeof base, "", key);
    if (!cJSON_IsArray(arr))
        return ll_json_fail(c, base, "must be an array of self attribute sources");
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char p[96];
        ll_json_ptr_index(p, sizeof p, base, i);
        LLSelfSource ss;
        LLStatus st = parse_self(c, it, p, &ss);
        if (st != LL_OK) {
            self_free(&ss);
            return st;
        }
        LL_VEC_PUSH(vec, ss);
    }
    return LL_OK;
}

/* One entry of "remote_inputs" or "pins":
 * {"call": [globs], "position": n, "keyword": "k", "is": "true" | "constant",
 *  "matches": "regex", "says": "..."} (remote_inputs: "matches" only). */
static LLStatus parse_check(LLJsonCtx *c, const cJSON *v, const char *p, bool remote,
                            LLArgCheck *out)
{
    static const char *const keys[] = {"call", "position", "keyword", "is", "matches", "says",
                                       NULL};
    memset(out, 0, sizeof *out);
    out->position = -1;
    if (!cJSON_IsObject(v))
        return ll_json_fail(c, p, "must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, v, p, keys));
    LL_JSON_TRY(get_globs(c, v, p, "call", &out->calls));
    char q[128];
    if (!out->calls.len) {
        ll_json_ptr(q, sizeof q, p, "call");
        return ll_json_fail(c, p, "missing required key \"call\" (name patterns)");
    }
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(v, "position");
    if (pos) {
        ll_json_ptr(q, sizeof q, p, "position");
        if (!cJSON_IsNumber(pos) || pos->valuedouble < 0 || pos->valuedouble > 255 ||
            pos->valuedouble != (int)pos->valuedouble)
            return ll_json_fail(c, q, "must be an integer from 0 to 255");
        out->position = pos->valueint;
    }
    LL_JSON_TRY(ll_json_get_string(c, v, p, "keyword", false, &out->keyword));
    if (out->keyword && !ll_json_is_identifier(out->keyword)) {
        ll_json_ptr(q, sizeof q, p, "keyword");
        return ll_json_fail(c, q, "must be a Python identifier");
    }
    if (out->position < 0 && !out->keyword)
        return ll_json_fail(c, p, "needs \"position\" or \"keyword\"");
    LL_JSON_TRY(ll_json_get_string(c, v, p, "says", true, &out->says));
    char *is = NULL;
    LL_JSON_TRY(ll_json_get_string(c, v, p, "is", false, &is));
    LL_JSON_TRY(ll_json_get_string(c, v, p, "matches", false, &out->regex));
    if (is) {
        bool ok = !remote && !out->regex;
        if (ok && strcmp(is, "true") == 0)
            out->test = LL_ARGTEST_TRUE;
        else if (ok && strcmp(is, "constant") == 0)
            out->test = LL_ARGTEST_CONSTANT;
        else
            ok = false;
        free(is);
        if (!ok) {
            ll_json_ptr(q, sizeof q, p, "is");
            return ll_json_fail(c, q, remote ? "remote inputs take \"matches\" only"
                                             : "must be \"true\" or \"constant\" (or give \"matches\" instead)");
        }
    } else if (out->regex) {
        out->test = LL_ARGTEST_MATCHES;
        int errcode;
        PCRE2_SIZE erroff;
        out->re = pcre2_compile((PCRE2_SPTR)out->regex, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                &errcode, &erroff, NULL);
        if (!out->re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(errcode, msg, sizeof msg);
            ll_json_ptr(q, sizeof q, p, "matches");
            return ll_json_fail(c, q, "invalid regular expression at offset %zu: %s",
                                (size_t)erroff, (const char *)msg);
        }
    } else {
        return ll_json_fail(c, p, remote ? "needs \"matches\" (what a remote value looks like)"
                                         : "needs \"is\" or \"matches\"");
    }
    return LL_OK;
}

static LLStatus parse_checks(LLJsonCtx *c, const cJSON *root, const char *key, bool remote,
                             void *vec_ptr)
{
    LL_VEC(LLArgCheck) *vec = vec_ptr;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!arr)
        return LL_OK;
    char base[64];
    ll_json_ptr(base, sizeof base, "", key);
    if (!cJSON_IsArray(arr))
        return ll_json_fail(c, base, "must be an array of argument checks");
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char p[96];
        ll_json_ptr_index(p, sizeof p, base, i);
        LLArgCheck a;
        LLStatus st = parse_check(c, it, p, remote, &a);
        if (st != LL_OK) {
            argcheck_free(&a);
            return st;
        }
        LL_VEC_PUSH(vec, a);
    }
    return LL_OK;
}

/* The round-trip and check keys of a sources file. */
static LLStatus parse_checks_part(LLJsonCtx *c, const cJSON *root, LLSourceModel *add)
{
    LL_JSON_TRY(get_globs(c, root, "", "producers", &add->producers));
    LL_JSON_TRY(get_globs(c, root, "", "private_names", &add->private_names));
    LL_JSON_TRY(get_globs(c, root, "", "private_writers", &add->private_writers));
    LL_JSON_TRY(parse_params(c, root, "private_parameters", &add->private_params));
    LL_JSON_TRY(parse_selfs(c, root, "private_self_attributes", &add->private_selfs));
    LL_JSON_TRY(get_globs(c, root, "", "digests", &add->digests));
    LL_JSON_TRY(get_names(c, root, "", "digest_methods", true, &add->digest_methods));
    LL_JSON_TRY(get_globs(c, root, "", "digest_comparators", &add->digest_comparators));
    LL_JSON_TRY(get_names(c, root, "", "signature_methods", true, &add->signature_methods));
    LL_JSON_TRY(get_globs(c, root, "", "same_bytes", &add->same_bytes));
    LL_JSON_TRY(get_globs(c, root, "", "loader_apis", &add->loader_apis));
    LL_JSON_TRY(get_globs(c, root, "", "movers", &add->movers));
    LL_JSON_TRY(ll_json_get_string_list(c, root, "", "shared_locations", false, true,
                                        &add->shared_locations));
    LL_JSON_TRY(parse_checks(c, root, "remote_inputs", true, &add->remote_inputs));
    LL_JSON_TRY(parse_checks(c, root, "pins", false, &add->pins));
    return LL_OK;
}

static bool checks_defined(const LLSourceModel *m)
{
    LLStrList *const lists[CHECK_NLISTS] = CHECK_LISTS((LLSourceModel *)m);
    for (size_t i = 0; i < CHECK_NLISTS; i++)
        if (lists[i]->len)
            return true;
    return m->private_params.len || m->private_selfs.len || m->remote_inputs.len ||
           m->pins.len;
}

/* Moves the round-trip and check parts of `add` into `m`. */
static void merge_checks(LLSourceModel *m, LLSourceModel *add)
{
    LLStrList *const to[CHECK_NLISTS] = CHECK_LISTS(m);
    LLStrList *const from[CHECK_NLISTS] = CHECK_LISTS(add);
    for (size_t i = 0; i < CHECK_NLISTS; i++)
        append_all(to[i], from[i]);
    for (size_t i = 0; i < add->private_params.len; i++)
        LL_VEC_PUSH(&m->private_params, add->private_params.items[i]);
    add->private_params.len = 0;
    for (size_t i = 0; i < add->private_selfs.len; i++)
        LL_VEC_PUSH(&m->private_selfs, add->private_selfs.items[i]);
    add->private_selfs.len = 0;
    for (size_t i = 0; i < add->remote_inputs.len; i++)
        LL_VEC_PUSH(&m->remote_inputs, add->remote_inputs.items[i]);
    add->remote_inputs.len = 0;
    for (size_t i = 0; i < add->pins.len; i++)
        LL_VEC_PUSH(&m->pins, add->pins.items[i]);
    add->pins.len = 0;
}

LLStatus ll_srcmodel_add(LLSourceModel *m, LLJsonCtx *c, const cJSON *root)
{
    static const char *const keys[] = {
        "kind", "name", "description", "sources", "parameters", "self_attributes",
        "propagators", "propagating_methods", "write_methods", "fillers", "module_loaders",
        "producers", "private_names", "private_parameters", "private_self_attributes",
        "private_writers", "digests", "digest_methods", "digest_comparators",
        "signature_methods", "same_bytes", "loader_apis", "shared_locations", "movers",
        "remote_inputs", "pins", NULL};
    LLSourceModel add;
    ll_srcmodel_init(&add);
    char *name = NULL, *desc = NULL;
    LLStatus st = ll_json_check_keys(c, root, "", keys);
    if (st == LL_OK)
        st = ll_json_get_string(c, root, "", "name", true, &name);
    if (st == LL_OK)
        st = ll_json_get_string(c, root, "", "description", true, &desc);
    if (st == LL_OK)
        st = get_names(c, root, "", "sources", false, &add.names);
    if (st == LL_OK)
        st = get_names(c, root, "", "propagators", false, &add.propagators);
    if (st == LL_OK)
        st = get_names(c, root, "", "propagating_methods", true, &add.propagating_methods);
    if (st == LL_OK)
        st = get_names(c, root, "", "write_methods", true, &add.write_methods);
    if (st == LL_OK)
        st = get_names(c, root, "", "fillers", true, &add.fillers);
    if (st == LL_OK)
        st = get_names(c, root, "", "module_loaders", false, &add.module_loaders);
    if (st == LL_OK)
        st = parse_params(c, root, "parameters", &add.params);
    if (st == LL_OK)
        st = parse_selfs(c, root, "self_attributes", &add.selfs);
    if (st == LL_OK)
        st = parse_checks_part(c, root, &add);
    if (st == LL_OK && !add.names.len && !add.params.len && !add.selfs.len &&
        !add.propagators.len && !add.propagating_methods.len && !add.write_methods.len &&
        !add.fillers.len && !add.module_loaders.len && !checks_defined(&add))
        st = ll_json_fail(c, "", "a sources file must define something: sources, parameters, "
                                 "self_attributes, propagators, propagating_methods, "
                                 "write_methods, fillers, module_loaders, or a round trip or "
                                 "check key (producers, private_*, digests..., remote_inputs, pins)");
    if (st == LL_OK) {
        merge_checks(m, &add);
        append_all(&m->names, &add.names);
        append_all(&m->propagators, &add.propagators);
        append_all(&m->propagating_methods, &add.propagating_methods);
        append_all(&m->write_methods, &add.write_methods);
        append_all(&m->fillers, &add.fillers);
        append_all(&m->module_loaders, &add.module_loaders);
        for (size_t i = 0; i < add.params.len; i++)
            LL_VEC_PUSH(&m->params, add.params.items[i]);
        add.params.len = 0;
        for (size_t i = 0; i < add.selfs.len; i++)
            LL_VEC_PUSH(&m->selfs, add.selfs.items[i]);
        add.selfs.len = 0;
        ll_strlist_push(&m->files, c->origin);
    }
    ll_srcmodel_free(&add);
    free(name);
    free(desc);
    return st;
}

static void copy_list(LLStrList *dst, const LLStrList *src)
{
    for (size_t i = 0; i < src->len; i++)
        ll_strlist_push(dst, src->items[i]);
}

static LLParamSource param_copy(const LLParamSource *p)
{
    LLParamSource c = {.what = ll_xstrdup(p->what), .nindexes = p->nindexes, .scope = p->scope};
    memcpy(c.indexes, p->indexes, sizeof c.indexes);
    copy_list(&c.decorators, &p->decorators);
    copy_list(&c.class_decorators, &p->class_decorators);
    copy_list(&c.class_bases, &p->class_bases);
    copy_list(&c.module_imports, &p->module_imports);
    copy_list(&c.functions, &p->functions);
    copy_list(&c.annotations, &p->annotations);
    copy_list(&c.params, &p->params);
    return c;
}

static LLSelfSource self_copy(const LLSelfSource *p)
{
    LLSelfSource c = {.what = ll_xstrdup(p->what)};
    copy_list(&c.class_bases, &p->class_bases);
    copy_list(&c.attributes, &p->attributes);
    return c;
}

static LLArgCheck argcheck_copy(const LLArgCheck *a)
{
    LLArgCheck c = {.position = a->position, .test = a->test,
                    .keyword = a->keyword ? ll_xstrdup(a->keyword) : NULL,
                    .regex = a->regex ? ll_xstrdup(a->regex) : NULL,
                    .re = a->re ? pcre2_code_copy(a->re) : NULL,
                    .says = ll_xstrdup(a->says)};
    copy_list(&c.calls, &a->calls);
    return c;
}

void ll_srcmodel_merge(LLSourceModel *dst, const LLSourceModel *src)
{
    copy_list(&dst->names, &src->names);
    copy_list(&dst->propagators, &src->propagators);
    copy_list(&dst->propagating_methods, &src->propagating_methods);
    copy_list(&dst->write_methods, &src->write_methods);
    copy_list(&dst->fillers, &src->fillers);
    copy_list(&dst->module_loaders, &src->module_loaders);
    copy_list(&dst->files, &src->files);
    for (size_t i = 0; i < src->reexport_from.len; i++)
        reexport_put(dst, src->reexport_from.items[i], src->reexport_to.items[i]);
    for (size_t i = 0; i < src->params.len; i++)
        LL_VEC_PUSH(&dst->params, param_copy(&src->params.items[i]));
    for (size_t i = 0; i < src->selfs.len; i++)
        LL_VEC_PUSH(&dst->selfs, self_copy(&src->selfs.items[i]));
    LLStrList *const to[CHECK_NLISTS] = CHECK_LISTS(dst);
    LLStrList *const from[CHECK_NLISTS] = CHECK_LISTS((LLSourceModel *)src);
    for (size_t i = 0; i < CHECK_NLISTS; i++)
        copy_list(to[i], from[i]);
    for (size_t i = 0; i < src->private_params.len; i++)
        LL_VEC_PUSH(&dst->private_params, param_copy(&src->private_params.items[i]));
    for (size_t i = 0; i < src->private_selfs.len; i++)
        LL_VEC_PUSH(&dst->private_selfs, self_copy(&src->private_selfs.items[i]));
    for (size_t i = 0; i < src->remote_inputs.len; i++)
        LL_VEC_PUSH(&dst->remote_inputs, argcheck_copy(&src->remote_inputs.items[i]));
    for (size_t i = 0; i < src->pins.len; i++)
        LL_VEC_PUSH(&dst->pins, argcheck_copy(&src->pins.items[i]));
}

/* ---- the pre-filter's view ----------------------------------------------------- */

/* What one expanded glob needs in a file: its whole dotted segments before
 * the first '*' as a name, or else its longest literal run as a substring. */
static void glob_needs(const char *pat, LLSourcePrefilter *out)
{
    const char *star = strchr(pat, '*');
    if (!star) {
        ll_strlist_push(&out->names, pat);
        return;
    }
    const char *dot = NULL;
    for (const char *q = pat; q < star; q++)
        if (*q == '.')
            dot = q;
    if (dot && dot > pat) {
        char *prefix = ll_xstrndup(pat, (size_t)(dot - pat));
        if (ll_json_is_dotted_name(prefix)) {
            ll_strlist_push(&out->names, prefix);
            free(prefix);
            return;
        }
        free(prefix);
    }
    const char *best = pat;
    size_t best_len = 0;
    for (const char *q = pat; *q;) {
        const char *e = q;
        while (*e && *e != '*')
            e++;
        if ((size_t)(e - q) > best_len) {
            best = q;
            best_len = (size_t)(e - q);
        }
        q = *e ? e + 1 : e;
    }
    char *lit = ll_xstrndup(best, best_len);
    if (best_len)
        ll_strlist_push(&out->literals, lit);
    else
        ll_strlist_push(&out->literals, ""); /* "*": any file */
    free(lit);
}

static void globs_needs(const LLStrList *l, LLSourcePrefilter *out)
{
    for (size_t i = 0; i < l->len; i++)
        glob_needs(l->items[i], out);
}

void ll_srcmodel_prefilter(const LLSourceModel *m, LLSourcePrefilter *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < m->names.len; i++)
        ll_strlist_push(&out->names, m->names.items[i]);
    for (size_t i = 0; i < m->fillers.len; i++)
        ll_strlist_push(&out->names, m->fillers.items[i]);
    LLSourcePrefilter params;
    ll_srcmodel_prefilter_params(m, &params);
    for (size_t i = 0; i < params.names.len; i++)
        ll_strlist_push(&out->names, params.names.items[i]);
    for (size_t i = 0; i < params.literals.len; i++)
        ll_strlist_push(&out->literals, params.literals.items[i]);
    ll_srcmodel_prefilter_free(&params);
}

void ll_srcmodel_prefilter_params(const LLSourceModel *m, LLSourcePrefilter *out)
{
    memset(out, 0, sizeof *out);
    /* each condition of an entry must hold: one is enough to look for */
    for (size_t i = 0; i < m->params.len; i++) {
        const LLParamSource *p = &m->params.items[i];
        const LLStrList *need = p->decorators.len         ? &p->decorators
                                : p->class_decorators.len ? &p->class_decorators
                                : p->class_bases.len      ? &p->class_bases
                                : p->annotations.len      ? &p->annotations
                                : p->module_imports.len   ? &p->module_imports
                                : p->functions.len        ? &p->functions
                                                          : &p->params;
        globs_needs(need, out);
    }
    for (size_t i = 0; i < m->selfs.len; i++)
        globs_needs(&m->selfs.items[i].class_bases, out);
}

void ll_srcmodel_prefilter_free(LLSourcePrefilter *p)
{
    ll_strlist_free(&p->names);
    ll_strlist_free(&p->literals);
}
