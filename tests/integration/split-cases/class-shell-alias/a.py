import pickle
import sys


class Codec:
    decode = pickle.loads

    #@METHODS

    def run(self):
        return self.decode(sys.stdin.buffer.read())
