"""Dataset.flat_map and Dataset.interleave against TF's documented examples."""

import threading
import time

import pytest

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset


def test_flat_map_flattens_a_dataset_of_batches():
    rows = Dataset.from_tensor_slices([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    flat = rows.flat_map(lambda x: Dataset.from_tensor_slices(x))
    assert values(flat) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert flat.element_spec == tf.TensorSpec([], tf.int32)
    assert int(flat.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_flat_map_element_spec_is_traced_from_symbolic_elements():
    ranges = Dataset.range(1, 4).flat_map(lambda x: Dataset.range(x))
    assert ranges.element_spec == tf.TensorSpec([], tf.int64)
    assert values(ranges) == [0, 0, 1, 0, 1, 2]
    repeated = Dataset.range(1, 4).flat_map(lambda x: Dataset.from_tensors(x).repeat(x))
    assert values(repeated) == [1, 2, 2, 3, 3, 3]
    batched = Dataset.range(2, 4).flat_map(lambda x: Dataset.range(x).batch(x, True))
    assert batched.element_spec == tf.TensorSpec([None], tf.int64)  # the size is a tensor
    assert values(batched) == [[0, 1], [0, 1, 2]]


def test_flat_map_must_return_a_dataset_which_its_trace_checks_when_built():
    with pytest.raises(TypeError, match="Dataset.flat_map: `map_func` must return a "
                                        "`Dataset` object"):
        Dataset.range(3).flat_map(lambda x: x)
    with pytest.raises(TypeError, match="`map_func` must return a `Dataset` object"):
        Dataset.range(3).flat_map(lambda x: [x])


def test_flat_map_function_is_traced_once_then_called_per_element():
    calls = []

    def make(x):
        calls.append(x)
        return Dataset.from_tensors(x)

    flat = Dataset.range(2).flat_map(make)
    assert len(calls) == 1 and not isinstance(calls[0], tf.Tensor)  # the trace: symbolic
    assert values(flat) == [0, 1] and [int(x) for x in calls[1:]] == [0, 1]


def test_interleave_documented_order():
    dataset = Dataset.range(1, 6).interleave(
        lambda x: Dataset.from_tensors(x).repeat(6), cycle_length=2, block_length=4)
    assert values(dataset) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2,
                               3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4,
                               5, 5, 5, 5, 5, 5]
    assert dataset.element_spec == tf.TensorSpec([], tf.int64)


def test_interleave_with_cycle_length_one_is_flat_map():
    make = lambda x: Dataset.range(x)  # noqa: E731
    assert values(Dataset.range(4).interleave(make, cycle_length=1)) == values(
        Dataset.range(4).flat_map(make))


def test_interleave_block_length_defaults_to_one_and_empty_inputs_are_skipped():
    dataset = Dataset.range(4).interleave(lambda x: Dataset.range(x), cycle_length=3)
    # Cycle [0:-, 1:0, 2:0 1]; 0 is empty and 3 takes its slot: 3 yields 0 1 2.
    assert values(dataset) == [0, 0, 0, 1, 1, 2]


def test_interleave_default_cycle_length_is_the_cpu_count():
    from eagerflow.data import nesting

    cores = nesting.default_cycle_length()
    dataset = Dataset.range(cores + 1).interleave(lambda x: Dataset.from_tensors(x).repeat(2))
    expected = sorted(range(cores)) * 2 + [cores, cores]  # the first `cores` run side by side
    assert values(dataset) == expected


def test_parallel_interleave_keeps_the_order_and_fetches_on_worker_threads():
    threads = set()

    def make(x):
        def gen():
            for i in range(3):
                threads.add(threading.get_ident())
                yield i
        return Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))

    sequential = values(Dataset.range(5).interleave(make, cycle_length=2, block_length=2))
    threads.clear()
    parallel = Dataset.range(5).interleave(make, cycle_length=2, block_length=2,
                                           num_parallel_calls=tf.data.AUTOTUNE)
    assert values(parallel) == sequential
    assert threads and threading.get_ident() not in threads
    assert values(parallel.take(3)) == sequential[:3]
    deadline = time.monotonic() + 2  # stopping early ends the workers
    while any(t.name == "eagerflow-prefetch" for t in threading.enumerate()):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_interleave_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="cycle_length must be greater"):
        Dataset.range(3).interleave(lambda x: Dataset.range(x), cycle_length=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="block_length must be greater"):
        Dataset.range(3).interleave(lambda x: Dataset.range(x), block_length=0)
    with pytest.warns(UserWarning, match="`deterministic` argument has no effect"):
        Dataset.range(3).interleave(lambda x: Dataset.range(x), deterministic=True)
    with pytest.raises(TypeError, match="Dataset.interleave: `map_func` must return"):
        Dataset.range(3).interleave(lambda x: x)
