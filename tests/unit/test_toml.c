/* test_toml.c - the TOML reader (config/toml.h): every kind of value, tables
 * and their rules, positions and key paths, lookups, every error with its
 * line and column, the limits, typed access, writing, and a large
 * poetry.lock-like document. */
#include "config/toml.h"

#include "base/buf.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static LLTomlDoc *parse_ok(const char *text)
{
    LLTomlDoc *d = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_toml_parse(&d, "t.toml", text, strlen(text), NULL, &err);
    cr_assert_eq(st, LL_OK, "unexpected error %s:%u:%u: %s\nfor:\n%s", err.file, err.line, err.col,
                 err.msg, text);
    cr_assert_not_null(d);
    return d;
}

/* Parses a bad document: the status, the error's position and that the
 * message contains `msg`. */
static void parse_bad_st(const char *text, size_t len, LLStatus want, unsigned line, unsigned col,
                         const char *msg)
{
    LLTomlDoc *d = (LLTomlDoc *)1;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_toml_parse(&d, "bad.toml", text, len, NULL, &err);
    cr_assert_eq(st, want, "status %d, expected %d (%s) for:\n%s", st, want, err.msg, text);
    cr_expect_null(d);
    cr_expect_str_eq(err.file, "bad.toml");
    cr_expect_eq(err.line, line, "line %u, expected %u (%s) for:\n%s", err.line, line, err.msg, text);
    cr_expect_eq(err.col, col, "column %u, expected %u (%s) for:\n%s", err.col, col, err.msg, text);
    cr_expect(strstr(err.msg, msg), "message \"%s\" lacks \"%s\"", err.msg, msg);
}

static void parse_bad(const char *text, unsigned line, unsigned col, const char *msg)
{
    parse_bad_st(text, strlen(text), LL_ERR_CONFIG, line, col, msg);
}

static const LLTomlValue *get(const LLTomlDoc *d, const char *path, LLTomlType type)
{
    const LLTomlValue *v = ll_toml_get(d, path);
    cr_assert_not_null(v, "no %s", path);
    cr_assert_eq(ll_toml_type(v), type, "%s is %s", path, ll_toml_describe(v));
    return v;
}

static const char *str_at(const LLTomlDoc *d, const char *path)
{
    return ll_toml_str(get(d, path, LL_TOML_STRING), NULL);
}

static int64_t int_at(const LLTomlDoc *d, const char *path)
{
    return ll_toml_int(get(d, path, LL_TOML_INTEGER));
}

static double float_at(const LLTomlDoc *d, const char *path)
{
    return ll_toml_float(get(d, path, LL_TOML_FLOAT));
}

static void expect_path(const LLTomlValue *v, const char *want)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_toml_path(v, &b);
    cr_expect_str_eq(b.data, want);
    ll_buf_release(&b);
}

static void expect_pos(const LLTomlValue *v, unsigned line, unsigned col, unsigned kline, unsigned kcol)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_toml_path(v, &b);
    cr_expect_eq(ll_toml_line(v), line, "%s: line %u, expected %u", b.data, ll_toml_line(v), line);
    cr_expect_eq(ll_toml_col(v), col, "%s: column %u, expected %u", b.data, ll_toml_col(v), col);
    cr_expect_eq(ll_toml_key_line(v), kline, "%s: key line %u, expected %u", b.data, ll_toml_key_line(v), kline);
    cr_expect_eq(ll_toml_key_col(v), kcol, "%s: key column %u, expected %u", b.data, ll_toml_key_col(v), kcol);
    ll_buf_release(&b);
}

/* ---- values ----------------------------------------------------------------- */

Test(toml, strings_of_all_four_kinds)
{
    LLTomlDoc *d = parse_ok("basic = \"a\\tb\\\"c\\\\d\\u00e9\\U0001F600\\b\\f\\n\\r\"\n"
                            "literal = 'C:\\raw\\path \"q\"'\n"
                            "multi = \"\"\"\n"
                            "first\\\n"
                            "     second \\\n"
                            "\n"
                            "  third\n"
                            "last\"\"\"\n"
                            "multi_literal = '''\n"
                            "x\\y\n"
                            "z'''\n"
                            "quotes = \"\"\"a \"b\" \"\"c\"\"\"\"\"\n"
                            "literal_quotes = ''''a' ''b'''''\n"
                            "empty = \"\"\n"
                            "empty_literal = ''\n"
                            "nul = \"a\\u0000b\"\n"
                            "crlf = \"\"\"\r\nx\r\ny\"\"\"\r\n"
                            "tab = \"a\tb\"\n");
    cr_expect_str_eq(str_at(d, "basic"), "a\tb\"c\\d\xc3\xa9\xf0\x9f\x98\x80\b\f\n\r");
    cr_expect_str_eq(str_at(d, "literal"), "C:\\raw\\path \"q\"");
    cr_expect_str_eq(str_at(d, "multi"), "firstsecond third\nlast");
    cr_expect_str_eq(str_at(d, "multi_literal"), "x\\y\nz");
    cr_expect_str_eq(str_at(d, "quotes"), "a \"b\" \"\"c\"\"");
    cr_expect_str_eq(str_at(d, "literal_quotes"), "'a' ''b''");
    cr_expect_str_eq(str_at(d, "empty"), "");
    cr_expect_str_eq(str_at(d, "empty_literal"), "");
    size_t len;
    const char *nul = ll_toml_str(get(d, "nul", LL_TOML_STRING), &len);
    cr_expect_eq(len, 3);
    cr_expect(memcmp(nul, "a\0b", 3) == 0);
    cr_expect_str_eq(str_at(d, "crlf"), "x\ny");
    cr_expect_str_eq(str_at(d, "tab"), "a\tb");
    ll_toml_free(d);
}

