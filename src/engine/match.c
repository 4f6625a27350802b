#include "engine/match.h"

#include "base/buf.h"
#include "base/mem.h"
#include "engine/project.h"
#include "engine/sources.h"
#include "engine/value.h"
#include "engine/verify.h"
#include "engine/versions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ll_match_init(LLMatcher *m, const LLRuleset *rules, uint32_t max_findings)
{
    memset(m, 0, sizeof *m);
    m->rules = rules;
    m->md = pcre2_match_data_create(16, NULL);
    m->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(m->mctx, LL_PCRE2_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, LL_PCRE2_DEPTH_LIMIT);
    m->max_findings = max_findings;
    m->rule_stamp = ll_xcalloc(rules->nrules + 1, sizeof *m->rule_stamp);
    ll_flow_init(&m->flow, &rules->sources);
    ll_strmap_init(&m->except_memo);
}

void ll_match_set_file_rules(LLMatcher *m, const uint8_t *mask, const LLSourceModel *model)
{
    m->mask = mask;
    m->flow.model = model;
}

void ll_match_set_fix_env(LLMatcher *m, const LLFixEnv *env)
{
    if (env)
        m->fix_env = *env;
    else
        memset(&m->fix_env, 0, sizeof m->fix_env);
}

void ll_match_set_versions(LLMatcher *m, struct LLVersions *v)
{
    m->versions = v;
}

/* fix.h's LLFixVersionFn with the matcher as context: the versions the
 * current file's project allows. */
static LLFixVersions fix_versions(void *ctx, const char *package, const char *versions)
{
    const LLMatcher *m = ctx;
    if (!m->files || m->file >= m->files->files.len)
        return LL_FIX_VERSIONS_UNKNOWN;
    return ll_versions_fix_check(m->versions, &m->files->files.items[m->file], package, versions);
}

static void pending_clear(LLMatcher *m)
{
    for (size_t i = 0; i < m->pending.len; i++)
        free(m->pending.items[i].message);
    m->pending.len = 0;
}

void ll_match_release(LLMatcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    ll_flow_release(&m->flow);
    pending_clear(m);
    LL_VEC_FREE(&m->pending);
    LL_VEC_FREE(&m->source_names_at);
    ll_identset_release(&m->source_lasts);
    free(m->rule_stamp);
    ll_strmap_release(&m->except_memo);
}

void ll_match_set_project(LLMatcher *m, const LLProject *project,
                          const LLFileList *files)
{
    m->project = project;
    m->flow.project = project;
    m->files = files;
}

void ll_match_set_sources(LLMatcher *m, const LLNameSet *sources,
                          const LLNameSet *returns)
{
    m->sources = sources;
    m->returns = returns;
}

/* Whether function scope `sc` may return untrusted data: one of its
 * parameters is a source of the model (a routed handler's), it is a method
 * of a class whose self attributes are sources, or its text names the last
 * segment of a source or of a function returning one (the file as a whole
 * was checked for the full names). */
static bool function_may_source(const LLMatcher *m, const LLSemantic *sem, uint32_t sc)
{
    if (!m->sources)
        return true;
    TSNode fn = sem->scopes.items[sc].node;
    const LLSourceModel *model = m->flow.model;
    if (model->params.len || model->selfs.len) {
        for (size_t i = 0; i < sem->bindings.len; i++) {
            const LLBinding *b = &sem->bindings.items[i];
            if (b->scope == sc && b->kind == LL_BIND_PARAM) {
                if (ll_sources_param(model, sem, b))
                    return true;
                if (model->selfs.len && ll_resolve_method_class(sem, sc) != LL_NONE)
                    return true;
            }
        }
    }
    uint32_t start = ts_node_start_byte(fn), end = ts_node_end_byte(fn);
    /* the offsets of such names in the file (found once per file) */
    const LLOffsets *at = &m->source_names_at;
    size_t lo = 0, hi = at->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at->items[mid] < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < at->len && at->items[lo] < end;
}

/* ---- arguments ----------------------------------------------------------- */

typedef enum ArgState { ARG_ABSENT, ARG_PRESENT, ARG_UNKNOWN } ArgState;

/* The arguments a rule sees: a call's argument list, or none (a reference
 * used as a value), or the rest of functools.partial's arguments. */
typedef struct Args {
    TSNode list; /* argument_list, or null */
    uint32_t skip; /* positional arguments to skip (partial's function) */
} Args;

typedef struct Site {
    LLMatcher *m;
    const LLSemantic *sem;
    TSNode node;  /* the call or reference */
    uint32_t scope;
    Args args;
    const char *callee;
    uint32_t file;
    LLFileResult *out;
    uint32_t *dropped;
    TSNode related; /* what a structural predicate found (in_except_of: the
                     * call of the `try` block); null when none */
} Site;

/* What `**x` (the dictionary_splat node) says about keyword `kw`: 1 and
 * its value when x is a dict display, or a name bound once to a dict display
 * or dict(...) call, holding it; 0 when such a literal does not hold it; -1
 * when x is anything else (it may hold any keyword). */
static int splat_keyword(const Site *s, TSNode splat, const char *kw, TSNode *val)
{
    const LLSyntax *syn = s->sem->syn;
    TSNode x = ts_node_named_child(splat, 0);
    for (unsigned hops = 0; !ts_node_is_null(x) && hops < LL_MAX_ALIAS_DEPTH; hops++) {
        LLKind k = ll_syntax_kind(syn, x);
        if (k == LL_K_IDENTIFIER) {
            size_t len;
            const char *t = ll_node_text(s->sem->src, x, &len);
            const LLBinding *bs[LL_MAX_ALTERNATIVES];
            uint32_t n = ll_resolve_lookup(s->sem, t, len, s->scope, ts_node_start_byte(x), bs,
                                           LL_MAX_ALTERNATIVES);
            if (n != 1 || bs[0]->kind != LL_BIND_ASSIGN || bs[0]->unpack >= 0)
                return -1;
            x = bs[0]->value;
            continue;
        }
        size_t kwlen = strlen(kw);
        if (k == LL_K_DICT) {
            uint32_t c = ts_node_named_child_count(x);
            for (uint32_t i = 0; i < c; i++) {
                TSNode p = ts_node_named_child(x, i);
                LLKind pk = ll_syntax_kind(syn, p);
                if (pk == LL_K_COMMENT || pk == LL_K_LINE_CONTINUATION)
                    continue;
                if (pk != LL_K_PAIR)
                    return -1; /* {**other}: anything */
                LLValue key;
                ll_value_of(s->sem, ll_syntax_field(syn, p, LL_F_KEY), s->scope, &key);
                if (key.kind != LL_VAL_STRING)
                    return -1;
                if (key.len == kwlen && memcmp(key.str, kw, kwlen) == 0) {
                    *val = ll_syntax_field(syn, p, LL_F_VALUE);
                    return 1;
                }
            }
            return 0;
        }
        if (k == LL_K_CALL) {
            LLNames fn = {0};
            ll_resolve_expr(s->sem, ll_syntax_field(syn, x, LL_F_FUNCTION), s->scope, &fn);
            if (fn.n != 1 || strcmp(fn.name[0], "dict") != 0)
                return -1;
            TSNode args = ll_syntax_field(syn, x, LL_F_ARGUMENTS);
            uint32_t c = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
            for (uint32_t i = 0; i < c; i++) {
                TSNode a = ts_node_named_child(args, i);
                LLKind ak = ll_syntax_kind(syn, a);
                if (ak == LL_K_COMMENT || ak == LL_K_LINE_CONTINUATION)
                    continue;
                if (ak != LL_K_KEYWORD_ARGUMENT)
                    return -1; /* dict(other, ...): anything */
                size_t nl;
                const char *nt = ll_node_text(s->sem->src, ll_syntax_field(syn, a, LL_F_NAME), &nl);
                if (nl == kwlen && memcmp(nt, kw, kwlen) == 0) {
                    *val = ll_syntax_field(syn, a, LL_F_VALUE);
                    return 1;
                }
            }
            return 0;
        }
        return -1;
    }
    return -1;
}

