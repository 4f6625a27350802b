/* flow.h - where a value comes from: constant, unknown or untrusted.
 *
 * ll_flow_provenance searches backwards from an expression (a load call's
 * data or path argument) through assignments, unpacking, walrus, with/for
 * targets, string building (f-strings, %, +, .format, str()), path building
 * (os.path.join, pathlib.Path, /), wrappers (open, io.BytesIO, .read(),
 * .content), attributes, subscripts, writes into a file or buffer
 * (f.write(data), download_url_to_file(url, dst)), the return values of
 * this file's functions and, through project summaries, of other files'
 * functions, until it reaches leaves:
 *   - literals: constant;
 *   - modelled untrusted sources (sources.h, web-handler parameters):
 *     untrusted;
 *   - anything else (parameters, unmodelled calls): unknown;
 *   - data this code produced (srcmodel.h producers: pickle.dumps(x)), or
 *     a private name (a temporary file or directory, an empty buffer,
 *     pytest's tmp_path) that a private writer (pickle.dump, torch.save,
 *     save_pretrained) filled earlier in the function: self-produced. A
 *     private name nothing writes, or one written with other data (f.write
 *     of a parameter), is unknown; a constant path is never private.
 * A source call whose arguments pin what it fetches (srcmodel.h pins) is
 * untrusted but pinned; an unpinned source anywhere wins.
 * The result is the worst leaf (self < constant < unknown < untrusted); for an untrusted one it also gives the path
 * from the source to the expression, and it lists the parameters of the
 * enclosing functions the value may come from (so that the function can be
 * summarised as a sink for its callers). The search is iterative and visits
 * at most LL_MAX_FLOW_VISITS nodes; past that the answer is "unknown".
 *
 * Ownership: LLFlow is a worker's scratch space, reused between queries;
 * the project is borrowed and read-only. Step texts are static strings or
 * arena strings of the semantic model. */
#ifndef LL_FLOW_H
#define LL_FLOW_H
#include "engine/project.h"
#include "engine/resolve.h"
#include "rules/ruleset.h"

#define LL_MAX_FLOW_PARAMS 4u
/* Private names (temporary files...) one query follows; more: unknown. */
#define LL_MAX_FLOW_PRIVATE 4u
/* Calls examined for a write into one private name. */
#define LL_MAX_FLOW_WRITERS 64u

typedef struct LLFlowStep {
    TSNode node;
    const char *what; /* how the value got here, or NULL */
} LLFlowStep;

typedef struct LLFlowPath {
    LLFlowStep steps[LL_MAX_FLOW_STEPS]; /* origin first, queried expression last */
    uint32_t nsteps;
} LLFlowPath;

typedef struct LLFlowParam {
    uint32_t scope; /* the function's scope */
    uint32_t index; /* position among its parameters */
    LLFlowPath path; /* from the parameter to the queried expression */
} LLFlowParam;

typedef struct LLFlowResult {
    LLProvenance prov;
    /* LL_PROV_SELF: how this code produced the data ("pickle.dumps()",
     * "torch.save() into tempfile.mkdtemp()"), and where */
    const char *self_what;
    TSNode self_node;
    /* LL_PROV_UNTRUSTED from a source whose call pins what it fetches
     * (hf_hub_download(..., revision="<40-hex>")): the pin's words, and
     * the pinning argument */
    const char *pinned;
    TSNode pinned_node;
    const char *source_name; /* canonical name (or description) of the source */
    TSNode source;           /* its expression */
    LLFlowPath path;         /* source -> queried expression */
    const LLFuncSummary *via; /* the source is this other-file function's return */
    LLFlowParam params[LL_MAX_FLOW_PARAMS];
    uint32_t nparams;
} LLFlowResult;

typedef struct LLFlowItem {
    TSNode node;
    uint32_t scope;
    uint32_t from; /* index of the item that led here, LL_NONE for the root */
    const char *what;
} LLFlowItem;

/* Slots of the per-query "seen" set: a power of two, twice the visits. */
#define LL_FLOW_SET_SLOTS (2u * LL_MAX_FLOW_VISITS)

typedef struct LLFlowSeen {
    uint32_t gen; /* the query that filled it; other values: empty */
    uint32_t start, end, sym, scope;
} LLFlowSeen;

typedef struct LLFlow {
    LLFlowItem *items; /* LL_MAX_FLOW_VISITS entries */
    LLFlowSeen *seen;  /* LL_FLOW_SET_SLOTS entries */
    uint32_t gen;      /* current query */
    const LLProject *project; /* summaries of the other files, or NULL */
    const LLSourceModel *model; /* sources, propagators, writers (borrowed) */
    uint32_t file; /* the file being analysed (imports resolve from it) */
    /* per scope of the current file: LL_FN_* (set by match.c while it
     * summarises; a function known not to return untrusted data is not
     * followed again) */
    uint8_t *fn_memo;
    size_t fn_memo_len;
    /* told each name whose project summary a search looks up for what it
     * returns (match.c notes it as a dependency of the file); may be NULL */
    void (*on_lookup)(void *ctx, const char *name);
    void *on_lookup_ctx;
} LLFlow;

enum { LL_FN_UNKNOWN = 0, LL_FN_CLEAN = 1, LL_FN_UNTRUSTED = 2 };

void ll_flow_init(LLFlow *flow, const LLSourceModel *model);
void ll_flow_release(LLFlow *flow);
void ll_flow_provenance(LLFlow *flow, const LLSemantic *sem, TSNode expr,
                        uint32_t scope, LLFlowResult *out);

#endif
