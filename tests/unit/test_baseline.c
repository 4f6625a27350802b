/* Baselines: writing, loading (and rejecting), matching with multiplicity. */
#include "base/buf.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/run.h"
#include "report/baseline.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a report built by hand --------------------------------------------------------- */

typedef struct BR {
    LLRuleset *rules;
    LLFileList files;
    LLRunResult run;
    LLReport rep;
} BR;

static void br_open(BR *b)
{
    memset(b, 0, sizeof *b);
    LLError err;
    b->rules = ll_ruleset_new();
    cr_assert_eq(ll_ruleset_add_builtin(b->rules, &err), LL_OK, "%s", err.msg);
    ll_ruleset_finish(b->rules);
    b->rep.rules = b->rules;
    b->rep.files = &b->files;
    b->rep.run = &b->run;
}

static void br_close(BR *b)
{
    ll_run_result_release(&b->run);
    ll_file_list_release(&b->files);
    ll_ruleset_free(b->rules);
}

static uint32_t br_file(BR *b, const char *display)
{
    for (size_t i = 0; i < b->files.files.len; i++)
        if (strcmp(b->files.files.items[i].display, display) == 0)
            return (uint32_t)i;
    ll_file_list_add(&b->files, display, display);
    return (uint32_t)(b->files.files.len - 1);
}

static LLFinding *br_add(BR *b, const char *path, const char *code, uint32_t line,
                         const char *callee, const char *snippet)
{
    const LLRule *r = ll_ruleset_find(b->rules, code);
    cr_assert_not_null(r);
    LLFinding f;
    memset(&f, 0, sizeof f);
    f.file = br_file(b, path);
    f.rule = (uint32_t)(r - b->rules->rules);
    f.span = (LLSpan){line, 1, line, 10};
    f.severity = LL_SEV_WARNING;
    f.message = strdup("message");
    f.callee = strdup(callee);
    f.snippet = strdup(snippet);
    LL_VEC_PUSH(&b->run.findings, f);
    /* as ll_run does for its results */
    ll_findings_fingerprint(b->run.findings.items, b->run.findings.len, b->rules);
    return &b->run.findings.items[b->run.findings.len - 1];
}

static LLBaseline *baseline_of(const BR *b)
{
    LLBuf out;
    ll_buf_init(&out);
    ll_baseline_write(&out, &b->rep);
    LLBaseline *base = NULL;
    LLError err;
    cr_assert_eq(ll_baseline_parse("b.json", out.data, out.len, &base, &err), LL_OK,
                 "%s:%u:%u: %s\n%s", err.file, err.line, err.col, err.msg, out.data);
    ll_buf_release(&out);
    return base;
}

/* "1,0,1": is_known per finding */
static const char *known_str(const LLBaseline *base, const BR *b, char *buf, size_t *known)
{
    size_t n = b->run.findings.len;
    bool *k = calloc(n ? n : 1, sizeof *k);
    *known = ll_baseline_filter(base, &b->rep, k);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(buf, i ? (k[i] ? ",1" : ",0") : (k[i] ? "1" : "0"));
    free(k);
    return buf;
}

/* ---- writing ------------------------------------------------------------------------------ */

