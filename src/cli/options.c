#include "cli/options.h"

#include "base/limits.h"
#include "base/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ll_options_init(LLOptions *o)
{
    memset(o, 0, sizeof *o);
    ll_settings_overrides_init(&o->cfg);
    o->max_file_bytes = LL_DEFAULT_MAX_FILE_BYTES;
    o->parse_timeout_us = LL_DEFAULT_PARSE_TIMEOUT_US;
    o->max_findings_per_file = LL_DEFAULT_MAX_FINDINGS_PER_FILE;
}

void ll_options_release(LLOptions *o)
{
    LL_VEC_FREE(&o->paths);
    LL_VEC_FREE(&o->rule_dirs);
    ll_settings_overrides_release(&o->cfg);
}

const char *ll_options_usage(void)
{
    return "usage: loadlint [OPTIONS] [PATH...]\n"
           "\n"
           "Finds unsafe deserialization and unsafe ML-model loading in Python code.\n"
           "PATH is a file or a directory (default: .); directories are walked for\n"
           "*.py and *.pyi (and model files). '-' reads one file from standard input.\n"
           "loadlint has no subcommands: 'loadlint check .' is 'loadlint .'.\n"
           "\n"
           "Output:\n"
           "  -f, --format FORMAT       text (default; alias concise), json, sarif or github\n"
           "                            (workflow command annotations); alias --output-format\n"
           "  -o, --output FILE         write the report to FILE (whole, even with findings)\n"
           "      --color WHEN          auto (default: only on a terminal, never with NO_COLOR),\n"
           "                            always or never\n"
           "      --sarif-category NAME SARIF automationDetails.id is NAME/ (default: loadlint/)\n"
           "  -q, --quiet               no summary (and no progress) on standard error\n"
           "      --progress            a progress line on standard error (files, MB,\n"
           "                            rate, ETA) even when it is no terminal (then a\n"
           "                            line a second); a terminal gets it anyway once\n"
           "                            a scan has run a second\n"
           "  -v, --verbose             list skipped and excluded files, with the reason\n"
           "\n"
           "Rules (CODES: comma-separated codes or prefixes, like LL101,LL5 or ALL, or a\n"
           "peer's code, like S301 or B301; an unknown code is an error):\n"
           "      --select CODES        only these rules (replaces the configuration's)\n"
           "      --ignore CODES        not these rules (replaces the configuration's)\n"
           "      --extend-select CODES also these rules\n"
           "      --extend-ignore CODES also not these rules\n"
           "      --per-file-ignores GLOB:CODES  not these rules in files matching GLOB\n"
           "                            (repeatable; replaces the configuration's)\n"
           "      --min-severity LEVEL  report only note, warning or error and above\n"
           "      --rules DIR           also load every *.json rule file of DIR\n"
           "      --no-builtin-rules    load only the rules of --rules and configurations\n"
           "      --list-rules          print the rules (text or -f json) and exit\n"
           "      --explain CODE        print a rule's documentation and exit\n"
           "\n"
           "Configuration ([tool.loadlint] in pyproject.toml, or loadlint.toml, found\n"
           "walking up from each file; the command line wins):\n"
           "      --config PATH         use this configuration file for every file\n"
           "      --isolated            read no configuration file (alias --no-config)\n"
           "      --show-settings       print the settings for the first PATH and exit\n"
           "\n"
           "Files:\n"
           "      --exclude GLOBS       skip these when walking (replaces the configuration's)\n"
           "      --extend-exclude GLOBS  skip these too\n"
           "      --force-exclude       apply excludes and .gitignore to named files too\n"
           "      --no-respect-gitignore  walk into what .gitignore ignores\n"
           "      --test-paths GLOBS    globs of test code (repeatable; replaces the\n"
           "                            configuration's)\n"
           "      --test-severity HOW   findings in test code: keep, lower, note (default)\n"
           "                            or ignore\n"
           "\n"
           "Model files, dependencies and the cache:\n"
           "      --no-artifacts        scan Python files only, no model files\n"
           "      --artifacts           scan the model files found walking (the default)\n"
           "      --allow-global NAME   also allow this pickle global in model files:\n"
           "                            module.name or module.* (repeatable)\n"
           "      --assume-version SPEC assume PACKAGE==VERSION (repeatable)\n"
           "      --cache-dir DIR       keep the result cache in DIR (default:\n"
           "                            .loadlint_cache in the project root)\n"
           "      --no-cache            neither read nor write the result cache\n"
           "\n"
           "Input:\n"
           "      --stdin-filename NAME the name of '-' in reports, for the configuration,\n"
           "                            excludes and per-file-ignores; without any PATH\n"
           "                            it implies '-' when standard input is not a\n"
           "                            terminal (alias --stdin-display-name)\n"
           "  -j, --jobs N              worker threads (default: number of CPUs)\n"
           "      --max-file-size BYTES skip larger files with an error (default 33554432)\n"
           "      --parse-timeout MS    give up parsing one file after MS ms (default 10000)\n"
           "      --max-findings-per-file N  (default 10000)\n"
           "      --no-prefilter        parse every file, even those that cannot produce a\n"
           "                            finding (same findings, slower; for benchmarks)\n"
           "\n"
           "Fixes (only for findings that are reported: not suppressed, not in the baseline):\n"
           "      --fix                 apply the safe fixes to the files (a file read from\n"
           "                            standard input: print it fixed), then report what\n"
           "                            remains\n"
           "      --unsafe-fixes        also the unsafe fixes, which can stop legitimate files\n"
           "                            from loading (alone: mark them available)\n"
           "      --diff                print a unified diff of the fixes, change nothing\n"
           "                            (exit 1 when it is not empty)\n"
           "\n"
           "Suppressions and baselines:\n"
           "      --report-unused-suppressions  warn about '# loadlint: ignore' comments\n"
           "                            that suppress nothing\n"
           "      --show-suppressed     include suppressed findings in JSON and SARIF (as\n"
           "                            suppressed; alias --sarif-include-suppressed)\n"
           "      --write-baseline FILE record the current findings in FILE, print no\n"
           "                            report and exit 0 (2 on errors)\n"
           "      --baseline FILE       report only findings that are not in FILE\n"
           "      --statistics          print per-rule counts instead of the findings\n"
           "                            (text or -f json)\n"
           "\n"
           "Exit status:\n"
           "      --fail-on LEVEL       the lowest severity that makes the status 1: note,\n"
           "                            warning (default), error or never\n"
           "      --exit-zero           exit 0 even with findings (still 2 on errors)\n"
           "  0 no finding at or above fail-on (notes are reported but, by default, do\n"
           "  not fail), 1 findings at or above fail-on, 2 usage error, unreadable path,\n"
           "  invalid rule or configuration file, a file not fixed, or internal error.\n"
           "  With --fix the findings that remain decide; with --diff, 1 when there is\n"
           "  something to fix.\n"
           "\n"
           "      --version             print the version\n"
           "  -h, --help                print this help\n";
}

