#include "engine/flow.h"

#include "base/mem.h"
#include "engine/sources.h"

#include <stdlib.h>
#include <string.h>

void ll_flow_init(LLFlow *flow)
{
    flow->items = ll_xcalloc(LL_MAX_FLOW_VISITS, sizeof *flow->items);
}

void ll_flow_release(LLFlow *flow)
{
    free(flow->items);
    flow->items = NULL;
}

typedef struct Search {
    LLFlow *flow;
    const LLSemantic *sem;
    uint32_t n;
    bool overflow;
} Search;

static bool same_node(TSNode a, TSNode b)
{
    return ts_node_start_byte(a) == ts_node_start_byte(b) &&
           ts_node_end_byte(a) == ts_node_end_byte(b) &&
           ts_node_symbol(a) == ts_node_symbol(b);
}

static void push(Search *s, TSNode node, uint32_t scope, uint32_t from,
                 const char *what)
{
    if (ts_node_is_null(node))
        return;
    for (uint32_t i = 0; i < s->n; i++)
        if (s->flow->items[i].scope == scope && same_node(s->flow->items[i].node, node))
            return;
    if (s->n >= LL_MAX_FLOW_VISITS) {
        s->overflow = true;
        return;
    }
    LLFlowItem it = {node, scope, from, what};
    s->flow->items[s->n++] = it;
}

static void push_children(Search *s, TSNode n, uint32_t scope, uint32_t from,
                          const char *what)
{
    uint32_t c = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < c; i++) {
        TSNode ch = ts_node_named_child(n, i);
        if (ll_syntax_kind(s->sem->syn, ch) == LL_K_COMMENT)
            continue;
        push(s, ch, scope, from, what);
    }
}

