/* artifact.h - what the model-file readers report, shared by every reader.
 *
 * Model files (pickles, PyTorch checkpoints, NumPy arrays, joblib dumps,
 * Keras and TensorFlow models, safetensors, GGUF, ONNX) are read from
 * memory: the caller maps the file (mmap) and passes its bytes, so pages a
 * reader never touches (tensor data) are never read from disk. Readers
 * never execute, import or unpickle anything, never recurse on the depth of
 * their input, and stop at the named limits below with a finding that says
 * so (a file that cannot be read to the end is "unscannable", never clean).
 *
 * A reader appends LLArtFinding values to an LLArtResult. Each finding names
 * a `check`: a stable identifier of what was found (ART_CHECK_* below). The
 * rules in rules/ map checks to rule codes, severities and documentation
 * ("match": {"artifact": [...]}, docs/rule-format.md); readers know nothing
 * of rule codes.
 *
 * Locations: a byte range inside the innermost member (or inside the file
 * when the finding is not in an archive member), and the chain of archive
 * members that leads there, outermost first: a pickle GLOBAL at byte 57 of
 * member "archive/data.pkl" of a checkpoint is {offset 57, length n,
 * members {"archive/data.pkl"}}.
 *
 * Ownership: an LLArtResult owns its findings and their strings
 * (ll_art_result_release frees them). Check identifiers and `format` are
 * static strings. Inputs are borrowed and only read. No reader keeps state
 * between calls, so any number of threads may scan different files at once. */
#ifndef LL_ARTIFACT_H
#define LL_ARTIFACT_H
#include "base/severity.h"
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Archive members nested inside each other (a .npz inside a zip inside a
 * tar): deeper nesting is not opened and gives ART_CHECK_LIMIT. */
#define LL_ART_MAX_NESTING 4u

/* What a finding is about. Readers may add checks; each must be listed here
 * with one line saying what it means, and be named by some rule. */
#define ART_CHECK_PICKLE_DANGEROUS "pickle-dangerous-global"   /* imports a known code-execution callable */
#define ART_CHECK_PICKLE_UNLISTED "pickle-unlisted-global"     /* imports a global outside the allow-list */
#define ART_CHECK_MALFORMED "malformed"                         /* not readable as the format it claims */
#define ART_CHECK_LIMIT "limit"                                 /* a named limit stopped the reader */
#define ART_CHECK_LFS_POINTER "lfs-pointer"                     /* a Git LFS pointer: the model is not here */
/* Pickle family (pickle.h, zip.h, tar.h, npy.h, joblib.h, torch.h, compress.h, scan.h) */
#define ART_CHECK_PICKLE_DYNAMIC_GLOBAL "pickle-dynamic-global"   /* STACK_GLOBAL on computed names: the import cannot be known */
#define ART_CHECK_PICKLE_EXTENSION "pickle-extension-global"      /* imports through copyreg's extension registry (EXT1/2/4) */
#define ART_CHECK_PICKLE_INDIRECT_CALL "pickle-indirect-call"     /* calls a value that is not an imported global */
#define ART_CHECK_PICKLE_GLOBAL_MUTATION "pickle-global-mutation" /* sets attributes or items of an imported object */
#define ART_CHECK_TRAILING_DATA "trailing-data"                   /* bytes after what the loader reads (after a pickle's STOP) */
#define ART_CHECK_TORCHSCRIPT_CODE "torchscript-code"             /* a TorchScript archive: its code/ runs when loaded */
#define ART_CHECK_UNSUPPORTED "unsupported"                       /* a variant the readers cannot read (lz4, zip method) */
#define ART_CHECK_ZIP_CRC "zip-crc-mismatch"                      /* a member's CRC-32 is wrong; PyTorch loads it anyway */
#define ART_CHECK_ZIP_FLAGS "zip-flag-bits"                       /* encryption/patch flag bits set on readable data */
#define ART_CHECK_ZIP_DIVERGENCE "zip-divergence"                 /* zip readers disagree (local vs central names, directories) */
#define ART_CHECK_ARCHIVE_DUPLICATE "archive-duplicate-name"      /* two members with one name: loaders pick different ones */
#define ART_CHECK_ARCHIVE_UNSAFE_PATH "archive-unsafe-path"       /* a member name with "../" or an absolute path */
/* Keras configs (config.json, .h5 model_config, keras_metadata.pb): keras.h */
#define ART_CHECK_KERAS_LAMBDA "keras-lambda"                   /* a Lambda layer holding marshalled Python bytecode */
#define ART_CHECK_KERAS_DANGEROUS "keras-dangerous-target"      /* module/class/function names a known code-execution, file or network target */
#define ART_CHECK_KERAS_CUSTOM "keras-custom-object"            /* a class or function outside Keras/TF built-ins (custom code) */
#define ART_CHECK_KERAS_UNSAFE_TOGGLE "keras-unsafe-deserialization" /* the config switches Keras safe mode off */
#define ART_CHECK_KERAS_SAVEDMODEL_LAYER "keras-savedmodel-layer" /* a TFSMLayer loads an external TF SavedModel */
#define ART_CHECK_KERAS_FILE_REF "keras-file-reference"         /* a layer reads a file path given in the config when loaded */
#define ART_CHECK_KERAS_SHARED_MISMATCH "keras-shared-object-mismatch" /* one shared_object_id with different classes */
#define ART_CHECK_KERAS_H5_LEGACY "keras-h5-legacy"             /* legacy HDF5 Keras model (safe_mode ignored before Keras 3.11.3); subject: its keras_version */
/* TensorFlow graphs (saved_model.pb, Keras TensorFlowOpLayer): savedmodel.h */
#define ART_CHECK_TF_PYTHON_OP "tf-python-op"                   /* PyFunc/EagerPyFunc/PyFuncStateless: calls Python in the loading process */
#define ART_CHECK_TF_FILE_WRITE_OP "tf-file-write-op"           /* an op that writes or deletes files */
#define ART_CHECK_TF_FILE_READ_OP "tf-file-read-op"             /* an op that reads or lists files */
#define ART_CHECK_TF_NETWORK_OP "tf-network-op"                 /* an op that talks to the network (RPC) */
#define ART_CHECK_TF_LITERAL_PATH "tf-literal-path"             /* a checkpoint/table op given a hard-coded path outside the model */
/* "Safe" formats: gguf.h, onnx.h (safetensors only validates) */
#define ART_CHECK_GGUF_TEMPLATE "gguf-chat-template-injection"  /* a chat template with Jinja2 sandbox-escape constructs */
#define ART_CHECK_ONNX_EXTERNAL_PATH "onnx-external-data-path"  /* external tensor data located outside the model's folder */
#define ART_CHECK_ONNX_EXTERNAL_KEY "onnx-external-data-key"    /* an external_data key onnx does not define */
#define ART_CHECK_ONNX_CUSTOM_DOMAIN "onnx-custom-op-domain"    /* an operator domain that needs a native custom-op library */

