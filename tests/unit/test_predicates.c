/* test_predicates.c - rule predicates and argument specs, through the whole
 * pipeline (ll_discover + ll_run on a temporary file; engine/match.c is the
 * only place predicates are interpreted). */
#include "helpers.h"

#include "base/buf.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "rules/ruleset.h"

#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

/* A finished ruleset with one rule per `match` body (codes TT100, TT101...
 * in order). `message` and `extra` (more top-level members, each followed
 * by a comma) may be NULL. */
static LLRuleset *build(const char *message, const char *extra,
                        const char *const *matches)
{
    LLRuleset *rs = ll_ruleset_new();
    LLError serr;
    cr_assert_eq(ll_ruleset_add_builtin_sources(rs, &serr), LL_OK, "%s", serr.msg);
    for (size_t i = 0; matches[i]; i++) {
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b,
                      "{\"code\": \"TT1%02zu\", \"name\": \"test-rule\", \"severity\": \"warning\",\n"
                      " \"summary\": \"s\", \"message\": \"%s\", \"precision\": \"high\",\n"
                      " \"security_severity\": \"5.0\", \"cwe\": [\"CWE-502\"], \"tags\": [],\n"
                      " \"match\": {%s},\n"
                      " %s\n"
                      " \"docs\": {\"what\": \"w\", \"why\": \"y\", \"example\": \"e\", \"use_instead\": \"u\",\n"
                      "          \"references\": [\"https://example.com/\"]}}\n",
                      i, message ? message : "`{callee}` matched", matches[i],
                      extra ? extra : "");
        LLError err;
        memset(&err, 0, sizeof err);
        LLStatus st = ll_ruleset_add_json(rs, "inline.json", b.data, b.len, &err);
        cr_assert_eq(st, LL_OK, "rule %zu rejected: %u:%u: %s", i, err.line,
                     err.col, err.msg);
        ll_buf_release(&b);
    }
    ll_ruleset_finish(rs);
    return rs;
}

#define RULES(...) build(NULL, NULL, (const char *const[]){__VA_ARGS__, NULL})

/* Runs `rs` over `py` and checks the lines of each rule's findings:
 * expected[i] is the line list of rule TT1<i>. */
static void check(LLRuleset *rs, const char *py, const char *const *expected)
{
    LTRun r;
    lt_run_text(&r, rs, py, NULL);
    cr_assert_eq(r.res.diags.len, 0, "diagnostic: %s",
                 r.res.diags.len ? r.res.diags.items[0].message : "");
    for (size_t i = 0; expected[i]; i++) {
        char code[32], lines[256];
        snprintf(code, sizeof code, "TT1%02zu", i);
        lt_finding_lines(&r, rs, code, lines, sizeof lines);
        cr_assert_str_eq(lines, expected[i], "%s: findings on lines \"%s\", expected \"%s\"",
                         code, lines, expected[i]);
    }
    lt_run_close(&r);
    ll_ruleset_free(rs);
}

#define EXPECT(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- "is" tests ------------------------------------------------------------ */

static const char *const PRESENCE_PY =
    "import m\n"
    "m.f()\n"          /* 2: absent */
    "m.f(1)\n"         /* 3: present by position */
    "m.f(x=1)\n"       /* 4: present by keyword */
    "m.f(y=1)\n"       /* 5: absent */
    "m.f(**kw)\n"      /* 6: unknown */
    "m.f(*a)\n"        /* 7: unknown */
    "map(m.f, xs)\n";  /* 8: a reference handed to map: called with what follows (xs) */

Test(predicates, is_present)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 0, \"keyword\": \"x\"}, \"is\": \"present\"}]"),
          PRESENCE_PY, EXPECT("3,4,8"));
}

Test(predicates, is_absent)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 0, \"keyword\": \"x\"}, \"is\": \"absent\"}]"),
          PRESENCE_PY, EXPECT("2,5"));
}

Test(predicates, unless_present)
{
    /* unknown is not present either: an unless on it does not hold */
    check(RULES("\"call\": [\"m.f\"], \"unless\": [{\"arg\": {\"position\": 0, \"keyword\": \"x\"}, \"is\": \"present\"}]"),
          PRESENCE_PY, EXPECT("2,5,6,7"));
}

