"""Python operators on Tensor and Variable (`+ - * / // % ** @`, comparisons,
`& | ^ ~`, indexing), installed here because they call ops.

Binary arithmetic operators take a shortcut when both sides are Tensors of
one allowed dtype and no tape records: the kernel runs at once. Anything
else (conversion, errors, recording) goes through the op's full dispatch.
"""

from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.convert import constant
from ..framework.tensor import Tensor, _new
from ..framework.variables import Variable
from . import comparison, linalg, math_binary, math_unary
from .indexing import getitem

_active = context.active


def _fast_binary(op):
    kernel = op.kernel
    allowed = op._np_dtypes

    def forward(self, other):
        if other.__class__ is Tensor and not _active:
            a = self._value
            b = other._value
            dtype = a.dtype
            if dtype == b.dtype and dtype in allowed:
                try:
                    out = kernel(a, b)
                except Exception:  # noqa: BLE001  (the full dispatch reports it)
                    return op(self, other)
                tensor = _new(Tensor)
                tensor._value = out
                return tensor
        return op(self, other)

    def reflected(self, other):
        return op(other, self)

    return forward, reflected


def _binary(fn):
    return (lambda self, other: fn(self, other)), (lambda self, other: fn(other, self))


def _tensor_equals(self, other):
    if other is None:
        return False
    try:
        return comparison.equal(self, other)
    except (InvalidArgumentError, TypeError, ValueError):
        return constant(False)


def _tensor_not_equals(self, other):
    if other is None:
        return True
    try:
        return comparison.not_equal(self, other)
    except (InvalidArgumentError, TypeError, ValueError):
        return constant(True)


def symbolic_operators():
    """The Python operators for any tensor-like class whose ops dispatch by themselves
    (Keras's symbolic tensors): every operator through its public function."""
    operators = {}
    for name, fn in (("add", math_binary.add), ("sub", math_binary.subtract),
                     ("mul", math_binary.multiply), ("truediv", math_binary.truediv),
                     ("floordiv", math_binary.floordiv), ("mod", math_binary.floormod),
                     ("pow", math_binary.pow), ("matmul", linalg.matmul),
                     ("and", comparison.logical_and), ("or", comparison.logical_or),
                     ("xor", comparison.logical_xor)):
        operators[f"__{name}__"], operators[f"__r{name}__"] = _binary(fn)
    operators.update(
        __lt__=comparison.less, __le__=comparison.less_equal, __gt__=comparison.greater,
        __ge__=comparison.greater_equal, __neg__=math_unary.negative, __pos__=lambda self: self,
        __abs__=math_unary.abs, __invert__=comparison.logical_not, __getitem__=getitem)
    return operators


def equality_operators():
    """TF2's elementwise `==` and `!=` (False / True for None and incompatible shapes)."""
    return {"__eq__": _tensor_equals, "__ne__": _tensor_not_equals}


def _install():
    operators = symbolic_operators()
    for name, op in (("add", math_binary.Add), ("sub", math_binary.Sub),
                     ("mul", math_binary.Mul)):
        operators[f"__{name}__"], operators[f"__r{name}__"] = _fast_binary(op)
    operators.update(equality_operators())
    for name, method in operators.items():
        setattr(Tensor, name, method)
        setattr(Variable, name, _through_read(method))


def _through_read(method):
    def on_variable(self, *args):
        return method(self._as_tensor(), *args)
    return on_variable


_install()
