/* The zip reader and container (src/artifact/zip.c, torch.c): what Python's
 * zipfile and PyTorch's reader accept, zip bombs, nesting, PyTorch layouts
 * (tensor data never read), TorchScript. Archives are built in memory. */
#include "artifact/zip.h"
#include "test_art_helpers.h"

#include <zlib.h>

static ATPolicy pol;
static void setup(void) { at_policy_load(&pol); }
static void teardown(void) { at_policy_free(&pol); }
TestSuite(art_zip, .init = setup, .fini = teardown);

typedef struct ZMember {
    const char *name;
    const void *data;
    size_t len;
    int method;          /* 0 stored, 8 deflate, other: written as is */
    bool bad_crc;
    uint16_t flags;
    const char *local_name;
    bool bad_local;      /* no local header signature */
} ZMember;

static void deflate_raw(const void *in, size_t n, ATBuf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uint8_t chunk[65536];
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int rc;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = deflate(&z, Z_FINISH);
        at_put(out, chunk, sizeof chunk - z.avail_out);
    } while (rc != Z_STREAM_END);
    deflateEnd(&z);
}

/* Writes a zip: members, then the central directory (ZIP64 records when
 * zip64), after `prefix` bytes, with a comment. */
static void zip_build(ATBuf *out, const ZMember *m, size_t n, bool zip64, const char *comment, const char *prefix)
{
    if (prefix)
        at_str(out, prefix);
    size_t base = out->len;
    uint64_t *offs = calloc(n, sizeof *offs), *csz = calloc(n, sizeof *csz);
    uint32_t *crcs = calloc(n, sizeof *crcs);
    for (size_t i = 0; i < n; i++) {
        ATBuf comp = {0};
        if (m[i].method == 8)
            deflate_raw(m[i].data, m[i].len, &comp);
        else
            at_put(&comp, m[i].data, m[i].len);
        crcs[i] = (uint32_t)crc32(0, m[i].data, (uInt)m[i].len) ^ (m[i].bad_crc ? 0x5a5a5a5au : 0);
        offs[i] = out->len - base;
        csz[i] = comp.len;
        const char *ln = m[i].local_name ? m[i].local_name : m[i].name;
        at_le(out, m[i].bad_local ? 0x12345678u : 0x04034b50u, 4);
        at_le(out, 20, 2);
        at_le(out, m[i].flags, 2);
        at_le(out, (uint64_t)m[i].method, 2);
        at_le(out, 0, 4);
        at_le(out, crcs[i], 4);
        at_le(out, comp.len, 4);
        at_le(out, m[i].len, 4);
        at_le(out, strlen(ln), 2);
        at_le(out, 0, 2);
        at_str(out, ln);
        at_put(out, comp.d, comp.len);
        at_free(&comp);
    }
    size_t cd = out->len;
    for (size_t i = 0; i < n; i++) {
        at_le(out, 0x02014b50u, 4);
        at_le(out, 20, 2);
        at_le(out, 20, 2);
        at_le(out, m[i].flags, 2);
        at_le(out, (uint64_t)m[i].method, 2);
        at_le(out, 0, 4);
        at_le(out, crcs[i], 4);
        at_le(out, zip64 ? 0xFFFFFFFFu : csz[i], 4);
        at_le(out, zip64 ? 0xFFFFFFFFu : m[i].len, 4);
        at_le(out, strlen(m[i].name), 2);
        at_le(out, zip64 ? 28 : 0, 2);
        at_le(out, 0, 2);
        at_le(out, 0, 2);
        at_le(out, 0, 2);
        at_le(out, 0, 4);
        at_le(out, zip64 ? 0xFFFFFFFFu : offs[i], 4);
        at_str(out, m[i].name);
        if (zip64) {
            at_le(out, 1, 2);
            at_le(out, 24, 2);
            at_le(out, m[i].len, 8);
            at_le(out, csz[i], 8);
            at_le(out, offs[i], 8);
        }
    }
    size_t cd_end = out->len;
    if (zip64) {
        size_t e64 = out->len - base;
        at_le(out, 0x06064b50u, 4);
        at_le(out, 44, 8);
        at_le(out, 45, 2);
        at_le(out, 45, 2);
        at_le(out, 0, 4);
        at_le(out, 0, 4);
        at_le(out, n, 8);
        at_le(out, n, 8);
        at_le(out, cd_end - cd, 8);
        at_le(out, cd - base, 8);
        at_le(out, 0x07064b50u, 4);
        at_le(out, 0, 4);
        at_le(out, e64, 8);
        at_le(out, 1, 4);
    }
    at_le(out, 0x06054b50u, 4);
    at_le(out, 0, 2);
    at_le(out, 0, 2);
    at_le(out, zip64 ? 0xFFFF : n, 2);
    at_le(out, zip64 ? 0xFFFF : n, 2);
    at_le(out, zip64 ? 0xFFFFFFFFu : cd_end - cd, 4);
    at_le(out, zip64 ? 0xFFFFFFFFu : cd - base, 4);
    at_le(out, comment ? strlen(comment) : 0, 2);
    if (comment)
        at_str(out, comment);
    free(offs);
    free(csz);
    free(crcs);
}

