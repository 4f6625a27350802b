import asyncio
import json

import zmq
import zmq.asyncio


def worker(port):
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    sock.bind(f"tcp://*:{port}")
    while True:
        # expect: LL111
        task = sock.recv_pyobj()
        if task is None:
            break


class ModelParallelWorker:
    def __init__(self, endpoint):
        self.socket = zmq.Context.instance().socket(zmq.DEALER)
        self.socket.connect(endpoint)

    def poll_request(self):
        # expect: LL111
        return self.socket.recv_pyobj(flags=zmq.NOBLOCK)

    def poll_request_multi_line(self):
        # expect: LL111
        return self.socket.recv_pyobj(
            zmq.NOBLOCK,
        )


def chained(endpoint):
    # expect: LL111
    return zmq.Context().socket(zmq.REP).recv_pyobj()


def unbound_method(sock):
    # expect: LL111
    return zmq.Socket.recv_pyobj(sock)


async def async_loop(port):
    ctx = zmq.asyncio.Context()
    sock = ctx.socket(zmq.PULL)
    sock.bind(f"tcp://0.0.0.0:{port}")
    # expect: LL111
    request = await sock.recv_pyobj()
    return request


async def in_executor(sock):
    loop = asyncio.get_running_loop()
    # expect: LL111
    return await loop.run_in_executor(None, sock.recv_pyobj)


def sender(sock, obj):
    # ok: LL111
    sock.send_pyobj(obj)


def json_receiver(sock):
    # ok: LL111
    message = sock.recv_json()
    # ok: LL111
    text = sock.recv_string()
    return message, text


def recv_pyobj(payload):
    return json.loads(payload)


def plain_function_with_same_name(payload):
    # ok: LL111
    return recv_pyobj(payload)
