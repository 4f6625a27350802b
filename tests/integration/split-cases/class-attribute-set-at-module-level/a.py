import pickle
import sys


class Holder:
    #@METHODS

    def use(self):
        return self.dec(sys.stdin.buffer.read())


Holder.dec = pickle.loads
