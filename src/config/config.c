#include "config/config.h"

#include "base/limits.h"
#include "base/mem.h"
#include "config/toml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * Reading a configuration file
 * ------------------------------------------------------------------------ */

LLStatus ll_config_parse(LLConfig *cfg, LLConfigKind kind, const char *path,
                         const char *dir, const char *text, size_t len,
                         bool *found, LLError *err)
{
    memset(cfg, 0, sizeof *cfg);
    ll_settings_config_init(cfg);
    cfg->path = ll_xstrdup(path);
    cfg->dir = ll_xstrdup(dir);
    *found = false;
    if (len > LL_MAX_CONFIG_FILE_BYTES) {
        ll_config_release(cfg);
        return ll_error_set(err, LL_ERR_LIMIT, path, 0, 0,
                            "configuration file is larger than %u bytes", LL_MAX_CONFIG_FILE_BYTES);
    }
    LLTomlDoc *doc;
    LLTomlOptions opt = {LL_MAX_CONFIG_FILE_BYTES, LL_ERR_CONFIG};
    LLStatus st = ll_toml_parse(&doc, path, text, len, &opt, err);
    if (st != LL_OK) {
        ll_config_release(cfg);
        return st;
    }
    const LLTomlValue *table = ll_toml_root(doc);
    const char *where = "";
    if (kind == LL_CONFIG_PYPROJECT) {
        table = ll_toml_get(doc, "tool.loadlint");
        where = " in [tool.loadlint]";
        if (table && ll_toml_is_table_array(table))
            st = ll_toml_error(doc, table, false, err,
                               "[[...]] (an array of tables) is not allowed here; use [tool.loadlint]");
        else if (table && ll_toml_type(table) != LL_TOML_TABLE)
            st = ll_toml_error(doc, table, false, err, "[tool.loadlint] must be a table, not %s",
                               ll_toml_describe(table));
    }
    if (st == LL_OK && table)
        st = ll_settings_read(cfg, doc, table, where, err);
    ll_toml_free(doc);
    if (st != LL_OK) {
        ll_config_release(cfg);
        return st;
    }
    *found = kind == LL_CONFIG_LOADLINT || table != NULL;
    return LL_OK;
}

static LLStatus read_file(const char *path, const char *display, LLBuf *out, LLError *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return ll_error_set(err, LL_ERR_IO, display, 0, 0, "cannot read the configuration file: %s",
                            strerror(errno));
    struct stat sb;
    LLStatus st = LL_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = ll_error_set(err, LL_ERR_IO, display, 0, 0, "not a regular file");
    } else if ((uint64_t)sb.st_size > LL_MAX_CONFIG_FILE_BYTES) {
        st = ll_error_set(err, LL_ERR_LIMIT, display, 0, 0,
                          "configuration file is larger than %u bytes", LL_MAX_CONFIG_FILE_BYTES);
    } else {
        char chunk[8192];
        for (;;) {
            ssize_t n = read(fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                st = ll_error_set(err, LL_ERR_IO, display, 0, 0,
                                  "cannot read the configuration file: %s", strerror(errno));
                break;
            }
            if (n == 0)
                break;
            ll_buf_append(out, chunk, (size_t)n);
            if (out->len > LL_MAX_CONFIG_FILE_BYTES) {
                st = ll_error_set(err, LL_ERR_LIMIT, display, 0, 0,
                                  "configuration file is larger than %u bytes", LL_MAX_CONFIG_FILE_BYTES);
                break;
            }
        }
    }
    close(fd);
    return st;
}

LLStatus ll_config_load(LLConfig *cfg, const char *path, const char *display,
                        const char *dir, bool *found, LLError *err)
{
    memset(cfg, 0, sizeof *cfg);
    *found = false;
    LLBuf text;
    ll_buf_init(&text);
    LLStatus st = read_file(path, display, &text, err);
    if (st == LL_OK) {
        LLConfigKind kind = strcmp(ll_path_basename(path), "pyproject.toml") == 0 ? LL_CONFIG_PYPROJECT
                                                                                 : LL_CONFIG_LOADLINT;
        st = ll_config_parse(cfg, kind, display, dir, text.data, text.len, found, err);
    }
    ll_buf_release(&text);
    return st;
}

void ll_config_release(LLConfig *cfg)
{
    ll_settings_config_release(cfg);
}
