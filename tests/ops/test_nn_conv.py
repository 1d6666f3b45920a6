import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eagerflow import dtypes
from eagerflow.autodiff.tape import GradientTape
from eagerflow.errors import InvalidArgumentError
from eagerflow.framework.convert import constant
from eagerflow.ops import nn_conv, nn_depthwise
from eagerflow.ops.math_binary import multiply
from eagerflow.ops.reductions import reduce_sum
from eagerflow.ops.registry import Spec

FAST = settings(max_examples=30, deadline=None)
GEN = np.random.default_rng(5)


def rand(*shape, dtype=np.float64):
    return GEN.uniform(-1, 1, shape).astype(dtype)


def same_pads(size, k, stride, dilation):
    eff = (k - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


def gathered_windows(x, ksize, strides, dilations, padding):
    """Every window of NHWC x by fancy indexing: [N, oh, ow, kh, kw, C]."""
    pads = [same_pads(x.shape[1 + a], ksize[a], strides[a], dilations[a])
            if padding == "SAME" else (0, 0) for a in (0, 1)]
    xp = np.pad(x, [(0, 0), pads[0], pads[1], (0, 0)])
    index = []
    for a in (0, 1):
        eff = (ksize[a] - 1) * dilations[a] + 1
        out = (xp.shape[1 + a] - eff) // strides[a] + 1
        index.append(np.arange(out)[:, None] * strides[a] + np.arange(ksize[a]) * dilations[a])
    rows, cols = index
    return xp[:, rows[:, None, :, None], cols[None, :, None, :], :]


def numpy_conv2d(x, w, strides, padding, dilations=(1, 1)):
    patches = gathered_windows(x, w.shape[:2], strides, dilations, padding)
    return np.einsum("nyxijc,ijco->nyxo", patches, w)


def numpy_depthwise(x, w, strides, padding, dilations=(1, 1)):
    patches = gathered_windows(x, w.shape[:2], strides, dilations, padding)
    out = np.einsum("nyxijc,ijcm->nyxcm", patches, w)
    return out.reshape(out.shape[:3] + (-1,))


@st.composite
def conv_problems(draw):
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilations = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = draw(st.sampled_from(["SAME", "VALID"]))
    h = draw(st.integers((kh - 1) * dilations[0] + 1, 7))
    w = draw(st.integers((kw - 1) * dilations[1] + 1, 7))
    x = rand(draw(st.integers(1, 2)), h, w, draw(st.integers(1, 3)))
    return x, (kh, kw), strides, padding, dilations


@FAST
@given(conv_problems(), st.integers(1, 3))
def test_conv2d_matches_numpy(problem, out_channels):
    x, (kh, kw), strides, padding, dilations = problem
    w = rand(kh, kw, x.shape[3], out_channels)
    got = nn_conv.conv2d(x, w, strides, padding, dilations=dilations).numpy()
    np.testing.assert_allclose(got, numpy_conv2d(x, w, strides, padding, dilations), atol=1e-12)


@FAST
@given(conv_problems(), st.integers(1, 2))
def test_depthwise_conv2d_matches_numpy(problem, multiplier):
    x, (kh, kw), strides, padding, dilations = problem
    w = rand(kh, kw, x.shape[3], multiplier)
    got = nn_depthwise.depthwise_conv2d(x, w, strides, padding, dilations=dilations).numpy()
    np.testing.assert_allclose(got, numpy_depthwise(x, w, strides, padding, dilations),
                               atol=1e-12)


@FAST
@given(conv_problems(), st.integers(1, 3))
def test_conv2d_transpose_is_the_adjoint_of_conv2d(problem, out_channels):
    x, (kh, kw), strides, padding, dilations = problem
    w = rand(kh, kw, x.shape[3], out_channels)
    y = nn_conv.conv2d(x, w, strides, padding, dilations=dilations).numpy()
    v = rand(*y.shape)
    xt = nn_conv.conv2d_transpose(v, w, x.shape, strides, padding, dilations=dilations)
    np.testing.assert_allclose(np.sum(y * v), np.sum(x * xt.numpy()), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32])
def test_conv2d_keeps_the_input_dtype(dtype):
    x = (rand(1, 4, 4, 2) * 4).astype(dtype)
    w = (rand(2, 2, 2, 3) * 4).astype(dtype)
    y = nn_conv.conv2d(x, w, 1, "VALID")
    assert y.numpy().dtype == dtype and y.shape == (1, 3, 3, 3)
    tol = 2e-2 if dtype == np.float16 else 1e-5
    np.testing.assert_allclose(y.numpy().astype(np.float64),
                               numpy_conv2d(x.astype(np.float64), w.astype(np.float64),
                                            (1, 1), "VALID"), rtol=tol, atol=tol)


