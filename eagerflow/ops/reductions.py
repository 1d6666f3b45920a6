"""Reductions over axes: reduce_sum, reduce_mean, reduce_prod, reduce_max, …

Ops take `axis` as a tuple of ints (negative and repeated axes allowed, None for
all axes) and `keepdims`; the public functions accept what TF does (None, an
int, a list, a tensor). Reducing over an empty axis gives TF's identities:
sum 0, product 1, max -inf (the dtype's minimum for integers), mean nan.
"""

import math

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from . import array_ops, array_shape, math_binary, math_unary, scans
from . import shape_rules as rules
from .dynamic_shape import broadcast_like, fully_known, static_dim, static_shape
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform

REDUCTION_CASES = [((2, 3), None), ((2, 3), (0,)), ((2, 3), (-1,)), ((2, 3, 4), (0, 2)),
                   ((2, 3, 4), (-1, -3)), ((1, 3), (0,)), ((0, 3), (0,)), ((0, 3), (1,)),
                   ((), None), ((4,), ()), ((2, 3), (1, -1))]


def axis_tuple(axis):
    """TF's axis argument (None, int, list, tensor) as None or a tuple of ints."""
    if axis is None:
        return None
    axis = np.asarray(axis).reshape(-1)
    return tuple(int(a) for a in axis)


def kernel_axes(op, x, axis):
    """The sorted distinct non-negative axes a kernel reduces (all of them for None)."""
    if axis is None:
        return tuple(range(x.ndim))
    axes = rules.normalize_axes(op, axis, x.ndim)
    return axes if x.ndim else ()


def reduced_count(shape, axes):
    """How many elements each reduced slice holds."""
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


def divided_by_count(numerator, x, axes):
    """`numerator` over the number of elements in each reduced slice of x (at least 1): a
    Python float when x's shape is known, else a tensor of x's dtype computed at run time."""
    dims = [static_dim(x, a) for a in axes]
    if None not in dims:
        return numerator / max(math.prod(dims), 1)
    sizes = array_shape.shape(x)
    count = math.prod(d for d in dims if d is not None)
    for a, d in zip(axes, dims):
        if d is None:
            count = math_binary.multiply(sizes[a], count)
    count = math_unary.cast(math_binary.maximum(count, 1), x.dtype)
    return math_binary.divide(convert_to_tensor(numerator, dtype=x.dtype), count)


def reduction_rule(name, out_dtype=None):
    def rule(x, axis, keepdims):
        axes = rules.normalize_axes(name, axis, len(x.shape))
        return rules.Spec(rules.reduced_shape(x.shape, axes, keepdims), out_dtype or x.dtype)
    return rule


def reduction_samples(low=-2.0, high=2.0, extra=(np.float32,), make=None, grad=True):
    """Every REDUCTION_CASES shape and axis with keepdims both ways (from `make`, float64
    uniforms by default), then one (2, 3) sample per dtype in `extra` without a gradient."""
    gen = rng(7)
    make = make or (lambda shape: uniform(gen, shape, low, high))
    for shape, axis in REDUCTION_CASES:
        for keepdims in (False, True):
            yield Sample((make(shape),), dict(axis=axis, keepdims=keepdims), grad=grad)
    for dtype in extra:
        kind = np.dtype(dtype).kind
        if kind in "iu":
            x = integers(gen, (2, 3), 0 if kind == "u" else -5, 6, dtype)
        else:
            x = make((2, 3)).astype(dtype)
        yield Sample((x,), dict(axis=(1,), keepdims=False), grad=False)


def reduced_rows(x, axis):
    """Reference helper: the reduced slices of `x` as rows, the kept shape, the axes."""
    if axis is None:
        axes = list(range(x.ndim))
    else:
        axes = sorted({a % x.ndim for a in axis}) if x.ndim else []
    kept = [i for i in range(x.ndim) if i not in axes]
    kept_shape = [x.shape[i] for i in kept]
    n_cols = math.prod(x.shape[i] for i in axes)
    rows = np.transpose(x, kept + axes).reshape(math.prod(kept_shape), n_cols)
    return rows, kept_shape, axes


def rowwise(fn, dtype=np.float64):
    """A reference that applies fn(list of values) to each reduced slice, one by one."""
    def reference(x, axis, keepdims, **attrs):
        rows, kept_shape, axes = reduced_rows(x, axis)
        out = np.array([fn(list(row)) for row in rows], dtype=dtype).reshape(kept_shape)
        if keepdims:
            out = out.reshape([1 if i in axes else d for i, d in enumerate(x.shape)])
        return out
    return reference


def keepdims_form(t, x, axis, keepdims):
    """A reduction's output (or gradient) `t` reshaped with its reduced axes kept as 1."""
    if keepdims:
        return t
    shape = static_shape(x)
    axes = rules.normalize_axes("grad", axis, len(shape))
    if fully_known(shape):
        return array_ops.reshape(t, rules.reduced_shape(shape, axes, True))
    for a in axes:  # unknown kept dimensions: insert the reduced ones
        t = array_shape.expand_dims(t, a)
    return t


