#include "artifact/npy.h"

#include "artifact/pickle.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6u

bool ll_npy_sniff(const uint8_t *head, size_t len)
{
    return len >= 10 && memcmp(head, NPY_MAGIC, NPY_MAGIC_LEN) == 0 && head[6] >= 1 && head[6] <= 3 &&
           head[7] == 0;
}

/* ---- the header literal ------------------------------------------------- */

enum { L_STR, L_INT, L_FLOAT, L_TRUE, L_FALSE, L_NONE, L_TUPLE, L_LIST, L_DICT };

typedef struct Lit {
    uint8_t type;
    bool big;        /* L_INT: does not fit in 64 bits */
    uint32_t first;  /* containers: first child (UINT32_MAX: none) */
    uint32_t last;
    uint32_t next;   /* next sibling */
    uint32_t count;
    size_t soff, slen; /* L_STR: in the strings buffer */
    int64_t i;
} Lit;

#define NONE_IDX UINT32_MAX

typedef struct Parser {
    const uint8_t *s;
    size_t n, pos;
    LL_VEC(Lit) lits;
    LLBuf strs;
    char err[160];
} Parser;

typedef struct Frame {
    uint32_t node;
    uint8_t closer;
    uint8_t state;
    bool comma; /* '(' : a comma was seen (a tuple, not a grouping) */
} Frame;

enum { S_VALUE_OR_CLOSE, S_COMMA_OR_CLOSE, S_COLON, S_VALUE };

static void skip_ws(Parser *p)
{
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
                             p->s[p->pos] == '\r' || p->s[p->pos] == '\f'))
        p->pos++;
}

static bool fail(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(Parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
    return false;
}

static uint32_t lit_new(Parser *p, uint8_t type)
{
    Lit l = {.type = type, .first = NONE_IDX, .last = NONE_IDX, .next = NONE_IDX};
    LL_VEC_PUSH(&p->lits, l);
    return (uint32_t)(p->lits.len - 1);
}

static void lit_append(Parser *p, uint32_t parent, uint32_t child)
{
    Lit *c = &p->lits.items[parent];
    if (c->last == NONE_IDX)
        c->first = child;
    else
        p->lits.items[c->last].next = child;
    c->last = child;
    c->count++;
}

static int hexv(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void put_cp(LLBuf *b, uint32_t cp)
{
    char s[4];
    if (cp < 0x80) {
        ll_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | cp >> 6);
        s[1] = (char)(0x80 | (cp & 0x3F));
        ll_buf_append(b, s, 2);
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | cp >> 12);
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        ll_buf_append(b, s, 3);
    } else {
        s[0] = (char)(0xF0 | cp >> 18);
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        ll_buf_append(b, s, 4);
    }
}

/* A quoted string at p->pos (after an optional u/b/r prefix), appended to
 * the strings buffer. */
static bool lex_string(Parser *p, bool raw)
{
    uint8_t q = p->s[p->pos++];
    bool triple = p->pos + 1 < p->n && p->s[p->pos] == q && p->s[p->pos + 1] == q;
    if (triple)
        p->pos += 2;
    for (;;) {
        if (p->pos >= p->n)
            return fail(p, "unterminated string");
        uint8_t c = p->s[p->pos++];
        if (c == q) {
            if (!triple)
                return true;
            if (p->pos + 1 < p->n && p->s[p->pos] == q && p->s[p->pos + 1] == q) {
                p->pos += 2;
                return true;
            }
            ll_buf_putc(&p->strs, (char)c);
            continue;
        }
        if (c == '\n' && !triple)
            return fail(p, "unterminated string");
        if (c != '\\' || raw) {
            ll_buf_putc(&p->strs, (char)c);
            continue;
        }
        if (p->pos >= p->n)
            return fail(p, "unterminated string");
        uint8_t e = p->s[p->pos++];
        unsigned hex = 0;
        switch (e) {
        case 'n': ll_buf_putc(&p->strs, '\n'); break;
        case 't': ll_buf_putc(&p->strs, '\t'); break;
        case 'r': ll_buf_putc(&p->strs, '\r'); break;
        case '0': ll_buf_putc(&p->strs, '\0'); break;
        case '\\': case '\'': case '"': ll_buf_putc(&p->strs, (char)e); break;
        case '\n': break;
        case 'x': hex = 2; break;
        case 'u': hex = 4; break;
        case 'U': hex = 8; break;
        default:
            ll_buf_putc(&p->strs, '\\');
            ll_buf_putc(&p->strs, (char)e);
        }
        if (hex) {
            uint32_t cp = 0;
            for (unsigned k = 0; k < hex; k++) {
                if (p->pos >= p->n || hexv(p->s[p->pos]) < 0)
                    return fail(p, "bad escape in a string");
                cp = cp << 4 | (uint32_t)hexv(p->s[p->pos++]);
            }
            if (cp > 0x10FFFF)
                return fail(p, "bad escape in a string");
            put_cp(&p->strs, cp);
        }
    }
}

