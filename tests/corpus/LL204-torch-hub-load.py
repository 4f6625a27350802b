import os

import torch
import torch as th
import torch.hub
from torch import hub
from torch.hub import load as hub_load

try:
    from torch.hub import load as compat_hub_load

    HAS_HUB = True
except ImportError:
    HAS_HUB = False


def detector():
    # expect: LL204:error
    return torch.hub.load("ultralytics/yolov5", "yolov5s")


def trusted_without_prompt():
    # expect: LL204:error
    return torch.hub.load("facebookresearch/dinov2", "dinov2_vits14", trust_repo=True)


def pinned_and_checked():
    # a tag can be moved: still remote content
    # expect: LL204:error
    return th.hub.load("pytorch/vision:v0.10.0", "resnet18", weights=None, trust_repo="check")


def pinned_to_a_commit():
    # expect: LL204:warning
    return torch.hub.load("pytorch/vision:4d5fc8b0c2e6b0a1a3c1f2e3d4c5b6a7f8e9d0c1", "resnet18")


def user_repo(repo, name):
    # expect: LL204:warning
    return torch.hub.load(repo, name)


def local_directory(path):
    # expect: LL204:warning
    return hub.load(path, "custom_model", source="local")


def keyword_repo(repo):
    # expect: LL204:warning
    return hub_load(repo_or_dir=repo, model="resnet50")


def listing_and_help(repo):
    # expect: LL204:warning
    names = torch.hub.list(repo, trust_repo="check")
    # expect: LL204:note
    doc = torch.hub.help("pytorch/vision", "resnet18")
    return names, doc


def optional_hub(repo):
    if not HAS_HUB:
        return None
    # expect: LL204
    return compat_hub_load(repo, "model")


def simple_alias(repo):
    fetch = torch.hub.load
    # expect: LL204
    return fetch(repo, "model")


def multi_line(repo, name):
    # expect: LL204
    model = torch.hub.load(
        repo,
        name,
        pretrained=True,
        force_reload=False,
    )
    return model


def weights_only_download(url):
    # ok: LL204
    torch.hub.download_url_to_file(url, os.path.join(torch.hub.get_dir(), "w.pth"))
    # ok: LL204
    torch.hub.set_dir("/tmp/hub")


def state_dict_download(url):
    # ok: LL204
    # expect: LL201
    return torch.hub.load_state_dict_from_url(url)


def shadowed(torch, repo):
    # ok: LL204
    return torch.hub.load(repo, "model")


def unrelated(registry, name):
    # ok: LL204
    return registry.hub.load(name)
