/* sources.h - questions to the model of untrusted data (rules/srcmodel.h).
 *
 * The model is data (the files of rules/sources/); these functions apply it to one
 * file's semantic model. A source name matches an expression whose
 * canonical name equals it or extends it with ".", "()" or "[]": the source
 * "flask.request" matches `request.data` after `from flask import request`,
 * and "requests.get()" matches `requests.get(url).content`.
 *
 * Ownership: everything is borrowed; the returned strings belong to the
 * model. The model is read-only, so workers share it. */
#ifndef LL_SOURCES_H
#define LL_SOURCES_H
#include "base/nameset.h"
#include "engine/resolve.h"
#include "rules/srcmodel.h"

#include <stdbool.h>
#include <stddef.h>

/* The source that `name` comes from, or NULL. */
const char *ll_sources_match(const LLSourceModel *m, const char *name);
/* Functions whose result carries their arguments' data (open, io.BytesIO,
 * os.path.join, str...). */
bool ll_sources_is_propagator(const LLSourceModel *m, const char *name);
/* Methods whose result carries the receiver's data (.read(), .decode()...). */
bool ll_sources_is_propagating_method(const LLSourceModel *m, const char *method, size_t len);
/* x.write(d): methods that put their arguments into their object. */
bool ll_sources_is_write_method(const LLSourceModel *m, const char *name, size_t len);
/* urlretrieve(url, dst): calls that fill a later argument from the first. */
bool ll_sources_is_filler(const LLSourceModel *m, const char *name, size_t len);

/* What the parameter binding `param` is when the model says it is
 * untrusted (its "what": "web route parameter"), or NULL. */
const char *ll_sources_param(const LLSourceModel *m, const LLSemantic *sem,
                             const LLBinding *param);
/* What `self.attr` / `self.attr(...)` (expression n, used in `scope`) is
 * when the model says it is untrusted, or NULL. */
const char *ll_sources_self(const LLSourceModel *m, const LLSemantic *sem, TSNode n,
                            uint32_t scope);

/* ---- round trips and checks (srcmodel.h) ---- */

/* Calls whose result is data this code serialised (pickle.dumps). */
bool ll_sources_is_producer(const LLSourceModel *m, const char *name);
/* Calls that return a name or buffer no one else can predict. */
bool ll_sources_is_private_name(const LLSourceModel *m, const char *name);
/* Calls that write such a name with data this code holds (pickle.dump). */
bool ll_sources_is_private_writer(const LLSourceModel *m, const char *name);
/* What the parameter is when the model says it is a private name
 * (pytest's tmp_path), or NULL; the same for self.<attr>(...). */
const char *ll_sources_private_param(const LLSourceModel *m, const LLSemantic *sem,
                                     const LLBinding *param);
const char *ll_sources_private_self(const LLSourceModel *m, const LLSemantic *sem, TSNode n,
                                    uint32_t scope);
/* The argument of `call` at `position` (-1: none) or named `keyword` (NULL:
 * none), or a null node; splats are not looked into. */
TSNode ll_sources_call_arg(const LLSemantic *sem, TSNode call, int position, const char *keyword);
/* Whether `arg` passes the check's test (its literal value, through
 * single assignments). */
bool ll_sources_check_arg(const LLArgCheck *chk, const LLSemantic *sem, TSNode arg,
                          uint32_t scope);
/* The pin (or remote input) of call `call`, whose canonical name is
 * `name`, that its arguments satisfy, or NULL; *arg (may be NULL) is set
 * to the argument. */
const LLArgCheck *ll_sources_pinned(const LLSourceModel *m, const LLSemantic *sem, TSNode call,
                                    uint32_t scope, const char *name, TSNode *arg);
const LLArgCheck *ll_sources_remote(const LLSourceModel *m, const LLSemantic *sem, TSNode call,
                                    uint32_t scope, const char *name, TSNode *arg);

/* The pre-filter's names (into `names`) and substrings (into `literals`) of
 * the model: a file holding none of them cannot hold a source. */
void ll_sources_prefilter(const LLSourceModel *m, LLNameSet *names, LLStrList *literals);
/* The same for the model's parameter and self-attribute sources only. */
void ll_sources_param_prefilter(const LLSourceModel *m, LLNameSet *names, LLStrList *literals);
/* Whether `text` holds one of the literals. */
bool ll_sources_literal_in(const LLStrList *literals, const char *text, size_t len);

#endif
