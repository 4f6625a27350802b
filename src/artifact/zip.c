#include "artifact/zip.h"

#include "artifact/pickle.h"
#include "artifact/torch.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CD 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_LOC64 0x07064b50u
#define SIG_EOCD64 0x06064b50u
#define LOCAL_SIZE 30u
#define CD_SIZE 46u
#define EOCD_SIZE 22u
#define LOC64_SIZE 20u
#define EOCD64_SIZE 56u

/* general purpose flag bits loaders refuse or that change the data's
 * meaning: encrypted (0), compressed patch (5), strong encryption (6),
 * masked local header (13) */
#define ZIP_ODD_FLAGS (1u | 1u << 5 | 1u << 6 | 1u << 13)

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

typedef struct View {
    uint64_t cd_start, cd_size, count;
    uint64_t bias; /* added to local header offsets (modulo 2^64) */
} View;

static bool find_eocd(const uint8_t *d, size_t len, size_t *pos)
{
    if (len < EOCD_SIZE)
        return false;
    if (le32(d + len - EOCD_SIZE) == SIG_EOCD && le16(d + len - 2) == 0) {
        *pos = len - EOCD_SIZE;
        return true;
    }
    size_t lo = len > LL_ART_ZIP_EOCD_SEARCH ? len - LL_ART_ZIP_EOCD_SEARCH : 0;
    for (size_t i = len - EOCD_SIZE + 1; i-- > lo;) {
        if (d[i] == 'P' && le32(d + i) == SIG_EOCD) {
            *pos = i;
            return true;
        }
    }
    return false;
}

static void loc_add(const LLArtCtx *ctx, LLArtResult *out, const char *check, LLSeverity sev,
                    LLArtVerdict v, uint64_t off, uint64_t n, const char *subject, const char *msg)
{
    LLArtLoc loc = ll_art_ctx_loc(ctx, off, n);
    ll_art_add(out, check, sev, v, &loc, subject, "%s", msg);
}

/* Reads one view's entries into z (skipping entries already read). */
static void read_view(LLZip *z, const View *v)
{
    const uint8_t *d = z->d;
    size_t len = z->len;
    if (v->cd_start > len)
        return;
    uint64_t p = v->cd_start, k = 0;
    while (p + CD_SIZE <= len && le32(d + p) == SIG_CD &&
           (k < v->count || p < v->cd_start + v->cd_size) && z->entries.len < LL_ART_ZIP_MAX_ENTRIES) {
        const uint8_t *c = d + p;
        LLZipEntry e = {0};
        e.flags = le16(c + 8);
        e.method = le16(c + 10);
        e.crc = le32(c + 16);
        e.csize = le32(c + 20);
        e.usize = le32(c + 24);
        uint16_t nl = le16(c + 28), xl = le16(c + 30), cl = le16(c + 32);
        e.local_off = le32(c + 42);
        e.cd_off = p;
        if (p + CD_SIZE + nl + xl + cl > len)
            break;
        e.name = c + CD_SIZE;
        e.name_len = nl;
        /* ZIP64 extra field: the fields marked 0xFFFFFFFF, in order */
        const uint8_t *x = c + CD_SIZE + nl, *xe = x + xl;
        while (xe - x >= 4) {
            uint16_t id = le16(x), sz = le16(x + 2);
            const uint8_t *f = x + 4;
            if (f + sz > xe)
                break;
            if (id == 1) {
                const uint8_t *q = f, *qe = f + sz;
                if (e.usize == 0xFFFFFFFFu && qe - q >= 8) {
                    e.usize = le64(q);
                    q += 8;
                }
                if (e.csize == 0xFFFFFFFFu && qe - q >= 8) {
                    e.csize = le64(q);
                    q += 8;
                }
                if (e.local_off == 0xFFFFFFFFu && qe - q >= 8)
                    e.local_off = le64(q);
            }
            x = f + sz;
        }
        e.local_off += v->bias; /* wraps for nonsense offsets: those fail later */
        LL_VEC_PUSH(&z->entries, e);
        p += CD_SIZE + nl + xl + cl;
        k++;
    }
}