static ArgState find_arg(const Site *s, const LLArgSpec *spec, TSNode *out)
{
    const LLSyntax *syn = s->sem->syn;
    TSNode none = {0};
    *out = none;
    if (ts_node_is_null(s->args.list))
        return ARG_ABSENT;
    bool splat_pos = false, splat_kw = false;
    TSNode positional = none;
    uint32_t idx = 0;
    uint32_t c = ts_node_named_child_count(s->args.list);
    for (uint32_t i = 0; i < c; i++) {
        TSNode a = ts_node_named_child(s->args.list, i);
        LLKind k = ll_syntax_kind(syn, a);
        if (k == LL_K_KEYWORD_ARGUMENT) {
            if (!spec->keyword)
                continue;
            TSNode name = ll_syntax_field(syn, a, LL_F_NAME);
            size_t len;
            const char *t = ll_node_text(s->sem->src, name, &len);
            if (len == strlen(spec->keyword) && memcmp(t, spec->keyword, len) == 0) {
                *out = ll_syntax_field(syn, a, LL_F_VALUE);
                return ARG_PRESENT;
            }
        } else if (k == LL_K_DICT_SPLAT) {
            /* **{"trust_remote_code": True}, **REMOTE with REMOTE = dict(...):
             * what a literal holds is known */
            TSNode val;
            int known = spec->keyword ? splat_keyword(s, a, spec->keyword, &val) : -1;
            if (known == 1) {
                *out = val;
                return ARG_PRESENT;
            }
            if (known < 0)
                splat_kw = true;
        } else if (k == LL_K_LIST_SPLAT) {
            if (ts_node_is_null(positional))
                splat_pos = true;
        } else if (k != LL_K_COMMENT && k != LL_K_LINE_CONTINUATION) {
            if (!splat_pos && spec->position >= 0 &&
                idx == (uint32_t)spec->position + s->args.skip)
                positional = a;
            idx++;
        }
    }
    if (!ts_node_is_null(positional)) {
        *out = positional;
        return ARG_PRESENT;
    }
    /* **kwargs may hold any argument (by its name, even for a spec that
     * only knows the position); *args any later positional one */
    if (splat_kw || (splat_pos && spec->position >= 0))
        return ARG_UNKNOWN;
    return ARG_ABSENT;
}

static bool literal_equals(const LLValue *v, const LLLiteral *lit)
{
    switch (lit->kind) {
    case LL_LIT_STRING:
        return v->kind == LL_VAL_STRING && v->len == lit->len &&
               memcmp(v->str, lit->str, lit->len) == 0;
    case LL_LIT_NUMBER:
        return (v->kind == LL_VAL_NUMBER || v->kind == LL_VAL_BOOL) &&
               fabs(v->num - lit->num) < 1e-9;
    case LL_LIT_BOOL:
        return v->kind == LL_VAL_BOOL && v->num == lit->num;
    case LL_LIT_NONE:
        return v->kind == LL_VAL_NONE;
    }
    return false;
}

static bool names_intersect(const LLNames *names, char *const *list, size_t n)
{
    for (uint32_t i = 0; i < names->n; i++)
        for (size_t j = 0; j < n; j++)
            if (strcmp(names->name[i], list[j]) == 0)
                return true;
    return false;
}

static bool eval_one(Site *s, const LLPredicate *p);

static bool eval_predicate(Site *s, const LLPredicate *p)
{
    if (!p->any_of)
        return eval_one(s, p);
    for (unsigned t = 0; t < 32; t++) {
        if (!(p->any_of & (1u << t)))
            continue;
        LLPredicate one = *p;
        one.test = (LLTest)t;
        one.any_of = 0;
        if (eval_one(s, &one))
            return true;
    }
    return false;
}

/* ---- structure ------------------------------------------------------------ */

static bool eval_predicate(Site *s, const LLPredicate *p);

/* The first call of the `try` block of statement `try_node` (in the site's
 * scope) that predicate p accepts (one of its names, its inner predicates
 * holding): its index in sem->calls + 1, or 0. Found once per (try, p) and
 * file; calls are in source order (resolve.c's pre-order walk), so those
 * of the block are found by a binary search. */
static uint32_t try_block_call(Site *s, const LLPredicate *p, TSNode try_node)
{
    LLMatcher *m = s->m;
    const LLSemantic *sem = s->sem;
    const LLSyntax *syn = sem->syn;
    struct {
        uintptr_t pred;
        uint32_t start, scope;
    } key = {(uintptr_t)p, ts_node_start_byte(try_node), s->scope};
    intptr_t memo;
    if (ll_strmap_get(&m->except_memo, (const char *)&key, sizeof key, &memo))
        return (uint32_t)memo;
    uint32_t found = 0;
    TSNode body = ll_syntax_field(syn, try_node, LL_F_BODY);
    if (!ts_node_is_null(body)) {
        uint32_t lo = ts_node_start_byte(body), hi = ts_node_end_byte(body);
        size_t a = 0, b = sem->calls.len;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (ts_node_start_byte(sem->calls.items[mid].node) < lo)
                a = mid + 1;
            else
                b = mid;
        }
        Site t = *s;
        for (size_t i = a; i < sem->calls.len && !found; i++) {
            const LLCallSite *cs = &sem->calls.items[i];
            if (ts_node_start_byte(cs->node) >= hi)
                break;
            if (cs->scope != s->scope || ts_node_is_null(cs->fn))
                continue;
            LLNames names = {0};
            ll_resolve_expr(sem, cs->fn, cs->scope, &names);
            if (!names_intersect(&names, p->names, p->nnames))
                continue;
            t.node = cs->node;
            t.scope = cs->scope;
            t.args.list = cs->args;
            t.args.skip = 0;
            if (!ts_node_is_null(t.args.list) && ll_syntax_kind(syn, t.args.list) != LL_K_ARGUMENT_LIST) {
                TSNode null = {0};
                t.args.list = null;
            }
            bool ok = true;
            for (size_t k = 0; ok && k < p->ninner; k++)
                ok = eval_predicate(&t, &p->inner[k]);
            if (ok)
                found = (uint32_t)i + 1;
        }
    }
    char *k = ll_arena_alloc(sem->arena, sizeof key);
    memcpy(k, &key, sizeof key);
    ll_strmap_put(&m->except_memo, k, sizeof key, (intptr_t)found);
    return found;
}

/* in_except_of (ruleset.h): the site is a call in the block of an `except`
 * clause of a `try` whose block holds a call p accepts; s->related is that
 * call. */
static bool eval_in_except_of(Site *s, const LLPredicate *p)
{
    const LLSemantic *sem = s->sem;
    const LLSyntax *syn = sem->syn;
    if (ll_syntax_kind(syn, s->node) != LL_K_CALL)
        return false;
    TSNode child = s->node;
    unsigned steps = 0;
    for (TSNode n = ts_node_parent(child); !ts_node_is_null(n); child = n, n = ts_node_parent(n)) {
        if (++steps > LL_MAX_EXCEPT_ANCESTORS) {
            if (!s->m->except_limit_said) {
                s->m->except_limit_said = true;
                uint32_t line, col;
                ll_source_position(sem->src, ts_node_start_byte(s->node), &line, &col);
                ll_file_result_diag(s->out, s->file, LL_DIAG_WARNING, line, col,
                                    "this call is nested deeper than %u statements and expressions "
                                    "(LL_MAX_EXCEPT_ANCESTORS); whether it is in an `except` clause "
                                    "was not checked",
                                    LL_MAX_EXCEPT_ANCESTORS);
            }
            return false;
        }
        LLKind k = ll_syntax_kind(syn, n);
        if (k == LL_K_FUNCTION_DEF || k == LL_K_LAMBDA || k == LL_K_CLASS_DEF || k == LL_K_MODULE)
            return false; /* the `try` must be in the call's own function */
        if (k != LL_K_EXCEPT_CLAUSE || ll_syntax_kind(syn, child) != LL_K_BLOCK)
            continue;
        TSNode t = ts_node_parent(n);
        if (ts_node_is_null(t) || ll_syntax_kind(syn, t) != LL_K_TRY)
            continue;
        uint32_t idx = try_block_call(s, p, t);
        if (idx) {
            s->related = sem->calls.items[idx - 1].node;
            return true;
        }
    }
    return false;
}

