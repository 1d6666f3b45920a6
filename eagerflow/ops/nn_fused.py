"""Fused kernels the graph optimizer substitutes for common op chains (TF's remapper):
MatMul → BiasAdd (→ Relu) and Conv2D → BiasAdd (→ Relu), each as one kernel that adds
the bias and applies the activation in the product's own output buffer."""

import numpy as np

from .. import dtypes
from ..backend import numpy_backend as backend
from . import linalg, nn_activations, nn_conv, nn_window, reductions
from . import shape_rules as rules
from .registry import Sample, defop
from .sample_inputs import away_from, rng, uniform

ACTIVATIONS = (None, "relu")


def _add_bias_and_activate(out, bias, activation):
    out += bias
    if activation == "relu":
        np.maximum(out, 0, out=out)
    return out


def _check_activation(op, activation):
    if activation not in ACTIVATIONS:
        raise rules.invalid(op, f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def _check_bias(op, bias, channels):
    if len(bias.shape) != 1 or None not in (bias.shape[0], channels) and \
            bias.shape[0] != channels:
        raise rules.invalid(op, f"bias must be a vector matching the output's last dimension "
                                f"{channels}; got shape {list(bias.shape)}")


def _activation_grad(dy, output, activation):
    return nn_activations.ReluGrad(dy, output) if activation == "relu" else dy


def _kernel(a, b, bias, adjoint_a=False, adjoint_b=False, activation=None):
    out = linalg.MatMul.kernel(a, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    return _add_bias_and_activate(out, bias, activation)


def _rule(a, b, bias, adjoint_a=False, adjoint_b=False, activation=None):
    _check_activation("FusedMatMul", activation)
    out = linalg.MatMul.infer(a, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    _check_bias("FusedMatMul", bias, out.shape[-1])
    return out


def _grad(inputs, output, dy, adjoint_a=False, adjoint_b=False, activation=None):
    a, b, bias = inputs
    dy = _activation_grad(dy, output, activation)
    da, db = linalg.MatMul.grad((a, b), None, dy, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    return da, db, reductions.reduce_sum(dy, axis=0)


def _reference(a, b, bias, adjoint_a=False, adjoint_b=False, activation=None):
    a = a.T if adjoint_a else a
    b = b.T if adjoint_b else b
    out = np.array([[sum(a[i, k] * b[k, j] for k in range(a.shape[1])) + bias[j]
                     for j in range(b.shape[1])] for i in range(a.shape[0])],
                   dtype=np.float64).reshape(a.shape[0], b.shape[1])
    return np.maximum(out, 0) if activation == "relu" else out


def _samples():
    gen = rng(61)
    for activation in ACTIVATIONS:
        for shape_a, shape_b, attrs in (((2, 3), (3, 4), {}), ((3, 2), (3, 4),
                                                                {"adjoint_a": True}),
                                        ((2, 3), (4, 3), {"adjoint_b": True}),
                                        ((0, 3), (3, 2), {})):
            a, b = uniform(gen, shape_a), uniform(gen, shape_b)
            columns = shape_b[0] if attrs.get("adjoint_b") else shape_b[1]
            bias = away_from(gen, (columns,), [0.0]) if activation is None else \
                uniform(gen, (columns,), 2.0, 3.0)  # keeps the relu away from its kink
            yield Sample((a, b, bias), dict(attrs, activation=activation))
    yield Sample((uniform(gen, (2, 3), dtype=np.float32), uniform(gen, (3, 2), dtype=np.float32),
                  uniform(gen, (2,), dtype=np.float32)), {"activation": "relu"}, grad=False)


FusedMatMul = defop("FusedMatMul", _kernel, _rule, grad=_grad, reference=_reference,
                    samples=_samples, dtypes=dtypes.FLOATS)


def _conv_kernel(x, w, bias, activation=None, strides=(1, 1), padding="VALID",
                 dilations=(1, 1), data_format="NHWC"):
    """The backend's convolution adds the bias and applies ReLU chunk by chunk, while each
    chunk of the output is still in cache."""
    if data_format != "NHWC":
        raise ValueError(f"FusedConv2D takes NHWC data, not {data_format}")
    pads = nn_window.resolve_pads(padding, x.shape[1:3], w.shape[:2], strides, dilations)
    return backend.conv2d(x, w, strides, dilations, pads, bias=bias, relu=activation == "relu")


def _conv_rule(x, w, bias, activation=None, **conv):
    _check_activation("FusedConv2D", activation)
    if conv["data_format"] != "NHWC":
        raise rules.invalid("FusedConv2D", f"data_format must be NHWC, got "
                                           f"{conv['data_format']!r}")
    out = nn_conv.Conv2D.infer(x, w, **conv)
    _check_bias("FusedConv2D", bias, out.shape[-1])
    return out


def _conv_grad(inputs, output, dy, activation=None, **conv):
    x, w, bias = inputs
    dy = _activation_grad(dy, output, activation)
    dx, dw = nn_conv.Conv2D.grad((x, w), None, dy, **conv)
    return dx, dw, reductions.reduce_sum(dy, axis=[0, 1, 2])


def _conv_reference(x, w, bias, activation=None, **conv):
    out = nn_conv.Conv2D.reference(x, w, **conv) + bias
    return np.maximum(out, 0) if activation == "relu" else out


def _conv_samples():
    gen = rng(62)
    nhwc = [case for case in nn_conv.CASES if case[2]["data_format"] == "NHWC"]
    for activation in ACTIVATIONS:
        for in_shape, (kh, kw), conv in nhwc[:4]:
            x, w = uniform(gen, in_shape), uniform(gen, (kh, kw, in_shape[3], 2))
            bias = uniform(gen, (2,)) if activation is None else uniform(gen, (2,), 3.0, 4.0)
            yield Sample((x, w, bias), dict(conv, activation=activation))


FusedConv2D = defop("FusedConv2D", _conv_kernel, _conv_rule, grad=_conv_grad,
                    reference=_conv_reference, samples=_conv_samples, dtypes=dtypes.FLOATS)
