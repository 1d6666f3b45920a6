"""Core array ops: reshape, broadcast_to, stack, unstack, transpose, identity,
stop_gradient, one_hot."""

import numpy as np

from .. import dtypes
from . import dynamic_shape
from . import shape_rules as rules
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor_shape import TensorShape



def shape_tuple(shape):
    """A shape given as a list, tuple, TensorShape or 1-D tensor, as a tuple of ints."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    return tuple(int(d) for d in np.asarray(shape).reshape(-1))


def resolve_shape(op, in_shape, shape):
    """`shape` with its one -1 filled in from the element count of `in_shape`."""
    if list(shape).count(-1) > 1:
        raise rules.invalid(op, f"only one dimension of the new shape may be -1; got "
                                f"{list(shape)}")
    if None in in_shape:
        return tuple(None if d == -1 else d for d in shape)
    size = int(np.prod(in_shape, dtype=np.int64))
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if -1 in shape:
        if known == 0 or size % known:
            raise rules.invalid(op, f"Input to reshape is a tensor with {size} values, but the "
                                    f"requested shape {list(shape)} cannot hold them")
        return tuple(size // known if d == -1 else d for d in shape)
    if known != size:
        raise rules.invalid(op, f"Input to reshape is a tensor with {size} values, but the "
                                f"requested shape has {known}: {list(in_shape)} -> "
                                f"{list(shape)}")
    return tuple(shape)


def _reshape_samples():
    gen = rng(11)
    cases = [((2, 3), (3, 2)), ((2, 3), (-1,)), ((6,), (2, -1)), ((), (1, 1)),
             ((1, 4), (4,)), ((0, 3), (3, 0)), ((0, 3), (-1, 3))]
    for in_shape, shape in cases:
        yield Sample((uniform(gen, in_shape),), dict(shape=shape))


Reshape = defop("Reshape", lambda x, shape: np.reshape(x, shape),
                lambda x, shape: rules.Spec(resolve_shape("Reshape", x.shape, shape), x.dtype),
                grad=lambda ins, out, dy, shape: (dynamic_shape.reshape_like(dy, ins[0]),),
                reference=lambda x, shape: x.reshape(shape), samples=_reshape_samples)


def reshape(tensor, shape, name=None):
    """`tensor` with the same elements in `shape` (one entry may be -1; in a graph the
    shape may hold tensors, as in [tf.shape(x)[0], -1])."""
    if context.building_graphs() and dynamic_shape.is_symbolic_shape(shape):
        return dynamic_shape.reshape(tensor, shape)
    return Reshape(tensor, shape=shape_tuple(shape))


def _broadcast_to_rule(x, shape):
    out = rules.broadcast_pair("BroadcastTo", x.shape, shape)
    if tuple(out) != tuple(shape):
        raise rules.invalid("BroadcastTo", f"Unable to broadcast tensor of shape "
                                           f"{list(x.shape)} to tensor of shape {list(shape)}")
    return rules.Spec(tuple(shape), x.dtype)


def _broadcast_to_samples():
    gen = rng(12)
    for in_shape, shape in [((3,), (2, 3)), ((2, 1), (2, 4)), ((), (2, 2)), ((1,), (0,))]:
        yield Sample((uniform(gen, in_shape),), dict(shape=shape))


BroadcastTo = defop("BroadcastTo", lambda x, shape: np.broadcast_to(x, shape),
                    _broadcast_to_rule,
                    # The tape sums the output-shaped gradient back to the input's shape.
                    grad=lambda ins, out, dy, shape: (dy,),
                    reference=lambda x, shape: x + np.zeros(shape, x.dtype),
                    samples=_broadcast_to_samples, broadcasts=True)


def broadcast_to(input, shape, name=None):  # noqa: A002  (TF's argument name)
    """`input` broadcast to `shape`, following NumPy's broadcasting rules."""
    if context.building_graphs() and dynamic_shape.is_symbolic_shape(shape):
        return dynamic_shape.broadcast_to(input, shape)
    return BroadcastTo(input, shape=shape_tuple(shape))


