/* packages.h - package names as data: aliases (conda's pytorch is torch,
 * tensorflow-cpu is tensorflow) and packages that bring another one at a
 * known version (tensorflow 2.16+ brings Keras 3), read from
 * rules/data/packages.json ("kind": "packages"):
 *
 *   {"kind": "packages",
 *    "description": "...",                          (optional)
 *    "aliases": {"pytorch": "torch", ...},
 *    "implies": [{"package": "tensorflow", "versions": ">=2.16",
 *                 "brings": "keras", "brings_versions": ">=3"}]}
 *
 * Names are compared after PEP 503 normalisation. An alias maps a name to
 * its canonical one; a canonical name may not itself be an alias, and a
 * name may not be given two different canonical names (across files too).
 * Version texts are PEP 440 specifier sets. Every error names the file,
 * line and column of the bad value and its JSON pointer (rules/jsonrd.h).
 *
 * Ownership: an LLPackages owns everything in it (ll_packages_free); it is
 * filled once (ll_packages_add_*) and then read-only, so threads may share
 * it. No global state. */
#ifndef LL_DEPS_PACKAGES_H
#define LL_DEPS_PACKAGES_H
#include "base/buf.h"
#include "base/status.h"
#include "deps/pep440.h"
#include "rules/jsonrd.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* A packages file larger than this is refused. */
#define LL_PACKAGES_MAX_BYTES (1u * 1024u * 1024u)

typedef struct LLPackages LLPackages;

typedef struct LLPkgImply {
    const char *package;        /* canonical */
    const LLVerSet *versions;   /* when the package's versions are all in this set... */
    const char *versions_text;
    const char *brings;         /* ...it brings this package (canonical)... */
    const LLVerSet *brings_versions; /* ...at these versions */
    const char *brings_text;
} LLPkgImply;

LLPackages *ll_packages_new(void);
void ll_packages_free(LLPackages *p);
/* Adds one file's aliases and implications. `text` need not be
 * NUL-terminated. On error nothing of that file is kept and err says where. */
LLStatus ll_packages_add_text(LLPackages *p, const char *origin, const char *text, size_t len,
                              LLError *err);
/* The same from a parsed document (for a loader that parsed the file and
 * routes it by "kind"). */
LLStatus ll_packages_add_json(LLPackages *p, LLJsonCtx *c, const cJSON *root);
/* rules/data/packages.json as built into the binary. */
LLStatus ll_packages_add_builtin(LLPackages *p, LLError *err);

/* Appends the canonical name of `name` (normalised, then its alias). */
void ll_packages_canonical(const LLPackages *p, const char *name, size_t len, LLBuf *out);
/* The alias target of a normalised name, or NULL when it is none. */
const char *ll_packages_alias(const LLPackages *p, const char *normalised);
size_t ll_packages_count_implies(const LLPackages *p);
/* The i-th implication (in file order), or false past the end. */
bool ll_packages_imply_at(const LLPackages *p, size_t i, LLPkgImply *out);

#endif
