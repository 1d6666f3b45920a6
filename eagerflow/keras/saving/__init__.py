"""keras.saving: whole-model files (`.keras`), weights files, and the registry and
serialization functions behind configs."""

from .keras_file import load_model, save_model  # noqa: F401
from .object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from .serialization_lib import deserialize_keras_object, serialize_keras_object  # noqa: F401


def save_weights(model, filepath, overwrite=True):
    """Writes the model's weights (and optimizer state) to `.weights.h5` or `.npz`."""
    model.save_weights(filepath, overwrite=overwrite)


def load_weights(model, filepath):
    """Reads weights written by save_weights into `model`."""
    model.load_weights(filepath)
