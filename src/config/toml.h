/* toml.h - a TOML 1.0 reader: a whole document into an immutable tree of
 * values, every value with its position and key path.
 *
 * The text is parsed with the pinned tree-sitter-toml grammar; this module
 * adds what the grammar leaves out: strings decoded (basic, literal and both
 * multi-line kinds, every escape), integers (decimal, 0x, 0o, 0b, '_'
 * separators; 64-bit range checked), floats (inf, nan), booleans, dates and
 * times (kept as their text, the calendar date checked), the table rules
 * (duplicate keys, a table defined twice, dotted keys and [headers] that
 * extend what they may not, [[arrays of tables]], inline tables closed once
 * written), UTF-8 and control characters. Anything wrong is one error
 * `origin:line:col: message` (1-based lines; columns count code points, a
 * tab is one): the first problem in document order for syntax, the first met
 * while building otherwise.
 *
 * Values:
 *   - tables (the root, [headers], [[array]] elements, dotted-key parents,
 *     inline tables) hold their entries in document order (the order each key
 *     was first written); lookups by key are hashed for large tables;
 *   - arrays hold their items; an array of tables ([[x]]) is an array whose
 *     items are tables (ll_toml_is_table_array);
 *   - strings are UTF-8, NUL-terminated, with their length (a "\u0000"
 *     escape can put a NUL inside);
 *   - dates and times keep their text (ll_toml_str) and their kind.
 * Each value has the position where it is written (for a table made by a
 * header, the header's key; by a dotted key, that part of the key), the
 * position of the key naming it, and a key path printed by ll_toml_path
 * (`tool.loadlint.select`, `package[3].files[0].hash`, `a."b.c"`).
 *
 * Limits (named below; hitting one is an LL_ERR_LIMIT error naming it):
 * document size, nesting depth (tables, arrays and inline tables counted
 * together; nothing in this module recurses over the document), parse time.
 *
 * Ownership: ll_toml_parse returns a document the caller frees with
 * ll_toml_free; every value, key and string belongs to the document and
 * stays valid until then. The text passed in is not kept. A document is
 * immutable, so threads may read it at once. No global state. */
#ifndef LL_TOML_H
#define LL_TOML_H
#include "base/buf.h"
#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Documents larger than this are refused (LL_ERR_LIMIT); a caller may ask
 * for less (LLTomlOptions.max_bytes). poetry.lock and uv.lock files of big
 * projects are a few MB. */
#define LL_TOML_MAX_BYTES (64u * 1024u * 1024u)
/* Deepest value accepted: each table level (from a key part or a header
 * part), array and inline table counts one; the root is 0. */
#define LL_TOML_MAX_DEPTH 128u
/* Brackets ('[' or '{') open at once, counting those inside strings and
 * comments too: a bound on what the grammar's parser holds, whatever its
 * error recovery makes of broken text. */
#define LL_TOML_MAX_OPEN_BRACKETS 4096u
/* Parse time limit in microseconds (the grammar's error recovery on hostile
 * input is the only slow part). */
#define LL_TOML_PARSE_TIMEOUT_US (10u * 1000u * 1000u)
/* Tables with more entries than this get a hash index for ll_toml_find. */
#define LL_TOML_INDEX_MIN 8u

typedef struct LLTomlDoc LLTomlDoc;
typedef struct LLTomlValue LLTomlValue;

typedef enum LLTomlType {
    LL_TOML_TABLE,
    LL_TOML_ARRAY,
    LL_TOML_STRING,
    LL_TOML_INTEGER,
    LL_TOML_FLOAT,
    LL_TOML_BOOLEAN,
    LL_TOML_DATETIME,
} LLTomlType;

typedef enum LLTomlDateKind {
    LL_TOML_OFFSET_DATETIME, /* 1979-05-27T07:32:00Z */
    LL_TOML_LOCAL_DATETIME,  /* 1979-05-27T07:32:00 */
    LL_TOML_LOCAL_DATE,      /* 1979-05-27 */
    LL_TOML_LOCAL_TIME,      /* 07:32:00 */
} LLTomlDateKind;

/* How a table or array came to be. */
typedef enum LLTomlOrigin {
    LL_TOML_LITERAL,  /* a value as written: scalar, [array], {inline table}, the root */
    LL_TOML_HEADER,   /* [table], or [[array]] and its elements */
    LL_TOML_DOTTED,   /* a table made by a dotted key (a.b = 1 makes a) */
    LL_TOML_IMPLICIT, /* a table made only as the parent in a header ([a.b] makes a) */
} LLTomlOrigin;

typedef struct LLTomlOptions {
    size_t max_bytes; /* 0: LL_TOML_MAX_BYTES (a larger value is capped to it) */
    LLStatus status;  /* status of errors in the document; 0 (LL_OK): LL_ERR_CONFIG.
                         Limits are always LL_ERR_LIMIT. */
} LLTomlOptions;

/* ---- Parsing ---------------------------------------------------------- */

/* Parses text[0..len) (no NUL needed at text[len]; a leading byte-order mark
 * is skipped). `origin` names the document in errors (copied). opt may be
 * NULL. On error *out is NULL and err says where and why. */
LLStatus ll_toml_parse(LLTomlDoc **out, const char *origin, const char *text, size_t len,
                       const LLTomlOptions *opt, LLError *err);
