import argparse

import mlflow
import mlflow.pyfunc
import mlflow.sklearn as mlsk
from fastapi import FastAPI
from mlflow import pytorch as mlflow_pytorch
from mlflow.pyfunc import load_model
from mlflow.tracking import MlflowClient

import mylib.registry as registry

app = FastAPI()

MODEL_URI = "models:/churn/Production"


def predict(model_uri, frame):
    # expect: LL115:warning
    model = mlflow.pyfunc.load_model(model_uri)
    return model.predict(frame)


def registry_literal():
    # expect: LL115:note
    a = mlflow.pyfunc.load_model("models:/churn/3")
    # expect: LL115:note
    b = mlflow.sklearn.load_model(MODEL_URI)
    # expect: LL115:note
    c = load_model(model_uri="runs:/0123456789abcdef/model")
    return a, b, c


def run_artifact(run_id):
    # expect: LL115:warning
    return mlflow.pytorch.load_model(f"runs:/{run_id}/model", map_location="cpu")


def aliases(uri):
    # expect: LL115
    a = mlsk.load_model(uri)
    # expect: LL115
    b = mlflow_pytorch.load_model(uri)
    # expect: LL115
    c = load_model(uri, suppress_warnings=True)
    # expect: LL115
    d = mlflow.pyfunc.load_pyfunc(uri)
    return a, b, c, d


def flavors(uri):
    # expect: LL115
    a = mlflow.tensorflow.load_model(uri)
    # expect: LL115
    b = mlflow.keras.load_model(uri)
    # expect: LL115
    c = mlflow.lightgbm.load_model(uri)
    # expect: LL115
    d = mlflow.xgboost.load_model(uri)
    # expect: LL115
    e = mlflow.statsmodels.load_model(uri)
    # expect: LL115
    f = mlflow.pmdarima.load_model(uri)
    # expect: LL115
    g = mlflow.transformers.load_model(uri, return_type="components")
    # expect: LL115
    h = mlflow.langchain.load_model(uri)
    # expect: LL115
    i = mlflow.onnx.load_model(uri)
    # expect: LL115
    j = mlflow.shap.load_explainer(uri)
    # expect: LL115
    k = mlflow.spark.load_model(uri)
    return a, b, c, d, e, f, g, h, i, j, k


def from_cli():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-uri")
    args = parser.parse_args()
    # expect: LL115:error
    return mlflow.pyfunc.load_model(args.model_uri)


@app.post("/load")
def load_from_request(model_uri: str):
    # expect: LL115:error
    model = mlflow.pyfunc.load_model(model_uri=model_uri)
    return {"loaded": str(model.metadata.run_id)}


def multi_line(uri, dst):
    # expect: LL115
    model = mlflow.pyfunc.load_model(
        uri,
        dst_path=dst,
    )
    return model


def as_value(uris):
    # expect: LL115
    return list(map(mlflow.sklearn.load_model, uris))


def logging_and_registry(model, name):
    # ok: LL115
    mlflow.sklearn.log_model(model, "model")
    # ok: LL115
    mlflow.sklearn.save_model(model, "out/model")
    # ok: LL115
    mlflow.register_model("runs:/abc/model", name)
    # ok: LL115
    info = mlflow.models.get_model_info("models:/churn/3")
    # ok: LL115
    versions = MlflowClient().search_model_versions(f"name='{name}'")
    return info, versions


def other_registry(uri):
    # ok: LL115
    return registry.load_model(uri)


def shadowed(mlflow, uri):
    # ok: LL115
    return mlflow.pyfunc.load_model(uri)
