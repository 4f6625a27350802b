#include "engine/verify.h"

#include "engine/sources.h"
#include "engine/value.h"

#include <stdio.h>
#include <string.h>

typedef struct V {
    LLFlow *flow;
    const LLSemantic *sem;
    const LLSyntax *syn;
    const LLSourceModel *m;
    const LLBinding *bytes; /* the binding of the loaded name */
    uint32_t load_pos;      /* start byte of the loaded expression */
} V;

static LLKind kind(const V *v, TSNode n) { return ll_syntax_kind(v->syn, n); }
static TSNode field(const V *v, TSNode n, LLField f) { return ll_syntax_field(v->syn, n, f); }

static bool text_is(const V *v, TSNode n, const char *s)
{
    size_t len;
    const char *t = ll_node_text(v->sem->src, n, &len);
    return len == strlen(s) && memcmp(t, s, len) == 0;
}

static bool in_names(const LLStrList *l, const char *t, size_t len)
{
    for (size_t i = 0; i < l->len; i++)
        if (strlen(l->items[i]) == len && memcmp(l->items[i], t, len) == 0)
            return true;
    return false;
}

/* The first canonical name of `fn` matching one of `globs`, or NULL. */
static const char *names_match(const V *v, TSNode fn, uint32_t scope, const LLStrList *globs)
{
    if (ts_node_is_null(fn) || !globs->len)
        return NULL;
    LLNames names = {0};
    ll_resolve_expr(v->sem, fn, scope, &names);
    for (uint32_t i = 0; i < names.n; i++)
        if (ll_srcmodel_glob_any(globs, names.name[i]))
            return names.name[i];
    return NULL;
}

/* The attribute name of a method call's function (`x.name(...)`), or NULL. */
static const char *method_of(const V *v, TSNode call, size_t *len)
{
    TSNode fn = field(v, call, LL_F_FUNCTION);
    if (ts_node_is_null(fn) || kind(v, fn) != LL_K_ATTRIBUTE)
        return NULL;
    return ll_node_text(v->sem->src, field(v, fn, LL_F_ATTRIBUTE), len);
}

static const LLBinding *binding_of(const V *v, TSNode id, uint32_t scope)
{
    size_t len;
    const char *name = ll_node_text(v->sem->src, id, &len);
    const LLBinding *bs[LL_MAX_ALTERNATIVES];
    uint32_t nb = ll_resolve_lookup(v->sem, name, len, scope, ts_node_start_byte(id), bs,
                                    LL_MAX_ALTERNATIVES);
    return nb == 1 ? bs[0] : NULL;
}

static TSNode strip_parens(const V *v, TSNode n)
{
    for (unsigned i = 0; i < LL_MAX_ALIAS_DEPTH && !ts_node_is_null(n) &&
                         kind(v, n) == LL_K_PAREN_EXPR;
         i++)
        n = ts_node_named_child(n, 0);
    return n;
}

/* Through the wrappers that keep the same bytes: io.BytesIO(data) -> data. */
static TSNode unwrap(const V *v, TSNode n, uint32_t scope)
{
    for (unsigned i = 0; i < LL_MAX_ALIAS_DEPTH && !ts_node_is_null(n); i++) {
        n = strip_parens(v, n);
        if (kind(v, n) != LL_K_CALL ||
            !names_match(v, field(v, n, LL_F_FUNCTION), scope, &v->m->same_bytes))
            break;
        n = ll_sources_call_arg(v->sem, n, 0, NULL);
    }
    return n;
}

/* Whether n is the loaded bytes: the same binding of the same name. */
static bool is_bytes(const V *v, TSNode n, uint32_t scope)
{
    n = unwrap(v, n, scope);
    return !ts_node_is_null(n) && kind(v, n) == LL_K_IDENTIFIER && binding_of(v, n, scope) == v->bytes;
}

/* Whether some argument of `call` (positional or keyword) is the bytes. */
static bool any_arg_is_bytes(const V *v, TSNode call, uint32_t scope)
{
    TSNode args = field(v, call, LL_F_ARGUMENTS);
    if (ts_node_is_null(args) || kind(v, args) != LL_K_ARGUMENT_LIST)
        return false;
    uint32_t c = ts_node_named_child_count(args);
    for (uint32_t i = 0; i < c; i++) {
        TSNode a = ts_node_named_child(args, i);
        LLKind k = kind(v, a);
        if (k == LL_K_COMMENT || k == LL_K_LINE_CONTINUATION)
            continue;
        if (k == LL_K_KEYWORD_ARGUMENT)
            a = field(v, a, LL_F_VALUE);
        if (is_bytes(v, a, scope))
            return true;
    }
    return false;
}

