#include "engine/run.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "engine/match.h"
#include "base/nameset.h"
#include "base/strlist.h"
#include "engine/prefilter.h"
#include "engine/split.h"
#include "rules/fixspec.h"
#include "engine/project.h"
#include "engine/sources.h"
#include "engine/resolve.h"
#include "engine/frontend.h"
#include "engine/source.h"
#include "engine/analyzer.h"
#include "engine/join.h"
#include "engine/pyanalyzer.h"
#include "engine/suppress.h"
#include "engine/versions.h"
#include "rcache/rcache.h"

#include <errno.h>
#include <fcntl.h>

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ll_run_options_default(LLRunOptions *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->max_file_bytes = LL_DEFAULT_MAX_FILE_BYTES;
    opts->parse_timeout_us = LL_DEFAULT_PARSE_TIMEOUT_US;
    opts->max_findings_per_file = LL_DEFAULT_MAX_FINDINGS_PER_FILE;
}

/* What a file turned out to be, once offered to the analyzers. */
enum { KIND_UNSNIFFED = 0, KIND_PYTHON, KIND_ARTIFACT, KIND_DEPS, KIND_IGNORED };

typedef struct Shared {
    const LLRuleset *rules;
    const LLFileList *files;
    const LLRunOptions *opts;
    LLPyShared py;           /* the Python passes' state (pyanalyzer.h) */
    LLAnalyzerEnv py_env, art_env, deps_env;
    const LLAnalyzer *python, *artifact; /* artifact: NULL when not built in / off */
    const LLAnalyzer *deps;  /* dependency files (versions.h); NULL when no rule uses versions */
    uint8_t *kind;           /* per file: KIND_* */
    /* per file: its result, NULL while it has none (most files are
     * skipped: no memory for them) */
    LLFileResult **results;
    /* per Python file: what the facts pass found (module facts, and the
     * diagnostics of reading it), kept apart from the analyses after it */
    LLFileResult **facts;
    bool facts_pass;
    uint8_t *forced;         /* per file: needed by others, parse it */
    LLNameSet *sinks;        /* functions with a sink: their callers matter */
    LLNameSet *returns;      /* functions returning untrusted data */
    uint8_t *source_checked; /* per file: skipped dep target already read */
    /* The files of this pass, taken from the front (largest first) and,
     * while the budget holds no room for the front's, from the back. */
    const uint32_t *todo;
    size_t ntodo;
    pthread_mutex_t queue_lock;
    size_t front, back;      /* todo[front..back) are left */
    /* What the workers analyse at once after the facts pass, in bytes of
     * source (trees are the run's largest memory; LL_PARSE_BUDGET_BYTES):
     * a file's size is taken before it is read and given back when its
     * trees are gone; a file larger than the total is analysed with no
     * other but small ones (LL_PARSE_BUDGET_SMALL_BYTES, not counted).
     * Without a limit (one worker, the facts pass) total is 0. */
    pthread_mutex_t budget_lock;
    pthread_cond_t budget_freed;
    size_t budget_total, budget_used;
    /* progress (opts->progress) during the facts pass and the first full
     * pass: per file its size (NULL: not told) and whether it was told,
     * what is done, the totals */
    uint64_t *sizes;
    uint8_t *told;
    bool telling;
    atomic_size_t files_done;
    atomic_uint_fast64_t bytes_done;
    uint64_t bytes_total;
} Shared;

typedef struct Worker {
    Shared *shared;
    void *py, *art, *deps;   /* the analyzers' workers */
    uint8_t head[LL_ANALYZER_HEAD_BYTES];
} Worker;

/* The first bytes of a file (0 bytes when it cannot be read: the analyzer
 * that takes it then reports why). */
static size_t read_head(const char *path, uint8_t *head)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    size_t n = 0;
    while (n < LL_ANALYZER_HEAD_BYTES) {
        ssize_t r = read(fd, head + n, LL_ANALYZER_HEAD_BYTES - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    return n;
}

/* Which analyzer takes file idx: Python by name, else the model-file
 * analyzer when it claims the bytes, else Python for a named file and
 * nothing for a walked one. */
static uint8_t file_kind(Worker *w, uint32_t idx)
{
    Shared *sh = w->shared;
    if (sh->kind[idx] != KIND_UNSNIFFED)
        return sh->kind[idx];
    const LLFileEntry *fe = &sh->files->files.items[idx];
    uint8_t k = fe->kind == LL_ENTRY_OTHER ? KIND_IGNORED : KIND_PYTHON;
    if (sh->deps && ll_versions_claims(sh->deps_env.shared, fe)) {
        sh->kind[idx] = KIND_DEPS;
        return KIND_DEPS;
    }
    if (sh->artifact) {
        size_t n = read_head(fe->path, w->head);
        if (n && sh->artifact->claims(fe->display, w->head, n))
            k = KIND_ARTIFACT;
    }
    sh->kind[idx] = k;
    return k;
}

/* Analyses file idx into a new result, kept only if it holds anything. */
static void analyze(Worker *w, uint32_t idx)
{
    Shared *sh = w->shared;
    uint8_t k = file_kind(w, idx);
    if (k == KIND_IGNORED)
        return;
    LLFileResult *out = ll_xcalloc(1, sizeof *out);
    if (k == KIND_ARTIFACT)
        sh->artifact->analyze(w->art, idx, out);
    else if (k == KIND_DEPS)
        sh->deps->analyze(w->deps, idx, out);
    else
        sh->python->analyze(w->py, idx, out);
    if (!out->findings.len && !out->diags.len && !out->summaries.len && !out->deps.len &&
        !out->exports.len) {
        ll_file_result_release(out);
        free(out);
        out = NULL;
    }
    if (k == KIND_PYTHON && sh->facts_pass)
        sh->facts[idx] = out;
    else
        sh->results[idx] = out;
}

/* The next file of the pass, from the front or the back of what is left;
 * false when none is. */
static bool queue_pop(Shared *sh, bool from_back, uint32_t *f)
{
    pthread_mutex_lock(&sh->queue_lock);
    bool any = sh->front < sh->back;
    if (any)
        *f = from_back ? sh->todo[--sh->back] : sh->todo[sh->front++];
    pthread_mutex_unlock(&sh->queue_lock);
    return any;
}

/* A file's share of the budget: its size, at most the total; nothing for
 * a small file (LL_PARSE_BUDGET_SMALL_BYTES), which is analysed beside any
 * other, the largest included. */
static size_t budget_want(const Shared *sh, uint32_t f)
{
    uint64_t n = sh->py.lengths[f];
    if (n < LL_PARSE_BUDGET_SMALL_BYTES)
        return 0;
    return n < sh->budget_total ? (size_t)n : sh->budget_total;
}

/* Takes n bytes of the budget: waiting for them when `wait`, else only
 * when there is room now. */
static bool budget_take(Shared *sh, size_t n, bool wait)
{
    if (!sh->budget_total)
        return true;
    pthread_mutex_lock(&sh->budget_lock);
    bool room = !sh->budget_used || sh->budget_used + n <= sh->budget_total;
    while (wait && !room) {
        pthread_cond_wait(&sh->budget_freed, &sh->budget_lock);
        room = !sh->budget_used || sh->budget_used + n <= sh->budget_total;
    }
    if (room)
        sh->budget_used += n;
    pthread_mutex_unlock(&sh->budget_lock);
    return room;
}

static void budget_give(Shared *sh, size_t n)
{
    if (!sh->budget_total)
        return;
    pthread_mutex_lock(&sh->budget_lock);
    sh->budget_used -= n;
    pthread_cond_broadcast(&sh->budget_freed);
    pthread_mutex_unlock(&sh->budget_lock);
}

/* Analyses file f with its share of the budget taken, and tells it. */
static void analyze_held(Worker *w, uint32_t f, size_t held)
{
    Shared *sh = w->shared;
    analyze(w, f);
    budget_give(sh, held);
    /* a file is told once: when the facts pass is all it needs, else
     * after the first full pass */
    if (sh->telling && !sh->told[f] && !(sh->facts_pass && sh->py.skipped[f] == LL_PY_WANTED)) {
        sh->told[f] = 1;
        size_t files = atomic_fetch_add(&sh->files_done, 1) + 1;
        uint64_t bytes = atomic_fetch_add(&sh->bytes_done, sh->sizes[f]) + sh->sizes[f];
        sh->opts->progress(sh->opts->progress_ctx, files, sh->files->files.len, bytes,
                           sh->bytes_total);
    }
}

/* A worker: the largest file left; while the budget has no room for it,
 * the smallest ones from the back of the queue (small files always have
 * room; a larger one waits for it), so that no worker idles while a large
 * file is analysed. */
static void *worker_main(void *arg)
{
    Worker *w = arg;
    Shared *sh = w->shared;
    uint32_t f, g;
    while (queue_pop(sh, false, &f)) {
        size_t want = budget_want(sh, f);
        while (!budget_take(sh, want, false)) {
            if (!queue_pop(sh, true, &g)) {
                budget_take(sh, want, true);
                break;
            }
            size_t small = budget_want(sh, g);
            budget_take(sh, small, true);
            analyze_held(w, g, small);
        }
        analyze_held(w, f, want);
    }
    return NULL;
}

/* The sizes of the files, for the progress of the facts pass and the
 * first full pass. */
static void progress_start(Shared *sh, size_t n)
{
    if (!sh->opts->progress || !n)
        return;
    sh->sizes = ll_xcalloc(n, sizeof *sh->sizes);
    sh->told = ll_xcalloc(n, 1);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(sh->files->files.items[i].path, &st) == 0 && S_ISREG(st.st_mode))
            sh->sizes[i] = (uint64_t)st.st_size;
        sh->bytes_total += sh->sizes[i];
    }
    sh->telling = true;
}

