#include "engine/frontend.h"

#include "base/limits.h"
#include "base/text.h"
#include "engine/lexer.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

void ll_frontend_init(LLFrontEnd *fe)
{
    memset(fe, 0, sizeof *fe);
    ll_buf_init(&fe->raw);
    ll_buf_init(&fe->decoded);
    ll_buf_init(&fe->lf);
    ll_buf_init(&fe->repair);
}

void ll_frontend_release(LLFrontEnd *fe)
{
    ll_buf_release(&fe->raw);
    ll_buf_release(&fe->decoded);
    ll_buf_release(&fe->lf);
    ll_buf_release(&fe->repair);
}

LLStatus ll_frontend_read(LLFrontEnd *fe, const char *path, size_t max_bytes, LLError *err)
{
    return ll_source_read(path, max_bytes, &fe->raw, err);
}

/* ---- PEP 263 ------------------------------------------------------------------ */

/* The coding spec of one line (Python's get_coding_spec): the line is a
 * comment (only blanks before '#'), and "coding" followed by ':' or '='
 * appears in it. *is_code: the line holds something else than a comment. */
static bool coding_spec(const char *s, size_t n, char *name, size_t namesz, bool *is_code)
{
    size_t i = 0;
    *is_code = false;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
        i++;
    if (i == n)
        return false;
    if (s[i] != '#') {
        *is_code = true;
        return false;
    }
    for (; i + 6 < n; i++) {
        if (memcmp(s + i, "coding", 6) != 0 || (s[i + 6] != ':' && s[i + 6] != '='))
            continue;
        size_t v = i + 7;
        while (v < n && (s[v] == ' ' || s[v] == '\t'))
            v++;
        size_t k = 0;
        while (v + k < n && k + 1 < namesz &&
               (isalnum((unsigned char)s[v + k]) || s[v + k] == '-' || s[v + k] == '_' ||
                s[v + k] == '.')) {
            name[k] = (char)tolower((unsigned char)s[v + k]);
            k++;
        }
        name[k] = '\0';
        if (k)
            return true;
    }
    return false;
}

const char *ll_frontend_declared(const char *text, size_t len, char *name, size_t namesz)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (int line = 0; line < 2 && i < len; line++) {
        size_t end = i;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        bool is_code;
        if (coding_spec(text + i, end - i, name, namesz, &is_code))
            return name;
        if (is_code)
            return NULL; /* Python stops looking after a line of code */
        i = end;
        if (i < len && text[i] == '\r')
            i++;
        if (i < len && text[i] == '\n')
            i++;
    }
    return NULL;
}

/* Python's names for UTF-8 and Latin-1 (get_normal_name), and the rest as
 * written: '_' and '-' alike, lower case. */
static bool is_utf8_name(const char *n)
{
    return strcmp(n, "utf-8") == 0 || strcmp(n, "utf_8") == 0 || strcmp(n, "utf8") == 0 ||
           strncmp(n, "utf-8-", 6) == 0 || strncmp(n, "utf_8_", 6) == 0 ||
           strcmp(n, "u8") == 0 || strcmp(n, "utf") == 0 || strcmp(n, "cp65001") == 0;
}

