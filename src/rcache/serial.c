#include "rcache/serial.h"

#include "base/mem.h"
#include "engine/fix.h"

#include <stdlib.h>
#include <string.h>

/* ---- primitives ---------------------------------------------------------- */

void ll_rcache_put_varint(LLBuf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        tmp[n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
    ll_buf_append(b, tmp, n);
}

void ll_rcache_put_u64(LLBuf *b, uint64_t v)
{
    unsigned char tmp[8];
    for (int i = 0; i < 8; i++)
        tmp[i] = (unsigned char)(v >> (8 * i));
    ll_buf_append(b, tmp, 8);
}

void ll_rcache_put_str(LLBuf *b, const char *s)
{
    if (!s) {
        ll_rcache_put_varint(b, 0);
        return;
    }
    size_t n = strlen(s);
    ll_rcache_put_varint(b, (uint64_t)n + 1);
    ll_buf_append(b, s, n);
}

void ll_rcache_put_digest(LLBuf *b, LLDigest d)
{
    ll_rcache_put_u64(b, d.lo);
    ll_rcache_put_u64(b, d.hi);
}

void ll_rcache_reader_init(LLRcacheReader *r, const void *data, size_t len)
{
    r->p = data;
    r->end = r->p + len;
    r->bad = false;
}

uint64_t ll_rcache_get_varint(LLRcacheReader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; !r->bad; shift += 7) {
        if (r->p >= r->end || shift > 63) {
            r->bad = true;
            break;
        }
        unsigned char c = *r->p++;
        if (shift == 63 && (c & 0x7e)) { /* more than 64 bits */
            r->bad = true;
            break;
        }
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
    return 0;
}

uint64_t ll_rcache_get_u64(LLRcacheReader *r)
{
    if (r->bad || r->end - r->p < 8) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += 8;
    return v;
}

LLDigest ll_rcache_get_digest(LLRcacheReader *r)
{
    LLDigest d;
    d.lo = ll_rcache_get_u64(r);
    d.hi = ll_rcache_get_u64(r);
    return d;
}

char *ll_rcache_get_str(LLRcacheReader *r, bool *isnull)
{
    *isnull = false;
    uint64_t n = ll_rcache_get_varint(r);
    if (r->bad)
        return NULL;
    if (n == 0) {
        *isnull = true;
        return NULL;
    }
    n--;
    if (n > (uint64_t)(r->end - r->p) || memchr(r->p, '\0', (size_t)n)) {
        r->bad = true;
        return NULL;
    }
    char *s = ll_xstrndup((const char *)r->p, (size_t)n);
    r->p += n;
    return s;
}

/* ---- the field tables -----------------------------------------------------
 *
 * X(TYPE, field, extra), in the order they are stored. TYPE is one of
 *   U32, U64      an unsigned integer (U64: 8 fixed bytes, for hashes)
 *   BOOL
 *   ENUM          an unsigned value below `extra`
 *   STR           a string, or NULL
 *   FILE, RULE    a file / rule index of the run, stored as a reference
 *   SPAN          an LLSpan
 *   STEPS, STRS   an array and its count field (`extra` names the count)
 *   SINKS         a summary's vector of LLParamSink
 *   FIX           a finding's LLFix (owned pointer, or NULL)
 *   EDITS         a fix's edits and their count (`extra`)
 * A field left out says why in a comment. Adding a field to one of these
 * structs: add its line here, raise LL_RCACHE_FORMAT (serial.h) and the
 * size in the _Static_assert below it. */

#define LL_RCACHE_SPAN_FIELDS(X) X(U32, line, 0) X(U32, col, 0) X(U32, end_line, 0) X(U32, end_col, 0)

#define LL_RCACHE_STEP_FIELDS(X) X(FILE, file, 0) X(SPAN, span, 0) X(STR, message, 0)

#define LL_RCACHE_FINDING_FIELDS(X)                                                     \
    X(FILE, file, 0)                                                                    \
    X(RULE, rule, 0)                                                                    \
    X(SPAN, span, 0)                                                                    \
    X(ENUM, severity, LL_SEV_COUNT)                                                     \
    X(ENUM, provenance, LL_PROV_SELF + 1)                                                \
    X(BOOL, graded, 0)                                                                  \
    X(ENUM, suppressed, LL_SUPP_DUPLICATE + 1)                                          \
    X(ENUM, context, LL_CTX_EXAMPLE + 1)                                                \
    X(BOOL, lowered, 0)                                                                 \
    X(STR, message, 0)                                                                  \
    X(STR, callee, 0)                                                                   \
    X(STR, snippet, 0)                                                                  \
    X(STR, source, 0)                                                                   \
    X(STR, verified, 0)                                                                 \
    X(STR, input_literal, 0)                                                            \
    X(STEPS, steps, nsteps)                                                             \
    X(BOOL, steps_related, 0)                                                           \
    /* fp_hash, fp_occurrence: computed by every run (ll_findings_fingerprint) */       \
    X(BOOL, binary, 0)                                                                  \
    X(U64, byte_offset, 0)                                                              \
    X(U64, byte_length, 0)                                                              \
    X(STRS, members, nmembers)                                                          \
    X(FIX, fix, 0)

#define LL_RCACHE_FIX_FIELDS(X)                                                         \
    X(ENUM, status, LL_FIX_REFUSED + 1)                                                 \
    X(BOOL, safe, 0)                                                                    \
    X(U32, spec, 0)                                                                     \
    X(STR, description, 0)                                                              \
    X(STR, reason, 0)                                                                   \
    X(EDITS, edits, nedits)                                                             \
    X(U32, text_len, 0)                                                                 \
    X(U64, text_hash, 0)

#define LL_RCACHE_FIX_EDIT_FIELDS(X)                                                    \
    X(U32, start, 0) X(U32, end, 0) X(U32, line, 0) X(U32, col, 0) X(U32, end_line, 0)   \
    X(U32, end_col, 0) X(STR, text, 0) X(BOOL, mergeable, 0)

#define LL_RCACHE_DIAG_FIELDS(X) \
    X(FILE, file, 0) X(ENUM, kind, LL_DIAG_WARNING + 1) X(U32, line, 0) X(U32, col, 0) X(STR, message, 0)

#define LL_RCACHE_DEP_FIELDS(X) X(U64, name, 0) X(U64, method, 0) X(FILE, file, 0) X(BOOL, returns, 0)

#define LL_RCACHE_SINK_FIELDS(X)                                                        \
    X(U32, param, 0)                                                                    \
    X(STR, param_name, 0)                                                               \
    X(RULE, rule, 0)                                                                    \
    X(FILE, file, 0)                                                                    \
    X(SPAN, sink, 0)                                                                    \
    X(STR, callee, 0)                                                                   \
    X(STR, snippet, 0)                                                                  \
    X(STR, message, 0)                                                                  \
    X(STEPS, steps, nsteps)

#define LL_RCACHE_SUMMARY_FIELDS(X)                                                     \
    X(STR, name, 0)                                                                     \
    /* key: made by ll_project_put when the project takes the summary */               \
    X(FILE, file, 0)                                                                    \
    X(STRS, param_names, nparams)                                                       \
    X(BOOL, method, 0)                                                                  \
    X(STR, returns_source, 0)                                                           \
    X(STEPS, return_steps, nreturn_steps)                                               \
    X(SINKS, sinks, 0)

#define LL_RCACHE_EXPORT_FIELDS(X) \
    X(ENUM, kind, LL_EXPORT_ALL + 1) X(BOOL, restricts, 0) X(STR, name, 0) X(STR, target, 0)

/* A struct whose size changes has gained (or lost) a field: list it in its
 * table above (or say there why it is not stored), raise LL_RCACHE_FORMAT,
 * then the size here. The sizes are those of LP64 (x86-64, aarch64). */
#if defined(__LP64__)
_Static_assert(sizeof(LLSpan) == 16, "LLSpan changed: update LL_RCACHE_SPAN_FIELDS");
_Static_assert(sizeof(LLStep) == 32, "LLStep changed: update LL_RCACHE_STEP_FIELDS");
_Static_assert(sizeof(LLFinding) == 160, "LLFinding changed: update LL_RCACHE_FINDING_FIELDS");
_Static_assert(sizeof(LLFix) == 56, "LLFix changed: update LL_RCACHE_FIX_FIELDS");
_Static_assert(sizeof(LLFixEdit) == 40, "LLFixEdit changed: update LL_RCACHE_FIX_EDIT_FIELDS");
_Static_assert(sizeof(LLDiag) == 24, "LLDiag changed: update LL_RCACHE_DIAG_FIELDS");
_Static_assert(sizeof(LLDep) == 24, "LLDep changed: update LL_RCACHE_DEP_FIELDS");
_Static_assert(sizeof(LLParamSink) == 80, "LLParamSink changed: update LL_RCACHE_SINK_FIELDS");
_Static_assert(sizeof(LLFuncSummary) == 88, "LLFuncSummary changed: update LL_RCACHE_SUMMARY_FIELDS");
_Static_assert(sizeof(LLExport) == 24, "LLExport changed: update LL_RCACHE_EXPORT_FIELDS");
_Static_assert(sizeof(LLFileResult) == 120,
               "LLFileResult changed: update ll_rcache_encode_result / decode_result");
#endif

/* ---- encoding ---------------------------------------------------------------- */

typedef LL_VEC(uint32_t) IndexVec;

typedef struct Enc {
    LLBuf *out;
    IndexVec files, rules; /* run indices referred to, in order of first use */
    const LLRcacheNames *names;
} Enc;

/* The reference of run index idx: its position in the table + 1 (0 for
 * UINT32_MAX, "no file"). */
static uint64_t table_ref(IndexVec *t, uint32_t idx)
{
    if (idx == UINT32_MAX)
        return 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->items[i] == idx)
            return i + 1;
    LL_VEC_PUSH(t, idx);
    return t->len;
}

