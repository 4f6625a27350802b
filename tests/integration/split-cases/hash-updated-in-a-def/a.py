import hashlib
import pickle
from store import get_blob

H = hashlib.sha256()
DATA = get_blob()


def prep():
    H.update(DATA)


#@FILLER


def use():
    if H.hexdigest() == "abc":
        return pickle.loads(DATA)
