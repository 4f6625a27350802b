import sys

import ruamel.yaml
import ruamel.yaml as ry
from ruamel.yaml import *
from ruamel.yaml import main
from ruamel.yaml import YAML as RuamelYAML

try:
    from ruamel.yaml import YAML as CompatYAML
except ImportError:
    CompatYAML = None

# expect: LL504
UNSAFE = YAML(typ="unsafe")


def read_config(path):
    with open(path) as f:
        # ok: LL504
        return UNSAFE.load(f)


def unsafe_instances():
    # expect: LL504
    a = ruamel.yaml.YAML(typ="unsafe")
    # expect: LL504
    b = ry.YAML(typ="unsafe", pure=True)
    # expect: LL504
    c = RuamelYAML(typ="unsafe")
    # expect: LL504
    d = main.YAML(typ="unsafe")
    # expect: LL504
    e = CompatYAML(typ="unsafe")
    return a, b, c, d, e


def aliased(text):
    make_yaml = ruamel.yaml.YAML
    # expect: LL504
    return make_yaml(typ="unsafe").load(text)


def multi_line(text):
    # expect: LL504
    loader = YAML(
        typ="unsafe",
        pure=True,
    )
    return loader.load(text)


def list_form(text):
    # todo-expect: LL504
    return YAML(typ=["unsafe"]).load(text)


def safe_instances(text):
    # ok: LL504
    a = YAML()
    # ok: LL504
    b = YAML(typ="safe")
    # ok: LL504
    c = YAML(typ="rt")
    # ok: LL504
    d = ruamel.yaml.YAML(typ="safe", pure=True)
    # BaseConstructor builds only str/list/dict: no Python tags
    # ok: LL504
    e = YAML(typ="base")
    return [y.load(text) for y in (a, b, c, d, e)]


def not_a_literal(kind):
    # ok: LL504
    return YAML(typ=kind)


def shadowed(ruamel, text):
    # ok: LL504
    return ruamel.yaml.YAML(typ="unsafe").load(text)


def writes_only(data):
    # ok: LL504
    YAML(typ="safe").dump(data, sys.stdout)


def other_module(text):
    from myapp.config import YAML as AppYAML
    # ok: LL504
    return AppYAML(typ="unsafe").parse(text)
