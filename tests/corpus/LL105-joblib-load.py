import joblib
import joblib as jl
import joblib.numpy_pickle
from joblib import *
from joblib import load as load_artifact
from joblib import numpy_pickle

try:
    from sklearn.externals import joblib as sk_joblib
except ImportError:
    import joblib as sk_joblib


def load_model(path):
    # expect: LL105
    return joblib.load(path)


def from_imports(path):
    # expect: LL105
    a = jl.load(path, mmap_mode="r")
    # expect: LL105
    b = load_artifact(path)
    # expect: LL105
    c = load(path)
    # expect: LL105
    d = joblib.numpy_pickle.load(path)
    # expect: LL105
    e = sk_joblib.load(path)
    # expect: LL105
    f = numpy_pickle.load(path)
    return a, b, c, d, e, f


def keyword_argument(path):
    # expect: LL105
    return joblib.load(filename=path)


def from_upload(request):
    # expect: LL105
    return joblib.load(request.files["model"])


def aliased(path):
    restore = joblib.load
    # expect: LL105
    return restore(path)


def as_value(paths):
    # expect: LL105
    return dict(zip(paths, map(joblib.load, paths)))


def multi_line(path):
    # expect: LL105
    return joblib.load(
        path,
        mmap_mode=None,
    )


def shadowed(joblib, path):
    # ok: LL105
    return joblib.load(path)


def local_shadow(path, registry):
    joblib = registry.get("artifact-store")
    # ok: LL105
    return joblib.load(path)


def writes_only(model, path):
    # ok: LL105
    joblib.dump(model, path, compress=3)
    # ok: LL105
    return joblib.Parallel(n_jobs=2)(joblib.delayed(abs)(x) for x in (-1, -2))


def other_module(path):
    import json
    with open(path) as f:
        # ok: LL105
        return json.load(f)
