"""Loaders that are classes, and loaders kept in classes."""
import _pickle
import pickle
import sys
from typing import Callable, ClassVar

import dill
import yaml


class NumpyUnpickler(pickle.Unpickler):
    """Overrides other methods, not find_class: unpickles anything."""

    def load_build(self):
        return super().load_build()


class FastUnpickler(_pickle.Unpickler):
    pass


class DillUnpickler(dill.Unpickler):
    pass


class Renaming(pickle._Unpickler):
    """Overrides find_class only to rename: still unpickles anything."""

    def find_class(self, module, name):
        return super().find_class(module.replace("old", "new"), name)


class SafeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module.startswith("myproject."):
            return super().find_class(module, name)
        raise RuntimeError(f"blocked {module}.{name}")


def read(fh):
    # expect: LL102
    a = NumpyUnpickler(fh).load()
    # expect: LL102
    b = FastUnpickler(fh).load()
    # expect: LL103
    c = DillUnpickler(fh).load()
    # expect: LL102
    d = Renaming(fh).load()
    # ok: LL102
    e = SafeUnpickler(fh).load()
    return a, b, c, d, e


class MySafeLoader(yaml.SafeLoader):
    pass


class MyCSafeLoader(yaml.CSafeLoader):
    pass


class MyBaseLoader(yaml.BaseLoader):
    pass


class MyLoader(yaml.Loader):
    pass


class MyFullLoader(yaml.FullLoader):
    pass


def parse(text):
    # ok: LL501
    a = yaml.load(text, Loader=MySafeLoader)
    # ok: LL501
    b = yaml.load(text, Loader=MyCSafeLoader)
    # ok: LL501
    c = yaml.load(text, Loader=MyBaseLoader)
    # expect: LL501
    d = yaml.load(text, Loader=MyLoader)
    # expect: LL501
    e = yaml.load(text, Loader=MyFullLoader)
    return a, b, c, d, e


class Codec:
    loads = pickle.loads
    decode: ClassVar[Callable] = pickle.loads

    def read(self, blob):
        # expect: LL101
        return self.loads(blob)

    def read2(self, blob):
        # expect: LL101
        return self.decode(blob)

    @classmethod
    def from_bytes(cls, blob):
        # expect: LL101
        return cls.loads(blob)


class SubCodec(Codec):
    def read3(self, blob):
        # expect: LL101
        return self.loads(blob)


class Configured:
    def __init__(self):
        self.decoder = pickle.loads

    def read(self, blob):
        # expect: LL101
        return self.decoder(blob)


class Paired:
    def __init__(self):
        self.decoder, self.limit = pickle.loads, 10
        (self.reader, self.name) = (pickle.load, "r")
        self.safe, self.other = len, str

    def read(self, blob, fh):
        # expect: LL101
        a = self.decoder(blob)
        # expect: LL101
        b = self.reader(fh)
        # ok: LL101
        c = self.safe(blob)
        return a, b, c


class Patched:
    def read(self, blob):
        # expect: LL101
        return self.decode(blob)

    def size(self, blob):
        # ok: LL101
        return self.measure(blob)


Patched.decode = pickle.loads
Patched.measure = len


def through_instances(blob):
    codec = Codec()
    # expect: LL101
    a = codec.loads(blob)
    # expect: LL101
    b = Codec.decode(blob)
    # expect: LL101
    c = Configured().decoder(blob)
    # expect: LL101
    d = Patched().decode(blob)
    # ok: LL101
    e = Patched().measure(blob)
    return a, b, c, d, e


class Wrapped:
    # Called below: the calls through the attribute are the findings.
    # ok: LL101
    loads = staticmethod(pickle.loads)
    # Not called here (a base class in another module may call self.load).
    # expect: LL101
    load = classmethod(pickle.load)

    def read(self, blob):
        # expect: LL101
        return self.loads(blob)


def wrapped_outside(blob):
    # expect: LL101
    a = Wrapped.loads(blob)
    # expect: LL101:error
    b = Wrapped().loads(sys.stdin.buffer.read())
    return a, b
