/* constraint.c - PEP 508 requirements, conda match specs, Poetry
 * constraints (constraint.h). */
#include "deps/constraint.h"

#include "base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LLStatus fail(LLVerError *err, LLStatus st, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static LLStatus fail(LLVerError *err, LLStatus st, size_t off, const char *fmt, ...)
{
    if (err) {
        err->offset = off;
        err->status = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* err's offset moved by `base` (an inner text's place in the outer one). */
static LLStatus shift(LLVerError *err, LLStatus st, size_t base)
{
    if (err && st != LL_OK)
        err->offset += base;
    return st;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* c is one of the characters of `set` (never NUL). */
static bool in_set(const char *set, char c)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static void trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && is_space(s[*b]))
        (*b)++;
    while (*e > *b && is_space(s[*e - 1]))
        (*e)--;
}

/* ------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------ */

bool ll_pkg_name_valid(const char *s, size_t len)
{
    if (!len || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

void ll_pkg_name_normalize(const char *s, size_t len, LLBuf *out)
{
    bool in_sep = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '-' || c == '_' || c == '.') {
            if (!in_sep)
                ll_buf_putc(out, '-');
            in_sep = true;
            continue;
        }
        in_sep = false;
        ll_buf_putc(out, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
    }
}

char *ll_pkg_name_dup(const char *s, size_t len)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_pkg_name_normalize(s, len, &b);
    return ll_buf_detach(&b);
}

/* ------------------------------------------------------------------------
 * PEP 508
 * ------------------------------------------------------------------------ */

void ll_req_free(LLReq *r)
{
    free(r->name);
    free(r->spec);
    free(r->url);
    free(r->marker);
    free(r->extras);
    ll_verset_free(&r->versions);
    memset(r, 0, sizeof *r);
}

LLStatus ll_req_parse(const char *s, size_t len, LLReq *out, LLVerError *err)
{
    ll_req_free(out);
    if (len > LL_REQ_MAX_TEXT)
        return fail(err, LL_ERR_LIMIT, 0, "requirement longer than LL_REQ_MAX_TEXT (%u bytes)",
                    LL_REQ_MAX_TEXT);
    size_t p = 0;
    while (p < len && is_space(s[p]))
        p++;
    size_t nb = p;
    while (p < len && (is_alnum(s[p]) || s[p] == '-' || s[p] == '_' || s[p] == '.'))
        p++;
    if (p == nb)
        return fail(err, LL_ERR_CONFIG, nb, "expected a package name");
    if (!is_alnum(s[nb]) || !is_alnum(s[p - 1]))
        return fail(err, LL_ERR_CONFIG, nb, "a package name starts and ends with a letter or digit");
    out->name = ll_pkg_name_dup(s + nb, p - nb);
    out->name_off = nb;
    LLStatus st = LL_OK;
    while (p < len && is_space(s[p]))
        p++;
    if (p < len && s[p] == '[') {
        size_t eb = ++p;
        while (p < len && s[p] != ']')
            p++;
        if (p == len) {
            st = fail(err, LL_ERR_CONFIG, eb - 1, "'[' of the extras is not closed");
            goto bad;
        }
        /* extras: names separated by commas */
        for (size_t q = eb; q < p; q++)
            if (!is_alnum(s[q]) && !in_set("-_., \t", s[q])) {
                st = fail(err, LL_ERR_CONFIG, q, "unexpected character in the extras");
                goto bad;
            }
        size_t xb = eb, xe = p;
        trim(s, &xb, &xe);
        out->extras = ll_xstrndup(s + xb, xe - xb);
        p++;
        while (p < len && is_space(s[p]))
            p++;
    }
    size_t sb = p, se = p;
    if (p < len && s[p] == '@') {
        p++;
        while (p < len && is_space(s[p]))
            p++;
        size_t ub = p;
        while (p < len && !is_space(s[p]))
            p++;
        if (p == ub) {
            st = fail(err, LL_ERR_CONFIG, ub, "expected a URL after '@'");
            goto bad;
        }
        out->url = ll_xstrndup(s + ub, p - ub);
        while (p < len && is_space(s[p]))
            p++;
        sb = se = p;
    } else if (p < len && s[p] == '(') {
        sb = ++p;
        while (p < len && s[p] != ')')
            p++;
        if (p == len) {
            st = fail(err, LL_ERR_CONFIG, sb - 1, "'(' of the version specifier is not closed");
            goto bad;
        }
        se = p++;
        while (p < len && is_space(s[p]))
            p++;
    } else {
        while (p < len && s[p] != ';')
            p++;
        se = p;
    }
    trim(s, &sb, &se);
    out->spec = ll_xstrndup(s + sb, se - sb);
    out->spec_off = sb;
    if (p < len) {
        if (s[p] != ';') {
            st = fail(err, LL_ERR_CONFIG, p, "unexpected text after the requirement (expected ';' and a marker)");
            goto bad;
        }
        size_t mb = p + 1, me = len;
        trim(s, &mb, &me);
        if (mb == me) {
            st = fail(err, LL_ERR_CONFIG, p, "expected an environment marker after ';'");
            goto bad;
        }
        out->marker = ll_xstrndup(s + mb, me - mb);
    }
    st = shift(err, ll_verset_parse(&out->versions, s + sb, se - sb, err), sb);
    if (st == LL_OK)
        return LL_OK;
bad:
    ll_req_free(out);
    return st;
}

