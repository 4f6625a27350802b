/* analyzer.c - the model-file analyzer (engine/analyzer.h): the readers of
 * src/artifact behind the scan's file-kind interface.
 *
 * claims: a file is a model file when a reader claims its first bytes
 * (dispatch.h: magic bytes and structure; a name only where a reader's
 * docs say bytes cannot tell: saved_model.pb, keras_metadata.pb, *.onnx).
 *
 * analyze: the file is mapped read-only (mmap, MADV_RANDOM: pages a reader
 * never touches, tensor data, are never read, and Linux's read-around
 * does not pull in megabytes around each page touched) and scanned with
 * the worker's scratch and the policies of the file's settings: the
 * built-in pickle allow-list (rules/data/pickle-policy.json) merged with
 * the settings' `allowed-globals`, and the built-in Keras policy
 * (rules/data/keras-policy.json); allowed-globals also allow Keras custom
 * objects of those names ("mypkg.layers.*" allows the config's
 * mypkg.layers.MyLayer). Each merged policy is built once per worker and
 * settings (cached by settings id).
 *
 * Each reader finding names a check (artifact.h); every rule whose
 * "match": {"artifact": [...]} lists the check (rs->by_artifact) and that
 * applies to the file (engine/scope.h: select / ignore / per-file-ignores
 * of the file's configuration) gives one finding: binary, with the byte
 * range and the archive member chain, the message from the rule's template
 * ({subject}, {detail}: the reader's sentence, {format}), and the READER's
 * severity: the reader grades each occurrence (a dangerous import against
 * an unlisted one, a limit against a note); the rule's `severity` is the
 * highest its checks produce, what --list-rules and the docs show. A
 * check no rule names is a bug: a diagnostic says so (and a unit test
 * keeps every check a reader can emit named by a built-in rule).
 *
 * Problems: a file that cannot be opened or mapped is a diagnostic (error)
 * naming it; a file larger than LL_ART_MAX_FILE_BYTES is a finding of the
 * `limit` check (reported, never passed as clean); what the readers cannot
 * read is their `malformed` / `limit` / `unsupported` findings; a Git LFS
 * pointer is an `lfs-pointer` finding ("not scanned"). A claimed file that
 * turns out to hold no model (a zip of documents) gives nothing.
 *
 * Ownership: the analyzer is a static table; a worker (one per run
 * thread) owns its scratch, policies and cache. Findings go to the file's
 * LLFileResult, owned by the run. */
#define _DEFAULT_SOURCE /* madvise */
#include "artifact/dispatch.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "engine/analyzer.h"
#include "engine/join.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files larger than this are not mapped: a `limit` finding says so. */
#define LL_ART_MAX_FILE_BYTES (1ull << 40)

/* One settings' policies: the built-in pickle policy with its
 * allowed-globals (merged), and those alone (for Keras custom objects). */
typedef struct PolicySlot {
    size_t settings_id;
    LLArtPolicies policies; /* pickle: merged (owned); keras: the worker's (borrowed) */
    LLPicklePolicy user;    /* allowed-globals only */
} PolicySlot;

typedef struct ArtWorker {
    const LLAnalyzerEnv *env;
    LLArtScratch *scratch;
    LLArtPolicies base;      /* built in */
    char policy_error[512];  /* why the built-in policies did not load, or "" */
    LL_VEC(PolicySlot *) slots;
} ArtWorker;

/* ---- policies ---------------------------------------------------------- */

static void slot_fill(PolicySlot *s, const LLArtPolicies *base, const LLStrList *globals)
{
    ll_pickle_policy_init(&s->policies.pickle);
    ll_pickle_policy_merge(&s->policies.pickle, &base->pickle);
    s->policies.keras = base->keras;
    ll_pickle_policy_init(&s->user);
    for (size_t i = 0; i < globals->len; i++) {
        /* the settings checked each entry (ll_settings_global_valid) */
        ll_pickle_policy_allow(&s->policies.pickle, globals->items[i]);
        ll_pickle_policy_allow(&s->user, globals->items[i]);
    }
}

static void slot_release(PolicySlot *s)
{
    ll_pickle_policy_release(&s->policies.pickle);
    ll_pickle_policy_release(&s->user);
}

/* The policies for files under `settings` (NULL: defaults). *user is the
 * allowed-globals alone, or NULL when there are none. */
static const LLArtPolicies *policies_for(ArtWorker *w, const LLSettings *settings,
                                         const LLPicklePolicy **user)
{
    *user = NULL;
    if (!settings || !settings->allowed_globals.len)
        return &w->base;
    for (size_t i = 0; i < w->slots.len; i++) {
        if (w->slots.items[i]->settings_id == settings->id) {
            *user = &w->slots.items[i]->user;
            return &w->slots.items[i]->policies;
        }
    }
    PolicySlot *s = ll_xcalloc(1, sizeof *s);
    s->settings_id = settings->id;
    slot_fill(s, &w->base, &settings->allowed_globals);
    LL_VEC_PUSH(&w->slots, s);
    *user = &s->user;
    return &s->policies;
}

