/* scan_cache.c - the scan's result cache and pre-commit runs (scan_cache.h). */
#include "lib/scan_cache.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/path.h"
#include "base/strmap.h"
#include "rcache/rcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rule files read into the cache's key: larger ones are the ruleset's
 * problem (it refuses them), not read here. */
#define LL_SCAN_CACHE_MAX_RULE_FILE (4u * 1024u * 1024u)
/* Dependency files read into the key (larger ones: by size and mtime). */
#define LL_SCAN_CACHE_MAX_DEP_FILE (4u * 1024u * 1024u)
/* Directories from the project root up to the git repository's top whose
 * dependency files are keyed. */
#define LL_SCAN_CACHE_MAX_DEP_DEPTH 64u

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The nearest directory at or above `start` holding .git, or NULL. */
static char *git_root(const char *start)
{
    char *dir = ll_xstrdup(start);
    for (;;) {
        char *g = ll_path_join(dir, ".git");
        struct stat sb;
        bool yes = lstat(g, &sb) == 0;
        free(g);
        if (yes)
            return dir;
        if (strcmp(dir, "/") == 0)
            break;
        char *up = ll_path_dirname(dir);
        free(dir);
        dir = up;
    }
    free(dir);
    return NULL;
}

/* The project root for the first path (scan_cache.h); *found: by a
 * configuration file or .git. */
static LLStatus project_root(LLScanCache *sc, LLConfigCache *configs, const LLScanOptions *o,
                             const char *first, LLError *err)
{
    const char *cwd = ll_config_cache_cwd(configs);
    char *abs = ll_path_abs(cwd, first);
    char *start = is_dir(first) ? ll_xstrdup(abs) : ll_path_dirname(abs);
    free(abs);
    const LLSettings *set = NULL;
    LLStatus st = ll_config_for_dir(configs, start, &set, err);
    if (st != LL_OK) {
        free(start);
        return st;
    }
    /* a --config file applies anywhere: it says nothing about where the
     * project is */
    bool own_config = set && set->config_path && !(o->cfg && o->cfg->config_file);
    const char *config_root = own_config ? set->root : NULL;
    char *git = git_root(start);
    const char *best = config_root;
    if (git && (!best || strlen(git) > strlen(best)))
        best = git;
    sc->root_found = best != NULL;
    sc->root = ll_xstrdup(best ? best : start);
    free(git);
    free(start);
    return LL_OK;
}

/* `to` (absolute) as a path from the working directory: "." for it, "../.."
 * above it, the rest below it, else absolute. malloc'd. */
static char *relative_from(const char *cwd, const char *to)
{
    if (strcmp(cwd, to) == 0)
        return ll_xstrdup(".");
    const char *below = ll_path_below(to, cwd);
    if (below)
        return ll_xstrdup(below);
    const char *up = ll_path_below(cwd, to);
    if (!up)
        return ll_xstrdup(to);
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, "..");
    for (const char *p = up; *p; p++)
        if (*p == '/')
            ll_buf_puts(&b, "/..");
    return ll_buf_detach(&b);
}

/* Every path is a named file (what scan.c's all_named tests, without
 * standard input): the case of pre-commit and editors. */
static bool only_named_files(const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &sb) != 0 || S_ISDIR(sb.st_mode))
            return false;
    }
    return n > 0;
}

/* The walked project with the named files in the places of their walked
 * entries (the names they were given kept), the named files the walk does
 * not list after it. Entries move from `named` and `walked` into `files`. */
static void merge_project(LLScanCache *sc, const LLScanOptions *o, LLFileList *files,
                          LLFileList *walked)
{
    LLStrMap at; /* absolute path -> index in walked + 1 */
    ll_strmap_init(&at);
    for (size_t i = 0; i < walked->files.len; i++) {
        const char *a = walked->files.items[i].abs;
        if (a)
            ll_strmap_put(&at, a, strlen(a), (intptr_t)i + 1);
    }
    LL_VEC(LLFileEntry) extra = {0};
    for (size_t i = 0; i < files->files.len; i++) {
        LLFileEntry e = files->files.items[i];
        intptr_t v;
        if (e.abs)
            ll_strlist_push(&sc->named, e.abs);
        if (e.abs && ll_strmap_get(&at, e.abs, strlen(e.abs), &v)) {
            LLFileEntry *w = &walked->files.items[v - 1];
            free(w->path); /* the walked entry's one block */
            *w = e;
        } else {
            LL_VEC_PUSH(&extra, e);
        }
    }
    ll_strmap_release(&at);
    /* the walked files the settings keep (scan.c's apply_artifacts_setting
     * for the named ones) */
    size_t kept = 0;
    for (size_t i = 0; i < walked->files.len; i++) {
        LLFileEntry *fe = &walked->files.items[i];
        bool off = o->no_artifacts || (fe->settings && !fe->settings->artifacts);
        if (off && fe->kind == LL_ENTRY_OTHER) {
            free(fe->path);
            continue;
        }
        walked->files.items[kept++] = *fe;
    }
    walked->files.len = kept;
    for (size_t i = 0; i < extra.len; i++)
        LL_VEC_PUSH(&walked->files, extra.items[i]);
    LL_VEC_FREE(&extra);
    /* the list is now the project's; the named list's messages stay (the
     * walk's are about files nobody named) */
    LL_VEC_FREE(&files->files);
    files->files = walked->files;
    memset(&walked->files, 0, sizeof walked->files);
}

