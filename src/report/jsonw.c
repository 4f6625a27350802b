#include "report/jsonw.h"

#include "base/text.h"

#include <assert.h>
#include <string.h>

void ll_jw_init(LLJsonW *w, LLBuf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = true;
}

static void indent(LLJsonW *w)
{
    ll_buf_putc(w->out, '\n');
    for (int i = 0; i < w->depth; i++)
        ll_buf_puts(w->out, "  ");
}

/* Before a value (or a key): the comma and the line break it needs. */
static void before(LLJsonW *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first[w->depth])
        ll_buf_putc(w->out, ',');
    w->first[w->depth] = false;
    indent(w);
}

static void open(LLJsonW *w, char o, char c)
{
    before(w);
    assert(w->depth < LL_JSONW_MAX_DEPTH);
    ll_buf_putc(w->out, o);
    w->depth++;
    w->first[w->depth] = true;
    w->close[w->depth] = c;
}

void ll_jw_obj(LLJsonW *w) { open(w, '{', '}'); }
void ll_jw_arr(LLJsonW *w) { open(w, '[', ']'); }

void ll_jw_end(LLJsonW *w)
{
    assert(w->depth > 0);
    bool empty = w->first[w->depth];
    char c = w->close[w->depth];
    w->depth--;
    if (!empty)
        indent(w);
    ll_buf_putc(w->out, c);
}

void ll_jw_finish(LLJsonW *w)
{
    while (w->depth > 0)
        ll_jw_end(w);
    ll_buf_putc(w->out, '\n');
}

void ll_jw_quote(LLBuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ll_buf_putc(out, '"');
    size_t run = 0; /* start of bytes still to copy as they are */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            /* a whole, valid UTF-8 sequence is copied; anything else is U+FFFD */
            size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (k > 1 && i + k <= n && ll_utf8_valid(s + i, k)) {
                i += k;
                continue;
            }
            ll_buf_append(out, s + run, i - run);
            ll_buf_puts(out, "\xEF\xBF\xBD");
            i++;
            run = i;
            continue;
        }
        ll_buf_append(out, s + run, i - run);
        switch (c) {
        case '"': ll_buf_puts(out, "\\\""); break;
        case '\\': ll_buf_puts(out, "\\\\"); break;
        case '\n': ll_buf_puts(out, "\\n"); break;
        case '\r': ll_buf_puts(out, "\\r"); break;
        case '\t': ll_buf_puts(out, "\\t"); break;
        case '\0': ll_buf_puts(out, "\xEF\xBF\xBD"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            ll_buf_puts(out, u);
        }
        }
        i++;
        run = i;
    }
    ll_buf_append(out, s + run, n - run);
    ll_buf_putc(out, '"');
}

void ll_jw_key(LLJsonW *w, const char *key)
{
    before(w);
    ll_jw_quote(w->out, key, strlen(key));
    ll_buf_puts(w->out, ": ");
    w->after_key = true;
}

void ll_jw_strn(LLJsonW *w, const char *s, size_t n)
{
    before(w);
    ll_jw_quote(w->out, s, n);
}

void ll_jw_str(LLJsonW *w, const char *s)
{
    if (!s) {
        ll_jw_null(w);
        return;
    }
    ll_jw_strn(w, s, strlen(s));
}

void ll_jw_int(LLJsonW *w, long long v)
{
    before(w);
    ll_buf_printf(w->out, "%lld", v);
}

void ll_jw_bool(LLJsonW *w, bool v)
{
    before(w);
    ll_buf_puts(w->out, v ? "true" : "false");
}

void ll_jw_null(LLJsonW *w)
{
    before(w);
    ll_buf_puts(w->out, "null");
}

void ll_jw_raw(LLJsonW *w, const char *json)
{
    before(w);
    ll_buf_puts(w->out, json);
}

void ll_jw_kstr(LLJsonW *w, const char *key, const char *s)
{
    ll_jw_key(w, key);
    ll_jw_str(w, s);
}

void ll_jw_kint(LLJsonW *w, const char *key, long long v)
{
    ll_jw_key(w, key);
    ll_jw_int(w, v);
}

void ll_jw_kbool(LLJsonW *w, const char *key, bool v)
{
    ll_jw_key(w, key);
    ll_jw_bool(w, v);
}
