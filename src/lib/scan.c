/* scan.c - the library's one entry point: paths and options in, a sorted,
 * filtered, baseline-applied result out (loadlint.h).
 *
 * Order of work: configuration cache -> files (discover.h) -> rules for the
 * configurations those files use, each configuration's rule directories
 * scoped to it (ruleset.h, scope.h) -> analysis (run.h) -> what the files'
 * settings do not want (rules that do not apply, min-severity) -> the
 * baseline -> counts. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "loadlint.h"

#include "base/limits.h"
#include "base/mem.h"
#include "base/text.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "engine/scope.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "report/baseline.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct LLScan {
    LLScanOptions opts;
    LLConfigCache *configs;
    LLOverrides no_overrides; /* when opts.cfg is NULL */
    LLRuleset *rules;
    LLRuleScope *scope;
    bool *used;               /* per settings id: some file uses it */
    LLFileList files;
    LLRunResult run;
    bool ran;
    LLBuf stdin_buf;
    LLMessages notes;
    size_t baselined;
    /* ll_scan_prepare: the first path and its settings */
    const char *first_path;
    const LLSettings *first;
    char *first_abs;
    bool first_is_file;
};

const char *ll_version(void)
{
    return LL_VERSION;
}

void ll_scan_options_init(LLScanOptions *o)
{
    memset(o, 0, sizeof *o);
    o->max_file_bytes = LL_DEFAULT_MAX_FILE_BYTES;
    o->parse_timeout_us = LL_DEFAULT_PARSE_TIMEOUT_US;
    o->max_findings_per_file = LL_DEFAULT_MAX_FINDINGS_PER_FILE;
    o->stdin_fd = STDIN_FILENO;
}

void ll_scan_free(LLScan *s)
{
    if (!s)
        return;
    if (s->ran)
        ll_run_result_release(&s->run);
    ll_file_list_release(&s->files);
    ll_rule_scope_free(s->scope);
    ll_ruleset_free(s->rules);
    free(s->used);
    ll_config_cache_free(s->configs);
    ll_config_overrides_release(&s->no_overrides);
    ll_buf_release(&s->stdin_buf);
    for (size_t i = 0; i < s->notes.len; i++)
        free(s->notes.items[i]);
    LL_VEC_FREE(&s->notes);
    free(s->first_abs);
    free(s);
}

static void note(LLScan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(LLScan *s, const char *fmt, ...)
{
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    LL_VEC_PUSH(&s->notes, ll_buf_detach(&b));
}

static LLScan *scan_new(const LLScanOptions *o)
{
    LLScan *s = ll_xcalloc(1, sizeof *s);
    s->opts = *o;
    ll_config_overrides_init(&s->no_overrides);
    ll_buf_init(&s->stdin_buf);
    return s;
}

/* The paths to scan ("." when none); checks "-" is given at most once. */
static LLStatus scan_paths(const LLScan *s, const char *const **paths, size_t *n,
                           bool *stdin_used, LLError *err)
{
    static const char *const dot[] = {"."};
    *paths = s->opts.npaths ? s->opts.paths : dot;
    *n = s->opts.npaths ? s->opts.npaths : 1;
    *stdin_used = false;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*paths)[i], "-") != 0)
            continue;
        if (*stdin_used)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "'-' (standard input) given twice");
        *stdin_used = true;
    }
    if (s->opts.stdin_name && !*stdin_used)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--stdin-filename needs '-' among the paths");
    return LL_OK;
}

/* The settings for one path ("-": the stdin name's); *abs is its absolute
 * path (NULL for nameless stdin). */
static LLStatus settings_for_path(LLScan *s, const char *path, const LLSettings **out,
                                  char **abs, bool *is_file, LLError *err)
{
    const char *cwd = ll_config_cache_cwd(s->configs);
    char *dir;
    if (strcmp(path, "-") == 0) {
        *abs = s->opts.stdin_name ? ll_config_abspath(cwd, s->opts.stdin_name) : NULL;
        dir = *abs ? ll_config_dirname(*abs) : ll_xstrdup(cwd);
        *is_file = true;
    } else {
        *abs = ll_config_abspath(cwd, path);
        struct stat sb;
        bool is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
        dir = is_dir ? ll_xstrdup(*abs) : ll_config_dirname(*abs);
        *is_file = !is_dir;
    }
    LLStatus st = ll_config_for_dir(s->configs, dir, out, err);
    free(dir);
    return st;
}

