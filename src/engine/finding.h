/* finding.h - what analysis produces: findings and per-file diagnostics.
 *
 * Findings outlive the file they come from, so everything in them is
 * malloc'd and owned by the finding (ll_finding_release frees it); rule
 * data is referenced by index into the run's immutable ruleset. */
#ifndef LL_FINDING_H
#define LL_FINDING_H
#include "base/vec.h"
#include "engine/exports.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct LLSpan {
    uint32_t line, col, end_line, end_col; /* 1-based; end_col exclusive */
} LLSpan;

typedef struct LLStep {
    uint32_t file; /* index in the run's file list */
    LLSpan span;
    char *message;
} LLStep;

/* Where a finding is: library code, test code (the settings' test-paths)
 * or examples (example-paths). */
typedef enum LLContext {
    LL_CTX_LIBRARY = 0,
    LL_CTX_TEST,
    LL_CTX_EXAMPLE,
} LLContext;

/* Why a finding is not shown (0: it is). Suppressed findings stay in the
 * result: JSON and SARIF list them with the reason under --show-suppressed. */
typedef enum LLSuppression {
    LL_SUPP_NONE = 0,
    LL_SUPP_COMMENT,    /* an inline comment (# loadlint: ignore, # nosec, # noqa) */
    LL_SUPP_ROUND_TRIP, /* the input is data this code produced (LL_PROV_SELF) */
    LL_SUPP_TEST,       /* test code with test-severity = "ignore" */
    LL_SUPP_DUPLICATE,  /* another rule's finding on the same call says more */
} LLSuppression;

struct LLFix; /* engine/fix.h */

typedef struct LLFinding {
    uint32_t file; /* index in the run's file list */
    uint32_t rule; /* index in the ruleset */
    LLSpan span;
    LLSeverity severity;
    LLProvenance provenance;
    bool graded;         /* severity came from the rule's provenance table */
    uint8_t suppressed;  /* LLSuppression; 0 (false): reported */
    uint8_t context;     /* LLContext */
    bool lowered;        /* graded one step down for test-severity = "lower" */
    char *message;
    char *callee;  /* canonical name, or method/class for other forms */
    char *snippet; /* the flagged line, trimmed (for baselines and JSON) */
    char *source;  /* canonical name of the untrusted source, or NULL */
    char *verified; /* how the input was verified or pinned (graded one step
                     * down for it), or NULL */
    char *input_literal; /* the loader input's value when it is a string
                          * literal (through single assignments and
                          * os.path.join / pathlib / + of literals): a path
                          * to join with the model files scanned; or NULL */
    LLStep *steps; /* source -> sink path; NULL when none */
    uint32_t nsteps;
    bool steps_related; /* steps are related locations, not a path: the calls
                         * that reach a dependency line (engine/versions.h),
                         * the safe load a fallback stands in for (LL207) */
    /* identity for baselines and SARIF (ll_findings_fingerprint): a hash of
     * rule code, callee and the line's text without whitespace, and the
     * occurrence number among earlier findings of the file with that hash */
    uint64_t fp_hash;
    uint32_t fp_occurrence;
    /* model files (and any finding in bytes rather than lines): a byte range,
     * inside the chain of archive members that leads to it (outermost
     * first; owned). `span` is then 1:1 (GitHub wants a line). */
    bool binary;
    uint64_t byte_offset, byte_length;
    char **members;
    uint32_t nmembers;
    /* The rewrite of the call into its safe form (engine/fix.h), owned:
     * NULL when the rule has no fixes (or the finding comes from another
     * function's summary, with no call here); else offered (safe or not)
     * or refused with the reason. Kept last: the result cache's serializer
     * of LLFinding (src/rcache/) must carry it too. */
    struct LLFix *fix;
} LLFinding;

typedef enum LLDiagKind {
    LL_DIAG_ERROR,   /* the file could not be analysed (exit status 2) */
    LL_DIAG_WARNING, /* analysed, but partially (syntax errors, limits) */
} LLDiagKind;

typedef struct LLDiag {
    uint32_t file;
    LLDiagKind kind;
    uint32_t line, col; /* 0 when not about a position */
    char *message;
} LLDiag;

typedef LL_VEC(LLStep) LLBufSteps;

struct LLFuncSummary;

/* A function of another project file that this file calls, kept flat (no
 * strings: a run keeps one list per analysed file until its end). Names
 * are 64-bit hashes (base/strmap.h): a collision can only cause an extra
 * re-analysis, never a missed one. */
typedef struct LLDep {
    uint64_t name;   /* hash of the canonical name, "pkg.mod.f" */
    uint64_t method; /* "pkg.C().m" called on an instance: hash of "pkg.C.m"; else 0 */
    uint32_t file;   /* the file of the module that defines it */
    bool returns;    /* data flow asked for its result (its file may then
                      * have to be analysed for what it returns) */
} LLDep;

typedef struct LLFileResult {
    LL_VEC(LLFinding) findings;
    LL_VEC(LLDiag) diags;
    /* for the other files: summaries of this file's functions (owned), and
     * the functions of other project files it calls */
    LL_VEC(struct LLFuncSummary *) summaries;
    LL_VEC(LLDep) deps;
    /* what the file's module gives others (exports.h), read from its text */
    LLExports exports;
} LLFileResult;

/* "library", "test" or "example". */
const char *ll_finding_context_name(LLContext c);
/* "comment", "round-trip", "test-code", "duplicate" (NULL for none). */
const char *ll_suppression_name(LLSuppression s);
void ll_finding_release(LLFinding *f);
/* Orders two findings of the same file, rule and span by their byte range
 * and member chain (<0, 0, >0). */
int ll_finding_cmp_bytes(const LLFinding *a, const LLFinding *b);
/* The hash part of a finding's fingerprint (no line number in it). */
uint64_t ll_finding_hash(const LLFinding *f, const char *rule_code);
/* Fills fp_hash and fp_occurrence of findings[0..n) in one pass (report
 * order: a finding's occurrence counts the earlier ones of its file). */
void ll_findings_fingerprint(LLFinding *findings, size_t n, const LLRuleset *rules);
void ll_file_result_release(LLFileResult *r);
void ll_file_result_diag(LLFileResult *r, uint32_t file, LLDiagKind kind,
                         uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
