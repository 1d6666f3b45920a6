"""Statistical and index reductions: reduce_logsumexp, reduce_variance, reduce_std,
reduce_euclidean_norm, argmax, argmin, count_nonzero.

They share the axis conventions of reductions.py.
"""

import math

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from . import math_binary, math_unary
from . import shape_rules as rules
from .reductions import (axis_tuple, divided_by_count, expand_to_input, float_mean,
                         keepdims_form, kernel_axes, reduce_mean, reduction_rule,
                         reduction_samples, rowwise)
from .registry import Sample, defop
from .sample_inputs import rng, uniform


def _logsumexp_kernel(x, axis, keepdims):
    axes = kernel_axes("ReduceLogSumExp", x, axis)
    peak = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
    peak = np.where(np.isfinite(peak), peak, 0).astype(x.dtype)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - peak), axis=axes, keepdims=True)) + peak
    return out if keepdims else np.squeeze(out, axis=axes)


def _logsumexp_grad(ins, out, dy, axis, keepdims):
    # The gradient is softmax(x) along the reduced axes: exp(x - logsumexp(x)).
    x = ins[0]
    softmax = math_unary.exp(math_binary.subtract(x, keepdims_form(out, x, axis, keepdims)))
    return (math_binary.multiply(expand_to_input(dy, x, axis, keepdims), softmax),)


def _logsumexp_row(row):
    peak = max(row, default=-math.inf)
    if not math.isfinite(peak):
        peak = 0.0
    total = math.fsum(math.exp(v - peak) for v in row)
    return math.log(total) + peak if total > 0 else -math.inf


def _logsumexp_samples():
    yield from reduction_samples()
    big = np.array([[1000.0, 999.0, 998.5], [-1000.0, -1001.0, -999.0]])
    yield Sample((big,), dict(axis=(1,), keepdims=False))
    yield Sample((np.array([-np.inf, -np.inf, 1.0]),), dict(axis=None, keepdims=False),
                 grad=False)
    yield Sample((np.array([[-np.inf, -np.inf]]),), dict(axis=(1,), keepdims=True), grad=False)


# A primitive rather than TF's composite: one pass, stable for large and infinite inputs.
ReduceLogSumExp = defop("ReduceLogSumExp", _logsumexp_kernel, reduction_rule("ReduceLogSumExp"),
                        grad=_logsumexp_grad, reference=rowwise(_logsumexp_row),
                        samples=_logsumexp_samples, dtypes=dtypes.FLOATS)


def _variance_kernel(x, axis, keepdims):
    axes = kernel_axes("ReduceVariance", x, axis)
    deviations = x - float_mean(x, axes, keepdims=True)
    return float_mean(deviations * deviations, axes, keepdims)


def _variance_grad(ins, out, dy, axis, keepdims):
    # d var / d x_i = 2 (x_i - mean) / n; the mean's own dependence on x sums to zero.
    x = ins[0]
    scale = divided_by_count(2.0, x, kernel_axes("ReduceVariance", x._value, axis))
    deviations = math_binary.subtract(x, reduce_mean(x, axis=axis, keepdims=True))
    scaled = math_binary.multiply(deviations, scale)
    return (math_binary.multiply(expand_to_input(dy, x, axis, keepdims), scaled),)


def _variance_row(row):
    if not row:
        return math.nan
    mean = math.fsum(row) / len(row)
    return math.fsum((v - mean) ** 2 for v in row) / len(row)


ReduceVariance = defop("ReduceVariance", _variance_kernel, reduction_rule("ReduceVariance"),
                       grad=_variance_grad, reference=rowwise(_variance_row),
                       samples=lambda: reduction_samples(extra=(np.float32, np.float16)),
                       dtypes=dtypes.FLOATS)


def _euclidean_norm_kernel(x, axis, keepdims):
    axes = kernel_axes("EuclideanNorm", x, axis)
    if x.dtype.kind == "c":
        squares = np.sum((x * np.conj(x)).real, axis=axes, keepdims=keepdims)
        return np.sqrt(squares).astype(x.dtype)
    squares = np.sum(x * x, axis=axes, keepdims=keepdims, dtype=x.dtype)
    if x.dtype.kind in "iu":
        # TF takes an integer's square root in floating point and truncates it.
        return np.sqrt(squares.astype(np.float64)).astype(x.dtype)
    return np.sqrt(squares)


def _euclidean_norm_grad(ins, out, dy, axis, keepdims):
    # d |x| / d x = x / |x|.
    x = ins[0]
    ratio = math_binary.divide(keepdims_form(dy, x, axis, keepdims),
                               keepdims_form(out, x, axis, keepdims))
    return (math_binary.multiply(x, ratio),)


def _euclidean_norm_reference(x, axis, keepdims):
    if x.dtype.kind in "iu":
        def integer_norm(row):
            return math.isqrt(sum(int(v) ** 2 for v in row))
        return rowwise(integer_norm, x.dtype)(x, axis, keepdims)
    return rowwise(lambda row: math.hypot(*row))(x, axis, keepdims)


EuclideanNorm = defop("EuclideanNorm", _euclidean_norm_kernel, reduction_rule("EuclideanNorm"),
                      grad=_euclidean_norm_grad, reference=_euclidean_norm_reference,
                      samples=lambda: reduction_samples(extra=(np.float32, np.int32)),
                      dtypes=dtypes.NUMERIC)


