/* pep440.c - versions and specifiers (pep440.h); version sets are in
 * verset.c. */
#include "deps/pep440.h"

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

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

/* ------------------------------------------------------------------------
 * Parsing a version
 * ------------------------------------------------------------------------ */

typedef struct Scan {
    const char *s;
    size_t pos, end;
    LLVerError *err;
    LLStatus st;
} Scan;

/* Digits at the cursor into *out; false (no digits) leaves the cursor. */
static bool number(Scan *sc, uint64_t *out)
{
    size_t p = sc->pos;
    if (p >= sc->end || !is_digit(sc->s[p]))
        return false;
    uint64_t n = 0;
    while (p < sc->end && is_digit(sc->s[p])) {
        unsigned d = (unsigned)(sc->s[p] - '0');
        if (n > (LL_PEP440_MAX_NUMBER - d) / 10) {
            if (sc->st == LL_OK)
                sc->st = fail(sc->err, LL_ERR_LIMIT, sc->pos,
                              "number larger than LL_PEP440_MAX_NUMBER (%llu)",
                              (unsigned long long)LL_PEP440_MAX_NUMBER);
            n = LL_PEP440_MAX_NUMBER;
        } else {
            n = n * 10 + d;
        }
        p++;
    }
    sc->pos = p;
    *out = n;
    return true;
}

/* Case-insensitive word at the cursor (advances on a match). */
static bool word(Scan *sc, const char *w)
{
    size_t n = strlen(w);
    if (sc->end - sc->pos < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(sc->s[sc->pos + i]) != w[i])
            return false;
    sc->pos += n;
    return true;
}

static void opt_sep(Scan *sc)
{
    if (sc->pos < sc->end && is_sep(sc->s[sc->pos]))
        sc->pos++;
}

/* [-_.]? label [-_.]? N? for the first label of `labels` that matches
 * (tried in order, as the PEP's regular expression does); *which is its
 * index. Leaves the cursor when none matches. */
static bool labelled(Scan *sc, const char *const *labels, int *which, uint64_t *num, bool *has_num)
{
    size_t save = sc->pos;
    opt_sep(sc);
    for (int i = 0; labels[i]; i++) {
        if (word(sc, labels[i])) {
            *which = i;
            opt_sep(sc); /* taken even when no number follows, as the regex does */
            *has_num = number(sc, num);
            if (!*has_num)
                *num = 0;
            return true;
        }
    }
    sc->pos = save;
    return false;
}

