/* packages.c - package aliases and implications (packages.h). */
#include "deps/packages.h"

#include "base/mem.h"
#include "base/strmap.h"
#include "base/vec.h"
#include "deps/constraint.h"
#include "rules/jsonloc.h"

#include <stdlib.h>
#include <string.h>

/* rules/data/packages.json, embedded by src/deps/deps.cmake. */
extern const char ll_deps_packages_text[];
extern const size_t ll_deps_packages_text_len;

typedef struct Imply {
    char *package, *versions_text, *brings, *brings_text;
    LLVerSet versions, brings_versions;
} Imply;

struct LLPackages {
    LLStrMap aliases;      /* normalised alias -> canonical (char *) */
    LL_VEC(char *) strings; /* owned keys and values */
    LL_VEC(Imply) implies;
};

LLPackages *ll_packages_new(void)
{
    LLPackages *p = ll_xcalloc(1, sizeof *p);
    ll_strmap_init(&p->aliases);
    return p;
}

static void imply_free(Imply *im)
{
    free(im->package);
    free(im->versions_text);
    free(im->brings);
    free(im->brings_text);
    ll_verset_free(&im->versions);
    ll_verset_free(&im->brings_versions);
}

void ll_packages_free(LLPackages *p)
{
    if (!p)
        return;
    ll_strmap_release(&p->aliases);
    for (size_t i = 0; i < p->strings.len; i++)
        free(p->strings.items[i]);
    LL_VEC_FREE(&p->strings);
    for (size_t i = 0; i < p->implies.len; i++)
        imply_free(&p->implies.items[i]);
    LL_VEC_FREE(&p->implies);
    free(p);
}

const char *ll_packages_alias(const LLPackages *p, const char *normalised)
{
    intptr_t v;
    if (p && ll_strmap_get(&p->aliases, normalised, strlen(normalised), &v))
        return (const char *)v;
    return NULL;
}

void ll_packages_canonical(const LLPackages *p, const char *name, size_t len, LLBuf *out)
{
    LLBuf n;
    ll_buf_init(&n);
    ll_pkg_name_normalize(name, len, &n);
    const char *a = ll_packages_alias(p, n.data);
    ll_buf_puts(out, a ? a : n.data);
    ll_buf_release(&n);
}

size_t ll_packages_count_implies(const LLPackages *p)
{
    return p ? p->implies.len : 0;
}

bool ll_packages_imply_at(const LLPackages *p, size_t i, LLPkgImply *out)
{
    if (!p || i >= p->implies.len)
        return false;
    const Imply *im = &p->implies.items[i];
    out->package = im->package;
    out->versions = &im->versions;
    out->versions_text = im->versions_text;
    out->brings = im->brings;
    out->brings_versions = &im->brings_versions;
    out->brings_text = im->brings_text;
    return true;
}

/* A package name at ptr/key: normalised, malloc'd; NULL after an error. */
static LLStatus name_at(LLJsonCtx *c, const char *ptr, const char *s, char **out)
{
    *out = NULL;
    if (!ll_pkg_name_valid(s, strlen(s)))
        return ll_json_fail(c, ptr, "\"%s\" is not a package name", s);
    *out = ll_pkg_name_dup(s, strlen(s));
    return LL_OK;
}

static LLStatus versions_at(LLJsonCtx *c, const char *ptr, const char *s, LLVerSet *out)
{
    LLVerError verr;
    memset(&verr, 0, sizeof verr);
    if (ll_verset_parse(out, s, strlen(s), &verr) != LL_OK)
        return ll_json_fail(c, ptr, "\"%s\": %s", s, verr.msg);
    return LL_OK;
}

typedef struct Pending {
    LL_VEC(char *) from;
    LL_VEC(char *) to;
    LL_VEC(char *) ptrs;
    LL_VEC(Imply) implies;
} Pending;

static void pending_free(Pending *pd)
{
    for (size_t i = 0; i < pd->from.len; i++) {
        free(pd->from.items[i]);
        free(pd->to.items[i]);
        free(pd->ptrs.items[i]);
    }
    LL_VEC_FREE(&pd->from);
    LL_VEC_FREE(&pd->to);
    LL_VEC_FREE(&pd->ptrs);
    for (size_t i = 0; i < pd->implies.len; i++)
        imply_free(&pd->implies.items[i]);
    LL_VEC_FREE(&pd->implies);
}

