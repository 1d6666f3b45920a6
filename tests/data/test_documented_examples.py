"""tf.data.Dataset on the examples of TF's API documentation (the Dataset class and its
methods' docstrings), asserting the outputs printed there; and shuffle's epoch semantics.
The examples of from_generator, window, padded_batch, flat_map/interleave, concatenate and
tf.data.experimental live in the test files of those transformations."""

import numpy as np

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset


def test_class_overview_and_element_spec_examples():
    dataset = Dataset.from_tensor_slices([1, 2, 3])
    assert [str(element) for element in dataset] == [
        "tf.Tensor(1, shape=(), dtype=int32)", "tf.Tensor(2, shape=(), dtype=int32)",
        "tf.Tensor(3, shape=(), dtype=int32)"]
    assert values(dataset.map(lambda x: x * 2)) == [2, 4, 6]
    assert repr(dataset.element_spec) == "TensorSpec(shape=(), dtype=tf.int32, name=None)"


def test_as_numpy_iterator_examples():
    dataset = Dataset.from_tensor_slices([1, 2, 3])
    assert list(dataset.as_numpy_iterator()) == [1, 2, 3]
    nested = Dataset.from_tensor_slices({"a": ([1, 2], [3, 4]), "b": [5, 6]})
    assert list(nested.as_numpy_iterator()) == [{"a": (1, 3), "b": 5}, {"a": (2, 4), "b": 6}]


def test_range_examples():
    assert values(Dataset.range(5)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(2, 5)) == [2, 3, 4]
    assert values(Dataset.range(1, 5, 2)) == [1, 3]
    assert values(Dataset.range(5, 1, -2)) == [5, 3]
    assert values(Dataset.range(1, 5, -2)) == []
    assert values(Dataset.range(5, 1)) == []
    assert values(Dataset.range(2, 5, output_type=tf.int32)) == [2, 3, 4]
    assert values(Dataset.range(1, 5, 2, output_type=tf.float32)) == [1.0, 3.0]


