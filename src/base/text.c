#include "base/text.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (max n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

size_t ll_utf8_count(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
        } else {
            size_t l = utf8_seq(p + i, n - i);
            i += l ? l : 1;
        }
        count++;
    }
    return count;
}

size_t ll_utf16_count(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        size_t l = p[i] < 0x80 ? 1 : utf8_seq(p + i, n - i);
        count += l == 4 ? 2 : 1;
        i += l ? l : 1;
    }
    return count;
}

bool ll_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq(p + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

void ll_uri_encode_path(LLBuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == '/') {
            ll_buf_putc(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            ll_buf_append(out, e, 3);
        }
    }
}

void ll_json_escape(LLBuf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c >= 0x80) {
            size_t l = utf8_seq(p + i, n - i);
            if (l) {
                ll_buf_append(out, s + i, l);
                i += l;
            } else {
                ll_buf_puts(out, "\\ufffd");
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': ll_buf_puts(out, "\\\""); break;
        case '\\': ll_buf_puts(out, "\\\\"); break;
        case '\n': ll_buf_puts(out, "\\n"); break;
        case '\r': ll_buf_puts(out, "\\r"); break;
        case '\t': ll_buf_puts(out, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7F)
                ll_buf_printf(out, "\\u%04x", c);
            else
                ll_buf_putc(out, (char)c);
        }
        i++;
    }
}

void ll_escape_controls(LLBuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            ll_buf_puts(out, "\\n");
        else if (c == '\t')
            ll_buf_puts(out, "\\t");
        else if (c == '\r')
            ll_buf_puts(out, "\\r");
        else if (c == '\\')
            ll_buf_puts(out, "\\\\");
        else if (c < 0x20 || c == 0x7F)
            ll_buf_printf(out, "\\x%02x", c);
        else
            ll_buf_putc(out, (char)c);
    }
}

/* Matches one character class at p (after '['); returns the position after
 * ']' and sets *ok, or NULL when the class is unterminated. */
static const char *glob_class(const char *p, char c, bool *ok)
{
    bool neg = false, hit = false;
    if (*p == '!' || *p == '^') {
        neg = true;
        p++;
    }
    const char *start = p;
    while (*p && (*p != ']' || p == start)) {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            if (c >= p[0] && c <= p[2])
                hit = true;
            p += 3;
        } else {
            if (c == *p)
                hit = true;
            p++;
        }
    }
    if (*p != ']')
        return NULL;
    *ok = hit != neg;
    return p + 1;
}

bool ll_glob_match(const char *pat, const char *s)
{
    const char *p = pat;
    const char *star_p = NULL, *star_s = NULL;   /* last '*' */
    const char *dstar_p = NULL, *dstar_s = NULL; /* last '**' */
    bool dstar_dir = false; /* the last double star was followed by a slash */
    while (*s) {
        if (p[0] == '*' && p[1] == '*') {
            const char *start = p;
            while (*p == '*')
                p++;
            dstar_dir = false;
            if (*p == '/' && (start == pat || start[-1] == '/')) {
                p++; /* "**" + "/" also matches zero directories */
                dstar_dir = true;
            }
            dstar_p = p;
            dstar_s = s;
            star_p = NULL;
            continue;
        }
        if (*p == '*') {
            p++;
            star_p = p;
            star_s = s;
            continue;
        }
        if (*p == '?' && *s != '/') {
            p++;
            s++;
            continue;
        }
        if (*p == '[') {
            bool ok = false;
            const char *after = glob_class(p + 1, *s, &ok);
            if (after && ok && *s != '/') {
                p = after;
                s++;
                continue;
            }
            if (!after && *s == '[') {
                p++;
                s++;
                continue;
            }
        } else if (*p && *p != '?' && *p == *s) {
            p++;
            s++;
            continue;
        }
        /* Mismatch: widen the last single star unless that would cross '/'. */
        if (star_p && *star_s != '/') {
            p = star_p;
            s = ++star_s;
            continue;
        }
        if (dstar_p) {
            star_p = NULL;
            p = dstar_p;
            if (dstar_dir) {
                /* a double star and slash spans whole directories */
                const char *slash = strchr(dstar_s, '/');
                if (!slash)
                    return false;
                dstar_s = slash + 1;
            } else {
                dstar_s++;
            }
            s = dstar_s;
            continue;
        }
        return false;
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}
