"""ruamel.yaml's old module functions (LL505)."""
import ruamel.yaml
from ruamel import yaml as ryaml


def read_config(text):
    return ruamel.yaml.safe_load(text)


def read_all(text):
    return list(ruamel.yaml.safe_load_all(text, version="1.1"))


def read_unsafe(text):
    return ryaml.load(text, Loader=ryaml.SafeLoader)


def no_fix_round_trip(text):
    return ruamel.yaml.load(text, preserve_quotes=True)
