#include "artifact/torch.h"

#include "artifact/pickle.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool eq_ci(const uint8_t *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c - 'A' + 'a');
        uint8_t d = (uint8_t)b[i];
        if (d >= 'A' && d <= 'Z')
            d = (uint8_t)(d - 'A' + 'a');
        if (c != d)
            return false;
    }
    return true;
}

/* The part of e's name after "<top>/", or NULL. */
static inline const uint8_t *rest_of(const LLTorchLayout *l, const LLZipEntry *e, size_t *rl)
{
    size_t t = l->toplen;
    if (e->name_len < t + 1 || e->name[t] != '/' || (t && e->name[0] != l->top[0]) ||
        memcmp(e->name, l->top, t) != 0)
        return NULL;
    *rl = e->name_len - t - 1;
    return e->name + t + 1;
}

/* rest (n bytes) is `lit` (k bytes), or starts with it (prefix), without case */
static inline bool rest_is(const uint8_t *r, size_t n, const char *lit, size_t k, bool prefix)
{
    return (prefix ? n >= k : n == k) && eq_ci(r, lit, k);
}

#define REST_IS(r, n, lit, prefix) rest_is((r), (n), (lit), sizeof(lit) - 1, (prefix))

void ll_torch_zip_layout(const LLZip *z, LLTorchLayout *l)
{
    memset(l, 0, sizeof *l);
    if (!z->entries.len)
        return;
    const LLZipEntry *first = &z->entries.items[0];
    const uint8_t *slash = memchr(first->name, '/', first->name_len);
    if (!slash)
        return; /* torch: "file in archive is not in a subdirectory" */
    l->top = first->name;
    l->toplen = (size_t)(slash - first->name);
    bool code_first = false;
    for (size_t i = 0; i < z->entries.len; i++) {
        const LLZipEntry *e = &z->entries.items[i];
        size_t n;
        const uint8_t *r = rest_of(l, e, &n);
        if (!r || !n)
            continue;
        uint8_t c0 = r[0] | 0x20;
        if (c0 == 'd' && REST_IS(r, n, "data.pkl", false)) {
            l->is_torch = true;
        } else if (c0 == 'c' && REST_IS(r, n, "code/", true)) {
            /* torch.load hands an archive with constants.pkl to torch.jit.load */
            l->is_torchscript = true;
            if (!code_first) {
                l->first_code = e;
                code_first = true;
            }
        } else if (c0 == 'c' && REST_IS(r, n, "constants.pkl", false)) {
            l->is_torchscript = true;
            if (!l->first_code)
                l->first_code = e;
        }
    }
}

bool ll_torch_zip_tensor_member(const LLTorchLayout *l, const LLZipEntry *e)
{
    size_t n;
    const uint8_t *r = l->top ? rest_of(l, e, &n) : NULL;
    if (!r || !n)
        return false;
    size_t dl = REST_IS(r, n, "data/", true) ? 5 : REST_IS(r, n, "constants/", true) ? 10 : 0;
    if (!dl || dl == n)
        return false;
    for (size_t i = dl; i < n; i++)
        if (r[i] < '0' || r[i] > '9')
            return false;
    return true;
}

void ll_torch_legacy_rest(const LLArtCtx *ctx, const uint8_t *data, size_t len, size_t after_magic,
                          LLArtResult *out)
{
    static const char *const what[] = {"magic number", "protocol version", "system info", "object",
                                       "storage keys"};
    LLPickleOptions o = {.ctx = ctx, .flags = LL_PICKLE_PLAIN};
    LLPickleStream st;
    size_t pos = after_magic;
    for (unsigned k = 1; k < 5; k++) {
        if (pos >= len) {
            LLArtLoc loc = ll_art_ctx_loc(ctx, pos, 0);
            ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                       "legacy torch.save file ends after its %s pickle (it has %u of 5)", what[k - 1], k);
            return;
        }
        ll_pickle_walk(&o, data, pos, len, out, &st);
        if (!st.complete)
            return;
        pos = st.end;
    }
    /* the storages' raw bytes follow; torch reads them by position */
}

/* ---- legacy tar ----------------------------------------------------------------- */

bool ll_torch_tar_is_checkpoint(const LLTar *t)
{
    return ll_tar_find(t, "pickle") && ll_tar_find(t, "storages");
}

/* Bytes per element of a legacy storage class. */
static unsigned storage_elsize(const char *name)
{
    static const struct {
        const char *name;
        unsigned size;
    } k[] = {
        {"FloatStorage", 4}, {"DoubleStorage", 8}, {"HalfStorage", 2}, {"BFloat16Storage", 2},
        {"LongStorage", 8}, {"IntStorage", 4}, {"ShortStorage", 2}, {"CharStorage", 1},
        {"ByteStorage", 1}, {"BoolStorage", 1}, {"ComplexFloatStorage", 8},
        {"ComplexDoubleStorage", 16}, {"QInt8Storage", 1}, {"QUInt8Storage", 1},
        {"QInt32Storage", 4}, {"QUInt4x2Storage", 1}, {"QUInt2x4Storage", 1},
    };
    const char *base = NULL;
    if (strncmp(name, "torch.cuda.", 11) == 0)
        base = name + 11;
    else if (strncmp(name, "torch.", 6) == 0)
        base = name + 6;
    if (!base)
        return 0;
    for (size_t i = 0; i < sizeof k / sizeof *k; i++)
        if (strcmp(base, k[i].name) == 0)
            return k[i].size;
    return 0;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void tar_bad(const LLArtCtx *ctx, LLArtResult *out, const char *check, size_t off, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));
