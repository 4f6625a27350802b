/* fuzz_keras.c - bytes -> Keras model config (src/artifact/keras.h).
 *
 * The input is scanned as a config.json (ll_art_keras_scan), sniffed, and
 * parsed as a Keras policy document (ll_art_keras_policy_parse). Checked:
 * every finding names a check and has a message, is located inside the
 * input, and the verdict is at least LL_ART_SAFE (a config is never left
 * unjudged); a rejected policy comes with an error message. Seeds:
 * tests/fuzz/seeds/fuzz_keras (configs from tests/corpus/artifacts/keras). */
#include "fuzz_common.h"

#include "artifact/keras.h"

static LLKerasPolicy *g_policy;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    LLError err;
    if (ll_art_keras_policy_builtin(&g_policy, &err) != LL_OK) {
        fprintf(stderr, "built-in Keras policy: %s\n", err.msg);
        abort();
    }
    return 0;
}

static void check_result(const LLArtResult *r, size_t size)
{
    LL_FUZZ_CHECK(r->verdict >= LL_ART_SAFE, "verdict %d", (int)r->verdict);
    for (size_t i = 0; i < r->findings.len; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        LL_FUZZ_CHECK(f->check && f->message && f->message[0], "finding %zu unnamed", i);
        LL_FUZZ_CHECK(f->loc.offset <= size && f->loc.length <= size - f->loc.offset,
                      "%s at %llu+%llu outside %zu bytes", f->check,
                      (unsigned long long)f->loc.offset, (unsigned long long)f->loc.length,
                      size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_policy)
        LLVMFuzzerInitialize(NULL, NULL);
    LLArtKerasOptions o = {g_policy};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_keras_scan(&o, data, size, NULL, &r);
    check_result(&r, size);
    ll_art_result_release(&r);
    (void)ll_art_keras_sniff(data, size);

    LLKerasPolicy *p = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    if (ll_art_keras_policy_parse(&p, (const char *)data, size, "fuzz.json", &err) == LL_OK) {
        (void)ll_art_keras_policy_classify(p, "os.system", NULL);
        (void)ll_art_keras_policy_classify(p, "keras.layers.Dense", NULL);
        ll_art_keras_policy_free(p);
    } else {
        LL_FUZZ_CHECK(err.msg[0] != '\0', "a rejected policy without an error message");
        LL_FUZZ_CHECK(p == NULL, "a rejected policy was returned");
    }
    return 0;
}
