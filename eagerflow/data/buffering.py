"""Transformations that hold elements in a buffer: shuffle, prefetch, cache."""

import queue
import threading

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import random_seed
from .dataset import AUTOTUNE, Dataset

_AUTOTUNE_PREFETCH = 4  # TF tunes the buffer while running; this slice uses a fixed one
_PUT_POLL_SECONDS = 0.05


class ShuffleDataset(Dataset):
    """TF's buffered shuffle: the first `buffer_size` elements fill a buffer; each output
    is drawn uniformly from it and its slot refilled with the next input element."""

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        self._input = input_dataset
        self._buffer_size = int(buffer_size)
        if self._buffer_size <= 0:
            raise InvalidArgumentError(f"Dataset.shuffle: buffer_size must be greater than "
                                       f"zero, got {self._buffer_size}.")
        self._seed = _dataset_seed(seed)
        self._reshuffle = bool(reshuffle_each_iteration)
        self._iterations = 0

    def _iterate(self):
        rng = np.random.default_rng([self._seed, self._iterations if self._reshuffle else 0])
        self._iterations += 1
        elements = self._input._iterate()
        buffer = [element for _, element in zip(range(self._buffer_size), elements)]
        while buffer:
            slot = int(rng.integers(len(buffer)))
            chosen = buffer[slot]
            refill = next(elements, None)
            if refill is None:
                buffer[slot] = buffer[-1]
                buffer.pop()
            else:
                buffer[slot] = refill
            yield chosen

    def _cardinality(self):
        return self._input._cardinality()


def _dataset_seed(seed):
    """A seed fixed for the dataset's life, following TF's (global seed, op seed) rules:
    the same program gives the same orders only when some seed is set."""
    if seed is None:
        return int(random_seed.generator().integers(2 ** 63))
    base = random_seed.get_global_seed()
    return int(np.random.default_rng(
        [random_seed.DEFAULT_GRAPH_SEED if base is None else base, int(seed)]).integers(2 ** 63))


class PrefetchDataset(Dataset):
    """The input produced by a background thread into a queue of `buffer_size` elements
    (AUTOTUNE: a fixed small buffer in this slice; 0: no thread). An error in the input
    is raised where the element it replaced would have been consumed."""

    def __init__(self, input_dataset, buffer_size):
        self._input = input_dataset
        self._buffer_size = int(buffer_size)
        if self._buffer_size < AUTOTUNE:
            raise InvalidArgumentError(f"Dataset.prefetch: buffer_size must be >= 0 or "
                                       f"tf.data.AUTOTUNE (-1), got {self._buffer_size}.")

    def _iterate(self):
        if self._buffer_size == 0:
            yield from self._input._iterate()
            return
        size = _AUTOTUNE_PREFETCH if self._buffer_size == AUTOTUNE else self._buffer_size
        items = queue.Queue(maxsize=size)
        stop = threading.Event()
        producer = threading.Thread(target=_produce, args=(self._input, items, stop),
                                    name="eagerflow-prefetch", daemon=True)
        producer.start()
        try:
            while True:
                kind, payload = items.get()
                if kind == "end":
                    return
                if kind == "error":
                    raise payload
                yield payload
        finally:
            stop.set()  # the consumer is done (or gone): the producer stops at its next put

    def _cardinality(self):
        return self._input._cardinality()


def _produce(dataset, items, stop):
    """Fills `items` with ("element", e) ..., then ("end", None) or ("error", exception)."""
    def put(item):
        while not stop.is_set():
            try:
                items.put(item, timeout=_PUT_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    try:
        for element in dataset._iterate():
            if not put(("element", element)):
                return
        put(("end", None))
    except Exception as error:  # handed to the consumer, which raises it
        put(("error", error))


class CacheDataset(Dataset):
    """The input's elements, kept in memory by the first iteration that reaches the end;
    later iterations read them from there. (Caching to a file is a later slice.)"""

    def __init__(self, input_dataset, filename):
        if filename:
            raise NotImplementedError(f"Dataset.cache({filename!r}): caching to a file is "
                                      f"not supported yet; use cache() to cache in memory.")
        self._input = input_dataset
        self._cached = None

    def _iterate(self):
        if self._cached is not None:
            yield from self._cached
            return
        filling = []
        for element in self._input._iterate():
            filling.append(element)
            yield element
        self._cached = filling

    def _cardinality(self):
        return self._input._cardinality()
