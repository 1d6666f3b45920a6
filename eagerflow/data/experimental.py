"""tf.data.experimental: cardinality tools, get_single_element and the constants."""

from ..errors import FailedPreconditionError
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "assert_cardinality",
           "cardinality", "get_single_element"]


def cardinality(dataset):
    """`dataset.cardinality()`: an int64 scalar, or INFINITE_CARDINALITY / UNKNOWN_CARDINALITY."""
    return dataset.cardinality()


def get_single_element(dataset):
    """`dataset.get_single_element()`: the one element of a one-element dataset."""
    return dataset.get_single_element()


def assert_cardinality(expected_cardinality):
    """A transformation for `Dataset.apply`: the same elements, with cardinality
    `expected_cardinality`; iterating raises FailedPreconditionError as soon as the input
    turns out to hold more, or at its end if it held fewer."""
    expected = int(expected_cardinality)
    return lambda dataset: AssertCardinalityDataset(dataset, expected)


class AssertCardinalityDataset(Dataset):
    """The input's elements, counted against the cardinality they were asserted to have."""

    def __init__(self, input_dataset, expected):
        self._input = input_dataset
        self._expected = expected

    def _iterate(self):
        count = 0
        for element in self._input._iterate():
            count += 1
            if self._expected != INFINITE_CARDINALITY and count > self._expected:
                raise FailedPreconditionError(
                    f"Input dataset was expected to contain {_elements(self._expected)} but "
                    f"contained at least {_elements(count)}.")
            yield element
        if count != self._expected:
            raise FailedPreconditionError(
                f"Input dataset was expected to contain {_elements(self._expected)} but "
                f"contained only {_elements(count)}.")

    def _cardinality(self):
        return self._expected


def _elements(count):
    if count == INFINITE_CARDINALITY:
        return "an infinite number of elements"
    return f"{count} element" + ("" if count == 1 else "s")
