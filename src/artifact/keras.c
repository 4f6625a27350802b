#include "artifact/keras.h"

#include "artifact/savedmodel.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/vec.h"
#include "rules/jsonloc.h"
#include "rules/jsonrd.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rules/data/keras-policy.json, embedded by src/artifact/keras_embed.cmake */
extern const char ll_art_keras_policy_text[];
extern const size_t ll_art_keras_policy_text_len;

/* ------------------------------------------------------------------ */
/* JSON text preparation                                              */

char *ll_art_keras_json_prepare(const char *text, size_t len, unsigned max_depth,
                                size_t *bad_at, const char **why, bool *is_limit)
{
    *is_limit = false;
    char *copy = ll_xmalloc(len + 1);
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    unsigned depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)copy[i];
        if (c == 0) {
            *why = "a NUL byte in the text";
            *bad_at = i;
            goto bad;
        }
        if (in_str) {
            if (c == '\\') {
                if (len - i >= 6 && copy[i + 1] == 'u' && memcmp(copy + i + 2, "0000", 4) == 0) {
                    *why = "a \\u0000 escape in a string (Python and C read such keys differently)";
                    *bad_at = i;
                    goto bad;
                }
                i++; /* the escaped character */
            } else if (c == '"') {
                in_str = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            in_str = true;
            break;
        case '{':
        case '[':
            if (++depth > max_depth) {
                *why = "nesting deeper than the limit";
                *bad_at = i;
                *is_limit = true;
                goto bad;
            }
            break;
        case '}':
        case ']':
            if (depth)
                depth--;
            break;
        case 'N': /* Python's json writes NaN and Infinity; cJSON does not read them */
            if (len - i >= 3 && memcmp(copy + i, "NaN", 3) == 0) {
                memcpy(copy + i, "0.0", 3);
                i += 2;
            }
            break;
        case 'I':
            if (len - i >= 8 && memcmp(copy + i, "Infinity", 8) == 0) {
                memcpy(copy + i, "1e999999", 8);
                i += 7;
            }
            break;
        default:
            break;
        }
    }
    return copy;
bad:
    free(copy);
    return NULL;
}

/* The last member named `key` (Python's json keeps the last duplicate). */
static const cJSON *member(const cJSON *obj, const char *key)
{
    const cJSON *found = NULL;
    if (!cJSON_IsObject(obj))
        return NULL;
    for (const cJSON *c = obj->child; c; c = c->next)
        if (c->string && strcmp(c->string, key) == 0)
            found = c;
    return found;
}