/* One scalar at p->pos: its node index, or NONE_IDX with p->err. */
static uint32_t lex_scalar(Parser *p)
{
    const uint8_t *s = p->s;
    uint8_t c = s[p->pos];
    if (c == '\'' || c == '"' || ((c == 'u' || c == 'b' || c == 'r' || c == 'U' || c == 'B' || c == 'R') &&
                                  p->pos + 1 < p->n && (s[p->pos + 1] == '\'' || s[p->pos + 1] == '"'))) {
        uint32_t id = lit_new(p, L_STR);
        size_t start = p->strs.len;
        /* adjacent string literals are one string */
        for (;;) {
            bool raw = false;
            if (s[p->pos] != '\'' && s[p->pos] != '"') {
                raw = (s[p->pos] | 0x20) == 'r';
                p->pos++;
            }
            if (!lex_string(p, raw))
                return NONE_IDX;
            skip_ws(p);
            if (p->pos >= p->n)
                break;
            c = s[p->pos];
            if (!(c == '\'' || c == '"' ||
                  ((c == 'u' || c == 'r' || c == 'U' || c == 'R') && p->pos + 1 < p->n &&
                   (s[p->pos + 1] == '\'' || s[p->pos + 1] == '"'))))
                break;
        }
        p->lits.items[id].soff = start;
        p->lits.items[id].slen = p->strs.len - start;
        return id;
    }
    static const struct {
        const char *w;
        uint8_t t;
    } words[] = {{"True", L_TRUE}, {"False", L_FALSE}, {"None", L_NONE}};
    for (size_t k = 0; k < 3; k++) {
        size_t wl = strlen(words[k].w);
        if (p->n - p->pos >= wl && memcmp(s + p->pos, words[k].w, wl) == 0 &&
            (p->pos + wl == p->n || !((s[p->pos + wl] | 0x20) >= 'a' && (s[p->pos + wl] | 0x20) <= 'z'))) {
            p->pos += wl;
            return lit_new(p, words[k].t);
        }
    }
    bool neg = false;
    if (c == '-' || c == '+') {
        neg = c == '-';
        p->pos++;
        skip_ws(p);
    }
    if (p->pos >= p->n || s[p->pos] < '0' || s[p->pos] > '9') {
        fail(p, "unexpected character '%c' at header offset %zu", p->pos < p->n ? s[p->pos] : '?', p->pos);
        return NONE_IDX;
    }
    uint64_t v = 0;
    bool big = false, isfloat = false;
    while (p->pos < p->n) {
        c = s[p->pos];
        if (c >= '0' && c <= '9') {
            if (v > (UINT64_MAX - 9) / 10)
                big = true;
            v = v * 10 + (uint64_t)(c - '0');
        } else if (c == '_') {
        } else if (c == '.' || c == 'e' || c == 'E' || ((c == '+' || c == '-') && isfloat)) {
            isfloat = true;
        } else {
            break;
        }
        p->pos++;
    }
    if (p->pos < p->n && (s[p->pos] == 'L' || s[p->pos] == 'l'))
        p->pos++; /* Python 2 long */
    uint32_t id = lit_new(p, isfloat ? L_FLOAT : L_INT);
    p->lits.items[id].i = neg ? -(int64_t)v : (int64_t)v;
    p->lits.items[id].big = big;
    return id;
}

