#include "base/nameset.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

static bool ident_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Calls fn(ctx, word, len) for each identifier; stops when it returns true. */
static bool each_identifier(const char *text, size_t len,
                            bool (*fn)(void *, const char *, size_t), void *ctx)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (!ident_byte(p[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && ident_byte(p[i]))
            i++;
        if (p[start] >= '0' && p[start] <= '9')
            continue; /* a number */
        if (fn(ctx, text + start, i - start))
            return true;
    }
    return false;
}

void ll_nameset_init(LLNameSet *s)
{
    memset(s, 0, sizeof *s);
    ll_strmap_init(&s->segments);
    ll_strmap_init(&s->names);
    ll_strmap_init(&s->lasts);
}

void ll_nameset_release(LLNameSet *s)
{
    ll_strmap_release(&s->segments);
    ll_strmap_release(&s->names);
    ll_strmap_release(&s->lasts);
    LL_VEC_FREE(&s->groups);
    for (size_t i = 0; i < s->owned.len; i++)
        free(s->owned.items[i]);
    LL_VEC_FREE(&s->owned);
}

bool ll_nameset_empty(const LLNameSet *s) { return s->groups.len == 0; }

bool ll_nameset_add(LLNameSet *s, const char *name)
{
    if (ll_strmap_get(&s->names, name, strlen(name), NULL))
        return false;
    char *copy = ll_xstrdup(name);
    LL_VEC_PUSH(&s->owned, copy);
    ll_strmap_put(&s->names, copy, strlen(copy), 1);
    size_t count_at = s->groups.len;
    LL_VEC_PUSH(&s->groups, 0u);
    uint32_t n = 0;
    const char *last = NULL;
    size_t last_len = 0;
    for (const char *p = copy; *p;) {
        size_t len = strcspn(p, ".()[]");
        if (len) {
            last = p;
            last_len = len;
            LLStrMapSlot *slot = ll_strmap_slot(&s->segments, p, len, (intptr_t)s->nseg);
            if ((uint32_t)slot->value == s->nseg)
                s->nseg++;
            LL_VEC_PUSH(&s->groups, (uint32_t)slot->value);
            n++;
        }
        p += len;
        while (*p && strchr(".()[]", *p))
            p++;
    }
    s->groups.items[count_at] = n;
    if (last)
        ll_strmap_put(&s->lasts, last, last_len, 1);
    return true;
}

typedef struct Seen {
    const LLNameSet *s;
    uint8_t *seen;
} Seen;

static bool mark(void *vctx, const char *w, size_t n)
{
    Seen *c = vctx;
    intptr_t idx;
    if (ll_strmap_get(&c->s->segments, w, n, &idx))
        c->seen[idx] = 1;
    return false;
}

bool ll_nameset_match(const LLNameSet *s, const char *text, size_t len,
                      const char *extra)
{
    if (!s->groups.len)
        return false;
    Seen c = {s, ll_xcalloc(s->nseg ? s->nseg : 1, 1)};
    each_identifier(text, len, mark, &c);
    if (extra)
        each_identifier(extra, strlen(extra), mark, &c);
    bool hit = false;
    for (size_t i = 0; i < s->groups.len && !hit;) {
        uint32_t n = s->groups.items[i++];
        bool all = true;
        for (uint32_t k = 0; k < n && all; k++)
            all = c.seen[s->groups.items[i + k]] != 0;
        hit = all;
        i += n;
    }
    free(c.seen);
    return hit;
}

typedef struct Any {
    const LLStrMap *a, *b;
} Any;

static bool in_any(void *vctx, const char *w, size_t n)
{
    const Any *m = vctx;
    return (m->a && m->a->count && ll_strmap_get(m->a, w, n, NULL)) ||
           (m->b && m->b->count && ll_strmap_get(m->b, w, n, NULL));
}

bool ll_text_has_identifier(const char *text, size_t len, const LLStrMap *a,
                            const LLStrMap *b)
{
    if ((!a || !a->count) && (!b || !b->count))
        return false;
    Any m = {a, b};
    return each_identifier(text, len, in_any, &m);
}
