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
#include "ll_version.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stdint.h>

#define LL_INFORMATION_URI "https://github.com/loadlint/loadlint"
#define LL_DOCS_BASE_URI "https://github.com/loadlint/loadlint/blob/main/docs/rules/"

typedef struct LLReport {
    const LLRuleset *rules;
    const LLFileList *files;
    const LLRunResult *run;
    bool color;                 /* text only */
    const char *sarif_category; /* automationDetails.id is "<category>/" */
    bool include_suppressed;    /* JSON and SARIF list suppressed findings too */
    bool unsafe_fixes;          /* text: unsafe fixes are marked available too */
} LLReport;

void ll_report_text(LLBuf *out, const LLReport *r);
void ll_report_json(LLBuf *out, const LLReport *r);
void ll_report_sarif(LLBuf *out, const LLReport *r);
/* GitHub Actions workflow commands, one line per unsuppressed finding:
 * `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE: name::msg`
 * (note -> ::notice; endColumn exclusive, as in SARIF), highest severity
 * first (GitHub keeps only 10 annotations of each level per step), then in
 * report order. Escaped as actions/toolkit does: data % CR LF, properties
 * also : and , (src/report/github.c). */
void ll_report_github(LLBuf *out, const LLReport *r);
/* --statistics: per rule, the number of unsuppressed findings, as lines
 * `count<TAB>code<TAB>name` sorted by count (descending) then code; with
 * `json` an array of {"code","name","count","suppressed"} in the same order.
 * Rules whose findings are all suppressed appear in JSON only. */
void ll_report_statistics(LLBuf *out, const LLReport *r, bool json);

/* The enabled rules: `code<TAB>name<TAB>severity<TAB>summary` lines, or with
 * `json` an array of {"code", "name", "severity", "summary", "graded"}. */
void ll_report_rule_list(LLBuf *out, const LLRuleset *rules, bool json);
/* The rule's documentation page in markdown (what --explain prints and
 * docs/rules/<CODE>-<name>.md holds). */
void ll_report_rule_markdown(LLBuf *out, const LLRule *rule);
/* Stable identity of a finding for baselines and SARIF: rule code,
 * canonical callee and whitespace-normalised line text, hashed, plus the
 * occurrence number among identical findings of the same file. */
void ll_report_fingerprint(const LLReport *r, size_t finding_index, char *out,
                           size_t outsz);
/* The hash part of the fingerprint (without the occurrence number), which
 * does not depend on the finding's line or on other findings. */
uint64_t ll_report_finding_hash(const LLReport *r, const LLFinding *f);

#endif
