/* mem.h - allocation that never returns NULL.
 *
 * loadlint cannot do anything useful without memory, so running out of it
 * prints "loadlint: out of memory" and aborts (as git's xmalloc does). */
#ifndef LL_MEM_H
#define LL_MEM_H
#include <stddef.h>

void *ll_xmalloc(size_t n);
void *ll_xcalloc(size_t count, size_t size);
void *ll_xrealloc(void *p, size_t n);
char *ll_xstrdup(const char *s);
char *ll_xstrndup(const char *s, size_t n);
/* Grow helper for arrays: returns a capacity >= need (doubling). */
size_t ll_grow_cap(size_t cap, size_t need);

#endif
