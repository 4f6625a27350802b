/* test_deps_constraint.c - PEP 503 names, PEP 508 requirement strings,
 * conda match specs and Poetry constraints turned into version sets, with
 * their errors' offsets. */
#include "deps/constraint.h"

#include "base/buf.h"

#include <criterion/criterion.h>

#include <string.h>

static bool in(const LLVerSet *s, const char *ver)
{
    LLVersion v;
    cr_assert(ll_version_from(ver, &v), "bad test version %s", ver);
    return ll_verset_contains(s, &v);
}

static void set_is(const LLVerSet *s, const char *want, const char *what)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_verset_format(s, &b);
    cr_expect_str_eq(b.data, want, "%s: %s, expected %s", what, b.data, want);
    ll_buf_release(&b);
}

Test(deps_constraint, names)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_pkg_name_normalize("Torch_Vision..Nightly", 21, &b);
    cr_expect_str_eq(b.data, "torch-vision-nightly");
    ll_buf_release(&b);
    cr_expect(ll_pkg_name_valid("a", 1));
    cr_expect(ll_pkg_name_valid("ruamel.yaml", 11));
    cr_expect(!ll_pkg_name_valid("-a", 2));
    cr_expect(!ll_pkg_name_valid("a-", 2));
    cr_expect(!ll_pkg_name_valid("a b", 3));
    cr_expect(!ll_pkg_name_valid("", 0));
}

/* ---- PEP 508 --------------------------------------------------------- */

static LLReq req_ok(const char *s)
{
    LLReq r;
    memset(&r, 0, sizeof r);
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_req_parse(s, strlen(s), &r, &err), LL_OK, "%s: %s at %zu", s, err.msg, err.offset);
    return r;
}

static void req_bad(const char *s, size_t off, const char *msg)
{
    LLReq r;
    memset(&r, 0, sizeof r);
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_expect_neq(ll_req_parse(s, strlen(s), &r, &err), LL_OK, "%s parsed", s);
    cr_expect_null(r.name);
    cr_expect_eq(err.offset, off, "%s: error at %zu, expected %zu (%s)", s, err.offset, off, err.msg);
    cr_expect(strstr(err.msg, msg), "%s: \"%s\" lacks \"%s\"", s, err.msg, msg);
}

Test(deps_constraint, pep508)
{
    LLReq r = req_ok("torch>=2.0");
    cr_expect_str_eq(r.name, "torch");
    cr_expect_str_eq(r.spec, ">=2.0");
    cr_expect_eq(r.spec_off, 5u);
    cr_expect(in(&r.versions, "2.4.0"));
    cr_expect(!in(&r.versions, "1.13"));
    cr_expect_null(r.marker);
    ll_req_free(&r);

    r = req_ok("  Torch_Vision [cuda, extra] ( >=0.15 , <1 ) ; python_version >= '3.8'");
    cr_expect_str_eq(r.name, "torch-vision");
    cr_expect_str_eq(r.extras, "cuda, extra");
    cr_expect_str_eq(r.spec, ">=0.15 , <1");
    cr_expect_str_eq(r.marker, "python_version >= '3.8'");
    cr_expect(in(&r.versions, "0.16"));
    ll_req_free(&r);

    r = req_ok("torch @ https://download.pytorch.org/whl/torch-2.4.0.whl ; sys_platform == 'linux'");
    cr_expect_str_eq(r.url, "https://download.pytorch.org/whl/torch-2.4.0.whl");
    cr_expect_str_eq(r.marker, "sys_platform == 'linux'");
    cr_expect(ll_verset_is_all(&r.versions));
    ll_req_free(&r);

    r = req_ok("numpy");
    cr_expect(ll_verset_is_all(&r.versions));
    cr_expect_str_eq(r.spec, "");
    ll_req_free(&r);

    req_bad("torch>=2.0;", 10, "expected an environment marker");
    req_bad("-torch", 0, "starts and ends with a letter or digit");
    req_bad(";x", 0, "expected a package name");
    req_bad("torch[cuda", 5, "extras is not closed");
    req_bad("torch (>=2.0", 6, "is not closed");
    req_bad("torch >=2.0 junk", 11, "unexpected ' '");
    req_bad("torch ==2.4.0 (x)", 13, "unexpected ' '");
    req_bad("torch~2.0", 5, "unknown version operator");
    req_bad("torch @", 7, "expected a URL");
}

/* ---- conda ----------------------------------------------------------- */

static LLCondaSpec conda_ok(const char *s)
{
    LLCondaSpec c;
    memset(&c, 0, sizeof c);
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_conda_spec_parse(s, strlen(s), &c, &err), LL_OK, "%s: %s at %zu", s, err.msg, err.offset);
    return c;
}

