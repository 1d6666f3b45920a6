"""Slicing by symbolic tensors: x[i], x[i:j], x[:, i] with i, j known only when a graph
runs (a loop counter, tf.shape(x)[0] - 1).

    DynamicStridedSlice(x, *indices, key)                x[key], its TENSOR parts the indices
    DynamicStridedSliceGrad(dy, *indices[, x_shape], shape, key)
                                                         dy scattered into zeros of x's shape

The key is StridedSlice's (`slice_keys.py`) with TENSOR where a scalar int tensor
(an input after the first, in key order) gives an index or a bound. The graph
knows the output's shape except along a slice with tensor bounds (None there); a
tensor index drops its axis as an int does, and the kernel checks it against the
run-time size. The gradient takes x's run-time shape as an extra input where the
graph does not know it; the gradient of the scatter is the slice again.
"""

import numpy as np

from . import shape_rules as rules
from .dynamic_shape import run_time, shape_inputs, static_shape
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from .slice_keys import (ALL, INDEX_DTYPES, TENSOR, count_tensors, numpy_key, resolved,
                         scatter_reference, scattered_shape, slice_reference, sliced_shape)


def _check_indices(op, indices, key):
    if len(indices) != count_tensors(key):
        raise rules.invalid(op, f"key {key} has {count_tensors(key)} tensor parts but "
                                f"{len(indices)} index inputs were given")
    for spec in indices:
        rules.require_dtype(op, spec, INDEX_DTYPES, "an index")
        if spec.shape != ():
            raise rules.invalid(op, f"an index must be a scalar, got shape {list(spec.shape)}")


def _slice_rule(x, *indices, key):
    _check_indices("DynamicStridedSlice", indices, key)
    return rules.Spec(sliced_shape("DynamicStridedSlice", x.shape, key), x.dtype)


def _slice_kernel(x, *indices, key):
    key = resolved(key, indices)
    sliced_shape("DynamicStridedSlice", x.shape, key)  # TF's errors, now that indices are known
    return x[numpy_key(key)]


def _slice_grad(ins, out, dy, key):
    x, indices = ins[0], ins[1:]
    dx = DynamicStridedSliceGrad(dy, *indices, *shape_inputs(x), shape=static_shape(x),
                                 key=key)
    return (dx,) + (None,) * len(indices)


def _scatter_rule(dy, *inputs, shape, key):
    _check_indices("DynamicStridedSliceGrad", inputs[:count_tensors(key)], key)
    return rules.Spec(scattered_shape("DynamicStridedSliceGrad", dy.shape, shape, key),
                      dy.dtype)


def _scatter_kernel(dy, *inputs, shape, key):
    count = count_tensors(key)
    out = np.zeros(run_time(shape, inputs[count:]), dy.dtype)
    out[numpy_key(resolved(key, inputs[:count]))] = dy
    return out


def _scatter_reference(dy, *inputs, shape, key):
    count = count_tensors(key)
    return scatter_reference(dy, run_time(shape, inputs[count:]),
                             resolved(key, inputs[:count]))


def _scatter_grad(ins, out, ddy, shape, key):
    indices = ins[1:1 + count_tensors(key)]
    return (DynamicStridedSlice(ddy, *indices, key=key),) + (None,) * (len(ins) - 1)


# (x's shape, key, the values of its TENSOR parts): x[i], x[-i], x[i, :], x[:, i], x[i:j],
# x[:n], tensor strides, tensor and static parts mixed, bounds clamped, empty axes.
CASES = [
    ((5,), (TENSOR,), (3,)), ((5,), (TENSOR,), (-1,)), ((3, 4), (TENSOR, ALL), (1,)),
    ((3, 4), (ALL, TENSOR), (-2,)), ((5,), ((TENSOR, TENSOR, 1),), (1, 4)),
    ((5,), ((None, TENSOR, 1),), (3,)), ((6,), ((TENSOR, None, TENSOR),), (4, -2)),
    ((3, 4), (-1, TENSOR), (2,)), ((2, 3, 4), (None, TENSOR, Ellipsis, (TENSOR, None, 1)),
                                  (1, 2)),
    ((5,), ((TENSOR, TENSOR, 1),), (-10, 10)), ((0, 3), ((TENSOR, TENSOR, 1), 1), (0, 5)),
    ((2, 3), (TENSOR, TENSOR), (1, 2)),
]


def _indices(values, dtype=np.int32):
    return tuple(np.array(v, dtype) for v in values)


def _slice_samples():
    gen = rng(43)
    for shape, key, values in CASES:
        yield Sample((uniform(gen, shape),) + _indices(values), dict(key=key))
    yield Sample((uniform(gen, (3, 2), dtype=np.float32),) + _indices((2,), np.int64),
                 dict(key=(TENSOR,)), grad=False)
    yield Sample((integers(gen, (4,)), np.array(1, np.int32)),
                 dict(key=((TENSOR, None, 2),)), grad=False)


def _scatter_samples():
    gen = rng(44)
    for shape, key, values in CASES:
        dy_shape = sliced_shape("DynamicStridedSliceGrad", shape, resolved(key, values))
        yield Sample((uniform(gen, dy_shape),) + _indices(values), dict(shape=shape, key=key))
    yield Sample((uniform(gen, (4,)), np.array(1, np.int32), np.array([3, 4], np.int32)),
                 dict(shape=(None, 4), key=(TENSOR, ALL)))
    yield Sample((uniform(gen, (2,)), np.array(1, np.int64), np.array([2, 3], np.int64)),
                 dict(shape=(2, None), key=(ALL, TENSOR)))
    yield Sample((integers(gen, (2,)), np.array(1, np.int32)),
                 dict(shape=(4,), key=((TENSOR, None, 2),)), grad=False)


DynamicStridedSlice = defop(
    "DynamicStridedSlice", _slice_kernel, _slice_rule, grad=_slice_grad,
    reference=lambda x, *indices, key: slice_reference(x, resolved(key, indices)),
    samples=_slice_samples, same_dtype=False)
DynamicStridedSliceGrad = defop(
    "DynamicStridedSliceGrad", _scatter_kernel, _scatter_rule, grad=_scatter_grad,
    reference=_scatter_reference, samples=_scatter_samples, same_dtype=False)
