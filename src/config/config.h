/* config.h - configuration files: [tool.loadlint] in a pyproject.toml, or
 * the top level of a loadlint.toml / .loadlint.toml, read into an LLConfig.
 *
 * The file is parsed as TOML 1.0 (config/toml.h); its keys are read by the
 * key table of config/settings.h. A syntax error anywhere in the file, an
 * unknown key or a value of the wrong type is an LL_ERR_CONFIG naming the
 * file, line and column (1-based, columns in code points); a file larger
 * than LL_MAX_CONFIG_FILE_BYTES is an LL_ERR_LIMIT.
 *
 * This header also brings in the rest of the configuration module, so that
 * callers need one include:
 *   config/settings.h  the keys, LLConfig, LLOverrides, LLSettings, rule
 *                      selection (ruff's: the most specific of select +
 *                      extend-select and ignore + extend-ignore wins, ignore
 *                      wins a tie; per-file-ignores after that), globs;
 *   config/cache.h     discovery: directory -> LLSettings (LLConfigCache);
 *   base/path.h        lexical path helpers.
 *
 * Ownership: an LLConfig owns everything in it (ll_config_release). No
 * global state. */
#ifndef LL_CONFIG_H
#define LL_CONFIG_H
#include "base/buf.h"
#include "base/path.h"
#include "base/status.h"
#include "base/vec.h"
#include "config/cache.h"
#include "config/settings.h"
#include "rules/ruleset.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum LLConfigKind {
    LL_CONFIG_PYPROJECT, /* keys in [tool.loadlint] */
    LL_CONFIG_LOADLINT,  /* keys at the top level */
} LLConfigKind;

/* Parses text[0..len). `path` names the file in errors; relative paths in
 * it start at `dir` (absolute). For a pyproject without [tool.loadlint],
 * *found is false and cfg holds no keys. On error cfg holds nothing (no
 * need to release). */
LLStatus ll_config_parse(LLConfig *cfg, LLConfigKind kind, const char *path,
                         const char *dir, const char *text, size_t len,
                         bool *found, LLError *err);
/* Reads `path` (at most LL_MAX_CONFIG_FILE_BYTES) and parses it; the kind
 * follows the name (pyproject.toml or not). `display` names it in errors,
 * `dir` is its absolute directory. */
LLStatus ll_config_load(LLConfig *cfg, const char *path, const char *display,
                        const char *dir, bool *found, LLError *err);
/* Frees what cfg holds (ll_settings_config_release). */
void ll_config_release(LLConfig *cfg);

#endif
