"""The graph IR: nodes in program order, each one op applied to symbolic tensors.

A `Graph` is built by running Python code on `SymbolicTensor`s: an eagerflow op
that receives one does not compute — the op registry hands the call to the
tensor's graph, which appends a `Node` whose output shapes and dtypes come from
the op's shape rule. Values from outside the graph become `Const` nodes,
variables `ReadVariableOp` nodes, and assignments stateful `AssignVariableOp`
nodes, all kept in program order. Graphs print as one typed line per node:

    %x = Placeholder() : float32[None,3]
    %add = Add(%x, %Const) : float32[None,3]
"""

import os
import sys

import numpy as np

from .. import dtypes
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ..framework.variables import Variable
from ..ops.registry import Spec, check_dtypes
from ..ops.tensor_operators import equality_operators, symbolic_operators

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class AbstractValue:
    """What graph-building code may know of a symbolic tensor's value: its shape (None
    for unknown dims) and dtype, never its data. It stands in for an eager tensor's
    array, so shape logic written against `x._value.shape` works on both."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        if None in self.shape:
            return None
        count = 1
        for d in self.shape:
            count *= d
        return count

    def __array__(self, dtype=None, copy=None):
        raise TypeError("This computation needs a tensor's data, which does not exist while "
                        "the graph is being built.")


class SymbolicTensor:
    """An output of a graph node: a shape (None for unknown dims), a dtype, no value."""

    __slots__ = ("node", "index", "_shape", "dtype", "_keras_logits")

    def __init__(self, node, index, shape, dtype):
        self.node = node
        self.index = index
        self._shape = shape
        self.dtype = dtype

    @property
    def shape(self):
        return TensorShape(self._shape)

    def get_shape(self):
        return self.shape

    @property
    def _value(self):
        if self._shape is None:
            raise ValueError(f"{self.name} has an unknown rank; this computation needs it.")
        return AbstractValue(self._shape, self.dtype._np)

    @property
    def ndim(self):
        return None if self._shape is None else len(self._shape)

    @property
    def op(self):
        return self.node

    @property
    def graph(self):
        return self.node.graph

    @property
    def name(self):
        return f"{self.node.name}:{self.index}"

    def _dispatch_op(self, op, inputs, attrs):
        # Into the graph being built (a branch may use an outer graph's tensors).
        return (context.current_graph() or self.node.graph).apply(op, inputs, attrs)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"Cannot convert a symbolic tf.Tensor ({self.name}) to a NumPy array: "
                        f"it has no value while the graph is being built. Compute with it "
                        f"using tf ops, and read values by running the function or Session.")

    def __bool__(self):
        raise TypeError(f"Using a symbolic tf.Tensor ({self.name}) as a Python `bool` is not "
                        f"allowed while building a graph. Use tf.cond / tf.where for "
                        f"tensor-dependent choices.")

    def __len__(self):
        if self._shape and self._shape[0] is not None:
            return self._shape[0]
        raise TypeError(f"len of {self.name} is unknown while building the graph.")

    def __iter__(self):
        raise TypeError(f"Iterating over the symbolic tf.Tensor {self.name} is not allowed "
                        f"while building a graph. AutoGraph turns a `for` over a tensor into "
                        f"a graph loop unless the loop contains a `return`.")

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"


for _name, _method in {**symbolic_operators(), **equality_operators()}.items():
    setattr(SymbolicTensor, _name, _method)


class Node:
    """One operation: `type` names it (the op's name, or Placeholder/Const/…), `run`
    computes its outputs from its inputs' values."""

    __slots__ = ("graph", "name", "type", "inputs", "attrs", "outputs", "run", "stateful",
                 "source", "op", "control_inputs")

    def __init__(self, graph, name, node_type, inputs, attrs, run, stateful, source, op=None):
        self.graph = graph
        self.op = op  # the OpDef of an op node; None for Placeholder, Const, variables
        self.control_inputs = []  # nodes that must run before this one (tf.group)
        self.name = name
        self.type = node_type
        self.inputs = inputs
        self.attrs = attrs
        self.run = run
        self.stateful = stateful
        self.source = source
        self.outputs = []

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"

    def assigned_variables(self):
        """The variables running this node assigns."""
        if not self.stateful:
            return ()
        if "variable" in self.attrs:
            return (self.attrs["variable"],)
        return self.attrs.get("variables", ())

    def __str__(self):
        outputs = ", ".join(f"%{self.name}" + ("" if len(self.outputs) == 1 else f":{t.index}")
                            for t in self.outputs) or "()"
        args = [f"%{t.node.name}" + ("" if len(t.node.outputs) == 1 else f":{t.index}")
                for t in self.inputs]
        args += [f"{k}={_attr_text(v)}" for k, v in self.attrs.items()]
        types = ", ".join(_type_text(t) for t in self.outputs)
        return f"{outputs} = {self.type}({', '.join(args)})" + (f" : {types}" if types else "")


class Graph:
    """A graph under construction or ready to run; `as_default()` makes ops build into it."""

    def __init__(self, outer=None, own_reads=frozenset()):
        self.outer = outer    # the enclosing graph of a branch or loop body
        self.own_reads = own_reads  # ids of the variables a loop body reads itself
        self.captures = {}    # id(outer tensor) -> (outer tensor, placeholder standing for it)
        self._branch_reads = {}  # id(variable) -> the read its branches share
        self.nodes = []
        self._name_counts = {}
        self._names = set()

    # --- construction ----------------------------------------------------------------

    def _unique(self, base):
        """`base`, or `base_1`, `base_2`, … : the first that no node of the graph has."""
        count = self._name_counts.get(base, 0)
        name = base if count == 0 else f"{base}_{count}"
        while name in self._names:
            count += 1
            name = f"{base}_{count}"
        self._name_counts[base] = count + 1
        self._names.add(name)
        return name

    def _add(self, node_type, inputs, attrs, specs, run, stateful=False, name=None, op=None):
        node = Node(self, self._unique(name or _snake(node_type)), node_type, list(inputs),
                    attrs, run, stateful, _user_source(), op)
        node.outputs = [SymbolicTensor(node, i, s.shape, s.dtype) for i, s in enumerate(specs)]
        self.nodes.append(node)
        return node

    def apply(self, op, inputs, attrs):
        """The op on `inputs` (symbolic tensors of this graph, or values to capture)."""
        hint = next((x.dtype for x in inputs if isinstance(x, SymbolicTensor)), None)
        tensors = [self.capture(x, hint if op.same_dtype else None) for x in inputs]
        if all(t._shape is not None for t in tensors):
            check_dtypes(op, tensors)
        specs = _output_specs(op, tensors, attrs)
        node = self._add(op.name, tensors, dict(attrs), specs,
                         lambda values: op(*values, **attrs), op=op)
        outputs = tuple(node.outputs) if op.multi_output else node.outputs[0]
        for tape in context.recording_tapes():
            tape._record(op, tensors, attrs, outputs)
        return outputs

    def capture(self, value, dtype=None):
        """`value` as a tensor of this graph: constants and variables become nodes."""
        if isinstance(value, SymbolicTensor):
            if value.graph is self:
                return value
            if self.outer is None:
                raise ValueError(f"Tensor {value.name} belongs to another graph than the one "
                                 f"being built; pass it in as an argument instead.")
            outer_value = self.outer.capture(value)
            if id(outer_value) not in self.captures:
                self.captures[id(outer_value)] = (outer_value, self.placeholder(
                    outer_value.dtype, outer_value._shape, name="capture"))
            return self.captures[id(outer_value)][1]
        if isinstance(value, Variable):
            return self.read_variable(value)
        constant = convert_to_tensor(value, dtype=None if isinstance(value, Tensor) else dtype)
        return self._add("Const", [], {"value": constant}, [_spec_of(constant)],
                         lambda values: (constant,)).outputs[0]

    def placeholder(self, dtype, shape=None, name=None):
        shape = TensorShape(shape)
        dims = None if shape.rank is None else tuple(shape.dims)
        return self._add("Placeholder", [], {}, [Spec(dims, dtypes.as_dtype(dtype))], None,
                         name=name or "Placeholder").outputs[0]

    def read_variable(self, variable):
        if self.outer is not None and id(variable) not in self.own_reads and not any(
                any(x is variable for x in node.assigned_variables()) for node in self.nodes):
            # A branch or loop body reads the value its enclosing graph sees (so gradients
            # reach the variable through the control-flow node) unless it assigned it; a
            # tape recording inside the branch sees the captured value as the read.
            tensor = self.capture(self.outer._read_for_branch(variable))
            for tape in context.recording_tapes():
                tape._read_variable(variable, tensor)
            return tensor
        spec = Spec(tuple(variable.shape.as_list()), variable.dtype)
        name = _snake(variable.name.split(":")[0].split("/")[-1])
        tensor = self._add("ReadVariableOp", [], {"variable": variable}, [spec],
                           lambda values: (variable._as_tensor(),), name=name + "/read").outputs[0]
        for tape in context.recording_tapes():
            tape._read_variable(variable, tensor)
        return tensor

    def _read_for_branch(self, variable):
        """One read of `variable` shared by the branches (and their gradients) that use it,
        until the variable is assigned."""
        if id(variable) not in self._branch_reads:
            self._branch_reads[id(variable)] = self.read_variable(variable)
        return self._branch_reads[id(variable)]

    def assign_variable(self, variable, method, value):
        """A stateful node running `variable.<method>(value)` in program order."""
        tensor = self.capture(value, variable.dtype)
        self._branch_reads.pop(id(variable), None)
        node_type = {"assign": "AssignVariableOp", "assign_add": "AssignAddVariableOp",
                     "assign_sub": "AssignSubVariableOp"}[method]

        def run(values):
            getattr(variable, method)(values[0])
            return ()
        return self._add(node_type, [tensor], {"variable": variable}, [], run, stateful=True)

    def update_variables(self, node_type, variables, inputs, update):
        """A stateful node running update(variables, input arrays), which assigns
        `variables` in place (a fused optimizer step), in program order."""
        tensors = [self.capture(x) for x in inputs]
        for variable in variables:
            self._branch_reads.pop(id(variable), None)

        def run(values):
            update(variables, [t._value for t in values])
            return ()
        return self._add(node_type, tensors, {"variables": tuple(variables)}, [], run,
                         stateful=True)

    def group(self, nodes, name="group_deps"):
        """A node that, when run, runs `nodes` first (TF's tf.group / a train op)."""
        node = self._add("NoOp", [], {}, [], lambda values: (), name=name)
        node.control_inputs = list(nodes)
        return node

    def host_call(self, compute, shape, dtype, name, run_time_shape=None):
        """A stateful node whose value compute(shape) makes on each run (e.g. a random
        draw); `shape` may have None entries when `run_time_shape`, a 1-D int tensor,
        gives the shape at run time."""
        spec = Spec(None if shape is None else tuple(shape), dtypes.as_dtype(dtype))
        if run_time_shape is None:
            return self._add(name, [], {}, [spec], lambda values: (compute(shape),),
                             stateful=True).outputs[0]

        def run(values):
            return (compute(tuple(int(d) for d in values[0]._value)),)
        return self._add(name, [self.capture(run_time_shape)], {}, [spec], run,
                         stateful=True).outputs[0]

    def as_default(self):
        """Ops run inside build into this graph instead of executing."""
        return context.building(self)

    # --- inspection ----------------------------------------------------------------

    def get_operations(self):
        return list(self.nodes)

    def get_operation_by_name(self, name):
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"The name '{name}' refers to no operation in this graph.")

    def get_tensor_by_name(self, name):
        op_name, _, index = name.partition(":")
        return self.get_operation_by_name(op_name).outputs[int(index or 0)]

    def as_graph_def(self):
        """The graph as plain data, in the layout of TF's GraphDef: {'node': [{'name',
        'op', 'input', 'attr'}]}; an input is 'node' or 'node:index'."""
        def input_name(tensor):
            return tensor.node.name if tensor.index == 0 else tensor.name
        return {"node": [{"name": node.name, "op": node.type,
                          "input": [input_name(t) for t in node.inputs]
                          + ["^" + c.name for c in node.control_inputs],
                          "attr": {k: _attr_text(v) for k, v in node.attrs.items()}}
                         for node in self.nodes]}

    def to_dot(self):
        """The graph in GraphViz's DOT language (`dot -Tsvg`)."""
        lines = ["digraph G {", "  node [shape=box, fontname=monospace];"]
        for node in self.nodes:
            types = ", ".join(_type_text(t) for t in node.outputs)
            lines.append(f'  "{node.name}" [label="{node.name}\\n{node.type}'
                         f'{chr(92) + "n" + types if types else ""}"];')
            lines += [f'  "{t.node.name}" -> "{node.name}";' for t in node.inputs]
            lines += [f'  "{c.name}" -> "{node.name}" [style=dashed];'
                      for c in node.control_inputs]
        return "\n".join(lines + ["}"])

    def __str__(self):
        return "\n".join(str(node) for node in self.nodes)


