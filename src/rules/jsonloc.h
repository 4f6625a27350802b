/* jsonloc.h - where a JSON pointer points in the text of a JSON document.
 *
 * cJSON keeps no positions, so rule and config errors found after parsing
 * locate their value by scanning the text again. The scan is iterative
 * (no recursion on nesting depth) and tolerant: on a path that does not
 * exist it returns the deepest ancestor that does. */
#ifndef LL_JSONLOC_H
#define LL_JSONLOC_H
#include <stddef.h>

/* Byte offset of the value at `pointer` ("/match/where/0/is"; "" is the
 * root). */
size_t ll_jsonloc_find(const char *text, size_t len, const char *pointer);
/* Byte offset of the value of the index-th member (0-based) of the object at
 * `pointer` (for errors about one of several members with the same key). */
size_t ll_jsonloc_find_member(const char *text, size_t len, const char *pointer,
                              size_t index);
/* 1-based line and column (in bytes) of offset `off`. */
void ll_jsonloc_linecol(const char *text, size_t len, size_t off,
                        unsigned *line, unsigned *col);

#endif
