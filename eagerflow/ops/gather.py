"""Picking elements by index along one axis: gather, boolean_mask.

The gradient of GatherV2 is GatherGrad, which adds dy into zeros of the
params' shape at the gathered positions (duplicates add up); its own
gradient is the gather again.
"""

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from . import shape_rules as rules
from .array_ops import reshape
from . import comparison, dynamic_shape
from .dynamic_shape import dim, run_time, shape_inputs, static_shape
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from ..framework import context
from ..framework.convert import convert_to_tensor


def position_text(where):
    """An element's position as TF prints it: "[1,2]" (nothing for a scalar)."""
    return f"[{','.join(str(int(i)) for i in where)}]" if where else ""


def check_indices(indices, bound, what="indices"):
    """Raises TF's error for an index outside [0, bound), naming its position."""
    if indices.dtype.kind not in "iu":
        raise InvalidArgumentError(f"{what} must be integers, got dtype {indices.dtype}")
    bad = (indices < 0) | (indices >= bound)
    if np.any(bad):
        where = np.unravel_index(np.argmax(bad), np.shape(indices))
        raise InvalidArgumentError(f"{what}{position_text(where)} = {indices[where]} is not in "
                                   f"[0, {bound})")


def require_int_indices(op, indices):
    rules.require_dtype(op, indices, dtypes.INTEGERS, "indices")


def _gather_layout(op, params_shape, indices_shape, axis, batch_dims):
    """(axis, batch_dims) made non-negative, or an error naming the broken constraint."""
    rank, index_rank = len(params_shape), len(indices_shape)
    if rank == 0:
        raise rules.invalid(op, "params must be at least 1 dimensional, got a scalar")
    if not -index_rank <= batch_dims <= index_rank:
        raise rules.invalid(op, f"Expected batch_dims in the range [{-index_rank}, "
                                f"{index_rank}], but got {batch_dims}")
    batch = batch_dims + index_rank if batch_dims < 0 else batch_dims
    if not -rank <= axis < rank:
        raise rules.invalid(op, f"Expected axis in the range [{-rank}, {rank}), but got {axis}")
    axis %= rank
    if batch > axis:
        raise rules.invalid(op, f"batch_dims ({batch_dims}) must be less than or equal to "
                                f"axis ({axis})")
    for i in range(batch):
        p, q = params_shape[i], indices_shape[i]
        if p is not None and q is not None and p != q:
            raise rules.invalid(op, f"params.shape[{i}]: {p} should be equal to "
                                    f"indices.shape[{i}]: {q} (batch_dims={batch_dims})")
    return axis, batch


def _gathered_shape(op, params_shape, indices_shape, axis, batch_dims):
    axis, batch = _gather_layout(op, params_shape, indices_shape, axis, batch_dims)
    return (tuple(params_shape[:axis]) + tuple(indices_shape[batch:])
            + tuple(params_shape[axis + 1:]))


def _batch_grid(indices_shape, batch):
    """Index arrays that pair each batch position of params with the same one of indices."""
    rank = len(indices_shape)
    return tuple(np.arange(indices_shape[k]).reshape([-1 if j == k else 1 for j in range(rank)])
                 for k in range(batch))


def _index_block(indices, axis, batch):
    """Where NumPy's indexing puts the indices' own axes, and where the output wants them."""
    count = indices.ndim - batch
    picked_at = tuple(range(batch, batch + count))
    wanted_at = tuple(range(axis, axis + count))
    return picked_at, wanted_at


def _gather_kernel(params, indices, axis, batch_dims):
    axis, batch = _gather_layout("GatherV2", params.shape, indices.shape, axis, batch_dims)
    check_indices(indices, params.shape[axis])
    moved = np.moveaxis(params, axis, batch)
    picked = moved[_batch_grid(indices.shape, batch) + (indices,)]
    picked_at, wanted_at = _index_block(indices, axis, batch)
    return np.moveaxis(picked, picked_at, wanted_at)


def _gather_grad_kernel(dy, indices, *given, params_shape, axis, batch_dims):
    params_shape = run_time(params_shape, given)
    axis, batch = _gather_layout("GatherGrad", params_shape, indices.shape, axis, batch_dims)
    check_indices(indices, params_shape[axis])
    picked_at, wanted_at = _index_block(indices, axis, batch)
    moved_shape = (tuple(params_shape[:batch]) + (params_shape[axis],)
                   + tuple(params_shape[batch:axis]) + tuple(params_shape[axis + 1:]))
    out = np.zeros(moved_shape, dy.dtype)
    np.add.at(out, _batch_grid(indices.shape, batch) + (indices,),
              np.moveaxis(dy, wanted_at, picked_at))
    return np.moveaxis(out, batch, axis)


def _gather_rule(params, indices, axis, batch_dims):
    require_int_indices("GatherV2", indices)
    shape = _gathered_shape("GatherV2", params.shape, indices.shape, axis, batch_dims)
    return rules.Spec(shape, params.dtype)


def _gather_grad_rule(dy, indices, *given, params_shape, axis, batch_dims):
    require_int_indices("GatherGrad", indices)
    expected = _gathered_shape("GatherGrad", params_shape, indices.shape, axis, batch_dims)
    if len(expected) != len(dy.shape):
        raise rules.invalid("GatherGrad", f"dy has shape {list(dy.shape)}, but gathering from "
                                          f"{list(params_shape)} gives {list(expected)}")
    return rules.Spec(tuple(params_shape), dy.dtype)


