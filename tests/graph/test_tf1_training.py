"""TF1 training: tf.gradients on a built graph and tf.train optimizers in a Session."""

import numpy as np
import pytest

import eagerflow as tf

v1 = tf.compat.v1


pytestmark = pytest.mark.usefixtures("fresh_default_graph")


def linear_data():
    rng = np.random.default_rng(0)
    x = rng.random((64, 2)).astype(np.float32)
    return x, x @ np.array([[2.0], [-3.0]], np.float32) + 0.5


def test_gradients_of_a_built_graph():
    x = v1.placeholder(tf.float32, shape=[3])
    w = tf.Variable([1.0, 2.0, 3.0])
    y = tf.reduce_sum(x * x * w)
    dx, dw = v1.gradients(y, [x, w])
    with v1.Session() as sess:
        grad_x, grad_w = sess.run([dx, dw], feed_dict={x: [1.0, 1.0, 2.0]})
    assert grad_x.tolist() == [2.0, 4.0, 12.0] and grad_w.tolist() == [1.0, 1.0, 4.0]


@pytest.mark.parametrize("optimizer, steps", [
    (lambda: v1.train.GradientDescentOptimizer(0.5), 300),
    (lambda: v1.train.AdamOptimizer(0.1), 300)])
def test_linear_model_trains_in_a_session(optimizer, steps):
    v1.disable_eager_execution()
    try:
        x = v1.placeholder(tf.float32, shape=[64, 2], name="x")
        y = v1.placeholder(tf.float32, shape=[64, 1], name="y")
        w = tf.Variable(np.zeros((2, 1), np.float32), name="w")
        b = tf.Variable(0.0, name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train_op = optimizer().minimize(loss)
        init = v1.global_variables_initializer()
    finally:
        v1.enable_eager_execution()
    data_x, data_y = linear_data()
    with v1.Session() as sess:
        sess.run(init)
        first = sess.run(loss, feed_dict={x: data_x, y: data_y})
        for _ in range(steps):
            sess.run(train_op, feed_dict={x: data_x, y: data_y})
        last, weights = sess.run([loss, w], feed_dict={x: data_x, y: data_y})
    assert last < 1e-3 < first
    np.testing.assert_allclose(weights.ravel(), [2.0, -3.0], atol=0.05)


def test_initializer_resets_variables_to_their_initial_values():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(1.0)
        update = v.assign_add(5.0)
        init = v1.global_variables_initializer()
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        assert sess.run(update) == 6.0 and float(v.numpy()) == 6.0
        sess.run(init)
    assert float(v.numpy()) == 1.0


def test_get_variable_creates_once_and_reuses_on_request():
    with tf.name_scope("layer"):
        w = v1.get_variable("w", shape=[3, 2])
        assert w.name == "layer/w:0" and w.shape == (3, 2)
        with pytest.raises(ValueError, match="already exists"):
            v1.get_variable("w", shape=[3, 2])
        assert v1.get_variable("w", reuse=True) is w
        assert v1.get_variable("w", reuse=v1.AUTO_REUSE) is w
    with pytest.raises(ValueError, match="does not exist"):
        v1.get_variable("missing", reuse=True)
    b = v1.get_variable("b", shape=[2], initializer=tf.keras.initializers.Ones())
    assert b.numpy().tolist() == [1.0, 1.0]
