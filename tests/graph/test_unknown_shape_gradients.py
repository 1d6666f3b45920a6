"""Gradients of graphs whose tensors have unknown dimensions ([None, n] placeholders and
input signatures): the backward graph takes the shapes it needs at run time, so one graph
trains on batches of any size and matches eager mode."""

import numpy as np
import pytest

import eagerflow as tf

v1 = tf.compat.v1


pytestmark = pytest.mark.usefixtures("fresh_default_graph")


def regression_batches():
    rng = np.random.default_rng(0)
    true_w = np.array([[1.5], [-2.0], [0.5]], np.float32)
    for size in (16, 5, 16, 1, 9) * 8:
        x = rng.random((size, 3)).astype(np.float32)
        yield x, x @ true_w + 0.25


def eager_regression(batches):
    w, b = tf.Variable(np.zeros((3, 1), np.float32)), tf.Variable(0.0)
    for x, y in batches:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * dw)
        b.assign_sub(0.1 * db)
    return w.numpy(), b.numpy()


def test_tf1_regression_with_an_unknown_batch_trains_like_eager():
    batches = list(regression_batches())
    v1.disable_eager_execution()
    try:
        x = v1.placeholder(tf.float32, [None, 3])
        y = v1.placeholder(tf.float32, [None, 1])
        w = tf.Variable(np.zeros((3, 1), np.float32))
        b = tf.Variable(0.0)
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train_op = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = v1.global_variables_initializer()
    finally:
        v1.enable_eager_execution()
    with v1.Session() as sess:
        sess.run(init)
        first = sess.run(loss, feed_dict={x: batches[0][0], y: batches[0][1]})
        for data_x, data_y in batches:
            sess.run(train_op, feed_dict={x: data_x, y: data_y})
        last, weights, bias = sess.run([loss, w, b], feed_dict={x: data_x, y: data_y})
    eager_w, eager_b = eager_regression(batches)
    assert last < first
    np.testing.assert_allclose(weights, eager_w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bias, eager_b, rtol=1e-5, atol=1e-6)


def mlp_step(params, x, labels):
    """Loss and gradients of a 784-32-10 ReLU network with softmax cross-entropy."""
    w1, b1, w2, b2 = params
    with tf.GradientTape() as tape:
        hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
        logits = tf.matmul(hidden, w2) + b2
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    return loss, tape.gradient(loss, params)


def test_mlp_train_step_with_an_unknown_batch_runs_any_batch_without_retracing():
    rng = np.random.default_rng(1)
    params = [tf.Variable(rng.normal(0, 0.05, (784, 32)).astype(np.float32)),
              tf.Variable(np.zeros(32, np.float32)),
              tf.Variable(rng.normal(0, 0.05, (32, 10)).astype(np.float32)),
              tf.Variable(np.zeros(10, np.float32))]
    step = tf.function(lambda x, labels: mlp_step(params, x, labels),
                       input_signature=[tf.TensorSpec([None, 784], tf.float32),
                                        tf.TensorSpec([None], tf.int32)])
    for batch in (32, 7):
        x = rng.random((batch, 784)).astype(np.float32)
        labels = rng.integers(0, 10, batch).astype(np.int32)
        loss, grads = step(x, labels)
        eager_loss, eager_grads = mlp_step(params, tf.constant(x), tf.constant(labels))
        np.testing.assert_allclose(loss.numpy(), eager_loss.numpy(), rtol=1e-6)
        for g, e in zip(grads, eager_grads):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-5, atol=1e-7)
    assert step.experimental_get_tracing_count() == 1


def test_reshape_and_fill_with_run_time_shapes():
    @tf.function(input_signature=[tf.TensorSpec([None, 2, 3], tf.float32)])
    def f(x):
        flat = tf.reshape(x, [tf.shape(x)[0], -1])
        back = tf.reshape(flat, tf.shape(x))
        assert flat.shape.as_list() == [None, None] and back.shape.as_list() == [None, 2, 3]
        zeros, ones = tf.zeros(tf.shape(x)), tf.ones(tf.shape(flat))
        filled = tf.fill(tf.shape(x), 2.0)
        assert zeros.shape.as_list() == [None, 2, 3] == filled.shape.as_list()
        spread = tf.broadcast_to(tf.reduce_sum(x, axis=0), tf.shape(x))
        return flat + ones, back + zeros + filled, spread

    for batch in (4, 1):
        x = np.arange(batch * 6, dtype=np.float32).reshape(batch, 2, 3)
        flat, back, spread = f(x)
        np.testing.assert_array_equal(flat.numpy(), x.reshape(batch, 6) + 1)
        np.testing.assert_array_equal(back.numpy(), x + 2)
        np.testing.assert_array_equal(spread.numpy(), np.broadcast_to(x.sum(0), x.shape))
    assert f.experimental_get_tracing_count() == 1


