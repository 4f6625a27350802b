/* getrandom() is GNU/Linux, futimens/openat POSIX 2008 */
#define _GNU_SOURCE
#include "rcache/store.h"

#include "base/mem.h"
#include "base/vec.h"
#include "rcache/serial.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_MAGIC "LLRCKEY1"
#define CACHEDIR_TAG                                                                   \
    "Signature: 8a477f597d28d172789f06886806bc55\n"                                      \
    "# This file is a cache directory tag created by loadlint (its result cache).\n"    \
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
#define GITIGNORE "# Created by loadlint: its result cache, never committed.\n*\n"

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* mkdir -p; true when `path` is a directory at the end. */
static bool make_dirs(const char *path, LLBuf *why)
{
    char *p = ll_xstrdup(path);
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        struct stat sb;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            ll_buf_printf(why, "cannot create %s: %s", p, strerror(errno));
            ok = false;
        } else if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            ll_buf_printf(why, "%s is not a directory", p);
            ok = false;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return ok;
}

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* A new temporary file in directory `dir`: its path in `tmp`, an fd. */
static int open_temp(LLRcacheStore *st, const char *dir, LLBuf *tmp)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        ll_buf_reset(tmp);
        ll_buf_printf(tmp, "%s/.tmp-%ld-%u", dir, (long)getpid(),
                      atomic_fetch_add(&st->temp_seq, 1u));
        int fd = open(tmp->data, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* Writes data as file `path` (temporary file, then rename: readers see the
 * old file or the new one). `exclusive`: link instead of rename, so that an
 * existing file stays (the key: the first process to make it wins). */
static bool write_file_atomic(LLRcacheStore *st, const char *dir, const char *path,
                              const void *data, size_t len, bool exclusive, LLBuf *why)
{
    LLBuf tmp;
    ll_buf_init(&tmp);
    int fd = open_temp(st, dir, &tmp);
    bool ok = fd >= 0;
    if (!ok)
        ll_buf_printf(why, "cannot create a file in %s: %s", dir, strerror(errno));
    if (ok && !write_all(fd, data, len)) {
        ll_buf_printf(why, "cannot write %s: %s", tmp.data, strerror(errno));
        ok = false;
    }
    if (fd >= 0 && close(fd) != 0 && ok) {
        ll_buf_printf(why, "cannot write %s: %s", tmp.data, strerror(errno));
        ok = false;
    }
    if (ok && exclusive) {
        if (link(tmp.data, path) != 0 && errno != EEXIST) {
            ll_buf_printf(why, "cannot create %s: %s", path, strerror(errno));
            ok = false;
        }
    } else if (ok && rename(tmp.data, path) != 0) {
        ll_buf_printf(why, "cannot rename %s to %s: %s", tmp.data, path, strerror(errno));
        ok = false;
    }
    if (fd >= 0 && (exclusive || !ok))
        unlink(tmp.data);
    ll_buf_release(&tmp);
    return ok;
}

/* Reads at most `max` bytes of a regular file; -1: missing, 0: read, 1:
 * larger than max, 2: error (errno). */
static int read_small(const char *path, size_t max, LLBuf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? -1 : 2;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        errno = EINVAL;
        return 2;
    }
    if ((uint64_t)sb.st_size > max) {
        close(fd);
        return 1;
    }
    char chunk[4096];
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = 2;
        if (n <= 0)
            break;
        ll_buf_append(out, chunk, (size_t)n);
        if (out->len > max) {
            rc = 1;
            break;
        }
    }
    close(fd);
    return rc;
}

static bool key_parse(const LLBuf *b, LLDigestKey *key)
{
    const unsigned char *p = (const unsigned char *)b->data;
    if (b->len != LL_RCACHE_KEY_FILE_BYTES || memcmp(p, KEY_MAGIC, 8) != 0)
        return false;
    if (get_le(p + 24, 8) != ll_digest_siphash64(LL_DIGEST_CHECKSUM_KEY, p, 24))
        return false;
    key->k0 = get_le(p + 8, 8);
    key->k1 = get_le(p + 16, 8);
    return true;
}

/* The content key: read, or made (first writer wins), or remade when the
 * file is damaged. */
