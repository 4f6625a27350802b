/* fuzz_requirements.c - bytes -> the line-based dependency readers
 * (src/deps/deps.h): requirements files with their includes, setup.cfg,
 * and METADATA headers.
 *
 * The input is read as proj/requirements.txt, whose includes are served
 * from memory: proj/requirements.txt itself (a cycle), proj/base.txt (the
 * input's second half), proj/c.txt (including requirements.txt back) and
 * proj/deep/x.txt (including itself through ../deep/x.txt); then as
 * proj/setup.cfg (its `file:` includes from the same memory) and as a
 * METADATA file. Checked: the reader returns; every statement and
 * diagnostic is complete and valid (ll_deplist_valid: normalised names,
 * positions, valid version sets); a statement of the input names a line
 * within it. Seeds: tests/fuzz/seeds/fuzz_requirements. */
#include "fuzz_common.h"

#include "base/buf.h"
#include "deps/deps.h"

#include <string.h>

typedef struct Mem {
    const char *text;
    size_t len;
    size_t half;
} Mem;

static LLStatus mem_read(void *ctx, const char *path, size_t max, char **text, size_t *len, LLError *err)
{
    const Mem *m = ctx;
    const char *src = NULL;
    size_t n = 0;
    if (!strcmp(path, "proj/requirements.txt") || !strcmp(path, "proj/setup.cfg")) {
        src = m->text;
        n = m->len;
    } else if (!strcmp(path, "proj/base.txt")) {
        src = m->text + m->half;
        n = m->len - m->half;
    } else if (!strcmp(path, "proj/c.txt")) {
        src = "-r requirements.txt\ntorch<2.6\n";
        n = strlen(src);
    } else if (!strcmp(path, "proj/deep/x.txt")) {
        src = "-r ../deep/x.txt\n";
        n = strlen(src);
    } else {
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: No such file or directory");
    }
    if (n > max)
        return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0, "too large");
    *text = ll_fuzz_text((const uint8_t *)src, n);
    *len = n;
    return LL_OK;
}

static size_t count_lines(const char *t, size_t n)
{
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += t[i] == '\n' || (t[i] == '\r' && (i + 1 >= n || t[i + 1] != '\n'));
    return lines;
}

static void check(const LLDepList *l, const char *path, size_t lines)
{
    LLBuf why;
    ll_buf_init(&why);
    bool ok = ll_deplist_valid(l, &why);
    LL_FUZZ_CHECK(ok, "%s", why.data);
    ll_buf_release(&why);
    for (size_t i = 0; i < l->deps.len; i++)
        if (!strcmp(l->deps.items[i].file, path))
            LL_FUZZ_CHECK(l->deps.items[i].line <= lines, "line %u past the end (%zu lines)",
                          l->deps.items[i].line, lines);
    for (size_t i = 0; i < l->diags.len; i++)
        if (!strcmp(l->diags.items[i].file, path))
            LL_FUZZ_CHECK(l->diags.items[i].line <= lines, "diagnostic line %u past the end (%zu lines): %s",
                          l->diags.items[i].line, lines, l->diags.items[i].msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *text = ll_fuzz_text(data, size);
    Mem m = {text, size, size / 2};
    LLDepsReader rd = {mem_read, &m};
    size_t lines = count_lines(text, size);
    LLDepList l;
    ll_deplist_init(&l);
    (void)ll_deps_parse_requirements(&l, "proj/requirements.txt", text, size, &rd);
    check(&l, "proj/requirements.txt", lines);
    ll_deplist_free(&l);
    ll_deplist_init(&l);
    (void)ll_deps_parse_setupcfg(&l, "proj/setup.cfg", text, size, &rd);
    check(&l, "proj/setup.cfg", lines);
    ll_deplist_free(&l);
    ll_deplist_init(&l);
    (void)ll_deps_parse_metadata(&l, "site/x.dist-info/METADATA", text, size);
    check(&l, "site/x.dist-info/METADATA", lines);
    ll_deplist_free(&l);
    free(text);
    return 0;
}
