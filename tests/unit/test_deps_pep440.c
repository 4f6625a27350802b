/* test_deps_pep440.c - PEP 440 versions (parsing, normalisation, the
 * PEP's own ordering example), specifiers (each operator's rules, errors
 * with their offsets), version sets (set operations, emptiness, bounds,
 * writing), and a cross-check of every specifier's interval set against
 * the specifier evaluated directly, over a grid of versions. */
#include "deps/pep440.h"

#include "base/buf.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

static LLVersion V(const char *s)
{
    LLVersion v;
    LLVerError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_version_parse(s, strlen(s), &v, &err);
    cr_assert_eq(st, LL_OK, "\"%s\" does not parse: %s at %zu", s, err.msg, err.offset);
    return v;
}

static void norm(const char *in, const char *want)
{
    LLVersion v = V(in);
    LLBuf b;
    ll_buf_init(&b);
    ll_version_format(&v, &b);
    cr_expect_str_eq(b.data, want, "\"%s\" normalises to \"%s\", expected \"%s\"", in, b.data, want);
    ll_buf_release(&b);
}

static void bad_version(const char *in, size_t off, const char *msg)
{
    LLVersion v;
    LLVerError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_version_parse(in, strlen(in), &v, &err);
    cr_expect_neq(st, LL_OK, "\"%s\" parsed", in);
    cr_expect_eq(err.offset, off, "\"%s\": error at %zu, expected %zu (%s)", in, err.offset, off, err.msg);
    cr_expect(strstr(err.msg, msg), "\"%s\": message \"%s\" lacks \"%s\"", in, err.msg, msg);
}

Test(deps_pep440, normalisation)
{
    norm("1.0RC1", "1.0rc1");
    norm("1.0rc01", "1.0rc1");
    norm("v1.0", "1.0");
    norm("V2.4.0", "2.4.0");
    norm("  1.0  ", "1.0");
    norm("1.01", "1.1");
    norm("2012.01.02", "2012.1.2");
    norm("1.0a", "1.0a0");
    norm("1.0alpha1", "1.0a1");
    norm("1.0-a.1", "1.0a1");
    norm("1.0_beta_2", "1.0b2");
    norm("1.0c1", "1.0rc1");
    norm("1.0pre3", "1.0rc3");
    norm("1.0preview3", "1.0rc3");
    norm("1.0.post", "1.0.post0");
    norm("1.0-1", "1.0.post1");
    norm("1.0-r4", "1.0.post4");
    norm("1.0rev4", "1.0.post4");
    norm("1.0.POST_2", "1.0.post2");
    norm("1.0dev", "1.0.dev0");
    norm("1.0-dev2", "1.0.dev2");
    norm("1.0a1-1", "1.0a1.post1");
    norm("1!2.0", "1!2.0");
    norm("0!2.0", "2.0");
    norm("1.0+ubuntu-1", "1.0+ubuntu.1");
    norm("1.0+Local_007.A", "1.0+local.7.a");
    norm("2.4.0+cu121", "2.4.0+cu121");
    norm("1.0a.post1", "1.0a0.post1");
}

Test(deps_pep440, bad_versions)
{
    bad_version("", 0, "empty");
    bad_version("abc", 0, "starts with a number");
    bad_version("1.0.", 3, "unexpected '.'");
    bad_version("1.0+", 4, "local version label");
    bad_version("1.0+a..b", 5, "unexpected '.'");
    bad_version("1.0 beta", 3, "unexpected ' '");
    bad_version("1!", 2, "after the epoch");
    bad_version("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", 0, "LL_PEP440_MAX_RELEASE");
    bad_version("1.99999999999999999999", 2, "LL_PEP440_MAX_NUMBER");
}