/* Parses the whole header; returns the root node or NONE_IDX. */
static uint32_t parse_literal(Parser *p)
{
    LL_VEC(Frame) st = {0};
    uint32_t root = NONE_IDX;
    bool ok = true;
    for (;;) {
        skip_ws(p);
        if (p->lits.len > LL_ART_NPY_MAX_NODES) {
            ok = fail(p, "the header holds more than %u values", LL_ART_NPY_MAX_NODES);
            break;
        }
        Frame *f = st.len ? &st.items[st.len - 1] : NULL;
        if (p->pos >= p->n) {
            if (f || root == NONE_IDX)
                ok = fail(p, "the header ends inside its literal");
            break;
        }
        uint8_t c = p->s[p->pos];
        if (!f && root != NONE_IDX) {
            ok = fail(p, "text after the header's literal at offset %zu", p->pos);
            break;
        }
        if (f && (f->state == S_COMMA_OR_CLOSE || f->state == S_VALUE_OR_CLOSE) && c == f->closer) {
            p->pos++;
            uint32_t done = f->node;
            bool grouping = f->closer == ')' && !f->comma && p->lits.items[done].count == 1;
            st.len--;
            if (grouping) {
                /* (x) is x: replace the tuple node by its only child */
                done = p->lits.items[done].first;
            }
            f = st.len ? &st.items[st.len - 1] : NULL;
            if (!f) {
                root = done;
                continue;
            }
            lit_append(p, f->node, done);
            f->state = p->lits.items[f->node].type == L_DICT && f->state == S_VALUE ? S_COMMA_OR_CLOSE
                       : p->lits.items[f->node].type == L_DICT && f->state != S_VALUE ? S_COLON
                                                                                      : S_COMMA_OR_CLOSE;
            continue;
        }
        if (f && f->state == S_COMMA_OR_CLOSE) {
            if (c != ',') {
                ok = fail(p, "expected ',' or '%c' at header offset %zu", f->closer, p->pos);
                break;
            }
            p->pos++;
            f->comma = true;
            f->state = S_VALUE_OR_CLOSE;
            continue;
        }
        if (f && f->state == S_COLON) {
            if (c != ':') {
                ok = fail(p, "expected ':' at header offset %zu", p->pos);
                break;
            }
            p->pos++;
            f->state = S_VALUE;
            continue;
        }
        /* a value */
        if (c == '(' || c == '[' || c == '{') {
            if (st.len >= LL_ART_NPY_MAX_DEPTH) {
                ok = fail(p, "the header's literal is nested more than %u levels", LL_ART_NPY_MAX_DEPTH);
                break;
            }
            p->pos++;
            Frame nf = {.node = lit_new(p, c == '(' ? L_TUPLE : c == '[' ? L_LIST : L_DICT),
                        .closer = c == '(' ? ')' : c == '[' ? ']' : '}',
                        .state = S_VALUE_OR_CLOSE};
            LL_VEC_PUSH(&st, nf);
            continue;
        }
        uint32_t v = lex_scalar(p);
        if (v == NONE_IDX) {
            ok = false;
            break;
        }
        if (!f) {
            root = v;
            continue;
        }
        lit_append(p, f->node, v);
        if (p->lits.items[f->node].type == L_DICT)
            f->state = f->state == S_VALUE ? S_COMMA_OR_CLOSE : S_COLON;
        else
            f->state = S_COMMA_OR_CLOSE;
    }
    LL_VEC_FREE(&st);
    return ok ? root : NONE_IDX;
}

static bool lit_str_is(const Parser *p, uint32_t id, const char *s)
{
    const Lit *l = &p->lits.items[id];
    return l->type == L_STR && l->slen == strlen(s) && memcmp(p->strs.data + l->soff, s, l->slen) == 0;
}

