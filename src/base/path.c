#include "base/path.h"

#include "base/buf.h"
#include "base/mem.h"

#include <string.h>

char *ll_path_abs(const char *cwd, const char *path)
{
    LLBuf in, out;
    ll_buf_init(&in);
    ll_buf_init(&out);
    if (path[0] != '/')
        ll_buf_printf(&in, "%s/", cwd);
    ll_buf_puts(&in, path);
    /* component by component; ".." drops the last one kept */
    const char *p = in.data;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (out.len && out.data[out.len - 1] != '/')
                out.len--;
            if (out.len)
                out.len--; /* the '/' */
            out.data[out.len] = '\0';
        } else {
            ll_buf_putc(&out, '/');
            ll_buf_append(&out, p, n);
        }
        p = e;
    }
    if (!out.len)
        ll_buf_putc(&out, '/');
    ll_buf_release(&in);
    return ll_buf_detach(&out);
}

char *ll_path_dirname(const char *abs)
{
    const char *slash = strrchr(abs, '/');
    if (!slash || slash == abs)
        return ll_xstrdup("/");
    return ll_xstrndup(abs, (size_t)(slash - abs));
}

const char *ll_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *ll_path_below(const char *abs, const char *base)
{
    size_t n = strlen(base);
    if (n == 1 && base[0] == '/')
        return abs + 1;
    if (strncmp(abs, base, n) != 0)
        return NULL;
    if (abs[n] == '\0')
        return abs + n;
    if (abs[n] == '/')
        return abs + n + 1;
    return NULL;
}

char *ll_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_append(&b, dir, n);
    if (!n || dir[n - 1] != '/')
        ll_buf_putc(&b, '/');
    ll_buf_puts(&b, name);
    return ll_buf_detach(&b);
}