static void conda_bad(const char *s, size_t off, const char *msg)
{
    LLCondaSpec c;
    memset(&c, 0, sizeof c);
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_expect_neq(ll_conda_spec_parse(s, strlen(s), &c, &err), LL_OK, "%s parsed", s);
    cr_expect_null(c.name);
    cr_expect_eq(err.offset, off, "%s: error at %zu, expected %zu (%s)", s, err.offset, off, err.msg);
    cr_expect(strstr(err.msg, msg), "%s: \"%s\" lacks \"%s\"", s, err.msg, msg);
    ll_conda_spec_free(&c);
}

Test(deps_constraint, conda)
{
    LLCondaSpec c = conda_ok("pytorch=2.4");
    cr_expect_str_eq(c.name, "pytorch");
    set_is(&c.versions, "==2.4.*", "pytorch=2.4");
    cr_expect(in(&c.versions, "2.4.1"));
    cr_expect(!in(&c.versions, "2.5.0"));
    ll_conda_spec_free(&c);

    c = conda_ok("pytorch==2.4.0");
    set_is(&c.versions, "===2.4.0", "pytorch==2.4.0");
    ll_conda_spec_free(&c);

    c = conda_ok("pytorch=2.4.0=py3.11_cuda12.1_cudnn8_0");
    cr_expect_str_eq(c.build, "py3.11_cuda12.1_cudnn8_0");
    cr_expect(in(&c.versions, "2.4.0"));
    cr_expect(!in(&c.versions, "2.4.1"), "a build string makes the version exact");
    ll_conda_spec_free(&c);

    c = conda_ok("pytorch::pytorch>=2.1,<2.5");
    cr_expect_str_eq(c.channel, "pytorch");
    cr_expect(in(&c.versions, "2.4.1"));
    cr_expect(!in(&c.versions, "2.5.0"));
    cr_expect(in(&c.versions, "2.5.0rc1"), "conda's < compares in plain order");
    ll_conda_spec_free(&c);

    c = conda_ok("conda-forge/linux-64::numpy 1.8*");
    cr_expect_str_eq(c.channel, "conda-forge/linux-64");
    set_is(&c.versions, "==1.8.*", "numpy 1.8*");
    ll_conda_spec_free(&c);

    c = conda_ok("numpy 1.8");
    cr_expect(in(&c.versions, "1.8.0"));
    cr_expect(!in(&c.versions, "1.8.1"), "a bare version after a space is exact");
    ll_conda_spec_free(&c);

    c = conda_ok("numpy 1.11.1 py36_0");
    cr_expect_str_eq(c.build, "py36_0");
    cr_expect(in(&c.versions, "1.11.1"));
    ll_conda_spec_free(&c);

    c = conda_ok("numpy >=1.0 , < 2.0 py34_0");
    cr_expect_str_eq(c.build, "py34_0");
    cr_expect_str_eq(c.version, ">=1.0,<2.0");
    ll_conda_spec_free(&c);

    c = conda_ok("numpy >=1.8,<2|==1.7");
    cr_expect(in(&c.versions, "1.7"));
    cr_expect(in(&c.versions, "1.9"));
    cr_expect(!in(&c.versions, "1.7.5"));
    cr_expect(!in(&c.versions, "2.0"));
    ll_conda_spec_free(&c);

    c = conda_ok("numpy ((>=1.0,<1.5)|>2.0),!=2.5");
    cr_expect(in(&c.versions, "1.2"));
    cr_expect(!in(&c.versions, "1.7"));
    cr_expect(in(&c.versions, "2.1"));
    cr_expect(!in(&c.versions, "2.5"));
    ll_conda_spec_free(&c);

    c = conda_ok("numpy[version='>=1.8', build=py39_0]");
    cr_expect_str_eq(c.build, "py39_0");
    cr_expect(in(&c.versions, "1.9"));
    cr_expect(!in(&c.versions, "1.7"));
    ll_conda_spec_free(&c);

    c = conda_ok("python");
    cr_expect(ll_verset_is_all(&c.versions));
    ll_conda_spec_free(&c);

    c = conda_ok("pyyaml ~=5.4");
    cr_expect(in(&c.versions, "5.4.1"));
    cr_expect(!in(&c.versions, "6.0"));
    ll_conda_spec_free(&c);

    c = conda_ok("numpy=1.8|1.9");
    cr_expect(in(&c.versions, "1.8.5"));
    cr_expect(in(&c.versions, "1.9"));
    ll_conda_spec_free(&c);

    c = conda_ok("openssl=1.1.1w=h7f8727e_0");
    cr_expect(!c.pep440);
    cr_expect(ll_verset_is_all(&c.versions));
    cr_expect_eq(c.problem_off, 13u);
    cr_expect(strstr(c.problem, "not a PEP 440 version"), "%s", c.problem);
    ll_conda_spec_free(&c);
    c = conda_ok("_libgcc_mutex=0.1=conda_forge");
    cr_expect_str_eq(c.name, "libgcc-mutex");
    cr_expect(c.pep440);
    ll_conda_spec_free(&c);
    LLVerSet cv = {0};
    LLVerError cerr;
    memset(&cerr, 0, sizeof cerr);
    cr_expect_eq(ll_conda_version_parse("1.x", 3, &cv, &cerr), LL_ERR_CONFIG);
    cr_expect_eq(cerr.offset, 1u);
    conda_bad("numpy=>1", 6, "a version starts with a number");
    conda_bad("numpy>=", 7, "expected a version");
    conda_bad("numpy (1.0", 6, "is not closed");
    conda_bad("numpy 1.0)", 9, "without '('");
    conda_bad("numpy >=1.0,,<2", 12, "expected a version constraint before ','");
    conda_bad("=1.0", 0, "expected a package name");
    conda_bad("numpy 1.*.2", 8, "only allowed at the end");
    LLBuf deep;
    ll_buf_init(&deep);
    ll_buf_puts(&deep, "numpy ");
    for (int i = 0; i < 40; i++)
        ll_buf_putc(&deep, '(');
    conda_bad(deep.data, 6 + LL_CONDA_MAX_NESTING, "LL_CONDA_MAX_NESTING");
    ll_buf_release(&deep);
}

