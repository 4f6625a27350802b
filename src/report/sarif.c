#include "report/report.h"

#include "base/limits.h"
#include "base/mem.h"
#include "report/cjson_util.h"

#include <stdlib.h>
#include <string.h>

static const char *level(LLSeverity s) { return ll_severity_name(s); }

/* At most 1024 bytes, not cutting a UTF-8 sequence. */
static cJSON *short_text(const char *s)
{
    size_t n = strlen(s);
    if (n <= 1024)
        return ll_json_str(s);
    n = 1021;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    char *t = ll_xmalloc(n + 4);
    memcpy(t, s, n);
    memcpy(t + n, "...", 4);
    cJSON *j = ll_json_str(t);
    free(t);
    return j;
}

static cJSON *message(const char *text)
{
    cJSON *m = cJSON_CreateObject();
    ll_json_add_str(m, "text", text);
    return m;
}

static cJSON *physical(const LLReport *r, uint32_t file, const LLSpan *sp)
{
    cJSON *loc = cJSON_CreateObject();
    cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
    LLBuf uri;
    ll_buf_init(&uri);
    int absolute;
    ll_json_uri(&uri, r->files->files.items[file].display, &absolute);
    ll_json_add_str(al, "uri", uri.data);
    if (!absolute)
        ll_json_add_str(al, "uriBaseId", "%SRCROOT%");
    ll_buf_release(&uri);
    if (sp && sp->line) {
        cJSON *reg = cJSON_AddObjectToObject(pl, "region");
        ll_json_add_num(reg, "startLine", sp->line);
        ll_json_add_num(reg, "startColumn", sp->col ? sp->col : 1);
        ll_json_add_num(reg, "endLine", sp->end_line ? sp->end_line : sp->line);
        ll_json_add_num(reg, "endColumn", sp->end_col ? sp->end_col : (sp->col ? sp->col : 1) + 1);
    }
    return loc;
}

static cJSON *rule_descriptor(const LLRule *rule)
{
    cJSON *d = cJSON_CreateObject();
    ll_json_add_str(d, "id", rule->code);
    ll_json_add_str(d, "name", rule->name);
    cJSON_AddItemToObject(d, "shortDescription", cJSON_CreateObject());
    cJSON_AddItemToObject(cJSON_GetObjectItem(d, "shortDescription"), "text", short_text(rule->summary));
    cJSON *full = cJSON_AddObjectToObject(d, "fullDescription");
    cJSON_AddItemToObject(full, "text", short_text(rule->doc_why));
    cJSON *dc = cJSON_AddObjectToObject(d, "defaultConfiguration");
    ll_json_add_str(dc, "level", level(rule->severity));
    LLBuf md;
    ll_buf_init(&md);
    ll_report_rule_markdown(&md, rule);
    cJSON *help = cJSON_AddObjectToObject(d, "help");
    ll_json_add_str(help, "text", md.data);
    ll_json_add_str(help, "markdown", md.data);
    ll_buf_release(&md);
    LLBuf url;
    ll_buf_init(&url);
    ll_buf_printf(&url, "%s%s-%s.md", LL_DOCS_BASE_URI, rule->code, rule->name);
    ll_json_add_str(d, "helpUri", url.data);
    ll_buf_release(&url);
    cJSON *props = cJSON_AddObjectToObject(d, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, ll_json_str("security"));
    size_t ntags = 1;
    for (size_t i = 0; i < rule->cwe.len && ntags < 10; i++, ntags++) {
        LLBuf t;
        ll_buf_init(&t);
        ll_buf_printf(&t, "external/cwe/cwe-%s", rule->cwe.items[i] + 4);
        cJSON_AddItemToArray(tags, ll_json_str(t.data));
        ll_buf_release(&t);
    }
    for (size_t i = 0; i < rule->tags.len && ntags < 10; i++, ntags++)
        cJSON_AddItemToArray(tags, ll_json_str(rule->tags.items[i]));
    ll_json_add_str(props, "precision", rule->precision);
    ll_json_add_str(props, "security-severity", rule->security_severity);
    return d;
}

/* Results in SARIF order: the highest severity first when they must be
 * capped (GitHub keeps at most LL_SARIF_MAX_RESULTS). */

