/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "engine/scope.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct PerSettings {
    uint8_t *known; /* per rule: available to this configuration */
    uint8_t *on;    /* per rule: available and selected */
    const LLSourceModel *model;
    bool has_pfi;   /* per-file-ignores to check per file */
} PerSettings;

struct LLRuleScope {
    const LLRuleset *rs;
    const LLConfigCache *cc;
    size_t nsettings;
    PerSettings *per;      /* by settings id; NULL tables: not used */
    PerSettings defaults;  /* files without settings */
    LL_VEC(LLSourceModel *) composed; /* owned models */
};

/* The rs->scopes indexes of a configuration's rule directories. */
static size_t settings_scopes(const LLRuleset *rs, const LLSettings *s, int *out, size_t max)
{
    size_t n = 0;
    for (size_t j = 0; j < s->rule_dirs.len && n < max; j++) {
        char *real = realpath(s->rule_dirs.items[j], NULL);
        if (!real)
            continue;
        for (size_t k = 0; k < rs->scopes.len; k++)
            if (strcmp(rs->scopes.items[k], real) == 0)
                out[n++] = (int)k;
        free(real);
    }
    return n;
}

static bool scope_in(int scope, const int *scopes, size_t n)
{
    if (scope < 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (scopes[i] == scope)
            return true;
    return false;
}

LLRuleScope *ll_rule_scope_new(const LLRuleset *rs, const LLConfigCache *cc, const bool *used)
{
    LLRuleScope *sc = ll_xcalloc(1, sizeof *sc);
    sc->rs = rs;
    sc->cc = cc;
    size_t nr = rs->nrules;
    sc->defaults.known = ll_xcalloc(nr + 1, 1);
    sc->defaults.on = ll_xcalloc(nr + 1, 1);
    sc->defaults.model = &rs->sources;
    for (size_t r = 0; r < nr; r++) {
        sc->defaults.known[r] = rs->rules[r].scope < 0;
        sc->defaults.on[r] = rs->rules[r].scope < 0 && rs->rules[r].enabled;
    }
    sc->nsettings = cc ? ll_config_cache_count(cc) : 0;
    sc->per = ll_xcalloc(sc->nsettings + 1, sizeof *sc->per);
    for (size_t id = 0; id < sc->nsettings; id++) {
        if (used && !used[id])
            continue;
        const LLSettings *s = ll_config_cache_get(cc, id);
        PerSettings *p = &sc->per[id];
        int scopes[64];
        size_t ns = settings_scopes(rs, s, scopes, sizeof scopes / sizeof *scopes);
        p->known = ll_xcalloc(nr + 1, 1);
        p->on = ll_xcalloc(nr + 1, 1);
        for (size_t r = 0; r < nr; r++) {
            const LLRule *rule = &rs->rules[r];
            p->known[r] = scope_in(rule->scope, scopes, ns);
            p->on[r] = p->known[r] && ll_settings_selects(s, rule->code);
        }
        p->has_pfi = s->per_file_ignores.len > 0;
        /* the model: unscoped sources, plus the fragments of its scopes */
        bool any = false;
        for (size_t f = 0; f < rs->scoped_sources.len; f++)
            any |= scope_in(rs->scoped_sources.items[f].scope, scopes, ns);
        if (!any) {
            p->model = &rs->sources;
            continue;
        }
        LLSourceModel *m = ll_xcalloc(1, sizeof *m);
        ll_srcmodel_init(m);
        ll_srcmodel_merge(m, &rs->sources);
        for (size_t f = 0; f < rs->scoped_sources.len; f++)
            if (scope_in(rs->scoped_sources.items[f].scope, scopes, ns))
                ll_srcmodel_merge(m, &rs->scoped_sources.items[f].model);
        LL_VEC_PUSH(&sc->composed, m);
        p->model = m;
    }
    return sc;
}

void ll_rule_scope_free(LLRuleScope *sc)
{
    if (!sc)
        return;
    for (size_t id = 0; id < sc->nsettings; id++) {
        free(sc->per[id].known);
        free(sc->per[id].on);
    }
    free(sc->per);
    free(sc->defaults.known);
    free(sc->defaults.on);
    for (size_t i = 0; i < sc->composed.len; i++) {
        ll_srcmodel_free(sc->composed.items[i]);
        free(sc->composed.items[i]);
    }
    LL_VEC_FREE(&sc->composed);
    free(sc);
}

static const PerSettings *per_of(const LLRuleScope *sc, const LLFileEntry *fe)
{
    if (fe && fe->settings && fe->settings->id < sc->nsettings && sc->per[fe->settings->id].on)
        return &sc->per[fe->settings->id];
    return &sc->defaults;
}

bool ll_rule_scope_applies(const LLRuleScope *sc, uint32_t rule, const LLFileEntry *fe)
{
    if (rule >= sc->rs->nrules)
        return false;
    const PerSettings *p = per_of(sc, fe);
    if (!p->on[rule])
        return false;
    if (p->has_pfi && fe->abs)
        return ll_settings_enables(fe->settings, sc->rs->rules[rule].code, fe->abs);
    return true;
}

bool ll_rule_scope_known(const LLRuleScope *sc, uint32_t rule, const LLFileEntry *fe)
{
    return rule < sc->rs->nrules && per_of(sc, fe)->known[rule];
}

void ll_rule_scope_mask(const LLRuleScope *sc, const LLFileEntry *fe, uint8_t *mask)
{
    const PerSettings *p = per_of(sc, fe);
    size_t nr = sc->rs->nrules;
    memcpy(mask, p->on, nr);
    if (p->has_pfi && fe->abs)
        for (size_t r = 0; r < nr; r++)
            if (mask[r])
                mask[r] = ll_settings_enables(fe->settings, sc->rs->rules[r].code, fe->abs);
}

const LLSourceModel *ll_rule_scope_model(const LLRuleScope *sc, const LLFileEntry *fe)
{
    return per_of(sc, fe)->model;
}

size_t ll_rule_scope_model_count(const LLRuleScope *sc)
{
    return 1 + sc->composed.len;
}

const LLSourceModel *ll_rule_scope_model_at(const LLRuleScope *sc, size_t i)
{
    return i == 0 ? &sc->rs->sources : sc->composed.items[i - 1];
}
