#include "report/baseline.h"

#include "base/limits.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "engine/source.h"
#include "report/cjson_util.h"
#include "rules/jsonloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_HEX 16

/* A key is "CODE\0PATH\0HASH16" (explicit length: it holds NULs). */
typedef struct Key {
    char *bytes;
    size_t len;
} Key;

struct LLBaseline {
    Key *keys;       /* distinct keys, owned */
    uint32_t *count; /* entries per key */
    size_t nkeys, cap;
    size_t nentries;
    LLStrMap map; /* key bytes (borrowed from keys[]) -> index + 1 */
};

static const char *norm_path(const char *p)
{
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/')
            p++;
    }
    return p;
}

static void make_key(LLBuf *k, const char *code, const char *path, const char *hash16)
{
    ll_buf_reset(k);
    ll_buf_puts(k, code);
    ll_buf_putc(k, '\0');
    ll_buf_puts(k, norm_path(path));
    ll_buf_putc(k, '\0');
    ll_buf_append(k, hash16, HASH_HEX);
}

/* ---- writing -------------------------------------------------------------------- */

void ll_baseline_write(LLBuf *out, const LLReport *r)
{
    const LLRunResult *run = r->run;
    size_t n = run->findings.len;
    cJSON *root = cJSON_CreateObject();
    ll_json_add_num(root, "version", 1);
    ll_json_add_str(root, "tool", "loadlint");
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < n; i++) {
        const LLFinding *f = &run->findings.items[i];
        if (f->suppressed)
            continue;
        const LLRule *rule = &r->rules->rules[f->rule];
        char fp[48];
        ll_report_fingerprint(r, i, fp, sizeof fp);
        cJSON *o = cJSON_CreateObject();
        ll_json_add_str(o, "rule_id", rule->code);
        ll_json_add_str(o, "path", norm_path(r->files->files.items[f->file].display));
        ll_json_add_str(o, "fingerprint", fp);
        ll_json_add_str(o, "snippet", f->snippet ? f->snippet : "");
        cJSON_AddItemToArray(arr, o);
    }
    ll_json_print(out, root);
    cJSON_Delete(root);
}

/* ---- loading ---------------------------------------------------------------------- */

static LLStatus fail_at(LLError *err, const char *origin, const char *text, size_t len,
                        size_t off, const char *msg)
{
    unsigned line, col;
    ll_jsonloc_linecol(text, len, off > len ? len : off, &line, &col);
    return ll_error_set(err, LL_ERR_CONFIG, origin, line, col, "%s", msg);
}

static LLStatus fail_ptr(LLError *err, const char *origin, const char *text, size_t len,
                         const char *pointer, const char *msg)
{
    size_t off = ll_jsonloc_find(text, len, pointer);
    return fail_at(err, origin, text, len, off, msg);
}

/* Rejects nesting deeper than LL_MAX_JSON_DEPTH before cJSON (which recurses)
 * sees the text. Strings are skipped; everything else is cJSON's to judge. */
static size_t too_deep(const char *s, size_t n)
{
    unsigned depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
        } else if (c == '[' || c == '{') {
            if (++depth > LL_MAX_JSON_DEPTH)
                return i;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return (size_t)-1;
}

