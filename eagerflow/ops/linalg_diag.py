"""Diagonals and bands of (batched) matrices: diag_part, diag, band_part, trace.

A band of diagonals k = (lower, upper) is stored TF's way: one row per
diagonal, from `upper` down to `lower`, each `max_diag_len` long, shorter
diagonals padded on the side `align` names ("RIGHT_LEFT": superdiagonals
right-aligned, subdiagonals left-aligned). A single diagonal drops that row
axis. diag and diag_part are each other's gradient.
"""

import itertools

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from . import reductions
from . import shape_rules as rules
from .dynamic_shape import dim_inputs, run_time, static_dim
from .registry import Sample, defop
from .sample_inputs import rng, uniform

_ALIGNMENTS = {"LEFT_LEFT": (True, True), "LEFT_RIGHT": (True, False),
               "RIGHT_LEFT": (False, True), "RIGHT_RIGHT": (False, False)}


def max_diag_len(lower, upper, rows, cols):
    return max(0, min(rows + min(upper, 0), cols - max(lower, 0)))


def band_indices(lower, upper, rows, cols, align):
    """Row and column of each stored slot [diagonal, position], and which slots hold an
    entry (the rest are padding)."""
    diags = np.arange(upper, lower - 1, -1)[:, None]
    lengths = np.minimum(rows + np.minimum(diags, 0), cols - np.maximum(diags, 0))
    super_left, sub_left = _ALIGNMENTS[align]
    left = ((diags >= 0) & super_left) | ((diags <= 0) & sub_left)
    width = max_diag_len(lower, upper, rows, cols)
    position = np.arange(width)[None, :] - np.where(left, 0, width - lengths)
    valid = (position >= 0) & (position < lengths)
    row = np.where(valid, position + np.maximum(-diags, 0), 0)
    col = np.where(valid, position + np.maximum(diags, 0), 0)
    return row, col, valid


def _band_fits(lower, upper, rows, cols):
    """TF's rule: diagonals -rows < k < cols (any k for an empty axis)."""
    return lower <= upper and not (rows and lower <= -rows) and not (cols and upper >= cols)


def _check_band(op, lower, upper, rows, cols, align):
    if align not in _ALIGNMENTS:
        raise rules.invalid(op, f"align must be one of {sorted(_ALIGNMENTS)}; got {align!r}")
    if lower > upper:
        raise rules.invalid(op, f"lower diagonal index must not be larger than upper "
                                f"diagonal index: {lower} > {upper}")
    if not _band_fits(lower, upper, rows, cols):
        raise rules.invalid(op, f"Diagonal band ({lower}, {upper}) must lie within a "
                                f"{rows}x{cols} matrix: indices in ({-rows}, {cols})")


# --- MatrixDiagPartV3 -----------------------------------------------------------------------

def _diag_part_kernel(x, lower=0, upper=0, padding_value=0, align="RIGHT_LEFT"):
    rows, cols = x.shape[-2:]
    if not _band_fits(lower, upper, rows, cols):
        raise ValueError("diagonal band out of range")  # the shape rule explains it
    if lower == upper:
        return np.diagonal(x, offset=lower, axis1=-2, axis2=-1)
    row, col, valid = band_indices(lower, upper, rows, cols, align)
    return np.where(valid, x[..., row, col], np.asarray(padding_value, dtype=x.dtype))


def _diag_part_rule(x, lower=0, upper=0, padding_value=0, align="RIGHT_LEFT"):
    rules.require_rank("MatrixDiagPartV3", x, 2)
    rows, cols = x.shape[-2:]
    width = None
    if None not in (rows, cols):
        _check_band("MatrixDiagPartV3", lower, upper, rows, cols, align)
        width = max_diag_len(lower, upper, rows, cols)
    band = () if lower == upper else (upper - lower + 1,)
    return rules.Spec(tuple(x.shape[:-2]) + band + (width,), x.dtype)


