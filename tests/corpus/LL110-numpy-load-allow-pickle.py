import numpy
import numpy as np
import numpy.lib.npyio
from numpy import *
from numpy import load as load_array
from numpy.lib import npyio

try:
    import numpy as xp
except ImportError:
    xp = None

ALLOW = True


def load_embeddings(path):
    # expect: LL110
    return np.load(path, allow_pickle=True)


def from_imports(path, flag):
    # expect: LL110
    a = load(path, allow_pickle=flag)
    # expect: LL110
    b = load_array(path, allow_pickle=1)
    # expect: LL110
    c = numpy.load(path, None, True)
    # expect: LL110
    d = numpy.lib.npyio.load(path, allow_pickle=ALLOW)
    # expect: LL110
    e = xp.load(path, allow_pickle="yes")
    # expect: LL110
    f = npyio.load(path, allow_pickle=True)
    return a, b, c, d, e, f


def memory_mapped(request):
    # expect: LL110
    return np.load(file=request.files["arr"], mmap_mode="r", allow_pickle=True)


def aliased(path):
    reader = np.load
    # expect: LL110
    return reader(path, allow_pickle=True)


def multi_line(path):
    # expect: LL110
    archive = np.load(
        path,
        allow_pickle=True,
    )
    return archive["objects"]


def default_is_safe(path):
    # ok: LL110
    a = np.load(path)
    # ok: LL110
    b = np.load(path, mmap_mode="r")
    return a, b


def explicitly_disabled(path):
    # ok: LL110
    a = np.load(path, allow_pickle=False)
    # ok: LL110
    b = numpy.load(path, None, False)
    # ok: LL110
    c = load(path, allow_pickle=None)
    # ok: LL110
    d = np.load(path, allow_pickle=0)
    return a, b, c, d


def forwarded_options(path, options):
    # ok: LL110
    return np.load(path, **options)


def shadowed(np, path):
    # ok: LL110
    return np.load(path, allow_pickle=True)


def writes_only(path, array):
    # ok: LL110
    np.save(path, array, allow_pickle=True)
    # ok: LL110
    np.savez_compressed(path, data=array)


def other_module(path):
    # ok: LL110
    return np.loadtxt(path, delimiter=",")


def format_reader(fp):
    from numpy.lib import format as npformat

    # expect: LL110
    a = npformat.read_array(fp, allow_pickle=True)
    # ok: LL110
    b = npformat.read_array(fp)
    return a, b


def passed_with_its_flags(path):
    import numpy as np
    import pytest

    # expect: LL110
    pytest.raises(ValueError, np.load, path, allow_pickle=True)
    # ok: LL110
    pytest.raises(ValueError, np.load, path)
