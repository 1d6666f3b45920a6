"""The seeds' learning-curve code runs on an eagerflow History:
`pd.DataFrame(history.history).plot()` (pandas and matplotlib are test extras)."""

import matplotlib
import numpy as np
import pandas as pd

import eagerflow as tf
from eagerflow import keras

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def test_the_seed_learning_curves_plot_from_history(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 5)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd",
                  metrics=["accuracy"])
    history = model.fit(x[:40], y[:40], epochs=3, validation_data=(x[40:], y[40:]),
                        verbose=0)

    frame = pd.DataFrame(history.history)
    axes = frame.plot(figsize=(8, 5))
    plt.grid(True)
    plt.gca().set_ylim(0, 1)
    plt.savefig(tmp_path / "curves.png")
    plt.close("all")

    assert list(frame.columns) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert frame.shape == (3, 4) and frame.dtypes.map(lambda d: d.kind == "f").all()
    assert [line.get_label() for line in axes.get_lines()] == list(frame.columns)
    np.testing.assert_allclose(axes.get_lines()[1].get_ydata(), history.history["loss"])
    assert (tmp_path / "curves.png").stat().st_size > 0
    assert tf.keras.callbacks.History is type(history)