/* ------------------------------------------------------------------------
 * Conda
 * ------------------------------------------------------------------------ */

void ll_conda_spec_free(LLCondaSpec *c)
{
    free(c->name);
    free(c->channel);
    free(c->version);
    free(c->build);
    free(c->problem);
    ll_verset_free(&c->versions);
    memset(c, 0, sizeof *c);
}

/* The set of the version prefix v (its release): v.* */
static void conda_prefix(LLVerSet *out, const LLVersion *v)
{
    LLSpecifier sp;
    memset(&sp, 0, sizeof sp);
    sp.op = LL_SPEC_EQ;
    sp.wildcard = true;
    sp.v.epoch = v->epoch;
    sp.v.nrelease = v->nrelease;
    memcpy(sp.v.release, v->release, sizeof sp.v.release);
    (void)ll_verset_from_specifier(out, &sp, NULL);
}

static bool release_only(const LLVersion *v)
{
    return v->pre_kind == LL_PRE_NONE && !v->has_post && !v->has_dev && !v->local[0];
}

/* One conda constraint s[b..e) (trimmed, no ',', '|', parentheses). */
/* *foreign is set when the failure is a conda version that PEP 440 cannot
 * read (1.1.1w, 9e): valid for conda, just not comparable here. */
static LLStatus conda_atom(const char *s, size_t b, size_t e, LLVerSet *out, LLVerError *err, bool *foreign)
{
    static const char *const ops[] = {"==", "!=", "<=", ">=", "~=", "<", ">", "=", NULL};
    const char *op = "";
    for (int i = 0; ops[i]; i++) {
        size_t n = strlen(ops[i]);
        if (e - b >= n && memcmp(s + b, ops[i], n) == 0) {
            op = ops[i];
            b += n;
            break;
        }
    }
    while (b < e && is_space(s[b]))
        b++;
    if (b == e)
        return fail(err, LL_ERR_CONFIG, b, "expected a version%s%s", op[0] ? " after " : "", op);
    bool star = false;
    if (s[e - 1] == '*') {
        star = true;
        e--;
        if (e > b && s[e - 1] == '.')
            e--;
        if (e == b) { /* "*" alone */
            if (op[0] && strcmp(op, "=") && strcmp(op, "==") && strcmp(op, ">="))
                return fail(err, LL_ERR_CONFIG, b, "'%s*' is not a version constraint", op);
            ll_verset_all(out);
            return LL_OK;
        }
    }
    for (size_t i = b; i < e; i++)
        if (s[i] == '*')
            return fail(err, LL_ERR_CONFIG, i, "a '*' is only allowed at the end of a conda version");
    LLVersion v;
    LLVerError verr;
    LLStatus st = ll_version_parse(s + b, e - b, &v, &verr);
    if (st != LL_OK) {
        /* foreign: made of conda's version characters, just not PEP 440 */
        bool chars = st == LL_ERR_CONFIG && is_alnum(s[b]);
        for (size_t i = b; chars && i < e; i++)
            chars = is_alnum(s[i]) || in_set("._+!", s[i]);
        *foreign = chars;
        return fail(err, st, b + verr.offset, "conda version \"%.*s\" is not a PEP 440 version: %s",
                    (int)(e - b), s + b, verr.msg);
    }
    LLVerCut lo, hi;
    memset(&lo, 0, sizeof lo);
    memset(&hi, 0, sizeof hi);
    lo.kind = LL_CUT_MIN;
    hi.kind = LL_CUT_MAX;
    bool fuzzy = star || strcmp(op, "=") == 0;
    if (!op[0] || !strcmp(op, "=") || !strcmp(op, "==") || !strcmp(op, "!=")) {
        if (fuzzy || (star && !strcmp(op, "=="))) {
            if (!release_only(&v))
                ll_verset_public(out, &v); /* "startswith" on a pre-release: its own versions */
            else
                conda_prefix(out, &v);
        } else {
            ll_verset_exact(out, &v);
        }
        if (!strcmp(op, "!="))
            ll_verset_complement(out, out);
        return LL_OK;
    }
    /* an ordered comparison: a trailing .* is dropped, as conda does */
    if (!strcmp(op, "~=")) {
        if (v.nrelease < 2)
            return fail(err, LL_ERR_CONFIG, b, "'~=' needs at least two release numbers");
        LLVersion p = v;
        p.nrelease--;
        conda_prefix(out, &p);
        LLVerSet ge = {0};
        lo.kind = LL_CUT_BEFORE;
        lo.v = v;
        ll_verset_between(&ge, &lo, &hi);
        ll_verset_intersect(out, out, &ge);
        ll_verset_free(&ge);
        return LL_OK;
    }
    if (!strcmp(op, "<")) {
        hi.kind = LL_CUT_BEFORE;
        hi.v = v;
    } else if (!strcmp(op, "<=")) {
        hi.kind = LL_CUT_AFTER;
        hi.v = v;
    } else if (!strcmp(op, ">")) {
        lo.kind = LL_CUT_AFTER;
        lo.v = v;
    } else { /* >= */
        lo.kind = LL_CUT_BEFORE;
        lo.v = v;
    }
    ll_verset_between(out, &lo, &hi);
    return LL_OK;
}

