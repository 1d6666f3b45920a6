"""tf.TensorArray eagerly, in graph loops (plain, AutoGraph, dynamic_size), as tf.cond
outputs, and differentiated — graph results equal to eager ones."""

import numpy as np
import pytest

import eagerflow as tf

X = tf.constant([1.0, -2.0, 3.0])


def scaled_rows(x, n, size=None):
    """ta[i] = x * i for i < n, in a tf.while_loop."""
    ta = tf.TensorArray(tf.float32, size=n if size is None else size)
    _, ta = tf.while_loop(lambda i, ta: i < n,
                          lambda i, ta: (i + 1, ta.write(i, x * tf.cast(i, tf.float32))),
                          (0, ta))
    return ta.stack()


def node_types(function, *args):
    return [op.type for op in function.get_concrete_function(*args).graph.get_operations()]


def test_eager_write_read_stack_and_friends():
    ta = tf.TensorArray(tf.float32, size=3)
    for i in range(3):
        ta = ta.write(i, X * float(i))
    np.testing.assert_array_equal(ta.stack().numpy(), [[0, 0, 0], [1, -2, 3], [2, -4, 6]])
    np.testing.assert_array_equal(ta.read(2).numpy(), [2, -4, 6])
    np.testing.assert_array_equal(ta.gather([2, 0]).numpy(), [[2, -4, 6], [0, 0, 0]])
    assert int(ta.size()) == 3 and ta.element_shape == tf.TensorShape([3])
    assert ta.dtype == tf.float32 and not ta.dynamic_size
    assert ta.concat().shape == tf.TensorShape([9])
    np.testing.assert_array_equal(ta.identity().stack().numpy(), ta.stack().numpy())
    assert ta.close() is None


def test_eager_scatter_unstack_split_and_unwritten_zeros():
    ta = tf.TensorArray(tf.int32, size=4, element_shape=[2])
    ta = ta.scatter([3, 1], tf.constant([[1, 2], [3, 4]]))
    np.testing.assert_array_equal(ta.stack().numpy(), [[0, 0], [3, 4], [0, 0], [1, 2]])
    np.testing.assert_array_equal(ta.read(0).numpy(), [0, 0])  # never written: zeros (TF2)
    rows = tf.TensorArray(tf.float32, size=2).unstack(tf.constant([[1.0], [2.0]]))
    np.testing.assert_array_equal(rows.read(1).numpy(), [2.0])
    pieces = tf.TensorArray(tf.float32, size=3).split(tf.range(6.0), [2, 2, 2])
    np.testing.assert_array_equal(pieces.read(2).numpy(), [4.0, 5.0])
    grown = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(2, 5.0)
    np.testing.assert_array_equal(grown.stack().numpy(), [0.0, 0.0, 5.0])


