/* test_config.c - configuration files (config/config.h): TOML parsing with
 * tree-sitter-toml, every key, errors with their line and column, rule
 * selection, globs, paths and the per-directory cache. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "config/config.h"

#include "base/buf.h"
#include "base/limits.h"

#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static LLStatus parse(LLConfig *c, LLConfigKind kind, const char *text, bool *found, LLError *err)
{
    memset(err, 0, sizeof *err);
    return ll_config_parse(c, kind, kind == LL_CONFIG_PYPROJECT ? "pyproject.toml" : "loadlint.toml",
                           "/proj", text, strlen(text), found, err);
}

static void parse_ok(LLConfig *c, LLConfigKind kind, const char *text)
{
    bool found;
    LLError err;
    LLStatus st = parse(c, kind, text, &found, &err);
    cr_assert_eq(st, LL_OK, "unexpected error %s:%u:%u: %s", err.file, err.line, err.col, err.msg);
    cr_assert(found, "the configuration was not found");
}

/* Parses a bad configuration and checks the error's position and that the
 * message contains `msg`. */
static void parse_bad(LLConfigKind kind, const char *text, unsigned line, unsigned col, const char *msg)
{
    LLConfig c;
    bool found;
    LLError err;
    LLStatus st = parse(&c, kind, text, &found, &err);
    cr_assert_eq(st, LL_ERR_CONFIG, "no error for:\n%s", text);
    cr_expect_str_eq(err.file, kind == LL_CONFIG_PYPROJECT ? "pyproject.toml" : "loadlint.toml");
    cr_expect_eq(err.line, line, "line %u, expected %u (%s) for:\n%s", err.line, line, err.msg, text);
    cr_expect_eq(err.col, col, "column %u, expected %u (%s) for:\n%s", err.col, col, err.msg, text);
    cr_expect(strstr(err.msg, msg), "message \"%s\" lacks \"%s\"", err.msg, msg);
}

static void expect_list(const LLStrList *l, size_t n, const char *const *items)
{
    cr_assert_eq(l->len, n, "%zu items, expected %zu", l->len, n);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(l->items[i], items[i]);
}

Test(config, pyproject_every_key)
{
    LLConfig c;
    parse_ok(&c, LL_CONFIG_PYPROJECT,
             "[project]\n"
             "name = \"demo\"\n"
             "dependencies = [\"torch>=2\", {a = 1}]\n"
             "\n"
             "[tool.ruff]\n"
             "select = [\"E\", 1]  # other tools' keys are not ours\n"
             "\n"
             "[tool.loadlint]\n"
             "select = [\"LL1\", 'LL2']  # a comment\n"
             "ignore = [\n"
             "    \"LL101\",  # why\n"
             "    \"\"\"LL102\"\"\",\n"
             "    '''LL103''',\n"
             "]\n"
             "extend-select = [\"LL601\"]\n"
             "extend-ignore = []\n"
             "exclude = [\"./gen/\", \"build\"]\n"
             "extend-exclude = [\"*_pb2.py\"]\n"
             "min-severity = \"warning\"\n"
             "rules = [\"rules\", \"../shared/rules\"]\n"
             "respect-gitignore = false\n"
             "honor-noqa = false\n"
             "\n"
             "[tool.loadlint.per-file-ignores]\n"
             "\"tests/*\" = [\"LL1\", \"LL2\"]\n"
             "'__init__.py' = [\"ALL\"]\n"
             "\n"
             "[tool.other]\n"
             "x = 1\n");
    const char *sel[] = {"LL1", "LL2"}, *ign[] = {"LL101", "LL102", "LL103"}, *ext[] = {"LL601"};
    cr_expect(c.has_select);
    expect_list(&c.select, 2, sel);
    cr_expect(c.has_ignore);
    expect_list(&c.ignore, 3, ign);
    expect_list(&c.extend_select, 1, ext);
    cr_expect_eq(c.extend_ignore.len, 0);
    cr_assert(c.has_exclude);
    cr_assert_eq(c.exclude.len, 2);
    cr_expect_str_eq(c.exclude.items[0].pattern, "gen");
    cr_expect_str_eq(c.exclude.items[0].base, "/proj");
    cr_expect_str_eq(c.exclude.items[1].pattern, "build");
    cr_assert_eq(c.extend_exclude.len, 1);
    cr_expect_str_eq(c.extend_exclude.items[0].pattern, "*_pb2.py");
    cr_expect(c.has_min_severity);
    cr_expect_eq(c.min_severity, LL_SEV_WARNING);
    const char *rules[] = {"/proj/rules", "/shared/rules"};
    expect_list(&c.rules, 2, rules);
    cr_expect(c.has_respect_gitignore);
    cr_expect(!c.respect_gitignore);
    cr_expect(c.has_honor_noqa);
    cr_expect(!c.honor_noqa);
    cr_assert_eq(c.per_file_ignores.len, 2);
    cr_expect_str_eq(c.per_file_ignores.items[0].glob.pattern, "tests/*");
    const char *pfi0[] = {"LL1", "LL2"}, *pfi1[] = {"ALL"};
    expect_list(&c.per_file_ignores.items[0].codes, 2, pfi0);
    cr_expect_str_eq(c.per_file_ignores.items[1].glob.pattern, "__init__.py");
    expect_list(&c.per_file_ignores.items[1].codes, 1, pfi1);
    ll_config_release(&c);
}

Test(config, pyproject_without_table_is_not_found)
{
    LLConfig c;
    bool found = true;
    LLError err;
    cr_assert_eq(parse(&c, LL_CONFIG_PYPROJECT, "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 99\n",
                       &found, &err),
                 LL_OK);
    cr_expect(!found);
    cr_expect(!c.has_select);
    ll_config_release(&c);
    cr_assert_eq(parse(&c, LL_CONFIG_PYPROJECT, "", &found, &err), LL_OK);
    cr_expect(!found);
    ll_config_release(&c);
    /* an empty [tool.loadlint] counts */
    parse_ok(&c, LL_CONFIG_PYPROJECT, "[tool.loadlint]\n");
    ll_config_release(&c);
}

