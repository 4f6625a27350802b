import keras
import tensorflow as tf
import tensorflow.compat.v1 as tf1
import tensorflow.compat.v2
import tensorflow_hub as hub
from tensorflow import saved_model

try:
    from tensorflow.compat.v2 import saved_model as saved_model_v2
except ImportError:
    saved_model_v2 = saved_model


def serve_uploaded(export_dir):
    # expect: LL304:warning
    model = tf.saved_model.load(export_dir)
    return model.signatures["serving_default"]


def bundled():
    # expect: LL304:note
    return tf.saved_model.load("exported/1")


def with_tags(export_dir):
    # expect: LL304:warning
    return saved_model.load(export_dir, tags=["serve"])


def keyword_dir(path, options):
    # expect: LL304:warning
    return tensorflow.compat.v2.saved_model.load(export_dir=path, options=options)


def conditional_import(path):
    # expect: LL304
    return saved_model_v2.load(path)


def tf1_session(sess, export_dir):
    # expect: LL304
    a = tf.compat.v1.saved_model.load(sess, ["serve"], export_dir)
    # expect: LL304
    b = tf1.saved_model.loader.load(sess, [tf1.saved_model.tag_constants.SERVING], export_dir)
    # expect: LL304:warning
    c = tf1.saved_model.load(sess, ["serve"], export_dir=export_dir)
    # expect: LL304:warning
    d = tf1.saved_model.load_v2(export_dir)
    return a, b, c, d


def keras_and_hub(path, handle):
    # expect: LL304:warning
    layer = keras.layers.TFSMLayer(path, call_endpoint="serving_default")
    # expect: LL304:note
    encoder = hub.KerasLayer("https://tfhub.dev/google/universal-sentence-encoder/4", trainable=False)
    # expect: LL304:warning
    module = hub.load(handle)
    return layer, encoder, module


def simple_alias(path):
    restore = tf.saved_model.load
    # expect: LL304
    return restore(path)


def multi_line(path, options):
    # expect: LL304
    model = tf.saved_model.load(
        path,
        tags=None,
        options=options,
    )
    return model


def write_side(model, path):
    # ok: LL304
    tf.saved_model.save(model, path)
    # ok: LL304
    exists = tf.saved_model.contains_saved_model(path)
    # ok: LL304
    builder = tf1.saved_model.Builder(path)
    return exists, builder


def reads_data(path):
    # ok: LL304
    return tf.io.read_file(path)


def shadowed(tf, path):
    # ok: LL304
    return tf.saved_model.load(path)
