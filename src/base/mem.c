#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (!p) {
        fputs("loadlint: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *ll_xmalloc(size_t n) { return check(malloc(n ? n : 1)); }

void *ll_xcalloc(size_t count, size_t size)
{
    return check(calloc(count ? count : 1, size ? size : 1));
}

void *ll_xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

char *ll_xstrdup(const char *s) { return ll_xstrndup(s, strlen(s)); }

char *ll_xstrndup(const char *s, size_t n)
{
    char *d = ll_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

size_t ll_grow_cap(size_t cap, size_t need)
{
    size_t c = cap ? cap : 8;
    while (c < need) {
        if (c > ((size_t)-1) / 2) {
            fputs("loadlint: out of memory\n", stderr);
            abort();
        }
        c *= 2;
    }
    return c;
}
