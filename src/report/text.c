#include "report/report.h"

#include "base/text.h"
#include "engine/fix.h"

#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"

/* ":line:col", or for a byte range ":member...:@offset" */
static void where(LLBuf *out, const LLFinding *f)
{
    if (!f->binary) {
        ll_buf_printf(out, ":%u:%u", f->span.line, f->span.col);
        return;
    }
    for (uint32_t m = 0; m < f->nmembers; m++) {
        ll_buf_putc(out, ':');
        ll_escape_controls(out, f->members[m], strlen(f->members[m]));
    }
    ll_buf_printf(out, ":@%llu", (unsigned long long)f->byte_offset);
}

/* Whether reported finding i, or another rule's finding on the same call
 * hidden as its duplicate, has a fix that applies. Findings are sorted by
 * file, line and column. On a terminal (colour), such a finding is marked
 * "[*]" before its message, as Ruff marks what --fix changes; elsewhere
 * the line stays `path:line:col: severity: message [CODE]` with the
 * message of the JSON report, which editors' patterns read (the summary
 * counts the fixable findings either way). */
static bool fixable(const LLReport *r, size_t i)
{
    const LLFinding *items = r->run->findings.items, *f = &items[i];
    size_t n = r->run->findings.len;
    if (ll_fix_applies(f, r->unsafe_fixes))
        return true;
    size_t a = i;
    while (a > 0 && items[a - 1].file == f->file && items[a - 1].span.line == f->span.line &&
           items[a - 1].span.col == f->span.col)
        a--;
    for (size_t k = a; k < n && items[k].file == f->file && items[k].span.line == f->span.line &&
                       items[k].span.col == f->span.col;
         k++) {
        const LLFinding *d = &items[k];
        if (k != i && d->suppressed == LL_SUPP_DUPLICATE && d->span.end_line == f->span.end_line &&
            d->span.end_col == f->span.end_col && ll_fix_applies(d, r->unsafe_fixes))
            return true;
    }
    return false;
}

void ll_report_text(LLBuf *out, const LLReport *r)
{
    const LLRunResult *run = r->run;
    for (size_t i = 0; i < run->findings.len; i++) {
        const LLFinding *f = &run->findings.items[i];
        if (f->suppressed)
            continue;
        const LLRule *rule = &r->rules->rules[f->rule];
        const char *path = r->files->files.items[f->file].display;
        const char *sev = ll_severity_name(f->severity);
        if (r->color)
            ll_buf_puts(out, C_BOLD);
        ll_escape_controls(out, path, strlen(path));
        if (r->color) {
            const char *c = f->severity == LL_SEV_ERROR     ? C_RED
                            : f->severity == LL_SEV_WARNING ? C_YELLOW
                                                            : C_CYAN;
            where(out, f);
            ll_buf_printf(out, ":" C_RESET " %s%s:" C_RESET " ", c, sev);
        } else {
            where(out, f);
            ll_buf_printf(out, ": %s: ", sev);
        }
        if (r->color && fixable(r, i))
            ll_buf_puts(out, C_CYAN "[*]" C_RESET " ");
        ll_escape_controls(out, f->message, strlen(f->message));
        if (r->color)
            ll_buf_printf(out, " " C_DIM "[%s]" C_RESET "\n", rule->code);
        else
            ll_buf_printf(out, " [%s]\n", rule->code);
    }
}