def _stack_rule(*xs, axis):
    first = xs[0].shape
    for i, x in enumerate(xs[1:], 1):
        if tuple(x.shape) != tuple(first):
            raise rules.invalid("Pack", f"Shapes of all inputs must match: values[0].shape = "
                                        f"{list(first)} != values[{i}].shape = {list(x.shape)}")
    axis = rules.normalize_axis("Pack", axis, len(first) + 1)
    return rules.Spec(tuple(first[:axis]) + (len(xs),) + tuple(first[axis:]), xs[0].dtype)


def _stack_samples():
    gen = rng(13)
    for shape, n, axis in [((2, 3), 3, 0), ((2, 3), 2, -1), ((), 4, 0), ((0, 2), 2, 1),
                           ((3,), 1, 1)]:
        yield Sample(tuple(uniform(gen, shape) for _ in range(n)), dict(axis=axis))


Pack = defop("Pack", lambda *xs, axis: np.stack(xs, axis=axis), _stack_rule,
             grad=lambda ins, out, dy, axis: unstack(dy, num=len(ins), axis=axis),
             reference=lambda *xs, axis: np.moveaxis(np.array(xs), 0, axis),
             samples=_stack_samples)


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along `axis`."""
    values = list(values)
    if not values:
        raise ValueError("tf.stack needs at least one tensor to stack; got an empty list.")
    return Pack(*values, axis=int(axis))


def _unstack_rule(x, num, axis):
    if not x.shape:
        raise rules.invalid("Unpack", "Input must have rank at least 1; got a scalar")
    axis = rules.normalize_axis("Unpack", axis, len(x.shape))
    if x.shape[axis] is not None and x.shape[axis] != num:
        raise rules.invalid("Unpack", f"Input shape {list(x.shape)} has dimension "
                                      f"{x.shape[axis]} on axis {axis}, but num={num}")
    part = tuple(x.shape[:axis]) + tuple(x.shape[axis + 1:])
    return tuple(rules.Spec(part, x.dtype) for _ in range(num))


def _unstack_kernel(x, num, axis):
    if x.shape[axis] != num:
        raise ValueError("num does not match the size of the axis")
    return tuple(np.moveaxis(x, axis, 0))


def _unstack_samples():
    gen = rng(14)
    for shape, axis in [((3, 2), 0), ((2, 3), -1), ((1,), 0), ((2, 0), 0), ((2, 3, 2), 1)]:
        yield Sample((uniform(gen, shape),), dict(num=shape[axis], axis=axis))


Unpack = defop("Unpack", _unstack_kernel, _unstack_rule,
               grad=lambda ins, out, dys, num, axis: (stack(list(dys), axis=axis),),
               reference=lambda x, num, axis: [np.take(x, i, axis=axis) for i in range(num)],
               samples=_unstack_samples, multi_output=True)


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of tensors of rank R-1."""
    value = convert_to_tensor(value)
    shape = value._value.shape
    if not shape:
        raise ValueError("Cannot unstack a scalar tensor (rank 0); it has no axis to split.")
    axis = rules.normalize_axis("Unpack", int(axis), len(shape))
    if num is None:
        num = shape[axis]
    return list(Unpack(value, num=int(num), axis=axis))


def _check_perm(op, perm, rank):
    """Raises unless `perm` is a permutation of range(rank), as TF's Transpose needs."""
    if len(perm) != rank:
        raise rules.invalid(op, f"transpose expects a vector of size {rank}. But input(1) is a "
                                f"vector of size {len(perm)} (perm={list(perm)})")
    for i, p in enumerate(perm):
        if not 0 <= p < rank:
            raise rules.invalid(op, f"perm[{i}] = {p} is out of range [0 .. {rank})")
    if len(set(perm)) != rank:
        missing = min(set(range(rank)) - set(perm))
        raise rules.invalid(op, f"{missing} is missing from perm {{{','.join(map(str, perm))}}}")


