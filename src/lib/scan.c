/* scan.c - the library's one entry point: paths and options in, a sorted,
 * filtered, baseline-applied result out (loadlint.h).
 *
 * Order of work: configuration cache -> files (discover.h) -> rules for the
 * configurations those files use, each configuration's rule directories
 * scoped to it (ruleset.h, scope.h) -> the rule codes of the command line
 * and of those configurations checked (unknown ones stop the run) and
 * peers' codes mapped -> analysis (run.h) -> what the files' settings do
 * not want (rules that do not apply, min-severity) -> the baseline ->
 * counts (each finding against its own file's fail-on). With --fix or
 * --diff, then: the fixes that apply, per file, checked and applied (see
 * "fixes" below), and for --fix the scan again, whose result is reported. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "loadlint.h"

#include "base/limits.h"
#include "base/mem.h"
#include "base/path.h"
#include "base/text.h"
#include "config/toml.h"
#include "deps/judge.h"
#include "engine/discover.h"
#include "engine/fix.h"
#include "engine/frontend.h"
#include "engine/run.h"
#include "engine/scope.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "lib/scan_cache.h"
#include "rcache/rcache.h"
#include "report/baseline.h"
#include "report/report.h"
#include "rules/ruleset.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct LLScan {
    LLScanOptions opts;
    LLConfigCache *configs;
    LLOverrides no_overrides; /* when opts.cfg is NULL */
    LLRuleset *rules;
    LLRuleScope *scope;
    bool *used;               /* per settings id: some file uses it */
    LLFileList files;
    LLRunResult run;
    bool ran;
    LLBuf stdin_buf;
    bool stdin_used;
    LLMessages notes;
    size_t baselined;
    /* ll_scan_prepare: the first path and its settings */
    const char *first_path;
    const LLSettings *first;
    char *first_abs;
    bool first_is_file;
    /* fixes (LLFixMode) */
    LLBuf fix_out;            /* the diff, or the fixed standard input */
    bool have_fix_out;
    size_t fixed, fixed_files;
};

const char *ll_version(void)
{
    return LL_VERSION;
}

void ll_scan_options_init(LLScanOptions *o)
{
    memset(o, 0, sizeof *o);
    o->max_file_bytes = LL_DEFAULT_MAX_FILE_BYTES;
    o->parse_timeout_us = LL_DEFAULT_PARSE_TIMEOUT_US;
    o->max_findings_per_file = LL_DEFAULT_MAX_FINDINGS_PER_FILE;
    o->stdin_fd = STDIN_FILENO;
}

void ll_scan_free(LLScan *s)
{
    if (!s)
        return;
    if (s->ran)
        ll_run_result_release(&s->run);
    ll_file_list_release(&s->files);
    ll_rule_scope_free(s->scope);
    ll_ruleset_free(s->rules);
    free(s->used);
    ll_config_cache_free(s->configs);
    ll_settings_overrides_release(&s->no_overrides);
    ll_buf_release(&s->stdin_buf);
    ll_buf_release(&s->fix_out);
    for (size_t i = 0; i < s->notes.len; i++)
        free(s->notes.items[i]);
    LL_VEC_FREE(&s->notes);
    free(s->first_abs);
    free(s);
}

static void note(LLScan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(LLScan *s, const char *fmt, ...)
{
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    LL_VEC_PUSH(&s->notes, ll_buf_detach(&b));
}

static LLScan *scan_new(const LLScanOptions *o)
{
    LLScan *s = ll_xcalloc(1, sizeof *s);
    s->opts = *o;
    ll_settings_overrides_init(&s->no_overrides);
    ll_buf_init(&s->stdin_buf);
    ll_buf_init(&s->fix_out);
    return s;
}

/* The paths to scan ("." when none); checks "-" is given at most once. */
static LLStatus scan_paths(const LLScan *s, const char *const **paths, size_t *n,
                           bool *stdin_used, LLError *err)
{
    static const char *const dot[] = {"."};
    *paths = s->opts.npaths ? s->opts.paths : dot;
    *n = s->opts.npaths ? s->opts.npaths : 1;
    *stdin_used = false;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*paths)[i], "-") != 0)
            continue;
        if (*stdin_used)
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "'-' (standard input) given twice");
        *stdin_used = true;
    }
    if (s->opts.stdin_name && !*stdin_used)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--stdin-filename needs '-' among the paths");
    return LL_OK;
}

/* The settings for one path ("-": the stdin name's); *abs is its absolute
 * path (NULL for nameless stdin). */
static LLStatus settings_for_path(LLScan *s, const char *path, const LLSettings **out,
                                  char **abs, bool *is_file, LLError *err)
{
    const char *cwd = ll_config_cache_cwd(s->configs);
    char *dir;
    if (strcmp(path, "-") == 0) {
        *abs = s->opts.stdin_name ? ll_path_abs(cwd, s->opts.stdin_name) : NULL;
        dir = *abs ? ll_path_dirname(*abs) : ll_xstrdup(cwd);
        *is_file = true;
    } else {
        *abs = ll_path_abs(cwd, path);
        struct stat sb;
        bool is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
        dir = is_dir ? ll_xstrdup(*abs) : ll_path_dirname(*abs);
        *is_file = !is_dir;
    }
    LLStatus st = ll_config_for_dir(s->configs, dir, out, err);
    free(dir);
    return st;
}

/* ---- rule codes: known, a peer's, or an error ------------------------------ */

/* Codes longer than this get no "did you mean" (edit distances are
 * computed in rows of this many cells). */
#define LL_CODE_SUGGEST_MAX 64

/* The peer ids of rule r (its "tool: A, B" lines) equal to `code`. */
static bool rule_has_peer(const LLRule *r, const char *code)
{
    size_t n = strlen(code);
    for (size_t i = 0; i < r->peers.len; i++) {
        const char *p = strchr(r->peers.items[i], ':');
        while (p && *p) {
            p += strspn(p, ":, ");
            size_t len = strcspn(p, ",");
            if (len == n && memcmp(p, code, n) == 0)
                return true;
            p += len;
        }
    }
    return false;
}

/* Whether `code` names known rules: "ALL", or a prefix of the code of a
 * rule with known[r] set. */
static bool code_known(const LLRuleset *rs, const uint8_t *known, const char *code)
{
    if (strcmp(code, "ALL") == 0)
        return true;
    size_t n = strlen(code);
    for (size_t r = 0; r < rs->nrules; r++)
        if (known[r] && strncmp(rs->rules[r].code, code, n) == 0)
            return true;
    return false;
}

/* Appends to `mapped` the codes of the known rules that list `code` among
 * their peers (Bandit's B301, Ruff's S301); false when none does. */
static bool code_peers(const LLRuleset *rs, const uint8_t *known, const char *code,
                       LLStrList *mapped)
{
    bool any = false;
    for (size_t r = 0; r < rs->nrules; r++) {
        if (!known[r] || !rule_has_peer(&rs->rules[r], code))
            continue;
        any = true;
        if (mapped && !ll_strlist_has(mapped, rs->rules[r].code))
            ll_strlist_push(mapped, rs->rules[r].code);
    }
    return any;
}

static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Edit distance between a and b[0..lb), case-insensitive; lb at most
 * LL_CODE_SUGGEST_MAX. */