static void worker_init(Worker *w, Shared *sh)
{
    memset(w, 0, sizeof *w);
    w->shared = sh;
    w->py = sh->python->worker_new(&sh->py_env);
    if (sh->artifact)
        w->art = sh->artifact->worker_new(&sh->art_env);
    if (sh->deps)
        w->deps = sh->deps->worker_new(&sh->deps_env);
}

static void worker_release(Worker *w)
{
    w->shared->python->worker_free(w->py);
    if (w->shared->artifact)
        w->shared->artifact->worker_free(w->art);
    if (w->shared->deps)
        w->shared->deps->worker_free(w->deps);
}

/* Sorting needs the file names: a context-free comparator over an index. */
typedef struct SortItem {
    const LLFinding *f;
    const char *path;
    const char *code;
} SortItem;

static int cmp_item(const void *a, const void *b)
{
    const SortItem *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->f->span.line != y->f->span.line)
        return x->f->span.line < y->f->span.line ? -1 : 1;
    if (x->f->span.col != y->f->span.col)
        return x->f->span.col < y->f->span.col ? -1 : 1;
    c = strcmp(x->code, y->code);
    if (c)
        return c;
    if ((c = ll_finding_cmp_bytes(x->f, y->f)) != 0)
        return c;
    if (x->f->file != y->f->file)
        return x->f->file < y->f->file ? -1 : 1;
    if (x->f->span.end_line != y->f->span.end_line)
        return x->f->span.end_line < y->f->span.end_line ? -1 : 1;
    if (x->f->span.end_col != y->f->span.end_col)
        return x->f->span.end_col < y->f->span.end_col ? -1 : 1;
    return strcmp(x->f->message, y->f->message);
}

/* Analyses the files in todo[] with all workers (the calling thread too). */
static void run_pass(Shared *sh, Worker *workers, unsigned jobs,
                     const uint32_t *todo, size_t ntodo)
{
    sh->todo = todo;
    sh->ntodo = ntodo;
    sh->front = 0;
    sh->back = ntodo;
    sh->budget_total = jobs > 1 && !sh->facts_pass ? LL_PARSE_BUDGET_BYTES : 0;
    sh->budget_used = 0;
    pthread_t *threads = ll_xcalloc(jobs, sizeof *threads);
    bool *started = ll_xcalloc(jobs, sizeof *started);
    for (unsigned i = 1; i < jobs && i < ntodo; i++)
        started[i] = pthread_create(&threads[i], NULL, worker_main, &workers[i]) == 0;
    worker_main(&workers[0]);
    for (unsigned i = 1; i < jobs; i++)
        if (started[i])
            pthread_join(threads[i], NULL);
    free(threads);
    free(started);
}

/* Reads a skipped file again (or takes stdin's text), decoded as the
 * analysis reads it. */
static bool read_again(const Shared *sh, uint32_t f, LLFrontEnd *front, LLArena *arena,
                       const char **text, size_t *len)
{
    const LLFileEntry *fe = &sh->files->files.items[f];
    const char *bytes;
    size_t n;
    if (strcmp(fe->path, "-") == 0) {
        bytes = sh->opts->stdin_text ? sh->opts->stdin_text : "";
        n = sh->opts->stdin_len;
    } else {
        if (ll_frontend_read(front, fe->path, sh->opts->max_file_bytes, NULL) != LL_OK)
            return false;
        bytes = front->raw.data;
        n = front->raw.len;
    }
    LLSource src;
    LLError err;
    if (n > UINT32_MAX - 1 ||
        ll_frontend_decode(front, fe->path, fe->display, bytes, n, arena, &src, &err) != LL_DECODE_OK)
        return false;
    *text = src.text;
    *len = src.len;
    return true;
}

/* The names rules match only as a method (x.from_pretrained(...)), not
 * also as a one-segment function name: their hashes (split.h's step 1). */
static void method_name_hashes(const LLRuleset *rules, LLIdentSet *out)
{
    for (size_t i = 0; i < rules->by_method.cap; i++) {
        const LLStrMapSlot *sl = &rules->by_method.slots[i];
        if (sl->key && !ll_strmap_get(&rules->by_call, sl->key, sl->len, NULL))
            ll_identset_add(out, ll_strmap_hash(sl->key, sl->len));
    }
}

/* The fillers of the source models (shutil.copy(src, dst) puts src's data
 * into dst) that are no other source name: the flow reads a filler only as
 * the name of a call (split.h's step 1). */
