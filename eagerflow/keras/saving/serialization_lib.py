"""`keras.saving.serialize_keras_object` / `deserialize_keras_object`: any Keras object
(layer, model, initializer, regularizer, constraint, optimizer, loss, metric), function,
array or plain value as Keras 3's JSON-ready dict, and back."""

import types

import numpy as np

from .object_registration import CustomObjectScope, find_custom_object, get_registered_name
from .serialization import deserialize_layer, in_safe_mode, safe_mode_scope, serialize_layer

_SERIALIZED_KEYS = frozenset(("module", "class_name", "config", "registered_name"))


def is_serialized_object(value):
    """Whether `value` is the dict serialize_keras_object makes for an object."""
    return isinstance(value, dict) and _SERIALIZED_KEYS <= set(value) and \
        isinstance(value["class_name"], str)


def _families():
    from .. import constraints, initializers, losses, metrics, optimizers, regularizers
    return {"keras.initializers": initializers, "keras.regularizers": regularizers,
            "keras.constraints": constraints, "keras.optimizers": optimizers,
            "keras.losses": losses, "keras.metrics": metrics}


def serialize_keras_object(obj):
    """`obj` as Keras 3 writes it: plain values as they are, lists and dicts item by item,
    arrays as `__numpy__`, objects as {"module", "class_name", "config",
    "registered_name"}, functions by name (`class_name` "function")."""
    from ..engine.base_layer import Layer
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(),
                                                       "dtype": obj.dtype.name}}
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, Layer):
        return serialize_layer(obj)
    if isinstance(obj, types.FunctionType):
        return _serialize_function(obj)
    if hasattr(obj, "get_config") and not isinstance(obj, type):
        cls = type(obj)
        for module, family in _families().items():
            if cls in _builtin_classes(family):
                return {"module": module, "class_name": cls.__name__,
                        "config": obj.get_config(), "registered_name": None}
        return {"module": cls.__module__, "class_name": cls.__name__,
                "config": obj.get_config(), "registered_name": get_registered_name(cls)}
    raise TypeError(f"Cannot serialize {obj!r} (of type {type(obj).__name__}): it is neither "
                    f"a plain value nor a Keras object with get_config().")


def _serialize_function(fn):
    from .. import activations
    if fn.__name__ == "<lambda>":
        raise ValueError("a Python lambda has no name to be saved by; use a named function "
                         "registered with `keras.saving.register_keras_serializable()`")
    if getattr(activations, fn.__name__, None) is fn:
        return {"module": "keras.activations", "class_name": "function",
                "config": fn.__name__, "registered_name": None}
    name = get_registered_name(fn)
    return {"module": fn.__module__, "class_name": "function", "config": name,
            "registered_name": name}


_BUILTIN_CLASSES = {}


def _builtin_classes(family):
    """The public classes a family module defines or re-exports (found once)."""
    if family not in _BUILTIN_CLASSES:
        _BUILTIN_CLASSES[family] = {value for name, value in vars(family).items()
                                    if isinstance(value, type) and not name.startswith("_")}
    return _BUILTIN_CLASSES[family]


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object `config` describes. Custom classes and functions come from
    `custom_objects`, a custom_object_scope or the registry; built-in ones by module and
    name. With safe_mode (the default) stored Python code (a lambda) is refused."""
    if isinstance(config, list):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict):
        return config
    if "class_name" not in config:
        return {k: deserialize_keras_object(v, custom_objects, safe_mode)
                for k, v in config.items()}
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "__numpy__":
        return np.asarray(inner["value"], dtype=inner["dtype"])
    if class_name in ("DTypePolicy", "FloatDTypePolicy"):  # eagerflow's dtypes are names
        return inner["name"]
    with CustomObjectScope(custom_objects), safe_mode_scope(safe_mode):
        if class_name == "__lambda__":
            from ..layers.core import deserialize_function
            return deserialize_function(config, custom_objects, in_safe_mode())
        found = find_custom_object(config, custom_objects)
        family = _families().get(config.get("module"))
        if found is None and family is not None:
            return family.deserialize(config, custom_objects=custom_objects)
        if class_name == "function":
            return found or _builtin_function(config)
        from ..engine.base_layer import Layer
        if found is None or (isinstance(found, type) and issubclass(found, Layer)):
            return deserialize_layer(config, custom_objects)
        return found.from_config(inner or {}, **kwargs)


def _builtin_function(config):
    from .. import activations
    name = config.get("config")
    try:
        return activations.get(name)
    except ValueError:
        raise ValueError(
            f"Could not locate function '{name}' (module {config.get('module')!r}). Decorate "
            f"it with `@keras.saving.register_keras_serializable()` or pass it in "
            f"`custom_objects`.") from None
