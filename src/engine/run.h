/* run.h - the whole scan: files in, sorted findings out.
 *
 * ll_run analyses a list of files with `jobs` worker threads. Each worker
 * owns its parser, arena, semantic tables and matcher; the ruleset and the
 * syntax tables are shared read-only. Results are stored per file index and
 * merged in file order, then sorted by (path, line, column, rule code), so
 * the output does not depend on the number of threads.
 *
 * Passes: the facts pass reads every file (model and dependency files are
 * analysed there) and parses none: each Python file gives its module facts
 * (exports.h), a Bloom filter of its identifiers and the pre-filter's
 * answer. The project's aliases are made from the facts; pass 0 then
 * parses the files the pre-filter lets through (files holding a token some
 * rule needs, under its own name or an alias), each once. Later passes add
 * the files the others depend on (a module whose function a parsed file
 * calls; a file naming a function that has become a sink) and re-analyse
 * files whose callees' summaries changed, until nothing changes
 * (LL_MAX_SUMMARY_ROUNDS). With no_prefilter every file is parsed in pass
 * 0; the findings are the same either way. Trees are the run's largest
 * memory: the workers analyse at most LL_PARSE_BUDGET_BYTES of source at
 * once, beside small files (run.c worker_main).
 *
 * Then each finding gets its context (test, example or library code, from
 * its file's settings: test-paths, example-paths) and findings in test code
 * are graded by test-severity; where several rules report the same call,
 * the strongest finding is shown and the others become suppressed
 * duplicates (LL_SUPP_DUPLICATE).
 *
 * With a result cache (opts.cache), each analysis is first looked up in
 * it (rcache.h): the passes stay as they are, so the result is the cold
 * run's.
 *
 * Ownership: the LLRunResult owns the findings and diagnostics it holds;
 * ll_run_result_release frees them. */
#ifndef LL_RUN_H
#define LL_RUN_H
#include "base/vec.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/scope.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <stddef.h>
#include <stdint.h>

typedef struct LLRunOptions {
    unsigned jobs;               /* worker threads; 0 = number of CPUs */
    size_t max_file_bytes;       /* LL_DEFAULT_MAX_FILE_BYTES */
    uint64_t parse_timeout_us;   /* LL_DEFAULT_PARSE_TIMEOUT_US; 0 = none */
    uint32_t max_findings_per_file;
    const char *stdin_text;      /* for a file whose path is "-" */
    size_t stdin_len;
    bool no_prefilter;           /* parse every file (see prefilter.h) */
    bool no_artifacts;           /* offer no file to the model-file analyzer */
    bool report_unused_suppressions; /* suppress.h: report_unused */
    /* which rules and sources apply to which file (scope.h); NULL: every
     * enabled unscoped rule and the unscoped sources, for every file */
    const LLRuleScope *scope;
    /* the result cache (rcache/rcache.h): an analysis whose inputs are
     * those of a cached one is taken from it; NULL: none. Borrowed. */
    struct LLRcache *cache;
    /* per file (NULL: none): parse it whatever the pre-filter says (files
     * named on the command line, for their diagnostics) */
    const uint8_t *parse;
    /* per file (NULL: every file): report its findings and diagnostics; the
     * others are analysed for what they tell these (a pre-commit run inside
     * its project) and counted in neither files_scanned nor files_parsed */
    const uint8_t *report;
    /* told after each file of the facts pass that needs no other, and
     * after each of pass 0 (NULL: not told): files and
     * bytes done of the totals (sizes as stat() gave them before the pass);
     * called from the worker threads, concurrently */
    void (*progress)(void *ctx, size_t files_done, size_t files_total,
                     uint64_t bytes_done, uint64_t bytes_total);
    void *progress_ctx;
} LLRunOptions;

typedef struct LLRunResult {
    LL_VEC(LLFinding) findings; /* sorted */
    LL_VEC(LLDiag) diags;       /* in file order */
    size_t files_scanned;
    size_t files_parsed; /* the others could not produce a finding */
    size_t files_partial; /* of those, parsed in part (split.h) */
    uint64_t bytes_left_out; /* the bytes of the definitions they left out */
} LLRunResult;

void ll_run_options_default(LLRunOptions *opts);
void ll_run(const LLRuleset *rules, const LLSyntax *syn,
            const LLFileList *files, const LLRunOptions *opts,
            LLRunResult *out);
void ll_run_result_release(LLRunResult *r);

#endif
