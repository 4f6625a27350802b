"""numpy.load with allow_pickle (LL110)."""
import numpy as np
import torch


def embeddings(path):
    return np.load(path)


def tensor():
    # a literal .npy into torch.from_numpy: numeric arrays only, a safe fix
    return torch.from_numpy(np.load("weights.npy"))


def metadata(path):
    return np.load(path).item()


def first(path):
    return np.load(file=path)


def many(path):
    return np.load(
        path,
        mmap_mode="r",
    )


def last_without_comma(path):
    return np.load(
        path,
    )


def commented(path):
    return np.load(path  # the file
                   )


def no_fix_positional(path):
    return np.load(path, None, True)
