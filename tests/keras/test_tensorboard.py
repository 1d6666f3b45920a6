"""keras.callbacks.TensorBoard during a real fit, its event files read with tensorboard."""

import json

import numpy as np
import pytest
from tensorboard.plugins.graph import keras_util

import eagerflow as tf
from eagerflow import keras
from eagerflow.summary.writer import state
from tests.summary.reading import accumulator, plugin_of, scalars, tensors

RNG = np.random.default_rng(3)
X = RNG.normal(size=(48, 3)).astype("float32")
Y = (X.sum(axis=1) > 0).astype("int32")


@pytest.fixture(autouse=True)
def fresh_state():
    keras.backend.clear_session()
    tf.random.set_seed(5)
    yield
    state.writer = state.step = None


def split(series):
    """[(step, value)] as ([steps], [values])."""
    return [s for s, _ in series], [v for _, v in series]


def classifier(run_eagerly=False, extra_layers=()):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, activation="relu"),
                              *extra_layers, keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], run_eagerly=run_eagerly)
    return model


def test_epoch_scalars_match_the_history(tmp_path):
    model = classifier()
    history = model.fit(X[:32], Y[:32], batch_size=8, epochs=3, verbose=0,
                        validation_data=(X[32:], Y[32:]),
                        callbacks=[keras.callbacks.TensorBoard(tmp_path)]).history
    found = scalars(tmp_path)
    assert sorted(found) == ["train", "validation"]
    train, validation = found["train"], found["validation"]
    assert sorted(train) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    epochs = [0, 1, 2]
    for name in ("loss", "accuracy"):
        assert split(train[f"epoch_{name}"]) == (epochs, pytest.approx(history[name]))
        assert split(validation[f"epoch_{name}"]) == (epochs,
                                                       pytest.approx(history[f"val_{name}"]))
        # After each validation: the metrics against the optimizer's iterations (4 a epoch).
        assert split(validation[f"evaluation_{name}_vs_iterations"]) == (
            [4, 8, 12], pytest.approx(history[f"val_{name}"]))
    assert split(train["epoch_learning_rate"]) == (epochs, pytest.approx([0.1] * 3))
    assert plugin_of(tmp_path / "train", "epoch_loss") == "scalars"


def test_batch_scalars_every_update_freq_batches(tmp_path):
    batch_logs = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch_logs.append(dict(logs)))
    model = classifier()
    model.fit(X, Y, batch_size=8, epochs=2, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path, update_freq=4), record])
    train = scalars(tmp_path)["train"]
    steps = [4, 8, 12]  # 6 batches an epoch; the global batch count goes on across epochs
    assert split(train["batch_loss"]) == (
        steps, pytest.approx([batch_logs[s - 1]["loss"] for s in steps]))
    assert split(train["batch_accuracy"]) == (
        steps, pytest.approx([batch_logs[s - 1]["accuracy"] for s in steps]))
    # A second fit continues the count from the optimizer's iterations.
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path / "again", update_freq="batch")])
    assert [s for s, _ in scalars(tmp_path / "again")["train"]["batch_loss"]] == list(
        range(13, 19))


