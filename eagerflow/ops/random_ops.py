"""Random tensors (tf.random.*): normal, uniform, truncated_normal, shuffle,
categorical, their stateless_* variants, and set_seed.

Random ops draw values rather than compute them, so they are plain functions
returning Tensors, not registered ops. Which NumPy Generator they draw from
follows TF's seed rules (framework/random_seed.py). When mean/stddev or
minval/maxval are tensors, the scaling runs through ops, so gradients reach
them as in TF; Python numbers are applied in NumPy.
"""

import numbers

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework import context, random_seed
from ..framework.convert import convert_to_tensor
from ..framework.random_seed import set_seed  # noqa: F401  (tf.random.set_seed)
from ..framework.tensor import wrap
from ..framework.tensor_shape import TensorShape
from . import dynamic_shape, math_binary

_NORMAL_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_UNIFORM_DTYPES = _NORMAL_DTYPES + (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)
_TRUNCATION = 2.0  # truncated_normal redraws values more than 2 stddevs from the mean


def _checked_shape(op, shape):
    """A shape given as a list, tuple, TensorShape or 1-D integer tensor, checked."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    array = np.asarray(shape)
    if array.size and array.dtype.kind not in "iu":
        raise InvalidArgumentError(f"{op}: shape must be integers; got {shape!r} "
                                   f"(dtype {array.dtype})")
    dims = tuple(int(d) for d in array.reshape(-1))
    if any(d < 0 for d in dims):
        raise InvalidArgumentError(f"{op}: shape {list(dims)} has a negative dimension")
    return dims


def _checked_dtype(op, dtype, allowed):
    dtype = dtypes.as_dtype(dtype)
    if dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise InvalidArgumentError(f"{op}: dtype {dtype.name} is not supported; it needs one "
                                   f"of: {names}")
    return dtype


def _is_number(value):
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _scale_shift(values, scale, shift, dtype):
    """values * scale + shift, broadcasting: in NumPy for Python numbers, else in ops."""
    if _is_number(scale) and _is_number(shift):
        if scale != 1:
            values *= scale
        if shift != 0:
            values += shift
        return wrap(values)
    scale = convert_to_tensor(scale, dtype=dtype)
    shift = convert_to_tensor(shift, dtype=dtype)
    return math_binary.add(math_binary.multiply(wrap(values), scale), shift)


def _standard_normal(gen, shape, dtype):
    draw_dtype = np.float64 if dtype == dtypes.float64 else np.float32
    return gen.standard_normal(shape, dtype=draw_dtype).astype(dtype._np, copy=False)


def _unit_uniform(gen, shape, dtype):
    """Uniform in [0, 1). float16 takes multiples of 2**-10, which it holds exactly."""
    if dtype == dtypes.float16:
        return (gen.integers(0, 1 << 10, size=shape) / 1024).astype(np.float16)
    return gen.random(shape, dtype=dtype._np)


def truncated_standard_normal(gen, shape, dtype):
    values = _standard_normal(gen, shape, dtype)
    outside = np.abs(values) > _TRUNCATION
    while outside.any():
        values[outside] = _standard_normal(gen, int(outside.sum()), dtype)
        outside = np.abs(values) > _TRUNCATION
    return values


def draw_normal(op, gen, shape, mean, stddev, dtype, draw=_standard_normal):
    dtype = _checked_dtype(op, dtype, _NORMAL_DTYPES)
    return _scale_shift(draw(gen, _checked_shape(op, shape), dtype), stddev, mean, dtype)


def _integer_bound(op, value, name):
    array = np.asarray(value)
    if array.ndim:
        raise InvalidArgumentError(f"{op}: {name} must be 0-D, got shape {list(array.shape)}")
    return int(array)


def draw_uniform(op, gen, shape, minval, maxval, dtype, full_range=False):
    dtype = _checked_dtype(op, dtype, _UNIFORM_DTYPES)
    shape = _checked_shape(op, shape)
    if dtype.is_integer:
        if full_range and minval is None and maxval is None:
            return wrap(gen.integers(dtype.min, dtype.max, size=shape, dtype=dtype._np,
                                     endpoint=True))
        if maxval is None or minval is None:
            raise ValueError(f"Must specify both minval and maxval for integer dtype "
                             f"{dtype!r}; got minval={minval} and maxval={maxval}.")
        low, high = _integer_bound(op, minval, "minval"), _integer_bound(op, maxval, "maxval")
        if low >= high:
            raise InvalidArgumentError(f"{op}: Need minval < maxval: {low} >= {high}")
        return wrap(gen.integers(low, high, size=shape, dtype=dtype._np))
    if maxval is None:
        maxval = 1
    values = _unit_uniform(gen, shape, dtype)
    if _is_number(minval) and _is_number(maxval):
        return _scale_shift(values, maxval - minval, minval, dtype)
    span = math_binary.subtract(convert_to_tensor(maxval, dtype=dtype),
                                convert_to_tensor(minval, dtype=dtype))
    return _scale_shift(values, span, minval, dtype)


def draw_categorical(op, gen, logits, num_samples, dtype):
    dtype = _checked_dtype(op, dtypes.int64 if dtype is None else dtype,
                           (dtypes.int32, dtypes.int64))
    logits = np.asarray(convert_to_tensor(logits)._value, dtype=np.float64)
    if logits.ndim != 2:
        raise InvalidArgumentError(f"{op}: logits should be a matrix, got shape "
                                   f"{list(logits.shape)}")
    batch, classes = logits.shape
    if classes == 0:
        raise InvalidArgumentError(f"{op}: num_classes should be positive, got 0")
    num_samples = _integer_bound(op, num_samples, "num_samples")
    if num_samples < 0:
        raise InvalidArgumentError(f"{op}: num_samples should be nonnegative, got "
                                   f"{num_samples}")
    # Inverse-CDF sampling for all rows at once: row r's CDF is shifted into [r, r + 1].
    with np.errstate(invalid="ignore"):
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        cdf = np.cumsum(weights, axis=1)
        cdf = cdf / cdf[:, -1:] + np.arange(batch)[:, None]
    draws = gen.random((batch, num_samples)) + np.arange(batch)[:, None]
    picks = np.searchsorted(cdf.reshape(-1), draws.reshape(-1), side="right")
    picks = picks.reshape(batch, num_samples) - classes * np.arange(batch)[:, None]
    return wrap(np.clip(picks, 0, classes - 1).astype(dtype._np))


def _stateless(op, seed):
    seed = np.asarray(convert_to_tensor(seed)._value)
    if seed.dtype.kind not in "iu":
        raise InvalidArgumentError(f"{op}: seed must be int32 or int64, got {seed.dtype}")
    if seed.shape != (2,):
        raise InvalidArgumentError(f"{op}: seed must have shape [2], not {list(seed.shape)}")
    return random_seed.stateless_generator(seed)


def _refuse_symbolic(op, *values):
    if any(context.is_symbolic(v) for v in values):
        raise NotImplementedError(
            f"{op} inside tf.function needs Python numbers (or eager tensors) for its "
            f"parameters; symbolic tensor parameters are not supported yet.")


def _drawn_at_run_time(op, shape, dtype, compute, *values):
    """compute(shape) now when eager; inside a graph, a node drawing anew on every run
    (with a shape such as tf.shape(x), read when the node runs)."""
    _refuse_symbolic(op, *values)
    if dynamic_shape.is_symbolic_shape(shape):
        run_time_shape, known = dynamic_shape.shape_tensor(shape)
        return context.at_run_time(compute, known, dtypes.as_dtype(dtype), op, run_time_shape)
    return context.at_run_time(compute, _checked_shape(op, shape), dtypes.as_dtype(dtype), op)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution with the given mean and standard deviation."""
    return _drawn_at_run_time(
        "RandomStandardNormal", shape, dtype,
        lambda shape: draw_normal("RandomStandardNormal", random_seed.generator(seed), shape,
                                  mean, stddev, dtype), mean, stddev)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Samples uniformly from [minval, maxval) (maxval defaults to 1 for floats)."""
    if dtypes.as_dtype(dtype).is_integer and maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dtypes.as_dtype(dtype)!r}")
    return _drawn_at_run_time(
        "RandomUniform", shape, dtype,
        lambda shape: draw_uniform("RandomUniform", random_seed.generator(seed), shape,
                                   minval, maxval, dtype), minval, maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None,
                     name=None):
    """Normal samples, redrawn until within two standard deviations of the mean."""
    return _drawn_at_run_time(
        "TruncatedNormal", shape, dtype,
        lambda shape: draw_normal("TruncatedNormal", random_seed.generator(seed), shape,
                                  mean, stddev, dtype, draw=truncated_standard_normal),
        mean, stddev)


def shuffle(value, seed=None, name=None):
    """`value` with its slices along the first axis in a random order."""
    _refuse_symbolic("RandomShuffle", value)
    value = convert_to_tensor(value)

    def compute(_shape):  # value's own
        array = value._value
        if array.ndim == 0:
            return wrap(array)
        return wrap(array[random_seed.generator(seed).permutation(array.shape[0])])
    return _drawn_at_run_time("RandomShuffle", value._value.shape, value.dtype, compute)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draws class indices from the distribution that each row of `logits` defines."""
    def compute(_shape):  # logits' rows by num_samples
        return draw_categorical("Multinomial", random_seed.generator(seed), logits,
                                num_samples, dtype)
    _refuse_symbolic("Multinomial", logits)
    rows = np.shape(convert_to_tensor(logits)._value)[:1]
    return _drawn_at_run_time("Multinomial", rows + (int(num_samples),),
                              dtypes.int64 if dtype is None else dtype, compute)


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """Normal samples determined by `seed` (shape [2]) alone."""
    op = "StatelessRandomNormal"
    return draw_normal(op, _stateless(op, seed), shape, mean, stddev, dtype)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """Uniform samples in [minval, maxval) determined by `seed` (shape [2]) alone; integer
    dtypes take both bounds, or neither for the full range."""
    op = "StatelessRandomUniform"
    return draw_uniform(op, _stateless(op, seed), shape, minval, maxval, dtype,
                         full_range=True)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """Truncated normal samples determined by `seed` (shape [2]) alone."""
    op = "StatelessTruncatedNormal"
    return draw_normal(op, _stateless(op, seed), shape, mean, stddev, dtype,
                        draw=truncated_standard_normal)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """Class indices drawn from each row of `logits`, determined by `seed` alone."""
    op = "StatelessMultinomial"
    return draw_categorical(op, _stateless(op, seed), logits, num_samples, dtype)
