/* Inline suppressions: loadlint's own comments, bandit's nosec, ruff/flake8
 * noqa, statement ranges, unused and malformed directives. */
#include "base/arena.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/run.h"
#include "engine/source.h"
#include "engine/suppress.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixtures ---------------------------------------------------------------- */

typedef struct SDoc {
    LLSyntax syn;
    TSParser *parser;
    TSTree *tree;
    LLArena arena;
    LLSource src;
    char *text;
    LLRuleset *rules;
    LLFileResult res;
} SDoc;

static void doc_open_rules(SDoc *d, const char *code, const char *disabled)
{
    memset(d, 0, sizeof *d);
    LLError err;
    d->rules = ll_ruleset_new();
    cr_assert_eq(ll_ruleset_add_builtin(d->rules, &err), LL_OK, "%s", err.msg);
    for (size_t i = 0; disabled && i < d->rules->nrules; i++)
        if (strcmp(d->rules->rules[i].code, disabled) == 0)
            d->rules->rules[i].enabled = false;
    ll_ruleset_finish(d->rules);
    cr_assert_eq(ll_syntax_init(&d->syn, ll_syntax_python()), 0);
    d->parser = ts_parser_new();
    cr_assert(ts_parser_set_language(d->parser, d->syn.language));
    d->text = strdup(code);
    ll_arena_init(&d->arena);
    ll_source_init(&d->src, "t.py", "t.py", d->text, strlen(d->text), &d->arena);
    d->tree = ts_parser_parse_string(d->parser, NULL, d->src.text, d->src.len);
    cr_assert_not_null(d->tree);
}

static void doc_open(SDoc *d, const char *code)
{
    doc_open_rules(d, code, NULL);
}

static void doc_close(SDoc *d)
{
    ll_file_result_release(&d->res);
    ts_tree_delete(d->tree);
    ts_parser_delete(d->parser);
    ll_arena_release(&d->arena);
    ll_syntax_release(&d->syn);
    ll_ruleset_free(d->rules);
    free(d->text);
}

static uint32_t rule_index(const LLRuleset *rs, const char *code)
{
    const LLRule *r = ll_ruleset_find(rs, code);
    cr_assert_not_null(r, "no rule %s", code);
    return (uint32_t)(r - rs->rules);
}

/* A finding of `code` spanning line:col .. eline:ecol. */
static void add(SDoc *d, const char *code, uint32_t line, uint32_t col, uint32_t eline,
                uint32_t ecol)
{
    LLFinding f;
    memset(&f, 0, sizeof f);
    f.rule = rule_index(d->rules, code);
    f.span = (LLSpan){line, col, eline, ecol};
    f.severity = LL_SEV_WARNING;
    f.message = strdup("m");
    LL_VEC_PUSH(&d->res.findings, f);
}

static size_t apply(SDoc *d, bool honor, bool unused)
{
    LLSuppressOptions o;
    ll_suppress_options_default(&o);
    cr_assert(o.honor_foreign);
    cr_assert(!o.report_unused);
    o.honor_foreign = honor;
    o.report_unused = unused;
    return ll_suppress_apply(&d->syn, &d->src, ts_tree_root_node(d->tree), d->rules, 0, &o,
                             &d->res);
}

/* One finding of `code` at line:col (one line long), default options:
 * is it suppressed? */
static bool suppressed1(const char *text, const char *code, uint32_t line, uint32_t col)
{
    SDoc d;
    doc_open(&d, text);
    add(&d, code, line, col, line, col + 5);
    apply(&d, true, false);
    bool s = d.res.findings.items[0].suppressed;
    doc_close(&d);
    return s;
}

static bool suppressed_span(const char *text, const char *code, uint32_t line, uint32_t col,
                            uint32_t eline, uint32_t ecol, bool honor)
{
    SDoc d;
    doc_open(&d, text);
    add(&d, code, line, col, eline, ecol);
    apply(&d, honor, false);
    bool s = d.res.findings.items[0].suppressed;
    doc_close(&d);
    return s;
}

