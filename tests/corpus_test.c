/* corpus_test.c - every fixture in tests/corpus against its annotations.
 *
 * Annotations (docs/rule-format.md) are comments on their own line that
 * apply to the next line that is neither blank nor a comment:
 *   # expect: LL101[:severity], ...   must be reported there
 *   # expect: LL101:round-trip       must be found there and withheld as a
 *                                     round trip (also :duplicate)
 *   # ok: LL101, ...                  must not be
 *   # todo-expect: / # todo-ok:       known gaps: listed, not failing
 * All built-in rules run over every fixture; a finding with no matching
 * `expect` is a false positive. Misses and false positives are listed
 * separately, then the test fails if either list is non-empty. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "engine/discover.h"
#include "engine/run.h"
#include "engine/syntax.h"
#include "fixtures.h"
#include "rules/ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_NOTES = 4096 };

typedef enum { A_EXPECT, A_OK, A_TODO_EXPECT, A_TODO_OK } AKind;

typedef struct Note {
    AKind kind;
    unsigned line;
    char code[16];
    int severity; /* -1: any */
    int suppression; /* LLSuppression expected; -1: shown (or by a comment) */
} Note;

typedef struct Notes {
    Note items[MAX_NOTES];
    size_t n;
} Notes;

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static void parse_codes(Notes *notes, AKind kind, const char *s, Note *pending,
                        size_t *npending)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok = (char *)skip_ws(tok);
        size_t n = strlen(tok);
        while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\n' || tok[n - 1] == '\r'))
            tok[--n] = '\0';
        if (!n)
            continue;
        Note nt = {kind, 0, "", -1, -1};
        char *colon = strchr(tok, ':');
        if (colon) {
            *colon = '\0';
            LLSeverity sev;
            if (strcmp(colon + 1, "round-trip") == 0) {
                nt.suppression = LL_SUPP_ROUND_TRIP;
            } else if (strcmp(colon + 1, "duplicate") == 0) {
                nt.suppression = LL_SUPP_DUPLICATE;
            } else {
                cr_assert(ll_severity_parse(colon + 1, &sev), "bad severity '%s'", colon + 1);
                nt.severity = (int)sev;
            }
        }
        snprintf(nt.code, sizeof nt.code, "%s", tok);
        if (*npending < 64)
            pending[(*npending)++] = nt;
    }
    (void)notes;
}

static void read_notes(const char *path, Notes *notes)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[4096];
    unsigned lineno = 0;
    Note pending[64];
    size_t npending = 0;
    static const struct {
        const char *prefix;
        AKind kind;
    } kinds[] = {{"# expect:", A_EXPECT},
                 {"# ok:", A_OK},
                 {"# todo-expect:", A_TODO_EXPECT},
                 {"# todo-ok:", A_TODO_OK}};
    while (fgets(line, sizeof line, f)) {
        lineno++;
        const char *s = skip_ws(line);
        if (*s == '#') {
            for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
                size_t n = strlen(kinds[k].prefix);
                if (strncmp(s, kinds[k].prefix, n) == 0)
                    parse_codes(notes, kinds[k].kind, s + n, pending, &npending);
            }
            continue;
        }
        if (*s == '\n' || *s == '\r' || *s == '\0')
            continue;
        for (size_t i = 0; i < npending && notes->n < MAX_NOTES; i++) {
            pending[i].line = lineno;
            notes->items[notes->n++] = pending[i];
        }
        npending = 0;
    }
    fclose(f);
    cr_assert_eq(npending, 0, "%s: annotations at the end of the file apply to no line", path);
}

typedef struct Scan {
    LLRuleset *rules;
    LLSyntax syn;
    LLFileList files;
    LLRunResult run;
} Scan;

static void scan(Scan *s, const char *path)
{
    memset(s, 0, sizeof *s);
    LLError err;
    s->rules = ll_ruleset_new();
    cr_assert_eq(ll_ruleset_add_builtin(s->rules, &err), LL_OK, "%s:%u: %s", err.file, err.line, err.msg);
    ll_ruleset_finish(s->rules);
    cr_assert_eq(ll_syntax_init(&s->syn, ll_syntax_python()), 0);
    const char *paths[] = {path};
    ll_discover(paths, 1, &s->files);
    cr_assert_eq(s->files.errors.len, 0);
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 1;
    ll_run(s->rules, &s->syn, &s->files, &ro, &s->run);
}

