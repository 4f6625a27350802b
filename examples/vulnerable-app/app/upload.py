"""Upload endpoint: clients post a pickled feature batch and get predictions back."""

import pickle

from flask import Blueprint, jsonify, request

from .models import load_checkpoint

bp = Blueprint("upload", __name__)


@bp.route("/predict", methods=["POST"])
def predict():
    # UNSAFE: the request body is attacker-controlled; unpickling it runs any code it asks for.
    batch = pickle.loads(request.data)
    model = load_checkpoint("checkpoints/latest.pt")
    scores = [float(model(row)) for row in batch]
    return jsonify({"scores": scores})


@bp.route("/health")
def health():
    return jsonify({"ok": True})
