#include "artifact/artifact.h"

#include "base/buf.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Is s[i..] one valid UTF-8 sequence (no overlong form, surrogate or code
 * point past U+10FFFF)? Returns its length, 0 if not. */
static size_t utf8_len(const unsigned char *s, size_t i, size_t n)
{
    unsigned char c = s[i];
    size_t k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + k >= n)
        return 0;
    for (size_t j = 1; j <= k; j++) {
        if ((s[i + j] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i + j] & 0x3F);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k + 1;
}

/* A copy of s that is valid UTF-8 with no control characters: readers put
 * names taken from hostile files (pickle globals, member names) into
 * messages, and every report format must stay well formed. Bytes that are
 * neither become \xNN. */
static char *clean_text(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    LLBuf b;
    ll_buf_init(&b);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c >= 0x20 && c < 0x7f) {
            ll_buf_putc(&b, (char)c);
            i++;
            continue;
        }
        size_t k = c >= 0x80 ? utf8_len(u, i, n) : 0;
        if (k) {
            ll_buf_append(&b, s + i, k);
            i += k;
        } else {
            ll_buf_printf(&b, "\\x%02x", c);
            i++;
        }
    }
    return ll_buf_detach(&b);
}

void ll_art_result_init(LLArtResult *r)
{
    memset(r, 0, sizeof *r);
}

void ll_art_result_release(LLArtResult *r)
{
    for (size_t i = 0; i < r->findings.len; i++) {
        LLArtFinding *f = &r->findings.items[i];
        free(f->message);
        free(f->subject);
        for (uint32_t m = 0; m < f->loc.nmembers; m++)
            free(f->loc.members[m]);
    }
    LL_VEC_FREE(&r->findings);
    memset(r, 0, sizeof *r);
}

void ll_art_add(LLArtResult *r, const char *check, LLSeverity sev, LLArtVerdict verdict,
                const LLArtLoc *loc, const char *subject, const char *fmt, ...)
{
    LLArtFinding f;
    memset(&f, 0, sizeof f);
    f.check = check;
    f.severity = sev;
    if (loc) {
        f.loc.offset = loc->offset;
        f.loc.length = loc->length;
        f.loc.nmembers = loc->nmembers < LL_ART_MAX_NESTING ? loc->nmembers : LL_ART_MAX_NESTING;
        for (uint32_t m = 0; m < f.loc.nmembers; m++)
            f.loc.members[m] = clean_text(loc->members[m] ? loc->members[m] : "");
    }
    f.subject = subject ? clean_text(subject) : NULL;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    f.message = clean_text(b.data);
    ll_buf_release(&b);
    LL_VEC_PUSH(&r->findings, f);
    if (verdict > r->verdict)
        r->verdict = verdict;
}
