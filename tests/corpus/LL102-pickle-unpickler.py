import io
import pickle
import pickle as pk
import _pickle
from pickle import *
from pickle import _Unpickler
from pickle import Unpickler as PyUnpickler

try:
    import cPickle as compat_pickle
except ImportError:
    import pickle as compat_pickle


def from_file(path):
    with open(path, "rb") as f:
        # expect: LL102
        return pickle.Unpickler(f).load()


def from_bytes(blob):
    # expect: LL102
    a = pk.Unpickler(io.BytesIO(blob)).load()
    # expect: LL102
    b = Unpickler(io.BytesIO(blob)).load()
    # expect: LL102
    c = PyUnpickler(io.BytesIO(blob), encoding="latin1").load()
    # expect: LL102
    d = _Unpickler(io.BytesIO(blob)).load()
    # expect: LL102
    e = _pickle.Unpickler(io.BytesIO(blob)).load()
    # expect: LL102
    f = pickle._Unpickler(io.BytesIO(blob)).load()
    # expect: LL102
    g = compat_pickle.Unpickler(io.BytesIO(blob)).load()
    return a, b, c, d, e, f, g


def keyword_file(stream):
    # expect: LL102
    unpickler = pickle.Unpickler(file=stream, fix_imports=False)
    return unpickler.load()


def aliased(stream):
    make_unpickler = pickle.Unpickler
    # expect: LL102
    return make_unpickler(stream).load()


def as_value(streams):
    # expect: LL102
    return [u.load() for u in map(pickle.Unpickler, streams)]


def multi_line(blob):
    # expect: LL102
    return pickle.Unpickler(
        io.BytesIO(blob),
        encoding="bytes",
    ).load()


# ok: LL102
class RestrictedUnpickler(pickle.Unpickler):
    ALLOWED = {("collections", "OrderedDict")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


def restricted(blob):
    # ok: LL102
    return RestrictedUnpickler(io.BytesIO(blob)).load()


def shadowed(pickle, stream):
    # ok: LL102
    return pickle.Unpickler(stream).load()


def local_shadow(stream, registry):
    pickle = registry.codec("pickle")
    # ok: LL102
    return pickle.Unpickler(stream)


def writes_only(obj, stream):
    # ok: LL102
    pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)


def other_module(stream):
    import myapp.wire as wire
    # ok: LL102
    return wire.Unpickler(stream).read_frame()