/* Loads the built-in rules, --rules, and the rule directories of the used
 * configurations (each scoped to its configuration); enables a rule when
 * some used configuration that can see it selects it; finishes the ruleset
 * and builds the rule scope. */
static LLStatus load_rules(LLScan *s, LLError *err)
{
    LLRuleset *rs = s->rules = ll_ruleset_new();
    LLStatus st = s->opts.no_builtin_rules ? ll_ruleset_add_builtin_sources(rs, err)
                                           : ll_ruleset_add_builtin(rs, err);
    LL_VEC(char *) global = {0};
    for (size_t i = 0; st == LL_OK && i < s->opts.nrule_dirs; i++) {
        st = ll_ruleset_add_dir(rs, s->opts.rule_dirs[i], err);
        char *real = realpath(s->opts.rule_dirs[i], NULL);
        if (real)
            LL_VEC_PUSH(&global, real);
    }
    size_t ns = ll_config_cache_count(s->configs);
    for (size_t id = 0; st == LL_OK && id < ns; id++) {
        const LLSettings *set = ll_config_cache_get(s->configs, id);
        for (size_t j = 0; s->used[id] && st == LL_OK && j < set->rule_dirs.len; j++) {
            const char *dir = set->rule_dirs.items[j];
            char *real = realpath(dir, NULL);
            if (!real) {
                st = ll_error_set(err, LL_ERR_CONFIG, set->config_path, 0, 0,
                                  "rules directory %s: %s", dir, strerror(errno));
                break;
            }
            bool is_global = false;
            for (size_t g = 0; g < global.len; g++)
                is_global |= strcmp(global.items[g], real) == 0;
            free(real);
            int scope;
            if (!is_global)
                st = ll_ruleset_add_dir_scoped(rs, dir, &scope, err);
        }
    }
    for (size_t g = 0; g < global.len; g++)
        free(global.items[g]);
    LL_VEC_FREE(&global);
    if (st != LL_OK)
        return st;
    /* enabled: some used configuration that sees the rule selects it (the
     * dispatch tables ll_ruleset_finish builds hold enabled rules only) */
    LLRuleScope *all = ll_rule_scope_new(rs, s->configs, s->used);
    for (size_t r = 0; r < rs->nrules; r++) {
        bool on = false;
        for (size_t id = 0; id < ns && !on; id++) {
            if (!s->used[id])
                continue;
            const LLSettings *set = ll_config_cache_get(s->configs, id);
            LLFileEntry probe = {.settings = set};
            on = ll_rule_scope_known(all, (uint32_t)r, &probe) &&
                 ll_settings_selects(set, rs->rules[r].code);
        }
        rs->rules[r].enabled = on;
    }
    ll_rule_scope_free(all);
    ll_ruleset_finish(rs);
    s->scope = ll_rule_scope_new(rs, s->configs, s->used);
    return LL_OK;
}

static LLStatus open_configs(LLScan *s, LLError *err)
{
    const LLOverrides *ov = s->opts.cfg ? s->opts.cfg : &s->no_overrides;
    return ll_config_cache_new(&s->configs, ov, err);
}

LLStatus ll_scan_prepare(const LLScanOptions *o, LLScan **out, LLError *err)
{
    *out = NULL;
    LLScan *s = scan_new(o);
    const char *const *paths;
    size_t npaths;
    bool stdin_used;
    LLStatus st = scan_paths(s, &paths, &npaths, &stdin_used, err);
    if (st == LL_OK)
        st = open_configs(s, err);
    if (st == LL_OK) {
        s->first_path = paths[0];
        st = settings_for_path(s, paths[0], &s->first, &s->first_abs, &s->first_is_file, err);
    }
    if (st == LL_OK) {
        s->used = ll_xcalloc(ll_config_cache_count(s->configs) + 1, sizeof *s->used);
        s->used[s->first->id] = true;
        st = load_rules(s, err);
    }
    if (st != LL_OK) {
        ll_scan_free(s);
        return st;
    }
    *out = s;
    return LL_OK;
}

/* Drops the findings whose rule does not apply to their file (scope.h: the
 * same question the analysis asked) and those below the file's
 * min-severity. */
static void filter_findings(LLScan *s)
{
    LLRunResult *run = &s->run;
    size_t kept = 0;
    for (size_t i = 0; i < run->findings.len; i++) {
        LLFinding *f = &run->findings.items[i];
        const LLFileEntry *fe = f->file < s->files.files.len ? &s->files.files.items[f->file] : NULL;
        bool keep = !fe || (ll_rule_scope_applies(s->scope, f->rule, fe) &&
                            (!fe->settings || f->severity >= fe->settings->min_severity));
        if (keep)
            run->findings.items[kept++] = *f;
        else
            ll_finding_release(f);
    }
    run->findings.len = kept;
}

