import pickle
from urllib.request import urlretrieve


#@FILLER


def fetch(url, dest):
    urlretrieve(url, dest)
    return dest


def cached(blob):
    return pickle.loads(blob)