Test(config, dotted_keys_and_inline_tables)
{
    LLConfig c;
    /* (a table made by dotted keys, then defined by [tool], is not TOML:
     * that case moved to test_toml.c) */
    parse_ok(&c, LL_CONFIG_PYPROJECT,
             "tool.loadlint.select = [\"LL5\"]\n"
             "[tool.other]\n"
             "x = 1\n");
    cr_expect_str_eq(c.select.items[0], "LL5");
    ll_config_release(&c);
    parse_ok(&c, LL_CONFIG_PYPROJECT,
             "[tool]\n"
             "loadlint.ignore = [\"LL501\"]\n"
             "loadlint.per-file-ignores.\"a/*.py\" = [\"LL1\"]\n"
             "\"loadlint\".'extend-ignore' = [\"LL6\"]\n");
    cr_expect_str_eq(c.ignore.items[0], "LL501");
    cr_expect_str_eq(c.extend_ignore.items[0], "LL6");
    cr_assert_eq(c.per_file_ignores.len, 1);
    cr_expect_str_eq(c.per_file_ignores.items[0].glob.pattern, "a/*.py");
    ll_config_release(&c);

    parse_ok(&c, LL_CONFIG_PYPROJECT,
             "tool = { loadlint = { select = [\"LL2\"], per-file-ignores = { \"t\" = [\"LL201\"] } } }\n");
    cr_expect_str_eq(c.select.items[0], "LL2");
    cr_assert_eq(c.per_file_ignores.len, 1);
    cr_expect_str_eq(c.per_file_ignores.items[0].codes.items[0], "LL201");
    ll_config_release(&c);

    parse_ok(&c, LL_CONFIG_PYPROJECT, "[tool.loadlint]\nper-file-ignores = {\"x\" = [], 'y/**' = [\"LL3\"]}\n");
    cr_assert_eq(c.per_file_ignores.len, 2);
    cr_expect_eq(c.per_file_ignores.items[0].codes.len, 0);
    cr_expect_str_eq(c.per_file_ignores.items[1].glob.pattern, "y/**");
    ll_config_release(&c);
}

Test(config, strings_and_escapes)
{
    LLConfig c;
    parse_ok(&c, LL_CONFIG_LOADLINT,
             "exclude = [\n"
             "  \"a\\tb\\\"c\\\\d\\u00e9\\U0001F600\",\n"
             "  'C:\\raw\\path',\n"
             "  \"\"\"\n"
             "first\\\n"
             "     second\"\"\",\n"
             "  '''\n"
             "x\\y\n"
             "z''',\n"
             "]\n");
    cr_assert_eq(c.exclude.len, 4);
    cr_expect_str_eq(c.exclude.items[0].pattern, "a\tb\"c\\d\xc3\xa9\xf0\x9f\x98\x80");
    cr_expect_str_eq(c.exclude.items[1].pattern, "C:\\raw\\path");
    cr_expect_str_eq(c.exclude.items[2].pattern, "firstsecond");
    cr_expect_str_eq(c.exclude.items[3].pattern, "x\\y\nz");
    ll_config_release(&c);

    /* CRLF line ends, a BOM and quoted keys */
    parse_ok(&c, LL_CONFIG_LOADLINT, "\xEF\xBB\xBF\"select\" = [\"LL1\"]\r\n'honor-noqa' = true\r\n");
    cr_expect_str_eq(c.select.items[0], "LL1");
    cr_expect(c.has_honor_noqa && c.honor_noqa);
    ll_config_release(&c);
}

Test(config, loadlint_toml_top_level)
{
    LLConfig c;
    parse_ok(&c, LL_CONFIG_LOADLINT,
             "# loadlint.toml\n"
             "select = [\"ALL\"]\n"
             "min-severity = \"error\"\n"
             "[per-file-ignores]\n"
             "\"tests/**\" = [\"LL1\"]\n");
    cr_expect_str_eq(c.select.items[0], "ALL");
    cr_expect_eq(c.min_severity, LL_SEV_ERROR);
    cr_assert_eq(c.per_file_ignores.len, 1);
    ll_config_release(&c);
}

Test(config, syntax_errors_have_positions)
{
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint\nselect = []\n", 1, 15, "invalid TOML");
    /* an unclosed array: the parser stops at the next key, inside the array */
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = [\"LL1\"\nignore = []\n", 3, 1, "invalid TOML near 'ignore");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = [\"a\",,]\n", 2, 15, "invalid TOML");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\n  \xc3\xa9t\xc3\xa9 = 1\n", 2, 3, "unexpected");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = [\"\\q\"]\n", 2, 12, "invalid TOML");
    /* a syntax error anywhere in a pyproject.toml is an error */
    parse_bad(LL_CONFIG_PYPROJECT, "[project]\nname = \n[tool.loadlint]\n", 2, 1, "invalid TOML");
    /* columns count code points */
    parse_bad(LL_CONFIG_LOADLINT, "exclude = [\"\xc3\xa9\xc3\xa9\", x]\n", 1, 18, "invalid TOML");
    parse_bad(LL_CONFIG_LOADLINT, "select = [\"\xff\"]\n", 1, 12, "not valid UTF-8");
}

