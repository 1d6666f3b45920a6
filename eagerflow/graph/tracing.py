"""tf.function: trace a Python function into a Graph once per input signature, then
run the graph instead of the Python code.

The trace cache follows TF's rules: tensors (and NumPy arrays) match by dtype
and shape, Python scalars and strings by value, variables and other objects
by identity. Every retrace records why it happened, and `explain_retraces()`
says which argument changed, from what to what, and where the call came from.
"""

import inspect
import linecache
import logging
import sys
import weakref

import numpy as np

from .. import autograph
from ..autograph.runtime import Undefined
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor, wrap
from ..framework import variables
from ..framework.tensor_spec import TensorSpec
from ..util import nest
from . import interpreter
from .codegen import CompiledGraph
from .ir import Graph, SymbolicTensor, is_user_file
from .passes.pipeline import optimize
from .passes.rewrite import Program

_LOG = logging.getLogger("eagerflow")
_RETRACE_WARNING_AT = 5


class _TensorKey(tuple):
    """A tensor argument's cache key: (dtype name, shape tuple with None for any size)."""


def _key(value):
    if isinstance(value, TensorSpec):  # an unknown rank keys as None: any shape fits it
        dims = None if value.shape.rank is None else tuple(value.shape.as_list())
        return _TensorKey((value.dtype.name, dims))
    if isinstance(value, Tensor):
        return _TensorKey((value.dtype.name, value._value.shape))
    if isinstance(value, (np.ndarray, np.generic)):
        return _TensorKey((_dtype_name(value.dtype), value.shape))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_key(v) for v in value)
    if nest.is_composite(value):  # a TensorArray: its static facts and its tensors' keys
        return ("composite", type(value).__name__, value._trace_key()) + tuple(
            _key(c) for c in value._to_components())
    if isinstance(value, dict):
        return ("dict",) + tuple((k, _key(value[k])) for k in sorted(value))
    if value is None or isinstance(value, (bool, int, float, str, complex)):
        return ("value", type(value).__name__, value)
    return ("object", type(value).__name__, id(value))


_DTYPE_NAMES = {}  # NumPy dtype -> its name (asking NumPy each call costs microseconds)


def _dtype_name(dtype):
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype)
    return name


def _describe(key):
    if isinstance(key, _TensorKey):
        return f"tensor {key[0]}{'<unknown rank>' if key[1] is None else list(key[1])}"
    if key and key[0] == "value":
        return f"Python {key[1]} {key[2]!r}"
    if key and key[0] == "object":
        return f"{key[1]} object at {hex(key[2])}"
    return repr(key)


def _plain_positional_names(signature):
    """The parameter names positional arguments bind to, in order; None when the function
    takes *args or keyword-only parameters (calls then bind through the signature)."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = list(signature.parameters.values())
    if any(p.kind not in kinds for p in parameters):
        return None
    return [p.name for p in parameters]


def _compatible(key, trace_key):
    """Whether an argument key fits a (possibly shape-relaxed) trace's key."""
    if key == trace_key:
        return True
    if isinstance(key, _TensorKey) and isinstance(trace_key, _TensorKey):
        if trace_key[1] is None or key[1] is None:
            return key[0] == trace_key[0] and trace_key[1] is None
        return key[0] == trace_key[0] and len(key[1]) == len(trace_key[1]) and all(
            t is None or t == d for d, t in zip(key[1], trace_key[1]))
    if isinstance(key, tuple) and isinstance(trace_key, tuple) and not isinstance(
            key, _TensorKey) and not isinstance(trace_key, _TensorKey):
        return len(key) == len(trace_key) and all(
            _compatible(a, b) for a, b in zip(key, trace_key))
    return key == trace_key


def _relaxed(key, previous):
    """`key` with dims that differ from `previous` made None (reduce_retracing)."""
    if isinstance(key, _TensorKey) and isinstance(previous, _TensorKey) and \
            key[0] == previous[0] and None not in (key[1], previous[1]) and \
            len(key[1]) == len(previous[1]):
        return _TensorKey((key[0], tuple(a if a == b else None
                                         for a, b in zip(key[1], previous[1]))))
    if isinstance(key, tuple) and isinstance(previous, tuple) and not isinstance(
            key, _TensorKey) and len(key) == len(previous):
        return tuple(_relaxed(a, b) for a, b in zip(key, previous))
    return key


