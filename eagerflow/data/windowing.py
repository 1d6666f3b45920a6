"""window: a dataset of windows, each element a structure of finite datasets."""

import collections
import itertools

from ..errors import InvalidArgumentError
from ..util import nest
from . import structure
from .dataset import Dataset


class WindowDataset(Dataset):
    """Window k holds input elements k*shift + i*stride (i < size), one dataset per
    component, in the input's structure; a shorter last window unless `drop_remainder`.
    Only the span of one window, (size - 1) * stride + 1 elements, is held at a time."""

    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        self._input = input_dataset
        self._size = structure.static_int(size)
        self._shift = self._size if shift is None else structure.static_int(shift)
        self._stride = structure.static_int(stride)
        self._drop_remainder = bool(drop_remainder)
        for name, value in (("size", self._size), ("shift", self._shift),
                            ("stride", self._stride)):
            if value is not None and value <= 0:
                raise InvalidArgumentError(f"Dataset.window: window {name} must be greater "
                                           f"than zero, got {value}.")

    def _iterate(self):
        span = (self._size - 1) * self._stride + 1
        elements = self._input._iterate()
        buffer = collections.deque()
        exhausted = False
        while True:
            if not exhausted:
                buffer.extend(itertools.islice(elements, span - len(buffer)))
                exhausted = len(buffer) < span
            if not buffer or (self._drop_remainder and len(buffer) < span):
                return
            yield self._window([buffer[i] for i in range(0, len(buffer), self._stride)])
            if self._shift >= len(buffer):
                skip = self._shift - len(buffer)
                buffer.clear()
                if not exhausted and skip:
                    exhausted = sum(1 for _ in itertools.islice(elements, skip)) < skip
            else:
                for _ in range(self._shift):
                    buffer.popleft()

    def _window(self, members):
        flats = [nest.flatten(member) for member in members]
        specs = nest.flatten(self._input.element_spec)
        return nest.pack_sequence_as(self._input.element_spec, [
            WindowComponentDataset([flat[index] for flat in flats], spec)
            for index, spec in enumerate(specs)])

    def _spec(self):
        return nest.map_structure(structure.DatasetSpec, self._input.element_spec)

    def _cardinality(self):
        count = self._input._cardinality()
        if count < 0:
            return count
        if self._drop_remainder:
            rest = count - ((self._size - 1) * self._stride + 1)
            return 0 if rest < 0 else rest // self._shift + 1
        return -(-count // self._shift)


class WindowComponentDataset(Dataset):
    """One component of a window: the finite list of tensors it was built from."""

    def __init__(self, tensors, spec):
        self._tensors = tensors
        self._element_spec = spec

    def _iterate(self):
        yield from self._tensors

    def _cardinality(self):
        return len(self._tensors)
