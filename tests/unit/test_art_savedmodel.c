/* The protobuf wire reader (src/artifact/protobuf.h) and the SavedModel /
 * keras_metadata.pb reader (src/artifact/savedmodel.h): wire-format edge
 * cases, the op table, names, sniffing, node-level findings and their
 * locations, and every truncation of the fixtures (tests/corpus/artifacts/
 * keras/savedmodel, written by tests/artifacts/generate_keras.py). */
#include "artifact/keras.h"
#include "artifact/protobuf.h"
#include "artifact/savedmodel.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMDIR LL_SOURCE_DIR "/tests/corpus/artifacts/keras/savedmodel/"

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

static LLProtobufStatus one(const uint8_t *b, size_t n, LLProtobufField *f, const char **e)
{
    LLProtobufReader r;
    ll_protobuf_init(&r, b, 0, n);
    return ll_protobuf_next(&r, f, e);
}

Test(art_protobuf, varints_and_wire_types)
{
    LLProtobufField f;
    const char *e = NULL;
    static const uint8_t v[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    cr_assert_eq(one(v, sizeof v, &f, &e), LL_PROTOBUF_FIELD);
    cr_expect_eq(f.number, 1);
    cr_expect_eq(f.value, UINT64_MAX, "10-byte varint");
    static const uint8_t over[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    cr_expect_eq(one(over, sizeof over, &f, &e), LL_PROTOBUF_ERROR, "past 64 bits");
    static const uint8_t eleven[] = {0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                     0x80, 0x00};
    cr_expect_eq(one(eleven, sizeof eleven, &f, &e), LL_PROTOBUF_ERROR, "11 bytes");
    static const uint8_t zero[] = {0x00, 0x01};
    cr_expect_eq(one(zero, sizeof zero, &f, &e), LL_PROTOBUF_ERROR, "field number 0");
    static const uint8_t w6[] = {0x0e};
    cr_expect_eq(one(w6, sizeof w6, &f, &e), LL_PROTOBUF_ERROR, "wire type 6");
    static const uint8_t fixed[] = {0x0d, 1, 2, 3, 4, 0x11, 1, 0, 0, 0, 0, 0, 0, 0x80};
    LLProtobufReader r;
    ll_protobuf_init(&r, fixed, 0, sizeof fixed);
    cr_assert_eq(ll_protobuf_next(&r, &f, &e), LL_PROTOBUF_FIELD);
    cr_expect_eq(f.wire, LL_PB_FIXED32);
    cr_expect_eq(f.value, 0x04030201u);
    cr_assert_eq(ll_protobuf_next(&r, &f, &e), LL_PROTOBUF_FIELD);
    cr_expect_eq(f.wire, LL_PB_FIXED64);
    cr_expect_eq(f.value, 0x8000000000000001ull);
    cr_expect_eq(ll_protobuf_next(&r, &f, &e), LL_PROTOBUF_END);
    static const uint8_t longlen[] = {0x12, 0x05, 'a', 'b'};
    cr_expect_eq(one(longlen, sizeof longlen, &f, &e), LL_PROTOBUF_ERROR);
    cr_expect(strstr(e, "past the end"), "%s", e);
}

Test(art_protobuf, groups_are_skipped_with_their_nesting)
{
    /* field 2 group { field 3 group { field 1 varint } } then field 4 */
    static const uint8_t g[] = {0x13, 0x1b, 0x08, 0x05, 0x1c, 0x14, 0x20, 0x07};
    LLProtobufReader r;
    ll_protobuf_init(&r, g, 0, sizeof g);
    LLProtobufField f;
    const char *e = NULL;
    cr_assert_eq(ll_protobuf_next(&r, &f, &e), LL_PROTOBUF_FIELD, "%s", e ? e : "");
    cr_expect_eq(f.wire, LL_PB_GROUP);
    cr_expect_eq(f.number, 2);
    cr_expect_eq(f.len, 4, "the group's fields");
    cr_assert_eq(ll_protobuf_next(&r, &f, &e), LL_PROTOBUF_FIELD);
    cr_expect_eq(f.number, 4);
    cr_expect_eq(f.value, 7);
    static const uint8_t bad_end[] = {0x13, 0x1c};
    LLProtobufField f2;
    cr_expect_eq(one(bad_end, sizeof bad_end, &f2, &e), LL_PROTOBUF_ERROR, "mismatched end");
    static const uint8_t open_only[] = {0x13, 0x08, 0x01};
    cr_expect_eq(one(open_only, sizeof open_only, &f2, &e), LL_PROTOBUF_ERROR, "unclosed");
    uint8_t deep[2 * (LL_PROTOBUF_MAX_GROUP_DEPTH + 2)];
    size_t n = 0;
    for (unsigned i = 0; i < LL_PROTOBUF_MAX_GROUP_DEPTH + 1; i++)
        deep[n++] = 0x0b; /* field 1, start group */
    cr_expect_eq(one(deep, n, &f2, &e), LL_PROTOBUF_ERROR);
    cr_expect(strstr(e, "LL_PROTOBUF_MAX_GROUP_DEPTH"), "%s", e);
    static const uint8_t end_only[] = {0x0c};
    cr_expect_eq(one(end_only, sizeof end_only, &f2, &e), LL_PROTOBUF_ERROR);
}

Test(art_savedmodel, op_table_is_sorted_and_found)
{
    static const char *const ops[] = {"ReadFile", "WriteFile", "PyFunc", "EagerPyFunc",
                                      "MergeV2Checkpoints", "SaveV2", "MatchingFiles",
                                      "CSVDataset", "WholeFileReaderV2", "TryRpc"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        const LLTfOpInfo *info = ll_art_savedmodel_op(ops[i], strlen(ops[i]));
        cr_assert_not_null(info, "%s is in the table (sorted for bsearch)", ops[i]);
        cr_expect_str_eq(info->op, ops[i]);
    }
    cr_expect_null(ll_art_savedmodel_op("Readfile", 8));
    cr_expect_null(ll_art_savedmodel_op("ReadFil", 7));
    cr_expect_null(ll_art_savedmodel_op("ReadFileX", 9));
    cr_expect_null(ll_art_savedmodel_op("", 0));
    cr_expect_null(ll_art_savedmodel_op("MatMul", 6));
    cr_expect_str_eq(ll_art_savedmodel_op("PyFunc", 6)->check, ART_CHECK_TF_PYTHON_OP);
    cr_expect(ll_art_savedmodel_op("SaveV2", 6)->literal_only);
    cr_expect(!ll_art_savedmodel_op("WriteFile", 9)->literal_only);
}

Test(art_savedmodel, names_and_sniff)
{
    cr_expect_eq(ll_art_savedmodel_name_kind("a/b/saved_model.pb"), LL_SAVEDMODEL_GRAPH);
    cr_expect_eq(ll_art_savedmodel_name_kind("keras_metadata.pb"), LL_SAVEDMODEL_KERAS_METADATA);
    cr_expect_eq(ll_art_savedmodel_name_kind("model.pb"), LL_SAVEDMODEL_NONE);
    cr_expect_eq(ll_art_savedmodel_name_kind("saved_model.pbtxt"), LL_SAVEDMODEL_NONE);
    size_t n;
    uint8_t *d = slurp(SMDIR "benign/saved_model.pb", &n);
    cr_expect(ll_art_savedmodel_sniff(d, n));
    cr_expect(ll_art_savedmodel_sniff(d, n < 64 ? n : 64), "a head cut mid-field");
    free(d);
    d = slurp(SMDIR "keras_lambda/keras_metadata.pb", &n);
    cr_expect(ll_art_savedmodel_sniff(d, 100));
    free(d);
    cr_expect(!ll_art_savedmodel_sniff((const uint8_t *)"GGUF\3\0\0\0", 8));
    cr_expect(!ll_art_savedmodel_sniff((const uint8_t *)"", 0));
}

static LLArtResult scan_file(const char *path, LLSavedModelKind kind, LLKerasPolicy **pp)
{
    LLError e;
    cr_assert_eq(ll_art_keras_policy_builtin(pp, &e), LL_OK);
    static LLArtKerasOptions ko;
    ko.policy = *pp;
    LLArtSavedModelOptions so = {&ko, kind};
    size_t n;
    uint8_t *d = slurp(path, &n);
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_savedmodel_scan(&so, d, n, NULL, &r);
    free(d);
    return r;
}

static const LLArtFinding *find(const LLArtResult *r, const char *check, const char *subject)
{
    for (size_t i = 0; i < r->findings.len; i++)
        if (!strcmp(r->findings.items[i].check, check) &&
            (!subject || (r->findings.items[i].subject &&
                          !strcmp(r->findings.items[i].subject, subject))))
            return &r->findings.items[i];
    return NULL;
}

Test(art_savedmodel, file_ops_name_node_function_and_path)
{
    LLKerasPolicy *p;
    LLArtResult r = scan_file(SMDIR "file_ops/saved_model.pb", LL_SAVEDMODEL_GRAPH, &p);
    const LLArtFinding *f = find(&r, ART_CHECK_TF_FILE_WRITE_OP, "WriteFile");
    cr_assert_not_null(f);
    cr_expect(strstr(f->message, "function `__inference_call_99`"), "%s", f->message);
    cr_expect(strstr(f->message, "/home/user/.bashrc"), "the Const path: %s", f->message);
    cr_expect_eq(f->severity, LL_SEV_ERROR);
    f = find(&r, ART_CHECK_TF_FILE_READ_OP, "ReadFile");
    cr_assert_not_null(f);
    cr_expect(strstr(f->message, "the graph"), "%s", f->message);
    cr_expect(strstr(f->message, "/etc/passwd"), "%s", f->message);
    cr_expect_eq(f->severity, LL_SEV_WARNING);
    f = find(&r, ART_CHECK_TF_FILE_WRITE_OP, "PrintV2");
    cr_assert_not_null(f);
    cr_expect(strstr(f->message, "file:///tmp/exfil.log"), "%s", f->message);
    cr_expect(strstr(f->message, "`log`"), "only the file:// PrintV2: %s", f->message);
    cr_expect_eq(r.verdict, LL_ART_SUSPICIOUS);
    cr_expect_str_eq(r.format, "tf-savedmodel");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_savedmodel, standard_savers_are_quiet)
{
    LLKerasPolicy *p;
    LLArtResult r = scan_file(SMDIR "benign/saved_model.pb", LL_SAVEDMODEL_GRAPH, &p);
    cr_expect_eq(r.findings.len, 0, "%s", r.findings.len ? r.findings.items[0].message : "");
    cr_expect_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_savedmodel, metadata_json_is_analysed)
{
    LLKerasPolicy *p;
    LLArtResult r =
        scan_file(SMDIR "keras_lambda/keras_metadata.pb", LL_SAVEDMODEL_KERAS_METADATA, &p);
    const LLArtFinding *f = find(&r, ART_CHECK_KERAS_LAMBDA, NULL);
    cr_assert_not_null(f);
    cr_expect(strstr(f->message, "keras_metadata.pb node `root.layer-1`"), "%s", f->message);
    cr_expect_str_eq(r.format, "keras-metadata");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_savedmodel, empty_and_malformed)
{
    LLKerasPolicy *p;
    LLError e;
    cr_assert_eq(ll_art_keras_policy_builtin(&p, &e), LL_OK);
    LLArtKerasOptions ko = {p};
    LLArtSavedModelOptions so = {&ko, LL_SAVEDMODEL_GRAPH};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_savedmodel_scan(&so, (const uint8_t *)"", 0, NULL, &r);
    cr_expect_eq(r.verdict, LL_ART_UNSCANNABLE, "an empty saved_model.pb holds no graph");
    ll_art_result_release(&r);
    so.kind = LL_SAVEDMODEL_KERAS_METADATA;
    ll_art_result_init(&r);
    ll_art_savedmodel_scan(&so, (const uint8_t *)"", 0, NULL, &r);
    cr_expect_eq(r.verdict, LL_ART_SAFE, "no metadata nodes");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

/* Every prefix of every fixture gives an answer, located in the prefix. */
Test(art_savedmodel, truncations, .timeout = 120)
{
    static const char *const files[] = {"benign/saved_model.pb", "file_ops/saved_model.pb",
                                        "literal_paths/saved_model.pb",
                                        "keras_user_object/saved_model.pb",
                                        "keras_lambda/keras_metadata.pb"};
    LLKerasPolicy *p;
    LLError e;
    cr_assert_eq(ll_art_keras_policy_builtin(&p, &e), LL_OK);
    LLArtKerasOptions ko = {p};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", SMDIR, files[i]);
        size_t n;
        uint8_t *d = slurp(path, &n);
        LLArtSavedModelOptions so = {&ko, ll_art_savedmodel_name_kind(files[i])};
        for (size_t k = 0; k < n; k++) {
            uint8_t *cut = malloc(k ? k : 1);
            memcpy(cut, d, k);
            LLArtResult r;
            ll_art_result_init(&r);
            ll_art_savedmodel_scan(&so, cut, k, NULL, &r);
            cr_assert_geq(r.verdict, LL_ART_SAFE);
            for (size_t j = 0; j < r.findings.len; j++)
                cr_assert(r.findings.items[j].loc.offset + r.findings.items[j].loc.length <= k,
                          "%s cut at %zu: %s located outside", files[i], k,
                          r.findings.items[j].check);
            ll_art_result_release(&r);
            free(cut);
        }
        free(d);
    }
    ll_art_keras_policy_free(p);
}
