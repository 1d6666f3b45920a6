"""tf.cond and tf.while_loop.

Eagerly they are plain Python: the predicate is a value, so one branch runs (or
the loop runs). While a graph is being built they become single nodes that
carry sub-graphs: each branch (the loop's condition and body) is traced into a
graph of its own, whose placeholders receive the loop variables and the outer
tensors the functions use (captures); at run time the node runs the chosen
sub-graph as generated code.

Loop variables and branch outputs may hold composites (a TensorArray): they are
flattened into their tensors (`nest.flatten(..., expand_composites=True)`) and
rebuilt around the node's outputs.
"""

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.tensor import wrap
from ..framework.tensor_shape import TensorShape
from ..ops.registry import Spec
from ..util import nest
from ..autodiff.tape import GradientTape
from . import interpreter
from .codegen import CompiledGraph
from .ir import Graph


class _SubGraph:
    """A function traced into its own graph; outer tensors it uses become extra inputs.
    Variables in `own_reads` it reads itself each time it runs (a loop body that assigns
    them); others it reads through the enclosing graph."""

    def __init__(self, fn, args, outer, own_reads=frozenset()):
        self.graph = Graph(outer=outer, own_reads=own_reads)
        self.inputs = [self.graph.placeholder(a.dtype, a.shape, name=f"arg_{i}")
                       for i, a in enumerate(args)]
        with self.graph.as_default():
            result = fn(*self.inputs)
        self.structure = result
        self.outputs = [self.graph.capture(x)
                        for x in nest.flatten(result, expand_composites=True)]
        self._compiled = None

    @property
    def captured(self):
        return [outer for outer, _ in self.graph.captures.values()]

    @property
    def stateful(self):
        """Whether running it changes state (assigns a variable, draws random numbers…),
        so the control-flow node holding it must run even when nothing reads its
        outputs."""
        return any(node.stateful for node in self.graph.nodes)

    def assigned_variables(self):
        """The ids of the variables it (or a branch or loop inside it) assigns."""
        return {id(variable) for node in _all_nodes(self.graph)
                for variable in node.assigned_variables()}

    def run_eagerly(self, args, captured_values):
        """The outputs, as tensors, for argument and capture tensors: the sub-graph's ops
        run one by one as eager ops, so a tape recording outside the graph sees them."""
        feeds = dict(zip(self.inputs, args))
        feeds.update((inner, captured_values[id(outer)])
                     for outer, inner in self.graph.captures.values())
        return interpreter.run(self.graph, self.outputs, feeds)

    def run(self, args, captured_values):
        """Arrays of the outputs for argument and capture arrays."""
        if self._compiled is None:
            placeholders = self.inputs + [inner for _, inner in self.graph.captures.values()]
            self._compiled = CompiledGraph(self.graph, placeholders, self.outputs)
        values = [captured_values[id(outer)] for outer in self.captured]
        return self._compiled.run(list(args) + values)


def _all_nodes(graph):
    """The nodes of `graph` and of the branches and loop bodies inside it."""
    for node in graph.nodes:
        yield node
        for attr in node.attrs.values():
            if isinstance(attr, Graph):
                yield from _all_nodes(attr)


