"""Round trips: loads of data the same code has just produced are withheld
(listed with --show-suppressed), unless someone else can reach the data."""
import io
import marshal
import os
import pickle
import tempfile

import joblib
import torch
import yaml


def same_function(obj):
    # expect: LL101:round-trip
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def code_objects(co):
    # expect: LL108:round-trip
    return marshal.loads(marshal.dumps(co))


def _serialise(obj):
    return pickle.dumps(obj)


def via_helper(obj):
    data = _serialise(obj)
    # expect: LL101:round-trip
    return pickle.loads(data)


def via_named_temporary_file(state):
    with tempfile.NamedTemporaryFile(suffix=".pt") as f:
        torch.save(state, f.name)
        # expect: LL201:round-trip
        return torch.load(f.name)


def via_temporary_directory(model):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.pkl")
        with open(path, "wb") as fh:
            pickle.dump(model, fh)
        with open(path, "rb") as fh:
            # expect: LL101:round-trip
            return pickle.load(fh)


def via_mkstemp(obj):
    fd, path = tempfile.mkstemp(suffix=".joblib")
    os.close(fd)
    joblib.dump(obj, path)
    # expect: LL105:round-trip
    return joblib.load(path)


def via_buffer(obj):
    buf = io.BytesIO()
    pickle.dump(obj, buf)
    buf.seek(0)
    # expect: LL101:round-trip
    return pickle.load(buf)


def yaml_round_trip(cfg):
    text = yaml.dump(cfg)
    # expect: LL501:round-trip
    return yaml.load(text, Loader=yaml.Loader)


def test_pytest_tmp_path(tmp_path):
    p = tmp_path / "state.pkl"
    p.write_bytes(pickle.dumps({"a": 1}))
    # expect: LL101:round-trip
    return pickle.loads(p.read_bytes())


# Not round trips: another user can replace a file in a shared directory,
# a temporary name nothing here writes holds whatever was put there, and a
# temporary file written with other data carries that data.


def constant_tmp_path(obj):
    with open("/tmp/state.pkl", "wb") as f:
        pickle.dump(obj, f)
    with open("/tmp/state.pkl", "rb") as f:
        # expect: LL101:note
        return pickle.load(f)


def shared_temp_dir(obj):
    path = os.path.join(tempfile.gettempdir(), "state.pkl")
    joblib.dump(obj, path)
    # expect: LL105:warning
    return joblib.load(path)


def temp_dir_filled_elsewhere(url):
    d = tempfile.mkdtemp()
    os.system("curl -o " + d + "/m.pkl " + url)
    with open(os.path.join(d, "m.pkl"), "rb") as f:
        # expect: LL101:warning
        return pickle.load(f)


def temp_file_written_with_a_parameter(blob):
    with tempfile.NamedTemporaryFile() as f:
        f.write(blob)
        f.flush()
        # expect: LL201:warning
        return torch.load(f.name)


def buffer_of_given_bytes(blob):
    # expect: LL101:warning
    return pickle.load(io.BytesIO(blob))


def json_is_not_a_loader(obj):
    import json
    # ok: LL101
    return json.loads(json.dumps(obj))


class Backend:
    """Subclasses store the state elsewhere (a network store)."""

    def get_state(self):
        """Returns what the store holds."""
        raise NotImplementedError


class StateHolder:
    # The state comes back from the backend, which others write to as well:
    # not only what this code produced. (torch.distributed's rendezvous.)
    def __init__(self, backend: Backend):
        self._backend = Backend()
        self._state = None

    def sync(self, dirty):
        bits = None
        if dirty:
            bits = pickle.dumps(self._state)
        else:
            bits = self._backend.get_state()
        # expect: LL101:warning
        self._state = pickle.loads(bits)
