/* The pickle policy (src/artifact/pickle_policy.c): the data file's format
 * and its errors, merging, and how names are graded. */
#include "artifact/pickle_policy.h"

#include <criterion/criterion.h>

#include <string.h>

static LLStatus parse(LLPicklePolicy *p, const char *text, LLError *err)
{
    memset(err, 0, sizeof *err);
    return ll_pickle_policy_parse(p, "pol.json", text, strlen(text), err);
}

static LLPickleClass cls(const LLPicklePolicy *p, const char *full, size_t modlen)
{
    return ll_pickle_policy_classify(p, full, strlen(full), modlen, NULL);
}

Test(art_policy, builtin_file_loads_and_grades)
{
    LLPicklePolicy p;
    ll_pickle_policy_init(&p);
    LLError err;
    cr_assert_eq(ll_pickle_policy_load_file(&p, LL_SOURCE_DIR "/rules/data/pickle-policy.json", &err), LL_OK,
                 "%s", err.msg);
    cr_assert_eq(cls(&p, "torch._utils._rebuild_tensor_v2", 12), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&p, "collections.OrderedDict", 11), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&p, "numpy.core.multiarray._reconstruct", 21), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&p, "torch.FloatStorage", 5), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&p, "os.system", 2), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "posix.system", 5), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "pip.main", 3), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "pip._internal.cli.main.main", 22), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "runpy._run_code", 5), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "pkgutil.resolve_name", 7), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "torch.utils.collect_env.run", 23), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "numpy.testing._private.utils.runstring", 28), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "builtins.getattr", 8), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "sklearn.linear_model.LogisticRegression", 20), LL_PICKLE_UNLISTED);
    cr_assert_eq(cls(&p, "builtins.print", 8), LL_PICKLE_UNLISTED);
    const char *why = NULL;
    cr_assert_eq(ll_pickle_policy_classify(&p, "subprocess.Popen", 16, 10, &why), LL_PICKLE_DANGEROUS);
    cr_assert(why && strstr(why, "command"), "reason: %s", why ? why : "(none)");
    ll_pickle_policy_release(&p);
}

Test(art_policy, patterns_and_chains)
{
    LLPicklePolicy p;
    ll_pickle_policy_init(&p);
    LLError err;
    cr_assert_eq(parse(&p,
                       "{\"kind\": \"pickle-policy\", \"allow\": [\"numpy.*\", \"a.b.C\", \"copyreg.__newobj__\"],"
                       " \"dangerous\": {\"os.*\": \"runs commands\", \"builtins.eval\": \"evaluates\"}}",
                       &err),
                 LL_OK, "%s", err.msg);
    /* allow "m.*": one name of m only */
    cr_assert_eq(cls(&p, "numpy.ndarray", 5), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&p, "numpy.prod.a", 5), LL_PICKLE_UNLISTED);
    cr_assert_eq(cls(&p, "numpy.linalg.norm", 12), LL_PICKLE_UNLISTED);
    cr_assert_eq(cls(&p, "a.b.C", 3), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&p, "a.b.C.D", 3), LL_PICKLE_UNLISTED);
    /* dangerous "m.*": m and everything below */
    cr_assert_eq(cls(&p, "os", 2), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "os.path.join", 7), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "ossaudiodev.open", 11), LL_PICKLE_UNLISTED, "a prefix is a whole segment");
    cr_assert_eq(cls(&p, "builtins.eval", 8), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "builtins.evaluate", 8), LL_PICKLE_UNLISTED);
    /* attributes after the module reach other modules */
    cr_assert_eq(cls(&p, "numpy.prod.os.system", 5), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "numpy.os", 5), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "mylib.os_utils.run", 14), LL_PICKLE_UNLISTED);
    cr_assert_eq(cls(&p, "mylib.os.run", 8), LL_PICKLE_UNLISTED, "module segments are the module's name");
    /* introspection attributes */
    cr_assert_eq(cls(&p, "numpy.__builtins__", 5), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "mylib.f.__globals__", 5), LL_PICKLE_DANGEROUS);
    cr_assert_eq(cls(&p, "__main__.Model", 8), LL_PICKLE_UNLISTED, "a module named __main__ is fine");
    cr_assert_eq(cls(&p, "copyreg.__newobj__", 7), LL_PICKLE_ALLOWED, "allowed exactly");
    /* dangerous wins over allowed */
    cr_assert(ll_pickle_policy_allow(&p, "os.system"));
    cr_assert_eq(cls(&p, "os.system", 2), LL_PICKLE_DANGEROUS);
    ll_pickle_policy_release(&p);
}

