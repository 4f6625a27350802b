/* verset.c - version sets (pep440.h): cuts, intervals, set operations, and
 * the set of each specifier.
 *
 * Cuts are kept canonical, so that two cuts with no version between them
 * are the same cut: "above v and all its local versions" is written as
 * "before the version right after v" (v.devN -> v.dev(N+1), v.postN ->
 * v.post(N+1).dev0, v -> v.post0.dev0), and "above every post release of
 * R{a,b,rc}N" as "before R{a,b,rc}(N+1).dev0"; what has no next version
 * (above every R.*, just after v) stays as it is, and between it and any
 * other cut there is always some version. An interval lo < hi is then
 * never empty. */
#include "deps/pep440.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Cuts
 * ------------------------------------------------------------------------ */

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

/* Epoch and release only (trailing zeros do not count). */
static int cmp_er(const LLVersion *a, const LLVersion *b)
{
    int c = cmp_u64(a->epoch, b->epoch);
    if (c)
        return c;
    unsigned n = a->nrelease > b->nrelease ? a->nrelease : b->nrelease;
    for (unsigned i = 0; i < n; i++) {
        uint64_t x = i < a->nrelease ? a->release[i] : 0;
        uint64_t y = i < b->nrelease ? b->release[i] : 0;
        if (x != y)
            return cmp_u64(x, y);
    }
    return 0;
}

static LLVerCut cut_of(LLCutKind kind, const LLVersion *v)
{
    LLVerCut c;
    memset(&c, 0, sizeof c);
    c.kind = (uint8_t)kind;
    if (v)
        c.v = *v;
    return c;
}

static LLVersion public_of(const LLVersion *v)
{
    LLVersion p = *v;
    p.local[0] = '\0';
    return p;
}

/* Below every version of v's epoch and release: before R.dev0. */
static LLVersion release_floor(const LLVersion *v)
{
    LLVersion f;
    memset(&f, 0, sizeof f);
    f.epoch = v->epoch;
    f.nrelease = v->nrelease;
    memcpy(f.release, v->release, sizeof f.release);
    f.has_dev = true;
    return f;
}

/* Above v and every local version of v (v has no local label). */
static LLVerCut cut_after_locals(const LLVersion *v)
{
    LLVersion s = public_of(v);
    if (s.has_dev) {
        s.dev++;
    } else if (s.has_post) {
        s.post++;
        s.has_dev = true;
        s.dev = 0;
    } else {
        s.has_post = true;
        s.post = 0;
        s.has_dev = true;
        s.dev = 0;
    }
    return cut_of(LL_CUT_BEFORE, &s);
}

/* Above v (no post, no dev part), its post releases and local versions. */
static LLVerCut cut_above_posts(const LLVersion *v)
{
    if (v->pre_kind == LL_PRE_NONE) {
        LLVersion r = release_floor(v);
        r.has_dev = false;
        return cut_of(LL_CUT_ABOVE_RELEASE, &r);
    }
    LLVersion s = release_floor(v);
    s.pre_kind = v->pre_kind;
    s.pre = v->pre + 1;
    return cut_of(LL_CUT_BEFORE, &s);
}

int ll_vercut_cmp(const LLVerCut *a, const LLVerCut *b)
{
    if (a->kind == LL_CUT_MIN || b->kind == LL_CUT_MIN)
        return (a->kind == LL_CUT_MIN ? 0 : 1) - (b->kind == LL_CUT_MIN ? 0 : 1);
    if (a->kind == LL_CUT_MAX || b->kind == LL_CUT_MAX)
        return (a->kind == LL_CUT_MAX ? 1 : 0) - (b->kind == LL_CUT_MAX ? 1 : 0);
    bool ar = a->kind == LL_CUT_ABOVE_RELEASE, br = b->kind == LL_CUT_ABOVE_RELEASE;
    if (ar || br) {
        int c = cmp_er(&a->v, &b->v);
        if (c)
            return c;
        /* same release: "above every R" is above any cut at an R version */
        return (ar ? 1 : 0) - (br ? 1 : 0);
    }
    int c = ll_version_cmp(&a->v, &b->v);
    if (c)
        return c;
    return (int)a->kind - (int)b->kind; /* BEFORE < AFTER */
}

