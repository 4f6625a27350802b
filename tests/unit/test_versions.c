/* test_versions.c - the run's versions (engine/versions.h): what fixes ask,
 * the dependency files a file's answers depend on and their digest (what a
 * result cache keys with), and the dependency analyzer claiming by name. */
#include "engine/versions.h"

#include "base/path.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Project {
    char dir[256];
    LLRuleset *rules;
    LLFileList files;
    LLVersions *v;
} Project;

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void open_project(Project *p, const char *requirements)
{
    memset(p, 0, sizeof *p);
    snprintf(p->dir, sizeof p->dir, "/tmp/ll_versions_XXXXXX");
    cr_assert_not_null(mkdtemp(p->dir));
    char git[300];
    snprintf(git, sizeof git, "%s/.git", p->dir);
    cr_assert_eq(mkdir(git, 0700), 0);
    write_file(p->dir, "app.py", "import torch\n\n\ndef f(p):\n    return torch.load(p)\n");
    if (requirements)
        write_file(p->dir, "requirements.txt", requirements);
    p->rules = ll_ruleset_new();
    LLError err;
    cr_assert_eq(ll_ruleset_add_builtin(p->rules, &err), LL_OK);
    ll_ruleset_finish(p->rules);
    const char *paths[] = {p->dir};
    ll_discover(paths, 1, &p->files);
    p->v = ll_versions_new(p->rules, &p->files);
    cr_assert_not_null(p->v, "the built-in rules use versions");
}

static const LLFileEntry *entry(const Project *p, const char *base)
{
    for (size_t i = 0; i < p->files.files.len; i++)
        if (strcmp(ll_path_basename(p->files.files.items[i].path), base) == 0)
            return &p->files.files.items[i];
    cr_assert_fail("%s not listed", base);
    return NULL;
}

static void close_project(Project *p)
{
    ll_versions_free(p->v);
    ll_file_list_release(&p->files);
    ll_ruleset_free(p->rules);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p->dir);
    cr_assert_eq(system(cmd), 0);
}

Test(versions, fix_check_follows_the_pin)
{
    Project p;
    open_project(&p, "torch==1.12.1\n");
    const LLFileEntry *app = entry(&p, "app.py");
    cr_assert_eq(ll_versions_fix_check(p.v, app, "torch", ">=1.13"), LL_FIX_VERSIONS_NOT_ALL);
    cr_assert_eq(ll_versions_fix_check(p.v, app, "torch", ">=1.0"), LL_FIX_VERSIONS_ALL);
    cr_assert_eq(ll_versions_fix_check(p.v, app, "numpy", ">=1.0"), LL_FIX_VERSIONS_UNKNOWN);
    close_project(&p);
    open_project(&p, "torch>=1.10\n"); /* a range straddling 1.13: not every version has it */
    cr_assert_eq(ll_versions_fix_check(p.v, entry(&p, "app.py"), "torch", ">=1.13"), LL_FIX_VERSIONS_NOT_ALL);
    close_project(&p);
    open_project(&p, NULL); /* nothing says */
    cr_assert_eq(ll_versions_fix_check(p.v, entry(&p, "app.py"), "torch", ">=1.13"), LL_FIX_VERSIONS_UNKNOWN);
    close_project(&p);
}

Test(versions, files_and_digest)
{
    Project p;
    open_project(&p, "torch==2.4.0\n");
    const LLFileEntry *app = entry(&p, "app.py");
    const char *const *files;
    size_t n = ll_versions_files_for(p.v, app, &files);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(ll_path_basename(files[0]), "requirements.txt");
    uint64_t d1 = ll_versions_digest_for(p.v, app);
    cr_assert_neq(d1, 0);
    cr_assert_eq(ll_versions_digest_for(p.v, app), d1, "the same files: the same digest");
    write_file(p.dir, "requirements.txt", "torch==2.6.0\n");
    cr_assert_neq(ll_versions_digest_for(p.v, app), d1, "another pin: another digest");
    cr_assert(ll_versions_claims(p.v, entry(&p, "requirements.txt")), "requirements.txt is a dependency file");
    cr_assert_not(ll_versions_claims(p.v, app), "a Python file is not");
    cr_assert_eq(ll_versions_digest_for(NULL, app), 0);
    close_project(&p);
}
