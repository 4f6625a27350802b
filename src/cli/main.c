/* main.c - argv -> options -> ll_scan_run -> writers -> exit status.
 *
 * No analysis, no filtering, no settings logic here (loadlint.h owns the
 * run): this file maps arguments, writes what the library produced to
 * standard output, standard error or --output, and turns the counts into
 * the exit status. Every failure path goes through `out:`.
 *
 * With --diff, standard output (or --output) gets the diff instead of the
 * report, and the status is 1 when the diff is not empty (Ruff's --diff).
 * With --fix on standard input, standard output gets the fixed text (what
 * editors replace their buffer with) and the report goes to standard
 * error (or --output). */
#include "cli/options.h"
#include "cli/progress.h"
#include "loadlint.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/limits.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The exit status, a contract with pre-commit and CI. */
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

/* Writes `b` to `path` through a temporary file and rename(), so a reader
 * never sees half a report. */
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
        ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
        if (fd >= 0)
            unlink(tmp.data);
    }
    ll_buf_release(&tmp);
    return ok;
}

/* Appends `a` as a shell word (quoted when it needs to be). */
static void shell_word(LLBuf *out, const char *a)
{
    bool plain = *a != '\0';
    for (const char *c = a; *c; c++)
        plain &= strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%", *c) != NULL;
    if (plain) {
        ll_buf_puts(out, a);
        return;
    }
    ll_buf_putc(out, '\'');
    for (const char *c = a; *c; c++) {
        if (*c == '\'')
            ll_buf_puts(out, "'\\''");
        else if ((unsigned char)*c < 0x20 || *c == 0x7F)
            ll_buf_putc(out, '?');
        else
            ll_buf_putc(out, *c);
    }
    ll_buf_putc(out, '\'');
}

/* Ruff's and others' subcommands, and what loadlint does instead. */
static const struct {
    const char *word;
    const char *instead; /* replaces the word; "" drops it; NULL: no such thing */
} subcommands[] = {
    {"check", ""},          {"lint", ""},       {"scan", ""},   {"rule", "--explain"},
    {"explain", "--explain"}, {"version", "--version"}, {"help", "--help"},
    {"config", "--show-settings"}, {"format", NULL}, {"server", NULL}, {"clean", NULL},
};

/* `loadlint check .` where no path "check" exists: a usage error naming the
 * command that does it (true), instead of "check: no such file". */
static bool subcommand_error(const LLOptions *o, int argc, char **argv, LLError *err)
{
    if (!o->paths.len)
        return false;
    const char *first = o->paths.items[0];
    size_t k = 0, n = sizeof subcommands / sizeof *subcommands;
    while (k < n && strcmp(subcommands[k].word, first) != 0)
        k++;
    struct stat sb;
    if (k == n || lstat(first, &sb) == 0)
        return false;
    if (!subcommands[k].instead) {
        ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                     "'%s' is not a file or directory, and loadlint has no subcommands "
                     "(it lints the paths it is given: see loadlint --help)", first);
        return true;
    }
    LLBuf cmd;
    ll_buf_init(&cmd);
    ll_buf_puts(&cmd, "loadlint");
    for (int i = 1; i < argc; i++) {
        if (argv[i] == first) {
            if (!*subcommands[k].instead)
                continue;
            ll_buf_printf(&cmd, " %s", subcommands[k].instead);
            continue;
        }
        ll_buf_putc(&cmd, ' ');
        shell_word(&cmd, argv[i]);
    }
    ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                 "'%s' is not a file or directory, and loadlint has no subcommands: run `%s`",
                 first, cmd.data);
    ll_buf_release(&cmd);
    return true;
}

