#include "engine/flow.h"

#include "base/mem.h"
#include "engine/sources.h"

#include <stdio.h>
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
    /* the first source whose call pins what it fetches */
    bool pinned;
    uint32_t pinned_item;
    const char *pinned_name, *pinned_says;
    TSNode pinned_arg;
    /* round trips: the first producer leaf, the private names */
    bool produced;
    uint32_t produced_item;
    const char *produced_name;
    uint32_t private_items[LL_MAX_FLOW_PRIVATE];
    const char *private_names[LL_MAX_FLOW_PRIVATE];
    uint32_t nprivate;
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
        if (ts_node_is_named(ch) && kind(s, ch) != LL_K_COMMENT &&
            kind(s, ch) != LL_K_LINE_CONTINUATION)
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
        else if (k == LL_K_COMMENT || k == LL_K_LINE_CONTINUATION)
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

/* The call a source expression comes from: the node itself, or the value
 * of the single assignment an identifier (or attribute/subscript of one)
 * refers to, a few steps back. */
static TSNode source_call(const Search *s, TSNode n, uint32_t scope)
{
    TSNode none = {0};
    for (unsigned depth = 0; depth < LL_MAX_ALIAS_DEPTH && !ts_node_is_null(n); depth++) {
        LLKind k = kind(s, n);
        if (k == LL_K_CALL)
            return n;
        if (k == LL_K_ATTRIBUTE) {
            n = field(s, n, LL_F_OBJECT);
        } else if (k == LL_K_SUBSCRIPT) {
            n = field(s, n, LL_F_VALUE);
        } else if (k == LL_K_IDENTIFIER) {
            size_t len;
            const char *name = ll_node_text(s->sem->src, n, &len);
            const LLBinding *bs[LL_MAX_ALTERNATIVES];
            uint32_t nb = ll_resolve_lookup(s->sem, name, len, scope, ts_node_start_byte(n), bs,
                                            LL_MAX_ALTERNATIVES);
            if (nb != 1 || (bs[0]->kind != LL_BIND_ASSIGN && bs[0]->kind != LL_BIND_WITH))
                return none;
            scope = bs[0]->scope;
            n = bs[0]->value;
        } else {
            return none;
        }
    }
    return none;
}

/* A source reached at item idx: pinned (its call's arguments pin what it
 * fetches) or not. An unpinned source ends the search. */
