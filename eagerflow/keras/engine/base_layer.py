"""Layer: the base class of every Keras layer and model.

A layer stores its configuration in `__init__`, creates its weights in
`build(input_shape)` (called once, on the first call, with the input's
shape), and computes in `call`. `__call__` wraps `call`:

- on KerasTensors it records a Node (the Functional API) instead of computing;
- on data it converts and casts the inputs, builds, checks `input_spec`,
  passes `training` down from the enclosing call, and applies the activity
  regularizer.
"""

import functools
import inspect

import numpy as np

from ... import dtypes
from ...framework import context
from ...framework.convert import convert_to_tensor
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from ...ops import math_unary
from ...util import nest
from ..variables import KerasVariable
from . import call_context, naming
from .input_spec import check_input_compatibility
from .keras_tensor import KerasTensor

# The base class's own bookkeeping, which never holds sublayers.
_UNTRACKED_ATTRIBUTES = frozenset((
    "_inbound_nodes", "_losses", "_trainable_variables", "_non_trainable_variables",
    "_regularized", "_recorded_shapes", "input_spec", "activity_regularizer",
    "_init_arguments", "_build_input_shape", "_checked_input"))
_TENSOR_LIKE = (Tensor, Variable, np.ndarray, np.generic, int, float)
_BASE_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "input_dim"}


