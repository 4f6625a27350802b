#include "engine/suppress.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/vec.h"

#include <ctype.h>
#include <string.h>

void ll_suppress_options_default(LLSuppressOptions *opts)
{
    opts->honor_foreign = true;
    opts->report_unused = false;
    opts->rule_enabled = NULL;
    opts->rule_known = NULL;
    opts->rule_enabled_ctx = NULL;
}

/* ---- directives -------------------------------------------------------------- */

typedef enum DirKind {
    D_LINE,      /* # loadlint: ignore[...]      statement lines */
    D_FILE,      /* # loadlint: ignore-file[...] whole file */
    D_NOSEC,     /* # nosec [ids]                finding's first line */
    D_NOQA,      /* # noqa[: codes]              finding's first line */
    D_NOQA_FILE, /* # ruff: noqa[: codes]        whole file */
} DirKind;

typedef struct Code {
    const char *text; /* borrowed from the source, or a static bandit id */
    uint32_t len;
    uint32_t col; /* of the code in the comment, for diagnostics */
    bool used;
} Code;

typedef struct Directive {
    DirKind kind;
    bool bare; /* no codes: every code */
    bool used; /* bare only */
    uint32_t line, col;
    uint32_t code0, ncodes; /* range in Ctx.codes */
} Directive;

typedef struct Ctx {
    const LLSyntax *syn;
    const LLSource *src;
    const LLRuleset *rules;
    uint32_t file;
    const LLSuppressOptions *opts;
    LLFileResult *res;
    LL_VEC(Directive) line_dirs; /* D_LINE, D_NOSEC, D_NOQA; by line */
    LL_VEC(Directive) file_dirs; /* D_FILE, D_NOQA_FILE */
    LL_VEC(Code) codes;
    LL_VEC(TSNode) path; /* scratch: root -> node at a finding */
} Ctx;

static bool is_word(unsigned char c)
{
    return isalnum(c) || c == '_';
}

/* The first n bytes of a and b are equal, ignoring ASCII case. */
static bool ieqn(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

/* a[0..alen) equals the NUL-terminated b, ignoring ASCII case. */
static bool ieq(const char *a, size_t alen, const char *b)
{
    return alen == strlen(b) && ieqn(a, b, alen);
}

/* True when `prefix` (case-insensitive) starts s[0..n). */
static bool istarts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && ieq(s, k, prefix);
}

static bool icontains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (tolower((unsigned char)s[i]) == needle[0] && ieq(s + i, k, needle))
            return true;
    return false;
}

/* Whether some comment of text[0..n) (what follows a '#' on its line; a
 * '#' in a string only makes this say yes more often) contains `needle`,
 * ignoring ASCII case. memchr finds the '#'s: this reads every file. */
static bool comment_contains(const char *text, size_t n, const char *needle)
{
    const char *p = text, *end = text + n;
    while ((p = memchr(p, '#', (size_t)(end - p)))) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (icontains(p, (size_t)(eol - p), needle))
            return true;
        p = eol;
    }
    return false;
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* Column (1-based, code points) of byte `off` of the source. */
static uint32_t col_of(const Ctx *c, uint32_t off)
{
    uint32_t line, col;
    ll_source_position(c->src, off, &line, &col);
    return col;
}

static void warn(Ctx *c, uint32_t line, uint32_t off, const char *what)
{
    ll_file_result_diag(c->res, c->file, LL_DIAG_WARNING, line, col_of(c, off),
                        "malformed suppression comment: %s", what);
}

static void push_code(Ctx *c, const char *text, uint32_t len, uint32_t col)
{
    Code k = {text, len, col, false};
    LL_VEC_PUSH(&c->codes, k);
}

/* bandit test names of the checks that overlap ours (bandit accepts a test
 * name wherever it accepts an id). */
static const struct {
    const char *name, *id;
} bandit_names[] = {
    {"pickle", "B301"},
    {"marshal", "B302"},
    {"yaml_load", "B506"},
    {"pytorch_load", "B614"},
    {"pytorch_load_save", "B614"},
    {"huggingface_unsafe_download", "B615"},
};

/* `# loadlint: VERB[codes]` from s[i] (just after "loadlint:"). Returns where
 * the directive ends. */
