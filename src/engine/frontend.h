/* frontend.h - one Python file, from bytes on disk to a parsed tree, as
 * Python itself would read it.
 *
 * Every reader of Python source goes through here (the scan, the
 * pre-filter's identifier scan, tools/parse_only.c, the unit tests), so they
 * all see the same text:
 *
 *   1. read: regular files only, at most max_bytes (source.h);
 *   2. decode (ll_frontend_decode): a UTF-8 byte-order mark is dropped; a
 *      PEP 263 declaration (`# -*- coding: NAME -*-` as a whole comment line
 *      on line 1, or on line 2 after a blank or comment line 1) names the
 *      encoding, and the bytes are decoded to UTF-8 with it before anything
 *      else looks at them: iconv for every charset the C library knows
 *      (koi8-r, big5, shift_jis, utf-7, cp1251...), loadlint's own decoders
 *      for the Python-only codecs unicode_escape and raw_unicode_escape. Code
 *      hidden by an encoding (`import +AHA-ickle` in UTF-7) is therefore
 *      found like any other. A declaration Python refuses (a codec it does
 *      not know or cannot use for source, a BOM with a non-UTF-8
 *      declaration, bytes that do not decode) is a warning naming the file:
 *      Python will not run it. An encoding Python runs and loadlint cannot
 *      decode is an error: code went unread. Never a silent pass;
 *   3. index lines (`\n`, `\r\n`, lone `\r`, as Python's tokenizer) and
 *      columns in code points of the decoded text (which are the file's
 *      characters, whatever its encoding);
 *   4. parse (ll_frontend_parse): tree-sitter sees lone CRs as LFs (Python
 *      ends lines and comments there), with a time limit.
 *
 * Ownership: an LLFrontEnd is per worker and reused from file to file; the
 * LLSource it fills borrows the front end's buffers (valid until the next
 * decode) and puts its line index in the given arena. */
#ifndef LL_FRONTEND_H
#define LL_FRONTEND_H
#include "base/arena.h"
#include "base/buf.h"
#include "base/status.h"
#include "engine/source.h"
#include "engine/syntax.h"

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* Bytes of an encoding name read from a declaration. */
#define LL_MAX_CODEC_NAME 64u

typedef struct LLFrontEnd {
    LLBuf raw;     /* the file's bytes (ll_frontend_read) */
    LLBuf decoded; /* UTF-8, when the file declared another encoding */
    LLBuf lf;      /* the text with lone CRs as LFs, for the parser */
    LLBuf repair;  /* the text with statements set aside (ll_frontend_repair) */
    char codec[LL_MAX_CODEC_NAME]; /* the declared encoding, normalised; "" when none */
} LLFrontEnd;

typedef enum LLDecodeResult {
    LL_DECODE_OK,         /* src describes UTF-8 text */
    LL_DECODE_REFUSED,    /* Python itself refuses the file (an unknown or
                           * unusable encoding, bytes that do not decode): it
                           * cannot run; *err says why (a warning) */
    LL_DECODE_UNREADABLE, /* Python runs it, loadlint cannot decode it: *err
                           * says why (an error: code went unread) */
} LLDecodeResult;

void ll_frontend_init(LLFrontEnd *fe);
void ll_frontend_release(LLFrontEnd *fe);
/* Reads `path` into fe->raw (at most max_bytes; see source.h). */
LLStatus ll_frontend_read(LLFrontEnd *fe, const char *path, size_t max_bytes, LLError *err);
/* Decodes bytes[0..len) (fe->raw's, or stdin's) and describes the text in
 * *src. On LL_DECODE_REFUSED, err names the file and, when known, the line
 * and column. */
LLDecodeResult ll_frontend_decode(LLFrontEnd *fe, const char *path, const char *display,
                                  const char *bytes, size_t len, LLArena *arena,
                                  LLSource *src, LLError *err);
/* The module name of the encoding Python calls `normalised` (its alias
 * table, pycodecs.c), or NULL when Python knows no such encoding. */
const char *ll_frontend_python_codec(const char *normalised);
/* Python's normalisation of an encoding name (encodings.normalize_encoding,
 * then lower case): runs of characters other than letters, digits and '.'
 * become one '_'. */
void ll_frontend_normalise_codec(const char *in, char *out, size_t outsz);
/* The names iconv may know an encoding by, to try in order: iconv's names
 * for Python's spellings of `codec` and of its module, then each as written
 * with '_' as '-' (NULL entries: none). `module` is what
 * ll_frontend_python_codec gave. */
typedef struct LLIconvNames {
    const char *name[5];
    char alt[LL_MAX_CODEC_NAME], mod_dash[LL_MAX_CODEC_NAME];
} LLIconvNames;
void ll_frontend_iconv_names(const char *codec, const char *module, LLIconvNames *out);
/* The encoding a PEP 263 declaration in the first two lines names
 * (lower-case, as written), or NULL when there is none. */
const char *ll_frontend_declared(const char *text, size_t len, char *name, size_t namesz);
/* Parses the decoded text (lone CRs seen as LFs) with a time limit;
 * NULL when the limit was hit (the parser is then reset). */
TSTree *ll_frontend_parse(LLFrontEnd *fe, const LLSource *src, TSParser *parser,
                          const LLSyntax *syn, uint64_t timeout_us);
/* The same, reading only `ranges` of the text (ascending, not
 * overlapping: split.h's plan); the tree keeps the text's offsets, lines
 * and columns. NULL when the limit was hit. */
TSTree *ll_frontend_parse_ranges(LLFrontEnd *fe, const LLSource *src, TSParser *parser,
                                 const LLSyntax *syn, uint64_t timeout_us, const TSRange *ranges,
                                 uint32_t nranges);

/* When the tree has syntax errors: sets aside (blanks, keeping every byte
 * offset and line) the logical line holding the first error and parses
 * again, at most LL_MAX_SYNTAX_REPAIRS times, so that one statement the
 * grammar cannot read (tree-sitter-python rejects some valid Python, such
 * as `a, *b = x, *[]`) hides no finding in any other. *tree is replaced by
 * the last parse; returns how many statements were set aside, and the
 * first one's line in *first_line. */
unsigned ll_frontend_repair(LLFrontEnd *fe, const LLSource *src, TSParser *parser,
                            const LLSyntax *syn, uint64_t timeout_us, TSTree **tree,
                            uint32_t *first_line);
/* The byte offset of the first syntax error of a tree (iterative). */
uint32_t ll_frontend_error_offset(TSNode root);

#endif
