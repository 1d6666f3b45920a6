"""tf.keras: layers, models, training. Keras 3's API on eagerflow ops."""

from . import (  # noqa: F401
    activations, backend, callbacks, constraints, datasets, initializers, layers, losses,
    metrics, models, optimizers, regularizers, saving, utils)
from .engine.base_layer import Layer  # noqa: F401
from .engine.input_layer import Input, InputLayer  # noqa: F401
from .engine.input_spec import InputSpec  # noqa: F401
from .engine.model import Model  # noqa: F401
from .engine.sequential import Sequential  # noqa: F401
