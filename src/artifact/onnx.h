/* onnx.h - ONNX models (ModelProto protobuf), validated and checked.
 *
 * An ONNX model holds no Python, but loading one can read files: a tensor
 * with data_location = EXTERNAL names a file in its external_data
 * ("location"), which onnx and onnxruntime read relative to the model's
 * folder. The scan walks the whole ModelProto iteratively (graph, its
 * nodes' attribute subgraphs (If/Loop/Scan bodies, any depth up to
 * LL_ONNX_MAX_GRAPH_DEPTH), training_info graphs, local functions) and
 * reports for every TensorProto (initializers, sparse initializers' values
 * and indices, attribute tensors):
 *  - ART_CHECK_ONNX_EXTERNAL_PATH (error, suspicious): an external location
 *    that is absolute ("/x", "\x", "C:..."), goes up (a ".." component, by
 *    '/' or '\'), starts with "~", is a URL ("scheme://"), or holds a NUL
 *    byte: onnx before 1.13 and 1.16 (CVE-2022-25882, CVE-2024-27318) and
 *    onnxruntime read such files from anywhere;
 *  - ART_CHECK_ONNX_EXTERNAL_KEY (warning): an external_data key other
 *    than location, offset, length, checksum, basepath (onnx copied every
 *    key onto an object with setattr, CVE-2026-34445);
 *  - ART_CHECK_ONNX_CUSTOM_DOMAIN (note, verdict stays safe): an operator
 *    domain (opset_import or a node's domain) that is neither ONNX's nor
 *    ONNX Runtime's built-in ones nor a function defined in the model: the
 *    model needs a native custom-op library registered by the loader. Each
 *    domain is reported once.
 * Wire-format errors are ART_CHECK_MALFORMED. A valid model with none of
 * the above: LL_ART_SAFE, no finding. Symbolic links in the model's
 * folder cannot be seen from the bytes (CVE-2026-27489): not checked.
 *
 * Protobuf cannot be sniffed reliably: a dispatcher claims files named
 * *.onnx (ll_art_onnx_name_matches); the sniffer only checks that the head
 * reads as ModelProto fields.
 *
 * Ownership: borrows its input, appends findings; no state between calls. */
#ifndef LL_ARTIFACT_ONNX_H
#define LL_ARTIFACT_ONNX_H
#include "artifact/artifact.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Subgraphs (graph attributes) nested in each other, followed this deep. */
#define LL_ONNX_MAX_GRAPH_DEPTH 32u
/* Distinct custom domains remembered (each reported once). */
#define LL_ONNX_MAX_DOMAINS 64u
/* Findings kept per model; then one ART_CHECK_LIMIT finding. */
#define LL_ONNX_MAX_FINDINGS 256u

typedef struct LLArtOnnxOptions {
    int reserved; /* no options yet */
} LLArtOnnxOptions;

/* The name (last path component) ends in ".onnx" (any case). */
bool ll_art_onnx_name_matches(const char *name);
/* The head reads as ModelProto fields (ir_version first, as writers do). */
bool ll_art_onnx_sniff(const uint8_t *head, size_t n);
/* Checks an ONNX model. Sets out->format to "onnx" when it is NULL. `o`
 * may be NULL. */
void ll_art_onnx_scan(const LLArtOnnxOptions *o, const uint8_t *data, size_t len,
                      const LLArtLoc *where, LLArtResult *out);

#endif
