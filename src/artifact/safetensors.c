#include "artifact/safetensors.h"

#include "artifact/keras.h"
#include "base/buf.h"
#include "base/mem.h"

#include <cjson/cJSON.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bits;
} g_dtypes[] = {
    {"BOOL", 8},  {"U8", 8},   {"I8", 8},   {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8},
    {"I16", 16},  {"U16", 16}, {"F16", 16}, {"BF16", 16},   {"I32", 32},    {"U32", 32},
    {"F32", 32},  {"F64", 64}, {"I64", 64}, {"U64", 64},    {"F4", 4},      {"F6_E2M3", 6},
    {"F6_E3M2", 6}, {"C64", 64},
};

typedef struct Span {
    uint64_t begin, end;
    const char *name;
} Span;

typedef struct S {
    size_t len; /* the file's */
    const LLArtLoc *where;
    LLArtResult *out;
    bool failed;
} S;

static bool st_bad(S *s, uint64_t at, uint64_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool st_bad(S *s, uint64_t at, uint64_t len, const char *fmt, ...)
{
    if (s->failed)
        return false;
    s->failed = true;
    LLArtLoc loc;
    memset(&loc, 0, sizeof loc);
    if (s->where) {
        loc.nmembers = s->where->nmembers;
        for (uint32_t m = 0; m < loc.nmembers && m < LL_ART_MAX_NESTING; m++)
            loc.members[m] = s->where->members[m];
    }
    if (at > s->len)
        at = s->len;
    if (len > s->len - at)
        len = s->len - at;
    loc.offset = at;
    loc.length = len;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ll_art_add(s->out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
               "safetensors: %s", b.data);
    ll_buf_release(&b);
    return false;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Offset of the first byte that is not strict UTF-8, or n. */
static size_t utf8_bad_at(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n - i <= k)
            return i;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return n;
}

static bool json_uint(const cJSON *v, uint64_t *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= 0) || d > 9007199254740992.0 || d != (double)(uint64_t)d)
        return false;
    *out = (uint64_t)d;
    return true;
}

