/* project.h - which versions of a package may run, for a scanned file:
 * the dependency files nearest to it, combined, with the configuration's
 * assumptions and an installed environment.
 *
 * The walk. For a directory D, the dependency files of D and of each
 * directory above it count, up to and including D's project root: the
 * nearest directory (D itself or above) holding a `.git` entry (a
 * directory, or a file as in worktrees and submodules); when there is no
 * `.git` above D at all, the nearest one holding a pyproject.toml; when
 * there is neither, "/". A `.git` boundary, not a pyproject.toml one, so
 * that a workspace's members (each with its own pyproject.toml) see the
 * workspace root's uv.lock or poetry.lock. Dependency files are found by
 * name (ll_deps_format_of) and read in byte order of their names.
 *
 * Precedence, for a package P (canonical: PEP 503-normalised, then
 * aliased through packages.json), from the strongest:
 *   1. assume-versions (the configuration) for P;
 *   2. the installed environment given (--python-env or the like), when it
 *      has P: what is installed is what runs;
 *   3. locked: the nearest directory whose lock files (poetry.lock,
 *      uv.lock, Pipfile.lock) have P with a version; several lock entries
 *      there are united (any of them may be installed). A lock anywhere up
 *      to the root wins over every declaration, because the lock is what
 *      gets installed (a uv workspace member declares, the root locks);
 *   4. declared: the nearest directory whose declarations
 *      (requirements*.txt with their includes and constraints, ==-pinned
 *      or not; pyproject.toml; setup.cfg; environment.yml) have P with a
 *      version; there, statements without an environment marker are
 *      intersected (an install satisfies them all), statements under a
 *      marker are united (each applies to some environments) and that
 *      union intersected with the rest; when the result is empty (the
 *      files disagree, e.g. requirements-cpu.txt and requirements-gpu.txt
 *      pin different versions) the answer is the union of all of them,
 *      marked as a conflict;
 *   5. implied: when nothing above states P, and a package Q whose answer
 *      (1-4) lies wholly within an "implies" entry's versions brings P
 *      (tensorflow >=2.16 brings keras >=3), P's versions are the entry's;
 *   6. otherwise P is unknown. A statement that names P without a version
 *      (a git or path requirement, a lock entry without a version) does not
 *      decide: the walk goes on, and if nothing decides, the answer is
 *      "unknown" with those statements as its origins.
 * Each answer lists the statements it combines (LLDep: file, line, column,
 * text, the versions each allows), the deciding kind first.
 *
 * Thread safety: "thread-safe by construction". ll_deps_for_dir takes the
 * resolver's mutex, reads and parses what that directory needs (each
 * directory and file once) and returns a view that is complete and never
 * changes afterwards; ll_deps_query on a view reads only immutable data
 * and takes no lock, so workers may query at once. Answers point into the
 * resolver and stay valid until ll_deps_resolver_free, which no query may
 * overlap.
 *
 * Ownership: the resolver owns every view, statement and string it hands
 * out. It copies the assume list and borrows `packages` and `reader`,
 * which must outlive it. */
#ifndef LL_DEPS_PROJECT_H
#define LL_DEPS_PROJECT_H
#include "base/status.h"
#include "deps/deps.h"
#include "deps/packages.h"
#include "deps/pep440.h"

#include <stdbool.h>
#include <stddef.h>

/* Dependency files read from one directory (by name order; the rest is
 * reported). */
#define LL_DEPS_MAX_FILES_PER_DIR 64u

/* One assume-versions entry of the configuration: a package and either a
 * version ("2.6.0": exactly it) or a specifier set (">=2.6"), with where it
 * is written. */
typedef struct LLDepsAssume {
    const char *name;
    const char *version;
    const char *file;
    unsigned line, col; /* of the version string's first character */
} LLDepsAssume;

typedef struct LLDepsOptions {
    const LLPackages *packages;  /* aliases and implications; NULL: none */
    const LLDepsAssume *assume;  /* copied */
    size_t nassume;
    const char *installed;       /* a site-packages or virtual environment; NULL: none */
    const LLDepsReader *reader;  /* NULL: the file system */
} LLDepsOptions;

typedef struct LLDepsResolver LLDepsResolver;
typedef struct LLDepsView LLDepsView;

typedef struct LLDepsAnswer {
    const char *package;       /* the canonical name asked about (NULL when nothing states it) */
    bool known;                /* versions is what may run; false: nothing says (behave as before) */
    const LLVerSet *versions;  /* when known */
    LLDepSource source;        /* what decided (when known, or the kind of the origins) */
    const LLDep *const *origins; /* the statements combined (none when nothing states P) */
    size_t norigins;
    bool conflict;             /* declarations with no version in common: versions is their union */
    const char *implied_by;    /* LL_DEPSRC_IMPLIED: the package that brings it */
} LLDepsAnswer;

/* Reads the installed environment and checks the assume list. A bad
 * assume-versions entry is LL_ERR_CONFIG at its position; an installed
 * directory that cannot be read is LL_ERR_IO (its per-distribution
 * problems are diagnostics). On error *out is NULL. */
LLStatus ll_deps_resolver_new(LLDepsResolver **out, const LLDepsOptions *opt, LLError *err);
void ll_deps_resolver_free(LLDepsResolver *r);

/* The view for the files of directory `absdir` (absolute, normalised).
 * Thread-safe. Never NULL. */
const LLDepsView *ll_deps_for_dir(LLDepsResolver *r, const char *absdir);
/* The same for the directory of file `abspath`. */
const LLDepsView *ll_deps_for_file(LLDepsResolver *r, const char *abspath);

/* Which versions of `package` (any spelling: normalised and aliased here)
 * may run for the files of view v. True when some statement names it
 * (out->known tells whether its versions are known); false when nothing
 * does (out->known is false). Lock-free. */
bool ll_deps_query(const LLDepsView *v, const char *package, LLDepsAnswer *out);
/* ll_deps_for_file + ll_deps_query. */
bool ll_deps_lookup(LLDepsResolver *r, const char *abspath, const char *package, LLDepsAnswer *out);

/* The view's directory, and its project root (where the walk stops). */
const char *ll_deps_view_dir(const LLDepsView *v);
const char *ll_deps_view_root(const LLDepsView *v);
/* The dependency files the view reads, nearest first (n of them). */
size_t ll_deps_view_files(const LLDepsView *v, const char *const **files);

/* The statements of one dependency file (read through its directory's
 * view), or NULL when `abspath` is not a dependency file by name or its
 * directory has too many. Thread-safe; valid until the resolver is freed. */
const LLDepList *ll_deps_file(LLDepsResolver *r, const char *abspath);

/* Moves the diagnostics found so far (dependency files read, the installed
 * environment) into `out`, sorted by file, line and column; each is handed
 * out once. Thread-safe. */
void ll_deps_take_diagnostics(LLDepsResolver *r, LLDepList *out);

#endif