/* Codec names Python accepts that iconv spells differently. */
static const char *iconv_alias(const char *n)
{
    static const struct {
        const char *py, *iconv;
    } aliases[] = {
        {"latin", "ISO-8859-1"},   {"latin1", "ISO-8859-1"}, {"latin-1", "ISO-8859-1"},
        {"latin_1", "ISO-8859-1"}, {"l1", "ISO-8859-1"},     {"iso-latin-1", "ISO-8859-1"},
        {"ascii", "ASCII"},        {"us-ascii", "ASCII"},    {"646", "ASCII"},
        {"u7", "UTF-7"},           {"unicode-1-1-utf-7", "UTF-7"},
        {"sjis", "SHIFT_JIS"},     {"s_jis", "SHIFT_JIS"},   {"shiftjis", "SHIFT_JIS"},
        {"mac_roman", "MACINTOSH"}, {"macroman", "MACINTOSH"}, {"mac-roman", "MACINTOSH"},
        {"ks_c-5601-1987", "EUC-KR"}, {"euckr", "EUC-KR"},
        {"hz", "HZ"}, {"utf-7", "UTF-7"}, {"utf_7", "UTF-7"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcmp(n, aliases[i].py) == 0)
            return aliases[i].iconv;
    return NULL;
}

/* s with every '_' as '-', into out. */
static void dashed(const char *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", s);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

void ll_frontend_iconv_names(const char *codec, const char *module, LLIconvNames *out)
{
    dashed(codec, out->alt, sizeof out->alt);
    dashed(module, out->mod_dash, sizeof out->mod_dash);
    out->name[0] = iconv_alias(codec);
    out->name[1] = iconv_alias(module);
    out->name[2] = codec;
    out->name[3] = out->alt;
    out->name[4] = out->mod_dash;
}

void ll_frontend_normalise_codec(const char *in, char *out, size_t outsz)
{
    size_t n = 0;
    bool pending = false;
    for (const char *p = in; *p && n + 2 < outsz; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '.') {
            if (pending && n)
                out[n++] = '_';
            pending = false;
            out[n++] = (char)tolower(c);
        } else {
            pending = true;
        }
    }
    out[n] = '\0';
}

/* Encodings Python knows but refuses for source files (not text codecs, or
 * not ASCII-compatible): "encoding problem" in Python itself. */
static bool python_refuses(const char *module)
{
    static const char *const refused[] = {"utf_16", "utf_16_le", "utf_16_be", "utf_32",
                                          "utf_32_le", "utf_32_be", "rot_13", "punycode",
                                          "undefined", "base64_codec", "hex_codec",
                                          "zlib_codec", "bz2_codec", "uu_codec",
                                          "quopri_codec", NULL};
    for (const char *const *r = refused; *r; r++)
        if (strcmp(module, *r) == 0)
            return true;
    return false;
}

static void put_utf8(LLBuf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    ll_buf_append(b, s, n);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* `digits` hex digits at s[i..]: the value, or -1. */
static long hex_run(const char *s, size_t len, size_t i, int digits)
{
    long v = 0;
    if (i + (size_t)digits > len)
        return -1;
    for (int k = 0; k < digits; k++) {
        int h = hexval(s[i + (size_t)k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Python's unicode_escape (raw: raw_unicode_escape, where only \u and \U
 * are escapes) decoder: bytes are Latin-1, escapes become their
 * characters. Returns 0, or the 1-based byte offset of an escape Python
 * cannot decode (\N{...} names are not known here). */
static size_t decode_escapes(const char *s, size_t len, bool raw, LLBuf *out)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c != '\\' || i + 1 >= len) {
            put_utf8(out, c);
            i++;
            continue;
        }
        char e = s[i + 1];
        if (raw && e != 'u' && e != 'U') {
            put_utf8(out, c);
            i++;
            continue;
        }
        long v;
        switch (e) {
        case '\n': i += 2; continue; /* a continued line */
        case '\\': put_utf8(out, '\\'); i += 2; continue;
        case '\'': put_utf8(out, '\''); i += 2; continue;
        case '"': put_utf8(out, '"'); i += 2; continue;
        case 'a': put_utf8(out, 7); i += 2; continue;
        case 'b': put_utf8(out, 8); i += 2; continue;
        case 'f': put_utf8(out, 12); i += 2; continue;
        case 'n': put_utf8(out, 10); i += 2; continue;
        case 'r': put_utf8(out, 13); i += 2; continue;
        case 't': put_utf8(out, 9); i += 2; continue;
        case 'v': put_utf8(out, 11); i += 2; continue;
        case 'x':
            if ((v = hex_run(s, len, i + 2, 2)) < 0)
                return i + 1;
            put_utf8(out, (uint32_t)v);
            i += 4;
            continue;
        case 'u':
        case 'U': {
            int d = e == 'u' ? 4 : 8;
            if ((v = hex_run(s, len, i + 2, d)) < 0 || v > 0x10FFFF)
                return i + 1;
            put_utf8(out, (uint32_t)v);
            i += 2 + (size_t)d;
            continue;
        }
        case 'N':
            return i + 1;
        default:
            if (e >= '0' && e <= '7') {
                size_t k = i + 1;
                uint32_t o = 0;
                for (int n = 0; n < 3 && k < len && s[k] >= '0' && s[k] <= '7'; n++, k++)
                    o = o * 8 + (uint32_t)(s[k] - '0');
                put_utf8(out, o);
                i = k;
                continue;
            }
            /* an unknown escape stays as it is */
            put_utf8(out, '\\');
            i++;
            continue;
        }
    }
    return 0;
}

/* Decodes with iconv: LL_OK, or LL_ERR_IO when the charset is unknown to
 * iconv (*unknown) or the bytes do not decode (*bad_at: 1-based offset). */
static bool iconv_decode(const char *from, const char *s, size_t len, LLBuf *out, bool *unknown,
                         size_t *bad_at)
{
    *unknown = false;
    *bad_at = 0;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *unknown = true;
        return false;
    }
    char *in = (char *)s;
    size_t left = len;
    char chunk[8192];
    bool ok = true;
    while (left) {
        char *o = chunk;
        size_t room = sizeof chunk;
        size_t r = iconv(cd, &in, &left, &o, &room);
        ll_buf_append(out, chunk, (size_t)(o - chunk));
        if (r == (size_t)-1 && errno != E2BIG) {
            ok = false;
            *bad_at = (size_t)(in - s) + 1;
            break;
        }
    }
    if (ok) { /* flush any shift state */
        char *o = chunk;
        size_t room = sizeof chunk;
        iconv(cd, NULL, NULL, &o, &room);
        ll_buf_append(out, chunk, (size_t)(o - chunk));
    }
    iconv_close(cd);
    return ok;
}

/* Line and column (1-based, bytes) of offset `at` (1-based) of s. */
static void raw_position(const char *s, size_t at, unsigned *line, unsigned *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i + 1 < at; i++) {
        if (s[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    }
    *col = (unsigned)(at - start);
}

LLDecodeResult ll_frontend_decode(LLFrontEnd *fe, const char *path, const char *display,
                                  const char *bytes, size_t len, LLArena *arena,
                                  LLSource *src, LLError *err)
{
    fe->codec[0] = '\0';
    char name[LL_MAX_CODEC_NAME];
    const char *codec = ll_frontend_declared(bytes, len, name, sizeof name);
    bool bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0;
    if (!codec || is_utf8_name(codec)) {
        ll_source_init(src, path, display, bytes, len, arena);
        return LL_DECODE_OK;
    }
    snprintf(fe->codec, sizeof fe->codec, "%s", codec);
    char norm[LL_MAX_CODEC_NAME];
    ll_frontend_normalise_codec(codec, norm, sizeof norm);
    const char *module = ll_frontend_python_codec(norm);
    if (bom && !(module && strncmp(module, "utf_8", 5) == 0)) {
        ll_error_set(err, LL_ERR_IO, display, 1, 1,
                     "the file starts with a UTF-8 byte-order mark but declares the source "
                     "encoding '%s': Python refuses it (encoding problem) and will not run it",
                     codec);
        return LL_DECODE_REFUSED;
    }
    if (!module || python_refuses(module)) {
        ll_error_set(err, LL_ERR_IO, display, 1, 1,
                     "the file declares the source encoding '%s', which Python %s for source "
                     "files (encoding problem): it will not run it",
                     codec, module ? "refuses" : "does not know");
        return LL_DECODE_REFUSED;
    }
    if (strncmp(module, "utf_8", 5) == 0) {
        ll_source_init(src, path, display, bytes, len, arena);
        return LL_DECODE_OK;
    }
    ll_buf_reset(&fe->decoded);
    bool escapes = strcmp(module, "unicode_escape") == 0;
    bool raw_escapes = strcmp(module, "raw_unicode_escape") == 0;
    if (escapes || raw_escapes) {
        size_t bad = decode_escapes(bytes, len, raw_escapes, &fe->decoded);
        if (bad) {
            unsigned line, col;
            raw_position(bytes, bad, &line, &col);
            ll_error_set(err, LL_ERR_IO, display, line, col,
                         "the file declares the source encoding '%s' and holds an escape "
                         "loadlint cannot decode here (\\N{...} or a bad \\x, \\u, \\U); "
                         "not scanned",
                         codec);
            return LL_DECODE_UNREADABLE;
        }
    } else {
        LLIconvNames names;
        ll_frontend_iconv_names(codec, module, &names);
        bool unknown = true, done = false;
        size_t bad = 0;
        for (size_t t = 0; t < 5 && !done && unknown; t++) {
            if (!names.name[t])
                continue;
            ll_buf_reset(&fe->decoded);
            done = iconv_decode(names.name[t], bytes, len, &fe->decoded, &unknown, &bad);
        }
        if (unknown) {
            ll_error_set(err, LL_ERR_IO, display, 1, 1,
                         "the file declares the source encoding '%s', which Python runs but "
                         "loadlint cannot decode; not scanned",
                         codec);
            return LL_DECODE_UNREADABLE;
        }
        if (!done) {
            unsigned line, col;
            raw_position(bytes, bad, &line, &col);
            ll_error_set(err, LL_ERR_IO, display, line, col,
                         "the bytes here are not valid %s, the source encoding the file "
                         "declares: Python refuses the file and will not run it",
                         codec);
            return LL_DECODE_REFUSED;
        }
    }
    ll_source_init(src, path, display, fe->decoded.data, fe->decoded.len, arena);
    return LL_DECODE_OK;
}

static TSTree *parse_text(LLFrontEnd *fe, const char *text, uint32_t len, TSParser *parser,
                          const LLSyntax *syn, uint64_t timeout_us, const TSRange *ranges,
                          uint32_t nranges)
{
    /* Python ends a line (and a comment) at a lone CR; tree-sitter only at
     * LF: parse a copy where each lone CR is a LF (offsets do not move) */
    if (memchr(text, '\r', len)) {
        ll_buf_reset(&fe->lf);
        ll_buf_append(&fe->lf, text, len);
        char *copy = fe->lf.data;
        for (uint32_t i = 0; i < len; i++)
            if (copy[i] == '\r' && (i + 1 >= len || copy[i + 1] != '\n'))
                copy[i] = '\n';
        text = copy;
    }
    /* a fresh external scanner for every file: tree-sitter-python's keeps
     * f-string state from the previous parse otherwise */
    ts_parser_set_language(parser, syn->language);
    ts_parser_set_timeout_micros(parser, timeout_us);
    if (nranges && !ts_parser_set_included_ranges(parser, ranges, nranges))
        return NULL; /* not ascending: split.c never makes such ranges */
    TSTree *tree = ts_parser_parse_string(parser, NULL, text, len);
    if (!tree)
        ts_parser_reset(parser);
    if (nranges)
        ts_parser_set_included_ranges(parser, NULL, 0); /* the whole text again */
    return tree;
}

TSTree *ll_frontend_parse(LLFrontEnd *fe, const LLSource *src, TSParser *parser,
                          const LLSyntax *syn, uint64_t timeout_us)
{
    return parse_text(fe, src->text, src->len, parser, syn, timeout_us, NULL, 0);
}

TSTree *ll_frontend_parse_ranges(LLFrontEnd *fe, const LLSource *src, TSParser *parser,
                                 const LLSyntax *syn, uint64_t timeout_us, const TSRange *ranges,
                                 uint32_t nranges)
{
    return parse_text(fe, src->text, src->len, parser, syn, timeout_us, ranges, nranges);
}

uint32_t ll_frontend_error_offset(TSNode root)
{
    TSNode n = root;
    for (unsigned guard = 0; guard < 100000; guard++) {
        if (ts_node_symbol(n) == (TSSymbol)-1 || ts_node_is_missing(n))
            return ts_node_start_byte(n);
        uint32_t c = ts_node_child_count(n);
        bool found = false;
        for (uint32_t i = 0; i < c; i++) {
            TSNode ch = ts_node_child(n, i);
            if (ts_node_has_error(ch)) {
                n = ch;
                found = true;
                break;
            }
        }
        if (!found)
            break;
    }
    return ts_node_start_byte(n);
}

unsigned ll_frontend_repair(LLFrontEnd *fe, const LLSource *src, TSParser *parser,
                            const LLSyntax *syn, uint64_t timeout_us, TSTree **tree,
                            uint32_t *first_line)
{
    unsigned done = 0;
    /* text with control characters or undecodable bytes (U+FFFD) here and
     * there is not Python with a few constructs the grammar does not read
     * but binary data: each repair would parse it all again, and
     * tree-sitter's error recovery is slow on such text, for nothing */
    size_t binary = 0;
    for (size_t i = 0; i < src->len && binary <= LL_REPAIR_MAX_BINARY_BYTES; i++) {
        unsigned char c = (unsigned char)src->text[i];
        binary += (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') ||
                  c == 0x7f ||
                  (c == 0xef && i + 2 < src->len && (unsigned char)src->text[i + 1] == 0xbf &&
                   (unsigned char)src->text[i + 2] == 0xbd);
    }
    if (binary > LL_REPAIR_MAX_BINARY_BYTES)
        return 0;
    ll_buf_reset(&fe->repair);
    ll_buf_append(&fe->repair, src->text, src->len);
    char *t = fe->repair.data;
    size_t last_start = SIZE_MAX;
    for (unsigned r = 0; r < LL_MAX_SYNTAX_REPAIRS; r++) {
        TSNode root = ts_tree_root_node(*tree);
        if (!ts_node_has_error(root))
            break;
        size_t start, end;
        uint32_t off = ll_frontend_error_offset(root);
        if (!ll_lex_line_at(t, src->len, off, &start, &end) || end <= start ||
            start == last_start)
            break; /* no statement there, or no progress */
        last_start = start;
        if (!done)
            *first_line = ll_source_line_of(src, (uint32_t)start);
        /* "0" and blanks: an expression statement of the same length, the
         * line ends kept, so every other byte stays where it was */
        t[start] = '0';
        for (size_t i = start + 1; i < end; i++)
            if (t[i] != '\n' && t[i] != '\r')
                t[i] = ' ';
        TSTree *again = parse_text(fe, t, src->len, parser, syn, timeout_us, NULL, 0);
        if (!again)
            break;
        ts_tree_delete(*tree);
        *tree = again;
        done++;
    }
    return done;
}