static size_t parse_loadlint(Ctx *c, const char *s, size_t n, size_t i,
                             uint32_t line, uint32_t base)
{
    i = skip_space(s, n, i);
    size_t vstart = i;
    while (i < n && (is_word((unsigned char)s[i]) || s[i] == '-'))
        i++;
    Directive d = {0};
    d.line = line;
    d.col = col_of(c, base + (uint32_t)vstart);
    if (ieq(s + vstart, i - vstart, "ignore")) {
        d.kind = D_LINE;
    } else if (ieq(s + vstart, i - vstart, "ignore-file")) {
        d.kind = D_FILE;
    } else if (i == vstart) {
        warn(c, line, base + (uint32_t)vstart,
             "expected 'ignore[CODE,...]' or 'ignore-file[CODE,...]' after 'loadlint:'");
        return i;
    } else {
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b, "unknown loadlint directive '%.*s'; expected "
                          "'ignore[CODE,...]' or 'ignore-file[CODE,...]'",
                      (int)(i - vstart > 40 ? 40 : i - vstart), s + vstart);
        warn(c, line, base + (uint32_t)vstart, b.data);
        ll_buf_release(&b);
        return i;
    }
    size_t j = skip_space(s, n, i);
    if (j < n && s[j] == '[') {
        j++;
        uint32_t first = (uint32_t)c->codes.len;
        for (;;) {
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == ','))
                j++;
            if (j >= n) {
                warn(c, line, base + (uint32_t)vstart, "'[' without a closing ']'");
                c->codes.len = first;
                return j;
            }
            if (s[j] == ']')
                break;
            size_t k = j;
            while (k < n && (is_word((unsigned char)s[k]) || s[k] == '-'))
                k++;
            if (k == j) {
                warn(c, line, base + (uint32_t)j,
                     "expected a rule code or prefix inside '[...]'");
                c->codes.len = first;
                return j;
            }
            if (c->codes.len - first >= LL_MAX_SUPPRESS_CODES) {
                warn(c, line, base + (uint32_t)j, "too many codes in one comment (limit "
                     LL_STR(LL_MAX_SUPPRESS_CODES) ")");
                c->codes.len = first;
                return k;
            }
            push_code(c, s + j, (uint32_t)(k - j), col_of(c, base + (uint32_t)j));
            j = k;
        }
        if (c->codes.len == first) {
            warn(c, line, base + (uint32_t)vstart,
                 "empty '[]'; name the codes, or write a bare 'ignore' for every code");
            return j + 1;
        }
        d.code0 = first;
        d.ncodes = (uint32_t)(c->codes.len - first);
        i = j + 1;
    } else {
        /* `ignore LL101` (codes without brackets) is a mistake, not a blanket */
        size_t k = j;
        while (k < n && isupper((unsigned char)s[k]))
            k++;
        if (k > j && k < n && isdigit((unsigned char)s[k])) {
            warn(c, line, base + (uint32_t)j,
                 "codes must be in brackets, e.g. '# loadlint: ignore[LL101]'");
            return k;
        }
        d.bare = true;
    }
    if (d.kind == D_LINE)
        LL_VEC_PUSH(&c->line_dirs, d);
    else
        LL_VEC_PUSH(&c->file_dirs, d);
    return i;
}

/* Codes after `noqa` (s[i] is just after the word): ":" then codes
 * ([A-Za-z]+[0-9]+) separated by commas and blanks, as flake8 reads them. */
static size_t parse_noqa_codes(Ctx *c, const char *s, size_t n, size_t i,
                               uint32_t base, Directive *d)
{
    size_t j = skip_space(s, n, i);
    d->bare = true;
    if (j >= n || s[j] != ':')
        return i;
    j++;
    uint32_t first = (uint32_t)c->codes.len;
    for (;;) {
        size_t k = j;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == ','))
            k++;
        size_t a = k;
        while (k < n && isalpha((unsigned char)s[k]))
            k++;
        size_t letters = k - a;
        while (k < n && isdigit((unsigned char)s[k]))
            k++;
        if (!letters || k == a + letters || (k < n && is_word((unsigned char)s[k])))
            break;
        if (c->codes.len - first < LL_MAX_SUPPRESS_CODES)
            push_code(c, s + a, (uint32_t)(k - a), col_of(c, base + (uint32_t)a));
        j = k;
    }
    if (c->codes.len > first) {
        d->bare = false;
        d->code0 = first;
        d->ncodes = (uint32_t)(c->codes.len - first);
    }
    return j;
}

