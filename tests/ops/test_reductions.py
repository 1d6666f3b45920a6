import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from eagerflow import dtypes
from eagerflow.autodiff.tape import GradientTape
from eagerflow.errors import InvalidArgumentError
from eagerflow.framework.convert import constant
from eagerflow.framework.variables import Variable
from eagerflow.ops import reductions as r
from eagerflow.ops import reductions_stats as rs
from eagerflow.ops import scans
from eagerflow.ops.math_binary import multiply

FAST = settings(max_examples=40, deadline=None)


@st.composite
def array_and_axis(draw, elements=st.floats(-10, 10), dtype=np.float64):
    """An array and a reduction axis: None, an int, or a list of distinct ints (negatives too)."""
    x = draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0,
                                                max_side=4), elements=elements))
    if x.ndim == 0:
        return x, None
    axes = st.integers(-x.ndim, x.ndim - 1)
    axis = draw(st.one_of(st.none(), axes, st.lists(axes, max_size=x.ndim).filter(
        lambda a: len({v % x.ndim for v in a}) == len(a))))
    return x, axis


def numpy_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def gradient(fn, x):
    x = constant(x)
    with GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x).numpy()


NUMPY_REDUCTIONS = [(r.reduce_sum, np.sum), (r.reduce_prod, np.prod),
                    (r.reduce_max, lambda x, axis, keepdims: np.max(
                        x, axis=axis, keepdims=keepdims, initial=-np.inf)),
                    (r.reduce_min, lambda x, axis, keepdims: np.min(
                        x, axis=axis, keepdims=keepdims, initial=np.inf))]


@pytest.mark.parametrize("ours, theirs", NUMPY_REDUCTIONS)
@FAST
@given(case=array_and_axis(), keepdims=st.booleans())
def test_reductions_match_numpy(ours, theirs, case, keepdims):
    x, axis = case
    got = ours(x, axis=axis, keepdims=keepdims).numpy()
    np.testing.assert_allclose(got, theirs(x, axis=numpy_axis(axis), keepdims=keepdims),
                               rtol=1e-12, atol=1e-12)


@FAST
@given(case=array_and_axis(), keepdims=st.booleans())
def test_mean_variance_std_match_numpy(case, keepdims):
    x, axis = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns about empty slices; the values are nan
        expected = [np.mean(x, axis=numpy_axis(axis), keepdims=keepdims),
                    np.var(x, axis=numpy_axis(axis), keepdims=keepdims),
                    np.std(x, axis=numpy_axis(axis), keepdims=keepdims)]
    got = [f(x, axis=axis, keepdims=keepdims).numpy()
           for f in (r.reduce_mean, rs.reduce_variance, rs.reduce_std)]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-9, atol=1e-9)


@FAST
@given(case=array_and_axis(elements=st.floats(-300, 300)), keepdims=st.booleans())
def test_logsumexp_and_norm_match_numpy(case, keepdims):
    x, axis = case
    axes = numpy_axis(axis)
    with np.errstate(divide="ignore"):
        expected = np.log(np.sum(np.exp(x.astype(np.longdouble)), axis=axes, keepdims=keepdims))
    got = rs.reduce_logsumexp(x, axis=axis, keepdims=keepdims).numpy()
    np.testing.assert_allclose(got, expected.astype(np.float64), rtol=1e-12, atol=1e-12)
    norm = rs.reduce_euclidean_norm(x, axis=axis, keepdims=keepdims).numpy()
    np.testing.assert_allclose(norm, np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdims)))


@FAST
@given(case=array_and_axis(elements=st.integers(-50, 50), dtype=np.int32),
       keepdims=st.booleans())
def test_integer_reductions_keep_dtype(case, keepdims):
    x, axis = case
    for fn in (r.reduce_sum, r.reduce_max, r.reduce_min, r.reduce_mean, r.reduce_prod):
        assert fn(x, axis=axis, keepdims=keepdims).dtype == dtypes.int32
    total = r.reduce_sum(x, axis=axis, keepdims=keepdims).numpy()
    assert np.array_equal(total, np.sum(x, axis=numpy_axis(axis), keepdims=keepdims))


def test_integer_mean_truncates_toward_zero_like_tf():
    assert r.reduce_mean(np.array([1, 2], np.int32)).numpy() == 1
    assert r.reduce_mean(np.array([-1, -2], np.int32)).numpy() == -1
    assert r.reduce_mean(np.array([[7, -7], [8, 0]], np.int64), axis=1).numpy().tolist() == [0, 4]
    assert r.reduce_mean(np.zeros((0,), np.int32)).numpy() == 0