static void reach_source(Search *s, uint32_t idx, const char *name, const LLFuncSummary *via)
{
    const LLFlowItem *it = &s->flow->items[idx];
    TSNode call = via ? (TSNode){0} : source_call(s, it->node, it->scope);
    if (!ts_node_is_null(call) && s->flow->model->pins.len) {
        LLNames names = {0};
        ll_resolve_expr(s->sem, field(s, call, LL_F_FUNCTION), it->scope, &names);
        for (uint32_t i = 0; i < names.n; i++) {
            TSNode arg;
            const LLArgCheck *pin = ll_sources_pinned(s->flow->model, s->sem, call, it->scope,
                                                      names.name[i], &arg);
            if (pin) {
                if (!s->pinned) {
                    s->pinned = true;
                    s->pinned_item = idx;
                    s->pinned_name = name;
                    s->pinned_says = pin->says;
                    s->pinned_arg = arg;
                }
                return;
            }
        }
    }
    found_source(s, idx, name, via);
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

/* The scope of a function defined inside another one that `fn` (an
 * identifier called in `scope`) names, or LL_NONE: nested functions have
 * no canonical name, so they are found by their def. */
static uint32_t nested_function(const Search *s, TSNode fn, uint32_t scope)
{
    if (ts_node_is_null(fn) || kind(s, fn) != LL_K_IDENTIFIER)
        return LL_NONE;
    size_t len;
    const char *name = ll_node_text(s->sem->src, fn, &len);
    const LLBinding *bs[LL_MAX_ALTERNATIVES];
    uint32_t nb = ll_resolve_lookup(s->sem, name, len, scope, ts_node_start_byte(fn), bs,
                                    LL_MAX_ALTERNATIVES);
    if (nb != 1 || bs[0]->kind != LL_BIND_DEF || bs[0]->scope == 0)
        return LL_NONE;
    return ll_resolve_def_scope(s->sem, bs[0]->value);
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
    bool any = false;
    for (uint32_t i = 0; i < n && !s->overflow; i++) {
        const LLSite *r = &sem->returns.items[sem->returns_by_scope[first + i]];
        TSNode v = ts_node_named_child(r->node, 0);
        if (!ts_node_is_null(v)) {
            push(s, v, fscope, from, what);
            any = true;
        }
    }
    /* no value returned: an abstract method (a docstring, `...`, a raise)
     * that subclasses implement, or None; either way nothing this code
     * produced, so no round trip rests on it */
    if (!any)
        s->unknown = true;
}

/* ---- round trips ------------------------------------------------------------- */

static void produced_leaf(Search *s, uint32_t idx, const char *name)
{
    s->leaf = true;
    if (!s->produced) {
        s->produced = true;
        s->produced_item = idx;
        s->produced_name = name;
    }
}

static void private_leaf(Search *s, uint32_t idx, const char *what)
{
    s->leaf = true;
    if (s->nprivate >= LL_MAX_FLOW_PRIVATE) {
        s->unknown = true; /* more than we follow: say nothing */
        return;
    }
    s->private_items[s->nprivate] = idx;
    s->private_names[s->nprivate++] = what;
}

/* The call item through whose return value the search entered function
 * `fscope` on its way to item idx (the first item of another scope on the
 * chain, when it is a call of this file's function fscope), or LL_NONE:
 * the search started inside fscope (its parameters are the caller's). */
static uint32_t call_into(const Search *s, uint32_t idx, uint32_t fscope)
{
    for (uint32_t j = idx; j != LL_NONE; j = s->flow->items[j].from) {
        const LLFlowItem *it = &s->flow->items[j];
        if (it->scope == fscope)
            continue;
        if (kind(s, it->node) != LL_K_CALL)
            return LL_NONE;
        LLNames names = {0};
        TSNode fn = field(s, it->node, LL_F_FUNCTION);
        ll_resolve_expr(s->sem, fn, it->scope, &names);
        for (uint32_t i = 0; i < names.n; i++)
            if (local_function(s->sem, names.name[i]) == fscope)
                return j;
        return nested_function(s, fn, it->scope) == fscope ? j : LL_NONE;
    }
    return LL_NONE;
}

/* The argument of `call` that parameter binding `bd` receives (by
 * position, or by keyword), or a null node. */
static TSNode call_argument(const Search *s, TSNode call, const LLBinding *bd)
{
    int pi = ll_resolve_param_index(s->sem, bd);
    size_t len;
    const char *name = ll_node_text(s->sem->src, bd->target, &len);
    char kw[128];
    snprintf(kw, sizeof kw, "%.*s", (int)(len < sizeof kw ? len : sizeof kw - 1), name);
    /* obj.method(x): self is not written */
    TSNode fn = field(s, call, LL_F_FUNCTION);
    if (ll_resolve_method_class(s->sem, bd->scope) != LL_NONE && !ts_node_is_null(fn) &&
        kind(s, fn) == LL_K_ATTRIBUTE)
        pi--;
    return ll_sources_call_arg(s->sem, call, pi, kw);
}

/* Whether an expression only reads a variable (x, x.a, x["k"]; no call)
 * assigned from a source here: the source is then found at the
 * assignment's value, where the data enters, not at the later use. A
 * variable holding an object whose attribute is the source
 * (app.current_event with app = Resolver()) is not. */
static bool bound_locally(const Search *s, TSNode n, uint32_t scope)
{
    for (unsigned i = 0; i < LL_MAX_ALIAS_DEPTH && !ts_node_is_null(n); i++) {
        LLKind k = kind(s, n);
        if (k == LL_K_ATTRIBUTE)
            n = field(s, n, LL_F_OBJECT);
        else if (k == LL_K_SUBSCRIPT)
            n = field(s, n, LL_F_VALUE);
        else
            break;
    }
    if (ts_node_is_null(n) || kind(s, n) != LL_K_IDENTIFIER)
        return false;
    size_t len;
    const char *name = ll_node_text(s->sem->src, n, &len);
    const LLBinding *bs[LL_MAX_ALTERNATIVES];
    uint32_t nb = ll_resolve_lookup(s->sem, name, len, scope, ts_node_start_byte(n), bs,
                                    LL_MAX_ALTERNATIVES);
    for (uint32_t i = 0; i < nb; i++) {
        uint8_t bk = bs[i]->kind;
        if ((bk != LL_BIND_ASSIGN && bk != LL_BIND_WITH && bk != LL_BIND_FOR) ||
            ts_node_is_null(bs[i]->value))
            return false;
        LLNames vn = {0};
        ll_resolve_expr(s->sem, bs[i]->value, bs[i]->scope, &vn);
        bool from_source = false;
        for (uint32_t k = 0; k < vn.n && !from_source; k++)
            from_source = ll_sources_match(s->flow->model, vn.name[k]) != NULL;
        if (!from_source)
            return false;
    }
    return nb > 0;
}

/* Pushes the values the methods of class `cls` assign to self.<attr of
 * n>; false when none does (then self.x is whatever the object holds). */
static bool push_self_attr(Search *s, TSNode n, uint32_t cls, uint32_t idx)
{
    size_t len;
    const char *name = ll_node_text(s->sem->src, field(s, n, LL_F_ATTRIBUTE), &len);
    bool any = false;
    for (size_t i = 0; i < s->sem->attrs.len; i++) {
        const LLAttrBinding *a = &s->sem->attrs.items[i];
        if (a->class_scope != cls || a->len != len || memcmp(a->name, name, len) != 0 ||
            ts_node_is_null(a->value))
            continue;
        push(s, a->value, a->scope, idx, step_text(s->sem, "assigned to self.", name, len, ""));
        any = true;
    }
    return any;
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
        const char *priv = ll_sources_private_self(s->flow->model, sem, n, item.scope);
        if (priv) {
            private_leaf(s, idx, priv);
            return;
        }
        LLNames names = {0};
        if (!bound_locally(s, n, item.scope))
            ll_resolve_expr(sem, n, item.scope, &names);
        for (uint32_t i = 0; i < names.n; i++) {
            if (ll_sources_match(s->flow->model, names.name[i])) {
                reach_source(s, idx, names.name[i], NULL);
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
    case LL_K_CONDITIONAL_EXPR: {
        /* a if c else b: the first and third operands (a comment or a
         * backslash continuation may sit between them) */
        uint32_t c = ts_node_named_child_count(n), nth = 0;
        for (uint32_t i = 0; i < c && nth < 3; i++) {
            TSNode op = ts_node_named_child(n, i);
            LLKind ok = kind(s, op);
            if (ok == LL_K_COMMENT || ok == LL_K_LINE_CONTINUATION)
                continue;
            if (nth != 1)
                push(s, op, item.scope, idx, NULL);
            nth++;
        }
        return;
    }
    case LL_K_SUBSCRIPT:
        push(s, field(s, n, LL_F_VALUE), item.scope, idx, "indexed");
        return;
    case LL_K_ATTRIBUTE: {
        /* self.x: what the class's methods assign to it, when they do */
        TSNode obj = field(s, n, LL_F_OBJECT);
        uint32_t cls;
        if (!ts_node_is_null(obj) && kind(s, obj) == LL_K_IDENTIFIER &&
            ll_resolve_is_self(sem, obj, item.scope, &cls) && push_self_attr(s, n, cls, idx))
            return;
        push(s, obj, item.scope, idx, NULL);
        return;
    }
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
                /* what was written into it first: a download into a path
                 * is where the file's content comes from, not the path's
                 * directory (TORCH_HOME) */
                push_writes(s, bd->target, bd->scope, ts_node_start_byte(n), idx);
                push(s, bd->value, bd->scope, idx,
                     step_text(sem, "assigned to ", name, len, ""));
                break;
            case LL_BIND_AUG:
                push(s, bd->value, bd->scope, idx, step_text(sem, "added to ", name, len, ""));
                push(s, bd->target, bd->scope, idx, NULL);
                break;
            case LL_BIND_PARAM: {
                const char *web = ll_sources_param(s->flow->model, sem, bd);
                if (web) {
                    /* the value enters at the parameter, not where it is used */
                    uint32_t before = s->n;
                    push(s, bd->target, bd->scope, idx, NULL);
                    found_source(s, s->n > before ? s->n - 1 : idx, web, NULL);
                    break;
                }
                uint32_t call_item = call_into(s, idx, bd->scope);
                if (call_item != LL_NONE) {
                    /* reached through the return value of a call of this
                     * file's function: the parameter is that call's argument */
                    TSNode arg = call_argument(s, s->flow->items[call_item].node, bd);
                    if (!ts_node_is_null(arg))
                        push(s, arg, s->flow->items[call_item].scope, idx,
                             step_text(sem, "passed as ", name, len, ""));
                    else
                        s->unknown = true;
                    break;
                }
                const char *priv = ll_sources_private_param(s->flow->model, sem, bd);
                if (priv) {
                    /* at the parameter: the same node for every use of it */
                    uint32_t before = s->n;
                    push(s, bd->target, bd->scope, idx, NULL);
                    private_leaf(s, s->n > before ? s->n - 1 : idx, priv);
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
            if (ll_sources_is_producer(s->flow->model, names.name[i])) {
                produced_leaf(s, idx, names.name[i]);
                return;
            }
            if (ll_sources_is_private_name(s->flow->model, names.name[i]) &&
                !(ll_sources_is_propagator(s->flow->model, names.name[i]) &&
                  !ts_node_is_null(ll_sources_call_arg(sem, n, 0, NULL)))) {
                /* (io.BytesIO(data), also a propagator, is that data) */
                /* io.BytesIO(data) still carries data */
                private_leaf(s, idx, names.name[i]);
                push_call_args(s, n, item.scope, idx,
                               step_text(sem, "passed through ", names.name[i],
                                         strlen(names.name[i]), "()"));
                return;
            }
        }
        for (uint32_t i = 0; i < names.n; i++) {
            if (ll_sources_is_propagator(s->flow->model, names.name[i])) {
                push_call_args(s, n, item.scope, idx,
                               step_text(sem, "passed through ", names.name[i],
                                         strlen(names.name[i]), "()"));
                return;
            }
            /* C().m(...): the method C.m's returns */
            char unbound[LL_MAX_QUALNAME];
            bool method = ll_resolve_unbind(names.name[i], unbound, sizeof unbound);
            uint32_t f = local_function(sem, names.name[i]);
            if (f == LL_NONE && method)
                f = local_function(sem, unbound);
            if (f != LL_NONE) {
                push_returns(s, f, idx, names.name[i]);
                followed = true;
                continue;
            }
            if (s->flow->on_lookup)
                s->flow->on_lookup(s->flow->on_lookup_ctx, names.name[i]);
            const LLFuncSummary *sum = ll_project_find(s->flow->project, names.name[i], s->flow->file);
            if (!sum && method)
                sum = ll_project_find(s->flow->project, unbound, s->flow->file);
            if (sum && sum->returns_source) {
                found_source(s, idx, sum->returns_source, sum);
                return;
            }
        }
        if (followed)
            return;
        uint32_t nested = nested_function(s, fn, item.scope);
        if (nested != LL_NONE) {
            size_t len;
            const char *t = ll_node_text(sem->src, fn, &len);
            push_returns(s, nested, idx, ll_arena_strndup(sem->arena, t, len));
            return;
        }
        if (!ts_node_is_null(fn) && kind(s, fn) == LL_K_ATTRIBUTE) {
            TSNode attr = field(s, fn, LL_F_ATTRIBUTE);
            size_t len;
            const char *m = ll_node_text(sem->src, attr, &len);
            /* a method's result carries its object's data (request.body(),
             * resp.json()); known data methods also carry their arguments */
            const char *what = step_text(sem, ".", m, len, "() of it");
            push(s, field(s, fn, LL_F_OBJECT), item.scope, idx, what);
            if (ll_sources_is_propagating_method(s->flow->model, m, len))
                push_call_args(s, n, item.scope, idx, what); /* only what it is given */
            else
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

/* One search from `expr`: fills s (whose flow, sem, syn and out are set). */
static void run_search(Search *s, TSNode expr, uint32_t scope)
{
    LLFlow *flow = s->flow;
    if (++flow->gen == 0) { /* wrapped: forget every stamp */
        memset(flow->seen, 0, LL_FLOW_SET_SLOTS * sizeof *flow->seen);
        flow->gen = 1;
    }
    s->n = 0;
    push(s, expr, scope, LL_NONE, NULL);
    for (uint32_t i = 0; i < s->n && !s->untrusted; i++)
        expand(s, i);
}

static bool same_node(TSNode a, TSNode b)
{
    return ts_node_start_byte(a) == ts_node_start_byte(b) &&
           ts_node_end_byte(a) == ts_node_end_byte(b) && ts_node_symbol(a) == ts_node_symbol(b);
}

/* What a search from `expr` says, reduced: 0 constant or self, 1 unknown,
 * 2 untrusted; *reaches tells whether it visited `target`. */
static int probe(LLFlow *flow, const LLSemantic *sem, TSNode expr, uint32_t scope,
                 TSNode target, bool *reaches)
{
    LLFlowResult scratch;
    memset(&scratch, 0, sizeof scratch);
    Search s = {.flow = flow, .sem = sem, .syn = sem->syn, .out = &scratch};
    run_search(&s, expr, scope);
    *reaches = false;
    for (uint32_t i = 0; i < s.n && !*reaches; i++)
        *reaches = same_node(flow->items[i].node, target);
    if (s.untrusted || s.pinned)
        return 2;
    if (s.overflow || s.unknown || (!s.leaf && !s.produced && !s.nprivate))
        return 1;
    return 0;
}

/* Whether a call before `before` in scope `scope` writes the private name
 * `target` with data this code holds: a private writer (pickle.dump(obj,
 * f), torch.save(sd, path), m.save_pretrained(d)) given something that
 * reaches it, or f.write(d) on it with d constant or self-produced. Sets
 * *tainted when something else is written into it (f.write(param), a
 * download into it). *writer names the call. */
static bool written(LLFlow *flow, const LLSemantic *sem, TSNode target, uint32_t scope,
                    uint32_t before, const char **writer, TSNode *writer_node, bool *tainted)
{
    const LLSyntax *syn = sem->syn;
    bool found = false;
    unsigned examined = 0;
    *tainted = false;
    for (size_t i = 0; i < sem->calls.len && !*tainted; i++) {
        const LLCallSite *c = &sem->calls.items[i];
        if (c->scope != scope || ts_node_start_byte(c->node) >= before ||
            ts_node_is_null(c->fn) || ts_node_is_null(c->args) ||
            ll_syntax_kind(syn, c->args) != LL_K_ARGUMENT_LIST)
            continue;
        if (ts_node_end_byte(c->node) > before)
            continue; /* the load itself, or a call around it */
        LLNames names = {0};
        ll_resolve_expr(sem, c->fn, c->scope, &names);
        bool is_writer = false;
        for (uint32_t k = 0; k < names.n && !is_writer; k++)
            is_writer = ll_sources_is_private_writer(flow->model, names.name[k]);
        if (!is_writer && ll_syntax_kind(syn, c->fn) == LL_K_ATTRIBUTE) {
            /* model.save_pretrained(d) on an object of unknown type: the
             * method name alone, as ".save_pretrained" */
            size_t len;
            const char *m = ll_node_text(sem->src, ll_syntax_field(syn, c->fn, LL_F_ATTRIBUTE), &len);
            char dotted[LL_MAX_QUALNAME];
            snprintf(dotted, sizeof dotted, ".%.*s", (int)(len < sizeof dotted - 2 ? len : sizeof dotted - 2), m);
            is_writer = ll_sources_is_private_writer(flow->model, dotted);
        }
        TSNode recv = {0};
        bool raw = false, filler = false;
        if (ll_syntax_kind(syn, c->fn) == LL_K_ATTRIBUTE) {
            size_t len;
            const char *m = ll_node_text(sem->src, ll_syntax_field(syn, c->fn, LL_F_ATTRIBUTE), &len);
            raw = ll_sources_is_write_method(flow->model, m, len);
            if (raw)
                recv = ll_syntax_field(syn, c->fn, LL_F_OBJECT);
            filler = ll_sources_is_filler(flow->model, m, len);
        } else if (ll_syntax_kind(syn, c->fn) == LL_K_IDENTIFIER) {
            size_t len;
            const char *m = ll_node_text(sem->src, c->fn, &len);
            filler = ll_sources_is_filler(flow->model, m, len);
        }
        if (!is_writer && !raw && !filler)
            continue;
        if (++examined > LL_MAX_FLOW_WRITERS) {
            *tainted = true; /* too many to tell: not self-produced */
            return false;
        }
        bool reaches = false;
        if (raw) {
            probe(flow, sem, recv, c->scope, target, &reaches);
            if (!reaches)
                continue;
            /* what is written must be this code's own */
            uint32_t na = ts_node_named_child_count(c->args);
            for (uint32_t a = 0; a < na; a++) {
                bool dummy;
                if (probe(flow, sem, ts_node_named_child(c->args, a), c->scope, target, &dummy))
                    *tainted = true;
            }
        } else {
            uint32_t na = ts_node_named_child_count(c->args);
            for (uint32_t a = 0; a < na && !reaches; a++) {
                TSNode arg = ts_node_named_child(c->args, a);
                if (ll_syntax_kind(syn, arg) == LL_K_KEYWORD_ARGUMENT)
                    arg = ll_syntax_field(syn, arg, LL_F_VALUE);
                probe(flow, sem, arg, c->scope, target, &reaches);
            }
            if (!reaches)
                continue;
            if (filler && !is_writer) {
                *tainted = true; /* a download into it */
                continue;
            }
        }
        if (!found) {
            /* as written: "torch.save", "block.save_pretrained" */
            size_t len;
            const char *t = ll_node_text(sem->src, c->fn, &len);
            found = true;
            *writer = ll_arena_strndup(sem->arena, t, len > 60 ? 60 : len);
            *writer_node = c->node;
        }
    }
    return found && !*tainted;
}

void ll_flow_provenance(LLFlow *flow, const LLSemantic *sem, TSNode expr,
                        uint32_t scope, LLFlowResult *out)
{
    memset(out, 0, sizeof *out);
    Search s = {.flow = flow, .sem = sem, .syn = sem->syn, .out = out};
    run_search(&s, expr, scope);
    if (s.untrusted || s.pinned) {
        uint32_t item = s.untrusted ? s.untrusted_item : s.pinned_item;
        out->prov = LL_PROV_UNTRUSTED;
        out->source_name = s.untrusted ? s.source_name : s.pinned_name;
        out->source = flow->items[item].node;
        out->via = s.untrusted ? s.via : NULL;
        build_path(&s, item, &out->path);
        if (!s.untrusted) {
            out->pinned = s.pinned_says;
            out->pinned_node = s.pinned_arg;
        }
        return;
    }
    if (s.overflow || s.unknown || !s.leaf) {
        out->prov = LL_PROV_UNKNOWN;
        return;
    }
    if (!s.produced && !s.nprivate) {
        out->prov = LL_PROV_CONSTANT;
        return;
    }
    /* self-produced: every private name must have been written by this
     * code first (the searches below reuse the items: copy what we need) */
    TSNode targets[LL_MAX_FLOW_PRIVATE];
    uint32_t tscopes[LL_MAX_FLOW_PRIVATE];
    const char *what[LL_MAX_FLOW_PRIVATE];
    uint32_t np = s.nprivate;
    for (uint32_t i = 0; i < np; i++) {
        targets[i] = flow->items[s.private_items[i]].node;
        tscopes[i] = flow->items[s.private_items[i]].scope;
        what[i] = s.private_names[i];
    }
    TSNode produced = s.produced ? flow->items[s.produced_item].node : (TSNode){0};
    const char *writer = NULL;
    TSNode writer_node = {0};
    uint32_t before = ts_node_start_byte(expr);
    for (uint32_t i = 0; i < np; i++) {
        const char *w = NULL;
        TSNode wn = {0};
        bool tainted;
        bool ok = written(flow, sem, targets[i], scope, before, &w, &wn, &tainted);
        if (!ok && tscopes[i] != scope)
            ok = written(flow, sem, targets[i], tscopes[i], before, &w, &wn, &tainted);
        if (!ok) {
            out->prov = LL_PROV_UNKNOWN;
            return;
        }
        if (!writer) {
            writer = step_text(sem, "", w, strlen(w), "()");
            writer = step_text(sem, writer, " into ", 6, what[i]);
            writer_node = wn;
        }
    }
    out->prov = LL_PROV_SELF;
    if (s.produced) {
        out->self_what = step_text(sem, "", s.produced_name, strlen(s.produced_name), "()");
        out->self_node = produced;
    } else {
        out->self_what = writer;
        out->self_node = writer_node;
    }
}
