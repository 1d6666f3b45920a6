"""tf.data.experimental and Dataset.apply / get_single_element, as TF documents them."""

import pytest

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset
experimental = tf.data.experimental


def test_constants():
    assert experimental.AUTOTUNE == tf.data.AUTOTUNE == -1
    assert experimental.INFINITE_CARDINALITY == tf.data.INFINITE_CARDINALITY == -1
    assert experimental.UNKNOWN_CARDINALITY == tf.data.UNKNOWN_CARDINALITY == -2


def test_cardinality_documented_example():
    dataset = Dataset.range(42)
    assert int(experimental.cardinality(dataset)) == 42
    dataset = dataset.repeat()
    assert int(experimental.cardinality(dataset)) == experimental.INFINITE_CARDINALITY
    dataset = dataset.filter(lambda x: True)
    assert int(experimental.cardinality(dataset)) == experimental.UNKNOWN_CARDINALITY


def test_apply_documented_example():
    dataset = Dataset.range(100).apply(lambda ds: ds.filter(lambda x: x < 5))
    assert values(dataset) == [0, 1, 2, 3, 4]
    with pytest.raises(TypeError, match="must return a tf.data.Dataset"):
        Dataset.range(3).apply(lambda ds: 3)


def test_assert_cardinality_sets_a_known_cardinality():
    dataset = Dataset.range(10).filter(lambda x: True)
    assert int(experimental.cardinality(dataset)) == experimental.UNKNOWN_CARDINALITY
    dataset = dataset.apply(experimental.assert_cardinality(10))
    assert int(experimental.cardinality(dataset)) == 10 and len(dataset) == 10
    assert values(dataset) == list(range(10))


@pytest.mark.parametrize("elements, asserted, message", [
    (10, 20, "expected to contain 20 elements but contained only 10 elements."),
    (1, 20, "expected to contain 20 elements but contained only 1 element."),
    (10, -1, "expected to contain an infinite number of elements but contained only 10 "
             "elements."),
    (10, 5, "expected to contain 5 elements but contained at least 6 elements."),
    (10, 1, "expected to contain 1 element but contained at least 2 elements."),
])
def test_assert_cardinality_raises_tf_messages_while_iterating(elements, asserted, message):
    dataset = Dataset.range(elements).apply(experimental.assert_cardinality(asserted))
    produced = []
    with pytest.raises(tf.errors.FailedPreconditionError, match=message):
        for element in dataset:
            produced.append(int(element))
    assert produced == list(range(min(elements, asserted if asserted > 0 else elements)))


def test_get_single_element():
    assert int(Dataset.range(100).skip(5).take(1).get_single_element()) == 5
    element = experimental.get_single_element(Dataset.from_tensors(([1, 2], "a")))
    assert element[0].numpy().tolist() == [1, 2] and element[1].numpy() == b"a"
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dataset was empty."):
        Dataset.range(100).skip(100).take(1).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dataset had more than one"):
        Dataset.range(100).take(2).get_single_element()


def test_get_single_element_reads_at_most_two_elements():
    def gen():
        yield 1
        yield 2
        raise AssertionError("read past the second element")

    dataset = Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one"):
        dataset.get_single_element()
