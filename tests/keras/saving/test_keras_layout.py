"""The .keras files eagerflow writes have Keras 3's layout: the zip members, the
config.json and metadata.json keys, and the model.weights.h5 tree."""

import io
import json
import subprocess
import sys
import zipfile

import h5py
import numpy as np

import eagerflow as tf
from eagerflow import keras


def open_file(path):
    """(config, metadata, {h5 path: array or None for a group}) of a .keras file."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
        tree = {}
        with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:
            weights.visititems(lambda name, item: tree.__setitem__(
                name, item[()] if isinstance(item, h5py.Dataset) else None))
    return names, config, metadata, tree


def trained_sequential():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(2)], name="mlp")
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="mse")
    model.fit(np.ones((8, 4), "float32"), np.zeros((8, 2), "float32"), batch_size=4,
              verbose=0)
    return model


def test_zip_members_and_metadata(tmp_path):
    trained_sequential().save(tmp_path / "m.keras")
    names, _, metadata, _ = open_file(tmp_path / "m.keras")
    assert names == ["metadata.json", "config.json", "model.weights.h5"]
    assert metadata["keras_version"].startswith("3.")
    assert len(metadata["date_saved"]) == len("2024-10-03@12:00:00")
    assert metadata["date_saved"][4] == "-" and metadata["date_saved"][10] == "@"


def test_sequential_config_json(tmp_path):
    model = trained_sequential()
    model.save(tmp_path / "m.keras")
    _, config, _, _ = open_file(tmp_path / "m.keras")
    assert {k: config[k] for k in ("module", "class_name", "registered_name")} == \
        {"module": "keras", "class_name": "Sequential", "registered_name": None}
    assert config["build_config"] == {"input_shape": [None, 4]}
    compile_config = config["compile_config"]
    assert compile_config["loss"] == "mse"
    assert compile_config["optimizer"]["module"] == "keras.optimizers"
    assert compile_config["optimizer"]["class_name"] == "SGD"
    assert compile_config["optimizer"]["config"]["momentum"] == 0.9
    layers = config["config"]["layers"]
    assert [entry["class_name"] for entry in layers] == ["InputLayer", "Dense", "Dense"]
    assert layers[0]["config"]["batch_shape"] == [None, 4]
    dense = layers[1]
    assert set(dense) == {"module", "class_name", "config", "registered_name", "build_config"}
    assert dense["module"] == "keras.layers" and dense["registered_name"] is None
    assert dense["build_config"] == {"input_shape": [None, 4]}
    assert dense["config"]["dtype"] == {"module": "keras", "class_name": "DTypePolicy",
                                        "registered_name": None, "config": {"name": "float32"}}
    assert dense["config"]["units"] == 3 and dense["config"]["activation"] == "relu"
    assert dense["config"]["kernel_initializer"] == {
        "module": "keras.initializers", "class_name": "GlorotUniform",
        "config": {"seed": None}, "registered_name": None}


def test_weights_tree_and_optimizer_variables(tmp_path):
    model = trained_sequential()
    model.save(tmp_path / "m.keras")
    _, _, _, tree = open_file(tmp_path / "m.keras")
    datasets = sorted(name for name, value in tree.items() if value is not None)
    assert datasets == ["layers/dense/vars/0", "layers/dense/vars/1",
                        "layers/dense_1/vars/0", "layers/dense_1/vars/1"] + \
        [f"optimizer/vars/{i}" for i in range(6)]
    assert "vars" in tree  # the model's own (empty) group, as Keras writes it
    first, second = model.layers
    np.testing.assert_array_equal(tree["layers/dense/vars/0"], first.kernel.numpy())
    np.testing.assert_array_equal(tree["layers/dense_1/vars/1"], second.bias.numpy())
    assert int(tree["optimizer/vars/0"]) == 2  # iterations
    np.testing.assert_allclose(tree["optimizer/vars/1"], 0.1)  # learning rate
    for index, variable in enumerate(model.optimizer.variables):
        np.testing.assert_array_equal(tree[f"optimizer/vars/{index}"], variable.numpy())


def test_functional_config_json_and_weights(tmp_path):
    inputs = keras.Input((3,), name="features")
    hidden = keras.layers.Dense(4, name="hidden")(inputs)
    outputs = keras.layers.Dense(1, name="score")(keras.layers.Concatenate()([hidden, inputs]))
    model = keras.Model(inputs, outputs, name="scorer")
    model.save(tmp_path / "f.keras")
    _, config, _, tree = open_file(tmp_path / "f.keras")
    assert {k: config[k] for k in ("module", "class_name", "registered_name")} == {
        "module": "keras.src.models.functional", "class_name": "Functional",
        "registered_name": "Functional"}
    assert config["compile_config"] is None
    inner = config["config"]
    assert inner["input_layers"] == [["features", 0, 0]]
    assert inner["output_layers"] == [["score", 0, 0]]
    entries = {entry["name"]: entry for entry in inner["layers"]}
    assert entries["features"]["inbound_nodes"] == []
    concat_args = entries["concatenate"]["inbound_nodes"][0]["args"]
    assert [t["config"]["keras_history"] for t in concat_args[0]] == \
        [["hidden", 0, 0], ["features", 0, 0]]
    assert concat_args[0][0] == {"class_name": "__keras_tensor__", "config": {
        "shape": [None, 4], "dtype": "float32", "keras_history": ["hidden", 0, 0]}}
    datasets = sorted(name for name, value in tree.items() if value is not None)
    assert datasets == ["layers/dense/vars/0", "layers/dense/vars/1",
                        "layers/dense_1/vars/0", "layers/dense_1/vars/1"]
    np.testing.assert_array_equal(tree["layers/dense_1/vars/0"],
                                  model.get_layer("score").kernel.numpy())
    assert "layers/input_layer/vars" in tree and "layers/concatenate/vars" in tree


def test_subclassed_model_weights_follow_its_attributes(tmp_path):
    class Tower(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.encoder = keras.layers.Dense(3)
            self.blocks = [keras.layers.Dense(3), keras.layers.Dense(2)]

        def call(self, x):
            x = self.encoder(x)
            for block in self.blocks:
                x = block(x)
            return x

    model = Tower()
    model(np.ones((1, 5), "float32"))
    model.save(tmp_path / "t.keras")
    _, config, _, tree = open_file(tmp_path / "t.keras")
    assert config["build_config"] == {"input_shape": [None, 5]}
    datasets = sorted(name for name, value in tree.items() if value is not None)
    assert datasets == ["blocks/dense/vars/0", "blocks/dense/vars/1",
                        "blocks/dense_1/vars/0", "blocks/dense_1/vars/1",
                        "encoder/vars/0", "encoder/vars/1"]
    np.testing.assert_array_equal(tree["blocks/dense_1/vars/0"],
                                  model.blocks[1].kernel.numpy())


def test_weights_file_has_the_same_tree(tmp_path):
    model = trained_sequential()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r") as handle:
        assert sorted(handle) == ["layers", "optimizer", "vars"]
        assert sorted(handle["layers"]) == ["dense", "dense_1"]
        assert sorted(handle["optimizer/vars"], key=int) == [str(i) for i in range(6)]
        np.testing.assert_array_equal(handle["layers/dense/vars/1"][()],
                                      model.layers[0].bias.numpy())


def test_importing_eagerflow_does_not_import_h5py():
    code = ("import sys, eagerflow as tf; from eagerflow import keras; "
            "m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]); "
            "m.to_json(); print('h5py' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
    assert tf.__name__ == "eagerflow"
