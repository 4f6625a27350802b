"""One rule for remote downloads: untrusted unless pinned (a full commit
hash, a hash check). A constant repository id or URL is remote content."""
import torch
from huggingface_hub import hf_hub_download
from torch.hub import load_state_dict_from_url
from transformers import AutoModel

COMMIT = "4d5fc8b0c2e6b0a1a3c1f2e3d4c5b6a7f8e9d0c1"


def hub_file_unpinned():
    # expect: LL403:note
    path = hf_hub_download("org/repo", "pytorch_model.bin")
    # the source line is the download, not the load
    # expect: LL201:error
    return torch.load(path)


def hub_file_pinned():
    # ok: LL403, LL404
    path = hf_hub_download("org/repo", "pytorch_model.bin", revision=COMMIT)
    # expect: LL201:warning
    return torch.load(path)


def hub_file_on_a_branch():
    # expect: LL404:warning
    path = hf_hub_download("org/repo", "pytorch_model.bin", revision="main")
    # expect: LL201:error
    return torch.load(path)


def url_constant():
    # expect: LL201:error
    return load_state_dict_from_url("https://example.com/weights.pth")


def url_checked():
    # expect: LL201:warning
    return load_state_dict_from_url("https://example.com/weights-0123abcd.pth", check_hash=True)


def remote_code_from_a_constant_repository():
    # expect: LL401:error, LL403:duplicate
    return AutoModel.from_pretrained("org/model", trust_remote_code=True)


def remote_code_pinned():
    # expect: LL401:warning
    return AutoModel.from_pretrained("org/model", trust_remote_code=True, revision=COMMIT)


def remote_code_from_a_local_directory():
    # expect: LL401:warning
    return AutoModel.from_pretrained("./checkpoints/model", trust_remote_code=True)


def remote_code_from_a_parameter(name):
    # expect: LL401:error, LL403:duplicate
    return AutoModel.from_pretrained(name, trust_remote_code=True)


def remote_code_round_trip(model):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        model.save_pretrained(d)
        # expect: LL401:round-trip
        return AutoModel.from_pretrained(d, trust_remote_code=True)
