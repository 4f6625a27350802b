#include "rules/jsonloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static size_t skip_ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* i is at '"'; returns the offset after the closing quote. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (t[i] == '\\')
            i++;
        else if (t[i] == '"')
            return i + 1;
    }
    return len;
}

/* Skips one value starting at i (after whitespace). */
static size_t skip_value(const char *t, size_t len, size_t i)
{
    size_t depth = 0;
    while (i < len) {
        char c = t[i];
        if (c == '"') {
            i = skip_string(t, len, i);
            if (!depth)
                return i;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (!depth)
                return i;
            depth--;
            if (!depth)
                return i + 1;
        } else if (!depth && (c == ',' || c == ' ' || c == '\n' ||
                              c == '\r' || c == '\t')) {
            return i;
        }
        i++;
    }
    return len;
}

/* Compares the JSON key at t[i] (a '"') with a pointer token (~0 ~1 decoded). */
static bool key_equals(const char *t, size_t len, size_t i, const char *tok,
                       size_t toklen)
{
    size_t k = 0;
    for (i++; i < len && t[i] != '"'; i++) {
        char c = t[i];
        if (c == '\\' && i + 1 < len)
            c = t[++i];
        if (k >= toklen)
            return false;
        char w = tok[k];
        if (w == '~' && k + 1 < toklen) {
            w = tok[k + 1] == '1' ? '/' : '~';
            k++;
        }
        if (c != w)
            return false;
        k++;
    }
    return k == toklen;
}

size_t ll_jsonloc_find(const char *text, size_t len, const char *pointer)
{
    size_t pos = skip_ws(text, len, 0);
    const char *p = pointer;
    while (*p == '/') {
        const char *tok = p + 1;
        const char *end = strchr(tok, '/');
        size_t toklen = end ? (size_t)(end - tok) : strlen(tok);
        p = tok + toklen;
        if (pos >= len)
            return pos;
        size_t container = pos;
        if (text[pos] == '{') {
            size_t i = skip_ws(text, len, pos + 1);
            bool found = false;
            while (i < len && text[i] == '"') {
                bool match = key_equals(text, len, i, tok, toklen);
                i = skip_ws(text, len, skip_string(text, len, i));
                if (i < len && text[i] == ':')
                    i = skip_ws(text, len, i + 1);
                if (match) {
                    pos = i;
                    found = true;
                    break;
                }
                i = skip_ws(text, len, skip_value(text, len, i));
                if (i < len && text[i] == ',')
                    i = skip_ws(text, len, i + 1);
            }
            if (!found)
                return container;
        } else if (text[pos] == '[') {
            long want = strtol(tok, NULL, 10);
            size_t i = skip_ws(text, len, pos + 1);
            for (long n = 0; n < want && i < len && text[i] != ']'; n++) {
                i = skip_ws(text, len, skip_value(text, len, i));
                if (i < len && text[i] == ',')
                    i = skip_ws(text, len, i + 1);
            }
            if (i >= len || text[i] == ']')
                return container;
            pos = i;
        } else {
            return pos;
        }
    }
    return pos;
}

size_t ll_jsonloc_find_member(const char *text, size_t len, const char *pointer,
                              size_t index)
{
    size_t pos = ll_jsonloc_find(text, len, pointer);
    if (pos >= len || text[pos] != '{')
        return pos;
    size_t i = skip_ws(text, len, pos + 1);
    for (size_t m = 0; i < len && text[i] == '"'; m++) {
        i = skip_ws(text, len, skip_string(text, len, i));
        if (i < len && text[i] == ':')
            i = skip_ws(text, len, i + 1);
        if (m == index)
            return i;
        i = skip_ws(text, len, skip_value(text, len, i));
        if (i < len && text[i] == ',')
            i = skip_ws(text, len, i + 1);
    }
    return pos;
}

void ll_jsonloc_linecol(const char *text, size_t len, size_t off,
                        unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}
