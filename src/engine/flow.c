#include "engine/flow.h"

#include "base/mem.h"
#include "engine/sources.h"

#include <stdlib.h>
#include <string.h>

void ll_flow_init(LLFlow *flow, const LLSourceModel *model)
{
    flow->model = model;
    flow->items = ll_xcalloc(LL_MAX_FLOW_VISITS, sizeof *flow->items);
    flow->seen = ll_xcalloc(LL_FLOW_SET_SLOTS, sizeof *flow->seen);
    flow->gen = 0;
    flow->project = NULL;
}

void ll_flow_release(LLFlow *flow)
{
    free(flow->items);
    free(flow->seen);
    flow->items = NULL;
    flow->seen = NULL;
}

/* State of one query. */
typedef struct Search {
    LLFlow *flow;
    const LLSemantic *sem;
    const LLSyntax *syn;
    uint32_t n;
    bool overflow, unknown, leaf;
    /* the first untrusted leaf */
    bool untrusted;
    uint32_t untrusted_item;
    const char *source_name;
    const LLFuncSummary *via;
    LLFlowResult *out;
} Search;

static void push(Search *s, TSNode node, uint32_t scope, uint32_t from,
                 const char *what)
{
    if (ts_node_is_null(node) || s->overflow)
        return;
    if (s->n >= LL_MAX_FLOW_VISITS) {
        s->overflow = true; /* the answer is "unknown": stop looking */
        return;
    }
    /* seen before? an open-addressing set over (node, scope), reset per
     * query by a generation number */
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    uint32_t sym = ts_node_symbol(node);
    uint64_t h = ((uint64_t)start * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)end << 17) ^
                 ((uint64_t)sym << 40) ^ scope;
    h ^= h >> 29;
    LLFlow *f = s->flow;
    for (size_t k = h & (LL_FLOW_SET_SLOTS - 1);; k = (k + 1) & (LL_FLOW_SET_SLOTS - 1)) {
        LLFlowSeen *slot = &f->seen[k];
        if (slot->gen != f->gen) {
            slot->gen = f->gen;
            slot->start = start;
            slot->end = end;
            slot->sym = sym;
            slot->scope = scope;
            break;
        }
        if (slot->start == start && slot->end == end && slot->sym == sym && slot->scope == scope)
            return;
    }
    LLFlowItem it = {node, scope, from, what};
    f->items[s->n++] = it;
}

static LLKind kind(const Search *s, TSNode n) { return ll_syntax_kind(s->syn, n); }

static TSNode field(const Search *s, TSNode n, LLField f)
{
    return ll_syntax_field(s->syn, n, f);
}

static void push_children(Search *s, TSNode n, uint32_t scope, uint32_t from,
                          const char *what)
{
    /* a cursor: ts_node_named_child(i) would be quadratic on long lists */
    TSTreeCursor cur = ts_tree_cursor_new(n);
    for (bool more = ts_tree_cursor_goto_first_child(&cur); more && !s->overflow;
         more = ts_tree_cursor_goto_next_sibling(&cur)) {
        TSNode ch = ts_tree_cursor_current_node(&cur);
        if (ts_node_is_named(ch) && kind(s, ch) != LL_K_COMMENT)
            push(s, ch, scope, from, what);
    }
    ts_tree_cursor_delete(&cur);
}

static void push_call_args(Search *s, TSNode call, uint32_t scope,
                           uint32_t from, const char *what)
{
    TSNode args = field(s, call, LL_F_ARGUMENTS);
    if (ts_node_is_null(args))
        return;
    uint32_t c = ts_node_named_child_count(args);
    for (uint32_t i = 0; i < c; i++) {
        TSNode a = ts_node_named_child(args, i);
        LLKind k = kind(s, a);
        if (k == LL_K_KEYWORD_ARGUMENT)
            a = field(s, a, LL_F_VALUE);
        else if (k == LL_K_LIST_SPLAT || k == LL_K_DICT_SPLAT)
            a = ts_node_named_child(a, 0);
        else if (k == LL_K_COMMENT)
            continue;
        push(s, a, scope, from, what);
    }
}

