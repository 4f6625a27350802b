/* test_fix.c - the fix engine (engine/fix.h) and the "fixes" vocabulary
 * (rules/fixspec.h): every fix of the built-in rules with its alias and
 * layout variants, the calls that must get no fix, the safe/unsafe
 * decision, idempotence (the fixed text offers nothing more) and syntax
 * (the fixed text parses), one-pass application, encoding back, writing;
 * and the before/after pairs of tests/fixes/ (LL_FIX_UPDATE=1 rewrites their
 * .fixed.py from what the engine does: read the diff before keeping it). */
#include "helpers.h"

#include "base/buf.h"
#include "engine/fix.h"
#include "rules/fixspec.h"
#include "rules/jsonrd.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/stat.h>

/* ---- rule fixes ---------------------------------------------------------------- */

typedef struct RuleFixes {
    LLRule rule; /* the match names the specs are checked against */
    LLFixSpec *specs;
    size_t n;
} RuleFixes;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    LLBuf b;
    ll_buf_init(&b);
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        ll_buf_append(&b, chunk, r);
    fclose(f);
    *len = b.len;
    return ll_buf_detach(&b);
}

/* Parses a fixes array (JSON text) for a rule matching `calls` (comma-
 * separated canonical names) and `methods`. */
static LLStatus parse_fixes(const char *fixes_json, const char *calls, const char *methods,
                            RuleFixes *rf, LLError *err)
{
    memset(rf, 0, sizeof *rf);
    char *calls_copy = strdup(calls ? calls : "");
    for (char *tok = strtok(calls_copy, ","); tok; tok = strtok(NULL, ","))
        ll_strlist_push(&rf->rule.calls, tok);
    free(calls_copy);
    char *methods_copy = strdup(methods ? methods : "");
    for (char *tok = strtok(methods_copy, ","); tok; tok = strtok(NULL, ","))
        ll_strlist_push(&rf->rule.methods, tok);
    free(methods_copy);
    LLBuf doc;
    ll_buf_init(&doc);
    ll_buf_printf(&doc, "{\"fixes\": %s}", fixes_json);
    LLJsonCtx c = {.origin = "<fixes>", .text = doc.data, .len = doc.len, .err = err, .kind = LL_ERR_RULE};
    cJSON *root;
    LLStatus st = ll_json_parse(&c, LL_MAX_RULE_FILE_BYTES, &root);
    if (st == LL_OK) {
        st = ll_fixspec_parse(&c, cJSON_GetObjectItemCaseSensitive(root, "fixes"), &rf->rule,
                              &rf->specs, &rf->n);
        cJSON_Delete(root);
    }
    ll_buf_release(&doc);
    return st;
}

static void free_fixes(RuleFixes *rf)
{
    ll_fixspec_free(rf->specs, rf->n);
    ll_strlist_free(&rf->rule.calls);
    ll_strlist_free(&rf->rule.methods);
    memset(rf, 0, sizeof *rf);
}

static const char *rules_dir(void)
{
    return LL_SOURCE_DIR "/rules";
}

/* The "fixes" of rules/<code>-*.json. */
static void load_rule_fixes(const char *code, RuleFixes *rf)
{
    DIR *dir = opendir(rules_dir());
    cr_assert_not_null(dir);
    char path[4096] = "";
    struct dirent *de;
    while ((de = readdir(dir)))
        if (strncmp(de->d_name, code, strlen(code)) == 0 && de->d_name[strlen(code)] == '-')
            snprintf(path, sizeof path, "%s/%s", rules_dir(), de->d_name);
    closedir(dir);
    cr_assert(path[0], "no rule file for %s", code);
    size_t len;
    char *text = read_file(path, &len);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "%s does not parse", path);
    const cJSON *match = cJSON_GetObjectItemCaseSensitive(root, "match");
    LLBuf calls, methods;
    ll_buf_init(&calls);
    ll_buf_init(&methods);
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(match, "call"))
        ll_buf_printf(&calls, "%s%s", calls.len ? "," : "", it->valuestring);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(match, "method"))
        ll_buf_printf(&methods, "%s%s", methods.len ? "," : "", it->valuestring);
    const cJSON *fixes = cJSON_GetObjectItemCaseSensitive(root, "fixes");
    cr_assert_not_null(fixes, "%s has no \"fixes\"", path);
    char *fixes_text = cJSON_PrintUnformatted(fixes);
    LLError err;
    LLStatus st = parse_fixes(fixes_text, calls.data, methods.data, rf, &err);
    cr_assert_eq(st, LL_OK, "%s: %s", path, err.msg);
    free(fixes_text);
    ll_buf_release(&calls);
    ll_buf_release(&methods);
    cJSON_Delete(root);
    free(text);
}

/* ---- one call ------------------------------------------------------------------ */

static LLFixVersions versions_not_all(void *ctx, const char *package, const char *versions)
{
    (void)ctx;
    (void)versions;
    return strcmp(package, "torch") == 0 ? LL_FIX_VERSIONS_NOT_ALL : LL_FIX_VERSIONS_UNKNOWN;
}

/* The fix of rule `code` at the first call whose function is written `fn`
 * (or, with fn starting with '@', the first attribute node written so: a
 * reference). Returns the fixed text (malloc'd) or NULL; *fix is filled. */
static char *fix_at(const char *src, const RuleFixes *rf, const char *fn, const LLFixEnv *env,
                    LLFix *fix)
{
    LLRuleset *known = lt_builtin_rules();
    LTDoc d;
    lt_doc_open(&d, src, &known->known_names);
    TSNode node;
    LLNames names = {0};
    if (fn[0] == '@') {
        node = lt_nth_kind(&d, LL_K_ATTRIBUTE, 0);
        cr_assert(!ts_node_is_null(node));
        ll_resolve_expr(&d.sem, node, lt_scope_of(&d, node), &names);
    } else {
        node = lt_call_named(&d, fn);
        cr_assert(!ts_node_is_null(node), "no call of %s in:\n%s", fn, src);
        lt_call_names(&d, node, &names);
    }
    LLFixSite site = {.sem = &d.sem, .node = node, .scope = lt_scope_of(&d, node),
                      .callee = names.n ? names.name[0] : NULL};
    ll_fix_compute(&site, rf->specs, rf->n, env, fix);
    char *out = NULL;
    if (fix->status == LL_FIX_OFFERED) {
        LLBuf b;
        ll_buf_init(&b);
        const LLFix *one = fix;
        LLFixApplyResult res;
        ll_fix_apply(d.src.text, d.src.len, &one, 1, &b, &res);
        cr_assert_eq(res.applied, 1);
        cr_assert_eq(res.ndropped, 0);
        ll_fix_apply_result_release(&res);
        out = ll_buf_detach(&b);
    }
    lt_doc_close(&d);
    ll_ruleset_free(known);
    return out;
}

/* The fixed text parses, and offers no further fix at `fn_after`. */
static void check_fixed(const char *fixed, const RuleFixes *rf, const char *fn_after)
{
    LTDoc d;
    lt_doc_open(&d, fixed, NULL);
    cr_assert(!ts_node_has_error(d.root), "the fixed text has a syntax error:\n%s", fixed);
    cr_assert(ll_fix_parses_cleanly(&d.syn, d.parser, fixed, strlen(fixed)));
    lt_doc_close(&d);
    LLFix again;
    char *twice = fix_at(fixed, rf, fn_after, NULL, &again);
    cr_assert_neq(again.status, LL_FIX_OFFERED, "a second fix is offered at %s: %s\n%s", fn_after,
                  again.description, twice ? twice : "");
    free(twice);
    ll_fix_release(&again);
}

/* Expects rule `code`'s fix at `fn` to turn `src` into `want`, safe or not
 * (`safe`), and the result to be stable at `fn_after`. */
static void expect_fix(const char *code, const char *src, const char *fn, const char *want,
                       bool safe, const char *fn_after)
{
    RuleFixes rf;
    load_rule_fixes(code, &rf);
    LLFix fix;
    char *got = fix_at(src, &rf, fn, NULL, &fix);
    cr_assert_eq(fix.status, LL_FIX_OFFERED, "%s: no fix at %s: %s\n%s", code, fn,
                 fix.reason ? fix.reason : "-", src);
    cr_assert_str_eq(got, want, "%s: fixed text differs.\n--- got ---\n%s--- want ---\n%s", code, got, want);
    cr_assert_eq(fix.safe, safe, "%s: expected a %s fix (%s)", code, safe ? "safe" : "unsafe",
                 fix.description);
    if (!safe)
        cr_assert(fix.reason && fix.reason[0], "an unsafe fix says what it may break");
    cr_assert(fix.description && fix.description[0]);
    check_fixed(got, &rf, fn_after ? fn_after : fn);
    free(got);
    ll_fix_release(&fix);
    free_fixes(&rf);
}

/* Expects no fix at `fn`, with a reason containing `why`. */
static void expect_no_fix(const char *code, const char *src, const char *fn, const char *why)
{
    RuleFixes rf;
    load_rule_fixes(code, &rf);
    LLFix fix;
    char *got = fix_at(src, &rf, fn, NULL, &fix);
    cr_assert_eq(fix.status, LL_FIX_REFUSED, "%s: a fix is offered at %s (%s):\n%s", code, fn,
                 fix.description ? fix.description : "-", got ? got : "");
    cr_assert(fix.reason && strstr(fix.reason, why), "%s: reason \"%s\" lacks \"%s\"", code,
              fix.reason ? fix.reason : "(none)", why);
    cr_assert_eq(fix.nedits, 0);
    free(got);
    ll_fix_release(&fix);
    free_fixes(&rf);
}

/* ---- LL201: torch.load ------------------------------------------------------------ */

Test(fix_torch, bare_call_is_unsafe)
{
    expect_fix("LL201", "import torch\nm = torch.load(p)\n", "torch.load",
               "import torch\nm = torch.load(p, weights_only=True)\n", false, NULL);
}

