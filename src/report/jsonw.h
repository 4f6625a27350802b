/* jsonw.h - writing JSON straight into a buffer, without building a tree.
 *
 * Reports with tens of thousands of results are written in one pass: each
 * call appends to the LLBuf, with two-space indentation. Strings are
 * escaped (quotes, backslash, control characters as \u00XX) and cleaned of
 * invalid UTF-8 and NUL bytes (each replaced by U+FFFD), so the output is
 * always valid JSON whatever a scanned file holds.
 *
 *   LLJsonW w;
 *   ll_jw_init(&w, out);
 *   ll_jw_obj(&w);
 *   ll_jw_key(&w, "version"); ll_jw_int(&w, 1);
 *   ll_jw_kstr(&w, "tool", "loadlint");
 *   ll_jw_end(&w);            closes the object
 *   ll_jw_finish(&w);         closes anything left open, adds "\n"
 *
 * Nesting deeper than LL_JSONW_MAX_DEPTH is a programming error (asserted).
 * Ownership: the writer borrows the buffer. */
#ifndef LL_JSONW_H
#define LL_JSONW_H
#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_JSONW_MAX_DEPTH 32

typedef struct LLJsonW {
    LLBuf *out;
    int depth;
    bool first[LL_JSONW_MAX_DEPTH + 1]; /* no member written yet at this level */
    char close[LL_JSONW_MAX_DEPTH + 1]; /* '}' or ']' */
    bool after_key;                     /* a key was written: the value follows */
} LLJsonW;

void ll_jw_init(LLJsonW *w, LLBuf *out);
void ll_jw_obj(LLJsonW *w);
void ll_jw_arr(LLJsonW *w);
/* Closes the innermost object or array. */
void ll_jw_end(LLJsonW *w);
/* Closes every open level and ends the document with a newline. */
void ll_jw_finish(LLJsonW *w);
void ll_jw_key(LLJsonW *w, const char *key);
void ll_jw_str(LLJsonW *w, const char *s); /* NULL: null */
void ll_jw_strn(LLJsonW *w, const char *s, size_t n);
void ll_jw_int(LLJsonW *w, long long v);
void ll_jw_bool(LLJsonW *w, bool v);
void ll_jw_null(LLJsonW *w);
/* A value that is already JSON text (a number written by the caller). */
void ll_jw_raw(LLJsonW *w, const char *json);
/* key + value shorthands */
void ll_jw_kstr(LLJsonW *w, const char *key, const char *s);
void ll_jw_kint(LLJsonW *w, const char *key, long long v);
void ll_jw_kbool(LLJsonW *w, const char *key, bool v);
/* Appends s (n bytes) as a JSON string literal, quotes included. */
void ll_jw_quote(LLBuf *out, const char *s, size_t n);

#endif