def _output_specs(op, tensors, attrs):
    specs = [Spec(t._shape, t.dtype) for t in tensors]
    if any(s.shape is None for s in specs):
        # Unknown rank: shape rules need ranks; keep the dtype, leave the shape unknown.
        return [Spec(None, specs[0].dtype)]
    out = op.infer(*specs, **attrs)
    return [out] if isinstance(out, Spec) else list(out)


def _spec_of(tensor):
    return Spec(tuple(tensor._value.shape), tensor.dtype)


def _snake(name):
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and (name[i - 1].islower() or (
                i + 1 < len(name) and name[i + 1].islower())):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def is_user_file(filename):
    """Whether code in `filename` is the user's (not eagerflow's own)."""
    return not filename.startswith(_PACKAGE_DIR)


def _user_source():
    """file:line of the innermost frame outside eagerflow (the user's line)."""
    frame = sys._getframe(2)
    while frame is not None and not is_user_file(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _type_text(tensor):
    if tensor._shape is None:
        return f"{tensor.dtype.name}[?]"
    dims = ",".join("None" if d is None else str(d) for d in tensor._shape)
    return f"{tensor.dtype.name}[{dims}]"


def _attr_text(value):
    if isinstance(value, Graph):
        return "{\n" + "\n".join("      " + line for line in str(value).splitlines()) + "\n    }"
    if isinstance(value, Tensor):
        array = np.asarray(value._value)
        if array.size > 6:
            return f"<{value.dtype.name}{list(array.shape)}>"
        return str(array[()]) if array.ndim == 0 else np.array2string(
            array, separator=", ", max_line_width=1 << 30).replace("\n", "")
    if isinstance(value, Variable):
        return f"<variable {value.name}>"
    return repr(value)
