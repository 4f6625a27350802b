/* versions.c - rules judged against the versions a project allows, and the
 * dependency-file analyzer (versions.h). */
#include "engine/versions.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/path.h"
#include "base/strmap.h"
#include "base/text.h"
#include "deps/judge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct LLVersions {
    const LLRuleset *rules;
    const LLFileList *files;
    LLDepsJudge *judge;
    char *cwd;    /* absolute; the directory of files without one */
    bool claims;  /* an enabled rule has versions: dependency files are analysed */
};

LLVersions *ll_versions_new(const LLRuleset *rules, const LLFileList *files)
{
    if (!ll_ruleset_uses_versions(rules))
        return NULL;
    LLVersions *v = ll_xcalloc(1, sizeof *v);
    v->rules = rules;
    v->files = files;
    v->judge = ll_deps_judge_new();
    char buf[4096];
    v->cwd = ll_xstrdup(getcwd(buf, sizeof buf) ? buf : "/");
    for (size_t i = 0; i < rules->nrules && !v->claims; i++)
        v->claims = rules->rules[i].enabled && rules->rules[i].versions;
    return v;
}

void ll_versions_free(LLVersions *v)
{
    if (!v)
        return;
    ll_deps_judge_free(v->judge);
    free(v->cwd);
    free(v);
}

/* ---- places -------------------------------------------------------------------- */

/* The place of file fe: its directory under its settings' assume-versions. */
static const LLDepsPlace *place_for(LLVersions *v, const LLFileEntry *fe)
{
    char *abs = fe->abs ? NULL : ll_path_abs(v->cwd, strcmp(fe->path, "-") == 0 ? "<stdin>" : fe->path);
    char *dir = ll_path_dirname(fe->abs ? fe->abs : abs);
    const LLSettings *s = fe->settings;
    size_t n = s ? s->assume_versions.len : 0;
    LLDepsAssumed *as = n ? ll_xcalloc(n, sizeof *as) : NULL;
    for (size_t i = 0; i < n; i++)
        as[i] = (LLDepsAssumed){s->assume_versions.items[i].name, s->assume_versions.items[i].value};
    const char *config = s && s->config_path ? s->config_path : "--assume-version";
    const LLDepsPlace *p = ll_deps_judge_place(v->judge, as, n, config, dir);
    free(as);
    free(dir);
    free(abs);
    return p;
}

LLFixVersions ll_versions_fix_check(LLVersions *v, const LLFileEntry *fe, const char *package,
                                    const char *versions)
{
    if (!v || !package || !versions)
        return LL_FIX_VERSIONS_UNKNOWN;
    LLVerSet want = {0}, outside = {0};
    LLVerError verr;
    if (ll_verset_parse(&want, versions, strlen(versions), &verr) != LL_OK) {
        ll_verset_free(&want);
        return LL_FIX_VERSIONS_UNKNOWN; /* fixspec.c checked it when the rule was loaded */
    }
    ll_verset_complement(&outside, &want);
    LLDepsJudgement jd;
    LLVerdict vd = ll_deps_judge_range(place_for(v, fe), package, &outside, &jd);
    ll_verset_free(&want);
    ll_verset_free(&outside);
    if (vd == LL_VERDICT_UNKNOWN)
        return LL_FIX_VERSIONS_UNKNOWN;
    return vd == LL_VERDICT_NONE ? LL_FIX_VERSIONS_ALL : LL_FIX_VERSIONS_NOT_ALL;
}

size_t ll_versions_files_for(LLVersions *v, const LLFileEntry *fe, const char *const **files)
{
    *files = NULL;
    if (!v)
        return 0;
    return ll_deps_place_files(place_for(v, fe), files);
}

static uint64_t mix(uint64_t h, const void *data, size_t n)
{
    return (h ^ ll_strmap_hash(data, n)) * 0x100000001b3ull + n;
}

