#include "artifact/gguf.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Metadata value types (GGUF specification). */
enum {
    T_U8 = 0, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STRING, T_ARRAY,
    T_U64, T_I64, T_F64, T_COUNT
};

static unsigned scalar_size(unsigned t)
{
    switch (t) {
    case T_U8: case T_I8: case T_BOOL: return 1;
    case T_U16: case T_I16: return 2;
    case T_U32: case T_I32: case T_F32: return 4;
    case T_U64: case T_I64: case T_F64: return 8;
    default: return 0;
    }
}

/* ggml tensor types: elements per block and bytes per block (0: removed or
 * unknown). Index = type id. */
static const struct {
    uint32_t blck, size;
} g_types[] = {
    {1, 4},    /* 0 F32 */
    {1, 2},    /* 1 F16 */
    {32, 18},  /* 2 Q4_0 */
    {32, 20},  /* 3 Q4_1 */
    {0, 0},    /* 4 removed (Q4_2) */
    {0, 0},    /* 5 removed (Q4_3) */
    {32, 22},  /* 6 Q5_0 */
    {32, 24},  /* 7 Q5_1 */
    {32, 34},  /* 8 Q8_0 */
    {32, 36},  /* 9 Q8_1 */
    {256, 84}, /* 10 Q2_K */
    {256, 110}, /* 11 Q3_K */
    {256, 144}, /* 12 Q4_K */
    {256, 176}, /* 13 Q5_K */
    {256, 210}, /* 14 Q6_K */
    {256, 292}, /* 15 Q8_K */
    {256, 66},  /* 16 IQ2_XXS */
    {256, 74},  /* 17 IQ2_XS */
    {256, 98},  /* 18 IQ3_XXS */
    {256, 50},  /* 19 IQ1_S */
    {32, 18},   /* 20 IQ4_NL */
    {256, 110}, /* 21 IQ3_S */
    {256, 82},  /* 22 IQ2_S */
    {256, 136}, /* 23 IQ4_XS */
    {1, 1},     /* 24 I8 */
    {1, 2},     /* 25 I16 */
    {1, 4},     /* 26 I32 */
    {1, 8},     /* 27 I64 */
    {1, 8},     /* 28 F64 */
    {256, 56},  /* 29 IQ1_M */
    {1, 2},     /* 30 BF16 */
    {32, 18},   /* 31 Q4_0_4_4 (interleaved Q4_0; removed later) */
    {32, 18},   /* 32 Q4_0_4_8 */
    {32, 18},   /* 33 Q4_0_8_8 */
    {256, 54},  /* 34 TQ1_0 */
    {256, 66},  /* 35 TQ2_0 */
    {32, 18},   /* 36 IQ4_NL_4_4 (removed) */
    {32, 18},   /* 37 IQ4_NL_4_8 */
    {32, 18},   /* 38 IQ4_NL_8_8 */
    {32, 17},   /* 39 MXFP4 */
};

#define GGML_MAX_DIMS 4u

typedef struct TensorSpan {
    uint64_t off, size;
    uint64_t name_off; /* file offset of its name, for messages */
} TensorSpan;

typedef struct R {
    const uint8_t *d;
    size_t len, pos;
    bool be; /* big-endian file */
    unsigned version;
    const LLArtLoc *where;
    LLArtResult *out;
    bool failed;
} R;

static void g_loc(const R *r, LLArtLoc *loc, uint64_t off, uint64_t len)
{
    memset(loc, 0, sizeof *loc);
    if (r->where) {
        loc->nmembers = r->where->nmembers;
        for (uint32_t m = 0; m < loc->nmembers && m < LL_ART_MAX_NESTING; m++)
            loc->members[m] = r->where->members[m];
    }
    loc->offset = off;
    loc->length = len;
}

static bool bad(R *r, uint64_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool bad(R *r, uint64_t at, const char *fmt, ...)
{
    if (r->failed)
        return false;
    r->failed = true;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    LLArtLoc loc;
    if (at > r->len)
        at = r->len;
    g_loc(r, &loc, at, at < r->len ? 1 : 0);
    ll_art_add(r->out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
               "GGUF: %s", b.data);
    ll_buf_release(&b);
    return false;
}

static bool rd_uint(R *r, unsigned n, uint64_t *v, const char *what)
{
    *v = 0;
    if (r->len - r->pos < n)
        return bad(r, r->pos, "truncated %s at byte %zu", what, r->pos);
    uint64_t x = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned shift = r->be ? 8 * (n - 1 - i) : 8 * i;
        x |= (uint64_t)r->d[r->pos + i] << shift;
    }
    r->pos += n;
    *v = x;
    return true;
}