Test(toml, integers)
{
    LLTomlDoc *d = parse_ok("a = 42\nb = +17\nc = -0\nd = 1_000_000\ne = 0xDEAD_beef\nf = 0o755\n"
                            "g = 0b1101_0101\nmax = 9223372036854775807\nmin = -9223372036854775808\n"
                            "hexmax = 0x7fffffffffffffff\nzero = 0\n");
    cr_expect_eq(int_at(d, "a"), 42);
    cr_expect_eq(int_at(d, "b"), 17);
    cr_expect_eq(int_at(d, "c"), 0);
    cr_expect_eq(int_at(d, "d"), 1000000);
    cr_expect_eq(int_at(d, "e"), 0xDEADBEEF);
    cr_expect_eq(int_at(d, "f"), 0755);
    cr_expect_eq(int_at(d, "g"), 0xD5);
    cr_expect_eq(int_at(d, "max"), INT64_MAX);
    cr_expect_eq(int_at(d, "min"), INT64_MIN);
    cr_expect_eq(int_at(d, "hexmax"), INT64_MAX);
    cr_expect_eq(int_at(d, "zero"), 0);
    ll_toml_free(d);
    parse_bad("x = 9223372036854775808\n", 1, 5, "does not fit in 64 bits");
    parse_bad("x = -9223372036854775809\n", 1, 5, "does not fit in 64 bits");
    parse_bad("\n  x = 0xffffffffffffffff\n", 2, 7, "does not fit in 64 bits");
    parse_bad("x = 0b1_0000000000000000000000000000000000000000000000000000000000000000\n", 1, 5,
              "does not fit");
    /* forms the grammar refuses */
    parse_bad("x = 01\n", 1, 1, "invalid TOML");
    parse_bad("x = 1__0\n", 1, 1, "invalid TOML");
    parse_bad("x = +0x1\n", 1, 1, "invalid TOML");
}

Test(toml, floats_booleans_dates)
{
    LLTomlDoc *d = parse_ok("f1 = 1.5\nf2 = -3.25e2\nf3 = 6.626e-34\nf4 = 9_224_617.445_991\nf5 = 1e10\n"
                            "pinf = inf\nninf = -inf\nn = nan\nsn = -nan\nt = true\nf = false\n"
                            "odt = 1979-05-27T07:32:00.999-07:00\nodtz = 1979-05-27 07:32:00Z\n"
                            "ldt = 1979-05-27T00:32:00\nld = 2024-02-29\nlt = 23:59:60.5\n");
    cr_expect_eq(float_at(d, "f1"), 1.5);
    cr_expect_eq(float_at(d, "f2"), -325.0);
    cr_expect(fabs(float_at(d, "f3") - 6.626e-34) < 1e-40);
    cr_expect(fabs(float_at(d, "f4") - 9224617.445991) < 1e-6);
    cr_expect_eq(float_at(d, "f5"), 1e10);
    cr_expect(isinf(float_at(d, "pinf")) && float_at(d, "pinf") > 0);
    cr_expect(isinf(float_at(d, "ninf")) && float_at(d, "ninf") < 0);
    cr_expect(isnan(float_at(d, "n")));
    cr_expect(isnan(float_at(d, "sn")));
    cr_expect(ll_toml_bool(get(d, "t", LL_TOML_BOOLEAN)));
    cr_expect(!ll_toml_bool(get(d, "f", LL_TOML_BOOLEAN)));
    const LLTomlValue *v = get(d, "odt", LL_TOML_DATETIME);
    cr_expect_eq(ll_toml_date_kind(v), LL_TOML_OFFSET_DATETIME);
    cr_expect_str_eq(ll_toml_str(v, NULL), "1979-05-27T07:32:00.999-07:00");
    cr_expect_str_eq(ll_toml_describe(v), "a date-time");
    cr_expect_eq(ll_toml_date_kind(get(d, "odtz", LL_TOML_DATETIME)), LL_TOML_OFFSET_DATETIME);
    cr_expect_eq(ll_toml_date_kind(get(d, "ldt", LL_TOML_DATETIME)), LL_TOML_LOCAL_DATETIME);
    cr_expect_eq(ll_toml_date_kind(get(d, "ld", LL_TOML_DATETIME)), LL_TOML_LOCAL_DATE);
    cr_expect_eq(ll_toml_date_kind(get(d, "lt", LL_TOML_DATETIME)), LL_TOML_LOCAL_TIME);
    cr_expect_str_eq(ll_toml_str(get(d, "lt", LL_TOML_DATETIME), NULL), "23:59:60.5");
    /* accessors of another type give nothing */
    cr_expect_null(ll_toml_str(get(d, "t", LL_TOML_BOOLEAN), NULL));
    cr_expect_eq(ll_toml_int(get(d, "f1", LL_TOML_FLOAT)), 0);
    cr_expect_eq(ll_toml_len(get(d, "f1", LL_TOML_FLOAT)), 0);
    ll_toml_free(d);
    parse_bad("d = 2023-02-29\n", 1, 5, "invalid date 2023-02-29: that month has 28 days");
    parse_bad("d = 2023-04-31T10:00:00Z\n", 1, 5, "that month has 30 days");
    parse_bad("d = 12023-01-01\n", 1, 5, "four digits");
    parse_bad("d = 2023-13-01\n", 1, 1, "invalid TOML");
}

