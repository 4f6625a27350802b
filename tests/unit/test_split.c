/* Parsing less (split.h): the scan's identifiers are the pre-filter's, the
 * plan keeps every definition a finding can need, and a tree parsed from
 * the plan's ranges holds the same statements as the whole file's. */
#include "base/nameset.h"
#include "base/strlist.h"
#include "base/strmap.h"
#include "engine/split.h"
#include "engine/syntax.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The scan's identifier set is ll_identset_build's, slot for slot. */
static void check_ids(const char *text)
{
    LLSplit sp;
    ll_split_init(&sp);
    LLIdentSet a, b;
    ll_identset_init(&a);
    ll_identset_init(&b);
    ll_identset_build(&a, text, strlen(text), "pkg.mod");
    ll_split_scan(&sp, text, strlen(text), "pkg.mod", &b);
    cr_assert_eq(a.count, b.count, "%zu identifiers against %zu in:\n%s", b.count, a.count, text);
    for (size_t i = 0; i < a.cap; i++)
        if (a.slots[i])
            cr_assert(ll_identset_has(&b, a.slots[i]), "an identifier is missing in:\n%s", text);
    ll_identset_release(&a);
    ll_identset_release(&b);
    ll_split_release(&sp);
}

Test(split, identifiers_are_the_prefilters)
{
    check_ids("import pickle\nx = 12ab + 0x1F\n# a comment naming torch.load\n");
    check_ids("s = r'raw\\nname' + b\"by\\\"tes\" + rb'x' + f'{pickle.loads(b)}'\n");
    check_ids("def f():\n    '''doc naming yaml.load\n    over lines'''\n    return f\"\"\"{dill.loads(x)}\"\"\"\n");
    check_ids("x = 'unterminated\ny = \"also\r\nz = '''never closed\nw = 1\n");
    check_ids("a = (1,\n     loads)\\\n    + dumps\r\ndonn\xc3\xa9" "es = 1\rq = 2\n");
    check_ids("@decorator(arg)\nasync def handler(request):\n    return request.args\n");
    check_ids("");
    check_ids("\\");
    check_ids("'");
    check_ids("f'''{x}");
    check_ids("x = 'a\\\r\nb' + name\n\fdef g():\n    return 1\n");
}

/* A name set holding `names` (NULL-terminated). */
static void names_init(LLNameSet *ns, const char *const *names)
{
    ll_nameset_init(ns);
    for (; *names; names++)
        ll_nameset_add(ns, *names);
}

typedef struct Planned {
    LLSplit sp;
    LLIdentSet ids;
    LLNameSet rules;
    bool planned;
    const char *text;
} Planned;

/* Scans and plans `text` with `rule_names` as the first name set and the
 * rest of `names` (literals, keywords...) as given. */
static void plan_with(Planned *p, const char *text, const char *const *rule_names,
                      LLSplitNames names)
{
    ll_split_init(&p->sp);
    p->sp.min_skip_bytes = 1;
    ll_identset_init(&p->ids);
    names_init(&p->rules, rule_names);
    p->text = text;
    ll_split_scan(&p->sp, text, strlen(text), "pkg.mod", &p->ids);
    names.sets[0] = &p->rules;
    p->planned = ll_split_plan(&p->sp, text, strlen(text), &p->ids, &names);
}

static void plan(Planned *p, const char *text, const char *const *rule_names)
{
    plan_with(p, text, rule_names, (LLSplitNames){0});
}

static void planned_release(Planned *p)
{
    ll_split_release(&p->sp);
    ll_identset_release(&p->ids);
    ll_nameset_release(&p->rules);
}

/* Whether the line starting with `line` (its first occurrence) is parsed. */
static bool parsed(const Planned *p, const char *line)
{
    const char *at = strstr(p->text, line);
    cr_assert(at, "no line %s", line);
    uint32_t off = (uint32_t)(at - p->text);
    if (!p->planned)
        return true;
    for (size_t i = 0; i < p->sp.ranges.len; i++)
        if (off >= p->sp.ranges.items[i].start_byte && off < p->sp.ranges.items[i].end_byte)
            return true;
    return false;
}