Test(fix_torch, state_dict_is_safe)
{
    expect_fix("LL201", "import torch\nmodel.load_state_dict(torch.load(p, map_location=\"cpu\"))\n",
               "torch.load",
               "import torch\nmodel.load_state_dict(torch.load(p, map_location=\"cpu\", weights_only=True))\n",
               true, NULL);
    /* parentheses aside; and strict= after it */
    expect_fix("LL201", "import torch\nself.net.load_state_dict((torch.load(p)), strict=False)\n", "torch.load",
               "import torch\nself.net.load_state_dict((torch.load(p, weights_only=True)), strict=False)\n",
               true, NULL);
}

Test(fix_torch, checkpoint_entry_is_not_a_state_dict)
{
    /* torch.load(p)["model"]: the checkpoint holds more than the state dict */
    expect_fix("LL201", "import torch\nmodel.load_state_dict(torch.load(p)[\"model\"])\n", "torch.load",
               "import torch\nmodel.load_state_dict(torch.load(p, weights_only=True)[\"model\"])\n", false,
               NULL);
    /* a function named load_state_dict is not the method */
    expect_fix("LL201", "import torch\nload_state_dict(torch.load(p))\n", "torch.load",
               "import torch\nload_state_dict(torch.load(p, weights_only=True))\n", false, NULL);
}

Test(fix_torch, explicit_false_is_unsafe_even_for_a_state_dict)
{
    expect_fix("LL201", "import torch\nx = torch.load(p, weights_only=False)\n", "torch.load",
               "import torch\nx = torch.load(p, weights_only=True)\n", false, NULL);
    expect_fix("LL201", "import torch\nm.load_state_dict(torch.load(p, weights_only=False))\n", "torch.load",
               "import torch\nm.load_state_dict(torch.load(p, weights_only=True))\n", false, NULL);
    /* None: as if absent */
    expect_fix("LL201", "import torch\nm.load_state_dict(torch.load(p, weights_only=None))\n", "torch.load",
               "import torch\nm.load_state_dict(torch.load(p, weights_only=True))\n", true, NULL);
}

Test(fix_torch, aliases)
{
    expect_fix("LL201", "import torch as th\nx = th.load(p)\n", "th.load",
               "import torch as th\nx = th.load(p, weights_only=True)\n", false, NULL);
    expect_fix("LL201", "from torch import load\nx = load(p)\n", "load",
               "from torch import load\nx = load(p, weights_only=True)\n", false, NULL);
    expect_fix("LL201", "import torch.serialization\nx = torch.serialization.load(p)\n",
               "torch.serialization.load",
               "import torch.serialization\nx = torch.serialization.load(p, weights_only=True)\n", false, NULL);
}

Test(fix_torch, one_argument_per_line)
{
    expect_fix("LL201",
               "import torch\n"
               "state = torch.load(\n"
               "    path,\n"
               "    map_location=\"cpu\",\n"
               ")\n",
               "torch.load",
               "import torch\n"
               "state = torch.load(\n"
               "    path,\n"
               "    map_location=\"cpu\",\n"
               "    weights_only=True,\n"
               ")\n",
               false, NULL);
    /* no trailing comma, a comment after the last argument */
    expect_fix("LL201",
               "import torch\n"
               "state = torch.load(\n"
               "    path,\n"
               "    map_location=\"cpu\"  # cpu only\n"
               ")\n",
               "torch.load",
               "import torch\n"
               "state = torch.load(\n"
               "    path,\n"
               "    map_location=\"cpu\",  # cpu only\n"
               "    weights_only=True,\n"
               ")\n",
               false, NULL);
    /* comments between the arguments */
    expect_fix("LL201",
               "import torch\n"
               "state = torch.load(\n"
               "    path,  # the file\n"
               "    # where tensors go\n"
               "    map_location=\"cpu\",\n"
               ")\n",
               "torch.load",
               "import torch\n"
               "state = torch.load(\n"
               "    path,  # the file\n"
               "    # where tensors go\n"
               "    map_location=\"cpu\",\n"
               "    weights_only=True,\n"
               ")\n",
               false, NULL);
}

Test(fix_torch, hanging_and_same_line_layouts)
{
    expect_fix("LL201",
               "import torch\n"
               "state = torch.load(path,\n"
               "                   map_location=\"cpu\")\n",
               "torch.load",
               "import torch\n"
               "state = torch.load(path,\n"
               "                   map_location=\"cpu\", weights_only=True)\n",
               false, NULL);
    /* trailing comma on one line: the keyword goes before it */
    expect_fix("LL201", "import torch\nx = torch.load(p,)\n", "torch.load",
               "import torch\nx = torch.load(p, weights_only=True,)\n", false, NULL);
    /* the last argument is not at the start of its line */
    expect_fix("LL201",
               "import torch\n"
               "x = torch.load(\n"
               "    p, map_location=\"cpu\"\n"
               ")\n",
               "torch.load",
               "import torch\n"
               "x = torch.load(\n"
               "    p, map_location=\"cpu\", weights_only=True\n"
               ")\n",
               false, NULL);
    /* a comment right after the last argument on its line */
    expect_fix("LL201", "import torch\nx = torch.load(p  # path\n)\n", "torch.load",
               "import torch\nx = torch.load(p, weights_only=True  # path\n)\n", false, NULL);
    /* an empty list over two lines, and *args before */
    expect_fix("LL201", "import torch\nx = torch.load(\n)\n", "torch.load",
               "import torch\nx = torch.load(weights_only=True\n)\n", false, NULL);
    expect_no_fix("LL201", "import torch\nx = torch.hub.load_state_dict_from_url(url, *rest)\n",
                  "torch.hub.load_state_dict_from_url", "may be passed through");
    /* no argument at all */
    expect_fix("LL201", "import torch\nx = torch.load()\n", "torch.load",
               "import torch\nx = torch.load(weights_only=True)\n", false, NULL);
}

Test(fix_torch, crlf_tabs_and_backslashes)
{
    expect_fix("LL201",
               "import torch\r\n"
               "state = torch.load(\r\n"
               "    path,\r\n"
               ")\r\n",
               "torch.load",
               "import torch\r\n"
               "state = torch.load(\r\n"
               "    path,\r\n"
               "    weights_only=True,\r\n"
               ")\r\n",
               false, NULL);
    expect_fix("LL201",
               "import torch\r\n"
               "state = torch.load(\r\n"
               "    path\r\n"
               ")\r\n",
               "torch.load",
               "import torch\r\n"
               "state = torch.load(\r\n"
               "    path,\r\n"
               "    weights_only=True\r\n"
               ")\r\n",
               false, NULL);
    expect_fix("LL201",
               "import torch\n"
               "def f(p):\n"
               "\treturn torch.load(\n"
               "\t\tp,\n"
               "\t)\n",
               "torch.load",
               "import torch\n"
               "def f(p):\n"
               "\treturn torch.load(\n"
               "\t\tp,\n"
               "\t\tweights_only=True,\n"
               "\t)\n",
               false, NULL);
    expect_fix("LL201", "import torch\nx = torch.load(p, \\\n    map_location='cpu')\n", "torch.load",
               "import torch\nx = torch.load(p, \\\n    map_location='cpu', weights_only=True)\n", false, NULL);
    expect_fix("LL201", "import torch\nx = \\\n    torch.load(p)\n", "torch.load",
               "import torch\nx = \\\n    torch.load(p, weights_only=True)\n", false, NULL);
    /* one per line, the last line continued with a backslash */
    expect_fix("LL201",
               "import torch\n"
               "x = torch.load(\n"
               "    p, \\\n"
               ")\n",
               "torch.load",
               "import torch\n"
               "x = torch.load(\n"
               "    p, weights_only=True, \\\n"
               ")\n",
               false, NULL);
}

Test(fix_torch, hub_loaders)
{
    expect_fix("LL201", "import torch\nsd = torch.hub.load_state_dict_from_url(url)\n",
               "torch.hub.load_state_dict_from_url",
               "import torch\nsd = torch.hub.load_state_dict_from_url(url, weights_only=True)\n", false, NULL);
    expect_fix("LL201",
               "import torch\nnet.load_state_dict(torch.hub.load_state_dict_from_url(url, progress=False))\n",
               "torch.hub.load_state_dict_from_url",
               "import torch\nnet.load_state_dict(torch.hub.load_state_dict_from_url(url, progress=False, weights_only=True))\n",
               true, NULL);
    /* weights_only is the 7th positional parameter there */
    expect_fix("LL201", "import torch\nsd = torch.hub.load_state_dict_from_url(u, d, None, True, False, None, False)\n",
               "torch.hub.load_state_dict_from_url",
               "import torch\nsd = torch.hub.load_state_dict_from_url(u, d, None, True, False, None, True)\n", false,
               NULL);
    expect_fix("LL201", "from torch.utils import model_zoo\nsd = model_zoo.load_url(url)\n", "model_zoo.load_url",
               "from torch.utils import model_zoo\nsd = model_zoo.load_url(url, weights_only=True)\n", false, NULL);
}

Test(fix_torch, no_fix_cases)
{
    expect_no_fix("LL201", "import torch\nx = torch.load(p, **kw)\n", "torch.load", "may be passed through");
    expect_no_fix("LL201", "import torch\nx = torch.load(*args)\n", "torch.load", "may be passed through");
    expect_no_fix("LL201", "import torch\nx = torch.load(p, weights_only=flag)\n", "torch.load",
                  "`flag`");
    expect_no_fix("LL201", "import torch\nWO = False\nx = torch.load(p, weights_only=WO)\n", "torch.load",
                  "set from `WO`, not a literal");
    expect_no_fix("LL201", "import torch, dill\nx = torch.load(p, pickle_module=dill)\n", "torch.load",
                  "`pickle_module` is given");
    expect_no_fix("LL201", "import torch, dill\nx = torch.load(p, None, dill)\n", "torch.load",
                  "`pickle_module` is given");
    expect_no_fix("LL201", "import torch\nx = torch.load(p, **{\"weights_only\": False})\n", "torch.load",
                  "inside a `**` dictionary");
    expect_no_fix("LL201", "import torch\nx = torch.hub.load_state_dict_from_url(*a)\n",
                  "torch.hub.load_state_dict_from_url", "may be passed through");
    /* a reference handed on: its eventual call's arguments are not here */
    expect_no_fix("LL201", "import torch, functools\nf = functools.partial(torch.load, p)\n", "@torch.load",
                  "passed as a value");
}