static void enc_uint(Enc *e, uint64_t v)
{
    ll_rcache_put_varint(e->out, v);
}

static void enc_str(Enc *e, const char *s)
{
    ll_rcache_put_str(e->out, s);
}

static void enc_span(Enc *e, const LLSpan *p);
static void enc_steps(Enc *e, const LLStep *steps, uint32_t n);
static void enc_fix(Enc *e, const LLFix *fix);
static void enc_edits(Enc *e, const LLFixEdit *edits, uint32_t n);
static void enc_strs(Enc *e, char *const *strs, uint32_t n);
static void enc_sinks(Enc *e, const LLFuncSummary *fs);

#define ENC_U32(f, x) enc_uint(e, p->f)
#define ENC_U64(f, x) ll_rcache_put_u64(e->out, p->f)
#define ENC_BOOL(f, x) enc_uint(e, p->f ? 1u : 0u)
#define ENC_ENUM(f, x) enc_uint(e, (uint64_t)p->f)
#define ENC_STR(f, x) enc_str(e, p->f)
#define ENC_FILE(f, x) enc_uint(e, table_ref(&e->files, p->f))
#define ENC_RULE(f, x) enc_uint(e, table_ref(&e->rules, p->f))
#define ENC_SPAN(f, x) enc_span(e, &p->f)
#define ENC_STEPS(f, x) enc_steps(e, p->f, p->x)
#define ENC_STRS(f, x) enc_strs(e, p->f, p->x)
#define ENC_SINKS(f, x) enc_sinks(e, p)
#define ENC_FIX(f, x) enc_fix(e, p->f)
#define ENC_EDITS(f, x) enc_edits(e, p->f, p->x)
#define ENC_FIELD(T, f, x) ENC_##T(f, x);