/* A count or length field (u32 in version 1, u64 after). */
static bool rd_count(R *r, uint64_t *v, const char *what)
{
    return rd_uint(r, r->version == 1 ? 4 : 8, v, what);
}

static bool rd_string(R *r, const uint8_t **s, uint64_t *n, uint64_t *at, const char *what)
{
    *s = NULL;
    *at = 0;
    if (!rd_count(r, n, what))
        return false;
    if (*n > r->len - r->pos)
        return bad(r, r->pos, "%s of %llu bytes runs past the end of the file", what,
                   (unsigned long long)*n);
    *at = r->pos;
    *s = r->d + r->pos;
    r->pos += (size_t)*n;
    return true;
}

/* Skips one value of type t, arrays included (nesting counted, not
 * recursed). */
static bool skip_value(R *r, unsigned t)
{
    struct {
        unsigned type;
        uint64_t left;
    } stack[LL_GGUF_MAX_ARRAY_NESTING + 1];
    unsigned depth = 0;
    for (;;) {
        if (t == T_ARRAY) {
            uint64_t et, count;
            size_t at = r->pos;
            if (!rd_uint(r, 4, &et, "array type") || !rd_count(r, &count, "array length"))
                return false;
            if (et >= T_COUNT)
                return bad(r, at, "array of unknown type %llu", (unsigned long long)et);
            uint64_t min = et == T_STRING ? (r->version == 1 ? 4 : 8)
                           : et == T_ARRAY ? (r->version == 1 ? 8 : 12)
                                           : scalar_size((unsigned)et);
            if (count > (r->len - r->pos) / min)
                return bad(r, at, "array of %llu elements is longer than the file",
                           (unsigned long long)count);
            if (et != T_STRING && et != T_ARRAY) {
                r->pos += (size_t)(count * min);
            } else if (count) {
                if (depth >= LL_GGUF_MAX_ARRAY_NESTING) {
                    LLArtLoc loc;
                    g_loc(r, &loc, at, at < r->len ? 1 : 0);
                    ll_art_add(r->out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc,
                               NULL, "GGUF: arrays nested deeper than LL_GGUF_MAX_ARRAY_NESTING "
                                     "(%u)",
                               LL_GGUF_MAX_ARRAY_NESTING);
                    r->failed = true;
                    return false;
                }
                stack[depth].type = (unsigned)et;
                stack[depth].left = count;
                depth++;
            }
        } else if (t == T_STRING) {
            const uint8_t *s;
            uint64_t n, at;
            if (!rd_string(r, &s, &n, &at, "string"))
                return false;
        } else {
            unsigned sz = scalar_size(t);
            if (!sz)
                return bad(r, r->pos, "value of unknown type %u", t);
            if (r->len - r->pos < sz)
                return bad(r, r->pos, "truncated value at byte %zu", r->pos);
            r->pos += sz;
        }
        /* the next element of the innermost open array */
        while (depth && stack[depth - 1].left == 0)
            depth--;
        if (!depth)
            return true;
        stack[depth - 1].left--;
        t = stack[depth - 1].type;
    }
}

/* ---- chat templates ---- */

static const char *const g_constructs[] = {
    "__class__", "__mro__", "__base__", "__bases__", "__subclasses__", "__globals__",
    "__builtins__", "__import__", "__init__", "__getattribute__", "__dict__", "__code__",
    "__func__", "__self__", "__reduce__", "__loader__", "__getitem__", "func_globals",
    "f_globals", "gi_frame", "tb_frame", "os.popen", "popen(", "os.system", "subprocess",
    "import_module", "eval(", "exec(", "\\x5f", "\\x5F", "\\u005f", "\\u005F", "\\137",
    "cycler.", "joiner.", "namespace.", "lipsum", "self._", "request.application",
    "config.__",
};