def test_gradient_through_run_time_reshape_and_broadcast():
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            halves = tf.reshape(x, [tf.shape(x)[0], 2, -1])
            loss = tf.reduce_sum(halves * tf.broadcast_to([[[1.0], [3.0]]], tf.shape(halves)))
        return tape.gradient(loss, x)

    x = np.ones((3, 4), np.float32)
    np.testing.assert_array_equal(grad(x).numpy(), np.tile([1.0, 1.0, 3.0, 3.0], (3, 1)))


def test_broadcast_between_unknown_dimensions_sums_at_run_time():
    """[None, 3] + [None, 3] may broadcast a batch of 1 against 4: its gradient sums."""
    x = v1.placeholder(tf.float32, [None, 3])
    y = v1.placeholder(tf.float32, [None, 3])
    dx, dy = v1.gradients(tf.reduce_sum(x * y), [x, y])
    with v1.Session() as sess:
        gx, gy = sess.run([dx, dy], feed_dict={x: np.ones((1, 3)), y: np.full((4, 3), 2.0)})
    assert gx.tolist() == [[8.0] * 3] and gy.tolist() == [[1.0] * 3] * 4


def test_conv_and_pool_gradients_with_an_unknown_batch():
    rng = np.random.default_rng(2)
    w = tf.Variable(rng.normal(size=(3, 3, 2, 4)).astype(np.float32))

    def loss_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.conv2d(x, w, 1, "SAME")
            loss = tf.reduce_mean(tf.nn.avg_pool2d(tf.nn.relu(y), 2, 2, "VALID"))
        return tape.gradient(loss, [x, w])

    graph = tf.function(loss_grad, input_signature=[tf.TensorSpec([None, 6, 6, 2])])
    for batch in (3, 1):
        x = rng.random((batch, 6, 6, 2)).astype(np.float32)
        for g, e in zip(graph(x), loss_grad(tf.constant(x))):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-5, atol=1e-7)


def test_a_run_time_shape_that_does_not_fit_names_the_op():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def f(x):
        return tf.reshape(x, [tf.shape(x)[0], 4])

    with pytest.raises(tf.errors.InvalidArgumentError, match="DynamicReshape"):
        f(np.ones((2, 3), np.float32))


def test_conv2d_transpose_with_a_run_time_output_shape():
    w = tf.constant(np.random.default_rng(3).random((3, 3, 2, 4)).astype(np.float32))

    @tf.function(input_signature=[tf.TensorSpec([None, 4, 4, 4])])
    def up(x):
        out = tf.nn.conv2d_transpose(x, w, tf.stack([tf.shape(x)[0], 8, 8, 2]), 2, "SAME")
        assert out.shape.as_list() == [None, 8, 8, 2]
        return out

    x = np.random.default_rng(4).random((3, 4, 4, 4)).astype(np.float32)
    expected = tf.nn.conv2d_transpose(x, w, [3, 8, 8, 2], 2, "SAME")
    np.testing.assert_array_equal(up(x).numpy(), expected.numpy())


def test_random_draws_and_dropout_take_run_time_shapes():
    @tf.function(input_signature=[tf.TensorSpec([None, 4])])
    def noisy(x):
        return (tf.nn.dropout(x, 0.5, seed=1), tf.random.normal(tf.shape(x)),
                tf.random.uniform([tf.shape(x)[0], 2]))

    masks = [node for node in noisy.get_concrete_function().graph.get_operations()
             if node.type == "DropoutMask"]
    assert [str(node.outputs[0].shape) for node in masks] == ["(None, 4)"]
    for batch in (3, 5):
        dropped, normal, uniform = noisy(tf.ones([batch, 4]))
        assert dropped.shape == (batch, 4) and normal.shape == (batch, 4)
        assert uniform.shape == (batch, 2)
        assert set(np.unique(dropped.numpy())) <= {0.0, 2.0}
    assert noisy.experimental_get_tracing_count() == 1


def test_a_keras_model_with_dropout_trains_on_any_batch_size():
    tf.keras.utils.set_random_seed(3)
    model = tf.keras.Sequential([tf.keras.layers.Input((4,)), tf.keras.layers.Dense(3),
                                 tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])
    optimizer = tf.keras.optimizers.SGD(0.1)

    @tf.function(input_signature=[tf.TensorSpec([None, 4]), tf.TensorSpec([None, 1])])
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                      model.trainable_variables))
        return loss

    for batch in (8, 3):
        assert np.isfinite(float(step(tf.ones([batch, 4]), tf.zeros([batch, 1]))))
    assert step.experimental_get_tracing_count() == 1
