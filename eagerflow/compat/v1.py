"""tf.compat.v1: TF1's graphs and sessions.

`placeholder` adds an input node to the default graph; ops on it build the
graph (its symbolic tensors dispatch to it); `Session.run` executes the part
of the graph the fetches need, with the reference interpreter, and returns
NumPy values. Eager execution stays available beside it.
"""

import numpy as np

from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework import variables
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..graph import interpreter
from ..graph.default_graph import get_default_graph, reset_default_graph  # noqa: F401
from ..graph.ir import Node, SymbolicTensor
from ..util import nest

_eager = [True]


def disable_eager_execution():
    """TF1 mode: tf.executing_eagerly() answers False (graphs are built from
    placeholders either way)."""
    _eager[0] = False


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    _eager[0] = True


def executing_eagerly():
    return _eager[0] and context.executing_eagerly()


_initial_values = []  # (variable, initial value) of variables made in TF1 style


def _remember_initial_value(variable):
    if not executing_eagerly():
        _initial_values.append((variable, variable.numpy()))


variables.creation_hooks.append(_remember_initial_value)


def global_variables_initializer():
    """An op that sets every variable made in TF1 style (eager execution disabled, or a
    graph made default) back to its initial value."""
    created = list(_initial_values)

    def run(values):
        for variable, initial in created:
            variable.assign(initial)
        return ()
    return get_default_graph()._add("NoOp", [], {}, [], run, name="init")


def placeholder(dtype, shape=None, name=None):
    """A graph input that Session.run must be fed."""
    return get_default_graph().placeholder(dtype, shape, name)


def placeholder_with_default(input, shape, name=None):  # noqa: A002  (TF's name)
    """A graph input that takes `input`'s value when not fed."""
    default = convert_to_tensor(input)
    tensor = get_default_graph().placeholder(default.dtype, shape, name)
    tensor.node.type = "PlaceholderWithDefault"
    tensor.node.run = lambda values: (default,)
    return tensor


class Session:
    """Runs graph nodes: `with tf.Session() as sess: sess.run(c, feed_dict={a: 2.0})`."""

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph or get_default_graph()
        self._closed = False
        self._reads = {}  # id(variable) -> its read node, for variables fetched directly

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        self._closed = True

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """The values of `fetches` (a tensor, a variable, an op, a name, or a nested
        structure of them) as NumPy values; ops fetched give None."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        flat = [self._resolve(f) for f in nest.flatten(fetches)]
        tensors = [f for f in flat if isinstance(f, SymbolicTensor)]
        operations = [f for f in flat if isinstance(f, Node)]
        feeds = {self._resolve(k): self._feed_value(self._resolve(k), v)
                 for k, v in (feed_dict or {}).items()}
        values = iter(interpreter.run(self.graph, tensors, feeds, include_stateful=False,
                                      operations=operations))
        results = [np.asarray(next(values)._value)[()] if isinstance(f, SymbolicTensor)
                   else None for f in flat]
        return nest.pack_sequence_as(fetches, results)

    def _resolve(self, item):
        if isinstance(item, str):
            if ":" in item:
                return self.graph.get_tensor_by_name(item)
            return self.graph.get_operation_by_name(item)
        if isinstance(item, Variable):
            if id(item) not in self._reads:
                self._reads[id(item)] = self.graph.read_variable(item)
            return self._reads[id(item)]
        if isinstance(item, (SymbolicTensor, Node)):
            if item.graph is not self.graph:
                raise ValueError(f"Fetch or feed {item!r} is not an element of this "
                                 f"Session's graph.")
            return item
        raise TypeError(f"Fetch argument {item!r} has invalid type {type(item).__name__}; "
                        f"must be a graph tensor, an operation or a name.")

    @staticmethod
    def _feed_value(tensor, value):
        if isinstance(value, Tensor):
            value = value.numpy()
        array = np.asarray(value, dtype=tensor.dtype._np)
        if tensor._shape is not None:
            expected = tensor._shape
            if len(expected) != array.ndim or any(
                    e is not None and e != d for e, d in zip(expected, array.shape)):
                raise ValueError(f"Cannot feed value of shape {array.shape} for Tensor "
                                 f"'{tensor.name}', which has shape {tensor.shape}")
        return convert_to_tensor(array)


from . import v1_train as train  # noqa: E402,F401  (tf.compat.v1.train; it needs this module)
from .v1_train import get_variable, gradients  # noqa: E402,F401
from .variable_scope import (  # noqa: E402,F401
    AUTO_REUSE, VariableScope, get_variable_scope, variable_scope)