Test(config, bad_keys_and_values_have_positions)
{
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = [\"LL1\"]\n  colour = \"red\"\n", 3, 3,
              "unknown key \"colour\" in [tool.loadlint]");
    parse_bad(LL_CONFIG_LOADLINT, "\n\ncolour = 1\n", 3, 1, "unknown key \"colour\"");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint.colours]\n", 1, 16, "unknown key \"colours\"");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = \"LL1\"\n", 2, 10,
              "\"select\" must be an array of strings, not a string");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nignore = [\"LL1\", 3]\n", 2, 18,
              "this item is an integer");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nignore = [[\"LL1\"]]\n", 2, 11, "this item is an array");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = [\"LL 1\"]\n", 2, 11,
              "\"LL 1\" is not a rule code or prefix");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nmin-severity = \"info\"\n", 2, 16,
              "\"min-severity\" must be \"note\", \"warning\" or \"error\", not \"info\"");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nmin-severity = 2\n", 2, 16, "not an integer");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nrespect-gitignore = \"yes\"\n", 2, 21,
              "\"respect-gitignore\" must be true or false, not a string");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nhonor-noqa = 1.5\n", 2, 14, "not a float");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nexclude = [\"\"]\n", 2, 12, "empty string is not a glob");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = []\nselect = []\n", 3, 1, "duplicate key \"select\"");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\n[tool.loadlint]\n", 2, 2, "defined twice");
    parse_bad(LL_CONFIG_PYPROJECT, "[[tool.loadlint]]\n", 1, 3, "array of tables");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool]\nloadlint = 3\n", 2, 12, "must be a table, not an integer");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect.x = []\n", 2, 8, "\"select\" is not a table");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nper-file-ignores = []\n", 2, 20,
              "must be a table of glob = [codes], not an array");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nper-file-ignores = {a.py = [\"LL1\"]}\n", 2, 21,
              "quote it");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint.per-file-ignores]\n\"x\" = \"LL1\"\n", 2, 7,
              "must be an array of strings");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint.per-file-ignores]\nx = []\nx = []\n", 3, 1,
              "duplicate key \"x\" in per-file-ignores");
    parse_bad(LL_CONFIG_PYPROJECT,
              "[tool.loadlint]\nper-file-ignores = {}\n[tool.loadlint.per-file-ignores]\n", 3, 2,
              "defined twice");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint.per-file-ignores.x]\n", 1, 33, "not allowed");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nselect = [\"\\ud800\"]\n", 2, 12, "not a Unicode scalar value");
}

Test(config, size_limit)
{
    size_t n = LL_MAX_CONFIG_FILE_BYTES + 1;
    char *big = malloc(n + 1);
    memset(big, '#', n);
    big[n] = '\0';
    LLConfig c;
    bool found;
    LLError err;
    cr_expect_eq(ll_config_parse(&c, LL_CONFIG_LOADLINT, "big.toml", "/", big, n, &found, &err), LL_ERR_LIMIT);
    free(big);
}

/* ---- selection ------------------------------------------------------------ */

static LLStrList list_of(const char *csv)
{
    LLStrList l = {NULL, 0};
    ll_settings_split_list(&l, csv);
    return l;
}

static void free_list(LLStrList *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
}

Test(config, selection_specificity)
{
    LLSettings s;
    memset(&s, 0, sizeof s);
    /* default: ALL */
    cr_expect(ll_settings_selects(&s, "LL101"));
    s.ignore = list_of("LL1");
    cr_expect(!ll_settings_selects(&s, "LL101"));
    cr_expect(ll_settings_selects(&s, "LL201"));
    /* a more specific select beats a shorter ignore */
    s.select_set = true;
    s.select = list_of("LL101, LL5");
    cr_expect(ll_settings_selects(&s, "LL101"));
    cr_expect(!ll_settings_selects(&s, "LL102"));
    cr_expect(ll_settings_selects(&s, "LL501"));
    cr_expect(!ll_settings_selects(&s, "LL201"));
    /* ignore wins a tie */
    s.extend_ignore = list_of("LL101");
    cr_expect(!ll_settings_selects(&s, "LL101"));
    /* extend-select adds */
    s.extend_select = list_of("LL2");
    cr_expect(ll_settings_selects(&s, "LL201"));
    /* an empty select selects nothing */
    free_list(&s.select);
    s.select = list_of("");
    cr_expect(!ll_settings_selects(&s, "LL501"));
    free_list(&s.select);
    free_list(&s.ignore);
    free_list(&s.extend_ignore);
    free_list(&s.extend_select);
}

Test(config, per_file_ignores_and_globs)
{
    LLSettings s;
    memset(&s, 0, sizeof s);
    LLPerFileIgnore p = {{"tests/*", "/proj"}, list_of("LL1")};
    LLPerFileIgnore q = {{"__init__.py", "/proj"}, list_of("ALL")};
    LLPerFileIgnore items[] = {p, q};
    s.per_file_ignores.items = items;
    s.per_file_ignores.len = 2;
    cr_expect(!ll_settings_enables(&s, "LL101", "/proj/tests/a.py"));
    cr_expect(ll_settings_enables(&s, "LL201", "/proj/tests/a.py"));
    cr_expect(ll_settings_enables(&s, "LL101", "/proj/src/tests.py"));
    cr_expect(ll_settings_enables(&s, "LL101", "/other/tests/a.py"));
    cr_expect(!ll_settings_enables(&s, "LL501", "/proj/pkg/__init__.py"));
    cr_expect(ll_settings_enables(&s, "LL101", NULL));
    free_list(&p.codes);
    free_list(&q.codes);

    LLGlob g;
    g = (LLGlob){"build", "/proj"}; /* no '/': any component below the base */
    cr_expect(ll_settings_glob_matches(&g, "/proj/build/x.py"));
    cr_expect(ll_settings_glob_matches(&g, "/proj/a/build/x.py"));
    cr_expect(ll_settings_glob_matches(&g, "/proj/build"));
    cr_expect(!ll_settings_glob_matches(&g, "/proj/builder/x.py"));
    cr_expect(!ll_settings_glob_matches(&g, "/build/proj/x.py")); /* above the base: no */
    g = (LLGlob){"src/gen", "/proj"}; /* with '/': relative to the base, or a parent */
    cr_expect(ll_settings_glob_matches(&g, "/proj/src/gen"));
    cr_expect(ll_settings_glob_matches(&g, "/proj/src/gen/a/b.py"));
    cr_expect(!ll_settings_glob_matches(&g, "/proj/x/src/gen/b.py"));
    cr_expect(!ll_settings_glob_matches(&g, "/other/src/gen/b.py"));
    g = (LLGlob){"**/migrations/*.py", "/proj"};
    cr_expect(ll_settings_glob_matches(&g, "/proj/migrations/0001.py"));
    cr_expect(ll_settings_glob_matches(&g, "/proj/app/migrations/0001.py"));
    g = (LLGlob){"*.pyi", "/proj"};
    cr_expect(ll_settings_glob_matches(&g, "/proj/a/b.pyi"));
    cr_expect(!ll_settings_glob_matches(&g, "/proj/a/b.py"));
    g = (LLGlob){"/abs/dir", "/proj"};
    cr_expect(ll_settings_glob_matches(&g, "/abs/dir/x.py"));
    cr_expect(!ll_settings_glob_matches(&g, "/proj/abs/dir/x.py"));
}

