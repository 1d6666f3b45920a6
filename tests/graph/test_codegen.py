"""Generated code: readable, equal to the interpreter and to eager execution, before and
after the optimization passes."""

import numpy as np
from hypothesis import given, settings, strategies as st

import eagerflow as tf
from eagerflow.graph import interpreter
from eagerflow.graph.codegen import CompiledGraph
from eagerflow.graph.ir import Graph
from eagerflow.graph.passes.pipeline import optimize
from eagerflow.graph.passes.rewrite import Program


def test_generated_source_is_straight_line_kernel_calls():
    @tf.function
    def f(x, y):
        return tf.nn.relu(x @ y + 1.0)

    x, y = tf.ones([2, 3]), tf.ones([3, 2])
    assert f(x, y).numpy().tolist() == [[4.0, 4.0], [4.0, 4.0]]
    assert f.get_concrete_function(x, y).code == "\n".join([
        "def compiled(args):",
        "    v0 = args[0]",
        "    v1 = args[1]",
        "    v2 = k_MatMul_1(v0, v1)",
        "    del v0, v1",
        "    v3 = c2",
        "    v4 = k_Add_3(v2, v3, out=v2)",  # into the product, which dies here
        "    del v2, v3",
        "    v5 = k_Relu_4(v4)",
        "    del v4",
        "    return (v5,)",
    ]) + "\n"


def test_runtime_errors_name_the_node_and_the_users_line():
    @tf.function
    def pick(x, i):
        return tf.gather(x, i)

    try:
        pick(tf.ones([3]), tf.constant([0, 7]))
    except tf.errors.InvalidArgumentError as error:
        message = str(error)
    assert "indices[1] = 7 is not in [0, 3)" in message
    assert "in node 'gather_v2' (GatherV2)" in message and "test_codegen.py" in message


UNARY = [tf.math.tanh, tf.math.sigmoid, tf.nn.relu, tf.math.negative, tf.math.square,
         tf.math.sin, lambda t: tf.math.abs(t) + 1.0]
BINARY = [tf.add, tf.subtract, tf.multiply, tf.maximum, tf.minimum,
          lambda a, b: a / (tf.math.abs(b) + 1.0)]


@settings(max_examples=40, deadline=None)
@given(program=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 100), st.integers(0, 100),
                                  st.integers(0, 100)), min_size=1, max_size=12),
       seed=st.integers(0, 2 ** 16))
def test_random_graphs_agree_compiled_interpreted_and_eager(program, seed):
    """Random programs over a growing pool of values: each step applies a random unary or
    binary op to values picked from the pool; every value is fetched."""
    rng = np.random.default_rng(seed)
    inputs = [rng.standard_normal((3, 4)).astype(np.float32),
              rng.standard_normal((4,)).astype(np.float32)]

    def build(values):
        pool = list(values)
        for arity, which, first, second in program:
            a = pool[first % len(pool)]
            if arity == 0:
                pool.append(UNARY[which % len(UNARY)](a))
            else:
                pool.append(BINARY[which % len(BINARY)](a, pool[second % len(pool)]))
        return pool[len(values):]

    eager = build([tf.constant(a) for a in inputs])
    graph = Graph()
    placeholders = [graph.placeholder(tf.float32, a.shape) for a in inputs]
    with graph.as_default():
        fetches = build(placeholders)
    interpreted = interpreter.run(graph, fetches, {p: tf.constant(a)
                                                   for p, a in zip(placeholders, inputs)})
    compiled = CompiledGraph(graph, placeholders, fetches).run(inputs)
    optimized, _ = optimize(Program(graph, placeholders, fetches))
    optimized_compiled = CompiledGraph(optimized.graph, optimized.inputs,
                                       optimized.outputs).run(inputs)
    for e, i, c, o in zip(eager, interpreted, compiled, optimized_compiled):
        np.testing.assert_array_equal(e.numpy(), i.numpy())
        np.testing.assert_array_equal(e.numpy(), c)
        np.testing.assert_array_equal(e.numpy(), o)
