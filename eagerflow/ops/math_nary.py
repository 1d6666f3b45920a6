"""Elementwise ops over more than two tensors: add_n and clip_by_value."""

from collections.abc import Iterable

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from . import comparison
from . import creation
from . import sample_inputs as si
from . import shape_rules as rules
from .math_binary import convert_like, scalar_reference
from .registry import Sample, defop


def _compatible(shape, other):
    """Whether two shapes can be the same (None matches any size)."""
    return len(shape) == len(other) and all(
        a is None or b is None or a == b for a, b in zip(shape, other))


def _add_n_rule(*specs):
    first = specs[0]
    for i, spec in enumerate(specs[1:], 1):
        if not _compatible(first.shape, spec.shape):
            raise rules.invalid("AddN", f"Inputs must have the same shape: input 0 has shape "
                                        f"{list(first.shape)} but input {i} has shape "
                                        f"{list(spec.shape)}")
    return first


def _add_n_kernel(*xs):
    total = xs[0]
    for x in xs[1:]:
        if x.shape != total.shape:
            raise ValueError("inputs differ in shape")
        total = np.add(total, x)
    return total


def _add_n_samples():
    gen = si.rng(42)
    for shape, n in [((2, 3), 3), ((), 2), ((4,), 1), ((0, 3), 2), ((1, 2), 4)]:
        yield Sample(tuple(si.uniform(gen, shape) for _ in range(n)))
    for dtype in (np.float32, np.int32):
        yield Sample(tuple(si.integers(gen, (2, 3), dtype=dtype) for _ in range(3)), grad=False)


AddN = defop("AddN", _add_n_kernel, _add_n_rule,
             grad=lambda ins, out, dy: tuple(dy for _ in ins),
             reference=lambda *xs: sum(x.astype(np.float64) for x in xs),
             samples=_add_n_samples, dtypes=dtypes.NUMERIC)


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors that share one shape and dtype."""
    is_sequence = isinstance(inputs, Iterable) and not isinstance(inputs, Tensor)
    inputs = list(inputs) if is_sequence else []
    if not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    return AddN(*inputs)


def _clip_rule(t, low, high):
    shape = rules.broadcast("ClipByValue")(t, low, high).shape
    if not _compatible(shape, t.shape):
        raise rules.invalid("ClipByValue", f"clip values of shapes {list(low.shape)} and "
                                           f"{list(high.shape)} would broadcast t of shape "
                                           f"{list(t.shape)} to {list(shape)}")
    return rules.Spec(tuple(t.shape), t.dtype)


def _clip_grad(ins, out, dy):
    t, low, high = ins
    below = comparison.less(t, low)
    above = comparison.greater(t, high)
    inside = comparison.logical_not(comparison.logical_or(below, above))
    zeros = creation.zeros_like(dy)
    return (comparison.where(inside, dy, zeros), comparison.where(below, dy, zeros),
            comparison.where(above, dy, zeros))


def _clip_samples():
    gen = si.rng(44)
    cases = [((2, 3), (), ()), ((2, 3), (3,), (2, 1)), ((), (), ()), ((0, 3), (), (3,)),
             ((4,), (1,), ())]
    for t_shape, low_shape, high_shape in cases:
        t = si.away_from(gen, t_shape, [-1.0, 1.0], margin=0.25)
        yield Sample((t, si.uniform(gen, low_shape, -1.2, -0.8),
                      si.uniform(gen, high_shape, 0.8, 1.2)))
    ints = si.integers(gen, (2, 3), -6, 6)
    yield Sample((ints, np.int32(-2), np.array([1, 5, 0], np.int32)), grad=False)


ClipByValue = defop("ClipByValue",
                    lambda t, low, high: np.maximum(np.minimum(t, high), low), _clip_rule,
                    grad=_clip_grad,
                    reference=scalar_reference(lambda t, low, high: max(min(t, high), low)),
                    samples=_clip_samples, dtypes=dtypes.REAL, broadcasts=True)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """t with values below clip_value_min raised to it and above clip_value_max lowered."""
    t = convert_to_tensor(t)
    low = convert_like(clip_value_min, t.dtype)
    high = convert_like(clip_value_max, t.dtype)
    t_shape = t._value.shape
    shape = rules.broadcast_pair("ClipByValue", t_shape, low._value.shape)
    shape = rules.broadcast_pair("ClipByValue", shape, high._value.shape)
    if shape != t_shape:
        raise ValueError(f"Shapes {t_shape} and {shape} are incompatible: clip values of shapes "
                         f"{low._value.shape} and {high._value.shape} would broadcast t")
    return ClipByValue(t, low, high)
