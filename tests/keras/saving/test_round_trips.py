"""Models saved and loaded again (whole-model files, weights files, JSON, clones) are the
same models: same classes, configs, weights and predictions."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras

X = np.random.default_rng(11).random((6, 4), dtype=np.float32)


def assert_same_predictions(model, loaded, x=X):
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-7)


def assert_same_weights(model, loaded):
    assert len(model.weights) == len(loaded.weights)
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_sequential_round_trip(tmp_path):
    model = keras.Sequential([keras.layers.Dense(8, activation="gelu", input_shape=(4,)),
                              keras.layers.LayerNormalization(),
                              keras.layers.Dropout(0.3),
                              keras.layers.Dense(3, activation="softmax")], name="clf")
    model.save(tmp_path / "s.keras")
    loaded = keras.models.load_model(tmp_path / "s.keras")
    assert type(loaded) is keras.Sequential and loaded.name == "clf"
    assert [type(layer).__name__ for layer in loaded.layers] == \
        ["Dense", "LayerNormalization", "Dropout", "Dense"]
    assert loaded.layers[2].rate == 0.3
    assert_same_weights(model, loaded)
    assert_same_predictions(model, loaded)


def test_functional_round_trip_with_shared_layer_and_two_outputs(tmp_path):
    inputs = keras.Input((4,), name="x")
    shared = keras.layers.Dense(4, activation="tanh", name="shared")
    twice = shared(shared(inputs))
    outputs = {"left": keras.layers.Dense(1, name="left")(twice),
               "right": keras.layers.Dense(2, name="right")(keras.layers.Add()([twice, inputs]))}
    model = keras.Model(inputs, outputs, name="heads")
    model.save(tmp_path / "f.keras")
    loaded = keras.models.load_model(tmp_path / "f.keras")
    assert_same_weights(model, loaded)
    got, want = loaded(X), model(X)
    assert set(got) == {"left", "right"}
    for key in want:
        np.testing.assert_allclose(got[key].numpy(), want[key].numpy(), rtol=1e-6)


class Residual(keras.layers.Layer):
    """A custom layer with get_config and a sublayer."""

    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.scale = units, scale
        self.inner = keras.layers.Dense(units)

    def call(self, x):
        return x + self.scale * self.inner(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


def test_custom_layer_with_get_config_in_a_functional_model(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, Residual(4, scale=0.5)(inputs))
    model.save(tmp_path / "r.keras")
    loaded = keras.models.load_model(tmp_path / "r.keras", custom_objects={"Residual": Residual})
    layer = loaded.layers[1]
    assert isinstance(layer, Residual) and (layer.units, layer.scale) == (4, 0.5)
    assert_same_weights(model, loaded)
    assert_same_predictions(model, loaded)


class Blend(keras.Model):
    """A subclassed model without get_config: its constructor arguments are recorded."""

    def __init__(self, hidden, activation="relu", rates=(0.5, 0.25), **kwargs):
        super().__init__(**kwargs)
        self.rates = rates
        self.body = keras.layers.Dense(hidden, activation=activation)
        self.head = keras.layers.Dense(1)

    def call(self, x):
        return self.head(self.body(x) * self.rates[0])


def test_subclassed_model_without_get_config_records_its_arguments(tmp_path):
    model = Blend(6, activation="tanh", name="blend")
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X[:, :1], epochs=2, verbose=0)
    config = model.get_config()
    assert config == {"name": "blend", "trainable": True, "hidden": 6, "activation": "tanh",
                      "rates": [0.5, 0.25]}
    model.save(tmp_path / "b.keras")
    loaded = keras.models.load_model(tmp_path / "b.keras", custom_objects={"Blend": Blend})
    assert isinstance(loaded, Blend) and loaded.rates == [0.5, 0.25]
    assert_same_weights(model, loaded)
    assert_same_predictions(model, loaded)
    for got, want in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_an_argument_that_is_no_plain_value_needs_get_config():
    class Holder(keras.layers.Layer):
        def __init__(self, table, **kwargs):
            super().__init__(**kwargs)
            self.table = table

    with pytest.raises(NotImplementedError, match="`table`.*Implement `get_config\\(\\)`"):
        Holder(object()).get_config()


def test_registered_subclassed_model_with_get_config(tmp_path):
    @keras.saving.register_keras_serializable(package="Tests")
    class Scaled(keras.Model):
        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x) * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = Scaled(3.0)
    model(X)
    model.save(tmp_path / "s.keras")
    loaded = keras.models.load_model(tmp_path / "s.keras")
    assert isinstance(loaded, Scaled) and loaded.factor == 3.0
    assert_same_predictions(model, loaded)


def test_registered_loss_metric_and_regularizer(tmp_path):
    @keras.saving.register_keras_serializable(package="Tests")
    def half_mse(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred)) / 2.0

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(
        1, kernel_regularizer=keras.regularizers.L2(0.01))])
    model.compile(optimizer="sgd", loss=half_mse, metrics=["mae"])
    model.fit(X, X[:, :1], verbose=0)
    model.save(tmp_path / "l.keras")
    loaded = keras.models.load_model(tmp_path / "l.keras")
    assert loaded.layers[0].kernel_regularizer.l2 == pytest.approx(0.01)
    want = model.evaluate(X, X[:, :1], verbose=0)
    np.testing.assert_allclose(loaded.evaluate(X, X[:, :1], verbose=0), want, rtol=1e-6)


def test_weights_files_round_trip_and_load_from_a_keras_file(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    model.save_weights(tmp_path / "w.weights.h5")
    model.save(tmp_path / "m.keras")
    for source in ("w.weights.h5", "m.keras"):
        keras.backend.clear_session()
        other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                                  keras.layers.Dense(2)])
        other.load_weights(tmp_path / source)
        assert_same_weights(model, other)


def test_to_json_and_model_from_json():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="selu")])
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Sequential" and "build_config" in config
    rebuilt = keras.models.model_from_json(text)
    assert rebuilt.layers[0].activation is keras.activations.selu
    assert [w.shape for w in rebuilt.get_weights()] == [(4, 3), (3,)]
    assert json.loads(rebuilt.to_json())["config"]["layers"][1]["config"]["units"] == 3


def test_clone_model_copies_the_architecture_with_fresh_weights():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(2, name="out")(
        keras.layers.Dense(5, activation="relu")(inputs)))
    clone = keras.models.clone_model(model)
    assert clone is not model and [type(a) for a in clone.layers] == \
        [type(b) for b in model.layers]
    assert clone.get_layer("out") is not model.get_layer("out")
    assert not np.array_equal(clone.get_weights()[0], model.get_weights()[0])
    clone.set_weights(model.get_weights())
    assert_same_predictions(model, clone)

    renamed = keras.models.clone_model(
        model, clone_function=lambda layer: layer.__class__.from_config(
            {**layer.get_config(), "name": "copy_" + layer.name}))
    assert {layer.name for layer in renamed.layers[1:]} == {"copy_out", "copy_" +
                                                           model.layers[1].name}


def test_clone_of_a_sequential_model_keeps_its_input():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    clone = keras.models.clone_model(model)
    assert clone.built and clone.compiled
    assert clone.optimizer is not model.optimizer
    assert clone(X).shape == (6, 2)
