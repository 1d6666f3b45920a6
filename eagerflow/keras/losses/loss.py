"""The Loss base class and the weighting and reduction rules Keras losses share.

A loss computes one value per sample (the last axis reduced) in `call`;
`Loss.__call__` converts both inputs to the loss dtype, multiplies the values
by `sample_weight` (merged with a mask where the loss sets one) and reduces
them as `reduction` says:

- 'sum_over_batch_size' (default) and 'mean': the sum divided by the number
  of per-sample values (masked values do not count);
- 'sum': the sum;
- 'mean_with_sample_weight': the sum divided by the sum of the weights;
- None or 'none': the weighted values, unreduced.

A scalar or empty per-sample result is returned as it is.
"""

import re

import eagerflow as tf

from ..engine.naming import unique_name

EPSILON = 1e-7  # keras.backend.epsilon()
FLOATX = "float32"  # keras.backend.floatx()
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None, "none")


def to_snake_case(name):
    """'MeanSquaredError' -> 'mean_squared_error', 'AUC' -> 'auc', as Keras names objects."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(class_name):
    """A default object name: the snake-cased class name, suffixed _1, _2, … on reuse
    (one count shared with layers and reset with them, as in Keras)."""
    return unique_name(to_snake_case(class_name))


def object_name(obj):
    """The name Keras gives a metric or loss it is handed: its `name`, else its snake-cased
    function or class name."""
    if hasattr(obj, "name"):
        return obj.name
    return to_snake_case(getattr(obj, "__name__", type(obj).__name__))


def standardize_dtype(dtype):
    """A dtype argument (None, a string or a DType) as its name; None means floatx."""
    return FLOATX if dtype is None else tf.as_dtype(dtype).name


def convert(x, dtype=None):
    """`x` as a tensor, cast to `dtype` when given (Keras converts where TF would refuse)."""
    if dtype is not None and not isinstance(x, (tf.Tensor, tf.Variable)):
        try:
            return tf.convert_to_tensor(x, dtype)
        except (TypeError, ValueError):
            pass
    x = tf.convert_to_tensor(x)
    return x if dtype is None or x.dtype == dtype else tf.cast(x, dtype)


def convert_float(x):
    """`x` as a tensor of a floating dtype (integer and bool inputs become floatx)."""
    x = convert(x)
    return x if x.dtype.is_floating else tf.cast(x, FLOATX)


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                         f"{list(REDUCTIONS)}. Received: reduction={reduction}")
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks that differ by one agree by dropping (or, for rank 1, adding) a size-1
    last axis."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, -1)
        else:
            x1 = tf.squeeze(x1, -1)
    elif rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, -1)
        else:
            x2 = tf.squeeze(x2, -1)
    return x1, x2


def apply_mask(sample_weight, mask, dtype, reduction):
    """Fold a boolean mask into the sample weights; for the mean reductions the kept
    entries are scaled by total/valid so that masked entries do not count."""
    if mask is None:
        return sample_weight
    mask = tf.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        count = mask.shape.num_elements()  # None in a graph with an unknown batch
        total = tf.cast(tf.size(mask) if count is None else count, dtype)
        mask = mask * tf.math.divide_no_nan(total, tf.reduce_sum(mask))
    if sample_weight is None:
        return mask
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, convert(sample_weight, dtype))
    return sample_weight * mask


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduce weighted per-sample values to the loss (see the module docstring)."""
    if reduction in (None, "none") or values.shape.rank == 0 or tuple(values.shape) == (0,):
        return values
    loss = tf.reduce_sum(values)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return tf.math.divide_no_nan(loss, tf.cast(tf.reduce_sum(sample_weight), loss.dtype))
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        count = values.shape.num_elements()
        if count is None:  # a graph with an unknown batch: the count is known at run time
            return tf.math.divide_no_nan(loss, tf.cast(tf.size(values), loss.dtype))
        return loss / count if count else tf.zeros_like(loss)
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weight `values` by `sample_weight` and `mask`, then reduce them."""
    reduction = standardize_reduction(reduction)
    values = convert(values, dtype)
    sample_weight = apply_mask(None if sample_weight is None else convert(sample_weight, dtype),
                               mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(
            values, convert(sample_weight, values.dtype))
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def is_binary_or_sparse_categorical(y_true, y_pred):
    """Keras's reading of target/prediction shapes (tensors or shapes): (binary, sparse).

    Binary when predictions have one unit; sparse categorical when the targets
    have lower rank than the predictions, or one unit against several.
    """
    true_shape = tf.TensorShape(getattr(y_true, "shape", y_true))
    pred_shape = tf.TensorShape(getattr(y_pred, "shape", y_pred))
    true_last = true_shape[-1] if true_shape.rank else None
    pred_last = pred_shape[-1] if pred_shape.rank else None
    is_binary = pred_last == 1
    is_sparse = true_shape.rank < pred_shape.rank or (true_last == 1 and (pred_last or 0) > 1)
    return is_binary, is_sparse


class Loss:
    """Base class of Keras losses: subclasses implement `call(y_true, y_pred)`, returning
    per-sample losses; calling the loss weights and reduces them."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = standardize_dtype(dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = convert(y_pred, self._dtype)
        y_true = convert(y_true, self._dtype)
        losses, mask = self._call_with_mask(y_true, y_pred)
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, self._dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def _call_with_mask(self, y_true, y_pred):
        """Per-sample losses and the mask of those that count (None: all do)."""
        return self.call(y_true, y_pred), None

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
