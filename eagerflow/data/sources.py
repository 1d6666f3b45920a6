"""Datasets made from values: from_tensor_slices, from_tensors, range."""

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework.tensor import wrap
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import structure
from .dataset import Dataset


class TensorSliceDataset(Dataset):
    """Row i of every component is element i; rows are views, sliced when reached."""

    def __init__(self, tensors):
        self._tensors = structure.normalize(tensors)
        self._rows = structure.leading_dim(self._tensors, "from_tensor_slices")

    def _iterate(self):
        for index in range(self._rows):
            yield structure.row(self._tensors, index)

    def _spec(self):
        return nest.map_structure(lambda t: TensorSpec(t.shape[1:], t.dtype), self._tensors)

    def _cardinality(self):
        return self._rows


class TensorDataset(Dataset):
    """The whole of `tensors` as one element."""

    def __init__(self, tensors):
        self._tensors = structure.normalize(tensors)

    def _iterate(self):
        yield self._tensors

    def _spec(self):
        return structure.spec_of(self._tensors)

    def _cardinality(self):
        return 1


class RangeDataset(Dataset):
    """Python's range(start, stop, step) as scalars of `output_type` (int64 by default)."""

    def __init__(self, args, output_type):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Dataset.range takes 1 to 3 arguments (stop, or start, stop[, "
                             f"step]), got {len(args)}.")
        bounds = [structure.static_int(arg) for arg in args]
        if len(bounds) == 3 and bounds[2] == 0:
            raise InvalidArgumentError("Dataset.range: step must be a non-zero integer.")
        # Bounds that are graph tensors (a function being traced) leave the range unknown.
        self._range = None if None in bounds else range(*bounds)
        self._dtype = dtypes.as_dtype(dtypes.int64 if output_type is None else output_type)

    def _iterate(self):
        numpy_type = self._dtype._np
        for value in self._range:
            yield wrap(np.asarray(value, numpy_type))

    def _spec(self):
        return TensorSpec([], self._dtype)

    def _cardinality(self):
        return len(self._range)