/* Appends the comma-separated codes of v to l; false (and *bad set) for
 * one that cannot be a rule code or prefix. */
static bool split_codes(LLStrList *l, const char *v, const char **bad)
{
    size_t from = l->len;
    ll_settings_split_list(l, v);
    for (size_t i = from; i < l->len; i++) {
        for (const char *c = l->items[i]; *c; c++) {
            if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                  (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')) {
                *bad = l->items[i];
                return false;
            }
        }
    }
    return true;
}

static void split_globs(LLGlobList *l, const char *v)
{
    LLStrList items = {NULL, 0};
    ll_settings_split_list(&items, v);
    for (size_t i = 0; i < items.len; i++) {
        ll_settings_add_glob(l, items.items[i], NULL);
        free(items.items[i]);
    }
    free(items.items);
}

/* GLOB:CODE[,CODE]; the last ':' separates (codes have none). */
static bool add_per_file_ignore(LLPerFileIgnores *l, const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v)
        return false;
    char *glob = ll_xstrndup(v, (size_t)(colon - v));
    LLPerFileIgnore e = {{NULL, NULL}, {NULL, 0}};
    const char *bad;
    bool ok = split_codes(&e.codes, colon + 1, &bad) && e.codes.len;
    if (ok) {
        LLGlobList one = {0};
        ll_settings_add_glob(&one, glob, NULL);
        e.glob = one.items[0];
        free(one.items);
        LL_VEC_PUSH(l, e);
    } else {
        for (size_t i = 0; i < e.codes.len; i++)
            free(e.codes.items[i]);
        free(e.codes.items);
    }
    free(glob);
    return ok;
}

