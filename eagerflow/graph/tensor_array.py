"""tf.TensorArray: a list of same-shaped tensors, eagerly and in graphs, differentiable.

A TensorArray is an immutable Python object holding one tensor, its buffer
[size, *element_shape], and static facts (dtype, element shape, dynamic_size).
`write`/`scatter` return a new TensorArray whose buffer a TensorArrayScatter op
made, `read`/`gather` gather rows, `stack` is the buffer itself — so gradients
are those of ordinary ops, and inside tf.while_loop / tf.cond the buffer is an
ordinary loop variable or branch output: a TensorArray is a composite that
`nest.flatten(..., expand_composites=True)` turns into its buffer.

Before anything is written, an array whose element shape is not fully known has
no buffer; the first write makes one. A loop over such an array learns the
element shape from one trial trace of its body (`_shaped_by`). As in tf.function
(TF's TensorList), writes return new arrays rather than changing this one, reads
never clear elements, and never-written elements of a known shape read as zeros.
"""

import copy

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, array_shape, creation, gather
from ..ops.math_unary import cast
from ..ops.registry import Spec
from ..ops.tensor_array_ops import TensorArrayReserve, TensorArrayScatter


def _static_int(value):
    """`value` as a Python int, or None when it is known only at run time."""
    if context.is_symbolic(value):
        return None
    return int(convert_to_tensor(value)._value)


