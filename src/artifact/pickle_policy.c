#include "artifact/pickle_policy.h"

#include "base/mem.h"
#include "rules/jsonrd.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reason given for names that walk through "__x__" attributes. */
static const char k_dunder_reason[] =
    "walks through an introspection attribute (__x__), which reaches builtins, "
    "module globals and every loaded class";

void ll_pickle_policy_init(LLPicklePolicy *p)
{
    memset(p, 0, sizeof *p);
    ll_strmap_init(&p->allow_exact);
    ll_strmap_init(&p->allow_module);
    ll_strmap_init(&p->danger_exact);
    ll_strmap_init(&p->danger_prefix);
}

void ll_pickle_policy_release(LLPicklePolicy *p)
{
    ll_strmap_release(&p->allow_exact);
    ll_strmap_release(&p->allow_module);
    ll_strmap_release(&p->danger_exact);
    ll_strmap_release(&p->danger_prefix);
    for (size_t i = 0; i < p->owned.len; i++)
        free(p->owned.items[i]);
    LL_VEC_FREE(&p->owned);
    memset(p, 0, sizeof *p);
}

static bool seg_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool seg_char(unsigned char c)
{
    return seg_start(c) || (c >= '0' && c <= '9');
}

bool ll_pickle_policy_valid_pattern(const char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[n - 2] == '.' && s[n - 1] == '*')
        n -= 2;
    if (n == 0)
        return false;
    bool need_start = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (need_start) {
            if (!seg_start(c))
                return false;
            need_start = false;
        } else if (c == '.') {
            need_start = true;
        } else if (!seg_char(c)) {
            return false;
        }
    }
    return !need_start;
}

static char *own(LLPicklePolicy *p, const char *s, size_t n)
{
    char *c = ll_xstrndup(s, n);
    LL_VEC_PUSH(&p->owned, c);
    return c;
}

bool ll_pickle_policy_allow(LLPicklePolicy *p, const char *pattern)
{
    if (!ll_pickle_policy_valid_pattern(pattern))
        return false;
    size_t n = strlen(pattern);
    if (n >= 2 && pattern[n - 1] == '*') {
        char *k = own(p, pattern, n - 2);
        ll_strmap_put(&p->allow_module, k, n - 2, 1);
    } else {
        char *k = own(p, pattern, n);
        ll_strmap_put(&p->allow_exact, k, n, 1);
    }
    return true;
}

bool ll_pickle_policy_add_dangerous(LLPicklePolicy *p, const char *pattern, const char *reason)
{
    if (!ll_pickle_policy_valid_pattern(pattern) || !reason || !reason[0])
        return false;
    size_t n = strlen(pattern);
    char *r = own(p, reason, strlen(reason));
    if (n >= 2 && pattern[n - 1] == '*') {
        char *k = own(p, pattern, n - 2);
        ll_strmap_put(&p->danger_prefix, k, n - 2, (intptr_t)r);
    } else {
        char *k = own(p, pattern, n);
        ll_strmap_put(&p->danger_exact, k, n, (intptr_t)r);
    }
    return true;
}

static void copy_map(LLPicklePolicy *dst, LLStrMap *to, const LLStrMap *from, bool reasons)
{
    for (size_t i = 0; i < from->cap; i++) {
        const LLStrMapSlot *s = &from->slots[i];
        if (!s->key)
            continue;
        char *k = own(dst, s->key, s->len);
        intptr_t v = s->value;
        if (reasons) {
            const char *r = (const char *)s->value;
            v = (intptr_t)own(dst, r, strlen(r));
        }
        ll_strmap_put(to, k, s->len, v);
    }
}

void ll_pickle_policy_merge(LLPicklePolicy *dst, const LLPicklePolicy *src)
{
    copy_map(dst, &dst->allow_exact, &src->allow_exact, false);
    copy_map(dst, &dst->allow_module, &src->allow_module, false);
    copy_map(dst, &dst->danger_exact, &src->danger_exact, true);
    copy_map(dst, &dst->danger_prefix, &src->danger_prefix, true);
}