int ll_vercut_side(const LLVerCut *c, const LLVersion *v)
{
    switch ((LLCutKind)c->kind) {
    case LL_CUT_MIN:
        return 1;
    case LL_CUT_MAX:
        return -1;
    case LL_CUT_BEFORE:
        return ll_version_cmp(v, &c->v) >= 0 ? 1 : -1;
    case LL_CUT_AFTER:
        return ll_version_cmp(v, &c->v) > 0 ? 1 : -1;
    case LL_CUT_ABOVE_RELEASE:
        return cmp_er(v, &c->v) > 0 ? 1 : -1;
    }
    return -1;
}

/* ------------------------------------------------------------------------
 * Sets
 * ------------------------------------------------------------------------ */

typedef struct Builder {
    LLVerInterval *items;
    size_t len, cap;
} Builder;

/* Appends (lo, hi) to a list being built in ascending order, merging it
 * with the last interval when they meet; nothing when lo >= hi. */
static void push(Builder *b, const LLVerCut *lo, const LLVerCut *hi)
{
    if (ll_vercut_cmp(lo, hi) >= 0)
        return;
    if (b->len && ll_vercut_cmp(lo, &b->items[b->len - 1].hi) <= 0) {
        if (ll_vercut_cmp(hi, &b->items[b->len - 1].hi) > 0)
            b->items[b->len - 1].hi = *hi;
        return;
    }
    if (b->len == b->cap) {
        b->cap = ll_grow_cap(b->cap, b->len + 1);
        b->items = ll_xrealloc(b->items, b->cap * sizeof *b->items);
    }
    b->items[b->len].lo = *lo;
    b->items[b->len].hi = *hi;
    b->len++;
}

static void finish(LLVerSet *out, Builder *b)
{
    ll_verset_free(out);
    out->items = b->items;
    out->len = b->len;
}

void ll_verset_free(LLVerSet *s)
{
    free(s->items);
    s->items = NULL;
    s->len = 0;
}

void ll_verset_between(LLVerSet *out, const LLVerCut *lo, const LLVerCut *hi)
{
    Builder b = {0};
    push(&b, lo, hi);
    finish(out, &b);
}

void ll_verset_all(LLVerSet *out)
{
    LLVerCut lo = cut_of(LL_CUT_MIN, NULL), hi = cut_of(LL_CUT_MAX, NULL);
    ll_verset_between(out, &lo, &hi);
}

void ll_verset_none(LLVerSet *out)
{
    ll_verset_free(out);
}

void ll_verset_exact(LLVerSet *out, const LLVersion *v)
{
    LLVerCut lo = cut_of(LL_CUT_BEFORE, v), hi = cut_of(LL_CUT_AFTER, v);
    ll_verset_between(out, &lo, &hi);
}

void ll_verset_public(LLVerSet *out, const LLVersion *v)
{
    if (v->local[0]) {
        ll_verset_exact(out, v);
        return;
    }
    LLVerCut lo = cut_of(LL_CUT_BEFORE, v), hi = cut_after_locals(v);
    ll_verset_between(out, &lo, &hi);
}

void ll_verset_copy(LLVerSet *out, const LLVerSet *in)
{
    if (out == in)
        return;
    Builder b = {0};
    if (in->len) {
        b.items = ll_xmalloc(in->len * sizeof *b.items);
        memcpy(b.items, in->items, in->len * sizeof *b.items);
        b.len = b.cap = in->len;
    }
    finish(out, &b);
}

void ll_verset_intersect(LLVerSet *out, const LLVerSet *a, const LLVerSet *b)
{
    Builder r = {0};
    size_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        const LLVerInterval *x = &a->items[i], *y = &b->items[j];
        const LLVerCut *lo = ll_vercut_cmp(&x->lo, &y->lo) >= 0 ? &x->lo : &y->lo;
        const LLVerCut *hi = ll_vercut_cmp(&x->hi, &y->hi) <= 0 ? &x->hi : &y->hi;
        push(&r, lo, hi);
        if (ll_vercut_cmp(&x->hi, &y->hi) <= 0)
            i++;
        else
            j++;
    }
    finish(out, &r);
}

void ll_verset_union(LLVerSet *out, const LLVerSet *a, const LLVerSet *b)
{
    Builder r = {0};
    size_t i = 0, j = 0;
    while (i < a->len || j < b->len) {
        const LLVerInterval *next;
        if (j >= b->len || (i < a->len && ll_vercut_cmp(&a->items[i].lo, &b->items[j].lo) <= 0))
            next = &a->items[i++];
        else
            next = &b->items[j++];
        push(&r, &next->lo, &next->hi);
    }
    finish(out, &r);
}

