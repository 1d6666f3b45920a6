"""Element structures as tf.data sees them: tuples (namedtuples too) and dicts are
structure; everything else, Python lists included, is one component, converted to a
tensor. Once normalized an element holds no lists, so `nest` handles it."""

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap
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
