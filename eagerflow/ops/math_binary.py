"""Binary elementwise arithmetic: add, subtract, multiply, divide, pow, maximum, …

Inputs broadcast like NumPy; gradients are returned in the output's shape and
reduced to each input's shape by the tape (autodiff/backprop.py). Integer
division and modulo follow Python (floor) semantics and refuse a zero divisor
as TF does; float kernels give inf/nan silently.
"""

import math

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from . import comparison
from . import creation
from . import math_unary
from . import sample_inputs as si
from . import shape_rules as rules
from .registry import Sample, defop

_NUMERIC = dtypes.NUMERIC
_REAL = dtypes.REAL
_INEXACT = dtypes.FLOATS | dtypes.COMPLEX


def _binary(name, kernel, grad, reference, samples=None, allowed=_NUMERIC):
    return defop(name, kernel, rules.broadcast(name), grad=grad, reference=reference,
                 samples=samples or (lambda: si.elementwise(2, dtypes=(np.float32, np.int32))),
                 dtypes=allowed, broadcasts=True)


def _quiet(ufunc):
    """`ufunc` as a kernel that gives inf/nan without NumPy's RuntimeWarnings, as TF does."""
    def kernel(x, y):
        with np.errstate(all="ignore"):
            return ufunc(x, y)
    kernel.ufunc = ufunc  # what graph fusion runs under one errstate
    return kernel


def scalar_reference(fn):
    """An independent reference: `fn` applied to the inputs' elements as Python scalars."""
    return np.vectorize(fn, otypes=[np.float64])


def _division_samples(integer_dtypes=(np.int32, np.int64, np.uint8)):
    """Float samples with divisors kept off zero, then integer ones with mixed signs."""
    gen = si.rng(41)
    yield from si.elementwise(2, dtypes=(np.float32,),
                              make=lambda shape: si.away_from(gen, shape, [0.0], margin=0.3))
    divisor = np.array([[3, -2, 1], [-5, 4, 7]])
    for dtype in integer_dtypes:
        unsigned = np.dtype(dtype).kind == "u"
        x = si.integers(gen, (2, 3), 0 if unsigned else -7, 8, dtype)
        yield Sample((x, (np.abs(divisor) if unsigned else divisor).astype(dtype)), grad=False)


def _is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


def convert_like(value, dtype):
    """`value` as a tensor; a non-tensor value is converted to `dtype`, as TF's operators do
    (TypeError when it does not fit, like 2.5 into int32)."""
    return convert_to_tensor(value, dtype=None if _is_tensor_like(value) else dtype)


def _convert_pair(x, y):
    """x and y as tensors; a Python value adopts the other operand's dtype."""
    if _is_tensor_like(y) and not _is_tensor_like(x):
        y = convert_to_tensor(y)
        return convert_like(x, y.dtype), y
    x = convert_to_tensor(x)
    return x, convert_like(y, x.dtype)


# --- add, subtract, multiply, squared_difference ---------------------------------------------

def _squared_difference_kernel(x, y):
    difference = np.subtract(x, y)
    if difference.dtype.kind == "c":
        return difference * np.conj(difference)
    return np.square(difference)


def _squared_difference_grad(ins, out, dy):
    dx = multiply(multiply(dy, 2), subtract(ins[0], ins[1]))
    return dx, math_unary.negative(dx)


Add = _binary("Add", np.add, lambda ins, out, dy: (dy, dy), lambda a, b: a + b)
Sub = _binary("Sub", np.subtract, lambda ins, out, dy: (dy, math_unary.negative(dy)),
              lambda a, b: a - b)
Mul = _binary("Mul", np.multiply,
              lambda ins, out, dy: (multiply(dy, ins[1]), multiply(dy, ins[0])),
              lambda a, b: a * b)
SquaredDifference = _binary(
    "SquaredDifference", _squared_difference_kernel, _squared_difference_grad,
    lambda a, b: (a - b) ** 2,
    allowed=_INEXACT | {dtypes.int32, dtypes.int64})


def add(x, y, name=None):
    """x + y elementwise, with broadcasting."""
    return Add(x, y)


def subtract(x, y, name=None):
    """x - y elementwise, with broadcasting."""
    return Sub(x, y)


def multiply(x, y, name=None):
    """x * y elementwise, with broadcasting."""
    return Mul(x, y)


