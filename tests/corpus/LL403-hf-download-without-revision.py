import argparse
import os
import tempfile

import datasets
import huggingface_hub
import transformers
from datasets import load_dataset
from diffusers import DiffusionPipeline, UNet2DConditionModel
from huggingface_hub import HfApi, hf_hub_download, snapshot_download
from huggingface_hub import hf_hub_download as fetch_file
from peft import PeftModel
from sentence_transformers import SentenceTransformer
from transformers import AutoModelForCausalLM, AutoTokenizer, BertModel, CLIPTextModel
from transformers.models.llama.modeling_llama import LlamaForCausalLM

REVISION = "0123456789abcdef0123456789abcdef01234567"
MODEL_ID = "some-org/some-model"


def load_model():
    # expect: LL403:note
    model = AutoModelForCausalLM.from_pretrained("some-org/some-model")
    # expect: LL403:note
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, use_fast=True)
    return model, tokenizer


def qualified_and_concrete(name):
    # expect: LL403
    a = transformers.AutoConfig.from_pretrained(name)
    # expect: LL403
    b = BertModel.from_pretrained("bert-base-uncased")
    # expect: LL403
    c = LlamaForCausalLM.from_pretrained(name, torch_dtype="auto")
    # expect: LL403
    d = CLIPTextModel.from_pretrained(name, subfolder="text_encoder")
    return a, b, c, d


def other_libraries(base, adapter):
    # expect: LL403
    pipe = DiffusionPipeline.from_pretrained("runwayml/stable-diffusion-v1-5")
    # expect: LL403
    unet = UNet2DConditionModel.from_pretrained(base, subfolder="unet")
    # expect: LL403
    lora = PeftModel.from_pretrained(pipe, adapter)
    # expect: LL403
    encoder = SentenceTransformer("all-MiniLM-L6-v2")
    return pipe, unet, lora, encoder


def hub_files(repo):
    # expect: LL403
    a = hf_hub_download(repo_id="some-org/some-model", filename="config.json")
    # expect: LL403
    b = hf_hub_download("some-org/some-model", "model.safetensors", cache_dir="/tmp/hf")
    # expect: LL403
    c = snapshot_download(repo, allow_patterns=["*.json", "*.safetensors"])
    # expect: LL403
    d = huggingface_hub.snapshot_download(repo_id=repo, repo_type="dataset")
    # expect: LL403
    e = fetch_file(repo, "tokenizer.json")
    # expect: LL403
    f = HfApi().hf_hub_download(repo, "config.json")
    return a, b, c, d, e, f


def hub_datasets(name):
    # expect: LL403
    a = load_dataset("squad", split="train")
    # expect: LL403
    b = datasets.load_dataset(name, "default", streaming=True)
    # expect: LL403
    c = datasets.load_dataset_builder(path=name)
    return a, b, c


def training_script():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model_name_or_path")
    args = parser.parse_args()
    # A variable may name a local directory; the code cannot show that it does.
    # expect: LL403:note
    return AutoModelForCausalLM.from_pretrained(args.model_name_or_path)


def multi_line(name):
    # expect: LL403
    model = AutoModelForCausalLM.from_pretrained(
        name,
        torch_dtype="auto",
        device_map="auto",
    )
    return model


def pinned(name):
    # ok: LL403, LL404
    a = AutoModelForCausalLM.from_pretrained("some-org/some-model", revision=REVISION)
    # ok: LL403, LL404
    b = hf_hub_download("some-org/some-model", "config.json", revision="0123456789abcdef0123456789abcdef01234567")
    # ok: LL403, LL404
    c = load_dataset("some-org/some-dataset", revision=REVISION)
    # ok: LL403, LL404
    d = snapshot_download(repo_id=name, revision=REVISION)
    return a, b, c, d


def local_only(path):
    # ok: LL403
    a = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    # ok: LL403
    b = AutoTokenizer.from_pretrained("./checkpoints/final")
    # ok: LL403
    c = AutoTokenizer.from_pretrained("/models/llama")
    # ok: LL403
    d = AutoTokenizer.from_pretrained("../models/llama")
    # ok: LL403
    e = AutoTokenizer.from_pretrained("~/models/llama")
    # ok: LL403
    f = AutoTokenizer.from_pretrained("outputs/run1/checkpoint-500")
    # ok: LL403
    g = AutoTokenizer.from_pretrained(pretrained_model_name_or_path="./tok")
    return a, b, c, d, e, f, g


def round_trip(model):
    with tempfile.TemporaryDirectory() as tmpdirname:
        model.save_pretrained(tmpdirname)
        # ok: LL403
        reloaded = AutoModelForCausalLM.from_pretrained(tmpdirname)
    scratch = tempfile.mkdtemp()
    # ok: LL403
    again = AutoTokenizer.from_pretrained(scratch)
    # A directory inside the temporary one is a path expression the rule cannot follow.
    with tempfile.TemporaryDirectory() as tmpdirname:
        # todo-ok: LL403
        nested = AutoTokenizer.from_pretrained(os.path.join(tmpdirname, "tokenizer"))
    return reloaded, again, nested


def packaged_builders(files):
    # ok: LL403
    a = load_dataset("json", data_files=files)
    # ok: LL403
    b = load_dataset("csv", data_files={"train": "train.csv"})
    # ok: LL403
    c = datasets.load_dataset("imagefolder", data_dir="images/")
    # ok: LL403
    d = load_dataset(path="parquet", data_files=files)
    # ok: LL403
    e = load_dataset("./local_dataset_script")
    return a, b, c, d, e


def forwarded(name, **kwargs):
    # ok: LL403
    return AutoModelForCausalLM.from_pretrained(name, **kwargs)


def saving(model, tokenizer, out):
    # ok: LL403
    model.save_pretrained(out)
    # ok: LL403
    tokenizer.push_to_hub("some-org/some-model")
    # ok: LL403
    return os.path.join(out, "config.json")
