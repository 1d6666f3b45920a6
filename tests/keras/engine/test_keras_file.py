"""model.save('x.keras') and keras.models.load_model: Keras 3's zip of config, metadata
and weights."""

import json
import os
import zipfile

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras
from eagerflow.keras.saving import keras_file


def data(n=64):
    rng = np.random.default_rng(0)
    return rng.random((n, 8), dtype=np.float32), rng.integers(0, 3, n)


def compiled_mlp():
    model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(8,)),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


class Scaled(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(3)

    def call(self, inputs):
        return self.dense(inputs) * 2.0


def test_sequential_round_trip_keeps_weights_and_compile_settings(tmp_path):
    x, y = data()
    model = compiled_mlp()
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert loaded.compiled and type(loaded.optimizer).__name__ == "Adam"
    history = loaded.fit(x, y, epochs=1, verbose=0)
    assert set(history.history) == {"accuracy", "loss"}


def test_file_holds_keras_3_entries(tmp_path):
    path = tmp_path / "model.keras"
    compiled_mlp().save(path)
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"config.json", "metadata.json", "model.weights.h5"}
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Sequential"
    # Keras 3 turns the first layer's `input_shape=` into an InputLayer of the model.
    assert [layer["class_name"] for layer in config["config"]["layers"]] == \
        ["InputLayer", "Dense", "Dense"]
    assert "batch_input_shape" not in config["config"]["layers"][1]["config"]


def test_functional_model_with_ops_round_trips(tmp_path):
    inputs = keras.Input((8,))
    outputs = keras.layers.Dense(2)(tf.nn.relu(inputs * 2.0 - 0.5))
    model = keras.Model(inputs, outputs)
    path = tmp_path / "functional.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x, _ = data()
    np.testing.assert_array_equal(model(x).numpy(), loaded(x).numpy())


def test_subclassed_model_needs_its_class_and_is_rebuilt(tmp_path):
    x, _ = data()
    model = Scaled()
    model(x)
    path = tmp_path / "sub.keras"
    model.save(path)
    with pytest.raises(ValueError, match="Unknown layer class 'Scaled'"):
        keras.models.load_model(path)
    loaded = keras.models.load_model(path, custom_objects={"Scaled": Scaled})
    np.testing.assert_array_equal(model(x).numpy(), loaded(x).numpy())


def test_wrong_extensions_are_refused(tmp_path):
    with pytest.raises(ValueError, match="`.keras` extension"):
        compiled_mlp().save(tmp_path / "model.h6")
    with pytest.raises(ValueError, match="File format not supported"):
        keras.models.load_model(tmp_path / "model.weights.h5")


def test_failed_save_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(target, values):
        raise OSError("disk full")
    monkeypatch.setattr(keras_file, "write_h5", broken)
    with pytest.raises(OSError, match="disk full"):
        compiled_mlp().save(tmp_path / "model.keras")
    assert os.listdir(tmp_path) == []


def test_model_checkpoint_saves_whole_models(tmp_path):
    x, y = data()
    model = compiled_mlp()
    pattern = str(tmp_path / "epoch{epoch:02d}.keras")
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[keras.callbacks.ModelCheckpoint(pattern, monitor="loss")])
    assert sorted(os.listdir(tmp_path)) == ["epoch01.keras", "epoch02.keras"]
    loaded = keras.models.load_model(tmp_path / "epoch02.keras")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
