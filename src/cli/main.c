/* main.c - argv -> options -> ll_scan_run -> writers -> exit status.
 *
 * No analysis, no filtering, no settings logic here (loadlint.h owns the
 * run): this file maps arguments, writes what the library produced to
 * standard output, standard error or --output, and turns the counts into
 * the exit status. Every failure path goes through `out:`. */
#include "cli/options.h"
#include "loadlint.h"

#include "base/buf.h"
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
    so->baseline = o->baseline;
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
            fprintf(stderr, "loadlint: --explain: no rule %s (see loadlint --list-rules)\n",
                    o->explain);
            goto out;
        }
    } else if (o->list_rules) {
        ll_scan_list_rules(scan, o->format, out);
    } else {
        ll_scan_show_settings(scan, out);
    }
    status = write_all(stdout, out) && fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
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
    LLScanOptions so;
    scan_options(&opts, &so);
    if (opts.explain || opts.list_rules || opts.show_settings) {
        status = rules_and_settings(&opts, &so, &out);
        goto out;
    }
    if (ll_scan_run(&so, &scan, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    for (size_t i = 0; i < ll_scan_note_count(scan); i++)
        fprintf(stderr, "loadlint: note: %s\n", ll_scan_note(scan, i));

    if (opts.write_baseline) {
        LLBuf base;
        ll_buf_init(&base);
        ll_scan_write_baseline(scan, &base);
        bool ok = write_file(opts.write_baseline, &base, &err);
        ll_buf_release(&base);
        if (!ok) {
            print_error(&err);
            goto out;
        }
    }
    LLWriteOptions wo = {want_color(&opts), opts.sarif_category, opts.show_suppressed,
                         opts.statistics};
    if (ll_scan_write(scan, opts.format, &wo, &out, &err) != LL_OK) {
        print_error(&err);
        goto out;
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
    ll_scan_write_diagnostics(scan, opts.quiet, &msgs);
    if (!opts.quiet)
        ll_scan_write_summary(scan, opts.format, opts.statistics, &msgs);
    fputs(msgs.data, stderr);

    LLScanCounts c;
    ll_scan_counts(scan, &c);
    if (c.errors || io_error)
        status = EXIT_ERROR;
    else if (c.failing && !opts.exit_zero)
        status = EXIT_FINDINGS;
    else
        status = EXIT_CLEAN;

out:
    ll_scan_free(scan);
    ll_options_release(&opts);
    ll_buf_release(&out);
    ll_buf_release(&msgs);
    return status;
}
