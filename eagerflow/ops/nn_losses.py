"""Fused cross-entropy losses on logits: softmax, sparse softmax and sigmoid.

Each is one primitive with a stable kernel (log-sum-exp after subtracting the
max; the |x| form of the logistic loss) and a gradient written in ops
(softmax - labels, sigmoid - labels, …). float16 logits go through the softmax
losses in float32 and the loss is cast back, as TF does. Op inputs follow TF's
op order (logits first); the public functions take TF's (labels, logits).
"""

import math

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from . import array_shape, math_binary, math_unary, reductions
from . import sample_inputs as si
from . import shape_rules as rules
from .nn_activations import (along_rows, log_softmax, log_softmax_row,
                             quiet_unless_infinite, row_max, softmax)
from .registry import Sample, defop

_LABEL_DTYPES = (dtypes.int32, dtypes.int64)


def _shifted_and_log_total(logits, axis):
    """(logits - max, log Σ exp(logits - max)) along `axis`, float16 computed in float32."""
    if logits.ndim == 0:
        raise ValueError("logits need a class axis; got a scalar")
    if logits.dtype == np.float16:
        logits = logits.astype(np.float32)
    shifted = logits - np.max(logits, axis=axis, keepdims=True, initial=-np.inf)
    return shifted, np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _per_example(dy, logits, axis):
    """The loss gradient dy with the class axis it lost restored as size 1."""
    return array_shape.expand_dims(dy, axis)


def _compatible(shape, other):
    """Whether two shapes can be equal (unknown dims match anything)."""
    return len(shape) == len(other) and all(
        a == b for a, b in zip(shape, other) if a is not None and b is not None)


