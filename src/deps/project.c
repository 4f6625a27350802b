/* project.c - per-directory resolution of package versions (project.h).
 *
 * Each directory met gets a node (a view) once: whether it holds .git or a
 * pyproject.toml, its parent's node, its project root, and, when some
 * directory below the root asks, its dependency files, parsed, grouped by
 * canonical package name into a "locked" and a "declared" level. A view's
 * `deps_up` is the nearest node at or above it, up to its root, that
 * states something; a query walks those nodes. Everything a query reads is
 * written before ll_deps_for_dir returns the view, under the mutex, and
 * never again. */
#include "deps/project.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/path.h"
#include "base/strmap.h"
#include "base/vec.h"
#include "deps/constraint.h"
#include "deps/internal.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What one level (locked / declared / installed / assumed) of one place
 * says about one package. */
typedef struct Answer {
    char *name; /* canonical */
    bool known;
    bool conflict;
    LLVerSet set;
    LL_VEC(const LLDep *) origins;
} Answer;

typedef struct Level {
    LLStrMap by_name; /* name -> Answer * (keys: Answer.name) */
    LL_VEC(Answer *) items;
} Level;

typedef struct DepFile {
    char *path;
    LLDepList list;
} DepFile;

struct LLDepsView {
    LLDepsResolver *r;
    char *dir;
    LLDepsView *parent; /* NULL for "/" */
    bool has_git, has_pyproject;
    LLDepsView *git_up, *py_up; /* nearest at or above with .git / pyproject.toml */
    LLDepsView *boundary;       /* the project root */
    bool parsed;
    LL_VEC(DepFile *) files;
    bool has_deps;
    Level locked, declared;
    bool deps_up_done;
    LLDepsView *deps_up;
    bool chain_done;
    LL_VEC(const char *) chain_files; /* files read by this view, nearest first */
};

struct LLDepsResolver {
    pthread_mutex_t mu;
    LLStrMap dirs; /* dir -> view (keys: view->dir) */
    LL_VEC(LLDepsView *) views;
    const LLPackages *pk;
    const LLDepsReader *rd;
    LLDepList assumed_list, installed_list;
    Level assumed, installed;
    LLStrMap files; /* path -> DepFile * (keys: DepFile.path) */
};

/* ------------------------------------------------------------------------
 * Levels
 * ------------------------------------------------------------------------ */

static void level_init(Level *lv)
{
    ll_strmap_init(&lv->by_name);
    memset(&lv->items, 0, sizeof lv->items);
}

static void level_free(Level *lv)
{
    for (size_t i = 0; i < lv->items.len; i++) {
        Answer *a = lv->items.items[i];
        free(a->name);
        ll_verset_free(&a->set);
        LL_VEC_FREE(&a->origins);
        free(a);
    }
    LL_VEC_FREE(&lv->items);
    ll_strmap_release(&lv->by_name);
}

static const Answer *level_get(const Level *lv, const char *name)
{
    intptr_t v;
    if (ll_strmap_get(&lv->by_name, name, strlen(name), &v))
        return (const Answer *)v;
    return NULL;
}

static void canonical(const LLPackages *pk, const char *name, LLBuf *out)
{
    ll_buf_reset(out);
    ll_packages_canonical(pk, name, strlen(name), out);
}

static void level_add(Level *lv, const LLPackages *pk, const LLDep *d, LLBuf *tmp)
{
    canonical(pk, d->name, tmp);
    intptr_t v;
    Answer *a;
    if (ll_strmap_get(&lv->by_name, tmp->data, tmp->len, &v)) {
        a = (Answer *)v;
    } else {
        a = ll_xcalloc(1, sizeof *a);
        a->name = ll_xstrdup(tmp->data);
        ll_strmap_put(&lv->by_name, a->name, strlen(a->name), (intptr_t)a);
        LL_VEC_PUSH(&lv->items, a);
    }
    LL_VEC_PUSH(&a->origins, d);
}

/* Locked / installed: any statement with a version may be what runs. */
static void level_finish_union(Level *lv)
{
    for (size_t i = 0; i < lv->items.len; i++) {
        Answer *a = lv->items.items[i];
        for (size_t k = 0; k < a->origins.len; k++) {
            const LLDep *d = a->origins.items[k];
            if (!d->known)
                continue;
            ll_verset_union(&a->set, &a->set, &d->versions);
            a->known = true;
        }
    }
}