static bool eval_one(Site *s, const LLPredicate *p)
{
    if (p->test == LL_TEST_IN_EXCEPT_OF)
        return eval_in_except_of(s, p);
    TSNode arg;
    ArgState st = find_arg(s, &p->arg, &arg);
    if (p->test == LL_TEST_PRESENT)
        return st == ARG_PRESENT;
    if (p->test == LL_TEST_ABSENT)
        return st == ARG_ABSENT;
    if (st != ARG_PRESENT)
        return false;
    LLValue v;
    switch (p->test) {
    case LL_TEST_TRUE:
    case LL_TEST_FALSE:
    case LL_TEST_NONE:
    case LL_TEST_TRUTHY:
    case LL_TEST_FALSY:
    case LL_TEST_EQUALS:
    case LL_TEST_MATCHES:
        ll_value_of(s->sem, arg, s->scope, &v);
        break;
    default:
        break;
    }
    switch (p->test) {
    case LL_TEST_TRUE:
        return v.kind == LL_VAL_BOOL && v.num == 1;
    case LL_TEST_FALSE:
        return v.kind == LL_VAL_BOOL && v.num == 0;
    case LL_TEST_NONE:
        return v.kind == LL_VAL_NONE;
    case LL_TEST_TRUTHY:
        return v.kind != LL_VAL_UNKNOWN && v.truthy;
    case LL_TEST_FALSY:
        return v.kind != LL_VAL_UNKNOWN && !v.truthy;
    case LL_TEST_EQUALS:
        for (size_t i = 0; i < p->nvalues; i++)
            if (literal_equals(&v, &p->values[i]))
                return true;
        return false;
    case LL_TEST_MATCHES: {
        if (v.kind != LL_VAL_STRING)
            return false;
        int rc = pcre2_match(p->re, (PCRE2_SPTR)v.str, v.len, 0, 0, s->m->md,
                             s->m->mctx);
        return rc >= 0;
    }
    case LL_TEST_RESOLVES_TO: {
        LLNames names = {0};
        ll_resolve_expr(s->sem, arg, s->scope, &names);
        return names_intersect(&names, p->names, p->nnames);
    }
    case LL_TEST_CONSTANT: {
        LLFlowResult fr;
        ll_flow_provenance(&s->m->flow, s->sem, arg, s->scope, &fr);
        return fr.prov == LL_PROV_CONSTANT;
    }
    default:
        return false;
    }
}

/* ---- findings -------------------------------------------------------------- */

static LLSpan span_of(const LLSemantic *sem, TSNode n)
{
    LLSpan sp;
    ll_source_position(sem->src, ts_node_start_byte(n), &sp.line, &sp.col);
    ll_source_position(sem->src, ts_node_end_byte(n), &sp.end_line, &sp.end_col);
    return sp;
}

static char *snippet_of(const LLSemantic *sem, uint32_t line)
{
    size_t len;
    const char *t = ll_source_line(sem->src, line, &len);
    while (len && (*t == ' ' || *t == '\t')) {
        t++;
        len--;
    }
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
        len--;
    if (len > LL_MAX_SNIPPET_BYTES) {
        len = LL_MAX_SNIPPET_BYTES;
        while (len && ((unsigned char)t[len] & 0xC0) == 0x80)
            len--; /* do not cut a UTF-8 sequence */
    }
    return ll_xstrndup(t, len);
}

typedef struct ArgTextCtx {
    Site *site;
    const LLRule *rule;
    char buf[LL_MAX_ARG_TEXT + 8];
} ArgTextCtx;

static const char *arg_text(void *vctx, const char *keyword)
{
    ArgTextCtx *c = vctx;
    const LLRule *r = c->rule;
    if (!keyword) { /* {related}: where the structural predicate's call is */
        if (ts_node_is_null(c->site->related))
            return "?";
        uint32_t line, col;
        ll_source_position(c->site->sem->src, ts_node_start_byte(c->site->related), &line, &col);
        snprintf(c->buf, sizeof c->buf, "line %u", line);
        return c->buf;
    }
    LLArgSpec spec = {-1, keyword};
    /* take the position from the rule's own spec for this keyword */
    for (size_t k = 0; k < r->nwhere + r->nunless + r->ninputs; k++) {
        const LLArgSpec *a =
            k < r->nwhere ? &r->where[k].arg
            : k < r->nwhere + r->nunless ? &r->unless[k - r->nwhere].arg
                                          : &r->inputs[k - r->nwhere - r->nunless];
        if (a->keyword && strcmp(a->keyword, keyword) == 0) {
            spec = *a;
            break;
        }
    }
    TSNode arg;
    ArgState st = find_arg(c->site, &spec, &arg);
    if (st == ARG_ABSENT)
        return "default";
    if (st == ARG_UNKNOWN)
        return "unknown (**kwargs)";
    LLNames names = {0};
    ll_resolve_expr(c->site->sem, arg, c->site->scope, &names);
    size_t len;
    const char *t = names.n ? names.name[0] : ll_node_text(c->site->sem->src, arg, &len);
    if (names.n)
        len = strlen(t);
    size_t n = 0;
    for (size_t i = 0; i < len && n < LL_MAX_ARG_TEXT; i++)
        c->buf[n++] = (t[i] == '\n' || t[i] == '\r' || t[i] == '\t') ? ' ' : t[i];
    if (len > LL_MAX_ARG_TEXT) {
        memcpy(c->buf + n, "...", 3);
        n += 3;
    }
    c->buf[n] = '\0';
    return c->buf;
}

static bool add_finding(Site *s, LLFinding *f)
{
    if (s->out->findings.len >= s->m->max_findings) {
        (*s->dropped)++;
        ll_finding_release(f);
        return false;
    }
    LL_VEC_PUSH(&s->out->findings, *f);
    return true;
}

/* Appends the steps of a local flow path to `steps` (file `file`). The
 * first step names the source when `source` is given. */
static void append_path(LLBufSteps *steps, const LLSemantic *sem, uint32_t file,
                        const LLFlowPath *path, const char *source)
{
    for (uint32_t i = 0; i < path->nsteps; i++) {
        LLStep st = {.file = file, .span = span_of(sem, path->steps[i].node)};
        LLBuf m;
        ll_buf_init(&m);
        size_t len;
        const char *t = ll_node_text(sem->src, path->steps[i].node, &len);
        if (len > LL_MAX_ARG_TEXT)
            len = LL_MAX_ARG_TEXT;
        if (i == 0 && source)
            ll_buf_printf(&m, "untrusted source %s", source);
        else if (path->steps[i].what)
            ll_buf_printf(&m, "%s: %.*s", path->steps[i].what, (int)len, t);
        else
            ll_buf_printf(&m, "flows into %.*s", (int)len, t);
        for (char *c = m.data; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
        st.message = ll_buf_detach(&m);
        LL_VEC_PUSH(steps, st);
    }
}

static void append_steps(LLBufSteps *steps, const LLStep *from, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        LLStep st = from[i];
        st.message = ll_xstrdup(from[i].message ? from[i].message : "");
        LL_VEC_PUSH(steps, st);
    }
}

static void append_step(LLBufSteps *steps, uint32_t file, LLSpan span, const char *msg)
{
    LLStep st = {.file = file, .span = span, .message = ll_xstrdup(msg)};
    LL_VEC_PUSH(steps, st);
}

/* The source-to-argument steps of an untrusted flow result: the other
 * file's return path first when the source is a summarised function. */
static void append_source_path(LLBufSteps *steps, const LLSemantic *sem, uint32_t file,
                               const LLFlowResult *fr)
{
    if (fr->via) {
        append_steps(steps, fr->via->return_steps, fr->via->nreturn_steps);
        append_path(steps, sem, file, &fr->path, NULL);
    } else {
        append_path(steps, sem, file, &fr->path, fr->source_name);
    }
}

static const char *source_line_text(const LLSemantic *sem, const LLFlowResult *fr,
                                    const LLProject *project, const LLFileList *files,
                                    char *buf, size_t bufsz)
{
    if (fr->via && fr->via->nreturn_steps) {
        const LLStep *st = &fr->via->return_steps[0];
        const char *path = files && st->file < files->files.len
                               ? files->files.items[st->file].display : "?";
        snprintf(buf, bufsz, "%s:%u", path, st->span.line);
    } else {
        LLSpan sp = span_of(sem, fr->source);
        snprintf(buf, bufsz, "line %u", sp.line);
    }
    (void)project;
    return buf;
}

/* Records that the loader input of finding `fi` may come from parameters
 * of the enclosing functions, for the function summaries. */
static void note_param_sinks(Site *s, uint32_t rule_id, size_t fi, const LLFlowResult *fr,
                             char *message)
{
    bool owned = false;
    for (uint32_t i = 0; i < fr->nparams; i++) {
        const LLFlowParam *fp = &fr->params[i];
        if (!s->sem->scopes.items[fp->scope].qualname)
            continue;
        LLPendingSink ps = {fp->scope, fp->index, rule_id, fi, fp->path,
                            owned ? ll_xstrdup(message) : message};
        owned = true;
        LL_VEC_PUSH(&s->m->pending, ps);
    }
    if (!owned)
        free(message);
}

