#include "artifact/scan.h"

#include "artifact/compress.h"
#include "artifact/npy.h"
#include "artifact/pickle.h"
#include "artifact/tar.h"
#include "artifact/zip.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Git LFS pointer files start with one of these lines. */
static const char *const k_lfs_versions[] = {
    "version https://git-lfs.github.com/spec/",
    "version https://hawser.github.com/spec/",
};

const char *ll_art_kind_name(LLArtKind k)
{
    switch (k) {
    case LL_ART_KIND_PICKLE: return "pickle";
    case LL_ART_KIND_ZIP: return "zip";
    case LL_ART_KIND_NPY: return "npy";
    case LL_ART_KIND_TAR: return "tar";
    case LL_ART_KIND_COMPRESSED: return "compressed";
    case LL_ART_KIND_LFS: return "lfs";
    default: return "none";
    }
}

static bool lfs_sniff(const uint8_t *h, size_t n)
{
    for (size_t i = 0; i < sizeof k_lfs_versions / sizeof *k_lfs_versions; i++) {
        size_t k = strlen(k_lfs_versions[i]);
        if (n > k && memcmp(h, k_lfs_versions[i], k) == 0)
            return true;
    }
    return false;
}

/* joblib names its lz4 dumps x.joblib, x.pkl or x.pkl.lz4 */
static bool name_suggests_model(const char *name)
{
    if (!name)
        return false;
    static const char *const ext[] = {".joblib", ".jbl", ".pkl", ".pickle"};
    size_t n = strlen(name);
    if (n >= 4 && strcmp(name + n - 4, ".lz4") == 0)
        n -= 4;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t k = strlen(ext[i]);
        if (n >= k && strncmp(name + n - k, ext[i], k) == 0)
            return true;
    }
    return false;
}

static LLArtKind sniff(const char *name, const uint8_t *h, size_t n, unsigned depth)
{
    if (!n)
        return LL_ART_KIND_NONE;
    if (n >= 4 && h[0] == 'P' && h[1] == 'K' && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6)))
        return LL_ART_KIND_ZIP;
    if (ll_npy_sniff(h, n))
        return LL_ART_KIND_NPY;
    if (lfs_sniff(h, n))
        return LL_ART_KIND_LFS;
    if (ll_tar_sniff(h, n))
        return LL_ART_KIND_TAR;
    LLCompressKind ck = ll_compress_sniff(h, n);
    if (ck == LL_COMPRESS_LZ4)
        /* lz4 frames carry no hint of their content: only a model file's
         * name (joblib's lz4 dumps) makes one a candidate */
        return name_suggests_model(name) ? LL_ART_KIND_COMPRESSED : LL_ART_KIND_NONE;
    if (ck != LL_COMPRESS_NONE && depth < LL_ART_MAX_NESTING) {
        LLBytes out = {0};
        char err[128];
        ll_decompress(ck, h, n, LL_ART_SNIFF_BYTES, &out, err, sizeof err);
        LLArtKind inner = out.len ? sniff(NULL, out.data, out.len, depth + 1) : LL_ART_KIND_NONE;
        ll_bytes_release(&out);
        if (inner != LL_ART_KIND_NONE && inner != LL_ART_KIND_LFS)
            return LL_ART_KIND_COMPRESSED;
    }
    if (ll_pickle_sniff(h, n, n < LL_ART_SNIFF_BYTES))
        return LL_ART_KIND_PICKLE;
    return LL_ART_KIND_NONE;
}

LLArtKind ll_art_sniff(const char *name, const uint8_t *head, size_t len)
{
    return sniff(name, head, len > LL_ART_SNIFF_BYTES ? LL_ART_SNIFF_BYTES : len, 0);
}

LLArtLoc ll_art_ctx_loc(const LLArtCtx *ctx, uint64_t off, uint64_t n)
{
    LLArtLoc loc = ctx->loc;
    loc.offset = off;
    loc.length = n;
    return loc;
}

bool ll_art_ctx_enter(const LLArtCtx *parent, const char *member, uint64_t off, LLArtCtx *child,
                      LLArtResult *out)
{
    if (parent->depth + 1 > LL_ART_MAX_NESTING || parent->loc.nmembers >= LL_ART_MAX_NESTING) {
        LLArtLoc loc = ll_art_ctx_loc(parent, off, 0);
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, member,
                   "%s is nested more than %u levels deep (LL_ART_MAX_NESTING); it was not read", member,
                   LL_ART_MAX_NESTING);
        return false;
    }
    *child = *parent;
    child->depth = parent->depth + 1;
    child->loc.members[child->loc.nmembers++] = (char *)member;
    return true;
}

