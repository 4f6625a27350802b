/* test_deps_parsers.c - every dependency-file reader of src/deps/ on good
 * and bad input: the statements read (name, versions, exactness, file,
 * line, column, text, marker, group) and each diagnostic's position.
 * Includes are served from memory (a test LLDepsReader). */
#include "deps/deps.h"

#include "base/buf.h"
#include "deps/constraint.h"

#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- an in-memory file system ------------------------------------------ */

typedef struct MemFile {
    const char *path, *text;
} MemFile;

static LLStatus mem_read(void *ctx, const char *path, size_t max, char **text, size_t *len, LLError *err)
{
    for (const MemFile *f = ctx; f->path; f++) {
        if (strcmp(f->path, path) == 0) {
            *len = strlen(f->text);
            if (*len > max)
                return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0, "too large");
            *text = strdup(f->text);
            return LL_OK;
        }
    }
    return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: No such file or directory");
}

static LLDepsReader mem(const MemFile *files)
{
    LLDepsReader r = {mem_read, (void *)files};
    return r;
}

/* ---- checks ------------------------------------------------------------ */

static const LLDep *dep(const LLDepList *l, size_t i, const char *name, unsigned line, unsigned col)
{
    cr_assert_lt(i, l->deps.len, "statement %zu of %zu (%s)", i, l->deps.len, name);
    const LLDep *d = &l->deps.items[i];
    cr_expect_str_eq(d->name, name, "statement %zu: %s, expected %s", i, d->name, name);
    cr_expect_eq(d->line, line, "%s: line %u, expected %u", name, d->line, line);
    cr_expect_eq(d->col, col, "%s: column %u, expected %u", name, d->col, col);
    return d;
}

static bool allows(const LLDep *d, const char *ver)
{
    LLVersion v;
    cr_assert(ll_version_from(ver, &v));
    return ll_verset_contains(&d->versions, &v);
}

static void set_is(const LLDep *d, const char *want)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_verset_format(&d->versions, &b);
    cr_expect_str_eq(b.data, want, "%s: %s, expected %s", d->name, b.data, want);
    ll_buf_release(&b);
}

static void diag(const LLDepList *l, size_t i, const char *file, unsigned line, unsigned col,
                 LLSeverity sev, const char *msg)
{
    cr_assert_lt(i, l->diags.len, "diagnostic %zu of %zu (%s)", i, l->diags.len, msg);
    const LLDepDiag *d = &l->diags.items[i];
    LLBuf b;
    ll_buf_init(&b);
    ll_depdiag_format(d, &b);
    cr_expect_str_eq(d->file, file, "%s", b.data);
    cr_expect_eq(d->line, line, "%s: line %u, expected %u", b.data, d->line, line);
    cr_expect_eq(d->col, col, "%s: column %u, expected %u", b.data, d->col, col);
    cr_expect_eq(d->severity, sev, "%s: severity", b.data);
    cr_expect(strstr(d->msg, msg), "\"%s\" lacks \"%s\"", b.data, msg);
    ll_buf_release(&b);
}

static void no_diags(const LLDepList *l)
{
    for (size_t i = 0; i < l->diags.len; i++) {
        LLBuf b;
        ll_buf_init(&b);
        ll_depdiag_format(&l->diags.items[i], &b);
        cr_expect_fail("unexpected diagnostic: %s", b.data);
        ll_buf_release(&b);
    }
}

/* ---- requirements.txt ---------------------------------------------------- */

