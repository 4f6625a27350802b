/* main.c - argv -> options -> settings -> files -> rules -> run -> filter
 * -> report -> exit code.
 *
 * One ruleset serves the whole run: a rule is enabled when the settings of
 * some scanned file select it. Per-file selection, per-file-ignores and
 * min-severity are applied afterwards, to each file's findings
 * (filter_findings). No analysis here; every failure path goes through
 * `out:`. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/status.h"
#include "base/strmap.h"
#include "base/text.h"
#include "cli/options.h"
#include "config/config.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "report/baseline.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

static void print_error(const LLError *err)
{
    char msg[LL_ERROR_MSG_MAX + LL_ERROR_FILE_MAX + 64];
    ll_error_format(err, msg, sizeof msg);
    fprintf(stderr, "loadlint: %s\n", msg);
}

static bool want_color(const LLOptions *o)
{
    if (o->format != LL_FMT_TEXT || o->output)
        return false;
    if (o->color == LL_COLOR_ALWAYS)
        return true;
    if (o->color == LL_COLOR_NEVER)
        return false;
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(STDOUT_FILENO);
}

static bool write_all(FILE *f, const LLBuf *b)
{
    return fwrite(b->data, 1, b->len, f) == b->len;
}

/* Writes the report to `path` through a temporary file and rename(), so a
 * reader never sees half a report. */
static bool write_file(const char *path, const LLBuf *b, LLError *err)
{
    /* mkstemp in the target's directory: an unpredictable name, created
     * exclusively (no symlink is followed), then renamed over the target */
    LLBuf tmp;
    ll_buf_init(&tmp);
    ll_buf_printf(&tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp.data);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (fd >= 0 && !f)
        close(fd);
    bool ok = f && write_all(f, b);
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && chmod(tmp.data, 0644) != 0)
        ok = false;
    if (ok && rename(tmp.data, path) != 0)
        ok = false;
    if (!ok) {
        ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot write the report: %s",
                     strerror(errno));
        if (fd >= 0)
            unlink(tmp.data);
    }
    ll_buf_release(&tmp);
    return ok;
}

static void list_rules(const LLRuleset *rs, LLBuf *out)
{
    for (size_t i = 0; i < rs->nrules; i++) {
        const LLRule *r = &rs->rules[i];
        if (!r->enabled)
            continue;
        ll_buf_printf(out, "%s\t%s\t%s\t%s\n", r->code, r->name,
                      ll_severity_name(r->severity), r->summary);
    }
}

/* Rules from a configuration file's `rules` directories apply only to the
 * files under that configuration; built-in rules and --rules apply to all. */
typedef struct RuleScope {
    LL_VEC(char *) dirs; /* realpath of each configuration rule directory */
    int *origin;         /* per rule once finished: index in dirs, -1: global */
    bool *avail;         /* [settings id * dirs.len + dir] */
} RuleScope;

static void rule_scope_release(RuleScope *sc)
{
    for (size_t i = 0; i < sc->dirs.len; i++)
        free(sc->dirs.items[i]);
    LL_VEC_FREE(&sc->dirs);
    free(sc->origin);
    free(sc->avail);
}

static bool rule_available(const RuleScope *sc, size_t rule, const LLSettings *s)
{
    int o = sc->origin ? sc->origin[rule] : -1;
    return o < 0 || !s || sc->avail[s->id * sc->dirs.len + (size_t)o];
}

/* Loads the built-in rules, --rules and the rule directories of the used
 * settings (used[id]); enables a rule when some used settings select it;
 * finishes the ruleset. */
