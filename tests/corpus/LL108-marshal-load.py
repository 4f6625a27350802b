import marshal
import marshal as ms
from marshal import *
from marshal import load
from marshal import loads as unmarshal

try:
    import marshal as fast_codec
except ImportError:
    fast_codec = None


def load_rules(blob):
    # expect: LL108
    return marshal.loads(blob)


def from_file(path):
    with open(path, "rb") as f:
        # expect: LL108
        return ms.load(f)


def from_imports(blob, stream):
    # expect: LL108
    a = unmarshal(blob)
    # expect: LL108
    b = load(stream)
    # expect: LL108
    c = loads(blob)
    # expect: LL108
    d = fast_codec.loads(blob)
    return a, b, c, d


def code_from_network(sock):
    # expect: LL108
    code = marshal.loads(sock.recv(65536))
    return code


def no_code_objects_is_still_flagged(blob):
    # expect: LL108
    return marshal.loads(blob, allow_code=False)


def aliased(blob):
    restore = marshal.loads
    # expect: LL108
    return restore(blob)


def as_value(blobs):
    # expect: LL108
    return [*map(marshal.loads, blobs)]


def multi_line(blob):
    # expect: LL108
    return marshal.loads(
        blob,
    )


def shadowed(marshal, blob):
    # ok: LL108
    return marshal.loads(blob)


def writes_only(value):
    # ok: LL108
    return marshal.dumps(value, marshal.version)


def other_module(text):
    import json
    # ok: LL108
    return json.loads(text)
