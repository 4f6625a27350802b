/* pyanalyzer.h - the Python analyzer's run-wide state (analyzer.h).
 *
 * Python analysis takes several passes (run.h): summaries of each file's
 * functions are exchanged until nothing changes, and the pre-filter skips
 * files that cannot matter. The run owns this state and changes it between
 * passes, on one thread; during a pass workers read it, and each writes
 * only the slots of the files it analyses (skipped, blooms). The first
 * pass reads facts only (facts_only below): what every module exports is
 * known before any file is parsed, so no file is parsed twice for it.
 *
 * Ownership: everything is borrowed from the run. */
#ifndef LL_PYANALYZER_H
#define LL_PYANALYZER_H
#include "base/nameset.h"
#include "engine/analyzer.h"
#include "engine/exports.h"
#include "engine/project.h"
#include "engine/run.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct LLBloom {
    uint64_t words[LL_NAMESET_BLOOM_WORDS];
    /* parsed in part (split.h): the digest of its plan and the bytes it
     * left out; else 0 */
    uint64_t plan[2];
} LLBloom;

typedef struct LLPyShared {
    const LLSyntax *syn;
    const LLRunOptions *opts;  /* limits, stdin's text, pre-filter, unused suppressions */
    const LLProject *project;
    uint8_t *skipped;          /* per file: LL_PY_* (pre-filter) */
    LLBloom *blooms;           /* per file: its identifiers (bloom_domain's), its plan */
    uint64_t *lengths;         /* per file: its size, as the facts pass found it */
    const uint8_t *forced;     /* per file: needed by others, parse it */
    const LLNameSet *sinks;    /* functions with a sink: their callers matter */
    const LLNameSet *returns;  /* functions returning untrusted data */
    const LLNameSet *sources;  /* names of the modelled sources (sources.h) */
    const LLStrList *source_literals; /* and substrings */
    /* the sources whose conditions a function need not name (parameters
     * of web handlers...): a file they may apply to is parsed whole */
    const LLNameSet *param_sources;
    const LLStrList *param_literals;
    const LLIdentSet *fix_names; /* last segments of the names fixes write */
    const LLIdentSet *method_names; /* names rules match only as a method */
    const LLIdentSet *filler_names; /* source names read only as a call's */
    const LLIdentSet *keyword_names; /* keywords rules test at a call */
    const LLExportFilter *export_filter; /* which module facts to keep (exports.h) */
    const LLStrMap *aliases;   /* the project's re-exports; NULL until known */
    const LLIdentSet *alias_prefixes; /* their keys' dotted prefixes (exports.h) */
    const LLNameSet *alias_names; /* rule names as re-exported: the pre-filter's */
    struct LLVersions *versions; /* what fixes needing a version ask (versions.h); NULL: none */
    /* The facts pass (run.c, before the others): each file is read for its
     * module facts (exports.h: only in this pass), its identifiers' Bloom
     * filter and the pre-filter's answer, and not parsed; a file the
     * pre-filter keeps is left LL_PY_WANTED for the first full pass, which
     * then knows the project's aliases. */
    bool facts_only;
    /* the Bloom filters' domain (nameset.h): the segments of the project's
     * module names and of the names rules and sources mention */
    const LLIdentSet *bloom_domain;
} LLPyShared;

/* A file's slot of LLPyShared.skipped: parsed; skipped by the pre-filter;
 * wanted by the facts pass (parsed in the next); parsed in part (split.h:
 * some top-level definitions left out). */
enum { LL_PY_PARSED = 0, LL_PY_SKIPPED = 1, LL_PY_WANTED = 2, LL_PY_PARTIAL = 3 };
struct LLSplitNames;
/* The name sets a parse plan reads (split.h): the rules' pre-filter names,
 * the functions with sinks and returning untrusted data, the sources, the
 * rule names as aliases spell them, and the source substrings. */
void ll_py_split_names(const LLPyShared *sh, const LLRuleset *rules, struct LLSplitNames *out);

/* Whether a slot says the file was not parsed. */
static inline bool ll_py_unparsed(uint8_t slot)
{
    return slot == LL_PY_SKIPPED || slot == LL_PY_WANTED;
}

#endif
