"""An eagerflow graph as a TensorFlow GraphDef protobuf (tensorboardX's copy of TF's
protos), for TensorBoard's Graphs dashboard.

Each IR node becomes one NodeDef: its name, its type as the op, its inputs (`node`,
`node:index`, `^node` for control inputs), `_output_shapes`, a `T` attr (the first
input's dtype; `dtype`, the output's, on Placeholder, Const and ReadVariableOp), `shape`
on placeholders, and the node's own attrs. Constants of more than 1024 elements keep only
their dtype and shape; a variable attr becomes the variable's path (Keras weights) or
name. The sub-graphs of control flow (a Cond's branches, a While's condition and body)
are added under the name scope `<node>/<attr>/`, named by a `func` attr, their captures
fed by the outer tensors.
"""

import numpy as np

from .. import dtypes
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..graph.ir import Graph
from . import protos

_LARGE = 1024
_SOURCES = ("Placeholder", "Const", "ReadVariableOp")


def to_graph_def(graph):
    """The GraphDef of `graph` (a tf.Graph: a tf.function trace, a TF1 graph)."""
    definition = protos.module("graph_pb2").GraphDef()
    _add_nodes(definition, graph, "", "")
    return definition


def _add_nodes(definition, graph, prefix, outer_prefix):
    fed_by = {id(placeholder): outer for outer, placeholder in graph.captures.values()}
    for node in graph.nodes:
        proto = definition.node.add(name=prefix + node.name, op=node.type)
        proto.input.extend(_input_name(t, prefix) for t in node.inputs)
        if node.outputs and id(node.outputs[0]) in fed_by:
            proto.input.append(_input_name(fed_by[id(node.outputs[0])], outer_prefix))
        proto.input.extend(f"^{prefix}{c.name}" for c in node.control_inputs)
        _set_type_attrs(proto, node)
        for key, value in node.attrs.items():
            if isinstance(value, Graph):
                scope = f"{prefix}{node.name}/{key}"
                proto.attr[key].func.name = scope
                _add_nodes(definition, value, scope + "/", prefix)
            elif value is not None:
                proto.attr[key].CopyFrom(_attr_value(value))


def _input_name(tensor, prefix):
    return prefix + (tensor.node.name if tensor.index == 0 else tensor.name)


def _set_type_attrs(proto, node):
    if not node.outputs:
        return
    proto.attr["_output_shapes"].list.shape.extend(
        protos.shape_proto(t._shape) for t in node.outputs)
    if node.type in _SOURCES:
        proto.attr["dtype"].type = protos.data_type(node.outputs[0].dtype.name)
    else:
        typed = node.inputs[0] if node.inputs else node.outputs[0]
        proto.attr["T"].type = protos.data_type(typed.dtype.name)
    if node.type == "Placeholder":
        proto.attr["shape"].shape.CopyFrom(protos.shape_proto(node.outputs[0]._shape))


def _attr_value(value):
    attr_value_pb2 = protos.module("attr_value_pb2")
    AttrValue = attr_value_pb2.AttrValue
    if isinstance(value, (bool, np.bool_)):
        return AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue(f=float(value))
    if isinstance(value, str):
        return AttrValue(s=value.encode())
    if isinstance(value, dtypes.DType):
        return AttrValue(type=protos.data_type(value.name))
    if isinstance(value, Variable):
        return AttrValue(s=_variable_name(value).encode())
    if isinstance(value, Tensor):
        return AttrValue(tensor=_tensor(np.asarray(value._value)))
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
            return AttrValue(list=AttrValue.ListValue(i=[int(v) for v in value]))
        if all(isinstance(v, (float, np.floating)) for v in value):
            return AttrValue(list=AttrValue.ListValue(f=[float(v) for v in value]))
        if all(isinstance(v, Variable) for v in value):  # a fused update's variables
            return AttrValue(list=AttrValue.ListValue(
                s=[_variable_name(v).encode() for v in value]))
    return AttrValue(s=repr(value).encode())


def _variable_name(variable):
    return getattr(variable, "path", variable.name)


def _tensor(array):
    if array.size <= _LARGE:
        return protos.tensor_proto(array)
    proto = protos.tensor_proto(array.reshape(-1)[:0])
    proto.tensor_shape.CopyFrom(protos.shape_proto(array.shape))
    return proto