def _diag_part_grad(inputs, output, dy, lower=0, upper=0, padding_value=0, align="RIGHT_LEFT"):
    x = inputs[0]
    rows, cols = static_dim(x, slice(-2, None))
    return (MatrixDiagV3(dy, *dim_inputs(x, slice(-2, None)), lower=lower, upper=upper,
                         num_rows=rows, num_cols=cols, padding_value=0, align=align),)


def _diag_part_reference(x, lower=0, upper=0, padding_value=0, align="RIGHT_LEFT"):
    rows, cols = x.shape[-2:]
    width = max_diag_len(lower, upper, rows, cols)
    out = np.full(x.shape[:-2] + (upper - lower + 1, width), padding_value, x.dtype)
    for slot, d in enumerate(range(upper, lower - 1, -1)):
        entries = [x[..., i, i + d] for i in range(rows) if 0 <= i + d < cols]
        left = _ALIGNMENTS[align][0 if d >= 0 else 1] or (d == 0 and _ALIGNMENTS[align][1])
        start = 0 if left else width - len(entries)
        for p, value in enumerate(entries):
            out[..., slot, start + p] = value
    return out[..., 0, :] if lower == upper else out


def _diag_part_samples():
    gen = rng(41)
    cases = [((3, 3), 0, 0), ((2, 3), 1, 1), ((3, 2), -1, -1), ((2, 3, 4), 0, 0),
             ((1, 1), 0, 0), ((0, 2), 0, 0), ((3, 4), -1, 2), ((4, 3), -2, 0),
             ((2, 3, 3), -2, 2)]
    for shape, lower, upper in cases:
        yield Sample((uniform(gen, shape),), dict(lower=lower, upper=upper))
    for align in ("LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"):
        yield Sample((uniform(gen, (3, 4)),), dict(lower=-1, upper=1, align=align,
                                                   padding_value=9.0))
    yield Sample((gen.integers(-5, 5, (3, 3)).astype(np.int32),), dict(lower=-1, upper=0),
                 grad=False)


MatrixDiagPartV3 = defop("MatrixDiagPartV3", _diag_part_kernel, _diag_part_rule,
                         grad=_diag_part_grad, reference=_diag_part_reference,
                         samples=_diag_part_samples)


def _diagonal_range(k):
    """TF's `k` (an int, or a pair for a band) as (lower, upper)."""
    k = np.asarray(k).reshape(-1).tolist()
    if len(k) not in (1, 2):
        raise ValueError(f"k must be a scalar or a pair of diagonal indices; got {k}.")
    return int(k[0]), int(k[-1])


def diag_part(input, name="diag_part", k=0, padding_value=0,  # noqa: A002  (TF's name)
              align="RIGHT_LEFT"):
    """The k-th diagonal (or band of diagonals) of each matrix in `input`."""
    lower, upper = _diagonal_range(k)
    return MatrixDiagPartV3(input, lower=lower, upper=upper,
                            padding_value=_scalar(padding_value), align=align)


def _scalar(value):
    return np.asarray(value).item()


# --- MatrixDiagV3 (given [num_rows, num_cols] as an extra input when a graph knows them
# only at run time) -------------------------------------------------------------------------

def _diag_kernel(diagonal, *given, lower, upper, num_rows, num_cols, padding_value=0,
                 align="RIGHT_LEFT"):
    num_rows, num_cols = run_time((num_rows, num_cols), given)
    if lower == upper:
        diagonal = diagonal[..., None, :]
    row, col, valid = band_indices(lower, upper, num_rows, num_cols, align)
    if diagonal.shape[-2:] != valid.shape:
        raise ValueError("the diagonals do not fit the matrix shape")
    out = np.full(diagonal.shape[:-2] + (num_rows, num_cols), padding_value, diagonal.dtype)
    out[..., row[valid], col[valid]] = diagonal[..., valid]
    return out


