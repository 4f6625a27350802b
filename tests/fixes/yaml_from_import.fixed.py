"""PyYAML names imported with `from yaml import ...`: the new names are added to
that import, once, however many calls need them (LL501, LL502)."""
from yaml import (
    Loader,
    full_load,
    load,
    safe_load,
    SafeLoader,
)


def read_config(stream):
    return safe_load(stream)


def read_again(stream):
    return safe_load(stream)


def read_unsafe(stream):
    return load(stream, Loader=SafeLoader)


def read_full(stream):
    return safe_load(stream)