static void filler_name_hashes(const LLRuleScope *scope, LLIdentSet *out)
{
    size_t n = ll_rule_scope_model_count(scope);
    for (size_t i = 0; i < n; i++) {
        const LLSourceModel *m = ll_rule_scope_model_at(scope, i);
        for (size_t f = 0; f < m->fillers.len; f++) {
            const char *name = m->fillers.items[f];
            bool other = false;
            for (size_t j = 0; j < n && !other; j++) {
                const LLSourceModel *m2 = ll_rule_scope_model_at(scope, j);
                LLSourcePrefilter params;
                ll_srcmodel_prefilter_params(m2, &params);
                other = ll_strlist_has(&m2->names, name) || ll_strlist_has(&params.names, name);
                ll_srcmodel_prefilter_free(&params);
            }
            if (!other)
                ll_identset_add(out, ll_strmap_hash(name, strlen(name)));
        }
    }
}

/* The keywords rules test at a call (trust_remote_code, safe_mode): the
 * pre-filter's name of such a rule ends with them ("a.load.safe_mode"),
 * and a call spells them as a plain keyword argument, not as the
 * attribute a dotted name's last segment is (split.h's step 1). */
static void keyword_name_hashes(const LLRuleset *rules, LLIdentSet *out)
{
    for (size_t r = 0; r < rules->nrules; r++)
        for (size_t k = 0; k < rules->rules[r].nwhere; k++) {
            const char *kw = rules->rules[r].where[k].arg.keyword;
            if (kw)
                ll_identset_add(out, ll_strmap_hash(kw, strlen(kw)));
        }
}

/* The last segment of every name a rule's fix may write (a callee's new
 * name, a value's name): fix.c refuses a fix whose name the file binds
 * anywhere, so a definition binding one is parsed (split.h). */
static void fix_name_hashes(const LLRuleset *rules, LLIdentSet *out)
{
    for (size_t r = 0; r < rules->nrules; r++) {
        const LLRule *rule = &rules->rules[r];
        for (size_t f = 0; f < rule->nfixes; f++) {
            const LLFixSpec *fs = &rule->fixes[f];
            for (size_t k = 0; k <= fs->to.len; k++) {
                const char *name = k < fs->to.len ? fs->to.items[k] : fs->name;
                if (!name)
                    continue;
                const char *last = strrchr(name, '.');
                last = last ? last + 1 : name;
                ll_identset_add(out, ll_strmap_hash(last, strlen(last)));
            }
        }
    }
}

/* Lists in todo the files parsed in part (split.h) whose plan changes
 * with names new to the sets (`fresh`): a definition left out may matter
 * now (its own file's too: a method named like a new sink's method). A
 * file whose Bloom filter may hold a new name is read and planned again,
 * and listed when the plan differs. Returns how many were listed. */
static size_t add_replans(Shared *sh, const LLProject *project, const LLFuncSummary *const *fresh,
                          size_t nfresh, LLFrontEnd *front, LLArena *arena, uint32_t *todo)
{
    size_t n = sh->files->files.len, next = 0;
    if (!nfresh)
        return 0;
    LLNameSet *ones = ll_xcalloc(nfresh, sizeof *ones);
    for (size_t i = 0; i < nfresh; i++) {
        ll_nameset_init(&ones[i]);
        ll_nameset_add(&ones[i], fresh[i]->name);
    }
    LLSplitNames names;
    ll_py_split_names(&sh->py, sh->rules, &names);
    LLSplit split;
    ll_split_init(&split);
    LLIdentSet ids;
    ll_identset_init(&ids);
    for (size_t f = 0; f < n; f++) {
        if (sh->py.skipped[f] != LL_PY_PARTIAL || sh->forced[f])
            continue;
        bool maybe = false;
        for (size_t i = 0; i < nfresh && !maybe; i++)
            maybe = ll_nameset_bloom_match(&ones[i], sh->py.blooms[f].words, sh->py.bloom_domain);
        if (!maybe)
            continue;
        /* the answer of an earlier run for the same text and sets (rcache.h) */
        const LLNameSet *sets[] = {sh->sinks, sh->returns, sh->py.alias_names};
        uint64_t plan;
        if (!ll_rcache_plan_get(sh->opts->cache, (uint32_t)f, sets, 3, &plan)) {
            const char *text;
            size_t len;
            ll_arena_reset(arena);
            if (!read_again(sh, (uint32_t)f, front, arena, &text, &len))
                continue;
            ll_split_scan(&split, text, len, project->modules[f].name, &ids);
            plan = ll_split_plan(&split, text, len, &ids, &names) ? ll_split_digest(&split) : 0;
            ll_rcache_plan_put(sh->opts->cache, (uint32_t)f, sets, 3, front->raw.data, front->raw.len,
                               plan);
        }
        if (plan != sh->py.blooms[f].plan[0])
            todo[next++] = (uint32_t)f;
    }
    ll_identset_release(&ids);
    ll_split_release(&split);
    for (size_t i = 0; i < nfresh; i++)
        ll_nameset_release(&ones[i]);
    free(ones);
    return next;
}

/* After a pass: marks as needed (and lists in todo) the skipped files that
 * analysed files depend on when they may return untrusted data (they name
 * a source or a function that returns one), the skipped files that may
 * name a function that has a sink (they may pass untrusted data to it),
 * and the files parsed in part (split.h) that may name a function new to
 * either set (a definition left out may matter now). Returns how many
 * files were listed. */
static size_t add_needed_files(Shared *sh, const LLProject *project, uint32_t *todo)
{
    size_t n = sh->files->files.len, next = 0;
    bool new_returns = false, new_sinks = false;
    LL_VEC(const LLFuncSummary *) fresh = {0}; /* new to either set */
    for (size_t i = 0; i < project->summaries.len; i++) {
        const LLFuncSummary *fs = project->summaries.items[i];
        bool added = false;
        if (fs->returns_source && ll_nameset_add(sh->returns, fs->name))
            new_returns = added = true;
        if (fs->sinks.len && ll_nameset_add(sh->sinks, fs->name))
            new_sinks = added = true;
        if (added)
            LL_VEC_PUSH(&fresh, fs);
    }
    LLFrontEnd front;
    ll_frontend_init(&front);
    LLArena arena;
    ll_arena_init(&arena);
    next = add_replans(sh, project, fresh.items, fresh.len, &front, &arena, todo);
    LL_VEC_FREE(&fresh);
    /* the skipped files analysed files depend on, each once */
    uint8_t *wanted = ll_xcalloc(n ? n : 1, 1);
    for (size_t f = 0; f < n; f++) {
        const LLFileResult *r = sh->results[f];
        for (size_t k = 0; r && k < r->deps.len; k++) {
            uint32_t g = r->deps.items[k].file;
            if (r->deps.items[k].returns && g < n && ll_py_unparsed(sh->py.skipped[g]) &&
                !sh->forced[g])
                wanted[g] = 1;
        }
    }
    for (size_t g = 0; g < n; g++) {
        if (!wanted[g] || (sh->source_checked[g] && !new_returns))
            continue;
        sh->source_checked[g] = 1;
        /* its identifiers' Bloom filter first; read it only on a maybe */
        if (!sh->py.source_literals->len &&
            !ll_nameset_bloom_match(sh->py.sources, sh->py.blooms[g].words, sh->py.bloom_domain) &&
            !ll_nameset_bloom_match(sh->returns, sh->py.blooms[g].words, sh->py.bloom_domain))
            continue;
        /* the answer of an earlier run for the same text and names (rcache.h) */
        int known = ll_rcache_needed_get(sh->opts->cache, (uint32_t)g, sh->returns);
        if (known < 0) {
            const char *text;
            size_t len;
            ll_arena_reset(&arena);
            if (!read_again(sh, (uint32_t)g, &front, &arena, &text, &len))
                continue;
            known = ll_nameset_match(sh->py.sources, text, len, project->modules[g].name) ||
                    ll_sources_literal_in(sh->py.source_literals, text, len) ||
                    ll_nameset_match(sh->returns, text, len, project->modules[g].name);
            ll_rcache_needed_put(sh->opts->cache, (uint32_t)g, sh->returns, front.raw.data,
                                 front.raw.len, known);
        }
        if (known) {
            sh->forced[g] = 1;
            todo[next++] = (uint32_t)g;
        }
    }
    free(wanted);
    if (new_sinks) {
        LLNameSetBloomIndex sink_index;
        ll_nameset_bloom_index(&sink_index, sh->sinks, sh->py.bloom_domain);
        for (size_t f = 0; f < n; f++) {
            if (!ll_py_unparsed(sh->py.skipped[f]) || sh->forced[f])
                continue;
            if (ll_nameset_bloom_index_match(&sink_index, sh->py.blooms[f].words))
                todo[next++] = (uint32_t)f; /* maybe: the pass checks exactly */
        }
        ll_nameset_bloom_index_release(&sink_index);
    }
    ll_frontend_release(&front);
    ll_arena_release(&arena);
    return next;
}

