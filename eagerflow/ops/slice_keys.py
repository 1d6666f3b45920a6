"""Slice keys: the normalized key the slicing ops take, the shape it selects, and NumPy
references that find the selected elements without NumPy's slicing.

A key is a tuple whose items are an int (pick one index, dropping the axis), a
(start, stop, step) tuple (None = open end), None (a new axis of size 1) or
Ellipsis (all the axes not otherwise named). In DynamicStridedSlice's key,
TENSOR stands for an index or a bound that a scalar tensor gives at run time
(`resolved` puts the values in).
"""

import builtins

import numpy as np

from .. import dtypes
from . import shape_rules as rules

INDEX_DTYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
ALL = (None, None, 1)  # `:`


class _TensorPart:
    """The place of a scalar tensor in a key; its value comes from the op's inputs, in key
    order."""

    __slots__ = ()

    def __repr__(self):
        return "TENSOR"


TENSOR = _TensorPart()


def _expanded(op, key, rank):
    """`key` with its Ellipsis (explicit or implied at the end) spelled out as full slices."""
    if key.count(Ellipsis) > 1:
        raise rules.invalid(op, f"Multiple ellipses in slice spec not allowed (key {key})")
    named = sum(1 for item in key if item is not None and item is not Ellipsis)
    if named > rank:
        raise rules.invalid(op, f"Index out of range using input dim {rank}; input has only "
                                f"{rank} dims (key {key})")
    if Ellipsis not in key:
        key = key + (Ellipsis,)
    at = key.index(Ellipsis)
    return key[:at] + (ALL,) * (rank - named) + key[at + 1:]


def sliced_shape(op, shape, key):
    """The shape `key` selects from `shape` (None along a slice with a TENSOR part), or an
    error naming the bad index."""
    out, dim = [], 0
    for position, item in enumerate(_expanded(op, key, len(shape))):
        if item is None:
            out.append(1)
            continue
        size = shape[dim]
        if isinstance(item, tuple):
            if item[2] == 0:
                raise rules.invalid(op, f"strides[{position}] must be non-zero (key {key})")
            known = size is not None and TENSOR not in item
            out.append(len(range(*builtins.slice(*item).indices(size))) if known else None)
        elif item is not TENSOR and size is not None and not -size <= item < size:
            raise rules.invalid(op, f"slice index {item} of dimension {dim} out of bounds: "
                                    f"dimension {dim} has size {size}, so the index must be in "
                                    f"[{-size}, {size})")
        dim += 1
    return tuple(out)


def scattered_shape(op, dy_shape, shape, key):
    """`shape` (of the gradient of slicing it with `key`), or an error if dy's shape is not
    what that slicing gives."""
    expected = sliced_shape(op, shape, key)
    if len(expected) != len(dy_shape) or any(
            a is not None and b is not None and a != b for a, b in zip(expected, dy_shape)):
        raise rules.invalid(op, f"dy has shape {list(dy_shape)} but slicing {list(shape)} "
                                f"with {key} gives {list(expected)}")
    return tuple(shape)


def count_tensors(key):
    """How many TENSOR parts `key` has (the op's index inputs)."""
    return sum(part is TENSOR for item in key
               for part in (item if isinstance(item, tuple) else (item,)))


def resolved(key, values):
    """`key` with its TENSOR parts replaced, in order, by the ints in `values` (scalars)."""
    values = iter(values)

    def value(part):
        if part is not TENSOR:
            return part
        scalar = next(values)
        if np.ndim(scalar) != 0:
            raise rules.invalid("DynamicStridedSlice", f"an index must be a scalar, got "
                                                       f"shape {list(np.shape(scalar))}")
        return int(scalar)
    return tuple(tuple(value(p) for p in item) if isinstance(item, tuple) else value(item)
                 for item in key)


def numpy_key(key):
    return tuple(builtins.slice(*item) if isinstance(item, tuple) else item for item in key)


def _picked_indices(shape, key):
    """Per input axis, the indices `key` selects, found without NumPy's slicing."""
    picked, dim = [], 0
    named = sum(1 for item in key if item is not None and item is not Ellipsis)
    for item in key:
        if item is Ellipsis:
            for _ in range(len(shape) - named):
                picked.append(np.arange(shape[dim]))
                dim += 1
        elif item is not None:
            size = shape[dim]
            if isinstance(item, int):
                chosen = [item % size]
            else:
                chosen = list(range(*builtins.slice(*item).indices(size)))
            picked.append(np.array(chosen, dtype=np.intp))
            dim += 1
    picked += [np.arange(d) for d in shape[dim:]]
    return picked


def slice_reference(x, key):
    """x[key] (a key without TENSOR parts) by the indices it picks along each axis."""
    out_shape = sliced_shape("StridedSlice", x.shape, key)
    return np.asarray(x[np.ix_(*_picked_indices(x.shape, key))]).reshape(out_shape)


def scatter_reference(dy, shape, key):
    """Zeros of `shape` with dy at the elements `key` picks (the gradient of slicing)."""
    picked = _picked_indices(shape, key)
    out = np.zeros(shape, dy.dtype)
    out[np.ix_(*picked)] = dy.reshape([len(p) for p in picked])
    return out
