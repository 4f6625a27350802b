#include "report/report.h"

#include "base/limits.h"
#include "base/mem.h"
#include "report/cjson_util.h"
#include "report/jsonw.h"
#include "base/strmap.h"
#include "base/text.h"
#include "engine/fix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *level(LLSeverity s) { return ll_severity_name(s); }

/* At most 1024 bytes, not cutting a UTF-8 sequence. */
static void short_text(LLJsonW *w, const char *s)
{
    size_t n = strlen(s);
    if (n <= 1024) {
        ll_jw_strn(w, s, n);
        return;
    }
    n = 1021;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    LLBuf t;
    ll_buf_init(&t);
    ll_buf_append(&t, s, n);
    ll_buf_puts(&t, "...");
    ll_jw_strn(w, t.data, t.len);
    ll_buf_release(&t);
}

static void message(LLJsonW *w, const char *text)
{
    ll_jw_key(w, "message");
    ll_jw_obj(w);
    ll_jw_kstr(w, "text", text);
    ll_jw_end(w);
}

/* Per file: its percent-encoded relative URI (or absolute file:// URI),
 * computed once for the report. */
typedef struct Uris {
    char **uri;
    bool *absolute;
    size_t n;
} Uris;

static void uris_init(Uris *u, const LLReport *r)
{
    u->n = r->files->files.len;
    u->uri = ll_xcalloc(u->n + 1, sizeof *u->uri);
    u->absolute = ll_xcalloc(u->n + 1, sizeof *u->absolute);
}

static const char *uri_of(Uris *u, const LLReport *r, uint32_t file, bool *absolute)
{
    if (!u->uri[file]) {
        LLBuf b;
        ll_buf_init(&b);
        int abs;
        ll_json_uri(&b, r->files->files.items[file].display, &abs);
        u->absolute[file] = abs;
        u->uri[file] = ll_buf_detach(&b);
    }
    *absolute = u->absolute[file];
    return u->uri[file];
}

static void uris_release(Uris *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->uri[i]);
    free(u->uri);
    free(u->absolute);
}

/* A location object (the caller opened nothing: this writes the whole
 * object as the next value). `extra` writes more members (id, message). */
static void physical(LLJsonW *w, Uris *u, const LLReport *r, uint32_t file, const LLSpan *sp,
                     int id, const char *msg)
{
    ll_jw_obj(w);
    if (id >= 0)
        ll_jw_kint(w, "id", id);
    ll_jw_key(w, "physicalLocation");
    ll_jw_obj(w);
    ll_jw_key(w, "artifactLocation");
    ll_jw_obj(w);
    bool absolute;
    ll_jw_kstr(w, "uri", uri_of(u, r, file, &absolute));
    if (!absolute)
        ll_jw_kstr(w, "uriBaseId", "%SRCROOT%");
    ll_jw_end(w);
    if (sp && sp->line) {
        ll_jw_key(w, "region");
        ll_jw_obj(w);
        ll_jw_kint(w, "startLine", sp->line);
        ll_jw_kint(w, "startColumn", sp->col ? sp->col : 1);
        ll_jw_kint(w, "endLine", sp->end_line ? sp->end_line : sp->line);
        ll_jw_kint(w, "endColumn", sp->end_col ? sp->end_col : (sp->col ? sp->col : 1) + 1);
        ll_jw_end(w);
    }
    ll_jw_end(w);
    if (msg)
        message(w, msg);
    ll_jw_end(w);
}

/* result.fixes: the finding's fix when one is offered, as replacements of
 * regions of its file (an insertion is an empty region: start == end),
 * with properties.applicability "safe" (--fix) or "unsafe"
 * (--unsafe-fixes). */
