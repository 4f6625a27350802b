/* test_art_helpers.h - shared helpers for the pickle-family reader tests
 * (tests/unit/test_art_*.c; static inline only).
 *
 * ATPolicy loads the built-in policy file from the source tree
 * (LL_SOURCE_DIR/rules/data/pickle-policy.json). at_scan runs ll_art_scan
 * on bytes. ATBuf builds byte strings (pickles, archives) in memory. */
#ifndef LL_TEST_ART_HELPERS_H
#define LL_TEST_ART_HELPERS_H

#include "artifact/artifact.h"
#include "artifact/pickle_policy.h"
#include "artifact/scan.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ATBuf {
    uint8_t *d;
    size_t len, cap;
} ATBuf;

static inline void at_put(ATBuf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n + 1)
            nc *= 2;
        b->d = realloc(b->d, nc);
        cr_assert_not_null(b->d);
        b->cap = nc;
    }
    if (n)
        memcpy(b->d + b->len, p, n);
    b->len += n;
}

static inline void at_str(ATBuf *b, const char *s)
{
    at_put(b, s, strlen(s));
}

/* a string literal, NUL bytes included */
#define at_lit(b, s) at_put((b), (s), sizeof(s) - 1)

static inline void at_byte(ATBuf *b, uint8_t c)
{
    at_put(b, &c, 1);
}

static inline void at_le(ATBuf *b, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        at_byte(b, (uint8_t)(v >> (8 * i)));
}

/* SHORT_BINUNICODE */
static inline void at_u(ATBuf *b, const char *s)
{
    at_byte(b, 0x8c);
    at_byte(b, (uint8_t)strlen(s));
    at_str(b, s);
}

/* GLOBAL */
static inline void at_global(ATBuf *b, const char *mod, const char *name)
{
    at_byte(b, 'c');
    at_str(b, mod);
    at_byte(b, '\n');
    at_str(b, name);
    at_byte(b, '\n');
}

static inline void at_free(ATBuf *b)
{
    free(b->d);
    memset(b, 0, sizeof *b);
}

typedef struct ATPolicy {
    LLPicklePolicy p;
    LLArtScanOptions opts;
} ATPolicy;

static inline void at_policy_load(ATPolicy *t)
{
    ll_pickle_policy_init(&t->p);
    LLError err;
    memset(&err, 0, sizeof err);
    LLStatus st = ll_pickle_policy_load_file(&t->p, LL_SOURCE_DIR "/rules/data/pickle-policy.json", &err);
    cr_assert_eq(st, LL_OK, "built-in policy: %s", err.msg);
    memset(&t->opts, 0, sizeof t->opts);
    t->opts.policy = &t->p;
}

static inline void at_policy_free(ATPolicy *t)
{
    ll_pickle_policy_release(&t->p);
}

/* Scans data with the built-in policy (opts may be NULL). */
static inline void at_scan(const LLArtScanOptions *opts, const uint8_t *d, size_t n, LLArtResult *r)
{
    ll_art_result_init(r);
    ll_art_scan(opts, "test", d, n, r);
}

/* Findings with `check` (and `subject` unless NULL). */
static inline size_t at_count(const LLArtResult *r, const char *check, const char *subject)
{
    size_t n = 0;
    for (size_t i = 0; i < r->findings.len; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        if (strcmp(f->check, check) != 0)
            continue;
        if (subject && (!f->subject || strcmp(f->subject, subject) != 0))
            continue;
        n++;
    }
    return n;
}

static inline const LLArtFinding *at_find(const LLArtResult *r, const char *check, const char *subject)
{
    for (size_t i = 0; i < r->findings.len; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        if (strcmp(f->check, check) == 0 && (!subject || (f->subject && strcmp(f->subject, subject) == 0)))
            return f;
    }
    return NULL;
}

/* Every finding, one per line, for failure messages (static buffer per call site). */
static inline const char *at_dump(const LLArtResult *r, char *buf, size_t sz)
{
    size_t n = 0;
    buf[0] = '\0';
    n += (size_t)snprintf(buf + n, sz - n, "format=%s verdict=%d\n", r->format ? r->format : "-", r->verdict);
    for (size_t i = 0; i < r->findings.len && n < sz; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        n += (size_t)snprintf(buf + n, sz - n, "  %s [%s] @%llu: %s\n", f->check, f->subject ? f->subject : "",
                              (unsigned long long)f->loc.offset, f->message);
    }
    return buf;
}

#endif
