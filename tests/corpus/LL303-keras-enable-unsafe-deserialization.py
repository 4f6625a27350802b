import keras.config
import tensorflow as tf
from keras import config as kconfig
from keras.config import enable_unsafe_deserialization as allow_lambdas

try:
    from keras.config import enable_unsafe_deserialization as compat_unsafe
except ImportError:
    from tf_keras.__internal__ import enable_unsafe_deserialization as compat_unsafe

# expect: LL303
keras.config.enable_unsafe_deserialization()


def setup_tf():
    # expect: LL303
    tf.keras.config.enable_unsafe_deserialization()


def setup_tensorflow_keras():
    from tensorflow import keras

    # expect: LL303
    keras.config.enable_unsafe_deserialization()


def imported_names():
    # expect: LL303
    allow_lambdas()
    # expect: LL303
    kconfig.enable_unsafe_deserialization()
    # expect: LL303
    compat_unsafe()


def simple_alias():
    unlock = keras.config.enable_unsafe_deserialization
    # expect: LL303
    unlock()


def as_value(hooks):
    # expect: LL303
    hooks.append(keras.config.enable_unsafe_deserialization)


def other_config_calls():
    # ok: LL303
    keras.config.set_floatx("float32")
    # ok: LL303
    keras.config.disable_traceback_filtering()
    # ok: LL303
    kconfig.enable_interactive_logging()


def shadowed(keras):
    # ok: LL303
    keras.config.enable_unsafe_deserialization()


def unrelated(settings):
    # ok: LL303
    settings.enable_unsafe_deserialization()
