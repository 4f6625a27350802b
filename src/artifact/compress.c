#include "artifact/compress.h"

#include "artifact/joblib.h"
#include "base/mem.h"

#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Input handed to a decompressor per call (their counters are 32-bit). */
#define FEED_MAX (1u << 30)

void ll_bytes_release(LLBytes *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Room for at least one more chunk, never past max; returns the room. */
static size_t bytes_room(LLBytes *b, uint64_t max)
{
    if (b->len >= max)
        return 0;
    size_t want = LL_ART_DECOMPRESS_CHUNK;
    if ((uint64_t)want > max - b->len)
        want = (size_t)(max - b->len);
    if (b->cap - b->len < want) {
        size_t ncap = b->cap ? b->cap : LL_ART_DECOMPRESS_CHUNK;
        while (ncap - b->len < want)
            ncap *= 2;
        if ((uint64_t)ncap > max)
            ncap = (size_t)max;
        if (ncap < b->len + want)
            ncap = b->len + want;
        b->data = ll_xrealloc(b->data, ncap);
        b->cap = ncap;
    }
    return b->cap - b->len < want ? b->cap - b->len : want;
}

LLCompressKind ll_compress_sniff(const uint8_t *d, size_t n)
{
    if (n >= 3 && d[0] == 0x1f && d[1] == 0x8b && d[2] == 8)
        return LL_COMPRESS_GZIP;
    if (n >= 10 && d[0] == 'B' && d[1] == 'Z' && d[2] == 'h' && d[3] >= '1' && d[3] <= '9' &&
        ((d[4] == 0x31 && d[5] == 0x41 && d[6] == 0x59 && d[7] == 0x26 && d[8] == 0x53 && d[9] == 0x59) ||
         (d[4] == 0x17 && d[5] == 0x72 && d[6] == 0x45 && d[7] == 0x38 && d[8] == 0x50 && d[9] == 0x90)))
        return LL_COMPRESS_BZ2;
    if (n >= 6 && d[0] == 0xFD && d[1] == '7' && d[2] == 'z' && d[3] == 'X' && d[4] == 'Z' && d[5] == 0)
        return LL_COMPRESS_XZ;
    /* lzma alone: properties byte 0x5d (lc=3 lp=0 pb=2, what every encoder
     * writes), a 32-bit dictionary size, a 64-bit size (or all ones) */
    if (n >= 13 && d[0] == 0x5d && d[1] == 0 && d[2] == 0)
        return LL_COMPRESS_LZMA;
    if (n >= 4 && d[0] == 0x04 && d[1] == 0x22 && d[2] == 0x4d && d[3] == 0x18)
        return LL_COMPRESS_LZ4;
    size_t zs;
    if (ll_joblib_zfile_header(d, n, &zs))
        return LL_COMPRESS_JOBLIB_ZF;
    /* zlib: deflate, a window of at most 32 KiB, and the header check */
    if (n >= 2 && (d[0] & 0x0F) == 8 && (d[0] >> 4) <= 7 && ((d[0] << 8) | d[1]) % 31 == 0 &&
        !(d[1] & 0x20))
        return LL_COMPRESS_ZLIB;
    return LL_COMPRESS_NONE;
}

const char *ll_compress_name(LLCompressKind k)
{
    switch (k) {
    case LL_COMPRESS_ZLIB: return "zlib";
    case LL_COMPRESS_GZIP: return "gzip";
    case LL_COMPRESS_BZ2: return "bz2";
    case LL_COMPRESS_XZ: return "xz";
    case LL_COMPRESS_LZMA: return "lzma";
    case LL_COMPRESS_JOBLIB_ZF: return "joblib-zf";
    case LL_COMPRESS_LZ4: return "lz4";
    case LL_COMPRESS_DEFLATE: return "deflate";
    case LL_COMPRESS_ZIP_LZMA: return "zip-lzma";
    default: return "none";
    }
}

static LLDecompStatus inflate_all(const uint8_t *d, size_t n, int wbits, bool multi, uint64_t max,
                                  LLBytes *out, char *err, size_t errsz)
{
    size_t used = 0;
    for (;;) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, wbits) != Z_OK) {
            snprintf(err, errsz, "zlib could not start");
            return LL_DECOMP_ERROR;
        }
        int rc = Z_OK;
        while (rc != Z_STREAM_END) {
            if (z.avail_in == 0) {
                size_t left = n - used;
                z.next_in = (Bytef *)(d + used);
                z.avail_in = (uInt)(left > FEED_MAX ? FEED_MAX : left);
                used += z.avail_in;
            }
            size_t room = bytes_room(out, max);
            if (!room) {
                inflateEnd(&z);
                snprintf(err, errsz, "the output passes the limit of %llu bytes", (unsigned long long)max);
                return LL_DECOMP_LIMIT;
            }
            z.next_out = out->data + out->len;
            z.avail_out = (uInt)room;
            rc = inflate(&z, Z_NO_FLUSH);
            out->len += room - z.avail_out;
            if (rc == Z_STREAM_END)
                break;
            if (rc == Z_BUF_ERROR && z.avail_in == 0 && used == n) {
                inflateEnd(&z);
                snprintf(err, errsz, "the %s stream is truncated", wbits > 16 ? "gzip" : wbits < 0 ? "deflate" : "zlib");
                return LL_DECOMP_TRUNCATED;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                snprintf(err, errsz, "corrupt %s data (%s)", wbits > 16 ? "gzip" : wbits < 0 ? "deflate" : "zlib",
                         z.msg ? z.msg : "error");
                inflateEnd(&z);
                return LL_DECOMP_ERROR;
            }
        }
        used -= z.avail_in;
        inflateEnd(&z);
        if (!multi || used >= n)
            return LL_DECOMP_OK;
        /* gzip: another member follows (Python reads them all); trailing
         * zero bytes are ignored as gzip does */
        if (n - used >= 2 && d[used] == 0x1f && d[used + 1] == 0x8b)
            continue;
        size_t k = used;
        while (k < n && d[k] == 0)
            k++;
        if (k == n)
            return LL_DECOMP_OK;
        snprintf(err, errsz, "%zu bytes after the gzip data are not a gzip member", n - used);
        return LL_DECOMP_ERROR;
    }
}

