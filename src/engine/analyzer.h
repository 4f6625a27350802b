/* analyzer.h - one kind of file, one analyzer.
 *
 * Every kind of input loadlint reads (Python source; model files;
 * dependency files) is an analyzer behind this interface. The run
 * (run.h) offers each listed file to the analyzers: a walked *.py / *.pyi
 * file or standard input is Python; a dependency file (requirements*.txt,
 * pyproject.toml, lock files...) is claimed by its name, when a rule uses
 * versions (engine/versions.h: ll_analyzer_deps); any other file (found
 * walking with model-file scanning on, or named on the command line) is
 * read for its first LL_ANALYZER_HEAD_BYTES bytes and offered to the
 * analyzers that claim files by their bytes (`claims`): the first that
 * claims it analyses it. An unclaimed walked file is not scanned; an unclaimed named file is
 * Python, whatever its name.
 *
 * An analyzer keeps per-thread state in a worker (worker_new /
 * worker_free, one per run thread) and turns one file into findings and
 * diagnostics (`analyze`, into the file's LLFileResult). Findings carry a
 * line/column span, or for binary inputs a byte range and archive members
 * (finding.h). Everything an analyzer reads from the run (rules, scope,
 * files, options) is in the LLAnalyzerEnv, shared and read-only.
 *
 * Ownership: analyzers are static tables (ll_analyzer_*); workers belong to
 * the run thread that made them. */
#ifndef LL_ANALYZER_H
#define LL_ANALYZER_H
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/scope.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a file read to ask analyzers whether they claim it. */
#define LL_ANALYZER_HEAD_BYTES 4096u

typedef struct LLAnalyzerEnv {
    const LLRuleset *rules;
    const LLRuleScope *scope;
    const LLFileList *files;
    size_t max_file_bytes;
    uint32_t max_findings_per_file;
    void *shared; /* the analyzer's own run-wide state (the Python passes'), or NULL */
} LLAnalyzerEnv;

typedef struct LLAnalyzer {
    const char *name; /* "python", "artifact" */
    /* Whether the file whose first bytes are head[0..n) is this analyzer's
     * (n is smaller for a short file); NULL: it claims files by name only. */
    bool (*claims)(const char *name, const uint8_t *head, size_t n);
    void *(*worker_new)(const LLAnalyzerEnv *env);
    void (*worker_free)(void *worker);
    /* Analyses file `file` (an index in env->files) into `out`. */
    void (*analyze)(void *worker, uint32_t file, LLFileResult *out);
} LLAnalyzer;

/* Python source (engine/pyanalyzer.c). */
const LLAnalyzer *ll_analyzer_python(void);
/* Model files (src/artifact/analyzer.c); NULL in a build without them. */
const LLAnalyzer *ll_analyzer_artifact(void);

#endif
