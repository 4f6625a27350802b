/* settings.h - the configuration keys, declared once, and the settings they
 * make: read from a TOML table, checked, merged with the command line,
 * printed.
 *
 * LL_SETTINGS_KEYS below is the one list of keys. Each entry gives the
 * key's field in LLConfig and LLOverrides, its field in LLSettings, its
 * TOML name, its type, what a command-line value does, its default and its
 * help line. The three structs' key fields are generated from it, and so
 * are reading (unknown keys and wrong types are errors at their line and
 * column), merging and --show-settings printing: a new key is one entry
 * (plus, for a type not listed yet, that type's reading and printing).
 *
 *   LLConfig     one configuration file's keys (has_<field>: the key is
 *                there); paths, globs and directories made absolute
 *                against the file's directory.
 *   LLOverrides  what the command line says (cli/options.c fills it):
 *                REPLACE keys have has_<field> and <field>, EXTEND keys
 *                <field> (added after the file's), DISABLE keys
 *                no_<field> (only turns a boolean off).
 *   LLSettings   the effective settings for the files under one
 *                configuration file (or for every file when there is none):
 *                command line, else the file, else the default. Immutable
 *                once made, so workers may share them.
 *
 * Precedence: command line > configuration file > default. A REPLACE key
 * given on the command line replaces the file's value, an EXTEND key adds
 * to it.
 *
 * Rule selection (ruff's): a code is selected by the most specific matching
 * entry (longest prefix; ALL is the least specific) among select (default
 * ALL) + extend-select and ignore + extend-ignore; ignore wins a tie.
 * per-file-ignores then drop codes for the files their glob matches.
 *
 * Globs (exclude, extend-exclude, per-file-ignores, test-paths): see
 * ll_settings_glob_matches; their base is the configuration file's
 * directory, or the working directory for the command line's.
 *
 * Ownership: every list, string and glob in the three structs is owned by
 * its struct and malloc'd (released by ll_settings_config_release,
 * ll_settings_overrides_release, ll_settings_free), LLOverrides' too: who
 * fills one hands its strings over; LLOverrides.config_file alone is
 * borrowed. LLSettings copies what it takes from LLConfig and LLOverrides.
 * No global state; the key table is const. */
#ifndef LL_SETTINGS_H
#define LL_SETTINGS_H
#include "base/buf.h"
#include "base/severity.h"
#include "base/status.h"
#include "base/vec.h"
#include "base/strlist.h"
#include "config/toml.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Value types ------------------------------------------------------ */

typedef struct LLGlob {
    char *pattern; /* leading "./" and trailing '/' removed */
    char *base;    /* absolute directory the pattern is relative to; NULL in
                      LLOverrides means the working directory */
} LLGlob;
typedef LL_VEC(LLGlob) LLGlobList;

typedef struct LLPerFileIgnore {
    LLGlob glob;
    LLStrList codes;
} LLPerFileIgnore;
typedef LL_VEC(LLPerFileIgnore) LLPerFileIgnores;

/* One entry of a name -> value table (assume-versions: package -> version). */
typedef struct LLNameValue {
    char *name, *value;
} LLNameValue;
typedef LL_VEC(LLNameValue) LLNameValues;

/* fail-on: the lowest severity that makes the exit status 1 (the order of
 * LLSeverity, then "never"). */
typedef enum LLFailOn {
    LL_FAIL_ON_NOTE = LL_SEV_NOTE,
    LL_FAIL_ON_WARNING = LL_SEV_WARNING,
    LL_FAIL_ON_ERROR = LL_SEV_ERROR,
    LL_FAIL_ON_NEVER,
} LLFailOn;

/* test-severity: how findings in test code (test-paths) are graded. */
typedef enum LLTestSeverity {
    LL_TEST_KEEP,   /* as anywhere else */
    LL_TEST_LOWER,  /* one step lower */
    LL_TEST_NOTE,   /* notes */
    LL_TEST_IGNORE, /* not reported */
} LLTestSeverity;

/* The default test-paths, as a list of string literals. */
#define LL_SETTINGS_DEFAULT_TEST_PATHS                                                 \
    "tests/**", "test/**", "**/tests/**", "**/test/**", "**/test_*.py", "**/*_test.py", \
        "**/conftest.py"
