"""Keras safe_mode=False (LL302) and Hugging Face trust_remote_code (LL401)."""
import keras
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer


def load_lambda_model(path):
    return keras.models.load_model(path, safe_mode=False)


def load_multiline(path):
    return keras.saving.load_model(
        path,
        compile=False,
        safe_mode=False,
    )


def load_llm(name):
    model = AutoModelForCausalLM.from_pretrained(
        name,
        trust_remote_code=True,
    )
    tokenizer = AutoTokenizer.from_pretrained(name, trust_remote_code=True)
    return model, tokenizer


def load_pipeline(name):
    return transformers.pipeline("text-generation", model=name, trust_remote_code=True)


def no_fix_splat(name):
    return AutoTokenizer.from_pretrained(name, **{"trust_remote_code": True})
