"""Fusion (TF's remapper): MatMul → BiasAdd (→ Relu) becomes one FusedMatMul when the
intermediate results feed nothing else (in a training graph the backward pass reads the
pre-activation, so only MatMul + BiasAdd fuse there)."""

from ...ops.nn_fused import FusedMatMul
from .rewrite import rewrite


def consumer_counts(program):
    """{id(tensor): how many node inputs and program outputs read it}."""
    counts = {}
    for node in program.graph.nodes:
        for tensor in node.inputs:
            counts[id(tensor)] = counts.get(id(tensor), 0) + 1
    for tensor in program.outputs:
        counts[id(tensor)] = counts.get(id(tensor), 0) + 1
    return counts


def _single_use(tensor, counts):
    return counts.get(id(tensor), 0) == 1


def _chains(program):
    """{id(last node of a chain): (matmul node, bias node, activation)} and the ids of
    the nodes the fused ops absorb."""
    counts = consumer_counts(program)
    consumer = {}
    for node in program.graph.nodes:
        for tensor in node.inputs:
            consumer[id(tensor)] = node
    chains, absorbed = {}, set()
    for node in program.graph.nodes:
        if node.type != "MatMul" or node.attrs.get("output_type") is not None or \
                len(node.inputs[0]._shape or ()) != 2 or len(node.inputs[1]._shape or ()) != 2:
            continue
        product = node.outputs[0]
        bias = consumer.get(id(product))
        if bias is None or bias.type != "BiasAdd" or not _single_use(product, counts) or \
                bias.inputs[0] is not product or bias.attrs.get("data_format") != "NHWC":
            continue
        last, activation = bias, None
        following = consumer.get(id(bias.outputs[0]))
        if following is not None and following.type == "Relu" and \
                _single_use(bias.outputs[0], counts):
            last, activation = following, "relu"
            absorbed.add(id(bias))
        absorbed.add(id(node))
        chains[id(last)] = (node, bias, activation)
    return chains, absorbed


# What an absorbed node's outputs map to: nothing outside its chain reads them.
ABSORBED = object()


def fuse_patterns(program):
    chains, absorbed = _chains(program)
    recorded = {}  # id(absorbed node) -> its inputs in the new graph

    def visit(node, inputs, graph):
        if id(node) in absorbed:
            recorded[id(node)] = inputs
            return [ABSORBED] * len(node.outputs)
        if id(node) not in chains:
            return None
        matmul, bias, activation = chains[id(node)]
        a, b = recorded[id(matmul)]
        bias_vector = (inputs if node is bias else recorded[id(bias)])[1]
        with graph.as_default():
            return [FusedMatMul(a, b, bias_vector, activation=activation,
                                adjoint_a=matmul.attrs.get("adjoint_a", False),
                                adjoint_b=matmul.attrs.get("adjoint_b", False))]

    return rewrite(program, visit)