static LLStatus load_rules(const LLOptions *o, const LLConfigCache *cc, const bool *used,
                           LLRuleset *rs, RuleScope *sc, LLError *err)
{
    LLStatus st = LL_OK;
    st = o->no_builtin ? ll_ruleset_add_builtin_sources(rs, err) : ll_ruleset_add_builtin(rs, err);
    LL_VEC(char *) global = {0};
    for (size_t i = 0; st == LL_OK && i < o->rule_dirs.len; i++) {
        st = ll_ruleset_add_dir(rs, o->rule_dirs.items[i], err);
        char *real = realpath(o->rule_dirs.items[i], NULL);
        if (real)
            LL_VEC_PUSH(&global, real);
    }
    size_t ns = ll_config_cache_count(cc);
    LL_VEC(size_t) pairs = {0}; /* settings id, dir index */
    LLStrMap code_dir;          /* rule code -> dir index + 1 */
    ll_strmap_init(&code_dir);
    for (size_t id = 0; st == LL_OK && id < ns; id++) {
        const LLSettings *s = ll_config_cache_get(cc, id);
        for (size_t j = 0; used[id] && st == LL_OK && j < s->rule_dirs.len; j++) {
            const char *dir = s->rule_dirs.items[j];
            char *real = realpath(dir, NULL);
            if (!real) {
                st = ll_error_set(err, LL_ERR_CONFIG, s->config_path, 0, 0,
                                  "rules directory %s: %s", dir, strerror(errno));
                break;
            }
            bool is_global = false;
            for (size_t g = 0; g < global.len; g++)
                is_global |= strcmp(global.items[g], real) == 0;
            size_t idx = 0;
            while (idx < sc->dirs.len && strcmp(sc->dirs.items[idx], real) != 0)
                idx++;
            if (is_global) {
                free(real);
                continue;
            }
            if (idx == sc->dirs.len) {
                size_t before = rs->nrules;
                st = ll_ruleset_add_dir(rs, dir, err);
                for (size_t r = before; st == LL_OK && r < rs->nrules; r++)
                    ll_strmap_put(&code_dir, rs->rules[r].code, strlen(rs->rules[r].code),
                                  (intptr_t)idx + 1);
                LL_VEC_PUSH(&sc->dirs, real);
            } else {
                free(real);
            }
            LL_VEC_PUSH(&pairs, id);
            LL_VEC_PUSH(&pairs, idx);
        }
    }
    if (st == LL_OK) {
        sc->avail = ll_xcalloc(ns * sc->dirs.len + 1, sizeof *sc->avail);
        for (size_t i = 0; i + 1 < pairs.len; i += 2)
            sc->avail[pairs.items[i] * sc->dirs.len + pairs.items[i + 1]] = true;
        for (size_t i = 0; i < rs->nrules; i++) {
            LLRule *r = &rs->rules[i];
            intptr_t v = 0;
            int origin = ll_strmap_get(&code_dir, r->code, strlen(r->code), &v) ? (int)v - 1 : -1;
            r->enabled = false;
            for (size_t id = 0; id < ns && !r->enabled; id++) {
                const LLSettings *s = ll_config_cache_get(cc, id);
                if (used[id] && (origin < 0 || sc->avail[id * sc->dirs.len + (size_t)origin]))
                    r->enabled = ll_settings_selects(s, r->code);
            }
        }
        ll_ruleset_finish(rs);
        sc->origin = ll_xcalloc(rs->nrules + 1, sizeof *sc->origin);
        for (size_t i = 0; i < rs->nrules; i++) {
            intptr_t v = 0;
            const char *code = rs->rules[i].code;
            sc->origin[i] = ll_strmap_get(&code_dir, code, strlen(code), &v) ? (int)v - 1 : -1;
        }
    }
    ll_strmap_release(&code_dir);
    LL_VEC_FREE(&pairs);
    for (size_t g = 0; g < global.len; g++)
        free(global.items[g]);
    LL_VEC_FREE(&global);
    return st;
}

/* Drops the findings that the settings of their file do not want: rules it
 * does not select or has no access to, per-file-ignores, min-severity. */
static void filter_findings(LLRunResult *run, const LLFileList *files, const RuleScope *sc,
                            const LLRuleset *rs)
{
    size_t kept = 0;
    for (size_t i = 0; i < run->findings.len; i++) {
        LLFinding *f = &run->findings.items[i];
        const LLFileEntry *fe = f->file < files->files.len ? &files->files.items[f->file] : NULL;
        const LLSettings *s = fe ? fe->settings : NULL;
        bool keep = !s || (rule_available(sc, f->rule, s) &&
                           ll_settings_enables(s, rs->rules[f->rule].code, fe->abs) &&
                           f->severity >= s->min_severity);
        if (keep)
            run->findings.items[kept++] = *f;
        else
            ll_finding_release(f);
    }
    run->findings.len = kept;
}

/* The settings for one command-line path ("-": the --stdin-filename);
 * *abs is its absolute path (NULL for nameless stdin). */
static LLStatus settings_for_path(LLConfigCache *cc, const char *path, const char *stdin_name,
                                  const LLSettings **s, char **abs, bool *is_file, LLError *err)
{
    const char *cwd = ll_config_cache_cwd(cc);
    char *dir;
    if (strcmp(path, "-") == 0) {
        *abs = stdin_name ? ll_config_abspath(cwd, stdin_name) : NULL;
        dir = *abs ? ll_config_dirname(*abs) : ll_xstrdup(cwd);
        *is_file = true;
    } else {
        *abs = ll_config_abspath(cwd, path);
        struct stat sb;
        bool is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
        dir = is_dir ? ll_xstrdup(*abs) : ll_config_dirname(*abs);
        *is_file = !is_dir;
    }
    LLStatus st = ll_config_for_dir(cc, dir, s, err);
    free(dir);
    return st;
}