/* The name pins and remote inputs are matched against: the callee, or
 * ".method" when only the method is known (so "*.from_pretrained" fits). */
static const char *check_name(const char *callee, char *buf, size_t bufsz)
{
    if (strchr(callee, '.'))
        return callee;
    snprintf(buf, bufsz, ".%s", callee);
    return buf;
}

/* "line N" of a node, into buf. */
static const char *line_of(const LLSemantic *sem, TSNode n, char *buf, size_t bufsz)
{
    LLSpan sp = span_of(sem, n);
    snprintf(buf, bufsz, "line %u", sp.line);
    return buf;
}

/* The value of a loader input when it is a string literal (through single
 * assignments), for the join with scanned model files; else NULL. */
static char *literal_input(const Site *s, TSNode arg)
{
    LLValue v;
    if (!ll_value_path(s->sem, arg, s->scope, &v) || !v.len || v.len > LL_MAX_PATH_BYTES)
        return NULL;
    return ll_xstrndup(v.str, v.len);
}

/* The name of the function a load is in when that function exists to
 * deserialize what its caller passes (srcmodel.h loader_apis: loadIO,
 * read_gpickle, __setstate__) and the load's input comes from its own
 * parameters, into a loader the rule flags whatever the options (no
 * `where` or `unless`: pickle, dill, joblib; a torch.load wrapper should
 * still pass weights_only=True, a from_pretrained one should not turn
 * trust_remote_code on). NULL otherwise. */
static const char *loader_api(const Site *s, const LLRule *r, const LLFlowResult *fr)
{
    const LLSourceModel *model = s->m->flow.model;
    if (r->nunless || r->nwhere || !model->loader_apis.len || fr->prov != LL_PROV_UNKNOWN ||
        !fr->nparams)
        return NULL;
    const LLScope *sc = &s->sem->scopes.items[s->scope];
    if (sc->kind != LL_SCOPE_FUNCTION ||
        ll_syntax_kind(s->sem->syn, sc->node) != LL_K_FUNCTION_DEF)
        return NULL;
    for (uint32_t i = 0; i < fr->nparams; i++)
        if (fr->params[i].scope != s->scope)
            return NULL;
    size_t len;
    const char *name = ll_node_text(s->sem->src, ll_syntax_field(s->sem->syn, sc->node, LL_F_NAME), &len);
    char buf[LL_MAX_QUALNAME];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), name);
    if (!ll_srcmodel_glob_any(&model->loader_apis, buf))
        return NULL;
    return ll_arena_strndup(s->sem->arena, buf, strlen(buf));
}

/* The fix of rule r at the site (fix.h), with the hash of the file's text
 * (computed once per file, for the first fix). */
static LLFix *fix_of(Site *s, const LLRule *r)
{
    LLMatcher *m = s->m;
    if (!m->fix_text_hash)
        m->fix_text_hash = ll_fix_text_hash(s->sem->src->text, s->sem->src->len);
    LLFixSite fs = {.sem = s->sem, .node = s->node, .scope = s->scope, .callee = s->callee,
                    .text_hash = m->fix_text_hash};
    LLFix *fix = ll_xmalloc(sizeof *fix);
    ll_fix_compute(&fs, r->fixes, r->nfixes, &m->fix_env, fix);
    return fix;
}

static void report_call(Site *s, uint32_t rule_id)
{
    const LLRule *r = &s->m->rules->rules[rule_id];
    const LLSourceModel *model = s->m->flow.model;
    LLFinding f;
    memset(&f, 0, sizeof f);
    f.file = s->file;
    f.rule = rule_id;
    f.span = span_of(s->sem, s->node);
    f.severity = r->severity;
    f.provenance = LL_PROV_UNKNOWN;

    LLFlowResult *worst = &s->m->worst, *fr = &s->m->scratch;
    memset(worst, 0, sizeof *worst);
    bool any_input = false;
    TSNode first_arg = {0};
    for (size_t i = 0; i < r->ninputs; i++) {
        TSNode arg;
        if (find_arg(s, &r->inputs[i], &arg) != ARG_PRESENT)
            continue;
        if (ts_node_is_null(first_arg))
            first_arg = arg;
        ll_flow_provenance(&s->m->flow, s->sem, arg, s->scope, fr);
        int rank = ll_provenance_rank(fr->prov), wrank = ll_provenance_rank(worst->prov);
        if (!any_input || rank > wrank || (fr->nparams && !worst->nparams && rank == wrank))
            *worst = *fr;
        any_input = true;
    }
    if (any_input)
        f.provenance = worst->prov;

    /* a constant naming remote content (a Hub repository, a URL) is
     * untrusted: whoever controls it controls what is loaded */
    bool is_call = ll_syntax_kind(s->sem->syn, s->node) == LL_K_CALL;
    char nbuf[LL_MAX_QUALNAME + 2];
    const char *cname = check_name(s->callee, nbuf, sizeof nbuf);
    const char *remote = NULL;
    TSNode remote_arg = {0};
    if (is_call && any_input && f.provenance != LL_PROV_UNTRUSTED) {
        const LLArgCheck *rc = ll_sources_remote(model, s->sem, s->node, s->scope, cname, &remote_arg);
        /* only when that argument is what the rule loads */
        bool loaded = false;
        for (size_t i = 0; rc && i < r->ninputs && !loaded; i++) {
            TSNode arg;
            loaded = find_arg(s, &r->inputs[i], &arg) == ARG_PRESENT && ts_node_eq(arg, remote_arg);
        }
        if (loaded) {
            remote = rc->says;
            f.provenance = LL_PROV_UNTRUSTED;
        }
    }
    /* pinned or verified: one step down, said in the message */
    const char *verified = NULL;
    TSNode verified_at = {0};
    if (f.provenance == LL_PROV_UNTRUSTED && !remote && worst->pinned) {
        verified = worst->pinned;
        verified_at = worst->pinned_node;
    }
    if (!verified && is_call && f.provenance != LL_PROV_SELF) {
        const LLArgCheck *pin = ll_sources_pinned(model, s->sem, s->node, s->scope, cname, &verified_at);
        if (pin)
            verified = pin->says;
    }
    if (!verified && any_input && f.provenance != LL_PROV_SELF && !ts_node_is_null(first_arg))
        verified = ll_verify_bytes(&s->m->flow, s->sem, first_arg, s->scope, &verified_at);
    /* a cache the function writes itself, a loader API: unknown inputs
     * that callers decide */
    const char *cache = NULL, *api = NULL;
    TSNode cache_at = {0};
    if (!verified && f.provenance == LL_PROV_UNKNOWN && !ts_node_is_null(first_arg))
        cache = ll_verify_cache(&s->m->flow, s->sem, first_arg, s->scope, &cache_at);
    if (!verified && !cache && any_input)
        api = loader_api(s, r, worst);

    if (r->has_provenance) {
        f.severity = r->provenance[f.provenance == LL_PROV_SELF ? LL_PROV_CONSTANT : f.provenance];
        f.graded = true;
    }
    if (verified || cache)
        f.severity = ll_severity_lower(f.severity);
    if (api)
        f.severity = LL_SEV_NOTE;

    ArgTextCtx atc = {.site = s, .rule = r};
    char *msg = ll_rule_format_message(r, s->callee, NULL, NULL, arg_text, &atc);
    char *base = ll_xstrdup(msg);
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, msg);
    free(msg);
    char where[LL_MAX_PATH_BYTES + 32];
    if (remote) {
        /* the value, even when the argument is a name bound to it */
        LLValue v;
        ll_value_of(s->sem, remote_arg, s->scope, &v);
        size_t len = v.kind == LL_VAL_STRING ? v.len : 0;
        ll_buf_printf(&b, "; its input is downloaded from the %s \"%.*s\" (%s)", remote,
                      (int)(len > LL_MAX_ARG_TEXT ? LL_MAX_ARG_TEXT : len), len ? v.str : "",
                      line_of(s->sem, remote_arg, where, sizeof where));
        f.source = ll_xstrdup(remote);
        LLBufSteps steps = {0};
        char m1[128];
        snprintf(m1, sizeof m1, "remote content: the %s", remote);
        append_step(&steps, s->file, span_of(s->sem, remote_arg), m1);
        char sink_msg[LL_MAX_QUALNAME + 16];
        snprintf(sink_msg, sizeof sink_msg, "reaches %s", s->callee);
        append_step(&steps, s->file, f.span, sink_msg);
        f.steps = steps.items;
        f.nsteps = (uint32_t)steps.len;
    } else if (f.provenance == LL_PROV_UNTRUSTED) {
        ll_buf_printf(&b, "; its input comes from untrusted %s (%s)", worst->source_name,
                      source_line_text(s->sem, worst, s->m->flow.project, s->m->files, where,
                                       sizeof where));
        f.source = ll_xstrdup(worst->source_name);
        LLBufSteps steps = {0};
        append_source_path(&steps, s->sem, s->file, worst);
        char sink_msg[LL_MAX_QUALNAME + 16];
        snprintf(sink_msg, sizeof sink_msg, "reaches %s", s->callee);
        append_step(&steps, s->file, f.span, sink_msg);
        f.steps = steps.items;
        f.nsteps = (uint32_t)steps.len;
    } else if (f.provenance == LL_PROV_SELF) {
        ll_buf_printf(&b, "; round trip: its input is data this code produced (%s, %s)",
                      worst->self_what,
                      line_of(s->sem, worst->self_node, where, sizeof where));
        f.suppressed = LL_SUPP_ROUND_TRIP;
    } else if (f.graded && f.provenance == LL_PROV_CONSTANT) {
        ll_buf_puts(&b, "; its input is a constant");
    }
    if (cache)
        ll_buf_printf(&b, "; graded one step down: %s", cache);
    if (api)
        ll_buf_printf(&b, "; a note: %s() exists to deserialize what its caller passes (a loader "
                          "API); callers that pass it untrusted data are reported where they call it",
                      api);
    if (verified) {
        ll_buf_printf(&b, "; graded one step down: %s", verified);
        if (!ts_node_is_null(verified_at) && !strstr(verified, "line "))
            ll_buf_printf(&b, " (%s)", line_of(s->sem, verified_at, where, sizeof where));
        f.verified = ll_xstrdup(verified);
    }
    f.message = ll_buf_detach(&b);
    f.callee = ll_xstrdup(s->callee);
    f.snippet = snippet_of(s->sem, f.span.line);
    if (!ts_node_is_null(first_arg) && f.provenance == LL_PROV_CONSTANT)
        f.input_literal = literal_input(s, first_arg);
    if (!ts_node_is_null(s->related)) {
        /* the call a structural predicate found (the safe load this one
         * falls back from): a related location */
        LLBufSteps steps = {.items = f.steps, .len = f.nsteps, .cap = f.nsteps};
        size_t len;
        const char *t = ll_node_text(s->sem->src, s->related, &len);
        LLBuf m;
        ll_buf_init(&m);
        ll_buf_printf(&m, "the call this one stands in for when it raises: %.*s",
                      (int)(len > LL_MAX_ARG_TEXT ? LL_MAX_ARG_TEXT : len), t);
        for (char *c = m.data; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
        f.steps_related = !f.nsteps; /* with a path from a source, one more step of it */
        append_step(&steps, s->file, span_of(s->sem, s->related), m.data);
        ll_buf_release(&m);
        f.steps = steps.items;
        f.nsteps = (uint32_t)steps.len;
    }
    if (r->nfixes)
        f.fix = fix_of(s, r);
    size_t fi = s->out->findings.len;
    if (add_finding(s, &f) && f.provenance == LL_PROV_UNKNOWN && r->has_provenance)
        note_param_sinks(s, rule_id, fi, worst, base);
    else
        free(base);
}

