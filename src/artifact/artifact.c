#include "artifact/artifact.h"

#include "base/buf.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
            f.loc.members[m] = ll_xstrdup(loc->members[m] ? loc->members[m] : "");
    }
    f.subject = subject ? ll_xstrdup(subject) : NULL;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    f.message = ll_buf_detach(&b);
    LL_VEC_PUSH(&r->findings, f);
    if (verdict > r->verdict)
        r->verdict = verdict;
}
