#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

LLStatus ll_error_set(LLError *err, LLStatus status, const char *file,
                      unsigned line, unsigned col, const char *fmt, ...)
{
    if (!err)
        return status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return status;
}

void ll_error_format(const LLError *err, char *out, size_t outsz)
{
    if (!err->file[0])
        snprintf(out, outsz, "%s", err->msg);
    else if (err->line && err->col)
        snprintf(out, outsz, "%s:%u:%u: %s", err->file, err->line, err->col,
                 err->msg);
    else if (err->line)
        snprintf(out, outsz, "%s:%u: %s", err->file, err->line, err->msg);
    else
        snprintf(out, outsz, "%s: %s", err->file, err->msg);
}
