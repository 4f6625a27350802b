/* GitHub Actions workflow commands and --statistics. */
#include "base/buf.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/run.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

/* A report over hand-made rules (no validation: any name will do). */
typedef struct GR {
    LLRule rules[3];
    LLRuleset rs;
    LLFileList files;
    LLRunResult run;
    LLReport rep;
} GR;

static void gr_open(GR *g)
{
    memset(g, 0, sizeof *g);
    static char codes[3][8] = {"LL101", "LL201", "LL601"};
    static char names[3][32] = {"unsafe pickle", "torch-load", "pickle-reduce-method"};
    for (int i = 0; i < 3; i++) {
        g->rules[i].code = codes[i];
        g->rules[i].name = names[i];
        g->rules[i].enabled = true;
    }
    g->rs.rules = g->rules;
    g->rs.nrules = 3;
    g->rep.rules = &g->rs;
    g->rep.files = &g->files;
    g->rep.run = &g->run;
}

static void gr_close(GR *g)
{
    ll_run_result_release(&g->run);
    ll_file_list_release(&g->files);
}

static LLFinding *gr_add(GR *g, const char *path, uint32_t rule, LLSeverity sev, LLSpan span,
                         const char *msg)
{
    uint32_t file = UINT32_MAX;
    for (size_t i = 0; i < g->files.files.len; i++)
        if (strcmp(g->files.files.items[i].display, path) == 0)
            file = (uint32_t)i;
    if (file == UINT32_MAX) {
        ll_file_list_add(&g->files, path, path);
        file = (uint32_t)(g->files.files.len - 1);
    }
    LLFinding f;
    memset(&f, 0, sizeof f);
    f.file = file;
    f.rule = rule;
    f.span = span;
    f.severity = sev;
    f.message = strdup(msg);
    LL_VEC_PUSH(&g->run.findings, f);
    return &g->run.findings.items[g->run.findings.len - 1];
}

Test(github, escapes_as_the_toolkit_does)
{
    /* integrations.md R-E7, computed with the toolkit's escaping */
    GR g;
    gr_open(&g);
    gr_add(&g, "src/a,b:c.py", 0, LL_SEV_ERROR, (LLSpan){2, 5, 2, 25}, "50% of\nmodels");
    LLBuf out;
    ll_buf_init(&out);
    ll_report_github(&out, &g.rep);
    cr_assert_str_eq(out.data, "::error file=src/a%2Cb%3Ac.py,line=2,col=5,endLine=2,endColumn=25,"
                               "title=LL101%3A unsafe pickle::50%25 of%0Amodels\n");
    ll_buf_release(&out);
    gr_close(&g);
}

Test(github, carriage_returns_and_plain_data)
{
    GR g;
    gr_open(&g);
    gr_add(&g, "a b.py", 1, LL_SEV_WARNING, (LLSpan){1, 1, 3, 2}, "a: b, c\r\nd%");
    LLBuf out;
    ll_buf_init(&out);
    ll_report_github(&out, &g.rep);
    /* data keeps ':' and ','; only % CR LF are escaped there */
    cr_assert_str_eq(out.data, "::warning file=a b.py,line=1,col=1,endLine=3,endColumn=2,"
                               "title=LL201%3A torch-load::a: b, c%0D%0Ad%25\n");
    ll_buf_release(&out);
    gr_close(&g);
}

