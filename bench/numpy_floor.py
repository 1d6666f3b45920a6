"""The floor: the seed MLP and CNN trained by hand-written float32 NumPy.

Forward, backward and update are written out with in-place updates and no framework,
so the time is close to what the BLAS calls alone cost.  The CNN uses im2col: each 3x3
convolution is one matrix product over patches gathered from nine shifted slices.
Training runs with subnormals flushed to zero, as eagerflow's compiled steps (and
TensorFlow's kernels) do: without it Adam's moments turn subnormal a few hundred steps in
and its passes slow down several times.
"""

import importlib.util
import pathlib

import numpy as np

F32 = np.float32


def glorot(rng, fan_in, fan_out, shape):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype(F32)


class SGD:
    def __init__(self, learning_rate=0.01):
        self.learning_rate = F32(learning_rate)

    def apply(self, params, grads):
        for p, g in zip(params, grads):
            g *= self.learning_rate
            p -= g


class Adam:
    """Keras's Adam: bias correction folded into the step size, epsilon outside the root."""

    def __init__(self, params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.lr, self.b1, self.b2, self.eps = learning_rate, beta_1, beta_2, F32(epsilon)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def apply(self, params, grads):
        self.t += 1
        step = F32(self.lr * np.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t))
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= F32(self.b1)
            m += F32(1 - self.b1) * g
            v *= F32(self.b2)
            g *= g
            g *= F32(1 - self.b2)
            v += g
            np.sqrt(v, out=g)
            g += self.eps
            np.divide(m, g, out=g)
            g *= step
            p -= g


def softmax_xent_grad(logits, labels):
    """Mean sparse cross-entropy of softmax(logits) and its gradient w.r.t. the logits."""
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = -np.log(logits[rows, labels]).mean()
    logits[rows, labels] -= 1
    logits /= F32(len(labels))
    return loss, logits


def softmax(logits):
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    return logits


class MLP:
    """Dense layers with ReLU between them and softmax on top."""

    def __init__(self, sizes, rng):
        self.params = []
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            self.params += [glorot(rng, fan_in, fan_out, (fan_in, fan_out)),
                            np.zeros(fan_out, F32)]

    def logits(self, x, keep=None):
        h = x.reshape(len(x), -1)
        weights = self.params[0::2], self.params[1::2]
        for i, (w, b) in enumerate(zip(*weights)):
            if keep is not None:
                keep.append(h)
            h = h @ w
            h += b
            if i < len(self.params) // 2 - 1:
                np.maximum(h, 0, out=h)
        return h

    def predict(self, x):
        return softmax(self.logits(x))

    def train_step(self, x, y, optimizer):
        inputs = []
        loss, g = softmax_xent_grad(self.logits(x, inputs), y)
        grads = []
        for layer in reversed(range(len(inputs))):
            h, w = inputs[layer], self.params[2 * layer]
            grads += [g.sum(axis=0), h.T @ g]
            if layer:
                g = g @ w.T
                g *= h > 0
        optimizer.apply(self.params, grads[::-1])
        return loss


def conv(cols, kernel, bias):
    """ReLU(patches @ kernel + bias) as one 2-D matrix product, keeping the patch shape."""
    out = cols.reshape(-1, cols.shape[-1]) @ kernel
    out += bias
    np.maximum(out, 0, out=out)
    return out.reshape(cols.shape[:-1] + kernel.shape[-1:])


def im2col(x, size=3):
    """(n, h, w, c) -> (n, h-2, w-2, 9c) patches ordered (row, column, channel)."""
    oh, ow = x.shape[1] - size + 1, x.shape[2] - size + 1
    return np.concatenate([x[:, i:i + oh, j:j + ow] for i in range(size)
                           for j in range(size)], axis=-1)


def col2im(cols, shape, size=3):
    """The adjoint of im2col: sums patch gradients back onto an image of `shape`."""
    out = np.zeros(shape, F32)
    oh, ow, c = cols.shape[1], cols.shape[2], shape[-1]
    for k in range(size * size):
        i, j = divmod(k, size)
        out[:, i:i + oh, j:j + ow] += cols[..., k * c:(k + 1) * c]
    return out


