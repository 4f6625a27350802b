import pickle


class Codec:
    decode = pickle.loads

    #@METHODS

    def run(self, blob):
        return self.decode(blob)
