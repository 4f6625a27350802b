/* judge.c - versions judged for the engine (judge.h). */
#include "deps/judge.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/path.h"
#include "base/vec.h"
#include "deps/deps.h"
#include "deps/internal.h"
#include "deps/packages.h"
#include "deps/project.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct Resolver {
    char *key; /* config \0 name \0 version \0 ... */
    size_t keylen;
    LLDepsResolver *r;
} Resolver;

struct LLDepsJudge {
    pthread_mutex_t mu;
    bool pk_done;
    LLPackages *pk;          /* NULL when the built-in file could not be read */
    LLDepsResolver *plain;   /* no assumptions */
    LL_VEC(Resolver) resolvers;
    LLDepList diags;         /* the judge's own: assume lists, limits */
    bool limit_said;
};

LLDepsJudge *ll_deps_judge_new(void)
{
    LLDepsJudge *j = ll_xcalloc(1, sizeof *j);
    pthread_mutex_init(&j->mu, NULL);
    ll_deplist_init(&j->diags);
    return j;
}

void ll_deps_judge_free(LLDepsJudge *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->resolvers.len; i++) {
        free(j->resolvers.items[i].key);
        ll_deps_resolver_free(j->resolvers.items[i].r);
    }
    LL_VEC_FREE(&j->resolvers);
    ll_deps_resolver_free(j->plain);
    ll_packages_free(j->pk);
    ll_deplist_free(&j->diags);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

/* The packages file, once (under j->mu). */
static const LLPackages *packages(LLDepsJudge *j)
{
    if (!j->pk_done) {
        j->pk_done = true;
        j->pk = ll_packages_new();
        LLError err;
        memset(&err, 0, sizeof err);
        if (ll_packages_add_builtin(j->pk, &err) != LL_OK) {
            ll_deps__diag(&j->diags, err.file[0] ? err.file : "rules/data/packages.json", err.line,
                          err.col, LL_SEV_ERROR, LL_ERR_CONFIG,
                          "%s (package aliases are not applied)", err.msg);
            ll_packages_free(j->pk);
            j->pk = NULL;
        }
    }
    return j->pk;
}

/* The resolver without assumptions (under j->mu). */
static LLDepsResolver *plain(LLDepsJudge *j)
{
    if (!j->plain) {
        LLDepsOptions opt = {.packages = packages(j)};
        LLError err;
        /* nothing to refuse without assumptions or an environment */
        (void)ll_deps_resolver_new(&j->plain, &opt, &err);
    }
    return j->plain;
}

static LLDepsResolver *resolver_for(LLDepsJudge *j, const LLDepsAssumed *assume, size_t n,
                                    const char *config)
{
    if (!n)
        return plain(j);
    LLBuf key;
    ll_buf_init(&key);
    ll_buf_append(&key, config ? config : "", strlen(config ? config : "") + 1);
    for (size_t i = 0; i < n; i++) {
        ll_buf_append(&key, assume[i].name, strlen(assume[i].name) + 1);
        ll_buf_append(&key, assume[i].version, strlen(assume[i].version) + 1);
    }
    for (size_t i = 0; i < j->resolvers.len; i++) {
        const Resolver *rs = &j->resolvers.items[i];
        if (rs->keylen == key.len && memcmp(rs->key, key.data, key.len) == 0) {
            ll_buf_release(&key);
            return rs->r;
        }
    }
    if (j->resolvers.len >= LL_DEPS_JUDGE_MAX_RESOLVERS) {
        if (!j->limit_said)
            ll_deps__diag(&j->diags, config ? config : "assume-versions", 0, 0, LL_SEV_WARNING,
                          LL_ERR_LIMIT,
                          "more than LL_DEPS_JUDGE_MAX_RESOLVERS (%u) different assume-versions lists: "
                          "the files of this configuration and of the next ones are judged without them",
                          LL_DEPS_JUDGE_MAX_RESOLVERS);
        j->limit_said = true;
        ll_buf_release(&key);
        return plain(j);
    }
    LLDepsAssume *as = ll_xcalloc(n, sizeof *as);
    for (size_t i = 0; i < n; i++)
        as[i] = (LLDepsAssume){assume[i].name, assume[i].version,
                               config ? config : "assume-versions", 0, 0};
    LLDepsOptions opt = {.packages = packages(j), .assume = as, .nassume = n};
    LLError err;
    memset(&err, 0, sizeof err);
    LLDepsResolver *r = NULL;
    if (ll_deps_resolver_new(&r, &opt, &err) != LL_OK) {
        ll_deps__diag(&j->diags, config ? config : "assume-versions", err.line, err.col, LL_SEV_ERROR,
                      LL_ERR_CONFIG, "%s (the files under this configuration are judged without assume-versions)",
                      err.msg);
        opt.assume = NULL;
        opt.nassume = 0;
        (void)ll_deps_resolver_new(&r, &opt, &err);
    }
    free(as);
    Resolver rs = {ll_xmalloc(key.len), key.len, r};
    memcpy(rs.key, key.data, key.len);
    LL_VEC_PUSH(&j->resolvers, rs);
    ll_buf_release(&key);
    return r;
}

const LLDepsPlace *ll_deps_judge_place(LLDepsJudge *j, const LLDepsAssumed *assume, size_t n,
                                       const char *config, const char *absdir)
{
    pthread_mutex_lock(&j->mu);
    LLDepsResolver *r = resolver_for(j, assume, n, config);
    pthread_mutex_unlock(&j->mu);
    /* the resolver's own mutex guards its views; resolvers live as long as
     * the judge */
    return (const LLDepsPlace *)ll_deps_for_dir(r, absdir);
}

