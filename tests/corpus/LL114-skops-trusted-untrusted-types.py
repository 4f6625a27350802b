import sys

import skops.io as sio
from flask import Flask, request
from skops.io import get_untrusted_types
from skops.io import load as skops_load
from skops.io import loads

import mylib.persist as persist

app = Flask(__name__)

TRUSTED = [
    "sklearn.ensemble._forest.RandomForestClassifier",
    "sklearn.tree._classes.DecisionTreeClassifier",
]


def load_model(path):
    unknown = sio.get_untrusted_types(file=path)
    # expect: LL114:warning
    return sio.load(path, trusted=unknown)


def inline(path):
    # expect: LL114:warning
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))


def imported_names(path):
    types = get_untrusted_types(file=path)
    # expect: LL114
    return skops_load(path, types)


def from_bytes(data):
    # expect: LL114
    return loads(data, trusted=get_untrusted_types(data=data))


def multi_line(path):
    # expect: LL114
    model = sio.load(
        path,
        trusted=sio.get_untrusted_types(file=path),
    )
    return model


def from_argv():
    path = sys.argv[1]
    # expect: LL114:error
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))


@app.post("/predict")
def predict():
    blob = request.files["model"].read()
    # expect: LL114:error
    model = sio.loads(blob, trusted=sio.get_untrusted_types(data=blob))
    return str(model.predict([[0.0]]))


def bundled():
    # expect: LL114:note
    return sio.load("models/model.skops", trusted=sio.get_untrusted_types(file="models/model.skops"))


def pre_0_10_trust_all(path):
    # CVE-2024-37065: before skops 0.10 trusted=True trusted everything.
    # todo-expect: LL114
    return sio.load(path, trusted=True)


def reviewed_list(path):
    # ok: LL114
    a = sio.load(path, trusted=["sklearn.ensemble._forest.RandomForestClassifier"])
    # ok: LL114
    b = sio.load(path, trusted=TRUSTED)
    # ok: LL114
    c = skops_load(path, TRUSTED)
    return a, b, c


def defaults(path):
    # ok: LL114
    a = sio.load(path)
    # ok: LL114
    b = sio.load(path, trusted=None)
    return a, b


def reviewed_subset(path):
    unknown = sio.get_untrusted_types(file=path)
    approved = [t for t in unknown if t in TRUSTED]
    # ok: LL114
    return sio.load(path, trusted=approved)


def listing_only(path):
    # ok: LL114
    return sio.get_untrusted_types(file=path)


def other_module(path):
    # ok: LL114
    return persist.load(path, trusted=persist.get_untrusted_types(file=path))


def shadowed(sio, path):
    # ok: LL114
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))
