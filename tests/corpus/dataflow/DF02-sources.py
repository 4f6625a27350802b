"""Data flow: each family of untrusted sources."""
import argparse
import os
import pickle
import socket
import sys
import tempfile
import urllib.request

import joblib
import requests
import torch
import zmq
from huggingface_hub import hf_hub_download, snapshot_download


def command_line():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model")
    args = parser.parse_args()
    # expect: LL201:error
    torch.load(args.model)
    # expect: LL201:error
    torch.load(sys.argv[1])


def user_input():
    # expect: LL105:error
    return joblib.load(input("model file: "))


def environment():
    # expect: LL201:error
    torch.load(os.environ["MODEL_PATH"])
    # expect: LL201:error
    torch.load(os.getenv("MODEL_PATH"))
    # expect: LL201:error
    torch.load(os.environ.get("MODEL_PATH"))


def downloads(url):
    resp = requests.get(url)
    # expect: LL101:error
    pickle.loads(resp.content)
    # expect: LL101:error
    pickle.load(requests.get(url, stream=True).raw)
    # expect: LL101:error
    pickle.loads(b"".join(requests.post(url).iter_content()))
    # expect: LL101:error
    pickle.loads(urllib.request.urlopen(url).read())
    filename, _headers = urllib.request.urlretrieve(url)
    # expect: LL201:error
    torch.load(filename)


def hub_downloads():
    # expect: LL403:note
    path = hf_hub_download(repo_id="org/model", filename="pytorch_model.bin")
    # expect: LL201:error
    torch.load(path)
    # expect: LL403:note
    folder = snapshot_download("org/model")
    # expect: LL201:error
    torch.load(folder + "/pytorch_model.bin")


def torch_hub_download(url):
    dst = "/tmp/model.pt"
    torch.hub.download_url_to_file(url, dst)
    # expect: LL201:error
    torch.load(dst)


def temp_file_filled_from_network(url):
    tmp = tempfile.NamedTemporaryFile(suffix=".pt")
    tmp.write(requests.get(url).content)
    # expect: LL201:error
    torch.load(tmp.name)


def sockets():
    server = socket.socket()
    conn, _addr = server.accept()
    # expect: LL101:error
    return pickle.loads(conn.recv(65536))


def zeromq():
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    # expect: LL101:error
    return pickle.loads(sock.recv())


def multiprocessing_connection():
    from multiprocessing.connection import Listener
    listener = Listener(("localhost", 6000))
    conn = listener.accept()
    # expect: LL101:error
    return pickle.loads(conn.recv_bytes())


def safe_forms(url):
    import json
    # ok: LL101
    json.loads(requests.get(url).content)
    # ok: LL201
    torch.load(sys.argv[1], weights_only=True)