static LLDecompStatus bunzip_all(const uint8_t *d, size_t n, uint64_t max, LLBytes *out, char *err,
                                 size_t errsz)
{
    size_t used = 0;
    for (;;) {
        bz_stream s;
        memset(&s, 0, sizeof s);
        if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) {
            snprintf(err, errsz, "bzip2 could not start");
            return LL_DECOMP_ERROR;
        }
        int rc = BZ_OK;
        while (rc != BZ_STREAM_END) {
            if (s.avail_in == 0) {
                size_t left = n - used;
                if (!left) {
                    BZ2_bzDecompressEnd(&s);
                    snprintf(err, errsz, "the bzip2 stream is truncated");
                    return LL_DECOMP_TRUNCATED;
                }
                s.next_in = (char *)(d + used);
                s.avail_in = (unsigned)(left > FEED_MAX ? FEED_MAX : left);
                used += s.avail_in;
            }
            size_t room = bytes_room(out, max);
            if (!room) {
                BZ2_bzDecompressEnd(&s);
                snprintf(err, errsz, "the output passes the limit of %llu bytes", (unsigned long long)max);
                return LL_DECOMP_LIMIT;
            }
            s.next_out = (char *)(out->data + out->len);
            s.avail_out = (unsigned)room;
            rc = BZ2_bzDecompress(&s);
            out->len += room - s.avail_out;
            if (rc != BZ_OK && rc != BZ_STREAM_END) {
                BZ2_bzDecompressEnd(&s);
                snprintf(err, errsz, "corrupt bzip2 data (error %d)", rc);
                return LL_DECOMP_ERROR;
            }
        }
        used -= s.avail_in;
        BZ2_bzDecompressEnd(&s);
        if (used >= n)
            return LL_DECOMP_OK;
        if (n - used >= 3 && d[used] == 'B' && d[used + 1] == 'Z' && d[used + 2] == 'h')
            continue;
        snprintf(err, errsz, "%zu bytes after the bzip2 data are not a bzip2 stream", n - used);
        return LL_DECOMP_ERROR;
    }
}

