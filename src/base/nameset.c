#include "base/nameset.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

/* Byte classes of identifiers: 1 starts or continues one (ASCII letters,
 * '_', every byte of a UTF-8 sequence), 2 continues one (digits), 0 ends
 * it. Constant: the per-byte test of ll_identset_build. */
const uint8_t ll_ident_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static bool ident_byte(unsigned char c) { return ll_ident_class[c] != 0; }

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
    LL_VEC_FREE(&s->seg_text);
    LL_VEC_FREE(&s->seg_len);
    LL_VEC_FREE(&s->seg_hash);
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
            if ((uint32_t)slot->value == s->nseg) {
                s->nseg++;
                LL_VEC_PUSH(&s->seg_text, p);
                LL_VEC_PUSH(&s->seg_len, len);
                LL_VEC_PUSH(&s->seg_hash, ll_strmap_hash(p, len));
            }
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

void ll_identset_init(LLIdentSet *s) { memset(s, 0, sizeof *s); }

void ll_identset_release(LLIdentSet *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}

static void identset_insert(LLIdentSet *s, uint64_t h)
{
    if ((s->count + 1) * 2 > s->cap) {
        size_t oldcap = s->cap;
        uint64_t *old = s->slots;
        s->cap = oldcap ? oldcap * 2 : 1024;
        s->slots = ll_xcalloc(s->cap, sizeof *s->slots);
        s->count = 0;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i])
                identset_insert(s, old[i]);
        free(old);
    }
    for (size_t i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == h)
            return;
        if (!s->slots[i]) {
            s->slots[i] = h;
            s->count++;
            return;
        }
    }
}

static bool identset_has(const LLIdentSet *s, uint64_t h)
{
    if (!s->cap)
        return false;
    for (size_t i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == h)
            return true;
        if (!s->slots[i])
            return false;
    }
}

void ll_identset_clear(LLIdentSet *s)
{
    /* reused file after file: after a file with many names, do not clear
     * (and walk, for Bloom filters) its large table for every small one */
    if (s->cap > LL_IDENTSET_KEEP_SLOTS && s->count * 8 < s->cap) {
        free(s->slots);
        s->slots = NULL;
        s->cap = 0;
    }
    if (s->slots)
        memset(s->slots, 0, s->cap * sizeof *s->slots);
    s->count = 0;
}

void ll_identset_add(LLIdentSet *s, uint64_t hash) { identset_insert(s, hash | 1); }

bool ll_identset_has(const LLIdentSet *s, uint64_t hash) { return identset_has(s, hash | 1); }

/* The hash of the identifier at *q (ll_strmap_hash, low bit set), with *q
 * moved past it. */
static inline uint64_t hash_word(const unsigned char **q, const unsigned char *end)
{
    uint64_t h = LL_STRMAP_HASH_SEED;
    while (*q < end && ll_ident_class[**q]) {
        h ^= *(*q)++;
        h *= LL_STRMAP_HASH_PRIME;
    }
    return h | 1;
}

/* The next identifier at or after p (numbers are skipped): sets *start
 * and *hash (ll_strmap_hash's value, computed while the word is read: this
 * runs over every byte of every file) and returns where it ends; NULL when
 * there is none. */
static inline const unsigned char *next_word(const unsigned char *p, const unsigned char *end,
                                             const unsigned char **start, uint64_t *hash)
{
    while (p < end) {
        if (!ll_ident_class[*p]) {
            p++;
            continue;
        }
        if (ll_ident_class[*p] == 2) { /* a number */
            while (p < end && ll_ident_class[*p])
                p++;
            continue;
        }
        *start = p;
        *hash = hash_word(&p, end);
        return p;
    }
    return NULL;
}

static void identset_scan(LLIdentSet *s, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len, *w;
    uint64_t h;
    while ((p = next_word(p, end, &w, &h)))
        identset_insert(s, h);
}

void ll_identset_add_keys(LLIdentSet *s, const LLStrMap *keys)
{
    for (size_t i = 0; keys && i < keys->cap; i++)
        if (keys->slots[i].hash)
            identset_insert(s, keys->slots[i].hash);
}

void ll_text_identifier_offsets(const char *text, size_t len, const LLIdentSet *wanted,
                                LLOffsets *out)
{
    if (!wanted->count)
        return;
    const unsigned char *p = (const unsigned char *)text, *end = p + len, *w;
    uint64_t h;
    while ((p = next_word(p, end, &w, &h)))
        if (identset_has(wanted, h))
            LL_VEC_PUSH(out, (uint32_t)(w - (const unsigned char *)text));
}

void ll_identset_add_words(LLIdentSet *s, const char *text, size_t len)
{
    identset_scan(s, text, len);
}

const char *ll_identset_add_words_until(LLIdentSet *s, const char *p, const char *end,
                                        const bool stop[256])
{
    const unsigned char *q = (const unsigned char *)p, *e = (const unsigned char *)end;
    while (q < e) {
        unsigned char c = *q;
        if (!ll_ident_class[c]) {
            if (stop[c])
                break;
            q++;
            continue;
        }
        if (ll_ident_class[c] == 2) { /* a number */
            while (q < e && ll_ident_class[*q])
                q++;
            continue;
        }
        identset_insert(s, hash_word(&q, e));
    }
    return (const char *)q;
}

