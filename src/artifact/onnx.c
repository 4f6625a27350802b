#include "artifact/onnx.h"

#include "artifact/protobuf.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/vec.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Operator domains built into ONNX and ONNX Runtime. */
static const char *const g_builtin_domains[] = {
    "",
    "ai.onnx",
    "ai.onnx.ml",
    "ai.onnx.training",
    "ai.onnx.preview.training",
    "com.microsoft",
    "com.microsoft.nchwc",
    "com.microsoft.experimental",
    "com.microsoft.dml",
    "com.ms.internal.nhwc",
};

/* external_data keys onnx defines. */
static const char *const g_external_keys[] = {"location", "offset", "length", "checksum",
                                              "basepath"};

typedef enum MsgType {
    M_MODEL,
    M_OPSET,
    M_GRAPH,
    M_NODE,
    M_ATTR,
    M_TENSOR,
    M_SPARSE,
    M_FUNCTION,
    M_TRAINING,
} MsgType;

typedef struct Str {
    const uint8_t *p;
    size_t n;
} Str;

typedef struct Domain {
    Str name;
    size_t offset;
    bool defined; /* a local function's domain */
} Domain;

#define MAX_FRAMES (LL_ONNX_MAX_GRAPH_DEPTH * 3u + 8u)

typedef struct Frame {
    LLProtobufReader r;
    MsgType type;
    unsigned graphs; /* graph frames from the root to here */
    size_t start;    /* tensor: where its fields start */
    Str name;        /* tensor name */
    bool external;   /* tensor: data_location == EXTERNAL */
} Frame;

typedef struct O {
    const uint8_t *d;
    size_t len;
    const LLArtLoc *where;
    LLArtResult *out;
    LL_VEC(Domain) domains;
    unsigned nfindings;
    bool stopped;
} O;

static void o_loc(const O *o, LLArtLoc *loc, uint64_t off, uint64_t len)
{
    memset(loc, 0, sizeof *loc);
    if (o->where) {
        loc->nmembers = o->where->nmembers;
        for (uint32_t m = 0; m < loc->nmembers && m < LL_ART_MAX_NESTING; m++)
            loc->members[m] = o->where->members[m];
    }
    loc->offset = off;
    loc->length = len;
}

static void o_report(O *o, const char *check, LLSeverity sev, LLArtVerdict v, uint64_t off,
                     uint64_t len, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void o_report(O *o, const char *check, LLSeverity sev, LLArtVerdict v, uint64_t off,
                     uint64_t len, const char *subject, const char *fmt, ...)
{
    if (o->stopped)
        return;
    LLArtLoc loc;
    if (o->nfindings >= LL_ONNX_MAX_FINDINGS) {
        o_loc(o, &loc, 0, o->len);
        ll_art_add(o->out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "ONNX: more than LL_ONNX_MAX_FINDINGS (%u) findings; the rest of the model "
                   "was not reported",
                   LL_ONNX_MAX_FINDINGS);
        o->stopped = true;
        return;
    }
    o->nfindings++;
    o_loc(o, &loc, off, len);
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ll_art_add(o->out, check, sev, v, &loc, subject, "%s", b.data);
    ll_buf_release(&b);
}

/* A printable copy of s (control bytes escaped), at most 200 bytes. */
static void printable(LLBuf *b, Str s)
{
    size_t n = s.n > 200 ? 200 : s.n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s.p[i];
        if (c < 0x20 || c == 0x7f)
            ll_buf_printf(b, "\\x%02x", c);
        else
            ll_buf_putc(b, (char)c);
    }
    if (s.n > n)
        ll_buf_puts(b, "...");
}

