/* fuzz_pipeline.c - bytes -> Python files -> discover -> run with the
 * built-in rules -> every report format.
 *
 * The input is split at the first two lines "#%%" into up to three files of
 * a small project (main.py, pkg/mod.py, pkg/__init__.py), so cross-file
 * analysis is exercised too; an input without the marker is one file, as a
 * seed from tests/corpus is. Besides "no crash, no leak, no UB", it checks:
 *   - JSON and SARIF parse (cJSON) and are strict UTF-8;
 *   - text output has no carriage return or escape byte (terminal safety);
 *   - every finding lies inside its file: 1 <= line <= lines of the file,
 *     column >= 1, end not before start;
 *   - the JSON report is byte-identical with 1 and 3 worker threads;
 *   - a file with a syntax error has it at the same place when scanned
 *     alone (a fresh parser) as after the others (a reused parser). */
#define _GNU_SOURCE
#include "fuzz_common.h"

#include "base/buf.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "engine/syntax.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static LLRuleset *g_rules;
static LLSyntax g_syn;
static char g_dir[256];
static const char *const g_names[3] = {"main.py", "pkg/mod.py", "pkg/__init__.py"};

static void cleanup(void)
{
    char p[512];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", g_dir, g_names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/pkg", g_dir);
    rmdir(p);
    rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    LLError err;
    memset(&err, 0, sizeof err);
    g_rules = ll_ruleset_new();
    if (ll_ruleset_add_builtin(g_rules, &err) != LL_OK) {
        fprintf(stderr, "fuzz_pipeline: built-in rules: %s\n", err.msg);
        abort();
    }
    ll_ruleset_finish(g_rules);
    if (ll_syntax_init(&g_syn, ll_syntax_python()) != 0)
        abort();
    struct stat sb;
    const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(g_dir, sizeof g_dir, "%s/loadlint-fuzz-XXXXXX", base);
    if (!mkdtemp(g_dir))
        abort();
    char p[512];
    snprintf(p, sizeof p, "%s/pkg", g_dir);
    if (mkdir(p, 0700) != 0)
        abort();
    atexit(cleanup);
    return 0;
}

static void write_file(const char *name, const uint8_t *data, size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_dir, name);
    ll_fuzz_write_file(p, data, len);
}

/* Lines of a file as source.h counts them: "\n", "\r\n" and a lone "\r"
 * end a line; a UTF-8 BOM is not part of the text. */
static uint32_t count_lines(const uint8_t *p, size_t len)
{
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        len -= 3;
    }
    uint32_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= len || p[i + 1] != '\n')))
            n++;
    return n;
}

static void scan(unsigned jobs, LLFileList *files, LLRunResult *run)
{
    memset(files, 0, sizeof *files);
    const char *paths[1] = {g_dir};
    ll_discover(paths, 1, files);
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = jobs;
    ll_run(g_rules, &g_syn, files, &ro, run);
}

/* The "syntax error" diagnostic of file `file`, or NULL. */
static const LLDiag *syntax_diag(const LLRunResult *run, uint32_t file)
{
    for (size_t i = 0; i < run->diags.len; i++) {
        const LLDiag *d = &run->diags.items[i];
        if (d->file == file && d->message && strstr(d->message, "syntax error"))
            return d;
    }
    return NULL;
}

