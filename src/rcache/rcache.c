/* rcache.c - the result cache's keys, views and records (rcache.h); the
 * bytes are serial.c's, the files store.c's. */
#include "rcache/rcache.h"

#include "base/limits.h"
#include "base/mem.h"
#include "base/vec.h"
#include "config/settings.h"
#include "ll_version.h"
#include "rcache/serial.h"
#include "rcache/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Summaries by the hash of their name (open addressing, rebuilt per pass):
 * the sum of the digests of every summary of that name, in any file. */
typedef struct NameSlot {
    uint64_t hash; /* 0: empty */
    LLDigest sum;
} NameSlot;

/* A bitmap of last-segment hashes: most of a file's identifiers are no
 * name's last segment, and one bit says so without a probe of the table. */
#define LL_RCACHE_LAST_BITS 65536u
typedef struct LastBits {
    uint64_t w[LL_RCACHE_LAST_BITS / 64];
} LastBits;

static inline void lastbits_set(LastBits *b, uint64_t h)
{
    size_t i = (size_t)(h >> 17) & (LL_RCACHE_LAST_BITS - 1);
    b->w[i / 64] |= 1ull << (i % 64);
}

static inline bool lastbits_has(const LastBits *b, uint64_t h)
{
    size_t i = (size_t)(h >> 17) & (LL_RCACHE_LAST_BITS - 1);
    return b->w[i / 64] >> (i % 64) & 1;
}

/* A name set's elements by the hash of their last segment, for views made
 * from a file's identifiers when the set is larger than they are: per slot
 * the hash (0: empty), the first group with that last segment (+ 1; the
 * others chained by `next`), and the lasts element of that segment (+ 1). */
typedef struct SetIndex {
    uint64_t *hash;
    uint32_t *group, *last;
    size_t cap;
    uint32_t *next;  /* per group: the next group with its last segment + 1 */
    uint32_t *start; /* per group: where its count is in the set's groups */
    size_t ngroups;
    LLDigest empty;  /* the groups without a segment (they match any file) */
    LastBits *bits;  /* the hashes in the table */
} SetIndex;


struct LLRcache {
    LLRcacheStore store;
    bool usable;               /* the directory could be opened */
    LLDigest exe;              /* the executable's bytes */
    LLDigestState extra;       /* ll_rcache_key's additions */
    pthread_mutex_t lock;      /* warnings */
    LLBuf warnings;            /* lines */
    atomic_size_t lookups, hits, stored, store_failed, bad_entries, not_cached, refreshed;
    /* the run (ll_rcache_begin .. ll_rcache_end) */
    bool running;
    const LLRuleset *rules;
    const LLFileList *files;
    const LLProject *project;
    const LLRunOptions *opts;
    LLRcacheNames names;
    LLDigest global;
    size_t n;
    LL_VEC(LLDigest) settings; /* by settings id + 1 (0: none): their digests */
    uint8_t *cacheable;       /* per file */
    uint16_t *ordinal;        /* per file: analyses so far this run */
    LLDigest *content;        /* per file: its content's digest, once known this run */
    uint8_t *have_content;    /* per file */
    /* digests of the name sets answers are kept under (needed, plan), each
     * made again when its set has grown */
    struct {
        const LLNameSet *set;
        size_t size;
        LLDigest digest;
    } set_memo[LL_RCACHE_ANSWER_SETS];
    uint32_t *by_path;        /* the files, sorted by path (decoding references) */
    LLStrMap codes;           /* code -> rule + 1 */
    /* the pass (ll_rcache_pass) */
    LLRcacheState state;
    LLDigest set_global[LL_RCACHE_NSETS];
    LL_VEC(LLDigest) set_elems[LL_RCACHE_NSETS]; /* per group, then per lasts slot */
    SetIndex set_index[LL_RCACHE_NSETS];
    LLDigest aliases;
    /* the aliases by the hash of their key's last segment (an open-addressing
     * table): the sum of their digests */
    size_t alias_count;
    uint64_t *alias_last;      /* per slot: the last segment's hash, 0: empty */
    LLDigest *alias_sum;       /* per slot */
    size_t alias_cap;
    LastBits alias_bits;       /* the last segments' hashes */
    NameSlot *byname;
    size_t byname_cap;
    /* the files holding summaries (file + 1 as the hash): their sums */
    NameSlot *byfile;
    size_t byfile_cap;
};

static const LLDigest zero_digest = {0, 0};

/* A line of /proc/self/maps read whole (longer ones: their path is cut,
 * which only makes the key stricter). */
#define LL_RCACHE_MAPS_LINE 4096
/* Lines of it looked at (a process maps a few hundred at most). */
#define LL_RCACHE_MAX_LIBRARIES 4096u

/* ---- names for serial.c ----------------------------------------------------- */

static const char *names_file(void *ctx, uint32_t f)
{
    const LLRcache *c = ctx;
    return f < c->n ? c->files->files.items[f].path : "";
}

static const char *names_display(void *ctx, uint32_t f)
{
    const LLRcache *c = ctx;
    return f < c->n ? c->files->files.items[f].display : "";
}

static const char *names_rule(void *ctx, uint32_t r)
{
    const LLRcache *c = ctx;
    return r < c->rules->nrules ? c->rules->rules[r].code : "";
}

static bool names_file_index(void *ctx, const char *name, uint32_t *out)
{
    const LLRcache *c = ctx;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->files->files.items[c->by_path[mid]].path, name);
        if (cmp == 0) {
            *out = c->by_path[mid];
            return true;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static bool names_rule_index(void *ctx, const char *code, uint32_t *out)
{
    const LLRcache *c = ctx;
    intptr_t v;
    if (!ll_strmap_get(&c->codes, code, strlen(code), &v))
        return false;
    *out = (uint32_t)(v - 1);
    return true;
}

/* ---- the handle -------------------------------------------------------------- */

void ll_rcache_warn(LLRcache *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&c->lock);
    ll_buf_vprintf(&c->warnings, fmt, ap);
    ll_buf_putc(&c->warnings, '\n');
    pthread_mutex_unlock(&c->lock);
    va_end(ap);
}

/* The shared libraries the process maps (tree-sitter's runtime, PCRE2,
 * cJSON, the C library's iconv...: a system upgrade may change how files
 * are parsed, decoded or matched): each one's path, size, inode and
 * modification time, as /proc/self/maps lists them (sorted by path: the
 * addresses, and so the order of the lines, vary from run to run). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void digest_libraries(LLDigestState *s)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return;
    LL_VEC(char *) libs = {0};
    char line[LL_RCACHE_MAPS_LINE];
    while (fgets(line, sizeof line, f) && libs.len < LL_RCACHE_MAX_LIBRARIES) {
        char *path = strchr(line, '/');
        if (!path)
            continue;
        path[strcspn(path, "\n")] = '\0';
        if (strstr(path, ".so"))
            LL_VEC_PUSH(&libs, ll_xstrdup(path));
    }
    fclose(f);
    if (libs.len)
        qsort(libs.items, libs.len, sizeof *libs.items, cmp_str);
    for (size_t i = 0; i < libs.len; i++) {
        if (i == 0 || strcmp(libs.items[i], libs.items[i - 1]) != 0) {
            struct stat sb;
            ll_digest_put_str(s, libs.items[i]);
            if (stat(libs.items[i], &sb) == 0) {
                ll_digest_put_u64(s, (uint64_t)sb.st_size);
                ll_digest_put_u64(s, (uint64_t)sb.st_ino);
                ll_digest_put_u64(s, (uint64_t)sb.st_mtim.tv_sec);
                ll_digest_put_u64(s, (uint64_t)sb.st_mtim.tv_nsec);
            }
        }
    }
    for (size_t i = 0; i < libs.len; i++) /* after: each is compared with the one before */
        free(libs.items[i]);
    LL_VEC_FREE(&libs);
}

/* The executable's bytes (the engine and the built-in rules) and the
 * libraries it uses: a new build is a new cache even when the version
 * number stays. */