/* ---- tables ----------------------------------------------------------------- */

Test(toml, tables_in_document_order)
{
    LLTomlDoc *d = parse_ok("# a comment\n"
                            "title = \"t\"\n"
                            "a.b.c = 1\n"
                            "a.b.d = 2\n"
                            "\"quoted key\".'x.y' = 3\n"
                            "\n"
                            "[tool.poetry]\n"
                            "name = \"demo\"\n"
                            "[tool.poetry.dependencies]\n"
                            "python = \"^3.10\"\n"
                            "torch = { version = \">=2\", optional = true }\n"
                            "[tool]\n"
                            "zz = 1\n"
                            "[ x . \"y\" . 'z' ]\n"
                            "w = []\n");
    const LLTomlValue *root = ll_toml_root(d);
    cr_assert_eq(ll_toml_len(root), 5);
    const char *keys[] = {"title", "a", "quoted key", "tool", "x"};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(ll_toml_key(ll_toml_at(root, i), NULL), keys[i]);
        cr_expect_eq(ll_toml_index(ll_toml_at(root, i)), i);
    }
    cr_expect_null(ll_toml_at(root, 5));
    cr_expect_null(ll_toml_key(root, NULL));
    cr_expect_null(ll_toml_parent(root));
    const LLTomlValue *tool = get(d, "tool", LL_TOML_TABLE);
    cr_expect_eq(ll_toml_origin(tool), LL_TOML_HEADER); /* [tool] after [tool.poetry] */
    cr_assert_eq(ll_toml_len(tool), 2);
    cr_expect_str_eq(ll_toml_key(ll_toml_at(tool, 0), NULL), "poetry");
    cr_expect_str_eq(ll_toml_key(ll_toml_at(tool, 1), NULL), "zz");
    cr_expect_eq(ll_toml_origin(get(d, "a", LL_TOML_TABLE)), LL_TOML_DOTTED);
    cr_expect_eq(ll_toml_origin(get(d, "a.b", LL_TOML_TABLE)), LL_TOML_DOTTED);
    cr_expect_eq(ll_toml_origin(get(d, "x", LL_TOML_TABLE)), LL_TOML_IMPLICIT);
    cr_expect_eq(ll_toml_origin(get(d, "x.y.z", LL_TOML_TABLE)), LL_TOML_HEADER);
    cr_expect_eq(ll_toml_origin(get(d, "tool.poetry.dependencies.torch", LL_TOML_TABLE)), LL_TOML_LITERAL);
    cr_expect_eq(int_at(d, "\"quoted key\".\"x.y\""), 3);
    cr_expect_eq(int_at(d, "'quoted key'.'x.y'"), 3);
    const LLTomlValue *deps = get(d, "tool.poetry.dependencies", LL_TOML_TABLE);
    cr_expect_eq(ll_toml_parent(deps), get(d, "tool.poetry", LL_TOML_TABLE));
    cr_expect_str_eq(str_at(d, "tool.poetry.dependencies.torch.version"), ">=2");
    cr_expect(ll_toml_bool(ll_toml_lookup(deps, "torch.optional")));
    cr_expect_eq(ll_toml_lookup(deps, ""), deps);
    cr_expect_eq(ll_toml_len(get(d, "x.y.z.w", LL_TOML_ARRAY)), 0);
    /* what is not there, and malformed paths */
    cr_expect_null(ll_toml_get(d, "tool.nope"));
    cr_expect_null(ll_toml_get(d, "title.x"));
    cr_expect_null(ll_toml_get(d, "tool..poetry"));
    cr_expect_null(ll_toml_get(d, "tool."));
    cr_expect_null(ll_toml_get(d, ".tool"));
    cr_expect_null(ll_toml_get(d, "\"quoted key"));
    cr_expect_null(ll_toml_get(d, "tool poetry"));
    cr_expect_null(ll_toml_find(get(d, "title", LL_TOML_STRING), "x", 1));
    ll_toml_free(d);
}

