/* suppress.h - inline suppression comments.
 *
 * ll_suppress_apply reads the comments of one parsed file and marks the
 * file's findings `.suppressed = true` when a comment says so:
 *
 *   # loadlint: ignore[LL101,LL2]   codes or code prefixes ("ALL" too), on
 *   # loadlint: ignore              any physical line of the statement that
 *                                   holds the finding (bare: every code)
 *   # loadlint: ignore-file[LL101]  anywhere in the file: the whole file
 *   # loadlint: ignore-file         (bare: every code)
 *
 * "The statement" is the innermost simple statement around the finding (all
 * of its lines, so a comment after the `)` of a multi-line call works), or,
 * when the finding sits in the header of a compound statement (`if`, `elif`,
 * `for`, `with`, `def`, `class`, `except`...), only that clause's header
 * lines (up to its `:`), or the decorator when it sits in a decorator. Code
 * inside an ERROR node (syntax errors) uses the finding's own lines.
 *
 * With opts->honor_foreign (config `honor-noqa`, default true) two foreign
 * conventions also count, but only on the finding's first line:
 *
 *   # nosec                 bandit; bare: everything on the line
 *   # nosec B301, B614      ids are compared with the rule's "bandit" peers;
 *                           the test names pickle, marshal, yaml_load,
 *                           pytorch_load(_save), huggingface_unsafe_download
 *                           map to their ids; other words are ignored, and a
 *                           nosec left with no id at all is bare (as bandit)
 *   # noqa                  ruff/flake8; bare: everything on the line
 *   # noqa: S301, LL101     codes or prefixes compared with the rule's "ruff"
 *                           peers and with the rule's own code
 *   # ruff: noqa: S301      file level (ruff's syntax), same codes
 *
 * The "ruff" peers, and "flake8"/"dlint" ones (flake8 plugins), answer noqa.
 * Several directives may share one comment (`# noqa: S301  # nosec B301`).
 * Directive words and codes are matched ignoring case.
 *
 * Diagnostics (LL_DIAG_WARNING via ll_file_result_diag, never errors):
 *   - always: a malformed loadlint directive (`# loadlint: ignore[LL101`,
 *     `# loadlint: ignore[]`, `# loadlint: ignored`...), since a comment that
 *     silently does nothing is worse than a warning;
 *   - always: a code of a loadlint directive that names no rule at all,
 *     "unused suppression: ignore[LL999] matches no rule" (a typo would
 *     otherwise silently suppress nothing);
 *   - with opts->report_unused: each code of a loadlint directive that
 *     suppressed nothing, "unused suppression: ignore[LL101] matches no
 *     finding" (bare: "unused suppression: ignore matches no finding"); a code
 *     whose rules are all disabled for the file
 *     (--ignore, config, per-file-ignores: opts->rule_enabled) is not
 *     reported, since it is needed again when they are enabled.
 *     Foreign comments are never reported (other tools own them).
 *
 * Ownership: everything is borrowed. `src`, the tree under `root` and
 * `rules` are only read; findings in `res` are only changed in their
 * `suppressed` flag (findings already suppressed stay so); diagnostics are
 * appended to res->diags (owned by `res`, as usual). Working memory is
 * malloc'd and freed before returning; nothing is kept between calls, so
 * workers may call it concurrently. The walk over the tree is iterative
 * (a TSTreeCursor, no recursion on depth).
 *
 * Call it in the worker after matching, while the tree and the source are
 * still alive (before ts_tree_delete / ll_arena_reset). */
#ifndef LL_SUPPRESS_H
#define LL_SUPPRESS_H
#include "engine/finding.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

typedef struct LLSuppressOptions {
    bool honor_foreign; /* `# nosec`, `# noqa` (config honor-noqa); default true */
    bool report_unused; /* warn about loadlint directives that match nothing */
    /* For report_unused: is the rule enabled for this file (select/ignore,
     * per-file-ignores)? NULL means rule->enabled. A code whose rules are all
     * disabled is not reported as unused. */
    bool (*rule_enabled)(void *ctx, const LLRule *rule);
    /* Is the rule loaded for this file's configuration at all? NULL: every
     * rule of the ruleset is. A code naming only rules that are not is
     * reported as naming no rule. Same ctx. */
    bool (*rule_known)(void *ctx, const LLRule *rule);
    void *rule_enabled_ctx;
} LLSuppressOptions;

void ll_suppress_options_default(LLSuppressOptions *opts);

/* Whether ll_suppress_apply could do anything for a file with this text and
 * this many findings: some text after a '#' on its line mentions "loadlint"
 * (a directive, or a malformed one to warn about), or there are findings
 * and, with honor_foreign, "noqa" or "nosec" appears there. A cheap scan of
 * the text (memchr for '#'); use it
 * to skip parsing a file the pre-filter would not parse (with report_unused
 * such a file still needs its tree, so its directives can be checked). */
bool ll_suppress_needed(const char *text, size_t len, size_t nfindings,
                        const LLSuppressOptions *opts);
/* Whether the text may hold a comment that applies beyond its own line
 * (loadlint's, and `# ruff: noqa` when foreign comments are honoured): a
 * file parsed in part (split.h) could lose one with a definition left
 * out. opts may be NULL (defaults). */
bool ll_suppress_file_wide(const char *text, size_t len, const LLSuppressOptions *opts);

/* Marks the findings of one file suppressed. `file` is the file's index in
 * the run (it goes into the diagnostics); `opts` NULL means the defaults.
 * Returns how many findings this call marked suppressed. */
size_t ll_suppress_apply(const LLSyntax *syn, const LLSource *src, TSNode root,
                         const LLRuleset *rules, uint32_t file,
                         const LLSuppressOptions *opts, LLFileResult *res);

#endif
