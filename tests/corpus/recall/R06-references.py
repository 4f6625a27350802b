"""A reference counts when it is called or handed to something that calls
it, not when it is inspected or kept in a display."""
import pickle
import shelve
from torch.package import PackageImporter


class Shelf(shelve.DbfilenameShelf):
    def __enter__(self):
        # ok: LL106 (self is the object, not a call of the loader)
        return self


def inspected(x, pkl, f):
    # ok: LL203 (isinstance looks at the class)
    if isinstance(x, PackageImporter):
        return x
    # ok: LL101 (setattr replaces it)
    setattr(pkl, "loads", f)
    # ok: LL101 (a list of functions is a value)
    handlers = [pickle.loads, pickle.dumps]
    return handlers


CODECS = {"pickle": pickle.loads, "repr": repr}


def called_through_the_dict(fmt, blob):
    # expect: LL101
    return CODECS[fmt](blob)


def handed_to_a_caller(blobs):
    # expect: LL101
    return list(map(pickle.loads, blobs))


def returned():
    # expect: LL101
    return pickle.loads
