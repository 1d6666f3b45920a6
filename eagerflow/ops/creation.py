"""Tensors made from shapes, values and ranges: zeros, ones, fill, eye, range, linspace,
zeros_like, ones_like."""

import builtins

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from . import dynamic_shape, math_binary, reductions
from . import shape_rules as rules
from .array_ops import shape_tuple
from .registry import Sample, defop
from .sample_inputs import rng, uniform
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor, wrap


def _like_rule(x, dtype):
    return rules.Spec(x.shape, x.dtype if dtype is None else dtype)


def _like_samples():
    gen = rng(3)
    for shape in [(), (2, 3), (0, 2)]:
        yield Sample((uniform(gen, shape),), dict(dtype=None))
    yield Sample((uniform(gen, (2,)),), dict(dtype=dtypes.int32), grad=False)


def _np_dtype(x, dtype):
    return x.dtype if dtype is None else dtype._np


ZerosLike = defop("ZerosLike", lambda x, dtype: np.zeros(x.shape, _np_dtype(x, dtype)),
                  _like_rule, grad=None, reference=lambda x, dtype: np.zeros_like(x),
                  samples=_like_samples, same_dtype=False)
OnesLike = defop("OnesLike", lambda x, dtype: np.ones(x.shape, _np_dtype(x, dtype)),
                 _like_rule, grad=None, reference=lambda x, dtype: np.ones_like(x),
                 samples=_like_samples, same_dtype=False)


def zeros_like(input, dtype=None, name=None):  # noqa: A002  (TF's argument name)
    """A tensor of zeros with the shape (and by default dtype) of `input`."""
    return ZerosLike(input, dtype=None if dtype is None else dtypes.as_dtype(dtype))


def ones_like(input, dtype=None, name=None):  # noqa: A002
    """A tensor of ones with the shape (and by default dtype) of `input`."""
    return OnesLike(input, dtype=None if dtype is None else dtypes.as_dtype(dtype))


def _dims(shape):
    dims = shape_tuple(shape)
    for i, d in enumerate(dims):
        if d < 0:
            raise InvalidArgumentError(f"Dimension {d} must be >= 0 (dimension {i} of shape "
                                       f"{list(dims)})")
    return dims


def _filled(shape, value, dtype):
    """`value` broadcast to a shape known at run time (a graph's tf.shape(x), …)."""
    return dynamic_shape.broadcast_to(convert_to_tensor(value, dtype=dtype), shape)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with zeros (empty strings for tf.string)."""
    dtype = dtypes.as_dtype(dtype)
    if context.building_graphs() and dynamic_shape.is_symbolic_shape(shape):
        return _filled(shape, b"" if dtype is dtypes.string else 0, dtype)
    if dtype is dtypes.string:
        return wrap(np.full(_dims(shape), b"", dtype=object))
    return wrap(np.zeros(_dims(shape), dtype._np))


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with ones."""
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string:
        raise TypeError("tf.ones does not support dtype tf.string (there is no string one).")
    if context.building_graphs() and dynamic_shape.is_symbolic_shape(shape):
        return _filled(shape, 1, dtype)
    return wrap(np.ones(_dims(shape), dtype._np))


def _fill_rule(value, dims):
    if value.shape:
        raise rules.invalid("Fill", f"value must be a scalar, got shape {list(value.shape)}")
    for i, d in enumerate(dims):
        if d < 0:
            raise rules.invalid("Fill", f"dims[{i}] = {d} must be non-negative (dims "
                                        f"{list(dims)})")
    return rules.Spec(tuple(dims), value.dtype)


def _fill_kernel(value, dims):
    if np.ndim(value):
        raise ValueError("value must be a scalar")
    return np.full(dims, value, dtype=value.dtype)


def _fill_reference(value, dims):
    out = np.empty(dims, value.dtype)
    out[...] = value
    return out


def _fill_samples():
    gen = rng(4)
    for dims in [(2, 3), (), (0, 2)]:
        yield Sample((uniform(gen, ()),), dict(dims=dims))
    yield Sample((np.array(7, np.int32),), dict(dims=(3,)), grad=False)
    yield Sample((np.array(True),), dict(dims=(2,)), grad=False)


