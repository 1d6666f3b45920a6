"""Where each object's variables live in a Keras 3 weights file, found the way Keras 3
walks a model: a Sequential's or Functional's `layers` first (each addressed by its
class name in snake case, numbered within its container: `layers/dense`,
`layers/dense_1`), then the object's attributes in name order (private ones last) that
hold a layer, an optimizer or a list/tuple/dict of layers (`encoder`, `blocks/dense`,
`optimizer`). Each object is saved once, where the walk first meets it; its own
variables go under `<path>/vars/<i>` (the root's under `vars/<i>`)."""

from ..engine.base_layer import _UNTRACKED_ATTRIBUTES, Layer
from ..engine.input_layer import InputLayer
from ..engine.naming import to_snake_case
from ..engine.op_layer import OpLayer
from .serialization import class_name

# The engine's own lists of a model's layers (met already as `layers`).
_ENGINE_CONTAINERS = frozenset(("_stack", "_graph_layers"))


def saveables(model):
    """[(path, object)] for the model, every layer it holds and every optimizer (of a
    compiled model) in walk order; the model's path is ''."""
    from ..optimizers import Optimizer
    found, seen = [], set()

    def visit(obj, path):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        found.append((path, obj))
        if isinstance(obj, Optimizer):
            return
        for attribute, value in _children(obj, Optimizer):
            child = _join(path, attribute)
            if isinstance(value, (Layer, Optimizer)):
                visit(value, child)
            else:
                used = {}
                for item in _flat_layers(value):
                    name = to_snake_case(class_name(item))
                    count = used.get(name)
                    used[name] = 0 if count is None else count + 1
                    visit(item, _join(child, name if count is None else f"{name}_{count + 1}"))

    visit(model, "")
    return found


def own_variables(obj):
    """The variables an object saves itself: a layer's own (trainable first), an
    optimizer's all (iterations, learning rate, slots)."""
    if isinstance(obj, Layer):
        return obj._trainable_variables + obj._non_trainable_variables
    return obj.variables


def vars_path(path):
    return _join(path, "vars")


def _join(path, name):
    return f"{path}/{name}" if path else name


def _children(obj, optimizer_class):
    from ..engine.sequential import Sequential
    if isinstance(obj, Sequential):
        yield "layers", obj.layers
    elif getattr(obj, "_graph", None) is not None:
        yield "layers", [op for op in keras_operation_order(obj._graph)
                         if not isinstance(op, OpLayer)]
    names = sorted((name for name in vars(obj)
                    if name not in _UNTRACKED_ATTRIBUTES and name not in _ENGINE_CONTAINERS),
                   key=lambda name: "~" + name if name.startswith("_") else name)
    for name in names:
        value = vars(obj)[name]
        if isinstance(value, (Layer, optimizer_class)) or (
                isinstance(value, (list, tuple, dict)) and _flat_layers(value)):
            yield name, value


def _flat_layers(container):
    """The layers in a list/tuple/dict (nested ones included), in order."""
    items = container.values() if isinstance(container, dict) else container
    layers = []
    for item in items:
        if isinstance(item, Layer):
            layers.append(item)
        elif isinstance(item, (list, tuple, dict)):
            layers.extend(_flat_layers(item))
    return layers


def keras_operation_order(graph):
    """A Functional graph's layers (op layers included) in Keras 3's order: farthest from
    the outputs first, ties in the order a depth-first walk from the outputs meets them.
    Keras numbers a Functional's layers in the weights file in this order."""
    input_ids = {id(x) for x in graph.flat_inputs}
    first_seen, post_order, finished = {}, [], set()

    def walk(tensor):
        node = tensor._node
        if id(node) in finished:
            return
        if id(tensor) in input_ids and not isinstance(node.layer, InputLayer):
            finished.add(id(node))
            return
        first_seen.setdefault(node.layer, len(first_seen))
        if not isinstance(node.layer, InputLayer):
            for parent in node.input_tensors:
                walk(parent)
        finished.add(id(node))
        post_order.append(node)

    for output in graph.flat_outputs:
        walk(output)
    in_graph = {id(node) for node in post_order}
    node_depth, layer_depth = {}, {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = node_depth[id(node)] = depth
        for parent in node.input_tensors:
            if id(parent._node) in in_graph:
                node_depth[id(parent._node)] = max(depth + 1,
                                                   node_depth.get(id(parent._node), 0))
    for x in graph.flat_inputs:
        if x._node.layer not in layer_depth and isinstance(x._node.layer, InputLayer):
            layer_depth[x._node.layer], first_seen[x._node.layer] = 0, -1
    return sorted(layer_depth, key=lambda layer: (-layer_depth[layer], first_seen[layer]))
