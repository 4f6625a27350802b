/* pickle_policy.h - which globals a pickle may import: an allow-list, and a
 * list of known code-execution callables, both data.
 *
 * The pickle reader (pickle.h) resolves every import a pickle makes to a
 * full dotted name ("os.system", "torch._utils._rebuild_tensor_v2",
 * "numpy.prod.os.system" for a protocol 4 qualified name) and asks the
 * policy how to grade it:
 *
 *   - DANGEROUS: a known code-execution path (the "dangerous" table), or a
 *     name that walks through an introspection attribute ("__builtins__",
 *     "__globals__", "__subclasses__"... any "__x__" segment after the
 *     module) -> ART_CHECK_PICKLE_DANGEROUS, error, verdict malicious;
 *   - ALLOWED: on the allow-list (what PyTorch's weights_only unpickler,
 *     NumPy and joblib need to rebuild tensors and arrays);
 *   - UNLISTED: anything else -> ART_CHECK_PICKLE_UNLISTED, warning,
 *     verdict suspicious.
 * Dangerous wins over allowed: a user cannot allow-list os.system.
 *
 * Data file format (rules/data/pickle-policy.json; user files use the same):
 *
 *   {
 *     "kind": "pickle-policy",
 *     "description": "optional text",
 *     "allow": ["collections.OrderedDict", "torch.*", ...],
 *     "dangerous": {"os.*": "runs operating-system commands",
 *                   "builtins.eval": "evaluates Python code", ...}
 *   }
 *
 * Patterns are dotted names (segments of letters, digits, '_' or non-ASCII
 * bytes, not starting with a digit), optionally ending in ".*":
 *   - in "allow", "m.*" allows m.<one segment> only ("numpy.*" allows
 *     numpy.ndarray, not numpy.prod.os.system);
 *   - in "dangerous", "m.*" matches m itself and anything below it
 *     ("os.*": os, os.system, os.path.join). A dangerous pattern also
 *     matches a name that reaches it through attributes after the module
 *     ("numpy" + "core._internal.sys.modules" reaches sys.modules).
 * "kind" is required; "allow" and "dangerous" are optional; unknown keys,
 * duplicate keys, bad patterns and empty reasons are errors naming the file,
 * line, column and JSON pointer ("x.json:7:5: /allow/3: ...").
 *
 * Several files merge: ll_pickle_policy_parse adds to what the policy holds
 * (the built-in file first, then the user's, as
 * torch.serialization.add_safe_globals extends weights_only's list), and
 * ll_pickle_policy_merge copies one policy into another.
 *
 * Ownership: the policy owns copies of every pattern and reason; release
 * frees them. A policy is read-only while readers use it, so any number of
 * threads may share one. */
#ifndef LL_ARTIFACT_PICKLE_POLICY_H
#define LL_ARTIFACT_PICKLE_POLICY_H
#include "base/status.h"
#include "base/strmap.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>

/* Policy files larger than this are refused (LL_ERR_LIMIT). */
#define LL_PICKLE_POLICY_MAX_BYTES (4u * 1024u * 1024u)

typedef enum LLPickleClass {
    LL_PICKLE_ALLOWED = 0,
    LL_PICKLE_UNLISTED = 1,
    LL_PICKLE_DANGEROUS = 2,
} LLPickleClass;

typedef struct LLPicklePolicy {
    LLStrMap allow_exact;   /* full name -> 1 */
    LLStrMap allow_module;  /* "m" of "m.*" -> 1 */
    LLStrMap danger_exact;  /* full name -> reason (const char *) */
    LLStrMap danger_prefix; /* "m" of "m.*" -> reason */
    LL_VEC(char *) owned;   /* the strings the maps point to */
} LLPicklePolicy;

void ll_pickle_policy_init(LLPicklePolicy *p);
void ll_pickle_policy_release(LLPicklePolicy *p);

/* Adds the policy file `text` (len bytes, NUL at text[len]) named `origin`
 * in errors. On failure nothing of this file is kept and err says where. */
LLStatus ll_pickle_policy_parse(LLPicklePolicy *p, const char *origin, const char *text,
                                size_t len, LLError *err);
/* Reads and adds the file at path. */
LLStatus ll_pickle_policy_load_file(LLPicklePolicy *p, const char *path, LLError *err);
/* Adds the built-in policy (rules/data/pickle-policy.json, embedded in the
 * binary at build time by src/artifact/embed_text.cmake). */
LLStatus ll_pickle_policy_add_builtin(LLPicklePolicy *p, LLError *err);
/* Adds every entry of src to dst (dst's reasons for the same pattern are
 * replaced by src's). */
void ll_pickle_policy_merge(LLPicklePolicy *dst, const LLPicklePolicy *src);
/* Adds one allow pattern ("pkg.Class" or "pkg.*"); false when malformed. */
bool ll_pickle_policy_allow(LLPicklePolicy *p, const char *pattern);
/* Adds one dangerous pattern with its reason; false when malformed. */
bool ll_pickle_policy_add_dangerous(LLPicklePolicy *p, const char *pattern, const char *reason);
/* True when `s` is a valid pattern (with or without the trailing ".*"). */
bool ll_pickle_policy_valid_pattern(const char *s);

/* Grades the import of `full` (len bytes, "module.qualname"), whose first
 * `modlen` bytes are the module part (the rest are attributes). *reason is
 * set for DANGEROUS (a static or policy-owned string). */
LLPickleClass ll_pickle_policy_classify(const LLPicklePolicy *p, const char *full, size_t len,
                                        size_t modlen, const char **reason);

#endif
