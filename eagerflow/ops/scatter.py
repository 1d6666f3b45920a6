"""Indexing by coordinate tuples: gather_nd, scatter_nd, tensor_scatter_nd_update/add.

`indices` has shape [..., K]: each row of its last axis names a position in the
first K dimensions of the target, and selects (or receives) the slice of the
remaining dimensions there. Gathers and scatters are each other's gradients.
"""

import numpy as np

from ..errors import InvalidArgumentError
from . import shape_rules as rules
from .array_combine import concat
from .array_ops import shape_tuple
from .creation import zeros_like
from .dynamic_shape import run_time, shape_inputs, static_shape
from .gather import position_text, require_int_indices
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap


def _index_depth(op, indices_shape, target_shape, what="params"):
    """K, the length of each index tuple, checked against the target's rank."""
    if not indices_shape:
        raise rules.invalid(op, "indices must be at least a vector (rank >= 1), got a scalar")
    depth = indices_shape[-1]
    if depth is not None and depth > len(target_shape):
        raise rules.invalid(op, f"index innermost dimension length must be <= {what} rank; "
                                f"saw: {depth} vs. {len(target_shape)} (indices shape "
                                f"{list(indices_shape)}, {what} shape {list(target_shape)})")
    return depth


def _positions(op, indices, shape, what):
    """Row-major position of each index tuple in `shape[:K]`; TF's error for a bad one."""
    if indices.dtype.kind not in "iu":
        raise InvalidArgumentError(f"{op}: indices must be integers, got {indices.dtype}")
    depth = _index_depth(op, indices.shape, shape, what)
    bounds = np.array(shape[:depth], dtype=np.int64)
    bad = np.any((indices < 0) | (indices >= bounds), axis=-1)
    if np.any(bad):
        where = np.unravel_index(np.argmax(bad), bad.shape)
        raise InvalidArgumentError(
            f"indices{position_text(where)} = {indices[where].tolist()} does not index into {what} "
            f"shape {list(shape)}")
    strides = np.array([int(np.prod(shape[i + 1:depth])) for i in range(depth)], np.int64)
    return indices.astype(np.int64) @ strides


def _rows(shape, depth):
    """`shape` with its first `depth` dimensions merged into one."""
    return (int(np.prod(shape[:depth], dtype=np.int64)),) + tuple(shape[depth:])


def _check_updates(op, indices_shape, updates_shape, shape):
    depth = _index_depth(op, indices_shape, shape, "output")
    if depth is None:
        return  # the index depth is unknown until run time (a graph input)
    expected = tuple(indices_shape[:-1]) + tuple(shape[depth:])
    if len(expected) != len(updates_shape) or any(
            a is not None and b is not None and a != b for a, b in zip(expected, updates_shape)):
        raise rules.invalid(op, f"updates must have shape indices.shape[:-1] + "
                                f"shape[{depth}:] = {list(expected)}, but got "
                                f"{list(updates_shape)} (indices shape {list(indices_shape)}, "
                                f"shape {list(shape)})")


def _gather_nd_kernel(params, indices):
    positions = _positions("GatherNd", indices, params.shape, "param")
    depth = indices.shape[-1]
    return params.reshape(_rows(params.shape, depth))[positions]


def _gather_nd_rule(params, indices):
    require_int_indices("GatherNd", indices)
    depth = _index_depth("GatherNd", indices.shape, params.shape)
    if depth is None:
        return rules.Spec(None, params.dtype)  # the output's rank depends on the index depth
    return rules.Spec(tuple(indices.shape[:-1]) + tuple(params.shape[depth:]), params.dtype)


def _scatter(op, target, indices, updates, combine):
    """`target` with `updates` combined in at `indices` (a new array)."""
    _check_updates(op, indices.shape, updates.shape, target.shape)
    positions = _positions(op, indices, target.shape, "output")
    rows = target.reshape(_rows(target.shape, indices.shape[-1])).copy()
    combine(rows, positions, updates)
    return rows.reshape(target.shape)


def _add_at(rows, positions, updates):
    np.add.at(rows, positions, updates)


def _put_at(rows, positions, updates):
    rows[positions] = updates


def _scatter_nd_rule(indices, updates, *given, shape):
    require_int_indices("ScatterNd", indices)
    _check_updates("ScatterNd", indices.shape, updates.shape, shape)
    return rules.Spec(tuple(shape), updates.dtype)


def _tensor_scatter_rule(op):
    def rule(tensor, indices, updates):
        require_int_indices(op, indices)
        _check_updates(op, indices.shape, updates.shape, tensor.shape)
        return tensor
    return rule


def _coordinates(indices):
    for index in np.ndindex(*indices.shape[:-1]):
        yield index, tuple(int(i) for i in indices[index])


def _gather_nd_reference(params, indices):
    depth = indices.shape[-1]
    out = np.empty(indices.shape[:-1] + params.shape[depth:], params.dtype)
    for index, target in _coordinates(indices):
        out[index] = params[target]
    return out


def _scatter_reference(target, indices, updates, add):
    out = np.array(target, copy=True)
    for index, position in _coordinates(indices):
        out[position] = out[position] + updates[index] if add else updates[index]
    return out


# params shape, indices
ND_CASES = [((3, 2), [[0, 1], [2, 0]]), ((3, 2), [[2], [0], [2]]), ((2, 3), [[[1], [0]]]),
            ((2, 3), np.zeros((2, 0), int)), ((4,), np.zeros((0, 1), int)), ((2, 2, 2), [1, 0])]


def _gather_nd_samples():
    gen = rng(61)
    for shape, indices in ND_CASES:
        yield Sample((uniform(gen, shape), np.asarray(indices, np.int32)))
    yield Sample((integers(gen, (3, 2)), np.array([[1, 1]], np.int64)), grad=False)