typedef struct LLArtLoc {
    uint64_t offset, length;                /* byte range: innermost member, or the file */
    uint32_t nmembers;                      /* 0: not inside an archive */
    char *members[LL_ART_MAX_NESTING];      /* member names, outermost first; owned */
} LLArtLoc;

typedef struct LLArtFinding {
    const char *check;  /* ART_CHECK_* (static) */
    LLSeverity severity; /* the reader's grade; a rule may override it */
    char *message;      /* one sentence, no trailing period needed; owned */
    char *subject;      /* what it is about ("os.system", "Lambda"), or NULL; owned */
    LLArtLoc loc;
} LLArtFinding;

typedef enum LLArtVerdict {
    LL_ART_NOT_MODEL = 0, /* no reader claimed the bytes */
    LL_ART_SAFE,          /* a format that cannot run code (safetensors...) or
                           * a pickle holding only allow-listed globals */
    LL_ART_SUSPICIOUS,    /* globals outside the allow-list, custom Keras objects */
    LL_ART_MALICIOUS,     /* a known code-execution path */
    LL_ART_UNSCANNABLE,   /* malformed, truncated, a limit hit, an LFS pointer */
} LLArtVerdict;

typedef struct LLArtResult {
    LL_VEC(LLArtFinding) findings;
    const char *format;   /* "pickle", "pytorch-zip", "numpy-npy"...; NULL: not a model file */
    LLArtVerdict verdict; /* the worst seen */
} LLArtResult;

void ll_art_result_init(LLArtResult *r);
void ll_art_result_release(LLArtResult *r);
/* Appends a finding (message printf-style; subject may be NULL) and raises
 * the verdict to at least `verdict`. Members are copied from `loc`.
 * Message, subject and members are stored as valid UTF-8 without control
 * characters (other bytes become the text \xNN): they may quote hostile files. */
void ll_art_add(LLArtResult *r, const char *check, LLSeverity sev, LLArtVerdict verdict,
                const LLArtLoc *loc, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
