/* test_report.c - text utilities, JSON locations, source positions and the
 * report writers (base/text.h, rules/jsonloc.h, engine/source.h,
 * report/report.h, report/cjson_util.h). */
#include "helpers.h"

#include "base/buf.h"
#include "base/text.h"
#include "engine/source.h"
#include "report/cjson_util.h"
#include "report/report.h"
#include "rules/jsonloc.h"

#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- URI encoding ------------------------------------------------------------ */

static void assert_uri_encoded(const char *in, const char *want)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_uri_encode_path(&b, in, strlen(in));
    cr_assert_str_eq(b.data, want);
    ll_buf_release(&b);
}

Test(report, uri_encode_path)
{
    assert_uri_encoded("a b.py", "a%20b.py");
    assert_uri_encoded("100%.py", "100%25.py");
    assert_uri_encoded("x#y.py", "x%23y.py");
    assert_uri_encoded("dir/sub dir/f.py", "dir/sub%20dir/f.py");
    assert_uri_encoded("caf\xC3\xA9/\xE2\x82\xAC.py", "caf%C3%A9/%E2%82%AC.py");
    assert_uri_encoded("A-z_0.9~/", "A-z_0.9~/");
    assert_uri_encoded("a?b&c+d:e", "a%3Fb%26c%2Bd%3Ae");
    /* n is a byte count: embedded NULs are encoded too */
    LLBuf b;
    ll_buf_init(&b);
    ll_uri_encode_path(&b, "a\0b", 3);
    cr_assert_str_eq(b.data, "a%00b");
    ll_buf_release(&b);
}

static void assert_json_uri(const char *display, const char *want, int want_abs)
{
    LLBuf b;
    ll_buf_init(&b);
    int abs = -1;
    ll_json_uri(&b, display, &abs);
    cr_assert_str_eq(b.data, want);
    cr_assert_eq(abs, want_abs, "%s: is_absolute %d", display, abs);
    ll_buf_release(&b);
}

