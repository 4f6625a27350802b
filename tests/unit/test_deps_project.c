/* test_deps_project.c - resolution per directory (deps/project.h): every
 * fixture project of tests/corpus/deps (copied to a temporary directory,
 * each made a git root), the precedence rules one by one (assume,
 * installed, lock, nearest declaration, markers, conflicts, implied,
 * unknown statements), the project-root rule, the packages.json loader
 * and its errors, diagnostics, and concurrent queries from several
 * threads. */
#include "deps/packages.h"
#include "deps/project.h"

#include "base/buf.h"
#include "base/path.h"

#include <criterion/criterion.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers --------------------------------------------------------------- */

static char *tmpdir(void)
{
    char t[] = "/tmp/ll-deps-proj-XXXXXX";
    cr_assert_not_null(mkdtemp(t), "%s", strerror(errno));
    return strdup(t);
}

static void rmtree(const char *d)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    cr_expect_eq(system(cmd), 0);
}

/* Writes root/rel (creating its directories). */
static void put(const char *root, const char *rel, const char *text)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (char *s = p + strlen(root) + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s: %s", p, strerror(errno));
    fputs(text, f);
    fclose(f);
}

static LLPackages *builtin(void)
{
    LLPackages *p = ll_packages_new();
    LLError err;
    cr_assert_eq(ll_packages_add_builtin(p, &err), LL_OK, "%s:%u:%u: %s", err.file, err.line, err.col, err.msg);
    return p;
}

static LLDepsResolver *resolver(const LLPackages *pk, const LLDepsAssume *assume, size_t n, const char *installed)
{
    LLDepsOptions opt = {pk, assume, n, installed, NULL};
    LLDepsResolver *r = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(ll_deps_resolver_new(&r, &opt, &err), LL_OK, "%s:%u:%u: %s", err.file, err.line, err.col,
                 err.msg);
    return r;
}

/* The answer for `pkg` in file root/rel: its versions written out ("-"
 * when not known), its source, and origins[0] as "file-below-root:line:col". */
typedef struct Want {
    const char *versions;
    LLDepSource source;
    const char *origin;
    bool stated;
} Want;

static void expect(LLDepsResolver *r, const char *root, const char *rel, const char *pkg, Want w)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    LLDepsAnswer a;
    bool stated = ll_deps_lookup(r, p, pkg, &a);
    cr_expect_eq(stated, w.stated, "%s %s: stated %d", rel, pkg, stated);
    LLBuf b;
    ll_buf_init(&b);
    if (a.known)
        ll_verset_format(a.versions, &b);
    else
        ll_buf_puts(&b, "-");
    cr_expect_str_eq(b.data, w.versions, "%s %s: versions %s, expected %s", rel, pkg, b.data, w.versions);
    if (stated)
        cr_expect_eq(a.source, w.source, "%s %s: source %s, expected %s", rel, pkg, ll_deps_source_name(a.source),
                     ll_deps_source_name(w.source));
    if (w.origin) {
        cr_assert_gt(a.norigins, 0u, "%s %s: no origin", rel, pkg);
        const LLDep *o = a.origins[0];
        const char *below = ll_path_below(o->file, root);
        ll_buf_reset(&b);
        ll_buf_printf(&b, "%s:%u:%u", below ? below : o->file, o->line, o->col);
        cr_expect_str_eq(b.data, w.origin, "%s %s: origin %s, expected %s", rel, pkg, b.data, w.origin);
    }
    ll_buf_release(&b);
}

#define DECL LL_DEPSRC_DECLARED
#define LOCK LL_DEPSRC_LOCKED

/* ---- the fixture projects ---------------------------------------------------- */

