import ctypes
import os
import sys

import numpy as np
import onnxruntime as ort
import tensorflow as tf
import torch
from flask import Flask, request
from numpy.ctypeslib import load_library
from onnxruntime_extensions import get_library_path
from tensorflow.python.framework import load_library as tf_load_library
from tensorflow.python.platform import resource_loader

import mylib.plugins as plugins

app = Flask(__name__)

_HERE = os.path.dirname(os.path.abspath(__file__))

# Loaded once, from a file shipped next to this module.
# expect: LL801:note
_ops = tf.load_op_library(os.path.join(_HERE, "custom_ops.so"))


def torch_ops(path):
    # expect: LL801:warning
    torch.ops.load_library(path)
    # expect: LL801:warning
    torch.classes.load_library(path)


def torch_literal():
    # expect: LL801:note
    torch.ops.load_library("build/libcustom_ops.so")


def tensorflow_variants(plugin_dir, name):
    # expect: LL801:warning
    a = tf.load_op_library(plugin_dir + "/custom_ops.so")
    # expect: LL801:warning
    b = tf.load_library(os.path.join(plugin_dir, name))
    # expect: LL801
    c = tf.compat.v1.load_op_library(name)
    # expect: LL801
    d = tf_load_library.load_op_library(name)
    # expect: LL801
    tf.experimental.register_filesystem_plugin(plugin_location=name)
    return a, b, c, d


def numpy_ctypes(libdir):
    # expect: LL801:note
    a = np.ctypeslib.load_library("libkernels", os.path.dirname(__file__))
    # expect: LL801:warning
    b = load_library("libkernels", libdir)
    # expect: LL801:note
    c = load_library(libname="libkernels", loader_path=".")
    return a, b, c


def onnx_session(model_path, ops_library):
    options = ort.SessionOptions()
    # expect: LL801:warning
    options.register_custom_ops_library(ops_library)
    return ort.InferenceSession(model_path, options)


def onnx_options_passed_in(options, library_path):
    # expect: LL801
    options.register_custom_ops_library(library_path)


def onnx_literal():
    so = ort.SessionOptions()
    # expect: LL801:note
    so.register_custom_ops_library("/opt/ops/libcustom_op.so")
    return so


def from_argv():
    # expect: LL801:error
    torch.ops.load_library(sys.argv[1])


@app.route("/plugins", methods=["POST"])
def install_plugin():
    name = request.form["library"]
    # expect: LL801:error
    tf.load_op_library(os.path.join("/srv/plugins", name))
    return "ok"


def multi_line(path):
    # expect: LL801
    torch.ops.load_library(
        path,
    )


def package_locators():
    so = ort.SessionOptions()
    # ok: LL801
    so.register_custom_ops_library(get_library_path())
    # ok: LL801
    zero_out = tf.load_op_library(resource_loader.get_path_to_datafile("_zero_out_ops.so"))
    return so, zero_out


def not_native_loads(path):
    # ok: LL801
    a = torch.load(path, weights_only=True)
    # ok: LL801
    b = tf.saved_model.contains_saved_model(path)
    # ok: LL801
    c = plugins.load_library(path)
    # ok: LL801
    d = ctypes.util.find_library("c")
    return a, b, c, d


def shadowed(torch, path):
    # ok: LL801
    torch.ops.load_library(path)
