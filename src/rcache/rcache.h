/* rcache.h - the persistent result cache: a re-run analyses only what
 * changed, and its output is the output of a cold run, byte for byte.
 *
 * What is cached: each analysis of a Python file by the run (run.h: the
 * facts pass reads every file, pass 0 parses those the pre-filter keeps,
 * later passes re-analyse the files that may see what earlier passes
 * learned), as one entry (store.h) holding what went in and what came out:
 *
 *   in   the run-wide key (below); the file's key: path, display, absolute
 *        path, kind and the digest of its settings (ll_settings_print, so
 *        every key of the configuration counts but those that only choose
 *        files or exit codes); the keyed digest of its bytes as read (the
 *        digest decides, but for git's stat shortcut: ll_rcache_lookup); and
 *        the VIEW: what the analysis read of the state the passes built:
 *          - whether the run forced it to be parsed, and whether the
 *            pass is the facts pass (pyanalyzer.h facts_only);
 *          - the project's re-export aliases (exports.h): all of them,
 *            and those the file may use: the aliases whose key's last
 *            segment is one of its identifiers (an alias applies to a name
 *            it is a dotted prefix of, and names are built from the file's
 *            own text, so all the key's segments are among them; the
 *            pre-filter's alias names rest on the same fact);
 *          - the name sets of the passes (functions with sinks, functions
 *            returning untrusted data; LL_RCACHE_SET_*): each as a whole,
 *            and the part of it the file's identifiers can match (the
 *            analysis reads these sets only through the file's
 *            identifiers: nameset.h match_set and the offsets of last
 *            segments);
 *          - the summaries of the functions it looked up: the digest of
 *            every summary whose name is one of its dependencies (LLDep:
 *            name and method hashes, any file), and of its own file's
 *            summaries from earlier passes;
 *   out  its LLFileResult (serial.h), and the file's slots of the run's
 *        per-file state the analyzer writes (pyanalyzer.h): the
 *        pre-filter's slot (parsed, skipped, wanted by the facts pass, or
 *        parsed in part: LL_PY_*), its Bloom filter (as it is after the
 *        analysis; its domain is in the run-wide key) and its parse plan
 *        (split.h: a digest and the bytes left out; 0 when parsed whole). An analyzer that comes to write any other state of the
 *        run must have it stored here too, or hits would not restore it.
 *
 * The run-wide key: loadlint's version, the digest of the executable (the
 * engine and the built-in rules) and of the shared libraries it maps
 * (their paths, sizes, inodes and times: tree-sitter's runtime, PCRE2,
 * the C library's iconv), the cache format, the ruleset (every
 * rule's code, origin, scope and whether it is enabled; the pre-filter),
 * what ll_rcache_key added (the bytes of every rule directory's files
 * and of the project's dependency files: scan_cache.h; the Bloom filters'
 * domain: run.c), the run options that change results, and
 * the project's layout (every Python file's path, display, kind and module
 * name: module resolution depends on all of them). A mismatch in any of
 * these is not a hit: the file is analysed again, never partly trusted.
 *
 * Why reuse is exact: the run keeps its passes as they are and asks the
 * cache before each analysis; a hit returns what the analysis returned when
 * its inputs were the same, so every pass, every later decision and the
 * output are those of a cold run. The inputs are complete because the
 * analysis of one file reads nothing else: its bytes and settings, the
 * ruleset and options, the layout (module names), and, from the passes,
 * exactly the state listed in the VIEW. Summaries are looked up only by
 * names the file's data flow and calls produce, and every such lookup of
 * another file's function is recorded as an LLDep (match.c note_dep,
 * note_lookup) whose summaries (by name, in every file) are digested; a
 * lookup that resolves to the file's own module reads its own summaries.
 * (One case is not recorded by match.c: `P().m(...)` where P is itself a
 * module and no prefix of P is; code that calls a module.)
 *
 * Not cached: standard input, model files (artifact analyzer: their reads
 * are partial by design), results holding an error diagnostic (unreadable
 * file, parse timeout) and files whose bytes could not be decoded.
 *
 * Problems with the cache (a damaged entry, a directory that cannot be
 * written, an entry over its size limit, a sweep) are warnings of the run
 * (file UINT32_MAX, naming the entry and the file); the scan goes on as if
 * the entry were not there.
 *
 * Threads: ll_rcache_begin, ll_rcache_pass and ll_rcache_end run on the
 * run's thread between passes; ll_rcache_lookup and ll_rcache_record run
 * on the workers, each on its own file (per-file state only; warnings go
 * through a mutex).
 *
 * Ownership: ll_rcache_open returns a cache the caller frees with
 * ll_rcache_free (NULL accepted); it borrows nothing after the call. What
 * ll_rcache_begin is given (ruleset, files, project, options) is borrowed
 * until ll_rcache_end. No global state. */