void ll_toml_free(LLTomlDoc *doc);
/* The origin given to ll_toml_parse. */
const char *ll_toml_name(const LLTomlDoc *doc);

/* ---- Navigation ------------------------------------------------------- */

const LLTomlValue *ll_toml_root(const LLTomlDoc *doc);
/* The value at a dotted key path from the root, or NULL: parts are bare
 * ([A-Za-z0-9_-]+) or quoted ("a.b" or 'a.b', no escapes), and `[N]` after a
 * part picks an array item: ll_toml_get(doc, "tool.poetry.dependencies"),
 * ll_toml_get(doc, "package[0].name"). A malformed path gives NULL. */
const LLTomlValue *ll_toml_get(const LLTomlDoc *doc, const char *path);
/* The same from any value (a path "" is v itself). */
const LLTomlValue *ll_toml_lookup(const LLTomlValue *v, const char *path);
/* The entry of `table` with this key (len bytes: a key may hold a NUL), or
 * NULL (also when `table` is not a table). */
const LLTomlValue *ll_toml_find(const LLTomlValue *table, const char *key, size_t len);
/* Entries of a table or items of an array (0 for anything else), and the
 * i-th of them in document order (NULL past the end). */
size_t ll_toml_len(const LLTomlValue *v);
const LLTomlValue *ll_toml_at(const LLTomlValue *v, size_t i);
/* The table or array holding v (NULL for the root). */
const LLTomlValue *ll_toml_parent(const LLTomlValue *v);
/* v's key in its table (NUL-terminated; *len its length when len is not
 * NULL), or NULL for an array item and the root. */
const char *ll_toml_key(const LLTomlValue *v, size_t *len);
/* v's index in its array, or in its table's entries. */
size_t ll_toml_index(const LLTomlValue *v);

/* ---- Values ----------------------------------------------------------- */

LLTomlType ll_toml_type(const LLTomlValue *v);
/* A string's bytes, or a date's text (NUL-terminated; *len the length when
 * len is not NULL); NULL for other types. */
const char *ll_toml_str(const LLTomlValue *v, size_t *len);
int64_t ll_toml_int(const LLTomlValue *v);  /* 0 unless an integer */
double ll_toml_float(const LLTomlValue *v); /* 0 unless a float */
bool ll_toml_bool(const LLTomlValue *v);    /* false unless a boolean */
LLTomlDateKind ll_toml_date_kind(const LLTomlValue *v);
LLTomlOrigin ll_toml_origin(const LLTomlValue *v);
/* An array written as [[header]] elements. */
bool ll_toml_is_table_array(const LLTomlValue *v);
/* Where v is written, and where its key is (the value's own position for
 * an array item and the root). 1-based; columns in code points. */
unsigned ll_toml_line(const LLTomlValue *v);
unsigned ll_toml_col(const LLTomlValue *v);
unsigned ll_toml_key_line(const LLTomlValue *v);
unsigned ll_toml_key_col(const LLTomlValue *v);
/* Appends v's key path (empty for the root): keys joined by '.', quoted
 * when not bare, array indexes as [N]. */
void ll_toml_path(const LLTomlValue *v, LLBuf *out);
/* "a string", "an integer", ... */
const char *ll_toml_type_phrase(LLTomlType t);
/* The same for one value, precise: "an array of tables", "a date". */
const char *ll_toml_describe(const LLTomlValue *v);

/* ---- Errors and typed access ------------------------------------------ */

/* Fills err with `origin:line:col: message` at v (at its key when at_key)
 * and returns the document's error status. */
LLStatus ll_toml_error(const LLTomlDoc *doc, const LLTomlValue *v, bool at_key, LLError *err,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* v has type t, or an error at v: "tool.loadlint.cache: expected a boolean,
 * found a string". */
LLStatus ll_toml_want(const LLTomlDoc *doc, const LLTomlValue *v, LLTomlType t, LLError *err);
LLStatus ll_toml_want_string(const LLTomlDoc *doc, const LLTomlValue *v, const char **out,
                             LLError *err);
LLStatus ll_toml_want_int(const LLTomlDoc *doc, const LLTomlValue *v, int64_t *out, LLError *err);
LLStatus ll_toml_want_float(const LLTomlDoc *doc, const LLTomlValue *v, double *out, LLError *err);
LLStatus ll_toml_want_bool(const LLTomlDoc *doc, const LLTomlValue *v, bool *out, LLError *err);
/* v is an array whose items are all strings: "tool.loadlint.select:
 * expected an array of strings, found an integer" at v, or "... found an
 * integer at select[2]" at the item. */
LLStatus ll_toml_want_strings(const LLTomlDoc *doc, const LLTomlValue *v, LLError *err);
/* The entry `key` of table t, which must be there and have type `type`:
 * "package[3]: missing key \"name\"" at t, or a type error at the entry. */
LLStatus ll_toml_want_key(const LLTomlDoc *doc, const LLTomlValue *t, const char *key,
                          LLTomlType type, const LLTomlValue **out, LLError *err);

/* ---- Writing ---------------------------------------------------------- */

/* Appends s[0..len) as a TOML basic string, quotes included, escaping '"',
 * '\\' and control characters (\n, \t, \uXXXX). */
void ll_toml_write_string(LLBuf *out, const char *s, size_t len);
/* Appends a key: bare when it can be, else as a basic string. */
void ll_toml_write_key(LLBuf *out, const char *s, size_t len);

#endif
