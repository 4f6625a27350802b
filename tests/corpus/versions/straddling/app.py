"""Ranges that still allow a version below the fix (pyproject.toml): the
findings are graded as "some versions affected"."""
import keras
import numpy as np
import torch
import yaml


def read(path):
    # expect: LL116:warning
    return np.load(path)


def manifest(stream):
    # expect: LL506:warning, LL502:duplicate
    return yaml.full_load(stream)


# expect: LL306:warning, LL301:duplicate
legacy = keras.models.load_model("weights/model.h5")


def load_any(path):
    # expect: LL307:warning, LL301:duplicate
    return keras.saving.load_model(path)


def read_no_pickle(path):
    # ok: LL116, LL110
    return np.load(path, allow_pickle=False)


def checkpoint(path):
    # expect: LL206:warning
    return torch.load(path, weights_only=True)
