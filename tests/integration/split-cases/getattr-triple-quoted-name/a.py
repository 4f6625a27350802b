import pickle


#@FILLER


def f(x):
    return getattr(pickle, '''loads''')(x)
