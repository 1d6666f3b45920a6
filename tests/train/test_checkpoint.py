"""tf.train.Checkpoint: the object graph, save/write/read/restore, load statuses and
deferred restoration into tf.Modules, Keras layers and plain attributes."""

import os

import numpy as np
import pytest

import eagerflow as tf


class Linear(tf.Module):
    """Makes its variables on the first call, as Sonnet-style modules do."""

    def __init__(self, units, name=None):
        super().__init__(name=name)
        self.units = units
        self.w = None

    def __call__(self, x):
        if self.w is None:
            self.w = tf.Variable(tf.ones([x.shape[-1], self.units]), name="w")
            self.b = tf.Variable(tf.zeros([self.units]), name="b")
        return x @ self.w + self.b


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.blocks = [Linear(3), Linear(2)]
        self.scale = {"value": tf.Variable(1.0, name="scale")}

    def __call__(self, x):
        return self.blocks[1](self.blocks[0](x)) * self.scale["value"]


def _built_net(offset):
    net = Net()
    net(tf.ones([1, 4]))
    for i, variable in enumerate(net.variables):
        variable.assign(variable + offset + i)
    return net


def test_keys_follow_the_object_graph(tmp_path):
    net = _built_net(1.0)
    path = tf.train.Checkpoint(net=net, step=tf.Variable(7)).write(tmp_path / "w")
    assert path == str(tmp_path / "w")
    assert sorted(os.listdir(tmp_path)) == ["w.data-00000-of-00001", "w.index"]
    assert dict(tf.train.list_variables(path)) == {
        "net/blocks/0/b/.ATTRIBUTES/VARIABLE_VALUE": [3],
        "net/blocks/0/w/.ATTRIBUTES/VARIABLE_VALUE": [4, 3],
        "net/blocks/1/b/.ATTRIBUTES/VARIABLE_VALUE": [2],
        "net/blocks/1/w/.ATTRIBUTES/VARIABLE_VALUE": [3, 2],
        "net/scale/value/.ATTRIBUTES/VARIABLE_VALUE": [],
        "step/.ATTRIBUTES/VARIABLE_VALUE": []}
    assert tf.train.load_variable(path, "step/.ATTRIBUTES/VARIABLE_VALUE") == 7
    reader = tf.train.load_checkpoint(path)
    assert reader.get_variable_to_dtype_map()["step/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int32
    np.testing.assert_array_equal(reader.get_tensor("net/blocks/1/w/.ATTRIBUTES/VARIABLE_VALUE"),
                                  net.blocks[1].w.numpy())
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found"):
        reader.get_tensor("nope")


def test_read_restores_by_path_not_by_name_or_creation_order(tmp_path):
    saved = _built_net(1.0)
    path = tf.train.Checkpoint(net=saved).write(tmp_path / "w")
    restored = Net()
    restored.blocks[1](tf.ones([1, 3]))  # the second block's variables are made first
    restored.blocks[0](tf.ones([1, 4]))
    status = tf.train.Checkpoint(net=restored).read(path)
    status.assert_consumed()
    for a, b in zip(saved.variables, restored.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_deferred_restoration_into_variables_made_later(tmp_path):
    saved = _built_net(2.0)
    path = tf.train.Checkpoint(net=saved).write(tmp_path / "w")
    net = Net()
    status = tf.train.Checkpoint(net=net).read(path)
    status.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match="net/blocks/0/w"):
        status.assert_consumed()
    x = tf.ones([2, 4])
    np.testing.assert_array_equal(net(x).numpy(), saved(x).numpy())  # restored on creation
    status.assert_consumed()


def test_deferred_restoration_of_a_checkpoint_attribute_set_after_restore(tmp_path):
    path = tf.train.Checkpoint(extra={"a": tf.Variable(5.0)}, v=tf.Variable([1, 2])).write(
        tmp_path / "w")
    checkpoint = tf.train.Checkpoint()
    status = checkpoint.read(path)
    later = tf.Variable(0.0)
    checkpoint.extra = {"a": later}
    assert float(later.numpy()) == 5.0
    checkpoint.v = tf.Variable([0, 0])
    assert checkpoint.v.numpy().tolist() == [1, 2]
    status.assert_consumed()


def test_keras_layers_subclassed_models_and_compiled_optimizers(tmp_path):
    class Tower(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.stem = tf.keras.layers.Dense(3)
            self.heads = [tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)]

        def call(self, x):
            return self.heads[1](self.heads[0](self.stem(x)))

    x = tf.ones([2, 4])
    model = Tower()
    model(x)
    for weight in model.weights:
        weight.assign(weight + 0.5)
    path = tf.train.Checkpoint(model=model).write(tmp_path / "w")
    keys = {key for key, _ in tf.train.list_variables(path)}
    assert "model/stem/kernel/.ATTRIBUTES/VARIABLE_VALUE" in keys
    assert "model/heads/1/bias/.ATTRIBUTES/VARIABLE_VALUE" in keys
    fresh = Tower()
    status = tf.train.Checkpoint(model=fresh).read(path)
    np.testing.assert_allclose(fresh(x).numpy(), model(x).numpy())
    status.assert_consumed()


def test_save_numbers_checkpoints_and_writes_the_state_file(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    prefix = tmp_path / "ckpt"
    assert checkpoint.save(prefix) == str(tmp_path / "ckpt-1")
    checkpoint.v.assign(2.0)
    assert checkpoint.save(prefix) == str(tmp_path / "ckpt-2")
    assert int(checkpoint.save_counter.numpy()) == 2
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "ckpt-2"\nall_model_checkpoint_paths: "ckpt-2"\n')
    assert tf.train.latest_checkpoint(tmp_path) == str(tmp_path / "ckpt-2")
    state = tf.train.get_checkpoint_state(tmp_path)
    assert state.model_checkpoint_path == str(tmp_path / "ckpt-2")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "ckpt-2")]

    fresh = tf.train.Checkpoint(v=tf.Variable(0.0))
    fresh.restore(str(tmp_path / "ckpt-1")).assert_consumed()
    assert float(fresh.v.numpy()) == 1.0 and int(fresh.save_counter.numpy()) == 1
    assert fresh.save(prefix) == str(tmp_path / "ckpt-2")


