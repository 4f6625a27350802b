#include "config/toml.h"

#include "base/arena.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"
#include "base/vec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_toml(void);

/* ------------------------------------------------------------------------
 * The tree
 * ------------------------------------------------------------------------ */

enum { F_TABLE_ARRAY = 1 };

/* One value. While the document is built, the entries of a table or the
 * items of an array are a linked list (first, last, next); once it is built
 * they are also an array (items) and large tables get a hash index. */
struct LLTomlValue {
    uint8_t type;      /* LLTomlType */
    uint8_t origin;    /* LLTomlOrigin */
    uint8_t date_kind; /* LLTomlDateKind */
    uint8_t flags;     /* F_TABLE_ARRAY */
    uint32_t scope;    /* tables: 0 when made outside any inline table, else
                          the id of the inline table that made it */
    uint32_t depth;    /* root 0 */
    uint32_t index;    /* in the parent's entries or items */
    uint32_t key_len;
    unsigned line, col, key_line, key_col;
    LLTomlValue *parent;
    const char *key; /* in the table parent; 8 bytes before it: the parent's
                        address (the builder's member map key) */
    LLTomlValue *next;
    union {
        struct {
            const char *s; /* strings, and dates' text */
            size_t len;
        } str;
        int64_t i;
        double f;
        bool b;
        struct {
            LLTomlValue **items;
            uint32_t *index; /* tables above LL_TOML_INDEX_MIN entries: item + 1 per slot */
            size_t len;
            size_t index_cap; /* a power of two */
            LLTomlValue *first, *last;
        } list;
    } u;
};

struct LLTomlDoc {
    LLArena arena;
    LLTomlValue *root;
    char *name;
    LLStatus status;
};

/* ------------------------------------------------------------------------
 * Node kinds of tree-sitter-toml
 * ------------------------------------------------------------------------ */

typedef enum Kind {
    K_OTHER,
    K_COMMENT,
    K_PAIR,
    K_TABLE,
    K_TABLE_ARRAY,
    K_BARE_KEY,
    K_QUOTED_KEY,
    K_DOTTED_KEY,
    K_STRING,
    K_INTEGER,
    K_FLOAT,
    K_BOOLEAN,
    K_OFFSET_DATE_TIME,
    K_LOCAL_DATE_TIME,
    K_LOCAL_DATE,
    K_LOCAL_TIME,
    K_ARRAY,
    K_INLINE_TABLE,
    K_COUNT
} Kind;

static const char *const kind_names[K_COUNT] = {
    [K_COMMENT] = "comment",
    [K_PAIR] = "pair",
    [K_TABLE] = "table",
    [K_TABLE_ARRAY] = "table_array_element",
    [K_BARE_KEY] = "bare_key",
    [K_QUOTED_KEY] = "quoted_key",
    [K_DOTTED_KEY] = "dotted_key",
    [K_STRING] = "string",
    [K_INTEGER] = "integer",
    [K_FLOAT] = "float",
    [K_BOOLEAN] = "boolean",
    [K_OFFSET_DATE_TIME] = "offset_date_time",
    [K_LOCAL_DATE_TIME] = "local_date_time",
    [K_LOCAL_DATE] = "local_date",
    [K_LOCAL_TIME] = "local_time",
    [K_ARRAY] = "array",
    [K_INLINE_TABLE] = "inline_table",
};

static bool is_value_kind(Kind k)
{
    return k >= K_STRING && k <= K_INLINE_TABLE;
}

static bool is_key_kind(Kind k)
{
    return k == K_BARE_KEY || k == K_QUOTED_KEY || k == K_DOTTED_KEY;
}

/* ------------------------------------------------------------------------
 * The builder
 * ------------------------------------------------------------------------ */

/* One part of the key being read: its decoded bytes at keys[off..off+len). */
typedef struct Part {
    size_t off;
    uint32_t len;
    unsigned line, col;
} Part;

/* An array or inline table being filled by value_walk. */
typedef struct Frame {
    LLTomlValue *v;
    uint32_t saved_scope;
    bool in_pair; /* the cursor is inside one of its pairs */
} Frame;

/* Where the next value goes: an entry of a table (key set) or an item of
 * an array (key NULL). */
typedef struct Slot {
    LLTomlValue *parent;
    const char *key; /* in the arena, after the parent's address */
    uint32_t key_len;
    unsigned key_line, key_col;
} Slot;

typedef struct Builder {
    LLTomlDoc *doc;
    const char *text; /* as parsed (a byte-order mark blanked) */
    const char *orig; /* as given: columns are counted in it */
    size_t len;
    bool ascii;
    LLError *err;
    LLStatus status;
    const uint8_t *kinds; /* TSSymbol -> Kind */
    uint32_t nsymbols;
    LLStrMap members; /* (table address, key) -> LLTomlValue * */
    LL_VEC(char) keys;      /* decoded parts of the key being read */
    LL_VEC(char) probe;     /* scratch: a member map key */
    LL_VEC(Part) parts;
    LL_VEC(Frame) frames;
    LL_VEC(LLTomlValue *) containers; /* every table and array */
    uint32_t scope, next_scope;
    /* column cache: code points from line_start to byte */
    uint32_t pc_line_start, pc_byte;
    size_t pc_count;
} Builder;

static Kind kind_of(const Builder *b, TSNode n)
{
    TSSymbol s = ts_node_symbol(n);
    return s < b->nsymbols ? (Kind)b->kinds[s] : K_OTHER;
}

