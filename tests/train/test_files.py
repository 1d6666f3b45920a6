"""The checkpoint files: no pickle, atomic writes under a crash, clear errors for missing,
corrupt and truncated files."""

import json
import os

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.util import atomic_file


def _saved(tmp_path, value=1.0):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(np.full([50], value, "float32")))
    manager = tf.train.CheckpointManager(checkpoint, tmp_path, max_to_keep=2)
    return checkpoint, manager, manager.save()


def _restore_into_fresh(path):
    fresh = tf.train.Checkpoint(v=tf.Variable(np.zeros([50], "float32")))
    fresh.restore(path)
    return fresh.v.numpy()


def test_files_are_json_and_an_npz_without_pickles(tmp_path):
    _, _, path = _saved(tmp_path)
    index = json.loads(open(path + ".index", encoding="utf-8").read())
    assert index["format"] == "eagerflow-checkpoint"
    with np.load(path + ".data-00000-of-00001", allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)


def _crash_during(monkeypatch, failing_suffix):
    """Makes atomic writes to files ending in `failing_suffix` raise once half written."""
    real = atomic_file.atomic_write

    def crashing(filepath, write):
        if not filepath.endswith(failing_suffix):
            return real(filepath, write)

        def half_then_crash(temporary):
            write(temporary)
            with open(temporary, "r+b") as handle:
                handle.truncate(os.path.getsize(temporary) // 2)
            raise OSError("simulated crash")
        return real(filepath, half_then_crash)
    monkeypatch.setattr(atomic_file, "atomic_write", crashing)


@pytest.mark.parametrize("failing_suffix", [".data-00000-of-00001", ".index", "checkpoint"])
def test_a_crash_mid_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch, failing_suffix):
    checkpoint, manager, first = _saved(tmp_path, value=1.0)
    before = sorted(os.listdir(tmp_path))
    state_before = (tmp_path / "checkpoint").read_text()
    checkpoint.v.assign(np.full([50], 2.0, "float32"))
    _crash_during(monkeypatch, failing_suffix)
    with pytest.raises(OSError, match="simulated crash"):
        manager.save()
    monkeypatch.undo()
    leftover = sorted(os.listdir(tmp_path))
    assert not [name for name in leftover if name.endswith(".tmp")]
    if failing_suffix == "checkpoint":  # the new files were complete before the state file
        assert set(leftover) - set(before) == {"ckpt-2.index", "ckpt-2.data-00000-of-00001"}
    else:
        assert leftover == before
    assert (tmp_path / "checkpoint").read_text() == state_before
    assert tf.train.latest_checkpoint(tmp_path) == first
    np.testing.assert_array_equal(_restore_into_fresh(first), np.full([50], 1.0))


def test_a_crash_overwriting_a_prefix_is_detected_not_mixed(tmp_path, monkeypatch):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(np.ones([50], "float32")))
    path = checkpoint.write(tmp_path / "w")
    checkpoint.v.assign(np.full([50], 2.0, "float32"))
    _crash_during(monkeypatch, ".index")
    with pytest.raises(OSError):
        checkpoint.write(path)
    monkeypatch.undo()
    with pytest.raises(tf.errors.DataLossError, match="another save than its index"):
        _restore_into_fresh(path)


def test_a_missing_checkpoint_names_the_path(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match=str(tmp_path / "nowhere")):
        _restore_into_fresh(str(tmp_path / "nowhere"))
    with pytest.raises(tf.errors.NotFoundError, match="is a directory"):
        _restore_into_fresh(str(tmp_path))
    _, _, path = _saved(tmp_path)
    os.remove(path + ".data-00000-of-00001")
    with pytest.raises(tf.errors.NotFoundError, match="data-00000-of-00001 is missing"):
        _restore_into_fresh(path)


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[:-40],
    lambda data: b"",
    lambda data: b"\x93NUMPY garbage that is not a zip archive",
    lambda data: data[:200] + bytes(len(data) - 200)])
def test_a_corrupt_or_truncated_data_file_is_a_data_loss_error(tmp_path, damage):
    _, _, path = _saved(tmp_path)
    data_path = path + ".data-00000-of-00001"
    with open(data_path, "rb") as handle:
        data = handle.read()
    with open(data_path, "wb") as handle:
        handle.write(damage(data))
    with pytest.raises(tf.errors.DataLossError, match=data_path):
        _restore_into_fresh(path)


@pytest.mark.parametrize("text, message", [
    ('{"format": "eagerflow-checkpoint", "nod', "unreadable or corrupt"),
    ("", "unreadable or corrupt"),
    ('{"format": "something else"}', "not an eagerflow checkpoint index"),
    ('{"format": "eagerflow-checkpoint", "version": 99, "nodes": []}', "version 99")])
def test_a_corrupt_index_file_is_a_data_loss_error(tmp_path, text, message):
    _, _, path = _saved(tmp_path)
    with open(path + ".index", "w", encoding="utf-8") as handle:
        handle.write(text)
    with pytest.raises(tf.errors.DataLossError, match=message) as caught:
        _restore_into_fresh(path)
    assert path + ".index" in str(caught.value)


def test_an_index_that_disagrees_with_its_data_is_a_data_loss_error(tmp_path):
    _, _, path = _saved(tmp_path)
    with open(path + ".index", encoding="utf-8") as handle:
        index = json.load(handle)
    for node in index["nodes"]:
        if node.get("path") == "v":
            node["variable"]["shape"] = [51]
    with open(path + ".index", "w", encoding="utf-8") as handle:
        json.dump(index, handle)
    with pytest.raises(tf.errors.DataLossError, match=r"shape \[50\].*index says \[51\]"):
        _restore_into_fresh(path)


def test_string_variables_are_refused(tmp_path):
    checkpoint = tf.train.Checkpoint(s=tf.Variable("text"))
    with pytest.raises(tf.errors.UnimplementedError, match="string variables"):
        checkpoint.write(tmp_path / "w")
    assert os.listdir(tmp_path) == []
