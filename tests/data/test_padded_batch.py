"""Dataset.padded_batch against TF's documented examples and errors."""

import numpy as np
import pytest

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset


def filled():
    """TF's example input: [1], [2, 2], [3, 3, 3], [4, 4, 4, 4] as int32."""
    return Dataset.range(1, 5, output_type=tf.int32).map(lambda x: tf.fill([x], x))


def test_pads_to_the_longest_in_each_batch():
    assert values(filled().padded_batch(2)) == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    assert filled().padded_batch(2).element_spec == tf.TensorSpec([None, None], tf.int32)


def test_pads_to_a_fixed_size_and_with_a_custom_value():
    assert values(filled().padded_batch(2, padded_shapes=5)) == [
        [[1, 0, 0, 0, 0], [2, 2, 0, 0, 0]], [[3, 3, 3, 0, 0], [4, 4, 4, 4, 0]]]
    assert values(filled().padded_batch(2, padded_shapes=5, padding_values=-1)) == [
        [[1, -1, -1, -1, -1], [2, 2, -1, -1, -1]], [[3, 3, 3, -1, -1], [4, 4, 4, 4, -1]]]
    assert filled().padded_batch(2, 5, drop_remainder=True).element_spec == tf.TensorSpec(
        [2, 5], tf.int32)


def test_components_of_nested_elements_pad_independently():
    elements = [([1, 2, 3], [10]), ([4, 5], [11, 12])]
    dataset = Dataset.from_generator(lambda: iter(elements), (tf.int32, tf.int32))
    dataset = dataset.padded_batch(2, padded_shapes=([4], [None]), padding_values=(-1, 100))
    assert values(dataset) == [([[1, 2, 3, -1], [4, 5, -1, -1]], [[10, 100], [11, 12]])]
    assert dataset.element_spec == (tf.TensorSpec([None, 4], tf.int32),
                                    tf.TensorSpec([None, None], tf.int32))


def test_a_single_padding_value_serves_every_component():
    pairs = Dataset.zip((filled(), filled())).padded_batch(2, padding_values=-1)
    assert values(pairs) == [([[1, -1], [2, 2]], [[1, -1], [2, 2]]),
                             ([[3, 3, 3, -1], [4, 4, 4, 4]], [[3, 3, 3, -1], [4, 4, 4, 4]])]


def test_strings_pad_with_the_empty_string_and_dicts_keep_their_keys():
    words = Dataset.from_generator(lambda: iter([["ab"], ["c", "d"]]),
                                   output_signature=tf.TensorSpec([None], tf.string))
    assert values(words.padded_batch(2)) == [[[b"ab", b""], [b"c", b"d"]]]
    records = Dataset.from_tensor_slices({"n": [1, 2, 3]}).map(
        lambda d: {"n": tf.range(d["n"])})
    assert values(records.padded_batch(3, padded_shapes={"n": [4]})) == [
        {"n": [[0, 0, 0, 0], [0, 1, 0, 0], [0, 1, 2, 0]]}]


def test_remainder_and_cardinality_follow_batch():
    assert len(values(filled().padded_batch(3))) == 2
    assert len(values(filled().padded_batch(3, drop_remainder=True))) == 1
    assert int(filled().padded_batch(3).cardinality()) == 2
    assert int(filled().padded_batch(3, drop_remainder=True).cardinality()) == 1


def test_padded_shapes_may_be_an_int64_tensor_with_minus_one_for_the_longest():
    shapes = tf.constant([-1], tf.int64)
    assert values(filled().padded_batch(2, padded_shapes=shapes))[0] == [[1, 0], [2, 2]]


def test_errors_name_the_mismatch():
    int64_rows = Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
    with pytest.raises(TypeError, match="type int32 does not match type int64"):
        int64_rows.padded_batch(2, padding_values=-1)
    with pytest.raises(ValueError, match="should be scalars"):
        filled().padded_batch(2, padding_values=np.array([1, 2], np.int32))
    with pytest.raises(ValueError, match=r"padded shape \(2, 3\) is not compatible with the "
                                         r"shape \(None,\)"):
        filled().padded_batch(2, padded_shapes=[2, 3])
    with pytest.raises(tf.errors.DataLossError, match="smaller size than the input element"):
        list(filled().padded_batch(2, padded_shapes=[2]))
    unknown_rank = Dataset.from_generator(lambda: iter([[1]]), tf.int32)
    with pytest.raises(ValueError, match="component 0 has unknown rank"):
        unknown_rank.padded_batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected rank 1 but got element "
                                                             "with rank 2"):
        list(Dataset.from_generator(lambda: iter([[1], [[1]]]), tf.int32).padded_batch(2, [None]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="greater than zero"):
        filled().padded_batch(0)