unsigned ll_art_gguf_template_check(const char *tpl, size_t n, char *out, size_t outsz)
{
    unsigned found = 0;
    size_t used = 0;
    if (outsz)
        out[0] = '\0';
#define ADD(s)                                                                                \
    do {                                                                                      \
        if (found < LL_GGUF_MAX_QUOTED && outsz) {                                            \
            int w = snprintf(out + used, outsz - used, "%s%s", found ? ", " : "", (s));      \
            if (w > 0 && (size_t)w < outsz - used)                                            \
                used += (size_t)w;                                                            \
        }                                                                                     \
        found++;                                                                              \
    } while (0)
    for (size_t i = 0; i < sizeof g_constructs / sizeof *g_constructs; i++) {
        size_t m = strlen(g_constructs[i]);
        for (size_t k = 0; k + m <= n; k++)
            if (tpl[k] == g_constructs[i][0] && memcmp(tpl + k, g_constructs[i], m) == 0) {
                ADD(g_constructs[i]);
                break;
            }
    }
    /* the attr filter: "|" spaces "attr" spaces "(" */
    for (size_t k = 0; k < n; k++) {
        if (tpl[k] != '|')
            continue;
        size_t j = k + 1;
        while (j < n && (tpl[j] == ' ' || tpl[j] == '\t' || tpl[j] == '\n'))
            j++;
        if (n - j < 4 || memcmp(tpl + j, "attr", 4) != 0)
            continue;
        j += 4;
        while (j < n && (tpl[j] == ' ' || tpl[j] == '\t' || tpl[j] == '\n'))
            j++;
        if (j < n && tpl[j] == '(') {
            ADD("|attr(...)");
            break;
        }
    }
#undef ADD
    return found;
}

static void check_template(R *r, const uint8_t *key, uint64_t klen, const uint8_t *s,
                           uint64_t n, uint64_t at)
{
    if (n > LL_GGUF_MAX_TEMPLATE_BYTES) {
        LLArtLoc loc;
        g_loc(r, &loc, at, n);
        ll_art_add(r->out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "GGUF: a chat template of %llu bytes is longer than "
                   "LL_GGUF_MAX_TEMPLATE_BYTES (%u); not checked",
                   (unsigned long long)n, LL_GGUF_MAX_TEMPLATE_BYTES);
        return;
    }
    char found[512];
    unsigned k = ll_art_gguf_template_check((const char *)s, (size_t)n, found, sizeof found);
    if (!k)
        return;
    char subject[256];
    snprintf(subject, sizeof subject, "%.*s", (int)(klen > 200 ? 200 : klen), (const char *)key);
    LLArtLoc loc;
    g_loc(r, &loc, at, n);
    ll_art_add(r->out, ART_CHECK_GGUF_TEMPLATE, LL_SEV_ERROR, LL_ART_MALICIOUS, &loc, subject,
               "the chat template `%s` uses Jinja2 sandbox-escape constructs (%s%s); rendered "
               "without a sandbox it runs Python on the server (CVE-2024-34359, llama-cpp-python "
               "before 0.2.72; CVE-2026-5760, SGLang)",
               subject, found, k > LL_GGUF_MAX_QUOTED ? ", ..." : "");
}

static bool is_template_key(const uint8_t *k, uint64_t n)
{
    static const char base[] = "tokenizer.chat_template";
    size_t b = sizeof base - 1;
    if (n < b || memcmp(k, base, b) != 0)
        return false;
    return n == b || (k[b] == '.' && n > b + 1);
}

typedef struct KeyRef {
    const uint8_t *p;
    uint64_t n, at;
} KeyRef;

static int cmp_keyref(const void *a, const void *b)
{
    const KeyRef *x = a, *y = b;
    uint64_t n = x->n < y->n ? x->n : y->n;
    int c = n ? memcmp(x->p, y->p, (size_t)n) : 0;
    if (c)
        return c;
    return x->n < y->n ? -1 : x->n > y->n ? 1 : 0;
}

static int cmp_span(const void *a, const void *b)
{
    const TensorSpan *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off ? 1 : 0;
}

