/* uvlock.c - uv.lock (deps.h): every [[package]] with its name and exact
 * version (a locked statement). uv leaves the version out for a workspace
 * member or path source with a dynamic version: such a package is read
 * without a version. The same package may be locked at several versions
 * (for different environments): each is a statement. */
#include "deps/deps.h"
#include "deps/internal.h"

LLStatus ll_deps_parse_uv_lock(LLDepList *out, const char *path, const char *text, size_t len)
{
    LLStatus st;
    LLTomlDoc *doc = ll_deps__toml(out, path, text, len, &st);
    if (!doc)
        return st;
    ll_deps__lock_packages(out, path, doc, LL_DEPFMT_UV_LOCK, true);
    ll_toml_free(doc);
    return LL_OK;
}