static void enc_span(Enc *e, const LLSpan *p)
{
    LL_RCACHE_SPAN_FIELDS(ENC_FIELD)
}

static void enc_step(Enc *e, const LLStep *p)
{
    LL_RCACHE_STEP_FIELDS(ENC_FIELD)
}

static void enc_steps(Enc *e, const LLStep *steps, uint32_t n)
{
    enc_uint(e, n);
    for (uint32_t i = 0; i < n; i++)
        enc_step(e, &steps[i]);
}

static void enc_strs(Enc *e, char *const *strs, uint32_t n)
{
    enc_uint(e, n);
    for (uint32_t i = 0; i < n; i++)
        enc_str(e, strs[i]);
}

static void enc_sink(Enc *e, const LLParamSink *p)
{
    LL_RCACHE_SINK_FIELDS(ENC_FIELD)
}

static void enc_sinks(Enc *e, const LLFuncSummary *fs)
{
    enc_uint(e, fs->sinks.len);
    for (size_t i = 0; i < fs->sinks.len; i++)
        enc_sink(e, &fs->sinks.items[i]);
}

static void enc_edit(Enc *e, const LLFixEdit *p)
{
    LL_RCACHE_FIX_EDIT_FIELDS(ENC_FIELD)
}

static void enc_edits(Enc *e, const LLFixEdit *edits, uint32_t n)
{
    enc_uint(e, n);
    for (uint32_t i = 0; i < n; i++)
        enc_edit(e, &edits[i]);
}

