"""ReLU gradients before max-pool gradients: ReluGrad(MaxPoolGrad(x, y, dy), x) becomes
MaxPoolGrad(x, y, ReluGrad(dy, y)), masking the pooled gradient (a quarter of the size
for 2x2 pooling) instead of the full one. The two agree exactly: MaxPoolGrad is zero
away from each window's first maximum, and there x equals the window's pooled y, so
x > 0 exactly where y > 0. (The backward pass of Conv → ReLU → MaxPool is this chain.)"""

from ...ops.nn_activations import ReluGrad
from ...ops.nn_pool import MaxPoolGrad
from .fusion import ABSORBED, consumer_counts
from .rewrite import rewrite


def mask_before_pool_gradients(program):
    counts = consumer_counts(program)
    pairs = {}  # id(ReluGrad node) -> the MaxPoolGrad node it masks
    for node in program.graph.nodes:
        if node.type != "ReluGrad":
            continue
        gradient, features = node.inputs
        pool = gradient.node
        if pool.type == "MaxPoolGrad" and pool.inputs[0] is features and \
                counts.get(id(gradient)) == 1:
            pairs[id(node)] = pool
    pools = {id(pool) for pool in pairs.values()}
    recorded = {}  # id(absorbed MaxPoolGrad) -> its inputs in the new graph

    def visit(node, inputs, graph):
        if id(node) in pools:
            recorded[id(node)] = inputs
            return [ABSORBED]
        if id(node) not in pairs:
            return None
        pool = pairs[id(node)]
        x, pooled, dy = recorded[id(pool)]
        with graph.as_default():
            return [MaxPoolGrad(x, pooled, ReluGrad(dy, pooled), **pool.attrs)]

    return rewrite(program, visit)