void ll_verset_complement(LLVerSet *out, const LLVerSet *a)
{
    Builder r = {0};
    LLVerCut prev = cut_of(LL_CUT_MIN, NULL);
    for (size_t i = 0; i < a->len; i++) {
        push(&r, &prev, &a->items[i].lo);
        prev = a->items[i].hi;
    }
    LLVerCut max = cut_of(LL_CUT_MAX, NULL);
    push(&r, &prev, &max);
    finish(out, &r);
}

bool ll_verset_is_empty(const LLVerSet *s)
{
    return s->len == 0;
}

bool ll_verset_is_all(const LLVerSet *s)
{
    return s->len == 1 && s->items[0].lo.kind == LL_CUT_MIN && s->items[0].hi.kind == LL_CUT_MAX;
}

bool ll_verset_contains(const LLVerSet *s, const LLVersion *v)
{
    /* binary search on the upper cuts */
    size_t lo = 0, hi = s->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ll_vercut_side(&s->items[mid].hi, v) < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < s->len && ll_vercut_side(&s->items[lo].lo, v) > 0;
}

bool ll_verset_intersects(const LLVerSet *a, const LLVerSet *b)
{
    size_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        const LLVerInterval *x = &a->items[i], *y = &b->items[j];
        const LLVerCut *lo = ll_vercut_cmp(&x->lo, &y->lo) >= 0 ? &x->lo : &y->lo;
        const LLVerCut *hi = ll_vercut_cmp(&x->hi, &y->hi) <= 0 ? &x->hi : &y->hi;
        if (ll_vercut_cmp(lo, hi) < 0)
            return true;
        if (ll_vercut_cmp(&x->hi, &y->hi) <= 0)
            i++;
        else
            j++;
    }
    return false;
}

bool ll_verset_subset(const LLVerSet *a, const LLVerSet *b)
{
    LLVerSet nb = {0};
    ll_verset_complement(&nb, b);
    bool r = !ll_verset_intersects(a, &nb);
    ll_verset_free(&nb);
    return r;
}

bool ll_verset_equal(const LLVerSet *a, const LLVerSet *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++)
        if (ll_vercut_cmp(&a->items[i].lo, &b->items[i].lo) != 0 ||
            ll_vercut_cmp(&a->items[i].hi, &b->items[i].hi) != 0)
            return false;
    return true;
}

bool ll_verset_valid(const LLVerSet *s)
{
    for (size_t i = 0; i < s->len; i++) {
        const LLVerInterval *iv = &s->items[i];
        if (iv->lo.kind == LL_CUT_MAX || iv->hi.kind == LL_CUT_MIN)
            return false;
        if (ll_vercut_cmp(&iv->lo, &iv->hi) >= 0)
            return false;
        if (i + 1 < s->len && ll_vercut_cmp(&iv->hi, &s->items[i + 1].lo) >= 0)
            return false;
    }
    return true;
}

bool ll_verset_lowest(const LLVerSet *s, LLVerCut *out)
{
    if (!s->len)
        return false;
    *out = s->items[0].lo;
    return true;
}

bool ll_verset_highest(const LLVerSet *s, LLVerCut *out)
{
    if (!s->len)
        return false;
    *out = s->items[s->len - 1].hi;
    return true;
}

/* ------------------------------------------------------------------------
 * The set of a specifier
 * ------------------------------------------------------------------------ */

/* ==P.*: [P.dev0, P'.dev0) with P' = P with its last number + 1. */
static void prefix_set(LLVerSet *out, const LLVersion *prefix)
{
    LLVersion lo = release_floor(prefix);
    LLVersion hi = lo;
    hi.release[hi.nrelease - 1]++;
    LLVerCut a = cut_of(LL_CUT_BEFORE, &lo), b = cut_of(LL_CUT_BEFORE, &hi);
    ll_verset_between(out, &a, &b);
}

static LLStatus too_many(LLVerError *err, size_t off)
{
    if (err) {
        err->offset = off;
        err->status = LL_ERR_LIMIT;
        snprintf(err->msg, sizeof err->msg,
                 "the versions allowed make more than LL_VERSET_MAX_INTERVALS (%u) ranges",
                 LL_VERSET_MAX_INTERVALS);
    }
    return LL_ERR_LIMIT;
}

