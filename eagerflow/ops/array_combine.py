"""Joining and cutting tensors: concat, split, tile."""

import numpy as np

from . import array_shape, reductions
from . import shape_rules as rules
from .array_ops import identity, reshape, shape_tuple, stack
from .dynamic_shape import dim, run_time, static_dim
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform


def _concat_rule(*xs, axis):
    first = tuple(xs[0].shape)
    rank = len(first)
    if rank == 0:
        raise rules.invalid("ConcatV2", "Can't concatenate scalars (use tf.stack instead)")
    if not -rank <= axis < rank:
        raise rules.invalid("ConcatV2", f"Expected concatenating dimensions in the range "
                                        f"[{-rank}, {rank}), but got {axis}")
    axis %= rank
    out = list(first)
    for i, x in enumerate(xs[1:], 1):
        shape = tuple(x.shape)
        if len(shape) != rank:
            raise rules.invalid("ConcatV2", f"Ranks of all input tensors should match: "
                                            f"shape[0] = {list(first)} vs. shape[{i}] = "
                                            f"{list(shape)}")
        for d, (have, got) in enumerate(zip(out, shape)):
            if d == axis:
                out[d] = None if have is None or got is None else have + got
            elif have is None:
                out[d] = got
            elif got is not None and got != have:
                raise rules.invalid("ConcatV2", f"Dimension {d} in both shapes must be equal: "
                                                f"shape[0] = {list(first)} vs. shape[{i}] = "
                                                f"{list(shape)}")
    return rules.Spec(tuple(out), xs[0].dtype)


def _concat_grad(ins, out, dy, axis):
    """dy split back into the inputs' sizes along `axis` (one unknown size is -1; more are
    given to SplitV at run time)."""
    sizes = tuple(static_dim(x, axis) for x in ins)
    if sizes.count(None) <= 1:
        return tuple(SplitV(dy, size_splits=tuple(-1 if s is None else s for s in sizes),
                            axis=axis))
    run_time_sizes = stack([array_shape.shape(x)[axis] for x in ins])
    return tuple(SplitV(dy, run_time_sizes, size_splits=sizes, axis=axis))


def _concat_reference(*xs, axis):
    rank = xs[0].ndim
    moved = [np.moveaxis(x, axis, 0) for x in xs]
    rows = [row for x in moved for row in x]
    shape = moved[0].shape[1:]
    joined = np.array(rows, dtype=xs[0].dtype).reshape((len(rows),) + shape)
    return np.moveaxis(joined, 0, axis % rank)


def _concat_samples():
    gen = rng(21)
    cases = [([(2, 3), (1, 3)], 0), ([(2, 3), (2, 1), (2, 2)], 1), ([(2, 3), (2, 2)], -1),
             ([(4,), (0,)], 0), ([(0, 2), (0, 3)], 1), ([(2, 1, 2), (2, 2, 2)], -2)]
    for shapes, axis in cases:
        yield Sample(tuple(uniform(gen, s) for s in shapes), dict(axis=axis))
    yield Sample((uniform(gen, (2,), dtype=np.float32), uniform(gen, (3,), dtype=np.float32)),
                 dict(axis=0), grad=False)
    yield Sample((integers(gen, (1, 2)), integers(gen, (3, 2))), dict(axis=0), grad=False)


ConcatV2 = defop("ConcatV2", lambda *xs, axis: np.concatenate(xs, axis=axis), _concat_rule,
                 grad=_concat_grad, reference=_concat_reference, samples=_concat_samples)