def test_empty_reductions_give_tf_identities():
    empty = np.zeros((0, 3), np.float32)
    assert r.reduce_sum(empty).numpy() == 0
    assert r.reduce_prod(empty).numpy() == 1
    assert r.reduce_max(empty).numpy() == -np.inf
    assert r.reduce_min(empty).numpy() == np.inf
    assert np.isnan(r.reduce_mean(empty).numpy())
    assert r.reduce_max(empty, axis=0).numpy().tolist() == [-np.inf] * 3
    ints = np.zeros((0,), np.int32)
    assert r.reduce_max(ints).numpy() == np.iinfo(np.int32).min
    assert r.reduce_min(ints).numpy() == np.iinfo(np.int32).max
    assert rs.reduce_logsumexp(empty).numpy() == -np.inf
    assert rs.reduce_euclidean_norm(empty).numpy() == 0
    assert not r.reduce_any(np.zeros(0, bool)).numpy()
    assert r.reduce_all(np.zeros(0, bool)).numpy()


def test_axis_argument_forms_agree():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    expected = np.sum(x, axis=(0, 2))
    for axis in ([0, 2], (0, -1), [-3, 2], constant([0, 2]), np.array([2, 0]), [0, 2, -1]):
        got = r.reduce_sum(x, axis=axis)
        assert got.dtype == dtypes.float32 and np.array_equal(got.numpy(), expected)
    assert r.reduce_sum(x, axis=constant(-1)).shape == (2, 3)
    assert r.reduce_mean(x, axis=1, keepdims=True).shape == (2, 1, 4)
    assert np.array_equal(r.reduce_sum(x, axis=[]).numpy(), x)


def test_inputs_may_be_lists_scalars_and_variables():
    assert r.reduce_sum([[1, 2], [3, 4]]).dtype == dtypes.int32
    assert r.reduce_max(3.5).numpy() == np.float32(3.5)
    v = Variable([[1.0, 2.0], [3.0, 5.0]])
    assert r.reduce_mean(v).numpy() == np.float32(2.75)
    with GradientTape() as tape:
        y = r.reduce_prod(v)
    assert tape.gradient(y, v).numpy().tolist() == [[30.0, 15.0], [10.0, 6.0]]


def test_bad_axis_raises_invalid_argument_naming_op_and_axis():
    with pytest.raises(InvalidArgumentError, match=r"Sum.*axis 2.*rank 2"):
        r.reduce_sum(np.ones((2, 3)), axis=2)
    with pytest.raises(InvalidArgumentError, match=r"Max.*axis -3"):
        r.reduce_max(np.ones((2, 3)), axis=-3)
    with pytest.raises(InvalidArgumentError, match=r"Any.*dtype float32"):
        r.reduce_any(np.ones(3, np.float32))
    with pytest.raises(InvalidArgumentError, match=r"Max.*bool"):
        r.reduce_max(np.ones(3, bool))


