/* realpath() and mkstemp() with fchmod() */
#define _XOPEN_SOURCE 700
#include "engine/fix.h"

#include "base/limits.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"
#include "engine/frontend.h"
#include "engine/value.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the site ------------------------------------------------------------------ */

typedef struct Ctx {
    const LLFixSite *site;
    const LLSemantic *sem;
    const LLSyntax *syn;
    const LLSource *src;
    TSNode call, fn, args; /* args: the argument_list, or null */
    const LLFixEnv *env;
} Ctx;

typedef struct Edits {
    LLFixEdit e[LL_MAX_FIX_EDITS];
    uint32_t n;
    char desc[LL_MAX_FIX_TEXT];
} Edits;

static LLKind kind_of(const Ctx *c, TSNode n)
{
    return ll_syntax_kind(c->syn, n);
}

static TSNode field_of(const Ctx *c, TSNode n, LLField f)
{
    return ll_syntax_field(c->syn, n, f);
}

static const char *text_of(const Ctx *c, TSNode n, size_t *len)
{
    return ll_node_text(c->src, n, len);
}

static bool text_is(const Ctx *c, TSNode n, const char *s)
{
    size_t len;
    const char *t = text_of(c, n, &len);
    return len == strlen(s) && memcmp(t, s, len) == 0;
}

/* A node's text for messages: whitespace runs as one space, at most 40
 * bytes (not cutting a UTF-8 sequence), "..." when cut. */
static void short_text(const Ctx *c, TSNode n, char *out, size_t outsz)
{
    size_t len, k = 0;
    const char *t = text_of(c, n, &len);
    bool space = false, cut = false;
    size_t limit = outsz > 44 ? 40 : outsz - 4;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
            space = k > 0;
            continue;
        }
        if (k + (space ? 1 : 0) >= limit && (ch & 0xC0) != 0x80) {
            cut = true;
            break;
        }
        if (space)
            out[k++] = ' ';
        space = false;
        out[k++] = (char)ch;
    }
    if (cut)
        memcpy(out + k, "...", 3), k += 3;
    out[k] = '\0';
}

static void edit_add(Edits *ed, uint32_t start, uint32_t end, const char *text, bool mergeable)
{
    if (ed->n >= LL_MAX_FIX_EDITS)
        return; /* never: each kind makes at most LL_MAX_FIX_EDITS */
    LLFixEdit *e = &ed->e[ed->n++];
    e->start = start;
    e->end = end;
    e->text = ll_xstrdup(text);
    e->mergeable = mergeable;
}

static void edits_clear(Edits *ed)
{
    for (uint32_t i = 0; i < ed->n; i++)
        free(ed->e[i].text);
    ed->n = 0;
}

static void set_why(char *why, size_t whysz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_why(char *why, size_t whysz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whysz, fmt, ap);
    va_end(ap);
}

/* ---- text around nodes ---------------------------------------------------------- */

static bool is_eol(char ch)
{
    return ch == '\n' || ch == '\r';
}

static uint32_t line_start(const LLSource *s, uint32_t off)
{
    while (off > 0 && !is_eol(s->text[off - 1]))
        off--;
    return off;
}

static uint32_t line_end(const LLSource *s, uint32_t off)
{
    while (off < s->len && !is_eol(s->text[off]))
        off++;
    return off;
}

static uint32_t eol_len(const LLSource *s, uint32_t at)
{
    if (at >= s->len)
        return 0;
    return s->text[at] == '\r' && at + 1 < s->len && s->text[at + 1] == '\n' ? 2 : 1;
}

static bool only_blank(const LLSource *s, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++)
        if (s->text[i] != ' ' && s->text[i] != '\t' && s->text[i] != '\f')
            return false;
    return true;
}

static bool starts_line(const LLSource *s, uint32_t off)
{
    return only_blank(s, line_start(s, off), off);
}

/* After an item ending at `end`: blanks, an optional ',', blanks, an
 * optional comment, then the end of the line. Sets *comma (its offset, or
 * UINT32_MAX) and *eol. False when anything else follows on the line. */
static bool tail_to_eol(const LLSource *s, uint32_t end, uint32_t *comma, uint32_t *eol)
{
    uint32_t i = end;
    *comma = UINT32_MAX;
    while (i < s->len && (s->text[i] == ' ' || s->text[i] == '\t' || s->text[i] == '\f'))
        i++;
    if (i < s->len && s->text[i] == ',') {
        *comma = i++;
        while (i < s->len && (s->text[i] == ' ' || s->text[i] == '\t' || s->text[i] == '\f'))
            i++;
    }
    if (i < s->len && s->text[i] == '#')
        i = line_end(s, i);
    if (i >= s->len || !is_eol(s->text[i]))
        return false;
    *eol = i;
    return true;
}

/* A backslash line continuation: an extra node of the grammar, which may
 * sit among arguments and names. */
static bool is_continuation(const Ctx *c, TSNode n)
{
    return kind_of(c, n) == LL_K_LINE_CONTINUATION;
}

/* The children of a list node (argument_list, import_from_statement) in
 * order, with what each is. */
typedef enum PartKind { PART_ITEM, PART_COMMA, PART_COMMENT, PART_OPEN, PART_CLOSE, PART_OTHER } PartKind;
typedef struct Part {
    PartKind kind;
    TSNode node;
} Part;
typedef LL_VEC(Part) Parts;

static void list_parts(const Ctx *c, TSNode list, Parts *out)
{
    out->len = 0;
    TSTreeCursor cur = ts_tree_cursor_new(list);
    for (bool more = ts_tree_cursor_goto_first_child(&cur); more;
         more = ts_tree_cursor_goto_next_sibling(&cur)) {
        TSNode ch = ts_tree_cursor_current_node(&cur);
        Part p = {PART_OTHER, ch};
        if (ts_node_is_named(ch)) {
            p.kind = kind_of(c, ch) == LL_K_COMMENT ? PART_COMMENT
                     : is_continuation(c, ch)       ? PART_OTHER
                                                    : PART_ITEM;
        } else {
            size_t len;
            const char *t = text_of(c, ch, &len);
            if (len == 1 && t[0] == ',')
                p.kind = PART_COMMA;
            else if (len == 1 && t[0] == '(')
                p.kind = PART_OPEN;
            else if (len == 1 && t[0] == ')')
                p.kind = PART_CLOSE;
        }
        LL_VEC_PUSH(out, p);
    }
    ts_tree_cursor_delete(&cur);
}

/* Inserts list item `item` after the last item of a list (its parts), or
 * right after `(` when it has none. One item per line (the last starts its
 * line and the closing parenthesis is on a later one): on a new line with
 * the last item's indentation and the file's line ending there; otherwise
 * ", item" right after the last item, before any trailing comma or
 * comment. */
static bool insert_item(const Ctx *c, const Parts *parts, const char *item, Edits *ed)
{
    const LLSource *s = c->src;
    const Part *last = NULL, *open = NULL, *close = NULL;
    for (size_t i = 0; i < parts->len; i++) {
        const Part *p = &parts->items[i];
        if (p->kind == PART_ITEM)
            last = p;
        else if (p->kind == PART_OPEN && !open)
            open = p;
        else if (p->kind == PART_CLOSE)
            close = p;
    }
    char buf[LL_MAX_QUALNAME + LL_MAX_FIX_VALUE + 64];
    if (!last) {
        if (!open)
            return false;
        uint32_t at = ts_node_end_byte(open->node);
        edit_add(ed, at, at, item, true);
        return true;
    }
    uint32_t ls = ts_node_start_byte(last->node), le = ts_node_end_byte(last->node);
    uint32_t comma, eol;
    if (close && starts_line(s, ls) && tail_to_eol(s, le, &comma, &eol) &&
        ts_node_start_byte(close->node) > eol) {
        uint32_t ind = line_start(s, ls);
        uint32_t el = eol_len(s, eol);
        if (comma == UINT32_MAX && only_blank(s, le, eol)) {
            /* no trailing comma: ",<eol><indent>item" right after the last
             * item (two such insertions still join: ",a" ",b") */
            snprintf(buf, sizeof buf, ",%.*s%.*s%s", (int)el, s->text + eol, (int)(ls - ind),
                     s->text + ind, item);
            edit_add(ed, le, le, buf, true);
            return true;
        }
        /* a trailing comma, or a comment after the last item: the new line
         * goes after the comment and ends with a comma */
        if (comma == UINT32_MAX)
            edit_add(ed, le, le, ",", true);
        snprintf(buf, sizeof buf, "%.*s%.*s%s,", (int)el, s->text + eol, (int)(ls - ind),
                 s->text + ind, item);
        edit_add(ed, eol, eol, buf, true);
        return true;
    }
    snprintf(buf, sizeof buf, ", %s", item);
    edit_add(ed, le, le, buf, true);
    return true;
}

