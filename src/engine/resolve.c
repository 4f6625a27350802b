#include "engine/resolve.h"

#include "engine/exports.h"
#include "engine/sources.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A frame remembers what a node opened (a scope or a block) so that leaving
 * the node restores the previous state. */
typedef struct Frame {
    uint32_t depth;
    uint32_t prev_scope;
    uint32_t prev_block;
} Frame;

/* `Cls.x = value`: attrs[attr]'s class is what identifier `owner` names */
typedef struct AttrOwner {
    size_t attr;
    TSNode owner;
} AttrOwner;

typedef struct Builder {
    LLSemantic *sem;
    const LLSyntax *syn;
    uint32_t scope; /* current scope */
    uint32_t block; /* start byte of the current block */
    LL_VEC(Frame) frames;
    LL_VEC(uint8_t) kinds; /* LLKind of the node at each depth */
    LL_VEC(uint32_t) call_at; /* index in sem->calls of the call at a depth */
    LL_VEC(uint32_t) left;    /* siblings still to visit at each depth */
    LL_VEC(AttrOwner) owners; /* Cls.x = value: the attrs whose class is Cls */
} Builder;

void ll_resolve_init(LLSemantic *sem)
{
    memset(sem, 0, sizeof *sem);
    ll_strmap_init(&sem->names);
    ll_strmap_init(&sem->functions);
    ll_strmap_init(&sem->class_scopes);
}

void ll_resolve_release(LLSemantic *sem)
{
    LL_VEC_FREE(&sem->scopes);
    LL_VEC_FREE(&sem->bindings);
    LL_VEC_FREE(&sem->calls);
    LL_VEC_FREE(&sem->refs);
    LL_VEC_FREE(&sem->classes);
    LL_VEC_FREE(&sem->returns);
    LL_VEC_FREE(&sem->writes);
    LL_VEC_FREE(&sem->attrs);
    LL_VEC_FREE(&sem->star_modules);
    ll_strmap_release(&sem->names);
    ll_strmap_release(&sem->functions);
    ll_strmap_release(&sem->class_scopes);
}

void ll_resolve_set_model(LLSemantic *sem, const LLSourceModel *model)
{
    sem->model = model;
}

void ll_resolve_set_aliases(LLSemantic *sem, const LLStrMap *aliases, const LLIdentSet *prefixes)
{
    sem->aliases = aliases;
    sem->alias_prefixes = prefixes;
}

void ll_resolve_reset(LLSemantic *sem)
{
    sem->scopes.len = 0;
    sem->bindings.len = 0;
    sem->calls.len = 0;
    sem->refs.len = 0;
    sem->classes.len = 0;
    sem->returns.len = 0;
    sem->writes.len = 0;
    sem->attrs.len = 0;
    sem->star_modules.len = 0;
    ll_strmap_clear(&sem->names);
    ll_strmap_clear(&sem->functions);
    ll_strmap_clear(&sem->class_scopes);
}

/* ---- building ------------------------------------------------------------ */

static LLKind kind_of(const Builder *b, TSNode n) { return ll_syntax_kind(b->syn, n); }

static TSNode field(const Builder *b, TSNode n, LLField f)
{
    return ll_syntax_field(b->syn, n, f);
}

static void bind(Builder *b, TSNode ident, LLBindingKind kind, TSNode value,
                 int unpack, const char *qual, uint32_t pos)
{
    LLSemantic *sem = b->sem;
    size_t len;
    const char *name = ll_node_text(sem->src, ident, &len);
    if (!len)
        return;
    LLBinding bd = {
        .scope = b->scope,
        .pos = pos,
        .block = b->block,
        .prev = LL_NONE,
        .kind = (uint8_t)kind,
        .unpack = (int16_t)unpack,
        .qual = qual,
        .value = value,
        .target = ident,
    };
    /* chains are per (scope, name): the key is the scope number's 4 bytes
     * followed by the name, kept in the arena */
    char *key = ll_arena_alloc(sem->arena, len + 4);
    memcpy(key, &bd.scope, 4);
    memcpy(key + 4, name, len);
    LLStrMapSlot *slot = ll_strmap_slot(&sem->names, key, len + 4, 0);
    if (slot->value)
        bd.prev = (uint32_t)(slot->value - 1);
    LL_VEC_PUSH(&sem->bindings, bd);
    slot->value = (intptr_t)sem->bindings.len;
}

static void push_frame(Builder *b, uint32_t depth)
{
    Frame f = {depth, b->scope, b->block};
    LL_VEC_PUSH(&b->frames, f);
}

/* "<outer>.<name>" for functions and classes directly in the module or in
 * a module-level class; NULL deeper down. */
static const char *scope_qualname(Builder *b, TSNode node)
{
    const LLScope *outer = &b->sem->scopes.items[b->scope];
    const char *prefix = outer->kind == LL_SCOPE_MODULE ? b->sem->module
                         : outer->kind == LL_SCOPE_CLASS ? outer->qualname
                                                          : NULL;
    LLKind k = kind_of(b, node);
    if (!prefix || (k != LL_K_FUNCTION_DEF && k != LL_K_CLASS_DEF))
        return NULL;
    TSNode name = field(b, node, LL_F_NAME);
    if (ts_node_is_null(name))
        return NULL;
    size_t len, plen = strlen(prefix);
    const char *t = ll_node_text(b->sem->src, name, &len);
    if (plen + len + 2 > LL_MAX_QUALNAME)
        return NULL;
    char *q = ll_arena_alloc(b->sem->arena, plen + len + 2);
    memcpy(q, prefix, plen);
    q[plen] = '.';
    memcpy(q + plen + 1, t, len);
    return q;
}

static void push_scope(Builder *b, TSNode node, LLScopeKind kind,
                       uint32_t root_block, uint32_t depth)
{
    const char *qualname = scope_qualname(b, node);
    push_frame(b, depth);
    LLScope s = {.parent = b->scope, .kind = (uint8_t)kind, .root_block = root_block,
                 .node = node, .qualname = qualname,
                 .decorated = depth > 0 && b->kinds.items[depth - 1] == LL_K_DECORATED_DEF};
    LL_VEC_PUSH(&b->sem->scopes, s);
    b->scope = (uint32_t)(b->sem->scopes.len - 1);
    b->block = root_block;
}

/* Dotted text of a dotted_name (identifiers joined by '.'), in the arena. */
static const char *dotted_text(Builder *b, TSNode dn, size_t *first_len)
{
    const LLSource *src = b->sem->src;
    char buf[LL_MAX_QUALNAME];
    size_t n = 0;
    *first_len = 0;
    uint32_t count = ts_node_named_child_count(dn);
    if (kind_of(b, dn) == LL_K_IDENTIFIER)
        count = 0;
    for (uint32_t i = 0; i < (count ? count : 1); i++) {
        TSNode id = count ? ts_node_named_child(dn, i) : dn;
        size_t len;
        const char *t = ll_node_text(src, id, &len);
        if (n + len + 2 > sizeof buf)
            return NULL;
        if (n)
            buf[n++] = '.';
        memcpy(buf + n, t, len);
        n += len;
        if (i == 0)
            *first_len = len;
    }
    if (!n)
        return NULL;
    return ll_arena_strndup(b->sem->arena, buf, n);
}

static void on_import(Builder *b, TSNode n)
{
    uint32_t pos = ts_node_end_byte(n);
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        LLKind k = kind_of(b, c);
        size_t first_len;
        if (k == LL_K_DOTTED_NAME) {
            /* import a.b.c binds a, whose canonical name is "a" */
            const char *full = dotted_text(b, c, &first_len);
            if (!full)
                continue;
            const char *first = ll_arena_strndup(b->sem->arena, full, first_len);
            bind(b, ts_node_named_child(c, 0), LL_BIND_IMPORT, c, -1, first, pos);
        } else if (k == LL_K_ALIASED_IMPORT) {
            TSNode name = field(b, c, LL_F_NAME);
            TSNode alias = field(b, c, LL_F_ALIAS);
            if (ts_node_is_null(name) || ts_node_is_null(alias))
                continue;
            const char *full = dotted_text(b, name, &first_len);
            if (full)
                bind(b, alias, LL_BIND_IMPORT, c, -1, full, pos);
        }
    }
}

/* `from ..a.b import c` in module p.q.r: the package two levels up from the
 * module (one level less for a package's __init__), then "a.b". When the
 * dots climb above the top package, the text is kept with its dots so that
 * nothing can match it. */
static const char *relative_module(Builder *b, TSNode mod)
{
    size_t len;
    const char *t = ll_node_text(b->sem->src, mod, &len);
    size_t dots = 0;
    while (dots < len && t[dots] == '.')
        dots++;
    const char *rest = t + dots;
    size_t rest_len = len - dots;
    char buf[LL_MAX_QUALNAME];
    size_t n = strlen(b->sem->module);
    if (n >= sizeof buf)
        return ll_arena_strndup(b->sem->arena, t, len);
    memcpy(buf, b->sem->module, n);
    size_t up = b->sem->is_package ? dots - 1 : dots;
    for (size_t i = 0; i < up; i++) {
        while (n && buf[n - 1] != '.')
            n--;
        if (!n)
            return ll_arena_strndup(b->sem->arena, t, len);
        n--;
    }
    if (rest_len) {
        if (n + rest_len + 2 > sizeof buf)
            return ll_arena_strndup(b->sem->arena, t, len);
        buf[n++] = '.';
        for (size_t i = 0; i < rest_len; i++)
            if (rest[i] != ' ' && rest[i] != '\t' && rest[i] != '\\' && rest[i] != '\n')
                buf[n++] = rest[i];
    }
    return ll_arena_strndup(b->sem->arena, buf, n);
}

