/* split.h - parse less: the definitions a file's analysis needs.
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
 *     segment: of a dotted name or of a rule's method, spelled as an
 *     attribute, a string's word or in an import, or any way when a
 *     module-level statement may bind it by its plain name or the file
 *     imports * or it is a keyword a rule tests; of a filler, called); the
 *     names fixes write (fix.c refuses a name bound anywhere); `update`
 *     where a digest is compared (verify.c reads every update);
 *  2. a def or class is relevant when it mentions a seed (in code or in a
 *     string that may spell a name: comments, docstrings and prose strings
 *     do not count), or when its text holds a source substring (sources.h
 *     literals). Its own name becomes a seed (its callers can reach what it
 *     reaches). A module-level unit that mentions a seed makes the names it
 *     may bind seeds (`load = pickle.loads`: a target of `=`, `+=` or an
 *     annotation, a name of a line that loops, opens a with, says `as` or
 *     matches a case, a def's or class's name, in an import a name after
 *     `as` whose imported name is a seed; not a name bound inside a def or
 *     class nested in the unit, which is that def's), and a relevant def
 *     that says `global x` makes x a seed (such a def is always parsed).
 *     `Cls.x = value` in a relevant unit, where Cls is a top-level class,
 *     makes Cls and x seeds (instances of Cls carry x: resolve.h).
 *     Repeated until no seed is added;
 *  3. parsed: the module-level units, the relevant definitions, and every
 *     definition a parsed unit names (what it returns or is may change a
 *     finding's grade: a constant path, a class), transitively.
 *
 * A class is split the same way, one level down: its members are the
 * statements at its body's indentation, its "shell" the header and the
 * members that are not definitions. A class whose header (decorators,
 * bases) mentions a seed is parsed whole (a base may be a relevant class,
 * whose methods are this one's); so is one the scan does not see plainly
 * (tabs in its members' indentation, a member indented less than the
 * first, a decorator of nothing). Otherwise, when the class is parsed, its
 * shell is, and of its definitions (methods, nested classes) only:
 *
 *  4. the relevant ones: a member mentioning a seed or a name the class's
 *     relevant members give: a definition's own name (self.m()) and the
 *     attributes it assigns (self.x = ..., which self.x in another method
 *     reads), the names a statement of the shell binds (decode =
 *     pickle.loads: self.decode(b)); repeated until no name is added;
 *  5. the ones a parsed unit or member names, by their name or by an
 *     attribute they assign (the value self.x has may grade a finding),
 *     transitively, across the file (this and step 3 are one closure);
 *  6. one of them (the shortest) when nothing else of the body is parsed,
 *     so the class keeps a body.
 *
 * The class's relevance at the top level (step 2) is unchanged: any of its
 * text mentioning a seed makes it relevant and its name a seed.
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
/* Class members of a file planned; the classes after that many are
 * parsed whole when parsed. */
#define LL_SPLIT_MAX_MEMBERS 50000u
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
    /* per set, its one-segment names read in one way only (or NULL): as a
     * method (x.from_pretrained(...): seeds where spelled as an attribute,
     * like a dotted name's last segment), as the name of a call (fillers:
     * shutil.copy(src, dst): seeds where called) */
    const LLIdentSet *methods[LL_SPLIT_MAX_SETS];
    const LLIdentSet *calls[LL_SPLIT_MAX_SETS];
    /* keywords a name of the sets may end with (a rule's "a.load.safe_mode":
     * the file must spell safe_mode, as a keyword argument): seeds in any
     * spelling, or NULL */
    const LLIdentSet *keywords;
} LLSplitNames;

/* What a hit may bind: nothing (a string's word, a name called), a name
 * (if its statement is at module level), a name of a global statement, an
 * attribute (self.x = ..., self.x += ..., self.x: T = ..., a, self.x =
 * ...: what a method may assign; a superset). */