Test(deps_project, fixtures)
{
    char *root = tmpdir();
    char cmd[2400];
    snprintf(cmd, sizeof cmd,
             "cp -r '%s/tests/corpus/deps/.' '%s/' && for d in '%s'/*/; do mkdir \"$d.git\"; done", LL_SOURCE_DIR,
             root, root);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    LLPackages *pk = builtin();
    LLDepsResolver *r = resolver(pk, NULL, 0, NULL);
    expect(r, root, "req-pinned-below/app.py", "torch", (Want){"==2.4.0", DECL, "req-pinned-below/requirements.txt:1:1", true});
    expect(r, root, "req-pinned-between/app.py", "torch", (Want){"==2.6.0", DECL, NULL, true});
    expect(r, root, "req-pinned-above/app.py", "torch", (Want){"==2.10.0", DECL, NULL, true});
    expect(r, root, "req-range-straddling/app.py", "torch", (Want){">=2.0", DECL, "req-range-straddling/requirements.txt:1:1", true});
    expect(r, root, "req-range-above/app.py", "torch", (Want){">=2.6, <3", DECL, NULL, true});
    expect(r, root, "req-unpinned/app.py", "torch", (Want){"any version", DECL, "req-unpinned/requirements.txt:1:1", true});
    expect(r, root, "no-file/app.py", "torch", (Want){"-", DECL, NULL, false});
    expect(r, root, "req-includes/app.py", "torch", (Want){">=2.0, <2.6", DECL, "req-includes/requirements/base.txt:1:1", true});
    expect(r, root, "req-wheel-url/app.py", "torch", (Want){"==2.5.1+cu121", DECL, NULL, true});
    expect(r, root, "req-git/app.py", "torch", (Want){"-", DECL, "req-git/requirements.txt:1:1", true});
    expect(r, root, "pyproject-pep621/app.py", "torch", (Want){">=2.6, <3", DECL, "pyproject-pep621/pyproject.toml:5:4", true});
    expect(r, root, "pyproject-poetry/app.py", "torch", (Want){">=2.4, <3", DECL, "pyproject-poetry/pyproject.toml:7:1", true});
    expect(r, root, "poetry-lock/app.py", "torch", (Want){"===2.5.1", LOCK, "poetry-lock/poetry.lock:4:8", true});
    expect(r, root, "uv-lock/app.py", "torch", (Want){"===2.7.1", LOCK, "uv-lock/uv.lock:11:8", true});
    expect(r, root, "uv-workspace/member/app.py", "torch", (Want){"===2.3.1", LOCK, "uv-workspace/uv.lock:9:8", true});
    expect(r, root, "pipfile-lock/app.py", "torch", (Want){"==2.3.1", LOCK, "pipfile-lock/Pipfile.lock:6:24", true});
    expect(r, root, "setupcfg/app.py", "torch", (Want){">=2.1, <2.5", DECL, "setupcfg/setup.cfg:6:5", true});
    expect(r, root, "conda-env/app.py", "torch", (Want){"==2.4.*", DECL, "conda-env/environment.yml:7:5", true});
    expect(r, root, "conda-env/app.py", "pytorch", (Want){"==2.4.*", DECL, NULL, true});
    expect(r, root, "conda-pip/app.py", "torch", (Want){"==2.7.1", DECL, "conda-pip/environment.yml:6:7", true});
    expect(r, root, "conflict/app.py", "torch", (Want){"==2.4.0 || ==2.6.0+cu124", DECL, "conflict/requirements-cpu.txt:1:1", true});
    expect(r, root, "nested/app.py", "torch", (Want){"==2.4.0", DECL, NULL, true});
    expect(r, root, "nested/service/worker.py", "torch", (Want){">=2.6", DECL, "nested/service/requirements.txt:1:1", true});
    expect(r, root, "broken-requirements/app.py", "torch", (Want){"-", DECL, NULL, false});
    expect(r, root, "broken-requirements/app.py", "numpy", (Want){">=1.26", DECL, NULL, true});
    expect(r, root, "broken-poetry-lock/app.py", "torch", (Want){">=2.6", DECL, "broken-poetry-lock/pyproject.toml:4:18", true});
    expect(r, root, "broken-environment/app.py", "torch", (Want){"-", DECL, NULL, false});
    expect(r, root, "keras-implied/app.py", "keras", (Want){">=3", LL_DEPSRC_IMPLIED, "keras-implied/requirements.txt:1:1", true});
    expect(r, root, "keras-implied/app.py", "torch", (Want){"-", DECL, NULL, false});

    LLDepsAnswer a;
    char p[1200];
    snprintf(p, sizeof p, "%s/conflict/app.py", root);
    cr_assert(ll_deps_lookup(r, p, "torch", &a));
    cr_expect(a.conflict);
    cr_expect_eq(a.norigins, 2u);
    snprintf(p, sizeof p, "%s/req-includes/app.py", root);
    cr_assert(ll_deps_lookup(r, p, "torch", &a));
    cr_assert_eq(a.norigins, 2u);
    cr_expect(a.origins[1]->constraint);
    snprintf(p, sizeof p, "%s/keras-implied/app.py", root);
    cr_assert(ll_deps_lookup(r, p, "Keras", &a));
    cr_expect_str_eq(a.implied_by, "tensorflow");
    cr_expect_str_eq(a.package, "keras");

    /* the broken files, and only they, have errors */
    LLDepList diags;
    ll_deplist_init(&diags);
    ll_deps_take_diagnostics(r, &diags);
    size_t errors = 0;
    bool req = false, lock = false, env = false;
    for (size_t i = 0; i < diags.diags.len; i++) {
        const LLDepDiag *d = &diags.diags.items[i];
        if (d->severity < LL_SEV_ERROR)
            continue;
        errors++;
        const char *below = ll_path_below(d->file, root);
        cr_assert_not_null(below, "%s", d->file);
        if (!strcmp(below, "broken-requirements/requirements.txt")) {
            req = true;
            cr_expect_eq(d->line, 2u);
            cr_expect_eq(d->col, 13u);
        } else if (!strcmp(below, "broken-poetry-lock/poetry.lock")) {
            lock = true;
            cr_expect_gt(d->line, 0u);
        } else if (!strcmp(below, "broken-environment/environment.yml")) {
            env = true;
            cr_expect_gt(d->line, 0u);
        } else {
            cr_expect_fail("unexpected error in %s:%u:%u: %s", below, d->line, d->col, d->msg);
        }
    }
    cr_expect(req && lock && env, "errors: requirements %d, poetry.lock %d, environment.yml %d", req, lock, env);
    cr_expect_geq(errors, 3u);
    ll_deplist_free(&diags);
    ll_deplist_init(&diags);
    ll_deps_take_diagnostics(r, &diags);
    cr_expect_eq(diags.diags.len, 0u, "diagnostics are handed out once");
    ll_deplist_free(&diags);

    /* the files a view reads, nearest first */
    snprintf(p, sizeof p, "%s/nested/service", root);
    const LLDepsView *v = ll_deps_for_dir(r, p);
    const char *const *files;
    size_t n = ll_deps_view_files(v, &files);
    cr_assert_eq(n, 2u);
    cr_expect(strstr(files[0], "nested/service/requirements.txt"));
    cr_expect(strstr(files[1], "nested/requirements.txt"));
    snprintf(p, sizeof p, "%s/nested", root);
    cr_expect_str_eq(ll_deps_view_root(v), p);
    /* a directory first met on the way up from another one */
    v = ll_deps_for_dir(r, p);
    n = ll_deps_view_files(v, &files);
    cr_assert_eq(n, 1u);
    cr_expect(strstr(files[0], "nested/requirements.txt"));

    /* one file's statements */
    snprintf(p, sizeof p, "%s/req-includes/requirements.txt", root);
    const LLDepList *l = ll_deps_file(r, p);
    cr_assert_not_null(l);
    cr_expect_eq(l->deps.len, 3u);
    snprintf(p, sizeof p, "%s/req-includes/app.py", root);
    cr_expect_null(ll_deps_file(r, p));

    ll_deps_resolver_free(r);
    ll_packages_free(pk);
    rmtree(root);
    free(root);
}

