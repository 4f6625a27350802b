/* exports.h - what a module gives other modules, read from its text alone.
 *
 * Loaders often live behind other modules: `numpy/compat/py3k.py` imports
 * pickle, `numpy/compat/__init__.py` does `from .py3k import *`, and
 * `numpy/lib/format.py` does `from numpy.compat import pickle`. To follow
 * such chains without parsing every file (the pre-filter would lose its
 * point), each file's text is read by a small Python tokenizer that keeps
 * only its module-level statements:
 *
 *   import a.b [as c]            the name it binds, and what it names
 *   from m import n [as k], *    (relative imports resolved with the
 *                                 file's module name)
 *   name = dotted.name           a plain alias at module level
 *   name = loader("mod")         a module by name (importlib.import_module,
 *                                 lazy module proxies: the model's
 *                                 module_loaders)
 *   def loads(x): pickle.loads(x) in a module named like a loader module
 *                                 ("distributed.protocol.pickle"), a function
 *                                 named like that loader's function which
 *                                 calls it: a drop-in replacement, the
 *                                 loader under another module
 *   class C(base.Name, ...):     a class, its bases, and whether it
 *                                 refuses in find_class (a `raise` there)
 *   __all__ = ["a", "b"]         the names `import *` gives
 *
 * inside `if`/`try`/`with`/`for` blocks at module level too, never inside a
 * def or a class body (except the class header and its find_class). Only
 * facts that can matter are kept (LLExportFilter): bindings whose target
 * starts with a name some rule mentions, or names another project module.
 *
 * ll_exports_resolve then joins the facts of all modules (run.c, after the
 * facts pass) into aliases: "numpy.compat.pickle" -> "pickle",
 * "pkg.compat.loads" -> "pickle.loads", "pkg.codec.Unpickler" ->
 * "pickle.Unpickler", following from-imports, star imports (restricted by
 * __all__) and module-level aliases through any number of modules, with
 * cycles cut. The resolver (resolve.h) gives a name under an alias its
 * target as an alternative.
 *
 * Ownership: an LLExports owns its strings (ll_exports_release). The alias
 * map made by ll_exports_resolve owns its keys and values
 * (ll_aliases_release). No global state; a scan of one text touches only
 * its own LLExports. */
#ifndef LL_EXPORTS_H
#define LL_EXPORTS_H
#include "base/nameset.h"
#include "base/strlist.h"
#include "base/strmap.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum LLExportKind {
    LL_EXPORT_NAME,  /* `name` is bound to `target` (import, alias) */
    LL_EXPORT_STAR,  /* `from target import *` */
    LL_EXPORT_CLASS, /* class `name` with base `target` (one entry per base) */
    LL_EXPORT_ALL,   /* `name` is listed in __all__ */
} LLExportKind;

typedef struct LLExport {
    uint8_t kind;   /* LLExportKind */
    bool restricts; /* CLASS: its find_class raises for what it refuses */
    char *name;
    char *target;   /* canonical dotted name; NULL for ALL */
} LLExport;

typedef LL_VEC(LLExport) LLExports;

/* Which facts to keep: a target whose first segment is a key of `roots`
 * (the first segments of rule names: "pickle", "torch", "yaml"...) or whose
 * dotted prefix is a key of `modules` (project module names). */
typedef struct LLExportFilter {
    const LLStrMap *roots;
    const LLStrMap *modules;
    const LLStrMap *known;              /* names rules mention ("pickle.loads") */
    const struct LLStrList *module_loaders; /* importlib.import_module... */
} LLExportFilter;

/* Reads the module-level facts of `text` (UTF-8, as the front end decoded
 * it) of module `module` (a package's __init__ when is_package) into out
 * (appended). Returns the number of import statements too long to read
 * whole (more than LL_EXPORT_MAX_TOKENS tokens): the caller reports them. */
size_t ll_exports_scan(const char *text, size_t len, const char *module, bool is_package,
                     const LLExportFilter *filter, LLExports *out);
void ll_exports_release(LLExports *e);

/* The aliases the modules' facts make (module i's facts are facts[i], its
 * name modules[i]): every "<module>.<name>" that leads, through any chain,
 * to a target outside the project whose first segment is a key of `roots`
 * maps to that target. `out` is a fresh map whose keys and values the
 * caller frees with ll_aliases_release. Returns the number of aliases. */
size_t ll_exports_resolve(const char *const *modules, const LLExports *const *facts, size_t n,
                          const LLStrMap *roots, LLStrMap *out);
void ll_aliases_release(LLStrMap *aliases);
/* The target `name` reaches through the longest alias that is a dotted
 * prefix of it ("numpy.compat.pickle.loads" -> "pickle.loads"), written to
 * buf; false when no alias applies. `prefixes`: ll_aliases_prefixes's. */
bool ll_aliases_apply(const LLStrMap *aliases, const LLIdentSet *prefixes, const char *name,
                      char *buf, size_t bufsz);
/* Every dotted prefix of the aliases' keys, for ll_aliases_apply. */
void ll_aliases_prefixes(const LLStrMap *aliases, LLIdentSet *out);

#endif
