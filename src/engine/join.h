/* join.h - source findings joined with the model files they load.
 *
 * A loader call whose input is a string literal path (LLFinding.
 * input_literal, filled by data flow: `torch.load("models/x.pt")`,
 * `os.path.join("models", "x.pt")`) may name a model file the same run
 * scanned. ll_join_artifacts tries the path against
 *   1. the project root: the root of the calling file's settings (the
 *      configuration file's directory, or the working directory): where a
 *      program started from the project root opens it;
 *   2. the directory of the file holding the call;
 * (an absolute path as it is), and takes the first that names a file of
 * the run that the model-file analyzer reads (also through a symbolic
 * link: the real path is compared too). A path naming a directory stands
 * for the model files directly inside it (a SavedModel or from_pretrained
 * folder), the worst of them speaking for it. Then the finding
 *   - gets the model file's verdict appended to its message, saying which
 *     base matched: "; models/x.pt (relative to the project root) holds
 *     only allow-listed globals", "; models/x.pt (relative to the project
 *     root) is malicious: os.system (LL910 at
 *     models/x.pt:archive/data.pkl:@57)";
 *   - is graded up to error when the model file is malicious, one step down
 *     when it is safe; unchanged when it is suspicious or could not be
 *     scanned (an LFS pointer, a malformed file);
 *   - gets one more step (LLStep, appended) at the model file, whose
 *     message is the verdict (JSON "flow", SARIF codeFlows).
 * The verdict comes from ll_artifact_summarize: the model-file analyzer
 * reads the file again (only files a literal path names; their pages are
 * still cached), with the policy of the model file's own settings and
 * whatever rules are selected for it: a model file whose rules are ignored
 * is still judged by what it holds. The rule code and location quoted are
 * those of the run's own finding on the model file when it has one (what
 * the report shows), else the reader's.
 *
 * Where the run calls it: after the findings are merged, before they are
 * graded by context (test-severity then applies on top of the join's
 * grade); `artifact` is the run's model-file analyzer (NULL with
 * --no-artifacts or in a build without it: nothing is joined).
 *
 * Ownership: findings are changed in place (message and steps
 * reallocated; they stay owned by the finding). The ruleset and the file
 * list are borrowed. No state between calls. */
#ifndef LL_JOIN_H
#define LL_JOIN_H
#include "engine/analyzer.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Files directly inside a directory a literal path names that are looked
 * at (more: the first ones in the file list's order). */
#define LL_JOIN_MAX_DIR_FILES 64u
/* Distinct model files summarised per run (more: not joined, and the
 * finding says so). */
#define LL_JOIN_MAX_SUMMARIES 4096u

/* What a model file holds, as a loader's caller needs it. */
typedef enum LLArtifactVerdict {
    LL_ARTIFACT_NOT_MODEL = 0, /* no model-file reader takes it */
    LL_ARTIFACT_SAFE,          /* only allow-listed globals; a format without code */
    LL_ARTIFACT_SUSPICIOUS,    /* imports outside the allow-list, custom objects... */
    LL_ARTIFACT_MALICIOUS,     /* a known code-execution path */
    LL_ARTIFACT_UNSCANNABLE,   /* malformed, a limit hit, an LFS pointer */
} LLArtifactVerdict;

typedef struct LLArtifactSummary {
    LLArtifactVerdict verdict;
    const char *format;  /* "pytorch-zip", "safetensors"...; static */
    char *clean;         /* owned: for a safe file, what it holds ("only
                          * allow-listed globals"); else NULL */
    /* the most severe finding (NULL check when there is none) */
    const char *check;   /* static */
    char *subject;       /* owned, or NULL */
    char *detail;        /* owned: the reader's sentence, or NULL */
    char **members;      /* owned: its member chain */
    uint32_t nmembers;
    uint64_t offset;
} LLArtifactSummary;

/* Reads model files again, as the model-file analyzer does, to summarise
 * them (its policies are parsed once, and merged once per settings).
 * Implemented by src/artifact/analyzer.c; in a build without the readers
 * (src/engine/analyzer_none.c) _new returns NULL. */
typedef struct LLArtifactSummarizer LLArtifactSummarizer;
LLArtifactSummarizer *ll_artifact_summarizer_new(void);
void ll_artifact_summarizer_free(LLArtifactSummarizer *s); /* NULL is fine */
/* Summarises file entry `fe`; false (and *out empty) when it is not a
 * model file or cannot be read. */
bool ll_artifact_summarize(LLArtifactSummarizer *s, const LLFileEntry *fe, LLArtifactSummary *out);
void ll_artifact_summary_release(LLArtifactSummary *s);

/* Joins findings[0, n) (the run's, any order) with the model files of
 * `files`; returns how many findings were joined. */
size_t ll_join_artifacts(const LLRuleset *rules, const LLFileList *files, const LLAnalyzer *artifact,
                         LLFinding *findings, size_t n);

#endif
