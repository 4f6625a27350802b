"""`import yaml` beside `from yaml import ...`: the module's spelling is used,
and nothing is imported (LL501)."""
import yaml
from yaml import FullLoader, load

try:
    from yaml import CLoader as FastLoader
except ImportError:
    from yaml import Loader as FastLoader


def read_config(stream):
    return yaml.safe_load(stream)


def read_full(stream):
    return yaml.load(stream, Loader=yaml.SafeLoader)


def read_fast(stream):
    return yaml.load(stream, Loader=yaml.SafeLoader)