/* ---- precedence ---------------------------------------------------------------- */

Test(deps_project, lock_wins_over_declared)
{
    char *root = tmpdir();
    put(root, ".git/HEAD", "");
    put(root, "requirements.txt", "torch>=2.0\n");
    put(root, "pyproject.toml", "[project]\nname = \"a\"\ndependencies = [\"torch<2.9\"]\n");
    put(root, "uv.lock", "[[package]]\nname = \"torch\"\nversion = \"2.7.0\"\n");
    put(root, "sub/requirements.txt", "torch==2.2.0\n");
    LLDepsResolver *r = resolver(NULL, NULL, 0, NULL);
    /* a lock in the same directory, and a lock above a nearer declaration */
    expect(r, root, "a.py", "torch", (Want){"===2.7.0", LOCK, "uv.lock:2:8", true});
    expect(r, root, "sub/a.py", "torch", (Want){"===2.7.0", LOCK, "uv.lock:2:8", true});
    ll_deps_resolver_free(r);
    rmtree(root);
    free(root);
}

Test(deps_project, declarations)
{
    char *root = tmpdir();
    put(root, ".git/HEAD", "");
    /* same directory: intersected */
    put(root, "a/requirements.txt", "torch>=2.0\n");
    put(root, "a/pyproject.toml", "[project]\nname = \"a\"\ndependencies = [\"torch<2.6\"]\n");
    /* markers: united, then intersected with the rest */
    put(root, "b/requirements.txt",
        "torch==2.4.0 ; python_version < \"3.9\"\ntorch==2.6.0 ; python_version >= \"3.9\"\ntorch>=2.1\n");
    /* the nearest directory that states the package wins */
    put(root, "c/requirements.txt", "torch==2.4.0\nnumpy==1.16.0\n");
    put(root, "c/d/requirements.txt", "torch>=2.6\n");
    /* a statement without a version does not decide */
    put(root, "e/requirements.txt", "torch==2.5.0\n");
    put(root, "e/f/requirements.txt", "torch @ git+https://github.com/pytorch/pytorch\n");
    put(root, "g/requirements.txt", "-e git+https://github.com/x/torch.git#egg=torch\n");
    LLPackages *pk = builtin();
    LLDepsResolver *r = resolver(pk, NULL, 0, NULL);
    expect(r, root, "a/x.py", "torch", (Want){">=2.0, <2.6", DECL, NULL, true});
    expect(r, root, "b/x.py", "torch", (Want){"==2.4.0 || ==2.6.0", DECL, NULL, true});
    expect(r, root, "c/d/x.py", "torch", (Want){">=2.6", DECL, "c/d/requirements.txt:1:1", true});
    expect(r, root, "c/d/x.py", "numpy", (Want){"==1.16.0", DECL, "c/requirements.txt:2:1", true});
    expect(r, root, "e/f/x.py", "torch", (Want){"==2.5.0", DECL, "e/requirements.txt:1:1", true});
    expect(r, root, "g/x.py", "torch", (Want){"-", DECL, "g/requirements.txt:1:4", true});
    expect(r, root, "x.py", "torch", (Want){"-", DECL, NULL, false});
    ll_deps_resolver_free(r);
    ll_packages_free(pk);
    rmtree(root);
    free(root);
}

