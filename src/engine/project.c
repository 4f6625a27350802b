#include "engine/project.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool has_init(const char *dir, size_t len)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_append(&b, dir, len);
    ll_buf_puts(&b, len ? "/__init__.py" : "__init__.py");
    struct stat sb;
    bool ok = stat(b.data, &sb) == 0 && S_ISREG(sb.st_mode);
    ll_buf_release(&b);
    return ok;
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* Module name of one file; see project.h. *root_len is the length of the
 * package root (the directory part above the top package, "" for none). */
static void module_name(const char *path, bool fs, LLModuleInfo *out, size_t *root_len)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    size_t stem = blen;
    if (blen > 3 && strcmp(base + blen - 3, ".py") == 0)
        stem = blen - 3;
    else if (blen > 4 && strcmp(base + blen - 4, ".pyi") == 0)
        stem = blen - 4;
    out->is_package = stem == 8 && memcmp(base, "__init__", 8) == 0;
    /* components, innermost first */
    const char *parts[LL_MAX_WALK_DEPTH];
    size_t lens[LL_MAX_WALK_DEPTH];
    size_t np = 0;
    if (!out->is_package) {
        parts[np] = base;
        lens[np++] = stem;
    }
    size_t dir_len = slash ? (size_t)(slash - path) : 0;
    while (fs && dir_len && np < LL_MAX_WALK_DEPTH && has_init(path, dir_len)) {
        size_t s = dir_len;
        while (s > 0 && path[s - 1] != '/')
            s--;
        size_t clen = dir_len - s;
        if (!clen || (clen == 1 && path[s] == '.') ||
            (clen == 2 && path[s] == '.' && path[s + 1] == '.'))
            break;
        parts[np] = path + s;
        lens[np++] = clen;
        dir_len = s ? s - 1 : 0;
    }
    *root_len = dir_len;
    LLBuf b;
    ll_buf_init(&b);
    for (size_t i = np; i-- > 0;) {
        if (b.len)
            ll_buf_putc(&b, '.');
        for (size_t k = 0; k < lens[i]; k++)
            ll_buf_putc(&b, ident_char(parts[i][k]) ? parts[i][k] : '_');
    }
    if (!b.len)
        ll_buf_puts(&b, "__main__");
    out->name = ll_xstrdup(b.data); /* exact size: one per file, kept all run */
    ll_buf_release(&b);
}

void ll_project_init(LLProject *p, const char *const *paths,
                     const char *const *displays, size_t n)
{
    memset(p, 0, sizeof *p);
    ll_strmap_init(&p->by_name);
    ll_strmap_init(&p->by_module);
    ll_strmap_init(&p->roots);
    p->nfiles = n;
    p->modules = ll_xcalloc(n ? n : 1, sizeof *p->modules);
    p->paths = ll_xcalloc(n ? n : 1, sizeof *p->paths);
    for (size_t i = 0; i < n; i++) {
        if (!paths[i]) { /* not Python: no module */
            p->modules[i].name = ll_xstrdup("");
            p->modules[i].next_same = UINT32_MAX;
            p->paths[i] = displays[i];
            continue;
        }
        bool is_stdin = strcmp(paths[i], "-") == 0;
        const char *path = is_stdin ? displays[i] : paths[i];
        size_t root_len;
        module_name(path, !is_stdin, &p->modules[i], &root_len);
        p->paths[i] = path;
        LLStrMapSlot *slot = ll_strmap_slot(&p->roots, path, root_len, 0);
        if (!slot->value)
            slot->value = (intptr_t)p->roots.count;
        p->modules[i].root = (uint32_t)slot->value;
        /* files of one module name, linked in path order: the order of
         * the roots on the command line does not matter */
        const char *m = p->modules[i].name;
        p->modules[i].next_same = UINT32_MAX;
        LLStrMapSlot *ms = ll_strmap_slot(&p->by_module, m, strlen(m), 0);
        if (!ms->value) {
            ms->value = (intptr_t)i + 1;
            continue;
        }
        uint32_t *link = NULL, at = (uint32_t)(ms->value - 1);
        while (at != UINT32_MAX && strcmp(p->paths[at], path) < 0) {
            link = &p->modules[at].next_same;
            at = *link;
        }
        p->modules[i].next_same = at;
        if (link)
            *link = (uint32_t)i;
        else
            ms->value = (intptr_t)i + 1;
    }
}

void ll_steps_free(LLStep *steps, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        free(steps[i].message);
    free(steps);
}

void ll_func_summary_free(LLFuncSummary *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->key);
    for (uint32_t i = 0; i < s->nparams; i++)
        free(s->param_names[i]);
    free(s->param_names);
    free(s->returns_source);
    ll_steps_free(s->return_steps, s->nreturn_steps);
    for (size_t i = 0; i < s->sinks.len; i++) {
        LLParamSink *k = &s->sinks.items[i];
        free(k->param_name);
        free(k->callee);
        free(k->snippet);
        free(k->message);
        ll_steps_free(k->steps, k->nsteps);
    }
    LL_VEC_FREE(&s->sinks);
    free(s);
}