static const char *const k_rules[] = {"pickle.loads", "torch.load", NULL};

static const char k_module[] =
    "import pickle\n"
    "import torch\n"
    "L = pickle.loads\n"
    "\n"
    "def unrelated(x):\n"
    "    '''Docs may name pickle.loads: no reason to parse.'''\n"
    "    return x + 1  # nor may comments: torch.load\n"
    "\n"
    "def default_path():\n"
    "    return '/models/m.pkl'\n"
    "\n"
    "def through_alias(blob):\n"
    "    return L(blob)\n"
    "\n"
    "def caller(b):\n"
    "    return through_alias(b)\n"
    "\n"
    "def loads_default():\n"
    "    with open(default_path(), 'rb') as f:\n"
    "        return torch.load(f)\n"
    "\n"
    "def setup():\n"
    "    global L2\n"
    "    L2 = unrelated\n"
    "\n"
    "class Base:\n"
    "    def run(self):\n"
    "        return pickle.loads(self.data)\n"
    "\n"
    "class Child(Base):\n"
    "    pass\n"
    "\n"
    "class Other:\n"
    "    def method(self):\n"
    "        return 2\n"
    "\n"
    "def annotated(x: 'Other'):\n"
    "    return x\n"
    "\n"
    "@decorate\n"
    "async def handler(a):\n"
    "    return a\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    caller(b'')\n";

Test(split, plan_keeps_what_a_finding_needs)
{
    Planned p;
    plan(&p, k_module, k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "import pickle"), "module-level statements are parsed");
    cr_assert(parsed(&p, "L = pickle.loads"));
    cr_assert(parsed(&p, "def through_alias"), "it calls a module-level alias of a loader");
    cr_assert(parsed(&p, "def caller"), "it calls a relevant definition");
    cr_assert(parsed(&p, "def loads_default"), "it names a rule's last segment");
    cr_assert(parsed(&p, "def default_path"), "a parsed definition calls it (its value grades)");
    cr_assert(parsed(&p, "def setup"), "it binds a module name (global)");
    cr_assert(parsed(&p, "def unrelated"), "a parsed definition (setup) names it");
    cr_assert(parsed(&p, "class Base"));
    cr_assert(parsed(&p, "class Child"), "it names a relevant class");
    cr_assert(!parsed(&p, "class Other"), "nothing parsed names it");
    cr_assert(!parsed(&p, "def annotated"));
    cr_assert(!parsed(&p, "@decorate"), "decorators go with their definition");
    cr_assert(!parsed(&p, "async def handler"));
    cr_assert(parsed(&p, "if __name__"));
    cr_assert_gt(p.sp.skipped_bytes, 0);
    planned_release(&p);
}

Test(split, a_string_annotation_keeps_its_class)
{
    Planned p;
    plan(&p,
         "import pickle\n\nclass Payload:\n    pass\n\n"
         "def use(x: 'Payload'):\n    return pickle.loads(x)\n\n"
         "def other():\n    return 1\n",
         k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "class Payload"));
    cr_assert(!parsed(&p, "def other"));
    planned_release(&p);
}

Test(split, nothing_to_leave_out_or_unclear_structure)
{
    Planned p;
    plan(&p, "import pickle\n\ndef f(b):\n    return pickle.loads(b)\n", k_rules);
    cr_assert(!p.planned, "every definition is needed");
    planned_release(&p);
    plan(&p, "    x = 1\ndef f():\n    return 2\n", k_rules);
    cr_assert(!p.planned, "an indented first statement");
    planned_release(&p);
    plan(&p, "import pickle\nx = (1,\ndef f():\n    return 2\n", k_rules);
    cr_assert(!p.planned, "an unclosed bracket");
    planned_release(&p);
    plan(&p, "import pickle\n@decorator\nx = 1\ndef f():\n    return 2\n", k_rules);
    cr_assert(!p.planned, "a decorator of nothing");
    planned_release(&p);
    plan(&p, "import os\n\ndef f():\n    return 2\n", k_rules);
    cr_assert(p.planned, "no rule name: every definition can go");
    cr_assert(!parsed(&p, "def f"));
    planned_release(&p);
}

