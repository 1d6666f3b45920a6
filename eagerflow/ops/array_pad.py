"""Padding: pad with CONSTANT, REFLECT and SYMMETRIC modes.

`paddings` is a tuple of (before, after) pairs, one per axis. The gradient of
a constant pad slices dy; the gradient of a mirror pad (MirrorPadGrad) folds
each mirrored border back onto the elements it copied.
"""

import numpy as np

from . import shape_rules as rules
from .indexing import StridedSlice
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform
from ..errors import InvalidArgumentError
from ..framework.convert import convert_to_tensor

# How far inside the edge a mirror starts: REFLECT skips the edge element.
_MIRROR_OFFSET = {"REFLECT": 1, "SYMMETRIC": 0}


def _check_paddings(op, shape, paddings, mode=None):
    if len(paddings) != len(shape):
        raise rules.invalid(op, f"The first dimension of paddings must be the rank of inputs"
                                f"[{len(paddings)},2] {list(shape)}")
    for i, (before, after) in enumerate(paddings):
        if before < 0 or after < 0:
            raise rules.invalid(op, f"Paddings must be non-negative: {before} {after} "
                                    f"(dimension {i})")
        size = shape[i]
        if mode is None or size is None:
            continue
        if mode == "REFLECT" and max(before, after) >= size:
            raise rules.invalid(op, f"paddings must be less than the dimension size: {before}, "
                                    f"{after} not less than {size} (dimension {i}, mode "
                                    f"REFLECT)")
        if mode == "SYMMETRIC" and max(before, after) > size:
            raise rules.invalid(op, f"paddings must be no greater than the dimension size: "
                                    f"{before}, {after} greater than {size} (dimension {i}, "
                                    f"mode SYMMETRIC)")


def _padded_shape(shape, paddings):
    return tuple(None if d is None else d + b + a for d, (b, a) in zip(shape, paddings))


def _pad_rule(x, paddings, constant_values):
    _check_paddings("PadV2", x.shape, paddings)
    return rules.Spec(_padded_shape(x.shape, paddings), x.dtype)


def _pad_kernel(x, paddings, constant_values):
    _check_paddings("PadV2", x.shape, paddings)
    if not paddings:
        return np.array(x)
    return np.pad(x, paddings, mode="constant", constant_values=constant_values)


def _pad_grad(ins, out, dy, paddings, constant_values):
    """dy without its padding: dy[before:-after] along each axis."""
    key = tuple((before, -after if after else None, 1) for before, after in paddings)
    return (StridedSlice(dy, key=key),)


def _pad_reference(x, paddings, constant_values):
    out = np.full(_padded_shape(x.shape, paddings), constant_values, dtype=x.dtype)
    out[tuple(slice(b, b + d) for d, (b, _) in zip(x.shape, paddings))] = x
    return out


def _pad_samples():
    gen = rng(71)
    cases = [((2, 3), ((1, 0), (2, 1)), 0.0), ((3,), ((0, 2),), 1.5), ((), (), 0.0),
             ((0, 2), ((1, 1), (0, 1)), -1.0), ((1, 1), ((0, 0), (0, 0)), 0.0)]
    for shape, paddings, value in cases:
        yield Sample((uniform(gen, shape),), dict(paddings=paddings, constant_values=value))
    yield Sample((uniform(gen, (2,), dtype=np.float32),), dict(paddings=((1, 1),),
                                                               constant_values=2.0), grad=False)
    yield Sample((integers(gen, (2, 2)),), dict(paddings=((1, 0), (0, 1)), constant_values=7),
                 grad=False)


PadV2 = defop("PadV2", _pad_kernel, _pad_rule, grad=_pad_grad, reference=_pad_reference,
              samples=_pad_samples)


def _mirror_pad_rule(x, paddings, mode):
    _check_paddings("MirrorPad", x.shape, paddings, mode)
    return rules.Spec(_padded_shape(x.shape, paddings), x.dtype)


def _mirror_pad_kernel(x, paddings, mode):
    _check_paddings("MirrorPad", x.shape, paddings, mode)
    if not paddings:
        return np.array(x)
    return np.pad(x, paddings, mode=mode.lower())


def _fold_axis(g, axis, before, after, offset):
    """Adds the two mirrored borders of `g` along `axis` back onto the centre they copied."""
    size = g.shape[axis] - before - after
    centre = np.take(g, np.arange(before, before + size), axis=axis)
    left = np.flip(np.take(g, np.arange(before), axis=axis), axis)
    right = np.flip(np.take(g, np.arange(before + size, before + size + after), axis=axis), axis)
    for border, start in ((left, offset), (right, size - offset - after)):
        window = [slice(None)] * g.ndim
        window[axis] = slice(start, start + border.shape[axis])
        centre[tuple(window)] += border
    return centre


