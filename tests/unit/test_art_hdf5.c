/* The HDF5 reader (src/artifact/hdf5.h): superblocks 0 and 3, object
 * headers 1 and 2, compact and dense attributes (managed and huge heap
 * objects, two-level B-trees), fixed and variable-length strings, user
 * blocks; hand-made broken files (continuation cycles, addresses past the
 * end); and every truncation and many corruptions of real files, which must
 * give a clean answer. Fixtures: tests/corpus/artifacts/keras/h5 (written by
 * h5py, tests/artifacts/generate_keras.py). */
#include "artifact/hdf5.h"
#include "artifact/keras.h"

#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H5DIR LL_SOURCE_DIR "/tests/corpus/artifacts/keras/h5/"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)n + 1);
    cr_assert_eq(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

static const char *read_root(const uint8_t *d, size_t n, LLHdf5Root *root, char *err,
                             size_t errsz)
{
    uint64_t at;
    bool lim;
    return ll_art_hdf5_read_root(d, n, root, err, errsz, &at, &lim);
}

/* The model_config value parses as a Keras config of class `cls`. */
static void expect_config(const LLHdf5Value *v, const char *cls)
{
    cr_assert(v->present && v->data, "model_config read (%s)", v->problem ? v->problem : "");
    cJSON *j = cJSON_ParseWithLength((const char *)v->data, v->len);
    cr_assert_not_null(j, "model_config is the JSON h5py stored");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(j, "class_name")->valuestring, cls);
    cJSON_Delete(j);
}

Test(art_hdf5, compact_v0_vlen_strings)
{
    size_t n;
    uint8_t *d = slurp(H5DIR "benign_compact.h5", &n);
    LLHdf5Root root;
    char err[256];
    cr_assert_null(read_root(d, n, &root, err, sizeof err), "%s", err);
    cr_expect_eq(root.superblock_version, 0);
    cr_expect_eq(root.header_version, 1);
    cr_expect(!root.dense);
    expect_config(&root.model_config, "Sequential");
    cr_expect(root.training_config.present && root.training_config.data);
    cr_assert(root.keras_version.data);
    cr_expect_eq(root.keras_version.len, 6);
    cr_expect(!memcmp(root.keras_version.data, "2.15.0", 6));
    cr_expect_eq(root.model_config.offset, (uint64_t)(root.model_config.data - d),
                 "offset of the string in the file");
    free(d);
}

Test(art_hdf5, fixed_length_strings)
{
    size_t n;
    uint8_t *d = slurp(H5DIR "lambda_fixed.h5", &n);
    LLHdf5Root root;
    char err[256];
    cr_assert_null(read_root(d, n, &root, err, sizeof err), "%s", err);
    expect_config(&root.model_config, "Sequential");
    cr_expect_eq(root.keras_version.len, 5);
    free(d);
}

Test(art_hdf5, dense_huge_object)
{
    size_t n;
    uint8_t *d = slurp(H5DIR "lambda_dense_huge.h5", &n);
    LLHdf5Root root;
    char err[256];
    cr_assert_null(read_root(d, n, &root, err, sizeof err), "%s", err);
    cr_expect_eq(root.superblock_version, 3);
    cr_expect_eq(root.header_version, 2);
    cr_expect(root.dense, "an attribute over 64 KiB forces dense storage");
    cr_expect_gt(root.model_config.len, 70000);
    expect_config(&root.model_config, "Sequential");
    free(d);
}

Test(art_hdf5, dense_managed_two_level_btree)
{
    size_t n;
    uint8_t *d = slurp(H5DIR "custom_dense_managed.h5", &n);
    LLHdf5Root root;
    char err[256];
    cr_assert_null(read_root(d, n, &root, err, sizeof err), "%s", err);
    cr_expect(root.dense);
    cr_expect_eq(root.nattributes, 43, "40 + model_config, keras_version, backend");
    expect_config(&root.model_config, "Sequential");
    cr_expect(root.backend.data && root.backend.len == 10);
    /* the name index is deeper than a leaf (40 records of 17 bytes in 512) */
    const uint8_t *bthd = NULL;
    for (size_t i = 0; i + 14 <= n && !bthd; i++)
        if (!memcmp(d + i, "BTHD", 4))
            bthd = d + i;
    cr_assert_not_null(bthd);
    cr_expect_geq(bthd[12] | bthd[13] << 8, 1, "B-tree depth");
    free(d);
}

Test(art_hdf5, user_block)
{
    size_t n;
    uint8_t *d = slurp(H5DIR "lambda_compact.h5", &n);
    uint8_t *u = calloc(1, n + 1024);
    memcpy(u + 1024, d, n);
    cr_expect(ll_art_hdf5_sniff(u, n + 1024), "signature at 1024");
    LLHdf5Root root;
    char err[256];
    cr_assert_null(read_root(u, n + 1024, &root, err, sizeof err), "%s", err);
    cr_expect_eq(root.superblock_offset, 1024);
    expect_config(&root.model_config, "Sequential");
    cr_expect(!ll_art_hdf5_sniff(u + 1, n), "not at offset 1023");
    free(u);
    free(d);
}