Test(report, json_uri)
{
    assert_json_uri("./a b.py", "a%20b.py", 0);
    assert_json_uri("a b.py", "a%20b.py", 0);
    assert_json_uri(".//./pkg/m.py", "pkg/m.py", 0);
    assert_json_uri("../up.py", "../up.py", 0);
    /* an absolute path outside the working directory is a file:// URI */
    cr_assert_eq(chdir("/tmp"), 0);
    assert_json_uri("/usr/lib/x y.py", "file:///usr/lib/x%20y.py", 1);
    /* and one inside it becomes relative */
    char cwd[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    LLBuf p;
    ll_buf_init(&p);
    ll_buf_printf(&p, "%s/pkg/a#b.py", cwd);
    assert_json_uri(p.data, "pkg/a%23b.py", 0);
    /* a sibling directory sharing the prefix is not inside it */
    ll_buf_reset(&p);
    ll_buf_printf(&p, "%sx/f.py", cwd);
    LLBuf want;
    ll_buf_init(&want);
    ll_buf_printf(&want, "file://%sx/f.py", cwd);
    assert_json_uri(p.data, want.data, 1);
    ll_buf_release(&p);
    ll_buf_release(&want);
}

/* ---- UTF-8 and escaping ----------------------------------------------------- */

Test(report, utf8_and_utf16_counts)
{
    /* a, e-acute (2 bytes), euro (3 bytes), grinning face (4 bytes) */
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    cr_assert_eq(strlen(s), 10);
    cr_assert_eq(ll_utf8_count(s, 10), 4);
    cr_assert_eq(ll_utf16_count(s, 10), 5);
    cr_assert_eq(ll_utf8_count(s, 3), 2);
    cr_assert_eq(ll_utf8_count("", 0), 0);
    /* invalid bytes count one each */
    cr_assert_eq(ll_utf8_count("\xFF\xFE" "a", 3), 3);
    cr_assert_eq(ll_utf16_count("\xFF\xFE" "a", 3), 3);
    /* a truncated sequence: each byte is one */
    cr_assert_eq(ll_utf8_count("\xE2\x82", 2), 2);
    /* an overlong encoding of '/' is invalid */
    cr_assert(!ll_utf8_valid("\xC0\xAF", 2));
    cr_assert(!ll_utf8_valid("\xED\xA0\x80", 3)); /* a surrogate */
    cr_assert(ll_utf8_valid(s, 10));
}

Test(report, escape_controls)
{
    LLBuf b;
    ll_buf_init(&b);
    const char *in = "a\nb\tc\rd\x1b" "e\\f\x7f";
    ll_escape_controls(&b, in, strlen(in));
    cr_assert_str_eq(b.data, "a\\nb\\tc\\rd\\x1be\\\\f\\x7f");
    ll_buf_reset(&b);
    ll_escape_controls(&b, "caf\xC3\xA9 ok", 8);
    cr_assert_str_eq(b.data, "caf\xC3\xA9 ok");
    ll_buf_release(&b);
}

Test(report, json_escape)
{
    LLBuf b;
    ll_buf_init(&b);
    const char *in = "q\"b\\\n\t\x01\xC3\xA9\xFF/";
    ll_json_escape(&b, in, strlen(in));
    cr_assert_str_eq(b.data, "q\\\"b\\\\\\n\\t\\u0001\xC3\xA9\\ufffd/");
    ll_buf_release(&b);
}

Test(report, json_strn_cleans_invalid_utf8)
{
    cJSON *j = ll_json_strn("a\xFF" "b\0c", 5);
    cr_assert_str_eq(cJSON_GetStringValue(j), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
    cJSON_Delete(j);
    j = ll_json_str(NULL);
    cr_assert_str_eq(cJSON_GetStringValue(j), "");
    cJSON_Delete(j);
}

/* ---- globs ---------------------------------------------------------------- */

Test(report, glob_match)
{
    cr_assert(ll_glob_match("*.py", "x.py"));
    cr_assert(ll_glob_match("*.py", ".py"));
    cr_assert(!ll_glob_match("*.py", "a/x.py"));
    cr_assert(!ll_glob_match("*.py", "x.pyc"));
    cr_assert(ll_glob_match("**/x.py", "x.py"));
    cr_assert(ll_glob_match("**/x.py", "a/b/x.py"));
    cr_assert(!ll_glob_match("**/x.py", "a/b/y.py"));
    cr_assert(ll_glob_match("a/*", "a/b"));
    cr_assert(!ll_glob_match("a/*", "a/b/c"));
    cr_assert(ll_glob_match("a/**", "a/b/c"));
    cr_assert(ll_glob_match("a/**/c.py", "a/c.py"));
    cr_assert(ll_glob_match("a/**/c.py", "a/x/y/c.py"));
    cr_assert(ll_glob_match("[!a]bc", "xbc"));
    cr_assert(!ll_glob_match("[!a]bc", "abc"));
    cr_assert(!ll_glob_match("[!a]bc", "/bc"));
    cr_assert(ll_glob_match("[a-c]x", "bx"));
    cr_assert(!ll_glob_match("[a-c]x", "dx"));
    cr_assert(ll_glob_match("?.py", "a.py"));
    cr_assert(!ll_glob_match("?.py", "/.py"));
    cr_assert(!ll_glob_match("?.py", "ab.py"));
    cr_assert(ll_glob_match("tests/*/fixtures/*.py", "tests/unit/fixtures/a.py"));
    cr_assert(!ll_glob_match("tests/*/fixtures/*.py", "tests/unit/x/fixtures/a.py"));
}

/* Regression (fixed): a double star followed by a slash matches any suffix of a name, not
 * only whole path components: the pattern "**" "/x.py" matches "ax.py" and
 * "a/" "**" "/c.py" matches "a/bc.py" (see the assertions below). In
 * ll_glob_match (src/base/text.c:181-182) the "**" + "/" form skips the "/"
 * of the pattern, and the backtrack (text.c:222-227) retries from every
 * byte of s (++dstar_s), so the rest of the pattern can start in the middle
 * of a name. Fix: when the "**" consumed a "/" of the pattern, backtrack
 * only to positions just after a '/' in s (advance dstar_s to the byte
 * after the next '/'; fail when there is none). */
Test(report, glob_double_star_matches_whole_components)
{
    cr_assert(!ll_glob_match("**/x.py", "ax.py"));
    cr_assert(!ll_glob_match("**/x.py", "a/bx.py"));
    cr_assert(!ll_glob_match("a/**/c.py", "a/bc.py"));
}

/* ---- JSON locations ----------------------------------------------------------- */

static const char *const DOC =
    "{\n"                                                /* 1 */
    "  \"code\": \"X\",\n"                              /* 2 */
    "  \"s\": \"{\\\"where\\\": [1]}\",\n"              /* 3 */
    "  \"match\": {\n"                                   /* 4 */
    "    \"call\": [\"a\", \"b\"],\n"                   /* 5 */
    "    \"where\": [\n"                                 /* 6 */
    "      {\"arg\": {\"keyword\": \"k\"}, \"is\": \"maybe\"},\n" /* 7 */
    "      {\"arg\": {\"position\": 1}, \"is\": \"true\"}\n"      /* 8 */
    "    ]\n"                                            /* 9 */
    "  },\n"                                             /* 10 */
    "  \"a/b\": 1, \"m~n\": 2\n"                         /* 11 */
    "}\n";

static void assert_loc(const char *pointer, unsigned line, unsigned col)
{
    size_t len = strlen(DOC);
    size_t off = ll_jsonloc_find(DOC, len, pointer);
    unsigned l, c;
    ll_jsonloc_linecol(DOC, len, off, &l, &c);
    cr_assert_eq(l, line, "%s: line %u, expected %u", pointer, l, line);
    cr_assert_eq(c, col, "%s: col %u, expected %u", pointer, c, col);
}

Test(report, jsonloc_find)
{
    assert_loc("", 1, 1);
    assert_loc("/code", 2, 11);
    assert_loc("/match/where/0/is", 7, 39);
    assert_loc("/match/where/1/arg/position", 8, 28);
    assert_loc("/match/call/1", 5, 19);
    assert_loc("/match/where", 6, 14);
    /* a key inside a string value is not a key */
    assert_loc("/s", 3, 8);
    /* ~1 is '/', ~0 is '~' */
    assert_loc("/a~1b", 11, 10);
    assert_loc("/m~0n", 11, 20);
    /* a path that does not exist: the deepest ancestor that does */
    assert_loc("/match/nope", 4, 12);
    assert_loc("/match/where/5", 6, 14);
    assert_loc("/match/where/0/arg/keyword/deeper", 7, 27);
}

Test(report, jsonloc_linecol)
{
    const char *t = "ab\ncd\n\nx";
    unsigned l, c;
    ll_jsonloc_linecol(t, strlen(t), 0, &l, &c);
    cr_assert_eq(l, 1);
    cr_assert_eq(c, 1);
    ll_jsonloc_linecol(t, strlen(t), 4, &l, &c);
    cr_assert_eq(l, 2);
    cr_assert_eq(c, 2);
    ll_jsonloc_linecol(t, strlen(t), 7, &l, &c);
    cr_assert_eq(l, 4);
    cr_assert_eq(c, 1);
    /* past the end: clamped to the end */
    ll_jsonloc_linecol(t, strlen(t), 100, &l, &c);
    cr_assert_eq(l, 4);
    cr_assert_eq(c, 2);
}

/* ---- source positions ---------------------------------------------------------- */

Test(report, source_position_line_endings_and_bom)
{
    /* BOM, "a" CRLF, "b e-acute" lone CR, "c" LF */
    const char bytes[] = "\xEF\xBB\xBF" "a\r\nb\xC3\xA9\rc\n";
    LLArena arena;
    ll_arena_init(&arena);
    LLSource src;
    ll_source_init(&src, "p.py", "p.py", bytes, sizeof bytes - 1, &arena);
    cr_assert(src.had_bom);
    cr_assert_eq(src.len, 9);
    cr_assert_eq(src.text[0], 'a');
    cr_assert_eq(src.nlines, 4);
    cr_assert_eq(src.line_starts[1], 3);
    cr_assert_eq(src.line_starts[2], 7);
    cr_assert_eq(src.line_starts[3], 9);
    uint32_t line, col;
    ll_source_position(&src, 0, &line, &col);
    cr_assert_eq(line, 1);
    cr_assert_eq(col, 1);
    ll_source_position(&src, 1, &line, &col); /* the CR of CRLF */
    cr_assert_eq(line, 1);
    cr_assert_eq(col, 2);
    ll_source_position(&src, 2, &line, &col); /* the LF of CRLF */
    cr_assert_eq(line, 1);
    cr_assert_eq(col, 3);
    ll_source_position(&src, 3, &line, &col); /* b */
    cr_assert_eq(line, 2);
    cr_assert_eq(col, 1);
    ll_source_position(&src, 6, &line, &col); /* the lone CR, after b and e-acute */
    cr_assert_eq(line, 2);
    cr_assert_eq(col, 3);
    ll_source_position(&src, 7, &line, &col); /* c */
    cr_assert_eq(line, 3);
    cr_assert_eq(col, 1);
    ll_source_position(&src, 9, &line, &col); /* end of file */
    cr_assert_eq(line, 4);
    cr_assert_eq(col, 1);
    ll_source_position(&src, 1000, &line, &col); /* clamped */
    cr_assert_eq(line, 4);
    cr_assert_eq(col, 1);
    size_t len;
    const char *t = ll_source_line(&src, 1, &len);
    cr_assert_eq(len, 1);
    cr_assert_eq(t[0], 'a');
    t = ll_source_line(&src, 2, &len);
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(t, "b\xC3\xA9", 3), 0);
    t = ll_source_line(&src, 3, &len);
    cr_assert_eq(len, 1);
    cr_assert_eq(t[0], 'c');
    ll_source_line(&src, 4, &len);
    cr_assert_eq(len, 0);
    ll_source_line(&src, 0, &len);
    cr_assert_eq(len, 0);
    ll_source_line(&src, 5, &len);
    cr_assert_eq(len, 0);
    ll_arena_release(&arena);
}

Test(report, source_without_bom_or_final_newline)
{
    const char bytes[] = "x\ny";
    LLArena arena;
    ll_arena_init(&arena);
    LLSource src;
    ll_source_init(&src, "p.py", "p.py", bytes, 3, &arena);
    cr_assert(!src.had_bom);
    cr_assert_eq(src.nlines, 2);
    uint32_t line, col;
    ll_source_position(&src, 2, &line, &col);
    cr_assert_eq(line, 2);
    cr_assert_eq(col, 1);
    ll_source_position(&src, 3, &line, &col);
    cr_assert_eq(line, 2);
    cr_assert_eq(col, 2);
    ll_arena_release(&arena);
}

/* ---- reports ---------------------------------------------------------------- */

typedef struct Scan {
    LLRuleset *rs;
    LTRun run;
    LLReport report;
} Scan;

static void scan(Scan *s, const char *py, const char *display)
{
    s->rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(s->rs, &err), LL_OK, "%s", err.msg);
    ll_ruleset_finish(s->rs);
    lt_run_text(&s->run, s->rs, py, display);
    memset(&s->report, 0, sizeof s->report);
    s->report.rules = s->rs;
    s->report.files = &s->run.files;
    s->report.run = &s->run.res;
}

