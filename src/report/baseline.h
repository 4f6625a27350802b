/* baseline.h - accept today's findings, report only new ones.
 *
 * `--write-baseline FILE` stores the current (unsuppressed) findings:
 *
 *   {"version": 1, "tool": "loadlint", "findings": [
 *     {"rule_id": "LL101", "path": "app/x.py",
 *      "fingerprint": "a1b2c3d4e5f60718:1", "snippet": "pickle.loads(data)"}]}
 *
 * `--baseline FILE` loads it; ll_baseline_filter then marks a finding known
 * when an entry has the same rule code, the same path and the same hash part
 * of the fingerprint (ll_report_finding_hash: rule code, callee and the
 * whitespace-free text of the flagged line; the ":N" occurrence suffix is
 * written for people but not compared). There are no line numbers in the key,
 * so an edit that moves a finding (lines added above it, re-indentation) keeps
 * it known, while editing the flagged line itself makes it new. Matching
 * counts: an entry absorbs one finding, so with one entry and two identical
 * findings one of them (the later in report order) is new.
 *
 * Paths are compared as reports show them (discover.h), after dropping any
 * leading "./": run loadlint from the same directory with the same path
 * arguments when writing and when using a baseline.
 *
 * Ownership: ll_baseline_load returns a heap LLBaseline owned by the caller
 * (ll_baseline_free). After loading it is read-only: ll_baseline_filter keeps
 * its per-call counts in memory of its own, so one baseline may filter several
 * reports, from any thread. The writers only read the report. */
#ifndef LL_BASELINE_H
#define LL_BASELINE_H
#include "base/buf.h"
#include "base/status.h"
#include "report/report.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct LLBaseline LLBaseline;

/* Appends the baseline JSON of the report's unsuppressed findings (report
 * order; the fingerprints are ll_report_fingerprint's). */
void ll_baseline_write(LLBuf *out, const LLReport *r);

/* Reads and validates a baseline file (at most LL_MAX_BASELINE_BYTES, JSON
 * nesting at most LL_MAX_JSON_DEPTH). Errors name the file and, for bad JSON
 * or a bad value, its line and column: LL_ERR_IO when it cannot be read,
 * LL_ERR_LIMIT when too large, LL_ERR_CONFIG when malformed. *out is NULL on
 * failure. */
LLStatus ll_baseline_load(const char *path, LLBaseline **out, LLError *err);
/* The same from memory; `origin` names the text in errors. */
LLStatus ll_baseline_parse(const char *origin, const char *text, size_t len,
                           LLBaseline **out, LLError *err);
void ll_baseline_free(LLBaseline *b);
/* Number of entries. */
size_t ll_baseline_size(const LLBaseline *b);

/* For each finding of r->run (is_known has r->run->findings.len slots,
 * caller-owned): true when the baseline accounts for it. Suppressed findings
 * are never known (nor do they use up entries). Returns the number of known
 * findings; every known finding uses one entry, so ll_baseline_size(b) minus
 * the result is the number of baselined findings fixed since. */
size_t ll_baseline_filter(const LLBaseline *b, const LLReport *r, bool *is_known);

#endif
