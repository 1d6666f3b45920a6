"""Process-wide execution state that op dispatch consults.

`recording_tapes` lists the GradientTapes now recording, innermost last;
`building_graphs` lists the graphs being built (tf.function traces, TF1
graphs made default), innermost last. Both are mutated in place and never
rebound, so hot paths can hold a reference and pay one truthiness test.
"""

import contextlib

recording_tapes = []
building_graphs = []


def executing_eagerly():
    """False while a graph is being built (inside a tf.function trace or a TF1 graph)."""
    return not building_graphs


def current_graph():
    """The graph being built, or None when executing eagerly."""
    return building_graphs[-1] if building_graphs else None


@contextlib.contextmanager
def eager_mode():
    """Runs the body eagerly even while graphs are being built (graph execution)."""
    saved = building_graphs[:]
    building_graphs.clear()
    try:
        yield
    finally:
        building_graphs[:] = saved


def at_run_time(compute, shape, dtype, name, run_time_shape=None):
    """compute(shape) now when executing eagerly; while a graph is being built, a stateful
    node that calls it on every run (random draws must not freeze into constants). Where
    the graph knows `shape` only in part (None entries), `run_time_shape`, a 1-D int
    tensor, gives it when the node runs."""
    graph = current_graph()
    if graph is None:
        return compute(shape)
    return graph.host_call(compute, shape, dtype, name, run_time_shape)


def is_symbolic(value):
    """Whether `value` is a symbolic tensor (one that records ops instead of running them)."""
    return hasattr(type(value), "_dispatch_op")
