"""The primitives under tf.TensorArray, whose state is one dense buffer [size, *element].

TensorArrayReserve makes a buffer of zeros for a size known only at run time.
TensorArrayScatter writes elements into a copy of a buffer (one at a scalar index,
or a row of `value` per index of a vector), growing it when `dynamic_size` allows;
a buffer that holds no data (some dimension 0) takes the shape of the first
elements written, which lets a buffer enter a graph loop before its element shape
is known. Its buffer gradient, TensorArrayBufferGrad, is dy fitted back to the
buffer's shape with the overwritten rows zeroed; it is its own adjoint.
"""

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from . import shape_rules as rules
from .gather import GatherV2, require_int_indices
from .registry import Sample, defop
from .sample_inputs import rng, uniform


def _element_of(op, indices_shape, value_shape):
    """The element shape a write carries: value's, or value's rows' for a vector of indices."""
    if len(indices_shape) > 1:
        raise rules.invalid(op, f"indices must be a scalar or a vector, got shape "
                                f"{list(indices_shape)}")
    if not indices_shape:
        return tuple(value_shape)
    if not value_shape:
        raise rules.invalid(op, "value must have a row per index, got a scalar")
    rows, count = value_shape[0], indices_shape[0]
    if rows is not None and count is not None and rows != count:
        raise rules.invalid(op, f"value has {rows} rows but there are {count} indices")
    return tuple(value_shape[1:])


def _merged_element(op, buffer_shape, element):
    """The buffer's element shape merged with a written one (an empty buffer adopts it)."""
    held = tuple(buffer_shape[1:])
    if len(held) != len(element):
        raise rules.invalid(op, f"Could not write an element of shape {list(element)} into "
                                f"a TensorArray whose elements have shape {list(held)}")
    if 0 in buffer_shape:
        return element
    merged = []
    for have, new in zip(held, element):
        if have is not None and new is not None and have != new:
            raise rules.invalid(op, f"Could not write an element of shape {list(element)} "
                                    f"into a TensorArray whose elements have shape "
                                    f"{list(held)}")
        merged.append(new if have is None else have)
    return tuple(merged)


def _scatter_rule(buffer, indices, value, dynamic_size):
    require_int_indices("TensorArrayScatter", indices)
    element = _element_of("TensorArrayScatter", indices.shape, value.shape)
    element = _merged_element("TensorArrayScatter", buffer.shape, element)
    rows = None if dynamic_size else buffer.shape[0]
    return rules.Spec((rows,) + element, buffer.dtype)


def _check_positions(positions, size, dynamic_size):
    if positions.size and positions.min() < 0:
        raise InvalidArgumentError(f"Writing to negative indices (index "
                                   f"{int(positions.min())}) is not allowed.")
    if not dynamic_size and positions.size and positions.max() >= size:
        raise InvalidArgumentError(f"Tried to write to index {int(positions.max())} but "
                                   f"array is not resizeable and size is: {size}")
    if len(np.unique(positions)) < positions.size:
        raise InvalidArgumentError(f"Could not scatter to one TensorArray index twice "
                                   f"(indices {positions.tolist()})")


def _scatter_kernel(buffer, indices, value, dynamic_size):
    element = _element_of("TensorArrayScatter", indices.shape, value.shape)
    element = _merged_element("TensorArrayScatter", buffer.shape, element)
    positions = indices.reshape(-1)
    _check_positions(positions, len(buffer), dynamic_size)
    rows = max(len(buffer), int(positions.max()) + 1) if positions.size else len(buffer)
    out = np.zeros((rows,) + element, buffer.dtype)
    if buffer.shape[1:] == element:
        out[:len(buffer)] = buffer
    out[indices] = value
    return out


def _scatter_reference(buffer, indices, value, dynamic_size):
    element = value.shape[indices.ndim:]
    rows = max([len(buffer)] + [int(i) + 1 for i in indices.reshape(-1)])
    out = np.zeros((rows,) + element, buffer.dtype)
    if buffer.size:
        out[:len(buffer)] = buffer
    for k, i in enumerate(indices.reshape(-1)):
        out[int(i)] = value if indices.ndim == 0 else value[k]
    return out


def _scatter_grad(ins, out, dy, dynamic_size):
    buffer, indices, _ = ins
    return (TensorArrayBufferGrad(dy, indices, buffer), None,
            GatherV2(dy, indices, axis=0, batch_dims=0))


