#include "report/report.h"

#include "report/cjson_util.h"

#include <string.h>

static const char *prov_name(LLProvenance p)
{
    return p == LL_PROV_UNTRUSTED ? "untrusted" : p == LL_PROV_CONSTANT ? "constant" : "unknown";
}

static cJSON *position(uint32_t line, uint32_t col)
{
    cJSON *o = cJSON_CreateObject();
    ll_json_add_num(o, "line", line);
    ll_json_add_num(o, "column", col);
    return o;
}

void ll_report_json(LLBuf *out, const LLReport *r)
{
    cJSON *root = cJSON_CreateObject();
    ll_json_add_num(root, "version", 1);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    ll_json_add_str(tool, "name", "loadlint");
    ll_json_add_str(tool, "version", LL_VERSION);
    cJSON *results = cJSON_AddArrayToObject(root, "results");
    size_t counts[3] = {0};
    size_t shown = 0;
    for (size_t i = 0; i < r->run->findings.len; i++) {
        const LLFinding *f = &r->run->findings.items[i];
        if (f->suppressed && !r->include_suppressed)
            continue;
        const LLRule *rule = &r->rules->rules[f->rule];
        cJSON *o = cJSON_CreateObject();
        ll_json_add_str(o, "rule_id", rule->code);
        ll_json_add_str(o, "rule_name", rule->name);
        ll_json_add_str(o, "severity", ll_severity_name(f->severity));
        ll_json_add_str(o, "precision", rule->precision);
        cJSON *cwe = cJSON_AddArrayToObject(o, "cwe");
        for (size_t k = 0; k < rule->cwe.len; k++)
            cJSON_AddItemToArray(cwe, ll_json_str(rule->cwe.items[k]));
        ll_json_add_str(o, "message", f->message);
        ll_json_add_str(o, "path", r->files->files.items[f->file].display);
        cJSON_AddItemToObject(o, "start", position(f->span.line, f->span.col));
        cJSON_AddItemToObject(o, "end", position(f->span.end_line, f->span.end_col));
        ll_json_add_str(o, "callee", f->callee);
        ll_json_add_str(o, "provenance", prov_name(f->provenance));
        if (f->source)
            ll_json_add_str(o, "source", f->source);
        else
            cJSON_AddNullToObject(o, "source");
        cJSON *flow = cJSON_AddArrayToObject(o, "flow");
        for (uint32_t k = 0; k < f->nsteps; k++) {
            cJSON *st = cJSON_CreateObject();
            ll_json_add_str(st, "path", r->files->files.items[f->steps[k].file].display);
            cJSON_AddItemToObject(st, "start", position(f->steps[k].span.line, f->steps[k].span.col));
            cJSON_AddItemToObject(st, "end", position(f->steps[k].span.end_line, f->steps[k].span.end_col));
            ll_json_add_str(st, "message", f->steps[k].message);
            cJSON_AddItemToArray(flow, st);
        }
        ll_json_add_str(o, "snippet", f->snippet);
        char fp[64];
        ll_report_fingerprint(r, i, fp, sizeof fp);
        ll_json_add_str(o, "fingerprint", fp);
        LLBuf url;
        ll_buf_init(&url);
        ll_buf_printf(&url, "%s%s-%s.md", LL_DOCS_BASE_URI, rule->code, rule->name);
        ll_json_add_str(o, "url", url.data);
        ll_buf_release(&url);
        cJSON_AddBoolToObject(o, "suppressed", f->suppressed);
        cJSON_AddItemToArray(results, o);
        if (!f->suppressed) {
            counts[f->severity]++;
            shown++;
        }
    }
    cJSON *errors = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < r->run->diags.len; i++) {
        const LLDiag *d = &r->run->diags.items[i];
        cJSON *o = cJSON_CreateObject();
        ll_json_add_str(o, "path", d->file == UINT32_MAX ? "" : r->files->files.items[d->file].display);
        ll_json_add_str(o, "kind", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        ll_json_add_num(o, "line", d->line);
        ll_json_add_num(o, "column", d->col);
        ll_json_add_str(o, "message", d->message);
        cJSON_AddItemToArray(errors, o);
    }
    cJSON *summary = cJSON_AddObjectToObject(root, "summary");
    ll_json_add_num(summary, "files", (double)r->run->files_scanned);
    ll_json_add_num(summary, "findings", (double)shown);
    ll_json_add_num(summary, "error", (double)counts[LL_SEV_ERROR]);
    ll_json_add_num(summary, "warning", (double)counts[LL_SEV_WARNING]);
    ll_json_add_num(summary, "note", (double)counts[LL_SEV_NOTE]);
    ll_json_print(out, root);
    cJSON_Delete(root);
}
