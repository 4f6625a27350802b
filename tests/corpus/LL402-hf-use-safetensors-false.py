import transformers
from diffusers import DiffusionPipeline
from transformers import AutoModel, AutoModelForCausalLM


def load_bin_weights(name):
    # expect: LL402:warning, LL403:duplicate
    return AutoModel.from_pretrained(name, use_safetensors=False)


def qualified(name):
    # expect: LL402, LL403:duplicate
    return transformers.AutoModelForSequenceClassification.from_pretrained(name, use_safetensors=False)


def diffusion(name):
    # expect: LL402, LL403:duplicate
    return DiffusionPipeline.from_pretrained(name, use_safetensors=False)


def multi_line(name, revision):
    # expect: LL402, LL404:duplicate
    model = AutoModelForCausalLM.from_pretrained(
        name,
        revision=revision,
        use_safetensors=False,
    )
    return model


def both_problems(name):
    # expect: LL401, LL402:duplicate, LL403:duplicate
    return AutoModel.from_pretrained(name, trust_remote_code=True, use_safetensors=False)


def safe_loads(name):
    # ok: LL402
    # expect: LL403:note
    a = AutoModel.from_pretrained(name, use_safetensors=True)
    # ok: LL402
    # expect: LL403:note
    b = AutoModel.from_pretrained(name)
    # ok: LL402
    # expect: LL403:note
    c = AutoModel.from_pretrained(name, use_safetensors=None)
    return a, b, c


def write_side(model, path):
    # ok: LL402
    model.save_pretrained(path, safe_serialization=False)


def unrelated(store, name):
    # ok: LL402
    return store.load(name, use_safetensors=False)