Test(fix_torch, edits_carry_lines_and_columns)
{
    RuleFixes rf;
    load_rule_fixes("LL201", &rf);
    LLFix fix;
    char *got = fix_at("import torch\r\ny = '\xC3\xA9'; x = torch.load(p)\r\n", &rf, "torch.load", NULL, &fix);
    cr_assert_eq(fix.status, LL_FIX_OFFERED);
    cr_assert_eq(fix.nedits, 1);
    cr_assert_eq(fix.edits[0].line, 2);
    cr_assert_eq(fix.edits[0].col, 26, "columns count code points");
    cr_assert_eq(fix.edits[0].end_line, 2);
    cr_assert_eq(fix.edits[0].end_col, 26);
    cr_assert_str_eq(fix.edits[0].text, ", weights_only=True");
    free(got);
    ll_fix_release(&fix);
    free_fixes(&rf);
}

Test(fix_torch, dict_splat_without_the_keyword)
{
    expect_fix("LL201", "import torch\nx = torch.load(p, **{\"map_location\": \"cpu\"})\n", "torch.load",
               "import torch\nx = torch.load(p, **{\"map_location\": \"cpu\"}, weights_only=True)\n", false, NULL);
}

Test(fix_torch, project_torch_version)
{
    RuleFixes rf;
    load_rule_fixes("LL201", &rf);
    LLFixEnv env = {.versions = versions_not_all};
    LLFix fix;
    char *got = fix_at("import torch\nm.load_state_dict(torch.load(p))\n", &rf, "torch.load", &env, &fix);
    cr_assert_null(got);
    cr_assert_eq(fix.status, LL_FIX_REFUSED);
    cr_assert(strstr(fix.reason, "torch versions outside >=1.13"), "%s", fix.reason);
    ll_fix_release(&fix);
    free_fixes(&rf);
}

/* ---- LL501-LL505: YAML ------------------------------------------------------------- */

Test(fix_yaml, load_without_loader)
{
    expect_fix("LL501", "import yaml\ncfg = yaml.load(f)\n", "yaml.load", "import yaml\ncfg = yaml.safe_load(f)\n",
               true, "yaml.safe_load");
    expect_fix("LL501", "import yaml\nfor d in yaml.load_all(f):\n    pass\n", "yaml.load_all",
               "import yaml\nfor d in yaml.safe_load_all(f):\n    pass\n", true, "yaml.safe_load_all");
    expect_fix("LL501", "import yaml\ncfg = yaml.load(stream=f)\n", "yaml.load",
               "import yaml\ncfg = yaml.safe_load(stream=f)\n", true, "yaml.safe_load");
}

Test(fix_yaml, module_spelled_as_imported)
{
    expect_fix("LL501", "import yaml as y\ncfg = y.load(f)\n", "y.load", "import yaml as y\ncfg = y.safe_load(f)\n",
               true, "y.safe_load");
    /* from yaml import load, and the module imported too: its spelling */
    expect_fix("LL501", "import yaml\nfrom yaml import load\ncfg = load(f)\n", "load",
               "import yaml\nfrom yaml import load\ncfg = yaml.safe_load(f)\n", true, "yaml.safe_load");
    /* safe_load already imported */
    expect_fix("LL501", "from yaml import load, safe_load\ncfg = load(f)\n", "load",
               "from yaml import load, safe_load\ncfg = safe_load(f)\n", true, "safe_load");
    /* only the from-import: the new name is added to it */
    expect_fix("LL501", "from yaml import load\ncfg = load(f)\n", "load",
               "from yaml import load, safe_load\ncfg = safe_load(f)\n", true, "safe_load");
    expect_fix("LL501", "from yaml import load as yload\ncfg = yload(f)\n", "yload",
               "from yaml import load as yload, safe_load\ncfg = safe_load(f)\n", true, "safe_load");
    expect_fix("LL501",
               "from yaml import (\n"
               "    load,\n"
               "    dump,\n"
               ")\n"
               "cfg = load(f)\n",
               "load",
               "from yaml import (\n"
               "    load,\n"
               "    dump,\n"
               "    safe_load,\n"
               ")\n"
               "cfg = safe_load(f)\n",
               true, "safe_load");
    expect_fix("LL501",
               "from yaml import (\r\n"
               "    load\r\n"
               ")\r\n"
               "cfg = load(f)\r\n",
               "load",
               "from yaml import (\r\n"
               "    load,\r\n"
               "    safe_load\r\n"
               ")\r\n"
               "cfg = safe_load(f)\r\n",
               true, "safe_load");
    expect_fix("LL501", "from yaml import dump, \\\n    load\ncfg = load(f)\n", "load",
               "from yaml import dump, \\\n    load, safe_load\ncfg = safe_load(f)\n", true, "safe_load");
    /* from yaml import * brings safe_load too */
    expect_fix("LL501", "from yaml import *\ncfg = load(f)\n", "load", "from yaml import *\ncfg = safe_load(f)\n",
               true, "safe_load");
    /* an alias variable of yaml.load: the module's function instead */
    expect_fix("LL501", "import yaml\nld = yaml.load\ncfg = ld(f)\n", "ld",
               "import yaml\nld = yaml.load\ncfg = yaml.safe_load(f)\n", true, "yaml.safe_load");
    /* inside a function, the module imported at the top */
    expect_fix("LL501", "import yaml as pyyaml\n\ndef read(f):\n    return pyyaml.load(f)\n", "pyyaml.load",
               "import yaml as pyyaml\n\ndef read(f):\n    return pyyaml.safe_load(f)\n", true, "pyyaml.safe_load");
}

Test(fix_yaml, full_loader_is_safe)
{
    expect_fix("LL501", "import yaml\ncfg = yaml.load(f, Loader=yaml.FullLoader)\n", "yaml.load",
               "import yaml\ncfg = yaml.load(f, Loader=yaml.SafeLoader)\n", true, NULL);
    expect_fix("LL501", "import yaml as y\ncfg = y.load(f, y.CFullLoader)\n", "y.load",
               "import yaml as y\ncfg = y.load(f, y.SafeLoader)\n", true, NULL);
    expect_fix("LL501", "import yaml\nfrom yaml import FullLoader\ncfg = yaml.load(f, Loader=FullLoader)\n",
               "yaml.load",
               "import yaml\nfrom yaml import FullLoader\ncfg = yaml.load(f, Loader=yaml.SafeLoader)\n", true, NULL);
    expect_fix("LL501", "import yaml.loader\ncfg = yaml.load(f, Loader=yaml.loader.FullLoader)\n", "yaml.load",
               "import yaml.loader\ncfg = yaml.load(f, Loader=yaml.SafeLoader)\n", true, NULL);
}

Test(fix_yaml, unsafe_loaders_are_unsafe)
{
    expect_fix("LL501", "import yaml\ncfg = yaml.load(f, Loader=yaml.Loader)\n", "yaml.load",
               "import yaml\ncfg = yaml.load(f, Loader=yaml.SafeLoader)\n", false, NULL);
    expect_fix("LL501", "import yaml\ncfg = yaml.load(f, yaml.UnsafeLoader)\n", "yaml.load",
               "import yaml\ncfg = yaml.load(f, yaml.SafeLoader)\n", false, NULL);
    expect_fix("LL501", "import yaml\ncfg = yaml.load(f, Loader=yaml.CLoader)  # fast\n", "yaml.load",
               "import yaml\ncfg = yaml.load(f, Loader=yaml.SafeLoader)  # fast\n", false, NULL);
    /* from yaml import Loader: SafeLoader added to that import */
    expect_fix("LL501", "from yaml import load, Loader\ncfg = load(f, Loader=Loader)\n", "load",
               "from yaml import load, Loader, SafeLoader\ncfg = load(f, Loader=SafeLoader)\n", false, NULL);
    /* SafeLoader already imported */
    expect_fix("LL501", "from yaml import load, Loader, SafeLoader\ncfg = load(f, Loader=Loader)\n", "load",
               "from yaml import load, Loader, SafeLoader\ncfg = load(f, Loader=SafeLoader)\n", false, NULL);
    /* try: the C loader, except: the Python one; the module is imported */
    expect_fix("LL501",
               "import yaml\n"
               "try:\n"
               "    from yaml import CLoader as Loader\n"
               "except ImportError:\n"
               "    from yaml import Loader\n"
               "cfg = yaml.load(f, Loader=Loader)\n",
               "yaml.load",
               "import yaml\n"
               "try:\n"
               "    from yaml import CLoader as Loader\n"
               "except ImportError:\n"
               "    from yaml import Loader\n"
               "cfg = yaml.load(f, Loader=yaml.SafeLoader)\n",
               false, NULL);
}

