"""Settings files (YAML)."""

import yaml


def load_settings(path):
    # UNSAFE: yaml.load without a safe Loader can build arbitrary Python objects
    # (this code predates PyYAML 6, where Loader became a required argument).
    with open(path) as f:
        return yaml.load(f)


def load_defaults(path="defaults.yaml"):
    # Safe: safe_load only builds plain YAML types.
    with open(path) as f:
        return yaml.safe_load(f)