/* ---- loadlint: ignore ------------------------------------------------------------ */

Test(suppress, multi_line_call_any_line)
{
    const char *first = "import torch\nx = torch.load(  # loadlint: ignore[LL201]\n    p,\n)\n";
    const char *middle = "import torch\nx = torch.load(\n    p,  # loadlint: ignore[LL201]\n)\n";
    const char *last = "import torch\nx = torch.load(\n    p,\n)  # loadlint: ignore[LL201]\n";
    cr_assert(suppressed_span(first, "LL201", 2, 5, 4, 2, true));
    cr_assert(suppressed_span(middle, "LL201", 2, 5, 4, 2, true));
    cr_assert(suppressed_span(last, "LL201", 2, 5, 4, 2, true));
}

Test(suppress, outside_the_statement_does_not_count)
{
    cr_assert(!suppressed1("# loadlint: ignore[LL101]\nimport pickle\npickle.loads(b)\n", "LL101",
                           3, 1));
    cr_assert(!suppressed1("import pickle\n# loadlint: ignore[LL101]\npickle.loads(b)\n", "LL101",
                           3, 1));
    cr_assert(!suppressed1("import pickle\npickle.loads(b)\n# loadlint: ignore[LL101]\n", "LL101",
                           2, 1));
    cr_assert(!suppressed1("import pickle\npickle.loads(b)\nx = 1  # loadlint: ignore\n", "LL101",
                           2, 1));
}

Test(suppress, codes_prefixes_all_bare_and_case)
{
    const char *fmt = "import pickle\npickle.loads(b)  # loadlint: ignore%s\n";
    struct {
        const char *suffix;
        bool expect;
    } cases[] = {
        {"[LL101]", true},      {"[LL1]", true},           {"[ALL]", true},
        {"", true},             {"[ll101]", true},         {"[LL201]", false},
        {"[LL2, LL101]", true}, {"[LL201,LL1]", true},     {"[LL10]", true},
        {"[LL1011]", false},    {" [LL101] reviewed", true}, {"  because reviewed", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text, fmt, cases[i].suffix);
        cr_assert_eq(suppressed1(text, "LL101", 2, 1), cases[i].expect, "%s", text);
    }
}

Test(suppress, semicolon_statements_share_the_line)
{
    const char *t = "import pickle\na = 1; b = pickle.loads(x)  # loadlint: ignore[LL101]\n";
    cr_assert(suppressed1(t, "LL101", 2, 12));
}

Test(suppress, compound_header_lines_only)
{
    const char *with = "import torch\nwith torch.load(\n    p\n) as m:  # loadlint: ignore[LL201]\n"
                       "    pass\n";
    cr_assert(suppressed_span(with, "LL201", 2, 6, 3, 6, true));
    const char *body = "import torch\nwith torch.load(\n    p\n) as m:\n"
                       "    pass  # loadlint: ignore[LL201]\n";
    cr_assert(!suppressed_span(body, "LL201", 2, 6, 3, 6, true));
    /* a header comment does not cover the body */
    const char *loop = "import pickle\nfor a in b:  # loadlint: ignore\n    pickle.loads(a)\n";
    cr_assert(!suppressed1(loop, "LL101", 3, 5));
    /* the elif's own header */
    const char *elif = "import pickle\nif x:  # loadlint: ignore\n    y = 1\n"
                       "elif pickle.loads(d):\n    pass\n";
    cr_assert(!suppressed1(elif, "LL101", 4, 6));
    const char *elif2 = "import pickle\nif x:\n    y = 1\n"
                        "elif pickle.loads(d):  # loadlint: ignore[LL101]\n    pass\n";
    cr_assert(suppressed1(elif2, "LL101", 4, 6));
    /* a one-line compound statement: its body is on the header line */
    const char *oneline = "import pickle\nif x: pickle.loads(d)  # loadlint: ignore[LL101]\n";
    cr_assert(suppressed1(oneline, "LL101", 2, 7));
    /* multi-line def header */
    const char *def = "import pickle\ndef f(\n    a=pickle.loads(d),\n):  # loadlint: ignore\n"
                      "    return a\n";
    cr_assert(suppressed1(def, "LL101", 3, 7));
    /* a class finding (LL601 is reported at the def name) */
    const char *reduce = "class P:\n    def __reduce__(self):  # loadlint: ignore[LL601]\n"
                         "        return (os.system, ('id',))\n";
    cr_assert(suppressed1(reduce, "LL601", 2, 9));
}

