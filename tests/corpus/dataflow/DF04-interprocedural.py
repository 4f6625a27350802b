"""Data flow across functions of one file: sources returned, parameters that
reach loaders, methods, recursion and cycles."""
import pickle
import sys

import torch


def user_path():
    return sys.argv[1]


def indirect_user_path():
    return user_path()


def read_blob(path):
    with open(path, "rb") as fh:
        return fh.read()


def returns_source_to_loader():
    # expect: LL201:error
    return torch.load(user_path())


def returns_source_two_levels():
    # expect: LL201:error
    return torch.load(indirect_user_path())


def load_checkpoint(path):
    # expect: LL201:error
    return torch.load(path, map_location="cpu")


def load_checkpoint_wrapper(p):
    return load_checkpoint(p)


def main():
    load_checkpoint_wrapper(sys.argv[1])


def decode(blob):
    # expect: LL101:error
    return pickle.loads(blob)


def handle():
    return decode(read_blob(sys.argv[2]))


def only_constant_callers(path):
    # expect: LL201:warning
    return torch.load(path)


def calls_with_constant():
    return only_constant_callers("weights.pt")


class Store:
    def __init__(self):
        self._load = torch.load

    def get(self, key):
        # expect: LL201:error
        return self._load(key)

    def serve(self):
        return self.get(sys.argv[3])


def ping(n, path):
    if n:
        return pong(n - 1, path)
    # expect: LL201:warning
    return torch.load(path)


def pong(n, path):
    return ping(n, path)


def recursive(n):
    if n == 0:
        return recursive(n + 1)
    return recursive(n - 1)


def uses_recursion():
    # expect: LL201:warning
    return torch.load(recursive(3))


def safe_load_of_source():
    # ok: LL201
    return torch.load(user_path(), weights_only=True)


class Locator:
    def user_file(self):
        return sys.argv[4]

    def fixed_file(self):
        return "/srv/models/base.pt"


def through_an_instance():
    loc = Locator()
    # expect: LL201:error
    a = torch.load(loc.user_file())
    # expect: LL201:note
    b = torch.load(Locator().fixed_file())
    return a, b
