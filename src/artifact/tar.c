#include "artifact/tar.h"

#include "artifact/torch.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* tarfile's nti(): octal text (NUL or space ended), or GNU base-256. */
static bool field_num(const uint8_t *f, size_t n, uint64_t *out)
{
    if (f[0] == 0x80 || f[0] == 0xff) {
        if (f[0] == 0xff)
            return false; /* negative */
        uint64_t v = 0;
        for (size_t i = 1; i < n; i++) {
            if (v >> 56)
                return false;
            v = v << 8 | f[i];
        }
        *out = v;
        return true;
    }
    size_t i = 0, e = 0;
    while (e < n && f[e])
        e++;
    while (i < e && f[i] == ' ')
        i++;
    while (e > i && f[e - 1] == ' ')
        e--;
    uint64_t v = 0;
    for (; i < e; i++) {
        if (f[i] < '0' || f[i] > '7' || v >> 60)
            return false;
        v = v * 8 + (uint64_t)(f[i] - '0');
    }
    *out = v;
    return true;
}

static bool checksum_ok(const uint8_t *h)
{
    uint64_t want;
    if (!field_num(h + 148, 8, &want))
        return false;
    uint64_t u = 0;
    int64_t s = 0;
    for (size_t i = 0; i < LL_ART_TAR_BLOCK; i++) {
        uint8_t c = i >= 148 && i < 156 ? ' ' : h[i];
        u += c;
        s += (int8_t)c;
    }
    return want == u || (int64_t)want == s;
}

bool ll_tar_sniff(const uint8_t *head, size_t len)
{
    if (len < LL_ART_TAR_BLOCK)
        return false;
    if (memcmp(head + 257, "ustar", 5) != 0)
        return false;
    return checksum_ok(head);
}

static char *field_str(const uint8_t *f, size_t n)
{
    size_t e = 0;
    while (e < n && f[e])
        e++;
    return ll_xstrndup((const char *)f, e);
}

/* pax records "<len> key=value\n": the path and size keys. */
static void pax_parse(const uint8_t *p, size_t n, char **path, uint64_t *size, bool *has_size)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i, rl = 0;
        while (j < n && p[j] >= '0' && p[j] <= '9' && rl <= n)
            rl = rl * 10 + (size_t)(p[j++] - '0');
        if (j >= n || p[j] != ' ' || rl == 0 || rl > n - i)
            return;
        const uint8_t *kv = p + j + 1, *end = p + i + rl;
        if (end <= kv || end[-1] != '\n')
            return;
        const uint8_t *eq = memchr(kv, '=', (size_t)(end - kv));
        if (eq) {
            size_t kl = (size_t)(eq - kv), vl = (size_t)(end - 1 - (eq + 1));
            if (kl == 4 && memcmp(kv, "path", 4) == 0 && vl < LL_ART_TAR_MAX_NAME) {
                free(*path);
                *path = ll_xstrndup((const char *)eq + 1, vl);
            } else if (kl == 4 && memcmp(kv, "size", 4) == 0) {
                uint64_t v = 0;
                bool ok = vl > 0;
                for (size_t k = 0; k < vl; k++) {
                    uint8_t c = eq[1 + k];
                    if (c < '0' || c > '9' || v > UINT64_MAX / 10) {
                        ok = false;
                        break;
                    }
                    v = v * 10 + (uint64_t)(c - '0');
                }
                if (ok) {
                    *size = v;
                    *has_size = true;
                }
            }
        }
        i += rl;
    }
}

static void bad(const LLArtCtx *ctx, LLArtResult *out, const char *check, LLSeverity sev, LLArtVerdict v,
                uint64_t off, const char *msg)
{
    LLArtLoc loc = ll_art_ctx_loc(ctx, off, LL_ART_TAR_BLOCK);
    ll_art_add(out, check, sev, v, &loc, NULL, "%s", msg);
}

bool ll_tar_open(LLTar *t, const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    memset(t, 0, sizeof *t);
    t->d = data;
    t->len = len;
    char *long_name = NULL;
    uint64_t pax_size = 0;
    bool has_pax_size = false;
    size_t off = 0;
    char msg[512];
    while (off + LL_ART_TAR_BLOCK <= len) {
        const uint8_t *h = data + off;
        if (all_zero(h, LL_ART_TAR_BLOCK))
            break;
        if (!checksum_ok(h)) {
            if (off == 0) {
                bad(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, 0,
                    "not a tar archive: its first header's checksum is wrong");
                free(long_name);
                ll_tar_close(t);
                return false;
            }
            snprintf(msg, sizeof msg,
                     "%zu bytes after the tar archive's last member (offset %zu) are not a tar header: "
                     "tarfile stops there",
                     len - off, off);
            bad(ctx, out, ART_CHECK_TRAILING_DATA, LL_SEV_NOTE, LL_ART_SAFE, off, msg);
            break;
        }
        uint64_t size;
        if (!field_num(h + 124, 12, &size)) {
            bad(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, off,
                "a tar header has an unreadable size");
            break;
        }
        char type = (char)h[156];
        uint64_t data_off = off + LL_ART_TAR_BLOCK;
        if (has_pax_size && type != 'x' && type != 'g' && type != 'L' && type != 'K') {
            size = pax_size;
            has_pax_size = false;
        }
        if (size > len - data_off) {
            snprintf(msg, sizeof msg, "a tar member at offset %zu declares %llu bytes, the archive has %zu",
                     off, (unsigned long long)size, (size_t)(len - data_off));
            bad(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, off, msg);
            break;
        }
        const uint8_t *body = data + data_off;
        if (type == 'L') {
            free(long_name);
            size_t n = (size_t)size < LL_ART_TAR_MAX_NAME ? (size_t)size : LL_ART_TAR_MAX_NAME;
            long_name = field_str(body, n);
        } else if (type == 'x') {
            pax_parse(body, (size_t)size, &long_name, &pax_size, &has_pax_size);
        } else if (type == 'g' || type == 'K') {
            /* global pax headers and long link names: nothing this reader uses */
        } else {
            if (t->entries.len >= LL_ART_TAR_MAX_ENTRIES) {
                snprintf(msg, sizeof msg, "the tar archive has more than %u members (LL_ART_TAR_MAX_ENTRIES)",
                         LL_ART_TAR_MAX_ENTRIES);
                bad(ctx, out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, off, msg);
                break;
            }
            LLTarEntry e = {0};
            if (long_name) {
                e.name = long_name;
                long_name = NULL;
            } else {
                char *nm = field_str(h, 100);
                if (memcmp(h + 257, "ustar\0", 6) == 0 && h[345]) {
                    char *pre = field_str(h + 345, 155);
                    size_t pl = strlen(pre), nl = strlen(nm);
                    char *full = ll_xmalloc(pl + nl + 2);
                    memcpy(full, pre, pl);
                    full[pl] = '/';
                    memcpy(full + pl + 1, nm, nl + 1);
                    free(pre);
                    free(nm);
                    nm = full;
                }
                e.name = nm;
            }
            e.type = type;
            e.hdr_off = off;
            e.data_off = data_off;
            e.size = size;
            LL_VEC_PUSH(&t->entries, e);
        }
        uint64_t adv = (size + LL_ART_TAR_BLOCK - 1) / LL_ART_TAR_BLOCK * LL_ART_TAR_BLOCK;
        if (adv > len - data_off)
            break;
        off = (size_t)(data_off + adv);
    }
    free(long_name);
    return true;
}

