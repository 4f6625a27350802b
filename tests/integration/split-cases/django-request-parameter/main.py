import pickle
from views import upload


def go(req):
    return pickle.loads(upload(req))
