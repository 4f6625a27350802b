#include "engine/run.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "engine/match.h"
#include "base/nameset.h"
#include "engine/prefilter.h"
#include "engine/project.h"
#include "engine/sources.h"
#include "engine/resolve.h"
#include "engine/frontend.h"
#include "engine/source.h"
#include "engine/suppress.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
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

typedef struct LLBloom {
    uint64_t words[LL_NAMESET_BLOOM_WORDS];
} LLBloom;

typedef struct Shared {
    const LLRuleset *rules;
    const LLSyntax *syn;
    const LLFileList *files;
    const LLRunOptions *opts;
    /* per file: its result, NULL while it has none (most files are
     * skipped: no memory for them) */
    LLFileResult **results;
    const LLProject *project;
    uint8_t *skipped;      /* per file: not parsed (pre-filter) */
    LLBloom *blooms;       /* per skipped file: its identifiers */
    uint8_t *forced;       /* per file: needed by others, parse it */
    LLNameSet *sinks;      /* functions with a sink: their callers matter */
    LLNameSet *returns;    /* functions returning untrusted data */
    const LLNameSet *sources; /* sources.h: names of the modelled sources */
    const LLStrList *source_literals; /* and substrings (sources.h) */
    const LLRuleScope *scope;         /* which rules and sources apply where */
    uint8_t *source_checked; /* per file: skipped dep target already read */
    const uint32_t *todo; /* the files of this pass */
    size_t ntodo;
    atomic_size_t next;
} Shared;

typedef struct Worker {
    Shared *shared;
    TSParser *parser;
    LLArena arena;
    LLSemantic sem;
    LLMatcher matcher;
    LLFrontEnd fe;
    LLIdentSet ids; /* identifiers of the current file */
    uint8_t *mask;  /* per rule: applies to the current file */
} Worker;

/* Line of the first syntax error, for the diagnostic (iterative). */
static uint32_t first_error_offset(TSNode root)
{
    TSNode n = root;
    for (unsigned guard = 0; guard < 100000; guard++) {
        if (ts_node_symbol(n) == (TSSymbol)-1 || ts_node_is_missing(n))
            return ts_node_start_byte(n);
        uint32_t c = ts_node_child_count(n);
        bool found = false;
        for (uint32_t i = 0; i < c; i++) {
            TSNode ch = ts_node_child(n, i);
            if (ts_node_has_error(ch)) {
                n = ch;
                found = true;
                break;
            }
        }
        if (!found)
            break;
    }
    return ts_node_start_byte(n);
}

/* The suppression callbacks' context: the file and the rule scope. */
typedef struct RuleCtx {
    const Shared *sh;
    const LLFileEntry *fe;
} RuleCtx;

static bool rule_enabled_for_file(void *ctx, const LLRule *rule)
{
    const RuleCtx *c = ctx;
    return ll_rule_scope_applies(c->sh->scope, (uint32_t)(rule - c->sh->rules->rules), c->fe);
}

static bool rule_known_for_file(void *ctx, const LLRule *rule)
{
    const RuleCtx *c = ctx;
    return ll_rule_scope_known(c->sh->scope, (uint32_t)(rule - c->sh->rules->rules), c->fe);
}

/* Suppression options for one file: its settings decide whether Bandit's
 * and Ruff's comments count, and which rules are on for it. */
static void suppress_options(RuleCtx *ctx, LLSuppressOptions *o)
{
    ll_suppress_options_default(o);
    o->honor_foreign = ctx->fe->settings ? ctx->fe->settings->honor_noqa : true;
    o->report_unused = ctx->sh->opts->report_unused_suppressions;
    o->rule_enabled = rule_enabled_for_file;
    o->rule_known = rule_known_for_file;
    o->rule_enabled_ctx = ctx;
}

static void analyze_into(Worker *w, uint32_t idx, LLFileResult *out);

/* Analyses file idx into a new result, kept only if it holds anything. */
static void analyze(Worker *w, uint32_t idx)
{
    Shared *sh = w->shared;
    LLFileResult *out = ll_xcalloc(1, sizeof *out);
    analyze_into(w, idx, out);
    if (!out->findings.len && !out->diags.len && !out->summaries.len && !out->deps.len) {
        ll_file_result_release(out);
        free(out);
        out = NULL;
    }
    sh->results[idx] = out;
}