bool ll_zip_open(LLZip *z, const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    memset(z, 0, sizeof z[0]);
    z->d = data;
    z->len = len;
    size_t e;
    if (!find_eocd(data, len, &e)) {
        loc_add(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, 0, len, NULL,
                "zip archive without an end of central directory record (truncated?)");
        return false;
    }
    const uint8_t *r = data + e;
    View py = {.count = le16(r + 10), .cd_size = le32(r + 12)};
    uint64_t cd_off = le32(r + 16);
    View mz = py;
    uint64_t mz_off = cd_off;
    bool z64 = false;
    uint64_t extra = 0;
    if (e >= LOC64_SIZE && le32(data + e - LOC64_SIZE) == SIG_LOC64) {
        const uint8_t *l = data + e - LOC64_SIZE;
        uint64_t at = le64(l + 8);
        /* Python: the record right before the locator */
        if (e >= LOC64_SIZE + EOCD64_SIZE && le32(data + e - LOC64_SIZE - EOCD64_SIZE) == SIG_EOCD64) {
            const uint8_t *q = data + e - LOC64_SIZE - EOCD64_SIZE;
            py.count = le64(q + 32);
            py.cd_size = le64(q + 40);
            cd_off = le64(q + 48);
            z64 = true;
            extra = LOC64_SIZE + EOCD64_SIZE;
        }
        /* miniz: the record the locator points at */
        if (len >= EOCD64_SIZE && at <= len - EOCD64_SIZE && le32(data + at) == SIG_EOCD64) {
            const uint8_t *q = data + at;
            mz.count = le64(q + 32);
            mz.cd_size = le64(q + 40);
            mz_off = le64(q + 48);
        }
    }
    /* Python shifts offsets by the bytes before the archive (unsigned
     * arithmetic: fields are attacker-chosen 64-bit values) */
    uint64_t concat = (uint64_t)e - py.cd_size - cd_off - (z64 ? extra : 0);
    py.cd_start = cd_off + concat;
    py.bias = concat;
    mz.cd_start = mz_off;
    mz.bias = 0;
    View views[2] = {py, mz};
    unsigned nviews = 1;
    if (mz.cd_start != py.cd_start || mz.bias != py.bias || mz.count != py.count) {
        views[nviews++] = mz;
        z->divergent = true;
        snprintf(z->why, sizeof z->why,
                 "Python's zipfile reads a central directory at offset %llu, PyTorch's reader at %llu%s",
                 (unsigned long long)py.cd_start, (unsigned long long)mz.cd_start,
                 concat ? " (data before the archive)" : "");
    }
    /* members seen through several views are read once: an exact set of
     * (local header offset, name position) */
    size_t scap = 0;
    size_t *set = NULL; /* entry index + 1; 0: empty */
    for (unsigned i = 0; i < nviews; i++) {
        size_t before = z->entries.len;
        read_view(z, &views[i]);
        if ((z->entries.len + 1) * 2 > scap) {
            size_t ncap = 64;
            while (ncap < (z->entries.len + 1) * 2)
                ncap *= 2;
            size_t *ns = ll_xcalloc(ncap, sizeof *ns);
            for (size_t j = 0; j < scap; j++) {
                if (!set[j])
                    continue;
                const LLZipEntry *en = &z->entries.items[set[j] - 1];
                size_t h = (size_t)((en->local_off * 0x9E3779B97F4A7C15ull) ^ (uint64_t)(en->name - data)) & (ncap - 1);
                while (ns[h])
                    h = (h + 1) & (ncap - 1);
                ns[h] = set[j];
            }
            free(set);
            set = ns;
            scap = ncap;
        }
        size_t w = before;
        for (size_t k = before; k < z->entries.len; k++) {
            LLZipEntry en = z->entries.items[k];
            size_t h = (size_t)((en.local_off * 0x9E3779B97F4A7C15ull) ^ (uint64_t)(en.name - data)) & (scap - 1);
            bool dup = false;
            while (set[h]) {
                const LLZipEntry *o = &z->entries.items[set[h] - 1];
                if (o->local_off == en.local_off && o->name == en.name) {
                    dup = true;
                    break;
                }
                h = (h + 1) & (scap - 1);
            }
            if (dup)
                continue;
            z->entries.items[w] = en;
            set[h] = w + 1;
            w++;
        }
        z->entries.len = w;
    }
    free(set);
    z->views = nviews;
    if (z->entries.len == 0 && (py.count > 0 || mz.count > 0)) {
        loc_add(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, e, EOCD_SIZE, NULL,
                "the zip archive's central directory cannot be read (it does not start where the end "
                "record says)");
        ll_zip_close(z);
        return false;
    }
    if (z->entries.len >= LL_ART_ZIP_MAX_ENTRIES) {
        char msg[160];
        snprintf(msg, sizeof msg, "the zip archive has more than %u entries (LL_ART_ZIP_MAX_ENTRIES); the "
                                  "rest were not read",
                 LL_ART_ZIP_MAX_ENTRIES);
        loc_add(ctx, out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, e, EOCD_SIZE, NULL, msg);
    }
    return true;
}

