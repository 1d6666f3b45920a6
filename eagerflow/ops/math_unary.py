"""Unary elementwise math: negative, exp, abs, powers, logarithms, tanh, sigmoid, erf, cast.

Kernels whose results TF gives silently as inf/nan (log(0), sqrt(-1), exp
overflow) run with NumPy's floating-point warnings off. Gradients follow TF's
rules for real inputs (sign's gradient is zero). Trigonometric functions live in
math_trig.py, rounding and float classification in math_rounding.py.
"""

import math

import numpy as np

from .. import dtypes
from ..errors import UnimplementedError
from ..framework.convert import convert_to_tensor
from . import creation
from . import math_binary
from . import sample_inputs as si
from . import shape_rules as rules
from .registry import Sample, defop

FLOATS = dtypes.FLOATS
INEXACT = dtypes.FLOATS | dtypes.COMPLEX
SIGNED = INEXACT | {dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64}


def define_unary(name, kernel, grad, reference, samples=None, allowed=INEXACT,
                 out_dtype=None):
    """Registers an elementwise op of one input whose output has the input's shape."""
    return defop(name, kernel, rules.unary(out_dtype), grad=grad, reference=reference,
                 samples=samples or unary_samples(), dtypes=allowed)


def quiet(ufunc):
    """`ufunc` as a kernel that gives inf/nan without NumPy's RuntimeWarnings, as TF does."""
    def kernel(x):
        with np.errstate(all="ignore"):
            return ufunc(x)
    kernel.ufunc = ufunc  # what graph fusion runs under one errstate
    return kernel


def unary_samples(low=-2.0, high=2.0, extra=(np.float32,), avoid=None):
    """Elementwise samples in [low, high], kept off the points in `avoid` (kinks, poles)."""
    def samples():
        gen = si.rng(5)
        make = None if avoid is None else (
            lambda shape: si.away_from(gen, shape, avoid, low, high, margin=0.2))
        return si.elementwise(1, low, high, dtypes=extra, make=make)
    return samples


def scalar_reference(fn, otype=np.float64):
    """An independent reference: `fn` applied to each element as a Python scalar."""
    return np.vectorize(fn, otypes=[otype])


Neg = define_unary("Neg", np.negative, lambda ins, out, dy: (negative(dy),), lambda x: -x,
                   samples=unary_samples(extra=(np.float32, np.int32)), allowed=SIGNED)
Exp = define_unary("Exp", quiet(np.exp),
                   lambda ins, out, dy: (math_binary.multiply(dy, out),),
                   lambda x: np.e ** x)


def negative(x, name=None):
    """-x elementwise."""
    return Neg(x)


def exp(x, name=None):
    """e ** x elementwise."""
    return Exp(x)


# --- absolute value, sign, powers, logarithms ------------------------------------------------

def _abs_rule(x):
    return rules.Spec(x.shape, x.dtype.real_dtype)


def _abs_grad(ins, out, dy):
    x = ins[0]
    if x.dtype.is_complex:  # TF's ComplexAbs gradient: dy * x / |x|
        scaled = math_binary.multiply(cast(dy, x.dtype), x)
        return (math_binary.div_no_nan(scaled, cast(out, x.dtype)),)
    return (math_binary.multiply(dy, sign(x)),)


def _abs_reference(x):
    if x.dtype.kind == "c":
        return np.hypot(x.real, x.imag)
    return np.where(x < 0, -x, x)


def _abs_samples():
    yield from unary_samples(extra=(np.float32, np.int32), avoid=[0.0])()
    gen = si.rng(22)
    values = si.uniform(gen, (2, 3)) + 1j * si.uniform(gen, (2, 3))
    yield Sample((values.astype(np.complex64),), grad=False)


def _square_grad(ins, out, dy):
    return (math_binary.multiply(dy, math_binary.multiply(ins[0], 2)),)


def _sqrt_grad(ins, out, dy):
    return (math_binary.divide(dy, math_binary.multiply(out, 2)),)


def _rsqrt_grad(ins, out, dy):
    cube = math_binary.multiply(out, square(out))
    return (math_binary.multiply(dy, math_binary.multiply(cube, -0.5)),)


def _reciprocal_grad(ins, out, dy):
    return (math_binary.multiply(dy, negative(square(out))),)


Abs = defop("Abs", np.abs, _abs_rule, grad=_abs_grad, reference=_abs_reference,
            samples=_abs_samples, dtypes=SIGNED)
Sign = define_unary("Sign", np.sign, lambda ins, out, dy: (creation.zeros_like(ins[0]),),
                    lambda x: (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype),
                    samples=unary_samples(extra=(np.float32, np.int32), avoid=[0.0]),
                    allowed=SIGNED)
