#include "artifact/pickle.h"

#include "artifact/joblib.h"
#include "artifact/torch.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- symbolic values ------------------------------------------------------ */

enum {
    PK_ABSENT = 0, /* memo: no entry; object state: not set */
    PK_UNKNOWN,    /* some object the walker does not model (a call's result...) */
    PK_NONE,
    PK_BOOL,
    PK_INT,
    PK_FLOAT,
    PK_STR,    /* u: offset of the opcode holding it (decoded on demand) */
    PK_BYTES,  /* u: offset of the opcode holding it */
    PK_GLOBAL, /* ref: index in the import table */
    PK_NODE,   /* ref: index in the node table */
};

enum {
    PKF_MAGIC = 1u,    /* the int is legacy torch.save's magic number */
    PKF_BIG = 2u,      /* the int does not fit in 64 bits */
    PKF_DYNAMIC = 4u,  /* an import whose target is unknown (dynamic STACK_GLOBAL, EXT) */
    PKF_POISON = 8u,   /* made up after a load error (the loader stops before it) */
};

enum { N_TUPLE, N_LIST, N_DICT, N_SET, N_FROZENSET, N_OBJ, N_PERSID };

typedef struct PkVal {
    uint8_t kind;
    uint8_t op; /* PK_STR, PK_BYTES: the opcode byte */
    uint16_t flags;
    uint32_t ref;
    uint64_t u;
} PkVal;

/* A container or an object. An object's items are its callable, its
 * arguments and its BUILD state. */
typedef struct PkNode {
    uint8_t kind;
    uint8_t n;   /* items kept */
    uint8_t cap; /* room at `items` */
    uint32_t count; /* items added (saturating) */
    uint32_t items; /* index in the pool */
} PkNode;

#define OBJ_CALLEE 0
#define OBJ_ARGS 1
#define OBJ_STATE 2

typedef struct PkMemoSlot {
    uint64_t key; /* index + 1; 0: empty */
    PkVal v;
} PkMemoSlot;

typedef struct PkMemo {
    LL_VEC(PkVal) dense; /* index -> value (PK_ABSENT: none) */
    PkMemoSlot *sparse;  /* open addressing, for indexes far from the dense part */
    size_t scap, scount;
    size_t count; /* entries present: MEMOIZE's index */
} PkMemo;

/* One distinct import of the stream. */
typedef struct PkImport {
    const char *name; /* in the walker's arena */
    uint32_t len, modlen;
    uint64_t off, oplen; /* first occurrence */
    uint32_t count;
    uint8_t cls;         /* LLPickleClass */
    uint8_t how;         /* how it was first reached */
    uint8_t special;     /* SP_*: what the walker knows about calling it */
    bool called;
    bool mutated;
    uint64_t mut_off;
    const char *reason;
} PkImport;

enum { HOW_GLOBAL, HOW_STACK_GLOBAL, HOW_INST, HOW_GETATTR, HOW_IMPORT_CALL };

/* Imports whose calls the walker follows, found once per distinct import. */
enum {
    SP_NONE = 0,
    SP_GETATTR,       /* builtins.getattr(obj, name): obj.name */
    SP_IMPORT,        /* importlib.import_module(name), __import__(name): the module */
    SP_RESOLVE,       /* pkgutil.resolve_name("a.b:c"): a.b.c */
    SP_LOADS,         /* unpickles its bytes argument */
    SP_RECONSTRUCTOR, /* copyreg._reconstructor / __newobj__(cls, ...): a cls */
    SP_DTYPE,         /* numpy.dtype */
    SP_JOBLIB_WRAPPER /* joblib's NumpyArrayWrapper */
};

/* A finding reported once per stream, at its first occurrence. */
typedef struct PkEvent {
    uint64_t off, len;
    uint32_t count;
    char subject[LL_PICKLE_VALUE_NAME];
    char detail[LL_PICKLE_VALUE_NAME];
} PkEvent;

typedef struct PkWalker {
    const LLPickleOptions *o;
    LLArtResult *out; /* NULL when sniffing */
    const uint8_t *d;
    size_t start, end, pos, op_at;
    size_t frame_end;  /* end of the current protocol 4 frame (0: none) */
    size_t jump_from;  /* joblib read raw data after the frame: at jump_from ... */
    size_t jump_to;    /* ... the stream goes on at jump_to (0: no jump) */
    size_t lim;        /* jump_to ? jump_from : end */
    bool strict;       /* sniffing: any error ends the walk */
    bool failed;       /* the walk ended on an error */
    bool malformed;    /* a malformed finding was added */
    bool nodes_full;   /* the node budget ran out (reported once) */
    bool stop;         /* a limit or an unsupported layout ended the walk */
    bool ran_out;      /* the walk ended because the data ended */
    bool head_only;    /* sniffing the first bytes of a longer file */
    bool joblib;
    int proto;
    uint32_t opcodes;  /* opcodes read completely */
    uint8_t first_op;
    LL_VEC(PkVal) stack;
    LL_VEC(size_t) marks;
    PkMemo memo;
    LL_VEC(PkNode) nodes;
    LL_VEC(PkVal) pool;
    LL_VEC(PkImport) imports;
    LLStrMap import_map;
    LLArena arena;
    PkEvent ev_dynamic, ev_ext, ev_indirect;
    LLBuf t1, t2, nm;
} PkWalker;

static const PkVal k_unknown = {.kind = PK_UNKNOWN};
static const PkVal k_poison = {.kind = PK_UNKNOWN, .flags = PKF_POISON};

/* legacy torch.save's magic number 0x1950a86a20f9469cfc6c, little-endian
 * as LONG1 writes it, and in decimal as protocol 0's LONG does */
static const uint8_t k_magic_le[10] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
static const char k_magic_dec[] = "119547037146038801333356";

/* ---- small helpers ---------------------------------------------------------- */

/* Little-endian unsigned integers of 1, 2, 4 or 8 bytes (any alignment). */
static inline uint64_t rd_le(const uint8_t *p, unsigned n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    switch (n) {
    case 1: return p[0];
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    case 8: { uint64_t v; memcpy(&v, p, 8); return v; }
    default: break;
    }
#endif
    uint64_t v = 0;
    for (unsigned i = n; i > 0; i--)
        v = v << 8 | p[i - 1];
    return v;
}

