"""Arguments that Keras 3 writes into built-in objects' configs and eagerflow does not
model. At these values they change nothing, so they are dropped before from_config; any
other value is kept, and the class then says it does not take the argument."""

_NEUTRAL = {
    "quantization_config": None,  # Dense, EinsumDense, Embedding: no quantization
    "input_axes": None,           # variance-scaling initializers: the default fans
    "output_axes": None,
    "ragged": False,              # InputLayer
    "renorm": False,              # BatchNormalization without batch renormalization
    "renorm_clipping": None,
    "renorm_momentum": 0.99,
}


def without_keras_only_defaults(config):
    """A copy of a built-in object's config without those arguments, also in the
    serialized Keras objects nested in it (initializers, wrapped layers)."""
    if not isinstance(config, dict):
        return config
    return {key: _nested(value) for key, value in config.items()
            if not (key in _NEUTRAL and _same(value, _NEUTRAL[key]))}


def _same(value, neutral):
    return type(value) is type(neutral) and value == neutral


def _nested(value):
    if isinstance(value, list):
        return [_nested(v) for v in value]
    if isinstance(value, dict) and "class_name" in value and isinstance(value.get("config"),
                                                                          dict):
        module = value.get("module")
        if module is None or module == "keras" or module.startswith("keras."):
            return {**value, "config": without_keras_only_defaults(value["config"])}
    return value
