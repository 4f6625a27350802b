/* pickle.h - reads pickle streams without running them.
 *
 * A symbolic pickle machine: every opcode of Python 3.11's pickletools
 * table (protocols 0-5) is read and applied to an explicit stack, mark
 * stack and memo of symbolic values (strings and small containers are
 * tracked, the rest is "some object"). Nothing is imported or called; the
 * walk is a loop, never a recursion on the input's nesting.
 *
 * Every import the pickle makes is resolved to a full dotted name and
 * graded by the policy (pickle_policy.h):
 *   - GLOBAL and INST ("module\nname\n"), STACK_GLOBAL with its module and
 *     name taken from the stack, including strings reached through the memo
 *     (PUT/BINPUT/LONG_BINPUT/MEMOIZE then GET/BINGET/LONG_BINGET, with
 *     MEMOIZE's index being the memo's size, as CPython does);
 *   - protocol 4 qualified names ("os" "path.join" -> os.path.join), and
 *     Python 2 names as pickle's fix_imports maps them (__builtin__ ->
 *     builtins);
 *   - attribute chains built at load time: builtins.getattr(G, "x") is
 *     G.x, importlib.import_module("os") is os, pkgutil.resolve_name("a:b")
 *     is a.b; calling those results calls the resolved target.
 * What the pickle calls (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST, BUILD with a
 * __setstate__) marks the import as called; calling anything that is not an
 * imported global gives ART_CHECK_PICKLE_INDIRECT_CALL; a STACK_GLOBAL on
 * computed strings ART_CHECK_PICKLE_DYNAMIC_GLOBAL; EXT1/2/4
 * ART_CHECK_PICKLE_EXTENSION; BUILD, SETITEM(S), APPEND(S) or ADDITEMS on
 * an imported object ART_CHECK_PICKLE_GLOBAL_MUTATION.
 *
 * Bytes handed to an unpickling function (pickle.loads, _pickle.loads,
 * dill/cloudpickle loads, torch.storage._load_from_bytes) as a constant are
 * read as a nested pickle (up to LL_ART_MAX_NESTING levels).
 *
 * joblib: when BUILD completes a joblib.numpy_pickle.NumpyArrayWrapper, the
 * array's raw bytes follow in the file (after an alignment byte and its
 * padding), at the end of the current protocol 4 frame, as joblib's
 * unpickler reads them; they are skipped using the wrapper's shape and
 * dtype (joblib.h), and an object array's nested pickle is read.
 *
 * Errors: bytes that are no opcode, or data ending inside an opcode, end
 * the walk with ART_CHECK_MALFORMED (verdict unscannable). Errors the
 * loader would raise at run time (stack underflow, no MARK, a memo index
 * never PUT, STACK_GLOBAL on non-strings, an unsupported PROTO) give one
 * ART_CHECK_MALFORMED per stream and the walk goes on, so that nothing the
 * stream holds is left unread. Each limit below stops the walk with
 * ART_CHECK_LIMIT. Declared lengths are checked against the bytes left and
 * never allocated.
 *
 * Ownership: inputs are borrowed; findings go to the caller's LLArtResult;
 * everything else lives for one call. */
#ifndef LL_ARTIFACT_PICKLE_H
#define LL_ARTIFACT_PICKLE_H
#include "artifact/scan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LL_ART_PICKLE_MAX_STACK (1u << 21)   /* values on the stack (a 10^6-deep stack is read) */
#define LL_ART_PICKLE_MAX_MARKS (1u << 21)   /* open MARKs */
#define LL_ART_PICKLE_MAX_MEMO (1u << 22)    /* memo entries */
#define LL_ART_PICKLE_MEMO_DENSE (1u << 24)  /* memo indexes kept in an array below this; above: a hash table */
#define LL_ART_PICKLE_MAX_NODES (1u << 19)   /* containers and objects whose contents are tracked; past it
                                              * new ones are opaque (a note says so) */
