import pickle
import sys


class Store:
    #@METHODS

    def __init__(self):
        self.decoder = pickle.loads

    #@METHODS

    def read(self):
        data = open(sys.argv[1], "rb").read()
        return self.decoder(data)