static void fixes(LLJsonW *w, Uris *u, const LLReport *r, const LLFinding *f)
{
    const LLFix *fix = f->fix;
    if (!fix || fix->status != LL_FIX_OFFERED || !fix->nedits || f->binary)
        return;
    ll_jw_key(w, "fixes");
    ll_jw_arr(w);
    ll_jw_obj(w);
    LLBuf d;
    ll_buf_init(&d);
    ll_buf_puts(&d, fix->description ? fix->description : "fix");
    if (!fix->safe && fix->reason && fix->reason[0])
        ll_buf_printf(&d, " (unsafe: %s)", fix->reason);
    ll_jw_key(w, "description");
    ll_jw_obj(w);
    ll_jw_kstr(w, "text", d.data);
    ll_jw_end(w);
    ll_buf_release(&d);
    ll_jw_key(w, "artifactChanges");
    ll_jw_arr(w);
    ll_jw_obj(w);
    ll_jw_key(w, "artifactLocation");
    ll_jw_obj(w);
    bool absolute;
    ll_jw_kstr(w, "uri", uri_of(u, r, f->file, &absolute));
    if (!absolute)
        ll_jw_kstr(w, "uriBaseId", "%SRCROOT%");
    ll_jw_end(w);
    ll_jw_key(w, "replacements");
    ll_jw_arr(w);
    for (uint32_t k = 0; k < fix->nedits; k++) {
        const LLFixEdit *e = &fix->edits[k];
        ll_jw_obj(w);
        ll_jw_key(w, "deletedRegion");
        ll_jw_obj(w);
        ll_jw_kint(w, "startLine", e->line);
        ll_jw_kint(w, "startColumn", e->col);
        ll_jw_kint(w, "endLine", e->end_line);
        ll_jw_kint(w, "endColumn", e->end_col);
        ll_jw_end(w);
        if (e->text && e->text[0]) {
            ll_jw_key(w, "insertedContent");
            ll_jw_obj(w);
            ll_jw_kstr(w, "text", e->text);
            ll_jw_end(w);
        }
        ll_jw_end(w);
    }
    ll_jw_end(w); /* replacements */
    ll_jw_end(w); /* artifactChange */
    ll_jw_end(w); /* artifactChanges */
    ll_jw_key(w, "properties");
    ll_jw_obj(w);
    ll_jw_kstr(w, "applicability", fix->safe ? "safe" : "unsafe");
    ll_jw_end(w);
    ll_jw_end(w); /* fix */
    ll_jw_end(w); /* fixes */
}

typedef struct Artifacts Artifacts;
static long artifact_index(Artifacts *a, uint32_t file, char *const *members, uint32_t n);

/* The location of a binary finding. The primary one (member == false) is
 * the file on disk, at line 1 (GitHub places every alert on a line), with
 * the byte range when the finding is not inside an archive member; the
 * member one is the innermost member (a nested artifact) with the byte
 * range inside it. */
static void binary_location(LLJsonW *w, Uris *u, Artifacts *arts, const LLReport *r,
                            const LLFinding *f, bool member)
{
    ll_jw_obj(w);
    if (member)
        ll_jw_kint(w, "id", 1);
    ll_jw_key(w, "physicalLocation");
    ll_jw_obj(w);
    ll_jw_key(w, "artifactLocation");
    ll_jw_obj(w);
    if (member) {
        LLBuf b;
        ll_buf_init(&b);
        const char *name = f->members[f->nmembers - 1];
        ll_uri_encode_path(&b, name, strlen(name));
        ll_jw_kstr(w, "uri", b.data);
        ll_buf_release(&b);
        ll_jw_kint(w, "index", artifact_index(arts, f->file, f->members, f->nmembers));
    } else {
        bool absolute;
        ll_jw_kstr(w, "uri", uri_of(u, r, f->file, &absolute));
        if (!absolute)
            ll_jw_kstr(w, "uriBaseId", "%SRCROOT%");
        ll_jw_kint(w, "index", artifact_index(arts, f->file, NULL, 0));
    }
    ll_jw_end(w);
    ll_jw_key(w, "region");
    ll_jw_obj(w);
    if (!member) {
        /* a full region, 1:1 (finding.h: `span`), as for every result */
        ll_jw_kint(w, "startLine", 1);
        ll_jw_kint(w, "startColumn", 1);
        ll_jw_kint(w, "endLine", 1);
        ll_jw_kint(w, "endColumn", 2);
    }
    if (member || !f->nmembers) {
        ll_jw_kint(w, "byteOffset", (long long)f->byte_offset);
        ll_jw_kint(w, "byteLength", (long long)f->byte_length);
    }
    ll_jw_end(w);
    ll_jw_end(w);
    if (member) {
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_puts(&b, "in the archive member ");
        for (uint32_t i = 0; i < f->nmembers; i++)
            ll_buf_printf(&b, "%s%s", i ? " / " : "", f->members[i]);
        message(w, b.data);
        ll_buf_release(&b);
    }
    ll_jw_end(w);
}