/* h.update(bytes) before the load, h being binding b. */
static bool updated_with_bytes(const V *v, const LLBinding *b)
{
    for (size_t i = 0; i < v->sem->calls.len; i++) {
        const LLCallSite *c = &v->sem->calls.items[i];
        if (ts_node_start_byte(c->node) >= v->load_pos || ts_node_is_null(c->fn) ||
            kind(v, c->fn) != LL_K_ATTRIBUTE)
            continue;
        TSNode obj = field(v, c->fn, LL_F_OBJECT);
        if (!text_is(v, field(v, c->fn, LL_F_ATTRIBUTE), "update") ||
            kind(v, obj) != LL_K_IDENTIFIER || binding_of(v, obj, c->scope) != b)
            continue;
        if (any_arg_is_bytes(v, c->node, c->scope))
            return true;
    }
    return false;
}

/* Whether n is a digest of the bytes: digest(bytes).hexdigest(), or
 * h.hexdigest() with h = digest(bytes) or h.update(bytes), through names
 * bound once. Sets *alg to the digest's name. */
static bool is_digest(const V *v, TSNode n, uint32_t scope, const char **alg)
{
    for (unsigned depth = 0; depth < LL_MAX_ALIAS_DEPTH && !ts_node_is_null(n); depth++) {
        n = strip_parens(v, n);
        if (kind(v, n) == LL_K_IDENTIFIER) {
            const LLBinding *b = binding_of(v, n, scope);
            if (!b || b->kind != LL_BIND_ASSIGN || ts_node_is_null(b->value))
                return false;
            n = b->value;
            scope = b->scope;
            continue;
        }
        if (kind(v, n) != LL_K_CALL)
            return false;
        size_t len;
        const char *m = method_of(v, n, &len);
        if (!m || !in_names(&v->m->digest_methods, m, len))
            return false;
        TSNode obj = strip_parens(v, field(v, field(v, n, LL_F_FUNCTION), LL_F_OBJECT));
        if (kind(v, obj) == LL_K_CALL) {
            *alg = names_match(v, field(v, obj, LL_F_FUNCTION), scope, &v->m->digests);
            return *alg && any_arg_is_bytes(v, obj, scope);
        }
        if (kind(v, obj) != LL_K_IDENTIFIER)
            return false;
        const LLBinding *h = binding_of(v, obj, scope);
        if (!h || h->kind != LL_BIND_ASSIGN || ts_node_is_null(h->value) ||
            kind(v, h->value) != LL_K_CALL)
            return false;
        *alg = names_match(v, field(v, h->value, LL_F_FUNCTION), h->scope, &v->m->digests);
        if (!*alg)
            return false;
        return any_arg_is_bytes(v, h->value, h->scope) || updated_with_bytes(v, h);
    }
    return false;
}

static bool constant(const V *v, TSNode n, uint32_t scope)
{
    LLFlowResult r;
    ll_flow_provenance(v->flow, v->sem, n, scope, &r);
    return r.prov == LL_PROV_CONSTANT;
}

/* A comparison of the digest with a constant: 1 when a match makes it
 * true (==, compare_digest), -1 when a match makes it false (!=), else 0. */
static int digest_check(const V *v, TSNode n, uint32_t scope, const char **alg)
{
    TSNode a = {0}, b = {0};
    int eq = 0;
    if (kind(v, n) == LL_K_COMPARISON_OP) {
        if (ts_node_named_child_count(n) != 2)
            return 0;
        a = ts_node_named_child(n, 0);
        b = ts_node_named_child(n, 1);
        uint32_t c = ts_node_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode op = ts_node_child(n, i);
            if (ts_node_is_named(op))
                continue;
            const char *t = ts_node_type(op);
            eq = strcmp(t, "==") == 0 ? 1 : strcmp(t, "!=") == 0 ? -1 : 0;
        }
    } else if (kind(v, n) == LL_K_CALL &&
               names_match(v, field(v, n, LL_F_FUNCTION), scope, &v->m->digest_comparators)) {
        a = ll_sources_call_arg(v->sem, n, 0, "a");
        b = ll_sources_call_arg(v->sem, n, 1, "b");
        eq = 1;
    }
    if (!eq || ts_node_is_null(a) || ts_node_is_null(b))
        return 0;
    if ((is_digest(v, a, scope, alg) && constant(v, b, scope)) ||
        (is_digest(v, b, scope, alg) && constant(v, a, scope)))
        return eq;
    return 0;
}

