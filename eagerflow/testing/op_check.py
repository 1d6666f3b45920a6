"""The harness every registered op goes through.

For each of an op's samples it checks
  1. forward: the dispatched op against the entry's independent NumPy reference;
  2. shape rule: the rule's output shapes and dtypes against the actual outputs
     (a None dimension, for data-dependent sizes, matches any size);
  3. gradient: the tape's gradient against central finite differences in float64
     (or, for ops declared not differentiable, that the tape gives None);
  4. graph: the op traced into a Graph, run by the interpreter and as generated code,
     gives exactly the eager result, and its shape rule copes with an unknown first
     dimension;
  5. graph gradient: the op and its tape gradient traced into a Graph whose inputs'
     first dimension is unknown, run both ways, give the eager gradient.
`check_op` raises AssertionError naming the op, the sample and what differed.
"""

import numpy as np

from ..autodiff.tape import GradientTape
from ..framework.tensor import wrap
from ..graph import interpreter
from ..graph.codegen import CompiledGraph
from ..graph.ir import Graph
from ..ops.registry import Spec, spec_of

TOLERANCES = {np.dtype(np.float16): (1e-2, 1e-2), np.dtype(np.float32): (1e-5, 1e-5),
              np.dtype(np.float64): (1e-9, 1e-10), np.dtype(np.complex64): (1e-5, 1e-5),
              np.dtype(np.complex128): (1e-9, 1e-10)}
GRAD_EPS = 1e-6
GRAD_TOLERANCE = (1e-5, 1e-6)  # (rtol, atol) between analytic and numerical gradients


def check_op(op):
    """Runs every check on every sample of `op`; returns how many samples ran."""
    assert op.reference is not None, f"{op.name} has no NumPy reference"
    samples = list(op.samples())
    assert samples, f"{op.name} has no samples"
    assert not op.grad or any(s.grad for s in samples), (
        f"{op.name} has a gradient rule but no sample checks it")
    for index, sample in enumerate(samples):
        where = f"{op.name} sample {index} (shapes {[np.shape(a) for a in sample.inputs]}, " \
                f"attrs {sample.attrs})"
        outputs = _as_tuple(op(*[wrap(a) for a in sample.inputs], **sample.attrs))
        check_forward(op, sample, outputs, where)
        check_shape_rule(op, sample, outputs, where)
        check_traced(op, sample, outputs, where)
        check_unknown_batch(op, sample, outputs, where)
        if sample.grad:
            check_gradient(op, sample, where)
            check_graph_gradient(op, sample, where)
    return len(samples)


def _as_tuple(outputs):
    return outputs if isinstance(outputs, (tuple, list)) else (outputs,)


def check_forward(op, sample, outputs, where):
    expected = _as_tuple(op.reference(*[a.copy() for a in sample.inputs], **sample.attrs))
    assert len(expected) == len(outputs), (
        f"{where}: {len(outputs)} outputs, reference gives {len(expected)}")
    for i, (out, ref) in enumerate(zip(outputs, expected)):
        actual, ref = np.asarray(out._value), np.asarray(ref)
        assert actual.shape == ref.shape, (
            f"{where}: output {i} has shape {actual.shape}, reference {ref.shape}")
        rtol, atol = TOLERANCES.get(actual.dtype, (0, 0))
        if actual.dtype == object:
            ok = actual.tolist() == ref.tolist()
        else:
            ok = np.allclose(actual, ref.astype(actual.dtype) if rtol else ref,
                             rtol=rtol, atol=atol, equal_nan=True)
        assert ok, f"{where}: output {i} differs from the reference:\n{actual}\nvs\n{ref}"


def check_shape_rule(op, sample, outputs, where):
    specs = [spec_of(wrap(np.asarray(a))) for a in sample.inputs]
    predicted = op.infer(*specs, **sample.attrs)
    if isinstance(predicted, Spec):
        predicted = (predicted,)
    assert len(predicted) == len(outputs), (
        f"{where}: shape rule predicts {len(predicted)} outputs, op made {len(outputs)}")
    for i, (spec, out) in enumerate(zip(predicted, outputs)):
        actual = spec_of(out)
        shape_fits = len(spec.shape) == len(actual.shape) and all(
            p is None or p == a for p, a in zip(spec.shape, actual.shape))
        assert shape_fits and spec.dtype == actual.dtype, (
            f"{where}: shape rule predicts output {i} as {spec.dtype.name}{list(spec.shape)}, "
            f"the kernel made {actual.dtype.name}{list(actual.shape)}")


def check_traced(op, sample, outputs, where):
    arrays = [np.asarray(a) for a in sample.inputs]
    graph = Graph()
    placeholders = [graph.placeholder(spec_of(wrap(a)).dtype, a.shape) for a in arrays]
    with graph.as_default():
        traced = _as_tuple(op(*placeholders, **sample.attrs))
    interpreted = interpreter.run(graph, list(traced), {p: wrap(a) for p, a in
                                                        zip(placeholders, arrays)})
    compiled = CompiledGraph(graph, placeholders, list(traced)).run(arrays)
    for way, results in (("interpreted", [r._value for r in interpreted]),
                         ("compiled", compiled)):
        for i, (eager, graph_value) in enumerate(zip(outputs, results)):
            eager, graph_value = np.asarray(eager._value), np.asarray(graph_value)
            assert eager.dtype == graph_value.dtype and (
                eager.tolist() == graph_value.tolist() or
                np.array_equal(eager, graph_value, equal_nan=True)), (
                f"{where}: output {i} traced and run as a graph ({way}) differs from eager:"
                f"\n{graph_value}\nvs\n{eager}")