/* The target of `name` among the existing aliases and the pending ones. */
static const char *target_of(const LLPackages *p, const Pending *pd, const char *name)
{
    const char *t = ll_packages_alias(p, name);
    if (t)
        return t;
    for (size_t i = 0; i < pd->from.len; i++)
        if (strcmp(pd->from.items[i], name) == 0)
            return pd->to.items[i];
    return NULL;
}

LLStatus ll_packages_add_json(LLPackages *p, LLJsonCtx *c, const cJSON *root)
{
    static const char *const keys[] = {"kind", "description", "aliases", "implies", NULL};
    LL_JSON_TRY(ll_json_check_keys(c, root, "", keys));
    char *kind = NULL;
    LL_JSON_TRY(ll_json_get_string(c, root, "", "kind", true, &kind));
    bool ok = strcmp(kind, "packages") == 0;
    free(kind);
    if (!ok)
        return ll_json_fail(c, "/kind", "must be \"packages\"");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (desc && !cJSON_IsString(desc))
        return ll_json_fail(c, "/description", "must be a string");
    Pending pd;
    memset(&pd, 0, sizeof pd);
    LLStatus st = LL_OK;
    char ptr[600];
    const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(root, "aliases");
    if (aliases && !cJSON_IsObject(aliases)) {
        st = ll_json_fail(c, "/aliases", "must be an object (name -> canonical name)");
        goto out;
    }
    if (aliases) {
        size_t idx = 0;
        for (const cJSON *a = aliases->child; a; a = a->next, idx++) {
            ll_json_ptr(ptr, sizeof ptr, "/aliases", a->string);
            for (const cJSON *o = aliases->child; o != a; o = o->next)
                if (strcmp(o->string, a->string) == 0) { /* at the second one */
                    unsigned line, col;
                    ll_jsonloc_linecol(c->text, c->len, ll_jsonloc_find_member(c->text, c->len, "/aliases", idx),
                                       &line, &col);
                    st = ll_error_set(c->err, c->kind, c->origin, line, col, "%s: duplicate key \"%s\"", ptr,
                                      a->string);
                    goto out;
                }
            if (!cJSON_IsString(a)) {
                st = ll_json_fail(c, ptr, "must be a package name (a string)");
                goto out;
            }
            char *from = NULL, *to = NULL;
            if ((st = name_at(c, ptr, a->string, &from)) != LL_OK)
                goto out;
            if ((st = name_at(c, ptr, a->valuestring, &to)) != LL_OK) {
                free(from);
                goto out;
            }
            if (strcmp(from, to) == 0) { /* "pyyaml": "pyyaml": nothing to map */
                free(from);
                free(to);
                continue;
            }
            const char *prev = target_of(p, &pd, from);
            if (prev && strcmp(prev, to) != 0) {
                st = ll_json_fail(c, ptr, "\"%s\" is already an alias of \"%s\"", from, prev);
                free(from);
                free(to);
                goto out;
            }
            LL_VEC_PUSH(&pd.from, from);
            LL_VEC_PUSH(&pd.to, to);
            LL_VEC_PUSH(&pd.ptrs, ll_xstrdup(ptr));
        }
        /* a canonical name is not itself an alias */
        for (size_t i = 0; i < pd.to.len; i++) {
            const char *t = target_of(p, &pd, pd.to.items[i]);
            if (t) {
                st = ll_json_fail(c, pd.ptrs.items[i], "\"%s\" is itself an alias (of \"%s\"): give the final name",
                                  pd.to.items[i], t);
                goto out;
            }
        }
    }
    const cJSON *implies = cJSON_GetObjectItemCaseSensitive(root, "implies");
    if (implies && !cJSON_IsArray(implies)) {
        st = ll_json_fail(c, "/implies", "must be an array of {package, versions, brings, brings_versions}");
        goto out;
    }
    if (implies) {
        int i = 0;
        for (const cJSON *it = implies->child; it; it = it->next, i++) {
            char base[64], q[128];
            ll_json_ptr_index(base, sizeof base, "/implies", i);
            if (!cJSON_IsObject(it)) {
                st = ll_json_fail(c, base, "must be an object {package, versions, brings, brings_versions}");
                goto out;
            }
            static const char *const ikeys[] = {"package", "versions", "brings", "brings_versions", NULL};
            if ((st = ll_json_check_keys(c, it, base, ikeys)) != LL_OK)
                goto out;
            Imply im;
            memset(&im, 0, sizeof im);
            char *pkg = NULL, *ver = NULL, *br = NULL, *brv = NULL;
            if ((st = ll_json_get_string(c, it, base, "package", true, &pkg)) != LL_OK ||
                (st = ll_json_get_string(c, it, base, "versions", true, &ver)) != LL_OK ||
                (st = ll_json_get_string(c, it, base, "brings", true, &br)) != LL_OK ||
                (st = ll_json_get_string(c, it, base, "brings_versions", true, &brv)) != LL_OK) {
                free(pkg);
                free(ver);
                free(br);
                free(brv);
                goto out;
            }
            im.versions_text = ver;
            im.brings_text = brv;
            ll_json_ptr(q, sizeof q, base, "package");
            if ((st = name_at(c, q, pkg, &im.package)) == LL_OK) {
                ll_json_ptr(q, sizeof q, base, "brings");
                st = name_at(c, q, br, &im.brings);
            }
            if (st == LL_OK) {
                ll_json_ptr(q, sizeof q, base, "versions");
                st = versions_at(c, q, ver, &im.versions);
            }
            if (st == LL_OK) {
                ll_json_ptr(q, sizeof q, base, "brings_versions");
                st = versions_at(c, q, brv, &im.brings_versions);
            }
            free(pkg);
            free(br);
            if (st != LL_OK) {
                imply_free(&im);
                goto out;
            }
            /* canonical names */
            const char *t = target_of(p, &pd, im.package);
            if (t) {
                free(im.package);
                im.package = ll_xstrdup(t);
            }
            t = target_of(p, &pd, im.brings);
            if (t) {
                free(im.brings);
                im.brings = ll_xstrdup(t);
            }
            LL_VEC_PUSH(&pd.implies, im);
        }
    }
    /* commit */
    for (size_t i = 0; i < pd.from.len; i++) {
        if (ll_packages_alias(p, pd.from.items[i])) { /* the same mapping, given again */
            free(pd.from.items[i]);
            free(pd.to.items[i]);
        } else {
            LL_VEC_PUSH(&p->strings, pd.from.items[i]);
            LL_VEC_PUSH(&p->strings, pd.to.items[i]);
            ll_strmap_put(&p->aliases, pd.from.items[i], strlen(pd.from.items[i]), (intptr_t)pd.to.items[i]);
        }
        free(pd.ptrs.items[i]);
    }
    pd.from.len = pd.to.len = pd.ptrs.len = 0;
    for (size_t i = 0; i < pd.implies.len; i++)
        LL_VEC_PUSH(&p->implies, pd.implies.items[i]);
    pd.implies.len = 0;
out:
    pending_free(&pd);
    return st;
}

LLStatus ll_packages_add_text(LLPackages *p, const char *origin, const char *text, size_t len,
                              LLError *err)
{
    if (len > LL_PACKAGES_MAX_BYTES)
        return ll_error_set(err, LL_ERR_LIMIT, origin, 0, 0,
                            "packages file larger than LL_PACKAGES_MAX_BYTES (%u bytes)",
                            LL_PACKAGES_MAX_BYTES);
    char *copy = ll_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    LLJsonCtx c = {origin, copy, len, err, LL_ERR_RULE};
    cJSON *root = NULL;
    LLStatus st = ll_json_parse(&c, LL_PACKAGES_MAX_BYTES, &root);
    if (st == LL_OK)
        st = ll_packages_add_json(p, &c, root);
    cJSON_Delete(root);
    free(copy);
    return st;
}

LLStatus ll_packages_add_builtin(LLPackages *p, LLError *err)
{
    return ll_packages_add_text(p, "rules/data/packages.json", ll_deps_packages_text,
                                ll_deps_packages_text_len, err);
}