void ll_identset_build(LLIdentSet *s, const char *text, size_t len, const char *extra)
{
    ll_identset_clear(s);
    identset_scan(s, text, len);
    if (extra)
        identset_scan(s, extra, strlen(extra));
}

bool ll_nameset_match_set(const LLNameSet *n, const LLIdentSet *ids)
{
    for (size_t i = 0; i < n->groups.len;) {
        uint32_t k = n->groups.items[i++];
        bool all = true;
        for (uint32_t j = 0; j < k && all; j++)
            all = identset_has(ids, n->seg_hash.items[n->groups.items[i + j]]);
        if (all)
            return true;
        i += k;
    }
    return false;
}

size_t ll_nameset_matching_lasts(const LLNameSet *n, const LLIdentSet *ids, LLIdentSet *single,
                                 LLIdentSet *dotted)
{
    size_t names = 0;
    for (size_t i = 0; i < n->groups.len;) {
        uint32_t k = n->groups.items[i++];
        bool all = true;
        for (uint32_t j = 0; j < k && all; j++)
            all = identset_has(ids, n->seg_hash.items[n->groups.items[i + j]]);
        if (all && k) {
            names++;
            identset_insert(k == 1 ? single : dotted, n->seg_hash.items[n->groups.items[i + k - 1]] | 1);
        }
        i += k;
    }
    return names;
}

enum {
    GENERAL_BITS = LL_NAMESET_BLOOM_GENERAL_WORDS * 64,
    DOMAIN_BITS = (LL_NAMESET_BLOOM_WORDS - LL_NAMESET_BLOOM_GENERAL_WORDS) * 64,
};
_Static_assert(LL_NAMESET_BLOOM_GENERAL_WORDS < LL_NAMESET_BLOOM_WORDS, "no domain part");

/* Two bit positions of a hash in the general part, and in the domain part. */
static void bloom_bits(uint64_t h, size_t *a, size_t *b)
{
    *a = (size_t)(h % GENERAL_BITS);
    *b = (size_t)((h >> 32) % GENERAL_BITS);
}

static void domain_bits(uint64_t h, size_t *a, size_t *b)
{
    *a = GENERAL_BITS + (size_t)((h >> 7) % DOMAIN_BITS);
    *b = GENERAL_BITS + (size_t)((h >> 40) % DOMAIN_BITS);
}

static void bloom_set(uint64_t bloom[LL_NAMESET_BLOOM_WORDS], size_t a, size_t b)
{
    bloom[a / 64] |= 1ull << (a % 64);
    bloom[b / 64] |= 1ull << (b % 64);
}

static bool bloom_test(const uint64_t bloom[LL_NAMESET_BLOOM_WORDS], size_t a, size_t b)
{
    return (bloom[a / 64] >> (a % 64) & 1) && (bloom[b / 64] >> (b % 64) & 1);
}

void ll_nameset_bloom(const LLIdentSet *ids, const LLIdentSet *domain,
                      uint64_t bloom[LL_NAMESET_BLOOM_WORDS])
{
    memset(bloom, 0, LL_NAMESET_BLOOM_WORDS * sizeof *bloom);
    for (size_t i = 0; i < ids->cap; i++) {
        if (!ids->slots[i])
            continue;
        size_t a, b;
        bloom_bits(ids->slots[i], &a, &b);
        bloom_set(bloom, a, b);
        if (domain && identset_has(domain, ids->slots[i])) {
            domain_bits(ids->slots[i], &a, &b);
            bloom_set(bloom, a, b);
        }
    }
}

/* Whether a segment (its hash) may be in the filter. */
static bool bloom_has_segment(const uint64_t bloom[LL_NAMESET_BLOOM_WORDS], const LLIdentSet *domain,
                              uint64_t h)
{
    size_t a, b;
    bloom_bits(h, &a, &b);
    if (!bloom_test(bloom, a, b))
        return false;
    if (!domain || !identset_has(domain, h))
        return true;
    domain_bits(h, &a, &b);
    return bloom_test(bloom, a, b);
}

/* Whether every segment of the name at groups[off] is in the filter. */
static bool bloom_has_group(const LLNameSet *s, size_t off, const uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                            const LLIdentSet *domain)
{
    uint32_t n = s->groups.items[off];
    for (uint32_t k = 0; k < n; k++)
        if (!bloom_has_segment(bloom, domain, s->seg_hash.items[s->groups.items[off + 1 + k]]))
            return false;
    return true;
}

/* The segment of the name at groups[off] fewest names have (count: per
 * segment index, how many names hold it). */
static uint32_t rarest_segment(const LLNameSet *s, size_t off, const uint32_t *count)
{
    uint32_t n = s->groups.items[off], best = s->groups.items[off + 1];
    for (uint32_t k = 1; k < n; k++) {
        uint32_t seg = s->groups.items[off + 1 + k];
        if (count[seg] < count[best])
            best = seg;
    }
    return best;
}

