/* digest.h - the result cache's digests: SipHash-2-4 with a 128-bit output.
 *
 * SipHash (Aumasson and Bernstein, 2012) is a keyed pseudorandom function:
 * without the key nobody can make two inputs share a digest on purpose,
 * which matters here because the cache trusts a file's cached findings when
 * its bytes have the digest they had (a crafted file must not pass for a
 * clean one). Each cache directory holds its own random key (store.h); the
 * checksums of cache entries use the fixed key LL_DIGEST_CHECKSUM_KEY
 * (integrity against torn or damaged files, not against people who can
 * write the cache: whoever can write the cache can change the results).
 * Written from the paper's description; tests/unit/test_rcache.c checks
 * the paper's test vector.
 *
 * A digest is streamed: ll_digest_init, any number of ll_digest_put*,
 * ll_digest_final. Sets are digested without an order by adding the
 * digests of their members (ll_digest_add): equal sets, equal sums.
 *
 * Ownership: plain values; no allocation, no global state. */
#ifndef LL_RCACHE_DIGEST_H
#define LL_RCACHE_DIGEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LLDigest {
    uint64_t lo, hi;
} LLDigest;

typedef struct LLDigestKey {
    uint64_t k0, k1;
} LLDigestKey;

/* The key of entry checksums and of digests that are not about file
 * contents (any fixed value works; this one spells "loadlint rcache."). */
#define LL_DIGEST_CHECKSUM_KEY ((LLDigestKey){0x746e696c64616f6cull, 0x2e65686361637220ull})

typedef struct LLDigestState {
    uint64_t v0, v1, v2, v3;
    uint64_t tail;   /* bytes not yet in a full 8-byte block (little-endian) */
    unsigned ntail;  /* how many */
    uint64_t total;  /* bytes so far */
} LLDigestState;

void ll_digest_init(LLDigestState *s, LLDigestKey key);
void ll_digest_put(LLDigestState *s, const void *data, size_t len);
/* Typed puts; strings carry their length (and NULL differs from ""), so
 * that consecutive fields cannot run into each other. */
void ll_digest_put_u64(LLDigestState *s, uint64_t v);
void ll_digest_put_str(LLDigestState *s, const char *str);
void ll_digest_put_digest(LLDigestState *s, LLDigest d);
LLDigest ll_digest_final(LLDigestState *s);

/* The digest of one buffer; the 64-bit SipHash-2-4 of it (the paper's
 * function, for the test vector). */
LLDigest ll_digest_bytes(LLDigestKey key, const void *data, size_t len);
uint64_t ll_digest_siphash64(LLDigestKey key, const void *data, size_t len);

/* Sums (lane by lane, modulo 2^64): the digest of a set. */
static inline void ll_digest_add(LLDigest *sum, LLDigest d)
{
    sum->lo += d.lo;
    sum->hi += d.hi;
}
static inline bool ll_digest_eq(LLDigest a, LLDigest b)
{
    return a.lo == b.lo && a.hi == b.hi;
}
/* 32 hex digits and a NUL. */
void ll_digest_hex(LLDigest d, char out[33]);

#endif
