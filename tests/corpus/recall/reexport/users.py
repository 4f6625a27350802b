"""Loaders reached through other modules of the project and of libraries."""
import reexport.compat as c
from reexport.compat import pickle
from reexport.everything import RestrictedUnpickler, Unpickler
from reexport.everything import cp as vendored
from reexport.everything import loads as ld

from .compat import pickle as p


def through_from_import(blob):
    # expect: LL101
    return pickle.loads(blob)


def through_relative_import(blob):
    # expect: LL101
    return p.loads(blob)


def through_module_alias(blob):
    # expect: LL101
    return c.pickle.loads(blob)


def through_star_import_and_alias(blob):
    # expect: LL101
    return ld(blob)


def vendored_cloudpickle(blob):
    # expect: LL104
    return vendored.loads(blob)


def subclass_elsewhere(fh):
    # expect: LL102
    return Unpickler(fh).load()


def restricted_subclass(fh):
    # ok: LL102 (its find_class refuses what it does not allow)
    return RestrictedUnpickler(fh).load()


def library_reexports(blob):
    import pickle5
    from six.moves import cPickle

    # expect: LL101
    a = cPickle.loads(blob)
    # expect: LL101
    b = pickle5.loads(blob)
    return a, b
