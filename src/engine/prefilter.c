#include "engine/prefilter.h"

static bool ident_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

bool ll_prefilter_match(const char *text, size_t len, const LLStrMap *tokens,
                        const LLStrMap *extra)
{
    bool have_tokens = tokens && tokens->count;
    bool have_extra = extra && extra->count;
    if (!have_tokens && !have_extra)
        return false;
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (!ident_byte(p[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && ident_byte(p[i]))
            i++;
        if (p[start] >= '0' && p[start] <= '9')
            continue; /* a number */
        const char *w = text + start;
        size_t n = i - start;
        if ((have_tokens && ll_strmap_get(tokens, w, n, NULL)) ||
            (have_extra && ll_strmap_get(extra, w, n, NULL)))
            return true;
    }
    return false;
}
