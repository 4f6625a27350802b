/* test_srcmodel.c - the source model as data (rules/srcmodel.h) and its
 * questions (engine/sources.h): name globs, loading and validation of
 * "kind": "sources" files, parameter and self-attribute sources, and the
 * pre-filter's view. */
#include "helpers.h"

#include "engine/sources.h"
#include "rules/srcmodel.h"

#include <criterion/criterion.h>

#include <string.h>

Test(srcmodel, globs)
{
    cr_assert(ll_srcmodel_glob("fastapi.*.get", "fastapi.FastAPI().get"));
    cr_assert(ll_srcmodel_glob("fastapi.*.get", "fastapi.APIRouter().get"));
    cr_assert(!ll_srcmodel_glob("fastapi.*.get", "fastapi.FastAPI().forget"));
    cr_assert(!ll_srcmodel_glob("fastapi.*.get", "flask.Flask().get"));
    cr_assert(ll_srcmodel_glob("*_pb2_grpc.*Servicer", "pkg.hello_pb2_grpc.GreeterServicer"));
    cr_assert(!ll_srcmodel_glob("*_pb2_grpc.*Servicer", "pkg.hello_pb2_grpc.GreeterStub"));
    cr_assert(ll_srcmodel_glob("django*", "django"));
    cr_assert(ll_srcmodel_glob("django*", "django.http.HttpResponse"));
    cr_assert(ll_srcmodel_glob("a", "a"));
    cr_assert(!ll_srcmodel_glob("a", "ab"));
    cr_assert(ll_srcmodel_glob("*", ""));
    cr_assert(ll_srcmodel_glob("**x**", "aaaxbbb"));
}

/* Loads one sources file into a fresh model; returns the status. */
static LLStatus load(LLSourceModel *m, const char *text, LLError *err)
{
    memset(err, 0, sizeof *err);
    ll_srcmodel_init(m);
    LLJsonCtx c = {"src.json", text, strlen(text), err, LL_ERR_RULE};
    cJSON *root;
    LLStatus st = ll_json_parse(&c, 1 << 20, &root);
    if (st != LL_OK)
        return st;
    st = ll_srcmodel_add(m, &c, root);
    cJSON_Delete(root);
    return st;
}

Test(srcmodel, braces_expand)
{
    LLSourceModel m;
    LLError err;
    cr_assert_eq(load(&m, "{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
                          " \"parameters\": [{\"what\": \"w\", \"decorator\": [\"{a,b}.*.{get,post}\"]}]}",
                      &err),
                 LL_OK, "%s", err.msg);
    const LLStrList *d = &m.params.items[0].decorators;
    cr_assert_eq(d->len, 4);
    cr_assert_str_eq(d->items[0], "a.*.get");
    cr_assert_str_eq(d->items[1], "a.*.post");
    cr_assert_str_eq(d->items[2], "b.*.get");
    cr_assert_str_eq(d->items[3], "b.*.post");
    ll_srcmodel_free(&m);
}

static void bad(const char *text, unsigned line, const char *msg)
{
    LLSourceModel m;
    LLError err;
    cr_assert_eq(load(&m, text, &err), LL_ERR_RULE, "accepted:\n%s", text);
    cr_expect_eq(err.line, line, "line %u, expected %u (%s)", err.line, line, err.msg);
    cr_expect(strstr(err.msg, msg), "message \"%s\" lacks \"%s\"", err.msg, msg);
    cr_expect_str_eq(err.file, "src.json");
    ll_srcmodel_free(&m);
}

Test(srcmodel, errors_point_at_the_value)
{
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
        " \"sources\": [\"sys.argv\", \"not a name\"]}",
        2, "/sources/1: \"not a name\" is not a canonical dotted name");
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
        " \"parameters\": [{\"what\": \"w\",\n  \"decorator\": [\"{a,b\"]}]}",
        3, "a '{' without its '}'");
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
        " \"parameters\": [{\"what\": \"w\", \"index\": [0]}]}",
        2, "needs at least one of");
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
        " \"parameters\": [{\"what\": \"w\", \"param\": [\"request\"], \"scope\": \"class\"}]}",
        2, "/parameters/0/scope");
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\", \"sorces\": []}", 1,
        "unknown key \"sorces\"");
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\"}", 1,
        "must define something");
    bad("{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
        " \"self_attributes\": [{\"what\": \"w\", \"attributes\": [\"request\"]}]}",
        2, "needs \"class_base\" and \"attributes\"");
}

Test(srcmodel, kind_is_checked_by_the_ruleset)
{
    LLRuleset *rs = ll_ruleset_new();
    LLError err;
    const char *t = "{\"kind\": \"source\", \"name\": \"x\"}";
    cr_assert_eq(ll_ruleset_add_json(rs, "k.json", t, strlen(t), &err), LL_ERR_RULE);
    cr_expect(strstr(err.msg, "/kind"), "%s", err.msg);
    ll_ruleset_free(rs);
}

/* The source a parameter of the first function named `fn` is, under the
 * built-in model plus `extra` (a sources file, or NULL). */
