/* engine/join.c: loader findings whose input is a literal path, joined with
 * the model files of the run (findings made by hand, as the data flow
 * fills LLFinding.input_literal; the model files scanned by the real
 * ll_run). */
#define _DEFAULT_SOURCE /* realpath, mkdtemp */
#include "base/mem.h"
#include "engine/analyzer.h"
#include "engine/discover.h"
#include "engine/join.h"
#include "engine/run.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* protocol 2: posix.system("id") */
static const char k_evil[] = "\x80\x02" "cposix\nsystem\n" "q\x00X\x02\x00\x00\x00id\x85R.";
/* protocol 2: {} */
static const char k_ok[] = "\x80\x02}q\x00.";
static const char k_lfs[] = "version https://git-lfs.github.com/spec/v1\n"
                            "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
                            "size 12345\n";

typedef struct Fixture {
    char root[PATH_MAX];
    char old_cwd[PATH_MAX];
    LLRuleset *rules;
    LLSyntax syn;
    LLFileList files;
    LLRunResult run;
    LLFinding *f; /* the run's findings, then the hand-made ones */
    size_t n, cap;
} Fixture;

static void put(const Fixture *fx, const char *rel, const void *data, size_t n)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", fx->root, rel);
    for (char *s = path + strlen(fx->root) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* A project: src/app.py, models/{evil.pt, ok.pkl, lfs.bin}, sub/weights/ok.pkl;
 * the run is made from the project root (the working directory). */
static void fixture_init(Fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    if (!ll_analyzer_artifact())
        cr_skip_test("built without the model-file readers (LOADLINT_SKIP_ARTIFACTS)");
    snprintf(fx->root, sizeof fx->root, "/tmp/ll_join_XXXXXX");
    cr_assert_not_null(mkdtemp(fx->root));
    char real[PATH_MAX];
    cr_assert_not_null(realpath(fx->root, real));
    snprintf(fx->root, sizeof fx->root, "%s", real);
    put(fx, "src/app.py", "import torch\n", 13);
    put(fx, "models/evil.pt", k_evil, sizeof k_evil - 1);
    put(fx, "models/ok.pkl", k_ok, sizeof k_ok - 1);
    put(fx, "models/lfs.bin", k_lfs, sizeof k_lfs - 1);
    put(fx, "models/notes.txt", "text\n", 5);
    put(fx, "sub/weights/ok.pkl", k_ok, sizeof k_ok - 1);
    cr_assert_not_null(getcwd(fx->old_cwd, sizeof fx->old_cwd));
    cr_assert_eq(chdir(fx->root), 0);
    fx->rules = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(fx->rules, &err), LL_OK);
    ll_ruleset_finish(fx->rules);
    cr_assert_eq(ll_syntax_init(&fx->syn, ll_syntax_python()), 0);
    const char *paths[] = {"."};
    LLDiscoverOptions o = {0};
    o.artifacts = true;
    cr_assert_eq(ll_discover_ex(paths, 1, &o, &fx->files, &err), LL_OK);
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 1;
    ll_run(fx->rules, &fx->syn, &fx->files, &ro, &fx->run);
    /* take the run's findings over */
    fx->cap = fx->run.findings.len + 16;
    fx->f = ll_xcalloc(fx->cap, sizeof *fx->f);
    memcpy(fx->f, fx->run.findings.items, fx->run.findings.len * sizeof *fx->f);
    fx->n = fx->run.findings.len;
    fx->run.findings.len = 0;
}

static void fixture_release(Fixture *fx)
{
    for (size_t i = 0; i < fx->n; i++)
        ll_finding_release(&fx->f[i]);
    free(fx->f);
    ll_run_result_release(&fx->run);
    ll_file_list_release(&fx->files);
    ll_syntax_release(&fx->syn);
    ll_ruleset_free(fx->rules);
    if (chdir(fx->old_cwd) != 0)
        cr_log_warn("cannot go back to %s", fx->old_cwd);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->root);
    cr_expect_eq(system(cmd), 0);
}

