/* constraint.h - the other ways of saying which versions a project wants,
 * turned into version sets (pep440.h): PEP 508 requirement strings, conda
 * match specs, Poetry constraints; and PEP 503 package names.
 *
 * PEP 508 (ll_req_parse): `name [extras] (specifiers | (specifiers)) [; marker]`
 * and `name [extras] @ url [; marker]`. The marker is kept as text and not
 * evaluated. Errors carry the byte offset in the string.
 *
 * Conda match specs (ll_conda_spec_parse): `[channel[/subdir]::]name
 * [version [build]]`, the `=`-separated forms `name=version[=build]`, and
 * `name[version='...', build=...]` brackets. A version after `=` is fuzzy
 * (`pytorch=2.4` is 2.4.*) unless a build string follows
 * (`pytorch=2.4.0=py3.11_cuda12` is exactly 2.4.0); a bare version after a
 * space is exact (`numpy 1.8` is ==1.8). Version specs: `==`, `!=`, `<`,
 * `<=`, `>`, `>=`, `~=`, `=V` and `V*` / `V.*` (fuzzy), `*`, `,` (and),
 * `|` (or, binding looser than `,`) and parentheses (nesting bounded).
 * Conda orders versions its own way; its versions are read as PEP 440
 * versions (those of the packages loadlint asks about are), its `<`/`>`
 * compare in plain order (so `<2.6` includes 2.6rc1, as in conda). A
 * match spec whose version is not PEP 440 (1.1.1w, 9e) is read, with
 * `pep440` false and every version allowed; ll_conda_version_parse alone
 * calls that an error. Names may start or end with '_' (_libgcc_mutex).
 *
 * Poetry constraints (ll_poetry_parse): `^1.2.3` (>=1.2.3,<2.0.0; the first
 * non-zero part is kept: ^0.2.3 is <0.3.0, ^0.0.3 <0.0.4, ^0 <1), `~1.2.3`
 * (>=1.2.3,<1.3.0; ~1 is <2), `~=`, `1.2.*`, `*`, `x`, a bare version
 * (==), `=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=` with PEP 440 meaning,
 * `,` or spaces between (and), and `||` or `|` (or).
 *
 * Ownership: LLReq's strings are malloc'd and owned by it (ll_req_free);
 * the version sets written follow pep440.h's rules. No global state. */
#ifndef LL_DEPS_CONSTRAINT_H
#define LL_DEPS_CONSTRAINT_H
#include "base/buf.h"
#include "deps/pep440.h"

#include <stdbool.h>
#include <stddef.h>

/* Parentheses nested in one conda version spec. */
#define LL_CONDA_MAX_NESTING 32u
/* Bytes of one requirement string or match spec. */
#define LL_REQ_MAX_TEXT 8192u

/* ---- Package names (PEP 503) ----------------------------------------- */

/* A valid distribution name: ASCII letters and digits, with '.', '-', '_'
 * inside. */
bool ll_pkg_name_valid(const char *s, size_t len);
/* Appends the normalised name: lower case, each run of '-', '_', '.' as
 * one '-'. */
void ll_pkg_name_normalize(const char *s, size_t len, LLBuf *out);
/* The same, malloc'd. */
char *ll_pkg_name_dup(const char *s, size_t len);

/* ---- PEP 508 --------------------------------------------------------- */

typedef struct LLReq {
    char *name;        /* normalised */
    size_t name_off;   /* offsets in the parsed text */
    char *spec;        /* the specifier set as written (trimmed, no parentheses); "" when none */
    size_t spec_off;
    LLVerSet versions; /* what spec allows (every version when none) */
    char *url;         /* `name @ url`: the URL (versions is then every version) */
    char *marker;      /* text after ';', trimmed; NULL when none */
    char *extras;      /* "a,b" as written, NULL when none */
} LLReq;

/* Parses a PEP 508 requirement in s[0..len). On error `out` is released
 * and err has the offset. */
LLStatus ll_req_parse(const char *s, size_t len, LLReq *out, LLVerError *err);
void ll_req_free(LLReq *r);

/* ---- Conda ----------------------------------------------------------- */

typedef struct LLCondaSpec {
    char *name;        /* normalised */
    size_t name_end;   /* offset just after the name in the text (the version
                          and build as written follow) */
    char *channel;     /* "pytorch", "conda-forge/linux-64", NULL */
    char *version;     /* the version spec as given (after translation of the `=` forms), "" when none */
    char *build;       /* NULL when none */
    LLVerSet versions;  /* every version when !pep440 */
    size_t version_off; /* offset of the version spec in the text */
    bool pep440;        /* false: a version of the spec is not PEP 440
                           (openssl's 1.1.1w): valid for conda, but its
                           versions cannot be compared here */
    char *problem;      /* !pep440: why, at problem_off */
    size_t problem_off;
} LLCondaSpec;

LLStatus ll_conda_spec_parse(const char *s, size_t len, LLCondaSpec *out, LLVerError *err);
void ll_conda_spec_free(LLCondaSpec *c);
/* A conda version spec alone ("2.4.*", ">=1.8,<2|==1.7"): the set. */
LLStatus ll_conda_version_parse(const char *s, size_t len, LLVerSet *out, LLVerError *err);

/* ---- Poetry ---------------------------------------------------------- */

LLStatus ll_poetry_parse(const char *s, size_t len, LLVerSet *out, LLVerError *err);

#endif
