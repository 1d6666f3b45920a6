"""A custom training loop interrupted and resumed from a checkpoint gives exactly the
results of an uninterrupted run: weights, optimizer slots and step counters restored."""

import numpy as np
import pytest

import eagerflow as tf
from tests.train.helpers import make_model, train_step


def _batches(step):
    return slice((step * 8) % 32, (step * 8) % 32 + 8)


def _run(model, optimizer, step, until):
    losses = []
    while int(step.numpy()) < until:
        losses.append(train_step(model, optimizer, _batches(int(step.numpy()))))
        step.assign_add(1)
    return losses


@pytest.mark.parametrize("optimizer_class", [
    lambda: tf.keras.optimizers.Adam(0.05),
    lambda: tf.keras.optimizers.SGD(0.05, momentum=0.9),
    lambda: tf.keras.optimizers.RMSprop(0.01)])
def test_resumed_training_matches_an_uninterrupted_run(tmp_path, optimizer_class):
    model, optimizer = make_model(), optimizer_class()
    step = tf.Variable(0, dtype=tf.int64)
    uninterrupted = _run(model, optimizer, step, 10)

    model, optimizer = make_model(), optimizer_class()
    step = tf.Variable(0, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, step=step)
    manager = tf.train.CheckpointManager(checkpoint, tmp_path, max_to_keep=3)
    first = _run(model, optimizer, step, 6)
    assert manager.save() == str(tmp_path / "ckpt-1")
    del model, optimizer, step, checkpoint, manager

    model, optimizer = make_model(), optimizer_class()
    model.weights[0].assign(np.zeros((3, 4), "float32"))  # overwritten by the restore
    step = tf.Variable(0, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, step=step)
    manager = tf.train.CheckpointManager(checkpoint, tmp_path, max_to_keep=3)
    status = checkpoint.restore(manager.latest_checkpoint)
    status.assert_existing_objects_matched()
    assert int(step.numpy()) == 6 and int(optimizer.iterations.numpy()) == 6
    with pytest.raises(AssertionError, match="OPTIMIZER_SLOT"):
        status.assert_consumed()  # the slots wait for the optimizer to make them
    rest = _run(model, optimizer, step, 10)
    status.assert_consumed()
    np.testing.assert_array_equal(first + rest, uninterrupted)
    assert manager.save() == str(tmp_path / "ckpt-2")  # the save counter was restored


def test_restore_into_an_unbuilt_model_applies_values_when_weights_are_made(tmp_path):
    model, optimizer = make_model(), tf.keras.optimizers.Adam(0.05)
    for _ in range(3):
        train_step(model, optimizer)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).save(tmp_path / "ckpt")
    expected = [train_step(model, optimizer) for _ in range(3)]

    fresh, fresh_optimizer = make_model(built=False), tf.keras.optimizers.Adam(0.05)
    assert fresh.weights == []
    status = tf.train.Checkpoint(model=fresh, optimizer=fresh_optimizer).restore(path)
    status.assert_existing_objects_matched()  # nothing exists yet that could mismatch
    assert [train_step(fresh, fresh_optimizer) for _ in range(3)] == expected
    status.assert_consumed()
