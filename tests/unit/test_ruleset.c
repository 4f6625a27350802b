/* test_ruleset.c - loading and validating rule JSON (rules/ruleset.h). */
#include "rules/ruleset.h"

#include "base/buf.h"

#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

/* A minimal valid rule, one key per line so that errors have a known line.
 * Line numbers are the index + 1. */
static const char *const BASE[] = {
    "{",                                                                /* 1 */
    "  \"code\": \"TT101\",",                                           /* 2 */
    "  \"name\": \"test-rule\",",                                       /* 3 */
    "  \"severity\": \"warning\",",                                     /* 4 */
    "  \"summary\": \"a test rule\",",                                  /* 5 */
    "  \"message\": \"`{callee}` is unsafe\",",                         /* 6 */
    "  \"precision\": \"high\",",                                       /* 7 */
    "  \"security_severity\": \"5.0\",",                                /* 8 */
    "  \"cwe\": [\"CWE-502\"],",                                        /* 9 */
    "  \"tags\": [\"test\"],",                                          /* 10 */
    "  \"match\": {\"call\": [\"m.load\", \"m.loads\"]},",              /* 11 */
    "  \"docs\": {\"what\": \"w\", \"why\": \"y\", \"example\": \"e\", \"use_instead\": \"u\",", /* 12 */
    "           \"references\": [\"https://example.com/doc\"]}",        /* 13 */
    "}",                                                                /* 14 */
};
#define NBASE (sizeof BASE / sizeof *BASE)

/* The base rule with line `line` (1-based; 0 for none) replaced. */
static char *rule_with(unsigned line, const char *replacement)
{
    LLBuf b;
    ll_buf_init(&b);
    for (unsigned i = 0; i < NBASE; i++) {
        ll_buf_puts(&b, i + 1 == line ? replacement : BASE[i]);
        ll_buf_putc(&b, '\n');
    }
    return ll_buf_detach(&b);
}

typedef struct Loaded {
    LLStatus st;
    LLError err;
    size_t nrules;
} Loaded;

static Loaded load(unsigned line, const char *replacement)
{
    char *text = rule_with(line, replacement);
    LLRuleset *rs = ll_ruleset_new();
    Loaded l;
    memset(&l, 0, sizeof l);
    l.st = ll_ruleset_add_json(rs, "rules/TT101-test-rule.json", text, strlen(text), &l.err);
    l.nrules = rs->nrules;
    ll_ruleset_free(rs);
    free(text);
    return l;
}

/* A rejected rule: status, file, line, col and message prefix. */
static void assert_rejected(const Loaded *l, unsigned line, unsigned col,
                            const char *msg_start)
{
    cr_assert_eq(l->st, LL_ERR_RULE, "status %d, expected LL_ERR_RULE", (int)l->st);
    cr_assert_eq(l->nrules, 0, "a rejected file must add nothing");
    cr_assert_str_eq(l->err.file, "rules/TT101-test-rule.json");
    cr_assert_eq(strncmp(l->err.msg, msg_start, strlen(msg_start)), 0,
                 "message \"%s\" does not start with \"%s\"", l->err.msg, msg_start);
    cr_assert_eq(l->err.line, line, "line %u, expected %u (%s)", l->err.line, line, l->err.msg);
    cr_assert_eq(l->err.col, col, "col %u, expected %u (%s)", l->err.col, col, l->err.msg);
}

Test(ruleset, valid_minimal_rule)
{
    char *text = rule_with(0, NULL);
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_ruleset_add_json(rs, "x.json", text, strlen(text), &err), LL_OK, "%s", err.msg);
    cr_assert_eq(rs->nrules, 1);
    const LLRule *r = &rs->rules[0];
    cr_assert_str_eq(r->code, "TT101");
    cr_assert_str_eq(r->name, "test-rule");
    cr_assert_str_eq(r->origin, "x.json");
    cr_assert_eq(r->severity, LL_SEV_WARNING);
    cr_assert_str_eq(r->summary, "a test rule");
    cr_assert_str_eq(r->message, "`{callee}` is unsafe");
    cr_assert_str_eq(r->precision, "high");
    cr_assert_str_eq(r->security_severity, "5.0");
    cr_assert_eq(r->cwe.len, 1);
    cr_assert_str_eq(r->cwe.items[0], "CWE-502");
    cr_assert_eq(r->tags.len, 1);
    cr_assert_eq(r->calls.len, 2);
    cr_assert_str_eq(r->calls.items[0], "m.load");
    cr_assert_str_eq(r->calls.items[1], "m.loads");
    cr_assert_eq(r->methods.len, 0);
    cr_assert_null(r->call_regex);
    cr_assert_eq(r->nwhere, 0);
    cr_assert_eq(r->nunless, 0);
    cr_assert_eq(r->ninputs, 0);
    cr_assert_eq(r->has_provenance, false);
    cr_assert_eq(r->references.len, 1);
    cr_assert_str_eq(r->references.items[0], "https://example.com/doc");
    cr_assert_str_eq(r->doc_what, "w");
    cr_assert_eq(r->enabled, true);
    ll_ruleset_finish(rs);
    intptr_t v;
    cr_assert(ll_strmap_get(&rs->by_call, "m.load", 6, &v));
    const LLRuleIds *ids = (const LLRuleIds *)v;
    cr_assert_eq(ids->len, 1);
    cr_assert_eq(ids->ids[0], 0);
    cr_assert(ll_strmap_get(&rs->known_names, "m.loads", 7, NULL));
    cr_assert(!ll_strmap_get(&rs->known_names, "m", 1, NULL));
    ll_ruleset_free(rs);
    free(text);
}

