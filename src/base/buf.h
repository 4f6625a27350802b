/* buf.h - a growable byte string (git's strbuf, reduced).
 *
 * Invariant: after ll_buf_init, `data` is never NULL and is NUL-terminated
 * at data[len]. The buffer owns `data`: ll_buf_release frees it,
 * ll_buf_reset empties it for reuse, ll_buf_detach hands it to the caller
 * (who frees it with free()) and leaves the buffer released: call
 * ll_buf_init before using it again. */
#ifndef LL_BUF_H
#define LL_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct LLBuf {
    char *data;
    size_t len, cap;
} LLBuf;

void ll_buf_init(LLBuf *b);
void ll_buf_release(LLBuf *b);
void ll_buf_reset(LLBuf *b);
char *ll_buf_detach(LLBuf *b);
void ll_buf_append(LLBuf *b, const void *p, size_t n);
void ll_buf_puts(LLBuf *b, const char *s);
void ll_buf_putc(LLBuf *b, char c);
void ll_buf_printf(LLBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ll_buf_vprintf(LLBuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
