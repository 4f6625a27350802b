/* join.c - source findings joined with the model files they load (join.h). */
#define _DEFAULT_SOURCE /* realpath */
#include "engine/join.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/path.h"
#include "base/strmap.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ll_artifact_summary_release(LLArtifactSummary *s)
{
    free(s->clean);
    free(s->subject);
    free(s->detail);
    for (uint32_t i = 0; i < s->nmembers; i++)
        free(s->members[i]);
    free(s->members);
    memset(s, 0, sizeof *s);
}

/* Summaries of the model files named, made once each. */
typedef struct Cache {
    const LLFileList *files;
    LLArtifactSummarizer *summarizer;
    uint8_t *state;             /* per file: 0 not asked, 1 a model file, 2 not one */
    LLArtifactSummary **summary; /* per file, when state is 1 */
    size_t made;
} Cache;

static const LLArtifactSummary *summary_of(Cache *c, uint32_t t, bool *over)
{
    if (c->state[t] == 0) {
        if (c->made >= LL_JOIN_MAX_SUMMARIES) {
            *over = true;
            return NULL;
        }
        c->made++;
        LLArtifactSummary *s = ll_xcalloc(1, sizeof *s);
        if (ll_artifact_summarize(c->summarizer, &c->files->files.items[t], s) &&
            s->verdict != LL_ARTIFACT_NOT_MODEL) {
            c->summary[t] = s;
            c->state[t] = 1;
        } else {
            ll_artifact_summary_release(s);
            free(s);
            c->state[t] = 2;
        }
    }
    return c->state[t] == 1 ? c->summary[t] : NULL;
}

/* Worst first: what a caller most needs to hear. */
static int verdict_rank(LLArtifactVerdict v)
{
    switch (v) {
    case LL_ARTIFACT_MALICIOUS: return 4;
    case LL_ARTIFACT_SUSPICIOUS: return 3;
    case LL_ARTIFACT_UNSCANNABLE: return 2;
    case LL_ARTIFACT_SAFE: return 1;
    default: return 0;
    }
}

/* The file of the run at absolute path `abs` (also through its real
 * path), or UINT32_MAX. */
static uint32_t file_at(const LLStrMap *byabs, const char *abs)
{
    intptr_t v;
    if (ll_strmap_get(byabs, abs, strlen(abs), &v))
        return (uint32_t)(v - 1);
    char real[PATH_MAX];
    if (realpath(abs, real) && ll_strmap_get(byabs, real, strlen(real), &v))
        return (uint32_t)(v - 1);
    return UINT32_MAX;
}

/* The model file `abs` names: itself, or for a directory the worst model
 * file directly inside it. UINT32_MAX when none. */
