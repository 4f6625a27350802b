"""A UTF-8 file with a byte-order mark, which it keeps (LL501)."""
import yaml


def read(stream):  # été → 🐍
    return yaml.safe_load(stream)
