"""Node: one call of a layer on KerasTensors, the edge list of the layer graph."""

import itertools

from ...util import nest
from .keras_tensor import KerasTensor

_creation_order = itertools.count()


class Node:
    """`layer(*args, **kwargs) -> outputs`, with KerasTensors somewhere in args/kwargs."""

    def __init__(self, layer, args, kwargs, outputs):
        self.order = next(_creation_order)  # creation order is a topological order
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs
        self.flat_outputs = nest.flatten(outputs)
        self.input_tensors = [x for x in nest.flatten((args, kwargs))
                              if isinstance(x, KerasTensor)]
        for index, tensor in enumerate(self.flat_outputs):
            tensor._node = self
            tensor._index = index
        layer._inbound_nodes.append(self)
        lone = len(args) == 1 and not kwargs and isinstance(args[0], KerasTensor)
        self._lone_input = args[0] if lone else None  # layer(x): one tensor in, no kwargs
        self._lone_output = isinstance(outputs, KerasTensor)

    @property
    def parent_nodes(self):
        return [x._node for x in self.input_tensors if x._node is not None]

    def run(self, values, **call_kwargs):
        """Calls the layer with each KerasTensor replaced by its value in `values`
        (a dict id(KerasTensor) → tensor); returns the flat outputs."""
        if self._lone_input is not None:  # the common case, without walking structures
            outputs = self.layer(values[id(self._lone_input)], **call_kwargs)
            return [outputs] if self._lone_output else nest.flatten(outputs)

        def value_of(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x
        args = nest.map_structure(value_of, self.args)
        kwargs = nest.map_structure(value_of, self.kwargs)
        kwargs.update(call_kwargs)
        return nest.flatten(self.layer(*args, **kwargs))