/* ---- arguments ----------------------------------------------------------------- */

typedef enum ArgState { ARG_ABSENT, ARG_PRESENT, ARG_UNKNOWN, ARG_IN_SPLAT } ArgState;

typedef struct ArgLoc {
    ArgState state;
    TSNode value; /* PRESENT, IN_SPLAT: the value */
    TSNode kwarg; /* PRESENT by keyword: the keyword_argument */
} ArgLoc;

/* What `**x` says about keyword `kw`: 1 (its value in *val) when x is a
 * dict display or dict(...) call holding it, 0 when such a literal does not
 * hold it, -1 when x may hold anything. */
static int splat_holds(const Ctx *c, TSNode splat, const char *kw, TSNode *val)
{
    TSNode x = ts_node_named_child(splat, 0);
    if (ts_node_is_null(x))
        return -1;
    LLKind k = kind_of(c, x);
    if (k == LL_K_DICT) {
        uint32_t n = ts_node_named_child_count(x);
        for (uint32_t i = 0; i < n; i++) {
            TSNode p = ts_node_named_child(x, i);
            LLKind pk = kind_of(c, p);
            if (pk == LL_K_COMMENT || pk == LL_K_LINE_CONTINUATION)
                continue;
            if (pk != LL_K_PAIR)
                return -1;
            LLValue key;
            ll_value_of(c->sem, field_of(c, p, LL_F_KEY), c->site->scope, &key);
            if (key.kind != LL_VAL_STRING)
                return -1;
            if (key.len == strlen(kw) && memcmp(key.str, kw, key.len) == 0) {
                *val = field_of(c, p, LL_F_VALUE);
                return 1;
            }
        }
        return 0;
    }
    if (k == LL_K_CALL) {
        LLNames fn = {0};
        ll_resolve_expr(c->sem, field_of(c, x, LL_F_FUNCTION), c->site->scope, &fn);
        if (fn.n != 1 || strcmp(fn.name[0], "dict") != 0)
            return -1;
        TSNode args = field_of(c, x, LL_F_ARGUMENTS);
        uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
        for (uint32_t i = 0; i < n; i++) {
            TSNode a = ts_node_named_child(args, i);
            LLKind ak = kind_of(c, a);
            if (ak == LL_K_COMMENT || ak == LL_K_LINE_CONTINUATION)
                continue;
            if (ak != LL_K_KEYWORD_ARGUMENT)
                return -1;
            if (text_is(c, field_of(c, a, LL_F_NAME), kw)) {
                *val = field_of(c, a, LL_F_VALUE);
                return 1;
            }
        }
        return 0;
    }
    return -1;
}

/* Where argument `spec` is in the call (as match.c's find_arg reads a
 * call, but a `**name` is always "may hold anything" here: a fix must not
 * guess). */
static void locate(const Ctx *c, const LLArgSpec *spec, ArgLoc *out)
{
    memset(out, 0, sizeof *out);
    out->state = ARG_ABSENT;
    if (ts_node_is_null(c->args))
        return;
    if (kind_of(c, c->args) != LL_K_ARGUMENT_LIST) {
        /* f(x for x in y): one positional argument */
        if (spec->position == 0) {
            out->state = ARG_PRESENT;
            out->value = c->args;
        }
        return;
    }
    bool splat_pos = false, splat_kw = false;
    TSNode positional = {0};
    uint32_t idx = 0;
    TSTreeCursor cur = ts_tree_cursor_new(c->args);
    for (bool more = ts_tree_cursor_goto_first_child(&cur); more;
         more = ts_tree_cursor_goto_next_sibling(&cur)) {
        TSNode a = ts_tree_cursor_current_node(&cur);
        if (!ts_node_is_named(a))
            continue;
        LLKind k = kind_of(c, a);
        if (k == LL_K_KEYWORD_ARGUMENT) {
            if (spec->keyword && text_is(c, field_of(c, a, LL_F_NAME), spec->keyword)) {
                out->state = ARG_PRESENT;
                out->value = field_of(c, a, LL_F_VALUE);
                out->kwarg = a;
                ts_tree_cursor_delete(&cur);
                return;
            }
        } else if (k == LL_K_DICT_SPLAT) {
            TSNode val;
            int holds = spec->keyword ? splat_holds(c, a, spec->keyword, &val) : -1;
            if (holds == 1) {
                out->state = ARG_IN_SPLAT;
                out->value = val;
                ts_tree_cursor_delete(&cur);
                return;
            }
            if (holds < 0)
                splat_kw = true;
        } else if (k == LL_K_LIST_SPLAT) {
            if (ts_node_is_null(positional))
                splat_pos = true;
        } else if (k != LL_K_COMMENT && !is_continuation(c, a)) {
            if (!splat_pos && spec->position >= 0 && idx == (uint32_t)spec->position)
                positional = a;
            idx++;
        }
    }
    ts_tree_cursor_delete(&cur);
    if (!ts_node_is_null(positional)) {
        out->state = ARG_PRESENT;
        out->value = positional;
        return;
    }
    if (splat_kw || (splat_pos && spec->position >= 0))
        out->state = ARG_UNKNOWN;
}

static void arg_label(const LLArgSpec *spec, char *out, size_t outsz)
{
    if (spec->keyword)
        snprintf(out, outsz, "`%s`", spec->keyword);
    else
        snprintf(out, outsz, "argument %d", spec->position + 1);
}

/* A literal written in place: True, 3, -1.5, "s" (no f-string). */
static bool is_literal_node(const Ctx *c, TSNode v)
{
    LLKind k = kind_of(c, v);
    switch (k) {
    case LL_K_TRUE:
    case LL_K_FALSE:
    case LL_K_NONE:
    case LL_K_INTEGER:
    case LL_K_FLOAT:
        return true;
    case LL_K_UNARY_OP: {
        TSNode o = field_of(c, v, LL_F_ARGUMENT);
        return !ts_node_is_null(o) && (kind_of(c, o) == LL_K_INTEGER || kind_of(c, o) == LL_K_FLOAT);
    }
    case LL_K_STRING:
    case LL_K_CONCAT_STRING: {
        uint32_t ns = k == LL_K_STRING ? 1 : ts_node_named_child_count(v);
        for (uint32_t i = 0; i < ns; i++) {
            TSNode str = k == LL_K_STRING ? v : ts_node_named_child(v, i);
            if (kind_of(c, str) == LL_K_COMMENT || is_continuation(c, str))
                continue;
            if (kind_of(c, str) != LL_K_STRING)
                return false;
            uint32_t m = ts_node_named_child_count(str);
            for (uint32_t j = 0; j < m; j++)
                if (kind_of(c, ts_node_named_child(str, j)) == LL_K_INTERPOLATION)
                    return false;
        }
        return true;
    }
    default:
        return false;
    }
}

/* ---- conditions ---------------------------------------------------------------- */

