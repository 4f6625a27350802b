/* deps.h - what one dependency file says: per package, the versions it
 * allows, and where it says so; and the readers of every format.
 *
 * A reader turns one file into an LLDepList: one LLDep per statement about
 * a package (a requirement line, a pyproject string, a lock entry, an
 * installed distribution), with its package name normalised per PEP 503
 * (aliases are not applied here: see packages.h), its version set
 * (pep440.h), whether it is exact (a lock file or an installed
 * distribution) or a declared range, its file:line:column, the text as
 * written, any environment marker (kept, never evaluated) and its group
 * (an extra, a Poetry group, Pipfile's "develop").
 *
 * A problem is a diagnostic in the same list, naming file:line:column, with
 * a severity: error for what makes a statement or the file unusable (a
 * syntax error, an unknown specifier: the statement is left out), warning
 * for what is read with a doubt, note for what cannot say a version (a
 * requirement given as a bare URL or path without a name). A reader never
 * stops at a bad line of a line-based file; a file that cannot be parsed at
 * all (TOML, JSON or YAML syntax) gives one error and no statement.
 *
 * The formats (one file each): requirements*.txt with -r/-c includes
 * (requirements.c), pyproject.toml [project] / [dependency-groups] /
 * Poetry / uv (pyproject.c), setup.cfg (setupcfg.c), poetry.lock
 * (poetrylock.c), uv.lock (uvlock.c), Pipfile.lock (pipfilelock.c), conda
 * environment.yml (condaenv.c), installed *.dist-info/METADATA
 * (metadata.c). TOML files go through config/toml.h, JSON through
 * rules/jsonrd.h, YAML through libyaml's event API.
 *
 * Files are read through an LLDepsReader (the file system by default), so
 * that tests and fuzz targets can serve includes from memory.
 *
 * Ownership: an LLDepList owns every LLDep and LLDepDiag in it and all
 * their strings (ll_deplist_free). Readers borrow their inputs. No global
 * state. */
#ifndef LL_DEPS_DEPS_H
#define LL_DEPS_DEPS_H
#include "base/severity.h"
#include "base/status.h"
#include "base/vec.h"
#include "deps/pep440.h"

#include <stdbool.h>
#include <stddef.h>

/* A dependency file larger than this is not read (an error names it). */
#define LL_DEPS_MAX_FILE_BYTES (32u * 1024u * 1024u)
/* -r / -c includes followed from one requirements file (nesting). */
#define LL_DEPS_MAX_INCLUDE_DEPTH 16u
/* Files read through includes from one top-level file, in all. */
#define LL_DEPS_MAX_INCLUDED_FILES 256u
/* Nesting of YAML collections walked in an environment.yml. */
#define LL_DEPS_MAX_YAML_DEPTH 64u
/* *.dist-info / *.egg-info entries read from one site-packages. */
#define LL_DEPS_MAX_INSTALLED 100000u
/* Diagnostics kept in one LLDepList (past it, one last diagnostic says
 * that more were left out). */
#define LL_DEPS_MAX_DIAGS_PER_FILE 1000u

/* What a statement is. */
typedef enum LLDepSource {
    LL_DEPSRC_DECLARED,  /* a range a project declares */
    LL_DEPSRC_LOCKED,    /* an exact version a lock file records */
    LL_DEPSRC_INSTALLED, /* a distribution installed in an environment */
    LL_DEPSRC_ASSUMED,   /* the configuration's assume-versions */
    LL_DEPSRC_IMPLIED,   /* brought by another package (packages.json "implies") */
} LLDepSource;

typedef enum LLDepFormat {
    LL_DEPFMT_REQUIREMENTS, /* requirements*.txt, and -r / -c includes */
    LL_DEPFMT_PYPROJECT,    /* pyproject.toml */
    LL_DEPFMT_SETUPCFG,     /* setup.cfg */
    LL_DEPFMT_POETRY_LOCK,  /* poetry.lock */
    LL_DEPFMT_UV_LOCK,      /* uv.lock */
    LL_DEPFMT_PIPFILE_LOCK, /* Pipfile.lock */
    LL_DEPFMT_CONDA,        /* environment.yml / environment.yaml / conda.yml / conda.yaml */
    LL_DEPFMT_METADATA,     /* an installed distribution's METADATA / PKG-INFO */
    LL_DEPFMT_CONFIG,       /* assume-versions in the configuration */
} LLDepFormat;
#define LL_DEPFMT_COUNT 9

typedef struct LLDep {
    char *name;         /* PEP 503-normalised, aliases not applied */
    LLVerSet versions;  /* what it allows; every version when !known */
    bool known;         /* false: the statement cannot say a version (a URL,
                           VCS, path or editable requirement; a lock entry
                           without a version) */
    bool constraint;    /* from a -c constraints file */
    LLDepSource source;
    LLDepFormat format;
    char *file;         /* the file stating it (an included file names itself) */
    unsigned line, col; /* 1-based; columns in code points */
    char *text;         /* the version part as written ("==2.4.0", "^2.1",
                           conda's "=2.4" or "=2.4.0=py3.11_cuda12"; a URL
                           for a URL requirement; "==V" for a lock entry or
                           an installed distribution); "" when none */
    char *marker;       /* environment marker / Poetry "python" / "markers";
                           NULL when none */
    char *group;        /* extra, dependency group, "develop"; NULL for the main one */
} LLDep;

