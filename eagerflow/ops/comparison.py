"""Comparisons, logical operators and where.

Comparisons broadcast two tensors of one dtype to a bool tensor and have no
gradient (TF's NotDifferentiable); logical operators take bool tensors only.
`where` with a condition alone lists the true coordinates; with x and y it
selects between them, broadcasting all three.
"""

import operator

import numpy as np

from .. import dtypes
from . import creation
from . import sample_inputs as si
from . import shape_rules as rules
from .registry import Sample, defop

_BOOL = frozenset({dtypes.bool})


def _scalar_reference(fn):
    """An independent reference: `fn` applied to the inputs' elements as Python scalars."""
    vectorized = np.vectorize(fn, otypes=[bool])

    def reference(*arrays):
        with np.errstate(invalid="ignore"):  # Python's nan comparisons raise the FP flag
            return vectorized(*arrays)
    return reference


def _comparison_samples(extra=(np.float32, np.int32)):
    """Small integer-valued floats, so that equal pairs (ties) occur."""
    def samples():
        gen = si.rng(51)
        yield from si.elementwise(
            2, dtypes=extra, make=lambda shape: gen.integers(-2, 3, shape).astype(np.float64))
        yield Sample((np.array([1.0, np.nan, np.inf]), np.array([np.nan, np.nan, np.inf])))
    return samples


def _equality_samples():
    yield from _comparison_samples(extra=(np.float32, np.int32, np.bool_))()
    strings = np.array([b"a", b"b", b""], dtype=object)
    yield Sample((strings, np.array([b"a", b"c", b""], dtype=object)), grad=False)


def _comparison(name, kernel, reference, allowed=dtypes.REAL, samples=None):
    return defop(name, kernel, rules.broadcast(name, dtypes.bool), grad=None,
                 reference=_scalar_reference(reference),
                 samples=samples or _comparison_samples(), dtypes=allowed)


Equal = _comparison("Equal", np.equal, operator.eq, allowed=None, samples=_equality_samples)
NotEqual = _comparison("NotEqual", np.not_equal, operator.ne, allowed=None,
                       samples=_equality_samples)
Less = _comparison("Less", np.less, operator.lt)
LessEqual = _comparison("LessEqual", np.less_equal, operator.le)
Greater = _comparison("Greater", np.greater, operator.gt)
GreaterEqual = _comparison("GreaterEqual", np.greater_equal, operator.ge)


def equal(x, y, name=None):
    """x == y elementwise, with broadcasting."""
    return Equal(x, y)


def not_equal(x, y, name=None):
    """x != y elementwise, with broadcasting."""
    return NotEqual(x, y)


def less(x, y, name=None):
    """x < y elementwise, with broadcasting."""
    return Less(x, y)


def less_equal(x, y, name=None):
    """x <= y elementwise, with broadcasting."""
    return LessEqual(x, y)


def greater(x, y, name=None):
    """x > y elementwise, with broadcasting."""
    return Greater(x, y)


def greater_equal(x, y, name=None):
    """x >= y elementwise, with broadcasting."""
    return GreaterEqual(x, y)


# --- logical operators -----------------------------------------------------------------------

def _logical_samples(n_inputs):
    def samples():
        gen = si.rng(52)
        return si.elementwise(n_inputs, dtypes=(),
                              make=lambda shape: gen.integers(0, 2, shape).astype(bool))
    return samples


def _logical(name, kernel, reference):
    return defop(name, kernel, rules.broadcast(name), grad=None,
                 reference=_scalar_reference(reference), samples=_logical_samples(2),
                 dtypes=_BOOL)


LogicalAnd = _logical("LogicalAnd", np.logical_and, lambda a, b: a and b)
LogicalOr = _logical("LogicalOr", np.logical_or, lambda a, b: a or b)
LogicalXor = _logical("LogicalXor", np.logical_xor, lambda a, b: a != b)
LogicalNot = defop("LogicalNot", np.logical_not, rules.unary(), grad=None,
                   reference=_scalar_reference(lambda a: not a), samples=_logical_samples(1),
                   dtypes=_BOOL)


def logical_and(x, y, name=None):
    """x AND y elementwise for bool tensors, with broadcasting."""
    return LogicalAnd(x, y)


def logical_or(x, y, name=None):
    """x OR y elementwise for bool tensors, with broadcasting."""
    return LogicalOr(x, y)


def logical_xor(x, y, name="LogicalXor"):
    """x XOR y elementwise for bool tensors, with broadcasting."""
    return LogicalXor(x, y)


def logical_not(x, name=None):
    """NOT x elementwise for a bool tensor."""
    return LogicalNot(x)


# --- where -----------------------------------------------------------------------------------

def _where_rule(condition):
    # How many elements are true is known only from the values.
    return rules.Spec((None, len(condition.shape)), dtypes.int64)


def _where_reference(condition):
    rank = np.ndim(condition)
    found = [index for index in np.ndindex(np.shape(condition)) if condition[index]]
    return np.array(found, dtype=np.int64).reshape(len(found), rank)


def _where_samples():
    gen = si.rng(53)
    for shape in [(2, 3), (5,), (), (0, 2), (2, 1, 3)]:
        yield Sample((gen.integers(0, 2, shape).astype(bool),))
    yield Sample((np.array(False),))
    yield Sample((np.array([[0.0, 1.5], [-2.0, 0.0]]),))
    yield Sample((np.array([3, 0, -1], np.int32),), grad=False)


Where = defop("Where", lambda condition: np.argwhere(condition).astype(np.int64, copy=False),
              _where_rule, grad=None, reference=_where_reference, samples=_where_samples,
              dtypes=dtypes.NUMERIC | _BOOL)


def _select_rule(condition, x, y):
    if condition.dtype is not dtypes.bool:
        raise rules.invalid("SelectV2", f"condition must be a bool tensor, got "
                                        f"{condition.dtype.name}")
    if x.dtype is not y.dtype:
        raise rules.invalid("SelectV2", f"x and y must have the same dtype, got {x.dtype.name} "
                                        f"and {y.dtype.name}")
    return rules.broadcast("SelectV2")(condition, x, y)._replace(dtype=x.dtype)


def _select_grad(ins, out, dy):
    condition = ins[0]
    zeros = creation.zeros_like(dy)
    return None, where(condition, dy, zeros), where(condition, zeros, dy)


def _select_samples():
    gen = si.rng(54)
    for shapes in si.TERNARY_SHAPES:
        condition = gen.integers(0, 2, shapes[0]).astype(bool)
        yield Sample((condition, si.uniform(gen, shapes[1]), si.uniform(gen, shapes[2])))
    condition = np.array([[True, False], [False, True]])
    yield Sample((condition, np.arange(4, dtype=np.int32).reshape(2, 2), np.int32(-1)),
                 grad=False)
    yield Sample((condition[0], np.array([b"x", b"y"], object), np.array([b"p", b"q"], object)),
                 grad=False)


def _select_reference(condition, x, y):
    pick = np.vectorize(lambda c, a, b: a if c else b, otypes=[np.result_type(x)])
    return pick(condition, x, y)


SelectV2 = defop("SelectV2", np.where, _select_rule, grad=_select_grad,
                 reference=_select_reference,
                 samples=_select_samples, same_dtype=(1, 2), dtypes=_BOOL, broadcasts=True)


def where(condition, x=None, y=None, name=None):
    """With condition alone: the int64 coordinates [n, rank] of its true (nonzero) elements.
    With x and y: x where condition is true, else y, all three broadcast together."""
    if x is None and y is None:
        return Where(condition)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return SelectV2(condition, x, y)
