"""Activation functions: relu, elu, selu, gelu, softplus, silu, softmax, …

Piecewise activations differentiate through fused gradient ops (ReluGrad,
EluGrad, … as in TF); those are ops too, with gradients of their own, so
higher-order gradients work. Smooth activations write their gradient in ops.
Sample values keep away from the kinks, where the gradient is undefined.
"""

import math

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from . import math_binary, math_unary
from . import sample_inputs as si
from . import shape_rules as rules
from .creation import zeros_like
from .reductions import reduce_sum
from .registry import Sample, defop

SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
_SQRT_2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_GELU_SCALE = math.sqrt(2.0 / math.pi)
_TANH_GELU_CUBIC = 0.044715


def _unary_samples(kinks=(0.0,), low=-2.0, high=2.0, int_dtype=None, **attrs):
    """Every unary shape in float64 (gradient checked), then float32 and an int sample."""
    gen = si.rng(41)
    for shape in si.UNARY_SHAPES:
        yield Sample((si.away_from(gen, shape, kinks, low, high),), dict(attrs))
    yield Sample((si.away_from(gen, (2, 3), kinks, low, high).astype(np.float32),),
                 dict(attrs), grad=False)
    if int_dtype is not None:
        yield Sample((si.integers(gen, (2, 3), int(low) - 2, int(high) + 3, int_dtype),),
                     dict(attrs), grad=False)


def _grad_op_samples(kinks=(0.0,), low=-2.0, high=2.0, **attrs):
    """(gradients, features) pairs for the fused gradient ops."""
    gen = si.rng(42)
    for shape in [(), (5,), (2, 3), (0, 2)]:
        yield Sample((si.uniform(gen, shape), si.away_from(gen, shape, kinks, low, high)),
                     dict(attrs))
    yield Sample((si.uniform(gen, (2, 3)).astype(np.float32),
                  si.away_from(gen, (2, 3), kinks, low, high).astype(np.float32)),
                 dict(attrs), grad=False)


def _fused_grad_op(name, kernel, reference, samples):
    """A TF-style XxxGrad(gradients, x) op: linear in `gradients`, so its gradient to
    them is the op itself; `x` gets zeros (the op is piecewise constant in it)."""
    def grad(inputs, output, ddy, **attrs):
        return op(ddy, inputs[1], **attrs), zeros_like(inputs[1])
    op = defop(name, kernel, rules.broadcast(name), grad=grad, reference=reference,
               samples=samples, dtypes=dtypes.FLOATS)
    return op


def _where_negative(values, x):
    """`values` where x < 0, else 0 (ReluGrad of -x passes exactly those)."""
    return ReluGrad(values, math_unary.negative(x))


# --- relu, relu6, leaky_relu ----------------------------------------------------------

# Masks multiply (as TF's kernels do): branch-free, several times faster than np.where.
ReluGrad = _fused_grad_op("ReluGrad", lambda g, x: g * (x > 0),
                          lambda g, x: g * np.heaviside(x, 0.0), _grad_op_samples)
Relu = defop("Relu", lambda x: np.maximum(x, 0), rules.unary(),
             # From the output (> 0 exactly where the input is), so a fused
             # MatMul/Conv2D → BiasAdd → Relu need not keep its pre-activation.
             grad=lambda ins, out, dy: (ReluGrad(dy, out),),
             reference=lambda x: np.vectorize(lambda v: v if v > 0 else 0, otypes=[x.dtype])(x),
             samples=lambda: _unary_samples(int_dtype=np.int32), dtypes=dtypes.REAL)

Relu6Grad = _fused_grad_op(
    "Relu6Grad", lambda g, x: g * ((x > 0) & (x < 6)),
    lambda g, x: g * np.heaviside(x, 0.0) * np.heaviside(6 - x, 0.0),
    lambda: _grad_op_samples(kinks=(0.0, 6.0), low=-2.0, high=8.0))
Relu6 = defop("Relu6", lambda x: np.clip(x, 0, 6), rules.unary(),
              grad=lambda ins, out, dy: (Relu6Grad(dy, ins[0]),),
              reference=lambda x: np.vectorize(lambda v: min(max(v, 0), 6),
                                               otypes=[x.dtype])(x),
              samples=lambda: _unary_samples((0.0, 6.0), -2.0, 8.0, int_dtype=np.int32),
              dtypes=dtypes.REAL)

LeakyReluGrad = _fused_grad_op(
    "LeakyReluGrad", lambda g, x, alpha: np.where(x > 0, g, g * alpha),
    lambda g, x, alpha: np.vectorize(lambda gv, xv: gv if xv > 0 else alpha * gv,
                                     otypes=[np.float64])(g, x),
    lambda: _grad_op_samples(alpha=0.3))