static size_t edit_distance(const char *a, const char *b, size_t lb)
{
    size_t la = strlen(a);
    size_t row[LL_CODE_SUGGEST_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (ascii_upper(a[i - 1]) != ascii_upper(b[j - 1]));
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct Suggestion {
    const char *text; /* borrowed from the ruleset; NULL: none yet */
    size_t len;
    size_t distance;
} Suggestion;

/* Keeps cand[0..len) when it is closer to `code` than the best so far. */
static void suggest_try(const char *code, const char *cand, size_t len, Suggestion *best)
{
    if (!len || len > LL_CODE_SUGGEST_MAX)
        return;
    size_t d = edit_distance(code, cand, len);
    if (d < best->distance)
        *best = (Suggestion){cand, len, d};
}

/* " (did you mean LL401?)" for the closest known code or peer id (at most
 * two edits away, and closer than the code's length), or a pointer to
 * --list-rules when nothing is close. */
static void suggest_code(const LLRuleset *rs, const uint8_t *known, const char *code, LLBuf *out)
{
    size_t n = strlen(code);
    if (n <= LL_CODE_SUGGEST_MAX) {
        /* the same in capitals: a code, a prefix or a peer's code */
        char upper[LL_CODE_SUGGEST_MAX + 1];
        for (size_t i = 0; i <= n; i++)
            upper[i] = ascii_upper(code[i]);
        if (strcmp(upper, code) != 0 &&
            (code_known(rs, known, upper) || code_peers(rs, known, upper, NULL))) {
            ll_buf_printf(out, " (did you mean %s?)", upper);
            return;
        }
    }
    Suggestion best = {NULL, 0, 3};
    for (size_t r = 0; n <= LL_CODE_SUGGEST_MAX && r < rs->nrules; r++) {
        if (!known[r])
            continue;
        const LLRule *rule = &rs->rules[r];
        suggest_try(code, rule->code, strlen(rule->code), &best);
        for (size_t i = 0; i < rule->peers.len; i++) {
            const char *p = strchr(rule->peers.items[i], ':');
            while (p && *p) {
                p += strspn(p, ":, ");
                size_t len = strcspn(p, ",");
                suggest_try(code, p, len, &best);
                p += len;
            }
        }
    }
    if (best.text && best.distance < n)
        ll_buf_printf(out, " (did you mean %.*s?)", (int)best.len, best.text);
    else
        ll_buf_puts(out, " (loadlint --list-rules lists the codes)");
}

/* The settings keys that hold rule codes: their names, command-line flags
 * and places (per-file-ignores is apart: its codes are per glob). */
typedef struct CodeKey {
    const char *key, *flag;
    size_t set;    /* LLStrList in LLSettings */
    size_t ov;     /* LLStrList in LLOverrides */
    size_t ov_has; /* bool in LLOverrides (a REPLACE key), or SIZE_MAX */
} CodeKey;

static const CodeKey code_keys[] = {
    {"select", "--select", offsetof(LLSettings, select), offsetof(LLOverrides, select),
     offsetof(LLOverrides, has_select)},
    {"ignore", "--ignore", offsetof(LLSettings, ignore), offsetof(LLOverrides, ignore),
     offsetof(LLOverrides, has_ignore)},
    {"extend-select", "--extend-select", offsetof(LLSettings, extend_select),
     offsetof(LLOverrides, extend_select), SIZE_MAX},
    {"extend-ignore", "--extend-ignore", offsetof(LLSettings, extend_ignore),
     offsetof(LLOverrides, extend_ignore), SIZE_MAX},
};
#define NCODE_KEYS (sizeof code_keys / sizeof *code_keys)

static LLStrList *set_list(LLSettings *set, const CodeKey *k)
{
    return (LLStrList *)(void *)((char *)set + k->set);
}

static const LLStrList *ov_list(const LLOverrides *ov, const CodeKey *k)
{
    return (const LLStrList *)(const void *)((const char *)ov + k->ov);
}

static bool ov_replaces(const LLOverrides *ov, const CodeKey *k)
{
    return k->ov_has != SIZE_MAX && *(const bool *)(const void *)((const char *)ov + k->ov_has);
}

/* A command-line code that names no rule. */
static LLStatus cli_code_error(const LLRuleset *rs, const uint8_t *known, const char *flag,
                               const char *code, LLError *err)
{
    LLBuf hint;
    ll_buf_init(&hint);
    suggest_code(rs, known, code, &hint);
    LLStatus st = ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                               "%s: '%s' is not the code or prefix of any rule%s", flag, code,
                               hint.data);
    ll_buf_release(&hint);
    return st;
}

/* Reads a configuration file again (for the position of an error). */
static bool read_config_text(const char *path, LLBuf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat sb;
    bool ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
              (uint64_t)sb.st_size <= LL_MAX_CONFIG_FILE_BYTES;
    char chunk[8192];
    while (ok) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        ll_buf_append(out, chunk, (size_t)n);
        ok = out->len <= LL_MAX_CONFIG_FILE_BYTES;
    }
    close(fd);
    return ok;
}

/* The string `code` in the array `v`, or NULL. */
static const LLTomlValue *toml_find_code(const LLTomlValue *v, const char *code)
{
    for (size_t i = 0; v && ll_toml_type(v) == LL_TOML_ARRAY && i < ll_toml_len(v); i++) {
        const LLTomlValue *item = ll_toml_at(v, i);
        size_t len;
        const char *str = ll_toml_type(item) == LL_TOML_STRING ? ll_toml_str(item, &len) : NULL;
        if (str && len == strlen(code) && memcmp(str, code, len) == 0)
            return item;
    }
    return NULL;
}

/* A configuration file's code that names no rule its configuration loads:
 * an error at the code's line and column (the file is read again to find
 * it), or naming the file and key when it cannot be found. */
static LLStatus config_code_error(const LLRuleset *rs, const uint8_t *known, const LLSettings *set,
                                  const char *key, const char *code, LLError *err)
{
    LLBuf hint, text;
    ll_buf_init(&hint);
    ll_buf_init(&text);
    suggest_code(rs, known, code, &hint);
    const char *name = set->config_path ? set->config_path : "configuration";
    bool pyproject = strcmp(ll_path_basename(name), "pyproject.toml") == 0;
    char *path = ll_path_join(set->root, ll_path_basename(name));
    LLTomlDoc *doc = NULL;
    LLTomlOptions topt = {LL_MAX_CONFIG_FILE_BYTES, LL_ERR_CONFIG};
    LLError ignored;
    const LLTomlValue *at = NULL;
    if (read_config_text(path, &text) &&
        ll_toml_parse(&doc, name, text.data ? text.data : "", text.len, &topt, &ignored) == LL_OK) {
        const LLTomlValue *table = pyproject ? ll_toml_get(doc, "tool.loadlint") : ll_toml_root(doc);
        const LLTomlValue *v = ll_toml_find(table, key, strlen(key));
        if (v && ll_toml_type(v) == LL_TOML_TABLE) /* per-file-ignores: glob -> codes */
            for (size_t i = 0; !at && i < ll_toml_len(v); i++)
                at = toml_find_code(ll_toml_at(v, i), code);
        else
            at = toml_find_code(v, code);
    }
    LLStatus st;
    if (at)
        st = ll_toml_error(doc, at, false, err, "\"%s\": \"%s\" is not the code or prefix of any rule%s",
                           key, code, hint.data);
    else
        st = ll_error_set(err, LL_ERR_CONFIG, name, 0, 0,
                          "\"%s\": \"%s\" is not the code or prefix of any rule%s", key, code,
                          hint.data);
    ll_toml_free(doc);
    free(path);
    ll_buf_release(&text);
    ll_buf_release(&hint);
    return st;
}

/* Checks one list of a configuration's settings and maps peers' codes:
 * each code must name rules of `mine` (or, when it came from the command
 * line, of `any`) or be a peer's code, whose rules' codes are then added to
 * the list. */
static LLStatus check_list(const LLRuleset *rs, const uint8_t *any, const uint8_t *mine,
                           const LLSettings *set, const char *key, LLStrList *l,
                           const LLStrList *cli, bool all_cli, LLError *err)
{
    size_t n0 = l->len;
    for (size_t i = 0; i < n0; i++) {
        const char *code = l->items[i];
        bool from_cli = all_cli || (cli && ll_strlist_has(cli, code));
        const uint8_t *known = from_cli ? any : mine;
        if (code_known(rs, known, code) || code_peers(rs, known, code, l))
            continue;
        if (from_cli) /* checked before: known to another configuration */
            continue;
        return config_code_error(rs, mine, set, key, code, err);
    }
    return LL_OK;
}

