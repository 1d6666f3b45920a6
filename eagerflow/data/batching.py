"""batch, unbatch and rebatch."""

import itertools

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import structure
from .dataset import Dataset, UNKNOWN_CARDINALITY


def batched_cardinality(size, batch_size, drop_remainder):
    """How many batches `size` elements make (an infinite or unknown size stays so)."""
    if size < 0:
        return size
    full, remainder = divmod(size, batch_size)
    return full + (1 if remainder and not drop_remainder else 0)


class BatchDataset(Dataset):
    """Groups of `batch_size` consecutive elements, each component stacked along a new
    first dimension; a shorter last group unless `drop_remainder`."""

    def __init__(self, input_dataset, batch_size, drop_remainder):
        self._input = input_dataset
        self._batch_size = structure.static_int(batch_size)
        self._drop_remainder = bool(drop_remainder)
        if self._batch_size is not None and self._batch_size <= 0:
            raise InvalidArgumentError(
                f"Dataset.batch: batch_size must be greater than zero, got {self._batch_size}.")
        structure.check_tensor_components(input_dataset.element_spec, "Dataset.batch")

    def _iterate(self):
        group = []
        for element in self._input._iterate():
            group.append(element)
            if len(group) == self._batch_size:
                yield structure.stack(group)
                group = []
        if group and not self._drop_remainder:
            yield structure.stack(group)

    def _spec(self):
        batch_dim = self._batch_size if self._drop_remainder else None
        return nest.map_structure(
            lambda spec: TensorSpec(TensorShape([batch_dim]).concatenate(spec.shape), spec.dtype),
            self._input.element_spec)

    def _cardinality(self):
        return batched_cardinality(self._input._cardinality(), self._batch_size,
                                   self._drop_remainder)


class UnbatchDataset(Dataset):
    """Every row (along the first dimension) of every input element, in order."""

    def __init__(self, input_dataset):
        self._input = input_dataset
        structure.check_tensor_components(input_dataset.element_spec, "Dataset.unbatch")
        self._element_spec = nest.map_structure(_row_spec, input_dataset.element_spec)

    def _iterate(self):
        for element in self._input._iterate():
            for index in range(structure.leading_dim(element, "Dataset.unbatch")):
                yield structure.row(element, index)

    def _cardinality(self):
        return UNKNOWN_CARDINALITY


def _row_spec(spec):
    if spec.shape.rank == 0:
        raise ValueError(f"Dataset.unbatch: cannot unbatch an input with scalar components "
                         f"(found {spec}); every component needs rank >= 1.")
    return TensorSpec(spec.shape[1:], spec.dtype)


class RebatchDataset(Dataset):
    """unbatch() then batch(N), N cycling through `batch_sizes`: the input's rows regrouped
    into new batches (rows carry over between input batches)."""

    def __init__(self, input_dataset, batch_sizes, drop_remainder):
        self._input = input_dataset
        sizes = np.asarray(batch_sizes)
        if sizes.ndim > 1:
            raise ValueError(f"Dataset.rebatch: invalid `batch_size`: expected a scalar or a "
                             f"vector, got one of rank {sizes.ndim}.")
        self._sizes = [int(size) for size in sizes.reshape(-1)]
        if not self._sizes or min(self._sizes) <= 0:
            raise InvalidArgumentError(f"Dataset.rebatch: every batch size must be greater "
                                       f"than zero, got {self._sizes}.")
        self._drop_remainder = bool(drop_remainder)
        structure.check_tensor_components(input_dataset.element_spec, "Dataset.rebatch")
        for spec in nest.flatten(input_dataset.element_spec):
            if spec.shape.rank == 0:
                raise ValueError("Dataset.rebatch: expected a dataset with elements of rank "
                                 ">= 1 but found scalar elements. Fix the issue by adding "
                                 "the `batch` transformation to the dataset.")

    def _iterate(self):
        sizes = itertools.cycle(self._sizes)
        target, rows = next(sizes), []
        for element in self._input._iterate():
            for index in range(structure.leading_dim(element, "Dataset.rebatch")):
                rows.append(structure.row(element, index))
                if len(rows) == target:
                    yield structure.stack(rows)
                    target, rows = next(sizes), []
        if rows and not self._drop_remainder:
            yield structure.stack(rows)

    def _spec(self):
        input_spec = self._input.element_spec
        batch_dim = self._static_batch_dim(input_spec)

        def rebatched(spec):
            if spec.shape.rank is None:
                return spec
            return TensorSpec([batch_dim] + spec.shape[1:].as_list(), spec.dtype)
        return nest.map_structure(rebatched, input_spec)

    def _static_batch_dim(self, input_spec):
        """TF's rule: the new batch size is known when it is one size and no batch can come
        out partial (drop_remainder, or input batches of a known multiple of it)."""
        if len(set(self._sizes)) != 1:
            return None
        size = self._sizes[0]
        if self._drop_remainder:
            return size
        known = {spec.shape[0] for spec in nest.flatten(input_spec)
                 if spec.shape.rank is not None and spec.shape[0] is not None}
        if len(known) > 1:
            raise ValueError(f"Dataset.rebatch: invalid input dataset: its components have "
                             f"different batch dimensions {sorted(known)}.")
        return size if known and known.pop() % size == 0 else None

    def _cardinality(self):
        return UNKNOWN_CARDINALITY
