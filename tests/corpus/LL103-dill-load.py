import io

import dill
import dill as dl
import dill._dill
from dill import *
from dill import Unpickler as DillUnpickler
from dill import load_module
from dill import loads as dill_loads

try:
    import dill as serializer
except ImportError:
    serializer = None


def from_file(path):
    with open(path, "rb") as f:
        # expect: LL103
        return dill.load(f)


def from_bytes(blob):
    # expect: LL103
    a = dl.loads(blob)
    # expect: LL103
    b = dill_loads(blob, ignore=True)
    # expect: LL103
    c = loads(blob)
    # expect: LL103
    d = dill._dill.loads(blob)
    # expect: LL103
    e = DillUnpickler(io.BytesIO(blob)).load()
    # expect: LL103
    f = serializer.loads(blob)
    return a, b, c, d, e, f


def keyword_argument(stream):
    # expect: LL103
    return dill.load(file=stream)


def sessions(path):
    # expect: LL103
    load_module(path)
    # expect: LL103
    namespace = dill.load_module_asdict(filename=path)
    # expect: LL103
    dill.load_session()
    return namespace


def aliased(blob):
    restore = dill.loads
    # expect: LL103
    return restore(blob)


def as_value(blobs):
    # expect: LL103
    return list(map(dill.loads, blobs))


def multi_line(blob):
    # expect: LL103
    return dill.loads(
        blob,
        ignore=False,
    )


def shadowed(dill, blob):
    # ok: LL103
    return dill.loads(blob)


def writes_only(obj, path):
    # ok: LL103
    payload = dill.dumps(obj, recurse=True)
    with open(path, "wb") as f:
        # ok: LL103
        dill.dump(obj, f)
    # ok: LL103
    dill.dump_module(path)
    return payload


def source_helpers(func):
    # ok: LL103
    return dill.source.getsource(func)


def other_module(json, text):
    import json
    # ok: LL103
    return json.loads(text)
