#include "engine/value.h"

#include "base/limits.h"

#include <stdlib.h>
#include <string.h>

/* A string value: its text, and truthy when not empty (as Python's). */
static void set_string(LLValue *out, const char *str, size_t len)
{
    out->kind = LL_VAL_STRING;
    out->str = str;
    out->len = len;
    out->truthy = len > 0;
}

static bool string_literal(const LLSemantic *sem, TSNode n, LLValue *out)
{
    const LLSyntax *syn = sem->syn;
    uint32_t c = ts_node_named_child_count(n);
    size_t total = 0;
    for (uint32_t i = 0; i < c; i++) {
        TSNode part = ts_node_named_child(n, i);
        LLKind k = ll_syntax_kind(syn, part);
        if (k == LL_K_INTERPOLATION)
            return false;
        if (k == LL_K_STRING_CONTENT || k == LL_K_ESCAPE_SEQ)
            total += ts_node_end_byte(part) - ts_node_start_byte(part);
    }
    char *buf = ll_arena_alloc(sem->arena, total + 1);
    size_t len = 0;
    for (uint32_t i = 0; i < c; i++) {
        TSNode part = ts_node_named_child(n, i);
        LLKind k = ll_syntax_kind(syn, part);
        size_t l;
        const char *t = ll_node_text(sem->src, part, &l);
        if (k == LL_K_ESCAPE_SEQ && l == 2 && strchr("\\'\"", t[1])) {
            buf[len++] = t[1];
        } else if (k == LL_K_STRING_CONTENT || k == LL_K_ESCAPE_SEQ) {
            memcpy(buf + len, t, l);
            len += l;
        }
    }
    set_string(out, buf, len);
    return true;
}