Test(ruleset, valid_full_rule)
{
    char *text = rule_with(11,
        "  \"match\": {\"call\": [\"m.load\"], \"where\": [{\"arg\": {\"position\": 1, \"keyword\": \"mode\"}, \"equals\": [\"r\", 1, true, null]}],"
        " \"unless\": [{\"arg\": {\"keyword\": \"Loader\"}, \"resolves_to\": [\"m.Safe\"]}, {\"arg\": {\"position\": 2}, \"matches\": \"^safe\"}]},"
        " \"inputs\": [{\"position\": 0, \"keyword\": \"f\"}], \"provenance\": {\"untrusted\": \"error\", \"unknown\": \"warning\", \"constant\": \"note\"},"
        " \"peers\": {\"bandit\": [\"B301\", \"B302\"]},");
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_ruleset_add_json(rs, "x.json", text, strlen(text), &err), LL_OK, "%s", err.msg);
    const LLRule *r = &rs->rules[0];
    cr_assert_eq(r->nwhere, 1);
    cr_assert_eq(r->where[0].test, LL_TEST_EQUALS);
    cr_assert_eq(r->where[0].arg.position, 1);
    cr_assert_str_eq(r->where[0].arg.keyword, "mode");
    cr_assert_eq(r->where[0].nvalues, 4);
    cr_assert_eq(r->where[0].values[0].kind, LL_LIT_STRING);
    cr_assert_str_eq(r->where[0].values[0].str, "r");
    cr_assert_eq(r->where[0].values[1].kind, LL_LIT_NUMBER);
    cr_assert_float_eq(r->where[0].values[1].num, 1.0, 1e-12);
    cr_assert_eq(r->where[0].values[2].kind, LL_LIT_BOOL);
    cr_assert_float_eq(r->where[0].values[2].num, 1.0, 1e-12);
    cr_assert_eq(r->where[0].values[3].kind, LL_LIT_NONE);
    cr_assert_eq(r->nunless, 2);
    cr_assert_eq(r->unless[0].test, LL_TEST_RESOLVES_TO);
    cr_assert_eq(r->unless[0].arg.position, -1);
    cr_assert_eq(r->unless[0].nnames, 1);
    cr_assert_str_eq(r->unless[0].names[0], "m.Safe");
    cr_assert_eq(r->unless[1].test, LL_TEST_MATCHES);
    cr_assert_null(r->unless[1].arg.keyword);
    cr_assert_not_null(r->unless[1].re);
    cr_assert_eq(r->ninputs, 1);
    cr_assert_eq(r->inputs[0].position, 0);
    cr_assert_str_eq(r->inputs[0].keyword, "f");
    cr_assert_eq(r->has_provenance, true);
    cr_assert_eq(r->provenance[LL_PROV_UNTRUSTED], LL_SEV_ERROR);
    cr_assert_eq(r->provenance[LL_PROV_UNKNOWN], LL_SEV_WARNING);
    cr_assert_eq(r->provenance[LL_PROV_CONSTANT], LL_SEV_NOTE);
    cr_assert_eq(r->peers.len, 1);
    cr_assert_str_eq(r->peers.items[0], "bandit: B301, B302");
    ll_ruleset_finish(rs);
    /* resolves_to names are known names too */
    cr_assert(ll_strmap_get(&rs->known_names, "m.Safe", 6, NULL));
    ll_ruleset_free(rs);
    free(text);
}

Test(ruleset, invalid_json_syntax)
{
    /* missing comma after the summary: the parser stops at "message" */
    Loaded l = load(5, "  \"summary\": \"a test rule\"");
    assert_rejected(&l, 6, 3, "invalid JSON");
}