/* Whether a block stops on its own: it raises or returns (or exits). */
static bool stops(const V *v, TSNode block)
{
    uint32_t c = ts_node_named_child_count(block);
    for (uint32_t i = 0; i < c; i++) {
        TSNode st = ts_node_named_child(block, i);
        LLKind k = kind(v, st);
        if (k == LL_K_RAISE || k == LL_K_RETURN)
            return true;
        if (k == LL_K_EXPR_STMT) {
            TSNode call = ts_node_named_child(st, 0);
            if (!ts_node_is_null(call) && kind(v, call) == LL_K_CALL) {
                TSNode fn = field(v, call, LL_F_FUNCTION);
                if (text_is(v, fn, "sys.exit") || text_is(v, fn, "exit") ||
                    text_is(v, fn, "os._exit"))
                    return true;
            }
        }
    }
    return false;
}

/* Whether the condition holding check `n` (eq as digest_check says)
 * guards the load: an assert of a match, an if that stops on a mismatch,
 * or an if whose body holds the load on a match. */
static bool guards(const V *v, TSNode n, int eq)
{
    for (unsigned depth = 0; depth < LL_MAX_VERIFY_NODES; depth++) {
        TSNode p = ts_node_parent(n);
        if (ts_node_is_null(p))
            return false;
        LLKind k = kind(v, p);
        if (k == LL_K_NOT_OP) {
            eq = -eq;
        } else if (k == LL_K_BOOLEAN_OP) {
            /* a and b: both hold on a match; a or b: either fails on a mismatch */
            TSNode op = field(v, p, LL_F_OPERATOR);
            bool is_and = !ts_node_is_null(op) && strcmp(ts_node_type(op), "and") == 0;
            if (is_and != (eq > 0))
                return false;
        } else if (k == LL_K_ASSERT) {
            return eq > 0;
        } else if (k == LL_K_IF || k == LL_K_ELIF) {
            TSNode cond = field(v, p, LL_F_CONDITION);
            TSNode body = field(v, p, LL_F_CONSEQUENCE);
            if (ts_node_is_null(cond) || !ts_node_eq(cond, n) || ts_node_is_null(body))
                return false;
            if (eq > 0)
                return ts_node_start_byte(body) <= v->load_pos && v->load_pos < ts_node_end_byte(body);
            return stops(v, body);
        } else if (k != LL_K_PAREN_EXPR) {
            return false;
        }
        n = p;
    }
    return false;
}

/* A quick look: does the scope call a digest or signature method before the load? */
static bool may_check(const V *v, uint32_t scope)
{
    for (size_t i = 0; i < v->sem->calls.len; i++) {
        const LLCallSite *c = &v->sem->calls.items[i];
        if (c->scope != scope || ts_node_start_byte(c->node) >= v->load_pos)
            continue;
        size_t len;
        const char *m = method_of(v, c->node, &len);
        if (m && (in_names(&v->m->digest_methods, m, len) ||
                  in_names(&v->m->signature_methods, m, len)))
            return true;
    }
    return false;
}