LLStatus ll_scan_cache_prepare(LLScanCache *sc, LLConfigCache *configs, const LLScanOptions *o,
                               const char *const *paths, size_t npaths,
                               const LLDiscoverOptions *d, bool project_ok, LLFileList *files,
                               LLError *err)
{
    memset(sc, 0, sizeof *sc);
    const char *first = NULL;
    for (size_t i = 0; i < npaths && !first; i++)
        if (strcmp(paths[i], "-") != 0)
            first = paths[i];
    if (!first)
        return LL_OK; /* standard input only: nothing to cache */
    LLStatus st = project_root(sc, configs, o, first, err);
    const LLSettings *set = NULL;
    if (st == LL_OK)
        st = ll_config_for_dir(configs, sc->root, &set, err);
    if (st != LL_OK || !set || !set->cache)
        return st;
    char *dir = set->cache_dir ? ll_xstrdup(set->cache_dir)
                               : ll_path_join(sc->root, ".loadlint_cache");
    sc->cache = ll_rcache_open(dir, sc->root, 0);
    free(dir);
    if (!project_ok || !ll_rcache_usable(sc->cache) || !sc->root_found ||
        !only_named_files(paths, npaths) || !files->files.len)
        return LL_OK;
    /* a pre-commit run: the named files inside their project */
    char *rel = relative_from(ll_config_cache_cwd(configs), sc->root);
    const char *one[] = {rel};
    LLDiscoverOptions walk = *d;
    walk.verbose = false;
    LLFileList walked = {0};
    LLError werr;
    memset(&werr, 0, sizeof werr);
    if (ll_discover_ex(one, 1, &walk, &walked, &werr) == LL_OK) {
        sc->project = true;
        merge_project(sc, o, files, &walked);
    } else {
        /* a whole-project scan would stop there too: the named files are
         * scanned alone, as without a cache */
        char msg[LL_ERROR_MSG_MAX + LL_ERROR_FILE_MAX + 64];
        ll_error_format(&werr, msg, sizeof msg);
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b, "the project %s cannot be walked (%s): the named files are scanned alone",
                      sc->root, msg);
        sc->note = ll_buf_detach(&b);
    }
    free(rel);
    ll_file_list_release(&walked);
    return LL_OK;
}

/* Adds file `path` (its bytes, up to `max`; a larger or unreadable one by
 * its size and modification time) to the cache's key. */
static void key_file(LLRcache *c, const char *path, uint64_t max)
{
    LLBuf text;
    ll_buf_init(&text);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    memset(&sb, 0, sizeof sb);
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= max) {
        char chunk[8192];
        for (;;) {
            ssize_t r = read(fd, chunk, sizeof chunk);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            ll_buf_append(&text, chunk, (size_t)r);
        }
    } else {
        /* unreadable or too large: the name and the stat decide */
        ll_buf_printf(&text, "unread %lld %lld.%09ld", fd >= 0 ? (long long)sb.st_size : -1LL,
                      fd >= 0 ? (long long)sb.st_mtim.tv_sec : -1LL,
                      fd >= 0 ? (long)sb.st_mtim.tv_nsec : 0L);
    }
    if (fd >= 0)
        close(fd);
    ll_rcache_key(c, path, text.data, text.len);
    ll_buf_release(&text);
}

/* Adds the files of directory `dir` whose names `want` accepts (names and
 * bytes, in name order) to the cache's key. */
static void key_dir_files(LLRcache *c, const char *what, const char *dir,
                          bool (*want)(const char *name), uint64_t max)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    ll_rcache_key(c, what, dir, strlen(dir));
    for (int i = 0; i < n; i++) {
        if (want(names[i]->d_name)) {
            char *path = ll_path_join(dir, names[i]->d_name);
            key_file(c, path, max);
            free(path);
        }
        free(names[i]);
    }
    free(names);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool is_rule_file(const char *name)
{
    return strlen(name) > 5 && ends_with(name, ".json");
}