def check_unknown_batch(op, sample, outputs, where):
    """The shape rule with every input's first dimension unknown predicts shapes that the
    actual outputs fit (or an unknown rank, None, where the rank depends on the data)."""
    specs = [Spec((None,) + tuple(np.shape(a)[1:]) if np.ndim(a) else (),
                  spec_of(wrap(np.asarray(a))).dtype) for a in sample.inputs]
    predicted = op.infer(*specs, **sample.attrs)
    predicted = (predicted,) if isinstance(predicted, Spec) else predicted
    for i, (spec, out) in enumerate(zip(predicted, outputs)):
        actual = np.shape(out._value)
        assert spec.shape is None or len(spec.shape) == len(actual) and all(
            p is None or p == a for p, a in zip(spec.shape, actual)), (
            f"{where}: with unknown first dimensions the shape rule predicts output {i} as "
            f"{list(spec.shape)}, which the actual shape {list(actual)} does not fit")


def _is_float(array):
    return np.asarray(array).dtype.kind in "fc"


def _float_inputs(sample):
    return [a.astype(np.float64) if _is_float(a) else np.asarray(a) for a in sample.inputs]


def _tape_gradient(op, sample, inputs):
    """(cotangents of the float outputs, the tape's gradient of each input) eagerly."""
    tensors = [wrap(a) for a in inputs]
    with GradientTape(persistent=True) as tape:
        for t, a in zip(tensors, inputs):
            if _is_float(a):
                tape.watch(t)
        outputs = _as_tuple(op(*tensors, **sample.attrs))
    gen = np.random.default_rng(0)
    float_outputs = [o for o in outputs if _is_float(o._value)]
    cotangents = [gen.uniform(0.5, 1.5, np.shape(o._value)) for o in float_outputs]
    analytic = tape.gradient(float_outputs, tensors,
                             output_gradients=[wrap(c) for c in cotangents])
    return cotangents, analytic


def check_gradient(op, sample, where):
    inputs = _float_inputs(sample)
    cotangents, analytic = _tape_gradient(op, sample, inputs)

    def objective(arrays):
        outs = _as_tuple(op.kernel(*arrays, **sample.attrs))
        return sum(float(np.sum(np.asarray(o) * c))
                   for o, c in zip([o for o in outs if _is_float(o)], cotangents))

    for i, a in enumerate(inputs):
        if not _is_float(a):
            assert analytic[i] is None, f"{where}: non-float input {i} got a gradient"
            continue
        if op.grad is None:
            assert analytic[i] is None, (
                f"{where}: {op.name} is declared not differentiable but input {i} got a "
                f"gradient")
            continue
        numerical = _numerical_gradient(objective, inputs, i)
        got = np.zeros_like(a) if analytic[i] is None else np.asarray(analytic[i]._value)
        assert got.shape == a.shape, (
            f"{where}: gradient of input {i} has shape {got.shape}, input has {a.shape}")
        rtol, atol = GRAD_TOLERANCE
        assert np.allclose(got, numerical, rtol=rtol, atol=atol), (
            f"{where}: gradient of input {i} differs from finite differences:\n"
            f"analytic\n{got}\nnumerical\n{numerical}")


def _unknown_batch(shape):
    return (None,) + tuple(shape[1:]) if shape else ()


def check_graph_gradient(op, sample, where):
    """The tape's gradient built into a graph whose inputs (and output cotangents) have an
    unknown first dimension equals the eager one, interpreted and compiled."""
    inputs = _float_inputs(sample)
    cotangents, analytic = _tape_gradient(op, sample, inputs)
    graph = Graph()
    placeholders = [graph.placeholder(spec_of(wrap(a)).dtype, _unknown_batch(a.shape))
                    for a in inputs]
    with graph.as_default():
        with GradientTape(persistent=True) as tape:
            for p, a in zip(placeholders, inputs):
                if _is_float(a):
                    tape.watch(p)
            outputs = [o for o in _as_tuple(op(*placeholders, **sample.attrs))
                       if np.dtype(o.dtype._np).kind in "fc"]
        seeds = [graph.placeholder(o.dtype, o._shape) for o in outputs]
        grads = tape.gradient(outputs, placeholders, output_gradients=seeds)
    wanted = [i for i, g in enumerate(grads) if g is not None]
    if not wanted:
        return
    fetches = [grads[i] for i in wanted]
    arrays = inputs + cotangents
    feeds = {p: wrap(a) for p, a in zip(placeholders + seeds, arrays)}
    interpreted = [r._value for r in interpreter.run(graph, fetches, feeds)]
    compiled = CompiledGraph(graph, placeholders + seeds, fetches).run(arrays)
    rtol, atol = TOLERANCES[np.dtype(np.float64)]
    for way, results in (("interpreted", interpreted), ("compiled", compiled)):
        for i, value in zip(wanted, results):
            eager = analytic[i]
            eager = np.zeros_like(inputs[i]) if eager is None else np.asarray(eager._value)
            value = np.asarray(value)
            assert value.shape == eager.shape and np.allclose(
                value, eager, rtol=rtol, atol=atol, equal_nan=True), (
                f"{where}: gradient of input {i} built into a graph with unknown first "
                f"dimensions ({way}) differs from eager:\n{value}\nvs\n{eager}")


def _numerical_gradient(objective, inputs, index):
    base = inputs[index]
    grad = np.zeros(base.shape, dtype=np.float64)
    flat = grad.reshape(-1)
    for k in range(base.size):
        shifted = []
        for sign in (1, -1):
            moved = base.copy().reshape(-1)
            moved[k] += sign * GRAD_EPS
            arrays = list(inputs)
            arrays[index] = moved.reshape(base.shape)
            shifted.append(objective(arrays))
        flat[k] = (shifted[0] - shifted[1]) / (2 * GRAD_EPS)
    return grad