uint64_t ll_versions_digest_for(LLVersions *v, const LLFileEntry *fe)
{
    if (!v)
        return 0;
    uint64_t h = 0xcbf29ce484222325ull;
    const LLSettings *s = fe->settings;
    for (size_t i = 0; s && i < s->assume_versions.len; i++) {
        const LLNameValue *nv = &s->assume_versions.items[i];
        h = mix(h, nv->name, strlen(nv->name) + 1);
        h = mix(h, nv->value, strlen(nv->value) + 1);
    }
    const char *const *files;
    size_t n = ll_versions_files_for(v, fe, &files);
    char *buf = ll_xmalloc(LL_VERSIONS_DIGEST_CHUNK);
    for (size_t i = 0; i < n; i++) {
        h = mix(h, files[i], strlen(files[i]) + 1);
        FILE *fp = fopen(files[i], "rb");
        if (!fp) {
            h = mix(h, "\0unreadable", 11);
            continue;
        }
        size_t got;
        while ((got = fread(buf, 1, LL_VERSIONS_DIGEST_CHUNK, fp)) > 0)
            h = mix(h, buf, got);
        fclose(fp);
    }
    free(buf);
    return h;
}

/* ---- the dependency-file analyzer ------------------------------------------------ */

bool ll_versions_claims(const LLVersions *v, const LLFileEntry *fe)
{
    return v && v->claims && fe->kind != LL_ENTRY_PYTHON &&
           ll_deps_judge_is_dependency_name(ll_path_basename(fe->path));
}

static bool deps_claims(const char *name, const uint8_t *head, size_t n)
{
    (void)head;
    (void)n;
    return ll_deps_judge_is_dependency_name(ll_path_basename(name));
}

static void *deps_worker_new(const LLAnalyzerEnv *env)
{
    return (void *)env; /* no state of its own: the judge locks what it builds */
}

static void deps_worker_free(void *worker)
{
    (void)worker;
}

/* Reads the file (and its directory) into the judge; its problems are
 * given with all others by ll_versions_finish. */
static void deps_analyze(void *worker, uint32_t file, LLFileResult *out)
{
    const LLAnalyzerEnv *env = worker;
    LLVersions *v = env->shared;
    const LLFileEntry *fe = &env->files->files.items[file];
    char *abs = fe->abs ? NULL : ll_path_abs(v->cwd, fe->path);
    if (!ll_deps_judge_read(v->judge, fe->abs ? fe->abs : abs))
        ll_file_result_diag(out, file, LL_DIAG_WARNING, 0, 0,
                            "not read as a dependency file: its name is not one");
    free(abs);
}

static const LLAnalyzer deps_analyzer = {
    .name = "dependencies",
    .claims = deps_claims, /* by name only */
    .worker_new = deps_worker_new,
    .worker_free = deps_worker_free,
    .analyze = deps_analyze,
};

const LLAnalyzer *ll_analyzer_deps(void)
{
    return &deps_analyzer;
}

/* ---- judging findings -------------------------------------------------------------- */

/* A path as reports show it: relative to the working directory when below it. */
static const char *shown(const LLVersions *v, const char *abs)
{
    const char *rel = abs && abs[0] == '/' ? ll_path_below(abs, v->cwd) : NULL;
    return rel && *rel ? rel : abs ? abs : "?";
}

/* "torch==2.4.0", "torch ^2.4": a statement as written. */
static void put_statement(LLBuf *b, const LLDepsStatement *st)
{
    const char *t = st->text ? st->text : "";
    bool op = *t == '=' || *t == '<' || *t == '>' || *t == '!' || *t == '~' || *t == '@';
    ll_buf_printf(b, "%s%s%s", st->name, *t && !op ? " " : "", t);
}

/* What decided a judgement, as the message says it. */
typedef struct Decided {
    const LLVersionRange *range;
    LLDepsJudgement jd;
    LLSeverity cap;
    bool all;
} Decided;

/* The statements of a judgement named in a message: "requirements.txt:1,
 * constraints.txt:1" (in files, the meeting ones first, at most
 * LL_VERSIONS_MAX_NAMED). */
static void put_where(const LLVersions *v, LLBuf *b, const LLDepsJudgement *jd)
{
    size_t named = 0, more = 0;
    for (int pass = 0; pass < 2; pass++) {
        LLDepsStatement st;
        for (size_t i = 0; ll_deps_judgement_statement(jd, i, &st); i++) {
            if (st.meets != (pass == 0) || !st.versions)
                continue;
            if (named == LL_VERSIONS_MAX_NAMED) {
                more++;
                continue;
            }
            ll_buf_printf(b, "%s%s", named ? ", " : "", shown(v, st.file));
            if (st.line)
                ll_buf_printf(b, ":%u", st.line);
            named++;
        }
    }
    if (more)
        ll_buf_printf(b, " and %zu more", more);
}