Test(suppress, decorators)
{
    const char *t = "import pickle\n@cache(pickle.loads(x))  # loadlint: ignore\ndef f():\n    pass\n";
    cr_assert(suppressed1(t, "LL101", 2, 8));
    const char *t2 = "import pickle\n@cache(pickle.loads(x))\ndef f():  # loadlint: ignore\n    pass\n";
    cr_assert(!suppressed1(t2, "LL101", 2, 8));
}

Test(suppress, ignore_file)
{
    const char *t = "# loadlint: ignore-file[LL101]\nimport pickle, torch\npickle.loads(a)\n"
                    "torch.load(p)\n";
    SDoc d;
    doc_open(&d, t);
    add(&d, "LL101", 3, 1, 3, 16);
    add(&d, "LL201", 4, 1, 4, 14);
    cr_assert_eq(apply(&d, true, true), 1);
    cr_assert(d.res.findings.items[0].suppressed);
    cr_assert(!d.res.findings.items[1].suppressed);
    cr_assert_eq(d.res.diags.len, 0);
    doc_close(&d);

    cr_assert(suppressed1("import pickle\npickle.loads(a)\n# loadlint: ignore-file\n", "LL101", 2, 1));
}

Test(suppress, comment_like_text_in_strings_is_not_a_comment)
{
    cr_assert(!suppressed1("import pickle\npickle.loads(\"# loadlint: ignore\")\n", "LL101", 2, 1));
    cr_assert(!suppressed1("import pickle\npickle.loads(\"# noqa\")\n", "LL101", 2, 1));
}

Test(suppress, line_endings_and_columns)
{
    /* CRLF: the comment is on the finding's line */
    cr_assert(suppressed1("import pickle\r\npickle.loads(b)  # loadlint: ignore\r\n", "LL101", 2, 1));
    /* a lone CR ends a line (as Python's tokenizer says): next statement */
    cr_assert(!suppressed1("import pickle\rpickle.loads(b)\r# loadlint: ignore\r", "LL101", 2, 1));
    /* columns count code points: the finding must be found in the second
     * statement of the line, not in the first */
    const char *t = "import torch\ns = \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"; "
                    "y = torch.load(\n"
                    "    p)  # loadlint: ignore[LL201]\n";
    cr_assert(suppressed_span(t, "LL201", 2, 21, 3, 7, true));
}

Test(suppress, syntax_errors_use_the_finding_lines)
{
    const char *t = "import pickle\ndef (:\n    pickle.loads(b)  # loadlint: ignore[LL101]\n";
    cr_assert(suppressed1(t, "LL101", 3, 5));
}

Test(suppress, deep_nesting_is_walked_iteratively)
{
    enum { DEPTH = 3000 };
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, "import pickle\nx = ");
    for (int i = 0; i < DEPTH; i++)
        ll_buf_putc(&b, '[');
    ll_buf_puts(&b, "pickle.loads(a)");
    for (int i = 0; i < DEPTH; i++)
        ll_buf_putc(&b, ']');
    ll_buf_puts(&b, "  # loadlint: ignore[LL101]\n");
    cr_assert(suppressed1(b.data, "LL101", 2, 5 + DEPTH));
    ll_buf_release(&b);
}

/* ---- foreign comments --------------------------------------------------------------- */