static void enc_fix(Enc *e, const LLFix *p)
{
    enc_uint(e, p != NULL);
    if (p) {
        LL_RCACHE_FIX_FIELDS(ENC_FIELD)
    }
}

static void enc_finding(Enc *e, const LLFinding *p)
{
    LL_RCACHE_FINDING_FIELDS(ENC_FIELD)
}

static void enc_diag(Enc *e, const LLDiag *p)
{
    LL_RCACHE_DIAG_FIELDS(ENC_FIELD)
}

static void enc_dep(Enc *e, const LLDep *p)
{
    LL_RCACHE_DEP_FIELDS(ENC_FIELD)
}

static void enc_summary(Enc *e, const LLFuncSummary *p)
{
    LL_RCACHE_SUMMARY_FIELDS(ENC_FIELD)
}

static void enc_export(Enc *e, const LLExport *p)
{
    LL_RCACHE_EXPORT_FIELDS(ENC_FIELD)
}

void ll_rcache_encode_result(LLBuf *out, const LLFileResult *res, const LLRcacheNames *names)
{
    LLBuf body;
    ll_buf_init(&body);
    Enc e = {.out = &body, .names = names};
    enc_uint(&e, res->findings.len);
    for (size_t i = 0; i < res->findings.len; i++)
        enc_finding(&e, &res->findings.items[i]);
    enc_uint(&e, res->diags.len);
    for (size_t i = 0; i < res->diags.len; i++)
        enc_diag(&e, &res->diags.items[i]);
    enc_uint(&e, res->summaries.len);
    for (size_t i = 0; i < res->summaries.len; i++)
        enc_summary(&e, res->summaries.items[i]);
    enc_uint(&e, res->deps.len);
    for (size_t i = 0; i < res->deps.len; i++)
        enc_dep(&e, &res->deps.items[i]);
    enc_uint(&e, res->exports.len);
    for (size_t i = 0; i < res->exports.len; i++)
        enc_export(&e, &res->exports.items[i]);
    /* the tables first: the decoder needs them before the references */
    ll_rcache_put_varint(out, e.files.len);
    for (size_t i = 0; i < e.files.len; i++)
        ll_rcache_put_str(out, names->file_name(names->ctx, e.files.items[i]));
    ll_rcache_put_varint(out, e.rules.len);
    for (size_t i = 0; i < e.rules.len; i++)
        ll_rcache_put_str(out, names->rule_code(names->ctx, e.rules.items[i]));
    ll_buf_append(out, body.data, body.len);
    ll_buf_release(&body);
    LL_VEC_FREE(&e.files);
    LL_VEC_FREE(&e.rules);
}

/* ---- digests of summaries ---------------------------------------------------- */

typedef struct Dig {
    LLDigestState *d;
    const LLRcacheNames *names;
} Dig;

static void dig_file(Dig *g, uint32_t f)
{
    ll_digest_put_u64(g->d, f == UINT32_MAX);
    if (f == UINT32_MAX)
        return;
    ll_digest_put_str(g->d, g->names->file_name(g->names->ctx, f));
    ll_digest_put_str(g->d, g->names->file_display(g->names->ctx, f));
}

static void dig_span(Dig *g, const LLSpan *p);
static void dig_steps(Dig *g, const LLStep *steps, uint32_t n);
static void dig_strs(Dig *g, char *const *strs, uint32_t n);
static void dig_sinks(Dig *g, const LLFuncSummary *fs);

#define DIG_U32(f, x) ll_digest_put_u64(g->d, p->f)
#define DIG_U64(f, x) ll_digest_put_u64(g->d, p->f)
#define DIG_BOOL(f, x) ll_digest_put_u64(g->d, p->f ? 1u : 0u)
#define DIG_ENUM(f, x) ll_digest_put_u64(g->d, (uint64_t)p->f)
#define DIG_STR(f, x) ll_digest_put_str(g->d, p->f)
#define DIG_FILE(f, x) dig_file(g, p->f)
#define DIG_RULE(f, x) ll_digest_put_str(g->d, g->names->rule_code(g->names->ctx, p->f))
#define DIG_SPAN(f, x) dig_span(g, &p->f)
#define DIG_STEPS(f, x) dig_steps(g, p->f, p->x)
#define DIG_STRS(f, x) dig_strs(g, p->f, p->x)
#define DIG_SINKS(f, x) dig_sinks(g, p)
#define DIG_FIELD(T, f, x) DIG_##T(f, x);