def _arg_rule(name):
    def rule(x, axis, output_type):
        if not x.shape:
            raise rules.invalid(name, f"Expected dimension in the range [0, 0), but got "
                                      f"{axis}: the input is a scalar")
        axis = rules.normalize_axis(name, axis, len(x.shape))
        if x.shape[axis] == 0:
            raise rules.invalid(name, f"Reduction axis {axis} is empty in shape "
                                      f"{list(x.shape)}")
        return rules.Spec(x.shape[:axis] + x.shape[axis + 1:], output_type)
    return rule


def _arg_kernel(find):
    def kernel(x, axis, output_type):
        if x.ndim == 0:
            raise ValueError("cannot search a scalar along an axis")
        return find(x, axis=axis).astype(output_type._np)
    return kernel


def _arg_reference(pick):
    def reference(x, axis, output_type):
        def first_index(row):
            return pick(range(len(row)), key=lambda i: row[i])
        return rowwise(first_index, output_type._np)(x, (axis,), False)
    return reference


def _arg_samples():
    gen = rng(31)
    cases = [((5,), 0), ((2, 3), 0), ((2, 3), 1), ((2, 3), -1), ((2, 3, 4), 1), ((2, 0), 0),
             ((1, 1), 0)]
    for shape, axis in cases:
        yield Sample((uniform(gen, shape),), dict(axis=axis, output_type=dtypes.int64))
    ties = np.array([[3, 1, 3], [0, 0, -2]], dtype=np.int32)
    yield Sample((ties,), dict(axis=1, output_type=dtypes.int32), grad=False)
    yield Sample((ties.astype(np.float32),), dict(axis=0, output_type=dtypes.int32), grad=False)
    yield Sample((np.array([False, True, True]),), dict(axis=0, output_type=dtypes.int64),
                 grad=False)


ArgMax = defop("ArgMax", _arg_kernel(np.argmax), _arg_rule("ArgMax"), grad=None,
               reference=_arg_reference(max), samples=_arg_samples,
               dtypes=dtypes.REAL | {dtypes.bool})
ArgMin = defop("ArgMin", _arg_kernel(np.argmin), _arg_rule("ArgMin"), grad=None,
               reference=_arg_reference(min), samples=_arg_samples,
               dtypes=dtypes.REAL | {dtypes.bool})


def _count_nonzero_kernel(x, axis, keepdims, dtype):
    axes = kernel_axes("CountNonzero", x, axis)
    return np.sum(x.astype(bool), axis=axes, keepdims=keepdims, dtype=dtype._np)


_reduced_spec = reduction_rule("CountNonzero")


def _count_nonzero_rule(x, axis, keepdims, dtype):
    return _reduced_spec(x, axis, keepdims)._replace(dtype=dtype)


def _count_nonzero_samples():
    gen = rng(32)
    for sample in reduction_samples(make=lambda shape: np.round(uniform(gen, shape, -1, 1)),
                                    extra=(np.int32,), grad=False):
        yield Sample(sample.inputs, dict(sample.attrs, dtype=dtypes.int64), grad=False)
    yield Sample((np.array([[True, False], [True, True]]),),
                 dict(axis=(0,), keepdims=True, dtype=dtypes.int32), grad=False)
    yield Sample((np.array([b"", b"a", b"bc"], dtype=object),),
                 dict(axis=None, keepdims=False, dtype=dtypes.float32), grad=False)


CountNonzero = defop("CountNonzero", _count_nonzero_kernel, _count_nonzero_rule, grad=None,
                     reference=rowwise(lambda row: sum(1 for v in row if v)),
                     samples=_count_nonzero_samples)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(input_tensor))) across `axis`, computed without overflow."""
    return ReduceLogSumExp(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def _float_input(name, value):
    tensor = convert_to_tensor(value)
    if not tensor.dtype.is_floating:
        raise TypeError(f"{name}: input must be a floating-point tensor; received "
                        f"{tensor.dtype.name}")
    return tensor


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance (mean squared deviation from the mean) across `axis`."""
    tensor = _float_input("reduce_variance", input_tensor)
    return ReduceVariance(tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation across `axis`."""
    return math_unary.sqrt(reduce_variance(input_tensor, axis, keepdims))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum(x**2)) across `axis` (truncated to an integer for integer tensors)."""
    return EuclideanNorm(input_tensor, axis=axis_tuple(axis), keepdims=bool(keepdims))


def _arg_axis(axis):
    return 0 if axis is None else int(np.asarray(axis).reshape(()))


def _index_type(name, output_type):
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64):
        raise TypeError(f"{name}: output_type must be one of int16, uint16, int32, int64; "
                        f"received {output_type.name}")
    return output_type


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Index of the largest value across `axis` (0 when None); ties give the first index."""
    return ArgMax(input, axis=_arg_axis(axis), output_type=_index_type("argmax", output_type))


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Index of the smallest value across `axis` (0 when None); ties give the first index."""
    return ArgMin(input, axis=_arg_axis(axis), output_type=_index_type("argmin", output_type))


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    """Number of non-zero (for strings: non-empty) elements across `axis`."""
    return CountNonzero(input, axis=axis_tuple(axis), keepdims=bool(keepdims),
                        dtype=dtypes.as_dtype(dtype))
