/* loadlint.h - the loadlint library: one call scans, writers print.
 *
 *   LLScanOptions o;
 *   ll_scan_options_init(&o);
 *   o.paths = argv_paths; o.npaths = n;
 *   LLScan *scan;
 *   if (ll_scan_run(&o, &scan, &err) == LL_OK) {
 *       ll_scan_write(scan, LL_FMT_SARIF, &wo, &buf);
 *       ...
 *   }
 *   ll_scan_free(scan);
 *
 * ll_scan_run owns the whole run: configuration discovery, file discovery,
 * rule loading and scoping (engine/scope.h), analysis with every analyzer,
 * suppressions, per-file-ignores, min-severity and the baseline, and the
 * sorted result; with `fix`, the fixes too (applied and the files scanned
 * again, or a diff). The command line (src/cli/) only maps arguments to
 * LLScanOptions and prints what the writers produce.
 *
 * Ownership, in one rule (as jq states its own): pointer arguments are
 * borrowed; what ll_scan_run / ll_scan_prepare hand out is owned by the
 * caller and freed with ll_scan_free (which accepts NULL); every other
 * returned pointer is borrowed from the scan and lives as long as it. The
 * options (and the strings and lists they point to) must outlive the scan.
 * Nothing here keeps global state: scans may run in parallel threads. */
#ifndef LOADLINT_H
#define LOADLINT_H
#include "base/buf.h"
#include "base/severity.h"
#include "base/status.h"
#include "config/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The version, and the versions of the grammars built in. */
const char *ll_version(void);
void ll_version_long(LLBuf *out);

/* What a scan does with the fixes of its findings (engine/fix.h; README
 * "Fixes"). A fix applies when its finding is reported (or only hidden as
 * a duplicate of another rule's finding on the same call: not suppressed,
 * not in the baseline), it is safe or `unsafe_fixes` is set, and it is
 * not a model file's. */
typedef enum LLFixMode {
    LL_FIXMODE_NONE = 0, /* report; the findings say which fixes are available */
    LL_FIXMODE_APPLY,    /* --fix: write each fixed file back (its encoding, BOM
                          * and line endings kept; atomically; refused when it
                          * changed since it was scanned or the fixes would break
                          * its syntax), then scan again: the result is what
                          * remains. Standard input: the fixed text is the output
                          * (ll_scan_fix_output) */
    LL_FIXMODE_DIFF,     /* --diff: a unified diff of what APPLY would write
                          * (ll_scan_fix_output); nothing is written, the result
                          * is the scan before fixing */
} LLFixMode;

/* Rounds of fixing one file: when fixes were dropped because they overlap
 * an earlier one, the fixed text is scanned again (alone) and its fixes
 * applied, at most this many times in all, so that a second --fix has
 * nothing left to do. Hitting it is a warning. */
#define LL_MAX_FIX_ROUNDS 8u

typedef struct LLScanOptions {
    const char *const *paths; /* files and directories; none: "." */
    size_t npaths;
    const char *stdin_name;   /* the name of "-" (--stdin-filename), or NULL */
    int stdin_fd;             /* where "-" is read from (default 0) */
    const LLOverrides *cfg;   /* command-line settings (config.h); NULL: none.
                               * The result cache (lib/scan_cache.h) is used
                               * unless the settings say `cache = false`
                               * (cfg->has_cache, cfg->cache for a caller
                               * that wants none): a scan may then write
                               * .loadlint_cache in the project root */
    const char *const *rule_dirs; /* --rules: loaded for every file */
    size_t nrule_dirs;
    bool no_builtin_rules;
    unsigned jobs;                 /* 0: number of CPUs */
    size_t max_file_bytes;         /* LL_DEFAULT_MAX_FILE_BYTES */
    uint64_t parse_timeout_us;     /* LL_DEFAULT_PARSE_TIMEOUT_US */
    uint32_t max_findings_per_file;
    bool no_prefilter;             /* parse every file (same findings) */
    bool report_unused_suppressions;
    bool verbose;                  /* collect notes on skipped files */
    bool no_artifacts;             /* scan Python files only, no model files (also
                                    * per configuration: `artifacts = false`) */
    const char *baseline;          /* report only findings not in this file */
    LLFixMode fix;                 /* --fix / --diff */
    bool unsafe_fixes;             /* unsafe fixes apply too (with LL_FIXMODE_NONE:
                                    * they are shown as available) */
    /* told as the facts pass and pass 0 go (NULL: not told): files and bytes done of
     * the totals; called from the scan's worker threads, concurrently */
    void (*progress)(void *ctx, size_t files_done, size_t files_total,
                     uint64_t bytes_done, uint64_t bytes_total);
    void *progress_ctx;
} LLScanOptions;

void ll_scan_options_init(LLScanOptions *o);

typedef struct LLScan LLScan;

/* Scans. Fails (nothing to free) on what stops a whole run: an invalid
 * configuration, rule or baseline file, unreadable standard input, a rule
 * code or prefix (select, ignore, extend-*, per-file-ignores; command line
 * or configuration) that names no rule loaded for its configuration and is
 * no peer's code either (LL_ERR_USAGE for the command line's, with the
 * closest known code suggested). Peers' codes (S301, B301) stand for the
 * rules that list them. Problems with single files are diagnostics of the
 * result, not failures; so are a baseline that matches no finding and a
 * scan that found no file (warnings). When every file was named (or is
 * standard input), every one is parsed, so that each gets its diagnostics
 * even when it holds nothing a rule looks for. */
