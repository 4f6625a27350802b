#include "engine/finding.h"

#include "base/buf.h"
#include "engine/project.h"

#include <stdarg.h>
#include <stdlib.h>

void ll_finding_release(LLFinding *f)
{
    free(f->message);
    free(f->callee);
    free(f->snippet);
    free(f->source);
    for (uint32_t i = 0; i < f->nsteps; i++)
        free(f->steps[i].message);
    free(f->steps);
    f->message = f->callee = f->snippet = f->source = NULL;
    f->steps = NULL;
    f->nsteps = 0;
}

void ll_file_result_release(LLFileResult *r)
{
    for (size_t i = 0; i < r->findings.len; i++)
        ll_finding_release(&r->findings.items[i]);
    for (size_t i = 0; i < r->diags.len; i++)
        free(r->diags.items[i].message);
    for (size_t i = 0; i < r->summaries.len; i++)
        ll_func_summary_free(r->summaries.items[i]);
    LL_VEC_FREE(&r->findings);
    LL_VEC_FREE(&r->diags);
    LL_VEC_FREE(&r->summaries);
    LL_VEC_FREE(&r->deps);
}

void ll_file_result_diag(LLFileResult *r, uint32_t file, LLDiagKind kind,
                         uint32_t line, uint32_t col, const char *fmt, ...)
{
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    LLDiag d = {file, kind, line, col, ll_buf_detach(&b)};
    LL_VEC_PUSH(&r->diags, d);
}
