"""Each optimization pass alone, with the graph before and after as golden strings."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.graph import interpreter
from eagerflow.graph.ir import Graph
from eagerflow.graph.passes import pipeline
from eagerflow.graph.passes.common_subexpressions import eliminate_common_subexpressions
from eagerflow.graph.passes.constant_folding import fold_constants
from eagerflow.graph.passes.dead_code import eliminate_dead_nodes
from eagerflow.graph.passes.rewrite import Program
from eagerflow.graph.passes.simplify import simplify_arithmetic
from eagerflow.graph.passes.verify import GraphVerificationError, verify


def program(build, *shapes):
    graph = Graph()
    inputs = [graph.placeholder(tf.float32, shape, name=f"x{i}")
              for i, shape in enumerate(shapes)]
    with graph.as_default():
        outputs = build(*inputs)
    return Program(graph, inputs, outputs if isinstance(outputs, list) else [outputs])


def run(prog, *values):
    return [t.numpy() for t in interpreter.run(prog.graph, prog.outputs, {
        p: tf.constant(v) for p, v in zip(prog.inputs, values)})]


def test_dead_node_elimination_keeps_outputs_and_stateful_nodes():
    v = tf.Variable(0.0)

    def build(x):
        tf.math.sin(x)           # dead
        v.assign_add(1.0)        # stateful: stays
        return x * 2.0

    before = program(build, [2])
    after = eliminate_dead_nodes(before)
    assert str(after) == "\n".join([
        "%x0 = Placeholder() : float32[2]",
        "%const = Const(value=1.0) : float32[]",
        "() = AssignAddVariableOp(%const, variable=<variable Variable:0>)",
        "%const_1 = Const(value=2.0) : float32[]",
        "%mul = Mul(%x0, %const_1) : float32[2]",
        "return %mul"])
    verify(after)


def test_common_subexpressions_are_computed_once():
    prog = program(lambda x: tf.exp(x) + tf.exp(x) * 2.0 + tf.exp(x * 2.0), [3])
    after = eliminate_dead_nodes(eliminate_common_subexpressions(prog))
    assert [n.type for n in after.graph.nodes] == [
        "Placeholder", "Exp", "Const", "Mul", "Add", "Mul", "Exp", "Add"]
    x = np.array([0.1, 0.2, 0.3], np.float32)
    np.testing.assert_array_equal(run(prog, x)[0], run(after, x)[0])


def test_constant_folding_computes_constant_subgraphs():
    graph = Graph()
    x = graph.placeholder(tf.float32, [2], name="x")
    with graph.as_default():
        two = graph.capture(tf.constant(2.0))
        three = graph.capture(tf.constant(3.0))
        y = x * (two * three)
    folded = fold_constants(Program(graph, [x], [y]))
    verify(folded)
    after = eliminate_dead_nodes(folded)
    assert str(after) == "\n".join([
        "%x = Placeholder() : float32[2]",
        "%const_2 = Const(value=6.0) : float32[]",
        "%mul_1 = Mul(%x, %const_2) : float32[2]",
        "return %mul_1"])


def test_arithmetic_simplification():
    def build(x):
        y = -(-(x * 1.0 + 0.0 - 0.0))
        y = tf.transpose(tf.transpose(y, [1, 0]), [1, 0])
        y = tf.reshape(tf.reshape(y, [6]), [3, 2])
        return tf.cast(y, tf.float32)

    prog = program(build, [2, 3])
    after = eliminate_dead_nodes(simplify_arithmetic(prog))
    assert [n.type for n in after.graph.nodes] == ["Placeholder", "Reshape"]
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(run(prog, x)[0], run(after, x)[0])


def test_simplification_keeps_broadcasting_multiplications():
    prog = program(lambda x: x * tf.ones([2, 3]), [3])
    after = simplify_arithmetic(prog)
    assert "Mul" in [n.type for n in after.graph.nodes]


def test_a_cast_of_a_cast_that_lost_nothing_becomes_one_cast():
    graph = Graph()
    labels = graph.placeholder(tf.uint8, [4], name="labels")
    wide = graph.placeholder(tf.int64, [4], name="wide")
    with graph.as_default():
        exact = tf.cast(tf.cast(labels, tf.float32), tf.int64)   # uint8 fits float32
        lossy = tf.cast(tf.cast(wide, tf.float32), tf.int64)     # int64 does not
    after = eliminate_dead_nodes(simplify_arithmetic(Program(graph, [labels, wide],
                                                             [exact, lossy])))
    folded, kept = (t.node for t in after.outputs)
    assert folded.type == "Cast" and folded.inputs[0].node.type == "Placeholder"
    assert kept.inputs[0].node.type == "Cast"
    assert [n.type for n in after.graph.nodes].count("Cast") == 3
    values = [np.array([0, 7, 200, 255], np.uint8), np.array([1, 2**40 + 1, -3, 5])]
    for expected, got in zip(run(Program(graph, [labels, wide], [exact, lossy]), *values),
                             run(after, *values)):
        np.testing.assert_array_equal(got, expected)


def test_a_reduction_of_a_scalar_is_the_scalar():
    before = program(lambda x: [tf.reduce_sum(x * 2.0), tf.reduce_max(tf.reduce_sum(x)),
                                tf.reduce_mean(x[0])], [3])
    after = eliminate_dead_nodes(simplify_arithmetic(before))
    kinds = [n.type for n in after.graph.nodes]
    assert kinds.count("Sum") == 2 and "Max" not in kinds and "Mean" not in kinds
    x = np.array([1.5, -2.0, 4.0], np.float32)
    for expected, got in zip(run(before, x), run(after, x)):
        np.testing.assert_array_equal(got, expected)


def test_verifier_catches_broken_graphs():
    prog = program(lambda x: x * 2.0, [2])
    prog.graph.nodes.reverse()
    with pytest.raises(GraphVerificationError, match="before it is defined"):
        verify(prog, after="a test")


def test_pipeline_report_and_switches():
    @tf.function
    def f(x):
        return tf.exp(x) * 1.0 + tf.exp(x)

    x = tf.constant([1.0, 2.0])
    expected = np.exp([1.0, 2.0]).astype(np.float32) * 2
    np.testing.assert_allclose(f(x).numpy(), expected, rtol=1e-6)
    report = f.get_concrete_function(x).optimization_report()
    assert "arithmetic simplification" in report and "(-1 Mul" in report
    assert "common-subexpression elimination" in report and "-1 Exp" in report
    tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})
    try:
        @tf.function
        def g(x):
            return tf.exp(x) * 1.0
        assert "arithmetic simplification: off" in \
            g.get_concrete_function(x).optimization_report()
    finally:
        tf.config.optimizer.set_experimental_options({"arithmetic_optimization": True})


def test_fusion_of_matmul_bias_and_relu():
    from eagerflow.graph.passes.fusion import fuse_patterns
    w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) - 2.0)
    b = tf.constant([0.5, -1.0])

    def forward(x):
        return tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b))

    def training_like(x):
        pre = tf.nn.bias_add(tf.matmul(x, w), b)
        return [tf.nn.relu(pre), pre * 2.0]   # the pre-activation is read again

    fused = fuse_patterns(program(forward, [4, 3]))
    verify(fused)
    assert [n.type for n in fused.graph.nodes] == ["Placeholder", "Const", "Const",
                                                   "FusedMatMul"]
    assert fused.graph.nodes[-1].attrs["activation"] == "relu"
    partly = fuse_patterns(program(training_like, [4, 3]))
    types = [n.type for n in partly.graph.nodes]
    assert "FusedMatMul" in types and "Relu" in types and "BiasAdd" not in types
    x = np.random.default_rng(1).standard_normal((4, 3)).astype(np.float32)
    for build, after in ((forward, fused), (training_like, partly)):
        for expected, got in zip(run(program(build, [4, 3]), x), run(after, x)):
            np.testing.assert_array_equal(expected, got)


def test_fusion_of_conv_bias_and_relu_in_a_training_graph():
    from eagerflow.graph.passes.fusion import fuse_patterns
    rng = np.random.default_rng(2)
    kernel = tf.Variable(rng.standard_normal((3, 3, 1, 2)).astype(np.float32))
    bias = tf.Variable(np.array([0.1, -0.2], np.float32))

    def step(x):
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, kernel, 1, "VALID"), bias))
            loss = tf.reduce_sum(h * h)
        return [loss] + tape.gradient(loss, [kernel, bias])

    before = program(step, [2, 5, 5, 1])
    after = fuse_patterns(before)
    verify(after)
    types = [n.type for n in after.graph.nodes]
    assert types.count("FusedConv2D") == 1 and "Conv2D" not in types
    assert "BiasAdd" not in types and "Relu" not in types
    assert next(n for n in after.graph.nodes if n.type == "FusedConv2D"
                ).attrs["activation"] == "relu"
    x = rng.standard_normal((2, 5, 5, 1)).astype(np.float32)
    for expected, got in zip(run(before, x), run(after, x)):
        np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_relu_gradients_move_before_max_pool_gradients_exactly():
    from eagerflow.graph.passes.pool_gradients import mask_before_pool_gradients
    rng = np.random.default_rng(4)
    kernel = tf.Variable(rng.standard_normal((3, 3, 1, 3)).astype(np.float32))

    def step(x):
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.nn.conv2d(x, kernel, 1, "VALID"))
            pooled = tf.nn.max_pool2d(h, 2, 2, "VALID")
            loss = tf.reduce_sum(pooled * tf.sin(pooled))
        return [loss, tape.gradient(loss, kernel)]

    before = program(step, [2, 7, 7, 1])
    after = mask_before_pool_gradients(before)
    verify(after)
    relu_grads = [n for n in after.graph.nodes if n.type == "ReluGrad"]
    assert len(relu_grads) == 1 and relu_grads[0].inputs[0]._shape == (2, 2, 2, 3)
    assert relu_grads[0].outputs[0].node is relu_grads[0]
    pool_grad = next(n for n in after.graph.nodes if n.type == "MaxPoolGrad")
    assert pool_grad.inputs[2] is relu_grads[0].outputs[0]
    x = rng.standard_normal((2, 7, 7, 1)).astype(np.float32)  # many windows of zeros: ties
    for expected, got in zip(run(before, x), run(after, x)):
        np.testing.assert_array_equal(got, expected)


def test_a_sparse_cross_entropy_and_its_backprop_become_one_kernel_exactly():
    from eagerflow.graph.passes.loss_fusion import fuse_losses
    labels = tf.constant([2, 0, 1], tf.int64)
    weights = tf.Variable(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))

    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels, x @ weights))
        return [loss, tape.gradient(loss, weights)]

    before = program(step, [3, 4])
    after = fuse_losses(before)
    verify(after)
    types = [n.type for n in after.graph.nodes]
    assert types.count("SparseSoftmaxCrossEntropyWithLogitsAndBackprop") == 1
    assert not {"SparseSoftmaxCrossEntropyWithLogits",
                "SparseSoftmaxCrossEntropyWithLogitsGrad"} & set(types)
    x = np.random.default_rng(5).standard_normal((3, 4)).astype(np.float32)
    for expected, got in zip(run(before, x), run(after, x)):
        np.testing.assert_array_equal(got, expected)
    alone = program(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels, x),
                    [3, 4])
    assert [n.type for n in fuse_losses(alone).graph.nodes] == \
        [n.type for n in alone.graph.nodes]  # no backprop to share the softmax with


def test_fusion_takes_an_added_vector_as_the_bias():
    from eagerflow.graph.passes.fusion import fuse_patterns
    w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) - 2.0)
    b = tf.constant([0.5, -1.0])
    row = tf.constant([[1.0, 2.0]])
    vector_first = program(lambda x: tf.nn.relu(b + x @ w), [4, 3])
    assert [n.type for n in fuse_patterns(vector_first).graph.nodes][-1] == "FusedMatMul"
    matrix = program(lambda x: x @ w + row, [4, 3])   # not a vector: stays an Add
    assert "FusedMatMul" not in [n.type for n in fuse_patterns(matrix).graph.nodes]
    x = np.random.default_rng(3).standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_array_equal(run(fuse_patterns(vector_first), x)[0],
                                  run(vector_first, x)[0])


def test_log_of_a_softmax_becomes_a_stable_log_softmax():
    prog = program(lambda x: tf.math.log(tf.nn.softmax(x)), [2, 3])
    after = eliminate_dead_nodes(simplify_arithmetic(prog))
    assert [n.type for n in after.graph.nodes] == ["Placeholder", "LogSoftmax"]
    x = np.array([[1.0, 2.0, 3.0], [200.0, 0.0, -200.0]], np.float32)
    assert np.isneginf(run(prog, x)[0]).any()          # softmax underflows to 0, log to -inf
    np.testing.assert_allclose(run(after, x)[0], tf.nn.log_softmax(x).numpy())
    shared = program(lambda x: [tf.math.log(tf.nn.softmax(x)), tf.nn.softmax(x) * 2.0], [3])
    kept = eliminate_common_subexpressions(shared)
    assert "LogSoftmax" not in [n.type for n in simplify_arithmetic(kept).graph.nodes]


def test_passes_before_and_after_as_golden_strings():
    w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) - 2.0)
    b = tf.constant([0.5, -1.0])
    dense = program(lambda x: tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b)), [4, 3])
    consts = ["%const = Const(value=[[-2., -1.], [ 0.,  1.], [ 2.,  3.]]) : float32[3,2]",
              "%const_1 = Const(value=[ 0.5, -1. ]) : float32[2]"]
    assert str(dense) == "\n".join([
        "%x0 = Placeholder() : float32[4,3]", consts[0],
        "%mat_mul = MatMul(%x0, %const) : float32[4,2]", consts[1],
        "%bias_add = BiasAdd(%mat_mul, %const_1, data_format='NHWC') : float32[4,2]",
        "%relu = Relu(%bias_add) : float32[4,2]",
        "return %relu"])
    from eagerflow.graph.passes.fusion import fuse_patterns
    assert str(fuse_patterns(dense)) == "\n".join([
        "%x0 = Placeholder() : float32[4,3]", *consts,
        "%fused_mat_mul = FusedMatMul(%x0, %const, %const_1, activation='relu') : "
        "float32[4,2]",
        "return %fused_mat_mul"])

    negations = program(lambda x: -(-(x * 1.0 + 0.0)), [2])
    assert str(negations) == "\n".join([
        "%x0 = Placeholder() : float32[2]",
        "%const = Const(value=1.0) : float32[]",
        "%mul = Mul(%x0, %const) : float32[2]",
        "%const_1 = Const(value=0.0) : float32[]",
        "%add = Add(%mul, %const_1) : float32[2]",
        "%neg = Neg(%add) : float32[2]",
        "%neg_1 = Neg(%neg) : float32[2]",
        "return %neg_1"])
    assert str(simplify_arithmetic(negations)) == "\n".join([
        "%x0 = Placeholder() : float32[2]",
        "%const = Const(value=1.0) : float32[]",
        "%const_1 = Const(value=0.0) : float32[]",
        "%neg = Neg(%x0) : float32[2]",     # dead now: the next pass removes it
        "return %x0"])

    twice = program(lambda x: tf.exp(x) + tf.exp(x), [2])
    assert str(twice) == "\n".join([
        "%x0 = Placeholder() : float32[2]",
        "%exp = Exp(%x0) : float32[2]",
        "%exp_1 = Exp(%x0) : float32[2]",
        "%add = Add(%exp, %exp_1) : float32[2]",
        "return %add"])
    assert str(eliminate_common_subexpressions(twice)) == "\n".join([
        "%x0 = Placeholder() : float32[2]",
        "%exp = Exp(%x0) : float32[2]",
        "%add = Add(%exp, %exp) : float32[2]",
        "return %add"])