Test(deps_parsers, requirements)
{
    static const MemFile files[] = {
        {"req/base.txt", "scipy==1.11.4\n"},
        {"req/constraints.txt", "torch<2.5\n"},
        {NULL, NULL},
    };
    LLDepsReader rd = mem(files);
    const char *text =
        "# comment\n"
        "torch==2.4.0  # pinned\n"
        "numpy>=1.16.3 ; python_version >= \"3.8\"\n"
        "PyYAML  >= 5.4 \\\n"
        "    , <7\n"
        "--index-url https://example.org/simple\n"
        "-e git+https://github.com/x/keras.git#egg=keras\n"
        "https://download.pytorch.org/whl/cu121/torch-2.4.0+cu121-cp311-cp311-linux_x86_64.whl\n"
        "./local/pkg\n"
        "requests[socks]==2.31.0 --hash=sha256:abc --hash sha256:def\n"
        "-r base.txt\n"
        "--constraint=constraints.txt\r\n"
        "\tdill\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_requirements(&l, "req/requirements.txt", text, strlen(text), &rd), LL_OK);
    const LLDep *d = dep(&l, 0, "torch", 2, 1);
    cr_expect(d->known);
    cr_expect_eq(d->source, LL_DEPSRC_DECLARED);
    cr_expect_str_eq(d->text, "==2.4.0");
    cr_expect_str_eq(d->file, "req/requirements.txt");
    set_is(d, "==2.4.0");
    d = dep(&l, 1, "numpy", 3, 1);
    cr_expect_str_eq(d->marker, "python_version >= \"3.8\"");
    cr_expect(!allows(d, "1.16.2"));
    d = dep(&l, 2, "pyyaml", 4, 1);
    set_is(d, ">=5.4, <7");
    d = dep(&l, 3, "keras", 7, 4);
    cr_expect(!d->known);
    cr_expect(ll_verset_is_all(&d->versions));
    d = dep(&l, 4, "torch", 8, 1);
    cr_expect(d->known);
    set_is(d, "==2.4.0+cu121");
    d = dep(&l, 5, "requests", 10, 1);
    cr_expect_str_eq(d->text, "==2.31.0");
    d = dep(&l, 6, "scipy", 1, 1);
    cr_expect_str_eq(d->file, "req/base.txt");
    d = dep(&l, 7, "torch", 1, 1);
    cr_expect_str_eq(d->file, "req/constraints.txt");
    cr_expect(d->constraint);
    cr_expect(!l.deps.items[0].constraint);
    d = dep(&l, 8, "dill", 13, 2);
    cr_expect_eq(l.deps.len, 9u);
    diag(&l, 0, "req/requirements.txt", 9, 1, LL_SEV_NOTE, "names no package");
    cr_expect_eq(l.diags.len, 1u);
    ll_deplist_free(&l);
}

Test(deps_parsers, requirements_errors)
{
    static const MemFile files[] = {
        {"a.txt", "-r b.txt\nnumpy\n"},
        {"b.txt", "pandas\n-r a.txt\n"},
        {NULL, NULL},
    };
    LLDepsReader rd = mem(files);
    const char *text = "torch>==2.4\n"
                       "--unknown-opt x\n"
                       "-r missing.txt\n"
                       "numpy >= 1.0 --foo\n"
                       "-r a.txt\n"
                       "keras==3.0 ; \n"
                       "torch==2.4 \\\n"
                       "  junk\n"
                       "-r\n"
                       "-r https://example.org/r.txt\n"
                       "ok-pkg\\\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_requirements(&l, "requirements.txt", text, strlen(text), &rd), LL_OK);
    diag(&l, 0, "requirements.txt", 1, 8, LL_SEV_ERROR, "a version starts with a number");
    diag(&l, 1, "requirements.txt", 2, 1, LL_SEV_ERROR, "unknown option --unknown-opt");
    diag(&l, 2, "requirements.txt", 3, 4, LL_SEV_ERROR, "cannot read the included file: missing.txt");
    diag(&l, 3, "requirements.txt", 4, 14, LL_SEV_ERROR, "unknown option --foo");
    diag(&l, 4, "b.txt", 2, 4, LL_SEV_ERROR, "include cycle: a.txt -> b.txt -> a.txt");
    diag(&l, 5, "requirements.txt", 6, 12, LL_SEV_ERROR, "expected an environment marker");
    diag(&l, 6, "requirements.txt", 7, 11, LL_SEV_ERROR, "unexpected ' '");
    diag(&l, 7, "requirements.txt", 9, 1, LL_SEV_ERROR, "needs a value");
    diag(&l, 8, "requirements.txt", 10, 4, LL_SEV_NOTE, "remote requirements file is not read");
    cr_expect_eq(l.diags.len, 9u);
    /* what is good is still read */
    dep(&l, 0, "numpy", 4, 1);
    dep(&l, 1, "pandas", 1, 1);
    dep(&l, 2, "numpy", 2, 1);
    dep(&l, 3, "ok-pkg", 11, 1);
    cr_expect_eq(l.deps.len, 4u);
    ll_deplist_free(&l);
}

