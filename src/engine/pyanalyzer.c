/* pyanalyzer.c - the Python analyzer (analyzer.h): one file through the
 * front end (frontend.h), the pre-filter (prefilter.h), name resolution
 * (resolve.h), matching and data flow (match.h) and suppressions
 * (suppress.h). The passes around it are run.c's (pyanalyzer.h). */
#include "engine/pyanalyzer.h"

#include "base/arena.h"
#include "base/limits.h"
#include "base/mem.h"
#include "engine/frontend.h"
#include "engine/match.h"
#include "engine/prefilter.h"
#include "engine/resolve.h"
#include "engine/sources.h"
#include "engine/split.h"
#include "engine/suppress.h"
#include "rcache/rcache.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/stat.h>

typedef struct PyWorker {
    const LLAnalyzerEnv *env;
    TSParser *parser;
    LLArena arena;
    LLSemantic sem;
    LLMatcher matcher;
    LLFrontEnd fe;
    LLIdentSet ids; /* identifiers of the current file */
    LLSplit split;  /* what of the current file is parsed (split.h) */
    uint8_t *mask;  /* per rule: applies to the current file */
} PyWorker;

/* The suppression callbacks' context: the file and the rule scope. */
typedef struct RuleCtx {
    const LLAnalyzerEnv *env;
    const LLFileEntry *fe;
} RuleCtx;

static bool rule_enabled_for_file(void *ctx, const LLRule *rule)
{
    const RuleCtx *c = ctx;
    return ll_rule_scope_applies(c->env->scope, (uint32_t)(rule - c->env->rules->rules), c->fe);
}

static bool rule_known_for_file(void *ctx, const LLRule *rule)
{
    const RuleCtx *c = ctx;
    return ll_rule_scope_known(c->env->scope, (uint32_t)(rule - c->env->rules->rules), c->fe);
}

/* Suppression options for one file: its settings decide whether Bandit's
 * and Ruff's comments count, and which rules are on for it. */
static void suppress_options(RuleCtx *ctx, LLSuppressOptions *o)
{
    ll_suppress_options_default(o);
    o->honor_foreign = ctx->fe->settings ? ctx->fe->settings->honor_noqa : true;
    o->report_unused = ((const LLPyShared *)ctx->env->shared)->opts->report_unused_suppressions;
    o->rule_enabled = rule_enabled_for_file;
    o->rule_known = rule_known_for_file;
    o->rule_enabled_ctx = ctx;
}

/* Names, matching, data flow and suppressions on one tree of the file. */
static void analyze_tree(PyWorker *w, uint32_t idx, const LLSource *src, TSNode root,
                         bool may_source, const LLSuppressOptions *sopts, LLFileResult *out)
{
    const LLAnalyzerEnv *env = w->env;
    const LLPyShared *sh = env->shared;
    const LLModuleInfo *mod = &sh->project->modules[idx];
    ll_resolve_build(&w->sem, sh->syn, src, root, &env->rules->known_names, mod->name,
                     mod->is_package, &w->arena);
    ll_match_file(&w->matcher, &w->sem, idx, out, may_source);
    if (!ts_node_is_null(*w->sem.depth_hit)) {
        uint32_t line, col;
        ll_source_position(src, ts_node_start_byte(*w->sem.depth_hit), &line, &col);
        ll_file_result_diag(out, idx, LL_DIAG_WARNING, line, col,
                            "name resolution stopped here after %u nested steps (a deeply "
                            "nested expression); a loader reached through it may be missed",
                            (unsigned)LL_MAX_ALIAS_DEPTH);
    }
    if (ll_suppress_needed(src->text, src->len, out->findings.len, sopts))
        ll_suppress_apply(sh->syn, src, root, env->rules, idx, sopts, out);
}

/* Adds to `out` what the analysis of the repaired tree found that the first
 * analysis did not (findings at other places, summaries of other
 * functions, calls); its diagnostics repeat the first's and are dropped.
 * What is moved leaves `more`. */