def _diag_rule(diagonal, *given, lower, upper, num_rows, num_cols, padding_value=0,
               align="RIGHT_LEFT"):
    band = lower != upper
    rules.require_rank("MatrixDiagV3", diagonal, 2 if band else 1, "the diagonal")
    width = None
    if None not in (num_rows, num_cols):
        _check_band("MatrixDiagV3", lower, upper, num_rows, num_cols, align)
        width = max_diag_len(lower, upper, num_rows, num_cols)
    expected = ((upper - lower + 1,) if band else ()) + (width,)
    got = tuple(diagonal.shape[-len(expected):])
    if any(None not in (g, e) and g != e for g, e in zip(got, expected)):
        raise rules.invalid("MatrixDiagV3", f"diagonals of shape {list(diagonal.shape)} do not "
                                            f"fit a {num_rows}x{num_cols} matrix with k = "
                                            f"({lower}, {upper}): their last axes must be "
                                            f"{list(expected)}")
    batch = tuple(diagonal.shape[:-len(expected)])
    return rules.Spec(batch + (num_rows, num_cols), diagonal.dtype)


def _diag_reference(diagonal, *given, lower, upper, num_rows, num_cols, padding_value=0,
                    align="RIGHT_LEFT"):
    num_rows, num_cols = run_time((num_rows, num_cols), given)
    if lower == upper:
        diagonal = diagonal[..., None, :]
    out = np.full(diagonal.shape[:-2] + (num_rows, num_cols), padding_value, diagonal.dtype)
    width = diagonal.shape[-1]
    for slot, d in enumerate(range(upper, lower - 1, -1)):
        cells = [(i, i + d) for i in range(num_rows) if 0 <= i + d < num_cols]
        left = _ALIGNMENTS[align][0 if d >= 0 else 1] or (d == 0 and _ALIGNMENTS[align][1])
        start = 0 if left else width - len(cells)
        for p, (i, j) in enumerate(cells):
            out[..., i, j] = diagonal[..., slot, start + p]
    return out


def _diag_samples():
    gen = rng(42)
    cases = [((3,), 0, 0, 3, 3), ((2,), 1, 1, 2, 3), ((2,), -1, -1, 3, 2), ((2, 3), 0, 0, 3, 3),
             ((1,), 0, 0, 1, 1), ((0,), 0, 0, 0, 0), ((2,), 0, 0, 2, 4), ((4, 3), -1, 2, 3, 4),
             ((2, 3, 3), -2, 0, 4, 3)]
    for shape, lower, upper, rows, cols in cases:
        yield Sample((uniform(gen, shape),), dict(lower=lower, upper=upper, num_rows=rows,
                                                  num_cols=cols))
    yield Sample((uniform(gen, (3, 3)),), dict(lower=-1, upper=1, num_rows=3, num_cols=4,
                                               padding_value=5.0, align="LEFT_RIGHT"))
    yield Sample((uniform(gen, (2, 3)), np.array([3, 4])),
                 dict(lower=0, upper=0, num_rows=None, num_cols=4))
    yield Sample((gen.integers(-5, 5, (3,)).astype(np.int32),),
                 dict(lower=0, upper=0, num_rows=3, num_cols=3, padding_value=-1), grad=False)


MatrixDiagV3 = defop(
    "MatrixDiagV3", _diag_kernel, _diag_rule,
    grad=lambda ins, out, dy, lower, upper, num_rows, num_cols, padding_value=0,
    align="RIGHT_LEFT": (MatrixDiagPartV3(dy, lower=lower, upper=upper, align=align),),
    reference=_diag_reference, samples=_diag_samples, same_dtype=False)


