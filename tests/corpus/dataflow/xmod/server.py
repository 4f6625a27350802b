"""Calls into the helper modules with untrusted data."""
import torch
from flask import request

from . import loaders
from .fetch import local_path, model_path


def upload():
    # The finding is reported at the loader in loaders.py, with this call on its path.
    # ok: LL101
    return loaders.load_blob(request.args["p"])


def from_hub():
    # expect: LL201:error
    return torch.load(model_path("org/model"))


def from_constant():
    # expect: LL201:warning
    return torch.load(local_path())


def local_weights():
    # ok: LL201
    return loaders.load_weights("weights/local.pt")
