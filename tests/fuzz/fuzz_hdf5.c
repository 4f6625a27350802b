/* fuzz_hdf5.c - bytes -> HDF5 root attributes (src/artifact/hdf5.h).
 *
 * The input is read by ll_art_hdf5_read_root and scanned by
 * ll_art_hdf5_scan (model_config through keras.h). Checked: an error comes
 * with a message; strings read lie inside the input; every finding has a
 * check and a message and is located inside the input; the verdict is at
 * least LL_ART_SAFE. Seeds: tests/fuzz/seeds/fuzz_hdf5 (small h5py files
 * from tests/corpus/artifacts/keras/h5). */
#include "fuzz_common.h"

#include "artifact/hdf5.h"

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

static void check_value(const LLHdf5Value *v, const uint8_t *data, size_t size)
{
    if (!v->data)
        return;
    LL_FUZZ_CHECK(v->data >= data && v->offset == (uint64_t)(v->data - data) &&
                      v->offset <= size && v->len <= size - v->offset,
                  "attribute string outside the input");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_policy)
        LLVMFuzzerInitialize(NULL, NULL);
    LLHdf5Root root;
    char err[256];
    uint64_t at;
    bool lim;
    const char *e = ll_art_hdf5_read_root(data, size, &root, err, sizeof err, &at, &lim);
    LL_FUZZ_CHECK(!e || e[0], "an error without a message");
    check_value(&root.model_config, data, size);
    check_value(&root.training_config, data, size);
    check_value(&root.keras_version, data, size);
    check_value(&root.backend, data, size);
    (void)ll_art_hdf5_sniff(data, size);

    LLArtKerasOptions ko = {g_policy};
    LLArtHdf5Options o = {&ko};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_hdf5_scan(&o, data, size, NULL, &r);
    LL_FUZZ_CHECK(r.verdict >= LL_ART_SAFE, "verdict %d", (int)r.verdict);
    LL_FUZZ_CHECK(r.format != NULL, "no format");
    for (size_t i = 0; i < r.findings.len; i++) {
        const LLArtFinding *f = &r.findings.items[i];
        LL_FUZZ_CHECK(f->check && f->message && f->message[0], "finding %zu unnamed", i);
        LL_FUZZ_CHECK(f->loc.offset <= size && f->loc.length <= size - f->loc.offset,
                      "%s at %llu+%llu outside %zu bytes", f->check,
                      (unsigned long long)f->loc.offset, (unsigned long long)f->loc.length,
                      size);
    }
    ll_art_result_release(&r);
    return 0;
}