static bool all_names_in(const LLNames *names, char *const *list, size_t n)
{
    if (!names->n)
        return false;
    for (uint32_t i = 0; i < names->n; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = strcmp(names->name[i], list[j]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* The call is, parentheses aside, the first positional argument of a call
 * whose function is one of `names` (every meaning) or a method in `methods`. */
static bool argument_of(const Ctx *c, const LLFixCond *k)
{
    TSNode n = c->call, p = ts_node_parent(n);
    while (!ts_node_is_null(p) && kind_of(c, p) == LL_K_PAREN_EXPR) {
        n = p;
        p = ts_node_parent(p);
    }
    if (ts_node_is_null(p) || kind_of(c, p) != LL_K_ARGUMENT_LIST)
        return false;
    uint32_t cnt = ts_node_named_child_count(p);
    for (uint32_t i = 0; i < cnt; i++) {
        TSNode a = ts_node_named_child(p, i);
        if (kind_of(c, a) == LL_K_COMMENT || is_continuation(c, a))
            continue;
        if (!ts_node_eq(a, n))
            return false;
        break;
    }
    TSNode outer = ts_node_parent(p);
    if (ts_node_is_null(outer) || kind_of(c, outer) != LL_K_CALL)
        return false;
    TSNode fn = field_of(c, outer, LL_F_FUNCTION);
    if (ts_node_is_null(fn))
        return false;
    if (k->methods.len && kind_of(c, fn) == LL_K_ATTRIBUTE) {
        size_t len;
        const char *t = text_of(c, field_of(c, fn, LL_F_ATTRIBUTE), &len);
        for (size_t i = 0; i < k->methods.len; i++)
            if (strlen(k->methods.items[i]) == len && memcmp(k->methods.items[i], t, len) == 0)
                return true;
    }
    if (k->names.len) {
        LLNames names = {0};
        ll_resolve_expr(c->sem, fn, c->site->scope, &names);
        return all_names_in(&names, k->names.items, k->names.len);
    }
    return false;
}

static bool eval_arg_cond(const Ctx *c, const LLPredicate *p, char *why, size_t whysz)
{
    ArgLoc loc;
    locate(c, &p->arg, &loc);
    char label[LL_MAX_QUALNAME];
    arg_label(&p->arg, label, sizeof label);
    if (loc.state == ARG_UNKNOWN) {
        set_why(why, whysz, "%s may be passed through *args or **kwargs", label);
        return false;
    }
    if (p->test == LL_TEST_ABSENT) {
        if (loc.state == ARG_ABSENT)
            return true;
        set_why(why, whysz, "%s is given", label);
        return false;
    }
    if (loc.state == ARG_ABSENT) {
        set_why(why, whysz, "%s is not given", label);
        return false;
    }
    if (p->test == LL_TEST_PRESENT)
        return true;
    char shown[64];
    short_text(c, loc.value, shown, sizeof shown);
    bool ok = false;
    if (p->test == LL_TEST_RESOLVES_TO) {
        LLNames names = {0};
        ll_resolve_expr(c->sem, loc.value, c->site->scope, &names);
        ok = all_names_in(&names, p->names, p->nnames);
        if (!ok)
            set_why(why, whysz, "%s is `%s`, not one of the names this fix replaces", label, shown);
        return ok;
    }
    LLValue v;
    ll_value_of(c->sem, loc.value, c->site->scope, &v);
    switch (p->test) {
    case LL_TEST_TRUE:
        ok = v.kind == LL_VAL_BOOL && v.num == 1;
        break;
    case LL_TEST_FALSE:
        ok = v.kind == LL_VAL_BOOL && v.num == 0;
        break;
    case LL_TEST_NONE:
        ok = v.kind == LL_VAL_NONE;
        break;
    case LL_TEST_TRUTHY:
        ok = v.kind != LL_VAL_UNKNOWN && v.truthy;
        break;
    case LL_TEST_FALSY:
        ok = v.kind != LL_VAL_UNKNOWN && !v.truthy;
        break;
    case LL_TEST_MATCHES:
        if (v.kind == LL_VAL_STRING) {
            pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->re, NULL);
            pcre2_match_context *mc = pcre2_match_context_create(NULL);
            pcre2_set_match_limit(mc, LL_PCRE2_MATCH_LIMIT);
            pcre2_set_depth_limit(mc, LL_PCRE2_DEPTH_LIMIT);
            ok = pcre2_match(p->re, (PCRE2_SPTR)v.str, v.len, 0, 0, md, mc) >= 0;
            pcre2_match_context_free(mc);
            pcre2_match_data_free(md);
        }
        break;
    default:
        break;
    }
    if (!ok) {
        if (v.kind == LL_VAL_UNKNOWN)
            set_why(why, whysz, "%s is `%s`, whose value is not known here", label, shown);
        else
            set_why(why, whysz, "%s is `%s`", label, shown);
    }
    return ok;
}

static bool eval_cond(const Ctx *c, const LLFixCond *k, char *why, size_t whysz)
{
    switch (k->kind) {
    case LL_FIXC_ARG:
        return eval_arg_cond(c, &k->pred, why, whysz);
    case LL_FIXC_CALLEE:
        if (c->site->callee && ll_strlist_has(&k->names, c->site->callee))
            return true;
        set_why(why, whysz, "the callee is %s", c->site->callee ? c->site->callee : "unknown");
        return false;
    case LL_FIXC_ARGUMENT_OF:
        if (argument_of(c, k))
            return true;
        set_why(why, whysz, "its result is not passed straight to %s%s",
                k->methods.len ? k->methods.items[0] : k->names.items[0], "()");
        return false;
    }
    return false;
}

/* ---- spelling a canonical name at a place ------------------------------------- */

static size_t parent_len(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot ? (size_t)(dot - s) : 0;
}

static uint32_t lookup(const Ctx *c, const char *name, size_t len, uint32_t pos,
                       const LLBinding **out)
{
    return ll_resolve_lookup(c->sem, name, len, c->site->scope, pos, out, LL_MAX_ALTERNATIVES);
}

static bool bindings_are_import_of(const LLBinding *const *bs, uint32_t n, const char *qual)
{
    if (!n)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (bs[i]->kind != LL_BIND_IMPORT || !bs[i]->qual || strcmp(bs[i]->qual, qual) != 0)
            return false;
    return true;
}

/* Whether identifier `name` is bound anywhere in the file. */
static bool bound_anywhere(const Ctx *c, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < c->sem->bindings.len; i++) {
        const LLBinding *b = &c->sem->bindings.items[i];
        if (ts_node_is_null(b->target))
            continue;
        size_t len;
        const char *t = text_of(c, b->target, &len);
        if (len == nl && memcmp(t, name, nl) == 0)
            return true;
    }
    return false;
}

/* Replaces expression `v` (a name or attribute) with something meaning
 * canonical `target` ("yaml.SafeLoader") at v's place:
 *   1. v is X.attr and X means target's module: X.<last>;
 *   2. <last> is already imported there from the module: <last>;
 *   3. the module is imported there under some name M: M.<last>;
 *   4. v is a name bound only by `from <module> import ...`: <last>, and
 *      <last> added to that import (when no other name <last> exists).
 * Otherwise no fix (why). */
/* Whether `v` is a name or a.b.c chain that means what the import it
 * comes from means: every binding of its (first) name is an import, or,
 * with `alias`, an assignment (`ld = yaml.load`). A class of the file
 * (`class MyLoader(yaml.Loader)`, with its own constructors), a parameter or
 * a variable is not: replacing it would change more than the fix says. */
static bool plain_reference(const Ctx *c, TSNode v, bool alias)
{
    for (unsigned hops = 0; hops < LL_MAX_ATTR_CHAIN && kind_of(c, v) == LL_K_ATTRIBUTE; hops++)
        v = field_of(c, v, LL_F_OBJECT);
    if (ts_node_is_null(v) || kind_of(c, v) != LL_K_IDENTIFIER)
        return false;
    size_t len;
    const char *name = text_of(c, v, &len);
    const LLBinding *bs[LL_MAX_ALTERNATIVES];
    uint32_t n = lookup(c, name, len, ts_node_start_byte(v), bs);
    if (!n)
        return c->sem->star_modules.len > 0; /* from m import *: as the resolver read it */
    for (uint32_t i = 0; i < n; i++)
        if (bs[i]->kind != LL_BIND_IMPORT && !(alias && bs[i]->kind == LL_BIND_ASSIGN))
            return false;
    return true;
}

static bool spell_at(const Ctx *c, TSNode v, const char *target, bool alias, Edits *ed,
                     bool *imported, char *why, size_t whysz)
{
    size_t pl = parent_len(target);
    char parent[LL_MAX_QUALNAME];
    if (!pl || pl >= sizeof parent) {
        set_why(why, whysz, "cannot name %s", target);
        return false;
    }
    memcpy(parent, target, pl);
    parent[pl] = '\0';
    const char *last = target + pl + 1;
    uint32_t vs = ts_node_start_byte(v), ve = ts_node_end_byte(v);
    LLKind vk = kind_of(c, v);
    *imported = false;

    if (vk == LL_K_ATTRIBUTE) {
        TSNode obj = field_of(c, v, LL_F_OBJECT), attr = field_of(c, v, LL_F_ATTRIBUTE);
        if (!ts_node_is_null(obj) && !ts_node_is_null(attr)) {
            LLNames on = {0};
            ll_resolve_expr(c->sem, obj, c->site->scope, &on);
            char *const one[1] = {parent};
            if (all_names_in(&on, one, 1)) {
                edit_add(ed, ts_node_start_byte(attr), ts_node_end_byte(attr), last, false);
                return true;
            }
        }
    }
    if (!plain_reference(c, v, alias)) {
        char shown[64];
        short_text(c, v, shown, sizeof shown);
        set_why(why, whysz, "`%s` is %s of this file, not a name imported from %s: change it where it is defined",
                shown, alias ? "a class, parameter or value" : "a class, variable or parameter", parent);
        return false;
    }
    const LLBinding *bs[LL_MAX_ALTERNATIVES];
    uint32_t n = lookup(c, last, strlen(last), vs, bs);
    if (bindings_are_import_of(bs, n, target) ||
        (n == 0 && c->sem->star_modules.len == 1 && strcmp(c->sem->star_modules.items[0], parent) == 0 &&
         !bound_anywhere(c, last))) {
        edit_add(ed, vs, ve, last, false);
        return true;
    }
    for (size_t i = 0; i < c->sem->bindings.len; i++) {
        const LLBinding *b = &c->sem->bindings.items[i];
        if (b->kind != LL_BIND_IMPORT || !b->qual || strcmp(b->qual, parent) != 0 ||
            ts_node_is_null(b->target))
            continue;
        size_t len;
        const char *name = text_of(c, b->target, &len);
        n = lookup(c, name, len, vs, bs);
        if (!bindings_are_import_of(bs, n, parent))
            continue;
        char buf[LL_MAX_QUALNAME * 2 + 2];
        snprintf(buf, sizeof buf, "%.*s.%s", (int)len, name, last);
        edit_add(ed, vs, ve, buf, false);
        return true;
    }
    if (vk == LL_K_IDENTIFIER) {
        size_t len;
        const char *name = text_of(c, v, &len);
        n = lookup(c, name, len, vs, bs);
        if (n == 1 && bs[0]->kind == LL_BIND_IMPORT && bs[0]->qual &&
            parent_len(bs[0]->qual) == pl && strncmp(bs[0]->qual, parent, pl) == 0 &&
            !ts_node_is_null(bs[0]->value)) {
            TSNode stmt = ts_node_parent(bs[0]->value);
            if (!ts_node_is_null(stmt) && kind_of(c, stmt) == LL_K_IMPORT_FROM &&
                !ts_node_has_error(stmt)) {
                if (bound_anywhere(c, last)) {
                    set_why(why, whysz, "cannot name %s here: `%s` is already a name in this file, and %s is not imported as a module",
                            target, last, parent);
                    return false;
                }
                if (c->sem->star_modules.len) {
                    set_why(why, whysz, "cannot name %s here: adding `%s` to the import could hide a name a `from ... import *` brings",
                            target, last);
                    return false;
                }
                /* the names of the statement: its items after the module */
                Parts parts = {0};
                list_parts(c, stmt, &parts);
                TSNode mod = field_of(c, stmt, LL_F_MODULE_NAME);
                for (size_t i = 0; i < parts.len; i++) {
                    Part *p = &parts.items[i];
                    if (p->kind == PART_ITEM && !ts_node_is_null(mod) && ts_node_eq(p->node, mod))
                        p->kind = PART_OTHER;
                }
                bool ok = insert_item(c, &parts, last, ed);
                LL_VEC_FREE(&parts);
                if (!ok) {
                    set_why(why, whysz, "cannot add `%s` to the import", last);
                    return false;
                }
                edit_add(ed, vs, ve, last, false);
                *imported = true;
                return true;
            }
        }
    }
    set_why(why, whysz, "cannot name %s here: %s is not imported as a module where the call is",
            target, parent);
    if (vk == LL_K_IDENTIFIER) {
        size_t len;
        const char *name = text_of(c, v, &len);
        set_why(why, whysz, "cannot name %s here: %s is not imported as a module where the call is, and `%.*s` is not bound only by a `from %s import ...`",
                target, parent, (int)len, name, parent);
    }
    return false;
}

/* ---- the kinds ------------------------------------------------------------------- */

static bool build_set_keyword(const Ctx *c, const LLFixSpec *s, Edits *ed, char *why, size_t whysz)
{
    if (ts_node_is_null(c->args) || kind_of(c, c->args) != LL_K_ARGUMENT_LIST) {
        set_why(why, whysz, "the call has no argument list to add `%s` to", s->arg.keyword);
        return false;
    }
    ArgLoc loc;
    locate(c, &s->arg, &loc);
    char label[LL_MAX_QUALNAME];
    arg_label(&s->arg, label, sizeof label);
    char shown[64];
    switch (loc.state) {
    case ARG_UNKNOWN:
        set_why(why, whysz, "%s may be passed through *args or **kwargs", label);
        return false;
    case ARG_IN_SPLAT:
        set_why(why, whysz, "%s is given inside a `**` dictionary", label);
        return false;
    case ARG_PRESENT:
        short_text(c, loc.value, shown, sizeof shown);
        if (!is_literal_node(c, loc.value)) {
            set_why(why, whysz, "%s is set from `%s`, not a literal: change it where its value comes from", label, shown);
            return false;
        }
        if (text_is(c, loc.value, s->value)) {
            set_why(why, whysz, "%s is already %s", label, s->value);
            return false;
        }
        edit_add(ed, ts_node_start_byte(loc.value), ts_node_end_byte(loc.value), s->value, false);
        if (!ts_node_is_null(loc.kwarg))
            snprintf(ed->desc, sizeof ed->desc, "change %s=%s to %s=%s", s->arg.keyword, shown,
                     s->arg.keyword, s->value);
        else
            snprintf(ed->desc, sizeof ed->desc, "change argument %d (%s) from %s to %s",
                     s->arg.position + 1, s->arg.keyword, shown, s->value);
        return true;
    case ARG_ABSENT: {
        char item[LL_MAX_QUALNAME + LL_MAX_FIX_VALUE];
        snprintf(item, sizeof item, "%s=%s", s->arg.keyword, s->value);
        Parts parts = {0};
        list_parts(c, c->args, &parts);
        bool ok = insert_item(c, &parts, item, ed);
        LL_VEC_FREE(&parts);
        if (!ok) {
            set_why(why, whysz, "cannot find where to add `%s`", item);
            return false;
        }
        snprintf(ed->desc, sizeof ed->desc, "add %.400s", item);
        return true;
    }
    }
    return false;
}

/* Whether a comment lies in [a, b). */
static bool comment_between(const Parts *parts, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < parts->len; i++)
        if (parts->items[i].kind == PART_COMMENT && ts_node_start_byte(parts->items[i].node) >= a &&
            ts_node_end_byte(parts->items[i].node) <= b)
            return true;
    return false;
}