def _like(value, tensor):
    """`value` as a tensor; Python values and arrays take `tensor`'s dtype."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        return convert_to_tensor(value)
    return convert_to_tensor(value, dtype=tensor.dtype)


def _distribution(gen, shape, axis=-1):
    weights = gen.uniform(0.1, 1.0, size=shape)
    return weights / np.sum(weights, axis=axis, keepdims=True)


# --- softmax_cross_entropy_with_logits ------------------------------------------------------

def _xent_kernel(logits, labels, axis):
    if labels.shape != logits.shape and np.broadcast_shapes(labels.shape,
                                                            logits.shape) != logits.shape:
        raise ValueError("labels do not broadcast to the shape of logits")
    with np.errstate(invalid="ignore", divide="ignore"):
        shifted, log_total = _shifted_and_log_total(logits, axis)
        loss = np.sum(labels * (log_total - shifted), axis=axis)
    return loss.astype(logits.dtype, copy=False)


def _xent_rule(logits, labels, axis):
    name = "SoftmaxCrossEntropyWithLogits"
    rules.require_rank(name, logits, 1, "logits")
    if not _broadcasts_to(labels.shape, logits.shape):
        raise rules.invalid(name, f"logits and labels must be broadcastable: logits_size="
                                  f"{list(logits.shape)} labels_size={list(labels.shape)}")
    axis = rules.normalize_axis(name, axis, len(logits.shape))
    return rules.Spec(rules.reduced_shape(logits.shape, (axis,), False), logits.dtype)


def _broadcasts_to(shape, target):
    """Whether `shape` broadcasts to `target` (unknown dims are taken to fit)."""
    if len(shape) > len(target):
        return False
    pairs = zip(reversed(shape), reversed(target))
    return all(s in (1, t) or s is None or t is None for s, t in pairs)


def _xent_grad(inputs, output, dy, axis):
    """logits: softmax - labels (TF's backprop); labels: -log_softmax."""
    logits, labels = inputs
    scale = _per_example(dy, logits, axis)
    d_logits = math_binary.subtract(softmax(logits, axis), labels)
    d_labels = math_unary.negative(log_softmax(logits, axis))
    return math_binary.multiply(scale, d_logits), math_binary.multiply(scale, d_labels)


def _xent_reference(logits, labels, axis):
    labels = np.broadcast_to(labels, logits.shape)
    return -np.sum(labels * along_rows(log_softmax_row, logits, axis), axis=axis)


def _xent_samples():
    gen = si.rng(51)
    for shape, axis in [((3,), -1), ((2, 3), -1), ((2, 3), 0), ((2, 3, 4), 1), ((1, 1), -1),
                        ((0, 3), -1), ((2, 0), 0), ((2, 0), -1)]:
        yield Sample((si.uniform(gen, shape), _distribution(gen, shape, axis)), dict(axis=axis))
    yield Sample((si.uniform(gen, (4, 3)), _distribution(gen, (1, 3))), dict(axis=-1))
    yield Sample((np.array([[500.0, -500.0, 0.0]]), np.array([[0.2, 0.5, 0.3]])), dict(axis=-1))
    for dtype in (np.float32, np.float16):
        yield Sample((si.uniform(gen, (2, 5)).astype(dtype),
                      _distribution(gen, (2, 5)).astype(dtype)), dict(axis=-1), grad=False)


SoftmaxCrossEntropyWithLogits = defop(
    "SoftmaxCrossEntropyWithLogits", _xent_kernel, _xent_rule, grad=_xent_grad,
    reference=_xent_reference, samples=_xent_samples, dtypes=dtypes.FLOATS, broadcasts=True)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Per-example -Σ labels·log_softmax(logits) along `axis`; labels take logits' dtype."""
    logits = convert_to_tensor(logits)
    labels = _like(labels, logits)
    if labels.dtype != logits.dtype:
        labels = math_unary.cast(labels, logits.dtype)
    return SoftmaxCrossEntropyWithLogits(logits, labels, axis=int(axis))


# --- sparse_softmax_cross_entropy_with_logits ------------------------------------------------

def _check_labels(labels, classes):
    # One reduction: a negative label, read as unsigned, is above any class count.
    if labels.size and labels.view(labels.dtype.str.replace("i", "u")).max() >= classes:
        flat = np.ravel(labels)
        bad = flat[(flat < 0) | (flat >= classes)][0]
        listed = " ".join(str(v) for v in flat)
        raise InvalidArgumentError(f"Received a label value of {bad} which is outside the "
                                   f"valid range of [0, {classes}).  Label values: {listed}")


def _class_rows(logits, labels):
    """(shifted, exp, total, picked index): logits as rows [examples, classes] minus each
    row's max, their exponentials and row sums, and the (row, label) index of each
    example's label (float16 computed in float32). A row holding an infinity gives NaN,
    as in TF, without a warning."""
    if labels.dtype.kind not in "iu" or labels.shape != logits.shape[:-1]:
        raise ValueError("labels must be integers shaped like logits without the class axis")
    if logits.ndim == 0:
        raise ValueError("logits need a class axis; got a scalar")
    _check_labels(labels, logits.shape[-1])
    rows = logits.reshape(-1, logits.shape[-1])
    if rows.dtype == np.float16:
        rows = rows.astype(np.float32)
    top = row_max(rows, 1)
    shifted, exp, total = quiet_unless_infinite(top, _exponentials, rows, top)
    return shifted, exp, total, (np.arange(len(rows)), labels.reshape(-1))


def _exponentials(rows, top):
    shifted = rows - top
    exp = np.exp(shifted)
    return shifted, exp, exp.sum(axis=1, keepdims=True)


def _sparse_loss(logits, labels, shifted, total, picked):
    # Every total is >= 1 or NaN: the row's max contributes exp(0).
    loss = np.log(total[:, 0]) - shifted[picked]
    return loss.reshape(labels.shape).astype(logits.dtype, copy=False)


def _sparse_backprop(logits, exp, total, picked):
    exp /= total
    exp[picked] -= 1
    return exp.reshape(logits.shape).astype(logits.dtype, copy=False)


def _sparse_xent_kernel(logits, labels):
    shifted, _, total, picked = _class_rows(logits, labels)
    return _sparse_loss(logits, labels, shifted, total, picked)


def _sparse_xent_rule(logits, labels):
    name = "SparseSoftmaxCrossEntropyWithLogits"
    rules.require_dtype(name, labels, _LABEL_DTYPES, "labels")
    rules.require_rank(name, logits, 1, "logits")
    batch = tuple(logits.shape[:-1])
    if not _compatible(labels.shape, batch):
        raise rules.invalid(name, f"labels must have the shape of logits without its last "
                                  f"dimension: logits shape {list(logits.shape)} needs labels "
                                  f"shape {list(batch)}, got {list(labels.shape)}")
    return rules.Spec(batch, logits.dtype)


def _sparse_xent_grad(inputs, output, dy):
    """logits: softmax - one_hot(labels), one kernel; labels are indices and get none."""
    logits, labels = inputs
    d_logits = SparseSoftmaxCrossEntropyWithLogitsGrad(logits, labels)
    return math_binary.multiply(_per_example(dy, logits, -1), d_logits), None


def _sparse_xent_backprop_kernel(logits, labels):
    """softmax(logits) - one_hot(labels) along the last axis (float16 computed in float32)."""
    _, exp, total, picked = _class_rows(logits, labels)
    return _sparse_backprop(logits, exp, total, picked)


def _sparse_xent_backprop_rule(logits, labels):
    _sparse_xent_rule(logits, labels)
    return rules.Spec(logits.shape, logits.dtype)


def _sparse_xent_backprop_grad(inputs, output, g):
    """The softmax Jacobian applied to g: p * (g - Σ g·p); labels get none."""
    p = softmax(inputs[0])
    total = reductions.reduce_sum(math_binary.multiply(g, p), axis=-1, keepdims=True)
    return math_binary.multiply(p, math_binary.subtract(g, total)), None


def _sparse_xent_backprop_reference(logits, labels):
    probabilities = np.exp(along_rows(log_softmax_row, logits, -1))
    flat = probabilities.reshape(-1, logits.shape[-1])
    for row, label in enumerate(np.ravel(labels)):
        flat[row, label] -= 1
    return probabilities


def _sparse_xent_reference(logits, labels):
    log_probs = along_rows(log_softmax_row, logits, -1)
    flat_logs = log_probs.reshape(-1, logits.shape[-1])
    losses = [-flat_logs[i, label] for i, label in enumerate(np.ravel(labels))]
    return np.array(losses, dtype=np.float64).reshape(labels.shape)


def _sparse_xent_samples():
    gen = si.rng(52)
    for shape in [(3,), (2, 3), (2, 3, 4), (1, 1), (0, 4)]:
        labels = gen.integers(0, shape[-1], size=shape[:-1]).astype(np.int32)
        yield Sample((si.uniform(gen, shape), labels))
    yield Sample((np.array([[500.0, -500.0, 0.0]]), np.array([1], np.int64)))
    for dtype in (np.float32, np.float16):
        yield Sample((si.uniform(gen, (4, 3)).astype(dtype),
                      np.array([0, 2, 1, 2], np.int64)), grad=False)


SparseSoftmaxCrossEntropyWithLogits = defop(
    "SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_kernel, _sparse_xent_rule,
    grad=_sparse_xent_grad, reference=_sparse_xent_reference, samples=_sparse_xent_samples,
    same_dtype=False, dtypes=dtypes.FLOATS)
SparseSoftmaxCrossEntropyWithLogitsGrad = defop(
    "SparseSoftmaxCrossEntropyWithLogitsGrad", _sparse_xent_backprop_kernel,
    _sparse_xent_backprop_rule, grad=_sparse_xent_backprop_grad,
    reference=_sparse_xent_backprop_reference, samples=_sparse_xent_samples,
    same_dtype=False, dtypes=dtypes.FLOATS)


def _loss_and_backprop_kernel(logits, labels):
    shifted, exp, total, picked = _class_rows(logits, labels)
    return (_sparse_loss(logits, labels, shifted, total, picked),
            _sparse_backprop(logits, exp, total, picked))


def _loss_and_backprop_rule(logits, labels):
    return (_sparse_xent_rule(logits, labels), rules.Spec(logits.shape, logits.dtype))


def _loss_and_backprop_grad(inputs, outputs, dys):
    logits, _ = inputs
    through_loss = math_binary.multiply(_per_example(dys[0], logits, -1), outputs[1])
    through_backprop, _ = _sparse_xent_backprop_grad(inputs, outputs[1], dys[1])
    return math_binary.add(through_loss, through_backprop), None


# The loss and its backprop from one softmax, as TF's two-output kernel computes them;
# the graph optimizer merges the two ops above into it (graph/passes/loss_fusion.py).
SparseSoftmaxCrossEntropyWithLogitsAndBackprop = defop(
    "SparseSoftmaxCrossEntropyWithLogitsAndBackprop", _loss_and_backprop_kernel,
    _loss_and_backprop_rule, grad=_loss_and_backprop_grad,
    reference=lambda logits, labels: (_sparse_xent_reference(logits, labels),
                                      _sparse_xent_backprop_reference(logits, labels)),
    samples=_sparse_xent_samples, multi_output=True, same_dtype=False, dtypes=dtypes.FLOATS)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Per-example -log_softmax(logits)[label]; labels are int32/int64 class indices."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    if labels.dtype not in _LABEL_DTYPES:
        raise TypeError(f"Value passed to parameter 'labels' has DataType {labels.dtype.name} "
                        f"not in list of allowed values: int32, int64")
    _check_sparse_shapes(labels.shape, logits.shape)
    return SparseSoftmaxCrossEntropyWithLogits(logits, labels)


def _check_sparse_shapes(labels_shape, logits_shape):
    if logits_shape.rank == 0:
        raise ValueError(f"Logits cannot be scalars - received shape {logits_shape}.")
    if labels_shape.rank != logits_shape.rank - 1:
        raise ValueError(f"Rank mismatch: Rank of labels (received {labels_shape.rank}) should "
                         f"equal rank of logits minus 1 (received {logits_shape.rank}).")
    if labels_shape != logits_shape[:-1]:
        raise ValueError(f"Shape mismatch: The shape of labels (received {labels_shape}) "
                         f"should equal the shape of logits except for the last dimension "
                         f"(received {logits_shape}).")


# --- sigmoid_cross_entropy_with_logits ------------------------------------------------------

def _sigmoid_xent_kernel(logits, labels):
    if logits.shape != labels.shape:
        raise ValueError("logits and labels must have the same shape")
    # max(x, 0) - x·z + log(1 + e^-|x|): never exponentiates a positive number.
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def _sigmoid_xent_rule(logits, labels):
    if not _compatible(logits.shape, labels.shape):
        raise rules.invalid("SigmoidCrossEntropyWithLogits",
                            f"logits and labels must have the same shape, got logits "
                            f"{list(logits.shape)} and labels {list(labels.shape)}")
    return logits


def _sigmoid_xent_grad(inputs, output, dy):
    """logits: sigmoid(x) - z; labels: -x."""
    logits, labels = inputs
    d_logits = math_binary.subtract(math_unary.sigmoid(logits), labels)
    return (math_binary.multiply(dy, d_logits),
            math_binary.multiply(dy, math_unary.negative(logits)))


def _sigmoid_xent_reference(logits, labels):
    def scalar(x, z):
        p = 1 / (1 + math.exp(-x))
        return -(z * math.log(p) + (1 - z) * math.log(1 - p))
    return np.vectorize(scalar, otypes=[np.float64])(logits, labels)


def _sigmoid_xent_samples():
    gen = si.rng(53)
    for shape in [(), (4,), (2, 3), (0, 2)]:
        yield Sample((si.uniform(gen, shape, -5.0, 5.0), si.uniform(gen, shape, 0.0, 1.0)))
    yield Sample((si.uniform(gen, (2, 3)).astype(np.float32),
                  si.uniform(gen, (2, 3), 0.0, 1.0).astype(np.float32)), grad=False)


SigmoidCrossEntropyWithLogits = defop(
    "SigmoidCrossEntropyWithLogits", _sigmoid_xent_kernel, _sigmoid_xent_rule,
    grad=_sigmoid_xent_grad, reference=_sigmoid_xent_reference,
    samples=_sigmoid_xent_samples, dtypes=dtypes.FLOATS)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise logistic loss of `logits` against `labels` in [0, 1]."""
    if labels is None or logits is None:
        raise ValueError("Both `labels` and `logits` must be provided to "
                         "sigmoid_cross_entropy_with_logits.")
    logits = convert_to_tensor(logits)
    labels = _like(labels, logits)
    if labels.shape != logits.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received "
                         f"({logits.shape} vs {labels.shape}).")
    return SigmoidCrossEntropyWithLogits(logits, labels)
