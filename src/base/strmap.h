/* strmap.h - open-addressing hash map from byte strings to pointer-sized values.
 *
 * Keys are borrowed: the map stores the key pointer and length, so the bytes
 * must outlive the map (rule names live in the ruleset, identifiers in the
 * source buffer). The map owns its slot table only. */
#ifndef LL_STRMAP_H
#define LL_STRMAP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LLStrMapSlot {
    const char *key;
    size_t len;
    uint64_t hash;
    intptr_t value;
} LLStrMapSlot;

/* ll_strmap_clear keeps a table of up to this many slots, or one at most
 * 8 times larger than what it held */
#define LL_STRMAP_KEEP_SLOTS 1024u

typedef struct LLStrMap {
    LLStrMapSlot *slots;
    size_t cap, count; /* cap is 0 or a power of two */
} LLStrMap;

/* FNV-1a, 64-bit, with the low bit set (0 marks an empty slot); the
 * constants are public for scanners that hash while they read. */
#define LL_STRMAP_HASH_SEED 1469598103934665603ull
#define LL_STRMAP_HASH_PRIME 1099511628211ull
uint64_t ll_strmap_hash(const char *key, size_t len);
void ll_strmap_init(LLStrMap *m);
void ll_strmap_release(LLStrMap *m);
void ll_strmap_clear(LLStrMap *m);
/* Inserts or replaces. */
void ll_strmap_put(LLStrMap *m, const char *key, size_t len, intptr_t value);
/* Returns true and sets *value when the key is present. */
bool ll_strmap_get(const LLStrMap *m, const char *key, size_t len, intptr_t *value);
/* The same, given the key's ll_strmap_hash (computed while it was read). */
bool ll_strmap_get_hashed(const LLStrMap *m, const char *key, size_t len, uint64_t hash,
                          intptr_t *value);
/* Returns the slot for key, inserting it with value `def` if missing. */
LLStrMapSlot *ll_strmap_slot(LLStrMap *m, const char *key, size_t len, intptr_t def);

#endif
