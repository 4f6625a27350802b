/* report.h - writing a finished scan in each output format.
 *
 * Every writer appends the whole report to an LLBuf; the caller writes the
 * buffer out in one go (so a report on stdout is made of whole lines even
 * when several loadlint processes share the terminal, and --output files are
 * written whole). Writers only read their input; output depends only on it,
 * so it is byte-identical from run to run. */
#ifndef LL_REPORT_H
#define LL_REPORT_H
#include "base/buf.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "rules/ruleset.h"

#include <stdbool.h>

#define LL_VERSION "0.1.0"
#define LL_INFORMATION_URI "https://github.com/loadlint/loadlint"
#define LL_DOCS_BASE_URI "https://github.com/loadlint/loadlint/blob/main/docs/rules/"

typedef struct LLReport {
    const LLRuleset *rules;
    const LLFileList *files;
    const LLRunResult *run;
    bool color;                 /* text only */
    const char *sarif_category; /* automationDetails.id is "<category>/" */
} LLReport;

void ll_report_text(LLBuf *out, const LLReport *r);
void ll_report_json(LLBuf *out, const LLReport *r);
void ll_report_sarif(LLBuf *out, const LLReport *r);

/* The rule's documentation page in markdown (what --explain prints and
 * docs/rules/<CODE>-<name>.md holds). */
void ll_report_rule_markdown(LLBuf *out, const LLRule *rule);
/* Stable identity of a finding for baselines and SARIF: rule code,
 * canonical callee and whitespace-normalised line text, hashed, plus the
 * occurrence number among identical findings of the same file. */
void ll_report_fingerprint(const LLReport *r, size_t finding_index, char *out,
                           size_t outsz);

#endif