static void dig_span(Dig *g, const LLSpan *p)
{
    LL_RCACHE_SPAN_FIELDS(DIG_FIELD)
}

static void dig_step(Dig *g, const LLStep *p)
{
    LL_RCACHE_STEP_FIELDS(DIG_FIELD)
}

static void dig_steps(Dig *g, const LLStep *steps, uint32_t n)
{
    ll_digest_put_u64(g->d, n);
    for (uint32_t i = 0; i < n; i++)
        dig_step(g, &steps[i]);
}

static void dig_strs(Dig *g, char *const *strs, uint32_t n)
{
    ll_digest_put_u64(g->d, n);
    for (uint32_t i = 0; i < n; i++)
        ll_digest_put_str(g->d, strs[i]);
}

static void dig_sink(Dig *g, const LLParamSink *p)
{
    LL_RCACHE_SINK_FIELDS(DIG_FIELD)
}

static void dig_sinks(Dig *g, const LLFuncSummary *fs)
{
    ll_digest_put_u64(g->d, fs->sinks.len);
    for (size_t i = 0; i < fs->sinks.len; i++)
        dig_sink(g, &fs->sinks.items[i]);
}

void ll_rcache_digest_summary(LLDigestState *d, const LLFuncSummary *fs, const LLRcacheNames *names)
{
    Dig dg = {d, names}, *g = &dg;
    const LLFuncSummary *p = fs;
    LL_RCACHE_SUMMARY_FIELDS(DIG_FIELD)
}

/* ---- decoding ------------------------------------------------------------ */

typedef struct Dec {
    LLRcacheReader *r;
    IndexVec files, rules; /* run index of each table position */
} Dec;

static uint64_t dec_uint(Dec *d)
{
    return ll_rcache_get_varint(d->r);
}

static uint32_t dec_u32(Dec *d)
{
    uint64_t v = dec_uint(d);
    if (v > UINT32_MAX) {
        d->r->bad = true;
        return 0;
    }
    return (uint32_t)v;
}

static bool dec_bool(Dec *d)
{
    uint64_t v = dec_uint(d);
    if (v > 1)
        d->r->bad = true;
    return v == 1;
}

static unsigned dec_enum(Dec *d, unsigned limit)
{
    uint64_t v = dec_uint(d);
    if (v >= limit) {
        d->r->bad = true;
        return 0;
    }
    return (unsigned)v;
}

static char *dec_str(Dec *d)
{
    bool isnull;
    return ll_rcache_get_str(d->r, &isnull);
}

static uint32_t dec_ref(Dec *d, const IndexVec *t)
{
    uint64_t v = dec_uint(d);
    if (v == 0)
        return UINT32_MAX;
    if (v > t->len) {
        d->r->bad = true;
        return 0;
    }
    return t->items[v - 1];
}

static void dec_span(Dec *d, LLSpan *p);
static void dec_steps(Dec *d, LLStep **steps, uint32_t *n);
static void dec_fix(Dec *d, LLFix **fix);
static void dec_edits(Dec *d, LLFixEdit **edits, uint32_t *n);
static void dec_strs(Dec *d, char ***strs, uint32_t *n);
static void dec_sinks(Dec *d, LLFuncSummary *fs);

#define DEC_U32(f, x) p->f = dec_u32(d)
#define DEC_U64(f, x) p->f = ll_rcache_get_u64(d->r)
#define DEC_BOOL(f, x) p->f = dec_bool(d)
#define DEC_ENUM(f, x) p->f = dec_enum(d, (unsigned)(x))
#define DEC_STR(f, x) p->f = dec_str(d)
#define DEC_FILE(f, x) p->f = dec_ref(d, &d->files)
#define DEC_RULE(f, x) p->f = dec_ref(d, &d->rules)
#define DEC_SPAN(f, x) dec_span(d, &p->f)
#define DEC_STEPS(f, x) dec_steps(d, &p->f, &p->x)
#define DEC_STRS(f, x) dec_strs(d, &p->f, &p->x)
#define DEC_SINKS(f, x) dec_sinks(d, p)
#define DEC_FIX(f, x) dec_fix(d, &p->f)
#define DEC_EDITS(f, x) dec_edits(d, &p->f, &p->x)
/* each field only while the bytes are good: a failed string leaves NULL */
#define DEC_FIELD(T, f, x) \
    if (!d->r->bad)        \
        DEC_##T(f, x);

