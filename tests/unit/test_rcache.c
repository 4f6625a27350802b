/* The result cache (src/rcache/): digests (the SipHash paper's vector), the
 * byte format of a result with every field set (round trip, references
 * mapped to the indices of another run), damaged, truncated and foreign
 * entries and packs refused, the views of name sets, and two runs of ll_run
 * over a small project: the second takes every analysis from the cache and
 * gives the same result. */
#include "helpers.h"

#include "base/mem.h"
#include "engine/fix.h"
#include "engine/project.h"
#include "rcache/digest.h"
#include "rcache/rcache.h"
#include "rcache/serial.h"
#include "rcache/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

/* ---- digests ------------------------------------------------------------------ */

static LLDigestKey paper_key(void)
{
    LLDigestKey k = {0, 0};
    for (int i = 0; i < 8; i++) {
        k.k0 |= (uint64_t)i << (8 * i);
        k.k1 |= (uint64_t)(8 + i) << (8 * i);
    }
    return k;
}

Test(rcache_digest, siphash_test_vectors)
{
    unsigned char m[64];
    for (int i = 0; i < 64; i++)
        m[i] = (unsigned char)i;
    /* the paper's appendix: 15 bytes 00..0e under key 00..0f */
    cr_assert_eq(ll_digest_siphash64(paper_key(), m, 15), 0xa129ca6149be45e5ull);
    /* the 128-bit variant of the empty message (the reference vectors) */
    LLDigest d = ll_digest_bytes(paper_key(), m, 0);
    cr_assert_eq(d.lo, 0xe6a825ba047f81a3ull);
    cr_assert_eq(d.hi, 0x930255c71472f66dull);
}

Test(rcache_digest, streaming_equals_one_shot_and_keys_matter)
{
    unsigned char m[200];
    for (int i = 0; i < 200; i++)
        m[i] = (unsigned char)(i * 7);
    for (size_t cut = 0; cut <= 200; cut += 13) {
        LLDigestState s;
        ll_digest_init(&s, paper_key());
        ll_digest_put(&s, m, cut / 2);
        ll_digest_put(&s, m + cut / 2, cut - cut / 2);
        cr_assert(ll_digest_eq(ll_digest_final(&s), ll_digest_bytes(paper_key(), m, cut)));
    }
    LLDigestKey other = paper_key();
    other.k1 ^= 1;
    cr_assert(!ll_digest_eq(ll_digest_bytes(paper_key(), m, 200), ll_digest_bytes(other, m, 200)));
    /* a string's length is part of it: ("ab", "c") is not ("a", "bc") */
    LLDigestState a, b;
    ll_digest_init(&a, paper_key());
    ll_digest_init(&b, paper_key());
    ll_digest_put_str(&a, "ab");
    ll_digest_put_str(&a, "c");
    ll_digest_put_str(&b, "a");
    ll_digest_put_str(&b, "bc");
    cr_assert(!ll_digest_eq(ll_digest_final(&a), ll_digest_final(&b)));
}

/* ---- a result with every field set ---------------------------------------------- */

static const char *const enc_files[] = {"a.py", "pkg/b.py", "c.py"};
static const char *const enc_rules[] = {"LL101", "LL201", "LL501"};
/* the next run: the same paths and codes at other indices */
static const uint32_t dec_file_index[] = {5, 7, 9};
static const uint32_t dec_rule_index[] = {3, 4, 8};

static const char *t_file_name(void *ctx, uint32_t f)
{
    (void)ctx;
    return f < 3 ? enc_files[f] : "?";
}

static const char *t_rule_code(void *ctx, uint32_t r)
{
    (void)ctx;
    return r < 3 ? enc_rules[r] : "?";
}

static bool t_file_index(void *ctx, const char *name, uint32_t *out)
{
    const bool *missing_b = ctx;
    for (int i = 0; i < 3; i++)
        if (strcmp(name, enc_files[i]) == 0 && !(i == 1 && missing_b && *missing_b)) {
            *out = dec_file_index[i];
            return true;
        }
    return false;
}

static bool t_rule_index(void *ctx, const char *code, uint32_t *out)
{
    (void)ctx;
    for (int i = 0; i < 3; i++)
        if (strcmp(code, enc_rules[i]) == 0) {
            *out = dec_rule_index[i];
            return true;
        }
    return false;
}

static LLRcacheNames t_names(bool *missing_b)
{
    return (LLRcacheNames){missing_b, t_file_name, t_file_name, t_rule_code, t_file_index, t_rule_index};
}

