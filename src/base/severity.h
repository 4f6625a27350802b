/* severity.h - how serious a finding is: note < warning < error.
 *
 * The enum's order is the severity order, so severities compare with < and
 * >; every part of loadlint (rules, artifact readers, filters, reports) uses
 * this one definition. */
#ifndef LL_SEVERITY_H
#define LL_SEVERITY_H
#include <stdbool.h>

typedef enum LLSeverity {
    LL_SEV_NOTE = 0,
    LL_SEV_WARNING = 1,
    LL_SEV_ERROR = 2,
} LLSeverity;

#define LL_SEV_COUNT 3

/* "note", "warning" or "error". */
const char *ll_severity_name(LLSeverity s);
/* One step down (error -> warning -> note; a note stays a note). */
static inline LLSeverity ll_severity_lower(LLSeverity s)
{
    return s == LL_SEV_ERROR ? LL_SEV_WARNING : LL_SEV_NOTE;
}
/* Parses one of those words; false for anything else. */
bool ll_severity_parse(const char *s, LLSeverity *out);

#endif