LLStatus ll_version_parse(const char *s, size_t len, LLVersion *out, LLVerError *err)
{
    memset(out, 0, sizeof *out);
    if (len > LL_PEP440_MAX_TEXT)
        return fail(err, LL_ERR_LIMIT, 0, "version longer than LL_PEP440_MAX_TEXT (%u bytes)",
                    LL_PEP440_MAX_TEXT);
    Scan sc = {s, 0, len, err, LL_OK};
    while (sc.pos < sc.end && is_space(s[sc.pos]))
        sc.pos++;
    while (sc.end > sc.pos && is_space(s[sc.end - 1]))
        sc.end--;
    if (sc.pos == sc.end)
        return fail(err, LL_ERR_CONFIG, sc.pos, "empty version");
    if (lower(s[sc.pos]) == 'v')
        sc.pos++;
    uint64_t n;
    size_t start = sc.pos;
    if (!number(&sc, &n))
        return fail(err, LL_ERR_CONFIG, sc.pos, "a version starts with a number");
    if (sc.pos < sc.end && s[sc.pos] == '!') {
        out->epoch = n;
        sc.pos++;
        if (!number(&sc, &n))
            return fail(err, LL_ERR_CONFIG, sc.pos, "expected a release number after the epoch '!'");
    }
    out->release[out->nrelease++] = n;
    while (sc.pos + 1 < sc.end && s[sc.pos] == '.' && is_digit(s[sc.pos + 1])) {
        if (out->nrelease >= LL_PEP440_MAX_RELEASE)
            return fail(err, LL_ERR_LIMIT, start,
                        "version with more than LL_PEP440_MAX_RELEASE (%u) release segments",
                        LL_PEP440_MAX_RELEASE);
        sc.pos++;
        (void)number(&sc, &n);
        out->release[out->nrelease++] = n;
    }
    static const char *const pre_labels[] = {"alpha", "a", "beta", "b", "preview", "pre",
                                             "c", "rc", NULL};
    static const uint8_t pre_kinds[] = {LL_PRE_A, LL_PRE_A, LL_PRE_B, LL_PRE_B,
                                        LL_PRE_RC, LL_PRE_RC, LL_PRE_RC, LL_PRE_RC};
    int which;
    bool has;
    uint64_t num;
    if (labelled(&sc, pre_labels, &which, &num, &has)) {
        out->pre_kind = pre_kinds[which];
        out->pre = num;
    }
    /* post: "-N", or [-_.]? (post|rev|r) [-_.]? N? */
    if (sc.pos + 1 < sc.end && s[sc.pos] == '-' && is_digit(s[sc.pos + 1])) {
        sc.pos++;
        (void)number(&sc, &out->post);
        out->has_post = true;
    } else {
        static const char *const post_labels[] = {"post", "rev", "r", NULL};
        if (labelled(&sc, post_labels, &which, &num, &has)) {
            out->has_post = true;
            out->post = num;
        }
    }
    static const char *const dev_labels[] = {"dev", NULL};
    if (labelled(&sc, dev_labels, &which, &num, &has)) {
        out->has_dev = true;
        out->dev = num;
    }
    if (sc.pos < sc.end && s[sc.pos] == '+') {
        size_t lstart = ++sc.pos;
        size_t n_out = 0;
        for (;;) {
            size_t seg = sc.pos;
            while (sc.pos < sc.end && is_alnum(s[sc.pos]))
                sc.pos++;
            if (sc.pos == seg)
                return fail(err, LL_ERR_CONFIG, sc.pos,
                            "a local version label is letters and digits separated by '.', '-' or '_'");
            /* numeric segments lose their leading zeros */
            bool numeric = true;
            for (size_t i = seg; i < sc.pos; i++)
                numeric &= is_digit(s[i]);
            size_t from = seg;
            if (numeric)
                while (from + 1 < sc.pos && s[from] == '0')
                    from++;
            size_t need = (sc.pos - from) + (n_out ? 1 : 0);
            if (n_out + need > LL_PEP440_MAX_LOCAL)
                return fail(err, LL_ERR_LIMIT, lstart,
                            "local version label longer than LL_PEP440_MAX_LOCAL (%u bytes)",
                            LL_PEP440_MAX_LOCAL);
            if (n_out)
                out->local[n_out++] = '.';
            for (size_t i = from; i < sc.pos; i++)
                out->local[n_out++] = lower(s[i]);
            out->local[n_out] = '\0';
            if (sc.pos < sc.end && is_sep(s[sc.pos]) && sc.pos + 1 < sc.end && is_alnum(s[sc.pos + 1])) {
                sc.pos++;
                continue;
            }
            break;
        }
    }
    if (sc.st != LL_OK)
        return sc.st;
    if (sc.pos != sc.end) {
        char c = s[sc.pos];
        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
            return fail(err, LL_ERR_CONFIG, sc.pos, "unexpected '%c' in a version", c);
        return fail(err, LL_ERR_CONFIG, sc.pos, "unexpected byte 0x%02x in a version",
                    (unsigned)(unsigned char)c);
    }
    return LL_OK;
}

