"""tf.data: input pipelines (`tf.data.Dataset`), iterated eagerly in this slice."""

from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset  # noqa: F401
