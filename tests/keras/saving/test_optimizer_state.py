"""The optimizer's state in .keras and weights files: training resumed after a load
continues exactly where it stopped."""

import io
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras

RNG = np.random.default_rng(7)
X = RNG.random((48, 6), dtype=np.float32)
Y = RNG.integers(0, 3, 48)


def compiled(optimizer):
    keras.backend.clear_session()
    tf.random.set_seed(5)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def fit(model, epochs=1):
    model.fit(X, Y, epochs=epochs, batch_size=16, verbose=0)


@pytest.mark.parametrize("optimizer", [
    "adam", lambda: keras.optimizers.SGD(0.05, momentum=0.9), "rmsprop", "adamax"])
def test_resumed_training_matches_uninterrupted_training(tmp_path, optimizer):
    make = optimizer if callable(optimizer) else (lambda: optimizer)
    uninterrupted = compiled(make())
    fit(uninterrupted, epochs=2)

    interrupted = compiled(make())
    fit(interrupted)
    interrupted.save(tmp_path / "m.keras")
    resumed = keras.models.load_model(tmp_path / "m.keras")
    assert int(resumed.optimizer.iterations.numpy()) == 3
    fit(resumed)

    for got, want in zip(resumed.get_weights(), uninterrupted.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    for got, want in zip(resumed.optimizer.variables, uninterrupted.optimizer.variables):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-7)


def test_without_the_state_training_would_differ(tmp_path):
    uninterrupted = compiled("adam")
    fit(uninterrupted, epochs=2)
    interrupted = compiled("adam")
    fit(interrupted)
    interrupted.save(tmp_path / "m.keras")
    fresh_optimizer = keras.models.load_model(tmp_path / "m.keras", compile=False)
    fresh_optimizer.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    fit(fresh_optimizer)
    assert not np.allclose(fresh_optimizer.get_weights()[0], uninterrupted.get_weights()[0])


def test_loaded_optimizer_is_built_with_the_saved_slots(tmp_path):
    model = compiled("adam")
    fit(model)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer.built
    assert [tuple(v.shape) for v in loaded.optimizer.variables] == \
        [tuple(v.shape) for v in model.optimizer.variables]
    for got, want in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_file_layout_of_the_optimizer_state(tmp_path):
    model = compiled(keras.optimizers.Adamax(0.01))
    fit(model)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive, \
            h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:
        group = weights["optimizer/vars"]
        assert group.attrs["name"] == model.optimizer.name
        assert sorted(group, key=int) == [str(i) for i in range(10)]
        assert int(group["0"][()]) == 3  # iterations
        assert np.isclose(group["1"][()], 0.01)  # learning rate
        kernel = model.layers[0].kernel.numpy()
        # Keras 3's order: each model variable's slots together (kernel's m, kernel's u, ...)
        assert [group[str(i)].shape for i in range(2, 6)] == [kernel.shape, kernel.shape,
                                                               (8,), (8,)]
        np.testing.assert_array_equal(group["2"][()], model.optimizer.variables[2].numpy())


def test_compiled_but_untrained_model_loads_without_warning(tmp_path):
    model = compiled("adam")
    model.save(tmp_path / "m.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = keras.models.load_model(tmp_path / "m.keras")
    assert int(loaded.optimizer.iterations.numpy()) == 0
    fit(loaded)


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.npz"])
def test_weights_files_carry_the_optimizer_state(tmp_path, filename):
    model = compiled("adam")
    fit(model)
    model.save_weights(tmp_path / filename)
    other = compiled("adam")
    other.load_weights(tmp_path / filename)
    assert int(other.optimizer.iterations.numpy()) == 3
    for got, want in zip(other.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_state_that_does_not_fit_is_skipped_with_a_warning(tmp_path):
    model = compiled("adam")
    fit(model)
    model.save_weights(tmp_path / "w.weights.h5")
    other = compiled(keras.optimizers.Adam(amsgrad=True))  # one slot more per variable
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'adam'"):
        other.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])
    assert int(other.optimizer.iterations.numpy()) == 0
