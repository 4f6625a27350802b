/* fuzz_toml.c - bytes -> the TOML reader (src/config/toml.h).
 *
 * The input is parsed whole (ll_toml_parse). A rejected document must come
 * with an error message, and a position for everything but the limits
 * without one (size, parse time). An accepted one is walked (with an
 * explicit stack) and checked: every value has a position; every table
 * entry is found again by its key (ll_toml_find) and, when its key path
 * has no escapes, by that path (ll_toml_lookup); strings are valid UTF-8;
 * a string written back with ll_toml_write_string reads back the same;
 * typed access and error messages work on every value. Seeds:
 * tests/fuzz/seeds/fuzz_toml (pyproject, poetry.lock, uv.lock, the
 * reader's features and errors). */
#include "fuzz_common.h"

#include "base/buf.h"
#include "config/toml.h"

#include <string.h>

enum { MAX_WALK = 100000, MAX_ROUND_TRIPS = 16 };

/* k = <s written as TOML> reads back as s. */
static void round_trip(const char *s, size_t len)
{
    LLBuf doc;
    ll_buf_init(&doc);
    ll_buf_puts(&doc, "k = ");
    ll_toml_write_string(&doc, s, len);
    ll_buf_putc(&doc, '\n');
    LLTomlDoc *d = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_toml_parse(&d, "round-trip", doc.data, doc.len, NULL, &err);
    LL_FUZZ_CHECK(st == LL_OK || st == LL_ERR_LIMIT, "a written string does not read back: %s: %s",
                  doc.data, err.msg);
    if (st == LL_OK) {
        size_t n;
        const char *back = ll_toml_str(ll_toml_get(d, "k"), &n);
        LL_FUZZ_CHECK(back && n == len && memcmp(back, s, len) == 0, "a string changed on its way back: %s",
                      doc.data);
    }
    ll_toml_free(d);
    ll_buf_release(&doc);
}

static void check_value(const LLTomlDoc *d, const LLTomlValue *v, LLBuf *path, size_t *trips)
{
    LL_FUZZ_CHECK(ll_toml_line(v) >= 1 && ll_toml_col(v) >= 1, "a value without a position");
    LL_FUZZ_CHECK(ll_toml_key_line(v) >= 1 && ll_toml_key_col(v) >= 1, "a key without a position");
    const LLTomlValue *parent = ll_toml_parent(v);
    if (parent) {
        LL_FUZZ_CHECK(ll_toml_at(parent, ll_toml_index(v)) == v, "a value is not at its index");
        size_t klen;
        const char *key = ll_toml_key(v, &klen);
        if (ll_toml_type(parent) == LL_TOML_TABLE) {
            LL_FUZZ_CHECK(key != NULL, "a table entry without a key");
            LL_FUZZ_CHECK(ll_toml_find(parent, key, klen) == v, "a table entry is not found by its key");
        } else {
            LL_FUZZ_CHECK(key == NULL, "an array item with a key");
        }
    }
    ll_buf_reset(path);
    ll_toml_path(v, path);
    LL_FUZZ_CHECK((path->len == 0) == (parent == NULL), "a key path is empty, or the root's is not");
    if (!strchr(path->data, '\\'))
        LL_FUZZ_CHECK(ll_toml_lookup(ll_toml_root(d), path->data) == v, "the path %s does not lead back",
                      path->data);
    size_t len;
    const char *s = ll_toml_str(v, &len);
    if (s) {
        LL_FUZZ_CHECK(s[len] == '\0', "a string is not NUL-terminated");
        size_t bad = ll_fuzz_utf8_invalid_at((const unsigned char *)s, len);
        LL_FUZZ_CHECK(bad == len, "a string is not UTF-8 at byte %zu", bad);
        if (ll_toml_type(v) == LL_TOML_STRING && (*trips)++ < MAX_ROUND_TRIPS)
            round_trip(s, len);
    }
    LLError err;
    memset(&err, 0, sizeof err);
    LLTomlType other = ll_toml_type(v) == LL_TOML_STRING ? LL_TOML_INTEGER : LL_TOML_STRING;
    LL_FUZZ_CHECK(ll_toml_want(d, v, other, &err) != LL_OK && err.msg[0] && err.line >= 1,
                  "a type error without a message or position");
    (void)ll_toml_want_strings(d, v, &err);
    (void)ll_toml_describe(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    LLTomlDoc *d = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_toml_parse(&d, "fuzz.toml", (const char *)data, size, NULL, &err);
    if (st != LL_OK) {
        LL_FUZZ_CHECK(d == NULL, "a rejected document was returned");
        LL_FUZZ_CHECK(err.msg[0] != '\0', "a rejected document without an error message");
        LL_FUZZ_CHECK(st == LL_ERR_CONFIG || st == LL_ERR_LIMIT, "status %d", (int)st);
        LL_FUZZ_CHECK(st == LL_ERR_LIMIT || err.line >= 1, "an error without a position: %s", err.msg);
        LL_FUZZ_CHECK(strcmp(err.file, "fuzz.toml") == 0, "an error naming %s", err.file);
        return 0;
    }
    /* pre-order walk: (value, next child) pairs */
    typedef struct {
        const LLTomlValue *v;
        size_t next;
    } Item;
    Item *stack = malloc((LL_TOML_MAX_DEPTH + 2) * sizeof *stack);
    if (!stack)
        abort();
    size_t n = 0, seen = 0, trips = 0;
    LLBuf path;
    ll_buf_init(&path);
    stack[n++] = (Item){ll_toml_root(d), 0};
    check_value(d, ll_toml_root(d), &path, &trips);
    while (n && seen < MAX_WALK) {
        Item *top = &stack[n - 1];
        if (top->next >= ll_toml_len(top->v)) {
            n--;
            continue;
        }
        const LLTomlValue *c = ll_toml_at(top->v, top->next++);
        LL_FUZZ_CHECK(c && ll_toml_parent(c) == top->v, "a child with another parent");
        LL_FUZZ_CHECK(n <= LL_TOML_MAX_DEPTH, "a value deeper than LL_TOML_MAX_DEPTH");
        check_value(d, c, &path, &trips);
        seen++;
        stack[n++] = (Item){c, 0};
    }
    ll_buf_release(&path);
    free(stack);
    ll_toml_free(d);
    return 0;
}
