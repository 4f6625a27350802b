/* The pre-filter's identifiers (engine/prefilter.h): comments left out,
 * strings and code kept, and the whole text counted where the strings
 * cannot be followed. A word missed in code would be a missed finding. */
#include "engine/prefilter.h"

#include "base/strmap.h"

#include <criterion/criterion.h>

#include <string.h>

static uint64_t h(const char *s) { return ll_strmap_hash(s, strlen(s)); }

/* The identifiers of `text`; *followed is what the scan returned. */
static void ids_of(LLIdentSet *ids, const char *text, bool *followed)
{
    ll_identset_init(ids);
    *followed = ll_prefilter_identifiers(ids, text, strlen(text), "pkg.mod");
}

Test(prefilter, comments_are_left_out)
{
    LLIdentSet ids;
    bool ok;
    ids_of(&ids,
           "import torch  # pickle.loads would run code\n"
           "# yaml.load(x)\n"
           "x = torch.zeros(3)\r\n"
           "#dill\r"
           "y = 1\n",
           &ok);
    cr_assert(ok);
    cr_assert(ll_identset_has(&ids, h("torch")));
    cr_assert(ll_identset_has(&ids, h("zeros")));
    cr_assert(ll_identset_has(&ids, h("y")), "after a comment ended by a lone CR");
    cr_assert(ll_identset_has(&ids, h("pkg")), "the module name counts");
    cr_assert(!ll_identset_has(&ids, h("pickle")));
    cr_assert(!ll_identset_has(&ids, h("loads")));
    cr_assert(!ll_identset_has(&ids, h("yaml")));
    cr_assert(!ll_identset_has(&ids, h("dill")));
    ll_identset_release(&ids);
}

Test(prefilter, a_hash_in_a_string_is_no_comment)
{
    static const char *const texts[] = {
        "s = '# not a comment' + getattr(m, 'loads')\n",
        "s = \"#\" ; getattr(m, \"loads\")\n",
        "s = '''\n# inside\n''' ; getattr(m, 'loads')\n",
        "s = \"\"\"a \" # still inside \"\"\" ; getattr(m, 'loads')\n",
        "s = 'it\\'s # inside' ; getattr(m, 'loads')\n",
        "s = r'\\' # inside' ; getattr(m, 'loads')\n",
        "s = 'a \\\n # continued' ; getattr(m, 'loads')\n",
        "s = f'{x} # inside {y!r:>{w}}' ; getattr(m, 'loads')\n",
        "s = f\"{d['#']} # inside\" ; getattr(m, 'loads')\n",
        "s = f'{{ # inside }}' ; getattr(m, 'loads')\n",
        "s = f\"\"\"{d[\"k\"]} # inside\"\"\" ; getattr(m, 'loads')\n",
        "s = f'{x:%H#%M}' ; getattr(m, 'loads')\n",
        "s = rb'#' + Rb\"#\" + F'#' + fR'#' ; getattr(m, 'loads')\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        LLIdentSet ids;
        bool ok;
        ids_of(&ids, texts[i], &ok);
        cr_assert(ok, "text %zu followed", i);
        cr_assert(ll_identset_has(&ids, h("getattr")), "text %zu: code after the string", i);
        cr_assert(ll_identset_has(&ids, h("loads")), "text %zu: a word in a later string", i);
        cr_assert(ll_identset_has(&ids, h("inside")) || !strstr(texts[i], "inside"),
                  "text %zu: a string's words count", i);
        ll_identset_release(&ids);
    }
}

Test(prefilter, what_cannot_be_followed_counts_whole)
{
    /* only Python 3.12 reads these (or nothing does): the comment words
     * count too, as ll_identset_build would have them */
    static const char *const texts[] = {
        "s = f\"{d[\"k\"]}\"  # pickle\n",        /* an enclosing quote reused */
        "s = f'''{'''a'''}'''  # pickle\n",       /* a triple quote in its own kind */
        "s = f\"\"\"{x  # pickle\n}\"\"\"\n",     /* a comment in a field */
        "s = 'unterminated\n# pickle\n",          /* a string ends at a line end */
        "s = '''never closed\n# pickle\n",        /* the text ends in a string */
        "s = f'{f\"{f'''{1}'''}\"}'  # pickle\n", /* ''' inside f'...' */
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        LLIdentSet ids;
        bool ok;
        ids_of(&ids, texts[i], &ok);
        cr_assert(!ok, "text %zu is not followed", i);
        cr_assert(ll_identset_has(&ids, h("pickle")), "text %zu: every word counts", i);
        cr_assert(ll_identset_has(&ids, h("pkg")), "text %zu: the module name counts", i);
        ll_identset_release(&ids);
    }
}

Test(prefilter, the_deepest_nesting_311_reads)
{
    /* each quote once, a single one inside a triple one of its kind: four
     * strings deep, the most Python 3.11 accepts (a fifth reuses a quote) */
    LLIdentSet ids;
    bool ok;
    ids_of(&ids, "s = f\"\"\"{f\"{f'''{f'{getattr(m, loads)}'}'''}\"}\"\"\"  # pickle\n", &ok);
    cr_assert(ok);
    cr_assert(ll_identset_has(&ids, h("getattr")));
    cr_assert(ll_identset_has(&ids, h("loads")));
    cr_assert(!ll_identset_has(&ids, h("pickle")));
    ll_identset_release(&ids);
}
