#include "engine/prefilter.h"

bool ll_prefilter_file(const LLRuleset *rs, const LLIdentSet *ids)
{
    return ll_nameset_match_set(&rs->prefilter, ids);
}
