"""Segment reductions and counting: segment_sum, unsorted_segment_sum,
segment_mean, unsorted_segment_mean, bincount.

`segment_ids` label the leading rows of `data` (their shape is a prefix of
data's); row i goes to output row segment_ids[i], and negative ids drop the
row. The ops take the output length as an attribute (TF's num_segments/size
input; the sums and means take it as an extra input too when a graph knows it
only at run time); the sorted-id and bincount wrappers work it out from the
ids, as TF's Python wrappers do.
"""

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.convert import convert_to_tensor
from . import array_ops, creation
from . import shape_rules as rules
from .dynamic_shape import dim_inputs, run_time, static_dim
from .reductions import reduce_max, truncating_divide
from .registry import Sample, defop
from .sample_inputs import integers, rng, uniform

_ID_TYPES = frozenset((dtypes.int32, dtypes.int64))


def segment_rule(name):
    def rule(data, segment_ids, *given, num_segments):
        rules.require_dtype(name, segment_ids, _ID_TYPES, "segment_ids")
        prefix = tuple(data.shape[:len(segment_ids.shape)])
        if len(prefix) < len(segment_ids.shape) or any(
                a is not None and b is not None and a != b
                for a, b in zip(prefix, segment_ids.shape)):
            raise rules.invalid(name, f"segment_ids.shape = {list(segment_ids.shape)} must be "
                                      f"a prefix of data.shape = {list(data.shape)}")
        if num_segments is not None and num_segments < 0:
            raise rules.invalid(name, f"num_segments must be non-negative; got {num_segments}")
        return rules.Spec((num_segments,) + tuple(data.shape[len(segment_ids.shape):]),
                          data.dtype)
    return rule


def kept_rows(data, segment_ids, num_segments):
    """Flat ids of the rows that are kept, those rows of data, and the output shape."""
    ids = segment_ids.reshape(-1)
    too_big = np.flatnonzero(ids >= num_segments)
    if too_big.size:
        raise ValueError(f"segment_ids[{too_big[0]}] = {ids[too_big[0]]} is out of range "
                         f"[0, {num_segments})")
    rows = data.reshape((ids.size,) + data.shape[segment_ids.ndim:])
    keep = ids >= 0
    return ids[keep], rows[keep], (num_segments,) + data.shape[segment_ids.ndim:]


def _segment_sum_kernel(data, segment_ids, *given, num_segments):
    num_segments = run_time(num_segments, given)
    ids, rows, shape = kept_rows(data, segment_ids, num_segments)
    out = np.zeros(shape, dtype=data.dtype)
    np.add.at(out, ids, rows)
    return out


def _segment_mean_kernel(data, segment_ids, *given, num_segments):
    num_segments = run_time(num_segments, given)
    ids, rows, shape = kept_rows(data, segment_ids, num_segments)
    total = np.zeros(shape, dtype=data.dtype)
    np.add.at(total, ids, rows)
    counts = np.maximum(np.bincount(ids, minlength=num_segments), 1)
    counts = counts.reshape((num_segments,) + (1,) * (len(shape) - 1))
    if data.dtype.kind in "iu":
        return truncating_divide(total, counts.astype(data.dtype))
    return (total / counts).astype(data.dtype)


def segment_reference(combine, empty=lambda dtype: 0):
    """Collects each segment's rows with a Python loop and combines them; empty segments
    hold empty(dtype)."""
    def reference(data, segment_ids, *given, num_segments):
        num_segments = run_time(num_segments, given)
        rows = data.reshape((segment_ids.size,) + data.shape[segment_ids.ndim:])
        members = [[] for _ in range(num_segments)]
        for row, segment in zip(rows, segment_ids.reshape(-1)):
            if segment >= 0:
                members[segment].append(row.astype(np.float64))
        shape = data.shape[segment_ids.ndim:]
        filler = np.full(shape, empty(data.dtype), dtype=np.float64)
        return np.array([combine(m) if m else filler for m in members]).reshape(
            (num_segments,) + shape)
    return reference