/* The value of key k in dict d (the last one, as Python keeps). */
static uint32_t dict_get(const Parser *p, uint32_t d, const char *k)
{
    uint32_t found = NONE_IDX;
    for (uint32_t c = p->lits.items[d].first; c != NONE_IDX;) {
        uint32_t v = p->lits.items[c].next;
        if (v == NONE_IDX)
            break;
        if (lit_str_is(p, c, k))
            found = v;
        c = p->lits.items[v].next;
    }
    return found;
}

/* A NumPy type string: its kind and item size (0 when unknown). */
static bool typestr(const char *s, size_t n, char *kind, uint64_t *size)
{
    size_t i = 0;
    if (i < n && (s[i] == '<' || s[i] == '>' || s[i] == '|' || s[i] == '='))
        i++;
    if (i >= n)
        return false;
    *kind = s[i++];
    uint64_t v = 0;
    bool digits = false;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (v > 1000000000u)
            return false;
        v = v * 10 + (uint64_t)(s[i++] - '0');
        digits = true;
    }
    if (i < n && s[i] == '[') /* datetime unit */
        while (i < n && s[i] != ']')
            i++;
    switch (*kind) {
    case '?': *size = 1; break;
    case 'b': case 'i': case 'u': case 'f': case 'c': case 'S': case 'a': case 'V': case 'M': case 'm':
        *size = digits ? v : 0;
        break;
    case 'U': *size = digits ? v * 4 : 0; break;
    case 'O': *size = 8; break;
    default: *size = 0;
    }
    return true;
}

/* Does descr (a type string or a list of fields) hold an object type, at
 * any depth? An explicit stack: no recursion on the header's nesting. */
static bool descr_has_object(const Parser *p, uint32_t descr)
{
    LL_VEC(uint32_t) todo = {0};
    LL_VEC_PUSH(&todo, descr);
    bool obj = false;
    while (todo.len && !obj) {
        uint32_t d = todo.items[--todo.len];
        const Lit *l = &p->lits.items[d];
        if (l->type == L_STR) {
            char kind;
            uint64_t size;
            if (typestr(p->strs.data + l->soff, l->slen, &kind, &size) && kind == 'O')
                obj = true;
            /* "O" also names the object type in longer spellings */
            if (l->slen == 6 && memcmp(p->strs.data + l->soff, "object", 6) == 0)
                obj = true;
        } else if (l->type == L_LIST || l->type == L_TUPLE) {
            for (uint32_t c = l->first; c != NONE_IDX; c = p->lits.items[c].next) {
                const Lit *fld = &p->lits.items[c];
                /* a field: (name, type[, shape]) */
                if ((fld->type == L_TUPLE || fld->type == L_LIST) && fld->count >= 2) {
                    uint32_t t = p->lits.items[fld->first].next;
                    LL_VEC_PUSH(&todo, t);
                }
            }
        }
    }
    LL_VEC_FREE(&todo);
    return obj;
}

