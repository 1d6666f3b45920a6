"""Loss fusion: the sparse cross-entropy of some logits and labels and its backprop on
the same two tensors (what a training step's loss and gradient make) become one kernel
with two outputs, which computes the softmax once."""

from ...ops.nn_losses import SparseSoftmaxCrossEntropyWithLogitsAndBackprop
from .rewrite import rewrite

_LOSS, _BACKPROP = "SparseSoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogitsGrad"


def _pairs(program):
    """{id(node): (its position in the merged outputs, id of the pair's first node)}."""
    first_of = {}
    pairs = {}
    for node in program.graph.nodes:
        if node.type not in (_LOSS, _BACKPROP) or node.control_inputs:
            continue
        key = (tuple(id(t) for t in node.inputs), node.type == _LOSS)
        partner = first_of.get((key[0], not key[1]))
        if partner is None:
            first_of.setdefault(key, node)
        elif id(partner) not in pairs:
            pairs[id(partner)] = (0 if partner.type == _LOSS else 1, id(partner))
            pairs[id(node)] = (0 if node.type == _LOSS else 1, id(partner))
    return pairs


def fuse_losses(program):
    pairs = _pairs(program)
    merged = {}  # id(first node of a pair) -> the merged op's outputs

    def visit(node, inputs, graph):
        if id(node) not in pairs:
            return None
        position, first = pairs[id(node)]
        if first not in merged:
            with graph.as_default():
                merged[first] = SparseSoftmaxCrossEntropyWithLogitsAndBackprop(*inputs)
        return [merged[first][position]]

    return rewrite(program, visit)
