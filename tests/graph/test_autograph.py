"""AutoGraph: Python control flow on tensors inside tf.function becomes graph control flow;
on Python values it stays Python (unrolled at trace time)."""

import numpy as np
import pytest

import eagerflow as tf


def test_if_on_a_tensor_becomes_a_cond():
    @tf.function
    def absolute(x):
        if x > 0:
            y = x
        else:
            y = -x
        return y

    assert float(absolute(tf.constant(-3.0))) == 3.0
    assert float(absolute(tf.constant(2.0))) == 2.0
    assert absolute.experimental_get_tracing_count() == 1
    types = [op.type for op in absolute.get_concrete_function(tf.constant(1.0)).graph
             .get_operations()]
    assert "Cond" in types


def test_if_on_a_python_value_stays_python():
    @tf.function
    def scale(x, double):
        if double:
            x = x * 2.0
        return x

    assert float(scale(tf.constant(3.0), True)) == 6.0
    assert float(scale(tf.constant(3.0), False)) == 3.0
    graph = scale.get_concrete_function(tf.constant(1.0), False).graph
    assert [op.type for op in graph.get_operations()] == ["Placeholder"]


def test_while_and_for_over_tensors():
    @tf.function
    def triangle(n):
        total = tf.constant(0)
        i = 0
        while i < n:
            i += 1
            total += i
        squares = tf.constant(0)
        for k in tf.range(n + 1):
            squares += k * k
        return total, squares

    total, squares = triangle(tf.constant(4))
    assert int(total) == 10 and int(squares) == 30
    total, squares = triangle(tf.constant(6))
    assert int(total) == 21 and int(squares) == 91
    assert triangle.experimental_get_tracing_count() == 1


def test_for_over_a_tensor_iterates_its_rows():
    @tf.function
    def row_sums(m):
        total = tf.zeros([3])
        for row in m:
            total += row
        return total

    m = np.arange(12, dtype=np.float32).reshape(4, 3)
    np.testing.assert_array_equal(row_sums(tf.constant(m)).numpy(), m.sum(axis=0))


def test_python_loops_unroll_at_trace_time():
    @tf.function
    def power(x):
        result = x
        for _ in range(3):
            result = result * x
        return result

    assert float(power(tf.constant(2.0))) == 16.0
    types = [op.type for op in power.get_concrete_function(tf.constant(1.0)).graph
             .get_operations()]
    assert types.count("Mul") == 3 and "While" not in types


def test_nested_control_flow():
    @tf.function
    def count_odd_below(n):
        count = 0
        i = 0
        while i < n:
            if i % 2 == 1:
                count += 1
            i += 1
        return count

    assert int(count_odd_below(tf.constant(9))) == 4


def test_a_variable_undefined_on_one_path_is_an_error():
    @tf.function
    def partial(x):
        if x > 0:
            y = x
        return y

    with pytest.raises(ValueError, match="'y' must be defined"):
        partial(tf.constant(1.0))


def test_break_and_continue_in_a_tensor_while():
    @tf.function
    def first_odd_square_above(n, limit):
        i = tf.constant(0)
        found = tf.constant(-1)
        while i < n:
            i += 1
            if i % 2 == 0:
                continue
            if i * i > limit:
                found = i
                break
        return found, i

    found, stopped_at = first_odd_square_above(tf.constant(100), tf.constant(50))
    assert int(found) == 9 and int(stopped_at) == 9
    found, stopped_at = first_odd_square_above(tf.constant(5), tf.constant(1000))
    assert int(found) == -1 and int(stopped_at) == 5


def test_break_in_a_for_over_a_tensor():
    @tf.function
    def sum_until(xs, stop):
        total = tf.constant(0.0)
        for x in xs:
            if x == stop:
                break
            total += x
        return total

    assert float(sum_until(tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant(3.0))) == 3.0
    assert float(sum_until(tf.constant([1.0, 2.0]), tf.constant(9.0))) == 3.0


def test_break_and_continue_in_python_loops_stay_python():
    @tf.function
    def evens_below_six(x):
        for i in range(10):
            if i % 2:
                continue
            if i >= 6:
                break
            x = x + i
        return x

    assert float(evens_below_six(tf.constant(0.0))) == 6.0  # 0 + 2 + 4
    types = [op.type for op in evens_below_six.get_concrete_function(tf.constant(0.0))
             .graph.get_operations()]
    assert "While" not in types and "Cond" not in types


def test_early_returns_in_ifs_convert():
    @tf.function
    def sign_label(x):
        if x > 0:
            return tf.constant(1)
        if x < 0:
            return tf.constant(-1)
        return tf.constant(0)

    assert [int(sign_label(tf.constant(v))) for v in (3.0, -2.0, 0.0)] == [1, -1, 0]
    assert sign_label.experimental_get_tracing_count() == 1


def test_returns_inside_tensor_loops_convert():
    @tf.function
    def first_positive(xs):
        for x in xs:
            if x > 0:
                return x
        return tf.constant(-1.0)

    assert float(first_positive(tf.constant([-1.0, 2.0, 3.0]))) == 2.0
    assert float(first_positive(tf.constant([-1.0, -2.0, -3.0]))) == -1.0
    assert first_positive.experimental_get_tracing_count() == 1

    @tf.function
    def first_square_above(n, target):
        i = tf.constant(0)
        while i < n:
            if i * i >= target:
                return i
            i += 1
        return -1

    assert int(first_square_above(tf.constant(10), tf.constant(20))) == 5
    assert int(first_square_above(tf.constant(3), tf.constant(20))) == -1


