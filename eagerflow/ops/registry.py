"""The op registry and eager dispatch.

An `OpDef` is one primitive: its forward kernel on backend arrays, its
shape/dtype rule, its gradient written in eagerflow ops, a NumPy reference and
sample inputs for the test harness. Calling an OpDef dispatches it:

    convert inputs → check dtypes → kernel(*arrays, **attrs) → wrap outputs
    → if a GradientTape is recording, hand it (op, inputs, attrs, outputs)

An input whose class defines `_dispatch_op(op, inputs, attrs)` (a symbolic
tensor, such as Keras's KerasTensor) takes the call over instead: it records
the op rather than running it.

Kernels call NumPy functions on the arrays they are given, so they also work
on any array type NumPy dispatches to (`__array_ufunc__`/`__array_function__`,
which is how CuPy arrays will run). Shape rules are not run on the eager fast
path: NumPy's own checks guard the kernel, and when a kernel fails the shape
rule is asked to explain the failure in TF's terms.
"""

from collections import namedtuple

from .. import dtypes
from ..errors import InvalidArgumentError, OpError
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import Tensor, _new

Spec = namedtuple("Spec", "shape dtype")
Spec.__doc__ = "What a shape rule sees of a tensor: a shape tuple (None = unknown) and a DType."

Sample = namedtuple("Sample", "inputs attrs grad", defaults=({}, True))
Sample.__doc__ = ("Harness inputs for one op call: NumPy arrays, Python attributes, and "
                  "whether to check the gradient numerically.")

REGISTRY = {}

_active = context.active
_state = context.state


class OpDef:
    """One registered primitive. Call it with tensors (and attributes as keywords)."""

    __slots__ = ("name", "kernel", "infer", "grad", "reference", "samples", "multi_output",
                 "same_dtype", "dtypes", "_np_dtypes", "broadcasts")

    def __init__(self, name, kernel, infer, grad, reference, samples, multi_output=False,
                 same_dtype=True, dtypes=None, broadcasts=False):
        self.name = name
        self.kernel = kernel
        self.infer = infer
        self.grad = grad
        self.reference = reference
        self.samples = samples
        self.multi_output = multi_output
        self.same_dtype = same_dtype
        self.dtypes = None if dtypes is None else frozenset(dtypes)
        self._np_dtypes = None if dtypes is None else frozenset(d._np for d in dtypes)
        self.broadcasts = broadcasts

    def __call__(self, *inputs, **attrs):
        for x in inputs:
            if x.__class__ is not Tensor:
                symbolic = _symbolic_input(inputs)
                if symbolic is None:
                    inputs = convert_inputs(self, inputs)
                    symbolic = _symbolic_input(inputs)  # variables read while building a graph
                if symbolic is not None:
                    return symbolic._dispatch_op(self, inputs, attrs)
                break
        arrays = [x._value for x in inputs]
        if arrays:
            dtype = arrays[0].dtype
            if self.same_dtype is True:
                for a in arrays:
                    if a.dtype != dtype:
                        _check_same_dtype(self, arrays)
            elif self.same_dtype:
                _check_same_dtype(self, arrays)
            if self._np_dtypes is not None and dtype not in self._np_dtypes:
                raise _dtype_error(self, inputs)
        try:
            out = self.kernel(*arrays, **attrs)
        except Exception as error:  # noqa: BLE001  (re-raised in TF's terms)
            raise kernel_error(self, inputs, attrs, error) from None
        if self.multi_output:
            outputs = tuple(_wrap(o) for o in out)
        else:
            outputs = _new(Tensor)
            outputs._value = out
        if _active:
            for tape in _state.recording_tapes:
                tape._record(self, inputs, attrs, outputs)
        return outputs

    def __repr__(self):
        return f"<OpDef {self.name}>"


def _wrap(array):
    tensor = _new(Tensor)
    tensor._value = array
    return tensor