void ll_zip_close(LLZip *z)
{
    LL_VEC_FREE(&z->entries);
}

void ll_zip_member_release(LLZipMember *m)
{
    ll_bytes_release(&m->owned);
    memset(m, 0, sizeof *m);
}

static void name_copy(const LLZipEntry *e, char *out, size_t outsz)
{
    size_t n = e->name_len < outsz - 1 ? e->name_len : outsz - 1;
    memcpy(out, e->name, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (out[i] == '\0')
            out[i] = '?';
}

bool ll_zip_read(const LLZip *z, const LLZipEntry *e, const LLArtCtx *ctx, uint64_t max, bool head_only,
                 LLZipMember *m, LLArtResult *out)
{
    memset(m, 0, sizeof *m);
    const uint8_t *d = z->d;
    size_t len = z->len;
    char name[512], msg[1200];
    name_copy(e, name, sizeof name);
    if (e->local_off > len || len - e->local_off < LOCAL_SIZE || le32(d + e->local_off) != SIG_LOCAL) {
        if (!head_only) {
            snprintf(msg, sizeof msg, "member %s: no local header at offset %llu", name,
                     (unsigned long long)e->local_off);
            loc_add(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, e->cd_off, CD_SIZE,
                    name, msg);
        }
        return false;
    }
    const uint8_t *l = d + e->local_off;
    uint64_t data_off = e->local_off + LOCAL_SIZE + le16(l + 26) + le16(l + 28);
    if (data_off > len || e->csize > len - data_off) {
        if (!head_only) {
            snprintf(msg, sizeof msg, "member %s: its %llu bytes at offset %llu go past the end of the "
                                      "archive",
                     name, (unsigned long long)e->csize, (unsigned long long)data_off);
            loc_add(ctx, out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, e->local_off,
                    LOCAL_SIZE, name, msg);
        }
        return false;
    }
    if (!head_only) {
        uint16_t lnl = le16(l + 26);
        if (lnl != e->name_len || memcmp(l + LOCAL_SIZE, e->name, lnl) != 0) {
            snprintf(msg, sizeof msg,
                     "member %s is named differently in its local header: Python's zipfile refuses it, "
                     "PyTorch reads it",
                     name);
            loc_add(ctx, out, ART_CHECK_ZIP_DIVERGENCE, LL_SEV_NOTE, LL_ART_SAFE, e->local_off, LOCAL_SIZE,
                    name, msg);
        }
        if (e->flags & ZIP_ODD_FLAGS) {
            snprintf(msg, sizeof msg,
                     "member %s has general purpose flag bits 0x%04x (encryption or patch data) set on "
                     "data that reads as plain: zipfile refuses it, PyTorch loads it; read as plain",
                     name, e->flags & ZIP_ODD_FLAGS);
            loc_add(ctx, out, ART_CHECK_ZIP_FLAGS, LL_SEV_NOTE, LL_ART_SAFE, e->cd_off, CD_SIZE, name, msg);
        }
    }
    const uint8_t *src = d + data_off;
    size_t n = (size_t)e->csize;
    if (e->method == 0) {
        m->data = src;
        m->len = head_only && n > LL_ART_SNIFF_BYTES ? LL_ART_SNIFF_BYTES : n;
        m->complete = !head_only || n <= LL_ART_SNIFF_BYTES;
    } else {
        LLCompressKind k = e->method == 8    ? LL_COMPRESS_DEFLATE
                           : e->method == 12 ? LL_COMPRESS_BZ2
                           : e->method == 14 ? LL_COMPRESS_ZIP_LZMA
                                             : LL_COMPRESS_NONE;
        if (k == LL_COMPRESS_NONE) {
            if (!head_only) {
                char sub[16];
                snprintf(sub, sizeof sub, "method %u", e->method);
                snprintf(msg, sizeof msg, "member %s: compression method %u cannot be read here", name,
                         e->method);
                loc_add(ctx, out, ART_CHECK_UNSUPPORTED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, e->cd_off,
                        CD_SIZE, name, msg);
            }
            return false;
        }
        uint64_t lim = head_only ? LL_ART_SNIFF_BYTES : max;
        char err[256];
        LLDecompStatus st = ll_decompress(k, src, n, lim, &m->owned, err, sizeof err);
        m->data = m->owned.data;
        m->len = m->owned.len;
        m->complete = st == LL_DECOMP_OK;
        if (!head_only && st != LL_DECOMP_OK) {
            const char *check = st == LL_DECOMP_LIMIT ? ART_CHECK_LIMIT
                                : st == LL_DECOMP_UNSUPPORTED ? ART_CHECK_UNSUPPORTED
                                                              : ART_CHECK_MALFORMED;
            if (st == LL_DECOMP_LIMIT)
                snprintf(msg, sizeof msg,
                         "member %s expands past %llu bytes (the decompression limit: a zip bomb?); its "
                         "first %zu bytes were read",
                         name, (unsigned long long)lim, m->len);
            else
                snprintf(msg, sizeof msg, "member %s: %s (%zu bytes read)", name, err, m->len);
            loc_add(ctx, out, check, LL_SEV_WARNING, LL_ART_UNSCANNABLE, e->local_off, LOCAL_SIZE, name, msg);
        }
        if (!m->len && st != LL_DECOMP_OK)
            return false;
    }
    if (!head_only && m->complete) {
        uLong crc = crc32(0L, Z_NULL, 0);
        const uint8_t *p = m->data;
        size_t left = m->len;
        while (left) {
            uInt k = left > (1u << 30) ? (1u << 30) : (uInt)left;
            crc = crc32(crc, p, k);
            p += k;
            left -= k;
        }
        if ((uint32_t)crc != e->crc) {
            snprintf(msg, sizeof msg,
                     "member %s has CRC-32 %08x, its directory says %08x: zipfile refuses it, PyTorch "
                     "loads it; it was read",
                     name, (unsigned)crc, (unsigned)e->crc);
            loc_add(ctx, out, ART_CHECK_ZIP_CRC, LL_SEV_NOTE, LL_ART_SAFE, e->cd_off, CD_SIZE, name, msg);
        }
    }
    return true;
}

/* ---- the container ------------------------------------------------------------- */

enum { K_SKIP = 0, K_TENSOR, K_PICKLE, K_OTHER };

static bool ends_with_ci(const uint8_t *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        uint8_t c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c - 'A' + 'a');
        if (c != (uint8_t)suffix[i])
            return false;
    }
    return true;
}

