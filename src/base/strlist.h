/* strlist.h - an owned list of owned strings.
 *
 * `items` and every string in it are malloc'd and owned by the list;
 * ll_strlist_free frees them and leaves an empty list. {NULL, 0} is an empty
 * list. */
#ifndef LL_STRLIST_H
#define LL_STRLIST_H
#include <stdbool.h>
#include <stddef.h>

typedef struct LLStrList {
    char **items;
    size_t len;
} LLStrList;

void ll_strlist_push(LLStrList *l, const char *s);
void ll_strlist_free(LLStrList *l);
bool ll_strlist_has(const LLStrList *l, const char *s);

#endif
