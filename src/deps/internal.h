/* internal.h - helpers shared by the dependency-file readers of src/deps/
 * (not for use outside it).
 *
 * Ownership: as deps.h; the strings passed in are copied. */
#ifndef LL_DEPS_INTERNAL_H
#define LL_DEPS_INTERNAL_H
#include "config/toml.h"
#include "deps/deps.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends a diagnostic (past LL_DEPS_MAX_DIAGS_PER_FILE in the list, one
 * last diagnostic says that more were left out). */
void ll_deps__diag(LLDepList *l, const char *file, unsigned line, unsigned col, LLSeverity sev,
                   LLStatus st, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Appends a statement with these fields (name normalised here; versions
 * moved from *versions, which is left empty; text/marker/group copied,
 * NULL allowed) and returns it. */
LLDep *ll_deps__add(LLDepList *l, const char *name, size_t name_len, LLVerSet *versions, bool known,
                    LLDepSource src, LLDepFormat fmt, const char *file, unsigned line, unsigned col,
                    const char *text, const char *marker, const char *group);
/* Drops the statements from index `n` on. */
void ll_deps__truncate(LLDepList *l, size_t n);
/* 1 + the code points of s[0..n): the column after n bytes of a line. */
unsigned ll_deps__col(const char *s, size_t n);
/* Line and column of byte `off` of text (1-based, columns in code points). */
void ll_deps__linecol(const char *text, size_t len, size_t off, unsigned *line, unsigned *col);

/* Parses a TOML file; on error a diagnostic, and NULL. */
LLTomlDoc *ll_deps__toml(LLDepList *out, const char *path, const char *text, size_t len,
                         LLStatus *st);
/* A diagnostic from a TOML type check (ll_toml_want... err). */
void ll_deps__toml_diag(LLDepList *out, const LLError *err, LLSeverity sev);

/* A PEP 508 string s[0..len) written at line:col (col of its first
 * character) of `file`: a statement, or an error diagnostic at the
 * offending character. */
void ll_deps__add_pep508(LLDepList *out, const char *file, unsigned line, unsigned col,
                         const char *s, size_t len, LLDepFormat fmt, const char *group);

/* Requirement lines that are not in a file of their own (an
 * environment.yml's pip: list): each is read as one line of a
 * requirements file whose includes start at `path`'s directory. */
typedef struct LLDepsLine {
    const char *text;
    size_t len;
    unsigned line, col; /* of text[0] */
} LLDepsLine;
void ll_deps__requirement_lines(LLDepList *out, const char *path, const LLDepsLine *lines, size_t n,
                                LLDepFormat fmt, const LLDepsReader *rd);

/* [[package]] name/version of a TOML lock file (poetrylock.c): locked
 * statements; a missing version is an error unless `version_optional`
 * (then the package is read without a version). */
void ll_deps__lock_packages(LLDepList *out, const char *path, LLTomlDoc *doc, LLDepFormat fmt,
                            bool version_optional);

/* dir of `path` joined with `rel` (rel when absolute), lexically
 * normalised ("a/b/../c" is "a/c"; a relative path stays relative).
 * malloc'd. */
char *ll_deps__resolve(const char *path, const char *rel);

#endif
