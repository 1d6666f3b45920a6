"""Elementwise fusion alone: chains of ufunc ops become one FusedElementwise node."""

import numpy as np

import eagerflow as tf
from eagerflow.graph.codegen import CompiledGraph
from eagerflow.graph.passes.elementwise_fusion import fuse_elementwise
from eagerflow.graph.passes.verify import verify
from tests.graph.test_passes import program, run


def test_a_chain_becomes_one_node():
    prog = program(lambda x, y: tf.abs(tf.tanh(x * 2.0 + y) - 0.5), [2, 3], [3])
    fused = fuse_elementwise(prog)
    verify(fused)
    assert str(fused) == "\n".join([
        "%x0 = Placeholder() : float32[2,3]",
        "%x1 = Placeholder() : float32[3]",
        "%const = Const(value=2.0) : float32[]",
        "%const_1 = Const(value=0.5) : float32[]",
        "%fused_elementwise = FusedElementwise(%x0, %const, %x1, %const_1, "
        "program=Mul(0, 1) → Add(_, 2) → Tanh → Sub(_, 3) → Abs) : float32[2,3]",
        "return %fused_elementwise"])
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    y = np.array([0.1, 0.2, 0.3], np.float32)
    np.testing.assert_array_equal(run(fused, x, y)[0], run(prog, x, y)[0])


def test_a_running_value_on_the_right_and_warning_free_ops():
    prog = program(lambda x: tf.maximum(1.0 - tf.exp(x), -3.0), [4])
    fused = fuse_elementwise(prog)
    assert str(fused.graph.nodes[-1].attrs["program"]) == "Exp(0) → Sub(1, _) → Maximum(_, 2)"
    x = np.array([-1.0, 0.0, 100.0, 2.0], np.float32)  # exp overflows to inf quietly
    np.testing.assert_array_equal(run(fused, x)[0], run(prog, x)[0])


def test_values_read_elsewhere_end_a_chain():
    def build(x):
        shared = tf.sin(x) * 3.0
        return [tf.cos(shared + 1.0), shared]

    fused = fuse_elementwise(program(build, [3]))
    programs = [str(n.attrs["program"]) for n in fused.graph.nodes
                if n.type == "FusedElementwise"]
    assert programs == ["Sin(0) → Mul(_, 1)", "Add(0, 1) → Cos"]


def test_operands_that_would_grow_the_value_end_a_chain():
    prog = program(lambda x, y: tf.exp(x) * y, [3], [2, 3])
    assert [n.type for n in fuse_elementwise(prog).graph.nodes] == [
        "Placeholder", "Placeholder", "Exp", "Mul"]


def test_single_ops_and_comparisons_stay_as_they_are():
    prog = program(lambda x: tf.cast(tf.exp(x) > 1.0, tf.float32) + 1.0, [3])
    types = [n.type for n in fuse_elementwise(prog).graph.nodes]
    assert "FusedElementwise" not in types and "Exp" in types and "Greater" in types


def test_generated_code_writes_into_a_dying_buffer():
    def build(x):
        s = tf.sin(x) * 2.0
        return [s - 1.0, tf.tanh(s + 1.0) * 3.0]  # the second chain is s's last reader

    fused = fuse_elementwise(program(build, [3]))
    compiled = CompiledGraph(fused.graph, fused.inputs, fused.outputs)
    assert len(compiled.memory_plan.in_place) == 1
    assert "= k_FusedElementwise" in compiled.source.splitlines()[-3]
    assert "out=" in compiled.source.splitlines()[-3]
    x = np.array([0.5, 1.0, 2.0], np.float32)
    s = np.sin(x) * np.float32(2.0)
    for got, expected in zip(compiled.run([x]), [s - 1, np.tanh(s + 1) * 3]):
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_function_graphs_fuse_and_can_switch_it_off():
    def f(x):
        return tf.abs(tf.tanh(x * 0.9 + 0.1) - 0.2)

    x = tf.constant([[0.5, -1.5]])
    fused = tf.function(f)
    assert "elementwise fusion: 9 → 5 nodes" in fused.get_concrete_function(
        x).optimization_report()
    tf.config.optimizer.set_experimental_options({"elementwise_fusion": False})
    try:
        plain = tf.function(f)
        assert "elementwise fusion: off" in plain.get_concrete_function(
            x).optimization_report()
        np.testing.assert_array_equal(plain(x).numpy(), fused(x).numpy())
    finally:
        tf.config.optimizer.set_experimental_options({"elementwise_fusion": True})
    np.testing.assert_array_equal(fused(x).numpy(), f(x).numpy())