static const char *member_str(const cJSON *obj, const char *key)
{
    const cJSON *v = member(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* ------------------------------------------------------------------ */
/* Policy                                                             */

typedef struct PolicyEntry {
    char *name;
    char *value; /* reason, or a config key */
} PolicyEntry;

typedef LL_VEC(PolicyEntry) EntryVec;

struct LLKerasPolicy {
    LLStrList allow_modules, allow_packages, builtin_classes; /* builtin_classes sorted */
    EntryVec dmodules, dtargets, toggles, savedmodel_layers, file_args;
};

void ll_art_keras_policy_free(LLKerasPolicy *p)
{
    if (!p)
        return;
    ll_strlist_free(&p->allow_modules);
    ll_strlist_free(&p->allow_packages);
    ll_strlist_free(&p->builtin_classes);
    EntryVec *ev[] = {&p->dmodules, &p->dtargets, &p->toggles, &p->savedmodel_layers,
                      &p->file_args};
    for (size_t k = 0; k < sizeof ev / sizeof *ev; k++) {
        for (size_t i = 0; i < ev[k]->len; i++) {
            free(ev[k]->items[i].name);
            free(ev[k]->items[i].value);
        }
        LL_VEC_FREE(ev[k]);
    }
    free(p);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An object of name -> string (or, with `lists`, name -> array of strings:
 * one entry per string). */
static LLStatus policy_map(LLJsonCtx *c, const cJSON *parent, const char *ptr_parent,
                           const char *key, bool lists, EntryVec *out)
{
    char ptr[128], ep[512];
    ll_json_ptr(ptr, sizeof ptr, ptr_parent, key);
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!o)
        return ll_json_fail(c, ptr_parent, "missing required key \"%s\"", key);
    if (!cJSON_IsObject(o))
        return ll_json_fail(c, ptr, "must be an object");
    for (const cJSON *e = o->child; e; e = e->next) {
        ll_json_ptr(ep, sizeof ep, ptr, e->string);
        if (!e->string[0])
            return ll_json_fail(c, ep, "an empty name");
        for (const cJSON *d = o->child; d != e; d = d->next)
            if (strcmp(d->string, e->string) == 0)
                return ll_json_fail(c, ep, "duplicate key \"%s\"", e->string);
        if (lists) {
            if (!cJSON_IsArray(e))
                return ll_json_fail(c, ep, "must be an array of strings");
            for (const cJSON *s = e->child; s; s = s->next) {
                if (!cJSON_IsString(s) || !s->valuestring[0])
                    return ll_json_fail(c, ep, "must hold non-empty strings only");
                PolicyEntry pe = {ll_xstrdup(e->string), ll_xstrdup(s->valuestring)};
                LL_VEC_PUSH(out, pe);
            }
        } else {
            if (!cJSON_IsString(e) || !e->valuestring[0])
                return ll_json_fail(c, ep, "must be a non-empty string");
            PolicyEntry pe = {ll_xstrdup(e->string), ll_xstrdup(e->valuestring)};
            LL_VEC_PUSH(out, pe);
        }
    }
    return LL_OK;
}

static LLStatus policy_read(LLJsonCtx *c, const cJSON *root, LLKerasPolicy *p)
{
    static const char *const top_keys[] = {"kind", "version", "description", "allow_modules",
                                           "allow_packages", "builtin_classes", "dangerous",
                                           "savedmodel_layers", "file_arguments", NULL};
    static const char *const dangerous_keys[] = {"modules", "targets", "unsafe_toggles", NULL};
    LL_JSON_TRY(ll_json_check_keys(c, root, "", top_keys));
    char *kind = NULL;
    LL_JSON_TRY(ll_json_get_string(c, root, "", "kind", true, &kind));
    bool kind_ok = strcmp(kind, "keras-policy") == 0;
    free(kind);
    if (!kind_ok)
        return ll_json_fail(c, "/kind", "must be \"keras-policy\"");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!ver)
        return ll_json_fail(c, "", "missing required key \"version\"");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
        return ll_json_fail(c, "/version", "must be 1");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (desc && !cJSON_IsString(desc))
        return ll_json_fail(c, "/description", "must be a string");
    LL_JSON_TRY(ll_json_get_string_list(c, root, "", "allow_modules", true, false,
                                        &p->allow_modules));
    LL_JSON_TRY(ll_json_get_string_list(c, root, "", "allow_packages", true, false,
                                        &p->allow_packages));
    LL_JSON_TRY(ll_json_get_string_list(c, root, "", "builtin_classes", true, false,
                                        &p->builtin_classes));
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "dangerous");
    if (!d)
        return ll_json_fail(c, "", "missing required key \"dangerous\"");
    if (!cJSON_IsObject(d))
        return ll_json_fail(c, "/dangerous", "must be an object");
    LL_JSON_TRY(ll_json_check_keys(c, d, "/dangerous", dangerous_keys));
    LL_JSON_TRY(policy_map(c, d, "/dangerous", "modules", false, &p->dmodules));
    LL_JSON_TRY(policy_map(c, d, "/dangerous", "targets", false, &p->dtargets));
    LL_JSON_TRY(policy_map(c, d, "/dangerous", "unsafe_toggles", false, &p->toggles));
    LL_JSON_TRY(policy_map(c, root, "", "savedmodel_layers", false, &p->savedmodel_layers));
    LL_JSON_TRY(policy_map(c, root, "", "file_arguments", true, &p->file_args));
    if (p->builtin_classes.len)
        qsort(p->builtin_classes.items, p->builtin_classes.len, sizeof(char *), cmp_str);
    return LL_OK;
}

LLStatus ll_art_keras_policy_parse(LLKerasPolicy **out, const char *text, size_t len,
                                   const char *origin, LLError *err)
{
    *out = NULL;
    /* ll_json_parse wants text[len] == '\0': parse a copy */
    char *copy = ll_xmalloc(len + 1);
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    LLJsonCtx c = {origin, copy, len, err, LL_ERR_RULE};
    cJSON *root = NULL;
    LLStatus st = ll_json_parse(&c, LL_KERAS_MAX_POLICY_BYTES, &root);
    LLKerasPolicy *p = NULL;
    if (st == LL_OK) {
        p = ll_xcalloc(1, sizeof *p);
        st = policy_read(&c, root, p);
    }
    cJSON_Delete(root);
    free(copy);
    if (st != LL_OK) {
        ll_art_keras_policy_free(p);
        return st;
    }
    *out = p;
    return LL_OK;
}

LLStatus ll_art_keras_policy_load(LLKerasPolicy **out, const char *path, LLError *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ll_error_set(err, LL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    LLBuf b;
    ll_buf_init(&b);
    char chunk[8192];
    size_t n;
    bool too_big = false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > LL_KERAS_MAX_POLICY_BYTES) {
            too_big = true;
            break;
        }
        ll_buf_append(&b, chunk, n);
    }
    bool io_error = ferror(f) != 0;
    fclose(f);
    LLStatus st;
    if (io_error)
        st = ll_error_set(err, LL_ERR_IO, path, 0, 0, "read error");
    else if (too_big)
        st = ll_error_set(err, LL_ERR_LIMIT, path, 0, 0,
                          "policy file larger than LL_KERAS_MAX_POLICY_BYTES (%u bytes)",
                          LL_KERAS_MAX_POLICY_BYTES);
    else
        st = ll_art_keras_policy_parse(out, b.data, b.len, path, err);
    ll_buf_release(&b);
    return st;
}