Test(config, paths)
{
    char *p;
    p = ll_path_abs("/w", "a/./b/../c//d/");
    cr_expect_str_eq(p, "/w/a/c/d");
    free(p);
    p = ll_path_abs("/w", "../../..");
    cr_expect_str_eq(p, "/");
    free(p);
    p = ll_path_abs("/w", "/x/y");
    cr_expect_str_eq(p, "/x/y");
    free(p);
    p = ll_path_dirname("/a/b");
    cr_expect_str_eq(p, "/a");
    free(p);
    p = ll_path_dirname("/a");
    cr_expect_str_eq(p, "/");
    free(p);
    cr_expect_str_eq(ll_path_below("/a/b/c", "/a"), "b/c");
    cr_expect_str_eq(ll_path_below("/a", "/a"), "");
    cr_expect_str_eq(ll_path_below("/a/b", "/"), "a/b");
    cr_expect_null(ll_path_below("/ab/c", "/a"));
}

/* ---- the cache: discovery and precedence ---------------------------------- */

static char *temp_tree(void)
{
    char tmpl[] = "/tmp/ll-config-XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    char *real = realpath(tmpl, NULL);
    cr_assert_not_null(real);
    return real;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    LLBuf p;
    ll_buf_init(&p);
    ll_buf_printf(&p, "%s/%s", dir, name);
    FILE *f = fopen(p.data, "w");
    cr_assert_not_null(f, "%s", p.data);
    fputs(text, f);
    fclose(f);
    ll_buf_release(&p);
}

static char *sub(const char *dir, const char *name)
{
    LLBuf p;
    ll_buf_init(&p);
    ll_buf_printf(&p, "%s/%s", dir, name);
    mkdir(p.data, 0755);
    return ll_buf_detach(&p);
}

Test(config, cache_discovery_and_precedence)
{
    char *root = temp_tree();
    char *a = sub(root, "a");
    char *b = sub(a, "b");
    char *c = sub(b, "c");
    write_file(root, "pyproject.toml", "[tool.loadlint]\nignore = [\"LL101\"]\nexclude = [\"gen\"]\n");
    write_file(b, "pyproject.toml", "[project]\nname = \"no loadlint table\"\n");
    write_file(c, "loadlint.toml", "select = [\"LL5\", \"LL101\"]\nmin-severity = \"warning\"\n");
    write_file(c, "pyproject.toml", "[tool.loadlint]\nselect = [\"LL6\"]\n");

    LLOverrides ov;
    ll_settings_overrides_init(&ov);
    ov.has_min_severity = true;
    ov.min_severity = LL_SEV_ERROR;
    ll_settings_split_list(&ov.extend_ignore, "LL502");
    LLConfigCache *cache;
    LLError err;
    cr_assert_eq(ll_config_cache_new(&cache, &ov, &err), LL_OK);

    const LLSettings *s1, *s2, *s3;
    cr_assert_eq(ll_config_for_dir(cache, b, &s1, &err), LL_OK, "%s", err.msg);
    cr_assert_not_null(s1->config_path);
    cr_expect(strstr(s1->config_path, "pyproject.toml"));
    cr_expect_str_eq(s1->root, root);
    cr_expect(!ll_settings_selects(s1, "LL101"));
    cr_expect(!ll_settings_selects(s1, "LL502"));
    cr_expect(ll_settings_selects(s1, "LL501"));
    cr_expect_eq(s1->min_severity, LL_SEV_ERROR); /* the command line wins */
    LLBuf gen;
    ll_buf_init(&gen);
    ll_buf_printf(&gen, "%s/gen/x.py", b);
    cr_expect_not_null(ll_settings_excluded(s1, gen.data), "exclude = [\"gen\"] from the root's file");
    cr_expect_null(ll_settings_excluded(s1, "/x/never"));
    ll_buf_release(&gen);
    cr_expect_eq(ll_config_for_dir(cache, a, &s2, &err), LL_OK);
    cr_expect_eq(s1, s2, "one configuration, one settings");
    cr_assert_eq(ll_config_for_dir(cache, c, &s3, &err), LL_OK);
    cr_expect_neq(s3, s1);
    cr_expect(strstr(s3->config_path, "loadlint.toml"), "loadlint.toml wins over pyproject.toml");
    cr_expect(ll_settings_selects(s3, "LL501"));
    cr_expect(ll_settings_selects(s3, "LL101"), "no merging with the outer configuration");
    cr_expect(!ll_settings_selects(s3, "LL601"));
    cr_expect_eq(ll_config_cache_count(cache), 2);
    ll_config_cache_free(cache);
    ll_settings_overrides_release(&ov);

    /* --isolated: defaults everywhere; --config: that file everywhere */
    ll_settings_overrides_init(&ov);
    ov.isolated = true;
    cr_assert_eq(ll_config_cache_new(&cache, &ov, &err), LL_OK);
    cr_assert_eq(ll_config_for_dir(cache, c, &s1, &err), LL_OK);
    cr_expect_null(s1->config_path);
    cr_expect(ll_settings_selects(s1, "LL101"));
    ll_config_cache_free(cache);
    ll_settings_overrides_release(&ov);

    ll_settings_overrides_init(&ov);
    LLBuf cfg;
    ll_buf_init(&cfg);
    ll_buf_printf(&cfg, "%s/loadlint.toml", c);
    ov.config_file = cfg.data;
    cr_assert_eq(ll_config_cache_new(&cache, &ov, &err), LL_OK);
    cr_assert_eq(ll_config_for_dir(cache, root, &s1, &err), LL_OK);
    cr_expect(ll_settings_selects(s1, "LL501"));
    cr_expect(!ll_settings_selects(s1, "LL601"));
    cr_expect(ll_settings_selects(s1, "LL101"), "the root's ignore does not apply with --config");
    ll_config_cache_free(cache);
    ll_settings_overrides_release(&ov);
    ll_buf_release(&cfg);

    /* a broken file on the way up is an error naming it */
    write_file(b, "pyproject.toml", "[tool.loadlint]\nselect = [\n");
    ll_settings_overrides_init(&ov);
    cr_assert_eq(ll_config_cache_new(&cache, &ov, &err), LL_OK);
    cr_expect_eq(ll_config_for_dir(cache, b, &s1, &err), LL_ERR_CONFIG);
    cr_expect(strstr(err.file, "b/pyproject.toml"), "error names %s", err.file);
    cr_expect_eq(err.line, 2);
    ll_config_cache_free(cache);
    ll_settings_overrides_release(&ov);

    LLBuf cmd;
    ll_buf_init(&cmd);
    ll_buf_printf(&cmd, "rm -rf '%s'", root);
    cr_expect_eq(system(cmd.data), 0);
    ll_buf_release(&cmd);
    free(c);
    free(b);
    free(a);
    free(root);
}