Test(toml, arrays_and_arrays_of_tables)
{
    LLTomlDoc *d = parse_ok("n = [1, [2, 3.5], {x = 1, y.z = \"w\"}, \"s\",]\n"
                            "empty = [\n  # nothing\n]\n"
                            "multi = [\n  1, # one\n  2,\n]\n"
                            "[[package]]\n"
                            "name = \"a\"\n"
                            "[[package.files]]\n"
                            "file = \"a-1.whl\"\n"
                            "[[package.files]]\n"
                            "file = \"a-2.whl\"\n"
                            "[package.extras]\n"
                            "test = [\"pytest\"]\n"
                            "[[package]]\n"
                            "name = \"b\"\n"
                            "[[other.list]]\n");
    const LLTomlValue *n = get(d, "n", LL_TOML_ARRAY);
    cr_assert_eq(ll_toml_len(n), 4);
    cr_expect(!ll_toml_is_table_array(n));
    cr_expect_eq(int_at(d, "n[0]"), 1);
    cr_expect_eq(float_at(d, "n[1][1]"), 3.5);
    cr_expect_str_eq(str_at(d, "n[2].y.z"), "w");
    cr_expect_str_eq(str_at(d, "n[3]"), "s");
    cr_expect_null(ll_toml_get(d, "n[4]"));
    cr_expect_null(ll_toml_get(d, "n[x]"));
    cr_expect_null(ll_toml_get(d, "n[1"));
    cr_expect_eq(ll_toml_key(ll_toml_at(n, 1), NULL), NULL);
    cr_expect_eq(ll_toml_index(ll_toml_at(n, 2)), 2);
    cr_expect_eq(ll_toml_len(get(d, "empty", LL_TOML_ARRAY)), 0);
    cr_expect_eq(ll_toml_len(get(d, "multi", LL_TOML_ARRAY)), 2);
    const LLTomlValue *pkgs = get(d, "package", LL_TOML_ARRAY);
    cr_expect(ll_toml_is_table_array(pkgs));
    cr_expect_str_eq(ll_toml_describe(pkgs), "an array of tables");
    cr_assert_eq(ll_toml_len(pkgs), 2);
    cr_expect_str_eq(str_at(d, "package[0].name"), "a");
    cr_expect_str_eq(str_at(d, "package[0].files[1].file"), "a-2.whl");
    cr_expect_str_eq(str_at(d, "package[0].extras.test[0]"), "pytest");
    cr_expect_str_eq(str_at(d, "package[1].name"), "b");
    cr_expect_null(ll_toml_get(d, "package[1].files"));
    cr_expect(ll_toml_is_table_array(get(d, "other.list", LL_TOML_ARRAY)));
    cr_expect_eq(ll_toml_len(get(d, "other.list[0]", LL_TOML_TABLE)), 0);
    expect_path(ll_toml_get(d, "package[0].files[1].file"), "package[0].files[1].file");
    expect_path(ll_toml_get(d, "n[2].y.z"), "n[2].y.z");
    ll_toml_free(d);
}

Test(toml, allowed_extensions_of_tables)
{
    /* super-tables defined later, headers below dotted tables, dotted keys
     * into a table only made as a parent, [[x]] with sub-tables */
    ll_toml_free(parse_ok("[a.b.c]\nz = 1\n[a]\nx = 1\n"));
    ll_toml_free(parse_ok("a.b = 1\n[a.c]\nx = 1\n"));
    ll_toml_free(parse_ok("[a.b.c]\n[a]\nb.y = 2\n"));
    ll_toml_free(parse_ok("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n"));
    ll_toml_free(parse_ok("[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n"));
    ll_toml_free(parse_ok("[[a.b]]\n[a]\nx = 1\n"));
    ll_toml_free(parse_ok("a = {x.y = 1, x.z = 2}\n"));
    ll_toml_free(parse_ok("[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n"));
}

Test(toml, table_rules_have_positions)
{
    parse_bad("a = 1\na = 2\n", 2, 1, "duplicate key \"a\" (first defined at 1:1)");
    parse_bad("[t]\nx = 1\n  x = 2\n", 3, 3, "duplicate key \"x\" in t (first defined at 2:1)");
    parse_bad("a = {x = 1, x = 2}\n", 1, 13, "duplicate key \"x\" in a");
    parse_bad("\"a\" = 1\n'a' = 2\n", 2, 1, "duplicate key \"a\"");
    parse_bad("[a.b]\n[a]\nb = 1\n", 3, 1, "duplicate key \"b\" in a");
    parse_bad("[a]\nb = 1\n[a]\n", 3, 2, "table [a] is defined twice (first at 1:2)");
    parse_bad("a.b = 1\n[a]\n", 2, 2, "table [a] is defined twice: dotted keys defined it");
    parse_bad("[fruit]\napple.color = 1\n[fruit.apple]\n", 3, 2, "table [fruit.apple] is defined twice");
    parse_bad("a = {b = 1}\n[a]\n", 2, 2, "table [a] is defined twice: it is an inline table");
    parse_bad("a = {b = 1}\na.c = 2\n", 2, 1, "cannot set key a.c: a is an inline table (at 1:5), which cannot be extended");
    parse_bad("a = {b = 1}\n[a.c]\n", 2, 2, "cannot define [a.c]: a is an inline table");
    parse_bad("a = {x = {y = 1}, x.z = 2}\n", 1, 19, "x is an inline table");
    parse_bad("a = [1]\n[[a]]\n", 2, 3, "cannot define [[a]]: a is already an array (at 1:5), not an array of tables");
    parse_bad("[[a]]\n[a]\n", 2, 2, "cannot define table [a]: a is already an array of tables");
    parse_bad("[a]\n[[a]]\n", 2, 3, "cannot define [[a]]: a is already a table");
    parse_bad("a = 1\n[a.b]\n", 2, 2, "cannot define [a.b]: a is an integer (at 1:5)");
    parse_bad("a = [{}]\n[a.b]\n", 2, 2, "cannot define [a.b]: a is an array");
    parse_bad("a = \"s\"\na.b = 1\n", 2, 1, "cannot set key a.b: a is a string (at 1:5)");
    parse_bad("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, 3,
              "b.c is a table defined by a [header] (at 1:2), which dotted keys cannot extend");
    parse_bad("[a.b.c]\n[a]\nb.y = 2\n[a.b]\n", 4, 2, "table [a.b] is defined twice: dotted keys defined it");
    /* the TOML rule that a table made by dotted keys is not defined again
     * by a header (tomllib agrees; moved here from test_config.c, where an
     * older reader accepted it) */
    parse_bad("tool.loadlint.select = [\"LL5\"]\n[tool]\nloadlint.ignore = [\"LL501\"]\n", 2, 2,
              "table [tool] is defined twice: dotted keys defined it (first at 1:1)");
}

