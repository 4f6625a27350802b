# ruff: noqa: S301
#@FILLER


import pickle


def load(data):
    return pickle.loads(data)