static void w_report(PkWalker *w, const char *check, LLSeverity sev, LLArtVerdict verdict,
                     uint64_t off, uint64_t len, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void w_report(PkWalker *w, const char *check, LLSeverity sev, LLArtVerdict verdict,
                     uint64_t off, uint64_t len, const char *subject, const char *fmt, ...)
{
    if (!w->out)
        return;
    /* a problem at the end of the data ("truncated") is located there,
     * with no byte past it */
    if (off >= w->end)
        len = 0;
    else if (len > w->end - off)
        len = w->end - off;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    LLArtLoc loc = ll_art_ctx_loc(w->o->ctx, off, len);
    ll_art_add(w->out, check, sev, verdict, &loc, subject, "%s", b.data);
    ll_buf_release(&b);
}

/* An error the loader raises when it gets here: the stream would stop.
 * Sniffing: the walk ends. Scanning: reported once, the walk goes on. */
static bool w_semantic(PkWalker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool w_semantic(PkWalker *w, const char *fmt, ...)
{
    if (w->strict) {
        w->failed = true;
        return false;
    }
    if (!w->malformed && w->out) {
        LLBuf b;
        ll_buf_init(&b);
        va_list ap;
        va_start(ap, fmt);
        ll_buf_vprintf(&b, fmt, ap);
        va_end(ap);
        w_report(w, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, w->op_at, 1, NULL,
                 "the pickle fails to load at offset %zu (%s); the rest of it was read anyway",
                 w->op_at, b.data);
        ll_buf_release(&b);
        w->malformed = true;
    }
    return true;
}

/* Bytes that cannot be read as pickle: the walk ends. */
static void w_fail(PkWalker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void w_fail(PkWalker *w, const char *fmt, ...)
{
    w->failed = true;
    if (w->strict || !w->out)
        return;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    w_report(w, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, w->op_at, 1, NULL,
             "not a readable pickle at offset %zu: %s", w->op_at, b.data);
    ll_buf_release(&b);
    w->malformed = true;
}

/* A limit or an unsupported layout: the walk ends. */
static void w_limit(PkWalker *w, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void w_limit(PkWalker *w, const char *check, const char *fmt, ...)
{
    w->failed = true;
    w->stop = true;
    if (w->strict || !w->out)
        return;
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    w_report(w, check, LL_SEV_WARNING, LL_ART_UNSCANNABLE, w->op_at, 1, NULL, "%s", b.data);
    ll_buf_release(&b);
}

/* ---- memo ------------------------------------------------------------------- */

static PkMemoSlot *memo_sparse_find(const PkMemo *m, uint64_t idx)
{
    if (!m->scap)
        return NULL;
    uint64_t key = idx + 1;
    size_t mask = m->scap - 1;
    for (size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull) & mask;; i = (i + 1) & mask) {
        if (m->sparse[i].key == key)
            return &m->sparse[i];
        if (m->sparse[i].key == 0)
            return NULL;
    }
}

static void memo_sparse_insert(PkMemo *m, uint64_t idx, PkVal v)
{
    if ((m->scount + 1) * 2 > m->scap) {
        size_t ncap = m->scap ? m->scap * 2 : 64;
        PkMemoSlot *ns = ll_xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < m->scap; i++) {
            if (!m->sparse[i].key)
                continue;
            size_t j = (size_t)(m->sparse[i].key * 0x9E3779B97F4A7C15ull) & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = m->sparse[i];
        }
        free(m->sparse);
        m->sparse = ns;
        m->scap = ncap;
    }
    uint64_t key = idx + 1;
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull) & (m->scap - 1);
    while (m->sparse[j].key)
        j = (j + 1) & (m->scap - 1);
    m->sparse[j].key = key;
    m->sparse[j].v = v;
    m->scount++;
}

/* false: the memo limit was reached */
static bool memo_put(PkWalker *w, uint64_t idx, PkVal v)
{
    PkMemo *m = &w->memo;
    if (v.kind == PK_ABSENT)
        v = k_unknown;
    if (m->scount) {
        PkMemoSlot *s = memo_sparse_find(m, idx);
        if (s) {
            s->v = v;
            return true;
        }
    }
    if (idx < m->dense.len) {
        if (m->dense.items[idx].kind == PK_ABSENT)
            m->count++;
        m->dense.items[idx] = v;
        return true;
    }
    if (idx == m->dense.len && idx < m->dense.cap && m->count < LL_ART_PICKLE_MAX_MEMO) {
        m->dense.items[m->dense.len++] = v; /* the usual case: the next index */
        m->count++;
        return true;
    }
    if (m->count >= LL_ART_PICKLE_MAX_MEMO) {
        w_limit(w, ART_CHECK_LIMIT, "the pickle's memo holds more than %u entries (LL_ART_PICKLE_MAX_MEMO)",
                LL_ART_PICKLE_MAX_MEMO);
        return false;
    }
    if (idx < LL_ART_PICKLE_MEMO_DENSE && idx <= m->dense.len * 2 + 1024) {
        size_t old = m->dense.len;
        LL_VEC_RESERVE(&m->dense, (size_t)idx + 1);
        for (size_t i = old; i < idx; i++)
            m->dense.items[i].kind = PK_ABSENT;
        m->dense.len = (size_t)idx + 1;
        m->dense.items[idx] = v;
    } else {
        memo_sparse_insert(m, idx, v);
    }
    m->count++;
    return true;
}

static bool memo_get(const PkMemo *m, uint64_t idx, PkVal *v)
{
    if (idx < m->dense.len && m->dense.items[idx].kind != PK_ABSENT) {
        *v = m->dense.items[idx];
        return true;
    }
    if (m->scount) {
        PkMemoSlot *s = memo_sparse_find(m, idx);
        if (s) {
            *v = s->v;
            return true;
        }
    }
    return false;
}

/* ---- nodes ------------------------------------------------------------------ */

static void nodes_full(PkWalker *w)
{
    if (w->nodes_full)
        return;
    w->nodes_full = true;
    w_report(w, ART_CHECK_LIMIT, LL_SEV_NOTE, LL_ART_SAFE, w->op_at, 1, NULL,
             "past %u containers (LL_ART_PICKLE_MAX_NODES) the contents of new containers are not "
             "tracked; every import is still checked",
             LL_ART_PICKLE_MAX_NODES);
}

/* A new node with room for `cap` items; PK_UNKNOWN when the budget is spent. */
static inline PkVal node_new(PkWalker *w, uint8_t kind, unsigned cap)
{
    if (w->nodes.len >= LL_ART_PICKLE_MAX_NODES || w->pool.len + cap > LL_ART_PICKLE_MAX_POOL) {
        nodes_full(w);
        return k_unknown;
    }
    PkNode n = {.kind = kind, .cap = (uint8_t)cap, .items = (uint32_t)w->pool.len};
    if (cap) {
        if (w->pool.len + cap > w->pool.cap)
            LL_VEC_RESERVE(&w->pool, w->pool.len + cap);
        w->pool.len += cap;
    }
    if (w->nodes.len == w->nodes.cap)
        LL_VEC_RESERVE(&w->nodes, w->nodes.len + 1);
    w->nodes.items[w->nodes.len++] = n;
    return (PkVal){.kind = PK_NODE, .ref = (uint32_t)(w->nodes.len - 1)};
}

static unsigned node_max(uint8_t kind)
{
    return kind == N_DICT ? 2u * LL_ART_PICKLE_TRACK_ITEMS : LL_ART_PICKLE_TRACK_ITEMS;
}

static void node_add(PkWalker *w, uint32_t id, PkVal v)
{
    PkNode *n = &w->nodes.items[id];
    if (n->count < UINT32_MAX)
        n->count++;
    if (n->n >= node_max(n->kind))
        return;
    if (n->n == n->cap) {
        unsigned ncap = n->cap ? n->cap * 2u : 4u;
        if (ncap > node_max(n->kind))
            ncap = node_max(n->kind);
        if (w->pool.len + ncap > LL_ART_PICKLE_MAX_POOL) {
            nodes_full(w);
            return;
        }
        LL_VEC_RESERVE(&w->pool, w->pool.len + ncap);
        n = &w->nodes.items[id];
        memcpy(&w->pool.items[w->pool.len], &w->pool.items[n->items], n->n * sizeof(PkVal));
        n->items = (uint32_t)w->pool.len;
        n->cap = (uint8_t)ncap;
        w->pool.len += ncap;
    }
    w->pool.items[n->items + n->n++] = v;
}

static PkNode *node_of(PkWalker *w, PkVal v, int kind)
{
    if (v.kind != PK_NODE || v.ref >= w->nodes.len)
        return NULL;
    PkNode *n = &w->nodes.items[v.ref];
    return kind < 0 || n->kind == kind ? n : NULL;
}

/* The node's items (NULL when it has no room: then n->n is 0). */
static PkVal *node_items(PkWalker *w, const PkNode *n)
{
    return n->cap ? w->pool.items + n->items : NULL;
}

/* A container of the values stack[from, len); they are popped. */
static PkVal node_from_stack(PkWalker *w, uint8_t kind, size_t from)
{
    size_t k = w->stack.len - from;
    unsigned keep = k < node_max(kind) ? (unsigned)k : node_max(kind);
    PkVal c = node_new(w, kind, keep);
    if (c.kind == PK_NODE) {
        PkNode *n = &w->nodes.items[c.ref];
        for (unsigned i = 0; i < keep; i++)
            w->pool.items[n->items + i] = w->stack.items[from + i];
        n->n = (uint8_t)keep;
        n->count = k > UINT32_MAX ? UINT32_MAX : (uint32_t)k;
    }
    w->stack.len = from;
    return c;
}

/* An object made by calling `callee` with `args`. */
static PkVal obj_new(PkWalker *w, PkVal callee, PkVal args)
{
    PkVal o = node_new(w, N_OBJ, 3);
    if (o.kind == PK_NODE) {
        PkNode *n = &w->nodes.items[o.ref];
        PkVal *it = node_items(w, n);
        it[OBJ_CALLEE] = callee;
        it[OBJ_ARGS] = args;
        it[OBJ_STATE].kind = PK_ABSENT;
        n->n = 3;
        n->count = 3;
    }
    return o;
}

/* ---- strings ------------------------------------------------------------------ */

static void put_utf8(LLBuf *b, uint32_t cp)
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

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Latin-1 bytes (Python 2 str) as UTF-8. */
static void latin1_to_utf8(LLBuf *b, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_utf8(b, s[i]);
}

/* STRING's argument (quotes included): escape-decoded, as Latin-1 -> UTF-8.
 * false: not quoted, or a bad \x escape. */
static bool decode_string_arg(const uint8_t *s, size_t n, LLBuf *b)
{
    if (n < 2 || s[0] != s[n - 1] || (s[0] != '\'' && s[0] != '"'))
        return false;
    s++;
    n -= 2;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c != '\\' || i + 1 >= n) {
            if (c == '\\')
                return false; /* a trailing lone backslash: "\\ at end of string" */
            put_utf8(b, c);
            continue;
        }
        uint8_t e = s[++i];
        switch (e) {
        case '\\': put_utf8(b, '\\'); break;
        case '\'': put_utf8(b, '\''); break;
        case '"': put_utf8(b, '"'); break;
        case 'a': put_utf8(b, 7); break;
        case 'b': put_utf8(b, 8); break;
        case 'f': put_utf8(b, 12); break;
        case 'n': put_utf8(b, 10); break;
        case 'r': put_utf8(b, 13); break;
        case 't': put_utf8(b, 9); break;
        case 'v': put_utf8(b, 11); break;
        case '\n': break;
        case 'x': {
            if (i + 2 >= n)
                return false;
            int h1 = hexval(s[i + 1]);
            int h2 = hexval(s[i + 2]);
            if (h1 < 0 || h2 < 0)
                return false;
            put_utf8(b, (uint32_t)(h1 * 16 + h2));
            i += 2;
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                unsigned v = (unsigned)(e - '0');
                for (int k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
                    v = v * 8 + (unsigned)(s[++i] - '0');
                put_utf8(b, v & 0xFFu);
            } else {
                put_utf8(b, '\\');
                put_utf8(b, e);
            }
        }
    }
    return true;
}

/* UNICODE's argument: raw-unicode-escape (Python 3.11). */
static bool decode_raw_unicode(const uint8_t *s, size_t n, LLBuf *b)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i++];
        if (c != '\\' || i >= n) {
            put_utf8(b, c);
            continue;
        }
        uint8_t e = s[i++];
        unsigned count = e == 'u' ? 4 : e == 'U' ? 8 : 0;
        if (!count) {
            put_utf8(b, '\\');
            put_utf8(b, e);
            continue;
        }
        uint32_t cp = 0;
        for (unsigned k = 0; k < count; k++) {
            if (i >= n)
                return false;
            int h = hexval(s[i++]);
            if (h < 0)
                return false;
            cp = cp << 4 | (uint32_t)h;
        }
        if (cp > 0x10FFFF)
            return false;
        put_utf8(b, cp);
    }
    return true;
}

/* The line starting at `from` (without its '\n'); false when none ends
 * before `lim`. */
static bool line_at(const uint8_t *d, size_t from, size_t lim, const uint8_t **s, size_t *n)
{
    if (from >= lim)
        return false;
    const uint8_t *nl = memchr(d + from, '\n', lim - from);
    if (!nl)
        return false;
    *s = d + from;
    *n = (size_t)(nl - (d + from));
    return true;
}

/* The text of a constant string value: a pointer into the data, or into
 * `buf` when it had to be decoded. false: not a string, or undecodable. */
static bool w_str(PkWalker *w, PkVal v, LLBuf *buf, const uint8_t **p, size_t *n)
{
    if (v.kind != PK_STR)
        return false;
    const uint8_t *d = w->d;
    size_t at = (size_t)v.u;
    ll_buf_reset(buf);
    switch (v.op) {
    case 'X':
        *n = (size_t)rd_le(d + at + 1, 4);
        *p = d + at + 5;
        return true;
    case 0x8c:
        *n = d[at + 1];
        *p = d + at + 2;
        return true;
    case 0x8d:
        *n = (size_t)rd_le(d + at + 1, 8);
        *p = d + at + 9;
        return true;
    case 'T':
    case 'U': {
        size_t k = v.op == 'T' ? (size_t)rd_le(d + at + 1, 4) : d[at + 1];
        const uint8_t *s = d + at + (v.op == 'T' ? 5 : 2);
        latin1_to_utf8(buf, s, k);
        break;
    }
    case 'S':
    case 'V': {
        const uint8_t *s;
        size_t k;
        if (!line_at(d, at + 1, w->end, &s, &k))
            return false;
        if (!(v.op == 'S' ? decode_string_arg(s, k, buf) : decode_raw_unicode(s, k, buf)))
            return false;
        break;
    }
    default:
        return false;
    }
    *p = (const uint8_t *)buf->data;
    *n = buf->len;
    return true;
}

static bool str_equals(PkWalker *w, PkVal v, const char *s)
{
    const uint8_t *p;
    size_t n;
    return w_str(w, v, &w->t2, &p, &n) && n == strlen(s) && memcmp(p, s, n) == 0;
}

/* The byte range of a constant bytes value. */
static bool w_bytes(PkWalker *w, PkVal v, size_t *from, size_t *n)
{
    if (v.kind != PK_BYTES)
        return false;
    size_t at = (size_t)v.u;
    switch (v.op) {
    case 'B':
        *n = (size_t)rd_le(w->d + at + 1, 4);
        *from = at + 5;
        return true;
    case 'C':
        *n = w->d[at + 1];
        *from = at + 2;
        return true;
    case 0x8e:
    case 0x96:
        *n = (size_t)rd_le(w->d + at + 1, 8);
        *from = at + 9;
        return true;
    default:
        return false;
    }
}

