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

#include <pthread.h>
#include <stdint.h>

/* What the workers parse at once, in bytes of source text (trees are the
 * run's largest memory): a worker takes a file's length before parsing it
 * and gives it back when its trees are gone; it waits while what the
 * others hold and the file's length exceed the total. A file longer than
 * the total takes all of it (it is parsed alone). The run owns it; the
 * workers share it. */
typedef struct LLParseBudget {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    size_t total, used;
} LLParseBudget;

void ll_parse_budget_init(LLParseBudget *b, size_t total);
void ll_parse_budget_destroy(LLParseBudget *b);

typedef struct LLBloom {
    uint64_t words[LL_NAMESET_BLOOM_WORDS];
} LLBloom;

typedef struct LLPyShared {
    const LLSyntax *syn;
    const LLRunOptions *opts;  /* limits, stdin's text, pre-filter, unused suppressions */
    const LLProject *project;
    uint8_t *skipped;          /* per file: LL_PY_* (pre-filter) */
    LLBloom *blooms;           /* per skipped file: its identifiers (bloom_domain's) */
    const uint8_t *forced;     /* per file: needed by others, parse it */
    const LLNameSet *sinks;    /* functions with a sink: their callers matter */
    const LLNameSet *returns;  /* functions returning untrusted data */
    const LLNameSet *sources;  /* names of the modelled sources (sources.h) */
    const LLStrList *source_literals; /* and substrings */
    const LLExportFilter *export_filter; /* which module facts to keep (exports.h) */
    const LLStrMap *aliases;   /* the project's re-exports; NULL until known */
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
    LLParseBudget *parse_budget; /* NULL: no limit */
} LLPyShared;

/* A file's slot of LLPyShared.skipped. */
enum { LL_PY_PARSED = 0, LL_PY_SKIPPED = 1, LL_PY_WANTED = 2 };

#endif
