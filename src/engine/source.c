#include "engine/source.h"

#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

LLStatus ll_source_read_fd(int fd, const char *name, size_t max_bytes,
                           LLBuf *into, LLError *err)
{
    ll_buf_reset(into);
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ll_error_set(err, LL_ERR_IO, name, 0, 0, "cannot read: %s",
                                strerror(errno));
        }
        if (n == 0)
            break;
        if (into->len + (size_t)n > max_bytes)
            return ll_error_set(err, LL_ERR_LIMIT, name, 0, 0,
                                "file is larger than the limit of %zu bytes "
                                "(--max-file-size); not scanned",
                                max_bytes);
        ll_buf_append(into, chunk, (size_t)n);
    }
    return LL_OK;
}

LLStatus ll_source_read(const char *path, size_t max_bytes, LLBuf *into,
                        LLError *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    struct stat sb;
    LLStatus st;
    if (fstat(fd, &sb) != 0) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot stat: %s",
                          strerror(errno));
    } else if (!S_ISREG(sb.st_mode)) {
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0,
                          "not a regular file; not scanned");
    } else if ((size_t)sb.st_size > max_bytes) {
        st = ll_error_set(err, LL_ERR_LIMIT, path, 0, 0,
                          "file is %lld bytes, over the limit of %zu bytes "
                          "(--max-file-size); not scanned",
                          (long long)sb.st_size, max_bytes);
    } else {
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0)
            fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        st = ll_source_read_fd(fd, path, max_bytes, into, err);
    }
    close(fd);
    return st;
}

void ll_source_init(LLSource *src, const char *path, const char *display,
                    const char *bytes, size_t len, LLArena *arena)
{
    memset(src, 0, sizeof *src);
    src->path = path;
    src->display = display;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        len -= 3;
        src->had_bom = true;
    }
    src->text = bytes;
    src->len = (uint32_t)len;
    uint32_t n = 1;
    if (!memchr(bytes, '\r', len)) {
        /* the common case: lines end at LF only; memchr is vectorised */
        for (const char *p = bytes, *end = bytes + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            n++;
        src->line_starts = ll_arena_alloc(arena, n * sizeof *src->line_starts);
        src->line_starts[0] = 0;
        uint32_t k = 1;
        for (const char *p = bytes, *end = bytes + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            src->line_starts[k++] = (uint32_t)(p - bytes + 1);
        src->nlines = n;
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= len || bytes[i + 1] != '\n')))
            n++;
    }
    src->line_starts = ll_arena_alloc(arena, n * sizeof *src->line_starts);
    src->line_starts[0] = 0;
    uint32_t k = 1;
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= len || bytes[i + 1] != '\n')))
            src->line_starts[k++] = (uint32_t)(i + 1);
    }
    src->nlines = n;
}

static uint32_t line_index(const LLSource *src, uint32_t off)
{
    uint32_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

uint32_t ll_source_line_of(const LLSource *src, uint32_t off)
{
    return line_index(src, off > src->len ? src->len : off) + 1;
}

void ll_source_position(const LLSource *src, uint32_t off, uint32_t *line,
                        uint32_t *col)
{
    if (off > src->len)
        off = src->len;
    uint32_t i = line_index(src, off);
    *line = i + 1;
    *col = (uint32_t)ll_utf8_count(src->text + src->line_starts[i],
                                   off - src->line_starts[i]) + 1;
}

const char *ll_source_line(const LLSource *src, uint32_t line, size_t *len)
{
    if (line == 0 || line > src->nlines) {
        *len = 0;
        return "";
    }
    uint32_t start = src->line_starts[line - 1];
    uint32_t end = line < src->nlines ? src->line_starts[line] : src->len;
    while (end > start && (src->text[end - 1] == '\n' || src->text[end - 1] == '\r'))
        end--;
    *len = end - start;
    return src->text + start;
}