/* Declared / assumed: unmarked statements intersect, marked ones unite;
 * no common version: their union, a conflict. */
static void level_finish_declared(Level *lv)
{
    for (size_t i = 0; i < lv->items.len; i++) {
        Answer *a = lv->items.items[i];
        LLVerSet all = {0}, inter = {0}, marked = {0};
        ll_verset_all(&inter);
        bool has_marked = false;
        for (size_t k = 0; k < a->origins.len; k++) {
            const LLDep *d = a->origins.items[k];
            if (!d->known)
                continue;
            a->known = true;
            ll_verset_union(&all, &all, &d->versions);
            if (d->marker) {
                ll_verset_union(&marked, &marked, &d->versions);
                has_marked = true;
            } else {
                ll_verset_intersect(&inter, &inter, &d->versions);
            }
        }
        if (a->known) {
            if (has_marked)
                ll_verset_intersect(&inter, &inter, &marked);
            if (ll_verset_is_empty(&inter) && !ll_verset_is_empty(&all)) {
                ll_verset_copy(&a->set, &all);
                a->conflict = true;
            } else {
                ll_verset_copy(&a->set, &inter);
            }
        }
        ll_verset_free(&all);
        ll_verset_free(&inter);
        ll_verset_free(&marked);
    }
}

/* ------------------------------------------------------------------------
 * Directories
 * ------------------------------------------------------------------------ */

