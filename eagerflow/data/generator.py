"""Dataset.from_generator: elements yielded by a Python generator, checked against the
structure of TensorSpecs they were declared to have."""

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, OpError, UnknownError
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap
from ..framework.tensor_shape import as_shape
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import structure
from .dataset import UNKNOWN_CARDINALITY, Dataset


def signature_of(output_types, output_shapes, output_signature):
    """The element_spec from_generator's arguments declare (TF's rules for which of them
    may be given together), and whether it came from the legacy output_types form."""
    if output_signature is not None:
        for name, value in (("output_types", output_types), ("output_shapes", output_shapes)):
            if value is not None:
                raise TypeError(f"Dataset.from_generator: the `{name}` argument can not be "
                                f"used together with the `output_signature` argument.")
        structure.map_components(_check_spec, output_signature)
        return output_signature, False
    if output_types is None:
        raise TypeError("Dataset.from_generator: to specify the output signature you need to "
                        "provide either the `output_signature` argument or the "
                        "`output_types` argument.")
    flat_types = structure.flatten_up_to(output_types, output_types)
    if output_shapes is None:
        flat_shapes = [None] * len(flat_types)
    else:
        flat_shapes = structure.flatten_matching(
            output_types, output_shapes, f"Dataset.from_generator: `output_shapes` "
            f"{output_shapes!r} does not match the structure of `output_types` "
            f"{output_types!r}")
    specs = [TensorSpec(as_shape(shape), dtype) for dtype, shape in zip(flat_types, flat_shapes)]
    return nest.pack_sequence_as(output_types, specs), True


def _check_spec(spec):
    if not isinstance(spec, TensorSpec):
        raise TypeError(f"Dataset.from_generator: `output_signature` must contain tf.TensorSpec "
                        f"objects, but found {type(spec)}, which is not.")


def _reraised_as_tf_errors(generator, args):
    """The values generator(*args) yields; a Python exception it raises comes out as TF's
    py_func reports it: InvalidArgumentError for a ValueError or TypeError, UnknownError
    otherwise, the original chained."""
    try:
        yield from generator(*args)
    except OpError:
        raise
    except (ValueError, TypeError) as error:
        raise InvalidArgumentError(f"{type(error).__name__}: {error}") from error
    except Exception as error:
        raise UnknownError(f"{type(error).__name__}: {error}") from error


class GeneratorDataset(Dataset):
    """`generator(*args)` called anew for every iteration; each value it yields converted
    to the signature's dtypes and checked against its shapes (InvalidArgumentError, as
    TF raises it from the generator's py_func, naming what was yielded and expected)."""

    def __init__(self, generator, signature, legacy, args):
        if not callable(generator):
            raise TypeError(f"Dataset.from_generator: `generator` must be a Python callable, "
                            f"got {generator!r}.")
        self._generator = generator
        self._signature = signature
        self._legacy = legacy
        self._args = tuple(convert_to_tensor(arg) for arg in (args or ()))

    def _iterate(self):
        flat_specs = nest.flatten(self._signature)
        args = tuple(arg.numpy() for arg in self._args)  # symbolic while a map_func traces
        for value in _reraised_as_tf_errors(self._generator, args):
            try:
                parts = structure.flatten_up_to(self._signature, value)
            except ValueError:
                raise self._error(f"that did not match the expected structure. The expected "
                                  f"structure was {self._signature}, but the yielded element "
                                  f"was {value!r}.") from None
            tensors = [self._converted(part, spec, value) for part, spec in zip(parts, flat_specs)]
            for tensor, spec in zip(tensors, flat_specs):
                if not spec.shape.is_compatible_with(tensor.shape):
                    yielded = nest.pack_sequence_as(self._signature, [
                        TensorSpec.from_tensor(t) for t in tensors])
                    raise self._error(f"of {yielded} where an element of {self._signature} "
                                      f"was expected.")
            yield nest.pack_sequence_as(self._signature, tensors)

    def _converted(self, part, spec, value):
        try:
            if self._legacy and spec.dtype is not dtypes.string:
                # The output_types form casts like NumPy (TF's numpy_function conversion).
                return wrap(np.asarray(part, dtype=spec.dtype._np))
            return convert_to_tensor(part, dtype=spec.dtype)
        except (TypeError, ValueError):
            if self._legacy:
                raise self._error(f"that could not be converted to the expected type. The "
                                  f"expected type was {spec.dtype.name}, but the yielded "
                                  f"element was {part!r}.") from None
            raise self._error(f"that did not match the expected structure. The expected "
                              f"structure was {self._signature}, but the yielded element was "
                              f"{value!r}.") from None

    @staticmethod
    def _error(what):
        return InvalidArgumentError(f"Dataset.from_generator: `generator` yielded an element "
                                    f"{what}")

    def _spec(self):
        return self._signature

    def _cardinality(self):
        return UNKNOWN_CARDINALITY