static void merge_results(LLFileResult *out, LLFileResult *more)
{
    size_t first = out->findings.len;
    for (size_t i = 0; i < more->findings.len; i++) {
        LLFinding *f = &more->findings.items[i];
        bool known = false;
        for (size_t k = 0; k < first && !known; k++) {
            const LLFinding *o = &out->findings.items[k];
            known = o->rule == f->rule && o->span.line == f->span.line && o->span.col == f->span.col;
        }
        if (known)
            continue;
        LL_VEC_PUSH(&out->findings, *f);
        memset(f, 0, sizeof *f);
    }
    for (size_t i = 0; i < more->summaries.len; i++) {
        LLFuncSummary *fs = more->summaries.items[i];
        bool known = false;
        for (size_t k = 0; k < out->summaries.len && !known; k++)
            known = strcmp(out->summaries.items[k]->name, fs->name) == 0;
        if (known)
            continue;
        LL_VEC_PUSH(&out->summaries, fs);
        more->summaries.items[i] = NULL;
    }
    for (size_t i = 0; i < more->deps.len; i++)
        LL_VEC_PUSH(&out->deps, more->deps.items[i]);
}

/* A file's bytes, its text as Python reads it (frontend.h) and its
 * identifiers, each made once per analysis when first needed: by the cache
 * lookup (rcache.h), else by the analysis. */
typedef struct Prepared {
    PyWorker *w;
    const LLFileEntry *fe;
    uint32_t idx;
    int read;          /* 0: not yet, 1: read, -1: failed (read_err) */
    LLError read_err;
    const char *bytes;
    size_t len;
    bool done;         /* decoded */
    LLDecodeResult dr;
    LLError err;
    LLSource src;
} Prepared;

/* Reads the file (standard input: the run's text); false when it cannot
 * be read or is too large to analyse. */
static bool prep_read(Prepared *p)
{
    if (p->read)
        return p->read > 0;
    const LLPyShared *sh = p->w->env->shared;
    if (strcmp(p->fe->path, "-") == 0) {
        p->bytes = sh->opts->stdin_text ? sh->opts->stdin_text : "";
        p->len = sh->opts->stdin_len;
        p->read = 1;
    } else if (ll_frontend_read(&p->w->fe, p->fe->path, sh->opts->max_file_bytes, &p->read_err) == LL_OK) {
        p->bytes = p->w->fe.raw.data;
        p->len = p->w->fe.raw.len;
        p->read = 1;
    } else {
        p->read = -1;
    }
    return p->read > 0 && p->len <= UINT32_MAX - 1;
}

static void prepare(Prepared *p)
{
    if (p->done)
        return;
    p->done = true;
    const LLPyShared *sh = p->w->env->shared;
    /* decoded before anything looks at it, the pre-filter included */
    p->dr = ll_frontend_decode(&p->w->fe, p->fe->path, p->fe->display, p->bytes, p->len,
                               &p->w->arena, &p->src, &p->err);
    /* its identifiers outside comments, for every name test (its units,
     * for a plan, are read when it is parsed: split.h) */
    if (p->dr == LL_DECODE_OK)
        ll_prefilter_identifiers(&p->w->ids, p->src.text, p->src.len, sh->project->modules[p->idx].name);
}

/* rcache.h's LLRcacheBytesFn and LLRcacheIdsFn */
static bool prepared_bytes(void *ctx, const char **bytes, size_t *len)
{
    Prepared *p = ctx;
    if (!prep_read(p))
        return false;
    *bytes = p->bytes;
    *len = p->len;
    return true;
}

static const LLIdentSet *prepared_ids(void *ctx)
{
    Prepared *p = ctx;
    if (!prep_read(p))
        return NULL;
    prepare(p);
    return p->dr == LL_DECODE_OK ? &p->w->ids : NULL;
}

/* Everything after reading: module facts, the pre-filter, parsing and the
 * analysis of the tree(s). */