LLStatus ll_verset_from_specifier(LLVerSet *out, const LLSpecifier *sp, LLVerError *err)
{
    const LLVersion *V = &sp->v;
    LLVerCut min = cut_of(LL_CUT_MIN, NULL), max = cut_of(LL_CUT_MAX, NULL);
    switch (sp->op) {
    case LL_SPEC_EQ:
    case LL_SPEC_NE:
        if (sp->wildcard)
            prefix_set(out, V);
        else
            ll_verset_public(out, V);
        if (sp->op == LL_SPEC_NE)
            ll_verset_complement(out, out);
        return LL_OK;
    case LL_SPEC_LE: {
        LLVerCut hi = cut_after_locals(V);
        ll_verset_between(out, &min, &hi);
        return LL_OK;
    }
    case LL_SPEC_GE: {
        LLVerCut lo = cut_of(LL_CUT_BEFORE, V);
        ll_verset_between(out, &lo, &max);
        return LL_OK;
    }
    case LL_SPEC_LT: {
        LLVerCut hi;
        if (ll_version_is_prerelease(V)) {
            hi = cut_of(LL_CUT_BEFORE, V);
        } else { /* below V's own pre-releases: V.dev0 */
            LLVersion d = public_of(V);
            d.has_dev = true;
            d.dev = 0;
            hi = cut_of(LL_CUT_BEFORE, &d);
        }
        ll_verset_between(out, &min, &hi);
        return LL_OK;
    }
    case LL_SPEC_GT: {
        LLVerCut lo = (V->has_post || V->has_dev) ? cut_after_locals(V) : cut_above_posts(V);
        ll_verset_between(out, &lo, &max);
        return LL_OK;
    }
    case LL_SPEC_COMPATIBLE: {
        LLVersion prefix = *V;
        prefix.nrelease--;
        prefix.pre_kind = LL_PRE_NONE;
        prefix.has_post = prefix.has_dev = false;
        prefix.local[0] = '\0';
        LLVerSet ge = {0};
        LLVerCut lo = cut_of(LL_CUT_BEFORE, V);
        ll_verset_between(&ge, &lo, &max);
        prefix_set(out, &prefix);
        ll_verset_intersect(out, out, &ge);
        ll_verset_free(&ge);
        return LL_OK;
    }
    case LL_SPEC_ARBITRARY:
        if (!sp->text || ll_version_parse(sp->text, strlen(sp->text), &(LLVersion){0}, NULL) != LL_OK) {
            ll_verset_free(out);
            if (err) {
                err->offset = sp->offset;
                err->status = LL_ERR_CONFIG;
                snprintf(err->msg, sizeof err->msg,
                         "'===%s' is not a PEP 440 version: it can only be compared as text",
                         sp->text ? sp->text : "");
            }
            return LL_ERR_CONFIG;
        }
        ll_verset_exact(out, V);
        return LL_OK;
    }
    ll_verset_free(out);
    return LL_ERR_CONFIG;
}

LLStatus ll_verset_from_specset(LLVerSet *out, const LLSpecSet *s, LLVerError *err)
{
    LLVerSet acc = {0}, one = {0};
    ll_verset_all(&acc);
    for (size_t i = 0; i < s->len; i++) {
        LLStatus st = ll_verset_from_specifier(&one, &s->items[i], err);
        if (st != LL_OK) {
            ll_verset_free(&acc);
            ll_verset_free(&one);
            ll_verset_free(out);
            return st;
        }
        ll_verset_intersect(&acc, &acc, &one);
        if (acc.len > LL_VERSET_MAX_INTERVALS) {
            ll_verset_free(&acc);
            ll_verset_free(&one);
            ll_verset_free(out);
            return too_many(err, s->items[i].offset);
        }
    }
    ll_verset_free(&one);
    ll_verset_free(out);
    *out = acc;
    return LL_OK;
}

LLStatus ll_verset_parse(LLVerSet *out, const char *s, size_t len, LLVerError *err)
{
    LLSpecSet ss = {0};
    LLStatus st = ll_specset_parse(s, len, &ss, err);
    if (st == LL_OK)
        st = ll_verset_from_specset(out, &ss, err);
    else
        ll_verset_free(out);
    ll_specset_free(&ss);
    return st;
}

