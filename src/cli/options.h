/* options.h - the command line, parsed into LLOptions.
 *
 * ll_options_parse never exits: it returns LL_ERR_USAGE with a message in
 * `err` for a bad flag, and the caller decides. Strings point into argv;
 * the lists own their arrays (ll_options_release). Every flag may be given
 * more than once: list flags (--select, --exclude, --per-file-ignores...)
 * add up, switches stay on, the others keep the last value. The settings
 * flags go to `cfg`, which config/config.h merges with configuration files.
 * A combination of options that cannot work as asked (a format that cannot
 * carry --statistics, --write-baseline with a report option, two of
 * --list-rules / --explain / --show-settings...) is an LL_ERR_USAGE naming
 * the reason, found here, before anything is scanned. */
#ifndef LL_OPTIONS_H
#define LL_OPTIONS_H
#include "base/status.h"
#include "base/vec.h"
#include "config/config.h"
#include "loadlint.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum LLColor { LL_COLOR_AUTO, LL_COLOR_ALWAYS, LL_COLOR_NEVER } LLColor;

typedef struct LLOptions {
    LL_VEC(const char *) paths;
    LL_VEC(const char *) rule_dirs;
    LLOverrides cfg; /* --config, --select, --exclude...: owned lists */
    LLFormat format;
    const char *output;
    const char *explain;
    const char *stdin_filename;
    const char *sarif_category;
    LLColor color;
    unsigned jobs;
    size_t max_file_bytes;
    uint64_t parse_timeout_us;
    uint32_t max_findings_per_file;
    bool list_rules, version, help, exit_zero, quiet, no_builtin, no_prefilter;
    bool show_settings, verbose;
    bool report_unused, show_suppressed, statistics;
    bool progress;     /* --progress: the progress line even when stderr is no terminal */
    bool format_set;   /* -f given */
    bool no_artifacts; /* --no-artifacts (the last of it and --artifacts) */
    bool fix, diff, unsafe_fixes; /* --fix, --diff, --unsafe-fixes */
    const char *baseline, *write_baseline;
} LLOptions;

void ll_options_init(LLOptions *o);
void ll_options_release(LLOptions *o);
LLStatus ll_options_parse(LLOptions *o, int argc, char **argv, LLError *err);
const char *ll_options_usage(void);

#endif
