"""Core layers: Dense, Activation, Dropout, SpatialDropout1D/2D, Lambda, Embedding,
Identity."""

import base64
import importlib
import inspect
import marshal
import types
import warnings

import eagerflow as tf

from ...framework.tensor import Tensor
from ...ops.nn_fused import FusedMatMul
from ...util import nest
from .. import activations, constraints, initializers, regularizers
from ..engine.base_layer import Layer
from ..engine.input_spec import InputSpec
from ..engine.keras_tensor import KerasTensor
from .reshaping import ShapeLayer, standardize_data_format


class Dense(Layer):
    """`activation(inputs @ kernel + bias)` on the last axis of inputs of rank >= 2.

    kernel has shape (input_dim, units), bias (units,).
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, self.units), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        if inputs.dtype != self.kernel.dtype:
            # Integer data meets float weights: Keras promotes to the weights' dtype.
            inputs = tf.cast(inputs, self.kernel.dtype)
        if self.bias is not None and type(inputs) is Tensor and inputs._value.ndim == 2:
            # Eagerly, one op: what the graph optimizer makes of matmul → bias_add (→ relu)
            # (traced graphs keep the separate ops, as TF's do).
            if self.activation is activations.relu:
                return FusedMatMul(inputs, self.kernel, self.bias, activation="relu")
            return self.activation(FusedMatMul(inputs, self.kernel, self.bias))
        outputs = tf.matmul(inputs, self.kernel)
        if self.bias is not None:
            outputs = tf.nn.bias_add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
        return config


class Activation(Layer):
    """Applies an activation function (a name such as 'relu', or a callable)."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


def _checked_noise_shape(noise_shape):
    if noise_shape is None:
        return None
    message = "Invalid value received for argument `noise_shape`. Expected a tuple of " \
              "positive integers or None entries."
    if isinstance(noise_shape, str):
        raise ValueError(f"{message} Received: noise_shape={noise_shape}")
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(f"{message} Received: noise_shape={noise_shape}") from None
    for dim in noise_shape:
        if dim is not None and (not isinstance(dim, int) or dim <= 0):
            raise ValueError(f"{message} Received: noise_shape={noise_shape}")
    return noise_shape


class Dropout(ShapeLayer):
    """In training, zeroes each input unit with probability `rate` and scales the rest by
    1 / (1 - rate); in inference, passes inputs through.

    noise_shape: the shape of the keep/drop mask (None entries take the input's size),
    e.g. (batch, 1, features) to drop the same features at every step.
    seed: an int making the masks reproducible (with tf.random.set_seed, they are
    reproducible without it too).
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.seed = seed
        self.noise_shape = _checked_noise_shape(noise_shape)
        self.built = True

    def _mask_shape(self):
        return self.noise_shape

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return tf.zeros_like(inputs)
        return tf.nn.dropout(inputs, self.rate, noise_shape=self._mask_shape(),
                             seed=self.seed)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}


class _SpatialDropout(Dropout):
    """Dropout whose mask covers whole feature maps (its size-1 axes are shared)."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole feature maps: on (batch, steps, channels) inputs, each channel of
    each sample is kept or dropped at every step together."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=3)

    def _mask_shape(self):
        return (None, 1, None)