def _source_index(index, indices, axis, batch):
    """For one output position of a gather, the params position it reads."""
    count = indices.ndim - batch
    batch_part, own = index[:batch], index[axis:axis + count]
    picked = int(indices[batch_part + own])
    return batch_part + index[batch:axis] + (picked,) + index[axis + count:]


def _gather_reference(params, indices, axis, batch_dims):
    axis %= params.ndim
    batch = batch_dims + indices.ndim if batch_dims < 0 else batch_dims
    shape = params.shape[:axis] + indices.shape[batch:] + params.shape[axis + 1:]
    out = np.empty(shape, params.dtype)
    for index in np.ndindex(*shape):
        out[index] = params[_source_index(index, indices, axis, batch)]
    return out


def _gather_grad_reference(dy, indices, *given, params_shape, axis, batch_dims):
    params_shape = run_time(params_shape, given)
    axis %= len(params_shape)
    batch = batch_dims + indices.ndim if batch_dims < 0 else batch_dims
    out = np.zeros(params_shape, dy.dtype)
    for index in np.ndindex(*dy.shape):
        out[_source_index(index, indices, axis, batch)] += dy[index]
    return out


GATHER_CASES = [  # params shape, indices, axis, batch_dims
    ((4,), [2, 0, 2], 0, 0), ((3, 2), [[0, 2], [1, 1]], 0, 0), ((2, 3), [2, 0], -1, 0),
    ((2, 3, 2), 1, 1, 0), ((3,), np.zeros((0,), int), 0, 0), ((2, 3), [[2, 0], [1, 1]], 1, 1),
    ((2, 2, 3), [[0], [2]], -1, -1), ((1, 2), [0, 0], 0, 0),
]


def _gather_samples():
    gen = rng(51)
    for shape, indices, axis, batch_dims in GATHER_CASES:
        yield Sample((uniform(gen, shape), np.asarray(indices, np.int32)),
                     dict(axis=axis, batch_dims=batch_dims))
    yield Sample((integers(gen, (3, 2)), np.array([2, 0], np.int64)), dict(axis=0, batch_dims=0),
                 grad=False)


def _gather_grad_samples():
    gen = rng(52)
    for shape, indices, axis, batch_dims in GATHER_CASES:
        indices = np.asarray(indices, np.int32)
        dy_shape = _gathered_shape("GatherGrad", shape, indices.shape, axis, batch_dims)
        yield Sample((uniform(gen, dy_shape), indices),
                     dict(params_shape=shape, axis=axis, batch_dims=batch_dims))
    yield Sample((uniform(gen, (2, 2)), np.array([1, 0], np.int32), np.array([2, 3])),
                 dict(params_shape=(None, 3), axis=1, batch_dims=0))


def _gather_grad(ins, out, dy, axis, batch_dims):
    params, indices = ins
    return (GatherGrad(dy, indices, *shape_inputs(params), params_shape=static_shape(params),
                       axis=axis, batch_dims=batch_dims), None)


GatherV2 = defop("GatherV2", _gather_kernel, _gather_rule, grad=_gather_grad,
                 reference=_gather_reference, samples=_gather_samples, same_dtype=False)
GatherGrad = defop(
    "GatherGrad", _gather_grad_kernel, _gather_grad_rule,
    grad=lambda ins, out, dy, params_shape, axis, batch_dims: (
        GatherV2(dy, ins[1], axis=axis, batch_dims=batch_dims),),
    reference=_gather_grad_reference, samples=_gather_grad_samples, same_dtype=False)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of `params` along `axis` at `indices` (per batch with batch_dims)."""
    batch_dims = int(batch_dims)
    axis = batch_dims if axis is None else int(axis)
    return GatherV2(params, indices, axis=axis, batch_dims=batch_dims)


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The entries of `tensor` where `mask` is true; mask's dims collapse into one. In a
    graph the positions come from tf.where when it runs (a None dimension)."""
    tensor, mask = convert_to_tensor(tensor), convert_to_tensor(mask)
    shape, mask_shape = static_shape(tensor), static_shape(mask)
    if not mask_shape:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else int(axis)
    axis = axis + len(shape) if axis < 0 else axis
    end = axis + len(mask_shape)
    masked = shape[axis:end]
    if any(None not in (a, b) and a != b for a, b in zip(masked, mask_shape)) or \
            len(masked) != len(mask_shape):
        raise ValueError(f"Shapes {masked} and {mask_shape} are incompatible: boolean_mask "
                         f"needs the mask's shape to match tensor.shape[{axis}:{end}] "
                         f"(tensor shape {shape})")
    if not context.is_symbolic(mask) and not context.is_symbolic(tensor):
        merged = shape[:axis] + (int(np.prod(mask_shape)),) + shape[end:]
        positions = np.flatnonzero(mask._value).astype(np.int64)
        return GatherV2(reshape(tensor, merged), positions, axis=axis, batch_dims=0)
    merged = [dim(tensor, i) for i in range(axis)] + [-1] + \
        [dim(tensor, i) for i in range(end, len(shape))]
    positions = reshape(comparison.Where(reshape(mask, [-1])), [-1])
    flat = dynamic_shape.reshape(tensor, merged) if dynamic_shape.is_symbolic_shape(merged) \
        else reshape(tensor, merged)
    return GatherV2(flat, positions, axis=axis, batch_dims=0)