LLStatus ll_art_keras_policy_builtin(LLKerasPolicy **out, LLError *err)
{
    return ll_art_keras_policy_parse(out, ll_art_keras_policy_text, ll_art_keras_policy_text_len,
                                     "rules/data/keras-policy.json", err);
}

/* `dotted` is `entry` or below it ("os.path" is below "os"). */
static bool dotted_under(const char *dotted, const char *entry)
{
    size_t n = strlen(entry);
    return strncmp(dotted, entry, n) == 0 && (dotted[n] == '\0' || dotted[n] == '.');
}

static const PolicyEntry *entry_under(const EntryVec *v, const char *dotted)
{
    for (size_t i = 0; i < v->len; i++)
        if (dotted_under(dotted, v->items[i].name))
            return &v->items[i];
    return NULL;
}

LLKerasTarget ll_art_keras_policy_classify(const LLKerasPolicy *p, const char *dotted,
                                           const char **reason)
{
    const PolicyEntry *e;
    if (reason)
        *reason = NULL;
    if ((e = entry_under(&p->toggles, dotted))) {
        if (reason)
            *reason = e->value;
        return LL_KERAS_TARGET_TOGGLE;
    }
    if ((e = entry_under(&p->dtargets, dotted)) || (e = entry_under(&p->dmodules, dotted))) {
        if (reason)
            *reason = e->value;
        return LL_KERAS_TARGET_DANGEROUS;
    }
    for (size_t i = 0; i < p->allow_modules.len; i++)
        if (dotted_under(dotted, p->allow_modules.items[i]))
            return LL_KERAS_TARGET_ALLOWED;
    return LL_KERAS_TARGET_CUSTOM;
}

static bool policy_builtin_class(const LLKerasPolicy *p, const char *cls)
{
    return bsearch(&cls, p->builtin_classes.items, p->builtin_classes.len, sizeof(char *),
                   cmp_str) != NULL;
}

