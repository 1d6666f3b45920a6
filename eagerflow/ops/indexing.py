"""Slicing: Tensor.__getitem__, strided_slice, slice.

All three build one normalized key for the StridedSlice op: a tuple whose
items are an int (pick one index, dropping the axis), a (start, stop, step)
tuple (None = open end), None (a new axis of size 1) or Ellipsis (all the
axes not otherwise named). The gradient scatters dy into zeros of the
input's shape through the same key (StridedSliceGrad), whose own gradient is
the slice again, so gradients of any order flow.
"""

import builtins
import numbers

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from . import shape_rules as rules
from .dynamic_shape import run_time, shape_inputs, static_shape
from .gather import boolean_mask
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor

SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                    "scalar tf.int32/tf.int64 tensors are valid indices")
_INDEX_DTYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
_ALL = (None, None, 1)


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
    return key[:at] + (_ALL,) * (rank - named) + key[at + 1:]


def sliced_shape(op, shape, key):
    """The shape `key` selects from `shape`, or an error naming the bad index."""
    out, dim = [], 0
    for position, item in enumerate(_expanded(op, key, len(shape))):
        if item is None:
            out.append(1)
            continue
        size = shape[dim]
        if isinstance(item, tuple):
            if item[2] == 0:
                raise rules.invalid(op, f"strides[{position}] must be non-zero (key {key})")
            out.append(None if size is None else len(range(*builtins.slice(*item).indices(size))))
        elif size is not None and not -size <= item < size:
            raise rules.invalid(op, f"slice index {item} of dimension {dim} out of bounds: "
                                    f"dimension {dim} has size {size}, so the index must be in "
                                    f"[{-size}, {size})")
        dim += 1
    return tuple(out)


def _numpy_key(key):
    return tuple(builtins.slice(*item) if isinstance(item, tuple) else item for item in key)


def _strided_slice_rule(x, key):
    return rules.Spec(sliced_shape("StridedSlice", x.shape, key), x.dtype)


def _strided_slice_grad_rule(dy, *given, shape, key):
    expected = sliced_shape("StridedSliceGrad", shape, key)
    if len(expected) != len(dy.shape) or any(
            a is not None and b is not None and a != b for a, b in zip(expected, dy.shape)):
        raise rules.invalid("StridedSliceGrad", f"dy has shape {list(dy.shape)} but slicing "
                                                f"{list(shape)} with {key} gives "
                                                f"{list(expected)}")
    return rules.Spec(tuple(shape), dy.dtype)


def _scatter_kernel(dy, *given, shape, key):
    out = np.zeros(run_time(shape, given), dy.dtype)
    out[_numpy_key(key)] = dy
    return out


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


def _slice_reference(x, key):
    out_shape = sliced_shape("StridedSlice", x.shape, key)
    return np.asarray(x[np.ix_(*_picked_indices(x.shape, key))]).reshape(out_shape)


def _slice_grad_reference(dy, *given, shape, key):
    shape = run_time(shape, given)
    picked = _picked_indices(shape, key)
    out = np.zeros(shape, dy.dtype)
    out[np.ix_(*picked)] = dy.reshape([len(p) for p in picked])
    return out


SLICE_CASES = [
    ((5,), (1,)), ((5,), (-1,)), ((5,), ((1, 4, 1),)), ((5,), ((None, None, -1),)),
    ((5,), ((4, 0, -2),)), ((5,), ((3, 1, 1),)), ((2, 3), (Ellipsis, 1)),
    ((2, 3), (None, 0, (None, None, 2))), ((2, 3, 2), (1, Ellipsis, None)),
    ((2, 3), ((None, None, 1), None, -2)), ((), (None,)), ((), (Ellipsis,)),
    ((0, 3), ((None, None, 1), 2)), ((2, 3), ((-10, 10, 1),)), ((1, 2), (0, 0)),
]


def _strided_slice_samples():
    gen = rng(41)
    for shape, key in SLICE_CASES:
        yield Sample((uniform(gen, shape),), dict(key=key))
    yield Sample((uniform(gen, (3, 2), dtype=np.float32),), dict(key=((None, None, -1),)),
                 grad=False)
    yield Sample((integers(gen, (4,)),), dict(key=((1, None, 2),)), grad=False)