static void on_import_from(Builder *b, TSNode n)
{
    uint32_t pos = ts_node_end_byte(n);
    TSNode mod = field(b, n, LL_F_MODULE_NAME);
    if (ts_node_is_null(mod))
        return;
    const char *module;
    size_t first_len;
    if (kind_of(b, mod) == LL_K_DOTTED_NAME) {
        module = dotted_text(b, mod, &first_len);
    } else {
        module = relative_module(b, mod);
    }
    if (!module)
        return;
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (ts_node_start_byte(c) == ts_node_start_byte(mod))
            continue;
        LLKind k = kind_of(b, c);
        TSNode name = c, alias = c;
        if (k == LL_K_WILDCARD_IMPORT) {
            LL_VEC_PUSH(&b->sem->star_modules, module);
            continue;
        }
        if (k == LL_K_ALIASED_IMPORT) {
            name = field(b, c, LL_F_NAME);
            alias = field(b, c, LL_F_ALIAS);
        } else if (k != LL_K_DOTTED_NAME) {
            continue;
        }
        if (ts_node_is_null(name) || ts_node_is_null(alias))
            continue;
        const char *member = dotted_text(b, name, &first_len);
        if (!member)
            continue;
        size_t ml = strlen(module), nl = strlen(member);
        if (ml + nl + 2 > LL_MAX_QUALNAME)
            continue;
        char *q = ll_arena_alloc(b->sem->arena, ml + nl + 2);
        memcpy(q, module, ml);
        q[ml] = '.';
        memcpy(q + ml + 1, member, nl + 1);
        if (k == LL_K_DOTTED_NAME)
            alias = ts_node_named_child(name, 0);
        bind(b, alias, LL_BIND_IMPORT, c, -1, q, pos);
    }
}

static bool is_pattern_kind(LLKind k)
{
    return k == LL_K_PATTERN_LIST || k == LL_K_TUPLE_PATTERN ||
           k == LL_K_LIST_PATTERN || k == LL_K_TUPLE || k == LL_K_LIST ||
           k == LL_K_EXPRESSION_LIST;
}

/* Binds the names of an assignment-like target. `value` is what the whole
 * target receives; tuple targets take the matching element when the value
 * is a tuple of the same shape, and the whole value with an index when not. */
static void bind_target(Builder *b, TSNode target, LLBindingKind kind,
                        TSNode value, uint32_t pos)
{
    LLKind tk = kind_of(b, target);
    while (tk == LL_K_PAREN_EXPR && ts_node_named_child_count(target) == 1) {
        target = ts_node_named_child(target, 0);
        tk = kind_of(b, target);
    }
    if (tk == LL_K_IDENTIFIER) {
        bind(b, target, kind, value, -1, NULL, pos);
        return;
    }
    if (tk == LL_K_ATTRIBUTE && kind == LL_BIND_ASSIGN) {
        /* self.x = value in a method: remembered for self.x elsewhere;
         * Cls.x = value: remembered with the class unknown until the walk
         * is over (owner_classes) */
        TSNode obj = field(b, target, LL_F_OBJECT);
        TSNode attr = field(b, target, LL_F_ATTRIBUTE);
        uint32_t cls;
        if (ts_node_is_null(obj) || ts_node_is_null(attr))
            return;
        if (ll_resolve_is_self(b->sem, obj, b->scope, &cls)) {
            size_t len;
            const char *name = ll_node_text(b->sem->src, attr, &len);
            LLAttrBinding ab = {cls, b->scope, name, len, value};
            LL_VEC_PUSH(&b->sem->attrs, ab);
        } else if (kind_of(b, obj) == LL_K_IDENTIFIER) {
            size_t len;
            const char *name = ll_node_text(b->sem->src, attr, &len);
            LLAttrBinding ab = {LL_NONE, b->scope, name, len, value};
            AttrOwner ow = {b->sem->attrs.len, obj};
            LL_VEC_PUSH(&b->sem->attrs, ab);
            LL_VEC_PUSH(&b->owners, ow);
        }
        return;
    }
    if (!is_pattern_kind(tk))
        return; /* attribute and subscript targets bind no name */
    uint32_t n = ts_node_named_child_count(target);
    bool same_shape = !ts_node_is_null(value) &&
                      is_pattern_kind(kind_of(b, value)) &&
                      ts_node_named_child_count(value) == n;
    for (uint32_t i = 0; i < n; i++) {
        TSNode el = ts_node_named_child(target, i);
        LLKind ek = kind_of(b, el);
        if (ek == LL_K_LIST_SPLAT_PATTERN || ek == LL_K_LIST_SPLAT)
            el = ts_node_named_child(el, 0), ek = kind_of(b, el);
        if (ek == LL_K_IDENTIFIER) {
            if (same_shape)
                bind(b, el, kind, ts_node_named_child(value, i), -1, NULL, pos);
            else
                bind(b, el, kind, value, (int)i, NULL, pos);
        } else if (ek == LL_K_ATTRIBUTE && same_shape) {
            /* self.a, self.b = x, y: each attribute its element (one level:
             * an attribute target does not descend) */
            bind_target(b, el, kind, ts_node_named_child(value, i), pos);
        } else if (is_pattern_kind(ek)) {
            /* nested patterns: names are bound, values not tracked */
            uint32_t m = ts_node_named_child_count(el);
            for (uint32_t j = 0; j < m; j++) {
                TSNode id = ts_node_named_child(el, j);
                if (kind_of(b, id) == LL_K_IDENTIFIER)
                    bind(b, id, LL_BIND_OTHER, value, -1, NULL, pos);
            }
        }
    }
}

static void on_assignment(Builder *b, TSNode n)
{
    TSNode left = field(b, n, LL_F_LEFT);
    TSNode right = field(b, n, LL_F_RIGHT);
    /* a = b = value: the grammar nests the second assignment on the right */
    TSNode value = right;
    for (unsigned i = 0; !ts_node_is_null(value) &&
                         kind_of(b, value) == LL_K_ASSIGNMENT && i < 64; i++)
        value = field(b, value, LL_F_RIGHT);
    if (ts_node_is_null(left))
        return;
    uint32_t pos = ts_node_end_byte(n);
    if (ts_node_is_null(value))
        bind_target(b, left, LL_BIND_OTHER, value, pos); /* x: int */
    else
        bind_target(b, left, LL_BIND_ASSIGN, value, pos);
}

static void bind_params(Builder *b, TSNode params, uint32_t pos)
{
    if (ts_node_is_null(params))
        return;
    uint32_t n = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < n; i++) {
        TSNode p = ts_node_named_child(params, i);
        TSNode id = p;
        switch (kind_of(b, p)) {
        case LL_K_IDENTIFIER:
            break;
        case LL_K_DEFAULT_PARAM:
        case LL_K_TYPED_DEFAULT_PARAM:
            id = field(b, p, LL_F_NAME);
            break;
        case LL_K_TYPED_PARAM:
        case LL_K_LIST_SPLAT_PATTERN:
        case LL_K_DICT_SPLAT_PATTERN:
            id = ts_node_named_child(p, 0);
            if (!ts_node_is_null(id) && kind_of(b, id) != LL_K_IDENTIFIER)
                id = ts_node_named_child(id, 0);
            break;
        default:
            continue;
        }
        if (!ts_node_is_null(id) && kind_of(b, id) == LL_K_IDENTIFIER) {
            bind(b, id, LL_BIND_PARAM, p, -1, NULL, pos);
            LLScope *sc = &b->sem->scopes.items[b->scope];
            if (ts_node_is_null(sc->first_param))
                sc->first_param = id;
        }
    }
}

/* Where a reference to a loader is a use of it: handed to a call (which
 * may call it) or returned (a caller may call it). Kept in a list, a tuple
 * or a dict it is only a value: a call through it is found at the call
 * (handlers[fmt](data), for f in (a, b): f(x)). */
static bool records_refs(LLKind parent, LLKind grandparent)
{
    switch (parent) {
    case LL_K_ARGUMENT_LIST:
    case LL_K_RETURN:
    case LL_K_KEYWORD_ARGUMENT:
        return true;
    case LL_K_EXPRESSION_LIST:
        return grandparent == LL_K_RETURN; /* return a, b */
    default:
        return false;
    }
}

/* x.write(d), x.write_bytes(d), download_url_to_file(url, x)...: calls that
 * put data into their object or an argument (see flow.c, push_writes).
 * `fn` is the call's function. */
