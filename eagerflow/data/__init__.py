"""tf.data: input pipelines (`tf.data.Dataset`), iterated eagerly in this slice."""

from . import experimental  # noqa: F401
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset  # noqa: F401
from .structure import DatasetSpec  # noqa: F401
