/* jsonrd.h - reading data files (rules, sources, policies) with errors that
 * point at the bad value.
 *
 * Every loadlint data file is one JSON object. An LLJsonCtx names the file
 * and holds its text, so that any error found after parsing can give the
 * file, line and column of the value (jsonloc.h) and its JSON pointer:
 * "rules/x.json:4:12: /match/call/0: ...". Validation functions return
 * LLStatus (the ctx's status kind on failure) and stop at the first error.
 *
 * Ownership: strings and lists filled by the getters are malloc'd and owned
 * by the caller (ll_strlist_free); the ctx borrows its text and error. */
#ifndef LL_JSONRD_H
#define LL_JSONRD_H
#include "base/status.h"
#include "base/strlist.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct LLJsonCtx {
    const char *origin; /* the file, as errors name it */
    const char *text;   /* NUL-terminated at text[len] */
    size_t len;
    LLError *err;
    LLStatus kind;      /* status of validation errors (LL_ERR_RULE...) */
} LLJsonCtx;

#define LL_JSON_TRY(expr)                                                      \
    do {                                                                       \
        LLStatus st_ = (expr);                                                 \
        if (st_ != LL_OK)                                                      \
            return st_;                                                        \
    } while (0)

/* Parses ctx's text: size and NUL checks, syntax errors with their position.
 * On success *root is the document (cJSON_Delete it). */
LLStatus ll_json_parse(LLJsonCtx *c, size_t max_bytes, cJSON **root);
/* Fails with "<pointer>: <message>" located at the pointer's value. */
LLStatus ll_json_fail(LLJsonCtx *c, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* out = base "/" key (or index), cut to outsz - 1 bytes. */
void ll_json_ptr(char *out, size_t outsz, const char *base, const char *key);
void ll_json_ptr_index(char *out, size_t outsz, const char *base, int i);
/* Rejects keys not in `allowed` (NULL-terminated) and duplicate keys. */
LLStatus ll_json_check_keys(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                            const char *const *allowed);
/* A non-empty string member; absent: an error when required, else *out = NULL. */
LLStatus ll_json_get_string(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                            const char *key, bool required, char **out);
/* An array of non-empty strings (nonempty: at least one). */
LLStatus ll_json_get_string_list(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                                 const char *key, bool required, bool nonempty,
                                 LLStrList *out);
/* A boolean member; absent: *out unchanged. */
LLStatus ll_json_get_bool(LLJsonCtx *c, const cJSON *obj, const char *ptr,
                          const char *key, bool *out);
/* identifier ("." identifier | "()" | "()[]")*: a canonical name as the
 * resolver writes it ("torch.load", "zmq.Context().socket",
 * "multiprocessing.Pipe()[].recv"). */
bool ll_json_is_dotted_name(const char *s);
/* A Python identifier (ASCII). */
bool ll_json_is_identifier(const char *s);

#endif
