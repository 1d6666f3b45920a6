"""Turning fit/evaluate/predict arguments into batches.

In-memory data (NumPy arrays, tensors, and lists/dicts of them) is sliced
into batches, shuffled per epoch from a stream of its own (so shuffling
never shifts the random numbers that initialize weights). A tf.data.Dataset (any
re-iterable) is iterated afresh each epoch; Python generators are consumed as
they are.
"""

import logging
import math

import numpy as np

from ...framework import random_seed
from ...framework.tensor import Tensor
from ...framework.variables import Variable
from ...util import nest

_SHUFFLE_STREAM = "keras.fit.shuffle"
_LOG = logging.getLogger("eagerflow")


def unpack(data):
    """(x, y, sample_weight) from a batch given as x, (x,), (x, y) or (x, y, sw)."""
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
        raise ValueError(f"Data is expected to be in the format `x`, `(x,)`, `(x, y)`, or "
                         f"`(x, y, sample_weight)`, found a tuple of {len(data)} elements.")
    return data, None, None


def _as_array(value):
    if isinstance(value, (Tensor, Variable)):
        return value.numpy()
    if isinstance(value, (list, tuple)) and value and not nest.is_nested(value[0]) and \
            not hasattr(value[0], "shape"):
        return np.asarray(value)
    return value if hasattr(value, "shape") else np.asarray(value)


def _arrays(structure):
    if structure is None or structure.__class__ is np.ndarray:
        return structure
    return nest.map_structure(_as_array, structure)


def _rows(structure, index):
    """The rows `index` of every array in `structure`."""
    if structure.__class__ is np.ndarray:
        return structure[index]
    return nest.map_structure(lambda a: a[index], structure)


def num_samples(x, y=None, sample_weight=None):
    """The common length of every array in x, y and sample_weight, or an error naming them."""
    if y is None and sample_weight is None and x.__class__ is np.ndarray and x.ndim:
        return len(x)
    lengths = {}
    for label, structure in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        if structure is None:
            continue
        for array in nest.flatten(structure):
            lengths.setdefault(label, set()).add(int(np.shape(array)[0]))
    sizes = set().union(*lengths.values()) if lengths else set()
    if len(sizes) > 1:
        described = ", ".join(f"{k} sizes: {sorted(v)}" for k, v in lengths.items())
        raise ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the same "
                         f"number of samples. {described}")
    return sizes.pop() if sizes else 0


class ArrayData:
    """Batches of in-memory arrays."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 steps=None):
        self.x, self.y, self.sample_weight = _arrays(x), _arrays(y), _arrays(sample_weight)
        self.size = num_samples(self.x, self.y, self.sample_weight)
        self.batch_size = batch_size
        self.shuffle = shuffle
        full = math.ceil(self.size / batch_size) if self.size else 0
        self.steps = full if steps is None else min(steps, full)

    def grouped_batches(self, group):
        """(first step, number of steps, data) for runs of `group` consecutive batches."""
        for first in range(0, self.steps, group):
            count = min(group, self.steps - first)
            start = first * self.batch_size
            index = slice(start, min(start + count * self.batch_size, self.size))
            yield first, count, self._take(index)

    def _take(self, index):
        return (_rows(self.x, index), None if self.y is None else _rows(self.y, index),
                None if self.sample_weight is None else self.sample_weight[index])

    def batches(self):
        order = None
        if self.shuffle:
            order = random_seed.named_generator(_SHUFFLE_STREAM).permutation(self.size)
        for step in range(self.steps):
            start = step * self.batch_size
            index = slice(start, start + self.batch_size) if order is None else \
                order[start:start + self.batch_size]
            yield self._take(index)


class GeneratorData:
    """Batches drawn from a Python iterator yielding x, (x, y) or (x, y, sample_weight)."""

    def __init__(self, iterator, steps=None):
        self.iterator = iter(iterator)
        self.steps = steps

    def grouped_batches(self, group):
        for step, batch in enumerate(self.batches()):
            yield step, 1, batch

    def batches(self):
        step = 0
        while self.steps is None or step < self.steps:
            try:
                data = next(self.iterator)
            except StopIteration:
                return
            yield unpack(data)
            step += 1


class IterableData:
    """Batches from a re-iterable source (a tf.data.Dataset): a fresh pass every epoch, or,
    with `steps` per epoch, one pass continued across epochs (Keras's rule)."""

    def __init__(self, iterable, steps=None):
        self.iterable = iterable
        self.steps = steps if steps is not None else _known_length(iterable)
        self._fixed_steps = steps is not None
        self._iterator = None

    def grouped_batches(self, group):
        for step, batch in enumerate(self.batches()):
            yield step, 1, batch

    def batches(self):
        if not self._fixed_steps:
            yield from (unpack(data) for data in self.iterable)
            return
        if self._iterator is None:
            self._iterator = iter(self.iterable)
        for _ in range(self.steps):
            try:
                data = next(self._iterator)
            except StopIteration:
                _LOG.warning("Your input ran out of data; interrupting training. Make sure "
                             "that your dataset can generate at least `steps_per_epoch * "
                             "epochs` batches (you may need `.repeat()`).")
                return
            yield unpack(data)


def _known_length(iterable):
    try:
        return len(iterable)
    except TypeError:  # an infinite or unknown cardinality
        return None


def is_reiterable(x):
    """Whether x is iterated afresh by each `iter(x)` (a Dataset), not an in-memory array."""
    return hasattr(x, "__iter__") and not hasattr(x, "__next__") and not isinstance(
        x, (np.ndarray, list, tuple, dict, Tensor, Variable)) and not hasattr(x, "shape")


def make(x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None):
    """ArrayData, IterableData or GeneratorData for fit/evaluate/predict arguments."""
    if x.__class__ is not np.ndarray and (hasattr(x, "__next__") or is_reiterable(x)):
        if y is not None or sample_weight is not None:
            raise ValueError("`y` and `sample_weight` must not be given when `x` is a "
                             "dataset or generator: it yields them itself.")
        return IterableData(x, steps) if is_reiterable(x) else GeneratorData(x, steps)
    return ArrayData(x, y, sample_weight, batch_size or 32, shuffle, steps)


def split_validation(x, y, sample_weight, validation_split):
    """Keras's validation_split: the last fraction of the (unshuffled) samples."""
    if not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be in (0, 1); received {validation_split}.")
    x, y, sample_weight = _arrays(x), _arrays(y), _arrays(sample_weight)
    size = num_samples(x, y, sample_weight)
    split = int(size * (1 - validation_split))
    head = lambda a: a[:split]  # noqa: E731
    tail = lambda a: a[split:]  # noqa: E731

    def cut(structure, part):
        return None if structure is None else nest.map_structure(part, structure)

    return ((cut(x, head), cut(y, head), cut(sample_weight, head)),
            (cut(x, tail), cut(y, tail), cut(sample_weight, tail)))


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from a {class: weight} dict (integer or one-hot labels)."""
    labels = np.asarray(_as_array(y))
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    labels = labels.reshape(-1).astype(np.int64)
    weights = np.ones(labels.shape, dtype=np.float32)
    for cls, weight in class_weight.items():
        weights[labels == int(cls)] = weight
    return weights
