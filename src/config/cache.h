/* cache.h - configuration discovery: directory -> the settings for the
 * files in it, each configuration file read once.
 *
 * For a directory, the nearest configuration file walking up applies: in
 * one directory .loadlint.toml wins over loadlint.toml over pyproject.toml,
 * and a pyproject.toml without [tool.loadlint] does not count (the search
 * goes on upwards); with none up to "/", the defaults apply. --config uses
 * one file for every directory and --isolated none. Every directory on the
 * way is remembered, so each is looked at once. Files are not merged: the
 * nearest one is the configuration, with the command line applied
 * (ll_settings_new).
 *
 * Ownership: the cache owns every LLConfig and LLSettings it made
 * (ll_config_cache_free frees them); the LLSettings pointers it hands out
 * stay valid until then. It borrows the LLOverrides, which must outlive it.
 * Not thread-safe: discovery (one thread) fills it; afterwards the
 * LLSettings are read-only and may be shared. No global state. */
#ifndef LL_CONFIG_CACHE_H
#define LL_CONFIG_CACHE_H
#include "base/status.h"
#include "config/settings.h"

#include <stddef.h>

typedef struct LLConfigCache LLConfigCache;

/* The overrides must outlive the cache. Loads --config when given. */
LLStatus ll_config_cache_new(LLConfigCache **out, const LLOverrides *ov, LLError *err);
void ll_config_cache_free(LLConfigCache *c);
/* The working directory (absolute, normalised) when the cache was made. */
const char *ll_config_cache_cwd(const LLConfigCache *c);
/* The settings for the files in `absdir` (absolute, normalised). An
 * unreadable or invalid configuration file on the way up is an error
 * naming it. */
LLStatus ll_config_for_dir(LLConfigCache *c, const char *absdir,
                           const LLSettings **out, LLError *err);
/* How many settings the cache made; ll_config_cache_get(c, id) for id in
 * 0 .. count-1 (LLSettings.id), NULL past the end. */
size_t ll_config_cache_count(const LLConfigCache *c);
const LLSettings *ll_config_cache_get(const LLConfigCache *c, size_t id);

#endif