static const char k_evil[] = "\x80\x02" "cposix\nsystem\n(X\x02\x00\x00\x00idtR.";
#define EVIL k_evil, sizeof k_evil - 1
static const char k_ok[] = "\x80\x02" "ccollections\nOrderedDict\n)R.";
#define OK k_ok, sizeof k_ok - 1

static void scan_zip(const ZMember *m, size_t n, bool zip64, LLArtResult *r)
{
    ATBuf b = {0};
    zip_build(&b, m, n, zip64, NULL, NULL);
    at_scan(&pol.opts, b.d, b.len, r);
    at_free(&b);
}

static bool in_member(const LLArtFinding *f, const char *m0, const char *m1)
{
    if (!f)
        return false;
    if (!m0)
        return f->loc.nmembers == 0;
    if (f->loc.nmembers < 1 || strcmp(f->loc.members[0], m0) != 0)
        return false;
    if (!m1)
        return f->loc.nmembers == 1;
    return f->loc.nmembers == 2 && strcmp(f->loc.members[1], m1) == 0;
}

Test(art_zip, pytorch_checkpoint_any_folder_name)
{
    ZMember m[] = {
        {"weights/data.pkl", EVIL, 0},
        {"weights/data/0", "cos\nsystem\n(S'x'\ntR.", 21, 0, .bad_local = true}, /* never read */
        {"weights/version", "3\n", 2, 0},
    };
    LLArtResult r;
    scan_zip(m, 3, false, &r);
    char dump[4096];
    cr_assert_str_eq(r.format, "pytorch-zip");
    cr_assert_eq(r.findings.len, 1, "%s", at_dump(&r, dump, sizeof dump));
    const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system");
    cr_assert(in_member(f, "weights/data.pkl", NULL));
    cr_assert_eq(f->loc.offset, 2, "offset inside the member");
    ll_art_result_release(&r);
}

Test(art_zip, deflated_zip64_comment_and_every_pkl)
{
    ZMember m[] = {
        {"a/data.pkl", OK, 8},
        {"a/extra.pkl", EVIL, 8},
    };
    ATBuf b = {0};
    zip_build(&b, m, 2, true, "a comment after the end record", NULL);
    LLArtResult r;
    at_scan(&pol.opts, b.d, b.len, &r);
    char dump[4096];
    cr_assert_eq(r.findings.len, 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert(in_member(at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), "a/extra.pkl", NULL));
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_zip, odd_flags_bad_crc_and_local_names_are_read_and_noted)
{
    ZMember m[] = {
        {"m/data.pkl", EVIL, 0, .bad_crc = true, .flags = 1, .local_name = "m/other.pkl"},
    };
    LLArtResult r;
    scan_zip(m, 1, false, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1, "%s", at_dump(&r, dump, sizeof dump));
    static const char *const notes[] = {ART_CHECK_ZIP_CRC, ART_CHECK_ZIP_FLAGS, ART_CHECK_ZIP_DIVERGENCE};
    for (int i = 0; i < 3; i++) {
        const LLArtFinding *f = at_find(&r, notes[i], "m/data.pkl");
        cr_assert_not_null(f, "%s missing: %s", notes[i], dump);
        cr_assert_eq(f->severity, LL_SEV_NOTE);
    }
    cr_assert_eq(r.verdict, LL_ART_MALICIOUS);
    ll_art_result_release(&r);
}

