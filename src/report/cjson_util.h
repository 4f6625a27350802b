/* cjson_util.h - building report JSON with cJSON, safely.
 * Strings are cleaned of invalid UTF-8 (U+FFFD) before cJSON sees them, so
 * every report is valid JSON whatever bytes the scanned files hold. */
#ifndef LL_CJSON_UTIL_H
#define LL_CJSON_UTIL_H
#include "base/buf.h"
#include "engine/discover.h"
#include "engine/finding.h"

#include <cjson/cJSON.h>

cJSON *ll_json_str(const char *s);
cJSON *ll_json_strn(const char *s, size_t n);
void ll_json_add_str(cJSON *obj, const char *key, const char *s);
void ll_json_add_num(cJSON *obj, const char *key, double v);
/* Prints `root` (formatted) into out, followed by a newline. */
void ll_json_print(LLBuf *out, const cJSON *root);
/* The SARIF/JSON URI of a display path: relative paths are percent-encoded
 * with "./" dropped; absolute paths inside the working directory become
 * relative; other absolute paths become file:// URIs (*is_absolute set). */
void ll_json_uri(LLBuf *out, const char *display, int *is_absolute);

#endif