Test(deps_pep440, the_peps_order)
{
    /* PEP 440, "Summary of permitted suffixes and relative ordering" */
    static const char *const order[] = {
        "1.dev0",      "1.0.dev456",           "1.0a1",        "1.0a2.dev456",     "1.0a12.dev456",
        "1.0a12",      "1.0b1.dev456",         "1.0b2",        "1.0b2.post345.dev456", "1.0b2.post345",
        "1.0rc1.dev456", "1.0rc1",             "1.0",          "1.0+abc.5",        "1.0+abc.7",
        "1.0+5",       "1.0.post456.dev34",    "1.0.post456",  "1.0.15",           "1.1.dev1",
        "1!0.1",
    };
    size_t n = sizeof order / sizeof order[0];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            LLVersion a = V(order[i]), b = V(order[j]);
            int c = ll_version_cmp(&a, &b);
            int want = i < j ? -1 : i > j ? 1 : 0;
            cr_expect_eq(c < 0 ? -1 : c > 0 ? 1 : 0, want, "%s vs %s: %d", order[i], order[j], c);
        }
    }
    LLVersion a = V("1.0"), b = V("1.0.0"), c = V("1.0.0+x");
    cr_expect_eq(ll_version_cmp(&a, &b), 0, "trailing zeros do not count");
    cr_expect_gt(ll_version_cmp(&c, &a), 0);
    LLVersion l1 = V("1.0+a"), l2 = V("1.0+a.0"), l3 = V("1.0+0"), l4 = V("1.0+00a");
    cr_expect_lt(ll_version_cmp(&l1, &l2), 0, "a shorter label sorts first");
    cr_expect_lt(ll_version_cmp(&l1, &l3), 0, "numbers above words");
    cr_expect_lt(ll_version_cmp(&l4, &l1), 0, "words compare as text");
    cr_expect(ll_version_is_prerelease(&(LLVersion){.nrelease = 1, .has_dev = true}));
}

/* ---- specifiers ------------------------------------------------------ */

static bool matches(const char *spec, const char *ver)
{
    LLSpecSet s = {0};
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_specset_parse(spec, strlen(spec), &s, &err), LL_OK, "%s: %s", spec, err.msg);
    LLVersion v = V(ver);
    bool m = ll_specset_match(&s, &v);
    /* the interval set must say the same */
    LLVerSet set = {0};
    cr_assert_eq(ll_verset_from_specset(&set, &s, &err), LL_OK, "%s: %s", spec, err.msg);
    cr_expect_eq(ll_verset_contains(&set, &v), m, "%s %s: set says %d, direct says %d", spec, ver,
                 ll_verset_contains(&set, &v), m);
    ll_verset_free(&set);
    ll_specset_free(&s);
    return m;
}

#define YES(spec, ver) cr_expect(matches(spec, ver), "%s should allow %s", spec, ver)
#define NO(spec, ver) cr_expect(!matches(spec, ver), "%s should not allow %s", spec, ver)

Test(deps_pep440, equality)
{
    YES("==2.0", "2.0");
    YES("==2.0", "2.0.0");
    YES("==2.0", "2.0+local");
    NO("==2.0", "2.0.post1");
    NO("==2.0", "2.0rc1");
    YES("==2.0+local", "2.0+local");
    NO("==2.0+local", "2.0");
    NO("==2.0+local", "2.0+other");
    YES("==2.*", "2.0");
    YES("==2.*", "2.9.9");
    YES("==2.*", "2.0a1");
    YES("==2.*", "2.0.dev0");
    NO("==2.*", "3.0.dev0");
    NO("==2.*", "1.9");
    YES("==2.4.*", "2.4");
    YES("==2.4.*", "2.4.0.post1");
    NO("==2.4.*", "2.5");
    YES("==2.0.*", "2");
    NO("==1!2.*", "2.0");
    YES("!=2.0", "2.0.1");
    NO("!=2.0", "2.0+x");
    YES("!=2.0", "2.0rc1");
    NO("!=2.*", "2.5");
    YES("!=2.*", "3.0");
    YES("=== 2.0", "2.0");
}

Test(deps_pep440, ordered)
{
    YES(">=2.0", "2.0");
    YES(">=2.0", "2.0.post1");
    NO(">=2.0", "2.0rc1");
    NO(">=2.0", "1.9.9");
    YES("<=2.5", "2.5+local");
    YES("<=2.5", "2.5");
    NO("<=2.5", "2.5.post1");
    /* <V excludes V's pre-releases unless V is one */
    YES("<2.6", "2.5.9");
    YES("<2.6", "2.5.post1");
    NO("<2.6", "2.6rc1");
    NO("<2.6", "2.6.dev0");
    NO("<2.6", "2.6.0a1");
    YES("<2.6rc1", "2.6a1");
    YES("<2.6rc1", "2.6.dev3");
    NO("<2.6rc1", "2.6rc1");
    YES("<2.6.post1", "2.6");
    YES("<2.6.post1", "2.6rc1");
    NO("<2.6.post1", "2.6.post1.dev0");
    YES("<2.6.post1", "2.6.post0");
    /* >V excludes V's post releases unless V is one, and V's local versions */
    YES(">2.5", "2.5.1");
    YES(">2.5", "2.5.0.1");
    YES(">2.5", "2.6.dev0");
    NO(">2.5", "2.5.post1");
    NO(">2.5", "2.5+local");
    NO(">2.5", "2.5.post1.dev1");
    YES(">2.5.post1", "2.5.post2");
    NO(">2.5.post1", "2.5.post1+local");
    YES(">2.5a1", "2.5a2.dev0");
    NO(">2.5a1", "2.5a1.post1");
    YES(">2.5.dev3", "2.5.dev4");
    YES(">2.5.dev3", "2.5.post1");
    NO(">2.5.dev3", "2.5.dev3+x");
    /* ~= */
    YES("~=2.2", "2.2");
    YES("~=2.2", "2.9");
    NO("~=2.2", "3.0");
    NO("~=2.2", "2.1");
    YES("~=1.4.5", "1.4.9");
    NO("~=1.4.5", "1.5.0");
    YES("~=1.4.5a4", "1.4.5");
    NO("~=1.4.5a4", "1.4.5a3");
    /* sets */
    YES(">=2.0, <2.6", "2.4.0");
    NO(">=2.0, <2.6", "2.6.0");
    YES(" >= 2.0 ,<2.6 ,!=2.3.* ", "2.4");
    NO(" >= 2.0 ,<2.6 ,!=2.3.* ", "2.3.1");
    YES("", "0.1");
}

