/* verify.h - whether the bytes a loader reads were checked first.
 *
 * The mitigation every threat analysis of unsafe loading recommends is to
 * check the model against a pinned digest or signature before loading it.
 * ll_verify_bytes recognises it when the check covers the very bytes that
 * are loaded, in the same function, before the load:
 *
 *     data = resp.content
 *     if hashlib.sha256(data).hexdigest() != EXPECTED_SHA256:
 *         raise ValueError("bad model")
 *     model = pickle.loads(data)            # verified
 *
 * The loaded expression is followed through the wrappers that keep the
 * same bytes (srcmodel.h same_bytes: io.BytesIO(data)) to one name bound
 * once; a digest (digests: hashlib.*) of that same binding, taken directly
 * or through h.update(data), read with a digest method (hexdigest, digest),
 * must be compared with a constant (== / != / hmac.compare_digest) in an
 * `assert`, or in an `if` that either raises or returns on a mismatch or
 * holds the load in its body on a match. A signature check (signature
 * methods: key.verify(sig, data)) of the same binding also counts.
 *
 * Verifying a path and then loading the path is a race (the file can be
 * replaced in between) and is not recognised: the digest must be of the
 * bytes the loader gets, not of a file read again.
 *
 * The walk over the function is iterative and looks at most
 * LL_MAX_VERIFY_NODES nodes before the load; past that the load is not
 * verified (the conservative answer).
 *
 * Ownership: borrows everything; the returned words are arena strings of
 * the semantic model (or static). Uses `flow` for the "compared with a
 * constant" question: results of earlier ll_flow_provenance calls must be
 * copied out before calling it. */
#ifndef LL_VERIFY_H
#define LL_VERIFY_H
#include "engine/flow.h"
#include "engine/resolve.h"

#define LL_MAX_VERIFY_NODES 20000u
/* Files moved into a cache's place (os.rename(tmp, path)) followed per
 * load; more are not looked at (the load is then not called a cache). */
#define LL_MAX_CACHE_MOVES 8u

/* How the bytes `expr` (a loader's input, in `scope`) were checked, or
 * NULL; *where is set to the check. */
const char *ll_verify_bytes(LLFlow *flow, const LLSemantic *sem, TSNode expr, uint32_t scope,
                            TSNode *where);

/* Whether the file a loader reads (its input `expr`, a path or a file
 * opened from one) is one the same function writes with a private writer
 * (srcmodel.h: pickle.dump, joblib.dump, torch.save...), before or after
 * the load, or writes under another name and moves into place
 * (srcmodel.h movers: os.rename(tmp, p)): a cache (`if exists(p): x =
 * load(p) else: dump(x, p)`), unless it lives where other users can write
 * (shared_locations). The
 * words name the writer; *where is set to it. */
const char *ll_verify_cache(const LLFlow *flow, const LLSemantic *sem, TSNode expr,
                            uint32_t scope, TSNode *where);

#endif
