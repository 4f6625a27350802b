/* The model-file analyzer (src/artifact/analyzer.c) and its dispatcher
 * (src/artifact/dispatch.h): every check a reader can emit reaches a
 * built-in rule; which reader claims which bytes; a scan through ll_run
 * gives binary findings under the rules, with the reader's severity, byte
 * range and members; allowed-globals per settings; the size limit. */
#include "test_art_helpers.h"

#include "artifact/dispatch.h"
#include "base/buf.h"
#include "config/settings.h"
#include "engine/analyzer.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <fcntl.h>
#include <regex.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    LLBuf b;
    ll_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ll_buf_append(&b, chunk, n);
    fclose(f);
    return ll_buf_detach(&b);
}

static LLRuleset *builtin_rules(void)
{
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(rs, &err), LL_OK, "%s", err.msg);
    ll_ruleset_finish(rs);
    return rs;
}

/* The check names artifact.h defines (ART_CHECK_X "name"). */
static size_t header_checks(char names[][64], size_t max)
{
    char *h = slurp_text(LL_SOURCE_DIR "/src/artifact/artifact.h");
    regex_t re;
    cr_assert_eq(regcomp(&re, "#define ART_CHECK_[A-Z0-9_]+ +\"([a-z0-9-]+)\"", REG_EXTENDED), 0);
    size_t n = 0;
    const char *p = h;
    regmatch_t m[2];
    while (n < max && regexec(&re, p, 2, m, 0) == 0) {
        snprintf(names[n++], 64, "%.*s", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so);
        p += m[0].rm_eo;
    }
    regfree(&re);
    free(h);
    return n;
}

Test(art_analyzer, every_check_reaches_a_builtin_rule)
{
    static char names[128][64];
    size_t n = header_checks(names, 128);
    cr_assert_geq(n, 34, "artifact.h lists the checks (%zu found)", n);
    LLRuleset *rs = builtin_rules();
    for (size_t i = 0; i < n; i++) {
        intptr_t v;
        cr_expect(ll_strmap_get(&rs->by_artifact, names[i], strlen(names[i]), &v),
                  "no built-in rule matches the check \"%s\" (add it to a rules/LL9*.json "
                  "\"match\": {\"artifact\": [...]})",
                  names[i]);
    }
    /* and every check a rule names is one a reader can emit */
    for (size_t r = 0; r < rs->nrules; r++) {
        for (size_t k = 0; k < rs->rules[r].artifacts.len; k++) {
            bool known = false;
            for (size_t i = 0; i < n && !known; i++)
                known = strcmp(rs->rules[r].artifacts.items[k], names[i]) == 0;
            cr_expect(known, "%s names the check \"%s\", which no reader defines", rs->rules[r].code,
                      rs->rules[r].artifacts.items[k]);
        }
    }
    ll_ruleset_free(rs);
}

/* Readers name their checks through the ART_CHECK_* macros only (a string
 * literal would escape the test above), and every macro they use is
 * defined in artifact.h. */
Test(art_analyzer, readers_use_only_declared_checks)
{
    static const char *const readers[] = {"pickle", "pickle_policy", "zip", "torch", "npy", "tar", "compress",
                                          "joblib", "scan", "keras", "hdf5", "savedmodel", "protobuf",
                                          "safetensors", "gguf", "onnx", "dispatch", "analyzer", "artifact",
                                          NULL};
    char *h = slurp_text(LL_SOURCE_DIR "/src/artifact/artifact.h");
    regex_t lit, use;
    cr_assert_eq(regcomp(&lit, "ll_art_add\\([^,]+, *\"", REG_EXTENDED), 0);
    cr_assert_eq(regcomp(&use, "ART_CHECK_[A-Z0-9_]+", REG_EXTENDED), 0);
    size_t uses = 0;
    for (size_t i = 0; readers[i]; i++) {
        char path[512];
        snprintf(path, sizeof path, LL_SOURCE_DIR "/src/artifact/%s.c", readers[i]);
        char *src = slurp_text(path);
        regmatch_t m[1];
        cr_expect(regexec(&lit, src, 1, m, 0) != 0, "%s passes a literal check name to ll_art_add", path);
        for (const char *p = src; regexec(&use, p, 1, m, 0) == 0; p += m[0].rm_eo) {
            char def[80];
            snprintf(def, sizeof def, "#define %.*s ", (int)(m[0].rm_eo - m[0].rm_so), p + m[0].rm_so);
            cr_expect_not_null(strstr(h, def), "%s uses %s, not defined in artifact.h", path, def + 8);
            uses++;
        }
        free(src);
    }
    cr_expect_gt(uses, 50);
    regfree(&lit);
    regfree(&use);
    free(h);
}