static bool open_key(LLRcacheStore *st, LLBuf *why, LLBuf *warnings)
{
    LLBuf path, b;
    ll_buf_init(&path);
    ll_buf_init(&b);
    ll_buf_printf(&path, "%s/key", st->dir);
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        ll_buf_reset(&b);
        int rc = read_small(path.data, LL_RCACHE_KEY_FILE_BYTES, &b);
        if (rc == 0 && key_parse(&b, &st->key)) {
            ok = true;
            break;
        }
        if (rc == 2) {
            ll_buf_printf(why, "cannot read %s: %s", path.data, strerror(errno));
            break;
        }
        unsigned char file[LL_RCACHE_KEY_FILE_BYTES], rnd[16];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
            ll_buf_printf(why, "no random bytes for the cache key: %s", strerror(errno));
            break;
        }
        memcpy(file, KEY_MAGIC, 8);
        memcpy(file + 8, rnd, 16);
        put_le(file + 24, ll_digest_siphash64(LL_DIGEST_CHECKSUM_KEY, file, 24), 8);
        bool damaged = rc != -1; /* there, but not a key */
        if (damaged)
            ll_buf_printf(warnings,
                          "the cache key %s is damaged: a new one is made, every cached result is "
                          "rebuilt\n",
                          path.data);
        if (!write_file_atomic(st, st->dir, path.data, file, sizeof file, !damaged, why))
            break;
    }
    if (!ok && !why->len)
        ll_buf_printf(why, "cannot make the cache key %s", path.data);
    ll_buf_release(&path);
    ll_buf_release(&b);
    return ok;
}

/* A small file the directory must hold (.gitignore, CACHEDIR.TAG). */
static bool ensure_file(LLRcacheStore *st, const char *name, const char *text, LLBuf *why)
{
    LLBuf path;
    ll_buf_init(&path);
    ll_buf_printf(&path, "%s/%s", st->dir, name);
    struct stat sb;
    bool ok = lstat(path.data, &sb) == 0 ||
              write_file_atomic(st, st->dir, path.data, text, strlen(text), true, why);
    ll_buf_release(&path);
    return ok;
}

bool ll_rcache_entry_check(const uint8_t *data, size_t n, const uint8_t **body, size_t *len,
                           const char **why)
{
    if (n < LL_RCACHE_HEADER_BYTES) {
        *why = "truncated (shorter than its header)";
        return false;
    }
    if (memcmp(data, LL_RCACHE_MAGIC, 8) != 0) {
        *why = "not a loadlint cache entry (no LLRCACHE header)";
        return false;
    }
    if (get_le(data + 8, 4) != LL_RCACHE_FORMAT || get_le(data + 12, 4) != 0) {
        *why = "written in another cache format";
        return false;
    }
    uint64_t blen = get_le(data + 16, 8);
    if (blen != n - LL_RCACHE_HEADER_BYTES) {
        *why = blen > n - LL_RCACHE_HEADER_BYTES ? "truncated" : "longer than its header says";
        return false;
    }
    if (get_le(data + 24, 8) !=
        ll_digest_siphash64(LL_DIGEST_CHECKSUM_KEY, data + LL_RCACHE_HEADER_BYTES, (size_t)blen)) {
        *why = "damaged (checksum mismatch)";
        return false;
    }
    *body = data + LL_RCACHE_HEADER_BYTES;
    *len = (size_t)blen;
    return true;
}

static void header_bytes(unsigned char h[LL_RCACHE_HEADER_BYTES], const void *body, size_t len)
{
    memcpy(h, LL_RCACHE_MAGIC, 8);
    put_le(h + 8, LL_RCACHE_FORMAT, 4);
    put_le(h + 12, 0, 4);
    put_le(h + 16, len, 8);
    put_le(h + 24, ll_digest_siphash64(LL_DIGEST_CHECKSUM_KEY, body, len), 8);
}

void ll_rcache_entry_build(LLBuf *out, const void *body, size_t len)
{
    unsigned char h[LL_RCACHE_HEADER_BYTES];
    header_bytes(h, body, len);
    ll_buf_append(out, h, sizeof h);
    ll_buf_append(out, body, len);
}


/* ---- the pack ---------------------------------------------------------------- */

static bool pread_all(int fd, void *buf, size_t len, uint64_t off)
{
    char *p = buf;
    while (len) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return true;
}