def segment_samples():
    gen = rng(51)
    cases = [((5,), [0, 0, 1, 3, 3], 4), ((4, 2), [2, 0, 2, -1], 3), ((2, 3, 2), [[0, 1, 0],
             [1, -1, 1]], 2), ((3, 2), [0, 1, 1], 5), ((0, 2), [], 2), ((3,), [1, 1, 1], 2)]
    for shape, ids, num_segments in cases:
        yield Sample((uniform(gen, shape), np.array(ids, dtype=np.int32)),
                     dict(num_segments=num_segments))
    yield Sample((uniform(gen, (3, 2)).astype(np.float32), np.array([1, 0, 1], np.int64)),
                 dict(num_segments=2), grad=False)
    yield Sample((integers(gen, (4,)), np.array([0, 0, 1, 1], np.int32)),
                 dict(num_segments=3), grad=False)


def run_time_count_samples():
    """Segment sums and means given their count at run time."""
    yield from segment_samples()
    gen = rng(54)
    yield Sample((uniform(gen, (4, 2)), np.array([2, 0, 2, -1], np.int32), np.array(3)),
                 dict(num_segments=None))


UnsortedSegmentSum = defop(
    "UnsortedSegmentSum", _segment_sum_kernel, segment_rule("UnsortedSegmentSum"),
    grad=lambda ins, out, dy, num_segments: (gather_drop_negatives(dy, ins[1]), None),
    reference=segment_reference(lambda rows: np.sum(rows, axis=0)),
    samples=run_time_count_samples, same_dtype=False, dtypes=dtypes.NUMERIC)


def _gather_rule(params, indices):
    rules.require_dtype("GatherDropNegatives", indices, _ID_TYPES, "indices")
    rules.require_rank("GatherDropNegatives", params, 1, "params")
    return rules.Spec(tuple(indices.shape) + tuple(params.shape[1:]), params.dtype)


def gather_kernel(params, indices):
    rows = np.take(params, np.maximum(indices, 0), axis=0)
    rows[indices < 0] = 0
    return rows


def _gather_reference(params, indices):
    rows = [params[i] if i >= 0 else np.zeros(params.shape[1:], params.dtype)
            for i in indices.reshape(-1)]
    return np.array(rows, dtype=params.dtype).reshape(indices.shape + params.shape[1:])


def _gather_samples():
    gen = rng(52)
    for shape, indices in [((4,), [3, -1, 0, 3]), ((3, 2), [[2, 0], [-2, 1]]), ((2, 2), []),
                           ((1, 3), [0])]:
        yield Sample((uniform(gen, shape), np.array(indices, dtype=np.int32)), {})
    yield Sample((integers(gen, (3,)), np.array([2, -1], dtype=np.int64)), {}, grad=False)


# TF's _GatherDropNegatives: the gradient of the segment sums, and they of it.
GatherDropNegatives = defop(
    "GatherDropNegatives", gather_kernel, _gather_rule,
    grad=lambda ins, out, dy: (UnsortedSegmentSum(dy, ins[1], *dim_inputs(ins[0], 0),
                                                  num_segments=static_dim(ins[0], 0)), None),
    reference=_gather_reference, samples=_gather_samples, same_dtype=False)


def gather_drop_negatives(params, indices):
    """Rows of `params` at `indices`; rows for negative indices are zeros."""
    return GatherDropNegatives(params, indices)


def _segment_mean_grad_rule(dy, segment_ids):
    rules.require_dtype("UnsortedSegmentMeanGrad", segment_ids, _ID_TYPES, "segment_ids")
    return rules.Spec(tuple(segment_ids.shape) + tuple(dy.shape[1:]), dy.dtype)


def _segment_mean_grad_kernel(dy, segment_ids):
    counts = np.bincount(segment_ids[segment_ids >= 0], minlength=dy.shape[0])
    scaled = dy / np.maximum(counts, 1).reshape((-1,) + (1,) * (dy.ndim - 1))
    return gather_kernel(scaled.astype(dy.dtype), segment_ids)