/* The highest severity a rule's findings get (before test code and
 * verification lower them). */
static LLSeverity top_grade(const LLRule *rule)
{
    LLSeverity top = rule->severity;
    if (rule->has_provenance) {
        top = rule->provenance[0];
        for (int i = 1; i < 3; i++)
            if (rule->provenance[i] > top)
                top = rule->provenance[i];
    }
    return top;
}

/* GitHub's security-severity of a grade: the rule's own, at most "medium"
 * (6.9) for a warning and "low" (3.9) for a note, so that a grade never
 * shows as more than it is. */
static void grade_security_severity(const LLRule *rule, LLSeverity grade, char *buf, size_t n)
{
    double own = rule->security_severity ? strtod(rule->security_severity, NULL) : 0.0;
    double cap = grade == LL_SEV_WARNING ? 6.9 : grade == LL_SEV_NOTE ? 3.9 : 10.0;
    snprintf(buf, n, "%.1f", own < cap ? own : cap);
}

/* The descriptor id of a rule's findings graded `grade`: the rule's code
 * for its top grade, "<code>/<grade>" below it. */
static void grade_id(const LLRule *rule, LLSeverity grade, char *buf, size_t n)
{
    if (grade >= top_grade(rule))
        snprintf(buf, n, "%s", rule->code);
    else
        snprintf(buf, n, "%s/%s", rule->code, ll_severity_name(grade));
}

/* A rule's descriptor (grade < 0), or the descriptor of its findings
 * graded lower than its top grade (GitHub reads security-severity from the
 * descriptor only, so a note must not share a Critical one). */
static void rule_descriptor(LLJsonW *w, const LLRule *rule, int grade)
{
    char id[64], name[128], sev[16];
    LLSeverity g = grade < 0 ? top_grade(rule) : (LLSeverity)grade;
    grade_id(rule, g, id, sizeof id);
    snprintf(name, sizeof name, grade < 0 ? "%s" : "%s-%s", rule->name, ll_severity_name(g));
    ll_jw_obj(w);
    ll_jw_kstr(w, "id", id);
    ll_jw_kstr(w, "name", name);
    ll_jw_key(w, "shortDescription");
    ll_jw_obj(w);
    ll_jw_key(w, "text");
    if (grade < 0) {
        short_text(w, rule->summary);
    } else {
        LLBuf t;
        ll_buf_init(&t);
        ll_buf_printf(&t, "%s (findings graded %s)", rule->summary, ll_severity_name(g));
        short_text(w, t.data);
        ll_buf_release(&t);
    }
    ll_jw_end(w);
    ll_jw_key(w, "fullDescription");
    ll_jw_obj(w);
    ll_jw_key(w, "text");
    short_text(w, rule->doc_why);
    ll_jw_end(w);
    ll_jw_key(w, "defaultConfiguration");
    ll_jw_obj(w);
    ll_jw_kstr(w, "level", level(grade < 0 ? rule->severity : g));
    ll_jw_end(w);
    LLBuf md;
    ll_buf_init(&md);
    ll_report_rule_markdown(&md, rule);
    ll_jw_key(w, "help");
    ll_jw_obj(w);
    ll_jw_kstr(w, "text", md.data);
    ll_jw_kstr(w, "markdown", md.data);
    ll_jw_end(w);
    /* a page only when the rule names one: the built-in rules have none
     * yet, and their docs travel in `help` above */
    if (rule->url)
        ll_jw_kstr(w, "helpUri", rule->url);
    ll_jw_key(w, "properties");
    ll_jw_obj(w);
    ll_jw_key(w, "tags");
    ll_jw_arr(w);
    ll_jw_str(w, "security");
    size_t ntags = 1;
    for (size_t i = 0; i < rule->cwe.len && ntags < 10; i++, ntags++) {
        ll_buf_reset(&md);
        ll_buf_printf(&md, "external/cwe/cwe-%s", rule->cwe.items[i] + 4);
        ll_jw_str(w, md.data);
    }
    for (size_t i = 0; i < rule->tags.len && ntags < 10; i++, ntags++)
        ll_jw_str(w, rule->tags.items[i]);
    ll_jw_end(w);
    ll_jw_kstr(w, "precision", rule->precision);
    grade_security_severity(rule, g, sev, sizeof sev);
    ll_jw_kstr(w, "security-severity", sev);
    if (grade >= 0) {
        ll_jw_kstr(w, "loadlint/rule", rule->code);
        ll_jw_kstr(w, "loadlint/grade", ll_severity_name(g));
    }
    ll_jw_end(w);
    ll_jw_end(w);
    ll_buf_release(&md);
}