LLStatus ll_scan_run(const LLScanOptions *o, LLScan **out, LLError *err);
/* Settings and rules for the first path only, without scanning: what
 * ll_scan_list_rules, ll_scan_explain and ll_scan_show_settings need. */
LLStatus ll_scan_prepare(const LLScanOptions *o, LLScan **out, LLError *err);
void ll_scan_free(LLScan *s);

typedef struct LLScanCounts {
    size_t findings;                    /* reported: not suppressed, not in the baseline */
    size_t by_severity[LL_SEV_COUNT];   /* of those */
    size_t failing;                     /* of those, at or above the fail-on severity of
                                         * their file's configuration (fail-on = "never":
                                         * none); the exit status is 1 when not 0 */
    size_t suppressed;                  /* by comments */
    size_t baselined;                   /* in the baseline */
    size_t files, parsed;               /* scanned; parsed (the others cannot hold a finding) */
    size_t parsed_partly;               /* of those, parsed without the top-level
                                         * definitions that cannot matter */
    uint64_t bytes_left_out;            /* the bytes of those definitions */
    size_t errors, warnings;            /* diagnostics */
    size_t fixable;                     /* findings whose fix applies with these options
                                         * (safe ones; unsafe ones too with unsafe_fixes) */
    size_t fixable_unsafe;              /* findings with an unsafe fix, without unsafe_fixes */
    size_t fixed, fixed_files;          /* fixes applied (--diff: in the diff) and the
                                         * files they change */
} LLScanCounts;

void ll_scan_counts(const LLScan *s, LLScanCounts *out);
/* What the fixes produced for standard output: with LL_FIXMODE_DIFF the
 * unified diff (empty when nothing would change); with LL_FIXMODE_APPLY
 * and standard input among the paths, the fixed text of standard input (its
 * bytes as read when nothing was fixed). NULL otherwise. */
const char *ll_scan_fix_output(const LLScan *s, size_t *len);
/* With `verbose`: skipped and excluded paths with the reason, and the
 * configuration files used ("path: why" lines, in discovery order). */
size_t ll_scan_note_count(const LLScan *s);
const char *ll_scan_note(const LLScan *s, size_t i);

typedef enum LLFormat {
    LL_FMT_TEXT,
    LL_FMT_JSON,
    LL_FMT_SARIF,
    LL_FMT_GITHUB,
    LL_FMT__COUNT
} LLFormat;

/* The format called `name` ("text", "concise", "json", "sarif", "github"). */
bool ll_format_parse(const char *name, LLFormat *out);
/* "text, json, sarif or github": for messages and help. */
const char *ll_format_names(void);

typedef struct LLWriteOptions {
    bool color;                 /* text: ANSI colours */
    const char *sarif_category; /* SARIF automationDetails.id is "<category>/" */
    bool include_suppressed;    /* JSON, SARIF: suppressed findings too */
    bool statistics;            /* per-rule counts instead of findings (text, JSON) */
} LLWriteOptions;

/* LL_ERR_USAGE, with the reason, when `fmt` cannot carry what `wo` asks
 * (statistics in SARIF or github; suppressed findings in text, github or
 * statistics; a SARIF category in another format): callers check before
 * scanning, ll_scan_write checks again. */
LLStatus ll_scan_write_check(LLFormat fmt, const LLWriteOptions *wo, LLError *err);
/* The report in `fmt`, appended to `out` (ll_scan_write_check first). */
LLStatus ll_scan_write(const LLScan *s, LLFormat fmt, const LLWriteOptions *wo, LLBuf *out,
                       LLError *err);
/* The baseline file of the scan's reported findings. */
void ll_scan_write_baseline(const LLScan *s, LLBuf *out);
/* Diagnostics as "loadlint: path:line:col: error|warning: message" lines
 * (control characters escaped); with `quiet`, errors only. */
void ll_scan_write_diagnostics(const LLScan *s, bool quiet, LLBuf *out);
/* "loadlint: N findings (...) in M files..." and what the run wants said
 * about itself (the SARIF cap, errors, findings below fail-on), or
 * "loadlint: nothing scanned: N errors (above)" when errors left no file.
 * (An empty scan without errors is a warning among the diagnostics.) */
void ll_scan_write_summary(const LLScan *s, LLFormat fmt, bool statistics, LLBuf *out);

/* The enabled rules: code, name, default severity, summary (text), or a
 * JSON array. */
void ll_scan_list_rules(const LLScan *s, LLFormat fmt, LLBuf *out);
/* " (did you mean LL401?)" naming the loaded rule code or peer's code
 * closest to `code`, or a pointer to --list-rules: for messages. */
void ll_scan_suggest_code(const LLScan *s, const char *code, LLBuf *out);
/* A rule's documentation (markdown); false when no rule has that code. */
bool ll_scan_explain(const LLScan *s, const char *code, LLBuf *out);
/* The settings of the first path, as TOML (--show-settings). */
void ll_scan_show_settings(const LLScan *s, LLBuf *out);

#endif
