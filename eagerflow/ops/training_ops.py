"""Fused optimizer updates, TF's ResourceApply* kernels: a variable and its slots updated
in place in one kernel.

Written as separate ops, Adam's update of one variable makes seven passes over memory
(about twenty array transits), each slower than the arithmetic it does once the arrays
outgrow the cache. The kernels here do the same arithmetic in the same order, so the
results are bit for bit those of the separate ops, on blocks of the flattened arrays
small enough to stay in cache: the slots, the variable and the gradient are each read
once and written once.

Eagerly an update runs at once; while a graph is built it becomes one stateful node
that assigns all its variables (`Graph.update_variables`).
"""

import numpy as np

from ..framework import context

BLOCK = 32768  # elements per block: its six arrays (768 KB in float32) stay in a core's L2


def apply_adam(variable, m, v, alpha, one_minus_beta_1, one_minus_beta_2, epsilon,
               gradient, v_hat=None):
    """Keras's Adam step on `variable` with the bias correction folded into `alpha`:

        m += (g - m) * (1 - beta_1);  v += (g**2 - v) * (1 - beta_2)
        variable -= m * alpha / (sqrt(v) + epsilon)

    with `v_hat`, the running maximum of `v`, in the denominator for AMSGrad. The
    scalars are tensors of the variable's dtype, `gradient` one of its dtype and shape."""
    variables = (variable, m, v) if v_hat is None else (variable, m, v, v_hat)
    inputs = [gradient, alpha, one_minus_beta_1, one_minus_beta_2, epsilon]
    graphs = context.building_graphs()
    if graphs:
        graphs[-1].update_variables("ResourceApplyAdam", variables, inputs, _adam)
    else:
        _adam(variables, [x._value for x in inputs])


def _buffer(variable):
    """The variable's array, flat, to update in place; copied first when a read still
    holds the value (so that read keeps it) or when it is not contiguous."""
    if not variable._exclusive() or not variable._value.flags.c_contiguous:
        variable._value = np.array(variable._value, order="C")
    return variable._value.reshape(-1)


def _adam(variables, arrays):
    w, m, v, *v_hat = [_buffer(x) for x in variables]
    g, alpha, c1, c2, epsilon = arrays
    g = np.ravel(g)
    size = min(len(w), BLOCK)
    scratch, step = np.empty(size, w.dtype), np.empty(size, w.dtype)
    for start in range(0, len(w), BLOCK):
        stop = start + BLOCK
        gb, mb, vb, wb = g[start:stop], m[start:stop], v[start:stop], w[start:stop]
        t, u = scratch[:len(wb)], step[:len(wb)]
        np.subtract(mb, gb, out=t)
        np.multiply(t, c1, out=t)
        np.subtract(mb, t, out=mb)
        np.square(gb, out=t)
        np.subtract(vb, t, out=t)
        np.multiply(t, c2, out=t)
        np.subtract(vb, t, out=vb)
        if v_hat:
            vb = np.maximum(v_hat[0][start:stop], vb, out=v_hat[0][start:stop])
        np.multiply(mb, alpha, out=u)
        np.sqrt(vb, out=t)
        np.add(t, epsilon, out=t)
        np.divide(u, t, out=u)
        np.subtract(wb, u, out=wb)