/* ---- positions and paths ---------------------------------------------------- */

Test(toml, positions_of_values_and_keys)
{
    LLTomlDoc *d = parse_ok("\"\xc3\xa9t\xc3\xa9\" = \"\xe2\x82\xac\" # \xf0\x9f\x98\x80\n"
                            "x = [\"\xc3\xa9\", 2]\n"
                            "[\"\xc3\xa9\".t]\r\n"
                            "k = { a = 1,\tb.c = 2 }\r\n"
                            "[[arr]]\n"
                            "  v = 1\n");
    const LLTomlValue *root = ll_toml_root(d);
    expect_pos(root, 1, 1, 1, 1);
    expect_pos(ll_toml_at(root, 0), 1, 9, 1, 1); /* "été" = "€" */
    expect_pos(ll_toml_get(d, "x"), 2, 5, 2, 1);
    expect_pos(ll_toml_get(d, "x[0]"), 2, 6, 2, 6);
    expect_pos(ll_toml_get(d, "x[1]"), 2, 11, 2, 11);
    const LLTomlValue *e = ll_toml_at(root, 2);
    cr_assert_not_null(e);
    expect_pos(e, 3, 2, 3, 2);                 /* implicit: where its part is */
    expect_pos(ll_toml_at(e, 0), 3, 2, 3, 6);  /* [ "é".t ]: the header, and t */
    const LLTomlValue *k = ll_toml_lookup(ll_toml_at(e, 0), "k");
    expect_pos(k, 4, 5, 4, 1);
    expect_pos(ll_toml_lookup(k, "a"), 4, 11, 4, 7);
    expect_pos(ll_toml_lookup(k, "b"), 4, 14, 4, 14); /* a tab is one column */
    expect_pos(ll_toml_lookup(k, "b.c"), 4, 20, 4, 16);
    expect_pos(ll_toml_get(d, "arr"), 5, 3, 5, 3);
    expect_pos(ll_toml_get(d, "arr[0]"), 5, 3, 5, 3);
    expect_pos(ll_toml_get(d, "arr[0].v"), 6, 7, 6, 3);
    expect_path(ll_toml_lookup(k, "b.c"), "\"\xc3\xa9\".t.k.b.c");
    ll_toml_free(d);

    /* a byte-order mark is skipped (columns count it, as one code point) */
    d = parse_ok("\xEF\xBB\xBFx = 1\n");
    cr_expect_eq(int_at(d, "x"), 1);
    ll_toml_free(d);
}

Test(toml, key_paths)
{
    LLTomlDoc *d = parse_ok("[tool.loadlint]\nselect = [\"a\"]\n"
                            "[\"a.b\".'c d'.\"\"]\n\"\\u0001\" = 1\n\"q\\\"\" = 2\n");
    expect_path(ll_toml_root(d), "");
    expect_path(ll_toml_get(d, "tool.loadlint.select"), "tool.loadlint.select");
    expect_path(ll_toml_get(d, "tool.loadlint.select[0]"), "tool.loadlint.select[0]");
    const LLTomlValue *t = ll_toml_get(d, "\"a.b\".\"c d\".\"\"");
    cr_assert_not_null(t);
    expect_path(t, "\"a.b\".\"c d\".\"\"");
    expect_path(ll_toml_at(t, 0), "\"a.b\".\"c d\".\"\".\"\\u0001\"");
    expect_path(ll_toml_at(t, 1), "\"a.b\".\"c d\".\"\".\"q\\\"\"");
    cr_expect_not_null(ll_toml_find(t, "\x01", 1));
    ll_toml_free(d);
}

Test(toml, large_tables_are_indexed)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, "[big]\n");
    for (int i = 0; i < 500; i++)
        ll_buf_printf(&b, "key-%d = %d\n", i, i);
    ll_buf_puts(&b, "\"nul\\u0000key\" = -1\n[small]\na = 1\n");
    LLTomlDoc *d = parse_ok(b.data);
    const LLTomlValue *big = get(d, "big", LL_TOML_TABLE);
    cr_assert_eq(ll_toml_len(big), 501);
    char key[32];
    for (int i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        const LLTomlValue *v = ll_toml_find(big, key, strlen(key));
        cr_assert_not_null(v, "%s", key);
        cr_expect_eq(ll_toml_int(v), i);
        cr_expect_eq(ll_toml_at(big, (size_t)i), v);
    }
    cr_expect_null(ll_toml_find(big, "key-500", 7));
    cr_expect_null(ll_toml_find(big, "key", 3));
    cr_expect_eq(ll_toml_int(ll_toml_find(big, "nul\0key", 7)), -1);
    cr_expect_null(ll_toml_find(big, "nul", 3));
    cr_expect_eq(ll_toml_int(ll_toml_find(get(d, "small", LL_TOML_TABLE), "a", 1)), 1);
    ll_toml_free(d);
    ll_buf_release(&b);
}