class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole 2D feature maps: on 4D images, each channel of each sample is kept
    or dropped over all its pixels together."""

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _mask_shape(self):
        if self.data_format == "channels_first":
            return (None, None, 1, 1)
        return (None, 1, 1, None)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Lambda(Layer):
    """Wraps a function of the inputs as a layer: `Lambda(lambda x: x ** 2)`.

    output_shape: the output shape without the batch axis (a tuple), or a function of
    the full input shape; by default it is found by running `function` symbolically.
    mask: None, a tensor, or a function `(inputs, mask) -> mask`.
    arguments: extra keyword arguments for `function`.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self._output_shape = output_shape
        parameters = inspect.signature(function).parameters
        self._passes_training = "training" in parameters
        self._passes_mask = "mask" in parameters
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._passes_mask:
            kwargs["mask"] = mask
        if self._passes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def _trace(self, inputs, **kwargs):
        """Output KerasTensors found by running `function` on symbolic inputs (its ops
        record instead of computing)."""
        outputs = self.call(inputs, **kwargs)
        return nest.map_structure(lambda x: KerasTensor(x.shape, x.dtype), outputs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            symbolic = _shapes_to_keras_tensors(input_shape, self.compute_dtype)
            return nest.map_structure(lambda x: x.shape, self._trace(symbolic))
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = nest.flatten(input_shape)[0]
        return (batch,) + tuple(self._output_shape)

    def compute_output_spec(self, inputs, *args, **kwargs):
        if self._output_shape is None:
            return self._trace(inputs, **kwargs)
        shape = self.compute_output_shape(nest.map_structure(lambda x: tuple(x.shape), inputs))
        return KerasTensor(shape, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = {**super().get_config(), "function": serialize_function(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (serialize_function(self._output_shape)
                                      if callable(self._output_shape) else self._output_shape)
        if self.mask is not None:
            config["mask"] = serialize_function(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = dict(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Recreates the layer; a Python lambda is rebuilt from its bytecode only with
        safe_mode=False, since loading code can run anything."""
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict) and "class_name" in value:
                config[key] = deserialize_function(value, custom_objects, safe_mode)
        if isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        return cls(**config)


def _shapes_to_keras_tensors(shapes, dtype):
    """KerasTensors for a shape tuple, or a list/dict of them."""
    if isinstance(shapes, dict):
        return {k: _shapes_to_keras_tensors(v, dtype) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)) and shapes and isinstance(shapes[0], (list, tuple)):
        return [_shapes_to_keras_tensors(s, dtype) for s in shapes]
    return KerasTensor(shapes, dtype)


def serialize_function(function):
    """A Lambda's function as Keras saves it: a Python lambda as base64 bytecode (plus
    defaults and closure values), a named function by module and name."""
    if getattr(function, "__name__", None) == "<lambda>":
        closure = function.__closure__
        return {"class_name": "__lambda__", "config": {
            "code": base64.b64encode(marshal.dumps(function.__code__)).decode("ascii"),
            "defaults": function.__defaults__,
            "closure": None if closure is None else tuple(c.cell_contents for c in closure)}}
    from ..saving.object_registration import get_registered_name
    name = get_registered_name(function) if hasattr(function, "__name__") else \
        type(function).__name__
    return {"module": getattr(function, "__module__", None), "class_name": "function",
            "config": name, "registered_name": name}


def deserialize_function(config, custom_objects=None, safe_mode=None):
    """The function `serialize_function` described. Rebuilding a lambda runs stored
    bytecode, so it needs safe_mode=False."""
    if config["class_name"] == "__lambda__":
        if safe_mode is not False:
            raise ValueError(
                "This `Lambda` config holds a Python lambda as bytecode; rebuilding it would "
                "run that code, so it is refused by default. If you trust where the config "
                "came from, pass `safe_mode=False`.")
        inner = config["config"]
        code = marshal.loads(base64.b64decode(inner["code"]))
        closure = inner["closure"]
        cells = None if closure is None else tuple(types.CellType(v) for v in closure)
        defaults = None if inner["defaults"] is None else tuple(inner["defaults"])
        return types.FunctionType(code, globals(), code.co_name, defaults, cells)
    from ..saving.object_registration import find_custom_object
    name = config["config"]
    found = find_custom_object(config, custom_objects)
    if found is not None:
        return found
    module = config.get("module") or ""
    if module.startswith("keras"):
        from .. import activations
        return activations.get(name)
    if safe_mode and module.partition(".")[0] != "eagerflow":
        raise ValueError(
            f"Could not locate function '{name}' (module {module!r}): with safe_mode=True a "
            f"Lambda's function must be registered with "
            f"`@keras.saving.register_keras_serializable()` or passed in `custom_objects`; "
            f"importing a module that the config names is refused. If you trust where the "
            f"config came from, pass `safe_mode=False`.")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, TypeError, ValueError):
        raise ValueError(f"Could not locate function '{name}' (module {module!r}). "
                         f"Pass it in `custom_objects`.") from None


class Embedding(Layer):
    """Maps non-negative integer indices to rows of an (input_dim, output_dim) matrix.

    mask_zero: index 0 is padding; `compute_mask` then reports `inputs != 0`.
    weights: an optional initial (input_dim, output_dim) matrix.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, **kwargs):
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.",
                          stacklevel=2)
        kwargs["autocast"] = False
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        if weights is not None:
            self.build()
            self.built = True
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1
                             else [weights])

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)

    def call(self, inputs):
        if inputs.dtype not in (tf.int32, tf.int64):
            inputs = tf.cast(inputs, tf.int32)
        return tf.gather(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        """`inputs != 0` when mask_zero, else None."""
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        }


class Identity(Layer):
    """Returns its inputs (any structure of tensors) unchanged."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs, *args, **kwargs):
        return nest.map_structure(lambda x: KerasTensor(x.shape, x.dtype), inputs)
