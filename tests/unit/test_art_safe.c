/* The "safe format" readers: safetensors (src/artifact/safetensors.h),
 * GGUF (gguf.h) and ONNX (onnx.h). Valid files give LL_ART_SAFE and no
 * finding; broken ones ART_CHECK_MALFORMED naming the problem; GGUF chat
 * templates with sandbox-escape constructs and ONNX external data outside
 * the model are reported. Hand-built inputs here; the corpus files are
 * compared with expected.json by test_art_keras.c. */
#include "artifact/gguf.h"
#include "artifact/onnx.h"
#include "artifact/safetensors.h"
#include "base/buf.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS LL_SOURCE_DIR "/tests/corpus/artifacts/keras/"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc((size_t)n + 1);
    cr_assert_eq(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

typedef void (*ScanFn)(const uint8_t *, size_t, LLArtResult *);

static void st_scan(const uint8_t *d, size_t n, LLArtResult *r)
{
    ll_art_safetensors_scan(NULL, d, n, NULL, r);
}
static void gg_scan(const uint8_t *d, size_t n, LLArtResult *r)
{
    ll_art_gguf_scan(NULL, d, n, NULL, r);
}
static void ox_scan(const uint8_t *d, size_t n, LLArtResult *r)
{
    ll_art_onnx_scan(NULL, d, n, NULL, r);
}

/* The first finding's check ("" when none) and the verdict. */
static LLArtVerdict run(ScanFn fn, const void *d, size_t n, char *check, size_t cs, char *msg,
                        size_t ms)
{
    LLArtResult r;
    ll_art_result_init(&r);
    fn(d, n, &r);
    snprintf(check, cs, "%s", r.findings.len ? r.findings.items[0].check : "");
    snprintf(msg, ms, "%s", r.findings.len ? r.findings.items[0].message : "");
    for (size_t i = 0; i < r.findings.len; i++)
        cr_assert(r.findings.items[i].loc.offset + r.findings.items[i].loc.length <= n,
                  "a finding located outside the input");
    LLArtVerdict v = r.verdict;
    ll_art_result_release(&r);
    return v;
}

/* ---- safetensors ---- */

static size_t st_file(uint8_t *out, const char *header, const void *data, size_t dlen)
{
    size_t h = strlen(header);
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)((uint64_t)h >> (8 * i));
    memcpy(out + 8, header, h);
    memcpy(out + 8 + h, data, dlen);
    return 8 + h + dlen;
}

Test(art_safetensors, valid_and_invalid_headers)
{
    uint8_t f[1024];
    char check[64], msg[512];
    uint8_t zeros[64] = {0};
    size_t n = st_file(f, "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F4\","
                          "\"shape\":[2,3],\"data_offsets\":[0,3]},\"b\":{\"dtype\":\"U8\","
                          "\"shape\":[],\"data_offsets\":[3,4]}}   ",
                       zeros, 4);
    cr_expect_eq(run(st_scan, f, n, check, sizeof check, msg, sizeof msg), LL_ART_SAFE, "%s",
                 msg);
    cr_expect_str_eq(check, "");
    cr_expect(ll_art_safetensors_sniff(f, n));
    struct {
        const char *header;
        size_t data;
        const char *why;
    } bad[] = {
        {"{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2, "whole bytes"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
         "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
         8, "twice"},
        {"{\"__metadata__\":{\"k\":1}}", 0, "not a string"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, "integers"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "integers"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "after the last"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 2, "past the data"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 0, "lacks"},
        {"{\"a\":[[[[[[[[[[1]]]]]]]]]]}", 0, "nesting"},
        {"[]", 0, "start with '{'"},
        {"{\"a\":1,}", 0, "not a JSON object"},
        {"{\"\xff\":1}", 0, "UTF-8"},
        {"{\"a\":{\"dtype\":\"F32\",\"shape\":[4503599627370496, 4096],\"data_offsets\":[0,4]}}",
         4, "too large"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        n = st_file(f, bad[i].header, zeros, bad[i].data);
        cr_expect_eq(run(st_scan, f, n, check, sizeof check, msg, sizeof msg),
                     LL_ART_UNSCANNABLE, "case %zu", i);
        cr_expect_str_eq(check, ART_CHECK_MALFORMED, "case %zu", i);
        cr_expect(strstr(msg, bad[i].why), "case %zu: %s", i, msg);
    }
    cr_expect_eq(run(st_scan, f, 5, check, sizeof check, msg, sizeof msg), LL_ART_UNSCANNABLE);
    cr_expect(!ll_art_safetensors_sniff((const uint8_t *)"\x02\0\0\0\0\0\0\0[]", 10));
}

/* ---- GGUF ---- */

typedef struct W {
    LLBuf b;
    bool be;
} W;

static void w_uint(W *w, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned shift = w->be ? 8 * (n - 1 - i) : 8 * i;
        ll_buf_putc(&w->b, (char)(uint8_t)(v >> shift));
    }
}

