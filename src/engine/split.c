/* memmem is a GNU extension */
#define _GNU_SOURCE
#include "engine/split.h"

#include "base/mem.h"
#include "base/strmap.h"
#include "engine/sources.h"

#include <stdlib.h>
#include <string.h>

/* Python's keywords: never a name a statement binds */
static const char *const k_keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield"};

void ll_split_init(LLSplit *sp)
{
    memset(sp, 0, sizeof *sp);
    ll_identset_init(&sp->seeds);
    ll_identset_init(&sp->attr_seeds);
    ll_identset_init(&sp->call_seeds);
    ll_identset_init(&sp->local);
    ll_identset_init(&sp->classes);
    ll_identset_init(&sp->scratch);
    ll_identset_init(&sp->named);
    ll_identset_init(&sp->keywords);
    for (size_t i = 0; i < sizeof k_keywords / sizeof *k_keywords; i++)
        ll_identset_add(&sp->keywords, ll_strmap_hash(k_keywords[i], strlen(k_keywords[i])));
    sp->global = ll_strmap_hash("global", 6);
    sp->def_kw = ll_strmap_hash("def", 3);
    sp->import_kw = ll_strmap_hash("import", 6);
    sp->update = ll_strmap_hash("update", 6);
    sp->digest = ll_strmap_hash("digest", 6);
    sp->hexdigest = ll_strmap_hash("hexdigest", 9);
    sp->compare_digest = ll_strmap_hash("compare_digest", 14);
    sp->class_kw = ll_strmap_hash("class", 5);
    static const char *const bind_kw[] = {"import", "from", "for", "with", "case", "as"};
    _Static_assert(sizeof bind_kw / sizeof *bind_kw == sizeof sp->bind_kw / sizeof *sp->bind_kw,
                   "bind_kw");
    for (size_t i = 0; i < sizeof bind_kw / sizeof *bind_kw; i++)
        sp->bind_kw[i] = ll_strmap_hash(bind_kw[i], strlen(bind_kw[i])) | 1;
    sp->min_skip_bytes = LL_SPLIT_MIN_SKIP_BYTES;
}

void ll_split_release(LLSplit *sp)
{
    LL_VEC_FREE(&sp->units);
    LL_VEC_FREE(&sp->members);
    LL_VEC_FREE(&sp->mtable);
    LL_VEC_FREE(&sp->mentries);
    LL_VEC_FREE(&sp->hits);
    LL_VEC_FREE(&sp->binds);
    LL_VEC_FREE(&sp->table);
    LL_VEC_FREE(&sp->work);
    LL_VEC_FREE(&sp->ranges);
    ll_identset_release(&sp->seeds);
    ll_identset_release(&sp->attr_seeds);
    ll_identset_release(&sp->call_seeds);
    ll_identset_release(&sp->local);
    ll_identset_release(&sp->classes);
    ll_identset_release(&sp->scratch);
    ll_identset_release(&sp->named);
    ll_identset_release(&sp->keywords);
    memset(sp, 0, sizeof *sp);
}

/* ---- the scan: units and identifiers in one pass ------------------------- */

typedef struct Scan {
    LLSplit *sp;
    LLIdentSet *ids;
    const unsigned char *s, *end;
    bool decorating; /* the last unit is decorators so far */
    bool plain;      /* the structure is as this scan sees it */
    /* the class whose body is read (a unit index), or UINT32_MAX */
    uint32_t cls;
    size_t body_indent;  /* its members' indentation in bytes; 0: none seen */
    bool mdecorating;    /* its last member is decorators so far */
} Scan;

static uint64_t word_hash(const unsigned char *w, const unsigned char *e)
{
    uint64_t h = LL_STRMAP_HASH_SEED;
    while (w < e) {
        h ^= *w++;
        h *= LL_STRMAP_HASH_PRIME;
    }
    return h | 1;
}

/* The identifiers of [p, e) into the file's set; kept as string words
 * (lowest bit clear) too when `keep`. */
static void text_words(Scan *sc, const unsigned char *p, const unsigned char *e, bool keep)
{
    if (!keep && !sc->ids)
        return;
    while (p < e) {
        if (!ll_ident_class[*p]) {
            p++;
            continue;
        }
        const unsigned char *w = p;
        while (p < e && ll_ident_class[*p])
            p++;
        if (ll_ident_class[*w] == 2)
            continue; /* a number */
        uint64_t h = word_hash(w, p);
        if (sc->ids)
            ll_identset_add(sc->ids, h);
        if (keep) {
            LL_VEC_PUSH(&sc->sp->hits, h);
            LL_VEC_PUSH(&sc->sp->binds, 0);
        }
    }
}

/* Bytes a string may hold and still spell a name or a type: what getattr,
 * import_module and string annotations read ("pkg.mod", "Dict[str, C]";
 * a space only in a type, with [ or |). */