static void analyze_text(PyWorker *w, Prepared *prep, LLFileResult *out)
{
    const LLAnalyzerEnv *env = w->env;
    const LLPyShared *sh = env->shared;
    const LLFileEntry *fe = prep->fe;
    uint32_t idx = prep->idx;
    prepare(prep);
    if (prep->dr != LL_DECODE_OK) {
        ll_file_result_diag(out, idx, prep->dr == LL_DECODE_REFUSED ? LL_DIAG_WARNING : LL_DIAG_ERROR,
                            prep->err.line, prep->err.col, "%s", prep->err.msg);
        return;
    }
    LLSource src = prep->src;
    /* what the module gives others, read from its text (parsed or not),
     * in the facts pass */
    const LLModuleInfo *mod = &sh->project->modules[idx];
    if (sh->facts_only && sh->export_filter) {
        size_t cut = ll_exports_scan(src.text, src.len, mod->name, mod->is_package,
                                     sh->export_filter, &out->exports);
        if (cut)
            ll_file_result_diag(out, idx, LL_DIAG_WARNING, 0, 0,
                                "%zu import statement%s longer than " LL_STR(LL_EXPORT_MAX_TOKENS)
                                " tokens: the names after that are not followed into other modules",
                                cut, cut == 1 ? "" : "s");
    }
    LLSuppressOptions sopts;
    RuleCtx rctx = {env, fe};
    suppress_options(&rctx, &sopts);
    /* a file holding loadlint suppression comments is parsed even when it
     * cannot produce a finding: a comment naming no rule is reported (and
     * with --report-unused-suppressions, one that suppresses nothing) */
    bool needs_suppress_check = ll_suppress_needed(src.text, src.len, 0, &sopts);
    /* remember its identifiers, to test new names (sinks, aliases) later
     * without a read */
    ll_nameset_bloom(&w->ids, sh->bloom_domain, sh->blooms[idx].words);
    if (!sh->opts->no_prefilter && env->rules->prefilter_exact && !sh->forced[idx] &&
        !needs_suppress_check &&
        !ll_prefilter_file(env->rules, &w->ids) && !ll_nameset_match_set(sh->sinks, &w->ids) &&
        !(sh->alias_names && ll_nameset_match_set(sh->alias_names, &w->ids))) {
        sh->skipped[idx] = LL_PY_SKIPPED;
        return;
    }
    if (sh->facts_only) { /* parsed in the next pass, with the aliases known */
        sh->skipped[idx] = LL_PY_WANTED;
        return;
    }
    /* only the top-level definitions that can matter, when that leaves
     * out enough (split.h); a file named on the command line, or one with
     * a suppression comment that may apply beyond its line (they are found
     * in the tree, wherever they sit), is parsed whole */
    TSTree *tree = NULL;
    if (!sh->opts->no_prefilter && env->rules->prefilter_exact && !sh->forced[idx] &&
        !ll_suppress_file_wide(src.text, src.len, &sopts)) {
        LLSplitNames names;
        ll_py_split_names(sh, env->rules, &names);
        if (src.len >= 2 * w->split.min_skip_bytes)
            ll_split_scan(&w->split, src.text, src.len, NULL, NULL);
        else
            w->split.scanned = false; /* too short to leave anything out */
        if (ll_split_plan(&w->split, src.text, src.len, &w->ids, &names)) {
            tree = ll_frontend_parse_ranges(&w->fe, &src, w->parser, sh->syn,
                                            sh->opts->parse_timeout_us, w->split.ranges.items,
                                            (uint32_t)w->split.ranges.len);
            /* a syntax error: the whole file's tree decides what it hides */
            if (tree && ts_node_has_error(ts_tree_root_node(tree))) {
                ts_tree_delete(tree);
                tree = NULL;
            }
            if (tree) {
                sh->skipped[idx] = LL_PY_PARTIAL;
                sh->blooms[idx].plan[0] = ll_split_digest(&w->split);
                sh->blooms[idx].plan[1] = w->split.skipped_bytes;
            }
        }
    }
    if (!tree)
        tree = ll_frontend_parse(&w->fe, &src, w->parser, sh->syn, sh->opts->parse_timeout_us);
    if (!tree) {
        ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0,
                            "parsing took longer than the limit of %llu ms (--parse-timeout); not scanned",
                            (unsigned long long)(sh->opts->parse_timeout_us / 1000));
        return;
    }
    TSNode root = ts_tree_root_node(tree);
    TSTree *repaired = NULL;
    if (ts_node_has_error(root)) {
        uint32_t line, col, first = 0;
        ll_source_position(&src, ll_frontend_error_offset(root), &line, &col);
        /* the statements the grammar cannot read are set aside in a second
         * tree, so that they hide no finding in any other (frontend.h);
         * both trees are analysed */
        repaired = ts_tree_copy(tree);
        unsigned aside = ll_frontend_repair(&w->fe, &src, w->parser, sh->syn,
                                            sh->opts->parse_timeout_us, &repaired, &first);
        if (aside)
            ll_file_result_diag(out, idx, LL_DIAG_WARNING, line, col,
                                "syntax error (or Python the grammar does not read); the rest "
                                "of the file is analysed with %u statement%s from line %u set aside%s",
                                aside, aside == 1 ? "" : "s", first,
                                ts_node_has_error(ts_tree_root_node(repaired)) ? " (some errors remain)" : "");
        else
            ll_file_result_diag(out, idx, LL_DIAG_WARNING, line, col,
                                "syntax error; findings in the rest of the file are still reported");
        if (!aside) {
            ts_tree_delete(repaired);
            repaired = NULL;
        }
    }
    const LLSourceModel *model = ll_rule_scope_model(env->scope, fe);
    ll_rule_scope_mask(env->scope, fe, w->mask);
    ll_match_set_file_rules(&w->matcher, w->mask, model);
    ll_resolve_set_model(&w->sem, model);
    ll_resolve_set_aliases(&w->sem, sh->aliases, sh->alias_prefixes);
    bool may_source = ll_nameset_match_set(sh->sources, &w->ids) ||
                      ll_sources_literal_in(sh->source_literals, src.text, src.len) ||
                      ll_nameset_match_set(sh->returns, &w->ids);
    analyze_tree(w, idx, &src, root, may_source, &sopts, out);
    if (repaired) {
        LLFileResult more;
        memset(&more, 0, sizeof more);
        analyze_tree(w, idx, &src, ts_tree_root_node(repaired), may_source, &sopts, &more);
        merge_results(out, &more);
        ll_file_result_release(&more);
        ts_tree_delete(repaired);
    }
    ts_tree_delete(tree);
}

