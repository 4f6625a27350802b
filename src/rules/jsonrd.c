#include "rules/jsonrd.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "rules/jsonloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

LLStatus ll_json_parse(LLJsonCtx *c, size_t max_bytes, cJSON **root)
{
    *root = NULL;
    if (c->len > max_bytes)
        return ll_error_set(c->err, LL_ERR_LIMIT, c->origin, 0, 0,
                            "file is larger than %zu bytes", max_bytes);
    /* cJSON's "require NUL-terminated" check looks at text[len]: callers
     * keep a NUL there, so parse len + 1 bytes */
    if (c->text[c->len] != '\0')
        return ll_error_set(c->err, c->kind, c->origin, 0, 0, "internal: text is not NUL-terminated");
    if (memchr(c->text, '\0', c->len))
        return ll_error_set(c->err, c->kind, c->origin, 0, 0, "file contains a NUL byte");
    const char *end = NULL;
    *root = cJSON_ParseWithLengthOpts(c->text, c->len + 1, &end, true);
    if (!*root) {
        size_t off = end ? (size_t)(end - c->text) : 0;
        unsigned line, col;
        ll_jsonloc_linecol(c->text, c->len, off, &line, &col);
        return ll_error_set(c->err, c->kind, c->origin, line, col,
                            "invalid JSON (syntax error near here)");
    }
    if (!cJSON_IsObject(*root)) {
        cJSON_Delete(*root);
        *root = NULL;
        return ll_error_set(c->err, c->kind, c->origin, 1, 1, "/: the file must hold one JSON object");
    }
    return LL_OK;
}

LLStatus ll_json_fail(LLJsonCtx *c, const char *pointer, const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX - 300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t off = ll_jsonloc_find(c->text, c->len, pointer);
    unsigned line, col;
    ll_jsonloc_linecol(c->text, c->len, off, &line, &col);
    return ll_error_set(c->err, c->kind, c->origin, line, col, "%s: %s",
                        pointer[0] ? pointer : "/", msg);
}

void ll_json_ptr(char *out, size_t outsz, const char *base, const char *key)
{
    size_t n = 0;
    for (const char *parts[3] = {base, "/", key}, **p = parts; p < parts + 3; p++)
        for (const char *c = *p; *c && n + 1 < outsz; c++)
            out[n++] = *c;
    out[n] = '\0';
}

void ll_json_ptr_index(char *out, size_t outsz, const char *base, int i)
{
    char num[16];
    snprintf(num, sizeof num, "%u", i < 0 ? 0u : (unsigned)i);
    ll_json_ptr(out, outsz, base, num);
}

LLStatus ll_json_check_keys(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                            const char *const *allowed)
{
    char p[512];
    for (const cJSON *it = obj->child; it; it = it->next) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok |= strcmp(*a, it->string) == 0;
        ll_json_ptr(p, sizeof p, ptr, it->string);
        if (!ok) {
            LLBuf b;
            ll_buf_init(&b);
            for (const char *const *a = allowed; *a; a++)
                ll_buf_printf(&b, "%s%s", a == allowed ? "" : ", ", *a);
            LLStatus st = ll_json_fail(c, p, "unknown key \"%s\" (expected one of: %s)",
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
                return ll_error_set(c->err, c->kind, c->origin, line, col,
                                    "%s: duplicate key \"%s\"", p, it->string);
            }
        }
    }
    return LL_OK;
}

LLStatus ll_json_get_string(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                            const char *key, bool required, char **out)
{
    char p[512];
    ll_json_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            return ll_json_fail(c, ptr, "missing required key \"%s\"", key);
        return LL_OK;
    }
    if (!cJSON_IsString(v))
        return ll_json_fail(c, p, "must be a string");
    if (!v->valuestring[0])
        return ll_json_fail(c, p, "must not be empty");
    *out = ll_xstrdup(v->valuestring);
    return LL_OK;
}

LLStatus ll_json_get_string_list(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                                 const char *key, bool required, bool nonempty,
                                 LLStrList *out)
{
    char p[512], q[520];
    ll_json_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    memset(out, 0, sizeof *out);
    if (!v) {
        if (required)
            return ll_json_fail(c, ptr, "missing required key \"%s\"", key);
        return LL_OK;
    }
    if (!cJSON_IsArray(v))
        return ll_json_fail(c, p, "must be an array of strings");
    int n = cJSON_GetArraySize(v);
    if (nonempty && n == 0)
        return ll_json_fail(c, p, "must not be empty");
    out->items = ll_xcalloc((size_t)n + 1, sizeof *out->items);
    int i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        ll_json_ptr_index(q, sizeof q, p, i);
        if (!cJSON_IsString(it) || !it->valuestring[0]) {
            ll_strlist_free(out);
            return ll_json_fail(c, q, "must be a non-empty string");
        }
        out->items[out->len++] = ll_xstrdup(it->valuestring);
    }
    return LL_OK;
}

LLStatus ll_json_get_bool(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                          const char *key, bool *out)
{
    char p[512];
    ll_json_ptr(p, sizeof p, ptr, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return LL_OK;
    if (!cJSON_IsBool(v))
        return ll_json_fail(c, p, "must be true or false");
    *out = cJSON_IsTrue(v);
    return LL_OK;
}

bool ll_json_is_dotted_name(const char *s)
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
        } else if (ch == '[' && s[1] == ']' && !need_ident && s[-1] == ')') {
            s++; /* "f()[]": an element of what f returns (a, b = f()) */
        } else {
            return false;
        }
    }
    return !need_ident;
}

bool ll_json_is_identifier(const char *s)
{
    return ll_json_is_dotted_name(s) && !strchr(s, '.') && !strchr(s, '(');
}