/* `# nosec` from s[i] (just after the word): ids up to the next '#'. */
static size_t parse_nosec(Ctx *c, const char *s, size_t n, size_t i,
                          uint32_t base, Directive *d)
{
    uint32_t first = (uint32_t)c->codes.len;
    size_t j = i;
    while (j < n && s[j] != '#') {
        if (!is_word((unsigned char)s[j])) {
            j++;
            continue;
        }
        size_t k = j;
        while (k < n && is_word((unsigned char)s[k]))
            k++;
        const char *w = s + j;
        size_t wl = k - j;
        const char *id = NULL;
        uint32_t idlen = 0;
        if (wl >= 2 && (w[0] == 'B' || w[0] == 'b')) {
            size_t d2 = 1;
            while (d2 < wl && isdigit((unsigned char)w[d2]))
                d2++;
            if (d2 == wl) {
                id = w;
                idlen = (uint32_t)wl;
            }
        }
        for (size_t t = 0; !id && t < sizeof bandit_names / sizeof *bandit_names; t++)
            if (ieq(w, wl, bandit_names[t].name)) {
                id = bandit_names[t].id;
                idlen = (uint32_t)strlen(id);
            }
        if (!id && memchr(w, '_', wl)) {
            /* another bandit test name (assert_used...): names no check of ours,
             * but makes the comment specific */
            id = w;
            idlen = (uint32_t)wl;
        }
        if (id && c->codes.len - first < LL_MAX_SUPPRESS_CODES)
            push_code(c, id, idlen, col_of(c, base + (uint32_t)j));
        j = k;
    }
    d->bare = c->codes.len == first;
    d->code0 = first;
    d->ncodes = (uint32_t)(c->codes.len - first);
    return j;
}

/* Every directive of one comment (a comment may hold several). */
static void parse_comment(Ctx *c, TSNode node)
{
    uint32_t base = ts_node_start_byte(node), end = ts_node_end_byte(node);
    if (end > c->src->len)
        end = c->src->len;
    if (base >= end)
        return;
    const char *s = c->src->text + base;
    size_t n = end - base;
    uint32_t line, col;
    ll_source_position(c->src, base, &line, &col);
    size_t i = 0;
    while (i < n) {
        if (s[i] != '#') {
            i++;
            continue;
        }
        size_t hash = i;
        i = skip_space(s, n, i + 1);
        if (istarts(s + i, n - i, "loadlint")) {
            size_t j = skip_space(s, n, i + 8);
            if (j < n && s[j] == ':') {
                i = parse_loadlint(c, s, n, j + 1, line, base);
                continue;
            }
            i += 8;
            continue;
        }
        if (istarts(s + i, n - i, "ruff") && !(i + 4 < n && is_word((unsigned char)s[i + 4]))) {
            size_t j = skip_space(s, n, i + 4);
            if (j < n && s[j] == ':') {
                j = skip_space(s, n, j + 1);
                if (istarts(s + j, n - j, "noqa") &&
                    !(j + 4 < n && is_word((unsigned char)s[j + 4]))) {
                    Directive d = {.kind = D_NOQA_FILE, .line = line,
                                   .col = col_of(c, base + (uint32_t)hash)};
                    i = parse_noqa_codes(c, s, n, j + 4, base, &d);
                    LL_VEC_PUSH(&c->file_dirs, d);
                    continue;
                }
            }
            i += 4;
            continue;
        }
        if (istarts(s + i, n - i, "noqa") && !(i + 4 < n && is_word((unsigned char)s[i + 4]))) {
            Directive d = {.kind = D_NOQA, .line = line,
                           .col = col_of(c, base + (uint32_t)hash)};
            i = parse_noqa_codes(c, s, n, i + 4, base, &d);
            LL_VEC_PUSH(&c->line_dirs, d);
            continue;
        }
        if (istarts(s + i, n - i, "nosec") && !(i + 5 < n && is_word((unsigned char)s[i + 5]))) {
            Directive d = {.kind = D_NOSEC, .line = line,
                           .col = col_of(c, base + (uint32_t)hash)};
            i = parse_nosec(c, s, n, i + 5, base, &d);
            LL_VEC_PUSH(&c->line_dirs, d);
            continue;
        }
    }
}