/* After a large file, the worker's buffers (its bytes, identifiers, arena)
 * and the allocator's freed pages (its tree's) go back to the system: the
 * allocator keeps each thread's freed memory, and each worker its buffers,
 * so with several workers each would keep the peak of the largest file it
 * read. */
static void shed(PyWorker *w, size_t len)
{
    if (len < LL_SHED_AFTER_BYTES)
        return;
    ll_frontend_release(&w->fe);
    ll_frontend_init(&w->fe);
    ll_identset_release(&w->ids);
    ll_identset_init(&w->ids);
    ll_split_release(&w->split);
    ll_split_init(&w->split);
    ll_arena_release(&w->arena);
    ll_arena_init(&w->arena);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}


_Static_assert(sizeof ((LLBloom *)0)->plan == LL_RCACHE_PLAN_WORDS * sizeof(uint64_t),
               "a file's plan slot is what the cache stores");

void ll_py_split_names(const LLPyShared *sh, const LLRuleset *rules, LLSplitNames *out)
{
    memset(out, 0, sizeof *out);
    const LLNameSet *sets[] = {&rules->prefilter, sh->sinks, sh->returns, sh->sources,
                               sh->alias_names};
    _Static_assert(sizeof sets / sizeof *sets <= LL_SPLIT_MAX_SETS, "LL_SPLIT_MAX_SETS");
    memcpy(out->sets, sets, sizeof sets);
    out->literals = sh->source_literals;
    out->whole_if = sh->param_sources;
    out->whole_if_literals = sh->param_literals;
    out->always = sh->fix_names;
    out->methods[0] = sh->method_names; /* the rules' */
    out->calls[3] = sh->filler_names;   /* the sources' */
    out->keywords = sh->keyword_names;
}

