#include "engine/match.h"

#include "base/buf.h"
#include "base/mem.h"
#include "engine/value.h"

#include <math.h>
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
    ll_flow_init(&m->flow);
}

void ll_match_release(LLMatcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    ll_flow_release(&m->flow);
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
} Site;

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
            splat_kw = true;
        } else if (k == LL_K_LIST_SPLAT) {
            if (ts_node_is_null(positional))
                splat_pos = true;
        } else if (k != LL_K_COMMENT) {
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
    if ((splat_kw && spec->keyword) || (splat_pos && spec->position >= 0))
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

static bool eval_predicate(Site *s, const LLPredicate *p)
{
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

static void report_call(Site *s, uint32_t rule_id)
{
    const LLRule *r = &s->m->rules->rules[rule_id];
    LLFinding f;
    memset(&f, 0, sizeof f);
    f.file = s->file;
    f.rule = rule_id;
    f.span = span_of(s->sem, s->node);
    f.severity = r->severity;
    f.provenance = LL_PROV_UNKNOWN;

    LLFlowResult worst;
    memset(&worst, 0, sizeof worst);
    bool any_input = false;
    for (size_t i = 0; i < r->ninputs; i++) {
        TSNode arg;
        if (find_arg(s, &r->inputs[i], &arg) != ARG_PRESENT)
            continue;
        LLFlowResult fr;
        ll_flow_provenance(&s->m->flow, s->sem, arg, s->scope, &fr);
        if (!any_input || fr.prov > worst.prov)
            worst = fr;
        any_input = true;
    }
    if (any_input)
        f.provenance = worst.prov;
    if (r->has_provenance) {
        f.severity = r->provenance[f.provenance];
        f.graded = true;
    }

    ArgTextCtx atc = {.site = s, .rule = r};
    char *msg = ll_rule_format_message(r, s->callee, NULL, NULL, arg_text, &atc);
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, msg);
    free(msg);
    if (f.provenance == LL_PROV_UNTRUSTED && worst.nsteps) {
        LLSpan src = span_of(s->sem, worst.source);
        ll_buf_printf(&b, "; its input comes from untrusted %s (line %u)",
                      worst.source_name, src.line);
        f.source = ll_xstrdup(worst.source_name);
        f.steps = ll_xcalloc(worst.nsteps + 1, sizeof *f.steps);
        for (uint32_t i = 0; i < worst.nsteps; i++) {
            LLStep *st = &f.steps[f.nsteps++];
            st->span = span_of(s->sem, worst.steps[i].node);
            LLBuf m;
            ll_buf_init(&m);
            size_t len;
            const char *t = ll_node_text(s->sem->src, worst.steps[i].node, &len);
            if (len > LL_MAX_ARG_TEXT)
                len = LL_MAX_ARG_TEXT;
            if (i == 0)
                ll_buf_printf(&m, "untrusted source %s", worst.source_name);
            else if (worst.steps[i].what)
                ll_buf_printf(&m, "%s: %.*s", worst.steps[i].what, (int)len, t);
            else
                ll_buf_printf(&m, "flows into %.*s", (int)len, t);
            for (char *p = m.data; *p; p++)
                if (*p == '\n' || *p == '\r' || *p == '\t')
                    *p = ' ';
            st->message = ll_buf_detach(&m);
        }
        LLStep *sink = &f.steps[f.nsteps++];
        sink->span = f.span;
        LLBuf m;
        ll_buf_init(&m);
        ll_buf_printf(&m, "reaches %s", s->callee);
        sink->message = ll_buf_detach(&m);
    } else if (f.graded && f.provenance == LL_PROV_CONSTANT) {
        ll_buf_puts(&b, "; its input is a constant");
    }
    f.message = ll_buf_detach(&b);
    f.callee = ll_xstrdup(s->callee);
    f.snippet = snippet_of(s->sem, f.span.line);
    add_finding(s, &f);
}

static void check_rules(Site *s, const LLRuleIds *ids, uint32_t *done,
                        uint32_t *ndone)
{
    for (uint32_t i = 0; i < ids->len; i++) {
        uint32_t id = ids->ids[i];
        bool seen = false;
        for (uint32_t j = 0; j < *ndone; j++)
            seen |= done[j] == id;
        if (seen || *ndone >= 64)
            continue;
        done[(*ndone)++] = id;
        const LLRule *r = &s->m->rules->rules[id];
        bool ok = true;
        for (size_t k = 0; ok && k < r->nwhere; k++)
            ok = eval_predicate(s, &r->where[k]);
        for (size_t k = 0; ok && k < r->nunless; k++)
            ok = !eval_predicate(s, &r->unless[k]);
        if (ok)
            report_call(s, id);
    }
}

static void match_site(Site *s, TSNode callee_expr, bool is_call)
{
    const LLRuleset *rs = s->m->rules;
    LLNames names = {0};
    ll_resolve_expr(s->sem, callee_expr, s->scope, &names);
    uint32_t done[64];
    uint32_t ndone = 0;
    for (uint32_t i = 0; i < names.n; i++) {
        intptr_t v;
        s->callee = names.name[i];
        if (ll_strmap_get(&rs->by_call, names.name[i], strlen(names.name[i]), &v))
            check_rules(s, (const LLRuleIds *)v, done, &ndone);
        for (uint32_t k = 0; k < rs->regex_rules.len; k++) {
            uint32_t id = rs->regex_rules.ids[k];
            int rc = pcre2_match(rs->rules[id].call_re, (PCRE2_SPTR)names.name[i],
                                 strlen(names.name[i]), 0, 0, s->m->md, s->m->mctx);
            if (rc >= 0) {
                LLRuleIds one = {&id, 1};
                check_rules(s, &one, done, &ndone);
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
            check_rules(s, (const LLRuleIds *)v, done, &ndone);
        }
    }
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
        uint32_t c = ts_node_named_child_count(body);
        for (uint32_t j = 0; j < c; j++) {
            TSNode st = ts_node_named_child(body, j);
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
    }
}

void ll_match_file(LLMatcher *m, const LLSemantic *sem, uint32_t file,
                   LLFileResult *out)
{
    const LLSyntax *syn = sem->syn;
    uint32_t dropped = 0;
    Site s = {.m = m, .sem = sem, .file = file, .out = out, .dropped = &dropped};
    for (size_t i = 0; i < sem->calls.len; i++) {
        TSNode call = sem->calls.items[i].node;
        TSNode fn = ll_syntax_field(syn, call, LL_F_FUNCTION);
        if (ts_node_is_null(fn))
            continue;
        s.node = call;
        s.scope = sem->calls.items[i].scope;
        s.args.list = ll_syntax_field(syn, call, LL_F_ARGUMENTS);
        s.args.skip = 0;
        if (!ts_node_is_null(s.args.list) &&
            ll_syntax_kind(syn, s.args.list) != LL_K_ARGUMENT_LIST) {
            TSNode null = {0};
            s.args.list = null; /* f(x for x in y): one generator argument */
        }
        match_site(&s, fn, true);
    }
    for (size_t i = 0; i < sem->refs.len; i++) {
        TSNode ref = sem->refs.items[i].node;
        s.node = ref;
        s.scope = sem->refs.items[i].scope;
        TSNode null = {0};
        s.args.list = null;
        s.args.skip = 0;
        /* functools.partial(f, *args, **kw) calls f with those arguments */
        TSNode parent = ts_node_parent(ref);
        if (ll_syntax_kind(syn, parent) == LL_K_ARGUMENT_LIST &&
            ts_node_start_byte(ts_node_named_child(parent, 0)) == ts_node_start_byte(ref)) {
            TSNode call = ts_node_parent(parent);
            LLNames pn = {0};
            ll_resolve_expr(sem, ll_syntax_field(syn, call, LL_F_FUNCTION),
                            s.scope, &pn);
            for (uint32_t k = 0; k < pn.n; k++) {
                if (strcmp(pn.name[k], "functools.partial") == 0) {
                    s.args.list = parent;
                    s.args.skip = 1;
                }
            }
        }
        match_site(&s, ref, false);
    }
    if (m->rules->class_rules.len)
        match_classes(m, sem, file, out, &dropped);
    if (dropped)
        ll_file_result_diag(out, file, LL_DIAG_WARNING, 0, 0,
                            "%u more findings not reported: the limit is %u findings per file (--max-findings-per-file)",
                            dropped, m->max_findings);
}
