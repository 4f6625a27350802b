/* fuzz_npy.c - bytes -> the .npy reader (src/artifact/npy.h) and the
 * decompressors (compress.h).
 *
 * The input is read as an .npy file (the header literal, object dtypes and
 * the pickle that follows them); with "\x93NUMPY" and a version put in
 * front, as the header alone; then each decompressor is run on it with a
 * small limit, and the compressed-file reader. The checks are
 * fuzz_pickle.c's. Seeds: tests/fuzz/seeds/fuzz_npy. */
#include "fuzz_common.h"

#include "artifact/compress.h"
#include "artifact/npy.h"


static LLPicklePolicy g_policy;

static const char k_policy[] =
    "{\"kind\": \"pickle-policy\","
    " \"allow\": [\"collections.OrderedDict\", \"torch._utils._rebuild_tensor_v2\", \"torch.FloatStorage\","
    "   \"numpy.ndarray\", \"numpy.dtype\", \"numpy.core.multiarray._reconstruct\", \"_codecs.encode\","
    "   \"joblib.numpy_pickle.NumpyArrayWrapper\", \"builtins.set\", \"copyreg._reconstructor\"],"
    " \"dangerous\": {\"os.*\": \"runs commands\", \"posix.*\": \"runs commands\", \"builtins.eval\": \"evaluates\","
    "   \"builtins.getattr\": \"reaches attributes\", \"pickle.*\": \"unpickles\", \"importlib.*\": \"imports\","
    "   \"pkgutil.resolve_name\": \"resolves names\", \"subprocess.*\": \"runs commands\"}}";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ll_pickle_policy_init(&g_policy);
    LLError err;
    if (ll_pickle_policy_parse(&g_policy, "fuzz", k_policy, sizeof k_policy - 1, &err) != LL_OK) {
        fprintf(stderr, "policy: %s\n", err.msg);
        abort();
    }
    return 0;
}

static void check_text(const char *what, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    size_t bad = ll_fuzz_utf8_invalid_at((const unsigned char *)s, n);
    LL_FUZZ_CHECK(bad == n, "%s is not UTF-8 at byte %zu", what, bad);
    for (size_t i = 0; i < n; i++)
        LL_FUZZ_CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f, "%s holds control byte 0x%02x", what,
                      (unsigned char)s[i]);
}

static void check_result(const LLArtResult *r, size_t size)
{
    bool malformed = false, dangerous = false;
    for (size_t i = 0; i < r->findings.len; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        LL_FUZZ_CHECK(f->check && f->message && f->message[0], "finding %zu without check or message", i);
        LL_FUZZ_CHECK(f->severity <= LL_SEV_ERROR, "bad severity %d", (int)f->severity);
        check_text("message", f->message);
        check_text("subject", f->subject);
        for (uint32_t m = 0; m < f->loc.nmembers; m++)
            check_text("member", f->loc.members[m]);
        if (f->loc.nmembers == 0)
            LL_FUZZ_CHECK(f->loc.offset <= size, "offset %llu past the input (%zu)",
                          (unsigned long long)f->loc.offset, size);
        malformed |= (strcmp(f->check, ART_CHECK_MALFORMED) == 0 && f->severity >= LL_SEV_WARNING) ||
                     (strcmp(f->check, ART_CHECK_LIMIT) == 0 && f->severity >= LL_SEV_WARNING);
        dangerous |= strcmp(f->check, ART_CHECK_PICKLE_DANGEROUS) == 0;
    }
    if (malformed)
        LL_FUZZ_CHECK(r->verdict >= LL_ART_UNSCANNABLE, "malformed but verdict %d", (int)r->verdict);
    if (dangerous)
        LL_FUZZ_CHECK(r->verdict >= LL_ART_MALICIOUS, "dangerous but verdict %d", (int)r->verdict);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    LLArtScanOptions opts = {.policy = &g_policy, .max_decompressed = 1u << 20, .max_decompressed_total = 4u << 20};
    uint64_t budget = 4u << 20;
    LLArtCtx ctx = {.opts = &opts, .budget = &budget};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_npy_scan(&ctx, data, size, &r);
    check_result(&r, size);
    ll_art_result_release(&r);

    /* the input as a header: magic, version 1-3, length, then the text */
    uint8_t *h = malloc(size + 12);
    if (!h)
        abort();
    int ver = size ? 1 + data[0] % 3 : 1;
    memcpy(h, "\x93NUMPY", 6);
    h[6] = (uint8_t)ver;
    h[7] = 0;
    size_t pre = ver == 1 ? 10 : 12;
    size_t hl = size > 0xffff && ver == 1 ? 0xffff : size;
    for (size_t i = 0; i < pre - 8; i++)
        h[8 + i] = (uint8_t)(hl >> (8 * i));
    if (size)
        memcpy(h + pre, data, size);
    ll_art_result_init(&r);
    ll_npy_scan(&ctx, h, pre + size, &r);
    check_result(&r, pre + size);
    ll_art_result_release(&r);
    free(h);

    static const LLCompressKind kinds[] = {LL_COMPRESS_ZLIB, LL_COMPRESS_GZIP, LL_COMPRESS_BZ2, LL_COMPRESS_XZ,
                                           LL_COMPRESS_LZMA, LL_COMPRESS_DEFLATE, LL_COMPRESS_ZIP_LZMA,
                                           LL_COMPRESS_JOBLIB_ZF};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        LLBytes out = {0};
        char err[256];
        LLDecompStatus st = ll_decompress(kinds[k], data, size, 1u << 16, &out, err, sizeof err);
        LL_FUZZ_CHECK(out.len <= (1u << 16), "%s produced %zu bytes past its limit", ll_compress_name(kinds[k]),
                      out.len);
        LL_FUZZ_CHECK(st == LL_DECOMP_OK || err[0], "%s failed without saying why", ll_compress_name(kinds[k]));
        ll_bytes_release(&out);
    }
    ll_art_result_init(&r);
    ll_compress_scan(&ctx, data, size, &r);
    check_result(&r, size);
    ll_art_result_release(&r);
    return 0;
}