LeakyRelu = defop("LeakyRelu", lambda x, alpha: np.where(x > 0, x, x * alpha), rules.unary(),
                  grad=lambda ins, out, dy, alpha: (LeakyReluGrad(dy, ins[0], alpha=alpha),),
                  reference=lambda x, alpha: np.vectorize(
                      lambda v: v if v > 0 else alpha * v, otypes=[x.dtype])(x),
                  samples=lambda: _unary_samples(alpha=0.2), dtypes=dtypes.FLOATS)


def relu(features, name=None):
    """max(features, 0) elementwise."""
    return Relu(features)


def relu6(features, name=None):
    """min(max(features, 0), 6) elementwise."""
    return Relu6(features)


def leaky_relu(features, alpha=0.2, name=None):
    """features where positive, alpha * features elsewhere (ints become float32)."""
    features = convert_to_tensor(features)
    if features.dtype.is_integer:
        features = math_unary.cast(features, dtypes.float32)
    return LeakyRelu(features, alpha=float(alpha))


# --- elu, selu (their gradient ops take the activation's output) -----------------------

def _output_grad_op(name, kernel, reference, low):
    """EluGrad/SeluGrad(gradients, y): linear in `gradients`; where y < 0 the kernel is
    gradients·(y + c), so its slope in y is `gradients` there and 0 elsewhere."""
    def grad(inputs, output, ddy):
        gradients, outputs = inputs
        return op(ddy, outputs), _where_negative(math_binary.multiply(ddy, gradients), outputs)
    op = defop(name, kernel, rules.broadcast(name), grad=grad, reference=reference,
               samples=lambda: _grad_op_samples(low=low, high=2.0), dtypes=dtypes.FLOATS)
    return op


EluGrad = _output_grad_op(
    "EluGrad", lambda g, y: np.where(y < 0, g * (y + 1), g),
    lambda g, y: np.vectorize(lambda gv, yv: gv * (yv + 1) if yv < 0 else gv,
                              otypes=[np.float64])(g, y), low=-0.9)
Elu = defop("Elu", lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), rules.unary(),
            grad=lambda ins, out, dy: (EluGrad(dy, out),),
            reference=lambda x: np.vectorize(lambda v: v if v > 0 else math.exp(v) - 1,
                                             otypes=[x.dtype])(x),
            samples=_unary_samples, dtypes=dtypes.FLOATS)

SeluGrad = _output_grad_op(
    "SeluGrad", lambda g, y: np.where(y < 0, g * (y + SELU_SCALE * SELU_ALPHA), g * SELU_SCALE),
    lambda g, y: np.vectorize(lambda gv, yv: gv * (yv + SELU_SCALE * SELU_ALPHA) if yv < 0
                              else gv * SELU_SCALE, otypes=[np.float64])(g, y), low=-1.7)
Selu = defop("Selu",
             lambda x: np.where(x > 0, SELU_SCALE * x,
                                (SELU_SCALE * SELU_ALPHA) * np.expm1(np.minimum(x, 0))),
             rules.unary(), grad=lambda ins, out, dy: (SeluGrad(dy, out),),
             reference=lambda x: np.vectorize(
                 lambda v: SELU_SCALE * (v if v > 0 else SELU_ALPHA * (math.exp(v) - 1)),
                 otypes=[x.dtype])(x),
             samples=_unary_samples, dtypes=dtypes.FLOATS)


def elu(features, name=None):
    """features where positive, exp(features) - 1 elsewhere."""
    return Elu(features)


def selu(features, name=None):
    """Scaled elu: scale * (features if positive else alpha * (exp(features) - 1))."""
    return Selu(features)


# --- smooth activations ------------------------------------------------------------------

def _softplus_kernel(x):
    # log(1 + e^x) = logaddexp(x, 0): no overflow for large x, no log(1) loss for small.
    return np.logaddexp(x, 0)


def _softplus_reference(x):
    return np.vectorize(lambda v: v + math.log1p(math.exp(-v)) if v > 0
                        else math.log1p(math.exp(v)), otypes=[x.dtype])(x)


def _softplus_samples():
    yield from _unary_samples(kinks=(), low=-4.0, high=4.0)
    yield Sample((np.array([-800.0, -30.0, 30.0, 800.0]),), grad=False)


Softplus = defop("Softplus", _softplus_kernel, rules.unary(),
                 grad=lambda ins, out, dy: (math_binary.multiply(dy, math_unary.sigmoid(ins[0])),),
                 reference=_softplus_reference, samples=_softplus_samples, dtypes=dtypes.FLOATS)


def _softsign_grad(inputs, output, dy):
    denominator = math_binary.add(1, math_unary.abs(inputs[0]))
    return (math_binary.truediv(dy, math_unary.square(denominator)),)


