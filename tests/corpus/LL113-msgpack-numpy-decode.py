import functools
import socket
import sys

import msgpack
import msgpack_numpy
import msgpack_numpy as m
import numpy as np
from msgpack_numpy import decode as decode_numpy
from msgpack_numpy import unpackb as np_unpackb

import mylib.serialize as serialize

# The usage msgpack-numpy's README recommends: every msgpack unpack of the
# process decodes object arrays with pickle from here on.
# expect: LL113:warning
m.patch()


def on_message(sock):
    # expect: LL113:warning
    return msgpack.unpackb(sock.recv(), object_hook=m.decode)


def from_socket(conn: socket.socket):
    data = conn.recv(65536)
    # expect: LL113
    # todo-expect: LL113:error
    return msgpack.unpackb(data, object_hook=msgpack_numpy.decode, raw=False)


def multi_line(data):
    obj = msgpack.unpackb(
        data,
        raw=False,
        # expect: LL113
        object_hook=m.decode,
    )
    return obj


def stream_reader(f):
    # expect: LL113
    unpacker = msgpack.Unpacker(f, object_hook=decode_numpy, raw=False)
    return list(unpacker)


# expect: LL113
loads = functools.partial(msgpack.loads, object_hook=m.decode)


def options_dict(data):
    # A reference kept in a dict is a value, not a call (DF05); the hook reaches
    # unpackb through **options, which no predicate can look into.
    # todo-expect: LL113
    options = {"object_hook": m.decode, "raw": False}
    return msgpack.unpackb(data, **options)


def wrapped_hook(data):
    # expect: LL113
    return msgpack.unpackb(data, object_hook=lambda o: m.decode(o))


def chained_hook(data, hook):
    # expect: LL113
    return msgpack.unpackb(data, object_hook=functools.partial(m.decode, chain=hook))


def own_functions(blob, stream):
    # expect: LL113:warning
    a = m.unpackb(blob)
    # expect: LL113
    b = msgpack_numpy.loads(blob, raw=False)
    # expect: LL113
    c = m.unpack(stream)
    # expect: LL113
    d = np_unpackb(blob)
    # expect: LL113
    e = m.Unpacker(stream)
    return a, b, c, d, e


def from_argv():
    with open(sys.argv[1], "rb") as f:
        # expect: LL113:error
        return m.unpackb(f.read())


def bundled_fixture():
    # expect: LL113:note
    return m.unpackb(b"\x81\xa1a\x01")


def encode_side(arr):
    # ok: LL113
    a = msgpack.packb(arr, default=m.encode)
    # ok: LL113
    b = m.packb(arr)
    # ok: LL113
    c = msgpack_numpy.dumps(np.zeros(3))
    return a, b, c


def plain_msgpack(data):
    # ok: LL113
    return msgpack.unpackb(data, raw=False)


def own_hook(data):
    def decode_array(obj):
        if isinstance(obj, dict) and obj.get("nd"):
            dtype = np.dtype(obj["type"])
            if dtype.hasobject:
                raise ValueError("object arrays are not accepted")
            return np.frombuffer(obj["data"], dtype=dtype).reshape(obj["shape"])
        return obj

    # ok: LL113
    return msgpack.unpackb(data, object_hook=decode_array)


def other_module(data):
    # ok: LL113
    return msgpack.unpackb(data, object_hook=serialize.decode)


def shadowed(m, data):
    # ok: LL113
    return msgpack.unpackb(data, object_hook=m.decode)