Test(config, settings_print_is_toml)
{
    LLSettings s;
    memset(&s, 0, sizeof s);
    s.root = "/proj";
    s.select_set = true;
    s.select = list_of("LL1");
    LLGlob g = {"a\"b", "/proj"};
    s.exclude.items = &g;
    s.exclude.len = 1;
    s.respect_gitignore = true;
    LLBuf out;
    ll_buf_init(&out);
    ll_settings_print(&s, &out);
    cr_expect(strstr(out.data, "select = [\"LL1\"]\n"), "%s", out.data);
    cr_expect(strstr(out.data, "exclude = [\"a\\\"b\"]\n"), "%s", out.data);
    cr_expect(strstr(out.data, "respect-gitignore = true\n"), "%s", out.data);
    cr_expect(strstr(out.data, "min-severity = \"note\"\n"), "%s", out.data);
    ll_buf_release(&out);
    free_list(&s.select);
}

/* ---- the keys added with the key table --------------------------------------- */

Test(config, new_keys_read)
{
    LLConfig c;
    parse_ok(&c, LL_CONFIG_PYPROJECT,
             "[tool.loadlint]\n"
             "fail-on = \"error\"\n"
             "test-paths = [\"qa/**\", \"./checks/\"]\n"
             "test-severity = \"ignore\"\n"
             "artifacts = false\n"
             "cache-dir = \"../cache/ll\"\n"
             "cache = false\n"
             "allowed-globals = [\"collections.OrderedDict\", \"numpy.core.multiarray.*\"]\n"
             "[tool.loadlint.assume-versions]\n"
             "torch = \"2.4.0\"\n"
             "\"zope.interface\" = \"5.1\"\n");
    cr_expect(c.has_fail_on);
    cr_expect_eq(c.fail_on, LL_FAIL_ON_ERROR);
    cr_assert(c.has_test_paths);
    cr_assert_eq(c.test_paths.len, 2);
    cr_expect_str_eq(c.test_paths.items[0].pattern, "qa/**");
    cr_expect_str_eq(c.test_paths.items[0].base, "/proj");
    cr_expect_str_eq(c.test_paths.items[1].pattern, "checks");
    cr_expect(c.has_test_severity);
    cr_expect_eq(c.test_severity, LL_TEST_IGNORE);
    cr_expect(c.has_artifacts && !c.artifacts);
    cr_expect(c.has_cache && !c.cache);
    cr_assert(c.has_cache_dir);
    cr_expect_str_eq(c.cache_dir, "/cache/ll");
    const char *globals[] = {"collections.OrderedDict", "numpy.core.multiarray.*"};
    expect_list(&c.allowed_globals, 2, globals);
    cr_assert_eq(c.assume_versions.len, 2);
    cr_expect_str_eq(c.assume_versions.items[0].name, "torch");
    cr_expect_str_eq(c.assume_versions.items[0].value, "2.4.0");
    cr_expect_str_eq(c.assume_versions.items[1].name, "zope.interface");
    cr_expect(!c.has_min_severity, "keys not written are not set");
    ll_config_release(&c);

    /* inline, in a loadlint.toml; every fail-on and test-severity word */
    const char *fail_words[] = {"note", "warning", "error", "never"};
    for (int i = 0; i < 4; i++) {
        char text[128];
        snprintf(text, sizeof text, "fail-on = '%s'\nassume-versions = {Torch = \"1\"}\n", fail_words[i]);
        parse_ok(&c, LL_CONFIG_LOADLINT, text);
        cr_expect_eq((int)c.fail_on, i);
        cr_expect_str_eq(c.assume_versions.items[0].name, "Torch");
        ll_config_release(&c);
    }
    const char *test_words[] = {"keep", "lower", "note", "ignore"};
    for (int i = 0; i < 4; i++) {
        char text[128];
        snprintf(text, sizeof text, "test-severity = \"%s\"\n", test_words[i]);
        parse_ok(&c, LL_CONFIG_LOADLINT, text);
        cr_expect_eq((int)c.test_severity, i);
        ll_config_release(&c);
    }
}