/* ---- numbers in protocol 0 text ----------------------------------------- */

/* Python int() of a text line (base 0 when base0, else 10; sign, spaces and
 * underscores between digits). false: not a number. */
static bool parse_int_text(const uint8_t *s, size_t n, bool base0, int64_t *out, bool *big)
{
    size_t i = 0;
    *big = false;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
        i++;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    unsigned base = 10;
    if (base0 && i + 1 < n && s[i] == '0') {
        char x = (char)(s[i + 1] | 0x20);
        if (x == 'x')
            base = 16;
        else if (x == 'o')
            base = 8;
        else if (x == 'b')
            base = 2;
        if (base != 10)
            i += 2;
    }
    uint64_t v = 0;
    size_t digits = 0;
    bool last_us = false;
    for (; i < n; i++) {
        uint8_t c = s[i];
        if (c == '_' && digits && !last_us) {
            last_us = true;
            continue;
        }
        int dv = hexval(c);
        if (dv < 0 || (unsigned)dv >= base)
            break;
        last_us = false;
        if (v > (UINT64_MAX - (unsigned)dv) / base)
            *big = true;
        v = v * base + (unsigned)dv;
        digits++;
    }
    if (!digits || last_us)
        return false;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
        i++;
    if (i != n)
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

static bool float_text_ok(const uint8_t *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i] | 0x20;
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '+' || c == '-' || c == 'i' ||
              c == 'n' || c == 'f' || c == 'a' || c == 't' || c == 'y' || c == '_' || c == ' '))
            return false;
    }
    return true;
}

/* ---- imports ---------------------------------------------------------------- */

typedef struct CompatModule {
    const char *from, *to;
} CompatModule;
typedef struct CompatName {
    const char *mod, *name, *tomod, *toname;
} CompatName;

/* pickle's fix_imports tables (_compat_pickle), the entries that matter. */
static const CompatName k_compat_names[] = {
    {"__builtin__", "xrange", "builtins", "range"},
    {"__builtin__", "reduce", "functools", "reduce"},
    {"__builtin__", "intern", "sys", "intern"},
    {"__builtin__", "unichr", "builtins", "chr"},
    {"__builtin__", "unicode", "builtins", "str"},
    {"__builtin__", "long", "builtins", "int"},
    {"__builtin__", "basestring", "builtins", "str"},
    {"itertools", "izip", "builtins", "zip"},
    {"itertools", "imap", "builtins", "map"},
    {"itertools", "ifilter", "builtins", "filter"},
    {"itertools", "ifilterfalse", "itertools", "filterfalse"},
    {"itertools", "izip_longest", "itertools", "zip_longest"},
    {"UserDict", "IterableUserDict", "collections", "UserDict"},
    {"UserList", "UserList", "collections", "UserList"},
    {"UserDict", "UserDict", "collections", "UserDict"},
    {"UserString", "UserString", "collections", "UserString"},
    {"whichdb", "whichdb", "dbm", "whichdb"},
    {"_socket", "fromfd", "socket", "fromfd"},
    {"_multiprocessing", "Connection", "multiprocessing.connection", "Connection"},
    {"multiprocessing.process", "Process", "multiprocessing.context", "Process"},
    {"multiprocessing.forking", "Popen", "multiprocessing.popen_fork", "Popen"},
    {"urllib", "ContentTooShortError", "urllib.error", "ContentTooShortError"},
    {"urllib", "getproxies", "urllib.request", "getproxies"},
    {"urllib", "pathname2url", "urllib.request", "pathname2url"},
    {"urllib", "quote_plus", "urllib.parse", "quote_plus"},
    {"urllib", "quote", "urllib.parse", "quote"},
    {"urllib", "unquote_plus", "urllib.parse", "unquote_plus"},
    {"urllib", "unquote", "urllib.parse", "unquote"},
    {"urllib", "url2pathname", "urllib.request", "url2pathname"},
    {"urllib", "urlcleanup", "urllib.request", "urlcleanup"},
    {"urllib", "urlencode", "urllib.parse", "urlencode"},
    {"urllib", "urlopen", "urllib.request", "urlopen"},
    {"urllib", "urlretrieve", "urllib.request", "urlretrieve"},
    {"urllib2", "HTTPError", "urllib.error", "HTTPError"},
    {"urllib2", "URLError", "urllib.error", "URLError"},
    {"exceptions", "StandardError", "builtins", "Exception"},
    {"os", "getcwdu", "os", "getcwd"},
};

static const CompatModule k_compat_modules[] = {
    {"__builtin__", "builtins"},
    {"copy_reg", "copyreg"},
    {"cPickle", "pickle"},
    {"exceptions", "builtins"},
    {"commands", "subprocess"},
    {"cStringIO", "io"},
    {"StringIO", "io"},
    {"UserDict", "collections"},
    {"UserList", "collections"},
    {"UserString", "collections"},
    {"urllib2", "urllib.request"},
    {"urlparse", "urllib.parse"},
    {"httplib", "http.client"},
    {"thread", "_thread"},
    {"dummy_thread", "_dummy_thread"},
    {"Queue", "queue"},
    {"SocketServer", "socketserver"},
    {"ConfigParser", "configparser"},
    {"repr", "reprlib"},
    {"xmlrpclib", "xmlrpc.client"},
    {"SimpleXMLRPCServer", "xmlrpc.server"},
    {"DocXMLRPCServer", "xmlrpc.server"},
    {"BaseHTTPServer", "http.server"},
    {"SimpleHTTPServer", "http.server"},
    {"CGIHTTPServer", "http.server"},
    {"cookielib", "http.cookiejar"},
    {"Cookie", "http.cookies"},
    {"htmlentitydefs", "html.entities"},
    {"HTMLParser", "html.parser"},
    {"robotparser", "urllib.robotparser"},
    {"markupbase", "_markupbase"},
    {"Tkinter", "tkinter"},
    {"_winreg", "winreg"},
    {"anydbm", "dbm"},
    {"whichdb", "dbm"},
    {"dbhash", "dbm.bsd"},
    {"dumbdbm", "dbm.dumb"},
    {"gdbm", "dbm.gnu"},
    {"dbm", "dbm.ndbm"},
    {"_abcoll", "collections.abc"},
    {"_elementtree", "xml.etree.ElementTree"},
    {"cProfile", "cProfile"},
};

static bool span_is(const uint8_t *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static const char *k_called_suffix[2] = {"", " and calls it"};

/* Functions that unpickle their argument: a constant argument is read as
 * a nested pickle. */
static const char *const k_loaders[] = {
    "pickle.loads", "pickle._loads", "_pickle.loads", "dill.loads", "dill._dill.loads",
    "cloudpickle.loads", "cloudpickle.cloudpickle.loads", "torch.storage._load_from_bytes",
    "numpy.loads", "joblib.numpy_pickle.loads",
};

static uint8_t special_of(const char *name, size_t len)
{
    static const struct {
        const char *name;
        uint8_t sp;
    } k[] = {
        {"builtins.getattr", SP_GETATTR},
        {"importlib.import_module", SP_IMPORT},
        {"builtins.__import__", SP_IMPORT},
        {"importlib.__import__", SP_IMPORT},
        {"pkgutil.resolve_name", SP_RESOLVE},
        {"copyreg._reconstructor", SP_RECONSTRUCTOR},
        {"copyreg.__newobj__", SP_RECONSTRUCTOR},
        {"copyreg.__newobj_ex__", SP_RECONSTRUCTOR},
        {"numpy.dtype", SP_DTYPE},
    };
    for (size_t i = 0; i < sizeof k / sizeof *k; i++)
        if (span_is((const uint8_t *)name, len, k[i].name))
            return k[i].sp;
    for (size_t i = 0; i < sizeof k_loaders / sizeof *k_loaders; i++)
        if (span_is((const uint8_t *)name, len, k_loaders[i]))
            return SP_LOADS;
    if (ll_joblib_is_wrapper_class(name, len))
        return SP_JOBLIB_WRAPPER;
    return SP_NONE;
}

static uint8_t special(PkWalker *w, PkVal v)
{
    return v.kind == PK_GLOBAL && v.ref < w->imports.len ? w->imports.items[v.ref].special : SP_NONE;
}

/* Records an import of full name w->nm (module part: the first modlen
 * bytes), reached at [off, off + oplen). */
static bool import_name(PkWalker *w, size_t modlen, uint8_t how, uint64_t off, uint64_t oplen,
                        PkVal *out)
{
    const char *full = w->nm.data;
    size_t len = w->nm.len;
    if (len > 2u * LL_ART_PICKLE_MAX_NAME) {
        w_limit(w, ART_CHECK_LIMIT, "an imported name is longer than %u bytes (LL_ART_PICKLE_MAX_NAME)",
                2u * LL_ART_PICKLE_MAX_NAME);
        return false;
    }
    intptr_t idx;
    if (ll_strmap_get(&w->import_map, full, len, &idx)) {
        PkImport *im = &w->imports.items[idx];
        if (im->count < UINT32_MAX)
            im->count++;
        *out = (PkVal){.kind = PK_GLOBAL, .ref = (uint32_t)idx};
        return true;
    }
    if (w->imports.len >= LL_ART_PICKLE_MAX_IMPORTS) {
        w_limit(w, ART_CHECK_LIMIT, "the pickle imports more than %u distinct globals (LL_ART_PICKLE_MAX_IMPORTS)",
                LL_ART_PICKLE_MAX_IMPORTS);
        return false;
    }
    PkImport im = {0};
    char *name = ll_arena_strndup(&w->arena, full, len);
    im.name = name;
    im.len = (uint32_t)len;
    im.modlen = (uint32_t)modlen;
    im.off = off;
    im.oplen = oplen;
    im.count = 1;
    im.how = how;
    const char *reason = NULL;
    LLPickleClass cls = w->out ? ll_pickle_policy_classify(w->o->ctx->opts->policy, name, len,
                                                           modlen, &reason)
                               : LL_PICKLE_ALLOWED;
    if (cls != LL_PICKLE_DANGEROUS && (w->o->flags & LL_PICKLE_TORCHSCRIPT) &&
        len > 10 && memcmp(name, "__torch__.", 10) == 0)
        cls = LL_PICKLE_ALLOWED; /* the archive's own TorchScript class (its code is reported) */
    im.cls = (uint8_t)cls;
    im.reason = reason;
    im.special = special_of(name, len);
    LL_VEC_PUSH(&w->imports, im);
    ll_strmap_put(&w->import_map, name, len, (intptr_t)(w->imports.len - 1));
    *out = (PkVal){.kind = PK_GLOBAL, .ref = (uint32_t)(w->imports.len - 1)};
    return true;
}

/* An import of module `m` and qualified name `n`, with pickle's Python 2
 * name mapping applied. */
/* Whether s[0, n) can be a module name or a qualified name Python imports:
 * dotted identifiers (letters, digits, '_', non-ASCII bytes; no segment
 * empty or starting with a digit). A GLOBAL naming anything else
 * ("olorama/__init__.py,sha256=..." in a RECORD file read as opcodes)
 * makes find_class raise: the load stops there. */
static bool plausible_name(const uint8_t *s, size_t n)
{
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '.') {
            if (start)
                return false;
            start = true;
            continue;
        }
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        if (!alpha && !(c >= '0' && c <= '9' && !start))
            return false;
        start = false;
    }
    return n > 0 && !start;
}

