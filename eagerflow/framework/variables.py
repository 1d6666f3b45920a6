"""tf.Variable: mutable state that ops read as a tensor.

A read hands out the current array without copying. Writes are copy-on-write:
they update the array in place when nothing else holds it and replace it when
a tensor read earlier (say, one a GradientTape kept) still refers to it, so a
read always keeps the value it saw.
"""

import sys

import numpy as np

from .. import dtypes
from . import context, naming
from .convert import convert_to_tensor
from .tensor import Tensor, _numpy_text, _Reference, wrap
from .tensor_shape import TensorShape

_active = context.active
_state = context.state
# Called with each new variable (tf.compat.v1 keeps TF1 variables' initial values).
creation_hooks = []
# References to an array held by nothing but the variable: its attribute and
# getrefcount's own argument.
_EXCLUSIVE_REFCOUNT = 2


class Variable:
    """A tensor-valued variable; usable wherever a tensor is."""

    __array_ufunc__ = None

    def __init__(self, initial_value=None, trainable=True, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None, synchronization=None,
                 aggregation=None, shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if callable(initial_value):
            with context.eager_mode():  # TF's init_scope: initial values are made eagerly
                initial_value = initial_value()
        value = convert_to_tensor(initial_value, dtype=dtype)._value
        self._value = np.array(value, copy=True)
        self._shape = TensorShape(self._value.shape if shape is None or validate_shape
                                  else shape)
        if shape is not None and validate_shape and not TensorShape(shape).is_compatible_with(
                self._shape):
            raise ValueError(f"The initial value's shape ({self._shape}) is not compatible with "
                             f"the explicitly supplied `shape` argument ({TensorShape(shape)}).")
        self._trainable = bool(trainable)
        self._name = naming.scoped_name(name or "Variable") + ":0"
        if constraint is not None and not callable(constraint):
            raise ValueError(f"The `constraint` argument must be a callable; got {constraint!r}")
        self._constraint = constraint
        for hook in creation_hooks:
            hook(self)

    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return dtypes.from_numpy(self._value.dtype)

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def _as_tensor(self):
        """A tensor of the current value, registered with recording tapes; while a graph
        is being built, a read node of that graph."""
        if _active:
            if _state.building_graphs:
                return _state.building_graphs[-1].read_variable(self)
            tensor = wrap(self._value)
            for tape in _state.recording_tapes:
                tape._read_variable(self, tensor)
            return tensor
        return wrap(self._value)

    def read_value(self):
        return self._as_tensor()

    value = read_value

    def numpy(self):
        value = np.array(self._value, copy=True)
        return value[()] if value.ndim == 0 else value

    def assign(self, value, use_locking=None, name=None, read_value=True):
        if _active and _state.building_graphs:
            return self._assign_in_graph("assign", value)
        new = self._checked(value, "assign")
        if self._exclusive():
            np.copyto(self._value, new)
        else:
            self._value = np.array(new, copy=True)
        return self

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update(np.add, delta, "assign_add")

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update(np.subtract, delta, "assign_sub")

    def _assign_in_graph(self, method, value):
        """While building a graph: a stateful assign node; returns a read of the new value
        that runs the assignment when fetched (as TF1's assign ops do)."""
        graph = _state.building_graphs[-1]
        assign = graph.assign_variable(self, method, value)
        read = graph.read_variable(self)
        read.node.control_inputs = [assign]
        return read

    def _update(self, ufunc, delta, what):
        if _active and _state.building_graphs:
            return self._assign_in_graph(what, delta)
        delta = self._checked(delta, what)
        if self._exclusive():
            ufunc(self._value, delta, out=self._value)
        else:
            self._value = ufunc(self._value, delta)
        return self

    def _apply(self, ufunc, array):
        """ufunc(value, array) into the variable, in place unless a read still holds the
        value; `array` has the variable's dtype and shape (a graph proved it)."""
        if self._exclusive():
            ufunc(self._value, array, out=self._value)
        else:
            self._value = ufunc(self._value, array)

    def _replace(self, array):
        """Assigns `array`, which has the variable's dtype and shape (a graph proved it)."""
        if self._exclusive():
            np.copyto(self._value, array)
        else:
            self._value = np.array(array, copy=True)

    def _exclusive(self):
        return sys.getrefcount(self._value) <= _EXCLUSIVE_REFCOUNT

    def _checked(self, value, what):
        try:
            new = convert_to_tensor(value, dtype=self.dtype)._value
        except (TypeError, ValueError) as error:
            raise type(error)(f"Cannot {what} to variable '{self._name}' of dtype "
                              f"{self.dtype.name}: {error}") from None
        if new.shape != self._value.shape:
            raise ValueError(
                f"Cannot {what} to variable '{self._name}': Shape mismatch. The variable shape "
                f"{self._shape}, and the value shape {TensorShape(new.shape)} are incompatible.")
        return new

    def ref(self):
        return _Reference(self)

    experimental_ref = ref

    def __hash__(self):
        return id(self)

    def __array__(self, dtype=None, copy=None):
        return Tensor.__array__(wrap(self._value), dtype, copy)

    def __bool__(self):
        return bool(self._as_tensor())

    def __float__(self):
        return float(self._as_tensor())

    def __int__(self):
        return int(self._as_tensor())

    def __index__(self):
        return self._as_tensor().__index__()

    def __len__(self):
        return len(self._as_tensor())

    def __iter__(self):
        return iter(self._as_tensor())

    def __repr__(self):
        text = _numpy_text(self._value, is_repr=True)
        sep = "\n" if "\n" in text else ""
        return (f"<tf.Variable '{self._name}' shape={self._shape} dtype={self.dtype.name}, "
                f"numpy={sep}{text}>")

    def __deepcopy__(self, memo):
        copy = Variable(self._value, trainable=self._trainable, name=self._name.split(":")[0],
                        constraint=self._constraint)
        memo[id(self)] = copy
        return copy