static LLDigest exe_digest(void)
{
    LLDigestState s;
    ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
    ll_digest_put_str(&s, LL_VERSION);
    digest_libraries(&s);
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        /* no /proc: the version and the build time of this file */
        ll_digest_put_str(&s, __DATE__ " " __TIME__);
        return ll_digest_final(&s);
    }
    char *chunk = ll_xmalloc(1u << 16);
    for (;;) {
        ssize_t n = read(fd, chunk, 1u << 16);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        ll_digest_put(&s, chunk, (size_t)n);
    }
    free(chunk);
    close(fd);
    return ll_digest_final(&s);
}

LLRcache *ll_rcache_open(const char *dir, const char *scope, uint64_t max_bytes)
{
    LLRcache *c = ll_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    ll_buf_init(&c->warnings);
    LLBuf why;
    ll_buf_init(&why);
    c->usable = ll_rcache_store_open(&c->store, dir, scope, max_bytes, &why, &c->warnings);
    if (!c->usable)
        ll_rcache_warn(c, "the cache directory %s cannot be used (%s): this run does not use the "
                          "result cache",
                       dir, why.data);
    ll_buf_release(&why);
    c->exe = exe_digest();
    ll_digest_init(&c->extra, LL_DIGEST_CHECKSUM_KEY);
    return c;
}

bool ll_rcache_usable(const LLRcache *c)
{
    return c && c->usable;
}

static void set_index_release(SetIndex *x)
{
    free(x->hash);
    free(x->group);
    free(x->last);
    free(x->next);
    free(x->start);
    free(x->bits);
    memset(x, 0, sizeof *x);
}

static size_t set_index_slot(const SetIndex *x, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (x->cap - 1);
    while (x->hash[i] && x->hash[i] != h)
        i = (i + 1) & (x->cap - 1);
    return i;
}

/* Indexes set s (its elements, as set_elements orders them, `elems`). */
static void set_index_build(SetIndex *x, const LLNameSet *s, const LLDigest *elems)
{
    set_index_release(x);
    if (!s)
        return;
    size_t ng = 0;
    for (size_t i = 0; i < s->groups.len; i += 1 + s->groups.items[i])
        ng++;
    x->ngroups = ng;
    x->cap = 16;
    while (x->cap < (ng + s->lasts.count) * 2)
        x->cap *= 2;
    x->hash = ll_xcalloc(x->cap, sizeof *x->hash);
    x->group = ll_xcalloc(x->cap, sizeof *x->group);
    x->last = ll_xcalloc(x->cap, sizeof *x->last);
    x->next = ll_xcalloc(ng ? ng : 1, sizeof *x->next);
    x->start = ll_xcalloc(ng ? ng : 1, sizeof *x->start);
    x->bits = ll_xcalloc(1, sizeof *x->bits);
    size_t e = 0;
    for (size_t i = 0; i < s->groups.len; e++) {
        uint32_t k = s->groups.items[i];
        x->start[e] = (uint32_t)i;
        if (k) {
            uint64_t h = s->seg_hash.items[s->groups.items[i + k]];
            size_t at = set_index_slot(x, h);
            x->hash[at] = h;
            x->next[e] = x->group[at];
            x->group[at] = (uint32_t)e + 1;
            lastbits_set(x->bits, h);
        } else {
            ll_digest_add(&x->empty, elems[e]);
        }
        i += 1 + k;
    }
    for (size_t i = 0; i < s->lasts.cap; i++) {
        uint64_t h = s->lasts.slots[i].hash;
        if (!h)
            continue;
        size_t at = set_index_slot(x, h);
        x->hash[at] = h;
        x->last[at] = (uint32_t)(ng + i) + 1;
        lastbits_set(x->bits, h);
    }
}

static void run_release(LLRcache *c)
{
    LL_VEC_FREE(&c->settings);
    free(c->cacheable);
    free(c->ordinal);
    free(c->content);
    free(c->have_content);
    c->content = NULL;
    c->have_content = NULL;
    memset(c->set_memo, 0, sizeof c->set_memo);
    free(c->by_path);
    free(c->byfile);
    free(c->byname);
    for (int k = 0; k < LL_RCACHE_NSETS; k++) {
        LL_VEC_FREE(&c->set_elems[k]);
        set_index_release(&c->set_index[k]);
    }
    free(c->alias_last);
    free(c->alias_sum);
    c->alias_last = NULL;
    c->alias_sum = NULL;
    c->alias_cap = 0;
    c->alias_count = 0;
    ll_strmap_release(&c->codes);
    c->by_path = NULL;
    c->byfile = NULL;
    c->byfile_cap = 0;
    c->cacheable = NULL;
    c->ordinal = NULL;
    c->byname = NULL;
    c->byname_cap = 0;
    c->running = false;
}