static bool is_writer_call(Builder *b, TSNode fn, LLKind fk)
{
    const LLSourceModel *model = b->sem->model;
    if (!model || (fk != LL_K_ATTRIBUTE && fk != LL_K_IDENTIFIER))
        return false;
    size_t len;
    const char *t = ll_node_text(b->sem->src, fn, &len);
    if (fk == LL_K_ATTRIBUTE) {
        /* the name after the last dot, when that is all there is after it */
        size_t d = len;
        while (d > 0 && t[d - 1] != '.')
            d--;
        bool simple = d > 0;
        for (size_t i = d; i < len && simple; i++)
            simple = t[i] == '_' || (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
                     (t[i] >= '0' && t[i] <= '9');
        if (simple) {
            t += d;
            len -= d;
        } else {
            TSNode a = field(b, fn, LL_F_ATTRIBUTE);
            if (ts_node_is_null(a))
                return false;
            t = ll_node_text(b->sem->src, a, &len);
        }
    }
    return ll_sources_is_write_method(model, t, len) || ll_sources_is_filler(model, t, len);
}

/* A child of the call at depth-1 of the walk: note its function (the first
 * named child) and its arguments. */
static void on_call_child(Builder *b, TSNode n, LLKind k, uint32_t depth)
{
    LLCallSite *cs = &b->sem->calls.items[b->call_at.items[depth - 1]];
    if (k == LL_K_COMMENT || k == LL_K_LINE_CONTINUATION)
        return;
    if (ts_node_is_null(cs->fn)) {
        cs->fn = n;
        if (is_writer_call(b, n, k)) {
            LLSite site = {cs->node, cs->scope};
            LL_VEC_PUSH(&b->sem->writes, site);
        }
    } else if (k == LL_K_ARGUMENT_LIST || k == LL_K_GENERATOR_EXPR) {
        cs->args = n;
    }
}

/* Whether the walk can skip the children of n: its text (at most
 * LL_MAX_PLAIN_SCAN bytes; `inner` drops its first and last byte, the
 * parentheses of a parameter list) holds no call, subscript, display,
 * comprehension, lambda, walrus or f-string (none of ( [ {, no "lambda",
 * no ":="), no tuple (no comma unless `commas`), and at most `max_eq`
 * assignment signs (== <= >= != are comparisons). What is left below is
 * names, operators and literals, which the walk records nothing for
 * (references are recorded in argument lists and displays only). */
static bool plain(const Builder *b, TSNode n, bool inner, bool commas, unsigned max_eq)
{
    size_t len;
    const char *t = ll_node_text(b->sem->src, n, &len);
    if (len > LL_MAX_PLAIN_SCAN)
        return false;
    if (inner) {
        if (len < 2)
            return true;
        t++;
        len -= 2;
    }
    unsigned eq = 0;
    for (size_t i = 0; i < len; i++) {
        switch (t[i]) {
        case '(':
        case '[':
        case '{':
            return false;
        case ',':
            if (!commas)
                return false;
            break;
        case '=':
            if (i + 1 < len && t[i + 1] == '=') {
                i++;
                break;
            }
            if (i > 0 && (t[i - 1] == '<' || t[i - 1] == '>' || t[i - 1] == '!'))
                break;
            if ((i > 0 && t[i - 1] == ':') || ++eq > max_eq)
                return false;
            break;
        case 'l':
            if (len - i >= 6 && memcmp(t + i, "lambda", 6) == 0)
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* Handles node n on the way down; returns false to skip its children. */
static bool enter(Builder *b, TSNode n, LLKind k, uint32_t depth, const TSTreeCursor *cur)
{
    LLSemantic *sem = b->sem;
    switch (k) {
    case LL_K_FUNCTION_DEF: {
        TSNode name = field(b, n, LL_F_NAME);
        TSNode body = field(b, n, LL_F_BODY);
        if (!ts_node_is_null(name))
            bind(b, name, LL_BIND_DEF, n, -1, NULL, ts_node_end_byte(name));
        uint32_t root = ts_node_is_null(body) ? ts_node_start_byte(n)
                                              : ts_node_start_byte(body);
        push_scope(b, n, LL_SCOPE_FUNCTION, root, depth);
        bind_params(b, field(b, n, LL_F_PARAMETERS), ts_node_start_byte(n));
        return true;
    }
    case LL_K_LIST_COMP:
    case LL_K_SET_COMP:
    case LL_K_DICT_COMP:
    case LL_K_GENERATOR_EXPR:
        /* comprehension variables are local to the comprehension */
        push_scope(b, n, LL_SCOPE_FUNCTION, ts_node_start_byte(n), depth);
        return true;
    case LL_K_LAMBDA:
        push_scope(b, n, LL_SCOPE_FUNCTION, ts_node_start_byte(n), depth);
        bind_params(b, field(b, n, LL_F_PARAMETERS), ts_node_start_byte(n));
        return true;
    case LL_K_CLASS_DEF: {
        TSNode name = field(b, n, LL_F_NAME);
        TSNode body = field(b, n, LL_F_BODY);
        if (!ts_node_is_null(name))
            bind(b, name, LL_BIND_CLASS, n, -1, NULL, ts_node_end_byte(n));
        LLSite site = {n, b->scope};
        LL_VEC_PUSH(&sem->classes, site);
        uint32_t root = ts_node_is_null(body) ? ts_node_start_byte(n)
                                              : ts_node_start_byte(body);
        push_scope(b, n, LL_SCOPE_CLASS, root, depth);
        return true;
    }
    case LL_K_BLOCK:
        push_frame(b, depth);
        b->block = ts_node_start_byte(n);
        return true;
    case LL_K_IMPORT:
        on_import(b, n);
        return false;
    case LL_K_IMPORT_FROM:
        on_import_from(b, n);
        return false;
    case LL_K_FUTURE_IMPORT:
    case LL_K_COMMENT:
    case LL_K_LINE_CONTINUATION:
        return false;
    case LL_K_STRING: {
        /* only f-strings hold expressions: skip the parts of the others */
        size_t len;
        const char *t = ll_node_text(sem->src, n, &len);
        for (size_t i = 0; i < len && i < 3 && t[i] != '"' && t[i] != '\''; i++)
            if (t[i] == 'f' || t[i] == 'F')
                return true;
        return false;
    }
    case LL_K_GLOBAL: {
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode id = ts_node_named_child(n, i);
            if (kind_of(b, id) == LL_K_IDENTIFIER)
                bind(b, id, LL_BIND_GLOBAL, id, -1, NULL, 0);
        }
        return false;
    }
    case LL_K_NONLOCAL:
        return false;
    case LL_K_ASSIGNMENT:
        on_assignment(b, n);
        return !plain(b, n, false, false, 1);
    case LL_K_AUG_ASSIGNMENT: {
        TSNode left = field(b, n, LL_F_LEFT);
        if (!ts_node_is_null(left) && kind_of(b, left) == LL_K_IDENTIFIER)
            bind(b, left, LL_BIND_AUG, field(b, n, LL_F_RIGHT), -1, NULL,
                 ts_node_end_byte(n));
        return !plain(b, n, false, false, 1);
    }
    case LL_K_BINARY_OP:
    case LL_K_BOOLEAN_OP:
    case LL_K_COMPARISON_OP:
    case LL_K_NOT_OP:
    case LL_K_UNARY_OP:
    case LL_K_CONDITIONAL_EXPR:
    case LL_K_TYPE:
        return !plain(b, n, false, false, 0);
    case LL_K_PARAMETERS:
    case LL_K_LAMBDA_PARAMETERS:
        /* bound by bind_params; defaults may hold calls */
        return !plain(b, n, k == LL_K_PARAMETERS, true, UINT_MAX);
    case LL_K_NAMED_EXPR: {
        TSNode name = field(b, n, LL_F_NAME);
        if (!ts_node_is_null(name))
            bind(b, name, LL_BIND_ASSIGN, field(b, n, LL_F_VALUE), -1, NULL,
                 ts_node_end_byte(n));
        return true;
    }
    case LL_K_FOR:
    case LL_K_FOR_IN_CLAUSE: {
        TSNode left = field(b, n, LL_F_LEFT);
        TSNode right = field(b, n, LL_F_RIGHT);
        uint32_t pos = ts_node_is_null(right) ? ts_node_end_byte(left) : ts_node_end_byte(right);
        if (k == LL_K_FOR_IN_CLAUSE) /* the element, written first, sees it */
            pos = ts_node_start_byte(sem->scopes.items[b->scope].node);
        if (!ts_node_is_null(left))
            bind_target(b, left, LL_BIND_FOR, right, pos);
        return true;
    }
    case LL_K_WITH_ITEM: {
        TSNode v = field(b, n, LL_F_VALUE);
        if (!ts_node_is_null(v) && kind_of(b, v) == LL_K_AS_PATTERN) {
            TSNode expr = ts_node_named_child(v, 0);
            TSNode alias = field(b, v, LL_F_ALIAS);
            if (!ts_node_is_null(alias)) {
                TSNode t = ts_node_named_child(alias, 0);
                if (!ts_node_is_null(t))
                    bind_target(b, t, LL_BIND_WITH, expr, ts_node_end_byte(n));
            }
        }
        return true;
    }
    case LL_K_EXCEPT_CLAUSE: {
        /* except E as name: the name is the second expression */
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 1; i < c; i++) {
            TSNode id = ts_node_named_child(n, i);
            LLKind ik = kind_of(b, id);
            if (ik == LL_K_AS_PATTERN) {
                TSNode alias = field(b, id, LL_F_ALIAS);
                if (!ts_node_is_null(alias))
                    id = ts_node_named_child(alias, 0), ik = kind_of(b, id);
            }
            if (ik == LL_K_IDENTIFIER)
                bind(b, id, LL_BIND_OTHER, id, -1, NULL, ts_node_end_byte(id));
        }
        return true;
    }
    case LL_K_CALL: {
        LLCallSite site = {.node = n, .scope = b->scope};
        LL_VEC_RESERVE(&b->call_at, depth + 1);
        if (b->call_at.len < depth + 1)
            b->call_at.len = depth + 1;
        b->call_at.items[depth] = (uint32_t)sem->calls.len;
        LL_VEC_PUSH(&sem->calls, site);
        return true;
    }
    case LL_K_RETURN: {
        LLSite site = {n, b->scope};
        LL_VEC_PUSH(&sem->returns, site);
        return true;
    }
    case LL_K_IDENTIFIER:
    case LL_K_ATTRIBUTE: {
        /* an attribute's parts are not references; enter it only for the
         * calls and the rest its object may hold: f(x).y */
        bool descend = k == LL_K_ATTRIBUTE && !plain(b, n, false, false, 0);
        if (depth == 0)
            return descend;
        LLKind parent = (LLKind)b->kinds.items[depth - 1];
        LLKind grand = depth >= 2 ? (LLKind)b->kinds.items[depth - 2] : LL_K_OTHER;
        if (!records_refs(parent, grand))
            return descend;
        if (parent == LL_K_ARGUMENT_LIST && depth >= 2 &&
            b->kinds.items[depth - 2] == LL_K_CLASS_DEF)
            return descend; /* a base class is not a use of the value */
        /* the keyword's name is not a value */
        if (parent == LL_K_KEYWORD_ARGUMENT &&
            ts_tree_cursor_current_field_id(cur) != b->syn->field[LL_F_VALUE])
            return descend;
        LLSite site = {n, b->scope};
        LL_VEC_PUSH(&sem->refs, site);
        return descend;
    }
    default:
        return true;
    }
}

/* Per-scope return lists and the qualname -> scope map, so that data flow
 * finds a function and its returns in constant time. */
static void index_functions(LLSemantic *sem)
{
    size_t ns = sem->scopes.len, nr = sem->returns.len;
    sem->returns_first = ll_arena_alloc(sem->arena, (ns + 1) * sizeof(uint32_t));
    sem->returns_count = ll_arena_alloc(sem->arena, (ns + 1) * sizeof(uint32_t));
    sem->returns_by_scope = ll_arena_alloc(sem->arena, (nr + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < nr; i++)
        sem->returns_count[sem->returns.items[i].scope]++;
    uint32_t at = 0;
    for (size_t s = 0; s < ns; s++) {
        sem->returns_first[s] = at;
        at += sem->returns_count[s];
    }
    uint32_t *fill = ll_arena_alloc(sem->arena, (ns + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < nr; i++) {
        uint32_t s = sem->returns.items[i].scope;
        sem->returns_by_scope[sem->returns_first[s] + fill[s]++] = (uint32_t)i;
    }
    for (uint32_t s = 1; s < ns; s++) {
        const LLScope *sc = &sem->scopes.items[s];
        LLStrMap *m = sc->kind == LL_SCOPE_FUNCTION ? &sem->functions
                      : sc->kind == LL_SCOPE_CLASS  ? &sem->class_scopes
                                                    : NULL;
        if (m && sc->qualname && !ll_strmap_get(m, sc->qualname, strlen(sc->qualname), NULL))
            ll_strmap_put(m, sc->qualname, strlen(sc->qualname), (intptr_t)s);
    }
}

static uint32_t lookup(const LLSemantic *sem, const char *name, size_t len,
                       uint32_t scope, uint32_t pos, const LLBinding **out,
                       uint32_t max, bool *bound);

/* `Cls.x = value` where Cls is a class of this file (the one binding
 * seen there is its class statement): instances of Cls carry x, as if a
 * method had assigned self.x. Other such assignments (obj.x = value,
 * module.x = value) are dropped, so that self.x lookups stay short. */
static void owner_classes(Builder *b)
{
    LLSemantic *sem = b->sem;
    if (!b->owners.len)
        return;
    for (size_t i = 0; i < b->owners.len; i++) {
        const AttrOwner *ow = &b->owners.items[i];
        LLAttrBinding *ab = &sem->attrs.items[ow->attr];
        size_t len;
        const char *t = ll_node_text(sem->src, ow->owner, &len);
        const LLBinding *bs[2];
        bool bound;
        uint32_t nb = lookup(sem, t, len, ab->scope, ts_node_start_byte(ow->owner), bs, 2, &bound);
        if (nb == 1 && bs[0]->kind == LL_BIND_CLASS)
            ab->class_scope = ll_resolve_def_scope(sem, bs[0]->value);
    }
    size_t kept = 0;
    for (size_t i = 0; i < sem->attrs.len; i++)
        if (sem->attrs.items[i].class_scope != LL_NONE)
            sem->attrs.items[kept++] = sem->attrs.items[i];
    sem->attrs.len = kept;
}

void ll_resolve_build(LLSemantic *sem, const LLSyntax *syn,
                      const LLSource *src, TSNode root,
                      const LLStrMap *known, const char *module,
                      bool is_package, LLArena *arena)
{
    ll_resolve_reset(sem);
    sem->syn = syn;
    sem->src = src;
    sem->known = known;
    sem->arena = arena;
    sem->module = ll_arena_strndup(arena, module ? module : "__main__",
                                   strlen(module ? module : "__main__"));
    sem->is_package = is_package && module;
    Builder b = {.sem = sem, .syn = syn, .scope = 0, .block = ts_node_start_byte(root)};
    LLScope module_scope = {.parent = LL_NONE, .kind = LL_SCOPE_MODULE,
                            .root_block = ts_node_start_byte(root), .node = root,
                            .qualname = sem->module};
    LL_VEC_PUSH(&sem->scopes, module_scope);

    TSTreeCursor cur = ts_tree_cursor_new(root);
    uint32_t depth = 0;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        LLKind k = ll_syntax_kind(syn, n);
        LL_VEC_RESERVE(&b.kinds, depth + 1);
        b.kinds.items[depth] = (uint8_t)k;
        if (b.kinds.len < depth + 1)
            b.kinds.len = depth + 1;
        bool named = ts_node_is_named(n);
        if (named && depth && b.kinds.items[depth - 1] == LL_K_CALL)
            on_call_child(&b, n, k, depth);
        bool descend = (!named && k == LL_K_OTHER) ? false : enter(&b, n, k, depth, &cur);
        uint32_t nchildren = descend ? ts_node_child_count(n) : 0;
        if (nchildren && ts_tree_cursor_goto_first_child(&cur)) {
            depth++;
            LL_VEC_RESERVE(&b.left, depth + 1);
            b.left.items[depth] = nchildren - 1;
            continue;
        }
        for (;;) {
            while (b.frames.len && b.frames.items[b.frames.len - 1].depth == depth) {
                Frame f = b.frames.items[--b.frames.len];
                b.scope = f.prev_scope;
                b.block = f.prev_block;
            }
            if (depth == 0)
                goto done;
            /* the parent's child count says when this was the last child:
             * a failing goto_next_sibling costs as much as a step */
            if (b.left.items[depth]) {
                b.left.items[depth]--;
                if (ts_tree_cursor_goto_next_sibling(&cur))
                    break;
            }
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
            depth--;
        }
    }
done:
    ts_tree_cursor_delete(&cur);
    LL_VEC_FREE(&b.frames);
    LL_VEC_FREE(&b.kinds);
    LL_VEC_FREE(&b.call_at);
    LL_VEC_FREE(&b.left);
    owner_classes(&b);
    LL_VEC_FREE(&b.owners);
    index_functions(sem);
    sem->bind_names = ll_arena_alloc(arena, (sem->bindings.len + 1) * sizeof *sem->bind_names);
    sem->bind_state = ll_arena_alloc(arena, sem->bindings.len + 1);
    sem->param_state = ll_arena_alloc(arena, 2 * (sem->bindings.len + 1));
    sem->param_what = ll_arena_alloc(arena, 2 * (sem->bindings.len + 1) * sizeof *sem->param_what);
    sem->depth_hit = ll_arena_alloc(arena, sizeof *sem->depth_hit);
    sem->attr_busy = ll_arena_alloc(arena, sem->attrs.len + 1);
    memset(sem->attr_busy, 0, sem->attrs.len + 1);
}

/* ---- queries --------------------------------------------------------------- */

/* Picks the bindings of the name (newest first from `last`) in scope s that
 * are visible before `limit`: the newest one, plus older ones from other
 * branches (different blocks), stopping at one in the scope's own block. */
static uint32_t pick(const LLSemantic *sem, uint32_t last, uint32_t s,
                     uint32_t limit, const LLBinding **out, uint32_t max)
{
    const LLScope *sc = &sem->scopes.items[s];
    uint32_t n = 0;
    for (uint32_t i = last; i != LL_NONE && n < max; i = sem->bindings.items[i].prev) {
        const LLBinding *bd = &sem->bindings.items[i];
        if (bd->scope != s || bd->kind == LL_BIND_GLOBAL || bd->pos > limit)
            continue;
        bool same_block = false;
        for (uint32_t j = 0; j < n; j++)
            same_block |= out[j]->block == bd->block;
        if (same_block)
            continue;
        out[n++] = bd;
        if (bd->block == sc->root_block)
            break;
    }
    return n;
}

static uint32_t lookup(const LLSemantic *sem, const char *name, size_t len,
                       uint32_t scope, uint32_t pos, const LLBinding **out,
                       uint32_t max, bool *bound)
{
    *bound = false;
    if (len > LL_MAX_QUALNAME)
        return 0;
    char key[LL_MAX_QUALNAME + 4];
    memcpy(key + 4, name, len);
    uint32_t s = scope;
    bool own = true;
    for (unsigned hops = 0; hops < 1024; hops++) {
        const LLScope *sc = &sem->scopes.items[s];
        intptr_t v = 0;
        memcpy(key, &s, 4);
        if ((sc->kind != LL_SCOPE_CLASS || own) &&
            ll_strmap_get(&sem->names, key, len + 4, &v)) {
            uint32_t last = (uint32_t)(v - 1);
            bool any = true, global = false;
            for (uint32_t i = last; i != LL_NONE; i = sem->bindings.items[i].prev)
                global |= sem->bindings.items[i].kind == LL_BIND_GLOBAL;
            if (any && global && sc->kind != LL_SCOPE_MODULE) {
                s = 0;
                own = false;
                continue;
            }
            if (any) {
                *bound = true;
                return pick(sem, last, s, own ? pos : UINT32_MAX, out, max);
            }
        }
        if (sc->parent == LL_NONE)
            return 0;
        s = sc->parent;
        own = false;
    }
    return 0;
}

uint32_t ll_resolve_lookup(const LLSemantic *sem, const char *name,
                           size_t len, uint32_t scope, uint32_t pos,
                           const LLBinding **out, uint32_t max)
{
    bool bound;
    return lookup(sem, name, len, scope, pos, out, max, &bound);
}

uint32_t ll_resolve_def_scope(const LLSemantic *sem, TSNode node)
{
    for (uint32_t s = 1; s < sem->scopes.len; s++)
        if (ts_node_eq(sem->scopes.items[s].node, node))
            return s;
    return LL_NONE;
}

uint32_t ll_resolve_scope_at(const LLSemantic *sem, uint32_t pos)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < sem->scopes.len; i++) {
        TSNode n = sem->scopes.items[i].node;
        if (ts_node_start_byte(n) <= pos && pos < ts_node_end_byte(n))
            best = i; /* scopes are recorded outer before inner */
    }
    return best;
}

static void names_add(const LLSemantic *sem, LLNames *out, const char *a,
                      size_t alen, const char *b, size_t blen)
{
    if (out->n >= LL_MAX_ALTERNATIVES || alen + blen + 2 > LL_MAX_QUALNAME)
        return;
    char *s = ll_arena_alloc(sem->arena, alen + blen + 2);
    memcpy(s, a, alen);
    size_t n = alen;
    if (blen) {
        if (alen)
            s[n++] = '.';
        memcpy(s + n, b, blen);
        n += blen;
    }
    s[n] = '\0';
    for (uint32_t i = 0; i < out->n; i++)
        if (strcmp(out->name[i], s) == 0)
            return;
    out->name[out->n++] = s;
}

static void names_add_suffix(const LLSemantic *sem, LLNames *out,
                             const char *a, const char *suffix)
{
    char q[LL_MAX_QUALNAME];
    int ql = snprintf(q, sizeof q, "%s%s", a, suffix);
    if (ql > 0 && (size_t)ql < sizeof q)
        names_add(sem, out, q, (size_t)ql, "", 0);
}

/* The value of a plain string literal (no interpolation), in the arena. */
static const char *string_value(const LLSemantic *sem, TSNode n)
{
    const LLSyntax *syn = sem->syn;
    if (ts_node_is_null(n) || ll_syntax_kind(syn, n) != LL_K_STRING)
        return NULL;
    char buf[LL_MAX_QUALNAME];
    size_t len = 0;
    uint32_t c = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < c; i++) {
        TSNode part = ts_node_named_child(n, i);
        LLKind k = ll_syntax_kind(syn, part);
        if (k == LL_K_INTERPOLATION || k == LL_K_ESCAPE_SEQ)
            return NULL;
        if (k != LL_K_STRING_CONTENT)
            continue;
        size_t l;
        const char *t = ll_node_text(sem->src, part, &l);
        if (len + l >= sizeof buf)
            return NULL;
        memcpy(buf + len, t, l);
        len += l;
    }
    return ll_arena_strndup(sem->arena, buf, len);
}