static void push_call_args(Search *s, TSNode call, uint32_t scope,
                           uint32_t from, const char *what)
{
    const LLSyntax *syn = s->sem->syn;
    TSNode args = ll_syntax_field(syn, call, LL_F_ARGUMENTS);
    if (ts_node_is_null(args))
        return;
    uint32_t c = ts_node_named_child_count(args);
    for (uint32_t i = 0; i < c; i++) {
        TSNode a = ts_node_named_child(args, i);
        LLKind k = ll_syntax_kind(syn, a);
        if (k == LL_K_KEYWORD_ARGUMENT)
            a = ll_syntax_field(syn, a, LL_F_VALUE);
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

/* Expands one item; returns true when it is an untrusted source. */
static bool expand(Search *s, uint32_t idx, bool *unknown, bool *leaf,
                   const char **source_name)
{
    const LLSemantic *sem = s->sem;
    const LLSyntax *syn = sem->syn;
    LLFlowItem item = s->flow->items[idx];
    TSNode n = item.node;
    LLKind k = ll_syntax_kind(syn, n);

    if (k == LL_K_IDENTIFIER || k == LL_K_ATTRIBUTE || k == LL_K_CALL) {
        LLNames names = {0};
        ll_resolve_expr(sem, n, item.scope, &names);
        for (uint32_t i = 0; i < names.n; i++) {
            const char *src = ll_sources_match(names.name[i]);
            if (src) {
                *source_name = names.name[i];
                return true;
            }
        }
    }
    switch (k) {
    case LL_K_INTEGER:
    case LL_K_FLOAT:
    case LL_K_TRUE:
    case LL_K_FALSE:
    case LL_K_NONE:
    case LL_K_STRING_CONTENT:
    case LL_K_ESCAPE_SEQ:
        *leaf = true;
        return false;
    case LL_K_STRING: {
        *leaf = true;
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode part = ts_node_named_child(n, i);
            if (ll_syntax_kind(syn, part) == LL_K_INTERPOLATION)
                push(s, ts_node_named_child(part, 0), item.scope, idx,
                     "formatted into a string");
        }
        return false;
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
            *leaf = true;
        return false;
    case LL_K_DICT: {
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode p = ts_node_named_child(n, i);
            if (ll_syntax_kind(syn, p) == LL_K_PAIR)
                push(s, ll_syntax_field(syn, p, LL_F_VALUE), item.scope, idx, NULL);
        }
        if (!c)
            *leaf = true;
        return false;
    }
    case LL_K_CONDITIONAL_EXPR:
        push(s, ts_node_named_child(n, 0), item.scope, idx, NULL);
        push(s, ts_node_named_child(n, 2), item.scope, idx, NULL);
        return false;
    case LL_K_SUBSCRIPT:
        push(s, ll_syntax_field(syn, n, LL_F_VALUE), item.scope, idx, "indexed");
        return false;
    case LL_K_ATTRIBUTE:
        push(s, ll_syntax_field(syn, n, LL_F_OBJECT), item.scope, idx, NULL);
        return false;
    case LL_K_IDENTIFIER: {
        size_t len;
        const char *name = ll_node_text(sem->src, n, &len);
        if ((len == 8 && memcmp(name, "__file__", 8) == 0) ||
            (len == 8 && memcmp(name, "__name__", 8) == 0)) {
            *leaf = true;
            return false;
        }
        const LLBinding *bs[LL_MAX_ALTERNATIVES];
        uint32_t nb = ll_resolve_lookup(sem, name, len, item.scope,
                                        ts_node_start_byte(n), bs, LL_MAX_ALTERNATIVES);
        if (!nb) {
            *unknown = true;
            return false;
        }
        for (uint32_t i = 0; i < nb; i++) {
            const LLBinding *bd = bs[i];
            switch (bd->kind) {
            case LL_BIND_ASSIGN:
            case LL_BIND_FOR:
            case LL_BIND_WITH:
                if (ts_node_is_null(bd->value)) {
                    *unknown = true;
                    break;
                }
                push(s, bd->value, bd->scope, idx,
                     step_text(sem, "assigned to ", name, len, ""));
                break;
            case LL_BIND_AUG:
                push(s, bd->value, bd->scope, idx,
                     step_text(sem, "added to ", name, len, ""));
                push(s, bd->target, bd->scope, idx, NULL);
                break;
            default:
                *unknown = true;
                break;
            }
        }
        return false;
    }
    case LL_K_CALL: {
        TSNode fn = ll_syntax_field(syn, n, LL_F_FUNCTION);
        LLNames names = {0};
        ll_resolve_expr(sem, fn, item.scope, &names);
        for (uint32_t i = 0; i < names.n; i++) {
            if (ll_sources_is_propagator(names.name[i])) {
                push_call_args(s, n, item.scope, idx,
                               step_text(sem, "passed through ", names.name[i],
                                         strlen(names.name[i]), "()"));
                return false;
            }
        }
        if (!ts_node_is_null(fn) && ll_syntax_kind(syn, fn) == LL_K_ATTRIBUTE) {
            TSNode attr = ll_syntax_field(syn, fn, LL_F_ATTRIBUTE);
            size_t len;
            const char *m = ll_node_text(sem->src, attr, &len);
            if (ll_sources_is_propagating_method(m, len)) {
                const char *what = step_text(sem, ".", m, len, "() of it");
                push(s, ll_syntax_field(syn, fn, LL_F_OBJECT), item.scope, idx, what);
                push_call_args(s, n, item.scope, idx, what);
                return false;
            }
        }
        *unknown = true;
        return false;
    }
    default:
        *unknown = true;
        return false;
    }
}

void ll_flow_provenance(LLFlow *flow, const LLSemantic *sem, TSNode expr,
                        uint32_t scope, LLFlowResult *out)
{
    memset(out, 0, sizeof *out);
    Search s = {flow, sem, 0, false};
    push(&s, expr, scope, LL_NONE, NULL);
    bool unknown = false, leaf = false;
    for (uint32_t i = 0; i < s.n; i++) {
        const char *source_name = NULL;
        if (expand(&s, i, &unknown, &leaf, &source_name)) {
            out->prov = LL_PROV_UNTRUSTED;
            out->source_name = source_name;
            out->source = flow->items[i].node;
            /* path: walk back to the root, then reverse */
            uint32_t chain[LL_MAX_FLOW_STEPS];
            uint32_t nc = 0;
            for (uint32_t j = i; j != LL_NONE; j = flow->items[j].from) {
                if (nc < LL_MAX_FLOW_STEPS)
                    chain[nc++] = j;
                else
                    chain[LL_MAX_FLOW_STEPS - 1] = j; /* keep the sink end */
            }
            for (uint32_t j = 0; j < nc; j++) {
                const LLFlowItem *it = &flow->items[chain[j]];
                out->steps[j].node = it->node;
                out->steps[j].what = it->what;
            }
            out->nsteps = nc;
            return;
        }
    }
    if (s.overflow || unknown || !leaf)
        out->prov = LL_PROV_UNKNOWN;
    else
        out->prov = LL_PROV_CONSTANT;
}