static LLDecompStatus lzma_run(lzma_stream *s, const uint8_t *d, size_t n, uint64_t max, LLBytes *out,
                               char *err, size_t errsz)
{
    size_t used = 0;
    lzma_ret rc = LZMA_OK;
    for (;;) {
        if (s->avail_in == 0 && used < n) {
            size_t left = n - used;
            s->next_in = d + used;
            s->avail_in = left > FEED_MAX ? FEED_MAX : left;
            used += s->avail_in;
        }
        lzma_action act = (s->avail_in == 0 && used == n) ? LZMA_FINISH : LZMA_RUN;
        size_t room = bytes_room(out, max);
        if (!room) {
            snprintf(err, errsz, "the output passes the limit of %llu bytes", (unsigned long long)max);
            return LL_DECOMP_LIMIT;
        }
        s->next_out = out->data + out->len;
        s->avail_out = room;
        rc = lzma_code(s, act);
        out->len += room - s->avail_out;
        if (rc == LZMA_STREAM_END)
            return LL_DECOMP_OK;
        if (rc == LZMA_BUF_ERROR || (rc == LZMA_OK && act == LZMA_FINISH && s->avail_out != 0)) {
            snprintf(err, errsz, "the lzma/xz stream is truncated");
            return LL_DECOMP_TRUNCATED;
        }
        if (rc == LZMA_MEMLIMIT_ERROR) {
            snprintf(err, errsz, "the stream needs more than %llu bytes of decoder memory (LL_ART_LZMA_MEMLIMIT)",
                     (unsigned long long)LL_ART_LZMA_MEMLIMIT);
            return LL_DECOMP_UNSUPPORTED;
        }
        if (rc != LZMA_OK) {
            snprintf(err, errsz, "corrupt lzma/xz data (liblzma error %d)", (int)rc);
            return LL_DECOMP_ERROR;
        }
    }
}

static LLDecompStatus unlzma(LLCompressKind k, const uint8_t *d, size_t n, uint64_t max, LLBytes *out,
                             char *err, size_t errsz)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret rc;
    lzma_filter filters[2];
    memset(filters, 0, sizeof filters);
    if (k == LL_COMPRESS_XZ) {
        rc = lzma_stream_decoder(&s, LL_ART_LZMA_MEMLIMIT, LZMA_CONCATENATED);
    } else if (k == LL_COMPRESS_LZMA) {
        rc = lzma_alone_decoder(&s, LL_ART_LZMA_MEMLIMIT);
    } else {
        /* zip method 14: version (2), properties size (2), properties */
        if (n < 4) {
            snprintf(err, errsz, "the zip LZMA header is truncated");
            return LL_DECOMP_TRUNCATED;
        }
        size_t psize = (size_t)d[2] | (size_t)d[3] << 8;
        if (psize != 5 || n < 4 + psize) {
            snprintf(err, errsz, "bad zip LZMA properties");
            return LL_DECOMP_ERROR;
        }
        filters[0].id = LZMA_FILTER_LZMA1;
        filters[1].id = LZMA_VLI_UNKNOWN;
        if (lzma_properties_decode(&filters[0], NULL, d + 4, psize) != LZMA_OK) {
            snprintf(err, errsz, "bad zip LZMA properties");
            return LL_DECOMP_ERROR;
        }
        lzma_options_lzma *opt = filters[0].options;
        if (opt && opt->dict_size > LL_ART_LZMA_MEMLIMIT / 2) {
            free(filters[0].options);
            snprintf(err, errsz, "the LZMA dictionary is larger than LL_ART_LZMA_MEMLIMIT allows");
            return LL_DECOMP_UNSUPPORTED;
        }
        rc = lzma_raw_decoder(&s, filters);
        free(filters[0].options);
        d += 4 + psize;
        n -= 4 + psize;
    }
    if (rc != LZMA_OK) {
        snprintf(err, errsz, "liblzma could not start (error %d)", (int)rc);
        return LL_DECOMP_ERROR;
    }
    LLDecompStatus st = lzma_run(&s, d, n, max, out, err, errsz);
    lzma_end(&s);
    /* zip LZMA without an end marker ends with the member: that is fine */
    if (k == LL_COMPRESS_ZIP_LZMA && st == LL_DECOMP_TRUNCATED)
        st = LL_DECOMP_OK;
    return st;
}

