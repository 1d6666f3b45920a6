"""Misc nn ops: bias_add, l2_loss (primitives); dropout, moments,
batch_normalization, normalize_moments (composites of primitive ops)."""

import math
import numbers

import numpy as np

from .. import dtypes
from ..framework import context, random_seed
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap
from . import array_ops, dynamic_shape, math_binary, math_unary, reductions
from . import sample_inputs as si
from . import shape_rules as rules
from .registry import Sample, defop


# --- bias_add ---------------------------------------------------------------------------------

def _channel_axis(rank, data_format):
    return 1 if data_format == "NCHW" else rank - 1


def _bias_add_kernel(value, bias, data_format):
    axis = _channel_axis(value.ndim, data_format)
    if value.ndim < 2 or bias.ndim != 1 or bias.shape[0] != value.shape[axis]:
        raise ValueError("bias does not match the channel dimension of value")
    return value + bias.reshape(bias.shape + (1,) * (value.ndim - 1 - axis))


def _bias_add_rule(value, bias, data_format):
    name = "BiasAdd"
    rank = len(value.shape)
    if rank < 2:
        raise rules.invalid(name, f"Input tensor must be at least 2D: {list(value.shape)}")
    if len(bias.shape) != 1:
        raise rules.invalid(name, f"Biases must be 1D: {list(bias.shape)}")
    axis = _channel_axis(rank, data_format)
    channels, size = value.shape[axis], bias.shape[0]
    if channels is not None and size is not None and channels != size:
        which = "last" if data_format == "NHWC" else "channel"
        raise rules.invalid(name, f"Must provide as many biases as the {which} dimension of "
                                  f"the input tensor ({data_format}): {list(bias.shape)} vs. "
                                  f"{list(value.shape)}")
    return value


def _bias_add_grad(inputs, output, dy, data_format):
    rank = len(dy._value.shape)
    channel = _channel_axis(rank, data_format)
    others = [a for a in range(rank) if a != channel]
    return dy, reductions.reduce_sum(dy, axis=others)


def _bias_add_reference(value, bias, data_format):
    out = value.astype(np.float64)
    axis = _channel_axis(value.ndim, data_format)
    for c in range(bias.shape[0]):
        index = (slice(None),) * axis + (c,)
        out[index] += bias[c]
    return out


def _bias_add_samples():
    gen = si.rng(61)
    cases = [((2, 3), "NHWC"), ((2, 3), "NCHW"), ((2, 2, 2, 3), "NHWC"), ((2, 3, 2, 2), "NCHW"),
             ((2, 3, 4), "NCHW"), ((1, 1), "NHWC"), ((0, 3), "NHWC"), ((2, 0), "NHWC")]
    for shape, data_format in cases:
        channels = shape[_channel_axis(len(shape), data_format)]
        yield Sample((si.uniform(gen, shape), si.uniform(gen, (channels,))),
                     dict(data_format=data_format))
    yield Sample((si.uniform(gen, (2, 3)).astype(np.float32),
                  si.uniform(gen, (3,)).astype(np.float32)), dict(data_format="NHWC"),
                 grad=False)
    yield Sample((si.integers(gen, (2, 3, 2)), si.integers(gen, (3,))),
                 dict(data_format="NCHW"), grad=False)


BiasAdd = defop("BiasAdd", _bias_add_kernel, _bias_add_rule, grad=_bias_add_grad,
                reference=_bias_add_reference, samples=_bias_add_samples,
                dtypes=dtypes.NUMERIC)


def bias_add(value, bias, data_format=None, name=None):
    """value + bias along the channel dimension (last for N...C, second for NC...)."""
    return BiasAdd(value, bias, data_format=_bias_data_format(data_format))


def _bias_data_format(data_format):
    if data_format is None:
        return "NHWC"
    if data_format.startswith("NC"):
        return "NCHW"
    if data_format.startswith("N") and data_format.endswith("C"):
        return "NHWC"
    raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. Received: "
                     f"data_format={data_format}")


# --- l2_loss ----------------------------------------------------------------------------------

def _l2_loss_kernel(t):
    return t.dtype.type(np.vdot(t, t) / 2)


