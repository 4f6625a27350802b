/* memmem is a GNU extension */
#define _GNU_SOURCE
#include "engine/sources.h"

#include "engine/value.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

static bool extends(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return false;
    char c = name[n];
    if (c == '\0' || c == '.')
        return true;
    if (c == '[' && name[n + 1] == ']')
        return true; /* a, b = source: each element */
    /* "requests.get" also matches "requests.get()..." */
    return prefix[n - 1] != ')' && c == '(';
}

const char *ll_sources_match(const LLSourceModel *m, const char *name)
{
    for (size_t i = 0; i < m->names.len; i++)
        if (extends(name, m->names.items[i]))
            return m->names.items[i];
    return NULL;
}

static bool in_list(const LLStrList *l, const char *s, size_t len)
{
    for (size_t i = 0; i < l->len; i++)
        if (strlen(l->items[i]) == len && memcmp(l->items[i], s, len) == 0)
            return true;
    return false;
}

bool ll_sources_is_propagator(const LLSourceModel *m, const char *name)
{
    return in_list(&m->propagators, name, strlen(name));
}

bool ll_sources_is_propagating_method(const LLSourceModel *m, const char *method, size_t len)
{
    return in_list(&m->propagating_methods, method, len);
}

bool ll_sources_is_write_method(const LLSourceModel *m, const char *name, size_t len)
{
    return in_list(&m->write_methods, name, len);
}

bool ll_sources_is_filler(const LLSourceModel *m, const char *name, size_t len)
{
    return in_list(&m->fillers, name, len);
}

/* ---- parameters ------------------------------------------------------------ */

static bool same_node(TSNode a, TSNode b)
{
    return ts_node_start_byte(a) == ts_node_start_byte(b) &&
           ts_node_end_byte(a) == ts_node_end_byte(b) &&
           ts_node_symbol(a) == ts_node_symbol(b);
}

/* Whether one of the canonical names of `expr` (in `scope`) fits a glob. */
static bool expr_fits(const LLSemantic *sem, TSNode expr, uint32_t scope, const LLStrList *globs)
{
    if (ts_node_is_null(expr))
        return false;
    LLNames n = {0};
    ll_resolve_expr(sem, expr, scope, &n);
    for (uint32_t i = 0; i < n.n; i++)
        if (ll_srcmodel_glob_any(globs, n.name[i]))
            return true;
    return false;
}

/* The node around definition `def` (a function or class node), found
 * once per query (a walk from the root): *done says it is in *parent. */
static TSNode parent_once(TSNode def, TSNode *parent, bool *done)
{
    if (!*done) {
        *parent = ts_node_parent(def);
        *done = true;
    }
    return *parent;
}

/* Whether a decorator of a definition fits (parent: the node around it). */
static bool decorated_by(const LLSemantic *sem, TSNode parent, uint32_t scope,
                         const LLStrList *globs)
{
    if (ts_node_is_null(parent) || ll_syntax_kind(sem->syn, parent) != LL_K_DECORATED_DEF)
        return false;
    uint32_t c = ts_node_named_child_count(parent);
    for (uint32_t i = 0; i < c; i++) {
        TSNode d = ts_node_named_child(parent, i);
        if (ll_syntax_kind(sem->syn, d) != LL_K_DECORATOR)
            continue;
        TSNode e = ts_node_named_child(d, 0);
        if (!ts_node_is_null(e) && ll_syntax_kind(sem->syn, e) == LL_K_CALL)
            e = ll_syntax_field(sem->syn, e, LL_F_FUNCTION);
        if (expr_fits(sem, e, scope, globs))
            return true;
    }
    return false;
}

static bool class_base_fits(const LLSemantic *sem, uint32_t cls, const LLStrList *globs)
{
    LLNames bases = {0};
    ll_resolve_class_bases(sem, cls, &bases);
    for (uint32_t i = 0; i < bases.n; i++)
        if (ll_srcmodel_glob_any(globs, bases.name[i]))
            return true;
    return false;
}