static LLStep *make_steps(uint32_t n, uint32_t file, const char *what)
{
    LLStep *s = ll_xcalloc(n, sizeof *s);
    for (uint32_t i = 0; i < n; i++) {
        s[i].file = (file + i) % 3;
        s[i].span = (LLSpan){10 + i, 2 + i, 11 + i, 9 + i};
        char msg[64];
        snprintf(msg, sizeof msg, "%s %u", what, i);
        s[i].message = ll_xstrdup(msg);
    }
    return s;
}

static void fill_result(LLFileResult *r)
{
    memset(r, 0, sizeof *r);
    for (int k = 0; k < 2; k++) {
        LLFinding f;
        memset(&f, 0, sizeof f);
        f.file = (uint32_t)k;
        f.rule = (uint32_t)(2 - k);
        f.span = (LLSpan){3 + k, 5, 3 + k, 40};
        f.severity = k ? LL_SEV_ERROR : LL_SEV_NOTE;
        f.provenance = k ? LL_PROV_UNTRUSTED : LL_PROV_SELF;
        f.graded = k;
        f.suppressed = k ? LL_SUPP_DUPLICATE : LL_SUPP_ROUND_TRIP;
        f.context = k ? LL_CTX_EXAMPLE : LL_CTX_TEST;
        f.lowered = !k;
        f.message = ll_xstrdup(k ? "message \xc3\xa9 with \"quotes\"" : "");
        f.callee = ll_xstrdup("pickle.loads");
        f.snippet = ll_xstrdup("pickle.loads(data)");
        f.source = k ? ll_xstrdup("flask.request.data") : NULL;
        f.verified = k ? NULL : ll_xstrdup("hmac.compare_digest");
        f.input_literal = ll_xstrdup("model.pkl");
        f.nsteps = 3;
        f.steps = make_steps(3, (uint32_t)k, "step");
        f.fp_hash = 77; /* not stored */
        f.fp_occurrence = 3;
        f.binary = k;
        f.byte_offset = 0x1122334455ull + (uint64_t)k;
        f.byte_length = UINT64_MAX - (uint64_t)k;
        f.nmembers = 2;
        f.members = ll_xcalloc(2, sizeof *f.members);
        f.members[0] = ll_xstrdup("archive/data.pkl");
        f.members[1] = ll_xstrdup("inner");
        if (k) { /* an offered fix with its edits; the other finding has none */
            f.fix = ll_xcalloc(1, sizeof *f.fix);
            f.fix->status = LL_FIX_OFFERED;
            f.fix->safe = false;
            f.fix->spec = 2;
            f.fix->description = ll_xstrdup("add weights_only=True");
            f.fix->reason = ll_xstrdup("may refuse old checkpoints");
            f.fix->nedits = 2;
            f.fix->edits = ll_xcalloc(2, sizeof *f.fix->edits);
            for (uint32_t i = 0; i < 2; i++)
                f.fix->edits[i] = (LLFixEdit){10 * i, 10 * i + 3, 4, 5 + i, 4, 9, ll_xstrdup(i ? ", x" : ""), i == 1};
            f.fix->text_len = 12345;
            f.fix->text_hash = 0xdeadbeefcafef00dull;
        }
        LL_VEC_PUSH(&r->findings, f);
    }
    LLDiag d1 = {0, LL_DIAG_WARNING, 4, 7, ll_xstrdup("syntax error")};
    LLDiag d2 = {UINT32_MAX, LL_DIAG_ERROR, 0, 0, ll_xstrdup("no file")};
    LL_VEC_PUSH(&r->diags, d1);
    LL_VEC_PUSH(&r->diags, d2);
    LLFuncSummary *fs = ll_xcalloc(1, sizeof *fs);
    fs->name = ll_xstrdup("pkg.b.load_it");
    fs->file = 1;
    fs->nparams = 2;
    fs->param_names = ll_xcalloc(2, sizeof *fs->param_names);
    fs->param_names[0] = ll_xstrdup("self");
    fs->param_names[1] = NULL;
    fs->method = true;
    fs->returns_source = ll_xstrdup("sys.argv");
    fs->nreturn_steps = 2;
    fs->return_steps = make_steps(2, 2, "returned");
    for (int k = 0; k < 2; k++) {
        LLParamSink s = {.param = (uint32_t)k + 1, .param_name = ll_xstrdup("blob"),
                         .rule = (uint32_t)k, .file = 2, .sink = {20, 4, 21, 30},
                         .callee = ll_xstrdup("torch.load"), .snippet = ll_xstrdup("torch.load(blob)"),
                         .message = ll_xstrdup("rendered"), .steps = make_steps(1, 0, "to"),
                         .nsteps = 1};
        LL_VEC_PUSH(&fs->sinks, s);
    }
    LL_VEC_PUSH(&r->summaries, fs);
    LLDep dep1 = {0x1234567890abcdefull, 0, 1, true};
    LLDep dep2 = {0xfedcba0987654321ull, 0x1111ull, 2, false};
    LL_VEC_PUSH(&r->deps, dep1);
    LL_VEC_PUSH(&r->deps, dep2);
    LLExport x1 = {LL_EXPORT_NAME, false, ll_xstrdup("loads"), ll_xstrdup("pickle.loads")};
    LLExport x2 = {LL_EXPORT_CLASS, true, ll_xstrdup("U"), ll_xstrdup("pickle.Unpickler")};
    LLExport x3 = {LL_EXPORT_ALL, false, ll_xstrdup("loads"), NULL};
    LLExport x4 = {LL_EXPORT_STAR, false, ll_xstrdup(""), ll_xstrdup("pkg.compat")};
    LL_VEC_PUSH(&r->exports, x1);
    LL_VEC_PUSH(&r->exports, x2);
    LL_VEC_PUSH(&r->exports, x3);
    LL_VEC_PUSH(&r->exports, x4);
}

