"""Turning Python values, NumPy arrays and tensor-likes into Tensors.

TF's rules: Python floats become float32, ints int32 (int64 when they do not
fit), NumPy arrays keep their dtype, and a value converted to a requested
dtype must not lose information (1.5 never silently becomes int32 1).
"""

import numpy as np

from .. import dtypes
from .tensor import Tensor, wrap
from .tensor_shape import TensorShape

_INT32 = np.iinfo(np.int32)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Returns `value` as a Tensor; Tensors pass through unchanged."""
    if type(value) is Tensor:
        if dtype is not None and value._value.dtype != dtypes.as_dtype(dtype)._np:
            raise ValueError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor "
                f"with dtype {value.dtype.name}: {value!r}")
        return value
    if hasattr(type(value), "_dispatch_op"):
        # A symbolic tensor stays symbolic: ops on it record themselves.
        if dtype is not None and dtypes.as_dtype(dtype) != value.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
                             f"for Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    as_tensor = getattr(value, "_as_tensor", None)
    if as_tensor is not None:
        return convert_to_tensor(as_tensor(), dtype=dtype, name=name)
    if dtype is None and dtype_hint is not None:
        try:
            return wrap(_to_array(value, dtypes.as_dtype(dtype_hint)))
        except (TypeError, ValueError):
            pass
    return wrap(_to_array(value, None if dtype is None else dtypes.as_dtype(dtype)))


def constant(value, dtype=None, shape=None, name="Const"):
    """A Tensor holding a copy of `value`, optionally cast and reshaped."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        value = np.asarray(convert_to_tensor(value)._value)
    target = None if dtype is None else dtypes.as_dtype(dtype)
    array = _to_array(value, target)
    if shape is not None:
        array = _fit_shape(array, TensorShape(shape).as_list())
    elif array is value:
        array = array.copy()
    return wrap(array)


def _fit_shape(array, shape):
    size = int(np.prod(shape, dtype=np.int64))
    if array.size == size:
        return array.reshape(shape).copy()
    if array.size == 1:
        return np.full(shape, array.reshape(()), dtype=array.dtype)
    raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tried to convert "
                    f"a value with {array.size} elements to shape {tuple(shape)} "
                    f"({size} elements).")


def _to_array(value, dtype):
    """A NumPy array for `value`, of `dtype` or of TF's default dtype for it."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.kind in "US":
            array = _strings(array)
        if dtype is None or array.dtype == dtype._np:
            return array
        return _cast_checked(array, dtype, value)
    if isinstance(value, (list, tuple)) and any(_is_tensor_like(v) for v in _flat(value)):
        value = _pack(value)
        return _to_array(value, dtype)
    if _holds_bytes(value):  # NumPy's fixed-width bytes would drop trailing NUL bytes
        array = _strings(np.array(value, dtype=object))
        return array if dtype is None else _cast_checked(array, dtype, value)
    try:
        array = np.asarray(value)
    except ValueError as error:
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: "
                         f"{value!r}") from error
    if array.dtype.kind in "US":
        array = _strings(array)
    elif array.dtype.kind == "O":
        raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                         f"({type(value).__name__}) to a Tensor.")
    if dtype is None:
        return _python_default(array)
    return _cast_checked(array, dtype, value)


def _python_default(array):
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(np.float32)
    if kind in "iu":
        if array.size and (array.min() < _INT32.min or array.max() > _INT32.max):
            return array.astype(np.int64)
        return array.astype(np.int32)
    if kind == "c":
        return array.astype(np.complex128)
    return array


def _cast_checked(array, dtype, original):
    """`array` as `dtype`, refusing conversions that change values (1.5 to int32)."""
    src = array.dtype.kind
    if (dtype is dtypes.string) != (src == "O") or (src == "c" and not dtype.is_complex) or (
            dtype is dtypes.bool and src != "b"):
        raise TypeError(f"Cannot convert {original!r} to EagerTensor of dtype {dtype.name}")
    if dtype is dtypes.string:
        return array
    with np.errstate(all="ignore"):
        converted = array.astype(dtype._np)
    must_be_exact = dtype.is_integer and src in "fiu"
    if must_be_exact and array.size and not np.array_equal(converted, array):
        raise TypeError(f"Cannot convert {original!r} to EagerTensor of dtype {dtype.name}")
    return converted


def _strings(array):
    encoded = np.empty(array.shape, dtype=object)
    flat = encoded.reshape(-1)
    for i, item in enumerate(array.reshape(-1)):
        flat[i] = item.encode() if isinstance(item, str) else bytes(item)
    return encoded


def _holds_bytes(value):
    """Whether `value` is bytes or a (nested) list or tuple whose first leaf is."""
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return isinstance(value, bytes)


def _is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


def _flat(value):
    for item in value:
        if isinstance(item, (list, tuple)):
            yield from _flat(item)
        else:
            yield item


def _pack(value, dtype=None):
    """A nested list with tensors in it packed into one array (TF's auto-packing)."""
    if dtype is None:
        dtype = next(convert_to_tensor(v).dtype for v in _flat(value) if _is_tensor_like(v))
    if isinstance(value, (list, tuple)):
        return np.stack([_pack(v, dtype) for v in value]) if value else np.zeros((0,))
    return np.asarray(convert_to_tensor(value, dtype=dtype)._value)