static bool imports_fit(const LLSemantic *sem, const LLStrList *globs)
{
    for (size_t i = 0; i < sem->bindings.len; i++) {
        const LLBinding *b = &sem->bindings.items[i];
        if (b->kind == LL_BIND_IMPORT && b->scope == 0 && b->qual &&
            ll_srcmodel_glob_any(globs, b->qual))
            return true;
    }
    return false;
}

static bool text_fits(const LLSemantic *sem, TSNode n, const LLStrList *globs)
{
    char buf[LL_MAX_QUALNAME];
    size_t len;
    const char *t = ll_node_text(sem->src, n, &len);
    if (ts_node_is_null(n) || len >= sizeof buf)
        return false;
    memcpy(buf, t, len);
    buf[len] = '\0';
    return ll_srcmodel_glob_any(globs, buf);
}

static bool annotation_fits(const LLSemantic *sem, const LLBinding *bd, uint32_t outer,
                            const LLStrList *globs)
{
    TSNode type = ll_syntax_field(sem->syn, bd->value, LL_F_TYPE);
    if (ts_node_is_null(type))
        return false;
    TSNode t = ts_node_named_child(type, 0);
    return expr_fits(sem, ts_node_is_null(t) ? type : t, outer, globs);
}

/* The `what` of the first entry of `list` (LLParamSource[n]) that fits
 * the parameter binding, or NULL. */
static const char *param_fits(const LLParamSource *list, size_t n, const LLSemantic *sem,
                              const LLBinding *bd)
{
    if (!n || bd->kind != LL_BIND_PARAM)
        return NULL;
    const LLScope *fs = &sem->scopes.items[bd->scope];
    if (ll_syntax_kind(sem->syn, fs->node) != LL_K_FUNCTION_DEF)
        return NULL;
    bool is_first = !ts_node_is_null(fs->first_param) && same_node(fs->first_param, bd->target);
    uint32_t cls = ll_resolve_method_class(sem, bd->scope);
    if (cls != LL_NONE && is_first)
        return NULL; /* self */
    int index = ll_resolve_param_index(sem, bd);
    if (cls != LL_NONE && index > 0)
        index--; /* positions do not count self */
    TSNode fname = ll_syntax_field(sem->syn, fs->node, LL_F_NAME);
    TSNode fn_parent = fs->node, cls_parent = fs->node;
    bool fn_done = false, cls_done = false;
    for (size_t i = 0; i < n; i++) {
        const LLParamSource *p = &list[i];
        if (p->scope == LL_PARAM_METHOD && cls == LL_NONE)
            continue;
        if (p->scope == LL_PARAM_FUNCTION && (cls != LL_NONE || fs->parent != 0))
            continue;
        if (p->params.len && !text_fits(sem, bd->target, &p->params))
            continue;
        if (p->nindexes) {
            bool ok = false;
            for (uint32_t k = 0; k < p->nindexes; k++)
                ok |= p->indexes[k] == index;
            if (!ok)
                continue;
        }
        if (p->functions.len && !text_fits(sem, fname, &p->functions))
            continue;
        if (p->annotations.len && !annotation_fits(sem, bd, fs->parent, &p->annotations))
            continue;
        if (p->decorators.len &&
            !decorated_by(sem, parent_once(fs->node, &fn_parent, &fn_done), fs->parent, &p->decorators))
            continue;
        if (p->class_bases.len && (cls == LL_NONE || !class_base_fits(sem, cls, &p->class_bases)))
            continue;
        if (p->class_decorators.len &&
            (cls == LL_NONE ||
             !decorated_by(sem, parent_once(sem->scopes.items[cls].node, &cls_parent, &cls_done),
                           sem->scopes.items[cls].parent, &p->class_decorators)))
            continue;
        if (p->module_imports.len && !imports_fit(sem, &p->module_imports))
            continue;
        return p->what;
    }
    return NULL;
}

/* param_fits, once per binding of the file and list (which: 0 public, 1
 * private; the file's model is the same for all its queries) */