static uint32_t skip_blanks(const LLSource *s, uint32_t i)
{
    while (i < s->len && (s->text[i] == ' ' || s->text[i] == '\t' || s->text[i] == '\f'))
        i++;
    return i;
}

static bool build_drop_keyword(const Ctx *c, const LLFixSpec *s, Edits *ed, char *why, size_t whysz)
{
    const LLSource *src = c->src;
    LLArgSpec kwonly = {-1, s->arg.keyword};
    ArgLoc loc;
    if (ts_node_is_null(c->args) || kind_of(c, c->args) != LL_K_ARGUMENT_LIST)
        loc.state = ARG_ABSENT;
    else
        locate(c, &kwonly, &loc);
    if (loc.state == ARG_IN_SPLAT) {
        set_why(why, whysz, "`%s` is given inside a `**` dictionary", s->arg.keyword);
        return false;
    }
    if (loc.state != ARG_PRESENT) {
        set_why(why, whysz, "`%s` is not given by keyword", s->arg.keyword);
        return false;
    }
    Parts parts = {0};
    list_parts(c, c->args, &parts);
    size_t k = 0;
    while (k < parts.len && !ts_node_eq(parts.items[k].node, loc.kwarg))
        k++;
    const Part *prev = NULL, *next = NULL, *comma_after = NULL, *comma_before = NULL;
    for (size_t i = k; i-- > 0;) {
        if (parts.items[i].kind == PART_ITEM) {
            prev = &parts.items[i];
            break;
        }
        if (parts.items[i].kind == PART_COMMA && !comma_before)
            comma_before = &parts.items[i];
    }
    for (size_t i = k + 1; i < parts.len; i++) {
        if (parts.items[i].kind == PART_ITEM) {
            next = &parts.items[i];
            break;
        }
        if (parts.items[i].kind == PART_COMMA && !comma_after)
            comma_after = &parts.items[i];
    }
    uint32_t ks = ts_node_start_byte(loc.kwarg), ke = ts_node_end_byte(loc.kwarg);
    uint32_t comma, eol;
    bool comma_ok = true;
    if (starts_line(src, ks) && tail_to_eol(src, ke, &comma, &eol) &&
        (comma == UINT32_MAX || (comma_after && ts_node_start_byte(comma_after->node) == comma)) &&
        !(comma == UINT32_MAX && next)) {
        /* alone on its line(s): the whole line goes (with its comment) */
        edit_add(ed, line_start(src, ks), eol + eol_len(src, eol), "", false);
    } else if (prev) {
        uint32_t pe = ts_node_end_byte(prev->node);
        if (!comment_between(&parts, pe, ks)) {
            edit_add(ed, pe, ke, "", false);
        } else if (comma_before) {
            edit_add(ed, ts_node_start_byte(comma_before->node), ts_node_end_byte(comma_before->node), "", false);
            edit_add(ed, ks, ke, "", false); /* its line's indentation stays, for what follows */
        } else {
            comma_ok = false;
        }
    } else if (next) {
        uint32_t ns = ts_node_start_byte(next->node);
        if (!comment_between(&parts, ke, ns))
            edit_add(ed, ks, ns, "", false);
        else if (comma_after)
            edit_add(ed, ks, skip_blanks(src, ts_node_end_byte(comma_after->node)), "", false);
        else
            comma_ok = false;
    } else if (comma_after && comment_between(&parts, ke, ts_node_start_byte(comma_after->node))) {
        comma_ok = false; /* f(kw  # c\n ,): the comma would stay alone */
    } else {
        edit_add(ed, ks, comma_after ? ts_node_end_byte(comma_after->node) : ke, "", false);
    }
    LL_VEC_FREE(&parts);
    if (!comma_ok) {
        edits_clear(ed);
        set_why(why, whysz, "cannot find the comma that separates `%s`", s->arg.keyword);
        return false;
    }
    char shown[64];
    short_text(c, loc.kwarg, shown, sizeof shown);
    snprintf(ed->desc, sizeof ed->desc, "remove %s", shown);
    return true;
}