def _segment_mean_grad_reference(dy, segment_ids):
    ids = segment_ids.reshape(-1).tolist()
    rows = [dy[i] / ids.count(i) if i >= 0 else np.zeros(dy.shape[1:]) for i in ids]
    return np.array(rows).reshape(segment_ids.shape + dy.shape[1:])


def _segment_mean_grad_samples():
    for sample in segment_samples():
        data, segment_ids = sample.inputs
        if data.dtype == np.float64:
            dy = uniform(rng(53), (sample.attrs["num_segments"],) + data.shape[
                segment_ids.ndim:])
            yield Sample((dy, segment_ids), {})


# The adjoint of the segment mean: each row gets its segment's dy over the segment's size.
UnsortedSegmentMeanGrad = defop(
    "UnsortedSegmentMeanGrad", _segment_mean_grad_kernel, _segment_mean_grad_rule,
    grad=lambda ins, out, dy: (UnsortedSegmentMean(dy, ins[1], *dim_inputs(ins[0], 0),
                                                   num_segments=static_dim(ins[0], 0)), None),
    reference=_segment_mean_grad_reference, samples=_segment_mean_grad_samples,
    same_dtype=False, dtypes=dtypes.FLOATS | dtypes.COMPLEX)


def _segment_mean_reference(data, segment_ids, *given, num_segments):
    if data.dtype.kind in "iu":
        def int_mean(rows):
            total = np.sum(rows, axis=0)
            return np.trunc(total / len(rows))
        return segment_reference(int_mean)(data, segment_ids, *given, num_segments=num_segments)
    return segment_reference(lambda rows: np.mean(rows, axis=0))(
        data, segment_ids, *given, num_segments=num_segments)


UnsortedSegmentMean = defop(
    "UnsortedSegmentMean", _segment_mean_kernel, segment_rule("UnsortedSegmentMean"),
    grad=lambda ins, out, dy, num_segments: (UnsortedSegmentMeanGrad(dy, ins[1]), None),
    reference=_segment_mean_reference, samples=run_time_count_samples, same_dtype=False,
    dtypes=dtypes.NUMERIC)


def _bincount_rule(arr, weights, size, binary_output):
    if len(arr.shape) not in (1, 2):
        raise rules.invalid("DenseBincount", f"arr must be 1-D or 2-D; got shape "
                                             f"{list(arr.shape)}")
    if tuple(weights.shape) != tuple(arr.shape):
        raise rules.invalid("DenseBincount", f"weights {list(weights.shape)} must have the "
                                             f"shape of arr {list(arr.shape)}")
    if size < 0:
        raise rules.invalid("DenseBincount", f"size ({size}) must be non-negative")
    return rules.Spec(tuple(arr.shape[:-1]) + (size,), weights.dtype)


def _bincount_kernel(arr, weights, size, binary_output):
    if arr.size and arr.min() < 0:
        raise ValueError("Input arr must be non-negative!")
    out = np.zeros(arr.shape[:-1] + (size,), dtype=weights.dtype)
    keep = arr < size
    if arr.ndim == 2:
        row_of = np.broadcast_to(np.arange(arr.shape[0])[:, None], arr.shape)
        position = (row_of[keep], arr[keep])
    else:
        position = (arr[keep],)
    if binary_output:
        out[position] = 1
    else:
        np.add.at(out, position, weights[keep])
    return out


def _bincount_reference(arr, weights, size, binary_output):
    lines = arr.reshape(-1, arr.shape[-1]) if arr.ndim == 2 else arr[None]
    weight_lines = weights.reshape(lines.shape)
    out = np.zeros((len(lines), size))
    for row, (line, weight_line) in enumerate(zip(lines, weight_lines)):
        for value, weight in zip(line, weight_line):
            if value < size:
                out[row, value] = 1 if binary_output else out[row, value] + weight
    return out.reshape(arr.shape[:-1] + (size,))


