"""The reverse sweep over a tape's records, and Jacobians built on it.

Gradient rules return gradients in the shape of the op's output; this module
is the one place that sums them back down to a broadcast input's shape.
"""

import numpy as np

from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor, wrap
from ..ops.array_ops import reshape, stack
from ..ops.creation import ones_like, zeros_like
from ..ops.dynamic_shape import broadcast_axes, fully_known, static_shape, sum_to_shape_of
from ..ops.math_binary import add
from ..ops.reductions import reduce_sum


def unbroadcast(grad, x):
    """Sums `grad` over the axes along which input `x` was broadcast (at run time, when a
    graph does not know x's shape)."""
    shape, grad_shape = static_shape(x), static_shape(grad)
    if not fully_known(shape) or grad_shape is None:
        return sum_to_shape_of(grad, x)
    axes = broadcast_axes(grad_shape, shape)
    if axes:
        grad = reduce_sum(grad, axis=axes)
    return reshape(grad, shape)


def _fit(op, g, x):
    """A symbolic gradient `g` of input `x`, summed to x's shape when the op broadcasts and
    the graph cannot tell that the shapes agree."""
    shape = static_shape(x)
    if not getattr(op, "broadcasts", False):  # also control flow and custom gradients
        return g
    return g if fully_known(shape) and static_shape(g) == shape else unbroadcast(g, x)


def backward(tape, targets, sources, output_gradients, unconnected):
    """Gradients of the targets with respect to each source (None where unconnected)."""
    tracked = tape._tracked
    grads = {}
    for i, target in enumerate(targets):
        if id(target) not in tracked:
            continue
        if output_gradients is None or output_gradients[i] is None:
            seed = ones_like(target)
        else:
            seed = convert_to_tensor(output_gradients[i], dtype=target.dtype)
        _accumulate(grads, target, seed)
    for op, inputs, attrs, outputs in reversed(tape._records):
        dy = _output_grads(grads, outputs)
        if dy is None or op.grad is None:
            continue
        for x, g in zip(inputs, op.grad(inputs, outputs, dy, **attrs)):
            if g is None or id(x) not in tracked:
                continue
            if x.__class__ is not Tensor or g.__class__ is not Tensor:
                g = _fit(op, g, x)
            elif g._value.shape != x._value.shape:
                g = unbroadcast(g, x)
            _accumulate(grads, x, g)
    variable_grads = {}
    for variable, read in tape._variable_reads:
        g = grads.get(id(read))
        if g is not None:
            key = id(variable)
            variable_grads[key] = g if key not in variable_grads else add(variable_grads[key], g)
    results = []
    for source in sources:
        table = variable_grads if hasattr(source, "_as_tensor") else grads
        g = table.get(id(source))
        if g is None and unconnected == "zero":
            g = zeros_like(source)
        results.append(g)
    return results


def _output_grads(grads, outputs):
    if type(outputs) is not tuple:
        return grads.get(id(outputs))
    dys = [grads.get(id(o)) for o in outputs]
    if all(d is None for d in dys):
        return None
    return tuple(zeros_like(o) if d is None else d for o, d in zip(outputs, dys))


def _accumulate(grads, tensor, g):
    key = id(tensor)
    grads[key] = g if key not in grads else add(grads[key], g)


def _one_hot_seeds(target):
    value = target._value
    for i in range(value.size):
        seed = np.zeros(value.size, dtype=value.dtype)
        seed[i] = 1
        yield wrap(seed.reshape(value.shape))


def jacobian(tape, target, sources, unconnected):
    """Stacks one backward pass per element of `target`."""
    rows = [tape._backward([target], sources, [seed], unconnected)
            for seed in _one_hot_seeds(target)]
    results = []
    for j, source in enumerate(sources):
        column = [row[j] for row in rows]
        shape = tuple(target._value.shape) + tuple(convert_to_tensor(source)._value.shape)
        if not rows:
            results.append(wrap(np.zeros(shape, dtype=target._value.dtype)))
        elif all(g is None for g in column):
            results.append(None)
        else:
            column = [zeros_like(source) if g is None else g for g in column]
            results.append(reshape(stack(column), shape))
    return results


def batch_jacobian(tape, target, source, unconnected):
    """For targets [b, ...] that depend on row b of source only: [b, y..., x...]."""
    value = target._value
    batch = value.shape[0]
    per_row = value[0].size if batch else int(np.prod(value.shape[1:]))
    columns = []
    for j in range(per_row):
        seed = np.zeros((batch, per_row), dtype=value.dtype)
        seed[:, j] = 1
        g = tape._backward([target], [source], [wrap(seed.reshape(value.shape))], unconnected)[0]
        if g is None:
            return None
        columns.append(reshape(g, (batch, -1)))
    source_shape = tuple(convert_to_tensor(source)._value.shape)
    out_shape = tuple(value.shape) + source_shape[1:]
    if not columns:
        return wrap(np.zeros(out_shape, dtype=value.dtype))
    return reshape(stack(columns, axis=1), out_shape)