/* Whether allowed-globals allow a Keras custom object named `subject`
 * ("mypkg.layers.MyLayer", or a registered "Pkg>Name" read as Pkg.Name). */
static bool user_allows(const LLPicklePolicy *user, const char *subject)
{
    if (!user || !subject)
        return false;
    char name[512];
    size_t n = strlen(subject);
    if (n >= sizeof name)
        return false;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        name[i] = subject[i] == '>' ? '.' : subject[i];
        if (name[i] == '.')
            last = i;
    }
    name[n] = '\0';
    return last && ll_pickle_policy_classify(user, name, n, last, NULL) == LL_PICKLE_ALLOWED;
}

/* ---- reading a file ---------------------------------------------------- */

typedef struct Mapped {
    int fd;
    void *map;
    size_t len;
} Mapped;

/* Opens and maps fe's file; NULL on success, else why (in buf). */
static const char *map_file(const char *path, Mapped *m, uint64_t *size, char *buf, size_t bufsz)
{
    memset(m, 0, sizeof *m);
    m->fd = -1;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(buf, bufsz, "cannot open the model file: %s", strerror(errno));
        return buf;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(buf, bufsz, "cannot read the model file: %s", strerror(errno));
        close(fd);
        return buf;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(buf, bufsz, "not a regular file: not scanned as a model file");
        close(fd);
        return buf;
    }
    m->fd = fd;
    *size = (uint64_t)sb.st_size;
    if ((uint64_t)sb.st_size > LL_ART_MAX_FILE_BYTES || (uint64_t)sb.st_size > SIZE_MAX)
        return NULL; /* reported as a limit finding */
    m->len = (size_t)sb.st_size;
    if (!m->len)
        return NULL;
    void *map = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        snprintf(buf, bufsz, "cannot map the model file (%llu bytes): %s", (unsigned long long)sb.st_size,
                 strerror(errno));
        close(fd);
        m->fd = -1;
        return buf;
    }
    /* no read-around: tensor data next to the pages read stays on disk */
    madvise(map, m->len, MADV_RANDOM);
    m->map = map;
    return NULL;
}

static void unmap_file(Mapped *m)
{
    if (m->map)
        munmap(m->map, m->len);
    if (m->fd >= 0)
        close(m->fd);
    memset(m, 0, sizeof *m);
    m->fd = -1;
}

/* Scans fe's file into res with the policies of its settings; Keras custom
 * objects the allowed-globals allow are dropped. NULL on success, else
 * why the file could not be read (buf). */
static const char *scan_entry(ArtWorker *w, const LLFileEntry *fe, LLArtResult *res, char *buf, size_t bufsz)
{
    Mapped m;
    uint64_t size;
    const char *why = map_file(fe->path, &m, &size, buf, bufsz);
    if (why)
        return why;
    if (size > LL_ART_MAX_FILE_BYTES || size > SIZE_MAX) {
        LLArtLoc loc = {0, 0, 0, {0}};
        ll_art_add(res, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "the file is %llu bytes, more than LL_ART_MAX_FILE_BYTES (%llu): not scanned",
                   (unsigned long long)size, (unsigned long long)LL_ART_MAX_FILE_BYTES);
        res->format = "too-large";
        unmap_file(&m);
        return NULL;
    }
    const LLPicklePolicy *user;
    const LLArtPolicies *pol = policies_for(w, fe->settings, &user);
    if (m.len)
        ll_art_dispatch(pol, w->scratch, fe->display, m.map, m.len, res);
    unmap_file(&m);
    if (user) {
        size_t k = 0;
        bool dropped = false;
        for (size_t i = 0; i < res->findings.len; i++) {
            LLArtFinding *f = &res->findings.items[i];
            if (strcmp(f->check, ART_CHECK_KERAS_CUSTOM) == 0 && user_allows(user, f->subject)) {
                free(f->message);
                free(f->subject);
                for (uint32_t j = 0; j < f->loc.nmembers; j++)
                    free(f->loc.members[j]);
                dropped = true;
                continue;
            }
            res->findings.items[k++] = *f;
        }
        res->findings.len = k;
        if (dropped && !k && res->verdict == LL_ART_SUSPICIOUS)
            res->verdict = LL_ART_SAFE;
    }
    if (w->policy_error[0] && res->format) {
        LLArtLoc loc = {0, 0, 0, {0}};
        ll_art_add(res, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "the built-in policies did not load (%s): every import is unlisted", w->policy_error);
    }
    return NULL;
}