static bool unsafe_name(const uint8_t *s, size_t n)
{
    if (!n)
        return false;
    if (s[0] == '/' || s[0] == '\\')
        return true;
    if (n >= 2 && s[1] == ':' && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
        return true;
    /* a ".." segment */
    for (const uint8_t *p = memchr(s, '.', n); p && p + 1 < s + n; p = memchr(p + 1, '.', (size_t)(s + n - p - 1))) {
        if (p[1] != '.')
            continue;
        bool start = p == s || p[-1] == '/' || p[-1] == '\\';
        bool end = p + 2 == s + n || p[2] == '/' || p[2] == '\\';
        if (start && end)
            return true;
    }
    return false;
}

const char *ll_zip_scan(const LLArtCtx *ctx, const uint8_t *data, size_t len, LLArtResult *out)
{
    LLZip z;
    if (!ll_zip_open(&z, ctx, data, len, out))
        return "zip";
    LLTorchLayout L;
    ll_torch_zip_layout(&z, &L);
    size_t n = z.entries.len;
    uint8_t *kinds = ll_xcalloc(n ? n : 1, 1);
    LLArtKind *sub = ll_xcalloc(n ? n : 1, sizeof *sub);
    bool model = L.is_torch || L.is_torchscript;
    size_t npy = 0, files = 0;
    for (size_t i = 0; i < n; i++) {
        const LLZipEntry *e = &z.entries.items[i];
        if (e->name_len && e->name[e->name_len - 1] == '/')
            continue;
        files++;
        if (e->csize == 0 && e->usize == 0)
            continue;
        if (L.is_torch && ll_torch_zip_tensor_member(&L, e)) {
            kinds[i] = K_TENSOR;
            continue;
        }
        if (ends_with_ci(e->name, e->name_len, ".pkl") || ends_with_ci(e->name, e->name_len, ".pickle")) {
            kinds[i] = K_PICKLE;
            model = true;
            continue;
        }
        LLZipMember m;
        if (ll_zip_read(&z, e, ctx, 0, true, &m, out)) {
            char nm[256];
            name_copy(e, nm, sizeof nm);
            LLArtKind k = ll_art_sniff(nm, m.data, m.len);
            if (k != LL_ART_KIND_NONE && k != LL_ART_KIND_LFS) {
                kinds[i] = K_OTHER;
                sub[i] = k;
                model = true;
                npy += k == LL_ART_KIND_NPY;
            }
        }
        ll_zip_member_release(&m);
    }
    if (!model) {
        free(kinds);
        free(sub);
        ll_zip_close(&z);
        return NULL;
    }
    char msg[1200], name[512];
    if (z.divergent) {
        snprintf(msg, sizeof msg, "%s; the members of both were read", z.why);
        loc_add(ctx, out, ART_CHECK_ZIP_DIVERGENCE, LL_SEV_NOTE, LL_ART_SAFE, 0, len, NULL, msg);
    }
    /* duplicates among the members a loader reads (tensor data is looked
     * up by key through data.pkl, and never read here) */
    LLStrMap names;
    ll_strmap_init(&names);
    for (size_t i = 0; i < n; i++) {
        const LLZipEntry *e = &z.entries.items[i];
        if (kinds[i] == K_TENSOR) {
            if (unsafe_name(e->name, e->name_len)) {
                name_copy(e, name, sizeof name);
                snprintf(msg, sizeof msg, "member name %s leaves the extraction folder (absolute or \"..\")",
                         name);
                loc_add(ctx, out, ART_CHECK_ARCHIVE_UNSAFE_PATH, LL_SEV_NOTE, LL_ART_SAFE, e->cd_off, CD_SIZE,
                        name, msg);
            }
            continue;
        }
        name_copy(e, name, sizeof name);
        LLStrMapSlot *s = ll_strmap_slot(&names, (const char *)e->name, e->name_len, 0);
        if (++s->value == 2) {
            snprintf(msg, sizeof msg,
                     "two members are named %s: Python's zipfile reads the last, PyTorch's reader may "
                     "read another; all were read",
                     name);
            loc_add(ctx, out, ART_CHECK_ARCHIVE_DUPLICATE, LL_SEV_NOTE, LL_ART_SAFE, e->cd_off, CD_SIZE, name,
                    msg);
        }
        if (s->value == 1 && unsafe_name(e->name, e->name_len)) {
            snprintf(msg, sizeof msg, "member name %s leaves the extraction folder (absolute or \"..\")",
                     name);
            loc_add(ctx, out, ART_CHECK_ARCHIVE_UNSAFE_PATH, LL_SEV_NOTE, LL_ART_SAFE, e->cd_off, CD_SIZE,
                    name, msg);
        }
    }
    ll_strmap_release(&names);
    if (L.is_torchscript) {
        name_copy(L.first_code, name, sizeof name);
        snprintf(msg, sizeof msg,
                 "a TorchScript archive: its code (%s and the rest of code/) runs when torch.jit.load or "
                 "torch.load loads it",
                 name);
        loc_add(ctx, out, ART_CHECK_TORCHSCRIPT_CODE, LL_SEV_WARNING, LL_ART_SUSPICIOUS, L.first_code->cd_off,
                CD_SIZE, name, msg);
    }
    /* PyTorch's unpickler reads its members as plain pickles; other *.pkl
     * members may be joblib dumps */
    unsigned flags = (L.is_torchscript ? LL_PICKLE_TORCHSCRIPT : 0) | (L.is_torch ? LL_PICKLE_PLAIN : 0);
    uint64_t max = ll_art_ctx_max_decompressed(ctx);
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] != K_PICKLE && kinds[i] != K_OTHER)
            continue;
        const LLZipEntry *e = &z.entries.items[i];
        char *mname = ll_xstrndup((const char *)e->name, e->name_len);
        LLArtCtx child;
        if (ll_art_ctx_enter(ctx, mname, e->local_off, &child, out)) {
            LLZipMember m;
            if (ll_zip_read(&z, e, ctx, max, false, &m, out)) {
                if (ctx->budget && m.owned.len)
                    *ctx->budget -= m.owned.len < *ctx->budget ? m.owned.len : *ctx->budget;
                if (kinds[i] == K_PICKLE)
                    ll_pickle_scan(&child, m.data, 0, m.len, flags, out);
                else
                    ll_art_scan_as(&child, sub[i], m.data, m.len, out);
            }
            ll_zip_member_release(&m);
        }
        free(mname);
    }
    free(kinds);
    free(sub);
    ll_zip_close(&z);
    if (L.is_torchscript)
        return "torchscript";
    if (L.is_torch)
        return "pytorch-zip";
    if (npy && npy == files)
        return "numpy-npz";
    return "zip";
}