static const char *const LITERALS_PY =
    "import m\n"
    "T = True\n"
    "def g(p):\n"
    "    m.f(x=p)\n"       /* 4: parameter */
    "m.f(x=True)\n"        /* 5 */
    "m.f(x=False)\n"       /* 6 */
    "m.f(x=None)\n"        /* 7 */
    "m.f(x=1)\n"           /* 8 */
    "m.f(x=0)\n"           /* 9 */
    "m.f(x=\"\")\n"        /* 10 */
    "m.f(x=\"a\")\n"       /* 11 */
    "m.f(x=[])\n"          /* 12 */
    "m.f(x=(1,))\n"        /* 13 */
    "m.f(x={})\n"          /* 14 */
    "m.f(x=T)\n"           /* 15: a name bound once to True */
    "m.f(x=\"True\")\n"    /* 16 */
    "m.f(x=-2.5)\n"        /* 17 */
    "m.f(x=(False))\n"     /* 18 */
    "m.f()\n";             /* 19 */

Test(predicates, is_true)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"true\"}]"),
          LITERALS_PY, EXPECT("5,15"));
}

Test(predicates, is_false)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"false\"}]"),
          LITERALS_PY, EXPECT("6,18"));
}

Test(predicates, is_none)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"none\"}]"),
          LITERALS_PY, EXPECT("7"));
}

Test(predicates, is_truthy)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"truthy\"}]"),
          LITERALS_PY, EXPECT("5,8,11,13,15,16,17"));
}

Test(predicates, is_falsy)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"falsy\"}]"),
          LITERALS_PY, EXPECT("6,7,9,10,12,14,18"));
}

Test(predicates, is_constant)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 0}, \"is\": \"constant\"}]"),
          "import m, os, sys\n"
          "NAME = \"model\"\n"
          "def g(p):\n"
          "    m.f(p)\n"                                     /* 4: unknown */
          "m.f(\"a.pkl\")\n"                                 /* 5 */
          "m.f(os.path.join(\"a\", \"b\"))\n"                /* 6 */
          "m.f(f\"/models/{NAME}.pkl\")\n"                  /* 7 */
          "m.f(sys.argv[1])\n"                               /* 8: untrusted */
          "m.f(open(\"x.pkl\", \"rb\"))\n"                   /* 9 */
          "m.f(other())\n",                                  /* 10: unknown */
          EXPECT("5,6,7,9"));
}

/* ---- equals ------------------------------------------------------------------ */

static const char *const EQUALS_PY =
    "import m\n"
    "m.f(x=\"rb\")\n"     /* 2 */
    "m.f(x='rb')\n"       /* 3 */
    "m.f(x=\"r\")\n"      /* 4 */
    "m.f(x=2)\n"          /* 5 */
    "m.f(x=2.0)\n"        /* 6 */
    "m.f(x=0x2)\n"        /* 7 */
    "m.f(x=\"2\")\n"      /* 8 */
    "m.f(x=False)\n"      /* 9 */
    "m.f(x=0)\n"          /* 10 */
    "m.f(x=None)\n"       /* 11 */
    "m.f()\n"             /* 12 */
    "m.f(x=v)\n";         /* 13 */

Test(predicates, equals_string)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"equals\": \"rb\"}]"),
          EQUALS_PY, EXPECT("2,3"));
}

Test(predicates, equals_number)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"equals\": 2}]"),
          EQUALS_PY, EXPECT("5,6,7"));
}

Test(predicates, equals_bool)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"equals\": false}]"),
          EQUALS_PY, EXPECT("9"));
}

Test(predicates, equals_null)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"equals\": null}]"),
          EQUALS_PY, EXPECT("11"));
}

Test(predicates, equals_list)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"equals\": [\"r\", 0, null]}]"),
          EQUALS_PY, EXPECT("4,9,10,11"));
}

/* Regression (fixed): an implicitly concatenated string literal ("un" "safe") is compared
 * by its raw source text, quotes included: in value_d
 * (src/engine/value.c:101-115, LL_K_CONCAT_STRING) out->str is the node's
 * text, and match.c's literal_equals and LL_TEST_MATCHES use v.str. So
 * `typ="un" "safe"` does not equal "unsafe" (LL504 can be evaded) and
 * `matches` runs against `"a" "b"`, quotes and all. Fix: in that case,
 * decode each part with string_literal and concatenate the decoded values
 * into an arena buffer. */
Test(predicates, equals_concatenated_string)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"equals\": \"unsafe\"}]",
                "\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"matches\": \"^unsafe$\"}]"),
          "import m\n"
          "m.f(x=\"un\" \"safe\")\n"
          "m.f(x=\"unsafe\")\n",
          EXPECT("2,3", "2,3"));
}