Test(deps_parsers, requirements_include_limits)
{
    /* a chain of includes deeper than the limit */
    char names[40][24], texts[40][40];
    MemFile files[41];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "r%d.txt", i);
        snprintf(texts[i], sizeof texts[i], "-r r%d.txt\n", i + 1);
        files[i] = (MemFile){names[i], texts[i]};
    }
    files[40] = (MemFile){NULL, NULL};
    LLDepsReader rd = mem(files);
    LLDepList l;
    ll_deplist_init(&l);
    const char *text = "-r r0.txt\n";
    cr_assert_eq(ll_deps_parse_requirements(&l, "requirements.txt", text, strlen(text), &rd), LL_OK);
    cr_assert_eq(l.diags.len, 1u);
    cr_expect(strstr(l.diags.items[0].msg, "LL_DEPS_MAX_INCLUDE_DEPTH"), "%s", l.diags.items[0].msg);
    cr_expect_eq(l.diags.items[0].status, LL_ERR_LIMIT);
    ll_deplist_free(&l);
}

/* ---- pyproject.toml ------------------------------------------------------ */

Test(deps_parsers, pyproject)
{
    const char *text =
        "[project]\n"
        "name = \"x\"\n"
        "dependencies = [\n"
        "  \"torch>=2.0\",\n"
        "  'numpy (>=1.20) ; python_version>\"3.8\"',\n"
        "  \"torch >>2\",\n"
        "  42,\n"
        "]\n"
        "[project.optional-dependencies]\n"
        "gpu = [\"torch==2.4.0+cu121\"]\n"
        "[dependency-groups]\n"
        "dev = [\"pytest\", {include-group = \"gpu\"}]\n"
        "[tool.poetry.dependencies]\n"
        "python = \"^3.10\"\n"
        "torch = \"^2.1\"\n"
        "keras = {version = \"~3.5\", extras = [\"x\"]}\n"
        "tensorflow = [{version = \"2.15\", python = \"<3.12\"}, {version = \"^2.16\", python = \">=3.12\"}]\n"
        "mylib = {git = \"https://github.com/x/y.git\"}\n"
        "bad = \"^^1\"\n"
        "[tool.poetry.group.test.dependencies]\n"
        "pyyaml = \">=5.4\"\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_pyproject(&l, "pyproject.toml", text, strlen(text)), LL_OK);
    const LLDep *d = dep(&l, 0, "torch", 4, 4);
    set_is(d, ">=2.0");
    d = dep(&l, 1, "numpy", 5, 4);
    cr_expect_str_eq(d->marker, "python_version>\"3.8\"");
    d = dep(&l, 2, "torch", 10, 9);
    cr_expect_str_eq(d->group, "gpu");
    d = dep(&l, 3, "pytest", 12, 9);
    cr_expect_str_eq(d->group, "dev");
    d = dep(&l, 4, "torch", 15, 1);
    set_is(d, ">=2.1, <3");
    cr_expect_str_eq(d->text, "^2.1");
    cr_expect_null(d->group);
    d = dep(&l, 5, "keras", 16, 1);
    set_is(d, ">=3.5, <3.6");
    d = dep(&l, 6, "tensorflow", 17, 1);
    set_is(d, "==2.15 || >=2.16, <3");
    cr_expect_str_eq(d->marker, "(python <3.12) or (python >=3.12)");
    d = dep(&l, 7, "mylib", 18, 1);
    cr_expect(!d->known);
    d = dep(&l, 8, "pyyaml", 21, 1);
    cr_expect_str_eq(d->group, "test");
    cr_expect_eq(l.deps.len, 9u);
    diag(&l, 0, "pyproject.toml", 6, 11, LL_SEV_ERROR, "a version starts with a number");
    diag(&l, 1, "pyproject.toml", 7, 3, LL_SEV_ERROR, "expected a string");
    diag(&l, 2, "pyproject.toml", 19, 9, LL_SEV_ERROR, "a version starts with a number");
    cr_expect_eq(l.diags.len, 3u);
    ll_deplist_free(&l);
}

