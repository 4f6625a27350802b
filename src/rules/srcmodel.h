/* srcmodel.h - the model of untrusted data, loaded from data files.
 *
 * Where untrusted data enters a program, and how it moves through calls
 * that keep it, is data in the files of rules/sources/ (and in any file of a
 * --rules / `rules = [...]` directory), not C code: files with
 * "kind": "sources" (docs/rule-format.md, "Source files"). One model feeds
 * both the data-flow search (engine/flow.c, engine/sources.c) and the
 * pre-filter (ll_srcmodel_prefilter), so a source can never be known to one
 * and forgotten by the other.
 *
 *   names           canonical names whose value (or any attribute, item or
 *                   call result of it) is untrusted: "sys.argv",
 *                   "flask.request", "requests.get()"
 *   parameters      function parameters that are untrusted when the
 *                   function fits: decorated by a route, in a class with a
 *                   given base, annotated with a request type... (every
 *                   condition given must hold; patterns are name globs)
 *   self_attributes self.<attr> in classes with a given base
 *   propagators     functions whose result carries their arguments' data
 *   propagating_methods  methods whose result carries the receiver's data
 *   module_loaders  calls returning the module their string argument names
 *                   (importlib.import_module, keras' LazyModule)
 *   write_methods, fillers  calls that put data into their object
 *                   (f.write(d)) or into a later argument
 *                   (urlretrieve(url, dst))
 *
 *
 * and what makes a load harmless or checked (the issue of trusted findings):
 *   producers       calls whose result is data this code serialised itself
 *                   (pickle.dumps): loading it back is a round trip
 *   private_names, private_parameters, private_self_attributes
 *                   a file, directory or buffer no one else can predict
 *                   (tempfile.mkdtemp(), io.BytesIO(), pytest's tmp_path)
 *   private_writers calls that write such a name with data this code
 *                   holds (pickle.dump(obj, f), torch.save(sd, path),
 *                   model.save_pretrained(dir)); a private name counts as
 *                   self-produced only when one of them wrote it first
 *   digests, digest_methods, digest_comparators, signature_methods,
 *   same_bytes      a digest of the very bytes that are loaded compared
 *                   with a constant (hashlib.sha256(data).hexdigest() ==
 *                   EXPECTED, hmac.compare_digest), or a signature check
 *                   of them (key.verify(sig, data)); same_bytes are the
 *                   wrappers that keep those bytes (io.BytesIO(data))
 *   loader_apis     names of functions that exist to deserialize what their
 *                   caller passes (load*, *loads, __setstate__): a loader
 *                   with no safe mode fed straight from their parameter is
 *                   a note there, its callers are graded instead
 *   movers          calls that move a file into place (os.rename(src, dst)):
 *                   what was written to src counts as written to dst
 *   shared_locations  places other users share (tempfile.gettempdir, and
 *                   path prefixes such as "/tmp/"): a file there is never
 *                   this code's own (no cache, no round trip)
 *   remote_inputs   loader arguments whose constant value names remote
 *                   content (a Hub repository id, a URL): untrusted
 *   pins            arguments that pin or verify what a call fetches
 *                   (revision=<40-hex commit>, check_hash=True)
 *
 * Name globs (ll_srcmodel_glob): `*` matches any run of characters
 * (dots and "()" included), `{a,b,c}` one of the alternatives; everything
 * else matches itself. "fastapi.*.{get,post}" matches
 * "fastapi.FastAPI().get".
 *
 * Ownership: the model owns every string; it is filled while rules load and
 * read-only afterwards (shared by all workers). */
#ifndef LL_SRCMODEL_H
#define LL_SRCMODEL_H
#include "base/nameset.h"
#include "base/strlist.h"
#include "base/strmap.h"
#include "base/vec.h"
#include "rules/jsonrd.h"

#include <stdbool.h>
#include <stdint.h>

/* Parameter indexes one entry may list. */
#define LL_MAX_PARAM_INDEXES 8u

typedef enum LLParamScope {
    LL_PARAM_ANY = 0,
    LL_PARAM_FUNCTION, /* a function at module level */
    LL_PARAM_METHOD,   /* a method of a class */
} LLParamScope;

typedef struct LLParamSource {
    char *what; /* how messages name the source: "web route parameter" */
    LLStrList decorators;       /* the function has a decorator matching one */
    LLStrList class_decorators; /* its class has a decorator matching one */
    LLStrList class_bases;      /* its class has a base matching one */
    LLStrList module_imports;   /* its module imports a name matching one */
    LLStrList functions;        /* its own name matches one */
    LLStrList annotations;      /* the parameter's annotation matches one */
    LLStrList params;           /* the parameter's name is one of these */
    int indexes[LL_MAX_PARAM_INDEXES]; /* its position (self not counted) */
    uint32_t nindexes;
    LLParamScope scope;
} LLParamSource;