#define LL_SETTINGS_DEFAULT_EXAMPLE_PATHS \
    "examples/**", "example/**", "**/examples/**", "**/example/**", "docs/**", "doc/**"

/* The C type of each key type (LL_SETTINGS_CTYPE_<TYPE>). */
#define LL_SETTINGS_CTYPE_CODES LLStrList          /* rule codes or prefixes */
#define LL_SETTINGS_CTYPE_GLOBS LLGlobList         /* globs, relative to the file */
#define LL_SETTINGS_CTYPE_PER_FILE LLPerFileIgnores /* glob -> codes */
#define LL_SETTINGS_CTYPE_DIRS LLStrList           /* directories, absolute */
#define LL_SETTINGS_CTYPE_GLOBALS LLStrList        /* "module.name" or "module.*" */
#define LL_SETTINGS_CTYPE_VERSIONS LLNameValues    /* package -> version */
#define LL_SETTINGS_CTYPE_SEVERITY LLSeverity      /* "note" | "warning" | "error" */
#define LL_SETTINGS_CTYPE_FAIL_ON LLFailOn         /* ... | "never" */
#define LL_SETTINGS_CTYPE_TEST_SEVERITY LLTestSeverity
#define LL_SETTINGS_CTYPE_BOOL bool
#define LL_SETTINGS_CTYPE_PATH char * /* a path, absolute; NULL: not set */

/* ---- The keys --------------------------------------------------------- */

/* X(FIELD, SETTINGS_FIELD, "key", TYPE, COMMAND_LINE, DEFAULT, "help")
 *   FIELD           the field in LLConfig and LLOverrides
 *   SETTINGS_FIELD  the field in LLSettings
 *   TYPE            CODES, GLOBS, PER_FILE, DIRS, GLOBALS, VERSIONS, SEVERITY,
 *                   FAIL_ON, TEST_SEVERITY, BOOL or PATH
 *   COMMAND_LINE    REPLACE, EXTEND, DISABLE (a flag that only turns it
 *                   off) or NONE
 *   DEFAULT         an initializer of the key's descriptor: .def_int = (a
 *                   boolean or enum value) or .def_list = (a NULL-terminated
 *                   list of strings); lists are empty and paths unset
 *                   without one
 * Printed by --show-settings in this order. */
#define LL_SETTINGS_KEYS(X)                                                                        \
    X(select, select, "select", CODES, REPLACE, .def_int = 0,                                      \
      "rules to run: codes or prefixes (LL101, LL1, ALL); default ALL")                            \
    X(ignore, ignore, "ignore", CODES, REPLACE, .def_int = 0, "rules not to run")                  \
    X(extend_select, extend_select, "extend-select", CODES, EXTEND, .def_int = 0,                  \
      "added to select (and to the command line's)")                                               \
    X(extend_ignore, extend_ignore, "extend-ignore", CODES, EXTEND, .def_int = 0,                  \
      "added to ignore (and to the command line's)")                                               \
    X(exclude, exclude, "exclude", GLOBS, REPLACE, .def_int = 0,                                   \
      "paths left out when walking (the built-in excludes always apply)")                          \
    X(extend_exclude, extend_exclude, "extend-exclude", GLOBS, EXTEND, .def_int = 0,               \
      "more paths left out when walking")                                                          \
    X(per_file_ignores, per_file_ignores, "per-file-ignores", PER_FILE, REPLACE, .def_int = 0,     \
      "rules not reported in files matching a glob: { glob = [codes] }")                           \
    X(min_severity, min_severity, "min-severity", SEVERITY, REPLACE, .def_int = LL_SEV_NOTE,       \
      "findings below this severity are not reported")                                             \
    X(rules, rule_dirs, "rules", DIRS, NONE, .def_int = 0,                                         \
      "more *.json rule files, for the files under this configuration")                            \
    X(respect_gitignore, respect_gitignore, "respect-gitignore", BOOL, DISABLE, .def_int = true,   \
      "leave out what git ignores")                                                                \
    X(honor_noqa, honor_noqa, "honor-noqa", BOOL, REPLACE, .def_int = true,                        \
      "honour inline suppression comments")                                                        \
    X(fail_on, fail_on, "fail-on", FAIL_ON, REPLACE, .def_int = LL_FAIL_ON_WARNING,                \
      "the lowest severity that makes the exit status 1 (or never)")                               \
    X(test_paths, test_paths, "test-paths", GLOBS, REPLACE,                                        \
      .def_list = ll_settings_default_test_paths, "globs of test code (graded by test-severity)")   \
    X(test_severity, test_severity, "test-severity", TEST_SEVERITY, REPLACE,                       \
      .def_int = LL_TEST_NOTE, "findings in test code: keep, lower, note (default) or ignore")               \
    X(example_paths, example_paths, "example-paths", GLOBS, NONE,                                  \
      .def_list = ll_settings_default_example_paths,                                               \
      "globs of examples and docs (reported as such, graded like library code)")                   \
    X(artifacts, artifacts, "artifacts", BOOL, REPLACE, .def_int = true,                           \
      "scan the model files found while walking")                                                  \
    X(cache_dir, cache_dir, "cache-dir", PATH, REPLACE, .def_int = 0,                              \
      "the cache directory, relative to the configuration file (default: .loadlint_cache in the project root)")                   \
    X(cache, cache, "cache", BOOL, REPLACE, .def_int = true, "use the result cache")                      \
    X(assume_versions, assume_versions, "assume-versions", VERSIONS, EXTEND, .def_int = 0,         \
      "versions of packages to assume: { package = \"version\" }")                                 \
    X(allowed_globals, allowed_globals, "allowed-globals", GLOBALS, EXTEND, .def_int = 0,          \
      "more pickle globals allowed in model files: \"module.name\" or \"module.*\"")