Square = define_unary("Square", np.square, _square_grad, lambda x: x * x,
                      samples=unary_samples(extra=(np.float32, np.int32)),
                      allowed=dtypes.NUMERIC)
Sqrt = define_unary("Sqrt", quiet(np.sqrt), _sqrt_grad, lambda x: x ** 0.5,
                    samples=unary_samples(0.1, 3.0))
Rsqrt = define_unary("Rsqrt", quiet(lambda x: np.reciprocal(np.sqrt(x))), _rsqrt_grad,
                     lambda x: 1 / x ** 0.5, samples=unary_samples(0.1, 3.0))
Reciprocal = define_unary("Reciprocal", quiet(np.reciprocal), _reciprocal_grad,
                          scalar_reference(lambda v: 1.0 / v),
                          samples=unary_samples(avoid=[0.0]))
Log = define_unary("Log", quiet(np.log),
                   lambda ins, out, dy: (math_binary.divide(dy, ins[0]),),
                   scalar_reference(math.log), samples=unary_samples(0.1, 3.0))
Log1p = define_unary("Log1p", quiet(np.log1p),
                     lambda ins, out, dy: (math_binary.divide(dy, math_binary.add(ins[0], 1)),),
                     scalar_reference(math.log1p), samples=unary_samples(-0.9, 2.0))
Expm1 = define_unary("Expm1", quiet(np.expm1),
                     lambda ins, out, dy: (math_binary.multiply(dy, exp(ins[0])),),
                     scalar_reference(math.expm1))


def abs(x, name=None):  # noqa: A001  (TF's name)
    """|x| elementwise; complex inputs give their real magnitude."""
    return Abs(x)


def sign(x, name=None):
    """-1, 0 or 1 by the sign of x (x / |x| for complex)."""
    return Sign(x)


def square(x, name=None):
    """x * x elementwise."""
    return Square(x)


def sqrt(x, name=None):
    """The square root of x elementwise (nan below zero)."""
    return Sqrt(x)


def rsqrt(x, name=None):
    """1 / sqrt(x) elementwise."""
    return Rsqrt(x)


def reciprocal(x, name=None):
    """1 / x elementwise."""
    return Reciprocal(x)


def log(x, name=None):
    """The natural logarithm of x elementwise (-inf at 0, nan below)."""
    return Log(x)


def log1p(x, name=None):
    """log(1 + x), accurate for small x."""
    return Log1p(x)


def expm1(x, name=None):
    """exp(x) - 1, accurate for small x."""
    return Expm1(x)


# --- tanh, sigmoid and erf ------------------------------------------------------------------

def _sigmoid_kernel(x):
    if x.dtype.kind == "c":
        with np.errstate(all="ignore"):
            return 1 / (1 + np.exp(-x))
    # exp of a non-positive number never overflows: e = exp(-|x|) is in (0, 1].
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _tanh_grad(ins, out, dy):
    return (math_binary.multiply(dy, math_binary.subtract(1, square(out))),)


def _sigmoid_grad(ins, out, dy):
    return (math_binary.multiply(dy, math_binary.multiply(out, math_binary.subtract(1, out))),)


# erf for |x| <= 2 by a series, beyond by a continued fraction. Per input dtype: the series'
# relative cut-off and the fraction's depth, measured against math.erf/erfc to stay within
# the dtype's rounding error (the fraction converges fastest far out, so x = 2 sets it).
_ERF_PRECISION = {np.dtype(np.float64): (1e-17, 44), np.dtype(np.float32): (3e-8, 10),
                  np.dtype(np.float16): (2e-4, 3)}
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def _series_length(x, cutoff):
    """How many terms the series needs at its largest argument x to reach `cutoff`."""
    term = total = float(x)
    n = 0
    while term > cutoff * total:
        n += 1
        term *= 2 * x * x / (2 * n + 1)
        total += term
    return n


def _erf_series(x, cutoff):
    """erf(x) = 2/sqrt(pi) exp(-x²) Σ (2x²)ⁿ x / (2n+1)!! for x >= 0: all terms positive."""
    two_x2 = 2 * x * x
    term = x.copy()
    total = x.copy()
    for n in range(_series_length(x.max(), cutoff)):
        term *= two_x2
        term /= 2 * n + 3
        total += term
    return _TWO_OVER_SQRT_PI * np.exp(-x * x) * total


def _erf_continued_fraction(x, depth):
    """erf(x) = 1 - erfc(x), erfc(x) = exp(-x²)/sqrt(pi) / (x + ½/(x + 1/(x + 3/2/(x + …))))."""
    denominator = x.copy()
    for k in range(depth, 0, -1):
        np.divide(k / 2, denominator, out=denominator)
        denominator += x
    return 1 - np.exp(-x * x) / (math.sqrt(math.pi) * denominator)


