/* fuzz_prefilter.c - bytes -> the pre-filter's identifiers (engine/prefilter.h).
 *
 * The input is a Python file's text. ll_prefilter_identifiers leaves the
 * words of comments out; a word of code or of a string left out would be a
 * file skipped that holds a finding. Besides "no crash, no leak, no UB, no
 * hang", it checks:
 *   - its set is part of ll_identset_build's (every word of the text), and
 *     equal to it when it says the text could not be followed;
 *   - when tree-sitter-python reads the text without an error, every
 *     identifier of the tree and every word of every string's content is
 *     in it (comments are the only nodes whose words may be missing). */
#include "fuzz_common.h"

#include "base/nameset.h"
#include "base/strmap.h"
#include "engine/prefilter.h"
#include "engine/syntax.h"

#include <tree_sitter/api.h>

/* Parsing time per input; a longer parse is not checked. */
#define FUZZ_PARSE_TIMEOUT_US (2u * 1000u * 1000u)

static bool node_words_in(const LLIdentSet *ids, LLIdentSet *scratch, const char *text, TSNode n)
{
    ll_identset_clear(scratch);
    ll_identset_add_words(scratch, text + ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
    for (size_t i = 0; i < scratch->cap; i++)
        if (scratch->slots[i] && !ll_identset_has(ids, scratch->slots[i]))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ll_fuzz_text(data, size);
    LLIdentSet ids, all, scratch;
    ll_identset_init(&ids);
    ll_identset_init(&all);
    ll_identset_init(&scratch);
    bool followed = ll_prefilter_identifiers(&ids, text, size, "pkg.mod");
    ll_identset_build(&all, text, size, "pkg.mod");
    for (size_t i = 0; i < ids.cap; i++)
        LL_FUZZ_CHECK(!ids.slots[i] || ll_identset_has(&all, ids.slots[i]), "a word that is not in the text");
    if (!followed)
        LL_FUZZ_CHECK(ids.count == all.count, "not followed, yet %zu words of %zu", ids.count, all.count);

    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, ll_syntax_python());
    ts_parser_set_timeout_micros(parser, FUZZ_PARSE_TIMEOUT_US);
    TSTree *tree = size <= UINT32_MAX ? ts_parser_parse_string(parser, NULL, text, (uint32_t)size) : NULL;
    if (tree && !ts_node_has_error(ts_tree_root_node(tree))) {
        TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
        for (;;) {
            TSNode n = ts_tree_cursor_current_node(&cur);
            const char *type = ts_node_type(n);
            bool code = strcmp(type, "identifier") == 0, content = strcmp(type, "string_content") == 0;
            if (code || content)
                LL_FUZZ_CHECK(node_words_in(&ids, &scratch, text, n), "the %s at byte %u is left out", type,
                              ts_node_start_byte(n));
            if (strcmp(type, "comment") != 0 && ts_tree_cursor_goto_first_child(&cur))
                continue;
            while (!ts_tree_cursor_goto_next_sibling(&cur))
                if (!ts_tree_cursor_goto_parent(&cur))
                    goto walked;
        }
    walked:
        ts_tree_cursor_delete(&cur);
    }
    if (tree)
        ts_tree_delete(tree);
    ts_parser_delete(parser);
    ll_identset_release(&ids);
    ll_identset_release(&all);
    ll_identset_release(&scratch);
    free(text);
    return 0;
}
