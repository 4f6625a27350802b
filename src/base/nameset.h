/* nameset.h - "could this text mention this dotted name?", for many names.
 *
 * A name such as torch.hub.load is kept as the group of its segments
 * ("torch", "hub", "load"; "()" of call results is dropped). A text may
 * mention the name when every segment of its group appears in the text as
 * an identifier, or in an extra dotted string (a file's own module name,
 * which relative imports use without spelling it). Identifiers are runs of
 * ASCII letters, digits, '_' and bytes >= 0x80 not starting with a digit;
 * strings and comments are scanned like code. One pass over the text.
 *
 * Ownership: the set copies the names it is given and owns everything. */
#ifndef LL_NAMESET_H
#define LL_NAMESET_H
#include "base/strmap.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LLNameSet {
    LLStrMap segments;          /* segment -> index */
    uint32_t nseg;
    LL_VEC(uint32_t) groups;    /* per name: count, then segment indexes */
    LL_VEC(char *) owned;       /* copies the segment keys point into */
    LLStrMap names;             /* names added (keys in owned) */
    LLStrMap lasts;             /* the last segment of each name */
    LL_VEC(const char *) seg_text; /* per segment index: its text (in owned) */
    LL_VEC(size_t) seg_len;
    LL_VEC(uint64_t) seg_hash;  /* per segment index: ll_strmap_hash of it */
} LLNameSet;

void ll_nameset_init(LLNameSet *s);
void ll_nameset_release(LLNameSet *s);
/* Adds a dotted name; false when it was already there. */
bool ll_nameset_add(LLNameSet *s, const char *name);
bool ll_nameset_empty(const LLNameSet *s);
/* True when some name of the set may be mentioned by `text` (+ `extra`). */
bool ll_nameset_match(const LLNameSet *s, const char *text, size_t len,
                      const char *extra);
/* Bytes of identifiers: 0 none; 1 starts or continues one (ASCII letters,
 * '_', bytes >= 0x80); 2 a digit (continues one; a run starting with one is
 * a number). Identifier hashes are ll_strmap_hash of their bytes. */
extern const uint8_t ll_ident_class[256];
/* The distinct identifiers of one text, as hashes (an open-addressing set
 * owned by its user and reused from text to text): one pass over a file,
 * then any number of name sets are checked against it. */
/* ll_identset_clear keeps a table of up to this many slots, or one at most
 * 8 times larger than what it held */
#define LL_IDENTSET_KEEP_SLOTS 4096u

typedef struct LLIdentSet {
    uint64_t *slots; /* 0: empty */
    size_t cap, count;
} LLIdentSet;

void ll_identset_init(LLIdentSet *s);
void ll_identset_release(LLIdentSet *s);
/* Clears the set and fills it with the identifiers of text and of extra. */
void ll_identset_build(LLIdentSet *s, const char *text, size_t len, const char *extra);
/* Adds the identifiers of text[0, len) to s (as ll_identset_build, without
 * clearing it first). */
void ll_identset_add_words(LLIdentSet *s, const char *text, size_t len);
/* Adds the identifiers from p on, up to the first byte that `stop` marks
 * (stop must mark no identifier byte: ll_ident_class 0), and returns its
 * position, or end. */
const char *ll_identset_add_words_until(LLIdentSet *s, const char *p, const char *end,
                                        const bool stop[256]);
/* The set as a plain set of hashes (ll_strmap_hash values, never 0). */
void ll_identset_clear(LLIdentSet *s);
void ll_identset_add(LLIdentSet *s, uint64_t hash);
bool ll_identset_has(const LLIdentSet *s, uint64_t hash);
/* ll_nameset_match on the text the set was built from. */
bool ll_nameset_match_set(const LLNameSet *n, const LLIdentSet *ids);

/* A Bloom filter of a text's identifiers (LL_NAMESET_BLOOM_WORDS words): a
 * skipped file keeps one, so that later passes can ask whether it may
 * mention new names without reading it again. False positives only cost a
 * read; there are no false negatives. The first
 * LL_NAMESET_BLOOM_GENERAL_WORDS words hold every identifier; the others
 * only those of a `domain` (the segments of the project's module names and
 * of the names rules mention: a few per file, where a large file fills the
 * general part): a segment of the domain must be in both parts. Filters
 * are tested with the domain they were made with (NULL: none). */
#define LL_NAMESET_BLOOM_WORDS 32u
#define LL_NAMESET_BLOOM_GENERAL_WORDS 24u
void ll_nameset_bloom(const LLIdentSet *ids, const LLIdentSet *domain,
                      uint64_t bloom[LL_NAMESET_BLOOM_WORDS]);
bool ll_nameset_bloom_match(const LLNameSet *s, const uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                            const LLIdentSet *domain);
/* The names of a set by one Bloom bit of their rarest segment, to test
 * many filters against one large set: the answers of
 * ll_nameset_bloom_match, in time proportional to a filter's set bits and
 * the names that can match (the set's size otherwise). Valid while the set
 * is not changed; owns its arrays (ll_nameset_bloom_index_release). */
typedef struct LLNameSetBloomIndex {
    const LLNameSet *set;
    const LLIdentSet *domain;
    uint32_t *start; /* per bit position: where its names are in `group`; one more at the end */
    uint32_t *group; /* offsets of the names' groups in set->groups */
    uint16_t *second; /* per entry of `group`: the other Bloom bit of its segment */
    uint64_t used[LL_NAMESET_BLOOM_GENERAL_WORDS]; /* the bits some name is filed under */
    bool any;        /* a name without segments: every filter matches */
} LLNameSetBloomIndex;
void ll_nameset_bloom_index(LLNameSetBloomIndex *x, const LLNameSet *s, const LLIdentSet *domain);
bool ll_nameset_bloom_index_match(const LLNameSetBloomIndex *x,
                                  const uint64_t bloom[LL_NAMESET_BLOOM_WORDS]);
void ll_nameset_bloom_index_release(LLNameSetBloomIndex *x);
/* Adds the hashes of the keys of a string map to the set. */
void ll_identset_add_keys(LLIdentSet *s, const LLStrMap *keys);
/* Adds the hash of every dotted prefix of `name` ("a", "a.b", "a.b.c"). */
void ll_identset_add_prefixes(LLIdentSet *s, const char *name);
/* The longest key of `map` that is a dotted prefix of `name` (or name
 * itself): its length and value; false when none is. `prefixes` holds
 * every dotted prefix of every key (ll_identset_add_prefixes): the walk
 * stops at the first prefix of `name` it does not hold, so a name under
 * no key costs one lookup, and each prefix's hash is carried on from the
 * one before. */
bool ll_dotted_longest_key(const LLStrMap *map, const LLIdentSet *prefixes, const char *name,
                           size_t *klen, intptr_t *value);
/* Adds the last segment of every name of `n` whose segments are all in
 * `ids` (the names ll_nameset_match_set finds): of a one-segment name to
 * `single`, of a dotted one to `dotted`; returns how many names. */
size_t ll_nameset_matching_lasts(const LLNameSet *n, const LLIdentSet *ids, LLIdentSet *single,
                                 LLIdentSet *dotted);
/* Byte offsets (ascending) of the identifiers of `text` whose hashes are in
 * `wanted`, appended to `out`. */
typedef LL_VEC(uint32_t) LLOffsets;
void ll_text_identifier_offsets(const char *text, size_t len, const LLIdentSet *wanted,
                                LLOffsets *out);

#endif
