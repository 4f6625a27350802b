/* The Keras config reader (src/artifact/keras.h): the policy and its
 * loader, the JSON preparation, each check, the limits; and the corpus
 * test: every file of tests/corpus/artifacts/keras/ scanned by its reader
 * (a small dispatcher here, stored .keras zips opened here) and compared
 * exactly with expected.json (written by tests/artifacts/generate_keras.py). */
#include "artifact/artifact.h"
#include "artifact/gguf.h"
#include "artifact/hdf5.h"
#include "artifact/keras.h"
#include "artifact/onnx.h"
#include "artifact/safetensors.h"
#include "artifact/savedmodel.h"
#include "base/buf.h"

#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static LLKerasPolicy *kp_builtin(void)
{
    LLKerasPolicy *p = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_art_keras_policy_builtin(&p, &err), LL_OK, "built-in policy: %s", err.msg);
    return p;
}

/* Scans `json` and returns the result (caller releases). */
static LLArtResult kscan(const LLKerasPolicy *p, const char *json)
{
    LLArtKerasOptions o = {p};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_keras_scan(&o, (const uint8_t *)json, strlen(json), NULL, &r);
    return r;
}

/* "check:subject" of every finding, in order of appearance, written to
 * out (cut to outsz - 1 bytes); SUMMARY(r) gives it a buffer of the
 * enclosing block, so that nothing is left to free. */
static const char *summary(const LLArtResult *r, char *out, size_t outsz)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->findings.len && n + 1 < outsz; i++) {
        int w = snprintf(out + n, outsz - n, "%s%s:%s", i ? " " : "", r->findings.items[i].check,
                         r->findings.items[i].subject ? r->findings.items[i].subject : "-");
        if (w < 0)
            break;
        n += (size_t)w < outsz - n ? (size_t)w : outsz - n - 1;
    }
    return out;
}
#define SUMMARY_BYTES 4096
#define SUMMARY(r) summary((r), (char[SUMMARY_BYTES]){0}, SUMMARY_BYTES)

Test(art_keras, policy_classifies_targets)
{
    LLKerasPolicy *p = kp_builtin();
    const char *reason = NULL;
    cr_expect_eq(ll_art_keras_policy_classify(p, "os.system", &reason), LL_KERAS_TARGET_DANGEROUS);
    cr_expect(reason && strstr(reason, "process"), "reason quoted from the policy");
    cr_expect_eq(ll_art_keras_policy_classify(p, "os", NULL), LL_KERAS_TARGET_DANGEROUS);
    cr_expect_eq(ll_art_keras_policy_classify(p, "osx.thing", NULL), LL_KERAS_TARGET_CUSTOM,
                 "a module prefix matches whole dotted components only");
    cr_expect_eq(ll_art_keras_policy_classify(p, "keras.layers.Dense", NULL),
                 LL_KERAS_TARGET_ALLOWED);
    cr_expect_eq(ll_art_keras_policy_classify(p, "kerasx.layers.Dense", NULL),
                 LL_KERAS_TARGET_CUSTOM);
    cr_expect_eq(ll_art_keras_policy_classify(p, "keras.utils.get_file", NULL),
                 LL_KERAS_TARGET_DANGEROUS, "a Keras gadget beats the allowed keras module");
    cr_expect_eq(ll_art_keras_policy_classify(p, "tensorflow.io.write_file", NULL),
                 LL_KERAS_TARGET_DANGEROUS);
    cr_expect_eq(ll_art_keras_policy_classify(p, "tensorflow.math.add", NULL),
                 LL_KERAS_TARGET_ALLOWED);
    cr_expect_eq(ll_art_keras_policy_classify(p, "keras.config.enable_unsafe_deserialization",
                                              NULL),
                 LL_KERAS_TARGET_TOGGLE);
    cr_expect_eq(ll_art_keras_policy_classify(p, "__main__.f", NULL), LL_KERAS_TARGET_CUSTOM);
    ll_art_keras_policy_free(p);
}