def expand_to_input(dy, x, axis, keepdims):
    """Reshapes a reduction's gradient to keepdims form and broadcasts it to x."""
    return broadcast_like(keepdims_form(dy, x, axis, keepdims), x)


# Past this many rows, summing the leading axes as a matrix product (BLAS, on every core)
# beats np.sum several times over, and rounds no worse.
_PRODUCT_SUM_ROWS = 4096


def _sum_kernel(x, axis, keepdims):
    axes = kernel_axes("Sum", x, axis)
    leading = len(axes)
    if axes == tuple(range(leading)) and 0 < leading < x.ndim and x.dtype.kind == "f" \
            and x.dtype.itemsize >= 4 and x.flags.c_contiguous:
        rows = math.prod(x.shape[:leading])
        if rows >= _PRODUCT_SUM_ROWS:  # e.g. a bias gradient over batch and pixels
            total = np.ones(rows, x.dtype) @ x.reshape(rows, -1)
            kept = x.shape[leading:]
            return total.reshape(((1,) * leading if keepdims else ()) + kept)
    return np.sum(x, axis=axes, keepdims=keepdims, dtype=x.dtype)


Sum = defop("Sum", _sum_kernel, reduction_rule("Sum"),
            grad=lambda ins, out, dy, axis, keepdims: (expand_to_input(dy, ins[0], axis,
                                                                       keepdims),),
            reference=rowwise(math.fsum),
            samples=lambda: reduction_samples(extra=(np.float32, np.int32)),
            dtypes=dtypes.NUMERIC)


def truncating_divide(total, count):
    """Integer division rounding toward zero, as TF's integer mean does."""
    return (total - np.fmod(total, count)) // count


def float_mean(x, axes, keepdims):
    """The mean of float or complex `x` over `axes` (float16 accumulates in float32)."""
    accumulator = np.float32 if x.dtype == np.float16 else x.dtype
    total = np.sum(x, axis=axes, keepdims=keepdims, dtype=accumulator)
    with np.errstate(invalid="ignore"):
        return (total / reduced_count(x.shape, axes)).astype(x.dtype)


def _mean_kernel(x, axis, keepdims):
    axes = kernel_axes("Mean", x, axis)
    if x.dtype.kind in "iu":
        total = np.sum(x, axis=axes, keepdims=keepdims, dtype=x.dtype)
        return truncating_divide(total, max(reduced_count(x.shape, axes), 1))
    return float_mean(x, axes, keepdims)


def _mean_grad(ins, out, dy, axis, keepdims):
    x = ins[0]
    scale = divided_by_count(1.0, x, kernel_axes("Mean", x._value, axis))
    return (math_binary.multiply(expand_to_input(dy, x, axis, keepdims), scale),)


def _mean_reference(x, axis, keepdims):
    if x.dtype.kind in "iu":
        def int_mean(row):
            total = sum(int(v) for v in row)
            quotient = abs(total) // max(len(row), 1)
            return quotient if total >= 0 else -quotient
        return rowwise(int_mean, x.dtype)(x, axis, keepdims)
    return rowwise(lambda row: math.fsum(row) / len(row) if row else math.nan)(x, axis, keepdims)


Mean = defop("Mean", _mean_kernel, reduction_rule("Mean"), grad=_mean_grad,
             reference=_mean_reference,
             samples=lambda: reduction_samples(extra=(np.float32, np.float16, np.int32)),
             dtypes=dtypes.NUMERIC)


def _prod_kernel(x, axis, keepdims):
    return np.prod(x, axis=kernel_axes("Prod", x, axis), keepdims=keepdims, dtype=x.dtype)


def product_of_others(x, axes):
    """For each element of x, the product of the other elements of its reduced slice,
    without dividing (zeros are fine). Over the last axis that is an exclusive cumprod
    from each side; each earlier axis contributes the same for the product over the
    axes after it."""
    result = None
    partial = x
    for axis in reversed(axes):
        others = math_binary.multiply(
            scans.cumprod(partial, axis, exclusive=True),
            scans.cumprod(partial, axis, exclusive=True, reverse=True))
        result = others if result is None else math_binary.multiply(result, others)
        partial = reduce_prod(partial, axis=axis, keepdims=True)
    return result


def _prod_grad(ins, out, dy, axis, keepdims):
    x = ins[0]
    grad = expand_to_input(dy, x, axis, keepdims)
    axes = kernel_axes("Prod", x._value, axis)
    if not axes:
        return (grad,)
    return (math_binary.multiply(grad, product_of_others(x, axes)),)


