"""A small regression model and training step shared by the tf.train tests."""

import numpy as np

import eagerflow as tf

FEATURES = np.random.RandomState(0).randn(32, 3).astype("float32")
TARGETS = (FEATURES @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")


def make_model(built=True):
    """A two-layer Sequential model with fixed initial weights (built unless told not)."""
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(4, activation="tanh", kernel_initializer="glorot_uniform"),
        tf.keras.layers.Dense(1)])
    if built:
        model.build((None, 3))
        for i, weight in enumerate(model.weights):
            weight.assign(np.linspace(-1.0, 1.0, weight.numpy().size).reshape(weight.shape)
                          * (i + 1) / 3)
    return model


def train_step(model, optimizer, batch=slice(None)):
    """One gradient step on the mean squared error; returns the loss as a float."""
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((model(FEATURES[batch]) - TARGETS[batch]) ** 2)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return float(loss.numpy())
