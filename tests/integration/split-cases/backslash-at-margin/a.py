import numpy as np


def a():
    return 1
\
def path():
    return "model.npy"


#@FILLER


def use():
    return np.load(path(), allow_pickle=True)