/* Offers the site to the rules of `ids` that apply to the file and have
 * not seen this site yet (a site may reach a rule through several of its
 * names; each rule judges it once). */
static void check_rules(Site *s, const LLRuleIds *ids)
{
    LLMatcher *m = s->m;
    for (uint32_t i = 0; i < ids->len; i++) {
        uint32_t id = ids->ids[i];
        if (m->rule_stamp[id] == m->site_stamp || (m->mask && !m->mask[id]))
            continue;
        m->rule_stamp[id] = m->site_stamp;
        const LLRule *r = &s->m->rules->rules[id];
        bool ok = true;
        TSNode null = {0};
        s->related = null;
        for (size_t k = 0; ok && k < r->nwhere; k++)
            ok = eval_predicate(s, &r->where[k]);
        TSNode related = s->related; /* the where's; an unless's is of no use */
        for (size_t k = 0; ok && k < r->nunless; k++)
            ok = !eval_predicate(s, &r->unless[k]);
        s->related = related;
        if (ok)
            report_call(s, id);
    }
}

static void match_site(Site *s, TSNode callee_expr, bool is_call, LLNames *cache)
{
    const LLRuleset *rs = s->m->rules;
    LLNames names = {0};
    ll_resolve_expr(s->sem, callee_expr, s->scope, &names);
    if (cache)
        *cache = names;
    /* a new site: no rule has judged it yet */
    if (++s->m->site_stamp == 0) {
        memset(s->m->rule_stamp, 0, (rs->nrules + 1) * sizeof *s->m->rule_stamp);
        s->m->site_stamp = 1;
    }
    for (uint32_t i = 0; i < names.n; i++) {
        intptr_t v;
        s->callee = names.name[i];
        if (ll_strmap_get(&rs->by_call, names.name[i], strlen(names.name[i]), &v))
            check_rules(s, (const LLRuleIds *)v);
        for (uint32_t k = 0; k < rs->regex_rules.len; k++) {
            uint32_t id = rs->regex_rules.ids[k];
            int rc = pcre2_match(rs->rules[id].call_re, (PCRE2_SPTR)names.name[i],
                                 strlen(names.name[i]), 0, 0, s->m->md, s->m->mctx);
            if (rc >= 0) {
                LLRuleIds one = {&id, 1};
                check_rules(s, &one);
            } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
                ll_file_result_diag(s->out, s->file, LL_DIAG_WARNING, 0, 0,
                                    "rule %s: call_regex hit the PCRE2 match limit on \"%s\"; not matched",
                                    rs->rules[id].code, names.name[i]);
            }
        }
    }
    const LLSyntax *syn = s->sem->syn;
    (void)is_call;
    if (rs->by_method.count &&
        ll_syntax_kind(syn, callee_expr) == LL_K_ATTRIBUTE) {
        TSNode attr = ll_syntax_field(syn, callee_expr, LL_F_ATTRIBUTE);
        size_t len;
        const char *t = ll_node_text(s->sem->src, attr, &len);
        intptr_t v;
        if (len && ll_strmap_get(&rs->by_method, t, len, &v)) {
            char *name = ll_arena_strndup(s->sem->arena, t, len);
            /* the message names the method as written: X.recv_pyobj */
            s->callee = names.n ? names.name[0] : name;
            check_rules(s, (const LLRuleIds *)v);
        }
    }
}

/* Whether `call` only inspects its arguments (a loader passed to it is
 * not called): isinstance, getattr, setattr, print, unittest's assertIs... */
static bool inspects(const LLSemantic *sem, TSNode call, uint32_t scope)
{
    static const char *const builtins[] = {"isinstance", "issubclass", "type", "id", "hasattr",
                                           "getattr", "setattr", "delattr", "print", "repr",
                                           "str", "callable", "vars", "dir", "len", "hash",
                                           "format", "inspect.getsource", "inspect.signature",
                                           "inspect.getmodule", "inspect.isfunction",
                                           "inspect.isclass", NULL};
    static const char *const methods[] = {"assertIs", "assertIsNot", "assertIsInstance",
                                          "assertNotIsInstance", "assertEqual", "assertNotEqual",
                                          "assertIn", "assertNotIn", NULL};
    TSNode fn = ll_syntax_field(sem->syn, call, LL_F_FUNCTION);
    if (ts_node_is_null(fn))
        return false;
    if (ll_syntax_kind(sem->syn, fn) == LL_K_ATTRIBUTE) {
        size_t len;
        const char *t = ll_node_text(sem->src, ll_syntax_field(sem->syn, fn, LL_F_ATTRIBUTE), &len);
        for (const char *const *m = methods; *m; m++)
            if (strlen(*m) == len && memcmp(*m, t, len) == 0)
                return true;
    }
    LLNames n = {0};
    ll_resolve_expr(sem, fn, scope, &n);
    for (uint32_t i = 0; i < n.n; i++)
        for (const char *const *b = builtins; *b; b++)
            if (strcmp(n.name[i], *b) == 0)
                return true;
    return false;
}

