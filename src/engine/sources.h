/* sources.h - the model of untrusted sources and of value-preserving calls.
 *
 * Read-only tables of canonical names. A source name matches an expression
 * whose canonical name equals it or extends it with "." or "()": the source
 * "flask.request" matches `request.data` after `from flask import request`,
 * and "requests.get()" matches `requests.get(url).content`. */
#ifndef LL_SOURCES_H
#define LL_SOURCES_H
#include "base/strmap.h"

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

/* The identifiers that must appear in a file for it to hold a modelled
 * source: last segments of the source names, web request and route names.
 * Fills `out` with static keys (for the pre-filter). */
void ll_sources_tokens(LLStrMap *out);

#endif
