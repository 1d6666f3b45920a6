"""Execution state is per thread: tapes and traces on one thread never see another's ops."""

import threading

import numpy as np

import eagerflow as tf


def _in_thread(work):
    results = []
    thread = threading.Thread(target=lambda: results.append(work()))
    thread.start()
    thread.join()
    return results[0]


def test_a_tape_does_not_record_another_threads_ops():
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
        elsewhere = _in_thread(lambda: x * 10.0 + tf.random.normal(()))
    assert tape.gradient(y, x).numpy() == 6.0
    assert tape.gradient(elsewhere, x) is None


def test_a_thread_runs_eagerly_while_another_traces():
    seen = {}

    @tf.function
    def traced(x):
        seen["eager_elsewhere"] = _in_thread(
            lambda: (tf.executing_eagerly(), tf.random.uniform((2,)).numpy().shape))
        return x + 1.0

    assert traced(tf.constant(1.0)).numpy() == 2.0
    assert seen["eager_elsewhere"] == (True, (2,))


def test_each_thread_has_its_own_tape():
    def gradient_in_thread():
        v = tf.Variable(2.0)
        with tf.GradientTape() as tape:
            y = v * v * v
        return tape.gradient(y, v).numpy()

    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        inner = _in_thread(gradient_in_thread)
        y = 5.0 * x
    assert inner == 12.0
    assert tape.gradient(y, x).numpy() == 5.0


def test_a_variable_assigned_in_a_thread_during_a_trace_changes_now():
    v = tf.Variable(np.zeros(2, np.float32))

    @tf.function
    def traced(x):
        _in_thread(lambda: v.assign([1.0, 2.0]))
        return x * 2.0

    traced(tf.constant(1.0))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
