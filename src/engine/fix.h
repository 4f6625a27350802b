/* fix.h - rewriting the call of a finding into its safe form, and writing
 * the result back.
 *
 * ll_fix_compute evaluates a rule's fix entries (rules/fixspec.h) at one
 * call, with the semantic model of its file (resolve.h), and gives either
 * the edits (byte ranges of the decoded text, UTF-8, with their
 * replacement) with a safe / unsafe decision, or no fix and the reason. The
 * entries are tried in order; the first whose `when` holds and that can be
 * built here is the fix. Edits come from the syntax tree: a keyword is added
 * after the last argument (before a trailing comma or comment), on its own
 * line with the other arguments' indentation when they are one per line,
 * with the line ending of that line (CRLF files stay CRLF); it is removed
 * with its comma, or with its whole line when it stood alone on it; a
 * module's function or class is spelled as the file imports the module
 * (`y.safe_load` after `import yaml as y`), else by a name already imported
 * from it, else by adding the name to the from-import that brought the old
 * one. No fix is offered where it would have to guess: a keyword that
 * `*args` or `**kwargs` may carry, a value set from a variable, a callee or
 * value that is an alias variable or has several meanings, a reference
 * passed as a value (its eventual call's arguments are not here).
 *
 * ll_fix_apply applies the fixes of one file in one pass. Fixes are
 * all-or-nothing; one whose edits overlap an earlier accepted fix's is
 * dropped and reported. Identical edits count once (two calls needing the
 * same import), and insertions of list items at the same place
 * (`mergeable`) are all kept, in order.
 *
 * ll_fix_encode turns the fixed text back into the file's bytes: its BOM,
 * its declared encoding (iconv from UTF-8), refusing when the text cannot
 * be encoded back or when re-encoding would change bytes the fix does not
 * touch. ll_fix_write_file replaces a file atomically, refusing when it
 * changed since it was read. A fix records a hash of the text it was
 * computed on (ll_fix_text_hash), so that a file changed between the scan
 * and the fix is refused; ll_fix_unified_diff shows the result instead of
 * writing it (--diff). The scan (src/lib/scan.c) drives all this for
 * --fix, --unsafe-fixes and --diff.
 *
 * Ownership: an LLFix owns its strings and edits (ll_fix_release). Nothing
 * is borrowed by a computed fix, so it may outlive the file's tree and arena
 * (attached to a finding). No global state. */
#ifndef LL_FIX_H
#define LL_FIX_H
#include "base/buf.h"
#include "base/status.h"
#include "engine/finding.h"
#include "engine/resolve.h"
#include "engine/syntax.h"
#include "rules/fixspec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* Bytes of a fix's description and reason. */
#define LL_MAX_FIX_TEXT 512u
/* Edits one fix may make (an argument, a comma, an import). */
#define LL_MAX_FIX_EDITS 4u

typedef struct LLFixEdit {
    uint32_t start, end; /* byte range of the decoded text; start == end: insertion */
    uint32_t line, col, end_line, end_col; /* the same as 1-based lines and
                          * code-point columns (end exclusive), for reports */
    char *text;          /* replacement (malloc'd, NUL-terminated) */
    bool mergeable;      /* a list item inserted at `start`: another fix's
                          * insertion at the same place is kept beside it */
} LLFixEdit;

typedef enum LLFixStatus {
    LL_FIX_NONE = 0, /* the rule has no fixes */
    LL_FIX_OFFERED,  /* edits, safe or not */
    LL_FIX_REFUSED,  /* the rule has fixes; none can be made here: reason */
} LLFixStatus;

typedef struct LLFix {
    LLFixStatus status;
    bool safe;          /* OFFERED: applies with --fix (else --unsafe-fixes) */
    uint32_t spec;      /* OFFERED: index of the rule's fix entry used */
    char *description;  /* OFFERED: what it does: "add weights_only=True" */
    char *reason;       /* REFUSED: why there is no fix; OFFERED and unsafe:
                         * what it may break (the entry's unsafe_reason) */
    LLFixEdit *edits;   /* OFFERED: sorted by start, not overlapping */
    uint32_t nedits;
    uint32_t text_len;  /* the text the edits apply to: its length and */
    uint64_t text_hash; /* ll_fix_text_hash (0: not known), to tell that a
                         * file still holds that text when it is fixed */
} LLFix;

/* What the project says about a package's versions: whether every version
 * that may run satisfies `versions` (a PEP 440 specifier set). */
typedef enum LLFixVersions {
    LL_FIX_VERSIONS_UNKNOWN = 0, /* nothing says: the fix is offered */
    LL_FIX_VERSIONS_ALL,         /* every version that may run is in the set */
    LL_FIX_VERSIONS_NOT_ALL,     /* some may not be: no fix */
} LLFixVersions;
typedef LLFixVersions (*LLFixVersionFn)(void *ctx, const char *package, const char *versions);

typedef struct LLFixEnv {
    LLFixVersionFn versions; /* NULL: versions unknown */
    void *versions_ctx;
} LLFixEnv;