static uint32_t target_of(Cache *c, const LLStrMap *byabs, const char *abs, bool *is_dir, bool *over)
{
    *is_dir = false;
    uint32_t t = file_at(byabs, abs);
    if (t != UINT32_MAX)
        return summary_of(c, t, over) ? t : UINT32_MAX;
    struct stat sb;
    if (stat(abs, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return UINT32_MAX;
    char real[PATH_MAX];
    const char *dirs[2] = {abs, realpath(abs, real) ? real : NULL};
    uint32_t best = UINT32_MAX, seen = 0;
    int best_rank = 0;
    const LLFileList *files = c->files;
    for (size_t i = 0; i < files->files.len && seen < LL_JOIN_MAX_DIR_FILES; i++) {
        const char *fa = files->files.items[i].abs;
        if (!fa || files->files.items[i].kind == LL_ENTRY_PYTHON)
            continue;
        const char *slash = strrchr(fa, '/');
        if (!slash)
            continue;
        size_t dl = (size_t)(slash - fa);
        bool inside = false;
        for (int d = 0; d < 2 && !inside; d++)
            inside = dirs[d] && strlen(dirs[d]) == dl && memcmp(dirs[d], fa, dl) == 0;
        if (!inside)
            continue;
        seen++;
        const LLArtifactSummary *s = summary_of(c, (uint32_t)i, over);
        if (s && verdict_rank(s->verdict) > best_rank) {
            best_rank = verdict_rank(s->verdict);
            best = (uint32_t)i;
        }
    }
    *is_dir = best != UINT32_MAX;
    return best;
}

/* "path:member:member:@offset", as the text report writes a location. */
static void put_location(LLBuf *b, const char *display, char *const *members, uint32_t nmembers,
                         uint64_t offset)
{
    ll_buf_puts(b, display);
    for (uint32_t i = 0; i < nmembers; i++)
        ll_buf_printf(b, ":%s", members[i]);
    ll_buf_printf(b, ":@%llu", (unsigned long long)offset);
}

/* What the model file holds, as a phrase after its name: "holds only
 * allow-listed globals", "is malicious: os.system (LL910 at x.pt:@12)". */
static void put_verdict(LLBuf *b, const LLRuleset *rules, const LLFileList *files, uint32_t t,
                        const LLArtifactSummary *s, const LLFinding *shown)
{
    const char *what = s->subject ? s->subject : s->detail;
    switch (s->verdict) {
    case LL_ARTIFACT_SAFE:
        ll_buf_printf(b, "holds %s", s->clean ? s->clean : "nothing the scan reports");
        return;
    case LL_ARTIFACT_MALICIOUS:
        ll_buf_printf(b, "is malicious: %s", what ? what : "see its findings");
        break;
    case LL_ARTIFACT_SUSPICIOUS:
        ll_buf_printf(b, "holds what the model-file scan flags: %s", what ? what : "see its findings");
        break;
    case LL_ARTIFACT_UNSCANNABLE:
        if (s->check && strcmp(s->check, "lfs-pointer") == 0)
            ll_buf_puts(b, "is a Git LFS pointer: the model itself was not scanned");
        else
            ll_buf_printf(b, "could not be scanned: %s", s->detail ? s->detail : "see its findings");
        break;
    default:
        return;
    }
    /* where: the run's own finding on the file (what the report shows),
     * else the reader's location and the rule naming its check */
    const char *code = NULL;
    LLBuf loc;
    ll_buf_init(&loc);
    const char *display = files->files.items[t].display;
    if (shown) {
        code = rules->rules[shown->rule].code;
        put_location(&loc, display, shown->members, shown->nmembers, shown->byte_offset);
    } else if (s->check) {
        intptr_t v;
        if (ll_strmap_get(&rules->by_artifact, s->check, strlen(s->check), &v) && ((LLRuleIds *)v)->len)
            code = rules->rules[((LLRuleIds *)v)->ids[0]].code;
        put_location(&loc, display, s->members, s->nmembers, s->offset);
    }
    if (loc.len)
        ll_buf_printf(b, " (%s%sat %s)", code ? code : "", code ? " " : "", loc.data);
    ll_buf_release(&loc);
}

static void add_step(LLFinding *f, uint32_t t, const char *message)
{
    f->steps = ll_xrealloc(f->steps, (f->nsteps + 1) * sizeof *f->steps);
    LLStep *st = &f->steps[f->nsteps++];
    memset(st, 0, sizeof *st);
    st->file = t;
    st->span = (LLSpan){1, 1, 1, 2}; /* line 1 of a binary file, one column */
    st->message = ll_xstrdup(message);
}

/* Joins one finding whose literal path resolved to model file t (`how`:
 * which base matched). */
static void join_one(LLFinding *f, const LLRuleset *rules, const LLFileList *files, uint32_t t,
                     const LLArtifactSummary *s, const LLFinding *shown, const char *how, bool in_dir)
{
    const char *display = files->files.items[t].display;
    LLBuf verdict;
    ll_buf_init(&verdict);
    put_verdict(&verdict, rules, files, t, s, shown);
    LLBuf m;
    ll_buf_init(&m);
    ll_buf_printf(&m, "%s; %s (%s%s) %s", f->message ? f->message : "", display,
                  in_dir ? "in the folder it names, " : "", how, verdict.data);
    free(f->message);
    f->message = ll_buf_detach(&m);
    LLBuf step;
    ll_buf_init(&step);
    ll_buf_printf(&step, "the model file it loads, %s, %s", display, verdict.data);
    add_step(f, t, step.data);
    ll_buf_release(&step);
    ll_buf_release(&verdict);
    if (s->verdict == LL_ARTIFACT_MALICIOUS)
        f->severity = LL_SEV_ERROR;
    else if (s->verdict == LL_ARTIFACT_SAFE)
        f->severity = ll_severity_lower(f->severity);
}

size_t ll_join_artifacts(const LLRuleset *rules, const LLFileList *files, const LLAnalyzer *artifact,
                         LLFinding *findings, size_t n)
{
    if (!artifact || !n)
        return 0;
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = findings[i].input_literal && findings[i].input_literal[0] && !findings[i].binary;
    if (!any)
        return 0;
    size_t nf = files->files.len;
    LLStrMap byabs;
    ll_strmap_init(&byabs);
    for (size_t i = 0; i < nf; i++) {
        const LLFileEntry *fe = &files->files.items[i];
        if (fe->abs && fe->kind != LL_ENTRY_PYTHON)
            ll_strmap_put(&byabs, fe->abs, strlen(fe->abs), (intptr_t)i + 1);
    }
    /* per model file: the most severe of the run's findings on it */
    size_t *shown = ll_xcalloc(nf ? nf : 1, sizeof *shown);
    for (size_t i = 0; i < n; i++) {
        const LLFinding *f = &findings[i];
        if (!f->binary || f->file >= nf)
            continue;
        size_t cur = shown[f->file];
        if (!cur || f->severity > findings[cur - 1].severity)
            shown[f->file] = i + 1;
    }
    LLArtifactSummarizer *summarizer = ll_artifact_summarizer_new();
    if (!summarizer) {
        free(shown);
        ll_strmap_release(&byabs);
        return 0;
    }
    Cache c = {files, summarizer, ll_xcalloc(nf ? nf : 1, 1), ll_xcalloc(nf ? nf : 1, sizeof(LLArtifactSummary *)),
               0};
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "/");
    size_t joined = 0;
    for (size_t i = 0; i < n; i++) {
        LLFinding *f = &findings[i];
        const char *lit = f->input_literal;
        if (!lit || !lit[0] || f->binary || f->file >= nf || strstr(lit, "://"))
            continue;
        const LLFileEntry *fe = &files->files.items[f->file];
        char *cand[2] = {NULL, NULL};
        const char *how[2] = {NULL, NULL};
        if (lit[0] == '/') {
            cand[0] = ll_path_abs("/", lit);
            how[0] = "an absolute path";
        } else {
            const char *root = fe->settings && fe->settings->root ? fe->settings->root : cwd;
            cand[0] = ll_path_abs(root, lit);
            how[0] = "relative to the project root";
            if (fe->abs) {
                char *dir = ll_path_dirname(fe->abs);
                cand[1] = ll_path_abs(dir, lit);
                free(dir);
                how[1] = "relative to the file's directory";
                if (strcmp(cand[0], cand[1]) == 0) {
                    how[0] = "relative to the project root, which is the file's directory";
                    free(cand[1]);
                    cand[1] = NULL;
                }
            }
        }
        bool over = false;
        for (int k = 0; k < 2; k++) {
            if (!cand[k])
                continue;
            bool in_dir;
            uint32_t t = target_of(&c, &byabs, cand[k], &in_dir, &over);
            if (t == UINT32_MAX)
                continue;
            join_one(f, rules, files, t, c.summary[t], shown[t] ? &findings[shown[t] - 1] : NULL, how[k], in_dir);
            joined++;
            break;
        }
        if (over) {
            LLBuf m;
            ll_buf_init(&m);
            ll_buf_printf(&m, "%s; the model file it names was not checked (more than %u model files are "
                              "named by literal paths: LL_JOIN_MAX_SUMMARIES)",
                          f->message ? f->message : "", LL_JOIN_MAX_SUMMARIES);
            free(f->message);
            f->message = ll_buf_detach(&m);
        }
        free(cand[0]);
        free(cand[1]);
    }
    for (size_t i = 0; i < nf; i++) {
        if (c.summary[i]) {
            ll_artifact_summary_release(c.summary[i]);
            free(c.summary[i]);
        }
    }
    free(c.summary);
    free(c.state);
    ll_artifact_summarizer_free(summarizer);
    free(shown);
    ll_strmap_release(&byabs);
    return joined;
}
