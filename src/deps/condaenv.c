/* condaenv.c - conda environment files (deps.h): environment.yml's
 * `dependencies:` list of match specs (constraint.h), and its nested
 * `- pip:` list, whose items are requirements-file lines (PEP 508, or
 * options such as -r relative to the environment file).
 *
 * Read with libyaml's event API (yaml_parser_parse): no document tree is
 * built and aliases are never expanded. libyaml's own parser keeps its
 * state on heap stacks without a nesting limit, so this reader bounds the
 * nesting it accepts (LL_DEPS_MAX_YAML_DEPTH) and stops pulling events
 * past it; a simple key's lookahead is bounded by libyaml (1024
 * characters). Only the first document of a stream is read. */
#include "deps/constraint.h"
#include "deps/deps.h"
#include "deps/internal.h"

#include "base/buf.h"
#include "base/mem.h"
#include "base/text.h"
#include "base/vec.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef enum Role {
    R_ROOT,    /* the top mapping */
    R_DEPS,    /* dependencies: [...] */
    R_DEPMAP,  /* a mapping in dependencies (- pip: [...]) */
    R_PIP,     /* pip: [...] */
    R_OTHER,   /* anything else: skipped */
} Role;

typedef struct Frame {
    bool map;
    bool want_key;
    Role role;
    char *key; /* a mapping's current key */
} Frame;

typedef struct Ctx {
    LLDepList *out;
    const char *path;
    Frame stack[LL_DEPS_MAX_YAML_DEPTH + 1];
    size_t depth;
    LL_VEC(LLDepsLine) pip;
    LL_VEC(char *) pip_text;
    bool unknown_key_noted;
} Ctx;

/* Position of a scalar's first character (after its quote). */
static void scalar_pos(const yaml_event_t *ev, unsigned *line, unsigned *col)
{
    *line = (unsigned)ev->start_mark.line + 1;
    *col = (unsigned)ev->start_mark.column + 1;
    yaml_scalar_style_t st = ev->data.scalar.style;
    if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        (*col)++;
    else if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) {
        (*line)++; /* block scalars start on the next line */
        *col = 1;
    }
}

static void diag_mark(Ctx *c, yaml_mark_t m, LLSeverity sev, LLStatus st, const char *msg)
{
    ll_deps__diag(c->out, c->path, (unsigned)m.line + 1, (unsigned)m.column + 1, sev, st, "%s", msg);
}

static const char *key_of(const Frame *f)
{
    return f->key ? f->key : "";
}

static void match_spec(Ctx *c, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    unsigned line, col;
    scalar_pos(ev, &line, &col);
    LLCondaSpec spec;
    memset(&spec, 0, sizeof spec);
    LLVerError verr;
    memset(&verr, 0, sizeof verr);
    if (memchr(s, '\0', n)) {
        ll_deps__diag(c->out, c->path, line, col, LL_SEV_ERROR, LL_ERR_CONFIG, "match spec contains a NUL");
        return;
    }
    LLStatus st = ll_conda_spec_parse(s, n, &spec, &verr);
    if (st != LL_OK) {
        ll_deps__diag(c->out, c->path, line,
                      col + (unsigned)ll_utf8_count(s, verr.offset < n ? verr.offset : n), LL_SEV_ERROR, st,
                      "%s in match spec \"%.*s\"", verr.msg, (int)(n > 200 ? 200 : n), s);
        return;
    }
    size_t nb = 0;
    while (nb < n && (s[nb] == ' ' || s[nb] == '\t'))
        nb++;
    /* the text: what follows the name, as written ("=2.4", ">=1.24,<2") */
    size_t tb = spec.name_end, te = n;
    while (tb < te && (s[tb] == ' ' || s[tb] == '\t'))
        tb++;
    while (te > tb && (s[te - 1] == ' ' || s[te - 1] == '\t'))
        te--;
    char *text = ll_xstrndup(s + tb, te - tb);
    if (!spec.pep440)
        ll_deps__diag(c->out, c->path, line,
                      col + (unsigned)ll_utf8_count(s, spec.problem_off < n ? spec.problem_off : n), LL_SEV_NOTE,
                      LL_ERR_CONFIG, "%s: the versions of %s are not compared", spec.problem, spec.name);
    ll_deps__add(c->out, spec.name, strlen(spec.name), &spec.versions, spec.pep440, LL_DEPSRC_DECLARED,
                 LL_DEPFMT_CONDA, c->path, line, col + (unsigned)nb, text, NULL, NULL);
    free(text);
    ll_conda_spec_free(&spec);
}

static void pip_line(Ctx *c, const yaml_event_t *ev)
{
    unsigned line, col;
    scalar_pos(ev, &line, &col);
    char *copy = ll_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    LL_VEC_PUSH(&c->pip_text, copy);
    LLDepsLine l = {copy, ev->data.scalar.length, line, col};
    if (memchr(copy, '\0', l.len)) { /* cut at a NUL: the requirement reader reports the rest */
        l.len = strlen(copy);
    }
    LL_VEC_PUSH(&c->pip, l);
}