/* Pre-order walk over the whole tree (comments are extras: anywhere). */
static void collect_comments(Ctx *c, TSNode root)
{
    TSTreeCursor cur = ts_tree_cursor_new(root);
    for (;;) {
        TSNode node = ts_tree_cursor_current_node(&cur);
        if (ll_syntax_kind(c->syn, node) == LL_K_COMMENT)
            parse_comment(c, node);
        if (ts_tree_cursor_goto_first_child(&cur))
            continue;
        for (;;) {
            if (ts_tree_cursor_goto_next_sibling(&cur))
                break;
            if (!ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
        }
    }
}

/* ---- statements ---------------------------------------------------------------- */

/* Byte offset of 1-based (line, code-point col), decoding UTF-8 as the line
 * index does (an invalid byte counts as one code point). */
static uint32_t offset_of(const LLSource *src, uint32_t line, uint32_t col)
{
    if (line == 0 || line > src->nlines)
        return src->len;
    const unsigned char *p = (const unsigned char *)src->text;
    uint32_t i = src->line_starts[line - 1];
    uint32_t end = line < src->nlines ? src->line_starts[line] : src->len;
    for (uint32_t k = 1; k < col && i < end; k++) {
        unsigned char b = p[i];
        uint32_t l = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
                                 : (b & 0xF8) == 0xF0 ? 4 : 1;
        if (i + l > end)
            l = 1;
        for (uint32_t m = 1; m < l; m++)
            if ((p[i + m] & 0xC0) != 0x80) {
                l = 1;
                break;
            }
        i += l;
    }
    return i;
}

/* 1-based line of byte `off` (no column: a long minified line would make
 * ll_source_position quadratic here). */
static uint32_t line_of(const Ctx *c, uint32_t off)
{
    return ll_source_line_of(c->src, off);
}

static void node_lines(const Ctx *c, TSNode n, uint32_t *a, uint32_t *b)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    *a = line_of(c, s);
    *b = line_of(c, e > s ? e - 1 : s);
}

/* Kinds that may own a block (compound statements and their clauses);
 * LL_K_OTHER covers match/case/except* which have no LLKind of their own. */
static bool may_own_block(LLKind k)
{
    switch (k) {
    case LL_K_FUNCTION_DEF:
    case LL_K_CLASS_DEF:
    case LL_K_IF:
    case LL_K_ELIF:
    case LL_K_ELSE:
    case LL_K_FOR:
    case LL_K_WHILE:
    case LL_K_TRY:
    case LL_K_EXCEPT_CLAUSE:
    case LL_K_FINALLY:
    case LL_K_WITH:
    case LL_K_OTHER:
        return true;
    default:
        return false;
    }
}

/* When `clause` owns a block, sets *end_line to the last line of its header
 * (the line of its last non-comment child before the first block). */
static bool header_end(const Ctx *c, TSNode clause, uint32_t *end_line)
{
    if (!may_own_block(ll_syntax_kind(c->syn, clause)))
        return false;
    TSTreeCursor cur = ts_tree_cursor_new(clause);
    bool found = false, have_last = false;
    TSNode last = clause;
    if (ts_tree_cursor_goto_first_child(&cur)) {
        do {
            TSNode ch = ts_tree_cursor_current_node(&cur);
            LLKind k = ll_syntax_kind(c->syn, ch);
            if (k == LL_K_BLOCK) {
                found = have_last;
                break;
            }
            if (k != LL_K_COMMENT) {
                last = ch;
                have_last = true;
            }
        } while (ts_tree_cursor_goto_next_sibling(&cur));
    }
    ts_tree_cursor_delete(&cur);
    if (found) {
        uint32_t e = ts_node_end_byte(last), s = ts_node_start_byte(last);
        *end_line = line_of(c, e > s ? e - 1 : s);
    }
    return found;
}

/* Lines [*a, *b] of the statement (or clause header) holding finding f. */
static void statement_lines(Ctx *c, TSNode root, const LLFinding *f, uint32_t *a,
                            uint32_t *b)
{
    *a = f->span.line;
    *b = f->span.end_line >= f->span.line ? f->span.end_line : f->span.line;
    uint32_t off = offset_of(c->src, f->span.line, f->span.col);

    /* root -> smallest node containing `off`, iteratively */
    c->path.len = 0;
    LL_VEC_PUSH(&c->path, root);
    TSTreeCursor cur = ts_tree_cursor_new(root);
    while (ts_tree_cursor_goto_first_child_for_byte(&cur, off) >= 0) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        if (ts_node_start_byte(n) > off)
            break;
        LL_VEC_PUSH(&c->path, n);
    }
    ts_tree_cursor_delete(&cur);

    for (size_t i = c->path.len; i-- > 0;) {
        TSNode n = c->path.items[i];
        LLKind k = ll_syntax_kind(c->syn, n);
        if (k == LL_K_ERROR || i == 0)
            return; /* syntax error or no statement: the finding's own lines */
        uint32_t hend;
        if (header_end(c, n, &hend)) {
            uint32_t hs = line_of(c, ts_node_start_byte(n));
            *a = hs;
            *b = hend;
            return;
        }
        if (k == LL_K_DECORATOR) {
            node_lines(c, n, a, b);
            return;
        }
        LLKind pk = ll_syntax_kind(c->syn, c->path.items[i - 1]);
        if (pk == LL_K_MODULE || pk == LL_K_BLOCK) {
            node_lines(c, n, a, b);
            return;
        }
    }
}