typedef struct SizedFile {
    uint32_t index;
    off_t size;
} SizedFile;

static int cmp_size_desc(const void *a, const void *b)
{
    const SizedFile *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Largest files first (their sizes as the facts pass found them), so that
 * no thread is left with a big file at the end of a pass (results are
 * stored by index: order does not show). */
static void order_by_size(const uint64_t *lengths, uint32_t *todo, size_t n)
{
    SizedFile *sf = ll_xcalloc(n ? n : 1, sizeof *sf);
    for (size_t i = 0; i < n; i++) {
        sf[i].index = todo[i];
        sf[i].size = (off_t)lengths[todo[i]];
    }
    qsort(sf, n, sizeof *sf, cmp_size_desc);
    for (size_t i = 0; i < n; i++)
        todo[i] = sf[i].index;
    free(sf);
}

/* The first segments of the names rules mention ("pickle", "torch"): a
 * module fact naming none of them, or a project module, cannot matter. */
static void rule_roots(const LLRuleset *rules, LLStrMap *roots)
{
    ll_strmap_init(roots);
    const LLStrMap *k = &rules->known_names;
    for (size_t i = 0; i < k->cap; i++)
        if (k->slots[i].hash)
            ll_strmap_put(roots, k->slots[i].key, strcspn(k->slots[i].key, "."), 1);
}

/* Where rules and sources mention each name, as a signature: name ->
 * a hash of (rule, role) pairs (its calls; each predicate), and of being a
 * source. Two names with the same signature are matched alike. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static void sig_add(LLStrMap *sigs, const char *name, uint64_t tag)
{
    intptr_t v = 0;
    size_t len = strlen(name);
    ll_strmap_get(sigs, name, len, &v);
    ll_strmap_put(sigs, name, len, (intptr_t)((uint64_t)v ^ mix64(tag)));
}

static void name_signatures(const LLRuleset *rules, const LLStrMap *sources, LLStrMap *sigs)
{
    ll_strmap_init(sigs);
    for (size_t i = 0; i < rules->nrules; i++) {
        const LLRule *r = &rules->rules[i];
        uint64_t base = (uint64_t)(i + 1) << 16;
        for (size_t k = 0; k < r->calls.len; k++)
            sig_add(sigs, r->calls.items[k], base);
        for (size_t k = 0; k < r->nwhere + r->nunless; k++) {
            const LLPredicate *p = k < r->nwhere ? &r->where[k] : &r->unless[k - r->nwhere];
            for (size_t j = 0; j < p->nnames; j++)
                sig_add(sigs, p->names[j], base + k + 1);
        }
    }
    for (size_t i = 0; i < sources->cap; i++)
        if (sources->slots[i].hash)
            sig_add(sigs, sources->slots[i].key, 1);
}

/* The names of a map under each dotted prefix of theirs ("torch",
 * "torch.hub", "torch.hub.load" for torch.hub.load): for a prefix, a list
 * of the map's slots whose key is it or starts with it and a dot, in slot
 * order (what a scan of every slot would find). */
typedef struct PrefixEntry {
    uint32_t slot;
    uint32_t next; /* index + 1 of the next entry of the prefix; 0: the last */
} PrefixEntry;

typedef struct NamePrefixes {
    const LLStrMap *names; /* borrowed */
    LLStrMap head;         /* prefix -> index + 1 of its first entry (keys: the map's) */
    LL_VEC(PrefixEntry) entries;
} NamePrefixes;

static void name_prefixes_init(NamePrefixes *np, const LLStrMap *names)
{
    memset(np, 0, sizeof *np);
    np->names = names;
    ll_strmap_init(&np->head);
    for (size_t i = names->cap; i-- > 0;) { /* backwards: each list comes out in slot order */
        if (!names->slots[i].hash)
            continue;
        const char *r = names->slots[i].key;
        size_t rl = names->slots[i].len;
        for (size_t l = 1; l <= rl; l++) {
            if (l < rl && r[l] != '.')
                continue;
            LLStrMapSlot *h = ll_strmap_slot(&np->head, r, l, 0);
            PrefixEntry e = {(uint32_t)i, (uint32_t)h->value};
            LL_VEC_PUSH(&np->entries, e);
            h->value = (intptr_t)np->entries.len;
        }
    }
}

static void name_prefixes_release(NamePrefixes *np)
{
    ll_strmap_release(&np->head);
    LL_VEC_FREE(&np->entries);
}

/* The first entry of the names at or below `to` (0: none). */
static uint32_t name_prefixes_first(const NamePrefixes *np, const char *to, size_t tl)
{
    intptr_t at = 0;
    return ll_strmap_get(&np->head, to, tl, &at) ? (uint32_t)at : 0;
}

/* Whether every dotted segment of `to` is one of `from` ("torch" of
 * "pkg.mod.torch"). */
static bool segments_within(const char *to, const char *from)
{
    for (const char *t = to; *t;) {
        size_t n = strcspn(t, ".");
        bool found = false;
        for (const char *f = from; *f && !found;) {
            size_t m = strcspn(f, ".");
            found = m == n && memcmp(f, t, n) == 0;
            f += m + (f[m] == '.');
        }
        if (!found)
            return false;
        t += n + (t[n] == '.');
    }
    return true;
}

/* The names rules mention, as an alias spells them: for from -> to and a
 * rule name under `to` (found through np, the prefixes of the rules'
 * names), the same name under `from` (the pre-filter must let `from
 * pkg.compat import pickle` ... `pickle.loads` through), for the
 * pre-filter's set. When every segment of `to` is one of `from`
 * ("pkg.mod.torch" -> "torch", every module that imports torch), a text
 * that spells the name under `from` spells the rule's own name too, so
 * that name stands for it (the set stays the size of the rules', not of
 * the project) and is not counted as new. Returns how many were new to
 * `out`. */
static size_t alias_rule_names_indexed(const NamePrefixes *np, const char *from, const char *to,
                                       LLNameSet *out)
{
    size_t tl = strlen(to), added = 0;
    bool own_name = segments_within(to, from);
    LLBuf b;
    ll_buf_init(&b);
    for (uint32_t e = name_prefixes_first(np, to, tl); e; e = np->entries.items[e - 1].next) {
        const LLStrMapSlot *sl = &np->names->slots[np->entries.items[e - 1].slot];
        if (own_name) {
            ll_nameset_add(out, sl->key);
            continue;
        }
        ll_buf_reset(&b);
        ll_buf_puts(&b, from);
        ll_buf_append(&b, sl->key + tl, sl->len - tl);
        added += ll_nameset_add(out, b.data);
    }
    ll_buf_release(&b);
    return added;
}

/* Whether the alias from -> to can change what any name matches (sigs:
 * the prefixes of the signatures' names). Not when nothing a rule or a
 * source mentions lies at or below `to` (nor above it: "pkg.model.Net" ->
 * "torch.nn.Module", a class of every model file), nor when each such name
 * under `to` is matched exactly like the same name under `from`
 * ("pickle.loads" -> "_pickle.loads" where pickle.py is scanned: both are
 * LL101's). */
static bool alias_matters(const NamePrefixes *sigs, const char *from, const char *to)
{
    size_t tl = strlen(to);
    for (size_t l = tl; l > 0; l--)
        if (to[l] == '.' && ll_strmap_get(sigs->names, to, l, NULL))
            return true; /* below a name: its methods, attributes */
    LLBuf b;
    ll_buf_init(&b);
    bool differs = false;
    for (uint32_t e = name_prefixes_first(sigs, to, tl); e && !differs;
         e = sigs->entries.items[e - 1].next) {
        const LLStrMapSlot *sl = &sigs->names->slots[sigs->entries.items[e - 1].slot];
        ll_buf_reset(&b);
        ll_buf_puts(&b, from);
        ll_buf_append(&b, sl->key + tl, sl->len - tl);
        intptr_t mine = 0;
        ll_strmap_get(sigs->names, b.data, b.len, &mine);
        differs = mine != sl->value;
    }
    ll_buf_release(&b);
    return differs;
}

/* Adds the segments of a dotted name to a set (NULL: none). */
static void domain_add(LLIdentSet *set, const char *name)
{
    for (const char *m = name; m && *m;) {
        size_t l = strcspn(m, ".");
        ll_identset_add(set, ll_strmap_hash(m, l));
        m += l + (m[l] == '.');
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds the hashes of a set, in order, to the cache's run-wide key. */
static void key_domain(LLRcache *c, const LLIdentSet *set)
{
    uint64_t *h = ll_xcalloc(set->count ? set->count : 1, sizeof *h);
    size_t k = 0;
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i])
            h[k++] = set->slots[i];
    qsort(h, k, sizeof *h, cmp_u64);
    ll_rcache_key(c, "bloom domain", h, k * sizeof *h);
    free(h);
}

/* After the facts pass: the project's aliases from every file's module
 * facts, and the pre-filter's names for them. Lists in todo the files the
 * first full pass analyses: those the facts pass left LL_PY_WANTED, and
 * the skipped files whose identifiers may spell a new name (their Bloom
 * filter; the pass checks exactly). Returns how many were listed. */
static size_t learn_aliases(Shared *sh, LLProject *project, LLStrMap *aliases,
                            LLIdentSet *alias_prefixes, LLNameSet *alias_names, uint32_t *todo)
{
    size_t n = sh->files->files.len, next = 0;
    const char **mods = ll_xcalloc(n ? n : 1, sizeof *mods);
    const LLExports **facts = ll_xcalloc(n ? n : 1, sizeof *facts);
    for (size_t i = 0; i < n; i++) {
        mods[i] = project->modules[i].name;
        facts[i] = sh->facts[i] ? &sh->facts[i]->exports : NULL;
    }
    ll_strmap_release(aliases); /* made by ll_strmap_init: nothing in it yet */
    size_t count = ll_rcache_resolve_aliases(sh->opts->cache, mods, facts, n,
                                             sh->py.export_filter->roots, aliases);
    free(mods);
    free(facts);
    bool new_names = false;
    if (count) {
        /* Which aliases can matter: those whose target is, or lies on the
         * way to, a name a rule or a source mentions ("pickle", "torch" of
         * "torch.load"), or lies below one. The others ("pkg.model.Net" ->
         * "torch.nn.Module", a class of every model file) cannot make any
         * name match: the resolver knows them, the pre-filter needs no
         * name for them. */
        LLStrMap sigs;
        name_signatures(sh->rules, &sh->py.sources->names, &sigs);
        NamePrefixes sig_prefixes, rule_prefixes;
        name_prefixes_init(&sig_prefixes, &sigs);
        name_prefixes_init(&rule_prefixes, &sh->rules->known_names);
        for (size_t i = 0; i < aliases->cap; i++) {
            if (!aliases->slots[i].hash)
                continue;
            const char *key = aliases->slots[i].key;
            const char *to = (const char *)aliases->slots[i].value;
            if (alias_matters(&sig_prefixes, key, to))
                new_names |= alias_rule_names_indexed(&rule_prefixes, key, to, alias_names) > 0;
        }
        name_prefixes_release(&sig_prefixes);
        name_prefixes_release(&rule_prefixes);
        ll_strmap_release(&sigs);
        sh->py.aliases = aliases;
        ll_aliases_prefixes(aliases, alias_prefixes);
        sh->py.alias_prefixes = alias_prefixes;
    }
    /* every skipped file's filter against the names: indexed (a project
     * may re-export tens of thousands of rule names) */
    LLNameSetBloomIndex alias_index;
    if (new_names)
        ll_nameset_bloom_index(&alias_index, alias_names, sh->py.bloom_domain);
    for (size_t f = 0; f < n; f++) {
        if (sh->kind[f] != KIND_PYTHON)
            continue;
        if (sh->py.skipped[f] == LL_PY_WANTED ||
            (new_names && sh->py.skipped[f] == LL_PY_SKIPPED &&
             ll_nameset_bloom_index_match(&alias_index, sh->py.blooms[f].words)))
            todo[next++] = (uint32_t)f;
    }
    if (new_names)
        ll_nameset_bloom_index_release(&alias_index);
    /* the facts are in the aliases now: their memory is the parses' */
    for (size_t i = 0; i < n; i++) {
        LLFileResult *fr = sh->facts[i];
        if (!fr)
            continue;
        ll_exports_release(&fr->exports);
        if (!fr->diags.len) {
            ll_file_result_release(fr);
            free(fr);
            sh->facts[i] = NULL;
        }
    }
    return next;
}

/* Where a file is (finding.h LLContext): its settings' test-paths, then
 * example-paths. Without settings (the library used with no
 * configuration) every file is library code. */
static LLContext file_context(const LLFileEntry *fe)
{
    if (!fe->settings || !fe->abs)
        return LL_CTX_LIBRARY;
    if (ll_settings_test_path(fe->settings, fe->abs))
        return LL_CTX_TEST;
    if (ll_settings_example_path(fe->settings, fe->abs))
        return LL_CTX_EXAMPLE;
    return LL_CTX_LIBRARY;
}

/* The context of each finding, and test-severity on those in test code. */
static void grade_context(LLFinding *f, size_t n, const LLFileList *files)
{
    uint32_t last = UINT32_MAX;
    LLContext ctx = LL_CTX_LIBRARY;
    for (size_t i = 0; i < n; i++) {
        const LLFileEntry *fe = &files->files.items[f[i].file];
        if (f[i].file != last) {
            ctx = file_context(fe);
            last = f[i].file;
        }
        f[i].context = (uint8_t)ctx;
        if (ctx != LL_CTX_TEST)
            continue;
        switch (fe->settings->test_severity) {
        case LL_TEST_KEEP:
            break;
        case LL_TEST_LOWER:
            f[i].lowered = f[i].severity != LL_SEV_NOTE;
            f[i].severity = ll_severity_lower(f[i].severity);
            break;
        case LL_TEST_NOTE:
            f[i].lowered = f[i].severity != LL_SEV_NOTE;
            f[i].severity = LL_SEV_NOTE;
            break;
        case LL_TEST_IGNORE:
            if (!f[i].suppressed)
                f[i].suppressed = LL_SUPP_TEST;
            break;
        }
    }
}

/* Whether finding a says more than b about the same call. */
static bool stronger(const LLFinding *a, const LLFinding *b)
{
    if (a->severity != b->severity)
        return a->severity > b->severity;
    if ((a->source != NULL) != (b->source != NULL))
        return a->source != NULL;
    return a->rule < b->rule;
}

static bool same_span(const LLFinding *a, const LLFinding *b)
{
    return a->file == b->file && a->span.line == b->span.line && a->span.col == b->span.col &&
           a->span.end_line == b->span.end_line && a->span.end_col == b->span.end_col &&
           !a->binary && !b->binary;
}

/* One finding per call: where several rules report the same call (a Keras
 * load_model with safe_mode=False is LL301 and LL302), the strongest is
 * shown and the others are kept as suppressed duplicates. `f` is sorted
 * by (file, line, column). */
static void one_per_call(LLFinding *f, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && f[j].file == f[i].file && f[j].span.line == f[i].span.line &&
               f[j].span.col == f[i].span.col)
            j++;
        for (size_t a = i; a < j; a++) {
            if (f[a].suppressed)
                continue;
            for (size_t b = a + 1; b < j; b++) {
                if (f[b].suppressed || !same_span(&f[a], &f[b]))
                    continue;
                if (stronger(&f[b], &f[a])) {
                    f[a].suppressed = LL_SUPP_DUPLICATE;
                    break;
                }
                f[b].suppressed = LL_SUPP_DUPLICATE;
            }
        }
        i = j;
    }
}

