"""PyYAML names imported with `from yaml import ...`: the new names are added to
that import, once, however many calls need them (LL501, LL502)."""
from yaml import (
    Loader,
    full_load,
    load,
)


def read_config(stream):
    return load(stream)


def read_again(stream):
    return load(stream)


def read_unsafe(stream):
    return load(stream, Loader=Loader)


def read_full(stream):
    return full_load(stream)
