/* fuzz_protobuf.c - bytes -> the protobuf readers: saved_model.pb and
 * keras_metadata.pb (src/artifact/savedmodel.h) and ONNX ModelProto
 * (src/artifact/onnx.h), and their sniffers.
 *
 * Checked for each scan: every finding has a check and a message and is
 * located inside the input, and the verdict is at least LL_ART_SAFE. Also
 * the raw reader: ll_protobuf_next over the top level either ends or errs
 * with a message, its fields inside the input. Seeds:
 * tests/fuzz/seeds/fuzz_protobuf (SavedModel, Keras metadata and ONNX files
 * from tests/corpus/artifacts/keras). */
#include "fuzz_common.h"

#include "artifact/onnx.h"
#include "artifact/protobuf.h"
#include "artifact/savedmodel.h"

static LLKerasPolicy *g_policy;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    LLError err;
    if (ll_art_keras_policy_builtin(&g_policy, &err) != LL_OK)
        abort();
    return 0;
}

static void check_result(const LLArtResult *r, size_t size, const char *what)
{
    LL_FUZZ_CHECK(r->verdict >= LL_ART_SAFE, "%s: verdict %d", what, (int)r->verdict);
    for (size_t i = 0; i < r->findings.len; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        LL_FUZZ_CHECK(f->check && f->message && f->message[0], "%s: finding %zu unnamed", what,
                      i);
        LL_FUZZ_CHECK(f->loc.offset <= size && f->loc.length <= size - f->loc.offset,
                      "%s: %s at %llu+%llu outside %zu bytes", what, f->check,
                      (unsigned long long)f->loc.offset, (unsigned long long)f->loc.length,
                      size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_policy)
        LLVMFuzzerInitialize(NULL, NULL);
    LLArtKerasOptions ko = {g_policy};
    static const LLSavedModelKind kinds[] = {LL_SAVEDMODEL_GRAPH, LL_SAVEDMODEL_KERAS_METADATA};
    for (size_t k = 0; k < 2; k++) {
        LLArtSavedModelOptions so = {&ko, kinds[k]};
        LLArtResult r;
        ll_art_result_init(&r);
        ll_art_savedmodel_scan(&so, data, size, NULL, &r);
        check_result(&r, size, k ? "keras_metadata.pb" : "saved_model.pb");
        ll_art_result_release(&r);
    }
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_onnx_scan(NULL, data, size, NULL, &r);
    check_result(&r, size, "onnx");
    ll_art_result_release(&r);
    (void)ll_art_savedmodel_sniff(data, size);
    (void)ll_art_onnx_sniff(data, size);

    LLProtobufReader pr;
    ll_protobuf_init(&pr, data, 0, size);
    LLProtobufField f;
    const char *e = NULL;
    LLProtobufStatus st;
    while ((st = ll_protobuf_next(&pr, &f, &e)) == LL_PROTOBUF_FIELD)
        if (f.wire == LL_PB_BYTES || f.wire == LL_PB_GROUP)
            LL_FUZZ_CHECK(f.data == data + f.offset && f.offset <= size &&
                              f.len <= size - f.offset,
                          "field %u outside the input", f.number);
    LL_FUZZ_CHECK(st == LL_PROTOBUF_END || (e && e[0]), "an error without a message");
    return 0;
}