typedef struct LLDepDiag {
    char *file;
    unsigned line, col; /* 0 when unknown */
    LLSeverity severity;
    LLStatus status;    /* LL_ERR_CONFIG (syntax), LL_ERR_LIMIT, LL_ERR_IO */
    char *msg;          /* one line: control characters shown as \n, \xHH */
} LLDepDiag;

typedef struct LLDepList {
    LL_VEC(LLDep) deps;
    LL_VEC(LLDepDiag) diags;
} LLDepList;

void ll_deplist_init(LLDepList *l);
void ll_deplist_free(LLDepList *l);
/* The number of diagnostics of at least this severity. */
size_t ll_deplist_count_diags(const LLDepList *l, LLSeverity min);
/* The list's invariants hold (names PEP 503-normalised, files and texts
 * set, lines >= 1 but for installed distributions read from a directory
 * name, version sets valid, every version for a statement without one,
 * diagnostics with a message); else false and `why` (when not NULL) says
 * which. For tests and fuzz targets. */
bool ll_deplist_valid(const LLDepList *l, LLBuf *why);
/* Appends "file:line:col: severity: msg" (one line, no newline). */
void ll_depdiag_format(const LLDepDiag *d, LLBuf *out);
/* qsort order of diagnostics: file, line, column, message, severity. */
int ll_depdiag_cmp(const void *a, const void *b);

/* ---- Reading files --------------------------------------------------- */

typedef struct LLDepsReader {
    /* Reads the regular file at `path` whole into *text (malloc'd,
     * NUL-terminated at (*text)[*len]). A file larger than max_bytes is
     * LL_ERR_LIMIT; a missing or unreadable one LL_ERR_IO; err says why. */
    LLStatus (*read)(void *ctx, const char *path, size_t max_bytes, char **text, size_t *len,
                     LLError *err);
    void *ctx;
} LLDepsReader;

/* The file system. */
const LLDepsReader *ll_deps_fs_reader(void);

/* ---- Formats --------------------------------------------------------- */

/* The format of a file by its name (the last path component):
 * requirements*.txt, pyproject.toml, setup.cfg, poetry.lock, uv.lock,
 * Pipfile.lock, environment.yml/.yaml, conda.yml/.yaml. False for any
 * other name. */
bool ll_deps_format_of(const char *basename, LLDepFormat *out);
/* "requirements", "pyproject.toml", ... */
const char *ll_deps_format_name(LLDepFormat f);
const char *ll_deps_source_name(LLDepSource s);

/* Reads `path` with `rd` (NULL: the file system) and parses it as format
 * `f` (not LL_DEPFMT_CONFIG) into `out`. Returns LL_OK when the file was
 * parsed (some statements may still have diagnostics), else the status of
 * the diagnostic that says why not. */
LLStatus ll_deps_parse_file(LLDepList *out, const char *path, LLDepFormat f, const LLDepsReader *rd);

/* The readers, on text already read (`path` names the file in statements
 * and diagnostics, and is where relative includes start). Each appends to
 * `out` and returns as ll_deps_parse_file does. `rd` reads included files
 * (requirements -r/-c, setup.cfg `file:`, environment.yml pip `-r`); NULL:
 * the file system. */
LLStatus ll_deps_parse_requirements(LLDepList *out, const char *path, const char *text, size_t len,
                                    const LLDepsReader *rd);
LLStatus ll_deps_parse_pyproject(LLDepList *out, const char *path, const char *text, size_t len);
LLStatus ll_deps_parse_setupcfg(LLDepList *out, const char *path, const char *text, size_t len,
                                const LLDepsReader *rd);
LLStatus ll_deps_parse_poetry_lock(LLDepList *out, const char *path, const char *text, size_t len);
LLStatus ll_deps_parse_uv_lock(LLDepList *out, const char *path, const char *text, size_t len);
LLStatus ll_deps_parse_pipfile_lock(LLDepList *out, const char *path, const char *text, size_t len);
LLStatus ll_deps_parse_conda_env(LLDepList *out, const char *path, const char *text, size_t len,
                                 const LLDepsReader *rd);
/* One METADATA / PKG-INFO text: its Name and Version headers. */
LLStatus ll_deps_parse_metadata(LLDepList *out, const char *path, const char *text, size_t len);
/* Every installed distribution of an environment: `dir` is a site-packages
 * directory (holding *.dist-info / *.egg-info) or a virtual environment
 * (its lib/pythonX.Y/site-packages, lib64/..., Lib/site-packages are used).
 * LL_ERR_IO when dir cannot be read or holds no site-packages. */
LLStatus ll_deps_read_installed(LLDepList *out, const char *dir, const LLDepsReader *rd);

#endif