/* The finding's site, as match.c has it. */
typedef struct LLFixSite {
    const LLSemantic *sem; /* the file's model; its source is the decoded text */
    TSNode node;           /* the call (a reference used as a value gets no fix) */
    uint32_t scope;        /* the scope the call is in */
    const char *callee;    /* the canonical name the rule matched */
    uint64_t text_hash;    /* ll_fix_text_hash of the source's text, or 0 */
} LLFixSite;

/* The hash of a text the fixes are computed on (64-bit FNV-1a; never 0):
 * the text a file holds when it is fixed must be the text scanned. */
uint64_t ll_fix_text_hash(const char *text, size_t len);

/* Fills *out (released by the caller with ll_fix_release) for the rule's
 * fix entries `specs[0..n)`; n == 0 gives LL_FIX_NONE. `env` may be NULL.
 * The fix records the site's text_hash and the source's length. */
void ll_fix_compute(const LLFixSite *site, const LLFixSpec *specs, size_t n,
                    const LLFixEnv *env, LLFix *out);
void ll_fix_release(LLFix *f);
/* A deep copy (for a finding that keeps the fix). */
void ll_fix_copy(LLFix *dst, const LLFix *src);

/* Whether finding f's fix applies (--fix; loadlint.h, LLFixMode): it is
 * offered, safe or `unsafe` allowed, and the finding is reported or hidden
 * only as a duplicate of another rule's finding on the same call (a
 * comment, a round trip or test-severity = "ignore" keep it). */
bool ll_fix_applies(const LLFinding *f, bool unsafe);

typedef struct LLFixDrop {
    size_t fix;      /* index in the fixes given to ll_fix_apply */
    size_t conflict; /* index of the earlier, applied fix it overlaps */
} LLFixDrop;

typedef struct LLFixApplyResult {
    size_t applied;    /* fixes applied */
    LLFixDrop *dropped; /* fixes not applied (malloc'd) */
    size_t ndropped;
} LLFixApplyResult;

/* Applies fixes[0..n) (OFFERED ones; others are skipped and not counted) to
 * text[0..len) in one pass, earlier fixes first; the result is appended to
 * *out. Edits outside the text are a dropped fix (conflict == n). */
void ll_fix_apply(const char *text, size_t len, const LLFix *const *fixes, size_t n,
                  LLBuf *out, LLFixApplyResult *res);
void ll_fix_apply_result_release(LLFixApplyResult *res);

/* Whether text[0..len) parses without a syntax error (lone CRs read as line
 * ends, as the front end does). */
bool ll_fix_parses_cleanly(const LLSyntax *syn, TSParser *parser, const char *text, size_t len);

/* The bytes to write for `fixed` (UTF-8), given the file as it was read:
 * `raw` (its bytes), `text` (their decoding, the text the fixes were
 * computed on) and `codec` (LLFrontEnd.codec: the declared encoding, "" for
 * none). A UTF-8 file keeps its BOM. Another encoding is encoded back with
 * iconv; refused (LL_ERR_IO, nothing in *out) when the file's bytes are not
 * what encoding `text` gives (the file spells some characters in a way
 * re-encoding would change: UTF-7, escapes), when `fixed` has a character
 * the encoding cannot represent, when the codec is Python-only
 * (unicode_escape), or when decoding the result does not give `fixed`
 * back. `display` names the file in errors. */
LLStatus ll_fix_encode(const char *display, const char *codec, const char *raw, size_t raw_len,
                       const char *text, size_t text_len, const char *fixed, size_t fixed_len,
                       LLBuf *out, LLError *err);

/* Replaces the regular file `path` (a symbolic link: its target) with
 * bytes[0..len): a temporary file in the same directory, with the file's
 * permissions, then rename(). Refused (LL_ERR_IO, the file untouched) when
 * its current content is not expect[0..expect_len) (it changed since it was
 * read). */
LLStatus ll_fix_write_file(const char *path, const char *expect, size_t expect_len,
                           const char *bytes, size_t len, LLError *err);

/* Context lines around each change of a unified diff. */
#define LL_FIX_DIFF_CONTEXT 3u
/* How far (in lines, on each side) the diff looks for where two texts agree
 * again after a difference; past it, the rest of the file is one change. */
#define LL_FIX_DIFF_WINDOW 200u

/* Appends to *out a unified diff (`diff -u` style, LL_FIX_DIFF_CONTEXT
 * lines of context) turning a[0..alen) into b[0..blen), both files' bytes
 * (lines end at '\n', which `patch` reads; a CR stays in its line), headed
 * `--- name` / `+++ name` (control characters in the name escaped); a last
 * line without '\n' is followed by "\ No newline at end of file". Nothing
 * when the texts are equal. Any alignment of equal lines is a correct diff;
 * this one is found in one pass: after a difference, the nearest place
 * (within LL_FIX_DIFF_WINDOW lines) where both texts have
 * LL_FIX_DIFF_SYNC equal lines in a row (or both end) resumes the common
 * text, and the lines in between are aligned by their longest common
 * subsequence: minimal for the few, scattered changes fixes make. */
#define LL_FIX_DIFF_SYNC 2u
/* Cells of the table that finds the fewest changes between two places
 * where the texts agree (lines x lines); a larger difference is one change. */
#define LL_FIX_DIFF_MAX_CELLS (1u << 20)
void ll_fix_unified_diff(const char *name, const char *a, size_t alen, const char *b,
                         size_t blen, LLBuf *out);

#endif