/* A form feed resets the indentation (Python and the grammar agree): a
 * definition after one is a unit of its own. */
Test(split, a_form_feed_starts_at_the_margin)
{
    static const char *const rules[] = {"os.sep", NULL};
    Planned p;
    plan(&p, "import os\n\ndef f():\n    return 1\n\f\fdef g():\n    return os.sep\n", rules);
    cr_assert(p.planned);
    cr_assert(!parsed(&p, "def f"));
    cr_assert(parsed(&p, "def g"));
    planned_release(&p);
}

/* The plan's rows and columns are the parser's, whatever the line ends. */
Test(split, positions_with_every_line_end)
{
    const char *texts[] = {
        "import os\n\ndef f():\n    return 2\n\ndef g():\n    return os.sep\n",
        "import os\r\n\r\ndef f():\r\n    return 2\r\n\r\ndef g():\r\n    return os.sep\r\n",
        "import os\r\rdef f():\r    return 2\r\rdef g():\r    return os.sep\r",
    };
    static const char *const rules[] = {"os.sep", NULL};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        Planned p;
        plan(&p, texts[t], rules);
        cr_assert(p.planned);
        for (size_t i = 0; i < p.sp.ranges.len; i++) {
            const TSRange *r = &p.sp.ranges.items[i];
            uint32_t row = 0, col = 0;
            for (uint32_t k = 0; k < r->start_byte; k++) {
                char c = texts[t][k];
                if (c == '\n' || (c == '\r' && texts[t][k + 1] != '\n')) {
                    row++;
                    col = 0;
                } else {
                    col++;
                }
            }
            cr_assert_eq(r->start_point.row, row, "text %zu range %zu", t, i);
            cr_assert_eq(r->start_point.column, col, "text %zu range %zu", t, i);
        }
        cr_assert(!parsed(&p, "def f"));
        cr_assert(parsed(&p, "def g"));
        planned_release(&p);
    }
}

/* The class body of a statement (a class, or a decorated one), or a null node. */
static TSNode class_body(TSNode n)
{
    if (strcmp(ts_node_type(n), "decorated_definition") == 0)
        n = ts_node_child_by_field_name(n, "definition", 10);
    TSNode none = {0};
    if (ts_node_is_null(n) || strcmp(ts_node_type(n), "class_definition") != 0)
        return none;
    return ts_node_child_by_field_name(n, "body", 4);
}

/* Statement pc of a partial tree is the whole tree's wc, node for node, at
 * the same offsets and positions; or, a class parsed in part, each of its
 * statements is one of wc's. */
static void same_or_part(TSNode wc, TSNode pc)
{
    char *a = ts_node_string(wc), *b = ts_node_string(pc);
    cr_assert_eq(ts_node_start_point(wc).row, ts_node_start_point(pc).row);
    cr_assert_eq(ts_node_start_point(wc).column, ts_node_start_point(pc).column);
    if (strcmp(a, b) == 0) {
        cr_assert_eq(ts_node_end_byte(wc), ts_node_end_byte(pc));
    } else {
        TSNode wb = class_body(wc), pb = class_body(pc);
        cr_assert(!ts_node_is_null(wb) && !ts_node_is_null(pb), "%s\nis not\n%s", b, a);
        cr_assert_lt(ts_node_named_child_count(pb), ts_node_named_child_count(wb));
        for (uint32_t i = 0; i < ts_node_named_child_count(pb); i++) {
            TSNode pm = ts_node_named_child(pb, i);
            bool found = false;
            for (uint32_t j = 0; j < ts_node_named_child_count(wb) && !found; j++) {
                TSNode wm = ts_node_named_child(wb, j);
                if (ts_node_start_byte(wm) != ts_node_start_byte(pm))
                    continue;
                found = true;
                same_or_part(wm, pm);
            }
            cr_assert(found, "member %u of a partial class is not in the whole one", i);
        }
    }
    free(a);
    free(b);
}

