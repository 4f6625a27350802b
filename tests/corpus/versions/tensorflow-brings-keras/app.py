"""No Keras pin: tensorflow>=2.16 brings Keras 3, any 3.x (requirements.txt),
some of which ignore safe_mode for .h5 files."""
import tensorflow as tf


# expect: LL306:warning, LL301:duplicate
legacy = tf.keras.models.load_model("weights/model.h5")
# ok: LL306
# expect: LL307:note, LL301:duplicate
modern = tf.keras.models.load_model("weights/model.keras")