static void report(const LLArtCtx *ctx, LLArtResult *out, const char *check, uint64_t off, uint64_t n,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void report(const LLArtCtx *ctx, LLArtResult *out, const char *check, uint64_t off, uint64_t n,
                   const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    LLArtLoc loc = ll_art_ctx_loc(ctx, off, n);
    ll_art_add(out, check, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL, "%s", msg);
}

const char *ll_npy_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    if (!ll_npy_sniff(data, len)) {
        report(ctx, out, ART_CHECK_MALFORMED, 0, len < 10 ? len : 10,
               "not a readable .npy file (bad magic or version)");
        return "numpy-npy";
    }
    unsigned major = data[6];
    size_t hstart = major == 1 ? 10 : 12;
    if (len < hstart) {
        report(ctx, out, ART_CHECK_MALFORMED, 0, len, ".npy header is truncated");
        return "numpy-npy";
    }
    uint64_t hlen = major == 1 ? (uint64_t)(data[8] | data[9] << 8)
                               : (uint64_t)data[8] | (uint64_t)data[9] << 8 | (uint64_t)data[10] << 16 |
                                     (uint64_t)data[11] << 24;
    if (hlen > len - hstart) {
        report(ctx, out, ART_CHECK_MALFORMED, 0, hstart, ".npy header of %llu bytes is longer than the file",
               (unsigned long long)hlen);
        return "numpy-npy";
    }
    if (hlen > LL_ART_NPY_MAX_HEADER) {
        report(ctx, out, ART_CHECK_LIMIT, 0, hstart,
               ".npy header of %llu bytes is longer than LL_ART_NPY_MAX_HEADER (%u); not read",
               (unsigned long long)hlen, LL_ART_NPY_MAX_HEADER);
        return "numpy-npy";
    }
    Parser p = {.s = data + hstart, .n = (size_t)hlen};
    ll_buf_init(&p.strs);
    size_t body = hstart + (size_t)hlen;
    uint32_t root = parse_literal(&p);
    uint32_t descr = NONE_IDX, shape = NONE_IDX, fortran = NONE_IDX;
    const char *bad = NULL;
    if (root == NONE_IDX) {
        bad = p.err;
    } else if (p.lits.items[root].type != L_DICT) {
        bad = "the header is not a dict";
    } else {
        descr = dict_get(&p, root, "descr");
        shape = dict_get(&p, root, "shape");
        fortran = dict_get(&p, root, "fortran_order");
        /* numpy: exactly these keys */
        unsigned keys = 0;
        bool other = false;
        for (uint32_t c = p.lits.items[root].first; c != NONE_IDX;) {
            uint32_t v = p.lits.items[c].next;
            if (!lit_str_is(&p, c, "descr") && !lit_str_is(&p, c, "shape") && !lit_str_is(&p, c, "fortran_order"))
                other = true;
            keys++;
            c = v == NONE_IDX ? NONE_IDX : p.lits.items[v].next;
        }
        (void)keys;
        if (other || descr == NONE_IDX || shape == NONE_IDX || fortran == NONE_IDX)
            bad = "the header does not hold exactly descr, fortran_order and shape";
        else if (p.lits.items[fortran].type != L_TRUE && p.lits.items[fortran].type != L_FALSE)
            bad = "fortran_order is not a bool";
        else if (p.lits.items[shape].type != L_TUPLE)
            bad = "shape is not a tuple";
        else
            for (uint32_t c = p.lits.items[shape].first; c != NONE_IDX && !bad; c = p.lits.items[c].next)
                if (p.lits.items[c].type != L_INT || p.lits.items[c].i < 0 || p.lits.items[c].big)
                    bad = "shape holds something other than non-negative ints";
        if (!bad && p.lits.items[descr].type != L_STR && p.lits.items[descr].type != L_LIST)
            bad = "descr is neither a type string nor a list of fields";
    }
    if (bad) {
        report(ctx, out, ART_CHECK_MALFORMED, hstart, (uint64_t)hlen, ".npy header cannot be read: %s", bad);
    } else if (descr_has_object(&p, descr)) {
        /* np.load(allow_pickle=True) unpickles the rest of the file */
        ll_pickle_scan(ctx, data, body, len, LL_PICKLE_PLAIN, out);
    } else if (p.lits.items[descr].type == L_STR) {
        char kind;
        uint64_t item = 0, count = 1;
        const Lit *dl = &p.lits.items[descr];
        bool known = typestr(p.strs.data + dl->soff, dl->slen, &kind, &item) && item > 0;
        for (uint32_t c = p.lits.items[shape].first; c != NONE_IDX && known; c = p.lits.items[c].next) {
            uint64_t d = (uint64_t)p.lits.items[c].i;
            if (d && count > UINT64_MAX / d)
                known = false;
            else
                count *= d;
        }
        if (known && item && count > UINT64_MAX / item)
            known = false;
        if (known && count * item > len - body)
            report(ctx, out, ART_CHECK_MALFORMED, body, len - body,
                   ".npy array is truncated: its shape needs %llu bytes, the file has %zu",
                   (unsigned long long)(count * item), len - body);
    }
    LL_VEC_FREE(&p.lits);
    ll_buf_release(&p.strs);
    return "numpy-npy";
}
