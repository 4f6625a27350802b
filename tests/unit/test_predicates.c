/* test_predicates.c - rule predicates and argument specs, through the whole
 * pipeline (ll_discover + ll_run on a temporary file; engine/match.c is the
 * only place predicates are interpreted). */
#include "helpers.h"

#include "base/buf.h"
#include "engine/discover.h"
#include "engine/run.h"
#include "rules/ruleset.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A ruleset of one rule per `match` body given (codes TT100, TT101, ...),
 * each with `message`. NULL-terminated list. */
static LLRuleset *rules_v(const char *message, const char *extra, va_list ap)
{
    LLRuleset *rs = ll_ruleset_new();
    unsigned i = 0;
    for (const char *match; (match = va_arg(ap, const char *)); i++) {
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b,
                      "{\"code\": \"TT1%02u\", \"name\": \"test-rule\", \"severity\": \"warning\",\n"
                      " \"summary\": \"s\", \"message\": \"%s\", \"precision\": \"high\",\n"
                      " \"security_severity\": \"5.0\", \"cwe\": [\"CWE-502\"], \"tags\": [],\n"
                      " \"match\": {%s},%s\n"
                      " \"docs\": {\"what\": \"w\", \"why\": \"y\", \"example\": \"e\", \"use_instead\": \"u\",\n"
                      "          \"references\": [\"https://example.com/\"]}}\n",
                      i, message, match, extra ? extra : "");
        LLError err;
        memset(&err, 0, sizeof err);
        LLStatus st = ll_ruleset_add_json(rs, "inline.json", b.data, b.len, &err);
        cr_assert_eq(st, LL_OK, "rule %u rejected: %u:%u: %s", i, err.line, err.col, err.msg);
        ll_buf_release(&b);
    }
    ll_ruleset_finish(rs);
    return rs;
}

static LLRuleset *rules(const char *match, ...)
{
    va_list ap;
    va_start(ap, match);
    /* rebuild the list with `match` first */
    LLRuleset *rs;
    {
        const char *list[16];
        size_t n = 0;
        list[n++] = match;
        for (const char *m; n < 15 && (m = va_arg(ap, const char *));)
            list[n++] = m;
        list[n] = NULL;
        LLRuleset *tmp = ll_ruleset_new();
        ll_ruleset_free(tmp);
        rs = ll_ruleset_new();
        ll_ruleset_free(rs);
        rs = NULL;
        /* build via the va_list-free path */
        LLRuleset *out = ll_ruleset_new();
        for (size_t i = 0; list[i]; i++) {
            LLBuf b;
            ll_buf_init(&b);
            ll_buf_printf(&b,
                          "{\"code\": \"TT1%02zu\", \"name\": \"test-rule\", \"severity\": \"warning\",\n"
                          " \"summary\": \"s\", \"message\": \"`{callee}` matched\", \"precision\": \"high\",\n"
                          " \"security_severity\": \"5.0\", \"cwe\": [\"CWE-502\"], \"tags\": [],\n"
                          " \"match\": {%s},\n"
                          " \"docs\": {\"what\": \"w\", \"why\": \"y\", \"example\": \"e\", \"use_instead\": \"u\",\n"
                          "          \"references\": [\"https://example.com/\"]}}\n",
                          i, list[i]);
            LLError err;
            memset(&err, 0, sizeof err);
            LLStatus st = ll_ruleset_add_json(out, "inline.json", b.data, b.len, &err);
            cr_assert_eq(st, LL_OK, "rule %zu rejected: %u:%u: %s", i, err.line, err.col, err.msg);
            ll_buf_release(&b);
        }
        ll_ruleset_finish(out);
        rs = out;
    }
    va_end(ap);
    return rs;
}