typedef struct CondaFrame {
    LLVerSet any;  /* union of the finished alternatives */
    LLVerSet all;  /* intersection of the current alternative's parts */
    bool started;  /* `all` holds at least one part */
    size_t open;   /* offset of its '(' */
} CondaFrame;

static void frame_add(CondaFrame *f, LLVerSet *part)
{
    if (!f->started)
        ll_verset_copy(&f->all, part);
    else
        ll_verset_intersect(&f->all, &f->all, part);
    f->started = true;
}

static void frame_or(CondaFrame *f)
{
    ll_verset_union(&f->any, &f->any, &f->all);
    ll_verset_free(&f->all);
    f->started = false;
}

static LLStatus conda_version(const char *s, size_t len, LLVerSet *out, LLVerError *err, bool *foreign)
{
    *foreign = false;
    if (len > LL_REQ_MAX_TEXT)
        return fail(err, LL_ERR_LIMIT, 0, "version spec longer than LL_REQ_MAX_TEXT (%u bytes)",
                    LL_REQ_MAX_TEXT);
    CondaFrame stack[LL_CONDA_MAX_NESTING + 1];
    memset(stack, 0, sizeof stack);
    size_t depth = 0;
    LLStatus st = LL_OK;
    bool want_atom = true;
    size_t p = 0;
    LLVerSet part = {0};
    size_t b = 0, e = len;
    trim(s, &b, &e);
    if (b == e) {
        ll_verset_all(out);
        return LL_OK;
    }
    p = b;
    while (p < e) {
        char c = s[p];
        if (is_space(c)) {
            p++;
            continue;
        }
        if (c == '(') {
            if (!want_atom) {
                st = fail(err, LL_ERR_CONFIG, p, "expected ',' or '|' before '('");
                goto done;
            }
            if (depth >= LL_CONDA_MAX_NESTING) {
                st = fail(err, LL_ERR_LIMIT, p, "parentheses nested deeper than LL_CONDA_MAX_NESTING (%u)",
                          LL_CONDA_MAX_NESTING);
                goto done;
            }
            depth++;
            memset(&stack[depth], 0, sizeof stack[depth]);
            stack[depth].open = p;
            p++;
            continue;
        }
        if (c == ')' || c == ',' || c == '|') {
            if (want_atom) {
                st = fail(err, LL_ERR_CONFIG, p, "expected a version constraint before '%c'", c);
                goto done;
            }
            if (c == ',') {
                want_atom = true;
            } else if (c == '|') {
                frame_or(&stack[depth]);
                want_atom = true;
                if (p + 1 < e && s[p + 1] == '|')
                    p++; /* "||" as "|" */
            } else {
                if (!depth) {
                    st = fail(err, LL_ERR_CONFIG, p, "')' without '('");
                    goto done;
                }
                frame_or(&stack[depth]);
                ll_verset_copy(&part, &stack[depth].any);
                ll_verset_free(&stack[depth].any);
                depth--;
                frame_add(&stack[depth], &part);
            }
            p++;
            continue;
        }
        if (!want_atom) {
            st = fail(err, LL_ERR_CONFIG, p, "expected ',' or '|' between two version constraints");
            goto done;
        }
        size_t ab = p;
        /* an operator may be followed by spaces before its version */
        while (p < e && in_set("=<>!~", s[p]))
            p++;
        while (p < e && is_space(s[p]))
            p++;
        while (p < e && !is_space(s[p]) && !in_set(",|()", s[p]))
            p++;
        st = conda_atom(s, ab, p, &part, err, foreign);
        if (st != LL_OK)
            goto done;
        frame_add(&stack[depth], &part);
        want_atom = false;
    }
    if (want_atom) {
        st = fail(err, LL_ERR_CONFIG, e, "expected a version constraint at the end");
        goto done;
    }
    if (depth) {
        st = fail(err, LL_ERR_CONFIG, stack[depth].open, "'(' is not closed");
        goto done;
    }
    frame_or(&stack[0]);
    ll_verset_free(out);
    *out = stack[0].any;
    memset(&stack[0].any, 0, sizeof stack[0].any);
done:
    for (size_t i = 0; i <= LL_CONDA_MAX_NESTING; i++) {
        ll_verset_free(&stack[i].any);
        ll_verset_free(&stack[i].all);
    }
    ll_verset_free(&part);
    if (st != LL_OK)
        ll_verset_free(out);
    return st;
}