/* The first statement in a dependency file whose own versions meet the
 * affected range: where the floor is to be raised. */
static bool fix_target(const LLDepsJudgement *jd, LLDepsStatement *out)
{
    for (size_t i = 0; ll_deps_judgement_statement(jd, i, out); i++)
        if (out->in_file && out->meets)
            return true;
    return false;
}

/* "; CVE-2025-32434: <says>; the project allows torch ==2.4.0
 * (requirements.txt:1), every one of them affected (<2.6); raise the floor
 * to torch>=2.6 in requirements.txt:1 (>=2.10 also fixes CVE-2026-24747)" */
static void version_clause(const LLVersions *v, LLBuf *b, const Decided *d, const Decided *also,
                           size_t nalso)
{
    const LLVersionRange *g = d->range;
    const LLDepsJudgement *jd = &d->jd;
    ll_buf_printf(b, "; %s: %s; ", g->advisory, g->says);
    LLBuf set;
    ll_buf_init(&set);
    ll_verset_format(jd->allowed, &set);
    switch (jd->kind) {
    case LL_DEPSKIND_LOCKED:
        ll_buf_printf(b, "the project locks %s %s (", jd->package, set.data);
        break;
    case LL_DEPSKIND_INSTALLED:
        ll_buf_printf(b, "the installed %s is %s (", jd->package, set.data);
        break;
    case LL_DEPSKIND_ASSUMED:
        ll_buf_printf(b, "assume-versions says %s %s (", jd->package, set.data);
        break;
    case LL_DEPSKIND_IMPLIED:
        ll_buf_printf(b, "the project allows %s %s, brought by %s (", jd->package, set.data,
                      jd->implied_by ? jd->implied_by : "another package");
        break;
    case LL_DEPSKIND_DECLARED:
        if (jd->conflict)
            ll_buf_printf(b, "the project's dependency files disagree on %s and together allow %s (",
                          jd->package, set.data);
        else
            ll_buf_printf(b, "the project allows %s %s (", jd->package, set.data);
        break;
    }
    ll_buf_release(&set);
    put_where(v, b, jd);
    ll_buf_printf(b, "), %s affected (%s)", d->all ? "every one of them" : "some of them", g->affected);
    if (!g->fixed_in) {
        ll_buf_puts(b, "; no fixed version is known: avoid this call");
    } else {
        LLDepsStatement st;
        switch (jd->kind) {
        case LL_DEPSKIND_LOCKED:
            ll_buf_printf(b, "; upgrade %s to >=%s and lock again", jd->package, g->fixed_in);
            break;
        case LL_DEPSKIND_INSTALLED:
            ll_buf_printf(b, "; upgrade the installed %s to >=%s", jd->package, g->fixed_in);
            break;
        case LL_DEPSKIND_ASSUMED:
            ll_buf_printf(b, "; upgrade %s to >=%s (and the assumed version with it)", jd->package,
                          g->fixed_in);
            break;
        case LL_DEPSKIND_IMPLIED:
            ll_buf_printf(b, "; require %s>=%s", jd->package, g->fixed_in);
            break;
        case LL_DEPSKIND_DECLARED:
            if (fix_target(jd, &st)) {
                ll_buf_printf(b, "; raise the floor to %s>=%s in %s", jd->package, g->fixed_in,
                              shown(v, st.file));
                if (st.line)
                    ll_buf_printf(b, ":%u", st.line);
            } else {
                ll_buf_printf(b, "; require %s>=%s", jd->package, g->fixed_in);
            }
            break;
        }
    }
    for (size_t i = 0; i < nalso; i++) {
        const LLVersionRange *o = also[i].range;
        if (o->fixed_in && g->fixed_in && strcmp(o->package, g->package) == 0) {
            LLVersion a, c;
            if (ll_version_from(o->fixed_in, &a) && ll_version_from(g->fixed_in, &c) &&
                ll_version_cmp(&a, &c) > 0) {
                ll_buf_printf(b, " (>=%s also fixes %s)", o->fixed_in, o->advisory);
                continue;
            }
        }
        ll_buf_printf(b, "; also %s (%s %s)", o->advisory, o->package, o->affected);
    }
}

/* A site (a judged call) that a dependency line allows. */
typedef struct Site {
    uint32_t finding; /* index in the judged findings */
    const LLVersionRange *range;
} Site;