def _strided_slice_grad_samples():
    gen = rng(42)
    for shape, key in SLICE_CASES:
        dy_shape = sliced_shape("StridedSliceGrad", shape, key)
        yield Sample((uniform(gen, dy_shape),), dict(shape=shape, key=key))
    yield Sample((uniform(gen, (2, 1)), np.array([2, 3])),
                 dict(shape=(None, 3), key=((None, None, 1), (1, 2, 1))))
    yield Sample((integers(gen, (2,)),), dict(shape=(4,), key=((1, None, 2),)), grad=False)


StridedSlice = defop(
    "StridedSlice", lambda x, key: x[_numpy_key(key)], _strided_slice_rule,
    grad=lambda ins, out, dy, key: (StridedSliceGrad(dy, *shape_inputs(ins[0]),
                                                     shape=static_shape(ins[0]), key=key),),
    reference=_slice_reference, samples=_strided_slice_samples)
StridedSliceGrad = defop(
    "StridedSliceGrad", _scatter_kernel, _strided_slice_grad_rule,
    grad=lambda ins, out, dy, shape, key: (StridedSlice(dy, key=key),),
    reference=_slice_grad_reference, samples=_strided_slice_grad_samples, same_dtype=False)


def _as_index(item):
    """An int for anything TF accepts as an integer index, else TF's TypeError."""
    if isinstance(item, numbers.Integral):
        return int(item)
    dtype = getattr(item, "dtype", None)
    try:
        is_index = dtype is not None and dtypes.as_dtype(dtype) in _INDEX_DTYPES
    except TypeError:
        is_index = False
    if not is_index or np.ndim(item) != 0:
        raise TypeError(f"{SLICE_TYPE_ERROR}, got {item!r}")
    return int(np.asarray(item))


def _key_item(item):
    if item is None or item is Ellipsis:
        return item
    if isinstance(item, builtins.slice):
        start, stop, step = (None if v is None else _as_index(v)
                             for v in (item.start, item.stop, item.step))
        return (start, stop, 1 if step is None else step)
    return _as_index(item)


def _is_mask(key):
    """Whether TF reads `key` as a boolean mask: a Python bool, a bool Tensor or array."""
    if isinstance(key, bool):
        return True
    if isinstance(key, Tensor):
        return key.dtype is dtypes.bool
    return isinstance(key, np.ndarray) and key.dtype == np.bool_


def getitem(tensor, key):
    """tensor[key] with TF's rules: ints, slices, None, Ellipsis, scalar int tensors; a
    boolean tensor key applies boolean_mask."""
    if _is_mask(key):
        return boolean_mask(tensor, key)
    items = key if isinstance(key, (list, tuple)) else (key,)
    return StridedSlice(tensor, key=tuple(_key_item(item) for item in items))


def _int_list(values):
    return [int(v) for v in np.asarray(values).reshape(-1)]


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """Slices `input_` from begin to end by strides, with TF's bit-mask conventions."""
    begin, end = _int_list(begin), _int_list(end)
    strides = [1] * len(begin) if strides is None else _int_list(strides)
    if not len(begin) == len(end) == len(strides):
        raise InvalidArgumentError(
            f"Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"[{len(begin)}], [{len(end)}], and [{len(strides)}] instead. [Op:StridedSlice]")
    key = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append((0 if s > 0 else -1) if begin_mask & bit else b)
        else:
            key.append((None if begin_mask & bit else b, None if end_mask & bit else e, s))
    return StridedSlice(input_, key=tuple(key))


def slice(input_, begin, size, name=None):  # noqa: A001  (TF's public name)
    """The block of `input_` starting at `begin` with extent `size` (-1: to the end)."""
    x = convert_to_tensor(input_)
    begin, size = _int_list(begin), _int_list(size)
    shape = x._value.shape
    if len(begin) != len(shape) or len(size) != len(shape):
        raise rules.invalid("Slice", f"Expected begin and size arguments to be 1-D tensors of "
                                     f"size {len(shape)}, but got shapes [{len(begin)}] and "
                                     f"[{len(size)}] instead.")
    key = []
    for i, (b, s, d) in enumerate(zip(begin, size, shape)):
        if d is None:  # checked when the graph runs
            key.append((b, None if s == -1 else b + s, 1))
            continue
        if not 0 <= b <= d:
            raise rules.invalid("Slice", f"Expected begin[{i}] in [0, {d}], but got {b}")
        s = d - b if s == -1 else s
        if not 0 <= s <= d - b:
            raise rules.invalid("Slice", f"Expected size[{i}] in [0, {d - b}], but got {s}")
        key.append((b, b + s, 1))
    return StridedSlice(x, key=tuple(key))
