/* fuzz_rules.c - bytes -> one rule file (ll_ruleset_add_json) -> when it is
 * accepted: the rule's docs page, a scan of a fixed Python program with it
 * (every predicate and message placeholder gets evaluated) and the SARIF
 * report, which must parse and be strict UTF-8. A rejected file must come
 * with an error message. Seeds: the rule files of rules/ (tests/fuzz/run.sh copies
 * them). */
#include "fuzz_common.h"

#include "base/buf.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "engine/syntax.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <cjson/cJSON.h>
#include <string.h>

static LLSyntax g_syn;

/* Calls of many shapes for whatever the fuzzed rule matches. */
static const char g_program[] =
    "import pickle, yaml, torch, numpy as np\n"
    "from flask import request\n"
    "from yaml import SafeLoader as SL\n"
    "import x.y.z as xyz\n"
    "def f(p, *a, **kw):\n"
    "    pickle.loads(p)\n"
    "    pickle.loads(request.data, fix_imports=False)\n"
    "    yaml.load(open(p), Loader=SL)\n"
    "    yaml.load(p, yaml.Loader)\n"
    "    torch.load(p, weights_only=True, map_location='cpu')\n"
    "    torch.load(*a, **kw)\n"
    "    np.load('x.npy', allow_pickle=1)\n"
    "    xyz.w(None, 0, 1.5, -2, '', \"s\", b'b', [], (), {}, {1: 2}, p)\n"
    "    obj.recv_pyobj()\n"
    "    list(map(pickle.loads, a))\n"
    "    functools.partial(torch.load, weights_only=False)\n"
    "    getattr(pickle, 'loads')(p)\n"
    "    __import__('pickle').load(f'{p}')\n"
    "    x.y.z.w(flag=True, name='unsafe', n=3)\n"
    "class C:\n"
    "    def __reduce__(self):\n"
    "        return (os.system, ('id',))\n"
    "    __reduce_ex__ = __reduce__\n";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (ll_syntax_init(&g_syn, ll_syntax_python()) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024 * 1024)
        return 0;
    char *text = ll_fuzz_text(data, size);

    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_ruleset_add_json(rs, "fuzz/LL999-fuzz.json", text, size, &err);
    if (st != LL_OK) {
        LL_FUZZ_CHECK(err.msg[0] != '\0', "a rejected rule file without an error message");
        LL_FUZZ_CHECK(rs->nrules == 0, "a rejected rule file left %zu rules", rs->nrules);
        ll_ruleset_free(rs);
        free(text);
        return 0;
    }
    ll_ruleset_finish(rs);

    LLBuf out;
    ll_buf_init(&out);
    for (size_t i = 0; i < rs->nrules; i++)
        ll_report_rule_markdown(&out, &rs->rules[i]);

    LLFileList files;
    memset(&files, 0, sizeof files);
    ll_file_list_add(&files, "-", "fuzz.py");
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 1;
    ro.stdin_text = g_program;
    ro.stdin_len = sizeof g_program - 1;
    LLRunResult run;
    ll_run(rs, &g_syn, &files, &ro, &run);
    for (size_t i = 0; i < run.findings.len; i++)
        LL_FUZZ_CHECK(run.findings.items[i].rule < rs->nrules, "finding of rule %u",
                      run.findings.items[i].rule);

    LLReport rep = {.rules = rs, .files = &files, .run = &run, .sarif_category = "loadlint"};
    ll_buf_reset(&out);
    ll_report_sarif(&out, &rep);
    size_t bad = ll_fuzz_utf8_invalid_at((const unsigned char *)out.data, out.len);
    LL_FUZZ_CHECK(bad == out.len, "SARIF output is not UTF-8 at byte %zu", bad);
    cJSON *doc = cJSON_ParseWithLength(out.data, out.len);
    LL_FUZZ_CHECK(doc != NULL, "SARIF output does not parse");
    cJSON_Delete(doc);
    ll_buf_reset(&out);
    ll_report_text(&out, &rep);
    ll_buf_reset(&out);
    ll_report_json(&out, &rep);
    doc = cJSON_ParseWithLength(out.data, out.len);
    LL_FUZZ_CHECK(doc != NULL, "JSON output does not parse");
    cJSON_Delete(doc);

    ll_buf_release(&out);
    ll_run_result_release(&run);
    ll_file_list_release(&files);
    ll_ruleset_free(rs);
    free(text);
    return 0;
}