static void scan_close(Scan *s)
{
    lt_run_close(&s->run);
    ll_ruleset_free(s->rs);
}

static cJSON *path_get(cJSON *o, const char *const *keys)
{
    for (; *keys && o; keys++) {
        if (cJSON_IsArray(o))
            o = cJSON_GetArrayItem(o, atoi(*keys));
        else
            o = cJSON_GetObjectItemCaseSensitive(o, *keys);
    }
    cr_assert_not_null(o);
    return o;
}

#define GET(o, ...) path_get((o), (const char *const[]){__VA_ARGS__, NULL})

Test(report, sarif)
{
    Scan s;
    scan(&s, "import pickle\npickle.loads(data)\n", "pkg dir/sample.py");
    cr_assert_eq(s.run.res.findings.len, 1);
    LLBuf out;
    ll_buf_init(&out);
    ll_report_sarif(&out, &s.report);
    cJSON *root = cJSON_Parse(out.data);
    cr_assert_not_null(root, "the SARIF is not valid JSON");

    cr_assert_str_eq(cJSON_GetStringValue(GET(root, "version")), "2.1.0");
    cJSON *run = GET(root, "runs", "0");
    cr_assert_eq(cJSON_GetArraySize(GET(root, "runs")), 1);
    cr_assert_str_eq(cJSON_GetStringValue(GET(run, "tool", "driver", "name")), "loadlint");
    cJSON *rules = GET(run, "tool", "driver", "rules");
    int nrules = cJSON_GetArraySize(rules);
    /* every rule, then one descriptor per lower grade a result uses: the
     * finding here is a warning (unknown input), LL101's top grade is error */
    cr_assert_eq((size_t)nrules, s.rs->nrules + 1);
    cJSON *last = cJSON_GetArrayItem(rules, nrules - 1);
    cr_assert_str_eq(cJSON_GetStringValue(GET(last, "id")), "LL101/warning");
    cr_assert_str_eq(cJSON_GetStringValue(GET(last, "properties", "security-severity")), "6.9");
    int ll101 = -1;
    for (int i = 0; i < nrules; i++) {
        cJSON *r = cJSON_GetArrayItem(rules, i);
        const char *text = cJSON_GetStringValue(GET(r, "help", "text"));
        const char *md = cJSON_GetStringValue(GET(r, "help", "markdown"));
        cr_assert_not_null(text);
        cr_assert_not_null(md);
        cr_assert_gt(strlen(text), 0);
        cr_assert_gt(strlen(md), 0);
        if (strcmp(cJSON_GetStringValue(GET(r, "id")), "LL101") == 0)
            ll101 = i;
    }
    cr_assert_geq(ll101, 0, "LL101 missing from rules[]");
    cJSON *rule = cJSON_GetArrayItem(rules, ll101);
    cr_assert_str_eq(cJSON_GetStringValue(GET(rule, "name")), "pickle-load");
    cr_assert_eq(strncmp(cJSON_GetStringValue(GET(rule, "help", "markdown")),
                         "# pickle-load (LL101)\n", 22), 0);
    /* the built-in rules name no page: their docs travel in `help` */
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(rule, "helpUri"));
    cr_assert_str_eq(cJSON_GetStringValue(GET(rule, "properties", "security-severity")), "9.8");
    cr_assert_str_eq(cJSON_GetStringValue(GET(rule, "properties", "tags", "1")), "external/cwe/cwe-502");

    cJSON *results = GET(run, "results");
    cr_assert_eq(cJSON_GetArraySize(results), 1);
    cJSON *res = GET(results, "0");
    cr_assert_str_eq(cJSON_GetStringValue(GET(res, "ruleId")), "LL101/warning");
    cr_assert_eq(GET(res, "ruleIndex")->valueint, nrules - 1);
    cr_assert_str_eq(cJSON_GetStringValue(GET(res, "level")), "warning");
    cr_assert_str_eq(cJSON_GetStringValue(GET(res, "properties", "loadlint/provenance")), "unknown");
    cr_assert_str_eq(cJSON_GetStringValue(GET(res, "message", "text")),
                     "`pickle.loads` unpickles its input, which runs any code the data asks for");
    cJSON *pl = GET(res, "locations", "0", "physicalLocation");
    cr_assert_str_eq(cJSON_GetStringValue(GET(pl, "artifactLocation", "uri")), "pkg%20dir/sample.py");
    cr_assert_str_eq(cJSON_GetStringValue(GET(pl, "artifactLocation", "uriBaseId")), "%SRCROOT%");
    cr_assert_eq(GET(pl, "region", "startLine")->valueint, 2);
    cr_assert_eq(GET(pl, "region", "startColumn")->valueint, 1);
    cr_assert_eq(GET(pl, "region", "endLine")->valueint, 2);
    cr_assert_eq(GET(pl, "region", "endColumn")->valueint, 19);
    cr_assert_not_null(cJSON_GetStringValue(GET(res, "partialFingerprints", "loadlintFingerprint/v1")));
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(res, "codeFlows"));

    cr_assert_str_eq(cJSON_GetStringValue(GET(run, "columnKind")), "unicodeCodePoints");
    cr_assert_str_eq(cJSON_GetStringValue(GET(run, "automationDetails", "id")), "loadlint/");
    cr_assert(cJSON_IsTrue(GET(run, "invocations", "0", "executionSuccessful")));
    cJSON_Delete(root);
    ll_buf_release(&out);
    scan_close(&s);
}