static uint32_t file_index(const Fixture *fx, const char *suffix)
{
    for (size_t i = 0; i < fx->files.files.len; i++) {
        const char *p = fx->files.files.items[i].path;
        size_t n = strlen(p), m = strlen(suffix);
        if (n >= m && strcmp(p + n - m, suffix) == 0)
            return (uint32_t)i;
    }
    cr_assert_fail("no file %s in the run", suffix);
    return 0;
}

/* A torch.load finding in src/app.py whose input is the literal `lit`. */
static LLFinding *loader(Fixture *fx, const char *lit, LLSeverity sev)
{
    cr_assert_lt(fx->n, fx->cap);
    LLFinding *f = &fx->f[fx->n++];
    memset(f, 0, sizeof *f);
    f->file = file_index(fx, "src/app.py");
    const LLRule *r = ll_ruleset_find(fx->rules, "LL201");
    cr_assert_not_null(r);
    f->rule = (uint32_t)(r - fx->rules->rules);
    f->span = (LLSpan){3, 5, 3, 30};
    f->severity = sev;
    f->provenance = LL_PROV_CONSTANT;
    f->message = ll_xstrdup("`torch.load` without weights_only=True unpickles the checkpoint");
    f->callee = ll_xstrdup("torch.load");
    f->input_literal = lit ? ll_xstrdup(lit) : NULL;
    return f;
}

Test(join, malicious_model_file_grades_up_and_names_the_finding)
{
    Fixture fx;
    fixture_init(&fx);
    size_t at = fx.n;
    loader(&fx, "models/evil.pt", LL_SEV_NOTE);
    cr_assert_eq(ll_join_artifacts(fx.rules, &fx.files, ll_analyzer_artifact(), fx.f, fx.n), 1);
    const LLFinding *f = &fx.f[at];
    cr_expect_eq(f->severity, LL_SEV_ERROR, "graded up to error");
    cr_expect(strstr(f->message, "unpickles the checkpoint; "), "%s", f->message);
    cr_expect(strstr(f->message, "models/evil.pt (relative to the project root) is malicious: posix.system "
                                 "(LL910 at "),
              "%s", f->message);
    cr_expect(strstr(f->message, "models/evil.pt:@2)"), "the run's finding's location: %s", f->message);
    cr_assert_eq(f->nsteps, 1, "a step at the model file");
    cr_expect_eq(f->steps[0].file, file_index(&fx, "models/evil.pt"));
    cr_expect(strstr(f->steps[0].message, "is malicious"), "%s", f->steps[0].message);
    fixture_release(&fx);
}

Test(join, clean_model_file_grades_down_relative_to_the_file)
{
    Fixture fx;
    fixture_init(&fx);
    size_t at = fx.n;
    /* from src/app.py: only the file's directory makes it exist */
    loader(&fx, "../models/ok.pkl", LL_SEV_WARNING);
    cr_assert_eq(ll_join_artifacts(fx.rules, &fx.files, ll_analyzer_artifact(), fx.f, fx.n), 1);
    const LLFinding *f = &fx.f[at];
    cr_expect_eq(f->severity, LL_SEV_NOTE, "one step down");
    cr_expect(strstr(f->message, "ok.pkl (relative to the file's directory) holds only allow-listed globals"),
              "%s", f->message);
    cr_expect_eq(f->nsteps, 1);
    fixture_release(&fx);
}

Test(join, lfs_pointer_is_not_clean_and_keeps_the_grade)
{
    Fixture fx;
    fixture_init(&fx);
    size_t at = fx.n;
    loader(&fx, "models/lfs.bin", LL_SEV_WARNING);
    cr_assert_eq(ll_join_artifacts(fx.rules, &fx.files, ll_analyzer_artifact(), fx.f, fx.n), 1);
    const LLFinding *f = &fx.f[at];
    cr_expect_eq(f->severity, LL_SEV_WARNING);
    cr_expect(strstr(f->message, "lfs.bin (relative to the project root) is a Git LFS pointer: the model itself "
                                 "was not scanned (LL924 at "),
              "%s", f->message);
    fixture_release(&fx);
}

