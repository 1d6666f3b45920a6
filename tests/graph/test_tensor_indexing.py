"""Indexing by symbolic tensors inside graphs (x[i], x[i:j], x[:, i], x[i][j], ...):
DynamicStridedSlice gives the eager results, TF's shapes and run-time errors, and
gradients, also through tf.while_loop, AutoGraph loops and tf.TensorArray."""

import numpy as np
import pytest

import eagerflow as tf

v1 = tf.compat.v1

X = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
I, J = tf.constant(1), tf.constant(3)

KEYS = {
    "x[i]": lambda x, i, j: x[i],
    "x[i, :]": lambda x, i, j: x[i, :],
    "x[:, i]": lambda x, i, j: x[:, i],
    "x[:, -i]": lambda x, i, j: x[:, -i],
    "x[i:j]": lambda x, i, j: x[i:j],
    "x[:j, i]": lambda x, i, j: x[:j, i],
    "x[:, ::-i]": lambda x, i, j: x[:, ::-i],
    "x[i + 1]": lambda x, i, j: x[i + 1],
    "x[-1, i]": lambda x, i, j: x[-1, i],
    "x[i][j]": lambda x, i, j: x[i][j],
    "x[None, ..., j]": lambda x, i, j: x[None, ..., j],
    "x[i - 5:j + 5]": lambda x, i, j: x[i - 5:j + 5],
}


def node_types(function, *args):
    return [op.type for op in function.get_concrete_function(*args).graph.get_operations()]


@pytest.mark.parametrize("name", sorted(KEYS))
def test_graph_indexing_by_tensors_equals_eager(name):
    index = KEYS[name]
    graph = tf.function(index, autograph=False)
    expected = index(X, I, J)
    got = graph(X, I, J)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got.numpy(), expected.numpy())
    assert "DynamicStridedSlice" in node_types(graph, X, I, J)


def test_static_keys_keep_the_static_op():
    static = tf.function(lambda x: x[1, :2], autograph=False)
    assert "DynamicStridedSlice" not in node_types(static, X)


def test_shapes_in_the_traced_graph():
    def shapes(index, x_spec=tf.TensorSpec([3, 4], tf.float32)):
        function = tf.function(index, input_signature=[x_spec, tf.TensorSpec([], tf.int32)],
                               autograph=False)
        return function.get_concrete_function().structured_outputs.shape.as_list()

    assert shapes(lambda x, i: x[i]) == [4]           # a tensor index drops its axis
    assert shapes(lambda x, i: x[:, i]) == [3]
    assert shapes(lambda x, i: x[i:]) == [None, 4]    # tensor bounds: unknown size
    assert shapes(lambda x, i: x[None, :i, -1]) == [1, None]
    assert shapes(lambda x, i: x[i], tf.TensorSpec([None, 4], tf.float32)) == [4]


@pytest.mark.parametrize("index, message", [
    (5, "slice index 5 of dimension 0 out of bounds"),
    (-4, "slice index -4 of dimension 0 out of bounds"),
])
def test_out_of_range_index_fails_at_run_time(index, message):
    graph = tf.function(lambda x, i: x[i], autograph=False)
    np.testing.assert_array_equal(graph(X, tf.constant(2)).numpy(), X.numpy()[2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=message + ".*dimension 0 has size 3"):
        graph(X, tf.constant(index))


def test_non_integer_tensor_index_is_rejected_while_tracing():
    with pytest.raises(TypeError, match="scalar tf.int32/tf.int64 tensors are valid indices"):
        tf.function(lambda x, i: x[i], autograph=False)(X, tf.constant(1.0))


def row_sum(x, n):
    total = tf.zeros([4])
    for i in tf.range(n):
        total += x[i]
    return total


def test_autograph_loop_over_tf_range_reads_rows():
    expected = row_sum(X, tf.constant(3))
    np.testing.assert_array_equal(tf.function(row_sum)(X, tf.constant(3)).numpy(),
                                  expected.numpy())
    np.testing.assert_array_equal(tf.function(row_sum)(X, tf.constant(2)).numpy(),
                                  X.numpy()[:2].sum(0))


def weighted_rows(x, w, n):
    """The gradient of sum_i x[i] * w over an AutoGraph loop, w.r.t. x and w."""
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        total = tf.zeros([4])
        for i in tf.range(n):
            total += x[i] * w
        loss = tf.reduce_sum(total * total)
    return tape.gradient(loss, [x, w])


def weighted_rows_while_loop(x, w, n):
    """The same with tf.while_loop and a slice x[i:i + 1]."""
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        _, total = tf.while_loop(lambda i, t: i < n,
                                 lambda i, t: (i + 1, t + tf.reduce_sum(x[i:i + 1], 0) * w),
                                 (tf.constant(0), tf.zeros([4])))
        loss = tf.reduce_sum(total * total)
    return tape.gradient(loss, [x, w])


@pytest.mark.parametrize("gradients", [weighted_rows, weighted_rows_while_loop])
def test_gradients_through_graph_loops_equal_eager(gradients):
    w = tf.constant([1.0, -1.0, 0.5, 2.0])
    for n in (3, 2):
        expected = gradients(X, w, tf.constant(n))
        got = tf.function(gradients)(X, w, tf.constant(n))
        for e, g in zip(expected, got):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-6)
    assert not np.any(gradients(X, w, tf.constant(2))[0].numpy()[2])  # row 2 never read


