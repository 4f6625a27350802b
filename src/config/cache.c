#include "config/cache.h"

#include "base/mem.h"
#include "base/path.h"
#include "base/strmap.h"
#include "config/config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct LLConfigCache {
    const LLOverrides *ov;
    char *cwd;
    LL_VEC(LLConfig *) configs;
    LL_VEC(LLSettings *) settings;
    LLSettings *defaults; /* no configuration file; made when first needed */
    LLSettings *fixed;    /* --config or --isolated: for every directory */
    LLStrMap dirs;        /* absolute directory -> LLSettings * */
    LL_VEC(char *) keys;  /* owns the map's keys */
};

static LLSettings *settings_new(LLConfigCache *c, const LLConfig *cfg)
{
    LLSettings *s = ll_settings_new(cfg, c->ov, c->cwd, c->settings.len);
    LL_VEC_PUSH(&c->settings, s);
    return s;
}

static LLSettings *defaults(LLConfigCache *c)
{
    if (!c->defaults)
        c->defaults = settings_new(c, NULL);
    return c->defaults;
}

/* How a configuration file is named in messages: relative to the working
 * directory when it is below it. */
static char *display_name(const LLConfigCache *c, const char *abs)
{
    const char *rel = ll_path_below(abs, c->cwd);
    return ll_xstrdup(rel && *rel ? rel : abs);
}

/* Loads the configuration at `abs` into a new LLSettings; *out NULL when
 * it is a pyproject.toml without [tool.loadlint] and `need` is false. */
static LLStatus load_settings(LLConfigCache *c, const char *abs, const char *display,
                              bool need, LLSettings **out, LLError *err)
{
    *out = NULL;
    LLConfig *cfg = ll_xcalloc(1, sizeof *cfg);
    char *dir = ll_path_dirname(abs);
    bool found;
    LLStatus st = ll_config_load(cfg, abs, display, dir, &found, err);
    free(dir);
    if (st != LL_OK || (!found && !need)) {
        if (st == LL_OK)
            ll_config_release(cfg);
        free(cfg);
        return st;
    }
    LL_VEC_PUSH(&c->configs, cfg);
    *out = settings_new(c, cfg);
    return LL_OK;
}

LLStatus ll_config_cache_new(LLConfigCache **out, const LLOverrides *ov, LLError *err)
{
    *out = NULL;
    LLConfigCache *c = ll_xcalloc(1, sizeof *c);
    c->ov = ov;
    ll_strmap_init(&c->dirs);
    char *cwd = getcwd(NULL, 0);
    if (!cwd) {
        LLStatus st = ll_error_set(err, LL_ERR_IO, NULL, 0, 0,
                                   "cannot get the working directory: %s", strerror(errno));
        ll_config_cache_free(c);
        return st;
    }
    c->cwd = ll_path_abs("/", cwd);
    free(cwd);
    if (ov->config_file && !ov->isolated) {
        char *abs = ll_path_abs(c->cwd, ov->config_file);
        LLStatus st = load_settings(c, abs, ov->config_file, true, &c->fixed, err);
        free(abs);
        if (st != LL_OK) {
            ll_config_cache_free(c);
            return st;
        }
    } else if (ov->isolated) {
        c->fixed = defaults(c);
    }
    *out = c;
    return LL_OK;
}

void ll_config_cache_free(LLConfigCache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->settings.len; i++)
        ll_settings_free(c->settings.items[i]);
    LL_VEC_FREE(&c->settings);
    for (size_t i = 0; i < c->configs.len; i++) {
        ll_config_release(c->configs.items[i]);
        free(c->configs.items[i]);
    }
    LL_VEC_FREE(&c->configs);
    for (size_t i = 0; i < c->keys.len; i++)
        free(c->keys.items[i]);
    LL_VEC_FREE(&c->keys);
    ll_strmap_release(&c->dirs);
    free(c->cwd);
    free(c);
}

const char *ll_config_cache_cwd(const LLConfigCache *c)
{
    return c->cwd;
}

size_t ll_config_cache_count(const LLConfigCache *c)
{
    return c->settings.len;
}

const LLSettings *ll_config_cache_get(const LLConfigCache *c, size_t id)
{
    return id < c->settings.len ? c->settings.items[id] : NULL;
}

static void remember(LLConfigCache *c, char *dir, LLSettings *s)
{
    LL_VEC_PUSH(&c->keys, dir);
    ll_strmap_put(&c->dirs, dir, strlen(dir), (intptr_t)s);
}

/* Looks for a configuration file in `dir`; *out NULL when there is none. */
static LLStatus try_dir(LLConfigCache *c, const char *dir, LLSettings **out, LLError *err)
{
    static const char *const names[] = {".loadlint.toml", "loadlint.toml", "pyproject.toml"};
    *out = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *path = ll_path_join(dir, names[i]);
        struct stat sb;
        LLStatus st = LL_OK;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            char *display = display_name(c, path);
            st = load_settings(c, path, display, false, out, err);
            free(display);
        }
        free(path);
        if (st != LL_OK || *out)
            return st;
    }
    return LL_OK;
}

LLStatus ll_config_for_dir(LLConfigCache *c, const char *absdir, const LLSettings **out, LLError *err)
{
    if (c->fixed) {
        *out = c->fixed;
        return LL_OK;
    }
    LL_VEC(char *) chain = {0}; /* directories without a configuration file */
    char *cur = ll_xstrdup(absdir);
    LLSettings *result = NULL;
    LLStatus st = LL_OK;
    for (;;) {
        intptr_t v;
        if (ll_strmap_get(&c->dirs, cur, strlen(cur), &v)) {
            result = (LLSettings *)v;
            free(cur);
            break;
        }
        st = try_dir(c, cur, &result, err);
        if (st != LL_OK) {
            free(cur);
            break;
        }
        if (result) {
            remember(c, cur, result);
            break;
        }
        LL_VEC_PUSH(&chain, cur);
        if (strcmp(cur, "/") == 0) {
            result = defaults(c);
            break;
        }
        cur = ll_path_dirname(cur);
    }
    for (size_t i = 0; i < chain.len; i++) {
        if (st == LL_OK)
            remember(c, chain.items[i], result);
        else
            free(chain.items[i]);
    }
    LL_VEC_FREE(&chain);
    *out = result;
    return st;
}
