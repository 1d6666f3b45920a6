"""Einstein summation: einsum, and tensordot built on it.

The Einsum op keeps the user's equation as its attribute (NumPy runs it as
written); `parse` spells it out with one letter per axis, which is what the
shape rule and the gradient work with. The gradient of each operand is itself
an einsum of the output gradient with the other operands.
"""

import functools
import itertools
import string
from collections import Counter

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor, wrap
from . import comparison, creation, dynamic_shape, math_unary
from . import shape_rules as rules
from .registry import Sample, convert_inputs, defop
from .sample_inputs import rng, uniform

_LETTERS = string.ascii_letters
# Above this many elements in two operands, NumPy's contraction path (BLAS) pays off.
_OPTIMIZE_FROM_SIZE = 2048


def _fail(message):
    return rules.invalid("Einsum", message)


def _check_term(term, where):
    if term.count("...") > 1 or any(c not in _LETTERS for c in term.replace("...", "")):
        raise _fail(f"subscripts '{term}' of {where} must be letters with at most one '...'")


@functools.lru_cache(maxsize=1024)
def parse(equation, ranks):
    """(input subscripts, output subscripts, ellipsis letters) with '...' spelled out
    as letters (right-aligned across inputs) and an implicit output made explicit."""
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks):
        raise _fail(f"equation '{equation}' has {len(terms)} input subscripts but "
                    f"{len(ranks)} inputs were given")
    ellipsis_ranks = []
    for i, (term, rank) in enumerate(zip(terms, ranks)):
        _check_term(term, f"input {i}")
        named = len(term.replace("...", ""))
        spare = rank - named
        if spare < 0 or (spare and "..." not in term):
            raise _fail(f"input {i} has rank {rank} but its subscripts '{term}' name "
                        f"{named} axes")
        ellipsis_ranks.append(spare if "..." in term else 0)
    width = max(ellipsis_ranks, default=0)
    ellipsis = "".join(c for c in _LETTERS if c not in equation)[:width]
    inputs = tuple(term.replace("...", ellipsis[width - e:])
                   for term, e in zip(terms, ellipsis_ranks))
    if arrow:
        return inputs, _explicit_output(rhs, inputs, ellipsis), ellipsis
    counts = Counter("".join(terms).replace("...", ""))
    return inputs, ellipsis + "".join(sorted(c for c, n in counts.items() if n == 1)), ellipsis


def _explicit_output(rhs, inputs, ellipsis):
    _check_term(rhs, "the output")
    if ellipsis and "..." not in rhs:
        raise _fail(f"output subscripts '{rhs}' need '...' because the inputs have "
                    f"{len(ellipsis)} axes under their ellipsis")
    output = rhs.replace("...", ellipsis)
    used = set("".join(inputs))
    for letter in output:
        if output.count(letter) > 1:
            raise _fail(f"output subscript '{letter}' appears more than once in '{rhs}'")
        if letter not in used:
            raise _fail(f"output subscript '{letter}' does not appear in any input")
    return output


def letter_sizes(subscripts, shapes, ellipsis):
    """Each letter's size; ellipsis letters broadcast (size 1 stretches), others must match."""
    sizes = {}
    for i, (term, shape) in enumerate(zip(subscripts, shapes)):
        for axis, (letter, dim) in enumerate(zip(term, shape)):
            known = sizes.get(letter, dim)
            if None in (known, dim):
                other = dim if known is None else known
                # An unknown size broadcast against 1 could be anything.
                sizes[letter] = None if letter in ellipsis and other == 1 else other
            elif known == dim:
                sizes[letter] = dim
            elif letter in ellipsis and 1 in (known, dim):
                sizes[letter] = max(known, dim)
            else:
                raise _fail(f"dimension {axis} of input {i} (shape {list(shape)}) has size "
                            f"{dim} but subscript '{letter}' has size {known} elsewhere; "
                            f"{'broadcast ' if letter in ellipsis else ''}sizes must match")
    return sizes