void ll_tar_close(LLTar *t)
{
    for (size_t i = 0; i < t->entries.len; i++)
        free(t->entries.items[i].name);
    LL_VEC_FREE(&t->entries);
}

static bool regular(const LLTarEntry *e)
{
    return e->type == '0' || e->type == '\0' || e->type == '7';
}

const LLTarEntry *ll_tar_find(const LLTar *t, const char *name)
{
    for (size_t i = t->entries.len; i-- > 0;)
        if (regular(&t->entries.items[i]) && strcmp(t->entries.items[i].name, name) == 0)
            return &t->entries.items[i];
    return NULL;
}

static bool unsafe_name(const char *s)
{
    if (s[0] == '/' || s[0] == '\\')
        return true;
    size_t start = 0, n = strlen(s);
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '/' || s[i] == '\\') {
            if (i - start == 2 && s[start] == '.' && s[start + 1] == '.')
                return true;
            start = i + 1;
        }
    }
    return false;
}

const char *ll_tar_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    LLTar t;
    if (!ll_tar_open(&t, ctx, data, len, out))
        return "tar";
    bool torch = ll_torch_tar_is_checkpoint(&t);
    size_t n = t.entries.len;
    LLArtKind *kinds = ll_xcalloc(n ? n : 1, sizeof *kinds);
    bool model = torch;
    for (size_t i = 0; i < n; i++) {
        const LLTarEntry *e = &t.entries.items[i];
        if (!regular(e) || !e->size)
            continue;
        if (torch && (strcmp(e->name, "pickle") == 0 || strcmp(e->name, "storages") == 0 ||
                      strcmp(e->name, "tensors") == 0))
            continue;
        size_t h = e->size < LL_ART_SNIFF_BYTES ? (size_t)e->size : LL_ART_SNIFF_BYTES;
        LLArtKind k = ll_art_sniff(e->name, data + e->data_off, h);
        if (k != LL_ART_KIND_NONE && k != LL_ART_KIND_LFS) {
            kinds[i] = k;
            model = true;
        }
    }
    if (!model) {
        free(kinds);
        ll_tar_close(&t);
        return NULL;
    }
    LLStrMap names;
    ll_strmap_init(&names);
    char msg[600];
    for (size_t i = 0; i < n; i++) {
        const LLTarEntry *e = &t.entries.items[i];
        if (!regular(e))
            continue;
        LLStrMapSlot *s = ll_strmap_slot(&names, e->name, strlen(e->name), 0);
        if (++s->value == 2) {
            snprintf(msg, sizeof msg, "two members are named %.400s: tarfile reads the last; all were read",
                     e->name);
            LLArtLoc loc = ll_art_ctx_loc(ctx, e->hdr_off, LL_ART_TAR_BLOCK);
            ll_art_add(out, ART_CHECK_ARCHIVE_DUPLICATE, LL_SEV_NOTE, LL_ART_SAFE, &loc, e->name, "%s", msg);
        }
        if (s->value == 1 && unsafe_name(e->name)) {
            LLArtLoc loc = ll_art_ctx_loc(ctx, e->hdr_off, LL_ART_TAR_BLOCK);
            ll_art_add(out, ART_CHECK_ARCHIVE_UNSAFE_PATH, LL_SEV_NOTE, LL_ART_SAFE, &loc, e->name,
                       "member name %.400s leaves the extraction folder (absolute or \"..\")", e->name);
        }
    }
    ll_strmap_release(&names);
    if (torch)
        ll_torch_tar_scan(ctx, &t, out);
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] == LL_ART_KIND_NONE)
            continue;
        const LLTarEntry *e = &t.entries.items[i];
        LLArtCtx child;
        if (!ll_art_ctx_enter(ctx, e->name, e->hdr_off, &child, out))
            continue;
        ll_art_scan_as(&child, kinds[i], data + e->data_off, (size_t)e->size, out);
    }
    free(kinds);
    ll_tar_close(&t);
    return torch ? "pytorch-tar" : "tar";
}
