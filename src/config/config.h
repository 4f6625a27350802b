/* config.h - settings: configuration files found per directory, merged with
 * the command line.
 *
 * A configuration file is the [tool.loadlint] table of a pyproject.toml, or
 * the top level of a loadlint.toml / .loadlint.toml. For a scanned file the
 * nearest one walking up from the file's directory applies; in one directory
 * .loadlint.toml wins over loadlint.toml over pyproject.toml, and a
 * pyproject.toml without [tool.loadlint] does not count (the search goes on
 * upwards). Files are parsed with tree-sitter-toml; a syntax error, an
 * unknown key or a value of the wrong type is an LL_ERR_CONFIG naming the
 * file, line and column (1-based, columns in code points).
 *
 *   LLConfig       one parsed file; paths in it made absolute against the
 *                  file's directory.
 *   LLOverrides    what the command line says (cli/options.c fills it).
 *   LLSettings     the effective settings for the files under one
 *                  configuration file (or for every file when there is
 *                  none): the file's values with the overrides applied.
 *                  Immutable once built, so workers may share them.
 *   LLConfigCache  directory -> LLSettings; owns every LLConfig and
 *                  LLSettings it made (ll_config_cache_free frees them).
 *
 * Precedence: command line > configuration file > defaults. `select`,
 * `ignore`, `exclude`, `per-file-ignores` and `min-severity` given on the
 * command line replace the file's; the extend-* lists add to it.
 *
 * Rule selection (ruff's): a code is selected by the most specific matching
 * entry (longest prefix; ALL is the least specific) among select (default
 * ALL) + extend-select and ignore + extend-ignore; ignore wins a tie.
 * per-file-ignores then drop codes for the files their glob matches.
 *
 * Globs (exclude, extend-exclude, per-file-ignores) use ll_glob_match with
 * ruff's meaning: a pattern without '/' matches any one component of the path
 * below its base directory (the configuration file's directory, or the
 * working directory for command-line globs); a pattern with '/' matches the
 * path relative to the base, or a directory above the path inside the base;
 * a pattern starting with '/' is absolute.
 *
 * Not thread-safe: discovery (one thread) fills the cache; afterwards the
 * LLSettings are read-only. No global state. */
#ifndef LL_CONFIG_H
#define LL_CONFIG_H
#include "base/buf.h"
#include "base/status.h"
#include "base/vec.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>

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

typedef enum LLConfigKind {
    LL_CONFIG_PYPROJECT, /* keys in [tool.loadlint] */
    LL_CONFIG_LOADLINT,  /* keys at the top level */
} LLConfigKind;

typedef struct LLConfig {
    char *path; /* as shown in messages */
    char *dir;  /* absolute directory of the file */
    bool has_select, has_ignore, has_exclude, has_per_file_ignores;
    bool has_min_severity, has_respect_gitignore, has_honor_noqa;
    LLStrList select, ignore, extend_select, extend_ignore;
    LLGlobList exclude, extend_exclude;
    LLPerFileIgnores per_file_ignores;
    LLSeverity min_severity;
    LLStrList rules; /* extra rule directories, absolute */
    bool respect_gitignore, honor_noqa;
} LLConfig;

/* Parses text[0..len) (text[len] must be NUL). `path` names the file in
 * errors; relative paths in it start at `dir` (absolute). For a pyproject
 * without [tool.loadlint], *found is false and cfg holds no keys. On error
 * cfg holds nothing (no need to release). */
LLStatus ll_config_parse(LLConfig *cfg, LLConfigKind kind, const char *path,
                         const char *dir, const char *text, size_t len,
                         bool *found, LLError *err);
/* Reads `path` (at most LL_MAX_CONFIG_FILE_BYTES) and parses it; the kind
 * follows the name (pyproject.toml or not). `display` names it in errors,
 * `dir` is its absolute directory. */