static bool import_global(PkWalker *w, const uint8_t *m, size_t mlen, const uint8_t *n, size_t nlen,
                          uint8_t how, uint64_t off, uint64_t oplen, PkVal *out)
{
    /* sniffing: an import Python cannot make ends the load (scanning
     * reports such names as they are) */
    if (w->strict && (!plausible_name(m, mlen) || !plausible_name(n, nlen)))
        return w_semantic(w, "not an importable name");
    if (mlen > LL_ART_PICKLE_MAX_NAME || nlen > LL_ART_PICKLE_MAX_NAME) {
        w_limit(w, ART_CHECK_LIMIT, "an imported name is longer than %u bytes (LL_ART_PICKLE_MAX_NAME)",
                LL_ART_PICKLE_MAX_NAME);
        return false;
    }
    for (size_t i = 0; i < sizeof k_compat_names / sizeof *k_compat_names; i++) {
        const CompatName *c = &k_compat_names[i];
        if (span_is(m, mlen, c->mod) && span_is(n, nlen, c->name)) {
            m = (const uint8_t *)c->tomod;
            mlen = strlen(c->tomod);
            n = (const uint8_t *)c->toname;
            nlen = strlen(c->toname);
            break;
        }
    }
    for (size_t i = 0; i < sizeof k_compat_modules / sizeof *k_compat_modules; i++) {
        if (span_is(m, mlen, k_compat_modules[i].from)) {
            m = (const uint8_t *)k_compat_modules[i].to;
            mlen = strlen(k_compat_modules[i].to);
            break;
        }
    }
    ll_buf_reset(&w->nm);
    ll_buf_append(&w->nm, m, mlen);
    ll_buf_putc(&w->nm, '.');
    ll_buf_append(&w->nm, n, nlen);
    return import_name(w, mlen, how, off, oplen, out);
}

static PkImport *import_of(PkWalker *w, PkVal v)
{
    if (v.kind != PK_GLOBAL || v.ref >= w->imports.len)
        return NULL;
    return &w->imports.items[v.ref];
}

static void event(PkEvent *e, uint64_t off, uint64_t len, const char *subject, const char *detail)
{
    if (e->count++ == 0) {
        e->off = off;
        e->len = len;
        snprintf(e->subject, sizeof e->subject, "%s", subject ? subject : "");
        snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
    }
}

/* A short description of a value, for messages and subjects. */
static void describe(PkWalker *w, PkVal v, char *out, size_t outsz)
{
    PkImport *im = import_of(w, v);
    if (im) {
        snprintf(out, outsz, "%.*s", (int)im->len, im->name);
        return;
    }
    PkNode *n = node_of(w, v, N_OBJ);
    if (n) {
        char inner[96];
        describe(w, node_items(w, n)[OBJ_CALLEE].kind == PK_NODE ? k_unknown
                                                                 : node_items(w, n)[OBJ_CALLEE],
                 inner, sizeof inner);
        snprintf(out, outsz, "the result of calling %s", inner);
        return;
    }
    switch (v.kind) {
    case PK_STR: snprintf(out, outsz, "a string"); break;
    case PK_BYTES: snprintf(out, outsz, "bytes"); break;
    case PK_INT: snprintf(out, outsz, "an int"); break;
    case PK_NODE: snprintf(out, outsz, "a container"); break;
    default: snprintf(out, outsz, "an unknown value"); break;
    }
}

/* The callee of a call: marks imports called; anything else is an
 * indirect call. */
static void called(PkWalker *w, PkVal callee, uint64_t off)
{
    PkImport *im = import_of(w, callee);
    if (im) {
        im->called = true;
        return;
    }
    if (callee.flags & (PKF_DYNAMIC | PKF_POISON))
        return; /* reported already: a dynamic import, or a load error before */
    char what[LL_PICKLE_VALUE_NAME];
    describe(w, callee, what, sizeof what);
    event(&w->ev_indirect, off, 1, NULL, what);
}

static void mutated(PkWalker *w, PkVal target, uint64_t off)
{
    PkImport *im = import_of(w, target);
    if (im && !im->mutated) {
        im->mutated = true;
        im->mut_off = off;
    }
}

/* ---- stack -------------------------------------------------------------------- */

static size_t fence(const PkWalker *w)
{
    return w->marks.len ? w->marks.items[w->marks.len - 1] : 0;
}

static bool push_slow(PkWalker *w, PkVal v)
{
    if (w->stack.len >= LL_ART_PICKLE_MAX_STACK) {
        w_limit(w, ART_CHECK_LIMIT, "the pickle's stack grows past %u values (LL_ART_PICKLE_MAX_STACK)",
                LL_ART_PICKLE_MAX_STACK);
        return false;
    }
    LL_VEC_PUSH(&w->stack, v);
    return true;
}

static inline bool push(PkWalker *w, PkVal v)
{
    if (w->stack.len < w->stack.cap && w->stack.len < LL_ART_PICKLE_MAX_STACK) {
        w->stack.items[w->stack.len++] = v;
        return true;
    }
    return push_slow(w, v);
}

/* Pops into *v; on underflow the loader fails: false when the walk must
 * end (sniffing), else *v is unknown. */
static bool pop(PkWalker *w, PkVal *v)
{
    if (w->stack.len > fence(w)) {
        *v = w->stack.items[--w->stack.len];
        return true;
    }
    *v = k_poison;
    return w_semantic(w, w->marks.len ? "unexpected MARK found" : "unpickling stack underflow");
}

/* Pops the top MARK: *from is where the values above it start. */
static bool pop_mark(PkWalker *w, size_t *from)
{
    if (!w->marks.len) {
        *from = w->stack.len;
        return w_semantic(w, "could not find MARK");
    }
    *from = w->marks.items[--w->marks.len];
    if (*from > w->stack.len)
        *from = w->stack.len;
    return true;
}

/* The value just below `at` (the list of APPENDS, the dict of SETITEMS),
 * which must be above the current fence. */
static bool below(PkWalker *w, size_t at, PkVal *v)
{
    if (at == 0 || at - 1 < fence(w) || at > w->stack.len) {
        *v = k_poison;
        return w_semantic(w, "unpickling stack underflow");
    }
    *v = w->stack.items[at - 1];
    return true;
}

/* ---- joblib arrays ---------------------------------------------------------------- */

static bool dict_get(PkWalker *w, PkVal dict, const char *key, PkVal *v)
{
    PkNode *n = node_of(w, dict, N_DICT);
    if (!n)
        return false;
    PkVal *it = node_items(w, n);
    for (unsigned i = 0; i + 1 < n->n; i += 2) {
        if (str_equals(w, it[i], key)) {
            *v = it[i + 1];
            return true;
        }
    }
    return false;
}

/* The class an object was made of: the callee, or copyreg's
 * _reconstructor/__newobj__ first argument. */
static PkVal obj_class(PkWalker *w, PkNode *n)
{
    PkVal callee = node_items(w, n)[OBJ_CALLEE];
    if (special(w, callee) == SP_RECONSTRUCTOR) {
        PkNode *args = node_of(w, node_items(w, n)[OBJ_ARGS], N_TUPLE);
        if (args && args->n >= 1)
            return node_items(w, args)[0];
    }
    return callee;
}

static void int_items(PkWalker *w, PkVal v, LLJoblibArray *a)
{
    PkNode *n = node_of(w, v, -1);
    a->shape_ok = false;
    if (!n || (n->kind != N_TUPLE && n->kind != N_LIST) || n->count != n->n ||
        n->n > LL_JOBLIB_MAX_NDIM)
        return;
    PkVal *it = node_items(w, n);
    for (unsigned i = 0; i < n->n; i++) {
        if ((it[i].kind != PK_INT && it[i].kind != PK_BOOL) || (it[i].flags & PKF_BIG) ||
            (int64_t)it[i].u < 0)
            return;
        a->shape[i] = it[i].u;
    }
    a->ndim = n->n;
    a->shape_ok = true;
}

static int64_t int_or(PkVal v, int64_t dflt)
{
    return v.kind == PK_INT && !(v.flags & PKF_BIG) ? (int64_t)v.u : dflt;
}

/* Reads a wrapper's state into a. */
static void wrapper_layout(PkWalker *w, PkVal state, LLJoblibArray *a)
{
    memset(a, 0, sizeof *a);
    a->elsize = -1;
    a->flags = -1;
    PkVal v;
    if (dict_get(w, state, "shape", &v))
        int_items(w, v, a);
    PkVal al;
    a->aligned = dict_get(w, state, "numpy_array_alignment_bytes", &al) && al.kind != PK_NONE;
    if (!dict_get(w, state, "dtype", &v))
        return;
    PkNode *dt = node_of(w, v, N_OBJ);
    if (!dt || special(w, node_items(w, dt)[OBJ_CALLEE]) != SP_DTYPE)
        return;
    PkNode *args = node_of(w, node_items(w, dt)[OBJ_ARGS], N_TUPLE);
    if (!args || args->n < 1)
        return;
    const uint8_t *s;
    size_t n;
    if (!w_str(w, node_items(w, args)[0], &w->t2, &s, &n) || n == 0 || n >= sizeof a->dtype)
        return;
    memcpy(a->dtype, s, n);
    a->dtype[n] = '\0';
    a->dtype_ok = true;
    PkVal st = node_items(w, dt)[OBJ_STATE];
    if (st.kind == PK_ABSENT)
        return;
    PkNode *t = node_of(w, st, N_TUPLE);
    if (!t || t->n < 8 || t->count != t->n) {
        a->dtype_ok = false;
        return;
    }
    PkVal *it = node_items(w, t);
    a->structured = it[2].kind != PK_NONE || it[3].kind != PK_NONE || it[4].kind != PK_NONE;
    a->elsize = int_or(it[5], -2);
    a->flags = int_or(it[7], -2);
    if (a->elsize == -2 || a->flags == -2)
        a->dtype_ok = false;
}

static bool walk_nested_plain(PkWalker *w, size_t at, size_t *end_out);