def test_the_compiled_train_graph_and_the_model_config_are_written(tmp_path):
    model = classifier()
    model.fit(X, Y, batch_size=16, epochs=1, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    events = accumulator(tmp_path / "train")
    graph = events.Graph()  # a tensorboard GraphDef, parsed from the event file
    ops = {n.op for n in graph.node}
    assert {"Placeholder", "ReadVariableOp", "MatMul", "BiasAdd", "Relu", "Softmax",
            "AssignSubVariableOp"} <= ops
    reads = {n.attr["variable"].s for n in graph.node if n.op == "ReadVariableOp"}
    assert {b"dense/kernel", b"dense/bias", b"dense_1/kernel"} <= reads
    [(step, config)] = tensors(tmp_path / "train", "keras")
    assert step == 0 and plugin_of(tmp_path / "train", "keras") == "graph_keras_model"
    conceptual = keras_util.keras_model_to_graph_def(json.loads(config.item()))
    assert {"dense", "dense_1"} <= {n.name.split("/")[-1] for n in conceptual.node}


def test_a_fused_adam_update_names_its_variables_in_the_graph(tmp_path):
    model = classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, Y, batch_size=16, epochs=1, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    updates = [n for n in accumulator(tmp_path / "train").Graph().node
               if n.op == "ResourceApplyAdam"]
    assert len(updates) == 4
    assert [b"dense/kernel", b"adam/dense_kernel_momentum", b"adam/dense_kernel_velocity"] in \
        [list(n.attr["variables"].list.s) for n in updates]


def test_an_eager_model_has_no_graph_to_write(tmp_path):
    classifier(run_eagerly=True).fit(X, Y, batch_size=16, epochs=1, verbose=0,
                                     callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    events = accumulator(tmp_path / "train")
    assert not events.Tags()["graph"]
    assert "epoch_loss" in scalars(tmp_path)["train"]


def test_weight_histograms_and_images_every_histogram_freq_epochs(tmp_path):
    model = classifier()
    model.fit(X, Y, batch_size=16, epochs=3, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path, histogram_freq=2,
                                                     write_images=True)])
    train = tmp_path / "train"
    steps, buckets = split(tensors(train, "dense/kernel/histogram"))
    assert steps == [0, 2] and buckets[-1][:, 2].sum() == 12  # the kernel's 3 x 4 entries
    assert plugin_of(train, "dense_1/bias/histogram") == "histograms"
    image = tensors(train, "dense/kernel/image")[0][1]
    assert image[:2].tolist() == [b"4", b"3"]  # width 4 (the longer side), height 3


class Probe(keras.layers.Layer):
    """Passes its input on, writing its mean as a summary."""

    def call(self, inputs):
        tf.summary.scalar("mean_activation", tf.reduce_mean(inputs))
        return inputs


def test_summaries_the_model_writes_go_to_the_train_run(tmp_path):
    model = classifier(extra_layers=[Probe()])
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path, update_freq=2)])
    # At the optimizer's iterations before each step, every second one.
    assert [s for s, _ in scalars(tmp_path)["train"]["mean_activation"]] == [0, 2, 4]
    keras.backend.clear_session()
    model = classifier(extra_layers=[Probe()])
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(tmp_path / "epochs")])
    assert "mean_activation" not in scalars(tmp_path / "epochs")["train"]


def test_steps_per_second(tmp_path):
    classifier().fit(X, Y, batch_size=16, epochs=2, verbose=0,
                     callbacks=[keras.callbacks.TensorBoard(tmp_path,
                                                            write_steps_per_second=True)])
    train = scalars(tmp_path)["train"]
    assert [s for s, _ in train["batch_steps_per_second"]] == [1, 2, 3, 4, 5, 6]
    assert [s for s, _ in train["epoch_steps_per_second"]] == [0, 1]
    assert all(v > 0 for _, v in train["epoch_steps_per_second"])


def test_evaluate_alone_writes_evaluation_scalars(tmp_path):
    model = classifier()
    model.fit(X, Y, batch_size=16, epochs=1, verbose=0)
    loss, accuracy = model.evaluate(X, Y, verbose=0,
                                    callbacks=[keras.callbacks.TensorBoard(tmp_path)])
    validation = scalars(tmp_path)["validation"]
    assert validation["evaluation_loss_vs_iterations"] == [(3, pytest.approx(loss))]
    assert validation["evaluation_accuracy_vs_iterations"] == [(3, pytest.approx(accuracy))]


def test_arguments():
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq="sometimes")
    with pytest.warns(UserWarning, match="no profiler"):
        keras.callbacks.TensorBoard(profile_batch=2)
    with pytest.warns(UserWarning, match="no embedding projector"):
        keras.callbacks.TensorBoard(embeddings_freq=1)