Test(fix_yaml, no_fix_cases)
{
    expect_no_fix("LL501", "import yaml\ncfg = yaml.load(f, Loader=my_loader)\n", "yaml.load",
                  "`Loader` is `my_loader`, not one of the names this fix replaces");
    /* the file's own subclass of an unsafe loader (its constructors would be lost) */
    expect_no_fix("LL501", "import yaml\nclass L(yaml.Loader): pass\ncfg = yaml.load(f, Loader=L)\n",
                  "yaml.load", "`L`");
    expect_no_fix("LL501", "import yaml\nclass C:\n    Unsafe = yaml.Loader\ncfg = yaml.load(f, Loader=C.Unsafe)\n",
                  "yaml.load", "`C.Unsafe`");
    /* an alias variable of the loader is a variable */
    expect_no_fix("LL501", "import yaml\nL = yaml.Loader\ncfg = yaml.load(f, Loader=L)\n", "yaml.load",
                  "`L` is a class, variable or parameter");
    /* a parameter whose default is yaml.load: callers may pass another */
    expect_no_fix("LL501", "import yaml\ndef read(f, ld=yaml.load):\n    return ld(f)\n", "ld",
                  "`ld` is a class, parameter or value");
    expect_no_fix("LL501", "import yaml\ncfg = yaml.load(f, **opts)\n", "yaml.load", "may be passed through");
    expect_no_fix("LL501", "import yaml\ncfg = yaml.load(*args)\n", "yaml.load", "may be passed through");
    expect_no_fix("LL501", "import yaml\ncfg = yaml.load(f, Loader=get_loader())\n", "yaml.load",
                  "not one of the names");
    /* the callee may be ruamel's */
    expect_no_fix("LL501",
                  "try:\n    import yaml\nexcept ImportError:\n    import ruamel.yaml as yaml\ncfg = yaml.load(f)\n",
                  "yaml.load", "may also be ruamel.yaml.load");
    /* Loader has two meanings and yaml is not imported as a module */
    expect_no_fix("LL501",
                  "from yaml import load\n"
                  "try:\n"
                  "    from yaml import CLoader as Loader\n"
                  "except ImportError:\n"
                  "    from yaml import Loader\n"
                  "cfg = load(f, Loader=Loader)\n",
                  "load", "cannot name yaml.SafeLoader here");
    /* another safe_load exists in the file */
    expect_no_fix("LL501", "from yaml import load\n\ndef safe_load(x):\n    return x\n\ncfg = load(f)\n", "load",
                  "`safe_load` is already a name in this file");
    /* a reference used as a value */
    expect_no_fix("LL501", "import yaml\ndocs = list(map(yaml.load, streams))\n", "@yaml.load",
                  "passed as a value");
}

Test(fix_yaml, full_load_unsafe_load_and_ruamel)
{
    expect_fix("LL502", "import yaml\ncfg = yaml.full_load(f)\n", "yaml.full_load",
               "import yaml\ncfg = yaml.safe_load(f)\n", true, "yaml.safe_load");
    expect_fix("LL502", "from yaml import full_load_all\ndocs = full_load_all(f)\n", "full_load_all",
               "from yaml import full_load_all, safe_load_all\ndocs = safe_load_all(f)\n", true, "safe_load_all");
    expect_fix("LL503", "import yaml as Y\ncfg = Y.unsafe_load(f)\n", "Y.unsafe_load",
               "import yaml as Y\ncfg = Y.safe_load(f)\n", false, "Y.safe_load");
    expect_fix("LL503", "import yaml\ndocs = yaml.unsafe_load_all(f)\n", "yaml.unsafe_load_all",
               "import yaml\ndocs = yaml.safe_load_all(f)\n", false, "yaml.safe_load_all");
    expect_fix("LL505", "import ruamel.yaml\ncfg = ruamel.yaml.load(f)\n", "ruamel.yaml.load",
               "import ruamel.yaml\ncfg = ruamel.yaml.safe_load(f)\n", true, "ruamel.yaml.safe_load");
    expect_fix("LL505", "from ruamel import yaml\ncfg = yaml.load(f, Loader=yaml.Loader)\n", "yaml.load",
               "from ruamel import yaml\ncfg = yaml.load(f, Loader=yaml.SafeLoader)\n", false, NULL);
    expect_no_fix("LL505", "import ruamel.yaml\ncfg = ruamel.yaml.load(f, preserve_quotes=True)\n",
                  "ruamel.yaml.load", "`preserve_quotes` is given");
    expect_no_fix("LL505", "import ruamel.yaml\ncfg = ruamel.yaml.load(f, None, '1.1')\n", "ruamel.yaml.load",
                  "`Loader` is");
}

/* ---- LL110, LL302, LL401: dropping and changing keywords ------------------------- */

Test(fix_keywords, numpy_allow_pickle_layouts)
{
    expect_fix("LL110", "import numpy as np\na = np.load(p, allow_pickle=True)\n", "np.load",
               "import numpy as np\na = np.load(p)\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(allow_pickle=True, file=p)\n", "np.load",
               "import numpy as np\na = np.load(file=p)\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(p, allow_pickle=True, mmap_mode=\"r\")\n", "np.load",
               "import numpy as np\na = np.load(p, mmap_mode=\"r\")\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(allow_pickle=True)\n", "np.load",
               "import numpy as np\na = np.load()\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(p, allow_pickle=True,)\n", "np.load",
               "import numpy as np\na = np.load(p,)\n", false, NULL);
    expect_fix("LL110",
               "import numpy as np\n"
               "a = np.load(\n"
               "    path,\n"
               "    allow_pickle=True,  # old files\n"
               "    mmap_mode=\"r\",\n"
               ")\n",
               "np.load",
               "import numpy as np\n"
               "a = np.load(\n"
               "    path,\n"
               "    mmap_mode=\"r\",\n"
               ")\n",
               false, NULL);
    expect_fix("LL110",
               "import numpy as np\n"
               "a = np.load(\n"
               "    path,\n"
               "    allow_pickle=True\n"
               ")\n",
               "np.load",
               "import numpy as np\n"
               "a = np.load(\n"
               "    path,\n"
               ")\n",
               false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(path,\n            allow_pickle=True)\n", "np.load",
               "import numpy as np\na = np.load(path)\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(path,  # the file\n            allow_pickle=True)\n",
               "np.load", "import numpy as np\na = np.load(path  # the file\n            )\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(allow_pickle=True,  # c\n            file=p)\n", "np.load",
               "import numpy as np\na = np.load(# c\n            file=p)\n", false, NULL);
    expect_fix("LL110",
               "import numpy as np\r\n"
               "a = np.load(\r\n"
               "\tpath,\r\n"
               "\tallow_pickle=True,\r\n"
               ")\r\n",
               "np.load",
               "import numpy as np\r\n"
               "a = np.load(\r\n"
               "\tpath,\r\n"
               ")\r\n",
               false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(p, \\\n            allow_pickle=True)\n", "np.load",
               "import numpy as np\na = np.load(p)\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(\n    allow_pickle=True,\n)\n", "np.load",
               "import numpy as np\na = np.load(\n)\n", false, NULL);
    expect_fix("LL110", "import numpy as np\na = np.load(p, allow_pickle=True, **kw)\n", "np.load",
               "import numpy as np\na = np.load(p, **kw)\n", false, NULL);
    /* the keyword not alone on its line, its comma on the next: inline removal */
    expect_fix("LL110", "import numpy as np\na = np.load(\n    p,\n    allow_pickle=True\n    , mmap_mode=\"r\")\n",
               "np.load", "import numpy as np\na = np.load(\n    p\n    , mmap_mode=\"r\")\n", false, NULL);
}

Test(fix_keywords, numpy_safe_for_numeric_consumers)
{
    expect_fix("LL110", "import numpy as np, torch\nt = torch.from_numpy(np.load(\"emb.npy\", allow_pickle=True))\n",
               "np.load", "import numpy as np, torch\nt = torch.from_numpy(np.load(\"emb.npy\"))\n", true, NULL);
    /* a variable path: it might be a plain pickle, which np.load reads with allow_pickle */
    expect_fix("LL110", "import numpy as np, torch\nt = torch.from_numpy(np.load(p, allow_pickle=True))\n",
               "np.load", "import numpy as np, torch\nt = torch.from_numpy(np.load(p))\n", false, NULL);
    /* .item(): an object array */
    expect_fix("LL110", "import numpy as np\nd = np.load(\"meta.npy\", allow_pickle=True).item()\n", "np.load",
               "import numpy as np\nd = np.load(\"meta.npy\").item()\n", false, NULL);
    expect_no_fix("LL110", "import numpy as np\na = np.load(p, None, True)\n", "np.load",
                  "not given by keyword");
    expect_no_fix("LL110", "import numpy as np\na = np.load(p, **{\"allow_pickle\": True})\n", "np.load",
                  "inside a `**` dictionary");
}

Test(fix_keywords, keras_safe_mode)
{
    expect_fix("LL302", "import keras\nm = keras.models.load_model(p, safe_mode=False)\n",
               "keras.models.load_model", "import keras\nm = keras.models.load_model(p)\n", false, NULL);
    expect_fix("LL302",
               "from tensorflow import keras\n"
               "m = keras.models.load_model(\n"
               "    p,\n"
               "    compile=False,\n"
               "    safe_mode=False,\n"
               ")\n",
               "keras.models.load_model",
               "from tensorflow import keras\n"
               "m = keras.models.load_model(\n"
               "    p,\n"
               "    compile=False,\n"
               ")\n",
               false, NULL);
    expect_no_fix("LL302", "import keras\nm = keras.models.load_model(p, None, True, False)\n",
                  "keras.models.load_model", "not given by keyword");
}

Test(fix_keywords, trust_remote_code)
{
    expect_fix("LL401",
               "from transformers import AutoModel\nm = AutoModel.from_pretrained(name, trust_remote_code=True)\n",
               "AutoModel.from_pretrained",
               "from transformers import AutoModel\nm = AutoModel.from_pretrained(name, trust_remote_code=False)\n",
               false, NULL);
    expect_fix("LL401", "import transformers\np = transformers.pipeline(\"x\", model=m, trust_remote_code=1)\n",
               "transformers.pipeline",
               "import transformers\np = transformers.pipeline(\"x\", model=m, trust_remote_code=False)\n", false,
               NULL);
    expect_no_fix("LL401", "from transformers import AutoModel\nm = AutoModel.from_pretrained(name, **{\"trust_remote_code\": True})\n",
                  "AutoModel.from_pretrained", "inside a `**` dictionary");
}

/* ---- applying ------------------------------------------------------------------------ */

static LLFix make_fix(uint32_t start, uint32_t end, const char *text, bool mergeable)
{
    LLFix f;
    memset(&f, 0, sizeof f);
    f.status = LL_FIX_OFFERED;
    f.edits = calloc(1, sizeof *f.edits);
    f.edits[0].start = start;
    f.edits[0].end = end;
    f.edits[0].text = strdup(text);
    f.edits[0].mergeable = mergeable;
    f.nedits = 1;
    return f;
}

