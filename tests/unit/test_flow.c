/* test_flow.c - provenance of a sink argument (engine/flow.h). */
#include "helpers.h"

#include "engine/flow.h"
#include "engine/sources.h"

#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

typedef struct FlowCase {
    LTDoc doc;
    LLFlow flow;
    LLFlowResult res;
    TSNode arg;
} FlowCase;

/* Provenance of the first argument of the (first) call `sink(...)`. */
static void flow_of(FlowCase *c, const char *code)
{
    lt_doc_open(&c->doc, code, NULL);
    TSNode call = lt_call_named(&c->doc, "sink");
    cr_assert(!ts_node_is_null(call), "no sink(...) call in the snippet");
    TSNode args = ll_syntax_field(&c->doc.syn, call, LL_F_ARGUMENTS);
    cr_assert(!ts_node_is_null(args));
    c->arg = ts_node_named_child(args, 0);
    cr_assert(!ts_node_is_null(c->arg), "sink() has no argument");
    ll_flow_init(&c->flow, &c->doc.rules->sources);
    ll_flow_provenance(&c->flow, &c->doc.sem, c->arg, lt_scope_of(&c->doc, call), &c->res);
}

static void flow_close(FlowCase *c)
{
    ll_flow_release(&c->flow);
    lt_doc_close(&c->doc);
}

/* Asserts the source text of step i. */
static void assert_step(FlowCase *c, uint32_t i, const char *text, const char *what)
{
    cr_assert_lt(i, c->res.path.nsteps);
    char *t = lt_text(&c->doc, c->res.path.steps[i].node);
    cr_assert_str_eq(t, text, "step %u is \"%s\", expected \"%s\"", i, t, text);
    free(t);
    if (what)
        cr_assert_str_eq(c->res.path.steps[i].what, what, "step %u", i);
    else
        cr_assert_null(c->res.path.steps[i].what, "step %u: %s", i, c->res.path.steps[i].what);
}

Test(flow, string_literal_is_constant)
{
    FlowCase c;
    flow_of(&c, "sink(\"model.pkl\")\n");
    cr_assert_eq(c.res.prov, LL_PROV_CONSTANT);
    cr_assert_eq(c.res.path.nsteps, 0);
    cr_assert_null(c.res.source_name);
    flow_close(&c);
}

Test(flow, path_join_of_literals_is_constant)
{
    FlowCase c;
    flow_of(&c, "import os\nsink(os.path.join(\"a\", \"b\"))\n");
    cr_assert_eq(c.res.prov, LL_PROV_CONSTANT);
    flow_close(&c);
}

Test(flow, fstring_of_constants_is_constant)
{
    FlowCase c;
    flow_of(&c, "NAME = \"resnet\"\nsink(f\"/models/{NAME}-{1}.pkl\")\n");
    cr_assert_eq(c.res.prov, LL_PROV_CONSTANT);
    flow_close(&c);
}

