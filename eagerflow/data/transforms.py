"""Transformations that reorder no elements: repeat, take, skip, enumerate, zip."""

import itertools

import numpy as np

from .. import dtypes
from ..framework.tensor import wrap
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import structure
from .dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset


class RepeatDataset(Dataset):
    """The input iterated `count` times (without end for None or -1)."""

    def __init__(self, input_dataset, count):
        self._input = input_dataset
        self._count = -1 if count is None else structure.static_int(count)

    def _iterate(self):
        epochs = itertools.count() if self._count < 0 else range(self._count)
        for _ in epochs:
            produced = False
            for element in self._input._iterate():
                produced = True
                yield element
            if not produced:
                return  # an empty input repeated forever is still empty

    def _cardinality(self):
        count, size = self._count, self._input._cardinality()
        if count == 0 or size == 0:
            return 0
        if size < 0:
            return size
        return INFINITE_CARDINALITY if count < 0 else size * count


class TakeDataset(Dataset):
    """At most `count` elements of the input (all of them for -1)."""

    def __init__(self, input_dataset, count):
        self._input = input_dataset
        self._count = structure.static_int(count)

    def _iterate(self):
        elements = self._input._iterate()
        yield from elements if self._count < 0 else itertools.islice(elements, self._count)

    def _cardinality(self):
        size = self._input._cardinality()
        if self._count < 0 or size == UNKNOWN_CARDINALITY:
            return size
        return self._count if size == INFINITE_CARDINALITY else min(size, self._count)


class SkipDataset(Dataset):
    """The input without its first `count` elements (without any for -1)."""

    def __init__(self, input_dataset, count):
        self._input = input_dataset
        self._count = structure.static_int(count)

    def _iterate(self):
        elements = self._input._iterate()
        if self._count < 0:
            for _ in elements:  # skipping everything still runs the input, as TF does
                pass
            return
        yield from itertools.islice(elements, self._count, None)

    def _cardinality(self):
        size = self._input._cardinality()
        if size < 0:
            return size
        return 0 if self._count < 0 else max(size - self._count, 0)


class EnumerateDataset(Dataset):
    """(index, element) with an int64 index counting from `start`."""

    def __init__(self, input_dataset, start):
        self._input = input_dataset
        self._start = int(start)

    def _iterate(self):
        for index, element in enumerate(self._input._iterate(), self._start):
            yield wrap(np.asarray(index, np.int64)), element

    def _spec(self):
        return TensorSpec([], dtypes.int64), self._input.element_spec

    def _cardinality(self):
        return self._input._cardinality()


class ZipDataset(Dataset):
    """Elements of a (nested) tuple or dict of datasets, side by side."""

    def __init__(self, datasets):
        structure.map_components(_check_is_dataset, datasets)
        self._datasets = datasets
        self._flat = nest.flatten(datasets)

    def _iterate(self):
        for elements in zip(*(dataset._iterate() for dataset in self._flat)):
            yield nest.pack_sequence_as(self._datasets, list(elements))

    def _spec(self):
        return nest.map_structure(lambda dataset: dataset.element_spec, self._datasets)

    def _cardinality(self):
        sizes = [dataset._cardinality() for dataset in self._flat]
        if UNKNOWN_CARDINALITY in sizes:
            return UNKNOWN_CARDINALITY
        finite = [size for size in sizes if size != INFINITE_CARDINALITY]
        return min(finite) if finite else INFINITE_CARDINALITY


def _check_is_dataset(value):
    if not isinstance(value, Dataset):
        raise TypeError(f"Dataset.zip expects a (nested) tuple or dict of tf.data.Dataset "
                        f"objects, but found a {type(value).__name__}: {value!r}. (A Python "
                        f"list is not a structure here; use a tuple.)")


class ConcatenateDataset(Dataset):
    """The input's elements, then those of `other`; their element_specs must share
    structure and dtypes (shapes are relaxed to what both fit)."""

    def __init__(self, input_dataset, other):
        if not isinstance(other, Dataset):
            raise TypeError(f"Dataset.concatenate expects a tf.data.Dataset, but got a "
                            f"{type(other).__name__}: {other!r}.")
        self._input = input_dataset
        self._other = other
        first, second = input_dataset.element_spec, other.element_spec
        try:
            self._element_spec = nest.map_structure(_common_spec, first, second)
        except (TypeError, ValueError):
            raise TypeError(f"Dataset.concatenate: incompatible dataset elements:\n"
                            f"  {first} vs.   {second}") from None

    def _iterate(self):
        yield from self._input._iterate()
        yield from self._other._iterate()

    def _cardinality(self):
        sizes = (self._input._cardinality(), self._other._cardinality())
        if INFINITE_CARDINALITY in sizes:
            return INFINITE_CARDINALITY
        return UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in sizes else sum(sizes)


def _common_spec(first, second):
    """The most specific spec both fit: same dtype, dims kept where they agree."""
    if isinstance(first, TensorSpec) and isinstance(second, TensorSpec):
        if first.dtype != second.dtype:
            raise TypeError(f"No common supertype of {first} and {second}.")
        a, b = first.shape, second.shape
        if a.rank is None or b.rank is None or a.rank != b.rank:
            return TensorSpec(None, first.dtype)
        return TensorSpec([x if x == y else None for x, y in zip(a, b)], first.dtype)
    if first != second:
        raise TypeError(f"No common supertype of {first} and {second}.")
    return first
