/* resolve.h - scopes, bindings and canonical names for one parsed file.
 *
 * ll_resolve_build walks the tree once, iteratively (an explicit stack, no
 * recursion on tree depth), and records:
 *   - scopes (module, functions and lambdas, classes),
 *   - bindings: every name a statement binds (imports with their canonical
 *     dotted name, assignments with their value node, parameters, defs,
 *     for/with/except targets, global declarations), in source order,
 *   - sites: calls, references used as values (arguments, container
 *     elements, return values), and classes.
 * ll_resolve_expr then gives any expression its canonical dotted names:
 * `pk.loads` after `import pickle as pk` is "pickle.loads"; `ld` after
 * `ld = torch.load` is "torch.load"; `tf.keras.models.load_model` is
 * "tensorflow.keras.models.load_model"; a parameter named `pickle` has no
 * canonical name at all. A name may have several meanings when it is bound
 * in different branches (try: import cPickle as pickle / except: import
 * pickle); up to LL_MAX_ALTERNATIVES are kept.
 *
 * Ownership: LLSemantic is owned by its worker and reused from file to file
 * (ll_resolve_reset). Names it returns live in the arena passed to
 * ll_resolve_build and die with the next ll_arena_reset. TSNodes borrow the
 * tree, which must outlive every query. */
#ifndef LL_RESOLVE_H
#define LL_RESOLVE_H
#include "base/arena.h"
#include "base/nameset.h"
#include "base/limits.h"
#include "base/strmap.h"
#include "base/vec.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "rules/srcmodel.h"

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#define LL_NONE UINT32_MAX

typedef enum LLBindingKind {
    LL_BIND_IMPORT, /* qual = canonical module or module.member */
    LL_BIND_ASSIGN, /* value = right-hand side (element when unpacked) */
    LL_BIND_AUG,    /* x += value */
    LL_BIND_PARAM,  /* value = the parameter node */
    LL_BIND_DEF,    /* value = the function_definition */
    LL_BIND_CLASS,  /* value = the class_definition */
    LL_BIND_FOR,    /* value = the iterable */
    LL_BIND_WITH,   /* value = the context expression */
    LL_BIND_GLOBAL, /* `global x`: x is the module's */
    LL_BIND_OTHER,  /* except ... as x, annotations, nested patterns */
} LLBindingKind;

typedef struct LLBinding {
    uint32_t scope;
    uint32_t pos;   /* byte offset from which the binding is visible */
    uint32_t block; /* start byte of the innermost enclosing block */
    uint32_t prev;  /* previous binding of the same name, or LL_NONE */
    uint8_t kind;   /* LLBindingKind */
    int16_t unpack; /* index in a tuple target whose value is not a tuple; -1 */
    const char *qual;
    TSNode value;
    TSNode target; /* the identifier bound */
} LLBinding;

typedef enum LLScopeKind {
    LL_SCOPE_MODULE,
    LL_SCOPE_FUNCTION,
    LL_SCOPE_CLASS,
} LLScopeKind;

typedef struct LLScope {
    uint32_t parent; /* LL_NONE for the module */
    uint8_t kind;    /* LLScopeKind */
    uint32_t root_block;
    TSNode node;     /* module, function_definition, lambda or class_definition */
    TSNode first_param;   /* identifier of a function's first parameter */
    bool decorated;       /* a def or class with decorators */
    const char *qualname; /* "<module>.f", "<module>.C", "<module>.C.m"; NULL
                             for nested functions and lambdas */
} LLScope;

/* `self.name = value` in a method of a class (also one element of a tuple
 * target: `self.a, self.b = x, y`), or `Cls.name = value` where Cls names
 * a class of this file: what instances carry. */
typedef struct LLAttrBinding {
    uint32_t class_scope;
    uint32_t scope; /* the scope of the assignment (the method's for self) */
    const char *name;
    size_t len;
    TSNode value;
} LLAttrBinding;

typedef struct LLSite {
    TSNode node;
    uint32_t scope;
} LLSite;

/* A call: its function and arguments are noted by the walk as it passes
 * them (no field lookups later); either is null when the tree lacks it. */
typedef struct LLCallSite {
    TSNode node;
    uint32_t scope;
    TSNode fn, args;
} LLCallSite;

typedef struct LLNames {
    const char *name[LL_MAX_ALTERNATIVES];
    uint32_t n;
} LLNames;