Test(art_analyzer, claims_by_bytes_and_documented_names)
{
    static const uint8_t pickle[] = "\x80\x02}q\x00.";
    static const uint8_t hdf5[] = "\x89HDF\r\n\x1a\n\0\0\0\0";
    static const uint8_t gguf[] = "GGUF\x03\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    static const uint8_t st[] = "\x0e\0\0\0\0\0\0\0{\"__metadata__\":{}}";
    static const uint8_t zip[] = "PK\x03\x04\x14\0\0\0";
    static const uint8_t text[] = "just some text\n";
    static const uint8_t keras[] = "{\"class_name\": \"Sequential\", \"config\": {}}";
    static const uint8_t onnx_head[] = "\x08\x07\x12\x04test";
    struct {
        const char *name;
        const uint8_t *d;
        size_t n;
        LLArtClaim want;
    } cases[] = {
        {"model.bin", pickle, sizeof pickle - 1, LL_ART_CLAIM_FAMILY},
        {"model.safetensors", pickle, sizeof pickle - 1, LL_ART_CLAIM_FAMILY},
        {"weights.h5", hdf5, sizeof hdf5 - 1, LL_ART_CLAIM_HDF5},
        {"x.bin", hdf5, sizeof hdf5 - 1, LL_ART_CLAIM_HDF5},
        {"m.gguf", gguf, sizeof gguf - 1, LL_ART_CLAIM_GGUF},
        {"model.bin", st, sizeof st - 1, LL_ART_CLAIM_SAFETENSORS},
        {"model.keras", zip, sizeof zip - 1, LL_ART_CLAIM_FAMILY},
        {"notes.pkl", text, sizeof text - 1, LL_ART_CLAIM_NONE},
        {"model.safetensors", text, sizeof text - 1, LL_ART_CLAIM_NONE},
        {"model.h5", text, sizeof text - 1, LL_ART_CLAIM_NONE},
        {"config.json", keras, sizeof keras - 1, LL_ART_CLAIM_KERAS_JSON},
        /* protobuf cannot be sniffed: these two names are claimed (the
         * readers' documented exception), the parse decides */
        {"dir/saved_model.pb", text, sizeof text - 1, LL_ART_CLAIM_SAVEDMODEL},
        {"dir/model.ONNX", text, sizeof text - 1, LL_ART_CLAIM_ONNX},
        {"graph.pb", text, sizeof text - 1, LL_ART_CLAIM_NONE},
        /* ModelProto fields without the name: tentative (see below) */
        {"model.bin", onnx_head, sizeof onnx_head - 1, LL_ART_CLAIM_ONNX},
        {"empty", text, 0, LL_ART_CLAIM_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(ll_art_claim(cases[i].name, cases[i].d, cases[i].n), cases[i].want, "case %zu (%s): %s", i,
                     cases[i].name, ll_art_claim_name(ll_art_claim(cases[i].name, cases[i].d, cases[i].n)));
}

Test(art_analyzer, tentative_onnx_claim_that_does_not_parse_is_not_a_model)
{
    LLArtPolicies p;
    LLError err;
    cr_assert_eq(ll_art_policies_init(&p, &err), LL_OK);
    /* ModelProto-looking head, then a field running past the end */
    static const uint8_t d[] = "\x08\x07\x12\x7f" "abc";
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_dispatch(&p, NULL, "blob.bin", d, sizeof d - 1, &r);
    cr_expect_null(r.format);
    cr_expect_eq(r.findings.len, 0);
    cr_expect_eq(r.verdict, LL_ART_NOT_MODEL);
    ll_art_result_release(&r);
    /* named .onnx: reported malformed, never passed */
    ll_art_result_init(&r);
    ll_art_dispatch(&p, NULL, "blob.onnx", d, sizeof d - 1, &r);
    cr_expect_str_eq(r.format ? r.format : "-", "onnx");
    cr_expect_eq(r.verdict, LL_ART_UNSCANNABLE);
    cr_expect(r.findings.len > 0 && strcmp(r.findings.items[0].check, ART_CHECK_MALFORMED) == 0);
    ll_art_result_release(&r);
    ll_art_policies_release(&p);
}

/* ---- through ll_run ------------------------------------------------------ */

typedef struct Dir {
    char root[256];
} Dir;

static void dir_make(Dir *d)
{
    snprintf(d->root, sizeof d->root, "/tmp/ll_art_analyzer_XXXXXX");
    cr_assert_not_null(mkdtemp(d->root));
}

static void dir_write(const Dir *d, const char *name, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", d->root, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void dir_remove(const Dir *d)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->root);
    cr_expect_eq(system(cmd), 0);
}

typedef struct Scan {
    LLRuleset *rules;
    LLSyntax syn;
    LLFileList files;
    LLRunResult run;
} Scan;

static void scan_dir(Scan *s, const char *root, const LLSettings *settings_for_a)
{
    memset(s, 0, sizeof *s);
    s->rules = builtin_rules();
    cr_assert_eq(ll_syntax_init(&s->syn, ll_syntax_python()), 0);
    const char *paths[] = {root};
    LLDiscoverOptions o = {0};
    o.artifacts = true;
    LLError err;
    cr_assert_eq(ll_discover_ex(paths, 1, &o, &s->files, &err), LL_OK);
    for (size_t i = 0; settings_for_a && i < s->files.files.len; i++)
        if (strstr(s->files.files.items[i].path, "/a/"))
            s->files.files.items[i].settings = settings_for_a;
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 2;
    ll_run(s->rules, &s->syn, &s->files, &ro, &s->run);
}

static void scan_release(Scan *s)
{
    ll_run_result_release(&s->run);
    ll_file_list_release(&s->files);
    ll_syntax_release(&s->syn);
    ll_ruleset_free(s->rules);
}

static const LLFinding *find(const Scan *s, const char *path_part, const char *code)
{
    for (size_t i = 0; i < s->run.findings.len; i++) {
        const LLFinding *f = &s->run.findings.items[i];
        if (strstr(s->files.files.items[f->file].path, path_part) &&
            strcmp(s->rules->rules[f->rule].code, code) == 0)
            return f;
    }
    return NULL;
}

static size_t count_in(const Scan *s, const char *path_part)
{
    size_t n = 0;
    for (size_t i = 0; i < s->run.findings.len; i++)
        n += strstr(s->files.files.items[s->run.findings.items[i].file].path, path_part) != NULL;
    return n;
}

/* protocol 2: posix.system("id") */
static const char k_evil[] = "\x80\x02" "cposix\nsystem\n" "q\x00X\x02\x00\x00\x00id\x85R.";
/* protocol 0: mypkg.MyClass() */
static const char k_custom[] = "cmypkg\nMyClass\n(tR.";

Test(art_analyzer, run_reports_binary_findings_under_rules)
{
    Dir d;
    dir_make(&d);
    dir_write(&d, "models/evil.bin", k_evil, sizeof k_evil - 1);
    dir_write(&d, "models/notes.txt", "hello\n", 6);
    dir_write(&d, "app.py", "x = 1\n", 6);
    Scan s;
    scan_dir(&s, d.root, NULL);
    const LLFinding *f = find(&s, "evil.bin", "LL910");
    cr_assert_not_null(f, "LL910 on the renamed pickle");
    cr_expect(f->binary);
    cr_expect_eq(f->severity, LL_SEV_ERROR, "the reader's grade");
    cr_expect_eq(f->nmembers, 0);
    cr_expect_eq(f->byte_offset, 2, "at the GLOBAL opcode");
    cr_expect_gt(f->byte_length, 0);
    cr_expect_eq(f->span.line, 1);
    cr_expect_str_eq(f->callee, "posix.system");
    cr_expect(strstr(f->message, "code-execution import in a model file (pickle): the pickle imports posix.system"),
              "%s", f->message);
    cr_expect_eq(count_in(&s, "notes.txt"), 0);
    cr_expect_eq(count_in(&s, "app.py"), 0);
    cr_expect_eq(s.run.diags.len, 0);
    cr_expect_eq(s.run.files_scanned, 2, "app.py and the model file (the text file is not claimed)");
    scan_release(&s);
    dir_remove(&d);
}

Test(art_analyzer, allowed_globals_per_settings)
{
    Dir d;
    dir_make(&d);
    dir_write(&d, "a/obj.pkl", k_custom, sizeof k_custom - 1);
    dir_write(&d, "b/obj.pkl", k_custom, sizeof k_custom - 1);
    dir_write(&d, "a/evil.pkl", k_evil, sizeof k_evil - 1);
    LLConfig cfg;
    ll_settings_config_init(&cfg);
    cfg.dir = strdup(d.root);
    cfg.path = strdup("loadlint.toml");
    cfg.has_allowed_globals = true;
    ll_strlist_push(&cfg.allowed_globals, "mypkg.MyClass");
    ll_strlist_push(&cfg.allowed_globals, "posix.*"); /* cannot allow a dangerous one */
    LLOverrides ov;
    ll_settings_overrides_init(&ov);
    LLSettings *st = ll_settings_new(&cfg, &ov, d.root, 7);
    cr_assert_not_null(st);
    cr_assert_eq(st->allowed_globals.len, 2);
    Scan s;
    scan_dir(&s, d.root, st);
    cr_expect_null(find(&s, "/a/obj.pkl", "LL911"), "allowed for the files of these settings");
    const LLFinding *b = find(&s, "/b/obj.pkl", "LL911");
    cr_assert_not_null(b, "not for the others");
    cr_expect_str_eq(b->callee, "mypkg.MyClass");
    cr_expect_eq(b->severity, LL_SEV_WARNING);
    cr_expect_not_null(find(&s, "/a/evil.pkl", "LL910"), "a code-execution callable stays an error");
    scan_release(&s);
    ll_settings_free(st);
    ll_settings_overrides_release(&ov);
    ll_settings_config_release(&cfg);
    dir_remove(&d);
}

Test(art_analyzer, file_past_the_size_limit_is_reported)
{
    Dir d;
    dir_make(&d);
    dir_write(&d, "huge.pkl", k_evil, sizeof k_evil - 1);
    char path[512];
    snprintf(path, sizeof path, "%s/huge.pkl", d.root);
    /* a sparse file of 1 TiB + 1 bytes (LL_ART_MAX_FILE_BYTES is 1 TiB) */
    if (truncate(path, (off_t)((1ull << 40) + 1)) != 0) {
        dir_remove(&d);
        cr_skip_test("this file system cannot hold a sparse 1 TiB file");
    }
    Scan s;
    scan_dir(&s, d.root, NULL);
    const LLFinding *f = find(&s, "huge.pkl", "LL923");
    cr_assert_not_null(f, "a limit finding, not a silent pass");
    cr_expect(strstr(f->message, "LL_ART_MAX_FILE_BYTES"), "%s", f->message);
    cr_expect_null(find(&s, "huge.pkl", "LL910"), "not read");
    scan_release(&s);
    dir_remove(&d);
}

Test(art_analyzer, keras_zip_config_and_weights)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/corpus/artifacts/keras/keras/lambda.keras", LL_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLArtPolicies p;
    LLError err;
    cr_assert_eq(ll_art_policies_init(&p, &err), LL_OK);
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_dispatch(&p, NULL, "renamed.bin", buf, n, &r);
    cr_expect_str_eq(r.format ? r.format : "-", "keras");
    cr_expect_eq(r.verdict, LL_ART_MALICIOUS);
    cr_assert_eq(r.findings.len, 1);
    cr_expect_str_eq(r.findings.items[0].check, ART_CHECK_KERAS_LAMBDA);
    cr_expect_eq(r.findings.items[0].loc.nmembers, 1);
    cr_expect_str_eq(r.findings.items[0].loc.members[0], "config.json");
    ll_art_result_release(&r);
    ll_art_policies_release(&p);
}
