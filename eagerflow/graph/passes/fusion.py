"""Fusion (TF's remapper): MatMul → BiasAdd (→ Relu) becomes one FusedMatMul, and
Conv2D → BiasAdd (→ Relu) one FusedConv2D, when the intermediate results feed nothing
else; `x @ w + b` with a vector b counts as a BiasAdd. Relu's gradient reads its output, so training graphs fuse the whole chain too."""

from ...ops.nn_fused import FusedConv2D, FusedMatMul
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


def _fusable_head(node):
    """Whether `node` can start a chain: a 2-D MatMul, or an NHWC Conv2D."""
    if node.type == "MatMul":
        return node.attrs.get("output_type") is None and all(
            len(t._shape or ()) == 2 for t in node.inputs)
    return node.type == "Conv2D" and node.attrs["data_format"] == "NHWC"


def _bias_of(node, product):
    """The bias vector `node` adds to `product` (a BiasAdd, or an Add of a vector along the
    last axis), or None."""
    if node.type == "BiasAdd":
        if node.inputs[0] is product and node.attrs["data_format"] == "NHWC":
            return node.inputs[1]
        return None
    if node.type != "Add" or node.outputs[0]._shape != product._shape or not product._shape:
        return None
    other = node.inputs[1] if node.inputs[0] is product else node.inputs[0]
    if other is product or other._shape != product._shape[-1:] or None in other._shape:
        return None
    return other


def _chains(program):
    """{id(last node of a chain): (head node, bias node, activation)} and the ids of
    the nodes the fused ops absorb."""
    counts = consumer_counts(program)
    consumer = {}
    for node in program.graph.nodes:
        for tensor in node.inputs:
            consumer[id(tensor)] = node
    chains, absorbed = {}, set()
    for node in program.graph.nodes:
        if not _fusable_head(node):
            continue
        product = node.outputs[0]
        bias = consumer.get(id(product))
        if bias is None or counts.get(id(product)) != 1 or _bias_of(bias, product) is None:
            continue
        last, activation = bias, None
        following = consumer.get(id(bias.outputs[0]))
        if following is not None and following.type == "Relu" and \
                counts.get(id(bias.outputs[0])) == 1:
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
        head, bias, activation = chains[id(node)]
        a, b = recorded[id(head)]
        bias_inputs = inputs if node is bias else recorded[id(bias)]
        bias_vector = bias_inputs[1 if bias.inputs[0] is head.outputs[0] else 0]
        fused_op = FusedMatMul if head.type == "MatMul" else FusedConv2D
        attrs = {k: v for k, v in head.attrs.items() if k != "output_type"}
        with graph.as_default():
            return [fused_op(a, b, bias_vector, activation=activation, **attrs)]

    return rewrite(program, visit)
