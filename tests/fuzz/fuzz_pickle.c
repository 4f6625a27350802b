/* fuzz_pickle.c - bytes -> the pickle walker (src/artifact/pickle.h).
 *
 * The input is read as a pickle file (ll_pickle_scan: concatenated
 * streams, legacy torch.save, joblib arrays), as a PyTorch TorchScript
 * pickle, and through the dispatcher (ll_art_scan, which sniffs it first).
 * Besides "no crash, no leak, no UB, no hang", it checks that every finding
 * has a known severity, a message, and strings that are strict UTF-8
 * without control characters; that locations lie inside the input; that a
 * malformed or limit finding makes the verdict at least unscannable and a
 * dangerous global at least malicious; and that the sniffer accepts the
 * inputs the dispatcher scans as pickles (or the compressed stream that
 * holds them). Seeds: tests/fuzz/seeds/fuzz_pickle. */
#include "fuzz_common.h"

#include "artifact/pickle.h"

#include <string.h>

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
    static const unsigned flags[] = {0, LL_PICKLE_TORCHSCRIPT, LL_PICKLE_PLAIN};
    for (size_t k = 0; k < 3; k++) {
        LLArtResult r;
        ll_art_result_init(&r);
        ll_pickle_scan(&ctx, data, 0, size, flags[k], &r);
        check_result(&r, size);
        ll_art_result_release(&r);
    }
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_scan(&opts, "fuzz.pkl", data, size, &r);
    check_result(&r, size);
    if (r.format && strcmp(r.format, "pickle") == 0) {
        /* a pickle, or a compressed stream holding one (joblib's zlib) */
        LLArtKind k = ll_art_sniff("fuzz.pkl", data, size);
        LL_FUZZ_CHECK(k == LL_ART_KIND_PICKLE || k == LL_ART_KIND_COMPRESSED,
                      "scanned as a pickle, not sniffed as one (kind %d)", (int)k);
    }
    ll_art_result_release(&r);
    return 0;
}
