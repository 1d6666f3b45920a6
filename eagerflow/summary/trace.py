"""tf.summary.trace_on / trace_export / trace_off: the graphs of the tf.functions run in
between, written as one summary TensorBoard's Graphs dashboard lists under its tag.

As TF does, the summary is a string tensor holding a RunMetadata protobuf whose
`function_graphs` carry each function's graph (before optimization), with the plugin
`graph_run_metadata_graph`. tensorboardX has no RunMetadata class, so it is encoded here
(two nested length-delimited fields around each GraphDef). There is no profiler.
"""

import logging

from ..framework import context
from ..framework.naming import scoped_name
from ..graph import tracing
from . import graph_def
from .ops import _record

_LOG = logging.getLogger("eagerflow")
_recorded = []  # the ConcreteFunctions run since trace_on, first run first


def _record_function(function):
    if all(f is not function for f in _recorded):
        _recorded.append(function)


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """Starts recording the graph of every tf.function that runs (eager only)."""
    if profiler:
        raise NotImplementedError("eagerflow has no profiler: use "
                                  "tf.summary.trace_on(graph=True, profiler=False).")
    if context.current_graph() is not None:
        _LOG.warning("Cannot enable trace inside a tf.function.")
        return
    if _record_function in tracing.call_hooks:
        _LOG.warning("Trace already enabled")
        return
    if graph:
        del _recorded[:]
        tracing.call_hooks.append(_record_function)


def trace_export(name, step=None, profiler_outdir=None):
    """Writes the recorded graphs to the default writer under the tag `name` at `step` (or
    the default step), then stops tracing."""
    if context.current_graph() is not None:
        raise ValueError("tf.summary.trace_export() must be called eagerly.")
    if _record_function not in tracing.call_hooks:
        _LOG.warning("Can not export trace because trace_on has not been called.")
        return
    try:
        run_metadata = b"".join(
            _field(4, _field(2, graph_def.to_graph_def(f.graph).SerializeToString()))
            for f in _recorded)
        _record(scoped_name(name), run_metadata, step, ("graph_run_metadata_graph", None, b"1"),
                lambda array: array)
    finally:
        trace_off()


def trace_off():
    """Stops recording graphs and forgets those recorded."""
    if _record_function in tracing.call_hooks:
        tracing.call_hooks.remove(_record_function)
    del _recorded[:]


def _field(number, payload):
    """A length-delimited protobuf field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
