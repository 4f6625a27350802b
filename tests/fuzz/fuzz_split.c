/* fuzz_split.c - bytes -> the plan of a partial parse (src/engine/split.h).
 *
 * The input is a Python file's text. It is scanned for its units and class
 * members and planned with a few rule names (a dotted name, a method, a
 * keyword a rule tests, a filler, a source substring) and a threshold of
 * one byte, so that every plan is used. Besides "no crash, no leak, no UB,
 * no hang", it checks:
 *   - the scan's identifier set is ll_identset_build's, slot for slot;
 *   - a scan without an identifier set gives the same plan (the analysis
 *     plans from such a scan);
 *   - the plan's ranges are ascending, apart, non-empty, inside the text,
 *     each starting at the text's start or at a line's, and with the bytes
 *     left out they make up the whole text;
 *   - each range's start point is the parser's row and column of its start
 *     byte (LF, CRLF and lone CR end a row). */
#include "fuzz_common.h"

#include "base/nameset.h"
#include "base/strlist.h"
#include "base/strmap.h"
#include "engine/split.h"

static LLNameSet g_rules;
static LLIdentSet g_methods, g_calls, g_keywords;
static LLStrList g_literals;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ll_nameset_init(&g_rules);
    static const char *const names[] = {"pickle.loads", "torch.load", "from_pretrained",
                                        "keras.models.load_model.safe_mode", "copy", "input"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        ll_nameset_add(&g_rules, names[i]);
    ll_identset_init(&g_methods);
    ll_identset_add(&g_methods, ll_strmap_hash("from_pretrained", 15));
    ll_identset_init(&g_calls);
    ll_identset_add(&g_calls, ll_strmap_hash("copy", 4));
    ll_identset_init(&g_keywords);
    ll_identset_add(&g_keywords, ll_strmap_hash("safe_mode", 9));
    ll_strlist_push(&g_literals, "_pb2_grpc");
    return 0;
}

static bool plan(LLSplit *sp, const char *text, size_t len, const LLIdentSet *ids)
{
    LLSplitNames names = {.sets = {&g_rules}, .literals = &g_literals, .keywords = &g_keywords};
    names.methods[0] = &g_methods;
    names.calls[0] = &g_calls;
    sp->min_skip_bytes = 1;
    return ll_split_plan(sp, text, len, ids, &names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ll_fuzz_text(data, size);
    LLSplit a, b;
    ll_split_init(&a);
    ll_split_init(&b);
    LLIdentSet ids, built;
    ll_identset_init(&ids);
    ll_identset_init(&built);

    ll_split_scan(&a, text, size, "pkg.mod", &ids);
    ll_identset_build(&built, text, size, "pkg.mod");
    LL_FUZZ_CHECK(ids.count == built.count, "%zu identifiers against %zu", ids.count, built.count);
    for (size_t i = 0; i < built.cap; i++)
        LL_FUZZ_CHECK(!built.slots[i] || ll_identset_has(&ids, built.slots[i]), "an identifier is missing");

    bool pa = plan(&a, text, size, &ids);
    ll_split_scan(&b, text, size, NULL, NULL);
    bool pb = plan(&b, text, size, &ids);
    LL_FUZZ_CHECK(pa == pb, "planned %d with an identifier set, %d without", pa, pb);
    if (pa) {
        LL_FUZZ_CHECK(a.ranges.len == b.ranges.len, "%zu ranges against %zu", a.ranges.len, b.ranges.len);
        size_t kept = 0, row = 0, col = 0, at = 0;
        for (size_t i = 0; i < a.ranges.len; i++) {
            const TSRange *r = &a.ranges.items[i];
            LL_FUZZ_CHECK(r->start_byte == b.ranges.items[i].start_byte &&
                              r->end_byte == b.ranges.items[i].end_byte,
                          "range %zu differs", i);
            LL_FUZZ_CHECK(r->start_byte < r->end_byte && r->end_byte <= size, "range %zu: %u-%u of %zu",
                          i, r->start_byte, r->end_byte, size);
            LL_FUZZ_CHECK(i == 0 || a.ranges.items[i - 1].end_byte < r->start_byte,
                          "range %zu is not after the one before", i);
            LL_FUZZ_CHECK(r->start_byte == 0 || text[r->start_byte - 1] == '\n' ||
                              text[r->start_byte - 1] == '\r',
                          "range %zu starts inside a line (byte %u)", i, r->start_byte);
            for (; at < r->start_byte; at++) {
                if (text[at] == '\n' || (text[at] == '\r' && (at + 1 >= size || text[at + 1] != '\n'))) {
                    row++;
                    col = 0;
                } else {
                    col++;
                }
            }
            LL_FUZZ_CHECK(r->start_point.row == row && r->start_point.column == col,
                          "range %zu starts at %u:%u, the parser's %zu:%zu", i, r->start_point.row,
                          r->start_point.column, row, col);
            kept += r->end_byte - r->start_byte;
        }
        LL_FUZZ_CHECK(kept + a.skipped_bytes == size, "%zu bytes kept and %zu left out of %zu", kept,
                      a.skipped_bytes, size);
    }

    ll_identset_release(&ids);
    ll_identset_release(&built);
    ll_split_release(&a);
    ll_split_release(&b);
    free(text);
    return 0;
}