/* Unknown rule codes and prefixes are errors, on the command line (against
 * the rules any used configuration loads) and in each used configuration
 * (against the rules it loads: built-in, --rules, its own directories); a
 * peer's code (S301, B301) is accepted and stands for the rules listing it.
 * `all` tells which rules each configuration loads. Runs before the rules
 * are enabled and the scope is built, while the settings are still this
 * scan's alone. */
static LLStatus check_codes(LLScan *s, const LLRuleScope *all, LLError *err)
{
    const LLRuleset *rs = s->rules;
    size_t nr = rs->nrules, ns = ll_config_cache_count(s->configs);
    uint8_t *any = ll_xcalloc(nr + 1, 1), *mine = ll_xcalloc(nr + 1, 1);
    for (size_t id = 0; id < ns; id++) {
        if (!s->used[id])
            continue;
        LLFileEntry probe = {.settings = ll_config_cache_get(s->configs, id)};
        for (size_t r = 0; r < nr; r++)
            any[r] |= ll_rule_scope_known(all, (uint32_t)r, &probe);
    }
    LLStatus st = LL_OK;
    const LLOverrides *ov = s->opts.cfg;
    for (size_t k = 0; ov && st == LL_OK && k < NCODE_KEYS; k++) {
        const LLStrList *l = ov_list(ov, &code_keys[k]);
        for (size_t i = 0; st == LL_OK && i < l->len; i++)
            if (!code_known(rs, any, l->items[i]) && !code_peers(rs, any, l->items[i], NULL))
                st = cli_code_error(rs, any, code_keys[k].flag, l->items[i], err);
    }
    for (size_t p = 0; ov && st == LL_OK && p < ov->per_file_ignores.len; p++) {
        const LLStrList *l = &ov->per_file_ignores.items[p].codes;
        for (size_t i = 0; st == LL_OK && i < l->len; i++)
            if (!code_known(rs, any, l->items[i]) && !code_peers(rs, any, l->items[i], NULL))
                st = cli_code_error(rs, any, "--per-file-ignores", l->items[i], err);
    }
    for (size_t id = 0; st == LL_OK && id < ns; id++) {
        if (!s->used[id])
            continue;
        /* The settings belong to the cache, which belongs to this scan and
         * shares them with nobody yet: mapping peers' codes into their
         * lists is the last change they see. */
        LLSettings *set = (LLSettings *)ll_config_cache_get(s->configs, id);
        LLFileEntry probe = {.settings = set};
        for (size_t r = 0; r < nr; r++)
            mine[r] = ll_rule_scope_known(all, (uint32_t)r, &probe);
        for (size_t k = 0; st == LL_OK && k < NCODE_KEYS; k++) {
            const CodeKey *ck = &code_keys[k];
            st = check_list(rs, any, mine, set, ck->key, set_list(set, ck), ov ? ov_list(ov, ck) : NULL,
                            ov && ov_replaces(ov, ck), err);
        }
        for (size_t p = 0; st == LL_OK && p < set->per_file_ignores.len; p++)
            st = check_list(rs, any, mine, set, "per-file-ignores", &set->per_file_ignores.items[p].codes,
                            NULL, ov && ov->has_per_file_ignores, err);
    }
    free(any);
    free(mine);
    return st;
}

/* Loads the built-in rules, --rules, and the rule directories of the used
 * configurations (each scoped to its configuration); enables a rule when
 * some used configuration that can see it selects it; finishes the ruleset
 * and builds the rule scope. */
static LLStatus load_rules(LLScan *s, LLError *err)
{
    LLRuleset *rs = s->rules = ll_ruleset_new();
    LLStatus st = s->opts.no_builtin_rules ? ll_ruleset_add_builtin_sources(rs, err)
                                           : ll_ruleset_add_builtin(rs, err);
    LL_VEC(char *) global = {0};
    for (size_t i = 0; st == LL_OK && i < s->opts.nrule_dirs; i++) {
        st = ll_ruleset_add_dir(rs, s->opts.rule_dirs[i], err);
        char *real = realpath(s->opts.rule_dirs[i], NULL);
        if (real)
            LL_VEC_PUSH(&global, real);
    }
    size_t ns = ll_config_cache_count(s->configs);
    for (size_t id = 0; st == LL_OK && id < ns; id++) {
        const LLSettings *set = ll_config_cache_get(s->configs, id);
        for (size_t j = 0; s->used[id] && st == LL_OK && j < set->rule_dirs.len; j++) {
            const char *dir = set->rule_dirs.items[j];
            char *real = realpath(dir, NULL);
            if (!real) {
                st = ll_error_set(err, LL_ERR_CONFIG, set->config_path, 0, 0,
                                  "rules directory %s: %s", dir, strerror(errno));
                break;
            }
            bool is_global = false;
            for (size_t g = 0; g < global.len; g++)
                is_global |= strcmp(global.items[g], real) == 0;
            free(real);
            int scope;
            if (!is_global)
                st = ll_ruleset_add_dir_scoped(rs, dir, &scope, err);
        }
    }
    for (size_t g = 0; g < global.len; g++)
        free(global.items[g]);
    LL_VEC_FREE(&global);
    if (st != LL_OK)
        return st;
    /* enabled: some used configuration that sees the rule selects it (the
     * dispatch tables ll_ruleset_finish builds hold enabled rules only) */
    LLRuleScope *all = ll_rule_scope_new(rs, s->configs, s->used);
    if ((st = check_codes(s, all, err)) != LL_OK) {
        ll_rule_scope_free(all);
        return st;
    }
    for (size_t r = 0; r < rs->nrules; r++) {
        bool on = false;
        for (size_t id = 0; id < ns && !on; id++) {
            if (!s->used[id])
                continue;
            const LLSettings *set = ll_config_cache_get(s->configs, id);
            LLFileEntry probe = {.settings = set};
            on = ll_rule_scope_known(all, (uint32_t)r, &probe) &&
                 ll_settings_selects(set, rs->rules[r].code);
        }
        rs->rules[r].enabled = on;
    }
    ll_rule_scope_free(all);
    ll_ruleset_finish(rs);
    s->scope = ll_rule_scope_new(rs, s->configs, s->used);
    return LL_OK;
}

static LLStatus open_configs(LLScan *s, LLError *err)
{
    const LLOverrides *ov = s->opts.cfg ? s->opts.cfg : &s->no_overrides;
    return ll_config_cache_new(&s->configs, ov, err);
}

LLStatus ll_scan_prepare(const LLScanOptions *o, LLScan **out, LLError *err)
{
    *out = NULL;
    LLScan *s = scan_new(o);
    const char *const *paths;
    size_t npaths;
    bool stdin_used;
    LLStatus st = scan_paths(s, &paths, &npaths, &stdin_used, err);
    if (st == LL_OK)
        st = open_configs(s, err);
    if (st == LL_OK) {
        s->first_path = paths[0];
        st = settings_for_path(s, paths[0], &s->first, &s->first_abs, &s->first_is_file, err);
    }
    if (st == LL_OK) {
        s->used = ll_xcalloc(ll_config_cache_count(s->configs) + 1, sizeof *s->used);
        s->used[s->first->id] = true;
        st = load_rules(s, err);
    }
    if (st != LL_OK) {
        ll_scan_free(s);
        return st;
    }
    *out = s;
    return LL_OK;
}

/* Drops the findings whose rule does not apply to their file (scope.h: the
 * same question the analysis asked) and those below the file's
 * min-severity. */
static void filter_findings(LLScan *s)
{
    LLRunResult *run = &s->run;
    size_t kept = 0;
    for (size_t i = 0; i < run->findings.len; i++) {
        LLFinding *f = &run->findings.items[i];
        const LLFileEntry *fe = f->file < s->files.files.len ? &s->files.files.items[f->file] : NULL;
        bool keep = !fe || (ll_rule_scope_applies(s->scope, f->rule, fe) &&
                            (!fe->settings || f->severity >= fe->settings->min_severity));
        if (keep)
            run->findings.items[kept++] = *f;
        else
            ll_finding_release(f);
    }
    run->findings.len = kept;
}