def _prod_samples():
    yield from reduction_samples(low=0.5, high=1.5, extra=(np.float32, np.int32))
    with_zeros = np.array([[1.5, 0.0, -0.7], [0.0, 0.0, 1.2], [0.9, 1.1, -1.3]])
    for axis in (None, (0,), (1,), (0, 1)):
        yield Sample((with_zeros,), dict(axis=axis, keepdims=False))


Prod = defop("Prod", _prod_kernel, reduction_rule("Prod"), grad=_prod_grad,
             reference=rowwise(math.prod), samples=_prod_samples, dtypes=dtypes.NUMERIC)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


def _max_kernel(x, axis, keepdims):
    return np.max(x, axis=kernel_axes("Max", x, axis), keepdims=keepdims,
                  initial=_lowest(x.dtype))


def _min_kernel(x, axis, keepdims):
    return np.min(x, axis=kernel_axes("Min", x, axis), keepdims=keepdims,
                  initial=_highest(x.dtype))


def _extremum_weights_rule(x, extremum, axis):
    if rules.broadcast_pair("ExtremumWeights", x.shape, extremum.shape) != tuple(x.shape):
        raise rules.invalid("ExtremumWeights", f"the extremum of shape {list(extremum.shape)} "
                                               f"must broadcast to the input's shape "
                                               f"{list(x.shape)}")
    return x


def _extremum_weights_kernel(x, extremum, axis):
    hits = x == extremum
    counts = np.sum(hits, axis=kernel_axes("ExtremumWeights", x, axis), keepdims=True,
                    dtype=x.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (hits / counts).astype(x.dtype)


def _extremum_weights_reference(x, extremum, axis):
    hits = np.vectorize(lambda a, b: 1.0 if a == b else 0.0, otypes=[float])(x, extremum)
    counts = rowwise(sum)(hits, axis, True)
    return hits / counts


def _extremum_weights_samples():
    ties = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    for axis in [(1,), (0,), None, (0, 1)]:
        axes = tuple(range(2)) if axis is None else axis
        yield Sample((ties, np.max(ties, axis=axes, keepdims=True)), dict(axis=axis))
        yield Sample((ties, np.min(ties, axis=axes, keepdims=True)), dict(axis=axis))
    yield Sample((ties[:0], np.zeros((1, 3))), dict(axis=(0,)))
    yield Sample((np.array(2.0, np.float32), np.array(2.0, np.float32)), dict(axis=None))


# dy is shared equally by tied extrema (TF's rule); the weights are piecewise constant.
ExtremumWeights = defop("ExtremumWeights", _extremum_weights_kernel, _extremum_weights_rule,
                        grad=None, reference=_extremum_weights_reference,
                        samples=_extremum_weights_samples, dtypes=dtypes.FLOATS)


def _extremum_grad(ins, out, dy, axis, keepdims):
    x = ins[0]
    weights = ExtremumWeights(x, keepdims_form(out, x, axis, keepdims), axis=axis)
    return (math_binary.multiply(expand_to_input(dy, x, axis, keepdims), weights),)


def _extremum_samples():
    return reduction_samples(extra=(np.float32, np.int32, np.uint8))


Max = defop("Max", _max_kernel, reduction_rule("Max"), grad=_extremum_grad,
            reference=rowwise(lambda row: max(row, default=-math.inf)),
            samples=_extremum_samples, dtypes=dtypes.REAL)
Min = defop("Min", _min_kernel, reduction_rule("Min"), grad=_extremum_grad,
            reference=rowwise(lambda row: min(row, default=math.inf)),
            samples=_extremum_samples, dtypes=dtypes.REAL)


def _bool_samples():
    gen = rng(8)
    return reduction_samples(make=lambda shape: gen.uniform(size=shape) < 0.5, extra=(),
                             grad=False)


def _any_kernel(x, axis, keepdims):
    return np.any(x, axis=kernel_axes("Any", x, axis), keepdims=keepdims)


def _all_kernel(x, axis, keepdims):
    return np.all(x, axis=kernel_axes("All", x, axis), keepdims=keepdims)


Any = defop("Any", _any_kernel, reduction_rule("Any"), grad=None,
            reference=rowwise(lambda row: True in row, bool), samples=_bool_samples,
            dtypes={dtypes.bool})
All = defop("All", _all_kernel, reduction_rule("All"), grad=None,
            reference=rowwise(lambda row: False not in row, bool), samples=_bool_samples,
            dtypes={dtypes.bool})


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across `axis` (all axes when None)."""
    return Sum(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean of elements across `axis`; integer tensors give a truncated integer mean."""
    return Mean(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product of elements across `axis`."""
    return Prod(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Maximum of elements across `axis`; tied maxima share the gradient equally."""
    return Max(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Minimum of elements across `axis`; tied minima share the gradient equally."""
    return Min(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical or of boolean elements across `axis`."""
    return Any(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical and of boolean elements across `axis`."""
    return All(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))
