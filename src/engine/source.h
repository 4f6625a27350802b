/* source.h - one Python file's bytes and its line index.
 *
 * ll_source_read fills a caller-owned LLBuf with the file's bytes (regular
 * files only, at most max_bytes). ll_source_init then describes those bytes:
 * the LLSource borrows the buffer, the path strings and the arena it puts the
 * line index in; it owns nothing.
 *
 * Lines end at "\n", "\r\n" or a lone "\r" (as Python's tokenizer does), and
 * columns count Unicode code points from 1, a tab counting as one, so every
 * output format agrees with editors. A UTF-8 byte-order mark is skipped and
 * is not part of column 1. */
#ifndef LL_SOURCE_H
#define LL_SOURCE_H
#include "base/arena.h"
#include "base/buf.h"
#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LLSource {
    const char *path;    /* where it was read from ("-" for stdin) */
    const char *display; /* how reports name it */
    const char *text;    /* bytes after any BOM */
    uint32_t len;
    uint32_t *line_starts; /* byte offset of each line; arena-owned */
    uint32_t nlines;
    bool had_bom;
} LLSource;

/* Reads `path` into *into (reset first). Non-regular files, unreadable files
 * and files over max_bytes fail with an error naming the path. */
LLStatus ll_source_read(const char *path, size_t max_bytes, LLBuf *into,
                        LLError *err);
/* Reads all of a file descriptor (stdin) into *into, at most max_bytes. */
LLStatus ll_source_read_fd(int fd, const char *name, size_t max_bytes,
                           LLBuf *into, LLError *err);
void ll_source_init(LLSource *src, const char *path, const char *display,
                    const char *bytes, size_t len, LLArena *arena);
/* 1-based line and code-point column of byte offset `off`. */
void ll_source_position(const LLSource *src, uint32_t off, uint32_t *line,
                        uint32_t *col);
/* 1-based line of byte offset `off` (a binary search; no column count). */
uint32_t ll_source_line_of(const LLSource *src, uint32_t off);
/* Text of 1-based line `line`, without its line ending. */
const char *ll_source_line(const LLSource *src, uint32_t line, size_t *len);

#endif
