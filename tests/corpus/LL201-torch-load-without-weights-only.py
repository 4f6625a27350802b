import io
import json
import os

import torch
import torch as th
import torch.serialization
from torch import load
from torch import load as tload
from torch.hub import load_state_dict_from_url
from torch.serialization import load as sload

try:
    from torch.hub import load_state_dict_from_url as fetch_weights
except ImportError:
    from torch.utils.model_zoo import load_url as fetch_weights

CHECKPOINT_URL = "https://download.pytorch.org/models/resnet18-f37072fd.pth"


def restore(model, path):
    # expect: LL201:warning
    model.load_state_dict(torch.load(path))


def restore_on_cpu(model, path):
    # expect: LL201:warning
    model.load_state_dict(torch.load(path, map_location=torch.device("cpu")))


def load_shard(bin_file):
    # expect: LL201:warning
    return torch.load(bin_file, map_location="cpu")


def load_bundled():
    # expect: LL201:note
    return torch.load("checkpoints/model.pt")


def explicit_opt_out(path):
    # expect: LL201:warning
    return torch.load(path, weights_only=False)


def safe_load(path):
    # ok: LL201
    return torch.load(path, map_location="cpu", weights_only=True)


def forwarded(path, **kwargs):
    # expect: LL201:warning
    return torch.load(path, map_location="cpu", **kwargs)


def variable_flag(path, strict):
    # expect: LL201:warning
    return torch.load(path, weights_only=strict)


def keyword_file(path):
    # expect: LL201:warning
    return torch.load(f=path)


def from_bytes(blob):
    # expect: LL201:warning
    return torch.load(io.BytesIO(blob))


def aliases(path):
    # expect: LL201
    a = th.load(path)
    # expect: LL201
    b = load(path)
    # expect: LL201
    c = tload(path)
    # ok: LL201
    d = th.load(path, weights_only=True)
    return a, b, c, d


def serialization_module(path):
    # expect: LL201
    a = torch.serialization.load(path)
    # expect: LL201
    b = sload(path)
    # ok: LL201
    c = sload(path, weights_only=True)
    return a, b, c


def simple_alias(path):
    reader = torch.load
    # expect: LL201
    return reader(path)


def as_value(paths):
    # expect: LL201
    return list(map(torch.load, paths))


def multi_line(path):
    # expect: LL201
    state = torch.load(
        path,
        map_location="cpu",
    )
    return state


def fallback(path):
    try:
        # ok: LL201
        return torch.load(path, weights_only=True)
    except Exception:
        # the fallback of a weights_only=True load is LL207's (one finding per call)
        # ok: LL201
        # expect: LL207
        return torch.load(path, weights_only=False)


def hub_weights(url):
    # expect: LL201:warning
    a = load_state_dict_from_url(url)
    # a constant URL is still remote content: error, unless verified
    # expect: LL201:error
    b = torch.hub.load_state_dict_from_url("https://download.pytorch.org/models/resnet18-f37072fd.pth")
    # expect: LL201:warning
    c = torch.hub.load_state_dict_from_url("https://download.pytorch.org/models/resnet18-f37072fd.pth", check_hash=True)
    # expect: LL201
    c = torch.hub.load_state_dict_from_url(CHECKPOINT_URL, check_hash=True)
    # expect: LL201
    d = fetch_weights(url, progress=False)
    # ok: LL201
    e = load_state_dict_from_url(url, weights_only=True)
    # ok: LL201
    f = fetch_weights(url, map_location="cpu", weights_only=True)
    return a, b, c, d, e, f


def shadowed(torch, path):
    # ok: LL201
    return torch.load(path)


def local_load(load, path):
    # ok: LL201
    return load(path)


def writes_only(model, path):
    # ok: LL201
    torch.save(model.state_dict(), path)
    # ok: LL201
    torch.save(model.state_dict(), os.path.join("out", "model.pt"))


def unrelated_loads(path):
    with open(path) as fh:
        # ok: LL201
        return json.load(fh)