/* Line and column of a byte offset, counted from the start (errors only). */
static void position_slow(const char *text, size_t len, size_t byte, unsigned *line, unsigned *col)
{
    unsigned l = 1;
    size_t start = 0;
    for (size_t i = 0; i < byte && i < len; i++) {
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    if (byte > len)
        byte = len;
    *line = l;
    *col = (unsigned)ll_utf8_count(text + start, byte - start) + 1;
}

/* Line and column of a node start; in document order this counts each
 * line's bytes once. */
static void locate(Builder *b, uint32_t byte, TSPoint pt, unsigned *line, unsigned *col)
{
    *line = pt.row + 1;
    if (b->ascii) {
        *col = pt.column + 1;
        return;
    }
    uint32_t line_start = byte - pt.column;
    if (b->pc_line_start != line_start || byte < b->pc_byte) {
        b->pc_line_start = line_start;
        b->pc_byte = line_start;
        b->pc_count = 0;
    }
    b->pc_count += ll_utf8_count(b->orig + b->pc_byte, byte - b->pc_byte);
    b->pc_byte = byte;
    *col = (unsigned)b->pc_count + 1;
}

static void locate_node(Builder *b, TSNode n, unsigned *line, unsigned *col)
{
    locate(b, ts_node_start_byte(n), ts_node_start_point(n), line, col);
}

static LLStatus fail_at(Builder *b, LLStatus st, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static LLStatus fail_at(Builder *b, LLStatus st, unsigned line, unsigned col, const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ll_error_set(b->err, st, b->doc->name, line, col, "%s", msg);
}

static LLStatus fail_byte(Builder *b, size_t byte, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static LLStatus fail_byte(Builder *b, size_t byte, const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line, col;
    position_slow(b->orig, b->len, byte, &line, &col);
    return ll_error_set(b->err, b->status, b->doc->name, line, col, "%s", msg);
}

#define FAIL_NODE(b, node, ...) fail_byte((b), ts_node_start_byte(node), __VA_ARGS__)

/* ------------------------------------------------------------------------
 * Text checks: UTF-8 and control characters
 * ------------------------------------------------------------------------ */

typedef enum TextProblem { TEXT_OK, TEXT_UTF8, TEXT_CONTROL, TEXT_CR } TextProblem;

/* The first byte that is not valid UTF-8, or a control character TOML does
 * not allow anywhere (all but tab, LF, and CR before LF): its offset and
 * what is wrong; TEXT_OK and len when there is none. */
static TextProblem check_text(const unsigned char *s, size_t len, size_t *at, bool *ascii)
{
    *ascii = true;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        *at = i;
        if (c == '\t' || c == '\n') {
            i++;
            continue;
        }
        if (c == '\r') {
            if (i + 1 < len && s[i + 1] == '\n') {
                i += 2;
                continue;
            }
            return TEXT_CR;
        }
        if (c < 0x80)
            return TEXT_CONTROL;
        *ascii = false;
        size_t n;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return TEXT_UTF8;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return TEXT_UTF8;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return TEXT_UTF8;
        i += n + 1;
    }
    *at = len;
    return TEXT_OK;
}

/* Where brackets ('[', '{') nest deeper than the limits, before the text
 * goes to tree-sitter: LL_TOML_MAX_DEPTH outside strings and comments (no
 * value can be deeper), and LL_TOML_MAX_OPEN_BRACKETS counting every
 * bracket, which bounds what the parser has to hold even where its error
 * recovery reads the text differently. (tree-sitter 0.20.7 frees a node twice
 * once about 65,000 unreduced tokens pile up on its stack, as unclosed
 * nested arrays make them.) Returns false and the bracket's offset when a
 * limit is passed; *raw tells which. */
static bool check_nesting(const char *s, size_t len, size_t *at, bool *raw)
{
    enum { N, COMMENT, BASIC, LITERAL, ML_BASIC, ML_LITERAL } st = N;
    size_t depth = 0, all = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '[' || c == '{') {
            if (++all > LL_TOML_MAX_OPEN_BRACKETS) {
                *at = i;
                *raw = true;
                return false;
            }
        } else if ((c == ']' || c == '}') && all) {
            all--;
        }
        switch (st) {
        case N:
            if (c == '#') {
                st = COMMENT;
            } else if (c == '"' || c == '\'') {
                bool triple = i + 2 < len && s[i + 1] == c && s[i + 2] == c;
                st = c == '"' ? (triple ? ML_BASIC : BASIC) : (triple ? ML_LITERAL : LITERAL);
                if (triple)
                    i += 2;
            } else if (c == '[' || c == '{') {
                if (++depth > LL_TOML_MAX_DEPTH) {
                    *at = i;
                    *raw = false;
                    return false;
                }
            } else if ((c == ']' || c == '}') && depth) {
                depth--;
            }
            break;
        case COMMENT:
            if (c == '\n')
                st = N;
            break;
        case BASIC:
        case LITERAL:
            if (c == '\\' && st == BASIC)
                i++;
            else if (c == '\n' || c == (st == BASIC ? '"' : '\''))
                st = N;
            break;
        case ML_BASIC:
        case ML_LITERAL: {
            char q = st == ML_BASIC ? '"' : '\'';
            if (c == '\\' && st == ML_BASIC) {
                i++;
            } else if (c == q) {
                size_t run = 1;
                while (i + run < len && s[i + run] == q)
                    run++;
                i += run - 1;
                if (run >= 3)
                    st = N; /* the last three of a run close the string */
            }
            break;
        }
        }
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Syntax errors
 * ------------------------------------------------------------------------ */

static bool is_error_node(TSNode n)
{
    return strcmp(ts_node_type(n), "ERROR") == 0;
}

/* The first node below `top` (or top itself) in document order that is
 * MISSING, or an ERROR (`leaf_only`: an ERROR without children, a token the
 * parser could not use). Only subtrees holding an error are entered. */
static bool find_error(TSNode top, bool leaf_only, TSNode *out)
{
    TSTreeCursor c = ts_tree_cursor_new(top);
    bool found = false;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_is_missing(n) ||
            (is_error_node(n) && (!leaf_only || ts_node_child_count(n) == 0))) {
            *out = n;
            found = true;
            break;
        }
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c))
            continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c))
                break;
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&c);
    return found;
}

/* The first syntax error: an ERROR or MISSING node, or inside an ERROR that
 * wraps what it skipped, the first token it could not use. */
static bool first_error(TSNode root, TSNode *out)
{
    if (!find_error(root, false, out))
        return false;
    TSNode inner;
    if (is_error_node(*out) && ts_node_child_count(*out) > 0 && find_error(*out, true, &inner))
        *out = inner;
    return true;
}

/* A syntax error the cursor does not show: a MISSING token the grammar
 * hides (the end of a line, in `a = 1 b = 2`). It is in the deepest node
 * holding an error that none of its visible children holds, at its end. */
static LLStatus hidden_error(Builder *b, TSNode root)
{
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (;;) {
        bool down = false;
        if (ts_tree_cursor_goto_first_child(&c)) {
            do {
                down = ts_node_has_error(ts_tree_cursor_current_node(&c));
            } while (!down && ts_tree_cursor_goto_next_sibling(&c));
            if (!down)
                ts_tree_cursor_goto_parent(&c);
        }
        if (!down)
            break;
    }
    uint32_t at = ts_node_end_byte(ts_tree_cursor_current_node(&c));
    ts_tree_cursor_delete(&c);
    return fail_byte(b, at, "invalid TOML: expected the end of the line here");
}

static LLStatus syntax_error(Builder *b, TSNode n)
{
    if (ts_node_is_missing(n)) {
        const char *t = ts_node_type(n);
        if (ts_node_is_named(n) || strstr(t, "token"))
            return FAIL_NODE(b, n, "invalid TOML: a value is missing here");
        return FAIL_NODE(b, n, "invalid TOML: missing '%s'", t);
    }
    bool leaf = ts_node_child_count(n) == 0;
    /* show the start of the offending text, on one line */
    uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
    size_t len = 0;
    while (a + len < e && len < 20 && b->text[a + len] != '\n' && b->text[a + len] != '\r')
        len++;
    if (!len)
        return FAIL_NODE(b, n, "invalid TOML: unexpected end of line");
    LLBuf snip;
    ll_buf_init(&snip);
    ll_escape_controls(&snip, b->text + a, len);
    LLStatus st = FAIL_NODE(b, n, leaf ? "invalid TOML: unexpected '%s'" : "invalid TOML near '%s'",
                            snip.data);
    ll_buf_release(&snip);
    return st;
}

/* ------------------------------------------------------------------------
 * Scalars
 * ------------------------------------------------------------------------ */

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the string (or quoted key) at text[start..end) into dst, which
 * has room for end - start + 1 bytes (no escape makes text longer than it
 * is written); *n is the decoded length, dst[*n] is NUL. Basic and literal
 * strings, single-line or multi-line. */
