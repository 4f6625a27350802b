"""PyYAML under another name: the fix keeps it (LL501, LL502, LL503)."""
import yaml as y


def read_config(stream):
    return y.load(stream)


def read_full(stream):
    return y.load(stream, Loader=y.FullLoader)


def read_helper(stream):
    return y.full_load(stream)


def read_unsafe(stream):
    return y.unsafe_load_all(stream)
