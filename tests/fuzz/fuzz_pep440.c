/* fuzz_pep440.c - bytes -> PEP 440 versions, specifier sets, version sets,
 * conda match specs, Poetry constraints and PEP 508 requirements
 * (src/deps/pep440.h, constraint.h).
 *
 * The input's lines are: two versions, a specifier set, a conda match spec,
 * a Poetry constraint, and (the rest) a PEP 508 requirement. Checked: an
 * accepted version written out reads back equal, and writing it again gives
 * the same text; the order is antisymmetric and reflexive; every set made
 * is valid (sorted, apart, non-empty intervals); the set of a specifier set
 * (without ===) holds exactly the versions the specifiers allow, for the
 * two versions and a fixed grid; a set and its complement are disjoint and
 * make every version, and complementing twice gives the set back;
 * intersections and unions agree with membership; a rejected text has a
 * message and an offset within it. Seeds: tests/fuzz/seeds/fuzz_pep440. */
#include "fuzz_common.h"

#include "base/buf.h"
#include "deps/constraint.h"
#include "deps/pep440.h"

#include <string.h>

static const char *const g_grid[] = {
    "0", "0.dev0", "1.0a1", "1.0", "1.0+x", "1.0.post0.dev0", "1.0.post1", "1.1", "2.0rc1", "2.0",
    "2.4.0", "2.5.1+cu121", "2.6.dev0", "2.6.0", "2.10.0", "3", "1!0.1", "2.0.post1.dev3", "2.0b2.post1",
};

static void check_error(const LLVerError *e, size_t len, const char *what)
{
    LL_FUZZ_CHECK(e->msg[0] != '\0', "%s: an error without a message", what);
    LL_FUZZ_CHECK(e->offset <= len, "%s: error offset %zu past the text (%zu)", what, e->offset, len);
    LL_FUZZ_CHECK(e->status == LL_ERR_CONFIG || e->status == LL_ERR_LIMIT, "%s: status %d", what, (int)e->status);
}

/* Set algebra on s, with t as a second set, and v / w as versions. */
static void check_set(const LLVerSet *s, const LLVerSet *t, const LLVersion *const *vs, size_t nv)
{
    LL_FUZZ_CHECK(ll_verset_valid(s), "an invalid set");
    LLVerSet c = {0}, cc = {0}, x = {0}, u = {0};
    ll_verset_complement(&c, s);
    LL_FUZZ_CHECK(ll_verset_valid(&c), "an invalid complement");
    LL_FUZZ_CHECK(!ll_verset_intersects(s, &c), "a set meets its complement");
    ll_verset_union(&u, s, &c);
    LL_FUZZ_CHECK(ll_verset_is_all(&u), "a set and its complement miss some version");
    ll_verset_complement(&cc, &c);
    LL_FUZZ_CHECK(ll_verset_equal(&cc, s), "complementing twice changes the set");
    ll_verset_intersect(&x, s, t);
    ll_verset_union(&u, s, t);
    LL_FUZZ_CHECK(ll_verset_valid(&x) && ll_verset_valid(&u), "an invalid intersection or union");
    LL_FUZZ_CHECK(ll_verset_is_empty(&x) == !ll_verset_intersects(s, t), "intersects disagrees with the intersection");
    LL_FUZZ_CHECK(ll_verset_subset(&x, s) && ll_verset_subset(s, &u), "intersection or union out of order");
    for (size_t i = 0; i < nv; i++) {
        bool a = ll_verset_contains(s, vs[i]), b = ll_verset_contains(t, vs[i]);
        LL_FUZZ_CHECK(ll_verset_contains(&c, vs[i]) == !a, "complement membership");
        LL_FUZZ_CHECK(ll_verset_contains(&x, vs[i]) == (a && b), "intersection membership");
        LL_FUZZ_CHECK(ll_verset_contains(&u, vs[i]) == (a || b), "union membership");
    }
    LLBuf b;
    ll_buf_init(&b);
    ll_verset_format(s, &b);
    LLVerCut cut;
    if (ll_verset_lowest(s, &cut))
        ll_vercut_format(&cut, true, &b);
    if (ll_verset_highest(s, &cut))
        ll_vercut_format(&cut, false, &b);
    ll_buf_release(&b);
    ll_verset_free(&c);
    ll_verset_free(&cc);
    ll_verset_free(&x);
    ll_verset_free(&u);
}

static bool parse_version(const char *s, size_t n, LLVersion *v)
{
    LLVerError e;
    memset(&e, 0, sizeof e);
    if (ll_version_parse(s, n, v, &e) != LL_OK) {
        check_error(&e, n, "version");
        return false;
    }
    LLBuf b, b2;
    ll_buf_init(&b);
    ll_buf_init(&b2);
    ll_version_format(v, &b);
    LLVersion back;
    LL_FUZZ_CHECK(ll_version_parse(b.data, b.len, &back, &e) == LL_OK, "\"%s\" does not read back: %s", b.data, e.msg);
    LL_FUZZ_CHECK(ll_version_cmp(&back, v) == 0, "\"%s\" reads back different", b.data);
    ll_version_format(&back, &b2);
    LL_FUZZ_CHECK(strcmp(b.data, b2.data) == 0, "normalising twice: %s then %s", b.data, b2.data);
    ll_buf_release(&b);
    ll_buf_release(&b2);
    return true;
}

