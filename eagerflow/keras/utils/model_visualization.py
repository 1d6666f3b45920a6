"""keras.utils.model_to_dot / plot_model: a model's layer graph drawn with pydot (and
rendered by graphviz's `dot` program, except for `.dot` files, which are its source).

Each layer is a node whose label is a small table: the layer's name and class (an op
recorded in a Functional model shows the op's name), then on request its activation,
input and output shapes, dtypes and trainability. Sequential models chain their layers
(without the input layer, as Keras 3 draws them); Functional models draw their input
layers and an edge for each layer call's inputs; a subclassed model is one node.
`expand_nested` draws nested Sequential and Functional models as dashed clusters.
"""

import html
import os

_PYDOT_MISSING = "You must install pydot (`pip install pydot`) for `plot_model` to work."
_GRAPHVIZ_MISSING = ("You must install graphviz (see instructions at "
                     "https://graphviz.gitlab.io/download/) for `plot_model` to work.")


def _pydot():
    try:
        import pydot
    except ImportError as error:
        raise ImportError(_PYDOT_MISSING) from error
    return pydot


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False):
    """The model's layer graph as a `pydot.Dot` (a `pydot.Cluster` with `subgraph=True`).

    Args:
        show_shapes / show_dtype: add each layer's input and output shapes / dtypes.
        show_layer_names: put the layer's name before its class.
        rankdir: graphviz's layout direction: "TB" (top to bottom) or "LR".
        expand_nested: draw nested models' layers inside a cluster.
        dpi: the rendering's resolution.
        show_layer_activations / show_trainable: add the activation / trainability.
    """
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by "
                         "calling `build()` or by calling the model on a batch of data.")
    pydot = _pydot()
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype,
               "show_layer_names": show_layer_names, "expand_nested": expand_nested,
               "show_layer_activations": show_layer_activations,
               "show_trainable": show_trainable}
    if subgraph:
        dot = _cluster(pydot, model)
    else:
        dot = pydot.Dot(graph_type="digraph")
        dot.set("rankdir", rankdir)
        dot.set("concentrate", "true")
        dot.set("dpi", dpi)
        dot.set_node_defaults(shape="plaintext", fontname="Helvetica")
    _draw(pydot, dot, model, options)
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False):
    """Draws the model (see `model_to_dot`) into `to_file`, in the format its extension
    names (png when it has none). A `.dot` file gets the graph's source and needs no
    graphviz; other formats are rendered by graphviz's `dot`. Returns an IPython Image of
    the file when IPython is installed and the format is neither pdf nor dot."""
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable)
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    if extension == "dot":
        with open(to_file, "w") as file:
            file.write(dot.to_string())
        return None
    try:
        dot.write(to_file, format=extension)
    except FileNotFoundError as error:  # pydot's report that the `dot` program is missing
        raise ImportError(_GRAPHVIZ_MISSING) from error
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    return display.Image(filename=to_file)


def _cluster(pydot, model):
    return pydot.Cluster(graph_name=f"{model.name}_{id(model)}", label=model.name,
                         style="dashed", labeljust="l")


def _draw(pydot, dot, model, options):
    """Adds the model's layers and edges to `dot`; returns the node ids edges into and out
    of the model attach to."""
    layers, edges, entries, exits = _structure(model)
    ends = {}  # id(layer) -> (node ids edges in attach to, node ids edges out leave)
    for layer in layers:
        if options["expand_nested"] and layer is not model and _has_structure(layer):
            cluster = _cluster(pydot, layer)
            ends[id(layer)] = _draw(pydot, cluster, layer, options)
            dot.add_subgraph(cluster)
        else:
            node_id = str(id(layer))
            dot.add_node(pydot.Node(node_id, label=_label(model, layer, options)))
            ends[id(layer)] = ([node_id], [node_id])
    drawn = set()
    for source, target in edges:
        for start in ends[id(source)][1]:
            for end in ends[id(target)][0]:
                if (start, end) not in drawn:
                    drawn.add((start, end))
                    dot.add_edge(pydot.Edge(start, end))
    return ([n for layer in entries for n in ends[id(layer)][0]],
            [n for layer in exits for n in ends[id(layer)][1]])


def _has_structure(layer):
    from ..engine.sequential import Sequential
    return isinstance(layer, Sequential) or getattr(layer, "_graph", None) is not None


def _structure(model):
    """(layers, edges as (source, target) layer pairs, entry layers, exit layers)."""
    from ..engine.sequential import Sequential
    if isinstance(model, Sequential):
        layers = model.layers
        return layers, list(zip(layers, layers[1:])), layers[:1], layers[-1:]
    graph = getattr(model, "_graph", None)
    if graph is None:
        return [model], [], [model], [model]
    edges = [(parent.layer, node.layer) for node in graph.nodes
             for parent in node.parent_nodes]
    return (graph.layers, edges, [x._node.layer for x in graph.flat_inputs],
            [x._node.layer for x in graph.flat_outputs])


def _label(model, layer, options):
    """An HTML-like graphviz label: a table with one row per shown fact."""
    kind = layer.op.name if hasattr(layer, "op") else type(layer).__name__
    title = f"<b>{html.escape(layer.name)}</b> ({html.escape(kind)})" \
        if options["show_layer_names"] else f"<b>{html.escape(kind)}</b>"
    rows = [[title]]
    activation = getattr(layer, "activation", None)
    if options["show_layer_activations"] and activation is not None:
        name = getattr(activation, "__name__", type(activation).__name__)
        rows.append([f"Activation: {html.escape(name)}"])
    inputs, outputs = _call_tensors(model, layer)
    if options["show_shapes"]:
        rows.append([f"Input shape: {_describe(inputs, _shape)}",
                     f"Output shape: {_describe(outputs, _shape)}"])
    if options["show_dtype"]:
        rows.append([f"Input dtype: {_describe(inputs, _dtype)}",
                     f"Output dtype: {_describe(outputs, _dtype)}"])
    if options["show_trainable"]:
        rows.append([f"Trainable: {layer.trainable}"])
    width = max(len(row) for row in rows)
    cells = "".join(
        "<tr>" + "".join(f'<td colspan="{width // len(row)}">{cell}</td>' for cell in row)
        + "</tr>" for row in rows)
    return f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="6">{cells}</table>>'


def _call_tensors(model, layer):
    """The KerasTensors into and out of the layer's call within the model (an input
    layer's output is also its input); None when unknown."""
    from ..engine.input_layer import InputLayer
    graph = getattr(model, "_graph", None)
    if isinstance(layer, InputLayer):
        outputs = layer._inbound_nodes[0].flat_outputs
        return outputs, outputs
    node = next((n for n in layer._inbound_nodes if graph is not None and n in graph.nodes),
                None)
    if node is None:
        return None, None
    return node.input_tensors, node.flat_outputs


def _describe(tensors, fact):
    if tensors is None:
        return "?"
    facts = [fact(t) for t in tensors]
    return html.escape(facts[0] if len(facts) == 1 else "[" + ", ".join(facts) + "]")


def _shape(tensor):
    return str(tuple(tensor.shape))


def _dtype(tensor):
    return tensor.dtype.name