Test(report, sarif_columns_are_code_points_and_flows)
{
    Scan s;
    scan(&s,
         "import pickle, sys\n"
         "s = \"\xC3\xA9\xE2\x82\xAC\"; pickle.loads(sys.argv[1])\n",
         "m.py");
    s.report.sarif_category = "nightly";
    LLBuf out;
    ll_buf_init(&out);
    ll_report_sarif(&out, &s.report);
    cJSON *root = cJSON_Parse(out.data);
    cr_assert_not_null(root);
    cJSON *run = GET(root, "runs", "0");
    cr_assert_str_eq(cJSON_GetStringValue(GET(run, "automationDetails", "id")), "nightly/");
    cJSON *res = GET(run, "results", "0");
    cr_assert_str_eq(cJSON_GetStringValue(GET(res, "level")), "error");
    cJSON *reg = GET(res, "locations", "0", "physicalLocation", "region");
    /* s = "eE"; is 10 code points (13 bytes) before the call */
    cr_assert_eq(GET(reg, "startColumn")->valueint, 11);
    cr_assert_eq(GET(reg, "endColumn")->valueint, 36);
    /* the untrusted source is a related location and starts the code flow */
    cJSON *rel = GET(res, "relatedLocations", "0");
    cr_assert_eq(GET(rel, "id")->valueint, 1);
    cr_assert_str_eq(cJSON_GetStringValue(GET(rel, "message", "text")), "untrusted source sys.argv");
    cr_assert_eq(GET(rel, "physicalLocation", "region", "startColumn")->valueint, 24);
    cJSON *steps = GET(res, "codeFlows", "0", "threadFlows", "0", "locations");
    cr_assert_eq(cJSON_GetArraySize(steps), 3);
    cr_assert_str_eq(cJSON_GetStringValue(GET(steps, "2", "location", "message", "text")),
                     "reaches pickle.loads");
    const char *msg = cJSON_GetStringValue(GET(res, "message", "text"));
    cr_assert_str_eq(msg, "`pickle.loads` unpickles its input, which runs any code the data asks for; "
                          "its input comes from untrusted sys.argv (line 2). See [the untrusted source](1).");
    cJSON_Delete(root);
    ll_buf_release(&out);
    scan_close(&s);
}