/* Why a suppressed finding is not shown, as SARIF suppressions say it. */
static void suppression(LLJsonW *w, const LLFinding *f)
{
    ll_jw_key(w, "suppressions");
    ll_jw_arr(w);
    ll_jw_obj(w);
    switch ((LLSuppression)f->suppressed) {
    case LL_SUPP_COMMENT:
        ll_jw_kstr(w, "kind", "inSource");
        ll_jw_kstr(w, "justification", "# loadlint: ignore comment (or # nosec / # noqa)");
        break;
    case LL_SUPP_ROUND_TRIP:
        ll_jw_kstr(w, "kind", "external");
        ll_jw_kstr(w, "justification",
                   "round trip: the input is data this code produced (see the message)");
        break;
    case LL_SUPP_TEST:
        ll_jw_kstr(w, "kind", "external");
        ll_jw_kstr(w, "justification", "test code, and test-severity is \"ignore\"");
        break;
    case LL_SUPP_DUPLICATE:
    case LL_SUPP_NONE:
        ll_jw_kstr(w, "kind", "external");
        ll_jw_kstr(w, "justification",
                   "another rule's finding on the same call is reported instead");
        break;
    }
    ll_jw_end(w);
    ll_jw_end(w);
}

/* run.artifacts: the files on disk that hold binary findings, and the
 * archive members inside them (nested artifacts with parentIndex). */
typedef struct Artifacts {
    LLStrMap index; /* key: file index (4 bytes) + members joined by NUL -> index + 1 */
    LL_VEC(char *) keys;  /* owned keys */
    LL_VEC(long) parent;  /* per artifact: parent index, -1 for a file */
    LL_VEC(uint32_t) file;
    LL_VEC(const char *) member; /* NULL for the file itself */
} Artifacts;

/* The index of (file, members[0..n)), adding it and its parents. */
static long artifact_index(Artifacts *a, uint32_t file, char *const *members, uint32_t n)
{
    long parent = -1;
    LLBuf key;
    ll_buf_init(&key);
    ll_buf_append(&key, &file, 4);
    for (uint32_t depth = 0; depth <= n; depth++) {
        if (depth) {
            ll_buf_putc(&key, '\0');
            ll_buf_puts(&key, members[depth - 1]);
        }
        intptr_t v;
        if (ll_strmap_get(&a->index, key.data, key.len, &v)) {
            parent = (long)v - 1;
            continue;
        }
        char *k = ll_xmalloc(key.len ? key.len : 1);
        memcpy(k, key.data, key.len);
        LL_VEC_PUSH(&a->keys, k);
        long idx = (long)a->parent.len;
        ll_strmap_put(&a->index, k, key.len, (intptr_t)idx + 1);
        LL_VEC_PUSH(&a->parent, parent);
        LL_VEC_PUSH(&a->file, file);
        LL_VEC_PUSH(&a->member, depth ? members[depth - 1] : NULL);
        parent = idx;
    }
    ll_buf_release(&key);
    return parent;
}

