/* NumPy .npy files (src/artifact/npy.c): the header literal, object dtypes
 * (also inside structured dtypes) followed by a pickle, versions 1-3. */
#include "artifact/npy.h"
#include "test_art_helpers.h"

static ATPolicy pol;
static void setup(void) { at_policy_load(&pol); }
static void teardown(void) { at_policy_free(&pol); }
TestSuite(art_npy, .init = setup, .fini = teardown);

static const char k_evil[] = "\x80\x02" "cposix\nsystem\n(X\x02\x00\x00\x00idtR.";

/* An .npy of `version` with header text `dict` (padded), then body. */
static void npy(ATBuf *b, int version, const char *dict, const void *body, size_t n)
{
    at_lit(b, "\x93NUMPY");
    at_byte(b, (uint8_t)version);
    at_byte(b, 0);
    size_t pre = version == 1 ? 10 : 12;
    size_t hl = strlen(dict) + 1;
    size_t pad = (64 - (pre + hl) % 64) % 64;
    at_le(b, hl + pad, version == 1 ? 2 : 4);
    at_str(b, dict);
    for (size_t i = 0; i < pad; i++)
        at_byte(b, ' ');
    at_byte(b, '\n');
    at_put(b, body, n);
}

static void scan(const char *dict, const void *body, size_t n, int version, LLArtResult *r)
{
    ATBuf b = {0};
    npy(&b, version, dict, body, n);
    at_scan(&pol.opts, b.d, b.len, r);
    at_free(&b);
}

Test(art_npy, numeric_arrays_are_safe_in_every_version)
{
    double v[6] = {0};
    for (int ver = 1; ver <= 3; ver++) {
        LLArtResult r;
        scan("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", v, sizeof v, ver, &r);
        char dump[2048];
        cr_assert_str_eq(r.format, "numpy-npy");
        cr_assert_eq(r.findings.len, 0, "version %d: %s", ver, at_dump(&r, dump, sizeof dump));
        cr_assert_eq(r.verdict, LL_ART_SAFE);
        ll_art_result_release(&r);
    }
}

Test(art_npy, object_dtypes_are_followed_by_a_pickle)
{
    static const char *const descrs[] = {
        "'|O'", "'O'", "\"|O\"", "[('a', '<i4'), ('b', '|O')]",
        "[('a', '<i4'), ('nested', [('x', '<f8'), ('y', 'O', (2,))])]",
        "[(('title', 'a'), '|O')]",
    };
    for (size_t i = 0; i < sizeof descrs / sizeof *descrs; i++) {
        char dict[256];
        snprintf(dict, sizeof dict, "{'descr': %s, 'fortran_order': False, 'shape': (3,), }", descrs[i]);
        LLArtResult r;
        scan(dict, k_evil, sizeof k_evil - 1, 1, &r);
        char dump[2048];
        cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1, "%s: %s", descrs[i],
                     at_dump(&r, dump, sizeof dump));
        ll_art_result_release(&r);
    }
    /* a field named "O" holding ints is no object dtype */
    LLArtResult r;
    scan("{'descr': [('O', '<i4')], 'fortran_order': False, 'shape': (2,), }", "\0\0\0\0\0\0\0\0", 8, 1, &r);
    cr_assert_eq(r.findings.len, 0);
    ll_art_result_release(&r);
}

Test(art_npy, headers_numpy_rejects)
{
    static const char *const bad[] = {
        "{'descr': '<f8', 'shape': (2,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
        "{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': [2], }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), ",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} junk",
        "__import__('os').system('id')",
        "['descr', 'fortran_order', 'shape']",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        LLArtResult r;
        scan(bad[i], "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16, 1, &r);
        char dump[2048];
        cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "%s: %s", bad[i], at_dump(&r, dump, sizeof dump));
        ll_art_result_release(&r);
    }
}

Test(art_npy, literal_forms_python_accepts)
{
    static const char *const ok[] = {
        "{\"descr\": \"<f8\", \"fortran_order\": True, \"shape\": (2,)}",
        "{'descr':'<f8','fortran_order':False,'shape':(2,)}",
        "{'descr': '<' 'f8', 'fortran_order': False, 'shape': (2,), }",
        "{'descr': u'<f8', 'fortran_order': False, 'shape': (2L,), }",
        "{'shape': ((2,)), 'descr': '<f8', 'fortran_order': False}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        LLArtResult r;
        scan(ok[i], "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16, 1, &r);
        char dump[2048];
        cr_assert_eq(r.findings.len, 0, "%s: %s", ok[i], at_dump(&r, dump, sizeof dump));
        ll_art_result_release(&r);
    }
}

Test(art_npy, truncated_files)
{
    LLArtResult r;
    scan("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", "\0\0\0\0\0\0\0\0", 8, 1, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "the array is shorter than its shape");
    ll_art_result_release(&r);
    ATBuf b = {0};
    npy(&b, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", "", 0);
    b.len = 20; /* inside the header */
    at_scan(&pol.opts, b.d, b.len, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    at_free(&b);
    /* an object array whose pickle is cut */
    scan("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", k_evil, 10, 1, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    ll_art_result_release(&r);
}

Test(art_npy, deep_header_literal_is_bounded)
{
    ATBuf d = {0};
    at_lit(&d, "{'descr': ");
    for (int i = 0; i < 5000; i++)
        at_byte(&d, '[');
    for (int i = 0; i < 5000; i++)
        at_byte(&d, ']');
    at_lit(&d, ", 'fortran_order': False, 'shape': (1,), }");
    at_byte(&d, 0);
    LLArtResult r;
    scan((const char *)d.d, "", 0, 2, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert(strstr(at_find(&r, ART_CHECK_MALFORMED, NULL)->message, "nested"));
    ll_art_result_release(&r);
    at_free(&d);
}
