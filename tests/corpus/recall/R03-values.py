"""Flags and loaders that arrive as values."""
import functools
import json
import pickle
import sys

import numpy as np
import torch
from transformers import AutoModel

REMOTE = dict(trust_remote_code=True)
PINNED = {"revision": "3f1e2d4c5b6a79881726354453627181920a1b2c"}


def remote_code_through_kwargs(name):
    # expect: LL401, LL403:duplicate
    a = AutoModel.from_pretrained(name, **REMOTE)
    # expect: LL401, LL403:duplicate
    b = AutoModel.from_pretrained(name, **{"trust_remote_code": True})
    # ok: LL401
    # expect: LL403
    c = AutoModel.from_pretrained(name, **{"trust_remote_code": False})
    # ok: LL401
    d = AutoModel.from_pretrained(name, **PINNED)
    return a, b, c, d


def load_pt(url, map_location=None, weights_only=True):
    # ok: LL201 (the parameter's default is True)
    return torch.load(url, map_location=map_location, weights_only=weights_only)


def load_any(url, weights_only=False):
    # expect: LL201
    return torch.load(url, weights_only=weights_only)


def with_default_decoder(blob, decoder=pickle.loads):
    # expect: LL101
    return decoder(blob)


def conditional_alias(blob, fast):
    h = pickle.loads if fast else json.loads
    # expect: LL101
    return h(blob)


def modules_in_a_loop(blob):
    for mod in (pickle, json):
        # expect: LL101
        mod.loads(blob)


def passed_with_flags(path):
    import pytest

    # expect: LL110
    pytest.raises(ValueError, np.load, path, allow_pickle=True)
    # ok: LL110
    pytest.raises(ValueError, np.load, path, allow_pickle=False)


def partial_keeps_working():
    # expect: LL201
    unsafe = functools.partial(torch.load, weights_only=False)
    # ok: LL201
    safe = functools.partial(torch.load, weights_only=True)
    return unsafe, safe


def map_over_untrusted():
    # expect: LL101:error
    return list(map(pickle.loads, sys.argv[1:]))
