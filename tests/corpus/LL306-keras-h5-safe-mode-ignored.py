"""LL306: Keras load_model of a .h5 file, judged against the Keras
versions the project allows (safe_mode ignored for .h5 before 3.11.3).
Nothing here states a Keras version: LL301 alone reports the call. The
pinned cases are tests/corpus/versions/*/app.py."""
import keras


# ok: LL306
# expect: LL301
legacy = keras.models.load_model("weights/model.h5")
# ok: LL306
# expect: LL301
modern = keras.models.load_model("weights/model.keras")