/* --show-settings: the settings for `path` as TOML, with the rules enabled
 * for it and, for a file, whether it is excluded. */
static void show_settings(LLBuf *out, const LLSettings *s, const char *path, const char *abs,
                          bool is_file, const LLRuleset *rs, const RuleScope *sc,
                          const LLOptions *o, LLConfigCache *cc)
{
    LLBuf esc;
    ll_buf_init(&esc);
    ll_escape_controls(&esc, path, strlen(path));
    ll_buf_printf(out, "# loadlint settings for %s\n", esc.data);
    ll_buf_release(&esc);
    ll_settings_print(s, out);
    ll_buf_puts(out, "enabled-rules = [");
    size_t n = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        const LLRule *r = &rs->rules[i];
        if (!rule_available(sc, i, s) || !ll_settings_enables(s, r->code, is_file ? abs : NULL))
            continue;
        ll_buf_printf(out, "%s\"%s\"", n++ ? ", " : "", r->code);
    }
    ll_buf_puts(out, "]\n");
    struct stat sb;
    bool exists = strcmp(path, "-") == 0 || stat(path, &sb) == 0;
    if (!is_file || !exists || (strcmp(path, "-") == 0 && !o->stdin_filename))
        return;
    /* a named file is excluded only with --force-exclude: ask as if given */
    LLFileList probe = {0};
    LLDiscoverOptions d = {cc, o->stdin_filename, true, true};
    const char *const one[] = {path};
    LLError err;
    if (ll_discover_ex(one, 1, &d, &probe, &err) == LL_OK && !probe.files.len && probe.notes.len) {
        ll_buf_puts(out, "excluded = true  # ");
        ll_escape_controls(out, probe.notes.items[0], strlen(probe.notes.items[0]));
        ll_buf_puts(out, o->cfg.force_exclude ? "\n" : " (applies when walked, or with --force-exclude)\n");
    } else {
        ll_buf_puts(out, "excluded = false\n");
    }
    ll_file_list_release(&probe);
}