Test(fix_apply, overlaps_dropped_duplicates_once_list_items_kept)
{
    const char *text = "abcdefghij";
    LLFix f[6] = {
        make_fix(2, 4, "XY", false),  /* 0: applied */
        make_fix(3, 5, "Z", false),   /* 1: overlaps 0: dropped */
        make_fix(2, 4, "XY", false),  /* 2: identical to 0: applied once */
        make_fix(6, 6, ",a", true),   /* 3: insertion */
        make_fix(6, 6, ",b", true),   /* 4: another list item at the same place: kept after */
        make_fix(6, 6, "!", false),   /* 5: a plain insertion there: dropped */
    };
    const LLFix *ptrs[7] = {&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], NULL};
    LLBuf out;
    ll_buf_init(&out);
    LLFixApplyResult res;
    ll_fix_apply(text, strlen(text), ptrs, 6, &out, &res);
    cr_assert_str_eq(out.data, "abXYef,a,bghij");
    cr_assert_eq(res.applied, 4);
    cr_assert_eq(res.ndropped, 2);
    cr_assert_eq(res.dropped[0].fix, 1);
    cr_assert_eq(res.dropped[0].conflict, 0);
    cr_assert_eq(res.dropped[1].fix, 5);
    cr_assert_eq(res.dropped[1].conflict, 3);
    ll_fix_apply_result_release(&res);
    ll_buf_release(&out);
    /* an insertion where a replacement ends or starts is fine; inside it is not;
     * an edit past the end is dropped */
    LLFix g[4] = {make_fix(4, 4, "<", false), make_fix(2, 4, "__", false), make_fix(3, 3, "?", false),
                  make_fix(9, 12, "", false)};
    const LLFix *gp[4] = {&g[0], &g[1], &g[2], &g[3]};
    ll_buf_init(&out);
    ll_fix_apply(text, strlen(text), gp, 4, &out, &res);
    cr_assert_str_eq(out.data, "ab__<efghij");
    cr_assert_eq(res.ndropped, 2);
    cr_assert_eq(res.dropped[1].conflict, 4, "out of range: conflict is n");
    ll_fix_apply_result_release(&res);
    ll_buf_release(&out);
    for (int i = 0; i < 6; i++)
        ll_fix_release(&f[i]);
    for (int i = 0; i < 4; i++)
        ll_fix_release(&g[i]);
}

static bool text_matches(const LTDoc *d, TSNode n, const char *s)
{
    if (ts_node_is_null(n))
        return false;
    size_t len;
    const char *t = ll_node_text(&d->src, n, &len);
    return len == strlen(s) && memcmp(t, s, len) == 0;
}

/* Every call of `src` written `fn`, fixed by one rule, in one pass. */
static char *fix_all(const char *src, const char *code, const char *fn)
{
    RuleFixes rf;
    load_rule_fixes(code, &rf);
    LLRuleset *known = lt_builtin_rules();
    LTDoc d;
    lt_doc_open(&d, src, &known->known_names);
    LLFix fixes[8];
    const LLFix *ptrs[8];
    size_t n = 0;
    for (unsigned i = 0; n < 8; i++) {
        TSNode c = lt_nth_call(&d, i);
        if (ts_node_is_null(c))
            break;
        TSNode f = ll_syntax_field(&d.syn, c, LL_F_FUNCTION);
        if (!text_matches(&d, f, fn))
            continue;
        LLNames names;
        lt_call_names(&d, c, &names);
        LLFixSite site = {.sem = &d.sem, .node = c, .scope = lt_scope_of(&d, c), .callee = names.name[0]};
        ll_fix_compute(&site, rf.specs, rf.n, NULL, &fixes[n]);
        ptrs[n] = &fixes[n];
        n++;
    }
    LLBuf out;
    ll_buf_init(&out);
    LLFixApplyResult res;
    ll_fix_apply(d.src.text, d.src.len, ptrs, n, &out, &res);
    cr_assert_eq(res.ndropped, 0);
    ll_fix_apply_result_release(&res);
    for (size_t i = 0; i < n; i++)
        ll_fix_release(&fixes[i]);
    lt_doc_close(&d);
    ll_ruleset_free(known);
    free_fixes(&rf);
    return ll_buf_detach(&out);
}

Test(fix_apply, calls_sharing_an_import_in_one_pass)
{
    char *got = fix_all("from yaml import load\na = load(f)\nb = load(g)\n", "LL501", "load");
    cr_assert_str_eq(got, "from yaml import load, safe_load\na = safe_load(f)\nb = safe_load(g)\n");
    free(got);
    /* two names added to one import: both kept */
    got = fix_all("from yaml import load, Loader\na = load(f)\nb = load(g, Loader=Loader)\n", "LL501", "load");
    cr_assert_str_eq(got, "from yaml import load, Loader, safe_load, SafeLoader\na = safe_load(f)\n"
                          "b = load(g, Loader=SafeLoader)\n");
    free(got);
    /* the same, one name per line */
    got = fix_all("from yaml import (\n    load,\n    Loader\n)\na = load(f)\nb = load(g, Loader=Loader)\n",
                  "LL501", "load");
    cr_assert_str_eq(got, "from yaml import (\n    load,\n    Loader,\n    safe_load,\n    SafeLoader\n)\n"
                          "a = safe_load(f)\nb = load(g, Loader=SafeLoader)\n");
    free(got);
}

/* ---- encoding back and writing --------------------------------------------------- */

/* Decodes `raw` as the scan does, inserts `ins` at the first `at` of the
 * text, and encodes the result back. */
static LLStatus encode_round(const char *raw, size_t raw_len, const char *at, const char *ins, LLBuf *out,
                             LLError *err)
{
    LLFrontEnd fe;
    ll_frontend_init(&fe);
    LLArena arena;
    ll_arena_init(&arena);
    LLSource src;
    LLError derr;
    cr_assert_eq(ll_frontend_decode(&fe, "t.py", "t.py", raw, raw_len, &arena, &src, &derr), LL_DECODE_OK,
                 "%s", derr.msg);
    const char *p = strstr(src.text, at);
    cr_assert_not_null(p);
    LLBuf fixed;
    ll_buf_init(&fixed);
    ll_buf_append(&fixed, src.text, (size_t)(p - src.text));
    ll_buf_puts(&fixed, ins);
    ll_buf_append(&fixed, p, src.len - (size_t)(p - src.text));
    LLStatus st = ll_fix_encode("t.py", fe.codec, raw, raw_len, src.text, src.len, fixed.data, fixed.len, out, err);
    ll_buf_release(&fixed);
    ll_arena_release(&arena);
    ll_frontend_release(&fe);
    return st;
}

Test(fix_encode, utf8_latin1_cp1252_and_refusals)
{
    LLBuf out;
    LLError err;
    /* UTF-8 with a BOM keeps it */
    const char bom[] = "\xEF\xBB\xBFimport torch\nx = torch.load(p)  # caf\xC3\xA9\n";
    ll_buf_init(&out);
    cr_assert_eq(encode_round(bom, sizeof bom - 1, ")", ", weights_only=True", &out, &err), LL_OK, "%s", err.msg);
    cr_assert_str_eq(out.data, "\xEF\xBB\xBFimport torch\nx = torch.load(p, weights_only=True)  # caf\xC3\xA9\n");
    ll_buf_release(&out);
    /* latin-1: the é stays one byte, CRLF stays */
    const char l1[] = "# -*- coding: latin-1 -*-\r\nimport torch\r\nx = torch.load(p)  # caf\xE9\r\n";
    ll_buf_init(&out);
    cr_assert_eq(encode_round(l1, sizeof l1 - 1, ")", ", weights_only=True", &out, &err), LL_OK, "%s", err.msg);
    cr_assert_str_eq(out.data,
                     "# -*- coding: latin-1 -*-\r\nimport torch\r\nx = torch.load(p, weights_only=True)  # caf\xE9\r\n");
    ll_buf_release(&out);
    /* cp1252: a character it cannot represent is refused, nothing written */
    const char w[] = "# coding: cp1252\nx = 1  # \x80\n";
    ll_buf_init(&out);
    cr_assert_eq(encode_round(w, sizeof w - 1, "1  #", "\xE2\x86\x92", &out, &err), LL_ERR_IO);
    cr_assert(strstr(err.msg, "cannot represent"), "%s", err.msg);
    cr_assert_eq(err.line, 2);
    cr_assert_eq(out.len, 0);
    ll_buf_release(&out);
    ll_buf_init(&out);
    cr_assert_eq(encode_round(w, sizeof w - 1, "1  #", "2", &out, &err), LL_OK, "%s", err.msg);
    cr_assert_str_eq(out.data, "# coding: cp1252\nx = 21  # \x80\n");
    ll_buf_release(&out);
    /* UTF-7 spelling that re-encoding would change: refused */
    const char u7[] = "# coding: utf-7\nimport +AHA-ickle\nx = 1\n";
    ll_buf_init(&out);
    cr_assert_eq(encode_round(u7, sizeof u7 - 1, "1", "2", &out, &err), LL_ERR_IO);
    cr_assert(strstr(err.msg, "change more than the fix"), "%s", err.msg);
    ll_buf_release(&out);
    /* unicode_escape: Python-only, refused */
    const char ue[] = "# coding: unicode_escape\nx = 1\n";
    ll_buf_init(&out);
    cr_assert_eq(encode_round(ue, sizeof ue - 1, "1", "2", &out, &err), LL_ERR_IO);
    cr_assert(strstr(err.msg, "cannot encode"), "%s", err.msg);
    ll_buf_release(&out);
    /* a text that is not the file's */
    ll_buf_init(&out);
    cr_assert_eq(ll_fix_encode("t.py", "", "abc", 3, "abd", 3, "x", 1, &out, &err), LL_ERR_IO);
    ll_buf_release(&out);
}

