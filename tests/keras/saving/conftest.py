"""Every saving test starts from fresh layer names, a fixed seed and the registry as it
was (classes a test registers are forgotten after it)."""

import pytest

import eagerflow as tf
from eagerflow import keras


@pytest.fixture(autouse=True)
def fresh_keras_state():
    registered = dict(keras.saving.get_custom_objects())
    tf.keras.backend.clear_session()
    tf.random.set_seed(1234)
    yield
    tf.keras.backend.clear_session()
    keras.saving.get_custom_objects().clear()
    keras.saving.get_custom_objects().update(registered)