static void py_analyze(void *vw, uint32_t idx, LLFileResult *out)
{
    PyWorker *w = vw;
    const LLAnalyzerEnv *env = w->env;
    const LLPyShared *sh = env->shared;
    const LLFileEntry *fe = &env->files->files.items[idx];
    Prepared prep = {.w = w, .fe = fe, .idx = idx};
    /* the cache first: its stat before any read (rcache.h) */
    struct stat sb;
    const struct stat *st = sh->opts->cache && strcmp(fe->path, "-") != 0 && stat(fe->path, &sb) == 0
                                ? &sb : NULL;
    LLRcacheProbe probe;
    uint8_t skipped;
    if (st)
        sh->lengths[idx] = (uint64_t)st->st_size;
    if (ll_rcache_lookup(sh->opts->cache, idx, st, prepared_bytes, prepared_ids, &prep, &probe, out,
                         &skipped, sh->blooms[idx].words, sh->blooms[idx].plan)) {
        sh->skipped[idx] = skipped;
        ll_arena_reset(&w->arena);
        return;
    }
    if (!prep_read(&prep)) {
        if (prep.read < 0)
            ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0, "%s", prep.read_err.msg);
        else
            ll_file_result_diag(out, idx, LL_DIAG_ERROR, 0, 0, "file too large");
        /* read but too large, or wanted by the facts pass and unreadable
         * now: counted as parsed, as a file that had an error */
        if (prep.read > 0 || sh->skipped[idx] == LL_PY_WANTED)
            sh->skipped[idx] = LL_PY_PARSED;
        ll_rcache_record(sh->opts->cache, &probe, NULL, 0, NULL, out, LL_PY_PARSED, NULL, NULL);
        return;
    }
    sh->skipped[idx] = LL_PY_PARSED;
    memset(sh->blooms[idx].plan, 0, sizeof sh->blooms[idx].plan);
    sh->lengths[idx] = prep.len;
    analyze_text(w, &prep, out);
    ll_rcache_record(sh->opts->cache, &probe, prep.bytes, prep.len,
                     prep.dr == LL_DECODE_OK ? &w->ids : NULL, out, sh->skipped[idx],
                     sh->blooms[idx].words, sh->blooms[idx].plan);
    ll_arena_reset(&w->arena);
    shed(w, prep.len);
}

static void *py_worker_new(const LLAnalyzerEnv *env)
{
    const LLPyShared *sh = env->shared;
    PyWorker *w = ll_xcalloc(1, sizeof *w);
    w->env = env;
    w->parser = ts_parser_new();
    ts_parser_set_language(w->parser, sh->syn->language);
    ll_arena_init(&w->arena);
    ll_resolve_init(&w->sem);
    w->mask = ll_xcalloc(env->rules->nrules + 1, 1);
    ll_match_init(&w->matcher, env->rules, env->max_findings_per_file);
    ll_match_set_project(&w->matcher, sh->project, env->files);
    ll_match_set_sources(&w->matcher, sh->sources, sh->returns);
    ll_match_set_versions(&w->matcher, sh->versions);
    ll_frontend_init(&w->fe);
    ll_identset_init(&w->ids);
    ll_split_init(&w->split);
    return w;
}

static void py_worker_free(void *vw)
{
    PyWorker *w = vw;
    if (!w)
        return;
    ts_parser_delete(w->parser);
    ll_arena_release(&w->arena);
    ll_resolve_release(&w->sem);
    ll_match_release(&w->matcher);
    ll_frontend_release(&w->fe);
    ll_identset_release(&w->ids);
    ll_split_release(&w->split);
    free(w->mask);
    free(w);
}

static const LLAnalyzer python_analyzer = {
    .name = "python",
    .claims = NULL, /* by name: *.py, *.pyi, standard input, unclaimed named files */
    .worker_new = py_worker_new,
    .worker_free = py_worker_free,
    .analyze = py_analyze,
};

const LLAnalyzer *ll_analyzer_python(void)
{
    return &python_analyzer;
}