Test(fix_write, atomic_keeps_mode_follows_links_refuses_changed)
{
    char dir[] = "/tmp/loadlint-fix-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], link[256];
    snprintf(path, sizeof path, "%s/a.py", dir);
    snprintf(link, sizeof link, "%s/b.py", dir);
    FILE *f = fopen(path, "wb");
    fputs("x = 1\n", f);
    fclose(f);
    chmod(path, 0640);
    cr_assert_eq(symlink("a.py", link), 0);
    LLError err;
    cr_assert_eq(ll_fix_write_file(link, "x = 1\n", 6, "x = 2\n", 6, &err), LL_OK, "%s", err.msg);
    struct stat sb;
    cr_assert_eq(lstat(link, &sb), 0);
    cr_assert(S_ISLNK(sb.st_mode), "the link stays a link");
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(sb.st_mode & 0777, 0640);
    size_t len;
    char *now = read_file(path, &len);
    cr_assert_str_eq(now, "x = 2\n");
    free(now);
    /* changed since read: refused, untouched */
    cr_assert_eq(ll_fix_write_file(path, "x = 1\n", 6, "x = 3\n", 6, &err), LL_ERR_IO);
    cr_assert(strstr(err.msg, "changed since it was read"), "%s", err.msg);
    now = read_file(path, &len);
    cr_assert_str_eq(now, "x = 2\n");
    free(now);
    /* no temporary file left behind */
    DIR *d = opendir(dir);
    int entries = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        entries += de->d_name[0] != '.';
    closedir(d);
    cr_assert_eq(entries, 2);
    unlink(link);
    unlink(path);
    rmdir(dir);
}

/* ---- the vocabulary: validation ---------------------------------------------------- */

static void expect_spec_error(const char *fixes, const char *calls, const char *methods, const char *msg)
{
    RuleFixes rf;
    LLError err;
    LLStatus st = parse_fixes(fixes, calls, methods, &rf, &err);
    cr_assert_eq(st, LL_ERR_RULE, "accepted: %s", fixes);
    cr_assert(strstr(err.msg, msg), "error \"%s\" lacks \"%s\"", err.msg, msg);
    cr_assert(err.line >= 1 && err.col >= 1, "located");
    free_fixes(&rf);
}

Test(fixspec, rejects_with_located_errors)
{
    expect_spec_error("[]", "a.load", NULL, "/fixes: must be a non-empty array");
    expect_spec_error("[{\"kind\": \"fix-it\", \"safe\": true}]", "a.load", NULL, "/fixes/0/kind: unknown kind");
    expect_spec_error("[{\"kind\": \"set-keyword\", \"keyword\": \"w\", \"value\": true}]", "a.load", NULL,
                      "missing required key \"safe\"");
    expect_spec_error("[{\"kind\": \"set-keyword\", \"keyword\": \"w\", \"value\": true, \"safe\": false}]", "a.load",
                      NULL, "needs \"unsafe_reason\"");
    expect_spec_error("[{\"kind\": \"set-keyword\", \"keyword\": \"w\", \"safe\": true}]", "a.load", NULL,
                      "\"set-keyword\" needs \"value\"");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"value\": 1, \"safe\": true}]", "a.load",
                      NULL, "/fixes/0/value: \"drop-keyword\" does not take \"value\"");
    expect_spec_error("[{\"kind\": \"set-keyword\", \"keyword\": \"w\", \"value\": [1], \"safe\": true}]", "a.load",
                      NULL, "/fixes/0/value: must be true, false, null");
    expect_spec_error("[{\"kind\": \"set-keyword\", \"keyword\": \"w\", \"value\": \"a\\\"b\", \"safe\": true}]",
                      "a.load", NULL, "printable ASCII");
    expect_spec_error("[{\"kind\": \"rename-callee\", \"to\": {\"a.load\": \"b.safe_load\"}, \"safe\": true}]",
                      "a.load", NULL, "stays in the same module");
    expect_spec_error("[{\"kind\": \"rename-callee\", \"to\": {\"a.other\": \"a.safe\"}, \"safe\": true}]",
                      "a.load", NULL, "not a name the rule matches");
    expect_spec_error("[{\"kind\": \"rename-callee\", \"to\": {\"a.load\": \"a.x\"}, \"safe\": true}]", NULL,
                      "load", "needs a rule that matches by \"call\"");
    expect_spec_error("[{\"kind\": \"replace-value\", \"arg\": {\"keyword\": \"L\"}, \"name\": \"SafeLoader\", \"safe\": true}]",
                      "a.load", NULL, "with a module");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"when\": [{\"arg\": {\"keyword\": \"w\"}, \"is\": \"constant\"}]}]",
                      "a.load", NULL, "/fixes/0/when/0/is: unknown value \"constant\"");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"when\": [{\"callee\": [\"a.load\"], \"arg\": {\"keyword\": \"w\"}}]}]",
                      "a.load", NULL, "exactly one of");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"when\": [{\"argument_of\": {}}]}]",
                      "a.load", NULL, "needs \"call\"");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"when\": [{\"arg\": {\"keyword\": \"w\"}, \"matches\": \"(\"}]}]",
                      "a.load", NULL, "invalid regular expression");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"safe_when\": [{\"callee\": [\"a.load\"]}]}]",
                      "a.load", NULL, "only for \"safe\": false");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"requires\": {\"package\": \"torch\", \"versions\": \"1.13\"}}]",
                      "a.load", NULL, "/fixes/0/requires/versions: \"1.13\" is not a version specifier set");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true, \"colour\": 1}]", "a.load",
                      NULL, "colour");
    expect_spec_error("[{\"kind\": \"drop-keyword\", \"keyword\": \"w\", \"safe\": true}]", NULL, NULL,
                      "fixes apply to call rules only");
}

Test(fixspec, the_rule_loader_keeps_and_checks_fixes)
{
    /* the built-in rules carry their fixes */
    LLRuleset *rs = lt_builtin_rules();
    static const struct {
        const char *code;
        size_t n;
    } want[] = {{"LL201", 6}, {"LL501", 3}, {"LL502", 1}, {"LL503", 1}, {"LL505", 2},
                {"LL110", 1}, {"LL302", 1}, {"LL401", 1}, {"LL101", 0}, {"LL105", 0}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const LLRule *r = ll_ruleset_find(rs, want[i].code);
        cr_assert_not_null(r, "%s", want[i].code);
        cr_assert_eq(r->nfixes, want[i].n, "%s has %zu fixes", want[i].code, r->nfixes);
        cr_assert_eq(r->fixes == NULL, want[i].n == 0);
    }
    ll_ruleset_free(rs);
    /* a bad entry in a rule file: located, the file rejected */
    const char *text =
        "{\"code\": \"LL990\", \"name\": \"x\", \"severity\": \"warning\", \"summary\": \"s\",\n"
        " \"message\": \"m\", \"precision\": \"high\", \"security_severity\": \"5.0\", \"cwe\": [\"CWE-502\"],\n"
        " \"tags\": [], \"match\": {\"call\": [\"a.load\"]},\n"
        " \"fixes\": [{\"kind\": \"rename-callee\", \"to\": {\"a.load\": \"b.load\"}, \"safe\": true}],\n"
        " \"docs\": {\"what\": \"w\", \"why\": \"y\", \"example\": \"e\", \"use_instead\": \"u\",\n"
        "          \"references\": [\"https://example.org/\"]}}";
    rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_json(rs, "LL990-x.json", text, strlen(text), &err), LL_ERR_RULE);
    cr_assert(strstr(err.msg, "/fixes/0/to/a.load") && strstr(err.msg, "same module"), "%s", err.msg);
    cr_assert_eq(err.line, 4, "%s", err.msg);
    ll_ruleset_free(rs);
}

Test(fixspec, accepts_the_vocabulary)
{
    RuleFixes rf;
    LLError err;
    LLStatus st = parse_fixes(
        "[{\"kind\": \"set-keyword\", \"keyword\": \"weights_only\", \"position\": 6, \"value\": true,"
        "  \"when\": [{\"callee\": [\"t.load\"]}, {\"arg\": {\"keyword\": \"weights_only\"}, \"is\": \"absent\"}],"
        "  \"requires\": {\"package\": \"torch\", \"versions\": \">=1.13, <3\"},"
        "  \"safe\": false, \"safe_when\": [{\"argument_of\": {\"method\": [\"load_state_dict\"]}}],"
        "  \"unsafe_reason\": \"r\"},"
        " {\"kind\": \"set-keyword\", \"keyword\": \"d\", \"value\": \"cpu\", \"safe\": true},"
        " {\"kind\": \"set-keyword\", \"keyword\": \"n\", \"value\": -3, \"safe\": true},"
        " {\"kind\": \"drop-keyword\", \"keyword\": \"x\", \"safe\": true},"
        " {\"kind\": \"rename-callee\", \"to\": {\"t.load\": \"t.safe_load\"}, \"safe\": true},"
        " {\"kind\": \"replace-value\", \"arg\": {\"position\": 1}, \"name\": \"t.Safe\", \"safe\": true,"
        "  \"when\": [{\"arg\": {\"position\": 1}, \"resolves_to\": [\"t.Unsafe\"]}]}]",
        "t.load", NULL, &rf, &err);
    cr_assert_eq(st, LL_OK, "%s", err.msg);
    cr_assert_eq(rf.n, 6);
    cr_assert_eq(rf.specs[0].kind, LL_FIXK_SET_KEYWORD);
    cr_assert_str_eq(rf.specs[0].value, "True");
    cr_assert_eq(rf.specs[0].arg.position, 6);
    cr_assert_str_eq(rf.specs[0].req_versions, ">=1.13, <3");
    cr_assert_eq(rf.specs[0].nsafe_when, 1);
    cr_assert_str_eq(rf.specs[1].value, "\"cpu\"");
    cr_assert_str_eq(rf.specs[2].value, "-3");
    cr_assert_eq(rf.specs[4].kind, LL_FIXK_RENAME_CALLEE);
    cr_assert_str_eq(rf.specs[4].to.items[0], "t.safe_load");
    cr_assert_str_eq(rf.specs[5].name, "t.Safe");
    cr_assert_str_eq(ll_fixspec_kind_name(rf.specs[3].kind), "drop-keyword");
    free_fixes(&rf);
}

