#include "engine/exports.h"

#include "engine/lexer.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool tok_is(const LLTok *t, const char *word)
{
    return t->kind == LL_T_NAME && t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

/* A dotted name at tok[*i]: appends "a.b.c" to b; false when there is none. */
static bool dotted(const LLLine *l, uint32_t *i, LLBuf *b)
{
    if (*i >= l->n || l->tok[*i].kind != LL_T_NAME)
        return false;
    ll_buf_append(b, l->tok[*i].s, l->tok[*i].len);
    (*i)++;
    while (*i + 1 < l->n && l->tok[*i].kind == LL_T_DOT && l->tok[*i + 1].kind == LL_T_NAME) {
        ll_buf_putc(b, '.');
        ll_buf_append(b, l->tok[*i + 1].s, l->tok[*i + 1].len);
        *i += 2;
    }
    return true;
}

/* ---- the scan ------------------------------------------------------------------ */

typedef struct Scan {
    const char *module;
    bool is_package;
    const LLExportFilter *filter;
    LLExports *out;
    LLStrMap local;            /* name -> index+1 in `targets`: this file's bindings */
    LL_VEC(char *) targets;    /* owned */
    LL_VEC(char *) keys;       /* owned keys of `local` */
} Scan;

/* Whether a target can matter: a rule root, or under a project module. */
static bool relevant(const Scan *sc, const char *t)
{
    size_t n = strcspn(t, ".");
    if (sc->filter->roots && ll_strmap_get(sc->filter->roots, t, n, NULL))
        return true;
    if (!sc->filter->modules)
        return false;
    for (size_t k = strlen(t); k > 0; k--)
        if ((t[k] == '.' || t[k] == '\0') && ll_strmap_get(sc->filter->modules, t, k, NULL))
            return true;
    return false;
}

static void local_bind(Scan *sc, const char *name, size_t n, const char *target)
{
    char *key = ll_xstrndup(name, n);
    LL_VEC_PUSH(&sc->keys, key);
    LL_VEC_PUSH(&sc->targets, ll_xstrdup(target));
    ll_strmap_put(&sc->local, key, n, (intptr_t)sc->targets.len);
}

static void emit(Scan *sc, LLExportKind kind, const char *name, size_t n, const char *target)
{
    if (target && !relevant(sc, target))
        return;
    LLExport e = {.kind = (uint8_t)kind, .name = ll_xstrndup(name, n),
                  .target = target ? ll_xstrdup(target) : NULL};
    LL_VEC_PUSH(sc->out, e);
}

/* "a.b.c" with its first segment replaced by what the file bound it to
 * (import numpy as np: np.load -> numpy.load), into out. */
static void canonical(const Scan *sc, const char *d, LLBuf *out)
{
    size_t n = strcspn(d, ".");
    intptr_t v;
    if (ll_strmap_get(&sc->local, d, n, &v)) {
        ll_buf_puts(out, sc->targets.items[v - 1]);
        ll_buf_puts(out, d + n);
    } else {
        ll_buf_puts(out, d);
    }
}

/* from <dots><name> import: the absolute module, as resolve.c makes it. */
static bool from_module(const Scan *sc, size_t dots, const char *rest, LLBuf *out)
{
    if (!dots) {
        ll_buf_puts(out, rest);
        return *rest != '\0';
    }
    size_t n = strlen(sc->module);
    size_t up = sc->is_package ? dots - 1 : dots;
    for (size_t i = 0; i < up; i++) {
        while (n && sc->module[n - 1] != '.')
            n--;
        if (!n)
            return false;
        n--;
    }
    ll_buf_append(out, sc->module, n);
    if (*rest) {
        ll_buf_putc(out, '.');
        ll_buf_puts(out, rest);
    }
    return true;
}

static void on_import(Scan *sc, const LLLine *l)
{
    uint32_t i = 1;
    LLBuf d, t;
    ll_buf_init(&d);
    ll_buf_init(&t);
    while (i < l->n) {
        ll_buf_reset(&d);
        if (!dotted(l, &i, &d))
            break;
        if (i + 1 < l->n && tok_is(&l->tok[i], "as") && l->tok[i + 1].kind == LL_T_NAME) {
            /* import a.b as c: c is a.b */
            local_bind(sc, l->tok[i + 1].s, l->tok[i + 1].len, d.data);
            emit(sc, LL_EXPORT_NAME, l->tok[i + 1].s, l->tok[i + 1].len, d.data);
            i += 2;
        } else {
            /* import a.b: a is a */
            size_t n = strcspn(d.data, ".");
            ll_buf_reset(&t);
            ll_buf_append(&t, d.data, n);
            local_bind(sc, d.data, n, t.data);
            emit(sc, LL_EXPORT_NAME, d.data, n, t.data);
        }
        if (i < l->n && l->tok[i].kind == LL_T_COMMA)
            i++;
        else
            break;
    }
    ll_buf_release(&d);
    ll_buf_release(&t);
}

static void on_from(Scan *sc, const LLLine *l)
{
    uint32_t i = 1;
    size_t dots = 0;
    while (i < l->n && l->tok[i].kind == LL_T_DOT) {
        dots++;
        i++;
    }
    LLBuf rest, mod, t;
    ll_buf_init(&rest);
    ll_buf_init(&mod);
    ll_buf_init(&t);
    if (i < l->n && !tok_is(&l->tok[i], "import"))
        dotted(l, &i, &rest);
    if (i >= l->n || !tok_is(&l->tok[i], "import") ||
        !from_module(sc, dots, rest.data ? rest.data : "", &mod))
        goto out;
    i++;
    if (i < l->n && l->tok[i].kind == LL_T_LPAREN)
        i++;
    if (i < l->n && l->tok[i].kind == LL_T_STAR) {
        emit(sc, LL_EXPORT_STAR, "*", 1, mod.data);
        goto out;
    }
    while (i < l->n && l->tok[i].kind == LL_T_NAME) {
        const LLTok *name = &l->tok[i++];
        const LLTok *as = name;
        if (i + 1 < l->n && tok_is(&l->tok[i], "as") && l->tok[i + 1].kind == LL_T_NAME) {
            as = &l->tok[i + 1];
            i += 2;
        }
        ll_buf_reset(&t);
        ll_buf_printf(&t, "%s.%.*s", mod.data, (int)name->len, name->s);
        local_bind(sc, as->s, as->len, t.data);
        emit(sc, LL_EXPORT_NAME, as->s, as->len, t.data);
        if (i < l->n && l->tok[i].kind == LL_T_COMMA)
            i++;
        else
            break;
    }
out:
    ll_buf_release(&rest);
    ll_buf_release(&mod);
    ll_buf_release(&t);
}

/* NAME = dotted.name (nothing after it): a module-level alias; NAME =
 * loader("module"): a module by name. */
static void on_assign(Scan *sc, const LLLine *l)
{
    if (l->n < 3 || l->tok[0].kind != LL_T_NAME || l->tok[1].kind != LL_T_EQ || l->more)
        return;
    uint32_t i = 2;
    LLBuf d, t;
    ll_buf_init(&d);
    ll_buf_init(&t);
    if (dotted(l, &i, &d)) {
        canonical(sc, d.data, &t);
        if (i == l->n) {
            local_bind(sc, l->tok[0].s, l->tok[0].len, t.data);
            emit(sc, LL_EXPORT_NAME, l->tok[0].s, l->tok[0].len, t.data);
        } else if (i + 3 == l->n && l->tok[i].kind == LL_T_LPAREN &&
                   l->tok[i + 1].kind == LL_T_STRING && l->tok[i + 2].kind == LL_T_RPAREN &&
                   sc->filter->module_loaders && ll_strlist_has(sc->filter->module_loaders, t.data)) {
            LLBuf m;
            ll_buf_init(&m);
            ll_buf_append(&m, l->tok[i + 1].s, l->tok[i + 1].len);
            local_bind(sc, l->tok[0].s, l->tok[0].len, m.data);
            emit(sc, LL_EXPORT_NAME, l->tok[0].s, l->tok[0].len, m.data);
            ll_buf_release(&m);
        }
    }
    ll_buf_release(&d);
    ll_buf_release(&t);
}

/* In a module named like a loader module (its last part, "pickle" of
 * "distributed.protocol.pickle"): a module-level `def NAME(` where
 * "<that module>.NAME" is a name rules mention; returns that name (in buf)
 * for the body scan to confirm, or NULL. */
static const char *dropin_candidate(const Scan *sc, const LLLine *l, LLBuf *buf)
{
    uint32_t k = tok_is(&l->tok[0], "async") ? 2 : 1;
    if (k >= l->n || l->tok[k].kind != LL_T_NAME || !sc->filter->known)
        return NULL;
    const char *last = strrchr(sc->module, '.');
    last = last ? last + 1 : sc->module;
    ll_buf_reset(buf);
    ll_buf_printf(buf, "%s.%.*s", last, (int)l->tok[k].len, l->tok[k].s);
    return ll_strmap_get(sc->filter->known, buf->data, buf->len, NULL) ? buf->data : NULL;
}

/* Whether a body line calls `root.name` through a name this file bound to
 * the module `root` (import pickle; ... pickle.loads(...)). */
static bool calls_loader(const Scan *sc, const LLLine *l, const char *target)
{
    const char *dot = strrchr(target, '.');
    size_t rlen = (size_t)(dot - target);
    for (uint32_t i = 0; i + 2 < l->n; i++) {
        if (l->tok[i].kind != LL_T_NAME || l->tok[i + 1].kind != LL_T_DOT ||
            l->tok[i + 2].kind != LL_T_NAME || !tok_is(&l->tok[i + 2], dot + 1))
            continue;
        intptr_t v;
        if (ll_strmap_get(&sc->local, l->tok[i].s, l->tok[i].len, &v)) {
            const char *bound = sc->targets.items[v - 1];
            if (strlen(bound) == rlen && memcmp(bound, target, rlen) == 0)
                return true;
        }
    }
    return false;
}

/* __all__ = [...] / (...) / __all__ += [...]: the names listed */
static void on_all(Scan *sc, const LLLine *l)
{
    for (uint32_t i = 2; i < l->n; i++)
        if (l->tok[i].kind == LL_T_STRING)
            emit(sc, LL_EXPORT_ALL, l->tok[i].s, l->tok[i].len, NULL);
}

/* class C(a.B, D, metaclass=M): one CLASS fact per base; returns the index
 * of the first fact made (the find_class scan marks them). */
static size_t on_class(Scan *sc, const LLLine *l)
{
    size_t first = sc->out->len;
    if (l->n < 2 || l->tok[1].kind != LL_T_NAME)
        return first;
    const LLTok *name = &l->tok[1];
    LLBuf mine;
    ll_buf_init(&mine);
    ll_buf_printf(&mine, "%s.%.*s", sc->module, (int)name->len, name->s);
    uint32_t i = 2;
    if (i < l->n && l->tok[i].kind == LL_T_LPAREN) {
        i++;
        LLBuf d, t;
        ll_buf_init(&d);
        ll_buf_init(&t);
        while (i < l->n && l->tok[i].kind != LL_T_RPAREN) {
            if (l->tok[i].kind == LL_T_NAME && i + 1 < l->n && l->tok[i + 1].kind == LL_T_EQ) {
                i += 2; /* metaclass=...: skip its value */
                while (i < l->n && l->tok[i].kind != LL_T_COMMA && l->tok[i].kind != LL_T_RPAREN)
                    i++;
            } else {
                ll_buf_reset(&d);
                if (dotted(l, &i, &d)) {
                    ll_buf_reset(&t);
                    canonical(sc, d.data, &t);
                    emit(sc, LL_EXPORT_CLASS, name->s, name->len, t.data);
                } else {
                    i++;
                }
            }
            if (i < l->n && l->tok[i].kind == LL_T_COMMA)
                i++;
        }
        ll_buf_release(&d);
        ll_buf_release(&t);
    }
    /* later classes of the file may name it as their base */
    local_bind(sc, name->s, name->len, mine.data);
    ll_buf_release(&mine);
    return first;
}

size_t ll_exports_scan(const char *text, size_t len, const char *module, bool is_package,
                       const LLExportFilter *filter, LLExports *out)
{
    size_t truncated = 0;
    Scan sc = {.module = module ? module : "__main__", .is_package = is_package,
               .filter = filter, .out = out};
    ll_strmap_init(&sc.local);
    LLLexer lx = {text, len, 0};
    LLLine *l = ll_xmalloc(sizeof *l);
    /* the def/class blocks open above the current line: their headers'
     * indentation (a body is what is indented more) */
    enum { B_DEF, B_CLASS, B_FIND_CLASS, B_DROPIN };
    LLBuf dropin;
    ll_buf_init(&dropin);
    bool dropin_done = false;
    uint32_t bindent[LL_EXPORT_MAX_BLOCKS];
    uint8_t bkind[LL_EXPORT_MAX_BLOCKS];
    size_t bfacts[LL_EXPORT_MAX_BLOCKS]; /* B_CLASS: its first fact; B_FIND_CLASS: the class's */
    size_t bend[LL_EXPORT_MAX_BLOCKS];
    uint32_t nb = 0;
    for (unsigned lines = 0; lines < LL_EXPORT_MAX_LINES; lines++) {
        /* nothing in a def's body matters (methods other than find_class,
         * functions other than a drop-in's): skimmed, not tokenized */
        if (nb && bkind[nb - 1] == B_DEF)
            lines += (unsigned)ll_lex_skip_deeper(&lx, bindent[nb - 1], LL_EXPORT_MAX_LINES - lines, l);
        if (lines >= LL_EXPORT_MAX_LINES || !ll_lex_line(&lx, l))
            break;
        if (!l->n)
            continue;
        while (nb && l->indent <= bindent[nb - 1])
            nb--;
        const LLTok *t0 = &l->tok[0];
        bool is_def = tok_is(t0, "def") || (tok_is(t0, "async") && l->n > 1 && tok_is(&l->tok[1], "def"));
        if (nb) {
            /* inside a def or a class: only a class's find_class matters */
            if (bkind[nb - 1] == B_CLASS && nb == 1 && is_def && l->n > 1 &&
                tok_is(&l->tok[tok_is(t0, "async") ? 2 : 1], "find_class")) {
                if (nb < LL_EXPORT_MAX_BLOCKS) {
                    bindent[nb] = l->indent;
                    bkind[nb] = B_FIND_CLASS;
                    bfacts[nb] = bfacts[nb - 1];
                    bend[nb] = bend[nb - 1];
                    nb++;
                }
            } else if (bkind[nb - 1] == B_DROPIN && nb == 1 && !dropin_done &&
                       calls_loader(&sc, l, dropin.data)) {
                const char *dot = strrchr(dropin.data, '.');
                emit(&sc, LL_EXPORT_NAME, dot + 1, strlen(dot + 1), dropin.data);
                dropin_done = true;
            } else if (bkind[nb - 1] == B_FIND_CLASS && tok_is(t0, "raise")) {
                for (size_t f = bfacts[nb - 1]; f < bend[nb - 1] && f < out->len; f++)
                    out->items[f].restricts = true;
            } else if ((is_def || tok_is(t0, "class")) && nb < LL_EXPORT_MAX_BLOCKS &&
                       bkind[nb - 1] != B_FIND_CLASS) {
                bindent[nb] = l->indent;
                bkind[nb] = B_DEF;
                nb++;
            }
            continue;
        }
        if (is_def) {
            LLBuf cand;
            ll_buf_init(&cand);
            const char *target = dropin_candidate(&sc, l, &cand);
            bindent[nb] = l->indent;
            bkind[nb] = target ? B_DROPIN : B_DEF;
            if (target) {
                ll_buf_reset(&dropin);
                ll_buf_puts(&dropin, target);
                dropin_done = false;
            }
            ll_buf_release(&cand);
            nb++;
        } else if (tok_is(t0, "class")) {
            size_t first = on_class(&sc, l);
            bindent[nb] = l->indent;
            bkind[nb] = B_CLASS;
            bfacts[nb] = first;
            bend[nb] = out->len;
            nb++;
        } else if (tok_is(t0, "import")) {
            truncated += l->more;
            on_import(&sc, l);
        } else if (tok_is(t0, "from")) {
            truncated += l->more;
            on_from(&sc, l);
        } else if (tok_is(t0, "__all__") && l->n > 1 &&
                   (l->tok[1].kind == LL_T_EQ || l->tok[1].kind == LL_T_PLUSEQ)) {
            on_all(&sc, l);
        } else if (l->n > 1 && l->tok[1].kind == LL_T_EQ) {
            on_assign(&sc, l);
        }
    }
    free(l);
    ll_buf_release(&dropin);
    for (size_t i = 0; i < sc.keys.len; i++)
        free(sc.keys.items[i]);
    for (size_t i = 0; i < sc.targets.len; i++)
        free(sc.targets.items[i]);
    LL_VEC_FREE(&sc.keys);
    LL_VEC_FREE(&sc.targets);
    ll_strmap_release(&sc.local);
    return truncated;
}

void ll_exports_release(LLExports *e)
{
    for (size_t i = 0; i < e->len; i++) {
        free(e->items[i].name);
        free(e->items[i].target);
    }
    LL_VEC_FREE(e);
}

/* ---- joining the modules ------------------------------------------------------ */

/* Per module: what each name it offers is ("" key: the module's star
 * imports are kept as entries with kind STAR). */
typedef struct Offer {
    char *key;    /* "<module>.<name>", owned */
    char *target; /* owned */
    size_t prev;  /* the module's offer made before this one, index+1; 0: none */
} Offer;

typedef struct Join {
    LLStrMap offers;          /* "<module>.<name>" -> index+1 in `list` */
    LL_VEC(Offer) list;
    LLStrMap modules;         /* module name -> index+1 */
    LLStrMap last_offer;      /* module name -> its latest offer, index+1 in `list`
                               * (keys borrowed from `list`'s keys) */
    const char *const *names; /* module names */
    const LLExports *const *facts;
    size_t n;
    const LLStrMap *roots;
} Join;

static bool offer_add(Join *j, const char *module, const char *name, const char *target)
{
    size_t klen = strlen(module) + strlen(name) + 2;
    char *key = ll_xmalloc(klen);
    snprintf(key, klen, "%s.%s", module, name);
    if (ll_strmap_get(&j->offers, key, strlen(key), NULL)) {
        free(key);
        return false;
    }
    /* the module's offers chained, newest first: star imports read them
     * without scanning every offer */
    size_t mlen = strlen(module);
    intptr_t prev = 0;
    ll_strmap_get(&j->last_offer, key, mlen, &prev);
    Offer o = {key, ll_xstrdup(target), (size_t)prev};
    LL_VEC_PUSH(&j->list, o);
    ll_strmap_put(&j->offers, key, strlen(key), (intptr_t)j->list.len);
    ll_strmap_put(&j->last_offer, key, mlen, (intptr_t)j->list.len);
    return true;
}

/* Whether module m's __all__ (if it has one) lists `name`. */
static bool all_allows(const LLExports *f, const char *name)
{
    bool has_all = false;
    for (size_t i = 0; f && i < f->len; i++) {
        if (f->items[i].kind != LL_EXPORT_ALL)
            continue;
        has_all = true;
        if (strcmp(f->items[i].name, name) == 0)
            return true;
    }
    return !has_all && name[0] != '_';
}

/* Follows `name` through the offers to a target outside the project
 * (LL_MAX_EXPORT_HOPS steps at most); writes it to out. */
static bool chase(const Join *j, const char *name, LLBuf *out)
{
    LLBuf cur, next;
    ll_buf_init(&cur);
    ll_buf_init(&next);
    ll_buf_puts(&cur, name);
    bool ok = false;
    for (unsigned hop = 0; hop < LL_MAX_EXPORT_HOPS; hop++) {
        /* the longest prefix that is an offer */
        size_t len = cur.len;
        intptr_t v = 0;
        bool found = false;
        for (size_t k = len; k > 0; k--) {
            if ((cur.data[k] == '.' || cur.data[k] == '\0') &&
                ll_strmap_get(&j->offers, cur.data, k, &v)) {
                found = true;
                len = k;
                break;
            }
        }
        if (!found) {
            /* outside every offer: a real target when it is under a rule
             * root and not inside the project */
            size_t r = strcspn(cur.data, ".");
            bool in_project = false;
            for (size_t k = cur.len; k > 0 && !in_project; k--)
                if ((cur.data[k] == '.' || cur.data[k] == '\0') &&
                    ll_strmap_get(&j->modules, cur.data, k, NULL))
                    in_project = true;
            ok = hop > 0 && !in_project && j->roots && ll_strmap_get(j->roots, cur.data, r, NULL);
            break;
        }
        ll_buf_reset(&next);
        ll_buf_puts(&next, j->list.items[v - 1].target);
        ll_buf_puts(&next, cur.data + len);
        if (strcmp(next.data, cur.data) == 0)
            break;
        LLBuf tmp = cur;
        cur = next;
        next = tmp;
    }
    if (ok) {
        ll_buf_reset(out);
        ll_buf_puts(out, cur.data);
    }
    ll_buf_release(&cur);
    ll_buf_release(&next);
    return ok;
}

size_t ll_exports_resolve(const char *const *modules, const LLExports *const *facts, size_t n,
                          const LLStrMap *roots, LLStrMap *out)
{
    Join j = {.names = modules, .facts = facts, .n = n, .roots = roots};
    ll_strmap_init(&j.offers);
    ll_strmap_init(&j.modules);
    ll_strmap_init(&j.last_offer);
    ll_strmap_init(out);
    for (size_t i = 0; i < n; i++)
        if (modules[i] && modules[i][0] && !ll_strmap_get(&j.modules, modules[i], strlen(modules[i]), NULL))
            ll_strmap_put(&j.modules, modules[i], strlen(modules[i]), (intptr_t)i + 1);
    /* direct offers: names and (non-refusing) classes */
    for (size_t i = 0; i < n; i++) {
        const LLExports *f = facts[i];
        for (size_t k = 0; f && k < f->len; k++) {
            const LLExport *e = &f->items[k];
            if (e->kind == LL_EXPORT_NAME || (e->kind == LL_EXPORT_CLASS && !e->restricts))
                offer_add(&j, modules[i], e->name, e->target);
        }
    }
    /* star imports: what the starred module offers, to a fixpoint (bounded) */
    for (unsigned round = 0; round < LL_MAX_EXPORT_HOPS; round++) {
        bool added = false;
        for (size_t i = 0; i < n; i++) {
            const LLExports *f = facts[i];
            for (size_t k = 0; f && k < f->len; k++) {
                const LLExport *e = &f->items[k];
                intptr_t m;
                if (e->kind != LL_EXPORT_STAR ||
                    !ll_strmap_get(&j.modules, e->target, strlen(e->target), &m))
                    continue;
                size_t plen = strlen(e->target);
                size_t count = j.list.len; /* offers added now are looked at next round */
                intptr_t head = 0;
                ll_strmap_get(&j.last_offer, e->target, plen, &head);
                for (size_t o1 = (size_t)head; o1; o1 = j.list.items[o1 - 1].prev) {
                    size_t o = o1 - 1;
                    if (o >= count)
                        continue;
                    const char *key = j.list.items[o].key;
                    const char *name = key + plen + 1;
                    if (!all_allows(facts[m - 1], name))
                        continue;
                    LLBuf via;
                    ll_buf_init(&via);
                    ll_buf_puts(&via, key);
                    added |= offer_add(&j, modules[i], name, via.data);
                    ll_buf_release(&via);
                }
            }
        }
        if (!added)
            break;
    }
    /* every offer that leads outside the project to a rule root */
    size_t count = 0;
    LLBuf target;
    ll_buf_init(&target);
    for (size_t o = 0; o < j.list.len && count < LL_MAX_ALIASES; o++) {
        if (!chase(&j, j.list.items[o].key, &target))
            continue;
        char *key = ll_xstrdup(j.list.items[o].key);
        ll_strmap_put(out, key, strlen(key), (intptr_t)ll_xstrdup(target.data));
        count++;
    }
    ll_buf_release(&target);
    for (size_t o = 0; o < j.list.len; o++) {
        free(j.list.items[o].key);
        free(j.list.items[o].target);
    }
    LL_VEC_FREE(&j.list);
    ll_strmap_release(&j.offers);
    ll_strmap_release(&j.modules);
    ll_strmap_release(&j.last_offer);
    return count;
}

void ll_aliases_release(LLStrMap *aliases)
{
    for (size_t i = 0; i < aliases->cap; i++) {
        if (!aliases->slots[i].hash)
            continue;
        free((char *)aliases->slots[i].key);
        free((char *)aliases->slots[i].value);
    }
    ll_strmap_release(aliases);
}

bool ll_aliases_apply(const LLStrMap *aliases, const LLIdentSet *prefixes, const char *name,
                      char *buf, size_t bufsz)
{
    if (!aliases || !aliases->count)
        return false;
    size_t k;
    intptr_t v;
    if (!ll_dotted_longest_key(aliases, prefixes, name, &k, &v))
        return false;
    int n = snprintf(buf, bufsz, "%s%s", (const char *)v, name + k);
    return n > 0 && (size_t)n < bufsz;
}

void ll_aliases_prefixes(const LLStrMap *aliases, LLIdentSet *out)
{
    for (size_t i = 0; i < aliases->cap; i++)
        if (aliases->slots[i].hash)
            ll_identset_add_prefixes(out, aliases->slots[i].key);
}
