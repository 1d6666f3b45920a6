"""Shapes known only at run time.

Eagerly every shape is known. In a graph a tensor's static shape may have
unknown (None) dimensions — a placeholder of shape [None, 3] — so an op that
takes a shape as a Python attribute cannot be given it while the graph is
built. The helpers here take the static op when the shape is known then (always,
eagerly), and otherwise one of these primitives, whose shape is a tensor
computed at run time (`tf.shape`):

    DynamicReshape(x, shape)      x's elements in `shape` (one entry may be -1)
    DynamicBroadcastTo(x, shape)  x broadcast to `shape`
    SumToShape(grad, shape)       grad summed over the axes along which a tensor of
                                  `shape` was broadcast (the gradient of broadcasting)

Each carries `known_shape`: what the graph knew of the shape's values (None for
an unknown entry; None for all of it when even its length is unknown), which
becomes the output's static shape. Ops with a shape or size attribute (gradient
ops such as StridedSliceGrad) keep it as an attribute, with None where unknown,
and take the run-time value as an extra input (`shape_inputs`, `run_time`).
"""

import numpy as np

from .. import dtypes
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_ops, array_shape
from . import shape_rules as rules
from .registry import Sample, defop
from .sample_inputs import rng, uniform


def static_shape(t):
    """What is known of t's shape before it runs: a tuple (None for an unknown dimension),
    or None when even the rank is unknown."""
    if t.__class__ is Tensor:
        return t._value.shape
    return getattr(t, "_shape", None) if context.is_symbolic(t) else tuple(t._value.shape)


def fully_known(shape):
    return shape is not None and None not in shape


def shape_inputs(x):
    """() when x's shape is known, else (tf.shape(x),): the run-time shape that an op
    whose shape attribute is x's static shape takes as an extra input."""
    return () if fully_known(static_shape(x)) else (array_shape.shape(x),)


def dim_inputs(x, axis):
    """() when x's size along `axis` (an int, or a slice for several) is known, else
    (tf.shape(x)[axis],)."""
    known = static_dim(x, axis)
    if fully_known(known if isinstance(axis, slice) else (known,)):
        return ()
    return (array_shape.shape(x)[axis],)


def dim(x, axis):
    """x's size along `axis`: an int when known, else a scalar tensor computed at run time
    (entries of a shape argument may mix both)."""
    known = static_dim(x, axis)
    return array_shape.shape(x)[axis] if known is None else known


def static_dim(x, axis):
    """x's size along `axis` (a tuple of sizes for a slice), None where unknown."""
    shape = static_shape(x)
    return None if shape is None else shape[axis]


def run_time(static, given):
    """In a kernel: the shape or size attribute `static`, or, when the graph did not know
    it, the run-time value its extra input `given` holds."""
    if not given:
        return static
    value = given[0]
    return int(value) if np.ndim(value) == 0 else tuple(int(d) for d in value)


def broadcast_axes(grad_shape, shape):
    """The axes of a gradient of `grad_shape` to sum to reach `shape`: its leading extra
    axes and those where `shape` has 1 (an unknown gradient dimension may be > 1)."""
    lead = len(grad_shape) - len(shape)
    return tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and grad_shape[lead + i] != 1)


# --- helpers for gradient rules ---------------------------------------------------------

def reshape_like(t, x):
    """`t` (with as many elements as x) in x's shape."""
    shape = static_shape(x)
    if fully_known(shape):
        return array_ops.Reshape(t, shape=tuple(shape))
    if shape is not None and shape.count(None) == 1 and 0 not in shape:  # -1 is unambiguous
        return array_ops.Reshape(t, shape=tuple(-1 if d is None else d for d in shape))
    return DynamicReshape(t, array_shape.shape(x), known_shape=shape)


def broadcast_like(t, x):
    """`t` broadcast to x's shape."""
    shape = static_shape(x)
    if fully_known(shape):
        return array_ops.BroadcastTo(t, shape=tuple(shape))
    return DynamicBroadcastTo(t, array_shape.shape(x), known_shape=shape)


def sum_to_shape_of(grad, x):
    """`grad` summed down to the run-time shape of x, which `grad`'s shape broadcasts."""
    return SumToShape(grad, array_shape.shape(x), known_shape=static_shape(x))


