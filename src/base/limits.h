/* limits.h - every limit loadlint enforces, in one place.
 *
 * Each limit is a named constant; the ones a user may change have a CLI flag
 * or config key (noted beside them). Hitting a limit always produces a
 * diagnostic naming the file: nothing is skipped silently. */
#ifndef LL_LIMITS_H
#define LL_LIMITS_H

/* LL_STR(LIMIT): the limit's value as a string literal, for messages. */
#define LL_STR_(x) #x
#define LL_STR(x) LL_STR_(x)

/* Files larger than this are not read (--max-file-size, bytes). */
#define LL_DEFAULT_MAX_FILE_BYTES (32u * 1024u * 1024u)
/* Parse time limit per file in microseconds (--parse-timeout, ms). */
#define LL_DEFAULT_PARSE_TIMEOUT_US (10u * 1000u * 1000u)
/* Findings kept per file; the rest are counted and reported once. */
#define LL_DEFAULT_MAX_FINDINGS_PER_FILE 10000u
/* bytes of source text the workers of a run parse at once (a syntax tree
 * costs about 25 bytes per byte of source): a larger file is parsed alone */
#define LL_PARSE_BUDGET_BYTES (512u * 1024u)
/* strings nested in f-string replacement fields followed by the pre-filter's
 * comment-aware identifier scan (prefilter.h); deeper: comments counted too
 * (Python 3.11 allows four: each quote once, a single inside a triple) */
#define LL_PREFILTER_MAX_STRING_NESTING 8u
/* files smaller than this are analysed beside any other (not counted) */
#define LL_PARSE_BUDGET_SMALL_BYTES (32u * 1024u)
/* after reading a file this large, a worker gives its buffers and the
 * allocator's freed memory back to the system */
#define LL_SHED_AFTER_BYTES (128u * 1024u)
/* SARIF: GitHub rejects runs with more results than this. */
#define LL_SARIF_MAX_RESULTS 25000u
/* SARIF: GitHub keeps at most this many thread-flow locations. */
#define LL_SARIF_MAX_FLOW_LOCATIONS 1000u

/* Rule files. */
#define LL_MAX_RULE_FILE_BYTES (1u * 1024u * 1024u)
#define LL_MAX_RULES 100000u
#define LL_MAX_GLOB_EXPANSIONS 256u /* name patterns one {a,b} pattern of a sources file may expand to */
#define LL_MAX_JSON_DEPTH 64 /* nesting accepted in baseline JSON (rule files: cJSON stops at 1000) */
/* PCRE2 limits for rule regexes (match steps and backtracking depth). */
#define LL_PCRE2_MATCH_LIMIT 100000u
#define LL_PCRE2_DEPTH_LIMIT 1000u

/* Resolver. */
#define LL_MAX_QUALNAME 512u   /* bytes of a canonical dotted name */
#define LL_MAX_ALTERNATIVES 4u /* meanings one name may have (try/except imports) */
#define LL_MAX_ALIAS_DEPTH 8u  /* x = y; y = z; ... followed this far */
#define LL_MAX_ATTR_CHAIN 64u  /* a.b.c... segments followed */
#define LL_MAX_CLASS_BASES_FOLLOWED 8u /* classes of a file searched for self.x */
#define LL_MAX_DISPLAY_ITEMS 64u /* items of a dict/list looked at for d[k](x) */
#define LL_MALLOC_MMAP_THRESHOLD (128 * 1024) /* bytes: larger blocks are mmap'ed (main.c) */
#define LL_MAX_PLAIN_SCAN 256u /* bytes of an expression read to see that the
                                * walk need not enter it (longer: entered) */

/* Statements set aside, one by one, when a file has syntax errors
 * (frontend.h: ll_frontend_repair); each costs a parse. */
#define LL_MAX_SYNTAX_REPAIRS 16u
/* a text with more control characters or undecodable bytes than this is
 * binary: its syntax errors are not repaired (frontend.c) */
#define LL_REPAIR_MAX_BINARY_BYTES 16u

/* Module exports read from text (engine/exports.h). */
#define LL_EXPORT_MAX_TOKENS 4096u   /* tokens of one module-level statement read */
#define LL_EXPORT_MAX_BLOCKS 64u     /* nested def/class headers tracked */
#define LL_EXPORT_MAX_LINES 4000000u /* logical lines of one file read */
#define LL_MAX_EXPORT_HOPS 32u       /* modules one re-export chain is followed through */
#define LL_MAX_ALIASES 1000000u      /* aliases kept for a run */

/* Data flow. */
#define LL_MAX_FLOW_STEPS 32u       /* steps kept in one source-to-sink path */
#define LL_MAX_FLOW_VISITS 4096u    /* expression nodes visited per query */
#define LL_MAX_SUMMARY_ROUNDS 16u   /* fixpoint rounds for function summaries */

/* Discovery. */
#define LL_MAX_PATH_BYTES 4096u
/* arguments of os.path.join / Path(...) folded into a literal path (value.h) */
#define LL_MAX_PATH_PARTS 16u
#define LL_MAX_WALK_DEPTH 256u /* directory nesting followed */
/* A .gitignore (or .git/info/exclude) larger than this is not read: a
 * diagnostic names it and the walk goes on without its patterns. */
#define LL_MAX_IGNORE_FILE_BYTES (1u * 1024u * 1024u)

/* Configuration files (pyproject.toml [tool.loadlint], loadlint.toml). */
#define LL_MAX_CONFIG_FILE_BYTES (1u * 1024u * 1024u) /* larger: an error */
#define LL_MAX_CONFIG_KEY_PARTS 32u /* components of one dotted TOML key */

/* Suppressions and baselines. */
#define LL_MAX_SUPPRESS_CODES 64 /* codes read from one suppression comment */
#define LL_MAX_BASELINE_BYTES (64u * 1024u * 1024u) /* --baseline file size */

/* Output. */
#define LL_MAX_SNIPPET_BYTES 200u /* flagged line text kept for reports */
#define LL_MAX_ARG_TEXT 60u       /* argument text quoted in messages */

#endif