void ll_rcache_free(LLRcache *c)
{
    if (!c)
        return;
    run_release(c);
    ll_rcache_store_release(&c->store);
    ll_buf_release(&c->warnings);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const char *ll_rcache_dir(const LLRcache *c)
{
    return c->store.dir;
}

void ll_rcache_key(LLRcache *c, const char *what, const void *bytes, size_t len)
{
    ll_digest_put_str(&c->extra, what);
    ll_digest_put_u64(&c->extra, len);
    ll_digest_put(&c->extra, bytes, len);
}

void ll_rcache_stats(const LLRcache *c, LLRcacheStats *out)
{
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    out->lookups = atomic_load(&c->lookups);
    out->hits = atomic_load(&c->hits);
    out->stored = atomic_load(&c->stored);
    out->store_failed = atomic_load(&c->store_failed);
    out->bad_entries = atomic_load(&c->bad_entries);
    out->not_cached = atomic_load(&c->not_cached);
    out->refreshed = atomic_load(&c->refreshed);
}

/* ---- the run ----------------------------------------------------------------- */

/* What rules are loaded and how they apply (the rule files' bytes come from
 * the executable's digest and ll_rcache_key). */
static void digest_rules(LLDigestState *s, const LLRuleset *rs)
{
    ll_digest_put_u64(s, rs->nrules);
    for (size_t r = 0; r < rs->nrules; r++) {
        const LLRule *rule = &rs->rules[r];
        ll_digest_put_str(s, rule->code);
        ll_digest_put_str(s, rule->origin);
        ll_digest_put_u64(s, (uint64_t)(int64_t)rule->scope);
        ll_digest_put_u64(s, rule->enabled);
    }
    ll_digest_put_u64(s, rs->prefilter_exact);
    ll_digest_put_u64(s, rs->scopes.len);
    for (size_t i = 0; i < rs->scopes.len; i++)
        ll_digest_put_str(s, rs->scopes.items[i]);
}

/* Keys of the settings that do not change what the analysis of a file
 * gives: which files are listed (the layout is in the run-wide key),
 * what is done with findings afterwards, the cache itself. */
static const char *const settings_not_keyed[] = {
    "exclude",   "extend-exclude", "respect-gitignore", "force-exclude", "min-severity",
    "fail-on",   "cache-dir",      "cache",             NULL};

/* The settings as --show-settings prints them (every key, so that a key
 * added to settings.h counts without a change here), but those above. */
static LLDigest settings_digest(const LLSettings *set)
{
    LLDigestState s;
    ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
    if (!set) {
        ll_digest_put_str(&s, NULL);
        return ll_digest_final(&s);
    }
    LLBuf b;
    ll_buf_init(&b);
    ll_settings_print(set, &b);
    for (const char *line = b.data; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        bool skip = false;
        for (size_t k = 0; settings_not_keyed[k] && !skip; k++) {
            size_t kl = strlen(settings_not_keyed[k]);
            skip = len > kl + 2 && memcmp(line, settings_not_keyed[k], kl) == 0 &&
                   memcmp(line + kl, " = ", 3) == 0;
        }
        if (!skip) {
            ll_digest_put_u64(&s, len);
            ll_digest_put(&s, line, len);
        }
        line += len + (nl ? 1 : 0);
    }
    ll_buf_release(&b);
    return ll_digest_final(&s);
}

/* c->by_path sorted by the files' paths (a bottom-up merge sort: qsort
 * has no context argument). */
static void sort_by_path(LLRcache *c)
{
    size_t n = c->n;
    uint32_t *a = c->by_path, *tmp = ll_xcalloc(n ? n : 1, sizeof *tmp);
    const LLFileEntry *fe = c->files->files.items;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = strcmp(fe[a[i]].path, fe[a[j]].path) <= 0 ? a[i++] : a[j++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
    free(tmp);
}

void ll_rcache_begin(LLRcache *c, const LLRuleset *rules, const LLFileList *files,
                     const LLProject *project, const LLRunOptions *opts)
{
    run_release(c);
    if (!c->usable)
        return;
    LLBuf w;
    ll_buf_init(&w);
    ll_rcache_store_begin(&c->store, &w);
    if (w.len)
        ll_rcache_warn(c, "%.*s", (int)(w.len - 1), w.data);
    ll_buf_release(&w);
    c->running = true;
    c->rules = rules;
    c->files = files;
    c->project = project;
    c->opts = opts;
    c->n = files->files.len;
    c->names = (LLRcacheNames){c, names_file, names_display, names_rule, names_file_index,
                               names_rule_index};
    size_t n = c->n ? c->n : 1;
    c->cacheable = ll_xcalloc(n, 1);
    c->ordinal = ll_xcalloc(n, sizeof *c->ordinal);
    c->content = ll_xcalloc(n, sizeof *c->content);
    c->have_content = ll_xcalloc(n, 1);
    c->by_path = ll_xcalloc(n, sizeof *c->by_path);
    for (size_t i = 0; i < c->n; i++)
        c->by_path[i] = (uint32_t)i;
    sort_by_path(c);
    ll_strmap_init(&c->codes);
    for (size_t r = 0; r < rules->nrules; r++)
        ll_strmap_put(&c->codes, rules->rules[r].code, strlen(rules->rules[r].code), (intptr_t)r + 1);

    LLDigestState s;
    ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
    ll_digest_put_str(&s, "loadlint result cache");
    ll_digest_put_u64(&s, LL_RCACHE_FORMAT);
    ll_digest_put_digest(&s, c->exe);
    LLDigestState extra = c->extra; /* a copy: the handle may serve another run */
    ll_digest_put_digest(&s, ll_digest_final(&extra));
    digest_rules(&s, rules);
    uint64_t o[] = {opts->max_file_bytes, opts->parse_timeout_us, opts->max_findings_per_file,
                    opts->no_prefilter, opts->no_artifacts, opts->report_unused_suppressions};
    for (size_t i = 0; i < sizeof o / sizeof *o; i++)
        ll_digest_put_u64(&s, o[i]);
    /* the layout: module names (and so every import's file) depend on all
     * Python files of the run */
    LL_VEC_PUSH(&c->settings, settings_digest(NULL));
    for (size_t i = 0; i < c->n; i++) {
        const LLFileEntry *fe = &files->files.items[i];
        if (fe->kind == LL_ENTRY_OTHER)
            continue;
        const LLModuleInfo *m = &project->modules[i];
        ll_digest_put_str(&s, fe->path);
        ll_digest_put_str(&s, fe->display);
        ll_digest_put_u64(&s, fe->kind);
        ll_digest_put_str(&s, m->name);
        ll_digest_put_u64(&s, m->is_package);
        ll_digest_put_u64(&s, m->root);
        c->cacheable[i] = strcmp(fe->path, "-") != 0;
        if (fe->settings) { /* each settings' digest, once */
            size_t id = fe->settings->id + 1;
            while (c->settings.len <= id)
                LL_VEC_PUSH(&c->settings, zero_digest);
            if (ll_digest_eq(c->settings.items[id], zero_digest))
                c->settings.items[id] = settings_digest(fe->settings);
        }
    }
    c->global = ll_digest_final(&s);
}

/* A file's key (path, display, absolute path, kind, settings) and the name
 * of its entries (the run-wide key, the file's key, its path, whether the
 * run forces it to be parsed: runs with other settings or rules keep
 * entries of their own in the pack, and so do a pre-commit run's named
 * files and the same files in a whole-project run, which alternate). */
static void file_keys(const LLRcache *c, uint32_t file, LLDigest *key, LLDigest *name)
{
    const LLFileEntry *fe = &c->files->files.items[file];
    LLDigestState f;
    ll_digest_init(&f, LL_DIGEST_CHECKSUM_KEY);
    ll_digest_put_str(&f, fe->path);
    ll_digest_put_str(&f, fe->display);
    ll_digest_put_str(&f, fe->abs);
    ll_digest_put_u64(&f, fe->kind);
    ll_digest_put_digest(&f, c->settings.items[fe->settings ? fe->settings->id + 1 : 0]);
    *key = ll_digest_final(&f);
    LLDigestState e;
    ll_digest_init(&e, c->store.key);
    ll_digest_put_digest(&e, c->global);
    ll_digest_put_digest(&e, *key);
    ll_digest_put_str(&e, fe->path);
    ll_digest_put_u64(&e, c->state.forced ? c->state.forced[file] : 0);
    *name = ll_digest_final(&e);
}

/* One element of a set, digested. */
static LLDigest element_digest(uint64_t tag, const uint64_t *words, size_t n)
{
    LLDigestState s;
    ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
    ll_digest_put_u64(&s, tag);
    for (size_t i = 0; i < n; i++)
        ll_digest_put_u64(&s, words[i]);
    return ll_digest_final(&s);
}

/* The digests of a set's elements: its groups (names), in order, then its
 * lasts slots (every slot, 0 for an empty one). */
static void set_elements(const LLNameSet *s, LLDigest **elems, size_t *n)
{
    LL_VEC(LLDigest) v = {0};
    uint64_t words[64];
    for (size_t i = 0; s && i < s->groups.len;) {
        uint32_t k = s->groups.items[i++];
        size_t nw = 0;
        for (uint32_t j = 0; j < k && nw < sizeof words / sizeof *words; j++)
            words[nw++] = s->seg_hash.items[s->groups.items[i + j]];
        i += k;
        LL_VEC_PUSH(&v, element_digest(k, words, nw));
    }
    for (size_t i = 0; s && i < s->lasts.cap; i++) {
        uint64_t h = s->lasts.slots[i].hash;
        LL_VEC_PUSH(&v, h ? element_digest(UINT64_MAX, &h, 1) : zero_digest);
    }
    *elems = v.items;
    *n = v.len;
}

/* The sum of the element digests `elems` (set_elements) of the names and
 * lasts of s that ids can match (all of them for ids NULL). */
static LLDigest set_view(const LLNameSet *s, const LLDigest *elems, const LLIdentSet *ids,
                         bool lasts)
{
    LLDigest sum = zero_digest;
    if (!s)
        return sum;
    size_t e = 0;
    for (size_t i = 0; i < s->groups.len; e++) {
        uint32_t k = s->groups.items[i++];
        bool all = true;
        for (uint32_t j = 0; j < k && all && ids; j++)
            all = ll_identset_has(ids, s->seg_hash.items[s->groups.items[i + j]]);
        i += k;
        if (all)
            ll_digest_add(&sum, elems[e]);
    }
    for (size_t i = 0; lasts && i < s->lasts.cap; i++, e++) {
        uint64_t h = s->lasts.slots[i].hash;
        if (h && (!ids || ll_identset_has(ids, h)))
            ll_digest_add(&sum, elems[e]);
    }
    return sum;
}

LLDigest ll_rcache_set_digest(const LLNameSet *s, const LLIdentSet *ids)
{
    LLDigest *elems;
    size_t n;
    set_elements(s, &elems, &n);
    LLDigest d = set_view(s, elems, ids, true);
    free(elems);
    return d;
}

/* The view of set k of the current pass for a file with identifiers ids. */
/* The view from the file's identifiers, through the set's index: each
 * element is found once, by its last segment; the same sum as set_view's. */
static LLDigest set_view_by_ids(const LLNameSet *s, const LLDigest *elems, const SetIndex *x,
                                const LLIdentSet *ids, bool lasts)
{
    LLDigest sum = x->empty;
    for (size_t i = 0; i < ids->cap; i++) {
        uint64_t h = ids->slots[i];
        if (!h || !x->cap || !lastbits_has(x->bits, h))
            continue;
        size_t at = set_index_slot(x, h);
        if (!x->hash[at])
            continue;
        for (uint32_t g = x->group[at]; g; g = x->next[g - 1]) {
            uint32_t off = x->start[g - 1], n = s->groups.items[off];
            bool all = true;
            for (uint32_t j = 0; j + 1 < n && all; j++)
                all = ll_identset_has(ids, s->seg_hash.items[s->groups.items[off + 1 + j]]);
            if (all)
                ll_digest_add(&sum, elems[g - 1]);
        }
        if (lasts && x->last[at])
            ll_digest_add(&sum, elems[x->last[at] - 1]);
    }
    return sum;
}

static LLDigest pass_set_view(const LLRcache *c, int k, const LLIdentSet *ids)
{
    const LLNameSet *s = c->state.sets[k];
    bool lasts = k == LL_RCACHE_SET_RETURNS; /* rcache.h: what is read of each set */
    if (!ids || !s || c->set_elems[k].len <= ids->cap)
        return set_view(s, c->set_elems[k].items, ids, lasts);
    return set_view_by_ids(s, c->set_elems[k].items, &c->set_index[k], ids, lasts); /* a large set */
}

LLDigest ll_rcache_set_digest_by_ids(const LLNameSet *s, const LLIdentSet *ids)
{
    LLDigest *elems;
    size_t n;
    set_elements(s, &elems, &n);
    SetIndex x;
    memset(&x, 0, sizeof x);
    set_index_build(&x, s, elems);
    LLDigest d = s ? set_view_by_ids(s, elems, &x, ids, true) : zero_digest;
    set_index_release(&x);
    free(elems);
    return d;
}

/* Indexes the aliases (digests, segments, by last segment) and returns the
 * digest of them all. A file can use an alias only when every segment of
 * its key is one of the file's identifiers: the resolver builds names from
 * the file's own text (prefilter.h), and an alias applies to a name it is a
 * dotted prefix of (exports.h ll_aliases_apply); the pre-filter's alias
 * names rest on the same fact. */
static LLDigest aliases_index(LLRcache *c, const LLStrMap *a)
{
    LLDigest sum = zero_digest;
    size_t n = a ? a->count : 0, cap = 16;
    c->alias_count = n;
    while (cap < n * 2)
        cap *= 2;
    if (cap != c->alias_cap) {
        free(c->alias_last);
        free(c->alias_sum);
        c->alias_last = ll_xcalloc(cap, sizeof *c->alias_last);
        c->alias_sum = ll_xcalloc(cap, sizeof *c->alias_sum);
        c->alias_cap = cap;
    } else {
        memset(c->alias_last, 0, cap * sizeof *c->alias_last);
        memset(c->alias_sum, 0, cap * sizeof *c->alias_sum);
    }
    memset(&c->alias_bits, 0, sizeof c->alias_bits);
    for (size_t i = 0; a && i < a->cap; i++) {
        const LLStrMapSlot *sl = &a->slots[i];
        if (!sl->hash)
            continue;
        LLDigestState s;
        ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
        ll_digest_put_u64(&s, sl->len);
        ll_digest_put(&s, sl->key, sl->len);
        ll_digest_put_str(&s, (const char *)sl->value);
        LLDigest d = ll_digest_final(&s);
        ll_digest_add(&sum, d);
        /* its key's last segment (an empty key applies to no name) */
        size_t end = sl->len;
        while (end && sl->key[end - 1] == '.')
            end--;
        size_t start = end;
        while (start && sl->key[start - 1] != '.')
            start--;
        if (start == end)
            continue;
        uint64_t last = ll_strmap_hash(sl->key + start, end - start);
        size_t slot = (size_t)(last ^ (last >> 29)) & (cap - 1);
        while (c->alias_last[slot] && c->alias_last[slot] != last)
            slot = (slot + 1) & (cap - 1);
        c->alias_last[slot] = last;
        lastbits_set(&c->alias_bits, last);
        ll_digest_add(&c->alias_sum[slot], d);
    }
    return sum;
}

/* The digest of the aliases a file with identifiers ids may use: those
 * whose key's last segment is one of them (every segment must be, for the
 * alias to apply: a superset, so the view changes whenever a usable alias
 * does; one probe per identifier). */
static LLDigest aliases_view(const LLRcache *c, const LLIdentSet *ids)
{
    LLDigest sum = zero_digest;
    if (!c->alias_count)
        return sum;
    for (size_t i = 0; i < ids->cap; i++) {
        uint64_t h = ids->slots[i];
        if (!h || !lastbits_has(&c->alias_bits, h))
            continue;
        size_t slot = (size_t)(h ^ (h >> 29)) & (c->alias_cap - 1);
        while (c->alias_last[slot] && c->alias_last[slot] != h)
            slot = (slot + 1) & (c->alias_cap - 1);
        if (c->alias_last[slot])
            ll_digest_add(&sum, c->alias_sum[slot]);
    }
    return sum;
}

static NameSlot *slot_in(NameSlot *t, size_t cap, uint64_t h)
{
    if (!cap)
        return NULL;
    size_t mask = cap - 1;
    for (size_t i = (size_t)(h ^ (h >> 29)) & mask;; i = (i + 1) & mask) {
        NameSlot *sl = &t[i];
        if (!sl->hash || sl->hash == h)
            return sl;
    }
}

static LLDigest sum_in(NameSlot *t, size_t cap, uint64_t h)
{
    const NameSlot *sl = slot_in(t, cap, h);
    return sl && sl->hash == h ? sl->sum : zero_digest;
}

static LLDigest byname_get(const LLRcache *c, uint64_t h)
{
    return sum_in(c->byname, c->byname_cap, h);
}

/* A table of at least 2n slots, reused when its size fits. */
static void table_reset(NameSlot **t, size_t *cap, size_t n)
{
    size_t want = 16;
    while (want < n * 2)
        want *= 2;
    if (want != *cap) {
        free(*t);
        *t = ll_xcalloc(want, sizeof **t);
        *cap = want;
    } else {
        memset(*t, 0, want * sizeof **t);
    }
}

void ll_rcache_pass(LLRcache *c, const LLRcacheState *st)
{
    if (!c || !c->running)
        return;
    c->state = *st;
    for (int k = 0; k < LL_RCACHE_NSETS; k++) {
        LL_VEC_FREE(&c->set_elems[k]);
        set_elements(st->sets[k], &c->set_elems[k].items, &c->set_elems[k].len);
        c->set_elems[k].cap = c->set_elems[k].len;
        set_index_build(&c->set_index[k], st->sets[k], c->set_elems[k].items);
        c->set_global[k] = pass_set_view(c, k, NULL);
    }
    c->aliases = aliases_index(c, st->aliases);
    /* the summaries, by name and by file */
    const LLProject *p = st->project;
    size_t ns = p ? p->summaries.len : 0;
    table_reset(&c->byname, &c->byname_cap, ns);
    table_reset(&c->byfile, &c->byfile_cap, ns);
    for (size_t i = 0; i < ns; i++) {
        const LLFuncSummary *fs = p->summaries.items[i];
        LLDigestState s;
        ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
        ll_rcache_digest_summary(&s, fs, &c->names);
        LLDigest d = ll_digest_final(&s);
        uint64_t h = ll_strmap_hash(fs->name, strlen(fs->name));
        NameSlot *sl = slot_in(c->byname, c->byname_cap, h);
        sl->hash = h;
        ll_digest_add(&sl->sum, d);
        sl = slot_in(c->byfile, c->byfile_cap, (uint64_t)fs->file + 1);
        sl->hash = (uint64_t)fs->file + 1;
        ll_digest_add(&sl->sum, d);
    }
}

void ll_rcache_end(LLRcache *c, void (*diag)(void *ctx, const char *message), void *ctx)
{
    if (!c)
        return;
    LLBuf w;
    ll_buf_init(&w);
    if (c->usable)
        ll_rcache_store_commit(&c->store, &w);
    if (w.len)
        ll_buf_append(&c->warnings, w.data, w.len);
    ll_buf_release(&w);
    char *p = c->warnings.data;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (*p)
            diag(ctx, p);
        p = nl ? nl + 1 : p + strlen(p);
    }
    ll_buf_reset(&c->warnings);
    run_release(c);
}

/* ---- records ----------------------------------------------------------------- */

/* The inputs one analysis read of the passes' state (rcache.h: VIEW). */
typedef struct View {
    uint64_t forced;
    LLDigest aliases, aliases_view; /* all of them; those the file can use */
    LLDigest set_global[LL_RCACHE_NSETS], set_view[LL_RCACHE_NSETS];
    LLDigest own, deps;
} View;

typedef LL_VEC(uint64_t) Trace; /* name, method of each dependency */

/* The digest of the summaries a file's dependencies name. */
static LLDigest deps_digest(const LLRcache *c, const uint64_t *trace, size_t n)
{
    LLDigestState s;
    ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
    for (size_t i = 0; i < n; i++) {
        ll_digest_put_u64(&s, trace[i]);
        ll_digest_put_digest(&s, trace[i] ? byname_get(c, trace[i]) : zero_digest);
    }
    return ll_digest_final(&s);
}

static void put_view(LLBuf *b, const View *v)
{
    ll_rcache_put_varint(b, v->forced);
    ll_rcache_put_digest(b, v->aliases);
    ll_rcache_put_digest(b, v->aliases_view);
    for (int k = 0; k < LL_RCACHE_NSETS; k++) {
        ll_rcache_put_digest(b, v->set_global[k]);
        ll_rcache_put_digest(b, v->set_view[k]);
    }
    ll_rcache_put_digest(b, v->own);
    ll_rcache_put_digest(b, v->deps);
}

static void get_view(LLRcacheReader *r, View *v)
{
    v->forced = ll_rcache_get_varint(r);
    v->aliases = ll_rcache_get_digest(r);
    v->aliases_view = ll_rcache_get_digest(r);
    for (int k = 0; k < LL_RCACHE_NSETS; k++) {
        v->set_global[k] = ll_rcache_get_digest(r);
        v->set_view[k] = ll_rcache_get_digest(r);
    }
    v->own = ll_rcache_get_digest(r);
    v->deps = ll_rcache_get_digest(r);
}

/* A record's head: the keys, the view and the trace. */
typedef struct Head {
    LLDigest global, file_key, content;
    uint64_t size;
    LLRcacheStat stat;    /* before the read */
    int64_t rec_s, rec_ns; /* when the entry was made (after the read) */
    char *path;
    size_t after_stat;    /* offset in the body of what follows the stat */
    View view;
    Trace trace;
} Head;

static void put_stat(LLBuf *b, const LLRcacheStat *st, int64_t rec_s, int64_t rec_ns)
{
    ll_rcache_put_varint(b, st->known);
    if (!st->known)
        return;
    uint64_t w[] = {st->size, st->ino, st->dev, (uint64_t)st->mtime_s, (uint64_t)st->mtime_ns,
                    (uint64_t)st->ctime_s, (uint64_t)st->ctime_ns, (uint64_t)rec_s, (uint64_t)rec_ns};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        ll_rcache_put_u64(b, w[i]);
}

static void get_stat(LLRcacheReader *r, Head *h)
{
    uint64_t known = ll_rcache_get_varint(r);
    if (known > 1)
        r->bad = true;
    h->stat.known = known == 1;
    if (!h->stat.known)
        return;
    h->stat.size = ll_rcache_get_u64(r);
    h->stat.ino = ll_rcache_get_u64(r);
    h->stat.dev = ll_rcache_get_u64(r);
    h->stat.mtime_s = (int64_t)ll_rcache_get_u64(r);
    h->stat.mtime_ns = (int64_t)ll_rcache_get_u64(r);
    h->stat.ctime_s = (int64_t)ll_rcache_get_u64(r);
    h->stat.ctime_ns = (int64_t)ll_rcache_get_u64(r);
    h->rec_s = (int64_t)ll_rcache_get_u64(r);
    h->rec_ns = (int64_t)ll_rcache_get_u64(r);
}

/* Whether time (s, ns) is at least LL_RCACHE_RACY_SECONDS before (rs, rns). */
static bool well_before(int64_t s, int64_t ns, int64_t rs, int64_t rns)
{
    int64_t limit = rs - LL_RCACHE_RACY_SECONDS;
    return s < limit || (s == limit && ns < rns);
}

/* The stat shortcut (rcache.h): the same stat as before the entry's read,
 * and the file unchanged for a while before that read. */
static bool stat_says_same(const Head *h, const LLRcacheStat *now)
{
    const LLRcacheStat *was = &h->stat;
    return was->known && now->known && was->size == now->size && was->ino == now->ino &&
           was->dev == now->dev && was->mtime_s == now->mtime_s && was->mtime_ns == now->mtime_ns &&
           was->ctime_s == now->ctime_s && was->ctime_ns == now->ctime_ns && was->size == h->size &&
           well_before(was->mtime_s, was->mtime_ns, h->rec_s, h->rec_ns) &&
           well_before(was->ctime_s, was->ctime_ns, h->rec_s, h->rec_ns);
}

static void head_release(Head *h)
{
    free(h->path);
    LL_VEC_FREE(&h->trace);
}

/* The largest trace a record may hold: two words per dependency, at most
 * one dependency per call a file's analysis can note. */
static bool get_head(LLRcacheReader *r, Head *h)
{
    const uint8_t *body = r->p;
    memset(h, 0, sizeof *h);
    h->global = ll_rcache_get_digest(r);
    bool isnull;
    h->path = ll_rcache_get_str(r, &isnull);
    h->file_key = ll_rcache_get_digest(r);
    h->content = ll_rcache_get_digest(r);
    h->size = ll_rcache_get_varint(r);
    get_stat(r, h);
    h->after_stat = (size_t)(r->p - body);
    get_view(r, &h->view);
    uint64_t n = ll_rcache_get_varint(r);
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        if (r->end - r->p < 16) {
            r->bad = true;
            break;
        }
        LL_VEC_PUSH(&h->trace, ll_rcache_get_u64(r));
        LL_VEC_PUSH(&h->trace, ll_rcache_get_u64(r));
    }
    return !r->bad && h->path;
}