def test_writes_return_new_arrays():
    empty = tf.TensorArray(tf.float32, size=2, element_shape=[])
    written = empty.write(0, 1.0)
    np.testing.assert_array_equal(empty.stack().numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(written.stack().numpy(), [1.0, 0.0])


def test_eager_gradients_through_write_read_and_stack():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        ta = tf.TensorArray(tf.float32, size=3)
        for i in range(3):
            ta = ta.write(i, x * float(i))
        stacked = tf.reduce_sum(ta.stack() ** 2)
        read = tf.reduce_sum(ta.read(2) * ta.read(1))
    np.testing.assert_allclose(tape.gradient(stacked, x).numpy(), 2 * 5 * x.numpy())
    np.testing.assert_allclose(tape.gradient(read, x).numpy(), 4 * x.numpy())


def test_overwritten_elements_get_no_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        ta = tf.TensorArray(tf.float32, size=1).write(0, x * 2.0).write(0, x * 5.0)
        y = ta.read(0)
    assert float(tape.gradient(y, x)) == 5.0


def test_errors_name_what_is_wrong():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="index 2 but array is not resizeable and size is: 2"):
        ta.write(2, X)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="TensorArray dtype is float32 but Op is trying to write dtype int32"):
        ta.write(0, tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not yet|nothing has been written"):
        ta.read(0)
    written = ta.write(0, X)
    with pytest.raises(ValueError, match=r"Incompatible shape for value \(\(2,\)\), expected "
                                         r"\(\(3,\)\)"):
        written.write(1, tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 5 but array size is: 2"):
        written.read(5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="lengths must be equal"):
        tf.TensorArray(tf.float32, size=2).split(tf.range(3.0), [1, 2])
    with pytest.raises(ValueError, match="Size must be declared"):
        tf.TensorArray(tf.float32)


def test_write_beyond_size_fails_at_run_time_in_a_graph():
    @tf.function
    def one_too_far(n):
        return tf.TensorArray(tf.float32, size=n).write(n, X).stack()

    with pytest.raises(tf.errors.InvalidArgumentError, match="index 2 .*size is: 2"):
        one_too_far(tf.constant(2))


def test_while_loop_over_a_tensor_array_in_a_function_matches_eager():
    compiled = tf.function(scaled_rows)
    n = tf.constant(4)
    np.testing.assert_array_equal(compiled(X, n).numpy(), scaled_rows(X, n).numpy())
    assert "While" in node_types(compiled, X, n)
    traced = compiled.get_concrete_function(X, n).structured_outputs
    assert traced.shape.as_list() == [None, 3]


def test_element_shape_given_and_static_size_in_a_loop():
    @tf.function
    def squares(n):
        ta = tf.TensorArray(tf.float32, size=5, element_shape=[])
        _, ta = tf.while_loop(lambda i, ta: i < n,
                              lambda i, ta: (i + 1, ta.write(i, tf.cast(i * i, tf.float32))),
                              [tf.constant(0), ta])
        return ta.stack()

    result = squares(tf.constant(3))
    np.testing.assert_array_equal(result.numpy(), [0, 1, 4, 0, 0])
    assert squares.get_concrete_function(tf.constant(3)).structured_outputs.shape == [5]


def test_dynamic_size_grows_in_a_graph_loop_without_shape_invariants():
    @tf.function
    def collect(n):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, ta: i < n, lambda i, ta: (i + 1, ta.write(i, 2 * i)),
                              (0, ta))
        return ta.stack(), ta.size()

    values, size = collect(tf.constant(5))
    np.testing.assert_array_equal(values.numpy(), [0, 2, 4, 6, 8])
    assert int(size) == 5
    assert int(collect(tf.constant(0))[1]) == 0


def test_elements_with_unknown_dimensions_in_a_loop():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def doubled(x):
        ta = tf.TensorArray(tf.float32, size=3)
        _, ta = tf.while_loop(lambda i, ta: i < 3,
                              lambda i, ta: (i + 1, ta.write(i, x * tf.cast(i, tf.float32))),
                              (tf.constant(0), ta))
        return ta.stack()

    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    result = doubled(x)
    assert result.shape == tf.TensorShape([3, 4, 2])
    np.testing.assert_array_equal(result.numpy()[2], 2 * x.numpy())
    assert doubled.get_concrete_function().structured_outputs.shape.as_list() == [3, None, 2]


def test_autograph_for_loop_writes_each_element():
    def squares_of(x):
        ta = tf.TensorArray(tf.float32, size=tf.shape(x)[0])
        for i in tf.range(tf.shape(x)[0]):
            ta = ta.write(i, tf.square(tf.gather(x, i)))
        return ta.stack()

    compiled = tf.function(squares_of, input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(compiled(x).numpy(), squares_of(x).numpy())
    assert "While" in node_types(compiled)
    mapped = tf.function(lambda x: tf.map_fn(tf.square, x))(x)
    np.testing.assert_array_equal(mapped.numpy(), compiled(x).numpy())


def test_gradient_through_the_graph_loop_equals_eager():
    def loss(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.sin(scaled_rows(x, n, size=4)))
        return y, tape.gradient(y, x)

    n = tf.constant(4)
    eager_y, eager_dx = loss(X, n)
    graph_y, graph_dx = tf.function(loss)(X, n)
    assert float(graph_y) == float(eager_y)
    np.testing.assert_allclose(graph_dx.numpy(), eager_dx.numpy(), rtol=1e-6)
    expected = sum(i * np.cos(i * X.numpy()) for i in range(4))
    np.testing.assert_allclose(graph_dx.numpy(), expected, rtol=1e-5)


def test_gradient_through_a_dynamic_size_loop_and_reads():
    def loss(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
            _, ta = tf.while_loop(lambda i, ta: i < n,
                                  lambda i, ta: (i + 1, ta.write(i, x ** tf.cast(i, tf.float32))),
                                  (0, ta))
            y = tf.reduce_sum(ta.read(n - 1)) + tf.reduce_sum(ta.gather([0, 1]))
        return tape.gradient(y, x)

    n = tf.constant(3)
    np.testing.assert_allclose(tf.function(loss)(X, n).numpy(), loss(X, n).numpy())
    np.testing.assert_allclose(loss(X, n).numpy(), 2 * X.numpy() + 1)


def test_tensor_arrays_as_cond_outputs():
    @tf.function
    def pick(flag):
        ta = tf.TensorArray(tf.float32, size=2, element_shape=[3])
        ta = tf.cond(flag, lambda: ta.write(0, X), lambda: ta.write(1, -X))
        return ta.stack()

    np.testing.assert_array_equal(pick(tf.constant(True)).numpy(), [X.numpy(), [0, 0, 0]])
    np.testing.assert_array_equal(pick(tf.constant(False)).numpy(), [[0, 0, 0], -X.numpy()])


def test_eager_while_loop_and_autograph_if_carry_tensor_arrays():
    ta = tf.TensorArray(tf.float32, size=3)
    _, ta = tf.while_loop(lambda i, ta: i < 3, lambda i, ta: (i + 1, ta.write(i, 1.0)), (0, ta))
    np.testing.assert_array_equal(ta.stack().numpy(), [1.0, 1.0, 1.0])

    @tf.function
    def signed(x):
        ta = tf.TensorArray(tf.float32, size=1, element_shape=[])
        if x > 0:
            ta = ta.write(0, x)
        else:
            ta = ta.write(0, -x)
        return ta.read(0)

    assert float(signed(tf.constant(-2.0))) == 2.0


def test_an_array_written_in_one_branch_only():
    @tf.function
    def maybe(flag):
        ta = tf.TensorArray(tf.float32, size=2)
        ta = tf.cond(flag, lambda: ta.write(0, 1.0), lambda: ta)
        return ta.stack()

    np.testing.assert_array_equal(maybe(tf.constant(True)).numpy(), [1.0, 0.0])
    np.testing.assert_array_equal(maybe(tf.constant(False)).numpy(), [0.0, 0.0])


def test_nested_loops_and_autograph_while_read_what_they_wrote():
    @tf.function
    def table(n, m):
        ta = tf.TensorArray(tf.int32, size=n * m)

        def row(j, ta):
            return j + 1, tf.while_loop(lambda i, ta: i < m,
                                        lambda i, ta: (i + 1, ta.write(j * m + i, 10 * j + i)),
                                        (0, ta))[1]
        return tf.while_loop(lambda j, ta: j < n, row, (0, ta))[1].stack()

    @tf.function
    def fibonacci(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, 1.0).write(1, 1.0)
        i = tf.constant(2)
        while i < n:
            ta = ta.write(i, ta.read(i - 1) + ta.read(i - 2))
            i += 1
        return ta.stack()

    np.testing.assert_array_equal(table(tf.constant(2), tf.constant(3)).numpy(),
                                  [0, 1, 2, 10, 11, 12])
    np.testing.assert_array_equal(fibonacci(tf.constant(7)).numpy(), [1, 1, 2, 3, 5, 8, 13])


def test_a_function_can_return_a_tensor_array():
    @tf.function
    def squares(n):
        ta = tf.TensorArray(tf.float32, size=n)
        for i in tf.range(n):
            ta = ta.write(i, tf.cast(i * i, tf.float32))
        return ta

    result = squares(tf.constant(4))
    assert isinstance(result, tf.TensorArray)
    np.testing.assert_array_equal(result.stack().numpy(), [0.0, 1.0, 4.0, 9.0])


def test_a_function_takes_a_tensor_array_argument():
    @tf.function
    def appended(ta, value):
        return ta.write(ta.size(), value)

    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, 1.0)
    ta = appended(ta, tf.constant(2.0))
    np.testing.assert_array_equal(ta.stack().numpy(), [1.0, 2.0])
    other = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, 5.0)
    np.testing.assert_array_equal(appended(other, tf.constant(6.0)).stack().numpy(),
                                  [5.0, 6.0])
    assert appended.experimental_get_tracing_count() == 1   # both buffers have one row
    np.testing.assert_array_equal(appended(ta, tf.constant(3.0)).stack().numpy(),
                                  [1.0, 2.0, 3.0])
    assert appended.experimental_get_tracing_count() == 2   # a buffer of two rows