LLStatus ll_conda_version_parse(const char *s, size_t len, LLVerSet *out, LLVerError *err)
{
    bool foreign;
    return conda_version(s, len, out, err, &foreign);
}

/* Unquoted value of a bracket key: s[*p..) up to ',' / ' ' / ']'; quotes
 * allowed. */
static bool bracket_value(const char *s, size_t *p, size_t e, size_t *vb, size_t *ve)
{
    if (*p < e && (s[*p] == '\'' || s[*p] == '"')) {
        char q = s[(*p)++];
        *vb = *p;
        while (*p < e && s[*p] != q)
            (*p)++;
        if (*p == e)
            return false;
        *ve = (*p)++;
        return true;
    }
    *vb = *p;
    while (*p < e && s[*p] != ',' && !is_space(s[*p]))
        (*p)++;
    *ve = *p;
    return true;
}

/* A '=' at i separates version and build (it is no operator's). */
static bool build_sep(const char *s, size_t b, size_t i, size_t e)
{
    if (i == b || in_set("<>!=~,|(", s[i - 1]))
        return false;
    return i + 1 < e && s[i + 1] != '=';
}

LLStatus ll_conda_spec_parse(const char *s, size_t len, LLCondaSpec *out, LLVerError *err)
{
    ll_conda_spec_free(out);
    if (len > LL_REQ_MAX_TEXT)
        return fail(err, LL_ERR_LIMIT, 0, "match spec longer than LL_REQ_MAX_TEXT (%u bytes)",
                    LL_REQ_MAX_TEXT);
    size_t b = 0, e = len;
    trim(s, &b, &e);
    if (b == e)
        return fail(err, LL_ERR_CONFIG, b, "empty match spec");
    LLStatus st = LL_OK;
    LLBuf ver;
    ll_buf_init(&ver);
    size_t ver_off = 0;
    char *bracket_version = NULL;
    size_t bracket_version_off = 0;
    /* name[key=value, ...] */
    if (s[e - 1] == ']') {
        size_t open = b;
        while (open < e && s[open] != '[')
            open++;
        if (open == e) {
            st = fail(err, LL_ERR_CONFIG, e - 1, "']' without '['");
            goto bad;
        }
        size_t p = open + 1, ke = e - 1;
        while (p < ke) {
            while (p < ke && (is_space(s[p]) || s[p] == ','))
                p++;
            if (p >= ke)
                break;
            size_t kb = p;
            while (p < ke && s[p] != '=' && !is_space(s[p]) && s[p] != ',')
                p++;
            if (p >= ke || s[p] != '=') {
                st = fail(err, LL_ERR_CONFIG, kb, "expected key=value inside the brackets");
                goto bad;
            }
            size_t klen = p - kb;
            p++;
            size_t vb, ve;
            if (!bracket_value(s, &p, ke, &vb, &ve)) {
                st = fail(err, LL_ERR_CONFIG, vb - 1, "quote not closed inside the brackets");
                goto bad;
            }
            if (klen == 7 && memcmp(s + kb, "version", 7) == 0) {
                free(bracket_version);
                bracket_version = ll_xstrndup(s + vb, ve - vb);
                bracket_version_off = vb;
            } else if ((klen == 5 && memcmp(s + kb, "build", 5) == 0) ||
                       (klen == 12 && memcmp(s + kb, "build_string", 12) == 0)) {
                free(out->build);
                out->build = ll_xstrndup(s + vb, ve - vb);
            } else if (klen == 7 && memcmp(s + kb, "channel", 7) == 0) {
                free(out->channel);
                out->channel = ll_xstrndup(s + vb, ve - vb);
            }
        }
        e = open;
        trim(s, &b, &e);
    }
    /* channel::name */
    for (size_t i = b; i + 1 < e; i++) {
        if (s[i] == ':' && s[i + 1] == ':') {
            if (!out->channel)
                out->channel = ll_xstrndup(s + b, i - b);
            b = i + 2;
            break;
        }
    }
    size_t nb = b, p = b;
    while (p < e && !is_space(s[p]) && !in_set("=<>!~", s[p]))
        p++;
    if (p == nb) {
        st = fail(err, LL_ERR_CONFIG, nb, "expected a package name");
        goto bad;
    }
    /* conda names may start or end with '_' (_libgcc_mutex): the name is
     * its part between the first and last letter or digit */
    size_t ab = nb, ae = p;
    while (ab < ae && !is_alnum(s[ab]))
        ab++;
    while (ae > ab && !is_alnum(s[ae - 1]))
        ae--;
    if (ab == ae || !ll_pkg_name_valid(s + ab, ae - ab)) {
        st = fail(err, LL_ERR_CONFIG, nb, "\"%.*s\" is not a package name", (int)(p - nb), s + nb);
        goto bad;
    }
    out->name = ll_pkg_name_dup(s + ab, ae - ab);
    out->name_end = p;
    /* version and build */
    if (p < e) {
        bool spaced = is_space(s[p]);
        while (p < e && is_space(s[p]))
            p++;
        size_t vb = p, ve = e;
        size_t bb = e, be = e; /* build */
        if (spaced) {
            /* "name VERSION [BUILD]": the last word is the build when the
             * words before it end a version */
            size_t lw = e;
            while (lw > vb && !is_space(s[lw - 1]))
                lw--;
            if (lw > vb) {
                size_t pe = lw;
                while (pe > vb && is_space(s[pe - 1]))
                    pe--;
                if (!in_set("=<>!~,|(", s[lw]) && !in_set("=<>!~,|(", s[pe - 1])) {
                    bb = lw;
                    ve = pe;
                }
            }
            if (bb == e) {
                /* "name =1.8 build" with an '=' before the build */
                for (size_t i = vb; i < e; i++)
                    if (s[i] == '=' && build_sep(s, vb, i, e)) {
                        ve = i;
                        bb = i + 1;
                        break;
                    }
            }
        } else {
            for (size_t i = vb; i < e; i++)
                if (s[i] == '=' && build_sep(s, vb, i, e)) {
                    ve = i;
                    bb = i + 1;
                    break;
                }
        }
        if (bb < be) {
            free(out->build);
            out->build = ll_xstrndup(s + bb, be - bb);
        }
        trim(s, &vb, &ve);
        /* "=1.8" is fuzzy (1.8.*) unless a build string follows: then exact */
        if (ve > vb && s[vb] == '=' && (ve - vb < 2 || s[vb + 1] != '=')) {
            size_t rb = vb + 1;
            bool plain = true;
            for (size_t i = rb; i < ve; i++)
                plain &= !in_set("<>!=~,|()*", s[i]) && !is_space(s[i]);
            if (plain && rb < ve) {
                ll_buf_append(&ver, s + rb, ve - rb);
                if (bb == e)
                    ll_buf_puts(&ver, ".*");
                ver_off = rb;
            } else {
                ll_buf_append(&ver, s + vb, ve - vb);
                ver_off = vb;
            }
        } else {
            /* spaces inside a spec (">=1.0 , < 2.0") are dropped */
            ver_off = vb;
            for (size_t i = vb; i < ve; i++)
                if (!is_space(s[i]))
                    ll_buf_putc(&ver, s[i]);
        }
    }
    if (bracket_version) { /* the brackets win */
        ll_buf_reset(&ver);
        ll_buf_puts(&ver, bracket_version);
        ver_off = bracket_version_off;
    }
    out->version = ll_xstrdup(ver.data);
    out->version_off = ver_off;
    bool foreign = false;
    LLVerError verr;
    memset(&verr, 0, sizeof verr);
    st = conda_version(ver.data, ver.len, &out->versions, &verr, &foreign);
    /* the offset is in the translated text: close to the original */
    verr.offset = ver_off + (verr.offset <= ver.len ? verr.offset : 0);
    if (st != LL_OK && foreign) {
        /* a conda version PEP 440 cannot read: the spec is fine, its versions unknown */
        out->pep440 = false;
        out->problem = ll_xstrdup(verr.msg);
        out->problem_off = verr.offset;
        ll_verset_all(&out->versions);
        st = LL_OK;
    } else if (st != LL_OK) {
        if (err)
            *err = verr;
        goto bad;
    } else {
        out->pep440 = true;
    }
    free(bracket_version);
    ll_buf_release(&ver);
    return LL_OK;
bad:
    free(bracket_version);
    ll_buf_release(&ver);
    ll_conda_spec_free(out);
    return st;
}