def test_write_does_not_count_and_read_does_not_expect_the_counter(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(3.0))
    checkpoint.write(tmp_path / "plain")
    assert "save_counter" not in str(tf.train.list_variables(tmp_path / "plain"))
    assert not (tmp_path / "checkpoint").exists()
    other = tf.train.Checkpoint(v=tf.Variable(0.0))
    other.save(tmp_path / "numbered")  # makes other.save_counter
    other.read(tmp_path / "plain").assert_consumed()
    assert float(other.v.numpy()) == 3.0
    with pytest.raises(AssertionError, match="save_counter"):
        other.restore(tmp_path / "plain").assert_consumed()


def test_load_status_assertions(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(2.0)).write(tmp_path / "w")

    partial = tf.train.Checkpoint(a=tf.Variable(0.0))
    status = partial.read(path)
    status.assert_existing_objects_matched().assert_nontrivial_match()
    with pytest.raises(AssertionError, match="'b'"):
        status.assert_consumed()
    assert status.expect_partial() is status

    extra = tf.train.Checkpoint(a=tf.Variable(0.0), b=tf.Variable(0.0), c=tf.Variable(9.0))
    with pytest.raises(AssertionError, match="'c'"):
        extra.read(path).assert_existing_objects_matched()
    assert float(extra.c.numpy()) == 9.0

    unrelated = tf.train.Checkpoint(z=tf.Variable(0.0))
    with pytest.raises(AssertionError, match="Nothing except the root"):
        unrelated.read(path).assert_nontrivial_match()

    nothing = tf.train.Checkpoint(a=tf.Variable(4.0)).restore(None)
    with pytest.raises(AssertionError, match="No checkpoint specified"):
        nothing.assert_consumed()
    nothing.expect_partial()


def test_a_variable_shared_by_two_paths_is_saved_once(tmp_path):
    shared = tf.Variable(1.0)
    module = tf.Module()
    module.first, module.second = shared, [shared]
    path = tf.train.Checkpoint(module=module).write(tmp_path / "w")
    assert [key for key, _ in tf.train.list_variables(path)] == [
        "module/first/.ATTRIBUTES/VARIABLE_VALUE"]
    fresh = tf.Module()
    fresh.first = tf.Variable(0.0)
    fresh.second = [fresh.first]
    tf.train.Checkpoint(module=fresh).read(path).assert_consumed()
    assert float(fresh.first.numpy()) == 1.0


def test_root_object_and_keyword_conflicts(tmp_path):
    module = tf.Module()
    module.v = tf.Variable(2.0)
    path = tf.train.Checkpoint(root=module).write(tmp_path / "w")
    assert [key for key, _ in tf.train.list_variables(path)] == ["v/.ATTRIBUTES/VARIABLE_VALUE"]
    with pytest.raises(ValueError, match="root.v already exists"):
        tf.train.Checkpoint(root=module, v=tf.Variable(1.0))
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(number=3)


def test_shape_and_dtype_mismatches_name_the_value_and_both_sides(tmp_path):
    path = tf.train.Checkpoint(w=tf.Variable(tf.ones([2, 3]))).write(tmp_path / "w")
    wrong_shape = tf.Variable(tf.zeros([3, 2]), name="weights")
    with pytest.raises(ValueError) as caught:
        tf.train.Checkpoint(w=wrong_shape).read(path)
    message = str(caught.value)
    assert "'w/.ATTRIBUTES/VARIABLE_VALUE'" in message and "weights" in message
    assert "(2, 3)" in message and "(3, 2)" in message
    assert np.all(wrong_shape.numpy() == 0)
    with pytest.raises(ValueError, match="dtype float32.*dtype int32"):
        tf.train.Checkpoint(w=tf.Variable(tf.zeros([2, 3], tf.int32))).read(path)


def test_nested_checkpoints_and_an_optimizer_alone(tmp_path):
    optimizer = tf.keras.optimizers.SGD(0.25)
    inner = tf.train.Checkpoint(counter=tf.Variable(3))
    path = tf.train.Checkpoint(inner=inner, optimizer=optimizer).write(tmp_path / "w")
    assert sorted(key for key, _ in tf.train.list_variables(path)) == [
        "inner/counter/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/iteration/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/learning_rate/.ATTRIBUTES/VARIABLE_VALUE"]
    fresh_optimizer = tf.keras.optimizers.SGD(1.0)
    fresh = tf.train.Checkpoint(inner=tf.train.Checkpoint(counter=tf.Variable(0)),
                                optimizer=fresh_optimizer)
    fresh.read(path).assert_consumed()
    assert int(fresh.inner.counter.numpy()) == 3
    assert float(fresh_optimizer.learning_rate.numpy()) == 0.25