/* ---- text and syntax errors ------------------------------------------------- */

Test(toml, text_errors_have_positions)
{
    parse_bad("a = \"\xff\"\n", 1, 6, "not valid UTF-8");
    parse_bad("a = 1\n\"\xc3\xa9\xed\xa0\x80\" = 2\n", 2, 3, "not valid UTF-8"); /* a surrogate */
    parse_bad("a = \"\xc0\xaf\"\n", 1, 6, "not valid UTF-8");                  /* overlong */
    parse_bad_st("a = \"x\0y\"\n", 10, LL_ERR_CONFIG, 1, 7, "control character U+0000");
    parse_bad("a = \"x\x01y\"\n", 1, 7, "control character U+0001");
    parse_bad("a = 1 # \x7f\n", 1, 9, "control character U+007F");
    parse_bad("a = 1\rb = 2\n", 1, 6, "carriage return");
    parse_bad("[t\n", 1, 1, "invalid TOML");
    parse_bad("[t]\nselect = [\"LL1\"\nignore = []\n", 3, 1, "invalid TOML near 'ignore");
    parse_bad("a = [\"a\",,]\n", 1, 10, "invalid TOML");
    parse_bad("\xc3\xa9t\xc3\xa9 = 1\n", 1, 1, "unexpected");
    parse_bad("a = \"\\q\"\n", 1, 6, "invalid TOML");
    parse_bad("a = \"\\ud800\"\n", 1, 6, "not a Unicode scalar value");
    parse_bad("a = \"\\U00110000\"\n", 1, 6, "not a Unicode scalar value");
    parse_bad("a = {b = 1,}\n", 1, 11, "invalid TOML");
    parse_bad("a = \"\"\"x\"\"\"\"\"\"\n", 1, 9, "three '\"' in a row");
    parse_bad("a = '''x''''''\n", 1, 9, "three \"'\" in a row");
    parse_bad("a = 1 b = 2\n", 1, 6, "expected the end of the line here");
    parse_bad("a = {x = 1} y = 2\n", 1, 12, "expected the end of the line here");
    parse_bad("a = 1\nb = [1] [2]\n", 2, 8, "expected the end of the line here");
    parse_bad("= 1\n", 1, 1, "invalid TOML");
}

Test(toml, limits)
{
    /* nesting: 128 levels (the key counts one) */
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_puts(&b, "x = ");
    for (int i = 0; i < 127; i++)
        ll_buf_putc(&b, '[');
    for (int i = 0; i < 127; i++)
        ll_buf_putc(&b, ']');
    ll_buf_putc(&b, '\n');
    LLTomlDoc *d = parse_ok(b.data);
    ll_toml_free(d);
    ll_buf_reset(&b);
    ll_buf_puts(&b, "a.x = ");
    for (int i = 0; i < 127; i++)
        ll_buf_puts(&b, "{a=");
    ll_buf_puts(&b, "1");
    for (int i = 0; i < 127; i++)
        ll_buf_putc(&b, '}');
    ll_buf_putc(&b, '\n');
    parse_bad_st(b.data, b.len, LL_ERR_LIMIT, 1, 7 + 127 * 3, "nesting deeper than 128 levels");
    /* deeper than that, closed or not, before the grammar sees it (its
     * parser frees a node twice with about 65,000 unclosed brackets) */
    for (int n = 0; n < 2; n++) {
        ll_buf_reset(&b);
        ll_buf_puts(&b, "x = ");
        for (int i = 0; i < 100000; i++)
            ll_buf_puts(&b, "[1,");
        parse_bad_st(b.data, b.len, LL_ERR_LIMIT, 1, 5 + 128 * 3, "nesting deeper than 128 levels");
    }
    /* brackets in strings count towards the looser bound */
    ll_buf_reset(&b);
    ll_buf_puts(&b, "x = \"");
    for (int i = 0; i < 5000; i++)
        ll_buf_putc(&b, '{');
    ll_buf_puts(&b, "\"\n");
    parse_bad_st(b.data, b.len, LL_ERR_LIMIT, 1, 6 + LL_TOML_MAX_OPEN_BRACKETS,
                 "more than 4096 brackets open at once");
    /* a key with too many parts */
    ll_buf_reset(&b);
    for (int i = 0; i < 200; i++)
        ll_buf_puts(&b, i ? ".k" : "k");
    ll_buf_puts(&b, " = 1\n");
    parse_bad_st(b.data, b.len, LL_ERR_LIMIT, 1, 1 + 2 * 128, "more than 128 parts");
    ll_buf_reset(&b);
    ll_buf_puts(&b, "[");
    for (int i = 0; i < 129; i++)
        ll_buf_puts(&b, i ? ".k" : "k");
    ll_buf_puts(&b, "]\n");
    parse_bad_st(b.data, b.len, LL_ERR_LIMIT, 1, 2 + 2 * 128, "more than 128 parts");
    ll_buf_release(&b);

    /* size: the default bound, and a caller's */
    LLTomlOptions opt = {10, LL_OK};
    LLError err;
    LLTomlDoc *none = NULL;
    cr_expect_eq(ll_toml_parse(&none, "s.toml", "a = 12345678\n", 13, &opt, &err), LL_ERR_LIMIT);
    cr_expect(strstr(err.msg, "larger than 10 bytes"), "%s", err.msg);
    cr_expect_null(none);
    cr_expect_eq(ll_toml_parse(&none, "s.toml", "x", (size_t)LL_TOML_MAX_BYTES + 1, NULL, &err),
                 LL_ERR_LIMIT);
    opt.max_bytes = 13;
    cr_expect_eq(ll_toml_parse(&none, "s.toml", "a = 12345678\n", 13, &opt, &err), LL_OK);
    ll_toml_free(none);
}

