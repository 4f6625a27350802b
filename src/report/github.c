/* github.c - GitHub Actions workflow commands, and --statistics. */
#include "report/report.h"

#include "base/mem.h"
#include "report/cjson_util.h"

#include <stdlib.h>
#include <string.h>

/* actions/toolkit escapeData: % CR LF; escapeProperty adds : and , */
static void escape(LLBuf *out, const char *s, bool property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%': ll_buf_puts(out, "%25"); break;
        case '\r': ll_buf_puts(out, "%0D"); break;
        case '\n': ll_buf_puts(out, "%0A"); break;
        case ':':
            if (property) {
                ll_buf_puts(out, "%3A");
                break;
            }
            ll_buf_putc(out, *s);
            break;
        case ',':
            if (property) {
                ll_buf_puts(out, "%2C");
                break;
            }
            ll_buf_putc(out, *s);
            break;
        default: ll_buf_putc(out, *s); break;
        }
    }
}

typedef struct Ordered {
    size_t index;
    LLSeverity severity;
} Ordered;

static int by_severity(const void *a, const void *b)
{
    const Ordered *x = a, *y = b;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void ll_report_github(LLBuf *out, const LLReport *r)
{
    const LLRunResult *run = r->run;
    size_t n = 0;
    Ordered *order = ll_xcalloc(run->findings.len ? run->findings.len : 1, sizeof *order);
    for (size_t i = 0; i < run->findings.len; i++)
        if (!run->findings.items[i].suppressed)
            order[n++] = (Ordered){i, run->findings.items[i].severity};
    qsort(order, n, sizeof *order, by_severity);
    LLBuf prop;
    ll_buf_init(&prop);
    for (size_t k = 0; k < n; k++) {
        const LLFinding *f = &run->findings.items[order[k].index];
        const LLRule *rule = &r->rules->rules[f->rule];
        const char *level = f->severity == LL_SEV_ERROR     ? "error"
                            : f->severity == LL_SEV_WARNING ? "warning"
                                                            : "notice";
        ll_buf_printf(out, "::%s file=", level);
        escape(out, r->files->files.items[f->file].display, true);
        ll_buf_printf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=", f->span.line,
                      f->span.col, f->span.end_line, f->span.end_col);
        ll_buf_reset(&prop);
        ll_buf_printf(&prop, "%s: %s", rule->code, rule->name);
        escape(out, prop.data, true);
        ll_buf_puts(out, "::");
        escape(out, f->message ? f->message : "", false);
        if (f->binary) {
            ll_buf_reset(&prop);
            ll_buf_puts(&prop, " (");
            for (uint32_t m = 0; m < f->nmembers; m++)
                ll_buf_printf(&prop, "in %s, ", f->members[m]);
            ll_buf_printf(&prop, "at byte %llu)", (unsigned long long)f->byte_offset);
            escape(out, prop.data, false);
        }
        ll_buf_putc(out, '\n');
    }
    ll_buf_release(&prop);
    free(order);
}

/* ---- --statistics -------------------------------------------------------------- */

typedef struct Stat {
    uint32_t rule;
    size_t count, suppressed;
    const char *code;
} Stat;

static int by_count(const void *a, const void *b)
{
    const Stat *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->code, y->code);
}

void ll_report_statistics(LLBuf *out, const LLReport *r, bool json)
{
    size_t nrules = r->rules->nrules;
    Stat *st = ll_xcalloc(nrules ? nrules : 1, sizeof *st);
    for (size_t i = 0; i < nrules; i++) {
        st[i].rule = (uint32_t)i;
        st[i].code = r->rules->rules[i].code;
    }
    for (size_t i = 0; i < r->run->findings.len; i++) {
        const LLFinding *f = &r->run->findings.items[i];
        if (f->rule >= nrules)
            continue;
        if (f->suppressed)
            st[f->rule].suppressed++;
        else
            st[f->rule].count++;
    }
    qsort(st, nrules, sizeof *st, by_count);
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < nrules; i++) {
            if (!st[i].count && !st[i].suppressed)
                continue;
            const LLRule *rule = &r->rules->rules[st[i].rule];
            cJSON *o = cJSON_CreateObject();
            ll_json_add_str(o, "code", rule->code);
            ll_json_add_str(o, "name", rule->name);
            ll_json_add_num(o, "count", (double)st[i].count);
            ll_json_add_num(o, "suppressed", (double)st[i].suppressed);
            cJSON_AddItemToArray(arr, o);
        }
        ll_json_print(out, arr);
        cJSON_Delete(arr);
    } else {
        for (size_t i = 0; i < nrules && st[i].count; i++) {
            const LLRule *rule = &r->rules->rules[st[i].rule];
            ll_buf_printf(out, "%zu\t%s\t%s\n", st[i].count, rule->code, rule->name);
        }
    }
    free(st);
}
