"""Every pinned version is the first fixed one (requirements.txt): no
version finding; the rules without versions report as ever."""
import keras
import numpy as np
import torch
import yaml


def read(path):
    # ok: LL116, LL110
    return np.load(path)


def manifest(stream):
    # ok: LL506
    # expect: LL502
    return yaml.full_load(stream)


# ok: LL306
# expect: LL301
legacy = keras.models.load_model("weights/model.h5")


def load_any(path):
    # ok: LL307
    # expect: LL301
    return keras.saving.load_model(path)


def checkpoint(path):
    # ok: LL206, LL201
    return torch.load(path, weights_only=True)
