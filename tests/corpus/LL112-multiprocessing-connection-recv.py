import json
import multiprocessing
import multiprocessing as mp
from multiprocessing import Pipe
from multiprocessing.connection import Client, Connection, Listener
from multiprocessing.reduction import ForkingPickler


def parent_child():
    parent, child = multiprocessing.Pipe()
    # expect: LL112
    return parent.recv()


def from_context():
    a, b = mp.get_context("spawn").Pipe(duplex=False)
    # expect: LL112
    return a.recv()


def imported_pipe():
    r, w = Pipe()
    # expect: LL112
    return r.recv()


def serve(address):
    with Listener(address, authkey=b"k") as listener:
        conn = listener.accept()
        # expect: LL112
        job = conn.recv()
        return job


def client(address):
    c = Client(address)
    # expect: LL112
    return c.recv()


def annotated(conn: Connection):
    # expect: LL112
    return conn.recv()


def worker_loop(conn: "Connection"):
    # todo-expect: LL112 (a string annotation is not resolved)
    return conn.recv()


def raw_bytes(conn: Connection):
    # ok: LL112 (recv_bytes returns bytes, nothing is unpickled)
    return json.loads(conn.recv_bytes())


def forking_pickler(blob):
    # expect: LL112
    return ForkingPickler.loads(blob)


def unrelated(sock):
    # ok: LL112 (a socket recv returns bytes)
    return sock.recv(1024)