static void analyze_into(Worker *w, uint32_t idx, LLFileResult *out)
{
    Shared *sh = w->shared;
    const LLFileEntry *fe = &sh->files->files.items[idx];
    LLError err;
    const char *bytes;
    size_t len;
    if (strcmp(fe->path, "-") == 0) {
        bytes = sh->opts->stdin_text ? sh->opts->stdin_text : "";
        len = sh->opts->stdin_len;
    } else {
        LLStatus st = ll_frontend_read(&w->fe, fe->path, sh->opts->max_file_bytes, &err);
        if (st != LL_OK) {
            ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0, "%s", err.msg);
            return;
        }
        bytes = w->fe.raw.data;
        len = w->fe.raw.len;
    }
    sh->skipped[idx] = 0;
    if (len > UINT32_MAX - 1) {
        ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0, "file too large");
        return;
    }
    /* the text as Python reads it (frontend.h): decoded before anything
     * looks at it, the pre-filter included */
    LLSource src;
    if (ll_frontend_decode(&w->fe, fe->path, fe->display, bytes, len, &w->arena, &src, &err) !=
        LL_DECODE_OK) {
        ll_file_result_diag(out, idx, LL_DIAG_ERROR, err.line, err.col, "%s", err.msg);
        ll_arena_reset(&w->arena);
        return;
    }
    /* one pass over the text: its identifiers, for every name test below */
    ll_identset_build(&w->ids, src.text, src.len, sh->project->modules[idx].name);
    LLSuppressOptions sopts;
    RuleCtx rctx = {sh, fe};
    suppress_options(&rctx, &sopts);
    /* with --report-unused-suppressions a file holding suppression comments
     * is parsed even when it cannot produce a finding */
    bool needs_suppress_check =
        sopts.report_unused && ll_suppress_needed(src.text, src.len, 0, &sopts);
    if (!sh->opts->no_prefilter && sh->rules->prefilter_exact && !sh->forced[idx] &&
        !needs_suppress_check &&
        !ll_prefilter_file(sh->rules, &w->ids) && !ll_nameset_match_set(sh->sinks, &w->ids)) {
        sh->skipped[idx] = 1;
        /* remember its identifiers, to test new sink names without a read */
        ll_nameset_bloom(&w->ids, sh->blooms[idx].words);
        ll_arena_reset(&w->arena);
        return;
    }
    TSTree *tree = ll_frontend_parse(&w->fe, &src, w->parser, sh->syn, sh->opts->parse_timeout_us);
    if (!tree) {
        ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0,
                            "parsing took longer than the limit of %llu ms (--parse-timeout); not scanned",
                            (unsigned long long)(sh->opts->parse_timeout_us / 1000));
        ll_arena_reset(&w->arena);
        return;
    }
    TSNode root = ts_tree_root_node(tree);
    if (ts_node_has_error(root)) {
        uint32_t line, col;
        ll_source_position(&src, first_error_offset(root), &line, &col);
        ll_file_result_diag(out, idx, LL_DIAG_WARNING, line, col,
                            "syntax error; findings in the rest of the file are still reported");
    }
    const LLModuleInfo *mod = &sh->project->modules[idx];
    const LLSourceModel *model = ll_rule_scope_model(sh->scope, fe);
    ll_rule_scope_mask(sh->scope, fe, w->mask);
    ll_match_set_file_rules(&w->matcher, w->mask, model);
    ll_resolve_set_model(&w->sem, model);
    ll_resolve_build(&w->sem, sh->syn, &src, root, &sh->rules->known_names, mod->name,
                     mod->is_package, &w->arena);
    bool may_source = ll_nameset_match_set(sh->sources, &w->ids) ||
                      ll_sources_literal_in(sh->source_literals, src.text, src.len) ||
                      ll_nameset_match_set(sh->returns, &w->ids);
    ll_match_file(&w->matcher, &w->sem, idx, out, may_source);
    if (ll_suppress_needed(src.text, src.len, out->findings.len, &sopts))
        ll_suppress_apply(sh->syn, &src, root, sh->rules, idx, &sopts, out);
    ts_tree_delete(tree);
    ll_arena_reset(&w->arena);
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Shared *sh = w->shared;
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->ntodo)
            break;
        analyze(w, sh->todo[i]);
    }
    return NULL;
}

