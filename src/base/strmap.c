#include "base/strmap.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

uint64_t ll_strmap_hash(const char *key, size_t len)
{
    /* FNV-1a, 64-bit. */
    uint64_t h = LL_STRMAP_HASH_SEED;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= LL_STRMAP_HASH_PRIME;
    }
    return h | 1; /* 0 marks an empty slot */
}

void ll_strmap_init(LLStrMap *m) { memset(m, 0, sizeof *m); }

void ll_strmap_release(LLStrMap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

void ll_strmap_clear(LLStrMap *m)
{
    /* a map reused file after file: after one large file, do not clear
     * (and keep) its large table for every small one */
    if (m->cap > LL_STRMAP_KEEP_SLOTS && m->count * 8 < m->cap) {
        free(m->slots);
        m->slots = NULL;
        m->cap = 0;
    }
    if (m->slots)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->count = 0;
}

static LLStrMapSlot *find(const LLStrMap *m, const char *key, size_t len,
                          uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        LLStrMapSlot *s = &m->slots[i];
        if (!s->hash)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

static void grow(LLStrMap *m)
{
    LLStrMapSlot *old = m->slots;
    size_t oldcap = m->cap;
    m->cap = oldcap ? oldcap * 2 : 16;
    m->slots = ll_xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].hash)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    }
    free(old);
}

LLStrMapSlot *ll_strmap_slot(LLStrMap *m, const char *key, size_t len,
                             intptr_t def)
{
    if ((m->count + 1) * 4 > m->cap * 3)
        grow(m);
    uint64_t h = ll_strmap_hash(key, len);
    LLStrMapSlot *s = find(m, key, len, h);
    if (!s->hash) {
        s->hash = h;
        s->key = key;
        s->len = len;
        s->value = def;
        m->count++;
    }
    return s;
}

void ll_strmap_put(LLStrMap *m, const char *key, size_t len, intptr_t value)
{
    ll_strmap_slot(m, key, len, value)->value = value;
}

bool ll_strmap_get(const LLStrMap *m, const char *key, size_t len,
                   intptr_t *value)
{
    if (!m->count)
        return false;
    return ll_strmap_get_hashed(m, key, len, ll_strmap_hash(key, len), value);
}

bool ll_strmap_get_hashed(const LLStrMap *m, const char *key, size_t len, uint64_t hash,
                          intptr_t *value)
{
    if (!m->count)
        return false;
    LLStrMapSlot *s = find(m, key, len, hash);
    if (!s->hash)
        return false;
    if (value)
        *value = s->value;
    return true;
}