Test(ruleset, invalid_json_truncated)
{
    const char *text = "{\n  \"code\": \"TT101\",\n  \"name\": tru\n}\n";
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_ruleset_add_json(rs, "t.json", text, strlen(text), &err), LL_ERR_RULE);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.col, 11);
    cr_assert_str_eq(err.file, "t.json");
    ll_ruleset_free(rs);
}

Test(ruleset, unknown_top_level_key)
{
    Loaded l = load(10, "  \"tags\": [\"test\"], \"colour\": \"red\",");
    assert_rejected(&l, 10, 31, "/colour: unknown key \"colour\" (expected one of: code, name,");
}

Test(ruleset, unknown_predicate_test_value)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"where\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"maybe\"}]},");
    assert_rejected(&l, 11, 75, "/match/where/0/is: unknown value \"maybe\" (expected one of: present, absent,");
}

Test(ruleset, predicate_with_two_tests)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"unless\": [{\"arg\": {\"keyword\": \"x\"}, \"is\": \"true\", \"equals\": 1}]},");
    assert_rejected(&l, 11, 44, "/match/unless/0: a predicate needs exactly one of");
}

Test(ruleset, missing_required_top_level_key)
{
    Loaded l = load(3, "");
    assert_rejected(&l, 1, 1, "/: missing required key \"name\"");
}

Test(ruleset, missing_required_nested_key)
{
    Loaded l = load(12, "  \"docs\": {\"what\": \"w\", \"example\": \"e\", \"use_instead\": \"u\",");
    assert_rejected(&l, 12, 11, "/docs: missing required key \"why\"");
}

Test(ruleset, missing_keys_reported_at_once)
{
    /* name (line 3) and summary (line 5) gone, docs without why and example */
    const char *const lines[] = {
        "{", "  \"code\": \"TT101\",", "  \"severity\": \"warning\",",
        "  \"message\": \"`{callee}` is unsafe\",", "  \"precision\": \"high\",",
        "  \"security_severity\": \"5.0\",", "  \"cwe\": [\"CWE-502\"],", "  \"tags\": [],",
        "  \"match\": {\"call\": [\"m.load\"]},",
        "  \"docs\": {\"what\": \"w\", \"use_instead\": \"u\", \"references\": [\"https://example.com\"]}",
        "}"};
    LLBuf b;
    ll_buf_init(&b);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        ll_buf_printf(&b, "%s\n", lines[i]);
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_ruleset_add_json(rs, "rules/TT101-test-rule.json", b.data, b.len, &err);
    cr_assert_eq(st, LL_ERR_RULE);
    cr_assert_eq(rs->nrules, 0);
    cr_assert_str_eq(err.msg, "/: missing required keys \"name\", \"summary\", \"docs/why\" and "
                              "\"docs/example\"");
    cr_assert_eq(err.line, 1);
    ll_ruleset_free(rs);
    ll_buf_release(&b);
}

Test(ruleset, missing_nested_keys_reported_at_once)
{
    Loaded l = load(12, "  \"docs\": {\"what\": \"w\", \"example\": \"e\",");
    assert_rejected(&l, 12, 11, "/docs: missing required keys \"why\" and \"use_instead\"");
}

/* The rule's documentation page: optional, an absolute http(s) URL. */
static char *rule_url(const char *url_line, LLStatus *st, LLError *err)
{
    char *text = rule_with(14, url_line);
    LLRuleset *rs = ll_ruleset_new();
    memset(err, 0, sizeof *err);
    *st = ll_ruleset_add_json(rs, "rules/TT101-test-rule.json", text, strlen(text), err);
    char *url = NULL;
    if (*st == LL_OK && rs->nrules == 1 && rs->rules[0].url)
        url = strdup(rs->rules[0].url);
    ll_ruleset_free(rs);
    free(text);
    return url;
}

Test(ruleset, url_key)
{
    LLStatus st;
    LLError err;
    char *url = rule_url("  ,\"url\": \"https://example.org/rules/TT101\"}", &st, &err);
    cr_assert_eq(st, LL_OK, "%s", err.msg);
    cr_assert_str_eq(url, "https://example.org/rules/TT101");
    free(url);
    url = rule_url("}", &st, &err);
    cr_assert_eq(st, LL_OK, "%s", err.msg);
    cr_assert_null(url, "no url key: no page");
    url = rule_url("  ,\"url\": \"docs/rules/TT101.md\"}", &st, &err);
    cr_assert_eq(st, LL_ERR_RULE);
    cr_assert_null(url);
    cr_assert_eq(strncmp(err.msg, "/url: \"docs/rules/TT101.md\" is not an absolute http(s) URL", 58), 0,
                 "%s", err.msg);
    cr_assert_eq(err.line, 14);
    url = rule_url("  ,\"url\": \"\"}", &st, &err);
    cr_assert_eq(st, LL_ERR_RULE, "an empty url is rejected");
    cr_assert_null(url);
}

