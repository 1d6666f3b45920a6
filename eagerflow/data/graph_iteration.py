"""`for element in dataset` inside a tf.function, as AutoGraph lowers it in TF: a graph
loop whose nodes pull the dataset's elements each time the graph runs. A start node
makes a fresh iterator at every run; the loop reads the next element before each
iteration and stops when the input ends (or the loop breaks)."""

import numpy as np

from .. import dtypes
from ..framework import context
from ..framework.tensor import wrap
from ..graph import control_flow
from ..ops import comparison
from ..ops.registry import Spec
from ..util import nest


def loop(dataset, body, state, keep_going=None):
    """The final `state` of body(element, *state) run on each element while
    keep_going(state) holds (None: until the input ends)."""
    spec = dataset.element_spec
    flat_specs = nest.flatten(spec)
    iterators = []  # the iterator of the graph's current run

    def start(values):
        iterators[:] = [dataset._iterate()]
        return [wrap(np.zeros((), np.int64))]

    started = context.current_graph()._add(
        "MakeIterator", [], {}, [Spec((), dtypes.int64)], start, stateful=True).outputs[0]
    exhausted = [wrap(np.zeros(_end_shape(s), s.dtype._np)) for s in flat_specs]

    def get_next(values):
        element = next(iterators[0], None)
        if element is None:
            return [wrap(np.asarray(False))] + exhausted
        return [wrap(np.asarray(True))] + nest.flatten(element)

    def next_element():
        graph = context.current_graph()
        node = graph._add(
            "IteratorGetNext", [graph.capture(started)], {},
            [Spec((), dtypes.bool)] + [Spec(_shape(s), s.dtype) for s in flat_specs],
            get_next, stateful=True)
        return node.outputs[0], nest.pack_sequence_as(spec, node.outputs[1:])

    def test(more, element, *values):
        return more if keep_going is None else comparison.logical_and(keep_going(values), more)

    def step(more, element, *values):
        values = tuple(body(element, *values))
        return next_element() + values

    results = control_flow.while_loop(test, step, list(next_element()) + list(state))
    return tuple(results[2:])


def _shape(spec):
    return None if spec.shape.rank is None else tuple(spec.shape.as_list())


def _end_shape(spec):
    """A placeholder value's shape once the input has ended (never read by the body)."""
    return () if spec.shape.rank is None else tuple(d or 0 for d in spec.shape.as_list())