/* "<prefix><name><suffix>" in the arena, the name cut to 60 bytes. */
static const char *step_text(const LLSemantic *sem, const char *prefix,
                             const char *name, size_t len, const char *suffix)
{
    char buf[160];
    int n = snprintf(buf, sizeof buf, "%s%.*s%s", prefix,
                     (int)(len > 60 ? 60 : len), name, suffix);
    if (n < 0)
        return "";
    return ll_arena_strndup(sem->arena, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void found_source(Search *s, uint32_t idx, const char *name,
                         const LLFuncSummary *via)
{
    if (s->untrusted)
        return;
    s->untrusted = true;
    s->untrusted_item = idx;
    s->source_name = name;
    s->via = via;
}

/* The path from item `idx` back to the root, origin first. */
static void build_path(const Search *s, uint32_t idx, LLFlowPath *path)
{
    uint32_t chain[LL_MAX_FLOW_STEPS];
    uint32_t nc = 0;
    for (uint32_t j = idx; j != LL_NONE; j = s->flow->items[j].from) {
        if (nc < LL_MAX_FLOW_STEPS)
            chain[nc++] = j;
        else
            chain[LL_MAX_FLOW_STEPS - 1] = j; /* keep the queried end */
    }
    for (uint32_t j = 0; j < nc; j++) {
        const LLFlowItem *it = &s->flow->items[chain[j]];
        path->steps[j].node = it->node;
        path->steps[j].what = it->what;
    }
    path->nsteps = nc;
}

/* ---- writes into a name ---------------------------------------------------- */

/* x.write(data), download_url_to_file(url, x), urlretrieve(url, x),
 * copyfileobj(src, x) before `pos` in `scope`: what was written into x, or
 * the download call, is where x's content comes from. */
static void push_writes(Search *s, TSNode ident, uint32_t scope, uint32_t pos,
                        uint32_t from)
{
    const LLSemantic *sem = s->sem;
    size_t nlen;
    const char *name = ll_node_text(sem->src, ident, &nlen);
    for (size_t i = 0; i < sem->writes.len; i++) {
        const LLSite *c = &sem->writes.items[i];
        if (c->scope != scope || ts_node_start_byte(c->node) >= pos)
            continue;
        TSNode fn = field(s, c->node, LL_F_FUNCTION);
        if (ts_node_is_null(fn))
            continue;
        TSNode last = kind(s, fn) == LL_K_ATTRIBUTE ? field(s, fn, LL_F_ATTRIBUTE) : fn;
        if (ts_node_is_null(last))
            continue;
        size_t lastlen;
        const char *lasttext = ll_node_text(sem->src, last, &lastlen);
        if (kind(s, fn) == LL_K_ATTRIBUTE &&
            ll_sources_is_write_method(s->flow->model, lasttext, lastlen)) {
            TSNode obj = field(s, fn, LL_F_OBJECT);
            if (!ts_node_is_null(obj) && kind(s, obj) == LL_K_IDENTIFIER) {
                size_t ol;
                const char *ot = ll_node_text(sem->src, obj, &ol);
                if (ol == nlen && memcmp(ot, name, nlen) == 0)
                    push_call_args(s, c->node, scope, from,
                                   step_text(sem, "written into ", name, nlen, ""));
            }
        } else if (ll_sources_is_filler(s->flow->model, lasttext, lastlen)) {
            TSNode args = field(s, c->node, LL_F_ARGUMENTS);
            if (ts_node_is_null(args))
                continue;
            uint32_t na = ts_node_named_child_count(args);
            for (uint32_t k = 1; k < na; k++) {
                TSNode a = ts_node_named_child(args, k);
                if (kind(s, a) == LL_K_IDENTIFIER) {
                    size_t al;
                    const char *at = ll_node_text(sem->src, a, &al);
                    if (al == nlen && memcmp(at, name, nlen) == 0) {
                        /* the source is the filler: its first argument */
                        push(s, c->node, scope, from,
                             step_text(sem, "downloaded into ", name, nlen, ""));
                    }
                }
            }
        }
    }
}

/* ---- calls into this file's functions ------------------------------------- */

/* The scope of this file's function whose canonical name is `name`. */
static uint32_t local_function(const LLSemantic *sem, const char *name)
{
    intptr_t v;
    if (ll_strmap_get(&sem->functions, name, strlen(name), &v))
        return (uint32_t)v;
    return LL_NONE;
}

static void push_returns(Search *s, uint32_t fscope, uint32_t from, const char *fname)
{
    const LLSemantic *sem = s->sem;
    if (fscope < s->flow->fn_memo_len && s->flow->fn_memo[fscope] == LL_FN_CLEAN) {
        s->unknown = true; /* summarised already: returns nothing untrusted */
        return;
    }
    const char *what = step_text(sem, "returned by ", fname, strlen(fname), "()");
    uint32_t first = sem->returns_first[fscope], n = sem->returns_count[fscope];
    for (uint32_t i = 0; i < n && !s->overflow; i++) {
        const LLSite *r = &sem->returns.items[sem->returns_by_scope[first + i]];
        TSNode v = ts_node_named_child(r->node, 0);
        if (!ts_node_is_null(v))
            push(s, v, fscope, from, what);
    }
}

/* ---- one step ------------------------------------------------------------------ */

static void expand(Search *s, uint32_t idx)
{
    const LLSemantic *sem = s->sem;
    LLFlowItem item = s->flow->items[idx];
    TSNode n = item.node;
    LLKind k = kind(s, n);

    if (k == LL_K_IDENTIFIER || k == LL_K_ATTRIBUTE || k == LL_K_CALL) {
        const char *fw = ll_sources_self(s->flow->model, sem, n, item.scope);
        if (fw) {
            found_source(s, idx, fw, NULL);
            return;
        }
        LLNames names = {0};
        ll_resolve_expr(sem, n, item.scope, &names);
        for (uint32_t i = 0; i < names.n; i++) {
            if (ll_sources_match(s->flow->model, names.name[i])) {
                found_source(s, idx, names.name[i], NULL);
                return;
            }
        }
    }
    switch (k) {
    case LL_K_INTEGER:
    case LL_K_FLOAT:
    case LL_K_TRUE:
    case LL_K_FALSE:
    case LL_K_NONE:
        s->leaf = true;
        return;
    case LL_K_STRING: {
        s->leaf = true;
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode part = ts_node_named_child(n, i);
            if (kind(s, part) == LL_K_INTERPOLATION)
                push(s, ts_node_named_child(part, 0), item.scope, idx,
                     "formatted into a string");
        }
        return;
    }
    case LL_K_CONCAT_STRING:
    case LL_K_BINARY_OP:
    case LL_K_BOOLEAN_OP:
    case LL_K_PAREN_EXPR:
    case LL_K_AWAIT:
    case LL_K_LIST:
    case LL_K_TUPLE:
    case LL_K_SET:
    case LL_K_EXPRESSION_LIST:
    case LL_K_UNARY_OP:
        push_children(s, n, item.scope, idx,
                      k == LL_K_BINARY_OP ? "combined by an operator" : NULL);
        if (!ts_node_named_child_count(n))
            s->leaf = true;
        return;
    case LL_K_DICT: {
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode p = ts_node_named_child(n, i);
            if (kind(s, p) == LL_K_PAIR)
                push(s, field(s, p, LL_F_VALUE), item.scope, idx, NULL);
        }
        if (!c)
            s->leaf = true;
        return;
    }
    case LL_K_CONDITIONAL_EXPR:
        push(s, ts_node_named_child(n, 0), item.scope, idx, NULL);
        push(s, ts_node_named_child(n, 2), item.scope, idx, NULL);
        return;
    case LL_K_SUBSCRIPT:
        push(s, field(s, n, LL_F_VALUE), item.scope, idx, "indexed");
        return;
    case LL_K_ATTRIBUTE:
        push(s, field(s, n, LL_F_OBJECT), item.scope, idx, NULL);
        return;
    case LL_K_IDENTIFIER: {
        size_t len;
        const char *name = ll_node_text(sem->src, n, &len);
        if ((len == 8 && memcmp(name, "__file__", 8) == 0) ||
            (len == 8 && memcmp(name, "__name__", 8) == 0)) {
            s->leaf = true;
            return;
        }
        const LLBinding *bs[LL_MAX_ALTERNATIVES];
        uint32_t nb = ll_resolve_lookup(sem, name, len, item.scope,
                                        ts_node_start_byte(n), bs, LL_MAX_ALTERNATIVES);
        if (!nb) {
            s->unknown = true;
            return;
        }
        for (uint32_t i = 0; i < nb; i++) {
            const LLBinding *bd = bs[i];
            switch (bd->kind) {
            case LL_BIND_ASSIGN:
            case LL_BIND_FOR:
            case LL_BIND_WITH:
                if (ts_node_is_null(bd->value)) {
                    s->unknown = true;
                    break;
                }
                push(s, bd->value, bd->scope, idx,
                     step_text(sem, "assigned to ", name, len, ""));
                push_writes(s, bd->target, bd->scope, ts_node_start_byte(n), idx);
                break;
            case LL_BIND_AUG:
                push(s, bd->value, bd->scope, idx, step_text(sem, "added to ", name, len, ""));
                push(s, bd->target, bd->scope, idx, NULL);
                break;
            case LL_BIND_PARAM: {
                const char *web = ll_sources_param(s->flow->model, sem, bd);
                if (web) {
                    found_source(s, idx, web, NULL);
                    break;
                }
                s->unknown = true;
                int pi = ll_resolve_param_index(sem, bd);
                if (pi >= 0 && s->out->nparams < LL_MAX_FLOW_PARAMS) {
                    LLFlowParam *fp = &s->out->params[s->out->nparams++];
                    fp->scope = bd->scope;
                    fp->index = (uint32_t)pi;
                    build_path(s, idx, &fp->path);
                }
                push_writes(s, bd->target, bd->scope, ts_node_start_byte(n), idx);
                break;
            }
            default:
                s->unknown = true;
                break;
            }
        }
        return;
    }
    case LL_K_CALL: {
        TSNode fn = field(s, n, LL_F_FUNCTION);
        LLNames names = {0};
        ll_resolve_expr(sem, fn, item.scope, &names);
        bool followed = false;
        for (uint32_t i = 0; i < names.n; i++) {
            if (ll_sources_is_propagator(s->flow->model, names.name[i])) {
                push_call_args(s, n, item.scope, idx,
                               step_text(sem, "passed through ", names.name[i],
                                         strlen(names.name[i]), "()"));
                return;
            }
            uint32_t f = local_function(sem, names.name[i]);
            if (f != LL_NONE) {
                push_returns(s, f, idx, names.name[i]);
                followed = true;
                continue;
            }
            if (s->flow->on_lookup)
                s->flow->on_lookup(s->flow->on_lookup_ctx, names.name[i]);
            const LLFuncSummary *sum = ll_project_find(s->flow->project, names.name[i], s->flow->file);
            if (sum && sum->returns_source) {
                found_source(s, idx, sum->returns_source, sum);
                return;
            }
        }
        if (followed)
            return;
        if (!ts_node_is_null(fn) && kind(s, fn) == LL_K_ATTRIBUTE) {
            TSNode attr = field(s, fn, LL_F_ATTRIBUTE);
            size_t len;
            const char *m = ll_node_text(sem->src, attr, &len);
            /* a method's result carries its object's data (request.body(),
             * resp.json()); known data methods also carry their arguments */
            const char *what = step_text(sem, ".", m, len, "() of it");
            push(s, field(s, fn, LL_F_OBJECT), item.scope, idx, what);
            if (ll_sources_is_propagating_method(s->flow->model, m, len))
                push_call_args(s, n, item.scope, idx, what);
            s->unknown = true;
            return;
        }
        s->unknown = true;
        return;
    }
    default:
        s->unknown = true;
        return;
    }
}

void ll_flow_provenance(LLFlow *flow, const LLSemantic *sem, TSNode expr,
                        uint32_t scope, LLFlowResult *out)
{
    memset(out, 0, sizeof *out);
    if (++flow->gen == 0) { /* wrapped: forget every stamp */
        memset(flow->seen, 0, LL_FLOW_SET_SLOTS * sizeof *flow->seen);
        flow->gen = 1;
    }
    Search s = {.flow = flow, .sem = sem, .syn = sem->syn, .out = out};
    push(&s, expr, scope, LL_NONE, NULL);
    for (uint32_t i = 0; i < s.n && !s.untrusted; i++)
        expand(&s, i);
    if (s.untrusted) {
        out->prov = LL_PROV_UNTRUSTED;
        out->source_name = s.source_name;
        out->source = flow->items[s.untrusted_item].node;
        out->via = s.via;
        build_path(&s, s.untrusted_item, &out->path);
        return;
    }
    if (s.overflow || s.unknown || !s.leaf)
        out->prov = LL_PROV_UNKNOWN;
    else
        out->prov = LL_PROV_CONSTANT;
}
