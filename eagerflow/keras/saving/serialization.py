"""Layer and model configs as Keras 3 writes them ({"module", "class_name", "config",
"registered_name"}), the way back (built-in classes by name, custom ones from
`custom_objects`, a custom_object_scope or the registry), and JSON round trips
(`to_json` / `model_from_json`)."""

import contextlib
import inspect
import json
import threading

from . import keras3_config
from .object_registration import (
    CustomObjectScope, find_by_short_name, find_custom_object, get_registered_name)

_DTYPE_POLICY = {"module": "keras", "class_name": "DTypePolicy", "registered_name": None}
_safe_mode = threading.local()


@contextlib.contextmanager
def safe_mode_scope(safe_mode):
    """Within it, deserialization refuses (True) or allows (False) rebuilding Python code
    such as a Lambda's lambda; None keeps the enclosing setting."""
    previous = getattr(_safe_mode, "value", None)
    _safe_mode.value = previous if safe_mode is None else safe_mode
    try:
        yield
    finally:
        _safe_mode.value = previous


def in_safe_mode():
    """The current safe mode: True, False, or None outside any safe_mode_scope."""
    return getattr(_safe_mode, "value", None)


def serialize_layer(layer):
    """The layer (or model) as Keras 3's dict; custom classes carry their module and
    registered name, built-in layers `"module": "keras.layers"`. A built layer adds its
    `build_config`, a compiled model its `compile_config`."""
    from ..engine.input_layer import InputLayer
    from ..engine.sequential import Sequential
    config = layer.get_config()
    if isinstance(layer, Sequential) and "layers" in config:
        config = {**config, "layers": _sequential_layers(layer)}
    if isinstance(config.get("dtype"), str) and not isinstance(layer, InputLayer):
        config = {**config, "dtype": {**_DTYPE_POLICY, "config": {"name": config["dtype"]}}}
    name = class_name(layer)
    cls = type(layer)
    if name == "Functional":
        module, registered = "keras.src.models.functional", "Functional"
    elif _known_classes().get(name) is cls:
        module, registered = ("keras" if name == "Sequential" else "keras.layers"), None
    else:
        module, registered = cls.__module__, get_registered_name(cls)
    entry = {"module": module, "class_name": name, "config": config,
             "registered_name": registered}
    build = build_config(layer)
    if build is not None:
        entry["build_config"] = build
    if getattr(layer, "compiled", False) and getattr(layer, "_compile_config", None):
        entry["compile_config"] = layer._compile_config
    return entry


def _sequential_layers(model):
    """A Sequential's layers as Keras 3 lists them: an InputLayer first when the first
    layer was given its input shape (`input_shape=`), which Keras 3 layers do not take."""
    from ..engine.input_layer import InputLayer
    entries = [serialize_layer(item) for item in model._stack]
    first = model._stack[0] if model._stack else None
    if first is None or isinstance(first, InputLayer) or first._batch_input_shape is None:
        return entries
    entries[0] = {**entries[0], "config": {key: value for key, value in
                                           entries[0]["config"].items()
                                           if key != "batch_input_shape"}}
    input_layer = {"batch_shape": list(first._batch_input_shape), "dtype": first.dtype,
                   "sparse": False, "name": f"{model.name}_input"}
    return [{"module": "keras.layers", "class_name": "InputLayer", "config": input_layer,
             "registered_name": None}] + entries


def build_config(layer):
    """{"input_shape": …} that `build` needs to recreate the layer's weights before they
    load (Keras 3's build_config); None for an unbuilt layer, an InputLayer or a
    Functional model (its layers build themselves)."""
    from ..engine.input_layer import InputLayer
    from ..engine.sequential import Sequential
    if not layer.built or isinstance(layer, InputLayer):
        return None
    if isinstance(layer, Sequential):
        shape = layer._input_batch_shape() or layer._build_input_shape
    elif getattr(layer, "_graph", None) is not None:
        return None
    else:
        shape = layer._build_input_shape
        if shape is None and layer._recorded_shapes is not None:
            shape = layer._recorded_shapes[0]
    return None if shape is None else {"input_shape": shape}


