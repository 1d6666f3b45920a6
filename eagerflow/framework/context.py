"""Execution state that op dispatch consults, kept per thread (as TF keeps its eager
context): a tf.data worker thread running a map function never records onto the main
thread's GradientTape nor builds into the graph the main thread is tracing.

`state.recording_tapes` lists the current thread's GradientTapes now recording,
innermost last; `state.building_graphs` the graphs it is building (tf.function traces,
TF1 graphs made default), innermost last. `active` holds one entry per recording tape
or graph being built in any thread, so the eager hot path pays one truthiness test of a
module-level list and reads the thread's state only when something is active somewhere.
Change them only through the functions below.
"""

import contextlib
import threading


class _ThreadState(threading.local):
    def __init__(self):
        self.recording_tapes = []
        self.building_graphs = []


state = _ThreadState()
active = []


def recording_tapes():
    """The current thread's recording tapes, innermost last."""
    return state.recording_tapes if active else ()


def building_graphs():
    """The graphs the current thread is building, innermost last."""
    return state.building_graphs if active else ()


def push_tape(tape):
    state.recording_tapes.append(tape)
    active.append(None)


def pop_tape(tape):
    state.recording_tapes.remove(tape)
    active.pop()


@contextlib.contextmanager
def building(graph):
    """Ops run inside build into `graph` (on this thread) instead of executing."""
    state.building_graphs.append(graph)
    active.append(None)
    try:
        yield graph
    finally:
        state.building_graphs.pop()
        active.pop()


@contextlib.contextmanager
def _without(stack):
    saved = stack[:]
    stack.clear()
    del active[:len(saved)]
    try:
        yield
    finally:
        stack[:] = saved
        active.extend([None] * len(saved))


def eager_mode():
    """Runs the body eagerly even while this thread builds graphs (graph execution)."""
    return _without(state.building_graphs)


def tapes_paused():
    """Runs the body with none of this thread's tapes recording."""
    return _without(state.recording_tapes)


def executing_eagerly():
    """False while a graph is being built (inside a tf.function trace or a TF1 graph)."""
    return not (active and state.building_graphs)


def current_graph():
    """The graph being built, or None when executing eagerly."""
    if active:
        graphs = state.building_graphs
        if graphs:
            return graphs[-1]
    return None


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
