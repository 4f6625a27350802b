/* store.h - the result cache's directory: entries on disk, shared safely by
 * any number of loadlint processes at once.
 *
 * Layout of a cache directory (default .loadlint_cache in the project root):
 *   .gitignore      "*": git ignores the whole directory (as .ruff_cache)
 *   CACHEDIR.TAG    the cache-directory tag (bford.info/cachedir): backup
 *                   tools skip it, and so does loadlint's walk (discover.h)
 *   key             16 random bytes (+ magic, checksum): the key of the
 *                   content digests (digest.h), made on first use
 *   v<FORMAT>/pack-<scope>   one pack per project root (`scope`)
 *
 * An entry is a 32-byte header (LL_RCACHE_MAGIC, the format version, the
 * body's length, the body's 64-bit SipHash under LL_DIGEST_CHECKSUM_KEY)
 * and its body; it is found by a name (a digest) and an ordinal. A pack is
 * a header (LL_RCACHE_PACK_MAGIC, the format, where its index is, the
 * index's checksum), the entries one after the other, and the index (name,
 * ordinal, age, offset, length of each). A run reads the index once and
 * each entry it needs with pread; the entries it writes go to a temporary
 * journal; at its end, when it wrote anything, it writes a new pack (the
 * entries it used or wrote, the others one run older, those older than
 * LL_RCACHE_MAX_IDLE_RUNS left out) to a temporary file and renames it over
 * the old one. So a reader always sees one whole pack: the one it opened
 * stays readable while another process replaces it, and a crash leaves a
 * temporary file that a later sweep removes. Two runs ending at once: the
 * last rename wins and the other's new entries are made again next time
 * (never a mix). Every entry read is checked (size, magic, version,
 * checksum): a damaged, truncated or foreign pack or entry is reported
 * (with the reason) and never used, and is not copied into the next pack.
 *
 * Size: an entry larger than LL_RCACHE_MAX_ENTRY_BYTES is neither written
 * nor read. A new pack keeps at most max_bytes: past that the entries used
 * least recently are left out (and that is reported). After writing, the
 * directory is swept: packs of other project roots and formats, least
 * recently written first, are removed while the directory holds more than
 * max_bytes (reported too), and temporary files older than
 * LL_RCACHE_TEMP_MAX_AGE_SECONDS are removed.
 *
 * Ownership: the store owns its strings, files and index; release frees
 * them. ll_rcache_store_get / _put / _used may run on several threads at
 * once (pread; a mutex around the journal); open, commit and release run
 * on one. No global state. */
#ifndef LL_RCACHE_STORE_H
#define LL_RCACHE_STORE_H
#include "base/buf.h"
#include "base/vec.h"
#include "rcache/digest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_RCACHE_DIR_NAME ".loadlint_cache"
#define LL_RCACHE_MAGIC "LLRCACHE"
#define LL_RCACHE_PACK_MAGIC "LLRCPACK"
#define LL_RCACHE_HEADER_BYTES 32u
#define LL_RCACHE_PACK_HEADER_BYTES 40u
/* one entry, header included */
#define LL_RCACHE_MAX_ENTRY_BYTES (16u * 1024u * 1024u)
/* the whole directory, and one pack (ll_rcache_store_open's max_bytes 0) */
#define LL_RCACHE_MAX_BYTES (512ull * 1024u * 1024u)
/* entries in one pack's index (more: the pack is not read, and that is reported) */
#define LL_RCACHE_MAX_PACK_ENTRIES 8000000u
/* runs of a project an entry survives unused */
#define LL_RCACHE_MAX_IDLE_RUNS 16u
/* temporary files older than this are a crashed writer's */
#define LL_RCACHE_TEMP_MAX_AGE_SECONDS 3600
/* the `key` file's size: magic (8), key (16), checksum (8) */
#define LL_RCACHE_KEY_FILE_BYTES 32u

/* One entry of a pack's index. */
typedef struct LLRcachePackEntry {
    LLDigest name;
    uint32_t ordinal;
    uint32_t age;    /* runs since it was last used */
    uint64_t offset; /* of its header, in the pack (or the journal: fresh ones) */
    uint32_t length; /* header included */
} LLRcachePackEntry;

typedef struct LLRcacheStore {
    char *dir;          /* the cache directory */
    char *entries;      /* dir + "/v<FORMAT>" */
    char *pack_path;    /* entries + "/pack-<scope>" */
    LLDigestKey key;    /* of content digests */
    uint64_t max_bytes;
    /* the pack as it was when opened */
    int pack_fd;        /* -1: none */
    LLRcachePackEntry *old;
    size_t nold;
    uint32_t *table;    /* open addressing: index in old + 1 */
    size_t table_cap;
    atomic_uchar *used; /* per old entry: read by this run */
    /* this run's entries */
    pthread_mutex_t lock;
    int journal_fd;     /* -1: not made yet */
    char *journal_path;
    uint64_t journal_len;
    LL_VEC(LLRcachePackEntry) fresh;
    atomic_uint temp_seq; /* temporary file names of this process */
    bool reopen;          /* committed: the next run reads the new pack */
} LLRcacheStore;

typedef enum LLRcacheEntryStatus {
    LL_RCACHE_ENTRY_OK,
    LL_RCACHE_ENTRY_MISSING,
    LL_RCACHE_ENTRY_BAD, /* unreadable, damaged, truncated or foreign: `why` says which */
} LLRcacheEntryStatus;

/* Creates the directory (and its .gitignore, CACHEDIR.TAG, key) when
 * missing and reads the pack of `scope` (a project root). False, with the
 * reason appended to `why`, when the directory cannot be used; `warnings`
 * receives lesser problems (a damaged key or pack: made again), one per
 * line. */
bool ll_rcache_store_open(LLRcacheStore *st, const char *dir, const char *scope,
                          uint64_t max_bytes, LLBuf *why, LLBuf *warnings);
void ll_rcache_store_release(LLRcacheStore *st);

/* Checks a whole entry's bytes; on success *body and *len are its body
 * (inside `data`). `why` is a constant string on failure. Pure: the fuzz
 * target's way in. */
bool ll_rcache_entry_check(const uint8_t *data, size_t n, const uint8_t **body, size_t *len,
                           const char **why);
/* Appends the header for `body` to out, then the body. */
void ll_rcache_entry_build(LLBuf *out, const void *body, size_t len);

/* Before a run (after the first): reads the pack the last commit wrote. */
void ll_rcache_store_begin(LLRcacheStore *st, LLBuf *warnings);
/* The entry (name, ordinal) of the pack: OK with the whole entry in *data
 * (malloc'd; the body at *body), MISSING, or BAD with the reason in `why`.
 * An entry read is kept in the next pack. */
LLRcacheEntryStatus ll_rcache_store_get(LLRcacheStore *st, LLDigest name, unsigned ordinal,
                                        uint8_t **data, const uint8_t **body, size_t *len,
                                        LLBuf *why);
/* Adds an entry for the next pack (it replaces one of the same name and
 * ordinal); false with the reason. */
bool ll_rcache_store_put(LLRcacheStore *st, LLDigest name, unsigned ordinal, const void *body,
                         size_t len, LLBuf *why);
/* After a run: writes the next pack when this run added entries, then
 * sweeps the directory; what could not be done, or was dropped for size,
 * is appended to `warnings`. */
void ll_rcache_store_commit(LLRcacheStore *st, LLBuf *warnings);

#endif
