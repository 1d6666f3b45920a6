"""`keras.utils`: helpers for preparing data and making runs reproducible. Re-exports only."""

from .model_visualization import model_to_dot, plot_model  # noqa: F401
from .numerical import normalize, to_categorical  # noqa: F401
from .random import set_random_seed  # noqa: F401
from .progbar import Progbar  # noqa: F401
from ..saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from ..saving.serialization_lib import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object)
