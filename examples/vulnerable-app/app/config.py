"""Settings files (YAML)."""

import yaml


def load_settings(path):
    with open(path) as f:
        # UNSAFE: yaml.load without a safe Loader can build arbitrary Python objects
        # (this code predates PyYAML 6, where Loader became a required argument).
        return yaml.load(f)


def load_defaults(path="defaults.yaml"):
    with open(path) as f:
        # Safe: safe_load only builds plain YAML types.
        return yaml.safe_load(f)