static TSNode positional_arg(const LLSemantic *sem, TSNode call, uint32_t idx)
{
    TSNode args = ll_syntax_field(sem->syn, call, LL_F_ARGUMENTS);
    TSNode none = {0};
    if (ts_node_is_null(args) || ll_syntax_kind(sem->syn, args) != LL_K_ARGUMENT_LIST)
        return none;
    uint32_t c = ts_node_named_child_count(args), k = 0;
    for (uint32_t i = 0; i < c; i++) {
        TSNode a = ts_node_named_child(args, i);
        LLKind ak = ll_syntax_kind(sem->syn, a);
        if (ak == LL_K_KEYWORD_ARGUMENT || ak == LL_K_COMMENT || ak == LL_K_LINE_CONTINUATION)
            continue;
        if (ak == LL_K_LIST_SPLAT || ak == LL_K_DICT_SPLAT)
            return none;
        if (k++ == idx)
            return a;
    }
    return none;
}

static void resolve_d(const LLSemantic *sem, TSNode expr, uint32_t scope,
                      unsigned depth, LLNames *out);
static void memo_binding(const LLSemantic *sem, const LLBinding *bd, unsigned depth,
                         LLNames *out);

enum { BSTATE_NONE = 0, BSTATE_PENDING, BSTATE_DONE };

