/* safetensors.h - safetensors files, validated.
 *
 * A safetensors file is an 8-byte little-endian header length N, N bytes of
 * JSON (an object: tensor name -> {"dtype", "shape", "data_offsets"}, and
 * an optional "__metadata__" object of strings), then the tensor data. It
 * holds no code, so it is never reported for what it contains; the scan
 * checks what the safetensors loader checks, so that a file that passes is
 * one the loader reads as written: N within the file and at most
 * LL_SAFETENSORS_MAX_HEADER, the header strict UTF-8 JSON starting with
 * '{' (trailing spaces allowed), nested at most 8 deep, no duplicate
 * names, known dtypes (BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16,
 * F16, BF16, I32, U32, F32, F64, I64, U64, F4, F6_E2M3, F6_E3M2, C64),
 * integer shapes, data_offsets [begin, end] with end - begin equal to the
 * shape's size, and the tensors' data covering the data section exactly
 * (sorted by begin: starting at 0, each beginning where the previous ends,
 * the last ending at the end of the file: no gap, no overlap). Any failure
 * is ART_CHECK_MALFORMED naming the tensor and the problem (verdict
 * unscannable); a valid file is LL_ART_SAFE with no finding. Unknown keys
 * inside a tensor entry are ignored, as the loader ignores them.
 *
 * Ownership: borrows its input, appends findings; no state between calls. */
#ifndef LL_ARTIFACT_SAFETENSORS_H
#define LL_ARTIFACT_SAFETENSORS_H
#include "artifact/artifact.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The safetensors library's own header size limit (100 MB). */
#define LL_SAFETENSORS_MAX_HEADER 100000000u
/* JSON nesting accepted in the header (a valid one nests 3 deep). */
#define LL_SAFETENSORS_MAX_DEPTH 8u

typedef struct LLArtSafetensorsOptions {
    int reserved; /* no options yet */
} LLArtSafetensorsOptions;

/* A plausible header: length N with 2 <= N <= the limit, then '{' and a
 * '"' or '}' after optional spaces. */
bool ll_art_safetensors_sniff(const uint8_t *head, size_t n);
/* Validates a safetensors file. Sets out->format to "safetensors" when it
 * is NULL. `o` may be NULL. */
void ll_art_safetensors_scan(const LLArtSafetensorsOptions *o, const uint8_t *data, size_t len,
                             const LLArtLoc *where, LLArtResult *out);

#endif
