import keras
import tensorflow as tf
import tf_keras.models
from keras.models import load_model
from keras.saving import load_model as load_saved

try:
    from keras.saving import load_model as compat_load
except ImportError:
    from tensorflow.keras.models import load_model as compat_load


def load_with_lambdas(path):
    # expect: LL301:duplicate, LL302:error
    return keras.models.load_model(path, safe_mode=False)


def load_bundled_with_lambdas():
    # expect: LL301:duplicate, LL302:error
    return keras.saving.load_model("models/with_lambda.keras", safe_mode=False)


def via_tf(path, objects):
    # expect: LL301:duplicate, LL302
    a = tf.keras.models.load_model(path, custom_objects=objects, safe_mode=False)
    # expect: LL301:duplicate, LL302
    b = tf.keras.saving.load_model(path, compile=False, safe_mode=False)
    # expect: LL301:duplicate, LL302
    c = tf_keras.models.load_model(path, safe_mode=False)
    return a, b, c


def imported_names(path):
    # expect: LL301:duplicate, LL302
    a = load_model(path, safe_mode=False)
    # expect: LL301:duplicate, LL302
    b = load_saved(filepath=path, safe_mode=False)
    return a, b


def conditional_import(path):
    # expect: LL301:duplicate, LL302
    return compat_load(path, safe_mode=False)


def positional_safe_mode(path):
    # expect: LL301:duplicate, LL302
    return load_model(path, None, True, False)


def multi_line(path, objects):
    # expect: LL301:duplicate, LL302
    model = keras.models.load_model(
        path,
        custom_objects=objects,
        safe_mode=False,
    )
    return model


def simple_alias(path):
    restore = keras.saving.load_model
    # expect: LL301:duplicate, LL302
    return restore(path, safe_mode=False)


def safe_mode_kept(path):
    # expect: LL301
    # ok: LL302
    a = keras.models.load_model(path, safe_mode=True)
    # expect: LL301
    # ok: LL302
    b = keras.models.load_model(path)
    # expect: LL301
    # ok: LL302
    c = load_model(path, None, False)
    return a, b, c


def forwarded(path, **kwargs):
    # expect: LL301
    # ok: LL302
    return keras.models.load_model(path, **kwargs)


def shadowed(keras, path):
    # ok: LL301, LL302
    return keras.models.load_model(path, safe_mode=False)


def unrelated(loader, path):
    # ok: LL301, LL302
    return loader.load_model(path, safe_mode=False)
