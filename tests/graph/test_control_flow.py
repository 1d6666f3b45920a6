import numpy as np
import pytest

import eagerflow as tf


def test_eager_cond_and_while_loop_are_python():
    assert float(tf.cond(tf.constant(False), lambda: 1.0, lambda: tf.constant(2.0))) == 2.0
    i, total = tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t + i),
                             (tf.constant(0), tf.constant(0)))
    assert int(i) == 4 and int(total) == 6
    capped = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [tf.constant(0)],
                           maximum_iterations=7)
    assert int(capped[0]) == 7


def test_cond_in_a_function_chooses_at_run_time():
    @tf.function
    def absolute(x):
        return tf.cond(x > 0, lambda: x, lambda: -x)

    assert float(absolute(tf.constant(3.0))) == 3.0
    assert float(absolute(tf.constant(-2.0))) == 2.0
    assert absolute.experimental_get_tracing_count() == 1
    graph = absolute.get_concrete_function(tf.constant(1.0)).graph
    assert [op.type for op in graph.get_operations()][-1] == "Cond"


def test_while_loop_in_a_function_with_captures_and_variables():
    step = tf.Variable(2.0)

    @tf.function
    def count(limit, start):
        return tf.while_loop(lambda i, x: i < limit, lambda i, x: (i + 1, x * step),
                             (tf.constant(0), start))

    i, x = count(tf.constant(3), tf.constant(1.0))
    assert int(i) == 3 and float(x) == 8.0
    step.assign(3.0)
    assert float(count(tf.constant(2), tf.constant(1.0))[1]) == 9.0


def test_nested_control_flow():
    @tf.function
    def collatz_steps(n):
        def body(n, steps):
            n = tf.cond(tf.math.floormod(n, 2) == 0, lambda: n // 2, lambda: 3 * n + 1)
            return n, steps + 1
        return tf.while_loop(lambda n, s: n > 1, body, (n, tf.constant(0)))[1]

    assert int(collatz_steps(tf.constant(6))) == 8
    assert int(collatz_steps(tf.constant(27))) == 111


def test_loop_shapes_must_stay_unless_invariants_allow():
    @tf.function
    def grow(x):
        return tf.while_loop(lambda x: tf.size(x) < 8, lambda x: tf.concat([x, x], 0), [x])

    with pytest.raises(ValueError, match="shape_invariants"):
        grow(tf.constant([1.0]))

    @tf.function
    def grow_relaxed(x):
        return tf.while_loop(lambda x: tf.size(x) < 8, lambda x: tf.concat([x, x], 0), [x],
                             shape_invariants=[tf.TensorShape([None])])

    np.testing.assert_array_equal(grow_relaxed(tf.constant([1.0]))[0].numpy(), np.ones(8))


def test_branches_must_agree():
    @tf.function
    def mismatched(x):
        return tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32))

    with pytest.raises(TypeError, match="different dtypes"):
        mismatched(tf.constant(1.0))


def test_gradients_flow_through_graph_cond():
    @tf.function
    def f(x, w):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: x * x * w, lambda: tf.sin(x) + w)
        return tape.gradient(y, [x, w])

    w = tf.Variable(3.0)
    dx, dw = f(tf.constant(2.0), w)
    assert float(dx) == 12.0 and float(dw) == 4.0
    dx, dw = f(tf.constant(-1.0), w)
    np.testing.assert_allclose(float(dx), np.cos(-1.0), rtol=1e-6)
    assert float(dw) == 1.0


def test_second_order_gradient_through_cond():
    @tf.function
    def f(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.cond(x > 0, lambda: x * x * x, lambda: x)
            dy = inner.gradient(y, x)
        return dy, outer.gradient(dy, x)

    dy, d2y = f(tf.constant(2.0))
    assert float(dy) == 12.0 and float(d2y) == 12.0


def test_gradients_flow_through_graph_while_loop():
    w = tf.Variable(1.5)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            i, y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x * w),
                                 (tf.constant(0), tf.constant(1.0)))
        return y, tape.gradient(y, [x, w])

    y, (dx, dw) = f(tf.constant(2.0))
    # y = (x w)^3: dy/dx = 3 x^2 w^3, dy/dw = 3 x^3 w^2
    np.testing.assert_allclose(float(y), 27.0)
    np.testing.assert_allclose(float(dx), 3 * 4 * 1.5 ** 3, rtol=1e-6)
    np.testing.assert_allclose(float(dw), 3 * 8 * 1.5 ** 2, rtol=1e-6)
    y, (dx, dw) = f(tf.constant(1.0))
    np.testing.assert_allclose(float(dx), 3 * 1.5 ** 3, rtol=1e-6)


def test_a_tape_outside_a_function_differentiates_its_cond_and_while_loop():
    @tf.function
    def cube(x):
        _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x),
                             (0, tf.constant(1.0)))
        return y

    @tf.function
    def square_if_positive(x):
        return tf.cond(x > 0, lambda: x * x, lambda: x)

    x = tf.constant(1.5)
    for fn, expected in ((cube, 3 * 1.5 ** 2), (square_if_positive, 3.0)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        assert float(tape.gradient(y, x)) == pytest.approx(expected)


@pytest.mark.parametrize("method", ["assign", "assign_add"])
def test_each_iteration_of_a_graph_loop_sees_what_the_last_one_assigned(method):
    v = tf.Variable(1.0)

    @tf.function
    def doubled_three_times():
        for _ in tf.range(3):  # nothing reads the loop's outputs: it runs for its effects
            if method == "assign":
                v.assign(v * 2.0)
            else:
                v.assign_add(v)

    doubled_three_times()
    assert v.numpy() == 8.0


def test_a_cond_that_only_assigns_still_runs():
    v = tf.Variable(0.0)

    @tf.function
    def bump(x):
        tf.cond(x > 0, lambda: v.assign_add(1.0), lambda: v.assign_sub(1.0))

    bump(tf.constant(1.0))
    bump(tf.constant(-1.0))
    bump(tf.constant(2.0))
    assert v.numpy() == 1.0