Test(baseline, write_format_and_fingerprints)
{
    BR b;
    br_open(&b);
    br_add(&b, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    br_add(&b, "a.py", "LL101", 5, "pickle.loads", "x = pickle.loads(d)")->suppressed = true;
    br_add(&b, "a.py", "LL101", 9, "pickle.loads", "x = pickle.loads(d)");
    br_add(&b, "./pkg/b.py", "LL201", 3, "torch.load", "m = torch.load(p)");
    LLBuf out;
    ll_buf_init(&out);
    ll_baseline_write(&out, &b.rep);
    cJSON *root = cJSON_Parse(out.data);
    cr_assert_not_null(root, "%s", out.data);
    cr_assert_eq(cJSON_GetObjectItem(root, "version")->valuedouble, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(root, "tool")->valuestring, "loadlint");
    cJSON *arr = cJSON_GetObjectItem(root, "findings");
    cr_assert_eq(cJSON_GetArraySize(arr), 3, "the suppressed finding is left out");
    size_t idx[] = {0, 2, 3};
    for (int i = 0; i < 3; i++) {
        cJSON *e = cJSON_GetArrayItem(arr, i);
        char fp[64];
        ll_report_fingerprint(&b.rep, idx[i], fp, sizeof fp);
        cr_assert_str_eq(cJSON_GetObjectItem(e, "fingerprint")->valuestring, fp,
                         "fingerprint %d differs from ll_report_fingerprint", i);
    }
    /* the occurrence counts the suppressed duplicate, as ll_report_fingerprint does */
    cr_assert(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "fingerprint")->valuestring,
                     ":3") != NULL);
    cJSON *e = cJSON_GetArrayItem(arr, 2);
    cr_assert_str_eq(cJSON_GetObjectItem(e, "rule_id")->valuestring, "LL201");
    cr_assert_str_eq(cJSON_GetObjectItem(e, "path")->valuestring, "pkg/b.py");
    cr_assert_str_eq(cJSON_GetObjectItem(e, "snippet")->valuestring, "m = torch.load(p)");
    cJSON_Delete(root);
    ll_buf_release(&out);
    br_close(&b);
}

Test(baseline, empty_report_writes_an_empty_list)
{
    BR b;
    br_open(&b);
    LLBaseline *base = baseline_of(&b);
    cr_assert_eq(ll_baseline_size(base), 0);
    ll_baseline_free(base);
    br_close(&b);
}

/* ---- matching ------------------------------------------------------------------------------- */