static void scan_options(const LLOptions *o, LLScanOptions *so)
{
    ll_scan_options_init(so);
    so->paths = o->paths.items;
    so->npaths = o->paths.len;
    so->stdin_name = o->stdin_filename;
    so->cfg = &o->cfg;
    so->rule_dirs = o->rule_dirs.items;
    so->nrule_dirs = o->rule_dirs.len;
    so->no_builtin_rules = o->no_builtin;
    so->jobs = o->jobs;
    so->max_file_bytes = o->max_file_bytes;
    so->parse_timeout_us = o->parse_timeout_us;
    so->max_findings_per_file = o->max_findings_per_file;
    so->no_prefilter = o->no_prefilter;
    so->report_unused_suppressions = o->report_unused;
    so->verbose = o->verbose;
    so->no_artifacts = o->no_artifacts;
    so->baseline = o->baseline;
    so->fix = o->diff ? LL_FIXMODE_DIFF : o->fix ? LL_FIXMODE_APPLY : LL_FIXMODE_NONE;
    so->unsafe_fixes = o->unsafe_fixes;
}

/* --list-rules, --explain, --show-settings: the settings and rules of the
 * first path, no scan. */
static int rules_and_settings(const LLOptions *o, const LLScanOptions *so, LLBuf *out)
{
    LLError err;
    LLScan *scan = NULL;
    int status = EXIT_ERROR;
    if (ll_scan_prepare(so, &scan, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    if (o->explain) {
        if (!ll_scan_explain(scan, o->explain, out)) {
            LLBuf hint;
            ll_buf_init(&hint);
            ll_scan_suggest_code(scan, o->explain, &hint);
            fprintf(stderr, "loadlint: --explain: no rule %s%s\n", o->explain, hint.data);
            ll_buf_release(&hint);
            goto out;
        }
    } else if (o->list_rules) {
        ll_scan_list_rules(scan, o->format, out);
    } else {
        ll_scan_show_settings(scan, out);
    }
    if (o->output) {
        status = write_file(o->output, out, &err) ? EXIT_CLEAN : EXIT_ERROR;
        if (status != EXIT_CLEAN)
            print_error(&err);
    } else if (write_all(stdout, out) && fflush(stdout) == 0) {
        status = EXIT_CLEAN;
    } else {
        fprintf(stderr, "loadlint: cannot write to standard output: %s\n", strerror(errno));
    }
out:
    ll_scan_free(scan);
    return status;
}

int main(int argc, char **argv)
{
    int status = EXIT_ERROR;
    LLOptions opts;
    LLError err;
    LLScan *scan = NULL;
    /* Parse trees and their stacks come and go, file after file: large
     * blocks are mapped and given back when freed. glibc would otherwise
     * raise this threshold after the first large free and keep such blocks
     * in the heap, where peak memory then grows with the run. */
    mallopt(M_MMAP_THRESHOLD, LL_MALLOC_MMAP_THRESHOLD);
    LLBuf out, msgs;
    ll_buf_init(&out);
    ll_buf_init(&msgs);
    memset(&err, 0, sizeof err);

    ll_options_init(&opts);
    if (ll_options_parse(&opts, argc, argv, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    /* the environment's cache settings (as Ruff's RUFF_CACHE_DIR and
     * RUFF_NO_CACHE), below the command line's */
    const char *env_dir = getenv("LOADLINT_RESULT_CACHE_DIR");
    if (env_dir && *env_dir && !opts.cfg.has_cache_dir) {
        opts.cfg.cache_dir = ll_xstrdup(env_dir);
        opts.cfg.has_cache_dir = true;
    }
    const char *env_no = getenv("LOADLINT_NO_CACHE");
    if (env_no && *env_no && strcmp(env_no, "0") != 0 && !opts.cfg.has_cache) {
        opts.cfg.has_cache = true;
        opts.cfg.cache = false;
    }
    if (opts.help) {
        fputs(ll_options_usage(), stdout);
        status = EXIT_CLEAN;
        goto out;
    }
    if (opts.version) {
        ll_version_long(&out);
        fputs(out.data, stdout);
        status = EXIT_CLEAN;
        goto out;
    }
    if (subcommand_error(&opts, argc, argv, &err)) {
        print_error(&err);
        goto out;
    }
    /* Ruff's habit: --stdin-filename alone reads standard input when it is
     * not a terminal */
    if (opts.stdin_filename && !opts.paths.len && !opts.list_rules && !opts.explain &&
        !opts.show_settings) {
        if (isatty(STDIN_FILENO)) {
            fprintf(stderr, "loadlint: --stdin-filename names the file read from standard input "
                            "('-'), and standard input is a terminal: pipe the file in\n");
            goto out;
        }
        LL_VEC_PUSH(&opts.paths, "-");
    }
    LLScanOptions so;
    scan_options(&opts, &so);
    if (opts.explain || opts.list_rules || opts.show_settings) {
        status = rules_and_settings(&opts, &so, &out);
        goto out;
    }
    LLCliProgress progress;
    bool show_progress = ll_cli_progress_wanted(stderr, opts.progress, opts.quiet);
    if (show_progress) {
        ll_cli_progress_begin(&progress, stderr, opts.progress);
        so.progress = ll_cli_progress_tell;
        so.progress_ctx = &progress;
    }
    LLStatus run_status = ll_scan_run(&so, &scan, &err);
    if (show_progress)
        ll_cli_progress_end(&progress);
    if (run_status != LL_OK) {
        print_error(&err);
        goto out;
    }
    for (size_t i = 0; i < ll_scan_note_count(scan); i++)
        fprintf(stderr, "loadlint: note: %s\n", ll_scan_note(scan, i));

    LLScanCounts c;
    ll_scan_counts(scan, &c);
    if (opts.write_baseline) {
        /* the baseline is the report: written whole, then exit 0 (2 when a
         * file could not be analysed: the baseline may lack its findings) */
        LLBuf base;
        ll_buf_init(&base);
        ll_scan_write_baseline(scan, &base);
        bool ok = write_file(opts.write_baseline, &base, &err);
        ll_buf_release(&base);
        if (!ok) {
            print_error(&err);
            goto out;
        }
        ll_scan_write_diagnostics(scan, opts.quiet, &msgs);
        fputs(msgs.data, stderr);
        if (!opts.quiet)
            fprintf(stderr, "loadlint: wrote %zu finding%s to the baseline %s\n", c.findings,
                    c.findings == 1 ? "" : "s", opts.write_baseline);
        status = c.errors ? EXIT_ERROR : EXIT_CLEAN;
        goto out;
    }
    size_t fixed_len;
    const char *fixed_out = ll_scan_fix_output(scan, &fixed_len);
    /* the report goes to standard error when standard output carries the
     * fixed standard input (and nothing when it carries the diff) */
    bool report_to_stderr = opts.fix && !opts.diff && fixed_out && !opts.output;
    LLWriteOptions wo = {!report_to_stderr && want_color(&opts), opts.sarif_category,
                         opts.show_suppressed, opts.statistics};
    if (opts.diff) {
        ll_buf_append(&out, fixed_out ? fixed_out : "", fixed_out ? fixed_len : 0);
    } else if (ll_scan_write(scan, opts.format, &wo, &out, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    bool io_error = false;
    if (fixed_out && opts.fix && !opts.diff &&
        (fwrite(fixed_out, 1, fixed_len, stdout) != fixed_len || fflush(stdout) != 0)) {
        fprintf(stderr, "loadlint: cannot write to standard output: %s\n", strerror(errno));
        io_error = true;
    }
    if (opts.output) {
        if (!write_file(opts.output, &out, &err)) {
            print_error(&err);
            io_error = true;
        }
    } else if (report_to_stderr) {
        fwrite(out.data, 1, out.len, stderr);
    } else if (!write_all(stdout, &out) || fflush(stdout) != 0) {
        fprintf(stderr, "loadlint: cannot write to standard output: %s\n", strerror(errno));
        io_error = true;
    }
    ll_scan_write_diagnostics(scan, opts.quiet, &msgs);
    if (!opts.quiet)
        ll_scan_write_summary(scan, opts.format, opts.statistics, &msgs);
    fputs(msgs.data, stderr);

    if (c.errors || io_error)
        status = EXIT_ERROR;
    else if (opts.exit_zero)
        status = EXIT_CLEAN;
    else if (opts.diff)
        status = c.fixed ? EXIT_FINDINGS : EXIT_CLEAN;
    else
        status = c.failing ? EXIT_FINDINGS : EXIT_CLEAN;

out:
    ll_scan_free(scan);
    ll_options_release(&opts);
    ll_buf_release(&out);
    ll_buf_release(&msgs);
    return status;
}
