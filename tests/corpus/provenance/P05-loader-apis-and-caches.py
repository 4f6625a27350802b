"""Loader APIs and caches: unknown inputs whose risk the caller decides.

A function that exists to deserialize what its caller passes (named like a
loader: load*, read_*, *loads, unpickle*, __setstate__) and feeds its
parameter straight into a loader the rule flags whatever the options is a
loader API: a note there; a caller that passes it untrusted data is
reported (as an error, at the loader, with the path through the call). A
file the same function writes itself with a serializer (a cache) is graded
one step down, unless it lives in a place other users share."""
import os
import pickle
import tempfile

import joblib
import torch
from flask import Flask, request

app = Flask(__name__)


def read_pickle(path):
    with open(path, "rb") as f:
        # expect: LL101:note
        return pickle.load(f)


def load_blob(data):
    # reached from the route below with request data: an error here
    # expect: LL101:error
    return pickle.loads(data)


@app.route("/blob", methods=["POST"])
def blob():
    return str(load_blob(request.data))


def load_checkpoint(path):
    # torch.load has a safe mode: a wrapper should use weights_only=True
    # expect: LL201:warning
    return torch.load(path)


def restore_state(path):
    # not a loader's name: the unknown input stays a warning
    # expect: LL101:warning
    return pickle.load(open(path, "rb"))


def fetch_dataset(data_home, download):
    path = os.path.join(data_home, "dataset.joblib")
    if not os.path.exists(path):
        data = download()
        joblib.dump(data, path, compress=3)
    else:
        # expect: LL105:note
        data = joblib.load(path)
    return data


def cache_in_shared_tmp(compute):
    path = os.path.join(tempfile.gettempdir(), "cache.pkl")
    if os.path.exists(path):
        with open(path, "rb") as f:
            # anyone on the machine can put a file there
            # expect: LL101:warning
            return pickle.load(f)
    value = compute()
    with open(path, "wb") as f:
        pickle.dump(value, f)
    return value


def other_file_than_written(data_home, download):
    path = os.path.join(data_home, "dataset.joblib")
    other = os.path.join(data_home, "other.joblib")
    joblib.dump(download(), other)
    # a different file than the one written
    # expect: LL105:warning
    return joblib.load(path)


class Wrapped:
    """How this object is rebuilt when a pickle holding it is loaded: that
    outer load is the finding, not the loader named in the rebuild recipe."""

    def __init__(self, obj):
        self._obj = obj

    # expect: LL601:note
    def __reduce__(self):
        # ok: LL101
        return pickle.loads, (pickle.dumps(self._obj),)
