#include "report/report.h"

#include "engine/fix.h"
#include "report/jsonw.h"

#include <string.h>

static void position(LLJsonW *w, const char *key, uint32_t line, uint32_t col)
{
    ll_jw_key(w, key);
    ll_jw_obj(w);
    ll_jw_kint(w, "line", line);
    ll_jw_kint(w, "column", col);
    ll_jw_end(w);
}

/* "fix": null when the rule has no fixes; else its applicability (safe,
 * unsafe, or none with the reason there is no fix here), description,
 * reason and edits (positions in the file's text, end exclusive). */
static void fix_member(LLJsonW *w, const LLFix *fix)
{
    ll_jw_key(w, "fix");
    if (!fix || fix->status == LL_FIX_NONE) {
        ll_jw_null(w);
        return;
    }
    bool offered = fix->status == LL_FIX_OFFERED;
    ll_jw_obj(w);
    ll_jw_kstr(w, "applicability", !offered ? "none" : fix->safe ? "safe" : "unsafe");
    ll_jw_kstr(w, "description", offered ? fix->description : NULL);
    ll_jw_kstr(w, "reason", fix->reason && fix->reason[0] ? fix->reason : NULL);
    ll_jw_key(w, "edits");
    ll_jw_arr(w);
    for (uint32_t k = 0; offered && k < fix->nedits; k++) {
        const LLFixEdit *e = &fix->edits[k];
        ll_jw_obj(w);
        position(w, "start", e->line, e->col);
        position(w, "end", e->end_line, e->end_col);
        ll_jw_kstr(w, "content", e->text);
        ll_jw_end(w);
    }
    ll_jw_end(w);
    ll_jw_end(w);
}

void ll_report_json(LLBuf *out, const LLReport *r)
{
    LLJsonW w;
    ll_jw_init(&w, out);
    ll_jw_obj(&w);
    ll_jw_kint(&w, "version", 1);
    ll_jw_key(&w, "tool");
    ll_jw_obj(&w);
    ll_jw_kstr(&w, "name", "loadlint");
    ll_jw_kstr(&w, "version", LL_VERSION);
    ll_jw_end(&w);
    ll_jw_key(&w, "results");
    ll_jw_arr(&w);
    size_t counts[LL_SEV_COUNT] = {0};
    size_t shown = 0;
    for (size_t i = 0; i < r->run->findings.len; i++) {
        const LLFinding *f = &r->run->findings.items[i];
        if (f->suppressed && !r->include_suppressed)
            continue;
        const LLRule *rule = &r->rules->rules[f->rule];
        ll_jw_obj(&w);
        ll_jw_kstr(&w, "rule_id", rule->code);
        ll_jw_kstr(&w, "rule_name", rule->name);
        ll_jw_kstr(&w, "severity", ll_severity_name(f->severity));
        ll_jw_kstr(&w, "precision", rule->precision);
        ll_jw_key(&w, "cwe");
        ll_jw_arr(&w);
        for (size_t k = 0; k < rule->cwe.len; k++)
            ll_jw_str(&w, rule->cwe.items[k]);
        ll_jw_end(&w);
        ll_jw_kstr(&w, "message", f->message);
        ll_jw_kstr(&w, "path", r->files->files.items[f->file].display);
        position(&w, "start", f->span.line, f->span.col);
        position(&w, "end", f->span.end_line, f->span.end_col);
        ll_jw_kstr(&w, "callee", f->callee);
        ll_jw_kstr(&w, "provenance", ll_provenance_name(f->provenance));
        ll_jw_kstr(&w, "source", f->source);
        for (int related = 0; related < 2; related++) {
            /* "flow": the path from a source; "related": the calls of a
             * dependency line, the safe load a fallback stands in for */
            ll_jw_key(&w, related ? "related" : "flow");
            ll_jw_arr(&w);
            for (uint32_t k = 0; f->steps_related == (bool)related && k < f->nsteps; k++) {
                ll_jw_obj(&w);
                ll_jw_kstr(&w, "path", r->files->files.items[f->steps[k].file].display);
                position(&w, "start", f->steps[k].span.line, f->steps[k].span.col);
                position(&w, "end", f->steps[k].span.end_line, f->steps[k].span.end_col);
                ll_jw_kstr(&w, "message", f->steps[k].message);
                ll_jw_end(&w);
            }
            ll_jw_end(&w);
        }
        ll_jw_kstr(&w, "snippet", f->snippet);
        ll_jw_key(&w, "bytes");
        if (f->binary) {
            ll_jw_obj(&w);
            ll_jw_kint(&w, "offset", (long long)f->byte_offset);
            ll_jw_kint(&w, "length", (long long)f->byte_length);
            ll_jw_end(&w);
        } else {
            ll_jw_null(&w);
        }
        ll_jw_key(&w, "members");
        ll_jw_arr(&w);
        for (uint32_t k = 0; k < f->nmembers; k++)
            ll_jw_str(&w, f->members[k]);
        ll_jw_end(&w);
        char fp[64];
        ll_report_fingerprint(r, i, fp, sizeof fp);
        ll_jw_kstr(&w, "fingerprint", fp);
        /* the rule's page, or null: the built-in rules have none yet */
        if (rule->url) {
            ll_jw_kstr(&w, "url", rule->url);
        } else {
            ll_jw_key(&w, "url");
            ll_jw_null(&w);
        }
        ll_jw_kbool(&w, "suppressed", f->suppressed != LL_SUPP_NONE);
        ll_jw_kstr(&w, "suppression", ll_suppression_name((LLSuppression)f->suppressed));
        ll_jw_kstr(&w, "context", ll_finding_context_name((LLContext)f->context));
        ll_jw_kbool(&w, "lowered", f->lowered);
        ll_jw_kstr(&w, "verified", f->verified);
        fix_member(&w, f->fix);
        ll_jw_end(&w);
        if (!f->suppressed) {
            counts[f->severity]++;
            shown++;
        }
    }
    ll_jw_end(&w);
    ll_jw_key(&w, "errors");
    ll_jw_arr(&w);
    for (size_t i = 0; i < r->run->diags.len; i++) {
        const LLDiag *d = &r->run->diags.items[i];
        ll_jw_obj(&w);
        ll_jw_kstr(&w, "path", d->file == UINT32_MAX ? "" : r->files->files.items[d->file].display);
        ll_jw_kstr(&w, "kind", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        ll_jw_kint(&w, "line", d->line);
        ll_jw_kint(&w, "column", d->col);
        ll_jw_kstr(&w, "message", d->message);
        ll_jw_end(&w);
    }
    ll_jw_end(&w);
    ll_jw_key(&w, "summary");
    ll_jw_obj(&w);
    ll_jw_kint(&w, "files", (long long)r->run->files_scanned);
    ll_jw_kint(&w, "findings", (long long)shown);
    ll_jw_kint(&w, "error", (long long)counts[LL_SEV_ERROR]);
    ll_jw_kint(&w, "warning", (long long)counts[LL_SEV_WARNING]);
    ll_jw_kint(&w, "note", (long long)counts[LL_SEV_NOTE]);
    ll_jw_end(&w);
    ll_jw_finish(&w);
}