/* BUILD just completed a joblib array wrapper: skip its raw bytes. */
static void joblib_skip(PkWalker *w, PkVal state)
{
    LLJoblibArray a;
    wrapper_layout(w, state, &a);
    uint64_t nbytes;
    bool obj;
    const char *why = NULL;
    w->joblib = true;
    if (!ll_joblib_array_bytes(&a, &nbytes, &obj, &why)) {
        w_limit(w, ART_CHECK_UNSUPPORTED,
                "cannot size the joblib array whose wrapper ends at offset %zu: %s; the array bytes "
                "and what follows them were not read",
                w->pos, why);
        return;
    }
    /* joblib reads the array from the file, past a frame it is inside */
    bool in_frame = w->frame_end && w->pos < w->frame_end;
    size_t at = in_frame ? (w->jump_to ? w->jump_to : w->frame_end) : w->pos;
    size_t after;
    if (obj) {
        if (!walk_nested_plain(w, at, &after))
            return;
    } else {
        if (a.aligned) {
            if (at >= w->end) {
                w_fail(w, "the file ends before the joblib array at offset %zu", at);
                return;
            }
            at += 1u + w->d[at];
        }
        if (at > w->end || nbytes > w->end - at) {
            w_fail(w, "the joblib array at offset %zu needs %llu bytes, the file has %zu", at,
                   (unsigned long long)nbytes, at > w->end ? (size_t)0 : w->end - at);
            return;
        }
        after = at + (size_t)nbytes;
    }
    if (in_frame) {
        w->jump_from = w->frame_end;
        w->jump_to = after;
        w->lim = w->jump_from;
    } else {
        w->pos = after;
    }
}

/* ---- the walk ---------------------------------------------------------------------- */

static void summarize(PkWalker *w, PkVal v, LLPickleValue *out)
{
    memset(out, 0, sizeof *out);
    const uint8_t *s;
    size_t n;
    PkImport *im;
    PkNode *node;
    if (v.kind == PK_INT && !(v.flags & PKF_BIG)) {
        out->kind = LL_PKV_INT;
        out->i = (int64_t)v.u;
    } else if (v.kind == PK_BOOL) {
        out->kind = LL_PKV_INT;
        out->i = (int64_t)v.u;
    } else if (w_str(w, v, &w->t2, &s, &n)) {
        out->kind = LL_PKV_STR;
        snprintf(out->name, sizeof out->name, "%.*s", (int)(n < 127 ? n : 127), (const char *)s);
    } else if ((im = import_of(w, v)) != NULL) {
        out->kind = LL_PKV_GLOBAL;
        snprintf(out->name, sizeof out->name, "%.*s", (int)im->len, im->name);
    } else if ((node = node_of(w, v, N_TUPLE)) != NULL) {
        out->kind = LL_PKV_TUPLE;
        out->i = node->count;
    } else if ((node = node_of(w, v, N_LIST)) != NULL) {
        out->kind = LL_PKV_LIST;
        out->i = node->count;
    }
}

static void scan_nested_bytes(PkWalker *w, size_t from, size_t n, const char *loader)
{
    if (!w->out) /* sniffing: what the bytes hold is read when the file is scanned */
        return;
    const LLArtCtx *pc = w->o->ctx;
    if (pc->depth + 1 > LL_ART_MAX_NESTING) {
        w_report(w, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, from, n, NULL,
                 "the pickle passed to %s at offset %zu is nested more than %u levels deep "
                 "(LL_ART_MAX_NESTING); it was not read",
                 loader, from, LL_ART_MAX_NESTING);
        return;
    }
    LLArtCtx c = *pc;
    c.depth++;
    ll_pickle_scan(&c, w->d, from, from + n, LL_PICKLE_PLAIN, w->out);
}

/* REDUCE with a known callable: what its result is. */
static PkVal reduce_result(PkWalker *w, PkVal callee, PkVal args)
{
    PkImport *im = import_of(w, callee);
    PkNode *t = node_of(w, args, N_TUPLE);
    if (!im || !t)
        return obj_new(w, callee, args);
    PkVal *it = node_items(w, t);
    const uint8_t *s;
    size_t n;
    PkVal r;
    uint64_t off = w->op_at;
    uint8_t sp = im->special;
    if (sp == SP_NONE)
        return obj_new(w, callee, args);
    if (sp == SP_GETATTR && t->n >= 2) {
        PkImport *base = import_of(w, it[0]);
        if (base && w_str(w, it[1], &w->t1, &s, &n) && n <= LL_ART_PICKLE_MAX_NAME) {
            ll_buf_reset(&w->nm);
            ll_buf_append(&w->nm, base->name, base->len);
            ll_buf_putc(&w->nm, '.');
            ll_buf_append(&w->nm, s, n);
            size_t modlen = base->modlen;
            if (import_name(w, modlen, HOW_GETATTR, off, 1, &r))
                return r;
            return k_unknown;
        }
    } else if (sp == SP_IMPORT && t->n >= 1) {
        if (w_str(w, it[0], &w->t1, &s, &n) && n && n <= LL_ART_PICKLE_MAX_NAME) {
            ll_buf_reset(&w->nm);
            ll_buf_append(&w->nm, s, n);
            if (import_name(w, n, HOW_IMPORT_CALL, off, 1, &r))
                return r;
            return k_unknown;
        }
    } else if (sp == SP_RESOLVE && t->n >= 1) {
        if (w_str(w, it[0], &w->t1, &s, &n) && n && n <= LL_ART_PICKLE_MAX_NAME) {
            ll_buf_reset(&w->nm);
            size_t modlen = n;
            for (size_t i = 0; i < n; i++) {
                if (s[i] == ':') {
                    modlen = i;
                    ll_buf_putc(&w->nm, '.');
                } else {
                    ll_buf_putc(&w->nm, (char)s[i]);
                }
            }
            if (import_name(w, modlen, HOW_IMPORT_CALL, off, 1, &r))
                return r;
            return k_unknown;
        }
    } else if (sp == SP_LOADS && t->n >= 1) {
        size_t from, bn;
        if (w_bytes(w, it[0], &from, &bn)) {
            char loader[LL_PICKLE_VALUE_NAME];
            snprintf(loader, sizeof loader, "%.*s", (int)im->len, im->name);
            scan_nested_bytes(w, from, bn, loader);
        }
    }
    return obj_new(w, callee, args);
}

static void walker_init(PkWalker *w)
{
    memset(w, 0, sizeof *w);
    ll_strmap_init(&w->import_map);
    ll_arena_init(&w->arena);
    ll_buf_init(&w->t1);
    ll_buf_init(&w->t2);
    ll_buf_init(&w->nm);
}

/* Ready for a new stream: the tables keep their memory. */
static void walker_reset(PkWalker *w)
{
    PkWalker keep = *w;
    memset(w, 0, sizeof *w);
    w->stack = keep.stack;
    w->marks = keep.marks;
    w->memo.dense = keep.memo.dense;
    w->memo.sparse = keep.memo.sparse;
    w->memo.scap = keep.memo.scap;
    w->nodes = keep.nodes;
    w->pool = keep.pool;
    w->imports = keep.imports;
    w->import_map = keep.import_map;
    w->arena = keep.arena;
    w->t1 = keep.t1;
    w->t2 = keep.t2;
    w->nm = keep.nm;
    w->stack.len = w->marks.len = w->memo.dense.len = 0;
    w->nodes.len = w->pool.len = w->imports.len = 0;
    if (w->memo.scap)
        memset(w->memo.sparse, 0, w->memo.scap * sizeof *w->memo.sparse);
    ll_strmap_clear(&w->import_map);
    ll_arena_reset(&w->arena);
    ll_buf_reset(&w->t1);
    ll_buf_reset(&w->t2);
    ll_buf_reset(&w->nm);
}

/* After a stream: tables that grew past LL_ART_PICKLE_KEEP entries are
 * freed, so that one huge pickle does not pin its memory for the rest of
 * the run. */
static void walker_trim(PkWalker *w)
{
    if (w->stack.cap > LL_ART_PICKLE_KEEP)
        LL_VEC_FREE(&w->stack);
    if (w->marks.cap > LL_ART_PICKLE_KEEP)
        LL_VEC_FREE(&w->marks);
    if (w->memo.dense.cap > LL_ART_PICKLE_KEEP)
        LL_VEC_FREE(&w->memo.dense);
    if (w->memo.scap > LL_ART_PICKLE_KEEP) {
        free(w->memo.sparse);
        w->memo.sparse = NULL;
        w->memo.scap = 0;
    }
    if (w->nodes.cap > LL_ART_PICKLE_KEEP)
        LL_VEC_FREE(&w->nodes);
    if (w->pool.cap > LL_ART_PICKLE_KEEP)
        LL_VEC_FREE(&w->pool);
    if (w->imports.cap > LL_ART_PICKLE_KEEP)
        LL_VEC_FREE(&w->imports);
}

static void walker_release(PkWalker *w)
{
    LL_VEC_FREE(&w->stack);
    LL_VEC_FREE(&w->marks);
    LL_VEC_FREE(&w->memo.dense);
    free(w->memo.sparse);
    LL_VEC_FREE(&w->nodes);
    LL_VEC_FREE(&w->pool);
    LL_VEC_FREE(&w->imports);
    ll_strmap_release(&w->import_map);
    ll_arena_release(&w->arena);
    ll_buf_release(&w->t1);
    ll_buf_release(&w->t2);
    ll_buf_release(&w->nm);
}

static const char *how_text(uint8_t how)
{
    switch (how) {
    case HOW_STACK_GLOBAL: return "STACK_GLOBAL";
    case HOW_INST: return "INST";
    case HOW_GETATTR: return "builtins.getattr";
    case HOW_IMPORT_CALL: return "an import call";
    default: return "GLOBAL";
    }
}

