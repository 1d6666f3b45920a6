"""Sorting and selection: top_k, sort, argsort, unique.

Orders follow TF: top_k and descending sorts put the larger value first and
equal values in index order; ascending sorts are stable too. Gradients move
values back to where they came from with the TakeAlongAxis /
ScatterAddAlongAxis pair, each the other's gradient.
"""

from collections import namedtuple

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from . import shape_rules as rules
from .dynamic_shape import dim_inputs, run_time, static_dim
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform

TopKV2 = namedtuple("TopKV2", "values indices")
UniqueOutput = namedtuple("Unique", "y idx")

_INDEX_TYPES = frozenset((dtypes.int16, dtypes.int32, dtypes.int64))


def _descending_order(x, axis):
    """Indices sorting x from largest to smallest along `axis`, ties in index order."""
    reversed_order = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return x.shape[axis] - 1 - np.flip(reversed_order, axis)


def _python_order(line, descending):
    """Reference helper: sorted positions of a Python sequence (stable both ways)."""
    return sorted(range(len(line)), key=lambda i: line[i], reverse=descending)


def _along_axis_rule(name, x, indices, axis):
    """The broadcast shape of x and indices along every dimension but `axis`."""
    rules.require_dtype(name, indices, dtypes.INTEGERS, "indices")
    if len(indices.shape) != len(x.shape) or not x.shape:
        raise rules.invalid(name, f"indices {list(indices.shape)} and input {list(x.shape)} "
                                  f"must have the same rank, at least 1")
    axis = rules.normalize_axis(name, axis, len(x.shape))
    shape = list(rules.broadcast_pair(name, _without(x.shape, axis), _without(indices.shape, axis)))
    shape[axis] = indices.shape[axis]
    return axis, shape


def _without(shape, axis):
    """`shape` with dimension `axis` set to 1, so the others can be broadcast."""
    return tuple(shape[:axis]) + (1,) + tuple(shape[axis + 1:])


def _take_rule(x, indices, axis):
    return rules.Spec(tuple(_along_axis_rule("TakeAlongAxis", x, indices, axis)[1]), x.dtype)


def _scatter_rule(updates, indices, *given, axis, size):
    axis, shape = _along_axis_rule("ScatterAddAlongAxis", updates, indices, axis)
    if updates.shape[axis] not in (None, 1, indices.shape[axis]):
        raise rules.invalid("ScatterAddAlongAxis", f"updates {list(updates.shape)} and indices "
                                                   f"{list(indices.shape)} differ on axis {axis}")
    shape[axis] = size
    return rules.Spec(tuple(shape), updates.dtype)


def _scatter_kernel(updates, indices, *given, axis, size):
    size = run_time(size, given)
    shape = np.broadcast_shapes(updates.shape, indices.shape)
    axis = axis % len(shape)
    out = np.zeros(shape[:axis] + (size,) + shape[axis + 1:], dtype=updates.dtype)
    position = list(np.indices(shape, sparse=True))
    position[axis] = indices
    np.add.at(out, tuple(position), np.broadcast_to(updates, shape))
    return out


def _take_reference(x, indices, axis):
    axis %= x.ndim
    shape = list(np.broadcast_shapes(x.shape[:axis] + (1,) + x.shape[axis + 1:],
                                     indices.shape[:axis] + (1,) + indices.shape[axis + 1:]))
    shape[axis] = indices.shape[axis]
    out = np.empty(shape, dtype=x.dtype)
    for position in np.ndindex(*shape):
        index = indices[tuple(p if n > 1 else 0 for p, n in zip(position, indices.shape))]
        source = [p if n > 1 else 0 for p, n in zip(position, x.shape)]
        source[axis] = index
        out[position] = x[tuple(source)]
    return out


def _scatter_reference(updates, indices, *given, axis, size):
    size = run_time(size, given)
    shape = np.broadcast_shapes(updates.shape, indices.shape)
    updates, indices = np.broadcast_to(updates, shape), np.broadcast_to(indices, shape)
    target = list(shape)
    target[axis] = size
    out = np.zeros(target, dtype=updates.dtype)
    for position in np.ndindex(shape):
        destination = list(position)
        destination[axis] = indices[position]
        out[tuple(destination)] += updates[position]
    return out