/* ------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------ */

/* v is R.dev0 (or R.postN.dev0): the lowest version of R (of R.postN). */
static bool is_floor(const LLVersion *v)
{
    return v->pre_kind == LL_PRE_NONE && v->has_dev && v->dev == 0 && !v->local[0];
}

static void put_release(const LLVersion *v, LLBuf *out)
{
    LLVersion r;
    memset(&r, 0, sizeof r);
    r.epoch = v->epoch;
    r.nrelease = v->nrelease;
    memcpy(r.release, v->release, sizeof r.release);
    ll_version_format(&r, out);
}

void ll_vercut_format(const LLVerCut *c, bool lower, LLBuf *out)
{
    switch ((LLCutKind)c->kind) {
    case LL_CUT_MIN:
        ll_buf_puts(out, lower ? ">=0.dev0" : "<0.dev0");
        return;
    case LL_CUT_MAX:
        ll_buf_puts(out, lower ? "> any version" : "<= any version");
        return;
    case LL_CUT_ABOVE_RELEASE:
        ll_buf_puts(out, lower ? ">" : "<=");
        put_release(&c->v, out);
        if (!lower)
            ll_buf_puts(out, ".*");
        return;
    case LL_CUT_BEFORE:
        if (lower) {
            ll_buf_puts(out, ">=");
            ll_version_format(&c->v, out);
        } else if (is_floor(&c->v) && c->v.has_post && c->v.post == 0) {
            LLVersion p = c->v; /* below X.post0.dev0: X and its local versions */
            p.has_post = p.has_dev = false;
            ll_buf_puts(out, "<=");
            ll_version_format(&p, out);
        } else if (is_floor(&c->v)) {
            LLVersion p = c->v;
            p.has_dev = false; /* <R excludes R's pre-releases: below R.dev0 */
            ll_buf_puts(out, "<");
            ll_version_format(&p, out);
        } else {
            ll_buf_puts(out, "<");
            ll_version_format(&c->v, out);
        }
        return;
    case LL_CUT_AFTER:
        ll_buf_puts(out, lower ? ">" : "<=");
        ll_version_format(&c->v, out);
        return;
    }
}

static void format_interval(const LLVerInterval *iv, LLBuf *out)
{
    const LLVerCut *lo = &iv->lo, *hi = &iv->hi;
    if (lo->kind == LL_CUT_BEFORE && hi->kind == LL_CUT_AFTER &&
        ll_version_cmp(&lo->v, &hi->v) == 0) {
        ll_buf_puts(out, lo->v.local[0] ? "==" : "===");
        ll_version_format(&lo->v, out);
        return;
    }
    if (lo->kind == LL_CUT_BEFORE && hi->kind == LL_CUT_BEFORE && !lo->v.local[0]) {
        LLVerCut next = cut_after_locals(&lo->v);
        if (ll_vercut_cmp(&next, hi) == 0) {
            ll_buf_puts(out, "==");
            ll_version_format(&lo->v, out);
            return;
        }
        /* ==P.* */
        const LLVersion *a = &lo->v, *b = &hi->v;
        if (is_floor(a) && is_floor(b) && !a->has_post && !b->has_post && a->epoch == b->epoch &&
            a->nrelease == b->nrelease &&
            memcmp(a->release, b->release, (a->nrelease - 1u) * sizeof a->release[0]) == 0 &&
            b->release[b->nrelease - 1] == a->release[a->nrelease - 1] + 1) {
            ll_buf_puts(out, "==");
            put_release(a, out);
            ll_buf_puts(out, ".*");
            return;
        }
    }
    bool any = false;
    if (lo->kind != LL_CUT_MIN) {
        ll_vercut_format(lo, true, out);
        any = true;
    }
    if (hi->kind != LL_CUT_MAX) {
        if (any)
            ll_buf_puts(out, ", ");
        ll_vercut_format(hi, false, out);
    }
}

void ll_verset_format(const LLVerSet *s, LLBuf *out)
{
    if (!s->len) {
        ll_buf_puts(out, "no version");
        return;
    }
    if (ll_verset_is_all(s)) {
        ll_buf_puts(out, "any version");
        return;
    }
    for (size_t i = 0; i < s->len; i++) {
        if (i)
            ll_buf_puts(out, " || ");
        format_interval(&s->items[i], out);
    }
}
