/* scope.h - which rules and which sources apply to which file.
 *
 * A rule applies to a file when
 *   1. it is available to the file's configuration: built in, from --rules,
 *      or from one of the rule directories of that configuration
 *      (`rules = [...]`), never from another configuration's;
 *   2. the configuration's select / ignore (and the command line's) select
 *      it;
 *   3. no per-file-ignores entry of the configuration drops it for the
 *      file's path.
 * ll_rule_scope_applies answers that one question for the analysis (which
 * rules a file is matched against), for suppression checks and for the
 * filters of the scan alike. A rule is "known" to a file when (1) holds:
 * a suppression comment naming a rule the file's configuration does not
 * load is reported as naming no rule, whatever other roots load.
 *
 * Sources (rules/srcmodel.h) follow (1): a file's model is the built-in and
 * unscoped source files plus those of its configuration's rule directories.
 *
 * Files without settings (no configuration cache) see every enabled,
 * unscoped rule and the unscoped sources.
 *
 * Ownership: the scope borrows the ruleset (finished) and the settings;
 * it owns its tables and composed models. Read-only once built: workers
 * share it. */
#ifndef LL_SCOPE_H
#define LL_SCOPE_H
#include "config/config.h"
#include "engine/discover.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct LLRuleScope LLRuleScope;

/* `used[id]` marks the settings (by id) files of the run use; NULL when
 * there is no configuration cache. The ruleset must be finished. */
LLRuleScope *ll_rule_scope_new(const LLRuleset *rs, const LLConfigCache *cc, const bool *used);
void ll_rule_scope_free(LLRuleScope *sc);
/* (1) + (2) + (3) above, for the file of entry `fe`. */
bool ll_rule_scope_applies(const LLRuleScope *sc, uint32_t rule, const LLFileEntry *fe);
/* (1): the rule is loaded for the file's configuration. */
bool ll_rule_scope_known(const LLRuleScope *sc, uint32_t rule, const LLFileEntry *fe);
/* mask[r] = ll_rule_scope_applies(sc, r, fe) for every rule (rs->nrules bytes). */
void ll_rule_scope_mask(const LLRuleScope *sc, const LLFileEntry *fe, uint8_t *mask);
/* The source model for the file's configuration. */
const LLSourceModel *ll_rule_scope_model(const LLRuleScope *sc, const LLFileEntry *fe);
/* Every distinct model in use (for the pre-filter, which must know them all). */
size_t ll_rule_scope_model_count(const LLRuleScope *sc);
const LLSourceModel *ll_rule_scope_model_at(const LLRuleScope *sc, size_t i);

#endif