Test(deps_project, assume_and_installed)
{
    char *root = tmpdir();
    put(root, ".git/HEAD", "");
    put(root, "poetry.lock", "[[package]]\nname = \"torch\"\nversion = \"2.4.0\"\n"
                             "[[package]]\nname = \"pyyaml\"\nversion = \"5.3\"\n");
    put(root, "venv/lib/python3.12/site-packages/torch-2.6.0.dist-info/METADATA", "Name: torch\nVersion: 2.6.0\n");
    put(root, "venv/lib/python3.12/site-packages/numpy-1.16.2.dist-info/METADATA", "Name: numpy\nVersion: 1.16.2\n");
    char venv[1200];
    snprintf(venv, sizeof venv, "%s/venv", root);
    /* the installed environment wins over the lock */
    LLDepsResolver *r = resolver(NULL, NULL, 0, venv);
    expect(r, root, "x.py", "torch", (Want){"===2.6.0", LL_DEPSRC_INSTALLED, NULL, true});
    expect(r, root, "x.py", "numpy", (Want){"===1.16.2", LL_DEPSRC_INSTALLED, NULL, true});
    expect(r, root, "x.py", "pyyaml", (Want){"===5.3", LOCK, NULL, true});
    ll_deps_resolver_free(r);
    /* assume-versions win over everything */
    LLDepsAssume as[] = {{"torch", "2.10.0", "loadlint.toml", 3, 11}, {"PyYAML", ">=6", "loadlint.toml", 4, 11}};
    r = resolver(NULL, as, 2, venv);
    expect(r, root, "x.py", "torch", (Want){"==2.10.0", LL_DEPSRC_ASSUMED, "loadlint.toml:3:11", true});
    expect(r, root, "x.py", "pyyaml", (Want){">=6", LL_DEPSRC_ASSUMED, "loadlint.toml:4:11", true});
    ll_deps_resolver_free(r);
    /* errors */
    LLDepsAssume bad[] = {{"torch", "2.x", "loadlint.toml", 3, 11}};
    LLDepsOptions opt = {NULL, bad, 1, NULL, NULL};
    LLDepsResolver *none = (LLDepsResolver *)1;
    LLError err;
    memset(&err, 0, sizeof err);
    cr_expect_eq(ll_deps_resolver_new(&none, &opt, &err), LL_ERR_CONFIG);
    cr_expect_null(none);
    cr_expect_str_eq(err.file, "loadlint.toml");
    cr_expect_eq(err.line, 3u);
    cr_expect_eq(err.col, 12u, "%u", err.col);
    cr_expect(strstr(err.msg, "assume-versions: torch"), "%s", err.msg);
    LLDepsAssume bad2[] = {{"to rch", "2.1", "c.toml", 2, 1}};
    opt.assume = bad2;
    cr_expect_eq(ll_deps_resolver_new(&none, &opt, &err), LL_ERR_CONFIG);
    opt.assume = NULL;
    opt.nassume = 0;
    snprintf(venv, sizeof venv, "%s/nothing", root);
    opt.installed = venv;
    cr_expect_eq(ll_deps_resolver_new(&none, &opt, &err), LL_ERR_IO);
    cr_expect_null(none);
    rmtree(root);
    free(root);
}