/* The role of a new collection (map or not) given its parent. */
static Role child_role(Ctx *c, bool map, const yaml_event_t *ev)
{
    if (!c->depth) {
        if (!map)
            diag_mark(c, ev->start_mark, LL_SEV_ERROR, LL_ERR_CONFIG,
                      "an environment file is a mapping (name:, channels:, dependencies:)");
        return map ? R_ROOT : R_OTHER;
    }
    Frame *p = &c->stack[c->depth - 1];
    if (p->role == R_ROOT && strcmp(key_of(p), "dependencies") == 0) {
        if (map) {
            diag_mark(c, ev->start_mark, LL_SEV_ERROR, LL_ERR_CONFIG, "dependencies: expected a list");
            return R_OTHER;
        }
        return R_DEPS;
    }
    if (p->role == R_DEPS) {
        if (!map) {
            diag_mark(c, ev->start_mark, LL_SEV_ERROR, LL_ERR_CONFIG,
                      "dependencies: a list inside the list is not a match spec");
            return R_OTHER;
        }
        return R_DEPMAP;
    }
    if (p->role == R_DEPMAP && strcmp(key_of(p), "pip") == 0) {
        if (map) {
            diag_mark(c, ev->start_mark, LL_SEV_ERROR, LL_ERR_CONFIG, "pip: expected a list of requirements");
            return R_OTHER;
        }
        return R_PIP;
    }
    return R_OTHER;
}

static void scalar(Ctx *c, const yaml_event_t *ev)
{
    if (!c->depth)
        return; /* a document that is one scalar: nothing to read */
    Frame *f = &c->stack[c->depth - 1];
    const char *s = (const char *)ev->data.scalar.value;
    if (f->map && f->want_key) {
        free(f->key);
        f->key = ll_xstrndup(s, ev->data.scalar.length);
        f->want_key = false;
        if (f->role == R_DEPMAP && strcmp(f->key, "pip") != 0 && !c->unknown_key_noted) {
            diag_mark(c, ev->start_mark, LL_SEV_WARNING, LL_ERR_CONFIG,
                      "dependencies: only \"pip:\" lists are read inside the list");
            c->unknown_key_noted = true;
        }
        return;
    }
    if (f->map) {
        f->want_key = true;
        if (f->role == R_ROOT && strcmp(key_of(f), "dependencies") == 0 && ev->data.scalar.length &&
            !(ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(s, "~") == 0) &&
            !(ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(s, "null") == 0))
            diag_mark(c, ev->start_mark, LL_SEV_ERROR, LL_ERR_CONFIG, "dependencies: expected a list");
        if (f->role == R_DEPMAP && strcmp(key_of(f), "pip") == 0 && ev->data.scalar.length)
            diag_mark(c, ev->start_mark, LL_SEV_ERROR, LL_ERR_CONFIG, "pip: expected a list of requirements");
        return;
    }
    if (f->role == R_DEPS)
        match_spec(c, ev);
    else if (f->role == R_PIP)
        pip_line(c, ev);
}

LLStatus ll_deps_parse_conda_env(LLDepList *out, const char *path, const char *text, size_t len,
                                 const LLDepsReader *rd)
{
    Ctx *c = ll_xcalloc(1, sizeof *c);
    c->out = out;
    c->path = path;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        ll_deps__diag(out, path, 0, 0, LL_SEV_ERROR, LL_ERR_IO, "cannot start the YAML parser");
        free(c);
        return LL_ERR_IO;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    size_t first_dep = out->deps.len; /* a file that cannot be read whole gives no statement */
    LLStatus st = LL_OK;
    unsigned docs = 0;
    bool done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            char msg[512];
            snprintf(msg, sizeof msg, "YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
                     parser.context ? " " : "", parser.context ? parser.context : "");
            ll_deps__diag(out, path, (unsigned)parser.problem_mark.line + 1,
                          (unsigned)parser.problem_mark.column + 1, LL_SEV_ERROR, LL_ERR_CONFIG, "%s", msg);
            st = LL_ERR_CONFIG;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                diag_mark(c, ev.start_mark, LL_SEV_WARNING, LL_ERR_CONFIG,
                          "only the first YAML document of an environment file is read");
                done = true;
            }
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT: {
            bool map = ev.type == YAML_MAPPING_START_EVENT;
            if (c->depth >= LL_DEPS_MAX_YAML_DEPTH) {
                char msg[160];
                snprintf(msg, sizeof msg, "YAML nested deeper than LL_DEPS_MAX_YAML_DEPTH (%u): not read further",
                         LL_DEPS_MAX_YAML_DEPTH);
                diag_mark(c, ev.start_mark, LL_SEV_ERROR, LL_ERR_LIMIT, msg);
                st = LL_ERR_LIMIT;
                done = true;
                break;
            }
            Role role = child_role(c, map, &ev);
            if (c->depth && c->stack[c->depth - 1].map)
                c->stack[c->depth - 1].want_key = true; /* the collection was the value */
            Frame *f = &c->stack[c->depth++];
            memset(f, 0, sizeof *f);
            f->map = map;
            f->want_key = map;
            f->role = role;
            break;
        }
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (c->depth) {
                free(c->stack[c->depth - 1].key);
                c->stack[c->depth - 1].key = NULL;
                c->depth--;
            }
            break;
        case YAML_SCALAR_EVENT:
            scalar(c, &ev);
            break;
        case YAML_ALIAS_EVENT:
            if (c->depth) {
                Frame *f = &c->stack[c->depth - 1];
                if (f->role == R_DEPS || f->role == R_PIP)
                    diag_mark(c, ev.start_mark, LL_SEV_WARNING, LL_ERR_CONFIG,
                              "a YAML alias in a dependency list is not followed");
                if (f->map)
                    f->want_key = !f->want_key;
            }
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < c->depth; i++)
        free(c->stack[i].key);
    if (st != LL_OK)
        ll_deps__truncate(out, first_dep);
    if (c->pip.len && st == LL_OK)
        ll_deps__requirement_lines(out, path, c->pip.items, c->pip.len, LL_DEPFMT_CONDA, rd);
    for (size_t i = 0; i < c->pip_text.len; i++)
        free(c->pip_text.items[i]);
    LL_VEC_FREE(&c->pip_text);
    LL_VEC_FREE(&c->pip);
    free(c);
    return st;
}