Test(suppress, nosec)
{
    const char *fmt = "import pickle\npickle.loads(b)  # %s\n";
    struct {
        const char *comment;
        bool expect;
    } cases[] = {
        {"nosec", true},          {"nosec B301", true},        {"nosec: B301", true},
        {"nosec B614", false},    {"nosec B614, B301", true},  {"nosec pickle", true},
        {"nosec assert_used", false}, {"nosec - reviewed by X", true}, {"NOSEC", true},
        {"nosecurity", false},    {"nosec B3", false},         {"noqa: E501 # nosec", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text, fmt, cases[i].comment);
        cr_assert_eq(suppressed1(text, "LL101", 2, 1), cases[i].expect, "%s", text);
    }
    cr_assert(suppressed1("import torch\ntorch.load(p)  # nosec B614\n", "LL201", 2, 1));
    cr_assert(suppressed1("import yaml\nyaml.load(s)  # nosec yaml_load\n", "LL501", 2, 1));
}

Test(suppress, noqa)
{
    const char *fmt = "import pickle\npickle.loads(b)  # %s\n";
    struct {
        const char *comment;
        bool expect;
    } cases[] = {
        {"noqa", true},           {"noqa: S301", true},        {"noqa:S301", true},
        {"noqa: S3", true},       {"noqa: E501", false},       {"noqa: E501, S301", true},
        {"noqa: E501 S301", true}, {"noqa: LL101", true},      {"NOQA: s301", true},
        {"noqa: DUO103", true},   {"noqa S301", true},         {"noqa: S302", false},
        {"loadlint: ignore[LL9] # noqa: S301", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text, fmt, cases[i].comment);
        cr_assert_eq(suppressed1(text, "LL101", 2, 1), cases[i].expect, "%s", text);
    }
    cr_assert(suppressed1("# ruff: noqa: S301\nimport pickle\npickle.loads(b)\n", "LL101", 3, 1));
    cr_assert(!suppressed1("# ruff: noqa: S506\nimport pickle\npickle.loads(b)\n", "LL101", 3, 1));
}

Test(suppress, foreign_only_on_the_first_line)
{
    const char *t = "import torch\nx = torch.load(\n    p,\n)  # nosec\n";
    cr_assert(!suppressed_span(t, "LL201", 2, 5, 4, 2, true));
    const char *t2 = "import torch\nx = torch.load(  # noqa: B614\n    p,\n)\n";
    cr_assert(!suppressed_span(t2, "LL201", 2, 5, 4, 2, true)); /* B614 is bandit's, not a noqa code */
    const char *t3 = "import torch\nx = torch.load(  # nosec B614\n    p,\n)\n";
    cr_assert(suppressed_span(t3, "LL201", 2, 5, 4, 2, true));
}

Test(suppress, honor_foreign_off)
{
    cr_assert(!suppressed_span("import pickle\npickle.loads(b)  # nosec\n", "LL101", 2, 1, 2, 16, false));
    cr_assert(!suppressed_span("import pickle\npickle.loads(b)  # noqa\n", "LL101", 2, 1, 2, 16, false));
    cr_assert(!suppressed_span("# ruff: noqa\nimport pickle\npickle.loads(b)\n", "LL101", 3, 1, 3, 16,
                               false));
    cr_assert(suppressed_span("import pickle\npickle.loads(b)  # loadlint: ignore\n", "LL101", 2, 1,
                              2, 16, false));
}

/* ---- diagnostics ------------------------------------------------------------------------- */

static const LLDiag *diag_at(const SDoc *d, size_t i)
{
    cr_assert_lt(i, d->res.diags.len, "only %zu diagnostics", d->res.diags.len);
    return &d->res.diags.items[i];
}