/* Findings the baseline knows are not reported. */
static void apply_baseline(LLScan *s, const LLBaseline *b)
{
    LLRunResult *run = &s->run;
    LLReport rep = {s->rules, &s->files, run, false, NULL, false};
    bool *known = ll_xcalloc(run->findings.len + 1, sizeof *known);
    ll_baseline_filter(b, &rep, known);
    size_t keep = 0;
    for (size_t i = 0; i < run->findings.len; i++) {
        if (known[i]) {
            ll_finding_release(&run->findings.items[i]);
            s->baselined++;
        } else {
            run->findings.items[keep++] = run->findings.items[i];
        }
    }
    run->findings.len = keep;
    free(known);
}

LLStatus ll_scan_run(const LLScanOptions *o, LLScan **out, LLError *err)
{
    *out = NULL;
    LLScan *s = scan_new(o);
    LLBaseline *baseline = NULL;
    LLSyntax syn = {0};
    bool have_syntax = false;
    const char *const *paths;
    size_t npaths;
    bool stdin_used;
    LLStatus st = scan_paths(s, &paths, &npaths, &stdin_used, err);
    if (st == LL_OK)
        st = open_configs(s, err);
    if (st == LL_OK) {
        LLDiscoverOptions d = {s->configs, o->stdin_name, o->cfg && o->cfg->force_exclude,
                               o->verbose, !o->no_artifacts};
        st = ll_discover_ex(paths, npaths, &d, &s->files, err);
    }
    if (st != LL_OK)
        goto fail;
    for (size_t i = 0; o->verbose && i < s->files.notes.len; i++)
        note(s, "%s", s->files.notes.items[i]);
    size_t ns = ll_config_cache_count(s->configs);
    s->used = ll_xcalloc(ns + 1, sizeof *s->used);
    for (size_t i = 0; i < s->files.files.len; i++)
        if (s->files.files.items[i].settings)
            s->used[s->files.files.items[i].settings->id] = true;
    if (!s->files.files.len) { /* still a meaningful rule list (SARIF) */
        const LLSettings *first;
        char *abs = NULL;
        bool is_file;
        st = settings_for_path(s, paths[0], &first, &abs, &is_file, err);
        free(abs);
        if (st != LL_OK)
            goto fail;
        free(s->used);
        s->used = ll_xcalloc(ll_config_cache_count(s->configs) + 1, sizeof *s->used);
        s->used[first->id] = true;
    }
    for (size_t i = 0; o->verbose && i < ll_config_cache_count(s->configs); i++) {
        const LLSettings *set = ll_config_cache_get(s->configs, i);
        if (i < ns && s->used[i] && set->config_path)
            note(s, "using the configuration file %s", set->config_path);
    }
    if ((st = load_rules(s, err)) != LL_OK)
        goto fail;
    if (ll_syntax_init(&syn, ll_syntax_python()) != 0) {
        st = ll_error_set(err, LL_ERR_LIMIT, NULL, 0, 0,
                          "internal error: the Python grammar lacks a node kind or field loadlint needs");
        goto fail;
    }
    have_syntax = true;
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = o->jobs;
    ro.max_file_bytes = o->max_file_bytes;
    ro.parse_timeout_us = o->parse_timeout_us;
    ro.max_findings_per_file = o->max_findings_per_file;
    ro.no_prefilter = o->no_prefilter;
    ro.report_unused_suppressions = o->report_unused_suppressions;
    ro.scope = s->scope;
    if (stdin_used) {
        if ((st = ll_source_read_fd(o->stdin_fd, "<stdin>", o->max_file_bytes, &s->stdin_buf,
                                    err)) != LL_OK)
            goto fail;
        ro.stdin_text = s->stdin_buf.data;
        ro.stdin_len = s->stdin_buf.len;
    }
    if (o->baseline && (st = ll_baseline_load(o->baseline, &baseline, err)) != LL_OK)
        goto fail;
    ll_run(s->rules, &syn, &s->files, &ro, &s->run);
    s->ran = true;
    filter_findings(s);
    /* discovery problems are problems of the run too */
    for (size_t i = 0; i < s->files.errors.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_ERROR, 0, 0, ll_xstrdup(s->files.errors.items[i])};
        LL_VEC_PUSH(&s->run.diags, d);
    }
    for (size_t i = 0; i < s->files.warnings.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_WARNING, 0, 0, ll_xstrdup(s->files.warnings.items[i])};
        LL_VEC_PUSH(&s->run.diags, d);
    }
    /* occurrence numbers count what is reported, suppressed findings too */
    ll_findings_fingerprint(s->run.findings.items, s->run.findings.len, s->rules);
    if (baseline)
        apply_baseline(s, baseline);
    ll_baseline_free(baseline);
    ll_syntax_release(&syn);
    *out = s;
    return LL_OK;
