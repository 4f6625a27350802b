import argparse
import tempfile

import datasets
from datasets import load_dataset
from diffusers import StableDiffusionPipeline
from huggingface_hub import hf_hub_download, snapshot_download
from sentence_transformers import SentenceTransformer
from transformers import AutoModel, AutoTokenizer

REVISION = "0123456789abcdef0123456789abcdef01234567"
BRANCH = "main"
SHORT = "0123abc"


def literal_refs(name):
    # expect: LL404:warning
    a = AutoModel.from_pretrained(name, revision="main")
    # expect: LL404:warning
    b = AutoTokenizer.from_pretrained(name, revision="v1.0.0")
    # expect: LL404:warning
    c = snapshot_download(repo_id=name, revision="refs/pr/1")
    # expect: LL404:warning
    d = hf_hub_download(name, "config.json", revision="0123abc")
    # expect: LL404:warning
    e = load_dataset(name, revision="0123456789abcdef0123456789abcdef0123456")
    # revision=None is no revision: LL403 (a note)
    # ok: LL404
    # expect: LL403:note
    f = AutoModel.from_pretrained(name, revision=None)
    return a, b, c, d, e, f


def module_constants(name):
    # expect: LL404:warning
    a = AutoModel.from_pretrained(name, revision=BRANCH)
    # expect: LL404:warning
    b = AutoModel.from_pretrained(name, revision=SHORT)
    # expect: LL404:warning
    c = AutoModel.from_pretrained(name, revision="0123456789ABCDEF0123456789ABCDEF01234567")
    return a, b, c


def run_time_revision(name, revision):
    # expect: LL404:note
    a = AutoModel.from_pretrained(name, revision=revision)
    # expect: LL404:note
    b = SentenceTransformer(name, revision=revision)
    # expect: LL404:note
    c = datasets.load_dataset_builder(name, revision=revision)
    return a, b, c


def training_script():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pretrained_model_name_or_path")
    parser.add_argument("--revision", default=None)
    args = parser.parse_args()
    # expect: LL404:note
    unet = StableDiffusionPipeline.from_pretrained(
        args.pretrained_model_name_or_path,
        revision=args.revision,
    )
    return unet


def pinned(name):
    # ok: LL403, LL404
    a = AutoModel.from_pretrained(name, revision=REVISION)
    # ok: LL403, LL404
    b = AutoModel.from_pretrained(name, revision="0123456789abcdef0123456789abcdef01234567")
    # ok: LL403, LL404
    c = hf_hub_download(name, "config.json", revision=REVISION)
    return a, b, c


def local(path, revision):
    # ok: LL404
    a = AutoModel.from_pretrained(path, revision=revision, local_files_only=True)
    # ok: LL404
    b = AutoModel.from_pretrained("./checkpoints/final", revision="main")
    # ok: LL404
    c = load_dataset("json", data_files="train.jsonl", revision="main")
    return a, b, c


def round_trip(model):
    with tempfile.TemporaryDirectory() as tmpdirname:
        model.save_pretrained(tmpdirname)
        # ok: LL404
        return AutoModel.from_pretrained(tmpdirname, revision="main")


def missing_is_ll403(name):
    # ok: LL404
    # expect: LL403
    return AutoModel.from_pretrained(name)