/* After the head: the file's slot of the pre-filter's state (pyanalyzer.h
 * LL_PY_*: at most LL_RCACHE_MAX_SKIPPED), its Bloom filter and the digest
 * of its parse plan with the bytes it left out (split.h), then the
 * result. */
static LLRcacheDecode get_output(LLRcacheReader *r, const LLRcacheNames *names, LLFileResult *out,
                                 uint8_t *skipped, uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                                 uint64_t plan[LL_RCACHE_PLAN_WORDS])
{
    uint64_t sk = ll_rcache_get_varint(r);
    if (sk > LL_RCACHE_MAX_SKIPPED)
        r->bad = true;
    *skipped = (uint8_t)sk;
    for (unsigned i = 0; i < LL_NAMESET_BLOOM_WORDS; i++)
        bloom[i] = ll_rcache_get_u64(r);
    for (unsigned i = 0; i < LL_RCACHE_PLAN_WORDS; i++)
        plan[i] = ll_rcache_get_u64(r);
    if (r->bad)
        return LL_RCACHE_DECODE_CORRUPT;
    LLRcacheDecode d = ll_rcache_decode_result(r, names, out);
    if (d == LL_RCACHE_DECODE_OK && r->p != r->end) { /* bytes after the result */
        ll_file_result_release(out);
        memset(out, 0, sizeof *out);
        return LL_RCACHE_DECODE_CORRUPT;
    }
    return d;
}

