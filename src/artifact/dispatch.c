#include "artifact/dispatch.h"

#include "artifact/gguf.h"
#include "artifact/hdf5.h"
#include "artifact/onnx.h"
#include "artifact/safetensors.h"
#include "artifact/savedmodel.h"
#include "artifact/zip.h"

#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t k_hdf5_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

/* The member of a Keras v3 archive holding the model's config. */
#define KERAS_CONFIG_MEMBER "config.json"

LLStatus ll_art_policies_init(LLArtPolicies *p, LLError *err)
{
    memset(p, 0, sizeof *p);
    ll_pickle_policy_init(&p->pickle);
    LLStatus st = ll_pickle_policy_add_builtin(&p->pickle, err);
    if (st != LL_OK)
        return st;
    return ll_art_keras_policy_builtin(&p->keras, err);
}

void ll_art_policies_release(LLArtPolicies *p)
{
    ll_pickle_policy_release(&p->pickle);
    ll_art_keras_policy_free(p->keras);
    p->keras = NULL;
}

const char *ll_art_verdict_name(LLArtVerdict v)
{
    switch (v) {
    case LL_ART_SAFE: return "safe";
    case LL_ART_SUSPICIOUS: return "suspicious";
    case LL_ART_MALICIOUS: return "malicious";
    case LL_ART_UNSCANNABLE: return "unscannable";
    default: return "not-model";
    }
}

const char *ll_art_claim_name(LLArtClaim c)
{
    switch (c) {
    case LL_ART_CLAIM_FAMILY: return "pickle-family";
    case LL_ART_CLAIM_HDF5: return "hdf5";
    case LL_ART_CLAIM_GGUF: return "gguf";
    case LL_ART_CLAIM_SAFETENSORS: return "safetensors";
    case LL_ART_CLAIM_SAVEDMODEL: return "savedmodel";
    case LL_ART_CLAIM_ONNX: return "onnx";
    case LL_ART_CLAIM_KERAS_JSON: return "keras-json";
    default: return "none";
    }
}

static const char *base_name(const char *name)
{
    if (!name)
        return NULL;
    const char *s = strrchr(name, '/');
    return s ? s + 1 : name;
}

/* The claim, and whether it rests on the bytes alone where a reader's
 * docs want more (an ONNX head without the name: tentative). `also_family`:
 * an HDF5 user block whose bytes the pickle family claims too. */
static LLArtClaim claim(const char *name, const uint8_t *h, size_t n, bool *tentative, bool *also_family)
{
    *tentative = false;
    *also_family = false;
    if (n > LL_ART_SNIFF_BYTES)
        n = LL_ART_SNIFF_BYTES;
    if (!n)
        return LL_ART_CLAIM_NONE;
    const char *base = base_name(name);
    if (n >= sizeof k_hdf5_signature && memcmp(h, k_hdf5_signature, sizeof k_hdf5_signature) == 0)
        return LL_ART_CLAIM_HDF5;
    if (ll_art_gguf_sniff(h, n))
        return LL_ART_CLAIM_GGUF;
    if (ll_art_safetensors_sniff(h, n))
        return LL_ART_CLAIM_SAFETENSORS;
    LLArtKind k = ll_art_sniff(base, h, n);
    if (ll_art_hdf5_sniff(h, n)) {
        *also_family = k != LL_ART_KIND_NONE && k != LL_ART_KIND_LFS;
        return LL_ART_CLAIM_HDF5;
    }
    if (k != LL_ART_KIND_NONE)
        return LL_ART_CLAIM_FAMILY;
    if (base && ll_art_savedmodel_name_kind(base) != LL_SAVEDMODEL_NONE)
        return LL_ART_CLAIM_SAVEDMODEL;
    if (base && ll_art_onnx_name_matches(base))
        return LL_ART_CLAIM_ONNX;
    if (ll_art_onnx_sniff(h, n)) {
        *tentative = true;
        return LL_ART_CLAIM_ONNX;
    }
    if (ll_art_keras_sniff(h, n))
        return LL_ART_CLAIM_KERAS_JSON;
    return LL_ART_CLAIM_NONE;
}

LLArtClaim ll_art_claim(const char *name, const uint8_t *head, size_t n)
{
    bool tentative, also;
    return claim(name, head, n, &tentative, &also);
}

static bool member_is(const LLZipEntry *e, const char *name)
{
    size_t n = strlen(name);
    return e->name_len == n && memcmp(e->name, name, n) == 0;
}

static bool member_ends_with(const LLZipEntry *e, const char *suffix)
{
    size_t n = strlen(suffix);
    return e->name_len >= n && memcmp(e->name + e->name_len - n, suffix, n) == 0;
}

/* Reads member e of z fully (at most max bytes) and hands it to the Keras
 * config reader (config.json) or the HDF5 reader (*.h5), located in the
 * member. */
static void keras_member(const LLArtPolicies *p, const LLArtCtx *ctx, const LLZip *z, const LLZipEntry *e,
                         bool config, LLArtResult *out)
{
    char *mname = ll_xstrndup((const char *)e->name, e->name_len);
    LLArtCtx child;
    if (ll_art_ctx_enter(ctx, mname, e->local_off, &child, out)) {
        uint64_t max = config ? LL_KERAS_MAX_CONFIG_BYTES : ll_art_ctx_max_decompressed(ctx);
        LLZipMember m;
        if (ll_zip_read(z, e, ctx, max, false, &m, out)) {
            if (ctx->budget && m.owned.len)
                *ctx->budget -= m.owned.len < *ctx->budget ? m.owned.len : *ctx->budget;
            LLArtLoc where = ll_art_ctx_loc(&child, 0, 0);
            LLArtKerasOptions ko = {p->keras};
            if (config) {
                ll_art_keras_scan(&ko, m.data, m.len, &where, out);
            } else {
                LLArtHdf5Options ho = {&ko};
                ll_art_hdf5_scan(&ho, m.data, m.len, &where, out);
            }
        }
        ll_zip_member_release(&m);
    }
    free(mname);
}