static void dec_span(Dec *d, LLSpan *p)
{
    LL_RCACHE_SPAN_FIELDS(DEC_FIELD)
}

static void dec_step(Dec *d, LLStep *p)
{
    LL_RCACHE_STEP_FIELDS(DEC_FIELD)
}

/* Arrays grow as their elements are decoded (never from the count alone). */
static void dec_steps(Dec *d, LLStep **steps, uint32_t *n)
{
    uint64_t count = dec_uint(d);
    LL_VEC(LLStep) v = {0};
    for (uint64_t i = 0; i < count && !d->r->bad; i++) {
        if (i >= UINT32_MAX || d->r->p >= d->r->end) {
            d->r->bad = true;
            break;
        }
        LLStep s;
        memset(&s, 0, sizeof s);
        dec_step(d, &s);
        LL_VEC_PUSH(&v, s); /* kept even when bad: freed with the rest */
    }
    *steps = v.items;
    *n = (uint32_t)v.len;
}

static void dec_strs(Dec *d, char ***strs, uint32_t *n)
{
    uint64_t count = dec_uint(d);
    LL_VEC(char *) v = {0};
    for (uint64_t i = 0; i < count && !d->r->bad; i++) {
        if (i >= UINT32_MAX || d->r->p >= d->r->end) {
            d->r->bad = true;
            break;
        }
        char *s = dec_str(d);
        if (d->r->bad)
            break;
        LL_VEC_PUSH(&v, s);
    }
    *strs = v.items;
    *n = (uint32_t)v.len;
}

static void dec_sink(Dec *d, LLParamSink *p)
{
    LL_RCACHE_SINK_FIELDS(DEC_FIELD)
}

static void sink_release(LLParamSink *k)
{
    free(k->param_name);
    free(k->callee);
    free(k->snippet);
    free(k->message);
    ll_steps_free(k->steps, k->nsteps);
}

static void dec_sinks(Dec *d, LLFuncSummary *fs)
{
    uint64_t count = dec_uint(d);
    for (uint64_t i = 0; i < count && !d->r->bad; i++) {
        if (d->r->p >= d->r->end) {
            d->r->bad = true;
            break;
        }
        LLParamSink k;
        memset(&k, 0, sizeof k);
        dec_sink(d, &k);
        if (d->r->bad) {
            sink_release(&k);
            break;
        }
        LL_VEC_PUSH(&fs->sinks, k);
    }
}

static void dec_edit(Dec *d, LLFixEdit *p)
{
    LL_RCACHE_FIX_EDIT_FIELDS(DEC_FIELD)
}

/* Edits as they are decoded (a partial one is kept: freed with the fix). */
static void dec_edits(Dec *d, LLFixEdit **edits, uint32_t *n)
{
    uint64_t count = dec_uint(d);
    LL_VEC(LLFixEdit) v = {0};
    for (uint64_t i = 0; i < count && !d->r->bad; i++) {
        if (i >= UINT32_MAX || d->r->p >= d->r->end) {
            d->r->bad = true;
            break;
        }
        LLFixEdit x;
        memset(&x, 0, sizeof x);
        dec_edit(d, &x);
        LL_VEC_PUSH(&v, x);
    }
    *edits = v.items;
    *n = (uint32_t)v.len;
}

/* A fix, or NULL; a partial one is kept on the finding (freed with it). */
static void dec_fix(Dec *d, LLFix **fix)
{
    *fix = NULL;
    if (!dec_bool(d) || d->r->bad)
        return;
    LLFix *p = ll_xcalloc(1, sizeof *p);
    *fix = p;
    LL_RCACHE_FIX_FIELDS(DEC_FIELD)
}

static void dec_finding(Dec *d, LLFinding *p)
{
    LL_RCACHE_FINDING_FIELDS(DEC_FIELD)
}