static size_t slot_of(LLDigest name, uint32_t ordinal, size_t cap)
{
    uint64_t h = name.lo ^ (name.hi >> 7) ^ ((uint64_t)ordinal * 0x9e3779b97f4a7c15ull);
    return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

static bool same_key(const LLRcachePackEntry *e, LLDigest name, uint32_t ordinal)
{
    return e->ordinal == ordinal && ll_digest_eq(e->name, name);
}

/* Index position + 1 of (name, ordinal) in st->old, or 0. */
static size_t old_find(const LLRcacheStore *st, LLDigest name, uint32_t ordinal)
{
    if (!st->table_cap)
        return 0;
    for (size_t i = slot_of(name, ordinal, st->table_cap);; i = (i + 1) & (st->table_cap - 1)) {
        uint32_t v = st->table[i];
        if (!v || same_key(&st->old[v - 1], name, ordinal))
            return v;
    }
}

/* Reads the pack's index into st->old; false with the reason. */
static bool pack_read_index(LLRcacheStore *st, const char **why)
{
    struct stat sb;
    unsigned char h[LL_RCACHE_PACK_HEADER_BYTES];
    if (fstat(st->pack_fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *why = "not a regular file";
        return false;
    }
    uint64_t size = (uint64_t)sb.st_size;
    if (size < sizeof h || !pread_all(st->pack_fd, h, sizeof h, 0)) {
        *why = "truncated (shorter than its header)";
        return false;
    }
    if (memcmp(h, LL_RCACHE_PACK_MAGIC, 8) != 0) {
        *why = "not a loadlint cache pack (no LLRCPACK header)";
        return false;
    }
    if (get_le(h + 8, 4) != LL_RCACHE_FORMAT || get_le(h + 12, 4) != 0) {
        *why = "written in another cache format";
        return false;
    }
    uint64_t ioff = get_le(h + 16, 8), ilen = get_le(h + 24, 8);
    if (ioff < sizeof h || ioff > size || ilen != size - ioff ||
        ilen > (uint64_t)LL_RCACHE_MAX_PACK_ENTRIES * 64u) {
        *why = ioff + ilen > size ? "truncated" : "damaged (its index is not where it says)";
        return false;
    }
    uint8_t *idx = ll_xmalloc(ilen ? (size_t)ilen : 1);
    bool ok = pread_all(st->pack_fd, idx, (size_t)ilen, ioff);
    if (!ok)
        *why = "truncated while reading";
    else if (get_le(h + 32, 8) != ll_digest_siphash64(LL_DIGEST_CHECKSUM_KEY, idx, (size_t)ilen)) {
        *why = "damaged (index checksum mismatch)";
        ok = false;
    }
    LLRcacheReader r;
    ll_rcache_reader_init(&r, idx, (size_t)ilen);
    uint64_t n = ok ? ll_rcache_get_varint(&r) : 0;
    if (ok && (n > LL_RCACHE_MAX_PACK_ENTRIES || n > ilen)) {
        *why = n > LL_RCACHE_MAX_PACK_ENTRIES ? "holding more entries than the limit" : "damaged";
        ok = false;
    }
    if (ok) {
        st->old = ll_xcalloc(n ? (size_t)n : 1, sizeof *st->old);
        for (uint64_t i = 0; i < n && !r.bad; i++) {
            LLRcachePackEntry *e = &st->old[i];
            e->name = ll_rcache_get_digest(&r);
            uint64_t ord = ll_rcache_get_varint(&r), age = ll_rcache_get_varint(&r);
            uint64_t off = ll_rcache_get_varint(&r), len = ll_rcache_get_varint(&r);
            if (ord > UINT32_MAX || age > UINT32_MAX || off < sizeof h || len < LL_RCACHE_HEADER_BYTES ||
                len > LL_RCACHE_MAX_ENTRY_BYTES || off > ioff || len > ioff - off)
                r.bad = true;
            *e = (LLRcachePackEntry){e->name, (uint32_t)ord, (uint32_t)age, off, (uint32_t)len};
        }
        if (r.bad || r.p != r.end) {
            *why = "damaged (malformed index)";
            ok = false;
        }
    }
    free(idx);
    if (!ok)
        return false;
    st->nold = (size_t)n;
    st->table_cap = 16;
    while (st->table_cap < st->nold * 2)
        st->table_cap *= 2;
    st->table = ll_xcalloc(st->table_cap, sizeof *st->table);
    for (size_t i = 0; i < st->nold; i++) {
        size_t at = slot_of(st->old[i].name, st->old[i].ordinal, st->table_cap);
        while (st->table[at] && !same_key(&st->old[st->table[at] - 1], st->old[i].name, st->old[i].ordinal))
            at = (at + 1) & (st->table_cap - 1);
        st->table[at] = (uint32_t)i + 1; /* a later duplicate wins */
    }
    st->used = ll_xcalloc(st->nold ? st->nold : 1, sizeof *st->used);
    for (size_t i = 0; i < st->nold; i++)
        atomic_init(&st->used[i], 0);
    return true;
}

static void pack_drop(LLRcacheStore *st)
{
    if (st->pack_fd >= 0)
        close(st->pack_fd);
    st->pack_fd = -1;
    free(st->old);
    free(st->table);
    free((void *)st->used);
    st->old = NULL;
    st->table = NULL;
    st->used = NULL;
    st->nold = st->table_cap = 0;
}

static void pack_open(LLRcacheStore *st, LLBuf *warnings)
{
    st->pack_fd = open(st->pack_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (st->pack_fd < 0) {
        if (errno != ENOENT)
            ll_buf_printf(warnings, "the cache pack %s cannot be read (%s): it is made again\n",
                          st->pack_path, strerror(errno));
        return;
    }
    const char *why = NULL;
    if (!pack_read_index(st, &why)) {
        ll_buf_printf(warnings, "the cache pack %s is %s: not used, it is made again\n",
                      st->pack_path, why);
        pack_drop(st);
    }
}

bool ll_rcache_store_open(LLRcacheStore *st, const char *dir, const char *scope,
                          uint64_t max_bytes, LLBuf *why, LLBuf *warnings)
{
    memset(st, 0, sizeof *st);
    st->pack_fd = st->journal_fd = -1;
    pthread_mutex_init(&st->lock, NULL);
    st->dir = ll_xstrdup(dir);
    st->max_bytes = max_bytes ? max_bytes : LL_RCACHE_MAX_BYTES;
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s/v%u", dir, LL_RCACHE_FORMAT);
    st->entries = ll_buf_detach(&b);
    atomic_init(&st->temp_seq, 0u);
    bool ok = make_dirs(dir, why) && ensure_file(st, ".gitignore", GITIGNORE, why) &&
              ensure_file(st, "CACHEDIR.TAG", CACHEDIR_TAG, why) && open_key(st, why, warnings) &&
              make_dirs(st->entries, why);
    if (!ok)
        return false;
    /* the pack's name: the scope's digest, under this directory's key */
    LLDigest d = ll_digest_bytes(st->key, scope ? scope : "", scope ? strlen(scope) : 0);
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s/pack-%016llx", st->entries, (unsigned long long)d.lo);
    st->pack_path = ll_buf_detach(&b);
    pack_open(st, warnings);
    return true;
}

void ll_rcache_store_release(LLRcacheStore *st)
{
    pack_drop(st);
    if (st->journal_fd >= 0) {
        close(st->journal_fd);
        unlink(st->journal_path);
    }
    st->journal_fd = -1;
    free(st->journal_path);
    LL_VEC_FREE(&st->fresh);
    pthread_mutex_destroy(&st->lock);
    free(st->dir);
    free(st->entries);
    free(st->pack_path);
    st->dir = st->entries = st->pack_path = st->journal_path = NULL;
}

void ll_rcache_store_begin(LLRcacheStore *st, LLBuf *warnings)
{
    if (!st->reopen)
        return;
    st->reopen = false;
    pack_open(st, warnings);
}

LLRcacheEntryStatus ll_rcache_store_get(LLRcacheStore *st, LLDigest name, unsigned ordinal,
                                        uint8_t **data, const uint8_t **body, size_t *len,
                                        LLBuf *why)
{
    *data = NULL;
    size_t at = old_find(st, name, ordinal);
    if (!at)
        return LL_RCACHE_ENTRY_MISSING;
    const LLRcachePackEntry *e = &st->old[at - 1];
    uint8_t *buf = ll_xmalloc(e->length);
    const char *bad = NULL;
    if (!pread_all(st->pack_fd, buf, e->length, e->offset))
        bad = "truncated while reading";
    else
        (void)ll_rcache_entry_check(buf, e->length, body, len, &bad);
    if (bad) {
        ll_buf_printf(why, "%s (at byte %llu of %s)", bad, (unsigned long long)e->offset,
                      st->pack_path);
        free(buf);
        return LL_RCACHE_ENTRY_BAD;
    }
    atomic_store(&st->used[at - 1], 1);
    *data = buf;
    return LL_RCACHE_ENTRY_OK;
}

bool ll_rcache_store_put(LLRcacheStore *st, LLDigest name, unsigned ordinal, const void *body,
                         size_t len, LLBuf *why)
{
    unsigned char h[LL_RCACHE_HEADER_BYTES];
    header_bytes(h, body, len);
    pthread_mutex_lock(&st->lock);
    bool ok = true;
    if (st->journal_fd < 0) {
        LLBuf tmp;
        ll_buf_init(&tmp);
        st->journal_fd = open_temp(st, st->entries, &tmp);
        if (st->journal_fd < 0) {
            ll_buf_printf(why, "cannot create a file in %s: %s", st->entries, strerror(errno));
            ll_buf_release(&tmp);
            ok = false;
        } else {
            st->journal_path = ll_buf_detach(&tmp);
        }
    }
    if (ok && !(write_all(st->journal_fd, h, sizeof h) && write_all(st->journal_fd, body, len))) {
        ll_buf_printf(why, "cannot write %s: %s", st->journal_path, strerror(errno));
        /* what was written of it is never indexed; later entries go after it */
        off_t end = lseek(st->journal_fd, 0, SEEK_END);
        if (end >= 0)
            st->journal_len = (uint64_t)end;
        ok = false;
    }
    if (ok) {
        LLRcachePackEntry e = {name, ordinal, 0, st->journal_len, (uint32_t)(len + sizeof h)};
        LL_VEC_PUSH(&st->fresh, e);
        st->journal_len += len + sizeof h;
    }
    pthread_mutex_unlock(&st->lock);
    return ok;
}

/* ---- writing the next pack, sweeping ------------------------------------------ */

/* An entry of the next pack: where it comes from. */
typedef struct Keep {
    LLRcachePackEntry e; /* age and offset in its source */
    bool fresh;          /* from the journal, else from the pack */
    bool checked;        /* read and checked by this run (the pack it opened
                          * is never written in place): not checked again */
} Keep;

typedef LL_VEC(Keep) KeepVec;

static int cmp_keep_age(const void *a, const void *b)
{
    const Keep *x = a, *y = b;
    if (x->e.age != y->e.age)
        return x->e.age < y->e.age ? -1 : 1;
    return x->fresh != y->fresh ? (x->fresh ? -1 : 1) : 0;
}

/* The entries of the next pack: this run's, then the pack's that no entry
 * of this run replaces, one run older unless used, not older than
 * LL_RCACHE_MAX_IDLE_RUNS; at most max_bytes of them (the youngest). */
static void next_entries(LLRcacheStore *st, KeepVec *out, LLBuf *warnings)
{
    size_t cap = 16;
    while (cap < st->fresh.len * 2)
        cap *= 2;
    uint32_t *fresh_at = ll_xcalloc(cap, sizeof *fresh_at);
    for (size_t i = 0; i < st->fresh.len; i++) {
        const LLRcachePackEntry *e = &st->fresh.items[i];
        size_t at = slot_of(e->name, e->ordinal, cap);
        while (fresh_at[at] && !same_key(&st->fresh.items[fresh_at[at] - 1], e->name, e->ordinal))
            at = (at + 1) & (cap - 1);
        fresh_at[at] = (uint32_t)i + 1; /* the last write of a key wins */
    }
    for (size_t at = 0; at < cap; at++)
        if (fresh_at[at])
            LL_VEC_PUSH(out, ((Keep){st->fresh.items[fresh_at[at] - 1], true, false}));
    for (size_t i = 0; i < st->nold; i++) {
        Keep k = {st->old[i], false, atomic_load(&st->used[i]) != 0};
        if (old_find(st, k.e.name, k.e.ordinal) != i + 1)
            continue; /* an earlier duplicate */
        size_t at = slot_of(k.e.name, k.e.ordinal, cap);
        bool replaced = false;
        for (; fresh_at[at] && !replaced; at = (at + 1) & (cap - 1))
            replaced = same_key(&st->fresh.items[fresh_at[at] - 1], k.e.name, k.e.ordinal);
        if (replaced)
            continue;
        k.e.age = atomic_load(&st->used[i]) ? 0 : k.e.age + 1;
        if (k.e.age <= LL_RCACHE_MAX_IDLE_RUNS)
            LL_VEC_PUSH(out, k);
    }
    free(fresh_at);
    uint64_t total = 0;
    for (size_t i = 0; i < out->len; i++)
        total += out->items[i].e.length;
    if (total + LL_RCACHE_PACK_HEADER_BYTES > st->max_bytes) {
        qsort(out->items, out->len, sizeof *out->items, cmp_keep_age);
        uint64_t kept = LL_RCACHE_PACK_HEADER_BYTES;
        size_t n = 0;
        while (n < out->len && kept + out->items[n].e.length <= st->max_bytes)
            kept += out->items[n++].e.length;
        ll_buf_printf(warnings,
                      "the cache pack %s would hold %llu MB, more than the limit of %llu MB: the "
                      "%zu entries used least recently are left out\n",
                      st->pack_path, (unsigned long long)(total >> 20),
                      (unsigned long long)(st->max_bytes >> 20), out->len - n);
        out->len = n;
    }
}

/* Writes the next pack; false with the reason. */
static bool pack_write(LLRcacheStore *st, LLBuf *why, LLBuf *warnings)
{
    KeepVec keep = {0};
    next_entries(st, &keep, warnings);
    LLBuf tmp, index;
    ll_buf_init(&tmp);
    ll_buf_init(&index);
    int fd = open_temp(st, st->entries, &tmp);
    bool ok = fd >= 0;
    if (!ok)
        ll_buf_printf(why, "cannot create a file in %s: %s", st->entries, strerror(errno));
    unsigned char h[LL_RCACHE_PACK_HEADER_BYTES];
    memset(h, 0, sizeof h);
    ok = ok && write_all(fd, h, sizeof h);
    uint64_t off = sizeof h;
    size_t written = 0, damaged = 0;
    LLBuf entries_index;
    ll_buf_init(&entries_index);
    for (size_t i = 0; ok && i < keep.len; i++) {
        const Keep *k = &keep.items[i];
        char *space = ll_xmalloc(k->e.length);
        const uint8_t *body;
        size_t blen;
        const char *bad;
        bool good = pread_all(k->fresh ? st->journal_fd : st->pack_fd, space, k->e.length, k->e.offset) &&
                    (k->checked ||
                     ll_rcache_entry_check((const uint8_t *)space, k->e.length, &body, &blen, &bad));
        if (good) {
            ok = write_all(fd, space, k->e.length);
            ll_rcache_put_digest(&entries_index, k->e.name);
            ll_rcache_put_varint(&entries_index, k->e.ordinal);
            ll_rcache_put_varint(&entries_index, k->e.age);
            ll_rcache_put_varint(&entries_index, off);
            ll_rcache_put_varint(&entries_index, k->e.length);
            off += k->e.length;
            written++;
        } else {
            damaged++; /* never copied: made again when needed */
        }
        free(space);
    }
    if (!ok && fd >= 0)
        ll_buf_printf(why, "cannot write %s: %s", tmp.data, strerror(errno));
    if (ok) {
        ll_rcache_put_varint(&index, written);
        ll_buf_append(&index, entries_index.data, entries_index.len);
        memcpy(h, LL_RCACHE_PACK_MAGIC, 8);
        put_le(h + 8, LL_RCACHE_FORMAT, 4);
        put_le(h + 16, off, 8);
        put_le(h + 24, index.len, 8);
        put_le(h + 32, ll_digest_siphash64(LL_DIGEST_CHECKSUM_KEY, index.data, index.len), 8);
        ok = write_all(fd, index.data, index.len) && pwrite(fd, h, sizeof h, 0) == (ssize_t)sizeof h;
        if (!ok)
            ll_buf_printf(why, "cannot write %s: %s", tmp.data, strerror(errno));
    }
    if (fd >= 0 && close(fd) != 0 && ok) {
        ll_buf_printf(why, "cannot write %s: %s", tmp.data, strerror(errno));
        ok = false;
    }
    if (ok && rename(tmp.data, st->pack_path) != 0) {
        ll_buf_printf(why, "cannot rename %s to %s: %s", tmp.data, st->pack_path, strerror(errno));
        ok = false;
    }
    if (!ok && fd >= 0)
        unlink(tmp.data);
    if (damaged)
        ll_buf_printf(warnings, "%zu damaged entries of the cache were not kept (made again when needed)\n",
                      damaged);
    ll_buf_release(&entries_index);
    ll_buf_release(&tmp);
    ll_buf_release(&index);
    LL_VEC_FREE(&keep);
    return ok;
}

typedef struct PackFile {
    time_t mtime;
    uint64_t size;
    char *path;
} PackFile;

static int cmp_mtime(const void *a, const void *b)
{
    const PackFile *x = a, *y = b;
    if (x->mtime != y->mtime)
        return x->mtime < y->mtime ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* Removes stale temporary files, then the packs written least recently
 * (never this run's) while the directory holds more than max_bytes. */
static void sweep(LLRcacheStore *st, LLBuf *warnings)
{
    LL_VEC(PackFile) packs = {0};
    uint64_t total = 0;
    time_t now = time(NULL);
    DIR *d = opendir(st->dir);
    struct dirent *de;
    LLBuf fmtdir, path;
    ll_buf_init(&fmtdir);
    ll_buf_init(&path);
    while (d && (de = readdir(d))) {
        const char *v = de->d_name;
        if (v[0] != 'v' || !v[1] || strspn(v + 1, "0123456789") != strlen(v + 1))
            continue;
        ll_buf_reset(&fmtdir);
        ll_buf_printf(&fmtdir, "%s/%s", st->dir, v);
        DIR *f = opendir(fmtdir.data);
        struct dirent *fe;
        while (f && (fe = readdir(f))) {
            if (!strcmp(fe->d_name, ".") || !strcmp(fe->d_name, ".."))
                continue;
            ll_buf_reset(&path);
            ll_buf_printf(&path, "%s/%s", fmtdir.data, fe->d_name);
            struct stat sb;
            if (lstat(path.data, &sb) != 0 || !S_ISREG(sb.st_mode))
                continue;
            if (strncmp(fe->d_name, ".tmp-", 5) == 0) {
                if (now - sb.st_mtime > LL_RCACHE_TEMP_MAX_AGE_SECONDS)
                    unlink(path.data);
                continue;
            }
            PackFile p = {sb.st_mtime, (uint64_t)sb.st_size, ll_xstrdup(path.data)};
            LL_VEC_PUSH(&packs, p);
            total += p.size;
        }
        if (f)
            closedir(f);
    }
    if (d)
        closedir(d);
    if (total > st->max_bytes) {
        qsort(packs.items, packs.len, sizeof *packs.items, cmp_mtime);
        size_t removed = 0;
        uint64_t before = total;
        for (size_t i = 0; i < packs.len && total > st->max_bytes; i++) {
            if (strcmp(packs.items[i].path, st->pack_path) == 0)
                continue;
            if (unlink(packs.items[i].path) == 0 || errno == ENOENT) {
                total -= packs.items[i].size;
                removed++;
            }
        }
        ll_buf_printf(warnings,
                      "the cache %s held %llu MB, more than its limit of %llu MB: %zu packs of "
                      "other projects, written least recently, were removed\n",
                      st->dir, (unsigned long long)(before >> 20),
                      (unsigned long long)(st->max_bytes >> 20), removed);
    }
    for (size_t i = 0; i < packs.len; i++)
        free(packs.items[i].path);
    LL_VEC_FREE(&packs);
    ll_buf_release(&fmtdir);
    ll_buf_release(&path);
}

void ll_rcache_store_commit(LLRcacheStore *st, LLBuf *warnings)
{
    if (!st->fresh.len)
        return; /* nothing new: the pack stays as it is */
    LLBuf why;
    ll_buf_init(&why);
    if (!pack_write(st, &why, warnings))
        ll_buf_printf(warnings, "the result cache cannot be written (%s): this run's results are "
                                "not cached\n",
                      why.data);
    ll_buf_release(&why);
    close(st->journal_fd);
    unlink(st->journal_path);
    st->journal_fd = -1;
    st->journal_len = 0;
    LL_VEC_FREE(&st->fresh);
    /* a next run of this store reads the pack just written (store.h) */
    pack_drop(st);
    st->reopen = true;
    sweep(st, warnings);
}
