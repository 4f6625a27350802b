/* Decompression and compressed files (src/artifact/compress.c, joblib.c):
 * every codec joblib writes, limits, truncation, multi-member streams. */
#include "artifact/compress.h"
#include "artifact/joblib.h"
#include "test_art_helpers.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

static ATPolicy pol;
static void setup(void) { at_policy_load(&pol); }
static void teardown(void) { at_policy_free(&pol); }
TestSuite(art_compress, .init = setup, .fini = teardown);

static const char k_evil[] = "\x80\x02" "cposix\nsystem\n(X\x02\x00\x00\x00idtR.";

static void zlib_c(const void *in, size_t n, int wbits, ATBuf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
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

static void compress_as(LLCompressKind k, const void *in, size_t n, ATBuf *out)
{
    switch (k) {
    case LL_COMPRESS_ZLIB: zlib_c(in, n, 15, out); break;
    case LL_COMPRESS_GZIP: zlib_c(in, n, 31, out); break;
    case LL_COMPRESS_BZ2: {
        unsigned cap = (unsigned)(n + n / 100 + 1024);
        char *buf = malloc(cap);
        cr_assert_eq(BZ2_bzBuffToBuffCompress(buf, &cap, (char *)in, (unsigned)n, 3, 0, 0), BZ_OK);
        at_put(out, buf, cap);
        free(buf);
        break;
    }
    case LL_COMPRESS_XZ:
    case LL_COMPRESS_LZMA: {
        size_t cap = n + 4096, pos = 0;
        uint8_t *buf = malloc(cap);
        if (k == LL_COMPRESS_XZ) {
            cr_assert_eq(lzma_easy_buffer_encode(3, LZMA_CHECK_CRC64, NULL, in, n, buf, &pos, cap), LZMA_OK);
        } else {
            lzma_options_lzma opt;
            lzma_lzma_preset(&opt, 3);
            lzma_stream s = LZMA_STREAM_INIT;
            cr_assert_eq(lzma_alone_encoder(&s, &opt), LZMA_OK);
            s.next_in = in;
            s.avail_in = n;
            s.next_out = buf;
            s.avail_out = cap;
            cr_assert_eq(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
            pos = cap - s.avail_out;
            lzma_end(&s);
        }
        at_put(out, buf, pos);
        free(buf);
        break;
    }
    default: cr_assert_fail("codec");
    }
}

Test(art_compress, every_codec_round_trips_and_is_scanned)
{
    static const LLCompressKind kinds[] = {LL_COMPRESS_ZLIB, LL_COMPRESS_GZIP, LL_COMPRESS_BZ2, LL_COMPRESS_XZ,
                                           LL_COMPRESS_LZMA};
    static const char *const members[] = {"<zlib>", "<gzip>", "<bz2>", "<xz>", "<lzma>"};
    for (size_t i = 0; i < 5; i++) {
        ATBuf c = {0};
        compress_as(kinds[i], k_evil, sizeof k_evil - 1, &c);
        cr_assert_eq(ll_compress_sniff(c.d, c.len), kinds[i], "%s", members[i]);
        LLBytes out = {0};
        char err[256];
        cr_assert_eq(ll_decompress(kinds[i], c.d, c.len, 1u << 20, &out, err, sizeof err), LL_DECOMP_OK, "%s: %s",
                     members[i], err);
        cr_assert_eq(out.len, sizeof k_evil - 1);
        cr_assert_eq(memcmp(out.data, k_evil, out.len), 0);
        ll_bytes_release(&out);
        LLArtResult r;
        at_scan(&pol.opts, c.d, c.len, &r);
        const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system");
        char dump[2048];
        cr_assert_not_null(f, "%s: %s", members[i], at_dump(&r, dump, sizeof dump));
        cr_assert_eq(f->loc.nmembers, 1);
        cr_assert_str_eq(f->loc.members[0], members[i]);
        ll_art_result_release(&r);
        at_free(&c);
    }
}

Test(art_compress, limits_truncation_and_corruption)
{
    size_t n = 8u << 20;
    uint8_t *zeros = calloc(n, 1);
    ATBuf c = {0};
    compress_as(LL_COMPRESS_GZIP, zeros, n, &c);
    free(zeros);
    LLBytes out = {0};
    char err[256];
    cr_assert_eq(ll_decompress(LL_COMPRESS_GZIP, c.d, c.len, 1u << 16, &out, err, sizeof err), LL_DECOMP_LIMIT);
    cr_assert_eq(out.len, 1u << 16, "the first bytes are kept");
    ll_bytes_release(&out);
    cr_assert_eq(ll_decompress(LL_COMPRESS_GZIP, c.d, c.len / 2, 1u << 30, &out, err, sizeof err),
                 LL_DECOMP_TRUNCATED, "%s", err);
    ll_bytes_release(&out);
    at_free(&c);

    /* a payload cut short still scans what came before */
    ATBuf p = {0};
    for (int i = 0; i < 2000; i++)
        at_lit(&p, "\x80\x02}.");
    at_put(&p, k_evil, sizeof k_evil - 1);
    compress_as(LL_COMPRESS_ZLIB, p.d, p.len, &c);
    c.d[c.len - 6] ^= 0xff; /* corrupt the end */
    LLArtResult r;
    at_scan(&pol.opts, c.d, c.len, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL) + at_count(&r, ART_CHECK_TRAILING_DATA, NULL) >= 1, 1);
    cr_assert_neq(r.verdict, LL_ART_SAFE, "never clean");
    ll_art_result_release(&r);
    at_free(&c);
    at_free(&p);
}

Test(art_compress, concatenated_gzip_members)
{
    ATBuf c = {0};
    compress_as(LL_COMPRESS_GZIP, "\x80\x02}.", 4, &c);
    compress_as(LL_COMPRESS_GZIP, k_evil, sizeof k_evil - 1, &c);
    LLArtResult r;
    at_scan(&pol.opts, c.d, c.len, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1, "the second member is read");
    ll_art_result_release(&r);
    at_free(&c);
}

Test(art_compress, joblib_zfile_header)
{
    ATBuf z = {0};
    char hdr[32];
    snprintf(hdr, sizeof hdr, "ZF%-19s", "0x2a");
    at_str(&z, hdr);
    compress_as(LL_COMPRESS_ZLIB, k_evil, sizeof k_evil - 1, &z);
    size_t zs = 0;
    cr_assert(ll_joblib_zfile_header(z.d, z.len, &zs));
    cr_assert_eq(zs, 21);
    cr_assert_eq(ll_compress_sniff(z.d, z.len), LL_COMPRESS_JOBLIB_ZF);
    LLArtResult r;
    at_scan(&pol.opts, z.d, z.len, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1);
    ll_art_result_release(&r);
    at_free(&z);
    cr_assert(!ll_joblib_zfile_header((const uint8_t *)"ZFoo", 4, &zs));
}

Test(art_compress, joblib_array_sizes)
{
    LLJoblibArray a = {.shape = {2, 3}, .ndim = 2, .shape_ok = true, .dtype = "f8", .dtype_ok = true,
                       .elsize = -1, .flags = 0};
    uint64_t nb;
    bool obj;
    const char *why = NULL;
    cr_assert(ll_joblib_array_bytes(&a, &nb, &obj, &why));
    cr_assert_eq(nb, 48);
    cr_assert(!obj);
    strcpy(a.dtype, "U3");
    a.elsize = 12;
    cr_assert(ll_joblib_array_bytes(&a, &nb, &obj, &why));
    cr_assert_eq(nb, 72);
    strcpy(a.dtype, "O8");
    a.flags = 63;
    cr_assert(ll_joblib_array_bytes(&a, &nb, &obj, &why));
    cr_assert(obj);
    a.flags = 0; /* object type with no object flag: not certain */
    cr_assert(!ll_joblib_array_bytes(&a, &nb, &obj, &why));
    strcpy(a.dtype, "f8");
    a.shape[0] = UINT64_MAX / 2;
    cr_assert(!ll_joblib_array_bytes(&a, &nb, &obj, &why), "overflow");
    a.shape[0] = 2;
    a.structured = true;
    cr_assert(!ll_joblib_array_bytes(&a, &nb, &obj, &why));
    cr_assert(ll_joblib_is_wrapper_class("joblib.numpy_pickle.NumpyArrayWrapper", 37));
    cr_assert(!ll_joblib_is_wrapper_class("joblib.numpy_pickle.NDArrayWrapper", 34));
}

Test(art_compress, lz4_is_reported_not_read)
{
    const uint8_t lz4[] = {0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0, 0, 0, 0};
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_scan(&pol.opts, "model.joblib", lz4, sizeof lz4, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_UNSUPPORTED, "lz4"), 1);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    cr_assert_eq(ll_art_sniff("data.lz4.bin", lz4, sizeof lz4), LL_ART_KIND_NONE,
                 "lz4 under another name says nothing about its content");
}
