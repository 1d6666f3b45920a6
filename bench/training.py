"""Seconds per training epoch and per predict pass, for a model defined per framework.

A ModelSpec holds one model in each framework: `keras_model(tf)` serves eagerflow and
TensorFlow alike, `torch_model(torch)` PyTorch, and `numpy_name` names numpy_floor's.
Keras models end in softmax and use sparse categorical cross-entropy; the PyTorch ones
return logits for `cross_entropy`, which computes the same loss.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import numpy_floor
from .timing import epoch_seconds, keras_epoch_seconds, median_seconds

TORCH_ADAM = dict(lr=0.001, betas=(0.9, 0.999), eps=1e-7)  # Keras's defaults


@dataclass(frozen=True)
class ModelSpec:
    numpy_name: str
    keras_model: Callable
    torch_model: Callable
    keras_input: Callable = lambda x: x  # (n, 28, 28) float32 -> the model's input
    torch_input: Callable = lambda x: x


def subset(x, y, fraction):
    """The first `fraction` of the examples, and the factor that scales time back to all."""
    count = max(1, int(len(x) * fraction))
    return x[:count], y[:count], len(x) / count


def fit_seconds(framework, module, spec, optimizer, x, y, batch_size):
    """Seconds per epoch of training `spec`'s model on (x, y)."""
    if framework == "numpy":
        net, opt = numpy_floor.make(spec.numpy_name, optimizer)
        rng = np.random.default_rng(0)
        return epoch_seconds(lambda: numpy_floor.fit_epoch(net, opt, x, y, batch_size, rng))
    if framework == "torch":
        return _torch_fit_seconds(module, spec, optimizer, x, y, batch_size)
    module.random.set_seed(42)
    model = spec.keras_model(module)
    opt = (module.keras.optimizers.SGD(learning_rate=0.01) if optimizer == "sgd"
           else module.keras.optimizers.Adam(learning_rate=0.001))
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    return keras_epoch_seconds(module, model, spec.keras_input(x), y, batch_size)


def predict_seconds(framework, module, spec, x, batch_size):
    """Median seconds of one pass of an untrained model over x."""
    if framework == "numpy":
        net, _ = numpy_floor.make(spec.numpy_name, "sgd")
        return median_seconds(lambda: numpy_floor.predict(net, x, batch_size))
    if framework == "torch":
        torch = module
        model = spec.torch_model(torch).eval()
        inputs = torch.from_numpy(spec.torch_input(x))

        def run():
            with torch.inference_mode():
                return torch.cat([model(inputs[i:i + batch_size]).softmax(1)
                                  for i in range(0, len(inputs), batch_size)]).numpy()
        return median_seconds(run)
    model = spec.keras_model(module)
    inputs = spec.keras_input(x)
    return median_seconds(lambda: model.predict(inputs, batch_size=batch_size, verbose=0))


def _torch_fit_seconds(torch, spec, optimizer, x, y, batch_size):
    torch.manual_seed(42)
    model = spec.torch_model(torch)
    opt = (torch.optim.SGD(model.parameters(), lr=0.01) if optimizer == "sgd"
           else torch.optim.Adam(model.parameters(), **TORCH_ADAM))
    inputs, labels = torch.from_numpy(spec.torch_input(x)), torch.from_numpy(y)

    def run_epoch():
        order = torch.randperm(len(inputs))
        for start in range(0, len(inputs), batch_size):
            rows = order[start:start + batch_size]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(inputs[rows]), labels[rows])
            loss.backward()
            opt.step()
    return epoch_seconds(run_epoch)
