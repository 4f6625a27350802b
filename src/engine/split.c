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
    sp->min_skip_bytes = LL_SPLIT_MIN_SKIP_BYTES;
}

void ll_split_release(LLSplit *sp)
{
    LL_VEC_FREE(&sp->units);
    LL_VEC_FREE(&sp->hits);
    LL_VEC_FREE(&sp->binds);
    LL_VEC_FREE(&sp->table);
    LL_VEC_FREE(&sp->work);
    LL_VEC_FREE(&sp->ranges);
    ll_identset_release(&sp->seeds);
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
        ll_identset_add(sc->ids, h);
        if (keep) {
            LL_VEC_PUSH(&sc->sp->hits, h);
            LL_VEC_PUSH(&sc->sp->binds, 0);
        }
    }
}

/* A string from its opening quote at p; returns where it ends. Its words
 * are kept unless it is a docstring (triple-quoted, not an f-string, the
 * first thing of its statement). A string that does not end, or an
 * f-string that holds its own quote inside a replacement field (Python
 * 3.12 nesting, which this scan does not follow), makes the structure
 * unclear: the file is parsed whole. */
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
    text_words(sc, body, e, !triple || fmt || !first);
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

/* Whether [w, e) (at most two bytes) is a string prefix (r, b, f, u, rb...). */
static bool string_prefix(const unsigned char *w, const unsigned char *e)
{
    for (; w < e; w++)
        if (!memchr("rRbBuUfF", *w, 8))
            return false;
    return true;
}

/* The first statement of a line at the left margin, at p: a new unit, or
 * the decorated definition the unit so far decorates. */
static void statement_at(Scan *sc, const unsigned char *line, const unsigned char *p)
{
    LLSplit *sp = sc->sp;
    const unsigned char *end = sc->end;
    bool at = *p == '@';
    /* [async] def NAME, class NAME */
    const unsigned char *w = p, *e = word_end(w, end), *name = NULL, *name_end = NULL;
    if (e - w == 5 && memcmp(w, "async", 5) == 0) {
        w = skip_blanks(e, end);
        e = word_end(w, end);
        if (!(e - w == 3 && memcmp(w, "def", 3) == 0))
            e = w; /* async for, async with */
    }
    if ((e - w == 3 && memcmp(w, "def", 3) == 0) || (e - w == 5 && memcmp(w, "class", 5) == 0)) {
        name = skip_blanks(e, end);
        name_end = word_end(name, end);
        if (name_end == name)
            name = NULL;
    }
    bool def = name != NULL;
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
    if (def)
        sp->units.items[sp->units.len - 1].name = word_hash(name, name_end);
    sc->decorating = at;
}

bool ll_split_scan(LLSplit *sp, const char *text, size_t len, const char *extra, LLIdentSet *ids)
{
    sp->units.len = sp->hits.len = sp->binds.len = 0;
    sp->scanned = false;
    ll_identset_clear(ids);
    Scan sc = {sp, ids, (const unsigned char *)text, (const unsigned char *)text + len, false, true};
    const unsigned char *p = sc.s, *end = sc.end;
    int depth = 0;
    bool line_start = true;
    uint64_t last = 0;      /* the code word before */
    bool in_global = false; /* in a global statement */
    bool first = false;     /* nothing of the statement read yet (docstrings) */
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
                if (p == margin)
                    statement_at(&sc, line, p);
                else if (!sp->units.len)
                    sc.plain = false; /* the first statement is indented */
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
             * called (f(...) binds nothing), but for def f( and class C( */
            bool attribute = b > sc.s && b[-1] == '.';
            const unsigned char *a = skip_blanks(p, end);
            bool called = a < end && *a == '(' && last != sp->def_kw && last != sp->class_kw;
            if (h == sp->global && !attribute)
                in_global = true; /* global a, b: module names this def binds */
            if (h == sp->import_kw && !attribute && a < end && (*a == '*' || *a == '\\') &&
                sp->units.len && sp->units.items[sp->units.len - 1].def)
                sc.plain = false; /* import * in a def: the resolver takes it file-wide */
            first = false;
            LL_VEC_PUSH(&sp->hits, h);
            LL_VEC_PUSH(&sp->binds, in_global && h != sp->global ? LL_SPLIT_BINDS_GLOBAL
                                    : !attribute && !called    ? LL_SPLIT_BINDS
                                                               : 0);
            last = h;
        } else {
            if (c == ';')
                in_global = false, first = true;
            else if (c != ' ' && c != '\t' && c != '\f')
                first = false;
            if (c == '(' || c == '[' || c == '{')
                depth++;
            else if ((c == ')' || c == ']' || c == '}') && depth > 0)
                depth--;
            p++;
        }
    }
    if (extra)
        text_words(&sc, (const unsigned char *)extra, (const unsigned char *)extra + strlen(extra),
                   false);
    if (sp->units.len)
        sp->units.items[sp->units.len - 1].hit_end = sp->hits.len;
    for (size_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        u->end = i + 1 < sp->units.len ? sp->units.items[i + 1].start : len;
        for (size_t k = u->hit_first; u->def && k < u->hit_end && !u->global; k++)
            u->global = sp->binds.items[k] == LL_SPLIT_BINDS_GLOBAL;
    }
    sp->scanned = sc.plain && !sc.decorating && depth == 0 && sp->units.len > 1;
    sp->text = text;
    sp->len = len;
    return sp->scanned;
}

