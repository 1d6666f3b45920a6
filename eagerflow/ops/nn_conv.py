"""2-D convolution: conv2d, conv1d, conv2d_transpose.

A convolution family is three primitives, each linear in both of its inputs
and the adjoint of another in each, so every gradient, of any order, is one
of them:

    Conv2D(x, w) -> y    Conv2DBackpropInput(w, dy) -> dx    Conv2DBackpropFilter(x, dy) -> dw

`ConvFamily` builds such a triple (nn_depthwise.py builds the depthwise one).
The kernels are im2col + one GEMM, and col2im for the input gradient
(backend/numpy_backend.py).
"""

import numpy as np

from .. import dtypes
from ..backend import numpy_backend as backend
from ..framework.convert import convert_to_tensor
from . import dynamic_shape
from . import nn_window as win
from . import shape_rules as rules
from .array_ops import reshape, shape_tuple
from .dynamic_shape import run_time, shape_inputs, static_shape
from .registry import Sample, Spec, defop
from .sample_inputs import integers, rng, uniform


def conv_attrs(op, strides, padding, dilations, data_format):
    """TF's convolution arguments as op attributes (see nn_window.py)."""
    data_format = win.check_data_format(op, data_format)
    return dict(strides=win.window_sequence(op, strides, "strides", data_format),
                padding=win.window_padding(op, padding, data_format),
                dilations=win.window_sequence(op, 1 if dilations is None else dilations,
                                              "dilations", data_format),
                data_format=data_format)


def _conv(strides=(1, 1), padding="VALID", dilations=(1, 1), data_format="NHWC"):
    return dict(strides=strides, padding=padding, dilations=dilations, data_format=data_format)


# (input shape, kernel (kh, kw), attributes): filters are [kh, kw, in, 2].
CASES = [
    ((2, 5, 5, 2), (3, 3), _conv()),
    ((2, 5, 5, 2), (3, 3), _conv(strides=(2, 2), padding="SAME")),
    ((1, 6, 5, 2), (2, 3), _conv(strides=(2, 1), padding="SAME", dilations=(2, 1))),
    ((1, 4, 5, 1), (2, 2), _conv(strides=(1, 2), padding=((1, 0), (2, 1)))),
    ((1, 2, 5, 4), (3, 3), _conv(padding="SAME", data_format="NCHW")),
    ((2, 3, 3, 3), (1, 1), _conv()),
    ((0, 4, 4, 2), (3, 3), _conv()),
    ((1, 2, 4, 1), (3, 3), _conv()),  # no window fits: an empty output
]


def _shape(tensor):
    return tuple(tensor._value.shape)


def conv_spec(op, out_depth, x, w, strides, padding, dilations, data_format):
    """The output Spec of a convolution of input spec `x` with filter spec `w`."""
    win.require_4d(op, x, "input")
    win.require_4d(op, w, "filter")
    depth = win.nhwc_shape(x.shape, data_format)[3]
    if depth is not None and w.shape[2] is not None and depth != w.shape[2]:
        raise rules.invalid(op, f"input depth {depth} does not match filter depth {w.shape[2]} "
                                f"(input shape {list(x.shape)}, filter shape {list(w.shape)})")
    return win.window_spec(op, x, w.shape[:2], strides, padding, dilations, data_format,
                           out_depth(w.shape))


