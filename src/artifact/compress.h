/* compress.h - decompression with an output limit, and the reader of
 * compressed files (joblib's compressors, gzip'd pickles, .tar.gz).
 *
 * Every decompressor is streaming and stops when its output would pass the
 * caller's limit (zip bombs): the bytes produced so far are kept and the
 * status says LIMIT. Nothing is allocated from a declared size.
 *
 * Formats, recognised by magic bytes: zlib streams (joblib's "zlib"
 * compressor), gzip (several members are one stream, as Python's gzip
 * reads them), bzip2 (several streams likewise), xz, lzma "alone" (joblib's
 * "lzma"), joblib's pre-0.10 "ZF" header followed by zlib; lz4 frames are
 * recognised but not read (ART_CHECK_UNSUPPORTED). Zip members use raw
 * deflate, bzip2 and zip's LZMA framing (ll_decompress_zip_method).
 *
 * ll_compress_scan reads a compressed file: its content becomes a member
 * named "<zlib>", "<gzip>"... (one nesting level) and is handed back to the
 * dispatcher (scan.h). A decompression error after some output still
 * scans that output (a loader would run the pickle up to the error).
 *
 * Ownership: LLBytes owns its data (ll_bytes_release); inputs are
 * borrowed. */
#ifndef LL_ARTIFACT_COMPRESS_H
#define LL_ARTIFACT_COMPRESS_H
#include "artifact/scan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory liblzma may use to decode one xz or lzma stream (a header may ask
 * for a dictionary of up to 4 GiB). */
#define LL_ART_LZMA_MEMLIMIT (256ull * 1024u * 1024u)
/* Output chunk the decompressors grow their buffer by. */
#define LL_ART_DECOMPRESS_CHUNK (64u * 1024u)

typedef enum LLCompressKind {
    LL_COMPRESS_NONE = 0,
    LL_COMPRESS_ZLIB,
    LL_COMPRESS_GZIP,
    LL_COMPRESS_BZ2,
    LL_COMPRESS_XZ,
    LL_COMPRESS_LZMA,      /* lzma "alone" (.lzma) */
    LL_COMPRESS_JOBLIB_ZF, /* joblib < 0.10: "ZF" + length + zlib */
    LL_COMPRESS_LZ4,       /* recognised, not read */
    LL_COMPRESS_DEFLATE,   /* raw deflate (zip method 8) */
    LL_COMPRESS_ZIP_LZMA,  /* zip method 14: a small header, then raw LZMA1 */
} LLCompressKind;

typedef enum LLDecompStatus {
    LL_DECOMP_OK = 0,
    LL_DECOMP_LIMIT,     /* the output would pass the limit: out holds the first `max` bytes */
    LL_DECOMP_TRUNCATED, /* the input ends inside the stream */
    LL_DECOMP_ERROR,     /* corrupt data (out holds what came before) */
    LL_DECOMP_UNSUPPORTED,
} LLDecompStatus;

typedef struct LLBytes {
    uint8_t *data;
    size_t len, cap;
} LLBytes;

void ll_bytes_release(LLBytes *b);

/* The compression format `data` starts with (magic bytes only). */
LLCompressKind ll_compress_sniff(const uint8_t *data, size_t len);
/* "zlib", "gzip", "bz2", "xz", "lzma", "joblib-zf", "lz4", "deflate", "zip-lzma". */
const char *ll_compress_name(LLCompressKind k);

/* Decompresses data[0, len) as `k` into `out` (appended), producing at most
 * `max` bytes. `err` (errsz bytes) says what went wrong. */
LLDecompStatus ll_decompress(LLCompressKind k, const uint8_t *data, size_t len, uint64_t max,
                             LLBytes *out, char *err, size_t errsz);

/* Reads a compressed file: returns the format of its content (NULL when
 * it is no model format) and reports decompression problems. */
const char *ll_compress_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len,
                             LLArtResult *out);

#endif
