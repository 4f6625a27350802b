/* helpers.h - shared helpers for the unit tests (static inline only).
 *
 * LTDoc parses a Python snippet held in a string and builds the semantic
 * model for it exactly as a worker does (syntax tables, parser, source,
 * resolver). lt_run_text writes a snippet to a temporary file and runs the
 * whole pipeline (ll_discover + ll_run) on it. */
#ifndef LL_TEST_HELPERS_H
#define LL_TEST_HELPERS_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/strmap.h"
#include "engine/discover.h"
#include "engine/flow.h"
#include "engine/frontend.h"
#include "engine/resolve.h"
#include "engine/run.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <criterion/criterion.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tree_sitter/api.h>

typedef struct LTDoc {
    LLSyntax syn;
    TSParser *parser;
    TSTree *tree;
    TSNode root;
    LLArena arena;
    LLSource src;
    LLSemantic sem;
    LLFrontEnd front; /* the scan's own front end: decode, index, parse */
    LLRuleset *rules; /* the built-in rules and sources */
    char *text; /* owned copy of the snippet */
} LTDoc;

/* The built-in rules and sources, finished (ll_ruleset_free it). */
static inline LLRuleset *lt_builtin_rules(void)
{
    LLError err;
    LLRuleset *rs = ll_ruleset_new();
    cr_assert_eq(ll_ruleset_add_builtin(rs, &err), LL_OK, "%s:%u: %s", err.file, err.line, err.msg);
    ll_ruleset_finish(rs);
    return rs;
}

/* Parses `code` and builds the semantic model. `known` may be NULL. */
static inline void lt_doc_open(LTDoc *d, const char *code, const LLStrMap *known)
{
    memset(d, 0, sizeof *d);
    cr_assert_eq(ll_syntax_init(&d->syn, ll_syntax_python()), 0,
                 "ll_syntax_init failed (grammar mismatch)");
    d->parser = ts_parser_new();
    cr_assert(ts_parser_set_language(d->parser, d->syn.language));
    d->text = strdup(code);
    ll_arena_init(&d->arena);
    ll_frontend_init(&d->front);
    LLError err;
    cr_assert_eq(ll_frontend_decode(&d->front, "<test>", "<test>", d->text, strlen(d->text),
                                    &d->arena, &d->src, &err),
                 LL_DECODE_OK, "%s", err.msg);
    d->tree = ll_frontend_parse(&d->front, &d->src, d->parser, &d->syn, 0);
    cr_assert_not_null(d->tree);
    d->root = ts_tree_root_node(d->tree);
    d->rules = lt_builtin_rules();
    ll_resolve_init(&d->sem);
    ll_resolve_set_model(&d->sem, &d->rules->sources);
    ll_resolve_build(&d->sem, &d->syn, &d->src, d->root, known, "test", false, &d->arena);
}

static inline void lt_doc_close(LTDoc *d)
{
    ll_resolve_release(&d->sem);
    ll_ruleset_free(d->rules);
    ll_frontend_release(&d->front);
    ts_tree_delete(d->tree);
    ts_parser_delete(d->parser);
    ll_arena_release(&d->arena);
    ll_syntax_release(&d->syn);
    free(d->text);
    memset(d, 0, sizeof *d);
}

/* The n-th (0-based, pre-order) node of `kind`, or a null node. */
static inline TSNode lt_nth_kind(const LTDoc *d, LLKind kind, unsigned n)
{
    TSNode none = {0};
    TSTreeCursor cur = ts_tree_cursor_new(d->root);
    unsigned seen = 0;
    for (;;) {
        TSNode node = ts_tree_cursor_current_node(&cur);
        if (ts_node_is_named(node) && ll_syntax_kind(&d->syn, node) == kind) {
            if (seen++ == n) {
                ts_tree_cursor_delete(&cur);
                return node;
            }
        }
        if (ts_tree_cursor_goto_first_child(&cur))
            continue;
        for (;;) {
            if (ts_tree_cursor_goto_next_sibling(&cur))
                break;
            if (!ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return none;
            }
        }
    }
}

/* The n-th (0-based, pre-order) `call` node. */
static inline TSNode lt_nth_call(const LTDoc *d, unsigned n)
{
    return lt_nth_kind(d, LL_K_CALL, n);
}

/* Source text of a node as a NUL-terminated malloc'd string. */
static inline char *lt_text(const LTDoc *d, TSNode n)
{
    size_t len;
    const char *t = ll_node_text(&d->src, n, &len);
    return strndup(t, len);
}

/* The first call (pre-order) whose `function` field text equals fn. */
static inline TSNode lt_call_named(const LTDoc *d, const char *fn)
{
    for (unsigned i = 0;; i++) {
        TSNode c = lt_nth_call(d, i);
        if (ts_node_is_null(c))
            return c;
        TSNode f = ll_syntax_field(&d->syn, c, LL_F_FUNCTION);
        if (ts_node_is_null(f))
            continue;
        size_t len;
        const char *t = ll_node_text(&d->src, f, &len);
        if (len == strlen(fn) && memcmp(t, fn, len) == 0)
            return c;
    }
}

