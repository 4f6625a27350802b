import io
import pickle
import pickle as pk
import _pickle
from pickle import loads
from pickle import load as pload

try:
    import cPickle as compat_pickle
except ImportError:
    import pickle as compat_pickle


def from_file(path):
    with open(path, "rb") as f:
        # expect: LL101
        return pickle.load(f)


def from_bytes(blob):
    # expect: LL101
    a = pk.loads(blob)
    # expect: LL101
    b = loads(blob)
    # expect: LL101
    c = pload(io.BytesIO(blob))
    # expect: LL101
    d = _pickle.loads(blob)
    # expect: LL101
    e = pickle._loads(blob)
    # expect: LL101
    f = compat_pickle.loads(blob)
    return a, b, c, d, e, f


def aliased(blob):
    decode = pickle.loads
    # expect: LL101
    return decode(blob)


def as_value(blobs):
    # expect: LL101
    return list(map(pickle.loads, blobs))


def multi_line(blob):
    # expect: LL101
    return pickle.loads(
        blob,
    )


def shadowed(pickle, blob):
    # ok: LL101
    return pickle.loads(blob)


def writes_only(obj):
    # ok: LL101
    return pickle.dumps(obj)


def other_module(json, text):
    import json
    # ok: LL101
    return json.loads(text)