/* The default test-paths (LL_SETTINGS_DEFAULT_TEST_PATHS), NULL-terminated. */
extern const char *const ll_settings_default_test_paths[];
/* The default example-paths, NULL-terminated. */
extern const char *const ll_settings_default_example_paths[];

/* ---- The structs ------------------------------------------------------ */

#define LL_SETTINGS_CONFIG_FIELD_(f, sf, key, type, cl, def, help) \
    bool has_##f;                                                  \
    LL_SETTINGS_CTYPE_##type f;
#define LL_SETTINGS_OVERRIDE_FIELD_REPLACE(T, f) \
    bool has_##f;                                \
    T f;
#define LL_SETTINGS_OVERRIDE_FIELD_EXTEND(T, f) T f;
#define LL_SETTINGS_OVERRIDE_FIELD_DISABLE(T, f) bool no_##f;
#define LL_SETTINGS_OVERRIDE_FIELD_NONE(T, f)
#define LL_SETTINGS_OVERRIDE_FIELD_(f, sf, key, type, cl, def, help) \
    LL_SETTINGS_OVERRIDE_FIELD_##cl(LL_SETTINGS_CTYPE_##type, f)
#define LL_SETTINGS_SETTINGS_FIELD_(f, sf, key, type, cl, def, help) LL_SETTINGS_CTYPE_##type sf;

typedef struct LLConfig {
    char *path; /* as shown in messages */
    char *dir;  /* absolute directory of the file */
    /* per key: bool has_<field>; <type> <field>; (rules: absolute dirs) */
    LL_SETTINGS_KEYS(LL_SETTINGS_CONFIG_FIELD_)
} LLConfig;

typedef struct LLOverrides {
    const char *config_file; /* --config (borrowed); NULL: discover */
    bool isolated;           /* --isolated / --no-config */
    bool force_exclude;      /* --force-exclude (no configuration key) */
    /* per key, by its COMMAND_LINE: has_<field> + <field>, <field>, or
     * no_<field>; lists owned, globs with base NULL (the working
     * directory), cache_dir as given (relative to the working directory,
     * malloc'd) */
    LL_SETTINGS_KEYS(LL_SETTINGS_OVERRIDE_FIELD_)
} LLOverrides;

typedef struct LLSettings {
    size_t id;               /* 0, 1, ... in creation order */
    const char *config_path; /* the configuration file; NULL: none */
    const char *root;        /* its directory, or the working directory */
    bool select_set;         /* false: select = ALL */
    bool force_exclude;
    /* per key: <type> <settings field>; globs with their base set */
    LL_SETTINGS_KEYS(LL_SETTINGS_SETTINGS_FIELD_)
} LLSettings;

/* ---- Keys as data (docs, --help) --------------------------------------- */

typedef struct LLSettingsKey {
    const char *name;     /* "min-severity" */
    const char *type;     /* "\"note\", \"warning\" or \"error\"", "array of globs", ... */
    const char *command_line; /* "replaces", "extends", "turns off" or NULL */
    const char *help;
} LLSettingsKey;