def _truth(pred):
    value = np.asarray(convert_to_tensor(pred)._value)
    if value.size != 1:
        raise InvalidArgumentError(f"The predicate of tf.cond must be a scalar, got shape "
                                   f"{list(value.shape)}")
    return bool(value.reshape(()))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """true_fn() if pred else false_fn(); a Cond node when pred is symbolic."""
    if true_fn is None or false_fn is None:
        raise TypeError("tf.cond needs both true_fn and false_fn.")
    if not context.is_symbolic(pred):
        return true_fn() if _truth(pred) else false_fn()
    graph = context.current_graph() or pred.graph
    pred = graph.capture(pred)
    branches = [_SubGraph(fn, [], graph) for fn in (true_fn, false_fn)]
    if len(branches[0].outputs) != len(branches[1].outputs):
        true_fn, false_fn = (_shaped_like(true_fn, branches[1].structure),
                             _shaped_like(false_fn, branches[0].structure))
        branches = [_SubGraph(fn, [], graph) for fn in (true_fn, false_fn)]
    _check_same_structure(branches[0], branches[1], "the true and the false branch")
    captured = _union(branches[0].captured + branches[1].captured)
    specs = [_merged(a, b) for a, b in zip(branches[0].outputs, branches[1].outputs)]

    def run(values):
        chosen = branches[0] if _truth(values[0]) else branches[1]
        if context.recording_tapes():  # a tape outside the function differentiates the branch
            return chosen.run_eagerly([], {id(c): v for c, v in zip(captured, values[1:])})
        known = {id(outer): v._value for outer, v in zip(captured, values[1:])}
        return [wrap(a) for a in chosen.run([], known)]

    node = graph._add("Cond", [pred] + captured,
                      {"then": branches[0].graph, "else": branches[1].graph}, specs, run,
                      stateful=any(b.stateful for b in branches), name=name or "cond")
    multi = len(node.outputs) != 1
    record = _CondGradient(pred, true_fn, false_fn, captured, multi)
    for tape in context.recording_tapes():
        tape._record(record, [pred] + captured, {},
                     tuple(node.outputs) if multi else node.outputs[0])
    return nest.pack_sequence_as(branches[0].structure, node.outputs, expand_composites=True)


def _shaped_like(fn, other):
    """fn, its results that await writes (a TensorArray written only in the other branch,
    an AutoGraph return value set only there) shaped like the other branch's."""
    def shaped():
        result = fn()
        return nest.map_aligned(
            lambda v, o: v._shaped_by(o) if getattr(v, "_awaits_writes", False) else v,
            result, other)
    return shaped


