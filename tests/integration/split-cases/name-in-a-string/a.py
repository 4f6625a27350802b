import pickle

DOC = """
    The loader: pickle.loads(blob)
"""


#@FILLER


def f(blob):
    return getattr(pickle, "loads")(blob)
