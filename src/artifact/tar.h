/* tar.h - a minimal tar reader (ustar, GNU and pax headers) and the scan
 * of a tar archive's members.
 *
 * Headers are 512-byte blocks checked by their checksum (signed or
 * unsigned sum, as Python's tarfile accepts); sizes are octal or GNU
 * base-256; long names come from GNU 'L' records, pax 'path' and ustar's
 * prefix field; a pax 'size' overrides the header's (tarfile does). The
 * archive ends at a zero block, or at the first bad header after the first
 * member (tarfile stops there too; the rest is ART_CHECK_TRAILING_DATA).
 * Declared sizes are checked against the bytes left.
 *
 * ll_tar_scan: a legacy PyTorch tar checkpoint (members "pickle",
 * "storages", "tensors": torch.h) is read the way torch.load reads it;
 * any other tar's members are sniffed and read when they are a model
 * format.
 *
 * Ownership: an LLTar borrows the archive's bytes and owns its entries and
 * their names (ll_tar_close). */
#ifndef LL_ARTIFACT_TAR_H
#define LL_ARTIFACT_TAR_H
#include "artifact/scan.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_ART_TAR_BLOCK 512u
#define LL_ART_TAR_MAX_ENTRIES (1u << 20) /* members read */
#define LL_ART_TAR_MAX_NAME 4096u         /* bytes of a long (GNU or pax) name */

typedef struct LLTarEntry {
    char *name;       /* owned, NUL-terminated */
    char type;        /* '0' regular, '5' directory... */
    uint64_t hdr_off; /* of its header */
    uint64_t data_off, size;
} LLTarEntry;

typedef struct LLTar {
    const uint8_t *d;
    size_t len;
    LL_VEC(LLTarEntry) entries;
} LLTar;

/* A valid ustar/GNU header block at the start of head (512 bytes needed). */
bool ll_tar_sniff(const uint8_t *head, size_t len);
/* Reads the headers; false (with ART_CHECK_MALFORMED) when the first one is
 * not a valid tar header. */
bool ll_tar_open(LLTar *t, const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out);
void ll_tar_close(LLTar *t);
/* The last regular member named `name` (tarfile's getmember), or NULL. */
const LLTarEntry *ll_tar_find(const LLTar *t, const char *name);

/* Scans a tar archive; returns "pytorch-tar", "tar", or NULL when no member
 * is a model format. */
const char *ll_tar_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out);

#endif
