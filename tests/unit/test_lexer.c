/* Logical lines (lexer.h), and the skim over a def's body that the module
 * facts scan uses: skipping a body must land exactly where reading it line
 * by line would, or a module-level import after it would be lost. */
#include "engine/lexer.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What reading line by line gives: the number of lines indented more than
 * `limit` before the first that is not, and that line (start; 0 and no
 * line when the text ends first). */
static size_t oracle(const char *text, size_t pos, uint32_t limit, LLLine *next, bool *has_next)
{
    LLLexer lx = {text, strlen(text), pos};
    size_t lines = 0;
    *has_next = false;
    while (ll_lex_line(&lx, next)) {
        if (next->indent <= limit) {
            *has_next = true;
            return lines;
        }
        lines++;
    }
    return lines;
}

static void check_same(const char *text, size_t pos, uint32_t limit)
{
    LLLine *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b), *scratch = calloc(1, sizeof *scratch);
    bool has_a, has_b;
    size_t want = oracle(text, pos, limit, a, &has_a);
    LLLexer lx = {text, strlen(text), pos};
    size_t got = ll_lex_skip_deeper(&lx, limit, SIZE_MAX, scratch);
    has_b = ll_lex_line(&lx, b);
    cr_assert_eq(got, want, "lines skipped: %zu, read one by one: %zu, in:\n%s", got, want, text);
    cr_assert_eq(has_b, has_a, "a line after the body: %d vs %d, in:\n%s", has_b, has_a, text);
    if (has_a) {
        cr_assert_eq(b->start, a->start, "next line at %zu, not %zu, in:\n%s", b->start, a->start, text);
        cr_assert_eq(b->indent, a->indent);
        cr_assert_eq(b->n, a->n);
    }
    free(a);
    free(b);
    free(scratch);
}

Test(lexer, skim_stops_at_the_first_shallow_line)
{
    const char *t = "    x = f(1)\n    return x\nimport pickle\n";
    check_same(t, 0, 0);
    LLLexer lx = {t, strlen(t), 0};
    LLLine *scratch = calloc(1, sizeof *scratch), *l = calloc(1, sizeof *l);
    cr_assert_eq(ll_lex_skip_deeper(&lx, 0, SIZE_MAX, scratch), 2);
    cr_assert(ll_lex_line(&lx, l));
    cr_assert_eq(l->n, 2);
    cr_assert(l->tok[1].len == 6 && memcmp(l->tok[1].s, "pickle", 6) == 0);
    free(scratch);
    free(l);
}

Test(lexer, skim_through_what_looks_like_a_dedent)
{
    /* strings, brackets and continuations that reach column 0 inside a body */
    check_same("    s = \"\"\"\nimport os\n\"\"\"\n    t = (1,\n2)\n    u = 1 + \\\n2\nimport pickle\n", 0, 0);
    check_same("    d = {'a': [\n# not a comment line of the module\n]}\nfrom x import y\n", 0, 0);
    check_same("    s = 'it''s' \"q\\\"\" r'\\''\n    # (\n# [\n    pass\nclass C:\n", 0, 0);
}

Test(lexer, skim_comments_blank_lines_and_line_ends)
{
    check_same("    a = 1\n\n# a comment at column 0\n    b = 2\n\nimport pickle\n", 0, 0);
    check_same("    a = 1\r\n    b = (2,\r\n3)\r\nimport pickle\r\n", 0, 0);
    check_same("    a = 1\r    b = 2\rimport x\r", 0, 0);
    check_same("\ta = 1\n        b = 2\n    c = 3\nd = 4\n", 0, 4);
    check_same("        a = 1\n    b = 2\n", 0, 4);
    check_same("    a = 1\n    \\\nimport pickle\n", 0, 0);
    check_same("    x = '''unterminated\n", 0, 0);
    check_same("    x = (\n", 0, 0);
    check_same("", 0, 0);
}

/* Random texts made of fragments that change line structure. */
Test(lexer, skim_matches_line_by_line_on_random_texts)
{
    static const char *frag[] = {
        "    x = 1\n", "import pickle\n", "\n", "# c\n", "    # c (\n", "    s = \"\"\"\n",
        "\"\"\"\n", "    t = (\n", ")\n", "]\n", "    u = [1,\n", "    v = 1 + \\\n", "\\\n",
        "    w = 'a\\'b'\n", "\tx = {\n", "}\n", "    y = r'\\'\n", "def f():\n", "  z = 2\r\n",
        "\r", "    q = f'{a}' \"b\"\n", "'''\n", "    '''\n", "x = '\n",
    };
    uint64_t state = 0x9e3779b97f4a7c15ull;
    char text[2048];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        text[0] = '\0';
        int n = 1 + (int)(state % 14);
        for (int i = 0; i < n; i++) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            const char *f = frag[state % (sizeof frag / sizeof *frag)];
            size_t fl = strlen(f);
            if (len + fl + 1 >= sizeof text)
                break;
            memcpy(text + len, f, fl + 1);
            len += fl;
        }
        check_same(text, 0, (uint32_t)(state % 3) * 2);
    }
}
