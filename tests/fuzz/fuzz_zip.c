/* fuzz_zip.c - bytes -> the zip reader and container (src/artifact/zip.h),
 * and the tar and compressed-file readers through the dispatcher.
 *
 * The input is read as a zip archive (ll_zip_scan: directories, ZIP64,
 * members stored or compressed, nested archives, PyTorch layouts), then
 * each member's bytes are read with ll_zip_read; then it is handed to the
 * dispatcher (ll_art_scan) and to the tar reader. The checks are
 * fuzz_pickle.c's: sound findings, locations inside the input, verdicts
 * that follow from the findings. Decompression is limited to 1 MiB per
 * member and 4 MiB per input. Seeds: tests/fuzz/seeds/fuzz_zip. */
#include "fuzz_common.h"

#include "artifact/tar.h"
#include "artifact/zip.h"


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
    ll_zip_scan(&ctx, data, size, &r);
    check_result(&r, size);
    ll_art_result_release(&r);

    ll_art_result_init(&r);
    LLZip z;
    if (ll_zip_open(&z, &ctx, data, size, &r)) {
        for (size_t i = 0; i < z.entries.len && i < 64; i++) {
            const LLZipEntry *e = &z.entries.items[i];
            LL_FUZZ_CHECK(e->name + e->name_len <= data + size && e->name >= data, "entry name outside the input");
            LLZipMember m;
            if (ll_zip_read(&z, e, &ctx, 1u << 20, i % 2 == 0, &m, &r)) {
                LL_FUZZ_CHECK(m.len <= (1u << 20), "member read past the limit");
                if (!m.owned.data)
                    LL_FUZZ_CHECK(m.data >= data && m.data + m.len <= data + size, "stored member outside the input");
            }
            ll_zip_member_release(&m);
        }
        ll_zip_close(&z);
    }
    check_result(&r, size);
    ll_art_result_release(&r);

    ll_art_result_init(&r);
    ll_tar_scan(&ctx, data, size, &r);
    check_result(&r, size);
    ll_art_result_release(&r);

    ll_art_result_init(&r);
    ll_art_scan(&opts, "fuzz.zip", data, size, &r);
    check_result(&r, size);
    ll_art_result_release(&r);
    return 0;
}