/* A zip archive whose root holds a Keras config.json is a Keras v3 model
 * (.keras): the config and the *.h5 members (model.weights.h5) are read.
 * `zip_format` is what the zip reader made of the archive (NULL: no member
 * it reads; it then reported nothing about the directory). Returns whether
 * the archive is a Keras model (the readers may have set out->format: the
 * caller sets it). */
static bool keras_zip(const LLArtPolicies *p, LLArtScratch *scratch, const uint8_t *data, size_t len,
                             const char *zip_format, LLArtResult *out)
{
    LLArtScanOptions so = {.policy = &p->pickle};
    uint64_t budget = LL_ART_MAX_DECOMPRESSED_TOTAL;
    LLArtCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.opts = &so;
    ctx.scratch = scratch;
    ctx.budget = &budget;
    /* the directory was read (and its problems reported) by the zip reader */
    LLArtResult quiet;
    ll_art_result_init(&quiet);
    LLZip z;
    bool open = ll_zip_open(&z, &ctx, data, len, &quiet);
    ll_art_result_release(&quiet);
    if (!open)
        return false;
    const LLZipEntry *config = NULL;
    for (size_t i = 0; i < z.entries.len; i++)
        if (member_is(&z.entries.items[i], KERAS_CONFIG_MEMBER))
            config = &z.entries.items[i]; /* the last, as Python's zipfile reads it */
    bool keras = false;
    if (config) {
        LLZipMember head;
        if (ll_zip_read(&z, config, &ctx, 0, true, &head, &quiet))
            keras = ll_art_keras_sniff(head.data, head.len);
        ll_zip_member_release(&head);
        ll_art_result_release(&quiet);
    }
    if (!keras) {
        ll_zip_close(&z);
        return false;
    }
    if (!zip_format && z.divergent) {
        LLArtLoc loc = ll_art_ctx_loc(&ctx, 0, len);
        ll_art_add(out, ART_CHECK_ZIP_DIVERGENCE, LL_SEV_NOTE, LL_ART_SAFE, &loc, NULL,
                   "%s; the Keras members of both were read", z.why);
    }
    keras_member(p, &ctx, &z, config, true, out);
    for (size_t i = 0; i < z.entries.len; i++)
        if (member_ends_with(&z.entries.items[i], ".h5"))
            keras_member(p, &ctx, &z, &z.entries.items[i], false, out);
    ll_zip_close(&z);
    return true;
}

static bool has_check(const LLArtResult *r, const char *check)
{
    for (size_t i = 0; i < r->findings.len; i++)
        if (strcmp(r->findings.items[i].check, check) == 0)
            return true;
    return false;
}

void ll_art_dispatch(const LLArtPolicies *p, LLArtScratch *scratch, const char *name, const uint8_t *data,
                     size_t len, LLArtResult *out)
{
    bool tentative, also_family;
    LLArtClaim c = claim(name, data, len, &tentative, &also_family);
    const char *base = base_name(name);
    LLArtKerasOptions ko = {p->keras};
    LLArtScanOptions so = {.policy = &p->pickle};
    switch (c) {
    case LL_ART_CLAIM_NONE:
        return;
    case LL_ART_CLAIM_FAMILY: {
        ll_art_scan_with(&so, scratch, base, data, len, out);
        if (ll_art_sniff(base, data, len) == LL_ART_KIND_ZIP) {
            const char *zip_format = out->format;
            if (keras_zip(p, scratch, data, len, zip_format, out)) {
                out->format = "keras";
                if (out->verdict < LL_ART_SAFE)
                    out->verdict = LL_ART_SAFE;
            } else {
                out->format = zip_format;
            }
        }
        return;
    }
    case LL_ART_CLAIM_HDF5: {
        LLArtHdf5Options ho = {&ko};
        ll_art_hdf5_scan(&ho, data, len, NULL, out);
        if (also_family) {
            /* a user block holding another format: each loader reads its own */
            const char *hdf5_format = out->format;
            out->format = NULL;
            ll_art_scan_with(&so, scratch, base, data, len, out);
            if (hdf5_format)
                out->format = hdf5_format;
        }
        break;
    }
    case LL_ART_CLAIM_GGUF:
        ll_art_gguf_scan(NULL, data, len, NULL, out);
        break;
    case LL_ART_CLAIM_SAFETENSORS:
        ll_art_safetensors_scan(NULL, data, len, NULL, out);
        break;
    case LL_ART_CLAIM_SAVEDMODEL: {
        LLArtSavedModelOptions o = {&ko, ll_art_savedmodel_name_kind(base)};
        ll_art_savedmodel_scan(&o, data, len, NULL, out);
        break;
    }
    case LL_ART_CLAIM_ONNX:
        ll_art_onnx_scan(NULL, data, len, NULL, out);
        if (tentative && has_check(out, ART_CHECK_MALFORMED)) {
            /* a head that looked like ModelProto fields, and a file that is
             * not one: not a model file */
            ll_art_result_release(out);
            ll_art_result_init(out);
            return;
        }
        break;
    case LL_ART_CLAIM_KERAS_JSON:
        ll_art_keras_scan(&ko, data, len, NULL, out);
        break;
    }
    if (out->format && out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}