def _matrix_size(width, lower, upper, num_rows, num_cols):
    """TF's num_rows/num_cols (-1: the smallest that fits the diagonals)."""
    min_rows = width - min(upper, 0)
    min_cols = width + max(lower, 0)
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows == -1:
        num_rows = min_rows
    elif num_cols == -1:
        num_cols = min_cols
    if num_rows != min_rows and num_cols != min_cols:
        raise rules.invalid("MatrixDiagV3", f"The number of rows or columns is not consistent "
                                            f"with the specified d_lower ({lower}), d_upper "
                                            f"({upper}), and diagonal length ({width}): got "
                                            f"num_rows={num_rows}, num_cols={num_cols}")
    return num_rows, num_cols


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """Matrices with `diagonal` on their k-th diagonal(s) and `padding_value` elsewhere."""
    diagonal = convert_to_tensor(diagonal)
    lower, upper = _diagonal_range(k)
    if diagonal.ndim < 1:
        raise ValueError(f"diag: `diagonal` must have rank at least 1; got shape "
                         f"{diagonal.shape}.")
    num_rows, num_cols = _matrix_size(diagonal.shape[-1], lower, upper, int(num_rows),
                                      int(num_cols))
    return MatrixDiagV3(diagonal, lower=lower, upper=upper, num_rows=num_rows,
                        num_cols=num_cols, padding_value=_scalar(padding_value), align=align)


# --- MatrixBandPart and trace ---------------------------------------------------------------

def _in_band(rows, cols, num_lower, num_upper):
    offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]
    return (((num_lower < 0) | (offset >= -num_lower))
            & ((num_upper < 0) | (offset <= num_upper)))


def _band_part_kernel(x, num_lower, num_upper):
    rows, cols = x.shape[-2:]
    if num_lower > rows or num_upper > cols:
        raise ValueError("band wider than the matrix")  # the shape rule explains it
    keep = _in_band(rows, cols, num_lower, num_upper)
    return np.where(keep, x, np.zeros((), x.dtype))


def _band_part_rule(x, num_lower, num_upper):
    rules.require_rank("MatrixBandPart", x, 2)
    rows, cols = x.shape[-2:]
    if rows is not None and num_lower > rows:
        raise rules.invalid("MatrixBandPart", f"num_lower must be negative or less or equal "
                                              f"to number of rows ({rows}) got: {num_lower}")
    if cols is not None and num_upper > cols:
        raise rules.invalid("MatrixBandPart", f"num_upper must be negative or less or equal "
                                              f"to number of columns ({cols}) got: "
                                              f"{num_upper}")
    return rules.Spec(x.shape, x.dtype)


def _band_part_reference(x, num_lower, num_upper):
    out = np.zeros_like(x)
    for i, j in itertools.product(range(x.shape[-2]), range(x.shape[-1])):
        if (num_lower < 0 or i - j <= num_lower) and (num_upper < 0 or j - i <= num_upper):
            out[..., i, j] = x[..., i, j]
    return out


def _band_part_samples():
    gen = rng(43)
    cases = [((3, 3), 0, 0), ((3, 4), 1, -1), ((4, 3), -1, 1), ((2, 3, 3), -1, -1),
             ((2, 2), 2, 0), ((0, 3), 0, 1), ((1, 1), 0, 0)]
    for shape, lower, upper in cases:
        yield Sample((uniform(gen, shape),), dict(num_lower=lower, num_upper=upper))
    yield Sample((gen.integers(-5, 5, (3, 3)).astype(np.int32),),
                 dict(num_lower=1, num_upper=0), grad=False)


MatrixBandPart = defop(
    "MatrixBandPart", _band_part_kernel, _band_part_rule,
    grad=lambda ins, out, dy, num_lower, num_upper: (
        MatrixBandPart(dy, num_lower=num_lower, num_upper=num_upper),),
    reference=_band_part_reference, samples=_band_part_samples,
    dtypes=dtypes.NUMERIC | {dtypes.bool})


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002  (TF's argument name)
    """Keeps `num_lower` subdiagonals and `num_upper` superdiagonals (negative: all)."""
    return MatrixBandPart(input, num_lower=int(num_lower), num_upper=int(num_upper))


def trace(x, name=None):
    """The sum of the main diagonal of each matrix in `x`."""
    return reductions.reduce_sum(diag_part(x), axis=-1)