static bool same_place(const LLFinding *a, const LLFinding *b)
{
    return a->file == b->file && a->rule == b->rule && a->span.line == b->span.line &&
           a->span.col == b->span.col && a->span.end_line == b->span.end_line &&
           a->span.end_col == b->span.end_col && ll_finding_cmp_bytes(a, b) == 0;
}

/* Whether file f's findings and diagnostics are reported (run.h: report). */
static bool reported(const LLRunOptions *opts, uint32_t f)
{
    return !opts->report || (f < UINT32_MAX && opts->report[f]);
}

/* Releases the findings and diagnostics of files not reported (run.h:
 * report), keeping the order of the others. */
static void drop_unreported(const LLRunOptions *opts, LLRunResult *out)
{
    if (!opts->report)
        return;
    size_t keep = 0;
    for (size_t i = 0; i < out->findings.len; i++) {
        if (reported(opts, out->findings.items[i].file))
            out->findings.items[keep++] = out->findings.items[i];
        else
            ll_finding_release(&out->findings.items[i]);
    }
    out->findings.len = keep;
    keep = 0;
    for (size_t i = 0; i < out->diags.len; i++) {
        const LLDiag *d = &out->diags.items[i];
        if (d->file == UINT32_MAX || reported(opts, d->file))
            out->diags.items[keep++] = *d;
        else
            free(d->message);
    }
    out->diags.len = keep;
}