Test(ruleset, builtin_rules_have_no_page_yet)
{
    /* no page exists for them: SARIF carries their docs in `help`, and
     * neither helpUri nor the JSON url may point at a page that does not
     * exist (issue 15) */
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(rs, &err), LL_OK);
    cr_assert_gt(rs->nrules, 0);
    for (size_t i = 0; i < rs->nrules; i++)
        cr_expect_null(rs->rules[i].url, "%s has a url", rs->rules[i].code);
    ll_ruleset_free(rs);
}

Test(ruleset, bad_code)
{
    Loaded l = load(2, "  \"code\": \"L101\",");
    assert_rejected(&l, 2, 11, "/code: \"L101\" is not a rule code");
    l = load(2, "  \"code\": \"LL10\",");
    assert_rejected(&l, 2, 11, "/code: \"LL10\" is not a rule code");
    l = load(2, "  \"code\": \"ll101\",");
    assert_rejected(&l, 2, 11, "/code: \"ll101\" is not a rule code");
    l = load(2, "  \"code\": \"LL10101\",");
    assert_rejected(&l, 2, 11, "/code: \"LL10101\" is not a rule code");
}

Test(ruleset, bad_name)
{
    Loaded l = load(3, "  \"name\": \"Test_Rule\",");
    assert_rejected(&l, 3, 11, "/name: \"Test_Rule\" is not kebab-case");
    l = load(3, "  \"name\": \"test--rule\",");
    assert_rejected(&l, 3, 11, "/name: \"test--rule\" is not kebab-case");
    l = load(3, "  \"name\": \"test-rule-\",");
    assert_rejected(&l, 3, 11, "/name: \"test-rule-\" is not kebab-case");
    l = load(3, "  \"name\": \"-test\",");
    assert_rejected(&l, 3, 11, "/name: \"-test\" is not kebab-case");
    l = load(3, "  \"name\": \"2fa-rule\",");
    assert_rejected(&l, 3, 11, "/name: \"2fa-rule\" is not kebab-case");
    l = load(3, "  \"name\": \"rule-2-x9\",");
    cr_assert_eq(l.st, LL_OK, "%s", l.err.msg);
}

Test(ruleset, bad_call_regex)
{
    /* the pattern is torch\.(load: 12 characters, unclosed group */
    Loaded l = load(11, "  \"match\": {\"call_regex\": \"torch\\\\.(load\"},");
    assert_rejected(&l, 11, 27, "/match/call_regex: invalid regular expression at offset 12: missing closing parenthesis");
}

Test(ruleset, bad_matches_regex)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"where\": [{\"arg\": {\"position\": 0}, \"matches\": \"a[b\"}]},");
    assert_rejected(&l, 11, 79, "/match/where/0/matches: invalid regular expression at offset 3:");
}

Test(ruleset, call_and_class_defines)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"class_defines\": [\"__reduce__\"]},");
    assert_rejected(&l, 11, 12, "/match: use one form: calls");
}

Test(ruleset, call_and_artifact)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"artifact\": [\"pickle-dangerous-global\"]},");
    assert_rejected(&l, 11, 12, "/match: use one form: calls");
}

Test(ruleset, bad_artifact_check_name)
{
    Loaded l = load(11, "  \"match\": {\"artifact\": [\"Pickle_Global\"]},");
    assert_rejected(&l, 11, 26, "/match/artifact/0: \"Pickle_Global\" is not a check name");
}

Test(ruleset, match_without_a_form)
{
    Loaded l = load(11, "  \"match\": {\"where\": []},");
    assert_rejected(&l, 11, 12, "/match: needs \"call\", \"call_regex\", \"method\", \"class_defines\" or \"artifact\"");
}

Test(ruleset, bad_dotted_call_name)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\", \"m..x\"]},");
    assert_rejected(&l, 11, 32, "/match/call/1: \"m..x\" is not a canonical dotted name");
}

Test(ruleset, unknown_message_placeholder)
{
    Loaded l = load(6, "  \"message\": \"{calee} is unsafe\",");
    assert_rejected(&l, 6, 14, "/message: unknown placeholder {calee}");
    /* {arg:K} needs K among the rule's argument specs */
    l = load(6, "  \"message\": \"{callee} with {arg:Loader}\",");
    assert_rejected(&l, 6, 14, "/message: unknown placeholder {arg:Loader}");
    /* {class} belongs to class rules */
    l = load(6, "  \"message\": \"{class} is unsafe\",");
    assert_rejected(&l, 6, 14, "/message: unknown placeholder {class}");
}