/* The view of `file` in the current pass: `trace` its dependencies, `ids`
 * its identifiers (NULL: the sets' own parts are not needed: `need` says
 * which are). */
static void current_view(const LLRcache *c, uint32_t file, const uint64_t *trace, size_t ntrace,
                         View *v)
{
    v->forced = (c->state.forced ? c->state.forced[file] : 0) | (c->state.facts ? 2u : 0u);
    v->aliases = c->aliases;
    v->aliases_view = zero_digest; /* made from the file's identifiers when needed */
    for (int k = 0; k < LL_RCACHE_NSETS; k++)
        v->set_global[k] = c->set_global[k];
    v->own = sum_in(c->byfile, c->byfile_cap, (uint64_t)file + 1);
    v->deps = deps_digest(c, trace, ntrace);
}

static bool cacheable_now(LLRcache *c, uint32_t file, LLRcacheProbe *pr)
{
    if (!c || !c->running || file >= c->n || !c->cacheable[file])
        return false;
    pr->ordinal = c->ordinal[file];
    if (pr->ordinal >= LL_RCACHE_MAX_ORDINAL) {
        if (pr->ordinal == LL_RCACHE_MAX_ORDINAL) /* once per file */
            ll_rcache_warn(c,
                           "%s was analysed more than " LL_STR(LL_RCACHE_MAX_ORDINAL)
                           " times in one run: the later analyses are not cached",
                           c->files->files.items[file].display);
        c->ordinal[file]++;
        atomic_fetch_add(&c->not_cached, 1);
        return false;
    }
    return true;
}

