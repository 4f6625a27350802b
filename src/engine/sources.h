/* sources.h - the model of untrusted sources and of value-preserving calls.
 *
 * Read-only tables of canonical names. A source name matches an expression
 * whose canonical name equals it or extends it with "." or "()": the source
 * "flask.request" matches `request.data` after `from flask import request`,
 * and "requests.get()" matches `requests.get(url).content`. */
#ifndef LL_SOURCES_H
#define LL_SOURCES_H
#include "base/nameset.h"

#include <stdbool.h>
#include <stddef.h>

/* The source that `name` comes from, or NULL. */
const char *ll_sources_match(const char *name);
/* True for functions whose result carries their arguments' data
 * (open, io.BytesIO, os.path.join, str...). */
bool ll_sources_is_propagator(const char *name);
/* True for methods whose result carries the receiver's data
 * (.read(), .format(), .decode(), .joinpath()...). */
bool ll_sources_is_propagating_method(const char *method, size_t len);

/* Every modelled source as a dotted name (sys.argv, flask.request...) and
 * the web frameworks whose handlers' parameters are sources, for the
 * pre-filter: a file that may mention none of them cannot hold a source. */
void ll_sources_names(LLNameSet *out);

#endif