/* ---- matching ---------------------------------------------------------------------- */

/* `code` (a token of a comment) is a case-insensitive prefix of id, or "ALL". */
static bool code_prefix(const Code *code, const char *id)
{
    if (ieq(code->text, code->len, "ALL"))
        return true;
    return strlen(id) >= code->len && ieqn(id, code->text, code->len);
}

/* True when `code` names an id listed for `tool` in the rule's peers
 * ("bandit: B301, B302"): equal, or (prefix) a prefix of it, ignoring case. */
static bool peer_ids_match(const LLRule *rule, const char *tool, const Code *code,
                           bool prefix)
{
    size_t tl = strlen(tool);
    for (size_t i = 0; i < rule->peers.len; i++) {
        const char *p = rule->peers.items[i];
        if (strncmp(p, tool, tl) != 0 || p[tl] != ':')
            continue;
        p += tl + 1;
        while (*p) {
            while (*p == ' ' || *p == ',')
                p++;
            const char *e = p;
            while (*e && *e != ',')
                e++;
            size_t len = (size_t)(e - p);
            while (len && p[len - 1] == ' ')
                len--;
            if (len) {
                bool hit = prefix ? len >= code->len && ieqn(p, code->text, code->len)
                                  : len == code->len && ieqn(p, code->text, len);
                if (hit)
                    return true;
            }
            p = e;
        }
    }
    return false;
}

/* Does directive d cover a finding of `rule`? Marks what it used. */
static bool directive_matches(Ctx *c, Directive *d, const LLRule *rule)
{
    bool hit = false;
    if (d->bare) {
        d->used = true;
        return true;
    }
    for (uint32_t i = 0; i < d->ncodes; i++) {
        Code *code = &c->codes.items[d->code0 + i];
        bool m;
        switch (d->kind) {
        case D_NOSEC:
            m = peer_ids_match(rule, "bandit", code, false);
            break;
        case D_NOQA:
        case D_NOQA_FILE:
            m = code_prefix(code, rule->code) || peer_ids_match(rule, "ruff", code, true) ||
                peer_ids_match(rule, "flake8", code, true) ||
                peer_ids_match(rule, "dlint", code, true);
            break;
        default:
            m = code_prefix(code, rule->code);
            break;
        }
        if (m) {
            code->used = true;
            hit = true;
        }
    }
    return hit;
}

static bool foreign(DirKind k)
{
    return k == D_NOSEC || k == D_NOQA || k == D_NOQA_FILE;
}

