"""TF1 training on graphs: tf.gradients, the tf.train optimizers' minimize(), and
get_variable (named and shared through variable_scope.py).

`gradients` differentiates a graph after it was built: the graph's op nodes
are exactly the records a GradientTape would have kept, so the same reverse
sweep (autodiff/backprop.py) builds the backward nodes into the graph.
"""

import math
import weakref

import numpy as np

from .. import dtypes
from ..autodiff import backprop
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.variables import Variable
from ..graph.default_graph import get_default_graph
from ..ops import creation, math_binary, math_unary, random_ops
from ..train import (  # noqa: F401  (TF1 programs find these in tf.compat.v1.train too)
    Checkpoint, CheckpointManager, get_checkpoint_state, latest_checkpoint, list_variables,
    load_checkpoint, load_variable)
from ..util import nest
from . import variable_scope
from .variable_scope import AUTO_REUSE


class _GraphRecords:
    """What backprop.backward reads from a tape, taken from a built graph."""

    def __init__(self, graph):
        self._records, self._tracked, self._variable_reads = [], {}, []
        for node in graph.nodes:
            for tensor in node.outputs:
                if tensor.dtype.is_differentiable:
                    self._tracked[id(tensor)] = tensor
            if node.type == "ReadVariableOp" and node.attrs["variable"].dtype.is_differentiable:
                self._variable_reads.append((node.attrs["variable"], node.outputs[0]))
            elif node.op is not None:
                outputs = tuple(node.outputs) if node.op.multi_output else node.outputs[0]
                self._records.append((node.op, node.inputs, node.attrs, outputs))


def gradients(ys, xs, grad_ys=None, name="gradients", stop_gradients=None,
              unconnected_gradients="none"):
    """d(sum of ys)/dx for each x (tensors or variables), built into the graph."""
    flat_ys, flat_xs = nest.flatten(ys), nest.flatten(xs)
    graph = flat_ys[0].graph
    flat_grad_ys = None if grad_ys is None else nest.flatten(grad_ys)
    with graph.as_default():
        return backprop.backward(_GraphRecords(graph), flat_ys, flat_xs, flat_grad_ys,
                                 unconnected_gradients)


def _trainable_variables(graph):
    found = {}
    for node in graph.nodes:
        variable = node.attrs.get("variable")
        if isinstance(variable, Variable) and variable.trainable:
            found.setdefault(id(variable), variable)
    return list(found.values())


class Optimizer:
    """TF1's optimizer interface: compute_gradients, apply_gradients, minimize."""

    def __init__(self, learning_rate, name):
        self._learning_rate = learning_rate
        self._name = name

    def compute_gradients(self, loss, var_list=None):
        variables = var_list or _trainable_variables(loss.graph)
        return list(zip(gradients(loss, variables), variables))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op that applies the updates (and increments global_step) when run."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in grads_and_vars]}.")
        graph = pairs[0][0].graph
        start = len(graph.nodes)
        with graph.as_default():
            self._apply(pairs)
            if global_step is not None:
                global_step.assign_add(1)
        updates = [node for node in graph.nodes[start:] if node.stateful]
        return graph.group(updates, name=name or self._name)

    def minimize(self, loss, global_step=None, var_list=None, name=None):
        return self.apply_gradients(self.compute_gradients(loss, var_list), global_step, name)


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(learning_rate, name)

    def _apply(self, pairs):
        for grad, variable in pairs:
            variable.assign_sub(math_binary.multiply(grad, self._learning_rate))