/* Findings the baseline knows are not reported. */
static void apply_baseline(LLScan *s, const LLBaseline *b)
{
    LLRunResult *run = &s->run;
    LLReport rep = {s->rules, &s->files, run, false, NULL, false, false};
    bool *known = ll_xcalloc(run->findings.len + 1, sizeof *known);
    ll_baseline_filter(b, &rep, known);
    size_t keep = 0;
    for (size_t i = 0; i < run->findings.len; i++) {
        if (known[i]) {
            ll_finding_release(&run->findings.items[i]);
            s->baselined++;
        } else {
            run->findings.items[keep++] = run->findings.items[i];
        }
    }
    run->findings.len = keep;
    free(known);
}

/* `artifacts = false` (or --no-artifacts) in a file's settings: files found
 * walking that are neither Python nor dependency files are dropped, and a file named on the command
 * line is read as Python only. */
static void apply_artifacts_setting(LLScan *s)
{
    LLFileList *l = &s->files;
    size_t kept = 0;
    for (size_t i = 0; i < l->files.len; i++) {
        LLFileEntry *fe = &l->files.items[i];
        bool off = s->opts.no_artifacts || (fe->settings && !fe->settings->artifacts);
        if (off && fe->kind == LL_ENTRY_OTHER &&
            !ll_deps_judge_is_dependency_name(ll_path_basename(fe->path))) {
            free(fe->path); /* the entry's one block */
            continue;
        }
        if (off && fe->kind == LL_ENTRY_NAMED)
            fe->kind = LL_ENTRY_PYTHON;
        l->files.items[kept++] = *fe;
    }
    l->files.len = kept;
}

/* Whether every file was named on the command line (or is standard
 * input): no path is a directory, the only thing that is walked. Then
 * every file is parsed, so that each gets its diagnostics (a syntax error,
 * bytes that are not text) even when it holds nothing a rule looks for.
 * The findings are the same either way. */
static bool all_named(const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return false;
    }
    return true;
}

/* Per entry of the file list: 1 for a file named among `paths` (not
 * found by walking a directory); NULL when none is. */
static uint8_t *named_files(const char *const *paths, size_t n, const LLFileList *files)
{
    LLStrMap abs; /* keys borrowed from `reals` */
    ll_strmap_init(&abs);
    LLStrList reals = {0};
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &sb) != 0 || S_ISDIR(sb.st_mode))
            continue;
        char *real = realpath(paths[i], NULL);
        if (real) {
            ll_strlist_push(&reals, real);
            free(real);
            const char *kept = reals.items[reals.len - 1];
            ll_strmap_put(&abs, kept, strlen(kept), 1);
        }
    }
    uint8_t *mask = NULL;
    for (size_t i = 0; abs.count && i < files->files.len; i++) {
        const char *a = files->files.items[i].abs;
        char *real = a ? realpath(a, NULL) : NULL;
        if (real && ll_strmap_get(&abs, real, strlen(real), NULL)) {
            if (!mask)
                mask = ll_xcalloc(files->files.len, 1);
            mask[i] = 1;
        }
        free(real);
    }
    ll_strmap_release(&abs);
    ll_strlist_free(&reals);
    return mask;
}

static void run_diag(LLScan *s, LLDiagKind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void run_diag(LLScan *s, LLDiagKind kind, const char *fmt, ...)
{
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    LLDiag d = {UINT32_MAX, kind, 0, 0, ll_buf_detach(&b)};
    LL_VEC_PUSH(&s->run.diags, d);
}

/* One scan of the options' paths (no fixing); standard input's bytes are
 * `stdin_text` when not NULL (a fixed text scanned again), else read from
 * o->stdin_fd. */
static LLStatus scan_with(const LLScanOptions *o, const LLBuf *stdin_text, bool project_ok,
                          LLScan **out, LLError *err);

static LLStatus scan_once(const LLScanOptions *o, const LLBuf *stdin_text, LLScan **out,
                          LLError *err)
{
    return scan_with(o, stdin_text, true, out, err);
}

/* scan_once; project_ok: named files may be scanned inside their project
 * (scan_cache.h) */
static LLStatus scan_with(const LLScanOptions *o, const LLBuf *stdin_text, bool project_ok,
                          LLScan **out, LLError *err)
{
    *out = NULL;
    LLScan *s = scan_new(o);
    LLBaseline *baseline = NULL;
    LLSyntax syn = {0};
    bool have_syntax = false;
    const char *const *paths;
    size_t npaths;
    bool stdin_used;
    LLScanCache sc;
    memset(&sc, 0, sizeof sc);
    LLStatus st = scan_paths(s, &paths, &npaths, &stdin_used, err);
    if (st == LL_OK)
        st = open_configs(s, err);
    if (st == LL_OK) {
        LLDiscoverOptions d = {s->configs, o->stdin_name, o->cfg && o->cfg->force_exclude,
                               o->verbose, !o->no_artifacts};
        st = ll_discover_ex(paths, npaths, &d, &s->files, err);
        if (st == LL_OK) {
            apply_artifacts_setting(s);
            /* the result cache; named files alone: their project around them */
            st = ll_scan_cache_prepare(&sc, s->configs, o, paths, npaths, &d, project_ok,
                                       &s->files, err);
        }
    }
    if (st != LL_OK)
        goto fail;
    for (size_t i = 0; o->verbose && i < s->files.notes.len; i++)
        note(s, "%s", s->files.notes.items[i]);
    if (o->verbose && sc.note)
        note(s, "%s", sc.note);
    size_t ns = ll_config_cache_count(s->configs);
    s->used = ll_xcalloc(ns + 1, sizeof *s->used);
    for (size_t i = 0; i < s->files.files.len; i++)
        if (s->files.files.items[i].settings)
            s->used[s->files.files.items[i].settings->id] = true;
    if (!s->files.files.len) { /* still a meaningful rule list (SARIF) */
        const LLSettings *first;
        char *abs = NULL;
        bool is_file;
        st = settings_for_path(s, paths[0], &first, &abs, &is_file, err);
        free(abs);
        if (st != LL_OK)
            goto fail;
        free(s->used);
        s->used = ll_xcalloc(ll_config_cache_count(s->configs) + 1, sizeof *s->used);
        s->used[first->id] = true;
    }
    for (size_t i = 0; o->verbose && i < ll_config_cache_count(s->configs); i++) {
        const LLSettings *set = ll_config_cache_get(s->configs, i);
        if (i < ns && s->used[i] && set->config_path)
            note(s, "using the configuration file %s", set->config_path);
    }
    if ((st = load_rules(s, err)) != LL_OK) {
        if (sc.project) {
            /* the rules of a configuration elsewhere in the project (a
             * whole-project scan would stop there too): the named files
             * alone, as without a cache */
            char msg[LL_ERROR_MSG_MAX + LL_ERROR_FILE_MAX + 64];
            ll_error_format(err, msg, sizeof msg);
            LLBuf why;
            ll_buf_init(&why);
            ll_buf_printf(&why, "the project %s cannot be scanned (%s): the named files are "
                                "scanned alone", sc.root, msg);
            ll_scan_cache_release(&sc);
            ll_scan_free(s);
            st = scan_with(o, stdin_text, false, out, err);
            if (st == LL_OK && o->verbose)
                note(*out, "%s", why.data);
            ll_buf_release(&why);
            return st;
        }
        goto fail;
    }
    if (ll_syntax_init(&syn, ll_syntax_python()) != 0) {
        st = ll_error_set(err, LL_ERR_LIMIT, NULL, 0, 0,
                          "internal error: the Python grammar lacks a node kind or field loadlint needs");
        goto fail;
    }
    have_syntax = true;
    LLRunOptions ro;
    ll_run_options_default(&ro);
    ro.jobs = o->jobs;
    ro.max_file_bytes = o->max_file_bytes;
    ro.parse_timeout_us = o->parse_timeout_us;
    ro.max_findings_per_file = o->max_findings_per_file;
    /* named files inside their project (scan_cache.h): those are parsed
     * whatever the pre-filter says (LLRunOptions.parse), the rest is not */
    ro.no_prefilter = o->no_prefilter || (all_named(paths, npaths) && !sc.project);
    ro.no_artifacts = o->no_artifacts;
    ro.report_unused_suppressions = o->report_unused_suppressions;
    ro.progress = o->progress;
    ro.progress_ctx = o->progress_ctx;
    ro.scope = s->scope;
    if (stdin_used) {
        s->stdin_used = true;
        if (stdin_text)
            ll_buf_append(&s->stdin_buf, stdin_text->data ? stdin_text->data : "", stdin_text->len);
        else if ((st = ll_source_read_fd(o->stdin_fd, "<stdin>", o->max_file_bytes, &s->stdin_buf,
                                         err)) != LL_OK)
            goto fail;
        ro.stdin_text = s->stdin_buf.data;
        ro.stdin_len = s->stdin_buf.len;
    }
    if (o->baseline && (st = ll_baseline_load(o->baseline, &baseline, err)) != LL_OK)
        goto fail;
    ll_scan_cache_run_options(&sc, o, &s->files, &ro);
    /* files named next to directories are parsed whatever the pre-filter
     * says, for their diagnostics (a binary x.py, a syntax error), as when
     * they are named alone (no_prefilter) or inside their project (above) */
    uint8_t *named = ro.parse || ro.no_prefilter ? NULL : named_files(paths, npaths, &s->files);
    if (named)
        ro.parse = named;
    ll_run(s->rules, &syn, &s->files, &ro, &s->run);
    free(named);
    if (o->verbose && ll_rcache_usable(sc.cache)) {
        LLRcacheStats cs;
        ll_rcache_stats(sc.cache, &cs);
        note(s, "the result cache %s: %zu of %zu analyses taken from it, %zu analysed again "
                "(%zu stored, %zu not cacheable)%s",
             ll_rcache_dir(sc.cache), cs.hits, cs.lookups, cs.lookups - cs.hits, cs.stored,
             cs.not_cached, sc.project ? "; the named files scanned inside their project" : "");
    }
    ll_scan_cache_release(&sc);
    s->ran = true;
    filter_findings(s);
    /* discovery problems are problems of the run too */
    for (size_t i = 0; i < s->files.errors.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_ERROR, 0, 0, ll_xstrdup(s->files.errors.items[i])};
        LL_VEC_PUSH(&s->run.diags, d);
    }
    for (size_t i = 0; i < s->files.warnings.len; i++) {
        LLDiag d = {UINT32_MAX, LL_DIAG_WARNING, 0, 0, ll_xstrdup(s->files.warnings.items[i])};
        LL_VEC_PUSH(&s->run.diags, d);
    }
    /* occurrence numbers count what is reported, suppressed findings too */
    ll_findings_fingerprint(s->run.findings.items, s->run.findings.len, s->rules);
    if (baseline) {
        apply_baseline(s, baseline);
        size_t entries = ll_baseline_size(baseline);
        if (entries && !s->baselined)
            run_diag(s, LL_DIAG_WARNING,
                     "the baseline %s matches none of the findings (it holds %zu): paths are "
                     "compared as reported, so run loadlint from the directory and with the "
                     "paths it was written with; or what it lists is fixed, and it can go",
                     o->baseline, entries);
    }
    ll_baseline_free(baseline);
    bool errors = false;
    for (size_t i = 0; i < s->run.diags.len; i++)
        errors |= s->run.diags.items[i].kind == LL_DIAG_ERROR;
    if (!s->run.files_scanned && !errors) {
        LLBuf where;
        ll_buf_init(&where);
        for (size_t i = 0; i < npaths; i++)
            ll_buf_printf(&where, "%s%s", i ? ", " : "", paths[i]);
        run_diag(s, LL_DIAG_WARNING, "no Python file (*.py, *.pyi)%s found in %s: nothing was scanned",
                 o->no_artifacts ? "" : " or model file", where.data);
        ll_buf_release(&where);
    }
    ll_syntax_release(&syn);
    *out = s;
    return LL_OK;
fail:
    ll_scan_cache_release(&sc);
    ll_baseline_free(baseline);
    if (have_syntax)
        ll_syntax_release(&syn);
    ll_scan_free(s);
    return st;
}