static bool build_rename(const Ctx *c, const LLFixSpec *s, Edits *ed, char *why, size_t whysz)
{
    if (ts_node_is_null(c->fn)) {
        set_why(why, whysz, "the call has no function");
        return false;
    }
    LLNames names = {0};
    ll_resolve_expr(c->sem, c->fn, c->site->scope, &names);
    const char *target = NULL, *from = NULL;
    for (uint32_t i = 0; i < names.n; i++) {
        size_t j = 0;
        while (j < s->from.len && strcmp(s->from.items[j], names.name[i]) != 0)
            j++;
        if (j == s->from.len) {
            set_why(why, whysz, "the callee may also be %s", names.name[i]);
            return false;
        }
        if (target && strcmp(target, s->to.items[j]) != 0) {
            set_why(why, whysz, "the callee has several meanings (%s, %s)", from, names.name[i]);
            return false;
        }
        target = s->to.items[j];
        from = names.name[i];
    }
    if (!target) {
        set_why(why, whysz, "the callee's name is not known");
        return false;
    }
    LLKind k = kind_of(c, c->fn);
    if (k != LL_K_IDENTIFIER && k != LL_K_ATTRIBUTE) {
        set_why(why, whysz, "the callee is an expression, not a name");
        return false;
    }
    bool imported;
    if (!spell_at(c, c->fn, target, true, ed, &imported, why, whysz))
        return false;
    snprintf(ed->desc, sizeof ed->desc, "call %s instead of %s%s", target, from,
             imported ? " (imported beside the old name)" : "");
    return true;
}

static bool build_replace_value(const Ctx *c, const LLFixSpec *s, Edits *ed, char *why, size_t whysz)
{
    ArgLoc loc;
    locate(c, &s->arg, &loc);
    char label[LL_MAX_QUALNAME];
    arg_label(&s->arg, label, sizeof label);
    if (loc.state == ARG_UNKNOWN) {
        set_why(why, whysz, "%s may be passed through *args or **kwargs", label);
        return false;
    }
    if (loc.state == ARG_IN_SPLAT) {
        set_why(why, whysz, "%s is given inside a `**` dictionary", label);
        return false;
    }
    if (loc.state != ARG_PRESENT) {
        set_why(why, whysz, "%s is not given", label);
        return false;
    }
    LLKind k = kind_of(c, loc.value);
    char shown[64];
    short_text(c, loc.value, shown, sizeof shown);
    if (k != LL_K_IDENTIFIER && k != LL_K_ATTRIBUTE) {
        set_why(why, whysz, "%s is `%s`, an expression this fix does not rewrite", label, shown);
        return false;
    }
    bool imported;
    if (!spell_at(c, loc.value, s->name, false, ed, &imported, why, whysz))
        return false;
    snprintf(ed->desc, sizeof ed->desc, "use %s instead of %s for %s%s", s->name, shown,
             s->arg.keyword ? s->arg.keyword : "the argument",
             imported ? " (imported beside the old name)" : "");
    return true;
}

/* ---- compute ----------------------------------------------------------------------- */

static int edit_cmp(const void *a, const void *b)
{
    const LLFixEdit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return 0;
}

uint64_t ll_fix_text_hash(const char *text, size_t len)
{
    return ll_strmap_hash(text, len);
}

