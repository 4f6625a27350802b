/* status.h - how fallible functions report failure.
 *
 * A fallible function returns LLStatus and, when given a non-NULL LLError,
 * fills it with a message and the location of the problem: the file, and a
 * 1-based line and column when known (0 when not). The caller owns the
 * LLError (a plain struct, nothing to free). */
#ifndef LL_STATUS_H
#define LL_STATUS_H
#include <stddef.h>

typedef enum LLStatus {
    LL_OK = 0,
    LL_ERR_USAGE,  /* bad command-line flag or value */
    LL_ERR_IO,     /* a path could not be read or written */
    LL_ERR_RULE,   /* a rule file is invalid */
    LL_ERR_CONFIG, /* a configuration file is invalid */
    LL_ERR_LIMIT,  /* a named limit was hit */
} LLStatus;

enum { LL_ERROR_MSG_MAX = 1024, LL_ERROR_FILE_MAX = 1024 };

typedef struct LLError {
    char file[LL_ERROR_FILE_MAX];
    unsigned line, col;
    char msg[LL_ERROR_MSG_MAX];
} LLError;

/* Fills err (if non-NULL) and returns status. */
LLStatus ll_error_set(LLError *err, LLStatus status, const char *file,
                      unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* "file:line:col: msg" (parts that are unknown are left out). */
void ll_error_format(const LLError *err, char *out, size_t outsz);

#endif