static const char *param_source(const char *code, const char *param, const char *extra)
{
    static char what[128];
    LTDoc d;
    lt_doc_open(&d, code, NULL);
    if (extra) {
        LLError err;
        LLJsonCtx c = {"extra.json", extra, strlen(extra), &err, LL_ERR_RULE};
        cJSON *root;
        cr_assert_eq(ll_json_parse(&c, 1 << 20, &root), LL_OK, "%s", err.msg);
        cr_assert_eq(ll_srcmodel_add(&d.rules->sources, &c, root), LL_OK, "%s", err.msg);
        cJSON_Delete(root);
    }
    const char *r = NULL;
    for (size_t i = 0; i < d.sem.bindings.len; i++) {
        const LLBinding *b = &d.sem.bindings.items[i];
        size_t len;
        const char *t = ll_node_text(&d.src, b->target, &len);
        if (b->kind == LL_BIND_PARAM && len == strlen(param) && memcmp(t, param, len) == 0) {
            r = ll_sources_param(&d.rules->sources, &d.sem, b);
            break;
        }
    }
    if (r)
        snprintf(what, sizeof what, "%s", r);
    lt_doc_close(&d);
    return r ? what : NULL;
}

Test(srcmodel, builtin_parameter_sources)
{
    cr_assert_str_eq(param_source("from fastapi import FastAPI\napp = FastAPI()\n"
                                  "@app.post('/x')\ndef h(body: bytes):\n    pass\n",
                                  "body", NULL),
                     "web route parameter");
    cr_assert_str_eq(param_source("from fastapi import UploadFile\n"
                                  "async def h(f: UploadFile):\n    pass\n",
                                  "f", NULL),
                     "web request parameter");
    cr_assert_null(param_source("from fastapi import UploadFile\n"
                                "async def h(f: int):\n    pass\n",
                                "f", NULL));
    cr_assert_str_eq(param_source("import django\ndef view(request, pk):\n    pass\n", "request", NULL),
                     "django request");
    /* the second parameter is not the request of a function view */
    cr_assert_null(param_source("import django\ndef view(x, request):\n    pass\n", "request", NULL));
    /* no django import: not a view */
    cr_assert_null(param_source("def view(request):\n    pass\n", "request", NULL));
    cr_assert_str_eq(param_source("from django.views import View\nclass V(View):\n"
                                  "    def post(self, request):\n        pass\n",
                                  "request", NULL),
                     "django request");
    /* self is never a source */
    cr_assert_null(param_source("from django.views import View\nclass V(View):\n"
                                "    def post(request):\n        pass\n",
                                "request", NULL));
}

Test(srcmodel, user_parameter_sources)
{
    /* frameworks no built-in source file knows, so that the user's entries decide */
    const char *rpc = "{\"kind\": \"sources\", \"name\": \"g\", \"description\": \"d\",\n"
                      " \"parameters\": [{\"what\": \"acme RPC request\", \"class_base\": [\"*_acme_rpc.*Handler\"],\n"
                      "   \"index\": [0], \"scope\": \"method\"}]}";
    cr_assert_str_eq(param_source("import hello_acme_rpc as g\nclass S(g.GreeterHandler):\n"
                                  "    def Say(self, request, context):\n        pass\n",
                                  "request", rpc),
                     "acme RPC request");
    cr_assert_null(param_source("import hello_acme_rpc as g\nclass S(g.GreeterHandler):\n"
                                "    def Say(self, request, context):\n        pass\n",
                                "context", rpc));
    const char *serve = "{\"kind\": \"sources\", \"name\": \"r\", \"description\": \"d\",\n"
                        " \"parameters\": [{\"what\": \"endpoint request\", \"class_decorator\": [\"acme.serve.endpoint\"],\n"
                        "   \"function\": [\"__call__\"]}]}";
    cr_assert_str_eq(param_source("from acme import serve\n@serve.endpoint(replicas=2)\nclass M:\n"
                                  "    async def __call__(self, req):\n        pass\n",
                                  "req", serve),
                     "endpoint request");
    cr_assert_null(param_source("from acme import serve\n@serve.endpoint\nclass M:\n"
                                "    def other(self, req):\n        pass\n",
                                "req", serve));
}

Test(srcmodel, prefilter_view)
{
    LLSourceModel m;
    LLError err;
    cr_assert_eq(load(&m, "{\"kind\": \"sources\", \"name\": \"x\", \"description\": \"d\",\n"
                          " \"sources\": [\"sys.argv\"],\n"
                          " \"parameters\": [{\"what\": \"w\", \"class_base\": [\"*_pb2_grpc.*Servicer\"]},\n"
                          "                 {\"what\": \"w\", \"decorator\": [\"flask.*.route\"]},\n"
                          "                 {\"what\": \"w\", \"param\": [\"event\"], \"function\": [\"*handler\"]}]}",
                      &err),
                 LL_OK, "%s", err.msg);
    LLSourcePrefilter pf;
    ll_srcmodel_prefilter(&m, &pf);
    cr_assert(ll_strlist_has(&pf.names, "sys.argv"));
    cr_assert(ll_strlist_has(&pf.names, "flask"));
    cr_assert(ll_strlist_has(&pf.literals, "_pb2_grpc."));
    /* the function glob has no whole identifier: its literal run */
    cr_assert(ll_strlist_has(&pf.literals, "handler"));
    cr_assert(ll_sources_literal_in(&pf.literals, "class S(x_pb2_grpc.S", 20));
    cr_assert(!ll_sources_literal_in(&pf.literals, "class S(x_pb2.Servic", 20));
    ll_srcmodel_prefilter_free(&pf);
    ll_srcmodel_free(&m);
}
