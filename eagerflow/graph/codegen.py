"""Code generation: a Graph becomes a Python function of straight-line kernel calls on
arrays — no op dispatch, no dtype checks (the trace made them), no tape — whose
source can be read. A value is deleted right after its last use.

    def compiled(args):
        v0 = args[0]
        v1 = k_Add(v0, c0)
        del v0
        return (v1,)
"""

import numpy as np

from ..backend.float_modes import flush_subnormals, restore
from ..errors import InvalidArgumentError, OpError
from ..framework.tensor import wrap
from .interpreter import needed_nodes
from .passes import memory


# Node kinds with code of their own; other op-less nodes are host calls (random draws).
_SPECIAL = {"Placeholder", "Const", "ReadVariableOp", "AssignVariableOp",
            "AssignAddVariableOp", "AssignSubVariableOp"}


class CompiledGraph:
    """`run(arrays)` computes the fetches' arrays, with subnormals flushed to zero as in
    TF's kernels (backend/float_modes.py); `source` is the generated code."""

    def __init__(self, graph, placeholders, fetches):
        nodes = needed_nodes(graph, fetches, include_stateful=True)
        self.memory_plan = memory.plan(nodes, fetches)
        self.source, namespace, self._line_nodes = _generate(nodes, placeholders, fetches,
                                                             self.memory_plan.in_place)
        self._filename = f"<compiled graph {id(graph):x}>"
        exec(compile(self.source, self._filename, "exec"), namespace)
        self._compiled = namespace["compiled"]

    def run(self, arrays):
        saved = flush_subnormals()
        try:
            return self._compiled(arrays)
        finally:
            restore(saved)

    def explain(self, error):
        """The error to raise for one a kernel raised: TF's class, naming the node and the
        user's source line that created it."""
        traceback = error.__traceback__
        node = None
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == self._filename:
                node = self._line_nodes.get(traceback.tb_lineno)
            traceback = traceback.tb_next
        message = error.message if isinstance(error, OpError) else str(error)
        where = "" if node is None else \
            f"\n  in node '{node.name}' ({node.type}), created at {node.source}"
        kind = type(error) if isinstance(error, OpError) else InvalidArgumentError
        return kind(None, node, f"{message}{where}")


def _generate(nodes, placeholders, fetches, in_place):
    names = {}          # id(symbolic tensor) -> local variable name
    namespace = {"wrap": wrap}
    last_use = {}
    for position, node in enumerate(nodes):
        for tensor in node.inputs:
            last_use[id(tensor)] = position
    keep = {id(t) for t in fetches}
    slots = {id(p): i for i, p in enumerate(placeholders)}
    lines = ["def compiled(args):"]
    line_nodes = {}     # line number in the source -> the node it runs

    def bind(prefix, value):
        name = f"{prefix}{len(namespace)}"
        namespace[name] = value
        return name

    for position, node in enumerate(nodes):
        targets = [f"v{len(names) + i}" for i in range(len(node.outputs))]
        args = [names[id(t)] for t in node.inputs]
        if node.type == "Placeholder":
            expression = f"args[{slots[id(node.outputs[0])]}]"
        elif node.type == "Const":
            expression = bind("c", node.attrs["value"]._value)
        elif node.type == "ReadVariableOp":
            expression = f"{bind('var', node.attrs['variable'])}._value"
        elif node.op is None and node.type not in _SPECIAL:
            call = bind("run", node.run)
            wrapped = ", ".join(f"wrap({a})" for a in args)
            expression = f"[t._value for t in {call}([{wrapped}])]"
        elif node.stateful:
            expression = _assignment(node, args[0], bind)
        else:
            expression = _kernel_call(node, args, bind, in_place.get(id(node)))
        unpack = len(targets) > 1 or (node.op is not None and node.op.multi_output) or \
            (node.op is None and node.type not in _SPECIAL)
        lines.append(f"    {', '.join(targets) + (',' if unpack and targets else '')}"
                     f"{' = ' if targets else ''}{expression}")
        line_nodes[len(lines)] = node
        for tensor, target in zip(node.outputs, targets):
            names[id(tensor)] = target
        dead = [names[id(t)] for t in dict.fromkeys(node.inputs)
                if last_use.get(id(t)) == position and id(t) not in keep]
        if dead:
            lines.append(f"    del {', '.join(dead)}")
    returned = ", ".join(names[id(t)] for t in fetches)
    lines.append(f"    return ({returned}{',' if len(fetches) == 1 else ''})")
    return "\n".join(lines) + "\n", namespace, line_nodes


_ASSIGNMENTS = {"AssignVariableOp": ("assign", None),  # (Variable method, NumPy ufunc)
                "AssignAddVariableOp": ("assign_add", np.add),
                "AssignSubVariableOp": ("assign_sub", np.subtract)}


def _assignment(node, value, bind):
    """A variable assignment. A value whose dtype and shape tracing proved to be the
    variable's skips the checks an eager assignment makes."""
    variable = node.attrs["variable"]
    name = bind("var", variable)
    method, ufunc = _ASSIGNMENTS[node.type]
    spec = node.inputs[0]
    if spec.dtype != variable.dtype or spec._shape is None or \
            list(spec._shape) != variable.shape.as_list():
        return f"{name}.{method}(wrap({value}))"
    if ufunc is None:
        return f"{name}._replace({value})"
    return f"{name}._apply({bind('ufunc', ufunc)}, {value})"


def _kernel_call(node, args, bind, reuse=None):
    kernel = bind(f"k_{node.type}_", node.op.kernel)
    attrs = [f"{key}={bind('a', value)}" for key, value in node.attrs.items()]
    if reuse is not None:
        attrs.append(f"out={args[reuse]}")  # the input's buffer dies here (memory plan)
    return f"{kernel}({', '.join(args + attrs)})"
