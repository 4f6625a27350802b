/* discover.h - turning the user's paths into the list of files to scan.
 *
 * Directories are walked iteratively (an explicit stack, LL_MAX_WALK_DEPTH
 * levels at most) in byte order of names, so the list is deterministic.
 * Walked files are *.py and *.pyi, dependency files by name
 * (requirements*.txt, pyproject.toml, lock files...: deps/judge.h, for
 * engine/versions.h), and with `artifacts` every other regular file (the
 * run offers them to the model-file analyzer, which claims them by their
 * bytes); a file named explicitly is scanned whatever its name. A file reached twice (same device and inode) is listed
 * once.
 *
 * What a walk leaves out (each with a note when `verbose`):
 *   - the default excludes: folders named .git, __pycache__, site-packages,
 *     node_modules, .tox, .nox, .venv, venv, .hg, .svn, .mypy_cache,
 *     .pytest_cache, .ruff_cache, .loadlint_cache, any folder holding a
 *     pyvenv.cfg, and any cache directory tagged with a CACHEDIR.TAG (the
 *     result cache, wherever --cache-dir puts it);
 *   - paths matching the settings' exclude / extend-exclude globs (the
 *     settings of the directory being listed, config/config.h);
 *   - with respect-gitignore (the default), paths ignored by git: .gitignore
 *     files of the repository (nested ones win over outer ones, the last
 *     matching line of a file wins, `!` re-includes, a trailing '/' matches
 *     directories only, a leading or middle '/' anchors to the file's
 *     directory, `**` spans directories) and .git/info/exclude at the
 *     repository root. Outside a git repository no .gitignore applies; a
 *     folder holding .git starts a repository of its own;
 *   - symbolic links whose target (realpath) is outside every named path.
 *     Links inside are followed: a link to a directory is walked.
 * A path named on the command line bypasses all of this, unless
 * `force_exclude`: then it is checked too (with every directory above it
 * inside the settings' root and the git repository).
 *
 * The path "-" is standard input: listed with path "-" and display
 * `stdin_name` (or "<stdin>"); `stdin_name` also chooses its settings and,
 * with `force_exclude`, whether it is excluded.
 *
 * Ownership: the LLFileList owns its strings; ll_file_list_release frees
 * them. Settings pointers belong to the LLConfigCache. Problems (a missing
 * path, an unreadable directory) are appended to `errors` as messages
 * naming the path, lesser ones (an oversized .gitignore) to `warnings`;
 * walking goes on. Only an invalid configuration file stops discovery. */
#ifndef LL_DISCOVER_H
#define LL_DISCOVER_H
#include "base/status.h"
#include "base/vec.h"
#include "config/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a listed file is, as far as its name says. */
typedef enum LLEntryKind {
    LL_ENTRY_PYTHON = 0, /* *.py, *.pyi found walking, or standard input */
    LL_ENTRY_NAMED,      /* named on the command line: a model file if its
                          * bytes say so, else Python whatever its name */
    LL_ENTRY_OTHER,      /* any other file found walking: a model file if its
                          * bytes say so, else not scanned (with `artifacts`) */
} LLEntryKind;

typedef struct LLFileEntry {
    char *path;                 /* to open; the entry's one allocation */
    char *display;              /* to report */
    char *abs;                  /* absolute, normalised; NULL when unknown */
    const LLSettings *settings; /* NULL: defaults */
    uint8_t kind;               /* LLEntryKind */
} LLFileEntry;

typedef LL_VEC(char *) LLMessages; /* "path: what" */

typedef struct LLFileList {
    LL_VEC(LLFileEntry) files;
    LLMessages errors;
    LLMessages warnings;
    LLMessages notes; /* skipped and excluded paths, with the reason */
} LLFileList;

typedef struct LLDiscoverOptions {
    LLConfigCache *configs; /* NULL: defaults everywhere, no configuration file */
    const char *stdin_name; /* --stdin-filename, for the path "-" */
    bool force_exclude;     /* named paths are checked against excludes too */
    bool verbose;           /* fill `notes` */
    bool artifacts;         /* list other files too (LL_ENTRY_OTHER), to be
                             * offered to the model-file analyzer */
} LLDiscoverOptions;

/* Fails (LL_ERR_CONFIG...) only when a configuration file is invalid. */
LLStatus ll_discover_ex(const char *const *paths, size_t npaths,
                        const LLDiscoverOptions *opts, LLFileList *out, LLError *err);
/* Defaults: no configuration files, .gitignore respected. */
void ll_discover(const char *const *paths, size_t npaths, LLFileList *out);
/* The default excluded folder names (NULL-terminated). */
const char *const *ll_discover_default_excludes(void);
/* Adds one entry as is (stdin: path "-", display = the --stdin-filename). */
void ll_file_list_add(LLFileList *list, const char *path, const char *display);
/* The same with every field (strings copied; settings borrowed). */
void ll_file_list_add_entry(LLFileList *list, const char *path, const char *display,
                            const char *abs, const LLSettings *settings, LLEntryKind kind);
void ll_file_list_release(LLFileList *list);

#endif