def _updates_shape(shape, indices):
    return indices.shape[:-1] + tuple(shape[indices.shape[-1]:])


def _scatter_nd_samples():
    gen = rng(62)
    for shape, indices in ND_CASES:
        indices = np.asarray(indices, np.int32)
        yield Sample((indices, uniform(gen, _updates_shape(shape, indices))), dict(shape=shape))
    yield Sample((np.array([[1], [0]], np.int32), uniform(gen, (2, 2)), np.array([3, 2])),
                 dict(shape=(None, 2)))
    yield Sample((np.array([[1], [1]], np.int64), integers(gen, (2,))), dict(shape=(3,)),
                 grad=False)


def _has_duplicates(indices):
    rows = indices.reshape(int(np.prod(indices.shape[:-1])), indices.shape[-1])
    return len({tuple(row) for row in rows}) < len(rows)


def _tensor_scatter_samples(unique):
    """With `unique`, only index sets without repeats (updating one position twice keeps an
    unspecified one of the updates, so its gradient is undefined)."""
    gen = rng(63)
    for shape, indices in ND_CASES:
        indices = np.asarray(indices, np.int32)
        if unique and _has_duplicates(indices):
            continue
        yield Sample((uniform(gen, shape), indices, uniform(gen, _updates_shape(shape, indices))))
    yield Sample((integers(gen, (3,)), np.array([[2]], np.int64), integers(gen, (1,))),
                 grad=False)


GatherNd = defop(
    "GatherNd", _gather_nd_kernel, _gather_nd_rule,
    grad=lambda ins, out, dy: (ScatterNd(ins[1], dy, *shape_inputs(ins[0]),
                                         shape=static_shape(ins[0])), None),
    reference=_gather_nd_reference, samples=_gather_nd_samples, same_dtype=False)
ScatterNd = defop(
    "ScatterNd",
    lambda indices, updates, *given, shape: _scatter(
        "ScatterNd", np.zeros(run_time(shape, given), updates.dtype), indices, updates, _add_at),
    _scatter_nd_rule, grad=lambda ins, out, dy, shape: (None, GatherNd(dy, ins[0])),
    reference=lambda indices, updates, *given, shape: _scatter_reference(
        np.zeros(run_time(shape, given), updates.dtype), indices, updates, add=True),
    samples=_scatter_nd_samples, same_dtype=False)
TensorScatterUpdate = defop(
    "TensorScatterUpdate",
    lambda tensor, indices, updates: _scatter("TensorScatterUpdate", tensor, indices, updates,
                                              _put_at),
    _tensor_scatter_rule("TensorScatterUpdate"),
    grad=lambda ins, out, dy: (TensorScatterUpdate(dy, ins[1], zeros_like(ins[2])), None,
                               GatherNd(dy, ins[1])),
    reference=lambda tensor, indices, updates: _scatter_reference(tensor, indices, updates,
                                                                  add=False),
    samples=lambda: _tensor_scatter_samples(unique=True), same_dtype=(0, 2))
TensorScatterAdd = defop(
    "TensorScatterAdd",
    lambda tensor, indices, updates: _scatter("TensorScatterAdd", tensor, indices, updates,
                                              _add_at),
    _tensor_scatter_rule("TensorScatterAdd"),
    grad=lambda ins, out, dy: (dy, None, GatherNd(dy, ins[1])),
    reference=lambda tensor, indices, updates: _scatter_reference(tensor, indices, updates,
                                                                  add=True),
    samples=lambda: _tensor_scatter_samples(unique=False), same_dtype=(0, 2))


def _with_batch_coordinates(params, indices, batch_dims):
    """gather_nd's batch_dims folded into the indices: each index tuple is prefixed with
    its own batch position."""
    shape, params_shape = indices._value.shape, params._value.shape
    if not 0 <= batch_dims < len(shape) or batch_dims > len(params_shape):
        raise InvalidArgumentError(f"GatherNd: batch_dims must be in [0, {len(shape) - 1}] for "
                                   f"indices of shape {list(shape)}; got {batch_dims}")
    if params_shape[:batch_dims] != shape[:batch_dims]:
        raise InvalidArgumentError(f"GatherNd: the first {batch_dims} dimensions of params "
                                   f"{list(params_shape)} and indices {list(shape)} must match")
    batch_shape = shape[:batch_dims]
    grid = np.stack(np.indices(batch_shape), axis=-1).astype(indices._value.dtype)
    grid = grid.reshape(batch_shape + (1,) * (len(shape) - 1 - batch_dims) + (batch_dims,))
    grid = np.broadcast_to(grid, shape[:-1] + (batch_dims,))
    return concat([wrap(np.ascontiguousarray(grid)), indices], axis=-1)


def gather_nd(params, indices, batch_dims=0, name=None):
    """The slices of `params` at the coordinate tuples in the last axis of `indices`."""
    params, indices = convert_to_tensor(params), convert_to_tensor(indices)
    batch_dims = int(batch_dims)
    if batch_dims:
        indices = _with_batch_coordinates(params, indices, batch_dims)
    return GatherNd(params, indices)


def scatter_nd(indices, updates, shape, name=None):
    """Zeros of `shape` with `updates` added at `indices` (duplicates add up)."""
    return ScatterNd(indices, updates, shape=shape_tuple(shape))


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of `tensor` with the slices at `indices` replaced by `updates`."""
    return TensorScatterUpdate(tensor, indices, updates)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` added at `indices` (duplicates add up)."""
    return TensorScatterAdd(tensor, indices, updates)
