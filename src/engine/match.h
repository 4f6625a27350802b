/* match.h - offering every call, reference and class of a file to the rules
 * that can match it.
 *
 * Dispatch is by canonical name (hash lookup), by method name, and by a
 * regex only for rules that use call_regex: the cost grows with the number
 * of call sites, not with sites x rules. Predicates are evaluated here, the
 * only place that interprets them; findings get their severity from the
 * rule's provenance table through flow.h.
 *
 * Ownership: LLMatcher is a worker's (PCRE2 match data is per thread); the
 * ruleset is shared and read-only. Findings are appended to `out`. */
#ifndef LL_MATCH_H
#define LL_MATCH_H
#include "engine/finding.h"
#include "engine/flow.h"
#include "engine/resolve.h"
#include "rules/ruleset.h"

typedef struct LLMatcher {
    const LLRuleset *rules;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    LLFlow flow;
    uint32_t max_findings; /* per file */
} LLMatcher;

void ll_match_init(LLMatcher *m, const LLRuleset *rules, uint32_t max_findings);
void ll_match_release(LLMatcher *m);
/* Matches every site of `sem` and appends findings for file index `file`. */
void ll_match_file(LLMatcher *m, const LLSemantic *sem, uint32_t file,
                   LLFileResult *out);

#endif