static bool is_hash_prefix(const char *fp)
{
    for (int i = 0; i < HASH_HEX; i++) {
        char c = fp[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    if (fp[HASH_HEX] == '\0')
        return true;
    if (fp[HASH_HEX] != ':' || !fp[HASH_HEX + 1])
        return false;
    for (const char *p = fp + HASH_HEX + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static void add_entry(LLBaseline *b, const LLBuf *key)
{
    intptr_t v;
    if (ll_strmap_get(&b->map, key->data, key->len, &v)) {
        b->count[v - 1]++;
    } else {
        if (b->nkeys == b->cap) {
            b->cap = ll_grow_cap(b->cap, b->nkeys + 1);
            b->keys = ll_xrealloc(b->keys, b->cap * sizeof *b->keys);
            b->count = ll_xrealloc(b->count, b->cap * sizeof *b->count);
        }
        Key *k = &b->keys[b->nkeys];
        k->bytes = ll_xmalloc(key->len + 1);
        memcpy(k->bytes, key->data, key->len + 1);
        k->len = key->len;
        b->count[b->nkeys] = 1;
        b->nkeys++;
        ll_strmap_put(&b->map, k->bytes, k->len, (intptr_t)b->nkeys);
    }
    b->nentries++;
}

static const char *string_field(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

LLStatus ll_baseline_parse(const char *origin, const char *text, size_t len,
                           LLBaseline **out, LLError *err)
{
    *out = NULL;
    size_t deep = too_deep(text, len);
    if (deep != (size_t)-1)
        return fail_at(err, origin, text, len, deep,
                       "JSON nested too deeply for a baseline (limit " LL_STR(LL_MAX_JSON_DEPTH) " levels)");
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        return fail_at(err, origin, text, len, off, "invalid JSON in baseline file");
    }
    size_t tail = end && end >= text ? (size_t)(end - text) : len;
    while (tail < len && (text[tail] == ' ' || text[tail] == '\t' || text[tail] == '\n' ||
                          text[tail] == '\r'))
        tail++;
    if (tail < len) {
        cJSON_Delete(root);
        return fail_at(err, origin, text, len, tail, "unexpected text after the JSON value");
    }
    LLStatus st = LL_OK;
    LLBaseline *b = ll_xcalloc(1, sizeof *b);
    ll_strmap_init(&b->map);
    LLBuf key;
    ll_buf_init(&key);
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsObject(root)) {
        st = fail_ptr(err, origin, text, len, "",
                      "a baseline must be a JSON object with \"version\" and \"findings\"");
    } else if (!cJSON_IsNumber(version)) {
        st = fail_ptr(err, origin, text, len, version ? "/version" : "",
                      "\"version\" must be the number 1");
    } else if (version->valuedouble != 1) {
        st = fail_ptr(err, origin, text, len, "/version",
                      "unsupported baseline version (this loadlint reads version 1)");
    } else if (!cJSON_IsArray(findings)) {
        st = fail_ptr(err, origin, text, len, findings ? "/findings" : "",
                      "\"findings\" must be an array");
    } else {
        size_t i = 0;
        for (const cJSON *it = findings->child; it && st == LL_OK; it = it->next, i++) {
            char ptr[96];
            const char *code = string_field(it, "rule_id");
            const char *path = string_field(it, "path");
            const char *fp = string_field(it, "fingerprint");
            const cJSON *snippet = cJSON_GetObjectItemCaseSensitive(it, "snippet");
            if (!cJSON_IsObject(it)) {
                snprintf(ptr, sizeof ptr, "/findings/%zu", i);
                st = fail_ptr(err, origin, text, len, ptr, "a baseline entry must be an object");
            } else if (!code || !*code) {
                snprintf(ptr, sizeof ptr, "/findings/%zu%s", i,
                         cJSON_GetObjectItemCaseSensitive(it, "rule_id") ? "/rule_id" : "");
                st = fail_ptr(err, origin, text, len, ptr, "\"rule_id\" must be a non-empty string");
            } else if (!path || !*path) {
                snprintf(ptr, sizeof ptr, "/findings/%zu%s", i,
                         cJSON_GetObjectItemCaseSensitive(it, "path") ? "/path" : "");
                st = fail_ptr(err, origin, text, len, ptr, "\"path\" must be a non-empty string");
            } else if (!fp || strlen(fp) < HASH_HEX || !is_hash_prefix(fp)) {
                snprintf(ptr, sizeof ptr, "/findings/%zu%s", i,
                         cJSON_GetObjectItemCaseSensitive(it, "fingerprint") ? "/fingerprint" : "");
                st = fail_ptr(err, origin, text, len, ptr,
                              "\"fingerprint\" must be 16 hex digits and \":N\", as loadlint writes it");
            } else if (snippet && !cJSON_IsString(snippet)) {
                snprintf(ptr, sizeof ptr, "/findings/%zu/snippet", i);
                st = fail_ptr(err, origin, text, len, ptr, "\"snippet\" must be a string");
            } else {
                char hash[HASH_HEX];
                for (int k = 0; k < HASH_HEX; k++)
                    hash[k] = (char)(fp[k] >= 'A' && fp[k] <= 'F' ? fp[k] - 'A' + 'a' : fp[k]);
                make_key(&key, code, path, hash);
                add_entry(b, &key);
            }
        }
    }
    ll_buf_release(&key);
    cJSON_Delete(root);
    if (st != LL_OK) {
        ll_baseline_free(b);
        return st;
    }
    *out = b;
    return LL_OK;
}

LLStatus ll_baseline_load(const char *path, LLBaseline **out, LLError *err)
{
    *out = NULL;
    LLBuf text;
    ll_buf_init(&text);
    LLStatus st = ll_source_read(path, LL_MAX_BASELINE_BYTES, &text, err);
    if (st == LL_OK)
        st = ll_baseline_parse(path, text.data, text.len, out, err);
    ll_buf_release(&text);
    return st;
}

void ll_baseline_free(LLBaseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nkeys; i++)
        free(b->keys[i].bytes);
    free(b->keys);
    free(b->count);
    ll_strmap_release(&b->map);
    free(b);
}

size_t ll_baseline_size(const LLBaseline *b)
{
    return b ? b->nentries : 0;
}

/* ---- matching ---------------------------------------------------------------------- */

size_t ll_baseline_filter(const LLBaseline *b, const LLReport *r, bool *is_known)
{
    const LLRunResult *run = r->run;
    size_t n = run->findings.len, known = 0;
    for (size_t i = 0; i < n; i++)
        is_known[i] = false;
    if (!b || !b->nkeys)
        return 0;
    uint32_t *left = ll_xmalloc(b->nkeys * sizeof *left);
    memcpy(left, b->count, b->nkeys * sizeof *left);
    LLBuf key;
    ll_buf_init(&key);
    for (size_t i = 0; i < n; i++) {
        const LLFinding *f = &run->findings.items[i];
        if (f->suppressed)
            continue;
        char hash[HASH_HEX + 1];
        snprintf(hash, sizeof hash, "%016llx", (unsigned long long)ll_report_finding_hash(r, f));
        make_key(&key, r->rules->rules[f->rule].code, r->files->files.items[f->file].display,
                 hash);
        intptr_t v;
        if (ll_strmap_get(&b->map, key.data, key.len, &v) && left[v - 1]) {
            left[v - 1]--;
            is_known[i] = true;
            known++;
        }
    }
    ll_buf_release(&key);
    free(left);
    return known;
}