/* ---- fixes ------------------------------------------------------------------------ */

/* A problem met while fixing a file: a diagnostic of the result, attached
 * to the file (by its display name: the final scan may list files anew). */
typedef struct FixDiag {
    char *display;
    LLDiagKind kind;
    char *message;
} FixDiag;

typedef struct Fixer {
    LLScan *s;
    LLSyntax syn;
    TSParser *parser;
    LL_VEC(FixDiag) diags;
    LLBuf stdin_fixed; /* standard input's bytes after fixing */
    bool stdin_changed;
    bool wrote;        /* a file was written */
} Fixer;

static void fix_diag(Fixer *fx, const char *display, LLDiagKind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fix_diag(Fixer *fx, const char *display, LLDiagKind kind, const char *fmt, ...)
{
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    FixDiag d = {ll_xstrdup(display), kind, ll_buf_detach(&b)};
    LL_VEC_PUSH(&fx->diags, d);
}

typedef LL_VEC(const LLFix *) FixList;

/* The fixes that apply among the findings of file `file`, in report
 * order. */
static void applicable_fixes(const LLScan *s, uint32_t file, FixList *out)
{
    out->len = 0;
    for (size_t i = 0; i < s->run.findings.len; i++) {
        const LLFinding *f = &s->run.findings.items[i];
        if (f->file == file && ll_fix_applies(f, s->opts.unsafe_fixes))
            LL_VEC_PUSH(out, f->fix);
    }
}

/* Scans `bytes` alone, as the file `display` (standard input under its
 * name: its configuration, per-file-ignores, baseline entries), for the
 * fixes a fixed text still offers. NULL when the scan fails. */
static LLScan *scan_text(const LLScan *s, const LLFileEntry *fe, const LLBuf *bytes)
{
    static const char *const dash[] = {"-"};
    LLScanOptions o = s->opts;
    o.paths = dash;
    o.npaths = 1;
    o.stdin_name = strcmp(fe->path, "-") == 0 ? s->opts.stdin_name : fe->display;
    o.fix = LL_FIXMODE_NONE;
    o.verbose = false;
    LLScan *sub = NULL;
    LLError err;
    if (scan_once(&o, bytes, &sub, &err) != LL_OK)
        return NULL;
    return sub;
}

/* Fixes one file: reads it again (standard input: the bytes scanned),
 * checks that it still holds the text the fixes were computed on, applies
 * them in one pass, and again on a scan of the result while fixes were
 * dropped as overlapping (LL_MAX_FIX_ROUNDS in all); refuses a result with
 * a syntax error when the file had none; encodes it back; then writes it
 * (atomically, refused if it changed meanwhile), keeps it (standard
 * input), or appends its diff. */
static void fix_file(Fixer *fx, uint32_t file, const FixList *first)
{
    LLScan *s = fx->s;
    const LLFileEntry *fe = &s->files.files.items[file];
    const char *name = fe->display;
    bool is_stdin = strcmp(fe->path, "-") == 0;
    LLBuf raw, text0, cur, next, bytes, next_bytes;
    ll_buf_init(&raw);
    ll_buf_init(&text0);
    ll_buf_init(&cur);
    ll_buf_init(&next);
    ll_buf_init(&bytes);
    ll_buf_init(&next_bytes);
    LLFrontEnd front;
    ll_frontend_init(&front);
    LLArena arena;
    ll_arena_init(&arena);
    LLScan *sub = NULL;
    FixList list = {0};
    LLError err;
    size_t applied = 0;
    if (is_stdin) {
        ll_buf_append(&raw, s->stdin_buf.data ? s->stdin_buf.data : "", s->stdin_buf.len);
    } else if (ll_source_read(fe->path, s->opts.max_file_bytes, &raw, &err) != LL_OK) {
        fix_diag(fx, name, LL_DIAG_ERROR, "not fixed: %s", err.msg);
        goto done;
    }
    LLSource src;
    if (ll_frontend_decode(&front, fe->path, name, raw.data ? raw.data : "", raw.len, &arena, &src,
                           &err) != LL_DECODE_OK) {
        fix_diag(fx, name, LL_DIAG_ERROR, "not fixed: it changed since it was scanned (%s)", err.msg);
        goto done;
    }
    const LLFix *f0 = first->items[0];
    if (src.len != f0->text_len || ll_fix_text_hash(src.text, src.len) != f0->text_hash) {
        fix_diag(fx, name, LL_DIAG_ERROR,
                 "not fixed: the file changed since it was scanned; run loadlint again");
        goto done;
    }
    ll_buf_append(&text0, src.text, src.len);
    char codec[LL_MAX_CODEC_NAME];
    snprintf(codec, sizeof codec, "%s", front.codec);
    bool clean0 = ll_fix_parses_cleanly(&fx->syn, fx->parser, text0.data ? text0.data : "", text0.len);
    ll_buf_append(&cur, text0.data ? text0.data : "", text0.len);
    ll_buf_append(&bytes, raw.data ? raw.data : "", raw.len);
    for (size_t i = 0; i < first->len; i++)
        LL_VEC_PUSH(&list, first->items[i]);
    for (unsigned round = 0; round < LL_MAX_FIX_ROUNDS && list.len; round++) {
        ll_buf_reset(&next);
        LLFixApplyResult res;
        ll_fix_apply(cur.data ? cur.data : "", cur.len, list.items, list.len, &next, &res);
        size_t dropped = res.ndropped;
        size_t done_now = res.applied;
        ll_fix_apply_result_release(&res);
        if (!done_now)
            break;
        if (clean0 && !ll_fix_parses_cleanly(&fx->syn, fx->parser, next.data, next.len)) {
            fix_diag(fx, name, LL_DIAG_ERROR,
                     "not fixed: the fixes would leave a syntax error in it (a bug in loadlint: "
                     "please report it); the file is left as it was");
            applied = 0;
            goto done;
        }
        ll_buf_reset(&next_bytes);
        if (ll_fix_encode(name, codec, raw.data ? raw.data : "", raw.len, text0.data ? text0.data : "",
                          text0.len, next.data, next.len, &next_bytes, &err) != LL_OK) {
            fix_diag(fx, name, LL_DIAG_WARNING, "%s%s", err.msg,
                     applied ? " (the fixes applied before are kept)" : "");
            break;
        }
        LLBuf t = cur;
        cur = next;
        next = t;
        t = bytes;
        bytes = next_bytes;
        next_bytes = t;
        applied += done_now;
        if (!dropped)
            break;
        if (round + 1 == LL_MAX_FIX_ROUNDS) {
            fix_diag(fx, name, LL_DIAG_WARNING,
                     "%zu fix%s left for another --fix: fixes still overlapped after %u rounds", dropped,
                     dropped == 1 ? "" : "es", LL_MAX_FIX_ROUNDS);
            break;
        }
        /* the dropped fixes overlapped applied ones: ask the fixed text */
        ll_scan_free(sub);
        sub = scan_text(s, fe, &bytes);
        list.len = 0;
        if (!sub || !sub->files.files.len)
            break;
        applicable_fixes(sub, 0, &list);
        uint64_t h = ll_fix_text_hash(cur.data, cur.len);
        for (size_t i = 0; i < list.len; i++)
            if (list.items[i]->text_hash != h || list.items[i]->text_len != cur.len)
                list.len = 0; /* not the text fixed here: leave it */
    }
    if (!applied)
        goto done;
    switch (s->opts.fix) {
    case LL_FIXMODE_APPLY:
        if (is_stdin) {
            ll_buf_reset(&fx->stdin_fixed);
            ll_buf_append(&fx->stdin_fixed, bytes.data, bytes.len);
            fx->stdin_changed = true;
        } else if (ll_fix_write_file(fe->path, raw.data ? raw.data : "", raw.len, bytes.data, bytes.len,
                                     &err) != LL_OK) {
            fix_diag(fx, name, LL_DIAG_ERROR, "%s", err.msg);
            applied = 0;
            goto done;
        } else {
            fx->wrote = true;
        }
        break;
    case LL_FIXMODE_DIFF:
        ll_fix_unified_diff(name, raw.data ? raw.data : "", raw.len, bytes.data, bytes.len, &s->fix_out);
        break;
    case LL_FIXMODE_NONE:
        break;
    }
    s->fixed += applied;
    s->fixed_files++;
done:
    ll_scan_free(sub);
    LL_VEC_FREE(&list);
    ll_arena_release(&arena);
    ll_frontend_release(&front);
    ll_buf_release(&raw);
    ll_buf_release(&text0);
    ll_buf_release(&cur);
    ll_buf_release(&next);
    ll_buf_release(&bytes);
    ll_buf_release(&next_bytes);
}

/* The fix step of a scan with opts.fix: every file with fixes that apply
 * (fix_file), then for --fix the scan again (of what was written, and of
 * the fixed standard input), which becomes the result; the problems met
 * are diagnostics of the result. *sp may be replaced. */
static LLStatus fix_run(LLScan **sp, LLError *err)
{
    LLScan *s = *sp;
    Fixer fx;
    memset(&fx, 0, sizeof fx);
    fx.s = s;
    ll_buf_init(&fx.stdin_fixed);
    LLStatus st = LL_OK;
    if (ll_syntax_init(&fx.syn, ll_syntax_python()) != 0) {
        ll_syntax_release(&fx.syn);
        return ll_error_set(err, LL_ERR_LIMIT, NULL, 0, 0,
                            "internal error: the Python grammar lacks a node kind or field loadlint needs");
    }
    fx.parser = ts_parser_new();
    ts_parser_set_timeout_micros(fx.parser, s->opts.parse_timeout_us);
    s->have_fix_out = s->opts.fix == LL_FIXMODE_DIFF || (s->opts.fix == LL_FIXMODE_APPLY && s->stdin_used);
    /* file by file in report order (findings are sorted by path: a file's
     * are together) */
    FixList list = {0};
    const LLFinding *items = s->run.findings.items;
    for (size_t i = 0, n = s->run.findings.len; i < n;) {
        size_t j = i;
        list.len = 0;
        for (; j < n && items[j].file == items[i].file; j++)
            if (ll_fix_applies(&items[j], s->opts.unsafe_fixes))
                LL_VEC_PUSH(&list, items[j].fix);
        if (list.len && items[i].file < s->files.files.len)
            fix_file(&fx, items[i].file, &list);
        i = j;
    }
    LL_VEC_FREE(&list);
    ts_parser_delete(fx.parser);
    ll_syntax_release(&fx.syn);
    if (s->opts.fix == LL_FIXMODE_APPLY && s->stdin_used) {
        if (!fx.stdin_changed)
            ll_buf_append(&fx.stdin_fixed, s->stdin_buf.data ? s->stdin_buf.data : "", s->stdin_buf.len);
        ll_buf_append(&s->fix_out, fx.stdin_fixed.data ? fx.stdin_fixed.data : "", fx.stdin_fixed.len);
    }
    if (s->opts.fix == LL_FIXMODE_APPLY && (fx.wrote || fx.stdin_changed)) {
        /* what remains: the files as they are now */
        LLScan *again = NULL;
        st = scan_once(&s->opts, s->stdin_used ? &fx.stdin_fixed : NULL, &again, err);
        if (st == LL_OK) {
            LLBuf t = again->fix_out;
            again->fix_out = s->fix_out;
            s->fix_out = t;
            again->have_fix_out = s->have_fix_out;
            again->fixed = s->fixed;
            again->fixed_files = s->fixed_files;
            ll_scan_free(s);
            s = *sp = again;
        }
    }
    for (size_t i = 0; i < fx.diags.len; i++) {
        FixDiag *d = &fx.diags.items[i];
        uint32_t file = UINT32_MAX;
        for (size_t k = 0; k < s->files.files.len && file == UINT32_MAX; k++)
            if (strcmp(s->files.files.items[k].display, d->display) == 0)
                file = (uint32_t)k;
        LLDiag diag = {file, d->kind, 0, 0, d->message};
        if (file == UINT32_MAX) {
            LLBuf b;
            ll_buf_init(&b);
            ll_buf_printf(&b, "%s: %s", d->display, d->message);
            free(d->message);
            diag.message = ll_buf_detach(&b);
        }
        LL_VEC_PUSH(&s->run.diags, diag);
        free(d->display);
    }
    LL_VEC_FREE(&fx.diags);
    ll_buf_release(&fx.stdin_fixed);
    return st;
}

LLStatus ll_scan_run(const LLScanOptions *o, LLScan **out, LLError *err)
{
    LLStatus st = scan_once(o, NULL, out, err);
    if (st != LL_OK || o->fix == LL_FIXMODE_NONE)
        return st;
    st = fix_run(out, err);
    if (st != LL_OK) {
        ll_scan_free(*out);
        *out = NULL;
    }
    return st;
}

const char *ll_scan_fix_output(const LLScan *s, size_t *len)
{
    *len = 0;
    if (!s->have_fix_out)
        return NULL;
    *len = s->fix_out.len;
    return s->fix_out.data ? s->fix_out.data : "";
}

void ll_scan_counts(const LLScan *s, LLScanCounts *c)
{
    memset(c, 0, sizeof *c);
    c->baselined = s->baselined;
    if (!s->ran)
        return;
    for (size_t i = 0; i < s->run.findings.len; i++) {
        const LLFinding *f = &s->run.findings.items[i];
        if (f->suppressed) {
            c->suppressed++;
            continue;
        }
        c->findings++;
        c->by_severity[f->severity]++;
        /* against the fail-on of the finding's own file's configuration */
        const LLFileEntry *fe = f->file < s->files.files.len ? &s->files.files.items[f->file] : NULL;
        LLFailOn fail_on = fe && fe->settings ? fe->settings->fail_on
                           : s->opts.cfg && s->opts.cfg->has_fail_on ? s->opts.cfg->fail_on
                                                                      : LL_FAIL_ON_WARNING;
        if (fail_on != LL_FAIL_ON_NEVER && (int)f->severity >= (int)fail_on)
            c->failing++;
    }
    for (size_t i = 0; i < s->run.diags.len; i++) {
        if (s->run.diags.items[i].kind == LL_DIAG_ERROR)
            c->errors++;
        else
            c->warnings++;
    }
    c->files = s->run.files_scanned;
    c->parsed = s->run.files_parsed;
    c->parsed_partly = s->run.files_partial;
    c->bytes_left_out = s->run.bytes_left_out;
    for (size_t i = 0; i < s->run.findings.len; i++) {
        const LLFinding *f = &s->run.findings.items[i];
        if (ll_fix_applies(f, s->opts.unsafe_fixes))
            c->fixable++;
        else if (!s->opts.unsafe_fixes && ll_fix_applies(f, true))
            c->fixable_unsafe++;
    }
    c->fixed = s->fixed;
    c->fixed_files = s->fixed_files;
}

size_t ll_scan_note_count(const LLScan *s)
{
    return s->notes.len;
}

const char *ll_scan_note(const LLScan *s, size_t i)
{
    return i < s->notes.len ? s->notes.items[i] : NULL;
}

/* ---- writing --------------------------------------------------------------- */

static const struct {
    const char *name;
    LLFormat fmt;
} format_names[] = {
    {"text", LL_FMT_TEXT},   {"concise", LL_FMT_TEXT}, {"json", LL_FMT_JSON},
    {"sarif", LL_FMT_SARIF}, {"github", LL_FMT_GITHUB},
};

bool ll_format_parse(const char *name, LLFormat *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++) {
        if (strcmp(name, format_names[i].name) == 0) {
            *out = format_names[i].fmt;
            return true;
        }
    }
    return false;
}

