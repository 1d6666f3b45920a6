"""What converted code calls: plain Python on Python values, tf.cond / tf.while_loop on
tensors."""

from ..framework import context
from ..graph import control_flow
from ..framework.tensor import Tensor
from ..ops import array_shape, comparison, creation, gather
from ..util import nest


class Undefined:
    """A variable with no value yet where a converted statement starts; `where` names
    the tensor loop it was set only inside of, once that loop has run."""

    def __init__(self, name, where=None):
        self.name = name
        self.where = where

    def error(self):
        return ValueError(f"'{self.name}' is set only inside {self.where}, so it has no "
                          f"value after it: give it one before the loop to use it after.")

    def __array__(self, *args, **kwargs):
        raise self.error()

    def __repr__(self):
        return f"<undefined {self.name}>"


class _LoopState:
    """The variables a tensor loop carries: those with a value before it. One first set
    inside the body is local to each iteration (TF's AutoGraph rule) and has no value
    after the loop."""

    def __init__(self, state, names, where):
        self.carried = [i for i, value in enumerate(state) if not isinstance(value, Undefined)]
        self.initial = [state[i] for i in self.carried]
        self.names = names
        self.where = where

    def position(self, name):
        return self.carried.index(self.names.index(name))

    def everything(self, carried_values):
        values = [Undefined(name, self.where) for name in self.names]
        for i, value in zip(self.carried, carried_values):
            values[i] = value
        return values

    def chosen(self, values):
        return [values[i] for i in self.carried]


class UndefinedReturn:
    """What a function with a `return` inside a loop returns until that return runs. It
    holds no tensors (a composite of none); where a tensor loop or `if` needs it to have
    a type, it becomes zeros of the type the `return` gives (learned by tracing)."""

    _awaits_writes = True

    def _to_components(self):
        return []

    def _from_components(self, components):
        return self

    def _component_specs(self):
        return []

    def _shaped_by(self, other):
        """Zeros shaped like the tensors of `other`, what a `return` gave elsewhere."""
        if isinstance(other, UndefinedReturn):
            return self
        return nest.map_structure(_zeros_like_spec, other)

    def __repr__(self):
        return "<undefined return value>"


def _zeros_like_spec(value):
    """Zeros of a tensor's static shape (0 for unknown dims); other values as they are."""
    if not (_symbolic(value) or isinstance(value, Tensor)):
        return value
    return creation.zeros([0 if d is None else d for d in value.shape.as_list()], value.dtype)


def ld(name, scope):
    """The current value of `name` in `scope`, or an Undefined marker."""
    return scope[name] if name in scope else Undefined(name)


def _symbolic(value):
    return context.is_symbolic(value)


def _check_defined(values, names, where):
    for value, name in zip(values, names):
        if isinstance(value, Undefined):
            raise ValueError(f"'{name}' must be defined before {where} or in every branch: "
                             f"a tensor-dependent statement needs a value for it on every path"
                             f" (give it one before the statement).")


def if_stmt(test, if_true, if_false, state, names):
    if not _symbolic(test):
        return if_true(*state) if test else if_false(*state)
    results = control_flow.cond(test, lambda: _defined(if_true(*state), names, "the if"),
                                lambda: _defined(if_false(*state), names, "the else"))
    return tuple(results) if isinstance(results, (list, tuple)) else (results,)


def _defined(values, names, where):
    _check_defined(values, names, f"{where} branch of a tensor-dependent `if`")
    return values


def while_stmt(test, body, state, names):
    condition = test(*state)
    while not _symbolic(condition):
        if not condition:
            return state
        state = body(*state)
        condition = test(*state)
    loop = _LoopState(state, names, "a tensor-dependent `while`")
    results = control_flow.while_loop(
        lambda *values: test(*loop.everything(values)),
        lambda *values: loop.chosen(body(*loop.everything(values))), loop.initial)
    return tuple(loop.everything(results))


def for_stmt(iterable, body, state, names, stop=None):
    """`stop` names the flag a lowered `break` sets (None when the loop has none). A loop
    over a tensor inside a graph becomes a graph loop (TF's rule), also when the tensor's
    value is known while tracing (tf.range of Python numbers)."""
    from ..data import dataset, graph_iteration  # late: tf.data itself traces functions
    if isinstance(iterable, dataset.Dataset) and context.current_graph() is not None:
        loop = _LoopState(state, names, "a `for` over a tf.data.Dataset")
        flag = None if stop is None else loop.position(stop)
        keep_going = None if flag is None else lambda values: comparison.logical_not(
            values[flag])
        results = graph_iteration.loop(
            iterable, lambda item, *values: loop.chosen(body(item, *loop.everything(values))),
            loop.initial, keep_going)
        return tuple(loop.everything(results))
    in_graph = isinstance(iterable, Tensor) and context.current_graph() is not None
    if not (_symbolic(iterable) or in_graph):
        flag = None if stop is None else names.index(stop)
        for item in iterable:
            state = body(item, *state)
            if flag is not None:
                if _symbolic(state[flag]):
                    raise NotImplementedError(
                        "A `break` under a tensor condition inside a `for` over a Python "
                        "iterable is not supported: loop over a tensor (e.g. tf.range).")
                if state[flag]:
                    break
        return state
    loop = _LoopState(state, names, "a `for` over a tensor")
    flag = None if stop is None else loop.position(stop)
    length = array_shape.shape(iterable)[0]  # known now, or a tensor computed at run time

    def loop_test(index, *values):
        more = index < length
        return more if flag is None else and_not(values[flag], lambda: more)

    def loop_body(index, *values):
        item = gather.gather(iterable, index)
        return (index + 1,) + tuple(loop.chosen(body(item, *loop.everything(values))))

    results = control_flow.while_loop(loop_test, loop_body, [0] + loop.initial)
    return tuple(loop.everything(results[1:]))


def not_any(*flags):
    """not (a or b or …), on Python bools or boolean tensors."""
    if not any(_symbolic(f) for f in flags):
        return not any(flags)
    combined = flags[0]
    for flag in flags[1:]:
        combined = comparison.logical_or(combined, flag)
    return comparison.logical_not(combined)


def and_not(flag, test):
    """(not flag) and test(), evaluating test() only when it can matter."""
    if not _symbolic(flag):
        return False if flag else test()
    return comparison.logical_and(comparison.logical_not(flag), test())


def and_(value, *rest):
    """`value and rest[0]() and …`: Python's `and` on Python values; on a tensor, a tf.cond
    so later operands run only when needed (as in Python)."""
    for operand in rest:
        if not _symbolic(value):
            if not value:
                return value
            value = operand()
        else:
            value = control_flow.cond(value, operand, lambda previous=value: previous)
    return value


def or_(value, *rest):
    """`value or rest[0]() or …`, like and_."""
    for operand in rest:
        if not _symbolic(value):
            if value:
                return value
            value = operand()
        else:
            value = control_flow.cond(value, lambda previous=value: previous, operand)
    return value


def not_(value):
    """`not value`; tf.logical_not on a tensor."""
    return comparison.logical_not(value) if _symbolic(value) else not value