@pytest.mark.parametrize("strides", [2, [2], [2, 2], [1, 2, 2, 1], constant([2, 2])])
def test_strides_forms_agree(strides):
    x, w = rand(1, 6, 6, 2), rand(3, 3, 2, 2)
    got = nn_conv.conv2d(x, w, strides, "SAME").numpy()
    np.testing.assert_allclose(got, numpy_conv2d(x, w, (2, 2), "SAME"), atol=1e-12)


def test_same_padding_gives_ceil_of_size_over_stride():
    y = nn_conv.conv2d(rand(2, 7, 5, 1), rand(3, 3, 1, 4), [2, 3], "SAME")
    assert y.shape == (2, 4, 2, 4)


def test_nchw_is_nhwc_transposed():
    x, w = rand(2, 5, 6, 3), rand(3, 2, 3, 4)
    nhwc = nn_conv.conv2d(x, w, [1, 2], "SAME", dilations=[2, 1]).numpy()
    nchw = nn_conv.conv2d(np.transpose(x, (0, 3, 1, 2)), w, [1, 1, 1, 2], "SAME",
                          data_format="NCHW", dilations=[1, 1, 2, 1]).numpy()
    np.testing.assert_allclose(np.transpose(nchw, (0, 2, 3, 1)), nhwc, atol=1e-12)


def test_explicit_padding_equals_padding_first():
    x, w = rand(1, 4, 5, 2), rand(2, 3, 2, 3)
    pads = [[0, 0], [1, 2], [0, 3], [0, 0]]
    got = nn_conv.conv2d(x, w, 1, pads).numpy()
    want = numpy_conv2d(np.pad(x, pads), w, (1, 1), "VALID")
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_extra_batch_dimensions_are_kept():
    x, w = rand(2, 3, 5, 5, 1), rand(3, 3, 1, 2)
    y = nn_conv.conv2d(x, w, 1, "VALID").numpy()
    assert y.shape == (2, 3, 3, 3, 2)
    np.testing.assert_allclose(y[1], numpy_conv2d(x[1], w, (1, 1), "VALID"), atol=1e-12)


@pytest.mark.parametrize("data_format", ["NWC", "NCW"])
def test_conv1d_is_conv2d_with_height_one(data_format):
    x, w = rand(2, 7, 3), rand(3, 3, 2)
    inputs = x if data_format == "NWC" else np.transpose(x, (0, 2, 1))
    y = nn_conv.conv1d(inputs, w, 2, "SAME", data_format=data_format).numpy()
    if data_format == "NCW":
        y = np.transpose(y, (0, 2, 1))
    want = numpy_conv2d(x[:, None], w[None], (1, 2), "SAME")[:, 0]
    np.testing.assert_allclose(y, want, atol=1e-12)


def test_conv2d_transpose_output_shape_and_errors():
    y = nn_conv.conv2d_transpose(rand(2, 3, 3, 4), rand(3, 3, 5, 4), [2, 6, 6, 5], 2)
    assert y.shape == (2, 6, 6, 5)
    with pytest.raises(InvalidArgumentError, match="out_backprop"):
        nn_conv.conv2d_transpose(rand(2, 3, 3, 4), rand(3, 3, 5, 4), [2, 9, 9, 5], 2)
    with pytest.raises(InvalidArgumentError, match="Conv2DBackpropInput"):
        nn_conv.conv2d_transpose(rand(2, 3, 3, 3), rand(3, 3, 5, 4), [2, 6, 6, 5], 2)


def test_errors_name_the_op_and_the_shapes():
    with pytest.raises(InvalidArgumentError, match=r"Conv2D.*4-dimensional.*\[28, 28, 1\]"):
        nn_conv.conv2d(rand(28, 28, 1), rand(3, 3, 1, 2), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="input depth 3 does not match filter depth 4"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 4, 2), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="'padding' of 'same'"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), 1, "same")
    with pytest.raises(InvalidArgumentError, match="strides must be positive"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), 0, "SAME")
    with pytest.raises(ValueError, match="strides should be of length 1, 2 or 4 but was 3"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), [1, 1, 1], "SAME")
    with pytest.raises(InvalidArgumentError, match="batch and depth"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), [2, 1, 1, 1], "SAME")
    with pytest.raises(InvalidArgumentError, match="batch or depth"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), 1, [[1, 0], [0, 0], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match="must be of size 4"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), 1, [[0, 0], [0, 0]])
    with pytest.raises(InvalidArgumentError, match="output size would be negative"):
        nn_conv.conv2d(rand(1, 2, 5, 3), rand(4, 3, 3, 2), 1, "VALID")
    with pytest.raises(InvalidArgumentError, match="data_format"):
        nn_conv.conv2d(rand(1, 5, 5, 3), rand(3, 3, 3, 2), 1, "SAME", data_format="NWHC")
    with pytest.raises(InvalidArgumentError, match="int32 tensor"):
        nn_conv.conv2d(constant(rand(1, 5, 5, 3)), constant(rand(3, 3, 3, 2).astype(np.int32)),
                       1, "SAME")


