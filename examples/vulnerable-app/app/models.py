"""Checkpoint loading for the serving process."""

import os

import torch

CHECKPOINT_DIR = os.environ.get("CHECKPOINT_DIR", "checkpoints")


def load_checkpoint(path):
    # UNSAFE: torch.load unpickles the file unless weights_only=True is passed.
    model = torch.load(path)
    model.eval()
    return model


def load_weights(model, name):
    # Safe: weights_only=True restricts unpickling to tensors and plain containers.
    state = torch.load(os.path.join(CHECKPOINT_DIR, name), weights_only=True)
    model.load_state_dict(state)
    return model