Test(join, folders_absolute_paths_and_what_is_not_joined)
{
    Fixture fx;
    fixture_init(&fx);
    size_t at = fx.n;
    loader(&fx, "models", LL_SEV_NOTE);               /* the worst model file inside */
    loader(&fx, "sub/weights", LL_SEV_WARNING);       /* only a clean one */
    char abs[PATH_MAX + 32];
    snprintf(abs, sizeof abs, "%s/models/./evil.pt", fx.root);
    loader(&fx, abs, LL_SEV_NOTE);                    /* absolute, not normalised */
    loader(&fx, "models/missing.pt", LL_SEV_NOTE);    /* no such file */
    loader(&fx, "models/notes.txt", LL_SEV_NOTE);     /* not a model file */
    loader(&fx, "https://example.com/models/evil.pt", LL_SEV_NOTE);
    loader(&fx, NULL, LL_SEV_WARNING);                /* no literal */
    cr_assert_eq(ll_join_artifacts(fx.rules, &fx.files, ll_analyzer_artifact(), fx.f, fx.n), 3);
    cr_expect_eq(fx.f[at].severity, LL_SEV_ERROR);
    cr_expect(strstr(fx.f[at].message, "evil.pt (in the folder it names, relative to the project root) is malicious"),
              "%s", fx.f[at].message);
    cr_expect_eq(fx.f[at + 1].severity, LL_SEV_NOTE);
    cr_expect(strstr(fx.f[at + 1].message, "holds only allow-listed globals"), "%s", fx.f[at + 1].message);
    cr_expect_eq(fx.f[at + 2].severity, LL_SEV_ERROR);
    cr_expect(strstr(fx.f[at + 2].message, "(an absolute path) is malicious"), "%s", fx.f[at + 2].message);
    for (size_t k = 3; k < 7; k++) {
        cr_expect_eq(fx.f[at + k].nsteps, 0, "finding %zu is not joined", k);
        cr_expect_null(strchr(fx.f[at + k].message, ';'), "finding %zu: %s", k, fx.f[at + k].message);
    }
    fixture_release(&fx);
}

Test(join, nothing_without_the_model_file_analyzer)
{
    Fixture fx;
    fixture_init(&fx);
    size_t at = fx.n;
    loader(&fx, "models/evil.pt", LL_SEV_NOTE);
    cr_expect_eq(ll_join_artifacts(fx.rules, &fx.files, NULL, fx.f, fx.n), 0, "--no-artifacts");
    cr_expect_eq(fx.f[at].severity, LL_SEV_NOTE);
    cr_expect_eq(fx.f[at].nsteps, 0);
    /* and the binary findings themselves are never joined */
    for (size_t i = 0; i < at; i++)
        cr_expect_eq(fx.f[i].nsteps, 0);
    fixture_release(&fx);
}

Test(join, rules_ignored_for_the_model_file_still_judge_it)
{
    Fixture fx;
    fixture_init(&fx);
    /* drop the run's own findings on evil.pt (as --ignore LL910 would) */
    uint32_t evil = file_index(&fx, "models/evil.pt");
    size_t k = 0;
    for (size_t i = 0; i < fx.n; i++) {
        if (fx.f[i].file == evil) {
            ll_finding_release(&fx.f[i]);
            continue;
        }
        fx.f[k++] = fx.f[i];
    }
    fx.n = k;
    size_t at = fx.n;
    loader(&fx, "models/evil.pt", LL_SEV_NOTE);
    cr_assert_eq(ll_join_artifacts(fx.rules, &fx.files, ll_analyzer_artifact(), fx.f, fx.n), 1);
    cr_expect_eq(fx.f[at].severity, LL_SEV_ERROR);
    cr_expect(strstr(fx.f[at].message, "is malicious: posix.system (LL910 at "), "%s", fx.f[at].message);
    fixture_release(&fx);
}