/* A package name as PEP 508 spells one: letters, digits, and '-', '_', '.'
 * inside. */
static bool package_name_valid(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !((c == '-' || c == '_' || c == '.') && i > 0 && i + 1 < n))
            return false;
    }
    return true;
}

/* --assume-version PACKAGE==VERSION: added to assume-versions. */
static bool add_assumed_version(LLNameValues *l, const char *v)
{
    const char *eq = strstr(v, "==");
    if (!eq || !package_name_valid(v, (size_t)(eq - v)) || !eq[2])
        return false;
    for (const unsigned char *c = (const unsigned char *)eq + 2; *c; c++)
        if (*c <= ' ' || *c == 0x7F || *c == '=')
            return false;
    LLNameValue e = {ll_xstrndup(v, (size_t)(eq - v)), ll_xstrdup(eq + 2)};
    LL_VEC_PUSH(l, e);
    return true;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Every combination works as asked or is rejected here, with the reason,
 * before anything is scanned. */
static LLStatus check_combinations(const LLOptions *o, LLError *err)
{
    if (o->help || o->version)
        return LL_OK;
    if (o->cfg.isolated && o->cfg.config_file)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--config and --isolated cannot be used together");
    const char *mode = o->list_rules ? "--list-rules" : o->explain ? "--explain" :
                       o->show_settings ? "--show-settings" : NULL;
    if ((o->list_rules + !!o->explain + o->show_settings) > 1)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--list-rules, --explain and --show-settings each print one thing: "
                            "give one of them");
    if (mode) {
        const char *scan_only = o->write_baseline ? "--write-baseline" : o->baseline ? "--baseline"
                                : o->statistics ? "--statistics" : o->show_suppressed ? "--show-suppressed"
                                : o->sarif_category ? "--sarif-category" : o->fix ? "--fix"
                                : o->diff ? "--diff" : o->unsafe_fixes ? "--unsafe-fixes" : NULL;
        if (scan_only)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "%s prints without scanning: %s has nothing to act on", mode, scan_only);
        bool json_ok = o->list_rules;
        if (o->format_set && o->format != LL_FMT_TEXT && !(json_ok && o->format == LL_FMT_JSON))
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "%s prints %s, not -f %s", mode,
                                o->list_rules ? "text or json" : o->explain ? "markdown" : "TOML",
                                o->format == LL_FMT_JSON ? "json" : o->format == LL_FMT_SARIF ? "sarif"
                                                                                            : "github");
        return LL_OK;
    }
    if (o->write_baseline && (o->fix || o->diff))
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--write-baseline records the findings as they are; %s changes them: "
                            "fix first, then write the baseline",
                            o->fix ? "--fix" : "--diff");
    if (o->diff) {
        const char *report = o->statistics ? "--statistics" : o->show_suppressed ? "--show-suppressed"
                             : o->sarif_category ? "--sarif-category"
                             : o->format_set && o->format != LL_FMT_TEXT ? "--format" : NULL;
        if (report)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "--diff prints a diff, not a report: %s has nothing to act on", report);
    }
    if (o->write_baseline) {
        const char *report = o->baseline ? "--baseline" : o->output ? "--output"
                             : o->statistics ? "--statistics" : o->show_suppressed ? "--show-suppressed"
                             : o->sarif_category ? "--sarif-category"
                             : o->format_set && o->format != LL_FMT_TEXT ? "--format" : NULL;
        if (report && strcmp(report, "--baseline") == 0)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "--write-baseline records every finding; with --baseline it would "
                                "drop those already in the old baseline: give one of them");
        if (report)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "--write-baseline writes the baseline file and prints no report: "
                                "%s has nothing to act on", report);
    }
    LLWriteOptions wo = {false, o->sarif_category, o->show_suppressed, o->statistics};
    return ll_scan_write_check(o->format, &wo, err);
}

LLStatus ll_options_parse(LLOptions *o, int argc, char **argv, LLError *err)
{
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            LL_VEC_PUSH(&o->paths, a);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_paths = true;
            continue;
        }
        /* --flag=value or --flag value */
        char name[64];
        const char *value = NULL;
        const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            value = eq + 1;
        } else if (a[1] != '-' && a[2] && strchr("fjo", a[1])) {
            /* -j2, -fjson, -oreport.sarif */
            snprintf(name, sizeof name, "-%c", a[1]);
            value = a + 2;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
#define IS(x) (strcmp(name, x) == 0)
#define NEED_VALUE()                                                           \
    do {                                                                       \
        if (!value) {                                                          \
            if (i + 1 >= argc)                                                 \
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,             \
                                    "option %s needs a value", name);          \
            value = argv[++i];                                                 \
        }                                                                      \
    } while (0)