/* One dependency-line finding in the making: rule and statement. */
typedef struct DepLine {
    uint32_t rule;
    char *file;        /* absolute */
    unsigned line, col;
    char *written;     /* "torch==2.4.0" */
    bool other_package; /* the line names another package, which brings the range's
                         * (tensorflow >= 2.16 brings keras 3) */
    LLDepsKind kind;
    const LLVersionRange *range; /* the highest graded of its sites' */
    LLSeverity range_cap;
    LL_VEC(Site) sites;
} DepLine;

typedef LL_VEC(DepLine) DepLines;

static void dep_line_add(DepLines *lines, uint32_t rule, const LLDepsStatement *st,
                         const Decided *d, uint32_t finding)
{
    DepLine *dl = NULL;
    for (size_t i = 0; i < lines->len && !dl; i++) {
        DepLine *o = &lines->items[i];
        if (o->rule == rule && o->line == st->line && o->col == st->col && strcmp(o->file, st->file) == 0)
            dl = o;
    }
    if (!dl) {
        DepLine n;
        memset(&n, 0, sizeof n);
        n.rule = rule;
        n.file = ll_xstrdup(st->file);
        n.line = st->line;
        n.col = st->col;
        LLBuf b;
        ll_buf_init(&b);
        put_statement(&b, st);
        n.written = ll_buf_detach(&b);
        n.other_package = d->jd.kind == LL_DEPSKIND_IMPLIED;
        n.kind = st->kind;
        n.range = d->range;
        n.range_cap = d->cap;
        LL_VEC_PUSH(lines, n);
        dl = &lines->items[lines->len - 1];
    } else if (d->cap > dl->range_cap) {
        dl->range = d->range;
        dl->range_cap = d->cap;
    }
    Site s = {finding, d->range};
    LL_VEC_PUSH(&dl->sites, s);
}

/* Judges finding f of rule r: false when it is to be dropped. */
static bool judge_finding(LLVersions *v, const LLRule *r, LLFinding *f, Decided *best,
                          bool *decided)
{
    const LLRuleVersions *rv = r->versions;
    const LLFileEntry *fe = &v->files->files.items[f->file];
    const LLDepsPlace *place = place_for(v, fe);
    Decided also[8];
    size_t nalso = 0;
    bool unknown = false;
    const char *unknown_pkg = NULL;
    *decided = false;
    for (size_t i = 0; i < rv->nranges; i++) {
        const LLVersionRange *g = &rv->ranges[i];
        Decided d;
        memset(&d, 0, sizeof d);
        d.range = g;
        LLVerdict vd = ll_deps_judge_range(place, g->package, &g->affected_set, &d.jd);
        if (vd == LL_VERDICT_UNKNOWN) {
            if (!unknown)
                unknown_pkg = g->package;
            unknown = true;
            continue;
        }
        if (vd == LL_VERDICT_NONE)
            continue;
        d.all = vd == LL_VERDICT_ALL;
        d.cap = d.all ? g->grade_all : g->grade_some;
        if (!*decided || d.cap > best->cap) {
            if (*decided && nalso < sizeof also / sizeof *also)
                also[nalso++] = *best;
            *best = d;
            *decided = true;
        } else if (nalso < sizeof also / sizeof *also) {
            also[nalso++] = d;
        }
    }
    LLBuf b;
    ll_buf_init(&b);
    if (*decided) {
        if (best->cap < f->severity)
            f->severity = best->cap;
        ll_buf_puts(&b, f->message);
        version_clause(v, &b, best, also, nalso);
    } else if (unknown && rv->when_unknown != LL_VUNKNOWN_NO_FINDING) {
        if (rv->when_unknown == LL_VUNKNOWN_CAP && rv->unknown_cap < f->severity)
            f->severity = rv->unknown_cap;
        ll_buf_printf(&b, "%s; the %s version is not known here (no dependency file near this file states "
                          "it): pin it, or set assume-versions, to have this judged",
                      f->message, unknown_pkg);
    } else {
        ll_buf_release(&b);
        return false; /* no allowed version affected, or unknown and no-finding */
    }
    free(f->message);
    f->message = ll_buf_detach(&b);
    return true;
}

/* A finding's severity as context grading will make it (run.c
 * grade_context): what a dependency line inherits from its calls. -1: the
 * finding will be withheld (test-severity = "ignore"). */
