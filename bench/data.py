"""Fashion-MNIST for every framework: eagerflow's loader once, then a shared .npz file.

The driver calls `save` (through eagerflow's `load_data`); each worker calls `load`, which
scales the images to float32 in [0, 1] the same way for every framework.
"""

import numpy as np


def save(path):
    """Writes eagerflow's Fashion-MNIST arrays (uint8) to `path`."""
    import eagerflow as tf
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def load(path):
    """(x_train, y_train), (x_test, y_test): images float32 (n, 28, 28), labels int64."""
    with np.load(path) as arrays:
        return ((_images(arrays["x_train"]), arrays["y_train"].astype(np.int64)),
                (_images(arrays["x_test"]), arrays["y_test"].astype(np.int64)))


def _images(raw):
    return raw.astype(np.float32) / np.float32(255)