def _mirror_pad_grad_kernel(dy, paddings, mode):
    shape = tuple(d - b - a for d, (b, a) in zip(np.shape(dy), paddings))
    _check_paddings("MirrorPadGrad", shape, paddings, mode)
    out = np.array(dy)
    for axis, (before, after) in enumerate(paddings):
        out = _fold_axis(out, axis, before, after, _MIRROR_OFFSET[mode])
    return out


def _mirror_pad_grad_rule(dy, paddings, mode):
    if len(paddings) != len(dy.shape):
        raise rules.invalid("MirrorPadGrad", f"The first dimension of paddings must be the rank "
                                             f"of inputs[{len(paddings)},2] {list(dy.shape)}")
    shape = tuple(None if d is None else d - b - a for d, (b, a) in zip(dy.shape, paddings))
    _check_paddings("MirrorPadGrad", shape, paddings, mode)
    return rules.Spec(shape, dy.dtype)


def _mirror_sources(size, before, after, mode):
    """For each padded position along one axis, the input position it copies."""
    offset = _MIRROR_OFFSET[mode]
    sources = []
    for p in range(size + before + after):
        q = p - before
        if q < 0:
            q = -q - 1 + offset
        elif q >= size:
            q = 2 * size - 1 - offset - q
        sources.append(q)
    return np.array(sources, dtype=np.intp)


def _mirror_maps(shape, paddings, mode):
    return np.ix_(*[_mirror_sources(d, b, a, mode) for d, (b, a) in zip(shape, paddings)])


def _mirror_pad_grad_reference(dy, paddings, mode):
    shape = tuple(d - b - a for d, (b, a) in zip(dy.shape, paddings))
    out = np.zeros(shape, dy.dtype)
    np.add.at(out, _mirror_maps(shape, paddings, mode), dy)
    return out


MIRROR_CASES = [((3,), ((2, 2),), "REFLECT"), ((3,), ((3, 1),), "SYMMETRIC"),
                ((2, 3), ((1, 1), (2, 0)), "REFLECT"), ((2, 3), ((2, 0), (1, 3)), "SYMMETRIC"),
                ((), (), "REFLECT"), ((0, 2), ((0, 0), (1, 1)), "SYMMETRIC")]


def _mirror_pad_samples():
    gen = rng(72)
    for shape, paddings, mode in MIRROR_CASES:
        yield Sample((uniform(gen, shape),), dict(paddings=paddings, mode=mode))
    yield Sample((integers(gen, (3,)),), dict(paddings=((1, 2),), mode="SYMMETRIC"), grad=False)


def _mirror_pad_grad_samples():
    gen = rng(73)
    for shape, paddings, mode in MIRROR_CASES:
        yield Sample((uniform(gen, _padded_shape(shape, paddings)),),
                     dict(paddings=paddings, mode=mode))


MirrorPad = defop(
    "MirrorPad", _mirror_pad_kernel, _mirror_pad_rule,
    grad=lambda ins, out, dy, paddings, mode: (MirrorPadGrad(dy, paddings=paddings, mode=mode),),
    reference=lambda x, paddings, mode: x[_mirror_maps(x.shape, paddings, mode)],
    samples=_mirror_pad_samples)
MirrorPadGrad = defop(
    "MirrorPadGrad", _mirror_pad_grad_kernel, _mirror_pad_grad_rule,
    grad=lambda ins, out, dy, paddings, mode: (MirrorPad(dy, paddings=paddings, mode=mode),),
    reference=_mirror_pad_grad_reference, samples=_mirror_pad_grad_samples)


def _padding_pairs(paddings, rank):
    paddings = np.asarray(paddings)
    if rank == 0 and paddings.size == 0:
        return ()
    if paddings.ndim != 2 or paddings.shape[1] != 2:
        raise InvalidArgumentError(f"paddings must be a matrix with 2 columns: "
                                   f"{list(paddings.shape)} [Op:Pad]")
    if paddings.shape[0] != rank:
        raise InvalidArgumentError(f"The first dimension of paddings must be the rank of "
                                   f"inputs{list(paddings.shape)}, but the input has rank {rank} "
                                   f"[Op:Pad]")
    return tuple((int(before), int(after)) for before, after in paddings)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """`tensor` padded by paddings[i] = [before, after] along each axis i."""
    tensor = convert_to_tensor(tensor)
    pairs = _padding_pairs(paddings, tensor._value.ndim)
    mode = str(mode).upper()
    if mode == "CONSTANT":
        value = convert_to_tensor(constant_values, dtype=tensor.dtype)._value
        return PadV2(tensor, paddings=pairs, constant_values=np.asarray(value).item())
    if mode in _MIRROR_OFFSET:
        return MirrorPad(tensor, paddings=pairs, mode=mode)
    raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                     f'or "SYMMETRIC". Received `mode` = {mode}')
