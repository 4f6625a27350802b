/* dispatch.h - every model-file reader behind one call: which reader a
 * file is for, and the whole scan of it.
 *
 * scan.h dispatches the pickle family (pickle, zip, npy, tar, compressed,
 * LFS pointers); the Keras/TensorFlow and "safe format" readers (keras.h,
 * hdf5.h, savedmodel.h, safetensors.h, gguf.h, onnx.h) sit beside it. This
 * module puts them in one order, so that the scan (analyzer.c), the tools
 * (tools/artifact_scan.c) and the tests see one answer for one file:
 *
 *   claim                 by                                          reader
 *   LL_ART_CLAIM_HDF5     the HDF5 signature at offset 0              hdf5.h
 *   LL_ART_CLAIM_GGUF     "GGUF" and a version 1-3                    gguf.h
 *   LL_ART_CLAIM_SAFETENSORS  a header length, then '{' and '"'/'}'   safetensors.h
 *   LL_ART_CLAIM_FAMILY   ll_art_sniff (zip, npy, LFS, tar,
 *                         compressed, pickle opcodes)                 scan.h
 *   LL_ART_CLAIM_HDF5     the HDF5 signature at 512, 1024, ... (a
 *                         user block; a pickle family claim of the
 *                         same bytes is scanned too: a polyglot)     hdf5.h
 *   LL_ART_CLAIM_SAVEDMODEL   the name saved_model.pb or
 *                         keras_metadata.pb (savedmodel.h: protobuf
 *                         cannot be sniffed; the parse must succeed)  savedmodel.h
 *   LL_ART_CLAIM_ONNX     the name *.onnx (onnx.h, as above), or
 *                         ModelProto fields in the head: then only a
 *                         file that parses is reported (a head that
 *                         merely looks like protobuf is not a model)  onnx.h
 *   LL_ART_CLAIM_KERAS_JSON   '{' and a "class_name" key in the head
 *                         (a model_from_json / config.json document)  keras.h
 *
 * The first row that holds wins (the HDF5 user-block row aside). Names
 * decide only where the table says so; everything else is bytes: a pickle
 * named model.safetensors is a pickle, a safetensors file named x.bin is
 * safetensors.
 *
 * A zip archive is read by the zip reader (zip.h: pickles, arrays, nested
 * archives) and then, when its root holds a Keras `config.json`, as a
 * Keras v3 model: the config through keras.h and every *.h5 member through
 * hdf5.h (format "keras").
 *
 * Ownership: LLArtPolicies owns its two policies (ll_art_policies_init /
 * _release); a scan borrows them read-only (threads may share them) and
 * appends findings to the caller's LLArtResult. No state between calls. */
#ifndef LL_ARTIFACT_DISPATCH_H
#define LL_ARTIFACT_DISPATCH_H
#include "artifact/artifact.h"
#include "artifact/keras.h"
#include "artifact/pickle_policy.h"
#include "artifact/scan.h"
#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum LLArtClaim {
    LL_ART_CLAIM_NONE = 0,
    LL_ART_CLAIM_FAMILY,      /* scan.h's readers */
    LL_ART_CLAIM_HDF5,
    LL_ART_CLAIM_GGUF,
    LL_ART_CLAIM_SAFETENSORS,
    LL_ART_CLAIM_SAVEDMODEL,
    LL_ART_CLAIM_ONNX,
    LL_ART_CLAIM_KERAS_JSON,
} LLArtClaim;

/* The policies of a scan: the pickle allow-list (built in, plus a
 * configuration's allowed-globals) and the Keras policy (built in). */
typedef struct LLArtPolicies {
    LLPicklePolicy pickle;
    LLKerasPolicy *keras;
} LLArtPolicies;

/* The built-in policies; on failure (a broken build) err says why and the
 * policies are empty (every pickle import is then unlisted). */
LLStatus ll_art_policies_init(LLArtPolicies *p, LLError *err);
void ll_art_policies_release(LLArtPolicies *p);

/* Which reader claims a file named `name` (may be NULL; only its last
 * component counts) whose first n bytes are head (up to
 * LL_ART_SNIFF_BYTES are looked at). */
LLArtClaim ll_art_claim(const char *name, const uint8_t *head, size_t n);
const char *ll_art_claim_name(LLArtClaim c);

/* Scans the whole file data[0, len) named `name` with the reader that
 * claims it (ll_art_claim on its first bytes); `scratch` may be NULL.
 * out->format stays NULL and out->verdict LL_ART_NOT_MODEL when no reader
 * claims the file (or a tentative claim does not hold); findings a reader
 * made then are dropped. */
void ll_art_dispatch(const LLArtPolicies *p, LLArtScratch *scratch, const char *name,
                     const uint8_t *data, size_t len, LLArtResult *out);

/* The name of a verdict ("safe", "malicious"...; "not-model"). */
const char *ll_art_verdict_name(LLArtVerdict v);

#endif
