"""tf.summary.experimental: the default step of summary ops."""

from .writer import get_step, set_step  # noqa: F401