#ifndef LL_RCACHE_H
#define LL_RCACHE_H
#include "base/buf.h"
#include "base/nameset.h"
#include "base/strmap.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/project.h"
#include "engine/run.h"
#include "rcache/digest.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* The name sets of the passes a file's analysis reads (run.c): functions
 * with a sink (read by the pre-filter, nameset.h match_set: whole names)
 * and functions returning untrusted data (whole names, and the last
 * segments the matcher looks for in the text). The third set of the
 * passes, rule names as the project's aliases spell them, is made from the
 * aliases and the rules alone, and read through whole names, which hold
 * an alias's key: a file's part of it is a function of the aliases it can
 * use, which the view holds. */
enum { LL_RCACHE_SET_SINKS, LL_RCACHE_SET_RETURNS, LL_RCACHE_NSETS };

/* A file changed less than this before it was read is read and digested
 * at the next run, whatever its stat says (file systems with coarse
 * timestamps, writes in the same clock tick). */
#define LL_RCACHE_RACY_SECONDS 2

/* A file's parse plan slot (pyanalyzer.h LLBloom.plan): the digest of
 * its plan and the bytes it left out. */
#define LL_RCACHE_PLAN_WORDS 2u

/* Name sets whose digests answers are kept under (needed, plan). */
#define LL_RCACHE_ANSWER_SETS 4u

/* The largest value of a file's pre-filter slot (pyanalyzer.h LL_PY_*). */
#define LL_RCACHE_MAX_SKIPPED 3u

/* Analyses of one file a run may take from the cache (passes; more are
 * analysed and not stored: reported once per file). */
#define LL_RCACHE_MAX_ORDINAL 64u

typedef struct LLRcache LLRcache;

typedef struct LLRcacheStats {
    size_t lookups, hits, stored, store_failed, bad_entries;
    size_t not_cached; /* analyses with nothing to look up (limits, errors) */
    size_t refreshed;  /* hits stored again with a stat the next run can trust */
} LLRcacheStats;

/* Opens (creating it when missing) the cache directory `dir` for the
 * project rooted at `scope` (its pack, store.h), with a size limit (0:
 * LL_RCACHE_MAX_BYTES). When the directory cannot be used the cache is
 * inactive (no lookups, no writes) and its first run reports why. */
