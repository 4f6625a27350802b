#include "engine/lexer.h"

#include <stdlib.h>
#include <string.h>

static bool ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool ident_char(unsigned char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

static void push(LLLine *l, LLTokKind k, const char *s, size_t n)
{
    if (l->n == LL_EXPORT_MAX_TOKENS) {
        l->more = true;
        return;
    }
    l->tok[l->n++] = (LLTok){(uint8_t)k, s, (uint32_t)n};
}

/* Skips a string starting at lx->pos (at its opening quote); returns its
 * contents' range (for single-line plain strings). */
static void skip_string(LLLexer *lx, const char **start, size_t *n)
{
    char q = lx->s[lx->pos];
    bool triple = lx->pos + 2 < lx->len && lx->s[lx->pos + 1] == q && lx->s[lx->pos + 2] == q;
    lx->pos += triple ? 3 : 1;
    *start = lx->s + lx->pos;
    while (lx->pos < lx->len) {
        char c = lx->s[lx->pos];
        if (c == '\\') {
            lx->pos += 2;
            continue;
        }
        if (c == q && (!triple || (lx->pos + 2 < lx->len && lx->s[lx->pos + 1] == q &&
                                   lx->s[lx->pos + 2] == q))) {
            *n = (size_t)(lx->s + lx->pos - *start);
            lx->pos += triple ? 3 : 1;
            return;
        }
        if (!triple && (c == '\n' || c == '\r'))
            break; /* unterminated: the line ends it */
        lx->pos++;
    }
    if (lx->pos > lx->len)
        lx->pos = lx->len;
    *n = (size_t)(lx->s + lx->pos - *start);
}

static bool is_string_prefix(const char *s, size_t n)
{
    if (n > 2)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("rRbBuUfF", s[i]))
            return false;
    return true;
}

/* Reads the next logical line; false at the end of the text. */
bool ll_lex_line(LLLexer *lx, LLLine *l)
{
    l->n = 0;
    l->more = false;
    for (;;) {
        if (lx->pos >= lx->len)
            return false;
        /* the indentation of a physical line */
        uint32_t indent = 0;
        while (lx->pos < lx->len && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t' ||
                                     lx->s[lx->pos] == '\f')) {
            indent += lx->s[lx->pos] == '\t' ? 8 - indent % 8 : 1;
            lx->pos++;
        }
        l->indent = indent;
        l->start = lx->pos;
        int depth = 0;
        bool any = false;
        while (lx->pos < lx->len) {
            unsigned char c = (unsigned char)lx->s[lx->pos];
            if (c == '#') {
                while (lx->pos < lx->len && lx->s[lx->pos] != '\n' && lx->s[lx->pos] != '\r')
                    lx->pos++;
                continue;
            }
            if (c == '\\' && lx->pos + 1 < lx->len &&
                (lx->s[lx->pos + 1] == '\n' || lx->s[lx->pos + 1] == '\r')) {
                lx->pos += 2; /* a continued line */
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (depth == 0)
                    l->end = lx->pos;
                lx->pos++;
                if (depth > 0)
                    continue;
                break;
            }
            if (c == ' ' || c == '\t' || c == '\f') {
                lx->pos++;
                continue;
            }
            if (!any)
                l->start = lx->pos;
            any = true;
            if (c == '"' || c == '\'') {
                const char *st;
                size_t n;
                skip_string(lx, &st, &n);
                push(l, LL_T_STRING, st, n);
                continue;
            }
            if (ident_start(c)) {
                size_t b = lx->pos;
                while (lx->pos < lx->len && ident_char((unsigned char)lx->s[lx->pos]))
                    lx->pos++;
                if (lx->pos < lx->len && (lx->s[lx->pos] == '"' || lx->s[lx->pos] == '\'') &&
                    is_string_prefix(lx->s + b, lx->pos - b)) {
                    const char *st;
                    size_t n;
                    skip_string(lx, &st, &n);
                    push(l, LL_T_STRING, st, n);
                } else {
                    push(l, LL_T_NAME, lx->s + b, lx->pos - b);
                }
                continue;
            }
            lx->pos++;
            switch (c) {
            case '.': push(l, LL_T_DOT, NULL, 0); break;
            case ',': push(l, LL_T_COMMA, NULL, 0); break;
            case '(': depth++; push(l, LL_T_LPAREN, NULL, 0); break;
            case ')': depth -= depth > 0; push(l, LL_T_RPAREN, NULL, 0); break;
            case '[': depth++; push(l, LL_T_LBRACK, NULL, 0); break;
            case ']': depth -= depth > 0; push(l, LL_T_RBRACK, NULL, 0); break;
            case '{': depth++; push(l, LL_T_OTHER, NULL, 0); break;
            case '}': depth -= depth > 0; push(l, LL_T_OTHER, NULL, 0); break;
            case ':': push(l, LL_T_COLON, NULL, 0); break;
            case '*': push(l, LL_T_STAR, NULL, 0); break;
            case '=':
                if (lx->pos < lx->len && lx->s[lx->pos] == '=') {
                    lx->pos++;
                    push(l, LL_T_OTHER, NULL, 0);
                } else {
                    push(l, LL_T_EQ, NULL, 0);
                }
                break;
            case '+':
                if (lx->pos < lx->len && lx->s[lx->pos] == '=') {
                    lx->pos++;
                    push(l, LL_T_PLUSEQ, NULL, 0);
                } else {
                    push(l, LL_T_OTHER, NULL, 0);
                }
                break;
            default: push(l, LL_T_OTHER, NULL, 0); break;
            }
        }
        if (any) {
            if (lx->pos >= lx->len && l->end < l->start)
                l->end = lx->len; /* the last line, without a line end */
            return true;
        }
    }
}

