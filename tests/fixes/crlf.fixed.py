"""A file with Windows line endings (LL501, LL201)."""
import torch
from yaml import (
    load,
    safe_load
)


def read_config(stream):
    return safe_load(stream)


def restore(model, path):
    model.load_state_dict(torch.load(
        path,
        map_location="cpu",
        weights_only=True
    ))
