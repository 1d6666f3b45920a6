"""Adam's fused kernel (ops/training_ops.py) gives the bits of its ops, eagerly and
compiled, and keeps the values that reads made before the update."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.ops import training_ops


class OpByOpAdam(tf.keras.optimizers.Adam):
    """Adam through its separate ops: overriding an assign method turns the kernel off."""

    def assign_sub(self, variable, value):
        variable.assign_sub(value)


def train(optimizer, dtype, compiled, steps=4):
    rng = np.random.default_rng(3)
    variables = [tf.Variable(rng.standard_normal(shape).astype(dtype))
                 for shape in [(70, 50), (50,), ()]]
    gradients = [[tf.constant(rng.standard_normal(v.shape.as_list()).astype(dtype))
                  for v in variables] for _ in range(steps)]

    def step(grads):
        optimizer.apply_gradients(zip(grads, variables))

    run = tf.function(step) if compiled else step
    for grads in gradients:
        run(grads)
    return [v.numpy() for v in variables + list(optimizer.variables)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_the_kernel_gives_the_bits_of_the_separate_ops(dtype, compiled, amsgrad, monkeypatch):
    monkeypatch.setattr(training_ops, "BLOCK", 1024)  # several blocks and a ragged last one
    fused = train(tf.keras.optimizers.Adam(0.01, amsgrad=amsgrad), dtype, compiled)
    separate = train(OpByOpAdam(0.01, amsgrad=amsgrad), dtype, compiled)
    assert len(fused) == len(separate)
    for a, b in zip(fused, separate):
        np.testing.assert_array_equal(a, b)


def test_a_compiled_step_is_one_update_node_per_variable():
    variable = tf.Variable(np.ones((3, 2), np.float32))
    optimizer = tf.keras.optimizers.Adam()
    step = tf.function(lambda g: optimizer.apply_gradients([(g, variable)]))
    graph = step.get_concrete_function(tf.ones((3, 2))).graph
    updates = [node for node in graph.nodes if node.type == "ResourceApplyAdam"]
    assert len(updates) == 1
    assert [v.name for v in updates[0].assigned_variables()] == \
        [variable.name] + [v.name for v in optimizer.variables[2:4]]


def test_a_value_read_before_the_update_keeps_its_value():
    variable = tf.Variable([1.0, 2.0])
    before = variable.value()
    tf.keras.optimizers.Adam(0.5).apply_gradients([(tf.constant([1.0, 1.0]), variable)])
    np.testing.assert_array_equal(before.numpy(), [1.0, 2.0])
    assert variable.numpy()[0] < 1.0


def test_updates_in_a_graph_loop_see_the_last_iterations_values():
    variable = tf.Variable([1.0, -1.0])
    optimizer = tf.keras.optimizers.Adam(0.1)

    @tf.function
    def three_steps():
        for _ in tf.range(3):
            optimizer.apply_gradients([(tf.sign(variable.read_value()), variable)])

    expected = tf.Variable([1.0, -1.0])
    reference = OpByOpAdam(0.1)
    for _ in range(3):
        reference.apply_gradients([(tf.sign(expected.read_value()), expected)])
    three_steps()
    np.testing.assert_array_equal(variable.numpy(), expected.numpy())


def test_a_compiled_step_updates_the_arrays_in_place_when_no_read_holds_them():
    variable = tf.Variable(np.ones((40, 30), np.float32))
    optimizer = tf.keras.optimizers.Adam()
    step = tf.function(lambda g: optimizer.apply_gradients([(g, variable)]))
    gradient = tf.ones((40, 30))
    step(gradient)
    arrays = [id(v._value) for v in [variable] + optimizer.variables[2:4]]
    step(gradient)
    assert [id(v._value) for v in [variable] + optimizer.variables[2:4]] == arrays
