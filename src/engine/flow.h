/* flow.h - where a value comes from: constant, unknown or untrusted.
 *
 * ll_flow_provenance searches backwards from an expression (a load call's
 * data or path argument) through assignments, unpacking, with/for targets,
 * string building (f-strings, %, +, .format, str()), path building
 * (os.path.join, pathlib.Path, /), wrappers (open, io.BytesIO, .read(),
 * .content), attributes and subscripts, until it reaches leaves:
 *   - literals: constant;
 *   - modelled untrusted sources (sources.h): untrusted;
 *   - anything else (parameters, unmodelled calls): unknown.
 * The result is the worst leaf; for an untrusted one it also gives the path
 * from the source to the expression. The search is iterative and visits at
 * most LL_MAX_FLOW_VISITS nodes; past that the answer is "unknown".
 *
 * Ownership: LLFlow is a worker's scratch space, reused between queries.
 * Step texts are static strings or arena strings of the semantic model. */
#ifndef LL_FLOW_H
#define LL_FLOW_H
#include "engine/resolve.h"
#include "rules/ruleset.h"

typedef struct LLFlowStep {
    TSNode node;
    const char *what; /* "source", "assigned to x", "passed through open()" */
} LLFlowStep;

typedef struct LLFlowResult {
    LLProvenance prov;
    const char *source_name; /* canonical name of the untrusted source */
    TSNode source;           /* its expression */
    LLFlowStep steps[LL_MAX_FLOW_STEPS]; /* source first, sink argument last */
    uint32_t nsteps;
} LLFlowResult;

typedef struct LLFlowItem {
    TSNode node;
    uint32_t scope;
    uint32_t from; /* index of the item that led here, LL_NONE for the root */
    const char *what;
} LLFlowItem;

typedef struct LLFlow {
    LLFlowItem *items; /* LL_MAX_FLOW_VISITS entries */
} LLFlow;

void ll_flow_init(LLFlow *flow);
void ll_flow_release(LLFlow *flow);
void ll_flow_provenance(LLFlow *flow, const LLSemantic *sem, TSNode expr,
                        uint32_t scope, LLFlowResult *out);

#endif
