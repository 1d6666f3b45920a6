"""Memory planning for generated code.

Every value is freed after its last use (codegen deletes it), and an elementwise
op whose kernel is a NumPy ufunc (or a fused chain of them) writes its result into
the buffer of an input that dies there — when that buffer belongs to the graph
(made by another such kernel or a matrix product, not a constant, a variable, a
placeholder's array or a view), no other kind of op reads it (it might keep a view),
and it surely has the output's shape and dtype when the graph runs. The plan reports
the peak of live bytes with and without it.
"""

import numpy as np


class MemoryPlan:
    """in_place: {id(node): position of the input whose buffer receives the output}."""

    def __init__(self, in_place, planned_peak, unplanned_peak):
        self.in_place = in_place
        self.planned_peak = planned_peak
        self.unplanned_peak = unplanned_peak

    def report(self):
        if self.planned_peak is None:
            return "memory plan: sizes unknown until run time (no estimate)"
        return (f"memory plan: {len(self.in_place)} ops write in place; peak live "
                f"{_megabytes(self.planned_peak)} planned vs "
                f"{_megabytes(self.unplanned_peak)} unplanned (nothing freed)")


def _megabytes(count):
    return f"{count / 2 ** 20:.2f} MB"


def _bytes(tensor):
    if tensor._shape is None or None in tensor._shape:
        return None
    return int(np.prod(tensor._shape, dtype=np.int64)) * tensor.dtype.size


def _writes_fresh(node):
    """Whether the node's kernel returns a new buffer, keeps no view of its inputs and
    accepts out=."""
    return node.op is not None and (isinstance(node.op.kernel, np.ufunc)
                                    or node.type == "FusedElementwise")


# Ops whose kernels return a new buffer (a matrix product's result), which later
# elementwise ops may overwrite once it dies.
_FRESH_PRODUCTS = frozenset(("MatMul", "FusedMatMul"))


def _reusable_inputs(node):
    if node.type == "FusedElementwise":
        return node.attrs["program"].reusable_inputs()
    return range(len(node.inputs))


def _same_at_run_time(node, tensor, out):
    """Whether input `tensor` surely has the output's shape when the graph runs: the same
    static shape, and no other input that could stretch one of its unknown dimensions."""
    if not tensor._shape or tensor._shape != out._shape:
        return False
    unknown = [i for i, d in enumerate(reversed(tensor._shape)) if d is None]
    for other in node.inputs:
        if other is not tensor and unknown and (other._shape is None or any(
                i < len(other._shape) and other._shape[-1 - i] != 1 for i in unknown)):
            return False
    return True


def plan(nodes, fetches):
    """The plan for running `nodes` (in order) to compute `fetches`."""
    last_use, shared = {}, set()
    for position, node in enumerate(nodes):
        for tensor in node.inputs:
            last_use[id(tensor)] = position
            if not _writes_fresh(node):
                shared.add(id(tensor))  # this consumer may keep a view of the buffer
    kept = {id(t) for t in fetches}
    owned = set()   # ids of tensors whose buffer the graph made and may overwrite
    in_place = {}
    for position, node in enumerate(nodes):
        if node.type in _FRESH_PRODUCTS:
            owned.add(id(node.outputs[0]))
        if not _writes_fresh(node):
            continue
        out = node.outputs[0]
        for index in _reusable_inputs(node):
            tensor = node.inputs[index]
            if (id(tensor) in owned and id(tensor) not in shared
                    and last_use.get(id(tensor)) == position
                    and id(tensor) not in kept and _same_at_run_time(node, tensor, out)
                    and tensor.dtype == out.dtype):
                in_place[id(node)] = index
                break
        owned.add(id(out))
    return MemoryPlan(in_place, *_peaks(nodes, last_use, kept, in_place))


def _peaks(nodes, last_use, kept, in_place):
    """(planned, unplanned) peak live bytes, or (None, None) when sizes are unknown."""
    live = planned_peak = unplanned = 0
    for position, node in enumerate(nodes):
        sizes = [_bytes(t) for t in node.outputs]
        if None in sizes:
            return None, None
        unplanned += sum(sizes)
        if id(node) not in in_place:
            live += sum(sizes)
        planned_peak = max(planned_peak, live)
        for tensor in set(node.inputs):
            if last_use.get(id(tensor)) == position and id(tensor) not in kept:
                if not (id(node) in in_place and node.inputs[in_place[id(node)]] is tensor):
                    live -= _bytes(tensor) or 0
    return planned_peak, unplanned