Test(config, new_keys_errors_have_positions)
{
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nfail-on = \"info\"\n", 2, 11,
              "\"fail-on\" must be \"note\", \"warning\", \"error\" or \"never\", not \"info\"");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\nfail-on = 1\n", 2, 11, "not an integer");
    parse_bad(LL_CONFIG_LOADLINT, "test-severity = \"lowest\"\n", 1, 17,
              "\"test-severity\" must be \"keep\", \"lower\", \"note\" or \"ignore\", not \"lowest\"");
    parse_bad(LL_CONFIG_LOADLINT, "test-paths = \"tests\"\n", 1, 14,
              "\"test-paths\" must be an array of strings, not a string");
    parse_bad(LL_CONFIG_LOADLINT, "test-paths = [\"a\", \"\"]\n", 1, 20,
              "\"test-paths\": an empty string is not a glob");
    parse_bad(LL_CONFIG_LOADLINT, "artifacts = \"yes\"\n", 1, 13, "\"artifacts\" must be true or false, not a string");
    parse_bad(LL_CONFIG_LOADLINT, "cache = 0\n", 1, 9, "\"cache\" must be true or false, not an integer");
    parse_bad(LL_CONFIG_LOADLINT, "cache-dir = []\n", 1, 13, "\"cache-dir\" must be a string (a directory), not an array");
    parse_bad(LL_CONFIG_LOADLINT, "cache-dir = ''\n", 1, 13, "\"cache-dir\": an empty string is not a directory");
    parse_bad(LL_CONFIG_LOADLINT, "cache-dir = \"a\\u0000b\"\n", 1, 13, "NUL character");
    parse_bad(LL_CONFIG_LOADLINT, "allowed-globals = [\"os\"]\n", 1, 20,
              "\"allowed-globals\": \"os\" is not a global name (\"module.name\" or \"module.*\")");
    parse_bad(LL_CONFIG_LOADLINT, "allowed-globals = [\"a.b\", \"a..b\"]\n", 1, 27, "is not a global name");
    parse_bad(LL_CONFIG_LOADLINT, "allowed-globals = [\"*.x\"]\n", 1, 20, "is not a global name");
    parse_bad(LL_CONFIG_LOADLINT, "allowed-globals = [1]\n", 1, 20, "this item is an integer");
    parse_bad(LL_CONFIG_LOADLINT, "assume-versions = [\"torch\"]\n", 1, 19,
              "\"assume-versions\" must be a table of package = \"version\", not an array");
    parse_bad(LL_CONFIG_LOADLINT, "assume-versions = {torch = 2}\n", 1, 28,
              "the version of \"torch\" must be a string (like \"2.4.0\"), not an integer");
    parse_bad(LL_CONFIG_LOADLINT, "assume-versions = {\"to rch\" = \"2\"}\n", 1, 20,
              "\"assume-versions\": \"to rch\" is not a package name");
    parse_bad(LL_CONFIG_LOADLINT, "assume-versions = {torch = \"2 .0\"}\n", 1, 28, "\"2 .0\" is not a version");
    parse_bad(LL_CONFIG_LOADLINT, "assume-versions = {zope.interface = \"5\"}\n", 1, 20,
              "an assume-versions key is one package name: quote it (\"zope.interface\" = \"...\")");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint.assume-versions.torch]\n", 1, 32,
              "assume-versions maps a package name to a version; [...] tables below it are not allowed");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint.fail-on]\n", 1, 16,
              "\"fail-on\" must be \"note\", \"warning\", \"error\" or \"never\", not a table");
    parse_bad(LL_CONFIG_PYPROJECT, "[tool.loadlint]\ncache.x = true\n", 2, 7, "\"cache\" is not a table");
    parse_bad(LL_CONFIG_PYPROJECT, "[[tool.loadlint.test-paths]]\n", 1, 3, "not an array of tables");
    /* the unknown-key message lists every key of the table */
    LLConfig c;
    bool found;
    LLError err;
    cr_assert_eq(parse(&c, LL_CONFIG_LOADLINT, "fail_on = 'error'\n", &found, &err), LL_ERR_CONFIG);
    cr_expect(strstr(err.msg, "unknown key \"fail_on\""), "%s", err.msg);
    for (size_t i = 0; i < ll_settings_key_count(); i++)
        cr_expect(strstr(err.msg, ll_settings_key(i)->name), "%s lacks %s", err.msg, ll_settings_key(i)->name);
}

Test(config, key_table)
{
    size_t n = ll_settings_key_count();
    cr_expect_eq(n, 20);
    cr_expect_null(ll_settings_key(n));
    for (size_t i = 0; i < n; i++) {
        const LLSettingsKey *k = ll_settings_key(i);
        cr_expect(k->name && *k->name && k->type && *k->type && k->help && *k->help, "key %zu", i);
        for (size_t j = 0; j < i; j++)
            cr_expect_str_neq(k->name, ll_settings_key(j)->name);
    }
    cr_expect_str_eq(ll_settings_key(0)->name, "select");
    cr_expect_str_eq(ll_settings_key(0)->command_line, "replaces");
    cr_expect_str_eq(ll_settings_key(2)->command_line, "extends");
    cr_expect_null(ll_settings_key(8)->command_line); /* rules */
    cr_expect_str_eq(ll_settings_key(9)->command_line, "turns off");

    LLFailOn f;
    cr_expect(ll_settings_fail_on_parse("never", &f) && f == LL_FAIL_ON_NEVER);
    cr_expect(ll_settings_fail_on_parse("warning", &f) && f == LL_FAIL_ON_WARNING);
    cr_expect(!ll_settings_fail_on_parse("Never", &f));
    cr_expect_str_eq(ll_settings_fail_on_name(LL_FAIL_ON_ERROR), "error");
    LLTestSeverity t;
    cr_expect(ll_settings_test_severity_parse("keep", &t) && t == LL_TEST_KEEP);
    cr_expect(!ll_settings_test_severity_parse("", &t));
    cr_expect_str_eq(ll_settings_test_severity_name(LL_TEST_IGNORE), "ignore");
    cr_expect(ll_settings_global_valid("os.system"));
    cr_expect(ll_settings_global_valid("torch._utils._rebuild_tensor_v2"));
    cr_expect(ll_settings_global_valid("numpy.*"));
    cr_expect(ll_settings_global_valid("_m9.x_1"));
    cr_expect(!ll_settings_global_valid("os"));
    cr_expect(!ll_settings_global_valid("*"));
    cr_expect(!ll_settings_global_valid("a.*.b"));
    cr_expect(!ll_settings_global_valid("a.9b"));
    cr_expect(!ll_settings_global_valid("a.b."));
    cr_expect(!ll_settings_global_valid("a b.c"));
}

