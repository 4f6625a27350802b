/* arena.h - bump allocator for everything that lives as long as one file.
 *
 * A worker analyses one file at a time; every table built for that file
 * (scopes, bindings, canonical names) comes from the worker's arena and is
 * dropped in one ll_arena_reset() when the file is done. Memory handed out is
 * owned by the arena: never free() it. Allocation never fails (see mem.h). */
#ifndef LL_ARENA_H
#define LL_ARENA_H
#include <stddef.h>

typedef struct LLArenaChunk LLArenaChunk;

typedef struct LLArena {
    LLArenaChunk *head;  /* current chunk; older chunks follow ->next */
    LLArenaChunk *spare; /* chunks kept by reset for reuse */
    size_t total;        /* bytes currently reserved in chunks */
} LLArena;

void ll_arena_init(LLArena *a);
/* Frees every chunk. The arena may be reused after ll_arena_init. */
void ll_arena_release(LLArena *a);
/* Forgets all allocations but keeps (most of) the memory for reuse. */
void ll_arena_reset(LLArena *a);
/* Zeroed, max_align_t-aligned memory of n bytes. */
void *ll_arena_alloc(LLArena *a, size_t n);
char *ll_arena_strndup(LLArena *a, const char *s, size_t n);

#endif
