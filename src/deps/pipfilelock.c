/* pipfilelock.c - Pipfile.lock (deps.h): the "default" and "develop"
 * objects, package name -> {"version": "==2.4.0", "markers": ...}. A
 * package without "version" (git, path, editable) is read without a
 * version. Read with rules/jsonrd.h: errors name file:line:column and the
 * JSON pointer of the value. Where each entry and its "version" are is
 * found by one pass over the text (a lock of thousands of packages would
 * cost a scan per entry through jsonloc). */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"
#include "base/vec.h"
#include "rules/jsonloc.h"
#include "rules/jsonrd.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base "/" key, with '~' and '/' of the key escaped as JSON pointers do. */
static void ptr_join(LLBuf *out, const char *base, const char *key)
{
    ll_buf_reset(out);
    ll_buf_printf(out, "%s/", base);
    for (const char *k = key; *k; k++) {
        if (*k == '~')
            ll_buf_puts(out, "~0");
        else if (*k == '/')
            ll_buf_puts(out, "~1");
        else
            ll_buf_putc(out, *k);
    }
}

/* Where an entry of "default" / "develop" and its "version" value are. */
typedef struct Pos {
    size_t entry, version; /* offsets of the values; SIZE_MAX when not seen */
} Pos;

typedef struct Where {
    LLStrMap names[2];  /* raw key -> index in pos (keys point into the text) */
    LL_VEC(Pos) pos;
    LL_VEC(size_t) line_starts;
} Where;

static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len && t[i] != '"'; i++)
        if (t[i] == '\\')
            i++;
    return i < len ? i + 1 : len;
}

static size_t skip_ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* One pass over a document cJSON accepted: the keys at depth 2 under
 * "default" and "develop", and "version" under them. */
static void where_scan(Where *w, const char *t, size_t len)
{
    ll_strmap_init(&w->names[0]);
    ll_strmap_init(&w->names[1]);
    LL_VEC_PUSH(&w->line_starts, (size_t)0);
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            LL_VEC_PUSH(&w->line_starts, i + 1);
    size_t depth = 0, entry = SIZE_MAX;
    int section = -1;
    for (size_t i = 0; i < len;) {
        char c = t[i];
        if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            depth = depth ? depth - 1 : 0;
            if (depth < 2)
                section = -1;
            if (depth < 3)
                entry = SIZE_MAX;
            i++;
        } else if (c == '"') {
            size_t kb = i + 1, ke = skip_string(t, len, i);
            size_t after = skip_ws(t, len, ke);
            if (after < len && t[after] == ':' && ke > kb) {
                size_t klen = ke - 1 - kb;
                size_t v = skip_ws(t, len, after + 1);
                if (depth == 1) {
                    section = (klen == 7 && !memcmp(t + kb, "default", 7))   ? 0
                              : (klen == 7 && !memcmp(t + kb, "develop", 7)) ? 1
                                                                              : -1;
                } else if (depth == 2 && section >= 0 && !memchr(t + kb, '\\', klen)) {
                    Pos p = {v, SIZE_MAX};
                    entry = w->pos.len;
                    LL_VEC_PUSH(&w->pos, p);
                    LLStrMapSlot *slot = ll_strmap_slot(&w->names[section], t + kb, klen, (intptr_t)entry);
                    (void)slot; /* a key given twice: the first one */
                } else if (depth == 3 && entry != SIZE_MAX && klen == 7 && !memcmp(t + kb, "version", 7)) {
                    if (w->pos.items[entry].version == SIZE_MAX)
                        w->pos.items[entry].version = v;
                }
                i = after + 1;
            } else {
                i = ke;
            }
        } else {
            i++;
        }
    }
}

static void where_free(Where *w)
{
    ll_strmap_release(&w->names[0]);
    ll_strmap_release(&w->names[1]);
    LL_VEC_FREE(&w->pos);
    LL_VEC_FREE(&w->line_starts);
}

