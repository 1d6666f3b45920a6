"""Shared by the tf.data tests: elements as plain Python values."""

import eagerflow as tf


def values(dataset):
    """The elements as Python values (lists for arrays, bytes for strings), tuples and
    dicts kept."""
    return [tf.nest.map_structure(_python, element) for element in dataset.as_numpy_iterator()]


def window_values(dataset):
    """A dataset of windows as Python values: each window's datasets read out as lists."""
    return [tf.nest.map_structure(values, window) for window in dataset]


def _python(value):
    return value.tolist() if hasattr(value, "tolist") else value
