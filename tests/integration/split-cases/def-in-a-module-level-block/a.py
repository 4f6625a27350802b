import pickle
import sys

if sys.platform != "win32":
    helper = pickle.loads

    def unused(blob):
        other = pickle.loads
        return other


#@FILLER


def g(blob):
    return helper(blob)


def h(blob):
    return other(blob)
