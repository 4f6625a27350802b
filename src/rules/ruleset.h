/* ruleset.h - rules loaded from JSON, validated and compiled once.
 *
 * Lifecycle: ll_ruleset_new -> ll_ruleset_add_* (any number) ->
 * ll_ruleset_select (optional) -> ll_ruleset_finish -> read-only use by any
 * number of threads -> ll_ruleset_free. After ll_ruleset_finish nothing in
 * the ruleset changes, so workers share a `const LLRuleset *`.
 *
 * Every string and array below is owned by the ruleset. A rule file that
 * breaks docs/rule-format.md is rejected with its path, line, column and the
 * JSON pointer of the bad value; nothing of it is added. */
#ifndef LL_RULESET_H
#define LL_RULESET_H
#include "base/buf.h"
#include "base/severity.h"
#include "base/strlist.h"
#include "base/status.h"
#include "base/nameset.h"
#include "base/strmap.h"
#include "base/vec.h"
#include "deps/pep440.h"
#include "rules/srcmodel.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct LLFixSpec; /* rules/fixspec.h */

/* Where a loader's input comes from. The first three index a rule's
 * provenance table; LL_PROV_SELF (a round trip) is never graded: the
 * finding is withheld (LL_SUPP_ROUND_TRIP). */
typedef enum LLProvenance {
    LL_PROV_CONSTANT = 0,  /* built only from literals */
    LL_PROV_UNKNOWN = 1,   /* a parameter, a value from elsewhere */
    LL_PROV_UNTRUSTED = 2, /* reaches from a modelled untrusted source */
    LL_PROV_SELF = 3,      /* data this code produced (a dump, a file it wrote
                            * under a name no one else can predict) */
} LLProvenance;
/* How bad each provenance is: self < constant < unknown < untrusted. */
int ll_provenance_rank(LLProvenance p);
const char *ll_provenance_name(LLProvenance p);

typedef struct LLArgSpec {
    int position;        /* 0-based positional index, -1 when not given */
    const char *keyword; /* NULL when not given */
} LLArgSpec;

typedef enum LLTest {
    LL_TEST_PRESENT,
    LL_TEST_ABSENT,
    LL_TEST_TRUE,
    LL_TEST_FALSE,
    LL_TEST_NONE,
    LL_TEST_TRUTHY,
    LL_TEST_FALSY,
    LL_TEST_CONSTANT,
    LL_TEST_EQUALS,
    LL_TEST_RESOLVES_TO,
    LL_TEST_MATCHES,
    LL_TEST_IN_EXCEPT_OF, /* structural: the call is the fallback of another (below) */
} LLTest;

typedef enum LLLiteralKind {
    LL_LIT_STRING,
    LL_LIT_NUMBER,
    LL_LIT_BOOL,
    LL_LIT_NONE,
} LLLiteralKind;

typedef struct LLLiteral {
    LLLiteralKind kind;
    const char *str; /* LL_LIT_STRING: the decoded value */
    size_t len;
    double num;      /* LL_LIT_NUMBER, and LL_LIT_BOOL as 0/1 */
} LLLiteral;

typedef struct LLPredicate {
    LLArgSpec arg;     /* (position -1, keyword NULL for LL_TEST_IN_EXCEPT_OF) */
    LLTest test;
    uint32_t any_of;   /* "is": [...]: a bit per LLTest, any holding is enough (0: just `test`) */
    LLLiteral *values; /* LL_TEST_EQUALS */
    size_t nvalues;
    char **names;      /* LL_TEST_RESOLVES_TO; LL_TEST_IN_EXCEPT_OF: the calls */
    size_t nnames;
    pcre2_code *re;    /* LL_TEST_MATCHES */
    /* LL_TEST_IN_EXCEPT_OF ("in_except_of": {"call": [...], "where": [...]}):
     * the site is a call inside an `except` clause's block of a `try`
     * statement (in the same function; any depth of blocks) whose `try`
     * block holds a call to one of `names` (same function) for which every
     * predicate of `inner` holds; that call is the finding's related
     * location ({related} in the message). `inner` holds argument
     * predicates only. */
    struct LLPredicate *inner;
    size_t ninner;
} LLPredicate;