typedef struct Ranked {
    size_t index;
    LLSeverity sev;
} Ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->sev != y->sev)
        return x->sev > y->sev ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_index(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

void ll_report_sarif(LLBuf *out, const LLReport *r)
{
    const LLRuleset *rs = r->rules;
    cJSON *root = cJSON_CreateObject();
    ll_json_add_str(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    ll_json_add_str(root, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    ll_json_add_str(driver, "name", "loadlint");
    ll_json_add_str(driver, "version", LL_VERSION);
    ll_json_add_str(driver, "semanticVersion", LL_VERSION);
    ll_json_add_str(driver, "informationUri", LL_INFORMATION_URI);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    long *sarif_index = ll_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *sarif_index);
    long next = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        sarif_index[i] = -1;
        if (!rs->rules[i].enabled)
            continue;
        sarif_index[i] = next++;
        cJSON_AddItemToArray(rules, rule_descriptor(&rs->rules[i]));
    }
    LLBuf cat;
    ll_buf_init(&cat);
    const char *c = r->sarif_category && *r->sarif_category ? r->sarif_category : "loadlint";
    ll_buf_printf(&cat, "%s%s", c, c[strlen(c) - 1] == '/' ? "" : "/");
    ll_json_add_str(cJSON_AddObjectToObject(run, "automationDetails"), "id", cat.data);
    ll_buf_release(&cat);
    ll_json_add_str(run, "columnKind", "unicodeCodePoints");

    /* which findings go in */
    const LLRunResult *res = r->run;
    Ranked *ranked = ll_xcalloc(res->findings.len + 1, sizeof *ranked);
    size_t n = 0;
    for (size_t i = 0; i < res->findings.len; i++) {
        if (res->findings.items[i].suppressed && !r->include_suppressed)
            continue;
        ranked[n].index = i;
        ranked[n].sev = res->findings.items[i].severity;
        n++;
    }
    size_t dropped = 0;
    if (n > LL_SARIF_MAX_RESULTS) {
        qsort(ranked, n, sizeof *ranked, cmp_ranked);
        dropped = n - LL_SARIF_MAX_RESULTS;
        n = LL_SARIF_MAX_RESULTS;
        qsort(ranked, n, sizeof *ranked, cmp_index);
    }
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t k = 0; k < n; k++) {
        size_t i = ranked[k].index;
        const LLFinding *f = &res->findings.items[i];
        const LLRule *rule = &rs->rules[f->rule];
        cJSON *o = cJSON_CreateObject();
        ll_json_add_str(o, "ruleId", rule->code);
        ll_json_add_num(o, "ruleIndex", (double)sarif_index[f->rule]);
        ll_json_add_str(o, "level", level(f->severity));
        LLBuf m;
        ll_buf_init(&m);
        ll_buf_puts(&m, f->message);
        if (f->nsteps)
            ll_buf_puts(&m, ". See [the untrusted source](1).");
        cJSON_AddItemToObject(o, "message", message(m.data));
        ll_buf_release(&m);
        cJSON *locs = cJSON_AddArrayToObject(o, "locations");
        cJSON_AddItemToArray(locs, physical(r, f->file, &f->span));
        char fp[64];
        ll_report_fingerprint(r, i, fp, sizeof fp);
        ll_json_add_str(cJSON_AddObjectToObject(o, "partialFingerprints"), "loadlintFingerprint/v1", fp);
        if (f->nsteps) {
            cJSON *rel = cJSON_AddArrayToObject(o, "relatedLocations");
            cJSON *src = physical(r, f->steps[0].file, &f->steps[0].span);
            ll_json_add_num(src, "id", 1);
            cJSON_AddItemToObject(src, "message", message(f->steps[0].message));
            cJSON_AddItemToArray(rel, src);
            cJSON *flows = cJSON_AddArrayToObject(o, "codeFlows");
            cJSON *flow = cJSON_CreateObject();
            cJSON_AddItemToArray(flows, flow);
            cJSON *tfs = cJSON_AddArrayToObject(flow, "threadFlows");
            cJSON *tf = cJSON_CreateObject();
            cJSON_AddItemToArray(tfs, tf);
            cJSON *tl = cJSON_AddArrayToObject(tf, "locations");
            uint32_t nsteps = f->nsteps < LL_SARIF_MAX_FLOW_LOCATIONS ? f->nsteps : LL_SARIF_MAX_FLOW_LOCATIONS;
            for (uint32_t s = 0; s < nsteps; s++) {
                cJSON *step = cJSON_CreateObject();
                cJSON *loc = physical(r, f->steps[s].file, &f->steps[s].span);
                cJSON_AddItemToObject(loc, "message", message(f->steps[s].message));
                cJSON_AddItemToObject(step, "location", loc);
                cJSON_AddItemToArray(tl, step);
            }
        }
        if (f->suppressed) {
            /* GitHub ignores this and would open an alert: only on request */
            cJSON *sup = cJSON_CreateObject();
            ll_json_add_str(sup, "kind", "inSource");
            ll_json_add_str(sup, "justification", "# loadlint: ignore comment (or # nosec / # noqa)");
            cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "suppressions"), sup);
        }
        cJSON_AddItemToArray(results, o);
    }
    free(ranked);
    free(sarif_index);

    cJSON *inv = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
    bool ok = true;
    cJSON *notes = cJSON_CreateArray();
    for (size_t i = 0; i < res->diags.len; i++) {
        const LLDiag *d = &res->diags.items[i];
        ok &= d->kind != LL_DIAG_ERROR;
        cJSON *nt = cJSON_CreateObject();
        ll_json_add_str(nt, "level", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        cJSON_AddItemToObject(nt, "message", message(d->message));
        if (d->file != UINT32_MAX) {
            LLSpan sp = {d->line, d->col, d->line, d->col ? d->col + 1 : 0};
            cJSON *locs = cJSON_AddArrayToObject(nt, "locations");
            cJSON_AddItemToArray(locs, physical(r, d->file, d->line ? &sp : NULL));
        }
        cJSON_AddItemToArray(notes, nt);
    }
    if (dropped) {
        cJSON *nt = cJSON_CreateObject();
        ll_json_add_str(nt, "level", "warning");
        LLBuf m;
        ll_buf_init(&m);
        ll_buf_printf(&m, "%zu lower-severity results left out: GitHub accepts at most %u results per run",
                      dropped, LL_SARIF_MAX_RESULTS);
        cJSON_AddItemToObject(nt, "message", message(m.data));
        ll_buf_release(&m);
        cJSON_AddItemToArray(notes, nt);
    }
    cJSON_AddBoolToObject(inv, "executionSuccessful", ok);
    cJSON_AddItemToObject(inv, "toolExecutionNotifications", notes);
    ll_json_print(out, root);
    cJSON_Delete(root);
}