static LLStatus parse_into(LLPicklePolicy *p, LLJsonCtx *c, const cJSON *root)
{
    static const char *const keys[] = {"kind", "description", "allow", "dangerous", NULL};
    LL_JSON_TRY(ll_json_check_keys(c, root, "", keys));
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    if (!kind)
        return ll_json_fail(c, "", "missing required key \"kind\" (\"pickle-policy\")");
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "pickle-policy") != 0)
        return ll_json_fail(c, "/kind", "must be \"pickle-policy\"");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (desc && !cJSON_IsString(desc))
        return ll_json_fail(c, "/description", "must be a string");

    char ptr[600];
    const cJSON *allow = cJSON_GetObjectItemCaseSensitive(root, "allow");
    if (allow) {
        if (!cJSON_IsArray(allow))
            return ll_json_fail(c, "/allow", "must be an array of patterns (\"module.name\" or \"module.*\")");
        int i = 0;
        for (const cJSON *it = allow->child; it; it = it->next, i++) {
            ll_json_ptr_index(ptr, sizeof ptr, "/allow", i);
            if (!cJSON_IsString(it))
                return ll_json_fail(c, ptr, "must be a string");
            if (!ll_pickle_policy_allow(p, it->valuestring))
                return ll_json_fail(c, ptr, "\"%s\" is not a dotted name or \"module.*\"",
                                    it->valuestring);
        }
    }
    const cJSON *danger = cJSON_GetObjectItemCaseSensitive(root, "dangerous");
    if (danger) {
        if (!cJSON_IsObject(danger))
            return ll_json_fail(c, "/dangerous",
                                "must be an object mapping patterns to the reason they are dangerous");
        for (const cJSON *it = danger->child; it; it = it->next) {
            ll_json_ptr(ptr, sizeof ptr, "/dangerous", it->string);
            for (const cJSON *o = danger->child; o != it; o = o->next)
                if (strcmp(o->string, it->string) == 0)
                    return ll_json_fail(c, ptr, "duplicate key \"%s\"", it->string);
            if (!ll_pickle_policy_valid_pattern(it->string))
                return ll_json_fail(c, ptr, "\"%s\" is not a dotted name or \"module.*\"",
                                    it->string);
            if (!cJSON_IsString(it) || !it->valuestring[0])
                return ll_json_fail(c, ptr, "must be a non-empty string saying why it is dangerous");
            ll_pickle_policy_add_dangerous(p, it->string, it->valuestring);
        }
    }
    return LL_OK;
}

LLStatus ll_pickle_policy_parse(LLPicklePolicy *p, const char *origin, const char *text,
                                size_t len, LLError *err)
{
    LLJsonCtx c = {.origin = origin, .text = text, .len = len, .err = err, .kind = LL_ERR_RULE};
    cJSON *root = NULL;
    LL_JSON_TRY(ll_json_parse(&c, LL_PICKLE_POLICY_MAX_BYTES, &root));
    LLPicklePolicy tmp;
    ll_pickle_policy_init(&tmp);
    LLStatus st = parse_into(&tmp, &c, root);
    cJSON_Delete(root);
    if (st == LL_OK)
        ll_pickle_policy_merge(p, &tmp);
    ll_pickle_policy_release(&tmp);
    return st;
}

LLStatus ll_pickle_policy_load_file(LLPicklePolicy *p, const char *path, LLError *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = ll_xmalloc(cap + 1);
    for (;;) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > LL_PICKLE_POLICY_MAX_BYTES)
            break;
        if (n == 0)
            break;
        if (len == cap) {
            cap *= 2;
            buf = ll_xrealloc(buf, cap + 1);
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "read error");
    }
    buf[len] = '\0';
    LLStatus st = ll_pickle_policy_parse(p, path, buf, len, err);
    free(buf);
    return st;
}

/* rules/data/pickle-policy.json as text (generated: embed_text.cmake) */
extern const char ll_art_pickle_policy_text[];
extern const size_t ll_art_pickle_policy_text_len;

LLStatus ll_pickle_policy_add_builtin(LLPicklePolicy *p, LLError *err)
{
    return ll_pickle_policy_parse(p, "rules/data/pickle-policy.json", ll_art_pickle_policy_text,
                                  ll_art_pickle_policy_text_len, err);
}

/* Is there a dangerous pattern for s[0, n) or for a prefix of it that ends
 * at a segment boundary? */
static bool danger_lookup(const LLPicklePolicy *p, const char *s, size_t n, const char **reason)
{
    intptr_t v;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (ll_strmap_get(&p->danger_prefix, s, i, &v)) {
                *reason = (const char *)v;
                return true;
            }
        }
    }
    if (ll_strmap_get(&p->danger_exact, s, n, &v)) {
        *reason = (const char *)v;
        return true;
    }
    return false;
}

LLPickleClass ll_pickle_policy_classify(const LLPicklePolicy *p, const char *full, size_t len,
                                        size_t modlen, const char **reason)
{
    const char *why = NULL;
    if (reason)
        *reason = NULL;
    if (modlen > len)
        modlen = len;
    if (danger_lookup(p, full, len, &why))
        goto dangerous;
    intptr_t v;
    bool exact_allowed = ll_strmap_get(&p->allow_exact, full, len, &v);
    /* attributes after the module: a.b.c reaches c's own names too */
    for (size_t s = modlen + 1; s < len; s++) {
        if (full[s - 1] != '.')
            continue;
        if (danger_lookup(p, full + s, len - s, &why))
            goto dangerous;
        size_t e = s;
        while (e < len && full[e] != '.')
            e++;
        if (!exact_allowed && e - s >= 5 && full[s] == '_' && full[s + 1] == '_' &&
            full[e - 1] == '_' && full[e - 2] == '_') {
            why = k_dunder_reason;
            goto dangerous;
        }
    }
    if (exact_allowed)
        return LL_PICKLE_ALLOWED;
    for (size_t j = len; j > 0; j--) {
        if (full[j - 1] == '.') {
            if (j - 1 >= modlen && ll_strmap_get(&p->allow_module, full, j - 1, &v))
                return LL_PICKLE_ALLOWED;
            break;
        }
    }
    return LL_PICKLE_UNLISTED;
dangerous:
    if (reason)
        *reason = why;
    return LL_PICKLE_DANGEROUS;
}
