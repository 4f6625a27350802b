#include "engine/prefilter.h"

bool ll_prefilter_file(const LLRuleset *rs, const char *text, size_t len,
                       const char *module)
{
    return ll_nameset_match(&rs->prefilter, text, len, module);
}