/* ---- versions (docs/rule-format.md "Versions") ------------------------------
 *
 * A call rule may state the package versions it applies to. Each range
 * names a package, the versions affected (a PEP 440 specifier set), the
 * first fixed version, the advisory and the grade of a finding when every
 * version the project allows for the file is affected ("all") or only some
 * ("some"). The engine (engine/versions.h) judges each finding of the rule
 * against the versions the project allows (deps/project.h) after the
 * analysis: the range whose grade is highest among those that apply
 * decides (the first of equals); the finding's severity is the lower of
 * its grade from `provenance` and that range's; a call no range applies to
 * (every allowed version outside every range) is no finding; when no range
 * applies and some range's package has no known versions, `when_unknown`
 * decides. */

typedef enum LLVersionsUnknown {
    LL_VUNKNOWN_NO_FINDING = 0, /* "no-finding": as if the rule did not match */
    LL_VUNKNOWN_AS_IS,          /* "as-is": reported as without versions */
    LL_VUNKNOWN_CAP,            /* "note" / "warning" / "error": reported, at most that */
} LLVersionsUnknown;

typedef struct LLVersionRange {
    char *package;      /* PEP 503-normalised ("torch") */
    char *affected;     /* the specifier set as written ("<2.6") */
    LLVerSet affected_set;
    char *fixed_in;     /* the first fixed version, normalised ("2.6"); NULL: none */
    char *advisory;     /* "CVE-2025-32434", "GHSA-53q9-r3pm-6pq6", ... */
    char *says;         /* what the advisory means here, one line */
    LLSeverity grade_all, grade_some;
} LLVersionRange;

typedef struct LLRuleVersions {
    LLVersionRange *ranges;
    size_t nranges;
    LLVersionsUnknown when_unknown;
    LLSeverity unknown_cap; /* LL_VUNKNOWN_CAP */
} LLRuleVersions;

typedef struct LLRule {
    char *origin; /* file it came from */
    char *code, *name, *summary, *message, *precision, *security_severity;
    LLSeverity severity;
    LLStrList cwe, tags;
    /* match: call form */
    LLStrList calls, methods;
    char *call_regex;
    pcre2_code *call_re;
    LLPredicate *where, *unless;
    size_t nwhere, nunless;
    /* match: class form */
    LLStrList class_defines;
    /* match: model-file form: the checks of the readers (artifact/artifact.h) */
    LLStrList artifacts;
    /* grading */
    LLArgSpec *inputs;
    size_t ninputs;
    bool has_provenance;
    LLSeverity provenance[3]; /* indexed by LLProvenance */
    /* docs */
    char *doc_what, *doc_why, *doc_example, *doc_use_instead;
    LLStrList references;
    char *url;       /* the rule's documentation page (SARIF helpUri, JSON
                      * url); NULL: none (the docs travel in SARIF help) */
    LLStrList peers; /* "bandit: B301, B302" lines */
    /* fixes (rules/fixspec.h): how a finding's call is rewritten; NULL when none */
    struct LLFixSpec *fixes;
    size_t nfixes;
    /* the versions the rule applies to (above); NULL: every version */
    LLRuleVersions *versions;
    int scope;    /* -1: applies everywhere; k: only where rule directory
                   * rs->scopes[k] is in use (a configuration's `rules`) */
    bool enabled;
} LLRule;

/* The sources of one data file loaded from a scoped rule directory. */
typedef struct LLSourceFragment {
    int scope; /* index in rs->scopes */
    LLSourceModel model;
} LLSourceFragment;

typedef struct LLRuleIds {
    uint32_t *ids;
    uint32_t len;
} LLRuleIds;