fail:
    ll_baseline_free(baseline);
    if (have_syntax)
        ll_syntax_release(&syn);
    ll_scan_free(s);
    return st;
}

void ll_scan_counts(const LLScan *s, LLScanCounts *c)
{
    memset(c, 0, sizeof *c);
    c->baselined = s->baselined;
    if (!s->ran)
        return;
    for (size_t i = 0; i < s->run.findings.len; i++) {
        const LLFinding *f = &s->run.findings.items[i];
        if (f->suppressed) {
            c->suppressed++;
            continue;
        }
        c->findings++;
        c->by_severity[f->severity]++;
        c->failing++;
    }
    for (size_t i = 0; i < s->run.diags.len; i++) {
        if (s->run.diags.items[i].kind == LL_DIAG_ERROR)
            c->errors++;
        else
            c->warnings++;
    }
    c->files = s->run.files_scanned;
    c->parsed = s->run.files_parsed;
}

size_t ll_scan_note_count(const LLScan *s)
{
    return s->notes.len;
}

const char *ll_scan_note(const LLScan *s, size_t i)
{
    return i < s->notes.len ? s->notes.items[i] : NULL;
}

/* ---- writing --------------------------------------------------------------- */

static const struct {
    const char *name;
    LLFormat fmt;
} format_names[] = {
    {"text", LL_FMT_TEXT},   {"concise", LL_FMT_TEXT}, {"json", LL_FMT_JSON},
    {"sarif", LL_FMT_SARIF}, {"github", LL_FMT_GITHUB},
};

bool ll_format_parse(const char *name, LLFormat *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++) {
        if (strcmp(name, format_names[i].name) == 0) {
            *out = format_names[i].fmt;
            return true;
        }
    }
    return false;
}

const char *ll_format_names(void)
{
    return "text (alias concise), json, sarif or github";
}

typedef void (*Writer)(LLBuf *out, const LLReport *r);
/* One writer per format (report/report.h), indexed by LLFormat. */
static const Writer writers[LL_FMT__COUNT] = {
    [LL_FMT_TEXT] = ll_report_text,
    [LL_FMT_JSON] = ll_report_json,
    [LL_FMT_SARIF] = ll_report_sarif,
    [LL_FMT_GITHUB] = ll_report_github,
};

static const char *format_name(LLFormat f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (format_names[i].fmt == f)
            return format_names[i].name;
    return "?";
}

LLStatus ll_scan_write(const LLScan *s, LLFormat fmt, const LLWriteOptions *wo, LLBuf *out,
                       LLError *err)
{
    if ((unsigned)fmt >= LL_FMT__COUNT)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "unknown output format");
    LLReport rep = {s->rules, &s->files, &s->run, wo->color, wo->sarif_category,
                    wo->include_suppressed};
    if (wo->statistics) {
        if (fmt != LL_FMT_TEXT && fmt != LL_FMT_JSON)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "--statistics prints text or json, not %s", format_name(fmt));
        ll_report_statistics(out, &rep, fmt == LL_FMT_JSON);
        return LL_OK;
    }
    writers[fmt](out, &rep);
    return LL_OK;
}

void ll_scan_write_baseline(const LLScan *s, LLBuf *out)
{
    LLReport rep = {s->rules, &s->files, &s->run, false, NULL, false};
    ll_baseline_write(out, &rep);
}

