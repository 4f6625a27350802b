#include "engine/syntax.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

const TSLanguage *tree_sitter_python(void);

const TSLanguage *ll_syntax_python(void) { return tree_sitter_python(); }

static const char *const kind_names[LL_K__COUNT] = {
    [LL_K_OTHER] = "other",
#define LL_KIND_NAME(id, name) [LL_K_##id] = name,
    LL_KIND_LIST(LL_KIND_NAME)
#undef LL_KIND_NAME
};

static const char *const field_names[LL_F__COUNT] = {
#define LL_FIELD_NAME(id, name) [LL_F_##id] = name,
    LL_FIELD_LIST(LL_FIELD_NAME)
#undef LL_FIELD_NAME
};

const char *ll_syntax_kind_name(LLKind k)
{
    return k < LL_K__COUNT ? kind_names[k] : "?";
}

int ll_syntax_init(LLSyntax *syn, const TSLanguage *lang)
{
    memset(syn, 0, sizeof *syn);
    syn->language = lang;
    syn->symbol_count = ts_language_symbol_count(lang);
    syn->kind_of_symbol = ll_xcalloc(syn->symbol_count, 1);
    uint8_t seen[LL_K__COUNT] = {0};
    for (uint32_t s = 0; s < syn->symbol_count; s++) {
        const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
        TSSymbolType type = ts_language_symbol_type(lang, (TSSymbol)s);
        if (!name || type == TSSymbolTypeAuxiliary)
            continue;
        for (int k = 1; k < LL_K__COUNT; k++) {
            if (strcmp(name, kind_names[k]) != 0)
                continue;
            /* "true", "none"... exist both as keywords (anonymous) and as
             * named expression nodes; only the named ones are kinds. */
            if (type != TSSymbolTypeRegular && k != LL_K_ERROR)
                break;
            syn->kind_of_symbol[s] = (uint8_t)k;
            seen[k] = 1;
            break;
        }
    }
    /* ERROR nodes use the builtin symbol 65535, outside the table. */
    seen[LL_K_ERROR] = 1;
    for (int k = 1; k < LL_K__COUNT; k++) {
        if (!seen[k])
            return -1;
    }
    for (int f = 0; f < LL_F__COUNT; f++) {
        syn->field[f] = ts_language_field_id_for_name(
            lang, field_names[f], (uint32_t)strlen(field_names[f]));
        if (!syn->field[f])
            return -1;
    }
    return 0;
}

void ll_syntax_release(LLSyntax *syn)
{
    free(syn->kind_of_symbol);
    memset(syn, 0, sizeof *syn);
}