def squared_difference(x, y, name=None):
    """(x - y) ** 2 elementwise, with broadcasting."""
    return SquaredDifference(x, y)


def scalar_mul(scalar, x, name=None):
    """x multiplied by a scalar (a rank-0 value of x's dtype)."""
    x = convert_to_tensor(x)
    scalar = convert_to_tensor(scalar, dtype=x.dtype)
    if scalar._value.ndim:
        raise ValueError(f"Only scalar multiply works, got shape {scalar.shape}")
    return Mul(scalar, x)


# --- division --------------------------------------------------------------------------------

def _realdiv_grad(ins, out, dy):
    x, y = ins
    return realdiv(dy, y), multiply(dy, realdiv(realdiv(math_unary.negative(x), y), y))


def _div_no_nan_kernel(x, y):
    if x.ndim == 0 and y.ndim == 0:  # a metric's total / count: skip the masking
        if y == 0:
            return np.zeros((), np.result_type(x, y))
        with np.errstate(all="ignore"):
            return np.asarray(np.true_divide(x, y))
    zero = y == 0
    with np.errstate(all="ignore"):
        quotient = np.true_divide(x, np.where(zero, 1, y))
    return np.where(zero, 0, quotient).astype(quotient.dtype, copy=False)


def _div_no_nan_grad(ins, out, dy):
    x, y = ins
    dx = div_no_nan(dy, y)
    return dx, multiply(dy, div_no_nan(div_no_nan(math_unary.negative(x), y), y))


def _div_no_nan_samples():
    yield from _division_samples(integer_dtypes=())
    yield Sample((np.array([1.0, -2.0, 0.0, np.inf]), np.array([0.0, 0.0, 0.0, 2.0])),
                 grad=False)


def _check_integer_divisor(y):
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError("Integer division by zero")


def _floordiv_kernel(x, y):
    if x.dtype.kind == "f":
        with np.errstate(all="ignore"):
            return np.floor(np.true_divide(x, y))
    _check_integer_divisor(y)
    return np.floor_divide(x, y)


def _floormod_kernel(x, y):
    if x.dtype.kind == "f":
        with np.errstate(all="ignore"):
            truncated = np.fmod(x, y)
            # Python's sign convention: a nonzero remainder takes the divisor's sign.
            return np.where((truncated != 0) & ((y < 0) != (truncated < 0)), truncated + y,
                            truncated)
    _check_integer_divisor(y)
    return np.remainder(x, y)


def _floormod_grad(ins, out, dy):
    x, y = ins
    return dy, multiply(dy, math_unary.negative(floordiv(x, y)))


RealDiv = _binary("RealDiv", _quiet(np.true_divide), _realdiv_grad,
                  scalar_reference(lambda a, b: a / b),
                  samples=lambda: _division_samples(integer_dtypes=()), allowed=_INEXACT)
DivNoNan = _binary("DivNoNan", _div_no_nan_kernel, _div_no_nan_grad,
                   scalar_reference(lambda a, b: 0.0 if b == 0 else a / b),
                   samples=_div_no_nan_samples, allowed=_INEXACT)
FloorDiv = _binary("FloorDiv", _floordiv_kernel, None,
                   scalar_reference(lambda a, b: a // b if isinstance(a, int)
                                     else math.floor(a / b)),
                   samples=_division_samples, allowed=_REAL)
FloorMod = _binary("FloorMod", _floormod_kernel, _floormod_grad,
                   scalar_reference(lambda a, b: a % b),
                   samples=_division_samples, allowed=_REAL)

# truediv's casts of integer inputs (TF: small ints to float32, wide ones to float64).
_TRUEDIV_FLOAT = {dtypes.int8: dtypes.float32, dtypes.int16: dtypes.float32,
                  dtypes.uint8: dtypes.float32, dtypes.uint16: dtypes.float32,
                  dtypes.int32: dtypes.float64, dtypes.int64: dtypes.float64,
                  dtypes.uint32: dtypes.float64, dtypes.uint64: dtypes.float64}


def realdiv(x, y, name=None):
    """x / y for float or complex tensors, with broadcasting."""
    return RealDiv(x, y)


