import logging

import numpy as np
import pytest

import eagerflow as tf


def test_seed_add_runs_as_a_function():
    @tf.function
    def add(a, b):
        return a + b

    result = add(tf.constant(2.0), tf.constant(3.0))
    assert isinstance(result, tf.Tensor) and result.numpy() == 5.0


def test_python_side_effects_happen_once_at_trace_time():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x * 2.0

    for _ in range(3):
        f(tf.constant([1.0, 2.0]))
    assert len(calls) == 1 and f.experimental_get_tracing_count() == 1


def test_cache_rules_tensors_by_shape_and_dtype_python_values_by_value():
    @tf.function
    def f(x, n):
        return x * n

    f(tf.constant([1.0, 2.0]), 2)
    f(tf.constant([3.0, 4.0]), 2)                       # same key: no retrace
    assert f.experimental_get_tracing_count() == 1
    f(tf.constant([1.0, 2.0]), 3)                       # new Python value
    f(tf.constant([1.0, 2.0, 3.0]), 3)                  # new shape
    f(tf.constant([1.0, 2.0, 3.0], tf.float64), 3)      # new dtype
    assert f.experimental_get_tracing_count() == 4
    reasons = f.explain_retraces()
    assert "argument 'n' changed from Python int 2 to Python int 3" in reasons[0]
    assert "argument 'x' changed from tensor float32[2] to tensor float32[3]" in reasons[1]
    assert "float32[3] to tensor float64[3]" in reasons[2]
    assert "test_tracing.py" in reasons[0]


def test_variables_and_objects_match_by_identity():
    @tf.function
    def read(v):
        return v * 1.0

    a, b = tf.Variable(1.0), tf.Variable(2.0)
    assert float(read(a)) == 1.0 and float(read(b)) == 2.0
    assert read.experimental_get_tracing_count() == 2


def test_variables_are_read_and_updated_at_each_call():
    counter = tf.Variable(0.0)

    @tf.function
    def step(x):
        counter.assign_add(x)
        return counter * 10.0

    assert float(step(tf.constant(1.0))) == 10.0
    assert float(step(tf.constant(2.0))) == 30.0
    assert float(counter) == 3.0


def test_input_signature_fixes_the_trace_and_checks_arguments():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def total(x):
        return tf.reduce_sum(x, axis=1)

    assert total(tf.ones([2, 3])).numpy().tolist() == [3.0, 3.0]
    assert total(np.ones((5, 3), np.float32)).shape == (5,)
    assert total.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="incompatible with the input_signature"):
        total(tf.ones([2, 4]))
    graph = total.get_concrete_function().graph
    assert graph.get_operations()[0].outputs[0].shape.as_list() == [None, 3]


def test_reduce_retracing_generalizes_shapes():
    @tf.function(reduce_retracing=True)
    def double(x):
        return x * 2.0

    for n in (2, 3, 4, 5):
        assert double(tf.ones([n])).shape == (n,)
    assert double.experimental_get_tracing_count() == 2


def test_methods_trace_per_instance():
    class Scale(tf.Module):
        def __init__(self, factor):
            super().__init__()
            self.factor = tf.Variable(factor)

        @tf.function
        def __call__(self, x):
            return x * self.factor

    small, big = Scale(2.0), Scale(10.0)
    assert float(small(tf.constant(1.0))) == 2.0 and float(big(tf.constant(1.0))) == 10.0


def test_each_instance_may_create_its_variables_on_its_first_call():
    class LazyScale(tf.Module):
        def __init__(self, factor):
            super().__init__()
            self.factor, self.variable = factor, None

        @tf.function
        def __call__(self, x):
            if self.variable is None:
                self.variable = tf.Variable(self.factor)
            return x * self.variable

    small, big = LazyScale(2.0), LazyScale(10.0)
    assert float(small(tf.constant(3.0))) == 6.0 and float(big(tf.constant(3.0))) == 30.0
    assert float(small(tf.constant(1.0))) == 2.0
    assert small.__call__.experimental_get_tracing_count() == 1
    assert big.__call__.experimental_get_tracing_count() == 1


def test_nested_functions_are_inlined():
    @tf.function
    def inner(x):
        return x + 1.0

    @tf.function
    def outer(x):
        return inner(x) * 2.0

    assert float(outer(tf.constant(1.0))) == 4.0
    assert [op.type for op in outer.get_concrete_function(tf.constant(1.0)).graph
            .get_operations()] == ["Placeholder", "Const", "Add", "Const", "Mul"]


def test_python_control_flow_on_tensors_without_autograph_is_refused_clearly():
    def absolute(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(TypeError, match="as a Python `bool`"):
        tf.function(absolute, autograph=False)(tf.constant(1.0))
    assert float(tf.function(absolute)(tf.constant(-2.0))) == 2.0


def test_excessive_retracing_warns_with_the_cause(caplog):
    @tf.function
    def f(n):
        return tf.constant(1.0) * n

    with caplog.at_level(logging.WARNING, logger="eagerflow"):
        for n in range(6):
            f(n)
    assert "traced 5 times" in caplog.text and "pass a tensor" in caplog.text


def test_run_functions_eagerly_runs_the_python_code():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x + 1.0

    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(1.0))
        f(tf.constant(1.0))
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(calls) == 2 and f.experimental_get_tracing_count() == 0


def test_variables_may_be_created_only_on_the_first_trace():
    @tf.function
    def make(x):
        v = tf.Variable(1.0)
        return x * v

    assert float(make(tf.constant(2.0))) == 2.0
    with pytest.raises(ValueError, match="singleton tf.Variables created on the first call"):
        make(tf.constant([1.0, 2.0]))


def test_tf_print_runs_at_every_call(capsys):
    def show(x):
        tf.print("x =", x)
        return x

    f = tf.function(show)
    f(tf.constant(1))
    f(tf.constant(2))
    assert capsys.readouterr().err == "x = 1\nx = 2\n"


def test_graph_exports():
    @tf.function
    def f(x):
        return x * 2.0

    graph = f.get_concrete_function(tf.constant([1.0])).graph
    nodes = graph.as_graph_def()["node"]
    assert [(n["name"], n["op"], n["input"]) for n in nodes] == [
        ("args_0", "Placeholder", []), ("const", "Const", []),
        ("mul", "Mul", ["args_0", "const"])]
    dot = graph.to_dot()
    assert dot.startswith("digraph G {") and '"args_0" -> "mul";' in dot
