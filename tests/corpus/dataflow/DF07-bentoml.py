"""Data flow: BentoML services receive the client's data in their API parameters."""
import base64
import pickle
from pathlib import Path

import bentoml
import joblib
import numpy as np
import torch
from bentoml.io import JSON, NumpyNdarray


@bentoml.service(resources={"cpu": "2"})
class Classifier:
    def __init__(self) -> None:
        # not an API: the service's own configuration
        # ok: LL201
        self.model = torch.load("/srv/model.pt", weights_only=True)

    @bentoml.api
    def predict(self, blob: str) -> dict:
        # the API input flows through a local variable and a decoder
        raw = base64.b64decode(blob)
        # expect: LL101:error
        features = pickle.loads(raw)
        return {"n": len(features)}

    @bentoml.api(route="/load")
    def load_checkpoint(self, checkpoint: Path) -> str:
        # an uploaded file, saved by BentoML to a temporary path
        # expect: LL201:error
        state = torch.load(checkpoint)
        return str(len(state))

    @bentoml.task
    def batch_restore(self, archive: bytes, ctx: bentoml.Context) -> int:
        # expect: LL101:error
        objs = pickle.loads(archive)
        # expect: LL101:error
        extra = pickle.loads(ctx.request.headers["x-extra"])
        return len(objs) + len(extra)

    def reload(self, path):
        # a plain method of the service: not an endpoint, the caller is unknown
        # expect: LL105:warning
        self.model = joblib.load(path)


runner = bentoml.sklearn.get("iris_clf:latest").to_runner()
svc = bentoml.Service("iris_classifier", runners=[runner])


@svc.api(input=NumpyNdarray(), output=NumpyNdarray())
def classify(input_series: np.ndarray) -> np.ndarray:
    return runner.predict.run(input_series)


@svc.api(input=JSON(), output=JSON())
def restore(payload: dict) -> dict:
    # a legacy (1.0/1.1) API function: the JSON body names the file to load
    # expect: LL105:error
    model = joblib.load(payload["model_path"])
    # expect: LL110:error
    table = np.load(payload["table"], allow_pickle=True)
    return {"model": str(model), "rows": len(table)}


class LegacyRunnable(bentoml.Runnable):
    @bentoml.Runnable.method(batchable=False)
    def infer(self, payload):
        # expect: LL101:error
        return pickle.loads(payload)


def helper(blob):
    """A module function that is no endpoint: unknown, not untrusted."""
    # expect: LL101:warning
    return pickle.loads(blob)
