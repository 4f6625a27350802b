"""Data flow: Ray Serve deployments receive HTTP and gRPC requests from the proxy."""
import pickle
from typing import List

import joblib
import starlette.requests
import torch
from ray import serve
from ray.serve.handle import DeploymentHandle


@serve.deployment(num_replicas=2)
class Predictor:
    def __init__(self, model_path: str):
        # constructor arguments come from .bind(), the application's own code
        # expect: LL201:warning
        self.model = torch.load(model_path)

    async def __call__(self, request: starlette.requests.Request):
        body = await request.body()
        # expect: LL101:error
        return pickle.loads(body)

    def Predict(self, message):
        # a gRPC method (the proxy calls the method named like the RPC)
        # expect: LL201:error
        return torch.load(message.checkpoint_uri)

    def reconfigure(self, user_config: dict):
        # user_config comes from the deployment's config file, not a request
        # expect: LL105:warning
        self.extra = joblib.load(user_config["extra_model"])

    def helper(self, blob):
        # reached through a DeploymentHandle from other deployments' code
        # expect: LL101:warning
        return pickle.loads(blob)


@serve.deployment
class Multiplexed:
    @serve.multiplexed(max_num_models_per_replica=3)
    async def get_model(self, model_id: str):
        # the model id is the serve_multiplexed_model_id request header
        # expect: LL201:error
        return torch.load(f"/models/{model_id}/model.pt")

    async def __call__(self, request):
        model_id = serve.get_multiplexed_model_id()
        path = "/models/" + model_id + "/model.pt"
        # expect: LL201:error
        model = torch.load(path)
        return model

    @serve.batch(max_batch_size=8)
    async def handle_batch(self, requests: List[starlette.requests.Request]):
        out = []
        for req in requests:
            data = await req.body()
            # expect: LL101:error
            out.append(pickle.loads(data))
        return out


@serve.deployment
def echo_model(request):
    # a function deployment: its only argument is the request
    params = request.query_params
    # expect: LL201:error
    return torch.load(params["path"])


class PlainClass:
    """Not a deployment: the same method shape is not a Ray Serve entry point."""

    def __call__(self, request):
        # expect: LL101:warning
        return pickle.loads(request)


def build(handle: DeploymentHandle):
    # ok: LL101
    blob = pickle.dumps({"ready": True})
    return Predictor.bind("/srv/model.pt"), handle, blob
