import pickle


class Store:
    #@METHODS

    def __init__(self):
        self.decoder = pickle.loads

    #@METHODS

    def read(self, data):
        return self.decoder(data)