Test(deps_parsers, pyproject_broken)
{
    const char *text = "[project]\ndependencies = [\"torch\"\nname = 1\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_expect_eq(ll_deps_parse_pyproject(&l, "pyproject.toml", text, strlen(text)), LL_ERR_CONFIG);
    cr_expect_eq(l.deps.len, 0u);
    cr_assert_eq(l.diags.len, 1u);
    cr_expect_eq(l.diags.items[0].line, 2u, "%u: %s", l.diags.items[0].line, l.diags.items[0].msg);
    cr_expect_gt(l.diags.items[0].col, 0u);
    ll_deplist_free(&l);
    /* wrong types */
    text = "project = 3\n[tool.poetry]\ndependencies = [\"torch\"]\n";
    ll_deplist_init(&l);
    cr_expect_eq(ll_deps_parse_pyproject(&l, "p.toml", text, strlen(text)), LL_OK);
    diag(&l, 0, "p.toml", 1, 11, LL_SEV_ERROR, "expected a table");
    diag(&l, 1, "p.toml", 3, 16, LL_SEV_ERROR, "expected a table");
    ll_deplist_free(&l);
}

/* ---- lock files ---------------------------------------------------------- */

Test(deps_parsers, poetry_lock)
{
    const char *text = "[[package]]\n"
                       "name = \"torch\"\n"
                       "version = \"2.4.0\"\n"
                       "description = \"x\"\n"
                       "\n"
                       "[[package]]\n"
                       "name = \"numpy\"\n"
                       "version = \"1.x\"\n"
                       "\n"
                       "[[package]]\n"
                       "name = \"pyyaml\"\n"
                       "\n"
                       "[metadata]\n"
                       "lock-version = \"2.0\"\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_poetry_lock(&l, "poetry.lock", text, strlen(text)), LL_OK);
    const LLDep *d = dep(&l, 0, "torch", 2, 8);
    cr_expect_eq(d->source, LL_DEPSRC_LOCKED);
    cr_expect_eq(d->format, LL_DEPFMT_POETRY_LOCK);
    set_is(d, "===2.4.0");
    cr_expect_eq(l.deps.len, 1u);
    diag(&l, 0, "poetry.lock", 8, 11, LL_SEV_ERROR, "version \"1.x\" of numpy");
    diag(&l, 1, "poetry.lock", 10, 3, LL_SEV_ERROR, "missing key \"version\"");
    cr_expect_eq(l.diags.len, 2u);
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    text = "[[package]\nname = \"torch\"\n";
    cr_expect_eq(ll_deps_parse_poetry_lock(&l, "poetry.lock", text, strlen(text)), LL_ERR_CONFIG);
    cr_assert_eq(l.diags.len, 1u);
    cr_expect_eq(l.diags.items[0].line, 1u);
    ll_deplist_free(&l);
}

Test(deps_parsers, uv_lock)
{
    const char *text = "version = 1\n"
                       "[[package]]\n"
                       "name = \"torch\"\n"
                       "version = \"2.5.1\"\n"
                       "source = { registry = \"https://pypi.org/simple\" }\n"
                       "resolution-markers = [\"sys_platform == 'linux'\"]\n"
                       "[[package]]\n"
                       "name = \"torch\"\n"
                       "version = \"2.5.1+cpu\"\n"
                       "[[package]]\n"
                       "name = \"app\"\n"
                       "source = { editable = \".\" }\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_uv_lock(&l, "uv.lock", text, strlen(text)), LL_OK);
    no_diags(&l);
    dep(&l, 0, "torch", 3, 8);
    set_is(dep(&l, 1, "torch", 8, 8), "==2.5.1+cpu");
    const LLDep *d = dep(&l, 2, "app", 11, 8);
    cr_expect(!d->known);
    ll_deplist_free(&l);
}

Test(deps_parsers, pipfile_lock)
{
    const char *text = "{\n"
                       "  \"_meta\": {\"hash\": {}},\n"
                       "  \"default\": {\n"
                       "    \"torch\": {\"hashes\": [], \"version\": \"==2.4.0\"},\n"
                       "    \"mylib\": {\"git\": \"https://x\", \"ref\": \"abc\"},\n"
                       "    \"numpy\": {\"version\": \"==1.x\"}\n"
                       "  },\n"
                       "  \"develop\": {\n"
                       "    \"pyyaml\": {\"version\": \"==5.3.1\", \"markers\": \"python_version >= '3.6'\"}\n"
                       "  }\n"
                       "}\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_pipfile_lock(&l, "Pipfile.lock", text, strlen(text)), LL_OK);
    const LLDep *d = dep(&l, 0, "torch", 4, 40);
    cr_expect_eq(d->source, LL_DEPSRC_LOCKED);
    set_is(d, "==2.4.0");
    d = dep(&l, 1, "mylib", 5, 14);
    cr_expect(!d->known);
    d = dep(&l, 2, "pyyaml", 9, 27);
    cr_expect_str_eq(d->group, "develop");
    cr_expect_str_eq(d->marker, "python_version >= '3.6'");
    diag(&l, 0, "Pipfile.lock", 6, 26, LL_SEV_ERROR, "/default/numpy/version");
    cr_expect_eq(l.diags.len, 1u);
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    text = "{\"default\": {\"torch\": {\"version\": \"==2.4.0\"},}}";
    cr_expect_eq(ll_deps_parse_pipfile_lock(&l, "Pipfile.lock", text, strlen(text)), LL_ERR_CONFIG);
    cr_assert_eq(l.diags.len, 1u);
    cr_expect_eq(l.diags.items[0].line, 1u);
    cr_expect(strstr(l.diags.items[0].msg, "invalid JSON"));
    ll_deplist_free(&l);
}