uint64_t ll_art_ctx_max_decompressed(const LLArtCtx *ctx)
{
    uint64_t m = ctx->opts->max_decompressed ? ctx->opts->max_decompressed : LL_ART_MAX_DECOMPRESSED;
    if (ctx->budget && *ctx->budget < m)
        m = *ctx->budget;
    return m;
}

static const char *scan_lfs(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    char oid[80] = "";
    const uint8_t *o = NULL;
    for (size_t i = 0; i + 11 < len; i++) {
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, "oid sha256:", 11) == 0) {
            o = data + i + 11;
            break;
        }
    }
    if (o) {
        size_t k = 0;
        while (k < 64 && o + k < data + len && o[k] != '\n' && o[k] != '\r')
            k++;
        snprintf(oid, sizeof oid, "sha256:%.*s", (int)k, (const char *)o);
    }
    LLArtLoc loc = ll_art_ctx_loc(ctx, 0, len);
    ll_art_add(out, ART_CHECK_LFS_POINTER, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, oid[0] ? oid : NULL,
               "not scanned: a Git LFS pointer, the model itself is in LFS storage (git lfs pull, then "
               "scan again)");
    return "lfs-pointer";
}

const char *ll_art_scan_as(const LLArtCtx *ctx, LLArtKind kind, const uint8_t *data, size_t len,
                           LLArtResult *out)
{
    switch (kind) {
    case LL_ART_KIND_PICKLE:
        return ll_pickle_scan(ctx, data, 0, len, 0, out);
    case LL_ART_KIND_ZIP:
        return ll_zip_scan(ctx, data, len, out);
    case LL_ART_KIND_NPY:
        return ll_npy_scan(ctx, data, len, out);
    case LL_ART_KIND_TAR:
        return ll_tar_scan(ctx, data, len, out);
    case LL_ART_KIND_COMPRESSED:
        return ll_compress_scan(ctx, data, len, out);
    case LL_ART_KIND_LFS:
        return scan_lfs(ctx, data, len, out);
    default:
        return NULL;
    }
}

const char *ll_art_scan_nested(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    const char *name = ctx->loc.nmembers ? ctx->loc.members[ctx->loc.nmembers - 1] : NULL;
    LLArtKind k = ll_art_sniff(name, data, len);
    if (k == LL_ART_KIND_LFS && (ctx->depth > 0 || len > LL_ART_LFS_MAX_BYTES))
        return NULL;
    return ll_art_scan_as(ctx, k, data, len, out);
}

LLArtScratch *ll_art_scratch_new(void)
{
    return ll_xcalloc(1, sizeof(LLArtScratch));
}

void ll_art_scratch_free(LLArtScratch *s)
{
    if (!s)
        return;
    for (unsigned i = 0; i < LL_ART_SCRATCH_WALKERS; i++)
        ll_pickle_scratch_free(s->walkers[i]);
    free(s);
}

void ll_art_scan(const LLArtScanOptions *opts, const char *name, const uint8_t *data, size_t len,
                 LLArtResult *out)
{
    LLArtScratch *s = ll_art_scratch_new();
    ll_art_scan_with(opts, s, name, data, len, out);
    ll_art_scratch_free(s);
}

void ll_art_scan_with(const LLArtScanOptions *opts, LLArtScratch *scratch, const char *name,
                      const uint8_t *data, size_t len, LLArtResult *out)
{
    uint64_t budget = opts->max_decompressed_total ? opts->max_decompressed_total : LL_ART_MAX_DECOMPRESSED_TOTAL;
    LLArtCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.opts = opts;
    ctx.scratch = scratch;
    ctx.budget = &budget;
    LLArtKind k = ll_art_sniff(name, data, len);
    if (k == LL_ART_KIND_LFS && len > LL_ART_LFS_MAX_BYTES)
        k = LL_ART_KIND_NONE;
    const char *fmt = ll_art_scan_as(&ctx, k, data, len, out);
    if (fmt) {
        out->format = fmt;
        if (out->verdict < LL_ART_SAFE)
            out->verdict = LL_ART_SAFE;
    }
}