def test_unknown_batch_size_and_its_gradient():
    def last_rows(x, i):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x[tf.shape(x)[0] - i:] * 3.0
        return y, tape.gradient(y, x)

    graph = tf.function(last_rows, input_signature=[tf.TensorSpec([None, 4], tf.float32),
                                                    tf.TensorSpec([], tf.int32)])
    assert graph.get_concrete_function().structured_outputs[0].shape.as_list() == [None, 4]
    for got, expected in zip(graph(X, I), last_rows(X, I)):
        np.testing.assert_array_equal(got.numpy(), expected.numpy())


@pytest.mark.usefixtures("fresh_default_graph")
def test_unknown_ranks_in_a_tf1_graph():
    v1.disable_eager_execution()
    try:
        x, i = v1.placeholder(tf.float32), v1.placeholder(tf.int32)
        y = x[i:, i]
    finally:
        v1.enable_eager_execution()
    with v1.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, feed_dict={x: X.numpy(), i: 1}),
                                      X.numpy()[1:, 1])
        with pytest.raises(tf.errors.InvalidArgumentError, match="index must be a scalar"):
            sess.run(y, feed_dict={x: X.numpy(), i: [1]})


def test_tensor_array_write_of_rows_in_a_loop():
    def doubled(x, n):
        ta = tf.TensorArray(tf.float32, size=n)
        for i in tf.range(n):
            ta = ta.write(i, x[i] * 2.0)
        return ta.stack()

    np.testing.assert_array_equal(tf.function(doubled)(X, tf.constant(3)).numpy(),
                                  doubled(X, tf.constant(3)).numpy())


def test_variable_index_is_read_when_the_graph_runs():
    step = tf.Variable(0)
    graph = tf.function(lambda x: x[step], autograph=False)
    np.testing.assert_array_equal(graph(X).numpy(), X.numpy()[0])
    step.assign(2)
    np.testing.assert_array_equal(graph(X).numpy(), X.numpy()[2])


def test_gather_with_a_scalar_tensor_index():
    graph = tf.function(lambda x, i: tf.gather(x, i), autograph=False)
    np.testing.assert_array_equal(graph(X, I).numpy(), X.numpy()[1])
    assert graph.get_concrete_function(X, I).structured_outputs.shape.as_list() == [4]


@pytest.mark.parametrize("masking", [
    lambda x: tf.boolean_mask(x, x > 4.0),
    lambda x: x[x > 4.0],
    lambda x: tf.boolean_mask(x, x[:, 0] > 3.0),
    lambda x: tf.boolean_mask(x, x[0] > 1.0, axis=1),
], ids=["2-D mask", "x[mask]", "rows", "columns"])
def test_boolean_masks_in_graphs_match_eager(masking):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    graph = tf.function(masking, autograph=False)
    np.testing.assert_array_equal(graph(x).numpy(), masking(x).numpy())


def test_a_boolean_mask_over_an_unknown_batch_and_its_gradient():
    @tf.function(input_signature=[tf.TensorSpec([None, 2])])
    def positive_sum(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            kept = tf.boolean_mask(x, x[:, 0] > 0.0)
            total = tf.reduce_sum(kept * kept)
        return kept, tape.gradient(total, x)

    x = tf.constant([[1.0, 2.0], [-1.0, 5.0], [3.0, -4.0]])
    kept, grad = positive_sum(x)
    assert positive_sum.get_concrete_function().structured_outputs[0].shape.as_list() == [
        None, 2]
    np.testing.assert_array_equal(kept.numpy(), [[1.0, 2.0], [3.0, -4.0]])
    np.testing.assert_array_equal(grad.numpy(), [[2.0, 4.0], [0.0, 0.0], [6.0, -8.0]])