Test(art_keras, policy_file_matches_builtin)
{
    LLKerasPolicy *p = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_art_keras_policy_load(&p, LL_SOURCE_DIR "/rules/data/keras-policy.json", &err),
                 LL_OK, "%s", err.msg);
    cr_expect_eq(ll_art_keras_policy_classify(p, "subprocess.Popen", NULL),
                 LL_KERAS_TARGET_DANGEROUS);
    ll_art_keras_policy_free(p);
    cr_expect_neq(ll_art_keras_policy_load(&p, LL_SOURCE_DIR "/no/such/policy.json", &err),
                  LL_OK);
    cr_expect_null(p);
}

/* A minimal valid policy with one key replaced. */
static LLStatus parse_policy(const char *text, LLError *err)
{
    LLKerasPolicy *p = NULL;
    memset(err, 0, sizeof *err);
    LLStatus st = ll_art_keras_policy_parse(&p, text, strlen(text), "p.json", err);
    ll_art_keras_policy_free(p);
    return st;
}

#define POLICY_HEAD                                                                          \
    "{\"kind\": \"keras-policy\", \"version\": 1, \"allow_modules\": [\"keras\"],\n"         \
    " \"allow_packages\": [], \"builtin_classes\": [\"Dense\"],\n"
#define POLICY_TAIL                                                                          \
    " \"savedmodel_layers\": {}, \"file_arguments\": {}}"

Test(art_keras, policy_errors_name_file_and_pointer)
{
    LLError err;
    cr_expect_eq(parse_policy(POLICY_HEAD
                              " \"dangerous\": {\"modules\": {}, \"targets\": {}, "
                              "\"unsafe_toggles\": {}},\n" POLICY_TAIL,
                              &err),
                 LL_OK, "%s", err.msg);
    cr_expect_neq(parse_policy(POLICY_HEAD
                               " \"dangerous\": {\"modules\": {\"os\": 3}, \"targets\": {}, "
                               "\"unsafe_toggles\": {}},\n" POLICY_TAIL,
                               &err),
                  LL_OK);
    cr_expect(strstr(err.msg, "/dangerous/modules/os"), "pointer in: %s", err.msg);
    cr_expect_str_eq(err.file, "p.json");
    cr_expect_eq(err.line, 3, "line of the bad value: %u", err.line);
    cr_expect_neq(parse_policy(POLICY_HEAD
                               " \"dangerous\": {\"modules\": {}, \"targets\": {}, "
                               "\"unsafe_toggles\": {}, \"extra\": 1},\n" POLICY_TAIL,
                               &err),
                  LL_OK);
    cr_expect(strstr(err.msg, "/dangerous/extra"), "%s", err.msg);
    cr_expect_neq(parse_policy(POLICY_HEAD POLICY_TAIL, &err), LL_OK, "dangerous is required");
    cr_expect(strstr(err.msg, "dangerous"), "%s", err.msg);
    cr_expect_neq(parse_policy("{\"kind\": \"other\"}", &err), LL_OK);
    cr_expect_neq(parse_policy("{\"kind\": ", &err), LL_OK, "syntax error");
    cr_expect_neq(parse_policy("[]", &err), LL_OK);
    cr_expect_neq(parse_policy(POLICY_HEAD
                               " \"dangerous\": {\"modules\": {\"os\": \"a\", \"os\": \"b\"}, "
                               "\"targets\": {}, \"unsafe_toggles\": {}},\n" POLICY_TAIL,
                               &err),
                  LL_OK, "duplicate names");
    cr_expect(strstr(err.msg, "duplicate"), "%s", err.msg);
}

Test(art_keras, json_prepare)
{
    size_t bad = 0;
    const char *why = NULL;
    bool lim = false;
    const char *in = "{\"a\": NaN, \"b\": -Infinity, \"c\": \"NaN\"}";
    char *c = ll_art_keras_json_prepare(in, strlen(in), 8, &bad, &why, &lim);
    cr_assert_not_null(c);
    cr_expect_str_eq(c, "{\"a\": 0.0, \"b\": -1e999999, \"c\": \"NaN\"}",
                     "literals replaced outside strings only, same length");
    free(c);
    cr_expect_null(ll_art_keras_json_prepare("[[[[1]]]]", 9, 3, &bad, &why, &lim));
    cr_expect(lim);
    cr_expect_eq(bad, 3);
    cr_expect_null(ll_art_keras_json_prepare("{\"k\\u0000\": 1}", 15, 8, &bad, &why, &lim));
    cr_expect(!lim);
    cr_expect_null(ll_art_keras_json_prepare("{\"k\": \"a\0b\"}", 12, 8, &bad, &why, &lim));
    c = ll_art_keras_json_prepare("\"[[[[\\\"[[[\"", 11, 1, &bad, &why, &lim);
    cr_expect_not_null(c, "brackets inside strings do not nest");
    free(c);
}

