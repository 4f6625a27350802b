"""Data flow: Falcon resources, WSGI and ASGI: responders receive the client's request."""
import pickle

import falcon
import falcon.asgi
import joblib
import torch
import yaml


class ModelResource:
    def __init__(self, model_dir):
        # not a responder: the app's own configuration
        # expect: LL201:warning
        self.default = torch.load(model_dir + "/default.pt")

    def on_post(self, req, resp):
        # expect: LL101:error
        obj = pickle.load(req.bounded_stream)
        resp.media = {"type": type(obj).__name__}

    def on_put(self, req, resp, name):
        # a URI template field ({name}) flows through a local variable
        path = "/models/" + name
        # expect: LL201:error
        resp.media = {"ok": bool(torch.load(path))}

    def on_get_collection(self, req, resp):
        # a suffixed responder (add_route(..., suffix="collection"))
        wanted = req.get_param("model")
        # expect: LL105:error
        resp.media = {"model": str(joblib.load(wanted))}

    def on_patch(self, req, resp):
        # expect: LL501:error
        cfg = yaml.load(req.media["config"], Loader=yaml.UnsafeLoader)
        # ok: LL501
        safe = yaml.safe_load(req.stream)
        resp.media = {"keys": sorted(cfg) + sorted(safe)}

    def on_click(self, event):
        # not an HTTP method: a GUI-style callback is not a responder
        # expect: LL101:warning
        return pickle.loads(event)


class AsyncModelResource:
    async def on_post(self, req: falcon.asgi.Request, resp):
        data = await req.get_media()
        # expect: LL101:error
        return pickle.loads(data["blob"])

    async def on_websocket(self, req, ws):
        message = await ws.receive_data()
        # expect: LL101:error
        return pickle.loads(message)


class RestoreMiddleware:
    def process_request(self, req, resp):
        # expect: LL101:error
        req.context.session = pickle.loads(req.get_header("X-Session"))


class WsMiddleware:
    async def process_request_ws(self, req, ws):
        # expect: LL101:error
        req.context.hello = pickle.loads(await ws.receive_data())


def sink(req: falcon.Request, resp, **kwargs):
    # a sink (app.add_sink): only its annotation says it gets the request
    # expect: LL101:error
    pickle.loads(req.bounded_stream.read())


def on_get(req, resp):
    # a module-level function named like a responder is not a resource method
    # expect: LL101:warning
    return pickle.loads(req)


app = falcon.App(middleware=[RestoreMiddleware()])
app.add_route("/models", ModelResource("/srv"))
app.add_route("/models/all", ModelResource("/srv"), suffix="collection")
app.add_sink(sink, prefix="/raw")