void ll_scan_write_diagnostics(const LLScan *s, bool quiet, LLBuf *out)
{
    for (size_t i = 0; s->ran && i < s->run.diags.len; i++) {
        const LLDiag *d = &s->run.diags.items[i];
        if (quiet && d->kind != LL_DIAG_ERROR)
            continue;
        /* names and messages come from the scanned tree: escape control
         * characters so that they cannot forge lines or drive the terminal */
        ll_buf_puts(out, "loadlint: ");
        if (d->file != UINT32_MAX) {
            const char *name = s->files.files.items[d->file].display;
            ll_escape_controls(out, name, strlen(name));
            if (d->line)
                ll_buf_printf(out, ":%u:%u", d->line, d->col);
            ll_buf_puts(out, ": ");
        }
        ll_buf_printf(out, "%s: ", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        ll_escape_controls(out, d->message, strlen(d->message));
        ll_buf_putc(out, '\n');
    }
}

void ll_scan_write_summary(const LLScan *s, LLFormat fmt, bool statistics, LLBuf *out)
{
    LLScanCounts c;
    ll_scan_counts(s, &c);
    if (fmt == LL_FMT_SARIF && !statistics && c.findings > LL_SARIF_MAX_RESULTS)
        ll_buf_printf(out,
                      "loadlint: warning: the SARIF report holds the %u most severe of %zu findings "
                      "(GitHub rejects more per run)\n",
                      LL_SARIF_MAX_RESULTS, c.findings);
    ll_buf_printf(out, "loadlint: %zu finding%s (%zu error, %zu warning, %zu note) in %zu file%s",
                  c.findings, c.findings == 1 ? "" : "s", c.by_severity[LL_SEV_ERROR],
                  c.by_severity[LL_SEV_WARNING], c.by_severity[LL_SEV_NOTE], c.files,
                  c.files == 1 ? "" : "s");
    if (c.parsed != c.files)
        ll_buf_printf(out, " (%zu parsed, the others cannot hold a finding)", c.parsed);
    if (c.suppressed)
        ll_buf_printf(out, "; %zu suppressed", c.suppressed);
    if (c.baselined)
        ll_buf_printf(out, "; %zu in the baseline", c.baselined);
    ll_buf_putc(out, '\n');
}

/* ---- rules and settings -------------------------------------------------------- */

void ll_scan_list_rules(const LLScan *s, LLFormat fmt, LLBuf *out)
{
    ll_report_rule_list(out, s->rules, fmt == LL_FMT_JSON);
}

bool ll_scan_explain(const LLScan *s, const char *code, LLBuf *out)
{
    const LLRule *r = ll_ruleset_find(s->rules, code);
    if (!r)
        return false;
    ll_report_rule_markdown(out, r);
    return true;
}

void ll_scan_show_settings(const LLScan *s, LLBuf *out)
{
    const char *path = s->first_path ? s->first_path : ".";
    const LLSettings *set = s->first;
    if (!set)
        return;
    ll_buf_puts(out, "# loadlint settings for ");
    ll_escape_controls(out, path, strlen(path));
    ll_buf_putc(out, '\n');
    ll_settings_print(set, out);
    ll_buf_puts(out, "enabled-rules = [");
    size_t n = 0;
    LLFileEntry probe = {.settings = set, .abs = s->first_is_file ? s->first_abs : NULL};
    for (size_t i = 0; i < s->rules->nrules; i++) {
        if (!ll_rule_scope_applies(s->scope, (uint32_t)i, &probe))
            continue;
        ll_buf_printf(out, "%s\"%s\"", n++ ? ", " : "", s->rules->rules[i].code);
    }
    ll_buf_puts(out, "]\n");
    struct stat sb;
    bool is_stdin = strcmp(path, "-") == 0;
    bool exists = is_stdin || stat(path, &sb) == 0;
    if (!s->first_is_file || !exists || (is_stdin && !s->opts.stdin_name))
        return;
    /* a named file is excluded only with --force-exclude: ask as if given */
    LLFileList probe_list = {0};
    LLDiscoverOptions d = {s->configs, s->opts.stdin_name, true, true, !s->opts.no_artifacts};
    const char *const one[] = {path};
    LLError err;
    if (ll_discover_ex(one, 1, &d, &probe_list, &err) == LL_OK && !probe_list.files.len &&
        probe_list.notes.len) {
        ll_buf_puts(out, "excluded = true  # ");
        ll_escape_controls(out, probe_list.notes.items[0], strlen(probe_list.notes.items[0]));
        ll_buf_puts(out, s->opts.cfg && s->opts.cfg->force_exclude
                             ? "\n"
                             : " (applies when walked, or with --force-exclude)\n");
    } else {
        ll_buf_puts(out, "excluded = false\n");
    }
    ll_file_list_release(&probe_list);
}

void ll_version_long(LLBuf *out)
{
    ll_buf_printf(out, "loadlint %s (%s, %s)\n", LL_VERSION, LL_GRAMMAR_PYTHON, LL_GRAMMAR_TOML);
}
