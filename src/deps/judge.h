/* judge.h - the versions a scanned file may run with, judged against a
 * version range (a rule's "versions", rules/ruleset.h), for the engine
 * (engine/versions.h).
 *
 * A facade over project.h that names no LLDep (engine/finding.h declares a
 * type of that name, so the engine includes this header, never deps.h or
 * project.h). It adds what one run needs around the resolver:
 *   - the package aliases of rules/data/packages.json, loaded once, on
 *     first use;
 *   - one resolver per distinct assume-versions list (each configuration
 *     has its own; --assume-version is part of it), made on first use. An
 *     entry the resolver refuses (not a version nor a specifier set) is a
 *     diagnostic of the run (ll_deps_judge_take_diagnostics), and that
 *     configuration's files are judged without assumptions;
 *   - the judgement: the versions the project allows for a directory
 *     (a "place") against an affected set: all of them affected, some,
 *     none, or unknown (nothing states a version of the package), with the
 *     statements the answer combines (file:line:column, the text as
 *     written, whether each one's own versions meet the affected set).
 *
 * Thread safety: every function may be called from any thread at once
 * (ll_deps_judge_place and ll_deps_judge_read take the judge's mutex and
 * the resolver's; judging a place reads immutable data only), except
 * ll_deps_judge_take_diagnostics, which no other call may overlap, and
 * ll_deps_judge_free.
 *
 * Ownership: the judge owns the resolvers, places, statements and strings
 * it hands out (valid until ll_deps_judge_free); it copies the assume
 * lists it is given. A judgement points into the judge. */
#ifndef LL_DEPS_JUDGE_H
#define LL_DEPS_JUDGE_H
#include "base/severity.h"
#include "deps/pep440.h"

#include <stdbool.h>
#include <stddef.h>

/* Resolvers (distinct assume-versions lists) of one judge; past it, files
 * of further lists are judged without assumptions (a diagnostic says so). */
#define LL_DEPS_JUDGE_MAX_RESOLVERS 64u

typedef struct LLDepsJudge LLDepsJudge;
typedef struct LLDepsPlace LLDepsPlace;

typedef enum LLVerdict {
    LL_VERDICT_UNKNOWN = 0, /* nothing states a version of the package */
    LL_VERDICT_NONE,        /* no allowed version is affected */
    LL_VERDICT_SOME,        /* some allowed versions are affected, some are not */
    LL_VERDICT_ALL,         /* every allowed version is affected */
} LLVerdict;

/* What decided (deps.h LLDepSource, by the same names). */
typedef enum LLDepsKind {
    LL_DEPSKIND_DECLARED,
    LL_DEPSKIND_LOCKED,
    LL_DEPSKIND_INSTALLED,
    LL_DEPSKIND_ASSUMED,
    LL_DEPSKIND_IMPLIED,
} LLDepsKind;

/* One assume-versions entry: a package and a version ("2.4.0") or a
 * specifier set (">=2.6"). */
typedef struct LLDepsAssumed {
    const char *name, *version;
} LLDepsAssumed;

/* One statement of an answer. */
typedef struct LLDepsStatement {
    const char *file;   /* absolute path of a dependency file; the
                         * configuration (assume-versions); an installed
                         * distribution's METADATA */
    unsigned line, col; /* 1-based; 0 when not known */
    const char *name;   /* the package as the statement names it (normalised) */
    const char *text;   /* the version part as written ("==2.4.0", "^2.1"); "" when none */
    const LLVerSet *versions; /* what it allows; NULL: it states no version */
    LLDepsKind kind;
    bool in_file;       /* a line of a dependency file (requirements, pyproject,
                         * setup.cfg, a lock file, environment.yml) */
    bool meets;         /* its own versions meet the affected set */
} LLDepsStatement;

typedef struct LLDepsJudgement {
    LLVerdict verdict;
    const char *package;     /* canonical; NULL when nothing names it */
    const LLVerSet *allowed; /* what may run (verdict != UNKNOWN) */
    LLDepsKind kind;         /* what decided */
    bool conflict;           /* declarations with no common version: their union */
    const char *implied_by;  /* LL_DEPSKIND_IMPLIED: the package that brings it */
    size_t nstatements;      /* ll_deps_judgement_statement(0..n) */
    /* private */
    const void *const *origins_;
    const LLVerSet *affected_;
} LLDepsJudgement;

LLDepsJudge *ll_deps_judge_new(void);
void ll_deps_judge_free(LLDepsJudge *j);

/* The place of directory `absdir` (absolute, normalised) under an
 * assume-versions list (copied; n may be 0). `config` names the list's
 * configuration file in statements and diagnostics (NULL:
 * "assume-versions"). Never NULL. */
const LLDepsPlace *ll_deps_judge_place(LLDepsJudge *j, const LLDepsAssumed *assume, size_t n,
                                       const char *config, const char *absdir);

/* Which of the versions the place allows for `package` (any spelling) are
 * in `affected`. Lock-free. */
LLVerdict ll_deps_judge_range(const LLDepsPlace *p, const char *package, const LLVerSet *affected,
                              LLDepsJudgement *out);
/* The i-th statement of a judgement (the deciding kind first); false past
 * the end. */
bool ll_deps_judgement_statement(const LLDepsJudgement *jd, size_t i, LLDepsStatement *out);

/* The dependency files the place reads, nearest first: what its
 * judgements depend on (with the assume list). */
size_t ll_deps_place_files(const LLDepsPlace *p, const char *const **files);

/* Whether `basename` names a dependency file (requirements*.txt,
 * pyproject.toml, setup.cfg, poetry.lock, uv.lock, Pipfile.lock,
 * environment.yml/.yaml, conda.yml/.yaml). */
bool ll_deps_judge_is_dependency_name(const char *basename);
/* Reads dependency file `abspath` (and the others of its directory), for
 * its diagnostics; false when its name is no dependency file's. */
bool ll_deps_judge_read(LLDepsJudge *j, const char *abspath);

/* One diagnostic of the files read (or of an assume-versions list). */
typedef void (*LLDepsDiagFn)(void *ctx, const char *file, unsigned line, unsigned col,
                             LLSeverity severity, const char *msg);
/* Hands out the diagnostics found so far, each once, sorted by file, line,
 * column and message, without repeats (a file read by several resolvers
 * or through includes gives them once). */
void ll_deps_judge_take_diagnostics(LLDepsJudge *j, LLDepsDiagFn fn, void *ctx);

/* "declared", "locked", "installed", "assumed", "implied". */
const char *ll_deps_kind_name(LLDepsKind k);

#endif
