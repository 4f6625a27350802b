import pickle
import sys

if sys.platform != "win32":
    def helper(blob):
        return pickle.loads(blob)


#@FILLER


def g():
    return helper(sys.stdin.buffer.read())
