/* vec.h - a typed growable array.
 *
 *   LL_VEC(int) v = {0};
 *   LL_VEC_PUSH(&v, 3);
 *   for (size_t i = 0; i < v.len; i++) use(v.items[i]);
 *   LL_VEC_FREE(&v);
 *
 * The vector owns `items`; LL_VEC_FREE releases it and leaves an empty
 * vector. Elements are copied by value. */
#ifndef LL_VEC_H
#define LL_VEC_H
#include "base/mem.h"
#include <stdlib.h>

#define LL_VEC(T) struct { T *items; size_t len, cap; }

#define LL_VEC_RESERVE(v, n)                                                   \
    do {                                                                       \
        if ((n) > (v)->cap) {                                                  \
            (v)->cap = ll_grow_cap((v)->cap, (n));                             \
            (v)->items = ll_xrealloc((v)->items, (v)->cap * sizeof *(v)->items); \
        }                                                                      \
    } while (0)

#define LL_VEC_PUSH(v, x)                                                      \
    do {                                                                       \
        LL_VEC_RESERVE((v), (v)->len + 1);                                     \
        (v)->items[(v)->len++] = (x);                                          \
    } while (0)

#define LL_VEC_FREE(v)                                                         \
    do {                                                                       \
        free((v)->items);                                                      \
        (v)->items = NULL;                                                     \
        (v)->len = (v)->cap = 0;                                               \
    } while (0)

#endif
