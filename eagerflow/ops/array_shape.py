"""Shapes and axes: shape, shape_n, rank, size, expand_dims, squeeze, meshgrid,
sequence_mask."""

import numpy as np

from .. import dtypes
from . import shape_rules as rules
from . import array_ops, dynamic_shape
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from ..framework import context
from ..framework.convert import convert_to_tensor

_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _out_type(out_type):
    out_type = dtypes.as_dtype(out_type)
    if out_type not in _INDEX_TYPES:
        raise TypeError(f"out_type must be tf.int32 or tf.int64; got {out_type!r}")
    return out_type


def _shape_samples():
    gen = rng(31)
    for shape in [(2, 3), (), (0, 4, 1)]:
        yield Sample((uniform(gen, shape),), dict(out_type=dtypes.int32))
    yield Sample((integers(gen, (3,)),), dict(out_type=dtypes.int64), grad=False)


Shape = defop("Shape", lambda x, out_type: np.array(x.shape, dtype=out_type._np),
              lambda x, out_type: rules.Spec((len(x.shape),), out_type), grad=None,
              reference=lambda x, out_type: np.array(list(x.shape), dtype=out_type._np),
              samples=_shape_samples)
Size = defop("Size", lambda x, out_type: np.array(x.size, dtype=out_type._np),
             lambda x, out_type: rules.Spec((), out_type), grad=None,
             reference=lambda x, out_type: np.array(np.prod(x.shape, dtype=np.int64),
                                                     dtype=out_type._np),
             samples=_shape_samples)
