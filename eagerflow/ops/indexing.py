"""Slicing: Tensor.__getitem__, strided_slice, slice.

All three build one normalized key (`slice_keys.py`) for the StridedSlice op.
The gradient scatters dy into zeros of the input's shape through the same key
(StridedSliceGrad), whose own gradient is the slice again, so gradients of any
order flow. A key holding symbolic tensors (a loop counter indexing inside a
graph) takes DynamicStridedSlice instead, which gets them as inputs.
"""

import builtins
import numbers

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from . import shape_rules as rules
from .dynamic_shape import run_time, shape_inputs, static_shape
from .dynamic_slicing import DynamicStridedSlice
from .gather import boolean_mask
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from .slice_keys import (INDEX_DTYPES, TENSOR, numpy_key, scatter_reference, scattered_shape,
                         slice_reference, sliced_shape)

SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                    "scalar tf.int32/tf.int64 tensors are valid indices")


def _strided_slice_rule(x, key):
    return rules.Spec(sliced_shape("StridedSlice", x.shape, key), x.dtype)


def _strided_slice_grad_rule(dy, *given, shape, key):
    return rules.Spec(scattered_shape("StridedSliceGrad", dy.shape, shape, key), dy.dtype)


def _scatter_kernel(dy, *given, shape, key):
    out = np.zeros(run_time(shape, given), dy.dtype)
    out[numpy_key(key)] = dy
    return out


def _slice_grad_reference(dy, *given, shape, key):
    return scatter_reference(dy, run_time(shape, given), key)


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
    "StridedSlice", lambda x, key: x[numpy_key(key)], _strided_slice_rule,
    grad=lambda ins, out, dy, key: (StridedSliceGrad(dy, *shape_inputs(ins[0]),
                                                     shape=static_shape(ins[0]), key=key),),
    reference=slice_reference, samples=_strided_slice_samples)
StridedSliceGrad = defop(
    "StridedSliceGrad", _scatter_kernel, _strided_slice_grad_rule,
    grad=lambda ins, out, dy, shape, key: (StridedSlice(dy, key=key),),
    reference=_slice_grad_reference, samples=_strided_slice_grad_samples, same_dtype=False)


class _SymbolicIndex(Exception):
    """Raised at a symbolic tensor in a key: the key needs DynamicStridedSlice."""


def _is_scalar_index(item, rank):
    """Whether `item` (a tensor or array of rank `rank`, None if unknown) has an index dtype
    and may be a scalar."""
    dtype = getattr(item, "dtype", None)
    try:
        return dtype is not None and dtypes.as_dtype(dtype) in INDEX_DTYPES and rank in (0, None)
    except TypeError:
        return False


def _known_at_run_time(item):
    """Whether item's value exists only when a graph runs: a symbolic tensor, or a variable
    while a graph is built."""
    return context.is_symbolic(item) or bool(context.building_graphs()) and hasattr(
        item, "_as_tensor")


def _as_index(item):
    """An int for anything TF accepts as an integer index, else TF's TypeError."""
    if isinstance(item, numbers.Integral):
        return int(item)
    if item.__class__ is not Tensor and _known_at_run_time(item):
        raise _SymbolicIndex
    if not _is_scalar_index(item, np.ndim(item)):
        raise TypeError(f"{SLICE_TYPE_ERROR}, got {item!r}")
    return int(np.asarray(item))


def _key_item(item, index=_as_index):
    if item is None or item is Ellipsis:
        return item
    if isinstance(item, builtins.slice):
        start, stop, step = item.start, item.stop, item.step
        return (None if start is None else index(start), None if stop is None else index(stop),
                1 if step is None else index(step))
    return index(item)


def _dynamic_slice(tensor, items):
    """tensor[items] for items holding symbolic scalar tensors: DynamicStridedSlice with
    TENSOR in their places."""
    tensors = []

    def index(item):
        if not _known_at_run_time(item):
            return _as_index(item)
        item = convert_to_tensor(item)  # a variable: its read node
        if not _is_scalar_index(item, item.ndim):
            raise TypeError(f"{SLICE_TYPE_ERROR}, got {item!r}")
        tensors.append(item)
        return TENSOR
    key = tuple(_key_item(item, index) for item in items)
    return DynamicStridedSlice(tensor, *tensors, key=key)


def _is_mask(key):
    """Whether TF reads `key` as a boolean mask: a Python bool, a bool tensor (symbolic
    too) or array."""
    if isinstance(key, bool):
        return True
    if isinstance(key, Tensor) or context.is_symbolic(key):
        return key.dtype is dtypes.bool
    return isinstance(key, np.ndarray) and key.dtype == np.bool_


def getitem(tensor, key):
    """tensor[key] with TF's rules: ints, slices, None, Ellipsis, scalar int tensors (symbolic
    ones too: DynamicStridedSlice); a boolean tensor key applies boolean_mask."""
    if _is_mask(key):
        return boolean_mask(tensor, key)
    items = key if isinstance(key, (list, tuple)) else (key,)
    try:
        key = tuple(_key_item(item) for item in items)
    except _SymbolicIndex:
        return _dynamic_slice(tensor, items)
    return StridedSlice(tensor, key=key)


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
