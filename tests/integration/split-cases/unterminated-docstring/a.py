import pickle


#@FILLER


def bad():
    x = """abc


def use(d):
    return pickle.loads(d)