/* Why an external location leaves the model's folder, or NULL. */
static const char *location_escapes(Str p)
{
    if (!p.n)
        return NULL;
    if (memchr(p.p, '\0', p.n))
        return "holds a NUL byte";
    if (p.p[0] == '/' || p.p[0] == '\\')
        return "is absolute";
    if (p.n >= 2 && p.p[1] == ':' &&
        ((p.p[0] >= 'a' && p.p[0] <= 'z') || (p.p[0] >= 'A' && p.p[0] <= 'Z')))
        return "is absolute (a drive)";
    if (p.p[0] == '~')
        return "starts in a home folder";
    for (size_t i = 0; i + 2 < p.n; i++)
        if (p.p[i] == ':' && p.p[i + 1] == '/' && p.p[i + 2] == '/')
            return "is a URL";
    size_t start = 0;
    for (size_t i = 0; i <= p.n; i++) {
        if (i == p.n || p.p[i] == '/' || p.p[i] == '\\') {
            if (i - start == 2 && p.p[start] == '.' && p.p[start + 1] == '.')
                return "goes up out of the model's folder (..)";
            start = i + 1;
        }
    }
    return NULL;
}

static bool str_is(Str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

/* The external_data entries of a tensor whose fields are d[start, end). */
static void check_external(O *o, size_t start, size_t end, Str tname)
{
    LLProtobufReader r;
    ll_protobuf_init(&r, o->d, start, end);
    LLProtobufField f;
    const char *e;
    while (ll_protobuf_next(&r, &f, &e) == LL_PROTOBUF_FIELD) {
        if (f.number != 13 || f.wire != LL_PB_BYTES)
            continue;
        LLProtobufReader er;
        ll_protobuf_sub(&er, &r, &f);
        LLProtobufField g;
        Str key = {0}, value = {0};
        size_t voff = f.offset;
        while (ll_protobuf_next(&er, &g, &e) == LL_PROTOBUF_FIELD) {
            if (g.wire != LL_PB_BYTES)
                continue;
            if (g.number == 1)
                key = (Str){g.data, g.len};
            else if (g.number == 2) {
                value = (Str){g.data, g.len};
                voff = g.offset;
            }
        }
        LLBuf tn, v;
        ll_buf_init(&tn);
        ll_buf_init(&v);
        printable(&tn, tname);
        printable(&v, value);
        bool known = false;
        for (size_t k = 0; k < sizeof g_external_keys / sizeof *g_external_keys; k++)
            known |= str_is(key, g_external_keys[k]);
        if (!known) {
            LLBuf kb;
            ll_buf_init(&kb);
            printable(&kb, key);
            o_report(o, ART_CHECK_ONNX_EXTERNAL_KEY, LL_SEV_WARNING, LL_ART_SUSPICIOUS, f.offset,
                     f.len, kb.data,
                     "tensor `%s` has the external_data key `%s`, which onnx does not define "
                     "(onnx before 1.21 set every key as an attribute of its loader object, "
                     "CVE-2026-34445)",
                     tn.data, kb.data);
            ll_buf_release(&kb);
        } else if (str_is(key, "location")) {
            const char *why = location_escapes(value);
            if (why)
                o_report(o, ART_CHECK_ONNX_EXTERNAL_PATH, LL_SEV_ERROR, LL_ART_SUSPICIOUS, voff,
                         value.n, v.data,
                         "tensor `%s` stores its data in the external file `%s`, which %s: "
                         "loading the model reads that file (onnx before 1.16, CVE-2022-25882, "
                         "CVE-2024-27318; onnxruntime)",
                         tn.data, v.data, why);
        }
        ll_buf_release(&tn);
        ll_buf_release(&v);
    }
}

static void note_domain(O *o, Str name, size_t offset, bool defined)
{
    for (size_t i = 0; i < o->domains.len; i++) {
        Domain *d = &o->domains.items[i];
        if (d->name.n == name.n && !memcmp(d->name.p, name.p, name.n)) {
            d->defined |= defined;
            return;
        }
    }
    if (o->domains.len >= LL_ONNX_MAX_DOMAINS) {
        if (o->domains.len == LL_ONNX_MAX_DOMAINS) {
            LLArtLoc loc;
            o_loc(o, &loc, offset, name.n);
            ll_art_add(o->out, ART_CHECK_LIMIT, LL_SEV_NOTE, LL_ART_SAFE, &loc, NULL,
                       "ONNX: more than LL_ONNX_MAX_DOMAINS (%u) operator domains; the rest "
                       "were not checked",
                       LL_ONNX_MAX_DOMAINS);
            Domain sentinel = {{(const uint8_t *)"", 0}, offset, true};
            LL_VEC_PUSH(&o->domains, sentinel); /* report the limit once */
        }
        return;
    }
    Domain d = {name, offset, defined};
    LL_VEC_PUSH(&o->domains, d);
}

static void report_domains(O *o)
{
    for (size_t i = 0; i < o->domains.len && i < LL_ONNX_MAX_DOMAINS; i++) {
        const Domain *d = &o->domains.items[i];
        if (d->defined)
            continue;
        bool builtin = false;
        for (size_t k = 0; k < sizeof g_builtin_domains / sizeof *g_builtin_domains; k++)
            builtin |= str_is(d->name, g_builtin_domains[k]);
        if (builtin)
            continue;
        LLBuf b;
        ll_buf_init(&b);
        printable(&b, d->name);
        o_report(o, ART_CHECK_ONNX_CUSTOM_DOMAIN, LL_SEV_NOTE, LL_ART_SAFE, d->offset,
                 d->name.n, b.data,
                 "the model uses operators of the domain `%s`, which is not built into ONNX or "
                 "ONNX Runtime: running it needs a native custom-op library the loader "
                 "registers",
                 b.data);
        ll_buf_release(&b);
    }
}

static const char *walk(O *o, size_t *at)
{
    Frame stack[MAX_FRAMES];
    unsigned depth = 1;
    memset(&stack[0], 0, sizeof stack[0]);
    ll_protobuf_init(&stack[0].r, o->d, 0, o->len);
    stack[0].type = M_MODEL;
    while (depth > 0) {
        Frame *fr = &stack[depth - 1];
        LLProtobufField f;
        const char *e = NULL;
        LLProtobufStatus st = ll_protobuf_next(&fr->r, &f, &e);
        if (st == LL_PROTOBUF_ERROR) {
            *at = fr->r.pos;
            return e;
        }
        if (st == LL_PROTOBUF_END) {
            if (fr->type == M_TENSOR && fr->external)
                check_external(o, fr->start, fr->r.end, fr->name);
            depth--;
            continue;
        }
        MsgType child = M_MODEL;
        bool push = false;
        switch (fr->type) {
        case M_MODEL:
            if (f.wire != LL_PB_BYTES)
                break;
            if (f.number == 7)
                push = true, child = M_GRAPH;
            else if (f.number == 8)
                push = true, child = M_OPSET;
            else if (f.number == 20)
                push = true, child = M_TRAINING;
            else if (f.number == 25)
                push = true, child = M_FUNCTION;
            break;
        case M_OPSET:
            if (f.number == 1 && f.wire == LL_PB_BYTES)
                note_domain(o, (Str){f.data, f.len}, f.offset, false);
            break;
        case M_TRAINING:
            if (f.wire == LL_PB_BYTES && (f.number == 1 || f.number == 2))
                push = true, child = M_GRAPH;
            break;
        case M_GRAPH:
            if (f.wire != LL_PB_BYTES)
                break;
            if (f.number == 1)
                push = true, child = M_NODE;
            else if (f.number == 5)
                push = true, child = M_TENSOR;
            else if (f.number == 15)
                push = true, child = M_SPARSE;
            break;
        case M_FUNCTION:
            if (f.wire != LL_PB_BYTES)
                break;
            if (f.number == 7)
                push = true, child = M_NODE;
            else if (f.number == 9)
                push = true, child = M_OPSET;
            else if (f.number == 10)
                note_domain(o, (Str){f.data, f.len}, f.offset, true);
            break;
        case M_NODE:
            if (f.wire != LL_PB_BYTES)
                break;
            if (f.number == 5)
                push = true, child = M_ATTR;
            else if (f.number == 7)
                note_domain(o, (Str){f.data, f.len}, f.offset, false);
            break;
        case M_ATTR:
            if (f.wire != LL_PB_BYTES)
                break;
            if (f.number == 5 || f.number == 10)
                push = true, child = M_TENSOR;
            else if (f.number == 6 || f.number == 11)
                push = true, child = M_GRAPH;
            else if (f.number == 22 || f.number == 23)
                push = true, child = M_SPARSE;
            break;
        case M_SPARSE:
            if (f.wire == LL_PB_BYTES && (f.number == 1 || f.number == 2))
                push = true, child = M_TENSOR;
            break;
        case M_TENSOR:
            if (f.number == 8 && f.wire == LL_PB_BYTES)
                fr->name = (Str){f.data, f.len};
            else if (f.number == 14 && f.wire == LL_PB_VARINT)
                fr->external = f.value == 1;
            break;
        }
        if (!push)
            continue;
        unsigned graphs = fr->graphs + (child == M_GRAPH ? 1 : 0);
        if (graphs > LL_ONNX_MAX_GRAPH_DEPTH || depth >= MAX_FRAMES) {
            *at = f.field_offset;
            return "limit";
        }
        Frame *nf = &stack[depth++];
        memset(nf, 0, sizeof *nf);
        ll_protobuf_sub(&nf->r, &fr->r, &f);
        nf->type = child;
        nf->graphs = graphs;
        nf->start = f.offset;
    }
    return NULL;
}

bool ll_art_onnx_name_matches(const char *name)
{
    size_t n = strlen(name);
    if (n < 5)
        return false;
    const char *ext = name + n - 5;
    return ext[0] == '.' && (ext[1] | 0x20) == 'o' && (ext[2] | 0x20) == 'n' &&
           (ext[3] | 0x20) == 'n' && (ext[4] | 0x20) == 'x';
}

bool ll_art_onnx_sniff(const uint8_t *head, size_t n)
{
    static const unsigned known[] = {1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 25};
    LLProtobufReader r;
    ll_protobuf_init(&r, head, 0, n);
    LLProtobufField f;
    const char *e;
    unsigned fields = 0;
    for (;;) {
        LLProtobufStatus st = ll_protobuf_next(&r, &f, &e);
        if (st == LL_PROTOBUF_END)
            return fields > 0;
        if (st == LL_PROTOBUF_ERROR)
            return fields > 0 && (strstr(e, "past the end") || strstr(e, "truncated"));
        if (fields == 0 && !(f.number == 1 && f.wire == LL_PB_VARINT && f.value >= 1 &&
                             f.value <= 100))
            return false;
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            ok |= f.number == known[k];
        if (!ok)
            return false;
        bool varint = f.number == 1 || f.number == 5;
        if (varint != (f.wire == LL_PB_VARINT) || (!varint && f.wire != LL_PB_BYTES))
            return false;
        fields++;
    }
}

void ll_art_onnx_scan(const LLArtOnnxOptions *opts, const uint8_t *data, size_t len,
                      const LLArtLoc *where, LLArtResult *out)
{
    if (!data)
        data = (const uint8_t *)""; /* an empty input may come as NULL */
    (void)opts;
    if (!out->format)
        out->format = "onnx";
    O o;
    memset(&o, 0, sizeof o);
    o.d = data;
    o.len = len;
    o.where = where;
    o.out = out;
    size_t at = 0;
    const char *e = walk(&o, &at);
    LLArtLoc loc;
    if (e && strcmp(e, "limit") == 0) {
        o_loc(&o, &loc, at, at < len ? 1 : 0);
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "ONNX: subgraphs nested deeper than LL_ONNX_MAX_GRAPH_DEPTH (%u) at byte %zu; "
                   "not read further",
                   LL_ONNX_MAX_GRAPH_DEPTH, at);
    } else if (e) {
        o_loc(&o, &loc, at, at < len ? 1 : 0);
        ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "not a readable ONNX ModelProto: %s at byte %zu", e, at);
    }
    report_domains(&o);
    LL_VEC_FREE(&o.domains);
    if (out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}