static uint32_t mapped_file(uint32_t f)
{
    return f == UINT32_MAX ? UINT32_MAX : dec_file_index[f];
}

static void same_str(const char *a, const char *b, const char *what)
{
    if (!a || !b)
        cr_assert(a == b, "%s: NULL on one side only", what);
    else
        cr_assert_str_eq(a, b, "%s", what);
}

static void same_steps(const LLStep *a, uint32_t na, const LLStep *b, uint32_t nb)
{
    cr_assert_eq(na, nb);
    for (uint32_t i = 0; i < na; i++) {
        cr_assert_eq(mapped_file(a[i].file), b[i].file);
        cr_assert_eq(memcmp(&a[i].span, &b[i].span, sizeof a[i].span), 0);
        same_str(a[i].message, b[i].message, "step message");
    }
}

static void same_result(const LLFileResult *a, const LLFileResult *b)
{
    cr_assert_eq(a->findings.len, b->findings.len);
    for (size_t i = 0; i < a->findings.len; i++) {
        const LLFinding *x = &a->findings.items[i], *y = &b->findings.items[i];
        cr_assert_eq(mapped_file(x->file), y->file);
        cr_assert_eq(dec_rule_index[x->rule], y->rule);
        cr_assert_eq(memcmp(&x->span, &y->span, sizeof x->span), 0);
        cr_assert_eq(x->severity, y->severity);
        cr_assert_eq(x->provenance, y->provenance);
        cr_assert_eq(x->graded, y->graded);
        cr_assert_eq(x->suppressed, y->suppressed);
        cr_assert_eq(x->context, y->context);
        cr_assert_eq(x->lowered, y->lowered);
        same_str(x->message, y->message, "message");
        same_str(x->callee, y->callee, "callee");
        same_str(x->snippet, y->snippet, "snippet");
        same_str(x->source, y->source, "source");
        same_str(x->verified, y->verified, "verified");
        same_str(x->input_literal, y->input_literal, "input_literal");
        same_steps(x->steps, x->nsteps, y->steps, y->nsteps);
        cr_assert_eq(y->fp_hash, 0, "fp fields are recomputed, not stored");
        cr_assert_eq(y->fp_occurrence, 0);
        cr_assert_eq(x->binary, y->binary);
        cr_assert_eq(x->byte_offset, y->byte_offset);
        cr_assert_eq(x->byte_length, y->byte_length);
        cr_assert_eq(x->nmembers, y->nmembers);
        for (uint32_t m = 0; m < x->nmembers; m++)
            same_str(x->members[m], y->members[m], "member");
        cr_assert_eq(x->fix == NULL, y->fix == NULL);
        if (x->fix) {
            cr_assert_eq(x->fix->status, y->fix->status);
            cr_assert_eq(x->fix->safe, y->fix->safe);
            cr_assert_eq(x->fix->spec, y->fix->spec);
            same_str(x->fix->description, y->fix->description, "fix description");
            same_str(x->fix->reason, y->fix->reason, "fix reason");
            cr_assert_eq(x->fix->nedits, y->fix->nedits);
            for (uint32_t k = 0; k < x->fix->nedits; k++) {
                const LLFixEdit *ea = &x->fix->edits[k], *eb = &y->fix->edits[k];
                cr_assert(ea->start == eb->start && ea->end == eb->end && ea->line == eb->line &&
                          ea->col == eb->col && ea->end_line == eb->end_line &&
                          ea->end_col == eb->end_col && ea->mergeable == eb->mergeable);
                same_str(ea->text, eb->text, "edit text");
            }
            cr_assert_eq(x->fix->text_len, y->fix->text_len);
            cr_assert_eq(x->fix->text_hash, y->fix->text_hash);
        }
    }
    cr_assert_eq(a->diags.len, b->diags.len);
    for (size_t i = 0; i < a->diags.len; i++) {
        cr_assert_eq(mapped_file(a->diags.items[i].file), b->diags.items[i].file);
        cr_assert_eq(a->diags.items[i].kind, b->diags.items[i].kind);
        cr_assert_eq(a->diags.items[i].line, b->diags.items[i].line);
        cr_assert_eq(a->diags.items[i].col, b->diags.items[i].col);
        same_str(a->diags.items[i].message, b->diags.items[i].message, "diag");
    }
    cr_assert_eq(a->summaries.len, b->summaries.len);
    for (size_t i = 0; i < a->summaries.len; i++) {
        const LLFuncSummary *x = a->summaries.items[i], *y = b->summaries.items[i];
        same_str(x->name, y->name, "summary name");
        cr_assert_null(y->key);
        cr_assert_eq(mapped_file(x->file), y->file);
        cr_assert_eq(x->nparams, y->nparams);
        for (uint32_t p = 0; p < x->nparams; p++)
            same_str(x->param_names[p], y->param_names[p], "param name");
        cr_assert_eq(x->method, y->method);
        same_str(x->returns_source, y->returns_source, "returns_source");
        same_steps(x->return_steps, x->nreturn_steps, y->return_steps, y->nreturn_steps);
        cr_assert_eq(x->sinks.len, y->sinks.len);
        for (size_t k = 0; k < x->sinks.len; k++) {
            const LLParamSink *s = &x->sinks.items[k], *t = &y->sinks.items[k];
            cr_assert_eq(s->param, t->param);
            same_str(s->param_name, t->param_name, "param_name");
            cr_assert_eq(dec_rule_index[s->rule], t->rule);
            cr_assert_eq(mapped_file(s->file), t->file);
            cr_assert_eq(memcmp(&s->sink, &t->sink, sizeof s->sink), 0);
            same_str(s->callee, t->callee, "sink callee");
            same_str(s->snippet, t->snippet, "sink snippet");
            same_str(s->message, t->message, "sink message");
            same_steps(s->steps, s->nsteps, t->steps, t->nsteps);
        }
    }
    cr_assert_eq(a->deps.len, b->deps.len);
    for (size_t i = 0; i < a->deps.len; i++) {
        cr_assert_eq(a->deps.items[i].name, b->deps.items[i].name);
        cr_assert_eq(a->deps.items[i].method, b->deps.items[i].method);
        cr_assert_eq(mapped_file(a->deps.items[i].file), b->deps.items[i].file);
        cr_assert_eq(a->deps.items[i].returns, b->deps.items[i].returns);
    }
    cr_assert_eq(a->exports.len, b->exports.len);
    for (size_t i = 0; i < a->exports.len; i++) {
        cr_assert_eq(a->exports.items[i].kind, b->exports.items[i].kind);
        cr_assert_eq(a->exports.items[i].restricts, b->exports.items[i].restricts);
        same_str(a->exports.items[i].name, b->exports.items[i].name, "export name");
        same_str(a->exports.items[i].target, b->exports.items[i].target, "export target");
    }
}

