/* keras.h - analysis of Keras model configurations (JSON).
 *
 * A Keras model is rebuilt from a JSON config: the `config.json` member of
 * a `.keras` (v3) zip, the `model_config` / `training_config` attributes of
 * a legacy `.h5` file (hdf5.h), the `metadata` strings of keras_metadata.pb
 * and of SavedModel user objects (savedmodel.h), or a `model_from_json`
 * document. Each object in it with a `class_name` names something the
 * loader imports or looks up and calls: `module` + `class_name`, or for
 * functions (`"class_name": "function"`) `module` + `config`, or a
 * `registered_name` ("Package>Name") of a registered custom object. This
 * reader walks the parsed JSON iteratively (an explicit stack; nesting is
 * bounded before cJSON parses it, since cJSON's parser and cJSON_Delete
 * recurse) and reports:
 *
 *  - ART_CHECK_KERAS_LAMBDA: a Lambda layer (function, output_shape or
 *    mask) holding marshalled bytecode: the list form [code, defaults,
 *    closure], a {"class_name": "__tuple__"} or {"class_name":
 *    "__lambda__"} object (CVE-2024-3660). The message quotes names found
 *    in the bytecode (os, system...).
 *  - ART_CHECK_KERAS_DANGEROUS: a target the policy lists as dangerous
 *    (os, subprocess, builtins..., keras.utils.get_file, keras.models.
 *    load_model; CVE-2025-1550, CVE-2025-8747), including a Lambda's named
 *    function, a TFOpLambda's TensorFlow function.
 *  - ART_CHECK_KERAS_UNSAFE_TOGGLE: a target (or a string naming one) that
 *    switches safe mode off (keras.config.enable_unsafe_deserialization,
 *    set_global_attribute("safe_mode_saving"); CVE-2025-9906).
 *  - ART_CHECK_KERAS_CUSTOM: a module outside the policy's allowed modules
 *    (__main__, my_pkg...), a registered_name of another package, or a
 *    module-less class name that is not a Keras built-in.
 *  - ART_CHECK_KERAS_SAVEDMODEL_LAYER: TFSMLayer / hub KerasLayer (loads an
 *    external SavedModel; CVE-2026-1462); ART_CHECK_KERAS_FILE_REF: a
 *    lookup layer whose vocabulary is a file path (read at load).
 *  - ART_CHECK_KERAS_SHARED_MISMATCH: occurrences of one shared_object_id
 *    naming different classes (the loader builds the first and reuses it
 *    for the others, whatever they say).
 *  - a TensorFlowOpLayer's node_def op, graded by savedmodel.h's op table.
 * A config that parses and holds none of these leaves the verdict at least
 * LL_ART_SAFE. Text that is not JSON, nested deeper than
 * LL_KERAS_MAX_JSON_DEPTH, or holding "\u0000" (Python and C would read its
 * keys differently) is ART_CHECK_MALFORMED / ART_CHECK_LIMIT. Duplicate
 * keys resolve to the LAST value, as Python's json does. NaN and Infinity
 * (which Python's json writes) are accepted.
 *
 * The policy (rules/data/keras-policy.json, embedded at build time) is
 * data: allowed modules and packages, Keras built-in class names, and the
 * dangerous modules, targets and safe-mode toggles with the reason quoted
 * in messages. Its format is documented at ll_art_keras_policy_parse.
 *
 * Ownership: a policy is created by _parse/_load/_builtin and freed by
 * ll_art_keras_policy_free; it is immutable afterwards and may be shared by
 * any number of threads. Scans borrow their input and append findings
 * (owned by the LLArtResult). No state is kept between calls. */
#ifndef LL_ARTIFACT_KERAS_H
#define LL_ARTIFACT_KERAS_H
#include "artifact/artifact.h"
#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* JSON nesting accepted in a config (cJSON itself stops at 1000, and
 * recurses to get there: this bound is checked before parsing). */
#define LL_KERAS_MAX_JSON_DEPTH 128u
/* Largest config text read (bytes). */
#define LL_KERAS_MAX_CONFIG_BYTES (64u * 1024u * 1024u)
/* Findings kept per config; then one ART_CHECK_LIMIT finding. */
#define LL_KERAS_MAX_FINDINGS 256u
/* Findings whose byte range is located in the text (a scan of the text
 * each); later ones point at the start of the config. */