static void bad_spec(const char *spec, size_t off, const char *msg)
{
    LLSpecSet s = {0};
    LLVerError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_specset_parse(spec, strlen(spec), &s, &err);
    cr_expect_neq(st, LL_OK, "\"%s\" parsed", spec);
    cr_expect_eq(s.len, 0u);
    cr_expect_eq(err.offset, off, "\"%s\": error at %zu, expected %zu (%s)", spec, err.offset, off, err.msg);
    cr_expect(strstr(err.msg, msg), "\"%s\": message \"%s\" lacks \"%s\"", spec, err.msg, msg);
}

Test(deps_pep440, bad_specifiers)
{
    bad_spec("~=2", 2, "at least two release numbers");
    bad_spec("<2.0+local", 1, "local version label is only allowed");
    bad_spec(">=2.*", 3, "only allowed with == and !=");
    bad_spec("==2.0a1.*", 2, "can only follow release numbers");
    bad_spec("=2.0", 0, "unknown version operator");
    bad_spec("2.0", 0, "needs an operator");
    bad_spec(">=", 2, "expected a version after '>='");
    bad_spec(">=2.0,,<3", 6, "empty specifier");
    bad_spec(">=2.0,", 6, "empty specifier");
    bad_spec(">=2.0, <3.x", 9, "unexpected '.'");
    bad_spec(">=2.0, <3x", 9, "unexpected 'x'");
}

/* ---- sets ------------------------------------------------------------ */

static LLVerSet S(const char *spec)
{
    LLVerSet s = {0};
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_verset_parse(&s, spec, strlen(spec), &err), LL_OK, "%s: %s", spec, err.msg);
    return s;
}

static void fmt_is(const char *spec, const char *want)
{
    LLVerSet s = S(spec);
    LLBuf b;
    ll_buf_init(&b);
    ll_verset_format(&s, &b);
    cr_expect_str_eq(b.data, want, "\"%s\" is written \"%s\", expected \"%s\"", spec, b.data, want);
    ll_buf_release(&b);
    ll_verset_free(&s);
}

Test(deps_pep440, set_operations)
{
    LLVerSet a = S(">=2.0, <2.6"), below = S("<2.6"), fixed = S(">=2.6"), all = {0}, x = {0};
    cr_expect(ll_verset_intersects(&a, &below), "torch>=2.0,<2.6 allows a version below 2.6");
    cr_expect(!ll_verset_intersects(&fixed, &below), ">=2.6 allows none below 2.6");
    cr_expect(ll_verset_subset(&a, &below));
    cr_expect(!ll_verset_subset(&below, &a));
    ll_verset_intersect(&x, &fixed, &below);
    cr_expect(ll_verset_is_empty(&x));
    ll_verset_union(&x, &fixed, &below);
    /* <2.6 and >=2.6 leave out 2.6's pre-releases */
    cr_expect(!ll_verset_is_all(&x));
    LLVersion rc = V("2.6rc1");
    cr_expect(!ll_verset_contains(&x, &rc));
    ll_verset_complement(&x, &x);
    cr_expect(ll_verset_contains(&x, &rc));
    ll_verset_complement(&x, &a);
    ll_verset_union(&x, &x, &a);
    cr_expect(ll_verset_is_all(&x), "a set and its complement make every version");
    ll_verset_all(&all);
    cr_expect(ll_verset_equal(&x, &all));
    /* emptiness is exact: no version lies between 1.0+anything and 1.0.post0.dev0 */
    LLVerSet e = S(">=1.0, <1.0.post0, !=1.0");
    cr_expect(ll_verset_is_empty(&e), ">=1.0, <1.0.post0, !=1.0 allows nothing");
    LLVerSet ne = S(">=1.0, <=1.0.post0, !=1.0");
    cr_expect(!ll_verset_is_empty(&ne));
    LLVerCut lo;
    cr_assert(ll_verset_lowest(&a, &lo));
    LLBuf b;
    ll_buf_init(&b);
    ll_vercut_format(&lo, true, &b);
    cr_expect_str_eq(b.data, ">=2.0");
    cr_expect(!ll_verset_lowest(&e, &lo));
    cr_assert(ll_verset_lowest(&below, &lo));
    cr_expect_eq(lo.kind, LL_CUT_MIN);
    ll_buf_release(&b);
    ll_verset_free(&a);
    ll_verset_free(&below);
    ll_verset_free(&fixed);
    ll_verset_free(&all);
    ll_verset_free(&x);
    ll_verset_free(&e);
    ll_verset_free(&ne);
}