static void worker_init(Worker *w, Shared *sh)
{
    memset(w, 0, sizeof *w);
    w->shared = sh;
    w->parser = ts_parser_new();
    ts_parser_set_language(w->parser, sh->syn->language);
    ll_arena_init(&w->arena);
    ll_resolve_init(&w->sem);
    w->mask = ll_xcalloc(sh->rules->nrules + 1, 1);
    ll_match_init(&w->matcher, sh->rules, sh->opts->max_findings_per_file);
    ll_match_set_project(&w->matcher, sh->project, sh->files);
    ll_match_set_sources(&w->matcher, sh->sources, sh->returns);
    ll_frontend_init(&w->fe);
    ll_identset_init(&w->ids);
}

static void worker_release(Worker *w)
{
    ts_parser_delete(w->parser);
    ll_arena_release(&w->arena);
    ll_resolve_release(&w->sem);
    ll_match_release(&w->matcher);
    ll_frontend_release(&w->fe);
    ll_identset_release(&w->ids);
    free(w->mask);
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
    atomic_store(&sh->next, 0);
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

/* After a pass: marks as needed (and lists in todo) the skipped files that
 * analysed files depend on when they may return untrusted data (they name
 * a source or a function that returns one), and the skipped files that may
 * name a function that has a sink (they may pass untrusted data to it).
 * Returns how many files were listed. */
static size_t add_needed_files(Shared *sh, const LLProject *project, uint32_t *todo)
{
    size_t n = sh->files->files.len, next = 0;
    bool new_returns = false, new_sinks = false;
    for (size_t i = 0; i < project->summaries.len; i++) {
        const LLFuncSummary *fs = project->summaries.items[i];
        if (fs->returns_source)
            new_returns |= ll_nameset_add(sh->returns, fs->name);
        if (fs->sinks.len)
            new_sinks |= ll_nameset_add(sh->sinks, fs->name);
    }
    LLFrontEnd front;
    ll_frontend_init(&front);
    LLArena arena;
    ll_arena_init(&arena);
    /* the skipped files analysed files depend on, each once */
    uint8_t *wanted = ll_xcalloc(n ? n : 1, 1);
    for (size_t f = 0; f < n; f++) {
        const LLFileResult *r = sh->results[f];
        for (size_t k = 0; r && k < r->deps.len; k++) {
            uint32_t g = r->deps.items[k].file;
            if (r->deps.items[k].returns && g < n && sh->skipped[g] && !sh->forced[g])
                wanted[g] = 1;
        }
    }
    for (size_t g = 0; g < n; g++) {
        if (!wanted[g] || (sh->source_checked[g] && !new_returns))
            continue;
        sh->source_checked[g] = 1;
        /* its identifiers' Bloom filter first; read it only on a maybe */
        if (!sh->source_literals->len &&
            !ll_nameset_bloom_match(sh->sources, sh->blooms[g].words) &&
            !ll_nameset_bloom_match(sh->returns, sh->blooms[g].words))
            continue;
        const char *text;
        size_t len;
        ll_arena_reset(&arena);
        if (!read_again(sh, (uint32_t)g, &front, &arena, &text, &len))
            continue;
        if (ll_nameset_match(sh->sources, text, len, project->modules[g].name) ||
            ll_sources_literal_in(sh->source_literals, text, len) ||
            ll_nameset_match(sh->returns, text, len, project->modules[g].name)) {
            sh->forced[g] = 1;
            todo[next++] = (uint32_t)g;
        }
    }
    free(wanted);
    if (new_sinks) {
        for (size_t f = 0; f < n; f++) {
            if (!sh->skipped[f] || sh->forced[f])
                continue;
            if (ll_nameset_bloom_match(sh->sinks, sh->blooms[f].words))
                todo[next++] = (uint32_t)f; /* maybe: the pass checks exactly */
        }
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

/* Largest files first, so that no thread is left with a big file at the
 * end of a pass (results are stored by index: order does not show). */
static void order_by_size(const LLFileList *files, uint32_t *todo, size_t n)
{
    SizedFile *sf = ll_xcalloc(n ? n : 1, sizeof *sf);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        sf[i].index = todo[i];
        sf[i].size = stat(files->files.items[todo[i]].path, &sb) == 0 ? sb.st_size : 0;
    }
    qsort(sf, n, sizeof *sf, cmp_size_desc);
    for (size_t i = 0; i < n; i++)
        todo[i] = sf[i].index;
    free(sf);
}

static bool same_place(const LLFinding *a, const LLFinding *b)
{
    return a->file == b->file && a->rule == b->rule && a->span.line == b->span.line &&
           a->span.col == b->span.col && a->span.end_line == b->span.end_line &&
           a->span.end_col == b->span.end_col;
}

void ll_run(const LLRuleset *rules, const LLSyntax *syn,
            const LLFileList *files, const LLRunOptions *opts,
            LLRunResult *out)
{
    memset(out, 0, sizeof *out);
    size_t n = files->files.len;
    LLProject project;
    {
        const char **paths = ll_xcalloc(n ? n : 1, sizeof *paths);
        const char **displays = ll_xcalloc(n ? n : 1, sizeof *displays);
        for (size_t i = 0; i < n; i++) {
            paths[i] = files->files.items[i].path;
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
    for (size_t i = 0; i < ll_rule_scope_model_count(scope); i++)
        ll_sources_prefilter(ll_rule_scope_model_at(scope, i), &sources, &source_literals);
    Shared sh = {.rules = rules, .syn = syn, .files = files, .opts = opts,
                 .results = ll_xcalloc(n ? n : 1, sizeof(LLFileResult *)),
                 .project = &project,
                 .skipped = ll_xcalloc(n ? n : 1, 1),
                 .blooms = ll_xcalloc(n ? n : 1, sizeof(LLBloom)),
                 .forced = ll_xcalloc(n ? n : 1, 1),
                 .sinks = &sinks,
                 .returns = &returns,
                 .sources = &sources,
                 .source_literals = &source_literals,
                 .scope = scope,
                 .source_checked = ll_xcalloc(n ? n : 1, 1)};
    unsigned jobs = opts->jobs;
    if (!jobs) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (jobs > n)
        jobs = n ? (unsigned)n : 1;
    Worker *workers = ll_xcalloc(jobs, sizeof *workers);
    for (unsigned i = 0; i < jobs; i++)
        worker_init(&workers[i], &sh);

    /* Pass 0 analyses every file. Each later pass re-analyses the files
     * that call functions whose summaries changed in the pass before, until
     * nothing changes (at most LL_MAX_SUMMARY_ROUNDS passes). */
    uint32_t *todo = ll_xcalloc(n ? n : 1, sizeof *todo);
    uint8_t *queued = ll_xcalloc(n ? n : 1, 1);
    size_t ntodo = n;
    for (size_t i = 0; i < n; i++)
        todo[i] = (uint32_t)i;
    order_by_size(files, todo, n);
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
        run_pass(&sh, workers, jobs, todo, ntodo);
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
            if (queued[f] || sh.skipped[f] || !r)
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
    ll_rule_scope_free(own_scope);
    free(sh.source_checked);
    for (size_t i = 0; i < n; i++)
        out->files_parsed += !sh.skipped[i];
    free(sh.skipped);
    free(sh.blooms);
    free(sh.forced);
    free(queued);
    free(todo);
    for (unsigned i = 0; i < jobs; i++)
        worker_release(&workers[i]);
    free(workers);

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
            flat[k] = r->findings.items[j];
            k++;
        }
        for (size_t j = 0; j < r->diags.len; j++)
            LL_VEC_PUSH(&out->diags, r->diags.items[j]);
        r->findings.len = 0;
        r->diags.len = 0;
        ll_file_result_release(r); /* summaries and deps */
        free(r);
    }
    for (size_t i = 0; i < total; i++) {
        items[i].f = &flat[i];
        items[i].path = files->files.items[flat[i].file].display;
        items[i].code = rules->rules[flat[i].rule].code;
    }
    qsort(items, total, sizeof *items, cmp_item);
    /* One finding per (file, rule, span): a load reached from several
     * callers keeps its most severe report (with a path if it has one). */
    LL_VEC_RESERVE(&out->findings, total);
    for (size_t i = 0; i < total;) {
        size_t j = i + 1, best = i;
        while (j < total && same_place(items[i].f, items[j].f)) {
            const LLFinding *a = items[best].f, *b = items[j].f;
            if (b->severity > a->severity || (b->severity == a->severity && b->nsteps > a->nsteps))
                best = j;
            j++;
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
    ll_findings_fingerprint(out->findings.items, out->findings.len, rules);
    free(sh.results);
    ll_project_release(&project);
    out->files_scanned = n;
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
