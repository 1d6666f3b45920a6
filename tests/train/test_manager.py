"""tf.train.CheckpointManager: numbering, max_to_keep, the `checkpoint` state file, and
carrying on in a new manager (or a new program) on the same directory."""

import os
import re

import pytest

import eagerflow as tf


def _files(directory):
    return sorted(os.listdir(directory))


def _manager(directory, **kwargs):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(0.0))
    return checkpoint, tf.train.CheckpointManager(checkpoint, directory, **kwargs)


def test_max_to_keep_deletes_the_oldest_checkpoints(tmp_path):
    checkpoint, manager = _manager(tmp_path, max_to_keep=2)
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    paths = []
    for value in range(4):
        checkpoint.v.assign(float(value))
        paths.append(manager.save())
    assert paths == [str(tmp_path / f"ckpt-{n}") for n in (1, 2, 3, 4)]
    assert manager.checkpoints == paths[2:]
    assert manager.latest_checkpoint == paths[3] == tf.train.latest_checkpoint(tmp_path)
    assert _files(tmp_path) == ["checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
                                "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    assert tf.train.load_variable(manager.latest_checkpoint, "v/.ATTRIBUTES/VARIABLE_VALUE") == 3.0


def test_the_checkpoint_state_file(tmp_path):
    _, manager = _manager(tmp_path, max_to_keep=2, checkpoint_name="model")
    for _ in range(3):
        manager.save()
    lines = (tmp_path / "checkpoint").read_text().splitlines()
    assert lines[:3] == ['model_checkpoint_path: "model-3"',
                         'all_model_checkpoint_paths: "model-2"',
                         'all_model_checkpoint_paths: "model-3"']
    assert [line.split(":")[0] for line in lines[3:]] == [
        "all_model_checkpoint_timestamps", "all_model_checkpoint_timestamps",
        "last_preserved_timestamp"]
    times = [float(line.split(": ")[1]) for line in lines[3:]]
    assert times[2] < times[0] <= times[1]
    state = tf.train.get_checkpoint_state(tmp_path)
    assert state.all_model_checkpoint_paths == manager.checkpoints
    assert state.all_model_checkpoint_timestamps == times[:2]


def test_a_new_manager_carries_on_from_the_state_file(tmp_path):
    checkpoint, manager = _manager(tmp_path, max_to_keep=3)
    for _ in range(2):
        manager.save()
    checkpoint2, manager2 = _manager(tmp_path, max_to_keep=3)
    assert manager2.checkpoints == manager.checkpoints
    assert manager2.restore_or_initialize() == str(tmp_path / "ckpt-2")
    assert int(checkpoint2.save_counter.numpy()) == 2
    manager2.save()
    manager2.save()
    assert manager2.checkpoints == [str(tmp_path / f"ckpt-{n}") for n in (2, 3, 4)]
    assert not os.path.exists(tmp_path / "ckpt-1.index")


def test_restore_or_initialize_without_a_checkpoint_calls_init_fn(tmp_path):
    calls = []
    checkpoint = tf.train.Checkpoint(v=tf.Variable(0.0))
    manager = tf.train.CheckpointManager(checkpoint, tmp_path / "new", max_to_keep=1,
                                         init_fn=lambda: calls.append(1))
    assert manager.restore_or_initialize() is None and calls == [1]


def test_checkpoint_number_and_max_to_keep_none(tmp_path):
    step = tf.Variable(100, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(step=step)
    manager = tf.train.CheckpointManager(checkpoint, tmp_path, max_to_keep=None)
    assert manager.save(checkpoint_number=step) == str(tmp_path / "ckpt-100")
    step.assign(250)
    assert manager.save(checkpoint_number=step) == str(tmp_path / "ckpt-250")
    assert manager.save() == str(tmp_path / "ckpt-3")  # the counter counted every save
    assert len(manager.checkpoints) == 3
    assert len([f for f in _files(tmp_path) if f.endswith(".index")]) == 3


def test_checkpoint_interval_skips_early_saves(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(step=step), tmp_path,
                                         max_to_keep=5, step_counter=step,
                                         checkpoint_interval=10)
    saved = []
    for value in range(0, 35, 5):
        step.assign(value)
        saved.append(manager.save() is not None)
    assert saved == [True, False, True, False, True, False, True]
    assert manager.save() is None  # this step was saved already
    assert manager.save(check_interval=False) is None
    step.assign(31)
    assert manager.save(check_interval=False) is not None


def test_keep_checkpoint_every_n_hours_preserves_spaced_checkpoints(tmp_path, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("eagerflow.train.manager.time.time", lambda: clock[0])
    _, manager = _manager(tmp_path, max_to_keep=1, keep_checkpoint_every_n_hours=1)
    for _ in range(4):
        clock[0] += 1800.0  # half an hour between saves
        manager.save()
    assert manager.checkpoints == [str(tmp_path / "ckpt-4")]
    kept = sorted(int(re.search(r"-(\d+)\.index", f).group(1))
                  for f in _files(tmp_path) if f.endswith(".index"))
    assert kept == [2, 4]  # ckpt-2 is an hour after the start


def test_invalid_arguments(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(0.0))
    with pytest.raises(ValueError, match="max_to_keep"):
        tf.train.CheckpointManager(checkpoint, tmp_path, max_to_keep=0)
    with pytest.raises(ValueError, match="step_counter"):
        tf.train.CheckpointManager(checkpoint, tmp_path, checkpoint_interval=5)


def test_latest_checkpoint_without_state_or_with_missing_files(tmp_path):
    assert tf.train.latest_checkpoint(tmp_path) is None
    assert tf.train.latest_checkpoint(tmp_path / "missing") is None
    checkpoint, manager = _manager(tmp_path, max_to_keep=2)
    path = manager.save()
    os.remove(path + ".index")
    assert tf.train.latest_checkpoint(tmp_path) is None


def test_an_unreadable_state_file_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "checkpoint").write_text("this is not a state file\n")
    with pytest.warns(UserWarning, match="checkpoint state ignored"):
        assert tf.train.latest_checkpoint(tmp_path) is None
