#include "engine/prefilter.h"

#include "base/limits.h"

#include <string.h>

bool ll_prefilter_file(const LLRuleset *rs, const LLIdentSet *ids)
{
    return ll_nameset_match_set(&rs->prefilter, ids);
}

/* ---- identifiers outside comments ----------------------------------------- */

/* An open string: its quote, whether it is triple-quoted and an f-string;
 * in an f-string's replacement field, the field's brace depth (0: in the
 * literal text), bracket depth, and whether the format spec is read. */
typedef struct StrFrame {
    char quote;
    bool triple, f, spec;
    uint32_t field, brackets, spec_braces;
} StrFrame;

/* Whether the letters right before a quote at text[q] make an f-string
 * prefix (f, rf, fR...); other prefixes and none make other strings. */
static bool f_prefix(const char *text, size_t q)
{
    size_t i = q;
    while (i > 0 && q - i < 3 && ll_ident_class[(unsigned char)text[i - 1]])
        i--;
    if (i > 0 && ll_ident_class[(unsigned char)text[i - 1]])
        return false; /* a longer word: no prefix */
    bool f = false;
    for (size_t k = i; k < q; k++) {
        char c = text[k];
        if (c == 'f' || c == 'F')
            f = true;
        else if (c != 'r' && c != 'R' && c != 'b' && c != 'B' && c != 'u' && c != 'U')
            return false;
    }
    return f;
}

/* Whether text[i] is an open string's end (with i advanced past it). */
static bool string_ends(const char *text, size_t len, size_t *i, const StrFrame *fr)
{
    if (text[*i] != fr->quote)
        return false;
    if (!fr->triple) {
        *i += 1;
        return true;
    }
    if (*i + 2 < len && text[*i + 1] == fr->quote && text[*i + 2] == fr->quote) {
        *i += 3;
        return true;
    }
    return false;
}

/* The bytes each state stops at (the others are skipped in a tight loop):
 * code; the literal text of a '...' or "..." string, and of an f-string. */
static const bool stop_code[256] = {['#'] = true, ['\''] = true, ['"'] = true};
static const bool stop_str[2][256] = {
    {['\''] = true, ['"'] = true, ['\\'] = true, ['\n'] = true, ['\r'] = true},
    {['\''] = true, ['"'] = true, ['\\'] = true, ['\n'] = true, ['\r'] = true, ['{'] = true},
};

/* The comment-aware scan; false where it cannot follow the text. */
static bool words_outside_comments(LLIdentSet *ids, const char *t, size_t len)
{
    StrFrame st[LL_PREFILTER_MAX_STRING_NESTING];
    uint32_t depth = 0; /* open strings */
    size_t seg = 0, i = 0; /* the words before seg are in ids */
    const unsigned char *u = (const unsigned char *)t;
    while (i < len) {
        StrFrame *top = depth ? &st[depth - 1] : NULL;
        if (!top) { /* code: its words now, up to a comment or a string */
            ll_identset_add_words(ids, t + seg, i - seg);
            i = (size_t)(ll_identset_add_words_until(ids, t + i, t + len, stop_code) - t);
            seg = i;
            if (i == len)
                break;
        } else if (!top->field) {
            const bool *stop = stop_str[top->f];
            while (i < len && !stop[u[i]])
                i++;
            if (i == len)
                break;
        }
        char c = t[i];
        if (top && !top->field) { /* the literal text of a string */
            if (c == '\\') {
                i += (i + 2 < len && t[i + 1] == '\r' && t[i + 2] == '\n') ? 3 : 2;
            } else if (string_ends(t, len, &i, top)) {
                depth--;
            } else if ((c == '\n' || c == '\r') && !top->triple) {
                return false; /* an unterminated string */
            } else if (top->f && c == '{') {
                if (i + 1 < len && t[i + 1] == '{') {
                    i += 2;
                } else {
                    top->field = 1;
                    top->brackets = 0;
                    top->spec = false;
                    i++;
                }
            } else {
                i++;
            }
            continue;
        }
        if (top && top->spec) { /* a format spec: literal up to its field's end */
            if (c == '{') {
                top->spec_braces++;
            } else if (c == '}') {
                if (top->spec_braces)
                    top->spec_braces--;
                else
                    top->field = 0, top->spec = false;
            }
            i++;
            continue;
        }
        /* code, or the expression of a replacement field */
        if (c == '#') { /* (code's words up to here are in ids: seg == i) */
            if (top)
                return false; /* a comment in a field (3.12 only) */
            while (i < len && t[i] != '\n' && t[i] != '\r')
                i++;
            seg = i;
            continue;
        }
        if (c == '\'' || c == '"') {
            StrFrame fr = {.quote = c, .f = f_prefix(t, i)};
            fr.triple = i + 2 < len && t[i + 1] == c && t[i + 2] == c;
            /* an enclosing string's quote: 3.11 reads {d["k"]} in a
             * triple-quoted f-string, only 3.12 one in f"{d["k"]}" */
            for (uint32_t k = 0; k < depth; k++)
                if (st[k].quote == c && (!st[k].triple || fr.triple))
                    return false;
            if (depth == LL_PREFILTER_MAX_STRING_NESTING)
                return false;
            st[depth++] = fr;
            i += fr.triple ? 3 : 1;
            continue;
        }
        if (top) {
            if (c == '{') {
                top->field++;
            } else if (c == '}') {
                top->field--;
            } else if (c == '[' || c == '(') {
                top->brackets++;
            } else if ((c == ']' || c == ')') && top->brackets) {
                top->brackets--;
            } else if (c == ':' && top->field == 1 && !top->brackets) {
                top->spec = true;
                top->spec_braces = 0;
            }
        }
        i++;
    }
    if (depth)
        return false; /* the text ends in a string */
    ll_identset_add_words(ids, t + seg, len - seg);
    return true;
}

bool ll_prefilter_identifiers(LLIdentSet *ids, const char *text, size_t len, const char *extra)
{
    ll_identset_clear(ids);
    bool ok = words_outside_comments(ids, text, len);
    if (!ok) {
        ll_identset_build(ids, text, len, extra);
        return false;
    }
    if (extra)
        ll_identset_add_words(ids, extra, strlen(extra));
    return true;
}