static bool policy_package_allowed(const LLKerasPolicy *p, const char *pkg, size_t n)
{
    for (size_t i = 0; i < p->allow_packages.len; i++)
        if (strlen(p->allow_packages.items[i]) == n &&
            memcmp(p->allow_packages.items[i], pkg, n) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Sniffing                                                           */

bool ll_art_keras_sniff(const uint8_t *head, size_t n)
{
    size_t i = 0;
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i >= n || head[i] != '{')
        return false;
    static const char needle[] = "\"class_name\"";
    size_t m = sizeof needle - 1;
    for (size_t k = i; k + m <= n; k++)
        if (head[k] == '"' && memcmp(head + k, needle, m) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* The walk                                                           */

typedef struct Frame {
    const cJSON *node;
    size_t parent; /* index in frames, or SIZE_MAX for the root */
    int index;     /* array index when the parent is an array */
} Frame;

typedef struct Shared {
    double id;
    const char *target; /* borrowed from the cJSON tree */
} Shared;

typedef struct Scan {
    const LLKerasPolicy *pol;
    const char *text; /* the prepared copy */
    size_t len;
    uint64_t base;
    const char *what;
    const LLArtLoc *where;
    LLArtResult *out;
    unsigned nfindings, nlocated;
    bool stopped, toggle_seen;
    LL_VEC(Frame) frames;
    LL_VEC(Shared) shared;
    LLStrMap shared_index; /* the id's bytes (in the cJSON node) -> index in shared */
    bool shared_limit;
} Scan;

/* Appends the JSON pointer of frame `fi` to b. */
static void frame_pointer(const Scan *s, size_t fi, LLBuf *b)
{
    size_t chain[LL_KERAS_MAX_JSON_DEPTH + 2];
    size_t n = 0;
    for (size_t i = fi; i != SIZE_MAX && n < sizeof chain / sizeof *chain;
         i = s->frames.items[i].parent)
        chain[n++] = i;
    while (n-- > 0) {
        const Frame *f = &s->frames.items[chain[n]];
        if (f->parent == SIZE_MAX)
            continue;
        ll_buf_putc(b, '/');
        if (f->node->string) {
            for (const char *k = f->node->string; *k; k++) {
                if (*k == '~')
                    ll_buf_puts(b, "~0");
                else if (*k == '/')
                    ll_buf_puts(b, "~1");
                else
                    ll_buf_putc(b, *k);
            }
        } else {
            ll_buf_printf(b, "%d", f->index);
        }
    }
}

/* End offset of the JSON value starting at `off`. */
static size_t value_end(const char *t, size_t len, size_t off)
{
    if (off >= len)
        return len;
    char c = t[off];
    if (c == '"') {
        for (size_t i = off + 1; i < len; i++) {
            if (t[i] == '\\')
                i++;
            else if (t[i] == '"')
                return i + 1;
        }
        return len;
    }
    if (c == '{' || c == '[') {
        unsigned depth = 0;
        bool in_str = false;
        for (size_t i = off; i < len; i++) {
            char d = t[i];
            if (in_str) {
                if (d == '\\')
                    i++;
                else if (d == '"')
                    in_str = false;
            } else if (d == '"') {
                in_str = true;
            } else if (d == '{' || d == '[') {
                depth++;
            } else if (d == '}' || d == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return len;
    }
    size_t i = off;
    while (i < len && !strchr(",}] \t\r\n", t[i]))
        i++;
    return i;
}

static void report(Scan *s, size_t fi, const char *check, LLSeverity sev, LLArtVerdict verdict,
                   const char *subject, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void report(Scan *s, size_t fi, const char *check, LLSeverity sev, LLArtVerdict verdict,
                   const char *subject, const char *fmt, ...)
{
    if (s->stopped)
        return;
    LLArtLoc loc;
    memset(&loc, 0, sizeof loc);
    if (s->where) {
        loc.nmembers = s->where->nmembers;
        for (uint32_t m = 0; m < loc.nmembers && m < LL_ART_MAX_NESTING; m++)
            loc.members[m] = s->where->members[m];
    }
    if (s->nfindings >= LL_KERAS_MAX_FINDINGS) {
        loc.offset = s->base;
        loc.length = s->len;
        ll_art_add(s->out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%s: more than LL_KERAS_MAX_FINDINGS (%u) findings; the rest of the config "
                   "was not reported",
                   s->what, LL_KERAS_MAX_FINDINGS);
        s->stopped = true;
        return;
    }
    s->nfindings++;
    LLBuf ptr, msg;
    ll_buf_init(&ptr);
    ll_buf_init(&msg);
    frame_pointer(s, fi, &ptr);
    if (s->nlocated < LL_KERAS_MAX_LOCATED) {
        s->nlocated++;
        size_t off = ll_jsonloc_find(s->text, s->len, ptr.data);
        loc.offset = s->base + off;
        loc.length = value_end(s->text, s->len, off) - off;
    } else {
        loc.offset = s->base;
        loc.length = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    ll_buf_printf(&msg, " (%s, at %s)", s->what, ptr.len ? ptr.data : "/");
    ll_art_add(s->out, check, sev, verdict, &loc, subject, "%s", msg.data);
    ll_buf_release(&ptr);
    ll_buf_release(&msg);
}

/* A serialized lambda that is a Lambda layer's function, output_shape or
 * mask (check_lambda reports those, naming the layer). */
static bool lambda_layer_field(const Scan *s, size_t fi)
{
    const Frame *f = &s->frames.items[fi];
    const char *key = f->node->string;
    if (!key || (strcmp(key, "function") && strcmp(key, "output_shape") && strcmp(key, "mask")))
        return false;
    size_t cfg = f->parent;
    if (cfg == SIZE_MAX || s->frames.items[cfg].parent == SIZE_MAX)
        return false;
    const cJSON *layer = s->frames.items[s->frames.items[cfg].parent].node;
    const char *cls = member_str(layer, "class_name");
    return cls && strcmp(cls, "Lambda") == 0 && member(layer, "config") == s->frames.items[cfg].node;
}

/* Reports what the policy says of a dotted target named by frame fi;
 * returns the classification. `role` says what names it ("class",
 * "function", "Lambda function"). */
static LLKerasTarget check_target(Scan *s, size_t fi, const char *target, const char *role)
{
    const char *reason = NULL;
    LLKerasTarget k = ll_art_keras_policy_classify(s->pol, target, &reason);
    switch (k) {
    case LL_KERAS_TARGET_TOGGLE:
        s->toggle_seen = true;
        report(s, fi, ART_CHECK_KERAS_UNSAFE_TOGGLE, LL_SEV_ERROR, LL_ART_MALICIOUS, target,
               "the config calls `%s` as a %s: %s; a Lambda later in the config then runs its "
               "bytecode even with safe_mode=True (CVE-2025-9906)",
               target, role, reason);
        break;
    case LL_KERAS_TARGET_DANGEROUS:
        report(s, fi, ART_CHECK_KERAS_DANGEROUS, LL_SEV_ERROR, LL_ART_MALICIOUS, target,
               "the config names `%s` as a %s: %s; Keras imports and calls what a config names "
               "while loading the model (before 3.9 any module, CVE-2025-1550; Keras functions "
               "such as get_file, CVE-2025-8747)",
               target, role, reason);
        break;
    case LL_KERAS_TARGET_CUSTOM:
        if (strncmp(target, "__main__.", 9) == 0)
            report(s, fi, ART_CHECK_KERAS_CUSTOM, LL_SEV_WARNING, LL_ART_SUSPICIOUS, target,
                   "the config names `%s` as a %s: code from the saving script's __main__, "
                   "which the loading program must provide (custom object)",
                   target, role);
        else
            report(s, fi, ART_CHECK_KERAS_CUSTOM, LL_SEV_WARNING, LL_ART_SUSPICIOUS, target,
                   "the config names `%s` as a %s: outside Keras and TensorFlow, so loading "
                   "imports that module or needs custom code for it (custom object)",
                   target, role);
        break;
    case LL_KERAS_TARGET_ALLOWED:
        break;
    }
    return k;
}

/* "Pkg>Name": reports a registered custom object unless Pkg is allowed. */
static void check_registered(Scan *s, size_t fi, const char *reg)
{
    const char *gt = strchr(reg, '>');
    if (!gt)
        return;
    if (policy_package_allowed(s->pol, reg, (size_t)(gt - reg)))
        return;
    report(s, fi, ART_CHECK_KERAS_CUSTOM, LL_SEV_WARNING, LL_ART_SUSPICIOUS, reg,
           "the config uses the registered custom object `%s`: loading needs (and runs) the "
           "code that registered it",
           reg);
}

/* Joins module and name ("os" + "system"); NULL module: the name alone. */
static char *join_target(const char *module, const char *name)
{
    LLBuf b;
    ll_buf_init(&b);
    if (module && module[0])
        ll_buf_printf(&b, "%s.%s", module, name);
    else
        ll_buf_puts(&b, name);
    return ll_buf_detach(&b);
}

/* ---- Lambda bytecode ---- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

static bool ident_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* Names used by Lambda payloads to reach the system. */
static const char *const g_loud_names[] = {
    "os",        "posix",    "nt",         "system",      "popen",   "Popen",  "subprocess",
    "check_output", "spawn", "execv",      "execve",      "exec",    "eval",   "compile",
    "__import__", "import_module", "builtins", "__builtins__", "getattr", "open", "socket",
    "urllib",    "requests", "pickle",     "marshal",     "shutil",  "rmtree", "remove",
    "unlink",    "ctypes",   "pty",        "runpy",       "webbrowser",
};

static bool loud_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof g_loud_names / sizeof *g_loud_names; i++)
        if (strlen(g_loud_names[i]) == n && memcmp(g_loud_names[i], s, n) == 0)
            return true;
    return false;
}

/* Decodes base64 text (whitespace ignored) and appends to `names` the
 * identifiers stored as marshal strings in it ("os", "system"), the loud
 * ones first; returns how many bytes decoded. */
static size_t bytecode_names(const char *b64, LLBuf *names)
{
    size_t tlen = strlen(b64);
    if (tlen > LL_KERAS_MAX_BYTECODE_TEXT)
        return 0;
    uint8_t *raw = ll_xmalloc(tlen / 4 * 3 + 3);
    size_t n = 0;
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < tlen; i++) {
        int v = b64_value((unsigned char)b64[i]);
        if (v < 0)
            continue; /* whitespace, padding */
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            raw[n++] = (uint8_t)(acc >> bits);
        }
    }
    /* marshal strings: 'z'/'Z' (1-byte length), 'a'/'A'/'u'/'t' (4-byte
     * length), with or without the FLAG_REF bit */
    const char *found[64];
    size_t found_len[64];
    size_t nfound = 0;
    for (size_t i = 0; i + 2 < n && nfound < 64; i++) {
        unsigned char t = raw[i] & 0x7f;
        size_t slen, start;
        if (t == 'z' || t == 'Z') {
            slen = raw[i + 1];
            start = i + 2;
        } else if ((t == 'a' || t == 'A' || t == 'u' || t == 't') && i + 5 <= n) {
            slen = (size_t)raw[i + 1] | (size_t)raw[i + 2] << 8 | (size_t)raw[i + 3] << 16 |
                   (size_t)raw[i + 4] << 24;
            start = i + 5;
        } else {
            continue;
        }
        if (slen < 2 || slen > 64 || start + slen > n)
            continue;
        bool ok = !(raw[start] >= '0' && raw[start] <= '9');
        for (size_t k = 0; k < slen && ok; k++)
            ok = ident_byte(raw[start + k]);
        if (!ok)
            continue;
        bool dup = false;
        for (size_t k = 0; k < nfound && !dup; k++)
            dup = found_len[k] == slen && memcmp(found[k], raw + start, slen) == 0;
        if (dup)
            continue;
        found[nfound] = (const char *)raw + start;
        found_len[nfound++] = slen;
    }
    unsigned quoted = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < nfound && quoted < LL_KERAS_MAX_BYTECODE_NAMES; k++) {
            bool loud = loud_name(found[k], found_len[k]);
            if ((pass == 0) != loud)
                continue;
            ll_buf_printf(names, "%s%.*s", quoted ? ", " : "", (int)found_len[k], found[k]);
            quoted++;
        }
    free(raw);
    return n;
}

static void report_lambda(Scan *s, size_t fi, const char *layer, const char *key,
                          const char *bytecode)
{
    LLBuf names;
    ll_buf_init(&names);
    size_t nbytes = bytecode ? bytecode_names(bytecode, &names) : 0;
    char layer_part[160];
    if (layer)
        snprintf(layer_part, sizeof layer_part, "Lambda layer `%.100s`", layer);
    else
        snprintf(layer_part, sizeof layer_part, "a Lambda function");
    report(s, fi, ART_CHECK_KERAS_LAMBDA, LL_SEV_ERROR, LL_ART_MALICIOUS, "Lambda",
           "%s holds marshalled Python bytecode in `%s` (%zu bytes%s%s); Keras unmarshals and "
           "runs it when the model is loaded or called (CVE-2024-3660), with safe_mode only "
           "blocking it for .keras files",
           layer_part, key, nbytes, names.len ? "; names in it: " : "", names.data);
    ll_buf_release(&names);
}

/* The bytecode string of a serialized lambda value, if it is one: the list
 * [code, defaults, closure], {"class_name": "__tuple__", "items": [...]},
 * {"class_name": "__lambda__", "config": {"code": ...} or {"value": ...}}.
 * *is_lambda says whether the value is a serialized lambda at all. */
static const char *lambda_bytecode(const cJSON *v, bool list_is_code, bool *is_lambda)
{
    *is_lambda = false;
    if (cJSON_IsArray(v)) {
        if (cJSON_IsString(v->child) && list_is_code) {
            *is_lambda = true;
            return v->child->valuestring;
        }
        return NULL;
    }
    if (!cJSON_IsObject(v))
        return NULL;
    const char *cls = member_str(v, "class_name");
    if (!cls)
        return NULL;
    if (strcmp(cls, "__tuple__") == 0) {
        const cJSON *items = member(v, "items");
        if (!items) {
            const cJSON *cfg = member(v, "config");
            items = member(cfg, "value");
        }
        if (cJSON_IsArray(items) && cJSON_IsString(items->child) && list_is_code) {
            *is_lambda = true;
            return items->child->valuestring;
        }
        return NULL;
    }
    if (strcmp(cls, "__lambda__") == 0) {
        *is_lambda = true;
        const cJSON *cfg = member(v, "config");
        const char *code = member_str(cfg, "code");
        if (code)
            return code;
        const cJSON *val = member(cfg, "value");
        bool inner;
        if (cJSON_IsString(val))
            return val->valuestring;
        return lambda_bytecode(val, true, &inner);
    }
    return NULL;
}

/* A Lambda layer's function, output_shape and mask. */
static void check_lambda(Scan *s, size_t fi, const cJSON *cfg)
{
    static const char *const keys[][3] = {
        {"function", "function_type", "module"},
        {"output_shape", "output_shape_type", "output_shape_module"},
        {"mask", "mask_type", "mask_module"},
    };
    const char *layer = member_str(cfg, "name");
    for (size_t k = 0; k < 3; k++) {
        const cJSON *v = member(cfg, keys[k][0]);
        if (!v)
            continue;
        const char *type = member_str(cfg, keys[k][1]);
        bool typed_lambda = type && strcmp(type, "lambda") == 0;
        bool list_is_code = k == 0 || typed_lambda;
        bool is_lambda = false;
        const char *code = lambda_bytecode(v, list_is_code, &is_lambda);
        if (!is_lambda && cJSON_IsString(v) && typed_lambda) {
            is_lambda = true;
            code = v->valuestring;
        }
        if (is_lambda) {
            report_lambda(s, fi, layer, keys[k][0], code);
            continue;
        }
        if (k == 0 && cJSON_IsString(v) && v->valuestring[0]) {
            /* a named function: Keras 2 looks it up in `module` */
            const char *module = member_str(cfg, keys[k][2]);
            if (module && module[0]) {
                char *t = join_target(module, v->valuestring);
                check_target(s, fi, t, "Lambda function");
                free(t);
            }
        }
    }
}

static void check_shared(Scan *s, size_t fi, const cJSON *sid, const char *target)
{
    double id = sid->valuedouble;
    intptr_t at;
    if (ll_strmap_get(&s->shared_index, (const char *)&sid->valuedouble, sizeof(double), &at)) {
        const Shared *first = &s->shared.items[at];
        if (strcmp(first->target, target) != 0)
            report(s, fi, ART_CHECK_KERAS_SHARED_MISMATCH, LL_SEV_WARNING, LL_ART_SUSPICIOUS,
                   target,
                   "shared_object_id %.0f is `%s` here but `%s` where it first appears; Keras "
                   "builds the first and reuses it, so this entry does not say what is loaded",
                   id, target, first->target);
        return;
    }
    if (s->shared.len >= LL_KERAS_MAX_SHARED) {
        if (!s->shared_limit) {
            s->shared_limit = true;
            report(s, fi, ART_CHECK_LIMIT, LL_SEV_NOTE, LL_ART_SAFE, NULL,
                   "more than LL_KERAS_MAX_SHARED (%u) shared objects; later ones are not "
                   "compared",
                   LL_KERAS_MAX_SHARED);
        }
        return;
    }
    Shared sh = {id, target};
    LL_VEC_PUSH(&s->shared, sh);
    ll_strmap_put(&s->shared_index, (const char *)&sid->valuedouble, sizeof(double),
                  (intptr_t)(s->shared.len - 1));
}

static void check_object(Scan *s, size_t fi)
{
    const cJSON *o = s->frames.items[fi].node;
    const char *cls = member_str(o, "class_name");
    if (!cls)
        return;
    const char *module = member_str(o, "module");
    if (module && !module[0])
        module = NULL;
    const char *reg = member_str(o, "registered_name");
    const cJSON *cfg = member(o, "config");
    size_t clen = strlen(cls);

    if (clen >= 4 && cls[0] == '_' && cls[1] == '_' && cls[clen - 1] == '_' &&
        cls[clen - 2] == '_') {
        bool is_lambda;
        if (strcmp(cls, "__lambda__") == 0 && !lambda_layer_field(s, fi)) {
            const char *code = lambda_bytecode(o, true, &is_lambda);
            report_lambda(s, fi, NULL, "__lambda__", code);
        }
        return; /* other markers (__tuple__, __numpy__, ...) are data */
    }

    if (strcmp(cls, "function") == 0 && cJSON_IsString(cfg)) {
        if (module) {
            char *t = join_target(module, cfg->valuestring);
            LLKerasTarget k = check_target(s, fi, t, "function");
            free(t);
            if (k == LL_KERAS_TARGET_ALLOWED && reg)
                check_registered(s, fi, reg);
        } else if (reg) {
            check_registered(s, fi, reg);
        }
        return;
    }

    const cJSON *sid = member(o, "shared_object_id");
    char *target = join_target(module, cls);
    if (cJSON_IsNumber(sid))
        check_shared(s, fi, sid, cls);
    if (module) {
        LLKerasTarget k = check_target(s, fi, target, "class");
        if (k == LL_KERAS_TARGET_ALLOWED && reg)
            check_registered(s, fi, reg);
    } else if (reg && strchr(reg, '>')) {
        check_registered(s, fi, reg);
    } else if (strchr(cls, '>')) {
        check_registered(s, fi, cls);
    } else if (!policy_builtin_class(s->pol, cls)) {
        report(s, fi, ART_CHECK_KERAS_CUSTOM, LL_SEV_WARNING, LL_ART_SUSPICIOUS, cls,
               "the config uses the class `%s`, which is not a Keras built-in: loading needs "
               "custom code for it (custom object)",
               cls);
    }
    free(target);

    if (!cJSON_IsObject(cfg))
        return;
    if (strcmp(cls, "Lambda") == 0) {
        check_lambda(s, fi, cfg);
        return;
    }
    if (strcmp(cls, "TFOpLambda") == 0 || strcmp(cls, "SlicingOpLambda") == 0) {
        const char *fn = member_str(cfg, "function");
        if (fn && fn[0]) {
            char *t = join_target("tensorflow", fn);
            check_target(s, fi, t, "TensorFlow function");
            free(t);
        }
        return;
    }
    if (strcmp(cls, "TensorFlowOpLayer") == 0) {
        const char *op = member_str(member(cfg, "node_def"), "op");
        const LLTfOpInfo *info = op ? ll_art_savedmodel_op(op, strlen(op)) : NULL;
        if (info && !info->literal_only)
            report(s, fi, info->check, info->severity, info->verdict, op,
                   "TensorFlowOpLayer `%s` runs the TensorFlow op `%s`, which %s",
                   member_str(cfg, "name") ? member_str(cfg, "name") : "?", op, info->what);
        return;
    }
    for (size_t i = 0; i < s->pol->savedmodel_layers.len; i++) {
        const PolicyEntry *e = &s->pol->savedmodel_layers.items[i];
        if (strcmp(e->name, cls) != 0)
            continue;
        const char *path = member_str(cfg, e->value);
        report(s, fi, ART_CHECK_KERAS_SAVEDMODEL_LAYER, LL_SEV_WARNING, LL_ART_SUSPICIOUS,
               path ? path : cls,
               "`%s` loads the TensorFlow SavedModel `%s` when the model loads; its graph runs "
               "with the model and safe_mode does not cover it (CVE-2026-1462)",
               cls, path ? path : "(no path)");
    }
    for (size_t i = 0; i < s->pol->file_args.len; i++) {
        const PolicyEntry *e = &s->pol->file_args.items[i];
        if (strcmp(e->name, cls) != 0)
            continue;
        const char *path = member_str(cfg, e->value);
        if (path && path[0])
            report(s, fi, ART_CHECK_KERAS_FILE_REF, LL_SEV_WARNING, LL_ART_SUSPICIOUS, path,
                   "`%s` reads its `%s` from the file `%s` when the model loads, even with "
                   "safe_mode=True (GHSA-qg93-c7p6-gg7f)",
                   cls, e->value, path);
    }
}

/* A string naming a safe-mode toggle (as an argument to a gadget). */
static void check_string(Scan *s, size_t fi)
{
    const cJSON *n = s->frames.items[fi].node;
    if (s->toggle_seen || !n->valuestring)
        return;
    const char *v = n->valuestring;
    bool hit = strcmp(v, "safe_mode_saving") == 0;
    for (size_t i = 0; i < s->pol->toggles.len && !hit; i++) {
        const char *name = s->pol->toggles.items[i].name;
        const char *last = strrchr(name, '.');
        last = last ? last + 1 : name;
        hit = strcmp(v, last) == 0 || strcmp(v, name) == 0;
    }
    if (!hit)
        return;
    s->toggle_seen = true;
    report(s, fi, ART_CHECK_KERAS_UNSAFE_TOGGLE, LL_SEV_ERROR, LL_ART_MALICIOUS, v,
           "the config holds `%s`, a name used to switch Keras safe mode off from inside a "
           "config (CVE-2025-9906)",
           v);
}

static void walk(Scan *s, const cJSON *root)
{
    LL_VEC(size_t) stack = {0};
    Frame rf = {root, SIZE_MAX, 0};
    LL_VEC_PUSH(&s->frames, rf);
    LL_VEC_PUSH(&stack, (size_t)0);
    while (stack.len && !s->stopped) {
        size_t fi = stack.items[--stack.len];
        const cJSON *n = s->frames.items[fi].node;
        if (cJSON_IsObject(n))
            check_object(s, fi);
        else if (cJSON_IsString(n))
            check_string(s, fi);
        if (!cJSON_IsObject(n) && !cJSON_IsArray(n))
            continue;
        /* push the children last-first so they are visited in order */
        size_t first = s->frames.len;
        int idx = 0;
        for (const cJSON *c = n->child; c; c = c->next, idx++) {
            Frame f = {c, fi, idx};
            LL_VEC_PUSH(&s->frames, f);
        }
        for (size_t k = s->frames.len; k > first; k--)
            LL_VEC_PUSH(&stack, k - 1);
    }
    LL_VEC_FREE(&stack);
}

void ll_art_keras_scan_text(const LLArtKerasOptions *o, const char *text, size_t len,
                            uint64_t base_offset, const char *what, const LLArtLoc *where,
                            LLArtResult *out)
{
    if (!text)
        text = "";
    LLArtLoc loc;
    memset(&loc, 0, sizeof loc);
    if (where) {
        loc.nmembers = where->nmembers;
        for (uint32_t m = 0; m < loc.nmembers && m < LL_ART_MAX_NESTING; m++)
            loc.members[m] = where->members[m];
    }
    loc.offset = base_offset;
    loc.length = len;
    if (!o || !o->policy) {
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%s: not analysed (internal: no Keras policy given)", what);
        return;
    }
    if (len > LL_KERAS_MAX_CONFIG_BYTES) {
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%s: larger than LL_KERAS_MAX_CONFIG_BYTES (%u bytes); not analysed", what,
                   LL_KERAS_MAX_CONFIG_BYTES);
        return;
    }
    size_t bad = 0;
    const char *why = NULL;
    bool is_limit = false;
    char *copy = ll_art_keras_json_prepare(text, len, LL_KERAS_MAX_JSON_DEPTH, &bad, &why,
                                           &is_limit);
    if (!copy) {
        loc.offset = base_offset + bad;
        loc.length = bad < len ? 1 : 0;
        if (is_limit)
            ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                       "%s: JSON nested deeper than LL_KERAS_MAX_JSON_DEPTH (%u) at byte %zu; "
                       "not analysed",
                       what, LL_KERAS_MAX_JSON_DEPTH, bad);
        else
            ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                       "%s: %s at byte %zu; not analysed", what, why, bad);
        return;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, true);
    if (!root) {
        size_t off = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : 0;
        loc.offset = base_offset + off;
        loc.length = off < len ? 1 : 0;
        ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%s: not valid JSON (error at byte %zu); not analysed", what, off);
        free(copy);
        return;
    }
    Scan s;
    memset(&s, 0, sizeof s);
    s.pol = o->policy;
    s.text = copy;
    s.len = len;
    s.base = base_offset;
    s.what = what;
    s.where = where;
    s.out = out;
    ll_strmap_init(&s.shared_index);
    walk(&s, root);
    LL_VEC_FREE(&s.frames);
    LL_VEC_FREE(&s.shared);
    ll_strmap_release(&s.shared_index);
    cJSON_Delete(root);
    free(copy);
    if (out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}

void ll_art_keras_scan(const LLArtKerasOptions *o, const uint8_t *data, size_t len,
                       const LLArtLoc *where, LLArtResult *out)
{
    if (!data)
        data = (const uint8_t *)""; /* an empty input may come as NULL */
    if (!out->format)
        out->format = "keras-config";
    size_t skip = len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
    ll_art_keras_scan_text(o, (const char *)data + skip, len - skip, skip, "config.json", where,
                           out);
}