def _transpose_rule(op):
    def rule(x, perm):
        _check_perm(op, perm, len(x.shape))
        return rules.Spec(tuple(x.shape[p] for p in perm), x.dtype)
    return rule


def _transpose_kernel(x, perm):
    _check_perm("Transpose", perm, x.ndim)
    return np.transpose(x, perm)


def _conjugate_transpose_kernel(x, perm):
    _check_perm("ConjugateTranspose", perm, x.ndim)
    return np.conj(np.transpose(x, perm))


def _inverse(perm):
    return tuple(int(i) for i in np.argsort(perm))


def _transpose_reference(x, perm):
    out = np.empty(tuple(x.shape[p] for p in perm), x.dtype)
    for index in np.ndindex(*x.shape):
        out[tuple(index[p] for p in perm)] = x[index]
    return out


def _transpose_samples():
    gen = rng(15)
    for shape, perm in [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((), ()), ((0, 2), (1, 0)),
                        ((1, 3, 1), (0, 2, 1))]:
        yield Sample((uniform(gen, shape),), dict(perm=perm))
    yield Sample((uniform(gen, (2, 3), dtype=np.float32),), dict(perm=(1, 0)), grad=False)
    yield Sample((integers(gen, (3, 2)),), dict(perm=(1, 0)), grad=False)


def _conjugate_transpose_samples():
    gen = rng(16)
    yield Sample((uniform(gen, (2, 3)),), dict(perm=(1, 0)))
    complex_input = uniform(gen, (2, 3)) + 1j * uniform(gen, (2, 3))
    yield Sample((complex_input.astype(np.complex64),), dict(perm=(1, 0)), grad=False)


Transpose = defop("Transpose", _transpose_kernel, _transpose_rule("Transpose"),
                  grad=lambda ins, out, dy, perm: (Transpose(dy, perm=_inverse(perm)),),
                  reference=_transpose_reference, samples=_transpose_samples)
ConjugateTranspose = defop(
    "ConjugateTranspose", _conjugate_transpose_kernel, _transpose_rule("ConjugateTranspose"),
    grad=lambda ins, out, dy, perm: (ConjugateTranspose(dy, perm=_inverse(perm)),),
    reference=lambda x, perm: np.conj(_transpose_reference(x, perm)),
    samples=_conjugate_transpose_samples)


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """`a` with its axes permuted by `perm` (reversed when None); conjugated if asked."""
    a = convert_to_tensor(a)
    perm = tuple(reversed(range(a.ndim))) if perm is None else shape_tuple(perm)
    if conjugate and a.dtype.is_complex:
        return ConjugateTranspose(a, perm=perm)
    return Transpose(a, perm=perm)


def _pass_through_samples():
    gen = rng(32)
    for shape in [(), (2, 3), (0, 2)]:
        yield Sample((uniform(gen, shape),))
    yield Sample((integers(gen, (2,)),), grad=False)
    yield Sample((np.array([True, False]),), grad=False)


Identity = defop("Identity", lambda x: x, rules.unary(),
                 grad=lambda ins, out, dy: (dy,), reference=lambda x: x.copy(),
                 samples=_pass_through_samples)
# TF's StopGradient: the forward pass is the identity; no gradient flows back.
StopGradient = defop("StopGradient", lambda x: x, rules.unary(), grad=None,
                     reference=lambda x: x.copy(), samples=_pass_through_samples)


def identity(input, name=None):  # noqa: A002  (TF's argument name)
    """A tensor with the same shape and contents as `input`."""
    return Identity(input)


def stop_gradient(input, name=None):  # noqa: A002
    """`input` unchanged, but no gradient flows back through it."""
    return StopGradient(input)