def build_from_config(layer, config):
    """Builds a layer deserialized unbuilt from the `build_config` saved with it."""
    shape = (config or {}).get("input_shape")
    if shape is not None and not layer.built:
        layer.build(_shape_tuples(shape))


def _shape_tuples(shape):
    """JSON's lists back to shape tuples (a shape, or a list/dict of shapes)."""
    if isinstance(shape, dict):
        return {k: _shape_tuples(v) for k, v in shape.items()}
    if all(d is None or isinstance(d, int) for d in shape):
        return tuple(shape)
    return [_shape_tuples(s) for s in shape]


_KNOWN = {}


def _known_classes():
    """Built-in layer and model classes by Keras class name (found once)."""
    if not _KNOWN:
        from .. import layers, models
        from ..engine.op_layer import OpLayer
        _KNOWN.update({name: getattr(layers, name) for name in dir(layers)
                       if isinstance(getattr(layers, name), type)})
        _KNOWN.update(Model=models.Model, Sequential=models.Sequential,
                      Functional=models.Model, OpLayer=OpLayer)
    return _KNOWN


def _is_keras_module(module):
    return module is None or module == "keras" or module.startswith("keras.")


def deserialize_layer(config, custom_objects=None):
    """A layer (or model) from its serialized config. Custom classes come from
    `custom_objects`, a custom_object_scope or the registry; `custom_objects` and the
    current safe mode reach nested deserialization too."""
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"Could not deserialize a layer from {config!r}: expected a dict "
                         f"with 'class_name' and 'config'.")
    name = config["class_name"]
    cls = find_custom_object(config, custom_objects)
    inner = config["config"]
    if cls is None and _is_keras_module(config.get("module")):
        cls = _known_classes().get(name)
        inner = keras3_config.without_keras_only_defaults(inner)
    if cls is None:
        cls = find_by_short_name(config)
    if cls is None:
        raise ValueError(
            f"Unknown layer class '{name}' (module {config.get('module')!r}). Built-in "
            f"classes are those of keras.layers; decorate custom classes with "
            f"`@keras.saving.register_keras_serializable()` or pass them in "
            f"`custom_objects` (e.g. custom_objects={{'{name}': {name}}}).")
    keywords = _from_config_parameters(cls)
    kwargs = {}
    if "custom_objects" in keywords:
        kwargs["custom_objects"] = custom_objects
    if "safe_mode" in keywords:
        kwargs["safe_mode"] = in_safe_mode()
    with CustomObjectScope(custom_objects):
        try:
            layer = cls.from_config(inner, **kwargs)
        except TypeError as error:
            raise TypeError(f"{cls.__name__} could not be deserialized from its config: "
                            f"{error}. Layers and other Keras objects that get_config() "
                            f"returns must be deserialized in the class's from_config(). "
                            f"config={inner}") from error
        build_from_config(layer, config.get("build_config"))
    return layer


def _from_config_parameters(cls):
    try:
        return inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        return {}


def model_to_json(model, **kwargs):
    return json.dumps(serialize_layer(model), default=json_default, **kwargs)


def class_name(layer):
    """Keras's class name for a layer: `Model(inputs, outputs)` is a Functional."""
    if type(layer).__name__ == "Model" and getattr(layer, "_graph", None) is not None:
        return "Functional"
    return type(layer).__name__


def json_default(value):
    """JSON for what json cannot write itself: arrays as lists, dtypes by name, Keras
    objects and functions as their serialized dicts."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "get_config") or callable(value):
        from .serialization_lib import serialize_keras_object
        return serialize_keras_object(value)
    if hasattr(value, "name"):
        return value.name
    raise TypeError(f"Cannot serialize {value!r} (of type {type(value).__name__}) to JSON.")


def model_from_config(config, custom_objects=None):
    return deserialize_layer(config, custom_objects)


def model_from_json(json_string, custom_objects=None):
    """The model (untrained: freshly initialized weights) described by `to_json()`; in
    safe mode, as Keras 3 reads it: stored Python code is refused."""
    with safe_mode_scope(True):
        return deserialize_layer(json.loads(json_string), custom_objects)
