"""map and filter: user functions applied to elements.

In this slice the function runs eagerly, on eager tensors, once per element
(`num_parallel_calls` is accepted and runs it sequentially). Only `element_spec`
traces it, as a tf.function on the input's TensorSpecs, to learn what it returns
without running it on data; running the traced graph per element is a later slice.
"""

from .. import dtypes
from ..framework.convert import convert_to_tensor
from ..framework.tensor_spec import TensorSpec
from ..graph.tracing import function
from . import structure
from .dataset import UNKNOWN_CARDINALITY, Dataset


def _traced_output(func, input_spec):
    """What func returns for elements matching `input_spec`, traced (symbolic tensors)."""
    arguments = input_spec if type(input_spec) is tuple else (input_spec,)
    # A lambda holds no statements for AutoGraph to convert (and it would warn that it can't).
    traced = function(func, autograph=getattr(func, "__name__", "") != "<lambda>")
    return traced.get_concrete_function(*arguments).structured_outputs


def _spec_of_output(value):
    value = tuple(value) if isinstance(value, list) else value
    return structure.map_components(
        lambda part: TensorSpec(part.shape, part.dtype) if hasattr(part, "dtype")
        else TensorSpec.from_tensor(convert_to_tensor(part)), value)


class MapDataset(Dataset):
    """map_func(element) for every element of the input."""

    def __init__(self, input_dataset, map_func):
        self._input = input_dataset
        self._func = map_func

    def _iterate(self):
        func = self._func
        for element in self._input._iterate():
            yield structure.normalize_output(structure.unpacked_call(func, element))

    def _spec(self):
        return _spec_of_output(_traced_output(self._func, self._input.element_spec))

    def _cardinality(self):
        return self._input._cardinality()


class FilterDataset(Dataset):
    """The input's elements for which `predicate` returns a scalar bool True."""

    def __init__(self, input_dataset, predicate):
        self._input = input_dataset
        self._predicate = predicate

    def _iterate(self):
        for element in self._input._iterate():
            keep = convert_to_tensor(structure.unpacked_call(self._predicate, element))
            if keep.dtype != dtypes.bool or keep.shape.rank != 0:
                raise ValueError(f"Dataset.filter: `predicate` must return a scalar boolean "
                                 f"tensor, but returned {TensorSpec.from_tensor(keep)}.")
            if keep._value:
                yield element

    def _cardinality(self):
        return UNKNOWN_CARDINALITY
