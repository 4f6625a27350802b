"""Safe YAML loaders made in other modules of the project, and subclassed here.
The loads below are reached from the command line, so a wrong verdict would
also show in the summaries of the functions that hold them."""
import argparse

import yaml

from reexport.yamlbase import (
    YamlLoader,
)


class LineLoader(YamlLoader):
    """Adds line numbers; still a safe loader."""


def read_config(path):
    with open(path) as f:
        # ok: LL501 (YamlLoader's base is yaml.CSafeLoader or yaml.SafeLoader)
        return yaml.load(f, Loader=YamlLoader)


def read_with_lines(path):
    with open(path) as f:
        # ok: LL501 (a subclass of a safe loader is safe)
        return yaml.load(f, Loader=LineLoader)


def read_anything(path):
    with open(path) as f:
        # expect: LL501
        return yaml.load(f, Loader=yaml.UnsafeLoader)


def main():
    args = argparse.ArgumentParser().parse_args()
    return read_config(args.config), read_with_lines(args.lines), read_anything(args.other)