class ConcreteFunction:
    """One trace: a graph with placeholders for the tensor arguments."""

    def __init__(self, graph, placeholders, outputs, key, name):
        self.graph = graph
        self.inputs = placeholders
        self.structured_outputs = outputs
        self.key = key
        self.name = name
        self._output_leaves = nest.flatten(outputs, expand_composites=True)
        self._fetches = [x for x in self._output_leaves if isinstance(x, SymbolicTensor)]
        self._compiled_graph = None
        self._optimized = self._report = None

    @property
    def code(self):
        """The generated Python source this function runs."""
        return self._compiled().source

    def optimization_report(self):
        """What each optimization pass did to this function's graph, and the result."""
        compiled = self._compiled()
        return "\n".join(self._report + [compiled.memory_plan.report(), "",
                                          "optimized graph:", str(self._optimized)])

    def _compiled(self):
        if self._compiled_graph is None:
            self._optimized, self._report = optimize(
                Program(self.graph, self.inputs, self._fetches))
            self._compiled_graph = CompiledGraph(self._optimized.graph, self._optimized.inputs,
                                                 self._optimized.outputs)
        return self._compiled_graph

    def _run(self, feeds):
        """Generated code when no tape records (the fast path); otherwise the interpreter,
        whose eager ops the tapes see. `feeds`: one tensor per placeholder."""
        if context.recording_tapes():
            return interpreter.run(self.graph, self._fetches, dict(zip(self.inputs, feeds)))
        compiled = self._compiled()
        try:
            arrays = compiled.run([t._value for t in feeds])
        except Exception as error:  # noqa: BLE001  (re-raised in TF's terms)
            raise compiled.explain(error) from None
        return [wrap(a) for a in arrays]

    def _call_flat(self, tensors):
        for hook in call_hooks:  # tf.summary.trace_on records the functions that run
            hook(self)
        values = self._run([t if t.__class__ is Tensor and t.dtype is p.dtype
                            else convert_to_tensor(t, dtype=p.dtype)
                            for p, t in zip(self.inputs, tensors)])
        if isinstance(self.structured_outputs, SymbolicTensor):  # one tensor, as it is
            return values[0]
        values = iter(values)
        return nest.pack_sequence_as(self.structured_outputs, [
            next(values) if isinstance(x, SymbolicTensor) else x
            for x in self._output_leaves], expand_composites=True)

    def __call__(self, *args, **kwargs):
        return self._call_flat(_tensor_leaves((args, kwargs)))

    def pretty_printed_graph(self):
        return str(self.graph)