typedef struct LLSelfSource {
    char *what;
    LLStrList class_bases; /* the class has a base matching one */
    LLStrList attributes;  /* self.<one of these> (or a call of it) */
} LLSelfSource;

typedef enum LLArgTest {
    LL_ARGTEST_TRUE,     /* the literal True */
    LL_ARGTEST_CONSTANT, /* a literal other than None and False */
    LL_ARGTEST_MATCHES,  /* a string literal the regex matches */
} LLArgTest;

/* One argument of the calls matching `calls`, and what it must be. */
typedef struct LLArgCheck {
    LLStrList calls; /* name globs (expanded) */
    int position;    /* -1: by keyword only */
    char *keyword;   /* NULL: by position only */
    LLArgTest test;
    char *regex;     /* LL_ARGTEST_MATCHES: the pattern's text */
    void *re;        /* its compiled form (pcre2_code *) */
    char *says;      /* pins: how messages say it; remote_inputs: what the
                      * argument names ("Hugging Face Hub repository") */
} LLArgCheck;

typedef struct LLSourceModel {
    LLStrList names;
    LL_VEC(LLParamSource) params;
    LL_VEC(LLSelfSource) selfs;
    LLStrList propagators, propagating_methods, write_methods, fillers;
    /* calls that return the module named by their first (string) argument:
     * importlib.import_module("yaml"), LazyModule("tensorflow") */
    LLStrList module_loaders;
    /* "kind": "reexports" files: modules of other libraries that are (or
     * re-export) a loader module ("six.moves.cPickle" -> "pickle") */
    LLStrList reexport_from, reexport_to;
    LLStrMap reexports; /* from -> index + 1 (keys in reexport_from) */
    LLIdentSet reexport_prefixes; /* every dotted prefix of the keys (nameset.h) */
    /* round trips and checks (see the top of this file) */
    LLStrList producers, private_names, private_writers;
    LL_VEC(LLParamSource) private_params;
    LL_VEC(LLSelfSource) private_selfs;
    LLStrList digests, digest_methods, digest_comparators, signature_methods, same_bytes;
    LLStrList loader_apis, shared_locations, movers;
    LL_VEC(LLArgCheck) remote_inputs, pins;
    LLStrList files; /* the data files loaded, in order */
} LLSourceModel;

/* What a file must hold to contain a source of the model: one of `names`
 * (dotted names, every segment an identifier of the file: base/nameset.h)
 * or one of `literals` (plain substrings of its text, for patterns whose
 * fixed part is not a whole identifier, like "*_pb2_grpc.*Servicer"). */
typedef struct LLSourcePrefilter {
    LLStrList names;
    LLStrList literals;
} LLSourcePrefilter;

void ll_srcmodel_init(LLSourceModel *m);
void ll_srcmodel_free(LLSourceModel *m);
/* Adds one "kind": "sources" file (already parsed; errors located through
 * the ctx). Nothing of a file that fails is added. */
LLStatus ll_srcmodel_add(LLSourceModel *m, LLJsonCtx *c, const cJSON *root);
/* Adds one "kind": "reexports" file ({"modules": {"from": "to", ...}}). */
LLStatus ll_srcmodel_add_reexports(LLSourceModel *m, LLJsonCtx *c, const cJSON *root);
/* The module `name` re-exports (through the longest re-exporting prefix),
 * written to buf: "six.moves.cPickle.loads" -> "pickle.loads". */
bool ll_srcmodel_reexport(const LLSourceModel *m, const char *name, char *buf, size_t bufsz);
/* Appends copies of everything in `src` to `dst`. */
void ll_srcmodel_merge(LLSourceModel *dst, const LLSourceModel *src);
/* The pre-filter's view of the model (caller frees with
 * ll_srcmodel_prefilter_free). */
void ll_srcmodel_prefilter(const LLSourceModel *m, LLSourcePrefilter *out);
/* Its part for the sources that are parameters or attributes of `self`
 * (web handlers, servicers: their conditions, such as a module import,
 * need not be named by the function they apply to). */
void ll_srcmodel_prefilter_params(const LLSourceModel *m, LLSourcePrefilter *out);
void ll_srcmodel_prefilter_free(LLSourcePrefilter *p);
/* Whether `name` matches the glob `pattern` (see the top of this file). */
bool ll_srcmodel_glob(const char *pattern, const char *name);
bool ll_srcmodel_glob_any(const LLStrList *patterns, const char *name);

#endif
