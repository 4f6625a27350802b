#include "base/buf.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(LLBuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need > b->cap) {
        b->cap = ll_grow_cap(b->cap, need);
        b->data = ll_xrealloc(b->data, b->cap);
    }
}

void ll_buf_init(LLBuf *b)
{
    b->cap = 64;
    b->len = 0;
    b->data = ll_xmalloc(b->cap);
    b->data[0] = '\0';
}

void ll_buf_release(LLBuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void ll_buf_reset(LLBuf *b)
{
    b->len = 0;
    b->data[0] = '\0';
}

char *ll_buf_detach(LLBuf *b)
{
    char *d = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void ll_buf_append(LLBuf *b, const void *p, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ll_buf_puts(LLBuf *b, const char *s) { ll_buf_append(b, s, strlen(s)); }

void ll_buf_putc(LLBuf *b, char c) { ll_buf_append(b, &c, 1); }

void ll_buf_vprintf(LLBuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n >= b->cap - b->len) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    }
    b->len += (size_t)n;
}

void ll_buf_printf(LLBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(b, fmt, ap);
    va_end(ap);
}