class Function:
    """The callable `tf.function` returns."""

    def __init__(self, python_function, input_signature=None, reduce_retracing=False,
                 jit_compile=None, autograph=True, name=None):
        self.python_function = python_function
        self.autograph = autograph
        self._converted = None
        self.input_signature = None if input_signature is None else list(input_signature)
        self.reduce_retracing = reduce_retracing
        self.name = name or getattr(python_function, "__name__", "function")
        self._signature = inspect.signature(python_function)
        self._positional_names = _plain_positional_names(self._signature)
        self._traces = []
        self._retrace_reasons = []
        self._per_instance = {}  # id(instance) -> the Function of a method on that instance
        self.__doc__ = python_function.__doc__
        self.__name__ = self.name

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return _BoundFunction(self._for_instance(instance), instance)

    def _for_instance(self, instance):
        """TF's rule for methods: each instance has its own traces, so each may create its
        variables on its own first call (an instance weak references cannot reach shares
        this Function)."""
        function = self._per_instance.get(id(instance))
        if function is None:
            function = Function(self.python_function, self.input_signature,
                                self.reduce_retracing, autograph=self.autograph,
                                name=self.name)
            function._converted = self._traced_function()
            try:
                weakref.finalize(instance, self._per_instance.pop, id(instance), None)
            except TypeError:
                return self
            self._per_instance[id(instance)] = function
        return function

    def __call__(self, *args, **kwargs):
        if _run_eagerly[0]:
            return self.python_function(*args, **kwargs)
        if context.building_graphs():
            return self._traced_function()(*args, **kwargs)  # inlined into the outer trace
        return self._concrete_for(args, kwargs)._call_flat(_tensor_leaves((args, kwargs)))

    def get_concrete_function(self, *args, **kwargs):
        if not args and not kwargs and self.input_signature is not None:
            args = tuple(self.input_signature)
        return self._concrete_for(args, kwargs)

    def experimental_get_tracing_count(self):
        return len(self._traces)

    def explain_retraces(self):
        """Why each trace after the first happened: the argument that changed, from what
        to what, and the call site."""
        return list(self._retrace_reasons)

    # --- tracing -----------------------------------------------------------------

    def _named_keys(self, args, kwargs):
        if self.input_signature is not None:
            return (("input_signature", tuple(_key(s) for s in self.input_signature)),)
        names = self._positional_names
        if not kwargs and names is not None and len(args) <= len(names):
            return tuple((name, _key(value)) for name, value in zip(names, args))
        bound = self._signature.bind(*args, **kwargs)  # keywords, *args, **kwargs
        return tuple((name, _key(value)) for name, value in bound.arguments.items())

    def _concrete_for(self, args, kwargs):
        if self.input_signature is not None:
            _check_signature(self.name, self.input_signature, args)
        key = self._named_keys(args, kwargs)
        for trace in self._traces:
            if _compatible(key, trace.key):
                return trace
        if self.reduce_retracing and self._traces:
            key = _relaxed(key, self._traces[-1].key)
        if self._traces:
            self._record_retrace(key)
        trace = self._trace(args, kwargs, key)
        self._traces.append(trace)
        return trace

    def _record_retrace(self, key):
        previous = self._traces[-1].key
        changes = [f"argument '{name}' changed from {_describe(old)} to {_describe(new)}"
                   for (name, new), (_, old) in zip(key, previous) if new != old]
        reason = "; ".join(changes) or "the arguments' structure changed"
        self._retrace_reasons.append(f"{self.name} retraced at {_call_site()}: {reason}")
        if len(self._traces) + 1 == _RETRACE_WARNING_AT:
            _LOG.warning("%s has been traced %d times; the latest: %s. %s", self.name,
                         _RETRACE_WARNING_AT, reason, _advice(key, previous))

    def _traced_function(self):
        """The function traces run: AutoGraph's conversion of it when possible."""
        if self._converted is None:
            self._converted = self.python_function
            if self.autograph:
                try:
                    self._converted = autograph.convert(self.python_function)
                except autograph.ConversionError as error:
                    _LOG.warning("AutoGraph could not convert %s (%s): it runs as written, so "
                                 "Python `if`/`while`/`for` on tensors in it will fail.",
                                 self.name, error)
        return self._converted

    def _refuse_new_variable(self, variable):
        raise ValueError(
            f"{self.name}: tf.function only supports singleton tf.Variables created on the "
            f"first call, but a retrace created {variable.name}. Create the variable once, "
            f"outside the function (or only on the first call).")

    def _trace(self, args, kwargs, key):
        graph = Graph()
        placeholders = []

        def symbolic(key):
            placeholder = graph.placeholder(key[0], key[1], name=f"args_{len(placeholders)}")
            placeholders.append(placeholder)
            return placeholder

        keys = iter(_tensor_key_leaves(key))
        symbolic_args = _map_tensor_leaves(lambda v: symbolic(next(keys)), (args, kwargs))
        if self._traces:
            variables.creation_hooks.append(self._refuse_new_variable)
        try:
            with graph.as_default():
                outputs = self._traced_function()(*symbolic_args[0], **symbolic_args[1])
            _check_defined(outputs)
        except Exception as error:
            _note_user_code(error, self.name)
            raise
        finally:
            if self._refuse_new_variable in variables.creation_hooks:
                variables.creation_hooks.remove(self._refuse_new_variable)
        return ConcreteFunction(graph, placeholders, outputs, key, self.name)


def _check_defined(outputs):
    """Refuses a result a tensor loop left without a value (set only inside it)."""
    for leaf in nest.flatten(outputs):
        if isinstance(leaf, Undefined):
            raise leaf.error()


