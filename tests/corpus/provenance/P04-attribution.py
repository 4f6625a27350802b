"""Evidence: each source is named where the untrusted value enters, and a
flow goes only through the call site that carries it."""
import argparse
import os
import pickle
import sys
import tempfile

import torch
from fastapi import FastAPI, UploadFile

api = FastAPI()


@api.post("/upload")
async def upload(file: UploadFile):
    data = await file.read()
    # expect: LL101:error
    return pickle.loads(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    args = parser.parse_args()

    def _read(name):
        return open(name, "rb")

    # each load's own argument, not another call site's
    # expect: LL101:error
    first = pickle.load(_read(args.input))
    # expect: LL101:note
    second = pickle.load(_read(os.path.join(os.path.dirname(__file__), "x.pkl")))
    return first, second


def from_stdin():
    # expect: LL101:error
    return pickle.loads(sys.stdin.buffer.read())


def json_from_stdin():
    import json
    # ok: LL101
    return json.loads(sys.stdin.read())


def download_into_a_directory_from_the_environment(url):
    model_dir = os.environ.get("TORCH_HOME", "/var/cache/torch")
    cached = os.path.join(model_dir, "weights.pth")
    torch.hub.download_url_to_file(url, cached)
    # the content comes from the download, not from TORCH_HOME
    # expect: LL201:error
    return torch.load(cached)


def kept_temporary_file(state):
    f = tempfile.NamedTemporaryFile(delete=False)
    torch.save(state, f.name)
    # expect: LL201:round-trip
    return torch.load(f.name)