/* `name = staticmethod(ref)` (or classmethod) in a class body, and this
 * file calls the loader through the attribute (self.name(b), Cls.name(b):
 * resolve.h gives those calls the loader's names): those calls are the
 * findings, with their data. False when it is not called here (a base
 * class in another module calls self.name): then the reference is. */
static bool wrapped_and_called(const LLMatcher *m, const LLSemantic *sem, TSNode call, TSNode ref,
                               uint32_t scope)
{
    const LLSyntax *syn = sem->syn;
    TSNode fn = ll_syntax_field(syn, call, LL_F_FUNCTION);
    TSNode asg = ts_node_parent(call);
    if (ts_node_is_null(fn) || ts_node_is_null(asg) || ll_syntax_kind(syn, asg) != LL_K_ASSIGNMENT)
        return false;
    TSNode left = ll_syntax_field(syn, asg, LL_F_LEFT);
    if (ts_node_is_null(left) || ll_syntax_kind(syn, left) != LL_K_IDENTIFIER)
        return false;
    LLNames w = {0};
    ll_resolve_expr(sem, fn, scope, &w);
    bool wraps = false;
    for (uint32_t i = 0; i < w.n; i++)
        wraps |= strcmp(w.name[i], "staticmethod") == 0 || strcmp(w.name[i], "classmethod") == 0;
    if (!wraps)
        return false;
    size_t nl;
    const char *name = ll_node_text(sem->src, left, &nl);
    LLNames rn = {0};
    ll_resolve_expr(sem, ref, scope, &rn);
    for (size_t i = 0; i < sem->calls.len; i++) {
        TSNode cf = sem->calls.items[i].fn;
        if (ts_node_is_null(cf) || ll_syntax_kind(syn, cf) != LL_K_ATTRIBUTE)
            continue;
        size_t al;
        const char *attr = ll_node_text(sem->src, ll_syntax_field(syn, cf, LL_F_ATTRIBUTE), &al);
        if (al != nl || memcmp(attr, name, nl) != 0)
            continue;
        const LLNames *cn = &m->call_names[i];
        for (uint32_t a = 0; a < cn->n; a++)
            for (uint32_t b = 0; b < rn.n; b++)
                if (strcmp(cn->name[a], rn.name[b]) == 0)
                    return true;
    }
    return false;
}

/* Whether `scope` is a __reduce__ / __reduce_ex__ method. */
static bool in_reduce(const LLSemantic *sem, uint32_t scope)
{
    const LLScope *sc = &sem->scopes.items[scope];
    if (sc->kind != LL_SCOPE_FUNCTION || ll_syntax_kind(sem->syn, sc->node) != LL_K_FUNCTION_DEF)
        return false;
    size_t len;
    const char *name = ll_node_text(sem->src, ll_syntax_field(sem->syn, sc->node, LL_F_NAME), &len);
    return (len == 10 && memcmp(name, "__reduce__", 10) == 0) ||
           (len == 13 && memcmp(name, "__reduce_ex__", 13) == 0);
}

/* Whether a reference could name something a rule matches (cheap test
 * before looking at its surroundings). */
static bool may_match(const LLMatcher *m, const LLSemantic *sem, TSNode ref, uint32_t scope)
{
    const LLRuleset *rs = m->rules;
    if (rs->regex_rules.len)
        return true;
    if (rs->by_method.count && ll_syntax_kind(sem->syn, ref) == LL_K_ATTRIBUTE) {
        size_t len;
        const char *t = ll_node_text(sem->src, ll_syntax_field(sem->syn, ref, LL_F_ATTRIBUTE), &len);
        if (ll_strmap_get(&rs->by_method, t, len, NULL))
            return true;
    }
    LLNames names = {0};
    ll_resolve_expr(sem, ref, scope, &names);
    for (uint32_t i = 0; i < names.n; i++)
        if (ll_strmap_get(&rs->by_call, names.name[i], strlen(names.name[i]), NULL))
            return true;
    return false;
}

static void match_classes(LLMatcher *m, const LLSemantic *sem, uint32_t file,
                          LLFileResult *out, uint32_t *dropped)
{
    const LLRuleset *rs = m->rules;
    const LLSyntax *syn = sem->syn;
    Site s = {.m = m, .sem = sem, .file = file, .out = out, .dropped = dropped};
    for (size_t i = 0; i < sem->classes.len; i++) {
        TSNode cls = sem->classes.items[i].node;
        TSNode body = ll_syntax_field(syn, cls, LL_F_BODY);
        TSNode cname = ll_syntax_field(syn, cls, LL_F_NAME);
        if (ts_node_is_null(body) || ts_node_is_null(cname))
            continue;
        size_t clen;
        const char *ctext = ll_node_text(sem->src, cname, &clen);
        /* walk the body's statements with a cursor: ts_node_named_child(i)
         * would be quadratic in the size of the class */
        TSTreeCursor cur = ts_tree_cursor_new(body);
        bool more = ts_tree_cursor_goto_first_child(&cur);
        for (; more; more = ts_tree_cursor_goto_next_sibling(&cur)) {
            TSNode st = ts_tree_cursor_current_node(&cur);
            if (!ts_node_is_named(st))
                continue;
            LLKind k = ll_syntax_kind(syn, st);
            if (k == LL_K_DECORATED_DEF) {
                st = ll_syntax_field(syn, st, LL_F_DEFINITION);
                k = ll_syntax_kind(syn, st);
            }
            TSNode name = {0};
            if (k == LL_K_FUNCTION_DEF) {
                name = ll_syntax_field(syn, st, LL_F_NAME);
            } else if (k == LL_K_EXPR_STMT && ts_node_named_child_count(st) == 1) {
                TSNode a = ts_node_named_child(st, 0);
                if (ll_syntax_kind(syn, a) == LL_K_ASSIGNMENT)
                    name = ll_syntax_field(syn, a, LL_F_LEFT);
            }
            if (ts_node_is_null(name) || ll_syntax_kind(syn, name) != LL_K_IDENTIFIER)
                continue;
            size_t mlen;
            const char *mtext = ll_node_text(sem->src, name, &mlen);
            for (uint32_t r = 0; r < rs->class_rules.len; r++) {
                uint32_t id = rs->class_rules.ids[r];
                if (m->mask && !m->mask[id])
                    continue;
                const LLRule *rule = &rs->rules[id];
                for (size_t q = 0; q < rule->class_defines.len; q++) {
                    const char *want = rule->class_defines.items[q];
                    if (strlen(want) != mlen || memcmp(want, mtext, mlen) != 0)
                        continue;
                    LLFinding f;
                    memset(&f, 0, sizeof f);
                    f.file = file;
                    f.rule = id;
                    f.span = span_of(sem, name);
                    f.severity = rule->severity;
                    f.provenance = LL_PROV_UNKNOWN;
                    char *cn = ll_xstrndup(ctext, clen);
                    f.message = ll_rule_format_message(rule, NULL, cn, want, NULL, NULL);
                    f.callee = cn;
                    f.snippet = snippet_of(sem, f.span.line);
                    add_finding(&s, &f);
                }
            }
        }
        ts_tree_cursor_delete(&cur);
    }
}

/* ---- function summaries and calls into them -------------------------------- */

static char *param_name(const LLSemantic *sem, uint32_t fscope, uint32_t index)
{
    const LLBinding *best = NULL;
    for (size_t i = 0; i < sem->bindings.len; i++) {
        const LLBinding *b = &sem->bindings.items[i];
        if (b->scope == fscope && b->kind == LL_BIND_PARAM &&
            ll_resolve_param_index(sem, b) == (int)index) {
            best = b;
            break;
        }
    }
    if (!best)
        return ll_xstrdup("");
    size_t len;
    const char *t = ll_node_text(sem->src, best->target, &len);
    return ll_xstrndup(t, len);
}

static LLFuncSummary *summary_for(LLFileResult *out, const LLSemantic *sem,
                                  uint32_t fscope, uint32_t file)
{
    const char *q = sem->scopes.items[fscope].qualname;
    for (size_t i = 0; i < out->summaries.len; i++)
        if (strcmp(out->summaries.items[i]->name, q) == 0)
            return out->summaries.items[i];
    LLFuncSummary *fs = ll_xcalloc(1, sizeof *fs);
    fs->name = ll_xstrdup(q);
    fs->file = file;
    fs->method = ll_resolve_method_class(sem, fscope) != LL_NONE;
    LL_VEC_PUSH(&out->summaries, fs);
    return fs;
}