def corners(h):
    """The four strided views of a 2x2, stride-2, VALID pooling over h (n, H, W, c)."""
    rows, cols = h.shape[1] // 2 * 2, h.shape[2] // 2 * 2
    return [h[:, i:rows:2, j:cols:2] for i in (0, 1) for j in (0, 1)]


def max_pool(h):
    a, b, c, d = corners(h)
    return np.maximum(np.maximum(a, b), np.maximum(c, d))


def max_pool_grad(g, h, pooled):
    """Routes g to the maxima of h (ties only happen at 0, where ReLU's mask zeroes them)."""
    out = np.zeros(h.shape, F32)
    for src, dst in zip(corners(h), corners(out)):
        np.multiply(g, src == pooled, out=dst)
    return out


class CNN:
    """Conv32(3x3)-MaxPool2-Conv64(3x3)-MaxPool2-Flatten-Dense64-Dense10, NHWC."""

    def __init__(self, rng):
        self.params = [glorot(rng, 9, 9 * 32, (9, 32)), np.zeros(32, F32),
                       glorot(rng, 9 * 32, 9 * 64, (9 * 32, 64)), np.zeros(64, F32),
                       glorot(rng, 1600, 64, (1600, 64)), np.zeros(64, F32),
                       glorot(rng, 64, 10, (64, 10)), np.zeros(10, F32)]

    def logits(self, x, keep=None):
        k1, b1, k2, b2, w3, b3, w4, b4 = self.params
        cols1 = im2col(x.reshape(-1, 28, 28, 1))
        h1 = conv(cols1, k1, b1)
        p1 = max_pool(h1)
        cols2 = im2col(p1)
        h2 = conv(cols2, k2, b2)
        p2 = max_pool(h2)
        flat = p2.reshape(len(x), -1)
        h3 = flat @ w3
        h3 += b3
        np.maximum(h3, 0, out=h3)
        if keep is not None:
            keep.update(cols1=cols1, h1=h1, p1=p1, cols2=cols2, h2=h2, p2=p2, flat=flat,
                        h3=h3)
        out = h3 @ w4
        out += b4
        return out

    def predict(self, x):
        return softmax(self.logits(x))

    def train_step(self, x, y, optimizer):
        _, _, k2, _, w3, _, w4, _ = self.params
        s = {}
        loss, g = softmax_xent_grad(self.logits(x, s), y)
        grads = [g.sum(axis=0), s["h3"].T @ g]
        g = g @ w4.T
        g *= s["h3"] > 0
        grads += [g.sum(axis=0), s["flat"].T @ g]
        g = max_pool_grad((g @ w3.T).reshape(s["p2"].shape), s["h2"], s["p2"])
        g *= s["h2"] > 0
        g2 = g.reshape(-1, 64)
        grads += [g2.sum(axis=0), s["cols2"].reshape(-1, 9 * 32).T @ g2]
        g = col2im((g2 @ k2.T).reshape(s["cols2"].shape), s["p1"].shape)
        g = max_pool_grad(g, s["h1"], s["p1"])
        g *= s["h1"] > 0
        g1 = g.reshape(-1, 32)
        grads += [g1.sum(axis=0), s["cols1"].reshape(-1, 9).T @ g1]
        optimizer.apply(self.params, grads[::-1])
        return loss


def make(model, optimizer, seed=42):
    """A ("mlp" | "cnn") model and its ("sgd" | "adam") optimizer."""
    rng = np.random.default_rng(seed)
    net = MLP([784, 300, 100, 10], rng) if model == "mlp" else CNN(rng)
    opt = SGD(0.01) if optimizer == "sgd" else Adam(net.params)
    return net, opt


def _float_modes():
    """eagerflow's flush-to-zero switch, loaded from its file without importing eagerflow."""
    path = pathlib.Path(__file__).parents[1] / "eagerflow" / "backend" / "float_modes.py"
    spec = importlib.util.spec_from_file_location("float_modes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


float_modes = _float_modes()


def fit_epoch(net, optimizer, x, y, batch_size, rng):
    """One shuffled pass over (x, y)."""
    order = rng.permutation(len(x))
    saved = float_modes.flush_subnormals()
    try:
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            net.train_step(x[rows], y[rows], optimizer)
    finally:
        float_modes.restore(saved)


def predict(net, x, batch_size):
    return np.concatenate([net.predict(x[i:i + batch_size])
                           for i in range(0, len(x), batch_size)])
