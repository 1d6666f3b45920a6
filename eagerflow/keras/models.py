"""keras.models: Model, Sequential, cloning and model (de)serialization."""

from .engine.model import Model  # noqa: F401
from .engine.sequential import Sequential  # noqa: F401
from .saving.cloning import clone_model  # noqa: F401
from .saving.keras_file import load_model, save_model  # noqa: F401
from .saving.serialization import model_from_config, model_from_json  # noqa: F401