Test(github, highest_severity_first_and_no_suppressed)
{
    GR g;
    gr_open(&g);
    gr_add(&g, "a.py", 2, LL_SEV_NOTE, (LLSpan){1, 1, 1, 2}, "n1");
    gr_add(&g, "a.py", 1, LL_SEV_WARNING, (LLSpan){2, 1, 2, 2}, "w1");
    gr_add(&g, "a.py", 0, LL_SEV_ERROR, (LLSpan){3, 1, 3, 2}, "e1");
    gr_add(&g, "b.py", 1, LL_SEV_WARNING, (LLSpan){1, 1, 1, 2}, "w2");
    gr_add(&g, "b.py", 0, LL_SEV_ERROR, (LLSpan){2, 1, 2, 2}, "hidden")->suppressed = true;
    gr_add(&g, "c.py", 0, LL_SEV_ERROR, (LLSpan){2, 1, 2, 2}, "e2");
    LLBuf out;
    ll_buf_init(&out);
    ll_report_github(&out, &g.rep);
    cr_assert_str_eq(out.data,
                     "::error file=a.py,line=3,col=1,endLine=3,endColumn=2,title=LL101%3A unsafe pickle::e1\n"
                     "::error file=c.py,line=2,col=1,endLine=2,endColumn=2,title=LL101%3A unsafe pickle::e2\n"
                     "::warning file=a.py,line=2,col=1,endLine=2,endColumn=2,title=LL201%3A torch-load::w1\n"
                     "::warning file=b.py,line=1,col=1,endLine=1,endColumn=2,title=LL201%3A torch-load::w2\n"
                     "::notice file=a.py,line=1,col=1,endLine=1,endColumn=2,"
                     "title=LL601%3A pickle-reduce-method::n1\n");
    ll_buf_release(&out);
    gr_close(&g);
}

Test(github, empty_report_prints_nothing)
{
    GR g;
    gr_open(&g);
    LLBuf out;
    ll_buf_init(&out);
    ll_report_github(&out, &g.rep);
    cr_assert_eq(out.len, 0);
    ll_buf_release(&out);
    gr_close(&g);
}

/* ---- --statistics ------------------------------------------------------------------------- */

static void fill_stats(GR *g)
{
    LLSpan s = {1, 1, 1, 2};
    gr_add(g, "a.py", 2, LL_SEV_NOTE, s, "x");
    gr_add(g, "a.py", 2, LL_SEV_NOTE, s, "x");
    gr_add(g, "a.py", 1, LL_SEV_WARNING, s, "x");
    gr_add(g, "b.py", 1, LL_SEV_WARNING, s, "x");
    gr_add(g, "b.py", 0, LL_SEV_ERROR, s, "x")->suppressed = true;
}

Test(statistics, text_sorted_by_count_then_code)
{
    GR g;
    gr_open(&g);
    fill_stats(&g);
    LLBuf out;
    ll_buf_init(&out);
    ll_report_statistics(&out, &g.rep, false);
    cr_assert_str_eq(out.data, "2\tLL201\ttorch-load\n2\tLL601\tpickle-reduce-method\n");
    ll_buf_release(&out);
    gr_close(&g);
}

Test(statistics, json)
{
    GR g;
    gr_open(&g);
    fill_stats(&g);
    LLBuf out;
    ll_buf_init(&out);
    ll_report_statistics(&out, &g.rep, true);
    cJSON *arr = cJSON_Parse(out.data);
    cr_assert(cJSON_IsArray(arr), "%s", out.data);
    cr_assert_eq(cJSON_GetArraySize(arr), 3);
    const char *codes[] = {"LL201", "LL601", "LL101"};
    double counts[] = {2, 2, 0}, supp[] = {0, 0, 1};
    for (int i = 0; i < 3; i++) {
        cJSON *o = cJSON_GetArrayItem(arr, i);
        cr_assert_str_eq(cJSON_GetObjectItem(o, "code")->valuestring, codes[i]);
        cr_assert_eq(cJSON_GetObjectItem(o, "count")->valuedouble, counts[i]);
        cr_assert_eq(cJSON_GetObjectItem(o, "suppressed")->valuedouble, supp[i]);
        cr_assert(cJSON_IsString(cJSON_GetObjectItem(o, "name")));
    }
    cJSON_Delete(arr);
    ll_buf_release(&out);

    /* nothing found: an empty array, and no text at all */
    GR e;
    gr_open(&e);
    ll_buf_init(&out);
    ll_report_statistics(&out, &e.rep, true);
    cr_assert_str_eq(out.data, "[]\n");
    ll_buf_reset(&out);
    ll_report_statistics(&out, &e.rep, false);
    cr_assert_eq(out.len, 0);
    ll_buf_release(&out);
    gr_close(&e);
    gr_close(&g);
}
