/* split.h - parse less: the top-level definitions a file's analysis needs.
 *
 * The pre-filter (prefilter.h) decides per file; a file it keeps is often
 * a large module in which one function mentions a loader. This decides per
 * top-level unit, from text alone (lexer.h), which units can matter, so
 * that the parser reads only those (tree-sitter's included ranges: the
 * tree keeps the file's byte offsets, lines and columns).
 *
 * A unit is a top-level statement with everything indented under it and
 * the comment and blank lines after it. Every unit that is not a def or
 * class (imports, assignments, module-level if/try/for blocks) is parsed.
 * A def or class (with its decorators) is left out unless it is needed:
 *
 *  1. seeds: the last segment of every name of the given name sets (rule
 *     names, source names, functions with sinks or returning untrusted
 *     data, rule names as the project's aliases spell them) whose segments
 *     all appear in the file (a canonical name is built from the file's own
 *     text, prefilter.h, and a call or binding of it spells its last
 *     segment); the names fixes write (fix.c refuses a name bound anywhere);
 *     `update` where a digest is compared (verify.c reads every update);
 *  2. a def or class is relevant when it mentions a seed (in code or in a
 *     string; comments and docstrings do not count), or when its text
 *     holds a source substring (sources.h literals). Its own name becomes a
 *     seed (its callers can reach what it reaches). A module-level unit that
 *     mentions a seed makes the names it may bind seeds (`load =
 *     pickle.loads`), and a relevant def that says `global x` makes x a seed
 *     (such a def is always parsed). Repeated until no seed is added;
 *  3. parsed: the module-level units, the relevant definitions, and every
 *     definition a parsed unit names (what it returns or is may change a
 *     finding's grade: a constant path, a class), transitively.
 *
 * A file is parsed whole when a source whose conditions a function need not
 * name may apply (parameters of web handlers: sources.h param prefilter),
 * or when the scan does not see its structure plainly: an indented first
 * statement, unclosed brackets, a string that does not end, an f-string
 * nesting its own quotes or escaping a brace, a line continued from the
 * margin, `import *` in a def (or `import \` there), a decorator of
 * nothing. So is a file with a suppression comment that may apply beyond
 * its line (loadlint's, `# ruff: noqa`: pyanalyzer.c, suppress.h).
 *
 * Why nothing changes: a finding, a summary for other files or a flow
 * through a unit needs a name of the sets to resolve inside it, through
 * bindings made in its own text, in module-level units or in definitions
 * it names; each of those chains passes through a seed (step 2), so the
 * unit is relevant. The run (run.c) analyses a partly parsed file again
 * when a pass adds a name to the sets that its identifiers may match,
 * and a partial tree with a syntax error is thrown away for the whole
 * file's (pyanalyzer.c). --no-prefilter parses every file whole: the
 * oracle tests/corpus compares against.
 *
 * Ownership: LLSplit is a worker's scratch space, reused from file to
 * file; the ranges are valid until the next plan. */
#ifndef LL_SPLIT_H
#define LL_SPLIT_H
#include "base/nameset.h"
#include "base/strlist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* Name sets a plan reads (rule names, sources, sinks, returns, aliases). */
#define LL_SPLIT_MAX_SETS 8u
/* Top-level units of a file planned; a file with more is parsed whole. */
#define LL_SPLIT_MAX_UNITS 20000u
/* Rounds of step 2 (each adds what the units after a new seed see); a
 * file that needs more is parsed whole. */
#define LL_SPLIT_MAX_ROUNDS 32u
/* Bytes a plan must leave out to be used (less: the whole file); a file
 * shorter than twice this is parsed whole. */
#define LL_SPLIT_MIN_SKIP_BYTES 2048u

typedef struct LLSplitNames {
    const LLNameSet *sets[LL_SPLIT_MAX_SETS]; /* NULL entries are ignored */
    const LLStrList *literals;                /* source substrings, or NULL */
    /* a file that may mention one of these is parsed whole (sources whose
     * conditions a function need not name), or NULL */
    const LLNameSet *whole_if;
    const LLStrList *whole_if_literals;
    const LLIdentSet *always; /* seeds in any file (names fixes write), or NULL */
} LLSplitNames;

/* What a hit may bind at module level: nothing (an attribute, a string's
 * word, a name called), a name (if its statement is at module level), a
 * name of a global statement. */
enum { LL_SPLIT_BINDS = 1, LL_SPLIT_BINDS_GLOBAL = 2 };

/* A unit (above): its bytes, what it is, and its identifiers. */
typedef struct LLSplitUnit {
    size_t start, end;
    size_t hit_first, hit_end; /* its identifiers' hashes in LLSplit.hits */
    uint64_t name;  /* a definition's name hash */
    uint32_t next;  /* the next definition of the same name, or UINT32_MAX */
    bool def;       /* a def or class (with its decorators) */
    bool global;    /* a def that says global: always parsed */
    bool relevant;  /* it mentions a seed */
    bool kept;
} LLSplitUnit;

typedef struct LLSplit {
    LL_VEC(LLSplitUnit) units;
    LL_VEC(uint64_t) hits;  /* identifiers of code and strings, in order, unit by unit */
    LL_VEC(uint8_t) binds;  /* per hit: LL_SPLIT_BINDS_* */
    LL_VEC(uint32_t) table; /* definitions by name: open addressing, unit + 1 */
    LL_VEC(uint32_t) work;
    LLIdentSet seeds;
    LLIdentSet keywords;    /* Python's keywords */
    uint64_t global, def_kw, class_kw, import_kw; /* the hashes of these keywords */
    uint64_t update, digest, hexdigest, compare_digest; /* and of these names */
    LL_VEC(TSRange) ranges; /* the plan: what to parse, ascending */
    size_t skipped_bytes;
    size_t min_skip_bytes;  /* LL_SPLIT_MIN_SKIP_BYTES (tests lower it) */
    const char *text;       /* what was scanned */
    size_t len;
    bool scanned;           /* its units can be planned */
} LLSplit;

void ll_split_init(LLSplit *sp);
/* Frees everything; the split is then unusable until ll_split_init. */
void ll_split_release(LLSplit *sp);
/* One pass over `text`: fills `ids` as ll_identset_build(ids, text, len,
 * extra) does (nameset.h: every identifier, strings and comments
 * included), and finds the text's top-level units and their identifiers
 * for a plan. Returns whether the units can be planned (false: a
 * structure this pass does not see plainly, such as an indented first
 * statement or unclosed brackets; a single unit). */
bool ll_split_scan(LLSplit *sp, const char *text, size_t len, const char *extra, LLIdentSet *ids);
/* Plans the parse of `text`, scanned last (ll_split_scan), whose
 * identifiers (and module name) are `file_ids`. True when some definitions can be left out: sp->ranges
 * then lists what to parse. False: parse the whole text (nothing to leave
 * out, less than LL_SPLIT_MIN_SKIP_BYTES, or a structure the lexer does
 * not see plainly). */
bool ll_split_plan(LLSplit *sp, const char *text, size_t len, const LLIdentSet *file_ids,
                   const LLSplitNames *names);
/* A digest of the last plan's ranges (never 0): two plans of a text with
 * the same digest parse the same units. */
uint64_t ll_split_digest(const LLSplit *sp);

#endif
