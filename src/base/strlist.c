#include "base/strlist.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

void ll_strlist_push(LLStrList *l, const char *s)
{
    l->items = ll_xrealloc(l->items, (l->len + 1) * sizeof *l->items);
    l->items[l->len++] = ll_xstrdup(s);
}

void ll_strlist_free(LLStrList *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = 0;
}

bool ll_strlist_has(const LLStrList *l, const char *s)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}