static const bool NAME_LIKE[256] = {
    ['_'] = true, ['.'] = true, [' '] = true, [','] = true, ['['] = true, [']'] = true,
    ['|'] = true, ['('] = true, [')'] = true, ['='] = true, ['-'] = true, ['\''] = true,
    ['"'] = true,
    ['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true, ['5'] = true,
    ['6'] = true, ['7'] = true, ['8'] = true, ['9'] = true,
#define LL_LETTERS(c) [c] = true, [c + 32] = true
    LL_LETTERS('A'), LL_LETTERS('B'), LL_LETTERS('C'), LL_LETTERS('D'), LL_LETTERS('E'),
    LL_LETTERS('F'), LL_LETTERS('G'), LL_LETTERS('H'), LL_LETTERS('I'), LL_LETTERS('J'),
    LL_LETTERS('K'), LL_LETTERS('L'), LL_LETTERS('M'), LL_LETTERS('N'), LL_LETTERS('O'),
    LL_LETTERS('P'), LL_LETTERS('Q'), LL_LETTERS('R'), LL_LETTERS('S'), LL_LETTERS('T'),
    LL_LETTERS('U'), LL_LETTERS('V'), LL_LETTERS('W'), LL_LETTERS('X'), LL_LETTERS('Y'),
    LL_LETTERS('Z'),
#undef LL_LETTERS
};

/* A string from its opening quote at p; returns where it ends. Its words
 * are kept unless it is a docstring (triple-quoted, not an f-string, the
 * first thing of its statement) or prose: a plain string holding a line
 * end, a byte no name or type spells, or spaces outside a type (the
 * analysis reads a string's words only as a name: getattr,
 * import_module, an annotation; an f-string's fields are code). A string
 * that does not end, or an f-string that holds its own quote inside a
 * replacement field (Python 3.12 nesting, which this scan does not
 * follow), makes the structure unclear: the file is parsed whole. */
static const unsigned char *string_at(Scan *sc, const unsigned char *p, bool fmt, bool first)
{
    const unsigned char *end = sc->end;
    unsigned char q = *p;
    bool triple = end - p >= 3 && p[1] == q && p[2] == q, closed = false;
    const unsigned char *body = p + (triple ? 3 : 1), *e = body, *after = end;
    unsigned braces = 0; /* replacement fields open (f-strings) */
    while (e < end) {
        if (*e == '\\') { /* an escape, or a line continued (CRLF: both bytes) */
            if (fmt && end - e >= 2 && (e[1] == '{' || e[1] == '}' || e[1] == 'N'))
                sc->plain = false; /* f"\{x}", f"\N{...}": not followed */
            e += end - e >= 3 && e[1] == '\r' && e[2] == '\n' ? 3 : end - e >= 2 ? 2 : 1;
            continue;
        }
        if (fmt && *e == '{') {
            if (!braces && end - e >= 2 && e[1] == '{')
                e++; /* {{ */
            else
                braces++;
        } else if (fmt && *e == '}' && braces) {
            braces--;
        } else if (*e == q && (!triple || (end - e >= 3 && e[1] == q && e[2] == q))) {
            if (braces)
                sc->plain = false; /* f"{d["k"]}" */
            after = e + (triple ? 3 : 1);
            closed = true;
            break;
        }
        if (!triple && (*e == '\n' || *e == '\r')) {
            after = e; /* unterminated: the line ends it */
            break;
        }
        e++;
    }
    if (e > end)
        e = end;
    if (!closed)
        sc->plain = false;
    bool keep = fmt || !triple || !first, space = false, typed = false;
    for (const unsigned char *c = body; keep && !fmt && c < e; c++) {
        keep = *c >= 0x80 || NAME_LIKE[*c];
        space |= *c == ' ';
        typed |= *c == '[' || *c == '|';
    }
    keep &= fmt || !space || typed; /* words and spaces: a sentence, not a type */
    text_words(sc, body, e, keep);
    return after;
}

/* The end of the identifier at p (p itself when none starts there). */
static const unsigned char *word_end(const unsigned char *p, const unsigned char *end)
{
    if (p >= end || ll_ident_class[*p] != 1)
        return p;
    while (p < end && ll_ident_class[*p])
        p++;
    return p;
}

static const unsigned char *skip_blanks(const unsigned char *p, const unsigned char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* Whether what follows a name at a (not the end) makes it a target: `:=`,
 * and outside brackets (inside, `k=` is a keyword argument) `=` (not
 * `==`), an augmented `+=`, an annotation's `:` or a target list's `,` (a
 * superset: `if x:` says so too). */
static inline bool target_follows(const unsigned char *a, const unsigned char *end, int depth)
{
    unsigned char n1 = end - a >= 2 ? a[1] : 0, n2 = end - a >= 3 ? a[2] : 0;
    if (*a == ':' && n1 == '=')
        return true;
    return depth == 0 && ((*a == '=' && n1 != '=') || *a == ':' || *a == ',' ||
                          (memchr("+-*/%&|^@", *a, 9) && n1 == '=') ||
                          (memchr("*/<>", *a, 4) && n1 == *a && n2 == '='));
}

/* Whether [w, e) (at most two bytes) is a string prefix (r, b, f, u, rb...). */
static bool string_prefix(const unsigned char *w, const unsigned char *e)
{
    for (; w < e; w++)
        if (!memchr("rRbBuUfF", *w, 8))
            return false;
    return true;
}

/* At p: `[async] def NAME` or `class NAME`: sets the name's bytes and
 * whether it is a class; false for any other statement. */
static bool definition_at(const unsigned char *p, const unsigned char *end,
                          const unsigned char **name, const unsigned char **name_end, bool *is_class)
{
    const unsigned char *w = p, *e = word_end(w, end);
    if (e - w == 5 && memcmp(w, "async", 5) == 0) {
        w = skip_blanks(e, end);
        e = word_end(w, end);
        if (!(e - w == 3 && memcmp(w, "def", 3) == 0))
            return false; /* async for, async with */
    }
    *is_class = e - w == 5 && memcmp(w, "class", 5) == 0;
    if (!*is_class && !(e - w == 3 && memcmp(w, "def", 3) == 0))
        return false;
    *name = skip_blanks(e, end);
    *name_end = word_end(*name, end);
    return *name_end != *name;
}

/* The class being read no longer is: a decorator of nothing at its end
 * leaves it whole. */
static void class_ends(Scan *sc)
{
    if (sc->cls != UINT32_MAX && sc->mdecorating)
        sc->sp->units.items[sc->cls].split = false;
    sc->cls = UINT32_MAX;
    sc->mdecorating = false;
}

/* The first statement of a line at the left margin, at p: a new unit, or
 * the decorated definition the unit so far decorates. */
static void statement_at(Scan *sc, const unsigned char *line, const unsigned char *p)
{
    LLSplit *sp = sc->sp;
    const unsigned char *end = sc->end;
    bool at = *p == '@', is_class = false;
    const unsigned char *name = NULL, *name_end = NULL;
    bool def = definition_at(p, end, &name, &name_end, &is_class);
    class_ends(sc);
    if (sc->decorating) {
        if (!def && !at)
            sc->plain = false; /* a decorator of nothing: the parser says so */
    } else {
        if (sp->units.len >= LL_SPLIT_MAX_UNITS) {
            sc->plain = false;
            return;
        }
        LLSplitUnit u = {.start = sp->units.len ? (size_t)(line - sc->s) : 0,
                         .hit_first = sp->hits.len,
                         .def = def || at,
                         .next = UINT32_MAX};
        if (sp->units.len)
            sp->units.items[sp->units.len - 1].hit_end = sp->hits.len;
        LL_VEC_PUSH(&sp->units, u);
    }
    if (def) {
        LLSplitUnit *u = &sp->units.items[sp->units.len - 1];
        u->name = word_hash(name, name_end);
        if (is_class) { /* its members follow */
            u->is_class = u->split = true;
            u->member_first = u->member_end = (uint32_t)sp->members.len;
            sc->cls = (uint32_t)(sp->units.len - 1);
            sc->body_indent = 0;
        }
    }
    sc->decorating = at;
}

/* An indented line's first statement at p (its line starts at `line`;
 * `spaces`: its indentation is spaces only), in the body of the class
 * being read: a new member when at the body's indentation, part of the
 * member before when deeper. */
static void member_line(Scan *sc, const unsigned char *line, const unsigned char *p, bool spaces)
{
    LLSplit *sp = sc->sp;
    LLSplitUnit *u = &sp->units.items[sc->cls];
    if (!u->split)
        return;
    if (!spaces) { /* tabs, form feeds: columns this scan does not count */
        u->split = false;
        return;
    }
    size_t col = (size_t)(p - line);
    if (!sc->body_indent)
        sc->body_indent = col;
    if (col > sc->body_indent)
        return;
    if (col < sc->body_indent || sp->members.len >= LL_SPLIT_MAX_MEMBERS) {
        u->split = false;
        return;
    }
    bool at = *p == '@', is_class = false;
    const unsigned char *name = NULL, *name_end = NULL;
    bool def = definition_at(p, sc->end, &name, &name_end, &is_class);
    if (sc->mdecorating) {
        if (!def && !at) {
            u->split = false; /* a decorator of nothing */
            return;
        }
    } else {
        if (u->member_end > u->member_first)
            sp->members.items[u->member_end - 1].hit_end = sp->hits.len;
        LLSplitMember m = {.start = (size_t)(line - sc->s), .hit_first = sp->hits.len,
                           .unit = sc->cls, .def = def || at};
        LL_VEC_PUSH(&sp->members, m);
        u->member_end++;
    }
    if (def)
        sp->members.items[sp->members.len - 1].name = word_hash(name, name_end);
    sc->mdecorating = at;
}

/* A statement ends: an attribute it seemed to assign (self.a, followed
 * by `,` or `:`) is no target when it has no `=` (return x.a, y; if x.a:;
 * def f() -> t.T:). */
static void end_statement(LLSplit *sp, size_t *stmt_hit, bool *assigns)
{
    for (size_t k = *stmt_hit; !*assigns && k < sp->hits.len; k++)
        if ((sp->binds.items[k] & LL_SPLIT_BINDS_KIND) == LL_SPLIT_BINDS_ATTR)
            sp->binds.items[k] &= (uint8_t)~LL_SPLIT_BINDS_KIND;
    *stmt_hit = sp->hits.len;
    *assigns = false;
}

bool ll_split_scan(LLSplit *sp, const char *text, size_t len, const char *extra, LLIdentSet *ids)
{
    sp->units.len = sp->hits.len = sp->binds.len = 0;
    sp->scanned = false;
    if (ids)
        ll_identset_clear(ids);
    sp->members.len = 0;
    sp->star_import = false;
    Scan sc = {sp, ids, (const unsigned char *)text, (const unsigned char *)text + len, false, true,
               UINT32_MAX, 0, false};
    const unsigned char *p = sc.s, *end = sc.end;
    int depth = 0;
    bool line_start = true;
    uint64_t last = 0;      /* the code word before */
    bool in_global = false; /* in a global statement */
    bool first = false;     /* nothing of the statement read yet (docstrings) */
    bool bracketed = false; /* the statement starts with ( or [ (a target list) */
    bool names_bind = false; /* the rest of the line binds the names in it (for...) */
    bool importing = false;  /* the statement is an import: only `as` names bind */
    bool in_import = false;  /* the line says import or from: its names are imported */
    size_t stmt_hit = 0;     /* the statement's first hit */
    bool assigns = false;    /* it has an `=` (or `+=`...) outside brackets */
    /* in a module-level block, the indentation of a def or class in it
     * (SIZE_MAX: none); the lines indented deeper are its body, whose
     * names are its own, bound in no module name */
    size_t nested_indent = SIZE_MAX;
    bool nested = false;
    while (p < end) {
        if (line_start) { /* blank lines and comments keep it */
            const unsigned char *line = p, *margin = p;
            while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
                if (*p++ == '\f')
                    margin = p; /* Python counts the indentation after it */
            if (p >= end)
                break;
            line_start = false;
            first = true;
            if (*p == '\\')
                sc.plain = false; /* a line continued from its start: not followed */
            if (*p != '\n' && *p != '\r' && *p != '#' && *p != '\\') {
                bracketed = false;
                bool spaces = true;
                for (const unsigned char *q = line; q < p && spaces; q++)
                    spaces = *q == ' ';
                size_t col = spaces ? (size_t)(p - line) : 0; /* tabs: not followed, 0 */
                nested = col > nested_indent;
                if (!nested) {
                    const unsigned char *nm, *nme;
                    bool is_class;
                    nested_indent = col && (*p == '@' || definition_at(p, end, &nm, &nme, &is_class))
                                        ? col : SIZE_MAX;
                }
                if (p == margin)
                    statement_at(&sc, line, p);
                else if (!sp->units.len)
                    sc.plain = false; /* the first statement is indented */
                else if (sc.cls != UINT32_MAX)
                    member_line(&sc, line, p, spaces);
            }
            continue; /* the byte at p as any other */
        }
        unsigned char c = *p;
        if (c == '#') {
            const unsigned char *e = p;
            while (e < end && *e != '\n' && *e != '\r')
                e++;
            text_words(&sc, p, e, false);
            p = e;
        } else if (c == '\\' && end - p >= 2 && (p[1] == '\n' || p[1] == '\r')) {
            p += (p[1] == '\r' && end - p >= 3 && p[2] == '\n') ? 3 : 2; /* continued */
        } else if (c == '\n' || c == '\r') {
            p++;
            line_start = depth == 0;
            in_global = false;
            if (line_start)
                end_statement(sp, &stmt_hit, &assigns);
            names_bind &= !line_start;
            importing &= !line_start;
            in_import &= !line_start;
        } else if (c == '"' || c == '\'') {
            p = string_at(&sc, p, false, first);
            first = false;
        } else if (ll_ident_class[c] == 2) { /* a number */
            while (p < end && ll_ident_class[*p])
                p++;
        } else if (ll_ident_class[c] == 1) {
            const unsigned char *w = p;
            uint64_t h = LL_STRMAP_HASH_SEED;
            while (p < end && ll_ident_class[*p]) {
                h ^= *p++;
                h *= LL_STRMAP_HASH_PRIME;
            }
            h |= 1;
            if (ids)
                ll_identset_add(ids, h);
            if (p < end && (*p == '"' || *p == '\'') && p - w <= 2 && string_prefix(w, p)) {
                bool fmt = memchr(w, 'f', (size_t)(p - w)) || memchr(w, 'F', (size_t)(p - w));
                p = string_at(&sc, p, fmt, first); /* r"...", f"...", rb"..." */
                first = false;
                continue;
            }
            const unsigned char *b = w;
            while (b > sc.s && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            /* what a statement may bind: a name, not an attribute, and not
             * called (f(...) binds nothing): def f, class C, a target
             * (target_follows), any name of a statement that starts with
             * a bracket (a target list) or of a line that loops, opens a
             * with, matches a case or says `as`; in an import, a name
             * after `as` (LL_SPLIT_BINDS_ALIAS) */
            bool attribute = b > sc.s && b[-1] == '.';
            const unsigned char *a = skip_blanks(p, end);
            bool called = a < end && *a == '(' && last != sp->def_kw && last != sp->class_kw;
            if (h == sp->global && !attribute)
                in_global = true; /* global a, b: module names this def binds */
            uint8_t binds = 0;
            if (!attribute && (h == sp->import_kw || h == sp->bind_kw[1])) {
                importing |= first;
                in_import = true;
            }
            if (importing) {
                /* import m as y, from m import x as y: y, when x is a seed
                 * (x names itself: if it is a seed, it is one already) */
                binds = last == sp->bind_kw[5] && !attribute ? LL_SPLIT_BINDS_ALIAS : 0;
            } else if (!attribute && !called) {
                for (size_t k = 0; k < sizeof sp->bind_kw / sizeof *sp->bind_kw; k++)
                    names_bind |= h == sp->bind_kw[k];
                binds = names_bind || bracketed || last == sp->def_kw || last == sp->class_kw ||
                        (a < end && target_follows(a, end, depth))
                            ? LL_SPLIT_BINDS : 0;
            }
            /* an attribute a statement may assign (self.x = ...) */
            bool assigned = attribute && !called && (bracketed || (a < end && target_follows(a, end, depth)));
            if (h == sp->import_kw && !attribute && a < end && (*a == '*' || *a == '\\')) {
                if (sp->units.len && sp->units.items[sp->units.len - 1].def)
                    sc.plain = false; /* import * in a def: the resolver takes it file-wide */
                else
                    sp->star_import = true;
            }
            first = false;
            LL_VEC_PUSH(&sp->hits, h);
            uint8_t kind = in_global && h != sp->global ? LL_SPLIT_BINDS_GLOBAL
                           : binds && !nested         ? binds
                           : assigned                 ? LL_SPLIT_BINDS_ATTR
                                                      : 0;
            if (!attribute)
                kind |= in_import ? LL_SPLIT_PLAIN | LL_SPLIT_IMPORTED : LL_SPLIT_PLAIN;
            if (called)
                kind |= LL_SPLIT_CALLED;
            LL_VEC_PUSH(&sp->binds, kind);
            last = h;
        } else {
            if (c == '=' && depth == 0 && (end - p < 2 || p[1] != '=') &&
                (p == sc.s || !memchr("=!<>:", p[-1], 5) ||
                 (p - sc.s >= 2 && (p[-1] == '<' || p[-1] == '>') && p[-2] == p[-1])))
                assigns = true; /* =, +=, <<=; not ==, !=, <=, >=, := */
            if (c == ';') {
                in_global = bracketed = names_bind = importing = in_import = false;
                first = true;
                end_statement(sp, &stmt_hit, &assigns);
            } else if (c != ' ' && c != '\t' && c != '\f') {
                if (first && (c == '(' || c == '['))
                    bracketed = true;
                first = false;
            }
            if (c == '(' || c == '[' || c == '{')
                depth++;
            else if ((c == ')' || c == ']' || c == '}') && depth > 0)
                depth--;
            p++;
        }
    }
    end_statement(sp, &stmt_hit, &assigns);
    if (extra && ids)
        text_words(&sc, (const unsigned char *)extra, (const unsigned char *)extra + strlen(extra),
                   false);
    class_ends(&sc);
    if (sp->units.len)
        sp->units.items[sp->units.len - 1].hit_end = sp->hits.len;
    for (size_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        u->end = i + 1 < sp->units.len ? sp->units.items[i + 1].start : len;
        for (size_t k = u->hit_first; u->def && k < u->hit_end && !u->global; k++)
            u->global = (sp->binds.items[k] & LL_SPLIT_BINDS_KIND) == LL_SPLIT_BINDS_GLOBAL;
        if (u->member_end == u->member_first)
            u->split = false;
        for (uint32_t j = u->member_first; u->split && j < u->member_end; j++) {
            LLSplitMember *m = &sp->members.items[j];
            m->end = j + 1 < u->member_end ? sp->members.items[j + 1].start : u->end;
            if (j + 1 == u->member_end)
                m->hit_end = u->hit_end;
            for (size_t k = m->hit_first; m->def && k < m->hit_end && !m->global; k++)
                m->global = (sp->binds.items[k] & LL_SPLIT_BINDS_KIND) == LL_SPLIT_BINDS_GLOBAL;
        }
    }
    sp->scanned = sc.plain && !sc.decorating && depth == 0 && sp->units.len > 1;
    sp->text = text;
    sp->len = len;
    return sp->scanned;
}

/* Whether hit k is a seed (step 1: a dotted name's last segment counts
 * where it is not spelled as a plain name). */
static bool hit_is_seed(const LLSplit *sp, size_t k)
{
    uint64_t h = sp->hits.items[k];
    uint8_t b = sp->binds.items[k];
    return ll_identset_has(&sp->seeds, h) ||
           ((!(b & LL_SPLIT_PLAIN) || (b & LL_SPLIT_IMPORTED)) && ll_identset_has(&sp->attr_seeds, h)) ||
           ((b & LL_SPLIT_CALLED) && ll_identset_has(&sp->call_seeds, h));
}

static bool hits_mention(const LLSplit *sp, const LLIdentSet *set, size_t first, size_t end)
{
    for (size_t k = first; k < end; k++)
        if (set ? ll_identset_has(set, sp->hits.items[k]) : hit_is_seed(sp, k))
            return true;
    return false;
}

static bool mentions_seed(const LLSplit *sp, const LLSplitUnit *u)
{
    return hits_mention(sp, NULL, u->hit_first, u->hit_end);
}

/* Step 2 of split.h: seeds to relevant units, round after round (a seed
 * added in a round is seen by the units after it in the same round);
 * false when LL_SPLIT_MAX_ROUNDS are not enough. */
static bool spread_seeds(LLSplit *sp)
{
    for (unsigned round = 0; round < LL_SPLIT_MAX_ROUNDS; round++) {
        bool added = false;
        for (size_t i = 0; i < sp->units.len; i++) {
            LLSplitUnit *u = &sp->units.items[i];
            if (u->relevant || !mentions_seed(sp, u))
                continue;
            u->relevant = added = true;
            if (u->def)
                ll_identset_add(&sp->seeds, u->name);
            /* what it may bind at module level (not keywords): a
             * module-level unit's names, a definition's global names */
            for (size_t k = u->hit_first; k < u->hit_end && (!u->def || u->global); k++) {
                uint8_t b = sp->binds.items[k] & LL_SPLIT_BINDS_KIND;
                if (!u->def && b == LL_SPLIT_BINDS_ALIAS)
                    b = k >= u->hit_first + 2 && hit_is_seed(sp, k - 2) ? LL_SPLIT_BINDS : 0;
                if ((u->def ? b == LL_SPLIT_BINDS_GLOBAL
                            : (b == LL_SPLIT_BINDS || b == LL_SPLIT_BINDS_GLOBAL)) &&
                    !ll_identset_has(&sp->keywords, sp->hits.items[k]))
                    ll_identset_add(&sp->seeds, sp->hits.items[k]);
            }
            /* Cls.x = value, Cls a top-level class: Cls and x (anywhere in
             * the unit, its methods included) */
            for (size_t k = u->hit_first + 1; sp->classes.count && k < u->hit_end; k++)
                if ((sp->binds.items[k] & LL_SPLIT_BINDS_KIND) == LL_SPLIT_BINDS_ATTR &&
                    ll_identset_has(&sp->classes, sp->hits.items[k - 1])) {
                    ll_identset_add(&sp->seeds, sp->hits.items[k - 1]);
                    ll_identset_add(&sp->seeds, sp->hits.items[k]);
                }
        }
        if (!added)
            return true;
    }
    return false;
}

/* The hits of a class's header: before its first member. */
static size_t header_end(const LLSplit *sp, const LLSplitUnit *u)
{
    return sp->members.items[u->member_first].hit_first;
}

/* Whether the header of class u (its decorators, name, bases) mentions a
 * seed other than its own name, or holds one of `literals`. */
static bool header_mentions(const LLSplit *sp, const LLSplitUnit *u, const LLStrList *literals)
{
    const LLSplitMember *first = &sp->members.items[u->member_first];
    for (size_t k = u->hit_first; k < header_end(sp, u); k++)
        if (sp->hits.items[k] != u->name && hit_is_seed(sp, k))
            return true;
    return literals && ll_sources_literal_in(literals, sp->text + u->start, first->start - u->start);
}

/* A member made relevant: the names it gives the class are its seeds: a
 * definition's own name and the attributes it assigns, the names a
 * statement of the shell binds (loads = pickle.loads: self.loads). */
static void member_relevant(LLSplit *sp, LLSplitMember *m)
{
    m->relevant = true;
    if (m->def)
        ll_identset_add(&sp->local, m->name);
    for (size_t k = m->hit_first; k < m->hit_end; k++) {
        uint8_t b = sp->binds.items[k] & LL_SPLIT_BINDS_KIND;
        if (b == LL_SPLIT_BINDS_ATTR || (!m->def && b != 0 && b != LL_SPLIT_BINDS_GLOBAL))
            ll_identset_add(&sp->local, sp->hits.items[k]);
    }
}

/* Step 4 of split.h for a relevant class: its relevant members, or
 * u->full when the class is parsed whole. */
static void class_relevance(LLSplit *sp, LLSplitUnit *u, const LLStrList *literals)
{
    if (literals && (!literals->len || !ll_sources_literal_in(literals, sp->text + u->start,
                                                                u->end - u->start)))
        literals = NULL; /* none in the class: none in its parts */
    if (header_mentions(sp, u, literals)) {
        u->full = true; /* a base may be a relevant class: its methods are this one's */
        return;
    }
    ll_identset_clear(&sp->local);
    for (uint32_t j = u->member_first; j < u->member_end; j++) {
        LLSplitMember *m = &sp->members.items[j];
        if (literals && ll_sources_literal_in(literals, sp->text + m->start, m->end - m->start))
            member_relevant(sp, m);
    }
    for (unsigned round = 0; round < LL_SPLIT_MAX_ROUNDS; round++) {
        bool added = false;
        for (uint32_t j = u->member_first; j < u->member_end; j++) {
            LLSplitMember *m = &sp->members.items[j];
            if (m->relevant ||
                !(hits_mention(sp, NULL, m->hit_first, m->hit_end) ||
                  hits_mention(sp, &sp->local, m->hit_first, m->hit_end)))
                continue;
            member_relevant(sp, m);
            added = true;
        }
        if (!added)
            return;
    }
    u->full = true;
}

/* Open addressing over hashes: the slot of `h` in a table of `cap`
 * (a power of two) entries holding index + 1, where `key(i)` is entry i's
 * hash. */
#define PROBE(table, cap, h, key, found)                                                   \
    for (size_t s_ = (size_t)((h) >> 1) & ((cap) - 1);; s_ = (s_ + 1) & ((cap) - 1)) {    \
        uint32_t v_ = (table)[s_];                                                         \
        if (!v_ || key(v_ - 1) == (h)) {                                                   \
            found = &(table)[s_];                                                          \
            break;                                                                         \
        }                                                                                  \
    }

/* Empties table t, sized for n entries (a power of two, at least twice
 * n); returns its size. */
static size_t table_reset(LLSplitTable *t, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    LL_VEC_RESERVE(t, cap);
    t->len = cap;
    memset(t->items, 0, cap * sizeof *t->items);
    return cap;
}

/* Definitions by name (unit + 1; units of the same name chained by
 * `next`). */
static void index_names(LLSplit *sp)
{
    size_t cap = table_reset(&sp->table, sp->units.len);
    for (uint32_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        if (!u->def)
            continue;
        uint32_t *slot;
#define UNIT_NAME(i) sp->units.items[i].name
        PROBE(sp->table.items, cap, u->name, UNIT_NAME, slot);
        if (!*slot) {
            *slot = i + 1;
        } else { /* another of that name */
            u->next = sp->units.items[*slot - 1].next;
            sp->units.items[*slot - 1].next = i;
        }
    }
}

static uint32_t find_name(const LLSplit *sp, uint64_t h)
{
    uint32_t *slot;
    PROBE(sp->table.items, sp->table.len, h, UNIT_NAME, slot);
    return *slot ? *slot - 1 : UINT32_MAX;
}

/* The definitions of classes planned member by member, by their names and
 * by the attributes they assign (entries chained by `next`). */
static void index_members(LLSplit *sp)
{
    sp->mentries.len = 0;
    for (uint32_t i = 0; i < sp->units.len; i++) {
        const LLSplitUnit *u = &sp->units.items[i];
        for (uint32_t j = u->member_first; u->is_class && !u->full && j < u->member_end; j++) {
            const LLSplitMember *m = &sp->members.items[j];
            if (!m->def)
                continue;
            if (m->name)
                LL_VEC_PUSH(&sp->mentries, ((LLSplitEntry){m->name, j, UINT32_MAX}));
            for (size_t k = m->hit_first; k < m->hit_end; k++)
                if ((sp->binds.items[k] & LL_SPLIT_BINDS_KIND) == LL_SPLIT_BINDS_ATTR)
                    LL_VEC_PUSH(&sp->mentries, ((LLSplitEntry){sp->hits.items[k], j, UINT32_MAX}));
        }
    }
    size_t cap = table_reset(&sp->mtable, sp->mentries.len);
#define ENTRY_HASH(i) sp->mentries.items[i].hash
    for (uint32_t e = 0; e < sp->mentries.len; e++) {
        uint32_t *slot;
        PROBE(sp->mtable.items, cap, sp->mentries.items[e].hash, ENTRY_HASH, slot);
        if (!*slot) {
            *slot = e + 1;
        } else {
            sp->mentries.items[e].next = sp->mentries.items[*slot - 1].next;
            sp->mentries.items[*slot - 1].next = e;
        }
    }
}

static uint32_t find_member_entry(const LLSplit *sp, uint64_t h)
{
    uint32_t *slot;
    PROBE(sp->mtable.items, sp->mtable.len, h, ENTRY_HASH, slot);
    return *slot ? *slot - 1 : UINT32_MAX;
}

#define MEMBER_BIT 0x80000000u
_Static_assert(LL_SPLIT_MAX_MEMBERS < MEMBER_BIT && LL_SPLIT_MAX_UNITS < MEMBER_BIT,
               "work items: a unit or a member");

static void keep_member(LLSplit *sp, uint32_t j)
{
    LLSplitMember *m = &sp->members.items[j];
    if (m->kept)
        return;
    m->kept = true;
    LL_VEC_PUSH(&sp->work, j | MEMBER_BIT);
}

/* Whether a parsed unit or member named member m (step 5). */
static bool member_named(const LLSplit *sp, const LLSplitMember *m)
{
    if (ll_identset_has(&sp->named, m->name))
        return true;
    for (size_t k = m->hit_first; k < m->hit_end; k++)
        if ((sp->binds.items[k] & LL_SPLIT_BINDS_KIND) == LL_SPLIT_BINDS_ATTR && ll_identset_has(&sp->named, sp->hits.items[k]))
            return true;
    return false;
}

static void keep_unit(LLSplit *sp, uint32_t i)
{
    LLSplitUnit *u = &sp->units.items[i];
    if (u->kept)
        return;
    u->kept = true;
    LL_VEC_PUSH(&sp->work, i);
    for (uint32_t j = u->member_first; u->is_class && !u->full && j < u->member_end; j++) {
        const LLSplitMember *m = &sp->members.items[j];
        if (!m->def || m->relevant || m->global || member_named(sp, m))
            keep_member(sp, j);
    }
}

/* Steps 3, 5 and 6 of split.h: what is parsed, and the definitions and
 * members it names, transitively. */
static void keep_named(LLSplit *sp)
{
    index_names(sp);
    index_members(sp);
    ll_identset_clear(&sp->named);
    sp->work.len = 0;
    for (uint32_t i = 0; i < sp->units.len; i++) {
        const LLSplitUnit *u = &sp->units.items[i];
        if (!u->def || u->relevant || u->global)
            keep_unit(sp, i);
    }
    for (;;) {
        while (sp->work.len) {
            uint32_t w = sp->work.items[--sp->work.len];
            size_t first, end;
            if (w & MEMBER_BIT) {
                const LLSplitMember *m = &sp->members.items[w & ~MEMBER_BIT];
                first = m->hit_first;
                end = m->hit_end;
            } else {
                const LLSplitUnit *u = &sp->units.items[w];
                first = u->hit_first;
                end = u->is_class && !u->full ? header_end(sp, u) : u->hit_end;
            }
            for (size_t k = first; k < end; k++) {
                uint64_t h = sp->hits.items[k];
                if (ll_identset_has(&sp->named, h))
                    continue; /* what it names is kept already */
                ll_identset_add(&sp->named, h);
                for (uint32_t d = find_name(sp, h); d != UINT32_MAX; d = sp->units.items[d].next)
                    keep_unit(sp, d);
                for (uint32_t e = find_member_entry(sp, h); e != UINT32_MAX;
                     e = sp->mentries.items[e].next) {
                    uint32_t j = sp->mentries.items[e].member;
                    if (sp->units.items[sp->members.items[j].unit].kept)
                        keep_member(sp, j);
                }
            }
        }
        /* a class parsed without any of its members: its shortest one */
        bool more = false;
        for (uint32_t i = 0; i < sp->units.len; i++) {
            const LLSplitUnit *u = &sp->units.items[i];
            if (!u->kept || !u->is_class || u->full)
                continue;
            uint32_t best = UINT32_MAX;
            bool any = false;
            for (uint32_t j = u->member_first; j < u->member_end && !any; j++) {
                const LLSplitMember *m = &sp->members.items[j];
                any = m->kept;
                if (best == UINT32_MAX ||
                    m->end - m->start < sp->members.items[best].end - sp->members.items[best].start)
                    best = j;
            }
            if (!any) {
                keep_member(sp, best);
                more = true;
            }
        }
        if (!more)
            return;
    }
}

/* Rows and columns as the parser counts them, bytes visited in order: a
 * row ends at LF, CRLF or a lone CR (frontend.c parses lone CRs as LFs). */
typedef struct RowCursor {
    size_t at, line;
    uint32_t row;
} RowCursor;

static TSPoint point_at(const char *text, size_t len, RowCursor *c, size_t off)
{
    for (; c->at < off; c->at++) {
        char ch = text[c->at];
        if (ch == '\n' || (ch == '\r' && (c->at + 1 >= len || text[c->at + 1] != '\n'))) {
            c->row++;
            c->line = c->at + 1;
        }
    }
    return (TSPoint){c->row, (uint32_t)(off - c->line)};
}

/* [start, end) parsed: a range of the plan, or part of the last one. */
static void add_range(LLSplit *sp, size_t start, size_t end)
{
    if (end == start)
        return;
    TSRange *last = sp->ranges.len ? &sp->ranges.items[sp->ranges.len - 1] : NULL;
    if (last && last->end_byte == start)
        last->end_byte = (uint32_t)end;
    else
        LL_VEC_PUSH(&sp->ranges, ((TSRange){.start_byte = (uint32_t)start, .end_byte = (uint32_t)end}));
}

bool ll_split_plan(LLSplit *sp, const char *text, size_t len, const LLIdentSet *file_ids,
                   const LLSplitNames *names)
{
    sp->work.len = sp->ranges.len = 0;
    sp->skipped_bytes = 0;
    if (!sp->scanned || sp->text != text || sp->len != len || len < 2 * sp->min_skip_bytes ||
        len > UINT32_MAX - 1)
        return false;
    for (size_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        u->relevant = u->kept = u->full = false;
        u->next = UINT32_MAX;
    }
    for (size_t j = 0; j < sp->members.len; j++)
        sp->members.items[j].relevant = sp->members.items[j].kept = false;
    ll_identset_clear(&sp->classes);
    for (size_t i = 0; i < sp->units.len; i++)
        if (sp->units.items[i].is_class)
            ll_identset_add(&sp->classes, sp->units.items[i].name);
    /* sources a function need not name: the whole file */
    if ((names->whole_if && ll_nameset_match_set(names->whole_if, file_ids)) ||
        (names->whole_if_literals && ll_sources_literal_in(names->whole_if_literals, text, len)))
        return false;
    /* seeds: the last segments of the names the file may mention */
    ll_identset_clear(&sp->seeds);
    ll_identset_clear(&sp->attr_seeds);
    ll_identset_clear(&sp->call_seeds);
    LLIdentSet *dotted = sp->star_import ? &sp->seeds : &sp->attr_seeds;
    for (size_t i = 0; i < LL_SPLIT_MAX_SETS; i++) {
        if (!names->sets[i])
            continue;
        const LLIdentSet *methods = names->methods[i], *calls = names->calls[i];
        if ((!methods || !methods->count) && (!calls || !calls->count)) {
            ll_nameset_matching_lasts(names->sets[i], file_ids, &sp->seeds, dotted);
            continue;
        }
        ll_identset_clear(&sp->scratch);
        ll_nameset_matching_lasts(names->sets[i], file_ids, &sp->scratch, dotted);
        for (size_t k = 0; k < sp->scratch.cap; k++) {
            uint64_t h = sp->scratch.slots[k];
            if (h)
                ll_identset_add(methods && ll_identset_has(methods, h) ? dotted
                                : calls && ll_identset_has(calls, h)   ? &sp->call_seeds
                                                                       : &sp->seeds,
                                h);
        }
    }
    /* a keyword a rule tests counts however spelled (safe_mode=False) */
    for (size_t k = 0; names->keywords && names->keywords->count && k < dotted->cap; k++)
        if (dotted->slots[k] && ll_identset_has(names->keywords, dotted->slots[k]))
            ll_identset_add(&sp->seeds, dotted->slots[k]);
    /* a module-level statement may bind a dotted name's last segment by
     * its plain name (from torch.hub import list; list = ...): then the
     * plain name is one too */
    for (size_t i = 0; sp->attr_seeds.count && i < sp->units.len; i++) {
        const LLSplitUnit *u = &sp->units.items[i];
        for (size_t k = u->hit_first; !u->def && k < u->hit_end; k++)
            if ((sp->binds.items[k] & LL_SPLIT_PLAIN) && ll_identset_has(&sp->attr_seeds, sp->hits.items[k]))
                ll_identset_add(&sp->seeds, sp->hits.items[k]);
    }
    for (size_t i = 0; names->always && i < names->always->cap; i++)
        if (names->always->slots[i])
            ll_identset_add(&sp->seeds, names->always->slots[i]);
    /* a hash's update() anywhere counts for the check of a digest
     * (verify.c): where one is compared, every update is parsed */
    if (ll_identset_has(file_ids, sp->hexdigest) || ll_identset_has(file_ids, sp->digest) ||
        ll_identset_has(file_ids, sp->compare_digest))
        ll_identset_add(&sp->seeds, sp->update);
    /* a definition holding a source's substring is relevant: each
     * substring looked for once in the whole text */
    for (size_t l = 0; names->literals && l < names->literals->len; l++) {
        const char *lit = names->literals->items[l];
        size_t n = strlen(lit), i = 0;
        const char *hit = n ? memmem(text, len, lit, n) : text;
        while (hit) {
            size_t off = (size_t)(hit - text);
            while (i + 1 < sp->units.len && sp->units.items[i + 1].start <= off)
                i++; /* the unit holding it: hits come in order */
            LLSplitUnit *u = &sp->units.items[i];
            if (u->def && !u->relevant) {
                u->relevant = true;
                ll_identset_add(&sp->seeds, u->name);
            }
            if (u->end >= len)
                break;
            /* the next unit's ("": every unit holds it) */
            hit = n ? memmem(text + u->end, len - u->end, lit, n) : text + u->end;
        }
    }
    if (!spread_seeds(sp))
        return false;
    for (size_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        if (!u->is_class)
            continue;
        if (!u->split)
            u->full = true;
        else if (u->relevant)
            class_relevance(sp, u, names->literals);
    }
    keep_named(sp);
    /* the plan: kept units and members, adjacent ones as one range */
    for (size_t i = 0; i < sp->units.len; i++) {
        const LLSplitUnit *u = &sp->units.items[i];
        if (!u->kept) {
            sp->skipped_bytes += u->end - u->start;
            continue;
        }
        if (!u->is_class || u->full) {
            add_range(sp, u->start, u->end);
            continue;
        }
        add_range(sp, u->start, sp->members.items[u->member_first].start);
        for (uint32_t j = u->member_first; j < u->member_end; j++) {
            const LLSplitMember *m = &sp->members.items[j];
            if (m->kept)
                add_range(sp, m->start, m->end);
            else
                sp->skipped_bytes += m->end - m->start;
        }
    }
    if (!sp->skipped_bytes || sp->skipped_bytes < sp->min_skip_bytes || !sp->ranges.len)
        return false;
    RowCursor c = {0, 0, 0};
    for (size_t i = 0; i < sp->ranges.len; i++) {
        TSRange *r = &sp->ranges.items[i];
        r->start_point = point_at(text, len, &c, r->start_byte);
        r->end_point = point_at(text, len, &c, r->end_byte);
    }
    return true;
}

uint64_t ll_split_digest(const LLSplit *sp)
{
    uint64_t h = LL_STRMAP_HASH_SEED;
    for (size_t i = 0; i < sp->ranges.len; i++) {
        uint32_t v[2] = {sp->ranges.items[i].start_byte, sp->ranges.items[i].end_byte};
        const unsigned char *b = (const unsigned char *)v;
        for (size_t k = 0; k < sizeof v; k++) {
            h ^= b[k];
            h *= LL_STRMAP_HASH_PRIME;
        }
    }
    return h | 1;
}
