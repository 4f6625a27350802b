import ruamel.yaml
import ruamel.yaml as ry
import ruamel.yaml.loader
from ruamel import yaml
from ruamel.yaml import *
from ruamel.yaml import load_all
from ruamel.yaml import load as legacy_load
from ruamel.yaml import CSafeLoader as FastSafe
from ruamel.yaml.loader import SafeLoader as NewSafeLoader

try:
    from ruamel.yaml import CLoader as ConfigLoader
except ImportError:
    from ruamel.yaml import Loader as ConfigLoader


def read_config(text):
    # expect: LL505
    return ruamel.yaml.load(text)


def unsafe_loaders(text):
    # expect: LL505
    a = ry.load(text, Loader=ry.Loader)
    # expect: LL505
    b = legacy_load(text, ruamel.yaml.UnsafeLoader)
    # expect: LL505
    c = ruamel.yaml.load(text, Loader=ConfigLoader)
    # expect: LL505
    d = list(load_all(text))
    # expect: LL505
    e = load(text, Loader=Loader, version="1.1")
    return a, b, c, d, e


def module_imported_as_yaml(text):
    # `yaml` is ruamel.yaml here, so this is LL505 and not LL501
    # expect: LL505
    # ok: LL501
    return yaml.load(text)


def variable_loader(stream, loader_cls):
    # expect: LL505
    return ruamel.yaml.load(stream, Loader=loader_cls)


def aliased(text):
    parse = ruamel.yaml.load
    # expect: LL505
    return parse(text)


def multi_line(path):
    with open(path) as f:
        # expect: LL505
        return ruamel.yaml.load(
            f,
            Loader=ruamel.yaml.Loader,
        )


def safe_loaders(text):
    # ok: LL505
    a = ruamel.yaml.load(text, Loader=ruamel.yaml.SafeLoader)
    # ok: LL505
    b = ry.load(text, Loader=FastSafe)
    # ok: LL505
    c = ruamel.yaml.load(text, Loader=NewSafeLoader)
    # ok: LL505
    d = ruamel.yaml.load(text, ruamel.yaml.loader.BaseLoader)
    # ok: LL505
    e = yaml.load(text, Loader=yaml.RoundTripLoader, preserve_quotes=True)
    # ok: LL505
    f = list(load_all(text, Loader=SafeLoader))
    return a, b, c, d, e, f


def object_api(text):
    from ruamel.yaml import YAML
    yaml = YAML(typ="safe")
    # ok: LL505
    # ok: LL501
    return yaml.load(text)


def safe_helpers(text):
    # ok: LL505
    return ruamel.yaml.safe_load(text), ruamel.yaml.round_trip_load(text)


def shadowed(ruamel, text):
    # ok: LL505
    return ruamel.yaml.load(text)


def writes_only(data):
    # ok: LL505
    return ruamel.yaml.dump(data, Dumper=ruamel.yaml.RoundTripDumper)


def other_module(text):
    import tomllib
    # ok: LL505
    return tomllib.loads(text)
