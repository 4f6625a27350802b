/* value.h - literal values of expressions, for rule predicates.
 *
 * ll_value_of reports what an argument is when it is a literal (True, 3,
 * "unsafe", [], None...), following a name to a single literal assignment
 * (WEIGHTS_ONLY = True) at most LL_MAX_ALIAS_DEPTH times. Strings are
 * borrowed from the source or allocated in the semantic model's arena. */
#ifndef LL_VALUE_H
#define LL_VALUE_H
#include "engine/resolve.h"

#include <stdbool.h>

typedef enum LLValueKind {
    LL_VAL_UNKNOWN = 0, /* not a literal */
    LL_VAL_NONE,
    LL_VAL_BOOL,
    LL_VAL_NUMBER,
    LL_VAL_STRING,
    LL_VAL_CONTAINER, /* list/tuple/dict/set display; only its emptiness is known */
} LLValueKind;

typedef struct LLValue {
    LLValueKind kind;
    bool truthy;
    double num;      /* BOOL (0/1) and NUMBER */
    const char *str; /* STRING: decoded text (escapes other than \\ \' \" kept raw) */
    size_t len;
} LLValue;

void ll_value_of(const LLSemantic *sem, TSNode expr, uint32_t scope,
                 LLValue *out);
/* A path the expression always has, when it is built from string literals
 * only: a literal, "a/" + "b", os.path.join("a", "b"), Path("a") / "b",
 * Path("a", "b"), through names bound once (at most LL_MAX_ALIAS_DEPTH
 * steps, LL_MAX_PATH_PARTS arguments, LL_MAX_PATH_BYTES bytes). True and a
 * LL_VAL_STRING (in the semantic model's arena) when it is. */
bool ll_value_path(const LLSemantic *sem, TSNode expr, uint32_t scope, LLValue *out);

#endif
