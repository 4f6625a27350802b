"""A load that is safe only when the installed torch honours weights_only:
torch < 2.6 can be bypassed (CVE-2025-32434), torch < 2.10 is memory-unsafe
(CVE-2026-24747). tests/corpus/deps/README.txt says what this project allows."""
import pickle

import torch


def load(path):
    # ok: LL201
    # expect: LL206:warning
    return torch.load(path, weights_only=True)


def parse(data):
    """A finding whatever the versions (the corpus test wants one per fixture)."""
    # expect: LL101
    return pickle.loads(data)
