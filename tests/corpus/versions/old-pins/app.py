"""Every pinned version is below its fix (requirements.txt)."""
import io

import keras
import numpy as np
import torch
import yaml
from flask import request


def read(path):
    # expect: LL116:warning
    return np.load(path)


def upload():
    # an untrusted input: the grade of the range (error) applies
    # expect: LL116:error
    return np.load(io.BytesIO(request.get_data()))


def read_no_pickle(path):
    # ok: LL116, LL110
    return np.load(path, allow_pickle=False)


def manifest(stream):
    # LL506 says more than LL502 at the same call, which it hides
    # expect: LL506:warning, LL502:duplicate
    return yaml.full_load(stream)


def manifest_safe(stream):
    # ok: LL506, LL502
    return yaml.safe_load(stream)


# expect: LL306:warning, LL301:duplicate
legacy = keras.models.load_model("weights/model.h5")
# safe_mode=False is LL302's on any version
# ok: LL306
# expect: LL302, LL301:duplicate
unsafe = keras.models.load_model("weights/model.h5", safe_mode=False)
# the .keras format: safe mode applies, and is bypassable below 3.11
# ok: LL306
# expect: LL307:note, LL301:duplicate
modern = keras.models.load_model("weights/model.keras")


def load_any(path):
    # expect: LL307:warning, LL301:duplicate
    return keras.saving.load_model(path)


def checkpoint(path):
    # expect: LL206:warning
    return torch.load(path, weights_only=True)
