"""Near miss for DF09: Falcon-shaped classes in a module that does not import falcon."""
import pickle

import torch


class Handler:
    def on_get(self, req, resp):
        # same shape as a Falcon responder, but nothing here is a Falcon app
        # expect: LL101:warning
        return pickle.loads(req.body)

    def on_post(self, req, resp, name):
        # expect: LL201:warning
        return torch.load(name)


def local_cache():
    # ok: LL201
    return torch.load("cache.pt", weights_only=True)
