#include "report/cjson_util.h"

#include "base/mem.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cJSON *ll_json_strn(const char *s, size_t n)
{
    if (ll_utf8_valid(s, n) && !memchr(s, '\0', n)) {
        char *copy = ll_xstrndup(s, n);
        cJSON *j = cJSON_CreateString(copy);
        free(copy);
        return j;
    }
    /* replace each invalid byte (and NUL) with U+FFFD */
    LLBuf b;
    ll_buf_init(&b);
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        while (k <= 4 && i + k <= n && !ll_utf8_valid(s + i, k))
            k++;
        if (k <= 4 && i + k <= n && s[i] != '\0') {
            ll_buf_append(&b, s + i, k);
            i += k;
        } else {
            ll_buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    cJSON *j = cJSON_CreateString(b.data);
    ll_buf_release(&b);
    return j;
}

cJSON *ll_json_str(const char *s) { return ll_json_strn(s ? s : "", s ? strlen(s) : 0); }

void ll_json_add_str(cJSON *obj, const char *key, const char *s)
{
    cJSON_AddItemToObject(obj, key, ll_json_str(s));
}

void ll_json_add_num(cJSON *obj, const char *key, double v)
{
    cJSON_AddItemToObject(obj, key, cJSON_CreateNumber(v));
}

void ll_json_print(LLBuf *out, const cJSON *root)
{
    char *s = cJSON_Print(root);
    if (s) {
        ll_buf_puts(out, s);
        ll_buf_putc(out, '\n');
        free(s);
    }
}

void ll_json_uri(LLBuf *out, const char *display, int *is_absolute)
{
    *is_absolute = 0;
    const char *p = display;
    if (p[0] == '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd)) {
            size_t n = strlen(cwd);
            if (strncmp(p, cwd, n) == 0 && p[n] == '/') {
                ll_uri_encode_path(out, p + n + 1, strlen(p + n + 1));
                return;
            }
        }
        *is_absolute = 1;
        ll_buf_puts(out, "file://");
        ll_uri_encode_path(out, p, strlen(p));
        return;
    }
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/')
            p++;
    }
    ll_uri_encode_path(out, p, strlen(p));
}
