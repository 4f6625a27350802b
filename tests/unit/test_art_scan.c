/* The dispatcher (src/artifact/scan.c): sniffing by magic bytes and
 * structure, never by name; LFS pointers; empty and unknown files. */
#include "test_art_helpers.h"

static ATPolicy pol;
static void setup(void) { at_policy_load(&pol); }
static void teardown(void) { at_policy_free(&pol); }
TestSuite(art_scan, .init = setup, .fini = teardown);

static LLArtKind sniff(const char *name, const char *bytes, size_t n)
{
    return ll_art_sniff(name, (const uint8_t *)bytes, n);
}

Test(art_scan, sniff_ignores_names)
{
    const char *p0 = "cos\nsystem\n(S'x'\ntR.";
    static const char *const names[] = {"a.pkl", "pytorch_model.bin", "model.safetensors", "notes.txt", NULL};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(sniff(names[i], p0, strlen(p0)), LL_ART_KIND_PICKLE, "%s", names[i] ? names[i] : "(null)");
    const char *text = "Weights for the model are in model.bin.\n";
    cr_assert_eq(sniff("weights.pkl", text, strlen(text)), LL_ART_KIND_NONE);
    cr_assert_eq(sniff("x.npy", "", 0), LL_ART_KIND_NONE);
    cr_assert_eq(sniff("x", "PK\x03\x04", 4), LL_ART_KIND_ZIP);
    cr_assert_eq(sniff("x", "PK\x05\x06", 4), LL_ART_KIND_ZIP);
    cr_assert_eq(sniff("x", "\x93NUMPY\x01\x00v\x00", 10), LL_ART_KIND_NPY);
    cr_assert_eq(sniff("x", "\x93NUMPY\x09\x00v\x00", 10), LL_ART_KIND_NONE, "an unknown .npy version");
    const char *lfs = "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 3\n";
    cr_assert_eq(sniff("x.bin", lfs, strlen(lfs)), LL_ART_KIND_LFS);
}

Test(art_scan, lfs_pointers_are_never_clean)
{
    const char *lfs = "version https://git-lfs.github.com/spec/v1\n"
                      "oid sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nsize 99\n";
    LLArtResult r;
    at_scan(&pol.opts, (const uint8_t *)lfs, strlen(lfs), &r);
    cr_assert_str_eq(r.format, "lfs-pointer");
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    const LLArtFinding *f = at_find(&r, ART_CHECK_LFS_POINTER, NULL);
    cr_assert_not_null(f);
    cr_assert_str_eq(f->subject, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    cr_assert(strstr(f->message, "not scanned"));
    ll_art_result_release(&r);
}

Test(art_scan, unknown_bytes_are_not_model_files)
{
    LLArtResult r;
    at_scan(&pol.opts, (const uint8_t *)"", 0, &r);
    cr_assert_null(r.format);
    cr_assert_eq(r.verdict, LL_ART_NOT_MODEL);
    ll_art_result_release(&r);
    const char *elf = "\x7f" "ELF\x02\x01\x01";
    at_scan(&pol.opts, (const uint8_t *)elf, 7, &r);
    cr_assert_eq(r.verdict, LL_ART_NOT_MODEL);
    ll_art_result_release(&r);
    /* a gzip'd text file is no model file; a gzip'd pickle is */
    const uint8_t gz_text[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd,
                               0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00};
    cr_assert_eq(ll_art_sniff("x.gz", gz_text, sizeof gz_text), LL_ART_KIND_NONE);
}
