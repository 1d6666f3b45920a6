"""Eager inference calls of graph models run compiled once a signature is hot
(keras/engine/compiled_calls.py): same bits, and eager whenever they must be."""

import numpy as np

import eagerflow as tf
from eagerflow.keras.engine.compiled_calls import COMPILE_AFTER

L = tf.keras.layers


def cnn():
    tf.keras.utils.set_random_seed(7)
    return tf.keras.Sequential([
        L.Input((12, 12, 1)), L.Conv2D(4, 3, activation="relu", padding="same"),
        L.MaxPooling2D(), L.BatchNormalization(), L.Dropout(0.5), L.Flatten(),
        L.Dense(8, activation="relu"), L.Dense(3, activation="softmax")])


def images(n=5, seed=0):
    return tf.constant(np.random.default_rng(seed).random((n, 12, 12, 1), np.float32))


def compiled_signatures(model):
    return len(model._compiled_calls._compiled)


def test_a_hot_signature_compiles_and_gives_the_eager_bits():
    model, x = cnn(), images()
    eager = [model(x).numpy() for _ in range(COMPILE_AFTER)]
    assert compiled_signatures(model) == 0
    compiled = [model(x).numpy() for _ in range(3)]
    assert compiled_signatures(model) == 1
    for result in eager[1:] + compiled:
        np.testing.assert_array_equal(result, eager[0])
    model(images(2))  # another batch size is a new signature, eager at first
    assert compiled_signatures(model) == 1


def test_a_functional_model_with_two_inputs_compiles_only_for_one_tensor():
    a, b = tf.keras.Input((3,)), tf.keras.Input((3,))
    model = tf.keras.Model([a, b], L.Dense(2)(L.Concatenate()([a, b])))
    pair = [tf.ones((2, 3)), tf.zeros((2, 3))]
    for _ in range(COMPILE_AFTER + 2):
        out = model(pair)
    assert compiled_signatures(model) == 0 and out.shape == (2, 2)


def test_weights_set_after_compiling_are_used():
    model, x = cnn(), images()
    for _ in range(COMPILE_AFTER + 1):
        model(x)
    model.set_weights([w * 0 for w in model.get_weights()])
    np.testing.assert_allclose(model(x).numpy(), np.full((5, 3), 1 / 3), rtol=1e-6)


def test_tapes_and_training_calls_run_eagerly():
    model, x = cnn(), images()
    for _ in range(COMPILE_AFTER + 1):
        model(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x) ** 2)
    assert all(g is not None for g in tape.gradient(loss, model.trainable_variables))
    first, second = model(x, training=True).numpy(), model(x, training=True).numpy()
    assert not np.array_equal(first, second)  # dropout draws new masks: eager each time


def test_models_with_user_code_stay_eager():
    calls = []

    class Counting(L.Layer):
        def call(self, inputs):
            calls.append(1)
            return inputs * 2.0

    for layer in (Counting(), L.Lambda(lambda t: (calls.append(1), t * 2.0)[1])):
        model = tf.keras.Sequential([L.Input((3,)), layer])
        calls.clear()
        for _ in range(COMPILE_AFTER + 3):
            model(tf.ones((1, 3)))
        assert len(calls) == COMPILE_AFTER + 3 and compiled_signatures(model) == 0


def test_functions_run_eagerly_turns_it_off():
    model, x = cnn(), images()
    tf.config.run_functions_eagerly(True)
    try:
        for _ in range(COMPILE_AFTER + 2):
            model(x)
    finally:
        tf.config.run_functions_eagerly(False)
    assert compiled_signatures(model) == 0


def test_a_deep_copy_computes_with_its_own_weights():
    import copy
    model, x = cnn(), images()
    for _ in range(COMPILE_AFTER + 1):
        model(x)
    clone = copy.deepcopy(model)
    clone.set_weights([w * 0 for w in clone.get_weights()])
    for _ in range(COMPILE_AFTER + 1):
        np.testing.assert_allclose(clone(x).numpy(), np.full((5, 3), 1 / 3), rtol=1e-6)
    assert not np.allclose(model(x).numpy(), 1 / 3)