typedef struct LLSemantic {
    /* inputs (borrowed) */
    const LLSyntax *syn;
    const LLSource *src;
    const LLStrMap *known; /* canonical names rules mention */
    const LLSourceModel *model; /* writers, library re-exports */
    const LLStrMap *aliases;    /* the project's re-exports (exports.h), or NULL */
    const LLIdentSet *alias_prefixes; /* their keys' dotted prefixes */
    LLArena *arena;
    /* tables (owned, reused across files) */
    LL_VEC(LLScope) scopes;
    LL_VEC(LLBinding) bindings;
    LL_VEC(LLCallSite) calls;
    LL_VEC(LLSite) refs;
    LL_VEC(LLSite) classes;
    LL_VEC(LLSite) returns; /* return statements, with their function's scope */
    uint32_t *returns_first; /* per scope: first index in returns_by_scope (arena) */
    uint32_t *returns_count; /* per scope: how many */
    uint32_t *returns_by_scope; /* indexes into returns, grouped by scope (arena) */
    LLStrMap functions;     /* qualname -> scope of this file's functions */
    LLStrMap class_scopes;  /* qualname -> scope of this file's classes */
    LL_VEC(LLSite) writes;  /* calls that may fill a file or buffer: x.write(d),
                               download_url_to_file(u, x), urlretrieve(u, x)... */
    LL_VEC(LLAttrBinding) attrs; /* self.x = value in methods */
    const char *module;     /* dotted module name of the file */
    bool is_package;        /* the file is a package's __init__.py */
    LL_VEC(const char *) star_modules;
    LLStrMap names; /* identifier text -> index+1 of its last binding */
    /* per binding: its canonical names, computed once (arena; filled on
     * demand by queries, so a chain of aliases costs one step each) */
    LLNames *bind_names;
    uint8_t *bind_state;
    /* per binding, twice (public, private): whether a parameter source
     * fits it and which (sources.h; arena, filled on demand) */
    uint8_t *param_state;
    const char **param_what;
    /* the first node where a query stopped at LL_MAX_ALIAS_DEPTH (null
     * when none): the analysis reports it once per file */
    TSNode *depth_hit;
    /* per attribute binding (attrs): its attribute is being resolved now
     * (arena). A value that refers to its own attribute (self.x =
     * self.x.to(dev)) is a cycle that adds no name: it is cut there, not
     * followed to the depth limit */
    uint8_t *attr_busy;
} LLSemantic;

void ll_resolve_init(LLSemantic *sem);
void ll_resolve_release(LLSemantic *sem);
/* The source model telling which calls fill a file or buffer (`writes`);
 * borrowed, kept from file to file. NULL: none. */
void ll_resolve_set_model(LLSemantic *sem, const LLSourceModel *model);
/* The project's aliases (exports.h: "pkg.compat.pickle" -> "pickle"),
 * borrowed; NULL: none. */
void ll_resolve_set_aliases(LLSemantic *sem, const LLStrMap *aliases, const LLIdentSet *prefixes);
/* Clears the tables for the next file, keeping their memory. */
void ll_resolve_reset(LLSemantic *sem);
/* `module` is the file's dotted module name (for relative imports and the
 * canonical names of its own functions); NULL is taken as "__main__". */
void ll_resolve_build(LLSemantic *sem, const LLSyntax *syn,
                      const LLSource *src, TSNode root,
                      const LLStrMap *known, const char *module,
                      bool is_package, LLArena *arena);
/* The class scope whose method `scope` is, when `scope` is a method of a
 * class; LL_NONE otherwise. */
uint32_t ll_resolve_method_class(const LLSemantic *sem, uint32_t scope);
/* True when identifier `id` (used in `scope`) is the first parameter of a
 * method (self), and the method's class scope is written to *cls. */
bool ll_resolve_is_self(const LLSemantic *sem, TSNode id, uint32_t scope,
                        uint32_t *cls);
/* Canonical names of the base classes of class scope `cls`. */
void ll_resolve_class_bases(const LLSemantic *sem, uint32_t cls, LLNames *out);

/* "pkg.C().m" (a method called on an instance) as "pkg.C.m", the name
 * its def has, into out (cap bytes); false for any other name, or one
 * with more after the method ("pkg.C().a.m", "pkg.C().m()"). */
bool ll_resolve_unbind(const char *name, char *out, size_t cap);

/* Canonical dotted names of expression `expr` evaluated in `scope`. */
void ll_resolve_expr(const LLSemantic *sem, TSNode expr, uint32_t scope,
                     LLNames *out);
/* The bindings a use of `name` at byte `pos` in `scope` may see. Returns
 * how many were written to out (at most max), 0 for an unbound name. The
 * scope that holds them is written to *found_scope. */
uint32_t ll_resolve_lookup(const LLSemantic *sem, const char *name,
                           size_t len, uint32_t scope, uint32_t pos,
                           const LLBinding **out, uint32_t max);
/* Index of a parameter binding among its function's parameters (self
 * counted), or -1. */
int ll_resolve_param_index(const LLSemantic *sem, const LLBinding *param);
/* The scope a def, lambda or class statement opens (`node`, as a binding's
 * value holds it), or LL_NONE. */
uint32_t ll_resolve_def_scope(const LLSemantic *sem, TSNode node);
/* The innermost scope containing byte `pos` (the module when none). */
uint32_t ll_resolve_scope_at(const LLSemantic *sem, uint32_t pos);

/* Source text of a node (borrowed from the source). */
static inline const char *ll_node_text(const LLSource *src, TSNode n,
                                       size_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > src->len)
        e = src->len;
    if (s > e)
        s = e;
    *len = e - s;
    return src->text + s;
}

#endif