/* Findings for what the stream imported and did. */
static void report_stream(PkWalker *w)
{
    if (!w->out)
        return;
    for (size_t i = 0; i < w->imports.len; i++) {
        PkImport *im = &w->imports.items[i];
        char subject[2u * LL_ART_PICKLE_MAX_NAME + 2];
        snprintf(subject, sizeof subject, "%.*s", (int)im->len, im->name);
        char times[32] = "";
        if (im->count > 1)
            snprintf(times, sizeof times, " (%u times)", im->count);
        if (im->cls == LL_PICKLE_DANGEROUS) {
            w_report(w, ART_CHECK_PICKLE_DANGEROUS, LL_SEV_ERROR, LL_ART_MALICIOUS, im->off, im->oplen,
                     subject, "the pickle imports %s through %s%s%s: %s", subject, how_text(im->how),
                     times, k_called_suffix[im->called], im->reason ? im->reason : "known code execution");
        } else if (im->cls == LL_PICKLE_UNLISTED) {
            w_report(w, ART_CHECK_PICKLE_UNLISTED, LL_SEV_WARNING, LL_ART_SUSPICIOUS, im->off, im->oplen,
                     subject, "the pickle imports %s through %s%s%s, which is not on the pickle allow-list",
                     subject, how_text(im->how), times, k_called_suffix[im->called]);
        }
        if (im->mutated)
            w_report(w, ART_CHECK_PICKLE_GLOBAL_MUTATION, LL_SEV_ERROR, LL_ART_MALICIOUS, im->mut_off, 1,
                     subject,
                     "the pickle changes the imported object %s in place (attributes or items set on "
                     "shared module state): no pickler writes this; it hides imports from scanners "
                     "and alters code other loads use",
                     subject);
    }
    if (w->ev_dynamic.count)
        w_report(w, ART_CHECK_PICKLE_DYNAMIC_GLOBAL, LL_SEV_ERROR, LL_ART_MALICIOUS, w->ev_dynamic.off,
                 w->ev_dynamic.len, NULL,
                 "STACK_GLOBAL imports a module and name computed while loading (%s)%s: the target "
                 "cannot be known without running the pickle",
                 w->ev_dynamic.detail,
                 w->ev_dynamic.count > 1 ? ", and more after it" : "");
    if (w->ev_ext.count)
        w_report(w, ART_CHECK_PICKLE_EXTENSION, LL_SEV_WARNING, LL_ART_SUSPICIOUS, w->ev_ext.off,
                 w->ev_ext.len, w->ev_ext.subject,
                 "the pickle imports through copyreg's extension registry (code %s%s): the target "
                 "depends on what the loading process registered",
                 w->ev_ext.subject, w->ev_ext.count > 1 ? " and others" : "");
    if (w->ev_indirect.count)
        w_report(w, ART_CHECK_PICKLE_INDIRECT_CALL, LL_SEV_WARNING, LL_ART_SUSPICIOUS,
                 w->ev_indirect.off, w->ev_indirect.len, NULL,
                 "the pickle calls %s%s, not a global it imports: a callable obtained at load time",
                 w->ev_indirect.detail, w->ev_indirect.count > 1 ? " (and other such calls)" : "");
}

static bool walk_nested_plain(PkWalker *w, size_t at, size_t *end_out)
{
    LLPickleOptions o = *w->o;
    o.flags |= LL_PICKLE_PLAIN;
    LLPickleStream st;
    ll_pickle_walk(&o, w->d, at, w->end, w->out, &st);
    if (!st.complete) {
        w->failed = true;
        w->stop = true;
        return false;
    }
    *end_out = st.end;
    return true;
}

/* Reads one opcode argument of n bytes; false (and the walk ends) when the
 * data stops first. */
#define NEED(k)                                                                      \
    do {                                                                             \
        if (lim - w->pos < (size_t)(k)) {                                            \
            w->ran_out = lim == w->end;                                              \
            w_fail(w, "the data ends inside opcode 0x%02x (%s)", op,                 \
                   lim < w->end ? "at the end of a frame" : "truncated");            \
            goto done;                                                               \
        }                                                                            \
    } while (0)

#define LINE(s, n)                                                                   \
    do {                                                                             \
        if (!line_at(w->d, w->pos, lim, &(s), &(n))) {                               \
            w->ran_out = lim == w->end;                                              \
            w_fail(w, "the data ends inside opcode 0x%02x (no end of line)", op);    \
            goto done;                                                               \
        }                                                                            \
        w->pos += (n) + 1;                                                           \
    } while (0)

#define SEM(...)                                                                     \
    do {                                                                             \
        if (!w_semantic(w, __VA_ARGS__))                                             \
            goto done;                                                               \
    } while (0)

#define TRY(x)                                                                       \
    do {                                                                             \
        if (!(x))                                                                    \
            goto done;                                                               \
    } while (0)

enum { OPERAND_STR, OPERAND_COMPUTED, OPERAND_OTHER, OPERAND_POISON };

/* A STACK_GLOBAL operand: a constant string, a value only known at load
 * time (a call's result, a global, a persistent object: it may be a str),
 * or a constant of another type (the loader fails). */
static int operand_kind(PkWalker *w, PkVal v)
{
    if (v.flags & PKF_POISON)
        return OPERAND_POISON;
    switch (v.kind) {
    case PK_STR:
        return OPERAND_STR;
    case PK_NONE: case PK_BOOL: case PK_INT: case PK_FLOAT: case PK_BYTES:
        return OPERAND_OTHER;
    case PK_NODE: {
        PkNode *n = node_of(w, v, -1);
        return n && (n->kind == N_OBJ || n->kind == N_PERSID) ? OPERAND_COMPUTED : OPERAND_OTHER;
    }
    default:
        return OPERAND_COMPUTED;
    }
}

