"""The config of a Functional model in Keras 3's form: each layer with its
inbound nodes, whose arguments name KerasTensors by (layer, node, index)."""

from ...util import nest
from ..engine.input_layer import InputLayer
from ..engine.keras_tensor import KerasTensor
from .serialization import deserialize_layer, serialize_layer


def functional_config(model):
    graph = model._graph

    def tensor_config(x):
        if isinstance(x, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(x.shape), "dtype": x.dtype.name,
                               "keras_history": graph.history(x)}}
        return x

    layers = []
    for layer in graph.layers:
        entry = serialize_layer(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            {"args": nest.map_structure(tensor_config, list(node.args)),
             "kwargs": nest.map_structure(tensor_config, dict(node.kwargs))}
            for node in layer._inbound_nodes if node in graph.nodes]
        layers.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": _endpoints(graph, graph.inputs),
            "output_layers": _endpoints(graph, graph.outputs)}


def _endpoints(graph, structure):
    """The inputs' or outputs' histories; a single tensor as a list of one, as Keras 3
    writes it."""
    if isinstance(structure, KerasTensor):
        return [graph.history(structure)]
    return _histories(graph, structure)


def _histories(graph, structure):
    if isinstance(structure, KerasTensor):
        return graph.history(structure)
    if isinstance(structure, dict):
        return {k: _histories(graph, v) for k, v in structure.items()}
    return [_histories(graph, s) for s in structure]


def functional_from_config(cls, config, custom_objects=None):
    """Recreates the layers and replays their calls in order (fresh weights)."""
    outputs_of = {}

    def tensor_of(item):
        if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
            name, node_index, index = item["config"]["keras_history"]
            return outputs_of[(name, node_index)][index]
        return item

    for entry in config["layers"]:
        function = _keras_op(entry)
        if function is None:
            layer = function = deserialize_layer(entry, custom_objects)
            if isinstance(layer, InputLayer):
                outputs_of[(layer.name, 0)] = [layer.output]
        for node_index, node in enumerate(entry["inbound_nodes"]):
            args = [_map_items(tensor_of, a) for a in node["args"]]
            kwargs = {k: _map_items(tensor_of, v) for k, v in node["kwargs"].items()}
            outputs_of[(entry["name"], node_index)] = nest.flatten(function(*args, **kwargs))

    def lookup(history):
        name, node_index, index = history
        return outputs_of[(name, node_index)][index]

    inputs = _single(_map_history(lookup, config["input_layers"]))
    outputs = _single(_map_history(lookup, config["output_layers"]))
    return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))


# Keras 3 operations (keras.src.ops.*) a Functional config may name, e.g. from `x + 1.0`
# on a KerasTensor: eagerflow records the same op as an op layer when replaying the call.
_KERAS_OPS = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply",
              "Divide": "divide", "TrueDivide": "divide", "Matmul": "matmul",
              "Maximum": "maximum", "Minimum": "minimum", "Power": "pow"}


def _keras_op(entry):
    """The eagerflow function for a Keras 3 operation entry; None for a layer."""
    module = entry.get("module") or ""
    if not module.startswith("keras.src.ops."):
        return None
    name = _KERAS_OPS.get(entry["class_name"])
    if name is None:
        raise ValueError(f"The Functional config calls the Keras operation "
                         f"{module}.{entry['class_name']} (node '{entry.get('name')}'), which "
                         f"eagerflow cannot rebuild; supported operations: "
                         f"{', '.join(sorted(_KERAS_OPS))}.")
    import eagerflow as tf
    return getattr(tf, name)


def _single(structure):
    """A list of one tensor stands for that tensor (Keras 3 writes a lone input so)."""
    return structure[0] if isinstance(structure, list) and len(structure) == 1 else structure


def _map_items(fn, value):
    if isinstance(value, list):
        return [_map_items(fn, v) for v in value]
    return fn(value)


def _map_history(fn, structure):
    """Applies fn to each [name, node, index] triple of a (nested) list of them."""
    if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: _map_history(fn, v) for k, v in structure.items()}
    return [_map_history(fn, s) for s in structure]