Test(rcache_serial, round_trip_of_every_field_with_references_remapped)
{
    LLFileResult r, back;
    fill_result(&r);
    LLRcacheNames names = t_names(NULL);
    LLBuf b;
    ll_buf_init(&b);
    ll_rcache_encode_result(&b, &r, &names);
    LLRcacheReader rd;
    ll_rcache_reader_init(&rd, b.data, b.len);
    cr_assert_eq(ll_rcache_decode_result(&rd, &names, &back), LL_RCACHE_DECODE_OK);
    cr_assert_eq(rd.p, rd.end, "the whole encoding is read");
    same_result(&r, &back);
    ll_file_result_release(&back);
    ll_file_result_release(&r);
    ll_buf_release(&b);
}

Test(rcache_serial, every_truncation_is_refused_without_leaks)
{
    LLFileResult r, back;
    fill_result(&r);
    LLRcacheNames names = t_names(NULL);
    LLBuf b;
    ll_buf_init(&b);
    ll_rcache_encode_result(&b, &r, &names);
    for (size_t n = 0; n < b.len; n++) {
        LLRcacheReader rd;
        ll_rcache_reader_init(&rd, b.data, n);
        /* every section has its count: a prefix always runs out */
        LLRcacheDecode d = ll_rcache_decode_result(&rd, &names, &back);
        cr_assert(d == LL_RCACHE_DECODE_CORRUPT, "a prefix of %zu bytes: %d", n, d);
        cr_assert_eq(back.findings.len + back.summaries.len + back.diags.len, 0);
    }
    ll_file_result_release(&r);
    ll_buf_release(&b);
}

