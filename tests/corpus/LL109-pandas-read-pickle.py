import pandas
import pandas as pd
import pandas.io.pickle
from pandas import *
from pandas import read_pickle as load_frame
from pandas.io import pickle

try:
    import modin.pandas as mpd
except ImportError:
    import pandas as mpd


def load_dataset(url):
    # expect: LL109
    return pd.read_pickle(url)


def from_imports(path):
    # expect: LL109
    a = read_pickle(path, compression="gzip")
    # expect: LL109
    b = load_frame(path)
    # expect: LL109
    c = pandas.read_pickle(path)
    # expect: LL109
    d = pandas.io.pickle.read_pickle(path)
    # expect: LL109
    e = pickle.read_pickle(path)
    return a, b, c, d, e


def conditional_import(path):
    # expect: LL109
    return mpd.read_pickle(path)


def keyword_argument(request):
    # expect: LL109
    return pd.read_pickle(filepath_or_buffer=request.files["frame"], compression=None)


def remote(bucket, key):
    # expect: LL109
    return pd.read_pickle(f"s3://{bucket}/{key}", storage_options={"anon": True})


def aliased(path):
    reader = pd.read_pickle
    # expect: LL109
    return reader(path)


def as_value(paths):
    # expect: LL109
    return pd.concat(map(pd.read_pickle, paths))


def multi_line(path):
    # expect: LL109
    return pd.read_pickle(
        path,
        compression="infer",
    )


def shadowed(pd, path):
    # ok: LL109
    return pd.read_pickle(path)


def writes_only(frame, path):
    # ok: LL109
    frame.to_pickle(path)
    # ok: LL109
    pd.to_pickle(frame, path)


def data_only_formats(path):
    # ok: LL109
    a = pd.read_parquet(path)
    # ok: LL109
    b = read_csv(path)
    return a, b


def other_module(path):
    import polars
    # ok: LL109
    return polars.read_ipc(path)