/* "<before><what><after> line N)" in the arena. */
static const char *words(const V *v, const char *before, const char *what, const char *after,
                         TSNode at)
{
    uint32_t line, col;
    ll_source_position(v->sem->src, ts_node_start_byte(at), &line, &col);
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s%s%s line %u)", before, what, after, line);
    if (n < 0)
        return "verified";
    return ll_arena_strndup(v->sem->arena, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

const char *ll_verify_bytes(LLFlow *flow, const LLSemantic *sem, TSNode expr, uint32_t scope,
                            TSNode *where)
{
    V v = {.flow = flow, .sem = sem, .syn = sem->syn, .m = flow->model,
           .load_pos = ts_node_start_byte(expr)};
    if (!v.m->digests.len && !v.m->signature_methods.len)
        return NULL;
    TSNode id = unwrap(&v, expr, scope);
    if (ts_node_is_null(id) || kind(&v, id) != LL_K_IDENTIFIER)
        return NULL;
    v.bytes = binding_of(&v, id, scope);
    if (!v.bytes || !may_check(&v, scope))
        return NULL;
    /* walk the function's statements before the load (not nested defs) */
    TSNode root = sem->scopes.items[scope].node;
    TSTreeCursor cur = ts_tree_cursor_new(root);
    const char *found = NULL;
    unsigned visited = 0;
    bool descend = true;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        if (++visited > LL_MAX_VERIFY_NODES)
            break;
        LLKind k = kind(&v, n);
        bool nested = !ts_node_eq(n, root) &&
                      (k == LL_K_FUNCTION_DEF || k == LL_K_CLASS_DEF || k == LL_K_LAMBDA);
        if (ts_node_start_byte(n) >= v.load_pos)
            break; /* everything after starts later */
        const char *alg = NULL;
        if (!nested && (k == LL_K_COMPARISON_OP || k == LL_K_CALL)) {
            int eq = digest_check(&v, n, scope, &alg);
            if (eq && guards(&v, n, eq)) {
                found = words(&v, "a ", alg, " digest of the loaded bytes is compared with a constant (", n);
                *where = n;
                break;
            }
            size_t len;
            const char *m = k == LL_K_CALL ? method_of(&v, n, &len) : NULL;
            if (m && in_names(&v.m->signature_methods, m, len) && any_arg_is_bytes(&v, n, scope) &&
                (kind(&v, ts_node_parent(n)) == LL_K_EXPR_STMT || guards(&v, n, 1))) {
                found = words(&v, "a signature of the loaded bytes is checked (.",
                              ll_arena_strndup(sem->arena, m, len), "(),", n);
                *where = n;
                break;
            }
        }
        descend = !nested;
        if (descend && ts_tree_cursor_goto_first_child(&cur))
            continue;
        bool moved = false;
        while (!moved) {
            if (ts_tree_cursor_goto_next_sibling(&cur)) {
                moved = true;
            } else if (!ts_tree_cursor_goto_parent(&cur)) {
                break;
            }
        }
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&cur);
    return found;
}

/* ---- caches ------------------------------------------------------------------ */

/* Whether call `c`'s callee is named "open" (open, io.open, gzip.open,
 * Path.open...): its first argument names the file. */
static bool opens(const V *v, TSNode c, uint32_t scope)
{
    TSNode fn = field(v, c, LL_F_FUNCTION);
    if (ts_node_is_null(fn))
        return false;
    if (kind(v, fn) == LL_K_ATTRIBUTE)
        return text_is(v, field(v, fn, LL_F_ATTRIBUTE), "open");
    LLNames names = {0};
    ll_resolve_expr(v->sem, fn, scope, &names);
    for (uint32_t i = 0; i < names.n; i++) {
        const char *dot = strrchr(names.name[i], '.');
        if (strcmp(dot ? dot + 1 : names.name[i], "open") == 0)
            return true;
    }
    return text_is(v, fn, "open");
}

/* The binding of the path an expression reads: through open(...) calls,
 * `with open(p) as f`, and names bound once; NULL when it is not a name. */
static const LLBinding *path_binding(const V *v, TSNode n, uint32_t scope)
{
    for (unsigned depth = 0; depth < LL_MAX_ALIAS_DEPTH && !ts_node_is_null(n); depth++) {
        n = strip_parens(v, n);
        if (kind(v, n) == LL_K_CALL) {
            if (!opens(v, n, scope))
                return NULL;
            TSNode fn = field(v, n, LL_F_FUNCTION);
            /* Path(p).open(): the object; open(p): the first argument */
            n = kind(v, fn) == LL_K_ATTRIBUTE && ts_node_is_null(ll_sources_call_arg(v->sem, n, 0, "file"))
                    ? field(v, fn, LL_F_OBJECT)
                    : ll_sources_call_arg(v->sem, n, 0, "file");
            continue;
        }
        if (kind(v, n) != LL_K_IDENTIFIER)
            return NULL;
        const LLBinding *b = binding_of(v, n, scope);
        if (!b)
            return NULL;
        if ((b->kind == LL_BIND_WITH || b->kind == LL_BIND_ASSIGN) && !ts_node_is_null(b->value) &&
            kind(v, b->value) == LL_K_CALL && opens(v, b->value, b->scope)) {
            n = b->value;
            scope = b->scope;
            continue;
        }
        return b;
    }
    return NULL;
}

static bool private_writer(const V *v, const LLCallSite *c)
{
    if (ts_node_is_null(c->fn))
        return false;
    LLNames names = {0};
    ll_resolve_expr(v->sem, c->fn, c->scope, &names);
    for (uint32_t k = 0; k < names.n; k++)
        if (ll_sources_is_private_writer(v->m, names.name[k]))
            return true;
    if (kind(v, c->fn) != LL_K_ATTRIBUTE)
        return false;
    size_t len;
    const char *m = ll_node_text(v->sem->src, field(v, c->fn, LL_F_ATTRIBUTE), &len);
    char dotted[LL_MAX_QUALNAME];
    snprintf(dotted, sizeof dotted, ".%.*s", (int)(len < sizeof dotted - 2 ? len : sizeof dotted - 2), m);
    return ll_sources_is_private_writer(v->m, dotted);
}