/* A hit whose stat did not do (the file was read and digested: its stat
 * changed, or the entry was made just after a change, "racily"): the
 * entry is stored again with this run's stat, when that one can be trusted
 * next time, so that the next run need not read the file. */
static void refresh_stat(LLRcache *c, const LLRcacheProbe *pr, const uint8_t *body, size_t blen,
                         size_t after_stat)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const LLRcacheStat *st = &pr->stat;
    if (!st->known || st->size != pr->size || after_stat > blen ||
        !well_before(st->mtime_s, st->mtime_ns, now.tv_sec, now.tv_nsec) ||
        !well_before(st->ctime_s, st->ctime_ns, now.tv_sec, now.tv_nsec))
        return;
    LLBuf b, why;
    ll_buf_init(&b);
    ll_buf_init(&why);
    ll_rcache_put_digest(&b, c->global);
    ll_rcache_put_str(&b, c->files->files.items[pr->file].path);
    ll_rcache_put_digest(&b, pr->file_key);
    ll_rcache_put_digest(&b, pr->content);
    ll_rcache_put_varint(&b, pr->size);
    put_stat(&b, st, (int64_t)now.tv_sec, (int64_t)now.tv_nsec);
    ll_buf_append(&b, body + after_stat, blen - after_stat);
    if (ll_rcache_store_put(&c->store, pr->entry_name, pr->ordinal, b.data, b.len, &why))
        atomic_fetch_add(&c->refreshed, 1);
    ll_buf_release(&b);
    ll_buf_release(&why);
}