def test_a_loop_may_return_a_tuple():
    @tf.function
    def first_above(n, limit):
        for i in tf.range(n):
            if i > limit:
                return i, i * 2
        return -1, -2

    assert [int(v) for v in first_above(tf.constant(5), tf.constant(2))] == [3, 6]
    assert [int(v) for v in first_above(tf.constant(2), tf.constant(2))] == [-1, -2]


def test_a_return_in_a_nested_loop_leaves_both_loops():
    @tf.function
    def first_pair(n):
        for i in tf.range(n):
            for j in tf.range(n):
                if i * j == 6:
                    return i * 10 + j
        return -1

    assert int(first_pair(tf.constant(5))) == 23
    assert int(first_pair(tf.constant(3))) == -1


def test_returns_in_python_loops_keep_python_semantics():
    @tf.function
    def first_big(values, x):
        for v in values:
            if v > 1:
                return x * v
        return x

    assert float(first_big([0, 2, 3], tf.constant(1.5))) == 3.0
    assert float(first_big([0], tf.constant(1.5))) == 1.5


def test_gradients_flow_through_a_return_inside_a_loop():
    def scaled_until(x, limit):
        y = x
        for k in tf.range(1, 10):
            y = x * tf.cast(k, tf.float32)
            if y > limit:
                return y * y
        return x

    x = tf.constant(1.5)
    for fn in (scaled_until, tf.function(scaled_until)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x, tf.constant(4.0))
        assert float(y) == 20.25                         # k = 3: (3x)^2
        assert float(tape.gradient(y, x)) == 18.0 * 1.5   # d/dx 9x^2


def test_to_code_shows_the_conversion():
    def f(x):
        if x > 0:
            x = x + 1
        return x

    code = tf.autograph.to_code(f)
    assert "ag__.if_stmt(x > 0" in code and "def ag__if_true_1(x):" in code


def test_errors_in_converted_code_point_at_the_users_lines():
    @tf.function
    def f(x):
        if tf.reduce_sum(x) > 0:
            y = tf.reshape(x, [7])
        else:
            y = x
        return y

    with pytest.raises(tf.errors.InvalidArgumentError) as caught:
        f(tf.ones([2, 3]))
    first = f.python_function.__code__.co_firstlineno
    note = "\n".join(caught.value.__notes__)
    assert note.startswith("in user code (while tracing f):")
    assert f'"{__file__}", line {first + 2}, in f\n        if tf.reduce_sum(x) > 0:' in note
    assert f"line {first + 3}" in note and "y = tf.reshape(x, [7])" in note
    frames = [(frame.filename, frame.lineno) for frame in
              __import__("traceback").extract_tb(caught.value.__traceback__)]
    assert (__file__, first + 2) in frames and (__file__, first + 3) in frames


def test_and_or_not_on_tensors_become_graph_logic():
    @tf.function
    def classify(x, y):
        if x > 0 and y > 0:
            return 1
        elif not x > 0 or y < -5:
            return 2
        return 3

    cases = [((1.0, 2.0), 1), ((-1.0, 2.0), 2), ((1.0, -9.0), 2), ((1.0, -2.0), 3)]
    for (x, y), expected in cases:
        assert int(classify(tf.constant(x), tf.constant(y))) == expected
    assert classify.experimental_get_tracing_count() == 1


def test_and_on_a_tensor_evaluates_its_right_side_only_when_needed():
    @tf.function
    def safe_lookup(values, i):
        return i < tf.size(values) and tf.gather(values, i) > 0

    values = tf.constant([1.0, -1.0])
    assert bool(safe_lookup(values, tf.constant(0)))
    assert not bool(safe_lookup(values, tf.constant(1)))
    assert not bool(safe_lookup(values, tf.constant(5)))   # the gather would fail


def test_and_or_on_python_values_keep_python_semantics():
    @tf.function
    def pick(x, flag):
        label = flag and "on" or "off"
        return x + (1.0 if not flag else 2.0), label

    assert pick(tf.constant(1.0), True)[1] == "on"
    assert pick(tf.constant(1.0), 0)[1] == "off"
    assert float(pick(tf.constant(1.0), 0)[0]) == 2.0


def test_a_lambda_whose_line_does_not_parse_alone_runs_as_written(caplog):
    table = {
        "double": tf.function(lambda x: x * 2.0),
    }
    assert float(table["double"](tf.constant(3.0))) == 6.0
    assert "could not convert" in caplog.text


def test_names_first_set_inside_a_tensor_loop_are_local_to_each_iteration():
    w = tf.Variable([0.5, -0.5])

    @tf.function
    def descend():
        for _ in tf.range(3):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(w * w)
            w.assign_sub(0.1 * tape.gradient(loss, w))

    descend()
    np.testing.assert_allclose(w.numpy(), [0.5 * 0.8 ** 3, -0.5 * 0.8 ** 3], rtol=1e-6)

    @tf.function
    def used_after(n):
        i = tf.constant(0)
        while i < n:
            square = i * i
            i += 1
        return square

    with pytest.raises(ValueError, match="'square' is set only inside a tensor-dependent "
                                         "`while`, so it has no value after it"):
        used_after(tf.constant(3))


def test_a_tf_function_called_inside_another_is_converted_too():
    @tf.function
    def clipped(x):
        if tf.reduce_sum(x) > 1.0:
            x = x / tf.reduce_sum(x)
        return x

    @tf.function
    def outer(x):
        return clipped(x) * 2.0

    np.testing.assert_allclose(outer(tf.constant([1.0, 3.0])).numpy(), [0.5, 1.5])
    np.testing.assert_allclose(outer(tf.constant([0.25, 0.25])).numpy(), [0.5, 0.5])
    assert outer.experimental_get_tracing_count() == 1