Test(suppress, unused_suppressions)
{
    SDoc d;
    doc_open_rules(&d,
                   "import pickle\n"
                   "x = 1  # loadlint: ignore[LL101]\n"                  /* 2: unused */
                   "pickle.loads(b)  # loadlint: ignore[LL101, LL201]\n" /* 3: LL201 unused */
                   "y = 2  # loadlint: ignore\n"                         /* 4: bare unused */
                   "z = 3  # loadlint: ignore[LL999]\n"                  /* 5: no such rule */
                   "w = 4  # loadlint: ignore[LL501]\n"                  /* 6: LL501 disabled */
                   "v = 5  # noqa: S301\n"                               /* foreign: never */
                   "# loadlint: ignore-file[LL3]\n",                     /* 8: unused */
                   "LL501");
    add(&d, "LL101", 3, 1, 3, 16);
    cr_assert_eq(apply(&d, true, true), 1);
    cr_assert_eq(d.res.diags.len, 5);
    const LLDiag *g = diag_at(&d, 0);
    cr_assert_eq(g->kind, LL_DIAG_WARNING);
    cr_assert_eq(g->line, 2);
    cr_assert_eq(g->col, 27);
    cr_assert_str_eq(g->message, "unused suppression: ignore[LL101] matches no finding");
    g = diag_at(&d, 1);
    cr_assert_eq(g->line, 3);
    cr_assert_eq(g->col, 44);
    cr_assert_str_eq(g->message, "unused suppression: ignore[LL201] matches no finding");
    g = diag_at(&d, 2);
    cr_assert_eq(g->line, 4);
    cr_assert_eq(g->col, 20);
    cr_assert_str_eq(g->message, "unused suppression: ignore matches no finding");
    g = diag_at(&d, 3);
    cr_assert_eq(g->line, 5);
    cr_assert_str_eq(g->message, "unused suppression: ignore[LL999] matches no rule");
    g = diag_at(&d, 4);
    cr_assert_eq(g->line, 8);
    cr_assert_str_eq(g->message, "unused suppression: ignore-file[LL3] matches no finding");
    doc_close(&d);

    /* off by default, except a code naming no rule (a typo suppresses
     * nothing, silently: always said) */
    doc_open(&d, "x = 1  # loadlint: ignore[LL101]\ny = 2  # loadlint: ignore[LL999, LL1]\n");
    apply(&d, true, false);
    cr_assert_eq(d.res.diags.len, 1);
    cr_assert_eq(diag_at(&d, 0)->line, 2);
    cr_assert_str_eq(diag_at(&d, 0)->message, "unused suppression: ignore[LL999] matches no rule");
    doc_close(&d);
}

Test(suppress, malformed_directives_warn_and_do_nothing)
{
    const char *bad[] = {
        "ignore[LL101",   "ignored",       "ignore LL101", "ignore[]",
        "ignore[LL101 !]", "disable[LL101]", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[256];
        snprintf(text, sizeof text, "import pickle\npickle.loads(b)  # loadlint: %s\n", bad[i]);
        SDoc d;
        doc_open(&d, text);
        add(&d, "LL101", 2, 1, 2, 16);
        apply(&d, true, false);
        cr_assert(!d.res.findings.items[0].suppressed, "%s", text);
        cr_assert_eq(d.res.diags.len, 1, "%s", text);
        cr_assert_eq(d.res.diags.items[0].line, 2);
        cr_assert_eq(d.res.diags.items[0].kind, LL_DIAG_WARNING);
        cr_assert(strstr(d.res.diags.items[0].message, "malformed suppression comment") != NULL,
                  "%s", d.res.diags.items[0].message);
        doc_close(&d);
    }
    /* prose that merely mentions loadlint is not a directive */
    SDoc d;
    doc_open(&d, "x = 1  # loadlint is run in CI\n");
    apply(&d, true, true);
    cr_assert_eq(d.res.diags.len, 0);
    doc_close(&d);
}

Test(suppress, already_suppressed_and_no_comments)
{
    SDoc d;
    doc_open(&d, "import pickle\npickle.loads(b)\n");
    add(&d, "LL101", 2, 1, 2, 16);
    cr_assert_eq(apply(&d, true, true), 0);
    cr_assert(!d.res.findings.items[0].suppressed);
    d.res.findings.items[0].suppressed = true;
    cr_assert_eq(apply(&d, true, true), 0);
    cr_assert(d.res.findings.items[0].suppressed);
    doc_close(&d);
}

/* ---- with the real pipeline ---------------------------------------------------------------- */

