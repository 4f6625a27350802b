/* pep440.h - Python package versions (PEP 440), version specifiers, and
 * version sets: the versions a specifier set allows, as a union of
 * intervals over the PEP 440 order.
 *
 * Versions. ll_version_parse accepts every spelling PEP 440 normalises
 * (case, a leading 'v', leading zeros, '-', '_' and '.' separators,
 * alpha/beta/c/pre/preview/rev/r, implicit numbers, "1.0-1" as a post
 * release, surrounding whitespace) and ll_version_format writes the
 * normalised form ("1.0RC1" and "v1.0rc01" are both "1.0rc1").
 * ll_version_cmp is PEP 440's order: epoch, release (trailing zeros do not
 * count), then a dev release of a final version below its pre-releases
 * (1.0.dev0 < 1.0a0), pre-releases below the final, post releases above
 * it, a dev release below what it develops (1.0.post1.dev0 < 1.0.post1),
 * and a local label above the public version (numeric segments above
 * alphanumeric ones, a shorter label below a longer one it prefixes).
 *
 * Specifiers. ll_specset_parse reads a comma-separated specifier set
 * (`==`, `!=`, `<=`, `>=`, `<`, `>`, `~=`, `===`, `==1.2.*`, `!=1.2.*`),
 * refusing what PEP 440 refuses (a local label in an ordered comparison,
 * `~=` with one release segment, a wildcard after a pre/post/dev part) with
 * the byte offset of the problem. ll_specifier_match evaluates one
 * specifier on one version straight from the PEP's text:
 *   - `==V` ignores the candidate's local label unless V has one; `==P.*`
 *     compares the zero-padded release prefix (epoch equal);
 *   - `<=V`, `>=V` compare the candidate's public version;
 *   - `<V` excludes the pre-releases of V itself unless V is a pre-release
 *     (for V = R or R.postN, the versions R.devM, RaN... resp.
 *     R.postN.devM below V);
 *   - `>V` excludes the post releases of V unless V is a post release,
 *     and the local versions of V;
 *   - `~=V.N` is `>=V.N, ==V.*`; `===` compares the text, case-insensitively.
 * Pre-releases are members of every set they satisfy: a set is "what could
 * be installed", and a pre-release can be (pip --pre, or when only one
 * satisfies); a tool asking "may a version below 2.6 run?" wants them.
 *
 * Version sets. A set is a sorted list of disjoint, non-empty intervals
 * between cuts of the order. A cut sits just before a version, just after
 * one, or just above every version of an epoch and release (R.*): `>2.5`
 * starts above every 2.5 version, `==2.4` ends after every 2.4+local.
 * Cuts with no version between them are made equal, so a set is empty
 * exactly when no version is in it (`>=1.0, <1.0.post0, !=1.0` is empty).
 * Sets come from specifier sets (ll_verset_from_specset), and from conda
 * and Poetry constraints (deps/constraint.h); they intersect, unite and
 * complement, answer "is v in it", "is it empty", "do these two meet", and
 * give their lowest and highest bounds.
 *
 * Limits (named below): release segments, local label length, numbers, the
 * text of a version, and the intervals of a parsed specifier set; each
 * hit is an LL_ERR_LIMIT error naming it.
 *
 * Ownership: LLVersion and LLVerBound are plain values (no pointers). An
 * LLSpecSet and an LLVerSet own their arrays: ll_specset_free and
 * ll_verset_free release them; {0} is an empty specifier set and the empty
 * version set. Functions writing a set into `out` first release what `out`
 * held (so `out` must be initialised, e.g. {0}), and `out` may be one of
 * the inputs. No global state; everything is reentrant. */
#ifndef LL_DEPS_PEP440_H
#define LL_DEPS_PEP440_H
#include "base/buf.h"
#include "base/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Release segments kept (1.2.3 has 3). */
#define LL_PEP440_MAX_RELEASE 16u
/* Bytes of a normalised local label ("cu121.abc"). */
#define LL_PEP440_MAX_LOCAL 96u
/* Largest number in a version (epoch, release segment, pre/post/dev). */
#define LL_PEP440_MAX_NUMBER 999999999999999999ull
/* Bytes of one version, or of one specifier set, read. */
#define LL_PEP440_MAX_TEXT 4096u
/* Intervals of the set a parsed specifier or constraint makes (each `!=`
 * adds one). Set operations on sets within it are not limited. */