/* Adds a sink to a summary unless an equal one is there; true if added. */
static bool add_sink(LLFuncSummary *fs, const LLSemantic *sem, uint32_t fscope,
                     uint32_t param, uint32_t rule, uint32_t sink_file, LLSpan sink,
                     const char *callee, const char *snippet, const char *message,
                     LLBufSteps *steps)
{
    for (size_t i = 0; i < fs->sinks.len; i++) {
        const LLParamSink *k = &fs->sinks.items[i];
        if (k->param == param && k->rule == rule && k->file == sink_file &&
            k->sink.line == sink.line && k->sink.col == sink.col) {
            ll_steps_free(steps->items, (uint32_t)steps->len);
            return false;
        }
    }
    LLParamSink k = {.param = param, .param_name = param_name(sem, fscope, param),
                     .rule = rule, .file = sink_file, .sink = sink,
                     .callee = ll_xstrdup(callee), .snippet = ll_xstrdup(snippet),
                     .message = ll_xstrdup(message ? message : ""),
                     .steps = steps->items, .nsteps = (uint32_t)steps->len};
    LL_VEC_PUSH(&fs->sinks, k);
    return true;
}

/* Summaries from the loads this file found reachable from parameters, and
 * from what its functions return. */
static void summarise(LLMatcher *m, const LLSemantic *sem, uint32_t file, LLFileResult *out,
                      bool may_source)
{
    m->source_names_at.len = 0;
    if (may_source && m->sources) {
        ll_identset_clear(&m->source_lasts);
        ll_identset_add_keys(&m->source_lasts, &m->sources->lasts);
        if (m->returns)
            ll_identset_add_keys(&m->source_lasts, &m->returns->lasts);
        ll_text_identifier_offsets(sem->src->text, sem->src->len, &m->source_lasts,
                                   &m->source_names_at);
    }
    for (size_t i = 0; i < m->pending.len; i++) {
        const LLPendingSink *p = &m->pending.items[i];
        const LLFinding *f = &out->findings.items[p->finding];
        LLFuncSummary *fs = summary_for(out, sem, p->scope, file);
        LLBufSteps steps = {0};
        append_path(&steps, sem, file, &p->path, NULL);
        char msg[LL_MAX_QUALNAME + 16];
        snprintf(msg, sizeof msg, "reaches %s", f->callee);
        append_step(&steps, file, f->span, msg);
        add_sink(fs, sem, p->scope, p->param, p->rule, file, f->span, f->callee,
                 f->snippet, p->message, &steps);
    }
    for (uint32_t sc = 1; may_source && sc < sem->scopes.len; sc++) {
        const LLScope *scope = &sem->scopes.items[sc];
        if (scope->kind != LL_SCOPE_FUNCTION || !scope->qualname ||
            !sem->returns_count[sc] || !function_may_source(m, sem, sc))
            continue;
        bool untrusted = false;
        for (uint32_t k = 0; k < sem->returns_count[sc] && !untrusted; k++) {
            const LLSite *r = &sem->returns.items[sem->returns_by_scope[sem->returns_first[sc] + k]];
            TSNode v = ts_node_named_child(r->node, 0);
            if (ts_node_is_null(v))
                continue;
            LLFlowResult *fr = &m->scratch;
            ll_flow_provenance(&m->flow, sem, v, sc, fr);
            if (fr->prov != LL_PROV_UNTRUSTED)
                continue;
            untrusted = true;
            LLFuncSummary *fs = summary_for(out, sem, sc, file);
            if (fs->returns_source)
                break;
            fs->returns_source = ll_xstrdup(fr->source_name);
            LLBufSteps steps = {0};
            append_source_path(&steps, sem, file, fr);
            char msg[LL_MAX_QUALNAME + 16];
            snprintf(msg, sizeof msg, "returned by %s()", scope->qualname);
            append_step(&steps, file, span_of(sem, r->node), msg);
            fs->return_steps = steps.items;
            fs->nreturn_steps = (uint32_t)steps.len;
            break;
        }
        if (sc < m->flow.fn_memo_len)
            m->flow.fn_memo[sc] = untrusted ? LL_FN_UNTRUSTED : LL_FN_CLEAN;
    }
}

/* The summary a call's callee names, and whether the call passes self
 * implicitly (obj.method(...), self.method(...)). */
static const LLFuncSummary *callee_summary(const LLMatcher *m, const LLFileResult *out,
                                           const char *name, bool *bound)
{
    char q[LL_MAX_QUALNAME];
    *bound = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        const char *n = name;
        if (attempt == 1) {
            /* pkg.C().m -> pkg.C.m, called on an instance */
            if (!ll_resolve_unbind(name, q, sizeof q))
                break;
            n = q;
        }
        for (size_t i = 0; i < out->summaries.len; i++) {
            if (strcmp(out->summaries.items[i]->name, n) == 0) {
                *bound = attempt == 1;
                return out->summaries.items[i];
            }
        }
        const LLFuncSummary *fs = ll_project_find(m->project, n, m->file);
        if (fs) {
            *bound = attempt == 1;
            return fs;
        }
    }
    return NULL;
}

/* Whether `name` lives in another project file's module; sets *owner. */
static bool is_project_name(const LLMatcher *m, const char *name, uint32_t file,
                            uint32_t *owner)
{
    return m->project && ll_project_module_file(m->project, name, file, owner) && *owner != file;
}

/* Notes that the current file calls project function `name` (defined in
 * file `owner`); `returns`: data flow asked for its result. */
static void note_dep(LLFileResult *out, const char *name, uint32_t owner, bool returns)
{
    LLDep d = {.name = ll_strmap_hash(name, strlen(name)), .file = owner, .returns = returns};
    const char *paren = strstr(name, "().");
    if (paren) {
        char q[LL_MAX_QUALNAME];
        int n = snprintf(q, sizeof q, "%.*s.%s", (int)(paren - name), name, paren + 3);
        if (n > 0 && (size_t)n < sizeof q)
            d.method = ll_strmap_hash(q, (size_t)n);
    }
    for (size_t i = 0; i < out->deps.len; i++) {
        LLDep *o = &out->deps.items[i];
        if (o->name == d.name && o->file == d.file) {
            o->returns |= returns;
            return;
        }
    }
    LL_VEC_PUSH(&out->deps, d);
}

/* flow.h's on_lookup: a result the current file's data flow depends on */
static void note_lookup(void *ctx, const char *name)
{
    LLMatcher *m = ctx;
    uint32_t owner;
    if (m->out && is_project_name(m, name, m->file, &owner))
        note_dep(m->out, name, owner, true);
}

/* Calls to summarised functions: untrusted arguments give a finding at the
 * loader; arguments from the caller's own parameters make the caller a
 * sink too. Returns true when a summary gained a sink. */
static bool any_sinks(const LLMatcher *m, const LLFileResult *out)
{
    for (size_t i = 0; i < out->summaries.len; i++)
        if (out->summaries.items[i]->sinks.len)
            return true;
    return m->project && m->project->nsinks;
}