/* ------------------------------------------------------------------------
 * Poetry
 * ------------------------------------------------------------------------ */

/* >= lo and < hi (PEP 440's <: below hi's pre-releases). */
static void range_set(LLVerSet *out, const LLVersion *lo, const LLVersion *hi)
{
    LLSpecifier ge, lt;
    memset(&ge, 0, sizeof ge);
    memset(&lt, 0, sizeof lt);
    ge.op = LL_SPEC_GE;
    ge.v = *lo;
    lt.op = LL_SPEC_LT;
    lt.v = *hi;
    LLVerSet a = {0}, b = {0};
    (void)ll_verset_from_specifier(&a, &ge, NULL);
    (void)ll_verset_from_specifier(&b, &lt, NULL);
    ll_verset_intersect(out, &a, &b);
    ll_verset_free(&a);
    ll_verset_free(&b);
}

/* The release of v with part i increased and the parts after it dropped
 * (poetry's next_major / next_minor / next_patch: 1.2.3 -> 2, 1.3, 1.2.4). */
static LLVersion bump(const LLVersion *v, unsigned i)
{
    LLVersion r;
    memset(&r, 0, sizeof r);
    r.epoch = v->epoch;
    r.nrelease = (uint8_t)(i + 1);
    for (unsigned k = 0; k <= i; k++)
        r.release[k] = k < v->nrelease ? v->release[k] : 0;
    r.release[i]++;
    return r;
}

