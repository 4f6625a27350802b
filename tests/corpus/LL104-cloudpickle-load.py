import cloudpickle
import cloudpickle as cp
import cloudpickle.cloudpickle
from cloudpickle import *
from cloudpickle import load
from cloudpickle import loads as cloud_loads

try:
    import cloudpickle as task_codec
except ImportError:
    task_codec = None


def load_udf(path):
    with open(path, "rb") as f:
        # expect: LL104
        return cloudpickle.load(f)


def run_task(message):
    # expect: LL104
    func, args = cp.loads(message)
    return func(*args)


def from_imports(path, blob):
    with open(path, "rb") as f:
        # expect: LL104
        model = load(f)
    # expect: LL104
    task = cloud_loads(blob)
    # expect: LL104
    other = loads(blob)
    # expect: LL104
    legacy = cloudpickle.cloudpickle.loads(blob)
    return model, task, other, legacy


def conditional_import(blob):
    # expect: LL104
    return task_codec.loads(blob)


def keyword_argument(blob):
    # expect: LL104
    return cloudpickle.loads(data=blob)


def aliased(blob):
    deserialize = cloudpickle.loads
    # expect: LL104
    return deserialize(blob)


def as_value(blobs):
    # expect: LL104
    return [result for result in map(cloudpickle.loads, blobs)]


def multi_line(blob):
    # expect: LL104
    return cloudpickle.loads(
        blob,
    )


def shadowed(cloudpickle, blob):
    # ok: LL104
    return cloudpickle.loads(blob)


def writes_only(func, path):
    # ok: LL104
    blob = cloudpickle.dumps(func)
    with open(path, "wb") as f:
        # ok: LL104
        cloudpickle.dump(func, f, protocol=5)
    return blob


def other_module(text):
    import tomllib
    # ok: LL104
    return tomllib.loads(text)
