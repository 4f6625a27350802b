#include "base/severity.h"

#include <string.h>

const char *ll_severity_name(LLSeverity s)
{
    switch (s) {
    case LL_SEV_ERROR: return "error";
    case LL_SEV_WARNING: return "warning";
    default: return "note";
    }
}

bool ll_severity_parse(const char *s, LLSeverity *out)
{
    if (strcmp(s, "error") == 0)
        *out = LL_SEV_ERROR;
    else if (strcmp(s, "warning") == 0)
        *out = LL_SEV_WARNING;
    else if (strcmp(s, "note") == 0)
        *out = LL_SEV_NOTE;
    else
        return false;
    return true;
}
