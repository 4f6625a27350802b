/* The tar reader (src/artifact/tar.c) and legacy PyTorch tar checkpoints
 * (torch.c). Archives are built in memory. */
#include "artifact/tar.h"
#include "test_art_helpers.h"

static ATPolicy pol;
static void setup(void) { at_policy_load(&pol); }
static void teardown(void) { at_policy_free(&pol); }
TestSuite(art_tar, .init = setup, .fini = teardown);

/* one ustar header + data, padded */
static void tar_member(ATBuf *b, const char *name, char type, const void *data, size_t n, bool bad_sum)
{
    uint8_t h[512];
    memset(h, 0, sizeof h);
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 108, 8, "%07o", 0);
    snprintf((char *)h + 116, 8, "%07o", 0);
    snprintf((char *)h + 124, 12, "%011zo", n);
    snprintf((char *)h + 136, 12, "%011o", 0);
    h[156] = (uint8_t)type;
    memcpy(h + 257, "ustar\0" "00", 8);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum + (bad_sum ? 1 : 0));
    at_put(b, h, 512);
    at_put(b, data, n);
    static const uint8_t zeros[512];
    if (n % 512)
        at_put(b, zeros, 512 - n % 512);
}

static void tar_end(ATBuf *b)
{
    static const uint8_t zeros[1024];
    at_put(b, zeros, sizeof zeros);
}

static const char k_evil[] = "\x80\x02" "cposix\nsystem\n(X\x02\x00\x00\x00idtR.";

Test(art_tar, members_are_sniffed)
{
    ATBuf b = {0};
    tar_member(&b, "README", '0', "hi\n", 3, false);
    tar_member(&b, "model/weights.bin", '0', k_evil, sizeof k_evil - 1, false);
    tar_end(&b);
    cr_assert(ll_tar_sniff(b.d, b.len));
    LLArtResult r;
    at_scan(&pol.opts, b.d, b.len, &r);
    char dump[2048];
    cr_assert_str_eq(r.format, "tar");
    const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system");
    cr_assert_not_null(f, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(f->loc.nmembers, 1);
    cr_assert_str_eq(f->loc.members[0], "model/weights.bin");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_tar, pax_size_and_long_names)
{
    ATBuf b = {0};
    const char *pax = "29 path=a/very/long/name.pkl\n";
    tar_member(&b, "././@PaxHeader", 'x', pax, strlen(pax), false);
    tar_member(&b, "short", '0', k_evil, sizeof k_evil - 1, false);
    const char *gnu = "gnu/long/name.pkl";
    tar_member(&b, "././@LongLink", 'L', gnu, strlen(gnu) + 1, false);
    tar_member(&b, "x", '0', "\x80\x02}.", 4, false);
    tar_end(&b);
    LLTar t;
    LLArtResult r;
    ll_art_result_init(&r);
    uint64_t budget = 1u << 20;
    LLArtCtx ctx = {.opts = &pol.opts, .budget = &budget};
    cr_assert(ll_tar_open(&t, &ctx, b.d, b.len, &r));
    cr_assert_eq(t.entries.len, 2);
    cr_assert_str_eq(t.entries.items[0].name, "a/very/long/name.pkl");
    cr_assert_str_eq(t.entries.items[1].name, "gnu/long/name.pkl");
    ll_tar_close(&t);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_tar, bad_headers)
{
    ATBuf b = {0};
    tar_member(&b, "a.pkl", '0', k_evil, sizeof k_evil - 1, true);
    tar_end(&b);
    cr_assert(!ll_tar_sniff(b.d, b.len), "a wrong checksum is no tar");
    LLTar t;
    LLArtResult r;
    ll_art_result_init(&r);
    uint64_t budget = 1u << 20;
    LLArtCtx ctx = {.opts = &pol.opts, .budget = &budget};
    cr_assert(!ll_tar_open(&t, &ctx, b.d, b.len, &r));
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    ll_art_result_release(&r);
    at_free(&b);
    /* a size past the end */
    tar_member(&b, "a.pkl", '0', k_evil, sizeof k_evil - 1, false);
    snprintf((char *)b.d + 124, 12, "%011o", 077777777);
    memset(b.d + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += b.d[i];
    snprintf((char *)b.d + 148, 8, "%06o", sum);
    ll_art_result_init(&r);
    cr_assert(ll_tar_open(&t, &ctx, b.d, b.len, &r));
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    ll_tar_close(&t);
    ll_art_result_release(&r);
    at_free(&b);
}

static void legacy_tar(ATBuf *b, const char *pickle, size_t pn)
{
    ATBuf st = {0};
    at_lit(&st, "\x80\x02K\x01.");                                    /* one storage */
    at_lit(&st, "\x80\x02X\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuctorch\nFloatStorage\n\x87.");
    at_le(&st, 2, 8);                                                 /* 2 floats */
    at_put(&st, "cos\nsyst", 8);                                      /* raw bytes: not a pickle */
    at_lit(&st, "\x80\x02].");                                        /* views */
    ATBuf te = {0};
    at_lit(&te, "\x80\x02K\x01.");
    at_lit(&te, "\x80\x02X\x02\x00\x00\x00t0X\x01\x00\x00\x00" "0ctorch\nFloatTensor\n\x87.");
    at_le(&te, 1, 4);
    at_le(&te, 0, 4);
    at_le(&te, 2, 8);
    at_le(&te, 1, 8);
    at_le(&te, 0, 8);
    tar_member(b, "storages", '0', st.d, st.len, false);
    tar_member(b, "tensors", '0', te.d, te.len, false);
    tar_member(b, "pickle", '0', pickle, pn, false);
    tar_end(b);
    at_free(&st);
    at_free(&te);
}

Test(art_tar, legacy_torch_checkpoint)
{
    ATBuf b = {0};
    static const char ok[] = "\x80\x02}X\x01\x00\x00\x00wX\x02\x00\x00\x00t0Qs.";
    legacy_tar(&b, ok, sizeof ok - 1);
    LLArtResult r;
    at_scan(&pol.opts, b.d, b.len, &r);
    char dump[2048];
    cr_assert_str_eq(r.format, "pytorch-tar");
    cr_assert_eq(r.findings.len, 0, "%s", at_dump(&r, dump, sizeof dump));
    ll_art_result_release(&r);
    at_free(&b);
    legacy_tar(&b, k_evil, sizeof k_evil - 1);
    at_scan(&pol.opts, b.d, b.len, &r);
    const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system");
    cr_assert_not_null(f);
    cr_assert_str_eq(f->loc.members[0], "pickle");
    ll_art_result_release(&r);
    at_free(&b);
}