Test(art_hdf5, scan_formats_and_notes)
{
    LLKerasPolicy *p = NULL;
    LLError e;
    cr_assert_eq(ll_art_keras_policy_builtin(&p, &e), LL_OK);
    LLArtKerasOptions ko = {p};
    LLArtHdf5Options ho = {&ko};
    size_t n;
    uint8_t *d = slurp(H5DIR "lambda_compact.h5", &n);
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_hdf5_scan(&ho, d, n, NULL, &r);
    cr_expect_str_eq(r.format, "keras-h5");
    cr_assert_eq(r.findings.len, 2);
    cr_expect_str_eq(r.findings.items[0].check, ART_CHECK_KERAS_H5_LEGACY);
    cr_expect_eq(r.findings.items[0].severity, LL_SEV_NOTE);
    cr_expect_str_eq(r.findings.items[0].subject, "2.15.0");
    cr_expect_str_eq(r.findings.items[1].check, ART_CHECK_KERAS_LAMBDA);
    /* located inside the model_config string, in the file */
    LLHdf5Root root;
    char err[256];
    read_root(d, n, &root, err, sizeof err);
    cr_expect_geq(r.findings.items[1].loc.offset, root.model_config.offset);
    cr_expect_leq(r.findings.items[1].loc.offset + r.findings.items[1].loc.length,
                  root.model_config.offset + root.model_config.len);
    cr_expect_eq(d[r.findings.items[1].loc.offset], '{');
    ll_art_result_release(&r);
    free(d);
    d = slurp(H5DIR "weights_only.h5", &n);
    ll_art_result_init(&r);
    ll_art_hdf5_scan(&ho, d, n, NULL, &r);
    cr_expect_str_eq(r.format, "hdf5");
    cr_expect_eq(r.findings.len, 0);
    cr_expect_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    free(d);
    ll_art_keras_policy_free(p);
}

/* A hand-made file: superblock 2 (8-byte offsets and lengths) at 0, the
 * root object header (version 1) at 48, whose continuation message points
 * at a chunk at 96 that continues into itself. */
static size_t put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return 8;
}

static size_t cyclic_file(uint8_t *f, uint64_t second_target)
{
    memset(f, 0, 256);
    memcpy(f, "\x89HDF\r\n\x1a\n", 8);
    f[8] = 2;  /* version */
    f[9] = 8;  /* offsets */
    f[10] = 8; /* lengths */
    put64(f + 12, 0);          /* base */
    put64(f + 20, UINT64_MAX); /* no extension */
    put64(f + 28, 256);        /* end of file */
    put64(f + 36, 48);         /* root object header */
    uint8_t *h = f + 48;       /* version 1 header: 16-byte prefix */
    h[0] = 1;
    h[2] = 1;  /* one message */
    h[4] = 1;  /* reference count */
    h[8] = 24; /* chunk size */
    uint8_t *m = h + 16;
    m[0] = 0x10; /* continuation */
    m[2] = 16;   /* size */
    put64(m + 8, 96);
    put64(m + 16, 24);
    uint8_t *c = f + 96;
    c[0] = 0x10;
    c[2] = 16;
    put64(c + 8, second_target);
    put64(c + 16, 24);
    return 256;
}

Test(art_hdf5, continuation_cycle_detected)
{
    uint8_t f[256];
    size_t n = cyclic_file(f, 96);
    LLHdf5Root root;
    char err[256];
    uint64_t at;
    bool lim;
    const char *e = ll_art_hdf5_read_root(f, n, &root, err, sizeof err, &at, &lim);
    cr_assert_not_null(e);
    cr_expect(strstr(e, "cycle"), "%s", e);
    cr_expect(!lim);
    n = cyclic_file(f, 48 + 16); /* into the first chunk: also a revisit? no: new address */
    e = ll_art_hdf5_read_root(f, n, &root, err, sizeof err, &at, &lim);
    cr_assert_not_null(e, "a chunk that is the first chunk's messages again loops");
    n = cyclic_file(f, 1u << 20);
    e = ll_art_hdf5_read_root(f, n, &root, err, sizeof err, &at, &lim);
    cr_assert_not_null(e);
    cr_expect(strstr(e, "past the end"), "%s", e);
}

Test(art_hdf5, not_hdf5)
{
    LLHdf5Root root;
    char err[256];
    const char *e = read_root((const uint8_t *)"plain text", 10, &root, err, sizeof err);
    cr_assert_not_null(e);
    cr_expect(strstr(e, "signature"));
    cr_expect(!ll_art_hdf5_sniff((const uint8_t *)"plain text", 10));
    cr_expect(!ll_art_hdf5_sniff((const uint8_t *)"", 0));
}

/* Every prefix of a file, and byte corruptions of its metadata, are read
 * without crashing (run under ASan in the fuzz build) and either succeed or
 * say why. */
static void torture(const char *name, size_t flip_limit)
{
    size_t n;
    uint8_t *d = slurp(name, &n);
    LLHdf5Root root;
    char err[256];
    for (size_t k = 0; k <= n; k += (k < 4096 ? 1 : 61)) {
        uint8_t *cut = malloc(k ? k : 1);
        memcpy(cut, d, k);
        const char *e = read_root(cut, k, &root, err, sizeof err);
        cr_assert(!e || e[0], "an error has a message");
        if (!e && k < n && root.model_config.present)
            cr_assert(root.model_config.offset + root.model_config.len <= k);
        free(cut);
    }
    uint8_t *m = malloc(n);
    for (size_t i = 0; i < n && i < flip_limit; i++) {
        static const uint8_t vals[] = {0x00, 0xff, 0x80, 0x01};
        for (size_t v = 0; v < sizeof vals; v++) {
            memcpy(m, d, n);
            m[i] = vals[v] == d[i] ? (uint8_t)~vals[v] : vals[v];
            const char *e = read_root(m, n, &root, err, sizeof err);
            cr_assert(!e || e[0]);
            if (root.model_config.data)
                cr_assert(root.model_config.offset + root.model_config.len <= n);
        }
    }
    free(m);
    free(d);
}

Test(art_hdf5, truncations_and_corruptions, .timeout = 120)
{
    torture(H5DIR "benign_compact.h5", 4096);
    torture(H5DIR "custom_dense_managed.h5", 4096);
    torture(H5DIR "lambda_dense_huge.h5", 2560);
}