static void tar_bad(const LLArtCtx *ctx, LLArtResult *out, const char *check, size_t off, const char *fmt,
                    ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    LLArtLoc loc = ll_art_ctx_loc(ctx, off, 1);
    ll_art_add(out, check, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL, "%s", msg);
}

/* A count pickle at pos: its int value, and where it ends. */
static bool count_pickle(const LLArtCtx *ctx, const uint8_t *d, size_t pos, size_t len, const char *what,
                         int64_t *count, size_t *end, LLArtResult *out)
{
    LLPickleOptions o = {.ctx = ctx, .flags = LL_PICKLE_PLAIN};
    LLPickleStream st;
    ll_pickle_walk(&o, d, pos, len, out, &st);
    if (!st.complete)
        return false;
    if (st.value.kind != LL_PKV_INT || st.value.i < 0) {
        tar_bad(ctx, out, ART_CHECK_MALFORMED, pos, "the %s member does not start with a count", what);
        return false;
    }
    if ((uint64_t)st.value.i > LL_ART_TORCH_TAR_MAX_RECORDS) {
        tar_bad(ctx, out, ART_CHECK_LIMIT, pos,
                "the %s member counts %lld records, more than LL_ART_TORCH_TAR_MAX_RECORDS (%u)", what,
                (long long)st.value.i, LL_ART_TORCH_TAR_MAX_RECORDS);
        return false;
    }
    *count = st.value.i;
    *end = st.end;
    return true;
}

static void scan_storages(const LLArtCtx *ctx, const uint8_t *d, size_t len, LLArtResult *out)
{
    int64_t n;
    size_t pos;
    if (!count_pickle(ctx, d, 0, len, "storages", &n, &pos, out))
        return;
    LLPickleOptions o = {.ctx = ctx, .flags = LL_PICKLE_PLAIN};
    LLPickleStream st;
    for (int64_t i = 0; i < n; i++) {
        ll_pickle_walk(&o, d, pos, len, out, &st);
        if (!st.complete)
            return;
        unsigned el = st.nitems >= 3 && st.items[2].kind == LL_PKV_GLOBAL ? storage_elsize(st.items[2].name) : 0;
        if (!el) {
            tar_bad(ctx, out, ART_CHECK_UNSUPPORTED, pos,
                    "storage record %lld does not name a known storage type; the rest of the member was "
                    "not read",
                    (long long)i);
            return;
        }
        pos = st.end;
        if (len - pos < 8) {
            tar_bad(ctx, out, ART_CHECK_MALFORMED, pos, "storage %lld is truncated", (long long)i);
            return;
        }
        uint64_t numel = rd64(d + pos);
        pos += 8;
        if (numel > (len - pos) / el) {
            tar_bad(ctx, out, ART_CHECK_MALFORMED, pos, "storage %lld needs %llu bytes, the member has %zu",
                    (long long)i, (unsigned long long)numel * el, len - pos);
            return;
        }
        pos += (size_t)numel * el;
    }
    /* the storage views */
    ll_pickle_walk(&o, d, pos, len, out, &st);
}

static void scan_tensors(const LLArtCtx *ctx, const uint8_t *d, size_t len, LLArtResult *out)
{
    int64_t n;
    size_t pos;
    if (!count_pickle(ctx, d, 0, len, "tensors", &n, &pos, out))
        return;
    LLPickleOptions o = {.ctx = ctx, .flags = LL_PICKLE_PLAIN};
    LLPickleStream st;
    for (int64_t i = 0; i < n; i++) {
        ll_pickle_walk(&o, d, pos, len, out, &st);
        if (!st.complete)
            return;
        pos = st.end;
        /* ndim (int32), 4 bytes, sizes and strides (int64 each), offset */
        if (len - pos < 8) {
            tar_bad(ctx, out, ART_CHECK_MALFORMED, pos, "tensor %lld is truncated", (long long)i);
            return;
        }
        int32_t ndim = (int32_t)((uint32_t)d[pos] | (uint32_t)d[pos + 1] << 8 | (uint32_t)d[pos + 2] << 16 |
                                 (uint32_t)d[pos + 3] << 24);
        pos += 8;
        if (ndim < 0 || (uint64_t)ndim * 16u + 8u > len - pos) {
            tar_bad(ctx, out, ART_CHECK_MALFORMED, pos, "tensor %lld's metadata is truncated", (long long)i);
            return;
        }
        pos += (size_t)ndim * 16u + 8u;
    }
}

void ll_torch_tar_scan(const LLArtCtx *ctx, const LLTar *t, LLArtResult *out)
{
    static const char *const order[] = {"storages", "tensors", "pickle"};
    for (size_t k = 0; k < 3; k++) {
        const LLTarEntry *e = ll_tar_find(t, order[k]);
        if (!e)
            continue;
        LLArtCtx child;
        if (!ll_art_ctx_enter(ctx, e->name, e->hdr_off, &child, out))
            continue;
        const uint8_t *d = t->d + e->data_off;
        size_t n = (size_t)e->size;
        if (k == 0)
            scan_storages(&child, d, n, out);
        else if (k == 1)
            scan_tensors(&child, d, n, out);
        else
            ll_pickle_scan(&child, d, 0, n, LL_PICKLE_PLAIN, out);
    }
}