class Layer:
    """Base class of layers: weights, lazy build, call, config."""

    # True for classes that keep Layer's (or Model's) own get_config: their constructor
    # arguments are recorded so that get_config can return them (Keras 3's auto-config).
    _records_arguments = False

    def __new__(cls, *args, **kwargs):
        layer = object.__new__(cls)
        if cls._records_arguments:
            layer._init_arguments = (args, kwargs)
        return layer

    def __init__(self, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        unknown = set(kwargs) - _BASE_KWARGS
        if unknown:
            raise ValueError(f"Unrecognized keyword arguments passed to "
                             f"{type(self).__name__}: {dict((k, kwargs[k]) for k in unknown)}")
        self._batch_input_shape = _batch_input_shape(kwargs)
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        if isinstance(dtype, dict):  # Keras 3 configs write a DTypePolicy
            dtype = dtype.get("config", {}).get("name")
        self._dtype = dtypes.as_dtype(dtype or "float32")
        self._autocast = autocast
        self._trainable = trainable
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._regularized = []
        self._losses = []
        self._inbound_nodes = []
        self._recorded_shapes = None
        self._build_input_shape = None  # what build() received: the saved build_config
        self.built = False
        self.input_spec = None
        from .. import regularizers
        self.activity_regularizer = regularizers.get(activity_regularizer)

    def __init_subclass__(cls, **kwargs):
        """Marks a layer built once its own build() returns, even when called by hand."""
        super().__init_subclass__(**kwargs)
        cls._records_arguments = getattr(cls.get_config, "_default_config", False)
        build = cls.__dict__.get("build")
        if build is not None:
            @functools.wraps(build)
            def build_and_mark(self, *args, **kwargs):
                build(self, *args, **kwargs)
                self.built = True
                if getattr(self, "_build_input_shape", None) is None and \
                        len(args) + len(kwargs) == 1:
                    self._build_input_shape = (args or tuple(kwargs.values()))[0]
            cls.build = build_and_mark

    def __setattr__(self, name, value):
        """Variables set as public attributes (alone or in lists/tuples/dicts) are tracked."""
        if not name.startswith("_") and hasattr(self, "_trainable_variables"):
            for item in nest.flatten(value):
                if isinstance(item, Variable) and not self._owns(item):
                    (self._trainable_variables if item.trainable
                     else self._non_trainable_variables).append(item)
        object.__setattr__(self, name, value)

    def _owns(self, variable):
        return any(v is variable for v in self._trainable_variables + self._non_trainable_variables)

    # --- dtype ---------------------------------------------------------------------------

    @property
    def dtype(self):
        """The dtype of the layer's weights (its variable dtype), e.g. 'float32'."""
        return self._dtype.name

    @property
    def compute_dtype(self):
        return self._dtype.name

    @property
    def variable_dtype(self):
        return self._dtype.name

    # --- weights -------------------------------------------------------------------------

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   name=None, **kwargs):
        """Creates a weight variable of this layer, initialized now."""
        from .. import constraints, initializers, regularizers
        dtype = dtypes.as_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        initializer = initializers.get(initializer)
        shape = () if shape is None else tuple(int(d) for d in shape)
        name = name or f"variable_{len(self._trainable_variables + self._non_trainable_variables)}"
        with context.eager_mode():  # initial values are made now even inside a trace
            value = initializer(shape, dtype=dtype)
        variable = KerasVariable(value, name=name,
                                 path=f"{self.name}/{name}", trainable=trainable, dtype=dtype,
                                 constraint=constraints.get(constraint))
        (self._trainable_variables if trainable else self._non_trainable_variables).append(
            variable)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._regularized.append((regularizer, variable))
        return variable

    @property
    def _layers(self):
        """Sublayers held in attributes (directly or in lists, tuples, dicts), in the order
        the attributes were set."""
        found, seen = [], {id(self)}

        def visit(value):
            if isinstance(value, Layer):
                if id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    visit(item)
            elif isinstance(value, dict):
                for item in value.values():
                    visit(item)

        for key, value in vars(self).items():
            if key not in _UNTRACKED_ATTRIBUTES:
                visit(value)
        return found

    @property
    def layers(self):
        return self._layers

    @property
    def variables(self):
        """Own variables (trainable first, then non-trainable), then each sublayer's."""
        return _unique(self._trainable_variables + self._non_trainable_variables
                       + [v for layer in self._layers for v in layer.variables])

    weights = variables

    @property
    def trainable_weights(self):
        return [v for v in self.weights if v.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self):
        return [v for v in self.weights if not v.trainable] if self.trainable else self.weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for variable in self._trainable_variables:
            variable.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def get_weights(self):
        """The weights' values as a list of NumPy arrays, in `weights` order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays in `weights` order."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(own)} weights.")
        for variable, value in zip(own, weights):
            if tuple(variable.shape.as_list()) != tuple(getattr(value, "shape", ())):
                raise ValueError(f"Layer {self.name} weight shape {tuple(variable.shape)} is "
                                 f"not compatible with provided weight shape "
                                 f"{tuple(getattr(value, 'shape', ()))}.")
            variable.assign(value)

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the "
                             f"layer isn't built. You can build it manually via: "
                             f"`layer.build(input_shape)`.")
        return sum(int(v.shape.num_elements()) for v in self.weights)

    # --- losses --------------------------------------------------------------------------

    def add_loss(self, loss):
        """Adds a loss tensor (e.g. an activity penalty) computed during this call."""
        self._losses.append(loss)

    @property
    def losses(self):
        """Losses added during the last call, plus weight regularization penalties,
        for this layer and every sublayer."""
        own = list(self._losses) + [regularizer(v) for regularizer, v in self._regularized]
        return own + [loss for layer in self._layers for loss in layer.losses]

    # --- building and calling ------------------------------------------------------------

    def build(self, input_shape):
        """Creates the weights; the default layer has none."""
        self.built = True

    def _maybe_build(self, inputs):
        if not self.built:
            self._build_input_shape = nest.map_structure(lambda x: tuple(x.shape), inputs)
            self.build(self._build_input_shape)

    def call(self, inputs, *args, **kwargs):
        return inputs

    # The (shape, dtype) of the last lone eager tensor this built layer took and checked:
    # another like it goes straight to `call` (the checks would find nothing new).
    _checked_input = None

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and args[0].__class__ is Tensor and \
                self._checked_input == (args[0]._value.shape, args[0]._value.dtype) and \
                self.activity_regularizer is None:
            return self._call_eagerly(args[0], {})
        if not args:
            raise ValueError(f"Layer {self.name} was called without any input.")
        if _has_symbolic(args) or _has_symbolic(kwargs.values()):
            return self._symbolic_call(args, kwargs)
        inputs = self._convert_inputs(args[0])
        check_input_compatibility(self.input_spec, inputs, self.name)
        self._maybe_build(inputs)
        outputs = self._call_eagerly(inputs, kwargs, *args[1:])
        if self.activity_regularizer is not None:
            for output in nest.flatten(outputs):
                self.add_loss(self.activity_regularizer(output))
        elif inputs is args[0] and len(args) == 1 and not kwargs and \
                inputs.__class__ is Tensor:
            self._checked_input = (inputs._value.shape, inputs._value.dtype)
        if self._recorded_shapes is None:
            self._recorded_shapes = (_batchless_shapes(inputs), _batchless_shapes(outputs))
        return outputs

    def _call_eagerly(self, inputs, kwargs, *args):
        training = self._training_argument(kwargs)
        self._losses = []
        with call_context.enter(training):
            return self.call(inputs, *args, **kwargs)

    def _training_argument(self, kwargs):
        """The training flag of this call: given, else inherited from the enclosing call.
        It reaches `call` only if `call` takes it; nested layers see it either way."""
        if not self._accepts("training"):
            return kwargs.pop("training", None)
        if kwargs.get("training") is None:
            inherited = call_context.training()
            if inherited is None:
                kwargs.pop("training", None)
            else:
                kwargs["training"] = inherited
        return kwargs.get("training")

    def _convert_inputs(self, inputs):
        """Array-likes in `inputs` (a tensor or a list/tuple/dict of them) become tensors;
        floating ones are cast to the compute dtype."""
        def convert(x):
            if not (isinstance(x, _TENSOR_LIKE) or context.is_symbolic(x)):
                return x
            x = convert_to_tensor(x)
            if self._autocast and x.dtype.is_floating and x.dtype != self._dtype:
                x = math_unary.cast(x, self._dtype)
            return x
        return nest.map_structure(convert, inputs)

    def _symbolic_call(self, args, kwargs):
        from .node import Node
        inputs = args[0]
        check_input_compatibility(self.input_spec, inputs, self.name)
        self._maybe_build(inputs)
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors for the outputs: from compute_output_shape when the layer defines
        it, else by running `call` on the symbolic inputs (its ops record, not compute)."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = self.compute_output_shape(
                nest.map_structure(lambda x: tuple(x.shape), args[0]))
            return _keras_tensors(shapes, self.compute_dtype)
        with call_context.enter(self._training_argument(kwargs)), naming.scratch():
            traced = self.call(*args, **kwargs)
        return nest.map_structure(lambda x: KerasTensor(x.shape, x.dtype), traced)

    def compute_output_shape(self, input_shape):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement "
                                  f"compute_output_shape.")

    def _accepts(self, argument):
        return argument in _call_parameters(type(self))

    # --- functional-API views -----------------------------------------------------------

    @property
    def input(self):
        return self._first_node("input").args[0]

    @property
    def output(self):
        return self._first_node("output").outputs

    def _first_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has never been called and thus has no "
                                 f"defined {what}.")
        return self._inbound_nodes[0]

    # --- config -------------------------------------------------------------------------

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            from .. import regularizers
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        if type(self)._records_arguments:
            from ..saving.auto_config import constructor_config
            return constructor_config(self, config)
        return config

    get_config._default_config = True

    @classmethod
    def from_config(cls, config):
        if cls._records_arguments:
            from ..saving.auto_config import revive_arguments
            config = revive_arguments(config)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _has_symbolic(values):
    """Whether any value (or anything nested in a list/tuple/dict value) is a KerasTensor."""
    for value in values:
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, (list, tuple, dict)) and any(
                isinstance(x, KerasTensor) for x in nest.flatten(value)):
            return True
    return False


def _batch_input_shape(kwargs):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    if kwargs.get("input_shape") is not None:
        return (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (kwargs.get("batch_size"), kwargs["input_dim"])
    return None


def _unique(variables):
    seen, unique = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            unique.append(v)
    return unique


def _keras_tensors(shapes, dtype):
    if isinstance(shapes, tuple) and all(d is None or isinstance(d, int) for d in shapes):
        return KerasTensor(shapes, dtype)
    if isinstance(shapes, dict):
        return {k: _keras_tensors(s, dtype) for k, s in shapes.items()}
    return [_keras_tensors(s, dtype) for s in shapes]


def _batchless_shapes(structure):
    """Each tensor's shape with the batch dimension shown as None (for summaries)."""
    def shape(x):
        dims = tuple(x.shape) if hasattr(x, "shape") else ()
        return (None,) + dims[1:] if dims else dims
    return nest.map_structure(shape, structure)


_CALL_PARAMETERS = {}


def _call_parameters(cls):
    if cls not in _CALL_PARAMETERS:
        _CALL_PARAMETERS[cls] = set(inspect.signature(cls.call).parameters)
    return _CALL_PARAMETERS[cls]
