"""tf.data.Dataset: the public methods. Each transformation returns a new Dataset
(defined in sources.py, transforms.py, mapping.py, batching.py, buffering.py) that holds
its input; iterating one runs lazy Python generators down the chain, so a pipeline keeps
only its buffers (shuffle, prefetch, cache) in memory.

A subclass implements `_iterate()` (a generator of elements, each a structure of eager
tensors), `_cardinality()` (a Python int) and, unless its elements are its input's
(`self._input`) unchanged in type, `_spec()` (the element_spec).
"""

import numpy as np

from ..framework import context
from ..framework.tensor import wrap
from ..util import nest
from . import structure

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class Dataset:
    """A sequence of elements, each a structure (tuples, dicts) of tensors."""

    _element_spec = None

    def _spec(self):
        return self._input.element_spec

    # --- sources ---------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row of `tensors`' components (all share their first dimension)."""
        return sources.TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: `tensors`."""
        return sources.TensorDataset(tensors)

    @staticmethod
    def range(*args, output_type=None, name=None):
        """range(stop), range(start, stop[, step]) as int64 scalars (or `output_type`)."""
        return sources.RangeDataset(args, output_type)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements of several datasets side by side, in the structure they are given in
        (`zip(a, b)`, `zip((a, (b, c)))`, `zip({"x": a})`); ends with the shortest."""
        if datasets is None:
            datasets = args[0] if len(args) == 1 and not isinstance(args[0], Dataset) else args
        elif args:
            raise TypeError("Dataset.zip takes either positional datasets or `datasets`, "
                            "not both.")
        return transforms.ZipDataset(datasets)

    # --- transformations -------------------------------------------------------------

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """map_func on every element (a tuple element is unpacked into arguments)."""
        return mapping.MapDataset(self, map_func)

    def filter(self, predicate, name=None):
        """The elements for which `predicate` returns a scalar True."""
        return mapping.FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked in groups of `batch_size` (the last group may be
        smaller unless `drop_remainder`)."""
        return batching.BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name=None):
        """Each element split along its first dimension: the inverse of batch."""
        return batching.UnbatchDataset(self)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Elements drawn uniformly from a buffer of `buffer_size`, refilled from the input."""
        return buffering.ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """The input `count` times over (forever for None or -1)."""
        return transforms.RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first `count` elements (all of them for -1)."""
        return transforms.TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first `count` elements (none for -1)."""
        return transforms.SkipDataset(self, count)

    def enumerate(self, start=0, name=None):
        """(index, element) pairs, the index an int64 counting from `start`."""
        return transforms.EnumerateDataset(self, start)

    def prefetch(self, buffer_size, name=None):
        """Elements produced ahead by a background thread, up to `buffer_size` of them."""
        return buffering.PrefetchDataset(self, buffer_size)

    def cache(self, filename="", name=None):
        """Elements kept in memory once a first iteration has run through them all."""
        return buffering.CacheDataset(self, filename)

    # --- consuming -------------------------------------------------------------------

    def __iter__(self):
        if not context.executing_eagerly():
            raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in "
                               "eager mode (iterating it inside a tf.function is a later "
                               "slice of eagerflow).")
        return iter(self._iterate())

    def as_numpy_iterator(self):
        """The elements with every tensor as a NumPy value."""
        for element in self:
            yield nest.map_structure(lambda tensor: tensor.numpy(), element)

    def reduce(self, initial_state, reduce_func, name=None):
        """reduce_func(state, element) folded over the elements, from `initial_state`."""
        state = structure.normalize(initial_state)
        for element in self:
            state = structure.normalize_output(reduce_func(state, element))
        return state

    @property
    def element_spec(self):
        """The structure of TensorSpecs every element matches."""
        if self._element_spec is None:
            self._element_spec = self._spec()
        return self._element_spec

    def cardinality(self):
        """The number of elements as an int64 scalar, or INFINITE_CARDINALITY (-1) or
        UNKNOWN_CARDINALITY (-2)."""
        return wrap(np.asarray(self._cardinality(), np.int64))

    def __len__(self):
        count = self._cardinality()
        if count == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if count == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return count

    def __bool__(self):
        return True  # even when empty or infinite, as in TF (never falls back to __len__)

    def __repr__(self):
        return f"<{type(self).__name__} element_spec={self.element_spec}>"


# The transformations subclass Dataset, so they load after it.
from . import batching, buffering, mapping, sources, transforms  # noqa: E402
