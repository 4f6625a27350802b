/* fuzz_artifact.c - bytes -> the model-file dispatcher (src/artifact/
 * dispatch.h): which reader claims them, and the whole scan, as the
 * scan's analyzer runs it (every format: pickle family, Keras zips and
 * configs, HDF5, SavedModel, safetensors, GGUF, ONNX).
 *
 * The first input byte picks the file name the bytes are offered under
 * (names decide for saved_model.pb, keras_metadata.pb and *.onnx only);
 * the rest are the file. Checks: a file no reader claims gives no format,
 * no verdict and no finding; every finding has a check declared in
 * artifact.h, a message, valid UTF-8 text, and (outside archive members) a
 * byte range inside the file; a claimed file has a format and a verdict at
 * least "safe". Seeds: tests/fuzz/seeds/fuzz_artifact (copies of
 * tests/corpus/artifacts files with a leading name byte). */
#include "fuzz_common.h"

#include "artifact/dispatch.h"

static LLArtPolicies g_policies;
static LLArtScratch *g_scratch;

static const char *const k_names[] = {"model.bin", "saved_model.pb", "keras_metadata.pb", "model.onnx",
                                      "config.json", "model.safetensors", "weights.h5", "x.pkl"};

static const char *const k_checks[] = {
    ART_CHECK_PICKLE_DANGEROUS, ART_CHECK_PICKLE_UNLISTED, ART_CHECK_MALFORMED, ART_CHECK_LIMIT,
    ART_CHECK_LFS_POINTER, ART_CHECK_PICKLE_DYNAMIC_GLOBAL, ART_CHECK_PICKLE_EXTENSION,
    ART_CHECK_PICKLE_INDIRECT_CALL, ART_CHECK_PICKLE_GLOBAL_MUTATION, ART_CHECK_TRAILING_DATA,
    ART_CHECK_TORCHSCRIPT_CODE, ART_CHECK_UNSUPPORTED, ART_CHECK_ZIP_CRC, ART_CHECK_ZIP_FLAGS,
    ART_CHECK_ZIP_DIVERGENCE, ART_CHECK_ARCHIVE_DUPLICATE, ART_CHECK_ARCHIVE_UNSAFE_PATH,
    ART_CHECK_KERAS_LAMBDA, ART_CHECK_KERAS_DANGEROUS, ART_CHECK_KERAS_CUSTOM, ART_CHECK_KERAS_UNSAFE_TOGGLE,
    ART_CHECK_KERAS_SAVEDMODEL_LAYER, ART_CHECK_KERAS_FILE_REF, ART_CHECK_KERAS_SHARED_MISMATCH,
    ART_CHECK_KERAS_H5_LEGACY, ART_CHECK_TF_PYTHON_OP, ART_CHECK_TF_FILE_WRITE_OP, ART_CHECK_TF_FILE_READ_OP,
    ART_CHECK_TF_NETWORK_OP, ART_CHECK_TF_LITERAL_PATH, ART_CHECK_GGUF_TEMPLATE, ART_CHECK_ONNX_EXTERNAL_PATH,
    ART_CHECK_ONNX_EXTERNAL_KEY, ART_CHECK_ONNX_CUSTOM_DOMAIN,
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    LLError err;
    if (ll_art_policies_init(&g_policies, &err) != LL_OK) {
        fprintf(stderr, "policies: %s\n", err.msg);
        abort();
    }
    g_scratch = ll_art_scratch_new();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    const char *name = k_names[data[0] % (sizeof k_names / sizeof *k_names)];
    data++;
    size--;
    LLArtClaim claim = ll_art_claim(name, data, size);
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_dispatch(&g_policies, g_scratch, name, data, size, &r);
    if (claim == LL_ART_CLAIM_NONE)
        LL_FUZZ_CHECK(!r.format && r.verdict == LL_ART_NOT_MODEL && !r.findings.len, "unclaimed bytes scanned");
    if (r.format)
        LL_FUZZ_CHECK(r.verdict >= LL_ART_SAFE, "a model file without a verdict");
    else
        LL_FUZZ_CHECK(!r.findings.len || r.verdict != LL_ART_NOT_MODEL, "findings on no model file");
    for (size_t i = 0; i < r.findings.len; i++) {
        const LLArtFinding *f = &r.findings.items[i];
        bool known = false;
        for (size_t k = 0; k < sizeof k_checks / sizeof *k_checks && !known; k++)
            known = strcmp(f->check, k_checks[k]) == 0;
        LL_FUZZ_CHECK(known, "undeclared check %s", f->check);
        LL_FUZZ_CHECK(f->message && f->message[0], "a finding without a message");
        LL_FUZZ_CHECK(ll_fuzz_utf8_invalid_at((const unsigned char *)f->message, strlen(f->message)) ==
                          strlen(f->message),
                      "message is not UTF-8");
        if (f->subject)
            LL_FUZZ_CHECK(ll_fuzz_utf8_invalid_at((const unsigned char *)f->subject, strlen(f->subject)) ==
                              strlen(f->subject),
                          "subject is not UTF-8");
        if (!f->loc.nmembers)
            LL_FUZZ_CHECK(f->loc.offset <= size && f->loc.length <= size - f->loc.offset,
                          "%s at %llu+%llu outside %zu bytes", f->check, (unsigned long long)f->loc.offset,
                          (unsigned long long)f->loc.length, size);
    }
    ll_art_result_release(&r);
    return 0;
}
