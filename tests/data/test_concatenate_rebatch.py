"""Dataset.concatenate and Dataset.rebatch against TF's documented examples."""

import pytest

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset


def test_concatenate_documented_example():
    a, b = Dataset.range(1, 4), Dataset.range(4, 8)
    assert values(a.concatenate(b)) == [1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(TypeError, match="incompatible dataset elements"):
        a.concatenate(Dataset.zip((a, b)))
    with pytest.raises(TypeError, match=r"incompatible dataset elements:\n.*int64.*vs\..*string"):
        a.concatenate(Dataset.from_tensor_slices(["a", "b", "c"]))


def test_concatenate_relaxes_shapes_and_sums_cardinalities():
    joined = Dataset.from_tensors([1, 2]).concatenate(Dataset.from_tensors([1, 2, 3]))
    assert joined.element_spec == tf.TensorSpec([None], tf.int32)
    assert values(joined) == [[1, 2], [1, 2, 3]]
    ranks = Dataset.from_tensors(1).concatenate(Dataset.from_tensors([1]))
    assert ranks.element_spec.shape.rank is None
    card = lambda d: int(d.cardinality())  # noqa: E731
    assert card(Dataset.range(3).concatenate(Dataset.range(4))) == 7
    assert card(Dataset.range(3).concatenate(Dataset.range(4).repeat())) == -1
    assert card(Dataset.range(3).concatenate(Dataset.range(4).filter(lambda x: True))) == -2


def test_rebatch_documented_examples():
    assert values(Dataset.range(8).batch(4).rebatch(batch_size=2)) == [
        [0, 1], [2, 3], [4, 5], [6, 7]]
    assert values(Dataset.range(16).batch(4).rebatch(batch_size=[2, 1, 1])) == [
        [0, 1], [2], [3], [4, 5], [6], [7], [8, 9], [10], [11], [12, 13], [14], [15]]
    assert values(Dataset.range(6).batch(2).rebatch(3)) == [[0, 1, 2], [3, 4, 5]]


def test_rebatch_drop_remainder_and_element_spec():
    assert values(Dataset.range(7).batch(3).rebatch(2, drop_remainder=True)) == [
        [0, 1], [2, 3], [4, 5]]
    assert values(Dataset.range(7).batch(3).rebatch(2)) == [[0, 1], [2, 3], [4, 5], [6]]
    spec = lambda d: d.element_spec.shape.as_list()  # noqa: E731
    assert spec(Dataset.range(8).batch(4).rebatch(2)) == [None]
    assert spec(Dataset.range(8).batch(4, drop_remainder=True).rebatch(2)) == [2]
    assert spec(Dataset.range(8).batch(4).rebatch(2, drop_remainder=True)) == [2]
    assert spec(Dataset.range(8).batch(4).rebatch([2, 1])) == [None]


def test_rebatch_errors():
    with pytest.raises(ValueError, match="scalar elements"):
        Dataset.range(3).rebatch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="greater than zero"):
        Dataset.range(3).batch(2).rebatch(0)