/* The state the next pass's analyses read, for the result cache. */
static void cache_pass(const Shared *sh, const LLProject *project)
{
    if (!sh->opts->cache)
        return;
    LLRcacheState st = {{sh->sinks, sh->returns}, sh->py.aliases, project,
                        sh->forced, sh->facts_pass};
    ll_rcache_pass(sh->opts->cache, &st);
}

/* A warning of the result cache, as a diagnostic of the run. */
static void cache_diag(void *ctx, const char *message)
{
    LLRunResult *out = ctx;
    LLDiag d = {UINT32_MAX, LL_DIAG_WARNING, 0, 0, ll_xstrdup(message)};
    LL_VEC_PUSH(&out->diags, d);
}

void ll_run(const LLRuleset *rules, const LLSyntax *syn,
            const LLFileList *files, const LLRunOptions *opts,
            LLRunResult *out)
{
    memset(out, 0, sizeof *out);
    size_t n = files->files.len;
    LLProject project;
    {
        /* module names for what may be Python (not for other walked files) */
        const char **paths = ll_xcalloc(n ? n : 1, sizeof *paths);
        const char **displays = ll_xcalloc(n ? n : 1, sizeof *displays);
        for (size_t i = 0; i < n; i++) {
            bool other = files->files.items[i].kind == LL_ENTRY_OTHER;
            paths[i] = other ? NULL : files->files.items[i].path;
            displays[i] = files->files.items[i].display;
        }
        ll_project_init(&project, paths, displays, n);
        free(paths);
        free(displays);
    }
    LLNameSet sinks, returns;
    ll_nameset_init(&sinks);
    ll_nameset_init(&returns);
    LLRuleScope *own_scope = opts->scope ? NULL : ll_rule_scope_new(rules, NULL, NULL);
    const LLRuleScope *scope = opts->scope ? opts->scope : own_scope;
    /* the pre-filter knows the sources of every model in use */
    LLNameSet sources;
    ll_nameset_init(&sources);
    LLStrList source_literals = {0};
    /* and, for parsing in part (split.h), the sources whose conditions a
     * function need not name, and the names fixes write */
    LLNameSet param_sources;
    ll_nameset_init(&param_sources);
    LLStrList param_literals = {0};
    for (size_t i = 0; i < ll_rule_scope_model_count(scope); i++) {
        ll_sources_prefilter(ll_rule_scope_model_at(scope, i), &sources, &source_literals);
        ll_sources_param_prefilter(ll_rule_scope_model_at(scope, i), &param_sources, &param_literals);
    }
    LLIdentSet fix_names;
    ll_identset_init(&fix_names);
    fix_name_hashes(rules, &fix_names);
    LLIdentSet method_names;
    ll_identset_init(&method_names);
    method_name_hashes(rules, &method_names);
    LLIdentSet filler_names;
    ll_identset_init(&filler_names);
    filler_name_hashes(scope, &filler_names);
    LLIdentSet keyword_names;
    ll_identset_init(&keyword_names);
    keyword_name_hashes(rules, &keyword_names);
    Shared sh = {.rules = rules, .files = files, .opts = opts,
                 .results = ll_xcalloc(n ? n : 1, sizeof(LLFileResult *)),
                 .facts = ll_xcalloc(n ? n : 1, sizeof(LLFileResult *)),
                 .kind = ll_xcalloc(n ? n : 1, 1),
                 .forced = ll_xcalloc(n ? n : 1, 1),
                 .sinks = &sinks,
                 .returns = &returns,
                 .source_checked = ll_xcalloc(n ? n : 1, 1)};
    sh.py = (LLPyShared){.syn = syn, .opts = opts, .project = &project,
                         .skipped = ll_xcalloc(n ? n : 1, 1),
                         .blooms = ll_xcalloc(n ? n : 1, sizeof(LLBloom)),
                         .lengths = ll_xcalloc(n ? n : 1, sizeof(uint64_t)),
                         .forced = sh.forced, .sinks = &sinks, .returns = &returns,
                         .sources = &sources, .source_literals = &source_literals,
                         .param_sources = &param_sources, .param_literals = &param_literals,
                         .fix_names = &fix_names, .method_names = &method_names,
                         .filler_names = &filler_names, .keyword_names = &keyword_names};
    /* module facts and aliases (exports.h): the rule roots decide what is
     * kept; the libraries' re-exports are known from the start */
    LLStrMap roots, aliases;
    rule_roots(rules, &roots);
    ll_strmap_init(&aliases);
    LLExportFilter export_filter = {&roots, &project.by_module, &rules->known_names,
                                    &rules->sources.module_loaders};
    LLNameSet alias_names;
    ll_nameset_init(&alias_names);
    {
        NamePrefixes rule_prefixes;
        name_prefixes_init(&rule_prefixes, &rules->known_names);
        for (size_t i = 0; i < ll_rule_scope_model_count(scope); i++) {
            const LLSourceModel *m = ll_rule_scope_model_at(scope, i);
            for (size_t k = 0; k < m->reexport_from.len; k++)
                alias_rule_names_indexed(&rule_prefixes, m->reexport_from.items[k],
                                         m->reexport_to.items[k], &alias_names);
        }
        name_prefixes_release(&rule_prefixes);
    }
    sh.py.export_filter = &export_filter;
    sh.py.alias_names = &alias_names;
    sh.py_env = (LLAnalyzerEnv){rules, scope, files, opts->max_file_bytes,
                                opts->max_findings_per_file, &sh.py};
    sh.art_env = sh.py_env;
    sh.art_env.shared = NULL;
    sh.python = ll_analyzer_python();
    sh.artifact = opts->no_artifacts ? NULL : ll_analyzer_artifact();
    /* rules with versions: the dependency files (versions.h) */
    LLVersions *versions = ll_versions_new(rules, files);
    sh.py.versions = versions;
    sh.deps_env = sh.art_env;
    sh.deps_env.shared = versions;
    sh.deps = versions ? ll_analyzer_deps() : NULL;
    for (size_t i = 0; i < n; i++)
        if (files->files.items[i].kind == LL_ENTRY_PYTHON)
            sh.kind[i] = KIND_PYTHON;
    unsigned jobs = opts->jobs;
    if (!jobs) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (jobs > n)
        jobs = n ? (unsigned)n : 1;
    pthread_mutex_init(&sh.queue_lock, NULL);
    pthread_mutex_init(&sh.budget_lock, NULL);
    pthread_cond_init(&sh.budget_freed, NULL);
    Worker *workers = ll_xcalloc(jobs, sizeof *workers);
    for (unsigned i = 0; i < jobs; i++)
        worker_init(&workers[i], &sh);
    /* files named on the command line are parsed whatever the pre-filter
     * says (their diagnostics); the cache sees them as forced */
    for (size_t i = 0; opts->parse && i < n; i++)
        if (opts->parse[i])
            sh.forced[i] = 1;
    /* the Bloom filters' domain (pyanalyzer.h); a cached filter holds its
     * part of it, so it is part of the cache's run-wide key */
    LLIdentSet bloom_domain;
    ll_identset_init(&bloom_domain);
    {
        for (size_t i = 0; i < n; i++)
            domain_add(&bloom_domain, project.modules[i].name);
        const LLStrMap *maps[] = {&rules->known_names, &sources.names};
        for (size_t k = 0; k < 2; k++)
            for (size_t i = 0; i < maps[k]->cap; i++)
                if (maps[k]->slots[i].hash)
                    domain_add(&bloom_domain, maps[k]->slots[i].key);
    }
    sh.py.bloom_domain = &bloom_domain;
    if (opts->cache) {
        key_domain(opts->cache, &bloom_domain);
        ll_rcache_begin(opts->cache, rules, files, &project, opts);
    }

    /* The facts pass reads every file: a model file or a dependency file
     * is analysed, a Python file gives its module facts and the
     * pre-filter's answer (pyanalyzer.h facts_only). From the facts, the
     * project's aliases. Pass 0 then analyses the Python files that may
     * produce anything, with the aliases known. Each later pass
     * re-analyses the files that call functions whose summaries changed in
     * the pass before, until nothing changes (at most
     * LL_MAX_SUMMARY_ROUNDS passes). */
    uint32_t *todo = ll_xcalloc(n ? n : 1, sizeof *todo);
    uint8_t *queued = ll_xcalloc(n ? n : 1, 1);
    /* the facts pass: the files no Python analysis reads first (model
     * files can be large), then the Python files, in walk order (none is
     * parsed: sizes matter little) */
    size_t nt = 0;
    for (int python = 0; python < 2; python++)
        for (size_t i = 0; i < n; i++)
            if ((files->files.items[i].kind == LL_ENTRY_PYTHON) == (python == 1))
                todo[nt++] = (uint32_t)i;
    sh.facts_pass = sh.py.facts_only = true;
    cache_pass(&sh, &project);
    progress_start(&sh, n);
    run_pass(&sh, workers, jobs, todo, n);
    sh.facts_pass = sh.py.facts_only = false;
    LLIdentSet alias_prefixes;
    ll_identset_init(&alias_prefixes);
    size_t ntodo = learn_aliases(&sh, &project, &aliases, &alias_prefixes, &alias_names, todo);
#ifdef __GLIBC__
    malloc_trim(0); /* what the facts took goes back before the parses */
#endif
    /* hashes of the functions whose summaries changed in a pass: in what
     * they return, in their sinks */
    LLIdentSet changed_returns, changed_sinks;
    ll_identset_init(&changed_returns);
    ll_identset_init(&changed_sinks);
    for (unsigned round = 0; ntodo && round <= LL_MAX_SUMMARY_ROUNDS; round++) {
        for (size_t i = 0; i < ntodo; i++) {
            LLFileResult *r = sh.results[todo[i]];
            if (r) {
                ll_file_result_release(r);
                free(r);
                sh.results[todo[i]] = NULL;
            }
        }
        cache_pass(&sh, &project);
        order_by_size(sh.py.lengths, todo, ntodo);
        run_pass(&sh, workers, jobs, todo, ntodo);
        sh.telling = false; /* the first passes only: the others are quick */
        /* publish the summaries (one thread; the project takes them over),
         * noting which changed */
        ll_identset_clear(&changed_returns);
        ll_identset_clear(&changed_sinks);
        for (size_t i = 0; i < ntodo; i++) {
            LLFileResult *r = sh.results[todo[i]];
            for (size_t k = 0; r && k < r->summaries.len; k++) {
                LLFuncSummary *fs = r->summaries.items[k];
                uint64_t h = ll_strmap_hash(fs->name, strlen(fs->name));
                unsigned what = ll_project_put(&project, fs);
                if (what & LL_SUMMARY_RETURNS)
                    ll_identset_add(&changed_returns, h);
                if (what & LL_SUMMARY_SINKS)
                    ll_identset_add(&changed_sinks, h);
            }
            if (r)
                LL_VEC_FREE(&r->summaries);
        }
        /* files others depend on, and files naming new sink functions */
        size_t next = add_needed_files(&sh, &project, todo);
        if (!changed_returns.count && !changed_sinks.count && !next)
            break;
        memset(queued, 0, n ? n : 1);
        for (size_t t = 0; t < next; t++)
            queued[todo[t]] = 1;
        for (size_t f = 0; f < n; f++) {
            const LLFileResult *r = sh.results[f];
            bool redo = false;
            if (queued[f] || ll_py_unparsed(sh.py.skipped[f]) || !r)
                continue;
            /* a file whose data flow never asked what a function returns
             * cannot see a change in it; any call sees a new sink */
            for (size_t k = 0; k < r->deps.len && !redo; k++) {
                const LLDep *d = &r->deps.items[k];
                redo = ll_identset_has(&changed_sinks, d->name) ||
                       (d->method && ll_identset_has(&changed_sinks, d->method)) ||
                       (d->returns && (ll_identset_has(&changed_returns, d->name) ||
                                       (d->method && ll_identset_has(&changed_returns, d->method))));
            }
            if (redo)
                todo[next++] = (uint32_t)f;
        }
        ntodo = next;
    }
    ll_identset_release(&changed_returns);
    ll_identset_release(&changed_sinks);
    ll_nameset_release(&sinks);
    ll_nameset_release(&returns);
    ll_nameset_release(&sources);
    ll_strlist_free(&source_literals);
    ll_nameset_release(&param_sources);
    ll_strlist_free(&param_literals);
    ll_identset_release(&fix_names);
    ll_identset_release(&method_names);
    ll_identset_release(&filler_names);
    ll_identset_release(&keyword_names);
    ll_nameset_release(&alias_names);
    ll_strmap_release(&roots);
    free(sh.source_checked);
    for (size_t i = 0; i < n; i++)
        if (sh.kind[i] != KIND_IGNORED && reported(opts, i)) {
            out->files_scanned++;
            out->files_parsed += !ll_py_unparsed(sh.py.skipped[i]);
            if (sh.py.skipped[i] == LL_PY_PARTIAL) {
                out->files_partial++;
                out->bytes_left_out += sh.py.blooms[i].plan[1];
            }
        }
    free(sh.py.skipped);
    free(sh.py.blooms);
    free(sh.py.lengths);
    free(sh.kind);
    free(sh.forced);
    free(queued);
    free(todo);
    for (unsigned i = 0; i < jobs; i++)
        worker_release(&workers[i]);
    free(workers);
    pthread_mutex_destroy(&sh.queue_lock);
    pthread_mutex_destroy(&sh.budget_lock);
    pthread_cond_destroy(&sh.budget_freed);
    ll_identset_release(&bloom_domain);

    /* the facts pass's diagnostics, in the results before the others (it
     * read the file first; it has no findings) */
    for (size_t i = 0; i < n; i++) {
        LLFileResult *fr = sh.facts[i];
        if (!fr)
            continue;
        if (fr->diags.len) {
            if (!sh.results[i])
                sh.results[i] = ll_xcalloc(1, sizeof *sh.results[i]);
            LLFileResult *r = sh.results[i];
            for (size_t j = 0; j < r->diags.len; j++)
                LL_VEC_PUSH(&fr->diags, r->diags.items[j]);
            LL_VEC_FREE(&r->diags);
            r->diags = fr->diags;
            memset(&fr->diags, 0, sizeof fr->diags);
        }
        ll_file_result_release(fr);
        free(fr);
    }
    free(sh.facts);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += sh.results[i] ? sh.results[i]->findings.len : 0;
    SortItem *items = ll_xcalloc(total ? total : 1, sizeof *items);
    LLFinding *flat = ll_xcalloc(total ? total : 1, sizeof *flat);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        LLFileResult *r = sh.results[i];
        if (!r)
            continue;
        for (size_t j = 0; j < r->findings.len; j++) {
            if (reported(opts, r->findings.items[j].file))
                flat[k++] = r->findings.items[j];
            else
                ll_finding_release(&r->findings.items[j]);
        }
        for (size_t j = 0; j < r->diags.len; j++) {
            if (r->diags.items[j].file == UINT32_MAX || reported(opts, r->diags.items[j].file))
                LL_VEC_PUSH(&out->diags, r->diags.items[j]);
            else
                free(r->diags.items[j].message);
        }
        r->findings.len = 0;
        r->diags.len = 0;
        ll_file_result_release(r); /* summaries and deps */
        free(r);
    }
    total = k; /* the reported ones */
    for (size_t i = 0; i < total; i++) {
        items[i].f = &flat[i];
        items[i].path = files->files.items[flat[i].file].display;
        items[i].code = rules->rules[flat[i].rule].code;
    }
    qsort(items, total, sizeof *items, cmp_item);
    /* One finding per (file, rule, span): a load reached from several
     * callers keeps its most severe report (with a path if it has one),
     * and the fix of the loader's own report (a report through a caller
     * has no call at hand to fix). */
    LL_VEC_RESERVE(&out->findings, total);
    for (size_t i = 0; i < total;) {
        size_t j = i + 1, best = i;
        while (j < total && same_place(items[i].f, items[j].f)) {
            const LLFinding *a = items[best].f, *b = items[j].f;
            if (b->severity > a->severity || (b->severity == a->severity && b->nsteps > a->nsteps))
                best = j;
            j++;
        }
        LLFinding *kept = (LLFinding *)items[best].f;
        for (size_t g = i; g < j && !kept->fix; g++) {
            LLFinding *o = (LLFinding *)items[g].f;
            kept->fix = o->fix;
            o->fix = NULL;
        }
        for (size_t g = i; g < j; g++) {
            if (g == best)
                out->findings.items[out->findings.len++] = *items[g].f;
            else
                ll_finding_release((LLFinding *)items[g].f);
        }
        i = j;
    }
    free(items);
    free(flat);
    /* loader findings on a literal path, joined with the model files it names (join.h) */
    ll_join_artifacts(rules, files, sh.artifact, out->findings.items, out->findings.len);
    /* findings of rules with versions judged; the dependency lines they reach */
    ll_versions_finish(versions, scope, out);
    ll_versions_free(versions);
    drop_unreported(opts, out); /* dependency lines of files not reported */
    ll_rule_scope_free(own_scope);
    grade_context(out->findings.items, out->findings.len, files);
    one_per_call(out->findings.items, out->findings.len);
    ll_findings_fingerprint(out->findings.items, out->findings.len, rules);
    free(sh.results);
    free(sh.sizes);
    free(sh.told);
    if (opts->cache) /* last: what it writes is not held with the results */
        ll_rcache_end(opts->cache, cache_diag, out);
    ll_aliases_release(&aliases);
    ll_identset_release(&alias_prefixes);
    ll_project_release(&project);
}

void ll_run_result_release(LLRunResult *r)
{
    for (size_t i = 0; i < r->findings.len; i++)
        ll_finding_release(&r->findings.items[i]);
    for (size_t i = 0; i < r->diags.len; i++)
        free(r->diags.items[i].message);
    LL_VEC_FREE(&r->findings);
    LL_VEC_FREE(&r->diags);
}