/* A tree parsed from the plan holds the whole file's statements, node for
 * node, at the same offsets and positions. */
static void check_partial(const char *text, const char *const *rules)
{
    Planned p;
    plan(&p, text, rules);
    cr_assert(p.planned, "no plan for:\n%s", text);
    LLSyntax syn;
    cr_assert_eq(ll_syntax_init(&syn, ll_syntax_python()), 0);
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, syn.language);
    TSTree *whole = ts_parser_parse_string(parser, NULL, text, (uint32_t)strlen(text));
    ts_parser_set_language(parser, syn.language);
    cr_assert(ts_parser_set_included_ranges(parser, p.sp.ranges.items, (uint32_t)p.sp.ranges.len));
    TSTree *part = ts_parser_parse_string(parser, NULL, text, (uint32_t)strlen(text));
    TSNode wr = ts_tree_root_node(whole), pr = ts_tree_root_node(part);
    cr_assert(!ts_node_has_error(wr));
    cr_assert(!ts_node_has_error(pr));
    uint32_t kept = 0;
    for (uint32_t i = 0; i < ts_node_named_child_count(pr); i++) {
        TSNode pc = ts_node_named_child(pr, i);
        bool found = false;
        for (uint32_t j = 0; j < ts_node_named_child_count(wr) && !found; j++) {
            TSNode wc = ts_node_named_child(wr, j);
            if (ts_node_start_byte(wc) != ts_node_start_byte(pc))
                continue;
            found = true;
            same_or_part(wc, pc);
        }
        cr_assert(found, "statement %u of the partial tree is not in the whole one", i);
        kept++;
    }
    cr_assert(kept < ts_node_named_child_count(wr) || p.sp.skipped_bytes, "something was left out");
    ts_tree_delete(whole);
    ts_tree_delete(part);
    ts_parser_delete(parser);
    ll_syntax_release(&syn);
    planned_release(&p);
}

Test(split, a_partial_tree_is_the_whole_trees_part)
{
    static const char *const rules[] = {"os.sep", NULL};
    check_partial(k_module, k_rules);
    check_partial("import os\n\ndef f():\n    return 1\n\f\fdef g():\n    return os.sep\n", rules);
    check_partial("import os\r\n\r\nclass A:\r\n    x = 1\r\n\r\n@d\r\ndef f():\r\n"
                  "    return '''a\r\nb'''\r\n\r\nif os:\r\n    y = os.sep\r\nelse:\r\n    y = 2\r\n",
                  rules);
}

/* A definition that says global binds those module names: when it is
 * relevant, so are the definitions that use them; its other names bind
 * nothing at module level. */
Test(split, global_names_and_only_them)
{
    Planned p;
    plan(&p,
         "import pickle\n\nLOADER = None\n\n"
         "def init(self_like):\n    global LOADER\n    LOADER = pickle.loads\n    helper = 1\n\n"
         "def use(b):\n    return LOADER(b)\n\n"
         "def other(helper, self_like):\n    return helper\n",
         k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "def init"), "a def that says global is always parsed");
    cr_assert(parsed(&p, "def use"), "it calls what init binds");
    cr_assert(!parsed(&p, "def other"), "init's locals and parameters bind nothing here");
    planned_release(&p);
}

/* A class is planned member by member: its shell (header, statements that
 * are not definitions) and the methods that can matter. */