# --- shape arguments holding symbolic tensors -------------------------------------------

def is_symbolic_shape(shape):
    """Whether a shape argument is, or holds, a symbolic tensor (only while building)."""
    if context.is_symbolic(shape):
        return True
    return isinstance(shape, (list, tuple)) and any(context.is_symbolic(d) for d in shape)


def _known_scalar(t):
    """A scalar shape entry's value if the graph knows it (a constant, tf.shape(x)[i] of a
    known dimension), else None."""
    if not context.is_symbolic(t):
        return int(np.asarray(convert_to_tensor(t)._value))
    node = t.node
    if node.type == "Const":
        return int(node.attrs["value"]._value)
    if node.type == "StridedSlice" and node.inputs[0].node.type == "Shape":
        key = node.attrs["key"]
        if len(key) == 1 and isinstance(key[0], int):
            source = static_shape(node.inputs[0].node.inputs[0])
            return None if source is None else source[key[0]]
    return None


def _known_values(t):
    """What a graph knows of an int vector's values: x's static shape for tf.shape(x), a
    constant's values, a stack's known scalars; None entries where unknown."""
    node = t.node
    if node.type == "Shape":
        return static_shape(node.inputs[0])
    if node.type == "Const":
        return tuple(int(d) for d in np.asarray(node.attrs["value"]._value).reshape(-1))
    if node.type == "Pack":
        return tuple(_known_scalar(s) for s in node.inputs)
    shape = static_shape(t)
    return None if not fully_known(shape) or len(shape) != 1 else (None,) * shape[0]


def shape_tensor(shape):
    """A symbolic shape argument (`tf.shape(y)`, or a list mixing ints and scalar tensors
    such as [tf.shape(x)[0], -1]) as (a 1-D int tensor, its known values)."""
    if not context.is_symbolic(shape):
        shape = array_ops.stack(list(shape))
    return shape, _known_values(shape)


def reshape(tensor, shape):
    """tf.reshape with a symbolic shape."""
    shape, known = shape_tensor(shape)
    if fully_known(known) and known.count(-1) <= 1:
        return array_ops.Reshape(tensor, shape=known)
    return DynamicReshape(tensor, shape, known_shape=known)


def broadcast_to(tensor, shape):
    """tf.broadcast_to with a symbolic shape (also tf.zeros, tf.ones, tf.fill)."""
    shape, known = shape_tensor(shape)
    if fully_known(known):
        return array_ops.BroadcastTo(tensor, shape=known)
    return DynamicBroadcastTo(tensor, shape, known_shape=known)


# --- the primitives ---------------------------------------------------------------------

def _check_shape_input(op, shape, known_shape):
    rules.require_dtype(op, shape, (dtypes.int32, dtypes.int64), "shape")
    if len(shape.shape) != 1:
        raise rules.invalid(op, f"shape must be a vector, got shape {list(shape.shape)}")
    length = shape.shape[0]
    if known_shape is not None and length is not None and length != len(known_shape):
        raise rules.invalid(op, f"shape has {length} entries but known_shape "
                                f"{list(known_shape)} has {len(known_shape)}")


def _dynamic_reshape_rule(x, shape, known_shape):
    _check_shape_input("DynamicReshape", shape, known_shape)
    if known_shape is None:
        return rules.Spec(None, x.dtype)
    if list(known_shape).count(-1) > 1:
        raise rules.invalid("DynamicReshape", f"only one dimension of the new shape may be "
                                              f"-1; got {list(known_shape)}")
    if None in known_shape or None in x.shape:
        return rules.Spec(tuple(None if d == -1 else d for d in known_shape), x.dtype)
    return rules.Spec(array_ops.resolve_shape("DynamicReshape", x.shape, known_shape), x.dtype)


def _dynamic_broadcast_rule(x, shape, known_shape):
    _check_shape_input("DynamicBroadcastTo", shape, known_shape)
    if known_shape is None:
        return rules.Spec(None, x.dtype)
    out = rules.broadcast_pair("DynamicBroadcastTo", x.shape, known_shape)
    if len(out) != len(known_shape) or any(
            None not in (d, k) and d != k for d, k in zip(out, known_shape)):
        raise rules.invalid("DynamicBroadcastTo", f"Unable to broadcast tensor of shape "
                                                  f"{list(x.shape)} to tensor of shape "
                                                  f"{list(known_shape)}")
    return rules.Spec(tuple(d if k is None else k for d, k in zip(out, known_shape)), x.dtype)


