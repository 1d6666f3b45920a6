"""Model.fit/evaluate/predict on tf.data pipelines: the same batches give the same
training as arrays; inputs may be dicts keyed by the model's input names."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras

Dataset = tf.data.Dataset


def data(samples=40):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(samples, 4)).astype(np.float32)
    return x, (x @ np.array([1.0, -2.0, 0.5, 3.0], np.float32) > 0).astype(np.int64)


def classifier():
    tf.random.set_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_on_a_dataset_equals_fit_on_arrays_for_the_same_batches():
    x, y = data()
    on_arrays, on_dataset = classifier(), classifier()
    history_arrays = on_arrays.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0,
                                   validation_data=(x[:16], y[:16]))
    history_dataset = on_dataset.fit(
        Dataset.from_tensor_slices((x, y)).batch(8), epochs=3, verbose=0,
        validation_data=Dataset.from_tensor_slices((x[:16], y[:16])).batch(8))
    assert history_dataset.history == history_arrays.history
    for a, b in zip(on_arrays.get_weights(), on_dataset.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert on_dataset.evaluate(Dataset.from_tensor_slices((x, y)).batch(5), verbose=0) == \
        on_arrays.evaluate(x, y, batch_size=5, verbose=0)
    np.testing.assert_array_equal(
        on_dataset.predict(Dataset.from_tensor_slices(x).batch(7), verbose=0),
        on_arrays.predict(x, batch_size=7, verbose=0))


def test_steps_per_epoch_over_a_repeated_dataset_trains_like_the_same_batches():
    x, y = data(24)
    looped, arrays = classifier(), classifier()
    looped.fit(Dataset.from_tensor_slices((x, y)).batch(8).repeat(), steps_per_epoch=3,
               epochs=2, verbose=0)
    arrays.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(looped.get_weights(), arrays.get_weights()):
        np.testing.assert_array_equal(a, b)


def two_inputs():
    tf.random.set_seed(5)
    image = keras.Input((3,), name="image")
    meta = keras.Input((2,), name="meta")
    joined = keras.layers.Concatenate()([keras.layers.Dense(4)(image), meta])
    model = keras.Model([image, meta], keras.layers.Dense(1)(joined))
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_dict_inputs_are_matched_to_the_inputs_by_name():
    rng = np.random.default_rng(0)
    image = rng.normal(size=(20, 3)).astype(np.float32)
    meta = rng.normal(size=(20, 2)).astype(np.float32)
    target = rng.normal(size=(20, 1)).astype(np.float32)
    by_position, by_name, from_dataset = two_inputs(), two_inputs(), two_inputs()
    expected = by_position.fit([image, meta], target, batch_size=5, epochs=2,
                               shuffle=False, verbose=0).history
    assert by_name.fit({"meta": meta, "image": image}, target, batch_size=5, epochs=2,
                       shuffle=False, verbose=0).history == expected
    pipeline = Dataset.from_tensor_slices(({"meta": meta, "image": image}, target)).batch(5)
    assert from_dataset.fit(pipeline, epochs=2, verbose=0).history == expected
    np.testing.assert_allclose(
        from_dataset.predict(pipeline.map(lambda inputs, _: inputs), verbose=0),
        by_position.predict([image, meta], batch_size=5, verbose=0), rtol=1e-6)


def test_a_dict_missing_an_input_name_is_an_error():
    model = two_inputs()
    with pytest.raises((KeyError, ValueError), match="meta"):
        model.predict({"image": np.zeros((2, 3), np.float32)}, verbose=0)