/* The files that say which versions of packages a project uses (the
 * dependency files the grading of findings is to read: requirements and
 * constraints files, pyproject.toml, setup.cfg, Pipfile(.lock), lock
 * files, conda environments). */
static bool is_dependency_file(const char *name)
{
    static const char *const exact[] = {"pyproject.toml", "setup.cfg", "Pipfile", "environment.yml",
                                        "environment.yaml", NULL};
    for (size_t i = 0; exact[i]; i++)
        if (strcmp(name, exact[i]) == 0)
            return true;
    if ((strncmp(name, "requirements", 12) == 0 || strncmp(name, "constraints", 11) == 0) &&
        (ends_with(name, ".txt") || ends_with(name, ".in")))
        return true;
    return name[0] != '.' && ends_with(name, ".lock");
}

/* The dependency files of the project: in its root and every directory up
 * to the git repository's top (when the root is inside one), and in the
 * directories of the configuration files in use. */
static void key_dependency_files(LLScanCache *sc, const LLFileList *files)
{
    LLStrList dirs = {0};
    char *top = git_root(sc->root);
    char *dir = ll_xstrdup(sc->root);
    for (size_t depth = 0; depth < LL_SCAN_CACHE_MAX_DEP_DEPTH; depth++) {
        ll_strlist_push(&dirs, dir);
        if (!top || strcmp(dir, top) == 0 || strcmp(dir, "/") == 0)
            break;
        char *up = ll_path_dirname(dir);
        free(dir);
        dir = up;
    }
    free(dir);
    free(top);
    for (size_t i = 0; i < files->files.len; i++) {
        const LLSettings *set = files->files.items[i].settings;
        if (set && set->config_path && set->root && !ll_strlist_has(&dirs, set->root))
            ll_strlist_push(&dirs, set->root);
    }
    for (size_t i = 0; i < dirs.len; i++)
        key_dir_files(sc->cache, "dependency files", dirs.items[i], is_dependency_file,
                      LL_SCAN_CACHE_MAX_DEP_FILE);
    ll_strlist_free(&dirs);
}

void ll_scan_cache_run_options(LLScanCache *sc, const LLScanOptions *o, const LLFileList *files,
                               LLRunOptions *ro)
{
    if (!sc->cache)
        return;
    ro->cache = sc->cache;
    /* the rule directories' files: the command line's, then every
     * configuration's in use */
    LLStrList seen = {0};
    for (size_t i = 0; i < o->nrule_dirs; i++)
        if (!ll_strlist_has(&seen, o->rule_dirs[i]))
            ll_strlist_push(&seen, o->rule_dirs[i]);
    for (size_t i = 0; i < files->files.len; i++) {
        const LLSettings *set = files->files.items[i].settings;
        for (size_t j = 0; set && j < set->rule_dirs.len; j++)
            if (!ll_strlist_has(&seen, set->rule_dirs.items[j]))
                ll_strlist_push(&seen, set->rule_dirs.items[j]);
    }
    for (size_t i = 0; i < seen.len; i++)
        key_dir_files(sc->cache, "rule directory", seen.items[i], is_rule_file,
                      LL_SCAN_CACHE_MAX_RULE_FILE);
    ll_strlist_free(&seen);
    if (sc->root)
        key_dependency_files(sc, files);
    if (!sc->project)
        return;
    size_t n = files->files.len;
    free(sc->parse);
    free(sc->report);
    sc->parse = ll_xcalloc(n ? n : 1, 1);
    sc->report = ll_xcalloc(n ? n : 1, 1);
    LLStrMap named;
    ll_strmap_init(&named);
    for (size_t i = 0; i < sc->named.len; i++)
        ll_strmap_put(&named, sc->named.items[i], strlen(sc->named.items[i]), 1);
    for (size_t i = 0; i < n; i++) {
        const char *a = files->files.items[i].abs;
        if (a && ll_strmap_get(&named, a, strlen(a), NULL))
            sc->parse[i] = sc->report[i] = 1;
    }
    ll_strmap_release(&named);
    ro->parse = sc->parse;
    ro->report = sc->report;
}

void ll_scan_cache_release(LLScanCache *sc)
{
    ll_rcache_free(sc->cache);
    free(sc->root);
    ll_strlist_free(&sc->named);
    free(sc->note);
    free(sc->parse);
    free(sc->report);
    memset(sc, 0, sizeof *sc);
}