static const char k_classes[] =
    "import pickle\n"
    "\n"
    "class Store:\n"
    "    '''Docs naming pickle.loads do not count.'''\n"
    "    kind = 'store'\n"
    "\n"
    "    def __init__(self, root):\n"
    "        self.root = root\n"
    "        self.decoder = pickle.loads\n"
    "\n"
    "    def read(self, key):\n"
    "        return self.decoder(self.fetch(key))\n"
    "\n"
    "    def fetch(self, key):\n"
    "        return open(self.path_of(key), 'rb').read()\n"
    "\n"
    "    def path_of(self, key):\n"
    "        return self.root + key\n"
    "\n"
    "    @property\n"
    "    def size(self):\n"
    "        return 3\n"
    "\n"
    "    def unrelated(self):\n"
    "        self.counter = 0\n"
    "        return self.kind\n"
    "\n"
    "class Named:\n"
    "    def first(self):\n"
    "        return 1\n"
    "\n"
    "    def second(self):\n"
    "        return 2\n"
    "\n"
    "class Plain:\n"
    "    def a_long_method_nobody_calls(self):\n"
    "        return 'a' * 100\n"
    "\n"
    "    def short(self):\n"
    "        return 0\n"
    "\n"
    "def use():\n"
    "    return Store('/data').read('k') + Named().second() + Plain()\n";

Test(split, methods_that_can_matter)
{
    Planned p;
    plan(&p, k_classes, k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "class Store"), "the shell is parsed");
    cr_assert(parsed(&p, "    kind = 'store'"));
    cr_assert(parsed(&p, "    def __init__"), "it names a rule's last segment");
    cr_assert(parsed(&p, "    def read"), "it reads an attribute a relevant method assigns");
    cr_assert(parsed(&p, "    def fetch"), "a parsed method calls it");
    cr_assert(parsed(&p, "    def path_of"), "transitively");
    cr_assert(!parsed(&p, "    @property"), "decorators go with their method");
    cr_assert(!parsed(&p, "    def unrelated"));
    cr_assert(parsed(&p, "class Named"), "a parsed definition names it");
    cr_assert(parsed(&p, "    def second"), "by name: Named().second()");
    cr_assert(!parsed(&p, "    def first"));
    cr_assert(parsed(&p, "class Plain"));
    cr_assert(parsed(&p, "    def short"), "a class keeps a body: its shortest member");
    cr_assert(!parsed(&p, "    def a_long_method_nobody_calls"));
    planned_release(&p);
    check_partial(k_classes, k_rules);
}

Test(split, classes_whole_or_by_member)
{
    Planned p;
    plan(&p,
         "import pickle\n\nclass Codec:\n    decode = pickle.loads\n\n    def other(self):\n"
         "        return 1\n\n    def use(self, b):\n        return self.decode(b)\n\n"
         "def unused():\n    return 2\n",
         k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "    decode = "), "the shell is always parsed");
    cr_assert(parsed(&p, "    def use"), "what a relevant statement of the shell binds is a seed");
    cr_assert(!parsed(&p, "    def other"));
    planned_release(&p);
    plan(&p,
         "import pickle\n\nclass Tabs:\n\tdef a(self):\n\t\treturn pickle.loads(b'')\n\n"
         "\tdef b(self):\n\t\treturn 1\n\ndef unused():\n    return 2\n",
         k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "\tdef b"), "tabs: members are not told apart");
    cr_assert(!parsed(&p, "def unused"));
    planned_release(&p);
    plan(&p,
         "import pickle\n\nclass Sub(Base):\n    def a(self):\n        return 1\n\n"
         "class Base:\n    def b(self):\n        return pickle.loads(b'')\n\n"
         "    def c(self):\n        return 3\n",
         k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "    def a"), "a subclass of a relevant class is whole");
    cr_assert(!parsed(&p, "    def c"));
    planned_release(&p);
}

