"""LL206 judges torch.load(weights_only=True) against the torch versions the
project allows. Nothing in this directory states a torch version, so these
calls are left alone, as without the rule. The version cases (each
dependency-file format; pinned below, between and above the fixes; ranges;
no file) are the projects of tests/corpus/deps, and
tests/integration/versions.sh scans them whole (the dependency-line
findings)."""
import torch
from torch.serialization import load as serialization_load


def restore(model, path):
    # ok: LL206, LL201
    model.load_state_dict(torch.load(path, weights_only=True))


def restore_other(path):
    # ok: LL206, LL201
    return serialization_load(path, map_location="cpu", weights_only=True)


def unsafe(path):
    # LL201's: no weights_only at all, whatever the version
    # expect: LL201
    return torch.load(path)
