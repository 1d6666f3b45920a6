"""tf.py_function and tf.numpy_function: Python code on tensor values, also inside graphs,
where a stateful node calls it each time the graph runs (its outputs' shapes unknown)."""

from .. import dtypes
from ..framework import context
from ..framework.convert import convert_to_tensor
from .ir import Spec


def py_function(func, inp, Tout, name=None):
    """func(*inp) on eager tensors, its results converted to the dtypes `Tout` names (one
    dtype: one tensor; a list of them: a list; an empty list: func returns None). A tape
    recording while it runs eagerly sees its ops."""
    return _call(func, inp, Tout, name or "EagerPyFunc", lambda tensor: tensor)


def numpy_function(func, inp, Tout, stateful=True, name=None):
    """func(*inp) on NumPy arrays, its results converted to the dtypes `Tout` names."""
    return _call(func, inp, Tout, name or "PyFunc", lambda tensor: tensor.numpy())


def _call(func, inp, Tout, name, as_argument):
    single = not isinstance(Tout, (list, tuple))
    out_dtypes = [dtypes.as_dtype(Tout)] if single else [dtypes.as_dtype(t) for t in Tout]

    def results(values):
        returned = func(*[as_argument(v) for v in values])
        if returned is None and not single:
            returned = []
        elif single or not isinstance(returned, (list, tuple)):
            returned = [returned]
        if len(returned) != len(out_dtypes):
            raise ValueError(f"{name}: the function returned {len(returned)} values, but "
                             f"Tout names {len(out_dtypes)} dtypes.")
        return [convert_to_tensor(value, dtype=dtype)
                for value, dtype in zip(returned, out_dtypes)]

    symbolic = [x for x in inp if context.is_symbolic(x)]
    graph = context.current_graph() or (symbolic[0].graph if symbolic else None)
    if graph is None:
        outputs = results([convert_to_tensor(x) for x in inp])
    else:
        def run(values):
            with context.eager_mode():
                return results(values)
        node = graph._add(name, [graph.capture(x) for x in inp], {},
                          [Spec(None, dtype) for dtype in out_dtypes], run, stateful=True)
        outputs = node.outputs
    return outputs[0] if single else list(outputs)