class AdamOptimizer(Optimizer):
    """TF1's Adam: bias correction folded into the step size, epsilon 1e-8."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(learning_rate, name)
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._slots = {}
        self._powers = None

    def _slot(self, variable):
        if id(variable) not in self._slots:
            with context.eager_mode():
                self._slots[id(variable)] = (
                    Variable(creation.zeros_like(variable.read_value()), trainable=False),
                    Variable(creation.zeros_like(variable.read_value()), trainable=False))
        return self._slots[id(variable)]

    def _apply(self, pairs):
        if self._powers is None:
            with context.eager_mode():
                self._powers = (Variable(self._beta1, trainable=False),
                                Variable(self._beta2, trainable=False))
        beta1_power, beta2_power = self._powers
        step = self._learning_rate * math_unary.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
        for grad, variable in pairs:
            m, v = self._slot(variable)
            m.assign(m * self._beta1 + grad * (1.0 - self._beta1))
            v.assign(v * self._beta2 + math_unary.square(grad) * (1.0 - self._beta2))
            variable.assign_sub(step * m / (math_unary.sqrt(v) + self._epsilon))
        beta1_power.assign(beta1_power * self._beta1)
        beta2_power.assign(beta2_power * self._beta2)


# graph -> {full name: variable made by get_variable}; weak, so that a graph's variables
# go with it (and a new graph at a recycled address starts empty)
_variable_stores = weakref.WeakKeyDictionary()


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=True, reuse=None, **kwargs):
    """TF1's get_variable: a new variable named `name` in the current variable scope (see
    variable_scope.py), made by `initializer` (the scope's, else glorot_uniform for
    floats, zeros otherwise; a constant initializer gives the shape), or, when reusing
    (`reuse` here or the scope's: True or AUTO_REUSE), the one made under that name."""
    scope = variable_scope.get_variable_scope()
    full_name = variable_scope.full_variable_name(name)
    reuse = reuse or scope.reuse
    store = _variable_stores.setdefault(get_default_graph(), {})
    existing = store.get(full_name)
    if existing is not None:
        if reuse not in (True, AUTO_REUSE):
            raise ValueError(f"Variable {full_name} already exists and this variable scope "
                             f"does not reuse variables: to share it, open the scope with "
                             f"reuse=True or reuse=tf.compat.v1.AUTO_REUSE.")
        _check_shared(full_name, existing, shape, dtype)
        return existing
    if reuse is True:
        raise ValueError(f"Variable {full_name} does not exist (or was not made by "
                         f"get_variable), and reuse=True only returns existing variables: "
                         f"use reuse=tf.compat.v1.AUTO_REUSE to create it when missing.")
    initializer = initializer if initializer is not None else scope.initializer
    if initializer is not None and not callable(initializer):
        if shape is not None:
            raise ValueError(f"get_variable({full_name!r}): a constant initializer gives the "
                             f"shape itself; pass no `shape` with it.")
        with context.eager_mode():
            initializer = convert_to_tensor(initializer, dtype=dtype or scope.dtype)
        dtype = initializer.dtype
    elif shape is None:
        raise ValueError(f"get_variable({full_name!r}) creates a new variable, so it needs a "
                         f"fully defined `shape` (none was given).")
    dtype = dtypes.as_dtype(dtype or scope.dtype or "float32")
    with context.eager_mode():
        if initializer is None:
            shape = tuple(shape)
            value = _glorot_uniform(shape, dtype) if dtype.is_floating else \
                creation.zeros(shape, dtype)
        elif callable(initializer):
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer
        with variable_scope.variable_name_scope():
            variable = Variable(value, trainable=trainable, name=name, dtype=dtype)
    store[full_name] = variable
    return variable


def _check_shared(full_name, variable, shape, dtype):
    if shape is not None and tuple(shape) != tuple(variable.shape.as_list()):
        raise ValueError(f"Trying to share variable {full_name}, but specified shape "
                         f"{tuple(shape)} and found shape {tuple(variable.shape.as_list())}.")
    if dtype is not None and dtypes.as_dtype(dtype) != variable.dtype:
        raise ValueError(f"Trying to share variable {full_name}, but specified dtype "
                         f"{dtypes.as_dtype(dtype).name} and found dtype {variable.dtype.name}.")


def _glorot_uniform(shape, dtype):
    """get_variable's default initializer: uniform in ±sqrt(6 / (fan_in + fan_out))."""
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    fan_in = shape[-2] * receptive if len(shape) > 1 else (shape[0] if shape else 1)
    fan_out = shape[-1] * receptive if shape else 1
    limit = math.sqrt(6.0 / max(1.0, fan_in + fan_out))
    return random_ops.uniform(shape, -limit, limit, dtype=dtype)