Test(art_zip, duplicates_and_unsafe_names)
{
    ZMember m[] = {
        {"x/data.pkl", OK, 0},
        {"x/data.pkl", EVIL, 0},
        {"/etc/evil.pkl", OK, 0},
        {"x/../../up.pkl", OK, 0},
    };
    LLArtResult r;
    scan_zip(m, 4, false, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(at_count(&r, ART_CHECK_ARCHIVE_DUPLICATE, "x/data.pkl"), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_ARCHIVE_UNSAFE_PATH, "/etc/evil.pkl"), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_ARCHIVE_UNSAFE_PATH, "x/../../up.pkl"), 1);
    ll_art_result_release(&r);
}

/* data before the archive: Python shifts the offsets, miniz does not; both
 * views are read */
Test(art_zip, prepended_data_gives_two_views)
{
    ZMember m[] = {{"p/data.pkl", EVIL, 0}};
    ATBuf b = {0};
    zip_build(&b, m, 1, false, NULL, "#!/bin/sh\nexit 0\n");
    LLArtResult r;
    at_scan(&pol.opts, b.d, b.len, &r);
    /* the file does not start with PK: it is not claimed as a zip, a script */
    cr_assert_eq(r.verdict, LL_ART_NOT_MODEL);
    ll_art_result_release(&r);
    /* read as a zip explicitly (a nested member, say) */
    uint64_t budget = 1u << 30;
    LLArtCtx ctx = {.opts = &pol.opts, .budget = &budget};
    ll_art_result_init(&r);
    const char *fmt = ll_zip_scan(&ctx, b.d, b.len, &r);
    char dump[4096];
    cr_assert_str_eq(fmt, "pytorch-zip");
    cr_assert_eq(at_count(&r, ART_CHECK_ZIP_DIVERGENCE, NULL), 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1, "%s", dump);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_zip, zip_bomb_stops_at_the_limit)
{
    size_t n = 64u << 20;
    uint8_t *zeros = calloc(n, 1);
    ZMember m[] = {{"bomb.pkl", zeros, n, 8}};
    ATBuf b = {0};
    zip_build(&b, m, 1, false, NULL, NULL);
    free(zeros);
    cr_assert_lt(b.len, 200u * 1024u, "a compact bomb (%zu bytes)", b.len);
    LLArtScanOptions o = pol.opts;
    o.max_decompressed = 1u << 20;
    LLArtResult r;
    at_scan(&o, b.d, b.len, &r);
    char dump[4096];
    const LLArtFinding *f = at_find(&r, ART_CHECK_LIMIT, "bomb.pkl");
    cr_assert_not_null(f, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    /* the per-file budget bounds many members together */
    o.max_decompressed = 0;
    o.max_decompressed_total = 1u << 20;
    at_scan(&o, b.d, b.len, &r);
    cr_assert_not_null(at_find(&r, ART_CHECK_LIMIT, NULL));
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_zip, unreadable_archives_are_malformed)
{
    /* no end record */
    LLArtResult r;
    const char *trunc = "PK\x03\x04\x14\x00\x00\x00\x00\x00";
    at_scan(&pol.opts, (const uint8_t *)trunc, 10, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    /* a member that goes past the end */
    ZMember m[] = {{"t/data.pkl", EVIL, 0}};
    ATBuf b = {0};
    zip_build(&b, m, 1, false, NULL, NULL);
    /* the compressed size in the central directory: make it huge */
    for (size_t i = 0; i + 4 < b.len; i++)
        if (memcmp(b.d + i, "PK\x01\x02", 4) == 0) {
            b.d[i + 20] = 0xff;
            b.d[i + 21] = 0xff;
            b.d[i + 22] = 0xff;
            break;
        }
    at_scan(&pol.opts, b.d, b.len, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, "t/data.pkl"), 1, "%s", at_dump(&r, dump, sizeof dump));
    ll_art_result_release(&r);
    at_free(&b);
    /* an unknown compression method */
    ZMember u[] = {{"u/data.pkl", EVIL, 99}};
    scan_zip(u, 1, false, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_UNSUPPORTED, "u/data.pkl"), 1);
    ll_art_result_release(&r);
}