const char *ll_format_names(void)
{
    return "text (alias concise), json, sarif or github";
}

typedef void (*Writer)(LLBuf *out, const LLReport *r);
/* One writer per format (report/report.h), indexed by LLFormat. */
static const Writer writers[LL_FMT__COUNT] = {
    [LL_FMT_TEXT] = ll_report_text,
    [LL_FMT_JSON] = ll_report_json,
    [LL_FMT_SARIF] = ll_report_sarif,
    [LL_FMT_GITHUB] = ll_report_github,
};

static const char *format_name(LLFormat f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (format_names[i].fmt == f)
            return format_names[i].name;
    return "?";
}

LLStatus ll_scan_write_check(LLFormat fmt, const LLWriteOptions *wo, LLError *err)
{
    if ((unsigned)fmt >= LL_FMT__COUNT)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0, "unknown output format");
    if (wo->statistics && fmt != LL_FMT_TEXT && fmt != LL_FMT_JSON)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--statistics prints text or json, not %s", format_name(fmt));
    if (wo->include_suppressed && wo->statistics)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--show-suppressed lists findings; --statistics prints counts "
                            "(with -f json, suppressed ones too)");
    if (wo->include_suppressed && fmt != LL_FMT_JSON && fmt != LL_FMT_SARIF)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--show-suppressed lists suppressed findings in json and sarif only, "
                            "not %s", format_name(fmt));
    if (wo->sarif_category && fmt != LL_FMT_SARIF)
        return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                            "--sarif-category names a SARIF run; the format is %s, not sarif",
                            format_name(fmt));
    return LL_OK;
}