Fill = defop("Fill", _fill_kernel, _fill_rule,
             grad=lambda ins, out, dy, dims: (reductions.reduce_sum(dy),),
             reference=_fill_reference, samples=_fill_samples)


def fill(dims, value, name=None):
    """A tensor of shape `dims` with every element equal to the scalar `value`."""
    if context.building_graphs() and dynamic_shape.is_symbolic_shape(dims):
        value = convert_to_tensor(value)
        if value._value.ndim:
            raise rules.invalid("Fill", f"value must be a scalar, got shape "
                                        f"{list(value._value.shape)}")
        return dynamic_shape.broadcast_to(value, dims)
    return Fill(value, dims=shape_tuple(dims))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Identity matrices [num_rows, num_columns] (stacked to batch_shape when given)."""
    rows = int(num_rows)
    columns = rows if num_columns is None else int(num_columns)
    if rows < 0 or columns < 0:
        raise InvalidArgumentError(f"eye needs non-negative sizes; got num_rows={rows}, "
                                   f"num_columns={columns}")
    matrix = np.eye(rows, columns, dtype=dtypes.as_dtype(dtype)._np)
    if batch_shape is not None:
        matrix = np.array(np.broadcast_to(matrix, _dims(batch_shape) + matrix.shape))
    return wrap(matrix)


_RANGE_DTYPES = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)


def _range_scalar(value, dtype, what):
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        value = convert_to_tensor(value)
    else:
        value = convert_to_tensor(value, dtype=dtype)
    if value._value.ndim:
        raise InvalidArgumentError(f"{what} must be a scalar, not shape "
                                   f"{list(value._value.shape)} [Op:Range]")
    if value.dtype not in _RANGE_DTYPES:
        raise TypeError(f"tf.range does not support {what} of dtype {value.dtype.name}; use "
                        f"one of int32, int64, float16, float32, float64")
    return value


def _range_count(start, limit, delta):
    """How many values range yields, checking the direction as TF does."""
    if delta == 0:
        raise InvalidArgumentError(f"Requires delta != 0: {delta} [Op:Range]")
    if delta > 0 and start > limit:
        raise InvalidArgumentError(f"Requires start <= limit when delta > 0: {start}/{limit} "
                                   f"[Op:Range]")
    if delta < 0 and start < limit:
        raise InvalidArgumentError(f"Requires start >= limit when delta < 0: {start}/{limit} "
                                   f"[Op:Range]")
    if isinstance(delta, np.integer):
        span, step = abs(int(limit) - int(start)), abs(int(delta))
        return (span + step - 1) // step
    with np.errstate(over="ignore"):
        return int(np.ceil(np.abs((limit - start) / delta)))


def _range_kernel(start, limit, delta):
    return (start + np.arange(_range_count(start[()], limit[()], delta[()]),
                              dtype=start.dtype) * delta).astype(start.dtype)


def _range_rule(start, limit, delta):
    for spec in (start, limit, delta):
        if spec.shape:
            raise rules.invalid("Range", f"start, limit and delta must be scalars; got shape "
                                         f"{list(spec.shape)}")
    return rules.Spec((None,), start.dtype)  # the length depends on the values


def _range_samples():
    for start, limit, delta in ((0, 5, 1), (2, -3, -2), (1.5, 3.0, 0.5), (3, 3, 1)):
        dtype = np.float32 if isinstance(start, float) else np.int32
        yield Sample(tuple(np.array(v, dtype) for v in (start, limit, delta)), grad=False)


Range = defop("Range", _range_kernel, _range_rule, grad=None,
              reference=lambda start, limit, delta: np.array(
                  [start + i * delta for i in builtins.range(
                      max(0, int(np.ceil((limit - start) / delta))))], dtype=start.dtype),
              samples=_range_samples, dtypes=_RANGE_DTYPES)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001  (TF's name)
    """start, start + delta, … up to but excluding limit (int32 from ints, float32 from
    floats, unless `dtype` says otherwise). With a symbolic bound (inside a graph) it is a
    Range node whose length is known at run time."""
    if limit is None:
        start, limit = 0, start
    if any(context.is_symbolic(v) for v in (start, limit, delta)):
        return Range(start, limit, delta)  # Python numbers adopt the symbolic bound's dtype
    given = None if dtype is None else dtypes.as_dtype(dtype)
    values = [_range_scalar(v, given, what)
              for v, what in ((start, "start"), (limit, "limit"), (delta, "delta"))]
    if given is None:
        given = max((v.dtype for v in values), key=_RANGE_DTYPES.index)
    start, limit, delta = (v._value.astype(given._np)[()] for v in values)
    count = _range_count(start, limit, delta)
    return wrap(start + np.arange(count, dtype=given._np) * delta)


def _linspace_position(op, rank, num, axis):
    if num < 0:
        raise rules.invalid(op, f"num must be non-negative, got {num}")
    if not -rank - 1 <= axis <= rank:
        raise rules.invalid(op, f"axis {axis} is out of range for an output of rank {rank + 1}; "
                                f"expected it in [{-rank - 1}, {rank}]")
    return axis % (rank + 1)


def _linspace_rule(start, stop, num, axis):
    shape = rules.broadcast_pair("LinSpace", start.shape, stop.shape)
    position = _linspace_position("LinSpace", len(shape), num, axis)
    return rules.Spec(tuple(shape[:position]) + (num,) + tuple(shape[position:]), start.dtype)


def _linspace_kernel(start, stop, num, axis):
    start, stop = np.broadcast_arrays(start, stop)
    position = _linspace_position("LinSpace", start.ndim, num, axis)
    start, stop = start[..., None], stop[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (stop - start) / start.dtype.type(num - 1)
        out = start + delta * np.arange(num, dtype=start.dtype)
    out[..., :1] = start
    if num > 1:
        out[..., -1:] = stop
    return np.moveaxis(out, -1, position)


def _linspace_grad(ins, out, dy, num, axis):
    """Each output is start * (1 - t) + stop * t, with t = i / (num - 1) along the axis."""
    rank = dy._value.ndim
    position = axis % rank
    fraction = np.arange(num) / max(num - 1, 1)
    weight_shape = [1] * rank
    weight_shape[position] = num
    weights = [wrap(w.reshape(weight_shape).astype(dy._value.dtype))
               for w in (1 - fraction, fraction)]
    return tuple(reductions.reduce_sum(math_binary.multiply(dy, w), axis=position)
                 for w in weights)


def _linspace_reference(start, stop, num, axis):
    start, stop = np.broadcast_arrays(start, stop)
    out = np.empty(start.shape + (num,), start.dtype)
    for index in np.ndindex(*start.shape):
        for i in builtins.range(num):
            t = i / (num - 1) if num > 1 else 0.0
            out[index + (i,)] = start[index] + (stop[index] - start[index]) * t
    return np.moveaxis(out, -1, axis % (start.ndim + 1))


def _linspace_samples():
    gen = rng(5)
    for start_shape, stop_shape, num, axis in [((), (), 5, 0), ((2,), (), 3, 0),
                                               ((2,), (2,), 4, -1), ((), (3,), 1, 1),
                                               ((2, 1), (3,), 2, 1), ((), (), 0, 0)]:
        yield Sample((uniform(gen, start_shape), uniform(gen, stop_shape)),
                     dict(num=num, axis=axis))
    yield Sample((np.float32(0.0), np.float32(1.0)), dict(num=11, axis=0), grad=False)


LinSpace = defop("LinSpace", _linspace_kernel, _linspace_rule, grad=_linspace_grad,
                 reference=_linspace_reference, samples=_linspace_samples,
                 dtypes=dtypes.FLOATS, broadcasts=True)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from start to stop (both included), along `axis`."""
    return LinSpace(start, stop, num=int(num), axis=int(axis))