static int graded_for_context(const LLFileEntry *fe, const LLFinding *f)
{
    if (!fe->settings || !fe->abs || !ll_settings_test_path(fe->settings, fe->abs))
        return (int)f->severity;
    switch (fe->settings->test_severity) {
    case LL_TEST_KEEP:
        return (int)f->severity;
    case LL_TEST_LOWER:
        return (int)ll_severity_lower(f->severity);
    case LL_TEST_NOTE:
        return (int)LL_SEV_NOTE;
    case LL_TEST_IGNORE:
        return -1;
    }
    return (int)f->severity;
}

/* Line `line` of file `path` (without its end), into *out; false when the
 * file cannot be read or is shorter. */
static bool read_line(const char *path, unsigned line, LLBuf *out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    unsigned at = 1;
    int ch;
    bool found = false;
    while ((ch = fgetc(fp)) != EOF) {
        if (at == line) {
            found = true;
            if (ch == '\n' || ch == '\r')
                break;
            ll_buf_putc(out, (char)ch);
            if (out->len > LL_MAX_SNIPPET_BYTES * 4)
                break;
        } else if (ch == '\n') {
            if (++at > line)
                break;
        }
    }
    if (at == line)
        found = true;
    fclose(fp);
    return found;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > LL_MAX_SNIPPET_BYTES) {
        n = LL_MAX_SNIPPET_BYTES;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return ll_xstrndup(s, n);
}

/* The dependency-line finding of dl, at file index `file`. */
static void make_dep_finding(const LLVersions *v, const DepLine *dl, uint32_t file,
                             const LLFinding *judged, LLFinding *out)
{
    const LLFileList *files = v->files;
    memset(out, 0, sizeof *out);
    out->file = file;
    out->rule = dl->rule;
    out->provenance = LL_PROV_UNKNOWN;
    LLBuf text;
    ll_buf_init(&text);
    bool have = read_line(dl->file, dl->line, &text);
    uint32_t col = dl->col ? dl->col : 1;
    uint32_t cps = have ? (uint32_t)ll_utf8_count(text.data, text.len) : 0;
    out->span = (LLSpan){dl->line, col, dl->line, cps + 1 > col ? cps + 1 : col + 1};
    out->snippet = have ? trimmed(text.data, text.len) : ll_xstrdup(dl->written);
    ll_buf_release(&text);
    /* the worst of its calls, as context grading will leave them */
    const LLFileEntry *dfe = &files->files.items[file];
    bool dep_graded = dfe->settings && dfe->abs && ll_settings_test_path(dfe->settings, dfe->abs);
    int sev = -1;
    const LLFinding *first = NULL;
    for (size_t i = 0; i < dl->sites.len; i++) {
        const LLFinding *f = &judged[dl->sites.items[i].finding];
        /* a dependency file in test code is graded by context itself
         * (run.c, after this): its calls' own grades then, not twice */
        int s = dep_graded ? (int)f->severity : graded_for_context(&files->files.items[f->file], f);
        if (s > sev)
            sev = s;
        if (!first)
            first = f;
    }
    out->severity = sev < 0 ? LL_SEV_NOTE : (LLSeverity)sev;
    const LLVersionRange *g = dl->range;
    out->callee = ll_xstrdup(g->package);
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "`%s` ", dl->written);
    switch (dl->kind) {
    case LL_DEPSKIND_LOCKED:
        ll_buf_puts(&b, "locks a version");
        break;
    case LL_DEPSKIND_INSTALLED:
        ll_buf_puts(&b, "is an installed version");
        break;
    default:
        ll_buf_puts(&b, "allows versions");
        break;
    }
    ll_buf_printf(&b, " affected by %s (%s %s): %s; the code calls `%s` that way at ", g->advisory,
                  g->package, g->affected, g->says, first ? first->callee : "?");
    size_t named = 0;
    for (size_t i = 0; i < dl->sites.len && named < LL_VERSIONS_MAX_NAMED; i++, named++) {
        const LLFinding *f = &judged[dl->sites.items[i].finding];
        ll_buf_printf(&b, "%s%s:%u", i ? ", " : "", files->files.items[f->file].display, f->span.line);
    }
    if (dl->sites.len > named)
        ll_buf_printf(&b, " and %zu more", dl->sites.len - named);
    ll_buf_printf(&b, " (%zu call%s)", dl->sites.len, dl->sites.len == 1 ? "" : "s");
    if (g->fixed_in && dl->other_package) {
        ll_buf_printf(&b, "; require %s>=%s next to it", g->package, g->fixed_in);
    } else if (g->fixed_in) {
        if (dl->kind == LL_DEPSKIND_LOCKED)
            ll_buf_printf(&b, "; upgrade %s to >=%s and lock again", g->package, g->fixed_in);
        else
            ll_buf_printf(&b, "; raise the floor to %s>=%s", g->package, g->fixed_in);
    }
    out->message = ll_buf_detach(&b);
    /* related locations: the calls */
    size_t n = dl->sites.len < LL_VERSIONS_MAX_SITES ? dl->sites.len : LL_VERSIONS_MAX_SITES;
    out->steps = ll_xcalloc(n ? n : 1, sizeof *out->steps);
    for (size_t i = 0; i < n; i++) {
        const LLFinding *f = &judged[dl->sites.items[i].finding];
        LLBuf m;
        ll_buf_init(&m);
        ll_buf_printf(&m, "calls `%s`, affected by %s", f->callee, dl->sites.items[i].range->advisory);
        out->steps[i] = (LLStep){f->file, f->span, ll_buf_detach(&m)};
    }
    out->nsteps = (uint32_t)n;
    out->steps_related = true;
}