static void walk(PkWalker *w, LLPickleStream *st)
{
    PkVal v, a, b, c;
    size_t from;
    const uint8_t *s, *s2;
    size_t n, n2;
    w->pos = w->start;
    w->lim = w->end;
    w->first_op = w->start < w->end ? w->d[w->start] : 0;
    while (!w->failed) {
        /* lim: the end of the data, or where joblib's array data sits after
         * the current frame (the stream then goes on past it) */
        if (w->pos >= w->lim) {
            if (w->jump_to && w->pos == w->jump_from) {
                w->pos = w->jump_to;
                w->jump_to = w->jump_from = 0;
                w->frame_end = 0;
                w->lim = w->end;
                continue;
            }
            w->op_at = w->pos;
            w->ran_out = w->lim == w->end;
            w_fail(w, "the data ends before the pickle's STOP opcode (truncated)");
            break;
        }
        size_t lim = w->lim;
        w->op_at = w->pos;
        uint8_t op = w->d[w->pos++];
        switch (op) {
        /* ---- framing and protocol ---- */
        case 0x80: /* PROTO */
            NEED(1);
            w->proto = w->d[w->pos++];
            /* a later Python may read it: not a reason to think the bytes are no pickle */
            if (w->proto > 5 && !w->strict)
                SEM("unsupported pickle protocol: %d", w->proto);
            break;
        case 0x95: { /* FRAME */
            NEED(8);
            uint64_t fl = rd_le(w->d + w->pos, 8);
            w->pos += 8;
            if (fl > lim - w->pos && w->head_only) {
                /* sniffing a file's first bytes: the frame goes on past them */
            } else if (fl > lim - w->pos) {
                w->ran_out = lim == w->end;
                w_fail(w, "a frame of %llu bytes at offset %zu goes past the end of the data",
                       (unsigned long long)fl, w->op_at);
                goto done;
            }
            if (w->jump_to) {
                SEM("a frame starts before the end of the current frame");
                break;
            }
            w->frame_end = w->pos + (size_t)fl;
            break;
        }
        case '.': /* STOP */
            TRY(pop(w, &v));
            w->opcodes++;
            st->complete = true;
            st->torch_magic = v.kind == PK_INT && (v.flags & PKF_MAGIC);
            summarize(w, v, &st->value);
            {
                PkNode *t = node_of(w, v, -1);
                if (t && (t->kind == N_TUPLE || t->kind == N_LIST)) {
                    st->nitems = t->count;
                    for (unsigned i = 0; i < t->n && i < LL_PICKLE_VALUE_ITEMS; i++)
                        summarize(w, node_items(w, t)[i], &st->items[i]);
                }
            }
            goto done;
        /* ---- stack manipulation ---- */
        case '(': /* MARK */
            if (w->marks.len >= LL_ART_PICKLE_MAX_MARKS) {
                w_limit(w, ART_CHECK_LIMIT, "the pickle opens more than %u MARKs (LL_ART_PICKLE_MAX_MARKS)",
                        LL_ART_PICKLE_MAX_MARKS);
                goto done;
            }
            LL_VEC_PUSH(&w->marks, w->stack.len);
            break;
        case '0': /* POP */
            if (w->stack.len > fence(w))
                w->stack.len--;
            else if (w->marks.len)
                w->marks.len--;
            else
                SEM("unpickling stack underflow");
            break;
        case '1': /* POP_MARK */
            TRY(pop_mark(w, &from));
            w->stack.len = from;
            break;
        case '2': /* DUP */
            if (w->stack.len <= fence(w)) {
                SEM("unpickling stack underflow");
                TRY(push(w, k_poison));
            } else {
                TRY(push(w, w->stack.items[w->stack.len - 1]));
            }
            break;
        /* ---- constants ---- */
        case 'N':
            TRY(push(w, (PkVal){.kind = PK_NONE}));
            break;
        case 0x88:
        case 0x89:
            TRY(push(w, (PkVal){.kind = PK_BOOL, .u = op == 0x88}));
            break;
        case 'I': { /* INT */
            LINE(s, n);
            int64_t iv = 0;
            bool big = false;
            if (n == 2 && s[0] == '0' && (s[1] == '0' || s[1] == '1')) {
                TRY(push(w, (PkVal){.kind = PK_BOOL, .u = s[1] == '1'}));
                break;
            }
            if (!parse_int_text(s, n, true, &iv, &big))
                SEM("could not convert string to int");
            TRY(push(w, (PkVal){.kind = PK_INT, .u = (uint64_t)iv, .flags = big ? PKF_BIG : 0}));
            break;
        }
        case 'J':
            NEED(4);
            TRY(push(w, (PkVal){.kind = PK_INT, .u = (uint64_t)(int64_t)(int32_t)rd_le(w->d + w->pos, 4)}));
            w->pos += 4;
            break;
        case 'K':
            NEED(1);
            TRY(push(w, (PkVal){.kind = PK_INT, .u = w->d[w->pos]}));
            w->pos += 1;
            break;
        case 'M':
            NEED(2);
            TRY(push(w, (PkVal){.kind = PK_INT, .u = rd_le(w->d + w->pos, 2)}));
            w->pos += 2;
            break;
        case 'L': { /* LONG */
            LINE(s, n);
            size_t m = n && s[n - 1] == 'L' ? n - 1 : n;
            int64_t iv = 0;
            bool big = false;
            if (!parse_int_text(s, m, true, &iv, &big))
                SEM("could not convert string to int");
            uint16_t fl = big ? PKF_BIG : 0;
            if (span_is(s, m, k_magic_dec))
                fl |= PKF_MAGIC;
            TRY(push(w, (PkVal){.kind = PK_INT, .u = (uint64_t)iv, .flags = fl}));
            break;
        }
        case 0x8a:   /* LONG1 */
        case 0x8b: { /* LONG4 */
            unsigned hl = op == 0x8a ? 1 : 4;
            NEED(hl);
            uint64_t k = rd_le(w->d + w->pos, hl);
            if (op == 0x8b && (int32_t)k < 0) {
                w->pos += hl;
                SEM("LONG pickle has negative byte count");
                k = 0;
            } else {
                w->pos += hl;
            }
            NEED(k);
            const uint8_t *p = w->d + w->pos;
            PkVal iv = {.kind = PK_INT};
            if (k <= 8 && k > 0) {
                uint64_t x = rd_le(p, (unsigned)k);
                if (k < 8 && (p[k - 1] & 0x80))
                    x |= ~0ull << (8 * k);
                iv.u = x;
            } else if (k > 8) {
                iv.flags = PKF_BIG;
                if (k == sizeof k_magic_le && memcmp(p, k_magic_le, k) == 0)
                    iv.flags |= PKF_MAGIC;
            }
            w->pos += (size_t)k;
            TRY(push(w, iv));
            break;
        }
        case 'F': /* FLOAT */
            LINE(s, n);
            if (!float_text_ok(s, n))
                SEM("could not convert string to float");
            TRY(push(w, (PkVal){.kind = PK_FLOAT}));
            break;
        case 'G':
            NEED(8);
            w->pos += 8;
            TRY(push(w, (PkVal){.kind = PK_FLOAT}));
            break;
        /* ---- strings and bytes ---- */
        case 'S': /* STRING */
            LINE(s, n);
            ll_buf_reset(&w->t1);
            if (!decode_string_arg(s, n, &w->t1)) {
                SEM("the STRING opcode argument must be quoted, with valid escapes");
                TRY(push(w, k_poison));
            } else {
                TRY(push(w, (PkVal){.kind = PK_STR, .op = op, .u = w->op_at}));
            }
            break;
        case 'V': /* UNICODE */
            LINE(s, n);
            ll_buf_reset(&w->t1);
            if (!decode_raw_unicode(s, n, &w->t1)) {
                SEM("bad raw-unicode-escape in UNICODE");
                TRY(push(w, k_poison));
            } else {
                TRY(push(w, (PkVal){.kind = PK_STR, .op = op, .u = w->op_at}));
            }
            break;
        case 'T':   /* BINSTRING */
        case 'X':   /* BINUNICODE */
        case 'B': { /* BINBYTES */
            NEED(4);
            uint64_t k = rd_le(w->d + w->pos, 4);
            if (op == 'T' && (int32_t)k < 0) {
                w_fail(w, "BINSTRING pickle has negative byte count");
                goto done;
            }
            w->pos += 4;
            NEED(k);
            w->pos += (size_t)k;
            TRY(push(w, (PkVal){.kind = op == 'B' ? PK_BYTES : PK_STR, .op = op, .u = w->op_at}));
            break;
        }
        case 'U':   /* SHORT_BINSTRING */
        case 0x8c:  /* SHORT_BINUNICODE */
        case 'C': { /* SHORT_BINBYTES */
            NEED(1);
            size_t k = w->d[w->pos++];
            NEED(k);
            w->pos += k;
            TRY(push(w, (PkVal){.kind = op == 'C' ? PK_BYTES : PK_STR, .op = op, .u = w->op_at}));
            break;
        }
        case 0x8d:   /* BINUNICODE8 */
        case 0x8e:   /* BINBYTES8 */
        case 0x96: { /* BYTEARRAY8 */
            NEED(8);
            uint64_t k = rd_le(w->d + w->pos, 8);
            w->pos += 8;
            NEED(k);
            w->pos += (size_t)k;
            TRY(push(w, (PkVal){.kind = op == 0x8d ? PK_STR : PK_BYTES, .op = op, .u = w->op_at}));
            break;
        }
        case 0x97: /* NEXT_BUFFER: out-of-band data the loader passes in */
            TRY(push(w, k_unknown));
            break;
        case 0x98: /* READONLY_BUFFER */
            if (w->stack.len <= fence(w))
                SEM("unpickling stack underflow");
            break;
        /* ---- containers ---- */
        case ']':
            TRY(push(w, node_new(w, N_LIST, 0)));
            break;
        case '}':
            TRY(push(w, node_new(w, N_DICT, 0)));
            break;
        case ')':
            TRY(push(w, node_new(w, N_TUPLE, 0)));
            break;
        case 0x8f:
            TRY(push(w, node_new(w, N_SET, 0)));
            break;
        case 'l': /* LIST */
        case 't': /* TUPLE */
        case 0x91: /* FROZENSET */
            TRY(pop_mark(w, &from));
            TRY(push(w, node_from_stack(w, op == 'l' ? N_LIST : op == 't' ? N_TUPLE : N_FROZENSET, from)));
            break;
        case 'd': /* DICT */
            TRY(pop_mark(w, &from));
            if ((w->stack.len - from) % 2)
                SEM("odd number of items for DICT");
            TRY(push(w, node_from_stack(w, N_DICT, from)));
            break;
        case 0x85: /* TUPLE1 */
        case 0x86: /* TUPLE2 */
        case 0x87: { /* TUPLE3 */
            size_t k = (size_t)(op - 0x84);
            if (w->stack.len < fence(w) + k) {
                SEM("unpickling stack underflow");
                while (w->stack.len < fence(w) + k)
                    TRY(push(w, k_poison));
            }
            TRY(push(w, node_from_stack(w, N_TUPLE, w->stack.len - k)));
            break;
        }
        case 'a': /* APPEND */
            TRY(pop(w, &v));
            if (w->stack.len <= fence(w)) {
                SEM("unpickling stack underflow");
                break;
            }
            a = w->stack.items[w->stack.len - 1];
            if (node_of(w, a, N_LIST))
                node_add(w, a.ref, v);
            else
                mutated(w, a, w->op_at);
            break;
        case 'e':   /* APPENDS */
        case 0x90:  /* ADDITEMS */
        case 'u': { /* SETITEMS */
            TRY(pop_mark(w, &from));
            TRY(below(w, from, &a));
            int kind = op == 'e' ? N_LIST : op == 'u' ? N_DICT : N_SET;
            if (op == 'u' && (w->stack.len - from) % 2)
                SEM("odd number of items for SETITEMS");
            if (node_of(w, a, kind)) {
                for (size_t i = from; i < w->stack.len; i++)
                    node_add(w, a.ref, w->stack.items[i]);
            } else if (w->stack.len > from) {
                mutated(w, a, w->op_at);
            }
            w->stack.len = from;
            break;
        }
        case 's': /* SETITEM */
            TRY(pop(w, &v));
            TRY(pop(w, &b));
            if (w->stack.len <= fence(w)) {
                SEM("unpickling stack underflow");
                break;
            }
            a = w->stack.items[w->stack.len - 1];
            if (node_of(w, a, N_DICT)) {
                node_add(w, a.ref, b);
                node_add(w, a.ref, v);
            } else {
                mutated(w, a, w->op_at);
            }
            break;
        /* ---- memo ---- */
        case 'g': /* GET */
        case 'h': /* BINGET */
        case 'j': { /* LONG_BINGET */
            uint64_t idx;
            bool ok = true;
            if (op == 'g') {
                LINE(s, n);
                int64_t iv;
                bool big;
                ok = parse_int_text(s, n, false, &iv, &big) && !big && iv >= 0;
                idx = (uint64_t)iv;
            } else {
                unsigned k = op == 'h' ? 1 : 4;
                NEED(k);
                idx = rd_le(w->d + w->pos, k);
                w->pos += k;
            }
            if (!ok || !memo_get(&w->memo, idx, &v)) {
                if (ok)
                    SEM("memo value not found at index %llu", (unsigned long long)idx);
                else
                    SEM("bad GET argument");
                v = k_poison;
            }
            TRY(push(w, v));
            break;
        }
        case 'p': /* PUT */
        case 'q': /* BINPUT */
        case 'r': /* LONG_BINPUT */
        case 0x94: { /* MEMOIZE */
            uint64_t idx = 0;
            bool ok = true;
            if (op == 'p') {
                LINE(s, n);
                int64_t iv;
                bool big;
                ok = parse_int_text(s, n, false, &iv, &big) && !big && iv >= 0;
                idx = (uint64_t)iv;
                if (!ok)
                    SEM("negative or bad PUT argument");
            } else if (op == 'q' || op == 'r') {
                unsigned k = op == 'q' ? 1 : 4;
                NEED(k);
                idx = rd_le(w->d + w->pos, k);
                w->pos += k;
            } else {
                idx = w->memo.count;
            }
            if (w->stack.len <= fence(w)) {
                SEM("unpickling stack underflow");
                break;
            }
            if (ok)
                TRY(memo_put(w, idx, w->stack.items[w->stack.len - 1]));
            break;
        }
        /* ---- imports ---- */
        case 'c': /* GLOBAL */
        case 'i': /* INST */
            LINE(s, n);
            LINE(s2, n2);
            if (!n || !n2)
                SEM("pickle data was truncated (empty module or name line)");
            if (op == 'c') {
                TRY(import_global(w, s, n, s2, n2, HOW_GLOBAL, w->op_at, w->pos - w->op_at, &v));
                TRY(push(w, v));
            } else {
                TRY(import_global(w, s, n, s2, n2, HOW_INST, w->op_at, w->pos - w->op_at, &v));
                TRY(pop_mark(w, &from));
                a = node_from_stack(w, N_TUPLE, from);
                called(w, v, w->op_at);
                TRY(push(w, obj_new(w, v, a)));
            }
            break;
        case 0x93: { /* STACK_GLOBAL */
            TRY(pop(w, &b));
            TRY(pop(w, &a));
            const uint8_t *ms, *ns;
            size_t ml, nl;
            int ka = operand_kind(w, a), kb = operand_kind(w, b);
            if (ka == OPERAND_STR && kb == OPERAND_STR) {
                if (!w_str(w, a, &w->t1, &ms, &ml) || !w_str(w, b, &w->t2, &ns, &nl)) {
                    SEM("STACK_GLOBAL on an undecodable string");
                    TRY(push(w, k_poison));
                    break;
                }
                if (!ml || !nl)
                    SEM("STACK_GLOBAL with an empty module or name");
                TRY(import_global(w, ms, ml, ns, nl, HOW_STACK_GLOBAL, w->op_at, 1, &v));
                TRY(push(w, v));
                break;
            }
            if (ka == OPERAND_POISON || kb == OPERAND_POISON) {
                TRY(push(w, k_poison));
                break;
            }
            if (ka == OPERAND_OTHER || kb == OPERAND_OTHER) {
                SEM("STACK_GLOBAL requires str");
                TRY(push(w, k_poison));
                break;
            } else {
                char da[48], db[48], detail[LL_PICKLE_VALUE_NAME];
                describe(w, a, da, sizeof da);
                describe(w, b, db, sizeof db);
                snprintf(detail, sizeof detail, "module: %s; name: %s", da, db);
                event(&w->ev_dynamic, w->op_at, 1, NULL, detail);
            }
            TRY(push(w, (PkVal){.kind = PK_UNKNOWN, .flags = PKF_DYNAMIC}));
            break;
        }
        case 0x82: /* EXT1 */
        case 0x83: /* EXT2 */
        case 0x84: { /* EXT4 */
            unsigned k = op == 0x82 ? 1 : op == 0x83 ? 2 : 4;
            NEED(k);
            uint64_t code = rd_le(w->d + w->pos, k);
            w->pos += k;
            if (k == 4 && (int32_t)code <= 0)
                SEM("EXT specifies code <= 0");
            if (k != 4 && code == 0)
                SEM("EXT specifies code <= 0");
            char sub[32];
            snprintf(sub, sizeof sub, "%lld", (long long)(k == 4 ? (int64_t)(int32_t)code : (int64_t)code));
            event(&w->ev_ext, w->op_at, 1 + k, sub, NULL);
            TRY(push(w, (PkVal){.kind = PK_UNKNOWN, .flags = PKF_DYNAMIC}));
            break;
        }
        case 'P': /* PERSID */
            LINE(s, n);
            TRY(push(w, node_new(w, N_PERSID, 0)));
            break;
        case 'Q': /* BINPERSID */
            TRY(pop(w, &v));
            c = node_new(w, N_PERSID, 1);
            if (c.kind == PK_NODE)
                node_add(w, c.ref, v);
            TRY(push(w, c));
            break;
        /* ---- calls ---- */
        case 'R': /* REDUCE */
            TRY(pop(w, &b));
            TRY(pop(w, &a));
            called(w, a, w->op_at);
            TRY(push(w, reduce_result(w, a, b)));
            break;
        case 0x81: /* NEWOBJ */
            TRY(pop(w, &b));
            TRY(pop(w, &a));
            called(w, a, w->op_at);
            TRY(push(w, obj_new(w, a, b)));
            break;
        case 0x92: /* NEWOBJ_EX */
            TRY(pop(w, &c));
            TRY(pop(w, &b));
            TRY(pop(w, &a));
            called(w, a, w->op_at);
            TRY(push(w, obj_new(w, a, b)));
            break;
        case 'o': /* OBJ */
            TRY(pop_mark(w, &from));
            if (w->stack.len == from) {
                SEM("unpickling stack underflow");
                TRY(push(w, k_poison));
                break;
            }
            a = w->stack.items[from];
            b = node_from_stack(w, N_TUPLE, from + 1);
            w->stack.len = from;
            called(w, a, w->op_at);
            TRY(push(w, obj_new(w, a, b)));
            break;
        case 'b': { /* BUILD */
            TRY(pop(w, &v));
            if (w->stack.len <= fence(w)) {
                SEM("unpickling stack underflow");
                break;
            }
            a = w->stack.items[w->stack.len - 1];
            PkNode *o = node_of(w, a, N_OBJ);
            if (import_of(w, a)) {
                mutated(w, a, w->op_at);
            } else if (o) {
                node_items(w, o)[OBJ_STATE] = v;
                PkVal cls = obj_class(w, o);
                PkImport *ci = import_of(w, cls);
                if (ci && !node_of(w, v, N_DICT))
                    ci->called = true; /* __setstate__ runs */
                if (ci && !(w->o->flags & LL_PICKLE_PLAIN) && ci->special == SP_JOBLIB_WRAPPER) {
                    joblib_skip(w, v);
                    if (w->failed)
                        goto done;
                    w->stack.items[w->stack.len - 1] = k_unknown; /* the array */
                }
            }
            break;
        }
        default:
            w_fail(w, "byte 0x%02x is not a pickle opcode", op);
            goto done;
        }
        w->opcodes++;
    }
done:
    st->end = w->pos;
}

