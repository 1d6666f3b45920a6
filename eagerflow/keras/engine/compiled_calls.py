"""Eager inference calls of Functional and Sequential models, run compiled once hot.

`model(x)` on a graph model is a fixed graph of layer calls. When every layer is one of
Keras's own (no user Python runs inside), no tape records and the call is for inference,
tracing that computation once gives a graph whose generated code computes the same bits
(the optimizer's rewrites are exact) without the per-layer and per-op dispatch, which
is most of a small call's cost. An input signature (shape and dtype) is compiled on its
third eager call, so one-off calls never pay for a trace; anything else (a tape, training,
a layer calling user code, `run_functions_eagerly`) runs eagerly as before.
"""

import copy

from ...framework import context
from ...framework.tensor import Tensor
from ...graph import tracing
from . import call_context

COMPILE_AFTER = 2       # eager calls of a signature before it is compiled
MAX_SIGNATURES = 8      # compiled signatures kept per model; more run eagerly


def _builtin(layer):
    """Whether `layer` and its sublayers run only eagerflow's own code when called."""
    from ..layers.core import Lambda
    cls = type(layer)
    if not cls.__module__.startswith("eagerflow.") or isinstance(layer, Lambda) or \
            layer.activity_regularizer is not None:
        return False
    sublayers = layer._graph_layers if getattr(layer, "_graph", None) is not None \
        else layer._layers
    return all(_builtin(sublayer) for sublayer in sublayers)


class CompiledCalls:
    """A graph model's compiled inference functions, one per input signature."""

    def __init__(self, model):
        self._model = model
        self._eligible = None
        self._seen = {}       # signature -> eager calls so far
        self._compiled = {}   # signature -> ConcreteFunction

    def __deepcopy__(self, memo):
        """A copied model starts without compiled calls: those read the original's weights."""
        return CompiledCalls(copy.deepcopy(self._model, memo))

    def lookup(self, args, kwargs):
        """The compiled function for this call, or None when it must run eagerly."""
        if len(args) != 1 or kwargs and (len(kwargs) > 1 or kwargs.get("training", 1)):
            return None
        x = args[0]
        if x.__class__ is not Tensor or context.active and context.recording_tapes() or \
                call_context.training() or tracing.functions_run_eagerly():
            return None
        signature = (x._value.shape, x._value.dtype)
        compiled = self._compiled.get(signature)
        if compiled is not None or not self._model.built:
            return compiled
        calls = self._seen[signature] = self._seen.get(signature, 0) + 1
        if calls <= COMPILE_AFTER or len(self._compiled) >= MAX_SIGNATURES:
            return None
        if self._eligible is None:
            self._eligible = all(_builtin(layer) for layer in self._model._graph_layers)
        if not self._eligible:
            return None
        model = self._model
        function = tracing.Function(lambda inputs: model(inputs, training=False),
                                    autograph=False, name=f"{model.name}_inference")
        self._compiled[signature] = compiled = function.get_concrete_function(x)
        return compiled