/* ---- setup.cfg ----------------------------------------------------------- */

Test(deps_parsers, setupcfg)
{
    static const MemFile files[] = {{"pkg/requirements/base.txt", "numpy>=1.20\n"}, {NULL, NULL}};
    LLDepsReader rd = mem(files);
    const char *text = "[metadata]\n"
                       "name = x\n"
                       "\n"
                       "[options]\n"
                       "Install_Requires =\n"
                       "    torch>=2.0,<2.6\n"
                       "    # a comment\n"
                       "    pyyaml>=5.4  # inline\n"
                       "    keras ; python_version >= '3.9'\n"
                       "    torch >>2\n"
                       "python_requires = >=3.8\n"
                       "\n"
                       "[options.extras_require]\n"
                       "gpu = torch==2.4.0; cupy\n"
                       "files = file: requirements/base.txt\n"
                       "oneline = dill; python_version < '3.8'\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_setupcfg(&l, "pkg/setup.cfg", text, strlen(text), &rd), LL_OK);
    const LLDep *d = dep(&l, 0, "torch", 6, 5);
    set_is(d, ">=2.0, <2.6");
    dep(&l, 1, "pyyaml", 8, 5);
    d = dep(&l, 2, "keras", 9, 5);
    cr_expect_str_eq(d->marker, "python_version >= '3.9'");
    d = dep(&l, 3, "torch", 14, 7);
    cr_expect_str_eq(d->group, "gpu");
    d = dep(&l, 4, "cupy", 14, 21);
    d = dep(&l, 5, "numpy", 1, 1);
    cr_expect_str_eq(d->file, "pkg/requirements/base.txt");
    cr_expect_str_eq(d->group, "files");
    dep(&l, 6, "dill", 16, 11);
    cr_expect_eq(l.deps.len, 7u);
    diag(&l, 0, "pkg/setup.cfg", 10, 12, LL_SEV_ERROR, "a version starts with a number");
    diag(&l, 1, "pkg/setup.cfg", 16, 17, LL_SEV_WARNING, "splits a one-line value at ';'");
    cr_expect_eq(l.diags.len, 2u);
    ll_deplist_free(&l);

    text = "install_requires = torch\n[options]\njunk line\ninstall_requires = a\n[options]\n"
           "install_requires = b\n";
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_setupcfg(&l, "setup.cfg", text, strlen(text), &rd), LL_OK);
    diag(&l, 0, "setup.cfg", 1, 1, LL_SEV_ERROR, "an option before any [section]");
    diag(&l, 1, "setup.cfg", 3, 1, LL_SEV_ERROR, "expected a [section]");
    diag(&l, 2, "setup.cfg", 5, 1, LL_SEV_ERROR, "section [options] is already defined at line 2");
    diag(&l, 3, "setup.cfg", 6, 1, LL_SEV_ERROR, "already defined at line 4");
    ll_deplist_free(&l);
}

/* ---- environment.yml ----------------------------------------------------- */

