#include "base/arena.h"

#include "base/mem.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* One chunk: a header followed by `cap` bytes, of which `used` are taken. */
struct LLArenaChunk {
    LLArenaChunk *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
};

enum { ARENA_CHUNK_BYTES = 64 * 1024, ARENA_SPARE_MAX_BYTES = 8 * 1024 * 1024 };

void ll_arena_init(LLArena *a) { memset(a, 0, sizeof *a); }

static void free_list(LLArenaChunk *c)
{
    while (c) {
        LLArenaChunk *next = c->next;
        free(c);
        c = next;
    }
}

void ll_arena_release(LLArena *a)
{
    free_list(a->head);
    free_list(a->spare);
    memset(a, 0, sizeof *a);
}

void ll_arena_reset(LLArena *a)
{
    /* Keep standard-size chunks for reuse, up to a bound; free big ones. */
    size_t kept = 0;
    LLArenaChunk *c = a->head;
    while (c) {
        LLArenaChunk *next = c->next;
        if (c->cap == ARENA_CHUNK_BYTES && kept < ARENA_SPARE_MAX_BYTES) {
            c->used = 0;
            c->next = a->spare;
            a->spare = c;
            kept += c->cap;
        } else {
            free(c);
        }
        c = next;
    }
    a->head = NULL;
    a->total = kept;
}

void *ll_arena_alloc(LLArena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (!a->head || a->head->cap - a->head->used < n) {
        LLArenaChunk *c;
        if (n <= ARENA_CHUNK_BYTES && a->spare) {
            c = a->spare;
            a->spare = c->next;
        } else {
            size_t cap = n > ARENA_CHUNK_BYTES ? n : ARENA_CHUNK_BYTES;
            c = ll_xmalloc(sizeof *c + cap);
            c->cap = cap;
            a->total += cap;
        }
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

char *ll_arena_strndup(LLArena *a, const char *s, size_t n)
{
    char *d = ll_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