Test(baseline, same_findings_are_known)
{
    BR b;
    br_open(&b);
    br_add(&b, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    br_add(&b, "a.py", "LL201", 4, "torch.load", "torch.load(p)");
    LLBaseline *base = baseline_of(&b);
    cr_assert_eq(ll_baseline_size(base), 2);
    char buf[64];
    size_t known;
    cr_assert_str_eq(known_str(base, &b, buf, &known), "1,1");
    cr_assert_eq(known, 2);
    /* a baseline is read-only: filtering twice gives the same answer */
    cr_assert_str_eq(known_str(base, &b, buf, &known), "1,1");
    ll_baseline_free(base);
    br_close(&b);
}

Test(baseline, moved_lines_and_reindent_stay_known)
{
    BR old, now;
    br_open(&old);
    br_add(&old, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    LLBaseline *base = baseline_of(&old);
    br_open(&now);
    br_add(&now, "a.py", "LL101", 12, "pickle.loads", "x  =  pickle.loads(d)");
    char buf[64];
    size_t known;
    cr_assert_str_eq(known_str(base, &now, buf, &known), "1");
    ll_baseline_free(base);
    br_close(&old);
    br_close(&now);
}

Test(baseline, multiplicity)
{
    BR old, now;
    br_open(&old);
    br_add(&old, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    LLBaseline *base = baseline_of(&old);
    br_open(&now);
    br_add(&now, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    br_add(&now, "a.py", "LL101", 3, "pickle.loads", "x = pickle.loads(d)");
    char buf[64];
    size_t known;
    cr_assert_str_eq(known_str(base, &now, buf, &known), "1,0");
    cr_assert_eq(known, 1);
    ll_baseline_free(base);
    br_close(&old);
    br_close(&now);
}

Test(baseline, what_makes_a_finding_new)
{
    BR old, now;
    br_open(&old);
    br_add(&old, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    br_add(&old, "./b.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    LLBaseline *base = baseline_of(&old);
    br_open(&now);
    br_add(&now, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(data)"); /* line edited */
    br_add(&now, "a.py", "LL103", 2, "dill.loads", "x = pickle.loads(d)");      /* other rule */
    br_add(&now, "c.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");    /* other file */
    br_add(&now, "b.py", "LL101", 7, "pickle.loads", "x = pickle.loads(d)");    /* "./" dropped */
    br_add(&now, "a.py", "LL101", 9, "pickle.loads", "x = pickle.loads(d)")->suppressed = true;
    char buf[64];
    size_t known;
    cr_assert_str_eq(known_str(base, &now, buf, &known), "0,0,0,1,0");
    cr_assert_eq(known, 1);
    ll_baseline_free(base);
    br_close(&old);
    br_close(&now);
}

Test(baseline, null_baseline_knows_nothing)
{
    BR b;
    br_open(&b);
    br_add(&b, "a.py", "LL101", 2, "pickle.loads", "x = pickle.loads(d)");
    char buf[64];
    size_t known;
    cr_assert_str_eq(known_str(NULL, &b, buf, &known), "0");
    cr_assert_eq(ll_baseline_size(NULL), 0);
    ll_baseline_free(NULL);
    br_close(&b);
}

/* ---- loading -------------------------------------------------------------------------------- */

static void expect_reject(const char *text, unsigned line, unsigned col, const char *msg_part)
{
    LLBaseline *base = (LLBaseline *)1;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_baseline_parse("base.json", text, strlen(text), &base, &err);
    cr_assert_eq(st, LL_ERR_CONFIG, "accepted: %s", text);
    cr_assert_null(base);
    cr_assert_str_eq(err.file, "base.json");
    cr_assert_eq(err.line, line, "%s: line %u, expected %u (%s)", text, err.line, line, err.msg);
    if (col)
        cr_assert_eq(err.col, col, "%s: col %u, expected %u (%s)", text, err.col, col, err.msg);
    cr_assert(strstr(err.msg, msg_part) != NULL, "message '%s' lacks '%s'", err.msg, msg_part);
}

Test(baseline, malformed_files_are_rejected_with_positions)
{
    expect_reject("{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule_id\": \"LL101\",,}\n  ]\n}\n",
                  4, 0, "invalid JSON");
    expect_reject("", 1, 1, "invalid JSON");
    expect_reject("{\"version\": 1, \"findings\": []} x", 1, 32, "unexpected text");
    expect_reject("[]", 1, 1, "must be a JSON object");
    expect_reject("{\"findings\": []}", 1, 1, "\"version\"");
    expect_reject("{\n\"version\": 2,\n\"findings\": []}", 2, 12, "unsupported baseline version");
    expect_reject("{\"version\": 1,\n \"findings\": {}}", 2, 14, "\"findings\" must be an array");
    expect_reject("{\"version\": 1, \"findings\": [\n  7]}", 2, 3, "must be an object");
    expect_reject("{\"version\": 1, \"findings\": [\n"
                  "  {\"rule_id\": \"LL101\", \"path\": \"a.py\", \"fingerprint\": \"00112233445566ff:1\"},\n"
                  "  {\"rule_id\": \"LL101\", \"fingerprint\": \"00112233445566ff:1\"}]}",
                  3, 3, "\"path\"");
    expect_reject("{\"version\": 1, \"findings\": [\n"
                  "  {\"rule_id\": \"LL101\", \"path\": \"a.py\",\n"
                  "   \"fingerprint\": \"0011zz\"}]}",
                  3, 19, "\"fingerprint\"");
    expect_reject("{\"version\": 1, \"findings\": [\n"
                  "  {\"rule_id\": \"\", \"path\": \"a.py\", \"fingerprint\": \"00112233445566ff:1\"}]}",
                  2, 15, "\"rule_id\"");
    expect_reject("{\"version\": 1, \"findings\": [\n"
                  "  {\"rule_id\": \"LL1\", \"path\": \"a.py\", \"fingerprint\": \"00112233445566ff:1\", "
                  "\"snippet\": 3}]}",
                  2, 86, "\"snippet\"");
    /* nesting is refused before cJSON (which recurses) parses it */
    LLBuf deep;
    ll_buf_init(&deep);
    ll_buf_puts(&deep, "{\"version\": 1, \"findings\": [], \"x\": ");
    for (int i = 0; i < 100000; i++)
        ll_buf_putc(&deep, '[');
    expect_reject(deep.data, 1, 0, "nested too deeply");
    ll_buf_release(&deep);
}

Test(baseline, accepts_what_it_writes_and_unknown_keys)
{
    const char *text = "{\"version\": 1, \"tool\": \"loadlint\", \"note\": {\"by\": \"me\"}, \"findings\": [\n"
                       "  {\"rule_id\": \"LL101\", \"path\": \"a.py\", \"fingerprint\": \"00112233445566FF:1\"},\n"
                       "  {\"rule_id\": \"LL101\", \"path\": \"a.py\", \"fingerprint\": \"00112233445566ff\","
                       " \"snippet\": \"x\", \"line\": 3}]}\n";
    LLBaseline *base = NULL;
    LLError err;
    cr_assert_eq(ll_baseline_parse("b.json", text, strlen(text), &base, &err), LL_OK, "%s", err.msg);
    cr_assert_eq(ll_baseline_size(base), 2);
    ll_baseline_free(base);
}

Test(baseline, load_from_a_file)
{
    LLBaseline *base = NULL;
    LLError err;
    cr_assert_eq(ll_baseline_load("/nonexistent/loadlint-baseline.json", &base, &err), LL_ERR_IO);
    cr_assert_null(base);
    cr_assert_str_eq(err.file, "/nonexistent/loadlint-baseline.json");

    char path[] = "/tmp/loadlint-baseline-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *bad = "{\"version\": 1,\n \"findings\": [}\n";
    cr_assert_eq(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    cr_assert_eq(ll_baseline_load(path, &base, &err), LL_ERR_CONFIG);
    cr_assert_str_eq(err.file, path);
    cr_assert_eq(err.line, 2);
    char msg[2200];
    ll_error_format(&err, msg, sizeof msg);
    cr_assert(strncmp(msg, path, strlen(path)) == 0 && strstr(msg, ":2:") != NULL, "%s", msg);
    unlink(path);
}

/* ---- through the real pipeline (integrations.md R-C4) ---------------------------------------- */

typedef struct RunDoc {
    LLSyntax syn;
    LLFileList files;
    LLRunResult run;
    LLReport rep;
} RunDoc;

static void scan(RunDoc *d, const LLRuleset *rules, const char *path, const char *text)
{
    memset(d, 0, sizeof *d);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    cr_assert_eq(ll_syntax_init(&d->syn, ll_syntax_python()), 0);
    ll_file_list_add(&d->files, path, "app/x.py");
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 1;
    ll_run(rules, &d->syn, &d->files, &ro, &d->run);
    d->rep.rules = rules;
    d->rep.files = &d->files;
    d->rep.run = &d->run;
}

static void unscan(RunDoc *d)
{
    ll_run_result_release(&d->run);
    ll_file_list_release(&d->files);
    ll_syntax_release(&d->syn);
}

Test(baseline, shifted_and_duplicated_findings_through_ll_run)
{
    LLError err;
    LLRuleset *rules = ll_ruleset_new();
    cr_assert_eq(ll_ruleset_add_builtin(rules, &err), LL_OK);
    ll_ruleset_finish(rules);
    char path[] = "/tmp/loadlint-baseline-run-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);

    RunDoc d;
    scan(&d, rules, path, "import pickle\n\ndef f(b):\n    return pickle.loads(b)\n");
    cr_assert_eq(d.run.findings.len, 1);
    LLBuf out;
    ll_buf_init(&out);
    ll_baseline_write(&out, &d.rep);
    LLBaseline *base = NULL;
    cr_assert_eq(ll_baseline_parse("b.json", out.data, out.len, &base, &err), LL_OK, "%s", err.msg);
    unscan(&d);

    /* moved ten lines down: still known */
    scan(&d, rules, path,
         "import pickle\n\n\n\n\n\n\n\n\n\n\n\ndef f(b):\n    return pickle.loads(b)\n");
    bool known[4];
    cr_assert_eq(d.run.findings.len, 1);
    cr_assert_eq(ll_baseline_filter(base, &d.rep, known), 1);
    unscan(&d);

    /* the line duplicated: one of the two is new */
    scan(&d, rules, path,
         "import pickle\n\ndef f(b):\n    return pickle.loads(b)\n\ndef g(b):\n    return pickle.loads(b)\n");
    cr_assert_eq(d.run.findings.len, 2);
    cr_assert_eq(ll_baseline_filter(base, &d.rep, known), 1);
    cr_assert(known[0] && !known[1]);
    unscan(&d);

    ll_baseline_free(base);
    ll_buf_release(&out);
    ll_ruleset_free(rules);
    unlink(path);
}
