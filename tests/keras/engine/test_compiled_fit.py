"""fit/evaluate/predict run traced steps by default; run_eagerly=True runs them eagerly.
Both give the same numbers, bit for bit."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


def build(optimizer):
    tf.random.set_seed(7)
    model = keras.Sequential([
        keras.Input(shape=(6,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(3, activation="softmax"),
    ])
    return model, optimizer


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_compiled_and_eager_training_are_identical(optimizer):
    rng = np.random.default_rng(0)
    x = rng.random((90, 6))
    y = rng.integers(0, 3, 90)
    results = []
    for run_eagerly in (True, False):
        model, opt = build(optimizer)
        model.compile(optimizer=opt, loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], run_eagerly=run_eagerly)
        tf.random.set_seed(11)
        history = model.fit(x, y, batch_size=16, epochs=3, validation_split=0.2, verbose=0)
        evaluation = model.evaluate(x, y, verbose=0)
        results.append((history.history, evaluation, model.predict(x, verbose=0),
                        model.get_weights()))
    (eager_history, eager_eval, eager_pred, eager_w), (graph_history, graph_eval,
                                                         graph_pred, graph_w) = results
    assert graph_history == eager_history
    assert graph_eval == eager_eval
    np.testing.assert_array_equal(graph_pred, eager_pred)
    for a, b in zip(eager_w, graph_w):
        np.testing.assert_array_equal(a, b)


def test_steps_are_traced_once_per_batch_shape():
    model, _ = build("sgd")
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = np.ones((40, 6)), np.zeros(40)
    model.fit(x, y, batch_size=16, epochs=3, verbose=0)  # batches of 16, 16 and 8
    assert model._step_functions["train"][1].experimental_get_tracing_count() == 2


def test_float32_models_compute_nothing_in_float64():
    layers = keras.layers
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"),
                              layers.MaxPooling2D(), layers.Flatten(),
                              layers.Dense(6, activation="relu"),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((16, 8, 8, 1), dtype=np.float32)
    model.fit(x, rng.integers(0, 3, 16).astype(np.uint8), batch_size=8, verbose=0)
    model.predict(x, verbose=0)
    for kind in ("train", "predict"):
        trace = model._step_function(kind)._traces[0]
        trace._compiled()  # optimizes the graph, as running it does
        wide = {node.type for node in trace._optimized.graph.nodes
                for out in node.outputs if out.dtype == tf.float64}
        assert not wide, f"the {kind} step computes in float64: {sorted(wide)}"