size_t ll_settings_key_count(void);
/* The i-th key in declaration order (NULL past the end). */
const LLSettingsKey *ll_settings_key(size_t i);

/* ---- Reading, merging, releasing -------------------------------------- */

/* Every key field to its default, nothing set (path and dir untouched). */
void ll_settings_config_init(LLConfig *cfg);
/* Frees the key fields, path and dir; cfg is left zeroed. */
void ll_settings_config_release(LLConfig *cfg);
/* Reads the keys of `table` (a [tool.loadlint] table, or a loadlint.toml's
 * root) into cfg, whose dir must be set. `where` is how messages name the
 * table (" in [tool.loadlint]", or "" for a file's top level). An unknown
 * key, a wrong type or a bad value is an error at its line and column (the
 * document's status); cfg then holds what was read so far. */
LLStatus ll_settings_read(LLConfig *cfg, const LLTomlDoc *doc, const LLTomlValue *table,
                          const char *where, LLError *err);

void ll_settings_overrides_init(LLOverrides *ov);
void ll_settings_overrides_release(LLOverrides *ov);

/* The effective settings: cfg (NULL: no configuration file) with the
 * overrides; cwd (absolute) is the base of command-line globs and paths
 * and the root when there is no file. Copies what it needs: cfg and ov
 * may go away. Free with ll_settings_free. */
LLSettings *ll_settings_new(const LLConfig *cfg, const LLOverrides *ov, const char *cwd, size_t id);
void ll_settings_free(LLSettings *s);

/* ---- Lists and globs -------------------------------------------------- */

/* Appends each non-empty comma-separated item of `value` (blanks around it
 * trimmed) to the list. */
void ll_settings_split_list(LLStrList *l, const char *value);
/* Appends a glob: the pattern without leading "./" and trailing '/', the
 * base (absolute; NULL: the working directory) copied. */
void ll_settings_add_glob(LLGlobList *l, const char *pattern, const char *base);
/* Whether the glob matches abs_path (an absolute, normalised path) or one
 * of its directories: a pattern without '/' matches any one component of
 * the path below the base; a pattern with '/' matches the path relative to
 * the base, or a directory above it inside the base; a pattern starting
 * with '/' is absolute. */
bool ll_settings_glob_matches(const LLGlob *g, const char *abs_path);

/* ---- Queries ---------------------------------------------------------- */

/* Whether select/ignore (and their extend-*) select the rule code. */
bool ll_settings_selects(const LLSettings *s, const char *code);
/* ll_settings_selects and no per-file-ignore matching abs_path drops it
 * (abs_path NULL: no path, per-file-ignores do not apply). */
bool ll_settings_enables(const LLSettings *s, const char *code, const char *abs_path);
/* The exclude / extend-exclude glob that matches abs_path (or a directory
 * above it), or NULL. */
const LLGlob *ll_settings_excluded(const LLSettings *s, const char *abs_path);
/* The test-paths glob that matches abs_path (or a directory above it): the
 * file is test code; NULL: it is not. */
const LLGlob *ll_settings_test_path(const LLSettings *s, const char *abs_path);
/* The same for example-paths. */
const LLGlob *ll_settings_example_path(const LLSettings *s, const char *abs_path);
/* The assume-versions version of a package, names compared as PEP 503
 * normalises them (case, and runs of '-', '_', '.'), or NULL. */
const char *ll_settings_assumed_version(const LLSettings *s, const char *package);

/* Appends the settings as TOML (for --show-settings): config-file, root,
 * every key in declaration order, force-exclude. */
void ll_settings_print(const LLSettings *s, LLBuf *out);

/* ---- Words of the enum keys (for the command line) -------------------- */

/* "note", "warning", "error", "never"; parse: false for anything else. */
const char *ll_settings_fail_on_name(LLFailOn v);
bool ll_settings_fail_on_parse(const char *s, LLFailOn *out);
/* "keep", "lower", "note", "ignore". */
const char *ll_settings_test_severity_name(LLTestSeverity v);
bool ll_settings_test_severity_parse(const char *s, LLTestSeverity *out);
/* Whether s is an allowed-globals entry: "module.name" or "module.*"
 * (dotted Python identifiers, at least two parts). */
bool ll_settings_global_valid(const char *s);

#endif
