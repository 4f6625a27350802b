#include "report/report.h"

#include "base/strmap.h"
#include "report/cjson_util.h"

#include <stdio.h>
#include <string.h>

void ll_report_rule_list(LLBuf *out, const LLRuleset *rs, bool json)
{
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < rs->nrules; i++) {
        const LLRule *r = &rs->rules[i];
        if (!r->enabled)
            continue;
        if (!json) {
            ll_buf_printf(out, "%s\t%s\t%s\t%s\n", r->code, r->name,
                          ll_severity_name(r->severity), r->summary);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        ll_json_add_str(o, "code", r->code);
        ll_json_add_str(o, "name", r->name);
        ll_json_add_str(o, "severity", ll_severity_name(r->severity));
        ll_json_add_str(o, "summary", r->summary);
        cJSON_AddBoolToObject(o, "graded", r->has_provenance);
        cJSON_AddItemToArray(arr, o);
    }
    if (json) {
        ll_json_print(out, arr);
        cJSON_Delete(arr);
    }
}

void ll_report_rule_markdown(LLBuf *out, const LLRule *rule)
{
    ll_buf_printf(out, "# %s (%s)\n\n", rule->name, rule->code);
    ll_buf_printf(out, "%s\n\n", rule->summary);
    ll_buf_printf(out, "Default severity: **%s**", ll_severity_name(rule->severity));
    if (rule->has_provenance)
        ll_buf_printf(out, " (graded by where the input comes from: untrusted source %s, unknown %s, constant %s)",
                      ll_severity_name(rule->provenance[LL_PROV_UNTRUSTED]),
                      ll_severity_name(rule->provenance[LL_PROV_UNKNOWN]),
                      ll_severity_name(rule->provenance[LL_PROV_CONSTANT]));
    ll_buf_printf(out, ". Precision: %s. Security severity: %s. ", rule->precision,
                  rule->security_severity);
    for (size_t i = 0; i < rule->cwe.len; i++)
        ll_buf_printf(out, "%s%s", i ? ", " : "", rule->cwe.items[i]);
    ll_buf_puts(out, ".\n\n## What it does\n\n");
    ll_buf_printf(out, "%s\n\n## Why is this bad?\n\n%s\n\n", rule->doc_what, rule->doc_why);
    ll_buf_printf(out, "## Example\n\n%s\n\n## Use instead\n\n%s\n\n", rule->doc_example,
                  rule->doc_use_instead);
    if (rule->calls.len || rule->methods.len) {
        ll_buf_puts(out, "## Matched APIs\n\n");
        for (size_t i = 0; i < rule->calls.len; i++)
            ll_buf_printf(out, "- `%s`\n", rule->calls.items[i]);
        for (size_t i = 0; i < rule->methods.len; i++)
            ll_buf_printf(out, "- `<any object>.%s()`\n", rule->methods.items[i]);
        ll_buf_puts(out, "\n");
    }
    ll_rule_versions_markdown(rule, out);
    if (rule->peers.len) {
        ll_buf_puts(out, "## Same check in other tools\n\n");
        for (size_t i = 0; i < rule->peers.len; i++)
            ll_buf_printf(out, "- %s\n", rule->peers.items[i]);
        ll_buf_puts(out, "\n");
    }
    if (rule->artifacts.len) {
        ll_buf_puts(out, "## Model-file checks\n\n");
        for (size_t i = 0; i < rule->artifacts.len; i++)
            ll_buf_printf(out, "- `%s`\n", rule->artifacts.items[i]);
        ll_buf_puts(out, "\n");
    }
    ll_buf_puts(out, "## Suppressing\n\n");
    if (rule->artifacts.len)
        ll_buf_printf(out, "A model file has no line for a comment: `per-file-ignores = {\"models/x.pt\" = [\"%s\"]}` "
                           "(or `exclude`) in the configuration.\n\n",
                      rule->code);
    else if (rule->versions)
        ll_buf_printf(out, "`# loadlint: ignore[%s]` on any line of the statement; for the finding on a "
                           "dependency line, `per-file-ignores = {\"requirements.txt\" = [\"%s\"]}` in the "
                           "configuration (or raise the version).\n\n",
                      rule->code, rule->code);
    else
        ll_buf_printf(out, "`# loadlint: ignore[%s]` on any line of the statement.\n\n", rule->code);
    ll_buf_puts(out, "## References\n\n");
    for (size_t i = 0; i < rule->references.len; i++)
        ll_buf_printf(out, "- <%s>\n", rule->references.items[i]);
}

uint64_t ll_report_finding_hash(const LLReport *r, const LLFinding *f)
{
    return f->fp_hash ? f->fp_hash : ll_finding_hash(f, r->rules->rules[f->rule].code);
}

void ll_report_fingerprint(const LLReport *r, size_t idx, char *out, size_t outsz)
{
    const LLFinding *f = &r->run->findings.items[idx];
    snprintf(out, outsz, "%016llx:%u", (unsigned long long)ll_report_finding_hash(r, f),
             f->fp_occurrence ? f->fp_occurrence : 1u);
}
