"""PyYAML under another name: the fix keeps it (LL501, LL502, LL503)."""
import yaml as y


def read_config(stream):
    return y.safe_load(stream)


def read_full(stream):
    return y.load(stream, Loader=y.SafeLoader)


def read_helper(stream):
    return y.safe_load(stream)


def read_unsafe(stream):
    return y.safe_load_all(stream)