static void artifacts_release(Artifacts *a)
{
    for (size_t i = 0; i < a->keys.len; i++)
        free(a->keys.items[i]);
    LL_VEC_FREE(&a->keys);
    LL_VEC_FREE(&a->parent);
    LL_VEC_FREE(&a->file);
    LL_VEC_FREE(&a->member);
    ll_strmap_release(&a->index);
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
    LLJsonW w;
    ll_jw_init(&w, out);
    ll_jw_obj(&w);
    ll_jw_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    ll_jw_kstr(&w, "version", "2.1.0");
    ll_jw_key(&w, "runs");
    ll_jw_arr(&w);
    ll_jw_obj(&w);
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
    ll_jw_key(&w, "tool");
    ll_jw_obj(&w);
    ll_jw_key(&w, "driver");
    ll_jw_obj(&w);
    ll_jw_kstr(&w, "name", "loadlint");
    ll_jw_kstr(&w, "version", LL_VERSION);
    ll_jw_kstr(&w, "semanticVersion", LL_VERSION);
    ll_jw_kstr(&w, "informationUri", LL_INFORMATION_URI);
    /* descriptors: one per enabled rule, then one per (rule, lower grade)
     * that a result uses */
    long *sarif_index = ll_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *sarif_index);
    long(*grade_index)[LL_SEV_COUNT] = ll_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *grade_index);
    long next = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        sarif_index[i] = -1;
        for (int g = 0; g < LL_SEV_COUNT; g++)
            grade_index[i][g] = -1;
        if (!rs->rules[i].enabled)
            continue;
        sarif_index[i] = next++;
        grade_index[i][top_grade(&rs->rules[i])] = sarif_index[i];
    }
    LL_VEC(uint32_t) graded = {0}; /* rule * LL_SEV_COUNT + grade, in index order */
    for (size_t k = 0; k < n; k++) {
        const LLFinding *f = &res->findings.items[ranked[k].index];
        if (sarif_index[f->rule] < 0)
            sarif_index[f->rule] = next++, grade_index[f->rule][top_grade(&rs->rules[f->rule])] = sarif_index[f->rule];
        if (grade_index[f->rule][f->severity] >= 0)
            continue;
        grade_index[f->rule][f->severity] = next++;
        LL_VEC_PUSH(&graded, (uint32_t)(f->rule * LL_SEV_COUNT + f->severity));
    }
    ll_jw_key(&w, "rules");
    ll_jw_arr(&w);
    for (size_t i = 0; i < rs->nrules; i++)
        if (sarif_index[i] >= 0)
            rule_descriptor(&w, &rs->rules[i], -1);
    for (size_t i = 0; i < graded.len; i++)
        rule_descriptor(&w, &rs->rules[graded.items[i] / LL_SEV_COUNT],
                        (int)(graded.items[i] % LL_SEV_COUNT));
    LL_VEC_FREE(&graded);
    ll_jw_end(&w); /* rules */
    ll_jw_end(&w); /* driver */
    ll_jw_end(&w); /* tool */
    LLBuf cat;
    ll_buf_init(&cat);
    const char *c = r->sarif_category && *r->sarif_category ? r->sarif_category : "loadlint";
    ll_buf_printf(&cat, "%s%s", c, c[strlen(c) - 1] == '/' ? "" : "/");
    ll_jw_key(&w, "automationDetails");
    ll_jw_obj(&w);
    ll_jw_kstr(&w, "id", cat.data);
    ll_jw_end(&w);
    ll_buf_release(&cat);
    ll_jw_kstr(&w, "columnKind", "unicodeCodePoints");

    Uris uris;
    uris_init(&uris, r);
    /* the artifacts binary findings live in, written before the results */
    Artifacts arts;
    memset(&arts, 0, sizeof arts);
    ll_strmap_init(&arts.index);
    for (size_t k = 0; k < n; k++) {
        const LLFinding *f = &res->findings.items[ranked[k].index];
        if (f->binary)
            artifact_index(&arts, f->file, f->members, f->nmembers);
    }
    if (arts.parent.len) {
        ll_jw_key(&w, "artifacts");
        ll_jw_arr(&w);
        for (size_t i = 0; i < arts.parent.len; i++) {
            ll_jw_obj(&w);
            ll_jw_key(&w, "location");
            ll_jw_obj(&w);
            if (arts.member.items[i]) {
                LLBuf u;
                ll_buf_init(&u);
                ll_uri_encode_path(&u, arts.member.items[i], strlen(arts.member.items[i]));
                ll_jw_kstr(&w, "uri", u.data);
                ll_buf_release(&u);
            } else {
                bool absolute;
                ll_jw_kstr(&w, "uri", uri_of(&uris, r, arts.file.items[i], &absolute));
                if (!absolute)
                    ll_jw_kstr(&w, "uriBaseId", "%SRCROOT%");
            }
            ll_jw_end(&w);
            if (arts.parent.items[i] >= 0)
                ll_jw_kint(&w, "parentIndex", arts.parent.items[i]);
            ll_jw_end(&w);
        }
        ll_jw_end(&w);
    }
    LLBuf m;
    ll_buf_init(&m);
    ll_jw_key(&w, "results");
    ll_jw_arr(&w);
    for (size_t k = 0; k < n; k++) {
        size_t i = ranked[k].index;
        const LLFinding *f = &res->findings.items[i];
        const LLRule *rule = &rs->rules[f->rule];
        ll_jw_obj(&w);
        char rid[64];
        grade_id(rule, f->severity, rid, sizeof rid);
        ll_jw_kstr(&w, "ruleId", rid);
        ll_jw_kint(&w, "ruleIndex", grade_index[f->rule][f->severity]);
        ll_jw_kstr(&w, "level", level(f->severity));
        ll_buf_reset(&m);
        ll_buf_puts(&m, f->message);
        /* steps[0]: the untrusted source, or (a finding joined with the
         * model file it loads, engine/join.h) that model file */
        if (f->nsteps && f->steps_related) {
            ll_buf_puts(&m, ". See ");
            for (uint32_t s = 0; s < f->nsteps && s < LL_SARIF_MAX_FLOW_LOCATIONS; s++)
                ll_buf_printf(&m, "%s[%s:%u](%u)", s ? ", " : "", r->files->files.items[f->steps[s].file].display,
                              f->steps[s].span.line, s + 1);
            ll_buf_puts(&m, ".");
        } else if (f->nsteps) {
            ll_buf_puts(&m, f->source ? ". See [the untrusted source](1)." : ". See [the model file it loads](1).");
        }
        message(&w, m.data);
        ll_jw_key(&w, "locations");
        ll_jw_arr(&w);
        if (f->binary)
            binary_location(&w, &uris, &arts, r, f, false);
        else
            physical(&w, &uris, r, f->file, &f->span, -1, NULL);
        ll_jw_end(&w);
        if (f->binary && f->nmembers) {
            ll_jw_key(&w, "relatedLocations");
            ll_jw_arr(&w);
            binary_location(&w, &uris, &arts, r, f, true);
            ll_jw_end(&w);
        }
        char fp[64];
        ll_report_fingerprint(r, i, fp, sizeof fp);
        ll_jw_key(&w, "partialFingerprints");
        ll_jw_obj(&w);
        ll_jw_kstr(&w, "loadlintFingerprint/v1", fp);
        ll_jw_end(&w);
        if (f->nsteps && f->steps_related) {
            /* the calls of a dependency line, a fallback's safe load: no path */
            ll_jw_key(&w, "relatedLocations");
            ll_jw_arr(&w);
            for (uint32_t s = 0; s < f->nsteps && s < LL_SARIF_MAX_FLOW_LOCATIONS; s++)
                physical(&w, &uris, r, f->steps[s].file, &f->steps[s].span, (int)s + 1, f->steps[s].message);
            ll_jw_end(&w);
        } else if (f->nsteps) {
            ll_jw_key(&w, "relatedLocations");
            ll_jw_arr(&w);
            physical(&w, &uris, r, f->steps[0].file, &f->steps[0].span, 1, f->steps[0].message);
            ll_jw_end(&w);
            ll_jw_key(&w, "codeFlows");
            ll_jw_arr(&w);
            ll_jw_obj(&w);
            ll_jw_key(&w, "threadFlows");
            ll_jw_arr(&w);
            ll_jw_obj(&w);
            ll_jw_key(&w, "locations");
            ll_jw_arr(&w);
            uint32_t nsteps = f->nsteps < LL_SARIF_MAX_FLOW_LOCATIONS ? f->nsteps : LL_SARIF_MAX_FLOW_LOCATIONS;
            for (uint32_t s = 0; s < nsteps; s++) {
                ll_jw_obj(&w);
                ll_jw_key(&w, "location");
                physical(&w, &uris, r, f->steps[s].file, &f->steps[s].span, -1, f->steps[s].message);
                ll_jw_end(&w);
            }
            ll_jw_end(&w); /* locations */
            ll_jw_end(&w); /* threadFlow */
            ll_jw_end(&w); /* threadFlows */
            ll_jw_end(&w); /* codeFlow */
            ll_jw_end(&w); /* codeFlows */
        }
        fixes(&w, &uris, r, f);
        if (f->suppressed) /* GitHub ignores this and would open an alert: only on request */
            suppression(&w, f);
        ll_jw_key(&w, "properties");
        ll_jw_obj(&w);
        ll_jw_kstr(&w, "loadlint/context", ll_finding_context_name((LLContext)f->context));
        if (!f->binary)
            ll_jw_kstr(&w, "loadlint/provenance", ll_provenance_name(f->provenance));
        if (f->verified)
            ll_jw_kstr(&w, "loadlint/verified", f->verified);
        if (f->lowered)
            ll_jw_kbool(&w, "loadlint/lowered-in-test-code", true);
        ll_jw_end(&w);
        ll_jw_end(&w);
    }
    ll_jw_end(&w); /* results */
    free(ranked);
    free(sarif_index);
    free(grade_index);

    ll_jw_key(&w, "invocations");
    ll_jw_arr(&w);
    ll_jw_obj(&w);
    bool ok = true;
    for (size_t i = 0; i < res->diags.len; i++)
        ok &= res->diags.items[i].kind != LL_DIAG_ERROR;
    ll_jw_kbool(&w, "executionSuccessful", ok);
    ll_jw_key(&w, "toolExecutionNotifications");
    ll_jw_arr(&w);
    for (size_t i = 0; i < res->diags.len; i++) {
        const LLDiag *d = &res->diags.items[i];
        ll_jw_obj(&w);
        ll_jw_kstr(&w, "level", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        message(&w, d->message);
        if (d->file != UINT32_MAX) {
            LLSpan sp = {d->line, d->col, d->line, d->col ? d->col + 1 : 0};
            ll_jw_key(&w, "locations");
            ll_jw_arr(&w);
            physical(&w, &uris, r, d->file, d->line ? &sp : NULL, -1, NULL);
            ll_jw_end(&w);
        }
        ll_jw_end(&w);
    }
    if (dropped) {
        ll_jw_obj(&w);
        ll_jw_kstr(&w, "level", "warning");
        ll_buf_reset(&m);
        ll_buf_printf(&m, "%zu lower-severity results left out: GitHub accepts at most %u results per run",
                      dropped, LL_SARIF_MAX_RESULTS);
        message(&w, m.data);
        ll_jw_end(&w);
    }
    ll_jw_end(&w); /* notifications */
    ll_jw_end(&w); /* invocation */
    ll_jw_end(&w); /* invocations */
    ll_buf_release(&m);
    uris_release(&uris);
    artifacts_release(&arts);
    ll_jw_finish(&w);
}