#define LL_ART_PICKLE_MAX_POOL (1u << 21)    /* tracked container items in all */
#define LL_ART_PICKLE_TRACK_ITEMS 16u        /* items kept per container (the rest are counted) */
#define LL_ART_PICKLE_MAX_IMPORTS (1u << 16) /* distinct imports in one stream */
#define LL_ART_PICKLE_MAX_STREAMS 4096u      /* pickles read back to back from one file */
#define LL_ART_PICKLE_MAX_NAME 4096u         /* bytes of a module or name string resolved */
#define LL_ART_PICKLE_KEEP (1u << 16)        /* table entries a scratch walker keeps between streams */
#define LL_ART_PICKLE_SNIFF_OPS 3u           /* opcodes a head must parse to be claimed as a pickle */

/* Flags of LLPickleOptions. */
#define LL_PICKLE_TORCHSCRIPT 1u /* __torch__.* are the archive's own TorchScript classes */
#define LL_PICKLE_PLAIN 2u       /* read by plain pickle.load: joblib's wrappers carry no raw data */

typedef struct LLPickleOptions {
    const LLArtCtx *ctx; /* options (policy), member chain, nesting */
    unsigned flags;
} LLPickleOptions;

/* A summary of a stream's resulting value (what the legacy formats check). */
#define LL_PICKLE_VALUE_NAME 128u
#define LL_PICKLE_VALUE_ITEMS 4u
typedef enum LLPickleValueKind {
    LL_PKV_OTHER = 0,
    LL_PKV_INT,    /* i */
    LL_PKV_STR,    /* name holds its start */
    LL_PKV_GLOBAL, /* name holds the dotted name */
    LL_PKV_TUPLE,  /* items (the first LL_PICKLE_VALUE_ITEMS), nitems */
    LL_PKV_LIST,
} LLPickleValueKind;

typedef struct LLPickleValue {
    LLPickleValueKind kind;
    int64_t i;
    char name[LL_PICKLE_VALUE_NAME];
} LLPickleValue;

typedef struct LLPickleStream {
    size_t end;        /* offset after STOP, or where the walk stopped */
    bool complete;     /* STOP was reached */
    bool torch_magic;  /* the value is legacy torch.save's magic number */
    bool joblib;       /* joblib array wrappers were read */
    LLPickleValue value;
    LLPickleValue items[LL_PICKLE_VALUE_ITEMS];
    uint32_t nitems;
} LLPickleStream;

/* Walks one pickle stream in data[start, end) and reports what it finds;
 * locations are offsets in `data`. */
void ll_pickle_walk(const LLPickleOptions *o, const uint8_t *data, size_t start, size_t end,
                    LLArtResult *out, LLPickleStream *st);

/* Reads data[start, len) as pickle.load / torch.load would read a file:
 * the first stream; when it is legacy torch.save's magic number, the four
 * pickles that follow (the storage bytes after them are not read); else
 * any pickles written back to back after it, and what follows the last one
 * is ART_CHECK_TRAILING_DATA. Without LL_PICKLE_PLAIN a stream holding
 * joblib array wrappers is read twice: as joblib.load reads it (array bytes
 * skipped) and as pickle.load reads it (array bytes taken for opcodes: a
 * crafted padding byte hides a payload from the first reading); the
 * second adds what it imports and calls. Returns the format ("pickle",
 * "joblib", "pytorch-legacy"). */
const char *ll_pickle_scan(const LLArtCtx *ctx, const uint8_t *data, size_t start, size_t len,
                           unsigned flags, LLArtResult *out);

/* Frees a walker kept in an LLArtScratch (scan.h calls it). */
void ll_pickle_scratch_free(void *walker);

/* Does `head` (len bytes; `whole`: the entire file) start like a pickle?
 * Its opcodes must parse and load (strictly: an underflow, a bad number, a
 * missing MARK, a GLOBAL/INST name that is no dotted identifier end the
 * test) up to a STOP; or up to an import (a loader imports before the
 * stream fails); or for at least LL_ART_PICKLE_SNIFF_OPS opcodes (a pickle
 * cannot call anything in fewer) with no error before the end of the
 * bytes; or a PROTO and one more opcode. The strict checks are never
 * stricter than CPython's unpickler; an unknown protocol number and (when
 * !whole) a frame longer than the head do not count against the bytes. */
bool ll_pickle_sniff(const uint8_t *head, size_t len, bool whole);

#endif