static bool exists(const char *dir, const char *name, bool regular)
{
    char *p = ll_path_join(dir, name);
    struct stat st;
    bool ok = (regular ? stat(p, &st) : lstat(p, &st)) == 0 && (!regular || S_ISREG(st.st_mode));
    free(p);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the dependency files of v's directory (once). */
static void parse_dir(LLDepsView *v)
{
    if (v->parsed)
        return;
    v->parsed = true;
    LLDepsResolver *r = v->r;
    DIR *d = opendir(v->dir);
    if (!d)
        return; /* gone, or not readable: the scan reports the directory itself */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        LLDepFormat f;
        if (!ll_deps_format_of(e->d_name, &f))
            continue;
        if (n == cap) {
            cap = ll_grow_cap(cap, n + 1);
            names = ll_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = ll_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    LLBuf tmp;
    ll_buf_init(&tmp);
    size_t nread = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = ll_path_join(v->dir, names[i]);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path); /* a directory or a broken link by that name is no dependency file */
            continue;
        }
        DepFile *df = ll_xcalloc(1, sizeof *df);
        df->path = path;
        ll_deplist_init(&df->list);
        if (nread++ == LL_DEPS_MAX_FILES_PER_DIR) {
            /* kept only for its diagnostic: the first file past the limit */
            ll_deps__diag(&df->list, path, 0, 0, LL_SEV_ERROR, LL_ERR_LIMIT,
                          "more than LL_DEPS_MAX_FILES_PER_DIR (%u) dependency files in %s: this one "
                          "and the rest are not read",
                          LL_DEPS_MAX_FILES_PER_DIR, v->dir);
            LL_VEC_PUSH(&v->files, df);
            ll_strmap_put(&r->files, df->path, strlen(df->path), (intptr_t)df);
            break;
        }
        LLDepFormat f;
        (void)ll_deps_format_of(names[i], &f);
        (void)ll_deps_parse_file(&df->list, path, f, r->rd);
        LL_VEC_PUSH(&v->files, df);
        ll_strmap_put(&r->files, df->path, strlen(df->path), (intptr_t)df);
        for (size_t k = 0; k < df->list.deps.len; k++) {
            const LLDep *dep = &df->list.deps.items[k];
            Level *lv = dep->source == LL_DEPSRC_LOCKED ? &v->locked : &v->declared;
            level_add(lv, r->pk, dep, &tmp);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    ll_buf_release(&tmp);
    level_finish_union(&v->locked);
    level_finish_declared(&v->declared);
    v->has_deps = v->locked.items.len || v->declared.items.len;
}

static LLDepsView *view_get(LLDepsResolver *r, const char *dir)
{
    intptr_t p;
    if (ll_strmap_get(&r->dirs, dir, strlen(dir), &p))
        return (LLDepsView *)p;
    return NULL;
}

/* The node of dir and of every directory above it (created top-down). */
static LLDepsView *view_make(LLDepsResolver *r, const char *absdir)
{
    LLDepsView *have = view_get(r, absdir);
    if (have)
        return have;
    LL_VEC(char *) missing = {0};
    char *cur = ll_xstrdup(absdir);
    for (;;) {
        if (view_get(r, cur)) {
            free(cur);
            break;
        }
        LL_VEC_PUSH(&missing, cur);
        if (strcmp(cur, "/") == 0)
            break;
        cur = ll_path_dirname(cur);
    }
    LLDepsView *made = NULL;
    for (size_t i = missing.len; i-- > 0;) {
        char *dir = missing.items[i];
        LLDepsView *v = ll_xcalloc(1, sizeof *v);
        v->r = r;
        v->dir = dir;
        if (strcmp(dir, "/") != 0) {
            char *pd = ll_path_dirname(dir);
            v->parent = view_get(r, pd);
            free(pd);
        }
        v->has_git = exists(dir, ".git", false);
        v->has_pyproject = exists(dir, "pyproject.toml", true);
        v->git_up = v->has_git ? v : v->parent ? v->parent->git_up : NULL;
        v->py_up = v->has_pyproject ? v : v->parent ? v->parent->py_up : NULL;
        if (v->git_up) {
            v->boundary = v->git_up;
        } else if (v->py_up) {
            v->boundary = v->py_up;
        } else {
            LLDepsView *top = v;
            while (top->parent)
                top = top->parent;
            v->boundary = top;
        }
        level_init(&v->locked);
        level_init(&v->declared);
        ll_strmap_put(&r->dirs, v->dir, strlen(v->dir), (intptr_t)v);
        LL_VEC_PUSH(&r->views, v);
        made = v;
    }
    LL_VEC_FREE(&missing);
    return made ? made : view_get(r, absdir);
}

/* deps_up of v and of every node between it and its root. */
static void view_prepare(LLDepsView *v)
{
    if (v->chain_done)
        return;
    LL_VEC(LLDepsView *) chain = {0};
    for (LLDepsView *n = v;; n = n->parent) {
        if (n->deps_up_done)
            break;
        LL_VEC_PUSH(&chain, n);
        if (n == n->boundary || !n->parent)
            break;
    }
    for (size_t i = chain.len; i-- > 0;) {
        LLDepsView *n = chain.items[i];
        parse_dir(n);
        if (n->has_deps)
            n->deps_up = n;
        else if (n == n->boundary || !n->parent)
            n->deps_up = NULL;
        else
            n->deps_up = n->parent->deps_up;
        n->deps_up_done = true;
    }
    LL_VEC_FREE(&chain);
    /* the files this view reads, nearest first */
    for (LLDepsView *n = v->deps_up; n; n = (n == n->boundary || !n->parent) ? NULL : n->parent->deps_up)
        for (size_t i = 0; i < n->files.len; i++)
            LL_VEC_PUSH(&v->chain_files, n->files.items[i]->path);
    v->chain_done = true;
}

const LLDepsView *ll_deps_for_dir(LLDepsResolver *r, const char *absdir)
{
    pthread_mutex_lock(&r->mu);
    LLDepsView *v = view_make(r, absdir);
    view_prepare(v);
    pthread_mutex_unlock(&r->mu);
    return v;
}

const LLDepsView *ll_deps_for_file(LLDepsResolver *r, const char *abspath)
{
    char *dir = ll_path_dirname(abspath);
    const LLDepsView *v = ll_deps_for_dir(r, dir);
    free(dir);
    return v;
}

const char *ll_deps_view_dir(const LLDepsView *v)
{
    return v->dir;
}

const char *ll_deps_view_root(const LLDepsView *v)
{
    return v->boundary->dir;
}

size_t ll_deps_view_files(const LLDepsView *v, const char *const **files)
{
    *files = v->chain_files.items;
    return v->chain_files.len;
}

const LLDepList *ll_deps_file(LLDepsResolver *r, const char *abspath)
{
    const char *base = ll_path_basename(abspath);
    LLDepFormat f;
    if (!ll_deps_format_of(base, &f))
        return NULL;
    char *dir = ll_path_dirname(abspath);
    pthread_mutex_lock(&r->mu);
    LLDepsView *v = view_make(r, dir);
    parse_dir(v);
    intptr_t p;
    const LLDepList *l = NULL;
    if (ll_strmap_get(&r->files, abspath, strlen(abspath), &p))
        l = &((DepFile *)p)->list;
    pthread_mutex_unlock(&r->mu);
    free(dir);
    return l;
}

/* ------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------ */

static void fill(LLDepsAnswer *out, const Answer *a, LLDepSource src)
{
    out->package = a->name;
    out->known = a->known;
    out->versions = a->known ? &a->set : NULL;
    out->source = src;
    out->origins = a->origins.items;
    out->norigins = a->origins.len;
    out->conflict = a->conflict;
    out->implied_by = NULL;
}

/* Steps 1-4 of project.h, and the first statement without a version met. */
static bool query_base(const LLDepsView *v, const char *name, LLDepsAnswer *out, const Answer **unknown,
                       LLDepSource *unknown_src)
{
    const LLDepsResolver *r = v->r;
    const Answer *a;
    if ((a = level_get(&r->assumed, name)) && a->known) {
        fill(out, a, LL_DEPSRC_ASSUMED);
        return true;
    }
    if ((a = level_get(&r->installed, name)) && a->known) {
        fill(out, a, LL_DEPSRC_INSTALLED);
        return true;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (const LLDepsView *n = v->deps_up; n;
             n = (n == n->boundary || !n->parent) ? NULL : n->parent->deps_up) {
            a = level_get(pass == 0 ? &n->locked : &n->declared, name);
            if (!a)
                continue;
            LLDepSource src = pass == 0 ? LL_DEPSRC_LOCKED : LL_DEPSRC_DECLARED;
            if (a->known) {
                fill(out, a, src);
                return true;
            }
            if (unknown && !*unknown) {
                *unknown = a;
                *unknown_src = src;
            }
        }
    }
    return false;
}

bool ll_deps_query(const LLDepsView *v, const char *package, LLDepsAnswer *out)
{
    memset(out, 0, sizeof *out);
    const LLDepsResolver *r = v->r;
    LLBuf name;
    ll_buf_init(&name);
    canonical(r->pk, package, &name);
    const Answer *unknown = NULL;
    LLDepSource unknown_src = LL_DEPSRC_DECLARED;
    bool found = query_base(v, name.data, out, &unknown, &unknown_src);
    if (!found) {
        LLPkgImply im;
        for (size_t i = 0; !found && ll_packages_imply_at(r->pk, i, &im); i++) {
            if (strcmp(im.brings, name.data) != 0)
                continue;
            LLDepsAnswer q;
            memset(&q, 0, sizeof q);
            if (query_base(v, im.package, &q, NULL, NULL) && q.known && !ll_verset_is_empty(q.versions) &&
                ll_verset_subset(q.versions, im.versions)) {
                *out = q;
                out->package = im.brings;
                out->versions = im.brings_versions;
                out->source = LL_DEPSRC_IMPLIED;
                out->conflict = false;
                out->implied_by = im.package;
                found = true;
            }
        }
    }
    if (!found && unknown) {
        fill(out, unknown, unknown_src);
        found = true;
    }
    ll_buf_release(&name);
    return found;
}

bool ll_deps_lookup(LLDepsResolver *r, const char *abspath, const char *package, LLDepsAnswer *out)
{
    return ll_deps_query(ll_deps_for_file(r, abspath), package, out);
}

/* ------------------------------------------------------------------------
 * The resolver
 * ------------------------------------------------------------------------ */

LLStatus ll_deps_resolver_new(LLDepsResolver **out, const LLDepsOptions *opt, LLError *err)
{
    *out = NULL;
    LLDepsResolver *r = ll_xcalloc(1, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    ll_strmap_init(&r->dirs);
    ll_strmap_init(&r->files);
    level_init(&r->assumed);
    level_init(&r->installed);
    ll_deplist_init(&r->assumed_list);
    ll_deplist_init(&r->installed_list);
    r->pk = opt ? opt->packages : NULL;
    r->rd = opt && opt->reader ? opt->reader : ll_deps_fs_reader();
    LLBuf tmp;
    ll_buf_init(&tmp);
    LLStatus fst = LL_ERR_CONFIG;
    for (size_t i = 0; opt && i < opt->nassume; i++) {
        const LLDepsAssume *a = &opt->assume[i];
        const char *file = a->file ? a->file : "assume-versions";
        if (!a->name || !ll_pkg_name_valid(a->name, strlen(a->name))) {
            ll_error_set(err, LL_ERR_CONFIG, file, a->line, a->col,
                         "assume-versions: \"%s\" is not a package name", a->name ? a->name : "");
            goto fail;
        }
        const char *s = a->version ? a->version : "";
        size_t n = strlen(s), k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        LLVerSet set = {0};
        LLVerError verr;
        memset(&verr, 0, sizeof verr);
        LLStatus st;
        if (k < n && (s[k] == 'v' || s[k] == 'V' || (s[k] >= '0' && s[k] <= '9'))) {
            LLVersion v; /* a version: exactly it (and its local versions) */
            st = ll_version_parse(s, n, &v, &verr);
            if (st == LL_OK)
                ll_verset_public(&set, &v);
        } else {
            st = ll_verset_parse(&set, s, n, &verr);
        }
        if (st != LL_OK) {
            ll_error_set(err, LL_ERR_CONFIG, file, a->line, a->col + (unsigned)verr.offset,
                         "assume-versions: %s: \"%s\": %s", a->name, s, verr.msg);
            ll_verset_free(&set);
            goto fail;
        }
        ll_deps__add(&r->assumed_list, a->name, strlen(a->name), &set, true, LL_DEPSRC_ASSUMED,
                     LL_DEPFMT_CONFIG, file, a->line, a->col, s, NULL, NULL);
    }
    for (size_t i = 0; i < r->assumed_list.deps.len; i++)
        level_add(&r->assumed, r->pk, &r->assumed_list.deps.items[i], &tmp);
    level_finish_declared(&r->assumed);
    if (opt && opt->installed) {
        LLStatus st = ll_deps_read_installed(&r->installed_list, opt->installed, r->rd);
        if (st != LL_OK) {
            const LLDepDiag *d = &r->installed_list.diags.items[r->installed_list.diags.len - 1];
            ll_error_set(err, st, d->file, d->line, d->col, "%s", d->msg);
            fst = st;
            goto fail;
        }
        for (size_t i = 0; i < r->installed_list.deps.len; i++)
            level_add(&r->installed, r->pk, &r->installed_list.deps.items[i], &tmp);
        level_finish_union(&r->installed);
    }
    ll_buf_release(&tmp);
    *out = r;
    return LL_OK;
fail:
    ll_buf_release(&tmp);
    ll_deps_resolver_free(r);
    return fst;
}

void ll_deps_resolver_free(LLDepsResolver *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->views.len; i++) {
        LLDepsView *v = r->views.items[i];
        for (size_t k = 0; k < v->files.len; k++) {
            DepFile *df = v->files.items[k];
            ll_deplist_free(&df->list);
            free(df->path);
            free(df);
        }
        LL_VEC_FREE(&v->files);
        level_free(&v->locked);
        level_free(&v->declared);
        LL_VEC_FREE(&v->chain_files);
        free(v->dir);
        free(v);
    }
    LL_VEC_FREE(&r->views);
    ll_strmap_release(&r->dirs);
    ll_strmap_release(&r->files);
    level_free(&r->assumed);
    level_free(&r->installed);
    ll_deplist_free(&r->assumed_list);
    ll_deplist_free(&r->installed_list);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static void take(LLDepList *from, LLDepList *to)
{
    for (size_t i = 0; i < from->diags.len; i++)
        LL_VEC_PUSH(&to->diags, from->diags.items[i]);
    from->diags.len = 0;
}

void ll_deps_take_diagnostics(LLDepsResolver *r, LLDepList *out)
{
    size_t first = out->diags.len;
    pthread_mutex_lock(&r->mu);
    take(&r->installed_list, out);
    for (size_t i = 0; i < r->views.len; i++)
        for (size_t k = 0; k < r->views.items[i]->files.len; k++)
            take(&r->views.items[i]->files.items[k]->list, out);
    pthread_mutex_unlock(&r->mu);
    if (out->diags.len > first)
        qsort(out->diags.items + first, out->diags.len - first, sizeof *out->diags.items, ll_depdiag_cmp);
}
