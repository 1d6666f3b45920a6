"""Arithmetic simplification: x*1, 1*x, x+0, 0+x, x-0, double negation, a transpose undone
by a transpose, reshape of a reshape, a cast to the dtype the value already has, a cast of
a cast that lost nothing as one cast, a reduction of a scalar, and the log of a softmax
read by nothing else as one (numerically stable) log-softmax."""

import numpy as np

from ...ops import array_ops, math_unary, nn_activations
from .fusion import consumer_counts
from .rewrite import rewrite


_REDUCTIONS = frozenset(("Sum", "Mean", "Max", "Min", "Prod"))


def _constant_equal(tensor, number):
    node = tensor.node
    if node.type != "Const":
        return False
    value = np.asarray(node.attrs["value"]._value)
    return value.dtype != object and value.size > 0 and bool(np.all(value == number))


def _same_type(a, b):
    return a._shape == b._shape and a.dtype == b.dtype


def _identity_operand(node, inputs):
    """The input an arithmetic node leaves unchanged, if it is one of the simple cases."""
    out = node.outputs[0]
    if node.type in ("Mul", "Add"):
        neutral = 1 if node.type == "Mul" else 0
        for keep, other in ((0, 1), (1, 0)):
            if _constant_equal(inputs[other], neutral) and _same_type(inputs[keep], out):
                return inputs[keep]
    if node.type == "Sub" and _constant_equal(inputs[1], 0) and _same_type(inputs[0], out):
        return inputs[0]
    if node.type == "Neg" and inputs[0].node.type == "Neg":
        return inputs[0].node.inputs[0]
    if node.type == "Cast" and inputs[0].dtype == out.dtype:
        return inputs[0]
    if node.type in _REDUCTIONS and inputs[0]._shape == () and _same_type(inputs[0], out):
        return inputs[0]  # a reduction of a scalar is the scalar
    if node.type == "Transpose" and inputs[0].node.type == "Transpose":
        inner, outer = inputs[0].node.attrs["perm"], node.attrs["perm"]
        if tuple(inner[p] for p in outer) == tuple(range(len(outer))):
            return inputs[0].node.inputs[0]
    return None


def _exact_through(source, middle, target):
    """Whether casting source → middle → target equals casting source → target: both
    casts keep every source value exactly (uint8 labels cast to float, then to int64)."""
    return np.can_cast(source._np, middle._np, "safe") and \
        np.can_cast(source._np, target._np, "safe")


def simplify_arithmetic(program):
    counts = consumer_counts(program)

    def visit(node, inputs, graph):
        if node.op is None:
            return None
        same = _identity_operand(node, inputs)
        if same is not None:
            return [same]
        if node.type == "Reshape" and inputs[0].node.type == "Reshape":
            with graph.as_default():
                return [array_ops.reshape(inputs[0].node.inputs[0], node.attrs["shape"])]
        if node.type == "Cast" and inputs[0].node.type == "Cast":
            source = inputs[0].node.inputs[0]
            if _exact_through(source.dtype, inputs[0].dtype, node.outputs[0].dtype):
                with graph.as_default():
                    return [math_unary.Cast(source, **node.attrs)]
        if node.type == "Log" and inputs[0].node.type == "Softmax" and \
                counts.get(id(node.inputs[0])) == 1:
            softmax = inputs[0].node
            with graph.as_default():
                return [nn_activations.LogSoftmax(softmax.inputs[0], **softmax.attrs)]
        return None

    return rewrite(program, visit)
