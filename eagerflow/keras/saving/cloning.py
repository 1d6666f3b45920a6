"""keras.models.clone_model: the same architecture with new layers (fresh weights)."""

from ...util import nest


def clone_model(model, input_tensors=None, clone_function=None, **kwargs):
    """A copy of `model` whose layers are new (freshly initialized weights).

    Sequential and Functional models are rebuilt layer by layer: each layer (Input layers
    aside) becomes `clone_function(layer)`, by default
    `layer.__class__.from_config(layer.get_config())`; a layer used several times is
    cloned once. `input_tensors` (KerasTensors in the structure of `model.input`) are
    the new model's inputs instead of fresh Inputs. Other models are rebuilt from their
    config, `from_config(get_config())`. A compiled model's clone is compiled the same way
    (with a fresh optimizer).
    """
    from ..engine.sequential import Sequential
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs)}")
    if clone_function is not None and not callable(clone_function):
        raise ValueError(f"Expected `clone_function` argument to be a callable. Received: "
                         f"clone_function={clone_function}")
    if isinstance(model, Sequential):
        clone = _clone_sequential(model, _cached(clone_function), input_tensors)
    elif getattr(model, "_graph", None) is not None and type(model).__name__ == "Model":
        clone = _clone_functional(model, _cached(clone_function), input_tensors)
    else:
        if clone_function is not None or input_tensors is not None:
            raise ValueError(
                f"Arguments `clone_function` and `input_tensors` are only supported for "
                f"Sequential models or Functional models. Received model of type "
                f"'{type(model).__name__}', with clone_function={clone_function} and "
                f"input_tensors={input_tensors}")
        from .serialization import deserialize_layer, serialize_layer
        clone = deserialize_layer(serialize_layer(model), {type(model).__name__: type(model)})
    if getattr(model, "compiled", False) and model._compile_config:
        clone.compile(**model._compile_config)
    return clone


def _cached(clone_function):
    function = clone_function or (lambda layer: layer.__class__.from_config(layer.get_config()))
    clones = {}

    def clone(layer):
        if id(layer) not in clones:
            clones[id(layer)] = function(layer)
        return clones[id(layer)]
    return clone


def _clone_sequential(model, clone, input_tensors):
    from ..engine.input_layer import Input, InputLayer
    from ..engine.keras_tensor import KerasTensor
    from ..engine.sequential import Sequential
    layers = [clone(layer) for layer in model.layers]
    first = model._stack[0] if model._stack else None
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError("Argument `input_tensors` must contain a single tensor.")
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor) or \
                not isinstance(input_tensors._node.layer, InputLayer):
            raise ValueError(f"Argument `input_tensors` of a Sequential clone must be the "
                             f"output of keras.Input. Received invalid value: "
                             f"input_tensors={input_tensors}")
        layers.insert(0, input_tensors)
    elif isinstance(first, InputLayer):
        layers.insert(0, Input(batch_shape=first.batch_shape, dtype=first.dtype,
                               name=first.name, optional=first.optional))
    return Sequential(layers, name=model.name, trainable=model.trainable)


def _clone_functional(model, clone, input_tensors):
    from ..engine.input_layer import Input
    from ..engine.keras_tensor import KerasTensor
    from ..engine.model import Model
    graph = model._graph
    if input_tensors is None:
        input_tensors = nest.map_structure(
            lambda x: Input(batch_shape=x.shape, dtype=x.dtype, name=x._node.layer.name),
            graph.inputs)
    flat = nest.flatten(input_tensors)
    if len(flat) != len(graph.flat_inputs) or not all(isinstance(x, KerasTensor) for x in flat):
        raise ValueError(f"`input_tensors` must be KerasTensors in the structure of the "
                         f"model's inputs ({len(graph.flat_inputs)} of them). Received: "
                         f"input_tensors={input_tensors}")
    values = {id(old): new for old, new in zip(graph.flat_inputs, flat)}

    def new_value(x):
        return values[id(x)] if isinstance(x, KerasTensor) else x

    for node in graph.nodes:
        outputs = clone(node.layer)(*nest.map_structure(new_value, list(node.args)),
                                    **nest.map_structure(new_value, dict(node.kwargs)))
        for old, new in zip(node.flat_outputs, nest.flatten(outputs)):
            values[id(old)] = new
    outputs = nest.pack_sequence_as(graph.outputs,
                                    [values[id(x)] for x in graph.flat_outputs])
    return Model(input_tensors, outputs, name=model.name)
