"""LL506: yaml.full_load judged against the PyYAML versions the project
allows. Nothing here states a PyYAML version: LL502 alone reports the call.
The pinned cases are tests/corpus/versions/*/app.py."""
import yaml


def read(stream):
    # ok: LL506
    # expect: LL502
    return yaml.full_load(stream)


def read_safe(stream):
    # ok: LL506, LL502
    return yaml.safe_load(stream)
