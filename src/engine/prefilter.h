/* prefilter.h - can this file produce a finding at all?
 *
 * The resolver builds every canonical name from the file's own text: the
 * module path of an import, attribute names, getattr/import_module strings,
 * and the file's own module name for relative imports. So a rule name such
 * as torch.hub.load can only be matched in a file where "torch", "hub" and
 * "load" all appear as identifiers (or in its module name); a method rule
 * needs its method name; a class rule its member name. A file that fits no
 * rule name (LLRuleset.prefilter, base/nameset.h) cannot produce a finding
 * of its own and is not parsed. Files can still matter to others through
 * function summaries; run.c adds those back (run.h). */
#ifndef LL_PREFILTER_H
#define LL_PREFILTER_H
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>

/* True when some rule name of `rs` may match in the file whose
 * identifiers (and module name) are `ids`. */
bool ll_prefilter_file(const LLRuleset *rs, const LLIdentSet *ids);

#endif