/* ---- before/after pairs (tests/fixes/) -------------------------------------------- */

static uint32_t offset_of(const LLSource *src, uint32_t line, uint32_t col)
{
    uint32_t off = src->line_starts[line - 1];
    for (uint32_t c = 1; c < col && off < src->len; c++) {
        off++;
        while (off < src->len && ((unsigned char)src->text[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

/* The site of a finding: the call (or reference) starting there whose
 * callee the finding names. */
static TSNode site_of(const LTDoc *d, const LLFinding *f, uint32_t *scope)
{
    uint32_t off = offset_of(&d->src, f->span.line, f->span.col);
    TSNode none = {0};
    for (size_t i = 0; i < d->sem.calls.len; i++) {
        const LLCallSite *c = &d->sem.calls.items[i];
        if (ts_node_start_byte(c->node) != off || ts_node_is_null(c->fn))
            continue;
        LLNames names = {0};
        ll_resolve_expr(&d->sem, c->fn, c->scope, &names);
        if (lt_names_has(&names, f->callee) || names.n == 0) {
            *scope = c->scope;
            return c->node;
        }
    }
    /* a callee the test's module name spells otherwise: the one call there */
    TSNode only = none;
    int at = 0;
    for (size_t i = 0; i < d->sem.calls.len; i++) {
        if (ts_node_start_byte(d->sem.calls.items[i].node) == off && at++ == 0) {
            only = d->sem.calls.items[i].node;
            *scope = d->sem.calls.items[i].scope;
        }
    }
    if (at == 1)
        return only;
    for (size_t i = 0; i < d->sem.refs.len; i++) {
        if (ts_node_start_byte(d->sem.refs.items[i].node) == off) {
            *scope = d->sem.refs.items[i].scope;
            return d->sem.refs.items[i].node;
        }
    }
    return none;
}

#define PAIR_MAX_FIXES 256

typedef struct PairFixes {
    LLFix fix[PAIR_MAX_FIXES];
    uint32_t rule[PAIR_MAX_FIXES];
    size_t n;
} PairFixes;

/* Fixes for every unsuppressed finding of `text` (all, safe and unsafe). */
static void pair_fixes(const LLRuleset *rs, const LTDoc *d, const LTRun *run, RuleFixes *by_rule,
                       PairFixes *out)
{
    out->n = 0;
    for (size_t i = 0; i < run->res.findings.len; i++) {
        const LLFinding *f = &run->res.findings.items[i];
        if (f->suppressed || f->binary)
            continue;
        const char *code = rs->rules[f->rule].code;
        RuleFixes *rf = &by_rule[f->rule];
        if (!rf->rule.code) {
            DIR *dir = opendir(rules_dir());
            bool has = false;
            struct dirent *de;
            while ((de = readdir(dir))) {
                if (strncmp(de->d_name, code, strlen(code)) == 0 && de->d_name[strlen(code)] == '-') {
                    char path[4096];
                    snprintf(path, sizeof path, "%s/%s", rules_dir(), de->d_name);
                    size_t len;
                    char *t = read_file(path, &len);
                    has = strstr(t, "\"fixes\"") != NULL;
                    free(t);
                }
            }
            closedir(dir);
            if (has)
                load_rule_fixes(code, rf);
            rf->rule.code = (char *)code; /* marks the entry as looked up */
        }
        if (!rf->n)
            continue;
        uint32_t scope = 0;
        TSNode node = site_of(d, f, &scope);
        cr_assert(!ts_node_is_null(node), "no site for %s at %u:%u", code, f->span.line, f->span.col);
        cr_assert_lt(out->n, PAIR_MAX_FIXES);
        LLFixSite site = {.sem = &d->sem, .node = node, .scope = scope, .callee = f->callee};
        ll_fix_compute(&site, rf->specs, rf->n, NULL, &out->fix[out->n]);
        out->rule[out->n] = f->rule;
        out->n++;
    }
}

/* Findings of `rule` (with the suppressed ones when `all`). */
static size_t count_rule(const LTRun *run, uint32_t rule, bool all)
{
    size_t n = 0;
    for (size_t i = 0; i < run->res.findings.len; i++)
        n += run->res.findings.items[i].rule == rule && (all || !run->res.findings.items[i].suppressed);
    return n;
}

static void check_pair(const LLRuleset *rs, const char *path)
{
    size_t raw_len, want_len;
    char *raw = read_file(path, &raw_len);
    char want_path[4096];
    snprintf(want_path, sizeof want_path, "%.*s.fixed.py", (int)(strlen(path) - 3), path);
    char *want = getenv("LL_FIX_UPDATE") ? strdup("") : read_file(want_path, &want_len);
    RuleFixes *by_rule = calloc(rs->nrules, sizeof *by_rule);

    LTRun before;
    lt_run_text(&before, rs, raw, NULL);
    LTDoc d;
    lt_doc_open(&d, raw, &rs->known_names);
    PairFixes *pf = calloc(1, sizeof *pf);
    pair_fixes(rs, &d, &before, by_rule, pf);
    const LLFix *ptrs[PAIR_MAX_FIXES];
    for (size_t i = 0; i < pf->n; i++)
        ptrs[i] = &pf->fix[i];
    LLBuf fixed;
    ll_buf_init(&fixed);
    LLFixApplyResult res;
    ll_fix_apply(d.src.text, d.src.len, ptrs, pf->n, &fixed, &res);
    cr_assert_eq(res.ndropped, 0, "%s: %zu fixes dropped as overlapping", path, res.ndropped);
    LLBuf bytes;
    ll_buf_init(&bytes);
    LLError err;
    cr_assert_eq(ll_fix_encode(path, d.front.codec, raw, raw_len, d.src.text, d.src.len, fixed.data, fixed.len,
                               &bytes, &err),
                 LL_OK, "%s: %s", path, err.msg);
    if (getenv("LL_FIX_UPDATE")) {
        /* LL_FIX_UPDATE=1: write the pairs' .fixed.py (then read the diff) */
        FILE *wf = fopen(want_path, "wb");
        cr_assert_not_null(wf);
        fwrite(bytes.data, 1, bytes.len, wf);
        fclose(wf);
        free(want);
        want = read_file(want_path, &want_len);
    }
    cr_assert(bytes.len == want_len && memcmp(bytes.data, want, want_len) == 0,
              "%s: the fixed text differs from %s\n--- got ---\n%s--- want ---\n%s", path, want_path, bytes.data,
              want);
    cr_assert(ll_fix_parses_cleanly(&d.syn, d.parser, fixed.data, fixed.len), "%s: the fix breaks the syntax",
              path);

    /* rescanned: each applied fix took its finding away, nothing else changed */
    LTRun after;
    lt_run_text(&after, rs, bytes.data, NULL);
    size_t *fixed_count = calloc(rs->nrules, sizeof *fixed_count);
    for (size_t i = 0; i < pf->n; i++)
        fixed_count[pf->rule[i]] += pf->fix[i].status == LL_FIX_OFFERED;
    for (uint32_t r = 0; r < rs->nrules; r++) {
        if (fixed_count[r])
            cr_assert_eq(count_rule(&after, r, false), count_rule(&before, r, false) - fixed_count[r],
                         "%s: %s: %zu findings before, %zu fixed, %zu after", path, rs->rules[r].code,
                         count_rule(&before, r, false), fixed_count[r], count_rule(&after, r, false));
        else /* another rule's finding on a fixed call may show (LL301 once LL302's
              * safe_mode=False is gone), none may appear that was not there */
            cr_assert_leq(count_rule(&after, r, true), count_rule(&before, r, true),
                          "%s: %s: %zu findings before, %zu after", path, rs->rules[r].code,
                          count_rule(&before, r, true), count_rule(&after, r, true));
    }
    /* a second pass offers nothing */
    LTDoc d2;
    lt_doc_open(&d2, bytes.data, &rs->known_names);
    PairFixes *pf2 = calloc(1, sizeof *pf2);
    pair_fixes(rs, &d2, &after, by_rule, pf2);
    for (size_t i = 0; i < pf2->n; i++)
        cr_assert_neq(pf2->fix[i].status, LL_FIX_OFFERED, "%s: a second pass offers %s", path,
                      pf2->fix[i].description);
    for (size_t i = 0; i < pf2->n; i++)
        ll_fix_release(&pf2->fix[i]);
    free(pf2);
    lt_doc_close(&d2);

    free(fixed_count);
    lt_run_close(&after);
    for (size_t i = 0; i < pf->n; i++)
        ll_fix_release(&pf->fix[i]);
    free(pf);
    ll_fix_apply_result_release(&res);
    ll_buf_release(&bytes);
    ll_buf_release(&fixed);
    lt_doc_close(&d);
    lt_run_close(&before);
    for (uint32_t r = 0; r < rs->nrules; r++) {
        by_rule[r].rule.code = NULL;
        free_fixes(&by_rule[r]);
    }
    free(by_rule);
    free(raw);
    free(want);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(fix_pairs, every_pair_fixes_to_its_fixed_file, .timeout = 120)
{
    const char *dir = LL_SOURCE_DIR "/tests/fixes";
    DIR *dh = opendir(dir);
    cr_assert_not_null(dh);
    LLStrList names = {0};
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t l = strlen(de->d_name);
        if (l > 3 && strcmp(de->d_name + l - 3, ".py") == 0 &&
            !(l > 9 && strcmp(de->d_name + l - 9, ".fixed.py") == 0))
            ll_strlist_push(&names, de->d_name);
    }
    closedir(dh);
    qsort(names.items, names.len, sizeof *names.items, str_cmp);
    cr_assert_geq(names.len, 8, "the pairs are missing");
    LLRuleset *rs = lt_builtin_rules();
    for (size_t i = 0; i < names.len; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names.items[i]);
        check_pair(rs, path);
    }
    ll_ruleset_free(rs);
    ll_strlist_free(&names);
}

/* ---- unified diff ------------------------------------------------------------------- */

/* Applies a unified diff of one file to `a` the way patch(1) reads it
 * (context and removed lines must match exactly); NULL when it does not
 * apply. */
static char *apply_udiff(const char *a, const char *diff)
{
    LLBuf out;
    ll_buf_init(&out);
    const char *p = diff, *ap = a;
    size_t aline = 1;
    cr_assert(strncmp(p, "--- ", 4) == 0, "no --- header:\n%s", diff);
    p = strchr(p, '\n') + 1;
    cr_assert(strncmp(p, "+++ ", 4) == 0, "no +++ header:\n%s", diff);
    p = strchr(p, '\n') + 1;
    while (*p) {
        size_t as, an, bs, bn;
        cr_assert(sscanf(p, "@@ -%zu,%zu +%zu,%zu @@", &as, &an, &bs, &bn) == 4, "bad hunk header: %.40s", p);
        p = strchr(p, '\n') + 1;
        size_t first = an ? as : as + 1; /* an empty side names the line before */
        while (aline < first) {          /* copy the lines before the hunk */
            const char *nl = strchr(ap, '\n');
            size_t len = nl ? (size_t)(nl - ap) + 1 : strlen(ap);
            ll_buf_append(&out, ap, len);
            ap += len;
            aline++;
        }
        size_t seen_a = 0, seen_b = 0;
        while (*p && *p != '@') {
            char mark = *p++;
            const char *nl = strchr(p, '\n');
            size_t len = (size_t)(nl - p) + 1;
            bool no_newline = strncmp(nl + 1, "\\ No newline at end of file\n", 28) == 0;
            size_t text_len = no_newline ? len - 1 : len;
            if (mark == ' ' || mark == '-') {
                if (strncmp(ap, p, text_len) != 0) {
                    ll_buf_release(&out);
                    return NULL;
                }
                ap += text_len;
                aline++;
                seen_a++;
            }
            if (mark == ' ' || mark == '+') {
                ll_buf_append(&out, p, text_len);
                seen_b++;
            }
            p += len + (no_newline ? 28 : 0);
        }
        cr_assert_eq(seen_a, an, "hunk -%zu,%zu has %zu lines of a", as, an, seen_a);
        cr_assert_eq(seen_b, bn, "hunk +%zu,%zu has %zu lines of b", bs, bn, seen_b);
    }
    ll_buf_puts(&out, ap);
    return ll_buf_detach(&out);
}

static void expect_diff(const char *a, const char *b, const char *want)
{
    LLBuf d;
    ll_buf_init(&d);
    ll_fix_unified_diff("f.py", a, strlen(a), b, strlen(b), &d);
    if (want)
        cr_assert_str_eq(d.data ? d.data : "", want, "diff:\n%s", d.data ? d.data : "");
    if (strcmp(a, b) != 0) {
        char *got = apply_udiff(a, d.data);
        cr_assert_not_null(got, "the diff does not apply:\n%s", d.data);
        cr_assert_str_eq(got, b, "the diff applied gives something else:\n%s", d.data);
        free(got);
    } else {
        cr_assert_eq(d.len, 0);
    }
    ll_buf_release(&d);
}

Test(fix_diff, hunks_context_and_last_lines)
{
    expect_diff("a\n", "a\n", "");
    expect_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
                "--- f.py\n+++ f.py\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    /* an insertion: the hunk of the empty side names the line before */
    expect_diff("x\n", "x\ny\n", "--- f.py\n+++ f.py\n@@ -1,1 +1,2 @@\n x\n+y\n");
    expect_diff("", "y\n", "--- f.py\n+++ f.py\n@@ -0,0 +1,1 @@\n+y\n");
    /* no newline at the end, on either side */
    expect_diff("a\nb", "a\nc", "--- f.py\n+++ f.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
                                "\\ No newline at end of file\n");
    /* two changes one equal line apart are one hunk, the equal line kept */
    expect_diff("if a:\n    x = f(p)\nelse:\n    x = f(q)\n", "if a:\n    x = f(p, w=1)\nelse:\n    x = f(q, w=1)\n",
                "--- f.py\n+++ f.py\n@@ -1,4 +1,4 @@\n if a:\n-    x = f(p)\n+    x = f(p, w=1)\n else:\n"
                "-    x = f(q)\n+    x = f(q, w=1)\n");
    /* changes far apart: two hunks */
    expect_diff("A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n", "a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n",
                "--- f.py\n+++ f.py\n@@ -1,4 +1,4 @@\n-A\n+a\n 1\n 2\n 3\n@@ -7,4 +7,4 @@\n 6\n 7\n 8\n-B\n+b\n");
    /* CRs stay in their lines; a control character in the name is escaped */
    LLBuf d;
    ll_buf_init(&d);
    ll_fix_unified_diff("a\nb.py", "x\r\n", 3, "y\r\n", 3, &d);
    cr_assert_str_eq(d.data, "--- a\\nb.py\n+++ a\\nb.py\n@@ -1,1 +1,1 @@\n-x\r\n+y\r\n");
    ll_buf_release(&d);
}

Test(fix_diff, random_edits_apply_back)
{
    /* texts of lines from a small alphabet (many equal lines: alignment
     * choices), random edits, with and without a last newline */
    uint32_t seed = 12345;
    for (int round = 0; round < 400; round++) {
        LLBuf a, b;
        ll_buf_init(&a);
        ll_buf_init(&b);
        int n = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 60;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 100;
            char line[16];
            snprintf(line, sizeof line, "%c%s\n", "abcab\r "[(seed >> 8) % 7], (seed >> 4) % 3 ? "" : "x");
            ll_buf_puts(&a, line);
            if (r < 10)
                continue; /* deleted */
            if (r < 20)
                ll_buf_puts(&b, "new\n"); /* inserted before */
            if (r < 28)
                line[0] = 'z';            /* changed */
            ll_buf_puts(&b, line);
        }
        if (seed & 1) { /* no newline at the end of one of them */
            if ((seed & 2) && a.len)
                a.data[--a.len] = '\0';
            else if (b.len)
                b.data[--b.len] = '\0';
        }
        expect_diff(a.data ? a.data : "", b.data ? b.data : "", NULL);
        ll_buf_release(&a);
        ll_buf_release(&b);
    }
}

/* ---- fixes on findings (engine/match.c, run.c) ------------------------------------------ */

static const LLFinding *finding_of(const LTRun *run, const LLRuleset *rs, const char *code, uint32_t line)
{
    for (size_t i = 0; i < run->res.findings.len; i++) {
        const LLFinding *f = &run->res.findings.items[i];
        if (f->span.line == line && strcmp(rs->rules[f->rule].code, code) == 0)
            return f;
    }
    return NULL;
}

Test(fix_findings, a_finding_carries_its_fix_and_the_text_hash)
{
    LLRuleset *rs = lt_builtin_rules();
    const char *text = "import yaml, pickle\n\n\ndef f(s, b):\n    pickle.loads(b)\n    return yaml.load(s)\n";
    LTRun run;
    lt_run_text(&run, rs, text, NULL);
    const LLFinding *y = finding_of(&run, rs, "LL501", 6);
    cr_assert_not_null(y);
    cr_assert_not_null(y->fix, "an LL501 finding has a fix");
    cr_assert_eq(y->fix->status, LL_FIX_OFFERED);
    cr_assert(y->fix->safe);
    cr_assert(ll_fix_applies(y, false));
    cr_assert_eq(y->fix->text_len, strlen(text));
    cr_assert_eq(y->fix->text_hash, ll_fix_text_hash(text, strlen(text)));
    const LLFinding *p = finding_of(&run, rs, "LL101", 5);
    cr_assert_not_null(p);
    cr_assert_null(p->fix, "pickle has no fixes: no fix at all");
    lt_run_close(&run);
    ll_ruleset_free(rs);
}

Test(fix_findings, a_load_reached_from_a_caller_keeps_the_fix_of_its_call)
{
    /* torch.load's own report (unknown input) and the one through main()
     * (untrusted sys.argv, an error) are one finding: the error, with the
     * call's fix */
    LLRuleset *rs = lt_builtin_rules();
    const char *text = "import sys\nimport torch\n\n\ndef restore(p):\n    return torch.load(p)\n\n\n"
                       "def main():\n    restore(sys.argv[1])\n";
    LTRun run;
    lt_run_text(&run, rs, text, NULL);
    size_t n = 0;
    const LLFinding *t = NULL;
    for (size_t i = 0; i < run.res.findings.len; i++)
        if (strcmp(rs->rules[run.res.findings.items[i].rule].code, "LL201") == 0)
            n++, t = &run.res.findings.items[i];
    cr_assert_eq(n, 1, "one LL201 finding, not %zu", n);
    cr_assert_eq(t->severity, LL_SEV_ERROR, "the untrusted report is kept");
    cr_assert_not_null(t->fix, "... with the fix of the call");
    cr_assert_eq(t->fix->status, LL_FIX_OFFERED);
    cr_assert(!t->fix->safe, "a bare torch.load is unsafe to fix");
    lt_run_close(&run);
    ll_ruleset_free(rs);
}

Test(fix_findings, suppressed_findings_do_not_apply)
{
    LLRuleset *rs = lt_builtin_rules();
    const char *text = "import yaml\n\n\ndef f(s):\n    return yaml.load(s)  # loadlint: ignore[LL501]\n";
    LTRun run;
    lt_run_text(&run, rs, text, NULL);
    const LLFinding *y = finding_of(&run, rs, "LL501", 5);
    cr_assert_not_null(y, "kept, as suppressed");
    cr_assert_eq(y->suppressed, LL_SUPP_COMMENT);
    cr_assert_not_null(y->fix);
    cr_assert_eq(y->fix->status, LL_FIX_OFFERED);
    cr_assert(!ll_fix_applies(y, true), "a suppressed finding is not fixed");
    LLFinding dup = *y;
    dup.suppressed = LL_SUPP_DUPLICATE;
    cr_assert(ll_fix_applies(&dup, false), "one hidden as a duplicate is");
    lt_run_close(&run);
    ll_ruleset_free(rs);
}
