"""tf.data.Dataset: the public methods. Each transformation returns a new Dataset
(defined in sources.py, generator.py, transforms.py, mapping.py, batching.py, padding.py,
windowing.py, nesting.py, buffering.py) that holds its input; iterating one runs lazy
Python generators down the chain, so a pipeline keeps only its buffers (shuffle,
prefetch, cache, a window) in memory.

A subclass implements `_iterate()` (a generator of elements, each a structure of eager
tensors), `_cardinality()` (a Python int) and, unless its elements are its input's
(`self._input`) unchanged in type, `_spec()` (the element_spec) or, where building it
must already check the input, sets `self._element_spec` in its constructor.
"""

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.tensor import wrap
from ..util import nest
from . import structure

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
_MISSING = object()


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
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """The values `generator(*args)` yields, called anew for every iteration; each must
        match `output_signature` (a structure of tf.TensorSpec), or the older
        `output_types` (with optional `output_shapes`). `args` reach the generator as NumPy
        values."""
        signature, legacy = generator_module.signature_of(
            output_types, output_shapes, output_signature)
        return generator_module.GeneratorDataset(generator, signature, legacy, args)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements of several datasets side by side, in the structure they are given in
        (`zip(a, b)`, `zip((a, (b, c)))`, `zip({"x": a})`); ends with the shortest."""
        if args and datasets is not None:
            raise TypeError("Dataset.zip takes either positional datasets or `datasets`, "
                            "not both.")
        if datasets is None:
            if not args:
                raise TypeError("Dataset.zip: must pass at least one dataset.")
            datasets = args[0] if len(args) == 1 else args
        return transforms.ZipDataset(datasets)

    # --- transformations -------------------------------------------------------------

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """map_func on every element (a tuple element is unpacked into arguments), traced
        once as a graph; `num_parallel_calls` worker threads, results in input order."""
        return mapping.MapDataset(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """The elements for which `predicate` returns a scalar True."""
        return mapping.FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked in groups of `batch_size` (the last group may be
        smaller unless `drop_remainder`)."""
        return batching.BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Like batch, for elements whose shapes differ: each component padded (with 0, b''
        or its `padding_values`) to `padded_shapes`, whose None dimensions (all of them by
        default) take the longest in the batch."""
        return padding.PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                          drop_remainder)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """The rows of the input's batches regrouped into batches of `batch_size` (a list of
        sizes is cycled through): unbatch().batch(N) in one step."""
        return batching.RebatchDataset(self, batch_size, drop_remainder)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """A dataset of windows: window k holds input elements k*shift + i*stride (i < size;
        shift defaults to size), as a structure of finite datasets like the input's elements.
        A window may be shorter at the end unless `drop_remainder`."""
        return windowing.WindowDataset(self, size, shift, stride, drop_remainder)

    def flat_map(self, map_func, name=None):
        """The elements of the dataset map_func returns for each element, one after another."""
        return nesting.FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """map_func's datasets for `cycle_length` input elements at a time (AUTOTUNE or None:
        the CPU cores available), `block_length` elements (default 1) from each in turn. With
        `num_parallel_calls`, background threads fetch from the open datasets; the order is
        the same either way."""
        return nesting.InterleaveDataset(self, map_func, cycle_length, block_length,
                                         num_parallel_calls, deterministic)

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by `dataset`'s (same structure and dtypes)."""
        return transforms.ConcatenateDataset(self, dataset)

    def apply(self, transformation_func):
        """transformation_func(self), which must return a Dataset (custom transformations,
        `tf.data.experimental.assert_cardinality(n)`)."""
        dataset = transformation_func(self)
        if not isinstance(dataset, Dataset):
            raise TypeError(f"Dataset.apply: `transformation_func` must return a "
                            f"tf.data.Dataset, but it returned {type(dataset)}: {dataset!r}.")
        return dataset

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
                               "eager mode; inside a tf.function, loop over it with a "
                               "`for` statement AutoGraph converts (not a comprehension, "
                               "iter()/next(), or a loop holding a `return`).")
        return iter(self._iterate())

    def as_numpy_iterator(self):
        """The elements with every tensor as a NumPy value."""
        for element in self:
            yield nest.map_structure(_as_numpy, element)

    def get_single_element(self, name=None):
        """The only element of a dataset that has exactly one (InvalidArgumentError
        otherwise)."""
        elements = iter(self)
        element = next(elements, _MISSING)
        if element is _MISSING:
            raise InvalidArgumentError("Dataset.get_single_element: Dataset was empty.")
        if next(elements, _MISSING) is not _MISSING:
            raise InvalidArgumentError(
                "Dataset.get_single_element: Dataset had more than one element.")
        return element

    def reduce(self, initial_state, reduce_func, name=None):
        """reduce_func(state, element) folded over the elements, from `initial_state`; each
        new state must keep the initial state's structure and dtypes (shapes may change)."""
        state = structure.normalize(initial_state)
        expected = structure.spec_of(state)
        for element in self:
            state = _checked_state(expected, reduce_func(state, element))
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


def _as_numpy(component):
    if isinstance(component, Dataset):
        raise TypeError(f"Dataset.as_numpy_iterator() is not supported for datasets that "
                        f"produce values of type {Dataset} (such as window's elements); "
                        f"iterate the inner datasets instead.")
    return component.numpy()


def _checked_state(expected, new_state):
    """reduce_func's result as a state, TypeError unless it fits the `expected` specs."""
    state = structure.normalize_output(new_state)
    found = structure.spec_of(state)
    try:
        nest.assert_same_structure(expected, found)
    except (TypeError, ValueError):
        raise TypeError(f"Dataset.reduce: the structure of the new state must match the "
                        f"initial state. Expected {expected}; got {found}.") from None
    expected_types = nest.map_structure(lambda spec: spec.dtype, expected)
    found_types = nest.map_structure(lambda spec: spec.dtype, found)
    if expected_types != found_types:
        raise TypeError(f"Dataset.reduce: the element types for the new state must match the "
                        f"initial state. Expected {expected_types}; got {found_types}.")
    return state


# The transformations subclass Dataset, so they load after it.
from . import (batching, buffering, generator as generator_module, mapping,  # noqa: E402
               nesting, padding, sources, transforms, windowing)