static void value_d(const LLSemantic *sem, TSNode n, uint32_t scope,
                    unsigned depth, LLValue *out)
{
    memset(out, 0, sizeof *out);
    const LLSyntax *syn = sem->syn;
    for (unsigned i = 0; i < 64 && !ts_node_is_null(n) &&
                         ll_syntax_kind(syn, n) == LL_K_PAREN_EXPR &&
                         ts_node_named_child_count(n) == 1;
         i++)
        n = ts_node_named_child(n, 0);
    if (ts_node_is_null(n))
        return;
    size_t len;
    const char *t;
    switch (ll_syntax_kind(syn, n)) {
    case LL_K_TRUE:
        out->kind = LL_VAL_BOOL;
        out->num = 1;
        out->truthy = true;
        return;
    case LL_K_FALSE:
        out->kind = LL_VAL_BOOL;
        return;
    case LL_K_NONE:
        out->kind = LL_VAL_NONE;
        return;
    case LL_K_INTEGER:
    case LL_K_FLOAT: {
        t = ll_node_text(sem->src, n, &len);
        char buf[64];
        size_t k = 0;
        for (size_t i = 0; i < len && k + 1 < sizeof buf; i++)
            if (t[i] != '_')
                buf[k++] = t[i];
        buf[k] = '\0';
        out->kind = LL_VAL_NUMBER;
        out->num = strtod(buf, NULL);
        if (k > 1 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X' || buf[1] == 'o' ||
                                       buf[1] == 'O' || buf[1] == 'b' || buf[1] == 'B'))
            out->num = (double)strtoll(buf + 2, NULL,
                                       buf[1] == 'x' || buf[1] == 'X' ? 16
                                       : buf[1] == 'o' || buf[1] == 'O' ? 8 : 2);
        out->truthy = out->num != 0;
        return;
    }
    case LL_K_UNARY_OP: {
        TSNode arg = ll_syntax_field(syn, n, LL_F_ARGUMENT);
        TSNode op = ll_syntax_field(syn, n, LL_F_OPERATOR);
        t = ts_node_is_null(op) ? "" : ll_node_text(sem->src, op, &len);
        LLValue v;
        value_d(sem, arg, scope, depth, &v);
        if (v.kind == LL_VAL_NUMBER && (*t == '-' || *t == '+')) {
            *out = v;
            if (*t == '-')
                out->num = -v.num;
        }
        return;
    }
    case LL_K_STRING:
        string_literal(sem, n, out);
        return;
    case LL_K_CONCAT_STRING: {
        /* "un" "safe": the decoded parts, joined */
        uint32_t c = ts_node_named_child_count(n);
        LLValue parts[64];
        size_t total = 0;
        if (c > 64)
            return;
        for (uint32_t i = 0; i < c; i++) {
            memset(&parts[i], 0, sizeof parts[i]);
            if (!string_literal(sem, ts_node_named_child(n, i), &parts[i]))
                return;
            total += parts[i].len;
        }
        char *joined = ll_arena_alloc(sem->arena, total + 1);
        size_t at = 0;
        for (uint32_t i = 0; i < c; i++) {
            memcpy(joined + at, parts[i].str, parts[i].len);
            at += parts[i].len;
        }
        set_string(out, joined, total);
        return;
    }
    case LL_K_LIST:
    case LL_K_TUPLE:
    case LL_K_DICT:
    case LL_K_SET:
        out->kind = LL_VAL_CONTAINER;
        out->truthy = ts_node_named_child_count(n) > 0;
        return;
    case LL_K_IDENTIFIER: {
        if (depth >= LL_MAX_ALIAS_DEPTH)
            return;
        t = ll_node_text(sem->src, n, &len);
        const LLBinding *bs[LL_MAX_ALTERNATIVES];
        uint32_t nb = ll_resolve_lookup(sem, t, len, scope, ts_node_start_byte(n),
                                        bs, LL_MAX_ALTERNATIVES);
        if (nb != 1 || bs[0]->unpack >= 0)
            return;
        if (bs[0]->kind == LL_BIND_PARAM) {
            /* def f(weights_only=True): the default, the value the function
             * is written for (a caller passing another is its own finding) */
            LLKind pk = ll_syntax_kind(syn, bs[0]->value);
            uint32_t outer = sem->scopes.items[bs[0]->scope].parent;
            if ((pk == LL_K_DEFAULT_PARAM || pk == LL_K_TYPED_DEFAULT_PARAM) && outer != LL_NONE)
                value_d(sem, ll_syntax_field(syn, bs[0]->value, LL_F_VALUE), outer, depth + 1, out);
            return;
        }
        if (bs[0]->kind != LL_BIND_ASSIGN)
            return;
        value_d(sem, bs[0]->value, bs[0]->scope, depth + 1, out);
        return;
    }
    default:
        return;
    }
}

void ll_value_of(const LLSemantic *sem, TSNode expr, uint32_t scope,
                 LLValue *out)
{
    value_d(sem, expr, scope, 0, out);
}

/* ---- paths ----------------------------------------------------------------- */

static bool path_d(const LLSemantic *sem, TSNode n, uint32_t scope, unsigned depth, LLValue *out);

/* A string of `a` then `b` (joined by '/' when `sep`, as os.path.join and
 * pathlib do: an absolute `b` replaces `a`); false beyond
 * LL_MAX_PATH_BYTES. */
static bool path_join(const LLSemantic *sem, const LLValue *a, const LLValue *b, bool sep,
                      LLValue *out)
{
    if (sep && b->len && b->str[0] == '/') {
        *out = *b;
        return true;
    }
    bool slash = sep && a->len && a->str[a->len - 1] != '/';
    size_t total = a->len + slash + b->len;
    if (total > LL_MAX_PATH_BYTES)
        return false;
    char *buf = ll_arena_alloc(sem->arena, total + 1);
    memcpy(buf, a->str, a->len);
    if (slash)
        buf[a->len] = '/';
    memcpy(buf + a->len + slash, b->str, b->len);
    buf[total] = '\0';
    set_string(out, buf, total);
    return true;
}