void ll_project_release(LLProject *p)
{
    for (size_t i = 0; i < p->nfiles; i++)
        free(p->modules[i].name);
    free(p->modules);
    free(p->paths);
    ll_strmap_release(&p->roots);
    for (size_t i = 0; i < p->summaries.len; i++)
        ll_func_summary_free(p->summaries.items[i]);
    LL_VEC_FREE(&p->summaries);
    ll_strmap_release(&p->by_name);
    ll_strmap_release(&p->by_module);
    memset(p, 0, sizeof *p);
}

/* The by_name key of (file, name): the file index's 4 bytes, then the name. */
static size_t summary_key(char *key, size_t keysz, uint32_t file, const char *name)
{
    size_t n = strlen(name);
    if (n + 4 > keysz)
        n = keysz - 4;
    memcpy(key, &file, 4);
    memcpy(key + 4, name, n);
    return n + 4;
}

const LLFuncSummary *ll_project_find(const LLProject *p, const char *name, uint32_t importer)
{
    uint32_t file;
    if (!p || !ll_project_module_file(p, name, importer, &file))
        return NULL;
    char key[LL_MAX_QUALNAME + 8];
    intptr_t v;
    if (!ll_strmap_get(&p->by_name, key, summary_key(key, sizeof key, file, name), &v))
        return NULL;
    return (const LLFuncSummary *)v;
}

static unsigned project_put(LLProject *p, LLFuncSummary *s);

/* What callers can observe of a summary: LL_SUMMARY_* flags of what
 * differs between a and b. */
static unsigned effect_changes(const LLFuncSummary *a, const LLFuncSummary *b)
{
    unsigned c = 0;
    if (!a->returns_source != !b->returns_source)
        c |= LL_SUMMARY_RETURNS;
    if (a->sinks.len != b->sinks.len)
        return c | LL_SUMMARY_SINKS;
    for (size_t i = 0; i < a->sinks.len; i++)
        if (a->sinks.items[i].param != b->sinks.items[i].param ||
            a->sinks.items[i].rule != b->sinks.items[i].rule)
            return c | LL_SUMMARY_SINKS;
    return c;
}

bool ll_project_module_file(const LLProject *p, const char *name, uint32_t importer,
                            uint32_t *file)
{
    uint32_t root = importer < p->nfiles ? p->modules[importer].root : UINT32_MAX;
    /* the prefixes before each dot, longest first (no copy: lengths) */
    for (size_t n = strlen(name); n > 0; n--) {
        if (name[n - 1] != '.')
            continue;
        intptr_t v;
        if (ll_strmap_get(&p->by_module, name, n - 1, &v)) {
            uint32_t first = (uint32_t)(v - 1);
            *file = first;
            for (uint32_t at = first; at != UINT32_MAX; at = p->modules[at].next_same) {
                if (p->modules[at].root == root) {
                    *file = at;
                    break;
                }
            }
            return true;
        }
    }
    return false;
}

unsigned ll_project_put(LLProject *p, LLFuncSummary *s)
{
    char key[LL_MAX_QUALNAME + 8];
    intptr_t v;
    const LLFuncSummary *old = NULL;
    if (ll_strmap_get(&p->by_name, key, summary_key(key, sizeof key, s->file, s->name), &v))
        old = (const LLFuncSummary *)v;
    if (old && old->sinks.len)
        p->nsinks--;
    if (s->sinks.len)
        p->nsinks++;
    return project_put(p, s);
}

static unsigned project_put(LLProject *p, LLFuncSummary *s)
{
    char key[LL_MAX_QUALNAME + 8];
    size_t klen = summary_key(key, sizeof key, s->file, s->name);
    s->key = ll_xmalloc(klen);
    memcpy(s->key, key, klen);
    LLStrMapSlot *slot = ll_strmap_slot(&p->by_name, s->key, klen, 0);
    if (slot->value) {
        LLFuncSummary *old = (LLFuncSummary *)slot->value;
        unsigned changed = effect_changes(old, s);
        for (size_t i = 0; i < p->summaries.len; i++)
            if (p->summaries.items[i] == old)
                p->summaries.items[i] = s;
        ll_func_summary_free(old);
        slot->key = s->key; /* the old key was freed with old */
        slot->value = (intptr_t)s;
        return changed;
    }
    slot->value = (intptr_t)s;
    LL_VEC_PUSH(&p->summaries, s);
    return (s->returns_source ? LL_SUMMARY_RETURNS : 0u) | (s->sinks.len ? LL_SUMMARY_SINKS : 0u);
}