def test_max_and_min_share_gradient_between_ties():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    assert np.allclose(gradient(lambda t: r.reduce_max(t, axis=1), x),
                       [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    assert np.allclose(gradient(lambda t: r.reduce_min(t, axis=-1), x),
                       [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    assert np.allclose(gradient(lambda t: r.reduce_min(t), x), [[1, 0, 0], [0, 0, 0]])
    assert np.allclose(gradient(lambda t: r.reduce_max(t, keepdims=True), x),
                       [[0, 0.5, 0.5], [0, 0, 0]])


def test_prod_gradient_with_zeros():
    x = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0]])
    assert gradient(lambda t: r.reduce_prod(t, axis=1), x).tolist() == [[0, 6, 0], [0, 0, 0]]
    assert gradient(lambda t: r.reduce_prod(t, axis=0), x).tolist() == [[0, 0, 4], [2, 0, 3]]
    y = np.array([[2.0, 1.5], [-1.0, 3.0]])
    assert np.allclose(gradient(r.reduce_prod, y), [[-4.5, -6.0], [9.0, -3.0]])


def test_second_order_gradients_of_prod_and_logsumexp():
    x = constant(np.array([2.0, 3.0, 5.0]))
    with GradientTape() as outer:
        outer.watch(x)
        with GradientTape() as inner:
            inner.watch(x)
            y = r.reduce_prod(x)
        g = inner.gradient(y, x)
        total = r.reduce_sum(g)
    # d/dx_i sum_j prod_{k != j} x_k = sum_{j != i} prod_{k != i, j} x_k
    assert np.allclose(outer.gradient(total, x).numpy(), [8.0, 7.0, 5.0])
    with GradientTape() as outer:
        outer.watch(x)
        with GradientTape() as inner:
            inner.watch(x)
            y = rs.reduce_logsumexp(x)
        g = inner.gradient(y, x)
        first = r.reduce_sum(multiply(g, constant([1.0, 0.0, 0.0], dtype=dtypes.float64)))
    p = np.exp(x.numpy() - np.log(np.sum(np.exp(x.numpy()))))
    assert np.allclose(outer.gradient(first, x).numpy(), p[0] * (np.eye(3)[0] - p))


def test_mean_gradient_and_dtype():
    x = np.ones((2, 4), np.float32)
    g = gradient(lambda t: r.reduce_mean(t, axis=[0, 1]), x)
    assert g.dtype == np.float32 and np.allclose(g, 1 / 8)
    assert r.reduce_mean(np.array([1, 2], np.float16)).dtype == dtypes.float16


def test_logsumexp_is_stable_and_handles_infinities():
    assert rs.reduce_logsumexp([1000.0, 1000.0]).numpy() == pytest.approx(1000 + math.log(2))
    assert rs.reduce_logsumexp([-1000.0, -1000.0]).numpy() == pytest.approx(-1000 + math.log(2))
    assert rs.reduce_logsumexp([-np.inf, -np.inf]).numpy() == -np.inf
    assert rs.reduce_logsumexp([np.inf, 1.0]).numpy() == np.inf
    x = np.array([[1.0, 2.0, 3.0]])
    softmax = np.exp(x) / np.sum(np.exp(x))
    assert np.allclose(gradient(lambda t: rs.reduce_logsumexp(t, axis=-1), x), softmax)
    with pytest.raises(InvalidArgumentError, match="ReduceLogSumExp"):
        rs.reduce_logsumexp(np.ones(3, np.int32))


def test_variance_and_std():
    x = np.array([[1.0, 2.0], [3.0, 7.0]], np.float32)
    assert rs.reduce_variance(x).numpy() == pytest.approx(5.1875)
    assert rs.reduce_std(x, axis=1).numpy().tolist() == pytest.approx([0.5, 2.0])
    assert rs.reduce_variance(x, axis=0, keepdims=True).dtype == dtypes.float32
    g = gradient(lambda t: rs.reduce_variance(t, axis=1), x.astype(np.float64))
    assert np.allclose(g, [[-0.5, 0.5], [-2.0, 2.0]])
    with pytest.raises(TypeError, match="reduce_variance.*int32"):
        rs.reduce_variance(np.array([1, 2], np.int32))


def test_euclidean_norm_integers_truncate_like_tf():
    x = np.array([[1, 2, 3], [1, 1, 1]], np.int32)
    out = rs.reduce_euclidean_norm(x)
    assert out.dtype == dtypes.int32 and out.numpy() == 4
    assert rs.reduce_euclidean_norm(x.astype(np.float32)).numpy() == pytest.approx(
        math.sqrt(17))
    assert rs.reduce_euclidean_norm(x, axis=1).numpy().tolist() == [3, 1]
    g = gradient(lambda t: rs.reduce_euclidean_norm(t, axis=0), np.array([[3.0], [4.0]]))
    assert np.allclose(g, [[0.6], [0.8]])


def test_argmax_argmin_follow_tf():
    x = np.array([[1, 5, 5], [7, 0, 7]], np.float32)
    out = rs.argmax(x)
    assert out.dtype == dtypes.int64 and out.numpy().tolist() == [1, 0, 1]
    assert rs.argmax(x, axis=1).numpy().tolist() == [1, 0]
    assert rs.argmin(x, axis=-1, output_type=dtypes.int32).dtype == dtypes.int32
    assert rs.argmin(x, axis=constant(1)).numpy().tolist() == [0, 1]
    with pytest.raises(InvalidArgumentError, match="Reduction axis 0 is empty"):
        rs.argmax(np.zeros((0, 2)))
    with pytest.raises(InvalidArgumentError, match="ArgMax.*scalar"):
        rs.argmax(3.0)
    with pytest.raises(TypeError, match="output_type"):
        rs.argmax(x, output_type=dtypes.float32)
    with GradientTape() as tape:
        t = constant(x)
        tape.watch(t)
        out = rs.argmax(t)
    assert tape.gradient(out, t) is None


def test_count_nonzero():
    x = np.array([[0, 1.5, 0], [np.nan, 0, -2]])
    out = rs.count_nonzero(x)
    assert out.dtype == dtypes.int64 and out.numpy() == 3
    assert rs.count_nonzero(x, axis=1, keepdims=True).numpy().tolist() == [[1], [2]]
    assert rs.count_nonzero(x, axis=0, dtype=dtypes.int32).dtype == dtypes.int32
    assert rs.count_nonzero([True, False, True]).numpy() == 2
    assert rs.count_nonzero(["", "a", "bc"]).numpy() == 2


SCANS = [(scans.cumsum, np.cumsum, 0), (scans.cumprod, np.cumprod, 1)]


@pytest.mark.parametrize("ours, theirs, identity", SCANS)
@FAST
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                                 max_side=4), elements=st.floats(-3, 3)),
       data=st.data(), exclusive=st.booleans(), reverse=st.booleans())
