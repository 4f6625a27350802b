/* savedmodel.h - TensorFlow SavedModel files (saved_model.pb) and Keras
 * SavedModel metadata (keras_metadata.pb).
 *
 * saved_model.pb is a SavedModel protobuf: meta_graphs -> graph_def ->
 * node (NodeDef), and graph_def.library -> function (FunctionDef) ->
 * node_def. Every node's op is looked up in a table of ops a graph can run
 * when it is loaded or called that reach outside the tensor world:
 *  - ART_CHECK_TF_PYTHON_OP (error): PyFunc, PyFuncStateless, EagerPyFunc;
 *  - ART_CHECK_TF_FILE_WRITE_OP (error): WriteFile, DatasetToTFRecord,
 *    SaveDataset, SnapshotDataset, CreateSummaryFileWriter, the Debug*
 *    ops (debug_urls / dump_root), PrintV2 with a file:// output_stream;
 *  - ART_CHECK_TF_FILE_READ_OP (warning): ReadFile, MatchingFiles, the
 *    file readers and file datasets, ImmutableConst (maps a named file),
 *    LoadDataset, SqlDataset;
 *  - ART_CHECK_TF_NETWORK_OP (warning): the RPC ops;
 *  - ART_CHECK_TF_LITERAL_PATH (warning): Save, SaveV2, SaveSlices,
 *    Restore, RestoreV2, RestoreSlice, MergeV2Checkpoints (which deletes
 *    its source folders), InitializeTableFromTextFile(V2),
 *    LoadAndRemapMatrix, GenerateVocabRemapping when their path input is a
 *    Const string that is absolute, goes up (".."), starts with "~" or is
 *    a URL. Every SavedModel holds Save/Restore/Merge ops fed by the
 *    loader's own path (a placeholder or a function argument, or the
 *    relative "model" of TF1 savers): those are not reported, nor are
 *    Consts the loader feeds (the SaverDef's filename tensor and the
 *    AssetFileDef tensors, which in TF1 exports hold the export-time
 *    absolute path of an asset and are replaced by its path at load).
 * Ops are matched by name; the message names the node and the function or
 * graph holding it, and quotes a Const path input when there is one. The
 * object graph's user objects (meta_graph.object_graph_def.nodes.
 * user_object.metadata: Keras layer metadata JSON) go through keras.h.
 *
 * keras_metadata.pb is a SavedMetadata protobuf: nodes -> metadata (Keras
 * layer metadata JSON), each analysed by keras.h (Lambda layers, custom
 * objects...).
 *
 * Protobuf cannot be sniffed reliably: a dispatcher claims these files by
 * name (ll_art_savedmodel_name_kind) and then requires a successful parse
 * (the scan reports ART_CHECK_MALFORMED when it fails); the sniffer only
 * checks that the head reads as top-level SavedModel fields. Parsing is
 * iterative (an explicit stack of readers, LL_PROTOBUF_MAX_DEPTH).
 *
 * Ownership: scans borrow their input and append findings to the result;
 * the op table is static and const. No state is kept between calls. */
#ifndef LL_ARTIFACT_SAVEDMODEL_H
#define LL_ARTIFACT_SAVEDMODEL_H
#include "artifact/artifact.h"
#include "artifact/keras.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nodes (graph and function nodes together) read from one file. */
#define LL_SAVEDMODEL_MAX_NODES 2000000u
/* Op findings kept per file; then one ART_CHECK_LIMIT finding. */
#define LL_SAVEDMODEL_MAX_FINDINGS 256u

/* What an op of the table does. */
typedef struct LLTfOpInfo {
    const char *op;        /* the op name */
    const char *check;     /* ART_CHECK_TF_* */
    LLSeverity severity;
    LLArtVerdict verdict;
    const char *what;      /* "writes a file", ... */
    int path_input;        /* index of the input holding a path, or -1 */
    bool literal_only;     /* reported only for a Const path outside the model */
} LLTfOpInfo;

/* The table entry of `op` (op[0, len)), or NULL when it is not listed. */
const LLTfOpInfo *ll_art_savedmodel_op(const char *op, size_t len);

typedef enum LLSavedModelKind {
    LL_SAVEDMODEL_NONE = 0,
    LL_SAVEDMODEL_GRAPH,         /* saved_model.pb */
    LL_SAVEDMODEL_KERAS_METADATA /* keras_metadata.pb */
} LLSavedModelKind;

typedef struct LLArtSavedModelOptions {
    const LLArtKerasOptions *keras; /* required: for Keras metadata JSON */
    LLSavedModelKind kind;          /* which message the bytes hold (NONE: GRAPH) */
} LLArtSavedModelOptions;

/* The kind a file name (its last path component) claims. */
LLSavedModelKind ll_art_savedmodel_name_kind(const char *name);
/* The head reads as top-level SavedModel (or SavedMetadata) fields. */
bool ll_art_savedmodel_sniff(const uint8_t *head, size_t n);
/* Scans a saved_model.pb or keras_metadata.pb (options->kind). Sets
 * out->format to "tf-savedmodel" or "keras-metadata" when it is NULL. */
void ll_art_savedmodel_scan(const LLArtSavedModelOptions *o, const uint8_t *data, size_t len,
                            const LLArtLoc *where, LLArtResult *out);

#endif