static void dec_diag(Dec *d, LLDiag *p)
{
    LL_RCACHE_DIAG_FIELDS(DEC_FIELD)
}

static void dec_dep(Dec *d, LLDep *p)
{
    LL_RCACHE_DEP_FIELDS(DEC_FIELD)
}

static void dec_summary(Dec *d, LLFuncSummary *p)
{
    LL_RCACHE_SUMMARY_FIELDS(DEC_FIELD)
}

static void dec_export(Dec *d, LLExport *p)
{
    LL_RCACHE_EXPORT_FIELDS(DEC_FIELD)
}

/* Reads a table of names and maps each to a run index; false (with
 * *unknown set) when one is not in the current run. */
static bool dec_table(Dec *d, IndexVec *t, bool (*lookup)(void *, const char *, uint32_t *),
                      void *ctx, bool *unknown)
{
    uint64_t n = dec_uint(d);
    for (uint64_t i = 0; i < n && !d->r->bad; i++) {
        if (d->r->p >= d->r->end) {
            d->r->bad = true;
            break;
        }
        char *name = dec_str(d);
        if (d->r->bad)
            break;
        uint32_t idx = 0;
        if (!name || !lookup(ctx, name, &idx)) {
            free(name);
            *unknown = true;
            return false;
        }
        free(name);
        LL_VEC_PUSH(t, idx);
    }
    return !d->r->bad;
}

/* Decodes `count` elements with `one` into a vector of `size`-byte items;
 * `release` frees a partial one. */
#define DEC_VEC(d, vec, count, one, release)                                    \
    do {                                                                        \
        for (uint64_t i_ = 0; i_ < (count) && !(d)->r->bad; i_++) {             \
            if ((d)->r->p >= (d)->r->end) {                                     \
                (d)->r->bad = true;                                             \
                break;                                                          \
            }                                                                   \
            LL_VEC_RESERVE((vec), (vec)->len + 1);                              \
            memset(&(vec)->items[(vec)->len], 0, sizeof *(vec)->items);         \
            one((d), &(vec)->items[(vec)->len]);                                \
            if ((d)->r->bad) {                                                  \
                release(&(vec)->items[(vec)->len]);                             \
                break;                                                          \
            }                                                                   \
            (vec)->len++;                                                       \
        }                                                                       \
    } while (0)

static void diag_release(LLDiag *g)
{
    free(g->message);
}

static void dep_release(LLDep *g)
{
    (void)g;
}

static void export_release(LLExport *x)
{
    free(x->name);
    free(x->target);
}

LLRcacheDecode ll_rcache_decode_result(LLRcacheReader *r, const LLRcacheNames *names,
                                       LLFileResult *out)
{
    memset(out, 0, sizeof *out);
    Dec d = {.r = r};
    bool unknown = false;
    if (dec_table(&d, &d.files, names->file_index, names->ctx, &unknown))
        dec_table(&d, &d.rules, names->rule_index, names->ctx, &unknown);
    if (!unknown && !r->bad) {
        uint64_t n = dec_uint(&d);
        DEC_VEC(&d, &out->findings, n, dec_finding, ll_finding_release);
        n = r->bad ? 0 : dec_uint(&d);
        DEC_VEC(&d, &out->diags, n, dec_diag, diag_release);
        n = r->bad ? 0 : dec_uint(&d);
        for (uint64_t i = 0; i < n && !r->bad; i++) {
            if (r->p >= r->end) {
                r->bad = true;
                break;
            }
            LLFuncSummary *fs = ll_xcalloc(1, sizeof *fs);
            dec_summary(&d, fs);
            LL_VEC_PUSH(&out->summaries, fs); /* freed with the result when bad */
        }
        n = r->bad ? 0 : dec_uint(&d);
        DEC_VEC(&d, &out->deps, n, dec_dep, dep_release);
        n = r->bad ? 0 : dec_uint(&d);
        DEC_VEC(&d, &out->exports, n, dec_export, export_release);
    }
    LL_VEC_FREE(&d.files);
    LL_VEC_FREE(&d.rules);
    if (unknown || r->bad) {
        ll_file_result_release(out);
        memset(out, 0, sizeof *out);
        return r->bad ? LL_RCACHE_DECODE_CORRUPT : LL_RCACHE_DECODE_UNKNOWN;
    }
    return LL_RCACHE_DECODE_OK;
}