def truediv(x, y, name=None):
    """x / y elementwise; integer inputs are first cast to float32 (8/16-bit) or float64."""
    x, y = _convert_pair(x, y)
    dtype = x.dtype
    if dtype != y.dtype:
        raise TypeError(f"x and y must have the same dtype, got {dtype!r} != {y.dtype!r}")
    target = _TRUEDIV_FLOAT.get(dtype)
    if target is not None:
        x, y = math_unary.cast(x, target), math_unary.cast(y, target)
    elif dtype not in _INEXACT:
        raise TypeError(f"Invalid dtype {dtype!r} in __truediv__; expected a float, complex "
                        f"or integer dtype")
    return RealDiv(x, y)


def divide(x, y, name=None):
    """x / y elementwise, as Python 3 division does it (see truediv)."""
    return truediv(x, y)


def div_no_nan(x, y, name=None):
    """x / y, but 0 wherever y is 0 (even when x is 0, inf or nan)."""
    return DivNoNan(x, y)


def floordiv(x, y, name=None):
    """floor(x / y) elementwise; integer tensors divide like Python's //."""
    return FloorDiv(x, y)


def floormod(x, y, name=None):
    """x - floor(x / y) * y: the remainder takes the sign of y, like Python's %."""
    return FloorMod(x, y)


mod = floormod


# --- pow -------------------------------------------------------------------------------------

def _pow_kernel(x, y):
    if x.dtype.kind in "iu":
        if np.any(y < 0):
            raise InvalidArgumentError("Integers to negative integer powers are not allowed")
        return np.power(x, y)
    with np.errstate(all="ignore"):
        return np.power(x, y)


def _pow_grad(ins, out, dy):
    x, y = ins
    dx = multiply(dy, multiply(y, pow(x, subtract(y, 1))))
    # d/dy x^y = x^y log(x); TF returns 0 where x <= 0 (complex: where x == 0).
    has_log = comparison.not_equal(x, 0) if x.dtype.is_complex else comparison.greater(x, 0)
    safe_x = comparison.where(has_log, x, creation.ones_like(x))
    log_x = comparison.where(has_log, math_unary.log(safe_x), creation.zeros_like(x))
    return dx, multiply(dy, multiply(out, log_x))


def _pow_samples():
    gen = si.rng(43)
    for x_shape, y_shape in si.BINARY_SHAPES:
        yield Sample((si.uniform(gen, x_shape, 0.5, 2.0), si.uniform(gen, y_shape)))
    yield Sample((np.array([-2.0, -1.5, 3.0, 0.0, 0.0]), np.array([2.0, 3.0, -1.0, 2.0, 0.0])),
                 grad=False)
    yield Sample((si.uniform(gen, (2, 3), 0.5, 2.0, np.float32), si.uniform(gen, (3,)).astype(
        np.float32)), grad=False)
    yield Sample((si.integers(gen, (2, 3), -3, 4), si.integers(gen, (2, 3), 0, 5)), grad=False)


Pow = _binary("Pow", _pow_kernel, _pow_grad,
              scalar_reference(lambda a, b: a ** b),
              samples=_pow_samples, allowed=_INEXACT | {dtypes.int8, dtypes.int16, dtypes.int32,
                                                        dtypes.int64})


def pow(x, y, name=None):  # noqa: A001  (TF's name)
    """x ** y elementwise; integer x refuses negative y."""
    return Pow(x, y)


# --- maximum, minimum ------------------------------------------------------------------------

def _select_grad(selects_x):
    """Gradient of maximum/minimum: dy goes to x where `selects_x(x, y)` (comparison's
    greater_equal or less_equal), else to y."""
    def grad(ins, out, dy):
        take_x = getattr(comparison, selects_x)(*ins)
        zeros = creation.zeros_like(dy)
        return comparison.where(take_x, dy, zeros), comparison.where(take_x, zeros, dy)
    return grad


Maximum = _binary("Maximum", np.maximum, _select_grad("greater_equal"),
                  lambda a, b: np.where(a >= b, a, b), allowed=_REAL)
Minimum = _binary("Minimum", np.minimum, _select_grad("less_equal"),
                  lambda a, b: np.where(a <= b, a, b), allowed=_REAL)


def maximum(x, y, name=None):
    """The larger of x and y elementwise, with broadcasting."""
    return Maximum(x, y)


def minimum(x, y, name=None):
    """The smaller of x and y elementwise, with broadcasting."""
    return Minimum(x, y)