void ll_fix_compute(const LLFixSite *site, const LLFixSpec *specs, size_t n,
                    const LLFixEnv *env, LLFix *out)
{
    memset(out, 0, sizeof *out);
    if (!n)
        return;
    out->status = LL_FIX_REFUSED;
    out->text_hash = site->text_hash;
    out->text_len = site->sem->src->len;
    Ctx c = {.site = site, .sem = site->sem, .syn = site->sem->syn, .src = site->sem->src,
             .env = env};
    if (ts_node_is_null(site->node) || kind_of(&c, site->node) != LL_K_CALL) {
        out->reason = ll_xstrdup("the loader is passed as a value here, not called: the arguments of its eventual call are not known");
        return;
    }
    c.call = site->node;
    c.fn = field_of(&c, c.call, LL_F_FUNCTION);
    c.args = field_of(&c, c.call, LL_F_ARGUMENTS);
    if (ts_node_has_error(c.call)) {
        out->reason = ll_xstrdup("the call has a syntax error");
        return;
    }
    /* the reason: a build failure first; else the failed condition of
     * the entry that got furthest (a later one on a tie), not counting
     * entries for other callees */
    char when_why[LL_MAX_FIX_TEXT] = "", build_why[LL_MAX_FIX_TEXT] = "";
    size_t furthest = 0;
    for (size_t i = 0; i < n; i++) {
        const LLFixSpec *s = &specs[i];
        char why[LL_MAX_FIX_TEXT] = "";
        bool ok = true, callee_miss = false;
        size_t passed = 0;
        for (size_t k = 0; ok && k < s->nwhen; k++) {
            ok = eval_cond(&c, &s->when[k], why, sizeof why);
            callee_miss = !ok && s->when[k].kind == LL_FIXC_CALLEE;
            passed += ok;
        }
        if (!ok) {
            if (!callee_miss && passed + 1 >= furthest + 1) {
                memcpy(when_why, why, sizeof why);
                furthest = passed;
            }
            continue;
        }
        if (s->req_package && env && env->versions &&
            env->versions(env->versions_ctx, s->req_package, s->req_versions) == LL_FIX_VERSIONS_NOT_ALL) {
            if (!build_why[0])
                set_why(build_why, sizeof build_why,
                        "the project allows %s versions outside %s, which this fix needs", s->req_package,
                        s->req_versions);
            continue;
        }
        Edits ed;
        memset(&ed, 0, sizeof ed);
        bool built = false;
        switch (s->kind) {
        case LL_FIXK_SET_KEYWORD:
            built = build_set_keyword(&c, s, &ed, why, sizeof why);
            break;
        case LL_FIXK_DROP_KEYWORD:
            built = build_drop_keyword(&c, s, &ed, why, sizeof why);
            break;
        case LL_FIXK_RENAME_CALLEE:
            built = build_rename(&c, s, &ed, why, sizeof why);
            break;
        case LL_FIXK_REPLACE_VALUE:
            built = build_replace_value(&c, s, &ed, why, sizeof why);
            break;
        }
        if (!built || !ed.n) {
            edits_clear(&ed);
            if (!build_why[0])
                memcpy(build_why, why, sizeof why);
            continue;
        }
        bool safe = s->safe;
        if (!safe && s->nsafe_when) {
            char ignored[LL_MAX_FIX_TEXT];
            safe = true;
            for (size_t k = 0; safe && k < s->nsafe_when; k++)
                safe = eval_cond(&c, &s->safe_when[k], ignored, sizeof ignored);
        }
        out->status = LL_FIX_OFFERED;
        out->safe = safe;
        out->spec = (uint32_t)i;
        out->description = ll_xstrdup(ed.desc);
        out->reason = safe ? NULL : ll_xstrdup(s->unsafe_reason ? s->unsafe_reason : "");
        out->edits = ll_xcalloc(ed.n, sizeof *out->edits);
        memcpy(out->edits, ed.e, ed.n * sizeof *ed.e);
        out->nedits = ed.n;
        for (uint32_t k = 0; k < ed.n; k++) {
            LLFixEdit *e = &out->edits[k];
            ll_source_position(c.src, e->start, &e->line, &e->col);
            ll_source_position(c.src, e->end, &e->end_line, &e->end_col);
        }
        qsort(out->edits, out->nedits, sizeof *out->edits, edit_cmp);
        return;
    }
    const char *r = build_why[0] ? build_why : when_why[0] ? when_why : "no fix applies to this call";
    out->reason = ll_xstrdup(r);
}

bool ll_fix_applies(const LLFinding *f, bool unsafe)
{
    const LLFix *x = f->fix;
    return x && x->status == LL_FIX_OFFERED && x->nedits && (x->safe || unsafe) && !f->binary &&
           (f->suppressed == LL_SUPP_NONE || f->suppressed == LL_SUPP_DUPLICATE);
}

void ll_fix_release(LLFix *f)
{
    if (!f)
        return;
    for (uint32_t i = 0; i < f->nedits; i++)
        free(f->edits[i].text);
    free(f->edits);
    free(f->description);
    free(f->reason);
    memset(f, 0, sizeof *f);
}

void ll_fix_copy(LLFix *dst, const LLFix *src)
{
    *dst = *src;
    dst->description = src->description ? ll_xstrdup(src->description) : NULL;
    dst->reason = src->reason ? ll_xstrdup(src->reason) : NULL;
    dst->edits = NULL;
    if (src->nedits) {
        dst->edits = ll_xcalloc(src->nedits, sizeof *dst->edits);
        for (uint32_t i = 0; i < src->nedits; i++) {
            dst->edits[i] = src->edits[i];
            dst->edits[i].text = ll_xstrdup(src->edits[i].text);
        }
    }
}

/* ---- apply --------------------------------------------------------------------------- */

typedef struct Accepted {
    uint32_t start, end;
    const char *text;
    bool mergeable;
    size_t fix;
    size_t seq;
} Accepted;

/* Whether edit e conflicts with accepted edit a; *dup when it is the same
 * edit. */
static bool conflicts(const LLFixEdit *e, const Accepted *a, bool *dup)
{
    *dup = false;
    if (e->start == a->start && e->end == a->end && strcmp(e->text, a->text) == 0) {
        *dup = true;
        return false;
    }
    bool ei = e->start == e->end, ai = a->start == a->end;
    if (ei && ai)
        return e->start == a->start && !(e->mergeable && a->mergeable);
    if (ei)
        return a->start < e->start && e->start < a->end;
    if (ai)
        return e->start < a->start && a->start < e->end;
    return e->start < a->end && a->start < e->end;
}

static int accepted_cmp(const void *x, const void *y)
{
    const Accepted *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void ll_fix_apply(const char *text, size_t len, const LLFix *const *fixes, size_t n,
                  LLBuf *out, LLFixApplyResult *res)
{
    memset(res, 0, sizeof *res);
    LL_VEC(Accepted) acc = {0};
    LL_VEC(LLFixDrop) drops = {0};
    size_t seq = 0;
    for (size_t i = 0; i < n; i++) {
        const LLFix *f = fixes[i];
        if (!f || f->status != LL_FIX_OFFERED || !f->nedits)
            continue;
        size_t conflict = f->nedits > LL_MAX_FIX_EDITS ? n : SIZE_MAX;
        bool dup[LL_MAX_FIX_EDITS] = {false};
        for (uint32_t k = 0; k < f->nedits && conflict == SIZE_MAX; k++) {
            const LLFixEdit *e = &f->edits[k];
            if (e->start > e->end || e->end > len) {
                conflict = n;
                break;
            }
            /* accepted edits are sorted and do not overlap: look from the
             * first one that ends at or after e's start */
            size_t lo = 0, hi = acc.len;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (acc.items[mid].end < e->start)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t j = lo; j < acc.len && acc.items[j].start <= e->end; j++) {
                bool d;
                if (conflicts(e, &acc.items[j], &d)) {
                    conflict = acc.items[j].fix;
                    break;
                }
                if (d)
                    dup[k] = true;
            }
        }
        if (conflict != SIZE_MAX) {
            LLFixDrop d = {i, conflict};
            LL_VEC_PUSH(&drops, d);
            continue;
        }
        for (uint32_t k = 0; k < f->nedits; k++) {
            if (dup[k])
                continue;
            const LLFixEdit *e = &f->edits[k];
            Accepted a = {e->start, e->end, e->text, e->mergeable, i, seq++};
            /* insert in order */
            LL_VEC_RESERVE(&acc, acc.len + 1);
            size_t at = acc.len;
            while (at > 0 && accepted_cmp(&acc.items[at - 1], &a) > 0)
                at--;
            memmove(acc.items + at + 1, acc.items + at, (acc.len - at) * sizeof *acc.items);
            acc.items[at] = a;
            acc.len++;
        }
        res->applied++;
    }
    size_t cur = 0;
    for (size_t j = 0; j < acc.len; j++) {
        const Accepted *a = &acc.items[j];
        ll_buf_append(out, text + cur, a->start - cur);
        ll_buf_puts(out, a->text);
        cur = a->end;
    }
    ll_buf_append(out, text + cur, len - cur);
    LL_VEC_FREE(&acc);
    res->dropped = drops.items;
    res->ndropped = drops.len;
}