/* The names a relevant module-level statement makes seeds: what it binds,
 * not every name it holds; and prose strings hold no names. */
Test(split, what_a_statement_binds)
{
    Planned p;
    plan(&p,
         "import pickle\nfrom pickle import loads as L, dumps\nfrom other import helper, loads\n"
         "if __name__ == '__main__':\n    loads(b'')\n"
         "DOC = '''\n    pickle.loads(b)\n'''\nNAME = 'loads'\n\n"
         "def via_alias(b):\n    return L(b)\n\n"
         "def via_dumps():\n    return dumps\n\n"
         "def via_helper():\n    return helper\n\n"
         "def via_name():\n    return __name__\n\n"
         "def via_doc():\n    return DOC\n\n"
         "def via_string():\n    return NAME\n",
         k_rules);
    cr_assert(p.planned);
    cr_assert(parsed(&p, "def via_alias"), "import x as L: L, x a seed");
    cr_assert(!parsed(&p, "def via_dumps"), "an imported name is its own");
    cr_assert(!parsed(&p, "def via_helper"));
    cr_assert(!parsed(&p, "def via_name"), "a comparison binds nothing");
    cr_assert(!parsed(&p, "def via_doc"), "a string of lines is prose");
    cr_assert(parsed(&p, "def via_string"), "a string spelling a name may be one (getattr)");
    planned_release(&p);
}

/* A definition (or a method) holding a source's substring is relevant,
 * wherever the substring is (sources.h literals: parts of glob patterns). */
Test(split, source_substrings)
{
    static const char text[] =
        "import os\n\n"
        "def first():\n    return 1\n\n"
        "def servicer_user(x):\n    return x.MyServicer_pb2_grpc\n\n"
        "class Handler:\n    def a(self):\n        return 1\n\n"
        "    def b(self):\n        return 'svc_pb2_grpc'\n\n"
        "def last():\n    return 2\n";
    static const char *const rules[] = {"os.sep", NULL};
    Planned p;
    LLStrList literals = {0};
    ll_strlist_push(&literals, "_pb2_grpc");
    plan_with(&p, text, rules, (LLSplitNames){.literals = &literals});
    cr_assert(p.planned);
    cr_assert(!parsed(&p, "def first"));
    cr_assert(parsed(&p, "def servicer_user"));
    cr_assert(parsed(&p, "class Handler"));
    cr_assert(parsed(&p, "    def b"), "the method holding it");
    cr_assert(!parsed(&p, "    def a"));
    cr_assert(!parsed(&p, "def last"));
    ll_strlist_free(&literals);
    planned_release(&p);
}

/* A rule's name may end with the keywords its test needs written at the
 * call ("mylib.open_model.unsafe": the pre-filter wants `unsafe` in the
 * file): a keyword counts spelled as a keyword argument, where the last
 * segment of a dotted name counts only as an attribute, a string's word
 * or in an import (not a local `open_model`). */
Test(split, keywords_and_dotted_names)
{
    static const char text[] =
        "import mylib\n\n"
        "def local_name(open_model):\n    return open_model\n\n"
        "def by_keyword(m, p):\n    return m.open_model(p, unsafe=True)\n\n"
        "def last():\n    return 2\n";
    static const char *const rules[] = {"mylib.open_model.unsafe", NULL};
    Planned p;
    LLIdentSet keywords;
    ll_identset_init(&keywords);
    ll_identset_add(&keywords, ll_strmap_hash("unsafe", 6));
    plan_with(&p, text, rules, (LLSplitNames){.keywords = &keywords});
    cr_assert(p.planned);
    cr_assert(parsed(&p, "def by_keyword"), "the keyword, written at the call");
    cr_assert(!parsed(&p, "def local_name"), "a plain name is not a dotted name's last segment");
    cr_assert(!parsed(&p, "def last"));
    ll_identset_release(&keywords);
    planned_release(&p);
}
