/* scan.h - is this file a model file, and what does it hold: the entry
 * point of the pickle-family readers.
 *
 * ll_art_sniff looks at a file's name and first bytes only (at most
 * LL_ART_SNIFF_BYTES) and says which reader claims it, by magic bytes and
 * structure, never by extension: a pickle renamed .bin, .safetensors or
 * .txt is claimed (its opcodes parse), a text file named .pkl is not.
 *
 * ll_art_scan reads a whole file from memory (the caller maps it: pages a
 * reader never touches, such as tensor data, are never read; map with
 * madvise(MADV_RANDOM), or Linux's read-around pulls in megabytes around
 * each page touched) and appends
 * findings to an LLArtResult (artifact.h). It dispatches on the same
 * sniffing, then each container hands its members back to the dispatcher:
 * an .npz inside a zip inside a tar is read down to LL_ART_MAX_NESTING
 * levels (compression counts as a level), each finding naming the chain of
 * members that leads to it.
 *
 *   kind              reader      format names in LLArtResult.format
 *   pickle            pickle.h    "pickle", "joblib", "pytorch-legacy"
 *   zip               zip.h       "pytorch-zip", "torchscript", "numpy-npz", "zip"
 *   npy               npy.h       "numpy-npy"
 *   tar               tar.h       "pytorch-tar", "tar"
 *   compressed        compress.h  "joblib" (joblib's compressed dumps), or the
 *                                 inner file's format
 *   lfs               (here)      "lfs-pointer"
 *
 * Ownership: options and inputs are borrowed; results are appended to the
 * caller's LLArtResult. Nothing is kept between calls; any number of
 * threads may scan at once with a shared, read-only policy.
 *
 * The second half of this header is for the readers themselves: LLArtCtx
 * carries the options, the member chain and the decompression budget down
 * into nested members. */
#ifndef LL_ARTIFACT_SCAN_H
#define LL_ARTIFACT_SCAN_H
#include "artifact/artifact.h"
#include "artifact/pickle_policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a file's start that ll_art_sniff needs (it works with fewer). */
#define LL_ART_SNIFF_BYTES 4096u
/* Bytes one compressed member or stream may expand to before the reader
 * stops with ART_CHECK_LIMIT (zip bombs); LLArtScanOptions may change it. */
#define LL_ART_MAX_DECOMPRESSED (256ull * 1024u * 1024u)
/* Bytes all decompression in one file may produce together. */
#define LL_ART_MAX_DECOMPRESSED_TOTAL (1024ull * 1024u * 1024u)
/* Size above which a file starting like a Git LFS pointer is not one. */
#define LL_ART_LFS_MAX_BYTES 1024u

typedef enum LLArtKind {
    LL_ART_KIND_NONE = 0,   /* not a model file this module reads */
    LL_ART_KIND_PICKLE,     /* a pickle stream (also joblib, legacy torch.save) */
    LL_ART_KIND_ZIP,        /* a zip archive (PyTorch, TorchScript, .npz, any zip) */
    LL_ART_KIND_NPY,        /* a NumPy .npy array */
    LL_ART_KIND_TAR,        /* a tar archive (legacy PyTorch tar, any tar) */
    LL_ART_KIND_COMPRESSED, /* zlib, gzip, bz2, xz, lzma: joblib's compressors */
    LL_ART_KIND_LFS,        /* a Git LFS pointer file */
} LLArtKind;

typedef struct LLArtScanOptions {
    const LLPicklePolicy *policy; /* required: the merged allow/dangerous lists */
    uint64_t max_decompressed;    /* per member or stream; 0: LL_ART_MAX_DECOMPRESSED */
    uint64_t max_decompressed_total; /* per file; 0: LL_ART_MAX_DECOMPRESSED_TOTAL */
} LLArtScanOptions;

/* Which reader claims a file whose first `len` bytes are `head` (pass up to
 * LL_ART_SNIFF_BYTES; `len` may be the whole file). `name` may be NULL; it
 * never decides the answer. */
LLArtKind ll_art_sniff(const char *name, const uint8_t *head, size_t len);
/* A short name of a kind ("pickle", "zip"...). */
const char *ll_art_kind_name(LLArtKind k);

/* Reads the whole file `data` (len bytes) named `name` (may be NULL) and
 * appends findings to `out` (initialised by the caller). out->format is
 * NULL and the verdict LL_ART_NOT_MODEL when no reader claims the file;
 * otherwise the verdict is at least LL_ART_SAFE. */
void ll_art_scan(const LLArtScanOptions *opts, const char *name, const uint8_t *data, size_t len,
                 LLArtResult *out);

/* Memory the readers reuse from file to file: one per worker thread (never
 * shared between threads at once). It holds the pickle walkers' tables;
 * tables that grew past LL_ART_PICKLE_KEEP entries are freed after each
 * pickle, so a scratch stays small. ll_art_scan makes one per call. */
typedef struct LLArtScratch LLArtScratch;
LLArtScratch *ll_art_scratch_new(void);
void ll_art_scratch_free(LLArtScratch *s); /* NULL is fine */
/* ll_art_scan with the caller's scratch. */
void ll_art_scan_with(const LLArtScanOptions *opts, LLArtScratch *scratch, const char *name,
                      const uint8_t *data, size_t len, LLArtResult *out);

/* ---- for the readers ---------------------------------------------------- */

/* Walkers kept by a scratch: one per level of pickles inside pickles
 * (nested loads, joblib object arrays) in use at once. */
#define LL_ART_SCRATCH_WALKERS (LL_ART_MAX_NESTING + 2u)
struct LLArtScratch {
    void *walkers[LL_ART_SCRATCH_WALKERS]; /* pickle.c's walkers */
    unsigned active;                       /* in use now */
};

typedef struct LLArtCtx {
    const LLArtScanOptions *opts;
    LLArtScratch *scratch; /* may be NULL: walkers are then made per stream */
    LLArtLoc loc;         /* member chain of the bytes being read (offset, length unused);
                           * names borrowed from the parent reader */
    unsigned depth;       /* levels entered (archive members, decompression) */
    uint64_t *budget;     /* bytes decompression may still produce in this file */
} LLArtCtx;

/* A location in the current bytes: [off, off + n) plus the member chain. */
LLArtLoc ll_art_ctx_loc(const LLArtCtx *ctx, uint64_t off, uint64_t n);
/* The context for a member named `member` (at offset `off` of the current
 * bytes); false (and an ART_CHECK_LIMIT finding) when that would pass
 * LL_ART_MAX_NESTING. `member` must outlive the child context. */
bool ll_art_ctx_enter(const LLArtCtx *parent, const char *member, uint64_t off, LLArtCtx *child,
                      LLArtResult *out);
/* Per-stream decompression limit of the options. */
uint64_t ll_art_ctx_max_decompressed(const LLArtCtx *ctx);
/* Scans nested bytes (a member's or a stream's content) in `ctx`: sniffs
 * them and dispatches. Returns the format read ("pickle", "numpy-npy"...),
 * or NULL when the bytes are no model format (nothing is reported then). */
const char *ll_art_scan_nested(const LLArtCtx *ctx, const uint8_t *data, size_t len,
                               LLArtResult *out);
/* The same, for bytes that must be read as `kind` (a member named *.pkl is
 * a pickle even when it is not a valid one: then it is reported malformed).
 * Returns the format read. */
const char *ll_art_scan_as(const LLArtCtx *ctx, LLArtKind kind, const uint8_t *data, size_t len,
                           LLArtResult *out);

#endif
