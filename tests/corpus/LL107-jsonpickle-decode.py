import json

import jsonpickle
import jsonpickle as jp
import jsonpickle.unpickler
from jsonpickle import *
from jsonpickle import Unpickler
from jsonpickle import decode as jp_decode

try:
    import jsonpickle as state_codec
except ImportError:
    state_codec = None


def handle(request):
    # expect: LL107
    return jsonpickle.decode(request.body)


def from_imports(text):
    # expect: LL107
    a = jp.decode(text, keys=True)
    # expect: LL107
    b = jp_decode(text)
    # expect: LL107
    c = decode(text)
    # expect: LL107
    d = jsonpickle.unpickler.decode(text)
    # expect: LL107
    e = jsonpickle.loads(text)
    # expect: LL107
    f = state_codec.decode(text)
    return a, b, c, d, e, f


def safe_flag_is_not_a_fix(text):
    # expect: LL107
    return jsonpickle.decode(text, safe=True)


def keyword_argument(text):
    # expect: LL107
    return jsonpickle.decode(string=text)


def unpickler_class(text):
    # expect: LL107
    restorer = Unpickler()
    # expect: LL107
    other = jsonpickle.unpickler.Unpickler(keys=True)
    return restorer.restore(json.loads(text)), other


def aliased(text):
    thaw = jsonpickle.decode
    # expect: LL107
    return thaw(text)


def as_value(texts):
    # expect: LL107
    return list(map(jsonpickle.decode, texts))


def multi_line(text):
    # expect: LL107
    return jsonpickle.decode(
        text,
        keys=True,
        classes=[dict],
    )


def shadowed(jsonpickle, text):
    # ok: LL107
    return jsonpickle.decode(text)


def writes_only(obj):
    # ok: LL107
    return jsonpickle.encode(obj, unpicklable=False)


def other_module(text):
    # ok: LL107
    data = json.loads(text)
    # ok: LL107
    return text.encode("utf-8").decode("utf-8"), data
