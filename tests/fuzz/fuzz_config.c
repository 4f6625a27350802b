/* fuzz_config.c - bytes -> configuration file (src/config/config.h).
 *
 * The input is parsed as a loadlint.toml and as a pyproject.toml
 * (ll_config_parse); when accepted, every glob it holds is matched against a
 * few paths. It is then written as <tmp>/proj/loadlint.toml and loaded the
 * way a scan finds it (ll_config_cache_new + ll_config_for_dir on a
 * directory below), and the effective settings are queried and printed. A
 * rejected file must come with an error message; printed settings must be
 * strict UTF-8 without control characters TOML wants escaped, and must
 * read back as TOML (ll_toml_parse). Seeds: the hand-made files in
 * tests/fuzz/seeds/config. */
#include "fuzz_common.h"

#include "base/buf.h"
#include "config/config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[256];  /* <tmp>/loadlint-fuzz-config-XXXXXX */
static char g_proj[300]; /* g_dir/proj: holds loadlint.toml */
static char g_sub[320];  /* g_proj/sub: the scanned directory */
static char g_file[320]; /* g_proj/loadlint.toml */

static void cleanup(void)
{
    unlink(g_file);
    rmdir(g_sub);
    rmdir(g_proj);
    rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct stat sb;
    const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(g_dir, sizeof g_dir, "%s/loadlint-fuzz-config-XXXXXX", base);
    if (!mkdtemp(g_dir))
        abort();
    snprintf(g_proj, sizeof g_proj, "%s/proj", g_dir);
    snprintf(g_sub, sizeof g_sub, "%s/sub", g_proj);
    snprintf(g_file, sizeof g_file, "%s/loadlint.toml", g_proj);
    if (mkdir(g_proj, 0700) != 0 || mkdir(g_sub, 0700) != 0)
        abort();
    atexit(cleanup);
    return 0;
}

static const char *const g_paths[] = {
    "/fuzz/proj/a.py", "/fuzz/proj/sub/dir/b.pyi", "/fuzz/proj", "/fuzz/other/c.py", "/",
    "/fuzz/proj/tests/test_x.py", "/fuzz/proj/.venv/lib/d.py",
};
static const char *const g_codes[] = {"LL101", "LL201", "LL5", "LL999", "ALL", "", "X"};

static void match_globs(const LLGlobList *l)
{
    for (size_t i = 0; i < l->len; i++)
        for (size_t k = 0; k < sizeof g_paths / sizeof *g_paths; k++)
            (void)ll_settings_glob_matches(&l->items[i], g_paths[k]);
}

static void try_parse(LLConfigKind kind, const char *text, size_t len)
{
    LLConfig cfg;
    LLError err;
    memset(&err, 0, sizeof err);
    bool found = false;
    LLStatus st = ll_config_parse(&cfg, kind,
                                  kind == LL_CONFIG_PYPROJECT ? "proj/pyproject.toml"
                                                              : "proj/loadlint.toml",
                                  "/fuzz/proj", text, len, &found, &err);
    if (st != LL_OK) {
        LL_FUZZ_CHECK(err.msg[0] != '\0', "a rejected configuration without an error message");
        return;
    }
    match_globs(&cfg.exclude);
    match_globs(&cfg.extend_exclude);
    for (size_t i = 0; i < cfg.per_file_ignores.len; i++)
        for (size_t k = 0; k < sizeof g_paths / sizeof *g_paths; k++)
            (void)ll_settings_glob_matches(&cfg.per_file_ignores.items[i].glob, g_paths[k]);
    ll_config_release(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *text = ll_fuzz_text(data, size);
    try_parse(LL_CONFIG_LOADLINT, text, size);
    try_parse(LL_CONFIG_PYPROJECT, text, size);

    /* as discovered during a scan */
    ll_fuzz_write_file(g_file, data, size);
    LLOverrides ov;
    ll_settings_overrides_init(&ov);
    LLConfigCache *cache = NULL;
    LLError err;
    memset(&err, 0, sizeof err);
    if (ll_config_cache_new(&cache, &ov, &err) == LL_OK) {
        const LLSettings *s = NULL;
        LLStatus st = ll_config_for_dir(cache, g_sub, &s, &err);
        if (st == LL_OK) {
            LL_FUZZ_CHECK(s != NULL, "no settings for a directory");
            char abs[400];
            for (size_t k = 0; k < sizeof g_codes / sizeof *g_codes; k++) {
                (void)ll_settings_selects(s, g_codes[k]);
                snprintf(abs, sizeof abs, "%s/x/%s.py", g_sub, g_codes[k]);
                (void)ll_settings_enables(s, g_codes[k], abs);
                (void)ll_settings_excluded(s, abs);
                (void)ll_settings_test_path(s, abs);
                (void)ll_settings_assumed_version(s, g_codes[k]);
            }
            LLBuf out;
            ll_buf_init(&out);
            ll_settings_print(s, &out);
            size_t bad = ll_fuzz_utf8_invalid_at((const unsigned char *)out.data, out.len);
            LL_FUZZ_CHECK(bad == out.len, "printed settings are not UTF-8 at byte %zu", bad);
            for (size_t i = 0; i < out.len; i++) {
                unsigned char c = (unsigned char)out.data[i];
                LL_FUZZ_CHECK((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t',
                              "printed settings hold byte 0x%02x at %zu (TOML needs it escaped)",
                              c, i);
            }
            LLTomlDoc *printed = NULL;
            LLError perr;
            LLStatus pst = ll_toml_parse(&printed, "printed", out.data, out.len, NULL, &perr);
            LL_FUZZ_CHECK(pst == LL_OK, "printed settings do not read back as TOML: %s:%u:%u: %s\n%s",
                          perr.file, perr.line, perr.col, perr.msg, out.data);
            ll_toml_free(printed);
            ll_buf_release(&out);
        } else {
            LL_FUZZ_CHECK(err.msg[0] != '\0', "a rejected configuration without an error message");
        }
        ll_config_cache_free(cache);
    }
    ll_settings_overrides_release(&ov);
    free(text);
    return 0;
}
