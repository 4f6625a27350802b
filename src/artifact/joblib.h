/* joblib.h - the parts of joblib's file formats that are not plain pickle.
 *
 * joblib.dump writes a pickle in which each NumPy array is replaced by a
 * joblib.numpy_pickle.NumpyArrayWrapper object (class, shape, order, dtype,
 * numpy_array_alignment_bytes), and the array's raw bytes follow the
 * wrapper's BUILD opcode in the file: one byte giving a padding length,
 * that many padding bytes, then shape x itemsize bytes (an array of Python
 * objects is a nested pickle instead). The pickle reader (pickle.h) tracks
 * the wrapper's state and asks ll_joblib_array_bytes how many bytes to
 * skip. Compressed dumps (zlib, gzip, bz2, xz, lzma; joblib's own "ZF"
 * header of versions before 0.10) are read by compress.h, which uses
 * ll_joblib_zfile_header.
 *
 * Only wrappers whose layout is certain are skipped: a dtype this reader
 * cannot size the way NumPy does (structured, sub-array, inconsistent
 * object flags, unknown kind) stops the walk with ART_CHECK_UNSUPPORTED
 * instead of guessing, since a wrong size would read the rest of the file
 * out of step with joblib.
 *
 * Ownership: plain values, nothing allocated. */
#ifndef LL_ARTIFACT_JOBLIB_H
#define LL_ARTIFACT_JOBLIB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_JOBLIB_MAX_NDIM 16u /* dimensions of a wrapped array this reader sizes */

typedef struct LLJoblibArray {
    uint64_t shape[LL_JOBLIB_MAX_NDIM];
    uint32_t ndim;
    bool shape_ok;  /* shape is a tuple or list of non-negative ints, all known */
    char dtype[32]; /* the dtype's constructor string: "f8", "O8", "U3" */
    bool dtype_ok;  /* dtype is numpy.dtype(str, ...) with a known string */
    int64_t elsize; /* the dtype state's element size (-1: none given) */
    int64_t flags;  /* the dtype state's flags (-1: none given) */
    bool structured; /* the state gives names, fields or a sub-array */
    bool aligned;   /* numpy_array_alignment_bytes is set: a padding byte follows */
} LLJoblibArray;

/* The number of raw bytes after the padding (*nbytes), and whether the
 * array holds Python objects (then a nested pickle follows instead);
 * false, with *why, when the layout is not certain. */
bool ll_joblib_array_bytes(const LLJoblibArray *a, uint64_t *nbytes, bool *hasobject,
                           const char **why);

/* Is `name` the class of joblib's array wrapper (also sklearn's vendored
 * copy)? NDArrayWrapper (joblib < 0.10, data in separate files) is not. */
bool ll_joblib_is_wrapper_class(const char *name, size_t len);

/* joblib < 0.10 compressed files: "ZF", the uncompressed length in hex
 * padded to 19 bytes, an optional space, then a zlib stream. Returns true
 * and the offset of the zlib stream when data starts with that header. */
bool ll_joblib_zfile_header(const uint8_t *data, size_t len, size_t *zstart);

#endif