/* The nodes a value's names depend on through identifiers: the bases of
 * attribute chains, called functions and subscripts, both branches of
 * conditionals and boolean operators, the elements of displays. Pushes
 * identifier nodes onto ids (at most max). */
static uint32_t value_bases(const LLSemantic *sem, TSNode v, TSNode *ids, uint32_t max)
{
    const LLSyntax *syn = sem->syn;
    TSNode todo[LL_MAX_ALTERNATIVES * 4];
    uint32_t nt = 0, n = 0;
    if (!ts_node_is_null(v))
        todo[nt++] = v;
    for (unsigned guard = 0; nt && guard < 256; guard++) {
        TSNode x = todo[--nt];
        switch (ll_syntax_kind(syn, x)) {
        case LL_K_IDENTIFIER:
            if (n < max)
                ids[n++] = x;
            break;
        case LL_K_ATTRIBUTE:
            if (nt < LL_MAX_ALTERNATIVES * 4)
                todo[nt++] = ll_syntax_field(syn, x, LL_F_OBJECT);
            break;
        case LL_K_CALL:
            if (nt < LL_MAX_ALTERNATIVES * 4)
                todo[nt++] = ll_syntax_field(syn, x, LL_F_FUNCTION);
            break;
        case LL_K_SUBSCRIPT:
            if (nt < LL_MAX_ALTERNATIVES * 4)
                todo[nt++] = ll_syntax_field(syn, x, LL_F_VALUE);
            break;
        case LL_K_PAREN_EXPR:
        case LL_K_AWAIT:
        case LL_K_CONDITIONAL_EXPR:
        case LL_K_BOOLEAN_OP:
        case LL_K_LIST:
        case LL_K_TUPLE:
        case LL_K_SET: {
            uint32_t c = ts_node_named_child_count(x);
            for (uint32_t i = 0; i < c && i < LL_MAX_ALTERNATIVES * 2 &&
                                 nt < LL_MAX_ALTERNATIVES * 4; i++)
                todo[nt++] = ts_node_named_child(x, i);
            break;
        }
        default:
            break;
        }
    }
    return n;
}

/* Whether class scope `cls` defines find_class with a `raise` in it: an
 * unpickler that refuses what it does not allow (the fix real projects
 * ship), unlike one that only renames and calls super().find_class. */
static bool restricts_find_class(const LLSemantic *sem, uint32_t cls)
{
    const LLSyntax *syn = sem->syn;
    TSNode body = ll_syntax_field(syn, sem->scopes.items[cls].node, LL_F_BODY);
    if (ts_node_is_null(body))
        return false;
    uint32_t c = ts_node_named_child_count(body);
    for (uint32_t i = 0; i < c; i++) {
        TSNode st = ts_node_named_child(body, i);
        if (ll_syntax_kind(syn, st) == LL_K_DECORATED_DEF)
            st = ll_syntax_field(syn, st, LL_F_DEFINITION);
        if (ll_syntax_kind(syn, st) != LL_K_FUNCTION_DEF)
            continue;
        TSNode name = ll_syntax_field(syn, st, LL_F_NAME);
        if (ts_node_is_null(name))
            continue;
        size_t len;
        const char *t = ll_node_text(sem->src, name, &len);
        if (len != 10 || memcmp(t, "find_class", 10) != 0)
            continue;
        /* a raise anywhere in it (a cursor walk, bounded) */
        TSTreeCursor cur = ts_tree_cursor_new(st);
        bool found = false;
        for (unsigned steps = 0; steps < 100000 && !found; steps++) {
            TSNode x = ts_tree_cursor_current_node(&cur);
            if (ll_syntax_kind(syn, x) == LL_K_RAISE) {
                found = true;
                break;
            }
            if (ts_tree_cursor_goto_first_child(&cur))
                continue;
            bool up = true;
            while (up) {
                if (ts_tree_cursor_goto_next_sibling(&cur)) {
                    up = false;
                } else if (!ts_tree_cursor_goto_parent(&cur) ||
                           ts_node_eq(ts_tree_cursor_current_node(&cur), st)) {
                    steps = 100000;
                    up = false;
                }
            }
        }
        ts_tree_cursor_delete(&cur);
        if (found)
            return true;
    }
    return false;
}

