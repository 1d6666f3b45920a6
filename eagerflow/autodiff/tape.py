"""GradientTape: records ops on watched tensors, then differentiates them.

While a tape is recording, op dispatch hands it every (op, inputs, attrs,
outputs); it keeps those with a tracked input (a watched tensor, a read of a
watched variable, or an output of a kept record) and tracks their floating
outputs. `gradient` sweeps the records backwards (see backprop.py).
"""

import contextlib
import logging

from ..framework import context
from ..framework.tensor import Tensor
from ..util import nest
from . import backprop



class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


class GradientTape:
    """Records operations for automatic differentiation (TF's tf.GradientTape)."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._used = False
        self._clear()

    def _clear(self):
        self._records = []
        self._tracked = {}
        self._watched_variables = {}
        self._variable_reads = []

    def __enter__(self):
        self._push()
        return self

    def __exit__(self, *exc):
        self._pop()
        return False

    def _push(self):
        if self._recording:
            raise ValueError("This GradientTape is already recording.")
        context.push_tape(self)

    def _pop(self):
        context.pop_tape(self)

    @property
    def _recording(self):
        return any(t is self for t in context.recording_tapes())

    # Called by op dispatch and by variable reads.
    def _record(self, op, inputs, attrs, outputs):
        tracked = self._tracked
        for x in inputs:
            if id(x) in tracked:
                break
        else:
            return
        self._records.append((op, inputs, attrs, outputs))
        for out in (outputs if type(outputs) is tuple else (outputs,)):
            dtype = out._value.dtype if out.__class__ is Tensor else out.dtype._np  # any rank
            if dtype.kind in "fc":
                tracked[id(out)] = out

    def _read_variable(self, variable, tensor):
        key = id(variable)
        if key not in self._watched_variables:
            if not (self._watch_accessed_variables and variable.trainable):
                return
            self._watched_variables[key] = variable
        if variable.dtype.is_differentiable:
            self._tracked[id(tensor)] = tensor
            self._variable_reads.append((variable, tensor))

    def watch(self, tensor):
        """Ensures `tensor` (or each tensor/variable in a nested structure) is traced."""
        for item in nest.flatten(tensor):
            if hasattr(item, "_as_tensor") and not isinstance(item, Tensor):
                self._watched_variables[id(item)] = item
                continue
            if not (isinstance(item, Tensor) or hasattr(type(item), "_dispatch_op")):
                raise ValueError(f"Passed in object {item!r} of type {type(item).__name__!r}, "
                                 f"not tf.Tensor or tf.Variable, to GradientTape.watch.")
            if not item.dtype.is_differentiable:
                logging.getLogger("eagerflow").warning(
                    "The dtype of the watched tensor must be floating (e.g. tf.float32), "
                    "got %s", item.dtype.name)
                continue
            self._tracked[id(item)] = item

    def watched_variables(self):
        return tuple(self._watched_variables.values())

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stops recording operations on this tape."""
        if not self._recording:
            raise ValueError("Tape.stop_recording() called but the tape is not recording.")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self):
        """Clears everything recorded, as if the tape were re-entered anew."""
        self._clear()

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of targets)/d(source) for each source, in the structure of `sources`."""
        self._consume()
        flat_targets = nest.flatten(target)
        flat_grads = None
        if output_gradients is not None:
            flat_grads = nest.flatten(output_gradients)
            if len(flat_grads) != len(flat_targets):
                raise ValueError(f"output_gradients has {len(flat_grads)} entries but there "
                                 f"are {len(flat_targets)} targets.")
        flat_sources = nest.flatten(sources)
        grads = self._backward(flat_targets, flat_sources, flat_grads, unconnected_gradients)
        self._release()
        return nest.pack_sequence_as(sources, grads)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The Jacobian of `target` with respect to each source: target.shape + source.shape."""
        self._consume()
        result = backprop.jacobian(self, target, nest.flatten(sources), unconnected_gradients)
        self._release()
        return nest.pack_sequence_as(sources, result)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: result[b] = d target[b] / d source[b]."""
        self._consume()
        result = backprop.batch_jacobian(self, target, source, unconnected_gradients)
        self._release()
        return result

    def _consume(self):
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians). Use "
                               "GradientTape(persistent=True) to call it more than once.")
        self._used = True

    def _release(self):
        """Frees a non-persistent tape's records; watched_variables() stays answerable."""
        if not self._persistent:
            self._records = []
            self._tracked = {}
            self._variable_reads = []

    def _backward(self, targets, sources, output_gradients, unconnected):
        """Runs the reverse sweep with this tape paused (outer tapes keep recording)."""
        recording = self._recording
        if recording:
            self._pop()
        try:
            return backprop.backward(self, targets, sources, output_gradients, unconnected)
        finally:
            if recording:
                self._push()