/* ---- resolves_to and matches ------------------------------------------------- */

Test(predicates, resolves_to)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"resolves_to\": [\"m.Safe\", \"n.Other\"]}]"),
          "import m\n"
          "from m import Safe as S\n"
          "import n as nn\n"
          "m.f(x=S)\n"              /* 4 */
          "m.f(x=m.Safe)\n"         /* 5 */
          "m.f(x=m.Unsafe)\n"       /* 6 */
          "m.f(x=\"m.Safe\")\n"     /* 7 */
          "m.f(x=nn.Other)\n"       /* 8 */
          "m.f(x=Safe)\n",          /* 9: not imported under that name */
          EXPECT("4,5,8"));
}

Test(predicates, matches)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"matches\": \"^https?://\"}]",
                "\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"matches\": \"evil\"}]"),
          "import m\n"
          "U = \"https://b\"\n"
          "m.f(x=\"http://a\")\n"       /* 3 */
          "m.f(x=\"file:///a\")\n"      /* 4 */
          "m.f(x=\"xhttp://a\")\n"      /* 5 */
          "m.f(x=U)\n"                  /* 6 */
          "m.f(x=\"my-evil-site\")\n"   /* 7 */
          "m.f(x=f\"http://{h}\")\n"    /* 8: not a plain literal */
          "m.f(x=1)\n",                 /* 9 */
          EXPECT("3,6", "7"));
}

/* ---- argument specs ----------------------------------------------------------- */

Test(predicates, argspec_keyword_only)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"mode\"}, \"equals\": \"w\"}]"),
          "import m\n"
          "m.f(\"w\")\n"
          "m.f(a, \"w\")\n"
          "m.f(a, mode=\"w\")\n"
          "m.f(a, mode=\"r\")\n",
          EXPECT("4"));
}

Test(predicates, argspec_positional_only)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 1}, \"equals\": \"w\"}]"),
          "import m\n"
          "m.f(\"w\")\n"
          "m.f(a, \"w\")\n"
          "m.f(a, mode=\"w\")\n"
          "m.f(a, \"w\", k=1)\n"      /* keywords do not count as positions */
          "m.f(\"w\", \"r\")\n",
          EXPECT("3,5"));
}

Test(predicates, argspec_keyword_wins)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 1, \"keyword\": \"mode\"}, \"equals\": \"w\"}]"),
          "import m\n"
          "m.f(a, \"r\", mode=\"w\")\n"   /* 2: keyword w */
          "m.f(a, \"w\", mode=\"r\")\n"   /* 3: keyword r */
          "m.f(a, \"w\")\n"               /* 4: positional w */
          "m.f(mode=\"w\")\n",            /* 5 */
          EXPECT("2,4,5"));
}

static const char *const SPLAT_PY =
    "import m\n"
    "m.f(a, *rest)\n"          /* 2: *args may fill position 1: unknown */
    "m.f(*rest, b)\n"          /* 3: *args before the position: unknown */
    "m.f(a, b, *rest)\n"       /* 4: position 1 is b: present */
    "m.f(*rest, mode=1)\n"     /* 5: keyword given: present */
    "m.f(a, **kw)\n"           /* 6: may be in kw: unknown */
    "m.f(a)\n"                 /* 7: absent */
    "m.f(a, b, **kw)\n";       /* 8: present */

Test(predicates, argspec_splats_are_unknown)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 1, \"keyword\": \"mode\"}, \"is\": \"present\"}]",
                "\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 1, \"keyword\": \"mode\"}, \"is\": \"absent\"}]",
                /* no literal test holds for an unknown argument */
                "\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 1, \"keyword\": \"mode\"}, \"is\": \"falsy\"}]"),
          SPLAT_PY, EXPECT("4,5,8", "7", ""));
}

Test(predicates, argspec_keyword_only_ignores_star_args)
{
    /* *args cannot pass a keyword-only argument; **kwargs can */
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"keyword\": \"mode\"}, \"is\": \"absent\"}]"),
          SPLAT_PY, EXPECT("2,3,4,7"));
}

/* Regression (fixed): docs/rule-format.md says "If the argument is not found and the call
 * has **kwargs (or *args before the position), the argument is unknown",
 * but find_arg (src/engine/match.c:103) only treats **kwargs as unknown when
 * the spec has a keyword: for {"position": 1} the call m.f(a, **kw) makes
 * the argument "absent", so `is: absent` holds although kw may well carry
 * it (a positional-or-keyword parameter can be passed by name). Fix: return
 * ARG_UNKNOWN when splat_kw is set whatever the spec
 * (`if (splat_kw || (splat_pos && spec->position >= 0))`), or document that
 * a position-only spec ignores **kwargs. */