LLDecompStatus ll_decompress(LLCompressKind k, const uint8_t *d, size_t n, uint64_t max, LLBytes *out,
                             char *err, size_t errsz)
{
    err[0] = '\0';
    switch (k) {
    case LL_COMPRESS_ZLIB:
        return inflate_all(d, n, 15, false, max, out, err, errsz);
    case LL_COMPRESS_DEFLATE:
        return inflate_all(d, n, -15, false, max, out, err, errsz);
    case LL_COMPRESS_GZIP:
        return inflate_all(d, n, 16 + 15, true, max, out, err, errsz);
    case LL_COMPRESS_JOBLIB_ZF: {
        size_t zs = 0;
        if (!ll_joblib_zfile_header(d, n, &zs)) {
            snprintf(err, errsz, "bad joblib ZF header");
            return LL_DECOMP_ERROR;
        }
        return inflate_all(d + zs, n - zs, 15, false, max, out, err, errsz);
    }
    case LL_COMPRESS_BZ2:
        return bunzip_all(d, n, max, out, err, errsz);
    case LL_COMPRESS_XZ:
    case LL_COMPRESS_LZMA:
    case LL_COMPRESS_ZIP_LZMA:
        return unlzma(k, d, n, max, out, err, errsz);
    default:
        snprintf(err, errsz, "%s compression is not supported", ll_compress_name(k));
        return LL_DECOMP_UNSUPPORTED;
    }
}

const char *ll_compress_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    LLCompressKind k = ll_compress_sniff(data, len);
    LLArtLoc loc = ll_art_ctx_loc(ctx, 0, len);
    if (k == LL_COMPRESS_NONE)
        return NULL;
    if (k == LL_COMPRESS_LZ4) {
        ll_art_add(out, ART_CHECK_UNSUPPORTED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, "lz4",
                   "not scanned: lz4-compressed data (joblib's lz4 compressor) cannot be read here");
        return "lz4";
    }
    char member[16];
    snprintf(member, sizeof member, "<%s>", k == LL_COMPRESS_JOBLIB_ZF ? "zlib" : ll_compress_name(k));
    LLArtCtx child;
    if (!ll_art_ctx_enter(ctx, member, 0, &child, out))
        return NULL;
    uint64_t max = ll_art_ctx_max_decompressed(ctx);
    LLBytes buf = {0};
    char err[256];
    LLDecompStatus st = ll_decompress(k, data, len, max, &buf, err, sizeof err);
    if (ctx->budget)
        *ctx->budget -= buf.len < *ctx->budget ? buf.len : *ctx->budget;
    const char *fmt = NULL;
    if (buf.len)
        fmt = ll_art_scan_nested(&child, buf.data, buf.len, out);
    if (st == LL_DECOMP_LIMIT) {
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "the %s data expands past %llu bytes (the decompression limit); only that much was "
                   "read",
                   ll_compress_name(k), (unsigned long long)max);
    } else if (st == LL_DECOMP_UNSUPPORTED) {
        ll_art_add(out, ART_CHECK_UNSUPPORTED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc,
                   ll_compress_name(k), "not scanned: %s", err);
    } else if (st != LL_DECOMP_OK) {
        ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%s after %zu bytes of output; what came before was read", err, buf.len);
    }
    ll_bytes_release(&buf);
    if (!fmt && st == LL_DECOMP_OK)
        return NULL;
    return fmt ? fmt : ll_compress_name(k);
}
