#include "rcache/digest.h"

#include <stdio.h>
#include <string.h>

static inline uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

/* One SipRound (the paper's ARX network on the four state words). */
#define SIPROUND(v0, v1, v2, v3)                                                         \
    do {                                                                                 \
        v0 += v1;                                                                        \
        v1 = rotl(v1, 13);                                                               \
        v1 ^= v0;                                                                        \
        v0 = rotl(v0, 32);                                                               \
        v2 += v3;                                                                        \
        v3 = rotl(v3, 16);                                                               \
        v3 ^= v2;                                                                        \
        v0 += v3;                                                                        \
        v3 = rotl(v3, 21);                                                               \
        v3 ^= v0;                                                                        \
        v2 += v1;                                                                        \
        v1 = rotl(v1, 17);                                                               \
        v1 ^= v2;                                                                        \
        v2 = rotl(v2, 32);                                                               \
    } while (0)

static inline uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

/* The initial state; `wide` selects the 128-bit output variant. */
static void state_init(LLDigestState *s, LLDigestKey key, bool wide)
{
    s->v0 = key.k0 ^ 0x736f6d6570736575ull; /* "somepseudorandomlygeneratedbytes" */
    s->v1 = key.k1 ^ 0x646f72616e646f6dull;
    s->v2 = key.k0 ^ 0x6c7967656e657261ull;
    s->v3 = key.k1 ^ 0x7465646279746573ull;
    if (wide)
        s->v1 ^= 0xee;
    s->tail = 0;
    s->ntail = 0;
    s->total = 0;
}

void ll_digest_init(LLDigestState *s, LLDigestKey key)
{
    state_init(s, key, true);
}

static inline void compress(LLDigestState *s, uint64_t m)
{
    uint64_t v0 = s->v0, v1 = s->v1, v2 = s->v2, v3 = s->v3;
    v3 ^= m;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    v0 ^= m;
    s->v0 = v0, s->v1 = v1, s->v2 = v2, s->v3 = v3;
}

void ll_digest_put(LLDigestState *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    s->total += len;
    while (s->ntail && len) { /* finish a partial block first */
        s->tail |= (uint64_t)*p++ << (8 * s->ntail);
        len--;
        if (++s->ntail == 8) {
            compress(s, s->tail);
            s->tail = 0;
            s->ntail = 0;
        }
    }
    /* whole blocks, with the state in registers */
    uint64_t v0 = s->v0, v1 = s->v1, v2 = s->v2, v3 = s->v3;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t m = load_le64(p);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    s->v0 = v0, s->v1 = v1, s->v2 = v2, s->v3 = v3;
    for (; len; len--) {
        s->tail |= (uint64_t)*p++ << (8 * s->ntail);
        s->ntail++;
    }
}

void ll_digest_put_u64(LLDigestState *s, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    ll_digest_put(s, b, 8);
}

void ll_digest_put_str(LLDigestState *s, const char *str)
{
    if (!str) {
        ll_digest_put_u64(s, UINT64_MAX);
        return;
    }
    size_t n = strlen(str);
    ll_digest_put_u64(s, n);
    ll_digest_put(s, str, n);
}

void ll_digest_put_digest(LLDigestState *s, LLDigest d)
{
    ll_digest_put_u64(s, d.lo);
    ll_digest_put_u64(s, d.hi);
}

/* The last block (remaining bytes, length in the top byte), then the
 * finalisation rounds: 64 bits, or 128 with the wide variant. */
static uint64_t finish_block(LLDigestState *s)
{
    uint64_t b = s->tail | (s->total & 0xff) << 56;
    compress(s, b);
    return b;
}

static uint64_t final_rounds(LLDigestState *s, uint64_t xor_v2)
{
    uint64_t v0 = s->v0, v1 = s->v1, v2 = s->v2, v3 = s->v3;
    v2 ^= xor_v2;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    s->v0 = v0, s->v1 = v1, s->v2 = v2, s->v3 = v3;
    return v0 ^ v1 ^ v2 ^ v3;
}

LLDigest ll_digest_final(LLDigestState *s)
{
    finish_block(s);
    LLDigest d;
    d.lo = final_rounds(s, 0xee);
    s->v1 ^= 0xdd;
    d.hi = final_rounds(s, 0);
    return d;
}

LLDigest ll_digest_bytes(LLDigestKey key, const void *data, size_t len)
{
    LLDigestState s;
    ll_digest_init(&s, key);
    ll_digest_put(&s, data, len);
    return ll_digest_final(&s);
}

uint64_t ll_digest_siphash64(LLDigestKey key, const void *data, size_t len)
{
    LLDigestState s;
    state_init(&s, key, false);
    ll_digest_put(&s, data, len);
    finish_block(&s);
    return final_rounds(&s, 0xff);
}

void ll_digest_hex(LLDigest d, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)d.hi, (unsigned long long)d.lo);
}