Test(deps_parsers, conda_env)
{
    static const MemFile files[] = {{"env/requirements-pip.txt", "keras==3.4.1\n"}, {NULL, NULL}};
    LLDepsReader rd = mem(files);
    const char *text = "name: ml\n"
                       "channels:\n"
                       "  - pytorch\n"
                       "  - conda-forge\n"
                       "dependencies:\n"
                       "  - python=3.11\n"
                       "  - pytorch::pytorch=2.4.0=py3.11_cuda12.1_cudnn8_0\n"
                       "  - \"numpy>=1.24,<2\"\n"
                       "  - pyyaml 5.3.*\n"
                       "  - tensorflow=2.x\n"
                       "  - pip\n"
                       "  - pip:\n"
                       "      - torch==2.4.0\n"
                       "      - -r requirements-pip.txt\n"
                       "      - 'joblib >= 1.2'\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_conda_env(&l, "env/environment.yml", text, strlen(text), &rd), LL_OK);
    dep(&l, 0, "python", 6, 5);
    const LLDep *d = dep(&l, 1, "pytorch", 7, 5);
    cr_expect_eq(d->format, LL_DEPFMT_CONDA);
    set_is(d, "===2.4.0");
    d = dep(&l, 2, "numpy", 8, 6);
    set_is(d, ">=1.24, <2");
    d = dep(&l, 3, "pyyaml", 9, 5);
    set_is(d, "==5.3.*");
    dep(&l, 5, "pip", 11, 5);
    d = dep(&l, 6, "torch", 13, 9);
    set_is(d, "==2.4.0");
    d = dep(&l, 7, "keras", 1, 1);
    cr_expect_str_eq(d->file, "env/requirements-pip.txt");
    dep(&l, 8, "joblib", 15, 10);
    d = dep(&l, 4, "tensorflow", 10, 5);
    cr_expect(!d->known, "a conda version PEP 440 cannot read: versions unknown");
    cr_expect_str_eq(d->text, "=2.x");
    cr_expect_eq(l.deps.len, 9u);
    diag(&l, 0, "env/environment.yml", 10, 17, LL_SEV_NOTE, "not a PEP 440 version");
    cr_expect_eq(l.diags.len, 1u);
    ll_deplist_free(&l);
}

Test(deps_parsers, conda_env_errors)
{
    LLDepList l;
    ll_deplist_init(&l);
    const char *text = "dependencies:\n  - numpy\n  - [a, b\n";
    cr_expect_eq(ll_deps_parse_conda_env(&l, "environment.yml", text, strlen(text), NULL), LL_ERR_CONFIG);
    cr_expect_eq(l.deps.len, 0u, "a file that cannot be read whole gives no statement");
    cr_assert_eq(l.diags.len, 2u);
    diag(&l, 0, "environment.yml", 3, 5, LL_SEV_ERROR, "a list inside the list");
    cr_expect(strstr(l.diags.items[1].msg, "YAML:"), "%s", l.diags.items[1].msg);
    cr_expect_eq(l.diags.items[1].line, 4u);
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    text = "- numpy\n";
    cr_expect_eq(ll_deps_parse_conda_env(&l, "environment.yml", text, strlen(text), NULL), LL_OK);
    diag(&l, 0, "environment.yml", 1, 1, LL_SEV_ERROR, "an environment file is a mapping");
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    text = "dependencies: numpy\n";
    cr_expect_eq(ll_deps_parse_conda_env(&l, "environment.yml", text, strlen(text), NULL), LL_OK);
    diag(&l, 0, "environment.yml", 1, 15, LL_SEV_ERROR, "dependencies: expected a list");
    ll_deplist_free(&l);

    /* nesting past the limit stops the reader */
    LLBuf deep;
    ll_buf_init(&deep);
    ll_buf_puts(&deep, "dependencies: ");
    for (int i = 0; i < 100000; i++)
        ll_buf_putc(&deep, '[');
    ll_deplist_init(&l);
    cr_expect_eq(ll_deps_parse_conda_env(&l, "environment.yml", deep.data, deep.len, NULL), LL_ERR_LIMIT);
    cr_assert_geq(l.diags.len, 1u);
    cr_expect(strstr(l.diags.items[l.diags.len - 1].msg, "LL_DEPS_MAX_YAML_DEPTH"));
    ll_deplist_free(&l);
    ll_buf_release(&deep);

    ll_deplist_init(&l);
    text = "dependencies:\n  - numpy\n---\ndependencies:\n  - scipy\n";
    cr_expect_eq(ll_deps_parse_conda_env(&l, "environment.yml", text, strlen(text), NULL), LL_OK);
    cr_expect_eq(l.deps.len, 1u);
    diag(&l, 0, "environment.yml", 3, 1, LL_SEV_WARNING, "only the first YAML document");
    ll_deplist_free(&l);
}

/* ---- METADATA and installed environments --------------------------------- */