static void stat_of(const struct stat *st, LLRcacheStat *out)
{
    memset(out, 0, sizeof *out);
    if (!st)
        return;
    out->known = true;
    out->size = (uint64_t)st->st_size;
    out->ino = (uint64_t)st->st_ino;
    out->dev = (uint64_t)st->st_dev;
    out->mtime_s = (int64_t)st->st_mtim.tv_sec;
    out->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    out->ctime_s = (int64_t)st->st_ctim.tv_sec;
    out->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

bool ll_rcache_lookup(LLRcache *c, uint32_t file, const struct stat *st, LLRcacheBytesFn bytes_fn,
                      LLRcacheIdsFn ids_fn, void *ids_ctx, LLRcacheProbe *pr, LLFileResult *out,
                      uint8_t *skipped, uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                      uint64_t plan[LL_RCACHE_PLAN_WORDS])
{
    memset(pr, 0, sizeof *pr);
    pr->file = file;
    if (!cacheable_now(c, file, pr))
        return false;
    pr->active = true;
    file_keys(c, file, &pr->file_key, &pr->entry_name);
    stat_of(st, &pr->stat);
    atomic_fetch_add(&c->lookups, 1);
    LLBuf why;
    ll_buf_init(&why);
    uint8_t *data = NULL;
    const uint8_t *body = NULL;
    size_t blen = 0, refresh_at = 0;
    bool hit = false;
    const char *display = c->files->files.items[file].display;
    LLRcacheEntryStatus es = ll_rcache_store_get(&c->store, pr->entry_name, pr->ordinal, &data,
                                                 &body, &blen, &why);
    if (es == LL_RCACHE_ENTRY_BAD) {
        atomic_fetch_add(&c->bad_entries, 1);
        ll_rcache_warn(c, "the cache entry of %s is %s: not used, %s is analysed again", display,
                       why.data, display);
    }
    if (es != LL_RCACHE_ENTRY_OK)
        goto done;
    LLRcacheReader r;
    ll_rcache_reader_init(&r, body, blen);
    Head h;
    if (!get_head(&r, &h)) {
        atomic_fetch_add(&c->bad_entries, 1);
        ll_rcache_warn(c, "the cache entry of %s in %s is malformed: not used, %s is analysed again",
                       display, c->store.pack_path, display);
        head_release(&h);
        goto done;
    }
    if (strcmp(h.path, c->files->files.items[file].path) != 0) {
        atomic_fetch_add(&c->bad_entries, 1);
        ll_rcache_warn(c, "the cache entry of %s in %s is for %s: not used, %s is analysed again",
                       c->files->files.items[file].path, c->store.pack_path, h.path, display);
        head_release(&h);
        goto done;
    }
    /* the keys, the content, then the view */
    View now;
    current_view(c, file, h.trace.items, h.trace.len, &now);
    bool same = ll_digest_eq(h.global, c->global) && ll_digest_eq(h.file_key, pr->file_key);
    if (same && stat_says_same(&h, &pr->stat)) {
        pr->content = h.content; /* unchanged since the entry's read */
        pr->size = h.size;
        pr->have_content = true;
    } else if (same) {
        const char *bytes;
        size_t len;
        if (bytes_fn(ids_ctx, &bytes, &len)) {
            pr->content = ll_digest_bytes(c->store.key, bytes, len);
            pr->size = len;
            pr->have_content = pr->content_read = true;
            same = ll_digest_eq(h.content, pr->content) && h.size == pr->size;
        } else {
            same = false;
        }
    }
    same = same && h.view.forced == now.forced && ll_digest_eq(h.view.own, now.own) &&
                ll_digest_eq(h.view.deps, now.deps);
    const LLIdentSet *ids = NULL;
    if (same && !ll_digest_eq(h.view.aliases, now.aliases)) {
        /* other aliases: the same ones for this file? */
        if (!(ids = ids_fn(ids_ctx)))
            same = false;
        else
            same = ll_digest_eq(h.view.aliases_view, aliases_view(c, ids));
    }
    for (int k = 0; same && k < LL_RCACHE_NSETS; k++) {
        if (ll_digest_eq(h.view.set_global[k], now.set_global[k]))
            continue; /* the same set: the same part of it */
        if (!ids && !(ids = ids_fn(ids_ctx)))
            same = false;
        else
            same = ll_digest_eq(h.view.set_view[k], pass_set_view(c, k, ids));
    }
    refresh_at = h.after_stat;
    head_release(&h);
    if (!same)
        goto done;
    /* the run's slots only on a hit */
    uint64_t got_bloom[LL_NAMESET_BLOOM_WORDS], got_plan[LL_RCACHE_PLAN_WORDS];
    LLRcacheDecode d = get_output(&r, &c->names, out, skipped, got_bloom, got_plan);
    if (d == LL_RCACHE_DECODE_OK) {
        memcpy(bloom, got_bloom, sizeof got_bloom);
        memcpy(plan, got_plan, sizeof got_plan);
    }
    if (d == LL_RCACHE_DECODE_CORRUPT) {
        atomic_fetch_add(&c->bad_entries, 1);
        ll_rcache_warn(c, "the cache entry of %s in %s is malformed: not used, %s is analysed again",
                       display, c->store.pack_path, display);
    }
    hit = d == LL_RCACHE_DECODE_OK;
done:
    if (pr->have_content) { /* each worker writes its own file's slot */
        c->content[file] = pr->content;
        c->have_content[file] = 1;
    }
    if (hit) {
        atomic_fetch_add(&c->hits, 1);
        if (pr->content_read)
            refresh_stat(c, pr, body, blen, refresh_at);
        c->ordinal[file]++;
        pr->active = false; /* nothing to record */
    }
    free(data);
    ll_buf_release(&why);
    return hit;
}

static bool has_error(const LLFileResult *res)
{
    for (size_t i = 0; i < res->diags.len; i++)
        if (res->diags.items[i].kind == LL_DIAG_ERROR)
            return true;
    return false;
}

void ll_rcache_record(LLRcache *c, LLRcacheProbe *pr, const char *bytes, size_t len,
                      const LLIdentSet *ids, const LLFileResult *res, uint8_t skipped,
                      const uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                      const uint64_t plan[LL_RCACHE_PLAN_WORDS])
{
    if (!c || !pr->active || !c->running)
        return;
    pr->active = false;
    uint32_t file = pr->file;
    c->ordinal[file]++;
    if (has_error(res) || !ids || !bytes) {
        atomic_fetch_add(&c->not_cached, 1);
        return;
    }
    /* the digest of what this analysis read (its stat was taken before);
     * the lookup's when it read the same bytes */
    if (!pr->content_read) {
        pr->content = ll_digest_bytes(c->store.key, bytes, len);
        pr->size = len;
    }
    c->content[file] = pr->content;
    c->have_content[file] = 1;
    struct timespec rec;
    clock_gettime(CLOCK_REALTIME, &rec);
    Trace trace = {0};
    for (size_t i = 0; i < res->deps.len; i++) {
        LL_VEC_PUSH(&trace, res->deps.items[i].name);
        LL_VEC_PUSH(&trace, res->deps.items[i].method);
    }
    View v;
    current_view(c, file, trace.items, trace.len, &v);
    for (int k = 0; k < LL_RCACHE_NSETS; k++)
        v.set_view[k] = pass_set_view(c, k, ids);
    v.aliases_view = aliases_view(c, ids);
    LLBuf body;
    ll_buf_init(&body);
    ll_rcache_put_digest(&body, c->global);
    ll_rcache_put_str(&body, c->files->files.items[file].path);
    ll_rcache_put_digest(&body, pr->file_key);
    ll_rcache_put_digest(&body, pr->content);
    ll_rcache_put_varint(&body, pr->size);
    put_stat(&body, &pr->stat, (int64_t)rec.tv_sec, (int64_t)rec.tv_nsec);
    put_view(&body, &v);
    ll_rcache_put_varint(&body, trace.len / 2);
    for (size_t i = 0; i < trace.len; i++)
        ll_rcache_put_u64(&body, trace.items[i]);
    ll_rcache_put_varint(&body, skipped);
    for (unsigned i = 0; i < LL_NAMESET_BLOOM_WORDS; i++)
        ll_rcache_put_u64(&body, bloom[i]);
    for (unsigned i = 0; i < LL_RCACHE_PLAN_WORDS; i++)
        ll_rcache_put_u64(&body, plan ? plan[i] : 0);
    ll_rcache_encode_result(&body, res, &c->names);
    LL_VEC_FREE(&trace);
    const char *display = c->files->files.items[file].display;
    if (body.len + LL_RCACHE_HEADER_BYTES > LL_RCACHE_MAX_ENTRY_BYTES) {
        atomic_fetch_add(&c->store_failed, 1);
        ll_rcache_warn(c,
                       "the results of %s take %zu bytes, more than a cache entry may hold (%u): "
                       "not cached, it is analysed again on every run",
                       display, body.len, LL_RCACHE_MAX_ENTRY_BYTES);
        ll_buf_release(&body);
        return;
    }
    LLBuf why;
    ll_buf_init(&why);
    if (ll_rcache_store_put(&c->store, pr->entry_name, pr->ordinal, body.data, body.len, &why)) {
        atomic_fetch_add(&c->stored, 1);
    } else {
        /* one warning per run is enough: the next write meets the same */
        if (atomic_fetch_add(&c->store_failed, 1) == 0)
            ll_rcache_warn(c, "the result cache cannot be written (%s): this run's results are "
                              "not cached", why.data);
    }
    ll_buf_release(&why);
    ll_buf_release(&body);
}

/* ---- skipped files others need ------------------------------------------------ */

/* The entry of file's answer for the current `returns` (its digest made
 * once per size of the set: between two calls the set only grows). */
/* The digest of a name set as a whole, made once per size of the set. */
static LLDigest memo_set_digest(LLRcache *c, const LLNameSet *set)
{
    size_t size = set ? set->names.count : 0, free_slot = 0;
    for (size_t i = 0; i < LL_RCACHE_ANSWER_SETS; i++) {
        if (c->set_memo[i].set == set && set) {
            if (c->set_memo[i].size != size) {
                c->set_memo[i].digest = ll_rcache_set_digest(set, NULL);
                c->set_memo[i].size = size;
            }
            return c->set_memo[i].digest;
        }
        if (!c->set_memo[i].set)
            free_slot = i;
    }
    LLDigest d = ll_rcache_set_digest(set, NULL);
    if (set) { /* a free slot (the last one found), else the first */
        c->set_memo[free_slot].set = set;
        c->set_memo[free_slot].size = size;
        c->set_memo[free_slot].digest = d;
    }
    return d;
}

/* The name of an answer about a file's text (`what`: "needed", "plan")
 * under its content's digest and the digests of `sets`. */
static bool answer_name(LLRcache *c, uint32_t file, const char *what, const LLNameSet *const *sets,
                        size_t nsets, LLDigest *name)
{
    if (!c || !c->running || file >= c->n || !c->cacheable[file] || !c->have_content[file])
        return false;
    LLDigestState s;
    ll_digest_init(&s, c->store.key);
    ll_digest_put_str(&s, what);
    ll_digest_put_digest(&s, c->global);
    ll_digest_put_str(&s, c->files->files.items[file].path);
    ll_digest_put_digest(&s, c->content[file]);
    for (size_t i = 0; i < nsets; i++)
        ll_digest_put_digest(&s, memo_set_digest(c, sets[i]));
    *name = ll_digest_final(&s);
    return true;
}

/* An answer's value (at most `max`), or false when not known. */
static bool answer_get(LLRcache *c, uint32_t file, LLDigest name, uint64_t max, uint64_t *value)
{
    uint8_t *data = NULL;
    const uint8_t *body;
    size_t blen;
    LLBuf why;
    ll_buf_init(&why);
    bool known = false;
    LLRcacheEntryStatus es = ll_rcache_store_get(&c->store, name, 0, &data, &body, &blen, &why);
    if (es == LL_RCACHE_ENTRY_OK) {
        LLRcacheReader r;
        ll_rcache_reader_init(&r, body, blen);
        LLDigest echo = ll_rcache_get_digest(&r);
        uint64_t v = ll_rcache_get_u64(&r);
        if (!r.bad && r.p == r.end && ll_digest_eq(echo, name) && v <= max) {
            *value = v;
            known = true;
        } else {
            es = LL_RCACHE_ENTRY_BAD, ll_buf_puts(&why, "malformed");
        }
    }
    if (es == LL_RCACHE_ENTRY_BAD) {
        atomic_fetch_add(&c->bad_entries, 1);
        ll_rcache_warn(c, "the cache entry of what %s mentions is %s: not used, it is read again",
                       c->files->files.items[file].display, why.data);
    }
    free(data);
    ll_buf_release(&why);
    return known;
}

/* Stores an answer made from `bytes`, unless they are not what the run's
 * digest of the file says (a file changed meanwhile). */
static void answer_put(LLRcache *c, uint32_t file, LLDigest name, const char *bytes, size_t len,
                       uint64_t value)
{
    if (!ll_digest_eq(ll_digest_bytes(c->store.key, bytes, len), c->content[file]))
        return;
    LLBuf body, why;
    ll_buf_init(&body);
    ll_buf_init(&why);
    ll_rcache_put_digest(&body, name);
    ll_rcache_put_u64(&body, value);
    if (!ll_rcache_store_put(&c->store, name, 0, body.data, body.len, &why) &&
        atomic_fetch_add(&c->store_failed, 1) == 0)
        ll_rcache_warn(c, "the result cache cannot be written (%s): this run's results are not "
                          "cached", why.data);
    ll_buf_release(&body);
    ll_buf_release(&why);
}

int ll_rcache_needed_get(LLRcache *c, uint32_t file, const LLNameSet *returns)
{
    LLDigest name;
    uint64_t v;
    if (!answer_name(c, file, "needed", &returns, 1, &name) || !answer_get(c, file, name, 1, &v))
        return -1;
    return (int)v;
}

void ll_rcache_needed_put(LLRcache *c, uint32_t file, const LLNameSet *returns,
                          const char *bytes, size_t len, bool answer)
{
    LLDigest name;
    if (answer_name(c, file, "needed", &returns, 1, &name))
        answer_put(c, file, name, bytes, len, answer ? 1u : 0u);
}

bool ll_rcache_plan_get(LLRcache *c, uint32_t file, const LLNameSet *const *sets, size_t nsets,
                        uint64_t *plan)
{
    LLDigest name;
    return answer_name(c, file, "plan", sets, nsets, &name) &&
           answer_get(c, file, name, UINT64_MAX, plan);
}

void ll_rcache_plan_put(LLRcache *c, uint32_t file, const LLNameSet *const *sets, size_t nsets,
                        const char *bytes, size_t len, uint64_t plan)
{
    LLDigest name;
    if (answer_name(c, file, "plan", sets, nsets, &name))
        answer_put(c, file, name, bytes, len, plan);
}

/* ---- the project's aliases ------------------------------------------------------ */

static LLDigest aliases_inputs(const LLRcache *c, const char *const *modules,
                               const LLExports *const *facts, size_t n, const LLStrMap *roots)
{
    LLDigestState s;
    ll_digest_init(&s, c->store.key);
    ll_digest_put_str(&s, "aliases");
    ll_digest_put_digest(&s, c->global);
    ll_digest_put_u64(&s, n);
    for (size_t i = 0; i < n; i++) {
        ll_digest_put_str(&s, modules[i]);
        const LLExports *f = facts[i];
        ll_digest_put_u64(&s, f ? f->len + 1 : 0);
        for (size_t k = 0; f && k < f->len; k++) {
            const LLExport *e = &f->items[k];
            ll_digest_put_u64(&s, (uint64_t)e->kind << 1 | e->restricts);
            ll_digest_put_str(&s, e->name);
            ll_digest_put_str(&s, e->target);
        }
    }
    /* the roots, in no order */
    LLDigest sum = zero_digest;
    for (size_t i = 0; roots && i < roots->cap; i++)
        if (roots->slots[i].hash)
            ll_digest_add(&sum, ll_digest_bytes(LL_DIGEST_CHECKSUM_KEY, roots->slots[i].key,
                                                roots->slots[i].len));
    ll_digest_put_digest(&s, sum);
    return ll_digest_final(&s);
}

/* Reads the aliases of entry `path` into out (empty); false when it is
 * not there or not for `key` (a damaged one is reported). */
static bool aliases_load(LLRcache *c, LLDigest name, LLDigest key, LLStrMap *out)
{
    uint8_t *data = NULL;
    const uint8_t *body;
    size_t blen;
    LLBuf why;
    ll_buf_init(&why);
    LLRcacheEntryStatus es = ll_rcache_store_get(&c->store, name, 0, &data, &body, &blen, &why);
    bool ok = false;
    if (es == LL_RCACHE_ENTRY_OK) {
        LLRcacheReader r;
        ll_rcache_reader_init(&r, body, blen);
        LLDigest k = ll_rcache_get_digest(&r);
        uint64_t count = ll_rcache_get_varint(&r);
        if (!r.bad && ll_digest_eq(k, key) && count <= LL_MAX_ALIASES) {
            for (uint64_t i = 0; i < count && !r.bad; i++) {
                bool isnull;
                char *from = ll_rcache_get_str(&r, &isnull);
                char *to = r.bad ? NULL : ll_rcache_get_str(&r, &isnull);
                if (r.bad || !from || !to || ll_strmap_get(out, from, strlen(from), NULL)) {
                    r.bad = true;
                    free(from);
                    free(to);
                    break;
                }
                ll_strmap_put(out, from, strlen(from), (intptr_t)to);
            }
            ok = !r.bad && r.p == r.end;
        } else if (!r.bad && ll_digest_eq(k, key)) {
            r.bad = true;
        }
        if (r.bad)
            es = LL_RCACHE_ENTRY_BAD, ll_buf_puts(&why, "malformed");
        if (!ok)
            ll_aliases_release(out);
    }
    if (es == LL_RCACHE_ENTRY_BAD) {
        atomic_fetch_add(&c->bad_entries, 1);
        ll_rcache_warn(c, "the cache entry of the project's aliases is %s: not used, they are "
                          "made again", why.data);
    }
    free(data);
    ll_buf_release(&why);
    return ok;
}

size_t ll_rcache_resolve_aliases(LLRcache *c, const char *const *modules,
                                 const LLExports *const *facts, size_t n, const LLStrMap *roots,
                                 LLStrMap *out)
{
    if (!c || !c->running)
        return ll_exports_resolve(modules, facts, n, roots, out);
    LLDigest key = aliases_inputs(c, modules, facts, n, roots);
    LLDigest name = key;
    name.lo ^= 0x616c696173657321ull; /* not a file's entry name */
    ll_strmap_init(out);
    if (aliases_load(c, name, key, out))
        return out->count;
    size_t count = ll_exports_resolve(modules, facts, n, roots, out);
    LLBuf body, why;
    ll_buf_init(&body);
    ll_buf_init(&why);
    ll_rcache_put_digest(&body, key);
    ll_rcache_put_varint(&body, out->count);
    for (size_t i = 0; i < out->cap; i++) {
        const LLStrMapSlot *sl = &out->slots[i];
        if (!sl->hash)
            continue;
        ll_rcache_put_str(&body, sl->key);
        ll_rcache_put_str(&body, (const char *)sl->value);
    }
    if (body.len + LL_RCACHE_HEADER_BYTES > LL_RCACHE_MAX_ENTRY_BYTES)
        ll_rcache_warn(c, "the project's aliases take %zu bytes, more than a cache entry may hold "
                          "(%u): not cached",
                       body.len, LL_RCACHE_MAX_ENTRY_BYTES);
    else if (!ll_rcache_store_put(&c->store, name, 0, body.data, body.len, &why) &&
             atomic_fetch_add(&c->store_failed, 1) == 0)
        ll_rcache_warn(c, "the result cache cannot be written (%s): this run's results are not "
                          "cached", why.data);
    ll_buf_release(&body);
    ll_buf_release(&why);
    return count;
}

/* ---- the fuzz target's way in ------------------------------------------------- */

static const char *probe_file_name(void *ctx, uint32_t f)
{
    (void)ctx;
    return f == 0 ? "a.py" : "b.py";
}

static const char *probe_rule(void *ctx, uint32_t r)
{
    (void)ctx;
    return r == 0 ? "LL101" : "LL201";
}

static bool probe_file_index(void *ctx, const char *name, uint32_t *out)
{
    (void)ctx;
    /* any name ending in ".py" is a file of the run */
    size_t n = strlen(name);
    if (n < 3 || strcmp(name + n - 3, ".py") != 0)
        return false;
    *out = (uint32_t)(n % 7);
    return true;
}

static bool probe_rule_index(void *ctx, const char *code, uint32_t *out)
{
    (void)ctx;
    if (strncmp(code, "LL", 2) != 0)
        return false;
    *out = (uint32_t)strlen(code);
    return true;
}

bool ll_rcache_entry_probe(const uint8_t *data, size_t n, bool body_only)
{
    const uint8_t *body = data;
    size_t blen = n;
    const char *why;
    if (!body_only && !ll_rcache_entry_check(data, n, &body, &blen, &why))
        return false;
    LLRcacheNames names = {NULL, probe_file_name, probe_file_name, probe_rule, probe_file_index,
                           probe_rule_index};
    LLRcacheReader r;
    ll_rcache_reader_init(&r, body, blen);
    Head h;
    bool ok = get_head(&r, &h);
    head_release(&h);
    if (!ok)
        return false;
    LLFileResult out;
    uint8_t skipped;
    uint64_t bloom[LL_NAMESET_BLOOM_WORDS], plan[LL_RCACHE_PLAN_WORDS];
    LLRcacheDecode d = get_output(&r, &names, &out, &skipped, bloom, plan);
    if (d != LL_RCACHE_DECODE_OK)
        return false;
    /* what a run does with a result: every summary goes through a digest */
    LLDigestState s;
    ll_digest_init(&s, LL_DIGEST_CHECKSUM_KEY);
    for (size_t i = 0; i < out.summaries.len; i++)
        ll_rcache_digest_summary(&s, out.summaries.items[i], &names);
    (void)ll_digest_final(&s);
    ll_file_result_release(&out);
    return true;
}
