"""Element structures as tf.data sees them: tuples (namedtuples too) and dicts are
structure; everything else, Python lists included, is one component, converted to a
tensor. Once normalized an element holds no lists, so `nest` handles it."""

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor, wrap
from ..framework.tensor_spec import TensorSpec
from ..util import nest


def map_components(func, value):
    """`value` rebuilt with func(component) at every component."""
    if isinstance(value, dict):
        return type(value)((key, map_components(func, item)) for key, item in value.items())
    if isinstance(value, tuple):
        parts = [map_components(func, item) for item in value]
        return type(value)(*parts) if hasattr(value, "_fields") else tuple(parts)
    return func(value)


def normalize(value):
    """`value` with every component an eager tensor."""
    return map_components(convert_to_tensor, value)


def spec_of(element):
    """The structure of TensorSpecs describing `element` (tensors or symbolic tensors)."""
    return nest.map_structure(lambda t: TensorSpec(t.shape, t.dtype), element)


def stack(elements):
    """One element whose components stack the given elements' components (a batch)."""
    flats = [nest.flatten(element) for element in elements]
    stacked = []
    for index, parts in enumerate(zip(*flats)):
        arrays = [part._value for part in parts]
        for position, array in enumerate(arrays[1:], start=1):
            if array.shape != arrays[0].shape:
                raise InvalidArgumentError(
                    f"Cannot batch tensors with different shapes in component {index}. First "
                    f"element had shape {list(arrays[0].shape)} and element {position} had "
                    f"shape {list(array.shape)}.")
        stacked.append(wrap(np.stack(arrays)))
    return nest.pack_sequence_as(elements[0], stacked)


def check_tensor_components(element_spec, what):
    """TypeError naming `what` unless every component of `element_spec` is a TensorSpec
    (a window's dataset components cannot be stacked or padded)."""
    for spec in nest.flatten(element_spec):
        if not isinstance(spec, TensorSpec):
            raise TypeError(f"{what} is only supported for datasets that produce tensor "
                            f"elements, but the input's element_spec {element_spec} contains "
                            f"{spec}.")


def leading_dim(element, what):
    """The first dimension every component of `element` shares; `what` names the caller
    in the error raised when a component is a scalar or the dimensions disagree."""
    flat = nest.flatten(element)
    for index, component in enumerate(flat):
        if component.shape.rank == 0:
            raise ValueError(f"{what} needs every component to have rank >= 1, but component "
                             f"{index} is a scalar ({spec_of(component)}).")
    first = flat[0].shape[0]
    for index, component in enumerate(flat[1:], start=1):
        if component.shape[0] != first:
            raise ValueError(
                f"Dimensions {first} and {component.shape[0]} are not compatible: {what} "
                f"needs every component to have the same first dimension, but component 0 "
                f"has shape {flat[0].shape} and component {index} has shape "
                f"{component.shape}.")
    return first


def row(element, index):
    """Row `index` of every component of `element`: views, not copies."""
    return nest.map_structure(lambda t: wrap(t._value[index, ...]), element)


def unpacked_call(func, element):
    """func on `element` the way tf.data calls user functions: a plain tuple becomes
    positional arguments; anything else (a dict, a tensor) is one argument."""
    return func(*element) if type(element) is tuple else func(element)


def normalize_output(value):
    """A user function's result as an element: a returned list counts as a tuple (TF's
    rule: it is likelier a list of separate results than one tensor to stack)."""
    return normalize(tuple(value) if isinstance(value, list) else value)


def flatten_up_to(template, value):
    """The parts of `value` at the positions of `template`'s components, descending only
    where `template` has a tuple or dict (so a list in `value` stays one part). Raises
    ValueError when `value` lacks a tuple or dict that `template` has."""
    if isinstance(template, dict):
        if not isinstance(value, dict) or sorted(value) != sorted(template):
            raise ValueError(f"expected a dict with keys {sorted(template)}, got {value!r}")
        return [part for key in sorted(template)
                for part in flatten_up_to(template[key], value[key])]
    if isinstance(template, tuple):
        if not isinstance(value, tuple) or len(value) != len(template):
            raise ValueError(f"expected a tuple of {len(template)} parts, got {value!r}")
        return [part for item, other in zip(template, value)
                for part in flatten_up_to(item, other)]
    return [value]



def flatten_matching(template, value, mismatch):
    """flatten_up_to(template, value), whose ValueError says `mismatch` and then why."""
    try:
        return flatten_up_to(template, value)
    except ValueError as error:
        raise ValueError(f"{mismatch}: {error}.") from None

def is_symbolic(value):
    """Whether `value` is a graph tensor (no value until the graph runs)."""
    return hasattr(type(value), "_dispatch_op") and not isinstance(value, Tensor)


def static_int(value):
    """`value` (a Python int or an integer scalar tensor) as an int; None for a graph
    tensor, whose value is unknown while a function is traced."""
    return None if is_symbolic(value) else int(value)


class DatasetSpec:
    """The type of a component that is itself a dataset (a window's): its element_spec."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @property
    def element_spec(self):
        return self._element_spec

    def __eq__(self, other):
        return isinstance(other, DatasetSpec) and self._element_spec == other._element_spec

    def __hash__(self):
        return hash(repr(self._element_spec))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, TensorShape([]))"