#define LL_VERSET_MAX_INTERVALS 256u

/* ---- Errors ---------------------------------------------------------- */

/* A problem in a version or specifier text: where (a byte offset from the
 * start of the text given), what, and its kind (LL_ERR_CONFIG for syntax,
 * LL_ERR_LIMIT for a limit). Callers turn the offset into line:column. */
typedef struct LLVerError {
    size_t offset;
    LLStatus status;
    char msg[256];
} LLVerError;

/* ---- Versions -------------------------------------------------------- */

typedef enum LLPreKind {
    LL_PRE_NONE = 0,
    LL_PRE_A = 1,
    LL_PRE_B = 2,
    LL_PRE_RC = 3,
} LLPreKind;

typedef struct LLVersion {
    uint64_t epoch;
    uint64_t release[LL_PEP440_MAX_RELEASE];
    uint8_t nrelease;  /* >= 1; as written (trailing zeros kept) */
    uint8_t pre_kind;  /* LLPreKind */
    bool has_post, has_dev;
    uint64_t pre, post, dev;
    char local[LL_PEP440_MAX_LOCAL + 1]; /* normalised label, "" when none */
} LLVersion;

/* Parses s[0..len). */
LLStatus ll_version_parse(const char *s, size_t len, LLVersion *out, LLVerError *err);
/* <0, 0, >0 as a sorts before, equal to, after b in PEP 440's order. */
int ll_version_cmp(const LLVersion *a, const LLVersion *b);
/* Appends the normalised form ("1!2.0rc1.post2.dev3+abc.5"). */
void ll_version_format(const LLVersion *v, LLBuf *out);
/* A pre-release or dev release. */
bool ll_version_is_prerelease(const LLVersion *v);
/* A version from its normalised text; for tables of constants and tests.
 * Returns false (and leaves *out zeroed) when s is not a version. */
bool ll_version_from(const char *s, LLVersion *out);

/* ---- Specifiers ------------------------------------------------------ */

typedef enum LLSpecOp {
    LL_SPEC_EQ,        /* == */
    LL_SPEC_NE,        /* != */
    LL_SPEC_LE,        /* <= */
    LL_SPEC_GE,        /* >= */
    LL_SPEC_LT,        /* < */
    LL_SPEC_GT,        /* > */
    LL_SPEC_COMPATIBLE, /* ~= */
    LL_SPEC_ARBITRARY, /* === */
} LLSpecOp;

typedef struct LLSpecifier {
    LLSpecOp op;
    bool wildcard;  /* ==V.* / !=V.*: v holds the prefix (epoch, release) */
    LLVersion v;    /* the version (unset for ===) */
    char *text;     /* ===: the text compared (owned); NULL otherwise */
    size_t offset;  /* of the operator in the parsed text */
} LLSpecifier;

typedef struct LLSpecSet {
    LLSpecifier *items;
    size_t len;
} LLSpecSet;

/* Parses a specifier set ("" and whitespace only: no specifier, every
 * version). `out` is released first. On error `out` is empty. */
LLStatus ll_specset_parse(const char *s, size_t len, LLSpecSet *out, LLVerError *err);
void ll_specset_free(LLSpecSet *s);
/* One specifier, or every specifier of a set, holds for v. */
bool ll_specifier_match(const LLSpecifier *sp, const LLVersion *v);
bool ll_specset_match(const LLSpecSet *s, const LLVersion *v);
/* Appends the set in normalised form (">=2.0, <2.6"; "" for no specifier). */
void ll_specset_format(const LLSpecSet *s, LLBuf *out);

/* ---- Version sets ---------------------------------------------------- */

/* Where a cut sits in the order. */
typedef enum LLCutKind {
    LL_CUT_BEFORE,   /* just below v: v is above the cut */
    LL_CUT_AFTER,    /* just above v (below v+local labels) */
    LL_CUT_ABOVE_RELEASE, /* above every version with v's epoch and release (R.*) */
    LL_CUT_MIN,      /* below every version */
    LL_CUT_MAX,      /* above every version */
} LLCutKind;