/* ---- findings ---------------------------------------------------------- */

/* Whether any rule of the ruleset (enabled or not) names the check. */
static bool check_named(const LLRuleset *rs, const char *check)
{
    for (size_t i = 0; i < rs->nrules; i++)
        for (size_t k = 0; k < rs->rules[i].artifacts.len; k++)
            if (strcmp(rs->rules[i].artifacts.items[k], check) == 0)
                return true;
    return false;
}

/* "member!member: check subject": what identifies a finding in a model
 * file for baselines (no offset: re-saving a file moves bytes). */
static char *snippet_of(const LLArtFinding *af)
{
    LLBuf b;
    ll_buf_init(&b);
    for (uint32_t i = 0; i < af->loc.nmembers; i++)
        ll_buf_printf(&b, "%s%s", i ? "!" : "", af->loc.members[i]);
    ll_buf_printf(&b, "%s%s%s%s", af->loc.nmembers ? ": " : "", af->check, af->subject ? " " : "",
                  af->subject ? af->subject : "");
    if (b.len > LL_MAX_SNIPPET_BYTES) {
        /* cut at a character boundary */
        size_t n = LL_MAX_SNIPPET_BYTES;
        while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
            n--;
        b.data[n] = '\0';
        b.len = n;
    }
    return ll_buf_detach(&b);
}

static void emit(ArtWorker *w, uint32_t idx, const LLFileEntry *fe, const LLArtResult *res,
                 const LLArtFinding *af, LLFileResult *out, size_t *dropped)
{
    const LLRuleset *rs = w->env->rules;
    intptr_t v;
    if (!ll_strmap_get(&rs->by_artifact, af->check, strlen(af->check), &v)) {
        if (!check_named(rs, af->check))
            ll_file_result_diag(out, idx, LL_DIAG_WARNING, 0, 0,
                                "internal: no rule names the model-file check \"%s\"; its finding (%s) "
                                "is not reported",
                                af->check, af->message);
        return;
    }
    const LLRuleIds *ids = (const LLRuleIds *)v;
    for (uint32_t k = 0; k < ids->len; k++) {
        uint32_t id = ids->ids[k];
        if (w->env->scope && !ll_rule_scope_applies(w->env->scope, id, fe))
            continue;
        if (out->findings.len >= w->env->max_findings_per_file) {
            (*dropped)++;
            continue;
        }
        const LLRule *rule = &rs->rules[id];
        LLFinding f;
        memset(&f, 0, sizeof f);
        f.file = idx;
        f.rule = id;
        f.span = (LLSpan){1, 1, 1, 1};
        f.severity = af->severity;
        f.provenance = LL_PROV_UNKNOWN;
        f.message = ll_rule_format_artifact_message(rule, af->subject, af->message, res->format);
        f.callee = ll_xstrdup(af->subject ? af->subject : af->check);
        f.snippet = snippet_of(af);
        f.binary = true;
        f.byte_offset = af->loc.offset;
        f.byte_length = af->loc.length;
        if (af->loc.nmembers) {
            f.nmembers = af->loc.nmembers;
            f.members = ll_xcalloc(f.nmembers, sizeof *f.members);
            for (uint32_t i = 0; i < f.nmembers; i++)
                f.members[i] = ll_xstrdup(af->loc.members[i]);
        }
        LL_VEC_PUSH(&out->findings, f);
    }
}

static void art_analyze(void *vw, uint32_t idx, LLFileResult *out)
{
    ArtWorker *w = vw;
    const LLFileEntry *fe = &w->env->files->files.items[idx];
    LLArtResult res;
    ll_art_result_init(&res);
    char why[512];
    if (scan_entry(w, fe, &res, why, sizeof why)) {
        ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0, "%s", why);
        ll_art_result_release(&res);
        return;
    }
    size_t dropped = 0;
    for (size_t i = 0; i < res.findings.len; i++)
        emit(w, idx, fe, &res, &res.findings.items[i], out, &dropped);
    if (dropped)
        ll_file_result_diag(out, idx, LL_DIAG_WARNING, 0, 0,
                            "%zu more model-file finding%s not reported (--max-findings-per-file %u)", dropped,
                            dropped == 1 ? "" : "s", w->env->max_findings_per_file);
    ll_art_result_release(&res);
}

static bool art_claims(const char *name, const uint8_t *head, size_t n)
{
    return ll_art_claim(name, head, n) != LL_ART_CLAIM_NONE;
}

static void worker_init(ArtWorker *w)
{
    LLError err;
    memset(&err, 0, sizeof err);
    w->scratch = ll_art_scratch_new();
    if (ll_art_policies_init(&w->base, &err) != LL_OK)
        ll_error_format(&err, w->policy_error, sizeof w->policy_error);
}

