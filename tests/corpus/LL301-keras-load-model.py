import os

import keras
import tensorflow as tf
import tf_keras.models
from keras.models import load_model
from keras.saving import load_model as load_saved

try:
    from tf_keras.models import load_model as legacy_load
except ImportError:
    from tensorflow.keras.models import load_model as legacy_load


def restore_uploaded(path):
    # expect: LL301:warning
    return keras.models.load_model(path)


def load_bundled():
    # expect: LL301:note
    return keras.saving.load_model("models/classifier.keras")


def load_bundled_keyword():
    # expect: LL301:note
    return keras.models.load_model(filepath="models/classifier.keras", compile=False)


def restore_keyword(path):
    # expect: LL301:warning
    return keras.models.load_model(filepath=path)


def via_tf(path):
    # expect: LL301:warning
    a = tf.keras.models.load_model(path, compile=False)
    # expect: LL301:warning
    b = tf.keras.saving.load_model(os.path.join(path, "model.keras"))
    return a, b


def via_tensorflow_keras(path):
    from tensorflow import keras

    # expect: LL301:warning
    return keras.models.load_model(path)


def imported_names(path, custom_objects):
    # expect: LL301:warning
    a = load_model(path)
    # expect: LL301:warning
    b = load_saved(path, custom_objects=custom_objects)
    # expect: LL301:warning
    c = tf_keras.models.load_model(path)
    # expect: LL301
    d = legacy_load(path)
    return a, b, c, d


def safe_mode_default_still_flagged(path):
    # expect: LL301:warning
    # ok: LL302
    return keras.models.load_model(path, safe_mode=True)


def safe_mode_off(path):
    # expect: LL301:duplicate, LL302:error
    return keras.models.load_model(path, safe_mode=False)


def simple_alias(path):
    restore = keras.models.load_model
    # expect: LL301
    return restore(path)


def multi_line(path, objects):
    # expect: LL301
    model = tf.keras.models.load_model(
        path,
        custom_objects=objects,
        compile=False,
    )
    return model


def shadowed(keras, path):
    # ok: LL301
    return keras.models.load_model(path)


def weights_and_saving(model, path):
    # ok: LL301
    model.load_weights(os.path.join(path, "model.weights.h5"))
    # ok: LL301
    keras.models.save_model(model, path)
    # ok: LL301
    model.save("models/classifier.keras")


def unrelated(registry, name):
    # ok: LL301
    return registry.load_model(name)


def keras_internal_paths(path, fileobj):
    from keras.src.saving import saving_api, saving_lib

    # expect: LL301
    a = saving_api.load_model(path)
    # expect: LL301
    b = saving_lib._load_model_from_fileobj(fileobj, None, True, True)
    return a, b