static const char *param_memo(const LLParamSource *list, size_t n, const LLSemantic *sem,
                              const LLBinding *bd, unsigned which)
{
    size_t i = (size_t)(bd - sem->bindings.items);
    if (!sem->param_state || bd < sem->bindings.items || i >= sem->bindings.len)
        return param_fits(list, n, sem, bd);
    size_t k = 2 * i + which;
    if (!sem->param_state[k]) {
        sem->param_what[k] = param_fits(list, n, sem, bd);
        sem->param_state[k] = 1;
    }
    return sem->param_what[k];
}

const char *ll_sources_param(const LLSourceModel *m, const LLSemantic *sem,
                             const LLBinding *bd)
{
    return param_memo(m->params.items, m->params.len, sem, bd, 0);
}

const char *ll_sources_private_param(const LLSourceModel *m, const LLSemantic *sem,
                                     const LLBinding *bd)
{
    return param_memo(m->private_params.items, m->private_params.len, sem, bd, 1);
}

static const char *self_fits(const LLSelfSource *list, size_t nlist, const LLSemantic *sem,
                             TSNode n, uint32_t scope)
{
    if (!nlist)
        return NULL;
    const LLSyntax *syn = sem->syn;
    TSNode attr_expr = n;
    if (ll_syntax_kind(syn, n) == LL_K_CALL)
        attr_expr = ll_syntax_field(syn, n, LL_F_FUNCTION);
    if (ts_node_is_null(attr_expr) || ll_syntax_kind(syn, attr_expr) != LL_K_ATTRIBUTE)
        return NULL;
    TSNode obj = ll_syntax_field(syn, attr_expr, LL_F_OBJECT);
    TSNode attr = ll_syntax_field(syn, attr_expr, LL_F_ATTRIBUTE);
    uint32_t cls;
    if (ts_node_is_null(obj) || ts_node_is_null(attr) ||
        !ll_resolve_is_self(sem, obj, scope, &cls))
        return NULL;
    size_t len;
    const char *t = ll_node_text(sem->src, attr, &len);
    for (size_t i = 0; i < nlist; i++) {
        const LLSelfSource *s = &list[i];
        if (in_list(&s->attributes, t, len) && class_base_fits(sem, cls, &s->class_bases))
            return s->what;
    }
    return NULL;
}

const char *ll_sources_self(const LLSourceModel *m, const LLSemantic *sem, TSNode n,
                            uint32_t scope)
{
    return self_fits(m->selfs.items, m->selfs.len, sem, n, scope);
}

const char *ll_sources_private_self(const LLSourceModel *m, const LLSemantic *sem, TSNode n,
                                    uint32_t scope)
{
    return self_fits(m->private_selfs.items, m->private_selfs.len, sem, n, scope);
}

/* ---- round trips and checks ------------------------------------------------- */

bool ll_sources_is_producer(const LLSourceModel *m, const char *name)
{
    return ll_srcmodel_glob_any(&m->producers, name);
}

bool ll_sources_is_private_name(const LLSourceModel *m, const char *name)
{
    return ll_srcmodel_glob_any(&m->private_names, name);
}

bool ll_sources_is_private_writer(const LLSourceModel *m, const char *name)
{
    return ll_srcmodel_glob_any(&m->private_writers, name);
}

TSNode ll_sources_call_arg(const LLSemantic *sem, TSNode call, int position, const char *keyword)
{
    const LLSyntax *syn = sem->syn;
    TSNode none = {0};
    TSNode args = ll_syntax_field(syn, call, LL_F_ARGUMENTS);
    if (ts_node_is_null(args) || ll_syntax_kind(syn, args) != LL_K_ARGUMENT_LIST)
        return none;
    size_t kwlen = keyword ? strlen(keyword) : 0;
    int idx = 0;
    TSNode positional = none;
    uint32_t c = ts_node_named_child_count(args);
    for (uint32_t i = 0; i < c; i++) {
        TSNode a = ts_node_named_child(args, i);
        LLKind k = ll_syntax_kind(syn, a);
        if (k == LL_K_KEYWORD_ARGUMENT) {
            size_t len;
            const char *t = ll_node_text(sem->src, ll_syntax_field(syn, a, LL_F_NAME), &len);
            if (keyword && len == kwlen && memcmp(t, keyword, len) == 0)
                return ll_syntax_field(syn, a, LL_F_VALUE);
        } else if (k == LL_K_LIST_SPLAT) {
            return positional; /* later positions are unknown */
        } else if (k != LL_K_DICT_SPLAT && k != LL_K_COMMENT && k != LL_K_LINE_CONTINUATION) {
            if (position >= 0 && idx == position)
                positional = a;
            idx++;
        }
    }
    return positional;
}