Test(flow, parameter_is_unknown)
{
    FlowCase c;
    flow_of(&c, "def load(path):\n    return sink(path)\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNKNOWN);
    cr_assert_eq(c.res.path.nsteps, 0);
    flow_close(&c);
}

Test(flow, constant_mixed_with_unknown_is_unknown)
{
    FlowCase c;
    flow_of(&c, "import os\ndef load(name):\n    sink(os.path.join(\"/models\", name + \".pkl\"))\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNKNOWN);
    flow_close(&c);
}

Test(flow, sys_argv_is_untrusted)
{
    FlowCase c;
    flow_of(&c, "import sys\nsink(sys.argv[1])\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "sys.argv");
    char *src = lt_text(&c.doc, c.res.source);
    cr_assert_str_eq(src, "sys.argv");
    free(src);
    cr_assert_eq(c.res.path.nsteps, 2);
    assert_step(&c, 0, "sys.argv", "indexed");
    assert_step(&c, 1, "sys.argv[1]", NULL);
    flow_close(&c);
}

Test(flow, path_through_assignments_and_calls)
{
    FlowCase c;
    flow_of(&c,
            "import os, sys\n"
            "p = sys.argv[1]\n"
            "q = os.path.join(d, p)\n"
            "sink(open(q, \"rb\"))\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "sys.argv");
    cr_assert_eq(c.res.path.nsteps, 6);
    assert_step(&c, 0, "sys.argv", "indexed");
    assert_step(&c, 1, "sys.argv[1]", "assigned to p");
    assert_step(&c, 2, "p", "passed through os.path.join()");
    assert_step(&c, 3, "os.path.join(d, p)", "assigned to q");
    assert_step(&c, 4, "q", "passed through open()");
    assert_step(&c, 5, "open(q, \"rb\")", NULL);
    flow_close(&c);
}

Test(flow, input_is_untrusted)
{
    FlowCase c;
    flow_of(&c, "sink(input())\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "input()");
    cr_assert_eq(c.res.path.nsteps, 1);
    flow_close(&c);
}

Test(flow, requests_content_is_untrusted)
{
    FlowCase c;
    flow_of(&c, "import requests\nsink(requests.get(u).content)\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "requests.get().content");
    flow_close(&c);
}

Test(flow, flask_request_through_bytesio)
{
    FlowCase c;
    flow_of(&c, "import io\nfrom flask import request\nsink(io.BytesIO(request.data))\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "flask.request.data");
    cr_assert_eq(c.res.path.nsteps, 2);
    assert_step(&c, 0, "request.data", "passed through io.BytesIO()");
    assert_step(&c, 1, "io.BytesIO(request.data)", NULL);
    flow_close(&c);
}

Test(flow, with_target_and_read_method)
{
    FlowCase c;
    flow_of(&c,
            "import os\n"
            "def main():\n"
            "    with open(os.environ[\"MODEL\"], \"rb\") as fh:\n"
            "        sink(fh.read())\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "os.environ");
    flow_close(&c);
}

Test(flow, conditional_takes_the_worst_branch)
{
    FlowCase c;
    flow_of(&c, "x = \"a.pkl\" if c else input()\nsink(x)\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "input()");
    flow_close(&c);
}

Test(flow, cycle_terminates_unknown)
{
    FlowCase c;
    flow_of(&c, "a = b\nb = a\nsink(a)\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNKNOWN);
    cr_assert_eq(c.res.path.nsteps, 0);
    flow_close(&c);
}

Test(flow, self_referencing_loop_terminates)
{
    FlowCase c;
    flow_of(&c,
            "def f(n):\n"
            "    a = \"x\"\n"
            "    while n:\n"
            "        a = a + a\n"
            "        a += a\n"
            "    sink(a)\n");
    cr_assert_eq(c.res.prov, LL_PROV_CONSTANT);
    flow_close(&c);
}

Test(flow, sources_table)
{
    LLRuleset *rs = lt_builtin_rules();
    const LLSourceModel *m = &rs->sources;
    cr_assert_str_eq(ll_sources_match(m, "sys.argv"), "sys.argv");
    cr_assert_str_eq(ll_sources_match(m, "flask.request.files"), "flask.request");
    cr_assert_str_eq(ll_sources_match(m, "requests.get().json"), "requests.get()");
    cr_assert_str_eq(ll_sources_match(m, "os.getenv()"), "os.getenv");
    cr_assert_null(ll_sources_match(m, "sys.argvx"));
    cr_assert_null(ll_sources_match(m, "requests.getx()"));
    cr_assert_null(ll_sources_match(m, "flask.requests"));
    cr_assert(ll_sources_is_propagator(m, "os.path.join"));
    cr_assert(ll_sources_is_propagator(m, "open"));
    cr_assert(!ll_sources_is_propagator(m, "os.path"));
    cr_assert(ll_sources_is_propagating_method(m, "read", 4));
    cr_assert(!ll_sources_is_propagating_method(m, "reader", 6));
    cr_assert(!ll_sources_is_propagating_method(m, "rea", 3));
    ll_ruleset_free(rs);
}

/* Regression (fixed): in a comprehension the element expression comes before the
 * `for ... in` clause in the text, but the clause binds its target from the
 * end of the iterable (src/engine/resolve.c:485-487, pos =
 * ts_node_end_byte(right)). ll_resolve_lookup at `a` in `sink(a)` thus sees
 * no binding and the flow answers UNKNOWN instead of UNTRUSTED, so
 * `[pickle.loads(b) for b in sys.argv[1:]]` is graded as a warning, not an
 * error. Fix: for LL_K_FOR_IN_CLAUSE bind at the start of the enclosing
 * comprehension (together with giving comprehensions their own scope, see
 * resolve/comprehension_variable_does_not_leak). */
Test(flow, comprehension_variable_reaches_element)
{
    FlowCase c;
    flow_of(&c, "import sys\nout = [sink(a) for a in sys.argv[1:]]\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "sys.argv");
    flow_close(&c);
}

Test(flow, for_loop_variable)
{
    FlowCase c;
    flow_of(&c, "import sys\nfor a in sys.argv[1:]:\n    sink(a)\n");
    cr_assert_eq(c.res.prov, LL_PROV_UNTRUSTED);
    cr_assert_str_eq(c.res.source_name, "sys.argv");
    flow_close(&c);
}