typedef struct LLVerCut {
    LLVersion v; /* unused for LL_CUT_MIN/MAX */
    uint8_t kind; /* LLCutKind */
} LLVerCut;

/* The versions strictly between two cuts (lo < hi). */
typedef struct LLVerInterval {
    LLVerCut lo, hi;
} LLVerInterval;

typedef struct LLVerSet {
    LLVerInterval *items; /* sorted, disjoint, non-adjacent, non-empty */
    size_t len;
} LLVerSet;

/* Every version / no version / exactly v (with v's local label, if any) /
 * v and its local versions (==v). `out` is released first. */
void ll_verset_all(LLVerSet *out);
void ll_verset_none(LLVerSet *out);
void ll_verset_exact(LLVerSet *out, const LLVersion *v);
void ll_verset_public(LLVerSet *out, const LLVersion *v);
/* The versions strictly between two cuts (empty when lo >= hi). */
void ll_verset_between(LLVerSet *out, const LLVerCut *lo, const LLVerCut *hi);
void ll_verset_free(LLVerSet *s);
void ll_verset_copy(LLVerSet *out, const LLVerSet *in);
/* The set of one specifier / of a specifier set (their intersection).
 * LL_ERR_LIMIT when it has more than LL_VERSET_MAX_INTERVALS intervals;
 * === with a text that is not a version is an error too (it can only be
 * compared as text). */
LLStatus ll_verset_from_specifier(LLVerSet *out, const LLSpecifier *sp, LLVerError *err);
LLStatus ll_verset_from_specset(LLVerSet *out, const LLSpecSet *s, LLVerError *err);
/* ll_specset_parse, then ll_verset_from_specset. */
LLStatus ll_verset_parse(LLVerSet *out, const char *s, size_t len, LLVerError *err);

void ll_verset_intersect(LLVerSet *out, const LLVerSet *a, const LLVerSet *b);
void ll_verset_union(LLVerSet *out, const LLVerSet *a, const LLVerSet *b);
void ll_verset_complement(LLVerSet *out, const LLVerSet *a);

bool ll_verset_is_empty(const LLVerSet *s);
bool ll_verset_is_all(const LLVerSet *s);
bool ll_verset_contains(const LLVerSet *s, const LLVersion *v);
/* Some version is in both. */
bool ll_verset_intersects(const LLVerSet *a, const LLVerSet *b);
/* Every version of a is in b. */
bool ll_verset_subset(const LLVerSet *a, const LLVerSet *b);
bool ll_verset_equal(const LLVerSet *a, const LLVerSet *b);
/* The lower cut of the lowest interval / the upper cut of the highest;
 * false for the empty set. LL_CUT_MIN / LL_CUT_MAX when unbounded. */
bool ll_verset_lowest(const LLVerSet *s, LLVerCut *out);
bool ll_verset_highest(const LLVerSet *s, LLVerCut *out);

/* The set's invariants hold: each interval lo < hi, intervals sorted and
 * apart (hi of one < lo of the next), MIN only as a lower cut and MAX only
 * as an upper one. For tests and fuzz targets. */
bool ll_verset_valid(const LLVerSet *s);

/* Orders two cuts (<0, 0, >0). */
int ll_vercut_cmp(const LLVerCut *a, const LLVerCut *b);
/* Where a version sits relative to a cut: <0 below it, >0 above it (never 0). */
int ll_vercut_side(const LLVerCut *c, const LLVersion *v);
/* Appends a cut as a bound: ">=2.0" / ">2.0" as a lower one (lower =
 * true), "<2.6" / "<=2.6" as an upper one. */
void ll_vercut_format(const LLVerCut *c, bool lower, LLBuf *out);
/* Appends the set: "any version", "no version", or its intervals as
 * specifiers joined by " || " (">=2.0, <2.6 || ==3.1.*"). */
void ll_verset_format(const LLVerSet *s, LLBuf *out);

#endif
