"""A helper module whose function returns a downloaded file."""
import torch
from huggingface_hub import hf_hub_download


def model_path(repo):
    # expect: LL403:note
    return hf_hub_download(repo_id=repo, filename="pytorch_model.bin")


def local_path():
    # ok: LL201
    return "weights/local.pt"


def cached_model():
    # expect: LL201:error
    return torch.load(model_path("org/cache"))
