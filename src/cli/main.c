/* main.c - argv -> options -> rules -> files -> run -> report -> exit code.
 * No analysis here; every failure path goes through `out:`. */
#include "base/buf.h"
#include "base/limits.h"
#include "base/status.h"
#include "cli/options.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    LLBuf tmp;
    ll_buf_init(&tmp);
    ll_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp.data, "wb");
    bool ok = f && write_all(f, b);
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp.data, path) != 0)
        ok = false;
    if (!ok) {
        ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot write the report: %s",
                     strerror(errno));
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

int main(int argc, char **argv)
{
    int status = EXIT_ERROR;
    LLOptions opts;
    LLError err;
    LLRuleset *rules = NULL;
    LLSyntax syn = {0};
    LLFileList files = {0};
    LLRunResult run = {0};
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

    rules = ll_ruleset_new();
    if (!opts.no_builtin && ll_ruleset_add_builtin(rules, &err) != LL_OK) {
        print_error(&err);
        goto out;
    }
    for (size_t i = 0; i < opts.rule_dirs.len; i++) {
        if (ll_ruleset_add_dir(rules, opts.rule_dirs.items[i], &err) != LL_OK) {
            print_error(&err);
            goto out;
        }
    }
    for (size_t i = 0; i < rules->nrules; i++) {
        LLRule *r = &rules->rules[i];
        if (opts.select.len && !ll_rule_code_matches(r->code, &opts.select))
            r->enabled = false;
        if (ll_rule_code_matches(r->code, &opts.ignore))
            r->enabled = false;
    }
    ll_ruleset_finish(rules);

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

    const char *dot = ".";
    const char *const *paths = opts.paths.len ? opts.paths.items : &dot;
    size_t npaths = opts.paths.len ? opts.paths.len : 1;
    bool stdin_used = false;
    LL_VEC(const char *) fs_paths = {0};
    for (size_t i = 0; i < npaths; i++) {
        if (strcmp(paths[i], "-") == 0) {
            if (stdin_used) {
                fputs("loadlint: '-' (standard input) given twice\n", stderr);
                LL_VEC_FREE(&fs_paths);
                goto out;
            }
            stdin_used = true;
        } else {
            LL_VEC_PUSH(&fs_paths, paths[i]);
        }
    }
    if (opts.stdin_filename && !stdin_used) {
        fputs("loadlint: --stdin-filename needs '-' among the paths\n", stderr);
        LL_VEC_FREE(&fs_paths);
        goto out;
    }
    ll_discover(fs_paths.items, fs_paths.len, &files);
    LL_VEC_FREE(&fs_paths);
    if (stdin_used) {
        if (ll_source_read_fd(STDIN_FILENO, "<stdin>", opts.max_file_bytes, &stdin_buf, &err) != LL_OK) {
            print_error(&err);
            goto out;
        }
        ro.stdin_text = stdin_buf.data;
        ro.stdin_len = stdin_buf.len;
        ll_file_list_add(&files, "-", opts.stdin_filename ? opts.stdin_filename : "<stdin>");
    }

    ll_run(rules, &syn, &files, &ro, &run);
    have_run = true;
    /* discovery problems are errors of the run too */
    for (size_t i = 0; i < files.errors.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_ERROR, 0, 0, strdup(files.errors.items[i])};
        LL_VEC_PUSH(&run.diags, d);
    }

    LLReport rep = {rules, &files, &run, want_color(&opts), opts.sarif_category};
    switch (opts.format) {
    case LL_FMT_JSON: ll_report_json(&out, &rep); break;
    case LL_FMT_SARIF: ll_report_sarif(&out, &rep); break;
    default: ll_report_text(&out, &rep); break;
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

    size_t counts[3] = {0}, shown = 0, errors = 0;
    for (size_t i = 0; i < run.findings.len; i++) {
        if (run.findings.items[i].suppressed)
            continue;
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
        if (d->file != UINT32_MAX) {
            ll_buf_puts(&line, files.files.items[d->file].display);
            if (d->line)
                ll_buf_printf(&line, ":%u:%u", d->line, d->col);
            ll_buf_puts(&line, ": ");
        }
        ll_buf_printf(&line, "%s: %s\n", d->kind == LL_DIAG_ERROR ? "error" : "warning", d->message);
        fprintf(stderr, "loadlint: %s", line.data);
        ll_buf_release(&line);
    }
    if (!opts.quiet)
        fprintf(stderr, "loadlint: %zu finding%s (%zu error, %zu warning, %zu note) in %zu file%s\n",
                shown, shown == 1 ? "" : "s", counts[LL_SEV_ERROR], counts[LL_SEV_WARNING],
                counts[LL_SEV_NOTE], run.files_scanned, run.files_scanned == 1 ? "" : "s");
    if (errors || io_error)
        status = EXIT_ERROR;
    else if (shown && !opts.exit_zero)
        status = EXIT_FINDINGS;
    else
        status = EXIT_CLEAN;

out:
    if (have_run)
        ll_run_result_release(&run);
    ll_file_list_release(&files);
    if (have_syntax)
        ll_syntax_release(&syn);
    ll_ruleset_free(rules);
    ll_options_release(&opts);
    ll_buf_release(&out);
    ll_buf_release(&stdin_buf);
    return status;
}