static bool match_summary_calls(LLMatcher *m, const LLSemantic *sem, uint32_t file,
                                LLFileResult *out, uint32_t *dropped, bool emit)
{
    const LLSyntax *syn = sem->syn;
    bool changed = false;
    bool sinks = any_sinks(m, out);
    if (!sinks && !emit)
        return false; /* nothing to derive; the emit pass still notes deps */
    Site s = {.m = m, .sem = sem, .file = file, .out = out, .dropped = dropped};
    for (size_t ci = 0; ci < sem->calls.len; ci++) {
        TSNode call = sem->calls.items[ci].node;
        TSNode fn = sem->calls.items[ci].fn;
        TSNode args = sem->calls.items[ci].args;
        if (ts_node_is_null(fn) || ts_node_is_null(args) ||
            ll_syntax_kind(syn, args) != LL_K_ARGUMENT_LIST)
            continue;
        const LLNames names = m->call_names[ci]; /* resolved by the first pass */
        s.scope = sem->calls.items[ci].scope;
        /* self.method(...) passes self implicitly (asked once a callee
         * has sinks) */
        int self_call = -1;
        for (uint32_t ni = 0; ni < names.n; ni++) {
            uint32_t owner;
            /* the calls' names are the same in every round: the last
             * (emit) notes them */
            if (emit && is_project_name(m, names.name[ni], file, &owner))
                note_dep(out, names.name[ni], owner, false);
            if (!sinks)
                continue;
            bool bound;
            const LLFuncSummary *fs = callee_summary(m, out, names.name[ni], &bound);
            if (!fs || !fs->sinks.len)
                continue;
            if (self_call < 0) {
                uint32_t cls;
                self_call = ll_syntax_kind(syn, fn) == LL_K_ATTRIBUTE &&
                            ll_resolve_is_self(sem, ll_syntax_field(syn, fn, LL_F_OBJECT), s.scope, &cls);
            }
            bound |= self_call > 0;
            s.node = call;
            s.args.list = args;
            s.args.skip = 0;
            size_t nsinks = fs->sinks.len;
            for (size_t k = 0; k < nsinks; k++) {
                const LLParamSink *sink = &fs->sinks.items[k];
                if (bound && sink->param == 0 && fs->method)
                    continue; /* self */
                LLArgSpec spec = {(int)sink->param - (bound && fs->method ? 1 : 0),
                                  sink->param_name && *sink->param_name ? sink->param_name : NULL};
                TSNode arg;
                if (find_arg(&s, &spec, &arg) != ARG_PRESENT)
                    continue;
                LLFlowResult *fr = &m->scratch;
                ll_flow_provenance(&m->flow, sem, arg, s.scope, fr);
                char via[LL_MAX_QUALNAME + 64];
                snprintf(via, sizeof via, "passed to %s() as %s", fs->name, sink->param_name);
                const LLRule *r = &m->rules->rules[sink->rule];
                if (fr->prov == LL_PROV_UNTRUSTED && r->has_provenance) {
                    if (!emit)
                        continue;
                    LLFinding f;
                    memset(&f, 0, sizeof f);
                    f.file = sink->file;
                    f.rule = sink->rule;
                    f.span = sink->sink;
                    f.provenance = LL_PROV_UNTRUSTED;
                    f.severity = r->provenance[LL_PROV_UNTRUSTED];
                    f.graded = true;
                    LLBuf b;
                    ll_buf_init(&b);
                    const char *msg = sink->message && *sink->message ? sink->message : r->summary;
                    char where[LL_MAX_PATH_BYTES + 32];
                    const char *caller = m->files && file < m->files->files.len
                                             ? m->files->files.items[file].display : "?";
                    snprintf(where, sizeof where, "%s:%u", caller, span_of(sem, call).line);
                    ll_buf_printf(&b, "%s; its input comes from untrusted %s through %s() (called at %s)",
                                  msg, fr->source_name, fs->name, where);
                    f.message = ll_buf_detach(&b);
                    f.callee = ll_xstrdup(sink->callee);
                    f.snippet = ll_xstrdup(sink->snippet);
                    f.source = ll_xstrdup(fr->source_name);
                    LLBufSteps steps = {0};
                    append_source_path(&steps, sem, file, fr);
                    append_step(&steps, file, span_of(sem, call), via);
                    append_steps(&steps, sink->steps, sink->nsteps);
                    f.steps = steps.items;
                    f.nsteps = (uint32_t)steps.len;
                    add_finding(&s, &f);
                } else {
                    for (uint32_t pi = 0; pi < fr->nparams; pi++) {
                        const LLFlowParam *fp = &fr->params[pi];
                        if (!sem->scopes.items[fp->scope].qualname)
                            continue;
                        LLFuncSummary *caller = summary_for(out, sem, fp->scope, file);
                        LLBufSteps steps = {0};
                        append_path(&steps, sem, file, &fp->path, NULL);
                        append_step(&steps, file, span_of(sem, call), via);
                        append_steps(&steps, sink->steps, sink->nsteps);
                        /* copy what add_sink needs: `sink` may move if
                         * caller == fs and its vector grows */
                        LLParamSink copy = *sink;
                        changed |= add_sink(caller, sem, fp->scope, fp->index, copy.rule,
                                            copy.file, copy.sink, copy.callee, copy.snippet,
                                            copy.message, &steps);
                        sink = &fs->sinks.items[k];
                    }
                }
            }
        }
    }
    return changed;
}

void ll_match_file(LLMatcher *m, const LLSemantic *sem, uint32_t file,
                   LLFileResult *out, bool may_source)
{
    pending_clear(m);
    m->fix_text_hash = 0;
    ll_strmap_clear(&m->except_memo);
    m->except_limit_said = false;
    if (m->versions) {
        m->fix_env.versions = fix_versions;
        m->fix_env.versions_ctx = m;
    }
    m->call_names = ll_arena_alloc(sem->arena, (sem->calls.len + 1) * sizeof *m->call_names);
    m->flow.fn_memo = ll_arena_alloc(sem->arena, sem->scopes.len + 1);
    m->flow.fn_memo_len = sem->scopes.len;
    m->flow.on_lookup = note_lookup;
    m->flow.on_lookup_ctx = m;
    m->out = out;
    m->file = file;
    m->flow.file = file;
    const LLSyntax *syn = sem->syn;
    uint32_t dropped = 0;
    Site s = {.m = m, .sem = sem, .file = file, .out = out, .dropped = &dropped};
    for (size_t i = 0; i < sem->calls.len; i++) {
        TSNode call = sem->calls.items[i].node;
        TSNode fn = sem->calls.items[i].fn;
        if (ts_node_is_null(fn))
            continue;
        s.node = call;
        s.scope = sem->calls.items[i].scope;
        s.args.list = sem->calls.items[i].args;
        s.args.skip = 0;
        if (!ts_node_is_null(s.args.list) &&
            ll_syntax_kind(syn, s.args.list) != LL_K_ARGUMENT_LIST) {
            TSNode null = {0};
            s.args.list = null; /* f(x for x in y): one generator argument */
        }
        match_site(&s, fn, true, &m->call_names[i]);
    }
    for (size_t i = 0; i < sem->refs.len; i++) {
        TSNode ref = sem->refs.items[i].node;
        s.node = ref;
        s.scope = sem->refs.items[i].scope;
        TSNode null = {0};
        s.args.list = null;
        s.args.skip = 0;
        if (!may_match(m, sem, ref, s.scope))
            continue;
        uint32_t cls;
        if (ll_syntax_kind(syn, ref) == LL_K_IDENTIFIER && ll_resolve_is_self(sem, ref, s.scope, &cls))
            continue; /* `self` in a loader class's own methods is the object, not a call */
        if (in_reduce(sem, s.scope))
            continue; /* (loads, (data,)) from __reduce__: how this object is rebuilt
                       * when the pickle holding it is loaded, which is the load */
        /* handed to a call: f(E, np.load, p, allow_pickle=True) calls the
         * loader with what follows it (functools.partial, pytest.raises,
         * executor.submit, map...); isinstance(x, C), getattr(m, "loads")
         * and the like only look at it */
        TSNode parent = ts_node_parent(ref);
        if (ll_syntax_kind(syn, parent) == LL_K_ARGUMENT_LIST) {
            TSNode call = ts_node_parent(parent);
            if (inspects(sem, call, s.scope) || wrapped_and_called(m, sem, call, ref, s.scope))
                continue;
            uint32_t c = ts_node_named_child_count(parent), pos = 0;
            bool splat = false;
            for (uint32_t k = 0; k < c; k++) {
                TSNode a = ts_node_named_child(parent, k);
                LLKind ak = ll_syntax_kind(syn, a);
                if (ak == LL_K_COMMENT || ak == LL_K_LINE_CONTINUATION ||
                    ak == LL_K_KEYWORD_ARGUMENT || ak == LL_K_DICT_SPLAT)
                    continue;
                if (ts_node_eq(a, ref))
                    break;
                splat |= ak == LL_K_LIST_SPLAT;
                pos++;
            }
            if (!splat) {
                s.args.list = parent;
                s.args.skip = pos + 1;
            }
        }
        match_site(&s, ref, false, NULL);
    }
    if (m->rules->class_rules.len)
        match_classes(m, sem, file, out, &dropped);
    summarise(m, sem, file, out, may_source);
    /* derived sinks to a fixpoint (bounded), then the findings */
    for (unsigned round = 0; round < LL_MAX_SUMMARY_ROUNDS; round++)
        if (!match_summary_calls(m, sem, file, out, &dropped, false))
            break;
    match_summary_calls(m, sem, file, out, &dropped, true);
    if (dropped)
        ll_file_result_diag(out, file, LL_DIAG_WARNING, 0, 0,
                            "%u more findings not reported: the limit is %u findings per file (--max-findings-per-file)",
                            dropped, m->max_findings);
    m->out = NULL;
}