LLRcache *ll_rcache_open(const char *dir, const char *scope, uint64_t max_bytes);
bool ll_rcache_usable(const LLRcache *c);
void ll_rcache_free(LLRcache *c);
/* The directory. */
const char *ll_rcache_dir(const LLRcache *c);
/* Adds `what` and bytes[0..len) to the run-wide key (before ll_rcache_begin). */
void ll_rcache_key(LLRcache *c, const char *what, const void *bytes, size_t len);
/* A warning to report with the next run's diagnostics. */
void ll_rcache_warn(LLRcache *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the run (run.c) ------------------------------------------------------ */

/* Starts a run over `files` (project: their module names). */
void ll_rcache_begin(LLRcache *c, const LLRuleset *rules, const LLFileList *files,
                     const LLProject *project, const LLRunOptions *opts);

/* The state a pass's analyses read (set before each pass). */
typedef struct LLRcacheState {
    const LLNameSet *sets[LL_RCACHE_NSETS];
    const LLStrMap *aliases; /* NULL: none yet */
    const LLProject *project;
    const uint8_t *forced;   /* per file */
    bool facts;              /* the facts pass (pyanalyzer.h facts_only) */
} LLRcacheState;
void ll_rcache_pass(LLRcache *c, const LLRcacheState *st);

/* Ends the run: its warnings are appended to diags (file UINT32_MAX), the
 * directory is swept when due. */
void ll_rcache_end(LLRcache *c, void (*diag)(void *ctx, const char *message), void *ctx);
void ll_rcache_stats(const LLRcache *c, LLRcacheStats *out);

/* ---- one analysis (the Python analyzer) -------------------------------------- */

/* What a file's stat said before it was read (the fast check, below). */
typedef struct LLRcacheStat {
    bool known;
    uint64_t size, ino, dev;
    int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
} LLRcacheStat;

/* One analysis of one file, between ll_rcache_lookup and ll_rcache_record
 * (on the analyzer's stack). */
typedef struct LLRcacheProbe {
    uint32_t file;
    bool active;     /* the file is cached: record what the analysis gives */
    unsigned ordinal;
    LLDigest file_key, entry_name; /* rcache.c file_keys */
    LLRcacheStat stat;   /* taken before the file was read */
    bool have_content, content_read; /* content_read: from the bytes the analysis reads */
    LLDigest content;
    uint64_t size;
} LLRcacheProbe;

/* The file's bytes (read on demand; false when it cannot be read) and its
 * identifiers (nameset.h, made on demand; NULL when the bytes do not
 * decode). */
typedef bool (*LLRcacheBytesFn)(void *ctx, const char **bytes, size_t *len);
typedef const LLIdentSet *(*LLRcacheIdsFn)(void *ctx);

/* Before analysing `file` (st: its stat() before any read, NULL when it
 * failed): true when the cache holds the result of an analysis with the
 * same inputs; *out (empty before), *skipped (the file's pre-filter slot,
 * pyanalyzer.h LL_PY_*) and bloom (its Bloom filter slot) are then filled.
 *
 * The file's content is the keyed digest of its bytes, which decides,
 * except for one shortcut (git's "racily clean" rule): when the stat
 * (size, mtime, ctime, inode, device) is the one the entry recorded before
 * reading the file, and the file had not changed in the
 * LL_RCACHE_RACY_SECONDS before that read, it has not changed since (every
 * write moves mtime and ctime, and nothing but the clock moves ctime), and
 * the bytes are not read. `bytes` and `ids` are called when the decision
 * needs them. c may be NULL. */
bool ll_rcache_lookup(LLRcache *c, uint32_t file, const struct stat *st, LLRcacheBytesFn bytes,
                      LLRcacheIdsFn ids, void *ctx, LLRcacheProbe *pr, LLFileResult *out,
                      uint8_t *skipped, uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                      uint64_t plan[LL_RCACHE_PLAN_WORDS]);
/* After analysing it (pr from ll_rcache_lookup; bytes: what the analysis
 * read; ids: the file's identifiers, NULL when there are none; skipped,
 * bloom and plan: the file's slots as the analysis left them): stores the
 * result. */
void ll_rcache_record(LLRcache *c, LLRcacheProbe *pr, const char *bytes, size_t len,
                      const LLIdentSet *ids, const LLFileResult *res, uint8_t skipped,
                      const uint64_t bloom[LL_NAMESET_BLOOM_WORDS],
                      const uint64_t plan[LL_RCACHE_PLAN_WORDS]);

/* A skipped file's answer to "does its text mention a source, a source
 * literal or a function of `returns`?" (run.c, between passes: the file is
 * then parsed), kept under the digest of its content as this run found it
 * (ll_rcache_lookup) and the digest of `returns` (sources and literals come
 * from the rules: the run-wide key). needed_get: 1 or 0 when known, -1
 * when not (no content digest of the file this run, no entry, another
 * `returns`). c may be NULL. Run's thread only. */
int ll_rcache_needed_get(LLRcache *c, uint32_t file, const LLNameSet *returns);
/* bytes: the file as read for the answer (stored only when they are what
 * the run's digest of the file says: a file changed meanwhile is not). */
void ll_rcache_needed_put(LLRcache *c, uint32_t file, const LLNameSet *returns,
                          const char *bytes, size_t len, bool answer);

/* A file parsed in part: the digest of its parse plan (split.h; 0: parsed
 * whole) under the name sets a plan reads that passes change (functions
 * with sinks, with untrusted results; rule names as aliases spell them:
 * the rules and sources are the run-wide key), kept under the digest of
 * its content and of the sets, as needed_get/put (run.c, between passes:
 * the file is analysed again when its plan changes). */
bool ll_rcache_plan_get(LLRcache *c, uint32_t file, const LLNameSet *const *sets, size_t nsets,
                        uint64_t *plan);
void ll_rcache_plan_put(LLRcache *c, uint32_t file, const LLNameSet *const *sets, size_t nsets,
                        const char *bytes, size_t len, uint64_t plan);

/* The project's aliases (exports.h ll_exports_resolve, same arguments):
 * a function of every module's facts, kept in the cache under the digest
 * of all of them (names, facts in order, the rule roots). c may be NULL. */
size_t ll_rcache_resolve_aliases(LLRcache *c, const char *const *modules,
                                 const LLExports *const *facts, size_t n, const LLStrMap *roots,
                                 LLStrMap *out);

/* ---- pieces, for tests ---------------------------------------------------------- */

/* The digest of a name set as a whole, and of the part of it `ids` can
 * match (see the top). */
LLDigest ll_rcache_set_digest(const LLNameSet *s, const LLIdentSet *ids);
/* The same part, found from the identifiers' side (what runs use for sets
 * larger than a file's identifiers): always equal to the above. */
LLDigest ll_rcache_set_digest_by_ids(const LLNameSet *s, const LLIdentSet *ids);
/* Checks an entry file's bytes and decodes its record as far as it goes
 * (for the fuzz target): false when it is rejected. */
bool ll_rcache_entry_probe(const uint8_t *data, size_t n, bool body_only);

#endif
