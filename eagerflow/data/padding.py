"""padded_batch: batches of elements whose shapes differ, each component padded."""

import numpy as np

from .. import dtypes
from ..errors import DataLossError, InvalidArgumentError
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import structure
from .batching import batched_cardinality
from .dataset import Dataset


class PaddedBatchDataset(Dataset):
    """Groups of `batch_size` consecutive elements; each component is padded with its
    padding value to its padded shape (a None dimension: the batch's longest) and stacked."""

    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values,
                 drop_remainder):
        self._input = input_dataset
        self._batch_size = structure.static_int(batch_size)
        self._drop_remainder = bool(drop_remainder)
        if self._batch_size is not None and self._batch_size <= 0:
            raise InvalidArgumentError(f"Dataset.padded_batch: batch_size must be greater than "
                                       f"zero, got {self._batch_size}.")
        input_spec = input_dataset.element_spec
        structure.check_tensor_components(input_spec, "Dataset.padded_batch")
        flat_specs = nest.flatten(input_spec)
        self._shapes = _padded_shapes(padded_shapes, input_spec, flat_specs)
        self._values = _padding_values(padding_values, input_spec, flat_specs)
        self._structure = input_spec

    def _iterate(self):
        group = []
        for element in self._input._iterate():
            group.append(nest.flatten(element))
            if len(group) == self._batch_size:
                yield self._padded(group)
                group = []
        if group and not self._drop_remainder:
            yield self._padded(group)

    def _padded(self, group):
        components = []
        for index, (shape, value) in enumerate(zip(self._shapes, self._values)):
            arrays = [flat[index]._value for flat in group]
            target = list(shape)
            for array in arrays:
                if array.ndim != len(shape):
                    raise InvalidArgumentError(
                        f"Dataset.padded_batch: all elements in a batch must have the same "
                        f"rank as the padded shape for component {index}: expected rank "
                        f"{len(shape)} but got element with rank {array.ndim}.")
                for axis, (padded, size) in enumerate(zip(shape, array.shape)):
                    if padded is None:
                        target[axis] = max(target[axis] or 0, size)
                    elif size > padded:
                        raise DataLossError(
                            f"Dataset.padded_batch: attempted to pad to a smaller size than "
                            f"the input element: component {index} has shape "
                            f"{list(array.shape)}, larger than its padded shape "
                            f"{TensorShape(shape)}.")
            batch = np.full([len(arrays)] + target, value._value, dtype=value._value.dtype)
            for row, array in enumerate(arrays):
                # A [1, ...] region, not one slot: a string scalar must be copied, not nested.
                region = (slice(row, row + 1),) + tuple(slice(0, size) for size in array.shape)
                batch[region] = array[np.newaxis]
            components.append(wrap(batch))
        return nest.pack_sequence_as(self._structure, components)

    def _spec(self):
        batch_dim = self._batch_size if self._drop_remainder else None
        specs = [TensorSpec([batch_dim] + list(shape), spec.dtype) for shape, spec in
                 zip(self._shapes, nest.flatten(self._input.element_spec))]
        return nest.pack_sequence_as(self._structure, specs)

    def _cardinality(self):
        return batched_cardinality(self._input._cardinality(), self._batch_size,
                                   self._drop_remainder)


def _padded_shapes(padded_shapes, input_spec, flat_specs):
    """One tuple of dims (None: pad to the batch's longest) per component."""
    if padded_shapes is None:
        for index, spec in enumerate(flat_specs):
            if spec.shape.rank is None:
                raise ValueError(f"Dataset.padded_batch: you must provide the `padded_shapes` "
                                 f"argument because component {index} has unknown rank.")
        return [tuple(spec.shape.as_list()) for spec in flat_specs]
    flat_shapes = structure.flatten_matching(
        input_spec, padded_shapes, f"Dataset.padded_batch: `padded_shapes` "
        f"{padded_shapes!r} does not match the structure of the input's elements {input_spec}")
    shapes = []
    for padded, spec in zip(flat_shapes, flat_specs):
        if hasattr(padded, "numpy"):  # a tensor-like int vector, -1 for "the longest"
            padded = padded.numpy().tolist()
        shape = TensorShape(padded)
        if shape.rank is not None:
            shape = TensorShape([None if d is None or d < 0 else d for d in shape])
        if shape.rank is None:
            raise ValueError(f"Dataset.padded_batch: padded shape {padded!r} must have a known "
                             f"rank.")
        if spec.shape.rank is not None and (shape.rank != spec.shape.rank or any(
                p is not None and s is not None and p < s for p, s in zip(shape, spec.shape))):
            raise ValueError(f"Dataset.padded_batch: the padded shape {shape} is not "
                             f"compatible with the shape {spec.shape} of the corresponding "
                             f"input component.")
        shapes.append(tuple(shape.as_list()))
    return shapes


def _padding_values(padding_values, input_spec, flat_specs):
    """One scalar tensor per component: 0 or b'' by default; a single value serves all."""
    if padding_values is None:
        flat_values = [None] * len(flat_specs)
    elif nest.is_nested(input_spec) and not isinstance(padding_values, (tuple, dict)):
        flat_values = [padding_values] * len(flat_specs)
    else:
        flat_values = structure.flatten_matching(
            input_spec, padding_values, f"Dataset.padded_batch: `padding_values` "
            f"{padding_values!r} does not match the structure of the input's elements "
            f"{input_spec}")
    values = []
    for value, spec in zip(flat_values, flat_specs):
        if value is None:
            value = b"" if spec.dtype is dtypes.string else np.zeros((), spec.dtype._np)
        tensor = convert_to_tensor(value)
        if tensor.shape.rank != 0:
            raise ValueError(f"Dataset.padded_batch: invalid `padding_values`: padding values "
                             f"should be scalars, but got one of shape {tensor.shape}.")
        if tensor.dtype != spec.dtype:
            raise TypeError(f"Dataset.padded_batch: invalid `padding_values`: padding value "
                            f"type {tensor.dtype.name} does not match type {spec.dtype.name} "
                            f"of the corresponding input component.")
        values.append(tensor)
    return values