def test_depthwise_channel_order_and_errors():
    x, w = rand(1, 4, 4, 2), rand(3, 3, 2, 3)
    y = nn_depthwise.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME").numpy()
    for c in range(2):
        for m in range(3):
            want = numpy_conv2d(x[..., c:c + 1], w[:, :, c:c + 1, m:m + 1], (1, 1), "SAME")
            np.testing.assert_allclose(y[..., c * 3 + m], want[..., 0], atol=1e-12)
    with pytest.raises(InvalidArgumentError, match="input depth 2 does not match filter depth 3"):
        nn_depthwise.depthwise_conv2d(x, rand(3, 3, 3, 1), [1, 1, 1, 1], "SAME")


def test_depthwise_backprops_match_the_tape():
    x, w = rand(2, 5, 5, 2), rand(3, 3, 2, 2)
    dy = rand(2, 3, 3, 4)
    xt, wt = constant(x), constant(w)
    with GradientTape() as tape:
        tape.watch([xt, wt])
        y = nn_depthwise.depthwise_conv2d(xt, wt, [1, 2, 2, 1], "SAME")
    dx, dw = tape.gradient(y, [xt, wt], output_gradients=dy)
    bi = nn_depthwise.depthwise_conv2d_backprop_input(x.shape, w, dy, [1, 2, 2, 1], "SAME")
    bf = nn_depthwise.depthwise_conv2d_backprop_filter(x, w.shape, dy, [1, 2, 2, 1], "SAME")
    np.testing.assert_allclose(dx.numpy(), bi.numpy())
    np.testing.assert_allclose(dw.numpy(), bf.numpy())


def test_second_order_gradient_through_conv2d():
    x, w, v = rand(1, 5, 5, 2), rand(3, 3, 2, 2), rand(1, 3, 3, 2)

    def input_grad_norm(filters):
        return np.sum(nn_conv.conv2d_transpose(v, filters, x.shape, 1, "VALID").numpy() ** 2)

    xt, wt = constant(x), constant(w)
    with GradientTape() as outer:
        outer.watch(wt)
        with GradientTape() as inner:
            inner.watch(xt)
            loss = reduce_sum(multiply(nn_conv.conv2d(xt, wt, 1, "VALID"), v))
        dx = inner.gradient(loss, xt)
        norm = reduce_sum(multiply(dx, dx))
    analytic = outer.gradient(norm, wt).numpy()
    numerical = np.zeros_like(w)
    for k in range(w.size):
        step = np.zeros(w.size)
        step[k] = 1e-6
        step = step.reshape(w.shape)
        numerical.flat[k] = (input_grad_norm(w + step) - input_grad_norm(w - step)) / 2e-6
    np.testing.assert_allclose(analytic, numerical, rtol=1e-6, atol=1e-8)


def test_float32_gradients_stay_float32():
    xt, wt = constant(rand(2, 6, 6, 1, dtype=np.float32)), constant(rand(3, 3, 1, 4,
                                                                          dtype=np.float32))
    with GradientTape() as tape:
        tape.watch([xt, wt])
        y = nn_conv.conv2d(xt, wt, 1, "SAME")
    dx, dw = tape.gradient(y, [xt, wt])
    assert dx.numpy().dtype == np.float32 and dw.numpy().dtype == np.float32
    assert dx.shape == (2, 6, 6, 1) and dw.shape == (3, 3, 1, 4)


def test_shape_rules_accept_unknown_dimensions():
    f32 = dtypes.float32
    conv = dict(strides=(2, 2), padding="SAME", dilations=(1, 1), data_format="NHWC")
    spec = nn_conv.Conv2D.infer(Spec((None, 28, None, 1), f32), Spec((3, 3, None, 32), f32),
                                **conv)
    assert spec == Spec((None, 14, None, 32), f32)
    spec = nn_depthwise.DepthwiseConv2dNative.infer(Spec((None, 9, 9, 3), f32),
                                                    Spec((3, 3, 3, None), f32), **conv)
    assert spec.shape == (None, 5, 5, None)
    with pytest.raises(InvalidArgumentError, match="out_backprop has shape"):
        nn_conv.Conv2DBackpropFilter.infer(Spec((None, 28, 28, 1), f32),
                                           Spec((None, 13, None, 32), f32),
                                           filter_sizes=(3, 3, 1, 32), **conv)


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("strides, dilations", [((1, 1), (1, 1)), ((2, 1), (1, 2))])
def test_im2col_rows_match_the_window_view(channels, strides, dilations):
    from eagerflow.backend import numpy_backend as backend
    x = np.random.default_rng(5).normal(size=(2, 9, 8, channels)).astype(np.float32)
    view = backend.windows(x, (3, 2), strides, dilations)
    expected = np.ascontiguousarray(view).reshape(-1, 3 * 2 * channels)
    np.testing.assert_array_equal(backend.window_rows(view), expected)