def test_from_tensors_and_from_tensor_slices_examples():
    assert values(Dataset.from_tensors(([1, 2, 3], "A"))) == [([1, 2, 3], b"A")]
    assert values(Dataset.from_tensors(tf.constant([1, 2, 3])).repeat(2)) == [[1, 2, 3]] * 2
    assert values(Dataset.from_tensor_slices([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]
    assert values(Dataset.from_tensor_slices(([1, 2], [3, 4], [5, 6]))) == [(1, 3, 5),
                                                                          (2, 4, 6)]
    records = Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    assert values(records) == [{"a": 1, "b": 3}, {"a": 2, "b": 4}]


def test_from_tensor_slices_features_and_labels_examples():
    features = tf.constant([[1, 3], [2, 1], [3, 3]])
    labels = tf.constant(["A", "B", "A"])
    pairs = [([1, 3], b"A"), ([2, 1], b"B"), ([3, 3], b"A")]
    assert values(Dataset.from_tensor_slices((features, labels))) == pairs
    zipped = Dataset.zip((Dataset.from_tensor_slices(features),
                          Dataset.from_tensor_slices(labels)))
    assert values(zipped) == pairs
    batched_features = tf.constant([[[1, 3], [2, 3]], [[2, 1], [1, 2]], [[3, 3], [3, 2]]],
                                   shape=(3, 2, 2))
    batched_labels = tf.constant([["A", "A"], ["B", "B"], ["A", "B"]], shape=(3, 2, 1))
    batched = Dataset.from_tensor_slices((batched_features, batched_labels))
    assert values(batched) == [([[1, 3], [2, 3]], [[b"A"], [b"A"]]),
                               ([[2, 1], [1, 2]], [[b"B"], [b"B"]]),
                               ([[3, 3], [3, 2]], [[b"A"], [b"B"]])]


def test_batch_and_unbatch_examples():
    assert values(Dataset.range(8).batch(3)) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert values(Dataset.range(8).batch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]
    ragged = Dataset.from_generator(lambda: [[1, 2, 3], [1, 2], [1, 2, 3, 4]], tf.int64)
    assert values(ragged.unbatch()) == [1, 2, 3, 1, 2, 1, 2, 3, 4]


def test_repeat_take_skip_examples():
    assert values(Dataset.from_tensor_slices([1, 2, 3]).repeat(3)) == [1, 2, 3] * 3
    assert values(Dataset.range(10).take(3)) == [0, 1, 2]
    assert values(Dataset.range(10).skip(7)) == [7, 8, 9]


def test_enumerate_examples():
    assert values(Dataset.from_tensor_slices([1, 2, 3]).enumerate(start=5)) == [
        (5, 1), (6, 2), (7, 3)]
    assert values(Dataset.from_tensor_slices([(7, 8), (9, 10)]).enumerate()) == [
        (0, [7, 8]), (1, [9, 10])]


def test_zip_examples():
    a, b = Dataset.range(1, 4), Dataset.range(4, 7)
    assert values(Dataset.zip((b, a))) == [(4, 1), (5, 2), (6, 3)]
    c = Dataset.range(7, 13).batch(2)
    assert values(Dataset.zip((a, b, c))) == [(1, 4, [7, 8]), (2, 5, [9, 10]), (3, 6, [11, 12])]
    assert values(Dataset.zip((a, Dataset.range(13, 15)))) == [(1, 13), (2, 14)]


def test_map_examples():
    assert values(Dataset.range(1, 6).map(lambda x: x + 1)) == [2, 3, 4, 5, 6]
    pairs = Dataset.from_generator(lambda: [(1, "foo"), (2, "bar"), (3, "baz")],
                                   output_signature=(tf.TensorSpec([], tf.int32),
                                                     tf.TensorSpec([], tf.string)))
    assert values(pairs.map(lambda x_int, y_str: x_int)) == [1, 2, 3]
    scalar, vector = tf.TensorSpec([], tf.float32), tf.TensorSpec([3], tf.string)
    returns_two = Dataset.range(3).map(
        lambda x: (tf.constant(37.0), tf.constant(["Foo", "Bar", "Baz"])))
    assert returns_two.element_spec == (scalar, vector)
    converted = Dataset.range(3).map(
        lambda x: (37.0, ["Foo", "Bar"], np.array([1.0, 2.0], dtype=np.float64)))
    assert converted.element_spec == (scalar, tf.TensorSpec([2], tf.string),
                                      tf.TensorSpec([2], tf.float64))
    nested = Dataset.range(3).map(lambda x: ((37.0, [42, 16]), "foo"))
    assert nested.element_spec == ((scalar, tf.TensorSpec([2], tf.int32)),
                                   tf.TensorSpec([], tf.string))


def test_map_with_py_function_example():
    def upper_case_fn(t):
        return t.numpy().decode("utf-8").upper()

    words = Dataset.from_tensor_slices(["hello", "world"]).map(
        lambda x: tf.py_function(func=upper_case_fn, inp=[x], Tout=tf.string))
    assert values(words) == [b"HELLO", b"WORLD"]


def test_flat_map_example_with_the_source_itself_as_map_func():
    rows = Dataset.from_tensor_slices([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert values(rows.flat_map(Dataset.from_tensor_slices)) == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_rebatch_examples():
    assert values(Dataset.range(6).batch(2).rebatch(3)) == [[0, 1, 2], [3, 4, 5]]
    assert values(Dataset.range(7).batch(4).rebatch(3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert values(Dataset.range(7).batch(2).rebatch(3, drop_remainder=True)) == [
        [0, 1, 2], [3, 4, 5]]
    assert values(Dataset.range(8).batch(4).rebatch([2, 1, 1])) == [
        [0, 1], [2], [3], [4, 5], [6], [7]]


def test_cardinality_examples():
    dataset = Dataset.range(42)
    assert dataset.cardinality().numpy() == 42
    dataset = dataset.repeat()
    assert (dataset.cardinality() == tf.data.INFINITE_CARDINALITY).numpy()
    dataset = dataset.filter(lambda x: True)
    assert (dataset.cardinality() == tf.data.UNKNOWN_CARDINALITY).numpy()


def test_filter_example():
    dataset = Dataset.from_tensor_slices([1, 2, 3]).filter(lambda x: x < 3)
    assert values(dataset) == [1, 2]
    assert values(dataset.filter(lambda x: tf.math.equal(x, 1))) == [1]


def test_reduce_examples():
    assert Dataset.range(5).reduce(np.int64(0), lambda x, _: x + 1).numpy() == 5
    assert Dataset.range(5).reduce(np.int64(0), lambda x, y: x + y).numpy() == 10


def test_cache_and_prefetch_examples():
    cached = Dataset.range(5).map(lambda x: x ** 2).cache()
    assert values(cached) == [0, 1, 4, 9, 16] and values(cached) == [0, 1, 4, 9, 16]
    assert values(Dataset.range(3).prefetch(2)) == [0, 1, 2]


def test_shuffle_epoch_examples():
    # TF documents these orders as examples of one run; what they show is the structure:
    # each epoch a permutation, the same one every epoch without reshuffling.
    reshuffled = values(Dataset.range(3).shuffle(3, seed=1).repeat(2))
    assert sorted(reshuffled[:3]) == sorted(reshuffled[3:]) == [0, 1, 2]
    fixed = values(Dataset.range(3).shuffle(3, seed=1, reshuffle_each_iteration=False)
                   .repeat(2))
    assert fixed[:3] == fixed[3:] and sorted(fixed[:3]) == [0, 1, 2]


def epochs(dataset, count):
    return [values(dataset) for _ in range(count)]


def test_seeded_reshuffling_gives_new_orders_but_the_same_sequence_every_run():
    first_run = epochs(Dataset.range(10).shuffle(10, seed=3), 3)
    second_run = epochs(Dataset.range(10).shuffle(10, seed=3), 3)
    assert first_run == second_run
    assert all(sorted(epoch) == list(range(10)) for epoch in first_run)
    assert len({tuple(epoch) for epoch in first_run}) == 3
    repeated = values(Dataset.range(10).shuffle(10, seed=3).repeat(3))
    assert repeated == sum(first_run, [])  # repeat's epochs are Python iteration's


def test_a_global_seed_alone_makes_the_orders_reproducible():
    try:
        tf.random.set_seed(5)
        first_run = epochs(Dataset.range(10).shuffle(10), 2)
        tf.random.set_seed(5)
        assert epochs(Dataset.range(10).shuffle(10), 2) == first_run
        assert first_run[0] != first_run[1]
    finally:
        tf.random.set_seed(None)


def test_without_reshuffling_every_epoch_has_the_same_order():
    dataset = Dataset.range(10).shuffle(10, seed=3, reshuffle_each_iteration=False)
    orders = epochs(dataset, 3) + [values(dataset.repeat(2))[10:]]
    assert all(order == orders[0] for order in orders) and orders[0] != list(range(10))
