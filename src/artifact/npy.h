/* npy.h - NumPy .npy files (format versions 1.0, 2.0 and 3.0).
 *
 * "\x93NUMPY", major and minor version, the header length (2 bytes in
 * 1.0, 4 in 2.0 and 3.0), then a Python dict literal: {'descr': ...,
 * 'fortran_order': ..., 'shape': (...)}, Latin-1 (UTF-8 in 3.0). The
 * literal is parsed by a small iterative parser (strings, numbers, True,
 * False, None, tuples, lists, dicts; no expression is evaluated), checked
 * the way numpy.lib.format checks it (exactly those three keys, a tuple of
 * non-negative ints as shape, a bool as fortran_order).
 *
 * When the dtype holds Python objects (an "O" type, also inside a
 * structured dtype at any depth), np.load(allow_pickle=True) unpickles
 * what follows the header: it is read as a pickle (pickle.h). Otherwise the
 * array's raw bytes follow and are not read; an array shorter than its
 * shape says is ART_CHECK_MALFORMED.
 *
 * An .npz file is a zip of .npy members (zip.h sniffs them).
 *
 * Ownership: nothing is kept; findings go to the caller's result. */
#ifndef LL_ARTIFACT_NPY_H
#define LL_ARTIFACT_NPY_H
#include "artifact/scan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_ART_NPY_MAX_HEADER (1u << 20) /* header bytes parsed (numpy refuses > 10000 without allow_pickle) */
#define LL_ART_NPY_MAX_DEPTH 64u         /* nesting of the header literal */
#define LL_ART_NPY_MAX_NODES 65536u      /* values in the header literal */

/* "\x93NUMPY" with a known version. */
bool ll_npy_sniff(const uint8_t *head, size_t len);

/* Reads an .npy file; returns "numpy-npy". */
const char *ll_npy_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out);

#endif