Test(config, new_keys_merge_with_overrides)
{
    LLConfig c;
    parse_ok(&c, LL_CONFIG_LOADLINT,
             "fail-on = \"error\"\n"
             "test-paths = [\"qa/**\"]\n"
             "cache-dir = \".cache\"\n"
             "assume-versions = {torch = \"2.4.0\", numpy = \"1.26\"}\n"
             "allowed-globals = [\"a.b\"]\n");
    LLOverrides ov;
    ll_settings_overrides_init(&ov);
    cr_expect(ov.honor_noqa, "a boolean's command-line value starts at its default");
    cr_expect(ov.artifacts && ov.cache);
    cr_expect_eq(ov.fail_on, LL_FAIL_ON_WARNING);

    /* nothing on the command line: the file, else the defaults */
    LLSettings *s = ll_settings_new(&c, &ov, "/work", 3);
    cr_expect_eq(s->id, 3);
    cr_expect_str_eq(s->root, "/proj");
    cr_expect_str_eq(s->config_path, "loadlint.toml");
    cr_expect_eq(s->fail_on, LL_FAIL_ON_ERROR);
    cr_assert_eq(s->test_paths.len, 1);
    cr_expect_str_eq(s->test_paths.items[0].base, "/proj");
    cr_expect_eq(s->test_severity, LL_TEST_NOTE); /* the default */
    cr_expect(s->artifacts && s->cache);
    cr_expect_str_eq(s->cache_dir, "/proj/.cache");
    cr_expect_str_eq(ll_settings_assumed_version(s, "torch"), "2.4.0");
    cr_expect_str_eq(ll_settings_assumed_version(s, "NumPy"), "1.26");
    cr_expect_null(ll_settings_assumed_version(s, "scipy"));
    cr_expect_not_null(ll_settings_test_path(s, "/proj/qa/x/test_a.py"));
    cr_expect_null(ll_settings_test_path(s, "/proj/tests/test_a.py"), "the file's test-paths replace the default");
    ll_settings_free(s);

    /* the command line replaces fail-on, test-paths and cache-dir, and
     * extends assume-versions (same package: replaced) and allowed-globals */
    ov.has_fail_on = true;
    ov.fail_on = LL_FAIL_ON_NEVER;
    ov.has_test_paths = true;
    ll_settings_add_glob(&ov.test_paths, "spec/**", NULL);
    ov.has_cache_dir = true;
    ov.cache_dir = strdup("../c");
    ov.has_artifacts = true;
    ov.artifacts = false;
    ov.has_test_severity = true;
    ov.test_severity = LL_TEST_KEEP;
    LLNameValue nv = {strdup("Torch"), strdup("1.13")}, nv2 = {strdup("jax"), strdup("0.4")};
    LL_VEC_PUSH(&ov.assume_versions, nv);
    LL_VEC_PUSH(&ov.assume_versions, nv2);
    ll_strlist_push(&ov.allowed_globals, "c.*");
    s = ll_settings_new(&c, &ov, "/work", 0);
    cr_expect_eq(s->fail_on, LL_FAIL_ON_NEVER);
    cr_assert_eq(s->test_paths.len, 1);
    cr_expect_str_eq(s->test_paths.items[0].pattern, "spec/**");
    cr_expect_str_eq(s->test_paths.items[0].base, "/work");
    cr_expect_str_eq(s->cache_dir, "/c");
    cr_expect(!s->artifacts);
    cr_expect_eq(s->test_severity, LL_TEST_KEEP);
    cr_assert_eq(s->assume_versions.len, 3);
    cr_expect_str_eq(ll_settings_assumed_version(s, "torch"), "1.13");
    cr_expect_str_eq(ll_settings_assumed_version(s, "numpy"), "1.26");
    cr_expect_str_eq(ll_settings_assumed_version(s, "JAX"), "0.4");
    const char *globals[] = {"a.b", "c.*"};
    expect_list(&s->allowed_globals, 2, globals);
    ll_settings_free(s);

    /* no configuration file: the defaults, and the command line */
    s = ll_settings_new(NULL, &ov, "/work", 1);
    cr_expect_null(s->config_path);
    cr_expect_str_eq(s->root, "/work");
    cr_expect_eq(s->assume_versions.len, 2);
    cr_expect_eq(s->allowed_globals.len, 1);
    ll_settings_free(s);
    ll_settings_overrides_release(&ov);
    ll_settings_overrides_init(&ov);
    s = ll_settings_new(NULL, &ov, "/work", 1);
    cr_expect_eq(s->fail_on, LL_FAIL_ON_WARNING);
    cr_expect_eq(s->test_severity, LL_TEST_NOTE); /* the default */
    cr_expect(s->artifacts && s->cache && s->respect_gitignore && s->honor_noqa);
    cr_expect_null(s->cache_dir);
    cr_expect_eq(s->min_severity, LL_SEV_NOTE);
    size_t ndef = 0;
    while (ll_settings_default_test_paths[ndef])
        ndef++;
    cr_expect_eq(ndef, 7);
    cr_assert_eq(s->test_paths.len, ndef);
    for (size_t i = 0; i < ndef; i++) {
        cr_expect_str_eq(s->test_paths.items[i].pattern, ll_settings_default_test_paths[i]);
        cr_expect_str_eq(s->test_paths.items[i].base, "/work");
    }
    const char *tests[] = {"/work/tests/a.py", "/work/test/a.py", "/work/pkg/tests/a.py",
                           "/work/pkg/test/sub/a.py", "/work/test_a.py", "/work/pkg/a_test.py",
                           "/work/pkg/conftest.py"};
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
        cr_expect_not_null(ll_settings_test_path(s, tests[i]), "%s is test code", tests[i]);
    /* patterns that start with two stars and a slash hold at any depth,
     * outside the base too (a project without configuration scanned from
     * elsewhere) */
    cr_expect_not_null(ll_settings_test_path(s, "/other/tests/a.py"));
    const char *code[] = {"/work/src/a.py", "/work/testing/a.py", "/work/contest.py", "/other/src/a.py"};
    for (size_t i = 0; i < sizeof code / sizeof *code; i++)
        cr_expect_null(ll_settings_test_path(s, code[i]), "%s is not test code", code[i]);
    ll_settings_free(s);
    ll_settings_free(NULL);
    ll_settings_overrides_release(&ov);
    ll_config_release(&c);
}