Test(ruleset, arg_placeholder_with_known_keyword)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"unless\": [{\"arg\": {\"keyword\": \"Loader\"}, \"is\": \"present\"}]},");
    cr_assert_eq(l.st, LL_OK, "%s", l.err.msg);
    char *text = rule_with(11, "  \"match\": {\"call\": [\"m.load\"], \"unless\": [{\"arg\": {\"keyword\": \"Loader\"}, \"is\": \"present\"}]},");
    /* and the message may now use it */
    char *p = strstr(text, "`{callee}` is unsafe");
    cr_assert_not_null(p);
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_append(&b, text, (size_t)(p - text));
    ll_buf_puts(&b, "{callee} with {arg:Loader}");
    ll_buf_puts(&b, p + strlen("`{callee}` is unsafe"));
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_json(rs, "x.json", b.data, b.len, &err), LL_OK, "%s", err.msg);
    ll_ruleset_free(rs);
    ll_buf_release(&b);
    free(text);
}

Test(ruleset, provenance_without_inputs)
{
    Loaded l = load(10, "  \"tags\": [\"test\"], \"provenance\": {\"untrusted\": \"error\", \"unknown\": \"warning\", \"constant\": \"note\"},");
    assert_rejected(&l, 10, 35, "/provenance: needs \"inputs\"");
}

Test(ruleset, provenance_bad_severity)
{
    Loaded l = load(10, "  \"tags\": [\"test\"], \"inputs\": [{\"position\": 0}], \"provenance\": {\"untrusted\": \"fatal\", \"unknown\": \"warning\", \"constant\": \"note\"},");
    assert_rejected(&l, 10, 78, "/provenance/untrusted: must be one of: error, warning, note");
}

Test(ruleset, bad_argspec)
{
    Loaded l = load(10, "  \"tags\": [\"test\"], \"inputs\": [{\"position\": -1}],");
    assert_rejected(&l, 10, 45, "/inputs/0/position: must be an integer from 0 to 255");
    l = load(10, "  \"tags\": [\"test\"], \"inputs\": [{}],");
    assert_rejected(&l, 10, 32, "/inputs/0: an argument spec needs \"position\" or \"keyword\"");
    l = load(10, "  \"tags\": [\"test\"], \"inputs\": [{\"keyword\": \"a.b\"}],");
    assert_rejected(&l, 10, 44, "/inputs/0/keyword: must be a Python identifier");
}

Test(ruleset, duplicate_code)
{
    char *text = rule_with(0, NULL);
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_ruleset_add_json(rs, "first.json", text, strlen(text), &err), LL_OK);
    cr_assert_eq(ll_ruleset_add_json(rs, "second.json", text, strlen(text), &err), LL_ERR_RULE);
    cr_assert_eq(rs->nrules, 1);
    cr_assert_str_eq(err.file, "second.json");
    cr_assert_str_eq(err.msg, "/code: rule code TT101 is already defined in first.json");
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.col, 11);
    ll_ruleset_free(rs);
    free(text);
}

Test(ruleset, duplicate_key)
{
    Loaded l = load(4, "  \"severity\": \"warning\", \"severity\": \"error\",");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert_eq(l.nrules, 0);
    cr_assert_str_eq(l.err.msg, "/severity: duplicate key \"severity\"");
    cr_assert_eq(l.err.line, 4);
}

/* Regression (fixed): a duplicate key is reported at the FIRST occurrence of the key, not
 * at the duplicate: check_keys (src/rules/ruleset.c:94-96) passes only the
 * pointer "/severity" to fail(), and ll_jsonloc_find resolves a pointer to
 * the first member with that name. Here the duplicate is on line 5 but the
 * error says 4:15. Fix: locate the duplicate by its index among the
 * object's members (e.g. count the members of `obj` before `it` and skip
 * that many keys when scanning, or add ll_jsonloc_find_nth(text, len,
 * parent_pointer, member_index)). */
Test(ruleset, duplicate_key_points_at_duplicate)
{
    Loaded l = load(5, "  \"severity\": \"error\", \"summary\": \"a test rule\",");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert_str_eq(l.err.msg, "/severity: duplicate key \"severity\"");
    cr_assert_eq(l.err.line, 5);
    cr_assert_eq(l.err.col, 15);
}

