"""The `.keras` file: a zip of metadata.json, config.json (the architecture, build and
compile settings) and model.weights.h5 (the weights and the optimizer's state, in Keras
3's layout), as Keras 3 writes it. `model.save(path)` writes one;
`keras.models.load_model(path)` reads it."""

import datetime
import inspect
import io
import json
import os
import zipfile

from ...util.atomic_file import atomic_write_bytes
from .object_registration import CustomObjectScope, find_custom_object
from .serialization import json_default, safe_mode_scope, serialize_layer
from .weights_file import assign_weights, read_h5, restore_optimizers, weight_groups, write_h5

_CONFIG, _METADATA, _WEIGHTS = "config.json", "metadata.json", "model.weights.h5"
# The Keras release whose file layout eagerflow writes (metadata.json's keras_version).
KERAS_VERSION = "3.6.0"


def save_model(model, filepath, overwrite=True, **kwargs):
    """Writes `model` to `filepath` (a `.keras` name) in one atomic step: a failed save
    leaves any previous file as it was and no temporary file behind."""
    filepath = os.fspath(filepath)
    kwargs.pop("include_optimizer", None)  # the optimizer's state is always saved
    if kwargs.pop("save_format", "keras") not in ("keras", None):
        raise ValueError("eagerflow saves whole models only in the `.keras` format; the "
                         "SavedModel and legacy `.h5` formats are not supported.")
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    if not filepath.endswith(".keras"):
        raise ValueError(f"Invalid filepath extension for saving. Please add a `.keras` "
                         f"extension for the native Keras format (or use save_weights with a "
                         f"`.weights.h5` name for the weights alone). Received: "
                         f"filepath={filepath}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath} exists and overwrite=False.")
    config = serialize_layer(model)
    for key in ("build_config", "compile_config"):
        config.setdefault(key, None)
    metadata = {"keras_version": KERAS_VERSION, "producer": "eagerflow",
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    weights = io.BytesIO()
    write_h5(weights, weight_groups(model))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(_METADATA, json.dumps(metadata))
        zipped.writestr(_CONFIG, json.dumps(config, default=json_default))
        zipped.writestr(_WEIGHTS, weights.getvalue())
    atomic_write_bytes(filepath, archive.getvalue())


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved at `filepath` (a `.keras` file), weights loaded and, when it was
    compiled (and `compile`), compiled again with its optimizer's state restored.

    custom_objects: {name: class or function} for custom objects in the file that are
    not registered with `keras.saving.register_keras_serializable`.
    safe_mode: refuse to rebuild Python code stored in the file (a Lambda layer's
    lambda); pass False only for files from a source you trust.
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(f"File format not supported: filepath={filepath}. eagerflow loads "
                         f"`.keras` files; use model.load_weights for `.weights.h5` / `.npz`.")
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: {filepath}. Expected a `.keras` file saved "
                                f"with model.save().")
    config, weights = read_archive(filepath)
    from .serialization_lib import deserialize_keras_object
    model = deserialize_keras_object(config, custom_objects, safe_mode)
    assign_weights(model, weights, filepath)
    compile_config = config.get("compile_config")
    if compile and compile_config:
        with CustomObjectScope(custom_objects), safe_mode_scope(safe_mode):
            model.compile(**_compile_arguments(model, compile_config, custom_objects))
        restore_optimizers(model, weights)
    return model


def read_archive(filepath):
    """(config dict, {dataset path: array}) of a .keras file, or a ValueError naming the
    file and what is wrong with it."""
    problem = f"{filepath} is not a valid `.keras` file"
    try:
        with zipfile.ZipFile(filepath) as archive:
            members = archive.namelist()
            for member in (_CONFIG, _WEIGHTS):
                if member not in members:
                    raise ValueError(f"{problem}: the archive holds no {member} (it holds "
                                     f"{members}).")
            config_text = archive.read(_CONFIG)
            weights_bytes = archive.read(_WEIGHTS)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as error:
        raise ValueError(f"{problem}: it is not a complete zip archive ({error}). It may be "
                         f"truncated or corrupt.") from None
    try:
        config = json.loads(config_text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{problem}: its {_CONFIG} is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"{problem}: its {_CONFIG} does not describe a model (expected an "
                         f"object with 'class_name' and 'config').")
    return config, read_h5(io.BytesIO(weights_bytes), f"{filepath} ({_WEIGHTS})")


def _compile_arguments(model, compile_config, custom_objects):
    """compile()'s arguments from a compile config: the optimizer, losses and metrics
    deserialized (custom ones from `custom_objects`, a scope or the registry), keys
    compile() lacks dropped."""
    from .. import losses, metrics, optimizers
    accepted = inspect.signature(model.compile).parameters
    arguments = {k: v for k, v in compile_config.items() if k in accepted}
    for key, family in (("optimizer", optimizers), ("loss", losses), ("metrics", metrics),
                        ("weighted_metrics", metrics)):
        if key in arguments:
            arguments[key] = _deserialized(arguments[key], family, custom_objects)
    return arguments


def _deserialized(value, family, custom_objects):
    """The serialized objects in a (nested) optimizer, loss or metrics setting, rebuilt."""
    if isinstance(value, dict) and "class_name" in value:
        found = find_custom_object(value, custom_objects)
        if found is None:
            return family.deserialize(value, custom_objects=custom_objects)
        return found.from_config(value["config"]) if inspect.isclass(found) else found
    if isinstance(value, dict):
        return {k: _deserialized(v, family, custom_objects) for k, v in value.items()}
    if isinstance(value, list):
        return [_deserialized(v, family, custom_objects) for v in value]
    return value
