/* gguf.h - GGUF model files (llama.cpp), validated, and their chat
 * templates checked.
 *
 * GGUF holds no code: a header ("GGUF", version 1-3, little- or big-endian),
 * metadata key/value pairs of 13 types (arrays possibly nested), tensor
 * infos (name, up to 4 dimensions, ggml type, offset) and aligned tensor
 * data. The scan reads all of it but the tensor data: counts are bounded
 * by the bytes left, every string and array by the bytes left, every value
 * type is parsed, keys must be unique, general.alignment must be a power of
 * two, each tensor's type must be a ggml type with a known block size, and
 * its data (offset aligned, size from its shape and type) must lie in the
 * file without overlapping another's. A file failing any of this is
 * ART_CHECK_MALFORMED (or ART_CHECK_LIMIT for nesting past
 * LL_GGUF_MAX_ARRAY_NESTING).
 *
 * The chat template (`tokenizer.chat_template` and the named
 * `tokenizer.chat_template.<name>`) is Jinja2 source that servers render;
 * rendered without a sandbox (llama-cpp-python before 0.2.72, CVE-2024-34359;
 * SGLang, CVE-2026-5760) a template runs Python. A template using the
 * constructs of Jinja2 sandbox escapes (dunder attribute walks such as
 * __class__, __globals__, __subclasses__, __builtins__, __import__, __init__;
 * the attr filter; escaped underscores; os.popen, subprocess, eval/exec;
 * cycler/joiner/namespace/lipsum/self attribute walks) is reported as
 * ART_CHECK_GGUF_TEMPLATE (error, LL_ART_MALICIOUS), naming the constructs.
 * Ordinary templates (namespace(...) objects, loops, filters) are not.
 * A valid file without such a template: verdict LL_ART_SAFE, no finding.
 *
 * Ownership: borrows its input, appends findings; no state between calls. */
#ifndef LL_ARTIFACT_GGUF_H
#define LL_ARTIFACT_GGUF_H
#include "artifact/artifact.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Arrays nested in arrays, followed this deep. */
#define LL_GGUF_MAX_ARRAY_NESTING 8u
/* Chat templates longer than this are not checked (ART_CHECK_LIMIT). */
#define LL_GGUF_MAX_TEMPLATE_BYTES (16u * 1024u * 1024u)
/* Constructs named in one template finding. */
#define LL_GGUF_MAX_QUOTED 6u

typedef struct LLArtGgufOptions {
    int reserved; /* no options yet */
} LLArtGgufOptions;

/* "GGUF" and a version 1-3 (either byte order). */
bool ll_art_gguf_sniff(const uint8_t *head, size_t n);
/* Validates a GGUF file and checks its chat templates. Sets out->format to
 * "gguf" when it is NULL. `o` may be NULL. */
void ll_art_gguf_scan(const LLArtGgufOptions *o, const uint8_t *data, size_t len,
                      const LLArtLoc *where, LLArtResult *out);
/* The template constructs of `tpl` (tpl[0, n)) used by sandbox escapes,
 * comma-separated into out (at most LL_GGUF_MAX_QUOTED); returns how many
 * were found. */
unsigned ll_art_gguf_template_check(const char *tpl, size_t n, char *out, size_t outsz);

#endif