#define NO_VALUE()                                                             \
    do {                                                                       \
        if (value)                                                             \
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,                 \
                                "option %s takes no value", name);             \
    } while (0)
        uint64_t num;
        if (IS("-h") || IS("--help")) {
            NO_VALUE();
            o->help = true;
        } else if (IS("--version")) {
            NO_VALUE();
            o->version = true;
        } else if (IS("-f") || IS("--format") || IS("--output-format")) {
            NEED_VALUE();
            if (!ll_format_parse(value, &o->format))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "unknown format '%s' (expected %s)", value, ll_format_names());
            o->format_set = true;
        } else if (IS("-o") || IS("--output")) {
            NEED_VALUE();
            o->output = value;
        } else if (IS("--rules")) {
            NEED_VALUE();
            LL_VEC_PUSH(&o->rule_dirs, value);
        } else if (IS("--select") || IS("--ignore") || IS("--extend-select") ||
                   IS("--extend-ignore")) {
            NEED_VALUE();
            LLOverrides *c = &o->cfg;
            LLStrList *l = IS("--select") ? &c->select
                           : IS("--ignore") ? &c->ignore
                           : IS("--extend-select") ? &c->extend_select
                                                   : &c->extend_ignore;
            c->has_select |= l == &c->select;
            c->has_ignore |= l == &c->ignore;
            const char *bad;
            if (!split_codes(l, value, &bad))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "%s: '%s' is not a rule code or prefix (like LL101, LL1 or ALL)",
                                    name, bad);
        } else if (IS("--exclude")) {
            NEED_VALUE();
            o->cfg.has_exclude = true;
            split_globs(&o->cfg.exclude, value);
        } else if (IS("--extend-exclude")) {
            NEED_VALUE();
            split_globs(&o->cfg.extend_exclude, value);
        } else if (IS("--per-file-ignores")) {
            NEED_VALUE();
            o->cfg.has_per_file_ignores = true;
            if (!add_per_file_ignore(&o->cfg.per_file_ignores, value))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--per-file-ignores takes GLOB:CODE[,CODE...], not '%s'", value);
        } else if (IS("--min-severity")) {
            NEED_VALUE();
            if (!ll_severity_parse(value, &o->cfg.min_severity))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--min-severity takes note, warning or error, not '%s'", value);
            o->cfg.has_min_severity = true;
        } else if (IS("--fail-on")) {
            NEED_VALUE();
            if (!ll_settings_fail_on_parse(value, &o->cfg.fail_on))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--fail-on takes note, warning, error or never, not '%s'", value);
            o->cfg.has_fail_on = true;
        } else if (IS("--test-paths")) {
            NEED_VALUE();
            o->cfg.has_test_paths = true;
            split_globs(&o->cfg.test_paths, value);
        } else if (IS("--test-severity")) {
            NEED_VALUE();
            if (!ll_settings_test_severity_parse(value, &o->cfg.test_severity))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--test-severity takes keep, lower, note or ignore, not '%s'",
                                    value);
            o->cfg.has_test_severity = true;
        } else if (IS("--artifacts") || IS("--no-artifacts")) {
            NO_VALUE();
            o->cfg.has_artifacts = true;
            o->cfg.artifacts = IS("--artifacts");
            o->no_artifacts = !o->cfg.artifacts;
        } else if (IS("--cache-dir")) {
            NEED_VALUE();
            if (!*value)
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "--cache-dir needs a directory");
            free(o->cfg.cache_dir);
            o->cfg.cache_dir = ll_xstrdup(value);
            o->cfg.has_cache_dir = true;
        } else if (IS("--no-cache")) {
            NO_VALUE();
            o->cfg.has_cache = true;
            o->cfg.cache = false;
        } else if (IS("--assume-version")) {
            NEED_VALUE();
            if (!add_assumed_version(&o->cfg.assume_versions, value))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--assume-version takes PACKAGE==VERSION (like torch==2.4.0), "
                                    "not '%s'", value);
        } else if (IS("--allow-global")) {
            NEED_VALUE();
            if (!ll_settings_global_valid(value))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--allow-global takes module.name or module.* (like "
                                    "collections.OrderedDict), not '%s'", value);
            ll_strlist_push(&o->cfg.allowed_globals, value);
        } else if (IS("--config")) {
            NEED_VALUE();
            if (!*value)
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "--config needs a file name");
            o->cfg.config_file = value;
        } else if (IS("--isolated") || IS("--no-config")) {
            NO_VALUE();
            o->cfg.isolated = true;
        } else if (IS("--force-exclude")) {
            NO_VALUE();
            o->cfg.force_exclude = true;
        } else if (IS("--no-respect-gitignore")) {
            NO_VALUE();
            o->cfg.no_respect_gitignore = true;
        } else if (IS("--show-settings")) {
            NO_VALUE();
            o->show_settings = true;
        } else if (IS("-v") || IS("--verbose")) {
            NO_VALUE();
            o->verbose = true;
        } else if (IS("--list-rules")) {
            NO_VALUE();
            o->list_rules = true;
        } else if (IS("--explain")) {
            NEED_VALUE();
            o->explain = value;
        } else if (IS("--stdin-filename") || IS("--stdin-display-name")) {
            NEED_VALUE();
            o->stdin_filename = value;
        } else if (IS("--sarif-category")) {
            NEED_VALUE();
            o->sarif_category = value;
        } else if (IS("--color") || IS("--colour")) {
            NEED_VALUE();
            if (strcmp(value, "auto") == 0)
                o->color = LL_COLOR_AUTO;
            else if (strcmp(value, "always") == 0)
                o->color = LL_COLOR_ALWAYS;
            else if (strcmp(value, "never") == 0)
                o->color = LL_COLOR_NEVER;
            else
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--color takes auto, always or never, not '%s'", value);
        } else if (IS("-q") || IS("--quiet")) {
            NO_VALUE();
            o->quiet = true;
        } else if (IS("--exit-zero")) {
            NO_VALUE();
            o->exit_zero = true;
        } else if (IS("--no-prefilter")) {
            NO_VALUE();
            o->no_prefilter = true;
        } else if (IS("--report-unused-suppressions")) {
            NO_VALUE();
            o->report_unused = true;
        } else if (IS("--show-suppressed") || IS("--sarif-include-suppressed")) {
            NO_VALUE();
            o->show_suppressed = true;
        } else if (IS("--statistics")) {
            NO_VALUE();
            o->statistics = true;
        } else if (IS("--progress")) {
            NO_VALUE();
            o->progress = true;
        } else if (IS("--fix")) {
            NO_VALUE();
            o->fix = true;
        } else if (IS("--unsafe-fixes")) {
            NO_VALUE();
            o->unsafe_fixes = true;
        } else if (IS("--diff")) {
            NO_VALUE();
            o->diff = true;
        } else if (IS("--baseline")) {
            NEED_VALUE();
            o->baseline = value;
        } else if (IS("--write-baseline")) {
            NEED_VALUE();
            o->write_baseline = value;
        } else if (IS("--no-builtin-rules")) {
            NO_VALUE();
            o->no_builtin = true;
        } else if (IS("-j") || IS("--jobs")) {
            NEED_VALUE();
            if (!parse_u64(value, 1024, &num))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--jobs takes a number from 0 to 1024, not '%s'", value);
            o->jobs = (unsigned)num;
        } else if (IS("--max-file-size")) {
            NEED_VALUE();
            if (!parse_u64(value, UINT32_MAX - 1, &num) || !num)
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--max-file-size takes a byte count from 1 to 4294967294, not '%s'", value);
            o->max_file_bytes = (size_t)num;
        } else if (IS("--parse-timeout")) {
            NEED_VALUE();
            if (!parse_u64(value, 86400000, &num))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--parse-timeout takes milliseconds, not '%s'", value);
            o->parse_timeout_us = num * 1000;
        } else if (IS("--max-findings-per-file")) {
            NEED_VALUE();
            if (!parse_u64(value, UINT32_MAX, &num) || !num)
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--max-findings-per-file takes a positive number, not '%s'", value);
            o->max_findings_per_file = (uint32_t)num;
        } else {
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "unknown option '%s' (see loadlint --help)", name);
        }
#undef IS
#undef NEED_VALUE
#undef NO_VALUE
    }
    return check_combinations(o, err);
}