def _erf_kernel(x):
    cutoff, depth = _ERF_PRECISION[x.dtype]
    magnitude = np.abs(x).astype(np.float64)
    result = np.empty_like(magnitude)
    near = magnitude <= 2
    far = ~near
    with np.errstate(all="ignore"):
        if near.any():
            result[near] = _erf_series(magnitude[near], cutoff)
        if far.any():
            result[far] = _erf_continued_fraction(magnitude[far], depth)
    return np.copysign(result, x).astype(x.dtype)


def _erf_grad(ins, out, dy):
    density = math_binary.multiply(exp(negative(square(ins[0]))), _TWO_OVER_SQRT_PI)
    return (math_binary.multiply(dy, density),)


Tanh = define_unary("Tanh", np.tanh, _tanh_grad, scalar_reference(math.tanh))
Sigmoid = define_unary("Sigmoid", _sigmoid_kernel, _sigmoid_grad,
                       scalar_reference(lambda v: 1 / (1 + math.exp(-v))),
                       samples=unary_samples(-6, 6))
Erf = define_unary("Erf", _erf_kernel, _erf_grad, scalar_reference(math.erf),
                   samples=unary_samples(-4, 4), allowed=FLOATS)


def tanh(x, name=None):
    """The hyperbolic tangent of x elementwise."""
    return Tanh(x)


def sigmoid(x, name=None):
    """1 / (1 + exp(-x)) elementwise, without overflow for large |x|."""
    return Sigmoid(x)


def erf(x, name=None):
    """The Gauss error function of x elementwise."""
    return Erf(x)


# --- cast ------------------------------------------------------------------------------------

def _check_castable(source, target):
    if (source is dtypes.string) != (target is dtypes.string):
        raise UnimplementedError(f"Cast {source.name} to {target.name} is not supported")


def _cast_rule(x, dtype):
    _check_castable(x.dtype, dtype)
    return rules.Spec(x.shape, dtype)


def _cast_kernel(x, dtype):
    target = dtype._np
    if (x.dtype.kind == "O") != (target.kind == "O"):
        _check_castable(dtypes.from_numpy(x.dtype), dtype)
    if x.dtype.kind == "c" and target.kind in "fiu":
        x = x.real  # TF keeps the real part
    with np.errstate(all="ignore"):  # nan/out-of-range floats to ints, overflow to float16
        return x.astype(target)


def _wrap_integer(value, target):
    """`value` reduced into `target`'s range by two's complement wrap-around."""
    span = 2 ** (8 * target.itemsize)
    low = -span // 2 if target.kind == "i" else 0
    return (value - low) % span + low


def _cast_scalar(value, target):
    if target.kind == "b":
        return bool(value)
    if target.kind == "c":
        return complex(value)
    value = value.real if isinstance(value, complex) else value
    if target.kind in "iu":
        return _wrap_integer(int(value), target)  # int() truncates toward zero
    return float(value)


def _cast_reference(x, dtype):
    values = [_cast_scalar(v, dtype._np) for v in np.reshape(x, -1).tolist()]
    return np.array(values, dtype=dtype._np).reshape(np.shape(x))


def _cast_samples():
    gen = si.rng(24)
    floats = si.uniform(gen, (2, 3), -3, 3)
    for x in (floats, si.uniform(gen, ()), si.uniform(gen, (0, 2))):
        yield Sample((x,), dict(dtype=dtypes.float64))
    ints = si.integers(gen, (2, 3), -300, 300)
    bools = ints > 0
    cases = [(floats, dtypes.int32), (floats.astype(np.float32), dtypes.int64),
             (floats, dtypes.bool), (floats, dtypes.float16), (floats, dtypes.complex64),
             (ints, dtypes.float32), (ints, dtypes.uint8), (ints, dtypes.int8),
             (ints, dtypes.bool), (bools, dtypes.int32), (bools, dtypes.float32),
             (floats + 1j * floats[::-1], dtypes.float32), (ints.astype(np.complex64), dtypes.bool)]
    for x, dtype in cases:
        yield Sample((x,), dict(dtype=dtype), grad=False)


def _cast_grad(ins, out, dy, dtype):
    source = ins[0].dtype
    return (cast(dy, source) if source.is_differentiable else None,)


Cast = defop("Cast", _cast_kernel, _cast_rule, grad=_cast_grad, reference=_cast_reference,
             samples=_cast_samples, same_dtype=False)


def cast(x, dtype, name=None):
    """x converted to `dtype`: floats to ints truncate toward zero, complex to real keeps the
    real part, anything to bool tests for nonzero; the same dtype returns x itself."""
    dtype = dtypes.as_dtype(dtype)
    x = convert_to_tensor(x)
    if x.dtype == dtype:
        return x
    return Cast(x, dtype=dtype)
