"""Loaders used as values still reach their callers' arguments."""
import importlib
import pickle
import sys

import torch


def alias():
    decode = pickle.loads
    # expect: LL101:error
    return decode(sys.argv[1])


def mapped(blobs):
    # expect: LL101
    return list(map(pickle.loads, blobs))


class Cache:
    def __init__(self):
        self._load = torch.load

    def read(self, path):
        # expect: LL201:warning
        return self._load(path)


def dynamic_lookup():
    # expect: LL101:error
    a = getattr(pickle, "loads")(sys.argv[1])
    # expect: LL101:error
    b = __import__("pickle").loads(sys.argv[1])
    # expect: LL101:error
    c = importlib.import_module("pickle").loads(sys.argv[1])
    return a, b, c


CODECS = {
    "json": None,
    # ok: LL101 (a loader kept in a dict is a value; the call through it is the finding)
    "pickle": pickle.loads,
}


def decode(fmt, blob):
    # expect: LL101
    return CODECS[fmt](blob)


def safe_partial():
    import functools
    # ok: LL201
    loader = functools.partial(torch.load, weights_only=True)
    return loader
