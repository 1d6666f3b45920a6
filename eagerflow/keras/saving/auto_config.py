"""Keras 3's automatic configs: a Layer or Model subclass that defines no get_config gets
one from the arguments its constructor received (defaults filled in), as long as they are
plain JSON values or serializable Keras objects; from_config rebuilds it from them."""

import inspect

import numpy as np

_SIGNATURES = {}
_BASE_KEYS = ("name", "trainable", "dtype")


def constructor_config(layer, base):
    """`base` (the name, trainable flag, dtype: those `__init__` accepts) plus the recorded
    constructor arguments, serialized; NotImplementedError when one cannot be."""
    cls = type(layer)
    signature = _signature(cls)
    args, kwargs = layer.__dict__.get("_init_arguments", ((), {}))
    bound = signature.bind(None, *args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    parameters = list(signature.parameters.values())
    arguments.pop(parameters[0].name)
    takes_kwargs = False
    for parameter in parameters[1:]:
        if parameter.kind is parameter.VAR_KEYWORD:
            takes_kwargs = True
            arguments.update(arguments.pop(parameter.name))
        elif parameter.kind is parameter.VAR_POSITIONAL:
            if arguments.pop(parameter.name):
                raise NotImplementedError(
                    f"Object {cls.__name__} was created with variadic positional arguments "
                    f"(`*{parameter.name}`), which an automatic config cannot pass back to "
                    f"`__init__()`. Implement `get_config()` (and `from_config()` if needed) "
                    f"for {cls.__name__}.")
        elif parameter.kind is parameter.POSITIONAL_ONLY:
            raise NotImplementedError(
                f"Object {cls.__name__} takes the positional-only argument "
                f"`{parameter.name}` in `__init__()`, which an automatic config cannot pass "
                f"back. Implement `get_config()` for {cls.__name__}.")
    config = {key: value for key, value in base.items()
              if takes_kwargs or key in signature.parameters}
    for key, value in arguments.items():
        if key not in _BASE_KEYS:
            config[key] = _serialized(value, cls.__name__, key)
    return config


def revive_arguments(config, custom_objects=None):
    """The config with each serialized Keras object in it (a layer, an initializer, …)
    deserialized again."""
    from .serialization_lib import deserialize_keras_object, is_serialized_object

    def revive(value):
        if is_serialized_object(value):
            return deserialize_keras_object(value, custom_objects)
        if isinstance(value, list):
            return [revive(v) for v in value]
        if isinstance(value, dict):
            return {k: revive(v) for k, v in value.items()}
        return value

    return {key: revive(value) for key, value in config.items()}


def _signature(cls):
    signature = _SIGNATURES.get(cls)
    if signature is None:
        signature = _SIGNATURES[cls] = inspect.signature(cls.__init__)
    return signature


def _serialized(value, class_name, argument):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_serialized(v, class_name, argument) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _serialized(v, class_name, argument) for k, v in value.items()}
    from .serialization_lib import serialize_keras_object
    try:
        return serialize_keras_object(value)
    except (TypeError, ValueError, NotImplementedError) as error:
        raise NotImplementedError(
            f"Object {class_name} was created by passing a non-serializable argument value "
            f"in `__init__()`: `{argument}`={value!r} ({error}). An automatic config holds "
            f"only numbers, strings, booleans, None, lists and dicts of them, and Keras "
            f"objects (layers, initializers, ...). Implement `get_config()` for "
            f"{class_name}, returning the constructor arguments, e.g.\n\n"
            f"    def get_config(self):\n"
            f"        return {{**super().get_config(), \"{argument}\": ...}}") from None
