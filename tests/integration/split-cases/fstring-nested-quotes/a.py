import pickle


#@FILLER


def f(d):
    return f"{d["#"]}{pickle.loads(d)}"