Test(art_policy, merge_adds_user_allowances)
{
    LLPicklePolicy base, user;
    ll_pickle_policy_init(&base);
    ll_pickle_policy_init(&user);
    LLError err;
    cr_assert_eq(parse(&base, "{\"kind\": \"pickle-policy\", \"allow\": [\"collections.OrderedDict\"]}", &err), LL_OK);
    cr_assert_eq(parse(&user, "{\"kind\": \"pickle-policy\", \"allow\": [\"sklearn.tree.*\"],"
                              " \"dangerous\": {\"mylib.run\": \"runs scripts\"}}", &err),
                 LL_OK);
    cr_assert_eq(cls(&base, "sklearn.tree.DecisionTreeClassifier", 12), LL_PICKLE_UNLISTED);
    ll_pickle_policy_merge(&base, &user);
    ll_pickle_policy_release(&user);
    cr_assert_eq(cls(&base, "sklearn.tree.DecisionTreeClassifier", 12), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&base, "collections.OrderedDict", 11), LL_PICKLE_ALLOWED);
    const char *why = NULL;
    cr_assert_eq(ll_pickle_policy_classify(&base, "mylib.run", 9, 5, &why), LL_PICKLE_DANGEROUS);
    cr_assert_str_eq(why, "runs scripts", "the reason outlives the merged-in policy");
    /* a second file adds to the first */
    cr_assert_eq(parse(&base, "{\"kind\": \"pickle-policy\", \"allow\": [\"mylib.Model\"]}", &err), LL_OK);
    cr_assert_eq(cls(&base, "mylib.Model", 5), LL_PICKLE_ALLOWED);
    cr_assert_eq(cls(&base, "sklearn.tree.DecisionTreeClassifier", 12), LL_PICKLE_ALLOWED);
    ll_pickle_policy_release(&base);
}

Test(art_policy, errors_name_file_position_and_pointer)
{
    static const struct {
        const char *text;
        const char *pointer;
        unsigned line;
    } cases[] = {
        {"{\"kind\": \"pickle-policy\",\n \"allow\": [\"ok.A\",\n  \"bad name\"]}", "/allow/1", 3},
        {"{\"kind\": \"pickle-policy\",\n \"dangerous\": {\"os.*\": \"\"}}", "/dangerous/os.*", 2},
        {"{\"kind\": \"pickle-policy\",\n \"dangerous\": {\"a.b\": \"x\",\n \"a.b\": \"y\"}}", "/dangerous/a.b", 0},
        {"{\"kind\": \"rules\"}", "/kind", 1},
        {"{\"kind\": \"pickle-policy\", \"alow\": []}", "/alow", 1},
        {"{\"kind\": \"pickle-policy\", \"allow\": \"x.y\"}", "/allow", 1},
        {"{\"allow\": []}", "/", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        LLPicklePolicy p;
        ll_pickle_policy_init(&p);
        LLError err;
        cr_assert_neq(parse(&p, cases[i].text, &err), LL_OK, "case %zu accepted", i);
        cr_assert_str_eq(err.file, "pol.json");
        cr_assert(strstr(err.msg, cases[i].pointer), "case %zu: %s", i, err.msg);
        if (cases[i].line)
            cr_assert_eq(err.line, cases[i].line, "case %zu: line %u: %s", i, err.line, err.msg);
        ll_pickle_policy_release(&p);
    }
    /* syntax errors have a position; nothing of a bad file is kept */
    LLPicklePolicy p;
    ll_pickle_policy_init(&p);
    LLError err;
    cr_assert_neq(parse(&p, "{\"kind\": \"pickle-policy\", \"allow\": [\"x.Y\",]}", &err), LL_OK);
    cr_assert_gt(err.line, 0);
    cr_assert_neq(parse(&p, "{\"kind\": \"pickle-policy\", \"allow\": [\"x.Y\", 3]}", &err), LL_OK);
    cr_assert_eq(cls(&p, "x.Y", 1), LL_PICKLE_UNLISTED);
    ll_pickle_policy_release(&p);
    ll_pickle_policy_init(&p);
    cr_assert_eq(ll_pickle_policy_load_file(&p, "/nonexistent/policy.json", &err), LL_ERR_IO);
    ll_pickle_policy_release(&p);
}

Test(art_policy, pattern_syntax)
{
    cr_assert(ll_pickle_policy_valid_pattern("a"));
    cr_assert(ll_pickle_policy_valid_pattern("a.b_c.D1"));
    cr_assert(ll_pickle_policy_valid_pattern("a.*"));
    cr_assert(ll_pickle_policy_valid_pattern("__torch__.x"));
    cr_assert(ll_pickle_policy_valid_pattern("donn\xc3\xa9\x65s.x"));
    cr_assert(!ll_pickle_policy_valid_pattern(""));
    cr_assert(!ll_pickle_policy_valid_pattern(".*"));
    cr_assert(!ll_pickle_policy_valid_pattern("a..b"));
    cr_assert(!ll_pickle_policy_valid_pattern("a."));
    cr_assert(!ll_pickle_policy_valid_pattern("1a.b"));
    cr_assert(!ll_pickle_policy_valid_pattern("a.b*"));
    cr_assert(!ll_pickle_policy_valid_pattern("a b"));
}