Test(predicates, argspec_position_only_with_kwargs_is_unknown)
{
    check(RULES("\"call\": [\"m.f\"], \"where\": [{\"arg\": {\"position\": 1}, \"is\": \"absent\"}]"),
          "import m\n"
          "m.f(a, **kw)\n"
          "m.f(a)\n",
          EXPECT("3"));
}

/* ---- several predicates ------------------------------------------------------- */

Test(predicates, where_all_unless_any)
{
    check(RULES("\"call\": [\"m.f\"],"
                " \"where\": [{\"arg\": {\"keyword\": \"a\"}, \"is\": \"present\"}, {\"arg\": {\"keyword\": \"b\"}, \"is\": \"true\"}],"
                " \"unless\": [{\"arg\": {\"keyword\": \"c\"}, \"is\": \"true\"}, {\"arg\": {\"keyword\": \"d\"}, \"is\": \"present\"}]"),
          "import m\n"
          "m.f(a=1, b=True)\n"            /* 2 */
          "m.f(a=1)\n"                    /* 3: b missing */
          "m.f(b=True)\n"                 /* 4: a missing */
          "m.f(a=1, b=True, c=True)\n"    /* 5: unless c */
          "m.f(a=1, b=True, d=0)\n"       /* 6: unless d */
          "m.f(a=1, b=True, c=False)\n",  /* 7 */
          EXPECT("2,7"));
}

Test(predicates, method_and_regex_forms)
{
    check(RULES("\"method\": [\"recv_pyobj\"]",
                "\"call_regex\": \"torch\\\\.(hub|jit)\\\\.load\""),
          "import torch\n"
          "sock.recv_pyobj()\n"            /* 2 */
          "torch.hub.load(r, m)\n"         /* 3 */
          "torch.jit.load(p)\n"            /* 4 */
          "torch.hub.load_state(p)\n"      /* 5: anchored at the end */
          "xtorch.hub.load(p)\n"           /* 6 */
          "recv_pyobj()\n",                /* 7: not a method call */
          EXPECT("2", "3,4"));
}

/* ---- yaml ------------------------------------------------------------------- */

static const char *const YAML_PY =
    "import yaml\n"
    "from yaml import CSafeLoader as Fast\n"
    "yaml.load(s, Loader=Fast)\n"                /* 3: safe */
    "yaml.load(s, Loader=yaml.FullLoader)\n"     /* 4 */
    "yaml.load(s, Fast)\n"                       /* 5: safe, positional */
    "yaml.load(s)\n"                             /* 6 */
    "yaml.load(s, Loader=yaml.SafeLoader)\n"     /* 7: safe */
    "yaml.load_all(s, yaml.UnsafeLoader)\n";     /* 8 */

Test(predicates, yaml_loader_resolves_to)
{
    const char *const match[] = {
        "\"call\": [\"yaml.load\", \"yaml.load_all\"], \"unless\": [{\"arg\": {\"position\": 1, \"keyword\": \"Loader\"},"
        " \"resolves_to\": [\"yaml.SafeLoader\", \"yaml.CSafeLoader\", \"yaml.BaseLoader\", \"yaml.CBaseLoader\"]}]",
        NULL};
    LLRuleset *rs = build("`{callee}` with Loader={arg:Loader}", NULL, match);
    LTRun r;
    lt_run_text(&r, rs, YAML_PY, NULL);
    char lines[64];
    cr_assert_str_eq(lt_finding_lines(&r, rs, "TT100", lines, sizeof lines), "4,6,8");
    cr_assert_eq(r.res.findings.len, 3);
    cr_assert_str_eq(r.res.findings.items[0].message, "`yaml.load` with Loader=yaml.FullLoader");
    cr_assert_str_eq(r.res.findings.items[0].callee, "yaml.load");
    cr_assert_str_eq(r.res.findings.items[0].snippet, "yaml.load(s, Loader=yaml.FullLoader)");
    cr_assert_str_eq(r.res.findings.items[1].message, "`yaml.load` with Loader=default");
    cr_assert_str_eq(r.res.findings.items[2].message, "`yaml.load_all` with Loader=yaml.UnsafeLoader");
    lt_run_close(&r);
    ll_ruleset_free(rs);
}