static LLDepsKind kind_of(LLDepSource s)
{
    switch (s) {
    case LL_DEPSRC_DECLARED:
        return LL_DEPSKIND_DECLARED;
    case LL_DEPSRC_LOCKED:
        return LL_DEPSKIND_LOCKED;
    case LL_DEPSRC_INSTALLED:
        return LL_DEPSKIND_INSTALLED;
    case LL_DEPSRC_ASSUMED:
        return LL_DEPSKIND_ASSUMED;
    case LL_DEPSRC_IMPLIED:
        return LL_DEPSKIND_IMPLIED;
    }
    return LL_DEPSKIND_DECLARED;
}

const char *ll_deps_kind_name(LLDepsKind k)
{
    switch (k) {
    case LL_DEPSKIND_DECLARED:
        return "declared";
    case LL_DEPSKIND_LOCKED:
        return "locked";
    case LL_DEPSKIND_INSTALLED:
        return "installed";
    case LL_DEPSKIND_ASSUMED:
        return "assumed";
    case LL_DEPSKIND_IMPLIED:
        return "implied";
    }
    return "declared";
}

LLVerdict ll_deps_judge_range(const LLDepsPlace *p, const char *package, const LLVerSet *affected,
                              LLDepsJudgement *out)
{
    memset(out, 0, sizeof *out);
    out->affected_ = affected;
    LLDepsAnswer a;
    if (!ll_deps_query((const LLDepsView *)p, package, &a))
        return out->verdict = LL_VERDICT_UNKNOWN;
    out->package = a.package;
    out->kind = kind_of(a.source);
    out->conflict = a.conflict;
    out->implied_by = a.implied_by;
    out->origins_ = (const void *const *)a.origins;
    out->nstatements = a.norigins;
    if (!a.known || !a.versions || ll_verset_is_empty(a.versions))
        return out->verdict = LL_VERDICT_UNKNOWN;
    out->allowed = a.versions;
    if (!ll_verset_intersects(a.versions, affected))
        out->verdict = LL_VERDICT_NONE;
    else if (ll_verset_subset(a.versions, affected))
        out->verdict = LL_VERDICT_ALL;
    else
        out->verdict = LL_VERDICT_SOME;
    return out->verdict;
}

bool ll_deps_judgement_statement(const LLDepsJudgement *jd, size_t i, LLDepsStatement *out)
{
    memset(out, 0, sizeof *out);
    if (i >= jd->nstatements)
        return false;
    const LLDep *d = (const LLDep *)jd->origins_[i];
    out->file = d->file;
    out->line = d->line;
    out->col = d->col;
    out->name = d->name;
    out->text = d->text ? d->text : "";
    out->versions = d->known ? &d->versions : NULL;
    out->kind = kind_of(d->source);
    out->in_file = d->format != LL_DEPFMT_METADATA && d->format != LL_DEPFMT_CONFIG;
    out->meets = d->known && jd->affected_ && ll_verset_intersects(&d->versions, jd->affected_);
    return true;
}

size_t ll_deps_place_files(const LLDepsPlace *p, const char *const **files)
{
    return ll_deps_view_files((const LLDepsView *)p, files);
}

bool ll_deps_judge_is_dependency_name(const char *basename)
{
    LLDepFormat f;
    return ll_deps_format_of(basename, &f);
}

bool ll_deps_judge_read(LLDepsJudge *j, const char *abspath)
{
    if (!ll_deps_judge_is_dependency_name(ll_path_basename(abspath)))
        return false;
    pthread_mutex_lock(&j->mu);
    LLDepsResolver *r = plain(j);
    pthread_mutex_unlock(&j->mu);
    (void)ll_deps_file(r, abspath);
    return true;
}

void ll_deps_judge_take_diagnostics(LLDepsJudge *j, LLDepsDiagFn fn, void *ctx)
{
    LLDepList all;
    ll_deplist_init(&all);
    pthread_mutex_lock(&j->mu);
    for (size_t i = 0; i < j->diags.diags.len; i++)
        LL_VEC_PUSH(&all.diags, j->diags.diags.items[i]);
    j->diags.diags.len = 0;
    LL_VEC(LLDepsResolver *) rs = {0};
    if (j->plain)
        LL_VEC_PUSH(&rs, j->plain);
    for (size_t i = 0; i < j->resolvers.len; i++)
        LL_VEC_PUSH(&rs, j->resolvers.items[i].r);
    pthread_mutex_unlock(&j->mu);
    for (size_t i = 0; i < rs.len; i++)
        ll_deps_take_diagnostics(rs.items[i], &all);
    LL_VEC_FREE(&rs);
    if (all.diags.len > 1)
        qsort(all.diags.items, all.diags.len, sizeof *all.diags.items, ll_depdiag_cmp);
    for (size_t i = 0; i < all.diags.len; i++) {
        const LLDepDiag *d = &all.diags.items[i];
        if (i && ll_depdiag_cmp(d, &all.diags.items[i - 1]) == 0)
            continue;
        fn(ctx, d->file ? d->file : "", d->line, d->col, d->severity, d->msg ? d->msg : "");
    }
    ll_deplist_free(&all);
}