Test(suppress, findings_from_ll_run)
{
    const char *text = "import pickle, torch\n"
                       "a = pickle.loads(\n"
                       "    data,\n"
                       ")  # loadlint: ignore[LL101]\n"
                       "b = torch.load(path)  # nosec B614\n"
                       "c = pickle.loads(other)\n"
                       "d = torch.load(\n"
                       "    path,  # loadlint: ignore[LL201]\n"
                       ")\n";
    char path[] = "/tmp/loadlint-suppress-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);

    SDoc d;
    doc_open(&d, text);
    LLFileList files = {0};
    ll_file_list_add(&files, path, "x.py");
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 1;
    LLRunResult run;
    ll_run(d.rules, &d.syn, &files, &ro, &run);
    /* move the run's findings into the file result suppress works on */
    d.res.findings.items = run.findings.items;
    d.res.findings.len = run.findings.len;
    d.res.findings.cap = run.findings.cap;
    run.findings.items = NULL;
    run.findings.len = run.findings.cap = 0;
    cr_assert_eq(d.res.findings.len, 4, "expected 4 findings, got %zu", d.res.findings.len);
    /* ll_run applies the suppressions itself (run.c, after matching) */
    size_t suppressed = 0;
    for (size_t i = 0; i < d.res.findings.len; i++)
        suppressed += d.res.findings.items[i].suppressed;
    cr_assert_eq(suppressed, 3);
    cr_assert_eq(run.diags.len, 0);
    for (size_t i = 0; i < d.res.findings.len; i++) {
        const LLFinding *f = &d.res.findings.items[i];
        cr_assert_eq(f->suppressed, f->span.line != 6, "line %u", f->span.line);
    }
    ll_run_result_release(&run);
    ll_file_list_release(&files);
    unlink(path);
    doc_close(&d);
}

static bool all_but_ll201(void *ctx, const LLRule *rule)
{
    (*(int *)ctx)++;
    return strcmp(rule->code, "LL201") != 0;
}

Test(suppress, unused_asks_the_caller_which_rules_are_enabled)
{
    /* per-file-ignores disable LL201 for this file: its ignore is not unused */
    SDoc d;
    doc_open(&d, "x = 1  # loadlint: ignore[LL201]\ny = 2  # loadlint: ignore[LL202]\n");
    int calls = 0;
    LLSuppressOptions o;
    ll_suppress_options_default(&o);
    o.report_unused = true;
    o.rule_enabled = all_but_ll201;
    o.rule_enabled_ctx = &calls;
    ll_suppress_apply(&d.syn, &d.src, ts_tree_root_node(d.tree), d.rules, 7, &o, &d.res);
    cr_assert_gt(calls, 0);
    cr_assert_eq(d.res.diags.len, 1);
    cr_assert_eq(d.res.diags.items[0].line, 2);
    cr_assert_eq(d.res.diags.items[0].file, 7);
    cr_assert_str_eq(d.res.diags.items[0].message, "unused suppression: ignore[LL202] matches no finding");
    doc_close(&d);
}

Test(suppress, needed_is_a_cheap_prefilter)
{
    LLSuppressOptions o;
    ll_suppress_options_default(&o);
    const char *plain = "import pickle\npickle.loads(b)\n";
    cr_assert(!ll_suppress_needed(plain, strlen(plain), 1, &o));
    const char *ours = "x = 1  # LoadLint: ignore\n";
    cr_assert(ll_suppress_needed(ours, strlen(ours), 0, &o));
    const char *theirs = "pickle.loads(b)  # NOQA\n";
    cr_assert(ll_suppress_needed(theirs, strlen(theirs), 1, &o));
    cr_assert(!ll_suppress_needed(theirs, strlen(theirs), 0, &o), "no findings: nothing to do");
    cr_assert(ll_suppress_needed(theirs, strlen(theirs), 1, NULL));
    o.honor_foreign = false;
    cr_assert(!ll_suppress_needed(theirs, strlen(theirs), 1, &o));
}
