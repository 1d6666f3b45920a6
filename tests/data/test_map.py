"""Dataset.map / filter run their function as a traced graph, as TF does; tf.py_function
runs Python per element; num_parallel_calls uses worker threads and keeps the order."""

import threading

import numpy as np
import pytest

import eagerflow as tf

Dataset = tf.data.Dataset


def values(dataset):
    return [tf.nest.map_structure(lambda x: x.tolist(), element)
            for element in dataset.as_numpy_iterator()]


def test_map_traces_its_function_once_when_the_dataset_is_made():
    calls = []
    mapped = Dataset.range(5).map(lambda x: calls.append(1) or x * 2)
    assert len(calls) == 1  # TF traces at Dataset.map
    assert values(mapped) == values(mapped) == [0, 2, 4, 6, 8]
    assert len(calls) == 1


def test_map_converts_python_control_flow_with_autograph():
    def clip_odd(x):
        if x % 2 == 1:
            x = -x
        return x

    assert values(Dataset.range(5).map(clip_odd)) == [0, -1, 2, -3, 4]


def test_random_ops_in_a_map_draw_anew_for_every_element():
    tf.random.set_seed(3)
    draws = values(Dataset.range(4).map(lambda x: tf.random.uniform(())))
    assert len(set(draws)) == 4


def test_map_reads_variables_when_it_runs():
    scale = tf.Variable(2.0)
    mapped = Dataset.from_tensor_slices([1.0, 2.0]).map(lambda x: x * scale)
    assert values(mapped) == [2.0, 4.0]
    scale.assign(10.0)
    assert values(mapped) == [10.0, 20.0]


def test_map_passes_python_constants_and_inputs_through():
    mapped = Dataset.range(2).map(lambda x: {"x": x, "one": 1})
    assert values(mapped) == [{"x": 0, "one": 1}, {"x": 1, "one": 1}]
    assert mapped.element_spec["one"] == tf.TensorSpec([], tf.int32)


def test_a_trace_error_names_the_transformation():
    with pytest.raises(Exception, match="tracing the function given to Dataset.map") as info:
        Dataset.range(3).map(lambda x: x.numpy())
    assert "tf.py_function" in str(info.value) + "".join(getattr(info.value, "__notes__", []))


def test_run_time_errors_surface_in_tf_terms():
    ragged = Dataset.range(1, 4).map(lambda n: tf.reshape(tf.range(n), [2]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        list(ragged)


def test_py_function_runs_python_per_element():
    calls = []

    def double(x):
        calls.append(int(x.numpy()))
        return x.numpy() * 2

    mapped = Dataset.range(3).map(lambda x: tf.py_function(double, [x], tf.int64))
    assert values(mapped) == [0, 2, 4]
    assert calls == [0, 1, 2]
    assert mapped.element_spec == tf.TensorSpec(None, tf.int64)


def test_py_function_and_numpy_function_in_a_tf_function():
    @tf.function
    def f(x):
        pair = tf.py_function(lambda a: (a + 1.0, a * 2.0), [x], [tf.float32, tf.float32])
        return pair[0] + tf.numpy_function(lambda a: np.float32(a ** 2), [x], tf.float32)

    assert f(tf.constant(3.0)).numpy() == 13.0
    assert f(tf.constant(1.0)).numpy() == 3.0


def test_py_function_is_differentiable_eagerly():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
    assert tape.gradient(y, x).numpy() == 6.0


def test_py_function_checks_the_number_of_results():
    with pytest.raises(ValueError, match="returned 1 values, but Tout names 2"):
        tf.py_function(lambda a: a, [tf.constant(1.0)], [tf.float32, tf.float32])


def test_parallel_map_uses_worker_threads_and_keeps_the_order():
    threads = set()

    def record(x):
        threads.add(threading.get_ident())
        return x

    dataset = Dataset.range(40).map(
        lambda x: tf.py_function(record, [x], tf.int64) * 3, num_parallel_calls=4)
    assert values(dataset) == [3 * i for i in range(40)]
    assert threading.get_ident() not in threads
    assert values(Dataset.range(7).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE)) \
        == list(range(1, 8))
    assert values(Dataset.range(100).map(lambda x: x, num_parallel_calls=3).take(2)) == [0, 1]


def test_parallel_map_raises_an_elements_error_in_the_consumer():
    def fail_on_two(x):
        if int(x) == 2:
            raise ValueError("element two")
        return x

    dataset = Dataset.range(5).map(lambda x: tf.py_function(fail_on_two, [x], tf.int64),
                                   num_parallel_calls=2)
    iterator = iter(dataset)
    assert [int(next(iterator)), int(next(iterator))] == [0, 1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="element two"):
        next(iterator)


def test_bad_num_parallel_calls():
    with pytest.raises(ValueError, match="num_parallel_calls must be positive"):
        Dataset.range(3).map(lambda x: x, num_parallel_calls=0)


def test_filter_traces_its_predicate_and_checks_its_type():
    assert values(Dataset.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="scalar boolean"):
        Dataset.range(3).filter(lambda x: x)
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [3, 2, 1]))
    assert values(pairs.filter(lambda a, b: a < b)) == [(1, 3)]


def test_map_over_elements_of_unknown_rank():
    # TF's from_generator example with only output_types: shapes are unknown.
    elements = [(1, "foo"), (2, "bar"), (3, "baz")]
    dataset = Dataset.from_generator(lambda: elements, (tf.int32, tf.string))
    ints = dataset.map(lambda x_int, y_str: x_int)
    assert ints.element_spec.shape.rank is None
    assert list(ints.as_numpy_iterator()) == [1, 2, 3]