Test(deps_parsers, metadata)
{
    const char *text = "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3.1\nSummary: x\n\nName: other\n";
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_parse_metadata(&l, "site/PyYAML-5.3.1.dist-info/METADATA", text, strlen(text)), LL_OK);
    const LLDep *d = dep(&l, 0, "pyyaml", 3, 10);
    cr_expect_eq(d->source, LL_DEPSRC_INSTALLED);
    set_is(d, "===5.3.1");
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    text = "Name: torch\nVersion: 2.x\n";
    cr_expect_neq(ll_deps_parse_metadata(&l, "M", text, strlen(text)), LL_OK);
    diag(&l, 0, "M", 2, 11, LL_SEV_ERROR, "Version: unexpected '.'");
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    text = "Version: 1.0\n\nName: x\n";
    cr_expect_neq(ll_deps_parse_metadata(&l, "M", text, strlen(text)), LL_OK);
    diag(&l, 0, "M", 0, 0, LL_SEV_ERROR, "no Name: header");
    ll_deplist_free(&l);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

Test(deps_parsers, installed)
{
    char root[] = "/tmp/ll-deps-venv-XXXXXX";
    cr_assert_not_null(mkdtemp(root));
    char p[512];
    snprintf(p, sizeof p, "%s/lib", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/python3.11", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/python3.11/site-packages", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/python3.11/site-packages/torch-2.4.0.dist-info", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/python3.11/site-packages/torch-2.4.0.dist-info/METADATA", root);
    write_file(p, "Metadata-Version: 2.1\nName: torch\nVersion: 2.4.0\n\nlong description\n");
    snprintf(p, sizeof p, "%s/lib/python3.11/site-packages/Keras-3.3.0.dist-info", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/python3.11/site-packages/numpy-1.16.0.egg-info", root);
    write_file(p, "Name: numpy\nVersion: 1.16.0\n");
    LLDepList l;
    ll_deplist_init(&l);
    cr_assert_eq(ll_deps_read_installed(&l, root, NULL), LL_OK);
    cr_assert_eq(l.deps.len, 3u);
    cr_expect_str_eq(l.deps.items[0].name, "keras");
    cr_expect_eq(l.deps.items[0].source, LL_DEPSRC_INSTALLED);
    cr_expect_str_eq(l.deps.items[1].name, "numpy");
    cr_expect_str_eq(l.deps.items[2].name, "torch");
    cr_assert_eq(l.diags.len, 1u);
    cr_expect(strstr(l.diags.items[0].msg, "taken from the directory name"), "%s", l.diags.items[0].msg);
    ll_deplist_free(&l);

    ll_deplist_init(&l);
    snprintf(p, sizeof p, "%s/lib", root);
    cr_expect_eq(ll_deps_read_installed(&l, p, NULL), LL_ERR_IO);
    cr_expect(strstr(l.diags.items[0].msg, "no installed distribution"));
    ll_deplist_free(&l);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_expect_eq(system(cmd), 0);
}

/* ---- file kinds ---------------------------------------------------------- */

Test(deps_parsers, formats)
{
    LLDepFormat f;
    cr_expect(ll_deps_format_of("requirements.txt", &f) && f == LL_DEPFMT_REQUIREMENTS);
    cr_expect(ll_deps_format_of("requirements-dev.txt", &f) && f == LL_DEPFMT_REQUIREMENTS);
    cr_expect(ll_deps_format_of("requirements_gpu.txt", &f) && f == LL_DEPFMT_REQUIREMENTS);
    cr_expect(!ll_deps_format_of("requirements.in", &f));
    cr_expect(!ll_deps_format_of("my-requirements.txt", &f));
    cr_expect(ll_deps_format_of("environment.yaml", &f) && f == LL_DEPFMT_CONDA);
    cr_expect(ll_deps_format_of("Pipfile.lock", &f) && f == LL_DEPFMT_PIPFILE_LOCK);
    cr_expect(!ll_deps_format_of("Pipfile", &f));
    LLDepList l;
    ll_deplist_init(&l);
    cr_expect_eq(ll_deps_parse_file(&l, "/nonexistent/requirements.txt", LL_DEPFMT_REQUIREMENTS, NULL),
                 LL_ERR_IO);
    diag(&l, 0, "/nonexistent/requirements.txt", 0, 0, LL_SEV_ERROR, "cannot open");
    ll_deplist_free(&l);
}