def _note_user_code(error, name):
    """Adds TF's "in user code" note to an error raised while tracing: the user's frames
    it passed through, innermost last (once, however deeply functions nest)."""
    if getattr(error, "_notes_user_code", False) or not hasattr(error, "add_note"):
        return
    lines = [f"in user code (while tracing {name}):"]
    traceback = error.__traceback__
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if is_user_file(code.co_filename):
            lines.append(f'    File "{code.co_filename}", line {traceback.tb_lineno}, '
                         f'in {code.co_name}')
            text = linecache.getline(code.co_filename, traceback.tb_lineno).strip()
            if text:
                lines.append(f"        {text}")
        traceback = traceback.tb_next
    error.add_note("\n".join(lines))
    error._notes_user_code = True


class _BoundFunction:
    """A Function bound to an instance (a method): the instance is an argument matched by
    identity, so each instance gets its own traces."""

    def __init__(self, function, instance):
        self._function = function
        self._instance = instance

    def __call__(self, *args, **kwargs):
        return self._function(self._instance, *args, **kwargs)

    def get_concrete_function(self, *args, **kwargs):
        return self._function.get_concrete_function(self._instance, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._function, name)


_run_eagerly = [False]
call_hooks = []  # called with each ConcreteFunction about to run


def run_functions_eagerly(run_eagerly):
    """Makes every tf.function run its Python code eagerly (for debugging)."""
    _run_eagerly[0] = bool(run_eagerly)


def functions_run_eagerly():
    return _run_eagerly[0]


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_compile=None, name=None, **kwargs):
    """Compiles `func` into a graph per input signature (decorator or call)."""
    def wrap(f):
        return Function(f, input_signature=input_signature, reduce_retracing=reduce_retracing,
                        jit_compile=jit_compile, autograph=autograph, name=name)
    return wrap if func is None else wrap(func)


def _is_tensor_leaf(value):
    return isinstance(value, (Tensor, np.ndarray, TensorSpec))


def _tensor_leaves(structure):
    return [v for v in nest.flatten(structure, expand_composites=True) if _is_tensor_leaf(v)]


def _tensor_key_leaves(key):
    for _, value_key in key:
        yield from _flat_tensor_keys(value_key)


def _flat_tensor_keys(key):
    if isinstance(key, _TensorKey):
        yield key
    elif isinstance(key, tuple):
        for item in key:
            yield from _flat_tensor_keys(item)


def _map_tensor_leaves(fn, structure):
    leaves = nest.flatten(structure, expand_composites=True)
    return nest.pack_sequence_as(structure, [fn(v) if _is_tensor_leaf(v) else v
                                             for v in leaves], expand_composites=True)


def _check_signature(name, signature, args):
    if len(args) != len(signature):
        raise TypeError(f"{name}: the input_signature has {len(signature)} entries but the "
                        f"call passed {len(args)} positional arguments.")
    for index, (spec, value) in enumerate(zip(signature, args)):
        if isinstance(value, TensorSpec):
            continue
        if not spec.is_compatible_with(_as_spec(value)):
            raise TypeError(f"{name}: argument {index} ({_as_spec(value)}) is incompatible "
                            f"with the input_signature entry {spec}.")


def _as_spec(value):
    dtype = value.dtype if isinstance(value, Tensor) else np.asarray(value).dtype
    return TensorSpec(np.shape(value), dtype)


def _call_site():
    frame = sys._getframe(1)
    package = __name__.split(".")[0]
    while frame is not None and frame.f_globals.get("__name__", "").startswith(package):
        frame = frame.f_back
    return "<unknown>" if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _advice(key, previous):
    python_values = [name for (name, new), (_, old) in zip(key, previous)
                     if new != old and isinstance(new, tuple) and new[:1] == ("value",)]
    if python_values:
        return (f"Each new value of the Python argument(s) {python_values} makes a new graph: "
                f"pass a tensor (tf.constant(...)) instead.")
    return ("Changing tensor shapes retrace: give an input_signature with None for the "
            "varying dimensions, or pass reduce_retracing=True.")
