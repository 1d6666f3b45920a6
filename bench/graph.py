"""50 chained elementwise ops on a 32x32 tensor: eager vs compiled (tf.function,
torch.compile), µs per call.  NumPy has no graph mode; its eager time is the floor."""

import numpy as np

from .timing import per_call_us

ROWS = [("chain_eager", "50 elementwise ops 32x32, eager", "µs"),
        ("chain_graph", "50 elementwise ops 32x32, graph", "µs"),
        ("chain_speedup", "graph speedup (eager / graph)", "x")]


def _ops(framework, module):
    """(tanh, max(x, c), abs) in the framework."""
    if framework == "numpy":
        return np.tanh, np.maximum, np.abs
    if framework == "torch":
        return module.tanh, lambda x, c: module.clamp(x, min=c), module.abs
    return module.math.tanh, module.maximum, module.abs


def _chain(ops):
    tanh, maximum, absolute = ops

    def chain(x):
        for _ in range(10):
            x = absolute(maximum(tanh(x * 0.9 + 0.1), -0.5))
        return x
    return chain


def _compile(framework, module, chain):
    if framework == "torch":
        return module.compile(chain)
    return module.function(chain)


def measure(framework, module, ctx):
    x = np.random.default_rng(0).standard_normal((32, 32)).astype(np.float32)
    chain = _chain(_ops(framework, module))
    if framework != "numpy":
        x = module.from_numpy(x) if framework == "torch" else module.constant(x)
    eager = per_call_us(lambda: chain(x))
    results = {"chain_eager": eager}
    if framework == "numpy":
        return results
    try:
        compiled = _compile(framework, module, chain)
        compiled(x)
    except Exception as error:  # torch.compile needs a working C++ toolchain on CPU
        results["chain_graph"] = {"error": f"compile failed: {type(error).__name__}"}
        return results
    graph = per_call_us(lambda: compiled(x))
    results["chain_graph"] = graph
    results["chain_speedup"] = eager / graph
    return results