static void w_str(W *w, const char *s)
{
    w_uint(w, strlen(s), 8);
    ll_buf_append(&w->b, s, strlen(s));
}

Test(art_gguf, big_endian_and_nesting)
{
    char check[64], msg[512];
    W w = {{0}, true};
    ll_buf_init(&w.b);
    ll_buf_append(&w.b, "GGUF", 4);
    w_uint(&w, 3, 4);
    w_uint(&w, 0, 8); /* tensors */
    w_uint(&w, 2, 8); /* pairs */
    w_str(&w, "general.name");
    w_uint(&w, 8, 4);
    w_str(&w, "be");
    w_str(&w, "x.flag");
    w_uint(&w, 7, 4);
    w_uint(&w, 1, 1);
    cr_expect(ll_art_gguf_sniff((const uint8_t *)w.b.data, w.b.len));
    cr_expect_eq(run(gg_scan, w.b.data, w.b.len, check, sizeof check, msg, sizeof msg),
                 LL_ART_SAFE, "big-endian v3: %s", msg);
    ll_buf_release(&w.b);

    /* arrays of arrays deeper than the limit */
    w.be = false;
    ll_buf_init(&w.b);
    ll_buf_append(&w.b, "GGUF", 4);
    w_uint(&w, 3, 4);
    w_uint(&w, 0, 8);
    w_uint(&w, 1, 8);
    w_str(&w, "deep");
    w_uint(&w, 9, 4);
    for (unsigned i = 0; i < LL_GGUF_MAX_ARRAY_NESTING + 1; i++) {
        w_uint(&w, 9, 4); /* element type: array */
        w_uint(&w, 1, 8); /* one element */
    }
    w_uint(&w, 4, 4);
    w_uint(&w, 1, 8);
    w_uint(&w, 7, 4);
    cr_expect_eq(run(gg_scan, w.b.data, w.b.len, check, sizeof check, msg, sizeof msg),
                 LL_ART_UNSCANNABLE);
    cr_expect_str_eq(check, ART_CHECK_LIMIT, "%s", msg);
    ll_buf_release(&w.b);

    /* nesting within the limit reads */
    ll_buf_init(&w.b);
    ll_buf_append(&w.b, "GGUF", 4);
    w_uint(&w, 2, 4);
    w_uint(&w, 0, 8);
    w_uint(&w, 1, 8);
    w_str(&w, "nested");
    w_uint(&w, 9, 4);
    w_uint(&w, 9, 4);
    w_uint(&w, 2, 8);
    for (int k = 0; k < 2; k++) {
        w_uint(&w, 8, 4);
        w_uint(&w, 2, 8);
        w_str(&w, "a");
        w_str(&w, "bc");
    }
    cr_expect_eq(run(gg_scan, w.b.data, w.b.len, check, sizeof check, msg, sizeof msg),
                 LL_ART_SAFE, "%s", msg);
    ll_buf_release(&w.b);

    /* version 1: 32-bit counts */
    ll_buf_init(&w.b);
    ll_buf_append(&w.b, "GGUF", 4);
    w_uint(&w, 1, 4);
    w_uint(&w, 0, 4);
    w_uint(&w, 1, 4);
    w_uint(&w, 4, 4);
    ll_buf_append(&w.b, "name", 4);
    w_uint(&w, 8, 4);
    w_uint(&w, 2, 4);
    ll_buf_append(&w.b, "v1", 2);
    cr_expect_eq(run(gg_scan, w.b.data, w.b.len, check, sizeof check, msg, sizeof msg),
                 LL_ART_SAFE, "%s", msg);
    ll_buf_release(&w.b);
    cr_expect(!ll_art_gguf_sniff((const uint8_t *)"GGUF\4\0\0\0", 8));
    cr_expect(!ll_art_gguf_sniff((const uint8_t *)"GGML\3\0\0\0", 8));
}

