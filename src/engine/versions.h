/* versions.h - rules that apply to some versions of a package, and
 * dependency files as a kind of file of their own.
 *
 * A rule may state the versions it applies to ("versions", rules/ruleset.h
 * and docs/rule-format.md). Its findings are made at the call as any
 * other's (match.c), then judged here, once the analysis is over
 * (ll_versions_finish, called by the run before context grading): against
 * the versions the project allows for the finding's file (deps/judge.h:
 * the dependency files from its directory up to the project root, under
 * its configuration's assume-versions), a finding is kept, graded down to
 * the range that applies and told which advisory, which versions, which
 * dependency line and what to raise; or dropped, when no allowed version
 * is affected (or, by the rule's when_unknown, when nothing states one).
 * Judging after the analysis keeps per-file results (and the result
 * cache's entries) free of the dependency files.
 *
 * Reachability: a kept finding's deciding statements that are lines of a
 * dependency file in the run's file list get a finding of the same rule
 * there (`requirements.txt:3`), graded as the worst of their calls, whose
 * related locations (LLFinding.steps) are the calls: the dependency line
 * is reported only where the code calls the affected API.
 *
 * Dependency files (requirements*.txt, pyproject.toml, setup.cfg,
 * poetry.lock, uv.lock, Pipfile.lock, environment.yml) are claimed by
 * name by the dependency analyzer (ll_analyzer_deps, analyzer.h) when a
 * rule uses versions; analysing one reads it (with its directory), and its
 * problems (a syntax error, an unknown specifier: file, line, column) are
 * warnings of the run, given by ll_versions_finish with those of every
 * other dependency file read (files above the scanned ones, includes).
 *
 * Fixes that need a version (`requires` in a rule's fixes, fix.h) ask
 * ll_versions_fix_check through the matcher (match.h
 * ll_match_set_versions): whether every version the file's project allows
 * is in the set.
 *
 * Threads: ll_versions_fix_check and the analyzer run on the workers (the
 * judge locks what it builds); ll_versions_finish on the run's thread
 * after the passes.
 *
 * Ownership: ll_versions_new borrows the ruleset and file list until
 * ll_versions_free. Findings it adds or changes own their strings, as any
 * finding. */
#ifndef LL_VERSIONS_H
#define LL_VERSIONS_H
#include "engine/analyzer.h"
#include "engine/discover.h"
#include "engine/finding.h"
#include "engine/fix.h"
#include "engine/run.h"
#include "engine/scope.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>

/* Calls listed as related locations of one dependency-line finding (the
 * message counts the rest). */
#define LL_VERSIONS_MAX_SITES 16u
/* Statements named in one finding's message (the message counts the rest). */
#define LL_VERSIONS_MAX_NAMED 3u

typedef struct LLVersions LLVersions;

/* The run's version state, or NULL when no enabled rule has versions or
 * fixes that require them (nothing is read then). */
LLVersions *ll_versions_new(const LLRuleset *rules, const LLFileList *files);
void ll_versions_free(LLVersions *v);

/* The dependency-file analyzer; its env->shared is the LLVersions. */
const LLAnalyzer *ll_analyzer_deps(void);
/* Whether the run's dependency analyzer takes file `fe` (by its name),
 * with `v` (NULL: never). */
bool ll_versions_claims(const LLVersions *v, const LLFileEntry *fe);

/* fix.h's LLFixVersionFn for file `fe`: whether every version of
 * `package` the file's project allows is in `versions` (a specifier set). */
LLFixVersions ll_versions_fix_check(LLVersions *v, const LLFileEntry *fe, const char *package,
                                    const char *versions);

/* The dependency files the versions of file `fe` depend on (absolute
 * paths, nearest first; with its settings' assume-versions): what a
 * cached analysis whose fixes asked ll_versions_fix_check must be keyed
 * with. Valid until ll_versions_free. */
size_t ll_versions_files_for(LLVersions *v, const LLFileEntry *fe, const char *const **files);

/* A digest of what the version answers for file `fe` depend on: its
 * settings' assume-versions and the paths and contents of the dependency
 * files of ll_versions_files_for (a file that cannot be read counts as
 * such). The per-file results of the analysis depend on versions only
 * through fixes that require one (LL201's weights_only=True needs torch
 * >= 1.13); the judging of findings happens after the passes, on the
 * merged results. A result cache keys a file's entry with this digest
 * when its fixes asked for versions (0 when v is NULL). Thread-safe. */
uint64_t ll_versions_digest_for(LLVersions *v, const LLFileEntry *fe);

/* Bytes read at a time when digesting a dependency file. */
#define LL_VERSIONS_DIGEST_CHUNK 65536u

/* After the passes, on the merged and sorted findings (run.c, before
 * grading by context): judges the findings of rules with versions, adds
 * the dependency-line findings (in order), and appends the diagnostics of
 * the dependency files read. `scope` says which rules apply to a
 * dependency file. Nothing when v is NULL. */
void ll_versions_finish(LLVersions *v, const LLRuleScope *scope, LLRunResult *out);

#endif
