#include "engine/finding.h"

#include "base/buf.h"
#include "engine/fix.h"
#include "engine/project.h"

#include "base/mem.h"
#include "base/strmap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *ll_finding_context_name(LLContext c)
{
    return c == LL_CTX_TEST ? "test" : c == LL_CTX_EXAMPLE ? "example" : "library";
}

const char *ll_suppression_name(LLSuppression s)
{
    switch (s) {
    case LL_SUPP_NONE:
        return NULL;
    case LL_SUPP_COMMENT:
        return "comment";
    case LL_SUPP_ROUND_TRIP:
        return "round-trip";
    case LL_SUPP_TEST:
        return "test-code";
    case LL_SUPP_DUPLICATE:
        return "duplicate";
    }
    return NULL;
}

void ll_finding_release(LLFinding *f)
{
    free(f->message);
    free(f->callee);
    free(f->snippet);
    free(f->source);
    free(f->verified);
    free(f->input_literal);
    for (uint32_t i = 0; i < f->nsteps; i++)
        free(f->steps[i].message);
    free(f->steps);
    for (uint32_t i = 0; i < f->nmembers; i++)
        free(f->members[i]);
    free(f->members);
    f->members = NULL;
    f->nmembers = 0;
    if (f->fix) {
        ll_fix_release(f->fix);
        free(f->fix);
        f->fix = NULL;
    }
    f->message = f->callee = f->snippet = f->source = f->verified = f->input_literal = NULL;
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
    ll_exports_release(&r->exports);
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

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= LL_STRMAP_HASH_PRIME;
    }
    return h;
}

int ll_finding_cmp_bytes(const LLFinding *a, const LLFinding *b)
{
    uint32_t n = a->nmembers < b->nmembers ? a->nmembers : b->nmembers;
    for (uint32_t i = 0; i < n; i++) {
        int c = strcmp(a->members[i], b->members[i]);
        if (c)
            return c;
    }
    if (a->nmembers != b->nmembers)
        return a->nmembers < b->nmembers ? -1 : 1;
    if (a->byte_offset != b->byte_offset)
        return a->byte_offset < b->byte_offset ? -1 : 1;
    if (a->byte_length != b->byte_length)
        return a->byte_length < b->byte_length ? -1 : 1;
    return 0;
}

uint64_t ll_finding_hash(const LLFinding *f, const char *rule_code)
{
    uint64_t h = LL_STRMAP_HASH_SEED;
    h = fnv(h, rule_code, strlen(rule_code) + 1);
    h = fnv(h, f->callee ? f->callee : "", (f->callee ? strlen(f->callee) : 0) + 1);
    /* the line text without any whitespace: re-indenting is not a change */
    for (const char *p = f->snippet ? f->snippet : ""; *p; p++)
        if (*p != ' ' && *p != '\t')
            h = fnv(h, p, 1);
    return h;
}

typedef struct OccKey {
    uint32_t file;
    uint64_t hash;
} OccKey;

void ll_findings_fingerprint(LLFinding *findings, size_t n, const LLRuleset *rules)
{
    OccKey *keys = ll_xcalloc(n ? n : 1, sizeof *keys);
    LLStrMap seen;
    ll_strmap_init(&seen);
    for (size_t i = 0; i < n; i++) {
        LLFinding *f = &findings[i];
        f->fp_hash = ll_finding_hash(f, rules->rules[f->rule].code);
        memset(&keys[i], 0, sizeof keys[i]);
        keys[i].file = f->file;
        keys[i].hash = f->fp_hash;
        LLStrMapSlot *s = ll_strmap_slot(&seen, (const char *)&keys[i], sizeof keys[i], 0);
        f->fp_occurrence = (uint32_t)++s->value;
    }
    ll_strmap_release(&seen);
    free(keys);
}
