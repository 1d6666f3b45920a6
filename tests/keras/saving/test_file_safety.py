"""Saving is atomic, loading runs no code from the file, and a damaged file gives an error
that names the file and what is wrong with it."""

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import h5py
import numpy as np
import pytest

from eagerflow import keras
from eagerflow.keras.saving import keras_file
from eagerflow.util import atomic_file

X = np.arange(12, dtype="float32").reshape(4, 3) / 10


def small_model(units=2):
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])


def rewrite_member(path, member, data):
    """The .keras file at `path` with one member's bytes replaced (None: left out)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if data is None:
        del members[member]
    else:
        members[member] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


# --- atomic saves ----------------------------------------------------------------------

def test_a_save_that_fails_while_writing_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    model = small_model()
    model.save(path)
    before = path.read_bytes()
    for weight in model.weights:
        weight.assign(np.ones(weight.shape.as_list(), "float32"))

    def crash(source, target):
        raise OSError("power cut")
    monkeypatch.setattr(atomic_file.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        model.save(path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["m.keras"]
    assert path.read_bytes() == before


def test_a_save_that_fails_while_serializing_touches_nothing(tmp_path, monkeypatch):
    def crash(target, groups):
        raise RuntimeError("serializer crashed")
    monkeypatch.setattr(keras_file, "write_h5", crash)
    with pytest.raises(RuntimeError, match="serializer crashed"):
        small_model().save(tmp_path / "m.keras")
    assert os.listdir(tmp_path) == []


def test_a_process_killed_in_the_middle_of_a_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "m.keras"
    old = small_model()
    old.save(path)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import sys, time
        from eagerflow import keras
        from eagerflow.keras.saving import keras_file
        real = keras_file.write_h5
        def slow(target, groups):
            real(target, groups)
            print("writing", flush=True)
            time.sleep(60)
        keras_file.write_h5 = slow
        keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save({str(path)!r})
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert os.listdir(tmp_path) == ["m.keras"]
    assert path.read_bytes() == before
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.get_weights()[0], old.get_weights()[0])


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    small_model().save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="m.keras"):
        small_model().save(tmp_path / "m.keras", overwrite=False)
    with pytest.raises(ValueError, match="not supported: \\['zipped_up'\\]"):
        small_model().save(tmp_path / "n.keras", zipped_up=True)


# --- h5py is optional ---------------------------------------------------------------------

def test_without_h5py_the_error_names_the_package(tmp_path, monkeypatch):
    model = small_model()
    model.save_weights(tmp_path / "w.weights.h5")
    monkeypatch.setitem(sys.modules, "h5py", None)  # `import h5py` now raises ImportError
    with pytest.raises(ImportError, match="h5py package.*pip install h5py"):
        model.save_weights(tmp_path / "v.weights.h5")
    with pytest.raises(ImportError, match="h5py"):
        model.load_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ImportError, match="h5py"):
        model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "w.npz")  # NumPy's format needs no h5py
    model.load_weights(tmp_path / "w.npz")
    assert sorted(os.listdir(tmp_path)) == ["w.npz", "w.weights.h5"]


# --- no code from the file ---------------------------------------------------------------

def lambda_model():
    offset = 0.5
    return keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2 + offset),
                             keras.layers.Dense(1)])


def test_a_lambda_layer_loads_only_with_safe_mode_off(tmp_path):
    model = lambda_model()
    model.save(tmp_path / "l.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(tmp_path / "l.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.model_from_json(model.to_json())
    loaded = keras.models.load_model(tmp_path / "l.keras", safe_mode=False)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_a_lambda_naming_an_unregistered_module_function_is_refused(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(keras.activations.relu)])
    model.save(tmp_path / "f.keras")
    with zipfile.ZipFile(tmp_path / "f.keras") as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][1]["config"]["function"] = {
        "module": "os", "class_name": "function", "config": "system", "registered_name": None}
    rewrite_member(tmp_path / "f.keras", "config.json", json.dumps(config).encode())
    with pytest.raises(ValueError, match="'system'.*safe_mode"):
        keras.models.load_model(tmp_path / "f.keras")


def test_a_registered_function_in_a_lambda_loads_in_safe_mode(tmp_path):
    @keras.saving.register_keras_serializable(package="Tests")
    def triple(t):
        return t * 3

    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(triple)])
    model.save(tmp_path / "t.keras")
    loaded = keras.models.load_model(tmp_path / "t.keras")
    assert loaded.layers[0].function is triple


def test_weights_files_are_read_without_pickle(tmp_path):
    np.savez(tmp_path / "evil.npz", **{"layers/dense/vars/0": np.array([{"a": 1}], dtype=object)})
    with pytest.raises(ValueError, match="evil.npz.*allow_pickle"):
        small_model().load_weights(tmp_path / "evil.npz")


def test_datasets_stored_in_other_files_are_refused(tmp_path):
    (tmp_path / "secret.bin").write_bytes(np.ones(6, "float32").tobytes())
    path = tmp_path / "w.weights.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("layers/dense/vars/0", shape=(3, 2), dtype="float32",
                              external=[(str(tmp_path / "secret.bin"), 0, 24)])
        handle["layers/dense/vars/1"] = np.zeros(2, "float32")
    with pytest.raises(ValueError, match="w.weights.h5.*'layers/dense/vars/0'.*other files"):
        small_model().load_weights(path)


# --- damaged files -----------------------------------------------------------------------

def test_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "bad.keras"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match="bad.keras is not a valid `.keras` file: it is not "
                                         "a complete zip archive"):
        keras.models.load_model(path)


def test_a_truncated_keras_file(tmp_path):
    path = tmp_path / "cut.keras"
    small_model().save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="cut.keras.*truncated or corrupt"):
        keras.models.load_model(path)


def test_missing_members_and_bad_json(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    rewrite_member(path, "config.json", None)
    with pytest.raises(ValueError, match="m.keras.*holds no config.json"):
        keras.models.load_model(path)
    small_model().save(path)
    rewrite_member(path, "config.json", b'{"module": "keras", "class_name": ')
    with pytest.raises(ValueError, match="m.keras.*config.json is not valid JSON"):
        keras.models.load_model(path)
    rewrite_member(path, "config.json", b"[1, 2]")
    with pytest.raises(ValueError, match="config.json does not describe a model"):
        keras.models.load_model(path)
    small_model().save(path)
    rewrite_member(path, "model.weights.h5", None)
    with pytest.raises(ValueError, match="holds no model.weights.h5"):
        keras.models.load_model(path)


def test_truncated_weights(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    with zipfile.ZipFile(path) as archive:
        weights = archive.read("model.weights.h5")
    rewrite_member(path, "model.weights.h5", weights[:len(weights) // 2])
    with pytest.raises(ValueError, match=r"m.keras \(model.weights.h5\).*not a complete HDF5"):
        keras.models.load_model(path)
    weights_path = tmp_path / "w.weights.h5"
    weights_path.write_bytes(weights[:100])
    with pytest.raises(ValueError, match="w.weights.h5.*truncated or corrupt"):
        small_model().load_weights(weights_path)


def test_weights_of_the_wrong_shape_name_the_layer_and_both_shapes(tmp_path):
    path = tmp_path / "m.keras"
    small_model(units=2).save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][1]["config"]["units"] = 5
    del config["config"]["layers"][1]["build_config"]
    rewrite_member(path, "config.json", json.dumps(config).encode())
    with pytest.raises(ValueError) as error:
        keras.models.load_model(path)
    message = str(error.value)
    assert "Layer 'dense' (Dense)" in message and "m.keras" in message
    assert "(3, 5)" in message and "(3, 2)" in message


def test_a_layer_missing_from_the_weights_is_named(tmp_path):
    path = tmp_path / "w.weights.h5"
    model = small_model()
    model.save_weights(path)
    with h5py.File(path, "a") as handle:
        del handle["layers/dense/vars/1"]
    for weight in model.weights:
        weight.assign(np.ones(weight.shape.as_list(), "float32"))
    before = model.get_weights()
    with pytest.raises(ValueError, match="Layer 'dense' \\(Dense\\) expected 2 variables.*"
                                         "holds 1 under 'layers/dense/vars'"):
        model.load_weights(path)
    for got, want in zip(model.get_weights(), before):  # nothing was half-loaded
        np.testing.assert_array_equal(got, want)


def test_a_group_in_place_of_a_weight_is_not_loaded(tmp_path):
    path = tmp_path / "w.weights.h5"
    small_model().save_weights(path)
    buffer = io.BytesIO(path.read_bytes())
    with h5py.File(buffer, "a") as handle:
        del handle["layers/dense/vars/0"]
        handle["layers/dense/vars"].create_group("0")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="expected 2 variables"):
        small_model().load_weights(path)
