"""keras.activations: elementwise activation functions, looked up by name.

Each function is Keras 3's, written on tf.nn / tf.math ops; `get` resolves
the strings layers accept (`Dense(3, activation="relu")`), and `serialize`
gives a built-in activation back as its name.
"""

import warnings

import eagerflow as tf


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0), or with options: `x` above `threshold` (0 below it), clipped to
    `max_value`, plus `negative_slope * (x - threshold)` below the threshold."""
    x = tf.convert_to_tensor(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return tf.nn.leaky_relu(x, alpha=negative_slope)
        below_threshold = tf.nn.relu(threshold - x)
    clip_to_max = max_value is not None
    if threshold != 0:
        x = x * tf.cast(tf.greater(x, tf.cast(threshold, x.dtype)), x.dtype)
    elif max_value == 6:
        x = tf.nn.relu6(x)
        clip_to_max = False
    else:
        x = tf.nn.relu(x)
    if clip_to_max:
        x = tf.clip_by_value(x, tf.cast(0, x.dtype), tf.cast(max_value, x.dtype))
    if negative_slope != 0.0:
        x = x - negative_slope * below_threshold
    return x


def leaky_relu(x, negative_slope=0.2):
    """x where positive, negative_slope * x elsewhere."""
    return tf.nn.leaky_relu(x, alpha=negative_slope)


def relu6(x):
    """min(max(x, 0), 6)."""
    return tf.nn.relu6(x)


def _remember_logits(output, logits):
    """Keras caches a probability output's logits so crossentropy can use them (Keras's
    own symbolic tensors go without)."""
    if hasattr(type(output), "_keras_logits"):  # eager and graph tensors have the slot
        output._keras_logits = logits
    return output


def _over_axes(fn, x, axis):
    """fn (a last-axis normalizer) applied over `axis`: an int, a tuple of axes taken
    together, or None for all of x's entries."""
    x = tf.convert_to_tensor(x)
    if axis is None:
        return tf.reshape(fn(tf.reshape(x, [-1]), axis=-1), tf.shape(x))
    if isinstance(axis, int):
        return fn(x, axis=axis)
    rank = len(x.shape)
    reduced = [a % rank for a in axis]
    kept = [a for a in range(rank) if a not in reduced]
    order = kept + reduced
    moved = tf.transpose(x, perm=order)
    flat = tf.reshape(moved, tf.concat([tf.shape(moved)[:len(kept)], [-1]], axis=0))
    restored = tf.reshape(fn(flat, axis=-1), tf.shape(moved))
    return tf.transpose(restored, perm=[order.index(a) for a in range(rank)])


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis` (an int, a tuple of axes, or None for all):
    each slice becomes a probability distribution."""
    x = tf.convert_to_tensor(x)
    if isinstance(axis, int) and len(x.shape) and x.shape[axis] == 1:
        warnings.warn(f"softmax over axis {axis} of a tensor of shape {tuple(x.shape)}: "
                      f"the axis has size 1, so every output is 1, which is likely not "
                      f"what you intended. Did you mean to use a sigmoid instead?",
                      stacklevel=2)
    return _remember_logits(_over_axes(tf.nn.softmax, x, axis), x)


def log_softmax(x, axis=-1):
    """x - log(sum(exp(x))) along `axis`: the log of softmax, computed stably."""
    return _over_axes(tf.nn.log_softmax, x, axis)


def elu(x, alpha=1.0):
    """x where positive, alpha * (exp(x) - 1) elsewhere."""
    x = tf.convert_to_tensor(x)
    result = tf.nn.elu(x)
    if alpha == 1:
        return result
    return tf.where(x > 0, result, alpha * result)


def selu(x):
    """scale * elu(x, alpha) with the self-normalizing constants (alpha≈1.6733,
    scale≈1.0507)."""
    return tf.nn.selu(x)


def softplus(x):
    """log(exp(x) + 1)."""
    return tf.nn.softplus(x)


def softsign(x):
    """x / (abs(x) + 1)."""
    return tf.nn.softsign(x)


def silu(x):
    """x * sigmoid(x), also called swish."""
    return tf.nn.silu(x)


swish = silu


def gelu(x, approximate=False):
    """x * P(X <= x) for X ~ N(0, 1); `approximate` uses the tanh formula."""
    return tf.nn.gelu(x, approximate=approximate)


def tanh(x):
    """Hyperbolic tangent."""
    return tf.math.tanh(x)


def sigmoid(x):
    """1 / (1 + exp(-x))."""
    x = tf.convert_to_tensor(x)
    return _remember_logits(tf.math.sigmoid(x), x)


def exponential(x):
    """exp(x)."""
    return tf.math.exp(x)


def hard_sigmoid(x):
    """Piecewise linear sigmoid: 0 below -3, 1 above 3, x / 6 + 0.5 between."""
    x = tf.convert_to_tensor(x)
    return tf.nn.relu6(x + 3.0) / 6.0


def hard_silu(x):
    """x * hard_sigmoid(x), also called hard swish."""
    x = tf.convert_to_tensor(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def linear(x):
    """The identity: returns x unchanged."""
    return x


def mish(x):
    """x * tanh(softplus(x))."""
    x = tf.convert_to_tensor(x)
    return x * tf.math.tanh(tf.nn.softplus(x))


_BUILTINS = {fn.__name__: fn for fn in (
    relu, leaky_relu, relu6, softmax, log_softmax, elu, selu, softplus, softsign, silu,
    gelu, tanh, sigmoid, exponential, hard_sigmoid, hard_silu, linear, mish)}
_BY_NAME = {**_BUILTINS, "swish": silu, "hard_swish": hard_silu}


def _lookup(name, custom_objects=None):
    from .saving.object_registration import get_registered_object
    found = get_registered_object(name, custom_objects)
    if found is not None:
        return found
    if name not in _BY_NAME:
        raise ValueError(f"Could not interpret activation function identifier: {name!r}. "
                         f"Valid names: {', '.join(sorted(_BY_NAME))}")
    return _BY_NAME[name]


def serialize(activation):
    """A built-in activation's name; a dict describing any other function or object."""
    if _BUILTINS.get(getattr(activation, "__name__", None)) is activation:
        return activation.__name__
    from .saving.object_registration import get_registered_name
    if hasattr(activation, "get_config"):
        cls = type(activation)
        return {"module": cls.__module__, "class_name": cls.__name__,
                "config": activation.get_config(), "registered_name": get_registered_name(cls)}
    if callable(activation) and hasattr(activation, "__name__"):
        name = get_registered_name(activation)
        return {"module": activation.__module__, "class_name": "function",
                "config": name, "registered_name": name}
    raise ValueError(f"Cannot serialize activation {activation!r}: it is neither an "
                     f"activation function nor an object with get_config().")


def deserialize(config, custom_objects=None):
    """The activation that `serialize` described (a name, or a dict from it)."""
    if isinstance(config, str):
        return _lookup(config, custom_objects)
    if isinstance(config, dict) and "class_name" in config:
        from .saving.object_registration import find_custom_object
        found = find_custom_object(config, custom_objects)
        if config["class_name"] == "function":
            return found or _lookup(config["config"], custom_objects)
        cls = found or _lookup(config["class_name"], custom_objects)
        return cls.from_config(config.get("config") or {})
    raise ValueError(f"Could not deserialize activation from {config!r}: expected a name "
                     f"or a dict with 'class_name' and 'config'.")


def get(identifier):
    """The activation function for `identifier`: None (linear), a name, a config dict,
    or a callable (returned as is)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return _lookup(identifier)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
