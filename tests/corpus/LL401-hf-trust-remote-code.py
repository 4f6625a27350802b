import datasets
import transformers
from datasets import load_dataset
from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer
from transformers import pipeline
from transformers import pipeline as make_pipeline
from vllm import LLM

import mylib

try:
    from sentence_transformers import SentenceTransformer

    HAS_SENTENCE_TRANSFORMERS = True
except ImportError:
    HAS_SENTENCE_TRANSFORMERS = False

REVISION = "0123456789abcdef0123456789abcdef01234567"


def load_remote_model(name):
    # expect: LL401:error, LL403:duplicate
    model = AutoModel.from_pretrained(name, trust_remote_code=True)
    # expect: LL401
    tokenizer = AutoTokenizer.from_pretrained(name, trust_remote_code=True, revision=REVISION)
    # expect: LL401, LL403:duplicate
    config = AutoConfig.from_pretrained(name, trust_remote_code=True)
    return model, tokenizer, config


def qualified(name):
    # expect: LL401, LL403:duplicate
    return transformers.AutoModelForCausalLM.from_pretrained(name, trust_remote_code=True)


def truthy_literal(name):
    # expect: LL401, LL403:duplicate
    return AutoModel.from_pretrained(name, trust_remote_code=1)


def from_config(config):
    # expect: LL401
    return AutoModelForCausalLM.from_config(config, trust_remote_code=True)


def pipelines(name):
    # expect: LL401
    a = pipeline("text-generation", model=name, trust_remote_code=True)
    # expect: LL401
    b = make_pipeline("feature-extraction", model=name, trust_remote_code=True)
    # expect: LL401
    c = transformers.pipeline(task="text-generation", model=name, trust_remote_code=True)
    return a, b, c


def dataset_scripts(name):
    # expect: LL401, LL403:duplicate
    a = load_dataset(name, split="train", trust_remote_code=True)
    # expect: LL401, LL403:duplicate
    b = datasets.load_dataset(name, trust_remote_code=True)
    # expect: LL401, LL403:duplicate
    c = datasets.load_dataset_builder(name, trust_remote_code=True)
    return a, b, c


def other_libraries(name):
    encoder = None
    if HAS_SENTENCE_TRANSFORMERS:
        # expect: LL401, LL403:duplicate
        encoder = SentenceTransformer(name, trust_remote_code=True)
    # expect: LL401
    engine = LLM(model=name, trust_remote_code=True)
    return encoder, engine


def simple_alias(name):
    build = transformers.pipeline
    # expect: LL401
    return build("text-generation", model=name, trust_remote_code=True)


def multi_line(name):
    # expect: LL401
    model = AutoModelForCausalLM.from_pretrained(
        name,
        revision=REVISION,
        trust_remote_code=True,
    )
    return model


def safe_defaults(name):
    # ok: LL401
    a = AutoModel.from_pretrained(name, revision=REVISION)
    # ok: LL401
    # expect: LL403:note
    b = AutoModel.from_pretrained(name, trust_remote_code=False)
    # ok: LL401
    # expect: LL403:note
    c = AutoTokenizer.from_pretrained(name, trust_remote_code=None)
    # ok: LL401
    d = pipeline("text-generation", model=name)
    # ok: LL401
    # expect: LL403:note
    e = load_dataset(name, trust_remote_code=False)
    return a, b, c, d, e


def write_side(model, path):
    # ok: LL401
    model.save_pretrained(path)


def unrelated(name):
    # ok: LL401
    return mylib.pipeline("text-generation", model=name, trust_remote_code=True)


def modular_pipeline(pipe, spec):
    # expect: LL401
    pipe.load_components(["unet"], trust_remote_code=True)
    # expect: LL401
    component = spec.load(trust_remote_code=True)
    # ok: LL401
    pipe.load_components(["unet"])
    return component


REMOTE = dict(trust_remote_code=True)


def through_kwargs():
    from transformers import AutoModel

    # expect: LL401, LL403:duplicate
    a = AutoModel.from_pretrained("org/m", **REMOTE)
    # expect: LL401, LL403:duplicate
    b = AutoModel.from_pretrained("org/m", **{"trust_remote_code": True})
    # ok: LL401
    # expect: LL404:warning
    c = AutoModel.from_pretrained("org/m", **{"revision": "main"})
    return a, b, c