Rank = defop("Rank", lambda x: np.array(x.ndim, dtype=np.int32),
             lambda x: rules.Spec((), dtypes.int32), grad=None,
             reference=lambda x: np.array(len(x.shape), dtype=np.int32),
             samples=lambda: (Sample((s.inputs[0],), {}, s.grad) for s in _shape_samples()))


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002  (TF's argument name)
    """The shape of `input` as a 1-D int32 (or `out_type`) tensor. For a symbolic tensor
    whose static shape is fully known, that shape is a constant (folded at trace time)."""
    out_type = _out_type(out_type)
    static = getattr(input, "_value", None) if context.is_symbolic(input) else None
    if static is not None and None not in static.shape:
        return convert_to_tensor(np.array(static.shape, dtype=out_type._np))
    return Shape(input, out_type=out_type)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors, one 1-D tensor each."""
    return [shape(x, out_type) for x in input]


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The number of elements of `input` as a scalar int32 (or `out_type`) tensor."""
    return Size(input, out_type=_out_type(out_type))


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input` as a scalar int32 tensor."""
    return Rank(input)


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D coordinate vectors (`indexing` 'xy' or 'ij')."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this "
                        f"function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing parameter must be either 'xy' or 'ij'; got {indexing!r}")
    vectors = [array_ops.reshape(a, (-1,)) for a in args]
    axes = list(range(len(vectors)))
    if indexing == "xy" and len(axes) > 1:
        axes[:2] = [1, 0]  # 'xy': the first vector runs along columns, the second along rows
    grid = [0] * len(vectors)
    for vector, axis in zip(vectors, axes):
        grid[axis] = vector._value.shape[0]
    return [array_ops.broadcast_to(
        array_ops.reshape(vector, [-1 if i == axis else 1 for i in range(len(grid))]), grid)
        for vector, axis in zip(vectors, axes)]


def _sequence_mask_rule(lengths, maxlen, dtype):
    if lengths.dtype not in dtypes.REAL:
        raise rules.invalid("SequenceMask", f"lengths must be integer or float, got "
                                            f"{lengths.dtype.name}")
    if maxlen < 0:
        raise rules.invalid("SequenceMask", f"maxlen must be non-negative, got {maxlen}")
    return rules.Spec(tuple(lengths.shape) + (maxlen,), dtype)


def _sequence_mask_kernel(lengths, maxlen, dtype):
    if maxlen < 0 or lengths.dtype.kind not in "iuf":
        raise ValueError("invalid lengths or maxlen")
    return np.less(np.arange(maxlen), np.expand_dims(lengths, -1)).astype(dtype._np)


def _sequence_mask_reference(lengths, maxlen, dtype):
    out = np.zeros(lengths.shape + (maxlen,), dtype=dtype._np)
    for index in np.ndindex(*lengths.shape):
        for j in range(maxlen):
            out[index + (j,)] = j < lengths[index]
    return out


def _sequence_mask_samples():
    yield Sample((np.array([1, 3, 2], np.int32),), dict(maxlen=4, dtype=dtypes.bool))
    yield Sample((np.array([[0, 2], [1, 5]], np.int64),), dict(maxlen=3, dtype=dtypes.float32))
    yield Sample((np.array(2, np.int32),), dict(maxlen=3, dtype=dtypes.int32))
    yield Sample((np.array([1.5, 0.0]),), dict(maxlen=2, dtype=dtypes.bool))
    yield Sample((np.zeros((0,), np.int32),), dict(maxlen=0, dtype=dtypes.bool))


SequenceMask = defop("SequenceMask", _sequence_mask_kernel, _sequence_mask_rule, grad=None,
                     reference=_sequence_mask_reference, samples=_sequence_mask_samples)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """mask[i..., j] = j < lengths[i...], for j up to maxlen (default: max of lengths)."""
    lengths = convert_to_tensor(lengths)
    if maxlen is None:
        values = lengths._value
        maxlen = int(np.ceil(np.max(values))) if values.size else 0
    else:
        maxlen = np.asarray(maxlen)
        if maxlen.ndim:
            raise ValueError(f"maxlen must be scalar for sequence_mask; got shape "
                             f"{list(maxlen.shape)}")
    return SequenceMask(lengths, maxlen=int(maxlen), dtype=dtypes.as_dtype(dtype))


def _expand_dims_rule(x, axis):
    rank = len(x.shape)
    if not -rank - 1 <= axis <= rank:
        raise rules.invalid("ExpandDims", f"Tried to expand dim index {axis} for tensor with "
                                          f"{rank} dimensions; expected it in "
                                          f"[{-rank - 1}, {rank}]")
    position = axis % (rank + 1)
    return rules.Spec(tuple(x.shape[:position]) + (1,) + tuple(x.shape[position:]), x.dtype)


def _expand_dims_reference(x, axis):
    position = axis % (x.ndim + 1)
    return x.reshape(x.shape[:position] + (1,) + x.shape[position:])


def _expand_dims_samples():
    gen = rng(17)
    for shape, axis in [((2, 3), 0), ((2, 3), 2), ((2, 3), -1), ((2, 3), -3), ((), 0),
                        ((0, 2), 1)]:
        yield Sample((uniform(gen, shape),), dict(axis=axis))
    yield Sample((integers(gen, (3,)),), dict(axis=1), grad=False)


ExpandDims = defop("ExpandDims", lambda x, axis: np.expand_dims(x, axis), _expand_dims_rule,
                   grad=lambda ins, out, dy, axis: (dynamic_shape.reshape_like(dy, ins[0]),),
                   reference=_expand_dims_reference, samples=_expand_dims_samples)


def expand_dims(input, axis, name=None):  # noqa: A002  (TF's argument name)
    """`input` with a new axis of size 1 inserted at `axis` (negative counts from the end)."""
    return ExpandDims(input, axis=int(axis))


def _squeezed_axes(shape, axis):
    """The axes Squeeze removes, or an error naming the dimension that cannot go."""
    rank = len(shape)
    if not axis:
        return tuple(i for i, d in enumerate(shape) if d == 1)
    for a in axis:
        if not -rank <= a < rank:
            raise rules.invalid("Squeeze", f"Tried to squeeze dim index {a} for tensor with "
                                           f"{rank} dimensions")
    axes = tuple(sorted({a % rank for a in axis}))
    for a in axes:
        if shape[a] not in (1, None):
            raise rules.invalid("Squeeze", f"Can not squeeze dim[{a}], expected a dimension "
                                           f"of 1, got {shape[a]} (input shape {list(shape)})")
    return axes


def _squeeze_rule(x, axis):
    if not axis and None in x.shape:
        return rules.Spec(None, x.dtype)  # which unknown dims are 1 is known only at run time
    axes = _squeezed_axes(x.shape, axis)
    return rules.Spec(tuple(d for i, d in enumerate(x.shape) if i not in axes), x.dtype)


def _squeeze_reference(x, axis):
    rank = x.ndim
    drop = {a % rank for a in axis} if axis else {i for i, d in enumerate(x.shape) if d == 1}
    return x.reshape(tuple(d for i, d in enumerate(x.shape) if i not in drop))


def _squeeze_samples():
    gen = rng(18)
    for shape, axis in [((1, 3, 1), ()), ((1, 3, 1), (0,)), ((1, 3, 1), (-1,)),
                        ((1, 3, 1), (0, -1)), ((1,), ()), ((), ()), ((0, 1), (1,)),
                        ((2, 1), (1, -1))]:
        yield Sample((uniform(gen, shape),), dict(axis=axis))
    yield Sample((integers(gen, (1, 2)),), dict(axis=()), grad=False)


Squeeze = defop("Squeeze", lambda x, axis: np.squeeze(x, _squeezed_axes(x.shape, axis)),
                _squeeze_rule,
                grad=lambda ins, out, dy, axis: (dynamic_shape.reshape_like(dy, ins[0]),),
                reference=_squeeze_reference, samples=_squeeze_samples)


def squeeze(input, axis=None, name=None):  # noqa: A002  (TF's argument name)
    """`input` without the size-1 axes listed in `axis` (all size-1 axes when None)."""
    axis = () if axis is None else tuple(int(a) for a in np.asarray(axis).reshape(-1))
    return Squeeze(input, axis=axis)
