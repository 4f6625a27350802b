"""numpy.load with allow_pickle (LL110)."""
import numpy as np
import torch


def embeddings(path):
    return np.load(path, allow_pickle=True)


def tensor():
    # a literal .npy into torch.from_numpy: numeric arrays only, a safe fix
    return torch.from_numpy(np.load("weights.npy", allow_pickle=True))


def metadata(path):
    return np.load(path, allow_pickle=True).item()


def first(path):
    return np.load(allow_pickle=True, file=path)


def many(path):
    return np.load(
        path,
        mmap_mode="r",
        allow_pickle=True,  # old object arrays
    )


def last_without_comma(path):
    return np.load(
        path,
        allow_pickle=True
    )


def commented(path):
    return np.load(path,  # the file
                   allow_pickle=True)


def no_fix_positional(path):
    return np.load(path, None, True)