LLStatus ll_scan_write(const LLScan *s, LLFormat fmt, const LLWriteOptions *wo, LLBuf *out,
                       LLError *err)
{
    LLStatus st = ll_scan_write_check(fmt, wo, err);
    if (st != LL_OK)
        return st;
    LLReport rep = {s->rules, &s->files, &s->run, wo->color, wo->sarif_category,
                    wo->include_suppressed, s->opts.unsafe_fixes};
    if (wo->statistics) {
        ll_report_statistics(out, &rep, fmt == LL_FMT_JSON);
        return LL_OK;
    }
    writers[fmt](out, &rep);
    return LL_OK;
}

void ll_scan_write_baseline(const LLScan *s, LLBuf *out)
{
    LLReport rep = {s->rules, &s->files, &s->run, false, NULL, false, false};
    ll_baseline_write(out, &rep);
}

void ll_scan_write_diagnostics(const LLScan *s, bool quiet, LLBuf *out)
{
    for (size_t i = 0; s->ran && i < s->run.diags.len; i++) {
        const LLDiag *d = &s->run.diags.items[i];
        if (quiet && d->kind != LL_DIAG_ERROR)
            continue;
        /* names and messages come from the scanned tree: escape control
         * characters so that they cannot forge lines or drive the terminal */
        ll_buf_puts(out, "loadlint: ");
        if (d->file != UINT32_MAX) {
            const char *name = s->files.files.items[d->file].display;
            ll_escape_controls(out, name, strlen(name));
            if (d->line)
                ll_buf_printf(out, ":%u:%u", d->line, d->col);
            ll_buf_puts(out, ": ");
        }
        ll_buf_printf(out, "%s: ", d->kind == LL_DIAG_ERROR ? "error" : "warning");
        ll_escape_controls(out, d->message, strlen(d->message));
        ll_buf_putc(out, '\n');
    }
}

/* "[*] N fixable with --fix (M more with --unsafe-fixes)", when any. */
/* "; N fixable with --fix, M more (unsafe) with --unsafe-fixes", or
 * "; M unsafe fixes with --unsafe-fixes", appended to a summary line, when
 * there are any (--diff: the unsafe ones it left out). */