/* The order of run.c's report: path, line, column, rule code. */
typedef struct Order {
    const LLFileList *files;
    const LLRuleset *rules;
} Order;

static int cmp_findings(const Order *o, const LLFinding *a, const LLFinding *b)
{
    int c = strcmp(o->files->files.items[a->file].display, o->files->files.items[b->file].display);
    if (c)
        return c;
    if (a->span.line != b->span.line)
        return a->span.line < b->span.line ? -1 : 1;
    if (a->span.col != b->span.col)
        return a->span.col < b->span.col ? -1 : 1;
    c = strcmp(o->rules->rules[a->rule].code, o->rules->rules[b->rule].code);
    if (c)
        return c;
    return a->file < b->file ? -1 : a->file > b->file;
}

/* Diagnostics of the dependency files: on the file when it is listed
 * (and reported), else of the run, naming it. */
typedef struct DiagCtx {
    LLVersions *v;
    const LLStrMap *listed;
    LLRunResult *out;
} DiagCtx;

static void take_diag(void *vctx, const char *file, unsigned line, unsigned col, LLSeverity sev,
                      const char *msg)
{
    DiagCtx *c = vctx;
    if (sev == LL_SEV_NOTE)
        return; /* a requirement that cannot say a version (a bare URL): its answer says "unknown" */
    intptr_t idx;
    bool listed = ll_strmap_get(c->listed, file, strlen(file), &idx);
    LLBuf b;
    ll_buf_init(&b);
    if (listed) {
        ll_buf_puts(&b, msg);
        LLDiag d = {(uint32_t)idx, LL_DIAG_WARNING, line, col, ll_buf_detach(&b)};
        LL_VEC_PUSH(&c->out->diags, d);
        return;
    }
    ll_buf_puts(&b, shown(c->v, file));
    if (line)
        ll_buf_printf(&b, ":%u:%u", line, col);
    ll_buf_printf(&b, ": %s", msg);
    LLDiag d = {UINT32_MAX, LL_DIAG_WARNING, 0, 0, ll_buf_detach(&b)};
    LL_VEC_PUSH(&c->out->diags, d);
}

/* Where a finding judged affected and a finding of a rule without versions
 * report the same call (LL506 and LL502 on a yaml.full_load), the judged
 * one says more (the advisory, the dependency line, what to raise): the
 * other, when it is not graded higher, becomes a suppressed duplicate
 * (run.c's one-per-call leaves suppressed findings alone). `f` is in
 * report order: a call's findings are next to each other. */
static void prefer_judged(const LLRuleset *rs, LLFinding *f, size_t n, const uint8_t *judged)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && f[j].file == f[i].file && f[j].span.line == f[i].span.line &&
               f[j].span.col == f[i].span.col)
            j++;
        for (size_t a = i; a < j && j - i > 1; a++) {
            if (!judged[a] || f[a].suppressed || f[a].binary)
                continue;
            for (size_t b = i; b < j; b++) {
                if (b == a || f[b].suppressed || f[b].binary || rs->rules[f[b].rule].versions ||
                    f[b].severity > f[a].severity || f[b].span.end_line != f[a].span.end_line ||
                    f[b].span.end_col != f[a].span.end_col)
                    continue;
                f[b].suppressed = LL_SUPP_DUPLICATE;
            }
        }
        i = j;
    }
}