def _einsum_rule(*specs, equation):
    # Like the kernel (NumPy), any size-1 axis stretches; tf.einsum checks TF's stricter
    # rule before it makes the op, and gradients use the stretching.
    shapes = [s.shape for s in specs]
    inputs, output, _ = parse(equation, tuple(len(s) for s in shapes))
    sizes = letter_sizes(inputs, shapes, _LETTERS)
    return rules.Spec(tuple(sizes[letter] for letter in output), specs[0].dtype)


def _einsum_kernel(*operands, equation):
    count = len(operands)
    optimize = count > 2 or (count == 2 and operands[0].size + operands[1].size
                             > _OPTIMIZE_FROM_SIZE)
    return np.einsum(equation, *operands, optimize=optimize)


def _einsum_grad(inputs, output, dy, equation):
    ranks = tuple(len(dynamic_shape.static_shape(x)) for x in inputs)
    subscripts, out, _ = parse(equation, ranks)
    return tuple(_operand_grad(k, subscripts, out, inputs, dy) for k in range(len(inputs)))


def _ones(size, dtype):
    """A vector of `size` ones (size: an int, or a scalar tensor in a graph)."""
    if isinstance(size, int):
        return wrap(np.ones(size, dtype=dtype.as_numpy_dtype))
    return dynamic_shape.broadcast_to(convert_to_tensor(1, dtype=dtype), [size])


def _eye(size, dtype):
    """The `size` x `size` identity (size: an int, or a scalar tensor in a graph)."""
    if isinstance(size, int):
        return wrap(np.eye(size, dtype=dtype.as_numpy_dtype))
    steps = creation.range(size)
    return math_unary.cast(comparison.equal(steps[:, None], steps[None, :]), dtype)


def _operand_grad(k, subscripts, out, inputs, dy):
    """einsum(dy, other operands -> operand k's subscripts). Letters only operand k has
    are broadcast in with ones; a repeated letter (a diagonal) is put back with an eye.
    Broadcast (ellipsis) letters are all in the output at full size, and where operand k
    has size 1 the tape sums the gradient back down."""
    terms = [out] + [s for j, s in enumerate(subscripts) if j != k]
    operands = [dy] + [x for j, x in enumerate(inputs) if j != k]
    available = set("".join(terms))
    spare = iter(c for c in _LETTERS if c not in "".join(subscripts) + out)
    result = ""
    for axis, letter in enumerate(subscripts[k]):
        if letter in result:
            twin = next(spare)
            terms.append(letter + twin)
            operands.append(_eye(dynamic_shape.dim(inputs[k], axis), dy.dtype))
            letter = twin
        elif letter not in available:
            terms.append(letter)
            operands.append(_ones(dynamic_shape.dim(inputs[k], axis), dy.dtype))
            available.add(letter)
        result += letter
    return Einsum(*operands, equation=",".join(terms) + "->" + result)


def _einsum_reference(*operands, equation):
    """Sums products over every assignment of the letters, one element at a time."""
    subscripts, out, _ = parse(equation, tuple(a.ndim for a in operands))
    sizes = letter_sizes(subscripts, [a.shape for a in operands], "".join(_LETTERS))
    letters = sorted(sizes)
    result = np.zeros(tuple(sizes[c] for c in out), dtype=np.complex128)
    for values in itertools.product(*(range(sizes[c]) for c in letters)):
        at = dict(zip(letters, values))
        term = 1
        for a, subs in zip(operands, subscripts):
            term *= a[tuple(at[c] if d > 1 else 0 for c, d in zip(subs, a.shape))]
        result[tuple(at[c] for c in out)] += term
    return result if np.iscomplexobj(operands[0]) else result.real


_EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 2)]), ("ij,jk", [(2, 3), (3, 2)]), ("ii->", [(3, 3)]),
    ("ii->i", [(3, 3)]), ("ii", [(2, 2)]), ("iij->ji", [(2, 2, 3)]), ("ij->", [(2, 3)]),
    ("ij->ji", [(2, 3)]), ("ij->i", [(2, 3)]), ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]), (",ij->ij", [(), (2, 3)]), ("bij,bjk,bkl->bil",
                                                            [(2, 2, 3), (2, 3, 2), (2, 2, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]), ("...i->...", [(2, 3)]),
    ("i...,i...->...", [(2, 3), (2, 1)]), ("...i,...i->...", [(3, 2), (1, 2)]),
    ("Ab,bC->CA", [(2, 3), (3, 2)]),
    ("ij,jk->ik", [(0, 3), (3, 2)]), ("ij,jk->ik", [(2, 0), (0, 3)]), ("ij->j", [(1, 3)]),
]