def concat(values, axis, name="concat"):
    """Joins a list of tensors of one rank along the existing dimension `axis`."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if not values:
        raise ValueError("tf.concat needs at least one tensor to concatenate; got an empty list.")
    if len(values) == 1:
        return identity(values[0])
    return ConcatV2(*values, axis=int(axis))


def _split_dim(op, x, axis):
    rank = len(x.shape)
    if rank == 0:
        raise rules.invalid(op, "Can't split a scalar (rank-0) tensor")
    axis = rules.normalize_axis(op, axis, rank)
    return axis, x.shape[axis]


def _split_rule(x, num_split, axis):
    axis, size = _split_dim("Split", x, axis)
    if num_split <= 0:
        raise rules.invalid("Split", f"Number of ways to split should be > 0, but got {num_split}")
    if size is not None and size % num_split:
        raise rules.invalid("Split", f"Number of ways to split should evenly divide the split "
                                     f"dimension, but got split_dim {axis} (size = {size}) and "
                                     f"num_split {num_split}")
    part = None if size is None else size // num_split
    shape = tuple(x.shape[:axis]) + (part,) + tuple(x.shape[axis + 1:])
    return tuple(rules.Spec(shape, x.dtype) for _ in range(num_split))


def _split_reference(x, num_split, axis):
    size = x.shape[axis] // num_split
    return [np.take(x, range(i * size, (i + 1) * size), axis=axis) for i in range(num_split)]


def _split_samples():
    gen = rng(22)
    for shape, num_split, axis in [((4, 3), 2, 0), ((2, 6), 3, -1), ((3,), 1, 0),
                                   ((0, 2), 2, 0), ((2, 3, 2), 2, 2)]:
        yield Sample((uniform(gen, shape),), dict(num_split=num_split, axis=axis))
    yield Sample((integers(gen, (2, 4)),), dict(num_split=2, axis=1), grad=False)


Split = defop("Split", lambda x, num_split, axis: tuple(np.split(x, num_split, axis=axis)),
              _split_rule,
              grad=lambda ins, out, dys, num_split, axis: (ConcatV2(*dys, axis=axis),),
              reference=_split_reference, samples=_split_samples, multi_output=True)


def _resolved_sizes(size, size_splits):
    """`size_splits` with its one -1 filled in, or an error saying what does not add up
    (None: a size the graph knows only at run time)."""
    if None in size_splits:
        return tuple(size_splits)
    sizes = list(size_splits)
    if sizes.count(-1) > 1:
        raise rules.invalid("SplitV", f"There can only be one -1 in the input; got size_splits "
                                      f"{sizes}")
    for i, s in enumerate(sizes):
        if s < -1:
            raise rules.invalid("SplitV", f"Split size at index {i} must be >= 0. Got: {s}")
    known = sum(s for s in sizes if s != -1)
    if size is None:
        return tuple(None if s == -1 else s for s in sizes)
    if (-1 in sizes and known > size) or (-1 not in sizes and known != size):
        raise rules.invalid("SplitV", f"Determined shape must either match input shape along "
                                      f"split_dim exactly if fully specified, or be less than "
                                      f"the size of the input along split_dim if not fully "
                                      f"specified. Got: {known} for a dimension of size {size} "
                                      f"(size_splits {sizes})")
    return tuple(size - known if s == -1 else s for s in sizes)


def _split_v_rule(x, *given, size_splits, axis):
    axis, size = _split_dim("SplitV", x, axis)
    sizes = _resolved_sizes(size, size_splits)
    return tuple(rules.Spec(tuple(x.shape[:axis]) + (s,) + tuple(x.shape[axis + 1:]), x.dtype)
                 for s in sizes)


def _split_v_kernel(x, *given, size_splits, axis):
    sizes = _resolved_sizes(x.shape[axis], run_time(size_splits, given))
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _split_v_reference(x, *given, size_splits, axis):
    sizes = list(run_time(size_splits, given))
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    parts, start = [], 0
    for s in sizes:
        index = [slice(None)] * x.ndim
        index[axis] = slice(start, start + s)
        parts.append(x[tuple(index)])
        start += s
    return parts


def _split_v_samples():
    gen = rng(23)
    for shape, sizes, axis in [((5, 2), (2, 3), 0), ((2, 5), (1, -1, 1), 1), ((4,), (4,), 0),
                               ((3, 2), (0, 3), -2), ((0, 2), (0, 0), 0)]:
        yield Sample((uniform(gen, shape),), dict(size_splits=sizes, axis=axis))
    yield Sample((uniform(gen, (5, 2)), np.array([2, 3])),
                 dict(size_splits=(None, None), axis=0))
    yield Sample((integers(gen, (3,)),), dict(size_splits=(-1, 2), axis=0), grad=False)


SplitV = defop("SplitV", _split_v_kernel, _split_v_rule,
               grad=lambda ins, out, dys, size_splits, axis: (ConcatV2(*dys, axis=axis),),
               reference=_split_v_reference, samples=_split_v_samples, multi_output=True,
               same_dtype=False)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits `value` along `axis` into equal parts, or into parts of the given sizes."""
    splits = np.asarray(num_or_size_splits)
    if splits.ndim == 0:
        return list(Split(value, num_split=int(splits), axis=int(axis)))
    sizes = tuple(int(s) for s in splits.reshape(-1))
    return list(SplitV(value, size_splits=sizes, axis=int(axis)))


def _check_multiples(shape, multiples):
    if len(multiples) != len(shape):
        raise rules.invalid("Tile", f"Expected multiples argument to be a vector of length "
                                    f"{len(shape)} but got length {len(multiples)} (input shape "
                                    f"{list(shape)}, multiples {list(multiples)})")
    for i, m in enumerate(multiples):
        if m < 0:
            raise rules.invalid("Tile", f"Expected multiples[{i}] >= 0, but got {m}")


def _tile_rule(x, multiples):
    _check_multiples(x.shape, multiples)
    shape = tuple(None if d is None else d * m for d, m in zip(x.shape, multiples))
    return rules.Spec(shape, x.dtype)


def _tile_kernel(x, multiples):
    _check_multiples(x.shape, multiples)
    return np.tile(x, multiples)


def _tile_grad(ins, out, dy, multiples):
    """Each input element was copied once per tile: sum the copies."""
    rank = len(multiples)
    interleaved = [n for i, m in enumerate(multiples) for n in (m, dim(ins[0], i))]
    tile_axes = tuple(range(0, 2 * rank, 2))
    return (reductions.reduce_sum(reshape(dy, interleaved), axis=tile_axes),)


def _tile_reference(x, multiples):
    out = x
    for axis, m in enumerate(multiples):
        out = np.concatenate([out] * m, axis=axis) if m else np.take(out, [], axis=axis)
    return out


def _tile_samples():
    gen = rng(24)
    for shape, multiples in [((2, 3), (2, 1)), ((2,), (3,)), ((), ()), ((1, 2), (2, 3)),
                             ((2, 2), (0, 2)), ((0, 3), (2, 1))]:
        yield Sample((uniform(gen, shape),), dict(multiples=multiples))
    yield Sample((integers(gen, (2,)),), dict(multiples=(2,)), grad=False)


Tile = defop("Tile", _tile_kernel, _tile_rule, grad=_tile_grad, reference=_tile_reference,
             samples=_tile_samples)


def tile(input, multiples, name=None):  # noqa: A002  (TF's argument name)
    """`input` repeated `multiples[i]` times along each axis i."""
    return Tile(input, multiples=shape_tuple(multiples))
