"""Trigonometric and hyperbolic functions: sin, cos, tan, their inverses, atan2, sinh, …

tanh lives with the activations' math in math_unary.py.
"""

import math

import numpy as np

from .. import dtypes
from . import math_binary
from . import sample_inputs as si
from . import shape_rules as rules
from .math_unary import (FLOATS, define_unary, negative, quiet, rsqrt, scalar_reference, square,
                         unary_samples)
from .registry import defop


def _inverse_sqrt_one_minus_square(x):
    return rsqrt(math_binary.subtract(1, square(x)))


def _sin_grad(ins, out, dy):
    return (math_binary.multiply(dy, cos(ins[0])),)


def _cos_grad(ins, out, dy):
    return (math_binary.multiply(dy, negative(sin(ins[0]))),)


def _tan_grad(ins, out, dy):
    return (math_binary.divide(dy, square(cos(ins[0]))),)


def _asin_grad(ins, out, dy):
    return (math_binary.multiply(dy, _inverse_sqrt_one_minus_square(ins[0])),)


def _acos_grad(ins, out, dy):
    return (negative(math_binary.multiply(dy, _inverse_sqrt_one_minus_square(ins[0]))),)


def _atan_grad(ins, out, dy):
    return (math_binary.divide(dy, math_binary.add(square(ins[0]), 1)),)


# sin/cos/tan only warn for ±inf inputs, so their kernels skip the errstate cost.
Sin = define_unary("Sin", np.sin, _sin_grad, scalar_reference(math.sin))
Cos = define_unary("Cos", np.cos, _cos_grad, scalar_reference(math.cos))
Tan = define_unary("Tan", np.tan, _tan_grad, scalar_reference(math.tan),
                   samples=unary_samples(-1.3, 1.3))
Asin = define_unary("Asin", quiet(np.arcsin), _asin_grad, scalar_reference(math.asin),
                    samples=unary_samples(-0.9, 0.9), allowed=FLOATS)
Acos = define_unary("Acos", quiet(np.arccos), _acos_grad, scalar_reference(math.acos),
                    samples=unary_samples(-0.9, 0.9), allowed=FLOATS)
Atan = define_unary("Atan", np.arctan, _atan_grad, scalar_reference(math.atan), allowed=FLOATS)
Sinh = define_unary("Sinh", quiet(np.sinh),
                    lambda ins, out, dy: (math_binary.multiply(dy, cosh(ins[0])),),
                    scalar_reference(math.sinh))
Cosh = define_unary("Cosh", quiet(np.cosh),
                    lambda ins, out, dy: (math_binary.multiply(dy, sinh(ins[0])),),
                    scalar_reference(math.cosh))


def sin(x, name=None):
    """The sine of x (radians) elementwise."""
    return Sin(x)


def cos(x, name=None):
    """The cosine of x (radians) elementwise."""
    return Cos(x)


def tan(x, name=None):
    """The tangent of x (radians) elementwise."""
    return Tan(x)


def asin(x, name=None):
    """The inverse sine of x elementwise, in [-pi/2, pi/2] (nan outside [-1, 1])."""
    return Asin(x)


def acos(x, name=None):
    """The inverse cosine of x elementwise, in [0, pi] (nan outside [-1, 1])."""
    return Acos(x)


def atan(x, name=None):
    """The inverse tangent of x elementwise, in (-pi/2, pi/2)."""
    return Atan(x)


def sinh(x, name=None):
    """The hyperbolic sine of x elementwise."""
    return Sinh(x)


def cosh(x, name=None):
    """The hyperbolic cosine of x elementwise."""
    return Cosh(x)


# --- atan2 -----------------------------------------------------------------------------------

def _atan2_grad(ins, out, dy):
    y, x = ins
    scale = math_binary.divide(dy, math_binary.add(square(x), square(y)))
    return math_binary.multiply(x, scale), negative(math_binary.multiply(y, scale))


def _atan2_samples():
    gen = si.rng(31)
    return si.elementwise(2, dtypes=(np.float32,),
                          make=lambda shape: si.away_from(gen, shape, [0.0], margin=0.2))


Atan2 = defop("Atan2", np.arctan2, rules.broadcast("Atan2"), grad=_atan2_grad,
              reference=np.vectorize(math.atan2, otypes=[np.float64]), samples=_atan2_samples,
              dtypes=dtypes.FLOATS, broadcasts=True)


def atan2(y, x, name=None):
    """The angle of the point (x, y) from the positive x axis, in [-pi, pi]."""
    return Atan2(y, x)