def _bincount_samples():
    gen = rng(54)
    arr = np.array([1, 3, 1, 0, 6], dtype=np.int32)
    yield Sample((arr, np.ones(5, np.int32)), dict(size=7, binary_output=False), grad=False)
    yield Sample((arr, uniform(gen, (5,))), dict(size=4, binary_output=False), grad=False)
    yield Sample((arr, np.ones(5, np.float32)), dict(size=5, binary_output=True), grad=False)
    rows = np.array([[0, 2, 2], [1, 1, 4]], dtype=np.int64)
    yield Sample((rows, uniform(gen, (2, 3)).astype(np.float32)),
                 dict(size=5, binary_output=False), grad=False)
    yield Sample((np.zeros(0, np.int32), np.zeros(0, np.float64)),
                 dict(size=2, binary_output=False), grad=False)


DenseBincount = defop("DenseBincount", _bincount_kernel, _bincount_rule, grad=None,
                      reference=_bincount_reference, samples=_bincount_samples,
                      same_dtype=False, dtypes=_ID_TYPES)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums the rows of `data` into `num_segments` rows by `segment_ids` (any order)."""
    given, count = _count_args(num_segments)
    return UnsortedSegmentSum(data, segment_ids, *given, num_segments=count)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Means of the rows of `data` per segment (0 for empty segments)."""
    given, count = _count_args(num_segments)
    return UnsortedSegmentMean(data, segment_ids, *given, num_segments=count)


def _count_args(num_segments):
    """(extra inputs, attribute): a symbolic count (in a graph) is given at run time."""
    if context.is_symbolic(num_segments):
        return (num_segments,), None
    return (), as_count(num_segments)


def as_count(value):
    return int(np.asarray(value).reshape(()))


def sorted_segments(op, segment_ids):
    """The ids of a sorted-segment op, checked as TF does, and how many segments they make."""
    segment_ids = convert_to_tensor(segment_ids)
    ids = np.asarray(segment_ids)
    if ids.ndim != 1:
        raise InvalidArgumentError(f"segment_ids should be a vector; got shape "
                                   f"{list(ids.shape)} [Op:{op}]")
    if ids.size and ids[0] < 0:
        raise InvalidArgumentError(f"segment ids must be >= 0; got {ids[0]} [Op:{op}]")
    if np.any(ids[1:] < ids[:-1]):
        raise InvalidArgumentError(f"segment ids are not increasing: {ids.tolist()} [Op:{op}]")
    return segment_ids, int(ids[-1]) + 1 if ids.size else 0


def segment_sum(data, segment_ids, name=None):
    """Sums the rows of `data` by sorted `segment_ids`; max id + 1 output rows."""
    segment_ids, num_segments = sorted_segments("SegmentSum", segment_ids)
    return UnsortedSegmentSum(data, segment_ids, num_segments=num_segments)


def segment_mean(data, segment_ids, name=None):
    """Means of the rows of `data` by sorted `segment_ids` (0 for empty segments)."""
    segment_ids, num_segments = sorted_segments("SegmentMean", segment_ids)
    return UnsortedSegmentMean(data, segment_ids, num_segments=num_segments)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None,
             axis=None, binary_output=False):
    """Counts (or sums `weights`) per non-negative integer value of `arr`."""
    arr = convert_to_tensor(arr)
    if weights is not None and binary_output:
        raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. "
                         "Please specify only one.")
    if axis not in (None, 0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are "
                         f"currently supported.")
    weights = (creation.ones_like(arr, dtype=dtype) if weights is None
               else convert_to_tensor(weights))
    if axis in (None, 0):
        arr, weights = array_ops.reshape(arr, (-1,)), array_ops.reshape(weights, (-1,))
    size = max(int(reduce_max(arr)) + 1, 0)
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        size = min(size, int(maxlength))
    return DenseBincount(arr, weights, size=size, binary_output=bool(binary_output))
