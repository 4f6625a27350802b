"""Names no loader: passes request data to a helper that unpickles it."""
from flask import request

from .helpers import load_blob


def handler():
    return load_blob(request.data)