class _CondGradient:
    """A Cond node's tape record: its gradient is a Cond whose branches differentiate the
    original branches (re-traced under a tape) with respect to the captured tensors."""

    name = "Cond"

    def __init__(self, pred, true_fn, false_fn, captured, multi_output):
        self.pred = pred
        self.functions = (true_fn, false_fn)
        self.captured = captured
        self.multi_output = multi_output

    def grad(self, inputs, outputs, dy):
        dys = list(dy) if self.multi_output else [dy]
        wanted = [c for c in self.captured if c.dtype.is_differentiable]

        def differentiate(fn):
            def branch():
                graph = context.current_graph()
                inner = [graph.capture(c) for c in wanted]
                with GradientTape() as tape:
                    tape.watch(inner)
                    outputs = nest.flatten(fn(), expand_composites=True)
                return tape.gradient(outputs, inner, unconnected_gradients="zero",
                                     output_gradients=[graph.capture(d) for d in dys])
            return branch

        grads = iter(nest.flatten(cond(self.pred, *map(differentiate, self.functions))))
        by_input = {id(c): next(grads) for c in wanted}
        return [None] + [by_input.get(id(c)) for c in self.captured]


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Runs body on loop_vars while cond(loop_vars) holds; a While node in a graph."""
    graph = context.current_graph() or next(
        (v.graph for v in nest.flatten(loop_vars, expand_composites=True)
         if context.is_symbolic(v)), None)
    if graph is None:
        return _eager_loop(cond, body, loop_vars, maximum_iterations)
    loop_vars = _shaped_by_body(body, _captured(loop_vars, graph), shape_invariants, graph)
    flat = nest.flatten(loop_vars, expand_composites=True)
    specs = _loop_specs(loop_vars, shape_invariants)
    repack = _repacker(loop_vars)
    step_fn = lambda *v: body(*_as_args(repack(v), loop_vars))  # noqa: E731
    test_fn = lambda *v: cond(*_as_args(repack(v), loop_vars))  # noqa: E731
    step = _SubGraph(step_fn, specs, graph)
    assigned = step.assigned_variables()
    if assigned:  # each iteration must see the values the previous one assigned
        step = _SubGraph(step_fn, specs, graph, own_reads=assigned)
    condition = _SubGraph(test_fn, specs, graph, own_reads=assigned)
    _check_loop_shapes(specs, step.outputs)
    captured = _union(condition.captured + step.captured)
    count = len(flat)
    history = []  # the states each iteration started from, kept when a tape needs them

    def run(values):
        if context.recording_tapes():
            return run_eagerly(values)
        state = [v._value for v in values[:count]]
        known = {id(outer): v._value for outer, v in zip(captured, values[count:])}
        history.clear()
        iterations = 0
        while (maximum_iterations is None or iterations < maximum_iterations) and bool(
                np.asarray(condition.run(state, known)[0]).reshape(())):
            if record is not None:
                history.append(state)
            state = list(step.run(state, known))
            iterations += 1
        return [wrap(a) for a in state]

    def run_eagerly(values):
        """The loop with eager ops, which a tape recording outside the function sees."""
        state = list(values[:count])
        known = {id(outer): v for outer, v in zip(captured, values[count:])}
        history.clear()
        iterations = 0
        while (maximum_iterations is None or iterations < maximum_iterations) and _truth(
                condition.run_eagerly(state, known)[0]):
            if record is not None:
                history.append([v._value for v in state])
            state = list(step.run_eagerly(state, known))
            iterations += 1
        return state

    node = graph._add("While", flat + captured, {"cond": condition.graph, "body": step.graph},
                      specs, run, stateful=step.stateful or condition.stateful,
                      name=name or "while")
    record = None
    if any(any(id(x) in tape._tracked for x in flat + captured)
           for tape in context.recording_tapes()):
        record = _WhileGradient(graph, step_fn, specs, captured, history)
        for tape in context.recording_tapes():
            tape._record(record, flat + captured, {}, tuple(node.outputs))
    return repack(node.outputs)


class _WhileGradient:
    """A While node's tape record. Its gradient runs the body's gradient (a sub-graph traced
    once) backwards over the states the forward loop saved."""

    name = "While"
    multi_output = True

    def __init__(self, graph, step_fn, specs, captured, history):
        self.graph = graph
        self.step_fn = step_fn
        self.specs = specs
        self.captured = captured
        self.history = history

    def grad(self, inputs, outputs, dy):
        count = len(self.specs)
        wanted = [c for c in self.captured if c.dtype.is_differentiable]

        def body_gradient(*values):
            graph = context.current_graph()
            state, dys = list(values[:count]), list(values[count:])
            inner = [graph.capture(c) for c in wanted]
            with GradientTape() as tape:
                tape.watch([t for t in state + inner if t.dtype.is_differentiable])
                outputs = nest.flatten(self.step_fn(*state), expand_composites=True)
            return tape.gradient(outputs, state + inner, output_gradients=dys,
                                 unconnected_gradients="zero")

        backward = _SubGraph(body_gradient, list(self.specs) + list(self.specs), self.graph)
        history = self.history

        def run(values):
            dstate = [v._value for v in values[:count]]
            known = {id(outer): v._value for outer, v in zip(backward.captured,
                                                              values[count:])}
            totals = None
            for state in reversed(history):
                grads = backward.run(list(state) + dstate, known)
                dstate, dcaptured = list(grads[:count]), grads[count:]
                totals = list(dcaptured) if totals is None else [
                    a + b for a, b in zip(totals, dcaptured)]
            if totals is None:
                totals = [np.zeros(c._value.shape, c.dtype._np) for c in wanted]
            return [wrap(a) for a in dstate + list(totals)]

        node = self.graph._add(
            "WhileGrad", list(dy) + backward.captured, {"body": backward.graph},
            list(self.specs) + [Spec(c._shape, c.dtype) for c in wanted], run)
        grads = iter(node.outputs[count:])
        by_input = {id(c): next(grads) for c in wanted}
        return list(node.outputs[:count]) + [by_input.get(id(c)) for c in self.captured]


def _eager_loop(cond, body, loop_vars, maximum_iterations):
    state = nest.map_structure(
        lambda v: v if nest.is_composite(v) else convert_to_tensor(v), loop_vars)
    iterations = 0
    while (maximum_iterations is None or iterations < maximum_iterations) and _truth(
            cond(*_as_args(state, loop_vars))):
        result = body(*_as_args(state, loop_vars))
        state = nest.pack_sequence_as(loop_vars, nest.flatten(
            result if isinstance(loop_vars, (list, tuple)) else [result]))
        iterations += 1
    return state


def _as_args(state, loop_vars):
    """Loop variables are passed to cond and body as positional arguments (TF's rule)."""
    return tuple(state) if isinstance(loop_vars, (list, tuple)) else (state,)


def _captured(loop_vars, graph):
    """The loop variables with every tensor in them a tensor of `graph`."""
    flat = [graph.capture(v) for v in nest.flatten(loop_vars, expand_composites=True)]
    return nest.pack_sequence_as(loop_vars, flat, expand_composites=True)


def _repacker(loop_vars):
    """The function that rebuilds the loop variables' structure around flat tensors."""
    return lambda values: nest.pack_sequence_as(loop_vars, list(values), expand_composites=True)


def _shaped_by_body(body, loop_vars, shape_invariants, graph):
    """The loop variables, those whose tensors depend on what the body writes (a
    TensorArray nothing was written to yet) shaped by one trial trace of the body."""
    if not any(getattr(v, "_awaits_writes", False) for v in nest.flatten(loop_vars)):
        return loop_vars
    repack = _repacker(loop_vars)
    trial = _SubGraph(lambda *v: body(*_as_args(repack(v), loop_vars)),
                      _loop_specs(loop_vars, shape_invariants), graph)
    written = trial.structure if isinstance(loop_vars, (list, tuple)) else [trial.structure]
    return _captured(_shaped_like(lambda: loop_vars, written)(), graph)


def _loop_specs(loop_vars, shape_invariants):
    """The specs of the (captured) loop variables' tensors: their own shapes or the
    shape_invariants given; a composite's (a TensorArray's) say what its tensors keep
    across iterations."""
    leaves = nest.flatten(loop_vars)
    shapes = [None] * len(leaves) if shape_invariants is None else \
        nest.flatten(shape_invariants)
    specs = []
    for leaf, shape in zip(leaves, shapes):
        if nest.is_composite(leaf):
            specs += leaf._component_specs()
        else:
            specs.append(Spec(leaf._shape if shape is None else _dims(shape), leaf.dtype))
    return specs


def _dims(shape):
    shape = TensorShape(shape)
    return None if shape.rank is None else tuple(shape.dims)


def _check_loop_shapes(specs, outputs):
    if len(specs) != len(outputs):
        raise ValueError(f"The loop body returns {len(outputs)} tensors for {len(specs)} loop "
                         f"variables; it must return the loop variables' structure.")
    for i, (before, after) in enumerate(zip(specs, outputs)):
        if before.dtype != after.dtype:
            raise TypeError(f"Loop variable {i} enters the loop as {before.dtype.name} but the "
                            f"body returns {after.dtype.name}.")
        if before.shape is not None and (after._shape is None or len(before.shape) != len(
                after._shape) or any(b is not None and a != b for b, a in zip(
                    before.shape, after._shape))):
            raise ValueError(f"Loop variable {i} enters the loop with shape "
                             f"{TensorShape(before.shape)} but has shape {after.shape} after "
                             f"one iteration. Pass shape_invariants with None for the "
                             f"dimensions that change.")


def _check_same_structure(a, b, what):
    if len(a.outputs) != len(b.outputs):
        raise ValueError(f"{what} of tf.cond must return the same structure; they return "
                         f"{len(a.outputs)} and {len(b.outputs)} tensors.")
    for i, (x, y) in enumerate(zip(a.outputs, b.outputs)):
        if x.dtype != y.dtype:
            raise TypeError(f"Output {i} of {what} have different dtypes: {x.dtype.name} and "
                            f"{y.dtype.name}.")


def _merged(a, b):
    if a._shape is None or b._shape is None or len(a._shape) != len(b._shape):
        return Spec(None, a.dtype)
    return Spec(tuple(x if x == y else None for x, y in zip(a._shape, b._shape)), a.dtype)


def _union(tensors):
    seen, unique = set(), []
    for t in tensors:
        if id(t) not in seen:
            seen.add(id(t))
            unique.append(t)
    return unique

