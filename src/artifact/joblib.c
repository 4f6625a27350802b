#include "artifact/joblib.h"

#include <string.h>

/* joblib's "ZF" header: the prefix and the width of the hex length field
 * (len("0x10000000000000000"), joblib's _MAX_LEN). */
#define JOBLIB_ZF_PREFIX_LEN 2u
#define JOBLIB_ZF_LEN_FIELD 19u

bool ll_joblib_is_wrapper_class(const char *name, size_t len)
{
    static const char *const names[] = {
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return true;
    return false;
}

/* "f8" -> kind 'f', size 8; false when not <kind letter><digits>. */
static bool parse_dtype_str(const char *s, char *kind, uint64_t *size)
{
    if (!s[0])
        return false;
    *kind = s[0];
    uint64_t v = 0;
    size_t i = 1;
    if (!s[i])
        return false;
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 1000000000u)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *size = v;
    return true;
}

bool ll_joblib_array_bytes(const LLJoblibArray *a, uint64_t *nbytes, bool *hasobject,
                           const char **why)
{
    *nbytes = 0;
    *hasobject = false;
    if (!a->shape_ok) {
        *why = "its shape is not a tuple of known non-negative integers";
        return false;
    }
    if (!a->dtype_ok) {
        *why = "its dtype is not numpy.dtype(<type string>)";
        return false;
    }
    if (a->structured) {
        *why = "its dtype is structured or has a sub-array";
        return false;
    }
    char kind;
    uint64_t size;
    if (!parse_dtype_str(a->dtype, &kind, &size)) {
        *why = "its dtype string is not <kind><size>";
        return false;
    }
    bool obj = kind == 'O';
    if (a->flags >= 0 && ((a->flags & 1) != 0) != obj) {
        *why = "its dtype's object flag does not match its type";
        return false;
    }
    uint64_t item;
    switch (kind) {
    case 'b': case 'i': case 'u': case 'f': case 'c': case 'M': case 'm':
        /* fixed types: NumPy ignores the state's element size */
        item = size;
        break;
    case 'S': case 'a': case 'V':
        item = a->elsize >= 0 ? (uint64_t)a->elsize : size;
        break;
    case 'U':
        item = a->elsize >= 0 ? (uint64_t)a->elsize : size * 4u;
        break;
    case 'O':
        *hasobject = true;
        return true;
    default:
        *why = "its dtype kind is unknown";
        return false;
    }
    if (item == 0 && (kind != 'S' && kind != 'a' && kind != 'V' && kind != 'U')) {
        *why = "its dtype has no size";
        return false;
    }
    uint64_t count = 1;
    for (uint32_t i = 0; i < a->ndim; i++) {
        uint64_t d = a->shape[i];
        if (d != 0 && count > UINT64_MAX / d) {
            *why = "its shape's element count overflows";
            return false;
        }
        count *= d;
    }
    if (item != 0 && count > UINT64_MAX / item) {
        *why = "its byte count overflows";
        return false;
    }
    *nbytes = count * item;
    return true;
}

bool ll_joblib_zfile_header(const uint8_t *data, size_t len, size_t *zstart)
{
    size_t h = JOBLIB_ZF_PREFIX_LEN + JOBLIB_ZF_LEN_FIELD;
    if (len < h + 2 || data[0] != 'Z' || data[1] != 'F')
        return false;
    /* the length: "0x" then hex digits, left-aligned, space padded */
    const uint8_t *f = data + JOBLIB_ZF_PREFIX_LEN;
    if (f[0] != '0' || (f[1] != 'x' && f[1] != 'X'))
        return false;
    size_t i = 2, digits = 0;
    for (; i < JOBLIB_ZF_LEN_FIELD; i++) {
        uint8_t c = f[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex)
            break;
        digits++;
    }
    if (!digits)
        return false;
    for (; i < JOBLIB_ZF_LEN_FIELD; i++)
        if (f[i] != ' ')
            return false;
    *zstart = data[h] == ' ' ? h + 1 : h;
    return true;
}