static LLStatus decode_string(Builder *b, uint32_t start, uint32_t end, char *dst, size_t *n)
{
    const char *s = b->text + start;
    size_t len = end - start, o = 0;
    bool multi = len >= 6 && (memcmp(s, "\"\"\"", 3) == 0 || memcmp(s, "'''", 3) == 0);
    bool basic = s[0] == '"';
    size_t q = multi ? 3 : 1;
    if (len < 2 * q)
        return fail_byte(b, start, "malformed string");
    size_t i = q, stop = len - q;
    if (multi) { /* a newline right after the opening quotes is dropped */
        if (i < stop && s[i] == '\n')
            i++;
        else if (i + 1 < stop && s[i] == '\r' && s[i + 1] == '\n')
            i += 2;
    }
    size_t quotes = 0; /* delimiters in a row, inside a multi-line string */
    while (i < stop) {
        char c = s[i];
        if (c == '\r' && i + 1 < stop && s[i + 1] == '\n') {
            i++; /* CRLF reads as LF */
            continue;
        }
        if (c != '\\' || !basic) {
            quotes = c == s[0] ? quotes + 1 : 0;
            if (multi && quotes == 3)
                return fail_byte(b, start + (uint32_t)i - 2,
                                 "invalid TOML: three %s in a row inside a multi-line string (escape one)",
                                 basic ? "'\"'" : "\"'\"");
            dst[o++] = c;
            i++;
            continue;
        }
        quotes = 0;
        uint32_t at = start + (uint32_t)i;
        char e = i + 1 < stop ? s[i + 1] : '\0';
        i += 2;
        switch (e) {
        case 'b': dst[o++] = '\b'; break;
        case 't': dst[o++] = '\t'; break;
        case 'n': dst[o++] = '\n'; break;
        case 'f': dst[o++] = '\f'; break;
        case 'r': dst[o++] = '\r'; break;
        case 'e': dst[o++] = '\x1b'; break;
        case '"': dst[o++] = '"'; break;
        case '\\': dst[o++] = '\\'; break;
        case 'u':
        case 'U': {
            size_t digits = e == 'u' ? 4 : 8;
            uint32_t cp = 0;
            for (size_t k = 0; k < digits; k++) {
                if (i + k >= stop || !is_hex(s[i + k]))
                    return fail_byte(b, at, "invalid \\%c escape: needs %zu hex digits", e, digits);
                char h = s[i + k];
                cp = cp * 16 + (uint32_t)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return fail_byte(b, at, "\\%c escape U+%04X is not a Unicode scalar value", e,
                                 (unsigned)cp);
            o += put_utf8(dst + o, cp); /* at most 4 bytes for 6 or 10 written */
            i += digits;
            break;
        }
        default: {
            /* line-ending backslash: drops the newline and the whitespace
             * (newlines included) up to the next other character */
            size_t k = i - 1;
            while (multi && k < stop && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (multi && k < stop && (s[k] == '\n' || (s[k] == '\r' && k + 1 < stop && s[k + 1] == '\n'))) {
                while (k < stop && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
                    k++;
                i = k;
                break;
            }
            return fail_byte(b, at, "invalid escape sequence in a string");
        }
        }
    }
    dst[o] = '\0';
    *n = o;
    return LL_OK;
}

/* An integer: decimal with an optional sign, or 0x / 0o / 0b; '_' between
 * digits. The grammar has checked the form. */
static LLStatus parse_integer(Builder *b, uint32_t start, uint32_t end, int64_t *out)
{
    const char *s = b->text + start, *e = b->text + end;
    bool neg = false;
    unsigned base = 10;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
        base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
        s += 2;
    }
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; s < e; s++) {
        if (*s == '_')
            continue;
        unsigned d = *s <= '9' ? (unsigned)(*s - '0') : (unsigned)((*s | 0x20) - 'a' + 10);
        if (d >= base || v > (limit - d) / base) {
            if (d >= base)
                return fail_byte(b, start, "invalid integer");
            return fail_byte(b, start, "integer %.*s does not fit in 64 bits", (int)(end - start),
                             b->text + start);
        }
        v = v * base + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return LL_OK;
}

static LLStatus parse_float(Builder *b, uint32_t start, uint32_t end, double *out)
{
    char buf[128];
    size_t n = 0;
    for (uint32_t i = start; i < end; i++) {
        if (b->text[i] == '_')
            continue;
        if (n + 1 >= sizeof buf) {
            /* the digits a double can tell apart are far fewer: a longer
             * float is refused rather than cut */
            return fail_byte(b, start, "float longer than %zu characters", sizeof buf - 2);
        }
        buf[n++] = b->text[i];
    }
    buf[n] = '\0';
    /* strtod reads "inf" and "nan" with their sign; the decimal point is
     * '.' (loadlint never calls setlocale) */
    char *stop;
    errno = 0;
    double d = strtod(buf, &stop);
    if (stop != buf + n)
        return fail_byte(b, start, "invalid float");
    *out = d;
    return LL_OK;
}

static unsigned digits_value(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* The calendar part of a date (the grammar checks the shape and ranges of
 * each field): a four-digit year, a day that the month has. */
static LLStatus check_date(Builder *b, uint32_t start, uint32_t end)
{
    const char *s = b->text + start;
    size_t n = end - start, y = 0;
    while (y < n && s[y] >= '0' && s[y] <= '9')
        y++;
    if (y != 4 || n < 10)
        return fail_byte(b, start, "invalid date: the year must have four digits");
    unsigned year = digits_value(s, 4), month = digits_value(s + 5, 2), day = digits_value(s + 8, 2);
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned most = month >= 1 && month <= 12 ? days[month - 1] : 0;
    if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        most = 29;
    if (day < 1 || day > most)
        return fail_byte(b, start, "invalid date %.10s: that month has %u days", s, most);
    return LL_OK;
}

/* ------------------------------------------------------------------------
 * Tables and keys
 * ------------------------------------------------------------------------ */

static const char *type_phrase(LLTomlType t)
{
    switch (t) {
    case LL_TOML_TABLE: return "a table";
    case LL_TOML_ARRAY: return "an array";
    case LL_TOML_STRING: return "a string";
    case LL_TOML_INTEGER: return "an integer";
    case LL_TOML_FLOAT: return "a float";
    case LL_TOML_BOOLEAN: return "a boolean";
    case LL_TOML_DATETIME: return "a date or time";
    }
    return "a value";
}

const char *ll_toml_type_phrase(LLTomlType t)
{
    return type_phrase(t);
}

const char *ll_toml_describe(const LLTomlValue *v)
{
    if (v->type == LL_TOML_ARRAY && (v->flags & F_TABLE_ARRAY))
        return "an array of tables";
    if (v->type == LL_TOML_DATETIME) {
        switch ((LLTomlDateKind)v->date_kind) {
        case LL_TOML_OFFSET_DATETIME: return "a date-time";
        case LL_TOML_LOCAL_DATETIME: return "a local date-time";
        case LL_TOML_LOCAL_DATE: return "a date";
        case LL_TOML_LOCAL_TIME: return "a time";
        }
    }
    return type_phrase((LLTomlType)v->type);
}

/* The member map key of (table, key) in b->probe. */
static void probe_key(Builder *b, const LLTomlValue *table, const char *key, size_t len)
{
    LL_VEC_RESERVE(&b->probe, sizeof table + len);
    memcpy(b->probe.items, &table, sizeof table);
    memcpy(b->probe.items + sizeof table, key, len);
    b->probe.len = sizeof table + len;
}

static LLTomlValue *member(Builder *b, const LLTomlValue *table, const char *key, size_t len)
{
    probe_key(b, table, key, len);
    intptr_t v;
    return ll_strmap_get(&b->members, b->probe.items, b->probe.len, &v) ? (LLTomlValue *)v : NULL;
}

static const char *part_str(const Builder *b, const Part *p)
{
    return b->keys.items + p->off;
}

/* A slot for a new entry `p` of `table`: the key copied into the arena
 * after the table's address. */
static Slot entry_slot(Builder *b, LLTomlValue *table, const Part *p)
{
    char *k = ll_arena_alloc(&b->doc->arena, sizeof table + p->len + 1);
    memcpy(k, &table, sizeof table);
    memcpy(k + sizeof table, part_str(b, p), p->len);
    Slot s = {table, k + sizeof table, p->len, p->line, p->col};
    return s;
}

/* A new value at slot, written at (line, col); tables and arrays are
 * remembered for the end. */
static LLStatus new_value(Builder *b, const Slot *slot, LLTomlType type, unsigned line,
                          unsigned col, LLTomlValue **out)
{
    LLTomlValue *p = slot->parent;
    if (p->depth >= LL_TOML_MAX_DEPTH)
        return fail_at(b, LL_ERR_LIMIT, line, col,
                       "nesting deeper than %u levels (tables, arrays and inline tables; "
                       "LL_TOML_MAX_DEPTH)",
                       LL_TOML_MAX_DEPTH);
    if (p->u.list.len >= UINT32_MAX)
        return fail_at(b, LL_ERR_LIMIT, line, col, "more than %u entries in one table or array",
                       (unsigned)UINT32_MAX);
    LLTomlValue *v = ll_arena_alloc(&b->doc->arena, sizeof *v);
    v->type = (uint8_t)type;
    v->origin = LL_TOML_LITERAL;
    v->scope = b->scope;
    v->depth = p->depth + 1;
    v->index = (uint32_t)p->u.list.len;
    v->line = line;
    v->col = col;
    v->parent = p;
    if (slot->key) {
        v->key = slot->key;
        v->key_len = slot->key_len;
        v->key_line = slot->key_line;
        v->key_col = slot->key_col;
        ll_strmap_put(&b->members, slot->key - sizeof p, sizeof p + slot->key_len, (intptr_t)v);
    } else {
        v->key_line = line;
        v->key_col = col;
    }
    if (p->u.list.last)
        p->u.list.last->next = v;
    else
        p->u.list.first = v;
    p->u.list.last = v;
    p->u.list.len++;
    if (type == LL_TOML_TABLE || type == LL_TOML_ARRAY)
        LL_VEC_PUSH(&b->containers, v);
    *out = v;
    return LL_OK;
}

/* Appends the key path of parts[0..n) as written in a header: a.b."c d". */
static void parts_text(const Builder *b, size_t n, LLBuf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            ll_buf_putc(out, '.');
        ll_toml_write_key(out, part_str(b, &b->parts.items[i]), b->parts.items[i].len);
    }
}

/* "in NAME " for messages about a table's entries ("" for the root). */
static void table_name(const LLTomlValue *t, LLBuf *out)
{
    while (t && !t->key && t->parent && t->parent->type == LL_TOML_ARRAY)
        t = t->parent; /* an element of [[x]]: named x */
    if (t && t->key) {
        ll_buf_puts(out, " in ");
        ll_toml_write_key(out, t->key, t->key_len);
    }
}

/* Appends the simple key (bare or quoted) at node k to b->parts. */
static LLStatus read_part(Builder *b, TSNode k)
{
    Kind kind = kind_of(b, k);
    if (kind != K_BARE_KEY && kind != K_QUOTED_KEY)
        return FAIL_NODE(b, k, "invalid key");
    Part p = {b->keys.len, 0, 0, 0};
    locate_node(b, k, &p.line, &p.col);
    if (b->parts.len >= LL_TOML_MAX_DEPTH)
        return fail_at(b, LL_ERR_LIMIT, p.line, p.col, "key with more than %u parts (LL_TOML_MAX_DEPTH)",
                       LL_TOML_MAX_DEPTH);
    uint32_t a = ts_node_start_byte(k), e = ts_node_end_byte(k);
    size_t n = e - a;
    LL_VEC_RESERVE(&b->keys, b->keys.len + n + 1);
    char *dst = b->keys.items + b->keys.len;
    if (kind == K_BARE_KEY) {
        memcpy(dst, b->text + a, n);
        dst[n] = '\0';
    } else if (decode_string(b, a, e, dst, &n) != LL_OK) {
        return b->status;
    }
    p.len = (uint32_t)n;
    b->keys.len += n + 1;
    LL_VEC_PUSH(&b->parts, p);
    return LL_OK;
}

/* Reads the key at the cursor (bare, quoted or dotted) into b->parts; the
 * cursor ends where it started. tree-sitter-toml nests dotted keys to the
 * left, ((a . b) . c): the cursor goes down the left spine to the first
 * part, then back up, reading the right part of each level. */
static LLStatus read_key(Builder *b, TSTreeCursor *c)
{
    b->parts.len = 0;
    b->keys.len = 0;
    size_t depth = 0;
    while (kind_of(b, ts_tree_cursor_current_node(c)) == K_DOTTED_KEY) {
        /* no bound needed here: read_part stops at LL_TOML_MAX_DEPTH parts */
        if (!ts_tree_cursor_goto_first_child(c))
            return FAIL_NODE(b, ts_tree_cursor_current_node(c), "invalid dotted key");
        depth++;
    }
    LLStatus st = read_part(b, ts_tree_cursor_current_node(c));
    while (st == LL_OK && depth > 0) {
        bool found = false;
        while (!found && ts_tree_cursor_goto_next_sibling(c)) {
            Kind k = kind_of(b, ts_tree_cursor_current_node(c));
            found = k == K_BARE_KEY || k == K_QUOTED_KEY;
        }
        if (!found)
            return FAIL_NODE(b, ts_tree_cursor_current_node(c), "invalid dotted key");
        st = read_part(b, ts_tree_cursor_current_node(c));
        ts_tree_cursor_goto_parent(c);
        depth--;
    }
    return st;
}

/* [a.b.c] or [[a.b.c]] with the key in b->parts, written at (line, col):
 * the table its pairs go into. */
static LLStatus define_header(Builder *b, bool array, unsigned line, unsigned col,
                              LLTomlValue **section)
{
    const char *open = array ? "[[" : "[", *close = array ? "]]" : "]";
    LLTomlValue *t = b->doc->root;
    size_t n = b->parts.len;
    for (size_t i = 0; i + 1 < n; i++) {
        const Part *p = &b->parts.items[i];
        LLTomlValue *m = member(b, t, part_str(b, p), p->len);
        if (!m) {
            Slot s = entry_slot(b, t, p);
            LLStatus st = new_value(b, &s, LL_TOML_TABLE, p->line, p->col, &m);
            if (st != LL_OK)
                return st;
            m->origin = LL_TOML_IMPLICIT;
        } else if (m->type == LL_TOML_TABLE && m->origin != LL_TOML_LITERAL && m->scope == 0) {
            /* a table made by a header, dotted keys or as a parent */
        } else if (m->type == LL_TOML_ARRAY && (m->flags & F_TABLE_ARRAY)) {
            m = m->u.list.last; /* [[a]] then [a.b]: b is in a's last element */
        } else {
            LLBuf name, path;
            ll_buf_init(&name);
            ll_buf_init(&path);
            parts_text(b, n, &name);
            parts_text(b, i + 1, &path);
            bool table = m->type == LL_TOML_TABLE;
            LLStatus st = fail_at(b, b->status, p->line, p->col, "cannot define %s%s%s: %s is %s (at %u:%u)%s",
                                  open, name.data, close, path.data,
                                  table ? "an inline table" : ll_toml_describe(m), m->line, m->col,
                                  table ? ", which cannot be extended" : "");
            ll_buf_release(&name);
            ll_buf_release(&path);
            return st;
        }
        t = m;
    }
    const Part *p = &b->parts.items[n - 1];
    LLTomlValue *m = member(b, t, part_str(b, p), p->len);
    LLBuf name;
    ll_buf_init(&name);
    parts_text(b, n, &name);
    LLStatus st = LL_OK;
    if (!array) {
        if (!m) {
            Slot s = entry_slot(b, t, p);
            st = new_value(b, &s, LL_TOML_TABLE, line, col, &m);
            if (st == LL_OK)
                m->origin = LL_TOML_HEADER;
        } else if (m->type == LL_TOML_TABLE && m->origin == LL_TOML_IMPLICIT) {
            m->origin = LL_TOML_HEADER; /* [a.b] then [a] */
            m->line = line;
            m->col = col;
            m->key_line = p->line;
            m->key_col = p->col;
        } else if (m->type == LL_TOML_TABLE) {
            const char *how = m->origin == LL_TOML_HEADER ? ""
                              : m->origin == LL_TOML_DOTTED ? ": dotted keys defined it"
                                                            : ": it is an inline table";
            st = fail_at(b, b->status, line, col, "table [%s] is defined twice%s (first at %u:%u)",
                         name.data, how, m->line, m->col);
        } else {
            st = fail_at(b, b->status, line, col, "cannot define table [%s]: %s is already %s (at %u:%u)",
                         name.data, name.data, ll_toml_describe(m), m->line, m->col);
        }
        *section = m;
    } else {
        if (!m) {
            Slot s = entry_slot(b, t, p);
            st = new_value(b, &s, LL_TOML_ARRAY, line, col, &m);
            if (st == LL_OK) {
                m->origin = LL_TOML_HEADER;
                m->flags |= F_TABLE_ARRAY;
            }
        } else if (!(m->type == LL_TOML_ARRAY && (m->flags & F_TABLE_ARRAY))) {
            st = fail_at(b, b->status, line, col, "cannot define [[%s]]: %s is already %s (at %u:%u)%s",
                         name.data, name.data, ll_toml_describe(m), m->line, m->col,
                         m->type == LL_TOML_ARRAY ? ", not an array of tables" : "");
        }
        if (st == LL_OK) {
            Slot s = {m, NULL, 0, line, col};
            LLTomlValue *elem;
            st = new_value(b, &s, LL_TOML_TABLE, line, col, &elem);
            if (st == LL_OK) {
                elem->origin = LL_TOML_HEADER;
                elem->key_line = p->line;
                elem->key_col = p->col;
            }
            *section = elem;
        }
    }
    ll_buf_release(&name);
    return st;
}

/* The key in b->parts written in `table` (the section's table, or an
 * inline table): makes or walks the tables of its dotted parts and returns
 * the slot of its last part, which must be new. */
static LLStatus resolve_pair(Builder *b, LLTomlValue *table, Slot *out)
{
    LLTomlValue *t = table;
    size_t n = b->parts.len;
    for (size_t i = 0; i + 1 < n; i++) {
        const Part *p = &b->parts.items[i];
        LLTomlValue *m = member(b, t, part_str(b, p), p->len);
        if (!m) {
            Slot s = entry_slot(b, t, p);
            LLStatus st = new_value(b, &s, LL_TOML_TABLE, p->line, p->col, &m);
            if (st != LL_OK)
                return st;
            m->origin = LL_TOML_DOTTED;
        } else if (m->type == LL_TOML_TABLE && m->scope == b->scope &&
                   (m->origin == LL_TOML_DOTTED || m->origin == LL_TOML_IMPLICIT)) {
            m->origin = LL_TOML_DOTTED;
        } else {
            LLBuf name, path;
            ll_buf_init(&name);
            ll_buf_init(&path);
            parts_text(b, n, &name);
            parts_text(b, i + 1, &path);
            bool header = m->type == LL_TOML_TABLE && m->origin == LL_TOML_HEADER;
            const char *what = m->type != LL_TOML_TABLE ? ll_toml_describe(m)
                               : header                 ? "a table defined by a [header]"
                                                        : "an inline table";
            LLStatus st = fail_at(b, b->status, p->line, p->col, "cannot set key %s: %s is %s (at %u:%u)%s",
                                  name.data, path.data, what, m->line, m->col,
                                  m->type != LL_TOML_TABLE ? ""
                                  : header ? ", which dotted keys cannot extend"
                                           : ", which cannot be extended");
            ll_buf_release(&name);
            ll_buf_release(&path);
            return st;
        }
        t = m;
    }
    const Part *p = &b->parts.items[n - 1];
    LLTomlValue *m = member(b, t, part_str(b, p), p->len);
    if (m) {
        LLBuf in;
        ll_buf_init(&in);
        table_name(t, &in);
        LLBuf key;
        ll_buf_init(&key);
        ll_toml_write_string(&key, part_str(b, p), p->len);
        LLStatus st = fail_at(b, b->status, p->line, p->col, "duplicate key %s%s (first defined at %u:%u)",
                              key.data, in.data, m->key_line, m->key_col);
        ll_buf_release(&key);
        ll_buf_release(&in);
        return st;
    }
    *out = entry_slot(b, t, p);
    return LL_OK;
}

/* The cursor is on a pair of `table`: reads its key, makes the slot, and
 * leaves the cursor on the value node (inside the pair). */
static LLStatus pair_begin(Builder *b, TSTreeCursor *c, LLTomlValue *table, Slot *slot)
{
    TSNode pair = ts_tree_cursor_current_node(c);
    if (!ts_tree_cursor_goto_first_child(c))
        return FAIL_NODE(b, pair, "invalid key/value pair");
    while (!is_key_kind(kind_of(b, ts_tree_cursor_current_node(c))))
        if (!ts_tree_cursor_goto_next_sibling(c))
            return FAIL_NODE(b, pair, "invalid key/value pair");
    LLStatus st = read_key(b, c);
    if (st == LL_OK)
        st = resolve_pair(b, table, slot);
    if (st != LL_OK)
        return st;
    while (ts_tree_cursor_goto_next_sibling(c))
        if (is_value_kind(kind_of(b, ts_tree_cursor_current_node(c))))
            return LL_OK;
    return FAIL_NODE(b, pair, "invalid key/value pair");
}

/* Makes the value at the cursor in `slot`: a scalar whole, an array or an
 * inline table empty (value_walk fills it). */
static LLStatus make_value(Builder *b, TSTreeCursor *c, const Slot *slot, LLTomlValue **out)
{
    TSNode n = ts_tree_cursor_current_node(c);
    Kind k = kind_of(b, n);
    uint32_t a = ts_node_start_byte(n), e = ts_node_end_byte(n);
    unsigned line, col;
    locate(b, a, ts_node_start_point(n), &line, &col);
    LLTomlType type;
    switch (k) {
    case K_STRING: type = LL_TOML_STRING; break;
    case K_INTEGER: type = LL_TOML_INTEGER; break;
    case K_FLOAT: type = LL_TOML_FLOAT; break;
    case K_BOOLEAN: type = LL_TOML_BOOLEAN; break;
    case K_OFFSET_DATE_TIME:
    case K_LOCAL_DATE_TIME:
    case K_LOCAL_DATE:
    case K_LOCAL_TIME: type = LL_TOML_DATETIME; break;
    case K_ARRAY: type = LL_TOML_ARRAY; break;
    case K_INLINE_TABLE: type = LL_TOML_TABLE; break;
    default: return FAIL_NODE(b, n, "invalid TOML: a value is expected here");
    }
    LLTomlValue *v;
    LLStatus st = new_value(b, slot, type, line, col, &v);
    if (st != LL_OK)
        return st;
    switch (k) {
    case K_STRING: {
        char *dst = ll_arena_alloc(&b->doc->arena, e - a + 1);
        size_t len;
        st = decode_string(b, a, e, dst, &len);
        v->u.str.s = dst;
        v->u.str.len = len;
        break;
    }
    case K_INTEGER: st = parse_integer(b, a, e, &v->u.i); break;
    case K_FLOAT: st = parse_float(b, a, e, &v->u.f); break;
    case K_BOOLEAN: v->u.b = b->text[a] == 't'; break;
    case K_OFFSET_DATE_TIME:
    case K_LOCAL_DATE_TIME:
    case K_LOCAL_DATE:
    case K_LOCAL_TIME:
        v->date_kind = k == K_OFFSET_DATE_TIME  ? LL_TOML_OFFSET_DATETIME
                       : k == K_LOCAL_DATE_TIME ? LL_TOML_LOCAL_DATETIME
                       : k == K_LOCAL_DATE      ? LL_TOML_LOCAL_DATE
                                                : LL_TOML_LOCAL_TIME;
        v->u.str.s = ll_arena_strndup(&b->doc->arena, b->text + a, e - a);
        v->u.str.len = e - a;
        if (k != K_LOCAL_TIME)
            st = check_date(b, a, e);
        break;
    case K_INLINE_TABLE: v->scope = ++b->next_scope; break;
    default: break;
    }
    *out = v;
    return st;
}

/* Builds the value at the cursor into `slot`, arrays and inline tables with
 * all they hold, with an explicit stack of frames (no recursion). The
 * cursor ends on the value's node. */
static LLStatus value_walk(Builder *b, TSTreeCursor *c, Slot slot)
{
    const size_t base = b->frames.len;
    enum { S_VALUE, S_EXAMINE, S_NEXT } state = S_VALUE;
    LLStatus st = LL_OK;
    for (;;) {
        if (state == S_VALUE) {
            LLTomlValue *v = NULL;
            st = make_value(b, c, &slot, &v);
            if (st != LL_OK)
                break;
            if (v->type == LL_TOML_ARRAY || v->type == LL_TOML_TABLE) {
                Frame f = {v, b->scope, false};
                LL_VEC_PUSH(&b->frames, f);
                if (v->type == LL_TOML_TABLE)
                    b->scope = v->scope;
                if (!ts_tree_cursor_goto_first_child(c)) {
                    st = FAIL_NODE(b, ts_tree_cursor_current_node(c), "invalid TOML value");
                    break;
                }
                state = S_EXAMINE;
            } else if (b->frames.len == base) {
                break; /* a scalar on its own */
            } else {
                state = S_NEXT;
            }
            continue;
        }
        Frame *f = &b->frames.items[b->frames.len - 1];
        if (state == S_EXAMINE) {
            Kind k = kind_of(b, ts_tree_cursor_current_node(c));
            state = S_NEXT;
            if (f->in_pair) {
                /* what follows a pair's value inside it: comments */
            } else if (f->v->type == LL_TOML_ARRAY && is_value_kind(k)) {
                slot = (Slot){f->v, NULL, 0, 0, 0};
                state = S_VALUE;
            } else if (f->v->type == LL_TOML_TABLE && k == K_PAIR) {
                st = pair_begin(b, c, f->v, &slot);
                if (st != LL_OK)
                    break;
                f->in_pair = true;
                state = S_VALUE;
            }
            continue;
        }
        /* S_NEXT: the node at the cursor is done */
        if (ts_tree_cursor_goto_next_sibling(c)) {
            state = S_EXAMINE;
            continue;
        }
        ts_tree_cursor_goto_parent(c);
        if (f->in_pair) { /* back on the pair */
            f->in_pair = false;
            continue;
        }
        /* back on the array or inline table: it is complete */
        b->scope = f->saved_scope;
        b->frames.len--;
        if (b->frames.len == base)
            break;
    }
    if (st != LL_OK && b->frames.len > base) {
        b->scope = b->frames.items[base].saved_scope;
        b->frames.len = base;
    }
    return st;
}

/* A pair at the document level (the cursor on it) in the section `table`. */
static LLStatus document_pair(Builder *b, TSTreeCursor *c, LLTomlValue *table)
{
    Slot slot;
    LLStatus st = pair_begin(b, c, table, &slot);
    if (st == LL_OK)
        st = value_walk(b, c, slot);
    ts_tree_cursor_goto_parent(c);
    return st;
}

/* A [table] or [[table]] (the cursor on it) and its pairs. */
static LLStatus document_table(Builder *b, TSTreeCursor *c, bool array)
{
    TSNode node = ts_tree_cursor_current_node(c);
    if (!ts_tree_cursor_goto_first_child(c))
        return FAIL_NODE(b, node, "table header without a name");
    while (!is_key_kind(kind_of(b, ts_tree_cursor_current_node(c))))
        if (!ts_tree_cursor_goto_next_sibling(c))
            return FAIL_NODE(b, node, "table header without a name");
    unsigned line, col;
    locate_node(b, ts_tree_cursor_current_node(c), &line, &col);
    LLTomlValue *section = NULL;
    LLStatus st = read_key(b, c);
    if (st == LL_OK)
        st = define_header(b, array, line, col, &section);
    while (st == LL_OK && ts_tree_cursor_goto_next_sibling(c))
        if (kind_of(b, ts_tree_cursor_current_node(c)) == K_PAIR)
            st = document_pair(b, c, section);
    ts_tree_cursor_goto_parent(c);
    return st;
}

static LLStatus build(Builder *b, TSNode root)
{
    TSTreeCursor c = ts_tree_cursor_new(root);
    LLStatus st = LL_OK;
    LLTomlValue *section = b->doc->root;
    bool in_tables = false;
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            Kind k = kind_of(b, ts_tree_cursor_current_node(&c));
            if (k == K_PAIR && !in_tables) {
                st = document_pair(b, &c, section);
            } else if (k == K_TABLE || k == K_TABLE_ARRAY) {
                in_tables = true;
                st = document_table(b, &c, k == K_TABLE_ARRAY);
            }
        } while (st == LL_OK && ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    return st;
}

/* Items arrays for every table and array, hash indexes for large tables. */
static void finish(Builder *b)
{
    LLArena *a = &b->doc->arena;
    for (size_t i = 0; i < b->containers.len; i++) {
        LLTomlValue *t = b->containers.items[i];
        size_t n = t->u.list.len;
        t->u.list.items = ll_arena_alloc(a, (n ? n : 1) * sizeof *t->u.list.items);
        size_t k = 0;
        for (LLTomlValue *v = t->u.list.first; v; v = v->next)
            t->u.list.items[k++] = v;
        if (t->type != LL_TOML_TABLE || n <= LL_TOML_INDEX_MIN)
            continue;
        size_t cap = 16;
        while (cap < 2 * n)
            cap *= 2;
        uint32_t *slots = ll_arena_alloc(a, cap * sizeof *slots);
        for (size_t j = 0; j < n; j++) {
            const LLTomlValue *v = t->u.list.items[j];
            size_t h = (size_t)ll_strmap_hash(v->key, v->key_len) & (cap - 1);
            while (slots[h])
                h = (h + 1) & (cap - 1);
            slots[h] = (uint32_t)j + 1;
        }
        t->u.list.index = slots;
        t->u.list.index_cap = cap;
    }
}

static void make_kinds(Builder *b, const TSLanguage *lang, uint8_t *kinds)
{
    memset(kinds, K_OTHER, b->nsymbols);
    for (int k = 1; k < K_COUNT; k++) {
        TSSymbol s = ts_language_symbol_for_name(lang, kind_names[k], (uint32_t)strlen(kind_names[k]), true);
        if (s && s < b->nsymbols)
            kinds[s] = (uint8_t)k;
    }
}

LLStatus ll_toml_parse(LLTomlDoc **out, const char *origin, const char *text, size_t len,
                       const LLTomlOptions *opt, LLError *err)
{
    *out = NULL;
    size_t max = opt && opt->max_bytes && opt->max_bytes < LL_TOML_MAX_BYTES ? opt->max_bytes
                                                                            : LL_TOML_MAX_BYTES;
    LLStatus status = opt && opt->status != LL_OK ? opt->status : LL_ERR_CONFIG;
    if (len > max)
        return ll_error_set(err, LL_ERR_LIMIT, origin, 0, 0, "TOML document is larger than %zu bytes",
                            max);
    LLTomlDoc *doc = ll_xcalloc(1, sizeof *doc);
    ll_arena_init(&doc->arena);
    doc->name = ll_xstrdup(origin ? origin : "");
    doc->status = status;
    doc->root = ll_arena_alloc(&doc->arena, sizeof *doc->root);
    doc->root->type = LL_TOML_TABLE;
    doc->root->line = doc->root->col = doc->root->key_line = doc->root->key_col = 1;

    Builder b = {0};
    b.doc = doc;
    b.text = b.orig = text;
    b.len = len;
    b.err = err;
    b.status = status;
    ll_strmap_init(&b.members);
    LL_VEC_PUSH(&b.containers, doc->root);

    LLStatus st = LL_OK;
    size_t bad;
    switch (check_text((const unsigned char *)text, len, &bad, &b.ascii)) {
    case TEXT_OK: break;
    case TEXT_UTF8: st = fail_byte(&b, bad, "invalid TOML: not valid UTF-8"); break;
    case TEXT_CR: st = fail_byte(&b, bad, "invalid TOML: a carriage return not followed by a line feed"); break;
    case TEXT_CONTROL:
        st = fail_byte(&b, bad,
                       "invalid TOML: control character U+%04X (in a string, write it as an escape: \\u%04X)",
                       (unsigned char)text[bad], (unsigned char)text[bad]);
        break;
    }

    size_t deep;
    bool raw;
    if (st == LL_OK && !check_nesting(text, len, &deep, &raw)) {
        unsigned line, col;
        position_slow(text, len, deep, &line, &col);
        st = raw ? ll_error_set(err, LL_ERR_LIMIT, doc->name, line, col,
                                "more than %u brackets open at once, counting those in strings and "
                                "comments (LL_TOML_MAX_OPEN_BRACKETS)",
                                LL_TOML_MAX_OPEN_BRACKETS)
                 : ll_error_set(err, LL_ERR_LIMIT, doc->name, line, col,
                                "nesting deeper than %u levels (tables, arrays and inline tables; "
                                "LL_TOML_MAX_DEPTH)",
                                LL_TOML_MAX_DEPTH);
    }

    char *copy = NULL;
    TSParser *parser = NULL;
    TSTree *tree = NULL;
    uint8_t *kinds = NULL;
    if (st == LL_OK) {
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            /* a byte-order mark reads as blanks */
            copy = ll_xmalloc(len + 1);
            memcpy(copy, text, len);
            copy[len] = '\0';
            memset(copy, ' ', 3);
            b.text = copy;
        }
        const TSLanguage *lang = tree_sitter_toml();
        parser = ts_parser_new();
        if (!ts_parser_set_language(parser, lang)) {
            st = ll_error_set(err, status, doc->name, 0, 0, "internal error: the TOML grammar does not load");
        } else {
            b.nsymbols = ts_language_symbol_count(lang);
            kinds = ll_xmalloc(b.nsymbols ? b.nsymbols : 1);
            make_kinds(&b, lang, kinds);
            b.kinds = kinds;
            ts_parser_set_timeout_micros(parser, LL_TOML_PARSE_TIMEOUT_US);
            tree = ts_parser_parse_string(parser, NULL, b.text, (uint32_t)len);
            if (!tree)
                st = ll_error_set(err, LL_ERR_LIMIT, doc->name, 0, 0,
                                  "parsing took longer than %u ms (LL_TOML_PARSE_TIMEOUT_US)",
                                  LL_TOML_PARSE_TIMEOUT_US / 1000u);
        }
    }
    if (st == LL_OK) {
        TSNode root = ts_tree_root_node(tree), bad_node;
        if (!ts_node_has_error(root))
            st = build(&b, root);
        else if (first_error(root, &bad_node))
            st = syntax_error(&b, bad_node);
        else
            st = hidden_error(&b, root);
    }
    if (st == LL_OK)
        finish(&b);
    if (tree)
        ts_tree_delete(tree);
    if (parser)
        ts_parser_delete(parser);
    free(kinds);
    free(copy);
    ll_strmap_release(&b.members);
    LL_VEC_FREE(&b.keys);
    LL_VEC_FREE(&b.probe);
    LL_VEC_FREE(&b.parts);
    LL_VEC_FREE(&b.frames);
    LL_VEC_FREE(&b.containers);
    if (st != LL_OK) {
        ll_toml_free(doc);
        return st;
    }
    *out = doc;
    return LL_OK;
}

void ll_toml_free(LLTomlDoc *doc)
{
    if (!doc)
        return;
    ll_arena_release(&doc->arena);
    free(doc->name);
    free(doc);
}

const char *ll_toml_name(const LLTomlDoc *doc)
{
    return doc->name;
}

/* ------------------------------------------------------------------------
 * Navigation and values
 * ------------------------------------------------------------------------ */

const LLTomlValue *ll_toml_root(const LLTomlDoc *doc)
{
    return doc->root;
}

const LLTomlValue *ll_toml_find(const LLTomlValue *t, const char *key, size_t len)
{
    if (!t || t->type != LL_TOML_TABLE)
        return NULL;
    if (t->u.list.index) {
        size_t mask = t->u.list.index_cap - 1;
        for (size_t h = (size_t)ll_strmap_hash(key, len) & mask; t->u.list.index[h]; h = (h + 1) & mask) {
            const LLTomlValue *v = t->u.list.items[t->u.list.index[h] - 1];
            if (v->key_len == len && memcmp(v->key, key, len) == 0)
                return v;
        }
        return NULL;
    }
    for (size_t i = 0; i < t->u.list.len; i++) {
        const LLTomlValue *v = t->u.list.items[i];
        if (v->key_len == len && memcmp(v->key, key, len) == 0)
            return v;
    }
    return NULL;
}

static bool bare_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

const LLTomlValue *ll_toml_lookup(const LLTomlValue *v, const char *path)
{
    const char *p = path;
    bool need_part = false; /* after a '.' */
    while (v && *p) {
        if (*p == '[' && !need_part) {
            char *end;
            if (p[1] < '0' || p[1] > '9')
                return NULL;
            errno = 0;
            unsigned long long i = strtoull(p + 1, &end, 10);
            if (errno || *end != ']')
                return NULL;
            v = v->type == LL_TOML_ARRAY && i < v->u.list.len ? v->u.list.items[i] : NULL;
            p = end + 1;
            continue;
        }
        if (p != path && !need_part) {
            if (*p != '.')
                return NULL;
            p++;
            need_part = true;
            continue;
        }
        const char *k = p;
        size_t n;
        if (*p == '"' || *p == '\'') {
            const char *q = strchr(p + 1, *p);
            if (!q)
                return NULL;
            k = p + 1;
            n = (size_t)(q - k);
            p = q + 1;
        } else {
            while (bare_char(*p))
                p++;
            n = (size_t)(p - k);
            if (!n)
                return NULL;
        }
        v = ll_toml_find(v, k, n);
        need_part = false;
    }
    return need_part ? NULL : v;
}

const LLTomlValue *ll_toml_get(const LLTomlDoc *doc, const char *path)
{
    return ll_toml_lookup(doc->root, path);
}

size_t ll_toml_len(const LLTomlValue *v)
{
    return v->type == LL_TOML_TABLE || v->type == LL_TOML_ARRAY ? v->u.list.len : 0;
}

const LLTomlValue *ll_toml_at(const LLTomlValue *v, size_t i)
{
    return i < ll_toml_len(v) ? v->u.list.items[i] : NULL;
}

const LLTomlValue *ll_toml_parent(const LLTomlValue *v)
{
    return v->parent;
}

const char *ll_toml_key(const LLTomlValue *v, size_t *len)
{
    if (len)
        *len = v->key ? v->key_len : 0;
    return v->key;
}

size_t ll_toml_index(const LLTomlValue *v)
{
    return v->index;
}

LLTomlType ll_toml_type(const LLTomlValue *v)
{
    return (LLTomlType)v->type;
}

const char *ll_toml_str(const LLTomlValue *v, size_t *len)
{
    bool text = v->type == LL_TOML_STRING || v->type == LL_TOML_DATETIME;
    if (len)
        *len = text ? v->u.str.len : 0;
    return text ? v->u.str.s : NULL;
}

int64_t ll_toml_int(const LLTomlValue *v)
{
    return v->type == LL_TOML_INTEGER ? v->u.i : 0;
}

double ll_toml_float(const LLTomlValue *v)
{
    return v->type == LL_TOML_FLOAT ? v->u.f : 0.0;
}

bool ll_toml_bool(const LLTomlValue *v)
{
    return v->type == LL_TOML_BOOLEAN && v->u.b;
}

LLTomlDateKind ll_toml_date_kind(const LLTomlValue *v)
{
    return (LLTomlDateKind)v->date_kind;
}

LLTomlOrigin ll_toml_origin(const LLTomlValue *v)
{
    return (LLTomlOrigin)v->origin;
}

bool ll_toml_is_table_array(const LLTomlValue *v)
{
    return v->type == LL_TOML_ARRAY && (v->flags & F_TABLE_ARRAY);
}

unsigned ll_toml_line(const LLTomlValue *v) { return v->line; }
unsigned ll_toml_col(const LLTomlValue *v) { return v->col; }
unsigned ll_toml_key_line(const LLTomlValue *v) { return v->key_line; }
unsigned ll_toml_key_col(const LLTomlValue *v) { return v->key_col; }

void ll_toml_path(const LLTomlValue *v, LLBuf *out)
{
    /* depth is at most LL_TOML_MAX_DEPTH: the chain fits on the stack */
    const LLTomlValue *chain[LL_TOML_MAX_DEPTH + 1];
    size_t n = 0;
    for (const LLTomlValue *p = v; p && p->parent && n < LL_TOML_MAX_DEPTH + 1; p = p->parent)
        chain[n++] = p;
    bool first = true;
    while (n--) {
        const LLTomlValue *p = chain[n];
        if (p->parent->type == LL_TOML_ARRAY) {
            ll_buf_printf(out, "[%u]", (unsigned)p->index);
        } else {
            if (!first)
                ll_buf_putc(out, '.');
            ll_toml_write_key(out, p->key, p->key_len);
        }
        first = false;
    }
}

/* ------------------------------------------------------------------------
 * Errors and typed access
 * ------------------------------------------------------------------------ */

LLStatus ll_toml_error(const LLTomlDoc *doc, const LLTomlValue *v, bool at_key, LLError *err,
                       const char *fmt, ...)
{
    char msg[LL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ll_error_set(err, doc->status, doc->name, at_key ? v->key_line : v->line,
                        at_key ? v->key_col : v->col, "%s", msg);
}

/* "PATH: " (nothing for the root) */
static void path_prefix(const LLTomlValue *v, LLBuf *out)
{
    ll_toml_path(v, out);
    if (out->len)
        ll_buf_puts(out, ": ");
}

LLStatus ll_toml_want(const LLTomlDoc *doc, const LLTomlValue *v, LLTomlType t, LLError *err)
{
    if (v->type == t)
        return LL_OK;
    LLBuf p;
    ll_buf_init(&p);
    path_prefix(v, &p);
    LLStatus st = ll_toml_error(doc, v, false, err, "%sexpected %s, found %s", p.data, type_phrase(t),
                                ll_toml_describe(v));
    ll_buf_release(&p);
    return st;
}

LLStatus ll_toml_want_string(const LLTomlDoc *doc, const LLTomlValue *v, const char **out,
                             LLError *err)
{
    LLStatus st = ll_toml_want(doc, v, LL_TOML_STRING, err);
    if (st == LL_OK)
        *out = v->u.str.s;
    return st;
}

LLStatus ll_toml_want_int(const LLTomlDoc *doc, const LLTomlValue *v, int64_t *out, LLError *err)
{
    LLStatus st = ll_toml_want(doc, v, LL_TOML_INTEGER, err);
    if (st == LL_OK)
        *out = v->u.i;
    return st;
}

LLStatus ll_toml_want_float(const LLTomlDoc *doc, const LLTomlValue *v, double *out, LLError *err)
{
    LLStatus st = ll_toml_want(doc, v, LL_TOML_FLOAT, err);
    if (st == LL_OK)
        *out = v->u.f;
    return st;
}

LLStatus ll_toml_want_bool(const LLTomlDoc *doc, const LLTomlValue *v, bool *out, LLError *err)
{
    LLStatus st = ll_toml_want(doc, v, LL_TOML_BOOLEAN, err);
    if (st == LL_OK)
        *out = v->u.b;
    return st;
}

LLStatus ll_toml_want_strings(const LLTomlDoc *doc, const LLTomlValue *v, LLError *err)
{
    const LLTomlValue *bad = v->type == LL_TOML_ARRAY ? NULL : v;
    for (size_t i = 0; !bad && i < v->u.list.len; i++)
        if (v->u.list.items[i]->type != LL_TOML_STRING)
            bad = v->u.list.items[i];
    if (!bad)
        return LL_OK;
    LLBuf p, where;
    ll_buf_init(&p);
    ll_buf_init(&where);
    path_prefix(v, &p);
    if (bad != v) {
        ll_buf_puts(&where, " at ");
        ll_toml_path(bad, &where);
    }
    LLStatus st = ll_toml_error(doc, bad, false, err, "%sexpected an array of strings, found %s%s",
                                p.data, ll_toml_describe(bad), where.data);
    ll_buf_release(&p);
    ll_buf_release(&where);
    return st;
}

LLStatus ll_toml_want_key(const LLTomlDoc *doc, const LLTomlValue *t, const char *key,
                          LLTomlType type, const LLTomlValue **out, LLError *err)
{
    *out = NULL;
    LLStatus st = ll_toml_want(doc, t, LL_TOML_TABLE, err);
    if (st != LL_OK)
        return st;
    const LLTomlValue *v = ll_toml_find(t, key, strlen(key));
    if (!v) {
        LLBuf p, k;
        ll_buf_init(&p);
        ll_buf_init(&k);
        path_prefix(t, &p);
        ll_toml_write_string(&k, key, strlen(key));
        st = ll_toml_error(doc, t, false, err, "%smissing key %s", p.data, k.data);
        ll_buf_release(&p);
        ll_buf_release(&k);
        return st;
    }
    st = ll_toml_want(doc, v, type, err);
    if (st == LL_OK)
        *out = v;
    return st;
}

/* ------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------ */

void ll_toml_write_string(LLBuf *out, const char *s, size_t len)
{
    ll_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            ll_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            ll_buf_puts(out, "\\n");
        else if (c == '\t')
            ll_buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7F)
            ll_buf_printf(out, "\\u%04x", c);
        else
            ll_buf_putc(out, (char)c);
    }
    ll_buf_putc(out, '"');
}

void ll_toml_write_key(LLBuf *out, const char *s, size_t len)
{
    bool bare = len > 0;
    for (size_t i = 0; bare && i < len; i++)
        bare = bare_char(s[i]);
    if (bare)
        ll_buf_append(out, s, len);
    else
        ll_toml_write_string(out, s, len);
}
