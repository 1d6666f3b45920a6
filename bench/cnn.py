"""The seed CNN Conv32-MaxPool-Conv64-MaxPool-Dense64-Dense10: fit with Adam, predict."""

import numpy as np

from .training import ModelSpec, fit_seconds, predict_seconds, subset

ROWS = [("cnn_32", "CNN fit, Adam, batch 32", "s/epoch"),
        ("cnn_128", "CNN fit, Adam, batch 128", "s/epoch"),
        ("cnn_predict", "CNN predict 10k, batch 1000", "s")]


def keras_model(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([tf.keras.Input((28, 28, 1)),
                                layers.Conv2D(32, (3, 3), activation="relu"),
                                layers.MaxPooling2D((2, 2)),
                                layers.Conv2D(64, (3, 3), activation="relu"),
                                layers.MaxPooling2D((2, 2)),
                                layers.Flatten(),
                                layers.Dense(64, activation="relu"),
                                layers.Dense(10, activation="softmax")])


def torch_model(torch):
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(1600, 64), nn.ReLU(), nn.Linear(64, 10))


SPEC = ModelSpec("cnn", keras_model, torch_model,
                 keras_input=lambda x: x[..., None],  # NHWC
                 torch_input=lambda x: np.ascontiguousarray(x[:, None]))  # NCHW


def measure(framework, module, ctx):
    x, y, scale = subset(*ctx.train, ctx.fractions["cnn"])
    note = ctx.extrapolation(len(x))
    results = {f"cnn_{batch}": (scale * fit_seconds(framework, module, SPEC, "adam", x, y,
                                                    batch), note)
               for batch in (32, 128)}
    results["cnn_predict"] = predict_seconds(framework, module, SPEC, ctx.test[0], 1000)
    return results