Softsign = defop("Softsign", lambda x: x / (1 + np.abs(x)), rules.unary(),
                 grad=_softsign_grad,
                 reference=lambda x: np.vectorize(lambda v: v / (1 + math.fabs(v)),
                                                  otypes=[x.dtype])(x),
                 samples=_unary_samples, dtypes=dtypes.FLOATS)


def softplus(features, name=None):
    """log(exp(features) + 1), computed without overflow."""
    return Softplus(features)


def softsign(features, name=None):
    """features / (abs(features) + 1)."""
    return Softsign(features)


def _gelu_kernel(x, approximate):
    if approximate:
        inner = _TANH_GELU_SCALE * (x + _TANH_GELU_CUBIC * x * x * x)
        return 0.5 * x * (1 + np.tanh(inner))
    return 0.5 * x * (1 + math_unary.Erf.kernel(x / _SQRT_2))


def _gelu_grad(inputs, output, dy, approximate):
    """d/dx of x·Φ(x) is Φ(x) + x·φ(x); the tanh form differentiates its own formula."""
    x = inputs[0]
    mul, add = math_binary.multiply, math_binary.add
    square = mul(x, x)
    if approximate:
        inner = mul(_TANH_GELU_SCALE, mul(x, add(1, mul(_TANH_GELU_CUBIC, square))))
        t = math_unary.tanh(inner)
        d_inner = mul(_TANH_GELU_SCALE, add(1, mul(3 * _TANH_GELU_CUBIC, square)))
        sech2 = math_binary.subtract(1, mul(t, t))
        slope = add(mul(0.5, add(1, t)), mul(mul(0.5, x), mul(sech2, d_inner)))
    else:
        cdf = mul(0.5, add(1, math_unary.erf(math_binary.truediv(x, _SQRT_2))))
        pdf = mul(_INV_SQRT_2PI, math_unary.exp(mul(-0.5, square)))
        slope = add(cdf, mul(x, pdf))
    return (mul(dy, slope),)


def _gelu_reference(x, approximate):
    if approximate:
        def scalar(v):
            return 0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v ** 3)))
    else:
        def scalar(v):
            return v * 0.5 * math.erfc(-v / math.sqrt(2))
    return np.vectorize(scalar, otypes=[np.float64])(x)


def _gelu_samples():
    for approximate in (False, True):
        yield from _unary_samples(kinks=(), low=-3.0, high=3.0, approximate=approximate)


Gelu = defop("Gelu", _gelu_kernel, rules.unary(), grad=_gelu_grad, reference=_gelu_reference,
             samples=_gelu_samples, dtypes=dtypes.FLOATS)


def gelu(features, approximate=False, name=None):
    """x·Φ(x) with Φ the normal CDF (erf form), or its tanh approximation."""
    return Gelu(features, approximate=bool(approximate))


def _stable_sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


def _silu_grad(inputs, output, dy):
    """x·s(βx): d/dx = s·(1 + βx·(1 - s)), d/dβ = x²·s·(1 - s)."""
    x, beta = inputs
    mul = math_binary.multiply
    s = math_unary.sigmoid(mul(beta, x))
    one_minus_s = math_binary.subtract(1, s)
    dx = mul(s, math_binary.add(1, mul(mul(beta, x), one_minus_s)))
    dbeta = mul(mul(x, x), mul(s, one_minus_s))
    return mul(dy, dx), mul(dy, dbeta)


def _silu_samples():
    gen = si.rng(43)
    for shape in si.UNARY_SHAPES:
        yield Sample((si.uniform(gen, shape, -3.0, 3.0), np.array(1.0)))
    yield Sample((si.uniform(gen, (2, 3)), np.array(0.7)))
    yield Sample((si.uniform(gen, (2, 3)).astype(np.float32), np.float32(1.0)), grad=False)


Silu = defop("Silu", lambda x, beta: x * _stable_sigmoid(beta * x), rules.broadcast("Silu"),
             grad=_silu_grad,
             reference=lambda x, beta: np.vectorize(
                 lambda v, b: v / (1 + math.exp(-b * v)), otypes=[np.float64])(x, beta),
             samples=_silu_samples, dtypes=dtypes.FLOATS, broadcasts=True)


def silu(features, beta=1.0, name=None):
    """features · sigmoid(beta · features) (a.k.a. swish)."""
    return Silu(convert_to_tensor(features), beta)


swish = silu


def sigmoid(x, name=None):
    """1 / (1 + exp(-x)) elementwise."""
    return math_unary.sigmoid(x)


def tanh(x, name=None):
    """Hyperbolic tangent elementwise."""
    return math_unary.tanh(x)