def test_scans_match_numpy(ours, theirs, identity, x, data, exclusive, reverse):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    expected = numpy_scan(theirs, identity, x, axis, exclusive, reverse)
    got = ours(x, axis=axis, exclusive=exclusive, reverse=reverse).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def numpy_scan(accumulate, identity, x, axis, exclusive, reverse):
    lines = np.moveaxis(x, axis, 0)
    if reverse:
        lines = lines[::-1]
    out = accumulate(lines, axis=0)
    if exclusive and len(out):
        out = np.concatenate([np.full((1,) + out.shape[1:], identity), out[:-1]])
    if reverse:
        out = out[::-1]
    return np.moveaxis(out, 0, axis)


def test_scan_values_dtypes_and_errors():
    x = np.array([1, 2, 3], np.int32)
    assert scans.cumsum(x).numpy().tolist() == [1, 3, 6]
    assert scans.cumsum(x, exclusive=True).numpy().tolist() == [0, 1, 3]
    assert scans.cumsum(x, reverse=True).numpy().tolist() == [6, 5, 3]
    assert scans.cumsum(x, exclusive=True, reverse=True).numpy().tolist() == [5, 3, 0]
    assert scans.cumprod(x, exclusive=True).numpy().tolist() == [1, 1, 2]
    assert scans.cumsum(x).dtype == dtypes.int32
    assert scans.cumprod(np.ones(2, np.float16)).dtype == dtypes.float16
    assert scans.cumsum([[1.0, 2.0], [3.0, 4.0]], axis=constant(1)).numpy().tolist() == [
        [1, 3], [3, 7]]
    with pytest.raises(InvalidArgumentError, match="Cumsum.*scalar"):
        scans.cumsum(3.0)
    with pytest.raises(InvalidArgumentError, match="Cumprod.*axis 2"):
        scans.cumprod(np.ones((2, 2)), axis=2)


def test_scan_gradients():
    x = np.array([1.0, 2.0, 3.0])
    assert gradient(lambda t: scans.cumsum(t), x).tolist() == [3, 2, 1]
    assert gradient(lambda t: scans.cumsum(t, exclusive=True, reverse=True), x).tolist() == [
        0, 1, 2]
    # d/dx sum(cumprod(x)) = [1 + x2 + x2 x3, x1 + x1 x3, x1 x2]
    assert np.allclose(gradient(scans.cumprod, x), [1 + 2 + 6, 1 + 3, 2])


def test_cumulative_logsumexp():
    x = np.array([[0.5, -1.0, 2.0, 1000.0]])
    expected = np.logaddexp.accumulate(x, axis=1)
    assert np.allclose(scans.cumulative_logsumexp(x, axis=1).numpy(), expected)
    exclusive = scans.cumulative_logsumexp(x, axis=1, exclusive=True).numpy()
    assert exclusive[0, 0] == -np.inf and np.allclose(exclusive[0, 1:], expected[0, :-1])
    reverse = scans.cumulative_logsumexp(x[:, :3], axis=-1, reverse=True).numpy()
    assert np.allclose(reverse, np.flip(np.logaddexp.accumulate(x[:, 2::-1], axis=1), 1))
    # Exclusive scans: out_j = logsumexp(x_0..x_{j-1}); weighted gradient by hand.
    small = np.array([0.5, -1.0, 2.0])
    weights = np.array([1.0, -2.0, 0.5])
    out = np.logaddexp.accumulate(small)
    exclusive_out = np.concatenate([[-np.inf], out[:-1]])
    manual = [sum(weights[j] * math.exp(small[i] - exclusive_out[j]) for j in range(i + 1, 3))
              for i in range(3)]
    got = gradient(lambda t: r.reduce_sum(multiply(scans.cumulative_logsumexp(t, exclusive=True),
                                                   constant(weights))), small)
    assert np.allclose(got, manual)


@pytest.mark.parametrize("keepdims", [False, True])
def test_big_sums_over_leading_axes_match_exact_sums(keepdims):
    # The bias-gradient shape of a convolution: batch and pixels summed per channel,
    # which the kernel computes as a matrix product once there are enough rows.
    x = np.random.default_rng(3).normal(size=(8, 26, 26, 5)).astype(np.float32)
    got = r.reduce_sum(constant(x), axis=[0, 1, 2], keepdims=keepdims).numpy()
    exact = x.astype(np.float64).sum(axis=(0, 1, 2), keepdims=keepdims)
    assert got.shape == exact.shape and got.dtype == np.float32
    np.testing.assert_allclose(got, exact, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(r.reduce_sum(constant(x), axis=[0, 1]).numpy(),
                               x.astype(np.float64).sum(axis=(0, 1)), rtol=1e-5, atol=1e-4)
