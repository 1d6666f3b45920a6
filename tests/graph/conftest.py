"""Fixtures shared by the graph tests."""

import pytest

import eagerflow as tf


@pytest.fixture
def fresh_default_graph():
    """TF1 code builds into the default graph: each test starts and ends with a new one."""
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()