void ll_fix_apply_result_release(LLFixApplyResult *res)
{
    if (!res)
        return;
    free(res->dropped);
    memset(res, 0, sizeof *res);
}

bool ll_fix_parses_cleanly(const LLSyntax *syn, TSParser *parser, const char *text, size_t len)
{
    char *copy = NULL;
    if (memchr(text, '\r', len)) {
        copy = ll_xmalloc(len + 1);
        memcpy(copy, text, len);
        for (size_t i = 0; i < len; i++)
            if (copy[i] == '\r' && (i + 1 >= len || copy[i + 1] != '\n'))
                copy[i] = '\n';
        text = copy;
    }
    ts_parser_set_language(parser, syn->language);
    TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
    bool ok = tree && !ts_node_has_error(ts_tree_root_node(tree));
    if (tree)
        ts_tree_delete(tree);
    else
        ts_parser_reset(parser);
    free(copy);
    return ok;
}

/* ---- encoding back ------------------------------------------------------------------ */

/* Converts s[0..len) with cd into *out; false on a character the target
 * cannot represent or bytes that do not convert (*bad: offset in s). */
static bool convert(iconv_t cd, const char *s, size_t len, LLBuf *out, size_t *bad)
{
    iconv(cd, NULL, NULL, NULL, NULL);
    char *in = (char *)s;
    size_t left = len;
    char chunk[8192];
    while (left) {
        char *o = chunk;
        size_t room = sizeof chunk;
        size_t r = iconv(cd, &in, &left, &o, &room);
        ll_buf_append(out, chunk, (size_t)(o - chunk));
        if (r == (size_t)-1 && errno != E2BIG) {
            *bad = (size_t)(in - s);
            return false;
        }
    }
    char *o = chunk;
    size_t room = sizeof chunk;
    if (iconv(cd, NULL, NULL, &o, &room) == (size_t)-1) {
        *bad = len;
        return false;
    }
    ll_buf_append(out, chunk, (size_t)(o - chunk));
    return true;
}

/* 1-based line and column (code points) of byte `off` of UTF-8 text. */
static void utf8_position(const char *s, size_t off, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != '\r') {
            (*col)++;
        }
    }
}

LLStatus ll_fix_encode(const char *display, const char *codec, const char *raw, size_t raw_len,
                       const char *text, size_t text_len, const char *fixed, size_t fixed_len,
                       LLBuf *out, LLError *err)
{
    const char *module = NULL;
    char norm[LL_MAX_CODEC_NAME];
    if (codec && codec[0]) {
        ll_frontend_normalise_codec(codec, norm, sizeof norm);
        module = ll_frontend_python_codec(norm);
        if (!module)
            return ll_error_set(err, LL_ERR_IO, display, 0, 0,
                                "not written: the file's encoding '%s' is unknown", codec);
    }
    if (!module || strncmp(module, "utf_8", 5) == 0) {
        /* UTF-8: the text is the file's bytes after any BOM */
        if (raw_len < text_len || memcmp(raw + raw_len - text_len, text, text_len) != 0 ||
            !(raw_len == text_len || (raw_len - text_len == 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)))
            return ll_error_set(err, LL_ERR_IO, display, 0, 0,
                                "not written: the text the fixes were made on is not the file's content");
        ll_buf_append(out, raw, raw_len - text_len);
        ll_buf_append(out, fixed, fixed_len);
        return LL_OK;
    }
    if (strcmp(module, "unicode_escape") == 0 || strcmp(module, "raw_unicode_escape") == 0)
        return ll_error_set(err, LL_ERR_IO, display, 0, 0,
                            "not written: loadlint cannot encode text back to '%s'", codec);
    LLIconvNames names;
    ll_frontend_iconv_names(codec, module, &names);
    iconv_t enc = (iconv_t)-1, dec = (iconv_t)-1;
    for (size_t t = 0; t < 5 && enc == (iconv_t)-1; t++) {
        if (!names.name[t])
            continue;
        enc = iconv_open(names.name[t], "UTF-8");
        if (enc != (iconv_t)-1) {
            dec = iconv_open("UTF-8", names.name[t]);
            if (dec == (iconv_t)-1) {
                iconv_close(enc);
                enc = (iconv_t)-1;
            }
        }
    }
    if (enc == (iconv_t)-1)
        return ll_error_set(err, LL_ERR_IO, display, 0, 0,
                            "not written: loadlint cannot encode text to '%s'", codec);
    LLStatus st = LL_OK;
    LLBuf again, back;
    ll_buf_init(&again);
    ll_buf_init(&back);
    size_t bad = 0;
    if (!convert(enc, text, text_len, &again, &bad) || again.len != raw_len ||
        memcmp(again.data, raw, raw_len) != 0) {
        st = ll_error_set(err, LL_ERR_IO, display, 0, 0,
                          "not written: encoding the file's text back to '%s' does not give its bytes "
                          "(some characters are spelled differently), so writing it would change more "
                          "than the fix",
                          codec);
        goto done;
    }
    size_t mark = out->len;
    if (!convert(enc, fixed, fixed_len, out, &bad)) {
        out->len = mark;
        out->data[mark] = '\0';
        unsigned line, col;
        utf8_position(fixed, bad, &line, &col);
        st = ll_error_set(err, LL_ERR_IO, display, line, col,
                          "not written: the fixed text has a character that '%s' cannot represent", codec);
        goto done;
    }
    if (!convert(dec, out->data + mark, out->len - mark, &back, &bad) || back.len != fixed_len ||
        memcmp(back.data, fixed, fixed_len) != 0) {
        out->len = mark;
        out->data[mark] = '\0';
        st = ll_error_set(err, LL_ERR_IO, display, 0, 0,
                          "not written: the fixed text does not read back the same in '%s'", codec);
        goto done;
    }
done:
    ll_buf_release(&again);
    ll_buf_release(&back);
    iconv_close(enc);
    iconv_close(dec);
    return st;
}

/* ---- writing ------------------------------------------------------------------------ */

static bool read_all(int fd, LLBuf *into)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (r == 0)
            return true;
        ll_buf_append(into, chunk, (size_t)r);
    }
}

static bool write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

LLStatus ll_fix_write_file(const char *path, const char *expect, size_t expect_len,
                           const char *bytes, size_t len, LLError *err)
{
    char *real = realpath(path, NULL);
    if (!real)
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: %s", strerror(errno));
    LLStatus st = LL_OK;
    LLBuf cur, tmp;
    ll_buf_init(&cur);
    ll_buf_init(&tmp);
    int tfd = -1;
    int fd = open(real, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: %s",
                          fd < 0 ? strerror(errno) : "not a regular file");
        goto done;
    }
    if (!read_all(fd, &cur)) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: cannot read it: %s", strerror(errno));
        goto done;
    }
    if (cur.len != expect_len || memcmp(cur.data, expect, expect_len) != 0) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: the file changed since it was read");
        goto done;
    }
    ll_buf_printf(&tmp, "%s.loadlint-fix-XXXXXX", real);
    tfd = mkstemp(tmp.data);
    if (tfd < 0) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: cannot create a temporary file: %s",
                          strerror(errno));
        goto done;
    }
    if (fchmod(tfd, sb.st_mode & 07777) != 0 || !write_all(tfd, bytes, len) || fsync(tfd) != 0) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: %s", strerror(errno));
        goto done;
    }
    if (close(tfd) != 0) {
        tfd = -1;
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: %s", strerror(errno));
        goto done;
    }
    tfd = -1;
    if (rename(tmp.data, real) != 0) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "not written: %s", strerror(errno));
        goto done;
    }
    tmp.data[0] = '\0'; /* renamed: nothing to remove */
