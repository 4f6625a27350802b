"""Only the top package is imported: the loader class is reached through its
attributes (torch.utils.model_dump does torch.utils.show_pickle.DumpUnpickler)."""
import reexport


class Mine(reexport.compat.Unpickler):
    """A subclass of a subclass kept in another module: still unrestricted."""


def subclass_through_package(fh):
    # expect: LL102
    return reexport.compat.Unpickler(fh).load()


def own_subclass_of_reexported_class(fh):
    # expect: LL102
    return Mine(fh).load()


def restricted_through_package(fh):
    # ok: find_class refuses what it does not allow
    return reexport.compat.RestrictedUnpickler(fh).load()
