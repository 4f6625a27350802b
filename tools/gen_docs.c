/* gen_docs.c - docs/rules/<CODE>-<name>.md and the README rule table, both
 * generated from the built-in rules (the same loader the linter uses).
 *
 *   loadlint-gen-docs ROOT          rewrite the files under ROOT
 *   loadlint-gen-docs --check ROOT  exit 1 and name every stale file
 *
 * The README table sits between the lines "<!-- rules:begin -->" and
 * "<!-- rules:end -->". */
#include "base/buf.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    LLBuf b;
    ll_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ll_buf_append(&b, chunk, n);
    fclose(f);
    return ll_buf_detach(&b);
}

/* Writes or checks one file; returns 1 when it was stale. */
static int sync_file(const char *path, const char *want, int check)
{
    char *have = read_file(path);
    int stale = !have || strcmp(have, want) != 0;
    free(have);
    if (!stale)
        return 0;
    if (check) {
        fprintf(stderr, "stale: %s (run loadlint-gen-docs to regenerate)\n", path);
        return 1;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fputs(want, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    printf("wrote %s\n", path);
    return 0;
}

static void escape_cell(LLBuf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            ll_buf_puts(b, "\\|");
        else
            ll_buf_putc(b, *s);
    }
}

int main(int argc, char **argv)
{
    int check = argc > 1 && strcmp(argv[1], "--check") == 0;
    if (argc != 2 + check) {
        fputs("usage: loadlint-gen-docs [--check] ROOT\n", stderr);
        return 2;
    }
    const char *root = argv[1 + check];
    LLError err;
    LLRuleset *rs = ll_ruleset_new();
    if (ll_ruleset_add_builtin(rs, &err) != LL_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", err.file, err.line, err.col, err.msg);
        return 2;
    }
    ll_ruleset_finish(rs);
    int stale = 0;
    LLBuf table;
    ll_buf_init(&table);
    ll_buf_puts(&table, "| Code | Name | Default severity | What it finds |\n|---|---|---|---|\n");
    for (size_t i = 0; i < rs->nrules; i++) {
        const LLRule *r = &rs->rules[i];
        LLBuf md, path;
        ll_buf_init(&md);
        ll_buf_init(&path);
        ll_buf_puts(&md, "<!-- Generated from rules/ by loadlint-gen-docs. Do not edit. -->\n");
        ll_report_rule_markdown(&md, r);
        ll_buf_printf(&path, "%s/docs/rules/%s-%s.md", root, r->code, r->name);
        stale += sync_file(path.data, md.data, check);
        ll_buf_printf(&table, "| [%s](docs/rules/%s-%s.md) | `%s` | %s%s | ", r->code, r->code,
                      r->name, r->name, ll_severity_name(r->severity),
                      r->has_provenance ? " (graded by data flow)" : "");
        escape_cell(&table, r->summary);
        ll_buf_puts(&table, " |\n");
        ll_buf_release(&md);
        ll_buf_release(&path);
    }
    LLBuf readme_path;
    ll_buf_init(&readme_path);
    ll_buf_printf(&readme_path, "%s/README.md", root);
    char *readme = read_file(readme_path.data);
    const char *begin_mark = "<!-- rules:begin -->\n", *end_mark = "<!-- rules:end -->";
    char *b = readme ? strstr(readme, begin_mark) : NULL;
    char *e = b ? strstr(b, end_mark) : NULL;
    if (!b || !e) {
        fprintf(stderr, "%s: no '<!-- rules:begin -->' ... '<!-- rules:end -->' section\n",
                readme_path.data);
        stale++;
    } else {
        LLBuf want;
        ll_buf_init(&want);
        ll_buf_append(&want, readme, (size_t)(b - readme) + strlen(begin_mark));
        ll_buf_puts(&want, table.data);
        ll_buf_puts(&want, e);
        stale += sync_file(readme_path.data, want.data, check);
        ll_buf_release(&want);
    }
    free(readme);
    ll_buf_release(&readme_path);
    ll_buf_release(&table);
    ll_ruleset_free(rs);
    return stale ? 1 : 0;
}
