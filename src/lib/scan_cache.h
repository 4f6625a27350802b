/* scan_cache.h - the scan's result cache (rcache/rcache.h) and pre-commit
 * runs: what ll_scan_run (scan.c) calls around discovery and analysis.
 *
 * The project root is the directory of the nearest configuration file or
 * `.git` above the first path (whichever is nearer), else the first path
 * (a directory) or its directory. The cache lives in the root's settings'
 * cache-dir (--cache-dir, `cache-dir = ...`), by default
 * <root>/.loadlint_cache; `cache = false` (--no-cache) turns it off.
 *
 * Pre-commit exactness: when every path is a named file (no directory, no
 * standard input), the cache is on and the root was found by a
 * configuration file or `.git`, the named files are scanned inside their
 * project: the root is walked as a scan of it would walk it (same
 * excludes, same order), each named file takes the place of its walked
 * entry (keeping the name given on the command line), and the run reports
 * only the named files (LLRunOptions.report) while the rest of the project
 * gives the summaries and module facts a whole-project scan would. The
 * rest comes from the cache after the first such run (or after any scan
 * of the root), so the named files get the findings, severities and
 * messages of a whole-project scan at the cost of what changed. The named
 * files are parsed whatever the pre-filter says (LLRunOptions.parse), as
 * when they are scanned alone, for their diagnostics. When the project
 * cannot be walked (an invalid configuration file somewhere in it: a
 * whole-project scan would stop there), the named files are scanned alone
 * and `note` says why (shown with --verbose).
 *
 * Ownership: LLScanCache owns the cache, the masks and the strings in it;
 * ll_scan_cache_release frees them (and accepts a zeroed struct). */
#ifndef LL_SCAN_CACHE_H
#define LL_SCAN_CACHE_H
#include "base/status.h"
#include "base/strlist.h"
#include "config/config.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "loadlint.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LLScanCache {
    struct LLRcache *cache; /* NULL: no cache */
    bool project;           /* named files scanned inside their project */
    char *root;             /* the project root (absolute) */
    bool root_found;        /* by a configuration file or .git */
    LLStrList named;        /* project runs: the named files' absolute paths */
    uint8_t *parse, *report; /* per file (ll_scan_cache_run_options) */
    char *note;             /* why a pre-commit run is not one, or NULL */
} LLScanCache;

/* After discovery (and the artifacts setting), before the rules: opens the
 * cache and, for a pre-commit run (unless !project_ok), puts the named
 * files of `files` into the list of their project (LLDiscoverOptions d as
 * the discovery used). When the rules of the project's configurations then
 * cannot be loaded, the scan (scan.c) starts again with project_ok false:
 * the named files alone, with a note (--verbose) saying why.
 * Fails only as discovery fails (an invalid configuration file). */
LLStatus ll_scan_cache_prepare(LLScanCache *sc, LLConfigCache *configs, const LLScanOptions *o,
                               const char *const *paths, size_t npaths,
                               const LLDiscoverOptions *d, bool project_ok, LLFileList *files,
                               LLError *err);
/* Before ll_run, with the final list: the cache's key (the rule
 * directories' files; the dependency files, whose versions are to grade
 * findings: requirements*.txt / .in, constraints*, pyproject.toml,
 * setup.cfg, Pipfile, *.lock, environment.yml, in the project root and
 * every directory up to the top of its git repository, and in the
 * directories of the configuration files in use; any change in them is a
 * new key), the masks of a pre-commit run, and the run options that carry
 * them. When the grading comes to read other files (installed packages'
 * metadata), they must be added here too (ll_rcache_key). */
void ll_scan_cache_run_options(LLScanCache *sc, const LLScanOptions *o, const LLFileList *files,
                               LLRunOptions *ro);
void ll_scan_cache_release(LLScanCache *sc);

#endif