def _scatter_samples():
    gen = rng(71)
    cases = [  # buffer shape, indices, element shape, dynamic_size
        ((3, 2), 1, (2,), False), ((3,), 2, (), False), ((3, 2), [2, 0], (2,), False),
        ((2, 2), 4, (2,), True), ((0, 2), [1, 0], (2,), True), ((3, 0), 1, (2,), False),
        ((2, 1, 2), [0], (1, 2), True), ((2, 2), np.zeros(0, int), (2,), False)]
    for shape, indices, element, dynamic_size in cases:
        indices = np.asarray(indices, np.int32)
        yield Sample((uniform(gen, shape), indices, uniform(gen, indices.shape + element)),
                     dict(dynamic_size=dynamic_size))
    yield Sample((np.zeros((2, 2), np.int32), np.array(1, np.int64), np.ones(2, np.int32)),
                 dict(dynamic_size=False), grad=False)


def _buffer_grad_kernel(dy, indices, buffer):
    out = np.zeros(buffer.shape, dy.dtype)
    if buffer.shape[1:] == dy.shape[1:]:
        rows = min(len(buffer), len(dy))
        out[:rows] = dy[:rows]
        positions = indices.reshape(-1)
        out[positions[positions < rows]] = 0
    return out


def _buffer_grad_rule(dy, indices, buffer):
    require_int_indices("TensorArrayBufferGrad", indices)
    if len(dy.shape) != len(buffer.shape):
        raise rules.invalid("TensorArrayBufferGrad", f"dy has shape {list(dy.shape)} but the "
                                                     f"buffer has {list(buffer.shape)}")
    return rules.Spec(tuple(buffer.shape), dy.dtype)


def _buffer_grad_reference(dy, indices, buffer):
    out = np.zeros(buffer.shape, dy.dtype)
    if buffer.shape[1:] != dy.shape[1:]:
        return out
    written = {int(i) for i in indices.reshape(-1)}
    for row in range(min(len(buffer), len(dy))):
        if row not in written:
            out[row] = dy[row]
    return out


def _buffer_grad_samples():
    gen = rng(72)
    cases = [((3, 2), 1, (3, 2)), ((4, 2), [3, 0], (2, 2)), ((2,), [0], (3,)),
             ((3, 2), 1, (3, 0))]  # dy shape, indices, buffer shape
    for dy_shape, indices, buffer_shape in cases:
        yield Sample((uniform(gen, dy_shape), np.asarray(indices, np.int32),
                      uniform(gen, buffer_shape)))


def _reserve_rule(size, dtype, element_shape):
    rules.require_dtype("TensorArrayReserve", size, dtypes.INTEGERS, "size")
    if size.shape:
        raise rules.invalid("TensorArrayReserve", f"size must be a scalar, got shape "
                                                  f"{list(size.shape)}")
    return rules.Spec((None,) + tuple(element_shape), dtype)


def _reserve_kernel(size, dtype, element_shape):
    if size < 0:
        raise InvalidArgumentError(f"TensorArray size must be non-negative, got {int(size)}")
    return np.zeros((int(size),) + tuple(element_shape), dtype._np)


def _reserve_samples():
    for size, dtype, element_shape in [(3, dtypes.float32, (2,)), (0, dtypes.float64, ()),
                                       (2, dtypes.int32, (0, 3))]:
        yield Sample((np.array(size, np.int32),), dict(dtype=dtype, element_shape=element_shape))


TensorArrayScatter = defop(
    "TensorArrayScatter", _scatter_kernel, _scatter_rule, grad=_scatter_grad,
    reference=_scatter_reference, samples=_scatter_samples, same_dtype=(0, 2))
TensorArrayBufferGrad = defop(
    "TensorArrayBufferGrad", _buffer_grad_kernel, _buffer_grad_rule,
    grad=lambda ins, out, dy: (TensorArrayBufferGrad(dy, ins[1], ins[0]), None, None),
    reference=_buffer_grad_reference, samples=_buffer_grad_samples, same_dtype=(0, 2))
TensorArrayReserve = defop(
    "TensorArrayReserve", _reserve_kernel, _reserve_rule, grad=None,
    reference=lambda size, dtype, element_shape: np.zeros(
        (int(size),) + tuple(element_shape), dtype._np),
    samples=_reserve_samples, same_dtype=False)