/* The canonical names one binding gives its name (not memoised). */
static void binding_names(const LLSemantic *sem, const LLBinding *bd, unsigned depth,
                          LLNames *out)
{
    const LLSyntax *syn = sem->syn;
    size_t len;
    const char *name = ll_node_text(sem->src, bd->target, &len);
    switch (bd->kind) {
    case LL_BIND_IMPORT:
        names_add(sem, out, bd->qual, strlen(bd->qual), "", 0);
        return;
    case LL_BIND_ASSIGN:
    case LL_BIND_WITH: {
        if (ts_node_is_null(bd->value))
            return;
        /* x = value; `a, b = value` gives each name value's "[]" */
        LLNames sub = {0};
        resolve_d(sem, bd->value, bd->scope, depth + 1, &sub);
        for (uint32_t j = 0; j < sub.n; j++) {
            if (bd->unpack < 0)
                names_add(sem, out, sub.name[j], strlen(sub.name[j]), "", 0);
            else
                names_add_suffix(sem, out, sub.name[j], "[]");
        }
        return;
    }
    case LL_BIND_FOR: {
        /* for m in (pickle, cPickle): each element of a display */
        TSNode it = bd->value;
        while (!ts_node_is_null(it) && ll_syntax_kind(syn, it) == LL_K_PAREN_EXPR &&
               ts_node_named_child_count(it) == 1)
            it = ts_node_named_child(it, 0);
        LLKind k = ts_node_is_null(it) ? LL_K_OTHER : ll_syntax_kind(syn, it);
        if (bd->unpack >= 0 || (k != LL_K_LIST && k != LL_K_TUPLE && k != LL_K_SET))
            return;
        uint32_t c = ts_node_named_child_count(it);
        for (uint32_t i = 0; i < c && out->n < LL_MAX_ALTERNATIVES; i++) {
            LLNames sub = {0};
            resolve_d(sem, ts_node_named_child(it, i), bd->scope, depth + 1, &sub);
            for (uint32_t j = 0; j < sub.n; j++)
                names_add(sem, out, sub.name[j], strlen(sub.name[j]), "", 0);
        }
        return;
    }
    case LL_BIND_PARAM: {
        /* decoder=pickle.loads: the default; conn: Connection: an instance */
        uint32_t outer = sem->scopes.items[bd->scope].parent;
        if (outer == LL_NONE)
            return;
        LLKind pk = ll_syntax_kind(syn, bd->value);
        if (pk == LL_K_DEFAULT_PARAM || pk == LL_K_TYPED_DEFAULT_PARAM) {
            LLNames sub = {0};
            resolve_d(sem, ll_syntax_field(syn, bd->value, LL_F_VALUE), outer, depth + 1, &sub);
            for (uint32_t j = 0; j < sub.n; j++)
                names_add(sem, out, sub.name[j], strlen(sub.name[j]), "", 0);
        }
        if (pk == LL_K_TYPED_PARAM || pk == LL_K_TYPED_DEFAULT_PARAM) {
            TSNode type = ll_syntax_field(syn, bd->value, LL_F_TYPE);
            TSNode t = ts_node_is_null(type) ? type : ts_node_named_child(type, 0);
            LLKind tk = ts_node_is_null(t) ? LL_K_OTHER : ll_syntax_kind(syn, t);
            if (tk == LL_K_IDENTIFIER || tk == LL_K_ATTRIBUTE) {
                LLNames sub = {0};
                resolve_d(sem, t, outer, depth + 1, &sub);
                for (uint32_t j = 0; j < sub.n; j++)
                    names_add_suffix(sem, out, sub.name[j], "()");
            }
        }
        return;
    }
    case LL_BIND_DEF:
    case LL_BIND_CLASS: {
        const char *q = sem->scopes.items[bd->scope].qualname;
        if (!q)
            return;
        /* a function or class of this module: "<module>.name" */
        names_add(sem, out, q, strlen(q), name, len);
        if (bd->kind != LL_BIND_CLASS || !sem->known)
            return;
        /* a subclass of a class some rule names is that class too (a
         * pickle.Unpickler subclass unpickles; a yaml.SafeLoader subclass
         * is safe), unless it refuses in find_class what it does not allow */
        uint32_t cls = ll_resolve_def_scope(sem, bd->value);
        if (cls == LL_NONE || restricts_find_class(sem, cls))
            return;
        LLNames bases = {0};
        ll_resolve_class_bases(sem, cls, &bases);
        for (uint32_t j = 0; j < bases.n; j++)
            if (ll_strmap_get(sem->known, bases.name[j], strlen(bases.name[j]), NULL))
                names_add(sem, out, bases.name[j], strlen(bases.name[j]), "", 0);
        return;
    }
    default:
        return;
    }
}

/* The names of binding `bd`, memoised. On first use the bindings it
 * depends on are resolved first, deepest first, with an explicit stack: a
 * chain of any length of aliases (a2 = a1; a3 = a2; ...) costs one step per
 * assignment and no recursion. A cycle gives no names. */
static void memo_binding(const LLSemantic *sem, const LLBinding *bd, unsigned depth,
                         LLNames *out)
{
    uint32_t i = (uint32_t)(bd - sem->bindings.items);
    if (!sem->bind_state || i >= sem->bindings.len) {
        binding_names(sem, bd, depth, out);
        return;
    }
    if (sem->bind_state[i] == BSTATE_DONE) {
        *out = sem->bind_names[i];
        return;
    }
    if (sem->bind_state[i] == BSTATE_PENDING) {
        out->n = 0; /* a cycle */
        return;
    }
    LL_VEC(uint32_t) stack = {0};
    LL_VEC_PUSH(&stack, i);
    while (stack.len) {
        uint32_t j = stack.items[stack.len - 1];
        const LLBinding *b = &sem->bindings.items[j];
        if (sem->bind_state[j] == BSTATE_DONE) {
            stack.len--;
            continue;
        }
        if (sem->bind_state[j] == BSTATE_NONE) {
            sem->bind_state[j] = BSTATE_PENDING;
            TSNode ids[LL_MAX_ALTERNATIVES * 2];
            TSNode v = b->value;
            if (b->kind == LL_BIND_PARAM && !ts_node_is_null(v))
                v = ll_syntax_field(sem->syn, v, LL_F_VALUE);
            uint32_t scope = b->kind == LL_BIND_PARAM ? sem->scopes.items[b->scope].parent : b->scope;
            uint32_t nids = (b->kind == LL_BIND_ASSIGN || b->kind == LL_BIND_WITH ||
                             b->kind == LL_BIND_FOR || b->kind == LL_BIND_PARAM) &&
                                    scope != LL_NONE
                                ? value_bases(sem, v, ids, LL_MAX_ALTERNATIVES * 2)
                                : 0;
            for (uint32_t k = 0; k < nids; k++) {
                size_t len;
                const char *t = ll_node_text(sem->src, ids[k], &len);
                const LLBinding *deps[LL_MAX_ALTERNATIVES];
                bool bound;
                uint32_t nd = lookup(sem, t, len, scope, ts_node_start_byte(ids[k]), deps,
                                     LL_MAX_ALTERNATIVES, &bound);
                for (uint32_t d = 0; d < nd; d++) {
                    uint32_t di = (uint32_t)(deps[d] - sem->bindings.items);
                    if (sem->bind_state[di] == BSTATE_NONE)
                        LL_VEC_PUSH(&stack, di);
                }
            }
            continue;
        }
        /* pending, and what it depends on is done: its own names now */
        LLNames names = {0};
        binding_names(sem, b, 1, &names);
        sem->bind_names[j] = names;
        sem->bind_state[j] = BSTATE_DONE;
        stack.len--;
    }
    LL_VEC_FREE(&stack);
    *out = sem->bind_names[i];
}

static void resolve_identifier(const LLSemantic *sem, TSNode id,
                               uint32_t scope, unsigned depth, LLNames *out)
{
    size_t len;
    const char *name = ll_node_text(sem->src, id, &len);
    const LLBinding *bs[LL_MAX_ALTERNATIVES];
    bool bound;
    uint32_t n = lookup(sem, name, len, scope, ts_node_start_byte(id), bs,
                        LL_MAX_ALTERNATIVES, &bound);
    if (!bound) {
        /* from m import * brings the names rules know about */
        for (size_t i = 0; i < sem->star_modules.len; i++) {
            const char *m = sem->star_modules.items[i];
            char q[LL_MAX_QUALNAME];
            int ql = snprintf(q, sizeof q, "%s.%.*s", m, (int)len, name);
            if (ql > 0 && (size_t)ql < sizeof q && sem->known &&
                ll_strmap_get(sem->known, q, (size_t)ql, NULL))
                names_add(sem, out, q, (size_t)ql, "", 0);
        }
        if (!out->n)
            names_add(sem, out, name, len, "", 0); /* a builtin */
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        LLNames sub = {0};
        memo_binding(sem, bs[i], depth, &sub);
        for (uint32_t j = 0; j < sub.n; j++)
            names_add(sem, out, sub.name[j], strlen(sub.name[j]), "", 0);
    }
}

/* self.name where the class (or a base class of this file) binds `name`
 * in its body: `loads = pickle.loads`, `loads: ClassVar[...] = ...`. */
static void class_member(const LLSemantic *sem, uint32_t cls, const char *name, size_t len,
                         unsigned depth, LLNames *out)
{
    uint32_t todo[LL_MAX_CLASS_BASES_FOLLOWED];
    uint32_t nt = 0, seen = 0;
    todo[nt++] = cls;
    char key[LL_MAX_QUALNAME + 4];
    if (len > LL_MAX_QUALNAME)
        return;
    memcpy(key + 4, name, len);
    while (nt && seen < LL_MAX_CLASS_BASES_FOLLOWED && !out->n) {
        uint32_t c = todo[--nt];
        seen++;
        intptr_t v;
        memcpy(key, &c, 4);
        if (ll_strmap_get(&sem->names, key, len + 4, &v)) {
            const LLBinding *bd = &sem->bindings.items[v - 1];
            if (bd->kind == LL_BIND_ASSIGN || bd->kind == LL_BIND_DEF) {
                LLNames sub = {0};
                memo_binding(sem, bd, depth + 1, &sub);
                for (uint32_t j = 0; j < sub.n; j++)
                    names_add(sem, out, sub.name[j], strlen(sub.name[j]), "", 0);
            }
            continue;
        }
        /* not bound here: the base classes defined in this file */
        LLNames bases = {0};
        ll_resolve_class_bases(sem, c, &bases);
        for (uint32_t j = 0; j < bases.n && nt < LL_MAX_CLASS_BASES_FOLLOWED; j++) {
            intptr_t s2;
            if (ll_strmap_get(&sem->class_scopes, bases.name[j], strlen(bases.name[j]), &s2))
                todo[nt++] = (uint32_t)s2;
        }
    }
}

/* A name under a module that re-exports a loader module is also that
 * module's name: "numpy.compat.pickle.loads" is "pickle.loads" too (the
 * project's aliases, exports.h; the libraries' re-exports, srcmodel.h). */