done:
    if (tfd >= 0)
        close(tfd);
    if (st != LL_OK && tmp.len && tmp.data[0])
        unlink(tmp.data);
    if (fd >= 0)
        close(fd);
    ll_buf_release(&cur);
    ll_buf_release(&tmp);
    free(real);
    return st;
}

/* ---- unified diff ------------------------------------------------------------------- */

typedef struct DiffLine {
    const char *p;
    size_t len; /* with its '\n', when it has one */
    uint64_t h;
} DiffLine;

typedef LL_VEC(DiffLine) DiffLines;

static void diff_lines(const char *s, size_t len, DiffLines *out)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : len;
        DiffLine l = {s + i, e - i, ll_strmap_hash(s + i, e - i)};
        LL_VEC_PUSH(out, l);
        i = e;
    }
}

static bool line_eq(const DiffLine *x, const DiffLine *y)
{
    return x->h == y->h && x->len == y->len && memcmp(x->p, y->p, x->len) == 0;
}

/* Whether a[i..] and b[j..] agree for LL_FIX_DIFF_SYNC lines, or up to
 * the end of both. */
static bool diff_sync(const DiffLines *a, size_t i, const DiffLines *b, size_t j)
{
    for (size_t k = 0; k < LL_FIX_DIFF_SYNC; k++) {
        bool ea = i + k >= a->len, eb = j + k >= b->len;
        if (ea || eb)
            return ea && eb;
        if (!line_eq(&a->items[i + k], &b->items[j + k]))
            return false;
    }
    return true;
}

typedef struct DiffChange {
    size_t ai, an, bj, bn; /* a[ai..ai+an) becomes b[bj..bj+bn) */
} DiffChange;

typedef LL_VEC(DiffChange) DiffChanges;

static void change_add(DiffChanges *ch, size_t ai, size_t an, size_t bj, size_t bn)
{
    if (!an && !bn)
        return;
    DiffChange c = {ai, an, bj, bn};
    LL_VEC_PUSH(ch, c);
}

/* The changes between a[i..i+n) and b[j..j+m), two texts that differ at
 * their first lines: their longest common subsequence of lines (a table
 * of n x m cells, LL_FIX_DIFF_MAX_CELLS at most; past it, one change). */
static void diff_region(const DiffLines *a, size_t i, size_t n, const DiffLines *b, size_t j,
                        size_t m, DiffChanges *ch)
{
    if (!n || !m || (n + 1) * (m + 1) > LL_FIX_DIFF_MAX_CELLS) {
        change_add(ch, i, n, j, m);
        return;
    }
    /* lcs[x * (m + 1) + y]: of a[i+x..i+n) and b[j+y..j+m) */
    uint32_t *lcs = ll_xcalloc((n + 1) * (m + 1), sizeof *lcs);
    for (size_t x = n; x-- > 0;)
        for (size_t y = m; y-- > 0;) {
            uint32_t *c = &lcs[x * (m + 1) + y];
            if (line_eq(&a->items[i + x], &b->items[j + y]))
                *c = lcs[(x + 1) * (m + 1) + y + 1] + 1;
            else {
                uint32_t down = lcs[(x + 1) * (m + 1) + y], right = lcs[x * (m + 1) + y + 1];
                *c = down > right ? down : right;
            }
        }
    size_t x = 0, y = 0, px = 0, py = 0; /* (px, py): where the pending change starts */
    while (x < n || y < m) {
        if (x < n && y < m && line_eq(&a->items[i + x], &b->items[j + y]) &&
            lcs[x * (m + 1) + y] == lcs[(x + 1) * (m + 1) + y + 1] + 1) {
            change_add(ch, i + px, x - px, j + py, y - py);
            x++, y++;
            px = x, py = y;
        } else if (y >= m || (x < n && lcs[(x + 1) * (m + 1) + y] >= lcs[x * (m + 1) + y + 1])) {
            x++;
        } else {
            y++;
        }
    }
    change_add(ch, i + px, x - px, j + py, y - py);
    free(lcs);
}

static void diff_put_line(LLBuf *out, char mark, const DiffLine *l)
{
    ll_buf_putc(out, mark);
    ll_buf_append(out, l->p, l->len);
    if (!l->len || l->p[l->len - 1] != '\n')
        ll_buf_puts(out, "\n\\ No newline at end of file\n");
}

void ll_fix_unified_diff(const char *name, const char *a, size_t alen, const char *b,
                         size_t blen, LLBuf *out)
{
    if (alen == blen && memcmp(a, b, alen) == 0)
        return;
    DiffLines la = {0}, lb = {0};
    diff_lines(a, alen, &la);
    diff_lines(b, blen, &lb);
    DiffChanges ch = {0};
    size_t i = 0, j = 0;
    while (i < la.len || j < lb.len) {
        if (i < la.len && j < lb.len && line_eq(&la.items[i], &lb.items[j])) {
            i++, j++;
            continue;
        }
        /* the nearest (di + dj smallest) place where both agree again */
        size_t di = la.len - i, dj = lb.len - j;
        bool found = false;
        for (size_t d = 1; !found && d <= 2 * LL_FIX_DIFF_WINDOW; d++) {
            for (size_t x = d > LL_FIX_DIFF_WINDOW ? d - LL_FIX_DIFF_WINDOW : 0;
                 !found && x <= d && x <= LL_FIX_DIFF_WINDOW; x++) {
                size_t y = d - x;
                if (i + x > la.len || j + y > lb.len)
                    continue;
                if (diff_sync(&la, i + x, &lb, j + y)) {
                    di = x, dj = y;
                    found = true;
                }
            }
        }
        diff_region(&la, i, di, &lb, j, dj, &ch);
        i += di;
        j += dj;
    }
    ll_buf_puts(out, "--- ");
    ll_escape_controls(out, name, strlen(name));
    ll_buf_puts(out, "\n+++ ");
    ll_escape_controls(out, name, strlen(name));
    ll_buf_putc(out, '\n');
    const size_t ctx = LL_FIX_DIFF_CONTEXT;
    for (size_t k = 0; k < ch.len;) {
        /* one hunk: changes whose common text between them is at most
         * 2 * ctx lines */
        size_t last = k;
        while (last + 1 < ch.len &&
               ch.items[last + 1].ai - (ch.items[last].ai + ch.items[last].an) <= 2 * ctx)
            last++;
        const DiffChange *f = &ch.items[k], *l = &ch.items[last];
        size_t lead = f->ai < ctx ? f->ai : ctx;
        size_t a0 = f->ai - lead, b0 = f->bj - lead;
        size_t a_end = l->ai + l->an, b_end = l->bj + l->bn;
        size_t trail = la.len - a_end < ctx ? la.len - a_end : ctx;
        a_end += trail;
        b_end += trail;
        size_t an = a_end - a0, bn = b_end - b0;
        /* an empty side names the line before it (diff -u's convention) */
        ll_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", an ? a0 + 1 : a0, an, bn ? b0 + 1 : b0, bn);
        size_t ai = a0;
        for (size_t c = k; c <= last; c++) {
            const DiffChange *x = &ch.items[c];
            for (; ai < x->ai; ai++)
                diff_put_line(out, ' ', &la.items[ai]);
            for (size_t r = 0; r < x->an; r++)
                diff_put_line(out, '-', &la.items[x->ai + r]);
            for (size_t r = 0; r < x->bn; r++)
                diff_put_line(out, '+', &lb.items[x->bj + r]);
            ai = x->ai + x->an;
        }
        for (; ai < a_end; ai++)
            diff_put_line(out, ' ', &la.items[ai]);
        k = last + 1;
    }
    LL_VEC_FREE(&ch);
    LL_VEC_FREE(&la);
    LL_VEC_FREE(&lb);
}
