"""A project's YAML loader: the fastest safe loader the platform has."""
try:
    from yaml import CSafeLoader as Loader
except ImportError:
    from yaml import SafeLoader as Loader


class YamlLoader(Loader):
    """Safe: its base is one of yaml's safe loaders, whichever was imported."""
