#include "artifact/hdf5.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const uint8_t g_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

/* Message types read (HDF5 file format specification, IV.A.2). */
enum {
    MSG_ATTRIBUTE = 0x000C,
    MSG_CONTINUATION = 0x0010,
    MSG_ATTRIBUTE_INFO = 0x0015,
};

typedef struct Huge {
    uint64_t id, addr, len;
} Huge;

typedef struct H {
    const uint8_t *d;
    size_t len;
    uint64_t base; /* absolute offset addresses are relative to */
    unsigned so, sl; /* sizes of offsets and lengths */
    LLHdf5Root *root;
    char *err;
    size_t errsz;
    uint64_t at;
    bool failed, is_limit;
} H;

typedef struct Heap {
    unsigned id_len, filter_len, flags;
    uint64_t max_man, huge_bt2, start, max_direct, root;
    unsigned width, max_heap_bits, cur_rows;
    unsigned off_size, len_size;
    unsigned start_bits, first_row_bits, max_direct_rows, max_rows;
    bool huge_loaded;
    LL_VEC(Huge) huge;
} Heap;

static bool fail(H *h, uint64_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(H *h, uint64_t at, const char *fmt, ...)
{
    if (!h->failed) {
        h->failed = true;
        h->at = at;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(h->err, h->errsz, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool limit(H *h, uint64_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool limit(H *h, uint64_t at, const char *fmt, ...)
{
    if (!h->failed) {
        h->failed = true;
        h->is_limit = true;
        h->at = at;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(h->err, h->errsz, fmt, ap);
        va_end(ap);
    }
    return false;
}

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool undefined_addr(uint64_t a, unsigned so)
{
    return so >= 8 ? a == UINT64_MAX : a == (((uint64_t)1 << (8 * so)) - 1);
}

/* The absolute position of address `addr` with n bytes behind it. */
static bool locate(H *h, uint64_t addr, uint64_t n, uint64_t *pos, const char *what)
{
    *pos = 0;
    if (undefined_addr(addr, h->so))
        return fail(h, 0, "%s has an undefined address", what);
    if (addr > h->len - h->base || n > h->len - h->base - addr)
        return fail(h, addr, "%s at address %llu (%llu bytes) lies past the end of the file",
                    what, (unsigned long long)addr, (unsigned long long)n);
    *pos = h->base + addr;
    return true;
}

static unsigned floor_log2(uint64_t v)
{
    unsigned r = 0;
    while (v >>= 1)
        r++;
    return r;
}

static bool pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

/* ------------------------------------------------------------------ */
/* Strings: datatypes, dataspaces, the global heap                     */

/* The number of elements a dataspace message describes. */
static bool dataspace_count(H *h, const uint8_t *ds, uint64_t dslen, uint64_t pos,
                            uint64_t *count)
{
    if (dslen < 4)
        return fail(h, pos, "attribute dataspace message too short");
    unsigned ver = ds[0], rank = ds[1];
    uint64_t dims_at;
    if (ver == 1) {
        dims_at = 8;
        if (rank == 0) {
            *count = 1;
            return true;
        }
    } else if (ver == 2) {
        dims_at = 4;
        if (ds[3] == 0) {
            *count = 1;
            return true;
        }
        if (ds[3] == 2) {
            *count = 0;
            return true;
        }
    } else {
        return fail(h, pos, "unknown dataspace message version %u", ver);
    }
    if (rank > 32 || dims_at + (uint64_t)rank * h->sl > dslen)
        return fail(h, pos, "attribute dataspace of rank %u does not fit its message", rank);
    uint64_t n = 1;
    for (unsigned i = 0; i < rank; i++) {
        uint64_t d = rd(ds + dims_at + (uint64_t)i * h->sl, h->sl);
        if (d && n > UINT64_MAX / d)
            n = UINT64_MAX;
        else
            n *= d;
    }
    *count = n;
    return true;
}

/* Object `index` of the global heap collection at `addr`. */
static bool global_heap_object(H *h, uint64_t addr, uint32_t index, uint64_t want,
                               uint64_t *pos, const char **problem)
{
    uint64_t p;
    if (!locate(h, addr, 8 + h->sl, &p, "global heap collection"))
        return false;
    if (memcmp(h->d + p, "GCOL", 4) != 0)
        return fail(h, p, "no global heap collection (GCOL) at address %llu",
                    (unsigned long long)addr);
    uint64_t csize = rd(h->d + p + 8, h->sl);
    if (csize < 8 + (uint64_t)h->sl || csize > h->len - p)
        return fail(h, p, "global heap collection of %llu bytes runs past the end of the file",
                    (unsigned long long)csize);
    uint64_t q = p + 8 + h->sl, end = p + csize;
    uint64_t hdr = 8 + (uint64_t)h->sl;
    while (end - q >= hdr) {
        uint32_t idx = (uint32_t)rd(h->d + q, 2);
        uint64_t osize = rd(h->d + q + 8, h->sl);
        if (idx == 0)
            break; /* free space: the rest of the collection */
        if (osize > end - q - hdr)
            return fail(h, q, "global heap object %u runs past its collection", idx);
        if (idx == index) {
            if (want > osize)
                return fail(h, q, "a variable-length string of %llu bytes is longer than its "
                                  "global heap object (%llu bytes)",
                            (unsigned long long)want, (unsigned long long)osize);
            *pos = q + hdr;
            return true;
        }
        uint64_t step = hdr + ((osize + 7) & ~(uint64_t)7);
        if (step > end - q)
            break;
        q += step;
    }
    *problem = "its variable-length string is missing from the global heap";
    return true;
}

/* Reads an attribute's value as one string into v. */
static bool attribute_string(H *h, LLHdf5Value *v, const uint8_t *dt, uint64_t dtlen,
                             uint64_t count, const uint8_t *data, uint64_t datalen,
                             uint64_t data_pos)
{
    if (dtlen < 8) {
        v->problem = "its datatype message is too short";
        return true;
    }
    unsigned cls = dt[0] & 0x0f;
    uint64_t size = rd(dt + 4, 4);
    if (count != 1) {
        v->problem = "it is not a single string";
        return true;
    }
    if (cls == 3) { /* fixed-length string */
        if (size > datalen) {
            v->problem = "its fixed-length string runs past the attribute message";
            return true;
        }
        unsigned pad = dt[1] & 0x0f;
        uint64_t n = size;
        if (pad == 0 || pad == 1) { /* null-terminated / null-padded */
            const uint8_t *z = memchr(data, 0, (size_t)n);
            if (z)
                n = (uint64_t)(z - data);
        } else {
            while (n && data[n - 1] == ' ')
                n--;
        }
        v->data = data;
        v->len = (size_t)n;
        v->offset = data_pos;
        return true;
    }
    if (cls == 9 && (dt[1] & 0x0f) == 1) { /* variable-length string */
        uint64_t elem = 4 + (uint64_t)h->so + 4;
        if (elem > datalen) {
            v->problem = "its variable-length string reference runs past the attribute message";
            return true;
        }
        uint64_t n = rd(data, 4), addr = rd(data + 4, h->so);
        uint32_t index = (uint32_t)rd(data + 4 + h->so, 4);
        if (n == 0) {
            v->data = data;
            v->len = 0;
            v->offset = data_pos;
            return true;
        }
        uint64_t pos = 0;
        if (!global_heap_object(h, addr, index, n, &pos, &v->problem))
            return false;
        if (v->problem)
            return true;
        v->data = h->d + pos;
        v->len = (size_t)n;
        v->offset = pos;
        return true;
    }
    v->problem = "it is not a string";
    return true;
}

static LLHdf5Value *interesting(H *h, const uint8_t *name, uint64_t n)
{
    static const char *const names[] = {"model_config", "training_config", "keras_version",
                                        "backend"};
    LLHdf5Value *slots[] = {&h->root->model_config, &h->root->training_config,
                            &h->root->keras_version, &h->root->backend};
    for (size_t i = 0; i < 4; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, (size_t)n) == 0)
            return slots[i];
    return NULL;
}

static uint64_t pad8(uint64_t v)
{
    return (v + 7) & ~(uint64_t)7;
}

/* An attribute message at pos (size bytes). */
static bool attribute_message(H *h, uint64_t pos, uint64_t size, unsigned msg_flags)
{
    if (++h->root->nattributes > LL_HDF5_MAX_ATTRIBUTES)
        return limit(h, pos, "more than LL_HDF5_MAX_ATTRIBUTES (%u) attributes on the root group",
                     LL_HDF5_MAX_ATTRIBUTES);
    if (msg_flags & 0x02) { /* shared (SOHM): stored elsewhere */
        h->root->unread_shared++;
        return true;
    }
    const uint8_t *m = h->d + pos;
    if (size < 8)
        return fail(h, pos, "attribute message too short (%llu bytes)", (unsigned long long)size);
    unsigned ver = m[0], flags = m[1];
    uint64_t name_size = rd(m + 2, 2), dt_size = rd(m + 4, 2), ds_size = rd(m + 6, 2);
    uint64_t q = 8;
    if (ver == 3)
        q = 9;
    else if (ver != 1 && ver != 2)
        return fail(h, pos, "unknown attribute message version %u", ver);
    uint64_t name_span = ver == 1 ? pad8(name_size) : name_size;
    uint64_t dt_span = ver == 1 ? pad8(dt_size) : dt_size;
    uint64_t ds_span = ver == 1 ? pad8(ds_size) : ds_size;
    if (name_span > size - q || dt_span > size - q - name_span ||
        ds_span > size - q - name_span - dt_span)
        return fail(h, pos, "attribute message parts run past its end");
    /* the name size counts its NUL */
    uint64_t nlen = name_size;
    const uint8_t *name = m + q;
    const uint8_t *z = memchr(name, 0, (size_t)nlen);
    if (z)
        nlen = (uint64_t)(z - name);
    LLHdf5Value *v = interesting(h, name, nlen);
    if (!v || v->present)
        return true;
    v->present = true;
    if (ver >= 2 && (flags & 0x03)) {
        v->problem = "its datatype or dataspace is shared (not read)";
        return true;
    }
    const uint8_t *dt = m + q + name_span;
    const uint8_t *ds = dt + dt_span;
    const uint8_t *data = ds + ds_span;
    uint64_t datalen = size - q - name_span - dt_span - ds_span;
    uint64_t count = 0;
    if (!dataspace_count(h, ds, ds_size, pos, &count))
        return false;
    return attribute_string(h, v, dt, dt_size, count, data, datalen,
                            (uint64_t)(data - h->d));
}

/* ------------------------------------------------------------------ */
/* v2 B-trees                                                         */

typedef bool (*RecordFn)(H *h, const uint8_t *rec, uint64_t rec_pos, void *ctx);

typedef struct BtNode {
    uint64_t addr, nrec;
    unsigned depth;
} BtNode;

static bool bt2_walk(H *h, uint64_t addr, unsigned type, uint64_t min_rec, RecordFn fn,
                     void *ctx)
{
    uint64_t p;
    const unsigned so = h->so;
    if (!locate(h, addr, 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + so + 2 + h->sl + 4, &p, "v2 B-tree header"))
        return false;
    const uint8_t *b = h->d + p;
    if (memcmp(b, "BTHD", 4) != 0)
        return fail(h, p, "no v2 B-tree header (BTHD) at address %llu", (unsigned long long)addr);
    if (b[4] != 0)
        return fail(h, p, "unknown v2 B-tree version %u", b[4]);
    if (b[5] != type)
        return fail(h, p, "v2 B-tree of record type %u where type %u was expected", b[5], type);
    uint64_t node_size = rd(b + 6, 4), rec_size = rd(b + 10, 2), depth = rd(b + 12, 2);
    uint64_t root = rd(b + 16, so), root_nrec = rd(b + 16 + so, 2);
    if (rec_size < min_rec || node_size < 10 + rec_size || node_size > (1u << 24))
        return fail(h, p, "v2 B-tree with node size %llu and record size %llu",
                    (unsigned long long)node_size, (unsigned long long)rec_size);
    if (depth > LL_HDF5_MAX_BTREE_DEPTH)
        return limit(h, p, "v2 B-tree deeper than LL_HDF5_MAX_BTREE_DEPTH (%u)",
                     LL_HDF5_MAX_BTREE_DEPTH);
    /* records per node and the widths of the child record counts, per
     * depth (as the library computes them) */
    uint64_t max_nrec[LL_HDF5_MAX_BTREE_DEPTH + 1], cum_max[LL_HDF5_MAX_BTREE_DEPTH + 1];
    unsigned cum_size[LL_HDF5_MAX_BTREE_DEPTH + 1];
    max_nrec[0] = (node_size - 10) / rec_size;
    if (max_nrec[0] == 0)
        return fail(h, p, "v2 B-tree leaves hold no record");
    cum_max[0] = max_nrec[0];
    cum_size[0] = 0;
    unsigned max_nrec_size = floor_log2(max_nrec[0]) / 8 + 1;
    for (unsigned u = 1; u <= depth; u++) {
        uint64_t ptr = so + max_nrec_size + (u > 1 ? cum_size[u - 1] : 0);
        if (node_size < 10 + ptr)
            return fail(h, p, "v2 B-tree internal nodes hold no record");
        max_nrec[u] = (node_size - (10 + ptr)) / (rec_size + ptr);
        if (max_nrec[u] == 0)
            return fail(h, p, "v2 B-tree internal nodes hold no record");
        uint64_t c = cum_max[u - 1];
        if (c > UINT64_MAX / (max_nrec[u] + 1) - max_nrec[u])
            cum_max[u] = UINT64_MAX;
        else
            cum_max[u] = (max_nrec[u] + 1) * c + max_nrec[u];
        cum_size[u] = floor_log2(cum_max[u]) / 8 + 1;
    }
    if (undefined_addr(root, so) || root_nrec == 0)
        return true; /* empty */
    LL_VEC(BtNode) stack = {0};
    BtNode first = {root, root_nrec, (unsigned)depth};
    LL_VEC_PUSH(&stack, first);
    unsigned visited = 0;
    bool ok = true;
    while (stack.len && ok) {
        BtNode n = stack.items[--stack.len];
        if (++visited > LL_HDF5_MAX_BTREE_NODES) {
            ok = limit(h, n.addr, "v2 B-tree with more than LL_HDF5_MAX_BTREE_NODES (%u) nodes",
                       LL_HDF5_MAX_BTREE_NODES);
            break;
        }
        if (n.nrec > max_nrec[n.depth]) {
            ok = fail(h, n.addr, "v2 B-tree node claims %llu records (at most %llu fit)",
                      (unsigned long long)n.nrec, (unsigned long long)max_nrec[n.depth]);
            break;
        }
        uint64_t q;
        if (!(ok = locate(h, n.addr, node_size, &q, "v2 B-tree node")))
            break;
        const uint8_t *nb = h->d + q;
        const char *sig = n.depth ? "BTIN" : "BTLF";
        if (memcmp(nb, sig, 4) != 0 || nb[4] != 0 || nb[5] != type) {
            ok = fail(h, q, "no v2 B-tree %s node (%s) at address %llu",
                      n.depth ? "internal" : "leaf", sig, (unsigned long long)n.addr);
            break;
        }
        uint64_t recs = 6;
        for (uint64_t i = 0; i < n.nrec && ok; i++)
            ok = fn(h, nb + recs + i * rec_size, q + recs + i * rec_size, ctx);
        if (!ok || n.depth == 0)
            continue;
        uint64_t cp = recs + n.nrec * rec_size;
        uint64_t ptr_size = so + max_nrec_size + (n.depth > 1 ? cum_size[n.depth - 1] : 0);
        if ((n.nrec + 1) * ptr_size > node_size - 4 - cp) {
            ok = fail(h, q, "v2 B-tree internal node pointers run past the node");
            break;
        }
        for (uint64_t i = n.nrec + 1; i-- > 0;) {
            const uint8_t *pp = nb + cp + i * ptr_size;
            BtNode c = {rd(pp, so), rd(pp + so, max_nrec_size), n.depth - 1};
            if (c.nrec == 0)
                continue;
            LL_VEC_PUSH(&stack, c);
        }
    }
    LL_VEC_FREE(&stack);
    return ok && !h->failed;
}

/* ------------------------------------------------------------------ */
/* Fractal heaps                                                      */

static bool heap_open(H *h, uint64_t addr, Heap *hp)
{
    memset(hp, 0, sizeof *hp);
    const unsigned so = h->so, sl = h->sl;
    uint64_t fixed = 4 + 1 + 2 + 2 + 1 + 4 + sl + so + sl + so + sl + sl + sl + sl + sl + sl + sl +
                     sl + 2 + sl + sl + 2 + 2 + so + 2;
    uint64_t p;
    if (!locate(h, addr, fixed, &p, "fractal heap header"))
        return false;
    const uint8_t *b = h->d + p;
    if (memcmp(b, "FRHP", 4) != 0)
        return fail(h, p, "no fractal heap header (FRHP) at address %llu",
                    (unsigned long long)addr);
    if (b[4] != 0)
        return fail(h, p, "unknown fractal heap version %u", b[4]);
    uint64_t q = 5;
    hp->id_len = (unsigned)rd(b + q, 2);
    q += 2;
    hp->filter_len = (unsigned)rd(b + q, 2);
    q += 2;
    hp->flags = b[q];
    q += 1;
    hp->max_man = rd(b + q, 4);
    q += 4;
    q += sl; /* next huge ID */
    hp->huge_bt2 = rd(b + q, so);
    q += so;
    q += sl + so + sl + sl + sl + sl + sl + sl + sl + sl; /* free space ... tiny count */
    hp->width = (unsigned)rd(b + q, 2);
    q += 2;
    hp->start = rd(b + q, sl);
    q += sl;
    hp->max_direct = rd(b + q, sl);
    q += sl;
    hp->max_heap_bits = (unsigned)rd(b + q, 2);
    q += 2;
    q += 2; /* starting rows of the root indirect block */
    hp->root = rd(b + q, so);
    q += so;
    hp->cur_rows = (unsigned)rd(b + q, 2);
    if (hp->id_len < 2 || hp->id_len > 4096)
        return fail(h, p, "fractal heap with %u-byte IDs", hp->id_len);
    if (!pow2(hp->width) || hp->width > 65536 || !pow2(hp->start) || !pow2(hp->max_direct) ||
        hp->max_direct < hp->start || hp->max_heap_bits == 0 || hp->max_heap_bits > 64)
        return fail(h, p, "fractal heap with an impossible doubling table (width %u, blocks "
                          "%llu..%llu, %u address bits)",
                    hp->width, (unsigned long long)hp->start, (unsigned long long)hp->max_direct,
                    hp->max_heap_bits);
    hp->start_bits = floor_log2(hp->start);
    hp->first_row_bits = hp->start_bits + floor_log2(hp->width);
    unsigned direct_bits = floor_log2(hp->max_direct);
    if (hp->first_row_bits > hp->max_heap_bits || direct_bits >= 64)
        return fail(h, p, "fractal heap whose first row exceeds its address space");
    hp->max_direct_rows = direct_bits - hp->start_bits + 2;
    hp->max_rows = hp->max_heap_bits - hp->first_row_bits + 1;
    hp->off_size = (hp->max_heap_bits + 7) / 8;
    unsigned a = (direct_bits + 7) / 8;
    unsigned bsz = hp->max_man ? floor_log2(hp->max_man) / 8 + 1 : 1;
    hp->len_size = a < bsz ? a : bsz;
    if (hp->cur_rows > hp->max_rows)
        return fail(h, p, "fractal heap root with %u rows (at most %u)", hp->cur_rows,
                    hp->max_rows);
    return true;
}

static uint64_t row_size(const Heap *hp, unsigned row)
{
    return row == 0 ? hp->start : hp->start << (row - 1);
}

static uint64_t row_off(const Heap *hp, unsigned row)
{
    return row == 0 ? 0 : (uint64_t)1 << (hp->first_row_bits + row - 1);
}

/* A managed object: heap offset `off`, length `n` -> its file position. */
static bool heap_managed(H *h, Heap *hp, uint64_t off, uint64_t n, uint64_t *pos)
{
    const unsigned so = h->so;
    if (hp->filter_len)
        return limit(h, 0, "filtered (compressed) fractal heap blocks are not read");
    uint64_t block_off = 0, iaddr = hp->root, dblock, dsize, doff;
    unsigned nrows = hp->cur_rows;
    if (hp->max_heap_bits < 64 && off >> hp->max_heap_bits)
        return fail(h, 0, "heap object offset %llu outside the heap's address space",
                    (unsigned long long)off);
    if (nrows == 0) {
        dblock = hp->root;
        dsize = hp->start;
        doff = 0;
    } else {
        unsigned level = 0;
        for (;;) {
            if (++level > LL_HDF5_MAX_HEAP_DEPTH)
                return limit(h, iaddr, "fractal heap deeper than LL_HDF5_MAX_HEAP_DEPTH (%u)",
                             LL_HDF5_MAX_HEAP_DEPTH);
            uint64_t rel = off - block_off;
            unsigned row;
            uint64_t col;
            if (rel < ((uint64_t)hp->width << hp->start_bits)) {
                row = 0;
                col = rel >> hp->start_bits;
            } else {
                row = floor_log2(rel) - hp->first_row_bits + 1;
                col = (rel - row_off(hp, row)) / row_size(hp, row);
            }
            if (row >= nrows || col >= hp->width)
                return fail(h, iaddr, "heap object offset %llu outside its indirect block",
                            (unsigned long long)off);
            unsigned drows = nrows < hp->max_direct_rows ? nrows : hp->max_direct_rows;
            unsigned irows = nrows - drows;
            uint64_t hdr = 5 + (uint64_t)so + hp->off_size;
            uint64_t dentry = so;
            uint64_t total = hdr + (uint64_t)drows * hp->width * dentry +
                             (uint64_t)irows * hp->width * so + 4;
            uint64_t ip;
            if (!locate(h, iaddr, total, &ip, "fractal heap indirect block"))
                return false;
            if (memcmp(h->d + ip, "FHIB", 4) != 0)
                return fail(h, ip, "no fractal heap indirect block (FHIB) at address %llu",
                            (unsigned long long)iaddr);
            uint64_t ent_off;
            if (row < hp->max_direct_rows)
                ent_off = hdr + ((uint64_t)row * hp->width + col) * dentry;
            else
                ent_off = hdr + (uint64_t)drows * hp->width * dentry +
                          ((uint64_t)(row - hp->max_direct_rows) * hp->width + col) * so;
            uint64_t child = rd(h->d + ip + ent_off, so);
            uint64_t child_off = block_off + row_off(hp, row) + col * row_size(hp, row);
            if (row < hp->max_direct_rows) {
                dblock = child;
                dsize = row_size(hp, row);
                doff = child_off;
                break;
            }
            unsigned child_rows = floor_log2(row_size(hp, row)) - hp->first_row_bits + 1;
            if (undefined_addr(child, so))
                return fail(h, ip, "heap object in an unallocated indirect block");
            iaddr = child;
            block_off = child_off;
            nrows = child_rows;
        }
    }
    uint64_t dh = 5 + (uint64_t)so + hp->off_size + ((hp->flags & 0x02) ? 4 : 0);
    uint64_t in = off - doff;
    if (undefined_addr(dblock, so))
        return fail(h, 0, "heap object in an unallocated direct block");
    uint64_t dp;
    if (!locate(h, dblock, dh, &dp, "fractal heap direct block"))
        return false;
    if (memcmp(h->d + dp, "FHDB", 4) != 0)
        return fail(h, dp, "no fractal heap direct block (FHDB) at address %llu",
                    (unsigned long long)dblock);
    if (in < dh || n > dsize || in > dsize - n)
        return fail(h, dp, "heap object (offset %llu, %llu bytes) outside its direct block",
                    (unsigned long long)off, (unsigned long long)n);
    return locate(h, dblock + in, n, pos, "heap object");
}

static bool huge_record(H *h, const uint8_t *rec, uint64_t rec_pos, void *ctx)
{
    (void)rec_pos;
    Heap *hp = ctx;
    if (hp->huge.len >= LL_HDF5_MAX_HUGE_OBJECTS)
        return limit(h, rec_pos, "more than LL_HDF5_MAX_HUGE_OBJECTS (%u) huge heap objects",
                     LL_HDF5_MAX_HUGE_OBJECTS);
    Huge g = {rd(rec + h->so + h->sl, h->sl), rd(rec, h->so), rd(rec + h->so, h->sl)};
    LL_VEC_PUSH(&hp->huge, g);
    return true;
}

/* The file position and length of the object a heap ID names. */
static bool heap_object(H *h, Heap *hp, const uint8_t *id, uint64_t id_pos, uint64_t *pos,
                        uint64_t *n)
{
    unsigned flag = id[0];
    if (flag >> 6)
        return fail(h, id_pos, "unknown fractal heap ID version %u", flag >> 6);
    unsigned type = (flag >> 4) & 3;
    if (type == 0) {
        if (1 + hp->off_size + hp->len_size > hp->id_len)
            return fail(h, id_pos, "managed heap ID does not fit its %u bytes", hp->id_len);
        uint64_t off = rd(id + 1, hp->off_size), len = rd(id + 1 + hp->off_size, hp->len_size);
        *n = len;
        return heap_managed(h, hp, off, len, pos);
    }
    if (type == 1) {
        if (hp->filter_len)
            return limit(h, id_pos, "filtered huge heap objects are not read");
        if (hp->id_len - 1u >= h->so + h->sl) {
            uint64_t addr = rd(id + 1, h->so), len = rd(id + 1 + h->so, h->sl);
            *n = len;
            return locate(h, addr, len, pos, "huge heap object");
        }
        unsigned idsz = hp->id_len - 1 < 8 ? hp->id_len - 1 : 8;
        uint64_t hid = rd(id + 1, idsz);
        if (!hp->huge_loaded) {
            hp->huge_loaded = true;
            if (!bt2_walk(h, hp->huge_bt2, 1, (uint64_t)h->so + 2u * h->sl, huge_record, hp))
                return false;
        }
        for (size_t i = 0; i < hp->huge.len; i++)
            if (hp->huge.items[i].id == hid) {
                *n = hp->huge.items[i].len;
                return locate(h, hp->huge.items[i].addr, *n, pos, "huge heap object");
            }
        return fail(h, id_pos, "huge heap object %llu is not in the heap's B-tree",
                    (unsigned long long)hid);
    }
    if (type == 2) {
        bool extended = hp->id_len > 18;
        uint64_t len, at;
        if (!extended) {
            len = (uint64_t)(flag & 0x0f) + 1;
            at = 1;
        } else {
            len = (((uint64_t)(flag & 0x0f) << 8) | id[1]) + 1;
            at = 2;
        }
        if (len > hp->id_len - at)
            return fail(h, id_pos, "tiny heap object longer than its ID");
        *pos = id_pos + at;
        *n = len;
        return true;
    }
    return fail(h, id_pos, "unknown fractal heap ID type %u", type);
}

typedef struct DenseCtx {
    Heap heap;
} DenseCtx;

/* A record of the attribute name index (type 8): heap ID (8), flags (1),
 * creation order (4), name hash (4). */
static bool name_record(H *h, const uint8_t *rec, uint64_t rec_pos, void *ctx)
{
    DenseCtx *dc = ctx;
    if (dc->heap.id_len > 8)
        return fail(h, rec_pos, "attribute heap IDs of %u bytes (8 expected)", dc->heap.id_len);
    uint64_t pos = 0, n = 0;
    if (!heap_object(h, &dc->heap, rec, rec_pos, &pos, &n))
        return false;
    return attribute_message(h, pos, n, rec[8]);
}

static bool dense_attributes(H *h, const uint8_t *m, uint64_t size, uint64_t pos)
{
    if (size < 2)
        return fail(h, pos, "attribute info message too short");
    if (m[0] != 0)
        return fail(h, pos, "unknown attribute info message version %u", m[0]);
    unsigned flags = m[1];
    uint64_t q = 2 + ((flags & 1) ? 2 : 0);
    if (q + 2u * h->so > size)
        return fail(h, pos, "attribute info message too short");
    uint64_t heap = rd(m + q, h->so), names = rd(m + q + h->so, h->so);
    if (undefined_addr(heap, h->so) || undefined_addr(names, h->so))
        return true; /* no dense attributes */
    h->root->dense = true;
    DenseCtx dc;
    if (!heap_open(h, heap, &dc.heap))
        return false;
    bool ok = bt2_walk(h, names, 8, 17, name_record, &dc);
    LL_VEC_FREE(&dc.heap.huge);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Object headers                                                     */

typedef struct Chunk {
    uint64_t pos, end;
} Chunk;

static bool header_messages(H *h, uint64_t addr)
{
    uint64_t p;
    if (!locate(h, addr, 16, &p, "root object header"))
        return false;
    const uint8_t *b = h->d + p;
    unsigned version;
    Chunk chunks[LL_HDF5_MAX_CHUNKS];
    uint64_t seen[LL_HDF5_MAX_CHUNKS];
    unsigned nchunks = 0, next = 0;
    bool crt_order = false;
    if (memcmp(b, "OHDR", 4) == 0) {
        version = 2;
        if (b[4] != 2)
            return fail(h, p, "unknown object header version %u", b[4]);
        unsigned flags = b[5];
        uint64_t q = 6 + ((flags & 0x20) ? 16 : 0) + ((flags & 0x10) ? 4 : 0);
        unsigned w = 1u << (flags & 3);
        crt_order = (flags & 0x04) != 0;
        uint64_t hp;
        if (!locate(h, addr, q + w, &hp, "root object header"))
            return false;
        uint64_t csize = rd(h->d + p + q, w);
        uint64_t cp;
        if (!locate(h, addr + q + w, csize, &cp, "root object header chunk") ||
            !locate(h, addr, q + w + csize + 4, &hp, "root object header checksum"))
            return false;
        chunks[nchunks] = (Chunk){cp, cp + csize};
    } else {
        version = b[0];
        if (version != 1)
            return fail(h, p, "unknown object header version %u", version);
        uint64_t hsize = rd(b + 8, 4), cp;
        if (!locate(h, addr + 16, hsize, &cp, "root object header chunk"))
            return false;
        chunks[nchunks] = (Chunk){cp, cp + hsize};
    }
    h->root->header_version = version;
    seen[nchunks++] = addr;
    unsigned nmsgs = 0;
    const unsigned mh = version == 1 ? 8 : 4 + (crt_order ? 2 : 0);
    while (next < nchunks) {
        Chunk c = chunks[next++];
        uint64_t q = c.pos;
        while (c.end - q >= mh) {
            const uint8_t *m = h->d + q;
            unsigned type, mflags;
            uint64_t msize;
            if (version == 1) {
                type = (unsigned)rd(m, 2);
                msize = rd(m + 2, 2);
                mflags = m[4];
            } else {
                type = m[0];
                msize = rd(m + 1, 2);
                mflags = m[3];
            }
            uint64_t data = q + mh;
            if (msize > c.end - data)
                return fail(h, q, "object header message of %llu bytes runs past its chunk",
                            (unsigned long long)msize);
            if (++nmsgs > LL_HDF5_MAX_MESSAGES)
                return limit(h, q, "more than LL_HDF5_MAX_MESSAGES (%u) object header messages",
                             LL_HDF5_MAX_MESSAGES);
            const uint8_t *md = h->d + data;
            if (type == MSG_ATTRIBUTE) {
                if (!attribute_message(h, data, msize, mflags))
                    return false;
            } else if (type == MSG_ATTRIBUTE_INFO) {
                if (!dense_attributes(h, md, msize, data))
                    return false;
            } else if (type == MSG_CONTINUATION) {
                if (msize < (uint64_t)h->so + h->sl)
                    return fail(h, data, "continuation message too short");
                uint64_t caddr = rd(md, h->so), clen = rd(md + h->so, h->sl);
                for (unsigned k = 0; k < nchunks; k++)
                    if (seen[k] == caddr)
                        return fail(h, data, "object header continuation chunks form a cycle "
                                             "(address %llu again)",
                                    (unsigned long long)caddr);
                if (nchunks >= LL_HDF5_MAX_CHUNKS)
                    return limit(h, data, "more than LL_HDF5_MAX_CHUNKS (%u) object header "
                                          "chunks",
                                 LL_HDF5_MAX_CHUNKS);
                uint64_t cp;
                if (!locate(h, caddr, clen, &cp, "object header continuation chunk"))
                    return false;
                if (version == 2) {
                    if (clen < 8 || memcmp(h->d + cp, "OCHK", 4) != 0)
                        return fail(h, cp, "no object header continuation chunk (OCHK) at "
                                           "address %llu",
                                    (unsigned long long)caddr);
                    chunks[nchunks] = (Chunk){cp + 4, cp + clen - 4};
                } else {
                    chunks[nchunks] = (Chunk){cp, cp + clen};
                }
                seen[nchunks++] = caddr;
            }
            q = data + msize;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Superblock                                                         */

static bool find_superblock(const uint8_t *d, size_t n, uint64_t *at)
{
    for (uint64_t off = 0; off <= n && n - off >= 8; off = off ? off * 2 : 512) {
        if (memcmp(d + off, g_signature, 8) == 0) {
            *at = off;
            return true;
        }
        if (off > UINT64_MAX / 2)
            break;
    }
    return false;
}

bool ll_art_hdf5_sniff(const uint8_t *head, size_t n)
{
    uint64_t at;
    return find_superblock(head, n, &at);
}

const char *ll_art_hdf5_read_root(const uint8_t *data, size_t len, LLHdf5Root *root,
                                  char *errbuf, size_t errsz, uint64_t *at, bool *is_limit)
{
    memset(root, 0, sizeof *root);
    if (!data)
        data = (const uint8_t *)"";
    H h;
    memset(&h, 0, sizeof h);
    h.d = data;
    h.len = len;
    h.root = root;
    h.err = errbuf;
    h.errsz = errsz;
    if (errsz)
        errbuf[0] = '\0';
    *at = 0;
    *is_limit = false;
    uint64_t sb;
    if (!find_superblock(data, len, &sb)) {
        snprintf(errbuf, errsz, "no HDF5 signature at offset 0, 512, 1024, 2048, ...");
        return errbuf;
    }
    root->superblock_offset = sb;
    h.base = sb;
    uint64_t root_addr = 0;
    if (len - sb < 16) {
        fail(&h, sb, "truncated superblock");
        goto out;
    }
    unsigned ver = data[sb + 8];
    root->superblock_version = ver;
    if (ver == 0 || ver == 1) {
        h.so = data[sb + 13];
        h.sl = data[sb + 14];
    } else if (ver == 2 || ver == 3) {
        h.so = data[sb + 9];
        h.sl = data[sb + 10];
    } else {
        fail(&h, sb, "unknown superblock version %u", ver);
        goto out;
    }
    if ((h.so != 2 && h.so != 4 && h.so != 8) || (h.sl != 2 && h.sl != 4 && h.sl != 8)) {
        fail(&h, sb, "superblock with %u-byte offsets and %u-byte lengths", h.so, h.sl);
        goto out;
    }
    if (ver <= 1) {
        uint64_t q = sb + (ver == 0 ? 24 : 28);
        uint64_t need = 4u * h.so + (2u * h.so + 4 + 4 + 16);
        if (q > len || len - q < need) {
            fail(&h, sb, "truncated superblock");
            goto out;
        }
        root_addr = rd(data + q + 4u * h.so + h.so, h.so); /* root STE: object header */
    } else {
        uint64_t q = sb + 12;
        if (len - q < 4u * h.so + 4) {
            fail(&h, sb, "truncated superblock");
            goto out;
        }
        root_addr = rd(data + q + 3u * h.so, h.so);
    }
    header_messages(&h, root_addr);
out:
    if (!h.failed)
        return NULL;
    *at = h.at;
    *is_limit = h.is_limit;
    return errbuf;
}

/* ------------------------------------------------------------------ */
/* The scan                                                           */

static void loc_at(LLArtLoc *loc, const LLArtLoc *where, uint64_t off, uint64_t len)
{
    memset(loc, 0, sizeof *loc);
    if (where) {
        loc->nmembers = where->nmembers;
        for (uint32_t m = 0; m < loc->nmembers && m < LL_ART_MAX_NESTING; m++)
            loc->members[m] = where->members[m];
    }
    loc->offset = off;
    loc->length = len;
}

/* A short printable copy of an attribute string (for subjects). */
static void printable(char *out, size_t outsz, const LLHdf5Value *v, const char *dflt)
{
    size_t n = 0;
    if (v->present && v->data)
        for (size_t i = 0; i < v->len && n + 1 < outsz; i++) {
            unsigned char c = v->data[i];
            out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
        }
    out[n] = '\0';
    if (!n)
        snprintf(out, outsz, "%s", dflt);
}

static void config_attr(const LLArtHdf5Options *o, const LLHdf5Value *v, const char *name,
                        const LLArtLoc *where, LLArtResult *out)
{
    if (!v->present)
        return;
    LLArtLoc loc;
    if (!v->data && !v->problem)
        return; /* the read stopped there: the HDF5 error says why */
    if (!v->data) {
        loc_at(&loc, where, v->offset, 0);
        ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, name,
                   "the %s attribute cannot be read: %s", name,
                   v->problem ? v->problem : "unknown problem");
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "the %s attribute", name);
    ll_art_keras_scan_text(o ? o->keras : NULL, (const char *)v->data, v->len, v->offset, what,
                           where, out);
}

void ll_art_hdf5_scan(const LLArtHdf5Options *o, const uint8_t *data, size_t len,
                      const LLArtLoc *where, LLArtResult *out)
{
    if (!data)
        data = (const uint8_t *)""; /* an empty input may come as NULL */
    LLHdf5Root root;
    char err[512];
    uint64_t at = 0;
    bool is_limit = false;
    const char *e = ll_art_hdf5_read_root(data, len, &root, err, sizeof err, &at, &is_limit);
    bool keras = root.model_config.present || root.training_config.present;
    if (!out->format)
        out->format = keras ? "keras-h5" : "hdf5";
    LLArtLoc loc;
    if (keras) {
        char version[80], backend[80];
        printable(version, sizeof version, &root.keras_version, "unknown");
        printable(backend, sizeof backend, &root.backend, "unknown");
        loc_at(&loc, where, root.model_config.offset, root.model_config.len);
        ll_art_add(out, ART_CHECK_KERAS_H5_LEGACY, LL_SEV_NOTE, LL_ART_SAFE, &loc, version,
                   "legacy HDF5 Keras model (keras_version %s, backend %s): "
                   "keras.models.load_model ignores safe_mode for .h5 files before Keras 3.11.3 "
                   "(CVE-2025-9905) and tf.keras never applies it, so any Lambda layer in it "
                   "runs when it is loaded",
                   version, backend);
        config_attr(o, &root.model_config, "model_config", where, out);
        config_attr(o, &root.training_config, "training_config", where, out);
    }
    if (root.unread_shared) {
        loc_at(&loc, where, 0, len);
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%llu shared (SOHM) attribute messages on the root group were not read",
                   (unsigned long long)root.unread_shared);
    }
    if (e) {
        /* an address past the end is reported at the end */
        loc_at(&loc, where, at < len ? at : len, at < len ? 1 : 0);
        ll_art_add(out, is_limit ? ART_CHECK_LIMIT : ART_CHECK_MALFORMED, LL_SEV_WARNING,
                   LL_ART_UNSCANNABLE, &loc, NULL, "HDF5: %s", e);
    }
    if (out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}
