/* fixspec.h - a rule's "fixes": how the call of a finding can be rewritten
 * into its safe form, as data (docs/rule-format.md, "Fixes").
 *
 * A rule may carry a "fixes" array. Each entry names one edit kind of a
 * small closed vocabulary, its parameters, the conditions under which it
 * applies (`when`), and whether it is safe (`safe`, or safe only where
 * `safe_when` holds):
 *
 *   set-keyword     add `keyword=value`, or change a literal value
 *   drop-keyword    remove `keyword=...`
 *   rename-callee   call another function of the same module
 *                   (yaml.load -> yaml.safe_load), spelled as the file does
 *   replace-value   make an argument a given canonical name
 *                   (Loader=yaml.Loader -> Loader=yaml.SafeLoader)
 *
 * Conditions are argument tests (the predicate tests `is`, `resolves_to`,
 * `matches` of rule matching), the matched callee (`callee`), and where the
 * call's result goes (`argument_of`: the first argument of a call or method
 * with one of these names). `requires` names a package version set the fix
 * needs (`weights_only` exists since torch 1.13).
 *
 * Nothing here looks at code: engine/fix.h evaluates the entries at a call.
 *
 * Ownership: the array filled by ll_fixspec_parse and every string in it is
 * malloc'd and owned by the rule that holds it; ll_fixspec_free releases it
 * (NULL accepted). On a parse error the entries parsed so far (and the one
 * that failed, partly filled) are still in *out / *n, for the caller to free
 * with the rest of the rule. */
#ifndef LL_FIXSPEC_H
#define LL_FIXSPEC_H
#include "base/status.h"
#include "base/strlist.h"
#include "rules/jsonrd.h"
#include "rules/ruleset.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Entries in one rule's "fixes". */
#define LL_MAX_FIX_SPECS 32u
/* Conditions in one `when` or `safe_when`. */
#define LL_MAX_FIX_CONDS 16u
/* Bytes of a set-keyword value as Python text, and of a string value. */
#define LL_MAX_FIX_VALUE 128u

typedef enum LLFixKind {
    LL_FIXK_SET_KEYWORD,
    LL_FIXK_DROP_KEYWORD,
    LL_FIXK_RENAME_CALLEE,
    LL_FIXK_REPLACE_VALUE,
} LLFixKind;

typedef enum LLFixCondKind {
    LL_FIXC_ARG,         /* pred: an argument test */
    LL_FIXC_CALLEE,      /* names: the matched callee is one of them */
    LL_FIXC_ARGUMENT_OF, /* names / methods: the call is, parentheses aside,
                          * the first positional argument of such a call */
} LLFixCondKind;

typedef struct LLFixCond {
    LLFixCondKind kind;
    LLPredicate pred; /* LL_FIXC_ARG: test is PRESENT, ABSENT, TRUE, FALSE,
                       * NONE, TRUTHY, FALSY, RESOLVES_TO or MATCHES */
    LLStrList names;  /* canonical names (CALLEE, ARGUMENT_OF "call") */
    LLStrList methods; /* method names (ARGUMENT_OF "method") */
} LLFixCond;

typedef struct LLFixSpec {
    LLFixKind kind;
    /* set-keyword: keyword (and position, when the parameter can also be
     * passed positionally); drop-keyword: keyword; replace-value: the
     * argument (position and/or keyword) */
    LLArgSpec arg;
    char *value;    /* set-keyword: the new value as Python source ("True") */
    char *name;     /* replace-value: the canonical name to spell ("yaml.SafeLoader") */
    LLStrList from; /* rename-callee: from[i] -> to[i], same module */
    LLStrList to;
    LLFixCond *when; /* all must hold for the entry to apply */
    size_t nwhen;
    bool safe;            /* safe wherever it applies */
    LLFixCond *safe_when; /* (safe == false) all hold: safe at this call */
    size_t nsafe_when;
    char *unsafe_reason;  /* why it may change behaviour (safe == false) */
    char *req_package;    /* requires: package name, or NULL */
    char *req_versions;   /* requires: PEP 440 specifier set (">=1.13") */
} LLFixSpec;

/* Parses and validates `fixes` (the rule's "fixes" value; NULL: none, *out
 * NULL and *n 0). `rule` is the rule parsed so far (its match form and
 * names are checked against). Errors are located at the JSON pointer of the
 * bad value ("/fixes/0/kind: ..."). */
LLStatus ll_fixspec_parse(LLJsonCtx *c, const cJSON *fixes, const LLRule *rule,
                          LLFixSpec **out, size_t *n);
void ll_fixspec_free(LLFixSpec *specs, size_t n);

/* "set-keyword", ... */
const char *ll_fixspec_kind_name(LLFixKind k);

#endif