Test(art_keras, sniff)
{
    const char *yes = "\xEF\xBB\xBF  {\"module\": \"keras\", \"class_name\": \"Sequential\"}";
    cr_expect(ll_art_keras_sniff((const uint8_t *)yes, strlen(yes)));
    const char *no1 = "[{\"class_name\": 1}]";
    cr_expect(!ll_art_keras_sniff((const uint8_t *)no1, strlen(no1)));
    const char *no2 = "{\"weights\": []}";
    cr_expect(!ll_art_keras_sniff((const uint8_t *)no2, strlen(no2)));
    cr_expect(!ll_art_keras_sniff((const uint8_t *)"", 0));
}

Test(art_keras, lambda_names_and_location)
{
    LLKerasPolicy *p = kp_builtin();
    /* marshal: 'z' (short ASCII) strings "os" and "system" among bytes */
    /* base64 of: e3 7a 02 'o' 's' 7a 06 's' 'y' 's' 't' 'e' 'm' */
    const char *cfg = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
                      "{\"class_name\": \"Lambda\", \"config\": {\"name\": \"L\", "
                      "\"function\": [\"43oCb3N6BnN5c3RlbQ==\\n\", null, null], "
                      "\"function_type\": \"lambda\"}}]}}";
    LLArtResult r = kscan(p, cfg);
    cr_assert_eq(r.findings.len, 1, "%s", SUMMARY(&r));
    const LLArtFinding *f = &r.findings.items[0];
    cr_expect_str_eq(f->check, ART_CHECK_KERAS_LAMBDA);
    cr_expect_eq(f->severity, LL_SEV_ERROR);
    cr_expect(strstr(f->message, "names in it: os, system"), "%s", f->message);
    cr_expect(strstr(f->message, "/config/layers/0"), "%s", f->message);
    const char *at = strstr(cfg, "{\"class_name\": \"Lambda\"");
    cr_expect_eq(f->loc.offset, (uint64_t)(at - cfg), "located at the layer's '{'");
    cr_expect_eq(f->loc.length, strlen(at) - 3, "the layer object's length");
    cr_expect_eq(r.verdict, LL_ART_MALICIOUS);
    cr_expect_str_eq(r.format, "keras-config");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_keras, embedded_text_offsets_and_members)
{
    LLKerasPolicy *p = kp_builtin();
    LLArtKerasOptions o = {p};
    const char *txt = "{\"module\": \"os\", \"class_name\": \"function\", \"config\": \"system\"}";
    char *members[LL_ART_MAX_NESTING] = {"model.keras", "config.json"};
    LLArtLoc where = {0, 0, 2, {members[0], members[1]}};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_keras_scan_text(&o, txt, strlen(txt), 1000, "the test text", &where, &r);
    cr_assert_eq(r.findings.len, 1);
    const LLArtFinding *f = &r.findings.items[0];
    cr_expect_str_eq(f->subject, "os.system");
    cr_expect_eq(f->loc.offset, 1000);
    cr_expect_eq(f->loc.nmembers, 2);
    cr_expect_str_eq(f->loc.members[1], "config.json");
    cr_expect(strstr(f->message, "the test text"));
    cr_expect_null(r.format, "scan_text leaves the format to its caller");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_keras, last_duplicate_key_wins)
{
    LLKerasPolicy *p = kp_builtin();
    LLArtResult r = kscan(p, "{\"module\": \"os\", \"module\": \"keras.layers\", "
                             "\"class_name\": \"Dense\", \"config\": {}}");
    cr_expect_eq(r.findings.len, 0, "Python reads keras.layers: %s", SUMMARY(&r));
    cr_expect_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    r = kscan(p, "{\"module\": \"keras.layers\", \"module\": \"os\", "
                 "\"class_name\": \"Dense\", \"config\": {}}");
    cr_expect_str_eq(SUMMARY(&r), "keras-dangerous-target:os.Dense");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_keras, findings_are_capped)
{
    LLKerasPolicy *p = kp_builtin();
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
    for (int i = 0; i < 300; i++)
        ll_buf_printf(&b, "%s{\"class_name\": \"Custom%d\", \"config\": {}}", i ? "," : "", i);
    ll_buf_puts(&b, "]}}");
    LLArtResult r = kscan(p, b.data);
    cr_assert_eq(r.findings.len, LL_KERAS_MAX_FINDINGS + 1);
    cr_expect_str_eq(r.findings.items[LL_KERAS_MAX_FINDINGS].check, ART_CHECK_LIMIT);
    cr_expect_eq(r.verdict, LL_ART_UNSCANNABLE);
    /* findings past LL_KERAS_MAX_LOCATED point at the config's start */
    cr_expect_eq(r.findings.items[LL_KERAS_MAX_LOCATED].loc.offset, 0);
    cr_expect_neq(r.findings.items[LL_KERAS_MAX_LOCATED - 1].loc.offset, 0);
    ll_art_result_release(&r);
    ll_buf_release(&b);
    ll_art_keras_policy_free(p);
}

