/* zip.h - reads zip archives the way Python's zipfile and PyTorch's reader
 * (miniz) do, and scans their members.
 *
 * Directory: the end-of-central-directory record is looked for in the last
 * 22 bytes, then (after a comment) in the last 64 KiB + 22 (its last
 * occurrence); ZIP64 through the locator before it. Where the two readers
 * differ, both views are read and their members scanned:
 *   - ZIP64: Python reads the record right before the locator, miniz the one
 *     the locator points at;
 *   - data before the archive: Python shifts every offset by it, miniz
 *     does not.
 * Each central-directory entry's data starts at its local header offset +
 * 30 + the LOCAL header's name and extra lengths (both readers), sized by
 * the central directory (data descriptors change nothing). ZIP64 extra
 * fields give the sizes and offset marked 0xFFFFFFFF.
 *
 * Members are stored (read in place: a stored member costs no copy and its
 * pages are the only ones touched), deflated, bzip2 or LZMA (decompressed,
 * streaming, at most the caller's limit: zip bombs). What PyTorch reads
 * though zipfile would not, is read and noted (severity note): a wrong
 * CRC-32 (ART_CHECK_ZIP_CRC), encryption or patch flag bits on plain data
 * (ART_CHECK_ZIP_FLAGS), a local header name differing from the central
 * one or directories that disagree (ART_CHECK_ZIP_DIVERGENCE), duplicate
 * names (ART_CHECK_ARCHIVE_DUPLICATE), "../" or absolute names
 * (ART_CHECK_ARCHIVE_UNSAFE_PATH). What cannot be read is
 * ART_CHECK_MALFORMED (verdict unscannable).
 *
 * ll_zip_scan (the container): every *.pkl / *.pickle member is read as a
 * pickle; every other member is sniffed from its first bytes and read when
 * it is a model format (a pickle renamed .txt, an .npy, a nested zip...);
 * PyTorch tensor data (<folder>/data/<n>) is never read (torch.h decides).
 *
 * Ownership: an LLZip borrows the archive's bytes and owns its entry
 * table; ll_zip_close frees it. An LLZipMember's `owned` holds decompressed
 * bytes (ll_zip_member_release). */
#ifndef LL_ARTIFACT_ZIP_H
#define LL_ARTIFACT_ZIP_H
#include "artifact/compress.h"
#include "artifact/scan.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_ART_ZIP_MAX_ENTRIES (1u << 20) /* central directory entries read */
#define LL_ART_ZIP_EOCD_SEARCH (65535u + 22u) /* bytes at the end searched for the EOCD record */
#define LL_ART_ZIP_MAX_VIEWS 4u /* directory interpretations read (Python's, miniz's...) */

typedef struct LLZipEntry {
    const uint8_t *name; /* into the archive (not NUL-terminated) */
    uint16_t name_len;
    uint16_t flags, method;
    uint32_t crc;
    uint64_t csize, usize;
    uint64_t local_off; /* of the local header, in the archive's bytes */
    uint64_t cd_off;    /* of the central directory record */
} LLZipEntry;

typedef struct LLZip {
    const uint8_t *d;
    size_t len;
    LL_VEC(LLZipEntry) entries;
    unsigned views;  /* directory interpretations read */
    bool divergent;  /* Python and PyTorch see different directories */
    char why[160];   /* how they differ */
} LLZip;

typedef struct LLZipMember {
    const uint8_t *data;
    size_t len;
    LLBytes owned;
    bool complete; /* the whole member was read */
} LLZipMember;

/* Reads the directory; false (with an ART_CHECK_MALFORMED finding) when no
 * central directory can be read. */
bool ll_zip_open(LLZip *z, const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out);
void ll_zip_close(LLZip *z);

/* Reads member e (the archive's context is ctx): all of it (at most `max`
 * decompressed bytes), or with head_only its first LL_ART_SNIFF_BYTES.
 * Problems become findings (not with head_only); false when nothing could
 * be read. */
bool ll_zip_read(const LLZip *z, const LLZipEntry *e, const LLArtCtx *ctx, uint64_t max,
                 bool head_only, LLZipMember *m, LLArtResult *out);
void ll_zip_member_release(LLZipMember *m);

/* Scans a zip archive's members; returns its format ("pytorch-zip",
 * "torchscript", "numpy-npz", "zip"), or NULL when no member is a model
 * format. */
const char *ll_zip_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out);

#endif
