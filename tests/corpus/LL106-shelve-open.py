import dbm
import shelve
import shelve as sv
from shelve import *
from shelve import DbfilenameShelf
from shelve import open as open_shelf

try:
    import shelve as cache_store
except ImportError:
    cache_store = None


def load_cache(path):
    # expect: LL106
    with shelve.open(path) as db:
        return dict(db)


def read_only(path):
    # expect: LL106
    db = sv.open(path, flag="r")
    try:
        return db["state"]
    finally:
        db.close()


def from_imports(path, mapping):
    # expect: LL106
    a = open_shelf(path, "c")
    # expect: LL106
    b = DbfilenameShelf(path, flag="w", writeback=True)
    # expect: LL106
    c = Shelf(mapping)
    # expect: LL106
    d = cache_store.open(path)
    # expect: LL106
    e = shelve.BsdDbShelf(mapping)
    return a, b, c, d, e


def keyword_argument(request):
    # expect: LL106
    return shelve.open(filename=request.args["db"])


def wrap_dbm(path):
    # expect: LL106
    return shelve.Shelf(dbm.open(path, "r"))


def aliased(path):
    opener = shelve.open
    # expect: LL106
    return opener(path)


def multi_line(path):
    # expect: LL106
    return shelve.open(
        path,
        flag="r",
        protocol=4,
    )


def fresh_database(path):
    # ok: LL106
    with shelve.open(path, flag="n") as db:
        db["started"] = True
    # ok: LL106
    return open_shelf(path, "n")


def shadowed(shelve, path):
    # ok: LL106
    return shelve.open(path)


def star_import_shadows_builtin_open(path):
    # `from shelve import *` rebinds the builtin `open` to `shelve.open`
    # expect: LL106
    return open(path)


def other_module(path):
    # ok: LL106
    with dbm.open(path, "c") as db:
        db[b"k"] = b"v"
