#include "report/report.h"

#include "base/text.h"

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
        ll_escape_controls(out, f->message, strlen(f->message));
        if (r->color)
            ll_buf_printf(out, " " C_DIM "[%s]" C_RESET "\n", rule->code);
        else
            ll_buf_printf(out, " [%s]\n", rule->code);
    }
}