_Static_assert(GENERAL_BITS <= 65536, "Bloom bits must fit LLNameSetBloomIndex.second");

void ll_nameset_bloom_index(LLNameSetBloomIndex *x, const LLNameSet *s, const LLIdentSet *domain)
{
    enum { BITS = GENERAL_BITS };
    memset(x, 0, sizeof *x);
    x->set = s;
    x->domain = domain;
    x->start = ll_xcalloc(BITS + 1, sizeof *x->start);
    /* every segment of a name must be in a filter for the name to match:
     * a name is filed under one Bloom bit of its rarest segment (names of
     * one package share their first segments) */
    uint32_t *count = ll_xcalloc(s->nseg ? s->nseg : 1, sizeof *count);
    size_t names = 0;
    for (size_t i = 0; i < s->groups.len; i += 1 + s->groups.items[i]) {
        for (uint32_t k = 0; k < s->groups.items[i]; k++)
            count[s->groups.items[i + 1 + k]]++;
        if (!s->groups.items[i])
            x->any = true;
        else
            names++;
    }
    uint32_t *bit = ll_xcalloc(s->nseg ? s->nseg : 1, sizeof *bit); /* per segment */
    for (uint32_t seg = 0; seg < s->nseg; seg++) {
        size_t a, b;
        bloom_bits(s->seg_hash.items[seg], &a, &b);
        bit[seg] = (uint32_t)a;
    }
    for (size_t i = 0; i < s->groups.len; i += 1 + s->groups.items[i])
        if (s->groups.items[i])
            x->start[bit[rarest_segment(s, i, count)] + 1]++;
    for (size_t p = 0; p < BITS; p++)
        x->start[p + 1] += x->start[p];
    x->group = ll_xcalloc(names ? names : 1, sizeof *x->group);
    x->second = ll_xcalloc(names ? names : 1, sizeof *x->second);
    uint32_t *fill = ll_xcalloc(BITS, sizeof *fill);
    for (size_t i = 0; i < s->groups.len; i += 1 + s->groups.items[i]) {
        if (!s->groups.items[i])
            continue;
        uint32_t seg = rarest_segment(s, i, count);
        size_t a, b;
        bloom_bits(s->seg_hash.items[seg], &a, &b);
        x->used[a / 64] |= 1ull << (a % 64);
        uint32_t at = x->start[a] + fill[a]++;
        x->group[at] = (uint32_t)i;
        x->second[at] = (uint16_t)b;
    }
    free(fill);
    free(bit);
    free(count);
}

bool ll_nameset_bloom_index_match(const LLNameSetBloomIndex *x,
                                  const uint64_t bloom[LL_NAMESET_BLOOM_WORDS])
{
    if (x->any)
        return true;
    for (size_t w = 0; w < LL_NAMESET_BLOOM_GENERAL_WORDS; w++) {
        for (uint64_t bits = bloom[w] & x->used[w]; bits; bits &= bits - 1) {
            size_t p = w * 64 + (size_t)__builtin_ctzll(bits);
            for (uint32_t j = x->start[p]; j < x->start[p + 1]; j++) {
                uint32_t q = x->second[j]; /* the segment's other bit first */
                if ((bloom[q / 64] >> (q % 64) & 1) &&
                    bloom_has_group(x->set, x->group[j], bloom, x->domain))
                    return true;
            }
        }
    }
    return false;
}

void ll_nameset_bloom_index_release(LLNameSetBloomIndex *x)
{
    free(x->start);
    free(x->group);
    free(x->second);
    memset(x, 0, sizeof *x);
}

bool ll_nameset_bloom_match(const LLNameSet *s, const uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                            const LLIdentSet *domain)
{
    for (size_t i = 0; i < s->groups.len; i += 1 + s->groups.items[i])
        if (bloom_has_group(s, i, bloom, domain))
            return true;
    return false;
}

void ll_identset_add_prefixes(LLIdentSet *s, const char *name)
{
    uint64_t h = LL_STRMAP_HASH_SEED;
    for (size_t k = 0;; k++) {
        char c = name[k];
        if ((c == '.' || c == '\0') && k)
            identset_insert(s, h | 1);
        if (c == '\0')
            return;
        h ^= (unsigned char)c;
        h *= LL_STRMAP_HASH_PRIME;
    }
}

bool ll_dotted_longest_key(const LLStrMap *map, const LLIdentSet *prefixes, const char *name,
                           size_t *klen, intptr_t *value)
{
    bool found = false;
    uint64_t h = LL_STRMAP_HASH_SEED;
    for (size_t k = 0;; k++) {
        char c = name[k];
        if ((c == '.' || c == '\0') && k) {
            uint64_t hk = h | 1; /* ll_strmap_hash(name, k) */
            if (!identset_has(prefixes, hk))
                break;
            intptr_t v;
            if (ll_strmap_get_hashed(map, name, k, hk, &v)) {
                found = true;
                *klen = k;
                *value = v;
            }
        }
        if (c == '\0')
            break;
        h ^= (unsigned char)c;
        h *= LL_STRMAP_HASH_PRIME;
    }
    return found;
}