Test(ruleset, reference_not_an_absolute_url)
{
    Loaded l = load(13, "           \"references\": [\"ftp://example.com/doc\"]}");
    assert_rejected(&l, 13, 27, "/docs/references/0: \"ftp://example.com/doc\" is not an absolute http(s) URL");
    l = load(13, "           \"references\": [\"https://example.com/a\", \"docs/x.md\"]}");
    assert_rejected(&l, 13, 52, "/docs/references/1: \"docs/x.md\" is not an absolute http(s) URL");
    l = load(13, "           \"references\": [\"https://example.com/a b\"]}");
    assert_rejected(&l, 13, 27, "/docs/references/0: \"https://example.com/a b\" is not an absolute http(s) URL");
}

Test(ruleset, bad_security_severity_and_cwe)
{
    Loaded l = load(8, "  \"security_severity\": \"11\",");
    assert_rejected(&l, 8, 24, "/security_severity: must be a number in (0, 10]");
    l = load(9, "  \"cwe\": [\"CWE-502\", \"CWE502\"],");
    assert_rejected(&l, 9, 22, "/cwe/1: \"CWE502\" is not of the form CWE-<number>");
}

Test(ruleset, not_an_object)
{
    const char *text = "[1, 2]";
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_json(rs, "a.json", text, strlen(text), &err), LL_ERR_RULE);
    cr_assert_str_eq(err.msg, "/: the file must hold one JSON object");
    cr_assert_eq(err.line, 1);
    cr_assert_eq(err.col, 1);
    ll_ruleset_free(rs);
}

Test(ruleset, code_matches_prefixes)
{
    char *items[] = {"LL1"};
    LLStrList l1 = {items, 1};
    cr_assert(ll_rule_code_matches("LL101", &l1));
    cr_assert(ll_rule_code_matches("LL111", &l1));
    cr_assert(!ll_rule_code_matches("LL201", &l1));
    cr_assert(!ll_rule_code_matches("L", &l1));

    char *exact[] = {"LL501", "LL2"};
    LLStrList l2 = {exact, 2};
    cr_assert(ll_rule_code_matches("LL501", &l2));
    cr_assert(ll_rule_code_matches("LL203", &l2));
    cr_assert(!ll_rule_code_matches("LL502", &l2));
    cr_assert(!ll_rule_code_matches("LL101", &l2));

    char *all[] = {"ALL"};
    LLStrList l3 = {all, 1};
    cr_assert(ll_rule_code_matches("LL101", &l3));
    cr_assert(ll_rule_code_matches("XY9999", &l3));

    LLStrList none = {NULL, 0};
    cr_assert(!ll_rule_code_matches("LL101", &none));
}

Test(ruleset, builtin_rules_load)
{
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_ruleset_add_builtin(rs, &err), LL_OK, "%s:%u:%u: %s", err.file,
                 err.line, err.col, err.msg);
    cr_assert_geq(rs->nrules, 28);
    cr_assert_str_eq(err.msg, "");
    ll_ruleset_finish(rs);
    /* finish sorts by code */
    for (size_t i = 1; i < rs->nrules; i++)
        cr_assert_lt(strcmp(rs->rules[i - 1].code, rs->rules[i].code), 0);
    const LLRule *r = ll_ruleset_find(rs, "LL101");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->name, "pickle-load");
    cr_assert_str_eq(r->origin, "rules/LL101-pickle-load.json");
    const LLRule *y = ll_ruleset_find(rs, "LL501");
    cr_assert_not_null(y);
    cr_assert_str_eq(y->name, "yaml-load-unsafe-loader");
    cr_assert_null(ll_ruleset_find(rs, "LL999"));
    cr_assert_null(ll_ruleset_find(rs, "LL10"));
    intptr_t v;
    cr_assert(ll_strmap_get(&rs->by_call, "pickle.loads", 12, &v));
    const LLRuleIds *ids = (const LLRuleIds *)v;
    cr_assert_eq(ids->len, 1);
    cr_assert_str_eq(rs->rules[ids->ids[0]].code, "LL101");
    cr_assert(ll_strmap_get(&rs->known_names, "yaml.SafeLoader", 15, NULL));
    cr_assert(ll_strmap_get(&rs->by_method, "recv_pyobj", 10, NULL));
    cr_assert_geq(rs->class_rules.len, 1);
    ll_ruleset_free(rs);
}