enum { LL_SPLIT_BINDS = 1, LL_SPLIT_BINDS_GLOBAL = 2, LL_SPLIT_BINDS_ATTR = 4,
       LL_SPLIT_BINDS_ALIAS = 8, /* import x as NAME: when x (two hits before) is a seed */
       LL_SPLIT_BINDS_KIND = 15, /* the bits above: one of them or none */
       /* and how the hit is spelled: a name of code, not an attribute
        * (a string's and a comment's words are neither), and in an import */
       LL_SPLIT_PLAIN = 16, LL_SPLIT_IMPORTED = 32, LL_SPLIT_CALLED = 64 };

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
    /* a class: its members in LLSplit.members, and whether they are
     * planned one by one (split) or the class is parsed whole (full) */
    bool is_class, split, full;
    uint32_t member_first, member_end;
} LLSplitUnit;

/* A statement at a class body's indentation (a def or class with its
 * decorators, or any other statement, which is the class's "shell"). */
typedef struct LLSplitMember {
    size_t start, end;
    size_t hit_first, hit_end;
    uint64_t name;    /* a def's or class's name hash */
    uint32_t unit;    /* its class */
    bool def, global, relevant, kept;
} LLSplitMember;

/* An open-addressing table of index + 1 (0: an empty slot). */
typedef LL_VEC(uint32_t) LLSplitTable;

typedef struct LLSplitEntry {
    uint64_t hash;
    uint32_t member, next;
} LLSplitEntry;

typedef struct LLSplit {
    LL_VEC(LLSplitUnit) units;
    LL_VEC(LLSplitMember) members;
    LL_VEC(uint64_t) hits;  /* identifiers of code and strings, in order, unit by unit */
    LL_VEC(uint8_t) binds;  /* per hit: LL_SPLIT_BINDS_* */
    LLSplitTable table;     /* definitions by name: unit + 1 */
    LL_VEC(uint32_t) work;  /* units, and members (with the top bit set) */
    /* members by name and by the attributes they assign: open addressing
     * (entry + 1), entries chained by `next` */
    LLSplitTable mtable;
    LL_VEC(LLSplitEntry) mentries;
    LLIdentSet seeds;
    /* the last segments of dotted names (torch.hub.list): seeds where
     * spelled as an attribute, in a string or an import, not as a plain
     * name (a local `list`), unless a module-level statement may bind it
     * plainly (from torch.hub import list) or imports * */
    LLIdentSet attr_seeds;
    LLIdentSet call_seeds;  /* seeds where called: names.calls */
    LLIdentSet local;       /* a class's seeds (step 4) */
    LLIdentSet classes;     /* the names of the top-level classes */
    LLIdentSet scratch;
    LLIdentSet named;       /* every identifier a parsed unit or member holds */
    LLIdentSet keywords;    /* Python's keywords */
    uint64_t global, def_kw, class_kw, import_kw; /* the hashes of these keywords */
    uint64_t bind_kw[6]; /* import, from, for, with, case, as: a line that binds names */
    uint64_t update, digest, hexdigest, compare_digest; /* and of these names */
    LL_VEC(TSRange) ranges; /* the plan: what to parse, ascending */
    size_t skipped_bytes;
    size_t min_skip_bytes;  /* LL_SPLIT_MIN_SKIP_BYTES (tests lower it) */
    const char *text;       /* what was scanned */
    size_t len;
    bool scanned;           /* its units can be planned */
    bool star_import;       /* a module-level import * */
} LLSplit;

void ll_split_init(LLSplit *sp);
/* Frees everything; the split is then unusable until ll_split_init. */
void ll_split_release(LLSplit *sp);
/* One pass over `text`: fills `ids` (unless NULL) as ll_identset_build(ids,
 * text, len, extra) does (nameset.h: every identifier, strings and
 * comments included), and finds the text's top-level units, their members
 * and identifiers for a plan. Returns whether the units can be planned
 * (false: a structure this pass does not see plainly, such as an indented
 * first statement or unclosed brackets; a single unit). */
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