bool ll_art_gguf_sniff(const uint8_t *head, size_t n)
{
    if (n < 8 || memcmp(head, "GGUF", 4) != 0)
        return false;
    uint32_t le = (uint32_t)head[4] | (uint32_t)head[5] << 8 | (uint32_t)head[6] << 16 |
                  (uint32_t)head[7] << 24;
    uint32_t be = (uint32_t)head[7] | (uint32_t)head[6] << 8 | (uint32_t)head[5] << 16 |
                  (uint32_t)head[4] << 24;
    return (le >= 1 && le <= 3) || (be >= 1 && be <= 3);
}

static void scan(R *r)
{
    if (!ll_art_gguf_sniff(r->d, r->len)) {
        bad(r, 0, "no GGUF magic and version 1-3 at the start");
        return;
    }
    uint32_t le = (uint32_t)r->d[4] | (uint32_t)r->d[5] << 8 | (uint32_t)r->d[6] << 16 |
                  (uint32_t)r->d[7] << 24;
    r->be = !(le >= 1 && le <= 3);
    r->pos = 4;
    uint64_t v, ntensors, nkv;
    if (!rd_uint(r, 4, &v, "version"))
        return;
    r->version = (unsigned)v;
    if (!rd_count(r, &ntensors, "tensor count") || !rd_count(r, &nkv, "metadata count"))
        return;
    /* each pair needs at least a key length, a type and one value byte; each
     * tensor info a name length, n_dims, a type and an offset */
    uint64_t kv_min = (r->version == 1 ? 4 : 8) + 4 + 1;
    uint64_t ti_min = (r->version == 1 ? 4 : 8) + 4 + 4 + 8;
    if (nkv > (r->len - r->pos) / kv_min) {
        bad(r, 8, "%llu metadata pairs cannot fit in the file", (unsigned long long)nkv);
        return;
    }
    if (ntensors > (r->len - r->pos) / ti_min) {
        bad(r, 8, "%llu tensor infos cannot fit in the file", (unsigned long long)ntensors);
        return;
    }
    uint64_t alignment = 32;
    KeyRef *keys = ll_xmalloc((size_t)(nkv ? nkv : 1) * sizeof *keys);
    TensorSpan *spans = NULL;
    for (uint64_t i = 0; i < nkv; i++) {
        const uint8_t *k;
        uint64_t kn, kat, t;
        if (!rd_string(r, &k, &kn, &kat, "metadata key") || !rd_uint(r, 4, &t, "value type"))
            goto done;
        if (kn == 0) {
            bad(r, kat, "an empty metadata key");
            goto done;
        }
        keys[i] = (KeyRef){k, kn, kat};
        if (t >= T_COUNT) {
            bad(r, r->pos - 4, "metadata `%.*s` has unknown type %llu", (int)(kn > 100 ? 100 : kn),
                (const char *)k, (unsigned long long)t);
            goto done;
        }
        if (t == T_STRING && is_template_key(k, kn)) {
            const uint8_t *s;
            uint64_t sn, sat;
            if (!rd_string(r, &s, &sn, &sat, "chat template"))
                goto done;
            check_template(r, k, kn, s, sn, sat);
            continue;
        }
        if (kn == 17 && memcmp(k, "general.alignment", 17) == 0) {
            if (t != T_U32) {
                bad(r, kat, "general.alignment is not a uint32");
                goto done;
            }
            if (!rd_uint(r, 4, &alignment, "general.alignment"))
                goto done;
            if (!alignment || (alignment & (alignment - 1))) {
                bad(r, kat, "general.alignment %llu is not a power of two",
                    (unsigned long long)alignment);
                goto done;
            }
            continue;
        }
        if (!skip_value(r, (unsigned)t))
            goto done;
    }
    qsort(keys, (size_t)nkv, sizeof *keys, cmp_keyref);
    for (uint64_t i = 1; i < nkv; i++)
        if (cmp_keyref(&keys[i - 1], &keys[i]) == 0) {
            bad(r, keys[i].at, "duplicate metadata key `%.*s`",
                (int)(keys[i].n > 100 ? 100 : keys[i].n), (const char *)keys[i].p);
            goto done;
        }
    spans = ll_xmalloc((size_t)(ntensors ? ntensors : 1) * sizeof *spans);
    for (uint64_t i = 0; i < ntensors; i++) {
        const uint8_t *name;
        uint64_t nn, nat, ndims, type, off;
        if (!rd_string(r, &name, &nn, &nat, "tensor name") || !rd_uint(r, 4, &ndims, "n_dims"))
            goto done;
        if (ndims > GGML_MAX_DIMS) {
            bad(r, nat, "tensor `%.*s` has %llu dimensions (at most 4)", (int)(nn > 100 ? 100 : nn),
                (const char *)name, (unsigned long long)ndims);
            goto done;
        }
        uint64_t ne = 1, ne0 = 1;
        bool overflow = false;
        for (uint64_t k = 0; k < ndims; k++) {
            uint64_t dim;
            if (!rd_count(r, &dim, "tensor dimension"))
                goto done;
            if (dim > INT64_MAX) {
                overflow = true;
                continue;
            }
            if (k == 0)
                ne0 = dim;
            if (dim && ne > INT64_MAX / dim)
                overflow = true;
            else
                ne *= dim;
        }
        if (!rd_uint(r, 4, &type, "tensor type") || !rd_uint(r, 8, &off, "tensor offset"))
            goto done;
        if (overflow) {
            bad(r, nat, "tensor `%.*s` has more elements than fit in 63 bits",
                (int)(nn > 100 ? 100 : nn), (const char *)name);
            goto done;
        }
        if (type >= sizeof g_types / sizeof *g_types || g_types[type].blck == 0) {
            bad(r, nat, "tensor `%.*s` has unknown or removed ggml type %llu",
                (int)(nn > 100 ? 100 : nn), (const char *)name, (unsigned long long)type);
            goto done;
        }
        uint64_t blck = g_types[type].blck;
        if (ne0 % blck) {
            bad(r, nat, "tensor `%.*s`: first dimension %llu is not a multiple of its block "
                        "size %llu",
                (int)(nn > 100 ? 100 : nn), (const char *)name, (unsigned long long)ne0,
                (unsigned long long)blck);
            goto done;
        }
        uint64_t blocks = ne / blck;
        if (blocks > UINT64_MAX / g_types[type].size) {
            bad(r, nat, "tensor `%.*s` is too large", (int)(nn > 100 ? 100 : nn),
                (const char *)name);
            goto done;
        }
        if (off % alignment) {
            bad(r, nat, "tensor `%.*s` offset %llu is not aligned to %llu",
                (int)(nn > 100 ? 100 : nn), (const char *)name, (unsigned long long)off,
                (unsigned long long)alignment);
            goto done;
        }
        spans[i] = (TensorSpan){off, blocks * g_types[type].size, nat};
    }
    /* the data section starts at the next multiple of the alignment */
    uint64_t data_start = r->pos;
    if (data_start % alignment)
        data_start += alignment - data_start % alignment;
    if (ntensors && data_start > r->len) {
        bad(r, r->pos, "the tensor data section starts past the end of the file");
        goto done;
    }
    uint64_t data_len = data_start <= r->len ? r->len - data_start : 0;
    qsort(spans, (size_t)ntensors, sizeof *spans, cmp_span);
    for (uint64_t i = 0; i < ntensors; i++) {
        if (spans[i].off > data_len || spans[i].size > data_len - spans[i].off) {
            bad(r, spans[i].name_off, "tensor data (offset %llu, %llu bytes) runs past the end "
                                      "of the file",
                (unsigned long long)spans[i].off, (unsigned long long)spans[i].size);
            goto done;
        }
        if (i && spans[i - 1].off + spans[i - 1].size > spans[i].off) {
            bad(r, spans[i].name_off, "tensor data at offset %llu overlaps the tensor before it",
                (unsigned long long)spans[i].off);
            goto done;
        }
    }
done:
    free(keys);
    free(spans);
}

void ll_art_gguf_scan(const LLArtGgufOptions *o, const uint8_t *data, size_t len,
                      const LLArtLoc *where, LLArtResult *out)
{
    if (!data)
        data = (const uint8_t *)""; /* an empty input may come as NULL */
    (void)o;
    if (!out->format)
        out->format = "gguf";
    R r;
    memset(&r, 0, sizeof r);
    r.d = data;
    r.len = len;
    r.where = where;
    r.out = out;
    scan(&r);
    if (out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}