/* The rest of a logical line whose first token has been seen, as
 * ll_lex_line reads it (strings, brackets, comments, continuations), with
 * no token kept. */
static const bool SKIM_STOP[256] = {
    ['#'] = true, ['\\'] = true, ['\n'] = true, ['\r'] = true, ['"'] = true, ['\''] = true,
    ['('] = true, ['['] = true, ['{'] = true, [')'] = true, [']'] = true, ['}'] = true,
};

static void skim_rest(LLLexer *lx)
{
    int depth = 0;
    while (lx->pos < lx->len) {
        while (lx->pos < lx->len && !SKIM_STOP[(unsigned char)lx->s[lx->pos]])
            lx->pos++;
        if (lx->pos >= lx->len)
            return;
        unsigned char c = (unsigned char)lx->s[lx->pos];
        switch (c) {
        case '#':
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n' && lx->s[lx->pos] != '\r')
                lx->pos++;
            break;
        case '\\':
            lx->pos += lx->pos + 1 < lx->len &&
                       (lx->s[lx->pos + 1] == '\n' || lx->s[lx->pos + 1] == '\r') ? 2 : 1;
            break;
        case '\n':
        case '\r':
            lx->pos++;
            if (depth == 0)
                return;
            break;
        case '"':
        case '\'': {
            const char *st;
            size_t n;
            skip_string(lx, &st, &n);
            break;
        }
        case '(': case '[': case '{':
            depth++;
            lx->pos++;
            break;
        case ')': case ']': case '}':
            depth -= depth > 0;
            lx->pos++;
            break;
        default:
            lx->pos++;
            break;
        }
    }
}

size_t ll_lex_skip_deeper(LLLexer *lx, uint32_t limit, size_t max_lines, LLLine *scratch)
{
    size_t lines = 0;
    while (lx->pos < lx->len && lines < max_lines) {
        size_t line_start = lx->pos;
        uint32_t indent = 0;
        while (lx->pos < lx->len && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t' ||
                                     lx->s[lx->pos] == '\f')) {
            indent += lx->s[lx->pos] == '\t' ? 8 - indent % 8 : 1;
            lx->pos++;
        }
        if (lx->pos >= lx->len)
            break;
        unsigned char c = (unsigned char)lx->s[lx->pos];
        if (c == '\n') { /* a blank line */
            lx->pos++;
            continue;
        }
        if (c == '#' || c == '\\' || c == '\r') {
            /* comments, continuations, old line ends: the lexer itself */
            lx->pos = line_start;
            if (!ll_lex_line(lx, scratch))
                break;
            if (scratch->indent <= limit) {
                lx->pos = line_start; /* the block ends after the comment */
                return lines;
            }
            lines++;
            continue;
        }
        if (indent <= limit) {
            lx->pos = line_start; /* the block ends here */
            return lines;
        }
        skim_rest(lx);
        lines++;
    }
    return lines;
}

bool ll_lex_line_at(const char *text, size_t len, size_t off, size_t *start, size_t *end)
{
    LLLexer lx = {text, len, 0};
    static const LLLine zero;
    LLLine *l = malloc(sizeof *l);
    if (!l)
        return false;
    *l = zero;
    bool found = false;
    while (ll_lex_line(&lx, l)) {
        if (l->start > off)
            break;
        if (off < lx.pos) {
            *start = l->start;
            *end = l->end > l->start ? l->end : lx.pos;
            found = true;
            break;
        }
    }
    free(l);
    return found;
}
