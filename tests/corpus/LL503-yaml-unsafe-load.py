import yaml
import yaml as pyyaml
import yaml.cyaml
from yaml import *
from yaml import unsafe_load_all
from yaml import unsafe_load as trusted_load

try:
    import yaml as fixture_yaml
except ImportError:
    fixture_yaml = None


def parse_upload(data):
    # expect: LL503
    return yaml.unsafe_load(data)


def from_imports(text):
    # expect: LL503
    a = pyyaml.unsafe_load(text)
    # expect: LL503
    b = trusted_load(text)
    # expect: LL503
    c = list(unsafe_load_all(text))
    # expect: LL503
    d = unsafe_load(text)
    # expect: LL503
    e = list(fixture_yaml.unsafe_load_all(text))
    return a, b, c, d, e


def keyword_argument(request):
    # expect: LL503
    return yaml.unsafe_load(stream=request.get_data())


def aliased(text):
    parse = yaml.unsafe_load
    # expect: LL503
    return parse(text)


def as_value(texts):
    # expect: LL503
    return list(map(yaml.unsafe_load, texts))


def multi_line(path):
    with open(path) as f:
        # expect: LL503
        return yaml.unsafe_load(
            f,
        )


def safe_helpers(text):
    # ok: LL503
    a = yaml.safe_load(text)
    # ok: LL503
    b = list(yaml.safe_load_all(text))
    return a, b


def shadowed(yaml, text):
    # ok: LL503
    return yaml.unsafe_load(text)


def writes_only(data):
    # ok: LL503
    return yaml.dump(data, Dumper=yaml.Dumper)


def other_module(text):
    from myapp import legacy_config
    # ok: LL503
    return legacy_config.unsafe_load(text)
