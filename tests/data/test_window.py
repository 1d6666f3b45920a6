"""Dataset.window against TF's documented examples."""

import re

import pytest

import eagerflow as tf
from tests.data.helpers import values, window_values

Dataset = tf.data.Dataset


def test_windows_of_size_with_a_shorter_last_one():
    assert window_values(Dataset.range(7).window(2)) == [[0, 1], [2, 3], [4, 5], [6]]
    assert window_values(Dataset.range(7).window(3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_shift_stride_and_drop_remainder():
    assert window_values(Dataset.range(7).window(3, 2, 1, True)) == [
        [0, 1, 2], [2, 3, 4], [4, 5, 6]]
    assert window_values(Dataset.range(7).window(3, 1, 2, True)) == [
        [0, 2, 4], [1, 3, 5], [2, 4, 6]]
    assert window_values(Dataset.range(7).window(3, shift=1, drop_remainder=True)) == [
        [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
    # Without drop_remainder every remaining start gives a (shorter) window, as TF's kernel.
    assert window_values(Dataset.range(5).window(3, shift=1)) == [
        [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4], [4]]
    assert window_values(Dataset.range(10).window(2, shift=4)) == [[0, 1], [4, 5], [8, 9]]


def test_flat_map_with_batch_turns_windows_into_tensors():
    batches = Dataset.range(7).window(3, shift=1, drop_remainder=True).flat_map(
        lambda window: window.batch(3))
    assert values(batches) == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
    assert batches.element_spec == tf.TensorSpec([None], tf.int64)
    fixed = Dataset.range(7).window(3, drop_remainder=True).flat_map(
        lambda window: window.batch(3, drop_remainder=True))
    assert values(fixed) == [[0, 1, 2], [3, 4, 5]]
    assert fixed.element_spec == tf.TensorSpec([3], tf.int64)


def test_documented_nested_examples():
    pairs = Dataset.from_tensor_slices(([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).window(2)
    first = next(iter(pairs))
    assert isinstance(first, tuple) and all(
        re.fullmatch(r"<\w*Dataset element_spec=TensorSpec\(shape=\(\), dtype=tf.int32, "
                     r"name=None\)>", repr(window)) for window in first)
    assert window_values(pairs) == [([1, 2], [6, 7]), ([3, 4], [8, 9]), ([5], [10])]
    records = Dataset.from_tensor_slices({"a": [1, 2, 3], "b": [4, 5, 6], "c": [7, 8, 9]})
    assert window_values(records.window(2)) == [{"a": [1, 2], "b": [4, 5], "c": [7, 8]},
                                                {"a": [3], "b": [6], "c": [9]}]


def test_nested_elements_give_nested_windows():
    nested = Dataset.from_tensor_slices(([1, 2, 3, 4], [5, 6, 7, 8])).window(2)
    assert window_values(nested) == [([1, 2], [5, 6]), ([3, 4], [7, 8])]
    records = Dataset.from_tensor_slices({"a": [1, 2, 3], "b": [4, 5, 6]}).window(2)
    assert window_values(records) == [{"a": [1, 2], "b": [4, 5]}, {"a": [3], "b": [6]}]
    zipped = records.flat_map(lambda d: Dataset.zip(d).batch(2))
    assert values(zipped) == [{"a": [1, 2], "b": [4, 5]}, {"a": [3], "b": [6]}]
    pairs = nested.flat_map(lambda x, y: Dataset.zip((x, y)))
    assert values(pairs) == [(1, 5), (2, 6), (3, 7), (4, 8)]


def test_element_spec_is_a_structure_of_dataset_specs():
    spec = Dataset.from_tensor_slices(([1, 2], [[1.0], [2.0]])).window(2).element_spec
    assert spec == (tf.data.DatasetSpec(tf.TensorSpec([], tf.int32)),
                    tf.data.DatasetSpec(tf.TensorSpec([1], tf.float32)))
    assert repr(spec[0]) == ("DatasetSpec(TensorSpec(shape=(), dtype=tf.int32, name=None), "
                             "TensorShape([]))")
    window = next(iter(Dataset.range(5).window(3)))
    assert window.element_spec == tf.TensorSpec([], tf.int64) and len(window) == 3


def test_cardinality_follows_tf():
    card = lambda d: int(d.cardinality())  # noqa: E731
    assert card(Dataset.range(7).window(2)) == 4
    assert card(Dataset.range(7).window(3, 2, 1, True)) == 3
    assert card(Dataset.range(7).window(3, 1, 2, True)) == 3
    assert card(Dataset.range(2).window(3, drop_remainder=True)) == 0
    assert card(Dataset.range(3).repeat().window(2)) == tf.data.INFINITE_CARDINALITY


def test_windows_of_an_infinite_input_are_lazy():
    assert window_values(Dataset.range(3).repeat().window(2, 3).take(2)) == [[0, 1], [0, 1]]


def test_errors():
    for args in [(0,), (2, 0), (2, 1, 0)]:
        with pytest.raises(tf.errors.InvalidArgumentError, match="greater than zero"):
            Dataset.range(3).window(*args)
    with pytest.raises(TypeError, match="as_numpy_iterator.*not supported"):
        list(Dataset.range(3).window(2).as_numpy_iterator())
