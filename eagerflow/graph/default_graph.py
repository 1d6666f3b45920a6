"""The default graph: where TF1-style graph building (placeholders, tf.gradients) goes."""

from ..framework import context
from .ir import Graph

_default_graph = [None]


def get_default_graph():
    """The graph ops build into: the innermost `as_default()` graph, else the global one."""
    building = context.current_graph()
    if building is not None:
        return building
    if _default_graph[0] is None:
        _default_graph[0] = Graph()
    return _default_graph[0]


def reset_default_graph():
    """Starts a fresh global default graph."""
    if context.building_graphs():
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs.")
    _default_graph[0] = None