static void apply_aliases(const LLSemantic *sem, LLNames *out)
{
    bool project = sem->aliases && sem->aliases->count;
    bool library = sem->model && sem->model->reexports.count;
    if (!project && !library)
        return;
    char buf[LL_MAX_QUALNAME];
    uint32_t n = out->n;
    for (uint32_t i = 0; i < n; i++) {
        if (project && ll_aliases_apply(sem->aliases, sem->alias_prefixes, out->name[i], buf, sizeof buf))
            names_add(sem, out, buf, strlen(buf), "", 0);
        if (library && ll_srcmodel_reexport(sem->model, out->name[i], buf, sizeof buf))
            names_add(sem, out, buf, strlen(buf), "", 0);
    }
}

/* Whether calling F returns the module its first (string) argument names:
 * a module loader of the source model (importlib.import_module, lazy
 * module proxies), or a function of this file whose every return is such a
 * call on its first parameter (def import_module(name): try: return
 * importlib.import_module(name) ...). */
static bool is_module_loader(const LLSemantic *sem, const char *F, unsigned depth)
{
    if (sem->model && ll_strlist_has(&sem->model->module_loaders, F))
        return true;
    intptr_t v;
    if (!ll_strmap_get(&sem->functions, F, strlen(F), &v) || depth > LL_MAX_ALIAS_DEPTH)
        return false;
    uint32_t fs = (uint32_t)v;
    uint32_t first = sem->returns_first[fs], n = sem->returns_count[fs];
    TSNode p0 = sem->scopes.items[fs].first_param;
    if (!n || ts_node_is_null(p0))
        return false;
    size_t plen;
    const char *pname = ll_node_text(sem->src, p0, &plen);
    for (uint32_t i = 0; i < n; i++) {
        const LLSite *r = &sem->returns.items[sem->returns_by_scope[first + i]];
        TSNode c = ts_node_named_child(r->node, 0);
        if (ts_node_is_null(c) || ll_syntax_kind(sem->syn, c) != LL_K_CALL)
            return false;
        TSNode a0 = positional_arg(sem, c, 0);
        size_t al;
        const char *at = ts_node_is_null(a0) ? NULL : ll_node_text(sem->src, a0, &al);
        if (!at || al != plen || memcmp(at, pname, plen) != 0)
            return false;
        LLNames g = {0};
        resolve_d(sem, ll_syntax_field(sem->syn, c, LL_F_FUNCTION), fs, depth + 1, &g);
        bool loader = false;
        for (uint32_t k = 0; k < g.n && !loader; k++)
            loader = (sem->model && ll_strlist_has(&sem->model->module_loaders, g.name[k]));
        if (!loader)
            return false;
    }
    return true;
}

static void resolve_call_result(const LLSemantic *sem, TSNode call,
                                uint32_t scope, unsigned depth, LLNames *out)
{
    TSNode fn = ll_syntax_field(sem->syn, call, LL_F_FUNCTION);
    if (ts_node_is_null(fn))
        return;
    LLNames f = {0};
    resolve_d(sem, fn, scope, depth + 1, &f);
    for (uint32_t i = 0; i < f.n; i++) {
        const char *F = f.name[i];
        if (strcmp(F, "getattr") == 0) {
            const char *attr = string_value(sem, positional_arg(sem, call, 1));
            TSNode obj = positional_arg(sem, call, 0);
            if (!attr || ts_node_is_null(obj))
                continue;
            LLNames o = {0};
            resolve_d(sem, obj, scope, depth + 1, &o);
            for (uint32_t j = 0; j < o.n; j++)
                names_add(sem, out, o.name[j], strlen(o.name[j]), attr, strlen(attr));
        } else if (strcmp(F, "staticmethod") == 0 || strcmp(F, "classmethod") == 0) {
            /* loads = staticmethod(pickle.loads) in a class body: what
             * self.loads(b) and Cls.loads(b) call */
            LLNames o = {0};
            resolve_d(sem, positional_arg(sem, call, 0), scope, depth + 1, &o);
            for (uint32_t j = 0; j < o.n; j++)
                names_add(sem, out, o.name[j], strlen(o.name[j]), "", 0);
        } else if (strcmp(F, "__import__") == 0 || strcmp(F, "importlib.__import__") == 0 ||
                   is_module_loader(sem, F, depth)) {
            const char *m = string_value(sem, positional_arg(sem, call, 0));
            if (!m || !*m)
                continue;
            size_t ml = strlen(m);
            if (F[0] == '_' || strncmp(F, "importlib.__", 12) == 0) {
                const char *dot = strchr(m, '.');
                if (dot)
                    ml = (size_t)(dot - m); /* __import__("a.b") returns a */
            }
            names_add(sem, out, m, ml, "", 0);
        } else {
            char q[LL_MAX_QUALNAME];
            int ql = snprintf(q, sizeof q, "%s()", F);
            if (ql > 0 && (size_t)ql < sizeof q)
                names_add(sem, out, q, (size_t)ql, "", 0);
        }
    }
}

/* Whether ab binds self.<attr> in class scope cls. */
static bool same_attr(const LLAttrBinding *ab, uint32_t cls, const char *attr, size_t alen)
{
    return ab->class_scope == cls && ab->len == alen && memcmp(ab->name, attr, alen) == 0;
}

/* Adds each of `bases` followed by the segments segs[n-1] ... segs[0]
 * (outermost last, as resolve_d collects them) to out. */
static void add_with_tail(const LLSemantic *sem, const LLNames *bases, const TSNode *segs,
                          uint32_t n, LLNames *out)
{
    char tail[LL_MAX_QUALNAME];
    size_t tl = 0;
    for (uint32_t i = n; i-- > 0;) {
        if (ts_node_is_null(segs[i]))
            return;
        size_t l;
        const char *t = ll_node_text(sem->src, segs[i], &l);
        if (tl + l + 2 > sizeof tail)
            return;
        if (tl)
            tail[tl++] = '.';
        memcpy(tail + tl, t, l);
        tl += l;
    }
    for (uint32_t i = 0; i < bases->n; i++)
        names_add(sem, out, bases->name[i], strlen(bases->name[i]), tail, tl);
}

/* What instances of class scope `cls` hold in attribute `attr_node`: the
 * values methods assign to self.x (and Cls.x = value), else the class
 * body's binding, its bases' in this file. Added to out. False when x is
 * being resolved already (self.x = self.x.to(d)): a cycle, which adds no
 * name to what the other values give. */
static bool instance_member(const LLSemantic *sem, uint32_t cls, TSNode attr_node,
                            unsigned depth, LLNames *out)
{
    size_t alen;
    const char *attr = ll_node_text(sem->src, attr_node, &alen);
    for (size_t i = 0; i < sem->attrs.len; i++)
        if (sem->attr_busy[i] && same_attr(&sem->attrs.items[i], cls, attr, alen))
            return false;
    for (size_t i = 0; i < sem->attrs.len; i++)
        if (same_attr(&sem->attrs.items[i], cls, attr, alen))
            sem->attr_busy[i] = 1;
    uint32_t before = out->n;
    for (size_t i = 0; i < sem->attrs.len && out->n < LL_MAX_ALTERNATIVES; i++) {
        const LLAttrBinding *ab = &sem->attrs.items[i];
        if (!same_attr(ab, cls, attr, alen) || ts_node_is_null(ab->value))
            continue;
        LLNames sub = {0};
        resolve_d(sem, ab->value, ab->scope, depth + 1, &sub);
        for (uint32_t j = 0; j < sub.n; j++)
            names_add(sem, out, sub.name[j], strlen(sub.name[j]), "", 0);
    }
    for (size_t i = 0; i < sem->attrs.len; i++)
        if (same_attr(&sem->attrs.items[i], cls, attr, alen))
            sem->attr_busy[i] = 0;
    if (out->n == before)
        class_member(sem, cls, attr, alen, depth, out);
    return true;
}

