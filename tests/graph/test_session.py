import numpy as np
import pytest

import eagerflow as tf

SEED_PROGRAM = '''
import eagerflow as tf

# Define the computational graph
a = tf.placeholder(tf.float32)
b = tf.placeholder(tf.float32)
c = a + b

# Create a session to run the graph
with tf.Session() as sess:
    result = sess.run(c, feed_dict={a: 2.0, b: 3.0})
    print("Result:", result) # Output: Result: 5.0
'''


pytestmark = pytest.mark.usefixtures("fresh_default_graph")


def test_seed_tf1_program_runs_verbatim(capsys):
    exec(SEED_PROGRAM, {})
    assert capsys.readouterr().out == "Result: 5.0\n"


def test_fetch_structures_and_feeds_by_name():
    v1 = tf.compat.v1
    x = v1.placeholder(tf.float32, shape=[None, 2], name="x")
    y = tf.reduce_sum(x * 2.0, axis=1)
    with v1.Session() as sess:
        values = sess.run({"sum": y, "pair": (y, [y])}, feed_dict={"x:0": [[1, 2], [3, 4]]})
    assert values["sum"].tolist() == [6.0, 14.0]
    assert isinstance(values["pair"], tuple) and values["pair"][1][0].tolist() == [6.0, 14.0]


def test_unfed_placeholder_and_bad_shapes_raise_like_tf():
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    y = x + 1.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="You must feed a value for placeholder tensor 'x' with dtype "
                                 "float and shape \\[\\?,2\\]"):
            sess.run(y)
        with pytest.raises(ValueError, match="Cannot feed value of shape \\(3,\\)"):
            sess.run(y, feed_dict={x: np.ones(3)})


def test_placeholder_with_default_and_closed_session():
    x = tf.compat.v1.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[2])
    y = x * 3.0
    sess = tf.Session()
    assert sess.run(y).tolist() == [3.0, 6.0]
    assert sess.run(y, feed_dict={x: [0.0, 1.0]}).tolist() == [0.0, 3.0]
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(y)


def test_graph_as_default_runs_in_a_session_while_eager_elsewhere():
    graph = tf.Graph()
    with graph.as_default():
        assert not tf.executing_eagerly()
        x = tf.placeholder(tf.float32, shape=[], name="x")
        y = x * x
    assert tf.executing_eagerly()
    assert float(tf.constant(2.0) * 3.0) == 6.0
    with tf.Session(graph=graph) as sess:
        assert sess.run(y, feed_dict={x: 3.0}) == 9.0


def test_disable_eager_execution_is_reported():
    tf.compat.v1.disable_eager_execution()
    try:
        assert not tf.executing_eagerly()
    finally:
        tf.compat.v1.enable_eager_execution()
    assert tf.executing_eagerly()