/* Whether an expression names a place other users share (srcmodel.h
 * shared_locations: tempfile.gettempdir(), a "/tmp/..." literal): a file
 * there is not this code's own, whoever wrote it last. */
static bool shared_place(const V *v, TSNode n, uint32_t scope)
{
    if (ts_node_is_null(n) || !v->m->shared_locations.len)
        return false;
    TSTreeCursor cur = ts_tree_cursor_new(n);
    bool shared = false;
    unsigned visited = 0;
    for (;;) {
        TSNode x = ts_tree_cursor_current_node(&cur);
        if (++visited > LL_MAX_VERIFY_NODES) {
            shared = true; /* too big to tell: not a cache */
            break;
        }
        LLKind k = kind(v, x);
        if (k == LL_K_CALL) {
            LLNames names = {0};
            ll_resolve_expr(v->sem, field(v, x, LL_F_FUNCTION), scope, &names);
            for (uint32_t i = 0; i < names.n && !shared; i++)
                shared = ll_srcmodel_glob_any(&v->m->shared_locations, names.name[i]);
        } else if (k == LL_K_STRING) {
            LLValue val;
            ll_value_of(v->sem, x, scope, &val);
            for (size_t i = 0; val.kind == LL_VAL_STRING && i < v->m->shared_locations.len && !shared; i++) {
                const char *pre = v->m->shared_locations.items[i];
                shared = pre[0] == '/' && val.len >= strlen(pre) && memcmp(val.str, pre, strlen(pre)) == 0;
            }
        }
        if (shared)
            break;
        if (ts_tree_cursor_goto_first_child(&cur))
            continue;
        bool moved = false;
        while (!moved) {
            if (ts_tree_cursor_goto_next_sibling(&cur))
                moved = true;
            else if (!ts_tree_cursor_goto_parent(&cur) ||
                     ts_node_eq(ts_tree_cursor_current_node(&cur), n))
                break;
        }
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&cur);
    return shared;
}

const char *ll_verify_cache(const LLFlow *flow, const LLSemantic *sem, TSNode expr,
                            uint32_t scope, TSNode *where)
{
    V v = {.sem = sem, .syn = sem->syn, .m = flow->model, .load_pos = ts_node_start_byte(expr)};
    if (!v.m->private_writers.len)
        return NULL;
    const LLBinding *path = path_binding(&v, expr, scope);
    if (!path || shared_place(&v, path->value, path->scope))
        return NULL;
    /* a file written elsewhere and moved into place: os.rename(tmp, path) */
    const LLBinding *dests[LL_MAX_CACHE_MOVES + 1] = {path};
    size_t ndest = 1;
    for (size_t i = 0; i < sem->calls.len && v.m->movers.len; i++) {
        const LLCallSite *c = &sem->calls.items[i];
        if (c->scope != scope || !names_match(&v, c->fn, c->scope, &v.m->movers))
            continue;
        if (path_binding(&v, ll_sources_call_arg(sem, c->node, 1, "dst"), c->scope) != path)
            continue;
        const LLBinding *src = path_binding(&v, ll_sources_call_arg(sem, c->node, 0, "src"), c->scope);
        if (src && ndest <= LL_MAX_CACHE_MOVES)
            dests[ndest++] = src;
    }
    for (size_t i = 0; i < sem->calls.len; i++) {
        const LLCallSite *c = &sem->calls.items[i];
        if (c->scope != scope || ts_node_is_null(c->args) ||
            kind(&v, c->args) != LL_K_ARGUMENT_LIST || !private_writer(&v, c))
            continue;
        uint32_t na = ts_node_named_child_count(c->args);
        for (uint32_t a = 0; a < na; a++) {
            TSNode arg = ts_node_named_child(c->args, a);
            if (kind(&v, arg) == LL_K_KEYWORD_ARGUMENT)
                arg = field(&v, arg, LL_F_VALUE);
            const LLBinding *written = path_binding(&v, arg, c->scope);
            bool hit = false;
            for (size_t d = 0; d < ndest && !hit; d++)
                hit = written && written == dests[d];
            if (!hit)
                continue;
            size_t len;
            const char *t = ll_node_text(sem->src, c->fn, &len);
            *where = c->node;
            return words(&v, "the file is a cache this function writes itself (",
                         ll_arena_strndup(sem->arena, t, len > 60 ? 60 : len), "(),", c->node);
        }
    }
    return NULL;
}