Test(deps_pep440, set_writing)
{
    fmt_is("==2.4.0", "==2.4.0");
    fmt_is(">=2.0, <2.6", ">=2.0, <2.6");
    fmt_is("==2.4.*", "==2.4.*");
    fmt_is(">2.5", ">2.5");
    fmt_is("<=2.5", "<=2.5");
    fmt_is("<2.5.post1", "<2.5.post1");
    fmt_is("", "any version");
    fmt_is(">=3, <2", "no version");
    fmt_is("==2.4.0+cu121", "==2.4.0+cu121");
    fmt_is("~=2.2", ">=2.2, <3");
    fmt_is("<2.0 , >=1.0, !=1.5", ">=1.0, <1.5 || >=1.5.post0.dev0, <2.0");
}

Test(deps_pep440, limits)
{
    LLBuf b;
    ll_buf_init(&b);
    for (int i = 0; i < 300; i++)
        ll_buf_printf(&b, "%s!=%d.0", i ? "," : "", i);
    LLVerSet s = {0};
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_expect_eq(ll_verset_parse(&s, b.data, b.len, &err), LL_ERR_LIMIT);
    cr_expect(strstr(err.msg, "LL_VERSET_MAX_INTERVALS"), "%s", err.msg);
    cr_expect(ll_verset_is_empty(&s));
    ll_buf_release(&b);
}

/* Every specifier of a grid against every version of a grid: the set and
 * the direct evaluation agree. */
Test(deps_pep440, sets_agree_with_specifiers)
{
    static const char *const vers[] = {
        "0.9",   "1.0.dev0", "1.0a1",     "1.0a1.post1", "1.0a2.dev0", "1.0b1",    "1.0rc1",
        "1.0",   "1.0+x",    "1.0+x.1",   "1.0.post0.dev0", "1.0.post0", "1.0.post1.dev2", "1.0.post1",
        "1.0.post1+x", "1.0.post2", "1.0.0.1", "1.0.1.dev0", "1.0.1", "1.1.dev0", "1.1a1", "1.1", "1.1+y",
        "1.1.post1", "1.2", "2.0.dev0", "2.0", "1!0.5", "1.0.dev3", "1.0.dev3+z", "1.0a1.dev1"};
    static const char *const ops[] = {"==", "!=", "<=", ">=", "<", ">", "~="};
    size_t nv = sizeof vers / sizeof vers[0];
    char spec[64];
    size_t checked = 0;
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (size_t k = 0; k < nv; k++) {
            LLVersion sv = V(vers[k]);
            if (sv.local[0] && strcmp(ops[o], "==") && strcmp(ops[o], "!="))
                continue;
            if (!strcmp(ops[o], "~=") && sv.nrelease < 2)
                continue;
            snprintf(spec, sizeof spec, "%s%s", ops[o], vers[k]);
            for (size_t i = 0; i < nv; i++) {
                (void)matches(spec, vers[i]);
                checked++;
            }
        }
    }
    static const char *const wild[] = {"==1.*", "==1.0.*", "!=1.0.*", "==1.1.*", "==1!0.*"};
    for (size_t w = 0; w < sizeof wild / sizeof wild[0]; w++)
        for (size_t i = 0; i < nv; i++)
            (void)matches(wild[w], vers[i]);
    cr_expect_gt(checked, 1000u);
}
