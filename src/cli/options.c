#include "cli/options.h"

#include "base/limits.h"
#include "base/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ll_options_init(LLOptions *o)
{
    memset(o, 0, sizeof *o);
    o->max_file_bytes = LL_DEFAULT_MAX_FILE_BYTES;
    o->parse_timeout_us = LL_DEFAULT_PARSE_TIMEOUT_US;
    o->max_findings_per_file = LL_DEFAULT_MAX_FINDINGS_PER_FILE;
}

static void free_list(LLStrList *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void ll_options_release(LLOptions *o)
{
    LL_VEC_FREE(&o->paths);
    LL_VEC_FREE(&o->rule_dirs);
    free_list(&o->select);
    free_list(&o->ignore);
}

const char *ll_options_usage(void)
{
    return "usage: loadlint [OPTIONS] [PATH...]\n"
           "\n"
           "Finds unsafe deserialization and unsafe ML-model loading in Python code.\n"
           "PATH is a file or a directory (default: .); directories are walked for\n"
           "*.py and *.pyi. '-' reads one file from standard input.\n"
           "\n"
           "Output:\n"
           "  -f, --format FORMAT       text (default), json or sarif\n"
           "  -o, --output FILE         write the report to FILE (whole, even with findings)\n"
           "      --color WHEN          auto (default: only on a terminal, never with NO_COLOR),\n"
           "                            always or never\n"
           "      --sarif-category NAME SARIF automationDetails.id is NAME/ (default: loadlint/)\n"
           "  -q, --quiet               no summary on standard error\n"
           "\n"
           "Rules:\n"
           "      --select CODES        only these rules (comma-separated codes or prefixes)\n"
           "      --ignore CODES        not these rules\n"
           "      --rules DIR           also load every *.json rule file of DIR\n"
           "      --list-rules          print the rules and exit\n"
           "      --explain CODE        print a rule's documentation and exit\n"
           "\n"
           "Input:\n"
           "      --stdin-filename NAME the name reported for '-'\n"
           "  -j, --jobs N              worker threads (default: number of CPUs)\n"
           "      --max-file-size BYTES skip larger files with an error (default 33554432)\n"
           "      --parse-timeout MS    give up parsing one file after MS ms (default 10000)\n"
           "      --max-findings-per-file N  (default 10000)\n"
           "\n"
           "Exit status:\n"
           "      --exit-zero           exit 0 even with findings (still 2 on errors)\n"
           "  0 no findings, 1 findings, 2 usage error, unreadable path, invalid rule file\n"
           "  or internal error.\n"
           "\n"
           "      --version             print the version\n"
           "  -h, --help                print this help\n";
}

static void split_codes(LLStrList *l, const char *v)
{
    const char *p = v;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (*p == ' ')) {
            p++;
            n--;
        }
        while (n && p[n - 1] == ' ')
            n--;
        if (n) {
            l->items = ll_xrealloc(l->items, (l->len + 1) * sizeof *l->items);
            l->items[l->len++] = ll_xstrndup(p, n);
        }
        if (!e)
            break;
        p = e + 1;
    }
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

LLStatus ll_options_parse(LLOptions *o, int argc, char **argv, LLError *err)
{
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            LL_VEC_PUSH(&o->paths, a);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_paths = true;
            continue;
        }
        /* --flag=value or --flag value */
        char name[64];
        const char *value = NULL;
        const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            value = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
#define IS(x) (strcmp(name, x) == 0)
#define NEED_VALUE()                                                           \
    do {                                                                       \
        if (!value) {                                                          \
            if (i + 1 >= argc)                                                 \
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,             \
                                    "option %s needs a value", name);          \
            value = argv[++i];                                                 \
        }                                                                      \
    } while (0)
#define NO_VALUE()                                                             \
    do {                                                                       \
        if (value)                                                             \
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,                 \
                                "option %s takes no value", name);             \
    } while (0)
        uint64_t num;
        if (IS("-h") || IS("--help")) {
            NO_VALUE();
            o->help = true;
        } else if (IS("--version")) {
            NO_VALUE();
            o->version = true;
        } else if (IS("-f") || IS("--format") || IS("--output-format")) {
            NEED_VALUE();
            if (strcmp(value, "text") == 0)
                o->format = LL_FMT_TEXT;
            else if (strcmp(value, "json") == 0)
                o->format = LL_FMT_JSON;
            else if (strcmp(value, "sarif") == 0)
                o->format = LL_FMT_SARIF;
            else
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "unknown format '%s' (expected text, json or sarif)", value);
        } else if (IS("-o") || IS("--output")) {
            NEED_VALUE();
            o->output = value;
        } else if (IS("--rules")) {
            NEED_VALUE();
            LL_VEC_PUSH(&o->rule_dirs, value);
        } else if (IS("--select")) {
            NEED_VALUE();
            split_codes(&o->select, value);
        } else if (IS("--ignore")) {
            NEED_VALUE();
            split_codes(&o->ignore, value);
        } else if (IS("--list-rules")) {
            NO_VALUE();
            o->list_rules = true;
        } else if (IS("--explain")) {
            NEED_VALUE();
            o->explain = value;
        } else if (IS("--stdin-filename") || IS("--stdin-display-name")) {
            NEED_VALUE();
            o->stdin_filename = value;
        } else if (IS("--sarif-category")) {
            NEED_VALUE();
            o->sarif_category = value;
        } else if (IS("--color") || IS("--colour")) {
            NEED_VALUE();
            if (strcmp(value, "auto") == 0)
                o->color = LL_COLOR_AUTO;
            else if (strcmp(value, "always") == 0)
                o->color = LL_COLOR_ALWAYS;
            else if (strcmp(value, "never") == 0)
                o->color = LL_COLOR_NEVER;
            else
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--color takes auto, always or never, not '%s'", value);
        } else if (IS("-q") || IS("--quiet")) {
            NO_VALUE();
            o->quiet = true;
        } else if (IS("--exit-zero")) {
            NO_VALUE();
            o->exit_zero = true;
        } else if (IS("--no-builtin-rules")) {
            NO_VALUE();
            o->no_builtin = true;
        } else if (IS("-j") || IS("--jobs")) {
            NEED_VALUE();
            if (!parse_u64(value, 1024, &num))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--jobs takes a number from 0 to 1024, not '%s'", value);
            o->jobs = (unsigned)num;
        } else if (IS("--max-file-size")) {
            NEED_VALUE();
            if (!parse_u64(value, UINT32_MAX - 1, &num) || !num)
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--max-file-size takes a byte count from 1 to 4294967294, not '%s'", value);
            o->max_file_bytes = (size_t)num;
        } else if (IS("--parse-timeout")) {
            NEED_VALUE();
            if (!parse_u64(value, 86400000, &num))
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--parse-timeout takes milliseconds, not '%s'", value);
            o->parse_timeout_us = num * 1000;
        } else if (IS("--max-findings-per-file")) {
            NEED_VALUE();
            if (!parse_u64(value, UINT32_MAX, &num) || !num)
                return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                    "--max-findings-per-file takes a positive number, not '%s'", value);
            o->max_findings_per_file = (uint32_t)num;
        } else {
            return ll_error_set(err, LL_ERR_USAGE, NULL, 0, 0,
                                "unknown option '%s' (see loadlint --help)", name);
        }
#undef IS
#undef NEED_VALUE
#undef NO_VALUE
    }
    return LL_OK;
}
