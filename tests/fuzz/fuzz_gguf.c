/* fuzz_gguf.c - bytes -> the binary "safe format" readers: GGUF
 * (src/artifact/gguf.h) and safetensors (src/artifact/safetensors.h), and
 * the chat-template check on the bytes as text.
 *
 * Checked for each scan: every finding has a check and a message and is
 * located inside the input, and the verdict is at least LL_ART_SAFE; the
 * template check's count is consistent with its text. Seeds:
 * tests/fuzz/seeds/fuzz_gguf (GGUF and safetensors files from
 * tests/corpus/artifacts/keras). */
#include "fuzz_common.h"

#include "artifact/gguf.h"
#include "artifact/safetensors.h"

static void check_result(const LLArtResult *r, size_t size, const char *what)
{
    LL_FUZZ_CHECK(r->verdict >= LL_ART_SAFE, "%s: verdict %d", what, (int)r->verdict);
    for (size_t i = 0; i < r->findings.len; i++) {
        const LLArtFinding *f = &r->findings.items[i];
        LL_FUZZ_CHECK(f->check && f->message && f->message[0], "%s: finding %zu unnamed", what,
                      i);
        LL_FUZZ_CHECK(f->loc.offset <= size && f->loc.length <= size - f->loc.offset,
                      "%s: %s at %llu+%llu outside %zu bytes", what, f->check,
                      (unsigned long long)f->loc.offset, (unsigned long long)f->loc.length,
                      size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    LLArtResult r;
    ll_art_result_init(&r);
    ll_art_gguf_scan(NULL, data, size, NULL, &r);
    check_result(&r, size, "gguf");
    ll_art_result_release(&r);
    ll_art_result_init(&r);
    ll_art_safetensors_scan(NULL, data, size, NULL, &r);
    check_result(&r, size, "safetensors");
    ll_art_result_release(&r);
    (void)ll_art_gguf_sniff(data, size);
    (void)ll_art_safetensors_sniff(data, size);
    char out[256];
    unsigned n = ll_art_gguf_template_check((const char *)data, size, out, sizeof out);
    LL_FUZZ_CHECK((n == 0) == (out[0] == '\0'), "template check count %u, text '%s'", n, out);
    return 0;
}
