import pickle


class Model:
    def __init__(self):
        self.path = "/opt/models/model.pkl"

    #@METHODS

    def load(self):
        with open(self.path, "rb") as f:
            return pickle.load(f)