Test(toml, caller_chosen_status)
{
    LLTomlOptions opt = {0, LL_ERR_RULE};
    LLError err;
    LLTomlDoc *d = NULL;
    cr_expect_eq(ll_toml_parse(&d, "lock", "a = 1\na = 2\n", 12, &opt, &err), LL_ERR_RULE);
    cr_expect_eq(ll_toml_parse(&d, "lock", "a = [\n", 6, &opt, &err), LL_ERR_RULE);
    cr_assert_eq(ll_toml_parse(&d, "lock", "a = 1\n", 6, &opt, &err), LL_OK);
    cr_expect_str_eq(ll_toml_name(d), "lock");
    cr_expect_eq(ll_toml_want(d, ll_toml_get(d, "a"), LL_TOML_STRING, &err), LL_ERR_RULE);
    ll_toml_free(d);
    ll_toml_free(NULL);
}

/* ---- typed access ----------------------------------------------------------- */

Test(toml, typed_access_errors)
{
    LLTomlDoc *d = parse_ok("[tool.loadlint]\nselect = [\"a\", 3]\ncache = \"yes\"\nn = 1.5\nb = true\n"
                            "[[package]]\nname = \"x\"\n[[package]]\nversion = 2\n");
    LLError err;
    const LLTomlValue *sel = ll_toml_get(d, "tool.loadlint.select");
    cr_expect_eq(ll_toml_want_strings(d, sel, &err), LL_ERR_CONFIG);
    cr_expect_str_eq(err.file, "t.toml");
    cr_expect_eq(err.line, 2);
    cr_expect_eq(err.col, 16);
    cr_expect_str_eq(err.msg, "tool.loadlint.select: expected an array of strings, found an integer at "
                              "tool.loadlint.select[1]");
    const LLTomlValue *cache = ll_toml_get(d, "tool.loadlint.cache");
    bool bval;
    cr_expect_eq(ll_toml_want_bool(d, cache, &bval, &err), LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "tool.loadlint.cache: expected a boolean, found a string");
    cr_expect_eq(err.line, 3);
    cr_expect_eq(err.col, 9);
    cr_expect_eq(ll_toml_want_strings(d, cache, &err), LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "tool.loadlint.cache: expected an array of strings, found a string");
    const char *s;
    cr_expect_eq(ll_toml_want_string(d, cache, &s, &err), LL_OK);
    cr_expect_str_eq(s, "yes");
    int64_t i;
    double f;
    cr_expect_eq(ll_toml_want_int(d, ll_toml_get(d, "tool.loadlint.n"), &i, &err), LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "tool.loadlint.n: expected an integer, found a float");
    cr_expect_eq(ll_toml_want_float(d, ll_toml_get(d, "tool.loadlint.n"), &f, &err), LL_OK);
    cr_expect_eq(f, 1.5);
    cr_expect_eq(ll_toml_want_bool(d, ll_toml_get(d, "tool.loadlint.b"), &bval, &err), LL_OK);
    cr_expect(bval);
    cr_expect_eq(ll_toml_want(d, ll_toml_root(d), LL_TOML_ARRAY, &err), LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "expected an array, found a table");
    cr_expect_eq(ll_toml_want(d, ll_toml_get(d, "package"), LL_TOML_TABLE, &err), LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "package: expected a table, found an array of tables");
    const LLTomlValue *v;
    cr_expect_eq(ll_toml_want_key(d, ll_toml_get(d, "package[0]"), "name", LL_TOML_STRING, &v, &err), LL_OK);
    cr_expect_str_eq(ll_toml_str(v, NULL), "x");
    cr_expect_eq(ll_toml_want_key(d, ll_toml_get(d, "package[1]"), "name", LL_TOML_STRING, &v, &err),
                 LL_ERR_CONFIG);
    cr_expect_null(v);
    cr_expect_str_eq(err.msg, "package[1]: missing key \"name\"");
    cr_expect_eq(err.line, 8);
    cr_expect_eq(err.col, 3);
    cr_expect_eq(ll_toml_want_key(d, ll_toml_get(d, "package[1]"), "version", LL_TOML_STRING, &v, &err),
                 LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "package[1].version: expected a string, found an integer");
    cr_expect_eq(ll_toml_error(d, ll_toml_get(d, "package[1].version"), true, &err, "custom %d", 7),
                 LL_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "custom 7");
    cr_expect_eq(err.line, 9);
    cr_expect_eq(err.col, 1);
    ll_toml_free(d);
}

