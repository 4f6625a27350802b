/* nameset.h - "could this text mention this dotted name?", for many names.
 *
 * A name such as torch.hub.load is kept as the group of its segments
 * ("torch", "hub", "load"; "()" of call results is dropped). A text may
 * mention the name when every segment of its group appears in the text as
 * an identifier, or in an extra dotted string (a file's own module name,
 * which relative imports use without spelling it). Identifiers are runs of
 * ASCII letters, digits, '_' and bytes >= 0x80 not starting with a digit;
 * strings and comments are scanned like code. One pass over the text.
 *
 * Ownership: the set copies the names it is given and owns everything. */
#ifndef LL_NAMESET_H
#define LL_NAMESET_H
#include "base/strmap.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LLNameSet {
    LLStrMap segments;          /* segment -> index */
    uint32_t nseg;
    LL_VEC(uint32_t) groups;    /* per name: count, then segment indexes */
    LL_VEC(char *) owned;       /* copies the segment keys point into */
    LLStrMap names;             /* names added (keys in owned) */
    LLStrMap lasts;             /* the last segment of each name */
} LLNameSet;

void ll_nameset_init(LLNameSet *s);
void ll_nameset_release(LLNameSet *s);
/* Adds a dotted name; false when it was already there. */
bool ll_nameset_add(LLNameSet *s, const char *name);
bool ll_nameset_empty(const LLNameSet *s);
/* True when some name of the set may be mentioned by `text` (+ `extra`). */
bool ll_nameset_match(const LLNameSet *s, const char *text, size_t len,
                      const char *extra);
/* True when `text` holds an identifier that is a key of `a` or of `b`
 * (either may be NULL). */
bool ll_text_has_identifier(const char *text, size_t len, const LLStrMap *a,
                            const LLStrMap *b);

#endif