Test(ruleset, add_after_finish_is_refused)
{
    char *text = rule_with(0, NULL);
    char *other = rule_with(2, "  \"code\": \"TT102\",");
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_ruleset_add_json(rs, "x.json", text, strlen(text), &err), LL_OK, "%s", err.msg);
    ll_ruleset_finish(rs);
    cr_assert(rs->finished);
    cr_assert_eq(ll_ruleset_add_json(rs, "y.json", other, strlen(other), &err), LL_ERR_RULE);
    cr_assert_str_eq(err.msg, "ruleset already finished");
    cr_assert_str_eq(err.file, "y.json");
    cr_assert_eq(rs->nrules, 1);
    ll_ruleset_free(rs);
    free(text);
    free(other);
}

/* Regression (fixed): finishing an empty ruleset is undefined behaviour: ll_ruleset_finish
 * (src/rules/ruleset.c:900) calls qsort(rs->rules, 0, ...) with
 * rs->rules == NULL, and qsort's first argument is declared nonnull. This
 * test passes in a normal build but aborts under -DLOADLINT_SANITIZE=ON
 * ("runtime error: null pointer passed as argument 1"). Fix: guard the sort,
 * `if (rs->nrules > 1) qsort(...)`. */
Test(ruleset, finish_empty_ruleset)
{
    LLRuleset *rs = ll_ruleset_new();
    ll_ruleset_finish(rs);
    cr_assert(rs->finished);
    cr_assert_eq(rs->nrules, 0);
    cr_assert_eq(rs->by_call.count, 0);
    ll_ruleset_free(rs);
}

Test(ruleset, severity_names)
{
    LLSeverity s = LL_SEV_NOTE;
    cr_assert(ll_severity_parse("error", &s));
    cr_assert_eq(s, LL_SEV_ERROR);
    cr_assert(ll_severity_parse("warning", &s));
    cr_assert_eq(s, LL_SEV_WARNING);
    cr_assert(ll_severity_parse("note", &s));
    cr_assert_eq(s, LL_SEV_NOTE);
    cr_assert(!ll_severity_parse("Error", &s));
    cr_assert_eq(s, LL_SEV_NOTE);
    cr_assert_str_eq(ll_severity_name(LL_SEV_ERROR), "error");
    cr_assert_str_eq(ll_severity_name(LL_SEV_WARNING), "warning");
    cr_assert_str_eq(ll_severity_name(LL_SEV_NOTE), "note");
}

static const char *fake_arg(void *ctx, const char *kw)
{
    (void)ctx;
    return strcmp(kw, "Loader") == 0 ? "yaml.FullLoader" : "?";
}

Test(ruleset, format_message)
{
    LLRule r;
    memset(&r, 0, sizeof r);
    r.message = "`{callee}` with Loader={arg:Loader} {unknown";
    char *m = ll_rule_format_message(&r, "yaml.load", NULL, NULL, fake_arg, NULL);
    cr_assert_str_eq(m, "`yaml.load` with Loader=yaml.FullLoader {unknown");
    free(m);
    r.message = "class {class} defines {method}";
    m = ll_rule_format_message(&r, NULL, "Evil", "__reduce__", NULL, NULL);
    cr_assert_str_eq(m, "class Evil defines __reduce__");
    free(m);
}

/* ---- versions and in_except_of (docs/rule-format.md "Versions") ---------- */

#define VR_MATCH "  \"match\": {\"call\": [\"m.load\"]}, "
#define VR_RANGE(aff, fixed, some) \
    "{\"package\": \"Torch_X\", \"affected\": \"" aff "\", " fixed "\"advisory\": \"CVE-2025-32434\", " \
    "\"says\": \"s\", \"grade\": {\"all\": \"error\", \"some\": \"" some "\"}}"

Test(ruleset, versions_parsed)
{
    char *text = rule_with(11, VR_MATCH "\"versions\": {\"ranges\": [" VR_RANGE("<2.6", "\"fixed_in\": \"2.6.0\", ", "warning")
                                        "], \"when_unknown\": \"note\"},");
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_json(rs, "rules/TT101-test-rule.json", text, strlen(text), &err), LL_OK, "%s", err.msg);
    const LLRuleVersions *v = rs->rules[0].versions;
    cr_assert_not_null(v);
    cr_assert_eq(v->nranges, 1);
    cr_assert_str_eq(v->ranges[0].package, "torch-x"); /* PEP 503 */
    cr_assert_str_eq(v->ranges[0].affected, "<2.6");
    cr_assert_str_eq(v->ranges[0].fixed_in, "2.6.0");
    cr_assert_eq(v->ranges[0].grade_all, LL_SEV_ERROR);
    cr_assert_eq(v->ranges[0].grade_some, LL_SEV_WARNING);
    cr_assert_eq(v->when_unknown, LL_VUNKNOWN_CAP);
    cr_assert_eq(v->unknown_cap, LL_SEV_NOTE);
    LLBuf md;
    ll_buf_init(&md);
    ll_rule_versions_markdown(&rs->rules[0], &md);
    cr_assert_not_null(strstr(md.data, "## Versions"));
    cr_assert_not_null(strstr(md.data, "`assume-versions = {torch-x = \"VERSION\"}`"));
    ll_buf_release(&md);
    ll_ruleset_free(rs);
    free(text);
}