static void worker_release(ArtWorker *w)
{
    for (size_t i = 0; i < w->slots.len; i++) {
        slot_release(w->slots.items[i]);
        free(w->slots.items[i]);
    }
    LL_VEC_FREE(&w->slots);
    ll_art_policies_release(&w->base);
    ll_art_scratch_free(w->scratch);
}

static void *art_worker_new(const LLAnalyzerEnv *env)
{
    ArtWorker *w = ll_xcalloc(1, sizeof *w);
    w->env = env;
    worker_init(w);
    return w;
}

static void art_worker_free(void *vw)
{
    ArtWorker *w = vw;
    if (!w)
        return;
    worker_release(w);
    free(w);
}

static const LLAnalyzer artifact_analyzer = {
    .name = "artifact",
    .claims = art_claims,
    .worker_new = art_worker_new,
    .worker_free = art_worker_free,
    .analyze = art_analyze,
};

const LLAnalyzer *ll_analyzer_artifact(void)
{
    return &artifact_analyzer;
}

/* ---- the join's summary (join.h) --------------------------------------- */

static LLArtifactVerdict verdict_of(LLArtVerdict v)
{
    switch (v) {
    case LL_ART_SAFE: return LL_ARTIFACT_SAFE;
    case LL_ART_SUSPICIOUS: return LL_ARTIFACT_SUSPICIOUS;
    case LL_ART_MALICIOUS: return LL_ARTIFACT_MALICIOUS;
    case LL_ART_UNSCANNABLE: return LL_ARTIFACT_UNSCANNABLE;
    default: return LL_ARTIFACT_NOT_MODEL;
    }
}

/* What a safe file of this format holds. */
static const char *clean_phrase(const char *format)
{
    static const char *const pickles[] = {"pickle", "joblib", "pytorch-legacy", "pytorch-zip", "pytorch-tar",
                                          "numpy-npy", "numpy-npz", "zip", "tar", NULL};
    for (size_t i = 0; pickles[i]; i++)
        if (strcmp(format, pickles[i]) == 0)
            return "only allow-listed globals";
    if (strcmp(format, "keras") == 0 || strcmp(format, "keras-config") == 0 || strcmp(format, "keras-h5") == 0 ||
        strcmp(format, "keras-metadata") == 0)
        return "only built-in Keras layers and functions";
    if (strcmp(format, "tf-savedmodel") == 0)
        return "no op that reaches outside the tensor world";
    return "no code (a format that cannot hold any)";
}

/* A summarizer is a worker without a run: its scratch, policies and cache. */
struct LLArtifactSummarizer {
    ArtWorker w;
};

LLArtifactSummarizer *ll_artifact_summarizer_new(void)
{
    LLArtifactSummarizer *s = ll_xcalloc(1, sizeof *s);
    worker_init(&s->w);
    return s;
}

void ll_artifact_summarizer_free(LLArtifactSummarizer *s)
{
    if (!s)
        return;
    worker_release(&s->w);
    free(s);
}

bool ll_artifact_summarize(LLArtifactSummarizer *s, const LLFileEntry *fe, LLArtifactSummary *out)
{
    memset(out, 0, sizeof *out);
    uint8_t head[LL_ART_SNIFF_BYTES];
    int fd = open(fe->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n <= 0 || ll_art_claim(fe->display, head, (size_t)n) == LL_ART_CLAIM_NONE)
        return false;
    LLArtResult res;
    ll_art_result_init(&res);
    char why[512];
    bool ok = !scan_entry(&s->w, fe, &res, why, sizeof why) && res.format;
    if (ok) {
        out->verdict = verdict_of(res.verdict);
        out->format = res.format;
        const LLArtFinding *top = NULL;
        for (size_t i = 0; i < res.findings.len; i++)
            if (!top || res.findings.items[i].severity > top->severity)
                top = &res.findings.items[i];
        if (out->verdict == LL_ARTIFACT_SAFE)
            out->clean = ll_xstrdup(clean_phrase(res.format));
        if (top) {
            out->check = top->check;
            out->subject = top->subject ? ll_xstrdup(top->subject) : NULL;
            out->detail = ll_xstrdup(top->message);
            out->offset = top->loc.offset;
            out->nmembers = top->loc.nmembers;
            if (out->nmembers) {
                out->members = ll_xcalloc(out->nmembers, sizeof *out->members);
                for (uint32_t i = 0; i < out->nmembers; i++)
                    out->members[i] = ll_xstrdup(top->loc.members[i]);
            }
        }
    }
    ll_art_result_release(&res);
    return ok;
}
