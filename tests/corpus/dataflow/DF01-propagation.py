"""Data flow: every propagation step carries untrusted data (sys.argv) to a loader."""
import io
import os
import pathlib
import pickle
import sys

import torch
import yaml


def assignment():
    blob = sys.argv[1]
    # expect: LL101:error
    return pickle.loads(blob)


def tuple_unpacking():
    name, path = sys.argv[1], sys.argv[2]
    # expect: LL201:error
    return torch.load(path)


def starred_unpacking():
    first, *rest = sys.argv
    # expect: LL201:error
    return torch.load(first)


def augmented():
    path = "/models/"
    path += sys.argv[1]
    # expect: LL201:error
    return torch.load(path)


def walrus():
    if (path := sys.argv[1]):
        # expect: LL201:error
        return torch.load(path)
    return None


def with_as():
    with open(sys.argv[1], "rb") as fh:
        # expect: LL101:error
        return pickle.load(fh)


def for_target():
    for path in sys.argv[1:]:
        # expect: LL201:error
        torch.load(path)


def attribute_and_subscript():
    args = {"path": sys.argv[1]}
    # expect: LL201:error
    return torch.load(args["path"])


def open_read_bytesio():
    data = open(sys.argv[1], "rb").read()
    # expect: LL101:error
    return pickle.load(io.BytesIO(data))


def path_building():
    base = os.path.join("/srv", sys.argv[1])
    full = pathlib.Path(base) / "model.pt"
    # expect: LL201:error
    return torch.load(full)


def string_building():
    name = sys.argv[1]
    a = f"/models/{name}.pt"
    b = "/models/%s.pt" % name
    c = "/models/" + name
    d = "/models/{}.pt".format(name)
    e = str(name)
    # expect: LL201:error
    torch.load(a)
    # expect: LL201:error
    torch.load(b)
    # expect: LL201:error
    torch.load(c)
    # expect: LL201:error
    torch.load(d)
    # expect: LL201:error
    torch.load(e)


def yaml_from_file():
    with open(sys.argv[1]) as stream:
        text = stream.read()
    # expect: LL501:error
    return yaml.load(text, Loader=yaml.Loader)


def constant_path():
    # expect: LL201:note
    return torch.load("weights/resnet.pt")


def constant_built_path():
    path = os.path.join(os.path.dirname(__file__), "cache", "model.pt")
    # expect: LL201:note
    return torch.load(path)


def parameter(path):
    # expect: LL201:warning
    return torch.load(path)


def safe_with_weights_only():
    # ok: LL201
    return torch.load(sys.argv[1], weights_only=True)