static void resolve_d(const LLSemantic *sem, TSNode expr, uint32_t scope,
                      unsigned depth, LLNames *out)
{
    out->n = 0;
    if (ts_node_is_null(expr))
        return;
    if (depth > LL_MAX_ALIAS_DEPTH) {
        if (sem->depth_hit && ts_node_is_null(*sem->depth_hit))
            *sem->depth_hit = expr;
        return;
    }
    const LLSyntax *syn = sem->syn;
    TSNode segs[LL_MAX_ATTR_CHAIN];
    uint32_t nseg = 0;
    TSNode base = expr;
    for (;;) {
        LLKind k = ll_syntax_kind(syn, base);
        if (k == LL_K_ATTRIBUTE) {
            if (nseg == LL_MAX_ATTR_CHAIN)
                return;
            segs[nseg++] = ll_syntax_field(syn, base, LL_F_ATTRIBUTE);
            base = ll_syntax_field(syn, base, LL_F_OBJECT);
        } else if (k == LL_K_PAREN_EXPR && ts_node_named_child_count(base) == 1) {
            base = ts_node_named_child(base, 0);
        } else {
            break;
        }
        if (ts_node_is_null(base))
            return;
    }
    LLNames bases = {0};
    uint32_t cls;
    switch (ll_syntax_kind(syn, base)) {
    case LL_K_IDENTIFIER:
        if (ll_resolve_is_self(sem, base, scope, &cls)) {
            /* self.x: what methods assigned to self.x, else "<Class>.x" */
            if (nseg && !ts_node_is_null(segs[nseg - 1])) {
                if (!instance_member(sem, cls, segs[nseg - 1], depth, &bases))
                    return;
                if (bases.n) {
                    nseg--; /* self.x is consumed */
                    break;
                }
            }
            const char *q = sem->scopes.items[cls].qualname;
            if (q)
                names_add(sem, &bases, q, strlen(q), "", 0);
            break;
        }
        resolve_identifier(sem, base, scope, depth, &bases);
        break;
    case LL_K_CALL:
        resolve_call_result(sem, base, scope, depth, &bases);
        break;
    case LL_K_SUBSCRIPT: {
        /* handlers[fmt] where handlers = {"p": pickle.loads, ...}: any item */
        TSNode v = ll_syntax_field(syn, base, LL_F_VALUE);
        if (ts_node_is_null(v) || ll_syntax_kind(syn, v) != LL_K_IDENTIFIER)
            return;
        size_t vl;
        const char *vt = ll_node_text(sem->src, v, &vl);
        const LLBinding *bs[LL_MAX_ALTERNATIVES];
        uint32_t nb = ll_resolve_lookup(sem, vt, vl, scope, ts_node_start_byte(v), bs,
                                        LL_MAX_ALTERNATIVES);
        if (nb != 1 || bs[0]->kind != LL_BIND_ASSIGN || bs[0]->unpack >= 0 ||
            ts_node_is_null(bs[0]->value))
            return;
        TSNode disp = bs[0]->value;
        LLKind dk = ll_syntax_kind(syn, disp);
        if (dk != LL_K_DICT && dk != LL_K_LIST && dk != LL_K_TUPLE)
            return;
        uint32_t c = ts_node_named_child_count(disp);
        for (uint32_t i = 0; i < c && i < LL_MAX_DISPLAY_ITEMS && bases.n < LL_MAX_ALTERNATIVES; i++) {
            TSNode item = ts_node_named_child(disp, i);
            if (dk == LL_K_DICT) {
                if (ll_syntax_kind(syn, item) != LL_K_PAIR)
                    continue;
                item = ll_syntax_field(syn, item, LL_F_VALUE);
            }
            LLNames sub = {0};
            resolve_d(sem, item, bs[0]->scope, depth + 1, &sub);
            for (uint32_t j = 0; j < sub.n; j++)
                names_add(sem, &bases, sub.name[j], strlen(sub.name[j]), "", 0);
        }
        break;
    }
    case LL_K_CONDITIONAL_EXPR:
    case LL_K_BOOLEAN_OP: {
        /* h = pickle.loads if fast else json.loads: either; a or b: either */
        uint32_t c = ts_node_named_child_count(base);
        for (uint32_t i = 0; i < c; i++) {
            if (ll_syntax_kind(syn, base) == LL_K_CONDITIONAL_EXPR && i == 1)
                continue; /* the condition */
            LLNames sub = {0};
            resolve_d(sem, ts_node_named_child(base, i), scope, depth + 1, &sub);
            for (uint32_t j = 0; j < sub.n; j++)
                names_add(sem, &bases, sub.name[j], strlen(sub.name[j]), "", 0);
        }
        break;
    }
    default:
        return;
    }
    if (!nseg) {
        *out = bases;
        apply_aliases(sem, out);
        return;
    }
    /* Cls.x, Cls().x, obj.x where obj = Cls(), for a class of this file:
     * the value the class gives x (its body, Cls.x = value, self.x in
     * methods). Not when x is a function of this file, a method above all:
     * "Cls().m" is a bound call (self not among the arguments), "Cls.m" is
     * not, and the summaries of calls need to tell them apart */
    LLNames members = {0};
    if (sem->class_scopes.count && !ts_node_is_null(segs[nseg - 1])) {
        LLNames rest = {0};
        for (uint32_t i = 0; i < bases.n; i++) {
            size_t bl = strlen(bases.name[i]);
            if (bl > 2 && memcmp(bases.name[i] + bl - 2, "()", 2) == 0)
                bl -= 2;
            intptr_t c;
            LLNames m = {0};
            if (ll_strmap_get(&sem->class_scopes, bases.name[i], bl, &c))
                instance_member(sem, (uint32_t)c, segs[nseg - 1], depth, &m);
            bool function = false;
            for (uint32_t j = 0; j < m.n; j++)
                function |= ll_strmap_get(&sem->functions, m.name[j], strlen(m.name[j]), NULL);
            for (uint32_t j = 0; j < m.n && !function; j++)
                names_add(sem, &members, m.name[j], strlen(m.name[j]), "", 0);
            if (!m.n || function)
                names_add(sem, &rest, bases.name[i], strlen(bases.name[i]), "", 0);
        }
        bases = rest;
    }
    add_with_tail(sem, &bases, segs, nseg, out);
    if (members.n)
        add_with_tail(sem, &members, segs, nseg - 1, out);
    apply_aliases(sem, out);
}

bool ll_resolve_unbind(const char *name, char *out, size_t cap)
{
    const char *paren = strstr(name, "().");
    if (!paren || strchr(paren + 3, '.') || strchr(paren + 3, '('))
        return false;
    int n = snprintf(out, cap, "%.*s.%s", (int)(paren - name), name, paren + 3);
    return n > 0 && (size_t)n < cap;
}

void ll_resolve_expr(const LLSemantic *sem, TSNode expr, uint32_t scope,
                     LLNames *out)
{
    resolve_d(sem, expr, scope, 0, out);
}

uint32_t ll_resolve_method_class(const LLSemantic *sem, uint32_t scope)
{
    if (scope >= sem->scopes.len)
        return LL_NONE;
    const LLScope *sc = &sem->scopes.items[scope];
    if (sc->kind != LL_SCOPE_FUNCTION || sc->parent == LL_NONE ||
        ll_syntax_kind(sem->syn, sc->node) != LL_K_FUNCTION_DEF)
        return LL_NONE;
    return sem->scopes.items[sc->parent].kind == LL_SCOPE_CLASS ? sc->parent : LL_NONE;
}

bool ll_resolve_is_self(const LLSemantic *sem, TSNode id, uint32_t scope,
                        uint32_t *cls)
{
    if (ll_syntax_kind(sem->syn, id) != LL_K_IDENTIFIER)
        return false;
    /* self may be used in a nested function or lambda of the method */
    size_t len;
    const char *name = ll_node_text(sem->src, id, &len);
    for (uint32_t s = scope, hops = 0; s != LL_NONE && hops < 64;
         s = sem->scopes.items[s].parent, hops++) {
        uint32_t c = ll_resolve_method_class(sem, s);
        const LLScope *sc = &sem->scopes.items[s];
        if (c != LL_NONE && !ts_node_is_null(sc->first_param)) {
            size_t plen;
            const char *p = ll_node_text(sem->src, sc->first_param, &plen);
            if (plen != len || memcmp(p, name, len) != 0)
                return false;
            /* the name must not be rebound in between */
            const LLBinding *bs[LL_MAX_ALTERNATIVES];
            uint32_t n = ll_resolve_lookup(sem, name, len, scope, ts_node_start_byte(id),
                                           bs, LL_MAX_ALTERNATIVES);
            if (n != 1 || bs[0]->kind != LL_BIND_PARAM || bs[0]->scope != s)
                return false;
            *cls = c;
            return true;
        }
        if (sc->kind != LL_SCOPE_FUNCTION)
            return false;
    }
    return false;
}

void ll_resolve_class_bases(const LLSemantic *sem, uint32_t cls, LLNames *out)
{
    out->n = 0;
    if (cls >= sem->scopes.len)
        return;
    TSNode node = sem->scopes.items[cls].node;
    TSNode supers = ll_syntax_field(sem->syn, node, LL_F_SUPERCLASSES);
    if (ts_node_is_null(supers))
        return;
    uint32_t parent = sem->scopes.items[cls].parent;
    uint32_t c = ts_node_named_child_count(supers);
    for (uint32_t i = 0; i < c && out->n < LL_MAX_ALTERNATIVES; i++) {
        TSNode b = ts_node_named_child(supers, i);
        if (ll_syntax_kind(sem->syn, b) == LL_K_KEYWORD_ARGUMENT)
            continue;
        LLNames one = {0};
        ll_resolve_expr(sem, b, parent, &one);
        for (uint32_t j = 0; j < one.n; j++)
            names_add(sem, out, one.name[j], strlen(one.name[j]), "", 0);
    }
}

/* The position of `value` among the parameters of `params`, or -1. */
static int param_position(const LLSemantic *sem, TSNode params, TSNode value)
{
    int idx = 0;
    uint32_t start = ts_node_start_byte(value), end = ts_node_end_byte(value);
    uint32_t c = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < c; i++) {
        TSNode p = ts_node_named_child(params, i);
        LLKind k = ll_syntax_kind(sem->syn, p);
        if (k == LL_K_COMMENT || k == LL_K_OTHER || k == LL_K_LINE_CONTINUATION)
            continue; /* '*' and '/' separators */
        if (ts_node_start_byte(p) == start && ts_node_end_byte(p) == end)
            return idx;
        idx++;
    }
    return -1;
}

int ll_resolve_param_index(const LLSemantic *sem, const LLBinding *param)
{
    /* the parameters of the binding's function, found from the function
     * (a child: cheap) rather than from the parameter (a parent: a walk
     * from the root) */
    if (param->scope < sem->scopes.len) {
        TSNode fn = sem->scopes.items[param->scope].node;
        TSNode params = ts_node_is_null(fn) ? fn : ll_syntax_field(sem->syn, fn, LL_F_PARAMETERS);
        int idx = ts_node_is_null(params) ? -1 : param_position(sem, params, param->value);
        if (idx >= 0)
            return idx;
    }
    TSNode params = ts_node_parent(param->value);
    return ts_node_is_null(params) ? -1 : param_position(sem, params, param->value);
}
