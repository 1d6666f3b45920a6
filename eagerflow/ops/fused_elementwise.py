"""FusedElementwise: a chain of elementwise ops run as one kernel into one buffer.

The graph optimizer (graph/passes/elementwise_fusion.py) replaces a chain of ufunc ops,
each feeding only the next, by one node whose `program` lists the steps: the first step
applies an op to inputs of the fused node; every later step applies an op to the running
value (`_`) and, for a binary op, one more input. The kernel is generated once per program:
straight-line ufunc calls writing into the first step's buffer, under one errstate.
"""

from collections import namedtuple

import numpy as np

from ..autodiff.tape import GradientTape
from . import math_binary, math_unary
from .registry import Sample, defop
from .sample_inputs import rng, uniform

RUNNING = -1  # a step argument that is the running value, not an input of the fused node

Step = namedtuple("Step", "op args")
Step.__doc__ = "One op of a fused chain; args are input positions or RUNNING."


def ufunc_of(op):
    """The NumPy ufunc an op's kernel is (or wraps to silence warnings), else None."""
    kernel = op.kernel
    ufunc = kernel if isinstance(kernel, np.ufunc) else getattr(kernel, "ufunc", None)
    return ufunc if isinstance(ufunc, np.ufunc) and ufunc.nout == 1 else None


class ElementwiseProgram:
    """The steps of a fused chain; `run(inputs, out=None)` is its generated kernel."""

    def __init__(self, steps):
        self.steps = tuple(steps)
        self.run = _compile(self.steps)

    def apply(self, values, step_fn):
        """The steps on `values`, each computed by step_fn(step, arguments)."""
        value = None
        for step in self.steps:
            value = step_fn(step, [value if a == RUNNING else values[a] for a in step.args])
        return value

    def reusable_inputs(self):
        """Inputs whose buffer may take the result: the first step's, read nowhere else."""
        later = {a for step in self.steps[1:] for a in step.args}
        return [a for a in self.steps[0].args if a not in later]

    def _key(self):
        return tuple((step.op.name, step.args) for step in self.steps)

    def __eq__(self, other):
        return isinstance(other, ElementwiseProgram) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        def step_text(step):
            args = ", ".join("_" if a == RUNNING else str(a) for a in step.args)
            return step.op.name if args == "_" else f"{step.op.name}({args})"
        return " → ".join(step_text(step) for step in self.steps)


def _compile(steps):
    namespace = {"errstate": np.errstate, "ndarray": np.ndarray, "asarray": np.asarray}
    lines = []
    for k, step in enumerate(steps):
        namespace[f"u{k}"] = ufunc_of(step.op)
        args = ", ".join("value" if a == RUNNING else f"inputs[{a}]" for a in step.args)
        if k == 0:
            lines += [f"value = u0({args}, out=out)",
                      "if value.__class__ is not ndarray:",
                      "    value = asarray(value)  # a 0-d result comes back as a scalar"]
        else:
            lines.append(f"u{k}({args}, out=value)")
    if any(not isinstance(step.op.kernel, np.ufunc) for step in steps):
        lines = ["with errstate(all='ignore'):"] + ["    " + line for line in lines]
    source = "\n".join(["def run(inputs, out=None):"] + ["    " + line for line in lines]
                       + ["    return value"])
    exec(compile(source, "<fused elementwise kernel>", "exec"), namespace)
    return namespace["run"]


def _kernel(*inputs, program, out=None):
    return program.run(inputs, out)


def _rule(*specs, program):
    return program.apply(specs, lambda step, args: step.op.infer(*args))


def _grad(inputs, output, dy, program):
    wanted = [x for x in inputs if x.dtype.is_floating]
    with GradientTape() as tape:
        tape.watch(wanted)
        result = program.apply(inputs, lambda step, args: step.op(*args))
    grads = iter(tape.gradient(result, wanted, output_gradients=dy))
    return [next(grads) if x.dtype.is_floating else None for x in inputs]


def _reference(*arrays, program):
    return program.apply(arrays, lambda step, args: step.op.reference(*args))


def _samples():
    gen = rng(71)
    mul, add, sub = math_binary.Mul, math_binary.Add, math_binary.Sub
    chain = ElementwiseProgram([Step(mul, (0, 1)), Step(add, (RUNNING, 2)),
                                Step(math_unary.Tanh, (RUNNING,)),
                                Step(sub, (3, RUNNING)), Step(math_unary.Abs, (RUNNING,))])
    yield Sample((uniform(gen, (2, 3)), uniform(gen, ()), uniform(gen, (3,)),
                  uniform(gen, (2, 1), 3.0, 4.0)), dict(program=chain))
    quiet = ElementwiseProgram([Step(math_unary.Exp, (0,)), Step(mul, (RUNNING, 0)),
                                Step(math_binary.Maximum, (RUNNING, 1))])
    yield Sample((uniform(gen, (4,)), uniform(gen, (4,), 5.0, 6.0)), dict(program=quiet))
    yield Sample((uniform(gen, (2, 2), dtype=np.float32), uniform(gen, (), dtype=np.float32)),
                 dict(program=ElementwiseProgram([Step(add, (0, 1)), Step(mul, (RUNNING, 1))])))
    yield Sample((np.array([[1, -2], [3, 4]], np.int32), np.array(2, np.int32)),
                 dict(program=ElementwiseProgram([Step(mul, (0, 1)), Step(sub, (RUNNING, 1))])))


FusedElementwise = defop("FusedElementwise", _kernel, _rule, grad=_grad,
                         reference=_reference, samples=_samples, same_dtype=False)