Test(ruleset, versions_bad_specifier)
{
    Loaded l = load(11, VR_MATCH "\"versions\": {\"ranges\": [" VR_RANGE("<<2.6", "", "warning") "], \"when_unknown\": \"no-finding\"},");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert_eq(l.err.line, 11);
    cr_assert(strstr(l.err.msg, "/versions/ranges/0/affected: \"<<2.6\" is not a PEP 440 specifier set") == l.err.msg, "%s", l.err.msg);
}

Test(ruleset, versions_fixed_in_affected)
{
    Loaded l = load(11, VR_MATCH "\"versions\": {\"ranges\": [" VR_RANGE("<2.6", "\"fixed_in\": \"2.5\", ", "warning")
                        "], \"when_unknown\": \"no-finding\"},");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert(strstr(l.err.msg, "/versions/ranges/0/fixed_in: 2.5 is itself affected") == l.err.msg, "%s", l.err.msg);
}

Test(ruleset, versions_some_above_all)
{
    Loaded l = load(11, VR_MATCH "\"versions\": {\"ranges\": [{\"package\": \"torch\", \"affected\": \"<2.6\", "
                        "\"advisory\": \"CVE-2025-32434\", \"says\": \"s\", \"grade\": {\"all\": \"note\", \"some\": \"error\"}}], "
                        "\"when_unknown\": \"no-finding\"},");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert(strstr(l.err.msg, "/versions/ranges/0/grade/some: is above \"all\"") == l.err.msg, "%s", l.err.msg);
}

Test(ruleset, versions_bad_when_unknown)
{
    Loaded l = load(11, VR_MATCH "\"versions\": {\"ranges\": [" VR_RANGE("<2.6", "", "warning") "], \"when_unknown\": \"maybe\"},");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert(strstr(l.err.msg, "/versions/when_unknown: unknown value \"maybe\"") == l.err.msg, "%s", l.err.msg);
}

Test(ruleset, versions_bad_advisory)
{
    Loaded l = load(11, VR_MATCH "\"versions\": {\"ranges\": [{\"package\": \"torch\", \"affected\": \"<2.6\", "
                        "\"advisory\": \"bug 12\", \"says\": \"s\", \"grade\": {\"all\": \"error\", \"some\": \"note\"}}], "
                        "\"when_unknown\": \"no-finding\"},");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert(strstr(l.err.msg, "/versions/ranges/0/advisory: \"bug 12\" is not an advisory id") == l.err.msg, "%s", l.err.msg);
}

#define EXC(inner) "{\"in_except_of\": {\"call\": [\"m.load\"], \"where\": [" inner "]}}"

Test(ruleset, in_except_of_parsed)
{
    char *text = rule_with(11, "  \"match\": {\"call\": [\"m.load\"], \"where\": [" EXC("{\"arg\": {\"keyword\": \"safe\"}, \"is\": \"true\"}") "]},");
    char *m = strstr(text, "is unsafe");
    memcpy(m, "{related}", 9); /* the message names the related call */
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_json(rs, "rules/TT101-test-rule.json", text, strlen(text), &err), LL_OK, "%s", err.msg);
    const LLPredicate *p = &rs->rules[0].where[0];
    cr_assert_eq(p->test, LL_TEST_IN_EXCEPT_OF);
    cr_assert_eq(p->nnames, 1);
    cr_assert_str_eq(p->names[0], "m.load");
    cr_assert_eq(p->ninner, 1);
    cr_assert_eq(p->inner[0].test, LL_TEST_TRUE);
    ll_ruleset_free(rs);
    free(text);
}

Test(ruleset, in_except_of_not_nested)
{
    Loaded l = load(11, "  \"match\": {\"call\": [\"m.load\"], \"where\": [" EXC(EXC("")) "]},");
    cr_assert_eq(l.st, LL_ERR_RULE);
    cr_assert_not_null(strstr(l.err.msg, "/match/where/0/in_except_of/where/0"), "%s", l.err.msg);
}

Test(ruleset, related_placeholder_needs_in_except_of)
{
    Loaded l = load(6, "  \"message\": \"`{callee}` falls back from {related}\",");
    assert_rejected(&l, 6, 14, "/message: unknown placeholder {related}");
}