/* ---- writing ---------------------------------------------------------------- */

Test(toml, writing_round_trips)
{
    const char *samples[] = {"plain", "q\"b\\s", "line\nnext\ttab", "\x01\x1f\x7f", "\xc3\xa9\xe2\x82\xac", ""};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        LLBuf doc;
        ll_buf_init(&doc);
        ll_buf_puts(&doc, "k = ");
        ll_toml_write_string(&doc, samples[i], strlen(samples[i]));
        ll_buf_puts(&doc, "\n");
        ll_toml_write_key(&doc, samples[i], strlen(samples[i]));
        ll_buf_puts(&doc, " = 1\n");
        LLTomlDoc *d = parse_ok(doc.data);
        cr_expect_str_eq(str_at(d, "k"), samples[i]);
        cr_expect_not_null(ll_toml_find(ll_toml_root(d), samples[i], strlen(samples[i])), "key %zu", i);
        ll_toml_free(d);
        ll_buf_release(&doc);
    }
    LLBuf b;
    ll_buf_init(&b);
    ll_toml_write_key(&b, "bare-Key_9", 10);
    ll_buf_putc(&b, ' ');
    ll_toml_write_key(&b, "a.b", 3);
    ll_buf_putc(&b, ' ');
    ll_toml_write_string(&b, "a\0b", 3);
    cr_expect_str_eq(b.data, "bare-Key_9 \"a.b\" \"a\\u0000b\"");
    ll_buf_release(&b);
}

/* ---- a large poetry.lock ------------------------------------------------------ */

Test(toml, large_lock_file_is_fast)
{
    enum { PACKAGES = 6000 };
    LLBuf b;
    ll_buf_init(&b);
    for (int i = 0; i < PACKAGES; i++) {
        ll_buf_printf(&b, "[[package]]\nname = \"package-%d\"\nversion = \"%d.%d.%d\"\n", i, i % 10,
                      i % 7, i % 13);
        ll_buf_puts(&b, "description = \"A package with a long description, \xc3\xa9 \xc3\xbc\"\n"
                        "optional = false\npython-versions = \">=3.8\"\nfiles = [\n");
        for (int k = 0; k < 4; k++)
            ll_buf_printf(&b, "    {file = \"package-%d-%d-py3-none-any.whl\", hash = "
                              "\"sha256:%08x%08x%08x%08x%08x%08x%08x%08x\"},\n",
                          i, k, i, k, i * 7, k * 13, i ^ k, 0xdeadbeefu, (unsigned)i * 2654435761u, 42u);
        ll_buf_printf(&b, "]\n\n[package.dependencies]\ndep-%d = \">=1.0\"\n"
                          "extra-%d = {version = \"*\", optional = true, markers = \"python_version >= '3.8'\"}\n\n"
                          "[package.extras]\ntest = [\"pytest (>=7)\", \"coverage\"]\n\n",
                      (i + 1) % PACKAGES, i);
    }
    ll_buf_puts(&b, "[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.10\"\ncontent-hash = \"abc\"\n"
                    "\n[metadata.files]\n");
    for (int i = 0; i < PACKAGES; i++)
        ll_buf_printf(&b, "package-%d = []\n", i);
    cr_assert_gt(b.len, 4u * 1024 * 1024);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    LLTomlDoc *d = NULL;
    LLError err;
    LLStatus st = ll_toml_parse(&d, "poetry.lock", b.data, b.len, NULL, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_assert_eq(st, LL_OK, "%s:%u:%u: %s", err.file, err.line, err.col, err.msg);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* about 0.5 s on one core of the build machine; generous for a loaded
     * or instrumented build */
    cr_expect_lt(secs, 10.0, "%.2f s for %zu bytes", secs, b.len);
    const LLTomlValue *pkgs = get(d, "package", LL_TOML_ARRAY);
    cr_assert_eq(ll_toml_len(pkgs), PACKAGES);
    for (size_t i = 0; i < PACKAGES; i += 997) {
        char want[32];
        snprintf(want, sizeof want, "package-%zu", i);
        const LLTomlValue *p = ll_toml_at(pkgs, i);
        cr_expect_str_eq(ll_toml_str(ll_toml_lookup(p, "name"), NULL), want);
        cr_expect_eq(ll_toml_len(ll_toml_lookup(p, "files")), 4);
        cr_expect_not_null(ll_toml_lookup(p, "files[3].hash"));
        cr_expect_eq(ll_toml_line(p), 1 + 20 * i);
    }
    const LLTomlValue *files = get(d, "metadata.files", LL_TOML_TABLE);
    cr_expect_eq(ll_toml_len(files), PACKAGES);
    cr_expect_not_null(ll_toml_find(files, "package-5999", 12));
    cr_expect_str_eq(str_at(d, "metadata.lock-version"), "2.0");
    ll_toml_free(d);
    ll_buf_release(&b);
}