LLStatus ll_config_load(LLConfig *cfg, const char *path, const char *display,
                        const char *dir, bool *found, LLError *err);
void ll_config_release(LLConfig *cfg);

typedef struct LLOverrides {
    const char *config_file; /* --config (borrowed); NULL: discover */
    bool isolated;           /* --isolated / --no-config */
    bool has_select, has_ignore, has_exclude, has_per_file_ignores;
    bool has_min_severity, has_honor_noqa;
    LLStrList select, ignore, extend_select, extend_ignore; /* owned */
    LLGlobList exclude, extend_exclude;                     /* owned; base NULL */
    LLPerFileIgnores per_file_ignores;                      /* owned; base NULL */
    LLSeverity min_severity;
    bool no_respect_gitignore, force_exclude, honor_noqa;
} LLOverrides;

void ll_config_overrides_init(LLOverrides *o);
void ll_config_overrides_release(LLOverrides *o);
/* Appends each non-empty comma-separated item of `value` to the list. */
void ll_config_split_list(LLStrList *l, const char *value);
void ll_config_add_glob(LLGlobList *l, const char *pattern, const char *base);

typedef struct LLSettings {
    size_t id;               /* 0, 1, ... in creation order */
    const char *config_path; /* the configuration file; NULL: none */
    const char *root;        /* its directory, or the working directory */
    bool select_set;         /* false: select = ALL */
    LLStrList select, ignore, extend_select, extend_ignore;
    LLGlobList exclude, extend_exclude;
    LLPerFileIgnores per_file_ignores;
    LLSeverity min_severity;
    LLStrList rule_dirs; /* absolute */
    bool respect_gitignore, honor_noqa, force_exclude;
} LLSettings;

/* Whether select/ignore (and their extend-*) select the rule code. */
bool ll_settings_selects(const LLSettings *s, const char *code);
/* ll_settings_selects and no per-file-ignore matching abs_path drops it
 * (abs_path NULL: no path, per-file-ignores do not apply). */
bool ll_settings_enables(const LLSettings *s, const char *code, const char *abs_path);
/* The exclude / extend-exclude glob that matches abs_path (or a directory
 * above it), or NULL. */
const LLGlob *ll_settings_excluded(const LLSettings *s, const char *abs_path);
/* Whether the glob matches abs_path (an absolute, normalised path) or one
 * of its directories (see the top of this file). */
bool ll_config_glob_matches(const LLGlob *g, const char *abs_path);
/* Appends the settings as TOML (for --show-settings). */
void ll_settings_print(const LLSettings *s, LLBuf *out);
/* Appends s as a TOML basic string, quotes included. */
void ll_config_toml_string(LLBuf *out, const char *s);

typedef struct LLConfigCache LLConfigCache;

/* The overrides must outlive the cache. Loads --config when given. */
LLStatus ll_config_cache_new(LLConfigCache **out, const LLOverrides *ov, LLError *err);
void ll_config_cache_free(LLConfigCache *c);
const char *ll_config_cache_cwd(const LLConfigCache *c);
/* The settings for the files in `absdir` (absolute, normalised). */
LLStatus ll_config_for_dir(LLConfigCache *c, const char *absdir,
                           const LLSettings **out, LLError *err);
size_t ll_config_cache_count(const LLConfigCache *c);
const LLSettings *ll_config_cache_get(const LLConfigCache *c, size_t id);

/* Absolute, lexically normalised path ('.', '..' and repeated '/' removed;
 * no symbolic link resolved) of `path` taken from `cwd`. malloc'd. */
char *ll_config_abspath(const char *cwd, const char *path);
/* The directory part of an absolute normalised path ("/" for "/x"). malloc'd. */
char *ll_config_dirname(const char *abs);
/* When abs is base or below it: the rest after "base/" ("" for base
 * itself); otherwise NULL. Both absolute and normalised. */
const char *ll_config_path_below(const char *abs, const char *base);

#endif
