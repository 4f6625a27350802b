import io

import torch
import torch as th
import torch.jit
from torch import jit
from torch.jit import load
from torch.jit import load as load_scripted

try:
    import torch.jit as tjit
except ImportError:
    tjit = None


def from_path(path):
    # expect: LL202:warning
    return torch.jit.load(path)


def bundled():
    # expect: LL202:note
    return torch.jit.load("models/traced_resnet.pt")


def with_map_location(path):
    # expect: LL202:warning
    return th.jit.load(path, map_location="cpu")


def from_buffer(blob):
    # expect: LL202:warning
    return jit.load(io.BytesIO(blob))


def keyword_file(path):
    # expect: LL202:warning
    return torch.jit.load(f=path, _extra_files={"meta.json": ""})


def imported_names(path):
    # expect: LL202
    a = load(path)
    # expect: LL202
    b = load_scripted(path)
    return a, b


def optional_import(path):
    if tjit is None:
        return None
    # expect: LL202
    return tjit.load(path)


def simple_alias(path):
    restore = torch.jit.load
    # expect: LL202
    return restore(path)


def multi_line(path, device):
    # expect: LL202
    module = torch.jit.load(
        path,
        map_location=device,
    )
    return module


def shadowed(torch, path):
    # ok: LL202
    return torch.jit.load(path)


def writes_and_compiles(model, path, example):
    # ok: LL202
    scripted = torch.jit.script(model)
    # ok: LL202
    traced = torch.jit.trace(model, example)
    # ok: LL202
    torch.jit.save(scripted, path)
    return traced


def unrelated(cache, path):
    # ok: LL202
    return cache.load(path)