static void scan_release(Scan *s)
{
    ll_run_result_release(&s->run);
    ll_file_list_release(&s->files);
    ll_syntax_release(&s->syn);
    ll_ruleset_free(s->rules);
}

static bool expected(const Notes *notes, unsigned line, const char *code, AKind kind)
{
    for (size_t i = 0; i < notes->n; i++)
        if (notes->items[i].kind == kind && notes->items[i].line == line &&
            strcmp(notes->items[i].code, code) == 0)
            return true;
    return false;
}

static void check_fixture(const char *path)
{
    const char *base = strrchr(path, '/');
    if (base && strcmp(base + 1, "__init__.py") == 0)
        return; /* package marker, checked with its modules */
    static Notes notes;
    memset(&notes, 0, sizeof notes);
    read_notes(path, &notes);
    /* A fixture inside a package is scanned with its package, so that
     * imports between its modules resolve; only its own findings count. */
    char dir[1024], init[1100];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    snprintf(init, sizeof init, "%s/__init__.py", dir);
    FILE *pkg = fopen(init, "r");
    if (pkg)
        fclose(pkg);
    Scan s;
    scan(&s, pkg ? dir : path);
    size_t expects = 0, oks = 0, misses = 0, noisy = 0;
    char report[16384] = "";
    size_t rl = 0;
    for (size_t i = 0; i < notes.n; i++) {
        const Note *n = &notes.items[i];
        expects += n->kind == A_EXPECT;
        oks += n->kind == A_OK;
        if (n->kind != A_EXPECT && n->kind != A_TODO_EXPECT)
            continue;
        bool found = false, sev_ok = false;
        const char *got_sev = "";
        for (size_t k = 0; k < s.run.findings.len; k++) {
            const LLFinding *f = &s.run.findings.items[k];
            if (strcmp(s.files.files.items[f->file].path, path) != 0)
                continue;
            if (f->span.line == n->line && strcmp(s.rules->rules[f->rule].code, n->code) == 0) {
                found = true;
                bool shown = f->suppressed == LL_SUPP_NONE || f->suppressed == LL_SUPP_COMMENT;
                got_sev = !shown ? "withheld (round trip or duplicate)" : ll_severity_name(f->severity);
                sev_ok |= n->suppression >= 0 ? f->suppressed == n->suppression
                                              : shown && (n->severity < 0 || (int)f->severity == n->severity);
            }
        }
        if (n->kind == A_TODO_EXPECT) {
            if (found)
                cr_log_info("%s:%u: todo-expect %s is now reported; make it an expect", path, n->line, n->code);
            continue;
        }
        if (!found || !sev_ok) {
            misses++;
            rl += (size_t)snprintf(report + rl, sizeof report - rl < 1 ? 1 : sizeof report - rl,
                                   "  MISS  %s:%u: %s%s%s%s\n", path, n->line, n->code,
                                   found ? " reported as " : "", got_sev,
                                   found ? " (wrong severity)" : " not reported");
        }
    }
    for (size_t k = 0; k < s.run.findings.len; k++) {
        const LLFinding *f = &s.run.findings.items[k];
        const char *code = s.rules->rules[f->rule].code;
        if (strcmp(s.files.files.items[f->file].path, path) != 0)
            continue;
        if (expected(&notes, f->span.line, code, A_EXPECT))
            continue;
        if (expected(&notes, f->span.line, code, A_TODO_OK)) {
            cr_log_info("%s:%u: known false positive %s (todo-ok)", path, f->span.line, code);
            continue;
        }
        noisy++;
        if (rl < sizeof report)
            rl += (size_t)snprintf(report + rl, sizeof report - rl,
                                   "  NOISY %s:%u:%u: %s %s: %s\n", path, f->span.line, f->span.col,
                                   code, ll_severity_name(f->severity), f->message);
    }
    scan_release(&s);
    /* a supporting module of a package fixture may carry no annotation */
    if (!pkg || notes.n) {
        cr_expect_gt(expects, 0, "%s: a fixture needs at least one '# expect:' line", path);
        cr_expect_gt(oks, 0, "%s: a fixture needs at least one '# ok:' line", path);
    }
    cr_assert(misses == 0 && noisy == 0, "%s: %zu missed (false negatives), %zu noisy (false positives)\n%s",
              path, misses, noisy, report);
}

