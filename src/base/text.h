/* text.h - small text utilities: UTF-8 columns, URI encoding, escaping.
 * All functions borrow their inputs; LLBuf outputs are appended to. */
#ifndef LL_TEXT_H
#define LL_TEXT_H
#include "base/buf.h"
#include <stdbool.h>
#include <stddef.h>

/* Number of code points in s[0..n). Each byte of an invalid sequence counts
 * as one code point, so columns stay monotonic on broken input. */
size_t ll_utf8_count(const char *s, size_t n);
/* Number of UTF-16 code units in s[0..n) (invalid bytes count as one). */
size_t ll_utf16_count(const char *s, size_t n);
bool ll_utf8_valid(const char *s, size_t n);
/* Appends s, percent-encoding every byte except RFC 3986 unreserved
 * characters and '/'. */
void ll_uri_encode_path(LLBuf *out, const char *s, size_t n);
/* Appends s as a JSON string body (no quotes); invalid UTF-8 bytes become
 * U+FFFD so the output is always valid JSON. */
void ll_json_escape(LLBuf *out, const char *s, size_t n);
/* Appends s with control characters (newline, tab, ESC...) shown as \n, \t,
 * \xHH, so a path prints on one line. */
void ll_escape_controls(LLBuf *out, const char *s, size_t n);
/* True when the pattern glob matches s: '*' (not '/'), '**' (anything,
 * including '/'), '?', '[...]' and '[!...]' classes. Iterative. */
bool ll_glob_match(const char *pat, const char *s);

#endif
