"""tf.summary: TensorBoard summaries written to event files (through tensorboardX, loaded
only when a file writer is created). writer.py holds the writers and the per-thread
summary state, ops.py the summary ops, graph_def.py the graph conversion, trace.py
trace_on/trace_export. The names load on first use, so `import eagerflow` stays fast."""

import importlib

_HOMES = {
    "experimental": None, "graph": "ops", "histogram": "ops", "image": "ops", "scalar": "ops",
    "text": "ops", "write": "ops", "trace_export": "trace", "trace_off": "trace",
    "trace_on": "trace", "SummaryWriter": "writer", "create_file_writer": "writer",
    "create_noop_writer": "writer", "flush": "writer", "record_if": "writer",
    "should_record_summaries": "writer"}


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module 'eagerflow.summary' has no attribute {name!r}")
    if _HOMES[name] is None:
        return importlib.import_module(f".{name}", __name__)
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))
