"""flat_map and interleave: a function maps each element to a dataset, whose elements
become the output (one dataset after another, or interleaved in blocks)."""

import os
import warnings

from ..errors import InvalidArgumentError
from ..graph.ir import Graph
from . import structure
from .buffering import PrefetchDataset
from .dataset import AUTOTUNE, UNKNOWN_CARDINALITY, Dataset

_END = object()


def default_cycle_length():
    """What AUTOTUNE means for interleave's cycle_length: the CPU cores this process may
    use (TF's port::MaxParallelism)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _dataset_for(func, element, what):
    result = structure.unpacked_call(func, element)
    if not isinstance(result, Dataset):
        raise TypeError(f"{what}: `map_func` must return a `Dataset` object, but it returned "
                        f"{type(result)}: {result!r}.")
    return result


def _traced_element_spec(func, input_spec, what):
    """The element_spec of the dataset func returns, found without data when the
    transformation is made: func runs once on graph placeholders for the input's tensors
    (and, for components that are datasets, stand-ins with their element_spec), as TF
    traces it. Iterating then calls func on each element's eager values."""
    graph = Graph()

    def stand_in(spec):
        if isinstance(spec, structure.DatasetSpec):
            return _SpecOnlyDataset(spec.element_spec)
        return graph.placeholder(spec.dtype, spec.shape)

    arguments = structure.map_components(stand_in, input_spec)
    try:
        with graph.as_default():
            return _dataset_for(func, arguments, what).element_spec
    except Exception as error:
        if hasattr(error, "add_note"):
            error.add_note(f"(while tracing the function given to {what} on elements "
                           f"{input_spec}: it runs on symbolic tensors, which have no values)")
        raise


class _SpecOnlyDataset(Dataset):
    """A dataset argument while a function is traced: its element_spec and nothing more."""

    def __init__(self, element_spec):
        self._element_spec = element_spec

    def _cardinality(self):
        return UNKNOWN_CARDINALITY


class FlatMapDataset(Dataset):
    """The elements of map_func(element) for each input element in turn."""

    def __init__(self, input_dataset, map_func):
        self._input = input_dataset
        self._func = map_func
        self._element_spec = _traced_element_spec(map_func, input_dataset.element_spec,
                                                  "Dataset.flat_map")

    def _iterate(self):
        for element in self._input._iterate():
            yield from _dataset_for(self._func, element, "Dataset.flat_map")._iterate()

    def _cardinality(self):
        return UNKNOWN_CARDINALITY


class InterleaveDataset(Dataset):
    """TF's interleave order: map_func opens a dataset for each of `cycle_length` input
    elements; the cycle takes `block_length` consecutive elements from each open dataset
    in turn, and a dataset that runs out makes room for the next input element.

    With `num_parallel_calls` set, every open dataset of the cycle is produced by its own
    background thread into a buffer of `block_length` elements, so the cycle's inputs are
    fetched concurrently; the output order is the same either way (`deterministic` never
    changes it). map_func itself runs on the consuming thread.
    """

    def __init__(self, input_dataset, map_func, cycle_length, block_length,
                 num_parallel_calls, deterministic):
        self._input = input_dataset
        self._func = map_func
        cycle_length = AUTOTUNE if cycle_length is None else int(cycle_length)
        self._cycle_length = default_cycle_length() if cycle_length == AUTOTUNE else cycle_length
        self._block_length = 1 if block_length is None else int(block_length)
        for name, value in (("cycle_length", self._cycle_length),
                            ("block_length", self._block_length)):
            if value <= 0:
                raise InvalidArgumentError(f"Dataset.interleave: {name} must be greater than "
                                           f"zero, got {value}.")
        self._parallel = num_parallel_calls is not None
        if deterministic is not None and not self._parallel:
            warnings.warn("The `deterministic` argument has no effect unless the "
                          "`num_parallel_calls` argument is specified.", stacklevel=3)
        self._element_spec = _traced_element_spec(map_func, input_dataset.element_spec,
                                                  "Dataset.interleave")

    def _open(self, element):
        dataset = _dataset_for(self._func, element, "Dataset.interleave")
        if self._parallel:
            dataset = PrefetchDataset(dataset, self._block_length)
        return dataset._iterate()

    def _iterate(self):
        inputs = self._input._iterate()
        cycle = [None] * self._cycle_length
        slot = block = num_open = 0
        end_of_input = False
        try:
            while not end_of_input or num_open:
                if cycle[slot] is not None:
                    element = next(cycle[slot], _END)
                    if element is not _END:
                        yield element
                        block += 1
                        if block < self._block_length:
                            continue
                    else:
                        cycle[slot] = None
                        num_open -= 1
                elif not end_of_input:
                    element = next(inputs, _END)
                    end_of_input = element is _END
                    if not end_of_input:
                        cycle[slot] = self._open(element)
                        num_open += 1
                    continue
                block = 0
                slot = (slot + 1) % self._cycle_length
        finally:
            for iterator in cycle:
                if iterator is not None:
                    iterator.close()  # stops any background producer

    def _cardinality(self):
        return UNKNOWN_CARDINALITY
