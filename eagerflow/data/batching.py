"""batch and unbatch."""

from ..errors import InvalidArgumentError
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import structure
from .dataset import Dataset, UNKNOWN_CARDINALITY


class BatchDataset(Dataset):
    """Groups of `batch_size` consecutive elements, each component stacked along a new
    first dimension; a shorter last group unless `drop_remainder`."""

    def __init__(self, input_dataset, batch_size, drop_remainder):
        self._input = input_dataset
        self._batch_size = int(batch_size)
        self._drop_remainder = bool(drop_remainder)
        if self._batch_size <= 0:
            raise InvalidArgumentError(
                f"Dataset.batch: batch_size must be greater than zero, got {self._batch_size}.")

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
            lambda spec: TensorSpec([batch_dim] + spec.shape.as_list(), spec.dtype),
            self._input.element_spec)

    def _cardinality(self):
        size = self._input._cardinality()
        if size < 0:
            return size
        full, remainder = divmod(size, self._batch_size)
        return full + (1 if remainder and not self._drop_remainder else 0)


class UnbatchDataset(Dataset):
    """Every row (along the first dimension) of every input element, in order."""

    def __init__(self, input_dataset):
        self._input = input_dataset

    def _iterate(self):
        for element in self._input._iterate():
            for index in range(structure.leading_dim(element, "Dataset.unbatch")):
                yield structure.row(element, index)

    def _spec(self):
        def row_spec(spec):
            if spec.shape.rank == 0:
                raise ValueError(f"Dataset.unbatch needs every component to have rank >= 1, "
                                 f"but one is a scalar ({spec}).")
            return TensorSpec(spec.shape[1:], spec.dtype)
        return nest.map_structure(row_spec, self._input.element_spec)

    def _cardinality(self):
        return UNKNOWN_CARDINALITY
