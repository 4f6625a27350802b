/* project.h - what the scanned files know about each other.
 *
 * Module names: a file's dotted module name is its path below the topmost
 * directory that still holds an __init__.py (src/pkg/mod.py with
 * src/pkg/__init__.py is "pkg.mod"; a lone script is its stem), so that
 * `from pkg.mod import f` and `from .mod import f` resolve to the file. The
 * directory above the top package ("src/") is the file's package root.
 *
 * Several files may have the same module name (two roots, copies of a
 * tree). An import made by file F resolves to the one in F's own package
 * root, else to the one with the smallest path: which other roots are
 * scanned, and in which order, never changes what F's imports reach unless
 * F imports a module only they hold. Summaries are kept per defining file.
 *
 * Function summaries (filled by the analysis of each file, read by the
 * others): for a function `pkg.mod.f`, whether it returns data from an
 * untrusted source, and which of its parameters reach which loader. The
 * run fills the index between passes, on one thread; during a pass it is
 * read-only and shared.
 *
 * Ownership: LLProject owns every string and array in it. */
#ifndef LL_PROJECT_H
#define LL_PROJECT_H
#include "base/strmap.h"
#include "base/vec.h"
#include "engine/finding.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct LLParamSink {
    uint32_t param;      /* index among the function's parameters */
    char *param_name;
    uint32_t rule;       /* the loader rule that fires in the function */
    uint32_t file;       /* where the loader call is */
    LLSpan sink;
    char *callee;        /* the loader's canonical name */
    char *snippet;
    char *message;       /* the rule's message as rendered at the loader */
    LLStep *steps;       /* from the parameter to the loader */
    uint32_t nsteps;
} LLParamSink;

typedef struct LLFuncSummary {
    char *name;          /* canonical: "pkg.mod.f" or "pkg.mod.C.m" */
    char *key;           /* its key in LLProject.by_name (set when put) */
    uint32_t file;
    uint32_t nparams;
    char **param_names;
    bool method;         /* first parameter is self */
    /* returns data from an untrusted source */
    char *returns_source; /* canonical source name, or NULL */
    LLStep *return_steps; /* from the source to the return statement */
    uint32_t nreturn_steps;
    LL_VEC(LLParamSink) sinks;
} LLFuncSummary;

typedef struct LLModuleInfo {
    char *name;
    bool is_package;
    uint32_t root;      /* package root, as an index (equal roots, equal index) */
    uint32_t next_same; /* next file with the same name (path order), or UINT32_MAX */
} LLModuleInfo;

typedef struct LLProject {
    LLModuleInfo *modules; /* one per file of the run */
    const char **paths;    /* per file: its path (borrowed from the file list) */
    size_t nfiles;
    LLStrMap by_name;      /* summary key (file, name) -> LLFuncSummary* */
    LLStrMap by_module;    /* module name -> first file of that name (path order) */
    LLStrMap roots;        /* package root -> index */
    LL_VEC(LLFuncSummary *) summaries;
    size_t nsinks; /* summaries that have sinks */
} LLProject;

/* Computes module names for `paths` (filesystem paths; "-" uses display;
 * NULL: not a Python file, no module). */
void ll_project_init(LLProject *p, const char *const *paths,
                     const char *const *displays, size_t n);
void ll_project_release(LLProject *p);
/* The summary of function `name` as file `importer` sees it (the file its
 * module resolves to for the importer), or NULL. */
const LLFuncSummary *ll_project_find(const LLProject *p, const char *name, uint32_t importer);
/* The file that the module of dotted `name` (its longest prefix that is a
 * module name) resolves to for file `importer` (see the top). */
bool ll_project_module_file(const LLProject *p, const char *name, uint32_t importer,
                            uint32_t *file);
/* What a new summary changed for the callers of its function. */
enum { LL_SUMMARY_RETURNS = 1u, /* whether it returns untrusted data */
       LL_SUMMARY_SINKS = 2u /* which parameters reach which loaders */ };
/* Takes ownership of s (allocated with ll_xcalloc). Replaces any previous
 * summary of the same name from the same file; returns the LL_SUMMARY_*
 * flags of what that changed for callers (0: nothing they can see). */
unsigned ll_project_put(LLProject *p, LLFuncSummary *s);
void ll_func_summary_free(LLFuncSummary *s);
void ll_steps_free(LLStep *steps, uint32_t n);

#endif