void ll_versions_finish(LLVersions *v, const LLRuleScope *scope, LLRunResult *out)
{
    if (!v)
        return;
    const LLRuleset *rs = v->rules;
    const LLFileList *files = v->files;
    /* the dependency files of the list, by absolute path */
    LLStrMap listed;
    ll_strmap_init(&listed);
    for (size_t i = 0; i < files->files.len; i++) {
        const LLFileEntry *fe = &files->files.items[i];
        if (fe->abs && fe->kind != LL_ENTRY_PYTHON &&
            ll_deps_judge_is_dependency_name(ll_path_basename(fe->abs)))
            ll_strmap_put(&listed, fe->abs, strlen(fe->abs), (intptr_t)i);
    }
    /* 1. judge (findings keep their order; dropped ones are released) */
    DepLines lines = {0};
    size_t keep = 0;
    uint8_t *judged = ll_xcalloc(out->findings.len + 1, 1); /* by kept index: affected */
    for (size_t i = 0; i < out->findings.len; i++) {
        LLFinding *f = &out->findings.items[i];
        const LLRule *r = &rs->rules[f->rule];
        if (!r->versions || f->binary) {
            out->findings.items[keep++] = *f;
            continue;
        }
        Decided best;
        bool decided;
        if (!judge_finding(v, r, f, &best, &decided)) {
            ll_finding_release(f);
            continue;
        }
        out->findings.items[keep] = *f;
        judged[keep] = decided;
        if (decided && !f->suppressed) {
            LLDepsStatement st;
            for (size_t k = 0; ll_deps_judgement_statement(&best.jd, k, &st); k++)
                if (st.in_file && st.meets && st.line)
                    dep_line_add(&lines, f->rule, &st, &best, (uint32_t)keep);
        }
        keep++;
    }
    out->findings.len = keep;
    prefer_judged(rs, out->findings.items, keep, judged);
    free(judged);
    /* 2. the dependency lines the code reaches */
    LL_VEC(LLFinding) added = {0};
    for (size_t i = 0; i < lines.len; i++) {
        const DepLine *dl = &lines.items[i];
        intptr_t idx;
        bool shows = false;
        for (size_t k = 0; k < dl->sites.len && !shows; k++) {
            const LLFinding *f = &out->findings.items[dl->sites.items[k].finding];
            shows = graded_for_context(&files->files.items[f->file], f) >= 0;
        }
        if (shows && ll_strmap_get(&listed, dl->file, strlen(dl->file), &idx) &&
            (!scope || ll_rule_scope_applies(scope, dl->rule, &files->files.items[idx]))) {
            LLFinding nf;
            make_dep_finding(v, dl, (uint32_t)idx, out->findings.items, &nf);
            LL_VEC_PUSH(&added, nf);
        }
    }
    for (size_t i = 0; i < lines.len; i++) {
        free(lines.items[i].file);
        free(lines.items[i].written);
        LL_VEC_FREE(&lines.items[i].sites);
    }
    LL_VEC_FREE(&lines);
    /* 3. merged in report order (the added ones are in files of their own) */
    if (added.len) {
        Order o = {files, rs};
        for (size_t i = 1; i < added.len; i++) /* few: insertion sort */
            for (size_t k = i; k > 0 && cmp_findings(&o, &added.items[k - 1], &added.items[k]) > 0; k--) {
                LLFinding t = added.items[k];
                added.items[k] = added.items[k - 1];
                added.items[k - 1] = t;
            }
        size_t n = out->findings.len, m = added.len;
        LLFinding *merged = ll_xcalloc(n + m, sizeof *merged);
        size_t a = 0, c = 0, k = 0;
        while (a < n || c < m) {
            if (c == m || (a < n && cmp_findings(&o, &out->findings.items[a], &added.items[c]) <= 0))
                merged[k++] = out->findings.items[a++];
            else
                merged[k++] = added.items[c++];
        }
        free(out->findings.items);
        out->findings.items = merged;
        out->findings.len = out->findings.cap = n + m;
    }
    LL_VEC_FREE(&added);
    /* 4. the dependency files' problems */
    DiagCtx dc = {v, &listed, out};
    ll_deps_judge_take_diagnostics(v->judge, take_diag, &dc);
    ll_strmap_release(&listed);
}
