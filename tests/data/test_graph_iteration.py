"""`for x in dataset` inside a tf.function: a graph loop that reads the dataset when the
graph runs, as AutoGraph does in TF."""

import numpy as np
import pytest

import eagerflow as tf

Dataset = tf.data.Dataset


def test_a_loop_over_a_dataset_sums_its_elements_at_every_call():
    @tf.function
    def total(dataset):
        s = tf.constant(0, tf.int64)
        for x in dataset:
            s += x
        return s

    dataset = Dataset.range(1, 6)
    assert total(dataset).numpy() == 15
    assert total(dataset).numpy() == 15  # a fresh iterator at each run
    assert total.experimental_get_tracing_count() == 1


def test_a_loop_over_batches_with_a_partial_last_batch_and_break():
    pairs = Dataset.from_tensor_slices(
        (np.arange(10, dtype=np.float32), np.arange(10))).batch(4)

    @tf.function
    def until_over_twenty():
        acc = tf.constant(0.0)
        count = tf.constant(0, tf.int64)
        for features, labels in pairs:
            acc += tf.reduce_sum(features)
            count += tf.size(labels, out_type=tf.int64)
            if acc > 20.0:
                break
        return acc, count

    acc, count = until_over_twenty()
    assert (acc.numpy(), count.numpy()) == (28.0, 8)

    @tf.function
    def all_rows():
        count = tf.constant(0)
        for features, labels in pairs:
            count += tf.shape(features)[0]
        return count

    assert all_rows().numpy() == 10


def test_a_training_loop_over_a_dataset_in_one_graph_matches_eager_steps():
    def shuffled():  # a fresh dataset: a seeded shuffle's order changes at each pass
        return Dataset.from_tensor_slices(
            (np.linspace(-1, 1, 12, dtype=np.float32).reshape(6, 2),
             np.arange(6, dtype=np.float32))).shuffle(6, seed=1).batch(2)

    def train(w, step):
        for x, y in shuffled():
            step(w, x, y)

    def step(w, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((tf.linalg.matvec(x, w) - y) ** 2)
        w.assign_sub(0.1 * tape.gradient(loss, w))

    eager = tf.Variable([0.5, -0.5])
    train(eager, step)
    traced = tf.Variable([0.5, -0.5])

    data = shuffled()

    @tf.function
    def train_in_graph():
        for x, y in data:
            step(traced, x, y)

    train_in_graph()
    np.testing.assert_allclose(traced.numpy(), eager.numpy(), rtol=1e-6)


def test_a_dict_dataset_and_the_loop_state_it_needs():
    dataset = Dataset.from_tensor_slices({"a": [1, 2, 3], "b": [10, 20, 30]})

    @tf.function
    def dot():
        total = 0
        for row in dataset:
            total += row["a"] * row["b"]
        return total

    assert dot().numpy() == 140

    @tf.function
    def undefined_before():
        for row in dataset:
            last = row["a"]
        return last

    with pytest.raises(ValueError, match="'last' is set only inside a `for` over a "
                                         "tf.data.Dataset, so it has no value after it"):
        undefined_before()