static void write_fixable(const LLScan *s, const LLScanCounts *c, LLBuf *out)
{
    bool diff = s->opts.fix == LL_FIXMODE_DIFF;
    size_t hidden = c->fixable_unsafe;
    if (c->fixable && !diff) {
        ll_buf_printf(out, "; %zu fixable with --fix%s", c->fixable,
                      s->opts.unsafe_fixes ? " --unsafe-fixes" : "");
        if (hidden)
            ll_buf_printf(out, ", %zu more (unsafe) with --unsafe-fixes", hidden);
    } else if (hidden) {
        ll_buf_printf(out, "; %zu unsafe fix%s %s --unsafe-fixes", hidden, hidden == 1 ? "" : "es",
                      diff ? "left out: add" : "with");
    }
}

void ll_scan_write_summary(const LLScan *s, LLFormat fmt, bool statistics, LLBuf *out)
{
    LLScanCounts c;
    ll_scan_counts(s, &c);
    if (s->opts.fix == LL_FIXMODE_DIFF) {
        /* the diff is the report */
        if (c.fixed)
            ll_buf_printf(out, "loadlint: would fix %zu finding%s in %zu file%s", c.fixed,
                          c.fixed == 1 ? "" : "s", c.fixed_files, c.fixed_files == 1 ? "" : "s");
        else
            ll_buf_puts(out, "loadlint: no fix to apply");
        write_fixable(s, &c, out);
        ll_buf_putc(out, '\n');
        return;
    }
    if (s->opts.fix == LL_FIXMODE_APPLY && c.fixed)
        ll_buf_printf(out, "loadlint: fixed %zu finding%s in %zu file%s\n", c.fixed,
                      c.fixed == 1 ? "" : "s", c.fixed_files, c.fixed_files == 1 ? "" : "s");
    else if (s->opts.fix == LL_FIXMODE_APPLY)
        ll_buf_puts(out, "loadlint: nothing fixed\n");
    if (fmt == LL_FMT_SARIF && !statistics && c.findings > LL_SARIF_MAX_RESULTS)
        ll_buf_printf(out,
                      "loadlint: warning: the SARIF report holds the %u most severe of %zu findings "
                      "(GitHub rejects more per run)\n",
                      LL_SARIF_MAX_RESULTS, c.findings);
    if (!c.files && c.errors) { /* a missing path, an unreadable directory */
        ll_buf_printf(out, "loadlint: nothing scanned: %zu error%s (above)\n", c.errors,
                      c.errors == 1 ? "" : "s");
        return;
    }
    ll_buf_printf(out, "loadlint: %zu finding%s (%zu error, %zu warning, %zu note) in %zu file%s",
                  c.findings, c.findings == 1 ? "" : "s", c.by_severity[LL_SEV_ERROR],
                  c.by_severity[LL_SEV_WARNING], c.by_severity[LL_SEV_NOTE], c.files,
                  c.files == 1 ? "" : "s");
    /* the bytes of definitions parsing in part left out, in kB or MB */
    double left = (double)c.bytes_left_out / (c.bytes_left_out < 1000000 ? 1e3 : 1e6);
    const char *unit = c.bytes_left_out < 1000000 ? "kB" : "MB";
    if (c.parsed != c.files && c.parsed_partly)
        ll_buf_printf(out,
                      " (%zu parsed, %zu of them in part: %.1f %s of definitions left out; the others "
                      "cannot hold a finding)",
                      c.parsed, c.parsed_partly, left, unit);
    else if (c.parsed != c.files)
        ll_buf_printf(out, " (%zu parsed, the others cannot hold a finding)", c.parsed);
    else if (c.parsed_partly)
        ll_buf_printf(out, " (%zu parsed in part: %.1f %s of definitions left out)", c.parsed_partly,
                      left, unit);
    if (c.suppressed)
        ll_buf_printf(out, "; %zu suppressed", c.suppressed);
    if (c.baselined)
        ll_buf_printf(out, "; %zu in the baseline", c.baselined);
    if (c.errors)
        ll_buf_printf(out, "; %zu error%s (above)", c.errors, c.errors == 1 ? "" : "s");
    if (c.findings && c.failing < c.findings)
        ll_buf_printf(out, "; %zu below fail-on", c.findings - c.failing);
    write_fixable(s, &c, out);
    ll_buf_putc(out, '\n');
}

/* ---- rules and settings -------------------------------------------------------- */

void ll_scan_list_rules(const LLScan *s, LLFormat fmt, LLBuf *out)
{
    ll_report_rule_list(out, s->rules, fmt == LL_FMT_JSON);
}

void ll_scan_suggest_code(const LLScan *s, const char *code, LLBuf *out)
{
    uint8_t *all = ll_xcalloc(s->rules->nrules + 1, 1);
    memset(all, 1, s->rules->nrules);
    LLStrList mapped = {NULL, 0};
    if (code_peers(s->rules, all, code, &mapped)) {
        ll_buf_puts(out, " (it is another tool's code for ");
        for (size_t i = 0; i < mapped.len; i++)
            ll_buf_printf(out, "%s%s", i ? (i + 1 == mapped.len ? " and " : ", ") : "",
                          mapped.items[i]);
        ll_buf_putc(out, ')');
    } else {
        suggest_code(s->rules, all, code, out);
    }
    ll_strlist_free(&mapped);
    free(all);
}

bool ll_scan_explain(const LLScan *s, const char *code, LLBuf *out)
{
    const LLRule *r = ll_ruleset_find(s->rules, code);
    if (!r)
        return false;
    ll_report_rule_markdown(out, r);
    return true;
}

void ll_scan_show_settings(const LLScan *s, LLBuf *out)
{
    const char *path = s->first_path ? s->first_path : ".";
    const LLSettings *set = s->first;
    if (!set)
        return;
    ll_buf_puts(out, "# loadlint settings for ");
    ll_escape_controls(out, path, strlen(path));
    ll_buf_putc(out, '\n');
    ll_settings_print(set, out);
    ll_buf_puts(out, "enabled-rules = [");
    size_t n = 0;
    LLFileEntry probe = {.settings = set, .abs = s->first_is_file ? s->first_abs : NULL};
    for (size_t i = 0; i < s->rules->nrules; i++) {
        if (!ll_rule_scope_applies(s->scope, (uint32_t)i, &probe))
            continue;
        ll_buf_printf(out, "%s\"%s\"", n++ ? ", " : "", s->rules->rules[i].code);
    }
    ll_buf_puts(out, "]\n");
    struct stat sb;
    bool is_stdin = strcmp(path, "-") == 0;
    bool exists = is_stdin || stat(path, &sb) == 0;
    if (!s->first_is_file || !exists || (is_stdin && !s->opts.stdin_name))
        return;
    /* a named file is excluded only with --force-exclude: ask as if given */
    LLFileList probe_list = {0};
    LLDiscoverOptions d = {s->configs, s->opts.stdin_name, true, true, !s->opts.no_artifacts};
    const char *const one[] = {path};
    LLError err;
    if (ll_discover_ex(one, 1, &d, &probe_list, &err) == LL_OK && !probe_list.files.len &&
        probe_list.notes.len) {
        ll_buf_puts(out, "excluded = true  # ");
        ll_escape_controls(out, probe_list.notes.items[0], strlen(probe_list.notes.items[0]));
        ll_buf_puts(out, s->opts.cfg && s->opts.cfg->force_exclude
                             ? "\n"
                             : " (applies when walked, or with --force-exclude)\n");
    } else {
        ll_buf_puts(out, "excluded = false\n");
    }
    ll_file_list_release(&probe_list);
}

void ll_version_long(LLBuf *out)
{
    ll_buf_printf(out, "loadlint %s (%s, %s)\n", LL_VERSION, LL_GRAMMAR_PYTHON, LL_GRAMMAR_TOML);
}