static LLStatus poetry_atom(const char *s, size_t ob, size_t oe, size_t vb, size_t ve, LLVerSet *out,
                            LLVerError *err)
{
    char op[3] = {0};
    memcpy(op, s + ob, oe - ob < 2 ? oe - ob : 2);
    /* any version: *, x, X, *.*, v* ... */
    size_t wb = vb;
    if (ve - wb > 1 && s[wb] == 'v')
        wb++;
    bool wild_all = true;
    for (size_t i = wb; i < ve; i++)
        wild_all &= ((i - wb) % 2 == 0) ? in_set("*xX", s[i]) : s[i] == '.';
    if (wild_all && (ve - wb) % 2 == 1) {
        if (op[0] && strcmp(op, "=") && strcmp(op, "==") && strcmp(op, ">="))
            return fail(err, LL_ERR_CONFIG, ob, "'%s*' is not a version constraint", op);
        ll_verset_all(out);
        return LL_OK;
    }
    bool wildcard = false;
    size_t e = ve;
    if (e - vb >= 2 && s[e - 2] == '.' && in_set("*xX", s[e - 1])) {
        wildcard = true;
        e -= 2;
    }
    LLSpecifier sp;
    memset(&sp, 0, sizeof sp);
    LLVerError verr;
    LLStatus st = ll_version_parse(s + vb, e - vb, &sp.v, &verr);
    if (st != LL_OK)
        return fail(err, st, vb + verr.offset, "%s", verr.msg);
    sp.wildcard = wildcard;
    sp.offset = ob;
    if (wildcard && (sp.v.pre_kind || sp.v.has_post || sp.v.has_dev || sp.v.local[0]))
        return fail(err, LL_ERR_CONFIG, vb, "a wildcard can only follow release numbers");
    if (!strcmp(op, "^")) {
        if (wildcard)
            return fail(err, LL_ERR_CONFIG, vb, "'^' cannot take a wildcard");
        unsigned i;
        if (sp.v.release[0] > 0 || sp.v.nrelease < 2)
            i = 0;
        else if (sp.v.release[1] > 0 || sp.v.nrelease < 3)
            i = 1;
        else
            i = 2;
        LLVersion hi = bump(&sp.v, i);
        range_set(out, &sp.v, &hi);
        return LL_OK;
    }
    if (!strcmp(op, "~")) {
        if (wildcard)
            return fail(err, LL_ERR_CONFIG, vb, "'~' cannot take a wildcard");
        LLVersion hi = bump(&sp.v, sp.v.nrelease == 1 ? 0 : 1);
        range_set(out, &sp.v, &hi);
        return LL_OK;
    }
    if (!op[0] || !strcmp(op, "=") || !strcmp(op, "=="))
        sp.op = LL_SPEC_EQ;
    else if (!strcmp(op, "!=") || !strcmp(op, "<>"))
        sp.op = LL_SPEC_NE;
    else if (!strcmp(op, "<="))
        sp.op = LL_SPEC_LE;
    else if (!strcmp(op, ">="))
        sp.op = LL_SPEC_GE;
    else if (!strcmp(op, "~="))
        sp.op = LL_SPEC_COMPATIBLE;
    else if (!strcmp(op, "<"))
        sp.op = LL_SPEC_LT;
    else if (!strcmp(op, ">"))
        sp.op = LL_SPEC_GT;
    else
        return fail(err, LL_ERR_CONFIG, ob, "unknown operator \"%s\"", op);
    if (wildcard && sp.op != LL_SPEC_EQ && sp.op != LL_SPEC_NE)
        return fail(err, LL_ERR_CONFIG, vb, "a wildcard is only allowed with == and !=");
    if (sp.op == LL_SPEC_COMPATIBLE && sp.v.nrelease < 2)
        return fail(err, LL_ERR_CONFIG, vb, "'~=' needs at least two release numbers");
    return ll_verset_from_specifier(out, &sp, err);
}