typedef struct LLRuleset {
    LLRule *rules;
    size_t nrules, cap;
    /* dispatch tables, built by ll_ruleset_finish, enabled rules only */
    LLStrMap by_call;   /* canonical name -> LLRuleIds* */
    LLStrMap by_method; /* attribute name -> LLRuleIds* */
    LLStrMap by_artifact; /* model-file check -> LLRuleIds* */
    LLRuleIds regex_rules, class_rules;
    /* every canonical name a rule mentions (calls and resolves_to) */
    LLStrMap known_names;
    /* the pre-filter (engine/prefilter.h): every call, method and
     * class-member name of the enabled rules; a file can only produce a
     * finding if it may mention one of them. Exact unless a rule uses
     * call_regex (then prefilter_exact is false: every file is analysed). */
    LLNameSet prefilter;
    bool prefilter_exact;
    /* the model of untrusted sources: built-in and unscoped files
     * ("kind": "sources", srcmodel.h); scoped ones are kept apart, per
     * rule directory, and joined per configuration (engine/scope.h) */
    LLSourceModel sources;
    LL_VEC(LLSourceFragment) scoped_sources;
    LL_VEC(char *) scopes; /* realpath of each scoped rule directory */
    bool finished;
} LLRuleset;

LLRuleset *ll_ruleset_new(void);
void ll_ruleset_free(LLRuleset *rs);

/* Parses and validates one data file held in memory; text[len] must be a
 * NUL byte. `origin` names it in errors. A rule file has no "kind" (or
 * "kind": "rule"); "kind": "sources" files go to the source model
 * (srcmodel.h). A rule code already loaded is an error. */
LLStatus ll_ruleset_add_json(LLRuleset *rs, const char *origin,
                             const char *text, size_t len, LLError *err);
/* The rules and sources compiled into the binary. */
LLStatus ll_ruleset_add_builtin(LLRuleset *rs, LLError *err);
/* Only the built-in sources (rules/sources/): the model of untrusted data
 * is loaded even with --no-builtin-rules. */
LLStatus ll_ruleset_add_builtin_sources(LLRuleset *rs, LLError *err);
/* Every *.json file in dir (sorted by name). */
LLStatus ll_ruleset_add_dir(LLRuleset *rs, const char *dir, LLError *err);
/* The same for a configuration's rule directory: its rules and sources
 * apply only where the caller uses scope *scope (an index in rs->scopes; a
 * directory already loaded, by realpath, is not loaded again). */
LLStatus ll_ruleset_add_dir_scoped(LLRuleset *rs, const char *dir, int *scope, LLError *err);

/* True when `code` is selected by a list of codes or code prefixes ("LL1",
 * "LL101", "ALL"). */
bool ll_rule_code_matches(const char *code, const LLStrList *prefixes);

/* Builds the dispatch tables. Call once, after all adds and selection. */
void ll_ruleset_finish(LLRuleset *rs);

const LLRule *ll_ruleset_find(const LLRuleset *rs, const char *code);
/* Rules sorted by code; ll_ruleset_finish sorts them. */


/* Expands the rule's message template. `callee` and `arg_text(keyword)` fill
 * the placeholders ({related} is arg_text(ctx, NULL)); returns a malloc'd
 * string. */
typedef const char *(*LLArgTextFn)(void *ctx, const char *keyword);
char *ll_rule_format_message(const LLRule *rule, const char *callee,
                             const char *class_name, const char *method,
                             LLArgTextFn arg_text, void *ctx);
/* The same for model-file rules: {subject}, {detail} (the reader's own
 * sentence) and {format}. */
char *ll_rule_format_artifact_message(const LLRule *rule, const char *subject,
                                      const char *detail, const char *format);

/* Appends the rule's versions as a markdown section ("## Versions": the
 * ranges, their advisories and grades, what happens when the versions are
 * unknown and how to state them); nothing for a rule without versions. For
 * the rule pages and --explain (report/common.c). */
void ll_rule_versions_markdown(const LLRule *rule, LLBuf *out);
/* Whether an enabled rule has versions, or fixes that require versions. */
bool ll_ruleset_uses_versions(const LLRuleset *rs);

#endif