/* ---- Poetry ---------------------------------------------------------- */

static void poetry_is(const char *s, const char *want)
{
    LLVerSet v = {0};
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_poetry_parse(s, strlen(s), &v, &err), LL_OK, "%s: %s at %zu", s, err.msg, err.offset);
    set_is(&v, want, s);
    ll_verset_free(&v);
}

static void poetry_bad(const char *s, size_t off, const char *msg)
{
    LLVerSet v = {0};
    LLVerError err;
    memset(&err, 0, sizeof err);
    cr_expect_neq(ll_poetry_parse(s, strlen(s), &v, &err), LL_OK, "%s parsed", s);
    cr_expect_eq(err.offset, off, "%s: error at %zu, expected %zu (%s)", s, err.offset, off, err.msg);
    cr_expect(strstr(err.msg, msg), "%s: \"%s\" lacks \"%s\"", s, err.msg, msg);
}

Test(deps_constraint, poetry)
{
    poetry_is("^1.2.3", ">=1.2.3, <2");
    poetry_is("^1.2", ">=1.2, <2");
    poetry_is("^1", ">=1, <2");
    poetry_is("^0.2.3", ">=0.2.3, <0.3");
    poetry_is("^0.0.3", ">=0.0.3, <0.0.4");
    poetry_is("^0.0", ">=0.0, <0.1");
    poetry_is("^0", ">=0, <1");
    poetry_is("~1.2.3", ">=1.2.3, <1.3");
    poetry_is("~1.2", ">=1.2, <1.3");
    poetry_is("~1", ">=1, <2");
    poetry_is("~=2.1", ">=2.1, <3");
    poetry_is("*", "any version");
    poetry_is("x", "any version");
    poetry_is("2.1.*", "==2.1.*");
    poetry_is(">=2,<3", ">=2, <3");
    poetry_is(">= 2 < 3", ">=2, <3");
    poetry_is("2.4.0", "==2.4.0");
    poetry_is("==2.4.0", "==2.4.0");
    poetry_is("^1.2 || ^3.0", ">=1.2, <2 || >=3.0, <4");
    poetry_is(">=1.0,<1.5|>=2.0", ">=1.0, <1.5 || >=2.0");
    LLVerSet v = {0};
    LLVerError err;
    cr_assert_eq(ll_poetry_parse("^2.1", 4, &v, &err), LL_OK);
    cr_expect(!in(&v, "3.0.0rc1"), "the caret's upper bound leaves out its pre-releases");
    ll_verset_free(&v);
    cr_assert_eq(ll_poetry_parse("<>2.1", 5, &v, &err), LL_OK);
    cr_expect(!in(&v, "2.1"));
    cr_expect(in(&v, "2.2"));
    ll_verset_free(&v);

    poetry_bad("", 0, "empty version constraint");
    poetry_bad("^", 1, "expected a version after");
    poetry_bad("~=2", 2, "at least two release numbers");
    poetry_bad(">=2.*", 2, "only allowed with == and !=");
    poetry_bad("^1.2.*", 1, "cannot take a wildcard");
    poetry_bad(">=1.0 ||", 8, "expected a version constraint");
    poetry_bad("1.0.x.y", 3, "unexpected '.'");
}