bool ll_sources_check_arg(const LLArgCheck *chk, const LLSemantic *sem, TSNode arg,
                          uint32_t scope)
{
    if (ts_node_is_null(arg))
        return false;
    LLValue v;
    ll_value_of(sem, arg, scope, &v);
    switch (chk->test) {
    case LL_ARGTEST_TRUE:
        return v.kind == LL_VAL_BOOL && v.num == 1;
    case LL_ARGTEST_CONSTANT:
        return (v.kind == LL_VAL_BOOL && v.num == 1) || v.kind == LL_VAL_NUMBER ||
               (v.kind == LL_VAL_STRING && v.len);
    case LL_ARGTEST_MATCHES: {
        if (v.kind != LL_VAL_STRING || !chk->re)
            return false;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(chk->re, NULL);
        if (!md)
            return false;
        int rc = pcre2_match(chk->re, (PCRE2_SPTR)v.str, v.len, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        return rc >= 0;
    }
    }
    return false;
}

/* The first check of `list` for call name `name` whose argument passes. */
static const LLArgCheck *first_check(const LLArgCheck *list, size_t n, const LLSemantic *sem,
                                     TSNode call, uint32_t scope, const char *name,
                                     TSNode *arg_out)
{
    for (size_t i = 0; i < n; i++) {
        const LLArgCheck *chk = &list[i];
        if (!ll_srcmodel_glob_any(&chk->calls, name))
            continue;
        TSNode arg = ll_sources_call_arg(sem, call, chk->position, chk->keyword);
        if (ll_sources_check_arg(chk, sem, arg, scope)) {
            if (arg_out)
                *arg_out = arg;
            return chk;
        }
    }
    return NULL;
}

const LLArgCheck *ll_sources_pinned(const LLSourceModel *m, const LLSemantic *sem, TSNode call,
                                    uint32_t scope, const char *name, TSNode *arg)
{
    return first_check(m->pins.items, m->pins.len, sem, call, scope, name, arg);
}

const LLArgCheck *ll_sources_remote(const LLSourceModel *m, const LLSemantic *sem, TSNode call,
                                    uint32_t scope, const char *name, TSNode *arg)
{
    return first_check(m->remote_inputs.items, m->remote_inputs.len, sem, call, scope, name, arg);
}

/* ---- the pre-filter -------------------------------------------------------- */

/* Adds a pre-filter view's names and literals (once each), and frees it. */
static void take_prefilter(LLSourcePrefilter *pf, LLNameSet *names, LLStrList *literals)
{
    for (size_t i = 0; i < pf->names.len; i++)
        ll_nameset_add(names, pf->names.items[i]);
    for (size_t i = 0; i < pf->literals.len; i++)
        if (!ll_strlist_has(literals, pf->literals.items[i]))
            ll_strlist_push(literals, pf->literals.items[i]);
    ll_srcmodel_prefilter_free(pf);
}

void ll_sources_prefilter(const LLSourceModel *m, LLNameSet *names, LLStrList *literals)
{
    LLSourcePrefilter pf;
    ll_srcmodel_prefilter(m, &pf);
    take_prefilter(&pf, names, literals);
}

void ll_sources_param_prefilter(const LLSourceModel *m, LLNameSet *names, LLStrList *literals)
{
    LLSourcePrefilter pf;
    ll_srcmodel_prefilter_params(m, &pf);
    take_prefilter(&pf, names, literals);
}

bool ll_sources_literal_in(const LLStrList *literals, const char *text, size_t len)
{
    for (size_t i = 0; i < literals->len; i++) {
        size_t n = strlen(literals->items[i]);
        if (!n || memmem(text, len, literals->items[i], n))
            return true;
    }
    return false;
}
