"""PyYAML through `import yaml`: safe_load and SafeLoader (LL501, LL502, LL503)."""
import yaml


def read_config(stream):
    return yaml.safe_load(stream)


def read_all(stream):
    return list(yaml.safe_load_all(stream))


def read_full(stream):
    return yaml.load(stream, Loader=yaml.SafeLoader)


def read_full_helper(stream):
    return yaml.safe_load(stream)


def read_full_all(stream):
    return list(yaml.safe_load_all(stream))


def read_unsafe(stream):
    return yaml.load(stream, Loader=yaml.SafeLoader)


def read_unsafe_positional(stream):
    return yaml.load(stream, yaml.SafeLoader)


def read_unsafe_helper(stream):
    return yaml.safe_load(stream)


def read_c_loader(stream):
    return yaml.load(stream, Loader=yaml.SafeLoader)  # speed


def read_multiline(stream):
    return yaml.load(
        stream,
        Loader=yaml.SafeLoader,
    )


def no_fix_variable(stream, loader):
    return yaml.load(stream, Loader=loader)


class ConfigLoader(yaml.SafeLoader):
    pass


def safe_subclass(stream):
    # a subclass of SafeLoader is a safe loader: no finding, nothing to fix
    return yaml.load(stream, Loader=ConfigLoader)


def no_fix_kwargs(stream, **opts):
    return yaml.load(stream, **opts)


def no_fix_args(*args):
    return yaml.load(*args)