def _einsum_samples():
    gen = rng(21)
    for equation, shapes in _EINSUM_CASES:
        yield Sample(tuple(uniform(gen, s) for s in shapes), dict(equation=equation))
    yield Sample((uniform(gen, (2, 3)).astype(np.float32), uniform(gen, (3,)).astype(np.float32)),
                 dict(equation="ij,j->i"), grad=False)
    yield Sample((gen.integers(-5, 5, (2, 3)).astype(np.int32),
                  gen.integers(-5, 5, (3, 2)).astype(np.int32)), dict(equation="ij,jk->ik"),
                 grad=False)


Einsum = defop("Einsum", _einsum_kernel, _einsum_rule, grad=_einsum_grad,
               reference=_einsum_reference, samples=_einsum_samples,
               dtypes=dtypes.FLOATS | dtypes.COMPLEX | {dtypes.int32, dtypes.int64},
               broadcasts=True)


@functools.lru_cache(maxsize=1024)
def _check_shapes(equation, shapes):
    subscripts, _, ellipsis = parse(equation, tuple(len(s) for s in shapes))
    letter_sizes(subscripts, shapes, ellipsis)


def _checked_einsum(equation, operands):
    """Runs Einsum after TF's checks (NumPy would also stretch size-1 named axes)."""
    tensors = convert_inputs(Einsum, operands)
    _check_shapes(equation, tuple(t._value.shape for t in tensors))
    return Einsum(*tensors, equation=equation)


def einsum(equation, *inputs, **kwargs):
    """Tensor contraction over the indices named by an Einstein-summation equation."""
    unknown = set(kwargs) - {"name", "optimize"}
    if unknown:
        raise TypeError(f"Invalid keyword arguments for einsum: {', '.join(sorted(unknown))}")
    if not inputs:
        raise ValueError("einsum needs at least one input tensor after the equation.")
    return _checked_einsum(equation.replace(" ", ""), inputs)


def _axes_pair(axes, rank_a, rank_b):
    """TF's tensordot `axes` (an int N, or a pair of axis lists) as two lists of axes."""
    if isinstance(axes, (Tensor, np.ndarray, np.integer)):
        axes = np.asarray(axes).tolist()
    if isinstance(axes, int):
        if axes < 0:
            raise ValueError(f"'axes' must be at least 0; got {axes}.")
        if axes > min(rank_a, rank_b):
            raise ValueError(f"'axes' must not be larger than the number of dimensions of "
                             f"either tensor; got {axes} for ranks {rank_a} and {rank_b}.")
        return list(range(rank_a - axes, rank_a)), list(range(axes))
    if len(axes) != 2:
        raise ValueError(f"'axes' must be an integer or have length 2; got {axes}.")
    a_axes, b_axes = (np.asarray(x).reshape(-1).tolist() for x in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes 'a' and 'b', "
                         f"{len(a_axes)} != {len(b_axes)}.")
    return ([rules.normalize_axis("Tensordot", a, rank_a) for a in a_axes],
            [rules.normalize_axis("Tensordot", b, rank_b) for b in b_axes])


def tensordot(a, b, axes, name=None):
    """Sums the products of `a` and `b` over the axes listed in `axes`."""
    a, b = convert_inputs(Einsum, (a, b))
    rank_a, rank_b = a.ndim, b.ndim
    a_axes, b_axes = _axes_pair(axes, rank_a, rank_b)
    a_letters = _LETTERS[:rank_a]
    b_letters = list(_LETTERS[rank_a:rank_a + rank_b])
    for i, j in zip(a_axes, b_axes):
        b_letters[j] = a_letters[i]
    free_a = "".join(c for i, c in enumerate(a_letters) if i not in a_axes)
    free_b = "".join(c for j, c in enumerate(b_letters) if j not in b_axes)
    return _checked_einsum(f"{a_letters},{''.join(b_letters)}->{free_a}{free_b}", (a, b))