/* First index of line_dirs with line >= line. */
static size_t first_dir_at(const Ctx *c, uint32_t line)
{
    size_t lo = 0, hi = c->line_dirs.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->line_dirs.items[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool apply_one(Ctx *c, TSNode root, const LLFinding *f)
{
    const LLRule *rule = &c->rules->rules[f->rule];
    bool honor = c->opts->honor_foreign;
    bool hit = false;
    for (size_t i = 0; i < c->file_dirs.len; i++) {
        Directive *d = &c->file_dirs.items[i];
        if (foreign(d->kind) && !honor)
            continue;
        hit |= directive_matches(c, d, rule);
    }
    if (!c->line_dirs.len)
        return hit;
    uint32_t a, b;
    statement_lines(c, root, f, &a, &b);
    if (f->span.line < a)
        a = f->span.line;
    for (size_t i = first_dir_at(c, a); i < c->line_dirs.len; i++) {
        Directive *d = &c->line_dirs.items[i];
        if (d->line > b)
            break;
        if (foreign(d->kind)) {
            if (!honor || d->line != f->span.line)
                continue;
        }
        hit |= directive_matches(c, d, rule);
    }
    return hit;
}

/* ---- unused directives --------------------------------------------------------------- */

/* 0: some enabled rule has this code prefix; 1: only disabled ones; 2: none. */
static int code_rules(const Ctx *c, const Code *code)
{
    int best = 2;
    for (size_t i = 0; i < c->rules->nrules; i++) {
        const LLRule *r = &c->rules->rules[i];
        if (!code_prefix(code, r->code))
            continue;
        if (c->opts->rule_known && !c->opts->rule_known(c->opts->rule_enabled_ctx, r))
            continue;
        bool on = c->opts->rule_enabled ? c->opts->rule_enabled(c->opts->rule_enabled_ctx, r)
                                        : r->enabled;
        if (on)
            return 0;
        best = 1;
    }
    return best;
}

static void report_unused(Ctx *c, const Directive *d, bool all)
{
    const char *verb = d->kind == D_FILE ? "ignore-file" : "ignore";
    if (d->bare) {
        if (!d->used && all)
            ll_file_result_diag(c->res, c->file, LL_DIAG_WARNING, d->line, d->col,
                                "unused suppression: %s matches no finding", verb);
        return;
    }
    for (uint32_t i = 0; i < d->ncodes; i++) {
        const Code *code = &c->codes.items[d->code0 + i];
        if (code->used)
            continue;
        int kind = code_rules(c, code);
        if (kind == 1 || (kind == 0 && !all))
            continue;
        ll_file_result_diag(c->res, c->file, LL_DIAG_WARNING, d->line, code->col,
                            "unused suppression: %s[%.*s] matches no %s", verb,
                            (int)code->len, code->text, kind == 2 ? "rule" : "finding");
    }
}

/* ---- entry point ----------------------------------------------------------------------- */

bool ll_suppress_needed(const char *text, size_t len, size_t nfindings,
                        const LLSuppressOptions *opts)
{
    LLSuppressOptions defaults;
    if (!opts) {
        ll_suppress_options_default(&defaults);
        opts = &defaults;
    }
    if (comment_contains(text, len, "loadlint"))
        return true;
    return opts->honor_foreign && nfindings &&
           (comment_contains(text, len, "noqa") || comment_contains(text, len, "nosec"));
}

bool ll_suppress_file_wide(const char *text, size_t len, const LLSuppressOptions *opts)
{
    return comment_contains(text, len, "loadlint") ||
           ((!opts || opts->honor_foreign) && comment_contains(text, len, "ruff"));
}

size_t ll_suppress_apply(const LLSyntax *syn, const LLSource *src, TSNode root,
                         const LLRuleset *rules, uint32_t file,
                         const LLSuppressOptions *opts, LLFileResult *res)
{
    LLSuppressOptions defaults;
    if (!opts) {
        ll_suppress_options_default(&defaults);
        opts = &defaults;
    }
    /* cheap exit: no directive word anywhere in the file */
    if (!ll_suppress_needed(src->text, src->len, res->findings.len, opts))
        return 0;

    Ctx c;
    memset(&c, 0, sizeof c);
    c.syn = syn;
    c.src = src;
    c.rules = rules;
    c.file = file;
    c.opts = opts;
    c.res = res;
    collect_comments(&c, root);

    size_t marked = 0;
    /* findings may be many: check them all against every directive */
    for (size_t i = 0; i < res->findings.len; i++) {
        LLFinding *f = &res->findings.items[i];
        if (f->suppressed)
            continue;
        if (apply_one(&c, root, f)) {
            f->suppressed = LL_SUPP_COMMENT;
            marked++;
        }
    }
    {
        /* both lists are in source order: merge them so warnings are too;
         * a code naming no rule is always reported (a typo silently
         * suppresses nothing), the rest of the unused ones on request */
        size_t i = 0, j = 0;
        while (i < c.line_dirs.len || j < c.file_dirs.len) {
            bool take_line = j >= c.file_dirs.len ||
                             (i < c.line_dirs.len &&
                              c.line_dirs.items[i].line <= c.file_dirs.items[j].line);
            const Directive *d = take_line ? &c.line_dirs.items[i++] : &c.file_dirs.items[j++];
            if (d->kind == D_LINE || d->kind == D_FILE)
                report_unused(&c, d, opts->report_unused);
        }
    }
    LL_VEC_FREE(&c.line_dirs);
    LL_VEC_FREE(&c.file_dirs);
    LL_VEC_FREE(&c.codes);
    LL_VEC_FREE(&c.path);
    return marked;
}