class ConvFamily:
    """A convolution and its two backprop ops, registered together.

    `kernels` are the backend's (forward, backprop_input, backprop_filter) on NHWC
    arrays; `reference(x, w, **conv)` is a naive forward convolution, whose
    adjoints (linear in each input) serve as the backprop references.
    """

    def __init__(self, names, kernels, out_depth, reference, allowed):
        self.names, self.kernels, self.out_depth = names, kernels, out_depth
        self.reference = reference
        forward, backprop_input, backprop_filter = names
        self.forward = defop(forward, self._forward_kernel, self._forward_rule,
                             grad=self._forward_grad, reference=reference,
                             samples=self._forward_samples, dtypes=allowed)
        self.backprop_input = defop(
            backprop_input, self._input_kernel, self._input_rule, grad=self._input_grad,
            reference=self._input_reference, samples=self._input_samples,
            dtypes=dtypes.FLOATS, same_dtype=(0, 1))
        self.backprop_filter = defop(
            backprop_filter, self._filter_kernel, self._filter_rule, grad=self._filter_grad,
            reference=self._filter_reference, samples=self._filter_samples,
            dtypes=dtypes.FLOATS, same_dtype=(0, 1))

    # kernels: NCHW is transposed to NHWC and back around the backend kernel
    def _forward_kernel(self, x, w, strides, padding, dilations, data_format):
        x = win.to_nhwc(x, data_format)
        pads = win.resolve_pads(padding, x.shape[1:3], w.shape[:2], strides, dilations)
        y = self.kernels[0](x, w, strides, dilations, pads)
        return win.from_nhwc(y, data_format)

    def _input_kernel(self, w, dy, *given, input_sizes, strides, padding, dilations,
                      data_format):
        shape = win.nhwc_shape(run_time(input_sizes, given), data_format)
        pads = win.resolve_pads(padding, shape[1:3], w.shape[:2], strides, dilations)
        dx = self.kernels[1](w, win.to_nhwc(dy, data_format), shape, strides, dilations, pads)
        return win.from_nhwc(dx, data_format)

    def _filter_kernel(self, x, dy, *given, filter_sizes, strides, padding, dilations,
                       data_format):
        filter_sizes = run_time(filter_sizes, given)
        x = win.to_nhwc(x, data_format)
        pads = win.resolve_pads(padding, x.shape[1:3], filter_sizes[:2], strides, dilations)
        return self.kernels[2](x, win.to_nhwc(dy, data_format), tuple(filter_sizes), strides,
                               dilations, pads)

    # shape rules: a backprop op checks out_backprop against the forward rule
    def _forward_rule(self, x, w, **conv):
        return conv_spec(self.names[0], self.out_depth, x, w, **conv)

    def _input_rule(self, w, dy, *given, input_sizes, **conv):
        op = self.names[1]
        win.require_4d(op, dy, "out_backprop")
        if len(input_sizes) != 4:
            raise rules.invalid(op, f"input_sizes must have 4 entries, got {list(input_sizes)}")
        expected = conv_spec(op, self.out_depth, Spec(tuple(input_sizes), w.dtype), w, **conv)
        win.check_shape(op, "out_backprop", dy.shape, expected.shape,
                        f"an input of shape {list(input_sizes)} and a filter of shape "
                        f"{list(w.shape)}")
        return Spec(tuple(input_sizes), w.dtype)

    def _filter_rule(self, x, dy, *given, filter_sizes, **conv):
        op = self.names[2]
        win.require_4d(op, dy, "out_backprop")
        if len(filter_sizes) != 4:
            raise rules.invalid(op, f"filter_sizes must have 4 entries, got "
                                    f"{list(filter_sizes)}")
        expected = conv_spec(op, self.out_depth, x, Spec(tuple(filter_sizes), x.dtype), **conv)
        win.check_shape(op, "out_backprop", dy.shape, expected.shape,
                        f"an input of shape {list(x.shape)} and a filter of shape "
                        f"{list(filter_sizes)}")
        return Spec(tuple(filter_sizes), x.dtype)

    # gradients: each op is the adjoint of another in each input; a backprop op is given
    # the shape it makes as a tensor too when the graph knows it only at run time
    def _input_like(self, w, dy, x, **conv):
        return self.backprop_input(w, dy, *shape_inputs(x), input_sizes=static_shape(x),
                                   **conv)

    def _filter_like(self, x, dy, w, **conv):
        return self.backprop_filter(x, dy, *shape_inputs(w), filter_sizes=static_shape(w),
                                    **conv)

    def _forward_grad(self, inputs, output, dy, **conv):
        x, w = inputs
        return self._input_like(w, dy, x, **conv), self._filter_like(x, dy, w, **conv)

    def _input_grad(self, inputs, output, g, input_sizes, **conv):
        w, dy = inputs[:2]
        return self._filter_like(g, dy, w, **conv), self.forward(g, w, **conv)

    def _filter_grad(self, inputs, output, g, filter_sizes, **conv):
        x, dy = inputs[:2]
        return self._input_like(g, dy, x, **conv), self.forward(x, g, **conv)

    # references: adjoints of the naive forward convolution
    def _input_reference(self, w, dy, *given, input_sizes, **conv):
        return win.linear_adjoint(lambda x: self.reference(x, w, **conv),
                                  run_time(input_sizes, given), dy)

    def _filter_reference(self, x, dy, *given, filter_sizes, **conv):
        return win.linear_adjoint(lambda f: self.reference(x, f, **conv),
                                  run_time(filter_sizes, given), dy)

    # samples: every case of CASES for each op, plus float32 (and int32) without gradients
    def _cases(self):
        gen = rng(21)
        for x_shape, (kh, kw), conv in CASES:
            w_shape = (kh, kw, win.nhwc_shape(x_shape, conv["data_format"])[3], 2)
            y_shape = self._forward_rule(Spec(x_shape, dtypes.float64),
                                         Spec(w_shape, dtypes.float64), **conv).shape
            yield uniform(gen, x_shape), uniform(gen, w_shape), uniform(gen, y_shape), conv

    def _forward_samples(self):
        for x, w, _, conv in self._cases():
            yield Sample((x, w), conv)
        x, w, _, conv = next(self._cases())
        yield Sample((x.astype(np.float32), w.astype(np.float32)), conv, grad=False)
        if dtypes.int32 in self.forward.dtypes:
            gen = rng(22)
            yield Sample((integers(gen, x.shape), integers(gen, w.shape)), conv, grad=False)

    def _input_samples(self):
        for x, w, dy, conv in self._cases():
            yield Sample((w, dy), dict(conv, input_sizes=x.shape))
        x, w, dy, conv = next(self._cases())
        yield Sample((w, dy, np.array(x.shape)), dict(conv, input_sizes=(None,) + x.shape[1:]))
        yield Sample((w.astype(np.float32), dy.astype(np.float32)),
                     dict(conv, input_sizes=x.shape), grad=False)

    def _filter_samples(self):
        for x, w, dy, conv in self._cases():
            yield Sample((x, dy), dict(conv, filter_sizes=w.shape))
        x, w, dy, conv = next(self._cases())
        yield Sample((x, dy, np.array(w.shape)), dict(conv, filter_sizes=(None,) * 4))
        yield Sample((x.astype(np.float32), dy.astype(np.float32)),
                     dict(conv, filter_sizes=w.shape), grad=False)


