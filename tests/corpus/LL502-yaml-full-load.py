import yaml
import yaml as pyyaml
import yaml.constructor
from yaml import *
from yaml import full_load_all
from yaml import full_load as load_manifest

try:
    import yaml as config_yaml
except ImportError:
    config_yaml = None


def read_manifest(stream):
    # expect: LL502
    return yaml.full_load(stream)


def from_imports(text):
    # expect: LL502
    a = pyyaml.full_load(text)
    # expect: LL502
    b = load_manifest(text)
    # expect: LL502
    c = list(full_load_all(text))
    # expect: LL502
    d = full_load(text)
    # expect: LL502
    e = config_yaml.full_load_all(text)
    return a, b, c, d, e


def keyword_argument(request):
    # expect: LL502
    return yaml.full_load(stream=request.data)


def aliased(text):
    parse = yaml.full_load
    # expect: LL502
    return parse(text)


def as_value(texts):
    # expect: LL502
    return [doc for doc in map(yaml.full_load, texts)]


def multi_line(path):
    with open(path) as f:
        # expect: LL502
        return yaml.full_load(
            f,
        )


def safe_helpers(text):
    # ok: LL502
    a = yaml.safe_load(text)
    # ok: LL502
    b = list(yaml.safe_load_all(text))
    return a, b


def shadowed(yaml, text):
    # ok: LL502
    return yaml.full_load(text)


def writes_only(data):
    # ok: LL502
    return yaml.safe_dump(data, default_flow_style=False)


def other_module(text):
    from myapp import manifests
    # ok: LL502
    return manifests.full_load(text)