Test(rcache_serial, unknown_files_are_not_errors_but_misses)
{
    LLFileResult r, back;
    fill_result(&r);
    LLRcacheNames names = t_names(NULL);
    LLBuf b;
    ll_buf_init(&b);
    ll_rcache_encode_result(&b, &r, &names);
    bool missing_b = true; /* pkg/b.py is not in the next run */
    LLRcacheNames next = t_names(&missing_b);
    LLRcacheReader rd;
    ll_rcache_reader_init(&rd, b.data, b.len);
    cr_assert_eq(ll_rcache_decode_result(&rd, &next, &back), LL_RCACHE_DECODE_UNKNOWN);
    cr_assert_eq(back.findings.len, 0);
    ll_file_result_release(&r);
    ll_buf_release(&b);
}

Test(rcache_serial, malformed_values_are_refused)
{
    LLRcacheNames names = t_names(NULL);
    LLFileResult back;
    /* one finding whose file reference points past the (empty) table */
    const unsigned char bad_ref[] = {0, 0, 1, 5};
    /* a string holding a NUL byte, a 65-bit varint */
    const unsigned char nul[] = {1, 3, 'a', 0, 'b'};
    const unsigned char wide[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
    const unsigned char *inputs[] = {bad_ref, nul, wide};
    size_t lens[] = {sizeof bad_ref, sizeof nul, sizeof wide};
    for (size_t i = 0; i < 3; i++) {
        LLRcacheReader rd;
        ll_rcache_reader_init(&rd, inputs[i], lens[i]);
        cr_assert_neq(ll_rcache_decode_result(&rd, &names, &back), LL_RCACHE_DECODE_OK, "input %zu", i);
    }
}

/* ---- entries and packs -------------------------------------------------------- */

Test(rcache_store, damaged_truncated_and_foreign_entries_are_refused)
{
    const char body[] = "a body of some bytes";
    LLBuf e;
    ll_buf_init(&e);
    ll_rcache_entry_build(&e, body, sizeof body);
    const uint8_t *got;
    size_t len;
    const char *why = NULL;
    cr_assert(ll_rcache_entry_check((const uint8_t *)e.data, e.len, &got, &len, &why));
    cr_assert_eq(len, sizeof body);
    cr_assert_eq(memcmp(got, body, len), 0);
    for (size_t i = 0; i < e.len; i++) { /* every byte matters */
        char *copy = ll_xmalloc(e.len);
        memcpy(copy, e.data, e.len);
        copy[i] ^= 0x20;
        why = NULL;
        cr_assert(!ll_rcache_entry_check((const uint8_t *)copy, e.len, &got, &len, &why),
                  "byte %zu flipped passed", i);
        cr_assert_not_null(why);
        free(copy);
    }
    for (size_t n = 0; n < e.len; n++)
        cr_assert(!ll_rcache_entry_check((const uint8_t *)e.data, n, &got, &len, &why));
    cr_assert(!ll_rcache_entry_check((const uint8_t *)"#!/bin/sh\necho not an entry at all\n", 36,
                                     &got, &len, &why));
    cr_assert_str_eq(why, "not a loadlint cache entry (no LLRCACHE header)");
    ll_buf_release(&e);
}

static char *temp_dir(void)
{
    char tmpl[] = "/tmp/loadlint-rcache-XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    return ll_xstrdup(tmpl);
}

static void remove_tree(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static bool exists(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* The path of the one pack of cache directory `dir`. */
static void pack_of(const char *dir, char *out, size_t n)
{
    char v[1024];
    snprintf(v, sizeof v, "%s/v%u", dir, LL_RCACHE_FORMAT);
    DIR *d = opendir(v);
    cr_assert_not_null(d);
    struct dirent *de;
    out[0] = '\0';
    while ((de = readdir(d)))
        if (strncmp(de->d_name, "pack-", 5) == 0)
            snprintf(out, n, "%s/%s", v, de->d_name);
    closedir(d);
    cr_assert(out[0], "no pack in %s", v);
}

Test(rcache_store, pack_round_trip_damage_and_a_damaged_key)
{
    char *dir = temp_dir();
    char sub[600];
    snprintf(sub, sizeof sub, "%s/cache", dir);
    LLRcacheStore st;
    LLBuf why, warn;
    ll_buf_init(&why);
    ll_buf_init(&warn);
    cr_assert(ll_rcache_store_open(&st, sub, "/project", 0, &why, &warn), "%s", why.data);
    cr_assert(exists(sub, ".gitignore") && exists(sub, "CACHEDIR.TAG") && exists(sub, "key"));
    LLDigest n1 = {1, 2}, n2 = {3, 4};
    cr_assert(ll_rcache_store_put(&st, n1, 0, "first", 5, &why), "%s", why.data);
    cr_assert(ll_rcache_store_put(&st, n2, 3, "second entry", 12, &why), "%s", why.data);
    ll_rcache_store_commit(&st, &warn);
    cr_assert_eq(warn.len, 0, "%s", warn.data);
    ll_rcache_store_release(&st);

    /* another process: reads both back */
    cr_assert(ll_rcache_store_open(&st, sub, "/project", 0, &why, &warn), "%s", why.data);
    uint8_t *data;
    const uint8_t *body;
    size_t len;
    cr_assert_eq(ll_rcache_store_get(&st, n2, 3, &data, &body, &len, &why), LL_RCACHE_ENTRY_OK);
    cr_assert_eq(len, 12);
    cr_assert_eq(memcmp(body, "second entry", 12), 0);
    free(data);
    cr_assert_eq(ll_rcache_store_get(&st, n2, 2, &data, &body, &len, &why), LL_RCACHE_ENTRY_MISSING);
    ll_rcache_store_release(&st);

    /* a byte of an entry damaged: that entry is refused, with the reason */
    char pack[2048];
    pack_of(sub, pack, sizeof pack);
    int fd = open(pack, O_RDWR);
    cr_assert(fd >= 0);
    unsigned char c;
    cr_assert_eq(pread(fd, &c, 1, LL_RCACHE_PACK_HEADER_BYTES + LL_RCACHE_HEADER_BYTES + 2), 1);
    c ^= 1;
    cr_assert_eq(pwrite(fd, &c, 1, LL_RCACHE_PACK_HEADER_BYTES + LL_RCACHE_HEADER_BYTES + 2), 1);
    close(fd);
    cr_assert(ll_rcache_store_open(&st, sub, "/project", 0, &why, &warn), "%s", why.data);
    ll_buf_reset(&why);
    cr_assert_eq(ll_rcache_store_get(&st, n1, 0, &data, &body, &len, &why), LL_RCACHE_ENTRY_BAD);
    cr_assert(strstr(why.data, "checksum mismatch"), "%s", why.data);
    cr_assert_eq(ll_rcache_store_get(&st, n2, 3, &data, &body, &len, &why), LL_RCACHE_ENTRY_OK);
    free(data);
    ll_rcache_store_release(&st);

    /* a truncated pack, a foreign file as the pack: not used, reported */
    cr_assert_eq(truncate(pack, 50), 0);
    ll_buf_reset(&warn);
    cr_assert(ll_rcache_store_open(&st, sub, "/project", 0, &why, &warn), "%s", why.data);
    cr_assert(strstr(warn.data, "is truncated") || strstr(warn.data, "damaged"), "%s", warn.data);
    cr_assert_eq(ll_rcache_store_get(&st, n2, 3, &data, &body, &len, &why), LL_RCACHE_ENTRY_MISSING);
    ll_rcache_store_release(&st);
    FILE *f = fopen(pack, "w");
    fputs("print('a python file is not a pack, however long it is')\n", f);
    fclose(f);
    ll_buf_reset(&warn);
    cr_assert(ll_rcache_store_open(&st, sub, "/project", 0, &why, &warn), "%s", why.data);
    cr_assert(strstr(warn.data, "not a loadlint cache pack"), "%s", warn.data);
    ll_rcache_store_release(&st);

    /* a damaged key: a new one, said so */
    char key[700];
    snprintf(key, sizeof key, "%s/key", sub);
    f = fopen(key, "w");
    fputs("garbage", f);
    fclose(f);
    ll_buf_reset(&warn);
    cr_assert(ll_rcache_store_open(&st, sub, "/project", 0, &why, &warn), "%s", why.data);
    cr_assert(strstr(warn.data, "is damaged: a new one is made"), "%s", warn.data);
    ll_rcache_store_release(&st);
    struct stat sb;
    cr_assert_eq(stat(key, &sb), 0);
    cr_assert_eq(sb.st_size, LL_RCACHE_KEY_FILE_BYTES);

    ll_buf_release(&why);
    ll_buf_release(&warn);
    remove_tree(dir);
    free(dir);
}

Test(rcache_store, a_directory_that_cannot_be_made_is_an_inactive_cache)
{
    LLRcache *c = ll_rcache_open("/proc/loadlint-cannot-be-here/cache", "/p", 0);
    cr_assert_not_null(c);
    cr_assert(!ll_rcache_usable(c));
    ll_rcache_free(c);
}

Test(rcache_fuzz, probe_accepts_nothing_malformed)
{
    cr_assert(!ll_rcache_entry_probe((const uint8_t *)"", 0, false));
    cr_assert(!ll_rcache_entry_probe((const uint8_t *)"LLRCACHE", 8, false));
    unsigned char junk[300];
    for (int i = 0; i < 300; i++)
        junk[i] = (unsigned char)(i * 31 + 7);
    cr_assert(!ll_rcache_entry_probe(junk, sizeof junk, true));
}

/* ---- views of name sets ------------------------------------------------------- */

Test(rcache_view, a_set_change_a_file_cannot_see_keeps_its_view)
{
    LLNameSet a, b;
    ll_nameset_init(&a);
    ll_nameset_init(&b);
    ll_nameset_add(&a, "pkg.mod.load_it");
    ll_nameset_add(&b, "pkg.mod.load_it");
    ll_nameset_add(&b, "other.place.unrelated_fn"); /* b: one more name */
    LLIdentSet ids;
    ll_identset_init(&ids);
    const char *text = "from pkg.mod import load_it\nload_it(x)\n";
    ll_identset_build(&ids, text, strlen(text), "app");
    cr_assert(!ll_digest_eq(ll_rcache_set_digest(&a, NULL), ll_rcache_set_digest(&b, NULL)),
              "the sets differ");
    cr_assert(ll_digest_eq(ll_rcache_set_digest(&a, &ids), ll_rcache_set_digest(&b, &ids)),
              "but not in what this file can match");
    /* a name whose last segment it mentions changes its view (the offsets
     * of last segments are read) */
    ll_nameset_add(&b, "zzz.load_it2");
    const char *text2 = "from pkg.mod import load_it\nload_it2(x)\n";
    ll_identset_build(&ids, text2, strlen(text2), "app");
    cr_assert(!ll_digest_eq(ll_rcache_set_digest(&a, &ids), ll_rcache_set_digest(&b, &ids)));
    ll_identset_release(&ids);
    ll_nameset_release(&a);
    ll_nameset_release(&b);
}

Test(rcache_view, both_ways_of_making_a_view_agree)
{
    LLNameSet set;
    ll_nameset_init(&set);
    char name[64];
    for (int i = 0; i < 3000; i++) { /* more names than a file has identifiers */
        snprintf(name, sizeof name, "pkg%d.mod%d.fn%d", i % 7, i % 13, i);
        ll_nameset_add(&set, name);
    }
    ll_nameset_add(&set, "()"); /* a name without segments matches any file */
    ll_nameset_add(&set, "solo");
    LLIdentSet ids;
    ll_identset_init(&ids);
    const char *texts[] = {"pkg1 mod1 fn1 fn14 fn27 fn40 solo", "pkg3 mod5 fn57 fn300", "nothing",
                           "pkg0 pkg1 pkg2 pkg3 pkg4 pkg5 pkg6 mod0 mod1 mod2 mod3 fn0 fn1 fn2 fn3 fn91"};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        ll_identset_build(&ids, texts[t], strlen(texts[t]), "app");
        cr_assert(ll_digest_eq(ll_rcache_set_digest(&set, &ids), ll_rcache_set_digest_by_ids(&set, &ids)),
                  "text %zu", t);
    }
    ll_identset_build(&ids, "pkg1 mod1 fn1", 13, "app");
    LLDigest with = ll_rcache_set_digest(&set, &ids);
    ll_identset_build(&ids, "pkg1 mod2 fn1", 13, "app");
    cr_assert(!ll_digest_eq(with, ll_rcache_set_digest(&set, &ids)), "pkg1.mod1.fn1 is seen only by the first");
    ll_identset_release(&ids);
    ll_nameset_release(&set);
}

/* ---- two runs of ll_run over a project ------------------------------------------ */

typedef struct Proj {
    char *dir;
    LLSyntax syn;
    LLRuleset *rules;
} Proj;

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s", p);
    fputs(text, f);
    fclose(f);
}

/* One run (files of dir: app.py, pkg/__init__.py, pkg/store.py) with the
 * cache; its findings as text, and the cache's statistics. */
static char *run_once(Proj *p, const char *cachedir, LLRcacheStats *stats)
{
    char paths[3][600];
    snprintf(paths[0], sizeof paths[0], "%s/app.py", p->dir);
    snprintf(paths[1], sizeof paths[1], "%s/pkg/__init__.py", p->dir);
    snprintf(paths[2], sizeof paths[2], "%s/pkg/store.py", p->dir);
    LLFileList files = {0};
    for (int i = 0; i < 3; i++)
        ll_file_list_add(&files, paths[i], paths[i]);
    LLRcache *c = cachedir ? ll_rcache_open(cachedir, p->dir, 0) : NULL;
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = 2;
    ro.cache = c;
    LLRunResult run;
    ll_run(p->rules, &p->syn, &files, &ro, &run);
    LLBuf out;
    ll_buf_init(&out);
    for (size_t i = 0; i < run.findings.len; i++) {
        const LLFinding *f = &run.findings.items[i];
        ll_buf_printf(&out, "%s:%u:%u %s %d %s\n", files.files.items[f->file].display, f->span.line,
                      f->span.col, p->rules->rules[f->rule].code, f->severity, f->message);
    }
    for (size_t i = 0; i < run.diags.len; i++)
        ll_buf_printf(&out, "diag %s\n", run.diags.items[i].message);
    if (stats)
        ll_rcache_stats(c, stats);
    ll_rcache_free(c);
    ll_run_result_release(&run);
    ll_file_list_release(&files);
    return ll_buf_detach(&out);
}

Test(rcache_run, a_warm_run_takes_every_analysis_from_the_cache_and_equals_a_cold_one)
{
    Proj p;
    p.dir = temp_dir();
    p.rules = lt_builtin_rules();
    cr_assert_eq(ll_syntax_init(&p.syn, ll_syntax_python()), 0);
    char pkg[600], cache[600];
    snprintf(pkg, sizeof pkg, "%s/pkg", p.dir);
    snprintf(cache, sizeof cache, "%s/cache", p.dir);
    mkdir(pkg, 0777);
    write_file(p.dir, "pkg/__init__.py", "");
    write_file(p.dir, "pkg/store.py", "import pickle\n\n\ndef load_it(blob):\n    return pickle.loads(blob)\n");
    write_file(p.dir, "app.py", "import sys\nfrom pkg.store import load_it\n\nload_it(sys.argv[1])\n");
    char *cold = run_once(&p, NULL, NULL);
    cr_assert(strstr(cold, "LL101 2"), "the flow across files is an error: %s", cold);
    LLRcacheStats s1, s2, s3;
    char *first = run_once(&p, cache, &s1);
    char *warm = run_once(&p, cache, &s2);
    cr_assert_str_eq(first, cold);
    cr_assert_str_eq(warm, cold);
    cr_assert_eq(s1.hits, 0);
    cr_assert_gt(s1.stored, 0);
    cr_assert_eq(s2.hits, s2.lookups, "every analysis of the warm run is a hit");
    cr_assert_eq(s2.stored, 0);
    /* the caller no longer passes untrusted data: the sink file's finding
     * changes, though that file did not */
    write_file(p.dir, "app.py", "import sys\nfrom pkg.store import load_it\n\nload_it(b'constant')\n");
    char *cold2 = run_once(&p, NULL, NULL);
    char *warm2 = run_once(&p, cache, &s3);
    cr_assert_str_eq(warm2, cold2);
    cr_assert_str_neq(cold2, cold);
    cr_assert_gt(s3.hits, 0, "what did not change is reused");
    cr_assert_gt(s3.stored, 0, "what changed is analysed again");
    /* the records a run wrote decode whole (what the fuzz target probes) */
    LLRcacheStore st;
    LLBuf why, warn;
    ll_buf_init(&why);
    ll_buf_init(&warn);
    cr_assert(ll_rcache_store_open(&st, cache, p.dir, 0, &why, &warn), "%s", why.data);
    size_t records = 0;
    for (size_t i = 0; i < st.nold; i++) {
        uint8_t *data;
        const uint8_t *body;
        size_t len;
        cr_assert_eq(ll_rcache_store_get(&st, st.old[i].name, st.old[i].ordinal, &data, &body, &len, &why),
                     LL_RCACHE_ENTRY_OK);
        records += ll_rcache_entry_probe(body, len, true);
        free(data);
    }
    cr_assert_geq(records, 3, "%zu of %zu entries decode as records", records, st.nold);
    ll_rcache_store_release(&st);
    ll_buf_release(&why);
    ll_buf_release(&warn);
    free(cold);
    free(first);
    free(warm);
    free(cold2);
    free(warm2);
    ll_syntax_release(&p.syn);
    ll_ruleset_free(p.rules);
    remove_tree(p.dir);
    free(p.dir);
}