Test(deps_project, project_root)
{
    char *root = tmpdir();
    /* no .git anywhere: the nearest pyproject.toml is the root */
    put(root, "requirements.txt", "torch==2.4.0\n");
    put(root, "proj/pyproject.toml", "[project]\nname = \"p\"\n");
    put(root, "proj/src/x.py", "");
    /* a .git below stops the walk there */
    put(root, "repo/.git", "gitdir: ../elsewhere\n");
    put(root, "repo/pkg/x.py", "");
    LLDepsResolver *r = resolver(NULL, NULL, 0, NULL);
    expect(r, root, "proj/src/x.py", "torch", (Want){"-", DECL, NULL, false});
    expect(r, root, "repo/pkg/x.py", "torch", (Want){"-", DECL, NULL, false});
    char p[1200];
    snprintf(p, sizeof p, "%s/proj/src", root);
    const LLDepsView *v = ll_deps_for_dir(r, p);
    snprintf(p, sizeof p, "%s/proj", root);
    cr_expect_str_eq(ll_deps_view_root(v), p);
    snprintf(p, sizeof p, "%s/repo/pkg", root);
    v = ll_deps_for_dir(r, p);
    snprintf(p, sizeof p, "%s/repo", root);
    cr_expect_str_eq(ll_deps_view_root(v), p);
    ll_deps_resolver_free(r);
    rmtree(root);
    free(root);
}

/* ---- packages.json -------------------------------------------------------------- */

static void pk_bad(const char *text, unsigned line, unsigned col, const char *msg)
{
    LLPackages *p = ll_packages_new();
    LLError err;
    memset(&err, 0, sizeof err);
    cr_expect_eq(ll_packages_add_text(p, "p.json", text, strlen(text), &err), LL_ERR_RULE, "%s", text);
    cr_expect_str_eq(err.file, "p.json");
    cr_expect_eq(err.line, line, "%s: line %u, expected %u (%s)", text, err.line, line, err.msg);
    cr_expect_eq(err.col, col, "%s: column %u, expected %u (%s)", text, err.col, col, err.msg);
    cr_expect(strstr(err.msg, msg), "\"%s\" lacks \"%s\"", err.msg, msg);
    cr_expect_null(ll_packages_alias(p, "a"), "nothing of a bad file is kept");
    ll_packages_free(p);
}

