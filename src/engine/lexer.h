/* lexer.h - Python's logical lines, from text alone.
 *
 * A small tokenizer that knows what Python's does about line structure:
 * strings (every prefix, single and triple quotes, escapes), comments,
 * brackets that continue a line, backslash continuations. It does not
 * parse: it gives each logical line's indentation, byte range and first
 * LL_EXPORT_MAX_TOKENS tokens, which is all the module-facts scan
 * (exports.h) and the syntax-error repair (pyanalyzer.c) need, at the cost
 * of one pass over the text.
 *
 * Ownership: a lexer borrows its text; tokens point into it. */
#ifndef LL_LEXER_H
#define LL_LEXER_H
#include "base/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum LLTokKind {
    LL_T_NAME, LL_T_DOT, LL_T_COMMA, LL_T_LPAREN, LL_T_RPAREN, LL_T_LBRACK, LL_T_RBRACK,
    LL_T_EQ, LL_T_PLUSEQ, LL_T_COLON, LL_T_STAR, LL_T_STRING, LL_T_OTHER
} LLTokKind;

typedef struct LLTok {
    uint8_t kind;  /* LLTokKind */
    const char *s; /* LL_T_NAME: the name; LL_T_STRING: its contents; else NULL */
    uint32_t len;
} LLTok;

typedef struct LLLine {
    uint32_t indent;    /* columns (a tab to the next multiple of 8) */
    size_t start, end;  /* bytes: its first token, and after its last byte */
    LLTok tok[LL_EXPORT_MAX_TOKENS];
    uint32_t n;
    bool more;          /* it had more tokens than kept */
} LLLine;

typedef struct LLLexer {
    const char *s;
    size_t len, pos;
} LLLexer;

/* The next logical line with at least one token; false at the end. */
bool ll_lex_line(LLLexer *lx, LLLine *l);
/* Skips the logical lines indented more than `limit` (at most max_lines of
 * them; blank and comment lines in between), as ll_lex_line would read
 * them, without keeping their tokens: a def's body, when only what follows
 * it matters. Stops before the first line indented `limit` or less (the
 * next ll_lex_line reads it). `scratch` is working space. Returns the
 * number of logical lines skipped. */
size_t ll_lex_skip_deeper(LLLexer *lx, uint32_t limit, size_t max_lines, LLLine *scratch);
/* The byte range of the logical line holding byte `off` (lines of only
 * comments do not count); false when `off` is in no line. */
bool ll_lex_line_at(const char *text, size_t len, size_t off, size_t *start, size_t *end);

#endif