static void check_json(const LLBuf *b, const char *what)
{
    size_t bad = ll_fuzz_utf8_invalid_at((const unsigned char *)b->data, b->len);
    LL_FUZZ_CHECK(bad == b->len, "%s output is not UTF-8 at byte %zu", what, bad);
    cJSON *doc = cJSON_ParseWithLength(b->data, b->len);
    LL_FUZZ_CHECK(doc != NULL, "%s output does not parse near byte %ld", what,
                  cJSON_GetErrorPtr() ? (long)(cJSON_GetErrorPtr() - b->data) : -1L);
    cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    /* split into up to three files */
    const uint8_t *part[3] = {data, NULL, NULL};
    size_t plen[3] = {size, 0, 0};
    for (int k = 1; k < 3; k++) {
        const uint8_t *m = memmem(part[k - 1], plen[k - 1], "\n#%%\n", 5);
        if (!m)
            break;
        size_t before = (size_t)(m - part[k - 1]) + 1;
        part[k] = m + 5;
        plen[k] = plen[k - 1] - before - 4;
        plen[k - 1] = before;
    }
    for (int k = 0; k < 3; k++)
        write_file(g_names[k], part[k] ? part[k] : (const uint8_t *)"", plen[k]);

    LLFileList files;
    LLRunResult run;
    scan(1, &files, &run);

    LL_FUZZ_CHECK(files.files.len == 3, "discovered %zu files instead of 3", files.files.len);
    for (size_t i = 0; i < run.findings.len; i++) {
        const LLFinding *f = &run.findings.items[i];
        LL_FUZZ_CHECK(f->file < files.files.len, "finding %zu: file index %u", i, f->file);
        const char *path = files.files.items[f->file].path;
        uint32_t nlines = 0;
        for (int k = 0; k < 3; k++) {
            size_t nl = strlen(g_names[k]);
            size_t pl = strlen(path);
            if (pl >= nl && strcmp(path + pl - nl, g_names[k]) == 0 &&
                (pl == nl || path[pl - nl - 1] == '/'))
                nlines = count_lines(part[k] ? part[k] : (const uint8_t *)"", plen[k]);
        }
        LL_FUZZ_CHECK(nlines > 0, "finding %zu: unknown file %s", i, path);
        LL_FUZZ_CHECK(f->span.line >= 1 && f->span.line <= nlines,
                      "finding %zu (%s): line %u of a %u-line file", i, path,
                      f->span.line, nlines);
        LL_FUZZ_CHECK(f->span.col >= 1, "finding %zu: column %u", i, f->span.col);
        LL_FUZZ_CHECK(f->span.end_line > f->span.line ||
                          (f->span.end_line == f->span.line && f->span.end_col >= f->span.col),
                      "finding %zu: ends at %u:%u before it starts at %u:%u", i,
                      f->span.end_line, f->span.end_col, f->span.line, f->span.col);
        LL_FUZZ_CHECK(f->span.end_line <= nlines, "finding %zu: end line %u of %u", i,
                      f->span.end_line, nlines);
    }

    LLReport rep = {.rules = g_rules, .files = &files, .run = &run,
                    .sarif_category = "loadlint"};
    LLBuf text, json, sarif, gh;
    ll_buf_init(&text);
    ll_buf_init(&json);
    ll_buf_init(&sarif);
    ll_buf_init(&gh);
    ll_report_text(&text, &rep);
    ll_report_json(&json, &rep);
    ll_report_github(&gh, &rep);
    check_json(&json, "JSON");
    /* SARIF is mostly the rules' metadata: only worth its cost (a sixth of
     * the time) when there is something to report */
    if (run.findings.len || run.diags.len || files.errors.len) {
        ll_report_sarif(&sarif, &rep);
        check_json(&sarif, "SARIF");
    }
    LL_FUZZ_CHECK(!memchr(text.data, '\r', text.len) && !memchr(text.data, 0x1b, text.len),
                  "text output holds a raw CR or ESC byte");
    for (size_t i = 0; i < gh.len; i++)
        LL_FUZZ_CHECK(gh.data[i] != '\r', "GitHub output holds a raw CR");

    /* each file parses the same alone (a fresh parser) as in the project
     * scan (a parser reused from file to file): compare the positions of
     * syntax-error diagnostics where both runs have one */
    for (size_t i = 0; i < files.files.len; i++) {
        const LLDiag *in_project = syntax_diag(&run, (uint32_t)i);
        if (!in_project)
            continue;
        LLFileList one;
        memset(&one, 0, sizeof one);
        ll_file_list_add(&one, files.files.items[i].path, files.files.items[i].display);
        LLRunOptions ro;
        ll_run_options_default(&ro);
        ro.jobs = 1;
        LLRunResult alone;
        ll_run(g_rules, &g_syn, &one, &ro, &alone);
        const LLDiag *d = syntax_diag(&alone, 0);
        LL_FUZZ_CHECK(!d || (d->line == in_project->line && d->col == in_project->col),
                      "%s: syntax error at %u:%u alone but at %u:%u after other files",
                      files.files.items[i].display, d ? d->line : 0, d ? d->col : 0,
                      in_project->line, in_project->col);
        ll_run_result_release(&alone);
        ll_file_list_release(&one);
    }

    /* same report with several workers */
    LLFileList files3;
    LLRunResult run3;
    scan(3, &files3, &run3);
    LLReport rep3 = {.rules = g_rules, .files = &files3, .run = &run3,
                     .sarif_category = "loadlint"};
    LLBuf json3;
    ll_buf_init(&json3);
    ll_report_json(&json3, &rep3);
    LL_FUZZ_CHECK(json3.len == json.len && memcmp(json3.data, json.data, json.len) == 0,
                  "JSON report differs between 1 and 3 workers");

    ll_buf_release(&json3);
    ll_run_result_release(&run3);
    ll_file_list_release(&files3);
    ll_buf_release(&text);
    ll_buf_release(&json);
    ll_buf_release(&sarif);
    ll_buf_release(&gh);
    ll_run_result_release(&run);
    ll_file_list_release(&files);
    return 0;
}