static bool mentions_seed(const LLSplit *sp, const LLSplitUnit *u)
{
    for (size_t k = u->hit_first; k < u->hit_end; k++)
        if (ll_identset_has(&sp->seeds, sp->hits.items[k]))
            return true;
    return false;
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
                uint8_t b = sp->binds.items[k];
                if ((u->def ? b == LL_SPLIT_BINDS_GLOBAL : b != 0) &&
                    !ll_identset_has(&sp->keywords, sp->hits.items[k]))
                    ll_identset_add(&sp->seeds, sp->hits.items[k]);
            }
        }
        if (!added)
            return true;
    }
    return false;
}

/* Definitions by name (an open-addressing table of unit + 1; units of the
 * same name chained by `next`). */
static void index_names(LLSplit *sp)
{
    size_t cap = 16;
    while (cap < sp->units.len * 2)
        cap *= 2;
    LL_VEC_RESERVE(&sp->table, cap);
    sp->table.len = cap;
    memset(sp->table.items, 0, cap * sizeof *sp->table.items);
    for (uint32_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        if (!u->def)
            continue;
        for (size_t s = (size_t)(u->name >> 1) & (cap - 1);; s = (s + 1) & (cap - 1)) {
            uint32_t v = sp->table.items[s];
            if (!v) {
                sp->table.items[s] = i + 1;
                break;
            }
            if (sp->units.items[v - 1].name == u->name) { /* another of that name */
                u->next = sp->units.items[v - 1].next;
                sp->units.items[v - 1].next = i;
                break;
            }
        }
    }
}

static uint32_t find_name(const LLSplit *sp, uint64_t h)
{
    size_t cap = sp->table.len;
    for (size_t s = (size_t)(h >> 1) & (cap - 1);; s = (s + 1) & (cap - 1)) {
        uint32_t v = sp->table.items[s];
        if (!v)
            return UINT32_MAX;
        if (sp->units.items[v - 1].name == h)
            return v - 1;
    }
}

/* Step 3 of split.h: what is parsed, and the definitions it names,
 * transitively. */
static void keep_named(LLSplit *sp)
{
    index_names(sp);
    sp->work.len = 0;
    for (uint32_t i = 0; i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        u->kept = !u->def || u->relevant || u->global;
        if (u->kept)
            LL_VEC_PUSH(&sp->work, i);
    }
    while (sp->work.len) {
        const LLSplitUnit *u = &sp->units.items[sp->work.items[--sp->work.len]];
        for (size_t k = u->hit_first; k < u->hit_end; k++) {
            for (uint32_t d = find_name(sp, sp->hits.items[k]); d != UINT32_MAX;
                 d = sp->units.items[d].next) {
                if (!sp->units.items[d].kept) {
                    sp->units.items[d].kept = true;
                    LL_VEC_PUSH(&sp->work, d);
                }
            }
        }
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
        u->relevant = u->kept = false;
        u->next = UINT32_MAX;
    }
    /* sources a function need not name: the whole file */
    if ((names->whole_if && ll_nameset_match_set(names->whole_if, file_ids)) ||
        (names->whole_if_literals && ll_sources_literal_in(names->whole_if_literals, text, len)))
        return false;
    /* seeds: the last segments of the names the file may mention */
    ll_identset_clear(&sp->seeds);
    for (size_t i = 0; i < LL_SPLIT_MAX_SETS; i++)
        if (names->sets[i])
            ll_nameset_matching_lasts(names->sets[i], file_ids, &sp->seeds);
    for (size_t i = 0; names->always && i < names->always->cap; i++)
        if (names->always->slots[i])
            ll_identset_add(&sp->seeds, names->always->slots[i]);
    /* a hash's update() anywhere counts for the check of a digest
     * (verify.c): where one is compared, every update is parsed */
    if (ll_identset_has(file_ids, sp->hexdigest) || ll_identset_has(file_ids, sp->digest) ||
        ll_identset_has(file_ids, sp->compare_digest))
        ll_identset_add(&sp->seeds, sp->update);
    /* a definition holding a source's substring is relevant */
    for (size_t i = 0; names->literals && names->literals->len && i < sp->units.len; i++) {
        LLSplitUnit *u = &sp->units.items[i];
        if (u->def && ll_sources_literal_in(names->literals, text + u->start, u->end - u->start)) {
            u->relevant = true;
            ll_identset_add(&sp->seeds, u->name);
        }
    }
    if (!spread_seeds(sp))
        return false;
    keep_named(sp);
    /* the plan: kept units, adjacent ones as one range */
    for (size_t i = 0; i < sp->units.len; i++) {
        const LLSplitUnit *u = &sp->units.items[i];
        if (!u->kept) {
            sp->skipped_bytes += u->end - u->start;
            continue;
        }
        TSRange *last = sp->ranges.len ? &sp->ranges.items[sp->ranges.len - 1] : NULL;
        if (last && last->end_byte == u->start)
            last->end_byte = (uint32_t)u->end;
        else
            LL_VEC_PUSH(&sp->ranges, ((TSRange){.start_byte = (uint32_t)u->start,
                                                .end_byte = (uint32_t)u->end}));
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