Test(deps_project, packages)
{
    LLPackages *p = builtin();
    LLBuf b;
    ll_buf_init(&b);
    ll_packages_canonical(p, "PyTorch", 7, &b);
    cr_expect_str_eq(b.data, "torch");
    ll_buf_reset(&b);
    ll_packages_canonical(p, "tensorflow_cpu", 14, &b);
    cr_expect_str_eq(b.data, "tensorflow");
    ll_buf_reset(&b);
    ll_packages_canonical(p, "PyYAML", 6, &b);
    cr_expect_str_eq(b.data, "pyyaml");
    ll_buf_release(&b);
    LLPkgImply im;
    cr_assert(ll_packages_imply_at(p, 0, &im));
    cr_expect_str_eq(im.package, "tensorflow");
    cr_expect_str_eq(im.brings, "keras");
    cr_expect_str_eq(im.brings_text, ">=3");
    const char *more = "{\"kind\": \"packages\", \"aliases\": {\"tf\": \"tensorflow-cpu\"}}";
    LLError err;
    cr_expect_eq(ll_packages_add_text(p, "more.json", more, strlen(more), &err), LL_ERR_RULE);
    cr_expect(strstr(err.msg, "itself an alias"), "%s", err.msg);
    more = "{\"kind\": \"packages\", \"aliases\": {\"pytorch\": \"torch\", \"my-torch\": \"torch\"}}";
    cr_expect_eq(ll_packages_add_text(p, "more.json", more, strlen(more), &err), LL_OK, "%s", err.msg);
    cr_expect_str_eq(ll_packages_alias(p, "my-torch"), "torch");
    ll_packages_free(p);

    pk_bad("{\"kind\": \"rule\"}", 1, 10, "must be \"packages\"");
    pk_bad("{\"kind\": \"packages\",\n \"aliasses\": {}}", 2, 14, "unknown key \"aliasses\"");
    pk_bad("{\"kind\": \"packages\",\n \"aliases\": {\"a\": \"b c\"}}", 2, 19, "is not a package name");
    pk_bad("{\"kind\": \"packages\",\n \"aliases\": {\"a\": \"b\", \"a\": \"c\"}}", 2, 29, "duplicate key");
    pk_bad("{\"kind\": \"packages\",\n \"aliases\": {\"a\": \"b\", \"b\": \"c\"}}", 2, 19, "itself an alias");
    pk_bad("{\"kind\": \"packages\",\n \"implies\": [{\"package\": \"a\", \"versions\": \">=x\",\n"
           " \"brings\": \"b\", \"brings_versions\": \">=1\"}]}",
           2, 43, "a version starts with a number");
    pk_bad("{\"kind\": \"packages\",\n \"implies\": [{\"package\": \"a\"}]}", 2, 14, "missing required key");
    pk_bad("{\"kind\": \"packages\", \"implies\": 3}", 1, 33, "must be an array");
    pk_bad("{\"kind\": \"packages\",", 1, 21, "invalid JSON");
}

/* ---- threads ---------------------------------------------------------------------- */

typedef struct Job {
    LLDepsResolver *r;
    const char *root;
    int seed;
    int mismatches;
} Job;

static void *worker(void *arg)
{
    Job *j = arg;
    char p[1200];
    for (int k = 0; k < 400; k++) {
        int i = (k * 7 + j->seed * 13) % 40;
        snprintf(p, sizeof p, "%s/p%d/sub/x.py", j->root, i);
        LLDepsAnswer a;
        if (!ll_deps_lookup(j->r, p, "torch", &a) || !a.known) {
            j->mismatches++;
            continue;
        }
        LLVersion v;
        char want[32];
        snprintf(want, sizeof want, "2.%d.0", i);
        ll_version_from(want, &v);
        if (!ll_verset_contains(a.versions, &v) || a.versions->len != 1)
            j->mismatches++;
    }
    return NULL;
}

Test(deps_project, threads)
{
    char *root = tmpdir();
    put(root, ".git/HEAD", "");
    char rel[64], text[64];
    for (int i = 0; i < 40; i++) {
        snprintf(rel, sizeof rel, "p%d/requirements.txt", i);
        snprintf(text, sizeof text, "torch==2.%d.0\n", i);
        put(root, rel, text);
        snprintf(rel, sizeof rel, "p%d/sub/x.py", i);
        put(root, rel, "");
    }
    LLDepsResolver *r = resolver(NULL, NULL, 0, NULL);
    pthread_t t[4];
    Job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (Job){r, root, i, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_expect_eq(jobs[i].mismatches, 0, "thread %d: %d wrong answers", i, jobs[i].mismatches);
    }
    ll_deps_resolver_free(r);
    rmtree(root);
    free(root);
}
