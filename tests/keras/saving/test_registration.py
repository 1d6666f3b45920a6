"""register_keras_serializable, custom_object_scope and the registry lookups."""

import json

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


def scale_layer_class():
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

        def compute_output_shape(self, input_shape):
            return input_shape

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}
    return Scale


def test_register_names_the_class_package_and_name():
    Scale = keras.saving.register_keras_serializable(package="Mine")(scale_layer_class())
    assert keras.saving.get_registered_name(Scale) == "Mine>Scale"
    assert keras.saving.get_registered_object("Mine>Scale") is Scale
    assert keras.saving.get_custom_objects()["Mine>Scale"] is Scale
    Other = keras.utils.register_keras_serializable("Mine", name="Twice")(scale_layer_class())
    assert keras.utils.get_registered_name(Other) == "Mine>Twice"
    assert keras.saving.get_registered_name(scale_layer_class()) == "Scale"
    assert keras.saving.get_registered_object("Mine>Absent") is None


def test_registered_layer_is_written_with_its_name_and_loads_without_custom_objects(tmp_path):
    Scale = keras.saving.register_keras_serializable()(scale_layer_class())
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Scale(3.0)])
    path = tmp_path / "m.keras"
    model.save(path)
    text = model.to_json()
    entry = json.loads(text)["config"]["layers"][2]
    assert entry["registered_name"] == "Custom>Scale"
    assert entry["module"] == Scale.__module__
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.layers[1], Scale) and loaded.layers[1].factor == 3.0
    x = np.ones((1, 2), "float32")
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
    assert isinstance(keras.models.model_from_json(text).layers[1], Scale)


def test_registered_functions_and_initializers_inside_layers_load(tmp_path):
    @keras.saving.register_keras_serializable(package="Mine")
    def shifted_relu(x):
        return tf.nn.relu(x - 0.5)

    @keras.saving.register_keras_serializable(package="Mine")
    class HalfInit(keras.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return tf.fill(shape, 0.5)

    model = keras.Sequential([keras.Input((3,)),
                              keras.layers.Dense(2, activation=shifted_relu,
                                                 kernel_initializer=HalfInit())])
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    dense = loaded.layers[0]
    assert dense.activation is shifted_relu and isinstance(dense.kernel_initializer, HalfInit)
    x = np.full((1, 3), 1.0, "float32")
    np.testing.assert_allclose(loaded(x).numpy(), [[1.0, 1.0]])


def test_custom_object_scope_stands_in_for_custom_objects(tmp_path):
    Scale = scale_layer_class()
    model = keras.Sequential([keras.Input((2,)), Scale(4.0)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="Unknown layer class 'Scale'.*register_keras_serial"):
        keras.models.load_model(tmp_path / "m.keras")
    with keras.saving.custom_object_scope({"Scale": Scale}):
        assert keras.saving.get_registered_object("Scale") is Scale
        assert keras.models.load_model(tmp_path / "m.keras").layers[0].factor == 4.0
        with keras.utils.custom_object_scope({"Other": int}):  # nested scopes add up
            assert keras.saving.get_registered_object("Scale") is Scale
    assert keras.saving.get_registered_object("Scale") is None
    assert "Scale" not in keras.saving.get_custom_objects()
    loaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale})
    assert loaded.layers[0].factor == 4.0


def test_a_class_without_get_config_cannot_be_registered():
    with pytest.raises(ValueError, match="does not have a get_config"):
        keras.saving.register_keras_serializable()(type("Plain", (), {}))


def test_serialize_and_deserialize_keras_object():
    Scale = keras.saving.register_keras_serializable()(scale_layer_class())
    layer = Scale(5.0, name="scale")
    config = keras.saving.serialize_keras_object(layer)
    assert {k: config[k] for k in ("class_name", "registered_name")} == \
        {"class_name": "Scale", "registered_name": "Custom>Scale"}
    rebuilt = keras.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert isinstance(rebuilt, Scale) and rebuilt.factor == 5.0 and rebuilt.name == "scale"
    dense = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(keras.layers.Dense(3)))
    assert isinstance(dense, keras.layers.Dense) and dense.units == 3
    init = keras.utils.serialize_keras_object(keras.initializers.HeNormal(seed=3))
    assert init == {"module": "keras.initializers", "class_name": "HeNormal",
                    "config": {"seed": 3}, "registered_name": None}
    assert keras.utils.deserialize_keras_object(init).seed == 3
    array = keras.saving.serialize_keras_object(np.arange(3, dtype="int64"))
    np.testing.assert_array_equal(keras.saving.deserialize_keras_object(array), [0, 1, 2])
    relu = keras.saving.serialize_keras_object(keras.activations.relu)
    assert relu == {"module": "keras.activations", "class_name": "function", "config": "relu",
                    "registered_name": None}
    assert keras.saving.deserialize_keras_object(relu) is keras.activations.relu