def _along_axis_samples(scatter):
    gen = rng(41)
    cases = [((4,), (6,), 0), ((2, 3), (2, 4), 1), ((3, 2), (5, 2), 0), ((2, 3), (2, 2), -1),
             ((1, 3), (4, 2), 1), ((2, 3), (2, 0), 1), ((2, 3, 2), (2, 3, 2), 1)]
    for data_shape, index_shape, axis in cases:
        indices = gen.integers(0, data_shape[axis], size=index_shape).astype(np.int32)
        if scatter:
            updates_shape = np.broadcast_shapes(data_shape[:axis % len(data_shape)] + (1,) +
                                                data_shape[axis % len(data_shape) + 1:],
                                                index_shape)
            yield Sample((uniform(gen, updates_shape), indices),
                         dict(axis=axis, size=data_shape[axis]))
        else:
            yield Sample((uniform(gen, data_shape), indices), dict(axis=axis))
    if scatter:  # the size given at run time
        yield Sample((uniform(gen, (2, 3)), gen.integers(0, 4, (2, 3)).astype(np.int32),
                      np.array(4)), dict(axis=1, size=None))
    ints = integers(gen, (2, 3))
    indices = np.array([[2, 2, 0], [1, 0, 1]], dtype=np.int64)
    attrs = dict(axis=1, size=3) if scatter else dict(axis=1)
    yield Sample((ints, indices), attrs, grad=False)


TakeAlongAxis = defop(
    "TakeAlongAxis", lambda x, indices, axis: np.take_along_axis(x, indices, axis=axis),
    _take_rule,
    grad=lambda ins, out, dy, axis: (scatter_add_like(dy, ins[1], axis, ins[0]), None),
    reference=_take_reference, samples=lambda: _along_axis_samples(False), same_dtype=False,
    broadcasts=True)
ScatterAddAlongAxis = defop(
    "ScatterAddAlongAxis", _scatter_kernel, _scatter_rule,
    grad=lambda ins, out, dy, axis, size: (take_along_axis(dy, ins[1], axis), None),
    reference=_scatter_reference, samples=lambda: _along_axis_samples(True),
    same_dtype=False, dtypes=dtypes.NUMERIC, broadcasts=True)


def take_along_axis(x, indices, axis):
    """x's elements at `indices` along `axis` (other dimensions broadcast)."""
    return TakeAlongAxis(x, indices, axis=int(axis))


def scatter_add_along_axis(updates, indices, axis, size):
    """Zeros of length `size` along `axis`, with each update added at its index."""
    return ScatterAddAlongAxis(updates, indices, axis=int(axis), size=int(size))


def scatter_add_like(updates, indices, axis, x):
    """scatter_add_along_axis into x's size along `axis` (known at run time in a graph)."""
    return ScatterAddAlongAxis(updates, indices, *dim_inputs(x, axis), axis=axis,
                               size=static_dim(x, axis))


def _top_k_rule(x, k, sorted, index_type):  # noqa: A002  (TF's attribute name)
    if not x.shape:
        raise rules.invalid("TopKV2", "input must be at least 1-D, got shape []")
    if k < 0:
        raise rules.invalid("TopKV2", f"Need k >= 0, got {k}")
    if x.shape[-1] is not None and x.shape[-1] < k:
        raise rules.invalid("TopKV2", f"input must have at least k columns. Had "
                                      f"{x.shape[-1]}, needed {k}")
    shape = tuple(x.shape[:-1]) + (k,)
    return rules.Spec(shape, x.dtype), rules.Spec(shape, index_type)


