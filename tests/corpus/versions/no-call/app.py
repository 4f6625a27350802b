"""Vulnerable pins (requirements.txt) and no call they matter for: no
version finding here, and none on the dependency lines
(tests/integration/versions.sh)."""
import numpy as np
import torch
import yaml


def read(path):
    # ok: LL116, LL110
    return np.load(path, allow_pickle=False)


def manifest(stream):
    # ok: LL506, LL502
    return yaml.safe_load(stream)


def checkpoint(path):
    # LL201's (no weights_only): not a call LL206 judges
    # ok: LL206
    # expect: LL201
    return torch.load(path)
