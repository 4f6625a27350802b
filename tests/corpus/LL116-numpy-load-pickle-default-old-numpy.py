"""LL116: numpy.load with allow_pickle left at its default, judged against
the numpy versions the project allows. Nothing here states a numpy version:
left alone. The pinned cases are tests/corpus/versions/*/app.py."""
import numpy as np


def read(path):
    # ok: LL116, LL110
    return np.load(path)


def read_explicit(path):
    # ok: LL116
    # expect: LL110
    return np.load(path, allow_pickle=True)
