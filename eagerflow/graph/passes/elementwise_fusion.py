"""Elementwise fusion: a chain of ufunc ops, each the only reader of the one before and of
its shape and dtype, becomes one FusedElementwise node (one kernel call, one buffer)."""

from ...ops.fused_elementwise import (RUNNING, ElementwiseProgram, FusedElementwise, Step,
                                      ufunc_of)
from .fusion import ABSORBED, consumer_counts
from .rewrite import rewrite


def _fusable(node):
    return (node.op is not None and not node.attrs and not node.control_inputs
            and ufunc_of(node.op) is not None and node.outputs[0]._shape is not None)


def _fits_into(side, running):
    """Whether `side` broadcasts into the running value's shape without growing it."""
    if side._shape is None or len(side._shape) > len(running):
        return False
    trailing = running[len(running) - len(side._shape):]
    return all(d == 1 or (d is not None and d == r) for d, r in zip(side._shape, trailing))


def _running_input(node, chain_of, counts):
    """The input through which `node` continues a chain, or None."""
    out = node.outputs[0]
    for position, tensor in enumerate(node.inputs):
        if id(tensor.node) not in chain_of or counts.get(id(tensor)) != 1:
            continue
        if tensor._shape != out._shape or tensor.dtype != out.dtype:
            continue
        others = node.inputs[:position] + node.inputs[position + 1:]
        if all(_fits_into(side, out._shape) for side in others):
            return position
    return None


def _chains(program):
    """The chains of two or more fusable nodes, keyed by id(last node)."""
    counts = consumer_counts(program)
    chain_of = {}
    for node in program.graph.nodes:
        if not _fusable(node):
            continue
        position = _running_input(node, chain_of, counts)
        chain = [] if position is None else chain_of.pop(id(node.inputs[position].node))
        chain.append((node, position))
        chain_of[id(node)] = chain
    return {id(chain[-1][0]): chain for chain in chain_of.values() if len(chain) > 1}


def fuse_elementwise(program):
    chains = _chains(program)
    absorbed = {id(node) for chain in chains.values() for node, _ in chain[:-1]}
    mapped = {}  # id(node of a chain) -> its inputs in the new graph

    def visit(node, inputs, graph):
        if id(node) in absorbed:
            mapped[id(node)] = inputs
            return [ABSORBED]
        if id(node) not in chains:
            return None
        mapped[id(node)] = inputs
        fused_inputs, steps = [], []
        for member, running in chains[id(node)]:
            args = []
            for position, tensor in enumerate(mapped[id(member)]):
                if position == running:
                    args.append(RUNNING)
                    continue
                if not any(t is tensor for t in fused_inputs):
                    fused_inputs.append(tensor)
                args.append(next(i for i, t in enumerate(fused_inputs) if t is tensor))
            steps.append(Step(member.op, tuple(args)))
        with graph.as_default():
            return [FusedElementwise(*fused_inputs, program=ElementwiseProgram(steps))]

    return rewrite(program, visit)