static void where_linecol(const Where *w, const char *t, size_t off, unsigned *line, unsigned *col)
{
    size_t lo = 0, hi = w->line_starts.len;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->line_starts.items[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = (unsigned)lo + 1;
    *col = 1 + (unsigned)ll_utf8_count(t + w->line_starts.items[lo], off - w->line_starts.items[lo]);
}

static void json_diag(LLDepList *out, LLJsonCtx *c, const char *ptr, const char *msg)
{
    (void)ll_json_fail(c, ptr, "%s", msg);
    ll_deps__diag(out, c->err->file, c->err->line, c->err->col, LL_SEV_ERROR, LL_ERR_CONFIG, "%s",
                  c->err->msg);
}

static void section(LLDepList *out, LLJsonCtx *c, const Where *w, const cJSON *root, const char *name)
{
    int which = strcmp(name, "develop") == 0 ? 1 : 0;
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, name);
    if (!sec)
        return;
    char base[32];
    snprintf(base, sizeof base, "/%s", name);
    if (!cJSON_IsObject(sec)) {
        json_diag(out, c, base, "must be an object (package name -> entry)");
        return;
    }
    LLBuf ptr, vptr;
    ll_buf_init(&ptr);
    ll_buf_init(&vptr);
    const char *group = strcmp(name, "develop") == 0 ? "develop" : NULL;
    for (const cJSON *e = sec->child; e; e = e->next) {
        ptr_join(&ptr, base, e->string);
        if (!ll_pkg_name_valid(e->string, strlen(e->string))) {
            json_diag(out, c, ptr.data, "not a package name");
            continue;
        }
        if (!cJSON_IsObject(e)) {
            json_diag(out, c, ptr.data, "must be an object ({\"version\": \"==...\", ...})");
            continue;
        }
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(e, "version");
        const cJSON *mk = cJSON_GetObjectItemCaseSensitive(e, "markers");
        const char *marker = cJSON_IsString(mk) ? mk->valuestring : NULL;
        ll_buf_reset(&vptr);
        ll_buf_printf(&vptr, "%s/version", ptr.data);
        unsigned line, col;
        intptr_t idx;
        size_t off = SIZE_MAX;
        if (ll_strmap_get(&w->names[which], e->string, strlen(e->string), &idx))
            off = ver ? w->pos.items[idx].version : w->pos.items[idx].entry;
        if (off == SIZE_MAX) /* not found by the pass (an escaped key): the slow way */
            off = ll_jsonloc_find(c->text, c->len, ver ? vptr.data : ptr.data);
        where_linecol(w, c->text, off, &line, &col);
        if (!ver) {
            ll_deps__add(out, e->string, strlen(e->string), NULL, false, LL_DEPSRC_LOCKED,
                         LL_DEPFMT_PIPFILE_LOCK, c->origin, line, col, "", marker, group);
            continue;
        }
        if (!cJSON_IsString(ver)) {
            json_diag(out, c, vptr.data, "must be a string (\"==2.4.0\")");
            continue;
        }
        LLVerSet set = {0};
        LLVerError verr;
        memset(&verr, 0, sizeof verr);
        LLStatus st = ll_verset_parse(&set, ver->valuestring, strlen(ver->valuestring), &verr);
        if (st != LL_OK) {
            LLBuf m;
            ll_buf_init(&m);
            ll_buf_printf(&m, "\"%s\": %s", ver->valuestring, verr.msg);
            json_diag(out, c, vptr.data, m.data);
            ll_buf_release(&m);
            continue;
        }
        ll_deps__add(out, e->string, strlen(e->string), &set, true, LL_DEPSRC_LOCKED,
                     LL_DEPFMT_PIPFILE_LOCK, c->origin, line, col, ver->valuestring, marker, group);
        ll_verset_free(&set);
    }
    ll_buf_release(&ptr);
    ll_buf_release(&vptr);
}

LLStatus ll_deps_parse_pipfile_lock(LLDepList *out, const char *path, const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) { /* jsonrd refuses it too, without a position */
        unsigned line, col;
        ll_deps__linecol(text, len, (size_t)(nul - text), &line, &col);
        ll_deps__diag(out, path, line, col, LL_SEV_ERROR, LL_ERR_CONFIG, "file contains a NUL byte");
        return LL_ERR_CONFIG;
    }
    char *copy = ll_xmalloc(len + 1); /* jsonrd wants text[len] == '\0' */
    memcpy(copy, text, len);
    copy[len] = '\0';
    LLError err;
    memset(&err, 0, sizeof err);
    LLJsonCtx c = {path, copy, len, &err, LL_ERR_CONFIG};
    cJSON *root = NULL;
    LLStatus st = ll_json_parse(&c, LL_DEPS_MAX_FILE_BYTES, &root);
    if (st != LL_OK) {
        ll_deps__diag(out, path, err.line, err.col, LL_SEV_ERROR, st, "%s", err.msg);
        free(copy);
        return st;
    }
    Where w;
    memset(&w, 0, sizeof w);
    where_scan(&w, copy, len);
    section(out, &c, &w, root, "default");
    section(out, &c, &w, root, "develop");
    where_free(&w);
    cJSON_Delete(root);
    free(copy);
    return LL_OK;
}
