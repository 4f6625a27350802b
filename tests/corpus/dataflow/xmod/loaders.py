"""A helper module whose functions reach loaders through their parameters."""
import pickle

import torch


def load_blob(path):
    with open(path, "rb") as fh:
        # expect: LL101:error
        return pickle.load(fh)


def load_weights(path):
    # expect: LL201:warning
    return torch.load(path)


def load_weights_safely(path):
    # ok: LL201
    return torch.load(path, weights_only=True)