Test(art_zip, hidden_pickles_nested_archives_and_chains)
{
    ZMember in[] = {{"evil.npy", NULL, 0, 0}};
    ATBuf npy = {0};
    at_lit(&npy, "\x93NUMPY\x01\x00");
    const char *hdr = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
    char hbuf[128];
    snprintf(hbuf, sizeof hbuf, "%-117s\n", hdr);
    at_le(&npy, strlen(hbuf), 2);
    at_str(&npy, hbuf);
    at_put(&npy, EVIL);
    in[0].data = npy.d;
    in[0].len = npy.len;
    ATBuf npz = {0};
    zip_build(&npz, in, 1, false, NULL, NULL);
    ZMember out[] = {
        {"README", "text\n", 5, 0},
        {"w/inner.npz", npz.d, npz.len, 8},
        {"notes.txt", "cos\nsystem\n(S'x'\ntR.", 20, 0},
    };
    LLArtResult r;
    scan_zip(out, 3, false, &r);
    char dump[4096];
    cr_assert_str_eq(r.format, "zip");
    const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system");
    cr_assert(in_member(f, "w/inner.npz", "evil.npy"), "%s", at_dump(&r, dump, sizeof dump));
    cr_assert(in_member(at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), "notes.txt", NULL), "%s", dump);
    ll_art_result_release(&r);
    /* an archive of text is no model file */
    ZMember txt[] = {{"a.txt", "hello\n", 6, 0}, {"b.md", "# x\n", 4, 8}};
    scan_zip(txt, 2, false, &r);
    cr_assert_null(r.format);
    cr_assert_eq(r.verdict, LL_ART_NOT_MODEL);
    cr_assert_eq(r.findings.len, 0);
    ll_art_result_release(&r);
    at_free(&npy);
    at_free(&npz);
}

Test(art_zip, nesting_limit)
{
    ATBuf cur = {0};
    at_put(&cur, EVIL);
    const char *name = "x.pkl";
    for (unsigned i = 0; i < LL_ART_MAX_NESTING + 1; i++) {
        ZMember m[] = {{name, cur.d, cur.len, 0}};
        ATBuf next = {0};
        zip_build(&next, m, 1, false, NULL, NULL);
        at_free(&cur);
        cur = next;
        name = "inner.zip";
    }
    LLArtResult r;
    at_scan(&pol.opts, cur.d, cur.len, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_LIMIT, NULL), 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    const LLArtFinding *f = at_find(&r, ART_CHECK_LIMIT, NULL);
    cr_assert_eq(f->loc.nmembers, LL_ART_MAX_NESTING);
    ll_art_result_release(&r);
    at_free(&cur);
}

Test(art_zip, torchscript_archive)
{
    const char *data = "\x80\x02" "c__torch__.m\nNet\n)\x81.";
    ZMember m[] = {
        {"ts/data.pkl", data, strlen(data), 0},
        {"ts/code/__torch__/m.py", "def forward(self, x):\n  return x\n", 33, 0},
        {"ts/constants.pkl", "\x80\x02).", 4, 0},
        {"ts/version", "3\n", 2, 0},
    };
    LLArtResult r;
    scan_zip(m, 4, false, &r);
    char dump[4096];
    cr_assert_str_eq(r.format, "torchscript");
    cr_assert_eq(r.findings.len, 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(at_count(&r, ART_CHECK_TORCHSCRIPT_CODE, "ts/code/__torch__/m.py"), 1);
    cr_assert_eq(r.verdict, LL_ART_SUSPICIOUS);
    ll_art_result_release(&r);
}

Test(art_zip, npz_format)
{
    ATBuf npy = {0};
    at_lit(&npy, "\x93NUMPY\x01\x00");
    char hbuf[128];
    snprintf(hbuf, sizeof hbuf, "%-117s\n", "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }");
    at_le(&npy, strlen(hbuf), 2);
    at_str(&npy, hbuf);
    at_put(&npy, "\0\0\0\0\0\0\xf0\x3f", 8);
    ZMember m[] = {{"a.npy", npy.d, npy.len, 0}, {"b.npy", npy.d, npy.len, 8}};
    LLArtResult r;
    scan_zip(m, 2, false, &r);
    cr_assert_str_eq(r.format, "numpy-npz");
    cr_assert_eq(r.findings.len, 0);
    cr_assert_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    at_free(&npy);
}