def defop(name, kernel, infer, *, grad, reference, samples, multi_output=False,
          same_dtype=True, dtypes=None, broadcasts=False):
    """Creates and registers an OpDef.

    grad(inputs, output, dy, **attrs) returns one gradient (or None) per input;
    `output`/`dy` are tuples for multi-output ops. `grad=None` declares the op
    not differentiable (its inputs get no gradient, like TF's NotDifferentiable).
    infer(*specs, **attrs) returns the output Spec (a tuple of them for
    multi-output ops) or raises InvalidArgumentError naming what is wrong.
    samples() yields Samples; reference(*arrays, **attrs) is an independent
    NumPy implementation the harness compares the kernel against. `broadcasts` says the op
    broadcasts its inputs and its gradient rule returns gradients in the output's shape:
    the reverse sweep sums them back to each input's shape, also where a graph knows that
    shape only at run time.
    """
    if name in REGISTRY:
        raise ValueError(f"Op {name!r} is already registered.")
    op = OpDef(name, kernel, infer, grad, reference, samples, multi_output, same_dtype, dtypes,
               broadcasts)
    REGISTRY[name] = op
    return op


def _symbolic_input(inputs):
    """The first input of a symbolic class (one that builds graphs from ops), if any."""
    for x in inputs:
        if hasattr(type(x), "_dispatch_op"):
            return x
    return None


def convert_inputs(op, inputs):
    """Converts non-Tensor inputs; with same_dtype, Python scalars adopt the tensors' dtype.
    Tensors and variables (each read once) pass as they are: a dtype mismatch between
    them is the op's to report."""
    if all(x.__class__ is Tensor or hasattr(x, "_as_tensor") for x in inputs):
        return [x if x.__class__ is Tensor else convert_to_tensor(x) for x in inputs]
    hint = None
    if op.same_dtype:
        group = inputs if op.same_dtype is True else [inputs[i] for i in op.same_dtype]
        for x in group:
            if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
                hint = convert_to_tensor(x).dtype
                break
    converted = []
    for i, x in enumerate(inputs):
        in_group = op.same_dtype is True or (op.same_dtype and i in op.same_dtype)
        converted.append(convert_to_tensor(x, dtype=hint if in_group else None))
    return converted


def check_dtypes(op, inputs):
    """The dtype checks of eager dispatch, for inputs whose `_value` may be abstract
    (graph building): same dtype where the op needs it, an allowed first dtype."""
    arrays = [x._value for x in inputs]
    if op.same_dtype and len(arrays) > 1:
        _check_same_dtype(op, arrays)
    if op._np_dtypes is not None and arrays and arrays[0].dtype not in op._np_dtypes:
        raise _dtype_error(op, inputs)


def _check_same_dtype(op, arrays):
    indices = range(len(arrays)) if op.same_dtype is True else op.same_dtype
    first = None
    for i in indices:
        dtype = arrays[i].dtype
        if first is None:
            first, first_index = dtype, i
        elif dtype != first:
            raise InvalidArgumentError(
                f"cannot compute {op.name} as input #{i}(zero-based) was expected to be a "
                f"{dtypes.from_numpy(first).name} tensor (like input #{first_index}) but is a "
                f"{dtypes.from_numpy(dtype).name} tensor [Op:{op.name}]")


def _dtype_error(op, inputs):
    allowed = ", ".join(sorted(d.name for d in op.dtypes))
    return InvalidArgumentError(
        f"{op.name} does not support dtype {inputs[0].dtype.name} (input #0 has shape "
        f"{tuple(inputs[0]._value.shape)}); it needs one of: {allowed} [Op:{op.name}]")


def spec_of(tensor):
    return Spec(tuple(tensor._value.shape), dtypes.from_numpy(tensor._value.dtype))


def describe(specs):
    return ", ".join(f"{s.dtype.name}{list(s.shape)}" for s in specs)


def kernel_error(op, inputs, attrs, error):
    """The TF-style error for a failed kernel, explained by the op's shape rule if it can."""
    if isinstance(error, OpError):
        return type(error)(None, None, f"{error.message} [Op:{op.name}]")
    specs = [spec_of(x) for x in inputs]
    try:
        op.infer(*specs, **attrs)
    except OpError as explained:
        return type(explained)(None, None, f"{explained.message} [Op:{op.name}]")
    except Exception:  # noqa: BLE001  (the kernel's own error is reported below)
        pass
    return InvalidArgumentError(
        None, None, f"{op.name} failed on inputs ({describe(specs)}): {error} [Op:{op.name}]")
