import json
import sys

import keras
import tensorflow as tf
import tf_keras
from keras.models import model_from_json
from tensorflow.keras.models import model_from_config as tf_model_from_config

import mylib.models as mymodels

ARCHITECTURE = '{"class_name": "Sequential", "config": {"name": "s", "layers": []}}'


def architecture_of(path):
    with open(path) as f:
        # expect: LL305:warning
        return keras.models.model_from_json(f.read())


def classic_tutorial(json_path, weights_path):
    json_file = open(json_path, "r")
    loaded_model_json = json_file.read()
    json_file.close()
    # expect: LL305:warning
    loaded_model = model_from_json(loaded_model_json)
    loaded_model.load_weights(weights_path)
    return loaded_model


def bundled():
    # expect: LL305:note
    return keras.models.model_from_json(ARCHITECTURE)


def from_argv():
    with open(sys.argv[1]) as f:
        # expect: LL305:error
        return tf.keras.models.model_from_json(f.read(), custom_objects={})


def from_config_dict(config):
    # expect: LL305:warning
    a = tf_model_from_config(config)
    # expect: LL305:warning
    b = tf.keras.models.model_from_config(config=config)
    # expect: LL305
    c = tf_keras.models.model_from_config(config)
    return a, b, c


def layers(layer_config):
    # expect: LL305
    a = keras.layers.deserialize(layer_config)
    # expect: LL305
    b = tf.keras.layers.deserialize(layer_config, custom_objects=None)
    # expect: LL305
    c = tf_keras.layers.deserialize(config=layer_config)
    # expect: LL305
    d = keras.legacy.saving.deserialize_keras_object(layer_config)
    return a, b, c, d


def yaml_models(text):
    # expect: LL305
    a = tf.keras.models.model_from_yaml(text)
    # expect: LL305
    b = tf_keras.models.model_from_yaml(yaml_string=text)
    return a, b


def compat_v1(text):
    # expect: LL305
    return tf.compat.v1.keras.models.model_from_json(text)


def multi_line(text, objects):
    # expect: LL305
    model = keras.models.model_from_json(
        text,
        custom_objects=objects,
    )
    return model


def serialize_side(model):
    # ok: LL305
    text = model.to_json()
    # ok: LL305
    config = model.get_config()
    # ok: LL305
    layer_config = keras.layers.serialize(model.layers[0])
    return text, config, layer_config, json.dumps(config)


def clone(model):
    # ok: LL305
    return keras.models.clone_model(model)


def safe_mode_deserializer(config):
    # ok: LL305
    return keras.saving.deserialize_keras_object(config)


def other_module(text):
    # ok: LL305
    return mymodels.model_from_json(text)


def shadowed(keras, text):
    # ok: LL305
    return keras.models.model_from_json(text)