/* Whether the call's function is one of `names` (canonical names). */
static bool calls_one_of(const LLSemantic *sem, TSNode call, uint32_t scope,
                         const char *const *names)
{
    LLNames f = {0};
    ll_resolve_expr(sem, ll_syntax_field(sem->syn, call, LL_F_FUNCTION), scope, &f);
    for (uint32_t i = 0; i < f.n; i++)
        for (size_t k = 0; names[k]; k++)
            if (strcmp(f.name[i], names[k]) == 0)
                return true;
    return false;
}

/* The positional arguments of a call joined as paths (no keyword, no
 * starred argument); false unless each is a path literal. */
static bool join_arguments(const LLSemantic *sem, TSNode call, uint32_t scope, unsigned depth,
                           LLValue *out)
{
    TSNode args = ll_syntax_field(sem->syn, call, LL_F_ARGUMENTS);
    if (ts_node_is_null(args) || ll_syntax_kind(sem->syn, args) != LL_K_ARGUMENT_LIST)
        return false;
    uint32_t c = ts_node_named_child_count(args);
    if (!c || c > LL_MAX_PATH_PARTS)
        return false;
    for (uint32_t i = 0; i < c; i++) {
        LLValue part;
        if (!path_d(sem, ts_node_named_child(args, i), scope, depth + 1, &part))
            return false;
        if (i == 0)
            *out = part;
        else if (!path_join(sem, out, &part, true, out))
            return false;
    }
    return true;
}

static bool path_d(const LLSemantic *sem, TSNode n, uint32_t scope, unsigned depth, LLValue *out)
{
    static const char *const joins[] = {"os.path.join", "posixpath.join", NULL};
    static const char *const paths[] = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
                                        "pathlib.PurePosixPath", NULL};
    memset(out, 0, sizeof *out);
    if (ts_node_is_null(n) || depth >= LL_MAX_ALIAS_DEPTH)
        return false;
    value_d(sem, n, scope, depth, out);
    if (out->kind == LL_VAL_STRING)
        return true;
    const LLSyntax *syn = sem->syn;
    switch (ll_syntax_kind(syn, n)) {
    case LL_K_PAREN_EXPR:
        return ts_node_named_child_count(n) == 1 &&
               path_d(sem, ts_node_named_child(n, 0), scope, depth + 1, out);
    case LL_K_BINARY_OP: {
        /* "models/" + name, Path("models") / "x.pt" */
        TSNode op = ll_syntax_field(syn, n, LL_F_OPERATOR);
        size_t ol;
        const char *o = ts_node_is_null(op) ? "" : ll_node_text(sem->src, op, &ol);
        if (*o != '+' && *o != '/')
            return false;
        LLValue a, b;
        if (!path_d(sem, ll_syntax_field(syn, n, LL_F_LEFT), scope, depth + 1, &a) ||
            !path_d(sem, ll_syntax_field(syn, n, LL_F_RIGHT), scope, depth + 1, &b))
            return false;
        return path_join(sem, &a, &b, *o == '/', out);
    }
    case LL_K_CALL:
        /* os.path.join("models", "x.pt"), Path("models", "x.pt") */
        if (!calls_one_of(sem, n, scope, joins) && !calls_one_of(sem, n, scope, paths))
            return false;
        return join_arguments(sem, n, scope, depth, out);
    case LL_K_IDENTIFIER: {
        size_t len;
        const char *t = ll_node_text(sem->src, n, &len);
        const LLBinding *bs[LL_MAX_ALTERNATIVES];
        uint32_t nb = ll_resolve_lookup(sem, t, len, scope, ts_node_start_byte(n), bs,
                                        LL_MAX_ALTERNATIVES);
        if (nb != 1 || bs[0]->unpack >= 0 || bs[0]->kind != LL_BIND_ASSIGN)
            return false;
        return path_d(sem, bs[0]->value, bs[0]->scope, depth + 1, out);
    }
    default:
        return false;
    }
}

bool ll_value_path(const LLSemantic *sem, TSNode expr, uint32_t scope, LLValue *out)
{
    return path_d(sem, expr, scope, 0, out);
}
