"""Model: a layer with training (compile/fit/evaluate/predict) and summaries.

One class serves two of Keras's three APIs without `__new__` tricks:
`Model(inputs, outputs)` holds a LayerGraph (the Functional API) and runs it;
a subclass defines `call` itself (the subclassing API). Sequential builds a
LayerGraph too (sequential.py).
"""

from ...util import nest
from ..trainers.trainer import Trainer
from . import naming
from .base_layer import Layer
from .compiled_calls import CompiledCalls
from .functional import LayerGraph
from .keras_tensor import KerasTensor
from .op_layer import OpLayer


class Model(Trainer, Layer):
    """A trainable graph of layers: `Model(inputs, outputs)`, or subclass with `call`."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        if (inputs is None) != (outputs is None):
            raise ValueError("A Functional model needs both `inputs` and `outputs`; received "
                             f"inputs={inputs!r}, outputs={outputs!r}.")
        default = "functional" if inputs is not None else naming.to_snake_case(
            type(self).__name__)
        if kwargs.get("name") is None:
            kwargs["name"] = naming.unique_name(default)
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        self._graph = None
        if inputs is not None:
            self._set_graph(LayerGraph(inputs, outputs))

    def _set_graph(self, graph):
        self._graph = graph
        self._graph_layers = graph.layers
        self._compiled_calls = CompiledCalls(self)
        self.built = True

    def __call__(self, *args, **kwargs):
        if self._graph is not None:
            compiled = self._compiled_calls.lookup(args, kwargs)
            if compiled is not None:
                return compiled._call_flat(args)
        return super().__call__(*args, **kwargs)

    def call(self, inputs, training=None, mask=None):
        if self._graph is None:
            raise NotImplementedError(
                f"Model '{self.name}' has no call(): subclass keras.Model and define "
                f"call(self, inputs), or build a Functional model with Model(inputs, outputs).")
        flat = self._graph.adjust_ranks(self._graph.flatten_inputs(inputs, self.name))
        return self._graph.run(flat, training)

    def _maybe_build(self, inputs):
        """A subclassed model's layers build themselves during its first call."""
        if self._graph is None:
            self.built = True
        else:
            super()._maybe_build(inputs)

    def build(self, input_shape):
        """Builds a subclassed model's layers by running `call` on symbolic inputs of
        `input_shape` (a shape, or a list of shapes for several inputs)."""
        if self._graph is not None:
            return
        inputs = _symbolic_inputs(input_shape)
        with naming.scratch():
            self.call(inputs)

    # --- structure ------------------------------------------------------------------------

    @property
    def layers(self):
        """The model's layers (for a Functional model: in graph order, ops excluded)."""
        if self._graph is not None:
            return [layer for layer in self._graph_layers if not isinstance(layer, OpLayer)]
        return self._layers

    def get_layer(self, name=None, index=None):
        """A layer by name or by index in `layers`."""
        if index is not None:
            if name is not None:
                raise ValueError("Provide only a layer name or a layer index, not both.")
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    @property
    def inputs(self):
        return None if self._graph is None else self._graph.flat_inputs

    @property
    def outputs(self):
        return None if self._graph is None else self._graph.flat_outputs

    @property
    def input(self):
        self._require_graph("input")
        return self._graph.inputs

    @property
    def output(self):
        self._require_graph("output")
        return self._graph.outputs

    @property
    def input_shape(self):
        self._require_graph("input_shape")
        return nest.map_structure(lambda x: x.shape, self._graph.inputs)

    @property
    def output_shape(self):
        self._require_graph("output_shape")
        return nest.map_structure(lambda x: x.shape, self._graph.outputs)

    @property
    def input_names(self):
        return [] if self._graph is None else self._graph.input_names

    @property
    def output_names(self):
        return [] if self._graph is None else self._graph.output_names

    def _require_graph(self, what):
        if self._graph is None:
            raise AttributeError(f"Model '{self.name}' has no `{what}`: only Functional and "
                                 f"built Sequential models have one.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints a table of the layers, their output shapes and parameter counts."""
        from .summary import print_summary
        print_summary(self, line_length=line_length, print_fn=print_fn)

    # --- saving -------------------------------------------------------------------------

    def save_weights(self, filepath, overwrite=True):
        """Writes every weight to `filepath` (`.weights.h5` as Keras does, or `.npz`)."""
        from ..saving import weights_file
        weights_file.save_weights(self, filepath, overwrite)

    def load_weights(self, filepath):
        """Reads weights written by save_weights into this (same-architecture) model."""
        from ..saving import weights_file
        weights_file.load_weights(self, filepath)

    def save(self, filepath, overwrite=True, **kwargs):
        """Writes the model (architecture, weights, compile settings) to a `.keras` file;
        `keras.models.load_model` reads it back."""
        from ..saving.keras_file import save_model
        save_model(self, filepath, overwrite, **kwargs)

    def to_json(self, **kwargs):
        """The architecture as JSON; `keras.models.model_from_json` rebuilds it."""
        from ..saving.serialization import model_to_json
        return model_to_json(self, **kwargs)

    # --- config --------------------------------------------------------------------------

    def get_config(self):
        if self._graph is not None:
            from ..saving.functional_config import functional_config
            return functional_config(self)
        config = {"name": self.name, "trainable": self.trainable}
        if type(self)._records_arguments:
            from ..saving.auto_config import constructor_config
            return constructor_config(self, config)
        return config

    get_config._default_config = True

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "layers" in config and "input_layers" in config:
            from ..saving.functional_config import functional_from_config
            return functional_from_config(cls, config, custom_objects)
        if cls._records_arguments:
            from ..saving.auto_config import revive_arguments
            config = revive_arguments(config, custom_objects)
        return cls(**config)


def _symbolic_inputs(shape):
    if isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, int) for d in shape):
        return KerasTensor(shape)
    return [_symbolic_inputs(s) for s in shape]