bool ll_version_from(const char *s, LLVersion *out)
{
    if (ll_version_parse(s, strlen(s), out, NULL) != LL_OK) {
        memset(out, 0, sizeof *out);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Order
 * ------------------------------------------------------------------------ */

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static int cmp_release(const LLVersion *a, const LLVersion *b)
{
    unsigned n = a->nrelease > b->nrelease ? a->nrelease : b->nrelease;
    for (unsigned i = 0; i < n; i++) {
        uint64_t x = i < a->nrelease ? a->release[i] : 0;
        uint64_t y = i < b->nrelease ? b->release[i] : 0;
        if (x != y)
            return cmp_u64(x, y);
    }
    return 0;
}

/* The pre-release key: 0 for a dev release of a final version (below
 * every pre-release), 1-3 for a/b/rc, 4 for no pre-release. */
static int pre_rank(const LLVersion *v)
{
    if (v->pre_kind == LL_PRE_NONE)
        return (!v->has_post && v->has_dev) ? 0 : 4;
    return v->pre_kind;
}

/* One segment of a local label: [s, s+n). */
static int cmp_local_seg(const char *a, size_t an, const char *b, size_t bn)
{
    bool anum = true, bnum = true;
    for (size_t i = 0; i < an; i++)
        anum &= is_digit(a[i]);
    for (size_t i = 0; i < bn; i++)
        bnum &= is_digit(b[i]);
    if (anum != bnum)
        return anum ? 1 : -1; /* numbers above words */
    if (anum && an != bn)
        return an < bn ? -1 : 1; /* no leading zeros: longer is larger */
    size_t n = an < bn ? an : bn;
    int c = memcmp(a, b, n);
    if (c)
        return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

static int cmp_local(const char *a, const char *b)
{
    if (!*a || !*b)
        return (*a ? 1 : 0) - (*b ? 1 : 0);
    for (;;) {
        size_t an = strcspn(a, "."), bn = strcspn(b, ".");
        int c = cmp_local_seg(a, an, b, bn);
        if (c)
            return c;
        a += an;
        b += bn;
        if (!*a || !*b)
            return (*a ? 1 : 0) - (*b ? 1 : 0); /* a prefix sorts first */
        a++;
        b++;
    }
}

/* Everything but the local label. */
static int cmp_public(const LLVersion *a, const LLVersion *b)
{
    int c = cmp_u64(a->epoch, b->epoch);
    if (c)
        return c;
    if ((c = cmp_release(a, b)))
        return c;
    int ra = pre_rank(a), rb = pre_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra >= 1 && ra <= 3 && (c = cmp_u64(a->pre, b->pre)))
        return c;
    if (a->has_post != b->has_post)
        return a->has_post ? 1 : -1;
    if (a->has_post && (c = cmp_u64(a->post, b->post)))
        return c;
    if (a->has_dev != b->has_dev)
        return a->has_dev ? -1 : 1;
    if (a->has_dev && (c = cmp_u64(a->dev, b->dev)))
        return c;
    return 0;
}

int ll_version_cmp(const LLVersion *a, const LLVersion *b)
{
    int c = cmp_public(a, b);
    return c ? c : cmp_local(a->local, b->local);
}

bool ll_version_is_prerelease(const LLVersion *v)
{
    return v->pre_kind != LL_PRE_NONE || v->has_dev;
}

void ll_version_format(const LLVersion *v, LLBuf *out)
{
    if (v->epoch)
        ll_buf_printf(out, "%llu!", (unsigned long long)v->epoch);
    for (unsigned i = 0; i < v->nrelease; i++)
        ll_buf_printf(out, "%s%llu", i ? "." : "", (unsigned long long)v->release[i]);
    if (v->pre_kind != LL_PRE_NONE)
        ll_buf_printf(out, "%s%llu",
                      v->pre_kind == LL_PRE_A ? "a" : v->pre_kind == LL_PRE_B ? "b" : "rc",
                      (unsigned long long)v->pre);
    if (v->has_post)
        ll_buf_printf(out, ".post%llu", (unsigned long long)v->post);
    if (v->has_dev)
        ll_buf_printf(out, ".dev%llu", (unsigned long long)v->dev);
    if (v->local[0])
        ll_buf_printf(out, "+%s", v->local);
}

/* ------------------------------------------------------------------------
 * Specifiers
 * ------------------------------------------------------------------------ */

void ll_specset_free(LLSpecSet *s)
{
    for (size_t i = 0; i < s->len; i++)
        free(s->items[i].text);
    free(s->items);
    s->items = NULL;
    s->len = 0;
}

static const char *op_text(LLSpecOp op)
{
    switch (op) {
    case LL_SPEC_EQ: return "==";
    case LL_SPEC_NE: return "!=";
    case LL_SPEC_LE: return "<=";
    case LL_SPEC_GE: return ">=";
    case LL_SPEC_LT: return "<";
    case LL_SPEC_GT: return ">";
    case LL_SPEC_COMPATIBLE: return "~=";
    case LL_SPEC_ARBITRARY: return "===";
    }
    return "?";
}

/* One specifier in s[b..e) (trimmed, non-empty); `base` is the offset of
 * s in the caller's text. */
static LLStatus parse_one(const char *s, size_t b, size_t e, LLSpecifier *sp, LLVerError *err)
{
    static const struct {
        const char *text;
        LLSpecOp op;
    } ops[] = {{"===", LL_SPEC_ARBITRARY}, {"==", LL_SPEC_EQ}, {"!=", LL_SPEC_NE},
               {"<=", LL_SPEC_LE},        {">=", LL_SPEC_GE}, {"~=", LL_SPEC_COMPATIBLE},
               {"<", LL_SPEC_LT},         {">", LL_SPEC_GT}};
    memset(sp, 0, sizeof *sp);
    sp->offset = b;
    size_t k;
    size_t nops = sizeof ops / sizeof ops[0];
    for (k = 0; k < nops; k++) {
        size_t n = strlen(ops[k].text);
        if (e - b >= n && memcmp(s + b, ops[k].text, n) == 0)
            break;
    }
    if (k == nops) {
        if (e - b >= 1 && is_digit(s[b]))
            return fail(err, LL_ERR_CONFIG, b,
                        "a version specifier needs an operator (==, >=, ~=, ...) before the version");
        return fail(err, LL_ERR_CONFIG, b,
                    "unknown version operator (expected ==, !=, <=, >=, <, >, ~= or ===)");
    }
    sp->op = ops[k].op;
    size_t p = b + strlen(ops[k].text);
    while (p < e && is_space(s[p]))
        p++;
    if (p == e)
        return fail(err, LL_ERR_CONFIG, p, "expected a version after '%s'", ops[k].text);
    if (sp->op == LL_SPEC_ARBITRARY) {
        for (size_t i = p; i < e; i++)
            if (is_space(s[i]) || s[i] == ';' || s[i] == ')')
                return fail(err, LL_ERR_CONFIG, i, "unexpected character after the '===' text");
        sp->text = ll_xstrndup(s + p, e - p);
        (void)ll_version_parse(s + p, e - p, &sp->v, NULL); /* when it is one */
        return LL_OK;
    }
    size_t vend = e;
    if (e - p >= 2 && s[e - 1] == '*' && s[e - 2] == '.') {
        if (sp->op != LL_SPEC_EQ && sp->op != LL_SPEC_NE)
            return fail(err, LL_ERR_CONFIG, e - 2, "a '.*' wildcard is only allowed with == and !=");
        sp->wildcard = true;
        vend = e - 2;
    }
    LLVerError verr;
    LLStatus st = ll_version_parse(s + p, vend - p, &sp->v, &verr);
    if (st != LL_OK)
        return fail(err, st, p + verr.offset, "%s", verr.msg);
    if (sp->wildcard &&
        (sp->v.pre_kind != LL_PRE_NONE || sp->v.has_post || sp->v.has_dev || sp->v.local[0]))
        return fail(err, LL_ERR_CONFIG, p,
                    "a '.*' wildcard can only follow release numbers (not a pre, post, dev or local part)");
    if (sp->v.local[0] && sp->op != LL_SPEC_EQ && sp->op != LL_SPEC_NE)
        return fail(err, LL_ERR_CONFIG, p, "a local version label is only allowed with == and !=");
    if (sp->op == LL_SPEC_COMPATIBLE && sp->v.nrelease < 2)
        return fail(err, LL_ERR_CONFIG, p, "'~=' needs at least two release numbers (~=2.2, not ~=2)");
    return LL_OK;
}

LLStatus ll_specset_parse(const char *s, size_t len, LLSpecSet *out, LLVerError *err)
{
    ll_specset_free(out);
    if (len > LL_PEP440_MAX_TEXT)
        return fail(err, LL_ERR_LIMIT, 0, "specifier longer than LL_PEP440_MAX_TEXT (%u bytes)",
                    LL_PEP440_MAX_TEXT);
    size_t i = 0;
    size_t cap = 0;
    bool any = false;
    for (size_t k = 0; k < len; k++)
        any |= !is_space(s[k]);
    if (!any)
        return LL_OK;
    for (;;) {
        size_t b = i, e = i;
        while (e < len && s[e] != ',')
            e++;
        size_t next = e;
        while (b < e && is_space(s[b]))
            b++;
        while (e > b && is_space(s[e - 1]))
            e--;
        if (b == e) {
            ll_specset_free(out);
            return fail(err, LL_ERR_CONFIG, b, "empty specifier (a stray ',')");
        }
        if (out->len == cap) {
            cap = ll_grow_cap(cap, out->len + 1);
            out->items = ll_xrealloc(out->items, cap * sizeof *out->items);
        }
        LLStatus st = parse_one(s, b, e, &out->items[out->len], err);
        if (st != LL_OK) {
            free(out->items[out->len].text);
            ll_specset_free(out);
            return st;
        }
        out->len++;
        if (out->len > LL_VERSET_MAX_INTERVALS) {
            ll_specset_free(out);
            return fail(err, LL_ERR_LIMIT, b,
                        "more than LL_VERSET_MAX_INTERVALS (%u) specifiers", LL_VERSET_MAX_INTERVALS);
        }
        if (next >= len)
            break;
        i = next + 1;
    }
    return LL_OK;
}

/* v with its local label dropped. */
static LLVersion public_of(const LLVersion *v)
{
    LLVersion p = *v;
    p.local[0] = '\0';
    return p;
}

static bool same_release(const LLVersion *a, const LLVersion *b)
{
    return a->epoch == b->epoch && cmp_release(a, b) == 0;
}

/* ==P.*: epoch equal and the release, zero-padded, starts with P. */
static bool prefix_match(const LLVersion *prefix, const LLVersion *v)
{
    if (prefix->epoch != v->epoch)
        return false;
    for (unsigned i = 0; i < prefix->nrelease; i++) {
        uint64_t x = i < v->nrelease ? v->release[i] : 0;
        if (x != prefix->release[i])
            return false;
    }
    return true;
}

bool ll_specifier_match(const LLSpecifier *sp, const LLVersion *v)
{
    const LLVersion *V = &sp->v;
    LLVersion pub = public_of(v);
    switch (sp->op) {
    case LL_SPEC_EQ:
    case LL_SPEC_NE: {
        bool eq;
        if (sp->wildcard)
            eq = prefix_match(V, v);
        else if (V->local[0])
            eq = ll_version_cmp(v, V) == 0;
        else
            eq = ll_version_cmp(&pub, V) == 0;
        return sp->op == LL_SPEC_EQ ? eq : !eq;
    }
    case LL_SPEC_LE:
        return ll_version_cmp(&pub, V) <= 0;
    case LL_SPEC_GE:
        return ll_version_cmp(&pub, V) >= 0;
    case LL_SPEC_LT:
        if (ll_version_cmp(v, V) >= 0)
            return false;
        if (!ll_version_is_prerelease(V) && same_release(v, V)) {
            /* the pre-releases of V itself are out */
            if (!V->has_post)
                return false; /* below R with release R: R's pre-releases */
            if (v->pre_kind == LL_PRE_NONE && v->has_post && v->post == V->post && v->has_dev)
                return false; /* R.postN.devM */
        }
        return true;
    case LL_SPEC_GT:
        if (ll_version_cmp(v, V) <= 0)
            return false;
        if (!V->has_post && !V->has_dev && same_release(v, V) && v->has_post &&
            v->pre_kind == V->pre_kind && (V->pre_kind == LL_PRE_NONE || v->pre == V->pre))
            return false; /* a post release of V */
        if (v->local[0] && ll_version_cmp(&pub, V) == 0)
            return false; /* a local version of V */
        return true;
    case LL_SPEC_COMPATIBLE: {
        if (ll_version_cmp(&pub, V) < 0)
            return false;
        LLVersion prefix = *V;
        prefix.nrelease--;
        return prefix_match(&prefix, v);
    }
    case LL_SPEC_ARBITRARY: {
        LLBuf b;
        ll_buf_init(&b);
        ll_version_format(v, &b);
        bool eq = strlen(sp->text) == b.len;
        for (size_t i = 0; eq && i < b.len; i++)
            eq = lower(sp->text[i]) == lower(b.data[i]);
        ll_buf_release(&b);
        return eq;
    }
    }
    return false;
}

bool ll_specset_match(const LLSpecSet *s, const LLVersion *v)
{
    for (size_t i = 0; i < s->len; i++)
        if (!ll_specifier_match(&s->items[i], v))
            return false;
    return true;
}

void ll_specset_format(const LLSpecSet *s, LLBuf *out)
{
    for (size_t i = 0; i < s->len; i++) {
        const LLSpecifier *sp = &s->items[i];
        ll_buf_printf(out, "%s%s", i ? ", " : "", op_text(sp->op));
        if (sp->op == LL_SPEC_ARBITRARY) {
            ll_buf_puts(out, sp->text);
            continue;
        }
        ll_version_format(&sp->v, out);
        if (sp->wildcard)
            ll_buf_puts(out, ".*");
    }
}