def _top_k_kernel(x, k, sorted, index_type):  # noqa: A002
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"k={k} is out of range for {x.shape[-1]} columns")
    # Sorted either way: TF leaves the order unspecified when sorted=False.
    order = _descending_order(x, -1)[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(index_type._np)


def _top_k_reference(x, k, sorted, index_type):  # noqa: A002
    values = np.empty(x.shape[:-1] + (k,), dtype=x.dtype)
    indices = np.empty(x.shape[:-1] + (k,), dtype=np.int64)
    for position in np.ndindex(x.shape[:-1]):
        line = list(x[position])
        best = _python_order(line, descending=True)[:k]
        indices[position] = best
        values[position] = [line[i] for i in best]
    return values, indices


def _top_k_samples():
    gen = rng(42)
    for shape, k in [((5,), 2), ((2, 4), 4), ((2, 1, 3), 1), ((3, 0), 0), ((2, 3), 0),
                     ((1,), 1)]:
        yield Sample((uniform(gen, shape),), dict(k=k, sorted=True, index_type=dtypes.int32))
    ties = np.array([[1, 3, 3, 2], [5, 5, 5, 5]], dtype=np.int32)
    yield Sample((ties,), dict(k=3, sorted=True, index_type=dtypes.int32), grad=False)
    yield Sample((ties.astype(np.float32),), dict(k=2, sorted=False, index_type=dtypes.int64),
                 grad=False)


def _top_k_grad(ins, out, dys, k, sorted, index_type):  # noqa: A002
    return (scatter_add_like(dys[0], out[1], -1, ins[0]),)


TopK = defop("TopKV2", _top_k_kernel, _top_k_rule, grad=_top_k_grad,
             reference=_top_k_reference, samples=_top_k_samples, multi_output=True,
             dtypes=dtypes.REAL)


def _argsort_rule(x, axis, descending):
    if not x.shape:
        raise rules.invalid("ArgSort", "input must be at least 1-D to sort, got shape []")
    rules.normalize_axis("ArgSort", axis, len(x.shape))
    return rules.Spec(x.shape, dtypes.int32)


def _argsort_kernel(x, axis, descending):
    if descending:
        return _descending_order(x, axis).astype(np.int32)
    return np.argsort(x, axis=axis, kind="stable").astype(np.int32)


def _argsort_reference(x, axis, descending):
    moved = np.moveaxis(x, axis, -1)
    out = np.empty(moved.shape, dtype=np.int32)
    for position in np.ndindex(moved.shape[:-1]):
        out[position] = _python_order(list(moved[position]), descending)
    return np.moveaxis(out, -1, axis)


def _argsort_samples():
    gen = rng(43)
    for shape, axis in [((5,), 0), ((2, 3), 0), ((2, 3), -1), ((2, 3, 2), 1), ((0, 2), 0)]:
        for descending in (False, True):
            yield Sample((uniform(gen, shape),), dict(axis=axis, descending=descending))
    ties = np.array([[2, 1, 2, 1], [0, 0, 0, 3]], dtype=np.int32)
    for descending in (False, True):
        yield Sample((ties,), dict(axis=1, descending=descending), grad=False)
        yield Sample((ties.T.astype(np.float32),), dict(axis=0, descending=descending),
                     grad=False)


ArgSort = defop("ArgSort", _argsort_kernel, _argsort_rule, grad=None,
                reference=_argsort_reference, samples=_argsort_samples, dtypes=dtypes.REAL)


def _unique_rule(x, out_idx):
    if len(x.shape) != 1:
        raise rules.invalid("Unique", f"unique expects a 1D vector; got shape {list(x.shape)}")
    return rules.Spec((None,), x.dtype), rules.Spec(x.shape, out_idx)


def _unique_kernel(x, out_idx):
    if x.ndim != 1:
        raise ValueError("unique expects a 1D vector")
    _, first, inverse = np.unique(x, return_index=True, return_inverse=True,
                                  equal_nan=False)
    # np.unique sorts the values; TF keeps them in order of first occurrence.
    by_appearance = np.argsort(first)
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(len(first))
    return x[np.sort(first)], rank[inverse.reshape(-1)].astype(out_idx._np)


def _unique_reference(x, out_idx):
    seen = {}
    values = []
    for v in x.tolist():
        if v not in seen:
            seen[v] = len(values)
            values.append(v)
    return np.array(values, dtype=x.dtype), np.array([seen[v] for v in x.tolist()])


def _unique_samples():
    gen = rng(44)
    yield Sample((np.array([3.0, 1.0, 3.0, 2.0, 1.0]),), dict(out_idx=dtypes.int32))
    yield Sample((gen.integers(-2, 3, size=8).astype(np.int32),), dict(out_idx=dtypes.int64))
    yield Sample((np.zeros(0),), dict(out_idx=dtypes.int32))
    yield Sample((np.array([b"b", b"a", b"b"], dtype=object),), dict(out_idx=dtypes.int32))


UniqueOp = defop("Unique", _unique_kernel, _unique_rule, grad=None,
                 reference=_unique_reference, samples=_unique_samples, multi_output=True)


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The k largest entries along the last axis and their indices, largest first."""
    index_type = dtypes.as_dtype(index_type)
    if index_type not in _INDEX_TYPES:
        raise TypeError(f"top_k: index_type must be int16, int32 or int64; received "
                        f"{index_type.name}")
    values, indices = TopK(input, k=int(k), sorted=bool(sorted), index_type=index_type)
    return TopKV2(values, indices)


def _is_descending(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ['ASCENDING', "
                         f"'DESCENDING']. Received: direction={direction}")
    return direction == "DESCENDING"


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """int32 indices that sort `values` along `axis` (equal values keep their order)."""
    return ArgSort(values, axis=int(axis), descending=_is_descending(direction))


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis`."""
    values = convert_to_tensor(values)
    order = argsort(values, axis, direction)
    return take_along_axis(values, order, axis)


def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct values of 1-D `x` in order of first appearance, and each element's
    index into them."""
    y, idx = UniqueOp(x, out_idx=dtypes.as_dtype(out_idx))
    return UniqueOutput(y, idx)