/* [*b, *e) the next line of text[0..len) from *p. */
static bool next_line(const char *t, size_t len, size_t *p, size_t *b, size_t *e, bool rest)
{
    if (*p > len)
        return false;
    *b = *p;
    size_t i = *p;
    while (!rest && i < len && t[i] != '\n')
        i++;
    if (rest)
        i = len;
    *e = i;
    *p = i + 1;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const char *t = (const char *)data;
    size_t p = 0, b, e;
    LLVersion v[2 + sizeof g_grid / sizeof g_grid[0]];
    const LLVersion *vs[sizeof v / sizeof v[0]];
    size_t nv = 0;
    for (size_t i = 0; i < sizeof g_grid / sizeof g_grid[0]; i++) {
        LL_FUZZ_CHECK(ll_version_from(g_grid[i], &v[nv]), "grid");
        vs[nv] = &v[nv];
        nv++;
    }
    for (int k = 0; k < 2 && next_line(t, size, &p, &b, &e, false); k++) {
        if (parse_version(t + b, e - b, &v[nv])) {
            vs[nv] = &v[nv];
            nv++;
        }
    }
    for (size_t i = 0; i < nv; i++) {
        LL_FUZZ_CHECK(ll_version_cmp(vs[i], vs[i]) == 0, "a version differs from itself");
        for (size_t j = 0; j < nv; j++) {
            int a = ll_version_cmp(vs[i], vs[j]), c = ll_version_cmp(vs[j], vs[i]);
            LL_FUZZ_CHECK((a > 0) == (c < 0) && (a == 0) == (c == 0), "the order is not antisymmetric");
        }
    }
    LLVerSet s = {0}, t2 = {0};
    ll_verset_all(&t2);
    /* a specifier set */
    if (next_line(t, size, &p, &b, &e, false)) {
        LLSpecSet ss = {0};
        LLVerError err;
        memset(&err, 0, sizeof err);
        if (ll_specset_parse(t + b, e - b, &ss, &err) != LL_OK) {
            check_error(&err, e - b, "specifier set");
        } else {
            bool arbitrary = false;
            for (size_t i = 0; i < ss.len; i++)
                arbitrary |= ss.items[i].op == LL_SPEC_ARBITRARY;
            LLBuf fb;
            ll_buf_init(&fb);
            ll_specset_format(&ss, &fb);
            ll_buf_release(&fb);
            if (ll_verset_from_specset(&s, &ss, &err) == LL_OK) {
                if (!arbitrary)
                    for (size_t i = 0; i < nv; i++)
                        LL_FUZZ_CHECK(ll_specset_match(&ss, vs[i]) == ll_verset_contains(&s, vs[i]),
                                      "the set and the specifiers disagree on version %zu", i);
                check_set(&s, &t2, vs, nv);
                ll_verset_copy(&t2, &s);
            } else {
                check_error(&err, e - b, "specifier set's versions");
            }
        }
        ll_specset_free(&ss);
    }
    /* a conda match spec */
    if (next_line(t, size, &p, &b, &e, false)) {
        LLCondaSpec c;
        memset(&c, 0, sizeof c);
        LLVerError err;
        memset(&err, 0, sizeof err);
        if (ll_conda_spec_parse(t + b, e - b, &c, &err) == LL_OK) {
            LL_FUZZ_CHECK(c.name && c.version, "a match spec without a name or version text");
            check_set(&c.versions, &t2, vs, nv);
        } else {
            check_error(&err, e - b, "match spec");
            LL_FUZZ_CHECK(!c.name, "a rejected match spec keeps a name");
        }
        ll_conda_spec_free(&c);
    }
    /* a Poetry constraint */
    if (next_line(t, size, &p, &b, &e, false)) {
        LLVerError err;
        memset(&err, 0, sizeof err);
        if (ll_poetry_parse(t + b, e - b, &s, &err) == LL_OK)
            check_set(&s, &t2, vs, nv);
        else
            check_error(&err, e - b, "Poetry constraint");
    }
    /* a PEP 508 requirement: the rest */
    if (next_line(t, size, &p, &b, &e, true)) {
        LLReq r;
        memset(&r, 0, sizeof r);
        LLVerError err;
        memset(&err, 0, sizeof err);
        if (ll_req_parse(t + b, e - b, &r, &err) == LL_OK) {
            LL_FUZZ_CHECK(r.name && r.spec && r.spec_off <= e - b, "a requirement without name or spec");
            LL_FUZZ_CHECK(ll_pkg_name_valid(r.name, strlen(r.name)), "an invalid name %s", r.name);
            check_set(&r.versions, &t2, vs, nv);
        } else {
            check_error(&err, e - b, "requirement");
        }
        ll_req_free(&r);
    }
    ll_verset_free(&s);
    ll_verset_free(&t2);
    return 0;
}