class TensorArray:
    """A list of tensors of one dtype and shape (TF's tf.TensorArray).

    `clear_after_read`, `infer_shape`, `colocate_with_first_write_call` and the
    names are accepted for TF's signature: reads never clear, and the element
    shape is always inferred from writes (all elements share one shape).
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if size is None and not dynamic_size:
            raise ValueError("Size must be declared for a TensorArray that is not "
                             "dynamic_size.")
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._element_shape = TensorShape(element_shape)
        self._size = 0 if size is None else size
        static = _static_int(self._size)
        if static is not None and static < 0:
            raise InvalidArgumentError(f"TensorArray size must be non-negative, got {static}")
        self._buffer = None
        if self._element_shape.is_fully_defined():
            self._buffer = self._reserve(self._element_shape)

    # --- static facts ----------------------------------------------------------------

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def dynamic_size(self):
        return self._dynamic_size

    def size(self, name=None):
        """The number of elements, as an int32 tensor."""
        if self._buffer is None:
            static = _static_int(self._size)
            return cast(self._size, dtypes.int32) if static is None else \
                convert_to_tensor(static, dtypes.int32)
        rows = self._buffer.shape[0]
        if rows is not None:
            return convert_to_tensor(rows, dtypes.int32)
        return array_shape.shape(self._buffer)[0]

    # --- writing -------------------------------------------------------------------

    def write(self, index, value, name=None):
        """A new TensorArray with `value` at `index`."""
        value = self._checked_value(value)
        return self._written(index, value, value.shape)

    def scatter(self, indices, value, name=None):
        """A new TensorArray with value[k] at indices[k]."""
        value = self._checked_value(value)
        return self._written(indices, value, self._row_shape(value, "scatter"))

    def unstack(self, value, name=None):
        """A new TensorArray whose elements are the rows of `value`."""
        value = self._checked_value(value)
        element = self._row_shape(value, "unstack")
        rows, size = value.shape[0], _static_int(self._size)
        if not self._dynamic_size and None not in (rows, size) and rows > size:
            raise InvalidArgumentError(f"Cannot unstack {rows} tensors into a TensorArray of "
                                       f"static size {size}")
        return self._with(value, self._element_shape.merge_with(element))

    def split(self, value, lengths, name=None):
        """A new TensorArray of the pieces of `value` along axis 0; the elements share one
        shape, so the lengths must be equal (and known while tracing)."""
        value = self._checked_value(value)
        lengths = array_ops.shape_tuple(lengths)
        if len(set(lengths)) > 1:
            raise InvalidArgumentError(f"TensorArray.split: the elements of a TensorArray "
                                       f"share one shape, so the lengths must be equal; got "
                                       f"{list(lengths)}")
        pieces = (len(lengths), lengths[0] if lengths else 0)
        rest = self._row_shape(value, "split")
        return self.unstack(array_ops.reshape(value, pieces + tuple(rest.as_list())))

    def _checked_value(self, value):
        if not (isinstance(value, Tensor) or context.is_symbolic(value)
                or hasattr(value, "_as_tensor")):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        if value.dtype != self._dtype:
            raise InvalidArgumentError(f"TensorArray dtype is {self._dtype.name} but Op is "
                                       f"trying to write dtype {value.dtype.name}")
        return value

    def _row_shape(self, value, method):
        shape = value.shape
        if shape.rank == 0:
            raise ValueError(f"TensorArray.{method} needs a value with a row per element, got "
                             f"a scalar")
        return shape[1:]

    def _written(self, indices, value, element):
        if not self._element_shape.is_compatible_with(element):
            raise ValueError(f"Incompatible shape for value ({element}), expected "
                             f"({self._element_shape})")
        element = self._element_shape.merge_with(element)
        buffer = self._buffer if self._buffer is not None else self._reserve(element)
        if not context.is_symbolic(indices):
            indices = convert_to_tensor(indices)  # a graph would give Python ints value's dtype
        written = TensorArrayScatter(buffer, indices, value, dynamic_size=self._dynamic_size)
        return self._with(written, element)

    def _reserve(self, element):
        """A buffer of zeros [size, *element]; an unknown dimension is 0 until the first
        write gives it (an empty buffer takes the shape of what is written)."""
        if element.rank is None:
            raise ValueError("A TensorArray needs the rank of its elements to make its buffer; "
                             "pass element_shape.")
        dims = tuple(0 if d is None else d for d in element.as_list())
        static = _static_int(self._size)
        if static is None:
            return TensorArrayReserve(self._size, dtype=self._dtype, element_shape=dims)
        return creation.zeros((static,) + dims, self._dtype)

    # --- reading -------------------------------------------------------------------

    def read(self, index, name=None):
        """The element at `index`."""
        buffer = self._written_buffer(f"read from TensorArray index {index}")
        position, rows = _static_int(index), buffer.shape[0]
        if None not in (position, rows) and not 0 <= position < rows:
            raise InvalidArgumentError(f"Tried to read from index {position} but array size "
                                       f"is: {rows}")
        return gather.gather(buffer, index)

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        return gather.gather(self._written_buffer("gather from a TensorArray"), indices)

    def stack(self, name=None):
        """All elements stacked along a new first axis: [size, *element_shape]."""
        return self._written_buffer("stack a TensorArray")

    def concat(self, name=None):
        """All elements concatenated along their first axis."""
        buffer = self._written_buffer("concat a TensorArray")
        rest = buffer.shape[2:]
        if buffer.shape.rank < 2:
            raise InvalidArgumentError("Concat saw a scalar shape at index 0 but requires at "
                                       "least vectors.")
        if not rest.is_fully_defined():
            raise ValueError(f"TensorArray.concat needs the elements' dimensions after the "
                             f"first known while tracing; the elements have shape "
                             f"{self._element_shape}")
        return array_ops.reshape(buffer, [-1] + rest.as_list())

    def _written_buffer(self, what):
        if self._buffer is None:
            raise InvalidArgumentError(f"Could not {what} because nothing has been written to "
                                       f"it yet and its element shape ({self._element_shape}) "
                                       f"is not fully known; write first or pass "
                                       f"element_shape.")
        return self._buffer

    # --- the rest of TF's methods -----------------------------------------------------

    def identity(self, name=None):
        """A TensorArray with the same content and properties."""
        buffer = None if self._buffer is None else array_ops.identity(self._buffer)
        return self._with(buffer, self._element_shape)

    def close(self, name=None):
        """Nothing to release: the buffer goes when the last TensorArray holding it does."""

    def __repr__(self):
        return (f"<tf.TensorArray dtype={self._dtype.name} element_shape="
                f"{self._element_shape} dynamic_size={self._dynamic_size}>")

    # --- a composite for nest and control flow --------------------------------------

    def _with(self, buffer, element_shape):
        array = copy.copy(self)
        array._buffer = buffer
        array._element_shape = element_shape
        return array

    def _to_components(self):
        return [] if self._buffer is None else [self._buffer]

    def _from_components(self, components):
        """This array's facts around a new buffer (a loop's or a branch's output), its
        element shape relaxed where the buffer's is unknown."""
        if not components:
            return self._with(None, self._element_shape)
        buffer = components[0]
        held = buffer.shape[1:]
        if held.rank is None or self._element_shape.rank is None:
            return self._with(buffer, self._element_shape)
        return self._with(buffer, TensorShape([
            d if h is not None else None for d, h in zip(self._element_shape, held)]))

    def _trace_key(self):
        """What a tf.function's trace depends on besides the buffer's dtype and shape."""
        return (self._dtype.name, self._dynamic_size, tuple(self._element_shape.as_list())
                if self._element_shape.rank is not None else None)

    def _component_specs(self):
        """What a loop may assume of the buffer across iterations: its dtype, its element
        shape, and its size unless dynamic_size lets it grow."""
        if self._buffer is None:
            return []
        if self._element_shape.rank is None:
            return [Spec(None, self._dtype)]
        rows = None if self._dynamic_size else self._buffer.shape[0]
        return [Spec((rows,) + tuple(self._element_shape.as_list()), self._dtype)]

    @property
    def _awaits_writes(self):
        """Whether its buffer depends on what a loop body writes (it has none yet)."""
        return self._buffer is None

    def _shaped_by(self, after):
        """This array with a buffer for the elements `after` (what one pass of a loop body
        made of it) holds; unchanged when the body wrote nothing."""
        if not isinstance(after, TensorArray) or after._buffer is None:
            return self
        element = self._element_shape.merge_with(after._element_shape)
        return self._with(self._reserve(element), element)
