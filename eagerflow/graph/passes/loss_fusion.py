"""Loss fusion: the sparse cross-entropy of some logits and labels and its backprop on
the same two tensors (what a training step's loss and gradient make) become one kernel
with two outputs, which computes the softmax once."""

from ...ops.nn_losses import SparseSoftmaxCrossEntropyWithLogitsAndBackprop
from .rewrite import rewrite

# The merged op's outputs, in order: the loss, then the backprop.
_OUTPUTS = ("SparseSoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogitsGrad")


def _pairs(program):
    """{id(node): (its output of the merged op, the pair's key)} for each loss and
    backprop node that has a partner on the same inputs."""
    found = {}  # ids of the inputs -> {node type: the first such node}
    for node in program.graph.nodes:
        if node.type in _OUTPUTS and not node.control_inputs:
            found.setdefault(tuple(id(t) for t in node.inputs), {}).setdefault(node.type, node)
    return {id(node): (_OUTPUTS.index(kind), key)
            for key, nodes in found.items() if len(nodes) == 2
            for kind, node in nodes.items()}


def fuse_losses(program):
    pairs = _pairs(program)
    merged = {}  # a pair's key -> the merged op's outputs

    def visit(node, inputs, graph):
        if id(node) not in pairs:
            return None
        output, key = pairs[id(node)]
        if key not in merged:
            with graph.as_default():
                merged[key] = SparseSoftmaxCrossEntropyWithLogitsAndBackprop(*inputs)
        return [merged[key][output]]

    return rewrite(program, visit)
