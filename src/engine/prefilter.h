/* prefilter.h - can this file produce a finding at all?
 *
 * The resolver builds every canonical name from the file's own text: the
 * module path of an import, attribute names, getattr/import_module strings,
 * and the file's own module name for relative imports. So a rule name such
 * as torch.hub.load can only be matched in a file where "torch", "hub" and
 * "load" all appear as identifiers in its code or strings, not comments
 * (or in its module name); a method rule
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

/* Fills `ids` with the identifiers of Python text `text` that are not in
 * comments (code, and the words of strings: getattr(m, "loads") names
 * loads), and of `extra` (the module's name). A word in a comment cannot
 * be a name the code uses, so leaving comments out only keeps files and
 * definitions the analysis cannot find anything in from being parsed.
 * Strings are followed as Python reads them: prefixes, single and triple
 * quotes, escapes, and the replacement fields of f-strings (strings nested
 * in them, format specs). Where the text is not Python that can be read
 * this way (an unterminated string; a quote or a comment inside an
 * f-string's field that Python 3.12 accepts and 3.11 refuses; deeper than
 * LL_PREFILTER_MAX_STRING_NESTING), the comments are counted too
 * (ll_identset_build) and false is returned. */
bool ll_prefilter_identifiers(LLIdentSet *ids, const char *text, size_t len, const char *extra);

#endif