# --- softmax, log_softmax --------------------------------------------------------------

def row_max(logits, axis):
    """The max along `axis`, kept as a size-1 axis (an empty axis has max -inf)."""
    if logits.ndim == 0:
        raise ValueError("softmax needs an axis; got a scalar")
    if logits.size:  # (np.max's `initial` would cost a third of a small softmax)
        return logits.max(axis=axis, keepdims=True)
    return np.max(logits, axis=axis, keepdims=True, initial=-np.inf)


def quiet_unless_infinite(top, compute, *args):
    """compute(*args), warning-free: only a row whose max `top` is ±inf or NaN (which
    gives NaN, as in TF) needs NumPy's warnings silenced, and checking for one costs a
    third of entering np.errstate."""
    if np.isfinite(top).all():
        return compute(*args)
    with np.errstate(invalid="ignore", divide="ignore"):
        return compute(*args)


def _ieee_quiet(compute):
    """A (logits, axis) kernel of compute(logits, row max, axis), warning-free."""
    def kernel(logits, axis):
        top = row_max(logits, axis)
        return quiet_unless_infinite(top, compute, logits, top, axis)
    return kernel


@_ieee_quiet
def _softmax_kernel(logits, top, axis):
    e = np.exp(logits - top)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


@_ieee_quiet
def _log_softmax_kernel(logits, top, axis):
    shifted = logits - top
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _softmax_rule(name):
    def rule(logits, axis):
        if not logits.shape:
            raise rules.invalid(name, f"logits must have >= 1 dimension, got shape "
                                      f"{list(logits.shape)}")
        rules.normalize_axis(name, axis, len(logits.shape))
        return logits
    return rule


def _softmax_grad(inputs, output, dy, axis):
    """dx = y·(dy - Σ dy·y) along the axis."""
    inner = reduce_sum(math_binary.multiply(dy, output), axis=axis, keepdims=True)
    return (math_binary.multiply(math_binary.subtract(dy, inner), output),)


def _log_softmax_grad(inputs, output, dy, axis):
    """dx = dy - softmax·Σ dy along the axis (softmax = exp of the output)."""
    total = reduce_sum(dy, axis=axis, keepdims=True)
    return (math_binary.subtract(dy, math_binary.multiply(math_unary.exp(output), total)),)


def along_rows(fn, x, axis):
    """Applies fn (a list → list function) to every 1-D slice of x along `axis`."""
    moved = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    rows = moved.reshape(math.prod(moved.shape[:-1]), moved.shape[-1])
    out = np.array([fn(list(row)) for row in rows], dtype=np.float64).reshape(moved.shape)
    return np.moveaxis(out, -1, axis)


def _softmax_row(row):
    top = max(row, default=0.0)
    weights = [math.exp(v - top) for v in row]
    total = math.fsum(weights)
    return [w / total for w in weights]


def log_softmax_row(row):
    top = max(row, default=0.0)
    log_total = top + math.log(math.fsum(math.exp(v - top) for v in row)) if row else 0.0
    return [v - log_total for v in row]


def _softmax_samples():
    gen = si.rng(44)
    for shape, axis in [((3,), -1), ((2, 3), -1), ((2, 3), 0), ((2, 3, 2), 1), ((1, 1), -1),
                        ((0, 3), -1), ((2, 0), -1), ((2, 3), -2)]:
        yield Sample((si.uniform(gen, shape, -3.0, 3.0),), dict(axis=axis))
    yield Sample((np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -999.0]]),),
                 dict(axis=-1))
    yield Sample((si.uniform(gen, (2, 4)).astype(np.float32),), dict(axis=-1), grad=False)
    yield Sample((si.uniform(gen, (2, 4)).astype(np.float16),), dict(axis=1), grad=False)


Softmax = defop("Softmax", _softmax_kernel, _softmax_rule("Softmax"), grad=_softmax_grad,
                reference=lambda x, axis: along_rows(_softmax_row, x, axis),
                samples=_softmax_samples, dtypes=dtypes.FLOATS)
LogSoftmax = defop("LogSoftmax", _log_softmax_kernel, _softmax_rule("LogSoftmax"),
                   grad=_log_softmax_grad,
                   reference=lambda x, axis: along_rows(log_softmax_row, x, axis),
                   samples=_softmax_samples, dtypes=dtypes.FLOATS)


def softmax(logits, axis=None, name=None):
    """exp(logits) / Σ exp(logits) along `axis` (default: the last)."""
    return Softmax(logits, axis=-1 if axis is None else int(axis))


def log_softmax(logits, axis=None, name=None):
    """logits - log Σ exp(logits) along `axis` (default: the last)."""
    return LogSoftmax(logits, axis=-1 if axis is None else int(axis))