/* Parameters are indexes, not pointers: Criterion may run each test in a
 * freshly executed process, where addresses differ. */
static size_t fixture_indexes[1024];

ParameterizedTestParameters(corpus, fixture)
{
    size_t n = 0;
    while (ll_fixtures[n] && n < 1024) {
        fixture_indexes[n] = n;
        n++;
    }
    return cr_make_param_array(size_t, fixture_indexes, n);
}

ParameterizedTest(size_t *index, corpus, fixture) { check_fixture(ll_fixtures[*index]); }

/* One rule = its JSON, its fixture (same basename) and its docs page.
 * Model-file rules ("match": {"artifact": [...]}) have their fixtures in
 * tests/corpus/artifacts (expected.json), checked through the CLI by
 * tests/integration/artifacts.sh and tests/unit/test_art_analyzer.c. */
Test(corpus, every_rule_has_a_fixture_and_docs)
{
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(rs, &err), LL_OK, "%s:%u: %s", err.file, err.line, err.msg);
    ll_ruleset_finish(rs);
    for (size_t i = 0; ll_rule_files[i]; i++) {
        const char *json = ll_rule_files[i];
        const char *base = strrchr(json, '/') + 1;
        char stem[512], fixture[1024], docs[1024], code[32];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) - 5), base);
        snprintf(code, sizeof code, "%.*s", (int)strcspn(base, "-"), base);
        snprintf(fixture, sizeof fixture, "%s/tests/corpus/%s.py", LL_SOURCE_DIR, stem);
        snprintf(docs, sizeof docs, "%s/docs/rules/%s.md", LL_SOURCE_DIR, stem);
        const LLRule *rule = ll_ruleset_find(rs, code);
        FILE *f = rule && rule->artifacts.len ? NULL : fopen(fixture, "r");
        if (!rule || !rule->artifacts.len)
            cr_expect_not_null(f, "rule %s has no fixture %s", json, fixture);
        if (f)
            fclose(f);
        f = fopen(docs, "r");
        cr_expect_not_null(f, "rule %s has no docs page %s", json, docs);
        if (f)
            fclose(f);
    }
    ll_ruleset_free(rs);
}

/* The whole corpus in one run, as `loadlint tests/corpus` sees it: the
 * number of findings equals the number of expect annotations. */
Test(corpus, whole_directory_matches_annotations)
{
    static Notes notes;
    size_t expects = 0, todo_ok = 0;
    for (size_t i = 0; ll_fixtures[i]; i++) {
        memset(&notes, 0, sizeof notes);
        read_notes(ll_fixtures[i], &notes);
        for (size_t k = 0; k < notes.n; k++) {
            expects += notes.items[k].kind == A_EXPECT;
            todo_ok += notes.items[k].kind == A_TODO_OK;
        }
    }
    Scan s;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/corpus", LL_SOURCE_DIR);
    scan(&s, dir);
    size_t fixtures = 0;
    while (ll_fixtures[fixtures])
        fixtures++;
    /* the walk lists the dependency files of the version fixtures too
     * (tests/corpus/deps, tests/corpus/versions); their findings (the
     * dependency lines the code reaches) are tests/integration/versions.sh's */
    size_t python = 0, in_python = 0;
    for (size_t i = 0; i < s.files.files.len; i++)
        python += s.files.files.items[i].kind == LL_ENTRY_PYTHON;
    for (size_t i = 0; i < s.run.findings.len; i++)
        in_python += s.files.files.items[s.run.findings.items[i].file].kind == LL_ENTRY_PYTHON;
    cr_expect_eq(python, fixtures, "walked %zu Python files, have %zu fixtures", python, fixtures);
    cr_expect(in_python >= expects && in_python <= expects + todo_ok,
              "%zu findings for %zu expect annotations (%zu todo-ok)", in_python, expects, todo_ok);
    scan_release(&s);
}
