"""Eager dispatch overhead: µs per `a + b` (1 element and 32x32) and 32x32 matmul."""

import numpy as np

from .timing import per_call_us

ROWS = [("add_1", "eager a + b, 1 element", "µs"),
        ("add_32", "eager a + b, 32x32", "µs"),
        ("matmul_32", "eager matmul 32x32", "µs")]
CASES = [("add_1", (1,), "add"), ("add_32", (32, 32), "add"), ("matmul_32", (32, 32), "matmul")]


def measure(framework, module, ctx):
    lib = np if framework == "numpy" else module  # all four spell ones/float32/matmul alike
    results = {}
    for key, shape, kind in CASES:
        a, b = lib.ones(shape, dtype=lib.float32), lib.ones(shape, dtype=lib.float32)
        op = (lambda: a + b) if kind == "add" else (lambda: lib.matmul(a, b))
        results[key] = per_call_us(op)
    return results
