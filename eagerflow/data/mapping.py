"""map and filter: user functions of elements, each traced once as a graph.

As in TF, the function is traced when the transformation is made, as a tf.function on
the input's element_spec (AutoGraph converts its Python control flow); every element
then runs the traced graph's generated code. Python side effects in the function so
happen once, while tracing, and `.numpy()` is unavailable inside: Python code runs per
element through `tf.py_function`. `num_parallel_calls` runs elements on that many
worker threads, delivering them in input order.
"""

import collections
import os
from concurrent.futures import ThreadPoolExecutor

from .. import dtypes
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap
from ..framework.tensor_spec import TensorSpec
from ..graph.ir import SymbolicTensor
from ..graph.tracing import function
from ..util import nest
from . import structure
from .dataset import AUTOTUNE, UNKNOWN_CARDINALITY, Dataset


class TracedFunction:
    """`func` traced on elements matching `input_spec`; calling it on an element runs the
    graph. `output_spec` is the element_spec of what it returns."""

    def __init__(self, func, input_spec, transformation):
        arguments = input_spec if type(input_spec) is tuple else (input_spec,)
        # A lambda holds no statements for AutoGraph to convert (and it would warn that it can't).
        traced = function(func, autograph=getattr(func, "__name__", "") != "<lambda>")
        try:
            concrete = traced.get_concrete_function(*arguments)
        except Exception as error:
            if hasattr(error, "add_note"):
                error.add_note(f"(while tracing the function given to Dataset.{transformation} "
                               f"on elements {input_spec}; it runs as a graph, so Python code "
                               f"that needs values belongs in tf.py_function)")
            raise
        outputs = concrete.structured_outputs
        fetches = concrete._fetches
        self._graph = concrete._compiled()
        self._outputs = structure.map_components(
            lambda value: _Fetched(next(i for i, f in enumerate(fetches) if f is value))
            if isinstance(value, SymbolicTensor) else convert_to_tensor(value),
            tuple(outputs) if isinstance(outputs, list) else outputs)

        def spec(part):
            source = fetches[part.index] if isinstance(part, _Fetched) else part
            return TensorSpec(source.shape, source.dtype)
        self.output_spec = structure.map_components(spec, self._outputs)

    def __call__(self, element):
        graph = self._graph
        try:
            arrays = graph.run([t._value for t in nest.flatten(element)])
        except Exception as error:  # noqa: BLE001  (re-raised in TF's terms)
            raise graph.explain(error) from None
        return structure.map_components(
            lambda part: wrap(arrays[part.index]) if isinstance(part, _Fetched) else part,
            self._outputs)


class _Fetched:
    """Where a traced function's result component comes from: fetch number `index`."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


class MapDataset(Dataset):
    """map_func(element) for every element of the input."""

    def __init__(self, input_dataset, map_func, num_parallel_calls=None):
        self._input = input_dataset
        self._func = TracedFunction(map_func, input_dataset.element_spec, "map")
        self._workers = _worker_count(num_parallel_calls)

    def _iterate(self):
        if self._workers is None:
            return map(self._func, self._input._iterate())
        return _in_parallel(self._func, self._input._iterate(), self._workers)

    def _spec(self):
        return self._func.output_spec

    def _cardinality(self):
        return self._input._cardinality()


def _worker_count(num_parallel_calls):
    if num_parallel_calls is None:
        return None
    if num_parallel_calls == AUTOTUNE:
        return os.cpu_count() or 1
    if int(num_parallel_calls) <= 0:
        raise ValueError(f"Dataset.map: num_parallel_calls must be positive or "
                         f"tf.data.AUTOTUNE, got {num_parallel_calls}.")
    return int(num_parallel_calls)


def _in_parallel(func, elements, workers):
    """func over elements on `workers` threads, with up to `workers` calls in flight; the
    results come in input order and an error is raised where its element would be."""
    pool = ThreadPoolExecutor(workers, thread_name_prefix="tf.data map")
    pending = collections.deque()
    try:
        for element in elements:
            pending.append(pool.submit(func, element))
            if len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False)


class FilterDataset(Dataset):
    """The input's elements for which `predicate` returns a scalar bool True."""

    def __init__(self, input_dataset, predicate):
        self._input = input_dataset
        self._predicate = TracedFunction(predicate, input_dataset.element_spec, "filter")
        spec = self._predicate.output_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.bool and
                spec.shape.rank == 0):
            raise ValueError(f"Dataset.filter: `predicate` must return a scalar boolean "
                             f"tensor, but returns {spec}.")

    def _iterate(self):
        predicate = self._predicate
        for element in self._input._iterate():
            if predicate(element)._value:
                yield element

    def _cardinality(self):
        return UNKNOWN_CARDINALITY
