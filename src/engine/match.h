/* match.h - offering every call, reference and class of a file to the rules
 * that can match it.
 *
 * Dispatch is by canonical name (hash lookup), by method name, and by a
 * regex only for rules that use call_regex: the cost grows with the number
 * of call sites, not with sites x rules. Predicates are evaluated here, the
 * only place that interprets them; findings get their severity from the
 * rule's provenance table through flow.h.
 *
 * A finding of a rule with "fixes" gets the fix of its call (engine/fix.h),
 * computed at the call while the file's tree is at hand; fixes that
 * require a package version ask the run's versions (versions.h) through
 * ll_match_set_versions.
 *
 * Structural predicates ("in_except_of", ruleset.h) look at the statements
 * around the call: an `except` clause of a `try` whose block holds another
 * call (the safe load the flagged one falls back from); the answer for
 * each `try` statement is found once per file.
 *
 * Ownership: LLMatcher is a worker's (PCRE2 match data is per thread); the
 * ruleset is shared and read-only. Findings are appended to `out`. */
#ifndef LL_MATCH_H
#define LL_MATCH_H
#include "base/nameset.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/fix.h"
#include "engine/flow.h"
#include "engine/resolve.h"
#include "rules/ruleset.h"

/* Statements walked up from a call to find an enclosing `except` clause
 * (in_except_of); deeper nesting is reported and not looked at. */
#define LL_MAX_EXCEPT_ANCESTORS 256u

struct LLVersions; /* engine/versions.h */

/* A loader call whose input may come from a parameter of an enclosing
 * function: becomes a sink in that function's summary. */
typedef struct LLPendingSink {
    uint32_t scope; /* the function */
    uint32_t param;
    uint32_t rule;
    size_t finding; /* index in the file's findings */
    LLFlowPath path; /* parameter -> loader argument */
    char *message;   /* the rule's message rendered at the loader (owned) */
} LLPendingSink;

typedef struct LLMatcher {
    const LLRuleset *rules;
    const LLFileList *files; /* to name other files in messages */
    const LLProject *project; /* other files' summaries; may be NULL */
    const LLNameSet *sources; /* names of sources and of functions returning */
    const LLNameSet *returns; /* one (run.c); NULL: every function may */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    LLFlow flow;
    LLFlowResult worst, scratch; /* large: kept off the stack */
    LL_VEC(LLPendingSink) pending;
    LLNames *call_names; /* per call site of the current file (arena) */
    LLFileResult *out;   /* of the current file, for flow's lookups */
    LLOffsets source_names_at; /* where the current file names a source */
    LLIdentSet source_lasts;   /* (the last segments of those names) */
    uint32_t file;
    uint32_t max_findings; /* per file */
    const uint8_t *mask;   /* per rule: applies to the current file (NULL: all) */
    uint32_t *rule_stamp;  /* per rule: the site that last checked it */
    uint32_t site_stamp;
    LLFixEnv fix_env;      /* what fixes may ask (versions); zero: nothing known */
    uint64_t fix_text_hash; /* of the current file's text, once a fix needs it (0: not yet) */
    struct LLVersions *versions; /* the run's (versions.h); NULL: fix_env as set */
    LLStrMap except_memo;  /* (try statement, predicate) -> its call + 1, or 0 (per file) */
    bool except_limit_said; /* the current file's ancestor limit was reported */
} LLMatcher;

void ll_match_init(LLMatcher *m, const LLRuleset *rules, uint32_t max_findings);
/* Sets what the next files are matched against (borrowed). */
void ll_match_set_project(LLMatcher *m, const LLProject *project,
                          const LLFileList *files);
/* Name sets telling which functions may return untrusted data (borrowed;
 * read during passes, changed between them). */
void ll_match_set_sources(LLMatcher *m, const LLNameSet *sources,
                          const LLNameSet *returns);
void ll_match_release(LLMatcher *m);
/* The rules that apply to the next file (mask[r] != 0; borrowed, NULL: all
 * enabled rules) and its source model (borrowed). */
void ll_match_set_file_rules(LLMatcher *m, const uint8_t *mask, const LLSourceModel *model);
/* What the fixes of the next files may ask (copied; its ctx is borrowed):
 * which versions of a package the project allows, for fixes that require
 * one (`requires` in a rule's fixes). Set it per file when the answer
 * depends on the file's directory (the dependency files above it). Until
 * set, versions are unknown and such fixes are offered. */
void ll_match_set_fix_env(LLMatcher *m, const LLFixEnv *env);
/* The run's versions (borrowed; NULL: none): then the fixes of each file
 * ask ll_versions_fix_check for that file's project, and fix_env is not
 * used. */
void ll_match_set_versions(LLMatcher *m, struct LLVersions *v);
/* Matches every site of `sem` and appends findings for file index `file`,
 * then summarises the file's functions (out->summaries) and reports loads
 * reached through calls to summarised functions, in this file or others.
 * Such a finding is placed at the loader call, wherever it is. Return
 * summaries are computed only when `may_source` (the file may mention an
 * untrusted source or a function returning one). */
void ll_match_file(LLMatcher *m, const LLSemantic *sem, uint32_t file,
                   LLFileResult *out, bool may_source);

#endif