L2Loss = defop("L2Loss", _l2_loss_kernel, lambda t: rules.Spec((), t.dtype),
               grad=lambda ins, out, dy: (math_binary.multiply(dy, ins[0]),),
               reference=lambda t: math.fsum(float(v) ** 2 for v in t.ravel()) / 2,
               samples=lambda: si.elementwise(1), dtypes=dtypes.FLOATS)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2, without the square root."""
    return L2Loss(t)


# --- dropout ----------------------------------------------------------------------------------

def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zeroes each element with probability `rate` and scales the rest by 1 / (1 - rate)."""
    rate = _checked_rate(rate)
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"x has to be a floating point tensor since it's going to be scaled. "
                         f"Got a {x.dtype.name} tensor instead.")
    if rate == 0:
        return x
    shape = _noise_shape(x, noise_shape)

    def draw_mask(shape):
        draw = random_seed.generator(seed).random(shape)
        return wrap(np.where(draw >= rate, 1 / (1 - rate), 0).astype(x.dtype._np))
    run_time_shape = None
    if None in shape:  # a graph that knows some of x's dimensions only at run time
        run_time_shape = array_ops.stack([dynamic_shape.dim(x, i) if d is None else d
                                          for i, d in enumerate(shape)])
    return math_binary.multiply(x, context.at_run_time(draw_mask, shape, x.dtype,
                                                       "DropoutMask", run_time_shape))


def _checked_rate(rate):
    if not isinstance(rate, numbers.Real):
        rate = convert_to_tensor(rate)
        if rate.shape.rank != 0:
            raise ValueError(f"`rate` must be a scalar tensor; got shape {rate.shape}")
    rate = float(rate)
    if not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate:g}")
    return rate


def _noise_shape(x, noise_shape):
    """The mask's shape: x's by default; None entries of `noise_shape` take x's dims
    (None where a graph knows them only at run time)."""
    shape = x.shape.as_list()
    if noise_shape is None:
        return tuple(shape)
    if isinstance(noise_shape, (list, tuple)):
        dims = list(noise_shape)
    else:
        dims = np.asarray(convert_to_tensor(noise_shape)).reshape(-1).tolist()
    if len(dims) == len(shape):
        dims = [s if d is None else d for d, s in zip(dims, shape)]
    return tuple(None if d is None else int(d) for d in dims)


# --- moments and batch normalization ----------------------------------------------------------

def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of x over `axes`; `shift` is accepted and unused, as in TF."""
    x = convert_to_tensor(x)
    axes = [int(a) for a in np.asarray(axes).reshape(-1)]
    low_precision = x.dtype == dtypes.float16
    y = math_unary.cast(x, dtypes.float32) if low_precision else x
    mean = reductions.reduce_mean(y, axes, keepdims=True)
    squared = math_binary.squared_difference(y, array_ops.stop_gradient(mean))
    variance = reductions.reduce_mean(squared, axes, keepdims=keepdims)
    if not keepdims:
        mean = array_ops.reshape(mean, variance.shape)
    if low_precision:
        mean = math_unary.cast(mean, dtypes.float16)
        variance = math_unary.cast(variance, dtypes.float16)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) · scale / sqrt(variance + epsilon) + offset, computed as TF does:
    x · inv + (offset - mean · inv) with inv = scale / sqrt(variance + epsilon)."""
    x, variance = convert_to_tensor(x), convert_to_tensor(variance)
    inv = math_unary.rsqrt(math_binary.add(variance, variance_epsilon))
    if scale is not None:
        inv = math_binary.multiply(inv, scale)
    scaled_mean = math_binary.multiply(mean, inv)
    if offset is None:
        shift = math_unary.negative(scaled_mean)
    else:
        shift = math_binary.subtract(offset, scaled_mean)
    return math_binary.add(math_binary.multiply(x, _to_dtype(inv, x.dtype)),
                           _to_dtype(shift, x.dtype))


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """(mean, variance) from a count and (shifted) sufficient statistics."""
    divisor = math_binary.truediv(1, convert_to_tensor(counts))
    shifted_mean = math_binary.multiply(mean_ss, divisor)
    mean = shifted_mean if shift is None else math_binary.add(shifted_mean, shift)
    variance = math_binary.subtract(math_binary.multiply(variance_ss, divisor),
                                    math_unary.square(shifted_mean))
    return mean, variance


def _to_dtype(tensor, dtype):
    return tensor if tensor.dtype == dtype else math_unary.cast(tensor, dtype)
