/* hdf5.h - a small, bounded reader of the HDF5 structures legacy Keras
 * models need: the root group's attributes.
 *
 * A legacy Keras `.h5` model keeps its architecture as JSON in the root
 * group's `model_config` attribute (and `training_config`, `keras_version`,
 * `backend`). This reader finds the superblock (signature at 0, 512, 1024,
 * 2048, ...; versions 0-3), reads the root group's object header (version 1
 * or 2, with continuation chunks), and decodes its attribute messages
 * (versions 1-3), both compact (in the header) and dense (attribute info
 * message -> v2 B-tree of names (record type 8) -> fractal heap: managed
 * objects in direct blocks under any depth of indirect blocks, huge objects
 * through the heap's own v2 B-tree (record type 1) or directly addressed,
 * tiny objects in the ID). Attribute values are read as strings:
 * fixed-length (null-terminated, null- or space-padded) and variable-length
 * (the global heap collection, "GCOL"). Nothing else of the file is read
 * (datasets, other groups, weights), and no library is involved.
 *
 * Why not libhdf5 (Debian's libhdf5-103-1, 1.10.8): it is built thread-safe
 * (H5_HAVE_THREADSAFE), which in HDF5 means one global lock around every
 * call, so scanning threads would queue behind each other; it reads from
 * memory only through its core driver / file images (a copy per file); it
 * pulls libcurl, libssl and libsz into the process; and its decoder is a
 * large attack surface with a long history of memory-safety CVEs on crafted
 * files. The structures above are a few hundred lines to read, checked.
 *
 * Bounds: every address is checked against the buffer (addresses are
 * relative to the superblock, as the library rebases them); continuation
 * chunks are counted (LL_HDF5_MAX_CHUNKS) and a chunk seen twice is a cycle;
 * B-tree walks are iterative with depth and node limits; indirect-block
 * descent is bounded (LL_HDF5_MAX_HEAP_DEPTH). Checksums are not verified
 * (a file the library would reject cannot be loaded anyway). Shared
 * (SOHM) attribute messages and filtered heap blocks are not read: that is
 * reported as ART_CHECK_LIMIT.
 *
 * The scan (ll_art_hdf5_scan): with a model_config, format "keras-h5", one
 * ART_CHECK_KERAS_H5_LEGACY note (severity note, verdict SAFE; subject: the
 * keras_version attribute, or "unknown") so the Keras version can be
 * graded later (CVE-2025-9905: safe_mode ignored for .h5 before Keras
 * 3.11.3), then model_config and training_config through keras.h. Without
 * one, format "hdf5" (weights only): verdict SAFE and no finding. A file
 * that cannot be read is ART_CHECK_MALFORMED (or _LIMIT).
 *
 * Ownership: everything returned points into the caller's buffer; no
 * allocation outlives a call and no state is kept between calls. */
#ifndef LL_ARTIFACT_HDF5_H
#define LL_ARTIFACT_HDF5_H
#include "artifact/artifact.h"
#include "artifact/keras.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Object header chunks (the first and its continuations) read. */
#define LL_HDF5_MAX_CHUNKS 256u
/* Messages read from one object header. */
#define LL_HDF5_MAX_MESSAGES 65536u
/* v2 B-tree nodes visited per tree, and the depth accepted. */
#define LL_HDF5_MAX_BTREE_NODES 65536u
#define LL_HDF5_MAX_BTREE_DEPTH 16u
/* Fractal heap: indirect blocks descended to reach one object. */
#define LL_HDF5_MAX_HEAP_DEPTH 16u
/* Attributes decoded on the root group (compact and dense together). */
#define LL_HDF5_MAX_ATTRIBUTES 1000000u
/* Huge heap objects indexed (their B-tree's records). */
#define LL_HDF5_MAX_HUGE_OBJECTS 65536u

typedef struct LLHdf5Value {
    bool present;        /* the attribute exists */
    const uint8_t *data; /* its string value (NULL when not a readable string) */
    size_t len;
    uint64_t offset;     /* offset of data in the buffer */
    const char *problem; /* why a present value could not be read (static), or NULL */
} LLHdf5Value;

typedef struct LLHdf5Root {
    unsigned superblock_version, header_version;
    uint64_t superblock_offset;
    bool dense;              /* attributes in dense storage */
    uint64_t nattributes;    /* attribute messages decoded */
    uint64_t unread_shared;  /* shared (SOHM) attribute messages not read */
    LLHdf5Value model_config, training_config, keras_version, backend;
} LLHdf5Root;

/* Reads the root group's attributes of interest. Returns NULL when the
 * structures read, else a sentence (in errbuf) naming the first problem,
 * with *at its offset and *is_limit telling a limit from malformed data;
 * what was read before the problem stays in *root. */
const char *ll_art_hdf5_read_root(const uint8_t *data, size_t len, LLHdf5Root *root,
                                  char *errbuf, size_t errsz, uint64_t *at, bool *is_limit);

typedef struct LLArtHdf5Options {
    const LLArtKerasOptions *keras; /* required: model_config analysis */
} LLArtHdf5Options;

/* The HDF5 signature at 0, 512, 1024, 2048, ... within head[0, n). */
bool ll_art_hdf5_sniff(const uint8_t *head, size_t n);
/* Scans an HDF5 file (a legacy .h5 model or a weights file). Sets
 * out->format ("keras-h5" or "hdf5") when it is NULL. */
void ll_art_hdf5_scan(const LLArtHdf5Options *o, const uint8_t *data, size_t len,
                      const LLArtLoc *where, LLArtResult *out);

#endif