/* The scope of a node: the one the resolver recorded for the call site, or
 * the innermost scope around its start. */
static inline uint32_t lt_scope_of(const LTDoc *d, TSNode n)
{
    for (size_t i = 0; i < d->sem.calls.len; i++)
        if (ts_node_eq(d->sem.calls.items[i].node, n))
            return d->sem.calls.items[i].scope;
    return ll_resolve_scope_at(&d->sem, ts_node_start_byte(n));
}

/* Canonical names of the `function` field of `call`. */
static inline void lt_call_names(const LTDoc *d, TSNode call, LLNames *out)
{
    memset(out, 0, sizeof *out);
    cr_assert(!ts_node_is_null(call), "call not found");
    TSNode fn = ll_syntax_field(&d->syn, call, LL_F_FUNCTION);
    cr_assert(!ts_node_is_null(fn), "call without a function field");
    ll_resolve_expr(&d->sem, fn, lt_scope_of(d, call), out);
}

/* Canonical names of the call whose function text is `fn`. */
static inline void lt_names_of(const LTDoc *d, const char *fn, LLNames *out)
{
    TSNode c = lt_call_named(d, fn);
    cr_assert(!ts_node_is_null(c), "no call of %s in the snippet", fn);
    lt_call_names(d, c, out);
}

static inline bool lt_names_has(const LLNames *names, const char *s)
{
    for (uint32_t i = 0; i < names->n; i++)
        if (strcmp(names->name[i], s) == 0)
            return true;
    return false;
}

/* Asserts that the names are exactly `expected` (in any order). */
#define LT_ASSERT_NAMES(names, ...)                                            \
    do {                                                                       \
        const char *lt_exp_[] = {__VA_ARGS__};                                 \
        size_t lt_n_ = sizeof lt_exp_ / sizeof *lt_exp_;                       \
        cr_assert_eq((names)->n, lt_n_, "expected %zu names, got %u (first: %s)", \
                     lt_n_, (names)->n, (names)->n ? (names)->name[0] : "-");  \
        for (size_t lt_i_ = 0; lt_i_ < lt_n_; lt_i_++)                         \
            cr_assert(lt_names_has((names), lt_exp_[lt_i_]),                   \
                      "missing canonical name %s", lt_exp_[lt_i_]);            \
    } while (0)

/* ---- whole pipeline ------------------------------------------------------- */

/* Writes `text` to a new temporary file; returns its malloc'd path. */
static inline char *lt_write_temp(const char *text)
{
    char *path = strdup("/tmp/loadlint-unit-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp failed");
    size_t len = strlen(text);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

typedef struct LTRun {
    LLSyntax syn;
    LLFileList files;
    LLRunResult res;
    char *path;
} LTRun;

/* Scans `text` (written to a temp file, found by ll_discover) with `rules`
 * (finished by the caller). When `display` is non-NULL the file is listed
 * under that name instead (ll_file_list_add). */
static inline void lt_run_text(LTRun *r, const LLRuleset *rules,
                               const char *text, const char *display)
{
    memset(r, 0, sizeof *r);
    cr_assert_eq(ll_syntax_init(&r->syn, ll_syntax_python()), 0);
    r->path = lt_write_temp(text);
    if (display) {
        ll_file_list_add(&r->files, r->path, display);
    } else {
        const char *paths[] = {r->path};
        ll_discover(paths, 1, &r->files);
    }
    cr_assert_eq(r->files.files.len, 1, "the temp file was not discovered");
    cr_assert_eq(r->files.errors.len, 0);
    LLRunOptions opts;
    ll_run_options_default(&opts);
    opts.jobs = 1;
    ll_run(rules, &r->syn, &r->files, &opts, &r->res);
    unlink(r->path); /* read by now; a failing assertion leaves nothing behind */
}

static inline void lt_run_close(LTRun *r)
{
    ll_run_result_release(&r->res);
    ll_file_list_release(&r->files);
    ll_syntax_release(&r->syn);
    free(r->path);
}

/* "L,L,..." : the lines of the findings of rule `code` (in report order),
 * written to out. */
static inline const char *lt_finding_lines(const LTRun *r, const LLRuleset *rules,
                                           const char *code, char *out, size_t outsz)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->res.findings.len; i++) {
        const LLFinding *f = &r->res.findings.items[i];
        if (strcmp(rules->rules[f->rule].code, code) != 0)
            continue;
        int k = snprintf(out + n, outsz - n, "%s%u", n ? "," : "", f->span.line);
        if (k < 0 || (size_t)k >= outsz - n)
            break;
        n += (size_t)k;
    }
    return out;
}

#endif