Test(config, settings_print_every_key)
{
    LLConfig c;
    parse_ok(&c, LL_CONFIG_LOADLINT,
             "select = [\"LL1\"]\n"
             "exclude = [\"gen\", \"src/x\"]\n"
             "per-file-ignores = {\"t/*\" = [\"LL2\"]}\n"
             "fail-on = \"never\"\n"
             "cache-dir = \"c\"\n"
             "assume-versions = {torch = \"2.4.0\", \"zope.interface\" = \"5\"}\n"
             "allowed-globals = [\"a.b\"]\n");
    LLOverrides ov;
    ll_settings_overrides_init(&ov);
    ll_settings_add_glob(&ov.extend_exclude, "w/y", NULL);
    ov.force_exclude = true;
    LLSettings *s = ll_settings_new(&c, &ov, "/work", 0);
    LLBuf out;
    ll_buf_init(&out);
    ll_settings_print(s, &out);
    cr_expect_str_eq(out.data,
                     "config-file = \"loadlint.toml\"\n"
                     "root = \"/proj\"\n"
                     "select = [\"LL1\"]\n"
                     "ignore = []\n"
                     "extend-select = []\n"
                     "extend-ignore = []\n"
                     "exclude = [\"gen\", \"src/x\"]\n"
                     "extend-exclude = [\"/work/w/y\"]\n"
                     "per-file-ignores = { \"t/*\" = [\"LL2\"] }\n"
                     "min-severity = \"note\"\n"
                     "rules = []\n"
                     "respect-gitignore = true\n"
                     "honor-noqa = true\n"
                     "fail-on = \"never\"\n"
                     "test-paths = [\"tests/**\", \"test/**\", \"**/tests/**\", \"**/test/**\", "
                     "\"**/test_*.py\", \"**/*_test.py\", \"**/conftest.py\"]\n"
                     "test-severity = \"note\"\n"
                     "example-paths = [\"examples/**\", \"example/**\", \"**/examples/**\", "
                     "\"**/example/**\", \"docs/**\", \"doc/**\"]\n"
                     "artifacts = true\n"
                     "cache-dir = \"/proj/c\"\n"
                     "cache = true\n"
                     "assume-versions = { torch = \"2.4.0\", \"zope.interface\" = \"5\" }\n"
                     "allowed-globals = [\"a.b\"]\n"
                     "force-exclude = true\n");
    /* what is printed reads back as TOML */
    LLTomlDoc *d = NULL;
    LLError err;
    cr_expect_eq(ll_toml_parse(&d, "printed", out.data, out.len, NULL, &err), LL_OK, "%s", err.msg);
    ll_toml_free(d);
    ll_settings_free(s);
    ll_buf_release(&out);

    s = ll_settings_new(NULL, &ov, "/work", 0);
    ll_buf_init(&out);
    ll_settings_print(s, &out);
    cr_expect(strstr(out.data, "select = [\"ALL\"]  # default\n"), "%s", out.data);
    cr_expect(strstr(out.data, "config-file = \"\"  # none"), "%s", out.data);
    cr_expect(strstr(out.data, "cache-dir = \"\"  # not set\n"), "%s", out.data);
    cr_expect(strstr(out.data, "assume-versions = {}\n"), "%s", out.data);
    cr_expect(strstr(out.data, "fail-on = \"warning\"\n"), "%s", out.data);
    ll_settings_free(s);
    ll_buf_release(&out);
    ll_settings_overrides_release(&ov);
    ll_config_release(&c);
}

Test(config, base_path_helpers)
{
    char *p = ll_path_abs("/", "");
    cr_expect_str_eq(p, "/");
    free(p);
    p = ll_path_abs("/a/b", "./../c/./");
    cr_expect_str_eq(p, "/a/c");
    free(p);
    p = ll_path_join("/", "x");
    cr_expect_str_eq(p, "/x");
    free(p);
    p = ll_path_join("/a/", "x");
    cr_expect_str_eq(p, "/a/x");
    free(p);
    p = ll_path_join("/a", "x/y");
    cr_expect_str_eq(p, "/a/x/y");
    free(p);
    p = ll_path_dirname("/");
    cr_expect_str_eq(p, "/");
    free(p);
    cr_expect_str_eq(ll_path_basename("/a/b.toml"), "b.toml");
    cr_expect_str_eq(ll_path_basename("b.toml"), "b.toml");
    cr_expect_str_eq(ll_path_basename("/a/"), "");
    cr_expect_str_eq(ll_path_below("/a/b", "/a"), "b");
    cr_expect_null(ll_path_below("/a", "/a/b"));
}