int main(int argc, char **argv)
{
    int status = EXIT_ERROR;
    LLOptions opts;
    LLError err;
    LLRuleset *rules = NULL;
    LLConfigCache *configs = NULL;
    RuleScope scope = {0};
    bool *used = NULL;
    LLSyntax syn = {0};
    LLFileList files = {0};
    LLRunResult run = {0};
    LLBaseline *baseline = NULL;
    /* Parse trees and their stacks come and go, file after file: large
     * blocks are mapped and given back when freed. glibc would otherwise
     * raise this threshold after the first large free and keep such blocks
     * in the heap, where peak memory then grows with the run. */
    mallopt(M_MMAP_THRESHOLD, LL_MALLOC_MMAP_THRESHOLD);
    LLBuf out, stdin_buf;
    ll_buf_init(&out);
    ll_buf_init(&stdin_buf);
    bool have_syntax = false, have_run = false;
    memset(&err, 0, sizeof err);

    ll_options_init(&opts);
    if (ll_options_parse(&opts, argc, argv, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    if (opts.help) {
        fputs(ll_options_usage(), stdout);
        status = EXIT_CLEAN;
        goto out;
    }
    if (opts.version) {
        printf("loadlint %s\n", LL_VERSION);
        status = EXIT_CLEAN;
        goto out;
    }

    if (ll_config_cache_new(&configs, &opts.cfg, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    const char *dot = ".";
    const char *const *paths = opts.paths.len ? opts.paths.items : &dot;
    size_t npaths = opts.paths.len ? opts.paths.len : 1;
    bool stdin_used = false;
    for (size_t i = 0; i < npaths; i++) {
        if (strcmp(paths[i], "-") == 0) {
            if (stdin_used) {
                fputs("loadlint: '-' (standard input) given twice\n", stderr);
                goto out;
            }
            stdin_used = true;
        }
    }
    if (opts.stdin_filename && !stdin_used) {
        fputs("loadlint: --stdin-filename needs '-' among the paths\n", stderr);
        goto out;
    }

    rules = ll_ruleset_new();
    if (opts.explain || opts.list_rules || opts.show_settings) {
        /* the settings of the first path decide */
        const LLSettings *first;
        char *abs = NULL;
        bool is_file;
        LLStatus st = settings_for_path(configs, paths[0], opts.stdin_filename, &first, &abs,
                                        &is_file, &err);
        if (st == LL_OK) {
            used = ll_xcalloc(ll_config_cache_count(configs) + 1, sizeof *used);
            used[first->id] = true;
            st = load_rules(&opts, configs, used, rules, &scope, &err);
        }
        if (st != LL_OK) {
            free(abs);
            print_error(&err);
            goto out;
        }
        if (opts.show_settings && !opts.explain && !opts.list_rules) {
            show_settings(&out, first, paths[0], abs, is_file, rules, &scope, &opts, configs);
            free(abs);
            fputs(out.data, stdout);
            status = EXIT_CLEAN;
            goto out;
        }
        free(abs);
    }
    if (opts.explain) {
        const LLRule *r = ll_ruleset_find(rules, opts.explain);
        if (!r) {
            fprintf(stderr, "loadlint: --explain: no rule %s (see loadlint --list-rules)\n",
                    opts.explain);
            goto out;
        }
        ll_report_rule_markdown(&out, r);
        fputs(out.data, stdout);
        status = EXIT_CLEAN;
        goto out;
    }
    if (opts.list_rules) {
        list_rules(rules, &out);
        fputs(out.data, stdout);
        status = EXIT_CLEAN;
        goto out;
    }

    LLDiscoverOptions dopt = {configs, opts.stdin_filename, opts.cfg.force_exclude, opts.verbose};
    if (ll_discover_ex(paths, npaths, &dopt, &files, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    for (size_t i = 0; opts.verbose && i < files.notes.len; i++)
        fprintf(stderr, "loadlint: note: %s\n", files.notes.items[i]);
    used = ll_xcalloc(ll_config_cache_count(configs) + 1, sizeof *used);
    for (size_t i = 0; i < files.files.len; i++)
        if (files.files.items[i].settings)
            used[files.files.items[i].settings->id] = true;
    if (!files.files.len) { /* still a meaningful rule list (SARIF) */
        const LLSettings *first;
        char *abs = NULL;
        bool is_file;
        LLStatus st = settings_for_path(configs, paths[0], opts.stdin_filename, &first, &abs, &is_file, &err);
        free(abs);
        if (st != LL_OK) {
            print_error(&err);
            goto out;
        }
        free(used);
        used = ll_xcalloc(ll_config_cache_count(configs) + 1, sizeof *used);
        used[first->id] = true;
    }
    for (size_t i = 0; opts.verbose && i < ll_config_cache_count(configs); i++) {
        const LLSettings *s = ll_config_cache_get(configs, i);
        if (used[i] && s->config_path)
            fprintf(stderr, "loadlint: note: using the configuration file %s\n", s->config_path);
    }
    if (load_rules(&opts, configs, used, rules, &scope, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }

    if (ll_syntax_init(&syn, ll_syntax_python()) != 0) {
        fputs("loadlint: internal error: the Python grammar lacks a node kind or field loadlint needs\n",
              stderr);
        goto out;
    }
    have_syntax = true;

    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = opts.jobs;
    ro.max_file_bytes = opts.max_file_bytes;
    ro.parse_timeout_us = opts.parse_timeout_us;
    ro.max_findings_per_file = opts.max_findings_per_file;
    ro.no_prefilter = opts.no_prefilter;

    if (stdin_used) {
        if (ll_source_read_fd(STDIN_FILENO, "<stdin>", opts.max_file_bytes, &stdin_buf, &err) != LL_OK) {
            print_error(&err);
            goto out;
        }
        ro.stdin_text = stdin_buf.data;
        ro.stdin_len = stdin_buf.len;
    }

    if (opts.baseline && ll_baseline_load(opts.baseline, &baseline, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    ro.report_unused_suppressions = opts.report_unused;
    ll_run(rules, &syn, &files, &ro, &run);
    have_run = true;
    filter_findings(&run, &files, &scope, rules);
    /* discovery problems are problems of the run too */
    for (size_t i = 0; i < files.errors.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_ERROR, 0, 0, strdup(files.errors.items[i])};
        LL_VEC_PUSH(&run.diags, d);
    }
    for (size_t i = 0; i < files.warnings.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_WARNING, 0, 0, strdup(files.warnings.items[i])};
        LL_VEC_PUSH(&run.diags, d);
    }

    LLReport rep = {rules, &files, &run, want_color(&opts), opts.sarif_category,
                    opts.show_suppressed};
    if (opts.write_baseline) {
        LLBuf base;
        ll_buf_init(&base);
        ll_baseline_write(&base, &rep);
        bool ok = write_file(opts.write_baseline, &base, &err);
        ll_buf_release(&base);
        if (!ok) {
            print_error(&err);
            goto out;
        }
    }
    size_t known = 0;
    if (baseline) {
        /* findings recorded in the baseline are known: not reported */
        bool *is_known = ll_xcalloc(run.findings.len + 1, sizeof *is_known);
        ll_baseline_filter(baseline, &rep, is_known);
        size_t keep = 0;
        for (size_t i = 0; i < run.findings.len; i++) {
            if (is_known[i]) {
                ll_finding_release(&run.findings.items[i]);
                known++;
            } else {
                run.findings.items[keep++] = run.findings.items[i];
            }
        }
        run.findings.len = keep;
        free(is_known);
    }
    if (opts.statistics) {
        ll_report_statistics(&out, &rep, opts.format == LL_FMT_JSON);
    } else {
        switch (opts.format) {
        case LL_FMT_JSON: ll_report_json(&out, &rep); break;
        case LL_FMT_SARIF: ll_report_sarif(&out, &rep); break;
        case LL_FMT_GITHUB: ll_report_github(&out, &rep); break;
        default: ll_report_text(&out, &rep); break;
        }
    }

    bool io_error = false;
    if (opts.output) {
        if (!write_file(opts.output, &out, &err)) {
            print_error(&err);
            io_error = true;
        }
    } else if (!write_all(stdout, &out) || fflush(stdout) != 0) {
        fprintf(stderr, "loadlint: cannot write to standard output: %s\n", strerror(errno));
        io_error = true;
    }

    size_t counts[3] = {0}, shown = 0, errors = 0, suppressed = 0;
    for (size_t i = 0; i < run.findings.len; i++) {
        if (run.findings.items[i].suppressed) {
            suppressed++;
            continue;
        }
        counts[run.findings.items[i].severity]++;
        shown++;
    }
    for (size_t i = 0; i < run.diags.len; i++) {
        const LLDiag *d = &run.diags.items[i];
        errors += d->kind == LL_DIAG_ERROR;
        if (opts.quiet && d->kind != LL_DIAG_ERROR)
            continue;
        LLBuf line;
        ll_buf_init(&line);
        /* names and messages come from the scanned tree: escape control
         * characters so that they cannot forge lines or drive the terminal */
        if (d->file != UINT32_MAX) {
            const char *name = files.files.items[d->file].display;
            ll_escape_controls(&line, name, strlen(name));
            if (d->line)
                ll_buf_printf(&line, ":%u:%u", d->line, d->col);
            ll_buf_puts(&line, ": ");
        }
        ll_buf_printf(&line, "%s: ", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        ll_escape_controls(&line, d->message, strlen(d->message));
        ll_buf_putc(&line, '\n');
        fprintf(stderr, "loadlint: %s", line.data);
        ll_buf_release(&line);
    }
    if (opts.format == LL_FMT_SARIF && !opts.statistics && shown > LL_SARIF_MAX_RESULTS)
        fprintf(stderr, "loadlint: warning: the SARIF report holds the %u most severe of %zu findings "
                        "(GitHub rejects more per run)\n",
                LL_SARIF_MAX_RESULTS, shown);
    if (!opts.quiet) {
        fprintf(stderr, "loadlint: %zu finding%s (%zu error, %zu warning, %zu note) in %zu file%s",
                shown, shown == 1 ? "" : "s", counts[LL_SEV_ERROR], counts[LL_SEV_WARNING],
                counts[LL_SEV_NOTE], run.files_scanned, run.files_scanned == 1 ? "" : "s");
        if (run.files_parsed != run.files_scanned)
            fprintf(stderr, " (%zu parsed, the others cannot hold a finding)", run.files_parsed);
        if (suppressed)
            fprintf(stderr, "; %zu suppressed", suppressed);
        if (known)
            fprintf(stderr, "; %zu in the baseline", known);
        fputc('\n', stderr);
    }
    if (errors || io_error)
        status = EXIT_ERROR;
    else if (shown && !opts.exit_zero)
        status = EXIT_FINDINGS;
    else
        status = EXIT_CLEAN;

out:
    ll_baseline_free(baseline);
    if (have_run)
        ll_run_result_release(&run);
    ll_file_list_release(&files);
    if (have_syntax)
        ll_syntax_release(&syn);
    ll_ruleset_free(rules);
    rule_scope_release(&scope);
    free(used);
    ll_config_cache_free(configs);
    ll_options_release(&opts);
    ll_buf_release(&out);
    ll_buf_release(&stdin_buf);
    return status;
}
