/* prefilter.h - can this file produce a finding at all?
 *
 * A rule can only match a call whose last name segment, or a method or
 * class member whose name, appears as an identifier somewhere in the file's
 * text (imports, aliases, getattr strings included), because the resolver
 * builds every canonical name from the file's own text. So a file with none
 * of the ruleset's tokens (LLRuleset.prefilter_tokens) cannot produce a
 * finding of its own and is not parsed. Files can still matter to others
 * through function summaries; run.c adds those back (see run.h).
 *
 * The scan is one pass over the bytes, splitting identifiers (ASCII letters,
 * digits, '_' and any byte >= 0x80) and looking each up in a hash map. */
#ifndef LL_PREFILTER_H
#define LL_PREFILTER_H
#include "base/strmap.h"

#include <stdbool.h>
#include <stddef.h>

/* True when `text` holds an identifier found in `tokens` or in `extra`
 * (either may be NULL or empty). */
bool ll_prefilter_match(const char *text, size_t len, const LLStrMap *tokens,
                        const LLStrMap *extra);

#endif