Test(art_gguf, template_constructs)
{
    char out[256];
    static const char *const benign[] = {
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
        "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt "
        "%}{{ '<|im_start|>assistant\\n' }}{% endif %}",
        "{%- set ns = namespace(found=false) -%}{%- for m in messages -%}{%- if m.role == "
        "'system' -%}{%- set ns.found = true -%}{%- endif -%}{%- endfor -%}{{ bos_token }}"
        "{{ raise_exception('roles must alternate') if false }}{{ x | trim | tojson }}",
    };
    for (size_t i = 0; i < sizeof benign / sizeof *benign; i++)
        cr_expect_eq(ll_art_gguf_template_check(benign[i], strlen(benign[i]), out, sizeof out), 0,
                     "benign %zu: %s", i, out);
    static const struct {
        const char *tpl, *want;
    } evil[] = {
        {"{{ ''.__class__.__mro__[1].__subclasses__() }}", "__subclasses__"},
        {"{{ cycler.__init__.__globals__.os.popen('id').read() }}", "__globals__"},
        {"{{ joiner.x }}", "joiner."},
        {"{{ lipsum | attr ( 'x' ) }}", "|attr(...)"},
        {"{{ x['\\x5f\\x5fclass\\x5f\\x5f'] }}", "\\x5f"},
        {"{{ self._TemplateReference__context }}", "self._"},
        {"{{ namespace.__init__ }}", "namespace."},
    };
    for (size_t i = 0; i < sizeof evil / sizeof *evil; i++) {
        cr_expect_gt(ll_art_gguf_template_check(evil[i].tpl, strlen(evil[i].tpl), out, sizeof out),
                     0, "evil %zu", i);
        cr_expect(strstr(out, evil[i].want), "evil %zu: %s", i, out);
    }
    const char *many = "__class__ __mro__ __base__ __bases__ __subclasses__ __globals__ "
                       "__builtins__ __import__";
    cr_expect_eq(ll_art_gguf_template_check(many, strlen(many), out, sizeof out), 8);
    cr_expect_eq(strlen(out) > 0 && !strstr(out, "__import__"), true,
                 "at most LL_GGUF_MAX_QUOTED quoted: %s", out);
}

Test(art_gguf, corpus_files_and_truncations, .timeout = 60)
{
    char check[64], msg[512];
    size_t n;
    uint8_t *d = slurp(CORPUS "gguf/ssti_template.gguf", &n);
    cr_expect_eq(run(gg_scan, d, n, check, sizeof check, msg, sizeof msg), LL_ART_MALICIOUS);
    cr_expect_str_eq(check, ART_CHECK_GGUF_TEMPLATE);
    cr_expect(strstr(msg, "CVE-2024-34359"), "%s", msg);
    free(d);
    d = slurp(CORPUS "gguf/benign.gguf", &n);
    cr_expect_eq(run(gg_scan, d, n, check, sizeof check, msg, sizeof msg), LL_ART_SAFE, "%s",
                 msg);
    for (size_t k = 0; k < n; k++) {
        LLArtVerdict v = run(gg_scan, d, k, check, sizeof check, msg, sizeof msg);
        cr_assert_eq(v, LL_ART_UNSCANNABLE, "cut at %zu of %zu: %s", k, n, msg);
    }
    free(d);
}

/* ---- ONNX ---- */

static void pb_varint(LLBuf *b, uint64_t v)
{
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        ll_buf_putc(b, (char)(c | (v ? 0x80 : 0)));
    } while (v);
}

static void pb_bytes(LLBuf *b, unsigned num, const void *p, size_t n)
{
    pb_varint(b, (uint64_t)num << 3 | 2);
    pb_varint(b, n);
    ll_buf_append(b, p, n);
}

Test(art_onnx, names_and_sniff)
{
    cr_expect(ll_art_onnx_name_matches("dir/model.onnx"));
    cr_expect(ll_art_onnx_name_matches("MODEL.ONNX"));
    cr_expect(!ll_art_onnx_name_matches("model.onnx.bak"));
    cr_expect(!ll_art_onnx_name_matches("onnx"));
    size_t n;
    uint8_t *d = slurp(CORPUS "onnx/benign.onnx", &n);
    cr_expect(ll_art_onnx_sniff(d, n));
    cr_expect(ll_art_onnx_sniff(d, 12), "a head cut mid-field");
    free(d);
    cr_expect(!ll_art_onnx_sniff((const uint8_t *)"\x12\x01x", 3), "ir_version first");
    cr_expect(!ll_art_onnx_sniff((const uint8_t *)"{\"a\":1}", 7));
}

