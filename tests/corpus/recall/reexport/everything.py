"""Re-exports the compatibility module with a star import."""
from .compat import *  # noqa: F403