void ll_pickle_scratch_free(void *walker)
{
    if (!walker)
        return;
    walker_release(walker);
    free(walker);
}

/* A walker: the scratch's next free one (kept from stream to stream), or a
 * new one when there is no scratch or all of its are in use. */
static PkWalker *walker_acquire(const LLArtCtx *ctx, bool *owned)
{
    LLArtScratch *sc = ctx ? ctx->scratch : NULL;
    if (sc && sc->active < LL_ART_SCRATCH_WALKERS) {
        PkWalker *w = sc->walkers[sc->active];
        if (!w) {
            w = ll_xmalloc(sizeof *w);
            walker_init(w);
            sc->walkers[sc->active] = w;
        } else {
            walker_reset(w);
        }
        sc->active++;
        *owned = false;
        return w;
    }
    PkWalker *w = ll_xmalloc(sizeof *w);
    walker_init(w);
    *owned = true;
    return w;
}

static void walker_done(const LLArtCtx *ctx, PkWalker *w, bool owned)
{
    if (owned) {
        walker_release(w);
        free(w);
        return;
    }
    walker_trim(w);
    ctx->scratch->active--;
}

void ll_pickle_walk(const LLPickleOptions *o, const uint8_t *data, size_t start, size_t end,
                    LLArtResult *out, LLPickleStream *st)
{
    memset(st, 0, sizeof *st);
    bool owned;
    PkWalker *w = walker_acquire(o->ctx, &owned);
    w->o = o;
    w->out = out;
    w->d = data;
    w->start = start;
    w->end = end;
    walk(w, st);
    st->joblib = w->joblib;
    report_stream(w);
    walker_done(o->ctx, w, owned);
}

bool ll_pickle_sniff(const uint8_t *head, size_t len, bool whole)
{
    if (!len)
        return false;
    PkWalker *w = ll_xmalloc(sizeof *w);
    walker_init(w);
    LLArtScanOptions opts = {0};
    LLArtCtx ctx = {.opts = &opts};
    LLPickleOptions o = {.ctx = &ctx, .flags = 0};
    w->o = &o;
    w->out = NULL;
    w->d = head;
    w->start = 0;
    w->end = len;
    w->strict = true;
    w->head_only = !whole;
    LLPickleStream st;
    memset(&st, 0, sizeof st);
    walk(w, &st);
    /* a complete pickle; or an import that loads (what running code needs
     * first, and what a loader does even when the stream fails later); or
     * LL_ART_PICKLE_SNIFF_OPS opcodes that parse and load with no error
     * before the end of the bytes (text files whose first letters happen
     * to be opcodes fail soon: a stray MARK, an empty stack); or a PROTO
     * and one more */
    bool clean = !w->failed || w->ran_out;
    bool ok = st.complete || w->imports.len > 0 || (clean && w->opcodes >= LL_ART_PICKLE_SNIFF_OPS) ||
              (w->first_op == 0x80 && (w->opcodes >= 2 || (w->opcodes == 1 && w->ran_out)));
    walker_release(w);
    free(w);
    return ok;
}

static bool all_blank(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\n' && p[i] != '\r' && p[i] != ' ' && p[i] != '\t' && p[i] != 0)
            return false;
    return true;
}

/* Same check, subject, member chain and offset. */
static bool same_finding(const LLArtFinding *a, const LLArtFinding *b)
{
    if (strcmp(a->check, b->check) != 0 || a->loc.offset != b->loc.offset || a->loc.nmembers != b->loc.nmembers)
        return false;
    if ((a->subject == NULL) != (b->subject == NULL) || (a->subject && strcmp(a->subject, b->subject) != 0))
        return false;
    for (uint32_t m = 0; m < a->loc.nmembers; m++)
        if (strcmp(a->loc.members[m], b->loc.members[m]) != 0)
            return false;
    return true;
}

/* A file holding joblib array wrappers, read as plain pickle.load reads it:
 * the array bytes joblib skips are opcodes then (a crafted padding byte can
 * make them a payload). What that reading imports or calls is added to
 * out, unless the joblib reading found it already; its load errors are not
 * (pickle.load failing on array bytes is expected). */
static void plain_reading(const LLArtCtx *ctx, const uint8_t *data, size_t start, size_t len,
                          unsigned flags, LLArtResult *out)
{
    LLArtResult alt;
    ll_art_result_init(&alt);
    LLPickleOptions o = {.ctx = ctx, .flags = flags | LL_PICKLE_PLAIN};
    LLPickleStream st;
    ll_pickle_walk(&o, data, start, len, &alt, &st);
    for (size_t i = 0; i < alt.findings.len; i++) {
        const LLArtFinding *f = &alt.findings.items[i];
        if (strcmp(f->check, ART_CHECK_MALFORMED) == 0 || strcmp(f->check, ART_CHECK_LIMIT) == 0 ||
            strcmp(f->check, ART_CHECK_UNSUPPORTED) == 0 || strcmp(f->check, ART_CHECK_TRAILING_DATA) == 0)
            continue;
        bool dup = false;
        for (size_t k = 0; k < out->findings.len && !dup; k++)
            dup = same_finding(f, &out->findings.items[k]);
        if (dup)
            continue;
        LLArtVerdict v = f->severity == LL_SEV_ERROR ? LL_ART_MALICIOUS : LL_ART_SUSPICIOUS;
        ll_art_add(out, f->check, f->severity, v, &f->loc, f->subject,
                   "%s (when read by plain pickle.load, which takes the joblib array bytes for opcodes)",
                   f->message);
    }
    ll_art_result_release(&alt);
}

const char *ll_pickle_scan(const LLArtCtx *ctx, const uint8_t *data, size_t start, size_t len,
                           unsigned flags, LLArtResult *out)
{
    LLPickleOptions o = {.ctx = ctx, .flags = flags};
    LLPickleStream st;
    ll_pickle_walk(&o, data, start, len, out, &st);
    bool joblib = st.joblib;
    if (st.joblib)
        plain_reading(ctx, data, start, len, flags, out);
    if (!st.complete)
        return joblib ? "joblib" : "pickle";
    if (st.torch_magic) {
        ll_torch_legacy_rest(ctx, data, len, st.end, out);
        return "pytorch-legacy";
    }
    size_t pos = st.end;
    unsigned streams = 1;
    while (pos < len) {
        size_t rest = len - pos;
        if (all_blank(data + pos, rest) && rest <= 16) {
            LLArtLoc loc = ll_art_ctx_loc(ctx, pos, rest);
            ll_art_add(out, ART_CHECK_TRAILING_DATA, LL_SEV_NOTE, LL_ART_SAFE, &loc, NULL,
                       "%zu blank bytes follow the pickle's STOP at offset %zu", rest, pos);
            break;
        }
        size_t h = rest < LL_ART_SNIFF_BYTES ? rest : LL_ART_SNIFF_BYTES;
        if (!ll_pickle_sniff(data + pos, h, h == rest)) {
            LLArtLoc loc = ll_art_ctx_loc(ctx, pos, rest);
            ll_art_add(out, ART_CHECK_TRAILING_DATA, LL_SEV_WARNING, LL_ART_SUSPICIOUS, &loc, NULL,
                       "%zu bytes after the pickle's STOP (offset %zu) are not a pickle: pickle.load "
                       "ignores them, but code that reads the file on can use them",
                       rest, pos);
            break;
        }
        if (streams >= LL_ART_PICKLE_MAX_STREAMS) {
            LLArtLoc loc = ll_art_ctx_loc(ctx, pos, rest);
            ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                       "more than %u pickles back to back (LL_ART_PICKLE_MAX_STREAMS); the rest "
                       "from offset %zu was not read",
                       LL_ART_PICKLE_MAX_STREAMS, pos);
            break;
        }
        size_t at = pos;
        ll_pickle_walk(&o, data, pos, len, out, &st);
        streams++;
        joblib |= st.joblib;
        if (st.joblib)
            plain_reading(ctx, data, at, len, flags, out);
        if (!st.complete)
            break;
        pos = st.end;
    }
    return joblib ? "joblib" : "pickle";
}
