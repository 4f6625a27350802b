/* serial.h - the result cache's byte format: one file's analysis result
 * (finding.h LLFileResult: findings, diagnostics, function summaries,
 * dependencies, module facts) to bytes and back, and the record around it
 * (rcache.h: the keys and the inputs the analysis consumed).
 *
 * Encoding: unsigned integers as LEB128 varints, digests and hashes as 8
 * little-endian bytes each, strings as varint (length + 1) then the bytes
 * (0: NULL). File and rule references are not stored as run indices (the
 * next run may list other files, load rules in another order): each record
 * holds a table of the file paths and rule codes it refers to, and
 * references are positions in those tables; decoding maps them back to the
 * indices of the current run (LLRcacheNames) and fails when one is not
 * there any more (LL_RCACHE_DECODE_UNKNOWN: not an error, the file is
 * analysed again).
 *
 * The fields are listed once per struct, in X-macro tables (serial.c,
 * LL_RCACHE_*_FIELDS): encoder and decoder are both generated from them, so
 * a field added to LLFinding is one line there (and LL_RCACHE_FORMAT goes
 * up). A _Static_assert on each struct's size stops the build until that
 * line is written.
 *
 * Decoding never trusts its input: every length is checked against the
 * bytes left, every enum against its range, every reference against its
 * table; arrays grow as elements are actually decoded, so a count in a
 * damaged record cannot allocate more than the bytes can hold. On failure
 * nothing is left allocated.
 *
 * Ownership: the encoder appends to the caller's LLBuf; a decoded
 * LLFileResult is the caller's (ll_file_result_release). No global state. */
#ifndef LL_RCACHE_SERIAL_H
#define LL_RCACHE_SERIAL_H
#include "base/buf.h"
#include "engine/finding.h"
#include "engine/project.h"
#include "rcache/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The byte format's version: part of every record's header and of the
 * cache's directory name; raise it with any change to what is written. */
#define LL_RCACHE_FORMAT 7u

/* Run indices <-> names, for file and rule references. */
typedef struct LLRcacheNames {
    void *ctx;
    /* encoding: the path of file f and the code of rule r (digests: the
     * display of file f too, which messages may quote) */
    const char *(*file_name)(void *ctx, uint32_t f);
    const char *(*file_display)(void *ctx, uint32_t f);
    const char *(*rule_code)(void *ctx, uint32_t r);
    /* decoding: the index of a path / a code in the current run */
    bool (*file_index)(void *ctx, const char *name, uint32_t *out);
    bool (*rule_index)(void *ctx, const char *code, uint32_t *out);
} LLRcacheNames;

/* ---- primitives ------------------------------------------------------ */

void ll_rcache_put_varint(LLBuf *b, uint64_t v);
void ll_rcache_put_u64(LLBuf *b, uint64_t v);
void ll_rcache_put_str(LLBuf *b, const char *s); /* NULL allowed */
void ll_rcache_put_digest(LLBuf *b, LLDigest d);

typedef struct LLRcacheReader {
    const uint8_t *p, *end;
    bool bad; /* a read went past the end or met a malformed value */
} LLRcacheReader;

void ll_rcache_reader_init(LLRcacheReader *r, const void *data, size_t len);
uint64_t ll_rcache_get_varint(LLRcacheReader *r);
uint64_t ll_rcache_get_u64(LLRcacheReader *r);
LLDigest ll_rcache_get_digest(LLRcacheReader *r);
/* A malloc'd copy (NUL-terminated; *isnull set for a stored NULL), or NULL
 * with r->bad set. A string holding a NUL byte is malformed. */
char *ll_rcache_get_str(LLRcacheReader *r, bool *isnull);

/* ---- results --------------------------------------------------------- */

typedef enum LLRcacheDecode {
    LL_RCACHE_DECODE_OK = 0,
    LL_RCACHE_DECODE_CORRUPT, /* malformed bytes */
    LL_RCACHE_DECODE_UNKNOWN, /* well-formed, but refers to a file or rule
                               * the current run does not have */
} LLRcacheDecode;

/* Appends res (summaries with their sinks and steps; fp_hash and
 * fp_occurrence of findings are not stored: every run recomputes them). */
void ll_rcache_encode_result(LLBuf *out, const LLFileResult *res, const LLRcacheNames *names);
/* Reads one result into *out (zeroed first). */
LLRcacheDecode ll_rcache_decode_result(LLRcacheReader *r, const LLRcacheNames *names,
                                       LLFileResult *out);
/* Adds a function summary to a digest, every field (file references by
 * path and display, rules by code): what a caller's analysis can read of
 * it. */
void ll_rcache_digest_summary(LLDigestState *d, const LLFuncSummary *fs, const LLRcacheNames *names);

#endif
