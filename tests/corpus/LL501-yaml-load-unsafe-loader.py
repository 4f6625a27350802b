import functools
import yaml
import yaml as pyyaml
import yaml.loader
from yaml import *
from yaml import load_all
from yaml import CSafeLoader as Fast
from yaml import FullLoader
from yaml import load as yaml_load
from yaml.loader import SafeLoader as NewSafeLoader

try:
    from yaml import CLoader as ConfigLoader
except ImportError:
    from yaml import Loader as ConfigLoader


def read_config(text):
    # expect: LL501
    return yaml.load(text, Loader=yaml.Loader)


def unsafe_loaders(text):
    # expect: LL501
    a = yaml.load(text, Loader=yaml.UnsafeLoader)
    # expect: LL501
    b = pyyaml.load(text, pyyaml.CLoader)
    # expect: LL501
    c = yaml_load(text, Loader=FullLoader)
    # expect: LL501
    d = yaml.load(text, Loader=ConfigLoader)
    # expect: LL501
    e = load(text, Loader=Loader)
    return a, b, c, d, e


def missing_loader(stream):
    # expect: LL501
    return yaml.load(stream)


def load_all_unsafe(stream):
    # expect: LL501
    docs = list(load_all(stream, Loader=yaml.FullLoader))
    # expect: LL501
    more = list(yaml.load_all(stream))
    return docs, more


def variable_loader(stream, loader_cls, options):
    # expect: LL501
    a = yaml.load(stream, Loader=loader_cls)
    # expect: LL501
    b = yaml.load(stream, **options)
    return a, b


def aliased(text):
    parse = yaml.load
    # expect: LL501
    return parse(text, Loader=yaml.Loader)


def multi_line(path):
    with open(path) as f:
        # expect: LL501
        return yaml.load(
            f,
            Loader=yaml.UnsafeLoader,
        )


def safe_loaders(text):
    # ok: LL501
    a = yaml.load(text, Loader=yaml.SafeLoader)
    # ok: LL501
    b = yaml.load(text, Loader=Fast)
    # ok: LL501
    c = yaml.load(text, Loader=NewSafeLoader)
    # ok: LL501
    d = yaml.load(text, Loader=yaml.loader.SafeLoader)
    # ok: LL501
    e = pyyaml.load(text, pyyaml.CSafeLoader)
    # ok: LL501
    f = yaml.load(text, Loader=yaml.BaseLoader)
    # ok: LL501
    g = list(yaml.load_all(text, Loader=yaml.cyaml.CSafeLoader))
    # ok: LL501
    h = yaml_load(text, Loader=SafeLoader)
    # ok: LL501
    i = yaml.load(text, yaml.loader.BaseLoader)
    # ok: LL501
    j = yaml.load(text, Loader=yaml.CBaseLoader)
    return a, b, c, d, e, f, g, h, i, j


def backslash_continuations(text):
    # a `\` line continuation among the arguments is not an argument: the
    # loader is the second one
    # ok: LL501
    a = yaml.load(text, \
                  yaml.SafeLoader)
    # expect: LL501
    b = yaml.load(text, \
                  yaml.UnsafeLoader)
    # ok: LL501
    c = functools.partial(\
        yaml.load, text, yaml.SafeLoader)
    return a, b, c


def safe_helpers(text):
    # ok: LL501
    return yaml.safe_load(text), list(yaml.safe_load_all(text))


def shadowed(yaml, text):
    # ok: LL501
    return yaml.load(text)


def local_shadow(path):
    from ruamel.yaml import YAML
    yaml = YAML(typ="safe")
    # ok: LL501
    return yaml.load(path)


def writes_only(data):
    # ok: LL501
    return yaml.dump(data, Dumper=yaml.Dumper) + yaml.safe_dump(data)


def other_module(text):
    import json
    # ok: LL501
    return json.loads(text)