static int cmp_span(const void *a, const void *b)
{
    const Span *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end ? 1 : 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool ll_art_safetensors_sniff(const uint8_t *head, size_t n)
{
    if (n < 10)
        return false;
    uint64_t hl = le64(head);
    if (hl < 2 || hl > LL_SAFETENSORS_MAX_HEADER || head[8] != '{')
        return false;
    size_t i = 9;
    while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        i++;
    return i < n && (head[i] == '"' || head[i] == '}');
}

static void validate(S *s, const uint8_t *data, size_t len)
{
    if (len < 8) {
        st_bad(s, 0, len, "shorter than its 8-byte header length");
        return;
    }
    uint64_t hl = le64(data);
    if (hl > LL_SAFETENSORS_MAX_HEADER) {
        st_bad(s, 0, 8, "header length %llu is over the loader's limit (%u bytes)",
               (unsigned long long)hl, LL_SAFETENSORS_MAX_HEADER);
        return;
    }
    if (hl > len - 8) {
        st_bad(s, 0, 8, "header length %llu runs past the end of the file",
               (unsigned long long)hl);
        return;
    }
    const uint8_t *h = data + 8;
    if (hl == 0 || h[0] != '{') {
        st_bad(s, 8, 1, "the header does not start with '{'");
        return;
    }
    size_t ub = utf8_bad_at(h, (size_t)hl);
    if (ub != hl) {
        st_bad(s, 8 + ub, 1, "the header is not UTF-8 at byte %zu", (size_t)(8 + ub));
        return;
    }
    size_t bad_at = 0;
    const char *why = NULL;
    bool is_limit = false;
    char *text = ll_art_keras_json_prepare((const char *)h, (size_t)hl, LL_SAFETENSORS_MAX_DEPTH,
                                           &bad_at, &why, &is_limit);
    if (!text) {
        st_bad(s, 8 + bad_at, 1, "header JSON: %s at byte %zu", why, (size_t)(8 + bad_at));
        return;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, (size_t)hl + 1, &end, true);
    if (!root || !cJSON_IsObject(root)) {
        size_t off = end && end >= text && end <= text + hl ? (size_t)(end - text) : 0;
        st_bad(s, 8 + off, 1, "the header is not a JSON object (error at byte %zu)",
               (size_t)(8 + off));
        cJSON_Delete(root);
        free(text);
        return;
    }
    uint64_t data_len = len - 8 - hl;
    size_t n = (size_t)cJSON_GetArraySize(root);
    Span *spans = ll_xmalloc((n ? n : 1) * sizeof *spans);
    const char **names = ll_xmalloc((n ? n : 1) * sizeof *names);
    size_t nspans = 0, nnames = 0;
    for (const cJSON *e = root->child; e && !s->failed; e = e->next) {
        const char *name = e->string;
        names[nnames++] = name;
        if (strcmp(name, "__metadata__") == 0) {
            if (!cJSON_IsObject(e)) {
                st_bad(s, 8, hl, "__metadata__ is not an object");
                break;
            }
            for (const cJSON *m = e->child; m; m = m->next)
                if (!cJSON_IsString(m)) {
                    st_bad(s, 8, hl, "__metadata__ value `%.100s` is not a string", m->string);
                    break;
                }
            continue;
        }
        if (!cJSON_IsObject(e)) {
            st_bad(s, 8, hl, "tensor `%.100s` is not an object", name);
            break;
        }
        const cJSON *dt = cJSON_GetObjectItemCaseSensitive(e, "dtype");
        const cJSON *shape = cJSON_GetObjectItemCaseSensitive(e, "shape");
        const cJSON *offs = cJSON_GetObjectItemCaseSensitive(e, "data_offsets");
        if (!cJSON_IsString(dt) || !cJSON_IsArray(shape) || !cJSON_IsArray(offs)) {
            st_bad(s, 8, hl, "tensor `%.100s` lacks a dtype, shape or data_offsets", name);
            break;
        }
        unsigned bits = 0;
        for (size_t k = 0; k < sizeof g_dtypes / sizeof *g_dtypes; k++)
            if (strcmp(dt->valuestring, g_dtypes[k].name) == 0)
                bits = g_dtypes[k].bits;
        if (!bits) {
            st_bad(s, 8, hl, "tensor `%.100s` has the unknown dtype `%.40s`", name,
                   dt->valuestring);
            break;
        }
        uint64_t count = 1;
        bool ok = true, overflow = false;
        for (const cJSON *d = shape->child; d && ok; d = d->next) {
            uint64_t dim;
            ok = json_uint(d, &dim);
            if (ok && dim && count > UINT64_MAX / dim)
                overflow = true;
            else if (ok)
                count *= dim;
        }
        if (!ok) {
            st_bad(s, 8, hl, "tensor `%.100s` has a shape that is not a list of integers", name);
            break;
        }
        if (overflow || count > UINT64_MAX / bits) {
            st_bad(s, 8, hl, "tensor `%.100s` has a shape too large to address", name);
            break;
        }
        uint64_t nbits = count * bits;
        if (nbits % 8) {
            st_bad(s, 8, hl, "tensor `%.100s` (%s) does not fill whole bytes", name,
                   dt->valuestring);
            break;
        }
        uint64_t b = 0, en = 0;
        if (cJSON_GetArraySize(offs) != 2 || !json_uint(offs->child, &b) ||
            !json_uint(offs->child->next, &en)) {
            st_bad(s, 8, hl, "tensor `%.100s` data_offsets is not [begin, end]", name);
            break;
        }
        if (b > en || en - b != nbits / 8) {
            st_bad(s, 8, hl, "tensor `%.100s` data_offsets [%llu, %llu] do not hold its %llu "
                             "bytes",
                   name, (unsigned long long)b, (unsigned long long)en,
                   (unsigned long long)(nbits / 8));
            break;
        }
        if (en > data_len) {
            st_bad(s, 8, hl, "tensor `%.100s` data ends at %llu, past the data section (%llu "
                             "bytes)",
                   name, (unsigned long long)en, (unsigned long long)data_len);
            break;
        }
        spans[nspans++] = (Span){b, en, name};
    }
    if (!s->failed) {
        qsort(names, nnames, sizeof *names, cmp_name);
        for (size_t i = 1; i < nnames; i++)
            if (strcmp(names[i - 1], names[i]) == 0) {
                st_bad(s, 8, hl, "the header names `%.100s` twice", names[i]);
                break;
            }
    }
    if (!s->failed) {
        qsort(spans, nspans, sizeof *spans, cmp_span);
        uint64_t at = 0;
        for (size_t i = 0; i < nspans && !s->failed; i++) {
            if (spans[i].begin < at)
                st_bad(s, 8, hl, "tensor `%.100s` data overlaps the tensor before it",
                       spans[i].name);
            else if (spans[i].begin > at)
                st_bad(s, 8, hl, "a gap of %llu bytes in the data before tensor `%.100s`",
                       (unsigned long long)(spans[i].begin - at), spans[i].name);
            at = spans[i].end;
        }
        if (!s->failed && at != data_len)
            st_bad(s, 8 + hl + at, data_len - at,
                   "%llu bytes after the last tensor's data are not part of any tensor",
                   (unsigned long long)(data_len - at));
    }
    free(spans);
    free(names);
    cJSON_Delete(root);
    free(text);
}

void ll_art_safetensors_scan(const LLArtSafetensorsOptions *o, const uint8_t *data, size_t len,
                             const LLArtLoc *where, LLArtResult *out)
{
    if (!data)
        data = (const uint8_t *)""; /* an empty input may come as NULL */
    (void)o;
    if (!out->format)
        out->format = "safetensors";
    S s = {len, where, out, false};
    validate(&s, data, len);
    if (out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}
