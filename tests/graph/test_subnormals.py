"""Compiled code flushes subnormal floats to zero, as TF's kernels do, and gives the
thread's IEEE mode back afterwards."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.backend import float_modes

TINY = np.float32(1e-20)  # TINY * TINY is subnormal in IEEE float32


def ieee_product():
    return np.array([TINY]) * np.array([TINY])


@tf.function
def square(x):
    return x * x


def test_a_compiled_product_below_the_normal_range_is_zero():
    flushed = square(tf.constant([TINY, 2.0], tf.float32)).numpy()
    expected = [0.0, 4.0] if float_modes.supported() else [TINY * TINY, 4.0]
    np.testing.assert_array_equal(flushed, np.array(expected, np.float32))


def test_a_subnormal_input_counts_as_zero():
    subnormal = np.float32(1e-40)

    @tf.function
    def double(x):
        return x * 2.0

    result = double(tf.constant([subnormal])).numpy()
    assert result[0] == (0.0 if float_modes.supported() else 2 * subnormal)


def test_numpy_outside_keeps_ieee_arithmetic_after_a_run_and_after_an_error():
    square(tf.constant([1.0]))
    assert ieee_product()[0] > 0

    @tf.function
    def failing(x):
        return tf.reshape(x, [3])

    with pytest.raises(tf.errors.InvalidArgumentError):
        failing(tf.constant([1.0, 2.0]))
    assert ieee_product()[0] > 0


def test_the_mode_is_left_alone_when_already_set():
    saved = float_modes.flush_subnormals()
    try:
        assert float_modes.flush_subnormals() is None
        assert square(tf.constant([1.0])).numpy()[0] == 1.0
        if float_modes.supported():
            assert ieee_product()[0] == 0.0  # still flushing: the run did not restore
    finally:
        float_modes.restore(saved)
    assert ieee_product()[0] > 0