def dilated_taps(w, dilations):
    """The filter with dilation-1 zeros between its taps (for naive references)."""
    kh, kw = w.shape[:2]
    dh, dw = dilations
    taps = np.zeros(((kh - 1) * dh + 1, (kw - 1) * dw + 1) + w.shape[2:], np.float64)
    taps[::dh, ::dw] = w
    return taps


def naive_conv(x, w, strides, padding, dilations, data_format, contract, depth):
    """A loop over output positions; contract(patch [N, eh, ew, C], taps) gives [N, depth]."""
    x = win.reference_nhwc(x, data_format).astype(np.float64)
    taps = dilated_taps(w, dilations)
    xp = win.reference_padded(x, padding, taps.shape[:2], strides)
    (sh, sw), (eh, ew) = strides, taps.shape[:2]
    oh, ow = (max((xp.shape[1] - eh) // sh + 1, 0), max((xp.shape[2] - ew) // sw + 1, 0))
    out = np.zeros((x.shape[0], oh, ow, depth))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = contract(xp[:, i * sh:i * sh + eh, j * sw:j * sw + ew], taps)
    return win.reference_layout(out, data_format)


def _conv2d_reference(x, w, **conv):
    return naive_conv(x, w, **conv, contract=lambda patch, taps: np.tensordot(patch, taps, 3),
                      depth=w.shape[3])


CONV2D = ConvFamily(("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"),
                    (backend.conv2d, backend.conv2d_backprop_input,
                     backend.conv2d_backprop_filter),
                    out_depth=lambda filter_shape: filter_shape[3],
                    reference=_conv2d_reference, allowed=dtypes.FLOATS | {dtypes.int32})
Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter = (
    CONV2D.forward, CONV2D.backprop_input, CONV2D.backprop_filter)


def over_batch_dims(x, inner_rank, apply):
    """apply(x) on x with its leading batch dims (beyond `inner_rank`) flattened into one."""
    x = convert_to_tensor(x)
    shape = _shape(x)
    if len(shape) <= inner_rank:
        return apply(x)
    y = apply(reshape(x, (-1,) + shape[1 - inner_rank:]))
    return reshape(y, shape[:1 - inner_rank] + _shape(y)[1:])


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """2-D convolution of `input` [..., H, W, C] (or NCHW) with `filters` [kh, kw, C, out]."""
    attrs = conv_attrs("Conv2D", strides, padding, dilations, data_format)
    return over_batch_dims(input, 4, lambda x: Conv2D(x, filters, **attrs))


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """1-D convolution of `input` [..., W, C] (or NCW) with `filters` [kw, C, out]."""
    if data_format not in ("NWC", "NCW"):
        raise ValueError(f'`data_format` must be "NWC" or "NCW". Received: '
                         f'data_format={data_format!r}')
    x, filters = convert_to_tensor(input), convert_to_tensor(filters)
    if x.ndim < 3 or filters.ndim != 3:
        raise rules.invalid("Conv1D", f"input must be at least 3-dimensional and filters "
                                      f"3-dimensional; got input shape {list(_shape(x))}, "
                                      f"filters shape {list(_shape(filters))}")
    stride = win.window_sequence("Conv1D", stride, "stride", data_format, rank=1)
    dilations = win.window_sequence("Conv1D", 1 if dilations is None else dilations,
                                    "dilations", data_format, rank=1)
    height_axis = x.ndim - 2 if data_format == "NWC" else x.ndim - 1
    shape = _shape(x)
    y = conv2d(reshape(x, shape[:height_axis] + (1,) + shape[height_axis:]),
               reshape(filters, (1,) + _shape(filters)), (1,) + stride, padding,
               "NHWC" if data_format == "NWC" else "NCHW", (1,) + dilations)
    out_shape = _shape(y)
    return reshape(y, out_shape[:height_axis] + out_shape[height_axis + 1:])


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transpose of conv2d: `input` [N, H, W, in] to `output_shape`, `filters` [kh, kw,
    out, in]."""
    attrs = conv_attrs("Conv2DBackpropInput", strides, padding, dilations, data_format)
    given = ()
    if dynamic_shape.is_symbolic_shape(output_shape):  # known at run time (in a graph)
        output_shape, sizes = dynamic_shape.shape_tensor(output_shape)
        given = (output_shape,)
    else:
        sizes = shape_tuple(output_shape)
    if sizes is None or len(sizes) != 4:
        raise ValueError(f"output_shape must have 4 elements (batch, spatial and channel "
                         f"sizes), got {sizes}")
    return Conv2DBackpropInput(filters, input, *given, input_sizes=sizes, **attrs)