Test(art_onnx, subgraph_nesting_is_bounded)
{
    /* graph{node{attribute{g: graph{...}}}} nested past the limit, with an
     * escaping initializer innermost */
    LLBuf g;
    ll_buf_init(&g);
    LLBuf t;
    ll_buf_init(&t);
    pb_bytes(&t, 8, "w", 1);
    LLBuf e;
    ll_buf_init(&e);
    pb_bytes(&e, 1, "location", 8);
    pb_bytes(&e, 2, "/etc/passwd", 11);
    pb_bytes(&t, 13, e.data, e.len);
    ll_buf_putc(&t, (char)(14 << 3));
    ll_buf_putc(&t, 1);
    pb_bytes(&g, 5, t.data, t.len);
    char check[64], msg[512];
    for (unsigned depth = 1; depth <= LL_ONNX_MAX_GRAPH_DEPTH + 1; depth++) {
        LLBuf m;
        ll_buf_init(&m);
        pb_varint(&m, 1 << 3);
        pb_varint(&m, 8);
        pb_bytes(&m, 7, g.data, g.len);
        LLArtVerdict v = run(ox_scan, m.data, m.len, check, sizeof check, msg, sizeof msg);
        if (depth <= LL_ONNX_MAX_GRAPH_DEPTH) {
            cr_expect_str_eq(check, ART_CHECK_ONNX_EXTERNAL_PATH, "depth %u: %s", depth, msg);
            cr_expect_eq(v, LL_ART_SUSPICIOUS);
        } else {
            cr_expect_str_eq(check, ART_CHECK_LIMIT, "depth %u: %s", depth, msg);
        }
        ll_buf_release(&m);
        /* wrap: node{attribute{name, g}} in a new graph */
        LLBuf a, nd, ng;
        ll_buf_init(&a);
        ll_buf_init(&nd);
        ll_buf_init(&ng);
        pb_bytes(&a, 1, "body", 4);
        pb_bytes(&a, 6, g.data, g.len);
        pb_bytes(&nd, 4, "Loop", 4);
        pb_bytes(&nd, 5, a.data, a.len);
        pb_bytes(&ng, 1, nd.data, nd.len);
        ll_buf_release(&g);
        g = ng;
        ll_buf_release(&a);
        ll_buf_release(&nd);
    }
    ll_buf_release(&g);
    ll_buf_release(&t);
    ll_buf_release(&e);
}

Test(art_onnx, locations_that_escape)
{
    static const struct {
        const char *loc;
        bool escapes;
    } cases[] = {
        {"weights.bin", false},   {"sub/dir/w.bin", false}, {"a..b/c", false},
        {"../w.bin", true},       {"sub/../../w", true},    {"/abs", true},
        {"\\\\server\\share", true}, {"C:\\w.bin", true},   {"~/w", true},
        {"http://x/y", true},     {"sub\\..\\..\\w", true}, {"..", true},
    };
    char check[64], msg[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        LLBuf t, e, g, m;
        ll_buf_init(&t);
        ll_buf_init(&e);
        ll_buf_init(&g);
        ll_buf_init(&m);
        pb_bytes(&e, 1, "location", 8);
        pb_bytes(&e, 2, cases[i].loc, strlen(cases[i].loc));
        pb_bytes(&t, 13, e.data, e.len);
        ll_buf_putc(&t, (char)(14 << 3));
        ll_buf_putc(&t, 1);
        pb_bytes(&g, 5, t.data, t.len);
        pb_varint(&m, 1 << 3);
        pb_varint(&m, 8);
        pb_bytes(&m, 7, g.data, g.len);
        run(ox_scan, m.data, m.len, check, sizeof check, msg, sizeof msg);
        cr_expect_str_eq(check, cases[i].escapes ? ART_CHECK_ONNX_EXTERNAL_PATH : "", "%s: %s",
                         cases[i].loc, msg);
        ll_buf_release(&t);
        ll_buf_release(&e);
        ll_buf_release(&g);
        ll_buf_release(&m);
    }
}

Test(art_onnx, truncations, .timeout = 60)
{
    static const char *const files[] = {"onnx/external_escape.onnx", "onnx/custom_domain.onnx",
                                        "onnx/subgraph_escape.onnx"};
    char check[64], msg[512];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", CORPUS, files[i]);
        size_t n;
        uint8_t *d = slurp(path, &n);
        for (size_t k = 0; k < n; k++) {
            uint8_t *cut = malloc(k ? k : 1);
            memcpy(cut, d, k);
            cr_assert_geq(run(ox_scan, cut, k, check, sizeof check, msg, sizeof msg),
                          LL_ART_SAFE);
            free(cut);
        }
        free(d);
    }
}