def _sum_to_shape_rule(grad, shape, known_shape):
    _check_shape_input("SumToShape", shape, known_shape)
    if known_shape is None:
        return rules.Spec(None, grad.dtype)
    lead = len(grad.shape) - len(known_shape)
    if lead < 0 or any(t not in (None, 1) and g is not None and g != t
                       for g, t in zip(grad.shape[lead:], known_shape)):
        raise rules.invalid("SumToShape", f"a gradient of shape {list(grad.shape)} cannot "
                                          f"come from broadcasting shape {list(known_shape)}")
    return rules.Spec(tuple(known_shape), grad.dtype)


def _sum_to_shape_kernel(grad, shape, known_shape):
    shape = tuple(shape.tolist())
    lead = grad.ndim - len(shape)
    if lead < 0 or any(t != 1 and g != t for g, t in zip(grad.shape[lead:], shape)):
        raise ValueError("the gradient's shape does not broadcast from the target shape")
    axes = broadcast_axes(grad.shape, shape)
    if axes:
        grad = np.sum(grad, axis=axes, dtype=grad.dtype)
    return grad.reshape(shape)


def _sum_to_shape_reference(grad, shape, known_shape):
    shape = tuple(int(d) for d in shape)
    lead = grad.ndim - len(shape)
    out = np.zeros(shape, grad.dtype)
    for index in np.ndindex(*grad.shape):
        out[tuple(0 if t == 1 else i for i, t in zip(index[lead:], shape))] += grad[index]
    return out


def _samples(cases, seed):
    gen = rng(seed)
    for in_shape, shape, known in cases:
        yield Sample((uniform(gen, in_shape), np.array(shape, np.int32)),
                     dict(known_shape=known))
    in_shape, shape, known = cases[0]
    yield Sample((uniform(gen, in_shape).astype(np.float32), np.array(shape, np.int64)),
                 dict(known_shape=known), grad=False)


DynamicReshape = defop(
    "DynamicReshape", lambda x, shape, known_shape: np.reshape(x, shape.tolist()),
    _dynamic_reshape_rule, grad=lambda ins, out, dy, known_shape: (reshape_like(dy, ins[0]),
                                                                   None),
    reference=lambda x, shape, known_shape: x.reshape(tuple(int(d) for d in shape)),
    samples=lambda: _samples([((2, 3), (3, 2), (None, 2)), ((2, 3), (-1,), (-1,)),
                              ((6,), (2, -1), (None, -1)), ((), (1, 1), (1, 1)),
                              ((0, 3), (3, 0), (None, 0)), ((2, 3), (3, 2), (3, 2))], 91),
    same_dtype=False)
DynamicBroadcastTo = defop(
    "DynamicBroadcastTo", lambda x, shape, known_shape: np.broadcast_to(x, shape.tolist()),
    _dynamic_broadcast_rule, grad=lambda ins, out, dy, known_shape: (dy, None),
    reference=lambda x, shape, known_shape: x + np.zeros(tuple(int(d) for d in shape), x.dtype),
    samples=lambda: _samples([((3,), (2, 3), (None, 3)), ((2, 1), (2, 4), (2, None)),
                              ((), (2, 2), (None, None)), ((1,), (0,), (0,)),
                              ((2, 1), (3, 2, 4), (3, None, None))], 92),
    same_dtype=False, broadcasts=True)
SumToShape = defop(
    "SumToShape", _sum_to_shape_kernel, _sum_to_shape_rule,
    grad=lambda ins, out, dy, known_shape: (broadcast_like(dy, ins[0]), None),
    reference=_sum_to_shape_reference,
    samples=lambda: _samples([((2, 3), (3,), (3,)), ((2, 3), (2, 1), (None, 1)),
                              ((2, 3), (1, 3), (1, None)), ((2, 3), (2, 3), (2, 3)),
                              ((), (), ()), ((3, 1, 2), (1, 2), (None, 2)),
                              ((0, 3), (3,), (3,)), ((2, 0), (1, 0), (1, 0))], 93),
    same_dtype=False, dtypes=dtypes.NUMERIC)
