"""LL307: Keras load_model relying on safe mode, judged against the Keras
versions the project allows (bypasses before 3.9 and 3.11). Nothing here
states a Keras version: LL301 alone reports the calls. The pinned cases are
tests/corpus/versions/*/app.py."""
import keras


def load(path):
    # ok: LL307
    # expect: LL301
    return keras.models.load_model(path)


def load_checked(path):
    # ok: LL307
    # expect: LL301
    return keras.saving.load_model(path, safe_mode=True)