Test(predicates, yaml_builtin_rule)
{
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(rs, &err), LL_OK, "%s", err.msg);
    ll_ruleset_finish(rs);
    LTRun r;
    lt_run_text(&r, rs, YAML_PY, NULL);
    char lines[64];
    cr_assert_str_eq(lt_finding_lines(&r, rs, "LL501", lines, sizeof lines), "4,6,8");
    lt_run_close(&r);
    ll_ruleset_free(rs);
}

/* ---- grading ---------------------------------------------------------------- */

Test(predicates, inputs_grade_severity)
{
    const char *const match[] = {"\"call\": [\"m.load\"]", NULL};
    LLRuleset *rs = build("`{callee}` loads",
                          "\"inputs\": [{\"position\": 0, \"keyword\": \"data\"}],"
                          " \"provenance\": {\"untrusted\": \"error\", \"unknown\": \"warning\", \"constant\": \"note\"},",
                          match);
    LTRun r;
    lt_run_text(&r, rs,
                "import m, sys\n"
                "m.load(sys.argv[1])\n"
                "m.load(b\"data\")\n"
                "def g(p):\n"
                "    m.load(data=p)\n"
                "m.load()\n",
                NULL);
    cr_assert_eq(r.res.findings.len, 4);
    const LLFinding *f = r.res.findings.items;
    cr_assert_eq(f[0].span.line, 2);
    cr_assert_eq(f[0].provenance, LL_PROV_UNTRUSTED);
    cr_assert_eq(f[0].severity, LL_SEV_ERROR);
    cr_assert_eq(f[0].graded, true);
    cr_assert_str_eq(f[0].source, "sys.argv");
    cr_assert_str_eq(f[0].message, "`m.load` loads; its input comes from untrusted sys.argv (line 2)");
    cr_assert_eq(f[1].span.line, 3);
    cr_assert_eq(f[1].provenance, LL_PROV_CONSTANT);
    cr_assert_eq(f[1].severity, LL_SEV_NOTE);
    cr_assert_str_eq(f[1].message, "`m.load` loads; its input is a constant");
    cr_assert_null(f[1].source);
    cr_assert_eq(f[2].span.line, 5);
    cr_assert_eq(f[2].provenance, LL_PROV_UNKNOWN);
    cr_assert_eq(f[2].severity, LL_SEV_WARNING);
    /* no input given: ungraded provenance stays unknown */
    cr_assert_eq(f[3].span.line, 6);
    cr_assert_eq(f[3].provenance, LL_PROV_UNKNOWN);
    cr_assert_eq(f[3].severity, LL_SEV_WARNING);
    lt_run_close(&r);
    ll_ruleset_free(rs);
}

/* ---- many rules on one call site -------------------------------------------- */

/* Regression: a call site was offered to at most 64 rules, the rest silently
 * dropped. 300 rules naming the same call all report it. */
Test(predicates, many_rules_on_one_site)
{
    enum { N = 300 };
    LLRuleset *rs = ll_ruleset_new();
    for (int i = 0; i < N; i++) {
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b,
                      "{\"code\": \"TT%04d\", \"name\": \"test-rule\", \"severity\": \"warning\",\n"
                      " \"summary\": \"s\", \"message\": \"m\", \"precision\": \"high\",\n"
                      " \"security_severity\": \"5.0\", \"cwe\": [\"CWE-502\"], \"tags\": [],\n"
                      " \"match\": {\"call\": [\"m.f\", \"m.g%d\"]},\n"
                      " \"docs\": {\"what\": \"w\", \"why\": \"y\", \"example\": \"e\", \"use_instead\": \"u\",\n"
                      "          \"references\": [\"https://example.com/\"]}}\n",
                      1000 + i, i);
        LLError err;
        cr_assert_eq(ll_ruleset_add_json(rs, "many.json", b.data, b.len, &err), LL_OK, "%s", err.msg);
        ll_buf_release(&b);
    }
    ll_ruleset_finish(rs);
    LTRun r;
    lt_run_text(&r, rs, "import m\nm.f(1)\nm.g7(2)\n", NULL);
    size_t on2 = 0, on3 = 0;
    for (size_t i = 0; i < r.res.findings.len; i++) {
        on2 += r.res.findings.items[i].span.line == 2;
        on3 += r.res.findings.items[i].span.line == 3;
    }
    cr_assert_eq(on2, N, "%zu of %d rules reported the call", on2, N);
    cr_assert_eq(on3, 1, "only TT1007 names m.g7");
    lt_run_close(&r);
    ll_ruleset_free(rs);
}
