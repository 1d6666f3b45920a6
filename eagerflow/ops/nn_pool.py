"""Pooling: max_pool2d, avg_pool2d, their 1-D forms and rank-generic max_pool/avg_pool.

Five primitives. MaxPoolGrad routes each window's gradient to the window's first
maximum (ties go to the first in row-major order, like TF); MaxPoolGradGrad reads
a gradient back at those positions. Each is the other's adjoint in its gradient
input, and both are piecewise constant in the pooled input, so their gradients
close over the pair. AvgPool and AvgPoolGrad are each other's adjoints. SAME
max pooling never picks padding; SAME average pooling divides by the number of
unpadded elements in each window, like TF.
"""

import numpy as np

from .. import dtypes
from ..backend import numpy_backend as backend
from ..framework.convert import convert_to_tensor
from . import nn_window as win
from . import shape_rules as rules
from .array_ops import reshape
from .creation import zeros_like
from .dynamic_shape import run_time, shape_inputs, static_shape
from .registry import Sample, Spec, defop
from .sample_inputs import integers, rng, uniform

NO_DILATION = backend.NO_DILATION


def pool_spec(op, x, ksize, strides, padding, data_format):
    """The output Spec of pooling input spec `x`."""
    win.require_4d(op, x, "input")
    depth = win.nhwc_shape(x.shape, data_format)[3]
    return win.window_spec(op, x, ksize, strides, padding, NO_DILATION, data_format, depth)


def _pads(x_nhwc_shape, ksize, strides, padding):
    return win.resolve_pads(padding, x_nhwc_shape[1:3], ksize, strides)


def _shape(tensor):
    return tuple(tensor._value.shape)


# --- kernels: NCHW is transposed to NHWC and back around the backend kernel ----------

def _pool_kernel(run):
    def kernel(x, ksize, strides, padding, data_format):
        x = win.to_nhwc(x, data_format)
        y = run(x, ksize, strides, _pads(x.shape, ksize, strides, padding))
        return win.from_nhwc(y, data_format)
    return kernel


def _max_pool_grad_kernel(run):
    """MaxPoolGrad and MaxPoolGradGrad: a window's first maximum is where the pooled input
    equals its pooled output (orig_output, not recomputed)."""
    def kernel(x, orig_output, grad, ksize, strides, padding, data_format):
        x = win.to_nhwc(x, data_format)
        y = run(x, win.to_nhwc(orig_output, data_format), win.to_nhwc(grad, data_format),
                ksize, strides, _pads(x.shape, ksize, strides, padding))
        return win.from_nhwc(y, data_format)
    return kernel


def _avg_pool_grad_kernel(grad, *given, input_sizes, ksize, strides, padding, data_format):
    shape = win.nhwc_shape(run_time(input_sizes, given), data_format)
    dx = backend.avg_pool_grad(win.to_nhwc(grad, data_format), shape, ksize, strides,
                               _pads(shape, ksize, strides, padding))
    return win.from_nhwc(dx, data_format)


# --- shape rules ------------------------------------------------------------------------

def _max_pool_grad_rule(op, result):
    def rule(x, orig_output, grad, **pool):
        pooled = pool_spec(op, x, **pool)
        win.check_shape(op, "orig_output", orig_output.shape, pooled.shape,
                        f"pooling an input of shape {list(x.shape)}")
        grad_shape = pooled.shape if result == "input" else x.shape
        win.check_shape(op, "grad", grad.shape, grad_shape, f"an input of shape {list(x.shape)}")
        return Spec(x.shape, x.dtype) if result == "input" else pooled
    return rule


def _avg_pool_grad_rule(grad, *given, input_sizes, **pool):
    op = "AvgPoolGrad"
    if len(input_sizes) != 4:
        raise rules.invalid(op, f"orig_input_shape must have 4 entries, got {list(input_sizes)}")
    pooled = pool_spec(op, Spec(tuple(input_sizes), grad.dtype), **pool)
    win.check_shape(op, "grad", grad.shape, pooled.shape,
                    f"pooling an input of shape {list(input_sizes)}")
    return Spec(tuple(input_sizes), grad.dtype)


