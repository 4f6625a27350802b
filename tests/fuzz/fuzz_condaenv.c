/* fuzz_condaenv.c - bytes -> conda environment files (src/deps/condaenv.c,
 * libyaml's event API).
 *
 * The input is read as env/environment.yml; its pip `-r` includes are
 * served from memory (env/requirements.txt holds a few requirements and
 * includes itself). Checked: the reader returns; every statement and
 * diagnostic is complete and valid (ll_deplist_valid); a rejected file
 * (YAML error, nesting limit) gives no statement and an error; a
 * statement of the input names a line within it. Seeds:
 * tests/fuzz/seeds/fuzz_condaenv. */
#include "fuzz_common.h"

#include "base/buf.h"
#include "deps/deps.h"

#include <string.h>

static LLStatus mem_read(void *ctx, const char *path, size_t max, char **text, size_t *len, LLError *err)
{
    (void)ctx;
    if (strcmp(path, "env/requirements.txt") != 0)
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: No such file or directory");
    const char *src = "torch==2.4.0\n-r requirements.txt\nnumpy>=1.16.3\n";
    *len = strlen(src);
    if (*len > max)
        return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0, "too large");
    *text = ll_fuzz_text((const uint8_t *)src, *len);
    return LL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    LLDepsReader rd = {mem_read, NULL};
    LLDepList l;
    ll_deplist_init(&l);
    LLStatus st = ll_deps_parse_conda_env(&l, "env/environment.yml", (const char *)data, size, &rd);
    LLBuf why;
    ll_buf_init(&why);
    bool ok = ll_deplist_valid(&l, &why);
    LL_FUZZ_CHECK(ok, "%s", why.data);
    ll_buf_release(&why);
    if (st != LL_OK) {
        LL_FUZZ_CHECK(l.deps.len == 0, "a rejected file gave %zu statements", l.deps.len);
        LL_FUZZ_CHECK(ll_deplist_count_diags(&l, LL_SEV_ERROR) > 0, "a rejected file without an error");
    }
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    for (size_t i = 0; i < l.deps.len; i++)
        if (!strcmp(l.deps.items[i].file, "env/environment.yml"))
            LL_FUZZ_CHECK(l.deps.items[i].line <= lines, "line %u past the end", l.deps.items[i].line);
    ll_deplist_free(&l);
    return 0;
}