Test(art_keras, markers_and_builtins_are_quiet)
{
    LLKerasPolicy *p = kp_builtin();
    LLArtResult r = kscan(p, "{\"class_name\": \"Functional\", \"config\": {\"x\": "
                             "{\"class_name\": \"__numpy__\", \"module\": \"os\", \"config\": {}},"
                             "\"y\": {\"class_name\": \"__keras_tensor__\", \"config\": {}},"
                             "\"z\": {\"class_name\": \"function\", \"config\": \"relu\"},"
                             "\"w\": {\"class_name\": \"Custom>Adam\", \"config\": {}}}}");
    cr_expect_str_eq(SUMMARY(&r), "keras-custom-object:Custom>Adam",
                     "markers are data, a module-less function is a built-in lookup");
    ll_art_result_release(&r);
    r = kscan(p, "[1, 2, {\"no\": \"class\"}]");
    cr_expect_eq(r.findings.len, 0);
    cr_expect_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

Test(art_keras, malformed_and_limits)
{
    LLKerasPolicy *p = kp_builtin();
    LLArtResult r = kscan(p, "{\"class_name\": ");
    cr_expect_str_eq(SUMMARY(&r), "malformed:-");
    cr_expect_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    LLBuf b;
    ll_buf_init(&b);
    for (unsigned i = 0; i < LL_KERAS_MAX_JSON_DEPTH + 1; i++)
        ll_buf_putc(&b, '[');
    r = kscan(p, b.data);
    cr_expect_str_eq(SUMMARY(&r), "limit:-");
    ll_art_result_release(&r);
    ll_buf_release(&b);
    LLArtKerasOptions none = {NULL};
    ll_art_result_init(&r);
    ll_art_keras_scan(&none, (const uint8_t *)"{}", 2, NULL, &r);
    cr_expect_str_eq(SUMMARY(&r), "limit:-", "no policy: reported, not a silent pass");
    ll_art_result_release(&r);
    ll_art_keras_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* The corpus                                                         */

#define CORPUS LL_SOURCE_DIR "/tests/corpus/artifacts/keras"

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
    d[n] = 0;
    *len = (size_t)n;
    return d;
}

typedef struct Files {
    char **items;
    size_t len, cap;
} Files;

static void list_files(const char *root, const char *rel, Files *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "cannot list %s", path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[1024], full[2048];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        cr_assert_eq(stat(full, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            list_files(root, sub, out);
        } else {
            if (out->len == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->items = realloc(out->items, out->cap * sizeof *out->items);
            }
            out->items[out->len++] = strdup(sub);
        }
    }
    closedir(d);
}

static const char *verdict_name(LLArtVerdict v)
{
    static const char *const names[] = {"not-model", "safe", "suspicious", "malicious",
                                        "unscannable"};
    return names[v];
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "check subject" lines, sorted, newline-joined. */
static char *findings_text(const LLArtResult *r)
{
    char **lines = calloc(r->findings.len + 1, sizeof *lines);
    for (size_t i = 0; i < r->findings.len; i++) {
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b, "%s %s", r->findings.items[i].check,
                      r->findings.items[i].subject ? r->findings.items[i].subject : "null");
        lines[i] = ll_buf_detach(&b);
    }
    qsort(lines, r->findings.len, sizeof *lines, cmp_cstr);
    LLBuf out;
    ll_buf_init(&out);
    for (size_t i = 0; i < r->findings.len; i++) {
        ll_buf_printf(&out, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return ll_buf_detach(&out);
}

static char *expected_text(const cJSON *checks)
{
    size_t n = (size_t)cJSON_GetArraySize(checks);
    char **lines = calloc(n + 1, sizeof *lines);
    size_t i = 0;
    for (const cJSON *c = checks->child; c; c = c->next, i++) {
        const cJSON *check = cJSON_GetArrayItem(c, 0), *subj = cJSON_GetArrayItem(c, 1);
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b, "%s %s", check->valuestring,
                      cJSON_IsString(subj) ? subj->valuestring : "null");
        lines[i] = ll_buf_detach(&b);
    }
    qsort(lines, n, sizeof *lines, cmp_cstr);
    LLBuf out;
    ll_buf_init(&out);
    for (i = 0; i < n; i++) {
        ll_buf_printf(&out, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return ll_buf_detach(&out);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Scans one file or member with the reader its name picks. */
static void dispatch(const LLKerasPolicy *p, const char *name, const uint8_t *d, size_t n,
                     const LLArtLoc *where, LLArtResult *r)
{
    LLArtKerasOptions ko = {p};
    if (ends_with(name, ".json")) {
        ll_art_keras_scan(&ko, d, n, where, r);
    } else if (ends_with(name, ".h5")) {
        LLArtHdf5Options ho = {&ko};
        ll_art_hdf5_scan(&ho, d, n, where, r);
    } else if (ll_art_savedmodel_name_kind(name) != LL_SAVEDMODEL_NONE) {
        LLArtSavedModelOptions so = {&ko, ll_art_savedmodel_name_kind(name)};
        ll_art_savedmodel_scan(&so, d, n, where, r);
    } else if (ends_with(name, ".safetensors")) {
        ll_art_safetensors_scan(NULL, d, n, where, r);
    } else if (ends_with(name, ".gguf")) {
        ll_art_gguf_scan(NULL, d, n, where, r);
    } else if (ll_art_onnx_name_matches(name)) {
        ll_art_onnx_scan(NULL, d, n, where, r);
    } else {
        cr_assert_fail("no reader for %s", name);
    }
}

/* A stored (uncompressed) member of a zip, found through the central
 * directory. */
static bool zip_member(const uint8_t *z, size_t n, const char *name, const uint8_t **data,
                       size_t *len)
{
    if (n < 22)
        return false;
    size_t eocd = n - 22;
    while (eocd > 0 && memcmp(z + eocd, "PK\5\6", 4) != 0)
        eocd--;
    if (memcmp(z + eocd, "PK\5\6", 4) != 0)
        return false;
    unsigned entries = z[eocd + 10] | z[eocd + 11] << 8;
    size_t cd = (size_t)z[eocd + 16] | (size_t)z[eocd + 17] << 8 | (size_t)z[eocd + 18] << 16 |
                (size_t)z[eocd + 19] << 24;
#define U16(p) ((size_t)(p)[0] | (size_t)(p)[1] << 8)
#define U32(p) (U16(p) | U16((p) + 2) << 16)
    for (unsigned i = 0; i < entries && cd + 46 <= n; i++) {
        const uint8_t *c = z + cd;
        if (memcmp(c, "PK\1\2", 4) != 0)
            return false;
        size_t nlen = U16(c + 28), elen = U16(c + 30), clen = U16(c + 32);
        size_t method = U16(c + 10), size = U32(c + 20), local = U32(c + 42);
        if (nlen == strlen(name) && memcmp(c + 46, name, nlen) == 0) {
            cr_assert_eq(method, 0, "the fixtures' zips are stored");
            const uint8_t *l = z + local;
            *data = l + 30 + U16(l + 26) + U16(l + 28);
            *len = size;
            return true;
        }
        cd += 46 + nlen + elen + clen;
    }
#undef U16
#undef U32
    return false;
}

static void compare(const char *what, const LLArtResult *r, const cJSON *want)
{
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(want, "format");
    const cJSON *verdict = cJSON_GetObjectItemCaseSensitive(want, "verdict");
    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(want, "checks");
    cr_assert(cJSON_IsString(fmt) && cJSON_IsString(verdict) && cJSON_IsArray(checks),
              "expected.json entry of %s", what);
    cr_expect_str_eq(r->format ? r->format : "(null)", fmt->valuestring, "%s: format", what);
    cr_expect_str_eq(verdict_name(r->verdict), verdict->valuestring, "%s: verdict", what);
    char *got = findings_text(r), *exp = expected_text(checks);
    cr_expect_str_eq(got, exp, "%s: findings\n got:\n%s expected:\n%s", what, got, exp);
    for (size_t i = 0; i < r->findings.len; i++)
        cr_expect(r->findings.items[i].message && r->findings.items[i].message[0],
                  "%s: a finding without a message", what);
    free(got);
    free(exp);
}

Test(art_keras, corpus_matches_expected_json, .timeout = 120)
{
    size_t elen;
    uint8_t *etext = slurp(CORPUS "/expected.json", &elen);
    cJSON *doc = cJSON_ParseWithLength((const char *)etext, elen);
    cr_assert_not_null(doc, "expected.json parses");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
    cr_assert(cJSON_IsObject(files));
    Files list = {0};
    list_files(CORPUS, "", &list);
    qsort(list.items, list.len, sizeof *list.items, cmp_cstr);
    LLKerasPolicy *p = kp_builtin();
    size_t scanned = 0;
    for (size_t i = 0; i < list.len; i++) {
        const char *rel = list.items[i];
        if (strcmp(rel, "expected.json") == 0)
            continue;
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(files, rel);
        cr_expect_not_null(want, "%s is not in expected.json", rel);
        if (!want)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", CORPUS, rel);
        size_t n;
        uint8_t *d = slurp(path, &n);
        const cJSON *members = cJSON_GetObjectItemCaseSensitive(want, "members");
        if (members) {
            for (const cJSON *m = members->child; m; m = m->next) {
                const uint8_t *md;
                size_t mlen;
                cr_assert(zip_member(d, n, m->string, &md, &mlen), "%s: no member %s", rel,
                          m->string);
                char *names[LL_ART_MAX_NESTING] = {m->string};
                LLArtLoc where = {0, 0, 1, {names[0]}};
                LLArtResult r;
                ll_art_result_init(&r);
                dispatch(p, m->string, md, mlen, &where, &r);
                char what[1024];
                snprintf(what, sizeof what, "%s!%s", rel, m->string);
                compare(what, &r, m);
                for (size_t k = 0; k < r.findings.len; k++)
                    cr_expect_str_eq(r.findings.items[k].loc.members[0], m->string);
                ll_art_result_release(&r);
            }
        } else {
            LLArtResult r;
            ll_art_result_init(&r);
            dispatch(p, rel, d, n, NULL, &r);
            compare(rel, &r, want);
            for (size_t k = 0; k < r.findings.len; k++) {
                const LLArtFinding *f = &r.findings.items[k];
                cr_expect(f->loc.offset <= n && f->loc.length <= n - f->loc.offset,
                          "%s: finding %s located outside the file", rel, f->check);
            }
            ll_art_result_release(&r);
        }
        scanned++;
        free(d);
    }
    for (const cJSON *e = files->child; e; e = e->next) {
        bool found = false;
        for (size_t i = 0; i < list.len && !found; i++)
            found = strcmp(list.items[i], e->string) == 0;
        cr_expect(found, "expected.json names %s, which is not in the corpus", e->string);
    }
    cr_expect_geq(scanned, 50, "the corpus is there (%zu files)", scanned);
    for (size_t i = 0; i < list.len; i++)
        free(list.items[i]);
    free(list.items);
    ll_art_keras_policy_free(p);
    cJSON_Delete(doc);
    free(etext);
}