LLStatus ll_poetry_parse(const char *s, size_t len, LLVerSet *out, LLVerError *err)
{
    if (len > LL_REQ_MAX_TEXT)
        return fail(err, LL_ERR_LIMIT, 0, "constraint longer than LL_REQ_MAX_TEXT (%u bytes)",
                    LL_REQ_MAX_TEXT);
    static const char *const ops[] = {"~=", "==", "!=", "<>", "<=", ">=", "^", "~", "=", "<", ">", NULL};
    LLVerSet any = {0}, all = {0}, part = {0};
    bool started = false, want = true;
    size_t nalt_parts = 0;
    LLStatus st = LL_OK;
    size_t p = 0;
    size_t b = 0, e = len;
    trim(s, &b, &e);
    if (b == e) {
        st = fail(err, LL_ERR_CONFIG, 0, "empty version constraint (use \"*\" for any version)");
        goto done;
    }
    p = b;
    for (;;) {
        while (p < e && (is_space(s[p]) || s[p] == ','))
            p++;
        if (p >= e || s[p] == '|') {
            if (want) {
                st = fail(err, LL_ERR_CONFIG, p, "expected a version constraint%s",
                          p < e ? " before '|'" : "");
                goto done;
            }
            ll_verset_union(&any, &any, &all);
            ll_verset_free(&all);
            started = false;
            want = true;
            if (p >= e)
                break;
            p++;
            if (p < e && s[p] == '|')
                p++;
            continue;
        }
        size_t ob = p;
        for (int i = 0; ops[i]; i++) {
            size_t n = strlen(ops[i]);
            if (e - p >= n && memcmp(s + p, ops[i], n) == 0) {
                p += n;
                break;
            }
        }
        size_t oe = p;
        while (p < e && is_space(s[p]))
            p++;
        size_t vb = p;
        while (p < e && !is_space(s[p]) && s[p] != ',' && s[p] != '|')
            p++;
        if (p == vb) {
            st = fail(err, LL_ERR_CONFIG, vb, "expected a version after \"%.*s\"", (int)(oe - ob), s + ob);
            goto done;
        }
        st = poetry_atom(s, ob, oe, vb, p, &part, err);
        if (st != LL_OK)
            goto done;
        if (!started)
            ll_verset_copy(&all, &part);
        else
            ll_verset_intersect(&all, &all, &part);
        started = true;
        want = false;
        if (++nalt_parts > LL_VERSET_MAX_INTERVALS) {
            st = fail(err, LL_ERR_LIMIT, ob, "more than LL_VERSET_MAX_INTERVALS (%u) constraints",
                      LL_VERSET_MAX_INTERVALS);
            goto done;
        }
    }
    ll_verset_free(out);
    *out = any;
    memset(&any, 0, sizeof any);
done:
    ll_verset_free(&any);
    ll_verset_free(&all);
    ll_verset_free(&part);
    if (st != LL_OK)
        ll_verset_free(out);
    return st;
}
