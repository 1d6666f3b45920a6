"""tf.custom_gradient: a function that supplies its own gradient.

The decorated function runs with recording paused; the tapes then get one
record whose gradient rule is the user's `grad_fn`. Trainable variables the
function reads are found by a private tape and passed to `grad_fn` as
`variables=`, like TF.
"""

import functools
import inspect

from ..framework import context
from ..framework.convert import convert_to_tensor
from ..util import nest
from .tape import GradientTape



class _UserGradient:
    """A one-off tape record standing for the decorated call."""

    def __init__(self, name, grad_fn, num_inputs, variables, multi_output):
        self.name = name
        self.grad_fn = grad_fn
        self.num_inputs = num_inputs
        self.variables = variables
        self.multi_output = multi_output

    def grad(self, inputs, outputs, dy):
        dys = dy if self.multi_output else (dy,)
        if self.variables:
            input_grads, variable_grads = self.grad_fn(*dys, variables=list(self.variables))
            variable_grads = list(variable_grads)
        else:
            input_grads, variable_grads = self.grad_fn(*dys), []
        input_grads = list(input_grads) if isinstance(input_grads, (list, tuple)) \
            else [input_grads]
        if len(input_grads) != self.num_inputs:
            raise ValueError(f"custom_gradient function {self.name!r} takes "
                             f"{self.num_inputs} inputs but its grad_fn returned "
                             f"{len(input_grads)} gradients.")
        if len(variable_grads) != len(self.variables):
            raise ValueError(f"custom_gradient function {self.name!r} read "
                             f"{len(self.variables)} variables but its grad_fn returned "
                             f"{len(variable_grads)} variable gradients.")
        return [None if g is None else convert_to_tensor(g)
                for g in input_grads + variable_grads]


def custom_gradient(f=None):
    """Decorator: `f(*x)` returns `(y, grad_fn)`; the tape uses `grad_fn(dy)`."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        inputs = [convert_to_tensor(a) for a in args]
        if not context.recording_tapes():
            return f(*inputs, **kwargs)[0]
        with context.tapes_paused(), GradientTape() as probe:
            result, grad_fn = f(*inputs, **kwargs)
        variables = probe.watched_variables()
        if variables and "variables" not in inspect.signature(grad_fn).parameters:
            raise TypeError(f"custom_gradient function {f.__name__!r} reads variables "
                            f"{[v.name for v in variables]} but its grad_fn does not accept "
                            f"a `variables` keyword argument.")
        flat = [convert_to_tensor(y) for y in nest.flatten(result)]
        multi = len(flat) != 1 or nest.is_nested(result)
        record = _UserGradient(f.__name__, grad_fn, len(inputs), variables, multi)
        reads = [v._as_tensor() for v in variables]
        outputs = tuple(flat) if multi else flat[0]
        for tape in context.recording_tapes():
            tape._record(record, inputs + reads, {}, outputs)
        return nest.pack_sequence_as(result, flat)

    return wrapped