Test(report, text_report)
{
    Scan s;
    scan(&s, "import pickle\nif x:\n    pickle.loads(data)\n", "dir/new\nline.py");
    LLBuf out;
    ll_buf_init(&out);
    ll_report_text(&out, &s.report);
    cr_assert_str_eq(out.data,
                     "dir/new\\nline.py:3:5: warning: `pickle.loads` unpickles its input, "
                     "which runs any code the data asks for [LL101]\n");
    ll_buf_release(&out);
    scan_close(&s);
}

Test(report, json_report)
{
    Scan s;
    scan(&s, "import pickle\npickle.loads(b\"x\")\n", "a.py");
    LLBuf out;
    ll_buf_init(&out);
    ll_report_json(&out, &s.report);
    cJSON *root = cJSON_Parse(out.data);
    cr_assert_not_null(root);
    cJSON *r = GET(root, "results", "0");
    cr_assert_str_eq(cJSON_GetStringValue(GET(r, "rule_id")), "LL101");
    cr_assert_str_eq(cJSON_GetStringValue(GET(r, "severity")), "note");
    cr_assert_str_eq(cJSON_GetStringValue(GET(r, "provenance")), "constant");
    cr_assert_str_eq(cJSON_GetStringValue(GET(r, "path")), "a.py");
    cr_assert_str_eq(cJSON_GetStringValue(GET(r, "callee")), "pickle.loads");
    cr_assert_str_eq(cJSON_GetStringValue(GET(r, "snippet")), "pickle.loads(b\"x\")");
    cr_assert_eq(GET(r, "start", "line")->valueint, 2);
    cr_assert_eq(GET(r, "start", "column")->valueint, 1);
    cr_assert_eq(GET(r, "end", "column")->valueint, 19);
    cr_assert(cJSON_IsNull(GET(r, "source")));
    cr_assert_eq(GET(root, "summary", "findings")->valueint, 1);
    cr_assert_eq(GET(root, "summary", "note")->valueint, 1);
    cr_assert_eq(GET(root, "summary", "files")->valueint, 1);
    cJSON_Delete(root);
    ll_buf_release(&out);
    scan_close(&s);
}

Test(report, fingerprint_counts_occurrences)
{
    Scan s;
    scan(&s, "import pickle\npickle.loads(d)\nif x:\n    pickle.loads(d)\npickle.loads(e)\n", "a.py");
    cr_assert_eq(s.run.res.findings.len, 3);
    char a[64], b[64], c[64];
    ll_report_fingerprint(&s.report, 0, a, sizeof a);
    ll_report_fingerprint(&s.report, 1, b, sizeof b);
    ll_report_fingerprint(&s.report, 2, c, sizeof c);
    /* same rule, callee and line text (whitespace ignored): :1 then :2 */
    cr_assert_eq(strlen(a), 18);
    cr_assert_str_eq(a + 16, ":1");
    cr_assert_eq(strncmp(a, b, 16), 0);
    cr_assert_str_eq(b + 16, ":2");
    cr_assert_neq(strncmp(a, c, 16), 0);
    cr_assert_str_eq(c + 16, ":1");
    scan_close(&s);
}
