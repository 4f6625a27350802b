import subprocess
import sys

import numpy as np
import numpy.f2py
import numpy.f2py as f2py
from flask import Flask, request
from numpy.f2py import compile as f2py_compile

import mylib.build as build

app = Flask(__name__)

KERNEL = """
      subroutine foo
      print*, "Hello world!"
      end
"""


def build_from_file(path, module):
    with open(path) as f:
        source = f.read()
    # expect: LL802:warning
    return numpy.f2py.compile(source, modulename=module, extension=".f90", verbose=False)


def bundled_kernel():
    # expect: LL802:note
    return numpy.f2py.compile(KERNEL, modulename="hello", verbose=0)


def literal_source_variable_args(flags):
    # expect: LL802:warning
    return f2py.compile(KERNEL, "hello", flags)


def aliases(source):
    # expect: LL802
    a = f2py_compile(source, modulename="kernel")
    # expect: LL802
    b = np.f2py.compile(source=source, extra_args=["--opt=-O3"])
    return a, b


@app.post("/kernels")
def upload_kernel():
    source = request.files["kernel"].read().decode()
    # expect: LL802:error
    return str(numpy.f2py.compile(source, modulename="kernel", extra_args="--f90exec=gfortran"))


def from_argv():
    # expect: LL802:error
    return f2py.compile(KERNEL, modulename="kernel", extra_args=sys.argv[1:])


def multi_line(source, module):
    # expect: LL802
    return numpy.f2py.compile(
        source,
        modulename=module,
        full_output=True,
    )


def other_f2py_entry_points(args):
    # ok: LL802
    a = numpy.f2py.get_include()
    # ok: LL802
    b = subprocess.run([sys.executable, "-m", "numpy.f2py", "-c", "kernel.f90", "-m", "kernel"], check=True)
    return a, b


def other_module(source):
    # ok: LL802
    return build.compile(source)


def builtin_compile(text):
    # ok: LL802
    return compile(text, "<string>", "exec")


def shadowed(f2py, source):
    # ok: LL802
    return f2py.compile(source)