def _one_hot_position(op, rank, depth, axis):
    if not -1 <= axis <= rank:
        raise rules.invalid(op, f"Expected axis to be -1 or between [0, {rank + 1}).  But "
                                f"received: {axis}")
    if depth < 0:
        raise rules.invalid(op, f"depth must be non-negative, got: {depth}")
    return rank if axis == -1 else axis


def _one_hot_rule(indices, depth, on_value, off_value, axis, dtype):
    rules.require_dtype("OneHot", indices, dtypes.INTEGERS, "indices")
    position = _one_hot_position("OneHot", len(indices.shape), depth, axis)
    return rules.Spec(tuple(indices.shape[:position]) + (depth,)
                      + tuple(indices.shape[position:]), dtype)


def _one_hot_kernel(indices, depth, on_value, off_value, axis, dtype):
    if indices.dtype.kind not in "iu":
        raise TypeError("indices must be integers")
    position = _one_hot_position("OneHot", indices.ndim, depth, axis)
    hot = np.expand_dims(indices, -1) == np.arange(depth)
    values = np.where(hot, np.asarray(on_value, dtype._np), np.asarray(off_value, dtype._np))
    return np.moveaxis(values, -1, position)


def _one_hot_reference(indices, depth, on_value, off_value, axis, dtype):
    out = np.full(indices.shape + (depth,), off_value, dtype._np)
    for index in np.ndindex(*indices.shape):
        if 0 <= indices[index] < depth:
            out[index + (indices[index],)] = on_value
    return np.moveaxis(out, -1, indices.ndim if axis == -1 else axis)


def _one_hot_samples():
    f32, i32 = dtypes.float32, dtypes.int32
    cases = [([0, 2, 1], 3, 1.0, 0.0, -1, f32), ([[0, 3], [-1, 1]], 3, 5, -1, -1, i32),
             ([1, 0], 2, 1.0, 0.0, 0, f32), ([[1, 0]], 2, 1.0, 0.0, 1, dtypes.float64),
             (2, 4, True, False, -1, dtypes.bool), (np.zeros((0,), int), 2, 1.0, 0.0, -1, f32),
             ([1], 0, 1.0, 0.0, -1, f32)]
    for indices, depth, on, off, axis, dtype in cases:
        for index_dtype in (np.int32, np.int64):
            yield Sample((np.asarray(indices, index_dtype),),
                         dict(depth=depth, on_value=on, off_value=off, axis=axis, dtype=dtype))


OneHot = defop("OneHot", _one_hot_kernel, _one_hot_rule, grad=None,
               reference=_one_hot_reference, samples=_one_hot_samples)


def _one_hot_dtype(on_value, off_value, dtype):
    """TF's choice: `dtype`, else the dtype of on_value/off_value, else float32."""
    if dtype is not None:
        return dtypes.as_dtype(dtype)
    given = [convert_to_tensor(v).dtype for v in (on_value, off_value) if v is not None]
    if len(given) == 2 and given[0] != given[1]:
        raise TypeError(f"dtype {given[0]!r} of on_value does not match dtype {given[1]!r} of "
                        f"off_value")
    return given[0] if given else dtypes.float32


def _fill_value(value, default, dtype):
    """on_value/off_value as a Python scalar of `dtype` (`default` when not given)."""
    if value is None:
        return np.asarray(default).astype(dtype._np).item()
    value = convert_to_tensor(value, dtype=dtype)._value
    if np.ndim(value):
        raise ValueError(f"on_value and off_value must be scalars; got shape "
                         f"{list(np.shape(value))}")
    return value.item()


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot vectors of length `depth` along `axis` (-1: last); out-of-range indices give
    rows of off_value."""
    dtype = _one_hot_dtype(on_value, off_value, dtype)
    return OneHot(indices, depth=int(depth), on_value=_fill_value(on_value, 1, dtype),
                  off_value=_fill_value(off_value, 0, dtype),
                  axis=-1 if axis is None else int(axis),
                  dtype=dtype)
