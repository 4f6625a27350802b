import pickle
import sys


class Store:
    def setup(self):
        (self.dec, self.count) = (pickle.loads, 1)

    #@METHODS

    def read(self):
        return self.dec(open(sys.argv[1], "rb").read())