#define LL_KERAS_MAX_LOCATED 64u
/* Distinct shared_object_ids compared. */
#define LL_KERAS_MAX_SHARED 65536u
/* Base64 bytecode decoded to quote its names (bytes of text). */
#define LL_KERAS_MAX_BYTECODE_TEXT (4u * 1024u * 1024u)
/* Names from one bytecode blob quoted in a message. */
#define LL_KERAS_MAX_BYTECODE_NAMES 6u
/* Largest policy file (bytes). */
#define LL_KERAS_MAX_POLICY_BYTES (1u * 1024u * 1024u)

typedef struct LLKerasPolicy LLKerasPolicy;

typedef enum LLKerasTarget {
    LL_KERAS_TARGET_ALLOWED = 0, /* inside an allowed module */
    LL_KERAS_TARGET_CUSTOM,      /* outside them: user code */
    LL_KERAS_TARGET_DANGEROUS,   /* a listed dangerous module or target */
    LL_KERAS_TARGET_TOGGLE,      /* a listed safe-mode toggle */
} LLKerasTarget;

/* Parses a policy document:
 *   {"kind": "keras-policy", "version": 1, "description": "...",
 *    "allow_modules": ["keras", ...],      dotted prefixes whose targets are built-in
 *    "allow_packages": ["keras_hub", ...], registered_name packages ("Pkg>Name") allowed
 *    "builtin_classes": ["Dense", ...],    class names a module-less config may use
 *    "dangerous": {
 *      "modules": {"os": "reason", ...},   any target in (or below) these modules
 *      "targets": {"keras.utils.get_file": "reason", ...},  these targets (and below)
 *      "unsafe_toggles": {"keras.config.enable_unsafe_deserialization": "reason", ...}},
 *    "savedmodel_layers": {"TFSMLayer": "filepath", ...},   class -> config key of the path
 *    "file_arguments": {"StringLookup": ["vocabulary"], ...}} class -> keys read as paths
 * Every key is required but "description"; unknown keys are errors. On error,
 * fills err with `origin`, the line and column, and the JSON pointer. */
LLStatus ll_art_keras_policy_parse(LLKerasPolicy **out, const char *text, size_t len,
                                   const char *origin, LLError *err);
/* Reads and parses a policy file. */
LLStatus ll_art_keras_policy_load(LLKerasPolicy **out, const char *path, LLError *err);
/* Parses the built-in policy (rules/data/keras-policy.json, embedded). */
LLStatus ll_art_keras_policy_builtin(LLKerasPolicy **out, LLError *err);
void ll_art_keras_policy_free(LLKerasPolicy *p);
/* How the policy grades a dotted target ("os.system"); *reason (may be
 * NULL) receives the policy's reason for dangerous targets and toggles. */
LLKerasTarget ll_art_keras_policy_classify(const LLKerasPolicy *p, const char *dotted,
                                           const char **reason);

typedef struct LLArtKerasOptions {
    const LLKerasPolicy *policy; /* required */
} LLArtKerasOptions;

/* A JSON object that looks like a Keras config: '{' first (after
 * whitespace or a BOM) and "class_name" within the head. */
bool ll_art_keras_sniff(const uint8_t *head, size_t n);
/* Scans a config.json (or model_from_json document) held in data[0, len).
 * `where` (may be NULL) is the archive member chain; sets out->format to
 * "keras-config" when it is NULL. */
void ll_art_keras_scan(const LLArtKerasOptions *o, const uint8_t *data, size_t len,
                       const LLArtLoc *where, LLArtResult *out);
/* The same for config text embedded in a larger file: `base_offset` is the
 * text's offset in the file or innermost member (findings are located
 * there), `what` names it in messages ("the model_config attribute").
 * Does not set out->format. */
void ll_art_keras_scan_text(const LLArtKerasOptions *o, const char *text, size_t len,
                            uint64_t base_offset, const char *what, const LLArtLoc *where,
                            LLArtResult *out);

/* Prepares JSON text for cJSON: checks that nesting stays within
 * max_depth and that no string holds a NUL (raw or "\u0000"), and returns a
 * NUL-terminated copy (malloc'd; the caller frees it) with bare NaN,
 * Infinity and -Infinity replaced by numbers of the same length. On a
 * problem returns NULL, *why (static) says what and *bad_at where, and
 * *is_limit tells a depth limit from malformed text. */
char *ll_art_keras_json_prepare(const char *text, size_t len, unsigned max_depth,
                                size_t *bad_at, const char **why, bool *is_limit);

#endif