# --- references: loops over each output position's window of unpadded elements ---------

def _reference_windows(x_shape, ksize, strides, padding):
    """(i, j, rows, cols) for every output position, rows/cols clipped to the input."""
    for_axes = []
    for a in (0, 1):
        size, k, s = x_shape[1 + a], ksize[a], strides[a]
        before, after = win.reference_pads(padding, size, k, s, a)
        count = max((size + before + after - k) // s + 1, 0)
        for_axes.append([slice(max(o * s - before, 0), min(o * s - before + k, size))
                         for o in range(count)])
    for i, rows in enumerate(for_axes[0]):
        for j, cols in enumerate(for_axes[1]):
            yield i, j, rows, cols


def _reference_pool(reduce):
    def reference(x, ksize, strides, padding, data_format):
        x = win.reference_nhwc(x, data_format)
        out = np.zeros(_pooled_nhwc(x.shape, ksize, strides, padding), x.dtype)
        for i, j, rows, cols in _reference_windows(x.shape, ksize, strides, padding):
            out[:, i, j, :] = reduce(x[:, rows, cols, :].astype(np.float64), axis=(1, 2))
        return win.reference_layout(out, data_format)
    return reference


def _pooled_nhwc(x_shape, ksize, strides, padding):
    spec = pool_spec("reference", Spec(tuple(x_shape), dtypes.float64), ksize, strides,
                     padding, "NHWC")
    return spec.shape


def _first_max_positions(x, ksize, strides, padding):
    """(n, i, j, c, row, col): each window's first maximum, by explicit loops."""
    for i, j, rows, cols in _reference_windows(x.shape, ksize, strides, padding):
        for n in range(x.shape[0]):
            for c in range(x.shape[3]):
                patch = x[n, rows, cols, c]
                row, col = np.unravel_index(np.argmax(patch), patch.shape)
                yield n, i, j, c, rows.start + row, cols.start + col


def _max_pool_grad_reference(x, orig_output, grad, ksize, strides, padding, data_format):
    x, grad = win.reference_nhwc(x, data_format), win.reference_nhwc(grad, data_format)
    dx = np.zeros(x.shape)
    for n, i, j, c, row, col in _first_max_positions(x, ksize, strides, padding):
        dx[n, row, col, c] += grad[n, i, j, c]
    return win.reference_layout(dx, data_format)


def _max_pool_grad_grad_reference(x, orig_output, grad, ksize, strides, padding,
                                  data_format):
    x, grad = win.reference_nhwc(x, data_format), win.reference_nhwc(grad, data_format)
    out = np.zeros(_pooled_nhwc(x.shape, ksize, strides, padding))
    for n, i, j, c, row, col in _first_max_positions(x, ksize, strides, padding):
        out[n, i, j, c] = grad[n, row, col, c]
    return win.reference_layout(out, data_format)


def _avg_pool_grad_reference(grad, *given, input_sizes, **pool):
    return win.linear_adjoint(lambda x: _avg_pool_reference(x, **pool),
                              run_time(input_sizes, given), grad)


_max_pool_reference = _reference_pool(np.max)
_avg_pool_reference = _reference_pool(np.mean)


# --- samples ----------------------------------------------------------------------------

def _pool(ksize, strides, padding, data_format="NHWC"):
    return dict(ksize=ksize, strides=strides, padding=padding, data_format=data_format)


CASES = [
    ((2, 4, 4, 2), _pool((2, 2), (2, 2), "VALID")),  # windows tile the input
    ((1, 5, 5, 2), _pool((2, 2), (2, 2), "VALID")),  # the last row and column are dropped
    ((1, 5, 5, 2), _pool((2, 2), (2, 2), "SAME")),
    ((1, 5, 4, 2), _pool((3, 3), (1, 1), "SAME")),  # overlapping windows
    ((1, 4, 6, 1), _pool((3, 2), (2, 3), "VALID")),
    ((1, 2, 5, 4), _pool((2, 2), (1, 2), "SAME", "NCHW")),
    ((0, 4, 4, 2), _pool((2, 2), (2, 2), "VALID")),
    ((1, 1, 3, 2), _pool((2, 2), (1, 1), "VALID")),  # no window fits: an empty output
]


def _distinct(gen, shape):
    """Values at least 4/size apart, so no window has a near-tie for its maximum."""
    size = int(np.prod(shape))
    return (gen.permutation(size).reshape(shape) * (4.0 / max(size, 1)) - 2.0)


def _cases():
    """(x, max-pooled x, an output-shaped gradient, attributes) for each of CASES."""
    gen = rng(31)
    cases = []
    for x_shape, pool in CASES:
        y_shape = pool_spec("MaxPool", Spec(x_shape, dtypes.float64), **pool).shape
        x = _distinct(gen, x_shape)
        cases.append((x, _max_pool_reference(x, **pool), uniform(gen, y_shape), pool))
    return cases


def _forward_samples():
    for x, _, _, pool in _cases():
        yield Sample((x,), pool)
    x, _, _, pool = _cases()[2]
    yield Sample((x.astype(np.float32),), pool, grad=False)


def _max_pool_samples():
    yield from _forward_samples()
    x, _, _, pool = _cases()[2]
    yield Sample((integers(rng(32), x.shape),), pool, grad=False)


def _max_pool_grad_samples(grad_like):
    def samples():
        gen = rng(33)
        for x, y, dy, pool in _cases():
            yield Sample((x, y, dy if grad_like == "output" else uniform(gen, x.shape)), pool)
        x, y, dy, pool = _cases()[3]
        grad = dy if grad_like == "output" else uniform(gen, x.shape)
        yield Sample(tuple(a.astype(np.float32) for a in (x, y, grad)), pool, grad=False)
    return samples


def _avg_pool_grad_samples():
    for x, _, dy, pool in _cases():
        yield Sample((dy,), dict(pool, input_sizes=x.shape))
    x, _, dy, pool = _cases()[3]
    yield Sample((dy, np.array(x.shape)), dict(pool, input_sizes=(None,) + x.shape[1:]))
    yield Sample((dy.astype(np.float32),), dict(pool, input_sizes=x.shape), grad=False)


# --- ops ----------------------------------------------------------------------------------

def _max_pool_grad_grads(adjoint):
    """Gradients of MaxPoolGrad/MaxPoolGradGrad: zero in the pooled input (piecewise
    constant), the `adjoint` op in the gradient input."""
    def grad(inputs, output, g, **pool):
        x, orig_output, _ = inputs
        return zeros_like(x), zeros_like(orig_output), adjoint()(x, orig_output, g, **pool)
    return grad


MaxPool = defop("MaxPool", _pool_kernel(backend.max_pool),
                lambda x, **pool: pool_spec("MaxPool", x, **pool),
                grad=lambda ins, out, dy, **pool: (MaxPoolGrad(ins[0], out, dy, **pool),),
                reference=_max_pool_reference, samples=_max_pool_samples, dtypes=dtypes.REAL)
MaxPoolGrad = defop("MaxPoolGrad", _max_pool_grad_kernel(backend.max_pool_grad),
                    _max_pool_grad_rule("MaxPoolGrad", "input"),
                    grad=_max_pool_grad_grads(lambda: MaxPoolGradGrad),
                    reference=_max_pool_grad_reference,
                    samples=_max_pool_grad_samples("output"), dtypes=dtypes.FLOATS)
MaxPoolGradGrad = defop("MaxPoolGradGrad", _max_pool_grad_kernel(backend.max_pool_grad_grad),
                        _max_pool_grad_rule("MaxPoolGradGrad", "output"),
                        grad=_max_pool_grad_grads(lambda: MaxPoolGrad),
                        reference=_max_pool_grad_grad_reference,
                        samples=_max_pool_grad_samples("input"), dtypes=dtypes.FLOATS)
AvgPool = defop("AvgPool", _pool_kernel(backend.avg_pool),
                lambda x, **pool: pool_spec("AvgPool", x, **pool),
                grad=lambda ins, out, dy, **pool: (AvgPoolGrad(
                    dy, *shape_inputs(ins[0]), input_sizes=static_shape(ins[0]), **pool),),
                reference=_avg_pool_reference, samples=_forward_samples, dtypes=dtypes.FLOATS)
AvgPoolGrad = defop("AvgPoolGrad", _avg_pool_grad_kernel, _avg_pool_grad_rule,
                    grad=lambda ins, out, g, input_sizes, **pool: (AvgPool(g, **pool),),
                    reference=_avg_pool_grad_reference, samples=_avg_pool_grad_samples,
                    dtypes=dtypes.FLOATS, same_dtype=False)


# --- public functions -----------------------------------------------------------------

def pool_attrs(op, ksize, strides, padding, data_format):
    """TF's pooling arguments as op attributes (see nn_window.py)."""
    data_format = win.check_data_format(op, data_format)
    return dict(ksize=win.window_sequence(op, ksize, "ksize", data_format),
                strides=win.window_sequence(op, strides, "strides", data_format),
                padding=win.window_padding(op, padding, data_format, explicit=False),
                data_format=data_format)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The maximum over each 2-D window of `input` [N, H, W, C] (or NCHW)."""
    return MaxPool(input, **pool_attrs("MaxPool", ksize, strides, padding, data_format))


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The mean over each 2-D window of `input` (SAME: of its unpadded elements)."""
    return AvgPool(input, **pool_attrs("AvgPool", ksize, strides, padding, data_format))


def _pool1d(op, pool2d, input, ksize, strides, padding, data_format):  # noqa: A002
    """A 1-D pooling as a 2-D one over a height of 1."""
    if data_format not in ("NWC", "NCW"):
        raise ValueError(f'`data_format` must be "NWC" or "NCW". Received: '
                         f'data_format={data_format!r}')
    x = convert_to_tensor(input)
    shape = _shape(x)
    if len(shape) != 3:
        raise rules.invalid(op, f"input must be 3-dimensional for 1-D pooling, got shape "
                                f"{list(shape)}")
    ksize = win.window_sequence(op, ksize, "ksize", data_format, rank=1)
    strides = win.window_sequence(op, strides, "strides", data_format, rank=1)
    height_axis = 1 if data_format == "NWC" else 2
    y = pool2d(reshape(x, shape[:height_axis] + (1,) + shape[height_axis:]), (1,) + ksize,
               (1,) + strides, padding, "NHWC" if data_format == "NWC" else "NCHW")
    out_shape = _shape(y)
    return reshape(y, out_shape[:height_axis] + out_shape[height_axis + 1:])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """The maximum over each 1-D window of `input` [N, W, C] (or NCW)."""
    return _pool1d("MaxPool", max_pool2d, input, ksize, strides, padding, data_format)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """The mean over each 1-D window of `input` [N, W, C] (or NCW)."""
    return _pool1d("AvgPool", avg_pool2d, input, ksize, strides, padding, data_format)


def _pool_by_rank(pool1d, pool2d, input, ksize, strides, padding, data_format):  # noqa: A002
    x = convert_to_tensor(input)
    if x.ndim == 3:
        return pool1d(x, ksize, strides, padding, data_format or "NWC")
    if x.ndim == 4:
        return pool2d(x, ksize, strides, padding, data_format or "NHWC")
    raise ValueError(f"`input.shape.rank` must be 3 or 4 (1-D or 2-D pooling). Received: "
                     f"input.shape={list(_shape(x))} of rank {x.ndim}")


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Max pooling over 1-D (rank-3 input) or 2-D (rank-4 input) windows."""
    return _pool_by_rank(max_pool1d, max_pool2d, input, ksize, strides, padding, data_format)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Average pooling over 1-D (rank-3 input) or 2-D (rank-4 input) windows."""
    return _pool_by_rank(avg_pool1d, avg_pool2d, input, ksize, strides, padding, data_format)
